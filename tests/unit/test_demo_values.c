/* test_demo_values.c — the demo files import cleanly and the synthetic-value generator keeps
 * its promises: real values untouched, nothing at levels the rollup computes, every value
 * labelled, deterministic, idempotent, fast, and calibrated to the published city figures. */
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

#include "domain/demo.h"
#include "domain/household.h"
#include "domain/import.h"
#include "domain/values.h"
#include "store/db.h"
#include "testdb.h"

static char dbpath[2][512];

static struct gf_db *open_demo(int which)
{
    testdb_new(dbpath[which], sizeof dbpath[which], which ? "demo_1" : "demo_0");
    struct gf_db *db;
    struct gf_err e = {0};
    assert_int_equal(gf_db_open(&db, dbpath[which], &e), GF_OK);
    static const char *const files[][2] = {
        {"units", "units.csv"},
        {"teams", "teams.csv"},
        {"departments", "departments.csv"},
        {"people", "people.csv"},
        {"framework", "framework-panzhihua.csv"},
        {"framework", "framework-zhejiang.csv"},
        {"values", "values-published.csv"},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/demo/%s", GONGFU_SOURCE_DIR, files[i][1]);
        struct gf_import_opts o = {0, "test", NULL, NULL};
        struct gf_import_stats s;
        const struct gf_import_kind *k = gf_import_kind_find(files[i][0]);
        assert_non_null(k);
        if (gf_import_file(db, k, path, &o, &s, &e))
            fail_msg("%s", e.msg);
    }
    return db;
}

static void close_demo(struct gf_db *db, int which)
{
    gf_db_close(db);
    testdb_drop(dbpath[which]);
}

static double value_of(struct gf_db *db, const char *unit, const char *ind, const char *period,
                       char *source, size_t n)
{
    struct gf_stmt *st;
    assert_int_equal(
        gf_db_prepare(db,
                      "SELECT value, source FROM value WHERE unit = ? AND indicator = ?"
                      " AND period = ?",
                      &st, NULL),
        GF_OK);
    gf_stmt_bind_text(st, 1, unit);
    gf_stmt_bind_text(st, 2, ind);
    gf_stmt_bind_text(st, 3, period);
    double v = NAN;
    if (gf_stmt_step(st, NULL) == 1) {
        v = gf_stmt_double(st, 0);
        if (source)
            snprintf(source, n, "%s", gf_stmt_text(st, 1) ? gf_stmt_text(st, 1) : "");
    }
    gf_stmt_finalize(st);
    return v;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_demo_files(void **state)
{
    (void)state;
    struct gf_db *db = open_demo(0);
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM unit WHERE level = 2", 0), 5);
    long v = (long)gf_db_int(db, "SELECT count(*) FROM unit WHERE level = 4", 0);
    assert_true(v >= 220 && v <= 240);
    /* every township and village is marked synthetic; the five counties carry their real codes */
    assert_int_equal(
        gf_db_int(db, "SELECT count(*) FROM unit WHERE level >= 3 AND note NOT LIKE 'synthetic%'",
                  -1),
        0);
    assert_int_equal(
        gf_db_int(db,
                  "SELECT count(*) FROM unit WHERE code IN ('510402','510403','510411',"
                  "'510421','510422') AND parent = '510400'",
                  0),
        5);
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM team", 0), 12);
    assert_true(gf_db_int(db, "SELECT count(*) FROM department", 0) >= 40);
    long pz = (long)gf_db_int(db,
                              "SELECT count(*) FROM framework_node WHERE framework = 'panzhihua'"
                              " AND kind = 'indicator'",
                              0);
    assert_true(pz >= 30 && pz <= 45);
    /* the Zhejiang 2025 targets of DESIGN §5 */
    assert_true(gf_db_int(db,
                          "SELECT value = 75000 FROM target WHERE framework = 'zhejiang2025' AND"
                          " indicator = 'income_pc' AND year = 2025",
                          0) == 1);
    assert_true(gf_db_int(db,
                          "SELECT value = 1.9 FROM target WHERE framework = 'zhejiang2025' AND"
                          " indicator = 'urban_rural_ratio' AND year = 2025",
                          0) == 1);
    /* published values carry a source id, never 'synthetic' */
    assert_int_equal(
        gf_db_int(db, "SELECT count(*) FROM value WHERE source LIKE '%synthetic%'", -1), 0);
    assert_int_equal(
        gf_db_int(db, "SELECT count(*) FROM value WHERE NOT (substr(source, 1, 1) = 'P' AND substr(source, 2, 1) BETWEEN '0' AND '9')", -1), 0);
    close_demo(db, 0);
}

static double checksum(struct gf_db *db)
{
    struct gf_stmt *st;
    assert_int_equal(gf_db_prepare(db,
                                   "SELECT unit, indicator, period, value FROM value"
                                   " ORDER BY unit, indicator, period",
                                   &st, NULL),
                     GF_OK);
    double h = 0;
    long k = 0;
    while (gf_stmt_step(st, NULL) == 1)
        h += gf_stmt_double(st, 3) * (double)(1 + (k++ % 97));
    gf_stmt_finalize(st);
    return h;
}

static void test_synthetic_values(void **state)
{
    (void)state;
    struct gf_db *db = open_demo(0);
    struct gf_err e = {0};
    double t0 = now_s();
    if (gf_demo_synthetic_values(db, "test", &e))
        fail_msg("%s", e.msg);
    double secs = now_s() - t0;
    long n = (long)gf_db_int(db, "SELECT count(*) FROM value WHERE source = 'synthetic'", 0);
    print_message("synthetic values: %ld in %.3f s\n", n, secs);
    assert_true(n > 15000);
    /* speed is measured in bench/, not asserted here (sanitizer builds are many times slower) */

    /* the real values are untouched */
    char src[256];
    assert_true(value_of(db, "510400", "income_urban", "2020", src, sizeof src) == 44209);
    assert_true(strncmp(src, "P1 ", 3) == 0);
    assert_true(value_of(db, "510402", "gdp", "2023", src, sizeof src) == 571.02);
    assert_true(strncmp(src, "P12 ", 4) == 0);
    /* every written value is labelled, reported and approved */
    assert_int_equal(gf_db_int(db,
                               "SELECT count(*) FROM value WHERE source = 'synthetic' AND"
                               " (origin <> 'reported' OR state <> 'approved')",
                               -1),
                     0);
    assert_int_equal(
        gf_db_int(db, "SELECT count(*) FROM value WHERE source IS NULL OR source = ''", -1), 0);
    /* nothing for derived indicators, nothing above villages for rolled-up ones */
    assert_int_equal(
        gf_db_int(db, "SELECT count(*) FROM value WHERE indicator = 'urban_rural_ratio'", -1), 0);
    assert_int_equal(
        gf_db_int(db,
                  "SELECT count(*) FROM value v JOIN unit u ON u.code = v.unit"
                  " JOIN indicator i ON i.code = v.indicator WHERE v.source = 'synthetic'"
                  " AND i.agg_units <> 'none' AND u.level < 4",
                  -1),
        0);
    /* indicators that do not roll up get county and city values, and not at villages */
    assert_int_equal(
        gf_db_int(db,
                  "SELECT count(*) FROM value WHERE indicator = 'gini' AND period = '2023'"
                  " AND unit IN ('510400','510402','510403','510411','510421','510422')",
                  0),
        6);
    assert_int_equal(gf_db_int(db,
                               "SELECT count(*) FROM value v JOIN unit u ON u.code = v.unit"
                               " WHERE v.indicator = 'gini' AND u.level = 4",
                               -1),
                     0);
    /* the city series passes through the published anchors and interpolates between them */
    double g21 = value_of(db, "510400", "budget_revenue", "2021", NULL, 0);
    assert_true(g21 > 68.25 && g21 < 83.3);
    /* quarters of a flow sum exactly to the year */
    assert_int_equal(
        gf_db_int(
            db,
            "SELECT count(*) FROM (SELECT y.unit, max(y.value) - sum(q.value) AS d"
            " FROM value y JOIN value q ON q.unit = y.unit AND q.indicator = y.indicator"
            " AND q.period LIKE y.period || 'Q%' WHERE y.indicator = 'collective_income_village'"
            " AND y.period IN ('2024','2025') GROUP BY y.unit, y.period) AS s"
            " WHERE abs(d) > 1e-6",
            -1),
        0);
    /* the deliberate gaps */
    assert_true(isnan(value_of(db, "510422010003", "lowincome_paired_rate", "2025", NULL, 0)));
    assert_false(isnan(value_of(db, "510422010003", "lowincome_paired_rate", "2024", NULL, 0)));
    assert_true(isnan(value_of(db, "510422", "reading_rate", "2025", NULL, 0)));

    /* rollup: the city's population-weighted income_pc lies between the published rural and
     * urban incomes, near their blend at the 2023 urbanisation rate (70.78 %) */
    struct gf_rollup_stats rs;
    if (gf_values_rollup(db, "test", "2022", &rs, &e))
        fail_msg("%s", e.msg);
    double ipc = value_of(db, "510400", "income_pc", "2022", NULL, 0);
    double blend = 0.7078 * 50214 + 0.2922 * 23297;
    print_message("city income_pc 2022 by rollup %.0f, blend of the published figures %.0f\n", ipc,
                  blend);
    assert_true(fabs(ipc / blend - 1) < 0.05);
    /* the derived ratio at the city uses the real 2022 figures: 50214 / 23297 */
    double urr = value_of(db, "510400", "urban_rural_ratio", "2022", NULL, 0);
    assert_true(fabs(urr - 50214.0 / 23297.0) < 1e-9);

    /* idempotent: a second run adds nothing and changes nothing */
    double h1 = checksum(db);
    long audits = (long)gf_db_int(db, "SELECT count(*) FROM audit", 0);
    if (gf_demo_synthetic_values(db, "test", &e))
        fail_msg("%s", e.msg);
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM value WHERE source = 'synthetic'", 0), n);
    assert_true(checksum(db) == h1);
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM audit", 0), audits + 1);

    /* deterministic: a fresh database gets the same values */
    struct gf_db *db2 = open_demo(1);
    if (gf_demo_synthetic_values(db2, "test", &e))
        fail_msg("%s", e.msg);
    struct gf_rollup_stats rs2;
    if (gf_values_rollup(db2, "test", "2022", &rs2, &e))
        fail_msg("%s", e.msg);
    assert_true(checksum(db2) == h1);
    close_demo(db2, 1);
    close_demo(db, 0);
}

/* Without a registry the low-income counts split the city path exactly; with the demo
 * household registry in place first, every village's count is the registry's number of
 * households under 10 000 yuan per person that year. */
static void test_lowincome_counts(void **state)
{
    (void)state;
    struct gf_db *db = open_demo(0);
    struct gf_err e = {0};
    if (gf_demo_synthetic_values(db, "test", &e))
        fail_msg("%s", e.msg);
    assert_int_equal(
        gf_db_int(db,
                  "SELECT sum(value) FROM value WHERE indicator = 'lowincome_households'"
                  " AND period = '2021'",
                  -1),
        3180);
    assert_int_equal(
        gf_db_int(db,
                  "SELECT sum(value) FROM value WHERE indicator = 'lowincome_households'"
                  " AND period = '2023'",
                  -1),
        0);
    assert_int_equal(gf_db_int(db,
                               "SELECT count(*) FROM value WHERE indicator = 'lowincome_households'"
                               " AND value <> round(value)",
                               -1),
                     0);
    close_demo(db, 0);

    db = open_demo(0);
    if (gf_demo_households(db, "test", &e))
        fail_msg("%s", e.msg);
    if (gf_demo_synthetic_values(db, "test", &e))
        fail_msg("%s", e.msg);
    long covered =
        (long)gf_db_int(db,
                        "SELECT count(*) FROM (SELECT h.unit, i.period FROM hh_income i JOIN"
                        " household h ON h.code = i.household GROUP BY 1, 2) AS c",
                        0);
    assert_true(covered > 0);
    assert_int_equal(
        gf_db_int(db,
                  "SELECT count(*) FROM (SELECT h.unit, i.period, sum(CASE WHEN i.per_capita < 10000 THEN 1 ELSE 0 END) c"
                  " FROM hh_income i JOIN household h ON h.code = i.household GROUP BY 1, 2) r"
                  " LEFT JOIN value v ON v.unit = r.unit AND v.period = r.period AND"
                  " v.indicator = 'lowincome_households' WHERE v.value IS NULL OR v.value <> r.c",
                  -1),
        0);
    close_demo(db, 0);
}

static void test_needs_framework(void **state)
{
    (void)state;
    testdb_new(dbpath[0], sizeof dbpath[0], "demo_e");
    struct gf_db *db;
    struct gf_err e = {0};
    assert_int_equal(gf_db_open(&db, dbpath[0], &e), GF_OK);
    assert_int_equal(gf_demo_synthetic_values(db, "test", &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "units.csv"));
    gf_db_close(db);
    testdb_drop(dbpath[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_files),
        cmocka_unit_test(test_synthetic_values),
        cmocka_unit_test(test_lowincome_counts),
        cmocka_unit_test(test_needs_framework),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
