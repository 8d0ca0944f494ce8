/* eval_agg.c — aggregation (arithmetic, geometric, harmonic, power mean, Copeland), TOPSIS,
 * ranks with ties, strengths and weaknesses, target tracking, tree scoring and
 * contributions.  No I/O. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/eval_int.h"
#include "core/ksum.h"

static const char *const agg_names[] = {"arithmetic", "geometric", "harmonic",
                                        "power",      "copeland",  "topsis"};

int gf_eval_agg_parse(const char *s)
{
    for (int i = 0; i < 6; i++)
        if (strcmp(s, agg_names[i]) == 0)
            return i;
    return -1;
}

const char *gf_eval_agg_name(enum gf_eval_agg a)
{
    return (int)a >= 0 && a <= GF_AGG_TOPSIS ? agg_names[a] : "?";
}

static int needs_positive(enum gf_eval_agg how, double p)
{
    return how == GF_AGG_GEOM || how == GF_AGG_HARM ||
           (how == GF_AGG_POWER && (p <= 0 || p != floor(p)));
}

int gf_eval__agg_check(const double *x, size_t n, size_t m, enum gf_eval_agg how, double p,
                       struct gf_err *e)
{
    if (!needs_positive(how, p))
        return GF_OK;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++) {
            double v = x[i * m + j];
            if (!isnan(v) && !(v > 0))
                return EVAL_ERR(e,
                                "%s mean: unit %zu, indicator %zu has value %g: it needs values "
                                "> 0 (normalise to [1,100] first)",
                                gf_eval_agg_name(how), i + 1, j + 1, v);
        }
    return GF_OK;
}

int gf_eval_mean(const double *y, const double *w, size_t k, enum gf_eval_agg how, double p,
                 double *out, struct gf_err *e)
{
    struct gf_ksum sw = {0, 0}, s = {0, 0};
    size_t have = 0;
    if (how == GF_AGG_POWER && p == 0)
        how = GF_AGG_GEOM;
    if (how != GF_AGG_ARITH && how != GF_AGG_GEOM && how != GF_AGG_HARM && how != GF_AGG_POWER)
        return EVAL_ERR(e, "%s is not a mean of one unit's values", gf_eval_agg_name(how));
    for (size_t j = 0; j < k; j++) {
        double v = y[j];
        if (isnan(v))
            continue;
        if (!(w[j] >= 0) || !isfinite(w[j]))
            return EVAL_ERR(e, "weighted mean: weight %zu is %g: expected ≥ 0", j + 1, w[j]);
        if (!isfinite(v))
            return EVAL_ERR(e, "weighted mean: value %zu is not finite", j + 1);
        if (needs_positive(how, p) && !(v > 0))
            return EVAL_ERR(e,
                            "%s mean: value %zu is %g: it needs values > 0 (normalise to [1,100] "
                            "first)",
                            gf_eval_agg_name(how), j + 1, v);
        have++;
        gf_ksum_add(&sw, w[j]);
        switch (how) {
        case GF_AGG_ARITH:
            gf_ksum_add(&s, w[j] * v);
            break;
        case GF_AGG_GEOM:
            gf_ksum_add(&s, w[j] * log(v));
            break;
        case GF_AGG_HARM:
            gf_ksum_add(&s, w[j] / v);
            break;
        default:
            gf_ksum_add(&s, w[j] * pow(v, p));
            break;
        }
    }
    double W = gf_ksum_value(&sw);
    if (have == 0)
        return EVAL_ERR(e, "weighted mean: all values are missing");
    if (!(W > 0))
        return EVAL_ERR(e, "weighted mean: the weights of the present values sum to zero");
    double S = gf_ksum_value(&s);
    switch (how) {
    case GF_AGG_ARITH:
        *out = S / W;
        break;
    case GF_AGG_GEOM:
        *out = exp(S / W);
        break;
    case GF_AGG_HARM:
        *out = W / S;
        break;
    default:
        *out = pow(S / W, 1 / p);
        break;
    }
    return GF_OK;
}

int gf_eval_aggregate(const double *x, size_t n, size_t m, const double *w, enum gf_eval_agg how,
                      double p, double *out, struct gf_err *e)
{
    if (how == GF_AGG_COPELAND)
        return gf_eval_copeland(x, n, m, w, out, e);
    if (how == GF_AGG_TOPSIS)
        return gf_eval_topsis(x, n, m, w, NULL, 0, out, e);
    for (size_t i = 0; i < n; i++) {
        int rc = gf_eval_mean(x + i * m, w, m, how, p, out + i, e);
        if (rc) {
            gf_err_prefix(e, "unit %zu", i + 1);
            return rc;
        }
    }
    return GF_OK;
}

int gf_eval_copeland(const double *x, size_t n, size_t m, const double *w, double *out,
                     struct gf_err *e)
{
    if (n < 2)
        return EVAL_ERR(e, "Copeland: need at least two units, got %zu", n);
    for (size_t j = 0; j < m; j++)
        if (!(w[j] >= 0))
            return EVAL_ERR(e, "Copeland: weight %zu is %g: expected ≥ 0", j + 1, w[j]);
    for (size_t i = 0; i < n; i++)
        out[i] = 0;
    for (size_t a = 0; a < n; a++)
        for (size_t b = a + 1; b < n; b++) {
            struct gf_ksum win = {0, 0}, tot = {0, 0};
            for (size_t j = 0; j < m; j++) {
                double va = x[a * m + j], vb = x[b * m + j];
                if (isnan(va) || isnan(vb))
                    continue;
                gf_ksum_add(&tot, w[j]);
                if (va > vb)
                    gf_ksum_add(&win, w[j]);
                else if (va == vb)
                    gf_ksum_add(&win, 0.5 * w[j]);
            }
            double T = gf_ksum_value(&tot), W = gf_ksum_value(&win);
            if (!(T > 0))
                return EVAL_ERR(e, "Copeland: units %zu and %zu share no indicator with weight",
                                a + 1, b + 1);
            double share = W / T;
            if (share > 0.5) {
                out[a] += 1;
                out[b] -= 1;
            } else if (share < 0.5) {
                out[a] -= 1;
                out[b] += 1;
            }
        }
    return GF_OK;
}

int gf_eval_topsis(const double *x, size_t n, size_t m, const double *w, const int *dir, int flags,
                   double *cl, struct gf_err *e)
{
    if (n < 2)
        return EVAL_ERR(e, "TOPSIS: need at least two units, got %zu", n);
    if (m < 1)
        return EVAL_ERR(e, "TOPSIS: no criteria");
    double *r = malloc(n * m * sizeof *r), *best = malloc(m * sizeof *best),
           *worst = malloc(m * sizeof *worst);
    int rc = GF_OK;
    if (!r || !best || !worst) {
        rc = EVAL_NOMEM(e);
        goto out;
    }
    struct gf_ksum ws = {0, 0};
    for (size_t j = 0; j < m; j++) {
        if (!(w[j] >= 0) || !isfinite(w[j])) {
            rc = EVAL_ERR(e, "TOPSIS: weight %zu is %g: expected ≥ 0", j + 1, w[j]);
            goto out;
        }
        gf_ksum_add(&ws, w[j]);
    }
    double W = gf_ksum_value(&ws);
    if (!(W > 0)) {
        rc = EVAL_ERR(e, "TOPSIS: the weights sum to zero");
        goto out;
    }
    for (size_t j = 0; j < m; j++) {
        struct gf_ksum ss = {0, 0};
        double big = 0;
        for (size_t i = 0; i < n; i++) {
            double v = x[i * m + j];
            if (!isfinite(v)) {
                rc = EVAL_ERR(e, "TOPSIS: unit %zu, criterion %zu: value is %s", i + 1, j + 1,
                              isnan(v) ? "missing" : "not finite");
                goto out;
            }
            big = fabs(v) > big ? fabs(v) : big;
        }
        /* x/√Σx² is scale-free: scale by a power of two so Σx² stays finite near ±DBL_MAX */
        double sc = (flags & GF_TOPSIS_NO_VECTOR) ? 1 : gf_eval__pow2_scale(big, 500);
        for (size_t i = 0; i < n; i++) {
            double v = x[i * m + j] / sc;
            gf_ksum_add(&ss, v * v);
        }
        double norm = (flags & GF_TOPSIS_NO_VECTOR) ? 1 : sqrt(gf_ksum_value(&ss));
        if (!(norm > 0)) {
            rc = EVAL_ERR(e, "TOPSIS: criterion %zu is all zero: cannot normalise", j + 1);
            goto out;
        }
        double wj = (flags & GF_TOPSIS_WEIGHTS_IN_DISTANCE) ? 1 : w[j] / W;
        double mn = INFINITY, mx = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            double v = x[i * m + j] / sc / norm * wj;
            r[i * m + j] = v;
            mn = v < mn ? v : mn;
            mx = v > mx ? v : mx;
        }
        int cost = dir && dir[j] == GF_EVAL_NEG;
        best[j] = cost ? mn : mx;
        worst[j] = cost ? mx : mn;
    }
    for (size_t i = 0; i < n; i++) {
        struct gf_ksum dp = {0, 0}, dm = {0, 0};
        for (size_t j = 0; j < m; j++) {
            double f = (flags & GF_TOPSIS_WEIGHTS_IN_DISTANCE) ? w[j] / W : 1;
            double a = r[i * m + j] - best[j], b = r[i * m + j] - worst[j];
            gf_ksum_add(&dp, f * a * a);
            gf_ksum_add(&dm, f * b * b);
        }
        double Dp = sqrt(gf_ksum_value(&dp)), Dm = sqrt(gf_ksum_value(&dm));
        if (!(Dp + Dm > 0)) {
            rc = EVAL_ERR(e, "TOPSIS: the ideal and anti-ideal coincide (all units equal on every "
                             "weighted criterion): closeness undefined");
            goto out;
        }
        cl[i] = Dm / (Dp + Dm);
    }
out:
    free(r);
    free(best);
    free(worst);
    return rc;
}

void gf_eval__rank_radix(const double *s, size_t n, size_t stride, int higher_better, int *rank,
                         uint64_t *key, uint64_t *key2, uint32_t *idx, uint32_t *idx2)
{
    size_t k = 0; /* non-missing first, in index order */
    for (size_t i = 0; i < n; i++) {
        double v = s[i * stride];
        rank[i] = 0;
        if (isnan(v))
            continue;
        if (higher_better)
            v = -v;
        if (v == 0)
            v = 0; /* −0 and +0 are equal scores */
        uint64_t u;
        memcpy(&u, &v, sizeof u);
        key[k] = (u >> 63) ? ~u : u | 0x8000000000000000ull;
        idx[k++] = (uint32_t)i;
    }
    /* LSD radix on the high 32 bits (sign, exponent, 20 bits of mantissa: scores that differ
     * by more than ~1e-6 relative are ordered here), passes where all keys share a byte
     * skipped; then runs with equal high halves are finished by insertion sort on the whole
     * key (stable, so equal scores stay in index order). */
    size_t cnt[256];
    for (int pass = 4; pass < 8; pass++) {
        int sh = pass * 8;
        memset(cnt, 0, sizeof cnt);
        for (size_t q = 0; q < k; q++)
            cnt[(key[q] >> sh) & 0xFF]++;
        if (k == 0 || cnt[(key[0] >> sh) & 0xFF] == k)
            continue; /* every key has the same byte here */
        size_t sum = 0;
        for (int b = 0; b < 256; b++) {
            size_t c = cnt[b];
            cnt[b] = sum;
            sum += c;
        }
        for (size_t q = 0; q < k; q++) {
            size_t d = cnt[(key[q] >> sh) & 0xFF]++;
            key2[d] = key[q];
            idx2[d] = idx[q];
        }
        uint64_t *tk = key;
        key = key2;
        key2 = tk;
        uint32_t *ti = idx;
        idx = idx2;
        idx2 = ti;
    }
    for (size_t a = 0; a < k;) {
        size_t b = a + 1;
        while (b < k && (key[b] >> 32) == (key[a] >> 32))
            b++;
        for (size_t q = a + 1; q < b; q++) { /* run [a, b): usually of length 1 */
            uint64_t kv = key[q];
            uint32_t iv = idx[q];
            size_t r = q;
            while (r > a && key[r - 1] > kv) {
                key[r] = key[r - 1];
                idx[r] = idx[r - 1];
                r--;
            }
            key[r] = kv;
            idx[r] = iv;
        }
        a = b;
    }
    for (size_t a = 0; a < k;) {
        size_t b = a;
        while (b + 1 < k && key[b + 1] == key[a])
            b++;
        for (size_t c = a; c <= b; c++)
            rank[idx[c]] = (int)a + 1;
        a = b + 1;
    }
}

void gf_eval_rank(const double *s, size_t n, size_t stride, int higher_better, int *rank)
{
    size_t nn = n ? n : 1;
    uint64_t *k1 = malloc(nn * sizeof *k1), *k2 = malloc(nn * sizeof *k2);
    uint32_t *i1 = malloc(nn * sizeof *i1), *i2 = malloc(nn * sizeof *i2);
    if (k1 && k2 && i1 && i2)
        gf_eval__rank_radix(s, n, stride, higher_better, rank, k1, k2, i1, i2);
    else /* O(n²) without memory */
        for (size_t i = 0; i < n; i++) {
            double v = s[i * stride];
            rank[i] = 0;
            if (isnan(v))
                continue;
            int r = 1;
            for (size_t q = 0; q < n; q++) {
                double u = s[q * stride];
                if (!isnan(u) && (higher_better ? u > v : u < v))
                    r++;
            }
            rank[i] = r;
        }
    free(k1);
    free(k2);
    free(i1);
    free(i2);
}

int gf_eval_strengths(const int *rank, size_t n, size_t m, size_t k, int *best, int *worst,
                      struct gf_err *e)
{
    if (k < 1)
        return EVAL_ERR(e, "strengths: k must be at least 1");
    for (size_t i = 0; i < n; i++) {
        const int *r = rank + i * m;
        for (size_t q = 0; q < k; q++) {
            int bj = -1, wj = -1;
            for (size_t j = 0; j < m; j++) {
                if (r[j] <= 0)
                    continue;
                int used_b = 0, used_w = 0;
                for (size_t u = 0; u < q; u++) {
                    used_b |= best[i * k + u] == (int)j;
                    used_w |= worst[i * k + u] == (int)j;
                }
                if (!used_b && (bj < 0 || r[j] < r[bj]))
                    bj = (int)j;
                if (!used_w && (wj < 0 || r[j] > r[wj]))
                    wj = (int)j;
            }
            best[i * k + q] = bj;
            worst[i * k + q] = wj;
        }
    }
    return GF_OK;
}

const char *gf_eval_track_name(enum gf_eval_track s)
{
    switch (s) {
    case GF_TRACK_ON:
        return "on_track";
    case GF_TRACK_RISK:
        return "at_risk";
    case GF_TRACK_OFF:
        return "off_track";
    case GF_TRACK_MET:
        return "met";
    }
    return "?";
}

int gf_eval_target_track(const double *values, const int *years, size_t k, double target,
                         int target_year, int direction, int window, double risk_share,
                         struct gf_eval_track_result *r, struct gf_err *e)
{
    if (direction != 1 && direction != -1)
        return EVAL_ERR(e, "target tracking: direction must be +1 or -1");
    if (window < 1 || !(risk_share >= 0 && risk_share <= 1))
        return EVAL_ERR(e, "target tracking: window ≥ 1 and risk share in [0,1] expected");
    if (!(target > 0))
        return EVAL_ERR(e, "target tracking: target %g: expected a positive target", target);
    long last = -1;
    for (size_t t = 0; t < k; t++) {
        if (isnan(values[t]))
            continue;
        if (!(values[t] > 0))
            return EVAL_ERR(e, "target tracking: value %g in %d: growth rates need values > 0",
                            values[t], years[t]);
        if (last >= 0 && years[t] <= years[last])
            return EVAL_ERR(e, "target tracking: years must increase (%d after %d)", years[t],
                            years[last]);
        last = (long)t;
    }
    if (last < 0)
        return EVAL_ERR(e, "target tracking: no value");
    long first = -1;
    for (size_t t = 0; t < (size_t)last; t++)
        if (!isnan(values[t]) && years[last] - years[t] <= window) {
            first = (long)t;
            break;
        }
    if (first < 0)
        return EVAL_ERR(
            e, "target tracking: need two values within %d years to measure recent growth", window);
    r->last = values[last];
    r->last_year = years[last];
    r->recent = pow(values[last] / values[first], 1.0 / (years[last] - years[first])) - 1;
    int met = direction > 0 ? r->last >= target : r->last <= target;
    if (target_year > r->last_year)
        r->needed = pow(target / r->last, 1.0 / (target_year - r->last_year)) - 1;
    else
        r->needed = met ? 0 : INFINITY * direction;
    if (met) {
        r->status = GF_TRACK_MET;
        return GF_OK;
    }
    if (target_year <= r->last_year) {
        r->status = GF_TRACK_OFF;
        return GF_OK;
    }
    double pn = r->needed * direction, pr = r->recent * direction;
    if (pr >= pn)
        r->status = GF_TRACK_ON;
    else if (pr > 0 && pr >= risk_share * pn)
        r->status = GF_TRACK_RISK;
    else
        r->status = GF_TRACK_OFF;
    return GF_OK;
}

/* ---- trees ---- */

size_t gf_eval__root(const struct gf_eval_tree *t)
{
    for (size_t k = t->nleaf; k < t->nnode; k++)
        if (t->node[k].parent < 0)
            return k;
    return 0;
}

int gf_eval__ctree_build(const struct gf_eval_tree *t, struct gf_eval__ctree *c, struct gf_err *e)
{
    memset(c, 0, sizeof *c);
    int rc = gf_eval_tree_check(t, e);
    if (rc)
        return rc;
    size_t nn = t->nnode;
    c->nagg = nn - t->nleaf;
    c->order = malloc(c->nagg * sizeof *c->order);
    c->cstart = calloc(nn + 1, sizeof *c->cstart);
    c->child = malloc(nn * sizeof *c->child);
    size_t *depth = calloc(nn, sizeof *depth), *fill = calloc(nn, sizeof *fill);
    if (!c->order || !c->cstart || !c->child || !depth || !fill) {
        free(depth);
        free(fill);
        gf_eval__ctree_free(c);
        return EVAL_NOMEM(e);
    }
    for (size_t k = 0; k < nn; k++) {
        if (t->node[k].parent >= 0)
            c->cstart[t->node[k].parent + 1]++;
        size_t d = 0;
        for (int p = t->node[k].parent; p >= 0; p = t->node[p].parent)
            d++;
        depth[k] = d;
    }
    for (size_t k = 0; k < nn; k++)
        c->cstart[k + 1] += c->cstart[k];
    for (size_t k = 0; k < nn; k++)
        if (t->node[k].parent >= 0) {
            size_t p = (size_t)t->node[k].parent;
            c->child[c->cstart[p] + fill[p]++] = k;
        }
    for (size_t k = 0; k < c->nagg; k++)
        c->order[k] = t->nleaf + k;
    /* deepest first; insertion sort (trees are small), stable */
    for (size_t a = 1; a < c->nagg; a++) {
        size_t v = c->order[a], b = a;
        while (b > 0 && depth[c->order[b - 1]] < depth[v]) {
            c->order[b] = c->order[b - 1];
            b--;
        }
        c->order[b] = v;
    }
    free(depth);
    free(fill);
    return GF_OK;
}

void gf_eval__ctree_free(struct gf_eval__ctree *c)
{
    free(c->order);
    free(c->cstart);
    free(c->child);
    memset(c, 0, sizeof *c);
}

int gf_eval_score_tree(const double *y, size_t n, const struct gf_eval_tree *t, const double *w,
                       const struct gf_eval_aggspec *agg, double *score, int *rank,
                       struct gf_err *e)
{
    struct gf_eval__ctree c;
    int rc = gf_eval__ctree_build(t, &c, e);
    if (rc)
        return rc;
    if (n < 2) {
        gf_eval__ctree_free(&c);
        return EVAL_ERR(e, "scoring: need at least two units, got %zu", n);
    }
    size_t nn = t->nnode, m = t->nleaf;
    size_t maxc = 0;
    for (size_t k = 0; k < nn; k++)
        if (c.cstart[k + 1] - c.cstart[k] > maxc)
            maxc = c.cstart[k + 1] - c.cstart[k];
    double *buf = malloc(n * maxc * sizeof *buf), *wb = malloc(maxc * sizeof *wb),
           *out = malloc(n * sizeof *out);
    if (!buf || !wb || !out) {
        rc = EVAL_NOMEM(e);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < m; j++)
            score[i * nn + j] = y[i * m + j];
        for (size_t k = m; k < nn; k++)
            score[i * nn + k] = NAN;
    }
    for (size_t q = 0; q < c.nagg; q++) {
        size_t k = c.order[q], c0 = c.cstart[k], nc = c.cstart[k + 1] - c0;
        for (size_t a = 0; a < nc; a++) {
            size_t ch = c.child[c0 + a];
            wb[a] = w ? w[ch] : t->node[ch].weight;
            for (size_t i = 0; i < n; i++)
                buf[i * nc + a] = score[i * nn + ch];
        }
        if (agg->method == GF_AGG_TOPSIS)
            rc = gf_eval_topsis(buf, n, nc, wb, NULL, agg->topsis_flags, out, e);
        else
            rc = gf_eval_aggregate(buf, n, nc, wb, agg->method, agg->p, out, e);
        if (rc) {
            gf_err_prefix(e, "node %s", t->node[k].code ? t->node[k].code : "?");
            goto done;
        }
        for (size_t i = 0; i < n; i++)
            score[i * nn + k] = out[i];
    }
    if (rank)
        for (size_t k = 0; k < nn; k++) {
            int *rk = malloc(n * sizeof *rk);
            if (!rk) {
                rc = EVAL_NOMEM(e);
                goto done;
            }
            gf_eval_rank(score + k, n, nn, 1, rk);
            for (size_t i = 0; i < n; i++)
                rank[i * nn + k] = rk[i];
            free(rk);
        }
done:
    free(buf);
    free(wb);
    free(out);
    gf_eval__ctree_free(&c);
    return rc;
}

int gf_eval_contributions(const double *y, size_t n, const struct gf_eval_tree *t, const double *w,
                          double *contrib, struct gf_err *e)
{
    size_t nn = t->nnode, m = t->nleaf;
    struct gf_eval__ctree c;
    int rc = gf_eval__ctree_build(t, &c, e);
    if (rc)
        return rc;
    double *score = malloc(n * nn * sizeof *score), *fac = malloc(nn * sizeof *fac);
    if (!score || !fac) {
        rc = EVAL_NOMEM(e);
        goto done;
    }
    struct gf_eval_aggspec ar = {GF_AGG_ARITH, 1, 0};
    rc = gf_eval_score_tree(y, n, t, w, &ar, score, NULL, e);
    if (rc)
        goto done;
    for (size_t i = 0; i < n; i++) {
        const double *s = score + i * nn;
        for (size_t k = 0; k < nn; k++)
            fac[k] = 0;
        fac[gf_eval__root(t)] = 1;
        for (size_t q = c.nagg; q-- > 0;) { /* root first */
            size_t k = c.order[q], c0 = c.cstart[k], nc = c.cstart[k + 1] - c0;
            struct gf_ksum sw = {0, 0};
            for (size_t a = 0; a < nc; a++) {
                size_t ch = c.child[c0 + a];
                if (!isnan(s[ch]))
                    gf_ksum_add(&sw, w ? w[ch] : t->node[ch].weight);
            }
            double W = gf_ksum_value(&sw);
            for (size_t a = 0; a < nc; a++) {
                size_t ch = c.child[c0 + a];
                fac[ch] = isnan(s[ch]) ? 0 : fac[k] * (w ? w[ch] : t->node[ch].weight) / W;
            }
        }
        for (size_t j = 0; j < m; j++)
            contrib[i * m + j] = isnan(y[i * m + j]) ? 0 : fac[j] * y[i * m + j];
    }
done:
    free(score);
    free(fac);
    gf_eval__ctree_free(&c);
    return rc;
}
