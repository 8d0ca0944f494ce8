/* partition_bench.c — how the distribution measures split by county across machines.
 *
 * The rows of a zone (a city of C counties, V villages each; synthetic, deterministic) are
 * dealt to P partitions by county, as a PostgreSQL cluster partitioned (or a Citus cluster
 * distributed) by county code holds them.  Each partition does its own work alone: every
 * measure of its villages and counties (gf_dist_compute on its rows), its additive sums
 * (gf_dist_acc) and one sorted run of its (value, weight) pairs.  The coordinator then only
 * merges: the P sums (gf_dist_acc_merge) and the P sorted runs (gf_dist_merge2, log2 P rounds),
 * from which it takes the city's order-based measures (here the Gini and the median).
 * For P = 1, 2, 4, 8 it prints the slowest partition (the time on P machines), the sum over
 * partitions (the work), the coordinator's merge, and checks the city's Gini, median and mean
 * against one gf_dist_compute over all rows.
 * usage: partition_bench [N=4000000] [C=16] [V=50]   (bench/partition_bench.sh builds it) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/dist.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static double uniform(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return ((double)(rng >> 11) + 0.5) / 9007199254740992.0;
}

/* The Gini of sorted pairs: Σ w x (2c − w) / (W T) − 1, c the weight through the row. */
static double gini_sorted(const struct gf_dist_xw *a, size_t n)
{
    long double g = 0, c = 0, W = 0, T = 0;
    for (size_t i = 0; i < n; i++) {
        c += a[i].w;
        g += (long double)a[i].w * a[i].x * (2 * c - a[i].w);
        W += a[i].w;
        T += (long double)a[i].w * a[i].x;
    }
    return (double)(g / (W * T) - 1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    return p;
}

int main(int argc, char **argv)
{
    size_t N = argc > 1 ? strtoull(argv[1], NULL, 10) : 4000000;
    int C = argc > 2 ? atoi(argv[2]) : 16, V = argc > 3 ? atoi(argv[3]) : 50;
    int nunits = 1 + C + C * V; /* 0 the city, 1..C counties, then villages */
    int32_t *parent = xmalloc((size_t)nunits * sizeof *parent);
    parent[0] = -1;
    for (int c = 0; c < C; c++) {
        parent[1 + c] = 0;
        for (int v = 0; v < V; v++)
            parent[1 + C + c * V + v] = 1 + c;
    }
    double *x = xmalloc(N * sizeof *x), *w = xmalloc(N * sizeof *w);
    int32_t *unit = xmalloc(N * sizeof *unit);
    for (size_t i = 0; i < N; i++) {
        int vil = (int)(uniform() * C * V);
        int county = vil / V;
        /* log-normal incomes, a level by county; weights 50..150 */
        double z = sqrt(-2 * log(uniform())) * cos(2 * M_PI * uniform());
        x[i] = round(exp(9.8 + 0.1 * county / (double)C + 0.7 * z) * 100) / 100;
        w[i] = 50 + floor(uniform() * 101);
        unit[i] = 1 + C + vil;
    }
    struct gf_dist_params p = {NULL, 0, NULL, NULL, 0, 3, 1};
    struct gf_err e = {0};

    /* one piece: every row, every unit */
    struct gf_dist_input all = {N, x, w, NULL, NULL, NULL, NULL, unit, 0};
    struct gf_dist_tree tree = {nunits, parent};
    struct gf_dist_result whole;
    double t0 = now();
    if (gf_dist_compute(&all, &tree, &p, &whole, &e)) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    double t_whole = now() - t0;
    printf("%zu households, %d counties, %d villages; one thread a partition\n", N, C, C * V);
    printf("one piece: %.3f s; city Gini %.15f, median %.2f, mean %.6f\n\n", t_whole,
           whole.unit[0].gini, whole.unit[0].median, whole.unit[0].mean);
    printf("%10s %14s %14s %12s %10s %12s %12s\n", "partitions", "slowest s", "sum s", "merge s",
           "speed-up", "Gini diff", "median diff");

    for (int P = 1; P <= 8; P *= 2) {
        struct gf_dist_xw **run = xmalloc((size_t)P * sizeof *run);
        size_t *nrun = xmalloc((size_t)P * sizeof *nrun);
        struct gf_dist_acc **acc = xmalloc((size_t)P * sizeof *acc);
        double slowest = 0, sum = 0;
        for (int k = 0; k < P; k++) {
            /* the partition's rows: the counties c with c % P == k (gathered here, untimed: a
             * partitioned table hands them over as they are stored) */
            size_t n = 0;
            for (size_t i = 0; i < N; i++)
                n += ((parent[unit[i]] - 1) % P) == k;
            double *px = xmalloc(n * sizeof *px), *pw = xmalloc(n * sizeof *pw);
            int32_t *pu = xmalloc(n * sizeof *pu);
            run[k] = xmalloc(n * sizeof **run);
            size_t j = 0;
            for (size_t i = 0; i < N; i++)
                if (((parent[unit[i]] - 1) % P) == k) {
                    px[j] = x[i], pw[j] = w[i], pu[j] = unit[i];
                    run[k][j] = (struct gf_dist_xw){x[i], w[i]};
                    j++;
                }
            nrun[k] = n;
            double t = now();
            /* its own measures (its villages and counties under the same tree: the other
             * counties simply have no rows here), its sums, its sorted run */
            struct gf_dist_input in = {n, px, pw, NULL, NULL, NULL, NULL, pu, 0};
            struct gf_dist_result part;
            if (gf_dist_compute(&in, &tree, &p, &part, &e)) {
                fprintf(stderr, "%s\n", e.msg);
                return 1;
            }
            acc[k] = gf_dist_acc_new(&p, 20000, 0);
            if (!acc[k] || gf_dist_acc_add_rows(acc[k], n, pu, px, pw, NULL, NULL, NULL, NULL, 0,
                                                nunits, NULL)) {
                fprintf(stderr, "sums failed\n");
                return 1;
            }
            gf_dist_sort(run[k], n);
            double dt = now() - t;
            sum += dt;
            if (dt > slowest)
                slowest = dt;
            gf_dist_result_free(&part);
            free(px), free(pw), free(pu);
        }
        /* the coordinator: merge the sums, then one streaming pass over the P sorted runs
         * (a k-way merge by a small heap, nothing copied) for the city's Gini and median */
        double t = now();
        for (int k = 1; k < P; k++)
            gf_dist_acc_merge(acc[0], acc[k], NULL);
        long double W = 0, T = 0;
        for (int k = 0; k < P; k++) /* each partition reports Σw and Σwx with its run */
            for (size_t i = 0; i < nrun[k]; i++)
                W += run[k][i].w, T += (long double)run[k][i].w * run[k][i].x;
        double t_stream = now();
        int heap[8], nh = 0;
        size_t pos[8] = {0};
#define HEAD(k) run[k][pos[k]].x
        for (int k = 0; k < P; k++)
            if (nrun[k]) {
                int i = nh++;
                while (i > 0 && HEAD(heap[(i - 1) / 2]) > HEAD(k))
                    heap[i] = heap[(i - 1) / 2], i = (i - 1) / 2;
                heap[i] = k;
            }
        long double g = 0, c = 0;
        double median = NAN;
        while (nh) {
            int k = heap[0];
            struct gf_dist_xw r = run[k][pos[k]++];
            c += r.w;
            g += (long double)r.w * r.x * (2 * c - r.w);
            if (isnan(median) && c / W > 0.5)
                median = r.x;
            int last = pos[k] < nrun[k] ? k : heap[--nh];
            int i = 0; /* sift the new head (or the last) down from the top */
            for (;;) {
                int l = 2 * i + 1, m = l + 1, s = i;
                double xs = HEAD(last);
                if (l < nh && HEAD(heap[l]) < xs)
                    s = l, xs = HEAD(heap[l]);
                if (m < nh && HEAD(heap[m]) < xs)
                    s = m;
                if (s == i)
                    break;
                heap[i] = heap[s];
                i = s;
            }
            if (nh)
                heap[i] = last;
        }
#undef HEAD
        double gini = (double)(g / (W * T) - 1);
        double merge = now() - t;
        (void)t_stream;
        printf("%10d %14.3f %14.3f %12.3f %9.2fx %12.2e %12.2e\n", P, slowest, sum, merge,
               t_whole / (slowest + merge), fabs(gini - whole.unit[0].gini),
               fabs(median - whole.unit[0].median));
        for (int k = 0; k < P; k++) {
            free(run[k]);
            gf_dist_acc_free(acc[k]);
        }
        free(run), free(nrun), free(acc);
    }
    gf_dist_result_free(&whole);
    free(x), free(w), free(unit), free(parent);
    return 0;
}
