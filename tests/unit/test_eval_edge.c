/* test_eval_edge.c — the evaluation engine at its edges and in its COINr options: constant
 * columns decided exactly (the same answer for any number of units), columns near ±DBL_MAX
 * normalised without overflow (expected values computed by R on the same data divided by
 * 1e300), COINr's log_CT as the default second outlier treatment (log_CT_plus by name), and
 * weight noise per framework level and per node (COINr's noise_factor per Level). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/eval.h"
#include "domain/eval_pipeline.h"

#define NEAR(a, b, tol)                                                                            \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (!(fabs(a_ - b_) <= (tol)))                                                             \
            fail_msg("%s = %.17g, expected %.17g (±%g)", #a, a_, b_, (double)(tol));               \
    } while (0)

static void expect_error(int rc, const struct gf_err *e, const char *needle)
{
    assert_int_equal(rc, GF_EUSER);
    if (!strstr(e->msg, needle))
        fail_msg("message \"%s\" does not mention \"%s\"", e->msg, needle);
}

/* ---- item 21: constant columns, decided exactly ---- */

/* Every column constant: an error for every number of units and every shift (before, 3 or 10
 * units gave weights and 5 to 7 an error, as Σ p ln p rounded to either side of −ln n). */
static void test_entropy_all_constant_any_n(void **state)
{
    (void)state;
    static const enum gf_eval_shift shifts[] = {GF_SHIFT_NONE, GF_SHIFT_1E4, GF_SHIFT_1E2};
    double x[2 * 64], w[2];
    for (size_t n = 2; n <= 64; n++)
        for (int s = 0; s < 3; s++) {
            for (size_t i = 0; i < n; i++) {
                x[2 * i] = 0.3;
                x[2 * i + 1] = 7;
            }
            struct gf_err e = {0};
            int rc = gf_eval_weights_entropy(x, n, 2, shifts[s], NULL, w, &e);
            if (rc != GF_EUSER)
                fail_msg("%zu units, shift %d: constant columns gave weights %g, %g", n, s, w[0],
                         w[1]);
            expect_error(rc, &e, "constant");
        }
}

/* One constant column next to a varying one: weight exactly 0 and exactly 1, for any n. */
static void test_entropy_one_constant_column(void **state)
{
    (void)state;
    double x[2 * 64], w[2];
    for (size_t n = 2; n <= 64; n++) {
        for (size_t i = 0; i < n; i++) {
            x[2 * i] = 0.3;
            x[2 * i + 1] = (double)(i % 3 + 1);
        }
        struct gf_err e = {0};
        assert_int_equal(gf_eval_weights_entropy(x, n, 2, GF_SHIFT_NONE, NULL, w, &e), GF_OK);
        if (!(w[0] == 0 && w[1] == 1))
            fail_msg("%zu units: weights %.17g, %.17g, expected exactly 0 and 1", n, w[0], w[1]);
    }
    /* an all-zero column without a shift stays an error (p = y/Σy undefined) */
    double z[] = {0, 1, 0, 2, 0, 3};
    struct gf_err e = {0};
    expect_error(gf_eval_weights_entropy(z, 3, 2, GF_SHIFT_NONE, NULL, w, &e), &e, "all zero");
    /* … and with a shift it is constant: weight 0 */
    assert_int_equal(gf_eval_weights_entropy(z, 3, 2, GF_SHIFT_1E2, NULL, w, &e), GF_OK);
    assert_true(w[0] == 0 && w[1] == 1);
}

/* ---- item 21: values near ±DBL_MAX ---- */

static const double big[] = {1.7e308, -1.7e308, 1e308, 0};
/* R on big/1e300: (x − min)/(max − min), (x − mean)/sd, x/√Σx² */
static const double big_minmax[] = {1, 0, 0.79411764705882371, 0.5};
static const double big_z[] = {0.98281559466093582, -1.32171752385436192, 0.50835289379013926,
                               -0.16945096459671311};
static const double big_vec[] = {0.65288106674618329, -0.65288106674618329, 0.38404768632128433, 0};

static void test_normalise_near_dbl_max(void **state)
{
    (void)state;
    struct gf_eval_ind ind;
    gf_eval_ind_init(&ind, "huge");
    struct gf_err e = {0};
    double v[4];
    static const enum gf_eval_norm_method mth[] = {GF_NORM_MINMAX, GF_NORM_ZSCORE, GF_NORM_VECTOR};
    const double *want[] = {big_minmax, big_z, big_vec};
    for (int q = 0; q < 3; q++) {
        struct gf_eval_norm nm;
        gf_eval_norm_default(&nm, mth[q]);
        memcpy(v, big, sizeof v);
        int rc = gf_eval_normalise_column(v, 4, 1, &ind, &nm, &e);
        if (rc)
            fail_msg("%s: %s", gf_eval_norm_name(mth[q]), e.msg);
        for (int i = 0; i < 4; i++)
            NEAR(v[i], want[q][i], 1e-15);
    }
    /* negative direction: min-max reversed */
    ind.direction = GF_EVAL_NEG;
    struct gf_eval_norm nm;
    gf_eval_norm_default(&nm, GF_NORM_MINMAX);
    memcpy(v, big, sizeof v);
    assert_int_equal(gf_eval_normalise_column(v, 4, 1, &ind, &nm, &e), GF_OK);
    for (int i = 0; i < 4; i++)
        NEAR(v[i], 1 - big_minmax[i], 1e-15);
    /* goalposts and distance to target with a huge target */
    ind.direction = GF_EVAL_POS;
    ind.target = 1.7e308;
    gf_eval_norm_default(&nm, GF_NORM_DIST_TARGET);
    memcpy(v, big, sizeof v);
    assert_int_equal(gf_eval_normalise_column(v, 4, 1, &ind, &nm, &e), GF_OK);
    for (int i = 0; i < 4; i++)
        NEAR(v[i], big_minmax[i], 1e-15);
    gf_eval_norm_default(&nm, GF_NORM_GOALPOSTS);
    memcpy(v, big, sizeof v);
    assert_int_equal(gf_eval_normalise_column(v, 4, 1, &ind, &nm, &e), GF_OK);
    for (int i = 0; i < 4; i++)
        NEAR(v[i], big_minmax[i], 1e-15);
    /* ordinary data are untouched by the scaling: bit-identical to the plain formula */
    double o[] = {3, 1, 4, 1.5};
    ind.direction = GF_EVAL_POS;
    gf_eval_norm_default(&nm, GF_NORM_MINMAX);
    assert_int_equal(gf_eval_normalise_column(o, 4, 1, &ind, &nm, &e), GF_OK);
    assert_true(o[3] == (1.5 - 1) / (4.0 - 1));
}

static void test_weights_near_dbl_max(void **state)
{
    (void)state;
    struct gf_err e = {0};
    double w[2];
    /* entropy, no shift, on (1.7, 1.6, 1.0, 1.5)e308 and (1, 2, 3, 5): Σ would overflow */
    double x[] = {1.7e308, 1, 1.6e308, 2, 1e308, 3, 1.5e308, 5};
    assert_int_equal(gf_eval_weights_entropy(x, 4, 2, GF_SHIFT_NONE, NULL, w, &e), GF_OK);
    NEAR(w[0], 0.11263866754007298, 1e-15);
    NEAR(w[1], 0.88736133245992699, 1e-15);
    /* entropy, rescale, on ±1.7e308: the range would overflow */
    double y[] = {1.7e308, 1, -1.7e308, 2, 1e308, 3, 0, 5};
    assert_int_equal(gf_eval_weights_entropy(y, 4, 2, GF_SHIFT_RESCALE, NULL, w, &e), GF_OK);
    NEAR(w[0], 0.43045668637392337, 1e-15);
    NEAR(w[1], 0.56954331362607657, 1e-15);
    /* CRITIC on min-max data equals CRITIC on the raw huge column's correlation structure:
     * columns (big) and (1,2,3,5) scaled by 1e300 give the same weights */
    double z[] = {1.7e308, 1, -1.7e308, 2, 1e308, 3, 0, 5};
    double zs[] = {1.7e8, 1, -1.7e8, 2, 1e8, 3, 0, 5};
    double wz[2], ws[2];
    assert_int_equal(gf_eval_weights_critic(z, 4, 2, wz, &e), GF_OK);
    assert_int_equal(gf_eval_weights_critic(zs, 4, 2, ws, &e), GF_OK);
    assert_true(isfinite(wz[0]) && isfinite(wz[1]));
    NEAR(wz[0] + wz[1], 1, 1e-15);
    assert_true(wz[0] > ws[0]); /* σ is not scale-free: the huge column dominates */
    /* TOPSIS: vector normalisation is scale-free, so the huge column gives the closeness of
     * the same column divided by 1e300 */
    double t1[] = {1.7e308, 1, -1.7e308, 2, 1e308, 3, 0, 5};
    double t2[] = {1.7e8, 1, -1.7e8, 2, 1e8, 3, 0, 5};
    double wt[] = {0.5, 0.5}, c1[4], c2[4];
    assert_int_equal(gf_eval_topsis(t1, 4, 2, wt, NULL, 0, c1, &e), GF_OK);
    assert_int_equal(gf_eval_topsis(t2, 4, 2, wt, NULL, 0, c2, &e), GF_OK);
    for (int i = 0; i < 4; i++)
        NEAR(c1[i], c2[i], 1e-14);
}

static void test_prep_near_dbl_max(void **state)
{
    (void)state;
    struct gf_err e = {0};
    /* mean imputation: (1.7e308 + 1.6e308)/2 */
    double x[] = {1.7e308, 1.6e308, NAN};
    assert_int_equal(gf_eval_impute(x, 3, 1, GF_IMPUTE_MEAN, NULL, NULL, &e), GF_OK);
    NEAR(x[2] / 1e308, 1.65, 1e-15);
    /* skewness and kurtosis are scale-free: S1 × 1e306 gives S1's figures */
    double s1[12];
    for (int i = 0; i < 10; i++)
        s1[i] = (i + 1) * 1e306;
    s1[10] = 30e306;
    s1[11] = 100e306;
    double sk, ku;
    assert_int_equal(gf_eval_skew_kurt(s1, 12, 1, &sk, &ku, &e), GF_OK);
    NEAR(sk, 3.063241, 5e-7);
    NEAR(ku, 9.741391, 5e-7);
    /* the log treatment of a huge skewed column stays finite and keeps the order */
    double v[43];
    for (int i = 0; i < 40; i++)
        v[i] = (i + 1) * 1e300;
    v[40] = 1.7e308;
    v[41] = 1.5e308;
    v[42] = 1.3e308;
    struct gf_eval_treat t;
    gf_eval_treat_default(&t);
    t.winmax = 1;
    struct gf_eval_treat_info info;
    assert_int_equal(gf_eval_treat_column(v, 43, 1, &t, &info, &e), GF_OK);
    assert_int_equal(info.logged, 1);
    for (int i = 0; i < 43; i++)
        assert_true(isfinite(v[i]));
    assert_true(v[40] > v[41] && v[41] > v[42] && v[42] > v[39] && v[1] > v[0]);
    /* log(x − min + a) = log(range·(1 + 0.01)) for the maximum */
    NEAR(v[40], log(1.7e308 / 1e300 - 1) + log(1e300) + log(1.01), 1e-12);
}

/* ---- item 28: log_CT is the default, log_CT_plus by name ---- */

static void test_log_ct_default(void **state)
{
    (void)state;
    /* negatively skewed: −1000, −900, −800, −1, …, −40; winmax 2 is not enough */
    double x[43], y[43];
    for (int i = 0; i < 40; i++)
        x[i] = -(i + 1);
    x[40] = -1000;
    x[41] = -900;
    x[42] = -800;
    double mn = -1000, mx = -1, off = 0.01 * (mx - mn);
    struct gf_eval_treat t;
    gf_eval_treat_default(&t);
    assert_int_equal(t.log_fallback, GF_TREAT_LOG_CT);
    t.winmax = 2;
    struct gf_eval_treat_info info;
    struct gf_err e = {0};
    memcpy(y, x, sizeof y);
    assert_int_equal(gf_eval_treat_column(y, 43, 1, &t, &info, &e), GF_OK);
    assert_true(info.skew0 < 0);
    assert_int_equal(info.logged, 1);
    for (int i = 0; i < 43; i++) /* COINr's log_CT: log(x − min + 0.01·(max − min)) */
        NEAR(y[i], log(x[i] - mn + off), 1e-12);
    t.log_fallback = GF_TREAT_LOG_CT_PLUS;
    memcpy(y, x, sizeof y);
    assert_int_equal(gf_eval_treat_column(y, 43, 1, &t, &info, &e), GF_OK);
    for (int i = 0; i < 43; i++) /* skew corrected: −log(max − x + a) */
        NEAR(y[i], -log(mx - x[i] + off), 1e-12);
    /* the pipeline: "log": true is log_CT, "log_CT_plus" by name, anything else refused */
    struct gf_eval_pipeline p;
    const char *a = "{\"steps\":[{\"step\":\"treat\",\"log\":true}]}";
    const char *b = "{\"steps\":[{\"step\":\"treat\",\"log\":\"log_CT_plus\"}]}";
    const char *c = "{\"steps\":[{\"step\":\"treat\",\"log\":\"boxcox\"}]}";
    const char *d = "{\"steps\":[{\"step\":\"treat\"}]}";
    assert_int_equal(gf_eval_pipeline_parse(a, strlen(a), "a", &p, &e), GF_OK);
    assert_int_equal(p.step[0].treat.log_fallback, GF_TREAT_LOG_CT);
    assert_int_equal(gf_eval_pipeline_parse(d, strlen(d), "d", &p, &e), GF_OK);
    assert_int_equal(p.step[0].treat.log_fallback, GF_TREAT_LOG_CT);
    assert_int_equal(gf_eval_pipeline_parse(b, strlen(b), "b", &p, &e), GF_OK);
    assert_int_equal(p.step[0].treat.log_fallback, GF_TREAT_LOG_CT_PLUS);
    expect_error(gf_eval_pipeline_parse(c, strlen(c), "c", &p, &e), &e, "steps[0].log");
}

/* ---- item 29: weight noise per level and per node ---- */

/* indicators a b c d (level 1) → D1 {a, b}, D2 {c, d} (level 2) → S (level 3) → I (level 4) */
static struct gf_eval_node nodes[] = {
    {"a", 4, 1, 1},  {"b", 4, 2, 1},  {"c", 5, 1, 1}, {"d", 5, 3, 1},
    {"D1", 6, 1, 2}, {"D2", 6, 2, 2}, {"S", 7, 1, 3}, {"I", -1, 1, 4},
};

static void test_noise_per_level(void **state)
{
    (void)state;
    struct gf_eval_tree t = {4, 8, nodes};
    double w[8], wd[8], sp[8];
    for (int k = 0; k < 8; k++)
        w[k] = nodes[k].weight;
    struct gf_eval_mc mc;
    memset(&mc, 0, sizeof mc);
    mc.seed = 7;
    mc.weight_spread = 0; /* as the pipeline sets it when a noise table is given alone */
    mc.nnoise = 2;
    mc.noise[0] = (struct gf_eval_noise){2, "", 0.25};
    mc.noise[1] = (struct gf_eval_noise){3, "", 0.25};
    struct gf_err e = {0};
    assert_int_equal(gf_eval_mc_spreads(&mc, &t, sp, &e), GF_OK);
    int moved2 = 0;
    for (uint64_t d = 0; d < 2000; d++) {
        int in, ia, iw;
        gf_eval_mc_draw(&mc, w, sp, 8, d, wd, &in, &ia, &iw);
        for (int k = 0; k < 4; k++) /* indicators exactly nominal in every draw */
            if (wd[k] != w[k])
                fail_msg("draw %llu: indicator %s weight %.17g, nominal %g", (unsigned long long)d,
                         nodes[k].code, wd[k], w[k]);
        for (int k = 4; k < 7; k++) {
            assert_true(wd[k] >= 0.75 * w[k] && wd[k] <= 1.25 * w[k]);
            moved2 += wd[k] != w[k];
        }
    }
    assert_true(moved2 > 5000);
    /* the uniforms are laid out as before: level-3 node S moves exactly as with one spread */
    struct gf_eval_mc all = mc;
    all.nnoise = 0;
    all.weight_spread = 0.25;
    double wa[8];
    for (uint64_t d = 0; d < 50; d++) {
        int in, ia, iw;
        gf_eval_mc_draw(&mc, w, sp, 8, d, wd, &in, &ia, &iw);
        gf_eval_mc_draw(&all, w, NULL, 8, d, wa, &in, &ia, &iw);
        assert_true(wd[6] == wa[6] && wd[4] == wa[4]);
    }
    /* a node's own entry wins over its level's; weight_spread covers the rest */
    mc.weight_spread = 0.1;
    mc.nnoise = 3;
    mc.noise[2] = (struct gf_eval_noise){0, "D2", 0.5};
    assert_int_equal(gf_eval_mc_spreads(&mc, &t, sp, &e), GF_OK);
    static const double want[] = {0.1, 0.1, 0.1, 0.1, 0.25, 0.5, 0.25, 0.1};
    for (int k = 0; k < 8; k++)
        NEAR(sp[k], want[k], 0);
    /* unknown node, spread out of range */
    mc.noise[2] = (struct gf_eval_noise){0, "D9", 0.5};
    expect_error(gf_eval_mc_spreads(&mc, &t, sp, &e), &e, "D9");
    mc.noise[2] = (struct gf_eval_noise){0, "D2", 1.5};
    expect_error(gf_eval_mc_spreads(&mc, &t, sp, &e), &e, "[0,1)");
}

/* Perturbing only levels 2–3 gives narrower rank intervals than every node at the same spread,
 * and the pipeline reads the table (COINr's Level / NoiseFactor). */
static void test_noise_sensitivity_and_pipeline(void **state)
{
    (void)state;
    size_t n = 30;
    double *x = malloc(n * 4 * sizeof *x);
    assert_non_null(x);
    uint64_t s = 99;
    for (size_t q = 0; q < n * 4; q++)
        x[q] = (double)(gf_splitmix64(&s) >> 11) * 0x1.0p-53 * 10 + 1;
    struct gf_eval_tree t = {4, 8, nodes};
    double w[8];
    for (int k = 0; k < 8; k++)
        w[k] = nodes[k].weight;
    struct gf_eval_norm nm;
    gf_eval_norm_default(&nm, GF_NORM_MINMAX);
    struct gf_eval_aggspec ag = {GF_AGG_ARITH, 1, 0};
    struct gf_eval_mc mc;
    memset(&mc, 0, sizeof mc);
    mc.draws = 400;
    mc.seed = 3;
    mc.threads = 2;
    mc.weight_spread = 0.25;
    struct gf_eval_sens every[30], levels[30];
    struct gf_err e = {0};
    assert_int_equal(gf_eval_sensitivity(x, n, NULL, &t, w, NULL, &nm, &ag, &mc, every, &e), GF_OK);
    mc.weight_spread = 0;
    mc.nnoise = 2;
    mc.noise[0] = (struct gf_eval_noise){2, "", 0.25};
    mc.noise[1] = (struct gf_eval_noise){3, "", 0.25};
    assert_int_equal(gf_eval_sensitivity(x, n, NULL, &t, w, NULL, &nm, &ag, &mc, levels, &e),
                     GF_OK);
    double we = 0, wl = 0;
    for (size_t i = 0; i < n; i++) {
        we += every[i].p95 - every[i].p05;
        wl += levels[i].p95 - levels[i].p05;
    }
    assert_true(wl < we);
    free(x);
    struct gf_eval_pipeline p;
    const char *j = "{\"steps\":[{\"step\":\"normalise\",\"method\":\"minmax\"}],\"sensitivity\":"
                    "{\"noise\":[{\"level\":2,\"noise_factor\":0.25},{\"level\":3,\"noise_factor\":"
                    "0.25},{\"node\":\"D2\",\"noise_factor\":0.1}]}}";
    assert_int_equal(gf_eval_pipeline_parse(j, strlen(j), "j", &p, &e), GF_OK);
    assert_int_equal(p.mc.nnoise, 3);
    assert_true(p.mc.weight_spread == 0); /* unnamed levels keep their weights */
    assert_int_equal(p.mc.noise[1].level, 3);
    assert_string_equal(p.mc.noise[2].node, "D2");
    assert_true(p.mc.noise[2].spread == 0.1);
    const char *k = "{\"steps\":[{\"step\":\"normalise\",\"method\":\"minmax\"}],\"sensitivity\":"
                    "{\"weight_spread\":0.2,\"noise\":[{\"level\":2,\"noise_factor\":0.25}]}}";
    assert_int_equal(gf_eval_pipeline_parse(k, strlen(k), "k", &p, &e), GF_OK);
    assert_true(p.mc.weight_spread == 0.2);
    const char *bad = "{\"steps\":[{\"step\":\"normalise\",\"method\":\"minmax\"}],\"sensitivity\":"
                      "{\"noise\":[{\"level\":2,\"node\":\"D1\",\"noise_factor\":0.25}]}}";
    expect_error(gf_eval_pipeline_parse(bad, strlen(bad), "bad", &p, &e), &e,
                 "sensitivity.noise[0]");
    const char *bad2 =
        "{\"steps\":[{\"step\":\"normalise\",\"method\":\"minmax\"}],\"sensitivity\":"
        "{\"noise\":[{\"level\":2,\"noise_factor\":1.5}]}}";
    expect_error(gf_eval_pipeline_parse(bad2, strlen(bad2), "bad2", &p, &e), &e, "noise_factor");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entropy_all_constant_any_n),
        cmocka_unit_test(test_entropy_one_constant_column),
        cmocka_unit_test(test_normalise_near_dbl_max),
        cmocka_unit_test(test_weights_near_dbl_max),
        cmocka_unit_test(test_prep_near_dbl_max),
        cmocka_unit_test(test_log_ct_default),
        cmocka_unit_test(test_noise_per_level),
        cmocka_unit_test(test_noise_sensitivity_and_pipeline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
