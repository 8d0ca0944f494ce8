/* dist.c — every distribution measure for every unit of a tree (see dist.h for the contract).
 *
 * Plan: (1) check the tree and lay units out so that each unit's rows (own rows, then each
 * child's subtree) are contiguous; (2) one pass over the rows, split by thread, scatters the
 * (x, w) pairs into that layout and adds every additive quantity (sums for mean, Theil, MLD,
 * Atkinson, FGT, Watts, low-income counts, bands, Engel, urban/rural) into per-unit compensated
 * accumulators, which are then added up the tree; (3) own rows are sorted in chunks, and the
 * sorted runs of each unit are merged bottom-up, height by height, so a unit's rows are sorted
 * by merging its children's already sorted rows; (4) one pass over each unit's sorted rows, in
 * pieces shared by the threads, gives the order-based measures (quantiles, Gini, ARPT/ARPR,
 * S80/S20, rmpg, Palma, decile shares: dist_order.c).
 *
 * Log-based sums are taken relative to a global reference K (the overall mean), Σ w·x·ln(x/K)
 * and Σ w·ln(x/K), so they add across units without losing digits to cancellation.
 */
#include "core/dist.h"

#include <float.h>
#include <math.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cpu.h"
#include "core/dist_int.h"
#include "core/ksum.h"
#include "core/prefault.h"

enum {
    A_W, /* A_W..A_WL: the same four as each urban/rural group's, in the same order */
    A_WX,
    A_WXL, /* Σ w x ln(x/K), x > 0 */
    A_WL,  /* Σ w ln(x/K), x > 0 */
    A_HW,
    A_WS,   /* Σ w sqrt(x/K), x ≥ 0 */
    A_WINV, /* Σ w K/x, x > 0 */
    A_FOOD,
    A_CONS,
    A_URB,              /* 2 groups × (W, WX, WXL, WL): rural then urban */
    A_LINE = A_URB + 8, /* per line: W<z, HW<z, Σw(1-x/z), Σw(1-x/z)², Σ_{0<x<z} w ln(z/x) */
};
#define NLINEACC 5
_Static_assert(A_W == 0 && A_WL == 3, "the totals are laid out as a group's sums");

#define SORT_CHUNK ((size_t)1 << 16)
#define PIECE ((size_t)1 << 18)    /* rows a thread merges into its scratch at a time */
static size_t piece_rows = PIECE;  /* smaller in tests (gf_dist__set_piece) */
static atomic_size_t merged_by[5]; /* units merged each way (tests read them) */

size_t gf_dist__set_piece(size_t rows, size_t counts[5])
{
    size_t was = piece_rows;
    if (rows)
        piece_rows = rows;
    for (int k = 0; counts && k < 5; k++)
        counts[k] = atomic_load(&merged_by[k]);
    return was;
}

struct ucount {
    long long n;
    long long nneg, nzero; /* rows with w > 0 and x < 0, x == 0 */
    long long nother;      /* rows with w > 0 and urban neither 0 nor 1 */
    double min, max;       /* all rows */
    double wmin, wmax;     /* rows with w > 0 */
};

struct mpair;
struct mtask;
struct tile;

/* How a unit's runs are merged: by one thread (at most PIECE rows), through the merge buffer by
 * all threads, or in place pair by pair (the largest units; _SEQ: one run after the other,
 * which needs a smaller buffer when the runs are few and large); or not at all: a unit at the
 * top of the tree with at most GF_DIST_MAXWAY runs is left as runs, which its order-based pass
 * merges as it reads them (nothing above it needs them merged). */
enum { MERGE_LOCAL, MERGE_BUFFERED, MERGE_IN_PLACE, MERGE_IN_PLACE_SEQ, MERGE_NONE };

struct work {
    const struct gf_dist_input *in;
    const struct gf_dist_params *p;
    int nunits, nacc, nthreads;
    double K;
    int has_engel, has_urban;
    /* tree */
    int32_t *parent, *child_off, *child, *topo, *height;
    size_t *own, *size, *start;
    /* rows */
    struct gf_dist_xw *a;
    size_t a_mapped; /* a from gf_map, of this many bytes (0: from malloc) */
    struct gf_dist_xw *buf; /* the smaller run of a large pair */
    /* the regions' pages in memory that a had no room for, kept for buf (gf_map, spare_cap
     * bytes, the first spare_len of them moved in) */
    char *spare;
    size_t spare_len, spare_cap, buf_mapped; /* buf_mapped: buf is spare, of that many bytes */
    struct gf_dist_xw *tmp; /* PIECE rows per thread */
    /* additive sums: one set per slice while scattering, then all in sl[0]; acc and cnt are
     * sl[0]'s (nunits × nacc sums, nunits counts) */
    struct gf_dist_acc **sl;
    const struct gf_dist_acc *given; /* the caller's sums (gf_dist_compute_acc), or NULL */
    unsigned in_flags;
    struct gf_ksum *acc;
    struct ucount *cnt;
    size_t *cursor; /* per slice × unit */
    size_t nslice;
    size_t *bad;                  /* per slice: first bad row, or SIZE_MAX */
    struct gf_ksum *wsum, *wxsum; /* per slice: Σ w, Σ w x */
    /* runs for merging */
    size_t *run_off;             /* per unit offset into runs */
    size_t *runs;                /* boundaries */
    int *nruns;                  /* current number of runs per unit */
    unsigned char *mode;         /* per unit: how its runs are merged (MERGE_*) */
    struct mpair *pairs;         /* one pass's pairs (units merged in place) */
    struct mtask *mtasks;        /* one pass's pieces (a unit merged through buf) */
    int *hunits_local;           /* a height's units merged each by one thread */
    struct gf_dist_xw *tscratch; /* 2 tiles per thread: the levels of a tile */
    struct tile *tiles;          /* one pass's tiles (a unit merged through buf) */
    size_t ntiles;
    struct gf_dist_result *out;
};

static double nan_(void)
{
    return (double)NAN;
}

/* ---------- pass over the rows: counts per slice ---------- */

static void slice_range(const struct work *wk, size_t s, size_t *r0, size_t *r1)
{
    size_t n = wk->in->n;
    *r0 = n / wk->nslice * s;
    *r1 = s + 1 == wk->nslice ? n : n / wk->nslice * (s + 1);
}

/* What is wrong with row i, if anything (checked on every row: inline). */
enum { ROW_OK, ROW_X, ROW_W, ROW_HW, ROW_UNIT, ROW_ENGEL };

static inline int row_fault(const struct gf_dist_input *in, size_t i, int nunits)
{
    double x = in->x[i], w = in->w ? in->w[i] : 1.0, hw = in->hw ? in->hw[i] : w;
    if (!isfinite(x))
        return ROW_X;
    if (!isfinite(w) || w < 0)
        return ROW_W;
    if (!isfinite(hw) || hw < 0)
        return ROW_HW;
    if (in->unit && (in->unit[i] < 0 || in->unit[i] >= nunits))
        return ROW_UNIT;
    if (in->food && (!isfinite(in->food[i]) || !isfinite(in->cons[i])))
        return ROW_ENGEL;
    return ROW_OK;
}

/* One pass per slice: check the rows (first bad row of the slice in bad[s]), add up the
 * weights and weighted values for the reference mean K (unless sums are given), and count the
 * rows of each unit. */
static void prepass_task(void *ctx, size_t s, int thread)
{
    (void)thread;
    struct work *wk = ctx;
    const struct gf_dist_input *in = wk->in;
    size_t r0, r1, *c = wk->cursor + s * (size_t)wk->nunits;
    slice_range(wk, s, &r0, &r1);
    struct gf_ksum sw = {0, 0}, swx = {0, 0};
    wk->bad[s] = (size_t)-1;
    for (size_t i = r0; i < r1; i++) {
        if (row_fault(in, i, wk->nunits) != ROW_OK) {
            wk->bad[s] = i;
            break;
        }
        double x = in->x[i], w = in->w ? in->w[i] : 1.0;
        c[in->unit ? in->unit[i] : 0]++;
        if (!wk->given) { /* given sums bring their own reference */
            gf_ksum_add(&sw, w);
            gf_ksum_add(&swx, w * x);
        }
    }
    wk->wsum[s] = sw;
    wk->wxsum[s] = swx;
}

static void ucount_init(struct ucount *c)
{
    memset(c, 0, sizeof *c);
    c->min = c->wmin = INFINITY;
    c->max = c->wmax = -INFINITY;
}

static void ucount_merge(struct ucount *c, const struct ucount *o)
{
    c->n += o->n;
    c->nneg += o->nneg;
    c->nzero += o->nzero;
    c->nother += o->nother;
    c->min = fmin(c->min, o->min);
    c->max = fmax(c->max, o->max);
    c->wmin = fmin(c->wmin, o->wmin);
    c->wmax = fmax(c->wmax, o->wmax);
}

/* ---------- additive sums by unit ---------- */

struct gf_dist_acc {
    int n, cap; /* units with sums, room */
    int nacc;
    unsigned flags;
    double K, invK, scale;
    int nlines, nbands;
    double *lines, *lnz, *band_lo, *band_hi; /* copies of the parameters; lnz = ln(z/K) */
    struct gf_ksum *k;                       /* cap × nacc */
    struct ucount *c;                        /* cap */
};

static int acc_reserve(struct gf_dist_acc *a, int units)
{
    if (units <= a->cap)
        return GF_OK;
    int nc = a->cap ? a->cap : 64;
    while (nc < units)
        nc = nc > INT32_MAX / 2 ? units : nc * 2;
    struct gf_ksum *k = realloc(a->k, sizeof *k * (size_t)nc * (size_t)a->nacc);
    if (!k)
        return GF_ENOMEM;
    a->k = k;
    struct ucount *c = realloc(a->c, sizeof *c * (size_t)nc);
    if (!c)
        return GF_ENOMEM;
    a->c = c;
    memset(a->k + (size_t)a->cap * (size_t)a->nacc, 0,
           sizeof *k * (size_t)(nc - a->cap) * (size_t)a->nacc);
    for (int u = a->cap; u < nc; u++)
        ucount_init(&a->c[u]);
    a->cap = nc;
    return GF_OK;
}

struct gf_dist_acc *gf_dist_acc_new(const struct gf_dist_params *p, double K, unsigned flags)
{
    struct gf_dist_acc *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->flags = flags;
    a->K = K > 0 && isfinite(K) ? K : 1.0;
    a->invK = 1.0 / a->K;
    a->scale = p->band_scale > 0 ? p->band_scale : 3.0;
    a->nlines = p->nlines > 0 ? p->nlines : 0;
    a->nbands = p->nbands > 0 ? p->nbands : 0;
    a->nacc = A_LINE + NLINEACC * a->nlines + a->nbands;
    size_t np = (size_t)(2 * a->nlines + 2 * a->nbands + 1);
    a->lines = malloc(sizeof(double) * np);
    if (!a->lines) {
        free(a);
        return NULL;
    }
    a->lnz = a->lines + a->nlines;
    a->band_lo = a->lnz + a->nlines;
    a->band_hi = a->band_lo + a->nbands;
    for (int l = 0; l < a->nlines; l++) {
        a->lines[l] = p->lines[l];
        a->lnz[l] = log(p->lines[l] * a->invK);
    }
    for (int b = 0; b < a->nbands; b++) {
        a->band_lo[b] = p->band_lo[b];
        a->band_hi[b] = p->band_hi[b];
    }
    return a;
}

void gf_dist_acc_free(struct gf_dist_acc *a)
{
    if (!a)
        return;
    free(a->lines);
    free(a->k);
    free(a->c);
    free(a);
}

/* Add four terms to the four sums k[0..3] (as gf_ksum_add each). */
static inline __attribute__((always_inline)) void ksum_add4(struct gf_ksum *k, double x0, double x1,
                                                            double x2, double x3)
{
    gf_ksum_add(&k[0], x0);
    gf_ksum_add(&k[1], x1);
    gf_ksum_add(&k[2], x2);
    gf_ksum_add(&k[3], x3);
}

/* Add one row to unit u's sums (room reserved), ADD4 adding four terms to four sums side by
 * side (a term that does not apply to the row is 0, which leaves a sum as it was: its running
 * sum is never −0).  As a function NAME with attributes ATTR. */
_Static_assert(A_WS == A_HW + 1 && A_WINV == A_HW + 2 && A_FOOD == A_HW + 3,
               "the four sums of the totals added side by side");
#define ACC_ROW_FUNCTION(NAME, ATTR, ADD4)                                                         \
    ATTR static inline __attribute__((always_inline)) void NAME(                                   \
        struct gf_dist_acc *a, int u, double x, double w, double hw, int urban, double food,       \
        double cons)                                                                               \
    {                                                                                              \
        struct ucount *c = &a->c[u];                                                               \
        struct gf_ksum *k = a->k + (size_t)u * (size_t)a->nacc;                                    \
        c->n++;                                                                                    \
        if (x < c->min)                                                                            \
            c->min = x;                                                                            \
        if (x > c->max)                                                                            \
            c->max = x;                                                                            \
        for (int b = 0; b < a->nbands; b++) {                                                      \
            double v = a->scale * x;                                                               \
            if (v >= a->band_lo[b] && v <= a->band_hi[b])                                          \
                gf_ksum_add(&k[A_LINE + NLINEACC * a->nlines + b], hw);                            \
        }                                                                                          \
        double hf = 0; /* hw × food */                                                            \
        if (a->flags & GF_DIST_ACC_ENGEL) {                                                        \
            hf = hw * food;                                                                        \
            gf_ksum_add(&k[A_CONS], hw *cons);                                                     \
        }                                                                                          \
        if (w == 0) {                                                                              \
            ADD4(&k[A_HW], hw, 0, 0, hf);                                                          \
            return;                                                                                \
        }                                                                                          \
        if (x < c->wmin)                                                                           \
            c->wmin = x;                                                                           \
        if (x > c->wmax)                                                                           \
            c->wmax = x;                                                                           \
        double wx = w * x, lx = 0; /* ln(x/K) */                                                   \
        double wxl = 0, wl = 0, ws = 0, winv = 0;                                                  \
        /* a row of the urban or the rural group goes to its group's W, WX, WXL and WL only;       \
         * the totals are the groups' plus the others' (totals_of_groups, before any use) */       \
        struct gf_ksum *t = k;                                                                     \
        if (a->flags & GF_DIST_ACC_URBAN) {                                                        \
            if (urban == 0 || urban == 1)                                                          \
                t = &k[A_URB + 4 * urban];                                                         \
            else                                                                                   \
                c->nother++;                                                                       \
        }                                                                                          \
        if (x > 0) {                                                                               \
            /* the log of a ratio near 1 keeps the digits that ln x − ln K would lose in the     \
             * last place of ln K */                                                               \
            double xk = x * a->invK;                                                               \
            lx = log(xk);                                                                          \
            wxl = wx * lx;                                                                         \
            wl = w * lx;                                                                           \
            ws = w * sqrt(xk);                                                                     \
            winv = w * (a->K / x);                                                                 \
        } else if (x == 0) {                                                                       \
            c->nzero++;                                                                            \
        } else {                                                                                   \
            c->nneg++;                                                                             \
        }                                                                                          \
        ADD4(&t[A_W], w, wx, wxl, wl);                                                             \
        ADD4(&k[A_HW], hw, ws, winv, hf);                                                          \
        for (int l = 0; l < a->nlines; l++) {                                                      \
            double z = a->lines[l];                                                                \
            if (x < z) {                                                                           \
                struct gf_ksum *lk = &k[A_LINE + NLINEACC * l];                                    \
                double d = 1.0 - x / z;                                                            \
                gf_ksum_add(&lk[0], w);                                                            \
                gf_ksum_add(&lk[1], hw);                                                           \
                gf_ksum_add(&lk[2], w *d);                                                         \
                gf_ksum_add(&lk[3], w *d *d);                                                      \
                if (x > 0)                                                                         \
                    gf_ksum_add(&lk[4], w *(a->lnz[l] - lx)); /* ln(z/K) − ln(x/K) */            \
            }                                                                                      \
        }                                                                                          \
    }

ACC_ROW_FUNCTION(acc_row, , ksum_add4)

#ifdef GF_CPU_BUILDS
/* ksum_add4 in one 8-lane vector (the sums' s and c side by side, the terms in the s lanes):
 * the same operations in the same order, so the same sums to the last bit. */
__attribute__((target("avx512f"), always_inline)) static inline void
ksum_add4_avx512(struct gf_ksum *k, double x0, double x1, double x2, double x3)
{
    __m512d x = _mm512_set_pd(0, x3, 0, x2, 0, x1, 0, x0), v = _mm512_loadu_pd(&k->s);
    __m512d t = _mm512_add_pd(v, x), bv = _mm512_sub_pd(t, v), av = _mm512_sub_pd(t, bv);
    __m512d err = _mm512_add_pd(_mm512_sub_pd(v, av), _mm512_sub_pd(x, bv));
    /* each c lane (t = c there) gains the error of the s lane beside it */
    _mm512_storeu_pd(&k->s, _mm512_add_pd(t, _mm512_maskz_permute_pd(0xAA, err, 0x00)));
}
ACC_ROW_FUNCTION(acc_row_avx512, __attribute__((target("avx512f"))), ksum_add4_avx512)
#endif

/* Make unit u one of a's units (u ≥ 0). */
static int acc_unit(struct gf_dist_acc *a, int u)
{
    if (u >= a->n) {
        if (acc_reserve(a, u + 1) != GF_OK)
            return GF_ENOMEM;
        a->n = u + 1;
    }
    return GF_OK;
}

int gf_dist_acc_add(struct gf_dist_acc *a, int32_t unit, double x, double w, double hw, int urban,
                    double food, double cons)
{
    if (unit < 0)
        return GF_EUSER;
    if (acc_unit(a, unit) != GF_OK)
        return GF_ENOMEM;
    acc_row(a, unit, x, w, hw, urban, food, cons);
    return GF_OK;
}

/* With more units' sums than a core's second-level cache holds beside the rest of a parse's
 * work (in bytes, ACC_FAR_BYTES), the sums of the row ACC_AHEAD rows on are fetched while this
 * one is added: the benchmark's 1 106 villages have 0.44 MB of sums, and with 1 MiB here its
 * rows in random order took 6 % longer to parse (0.685 s against 0.641 s, means of 6 alternating
 * runs; in file order no different: 0.593 s against 0.603 s). */
#define ACC_FAR_BYTES ((size_t)256 << 10)
#define ACC_AHEAD 8

/* The loop of gf_dist_acc_add_rows with ROW (an acc_row build), as a function NAME with
 * attributes ATTR. */
#define ADD_ROWS_FUNCTION(NAME, ATTR, ROW)                                                         \
    ATTR static int NAME(struct gf_dist_acc *a, size_t n, const int32_t *unit, const double *x,    \
                         const double *w, const double *hw, const signed char *urban,              \
                         const double *food, const double *cons, int32_t lo, int32_t hi,           \
                         size_t *added)                                                            \
    {                                                                                              \
        size_t k = 0;                                                                              \
        int rc = GF_OK;                                                                            \
        size_t bytes = sizeof(struct gf_ksum) * (size_t)a->nacc, far = ACC_FAR_BYTES / bytes;      \
        for (size_t i = 0; i < n; i++) {                                                           \
            int32_t u = unit[i];                                                                   \
            if ((size_t)a->n > far && i + ACC_AHEAD < n) {                                         \
                int32_t v = unit[i + ACC_AHEAD];                                                   \
                if (v >= lo && v < a->n) { /* in range and with room: its sums, to come */         \
                    const char *f = (const char *)(a->k + (size_t)v * (size_t)a->nacc);            \
                    for (size_t b = 0; b < bytes + 63; b += 64)                                    \
                        __builtin_prefetch(f + b, 1);                                              \
                    __builtin_prefetch(&a->c[v], 1);                                               \
                }                                                                                  \
            }                                                                                      \
            if (u < lo || u >= hi)                                                                 \
                continue;                                                                          \
            if (u < 0) {                                                                           \
                rc = GF_EUSER;                                                                     \
                break;                                                                             \
            }                                                                                      \
            if (u >= a->n && acc_unit(a, u) != GF_OK) {                                            \
                rc = GF_ENOMEM;                                                                    \
                break;                                                                             \
            }                                                                                      \
            ROW(a, u, x[i], w[i], hw ? hw[i] : w[i], urban ? urban[i] : -1, food ? food[i] : 0,    \
                cons ? cons[i] : 0);                                                               \
            k++;                                                                                   \
        }                                                                                          \
        if (added)                                                                                 \
            *added = k;                                                                            \
        return rc;                                                                                 \
    }

ADD_ROWS_FUNCTION(add_rows_any, , acc_row)
#ifdef GF_CPU_BUILDS
ADD_ROWS_FUNCTION(add_rows_avx512, __attribute__((target("avx512f"))), acc_row_avx512)
#endif

/* The build of gf_dist_acc_add_rows in use: -1 not chosen yet, 0 any CPU's, 1 AVX-512's. */
static atomic_int acc_build = -1;

int gf_dist__acc_build(int b)
{
    int best = (gf_cpu_features() & GF_CPU_AVX512F) != 0;
    atomic_store(&acc_build, b < 0 || b > best ? best : b);
    return atomic_load(&acc_build);
}

int gf_dist_acc_add_rows(struct gf_dist_acc *a, size_t n, const int32_t *unit, const double *x,
                         const double *w, const double *hw, const signed char *urban,
                         const double *food, const double *cons, int32_t lo, int32_t hi,
                         size_t *added)
{
    int b = atomic_load_explicit(&acc_build, memory_order_relaxed);
    if (b < 0)
        b = gf_dist__acc_build(-1);
#ifdef GF_CPU_BUILDS
    if (b == 1)
        return add_rows_avx512(a, n, unit, x, w, hw, urban, food, cons, lo, hi, added);
#endif
    return add_rows_any(a, n, unit, x, w, hw, urban, food, cons, lo, hi, added);
}

int gf_dist_acc_merge(struct gf_dist_acc *into, const struct gf_dist_acc *from, const int32_t *map)
{
    if (into == from || into->nacc != from->nacc || into->K != from->K ||
        into->flags != from->flags)
        return GF_EUSER;
    int top = -1; /* the largest unit of into that gets sums: checked and made room for first */
    for (int u = 0; u < from->n; u++) {
        int t = map ? map[u] : u;
        if (t < 0)
            return GF_EUSER;
        top = t > top ? t : top;
    }
    if (top >= 0 && acc_unit(into, top) != GF_OK)
        return GF_ENOMEM;
    for (int u = 0; u < from->n; u++) {
        int t = map ? map[u] : u;
        ucount_merge(&into->c[t], &from->c[u]);
        for (int k = 0; k < from->nacc; k++)
            gf_ksum_merge(&into->k[(size_t)t * (size_t)into->nacc + (size_t)k],
                          &from->k[(size_t)u * (size_t)from->nacc + (size_t)k]);
    }
    return GF_OK;
}

#define RELEASE_EVERY ((size_t)1 << 17) /* rows */

/* Scatter the rows of slice s into their units' places in a, adding them to the slice's sums
 * when the caller gave rows rather than sums.  Input that is ours (GF_DIST_FREE_INPUT) is
 * given back as it is read: the pages of a written next are these ones, and on a virtual
 * machine memory used before is much cheaper to fault in than fresh memory. */
static void scatter_task(void *ctx, size_t s, int thread)
{
    (void)thread;
    struct work *wk = ctx;
    const struct gf_dist_input *in = wk->in;
    size_t r0, r1, *cur = wk->cursor + s * (size_t)wk->nunits;
    slice_range(wk, s, &r0, &r1);
    struct gf_dist_acc *acc = wk->given ? NULL : wk->sl[s];
    struct {
        const void *p;
        size_t size, from; /* bytes a row; given back up to from (a page boundary) */
    } col[] = {{in->x, sizeof *in->x, 0},        {in->w, sizeof *in->w, 0},
               {in->hw, sizeof *in->hw, 0},      {in->food, sizeof *in->food, 0},
               {in->cons, sizeof *in->cons, 0},  {in->unit, sizeof *in->unit, 0},
               {in->urban, sizeof *in->urban, 0}};
    for (size_t c0 = r0; c0 < r1; c0 += RELEASE_EVERY) {
        size_t c1 = r1 - c0 > RELEASE_EVERY ? c0 + RELEASE_EVERY : r1;
        for (size_t i = c0; i < c1; i++) {
            int u = in->unit ? in->unit[i] : 0;
            double x = in->x[i], w = in->w ? in->w[i] : 1.0;
            wk->a[cur[u]++] = (struct gf_dist_xw){x, w};
            if (acc)
                acc_row(acc, u, x, w, in->hw ? in->hw[i] : w, in->urban ? in->urban[i] : -1,
                        in->food ? in->food[i] : 0, in->cons ? in->cons[i] : 0);
        }
        if (!(wk->in_flags & GF_DIST_FREE_INPUT))
            continue;
        for (size_t k = 0; k < sizeof col / sizeof col[0]; k++) {
            if (!col[k].p)
                continue;
            /* from the slice's first row (its first page may hold the other slice's rows), or
             * from where the last call ended, to the last page boundary read */
            uintptr_t base = (uintptr_t)col[k].p;
            uintptr_t end = (base + c1 * col[k].size) & ~(uintptr_t)4095;
            size_t from = col[k].from ? col[k].from : r0 * col[k].size;
            if (end > base + from) {
                gf_release((const char *)col[k].p + from, (size_t)(end - base) - from);
                col[k].from = (size_t)(end - base);
            }
        }
    }
}

/* ---------- sorting and merging ---------- */

struct sort_task {
    size_t begin, len;
};

struct sort_ctx {
    struct work *wk;
    struct sort_task *t;
};

static void sort_task_fn(void *ctx, size_t i, int thread)
{
    struct sort_ctx *sc = ctx;
    gf_dist_sort_tmp(sc->wk->a + sc->t[i].begin, sc->t[i].len,
                     sc->wk->tmp + (size_t)thread * piece_rows);
}

/* Merging happens in place in a: neighbouring runs a[s, s+m) and a[s+m, s+m+n) become one.
 * A pair of at most PIECE rows is merged by one thread into its scratch (PIECE rows) and copied
 * back.  A larger pair first copies its smaller run into buf, then is merged in pieces of
 * PIECE outputs by all threads, each into its scratch; a piece is copied back once the pieces
 * before it (in the order the output fills: from the front when the left run was copied, from
 * the back otherwise) have read their rows, since only those rows can lie where it writes.
 * Memory: a, buf (the largest smaller run of a large pair) and PIECE rows per thread, instead of
 * a second array as large as a. */
struct mpair {
    size_t s, m, n;
};

static void small_pair_fn(void *ctx, size_t i, int thread)
{
    struct work *wk = ctx;
    const struct mpair *pr = &wk->pairs[i];
    struct gf_dist_xw *t = wk->tmp + (size_t)thread * piece_rows, *a = wk->a + pr->s;
    gf_dist__merge(a, pr->m, a + pr->m, pr->n, t);
    memcpy(a, t, sizeof *a * (pr->m + pr->n));
}

struct big_pair {
    struct work *wk;
    const struct gf_dist_xw *x, *y; /* the two runs (one of them copied into buf) */
    size_t m, n, np;
    int forward;  /* the left run was copied: pieces fill the output from the front */
    size_t *icut; /* np + 1 co-ranks: rows of x before each piece */
    atomic_uchar *read_done;
    atomic_size_t all_read; /* the pieces (in order) before this one have all read their rows */
    struct gf_dist_xw *dst;
};

static void big_piece_fn(void *ctx, size_t q, int thread)
{
    struct big_pair *bp = ctx;
    size_t p = bp->forward ? q : bp->np - 1 - q;
    size_t k0 = p * piece_rows,
           k1 = k0 + piece_rows < bp->m + bp->n ? k0 + piece_rows : bp->m + bp->n;
    size_t i0 = bp->icut[p], i1 = bp->icut[p + 1];
    struct gf_dist_xw *t = bp->wk->tmp + (size_t)thread * piece_rows;
    gf_dist__merge(bp->x + i0, i1 - i0, bp->y + (k0 - i0), (k1 - i1) - (k0 - i0), t);
    atomic_store(&bp->read_done[q], 1);
    size_t d = atomic_load(&bp->all_read);
    while (d < bp->np && atomic_load(&bp->read_done[d]))
        if (atomic_compare_exchange_weak(&bp->all_read, &d, d + 1))
            d++;
    while (atomic_load(&bp->all_read) < q)
        sched_yield();
    memcpy(bp->dst + k0, t, sizeof *t * (k1 - k0));
}

struct mtask {
    const struct gf_dist_xw *a, *b;
    size_t m, n;
    struct gf_dist_xw *dst;
};

static void mtask_fn(void *ctx, size_t i, int thread)
{
    (void)thread;
    struct mtask *t = (struct mtask *)ctx + i;
    gf_dist__merge(t->a, t->m, t->b, t->n, t->dst);
}

/* Add the merge of a[0..m) and b[0..n) into dst as tasks of at most PIECE outputs. */
static void add_merge(struct mtask *tasks, size_t *nt, const struct gf_dist_xw *a, size_t m,
                      const struct gf_dist_xw *b, size_t n, struct gf_dist_xw *dst)
{
    size_t total = m + n, k0 = 0, i0 = 0;
    while (k0 < total) {
        size_t k1 = total - k0 > piece_rows ? k0 + piece_rows : total;
        size_t i1 = k1 == total ? m : gf_dist__corank(a, m, b, n, k1);
        size_t j0 = k0 - i0, j1 = k1 - i1;
        tasks[(*nt)++] = (struct mtask){a + i0, b + j0, i1 - i0, j1 - j0, dst + k0};
        k0 = k1;
        i0 = i1;
    }
}

/* dst[0..n) = src[0..n) by all threads. */
static int par_copy(struct work *wk, struct gf_dist_xw *dst, const struct gf_dist_xw *src, size_t n)
{
    size_t nt = 0;
    add_merge(wk->mtasks, &nt, src, n, src, 0, dst);
    return gf_dist__par_for(wk->nthreads, nt, mtask_fn, wk->mtasks);
}

static int big_pair_merge(struct work *wk, const struct mpair *pr)
{
    struct gf_dist_xw *a = wk->a + pr->s;
    struct big_pair bp = {.wk = wk, .m = pr->m, .n = pr->n, .dst = a};
    bp.forward = pr->m <= pr->n;
    if (par_copy(wk, wk->buf, bp.forward ? a : a + pr->m, bp.forward ? pr->m : pr->n) != GF_OK)
        return GF_ESYS;
    bp.x = bp.forward ? wk->buf : a;
    bp.y = bp.forward ? a + pr->m : wk->buf;
    bp.np = (pr->m + pr->n + piece_rows - 1) / piece_rows;
    bp.icut = malloc(sizeof *bp.icut * (bp.np + 1));
    bp.read_done = calloc(bp.np, sizeof *bp.read_done);
    if (!bp.icut || !bp.read_done) {
        free(bp.icut);
        free(bp.read_done);
        return GF_ENOMEM;
    }
    for (size_t p = 0; p <= bp.np; p++) {
        size_t k = p * piece_rows < pr->m + pr->n ? p * piece_rows : pr->m + pr->n;
        bp.icut[p] = gf_dist__corank(bp.x, pr->m, bp.y, pr->n, k);
    }
    atomic_init(&bp.all_read, 0);
    int rc = gf_dist__par_for(wk->nthreads, bp.np, big_piece_fn, &bp);
    free(bp.icut);
    free(bp.read_done);
    return rc;
}

/* One pass over unit u's runs: neighbouring pairs (seq: only the first two), into pairs[]. */
static void plan_pass(size_t *b, int *nruns, int seq, struct mpair *pairs, size_t *np)
{
    int r = *nruns, out = 0;
    for (int k = 0; k < r; k += 2) {
        if (k + 1 < r)
            pairs[(*np)++] = (struct mpair){b[k], b[k + 1] - b[k], b[k + 2] - b[k + 1]};
        b[++out] = k + 1 < r ? b[k + 2] : b[k + 1];
        if (seq && k + 2 < r) { /* the rest stay as they are */
            for (int j = k + 2; j < r; j++)
                b[++out] = b[j + 1];
            break;
        }
    }
    *nruns = out;
}

/* The largest smaller run among the pairs of more than PIECE rows when runs with boundaries
 * b[0..r] are merged pass by pass (seq: one pair a pass, from the left). */
static size_t pass_need(const size_t *b0, int r, int seq, size_t *scratch, struct mpair *pairs)
{
    size_t need = 0;
    memcpy(scratch, b0, sizeof *scratch * (size_t)(r + 1));
    while (r > 1) {
        size_t np = 0;
        plan_pass(scratch, &r, seq, pairs, &np);
        for (size_t i = 0; i < np; i++) {
            size_t m = pairs[i].m, n = pairs[i].n, lo = m < n ? m : n;
            if (m + n > piece_rows && lo > need)
                need = lo;
        }
    }
    return need;
}

/* ---------- passes of several levels at once ---------- */

/* A unit's runs are merged in passes that each do up to three levels of the pairwise merges
 * (GF_DIST_MAXWAY runs into one), tile by tile: a tile's outputs are found in every run by
 * gf_dist__multi_corank and merged level by level in the thread's scratch (in the caches), so a
 * pass reads and writes the rows once where pairwise passes would read and write them up to
 * three times.  The rows and their order are those of the pairwise passes. */
#define TILE ((size_t)1 << 15) /* outputs of a tile (smaller when tests shrink the pieces) */

static size_t tile_rows(void)
{
    size_t t = piece_rows / 4;
    return t < 1 ? 1 : t > TILE ? TILE : t;
}

/* The levels of each pass that merges r runs into one: an even number of passes (the rows end
 * where they began; a pass of no levels copies), each of at most three levels, as few as that
 * allows.  Returns the number of passes (0 for one run). */
static int pass_levels(int r, int lv[32])
{
    int levels = 0;
    while (levels < 31 && (1 << levels) < r)
        levels++;
    if (!levels)
        return 0;
    int np = (levels + 2) / 3;
    np += np % 2;
    for (int i = 0; i < np; i++)
        lv[i] = levels / np + (i < levels % np);
    return np;
}

struct tile {
    const struct gf_dist_xw *src; /* the unit's rows before the pass */
    struct gf_dist_xw *dst;       /* and after */
    const size_t *b;              /* its runs' boundaries (from its first row) */
    int r0, m;                    /* the group: runs r0 … r0 + m − 1 */
    size_t k0, k1;                /* the tile: outputs of the group */
};

static void tile_merge(const struct tile *t, struct gf_dist_xw *x, struct gf_dist_xw *y)
{
    const struct gf_dist_xw *run[GF_DIST_MAXWAY];
    size_t len[GF_DIST_MAXWAY];
    for (int i = 0; i < t->m; i++) {
        run[i] = t->src + t->b[t->r0 + i];
        len[i] = t->b[t->r0 + i + 1] - t->b[t->r0 + i];
    }
    gf_dist__merge_tree(run, len, t->m, t->k0, t->k1, t->dst + t->b[t->r0] + t->k0, x, y);
}

/* The tiles of one pass of `levels` levels over runs b[0..r] from src to dst, each given to
 * fn(ctx, tile). */
static void each_tile(const struct gf_dist_xw *src, struct gf_dist_xw *dst, const size_t *b, int r,
                      int levels, void (*fn)(void *ctx, const struct tile *t), void *ctx)
{
    int g = 1 << levels;
    size_t step = tile_rows();
    for (int r0 = 0; r0 < r; r0 += g) {
        int m = r - r0 < g ? r - r0 : g;
        size_t total = b[r0 + m] - b[r0];
        for (size_t k0 = 0; k0 < total; k0 += step) {
            struct tile t = {src, dst, b, r0, m, k0, total - k0 < step ? total : k0 + step};
            fn(ctx, &t);
        }
    }
}

/* The runs after a pass of `levels` levels: each group of 2^levels is one. */
static void pass_done(size_t *b, int *r, int levels)
{
    int g = 1 << levels, out = 0;
    size_t end = b[*r];
    for (int r0 = 0; r0 < *r; r0 += g)
        b[out++] = b[r0];
    b[out] = end;
    *r = out;
}

/* Unit u's runs (absolute boundaries b[0..r]) as offsets from its first row, and back. */
static void runs_relative(size_t *b, int r, size_t base, int sign)
{
    for (int k = 0; k <= r; k++)
        b[k] = sign > 0 ? b[k] - base : b[k] + base;
}

/* A thread's scratch for the levels of a tile. */
static struct gf_dist_xw *tile_scratch(struct work *wk, int thread, int k)
{
    return wk->tscratch + ((size_t)thread * 2 + (size_t)k) * tile_rows();
}

struct local_tiles {
    struct gf_dist_xw *x, *y;
};

static void merge_now(void *ctx, const struct tile *t)
{
    const struct local_tiles *lt = ctx;
    tile_merge(t, lt->x, lt->y);
}

/* A unit of at most PIECE rows: all its passes by one thread, between a and its scratch. */
static void local_unit_fn(void *ctx, size_t i, int thread)
{
    struct work *wk = ctx;
    int u = wk->hunits_local[i], lv[32];
    size_t *b = wk->runs + wk->run_off[u], base = b[0];
    struct gf_dist_xw *x = wk->a + base, *t = wk->tmp + (size_t)thread * piece_rows;
    struct local_tiles lt = {tile_scratch(wk, thread, 0), tile_scratch(wk, thread, 1)};
    runs_relative(b, wk->nruns[u], base, 1);
    for (int k = 0, np = pass_levels(wk->nruns[u], lv); k < np; k++) {
        each_tile(k % 2 ? t : x, k % 2 ? x : t, b, wk->nruns[u], lv[k], merge_now, &lt);
        pass_done(b, &wk->nruns[u], lv[k]);
    }
    runs_relative(b, 1, base, -1);
}

static void add_tile(void *ctx, const struct tile *t)
{
    struct work *wk = ctx;
    wk->tiles[wk->ntiles++] = *t;
}

static void tile_task_fn(void *ctx, size_t i, int thread)
{
    struct work *wk = ctx;
    tile_merge(&wk->tiles[i], tile_scratch(wk, thread, 0), tile_scratch(wk, thread, 1));
}

/* A unit of at most the merge buffer's rows: passes between a and buf, tiles shared by all
 * threads. */
static int buffered_unit(struct work *wk, int u)
{
    size_t *b = wk->runs + wk->run_off[u], base = b[0];
    struct gf_dist_xw *x = wk->a + base;
    int rc = GF_OK, lv[32];
    runs_relative(b, wk->nruns[u], base, 1);
    for (int k = 0, np = pass_levels(wk->nruns[u], lv); k < np; k++) {
        wk->ntiles = 0;
        each_tile(k % 2 ? wk->buf : x, k % 2 ? x : wk->buf, b, wk->nruns[u], lv[k], add_tile, wk);
        if (gf_dist__par_for(wk->nthreads, wk->ntiles, tile_task_fn, wk) != GF_OK)
            rc = GF_ESYS;
        pass_done(b, &wk->nruns[u], lv[k]);
    }
    runs_relative(b, 1, base, -1);
    return rc;
}

/* Merge the runs of the units of one height into one sorted run each, in a: small units each
 * by one thread, middle-sized ones one by one through buf, the largest pair by pair in place. */
static int merge_height(struct work *wk, const int *units, int nh)
{
    int rc = GF_OK, nl = 0;
    for (int i = 0; i < nh; i++)
        if (wk->nruns[units[i]] > 1 && wk->mode[units[i]] == MERGE_LOCAL)
            wk->hunits_local[nl++] = units[i];
    if (nl && gf_dist__par_for(wk->nthreads, (size_t)nl, local_unit_fn, wk) != GF_OK)
        rc = GF_ESYS;
    for (int i = 0; i < nh; i++)
        if (wk->nruns[units[i]] > 1 && wk->mode[units[i]] == MERGE_BUFFERED &&
            buffered_unit(wk, units[i]) != GF_OK)
            rc = GF_ESYS;
    for (;;) {
        size_t np = 0;
        for (int i = 0; i < nh; i++) {
            int u = units[i];
            if (wk->nruns[u] > 1 &&
                (wk->mode[u] == MERGE_IN_PLACE || wk->mode[u] == MERGE_IN_PLACE_SEQ))
                plan_pass(wk->runs + wk->run_off[u], &wk->nruns[u],
                          wk->mode[u] == MERGE_IN_PLACE_SEQ, wk->pairs, &np);
        }
        if (np == 0)
            break;
        size_t nsmall = 0;
        for (size_t i = 0; i < np; i++) /* small pairs first, large ones after */
            if (wk->pairs[i].m + wk->pairs[i].n <= piece_rows) {
                struct mpair t = wk->pairs[nsmall];
                wk->pairs[nsmall++] = wk->pairs[i];
                wk->pairs[i] = t;
            }
        if (nsmall && gf_dist__par_for(wk->nthreads, nsmall, small_pair_fn, wk) != GF_OK)
            rc = GF_ESYS;
        for (size_t i = nsmall; i < np; i++) {
            int r = big_pair_merge(wk, &wk->pairs[i]);
            if (r != GF_OK)
                rc = r;
        }
    }
    return rc;
}

/* ---------- measures from sorted pairs ---------- */

double gf_dist_quantile_sorted(const struct gf_dist_xw *a, size_t n, double p)
{
    if (n == 0)
        return nan_();
    struct gf_ksum W = {0, 0};
    for (size_t i = 0; i < n; i++)
        gf_ksum_add(&W, a[i].w);
    double sw = gf_ksum_value(&W);
    if (!(sw > 0))
        return nan_();
    if (p <= 0)
        return a[0].x;
    if (p >= 1)
        return a[n - 1].x;
    struct gf_ksum c = {0, 0};
    for (size_t i = 0; i < n; i++) {
        gf_ksum_add(&c, a[i].w);
        if (gf_ksum_value(&c) / sw > p)
            return a[i].x;
    }
    return a[n - 1].x;
}

/* ---------- additive measures ---------- */

/* Theil and MLD from sums relative to K: ln(μ/K) is taken as the log of a ratio near 1, not
 * as the difference of two logs near ln K (which loses the digits of ln K's last place). */
static double theil_of(double W, double WX, double WXL, double K)
{
    double mu = WX / W;
    return WXL / WX - log(mu / K);
}

static double mld_of(double W, double WX, double WL, double K)
{
    double mu = WX / W;
    return log(mu / K) - WL / W;
}

void gf_dist_decompose(int ng, const double *W, const double *WX, const double *T,
                       const double *MLD, double out[4])
{
    struct gf_ksum sw = {0, 0}, swx = {0, 0};
    for (int g = 0; g < ng; g++) {
        if (W[g] > 0) {
            gf_ksum_add(&sw, W[g]);
            gf_ksum_add(&swx, WX[g]);
        }
    }
    double Wt = gf_ksum_value(&sw), WXt = gf_ksum_value(&swx);
    for (int k = 0; k < 4; k++)
        out[k] = nan_();
    if (!(Wt > 0) || !(WXt > 0))
        return;
    double mu = WXt / Wt;
    struct gf_ksum tw = {0, 0}, tb = {0, 0}, mw = {0, 0}, mb = {0, 0};
    int tok = 1, mok = 1;
    for (int g = 0; g < ng; g++) {
        if (!(W[g] > 0))
            continue;
        double mug = WX[g] / W[g], sg = WX[g] / WXt, pg = W[g] / Wt;
        if (!(mug > 0) || isnan(T[g]))
            tok = 0;
        else {
            gf_ksum_add(&tw, sg * T[g]);
            gf_ksum_add(&tb, sg * log(mug / mu));
        }
        if (!(mug > 0) || isnan(MLD[g]))
            mok = 0;
        else {
            gf_ksum_add(&mw, pg * MLD[g]);
            gf_ksum_add(&mb, pg * log(mu / mug));
        }
    }
    if (tok) {
        out[0] = gf_ksum_value(&tw);
        out[1] = gf_ksum_value(&tb);
    }
    if (mok) {
        out[2] = gf_ksum_value(&mw);
        out[3] = gf_ksum_value(&mb);
    }
}

static void additive_stats(struct work *wk, int u)
{
    const struct gf_dist_params *p = wk->p;
    struct gf_dist_stats *s = &wk->out->unit[u];
    const struct gf_ksum *k = wk->acc + (size_t)u * (size_t)wk->nacc;
    const struct ucount *c = &wk->cnt[u];
    s->n = c->n;
    s->own_rows = wk->own[u] > 0;
    s->min = c->n ? c->min : nan_();
    s->max = c->n ? c->max : nan_();
    double W = gf_ksum_value(&k[A_W]), WX = gf_ksum_value(&k[A_WX]);
    double HW = gf_ksum_value(&k[A_HW]);
    s->weight_sum = W;
    s->hh_weight_sum = HW;
    s->mean = s->theil = s->mld = s->engel = nan_();
    s->atkinson[0] = s->atkinson[1] = s->atkinson[2] = nan_();
    s->urban_mean = s->rural_mean = s->urban_rural_ratio = nan_();
    s->theil_within_urban = s->theil_between_urban = nan_();
    s->mld_within_urban = s->mld_between_urban = nan_();
    s->child_min_mean = s->child_max_mean = s->range_ratio = nan_();
    s->theil_within_sub = s->theil_between_sub = s->mld_within_sub = s->mld_between_sub = nan_();
    for (int l = 0; l < p->nlines; l++) {
        const struct gf_ksum *lk = &k[A_LINE + NLINEACC * l];
        s->low_persons[l] = gf_ksum_value(&lk[0]);
        s->low_hh[l] = gf_ksum_value(&lk[1]);
        s->fgt0[l] = W > 0 ? gf_ksum_value(&lk[0]) / W : nan_();
        s->fgt1[l] = W > 0 ? gf_ksum_value(&lk[2]) / W : nan_();
        s->fgt2[l] = W > 0 ? gf_ksum_value(&lk[3]) / W : nan_();
        s->watts[l] = W > 0 ? gf_ksum_value(&lk[4]) / W : nan_();
    }
    for (int b = 0; b < p->nbands; b++)
        s->band_share[b] =
            HW > 0 ? gf_ksum_value(&k[A_LINE + NLINEACC * p->nlines + b]) / HW : nan_();
    if (wk->has_engel) {
        double cons = gf_ksum_value(&k[A_CONS]);
        s->engel = cons != 0 ? gf_ksum_value(&k[A_FOOD]) / cons : nan_();
    }
    if (!(W > 0))
        return;
    double mu = WX / W;
    s->mean = mu;
    int equal = c->wmin == c->wmax;
    if (WX > 0) {
        if (c->nneg == 0) {
            s->theil = equal ? 0 : theil_of(W, WX, gf_ksum_value(&k[A_WXL]), wk->K);
            double ms = gf_ksum_value(&k[A_WS]) / W;
            s->atkinson[0] = equal ? 0 : 1 - wk->K * ms * ms / mu;
        }
        if (c->nneg == 0 && c->nzero == 0) {
            s->mld = equal ? 0 : mld_of(W, WX, gf_ksum_value(&k[A_WL]), wk->K);
            s->atkinson[1] = equal ? 0 : 1 - exp(gf_ksum_value(&k[A_WL]) / W) * (wk->K / mu);
            s->atkinson[2] = equal ? 0 : 1 - W * wk->K / (gf_ksum_value(&k[A_WINV]) * mu);
        }
    }
    if (wk->has_urban) {
        double gW[2], gWX[2], gT[2], gM[2];
        for (int g = 0; g < 2; g++) {
            const struct gf_ksum *ug = &k[A_URB + 4 * g];
            gW[g] = gf_ksum_value(&ug[0]);
            gWX[g] = gf_ksum_value(&ug[1]);
            gT[g] = gM[g] = nan_();
            if (gW[g] > 0 && gWX[g] > 0) {
                if (c->nneg == 0)
                    gT[g] = theil_of(gW[g], gWX[g], gf_ksum_value(&ug[2]), wk->K);
                if (c->nneg == 0 && c->nzero == 0)
                    gM[g] = mld_of(gW[g], gWX[g], gf_ksum_value(&ug[3]), wk->K);
            }
        }
        s->rural_mean = gW[0] > 0 ? gWX[0] / gW[0] : nan_();
        s->urban_mean = gW[1] > 0 ? gWX[1] / gW[1] : nan_();
        s->urban_rural_ratio = s->rural_mean > 0 ? s->urban_mean / s->rural_mean : nan_();
        if (c->nother == 0) {
            double d[4];
            for (int g = 0; equal && g < 2; g++) { /* one value: no inequality anywhere */
                gT[g] = isnan(gT[g]) ? gT[g] : 0;
                gM[g] = isnan(gM[g]) ? gM[g] : 0;
            }
            gf_dist_decompose(2, gW, gWX, gT, gM, d);
            s->theil_within_urban = d[0];
            s->theil_between_urban = d[1];
            s->mld_within_urban = d[2];
            s->mld_between_urban = d[3];
        }
    }
}

static int children_stats(struct work *wk, int u)
{
    int nc = wk->child_off[u + 1] - wk->child_off[u];
    struct gf_dist_stats *s = &wk->out->unit[u];
    if (nc == 0)
        return GF_OK;
    double *buf = malloc(sizeof(double) * 4 * (size_t)nc);
    if (!buf)
        return GF_ENOMEM;
    double *W = buf, *WX = buf + nc, *T = buf + 2 * nc, *M = buf + 3 * nc;
    double mn = INFINITY, mx = -INFINITY;
    for (int i = 0; i < nc; i++) {
        int c = wk->child[wk->child_off[u] + i];
        const struct gf_dist_stats *cs = &wk->out->unit[c];
        W[i] = cs->weight_sum;
        WX[i] = W[i] > 0 ? gf_ksum_value(&wk->acc[(size_t)c * (size_t)wk->nacc + A_WX]) : 0;
        T[i] = cs->theil;
        M[i] = cs->mld;
        if (W[i] > 0) {
            mn = fmin(mn, cs->mean);
            mx = fmax(mx, cs->mean);
        }
    }
    if (mn <= mx) {
        s->child_min_mean = mn;
        s->child_max_mean = mx;
        s->range_ratio = mn > 0 ? mx / mn : nan_();
    }
    if (!s->own_rows) {
        double d[4];
        gf_dist_decompose(nc, W, WX, T, M, d);
        if (wk->cnt[u].wmin == wk->cnt[u].wmax) /* all equal: exactly 0 */
            for (int k = 0; k < 4; k++)
                d[k] = isnan(d[k]) ? d[k] : 0;
        s->theil_within_sub = d[0];
        s->theil_between_sub = d[1];
        s->mld_within_sub = d[2];
        s->mld_between_sub = d[3];
    }
    free(buf);
    return GF_OK;
}

/* ---------- the driver ---------- */

struct size_unit {
    size_t size;
    int unit;
};

static int cmp_size_desc(const void *a, const void *b)
{
    const struct size_unit *x = a, *y = b;
    if (x->size != y->size)
        return x->size < y->size ? 1 : -1;
    return (x->unit > y->unit) - (x->unit < y->unit);
}

static void free_input(const struct gf_dist_input *in)
{
    if (!(in->flags & GF_DIST_FREE_INPUT))
        return;
    free(in->x);
    free(in->w);
    free(in->hw);
    free(in->urban);
    free(in->food);
    free(in->cons);
    free(in->unit);
}

void gf_dist_result_free(struct gf_dist_result *r)
{
    if (!r)
        return;
    free(r->unit);
    free(r->block);
    memset(r, 0, sizeof *r);
}

/* The message for bad row i (found by prepass_task). */
static int bad_row(const struct gf_dist_input *in, size_t i, int nunits, struct gf_err *e)
{
    double w = in->w ? in->w[i] : 1.0;
    switch (row_fault(in, i, nunits)) {
    case ROW_X:
        return gf_err_set(e, GF_EUSER, "row %zu: value is not a finite number", i + 1);
    case ROW_W:
        return gf_err_set(e, GF_EUSER, "row %zu: weight %g: expected a number >= 0", i + 1, w);
    case ROW_HW:
        return gf_err_set(e, GF_EUSER, "row %zu: household weight %g: expected a number >= 0",
                          i + 1, in->hw[i]);
    case ROW_UNIT:
        return gf_err_set(e, GF_EUSER, "row %zu: unit %d: expected 0..%d", i + 1, (int)in->unit[i],
                          nunits - 1);
    default:
        return gf_err_set(e, GF_EUSER, "row %zu: food or consumption is not finite", i + 1);
    }
}

/* ---------- rows given as spans ---------- */

/* Rows given as spans of pairs grouped by unit (gf_dist_compute_spans). */
struct spans {
    const struct gf_dist_span *span;
    size_t nspan, n;
    size_t *dst;                /* where each span goes in a */
    struct gf_dist_region *reg; /* the caller's regions, ours, by address; len 0 once gone */
    size_t nreg;
};

#define GATHER_TASK ((size_t)1 << 16) /* rows a gather task copies */

struct gather {
    struct work *wk;
    const struct spans *sp;
    size_t *first; /* ntask + 1: the spans of each task */
    size_t *bad;   /* per task: the first span holding a bad pair, or SIZE_MAX */
    size_t task0;  /* the first task of the wave being copied */
};

/* Copy a task's spans into their places in a, checking their values (finite x, finite w ≥ 0). */
static void gather_task(void *ctx, size_t t, int thread)
{
    (void)thread;
    struct gather *g = ctx;
    const struct spans *sp = g->sp;
    t += g->task0;
    g->bad[t] = (size_t)-1;
    for (size_t k = g->first[t]; k < g->first[t + 1]; k++) {
        const struct gf_dist_span *s = &sp->span[k];
        struct gf_dist_xw *d = g->wk->a + sp->dst[k];
        int ok = 1;
        for (size_t i = 0; i < s->n; i++) {
            double x = s->xw[i].x, w = s->xw[i].w;
            ok &= (fabs(x) <= DBL_MAX) & (w >= 0) & (w <= DBL_MAX); /* NaN compares false */
            d[i] = s->xw[i];
        }
        if (!ok && g->bad[t] == (size_t)-1)
            g->bad[t] = k;
    }
}

/* The region holding p, or nreg. */
static size_t region_of(const struct spans *sp, const void *p)
{
    size_t lo = 0, hi = sp->nreg; /* the first region starting after p */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((const char *)sp->reg[mid].p <= (const char *)p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo && (const char *)p < (char *)sp->reg[lo - 1].p + sp->reg[lo - 1].len ? lo - 1
                                                                                  : sp->nreg;
}

/* The memory of a's bytes up to *ready is there (moved in, or asked for: gf_prefault); have it
 * up to end. */
static void have_layout(struct work *wk, size_t *ready, size_t end)
{
    if (end > *ready) {
        gf_prefault((char *)wk->a + *ready, end - *ready);
        *ready = end;
    }
}

/* Copy the spans into a, each unit's after the cursor set for it (own rows at its start), a
 * wave at a time; after each wave, the regions it was the last to read are moved to a's bytes
 * from *ready on (waves in layout order: the next waves' places) or unmapped. */
static int gather_spans(struct work *wk, struct spans *sp, struct gf_err *e)
{
    int rc = GF_OK;
    size_t nwave = sp->nspan ? 1 : 0;
    for (size_t k = 1; k < sp->nspan; k++)
        nwave += sp->span[k].wave != sp->span[k - 1].wave;
    size_t ntask = sp->n / GATHER_TASK + nwave + 1;
    struct gather g = {wk, sp, malloc(sizeof(size_t) * (ntask + 1)),
                       malloc(sizeof(size_t) * ntask), 0};
    size_t *wave_task = malloc(sizeof(size_t) * (nwave + 1)); /* each wave's first task */
    size_t *hi = malloc(sizeof(size_t) * (nwave ? nwave : 1)); /* the end of its places in a */
    size_t *last = calloc(sp->nreg ? sp->nreg : 1, sizeof(size_t)); /* a region's last wave */
    sp->dst = malloc(sizeof(size_t) * (sp->nspan ? sp->nspan : 1));
    if (!g.first || !g.bad || !wave_task || !hi || !last || !sp->dst) {
        rc = gf_err_set(e, GF_ENOMEM, "out of memory");
        goto out;
    }
    /* tasks of about GATHER_TASK rows, in span order, none across waves; the waves in layout
     * order or not */
    size_t t = 0, rows = 0, w = 0, wave_lo = SIZE_MAX, prev_hi = 0;
    int ordered = wk->a_mapped != 0;
    g.first[0] = 0;
    hi[0] = 0;
    for (size_t k = 0; k < sp->nspan; k++) {
        if (k && sp->span[k].wave != sp->span[k - 1].wave) {
            if (rows)
                g.first[++t] = k;
            wave_task[++w] = t;
            ordered &= wave_lo == SIZE_MAX || wave_lo >= prev_hi;
            prev_hi = hi[w - 1] > prev_hi ? hi[w - 1] : prev_hi;
            hi[w] = 0;
            wave_lo = SIZE_MAX;
            rows = 0;
        }
        const struct gf_dist_span *s = &sp->span[k];
        sp->dst[k] = wk->cursor[s->unit];
        wk->cursor[s->unit] += s->n;
        rows += s->n;
        if (s->n) {
            size_t lo = sizeof(struct gf_dist_xw) * sp->dst[k];
            wave_lo = lo < wave_lo ? lo : wave_lo;
            hi[w] = hi[w] > lo + sizeof(struct gf_dist_xw) * s->n
                        ? hi[w]
                        : lo + sizeof(struct gf_dist_xw) * s->n;
            size_t r = region_of(sp, s->xw);
            if (r < sp->nreg)
                last[r] = w;
        }
        if (rows >= GATHER_TASK && k + 1 < sp->nspan && sp->span[k + 1].wave == s->wave) {
            g.first[++t] = k + 1;
            rows = 0;
        }
    }
    if (sp->nspan) {
        g.first[++t] = sp->nspan;
        ordered &= wave_lo == SIZE_MAX || wave_lo >= prev_hi;
    }
    wave_task[0] = 0;
    wave_task[nwave] = t;
    /* in huge pages or populated (gf_prefault), not a fault a small page: copying into pages
     * given back by the spans as they were copied, faulted in one by one, was 3 times slower on
     * some of the virtual machines we run on (160 MB: 0.73 s against 0.22 s) */
    size_t bytes = sizeof(struct gf_dist_xw) * sp->n, ready = 0;
    size_t cap = gf_huge_round(bytes); /* of a from gf_map */
    if (!ordered)
        have_layout(wk, &ready, bytes);
    else if ((wk->spare = gf_map(bytes / 4))) /* the most buf can need (a quarter of the rows) */
        wk->spare_cap = gf_huge_round(bytes / 4);
    for (w = 0; w < nwave; w++) {
        size_t nt = wave_task[w + 1] - wave_task[w];
        if (ordered)
            have_layout(wk, &ready, gf_huge_round(hi[w]));
        g.task0 = wave_task[w];
        if (gf_dist__par_for(wk->nthreads, nt, gather_task, &g) != GF_OK) {
            rc = gf_err_set(e, GF_ESYS, "cannot start threads");
            goto out;
        }
        for (size_t r = 0; r < sp->nreg; r++) {
            struct gf_dist_region *rg = &sp->reg[r];
            if (!rg->len || last[r] != w)
                continue;
            /* its pages in memory, 2 MiB at a time, one after another (a region the caller
             * filled in part has pages it never touched: they would cost the same as a's) */
            size_t len = gf_huge_round(rg->len); /* as mapped */
            for (size_t off = 0; off < len; off += GF_HUGE_PAGE) {
                char *blk = (char *)rg->p + off;
                size_t in_memory = ordered ? gf_resident(blk, GF_HUGE_PAGE) : 0;
                if (in_memory && ready + GF_HUGE_PAGE <= cap &&
                    gf_move_pages(blk, GF_HUGE_PAGE, (char *)wk->a + ready) == 0) {
                    ready += GF_HUGE_PAGE;
                    wk->out->moved += in_memory;
                } else if (in_memory && wk->spare &&
                           wk->spare_len + GF_HUGE_PAGE <= wk->spare_cap &&
                           gf_move_pages(blk, GF_HUGE_PAGE, wk->spare + wk->spare_len) == 0) {
                    wk->spare_len += GF_HUGE_PAGE;
                } else {
                    gf_unmap(blk, GF_HUGE_PAGE);
                }
            }
            rg->len = 0;
        }
    }
    for (size_t i = 0; i < t; i++)
        if (g.bad[i] != (size_t)-1) {
            rc = gf_err_set(e, GF_EUSER, "span %zu: a value that is not finite or a weight < 0",
                            g.bad[i]);
            goto out;
        }
out:
    free(g.first);
    free(g.bad);
    free(wave_task);
    free(hi);
    free(last);
    return rc;
}

/* Check the tree, build child lists, a topological order (children first), heights and the
 * contiguous layout. */
static int build_tree(struct work *wk, const struct gf_dist_tree *tree, struct gf_err *e)
{
    int nu = wk->nunits;
    for (int u = 0; u < nu; u++) {
        int pu = tree->parent ? tree->parent[u] : -1;
        if (pu < -1 || pu >= nu || pu == u)
            return gf_err_set(e, GF_EUSER, "unit %d: parent %d: expected -1 or 0..%d", u, pu,
                              nu - 1);
        wk->parent[u] = pu;
    }
    memset(wk->child_off, 0, sizeof(int32_t) * (size_t)(nu + 1));
    for (int u = 0; u < nu; u++)
        if (wk->parent[u] >= 0)
            wk->child_off[wk->parent[u] + 1]++;
    for (int u = 0; u < nu; u++)
        wk->child_off[u + 1] += wk->child_off[u];
    int32_t *fill = wk->height; /* scratch */
    for (int u = 0; u < nu; u++)
        fill[u] = wk->child_off[u];
    for (int u = 0; u < nu; u++)
        if (wk->parent[u] >= 0)
            wk->child[fill[wk->parent[u]]++] = u;
    /* Kahn: pending children count; leaves first */
    int32_t *pending = fill;
    int nt = 0;
    for (int u = 0; u < nu; u++) {
        pending[u] = wk->child_off[u + 1] - wk->child_off[u];
        if (pending[u] == 0)
            wk->topo[nt++] = u;
    }
    for (int i = 0; i < nt; i++) {
        int pu = wk->parent[wk->topo[i]];
        if (pu >= 0 && --pending[pu] == 0)
            wk->topo[nt++] = pu;
    }
    if (nt < nu)
        return gf_err_set(e, GF_EUSER, "the unit tree has a cycle");
    for (int i = 0; i < nu; i++) {
        int u = wk->topo[i], h = 0;
        size_t sz = wk->own[u];
        for (int k = wk->child_off[u]; k < wk->child_off[u + 1]; k++) {
            int c = wk->child[k];
            if (wk->height[c] + 1 > h)
                h = wk->height[c] + 1;
            sz += wk->size[c];
        }
        wk->height[u] = h;
        wk->size[u] = sz;
    }
    size_t next = 0;
    for (int i = nu - 1; i >= 0; i--) { /* parents before children */
        int u = wk->topo[i];
        if (wk->parent[u] < 0) {
            wk->start[u] = next;
            next += wk->size[u];
        }
        size_t pos = wk->start[u] + wk->own[u];
        for (int k = wk->child_off[u]; k < wk->child_off[u + 1]; k++) {
            int c = wk->child[k];
            wk->start[c] = pos;
            pos += wk->size[c];
        }
    }
    return GF_OK;
}

static int compute(const struct gf_dist_input *in, struct spans *sp,
                   const struct gf_dist_acc *given, const struct gf_dist_tree *tree,
                   const struct gf_dist_params *p, struct gf_dist_result *out, struct gf_err *e);

int gf_dist_compute(const struct gf_dist_input *in, const struct gf_dist_tree *tree,
                    const struct gf_dist_params *p, struct gf_dist_result *out, struct gf_err *e)
{
    return compute(in, NULL, NULL, tree, p, out, e);
}

int gf_dist_compute_acc(const struct gf_dist_input *in, const struct gf_dist_acc *acc,
                        const struct gf_dist_tree *tree, const struct gf_dist_params *p,
                        struct gf_dist_result *out, struct gf_err *e)
{
    if (!acc || in->hw || in->urban || in->food || in->cons) {
        memset(out, 0, sizeof *out);
        if (in->flags & GF_DIST_FREE_INPUT) {
            free_input(in);
            gf_dist_acc_free((struct gf_dist_acc *)acc);
        }
        return gf_err_set(e, GF_EUSER, "sums by unit go with values, weights and units only");
    }
    return compute(in, NULL, acc, tree, p, out, e);
}

static int cmp_region(const void *a, const void *b)
{
    const char *x = ((const struct gf_dist_region *)a)->p, *y = ((const struct gf_dist_region *)b)->p;
    return (x > y) - (x < y);
}

int gf_dist_compute_spans(const struct gf_dist_span *span, size_t nspan,
                          const struct gf_dist_region *reg, size_t nreg,
                          const struct gf_dist_acc *acc, unsigned flags,
                          const struct gf_dist_tree *tree, const struct gf_dist_params *p,
                          struct gf_dist_result *out, struct gf_err *e)
{
    struct gf_dist_input none = {.flags = flags & GF_DIST_FREE_INPUT};
    struct spans sp = {span, nspan, 0, NULL, NULL, 0};
    int rc;
    memset(out, 0, sizeof *out);
    if (reg && nreg) { /* ours: by address, each unmapped or moved as the copy goes */
        if (!(sp.reg = malloc(sizeof *sp.reg * nreg))) {
            for (size_t r = 0; r < nreg; r++)
                gf_unmap(reg[r].p, reg[r].len);
            if (flags & GF_DIST_FREE_INPUT)
                gf_dist_acc_free((struct gf_dist_acc *)acc);
            return gf_err_set(e, GF_ENOMEM, "out of memory");
        }
        memcpy(sp.reg, reg, sizeof *sp.reg * nreg);
        sp.nreg = nreg;
        qsort(sp.reg, nreg, sizeof *sp.reg, cmp_region);
    }
    if (!acc) {
        rc = gf_err_set(e, GF_EUSER, "rows by spans go with their sums");
    } else {
        for (size_t k = 0; k < nspan; k++)
            sp.n += span[k].n;
        none.n = sp.n;
        rc = compute(&none, &sp, acc, tree, p, out, e);
    }
    for (size_t r = 0; r < sp.nreg; r++) /* those the copy did not come to (an error) */
        gf_unmap(sp.reg[r].p, sp.reg[r].len);
    free(sp.reg);
    return rc;
}

/* With urban/rural groups, a group's rows were added to the group's W, WX, WXL and WL only
 * (acc_row): add both groups' to the totals, which hold the other rows'. */
static void totals_of_groups(struct work *wk)
{
    for (int u = 0; u < wk->nunits; u++) {
        struct gf_ksum *k = wk->acc + (size_t)u * (size_t)wk->nacc;
        for (int j = A_W; j <= A_WL; j++) {
            gf_ksum_merge(&k[j], &k[A_URB + j]);
            gf_ksum_merge(&k[j], &k[A_URB + 4 + j]);
        }
    }
}

static int compute(const struct gf_dist_input *in, struct spans *sp,
                   const struct gf_dist_acc *given, const struct gf_dist_tree *tree,
                   const struct gf_dist_params *p, struct gf_dist_result *out, struct gf_err *e)
{
    struct work wk = {.in = in, .p = p, .given = given, .in_flags = in->flags};
    int rc = GF_OK, nu = tree ? tree->nunits : 1, given_taken = 0;
    size_t n = in->n;
    struct sort_task *stasks = NULL;
    int *hunits = NULL;
    struct size_unit *hsort = NULL;
    const struct gf_dist_xw **orows = NULL; /* a height's units for the order-based pass */
    struct gf_dist_runs *oruns = NULL;      /* and the runs of those left unmerged */
    size_t *on = NULL;
    struct gf_dist_stats **oout = NULL;
    memset(out, 0, sizeof *out);
    if (nu < 1 || p->nlines < 0 || p->nbands < 0) {
        rc = gf_err_set(e, GF_EUSER, "need at least one unit");
        goto done;
    }
    for (int l = 0; l < p->nlines; l++)
        if (!(p->lines[l] > 0) || !isfinite(p->lines[l])) {
            rc = gf_err_set(e, GF_EUSER, "line %g: expected a number > 0", p->lines[l]);
            goto done;
        }
    for (int b = 0; b < p->nbands; b++)
        if (!(p->band_lo[b] <= p->band_hi[b])) {
            rc = gf_err_set(e, GF_EUSER, "band %g-%g: expected low <= high", p->band_lo[b],
                            p->band_hi[b]);
            goto done;
        }
    if ((in->food == NULL) != (in->cons == NULL)) {
        rc = gf_err_set(e, GF_EUSER, "food and consumption go together");
        goto done;
    }
    if (given && (given->nlines != p->nlines || given->nbands != p->nbands)) {
        rc = gf_err_set(e, GF_EUSER, "the sums were made with other lines or bands");
        goto done;
    }
    unsigned flags = given
                         ? given->flags
                         : (in->urban ? GF_DIST_ACC_URBAN : 0) | (in->food ? GF_DIST_ACC_ENGEL : 0);
    wk.has_engel = (flags & GF_DIST_ACC_ENGEL) != 0;
    wk.has_urban = (flags & GF_DIST_ACC_URBAN) != 0;
    wk.nunits = nu;
    wk.nthreads = p->nthreads > 0 ? p->nthreads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (wk.nthreads < 1)
        wk.nthreads = 1;
    if (wk.nthreads > 16)
        wk.nthreads = 16;
    wk.nacc = A_LINE + NLINEACC * p->nlines + p->nbands;
    wk.nslice = n >= 65536 && !sp ? (size_t)wk.nthreads : 1;
    /* per-thread sums cost nunits × nacc sums each: one set only when units are many */
    if (!given &&
        (size_t)nu * (size_t)wk.nacc * sizeof(struct gf_ksum) * wk.nslice > ((size_t)64 << 20))
        wk.nslice = 1;
    size_t nu_ = (size_t)nu;
    wk.parent = malloc(sizeof(int32_t) * nu_);
    wk.child_off = malloc(sizeof(int32_t) * (nu_ + 1));
    wk.child = malloc(sizeof(int32_t) * nu_);
    wk.topo = malloc(sizeof(int32_t) * nu_);
    wk.height = malloc(sizeof(int32_t) * nu_);
    wk.own = calloc(nu_, sizeof(size_t));
    wk.size = calloc(nu_, sizeof(size_t));
    wk.start = calloc(nu_, sizeof(size_t));
    wk.cursor = calloc(nu_ * wk.nslice, sizeof(size_t));
    wk.bad = malloc(sizeof(size_t) * wk.nslice);
    wk.wsum = malloc(sizeof(struct gf_ksum) * wk.nslice);
    wk.wxsum = malloc(sizeof(struct gf_ksum) * wk.nslice);
    wk.sl = calloc(wk.nslice, sizeof *wk.sl);
    wk.nruns = calloc(nu_, sizeof(int));
    wk.mode = calloc(nu_, 1);
    wk.run_off = calloc(nu_ + 1, sizeof(size_t));
    out->unit = calloc(nu_, sizeof(struct gf_dist_stats));
    out->block = malloc(sizeof(double) * nu_ * (size_t)(6 * p->nlines + p->nbands + 1));
    if (!wk.parent || !wk.child_off || !wk.child || !wk.topo || !wk.height || !wk.own || !wk.size ||
        !wk.start || !wk.cursor || !wk.sl || !wk.nruns || !wk.mode || !wk.run_off || !out->unit ||
        !out->block || !wk.bad || !wk.wsum || !wk.wxsum)
        goto nomem;
    out->nunits = nu;
    out->nlines = p->nlines;
    out->nbands = p->nbands;
    wk.out = out;
    for (int u = 0; u < nu; u++) {
        double *blk = out->block + (size_t)u * (size_t)(6 * p->nlines + p->nbands);
        struct gf_dist_stats *s = &out->unit[u];
        s->fgt0 = blk;
        s->fgt1 = blk + p->nlines;
        s->fgt2 = blk + 2 * p->nlines;
        s->watts = blk + 3 * p->nlines;
        s->low_hh = blk + 4 * p->nlines;
        s->low_persons = blk + 5 * p->nlines;
        s->band_share = blk + 6 * p->nlines;
    }

    /* (1) check, reference mean, counts and layout */
    if (sp) { /* rows as spans: their units and counts (their values are checked as copied) */
        for (size_t k = 0; k < sp->nspan; k++) {
            int32_t u = sp->span[k].unit;
            if (u < 0 || u >= nu) {
                rc =
                    gf_err_set(e, GF_EUSER, "span %zu: unit %d: expected 0..%d", k, (int)u, nu - 1);
                goto done;
            }
            wk.cursor[u] += sp->span[k].n;
        }
        wk.bad[0] = (size_t)-1;
        wk.wsum[0] = wk.wxsum[0] = (struct gf_ksum){0, 0};
    } else if (gf_dist__par_for(wk.nthreads, wk.nslice, prepass_task, &wk) != GF_OK) {
        rc = gf_err_set(e, GF_ESYS, "cannot start threads");
        goto done;
    }
    {
        struct gf_ksum sw = {0, 0}, swx = {0, 0};
        for (size_t s = 0; s < wk.nslice; s++) {
            if (wk.bad[s] != (size_t)-1) {
                rc = bad_row(in, wk.bad[s], nu, e);
                goto done;
            }
            gf_ksum_merge(&sw, &wk.wsum[s]);
            gf_ksum_merge(&swx, &wk.wxsum[s]);
        }
        /* Σ w x ln(x/K) loses no digits when K is near the mean */
        double W = gf_ksum_value(&sw), K = W != 0 ? gf_ksum_value(&swx) / W : nan_();
        for (size_t s = 0; s < (given ? 1 : wk.nslice); s++) {
            if (s == 0 && given && (in->flags & GF_DIST_FREE_INPUT)) {
                wk.sl[0] = (struct gf_dist_acc *)given; /* ours now: no copy */
                given_taken = 1;
            } else if (!(wk.sl[s] = gf_dist_acc_new(p, given ? given->K : K, flags))) {
                goto nomem;
            }
            if (acc_reserve(wk.sl[s], nu) != GF_OK)
                goto nomem;
        }
        wk.K = wk.sl[0]->K;
    }
    for (size_t s = 0; s < wk.nslice; s++)
        for (int u = 0; u < nu; u++)
            wk.own[u] += wk.cursor[s * nu_ + (size_t)u];
    if (given) { /* the caller's sums: of these rows, unit by unit */
        if (given->n > nu) {
            rc = gf_err_set(e, GF_EUSER, "sums for unit %d: expected units 0..%d", given->n - 1,
                            nu - 1);
            goto done;
        }
        for (int u = 0; u < nu; u++)
            if ((u < given->n ? (size_t)given->c[u].n : 0) != wk.own[u]) {
                rc = gf_err_set(e, GF_EUSER, "unit %d: sums of %lld rows for %zu rows", u,
                                u < given->n ? given->c[u].n : 0LL, wk.own[u]);
                goto done;
            }
        if (!given_taken && gf_dist_acc_merge(wk.sl[0], given, NULL) != GF_OK)
            goto nomem;
    }
    for (size_t s = 0; s < (given ? 1 : wk.nslice); s++)
        wk.sl[s]->n = nu;
    if ((rc = build_tree(&wk, tree ? tree : &(struct gf_dist_tree){1, NULL}, e)) != GF_OK)
        goto done;
    for (int u = 0; u < nu; u++) {
        size_t pos = wk.start[u];
        for (size_t s = 0; s < wk.nslice; s++) {
            size_t c = wk.cursor[s * nu_ + (size_t)u];
            wk.cursor[s * nu_ + (size_t)u] = pos;
            pos += c;
        }
    }
    /* (2) scatter (and add up, from rows), or copy the spans */
    if (sp && sp->reg) { /* of its own: the regions' pages can be moved in */
        wk.a_mapped = sizeof(struct gf_dist_xw) * (n ? n : 1);
        wk.a = gf_map(wk.a_mapped);
    } else {
        wk.a = malloc(sizeof(struct gf_dist_xw) * (n ? n : 1));
    }
    if (!wk.a)
        goto nomem;
    if (sp) {
        if ((rc = gather_spans(&wk, sp, e)) != GF_OK)
            goto done;
    } else {
        gf_small_pages(wk.a, sizeof(struct gf_dist_xw) * n);
        if (gf_dist__par_for(wk.nthreads, wk.nslice, scatter_task, &wk) != GF_OK) {
            rc = gf_err_set(e, GF_ESYS, "cannot start threads");
            goto done;
        }
    }
    free_input(in);
    in = NULL;
    for (size_t s = 1; s < wk.nslice && !given; s++)
        if (gf_dist_acc_merge(wk.sl[0], wk.sl[s], NULL) != GF_OK)
            goto nomem;
    wk.acc = wk.sl[0]->k;
    wk.cnt = wk.sl[0]->c;
    if (wk.has_urban)
        totals_of_groups(&wk);
    for (int i = 0; i < nu; i++) { /* children before parents */
        int u = wk.topo[i], pu = wk.parent[u];
        if (pu < 0)
            continue;
        ucount_merge(&wk.cnt[pu], &wk.cnt[u]);
        for (int k = 0; k < wk.nacc; k++)
            gf_ksum_merge(&wk.acc[(size_t)pu * (size_t)wk.nacc + (size_t)k],
                          &wk.acc[(size_t)u * (size_t)wk.nacc + (size_t)k]);
    }
    for (int u = 0; u < nu; u++)
        additive_stats(&wk, u);
    for (int i = 0; i < nu; i++)
        if ((rc = children_stats(&wk, wk.topo[i])) != GF_OK)
            goto nomem;

    /* (3) sort own rows in chunks (sorted in a thread's scratch); runs = own chunks + children */
    size_t sort_chunk = SORT_CHUNK < piece_rows ? SORT_CHUNK : piece_rows;
    size_t nst = 0, nrb = 0;
    for (int u = 0; u < nu; u++) {
        size_t ch = (wk.own[u] + sort_chunk - 1) / sort_chunk;
        nst += ch;
        wk.run_off[u] = nrb;
        nrb += ch + (size_t)(wk.child_off[u + 1] - wk.child_off[u]) + 1;
    }
    wk.runs = malloc(sizeof(size_t) * (nrb ? nrb : 1));
    stasks = malloc(sizeof(struct sort_task) * (nst ? nst : 1));
    hunits = malloc(sizeof(int) * nu_);
    hsort = malloc(sizeof(struct size_unit) * nu_);
    orows = malloc(sizeof *orows * nu_);
    oruns = malloc(sizeof *oruns * nu_);
    on = malloc(sizeof *on * nu_);
    oout = malloc(sizeof *oout * nu_);
    if (!wk.runs || !stasks || !hunits || !hsort || !orows || !oruns || !on || !oout)
        goto nomem;
    nst = 0;
    size_t nallruns = 1;
    int maxr = 1;
    for (int u = 0; u < nu; u++) {
        size_t *b = wk.runs + wk.run_off[u];
        int r = 0;
        b[0] = wk.start[u];
        for (size_t off = 0; off < wk.own[u]; off += sort_chunk) {
            size_t len = wk.own[u] - off < sort_chunk ? wk.own[u] - off : sort_chunk;
            stasks[nst++] = (struct sort_task){wk.start[u] + off, len};
            r++;
            b[r] = b[r - 1] + len;
        }
        for (int k = wk.child_off[u]; k < wk.child_off[u + 1]; k++) {
            int c = wk.child[k];
            if (wk.size[c] == 0)
                continue;
            r++;
            b[r] = b[r - 1] + wk.size[c];
        }
        wk.nruns[u] = r;
        nallruns += (size_t)r;
        maxr = r > maxr ? r : maxr;
    }
    /* how each unit is merged, and the merge buffer: as large as the largest unit merged
     * through it (at most a quarter of the rows) or the largest smaller run of a pair merged
     * in place; a unit of few runs merges them one after the other when that needs less (5
     * counties: 2 counties' rows instead of 4) */
    wk.pairs = malloc(sizeof *wk.pairs * nallruns);
    wk.mtasks = malloc(sizeof *wk.mtasks * (n / piece_rows + nallruns + 2));
    wk.hunits_local = malloc(sizeof(int) * nu_);
    size_t *bscratch = malloc(sizeof *bscratch * ((size_t)maxr + 1)), need = 0, ntiles = 0;
    if (!wk.pairs || !wk.mtasks || !wk.hunits_local || !bscratch) {
        free(bscratch);
        goto nomem;
    }
    for (int u = 0; u < nu; u++) {
        const size_t *b = wk.runs + wk.run_off[u];
        size_t nb;
        wk.mode[u] = MERGE_LOCAL;
        if (wk.nruns[u] < 2)
            continue;
        if (wk.parent[u] < 0 && wk.nruns[u] <= GF_DIST_MAXWAY) {
            wk.mode[u] = MERGE_NONE;
            continue;
        }
        if (wk.size[u] <= piece_rows)
            continue;
        if (wk.size[u] <= n / 4) {
            wk.mode[u] = MERGE_BUFFERED;
            nb = wk.size[u];
            size_t nt = wk.size[u] / tile_rows() + (size_t)wk.nruns[u] + 1;
            ntiles = nt > ntiles ? nt : ntiles;
        } else {
            wk.mode[u] = MERGE_IN_PLACE;
            nb = pass_need(b, wk.nruns[u], 0, bscratch, wk.pairs);
            if (wk.nruns[u] <= 16 && nb > 0) {
                size_t ns = pass_need(b, wk.nruns[u], 1, bscratch, wk.pairs);
                if (ns < nb) {
                    wk.mode[u] = MERGE_IN_PLACE_SEQ;
                    nb = ns;
                }
            }
        }
        need = nb > need ? nb : need;
    }
    for (int u = 0; u < nu; u++)
        if (wk.nruns[u] > 1)
            atomic_fetch_add(&merged_by[wk.mode[u]], 1);
    free(bscratch);
    wk.tmp = malloc(sizeof(struct gf_dist_xw) * piece_rows * (size_t)wk.nthreads);
    wk.tscratch = malloc(sizeof(struct gf_dist_xw) * tile_rows() * 2 * (size_t)wk.nthreads);
    wk.tiles = malloc(sizeof *wk.tiles * (ntiles ? ntiles : 1));
    if (wk.spare_len && need && sizeof(struct gf_dist_xw) * need <= wk.spare_cap) {
        /* the regions' pages that a had no room for; those buf does not need given back */
        size_t keep = gf_huge_round(sizeof(struct gf_dist_xw) * need);
        wk.buf = (struct gf_dist_xw *)wk.spare;
        wk.buf_mapped = keep;
        if (keep < wk.spare_cap)
            gf_unmap(wk.spare + keep, wk.spare_cap - keep);
        wk.spare = NULL;
    } else {
        wk.buf = malloc(sizeof(struct gf_dist_xw) * (need ? need : 1));
    }
    gf_unmap(wk.spare, wk.spare_cap);
    wk.spare = NULL;
    if (!wk.tmp || !wk.buf || !wk.tscratch || !wk.tiles)
        goto nomem;
    gf_prefault(wk.buf, sizeof(struct gf_dist_xw) * need);
    {
        struct sort_ctx sc = {&wk, stasks};
        if (gf_dist__par_for(wk.nthreads, nst, sort_task_fn, &sc) != GF_OK) {
            rc = gf_err_set(e, GF_ESYS, "cannot start threads");
            goto done;
        }
    }
    int maxh = 0;
    for (int u = 0; u < nu; u++)
        if (wk.height[u] > maxh)
            maxh = wk.height[u];
    for (int h = 0; h <= maxh; h++) {
        int nh = 0;
        for (int i = 0; i < nu; i++)
            if (wk.height[wk.topo[i]] == h)
                hunits[nh++] = wk.topo[i];
        if ((rc = merge_height(&wk, hunits, nh)) != GF_OK) {
            rc = gf_err_set(e, rc, rc == GF_ENOMEM ? "out of memory" : "cannot start threads");
            goto done;
        }
        /* (4) order-based measures, largest units first (better balance between threads) */
        for (int i = 0; i < nh; i++)
            hsort[i] = (struct size_unit){wk.size[hunits[i]], hunits[i]};
        qsort(hsort, (size_t)nh, sizeof *hsort, cmp_size_desc);
        for (int i = 0; i < nh; i++)
            hunits[i] = hsort[i].unit;
        for (int i = 0; i < nh; i++) {
            int u = hunits[i];
            orows[i] = wk.a + wk.start[u];
            on[i] = wk.size[u];
            oout[i] = &out->unit[u];
            oruns[i].m = 0;
            if (wk.mode[u] == MERGE_NONE && wk.nruns[u] > 1) {
                const size_t *b = wk.runs + wk.run_off[u];
                oruns[i].m = wk.nruns[u];
                for (int k = 0; k < wk.nruns[u]; k++) {
                    oruns[i].run[k] = wk.a + b[k];
                    oruns[i].len[k] = b[k + 1] - b[k];
                }
            }
        }
        if ((rc = gf_dist__order_stats(wk.nthreads, nh, orows, oruns, on, oout)) != GF_OK) {
            rc = gf_err_set(e, rc, rc == GF_ENOMEM ? "out of memory" : "cannot start threads");
            goto done;
        }
        for (int i = 0; i < nh; i++) { /* one value: exactly 0 */
            struct gf_dist_stats *s = oout[i];
            if (s->gini == s->gini && wk.cnt[hunits[i]].wmin == wk.cnt[hunits[i]].wmax)
                s->gini = 0;
        }
    }
    goto done;
nomem:
    rc = gf_err_set(e, GF_ENOMEM, "out of memory");
done:
    if (in)
        free_input(in);
    if (sp) {
        free(sp->dst);
        sp->dst = NULL;
    }
    free(wk.parent);
    free(wk.child_off);
    free(wk.child);
    free(wk.topo);
    free(wk.height);
    free(wk.own);
    free(wk.size);
    free(wk.start);
    free(wk.cursor);
    free(wk.bad);
    free(wk.wsum);
    free(wk.wxsum);
    if (wk.sl)
        for (size_t s = 0; s < wk.nslice; s++)
            gf_dist_acc_free(wk.sl[s]);
    free(wk.sl);
    if (given && !given_taken && (wk.in_flags & GF_DIST_FREE_INPUT))
        gf_dist_acc_free((struct gf_dist_acc *)given);
    free(wk.nruns);
    free(wk.mode);
    free(wk.pairs);
    free(wk.mtasks);
    free(wk.hunits_local);
    free(wk.tmp);
    free(wk.tscratch);
    free(wk.tiles);
    free(wk.run_off);
    free(wk.runs);
    if (wk.a_mapped)
        gf_unmap(wk.a, wk.a_mapped);
    else
        free(wk.a);
    if (wk.buf_mapped)
        gf_unmap(wk.buf, wk.buf_mapped);
    else
        free(wk.buf);
    gf_unmap(wk.spare, wk.spare_cap);
    free(stasks);
    free(hunits);
    free(hsort);
    free(orows);
    free(oruns);
    free(on);
    free(oout);
    if (rc != GF_OK)
        gf_dist_result_free(out);
    return rc;
}
