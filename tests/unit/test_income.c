/* test_income.c — the demo household sample (gf_demo_income): calibration targets, the 2023
 * floor, determinism and idempotence.  Targets: demo_income.c's header (published Panzhihua
 * levels grown by published growth rates), not our own output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "domain/import.h"
#include "domain/income.h"
#include "store/db.h"
#include "testdb.h"

static char dbpath[512];

static struct gf_db *open_demo_units(void)
{
    testdb_new(dbpath, sizeof dbpath, "income");
    struct gf_db *db;
    struct gf_err e = {0};
    assert_int_equal(gf_db_open(&db, dbpath, &e), GF_OK);
    char path[512];
    snprintf(path, sizeof path, "%s/demo/units.csv", GONGFU_SOURCE_DIR);
    struct gf_import_opts o = {0, "test", NULL, NULL};
    struct gf_import_stats s;
    if (gf_import_file(db, gf_import_kind_find("units"), path, &o, &s, &e))
        fail_msg("%s", e.msg);
    return db;
}

static void close_db(struct gf_db *db)
{
    gf_db_close(db);
    testdb_drop(dbpath);
}

static double value(struct gf_db *db, const char *unit, const char *ind, const char *period)
{
    struct gf_stmt *st;
    assert_int_equal(gf_db_prepare(db,
                                   "SELECT value FROM value WHERE unit = ? AND indicator = ?"
                                   " AND period = ? AND origin = 'computed'",
                                   &st, NULL),
                     GF_OK);
    gf_stmt_bind_text(st, 1, unit);
    gf_stmt_bind_text(st, 2, ind);
    gf_stmt_bind_text(st, 3, period);
    double v = gf_stmt_step(st, NULL) == 1 ? gf_stmt_double(st, 0) : NAN;
    gf_stmt_finalize(st);
    return v;
}

static void test_demo_income(void **state)
{
    (void)state;
    struct gf_db *db = open_demo_units();
    struct gf_err e = {0};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (gf_demo_income(db, "test", &e))
        fail_msg("%s", e.msg);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    print_message("gf_demo_income: %.3f s (goal < 1 s in a release build; not asserted: sanitizer\n"
                  "builds and loaded CI machines are slower)\n",
                  secs);
    /* calibration: the city's urban and rural means equal the targets (cents rounding) */
    assert_float_equal(value(db, "510400", "income_urban", "2023"), 52172, 1);
    assert_float_equal(value(db, "510400", "income_rural", "2023"), 24905, 1);
    assert_float_equal(value(db, "510400", "income_urban", "2024"), 54500, 1);
    assert_float_equal(value(db, "510400", "income_rural", "2024"), 26500, 1);
    assert_float_equal(value(db, "510400", "urban_rural_ratio", "2023"), 52172.0 / 24905.0, 1e-4);
    /* 2023: no household under 10 000 yuan a person */
    assert_float_equal(value(db, "510400", "lowincome_households", "2023"), 0, 0);
    assert_float_equal(value(db, "510400", "lowincome_persons", "2023"), 0, 0);
    /* 2024: a few rural households fall back under the line */
    double low24 = value(db, "510400", "lowincome_households", "2024");
    assert_true(low24 > 0 && low24 < 2000);
    assert_int_equal(gf_db_int(db,
                               "SELECT count(*) FROM income_microdata WHERE period = '2024'"
                               " AND income < 10000 AND urban = 1",
                               -1),
                     0);
    /* a plausible spread */
    double g = value(db, "510400", "gini", "2023");
    assert_true(g > 0.25 && g < 0.45);
    double rr = value(db, "510400", "income_range_ratio", "2023");
    assert_true(rr > 1.05 && rr < 2.5);
    double engel = value(db, "510400", "engel", "2024");
    assert_true(engel > 25 && engel < 40);
    /* 30–50 households in every village, 2 periods */
    long villages = (long)gf_db_int(db, "SELECT count(*) FROM unit WHERE level = 4", 0);
    long rows = (long)gf_db_int(db, "SELECT count(*) FROM income_microdata", 0);
    assert_true(rows >= villages * 2 * 30 && rows <= villages * 2 * 50);
    assert_int_equal(
        gf_db_int(db, "SELECT count(*) FROM income_batch WHERE source NOT LIKE 'synthetic%'", -1),
        0);
    /* twice: nothing changes, no audit row */
    int64_t audits = gf_db_int(db, "SELECT count(*) FROM audit", 0);
    int64_t vsum = gf_db_int(db, "SELECT total(value) * 1000 FROM value", 0);
    if (gf_demo_income(db, "test", &e))
        fail_msg("%s", e.msg);
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM audit", 0), audits);
    assert_int_equal(gf_db_int(db, "SELECT total(value) * 1000 FROM value", 0), vsum);
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM income_microdata", 0), rows);
    close_db(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_income),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
