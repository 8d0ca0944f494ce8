/* test_dist.c — distribution measures: published values (DESIGN.md §3), hand-computed cases for
 * every measure and edge case, decompositions adding up, and the hierarchy (merged runs) against
 * a naive per-unit reference computed from scratch. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/dist.h"
#include "core/dist_int.h"
#include "core/ksum.h"
#include "core/prefault.h"

#define N_(a) (sizeof(a) / sizeof((a)[0]))

static void near(double got, double want, double tol, const char *what)
{
    if (isnan(want) ? !isnan(got) : !(fabs(got - want) <= tol * fmax(1.0, fabs(want)))) {
        print_error("%s: got %.17g, want %.17g\n", what, got, want);
        fail();
    }
}
#define NEAR(g, w, t) near((g), (w), (t), #g)

/* Compute one unit over x (w NULL = 1) with lines/bands; returns the stats copy. */
struct one {
    struct gf_dist_result r;
    struct gf_dist_stats *s;
};

static void one_full(struct one *o, size_t n, const double *x, const double *w, const double *hw,
                     const signed char *urban, const double *lines, int nlines, const double *blo,
                     const double *bhi, int nbands, double scale)
{
    struct gf_dist_input in = {.n = n,
                               .x = (double *)x,
                               .w = (double *)w,
                               .hw = (double *)hw,
                               .urban = (signed char *)urban};
    struct gf_dist_params p = {.lines = lines,
                               .nlines = nlines,
                               .band_lo = blo,
                               .band_hi = bhi,
                               .nbands = nbands,
                               .band_scale = scale,
                               .nthreads = 2};
    struct gf_dist_tree t = {1, NULL};
    struct gf_err e = {0};
    int rc = gf_dist_compute(&in, &t, &p, &o->r, &e);
    if (rc != GF_OK)
        print_error("%s\n", e.msg);
    assert_int_equal(rc, GF_OK);
    o->s = &o->r.unit[0];
}

static void one(struct one *o, size_t n, const double *x, const double *w)
{
    one_full(o, n, x, w, NULL, NULL, NULL, 0, NULL, NULL, 0, 0);
}

/* ---- published values ---- */

static void test_ineq_example(void **st)
{
    (void)st;
    double x[] = {541, 1463, 2445, 3438, 4437, 5401, 6392, 8304, 11904, 22261};
    double z = 2000;
    struct one o;
    one_full(&o, N_(x), x, NULL, NULL, NULL, &z, 1, NULL, NULL, 0, 0);
    NEAR(o.s->gini, 0.4620911, 5e-8);
    NEAR(o.s->atkinson[0], 0.1796591, 5e-8);
    NEAR(o.s->watts[0], 0.1620141, 5e-8);
    gf_dist_result_free(&o.r);
}

static void test_wbpip_1_2000(void **st)
{
    (void)st;
    double *x = malloc(2000 * sizeof *x);
    for (int i = 0; i < 2000; i++)
        x[1999 - i] = i + 1; /* given in descending order on purpose */
    struct one o;
    one(&o, 2000, x, NULL);
    NEAR(o.s->gini, 0.3331667, 5e-8);
    NEAR(o.s->mean, 1000.5, 1e-15);
    NEAR(o.s->median, 1001, 0); /* 1000/2000 = 0.5 is not > 0.5 */
    gf_dist_result_free(&o.r);
    free(x);
}

static void test_wbpip_zeros(void **st)
{
    (void)st;
    double x[100] = {0};
    x[57] = 100;
    struct one o;
    one(&o, 100, x, NULL);
    NEAR(o.s->gini, 0.99, 1e-14);
    NEAR(o.s->median, 0, 0);
    assert_true(isnan(o.s->mld));        /* zero incomes: outside MLD's domain */
    NEAR(o.s->theil, log(100.0), 1e-14); /* one has everything: T = ln n */
    gf_dist_result_free(&o.r);
}

static void test_median_1_4(void **st)
{
    (void)st;
    double x[] = {4, 3, 2, 1};
    struct one o;
    one(&o, 4, x, NULL);
    NEAR(o.s->median, 3, 0);
    gf_dist_result_free(&o.r);
    struct gf_dist_xw a[] = {{1, 1}, {2, 1}, {3, 1}, {4, 1}};
    NEAR(gf_dist_quantile_sorted(a, 4, 0.5), 3, 0);
    NEAR(gf_dist_quantile_sorted(a, 4, 0.0), 1, 0);
    NEAR(gf_dist_quantile_sorted(a, 4, 1.0), 4, 0);
    NEAR(gf_dist_quantile_sorted(a, 4, 0.25), 2, 0);
    NEAR(gf_dist_quantile_sorted(a, 4, 0.2499), 1, 0);
}

/* ---- hand-computed, every order-based measure on 1, 2, 3, 4 ---- */

static void test_hand_1_4(void **st)
{
    (void)st;
    double x[] = {3, 1, 4, 2};
    struct one o;
    one(&o, 4, x, NULL);
    struct gf_dist_stats *s = o.s;
    assert_int_equal(s->n, 4);
    NEAR(s->weight_sum, 4, 0);
    NEAR(s->mean, 2.5, 0);
    NEAR(s->gini, 0.25, 1e-15); /* (2·30 − 10)/(4·10) − 1 */
    double dec[9] = {1, 1, 2, 2, 3, 3, 3, 4, 4};
    for (int j = 0; j < 9; j++)
        NEAR(s->decile[j], dec[j], 0);
    double share[10] = {.1, 0, .2, 0, .3, 0, 0, .4, 0, 0};
    for (int j = 0; j < 10; j++)
        NEAR(s->decile_share[j], share[j], 1e-15);
    NEAR(s->arpt, 1.8, 1e-15);
    NEAR(s->arpr, 0.25, 0);
    NEAR(s->rmpg, (1.8 - 1) / 1.8, 1e-15);
    NEAR(s->qsr, 0, 0);   /* nobody above q(0.8) = 4 */
    NEAR(s->palma, 0, 0); /* nobody above q(0.9) = 4 */
    NEAR(s->min, 1, 0);
    NEAR(s->max, 4, 0);
    double mu = 2.5;
    double T = (1 / mu * log(1 / mu) + 2 / mu * log(2 / mu) + 3 / mu * log(3 / mu) +
                4 / mu * log(4 / mu)) /
               4;
    double M = log(mu) - log(24.0) / 4;
    NEAR(s->theil, T, 1e-13);
    NEAR(s->mld, M, 1e-13);
    double ms = (1 + sqrt(2.0) + sqrt(3.0) + 2) / 4;
    NEAR(s->atkinson[0], 1 - ms * ms / mu, 1e-13);
    NEAR(s->atkinson[1], 1 - pow(24.0, 0.25) / mu, 1e-13);
    NEAR(s->atkinson[2], 1 - 4 / (1 + 0.5 + 1.0 / 3 + 0.25) / mu, 1e-13);
    gf_dist_result_free(&o.r);
}

/* Spread-out quintile share and Palma: 1..10. */
static void test_hand_1_10(void **st)
{
    (void)st;
    double x[10];
    for (int i = 0; i < 10; i++)
        x[i] = i + 1;
    struct one o;
    one(&o, 10, x, NULL);
    /* rw = .1,.2,…: q(0.2) = 3 (0.2 is not > 0.2), q(0.8) = 9, q(0.4) = 5, q(0.9) = 10 */
    NEAR(o.s->decile[1], 3, 0);
    NEAR(o.s->decile[7], 9, 0);
    NEAR(o.s->qsr, 10.0 / 6.0, 1e-15); /* x > 9: 10; x ≤ 3: 1+2+3 */
    NEAR(o.s->palma, 0.0 / 15.0, 0);   /* x > 10: nobody */
    NEAR(o.s->median, 6, 0);
    NEAR(o.s->arpt, 3.6, 1e-15);
    NEAR(o.s->arpr, 0.3, 1e-15); /* 1, 2, 3 */
    NEAR(o.s->rmpg, (3.6 - 2) / 3.6, 1e-15);
    /* Gini of 1..n unweighted, laeken formula: (n−1)/(3n)·... check against the direct sum */
    double num = 0, sx = 0;
    for (int i = 1; i <= 10; i++) {
        num += 2.0 * i * i - i;
        sx += i;
    }
    NEAR(o.s->gini, num / (10 * sx) - 1, 1e-15);
    gf_dist_result_free(&o.r);
}

/* ---- ties and weights ---- */

static void test_weights_ties(void **st)
{
    (void)st;
    /* weighted {1(1), 2(1), 3(2)} equals the unweighted {1, 2, 3, 3} */
    double x[] = {3, 1, 2}, w[] = {2, 1, 1};
    double xe[] = {1, 2, 3, 3};
    struct one a, b;
    one(&a, 3, x, w);
    one(&b, 4, xe, NULL);
    NEAR(a.s->gini, 7.0 / 36.0, 1e-15);
    NEAR(b.s->gini, 7.0 / 36.0, 1e-15);
    NEAR(a.s->median, 3, 0); /* rw = .25, .5, 1 */
    NEAR(a.s->mean, 9.0 / 4.0, 1e-15);
    NEAR(a.s->theil, b.s->theil, 1e-14);
    NEAR(a.s->mld, b.s->mld, 1e-14);
    NEAR(a.s->qsr, b.s->qsr, 1e-15);
    NEAR(a.s->arpr, b.s->arpr, 0);
    for (int j = 0; j < 10; j++)
        NEAR(a.s->decile_share[j], b.s->decile_share[j], 1e-15);
    assert_int_equal(a.s->n, 3);
    NEAR(a.s->weight_sum, 4, 0);
    gf_dist_result_free(&a.r);
    gf_dist_result_free(&b.r);

    /* order within ties does not matter */
    double x1[] = {2, 5, 2, 2, 7, 5}, w1[] = {1, 2, 3, 4, 5, 6};
    double x2[] = {5, 2, 7, 2, 5, 2}, w2[] = {6, 4, 5, 1, 2, 3};
    one(&a, 6, x1, w1);
    one(&b, 6, x2, w2);
    NEAR(a.s->gini, b.s->gini, 1e-15);
    NEAR(a.s->median, b.s->median, 0);
    NEAR(a.s->qsr, b.s->qsr, 1e-15);
    /* by hand: sorted 2(1,3,4) 5(2,6) 7(5): W = 21, Σwx = 16+40+35 = 91;
       Σ w x cw over a tie group = x(W_g C_before + (W_g² + Σw²)/2) */
    double s1 = 2 * (8 * 0 + (64 + 26) / 2.0) + 5 * (8 * 8 + (64 + 40) / 2.0) +
                7 * (5 * 16 + (25 + 25) / 2.0);
    double s2 = 2 * 26 + 5 * 40 + 7 * 25;
    NEAR(a.s->gini, (2 * s1 - s2) / (21 * 91) - 1, 1e-14);
    NEAR(a.s->median, 5, 0); /* 8/21 < .5 < 16/21 */
    gf_dist_result_free(&a.r);
    gf_dist_result_free(&b.r);
}

static void test_zero_weights(void **st)
{
    (void)st;
    double x[] = {0.5, 1, 2, 3, 4, 100}, w[] = {0, 1, 1, 1, 1, 0};
    struct one o;
    one(&o, 6, x, w);
    assert_int_equal(o.s->n, 6);
    NEAR(o.s->weight_sum, 4, 0);
    NEAR(o.s->mean, 2.5, 0);
    NEAR(o.s->median, 3, 0);
    NEAR(o.s->gini, 0.25, 1e-15);
    NEAR(o.s->min, 0.5, 0); /* q(0): laeken takes the first sorted row */
    NEAR(o.s->max, 100, 0);
    double x4[] = {1, 2, 3, 4};
    struct one b;
    one(&b, 4, x4, NULL);
    NEAR(o.s->theil, b.s->theil, 1e-14);
    NEAR(o.s->mld, b.s->mld, 1e-14);
    NEAR(o.s->atkinson[2], b.s->atkinson[2], 1e-14);
    gf_dist_result_free(&o.r);
    gf_dist_result_free(&b.r);

    double w0[] = {0, 0, 0};
    one(&o, 3, x, w0);
    assert_int_equal(o.s->n, 3);
    NEAR(o.s->weight_sum, 0, 0);
    assert_true(isnan(o.s->mean));
    assert_true(isnan(o.s->median));
    assert_true(isnan(o.s->gini));
    assert_true(isnan(o.s->theil));
    gf_dist_result_free(&o.r);
}

static void test_single_row(void **st)
{
    (void)st;
    double x[] = {5}, w[] = {2};
    struct one o;
    one(&o, 1, x, w);
    NEAR(o.s->mean, 5, 0);
    NEAR(o.s->median, 5, 0);
    NEAR(o.s->gini, 0, 0);
    NEAR(o.s->theil, 0, 0);
    NEAR(o.s->mld, 0, 0);
    for (int k = 0; k < 3; k++)
        NEAR(o.s->atkinson[k], 0, 0);
    NEAR(o.s->arpt, 3, 0);
    NEAR(o.s->arpr, 0, 0);
    assert_true(isnan(o.s->rmpg)); /* nobody poor */
    NEAR(o.s->qsr, 0, 0);
    NEAR(o.s->decile_share[0], 1, 0);
    gf_dist_result_free(&o.r);
}

static void test_all_equal(void **st)
{
    (void)st;
    double x[] = {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1}, w[] = {1, 3, 0.7, 2, 9, 1, 0.1};
    struct one o;
    one(&o, 7, x, w);
    NEAR(o.s->gini, 0, 0);
    NEAR(o.s->theil, 0, 0);
    NEAR(o.s->mld, 0, 0);
    for (int k = 0; k < 3; k++)
        NEAR(o.s->atkinson[k], 0, 0);
    NEAR(o.s->median, 0.1, 0);
    NEAR(o.s->arpr, 0, 0);
    gf_dist_result_free(&o.r);
}

static void test_zero_and_negative(void **st)
{
    (void)st;
    double z = 2;
    double x0[] = {0, 1, 2, 3};
    struct one o;
    one_full(&o, 4, x0, NULL, NULL, NULL, &z, 1, NULL, NULL, 0, 0);
    double mu = 1.5;
    NEAR(o.s->theil, (1 / mu * log(1 / mu) + 2 / mu * log(2 / mu) + 3 / mu * log(3 / mu)) / 4,
         1e-13);
    assert_true(isnan(o.s->mld));
    assert_true(isnan(o.s->atkinson[1]));
    assert_true(isnan(o.s->atkinson[2]));
    double ms = (0 + 1 + sqrt(2.0) + sqrt(3.0)) / 4;
    NEAR(o.s->atkinson[0], 1 - ms * ms / mu, 1e-13);
    NEAR(o.s->fgt0[0], 0.5, 0);               /* 0 and 1 are strictly below 2 */
    NEAR(o.s->fgt1[0], (1 + 0.5) / 4, 1e-15); /* 2 is not */
    NEAR(o.s->fgt2[0], (1 + 0.25) / 4, 1e-15);
    NEAR(o.s->watts[0], log(2.0) / 4, 1e-15); /* x = 0 skipped */
    gf_dist_result_free(&o.r);

    double xn[] = {-1, 1, 2, 4};
    one_full(&o, 4, xn, NULL, NULL, NULL, &z, 1, NULL, NULL, 0, 0);
    NEAR(o.s->mean, 1.5, 0);
    NEAR(o.s->gini, 40.0 / 24.0 - 1, 1e-15); /* laeken's formula as is */
    assert_true(isnan(o.s->theil));
    assert_true(isnan(o.s->mld));
    assert_true(isnan(o.s->atkinson[0]));
    NEAR(o.s->fgt0[0], 0.5, 0);
    NEAR(o.s->fgt1[0], (1.5 + 0.5) / 4, 1e-15);
    NEAR(o.s->watts[0], log(2.0) / 4, 1e-15);
    NEAR(o.s->median, 2, 0);
    gf_dist_result_free(&o.r);

    double xz[] = {0, 0, 0};
    one(&o, 3, xz, NULL);
    NEAR(o.s->mean, 0, 0);
    NEAR(o.s->median, 0, 0);
    assert_true(isnan(o.s->gini));
    assert_true(isnan(o.s->theil));
    assert_true(isnan(o.s->qsr));
    gf_dist_result_free(&o.r);
}

/* ---- lines, bands, household and person counts, Engel ---- */

static void test_lines_bands(void **st)
{
    (void)st;
    double x[] = {5000, 9000, 10000, 40000}, hw[] = {1, 2, 1, 1}, size[] = {3, 2, 4, 1};
    double w[4];
    for (int i = 0; i < 4; i++)
        w[i] = hw[i] * size[i]; /* persons: 3, 4, 4, 1 */
    double lines[] = {10000, 9000.5};
    double lo[] = {100000, 10000}, hi[] = {500000, 40000};
    struct one o;
    one_full(&o, 4, x, w, hw, NULL, lines, 2, lo, hi, 1, 3);
    NEAR(o.s->low_hh[0], 3, 0);      /* 5000 (1) + 9000 (2); 10000 is not below */
    NEAR(o.s->low_persons[0], 7, 0); /* 3 + 4 */
    NEAR(o.s->fgt0[0], 7.0 / 12, 1e-15);
    NEAR(o.s->fgt1[0], (3 * 0.5 + 4 * 0.1) / 12, 1e-15);
    NEAR(o.s->fgt2[0], (3 * 0.25 + 4 * 0.01) / 12, 1e-15);
    NEAR(o.s->watts[0], (3 * log(2.0) + 4 * log(10000.0 / 9000)) / 12, 1e-15);
    NEAR(o.s->low_hh[1], 3, 0);
    NEAR(o.s->band_share[0], 1.0 / 5, 1e-15); /* 3·x: only 120 000 is in [100 000, 500 000] */
    NEAR(o.s->hh_weight_sum, 5, 0);
    NEAR(o.s->weight_sum, 12, 0);
    gf_dist_result_free(&o.r);
    /* closed band ends, scale 1 */
    one_full(&o, 4, x, w, hw, NULL, lines, 0, lo + 1, hi + 1, 1, 1);
    NEAR(o.s->band_share[0], 2.0 / 5, 1e-15);
    gf_dist_result_free(&o.r);
}

static void test_engel(void **st)
{
    (void)st;
    double x[] = {1, 2, 3}, hw[] = {1, 2, 1}, food[] = {30, 20, 50}, cons[] = {100, 80, 120};
    struct gf_dist_input in = {.n = 3, .x = x, .w = hw, .food = food, .cons = cons};
    struct gf_dist_params p = {.nthreads = 1};
    struct gf_dist_result r;
    struct gf_err e = {0};
    assert_int_equal(gf_dist_compute(&in, NULL, &p, &r, &e), GF_OK);
    NEAR(r.unit[0].engel, (30 + 40 + 50.0) / (100 + 160 + 120), 1e-15);
    gf_dist_result_free(&r);
}

static double urand(void);

/* Measures of every kind of sum (weights, means, order-based, log-based, Engel, urban/rural,
 * decomposition, FGT, Watts, counts, bands, extremes), for comparing two results. */
enum { NSOME = 21 };
static void some_measures(const struct gf_dist_stats *s, double v[NSOME])
{
    const double t[NSOME] = {
        s->weight_sum, s->hh_weight_sum, s->mean,        s->median,           s->gini,
        s->theil,      s->mld,           s->atkinson[0], s->atkinson[1],      s->atkinson[2],
        s->engel,      s->urban_mean,    s->rural_mean,  s->theil_within_sub, s->mld_between_sub,
        s->fgt1[1],    s->watts[0],      s->low_hh[1],   s->band_share[0],    s->min,
        s->max};
    memcpy(v, t, sizeof t);
}

/* The same unit computed two ways: the same count, and some_measures equal to 1e-12 (NaN where
 * the other is NaN). */
static void near_some(const struct gf_dist_stats *s1, const struct gf_dist_stats *s2)
{
    double v1[NSOME], v2[NSOME];
    some_measures(s1, v1);
    some_measures(s2, v2);
    assert_int_equal(s1->n, s2->n);
    for (size_t k = 0; k < NSOME; k++) {
        if (isnan(v1[k])) {
            assert_true(isnan(v2[k]));
            continue;
        }
        NEAR(v2[k], v1[k], 1e-12 * fmax(1, fabs(v1[k])));
    }
}

/* Sums added while streaming (gf_dist_acc: two "threads", rows numbered by the caller's own
 * cells, merged into the tree's units with a map, another reference K) give the same measures as
 * the rows themselves; sums of other rows are refused. */
static void test_acc_sums(void **st)
{
    (void)st;
    /* 0 root; 1, 2 counties; 3..8 villages (3, 4, 5 in 1; 6, 7, 8 in 2) */
    enum { NU = 9, NCELL = 6 };
    int32_t parent[NU] = {-1, 0, 0, 1, 1, 1, 2, 2, 2}, cell_unit[NCELL] = {5, 3, 8, 4, 7, 6};
    size_t n = 30000;
    double *x = malloc(n * sizeof *x), *w = malloc(n * sizeof *w), *hw = malloc(n * sizeof *hw);
    double *food = malloc(n * sizeof *food), *cons = malloc(n * sizeof *cons);
    int32_t *unit = malloc(n * sizeof *unit), *cell = malloc(n * sizeof *cell);
    signed char *urb = malloc(n);
    for (size_t i = 0; i < n; i++) {
        cell[i] = (int32_t)(urand() * NCELL);
        unit[i] = cell_unit[cell[i]];
        double m = 1 + floor(urand() * 5);
        x[i] = round(exp(9.5 + urand() + 0.1 * unit[i]) / m);
        if (cell[i] == 0 && i % 97 == 0)
            x[i] -= 1e6; /* negative incomes in village 5 only */
        hw[i] = urand() < 0.01 ? 0 : 50 + round(urand() * 200);
        w[i] = hw[i] * m;
        urb[i] = i % 50 == 0 ? 2 : urand() < 0.4;
        cons[i] = 20000 + urand() * 50000;
        food[i] = cons[i] * (0.2 + 0.2 * urand());
    }
    double lines[] = {8000, 12000}, lo[] = {10000}, hi[] = {50000};
    struct gf_dist_params p = {
        .lines = lines, .nlines = 2, .band_lo = lo, .band_hi = hi, .nbands = 1, .nthreads = 2};
    struct gf_dist_tree t = {NU, parent};
    struct gf_dist_input in = {
        .n = n, .x = x, .w = w, .hw = hw, .urban = urb, .food = food, .cons = cons, .unit = unit};
    struct gf_dist_result r1, r2;
    struct gf_err e = {0};
    assert_int_equal(gf_dist_compute(&in, &t, &p, &r1, &e), GF_OK);
    unsigned fl = GF_DIST_ACC_URBAN | GF_DIST_ACC_ENGEL;
    struct gf_dist_acc *a[2] = {gf_dist_acc_new(&p, x[0], fl), gf_dist_acc_new(&p, x[0], fl)};
    struct gf_dist_acc *all = gf_dist_acc_new(&p, x[0], fl);
    assert_non_null(a[0]);
    assert_non_null(a[1]);
    assert_non_null(all);
    /* the first half row by row, the second in two calls by range of cells */
    size_t h = n / 2, added[2];
    for (size_t i = 0; i < h; i++)
        assert_int_equal(
            gf_dist_acc_add(a[0], cell[i], x[i], w[i], hw[i], urb[i], food[i], cons[i]), GF_OK);
    assert_int_equal(gf_dist_acc_add_rows(a[1], n - h, cell + h, x + h, w + h, hw + h, urb + h,
                                          food + h, cons + h, 3, INT32_MAX, &added[0]),
                     GF_OK);
    assert_int_equal(gf_dist_acc_add_rows(a[1], n - h, cell + h, x + h, w + h, hw + h, urb + h,
                                          food + h, cons + h, 0, 3, &added[1]),
                     GF_OK);
    assert_int_equal(added[0] + added[1], n - h);
    assert_true(added[0] > 0 && added[1] > 0);
    assert_int_equal(gf_dist_acc_merge(all, a[0], cell_unit), GF_OK);
    assert_int_equal(gf_dist_acc_merge(all, a[1], cell_unit), GF_OK);
    /* refused, changing nothing (the row counts are checked below): a negative unit, sums
     * with another reference K */
    assert_int_equal(gf_dist_acc_add(all, -1, 1, 1, 1, 0, 0, 0), GF_EUSER);
    assert_int_equal(gf_dist_acc_add_rows(all, 1, (const int32_t[]){-1}, x, w, NULL, NULL, NULL,
                                          NULL, -1, 5, NULL),
                     GF_EUSER);
    struct gf_dist_acc *otherk = gf_dist_acc_new(&p, x[0] * 2, fl);
    assert_non_null(otherk);
    assert_int_equal(gf_dist_acc_add(otherk, 3, 1, 1, 1, 0, 0, 0), GF_OK);
    assert_int_equal(gf_dist_acc_merge(all, otherk, NULL), GF_EUSER);
    struct gf_dist_acc *samek = gf_dist_acc_new(&p, x[0], fl);
    assert_non_null(samek);
    for (int u = 0; u < NCELL; u++) /* a unit mapped nowhere, after five that are fine */
        assert_int_equal(gf_dist_acc_add(samek, u, 1, 1, 1, 0, 0, 0), GF_OK);
    assert_int_equal(gf_dist_acc_merge(all, samek, (const int32_t[NCELL]){3, 4, 5, 6, 7, -1}),
                     GF_EUSER);
    gf_dist_acc_free(samek);
    struct gf_dist_input rows = {.n = n, .x = x, .w = w, .unit = unit};
    assert_int_equal(gf_dist_compute_acc(&rows, all, &t, &p, &r2, &e), GF_OK);
    for (int u = 0; u < NU; u++) {
        const struct gf_dist_stats *s1 = &r1.unit[u], *s2 = &r2.unit[u];
        near_some(s1, s2);
        /* negative incomes (village 5, county 1, the root): outside Theil's domain */
        assert_int_equal(isnan(s1->theil), u == 0 || u == 1 || u == 5);
    }
    gf_dist_result_free(&r1);
    gf_dist_result_free(&r2);
    /* every build of gf_dist_acc_add_rows this CPU runs (AVX-512 adds four sums side by side):
     * the same results to the last bit */
    struct gf_dist_input byunit = {.n = n, .x = x, .w = w, .unit = unit};
    int builds = 1 + gf_dist__acc_build(-1);
    struct gf_dist_result rb[2];
    for (int b = 0; b < builds; b++) {
        assert_int_equal(gf_dist__acc_build(b), b);
        struct gf_dist_acc *ab = gf_dist_acc_new(&p, x[0], fl);
        assert_non_null(ab);
        assert_int_equal(
            gf_dist_acc_add_rows(ab, n, unit, x, w, hw, urb, food, cons, 0, INT32_MAX, NULL),
            GF_OK);
        assert_int_equal(gf_dist_compute_acc(&byunit, ab, &t, &p, &rb[b], &e), GF_OK);
        gf_dist_acc_free(ab);
    }
    gf_dist__acc_build(-1);
    for (int b = 1; b < builds; b++) {
        for (int u = 0; u < NU; u++) {
            const struct gf_dist_stats *s0 = &rb[0].unit[u], *s1 = &rb[b].unit[u];
            assert_memory_equal(s1, s0, offsetof(struct gf_dist_stats, fgt0)); /* scalars */
            for (int l = 0; l < p.nlines; l++) {
                const double *v0[] = {s0->fgt0,  s0->fgt1,   s0->fgt2,
                                      s0->watts, s0->low_hh, s0->low_persons},
                             *v1[] = {s1->fgt0,  s1->fgt1,   s1->fgt2,
                                      s1->watts, s1->low_hh, s1->low_persons};
                for (size_t k = 0; k < sizeof v0 / sizeof v0[0]; k++)
                    assert_memory_equal(&v1[k][l], &v0[k][l], sizeof(double));
            }
            assert_memory_equal(s1->band_share, s0->band_share, sizeof(double) * p.nbands);
        }
        gf_dist_result_free(&rb[b]);
    }
    gf_dist_result_free(&rb[0]);
    /* sums of other rows: refused, with the unit named */
    rows.n = n - 1;
    assert_int_equal(gf_dist_compute_acc(&rows, all, &t, &p, &r2, &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "rows"));
    /* rows with household weights next to sums: refused */
    rows.n = n;
    rows.hw = hw;
    assert_int_equal(gf_dist_compute_acc(&rows, all, &t, &p, &r2, &e), GF_EUSER);
    /* sums of a unit the tree does not have: refused, with the unit named */
    rows.hw = NULL;
    assert_int_equal(gf_dist_acc_merge(otherk, otherk, NULL), GF_EUSER); /* not with itself */
    assert_int_equal(gf_dist_acc_add(otherk, NU, 1, 1, 1, 0, 0, 0), GF_OK);
    assert_int_equal(gf_dist_compute_acc(&rows, otherk, &t, &p, &r2, &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "sums for unit 9"));
    gf_dist_acc_free(otherk);
    gf_dist_acc_free(a[0]);
    gf_dist_acc_free(a[1]);
    gf_dist_acc_free(all);
    free(x);
    free(w);
    free(hw);
    free(food);
    free(cons);
    free(unit);
    free(cell);
    free(urb);
}

/* Rows given as spans of pairs grouped by unit (gf_dist_compute_spans: any number of spans a
 * unit, in any order, rows on inner units too) give the measures of the same rows given as
 * arrays; spans outside the tree, bad values and sums of other rows are refused. */
static void test_spans(void **st)
{
    (void)st;
    /* 0 root; 1, 2 counties; 3..8 villages; rows on the villages and on county 1 */
    enum { NU = 9 };
    int32_t parent[NU] = {-1, 0, 0, 1, 1, 1, 2, 2, 2};
    size_t n = 40000;
    double *x = malloc(n * sizeof *x), *w = malloc(n * sizeof *w), *hw = malloc(n * sizeof *hw);
    int32_t *unit = malloc(n * sizeof *unit);
    signed char *urb = malloc(n);
    for (size_t i = 0; i < n; i++) {
        unit[i] = i % 41 == 0 ? 1 : 3 + (int32_t)(urand() * 6);
        double m = 1 + floor(urand() * 5);
        x[i] = round(exp(9.5 + urand() + 0.1 * unit[i]) / m * 100) / 100;
        hw[i] = urand() < 0.01 ? 0 : 50 + round(urand() * 200);
        w[i] = hw[i] * m;
        urb[i] = urand() < 0.4;
    }
    double lines[] = {8000}, lo[] = {10000}, hi[] = {50000};
    struct gf_dist_params p = {
        .lines = lines, .nlines = 1, .band_lo = lo, .band_hi = hi, .nbands = 1, .nthreads = 2};
    struct gf_dist_tree t = {NU, parent};
    struct gf_dist_input in = {.n = n, .x = x, .w = w, .hw = hw, .urban = urb, .unit = unit};
    struct gf_dist_result r1, r2;
    struct gf_err e = {0};
    assert_int_equal(gf_dist_compute(&in, &t, &p, &r1, &e), GF_OK);
    /* the pairs by unit, cut in spans of 1 to 700 rows, the spans shuffled */
    struct gf_dist_xw *xw = malloc(n * sizeof *xw);
    struct gf_dist_span *sp = malloc(n * sizeof *sp);
    size_t k = 0, ns = 0;
    for (int u = 0; u < NU; u++) {
        size_t first = k;
        for (size_t i = 0; i < n; i++)
            if (unit[i] == u)
                xw[k++] = (struct gf_dist_xw){x[i], w[i]};
        for (size_t b = first; b < k;) {
            size_t len = 1 + (size_t)(urand() * 700);
            if (len > k - b)
                len = k - b;
            sp[ns++] = (struct gf_dist_span){xw + b, len, u};
            b += len;
        }
    }
    for (size_t i = ns - 1; i > 0; i--) {
        size_t j = (size_t)(urand() * (double)(i + 1));
        struct gf_dist_span tmp = sp[i];
        sp[i] = sp[j];
        sp[j] = tmp;
    }
    unsigned fl = GF_DIST_ACC_URBAN;
    struct gf_dist_acc *acc = gf_dist_acc_new(&p, 20000, fl);
    assert_non_null(acc);
    assert_int_equal(
        gf_dist_acc_add_rows(acc, n, unit, x, w, hw, urb, NULL, NULL, 0, INT32_MAX, NULL), GF_OK);
    assert_int_equal(gf_dist_compute_spans(sp, ns, NULL, 0, acc, 0, &t, &p, &r2, &e), GF_OK);
    for (int u = 0; u < NU; u++) {
        const struct gf_dist_stats *s1 = &r1.unit[u], *s2 = &r2.unit[u];
        near_some(s1, s2);
        NEAR(s2->median, s1->median, 0); /* order statistics: the same rows, exactly */
        NEAR(s2->decile[8], s1->decile[8], 0);
    }
    gf_dist_result_free(&r1);
    gf_dist_result_free(&r2);
    /* refused: a span of a unit the tree does not have, a value that is not finite, a
     * negative weight, fewer rows than summed, no sums */
    struct gf_dist_span keep = sp[0];
    sp[0].unit = NU;
    assert_int_equal(gf_dist_compute_spans(sp, ns, NULL, 0, acc, 0, &t, &p, &r2, &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "span 0: unit 9"));
    sp[0] = keep;
    struct gf_dist_xw saved = xw[n / 2];
    xw[n / 2].x = NAN;
    assert_int_equal(gf_dist_compute_spans(sp, ns, NULL, 0, acc, 0, &t, &p, &r2, &e), GF_EUSER);
    xw[n / 2] = (struct gf_dist_xw){saved.x, -1};
    assert_int_equal(gf_dist_compute_spans(sp, ns, NULL, 0, acc, 0, &t, &p, &r2, &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "weight"));
    xw[n / 2] = saved;
    assert_int_equal(gf_dist_compute_spans(sp, ns - 1, NULL, 0, acc, 0, &t, &p, &r2, &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "rows"));
    assert_int_equal(gf_dist_compute_spans(sp, ns, NULL, 0, NULL, 0, &t, &p, &r2, &e), GF_EUSER);
    /* with GF_DIST_FREE_INPUT the library takes the sums (the sanitizer build sees a leak or a
     * double free otherwise) */
    assert_int_equal(gf_dist_compute_spans(sp, ns, NULL, 0, acc, GF_DIST_FREE_INPUT, &t, &p, &r2, &e),
                     GF_OK);
    gf_dist_result_free(&r2);
    free(xw);
    free(sp);
    free(x);
    free(w);
    free(hw);
    free(unit);
    free(urb);
}

/* kB of this process's memory: resident (VmRSS) and in the system's reserved pages, which
 * gf_map takes when there are any (HugetlbPages, not in VmRSS). */
static long resident_kb(void)
{
    char line[256];
    long kb = -1, pool_kb = 0;
    FILE *f = fopen("/proc/self/status", "r");
    assert_non_null(f);
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6))
            kb = atol(line + 6);
        else if (!strncmp(line, "HugetlbPages:", 13))
            pool_kb = atol(line + 13);
    fclose(f);
    return kb + pool_kb;
}

/* Spans handed over in regions (gf_map), a wave a unit, each wave's pairs in a region of its
 * own: the same results as the rows given as arrays, and the library takes the regions (the
 * process's memory falls by theirs); with the waves in layout order all but the first wave's
 * region are moved into the layout, in the reverse order none (they are unmapped). */
static void test_span_regions(void **st)
{
    (void)st;
    enum { NU = 9 };
    int32_t parent[NU] = {-1, 0, 0, 1, 1, 1, 2, 2, 2};
    /* the layout, depth first: unit 1's own rows, 3, 4, 5, then 6, 7, 8 (0 and 2 have none) */
    const int order[] = {1, 3, 4, 5, 6, 7, 8};
    enum { NW = sizeof order / sizeof order[0] };
    size_t n = (size_t)1 << 21; /* 32 MB of pairs */
    double *x = malloc(n * sizeof *x), *w = malloc(n * sizeof *w);
    int32_t *unit = malloc(n * sizeof *unit);
    size_t cnt[NU] = {0};
    assert_true(x && w && unit);
    for (size_t i = 0; i < n; i++) {
        unit[i] = order[(size_t)(urand() * NW)];
        x[i] = round(exp(9.5 + urand() + 0.1 * unit[i]) * 100) / 100;
        w[i] = 50 + round(urand() * 200);
        cnt[unit[i]]++;
    }
    double lines[] = {8000}, lo[] = {10000}, hi[] = {50000};
    struct gf_dist_params p = {
        .lines = lines, .nlines = 1, .band_lo = lo, .band_hi = hi, .nbands = 1, .nthreads = 2};
    struct gf_dist_tree t = {NU, parent};
    struct gf_dist_input in = {.n = n, .x = x, .w = w, .unit = unit};
    struct gf_dist_result r1, r2;
    struct gf_err e = {0};
    assert_int_equal(gf_dist_compute(&in, &t, &p, &r1, &e), GF_OK);
    struct gf_dist_span *sp = malloc(n / 100 * sizeof *sp);
    assert_non_null(sp);
    for (int reverse = 0; reverse < 2; reverse++) {
        struct gf_dist_region reg[NW];
        size_t ns = 0;
        for (int k = 0; k < NW; k++) { /* wave k: a unit's pairs, in spans of 200 to 700 */
            int u = order[reverse ? NW - 1 - k : k];
            struct gf_dist_xw *m = gf_map(cnt[u] * sizeof *m);
            assert_non_null(m);
            reg[k] = (struct gf_dist_region){m, cnt[u] * sizeof *m};
            size_t j = 0;
            for (size_t i = 0; i < n; i++)
                if (unit[i] == u)
                    m[j++] = (struct gf_dist_xw){x[i], w[i]};
            for (size_t b = 0; b < j;) {
                size_t len = 200 + (size_t)(urand() * 500);
                len = len < j - b ? len : j - b;
                sp[ns++] = (struct gf_dist_span){m + b, len, u, k};
                b += len;
            }
        }
        struct gf_dist_acc *acc = gf_dist_acc_new(&p, 20000, 0);
        assert_non_null(acc);
        assert_int_equal(
            gf_dist_acc_add_rows(acc, n, unit, x, w, NULL, NULL, NULL, NULL, 0, INT32_MAX, NULL),
            GF_OK);
        long before = resident_kb();
        assert_int_equal(gf_dist_compute_spans(sp, ns, reg, NW, acc, GF_DIST_FREE_INPUT, &t, &p,
                                               &r2, &e),
                         GF_OK);
        long taken = before - resident_kb();
        print_message("span regions, %s: %zu of %zu bytes moved, %ld kB given back\n",
                      reverse ? "reverse" : "layout order", r2.moved, n * sizeof(struct gf_dist_xw),
                      taken);
#ifndef __SANITIZE_ADDRESS__ /* (its allocator keeps what is freed for a while) */
        assert_true(taken > (long)(n * sizeof(struct gf_dist_xw) / 1024) * 3 / 4);
#endif
        if (reverse)
            assert_int_equal(r2.moved, 0);
        else /* most: not the last wave's (nothing is left to fill), nor one that would not fit */
            assert_true(r2.moved >= n * sizeof(struct gf_dist_xw) / 2);
        for (int u = 0; u < NU; u++) {
            near_some(&r1.unit[u], &r2.unit[u]);
            NEAR(r2.unit[u].median, r1.unit[u].median, 0);
            NEAR(r2.unit[u].decile[8], r1.unit[u].decile[8], 0);
        }
        gf_dist_result_free(&r2);
    }
    gf_dist_result_free(&r1);
    free(sp);
    free(x);
    free(w);
    free(unit);
}

/* ---- urban / rural: ratio and decomposition adding up ---- */

static void test_urban_decomposition(void **st)
{
    (void)st;
    double x[] = {1, 2, 3, 4, 5, 6};
    signed char urb[] = {0, 0, 0, 1, 1, 1};
    struct one o;
    one_full(&o, 6, x, NULL, NULL, urb, NULL, 0, NULL, NULL, 0, 0);
    struct gf_dist_stats *s = o.s;
    NEAR(s->rural_mean, 2, 1e-15);
    NEAR(s->urban_mean, 5, 1e-15);
    NEAR(s->urban_rural_ratio, 2.5, 1e-15);
    double mu = 3.5;
    NEAR(s->theil_between_urban, 6.0 / 21 * log(2 / mu) + 15.0 / 21 * log(5 / mu), 1e-14);
    NEAR(s->mld_between_urban, 0.5 * log(mu / 2) + 0.5 * log(mu / 5), 1e-14);
    double T0 = (0.5 * log(0.5) + 1 * log(1.0) + 1.5 * log(1.5)) / 3;
    double T1 = (0.8 * log(0.8) + 1 * log(1.0) + 1.2 * log(1.2)) / 3;
    NEAR(s->theil_within_urban, 6.0 / 21 * T0 + 15.0 / 21 * T1, 1e-13);
    NEAR(s->theil_within_urban + s->theil_between_urban, s->theil, 1e-13);
    NEAR(s->mld_within_urban + s->mld_between_urban, s->mld, 1e-13);
    gf_dist_result_free(&o.r);

    /* a row that is neither urban nor rural: no decomposition */
    signed char urb2[] = {0, 0, 0, 1, 1, 9};
    one_full(&o, 6, x, NULL, NULL, urb2, NULL, 0, NULL, NULL, 0, 0);
    assert_true(isnan(o.s->theil_within_urban));
    NEAR(o.s->urban_mean, 4.5, 1e-15);
    gf_dist_result_free(&o.r);
}

/* ---- errors ---- */

static void test_bad_input(void **st)
{
    (void)st;
    double x[] = {1, NAN}, w[] = {1, -1}, x2[] = {1, 2};
    struct gf_dist_result r;
    struct gf_err e = {0};
    struct gf_dist_params p = {0};
    struct gf_dist_input in = {.n = 2, .x = x};
    assert_int_equal(gf_dist_compute(&in, NULL, &p, &r, &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "row 2"));
    in = (struct gf_dist_input){.n = 2, .x = x2, .w = w};
    assert_int_equal(gf_dist_compute(&in, NULL, &p, &r, &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "weight"));
    int32_t parent[] = {1, 0}; /* a cycle */
    struct gf_dist_tree t = {2, parent};
    in = (struct gf_dist_input){.n = 2, .x = x2};
    assert_int_equal(gf_dist_compute(&in, &t, &p, &r, &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "cycle"));
    int32_t unit[] = {0, 5};
    int32_t parent2[] = {-1, 0};
    t.parent = parent2;
    in.unit = unit;
    assert_int_equal(gf_dist_compute(&in, &t, &p, &r, &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "unit 5"));
}

/* ---- the hierarchy against a naive reference per unit ---- */

static int cmp_xw(const void *a, const void *b)
{
    double x = ((const struct gf_dist_xw *)a)->x, y = ((const struct gf_dist_xw *)b)->x;
    return (x > y) - (x < y);
}

/* Naive laeken: sort, then the formulas literally (plain loops, long double sums). */
struct ref {
    double W, mean, median, gini, q20, q80, qsr, arpt, arpr, rmpg, theil, mld;
};

static double ref_q(const struct gf_dist_xw *a, size_t n, double p)
{
    long double W = 0, c = 0;
    for (size_t i = 0; i < n; i++)
        W += a[i].w;
    for (size_t i = 0; i < n; i++) {
        c += a[i].w;
        if ((double)(c / W) > p)
            return a[i].x;
    }
    return a[n - 1].x;
}

static void ref_stats(struct gf_dist_xw *a, size_t n, struct ref *r)
{
    qsort(a, n, sizeof *a, cmp_xw);
    long double W = 0, wx = 0, cw = 0, s1 = 0, s2 = 0;
    for (size_t i = 0; i < n; i++) {
        W += a[i].w;
        wx += a[i].w * a[i].x;
        cw += a[i].w;
        s1 += (long double)a[i].w * a[i].x * cw;
        s2 += (long double)a[i].w * a[i].w * a[i].x;
    }
    r->W = (double)W;
    r->mean = (double)(wx / W);
    r->gini = (double)((2 * s1 - s2) / (W * wx) - 1);
    r->median = ref_q(a, n, 0.5);
    r->q20 = ref_q(a, n, 0.2);
    r->q80 = ref_q(a, n, 0.8);
    long double top = 0, bot = 0, poorw = 0, T = 0, M = 0;
    size_t np = 0;
    r->arpt = 0.6 * r->median;
    for (size_t i = 0; i < n; i++) {
        if (a[i].x > r->q80)
            top += a[i].w * a[i].x;
        if (a[i].x <= r->q20)
            bot += a[i].w * a[i].x;
        if (a[i].x < r->arpt) {
            poorw += a[i].w;
            np++;
        }
        double rel = a[i].x / r->mean;
        T += a[i].w * rel * log(rel);
        M += a[i].w * log(1 / rel);
    }
    r->qsr = (double)(top / bot);
    r->arpr = (double)(poorw / W);
    r->rmpg = np ? (r->arpt - ref_q(a, np, 0.5)) / r->arpt : NAN;
    r->theil = (double)(T / W);
    r->mld = (double)(M / W);
}

static uint64_t rng = 88172645463325252ull;
static double urand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

/* gf_ksum_add_grow keeps exactly the sum and error gf_ksum_add keeps, for growing sums of
 * positive terms of every size and for terms of both signs; both are exact: the compensated
 * value of 1e16 + 1 + ... (a million ones) is exact, and the plain sum loses all the ones. */
static void test_ksum_grow(void **st)
{
    (void)st;
    for (int kind = 0; kind < 3; kind++) {
        struct gf_ksum a = {0, 0}, b = {0, 0};
        for (int i = 0; i < 200000; i++) {
            double u = urand(), x = kind == 0   ? u * 300
                                    : kind == 1 ? exp(40 * u - 20)
                                                : (u - 0.5) * exp(20 * urand());
            gf_ksum_add(&a, x);
            gf_ksum_add_grow(&b, x);
            if (a.s != b.s || a.c != b.c)
                fail_msg("kind %d, term %d: %.17g %+.17g vs %.17g %+.17g", kind, i, a.s, a.c, b.s,
                         b.c);
        }
    }
    struct gf_ksum k = {0, 0};
    double plain = 1e16;
    gf_ksum_add_grow(&k, 1e16);
    for (int i = 0; i < 1000000; i++) {
        gf_ksum_add_grow(&k, 1);
        plain += 1;
    }
    assert_true(gf_ksum_value(&k) == 1e16 + 1e6);
    assert_true(plain == 1e16);
}

/* The merge of up to 8 runs by tiles (gf_dist__merge_tree, gf_dist__multi_corank) against
 * the stable order it must give: by x, equal x by run, then by place in the run.  Values from a
 * few, so that most rows tie (with +0 and −0, which compare equal), weights telling the rows
 * apart; every tile size from 1 row, every number of runs, empty runs. */
struct tagged {
    double x;
    int run;
    size_t at;
};

static int cmp_tagged(const void *a, const void *b)
{
    const struct tagged *p = a, *q = b;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    if (p->run != q->run)
        return p->run - q->run;
    return p->at < q->at ? -1 : p->at > q->at;
}

static void test_merge_tree(void **st)
{
    (void)st;
    static const double vals[] = {-1, -0.0, 0, 2.5, 3, 7};
    for (int trial = 0; trial < 400; trial++) {
        int m = 1 + trial % GF_DIST_MAXWAY;
        struct gf_dist_xw *run[GF_DIST_MAXWAY];
        size_t len[GF_DIST_MAXWAY], total = 0;
        for (int i = 0; i < m; i++) {
            len[i] = urand() < 0.15 ? 0 : (size_t)(urand() * 60);
            run[i] = malloc(sizeof **run * (len[i] + 1));
            for (size_t k = 0; k < len[i]; k++) /* w: which run, which row */
                run[i][k] = (struct gf_dist_xw){trial % 3 ? vals[(int)(urand() * 6)] : urand(),
                                                (double)(i * 1000 + (int)k)};
            qsort(run[i], len[i], sizeof **run, cmp_xw); /* ties keep no order: w tells */
            for (size_t k = 0; k < len[i]; k++)          /* the row's place after sorting */
                run[i][k].w = (double)(i * 1000 + (int)k);
            total += len[i];
        }
        struct tagged *want = malloc(sizeof *want * (total + 1));
        size_t t = 0;
        for (int i = 0; i < m; i++)
            for (size_t k = 0; k < len[i]; k++)
                want[t++] = (struct tagged){run[i][k].x, i, k};
        qsort(want, total, sizeof *want, cmp_tagged);
        struct gf_dist_xw *got = malloc(sizeof *got * (total + 1));
        struct gf_dist_xw *x = malloc(sizeof *x * (total + 1)),
                          *y = malloc(sizeof *y * (total + 1));
        size_t tile = 1 + (size_t)(urand() * (double)(total + 2));
        for (size_t k0 = 0; k0 < total; k0 += tile) {
            size_t k1 = total - k0 < tile ? total : k0 + tile;
            gf_dist__merge_tree((const struct gf_dist_xw *const *)run, len, m, k0, k1, got + k0, x,
                                y);
            size_t cut[GF_DIST_MAXWAY], sum = 0;
            gf_dist__multi_corank((const struct gf_dist_xw *const *)run, len, m, k1, cut);
            for (int i = 0; i < m; i++)
                sum += cut[i];
            assert_int_equal(sum, k1);
        }
        for (size_t k = 0; k < total; k++) {
            assert_true(got[k].x == want[k].x && signbit(got[k].x) == signbit(want[k].x));
            assert_true(got[k].w == (double)(want[k].run * 1000 + (int)want[k].at));
        }
        for (int i = 0; i < m; i++)
            free(run[i]);
        free(want);
        free(got);
        free(x);
        free(y);
    }
}

/* The hierarchy computed with merge pieces of piece rows (0: the default) on nthreads threads;
 * own: the library gets copies of the rows to free (GF_DIST_FREE_INPUT, given back as read). */
static void hierarchy_case(size_t piece, int nthreads, int own, size_t merged[5])
{
    /* 0 root; 1, 2 counties; 3, 4, 5 townships (3, 4 in 1; 5 in 2); 6..17 villages */
    enum { NU = 18 };
    int32_t parent[NU] = {-1, 0, 0, 1, 1, 2};
    for (int v = 6; v < NU; v++)
        parent[v] = 3 + (v - 6) % 3;
    size_t n = 400000; /* > one merge piece */
    double *x = malloc(n * sizeof *x), *w = malloc(n * sizeof *w);
    int32_t *unit = malloc(n * sizeof *unit);
    signed char *urb = malloc(n);
    for (size_t i = 0; i < n; i++) {
        /* village 6 holds a quarter (several sort chunks, the largest unit but the root), county
         * 1 some rows of its own (merged with its children's) */
        double r = urand();
        int v = r < 0.25 ? 6 : r < 0.3 ? 1 : 6 + (int)(urand() * 12);
        unit[i] = v;
        /* log-normal-ish with ties (rounded to 10 yuan) */
        double u = urand() + urand() + urand() - 1.5;
        x[i] = round(exp(10 + 0.6 * u + 0.1 * v) / 10) * 10;
        w[i] = urand() < 0.01 ? 0 : 50 + round(urand() * 200);
        urb[i] = urand() < 0.4;
    }
    struct gf_dist_input in = {.n = n, .x = x, .w = w, .unit = unit, .urban = urb};
    if (own) {
        in.x = malloc(n * sizeof *x);
        in.w = malloc(n * sizeof *w);
        in.unit = malloc(n * sizeof *unit);
        in.urban = malloc(n);
        memcpy(in.x, x, n * sizeof *x);
        memcpy(in.w, w, n * sizeof *w);
        memcpy(in.unit, unit, n * sizeof *unit);
        memcpy(in.urban, urb, n);
        in.flags = GF_DIST_FREE_INPUT;
    }
    struct gf_dist_tree t = {NU, parent};
    struct gf_dist_params p = {.nthreads = nthreads};
    struct gf_dist_result r;
    struct gf_err e = {0};
    size_t before[5], after[5];
    size_t was = gf_dist__set_piece(piece, before);
    assert_int_equal(gf_dist_compute(&in, &t, &p, &r, &e), GF_OK);
    gf_dist__set_piece(was, after);
    for (int k = 0; k < 5; k++)
        merged[k] += after[k] - before[k];
    /* every build of the order pass's scan this CPU runs (AVX2: four units side by side, the
     * root's pieces one by one): the same results to the last bit */
    for (int b = 0; !own && b < gf_dist__scan_build(-1); b++) {
        struct gf_dist_result rb;
        assert_int_equal(gf_dist__scan_build(b), b);
        gf_dist__set_piece(piece, before);
        assert_int_equal(gf_dist_compute(&in, &t, &p, &rb, &e), GF_OK);
        gf_dist__set_piece(was, after);
        for (int u = 0; u < NU; u++)
            assert_memory_equal(&rb.unit[u], &r.unit[u], offsetof(struct gf_dist_stats, fgt0));
        gf_dist_result_free(&rb);
    }
    gf_dist__scan_build(-1);
    struct gf_dist_xw *a = malloc(n * sizeof *a);
    for (int u = 0; u < NU; u++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            int v = unit[i];
            while (v != u && v >= 0)
                v = parent[v];
            if (v == u)
                a[m++] = (struct gf_dist_xw){x[i], w[i]};
        }
        struct ref rf;
        ref_stats(a, m, &rf);
        const struct gf_dist_stats *s = &r.unit[u];
        assert_int_equal(s->n, (long long)m);
        NEAR(s->weight_sum, rf.W, 1e-15);
        NEAR(s->mean, rf.mean, 1e-14);
        NEAR(s->median, rf.median, 0);
        NEAR(s->decile[1], rf.q20, 0);
        NEAR(s->decile[7], rf.q80, 0);
        NEAR(s->gini, rf.gini, 1e-12);
        NEAR(s->qsr, rf.qsr, 1e-12);
        NEAR(s->arpt, rf.arpt, 0);
        NEAR(s->arpr, rf.arpr, 1e-14);
        NEAR(s->rmpg, rf.rmpg, 1e-14);
        NEAR(s->theil, rf.theil, 1e-11);
        NEAR(s->mld, rf.mld, 1e-11);
        NEAR(s->theil_within_urban + s->theil_between_urban, s->theil, 1e-12);
        NEAR(s->mld_within_urban + s->mld_between_urban, s->mld, 1e-12);
        assert_int_equal(s->own_rows, u == 1 || u >= 6);
        if (u == 1) { /* rows of its own: no decomposition over the children (docs) */
            assert_true(isnan(s->theil_within_sub) && isnan(s->mld_between_sub));
        } else if (u < 6) { /* children only: decomposition adds up */
            NEAR(s->theil_within_sub + s->theil_between_sub, s->theil, 1e-12);
            NEAR(s->mld_within_sub + s->mld_between_sub, s->mld, 1e-12);
        }
        if (u < 6) { /* has children: range ratio by hand */
            double mn = INFINITY, mx = -INFINITY;
            int nc = 0;
            for (int c = 0; c < NU; c++)
                if (parent[c] == u) {
                    nc++;
                    mn = fmin(mn, r.unit[c].mean);
                    mx = fmax(mx, r.unit[c].mean);
                }
            NEAR(s->range_ratio, mx / mn, 1e-15);
            if (u == 1)
                ;
            else if (nc > 1)
                assert_true(s->theil_between_sub > 0);
            else /* one child: everything is within */
                NEAR(s->theil_between_sub, 0, 1e-15);
        } else {
            assert_true(isnan(s->theil_within_sub));
            assert_true(isnan(s->range_ratio));
        }
    }
    gf_dist_result_free(&r);
    free(a);
    free(x);
    free(w);
    free(unit);
    free(urb);
}

static void test_hierarchy(void **st)
{
    (void)st;
    size_t merged[5] = {0};
    hierarchy_case(0, 2, 0, merged);
    /* by one thread; county 1 (over a quarter) in place; the root left as runs */
    assert_true(merged[0] > 0 && merged[2] > 0 && merged[4] > 0);
    hierarchy_case(2000, 2, 1, merged);
    hierarchy_case(2000, 1, 0, merged);
    hierarchy_case(700, 2, 0, merged);
    hierarchy_case(3000, 2, 0, merged); /* villages of 8 sort chunks: 3 passes, end in buf */
    /* small pieces: also through the buffer, and in place one run after the other */
    assert_true(merged[1] > 0 && merged[3] > 0);
}

/* Rows on an inner unit: the unit's data = own rows + descendants; no sub-decomposition. */
static void test_rows_on_inner_unit(void **st)
{
    (void)st;
    double x[] = {1, 2, 3, 4};
    int32_t unit[] = {0, 1, 1, 0};
    int32_t parent[] = {-1, 0};
    struct gf_dist_input in = {.n = 4, .x = x, .unit = unit};
    struct gf_dist_tree t = {2, parent};
    struct gf_dist_params p = {.nthreads = 2};
    struct gf_dist_result r;
    struct gf_err e = {0};
    assert_int_equal(gf_dist_compute(&in, &t, &p, &r, &e), GF_OK);
    NEAR(r.unit[0].gini, 0.25, 1e-15);
    NEAR(r.unit[0].median, 3, 0);
    NEAR(r.unit[1].mean, 2.5, 0);
    assert_true(isnan(r.unit[0].theil_within_sub));
    gf_dist_result_free(&r);
}

/* No rows at all, and a unit without rows in a tree: counts 0, measures NaN, no crash. */
static void test_empty(void **st)
{
    (void)st;
    double x[] = {1, 2};
    int32_t unit[] = {1, 1}, parent[] = {-1, 0, 0};
    struct gf_dist_tree t = {3, parent};
    struct gf_dist_params p = {.nthreads = 2};
    struct gf_dist_result r;
    struct gf_err e = {0};
    struct gf_dist_input in = {.n = 0, .x = x};
    assert_int_equal(gf_dist_compute(&in, &t, &p, &r, &e), GF_OK);
    assert_int_equal(r.unit[0].n, 0);
    assert_true(isnan(r.unit[0].mean));
    assert_true(isnan(r.unit[0].median));
    assert_true(isnan(r.unit[0].gini));
    gf_dist_result_free(&r);
    in = (struct gf_dist_input){.n = 2, .x = x, .unit = unit};
    assert_int_equal(gf_dist_compute(&in, &t, &p, &r, &e), GF_OK);
    assert_int_equal(r.unit[2].n, 0);
    assert_true(isnan(r.unit[2].median));
    NEAR(r.unit[0].median, 2, 0);
    NEAR(r.unit[0].range_ratio, 1, 0); /* one child with data */
    gf_dist_result_free(&r);
}

/* The sort of a chunk of rows (radix, by the value's bits) on shapes that stress it: wide and
 * narrow ranges, many ties, zeros of both signs, negatives, huge and subnormal values, one
 * value, sizes around the small-range cut-offs.  Sorted, nothing lost, ties in row order. */
static void test_sort_chunk(void **st)
{
    (void)st;
    static const size_t sizes[] = {0, 1, 2, 31, 33, 511, 512, 513, 4095, 4096, 4097, 5000, 70000};
    size_t nmax = 70000;
    struct gf_dist_xw *a = malloc(nmax * sizeof *a), *tmp = malloc(nmax * sizeof *a);
    unsigned char *seen = malloc(nmax);
    assert_non_null(a);
    assert_non_null(tmp);
    assert_non_null(seen);
    for (int shape = 0; shape < 9; shape++)
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            size_t n = sizes[s];
            for (size_t i = 0; i < n; i++) {
                double u = urand(), x;
                switch (shape) {
                case 0:
                    x = exp(7 + 6 * u);
                    break; /* incomes */
                case 1:
                    x = 1e6 + (double)(i % 977) * 1e-9;
                    break; /* narrow */
                case 2:
                    x = floor(u * 10);
                    break; /* ties */
                case 3:
                    x = (u - 0.5) * 1e5 * (i % 7 == 0 ? 0 : 1);
                    break; /* ± and 0 */
                case 4:
                    x = i % 2 ? 0.0 : -0.0;
                    break; /* signed zeros */
                case 5:
                    x = ldexp(u, (int)(i % 2000) - 1000) * (i % 3 ? 1 : -1);
                    break;
                case 6:
                    x = 4.25;
                    break; /* one value */
                case 7:
                    x = i % 1000 == 1 ? 1e300 : 1000 + u;
                    break; /* an outlier crowds the rest into one radix bucket */
                default:
                    x = (double)(n - i) * 5e-324;
                    break; /* subnormal, descending */
                }
                a[i] = (struct gf_dist_xw){x, (double)i};
            }
            gf_dist_sort_tmp(a, n, tmp);
            memset(seen, 0, n);
            for (size_t i = 0; i < n; i++) {
                size_t r = (size_t)a[i].w;
                assert_true(r < n && !seen[r]);
                seen[r] = 1;
                if (i > 0) {
                    assert_true(a[i - 1].x <= a[i].x);
                    if (!memcmp(&a[i - 1].x, &a[i].x, sizeof(double)))
                        assert_true(a[i - 1].w < a[i].w);
                }
            }
        }
    free(a);
    free(tmp);
    free(seen);
}

static void test_sort_merge(void **st)
{
    (void)st;
    size_t n = 100000;
    struct gf_dist_xw *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *a);
    for (size_t i = 0; i < n; i++)
        a[i] = (struct gf_dist_xw){floor(urand() * 1000), (double)i};
    gf_dist_sort(a, 40000);
    gf_dist_sort(a + 40000, n - 40000);
    gf_dist_merge2(a, 40000, n, b);
    for (size_t i = 1; i < n; i++)
        assert_true(b[i - 1].x <= b[i].x);
    double sw = 0;
    for (size_t i = 0; i < n; i++)
        sw += b[i].w;
    NEAR(sw, (double)n * (n - 1) / 2, 0); /* a permutation: nothing lost */
    free(a);
    free(b);
}

/* The merge is stable (equal x: the first run's rows first, each run in its order) for every
 * split of lengths, odd and even totals, and empty runs: the front and back halves meet. */
static void test_merge_stable(void **st)
{
    (void)st;
    static const size_t len[] = {0, 1, 2, 3, 7, 8, 64, 1001};
    struct gf_dist_xw a[2010], d[2010];
    for (size_t s = 0; s < sizeof len / sizeof len[0]; s++)
        for (size_t t = 0; t < sizeof len / sizeof len[0]; t++) {
            size_t m = len[s], n = len[t];
            for (size_t i = 0; i < m; i++) /* sorted, many ties: w numbers the rows */
                a[i] = (struct gf_dist_xw){(double)(i / 3), (double)i};
            for (size_t j = 0; j < n; j++)
                a[m + j] = (struct gf_dist_xw){(double)(j / 2) + 0.5 * (double)(j % 5 == 0),
                                               (double)(m + j)};
            for (size_t j = 1; j < n; j++) /* keep the second run sorted */
                if (a[m + j].x < a[m + j - 1].x)
                    a[m + j].x = a[m + j - 1].x;
            gf_dist_merge2(a, m, m + n, d);
            for (size_t i = 1; i < m + n; i++) {
                assert_true(d[i - 1].x <= d[i].x);
                if (d[i - 1].x == d[i].x)
                    assert_true(d[i - 1].w < d[i].w); /* ties keep their order */
            }
            double sw = 0;
            for (size_t i = 0; i < m + n; i++)
                sw += d[i].w;
            NEAR(sw, (double)(m + n) * (double)(m + n - (m + n > 0)) / 2, 0);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ineq_example),
        cmocka_unit_test(test_wbpip_1_2000),
        cmocka_unit_test(test_wbpip_zeros),
        cmocka_unit_test(test_median_1_4),
        cmocka_unit_test(test_hand_1_4),
        cmocka_unit_test(test_hand_1_10),
        cmocka_unit_test(test_weights_ties),
        cmocka_unit_test(test_zero_weights),
        cmocka_unit_test(test_single_row),
        cmocka_unit_test(test_all_equal),
        cmocka_unit_test(test_zero_and_negative),
        cmocka_unit_test(test_lines_bands),
        cmocka_unit_test(test_engel),
        cmocka_unit_test(test_acc_sums),
        cmocka_unit_test(test_spans),
        cmocka_unit_test(test_span_regions),
        cmocka_unit_test(test_urban_decomposition),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_ksum_grow),
        cmocka_unit_test(test_merge_tree),
        cmocka_unit_test(test_hierarchy),
        cmocka_unit_test(test_rows_on_inner_unit),
        cmocka_unit_test(test_sort_chunk),
        cmocka_unit_test(test_sort_merge),
        cmocka_unit_test(test_merge_stable),
        cmocka_unit_test(test_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
