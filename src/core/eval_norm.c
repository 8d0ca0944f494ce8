/* eval_norm.c — normalisation methods (min-max, z-score, ranks, distance to target,
 * goalposts, attainment 实现程度, vector) with indicator direction.  No I/O. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/eval_int.h"
#include "core/ksum.h"

static const char *const norm_names[] = {"none",        "minmax",    "zscore",     "rank",  "prank",
                                         "dist_target", "goalposts", "attainment", "vector"};

int gf_eval_norm_parse(const char *s)
{
    for (int i = 0; i < (int)(sizeof norm_names / sizeof *norm_names); i++)
        if (strcmp(s, norm_names[i]) == 0)
            return i;
    return -1;
}

const char *gf_eval_norm_name(enum gf_eval_norm_method m)
{
    return (int)m >= 0 && (size_t)m < sizeof norm_names / sizeof *norm_names ? norm_names[m] : "?";
}

void gf_eval_norm_default(struct gf_eval_norm *nm, enum gf_eval_norm_method method)
{
    nm->method = method;
    nm->l = 0;
    nm->u = 1;
    nm->cap = 1;
}

int gf_eval_attainment(double x, const struct gf_eval_ind *ind, double *out, struct gf_err *e)
{
    const char *code = ind && ind->code ? ind->code : "?";
    if (isnan(x))
        return EVAL_ERR(e, "attainment: indicator %s: value is missing", code);
    if (ind->direction == GF_EVAL_BAND) {
        double bl = ind->band_lo, bh = ind->band_hi, ll = ind->lim_lo, lh = ind->lim_hi;
        if (isnan(bl) || isnan(bh) || isnan(ll) || isnan(lh) || !(ll <= bl && bl <= bh && bh <= lh))
            return EVAL_ERR(e,
                            "attainment: interval indicator %s needs limits lo ≤ band_lo ≤ band_hi "
                            "≤ hi, got %g, %g, %g, %g",
                            code, ll, bl, bh, lh);
        double a;
        if (x >= bl && x <= bh)
            a = 1;
        else if (x < bl)
            a = x <= ll ? 0 : (x - ll) / (bl - ll);
        else
            a = x >= lh ? 0 : (lh - x) / (lh - bh);
        *out = a;
        return GF_OK;
    }
    double t = ind->target;
    if (isnan(t))
        return EVAL_ERR(e, "attainment: indicator %s has no target", code);
    if (!(t > 0))
        return EVAL_ERR(e, "attainment: indicator %s: target %g: expected a positive target", code,
                        t);
    double a;
    if (ind->direction == GF_EVAL_NEG)
        a = x <= 0 ? 1 : t / x; /* at or below zero beats any positive ceiling */
    else
        a = x / t; /* a negative value (a fall where growth is wanted) attains nothing */
    *out = a > 1 ? 1 : a < 0 ? 0 : a;
    return GF_OK;
}

int gf_eval_normalise_column(double *v, size_t n, size_t stride, const struct gf_eval_ind *ind,
                             const struct gf_eval_norm *nm, struct gf_err *e)
{
    const char *code = ind && ind->code ? ind->code : "?";
    int dir = ind ? ind->direction : GF_EVAL_POS;
    const char *mname = gf_eval_norm_name(nm->method);
    if (nm->method == GF_NORM_NONE)
        return GF_OK;
    if (dir == GF_EVAL_BAND && nm->method != GF_NORM_ATTAIN)
        return EVAL_ERR(e,
                        "normalise %s: indicator %s is an interval indicator: only attainment can "
                        "normalise it",
                        mname, code);
    double mn = INFINITY, mx = -INFINITY;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        double x = v[i * stride];
        if (isnan(x))
            continue;
        if (!isfinite(x))
            return EVAL_ERR(e, "normalise %s: indicator %s, unit %zu: value %g is not finite",
                            mname, code, i + 1, x);
        k++;
        mn = x < mn ? x : mn;
        mx = x > mx ? x : mx;
    }
    if (k == 0)
        return EVAL_ERR(e, "normalise %s: indicator %s has no data (all missing)", mname, code);
    /* ranges, means and sums of squares are taken on values divided by sc (a power of two, 1
     * for ordinary data) so that a column near ±DBL_MAX does not overflow: every method here
     * is scale-free or scaled back exactly */
    double big = fabs(mn) > fabs(mx) ? fabs(mn) : fabs(mx);
    if (ind && (nm->method == GF_NORM_DIST_TARGET || nm->method == GF_NORM_GOALPOSTS)) {
        double extra[3] = {ind->target, ind->goal_lo, ind->goal_hi};
        for (int q = 0; q < 3; q++)
            if (isfinite(extra[q]) && fabs(extra[q]) > big)
                big = fabs(extra[q]);
    }
    double sc = gf_eval__pow2_scale(big, 500);
    struct gf_ksum s = {0, 0}, ss = {0, 0};
    for (size_t i = 0; i < n; i++) {
        double x = v[i * stride] / sc;
        if (!isnan(x)) {
            gf_ksum_add(&s, x);
            gf_ksum_add(&ss, x * x);
        }
    }
    double sgn = dir == GF_EVAL_NEG ? -1 : 1;
    switch (nm->method) {
    case GF_NORM_MINMAX:
        if (!(mx > mn))
            return EVAL_ERR(e,
                            "normalise minmax: indicator %s is constant (all values %g): cannot "
                            "scale",
                            code, mn);
        for (size_t i = 0; i < n; i++) {
            double *p = v + i * stride;
            if (isnan(*p))
                continue;
            double r = dir == GF_EVAL_NEG ? (mx / sc - *p / sc) / (mx / sc - mn / sc)
                                          : (*p / sc - mn / sc) / (mx / sc - mn / sc);
            *p = nm->l + (nm->u - nm->l) * r;
        }
        return GF_OK;
    case GF_NORM_ZSCORE: {
        if (k < 2 || !(mx > mn))
            return EVAL_ERR(e,
                            "normalise zscore: indicator %s is constant or has fewer than two "
                            "values",
                            code);
        double mean = gf_ksum_value(&s) / (double)k;
        struct gf_ksum d2 = {0, 0};
        for (size_t i = 0; i < n; i++)
            if (!isnan(v[i * stride])) {
                double d = v[i * stride] / sc - mean;
                gf_ksum_add(&d2, d * d);
            }
        double sd = sqrt(gf_ksum_value(&d2) / (double)(k - 1));
        for (size_t i = 0; i < n; i++) {
            double *p = v + i * stride;
            if (!isnan(*p))
                *p = nm->l + nm->u * sgn * (*p / sc - mean) / sd;
        }
        return GF_OK;
    }
    case GF_NORM_RANK:
    case GF_NORM_PRANK: {
        if (nm->method == GF_NORM_PRANK && !(mx > mn))
            return EVAL_ERR(e, "normalise prank: indicator %s is constant", code);
        double *key = malloc(k * sizeof *key);
        size_t *idx = malloc(k * sizeof *idx), *pos = malloc(k * sizeof *pos);
        if (!key || !idx || !pos) {
            free(key);
            free(idx);
            free(pos);
            return EVAL_NOMEM(e);
        }
        size_t q = 0;
        for (size_t i = 0; i < n; i++)
            if (!isnan(v[i * stride])) {
                key[q] = sgn * v[i * stride];
                pos[q++] = i;
            }
        gf_eval__order(key, idx, k);
        for (size_t a = 0; a < k;) {
            size_t b = a;
            while (b + 1 < k && key[idx[b + 1]] == key[idx[a]])
                b++;
            double r = nm->method == GF_NORM_RANK ? (double)(a + 1) : (double)a / (double)(k - 1);
            for (size_t c = a; c <= b; c++)
                v[pos[idx[c]] * stride] = r;
            a = b + 1;
        }
        free(key);
        free(idx);
        free(pos);
        return GF_OK;
    }
    case GF_NORM_DIST_TARGET: {
        double t = ind ? ind->target : NAN;
        if (isnan(t))
            return EVAL_ERR(e, "normalise dist_target: indicator %s has no target", code);
        double ref = dir == GF_EVAL_NEG ? mx : mn;
        if (t == ref)
            return EVAL_ERR(e,
                            "normalise dist_target: indicator %s: target %g equals the worst "
                            "value: cannot scale",
                            code, t);
        for (size_t i = 0; i < n; i++) {
            double *p = v + i * stride;
            if (isnan(*p))
                continue;
            double r = (*p / sc - ref / sc) / (t / sc - ref / sc);
            if (nm->cap && r > 1)
                r = 1;
            *p = nm->u * r;
        }
        return GF_OK;
    }
    case GF_NORM_GOALPOSTS: {
        double lo = ind && !isnan(ind->goal_lo) ? ind->goal_lo : mn;
        double hi = ind && !isnan(ind->goal_hi) ? ind->goal_hi : mx;
        if (!(hi > lo))
            return EVAL_ERR(e,
                            "normalise goalposts: indicator %s: goalposts [%g, %g]: expected low < "
                            "high",
                            code, lo, hi);
        for (size_t i = 0; i < n; i++) {
            double *p = v + i * stride;
            if (isnan(*p))
                continue;
            double r = dir == GF_EVAL_NEG ? (hi / sc - *p / sc) / (hi / sc - lo / sc)
                                          : (*p / sc - lo / sc) / (hi / sc - lo / sc);
            r = r < 0 ? 0 : r > 1 ? 1 : r;
            *p = nm->u * r;
        }
        return GF_OK;
    }
    case GF_NORM_ATTAIN:
        if (!ind)
            return EVAL_ERR(e, "normalise attainment: indicator metadata (targets) missing");
        if (dir != GF_EVAL_BAND && isnan(ind->target))
            return EVAL_ERR(
                e,
                "normalise attainment: indicator %s has no target (give it a Target, or "
                "use a pipeline with another normalisation)",
                code);
        for (size_t i = 0; i < n; i++) {
            double *p = v + i * stride, a;
            if (isnan(*p))
                continue;
            int rc = gf_eval_attainment(*p, ind, &a, e);
            if (rc) {
                gf_err_prefix(e, "unit %zu", i + 1);
                return rc;
            }
            *p = nm->u * a;
        }
        return GF_OK;
    case GF_NORM_VECTOR: {
        double norm = sqrt(gf_ksum_value(&ss));
        if (!(norm > 0))
            return EVAL_ERR(e, "normalise vector: indicator %s is all zero", code);
        for (size_t i = 0; i < n; i++) {
            double *p = v + i * stride;
            if (!isnan(*p))
                *p = dir == GF_EVAL_NEG ? 1 - *p / sc / norm : *p / sc / norm;
        }
        return GF_OK;
    }
    default:
        return EVAL_ERR(e, "normalise: unknown method %d", (int)nm->method);
    }
}

int gf_eval_normalise(double *x, size_t n, size_t m, const struct gf_eval_ind *ind,
                      const struct gf_eval_norm *nm, struct gf_err *e)
{
    if (n < 2)
        return EVAL_ERR(e, "normalise: need at least two units, got %zu", n);
    for (size_t j = 0; j < m; j++) {
        int rc = gf_eval_normalise_column(x + j, n, m, ind ? ind + j : NULL, nm, e);
        if (rc)
            return rc;
    }
    return GF_OK;
}
