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
    double t = k->s + x;
    if (fabs(k->s) >= fabs(x))
        k->c += (k->s - t) + x;
    else
        k->c += (x - t) + k->s;
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
