/* eval_int.h — private helpers shared by the eval_*.c files (not part of the API).
 * Errors go through util/err.h (util/err.c is part of the core library). */
#ifndef GF_EVAL_INT_H
#define GF_EVAL_INT_H

#include <stdio.h>

#include "core/eval.h"
#include "util/err.h"

#define EVAL_ERR(e, ...) gf_err_set((e), GF_EUSER, __VA_ARGS__)
#define EVAL_NOMEM(e) gf_err_set((e), GF_ENOMEM, "out of memory")

/* Sort doubles ascending (NaN not allowed). */
void gf_eval__sort(double *a, size_t n);
/* Order idx[0..n) by key ascending (stable for equal keys: by index). */
void gf_eval__order(const double *key, size_t *idx, size_t n);
/* Quantile type 7 of sorted a[0..n). */
double gf_eval__quantile7(const double *a, size_t n, double q);
/* Check aggregation input is valid for the method (positivity). */
int gf_eval__agg_check(const double *x, size_t n, size_t m, enum gf_eval_agg how, double p,
                       struct gf_err *e);

/* A framework tree prepared for scoring: aggregate nodes deepest first, children in CSR form. */
struct gf_eval__ctree {
    size_t nagg;
    size_t *order;  /* nagg aggregate node indices, deepest first (root last) */
    size_t *cstart; /* nnode + 1 */
    size_t *child;  /* nnode − 1 */
};
int gf_eval__ctree_build(const struct gf_eval_tree *t, struct gf_eval__ctree *c, struct gf_err *e);
void gf_eval__ctree_free(struct gf_eval__ctree *c);
/* Min ranks ("1,2,2,4") of s[0..n) (higher = better when higher_better) by an LSD radix sort
 * on the order-preserving bit pattern of the doubles; NaN → rank 0.  Scratch: key and key2
 * (n uint64), idx and idx2 (n uint32), all caller-owned (no allocation, for hot loops). */
void gf_eval__rank_radix(const double *s, size_t n, size_t stride, int higher_better, int *rank,
                         uint64_t *key, uint64_t *key2, uint32_t *idx, uint32_t *idx2);

/* A power of two to divide a column by so that its differences, sums and sums of squares stay
 * finite: 1 while max|v| < 2^limit_exp (the data are left exactly as they are), else 2^(e−1)
 * with max|v| = f·2^e, f in [0.5,1), so every scaled value lies in [−2, 2].  Dividing by a
 * power of two is exact (except for values 2^1022 times smaller than the largest, which are
 * negligible against it), so a method that is scale-free gives the same result either way. */
double gf_eval__pow2_scale(double maxabs, int limit_exp);

/* Root node index of a checked tree. */
size_t gf_eval__root(const struct gf_eval_tree *t);

#endif
