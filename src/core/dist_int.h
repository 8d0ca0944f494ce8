/* dist_int.h — private pieces shared by the dist*.c files (not for other modules). */
#ifndef GF_DIST_INT_H
#define GF_DIST_INT_H

#include <stddef.h>

#include "core/dist.h"

/* Number of elements of a[0..m) among the first k outputs of merging a and b[0..n) (ties: a
 * first).  0 ≤ k ≤ m + n. */
size_t gf_dist__corank(const struct gf_dist_xw *a, size_t m, const struct gf_dist_xw *b, size_t n,
                       size_t k);

/* Merge sorted a[0..m) and b[0..n) into dst (ties: a first). */
void gf_dist__merge(const struct gf_dist_xw *a, size_t m, const struct gf_dist_xw *b, size_t n,
                    struct gf_dist_xw *dst);

/* Where the rows of sorted a[lo..hi) with x < v end (through = 0), or with x ≤ v (1). */
size_t gf_dist__below(const struct gf_dist_xw *a, size_t lo, size_t hi, double v, int through);

/* The most runs gf_dist__merge_tree merges at once (three levels of pairwise merges). */
#define GF_DIST_MAXWAY 8

/* The cut at output rank q of merging the m ≤ GF_DIST_MAXWAY sorted runs run[i][0..len[i]) the
 * way pairwise passes would (neighbours merged, ties: the lower run first; equal x in run
 * order): cut[i] rows of run i are among the first q (0 ≤ q ≤ Σ len). */
void gf_dist__multi_corank(const struct gf_dist_xw *const *run, const size_t *len, int m, size_t q,
                           size_t *cut);

/* Outputs [k0, k1) of that merge into out[0..k1-k0): the runs' pieces found by
 * gf_dist__multi_corank, then merged level by level through x and y (k1 - k0 rows each: small
 * enough to stay in the caches), the last level into out.  The same rows in the same order as
 * the pairwise passes, read once from the runs and written once. */
void gf_dist__merge_tree(const struct gf_dist_xw *const *run, const size_t *len, int m, size_t k0,
                         size_t k1, struct gf_dist_xw *out, struct gf_dist_xw *x,
                         struct gf_dist_xw *y);

/* The same for the rows between two cuts of gf_dist__multi_corank, c0 ≤ c1 run by run (a
 * caller merging tile after tile keeps each tile's end cut as the next one's start). */
void gf_dist__merge_cuts(const struct gf_dist_xw *const *run, int m, const size_t *c0,
                         const size_t *c1, struct gf_dist_xw *out, struct gf_dist_xw *x,
                         struct gf_dist_xw *y);

/* Sort a[0..n) using tmp[0..n) as scratch (radix sort, stable; tmp NULL = quicksort, ties in any
 * order). */
void gf_dist_sort_tmp(struct gf_dist_xw *a, size_t n, struct gf_dist_xw *tmp);

/* A unit's rows for the order-based measures when they are not merged into one run: m sorted
 * runs (2 ≤ m ≤ GF_DIST_MAXWAY), read in the order gf_dist__merge_tree gives them. */
struct gf_dist_runs {
    int m;
    const struct gf_dist_xw *run[GF_DIST_MAXWAY];
    size_t len[GF_DIST_MAXWAY];
};

/* The order-based measures (median, deciles and their shares, Gini, S80/S20, Palma, ARPT,
 * ARPR, rmpg) of nu units from their sorted rows rows[i][0..n[i]), or, when runs is not NULL
 * and runs[i].m > 0, from those runs merged as they are read (the same rows in the same order,
 * never written out), into *out[i] (whose weight_sum must be set); large units are cut into
 * pieces shared by the threads.  Returns GF_OK, GF_ENOMEM or GF_ESYS. */
int gf_dist__order_stats(int nthreads, int nu, const struct gf_dist_xw *const *rows,
                         const struct gf_dist_runs *runs, const size_t *n,
                         struct gf_dist_stats *const *out);

/* For tests: merge in pieces of rows rows (0: unchanged; default 2^18; returns the previous
 * size) and read how many units were merged each way so far (by one thread, through the merge
 * buffer, in place pair by pair, in place one run after the other, not merged: read as runs)
 * into counts (NULL: not read).  Not to be called while a computation runs. */
size_t gf_dist__set_piece(size_t rows, size_t counts[5]);

/* Tests: use build b of gf_dist_acc_add_rows — 0 for any CPU, 1 for AVX-512 (the same sums to
 * the last bit) — or the best this CPU runs when b is -1 (the default) or more than it runs;
 * returns the build now in use. */
int gf_dist__acc_build(int b);

/* Tests: use build b of the order pass's scan — 0 for any CPU, 1 for AVX2 (four units' rows side
 * by side: the same sums to the last bit) — or the best this CPU runs when b is -1 (the default)
 * or more than it runs; returns the build now in use. */
int gf_dist__scan_build(int b);

/* Run fn(ctx, task, thread) for task = 0..ntasks-1 on up to nthreads threads (the caller's
 * thread is one of them).  Returns GF_OK or GF_ESYS if a thread could not be started (the
 * remaining tasks then run on the threads that did start). */
int gf_dist__par_for(int nthreads, size_t ntasks, void (*fn)(void *ctx, size_t task, int thread),
                     void *ctx);

#endif
