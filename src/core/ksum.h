/* ksum.h — compensated (Neumaier) summation, used by every sum of the numeric core.
 * Never build with -ffast-math: it would optimise the compensation away. */
#ifndef GF_KSUM_H
#define GF_KSUM_H

#include <math.h>

struct gf_ksum {
    double s, c;
};

static inline void gf_ksum_add(struct gf_ksum *k, double x)
{
    /* the rounding error of s + x, exactly (Knuth's two-sum: the error Neumaier's |s| ≥ |x|
     * test picks, in six operations without a branch) */
    double t = k->s + x, xv = t - k->s, sv = t - xv;
    k->c += (k->s - sv) + (x - xv);
    k->s = t;
}

/* Merge another partial sum (for sums split across threads or units). */
static inline void gf_ksum_merge(struct gf_ksum *k, const struct gf_ksum *o)
{
    gf_ksum_add(k, o->s);
    gf_ksum_add(k, o->c);
}

static inline double gf_ksum_value(const struct gf_ksum *k)
{
    return k->s + k->c;
}

#endif
