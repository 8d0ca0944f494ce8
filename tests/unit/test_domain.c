/* test_domain.c — the hierarchy, rollups and formulas, with hand-computed expectations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/formula.h"
#include "domain/import.h"
#include "domain/unit.h"
#include "domain/values.h"
#include "store/db.h"
#include "testdb.h"

static char dbpath[512];

static struct gf_db *open_base(void)
{
    testdb_new(dbpath, sizeof dbpath, "domain");
    struct gf_db *db;
    struct gf_err e = {0};
    assert_int_equal(gf_db_open(&db, dbpath, &e), GF_OK);
    const char *kinds[] = {"units", "framework", "values"};
    for (int i = 0; i < 3; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/tests/data/base/%s.csv", GONGFU_SOURCE_DIR, kinds[i]);
        struct gf_import_opts o = {0, "test", NULL, NULL};
        struct gf_import_stats s;
        int rc = gf_import_file(db, gf_import_kind_find(kinds[i]), path, &o, &s, &e);
        if (rc)
            fail_msg("%s", e.msg);
    }
    return db;
}

static void close_base(struct gf_db *db)
{
    gf_db_close(db);
    testdb_drop(dbpath);
}

static double value(struct gf_db *db, const char *unit, const char *ind, const char *period)
{
    struct gf_stmt *st;
    assert_int_equal(
        gf_db_prepare(db, "SELECT value FROM value WHERE unit = ? AND indicator = ? AND period = ?",
                      &st, NULL),
        GF_OK);
    gf_stmt_bind_text(st, 1, unit);
    gf_stmt_bind_text(st, 2, ind);
    gf_stmt_bind_text(st, 3, period);
    double v = gf_stmt_step(st, NULL) == 1 ? gf_stmt_double(st, 0) : NAN;
    gf_stmt_finalize(st);
    return v;
}

static void test_hierarchy(void **state)
{
    (void)state;
    struct gf_db *db = open_base();
    struct gf_units u;
    struct gf_err e = {0};
    assert_int_equal(gf_units_load(db, &u, &e), GF_OK);
    assert_int_equal(u.n, 8);
    /* depth-first: city, 东区, its township and community, then 米易县 and its subtree */
    const char *order[] = {"510400", "510402",    "510402001",    "510402001001",
                           "510421", "510421001", "510421001001", "510421001002"};
    for (int i = 0; i < 8; i++)
        assert_string_equal(u.unit[i].code, order[i]);
    assert_int_equal(u.unit[0].subtree_size, 8);
    assert_int_equal(u.unit[4].subtree_size, 4);
    assert_int_equal(u.unit[5].parent, 4);
    assert_int_equal(u.unit[7].depth, 3);
    assert_int_equal(u.unit[6].population, 150);
    assert_int_equal(u.unit[4].urban, 0);
    assert_int_equal(u.unit[1].urban, 1);
    int miyi = gf_units_find(&u, "510421");
    assert_int_equal(miyi, 4);
    assert_int_equal(gf_units_find(&u, "510499"), -1);
    assert_true(gf_units_within(&u, gf_units_find(&u, "510421001002"), miyi));
    assert_false(gf_units_within(&u, gf_units_find(&u, "510402001001"), miyi));
    assert_true(gf_units_within(&u, miyi, miyi));
    assert_string_equal(u.level_zh[4], "村(社区)");
    gf_units_free(&u);
    /* a cycle written behind the importer's back is caught by the check */
    assert_int_equal(gf_db_exec(db,
                                "UPDATE unit SET parent = '510421001001' "
                                "WHERE code = '510421001'",
                                NULL),
                     GF_OK);
    assert_int_equal(gf_units_check(db, "x.csv", NULL, NULL, &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "cycle"));
    close_base(db);
}

static void test_rollup(void **state)
{
    (void)state;
    struct gf_db *db = open_base();
    struct gf_rollup_stats s;
    struct gf_err e = {0};
    assert_int_equal(gf_values_rollup(db, "test", NULL, &s, &e), GF_OK);
    /* 米易县 urban income: population-weighted mean of its villages:
     * (40000*150 + 48000*250) / 400 = 45000; rural (20000*150 + 24000*250)/400 = 22500 */
    assert_float_equal(value(db, "510421", "income_urban", "2024"), 45000, 1e-9);
    assert_float_equal(value(db, "510421", "income_rural", "2024"), 22500, 1e-9);
    /* city: counties 60000 (pop 600) and 45000 (pop 400) → 54000; rural 30000, 22500 → 27000 */
    assert_float_equal(value(db, "510400", "income_urban", "2024"), 54000, 1e-9);
    assert_float_equal(value(db, "510400", "income_rural", "2024"), 27000, 1e-9);
    /* derived at every level from the rolled-up inputs: 54000 / 27000 = 2 */
    assert_float_equal(value(db, "510400", "ratio", "2024"), 2, 1e-12);
    assert_float_equal(value(db, "510421001001", "ratio", "2024"), 2, 1e-12);
    /* over time: households is agg_time sum: 10+11+12+13 = 46, then summed over units;
     * 米易县 has no households → no value (a partial sum is never a total) */
    assert_float_equal(value(db, "510402001001", "households", "2024"), 46, 0);
    assert_float_equal(value(db, "510402", "households", "2024"), 46, 0);
    assert_true(isnan(value(db, "510400", "households", "2024")));
    assert_true(isnan(value(db, "510421", "households", "2024")));
    long written = s.written;
    assert_true(written > 0);
    /* rerun: nothing changes */
    assert_int_equal(gf_values_rollup(db, "test", NULL, &s, &e), GF_OK);
    assert_int_equal(s.written, 0);
    assert_int_equal(s.unchanged, written);
    /* a reported county value wins over the rollup, and the city follows it:
     * (70000*600 + 45000*400)/1000 = 60000 */
    assert_int_equal(gf_db_exec(db, "INSERT INTO value (unit, indicator, period, value, origin, source, state,"
                                    " updated_by, updated_at)"
                                    " VALUES ('510402','income_urban','2024',70000,'reported','t','approved','t','t')"
                                    " ON CONFLICT (unit, indicator, period) DO UPDATE SET value = 70000, origin = 'reported'", &e), GF_OK);
    assert_int_equal(gf_values_rollup(db, "test", "2024", &s, &e), GF_OK);
    assert_float_equal(value(db, "510402", "income_urban", "2024"), 70000, 0);
    assert_float_equal(value(db, "510400", "income_urban", "2024"), 60000, 1e-9);
    assert_float_equal(value(db, "510400", "ratio", "2024"), 60000.0 / 27000.0, 1e-12);
    /* a village loses its value: its township, county and city lose theirs */
    assert_int_equal(
        gf_db_exec(
            db, "DELETE FROM value WHERE unit = '510421001002' AND indicator = 'income_rural'", &e),
        GF_OK);
    assert_int_equal(gf_values_rollup(db, "test", NULL, &s, &e), GF_OK);
    assert_true(isnan(value(db, "510421", "income_rural", "2024")));
    assert_true(isnan(value(db, "510400", "income_rural", "2024")));
    assert_true(isnan(value(db, "510400", "ratio", "2024")));
    assert_true(s.removed >= 3);
    close_base(db);
}

static double lookup(void *ctx, const char *code)
{
    (void)ctx;
    if (!strcmp(code, "a"))
        return 6;
    if (!strcmp(code, "b"))
        return 3;
    if (!strcmp(code, "z"))
        return 0;
    return NAN;
}

static double eval(const char *text)
{
    struct gf_formula *f;
    struct gf_err e = {0};
    if (gf_formula_parse(text, &f, &e))
        fail_msg("%s", e.msg);
    double v = gf_formula_eval(f, lookup, NULL);
    gf_formula_free(f);
    return v;
}

static void test_formula(void **state)
{
    (void)state;
    assert_float_equal(eval("a / b"), 2, 0);
    assert_float_equal(eval("a + b * 2"), 12, 0); /* precedence */
    assert_float_equal(eval("(a + b) * 2"), 18, 0);
    assert_float_equal(eval("a - b - 1"), 2, 0); /* left associative */
    assert_float_equal(eval("a / b / 2"), 1, 0);
    assert_float_equal(eval("-a + 10"), 4, 0);
    assert_float_equal(eval("a * 1e3"), 6000, 0);
    assert_float_equal(eval(" 100 * (a - b) / a "), 50, 1e-12);
    assert_true(isnan(eval("a / z")));       /* division by zero: no value */
    assert_true(isnan(eval("a + missing"))); /* missing input: no value */
    struct gf_formula *f;
    struct gf_err e = {0};
    assert_int_equal(gf_formula_parse("a / b + a", &f, &e), GF_OK);
    assert_int_equal(gf_formula_nrefs(f), 2);
    assert_string_equal(gf_formula_ref(f, 0), "a");
    assert_string_equal(gf_formula_ref(f, 1), "b");
    gf_formula_free(f);
    const char *bad[] = {"", "a +", "a b", "(a", "a)", "3 $ 4", "*a"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(gf_formula_parse(bad[i], &f, &e), GF_EUSER);
        assert_non_null(strstr(e.msg, "expected"));
    }
}

static void test_import_idempotent_and_dry_run(void **state)
{
    (void)state;
    struct gf_db *db = open_base();
    struct gf_err e = {0};
    long long audit0 = gf_db_int(db, "SELECT count(*) FROM audit", -1);
    char path[512];
    snprintf(path, sizeof path, "%s/tests/data/base/values.csv", GONGFU_SOURCE_DIR);
    struct gf_import_opts o = {0, "test", NULL, NULL};
    struct gf_import_stats s;
    assert_int_equal(gf_import_file(db, gf_import_kind_find("values"), path, &o, &s, &e), GF_OK);
    assert_int_equal(s.rows, 10);
    assert_int_equal(s.unchanged, 10);
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM audit", -1), audit0);
    /* a changed value is updated and audited with before and after */
    FILE *f = fopen("/tmp/gongfu-test-domain-v.csv", "w");
    fputs("unit,indicator,period,value\n510421001001,income_rural,2024,21000\n", f);
    fclose(f);
    o.dry_run = 1;
    assert_int_equal(gf_import_file(db, gf_import_kind_find("values"),
                                    "/tmp/gongfu-test-domain-v.csv", &o, &s, &e),
                     GF_OK);
    assert_int_equal(s.updated, 1);
    assert_float_equal(value(db, "510421001001", "income_rural", "2024"), 20000, 0); /* dry run */
    o.dry_run = 0;
    assert_int_equal(gf_import_file(db, gf_import_kind_find("values"),
                                    "/tmp/gongfu-test-domain-v.csv", &o, &s, &e),
                     GF_OK);
    assert_float_equal(value(db, "510421001001", "income_rural", "2024"), 21000, 0);
    struct gf_stmt *st;
    assert_int_equal(
        gf_db_prepare(db, "SELECT actor, action, before, after FROM audit ORDER BY id DESC LIMIT 1",
                      &st, NULL),
        GF_OK);
    assert_int_equal(gf_stmt_step(st, NULL), 1);
    assert_string_equal(gf_stmt_text(st, 0), "test");
    assert_string_equal(gf_stmt_text(st, 1), "update");
    assert_non_null(strstr(gf_stmt_text(st, 2), "\"value\":\"20000"));
    assert_non_null(strstr(gf_stmt_text(st, 3), "\"value\":\"21000\""));
    gf_stmt_finalize(st);
    unlink("/tmp/gongfu-test-domain-v.csv");
    close_base(db);
}

/* Many threads load the unit tree at once (the HTTP server's workers do): each gets the whole
 * tree, in order, every code found.  The sort once kept its data in a global, and two threads
 * sorting at once read each other's arrays. */
struct load_job {
    int fails;
};

static void *load_many(void *arg)
{
    struct load_job *j = arg;
    struct gf_db *db;
    struct gf_err e = {0};
    if (gf_db_open_read(&db, dbpath, &e)) {
        j->fails = 1000;
        return NULL;
    }
    for (int k = 0; k < 60; k++) {
        struct gf_units u;
        if (gf_units_load(db, &u, &e)) {
            j->fails++;
            continue;
        }
        for (int i = 0; i < u.n; i++)
            if (gf_units_find(&u, u.unit[i].code) != i)
                j->fails++;
        gf_units_free(&u);
    }
    gf_db_close(db);
    return NULL;
}

static void test_units_load_threads(void **state)
{
    (void)state;
    struct gf_db *db = open_base();
    /* 40 townships of 50 villages under 米易县: a tree worth sorting */
    assert_int_equal(gf_db_exec(db, "BEGIN", NULL), GF_OK);
    char sql[400];
    for (int t = 0; t < 40; t++) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO unit (code, name, parent, level, area) VALUES ('5104219%02d', 'T%d', '510421', 3, 'rural')",
                 t, t);
        assert_int_equal(gf_db_exec(db, sql, NULL), GF_OK);
        for (int v = 0; v < 50; v++) {
            snprintf(sql, sizeof sql,
                     "INSERT INTO unit (code, name, parent, level, area) VALUES ('5104219%02d%03d', 'V', '5104219%02d', 4, 'rural')",
                     t, 999 - v, t);
            assert_int_equal(gf_db_exec(db, sql, NULL), GF_OK);
        }
    }
    assert_int_equal(gf_db_exec(db, "COMMIT", NULL), GF_OK);
    enum { NT = 6 };
    pthread_t th[NT];
    struct load_job jobs[NT] = {{0}};
    for (int i = 0; i < NT; i++)
        assert_int_equal(pthread_create(&th[i], NULL, load_many, &jobs[i]), 0);
    for (int i = 0; i < NT; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(jobs[i].fails, 0);
    }
    close_base(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hierarchy),
        cmocka_unit_test(test_units_load_threads),
        cmocka_unit_test(test_rollup),
        cmocka_unit_test(test_formula),
        cmocka_unit_test(test_import_idempotent_and_dry_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
