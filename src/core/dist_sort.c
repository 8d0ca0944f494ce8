/* dist_sort.c — sorting and merging (value, weight) pairs, and a tiny parallel-for. */
#include "core/dist_int.h"

#include <pthread.h>
#include <stdatomic.h>
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
void gf_dist_sort(struct gf_dist_xw *a, size_t n)
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
            gf_dist_sort(a, nl);
            a += gt;
            n = nr;
        } else {
            gf_dist_sort(a + gt, nr);
            n = nl;
        }
    }
    insertion_sort(a, n);
}

void gf_dist__merge(const struct gf_dist_xw *a, size_t m, const struct gf_dist_xw *b, size_t n,
                    struct gf_dist_xw *dst)
{
    size_t i = 0, j = 0;
    if (m && n) {
        for (;;) {
            if (b[j].x < a[i].x) {
                *dst++ = b[j++];
                if (j == n)
                    break;
            } else {
                *dst++ = a[i++];
                if (i == m)
                    break;
            }
        }
    }
    if (i < m)
        memcpy(dst, a + i, (m - i) * sizeof *a);
    if (j < n)
        memcpy(dst, b + j, (n - j) * sizeof *b);
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
