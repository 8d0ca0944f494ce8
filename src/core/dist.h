/* dist.h — household income distribution measures (收入分配测算), no I/O.
 *
 * Definitions are those of DESIGN.md §3 (R's laeken and the World Bank conventions).  One call
 * computes every measure for every unit of a hierarchy (village → township → county → city):
 * each unit's own rows are sorted once, then sorted runs are merged up the tree (never
 * re-sorted), and all sums are compensated (core/ksum.h).  Work is spread over threads by unit.
 *
 * Inputs (struct gf_dist_input, arrays of n rows, borrowed unless GF_DIST_FREE_INPUT):
 *   x      the value: per-capita household income (or equivalised income)
 *   w      the person weight (NULL = 1 for every row); for per-capita income with a household
 *          weight h and a household size m, w = h × m
 *   hw     the household weight (NULL = w), used for household counts and middle-income shares
 *   urban  1 urban, 0 rural, anything else = neither (NULL = no urban/rural columns)
 *   food, cons  household food and consumption spending, weighted by hw (NULL = no Engel)
 *   (a caller that streams rows adds these up itself and passes x, w and unit only:
 *   gf_dist_acc and gf_dist_compute_acc below)
 *   unit   the unit of each row, 0 ≤ unit < tree.nunits (NULL = every row in unit 0)
 *
 * Edge-case behaviour (documented in docs/distribution.md, tested in tests/unit/test_dist.c):
 *   - x must be finite, w and hw finite and ≥ 0; otherwise GF_EUSER (the caller checks input
 *     first and names file and line; this check is the last line of defence).
 *   - zero weights: the row counts in n, contributes nothing to any sum; a zero-weight row can
 *     never be a quantile except q(0)/q(1) (laeken: the minimum and maximum of all rows).
 *   - a unit with no rows or a zero total weight: n (and weight sums) are reported, every
 *     other measure is NaN (the CLI prints an empty cell).
 *   - a single row, or all values equal: Gini, Theil, MLD and Atkinson are exactly 0.
 *   - zero and negative incomes: Gini, quantiles, ARPR, S80/S20, rmpg, Palma, FGT take them as
 *     they are (laeken's formulas).  Theil T needs x ≥ 0 (x = 0 contributes 0·ln 0 = 0) and
 *     Atkinson(0.5) needs x ≥ 0; MLD, Atkinson(1) and Atkinson(2) need x > 0.  A unit holding
 *     a value outside the domain gets NaN for that measure (refused, not skipped).  Watts
 *     follows DESIGN: Σ over 0 < x < z, rows with x ≤ 0 are skipped.  Gini, Theil, MLD and
 *     Atkinson are NaN when the weighted total Σ w·x ≤ 0.  A ratio whose denominator is 0
 *     (S80/S20, Palma, Engel, urban/rural, range) is NaN.  rmpg is NaN when nobody is under
 *     ARPT (laeken gives NA).
 *   - "below a line" is strictly below (x < z); middle-income bands are closed: lo ≤ s·x ≤ hi
 *     where s is band_scale (3: per-capita income scaled to a 3-person household).
 *
 * Ownership: gf_dist_compute() allocates the result; gf_dist_result_free() releases it.  The
 * per-line and per-band arrays of each gf_dist_stats point into the result's one block.
 */
#ifndef GF_DIST_H
#define GF_DIST_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* One (value, weight) pair, the element that is sorted and merged. */
struct gf_dist_xw {
    double x, w;
};

struct gf_dist_input {
    size_t n;
    double *x, *w, *hw;
    signed char *urban;
    double *food, *cons;
    int32_t *unit;
    unsigned flags;
};

/* The library free()s x, w, hw, urban, food, cons and unit as soon as it has read them (to
 * keep peak memory low for very large inputs); the pointers must come from malloc. */
#define GF_DIST_FREE_INPUT 1u

/* The unit tree: parent[u] is the parent of unit u, or -1 for a root.  NULL parent = every
 * unit is a root (a flat grouping).  Rows may sit on any unit; a unit's data are its own rows
 * and those of all its descendants. */
struct gf_dist_tree {
    int nunits;
    const int32_t *parent;
};

struct gf_dist_params {
    const double *lines; /* poverty / low-income lines on x (strictly below) */
    int nlines;
    const double *band_lo, *band_hi; /* middle-income bands on band_scale·x, closed */
    int nbands;
    double band_scale; /* 0 → 3 */
    int nthreads;      /* 0 → number of online CPUs, at most 16 */
};

#define GF_DIST_NDECILE 9

struct gf_dist_stats {
    long long n;          /* rows (including zero-weight rows) */
    int own_rows;         /* 1 if the unit has rows of its own (not only through children) */
    double weight_sum;    /* W = Σ w */
    double hh_weight_sum; /* Σ hw */
    double mean, median, min, max;
    double decile[GF_DIST_NDECILE]; /* q(0.1) … q(0.9) */
    double decile_share[10];        /* income share of each tenth, see docs */
    double gini, theil, mld;
    double atkinson[3]; /* ε = 0.5, 1, 2 */
    double arpt, arpr, qsr, rmpg, palma;
    double engel;
    /* urban / rural (NaN without urban input or when a side is empty) */
    double urban_mean, rural_mean, urban_rural_ratio;
    double theil_within_urban, theil_between_urban, mld_within_urban, mld_between_urban;
    /* across the children of this unit (NaN for leaves or when the unit has own rows) */
    double child_min_mean, child_max_mean, range_ratio;
    double theil_within_sub, theil_between_sub, mld_within_sub, mld_between_sub;
    /* per line: FGT(0,1,2), Watts, weighted households and persons strictly under the line */
    double *fgt0, *fgt1, *fgt2, *watts, *low_hh, *low_persons;
    double *band_share; /* per band: household share with lo ≤ s·x ≤ hi */
};

struct gf_dist_result {
    int nunits;
    int nlines, nbands;
    struct gf_dist_stats *unit; /* [nunits] */
    double *block;              /* private: the per-line / per-band storage */
    size_t moved; /* bytes of the layout that were the caller's regions' pages in memory
                   * (moved, not new: gf_dist_compute_spans) */
};

/* Compute every measure for every unit of the tree.
 * in: rows (see above); tree: the units (nunits ≥ 1); p: lines, bands, threads.
 * Returns GF_OK and fills *out, or GF_EUSER (bad value, bad unit index, cycle in the tree),
 * GF_ENOMEM, GF_ESYS (threads), with a message in e.  With GF_DIST_FREE_INPUT the input arrays
 * are freed in every case. */
int gf_dist_compute(const struct gf_dist_input *in, const struct gf_dist_tree *tree,
                    const struct gf_dist_params *p, struct gf_dist_result *out, struct gf_err *e);

/* ---- additive sums by unit, for callers that stream rows ----
 *
 * Every measure that is a sum over rows (weights, means, Theil, MLD, Atkinson, FGT, Watts,
 * low-income counts, bands, Engel, urban/rural, counts, minimum and maximum) can be added up
 * while the rows are read: a caller that streams a file adds each row to a gf_dist_acc (one
 * per thread, merged) and keeps only value, weight and unit for the order-based measures.
 * Units are whatever the caller numbers (0, 1, …), merged into the tree's units with a map.
 * Log sums are taken relative to the reference K, any positive number near the mean (digits
 * are lost in proportion to |ln(mean / K)|; K ≤ 0 or not finite → 1).  Values must have been
 * checked (finite x; w, hw finite and ≥ 0; food and consumption finite). */
struct gf_dist_acc;

#define GF_DIST_ACC_URBAN 1u /* urban is 1 urban, 0 rural, anything else neither */
#define GF_DIST_ACC_ENGEL 2u /* food and consumption are given */

/* NULL when out of memory.  p's lines and bands are copied. */
struct gf_dist_acc *gf_dist_acc_new(const struct gf_dist_params *p, double K, unsigned flags);
/* Add a row to unit's sums (unit ≥ 0; room grows).  Returns GF_OK, GF_EUSER (unit < 0) or
 * GF_ENOMEM. */
int gf_dist_acc_add(struct gf_dist_acc *a, int32_t unit, double x, double w, double hw, int urban,
                    double food, double cons);
/* Add the rows i < n whose unit[i] is in [lo, hi) (x, w: n values; hw NULL = w; urban, food and
 * cons NULL = none), as gf_dist_acc_add does one by one; *added (if not NULL) counts them.
 * Returns GF_OK, GF_EUSER (a unit < 0 in the range) or GF_ENOMEM; on failure the rows before
 * the failing one are added. */
int gf_dist_acc_add_rows(struct gf_dist_acc *a, size_t n, const int32_t *unit, const double *x,
                         const double *w, const double *hw, const signed char *urban,
                         const double *food, const double *cons, int32_t lo, int32_t hi,
                         size_t *added);
/* Add from's units to into's: unit u to map[u] (map NULL: to u).  The two must be different
 * sets with the same parameters, K and flags, and map must have no negative unit (else
 * GF_EUSER); GF_ENOMEM.  Nothing is added when it fails. */
int gf_dist_acc_merge(struct gf_dist_acc *into, const struct gf_dist_acc *from, const int32_t *map);
void gf_dist_acc_free(struct gf_dist_acc *a);

/* gf_dist_compute with the additive sums given: acc holds the sums of each unit's own rows,
 * in has only x, w and unit (hw, urban, food, cons NULL) for the order-based measures.  The
 * rows of each unit must be those summed (their number is checked: GF_EUSER).  With
 * GF_DIST_FREE_INPUT the library takes the sums too (no copy) and frees them in every case. */
int gf_dist_compute_acc(const struct gf_dist_input *in, const struct gf_dist_acc *acc,
                        const struct gf_dist_tree *tree, const struct gf_dist_params *p,
                        struct gf_dist_result *out, struct gf_err *e);

/* Rows a caller keeps grouped by unit, in pieces: span k holds n pairs of one unit.  A unit may
 * have any number of spans, in any order (the order of a unit's rows changes results by rounding
 * at most).  The spans are copied a wave at a time (a wave: spans one after another with the
 * same wave number; 0 for all is one wave), in the order given. */
struct gf_dist_span {
    const struct gf_dist_xw *xw;
    size_t n;
    int32_t unit;
    int32_t wave;
};

/* Memory a caller hands over with its spans: a region from gf_map (core/prefault.h). */
struct gf_dist_region {
    void *p;
    size_t len;
};

/* gf_dist_compute_acc with the rows as spans instead of arrays of x, w and unit: the pairs are
 * copied once into the unit layout (no pass to count or scatter rows), their values checked
 * (finite x, finite w ≥ 0: else GF_EUSER).  acc as in gf_dist_compute_acc; with flags
 * GF_DIST_FREE_INPUT the library takes it (frees it in every case).  reg: NULL (the caller
 * keeps the spans and frees them after the call), or the nreg regions the spans lie in, which
 * the library takes in every case: the regions whose spans are copied are unmapped, a wave's
 * before the next wave is copied and all before the sorting and merging; when the waves come
 * in the order of their units' places in the layout (the tree's units depth first, children
 * by number), their pages are moved into the part of the layout the next waves fill instead
 * (no fault, no zeroing: on the virtual machines we run on, memory new to the process costs
 * 0.24-0.29 s each 160 MB), so that the copy needs the memory of one wave more than the
 * spans'. */
int gf_dist_compute_spans(const struct gf_dist_span *span, size_t nspan,
                          const struct gf_dist_region *reg, size_t nreg,
                          const struct gf_dist_acc *acc, unsigned flags,
                          const struct gf_dist_tree *tree, const struct gf_dist_params *p,
                          struct gf_dist_result *out, struct gf_err *e);

void gf_dist_result_free(struct gf_dist_result *r);

/* ---- building blocks, also used by the tests and by callers with their own data ---- */

/* Sort pairs by x ascending (in place; ties in any order — every measure here is invariant to
 * the order within ties). */
void gf_dist_sort(struct gf_dist_xw *a, size_t n);

/* Merge the sorted runs a[0..m) and a[m..n) into dst[0..n) (dst must not overlap a). */
void gf_dist_merge2(const struct gf_dist_xw *a, size_t m, size_t n, struct gf_dist_xw *dst);

/* Weighted quantile of sorted pairs, laeken's weightedQuantile: x_k for the smallest k with
 * (Σ_{j≤k} w_j) / W > p; q(0) = a[0].x, q(1) = a[n-1].x.  NaN when n = 0 or W = 0. */
double gf_dist_quantile_sorted(const struct gf_dist_xw *a, size_t n, double p);

/* Theil / MLD decomposition over ng groups given each group's weight sum W, weighted total
 * WX = Σ w x, Theil T and MLD.  Groups with W = 0 are skipped.  out[0] = Theil within,
 * out[1] = Theil between, out[2] = MLD within, out[3] = MLD between; NaN parts when a needed
 * group value is NaN or a mean is ≤ 0. */
void gf_dist_decompose(int ng, const double *W, const double *WX, const double *T,
                       const double *MLD, double out[4]);

#endif
