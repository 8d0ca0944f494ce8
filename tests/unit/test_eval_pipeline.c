/* test_eval_pipeline.c — the pipeline JSON reader: the shipped pipelines parse to what their
 * documentation says, and bad pipelines are refused with a message naming the field. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/eval_pipeline.h"
#include "domain/evaluation.h"

static char *slurp(const char *rel, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", GONGFU_SOURCE_DIR, rel);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 16);
    assert_non_null(buf);
    *len = fread(buf, 1, (1 << 16) - 1, f);
    buf[*len] = 0;
    fclose(f);
    return buf;
}

static void test_default(void **state)
{
    (void)state;
    size_t len;
    char *txt = slurp("docs/pipelines/default.json", &len);
    struct gf_eval_pipeline p;
    struct gf_err e = {0};
    assert_int_equal(gf_eval_pipeline_parse(txt, len, "default.json", &p, &e), GF_OK);
    assert_string_equal(p.name, "default");
    assert_int_equal(p.nstep, 4);
    assert_int_equal(p.step[0].kind, GF_STEP_IMPUTE);
    assert_int_equal(p.step[0].impute, GF_IMPUTE_MEAN);
    assert_int_equal(p.step[1].kind, GF_STEP_NORMALISE);
    assert_int_equal(p.step[1].norm.method, GF_NORM_ATTAIN);
    assert_true(p.step[1].norm.u == 100);
    assert_int_equal(p.step[2].weight, GF_WEIGHT_FRAMEWORK);
    assert_int_equal(p.step[2].combine, -1);
    assert_int_equal(p.step[3].agg.method, GF_AGG_ARITH);
    assert_int_equal(p.mc.draws, 0);
    assert_true(p.mc.weight_spread == 0.25);
    free(txt);
}

static void test_alternatives(void **state)
{
    (void)state;
    size_t len;
    char *txt = slurp("docs/pipelines/minmax-entropy.json", &len);
    struct gf_eval_pipeline p;
    struct gf_err e = {0};
    assert_int_equal(gf_eval_pipeline_parse(txt, len, "minmax-entropy.json", &p, &e), GF_OK);
    assert_int_equal(p.step[1].kind, GF_STEP_TREAT);
    assert_int_equal(p.step[1].treat.winmax, 5);
    assert_true(p.step[1].treat.kurt_max == 3.5);
    assert_true(p.step[2].norm.l == 0 && p.step[2].norm.u == 100);
    assert_int_equal(p.step[3].weight, GF_WEIGHT_ENTROPY);
    assert_int_equal(p.step[3].shift, GF_SHIFT_NONE);
    assert_int_equal(p.mc.nnorm, 2);
    assert_int_equal(p.mc.norm[1].method, GF_NORM_RANK);
    assert_int_equal(p.mc.nagg, 2);
    assert_int_equal(p.mc.agg[1].method, GF_AGG_GEOM);
    assert_int_equal(p.mc.nwinsor, 6);
    assert_int_equal(p.mc.winsor[5], 5);
    free(txt);
    txt = slurp("docs/pipelines/entropy-topsis.json", &len);
    assert_int_equal(gf_eval_pipeline_parse(txt, len, "entropy-topsis.json", &p, &e), GF_OK);
    assert_int_equal(p.step[2].shift, GF_SHIFT_1E2);
    assert_int_equal(p.step[3].agg.method, GF_AGG_TOPSIS);
    assert_int_equal(p.step[3].agg.topsis_flags, 0);
    free(txt);
    const char *c = "{\"steps\":[{\"step\":\"weight\",\"method\":\"entropy\",\"shift\":\"rescale\","
                    "\"combine\":{\"with\":\"critic\",\"how\":\"product\"}},"
                    "{\"step\":\"aggregate\",\"method\":\"power\",\"p\":-1},"
                    "{\"step\":\"impute\",\"method\":\"linear\"}]}";
    assert_int_equal(gf_eval_pipeline_parse(c, strlen(c), "c", &p, &e), GF_OK);
    assert_int_equal(p.step[0].combine, GF_COMBINE_PRODUCT);
    assert_int_equal(p.step[0].weight2, GF_WEIGHT_CRITIC);
    assert_int_equal(p.step[0].shift, GF_SHIFT_RESCALE);
    assert_true(p.step[1].agg.p == -1);
    assert_int_equal(p.step[2].impute, 100 + GF_PANEL_LINEAR);
}

static void refused(const char *json, const char *needle)
{
    struct gf_eval_pipeline p;
    struct gf_err e = {0};
    int rc = gf_eval_pipeline_parse(json, strlen(json), "p.json", &p, &e);
    if (rc != GF_EUSER)
        fail_msg("accepted: %s", json);
    if (!strstr(e.msg, needle))
        fail_msg("message \"%s\" lacks \"%s\"", e.msg, needle);
}

static void test_refused(void **state)
{
    (void)state;
    refused("{\"steps\": [", "p.json:1");
    refused("[1,2]", "a JSON object");
    refused("{\"steps\": []}", "field \"steps\"");
    refused("{\"steps\": [{\"step\": \"smooth\"}]}", "value \"smooth\": expected denominate");
    refused("{\"steps\": [{\"step\": \"impute\"}]}", "steps[0].method");
    refused("{\"steps\": [{\"step\": \"impute\", \"method\": \"mode\"}]}", "value \"mode\"");
    refused("{\"steps\": [{\"step\": \"normalise\", \"method\": \"minmax\", \"range\": [1, 0]}]}",
            "low < high");
    refused("{\"steps\": [{\"step\": \"normalise\", \"method\": \"minmax\", \"colour\": 1}]}",
            "steps[0].colour");
    refused("{\"steps\": [{\"step\": \"aggregate\", \"method\": \"power\"}]}", "order p");
    refused("{\"steps\": [{\"step\": \"screen\", \"threshold\": 1.5}]}", "between 0 and 1");
    refused("{\"steps\": [{\"step\": \"weight\", \"method\": \"entropy\", \"combine\": "
            "{\"with\": \"critic\", \"how\": \"max\"}}]}",
            "steps[0].combine.how");
    refused("{\"steps\": [{\"step\": \"treat\", \"winmax\": -1}]}", "winmax");
    refused("{\"steps\": [{\"step\": \"impute\", \"method\": \"mean\"}], \"sensitivity\": "
            "{\"winsor\": [1,2,3,4,5,6,7,8,9]}}",
            "1 to 8");
    refused("{\"steps\": [{\"step\": \"impute\", \"method\": \"mean\"}], \"sensitivity\": "
            "{\"aggregate\": [{\"method\": \"median\"}]}}",
            "sensitivity.aggregate[0].method");
    refused("{\"steps\": [{\"step\": \"impute\", \"method\": \"mean\"}], \"steps\": []}", "p.json");
}

/* The built-in pipelines are the shipped files, byte for byte; peers normalise without targets. */
static void test_builtin(void **state)
{
    (void)state;
    size_t len;
    char *txt = slurp("docs/pipelines/default.json", &len);
    assert_string_equal(txt, gf_evaluation_default_pipeline);
    free(txt);
    txt = slurp("docs/pipelines/peers.json", &len);
    assert_string_equal(txt, gf_evaluation_peers_pipeline);
    struct gf_eval_pipeline p;
    struct gf_err e = {0};
    assert_int_equal(gf_eval_pipeline_parse(txt, len, "peers.json", &p, &e), GF_OK);
    assert_int_equal(p.step[1].norm.method, GF_NORM_MINMAX);
    assert_int_equal(p.step[2].weight, GF_WEIGHT_FRAMEWORK);
    free(txt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default),
        cmocka_unit_test(test_builtin),
        cmocka_unit_test(test_alternatives),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
