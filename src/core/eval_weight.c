/* eval_weight.c — weights: entropy (with an explicit zero shift), CRITIC, equal, combinations,
 * and effective weights down a framework tree.  No I/O. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/eval_int.h"
#include "core/ksum.h"

int gf_eval_shift_parse(const char *s)
{
    if (strcmp(s, "none") == 0)
        return GF_SHIFT_NONE;
    if (strcmp(s, "0.0001") == 0 || strcmp(s, "1e-4") == 0)
        return GF_SHIFT_1E4;
    if (strcmp(s, "0.01") == 0 || strcmp(s, "1e-2") == 0)
        return GF_SHIFT_1E2;
    if (strcmp(s, "rescale") == 0)
        return GF_SHIFT_RESCALE;
    return -1;
}

int gf_eval_weight_parse(const char *s)
{
    static const char *const names[] = {"framework", "equal", "entropy", "critic"};
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

int gf_eval_weights_entropy(const double *x, size_t n, size_t m, enum gf_eval_shift shift,
                            const int *dir, double *w, struct gf_err *e)
{
    if (n < 2)
        return EVAL_ERR(e, "entropy weights: need at least two units, got %zu", n);
    if (m < 1)
        return EVAL_ERR(e, "entropy weights: no indicators");
    if ((int)shift < 0 || shift > GF_SHIFT_RESCALE)
        return EVAL_ERR(e, "entropy weights: unknown zero shift %d", (int)shift);
    double *col = malloc(n * sizeof *col);
    if (!col)
        return EVAL_NOMEM(e);
    struct gf_ksum total = {0, 0};
    const double lnn = log((double)n);
    size_t nvar = 0; /* columns that are not constant */
    int rc = GF_OK;
    for (size_t j = 0; j < m; j++) {
        double mn = INFINITY, mx = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            double v = x[i * m + j];
            if (isnan(v) || !isfinite(v)) {
                rc = EVAL_ERR(e,
                              "entropy weights: column %zu, unit %zu: value is %s: impute missing "
                              "values first",
                              j + 1, i + 1, isnan(v) ? "missing" : "not finite");
                goto out;
            }
            mn = v < mn ? v : mn;
            mx = v > mx ? v : mx;
            col[i] = v;
        }
        double big = fabs(mn) > fabs(mx) ? fabs(mn) : fabs(mx);
        double sc = gf_eval__pow2_scale(big, 500); /* p = y/Σy is scale-free */
        if (shift == GF_SHIFT_RESCALE) {
            if (!(mx > mn)) {
                rc = EVAL_ERR(e, "entropy weights: column %zu is constant: cannot rescale", j + 1);
                goto out;
            }
            int neg = dir && dir[j] == GF_EVAL_NEG;
            for (size_t i = 0; i < n; i++)
                col[i] = 0.002 + 0.998 * (neg ? mx / sc - col[i] / sc : col[i] / sc - mn / sc) /
                                     (mx / sc - mn / sc);
            sc = 1;
        } else {
            double add = shift == GF_SHIFT_1E4 ? 0.0001 : shift == GF_SHIFT_1E2 ? 0.01 : 0;
            if (mn < 0) {
                rc =
                    EVAL_ERR(e,
                             "entropy weights: column %zu has a negative value (%g): entropy needs "
                             "values ≥ 0 (normalise first or use --shift rescale)",
                             j + 1, mn);
                goto out;
            }
            for (size_t i = 0; i < n; i++)
                col[i] += add;
        }
        /* a constant column has every p = 1/n, so e_j = 1 and its weight is 0 exactly: decided
         * by comparing the values, not by the rounding of Σ p ln p (which lands on either side
         * of 1 depending on n) */
        size_t same = 1;
        while (same < n && col[same] == col[0])
            same++;
        if (same == n && col[0] > 0) {
            w[j] = 0;
            continue;
        }
        struct gf_ksum s = {0, 0};
        for (size_t i = 0; i < n; i++)
            gf_ksum_add(&s, col[i] / sc);
        double sum = gf_ksum_value(&s);
        if (!(sum > 0)) {
            rc = EVAL_ERR(e,
                          "entropy weights: column %zu is all zero: p = y/Σy is undefined (use a "
                          "zero shift)",
                          j + 1);
            goto out;
        }
        nvar++;
        struct gf_ksum h = {0, 0};
        for (size_t i = 0; i < n; i++) {
            double p = col[i] / sc / sum;
            if (p > 0)
                gf_ksum_add(&h, p * log(p));
        }
        double ej = -gf_ksum_value(&h) / lnn;
        w[j] = 1 - ej;
        gf_ksum_add(&total, w[j]);
    }
    if (nvar == 0) {
        rc = EVAL_ERR(e, "entropy weights: every indicator is constant (no variation): weights "
                         "undefined");
        goto out;
    }
    double tot = gf_ksum_value(&total);
    if (!(tot > 0)) {
        rc = EVAL_ERR(e, "entropy weights: every indicator has maximal entropy (no variation): "
                         "weights undefined");
        goto out;
    }
    for (size_t j = 0; j < m; j++) {
        w[j] /= tot;
        if (w[j] < 0 && w[j] > -1e-15) /* e_j may exceed 1 by rounding */
            w[j] = 0;
    }
out:
    free(col);
    return rc;
}

int gf_eval_weights_critic(const double *x, size_t n, size_t m, double *w, struct gf_err *e)
{
    if (n < 2)
        return EVAL_ERR(e, "CRITIC weights: need at least two units, got %zu", n);
    if (m < 2)
        return EVAL_ERR(e, "CRITIC weights: need at least two indicators, got %zu", m);
    double *mean = calloc(m, sizeof *mean), *sd = calloc(m, sizeof *sd);
    double *scl = calloc(m, sizeof *scl);
    double *z = malloc(n * m * sizeof *z);
    int rc = GF_OK;
    if (!mean || !sd || !scl || !z) {
        rc = EVAL_NOMEM(e);
        goto out;
    }
    /* columns are scaled by a power of two (scl[j], 1 for ordinary data) so that means and
     * squares of values near ±DBL_MAX stay finite; r is scale-free and σ_j is scaled back
     * relative to the largest scale (so C_j too stays finite) */
    double smax = 1;
    for (size_t j = 0; j < m; j++) {
        double mn = INFINITY, mx = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            double v = x[i * m + j];
            if (!isfinite(v)) {
                rc = EVAL_ERR(e, "CRITIC weights: column %zu, unit %zu: value is %s", j + 1, i + 1,
                              isnan(v) ? "missing" : "not finite");
                goto out;
            }
            mn = v < mn ? v : mn;
            mx = v > mx ? v : mx;
        }
        if (!(mx > mn)) { /* exact: every value equal */
            rc = EVAL_ERR(
                e, "CRITIC weights: column %zu is constant: its correlations are undefined", j + 1);
            goto out;
        }
        scl[j] = gf_eval__pow2_scale(fabs(mn) > fabs(mx) ? fabs(mn) : fabs(mx), 500);
        smax = scl[j] > smax ? scl[j] : smax;
        struct gf_ksum s = {0, 0};
        for (size_t i = 0; i < n; i++)
            gf_ksum_add(&s, x[i * m + j] / scl[j]);
        mean[j] = gf_ksum_value(&s) / (double)n;
        struct gf_ksum d = {0, 0};
        for (size_t i = 0; i < n; i++) {
            double dv = x[i * m + j] / scl[j] - mean[j];
            z[j * n + i] = dv;
            gf_ksum_add(&d, dv * dv);
        }
        sd[j] = sqrt(gf_ksum_value(&d) / (double)n);
    }
    struct gf_ksum total = {0, 0};
    for (size_t j = 0; j < m; j++) {
        struct gf_ksum c = {0, 0};
        for (size_t k = 0; k < m; k++) {
            if (k == j)
                continue;
            struct gf_ksum cov = {0, 0};
            for (size_t i = 0; i < n; i++)
                gf_ksum_add(&cov, z[j * n + i] * z[k * n + i]);
            double r = gf_ksum_value(&cov) / (double)n / (sd[j] * sd[k]);
            gf_ksum_add(&c, 1 - r);
        }
        w[j] = sd[j] * (scl[j] / smax) * gf_ksum_value(&c);
        gf_ksum_add(&total, w[j]);
    }
    double tot = gf_ksum_value(&total);
    if (!(tot > 0)) {
        rc = EVAL_ERR(e, "CRITIC weights: all indicators perfectly correlated: weights undefined");
        goto out;
    }
    for (size_t j = 0; j < m; j++)
        w[j] /= tot;
out:
    free(mean);
    free(sd);
    free(scl);
    free(z);
    return rc;
}

void gf_eval_weights_equal(size_t m, double *w)
{
    for (size_t j = 0; j < m; j++)
        w[j] = 1.0 / (double)m;
}

int gf_eval_weights_combine(const double *w1, const double *w2, size_t m, enum gf_eval_combine how,
                            double *w, struct gf_err *e)
{
    struct gf_ksum a = {0, 0}, b = {0, 0}, t = {0, 0};
    for (size_t j = 0; j < m; j++) {
        if (!(w1[j] >= 0) || !(w2[j] >= 0))
            return EVAL_ERR(e, "combine weights: weight %zu is negative or missing", j + 1);
        gf_ksum_add(&a, w1[j]);
        gf_ksum_add(&b, w2[j]);
    }
    double sa = gf_ksum_value(&a), sb = gf_ksum_value(&b);
    if (!(sa > 0) || !(sb > 0))
        return EVAL_ERR(e, "combine weights: a weight vector sums to zero");
    for (size_t j = 0; j < m; j++) {
        w[j] =
            how == GF_COMBINE_PRODUCT ? (w1[j] / sa) * (w2[j] / sb) : (w1[j] / sa + w2[j] / sb) / 2;
        gf_ksum_add(&t, w[j]);
    }
    double st = gf_ksum_value(&t);
    if (!(st > 0))
        return EVAL_ERR(e, "combine weights: the product of the two schemes is zero everywhere");
    for (size_t j = 0; j < m; j++)
        w[j] /= st;
    return GF_OK;
}

int gf_eval_tree_check(const struct gf_eval_tree *t, struct gf_err *e)
{
    if (!t || !t->node || t->nleaf < 1 || t->nnode <= t->nleaf)
        return EVAL_ERR(e, "framework: need at least one indicator and one aggregate node");
    size_t nroot = 0;
    size_t *nchild = calloc(t->nnode, sizeof *nchild);
    if (!nchild)
        return EVAL_NOMEM(e);
    int rc = GF_OK;
    for (size_t k = 0; k < t->nnode; k++) {
        const struct gf_eval_node *nd = t->node + k;
        const char *c = nd->code ? nd->code : "?";
        if (nd->parent < 0) {
            if (k < t->nleaf) {
                rc = EVAL_ERR(e, "framework: indicator %s has no parent", c);
                goto out;
            }
            nroot++;
            continue;
        }
        if ((size_t)nd->parent >= t->nnode || (size_t)nd->parent < t->nleaf) {
            rc = EVAL_ERR(e, "framework: node %s: parent must be an aggregate node", c);
            goto out;
        }
        if (!(nd->weight > 0) || !isfinite(nd->weight)) {
            rc = EVAL_ERR(e, "framework: node %s: weight %g: expected a positive number", c,
                          nd->weight);
            goto out;
        }
        nchild[nd->parent]++;
        /* walk up: a path longer than nnode means a cycle */
        size_t steps = 0;
        for (int p = nd->parent; p >= 0; p = t->node[p].parent)
            if (++steps > t->nnode) {
                rc = EVAL_ERR(e, "framework: node %s: its parents form a cycle", c);
                goto out;
            }
    }
    if (nroot != 1) {
        rc = EVAL_ERR(e, "framework: expected exactly one root (the index), found %zu", nroot);
        goto out;
    }
    for (size_t k = t->nleaf; k < t->nnode; k++)
        if (nchild[k] == 0) {
            rc = EVAL_ERR(e, "framework: aggregate %s has no children",
                          t->node[k].code ? t->node[k].code : "?");
            goto out;
        }
out:
    free(nchild);
    return rc;
}

int gf_eval_tree_effective(const struct gf_eval_tree *t, double *eff, struct gf_err *e)
{
    int rc = gf_eval_tree_check(t, e);
    if (rc)
        return rc;
    double *sib = calloc(t->nnode, sizeof *sib);
    struct gf_ksum *ks = calloc(t->nnode, sizeof *ks);
    if (!sib || !ks) {
        free(sib);
        free(ks);
        return EVAL_NOMEM(e);
    }
    for (size_t k = 0; k < t->nnode; k++)
        if (t->node[k].parent >= 0)
            gf_ksum_add(&ks[t->node[k].parent], t->node[k].weight);
    for (size_t k = 0; k < t->nnode; k++)
        sib[k] = gf_ksum_value(&ks[k]);
    free(ks);
    for (size_t k = 0; k < t->nnode; k++) {
        double v = 1;
        for (size_t c = k; t->node[c].parent >= 0; c = (size_t)t->node[c].parent)
            v *= t->node[c].weight / sib[t->node[c].parent];
        eff[k] = v;
    }
    free(sib);
    return GF_OK;
}
