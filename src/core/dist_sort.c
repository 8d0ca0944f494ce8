/* dist_sort.c — sorting and merging (value, weight) pairs, and a tiny parallel-for. */
#include "core/dist_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

static void insertion_sort(struct gf_dist_xw *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct gf_dist_xw v = a[i];
        size_t j = i;
        while (j > 0 && a[j - 1].x > v.x) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = v;
    }
}

static void swap_xw(struct gf_dist_xw *a, struct gf_dist_xw *b)
{
    struct gf_dist_xw t = *a;
    *a = *b;
    *b = t;
}

/* Quicksort with median-of-three pivots and a three-way partition (incomes have many ties,
 * e.g. rounded values), recursing on the smaller side so the stack stays O(log n). */
static void quick_sort(struct gf_dist_xw *a, size_t n)
{
    while (n > 24) {
        size_t mid = n / 2;
        if (a[mid].x < a[0].x)
            swap_xw(&a[mid], &a[0]);
        if (a[n - 1].x < a[0].x)
            swap_xw(&a[n - 1], &a[0]);
        if (a[n - 1].x < a[mid].x)
            swap_xw(&a[n - 1], &a[mid]);
        double pv = a[mid].x;
        /* Dijkstra three-way: [0,lt) < pv, [lt,i) == pv, (gt,n) > pv */
        size_t lt = 0, i = 0, gt = n;
        while (i < gt) {
            if (a[i].x < pv)
                swap_xw(&a[lt++], &a[i++]);
            else if (a[i].x > pv)
                swap_xw(&a[i], &a[--gt]);
            else
                i++;
        }
        size_t nl = lt, nr = n - gt;
        if (nl < nr) {
            quick_sort(a, nl);
            a += gt;
            n = nr;
        } else {
            quick_sort(a + gt, nr);
            n = nl;
        }
    }
    insertion_sort(a, n);
}

/* Order-preserving map of a double to an unsigned key (negative numbers reversed). */
static inline uint64_t key_of(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u >> 63 ? ~u : u | ((uint64_t)1 << 63);
}

/* Most-significant-digit radix sort of the rows in `from`, scattering into `to` (for the groups
 * lsd_sort leaves large); the result ends in `from` when back is set, else in `to`.  Each level
 * splits on the bits just below the highest bit where the range's keys differ (about four rows a
 * bucket, at most 2^11 buckets), so leading bits common to a village's incomes cost nothing;
 * small buckets are finished by insertion.  Stable: ties keep their order. */
enum { MSD_MAX_BITS = 11, MSD_SMALL = 32 };

static void msd_sort(struct gf_dist_xw *from, struct gf_dist_xw *to, size_t n, int back)
{
    if (n <= MSD_SMALL) {
        struct gf_dist_xw *a = from;
        if (!back) {
            memcpy(to, from, n * sizeof *to);
            a = to;
        }
        insertion_sort(a, n);
        return;
    }
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = key_of(from[i].x);
        lo = k < lo ? k : lo;
        hi = k > hi ? k : hi;
    }
    if (lo == hi) { /* one key: sorted */
        if (!back)
            memcpy(to, from, n * sizeof *to);
        return;
    }
    int top = 63 - __builtin_clzll(lo ^ hi);      /* the highest bit that differs */
    int bits = 62 - __builtin_clzll((uint64_t)n); /* log2(n) - 1: about four rows a bucket */
    bits = bits > MSD_MAX_BITS ? MSD_MAX_BITS : bits < 2 ? 2 : bits;
    int shift = top + 1 - bits > 0 ? top + 1 - bits : 0;
    size_t nb = (size_t)1 << (top + 1 - shift), cnt[(size_t)1 << MSD_MAX_BITS];
    uint64_t base = lo >> shift;
    memset(cnt, 0, nb * sizeof cnt[0]);
    for (size_t i = 0; i < n; i++)
        cnt[(key_of(from[i].x) >> shift) - base]++;
    size_t sum = 0;
    for (size_t b = 0; b < nb; b++) {
        size_t t = cnt[b];
        cnt[b] = sum;
        sum += t;
    }
    for (size_t i = 0; i < n; i++)
        to[cnt[(key_of(from[i].x) >> shift) - base]++] = from[i];
    /* the rows are in `to` now: each bucket goes on from there, its result wanted in `from`
     * when back is set, which is "not back" as seen from `to` */
    size_t prev = 0;
    for (size_t b = 0; b < nb; b++) {
        size_t end = cnt[b], len = end - prev;
        if (len)
            msd_sort(to + prev, from + prev, len, !back);
        prev = end;
    }
}

/* Least-significant-digit radix sort in two passes of 11 bits on the 22 bits just below the
 * highest bit where the keys differ (a village's incomes: 2^22 buckets over its range), then
 * each group of rows sharing those bits — already in order by them — by insertion when small and
 * by msd_sort when large (a few outliers can crowd the rest into one group).  Fewer than
 * LSD_SMALL_N rows take two passes of 8 bits: clearing and adding up 2 × 2^11 counts cost a
 * village of a hundred rows more than its rows did (2 M rows in 20 000 villages: 15 % of all
 * instructions).  Stable; the result in a. */
enum { LSD_BITS = 11, LSD_SMALL_N = 4096, LSD_SMALL_BITS = 8 };

static void lsd_sort(struct gf_dist_xw *a, struct gf_dist_xw *tmp, size_t n)
{
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = key_of(a[i].x);
        lo = k < lo ? k : lo;
        hi = k > hi ? k : hi;
    }
    if (n < 2 || lo == hi)
        return;
    const int bits = n < LSD_SMALL_N ? LSD_SMALL_BITS : LSD_BITS;
    int top = 63 - __builtin_clzll(lo ^ hi);
    int shift = top + 1 > 2 * bits ? top + 1 - 2 * bits : 0;
    const uint64_t mask = ((uint64_t)1 << bits) - 1;
    size_t c0[(size_t)1 << LSD_BITS], c1[(size_t)1 << LSD_BITS];
    memset(c0, 0, sizeof c0[0] << bits);
    memset(c1, 0, sizeof c1[0] << bits);
#define DIGITS(row) ((key_of((row).x) - lo) >> shift)
    for (size_t i = 0; i < n; i++) {
        uint64_t d = DIGITS(a[i]);
        c0[d & mask]++;
        c1[d >> bits]++;
    }
    size_t s0 = 0, s1 = 0;
    for (size_t b = 0; b <= mask; b++) {
        size_t t0 = c0[b], t1 = c1[b];
        c0[b] = s0;
        c1[b] = s1;
        s0 += t0;
        s1 += t1;
    }
    for (size_t i = 0; i < n; i++)
        tmp[c0[DIGITS(a[i]) & mask]++] = a[i];
    for (size_t i = 0; i < n; i++)
        a[c1[DIGITS(tmp[i]) >> bits]++] = tmp[i];
    for (size_t i = 0; i < n;) {
        uint64_t d = DIGITS(a[i]);
        size_t j = i + 1;
        while (j < n && DIGITS(a[j]) == d)
            j++;
        if (j - i > MSD_SMALL)
            msd_sort(a + i, tmp + i, j - i, 1);
        else if (j - i > 1)
            insertion_sort(a + i, j - i);
        i = j;
    }
#undef DIGITS
}

void gf_dist_sort_tmp(struct gf_dist_xw *a, size_t n, struct gf_dist_xw *tmp)
{
    if (!tmp)
        quick_sort(a, n);
    else
        lsd_sort(a, tmp, n);
}

void gf_dist_sort(struct gf_dist_xw *a, size_t n)
{
    quick_sort(a, n);
}

/* Stable merging (ties: a's rows first) is bound by the latency of its load-compare-select
 * chain, so one merge runs as four independent chains: the output is cut in two halves at their
 * co-rank, and each half is merged from its front and from its back at once.  Within a stretch
 * of steps that can exhaust no run and cross no middle, a step has no checks. */
struct merge_half {
    const struct gf_dist_xw *a, *b;   /* the runs */
    const struct gf_dist_xw *af, *bf; /* front: next of a, next of b */
    const struct gf_dist_xw *ae, *be; /* ends of the runs */
    const struct gf_dist_xw *ab, *bb; /* back: one past the largest left of a, of b */
    struct gf_dist_xw *of, *ob, *mid; /* front output, back output (one past), where they meet */
};

static void half_init(struct merge_half *h, const struct gf_dist_xw *a, size_t m,
                      const struct gf_dist_xw *b, size_t n, struct gf_dist_xw *dst)
{
    size_t total = m + n;
    *h = (struct merge_half){.a = a,
                             .b = b,
                             .af = a,
                             .bf = b,
                             .ae = a + m,
                             .be = b + n,
                             .ab = a + m,
                             .bb = b + n,
                             .of = dst,
                             .ob = dst + total,
                             .mid = dst + (total - total / 2)};
}

static size_t min_z(size_t x, size_t y)
{
    return x < y ? x : y;
}

/* Steps that are safe: no run of either end can run out, and neither output crosses mid. */
static size_t half_safe(const struct merge_half *h)
{
    size_t front = min_z((size_t)(h->ae - h->af), (size_t)(h->be - h->bf));
    size_t back = min_z((size_t)(h->ab - h->a), (size_t)(h->bb - h->b));
    return min_z(min_z(front, back), (size_t)(h->ob - h->mid));
}

/* One step: the smallest of the front heads and the largest of the back heads (branch-free). */
#define HALF_STEP(h)                                                                               \
    do {                                                                                           \
        int tb_ = (h).bf->x < (h).af->x;                                                           \
        int ta_ = (h).ab[-1].x > (h).bb[-1].x;                                                     \
        const struct gf_dist_xw *sf_ = tb_ ? (h).bf : (h).af;                                      \
        const struct gf_dist_xw *sb_ = ta_ ? (h).ab - 1 : (h).bb - 1;                              \
        *(h).of++ = *sf_;                                                                          \
        *--(h).ob = *sb_;                                                                          \
        (h).bf += tb_;                                                                             \
        (h).af += !tb_;                                                                            \
        (h).ab -= ta_;                                                                             \
        (h).bb -= !ta_;                                                                            \
    } while (0)

/* Finish a half once a run is (nearly) exhausted: compare while both runs have rows, then
 * copy the rest of the other run. */
static void half_finish(struct merge_half *h)
{
    for (size_t l; (l = half_safe(h)) > 0;)
        for (size_t t = 0; t < l; t++)
            HALF_STEP(*h);
    while (h->of < h->mid && h->af < h->ae && h->bf < h->be)
        *h->of++ = h->bf->x < h->af->x ? *h->bf++ : *h->af++;
    if (h->of < h->mid)
        memcpy(h->of, h->af < h->ae ? h->af : h->bf, (size_t)(h->mid - h->of) * sizeof *h->of);
    while (h->ob > h->mid && h->ab > h->a && h->bb > h->b)
        *--h->ob = h->ab[-1].x > h->bb[-1].x ? *--h->ab : *--h->bb;
    if (h->ob > h->mid) {
        size_t r = (size_t)(h->ob - h->mid);
        memcpy(h->mid, h->ab > h->a ? h->ab - r : h->bb - r, r * sizeof *h->mid);
    }
}

void gf_dist__merge(const struct gf_dist_xw *a, size_t m, const struct gf_dist_xw *b, size_t n,
                    struct gf_dist_xw *dst)
{
    size_t k = (m + n) / 2, i = gf_dist__corank(a, m, b, n, k);
    struct merge_half h1, h2;
    half_init(&h1, a, i, b, k - i, dst);
    half_init(&h2, a + i, m - i, b + (k - i), n - (k - i), dst + k);
    for (size_t l; (l = min_z(half_safe(&h1), half_safe(&h2))) > 0;)
        for (size_t t = 0; t < l; t++) {
            HALF_STEP(h1);
            HALF_STEP(h2);
        }
    half_finish(&h1);
    half_finish(&h2);
}

void gf_dist_merge2(const struct gf_dist_xw *a, size_t m, size_t n, struct gf_dist_xw *dst)
{
    gf_dist__merge(a, m, a + m, n - m, dst);
}

size_t gf_dist__corank(const struct gf_dist_xw *a, size_t m, const struct gf_dist_xw *b, size_t n,
                       size_t k)
{
    size_t lo = k > n ? k - n : 0, hi = k < m ? k : m;
    while (lo < hi) {
        size_t i = lo + (hi - lo) / 2, j = k - i;
        /* j ≥ 1 here because i < hi ≤ k */
        if (a[i].x <= b[j - 1].x)
            lo = i + 1; /* a[i] comes before b[j-1]: more than i from a */
        else
            hi = i;
    }
    return lo;
}

size_t gf_dist__below(const struct gf_dist_xw *a, size_t lo, size_t hi, double v, int through)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (through ? a[mid].x <= v : a[mid].x < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The rows of a run that precede a row of value v of another run in the order the pairwise
 * merges give (x < v; equal x too when this run is the lower one: through): looked for first
 * between lo and hi, where the answer usually is, in the whole run otherwise. */
static size_t rows_before(const struct gf_dist_xw *run, size_t len, int through, double v,
                          size_t lo, size_t hi)
{
    if (lo > 0 && gf_dist__below(run, lo - 1, lo, v, through) == lo - 1) /* below lo */
        return gf_dist__below(run, 0, lo - 1, v, through);
    if (hi < len && gf_dist__below(run, hi, hi + 1, v, through) == hi + 1) /* above hi */
        return gf_dist__below(run, hi + 1, len, v, through);
    return gf_dist__below(run, lo, hi, v, through);
}

void gf_dist__multi_corank(const struct gf_dist_xw *const *run, const size_t *len, int m, size_t q,
                           size_t *cut)
{
    size_t lo[GF_DIST_MAXWAY], hi[GF_DIST_MAXWAY], p[GF_DIST_MAXWAY];
    for (int i = 0; i < m; i++) {
        lo[i] = 0;
        hi[i] = len[i];
    }
    /* the cut lies in [lo, hi) of every run; a pivot (the middle row of the widest range)
     * narrows them all: the rows before it are all among the first q or it is not */
    for (;;) {
        int j = -1;
        size_t wide = 0;
        for (int i = 0; i < m; i++)
            if (hi[i] - lo[i] > wide) {
                wide = hi[i] - lo[i];
                j = i;
            }
        if (j < 0)
            break;
        size_t mid = lo[j] + (hi[j] - lo[j]) / 2, rank = 0;
        double v = run[j][mid].x;
        for (int i = 0; i < m; i++) {
            p[i] = i == j ? mid : rows_before(run[i], len[i], i < j, v, lo[i], hi[i]);
            rank += p[i];
        }
        if (rank < q) { /* the pivot is among the first q, and every row before it */
            for (int i = 0; i < m; i++)
                lo[i] = p[i] > lo[i] ? p[i] : lo[i];
            lo[j] = mid + 1;
        } else { /* it is not, nor any row after it */
            for (int i = 0; i < m; i++)
                hi[i] = p[i] < hi[i] ? p[i] : hi[i];
            hi[j] = mid;
        }
    }
    for (int i = 0; i < m; i++)
        cut[i] = lo[i];
}

void gf_dist__merge_tree(const struct gf_dist_xw *const *run, const size_t *len, int m, size_t k0,
                         size_t k1, struct gf_dist_xw *out, struct gf_dist_xw *x,
                         struct gf_dist_xw *y)
{
    size_t c0[GF_DIST_MAXWAY], c1[GF_DIST_MAXWAY];
    gf_dist__multi_corank(run, len, m, k0, c0);
    gf_dist__multi_corank(run, len, m, k1, c1);
    gf_dist__merge_cuts(run, m, c0, c1, out, x, y);
}

void gf_dist__merge_cuts(const struct gf_dist_xw *const *run, int m, const size_t *c0,
                         const size_t *c1, struct gf_dist_xw *out, struct gf_dist_xw *x,
                         struct gf_dist_xw *y)
{
    size_t n[GF_DIST_MAXWAY];
    const struct gf_dist_xw *p[GF_DIST_MAXWAY];
    for (int i = 0; i < m; i++) {
        p[i] = run[i] + c0[i];
        n[i] = c1[i] - c0[i];
    }
    if (m == 1) {
        memcpy(out, p[0], sizeof *out * n[0]);
        return;
    }
    /* level by level as the passes would: neighbours merged, an odd last one carried; every
     * level into scratch (in the caches) but the last */
    struct gf_dist_xw *scratch[2] = {x, y};
    for (int cnt = m, which = 0; cnt > 1; which ^= 1) {
        int next = (cnt + 1) / 2;
        struct gf_dist_xw *d = next == 1 ? out : scratch[which];
        size_t off = 0;
        for (int j = 0; j < cnt; j += 2) {
            size_t nn = n[j];
            if (j + 1 < cnt) {
                gf_dist__merge(p[j], n[j], p[j + 1], n[j + 1], d + off);
                nn += n[j + 1];
            } else {
                memcpy(d + off, p[j], sizeof *d * n[j]);
            }
            p[j / 2] = d + off;
            n[j / 2] = nn;
            off += nn;
        }
        cnt = next;
    }
}

struct par_ctx {
    void (*fn)(void *ctx, size_t task, int thread);
    void *ctx;
    size_t ntasks;
    atomic_size_t next;
};

struct par_arg {
    struct par_ctx *pc;
    int thread;
};

static void *par_worker(void *arg)
{
    struct par_arg *pa = arg;
    struct par_ctx *pc = pa->pc;
    for (;;) {
        size_t t = atomic_fetch_add_explicit(&pc->next, 1, memory_order_relaxed);
        if (t >= pc->ntasks)
            break;
        pc->fn(pc->ctx, t, pa->thread);
    }
    return NULL;
}

int gf_dist__par_for(int nthreads, size_t ntasks, void (*fn)(void *ctx, size_t task, int thread),
                     void *ctx)
{
    enum { MAXT = 16 };
    struct par_ctx pc = {.fn = fn, .ctx = ctx, .ntasks = ntasks};
    atomic_init(&pc.next, 0);
    if (nthreads > MAXT)
        nthreads = MAXT;
    if ((size_t)nthreads > ntasks)
        nthreads = (int)ntasks;
    if (nthreads < 1)
        nthreads = 1;
    pthread_t tid[MAXT];
    struct par_arg args[MAXT];
    int started = 0, rc = GF_OK;
    for (int t = 1; t < nthreads; t++) {
        args[t] = (struct par_arg){&pc, t};
        if (pthread_create(&tid[t], NULL, par_worker, &args[t]) != 0) {
            rc = GF_ESYS;
            break;
        }
        started = t;
    }
    args[0] = (struct par_arg){&pc, 0};
    par_worker(&args[0]);
    for (int t = 1; t <= started; t++)
        pthread_join(tid[t], NULL);
    return rc;
}
