/* ksum.h — compensated summation (a running sum and the sum of its rounding errors), used by
 * every sum of the numeric core.  The error bound is Neumaier's; each addition's error is
 * found exactly by Knuth's two-sum (no branch).  Never build with -ffast-math: it would
 * optimise the compensation away. */
#ifndef GF_KSUM_H
#define GF_KSUM_H

#include <math.h>

struct gf_ksum {
    double s, c;
};

/* a + b rounded, and its rounding error exactly in *err (six operations, no branch: the same
 * error Neumaier's |a| ≥ |b| test picks). */
static inline double gf_two_sum(double a, double b, double *err)
{
    double t = a + b, bv = t - a, av = t - bv;
    *err = (a - av) + (b - bv);
    return t;
}

static inline void gf_ksum_add(struct gf_ksum *k, double x)
{
    double e;
    k->s = gf_two_sum(k->s, x, &e);
    k->c += e;
}

/* The same sum and error (exactly: when |s| ≥ |x| the error of s + x is x − (t − s), Fast2Sum),
 * with a branch instead of three operations: for running sums whose terms rarely exceed the
 * sum so far (cumulative weights, Σ w x of sorted incomes), where the branch is predicted. */
static inline void gf_ksum_add_grow(struct gf_ksum *k, double x)
{
    double s = k->s, t = s + x;
    k->c += fabs(s) >= fabs(x) ? (s - t) + x : (x - t) + s;
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
