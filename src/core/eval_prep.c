/* eval_prep.c — data preparation for composite evaluation: denominate, screen, impute
 * (cross-section and panel), skewness/kurtosis and outlier treatment.  No I/O. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/eval_int.h"
#include "core/ksum.h"

void gf_eval_ind_init(struct gf_eval_ind *ind, const char *code)
{
    memset(ind, 0, sizeof *ind);
    ind->code = code;
    ind->direction = GF_EVAL_POS;
    ind->target = NAN;
    ind->band_lo = ind->band_hi = ind->lim_lo = ind->lim_hi = NAN;
    ind->goal_lo = ind->goal_hi = NAN;
    ind->denominator = -1;
}

/* ---- sorting helpers ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void gf_eval__sort(double *a, size_t n)
{
    qsort(a, n, sizeof *a, cmp_double);
}

/* Merge sort of indices by key (stable), bottom-up with a scratch buffer on the stack for
 * small n and insertion sort for tiny runs. */
static void order_merge(const double *key, size_t *idx, size_t *tmp, size_t n)
{
    const size_t run = 16;
    for (size_t s = 0; s < n; s += run) {
        size_t e = s + run < n ? s + run : n;
        for (size_t i = s + 1; i < e; i++) {
            size_t v = idx[i];
            size_t j = i;
            while (j > s && key[idx[j - 1]] > key[v]) {
                idx[j] = idx[j - 1];
                j--;
            }
            idx[j] = v;
        }
    }
    size_t *src = idx, *dst = tmp;
    for (size_t width = run; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t a = lo, b = mid, o = lo;
            while (a < mid && b < hi)
                dst[o++] = key[src[b]] < key[src[a]] ? src[b++] : src[a++];
            while (a < mid)
                dst[o++] = src[a++];
            while (b < hi)
                dst[o++] = src[b++];
        }
        size_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != idx)
        memcpy(idx, src, n * sizeof *idx);
}

void gf_eval__order(const double *key, size_t *idx, size_t n)
{
    size_t stackbuf[256];
    size_t *tmp = n <= 256 ? stackbuf : malloc(n * sizeof *tmp);
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    if (!tmp) { /* fall back to insertion sort: slow but correct */
        for (size_t i = 1; i < n; i++) {
            size_t v = idx[i], j = i;
            while (j > 0 && key[idx[j - 1]] > key[v]) {
                idx[j] = idx[j - 1];
                j--;
            }
            idx[j] = v;
        }
        return;
    }
    order_merge(key, idx, tmp, n);
    if (tmp != stackbuf)
        free(tmp);
}

double gf_eval__quantile7(const double *a, size_t n, double q)
{
    if (n == 0)
        return NAN;
    double h = (double)(n - 1) * q;
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= n)
        return a[n - 1];
    return a[lo] + (h - (double)lo) * (a[lo + 1] - a[lo]);
}

double gf_eval__pow2_scale(double maxabs, int limit_exp)
{
    if (!(maxabs >= ldexp(1, limit_exp)) || !isfinite(maxabs))
        return 1;
    int ex;
    frexp(maxabs, &ex);
    return ldexp(1, ex - 1);
}

/* ---- denominate / screen ---- */

int gf_eval_denominate(double *x, size_t n, size_t m, const struct gf_eval_ind *ind,
                       const double *den, size_t nden, double scale, size_t *nmissing,
                       struct gf_err *e)
{
    size_t miss = 0;
    if (!x || !ind)
        return EVAL_ERR(e, "denominate: no data");
    if (!(scale > 0) || !isfinite(scale))
        return EVAL_ERR(e, "denominate: scale %g: expected a positive number", scale);
    for (size_t j = 0; j < m; j++) {
        int d = ind[j].denominator;
        if (d < 0)
            continue;
        if (!den || (size_t)d >= nden)
            return EVAL_ERR(e, "denominate: indicator %s: denominator column %d does not exist",
                            ind[j].code ? ind[j].code : "?", d + 1);
        for (size_t i = 0; i < n; i++) {
            double dv = den[i * nden + (size_t)d];
            if (isnan(x[i * m + j]))
                continue;
            if (isnan(dv)) {
                x[i * m + j] = NAN;
                miss++;
                continue;
            }
            if (dv == 0 || !isfinite(dv))
                return EVAL_ERR(e,
                                "denominate: indicator %s, unit %zu: denominator is %g: expected a "
                                "non-zero number",
                                ind[j].code ? ind[j].code : "?", i + 1, dv);
            x[i * m + j] = x[i * m + j] / dv * scale;
        }
    }
    if (nmissing)
        *nmissing = miss;
    return GF_OK;
}

int gf_eval_screen(double *x, size_t *n, size_t m, double threshold, size_t *rowmap,
                   struct gf_err *e)
{
    if (!(threshold >= 0 && threshold <= 1))
        return EVAL_ERR(e, "screen: threshold %g: expected a share between 0 and 1", threshold);
    if (m == 0)
        return EVAL_ERR(e, "screen: no indicators");
    size_t k = 0;
    for (size_t i = 0; i < *n; i++) {
        size_t have = 0;
        for (size_t j = 0; j < m; j++)
            have += !isnan(x[i * m + j]);
        if ((double)have / (double)m >= threshold) {
            if (k != i)
                memmove(x + k * m, x + i * m, m * sizeof *x);
            if (rowmap)
                rowmap[k] = i;
            k++;
        }
    }
    if (k < 2)
        return EVAL_ERR(e,
                        "screen: only %zu unit(s) have at least %g%% of their indicators: need at "
                        "least two units",
                        k, threshold * 100);
    *n = k;
    return GF_OK;
}

/* ---- imputation ---- */

static double median_of(double *buf, size_t k)
{
    gf_eval__sort(buf, k);
    return k % 2 ? buf[k / 2] : (buf[k / 2 - 1] + buf[k / 2]) / 2;
}

/* Compensated mean of buf[0..k), k > 0, finite even for values near ±DBL_MAX. */
static double mean_of(const double *buf, size_t k)
{
    double big = 0;
    for (size_t i = 0; i < k; i++)
        big = fabs(buf[i]) > big ? fabs(buf[i]) : big;
    double sc = gf_eval__pow2_scale(big, 500);
    struct gf_ksum s = {0, 0};
    for (size_t i = 0; i < k; i++)
        gf_ksum_add(&s, buf[i] / sc);
    return gf_ksum_value(&s) / (double)k * sc;
}

int gf_eval_impute(double *x, size_t n, size_t m, enum gf_eval_impute method, const int *group,
                   size_t *nfilled, struct gf_err *e)
{
    int grouped = method == GF_IMPUTE_GROUP_MEAN || method == GF_IMPUTE_GROUP_MEDIAN;
    int med = method == GF_IMPUTE_MEDIAN || method == GF_IMPUTE_GROUP_MEDIAN;
    size_t filled = 0;
    if (grouped && !group)
        return EVAL_ERR(e, "impute: group imputation needs a group for every unit");
    if ((int)method < 0 || method > GF_IMPUTE_GROUP_MEDIAN)
        return EVAL_ERR(e, "impute: unknown method %d", (int)method);
    double *buf = malloc((n ? n : 1) * sizeof *buf);
    if (!buf)
        return EVAL_NOMEM(e);
    int rc = GF_OK;
    for (size_t j = 0; j < m && rc == GF_OK; j++) {
        size_t nmiss = 0;
        for (size_t i = 0; i < n; i++)
            nmiss += isnan(x[i * m + j]);
        if (nmiss == 0)
            continue;
        if (nmiss == n) {
            rc = EVAL_ERR(e, "impute: indicator %zu has no data for any unit", j + 1);
            break;
        }
        if (!grouped) {
            size_t k = 0;
            for (size_t i = 0; i < n; i++)
                if (!isnan(x[i * m + j]))
                    buf[k++] = x[i * m + j];
            double v = med ? median_of(buf, k) : mean_of(buf, k);
            for (size_t i = 0; i < n; i++)
                if (isnan(x[i * m + j])) {
                    x[i * m + j] = v;
                    filled++;
                }
            continue;
        }
        /* group by group: compute the value once per group that has a gap */
        for (size_t i = 0; i < n && rc == GF_OK; i++) {
            if (!isnan(x[i * m + j]) || group[i] < 0)
                continue;
            int g = group[i];
            size_t k = 0;
            for (size_t u = 0; u < n; u++)
                if (group[u] == g && !isnan(x[u * m + j]))
                    buf[k++] = x[u * m + j];
            if (k == 0) {
                rc = EVAL_ERR(e, "impute: indicator %zu has no data in group %d (unit %zu)", j + 1,
                              g, i + 1);
                break;
            }
            double v = med ? median_of(buf, k) : mean_of(buf, k);
            for (size_t u = i; u < n; u++)
                if (group[u] == g && isnan(x[u * m + j])) {
                    x[u * m + j] = v;
                    filled++;
                }
        }
    }
    free(buf);
    if (rc == GF_OK && nfilled)
        *nfilled = filled;
    return rc;
}

int gf_eval_impute_panel(double *x, size_t nper, size_t n, size_t m, enum gf_eval_panel method,
                         size_t *nfilled, size_t *nleft, struct gf_err *e)
{
    size_t filled = 0, left = 0;
    if (nper < 1)
        return EVAL_ERR(e, "impute: panel imputation needs at least one period");
    if (method != GF_PANEL_LAST && method != GF_PANEL_LINEAR)
        return EVAL_ERR(e, "impute: unknown panel method %d", (int)method);
#define PX(t, i, j) x[((t)*n + (i)) * m + (j)]
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++) {
            if (method == GF_PANEL_LAST) {
                double lastv = NAN;
                for (size_t t = 0; t < nper; t++) {
                    if (!isnan(PX(t, i, j)))
                        lastv = PX(t, i, j);
                    else if (!isnan(lastv)) {
                        PX(t, i, j) = lastv;
                        filled++;
                    } else
                        left++;
                }
                continue;
            }
            long prev = -1;
            for (size_t t = 0; t < nper; t++) {
                if (isnan(PX(t, i, j)))
                    continue;
                size_t from = prev < 0 ? 0 : (size_t)prev + 1;
                for (size_t u = from; u < t; u++) {
                    PX(u, i, j) =
                        prev < 0 ? PX(t, i, j)
                                 : PX((size_t)prev, i, j) + (PX(t, i, j) - PX((size_t)prev, i, j)) *
                                                                (double)(u - (size_t)prev) /
                                                                (double)(t - (size_t)prev);
                    filled++;
                }
                prev = (long)t;
            }
            if (prev < 0)
                left += nper;
            else
                for (size_t u = (size_t)prev + 1; u < nper; u++) {
                    PX(u, i, j) = PX((size_t)prev, i, j);
                    filled++;
                }
        }
#undef PX
    if (nfilled)
        *nfilled = filled;
    if (nleft)
        *nleft = left;
    return GF_OK;
}

/* ---- skewness, kurtosis, treatment ---- */

int gf_eval_skew_kurt(const double *v, size_t n, size_t stride, double *skew, double *kurt,
                      struct gf_err *e)
{
    struct gf_ksum s = {0, 0};
    size_t k = 0;
    double big = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i * stride])) {
            big = fabs(v[i * stride]) > big ? fabs(v[i * stride]) : big;
            k++;
        }
    if (k < 4)
        return EVAL_ERR(e, "skewness/kurtosis need at least 4 values, got %zu", k);
    /* both are scale-free: large values are scaled so that the fourth powers stay finite */
    double sc = gf_eval__pow2_scale(big, 200);
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i * stride]))
            gf_ksum_add(&s, v[i * stride] / sc);
    double mean = gf_ksum_value(&s) / (double)k;
    struct gf_ksum s2 = {0, 0}, s3 = {0, 0}, s4 = {0, 0};
    for (size_t i = 0; i < n; i++) {
        double x = v[i * stride];
        if (isnan(x))
            continue;
        double d = x / sc - mean, d2 = d * d;
        gf_ksum_add(&s2, d2);
        gf_ksum_add(&s3, d2 * d);
        gf_ksum_add(&s4, d2 * d2);
    }
    double kk = (double)k;
    double m2 = gf_ksum_value(&s2) / kk, m3 = gf_ksum_value(&s3) / kk, m4 = gf_ksum_value(&s4) / kk;
    if (!(m2 > 0))
        return EVAL_ERR(e, "skewness/kurtosis: all %zu values are equal", k);
    double g1 = m3 / pow(m2, 1.5), g2 = m4 / (m2 * m2) - 3;
    if (skew)
        *skew = g1 * sqrt(kk * (kk - 1)) / (kk - 2);
    if (kurt)
        *kurt = ((kk + 1) * g2 + 6) * (kk - 1) / ((kk - 2) * (kk - 3));
    return GF_OK;
}

void gf_eval_treat_default(struct gf_eval_treat *t)
{
    t->winmax = 5;
    t->skew_max = 2;
    t->kurt_max = 3.5;
    t->log_fallback = GF_TREAT_LOG_CT;
}

static int passes(double sk, double ku, const struct gf_eval_treat *t)
{
    return fabs(sk) < t->skew_max || ku < t->kurt_max;
}

int gf_eval_treat_column(double *v, size_t n, size_t stride, const struct gf_eval_treat *t,
                         struct gf_eval_treat_info *info, struct gf_err *e)
{
    struct gf_eval_treat_info inf;
    memset(&inf, 0, sizeof inf);
    if (!t || t->winmax < 0 || !(t->skew_max > 0) || !(t->kurt_max > 0) || t->log_fallback < 0 ||
        t->log_fallback > GF_TREAT_LOG_CT_PLUS)
        return EVAL_ERR(e, "treat: winmax must be ≥ 0 and the skew/kurtosis limits positive");
    double sk, ku;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += !isnan(v[i * stride]);
    if (k < 4 || gf_eval_skew_kurt(v, n, stride, &sk, &ku, NULL) != GF_OK) {
        inf.passed = 1;
        inf.skew0 = inf.skew = inf.kurt0 = inf.kurt = NAN;
        if (info)
            *info = inf;
        return GF_OK;
    }
    inf.skew0 = inf.skew = sk;
    inf.kurt0 = inf.kurt = ku;
    if (passes(sk, ku, t)) {
        inf.passed = 1;
        if (info)
            *info = inf;
        return GF_OK;
    }
    double *orig = malloc(n * sizeof *orig);
    if (!orig)
        return EVAL_NOMEM(e);
    for (size_t i = 0; i < n; i++)
        orig[i] = v[i * stride];
    int done = 0;
    while (!done) {
        int hi = sk > 0; /* winsorise the side of the skew */
        double ext = NAN, next = NAN;
        size_t cnt = 0;
        for (size_t i = 0; i < n; i++) {
            double x = v[i * stride];
            if (isnan(x))
                continue;
            if (isnan(ext) || (hi ? x > ext : x < ext))
                ext = x;
        }
        for (size_t i = 0; i < n; i++) {
            double x = v[i * stride];
            if (isnan(x))
                continue;
            if (x == ext)
                cnt += x == orig[i]; /* points already winsorised are not counted again */
            else if (isnan(next) || (hi ? x > next : x < next))
                next = x;
        }
        if (isnan(next) || inf.nwinsor + (int)cnt > t->winmax)
            break;
        for (size_t i = 0; i < n; i++)
            if (v[i * stride] == ext)
                v[i * stride] = next;
        inf.nwinsor += (int)cnt;
        if (gf_eval_skew_kurt(v, n, stride, &sk, &ku, NULL) != GF_OK)
            break;
        inf.skew = sk;
        inf.kurt = ku;
        if (passes(sk, ku, t))
            done = 1;
    }
    if (!done && t->log_fallback) {
        double mn = INFINITY, mx = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            v[i * stride] = orig[i];
            if (!isnan(orig[i])) {
                mn = orig[i] < mn ? orig[i] : mn;
                mx = orig[i] > mx ? orig[i] : mx;
            }
        }
        /* near ±DBL_MAX the range would overflow: work on values scaled by a power of two
         * and add its logarithm back (sc = 1, lsc = 0 for any ordinary column) */
        double sc = gf_eval__pow2_scale(fabs(mn) > fabs(mx) ? fabs(mn) : fabs(mx), 1020);
        double lsc = sc == 1 ? 0 : log(sc);
        double off = 0.01 * (mx / sc - mn / sc);
        /* log_CT (COINr's default): log(x − min + a) whatever the skew; log_CT_plus mirrors
         * it for a negative skew so that the skew shrinks either way */
        int pos = t->log_fallback != GF_TREAT_LOG_CT_PLUS || inf.skew0 > 0;
        for (size_t i = 0; i < n; i++)
            if (!isnan(orig[i]))
                v[i * stride] = pos ? lsc + log(orig[i] / sc - mn / sc + off)
                                    : -(lsc + log(mx / sc - orig[i] / sc + off));
        inf.nwinsor = 0;
        inf.logged = 1;
        if (gf_eval_skew_kurt(v, n, stride, &sk, &ku, NULL) == GF_OK) {
            inf.skew = sk;
            inf.kurt = ku;
            done = passes(sk, ku, t);
        }
    }
    inf.passed = done;
    free(orig);
    if (info)
        *info = inf;
    return GF_OK;
}

int gf_eval_treat_matrix(double *x, size_t n, size_t m, const struct gf_eval_treat *t,
                         struct gf_eval_treat_info *info, struct gf_err *e)
{
    for (size_t j = 0; j < m; j++) {
        int rc = gf_eval_treat_column(x + j, n, m, t, info ? info + j : NULL, e);
        if (rc)
            return rc;
    }
    return GF_OK;
}
