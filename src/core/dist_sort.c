/* dist_sort.c — sorting and merging (value, weight) pairs, and a tiny parallel-for. */
#include "core/prefault.h"
#include "core/dist_int.h"

#include <pthread.h>
#include <sys/mman.h>
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

void gf_dist_sort_tmp(struct gf_dist_xw *a, size_t n, struct gf_dist_xw *tmp)
{
    if (n < 512 || !tmp) {
        quick_sort(a, n);
        return;
    }
    /* LSD radix sort on 8-bit digits; digits equal for every row are skipped */
    static const int ND = 8;
    size_t (*cnt)[256] = calloc(ND, sizeof *cnt);
    if (!cnt) {
        quick_sort(a, n);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t k = key_of(a[i].x);
        for (int d = 0; d < ND; d++)
            cnt[d][(k >> (8 * d)) & 255]++;
    }
    struct gf_dist_xw *src = a, *dst = tmp;
    for (int d = 0; d < ND; d++) {
        size_t *c = cnt[d];
        if (c[(key_of(a[0].x) >> (8 * d)) & 255] == n)
            continue;
        size_t sum = 0;
        for (int b = 0; b < 256; b++) {
            size_t t = c[b];
            c[b] = sum;
            sum += t;
        }
        for (size_t i = 0; i < n; i++)
            dst[c[(key_of(src[i].x) >> (8 * d)) & 255]++] = src[i];
        struct gf_dist_xw *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
    free(cnt);
}

void gf_dist_sort(struct gf_dist_xw *a, size_t n)
{
    quick_sort(a, n);
}

/* Stable merge (ties: a's rows first).  The front half of the output is merged from the
 * front and the back half from the back in the same loop: two independent chains of
 * load-compare-select, so the core overlaps them (one chain is bound by its latency). */
void gf_dist__merge(const struct gf_dist_xw *a, size_t m, const struct gf_dist_xw *b, size_t n,
                    struct gf_dist_xw *dst)
{
    size_t total = m + n, nback = total / 2, nfront = total - nback;
    size_t i = 0, j = 0;     /* front: next of a, next of b */
    size_t p = m, q = n;     /* back: a[p-1], b[q-1] are the largest left */
    size_t f = 0, k = total; /* front output dst[f], back output dst[k-1] */
    while (k > nfront && i < m && j < n && p > 0 && q > 0) {
        const struct gf_dist_xw *af = a + i, *bf = b + j, *ab = a + p - 1, *bb = b + q - 1;
        int tb = bf->x < af->x;
        int ta = ab->x > bb->x;
        const struct gf_dist_xw *sf = tb ? bf : af, *sb = ta ? ab : bb;
        dst[f++] = *sf;
        dst[--k] = *sb;
        j += (size_t)tb;
        i += (size_t)!tb;
        p -= (size_t)ta;
        q -= (size_t)!ta;
    }
    /* one run of a half exhausted (or empty from the start: a plain copy): finish each half
     * by compares while both runs have rows, then copy the rest of the other run */
    for (; f < nfront && i < m && j < n; f++)
        dst[f] = b[j].x < a[i].x ? b[j++] : a[i++];
    if (f < nfront)
        memcpy(dst + f, i < m ? a + i : b + j, (nfront - f) * sizeof *dst);
    for (; k > nfront && p > 0 && q > 0; k--)
        dst[k - 1] = a[p - 1].x > b[q - 1].x ? a[--p] : b[--q];
    if (k > nfront)
        memcpy(dst + nfront, p > 0 ? a + p - (k - nfront) : b + q - (k - nfront),
               (k - nfront) * sizeof *dst);
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

void gf_dist__huge(void *p, size_t n)
{
    gf_prefault(p, n);
}

struct huge_ctx {
    char *p;
    size_t n, piece;
};

static void huge_task(void *ctx, size_t i, int thread)
{
    (void)thread;
    struct huge_ctx *h = ctx;
    size_t off = i * h->piece, len = h->n - off < h->piece ? h->n - off : h->piece;
    gf_dist__huge(h->p + off, len);
}

void gf_dist__huge_par(void *p, size_t n, int nthreads)
{
    /* pieces of 32 MiB (a multiple of the 2 MiB huge page), faulted in by all threads */
    struct huge_ctx h = {p, n, (size_t)32 << 20};
    if (!p || n == 0)
        return;
    gf_dist__par_for(nthreads, (n + h.piece - 1) / h.piece, huge_task, &h);
}
