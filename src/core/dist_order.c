/* dist_order.c — the order-based measures of sorted rows (quantiles and deciles, Gini, decile
 * shares, S80/S20, Palma, ARPT/ARPR, rmpg), spread over the threads in pieces.
 *
 * Every measure is a function of running sums along the sorted rows: the cumulative weight c
 * (a quantile is where c/W passes p), the cumulative Σ w x (decile shares, S80/S20, Palma) and
 * Σ w x (2c − w) (Gini: that / (W Σ w x) − 1, which is laeken's (2 Σ w x c − Σ w² x) / (W Σ w x)
 * − 1 in one sum).  A unit's rows are cut into pieces of OPIECE rows, which the threads scan at
 * once, each from zero: the running weight and Σ w x are kept every CHECK rows.  Then the unit
 * adds the pieces up (c of a piece's row = the weight of the pieces before + its own running
 * weight, so Σ w x (2c − w) gains 2 c_before Σ w x) and finds each quantile from the
 * checkpoints and at most CHECK rows.  A unit of one piece gets exactly the sums of one loop
 * from its first row; several pieces change results by rounding only, and the pieces do not
 * depend on the number of threads.
 *
 * A unit whose rows were left in a few sorted runs (the top of the tree: nothing above needs them
 * merged) is read through gf_dist__merge_tree: the scan merges VTILE rows at a time into its
 * thread's scratch, and the lookups merge the CHECK rows they need; the rows and their order are
 * those of the merged run, so the results are too.
 */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "core/cpu.h"
#include "core/dist_int.h"
#include "core/ksum.h"

#define OPIECE ((size_t)1 << 18)
#define CHECK ((size_t)1 << 6)
#define VTILE ((size_t)1 << 12) /* rows merged at a time from runs: a multiple of CHECK */
#define ND GF_DIST_NDECILE

struct ounit {
    const struct gf_dist_xw *a;      /* the rows, or NULL: */
    const struct gf_dist_runs *runs; /* the runs they are merged from */
    size_t n;
    double W;
    struct gf_dist_stats *s;
    size_t p0, np; /* its pieces */
};

struct opiece {
    const struct ounit *u;
    size_t lo, hi; /* rows of the unit */
    /* running weight and Σ w x from the piece's first row, after rows [lo, lo + k·CHECK) and
     * (last) after [lo, hi): nblocks + 1 each */
    struct gf_ksum *cw, *wx;
    struct gf_ksum g; /* Σ w x (2c − w) with the piece's own running weight c */
    double cb, xb;    /* weight and Σ w x of the unit's pieces before this one */
};

struct piece_len { /* a piece and its number of rows, to sort pieces by length */
    size_t len;
    int32_t q;
};

struct octx {
    struct ounit *units;
    struct opiece *pieces;
    struct gf_dist_xw *scratch; /* per thread: 3 × VTILE rows, for units read from runs */
    const int *multi;           /* the units of more than one piece */
    /* the tasks of the scan: ngroup groups of LANES pieces of rows in arrays (-1: no piece),
     * scanned side by side, then one task a piece for the others */
    const int32_t *group;
    size_t ngroup;
    const int32_t *single;
};

/* Rows one at a time, anywhere: a window of CHECK rows, merged again when a row is outside. */
struct view {
    const struct ounit *u;
    struct gf_dist_xw *s3;
    size_t w0, w1; /* the window: rows w0 … w1 − 1 in s3 (3 × CHECK rows) */
};

static const struct gf_dist_xw *row_at(struct view *v, size_t r)
{
    if (v->u->a)
        return &v->u->a[r];
    if (r < v->w0 || r >= v->w1) {
        v->w0 = r - r % CHECK;
        v->w1 = v->w0 + CHECK < v->u->n ? v->w0 + CHECK : v->u->n;
        const struct gf_dist_runs *rs = v->u->runs;
        gf_dist__merge_tree(rs->run, rs->len, rs->m, v->w0, v->w1, v->s3, v->s3 + CHECK,
                            v->s3 + 2 * CHECK);
    }
    return &v->s3[r - v->w0];
}

/* The number of rows with x < v (through = 0) or x ≤ v (through = 1): where they end. */
static size_t rows_below(const struct ounit *u, double v, int through)
{
    if (u->a)
        return gf_dist__below(u->a, 0, u->n, v, through);
    size_t sum = 0;
    for (int i = 0; i < u->runs->m; i++)
        sum += gf_dist__below(u->runs->run[i], 0, u->runs->len[i], v, through);
    return sum;
}

static double nan_(void)
{
    return (double)NAN;
}

static size_t nblocks(const struct opiece *pc)
{
    return (pc->hi - pc->lo + CHECK - 1) / CHECK;
}

static void finish_unit(struct octx *oc, const struct ounit *u, int thread);

static void scan_task(void *ctx, size_t i, int thread)
{
    struct octx *oc = ctx;
    struct opiece *pc = oc->pieces + i;
    const struct ounit *u = pc->u;
    struct gf_dist_xw *s3 = oc->scratch + (size_t)thread * 3 * VTILE;
    struct gf_ksum cw = {0, 0}, wx = {0, 0}, g = {0, 0};
    size_t k = 0, step = u->a ? pc->hi - pc->lo : VTILE;
    size_t cut[2][GF_DIST_MAXWAY]; /* runs: the cuts at a tile's start and end */
    if (!u->a)
        gf_dist__multi_corank(u->runs->run, u->runs->len, u->runs->m, pc->lo, cut[0]);
    for (size_t t0 = pc->lo, at = 0; t0 < pc->hi; t0 += step, at ^= 1) {
        size_t t1 = t0 + step < pc->hi ? t0 + step : pc->hi;
        const struct gf_dist_xw *a = u->a ? u->a + t0 : s3;
        if (!u->a) {
            gf_dist__multi_corank(u->runs->run, u->runs->len, u->runs->m, t1, cut[at ^ 1]);
            gf_dist__merge_cuts(u->runs->run, u->runs->m, cut[at], cut[at ^ 1], s3, s3 + VTILE,
                                s3 + 2 * VTILE);
        }
        for (size_t b0 = t0; b0 < t1; b0 += CHECK) {
            size_t b1 = b0 + CHECK < t1 ? b0 + CHECK : t1;
            pc->cw[k] = cw;
            pc->wx[k++] = wx;
            for (size_t r = b0 - t0; r < b1 - t0; r++) {
                double x = a[r].x, w = a[r].w;
                gf_ksum_add_grow(&cw, w);
                double c = gf_ksum_value(&cw);
                gf_ksum_add_grow(&wx, w * x);
                gf_ksum_add_grow(&g, w * x * (2 * c - w));
            }
        }
    }
    pc->cw[k] = cw;
    pc->wx[k] = wx;
    pc->g = g;
    if (u->np == 1)
        finish_unit(oc, u, thread);
}

#ifdef GF_CPU_BUILDS
/* LANES pieces of rows in arrays scanned side by side, one in each lane of a vector: the same
 * operations on each piece's rows as scan_task's, in the same order, so the same sums to the
 * last bit (Knuth's two-sum finds the same error as Fast2Sum behind its branch: the exact one).
 * A piece whose rows have ended is fed rows of weight and value 0, which add exactly nothing. */
#define LANES 4

__attribute__((target("avx2"))) static inline __m256d two_sum4(__m256d *s, __m256d x, __m256d c)
{
    __m256d t = _mm256_add_pd(*s, x), bv = _mm256_sub_pd(t, *s), av = _mm256_sub_pd(t, bv);
    __m256d e = _mm256_add_pd(_mm256_sub_pd(*s, av), _mm256_sub_pd(x, bv));
    *s = t;
    return _mm256_add_pd(c, e);
}

static const struct gf_dist_xw zero_rows[1];

__attribute__((target("avx2"))) static void scan_lanes(struct octx *oc, const int32_t *group,
                                                       int thread)
{
    struct opiece *pc[LANES];
    size_t nb[LANES], most = 0;
    for (int l = 0; l < LANES; l++) {
        pc[l] = group[l] >= 0 ? &oc->pieces[group[l]] : NULL;
        nb[l] = pc[l] ? nblocks(pc[l]) : 0;
        most = nb[l] > most ? nb[l] : most;
    }
    __m256d cws = _mm256_setzero_pd(), cwc = cws, wxs = cws, wxc = cws, gs = cws, gc = cws;
    const __m256d two = _mm256_set1_pd(2.0);
    for (size_t k = 0; k < most; k++) {
        const struct gf_dist_xw *a[LANES];
        size_t len[LANES], full = CHECK, longest = 0;
        double st[4][LANES]; /* the checkpoint before the block: weight and Σ w x */
        _mm256_storeu_pd(st[0], cws);
        _mm256_storeu_pd(st[1], cwc);
        _mm256_storeu_pd(st[2], wxs);
        _mm256_storeu_pd(st[3], wxc);
        for (int l = 0; l < LANES; l++) {
            len[l] = 0;
            a[l] = zero_rows;
            if (k < nb[l]) {
                size_t b0 = pc[l]->lo + k * CHECK,
                       b1 = b0 + CHECK < pc[l]->hi ? b0 + CHECK : pc[l]->hi;
                a[l] = pc[l]->u->a + b0;
                len[l] = b1 - b0;
                pc[l]->cw[k] = (struct gf_ksum){st[0][l], st[1][l]};
                pc[l]->wx[k] = (struct gf_ksum){st[2][l], st[3][l]};
            }
            full = len[l] < full ? len[l] : full;
            longest = len[l] > longest ? len[l] : longest;
        }
#define LANE_ROW(p0, p1, p2, p3)                                                                   \
    do {                                                                                           \
        __m256d r02 = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(&(p0)->x)),         \
                                           _mm_loadu_pd(&(p2)->x), 1);                             \
        __m256d r13 = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(&(p1)->x)),         \
                                           _mm_loadu_pd(&(p3)->x), 1);                             \
        __m256d x = _mm256_unpacklo_pd(r02, r13), w = _mm256_unpackhi_pd(r02, r13);                \
        cwc = two_sum4(&cws, w, cwc);                                                              \
        __m256d c = _mm256_add_pd(cws, cwc), wx = _mm256_mul_pd(w, x);                             \
        wxc = two_sum4(&wxs, wx, wxc);                                                             \
        __m256d t = _mm256_mul_pd(wx, _mm256_sub_pd(_mm256_mul_pd(two, c), w));                    \
        gc = two_sum4(&gs, t, gc);                                                                 \
    } while (0)
        for (size_t r = 0; r < full; r++)
            LANE_ROW(&a[0][r], &a[1][r], &a[2][r], &a[3][r]);
        for (size_t r = full; r < longest; r++) /* some lanes' blocks have ended */
            LANE_ROW(r < len[0] ? &a[0][r] : zero_rows, r < len[1] ? &a[1][r] : zero_rows,
                     r < len[2] ? &a[2][r] : zero_rows, r < len[3] ? &a[3][r] : zero_rows);
#undef LANE_ROW
    }
    double st[6][LANES]; /* the sums after the last block, and the Gini sum */
    _mm256_storeu_pd(st[0], cws);
    _mm256_storeu_pd(st[1], cwc);
    _mm256_storeu_pd(st[2], wxs);
    _mm256_storeu_pd(st[3], wxc);
    _mm256_storeu_pd(st[4], gs);
    _mm256_storeu_pd(st[5], gc);
    for (int l = 0; l < LANES; l++) {
        if (!pc[l])
            continue;
        pc[l]->cw[nb[l]] = (struct gf_ksum){st[0][l], st[1][l]};
        pc[l]->wx[nb[l]] = (struct gf_ksum){st[2][l], st[3][l]};
        pc[l]->g = (struct gf_ksum){st[4][l], st[5][l]};
        if (pc[l]->u->np == 1)
            finish_unit(oc, pc[l]->u, thread);
    }
}

/* Longest first, then in order. */
static int cmp_piece_len(const void *p, const void *q)
{
    const struct piece_len *a = p, *b = q;
    return a->len != b->len ? (a->len < b->len) - (a->len > b->len) : (a->q > b->q) - (a->q < b->q);
}
#define LANES_OR_1 LANES
#else
#define LANES_OR_1 1
#endif

/* The build of the scan in use: -1 not chosen yet, 0 any CPU's, 1 AVX2's lanes. */
static atomic_int scan_build = -1;

int gf_dist__scan_build(int b)
{
    int best = 0;
#ifdef GF_CPU_BUILDS
    best = (gf_cpu_features() & GF_CPU_V3) != 0;
#endif
    atomic_store(&scan_build, b < 0 || b > best ? best : b);
    return atomic_load(&scan_build);
}

/* Task i of the scan: a group of pieces side by side, or one piece. */
static void scan_any(void *ctx, size_t i, int thread)
{
    struct octx *oc = ctx;
#ifdef GF_CPU_BUILDS
    if (i < oc->ngroup) {
        scan_lanes(oc, oc->group + LANES * i, thread);
        return;
    }
#endif
    scan_task(ctx, (size_t)oc->single[i - oc->ngroup], thread);
}

/* The piece holding row r (0 ≤ r < n). */
static const struct opiece *piece_of(const struct ounit *u, const struct opiece *pcs, size_t r)
{
    return &pcs[u->p0 + r / OPIECE];
}

/* Cumulative weight and Σ w x of rows [0, r] (r < n), as the scan had them. */
static void sums_through(struct view *v, const struct opiece *pcs, size_t r, double *c, double *x)
{
    const struct ounit *u = v->u;
    const struct opiece *pc = piece_of(u, pcs, r);
    size_t k = (r - pc->lo) / CHECK;
    struct gf_ksum cw = pc->cw[k], wx = pc->wx[k];
    for (size_t i = pc->lo + k * CHECK; i <= r; i++) {
        const struct gf_dist_xw *a = row_at(v, i);
        gf_ksum_add(&cw, a->w);
        gf_ksum_add(&wx, a->w * a->x);
    }
    *c = pc->cb + gf_ksum_value(&cw);
    *x = pc->xb + gf_ksum_value(&wx);
}

/* The first row r < limit whose cumulative weight c passes (c > t && c / d > p), or limit
 * when none does: the pieces and checkpoints say where, at most CHECK rows are added. */
static size_t first_passing(struct view *v, const struct opiece *pcs, size_t limit, double t,
                            double d, double p)
{
    const struct ounit *u = v->u;
    for (size_t q = u->p0; q < u->p0 + u->np && pcs[q].lo < limit; q++) {
        const struct opiece *pc = &pcs[q];
        size_t nb = nblocks(pc);
        for (size_t k = 0; k < nb && pc->lo + k * CHECK < limit; k++) {
            size_t b0 = pc->lo + k * CHECK, b1 = b0 + CHECK < pc->hi ? b0 + CHECK : pc->hi;
            if (b1 <= limit) {
                double ce = pc->cb + gf_ksum_value(&pc->cw[k + 1]);
                if (!(ce > t && ce / d > p))
                    continue;
            } else {
                b1 = limit;
            }
            struct gf_ksum cw = pc->cw[k];
            for (size_t r = b0; r < b1; r++) {
                gf_ksum_add(&cw, row_at(v, r)->w);
                double c = pc->cb + gf_ksum_value(&cw);
                if (c > t && c / d > p)
                    return r;
            }
        }
    }
    return limit;
}

/* The order-based measures of unit u, all its pieces scanned. */
static void finish_unit(struct octx *oc, const struct ounit *u, int thread)
{
    struct gf_dist_stats *s = u->s;
    struct view v = {u, oc->scratch + (size_t)thread * 3 * VTILE, 0, 0};
    struct opiece *pcs = oc->pieces;
    if (u->np == 0)
        return;
    /* the pieces added up: weight and Σ w x before each, Gini sums */
    struct gf_ksum cb = {0, 0}, xb = {0, 0}, g = {0, 0};
    for (size_t q = u->p0; q < u->p0 + u->np; q++) {
        struct opiece *pc = &pcs[q];
        size_t nb = nblocks(pc);
        pc->cb = gf_ksum_value(&cb);
        pc->xb = gf_ksum_value(&xb);
        if (q == u->p0) {
            g = pc->g;
        } else { /* Σ w x (2 (c_before + c) − w) = Σ w x (2c − w) + 2 c_before Σ w x */
            gf_ksum_merge(&g, &pc->g);
            gf_ksum_add(&g, 2 * pc->cb * gf_ksum_value(&pc->wx[nb]));
        }
        gf_ksum_merge(&cb, &pc->cw[nb]);
        gf_ksum_merge(&xb, &pc->wx[nb]);
    }
    const struct opiece *last = &pcs[u->p0 + u->np - 1];
    double T = last->xb + gf_ksum_value(&last->wx[nblocks(last)]), S[ND];
    /* deciles: the first row where c/W passes p (laeken); S = Σ w x through its tie group */
    for (int j = 0; j < ND; j++) {
        double P = (j + 1) / 10.0;
        size_t r = first_passing(&v, pcs, u->n, P * u->W * (1 - 1e-9), u->W, P);
        if (r == u->n) { /* only by rounding: c/W never passed p */
            s->decile[j] = row_at(&v, u->n - 1)->x;
            S[j] = T;
            continue;
        }
        double q = row_at(&v, r)->x, c;
        size_t end = rows_below(u, q, 1); /* the tie group's end: the first row with x > q */
        s->decile[j] = q;
        if (end == u->n)
            S[j] = T;
        else
            sums_through(&v, pcs, end - 1, &c, &S[j]);
    }
    s->median = s->decile[4];
    if (T > 0) {
        s->gini = gf_ksum_value(&g) / (u->W * T) - 1;
        s->decile_share[0] = S[0] / T;
        for (int d = 1; d < ND; d++)
            s->decile_share[d] = (S[d] - S[d - 1]) / T;
        s->decile_share[9] = (T - S[8]) / T;
    }
    s->qsr = S[1] != 0 ? (T - S[7]) / S[1] : nan_();
    s->palma = S[3] != 0 ? (T - S[8]) / S[3] : nan_();
    s->arpt = 0.6 * s->median;
    /* poor: the rows with x < ARPT, a prefix */
    size_t lo = rows_below(u, s->arpt, 0);
    double swp = 0, x;
    if (lo)
        sums_through(&v, pcs, lo - 1, &swp, &x);
    s->arpr = swp / u->W;
    if (lo > 0 && swp > 0 && s->arpt != 0) { /* their weighted median (laeken's rule) */
        size_t r = first_passing(&v, pcs, lo, 0.49 * swp, swp, 0.5);
        s->rmpg = (s->arpt - row_at(&v, r < lo ? r : lo - 1)->x) / s->arpt;
    }
}

static void finish_multi_task(void *ctx, size_t i, int thread)
{
    struct octx *oc = ctx;
    finish_unit(oc, oc->units + oc->multi[i], thread);
}

int gf_dist__order_stats(int nthreads, int nu, const struct gf_dist_xw *const *rows,
                         const struct gf_dist_runs *runs, const size_t *n,
                         struct gf_dist_stats *const *out)
{
    int merged = 0; /* units read from runs */
    struct ounit *units = calloc((size_t)(nu > 0 ? nu : 1), sizeof *units);
    size_t npieces = 0;
    if (!units)
        return GF_ENOMEM;
    for (int i = 0; i < nu; i++) {
        struct ounit *u = &units[i];
        struct gf_dist_stats *s = out[i];
        *u = (struct ounit){.a = rows[i], .n = n[i], .W = s->weight_sum, .s = s, .p0 = npieces};
        if (runs && runs[i].m > 0) {
            u->a = NULL;
            u->runs = &runs[i];
            merged = 1;
        }
        s->median = s->arpt = s->arpr = s->qsr = s->rmpg = s->palma = s->gini = nan_();
        for (int j = 0; j < ND; j++)
            s->decile[j] = nan_();
        for (int j = 0; j < 10; j++)
            s->decile_share[j] = nan_();
        if (u->n == 0 || !(u->W > 0))
            continue;
        u->np = (u->n + OPIECE - 1) / OPIECE;
        npieces += u->np;
    }
    struct opiece *pcs = malloc(sizeof *pcs * (npieces ? npieces : 1));
    size_t nck = 0;
    for (int i = 0; i < nu; i++)
        nck += units[i].np ? units[i].n / CHECK + 2 * units[i].np : 0;
    struct gf_ksum *ck = malloc(sizeof *ck * 2 * (nck ? nck : 1));
    int nt = nthreads > 0 ? nthreads : 1;
    struct gf_dist_xw *scratch = merged ? malloc(sizeof *scratch * 3 * VTILE * (size_t)nt) : NULL;
    int *multi = malloc(sizeof *multi * (size_t)(nu > 0 ? nu : 1));
    /* the scan's tasks (below) */
    int32_t *task = malloc(sizeof *task * (npieces + LANES_OR_1));
    struct piece_len *bylen = malloc(sizeof *bylen * (npieces + 1));
    if (!pcs || !ck || (merged && !scratch) || !multi || !task || !bylen) {
        free(bylen);
        free(task);
        free(multi);
        free(pcs);
        free(ck);
        free(scratch);
        free(units);
        return GF_ENOMEM;
    }
    nck = 0;
    for (int i = 0; i < nu; i++)
        for (size_t k = 0; k < units[i].np; k++) {
            struct opiece *pc = &pcs[units[i].p0 + k];
            pc->u = &units[i];
            pc->lo = k * OPIECE;
            pc->hi = pc->lo + OPIECE < units[i].n ? pc->lo + OPIECE : units[i].n;
            pc->cw = ck + nck;
            pc->wx = ck + nck + nblocks(pc) + 1;
            nck += 2 * (nblocks(pc) + 1);
        }
    /* a unit of one piece is finished by the task that scans it, while its rows are in the
     * caches (the lookups of the finish read rows again); the others once all are scanned */
    int nmulti = 0;
    for (int i = 0; i < nu; i++)
        if (units[i].np > 1)
            multi[nmulti++] = i;
    /* the scan's tasks: when the CPU has the vectors, pieces of rows in arrays by LANES,
     * longest first (so that the lanes of a group end close together); the others one by one */
    size_t ngroup = 0, nsingle = 0;
    int32_t *single = task;
    int build = atomic_load_explicit(&scan_build, memory_order_relaxed);
    if (build < 0)
        build = gf_dist__scan_build(-1);
#ifdef GF_CPU_BUILDS
    if (build == 1) {
        size_t nplain = 0;
        for (size_t q = 0; q < npieces; q++)
            if (pcs[q].u->a)
                bylen[nplain++] = (struct piece_len){pcs[q].hi - pcs[q].lo, (int32_t)q};
        qsort(bylen, nplain, sizeof *bylen, cmp_piece_len);
        for (size_t q = 0; q < nplain; q++)
            task[q] = bylen[q].q;
        ngroup = (nplain + LANES - 1) / LANES;
        for (size_t q = nplain; q < ngroup * LANES; q++)
            task[q] = -1;
        single = task + ngroup * LANES;
    }
#endif
    for (size_t q = 0; q < npieces; q++)
        if (!ngroup || !pcs[q].u->a)
            single[nsingle++] = (int32_t)q;
    struct octx oc = {units, pcs, scratch, multi, task, ngroup, single};
    int rc = gf_dist__par_for(nthreads, ngroup + nsingle, scan_any, &oc);
    if (rc == GF_OK)
        rc = gf_dist__par_for(nthreads, (size_t)nmulti, finish_multi_task, &oc);
    free(bylen);
    free(task);
    free(multi);
    free(ck);
    free(pcs);
    free(scratch);
    free(units);
    return rc;
}
