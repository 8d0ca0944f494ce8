/* test_households.c — the household monitoring workflow (every legal and illegal transition),
 * the five alert rules, the coverage figures on a small hand-built registry (expectations
 * computed by hand in the comments), masking, the audit of an unmasked read, imports and the
 * demo's promises. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/household.h"
#include "domain/import.h"
#include "store/db.h"
#include "testdb.h"

extern const struct gf_import_kind gf_import_households, gf_import_household_members,
    gf_import_household_incomes;

static char dbpath[512];

static void now(const char *iso)
{
    setenv("GONGFU_NOW", iso, 1);
}

static void exec_ok(struct gf_db *db, const char *sql)
{
    struct gf_err e = {0};
    if (gf_db_exec(db, sql, &e))
        fail_msg("%s: %s", sql, e.msg);
}

/* city 510400 → counties 510411 (A), 510421 (B) → townships → villages A1a, B1a */
static struct gf_db *open_base(void)
{
    testdb_new(dbpath, sizeof dbpath, "households");
    struct gf_db *db;
    struct gf_err e = {0};
    if (gf_db_open(&db, dbpath, &e))
        fail_msg("%s", e.msg);
    exec_ok(
        db,
        "INSERT INTO unit (code, name, parent, level, area) VALUES"
        " ('510400','攀枝花市',NULL,1,'urban'),('510411','仁和区','510400',2,'urban'),"
        " ('510421','米易县','510400',2,'rural'),('510411001','镇A','510411',3,'rural'),"
        " ('510421001','镇B','510421',3,'rural'),('510411001001','村A','510411001',4,'rural'),"
        " ('510421001001','村B','510421001',4,'rural');"
        "INSERT INTO person (code, name) VALUES ('P1','干部一'),('P2','干部二'),('P3','干部三');"
        "INSERT INTO household (code, unit, head_name, phone, area, size) VALUES"
        " ('H1','510411001001','甲','13812345678','rural',NULL),"
        " ('H2','510411001001','乙',NULL,'rural',NULL),"
        " ('H3','510421001001','丙',NULL,'rural',NULL),"
        " ('H4','510421001001','丁',NULL,'rural',1),"
        " ('H5','510411001001','戊',NULL,'rural',NULL);"
        "INSERT INTO hh_member (household, seq, name, relation) VALUES"
        " ('H1',1,'甲','户主'),('H1',2,'甲2','配偶'),('H1',3,'甲3','子女'),"
        " ('H2',1,'乙','户主'),('H2',2,'乙2','子女'),"
        " ('H3',1,'丙','户主'),('H3',2,'丙2','配偶'),('H3',3,'丙3','子女'),('H3',4,'丙4','父母'),"
        " ('H5',1,'戊','户主');"
        "INSERT INTO period (code, kind, year, sub, start_date, end_date) VALUES"
        " ('2022','year',2022,0,'2022-01-01','2022-12-31'),"
        " ('2023','year',2023,0,'2023-01-01','2023-12-31'),"
        " ('2024','year',2024,0,'2024-01-01','2024-12-31');");
    now("2030-01-01T00:00:00Z");
    return db;
}

static void close_base(struct gf_db *db)
{
    gf_db_close(db);
    testdb_drop(dbpath);
}

static void income(struct gf_db *db, const char *hh, const char *period, const char *pc)
{
    struct gf_err e = {0};
    if (gf_db_run(db, &e,
                  "INSERT INTO hh_income (household, period, per_capita) VALUES (?,?,?)"
                  " ON CONFLICT (household, period) DO UPDATE SET per_capita = excluded.per_capita",
                  hh, period, pc))
        fail_msg("%s", e.msg);
}

static const char *state(struct gf_db *db, const char *hh, char *buf)
{
    struct gf_stmt *st;
    assert_int_equal(gf_db_prepare(db, "SELECT state FROM hh_case WHERE household = ?", &st, NULL),
                     GF_OK);
    gf_stmt_bind_text(st, 1, hh);
    snprintf(buf, 16, "%s", gf_stmt_step(st, NULL) == 1 ? gf_stmt_text(st, 0) : "none");
    gf_stmt_finalize(st);
    return buf;
}

#define OK(call)                                                                                   \
    do {                                                                                           \
        struct gf_err e_ = {0};                                                                    \
        int rc_ = (call);                                                                          \
        if (rc_)                                                                                   \
            fail_msg("%s: %s", #call, e_.msg);                                                     \
    } while (0)

static const char *const ALL[] = {"all", NULL};

/* Walk one household through a complete case (found → identified → assisted). */
static void to_assisted(struct gf_db *db, const char *hh, const char *d_found, const char *d_ident,
                        const char *d_pair, const char *cadre, const char *d_assist)
{
    OK(gf_hh_find(db, "t", hh, "cadre", "illness", d_found, NULL, &e_));
    OK(gf_hh_identify(db, "t", hh, "edge", d_ident, ALL, NULL, &e_));
    if (cadre)
        OK(gf_hh_pair(db, "t", hh, "村党支部", cadre, d_pair, &e_));
    if (d_assist)
        OK(gf_hh_visit(db, "t", hh, d_assist, NULL, "subsidy", 300, "first measure", &e_));
}

/* ---- masking, IDs, dates ----------------------------------------------------------------- */

static void test_masking(void **s)
{
    (void)s;
    char out[64];
    gf_hh_mask_id("510402199001011234", out, sizeof out);
    assert_string_equal(out, "510402********1234");
    gf_hh_mask_phone("13812345678", out, sizeof out);
    assert_string_equal(out, "138****5678");
    gf_hh_mask_phone("12345", out, sizeof out);
    assert_string_equal(out, "***45");
    gf_hh_mask_id(NULL, out, sizeof out);
    assert_string_equal(out, "");
    gf_hh_mask_id("张三的号码", out, sizeof out);
    assert_string_equal(out, "****");
    gf_hh_mask_id("510402199001011234", out, 8); /* bounded */
    assert_string_equal(out, "510402*");
    /* names by UTF-8 character: first and last of three or more, the first of two */
    gf_hh_mask_name("张小华", out, sizeof out);
    assert_string_equal(out, "张*华");
    gf_hh_mask_name("欧阳一二", out, sizeof out);
    assert_string_equal(out, "欧**二");
    gf_hh_mask_name("张华", out, sizeof out);
    assert_string_equal(out, "张*");
    gf_hh_mask_name("华", out, sizeof out);
    assert_string_equal(out, "*");
    gf_hh_mask_name("Li Hua", out, sizeof out);
    assert_string_equal(out, "L****a");
    gf_hh_mask_name(NULL, out, sizeof out);
    assert_string_equal(out, "");
    gf_hh_mask_name("\xff\xfe\xfd", out, sizeof out); /* invalid UTF-8: byte by byte */
    assert_string_equal(out, "\xff*\xfd");
    gf_hh_mask_name("张小华", out, 7); /* 张*华 needs 8 bytes: never a cut character */
    assert_string_equal(out, "*");
    /* personal data by column, and inside a record's JSON */
    assert_int_equal(gf_hh_personal_field("hh_member", "name"), GF_HH_NAME);
    assert_int_equal(gf_hh_personal_field("person", "name"), GF_HH_NOT_PERSONAL);
    assert_int_equal(gf_hh_personal_field("person", "phone"), GF_HH_PHONE);
    assert_int_equal(gf_hh_personal_field("household", "head_name"), GF_HH_NAME);
    char *r =
        gf_hh_mask_record("hh_member", "{\"household\":\"H1\",\"name\":\"张小华\","
                                       "\"id_number\":\"510421198001010017\",\"age\":\"46\"}");
    assert_string_equal(r, "{\"household\":\"H1\",\"name\":\"张*华\",\"id_number\":"
                           "\"510421********0017\",\"age\":\"46\"}");
    free(r);
    r = gf_hh_mask_record("unit", "{\"name\": \"攀枝花市\", \"n\": 1.50}"); /* untouched */
    assert_string_equal(r, "{\"name\": \"攀枝花市\", \"n\": 1.50}");
    free(r);
    /* GB 11643 check characters: the standard's example ends in X */
    assert_true(gf_hh_id_valid("11010519491231002X"));
    assert_false(gf_hh_id_valid("110105194912310021"));
    assert_false(gf_hh_id_valid("11010519491231002"));
    assert_false(gf_hh_id_valid("1101051949123100AX"));
    assert_int_equal(gf_hh_days("1970-01-01"), 0);
    assert_int_equal(gf_hh_days("2000-03-01"), 11017);
    char d[11];
    gf_hh_date(gf_hh_days("2024-02-29") + 1, d);
    assert_string_equal(d, "2024-03-01");
}

/* ---- workflow: every legal transition ---------------------------------------------------- */

static long count(struct gf_db *db, const char *sql)
{
    return (long)gf_db_int(db, sql, -1);
}

static void test_workflow_legal(void **s)
{
    (void)s;
    struct gf_db *db = open_base();
    char b[16];
    OK(gf_hh_find(db, "t", "H1", "self", "illness", "2024-01-02", "self-report", &e_));
    assert_string_equal(state(db, "H1", b), "found");
    OK(gf_hh_step(db, "t", "H1", "household_check", "2024-01-03", NULL, &e_));
    const char *rest[] = {"data_compare",    "village_review",  "public_notice",
                          "township_review", "county_decision", NULL};
    OK(gf_hh_identify(db, "t", "H1", "edge", "2024-01-05", rest, NULL, &e_));
    assert_string_equal(state(db, "H1", b), "identified");
    assert_int_equal(count(db, "SELECT count(*) FROM hh_case_step WHERE household='H1'"), 6);
    OK(gf_hh_pair(db, "t", "H1", "村党支部", "P1", "2024-01-06", &e_));
    /* a visit without a measure does not change the state */
    OK(gf_hh_visit(db, "t", "H1", "2024-01-07", NULL, NULL, NAN, "visit", &e_));
    assert_string_equal(state(db, "H1", b), "identified");
    OK(gf_hh_visit(db, "t", "H1", "2024-01-10", "P2", "training", NAN, NULL, &e_));
    assert_string_equal(state(db, "H1", b), "assisted");
    /* the visit without a person takes the paired cadre */
    assert_int_equal(
        count(db, "SELECT count(*) FROM hh_visit WHERE household='H1' AND person='P1'"), 1);
    income(db, "H1", "2023", "10000"); /* at the line counts as not under it */
    income(db, "H1", "2024", "12000");
    OK(gf_hh_eliminate(db, "t", "H1", "2024-12-20", "two years above", &e_));
    assert_string_equal(state(db, "H1", b), "eliminated");
    struct gf_stmt *st;
    assert_int_equal(
        gf_db_prepare(db, "SELECT evidence FROM hh_event WHERE action='eliminate'", &st, NULL),
        GF_OK);
    assert_int_equal(gf_stmt_step(st, NULL), 1);
    assert_string_equal(gf_stmt_text(st, 0),
                        "[{\"period\":\"2024\",\"per_capita\":12000.00,\"line\":10000.00},"
                        "{\"period\":\"2023\",\"per_capita\":10000.00,\"line\":10000.00}]");
    gf_stmt_finalize(st);
    /* 返贫: back to identified, history kept */
    OK(gf_hh_identify(db, "t", "H1", NULL, "2025-03-01", NULL, "fell ill", &e_));
    assert_string_equal(state(db, "H1", b), "identified");
    assert_int_equal(count(db, "SELECT returns FROM hh_case WHERE household='H1'"), 1);
    assert_int_equal(
        count(db, "SELECT count(*) FROM hh_case WHERE household='H1' AND category='edge'"), 1);
    /* find identify pair assist eliminate return */
    assert_int_equal(count(db, "SELECT count(*) FROM hh_event WHERE household='H1'"), 6);
    /* every change audited: 6 events + 6 steps + 2 visits */
    assert_int_equal(
        count(db, "SELECT count(*) FROM audit WHERE key LIKE 'H1%' AND action LIKE 'hh_%'"), 14);
    /* assisted again after the return, and eliminated again */
    OK(gf_hh_visit(db, "t", "H1", "2025-03-05", NULL, "medical", 1000, NULL, &e_));
    assert_string_equal(state(db, "H1", b), "assisted");
    close_base(db);
}

/* ---- workflow: every illegal transition, each refused and changing nothing -------------- */

static struct gf_db *g_db;

static void refused(int rc, const struct gf_err *e, const char *needle, long audit_before,
                    long events_before)
{
    assert_int_equal(rc, GF_EUSER);
    if (!strstr(e->msg, needle))
        fail_msg("message \"%s\" does not contain \"%s\"", e->msg, needle);
    assert_int_equal(count(g_db, "SELECT count(*) FROM audit"), audit_before);
    assert_int_equal(count(g_db, "SELECT count(*) FROM hh_event"), events_before);
}

#define REFUSED(call, needle)                                                                      \
    do {                                                                                           \
        struct gf_err e_ = {0};                                                                    \
        long a_ = count(g_db, "SELECT count(*) FROM audit");                                       \
        long v_ = count(g_db, "SELECT count(*) FROM hh_event");                                    \
        refused((call), &e_, (needle), a_, v_);                                                    \
    } while (0)

static void test_workflow_illegal(void **s)
{
    (void)s;
    struct gf_db *db = g_db = open_base();
    char b[16];
    REFUSED(gf_hh_find(db, "t", "NOPE", "self", NULL, "2024-01-01", NULL, &e_),
            "no such household");
    REFUSED(gf_hh_find(db, "t", "H1", "telepathy", NULL, "2024-01-01", NULL, &e_),
            "one of: self, cadre, department");
    REFUSED(gf_hh_find(db, "t", "H1", "self", "boredom", "2024-01-01", NULL, &e_), "risk");
    REFUSED(gf_hh_find(db, "t", "H1", "self", NULL, "2024-02-30", NULL, &e_), "YYYY-MM-DD");
    /* none → anything but find */
    REFUSED(gf_hh_identify(db, "t", "H1", "edge", "2024-01-05", ALL, NULL, &e_),
            "not under monitoring");
    REFUSED(gf_hh_step(db, "t", "H1", "household_check", NULL, NULL, &e_), "not under monitoring");
    REFUSED(gf_hh_pair(db, "t", "H1", "org", "P1", NULL, &e_), "not under monitoring");
    REFUSED(gf_hh_visit(db, "t", "H1", "2024-01-05", NULL, NULL, NAN, NULL, &e_),
            "not under monitoring");
    REFUSED(gf_hh_eliminate(db, "t", "H1", NULL, NULL, &e_), "not under monitoring");
    OK(gf_hh_find(db, "t", "H1", "department", NULL, "2024-01-02", NULL, &e_));
    REFUSED(gf_hh_find(db, "t", "H1", "self", NULL, "2024-01-03", NULL, &e_),
            "already under monitoring");
    /* found → only identify (with steps and category) */
    REFUSED(gf_hh_pair(db, "t", "H1", "org", "P1", NULL, &e_), "state is found");
    REFUSED(gf_hh_visit(db, "t", "H1", "2024-01-05", NULL, NULL, NAN, NULL, &e_),
            "identify it first");
    REFUSED(gf_hh_eliminate(db, "t", "H1", NULL, NULL, &e_), "state is found");
    REFUSED(gf_hh_identify(db, "t", "H1", NULL, "2024-01-05", ALL, NULL, &e_), "category");
    REFUSED(gf_hh_identify(db, "t", "H1", "rich", "2024-01-05", ALL, NULL, &e_), "unstable, edge");
    REFUSED(gf_hh_identify(db, "t", "H1", "edge", "2024-01-01", ALL, NULL, &e_),
            "on or after 2024-01-02");
    REFUSED(gf_hh_step(db, "t", "H1", "astrology", NULL, NULL, &e_), "household_check");
    OK(gf_hh_step(db, "t", "H1", "household_check", "2024-01-03", NULL, &e_));
    const char *two[] = {"data_compare", NULL};
    /* the sub-steps named are rolled back with the refusal */
    REFUSED(
        gf_hh_identify(db, "t", "H1", "edge", "2024-01-05", two, NULL, &e_),
        "village_review 民主评议, public_notice 村级公示, township_review 镇审核, county_decision");
    assert_int_equal(count(db, "SELECT count(*) FROM hh_case_step WHERE household='H1'"), 1);
    assert_string_equal(state(db, "H1", b), "found");
    OK(gf_hh_identify(db, "t", "H1", "edge", "2024-01-05", ALL, NULL, &e_));
    /* identified */
    REFUSED(gf_hh_identify(db, "t", "H1", "edge", "2024-01-06", ALL, NULL, &e_),
            "already identified");
    REFUSED(gf_hh_step(db, "t", "H1", "household_check", NULL, NULL, &e_), "state is identified");
    REFUSED(gf_hh_eliminate(db, "t", "H1", "2024-02-01", NULL, &e_), "record a measure first");
    REFUSED(gf_hh_pair(db, "t", "H1", "org", "NOBODY", "2024-01-06", &e_), "no such person");
    REFUSED(gf_hh_pair(db, "t", "H1", "", "P1", "2024-01-06", &e_), "organisation");
    REFUSED(gf_hh_visit(db, "t", "H1", "2024-01-06", NULL, "magic", NAN, NULL, &e_),
            "employment, training");
    REFUSED(gf_hh_visit(db, "t", "H1", "2031-01-01", NULL, NULL, NAN, NULL, &e_),
            "not after today");
    REFUSED(gf_hh_visit(db, "t", "H1", "2023-12-01", NULL, NULL, NAN, NULL, &e_),
            "when household H1 was found");
    /* cadre over the maximum */
    OK(gf_hh_setting_set(db, "t", "max_households_per_cadre", "1", &e_));
    OK(gf_hh_pair(db, "t", "H1", "村党支部", "P1", "2024-01-06", &e_));
    to_assisted(db, "H2", "2024-01-02", "2024-01-05", NULL, NULL, NULL);
    REFUSED(gf_hh_pair(db, "t", "H2", "村党支部", "P1", "2024-01-06", &e_),
            "already carries 1 household, the maximum is 1");
    /* a personal limit overrides the setting */
    exec_ok(db, "INSERT INTO hh_cadre VALUES ('P1', 2)");
    OK(gf_hh_pair(db, "t", "H2", "村党支部", "P1", "2024-01-06", &e_));
    /* assisted */
    OK(gf_hh_visit(db, "t", "H1", "2024-01-10", NULL, "subsidy", 500, NULL, &e_));
    REFUSED(gf_hh_eliminate(db, "t", "H1", "2024-12-20", NULL, &e_),
            "2 consecutive income periods at or above the line are needed, 0 recorded");
    income(db, "H1", "2024", "12000");
    REFUSED(gf_hh_eliminate(db, "t", "H1", "2024-12-20", NULL, &e_), "1 recorded");
    income(db, "H1", "2023", "9999.5");
    REFUSED(gf_hh_eliminate(db, "t", "H1", "2024-12-20", NULL, &e_),
            "per-capita income in 2023 was 9999.50 yuan, under the line 10000");
    OK(gf_hh_setting_set(db, "t", "eliminate_periods", "1", &e_));
    REFUSED(gf_hh_setting_set(db, "t", "eliminate_periods", "zero", &e_),
            "a positive whole number");
    REFUSED(gf_hh_setting_set(db, "t", "colour", "1", &e_), "one of: eliminate_periods");
    REFUSED(gf_hh_identify(db, "t", "H1", "edge", "2024-12-01", NULL, NULL, &e_),
            "already identified");
    OK(gf_hh_eliminate(db, "t", "H1", "2024-12-20", NULL, &e_));
    /* eliminated */
    REFUSED(gf_hh_eliminate(db, "t", "H1", "2024-12-21", NULL, &e_), "already eliminated");
    REFUSED(gf_hh_pair(db, "t", "H1", "org", "P2", "2024-12-21", &e_), "state is eliminated");
    REFUSED(gf_hh_step(db, "t", "H1", "household_check", NULL, NULL, &e_), "state is eliminated");
    REFUSED(gf_hh_identify(db, "t", "H1", NULL, "2024-12-19", NULL, NULL, &e_),
            "on or after 2024-12-20");
    /* visits to an eliminated household (follow-up) are allowed */
    OK(gf_hh_visit(db, "t", "H1", "2024-12-22", NULL, NULL, NAN, "follow-up", &e_));
    assert_string_equal(state(db, "H1", b), "eliminated");
    close_base(db);
}

/* ---- alerts ------------------------------------------------------------------------------ */

static int has_alert(const struct gf_hh_alert *a, int n, enum gf_hh_rule r, const char *who)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        if (a[i].rule == r && (!strcmp(a[i].household, who) || !strcmp(a[i].cadre, who)))
            k++;
    return k;
}

static void test_alerts(void **s)
{
    (void)s;
    struct gf_db *db = open_base();
    /* H1: assisted 2024-01-10 with P1, last visit 2024-01-10 (the measure) */
    to_assisted(db, "H1", "2024-01-02", "2024-01-05", "2024-01-06", "P1", "2024-01-10");
    /* H2: identified 2024-02-03, never paired */
    to_assisted(db, "H2", "2024-02-01", "2024-02-03", NULL, NULL, NULL);
    /* H3: eliminated 2023-12-20, then 2024 income under the line */
    income(db, "H3", "2022", "11000");
    income(db, "H3", "2023", "12000");
    to_assisted(db, "H3", "2022-03-01", "2022-03-05", "2022-03-06", "P1", "2022-03-10");
    OK(gf_hh_eliminate(db, "t", "H3", "2023-12-20", NULL, &e_));
    income(db, "H1", "2024", "8000");
    struct gf_hh_alert *a;
    int n;
    /* as of 2024-03-01 (visit_days 30, assist_months 6):
     *   H1: last visit 2024-01-10, 51 days → no_visit; assisted 1 month → no still_under
     *   H2: identified 2024-02-03 without cadre → no_cadre; never visited, 27 days → no no_visit
     *   H3: eliminated, no 2024 income yet (the latest period started after the as-of date? no:
     *       2024 started 2024-01-01 ≤ as-of but has no row) → latest 2023 12000 ≥ line: nothing */
    OK(gf_hh_alerts(db, NULL, NULL, "2024-03-01", 0, 0, &a, &n, &e_));
    assert_int_equal(has_alert(a, n, GF_HH_NO_VISIT, "H1"), 1);
    assert_int_equal(has_alert(a, n, GF_HH_NO_CADRE, "H2"), 1);
    assert_int_equal(n, 2);
    free(a);
    /* a longer visit period: 51 days < 60 → no no_visit */
    OK(gf_hh_alerts(db, NULL, NULL, "2024-03-01", 60, 0, &a, &n, &e_));
    assert_int_equal(has_alert(a, n, GF_HH_NO_VISIT, "H1"), 0);
    free(a);
    /* exactly 30 days counts (2024-01-10 + 30 = 2024-02-09) */
    OK(gf_hh_alerts(db, NULL, NULL, "2024-02-09", 0, 0, &a, &n, &e_));
    assert_int_equal(has_alert(a, n, GF_HH_NO_VISIT, "H1"), 1);
    free(a);
    OK(gf_hh_alerts(db, NULL, NULL, "2024-02-08", 0, 0, &a, &n, &e_));
    assert_int_equal(has_alert(a, n, GF_HH_NO_VISIT, "H1"), 0);
    free(a);
    /* still under after 6 months: assisted 2024-01-10, income 2024 8000 < 10000
     * 2024-07-09 → 5 months (day 9 < 10), 2024-07-10 → 6 months */
    OK(gf_hh_alerts(db, NULL, NULL, "2024-07-09", 0, 0, &a, &n, &e_));
    assert_int_equal(has_alert(a, n, GF_HH_STILL_UNDER, "H1"), 0);
    free(a);
    OK(gf_hh_alerts(db, NULL, NULL, "2024-07-10", 0, 0, &a, &n, &e_));
    assert_int_equal(has_alert(a, n, GF_HH_STILL_UNDER, "H1"), 1);
    free(a);
    OK(gf_hh_alerts(db, NULL, NULL, "2024-07-10", 0, 7, &a, &n, &e_));
    assert_int_equal(has_alert(a, n, GF_HH_STILL_UNDER, "H1"), 0);
    free(a);
    /* eliminated household back under the line */
    income(db, "H3", "2024", "9500");
    OK(gf_hh_alerts(db, NULL, NULL, "2024-07-10", 0, 0, &a, &n, &e_));
    assert_int_equal(has_alert(a, n, GF_HH_BACK_UNDER, "H3"), 1);
    free(a);
    /* cadre over the maximum: P1 carries H1 (H3 is eliminated, it does not count) */
    OK(gf_hh_alerts(db, NULL, NULL, "2024-07-10", 0, 0, &a, &n, &e_));
    assert_int_equal(has_alert(a, n, GF_HH_CADRE_OVER, "P1"), 0);
    free(a);
    OK(gf_hh_pair(db, "t", "H2", "村党支部", "P1", "2024-07-01", &e_));
    exec_ok(db, "INSERT INTO hh_cadre VALUES ('P1', 1)");
    OK(gf_hh_alerts(db, NULL, NULL, "2024-07-10", 0, 0, &a, &n, &e_));
    assert_int_equal(has_alert(a, n, GF_HH_CADRE_OVER, "P1"), 1);
    assert_int_equal(has_alert(a, n, GF_HH_NO_CADRE, "H2"), 0);
    free(a);
    /* filters: county B holds only H3; cadre P2 has nothing */
    OK(gf_hh_alerts(db, "510421", NULL, "2024-07-10", 0, 0, &a, &n, &e_));
    assert_int_equal(n, 1);
    assert_int_equal(has_alert(a, n, GF_HH_BACK_UNDER, "H3"), 1);
    free(a);
    OK(gf_hh_alerts(db, NULL, "P2", "2024-07-10", 0, 0, &a, &n, &e_));
    assert_int_equal(n, 0);
    free(a);
    struct gf_err e = {0};
    assert_int_equal(gf_hh_alerts(db, "999999", NULL, NULL, 0, 0, &a, &n, &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "no such unit"));
    close_base(db);
}

/* ---- coverage ---------------------------------------------------------------------------- */

static void test_coverage(void **s)
{
    (void)s;
    struct gf_db *db = open_base();
    /* H1 (county A, 3 persons): identified 2024-01-05, paired P1, assisted; visit 2024-12-15;
     *    income 2024 8000 */
    to_assisted(db, "H1", "2024-01-02", "2024-01-05", "2024-01-06", "P1", "2024-01-10");
    OK(gf_hh_visit(db, "t", "H1", "2024-12-15", NULL, NULL, NAN, NULL, &e_));
    income(db, "H1", "2024", "8000");
    /* H2 (county A, 2 persons): identified, not paired, visit 2024-10-15; income 2024 9000 */
    to_assisted(db, "H2", "2024-02-01", "2024-02-03", NULL, NULL, NULL);
    OK(gf_hh_visit(db, "t", "H2", "2024-10-15", NULL, NULL, NAN, NULL, &e_));
    income(db, "H2", "2024", "9000");
    /* H3 (county B, 4 persons): assisted 2023, eliminated 2024-06-30; income 2024 13000 */
    income(db, "H3", "2023", "12000");
    income(db, "H3", "2024", "13000");
    to_assisted(db, "H3", "2023-03-01", "2023-03-05", "2023-03-06", "P2", "2023-03-10");
    OK(gf_hh_eliminate(db, "t", "H3", "2024-06-30", NULL, &e_));
    /* H4 (county B, size 1, no members): eliminated 2023-12-20, returned 2024-03-01;
     *    visit 2024-11-20; income 2024 9500 */
    income(db, "H4", "2022", "11000");
    income(db, "H4", "2023", "12000");
    to_assisted(db, "H4", "2022-05-01", "2022-05-03", "2022-05-04", "P2", "2022-05-05");
    OK(gf_hh_eliminate(db, "t", "H4", "2023-12-20", NULL, &e_));
    OK(gf_hh_identify(db, "t", "H4", NULL, "2024-03-01", NULL, NULL, &e_));
    OK(gf_hh_visit(db, "t", "H4", "2024-11-20", NULL, NULL, NAN, NULL, &e_));
    income(db, "H4", "2024", "9500");
    /* H5: no case.  The unit's average income: 25750 */
    exec_ok(
        db,
        "INSERT INTO indicator (code, name, direction) VALUES ('income_pc','人均可支配收入','+');"
        "INSERT INTO value (unit, indicator, period, value, updated_by, updated_at)"
        " VALUES ('510400','income_pc','2024',25750,'t','2025-01-01')");
    struct gf_hh_coverage *c;
    int n;
    OK(gf_hh_coverage(db, "510400", "2024", &c, &n, &e_));
    assert_int_equal(n, 3);
    assert_string_equal(c[0].unit, "510400");
    assert_string_equal(c[1].unit, "510411");
    assert_string_equal(c[2].unit, "510421");
    /* city, as of 2024-12-31: flagged H1–H4 = 4 households, 3+2+4+1 = 10 persons; monitored
     * H1, H2, H4 = 3 households, 6 persons; paired H1, H4 = 2; visited within 30 days: H1
     * (16 days); within 90: H1, H2 (77 days), H4 (41 days) = 3; eliminated in 2024: H3;
     * returned in 2024: H4; income (8000·3 + 9000·2 + 9500·1) / 6 = 51500/6 */
    assert_int_equal(c[0].hh_flagged, 4);
    assert_int_equal(c[0].p_flagged, 10);
    assert_int_equal(c[0].hh_ident, 3);
    assert_int_equal(c[0].p_ident, 6);
    assert_int_equal(c[0].hh_paired, 2);
    assert_int_equal(c[0].hh_visit30, 1);
    assert_int_equal(c[0].hh_visit90, 3);
    assert_int_equal(c[0].hh_eliminated, 1);
    assert_int_equal(c[0].hh_returned, 1);
    assert_true(fabs(c[0].income_monitored - 51500.0 / 6.0) < 1e-9);
    assert_true(fabs(c[0].income_unit - 25750) < 1e-9);
    /* county A: H1, H2 — 2 / 5 persons, monitored 2 / 5, paired 1, v30 1, v90 2,
     * income (24000 + 18000) / 5 = 8400; no unit income */
    assert_int_equal(c[1].hh_flagged, 2);
    assert_int_equal(c[1].p_flagged, 5);
    assert_int_equal(c[1].hh_ident, 2);
    assert_int_equal(c[1].hh_paired, 1);
    assert_int_equal(c[1].hh_visit30, 1);
    assert_int_equal(c[1].hh_visit90, 2);
    assert_int_equal(c[1].hh_eliminated, 0);
    assert_true(fabs(c[1].income_monitored - 8400) < 1e-9);
    assert_true(isnan(c[1].income_unit));
    /* county B: H3, H4 — flagged 2 / 5 persons, monitored H4 (1 person), paired 1, v30 0,
     * v90 1, eliminated 1, returned 1, income 9500 */
    assert_int_equal(c[2].hh_flagged, 2);
    assert_int_equal(c[2].p_flagged, 5);
    assert_int_equal(c[2].hh_ident, 1);
    assert_int_equal(c[2].p_ident, 1);
    assert_int_equal(c[2].hh_paired, 1);
    assert_int_equal(c[2].hh_visit30, 0);
    assert_int_equal(c[2].hh_visit90, 1);
    assert_int_equal(c[2].hh_eliminated, 1);
    assert_int_equal(c[2].hh_returned, 1);
    assert_true(fabs(c[2].income_monitored - 9500) < 1e-9);
    free(c);
    /* 2023, from the history as of 2023-12-31: H1, H2 not yet found; H3 monitored and paired;
     * H4 eliminated 2023-12-20 (not monitored, counted as eliminated in 2023); income of the
     * monitored group: H3 12000 */
    OK(gf_hh_coverage(db, "510400", "2023", &c, &n, &e_));
    assert_int_equal(c[0].hh_flagged, 2);
    assert_int_equal(c[0].p_flagged, 5);
    assert_int_equal(c[0].hh_ident, 1);
    assert_int_equal(c[0].p_ident, 4);
    assert_int_equal(c[0].hh_paired, 1);
    assert_int_equal(c[0].hh_eliminated, 1);
    assert_int_equal(c[0].hh_returned, 0);
    assert_true(fabs(c[0].income_monitored - 12000) < 1e-9);
    free(c);
    /* the 30-day window is (as-of − 30, as-of]: a visit on 2024-12-01 (30 days before
     * 2024-12-31) is outside, one on 2024-12-02 (29 days) inside */
    OK(gf_hh_visit(db, "t", "H2", "2024-12-01", NULL, NULL, NAN, NULL, &e_));
    OK(gf_hh_visit(db, "t", "H4", "2024-12-02", NULL, NULL, NAN, NULL, &e_));
    OK(gf_hh_coverage(db, "510400", "2024", &c, &n, &e_));
    assert_int_equal(c[0].hh_visit30, 2); /* H1, H4 */
    assert_int_equal(c[0].hh_visit90, 3);
    free(c);
    /* a village-level report has one row */
    OK(gf_hh_coverage(db, "510411001001", "2024", &c, &n, &e_));
    assert_int_equal(n, 1);
    assert_int_equal(c[0].hh_ident, 2);
    free(c);
    struct gf_err e = {0};
    assert_int_equal(gf_hh_coverage(db, "510400", "2024Q1", &c, &n, &e), GF_EUSER);
    assert_int_equal(gf_hh_coverage(db, "nope", "2024", &c, &n, &e), GF_EUSER);
    close_base(db);
}

/* ---- lines and flag ---------------------------------------------------------------------- */

static void test_lines_and_flag(void **s)
{
    (void)s;
    struct gf_db *db = open_base();
    struct gf_units u;
    OK(gf_units_load(db, &u, &e_));
    /* Panzhihua's own 10 000 line beats the national rural one for its units */
    assert_true(gf_hh_line(db, &u, "510411001001", "rural", 2024) == 10000);
    /* outside it: national rural line by year (latest year <= the asked one) */
    assert_true(gf_hh_line(db, NULL, "990000", "rural", 2021) == 6000);
    assert_true(gf_hh_line(db, NULL, "990000", "rural", 2030) == 7100);
    /* no urban national line: the default */
    assert_true(gf_hh_line(db, NULL, "990000", "urban", 2024) == 10000);
    exec_ok(db, "INSERT INTO hh_line VALUES ('510411','rural',2024,12000,'test',NULL,1)");
    assert_true(gf_hh_line(db, &u, "510411001001", "rural", 2024) == 12000);
    assert_true(gf_hh_line(db, &u, "510411001001", "rural", 2023) == 10000);
    gf_units_free(&u);
    income(db, "H1", "2024", "11000"); /* under 12000 (county A line) */
    income(db, "H2", "2024", "12500");
    income(db, "H3", "2024", "9999");  /* under 10000 */
    income(db, "H4", "2024", "10000"); /* at the line: not under */
    struct gf_hh_proposal *p;
    int n;
    long audit0 = count(db, "SELECT count(*) FROM audit");
    OK(gf_hh_flag(db, "t", NULL, "2024", 0, NULL, "2025-01-05", NULL, 1, &p, &n, &e_));
    assert_int_equal(n, 2);
    assert_string_equal(p[0].household, "H1");
    assert_string_equal(p[1].household, "H3");
    free(p);
    assert_int_equal(count(db, "SELECT count(*) FROM hh_case"), 0); /* dry run */
    assert_int_equal(count(db, "SELECT count(*) FROM audit"), audit0);
    OK(gf_hh_flag(db, "t", "510421", "2024", 0, NULL, "2025-01-05", NULL, 0, &p, &n, &e_));
    assert_int_equal(n, 1);
    assert_string_equal(p[0].household, "H3");
    assert_int_equal(p[0].created, 1);
    free(p);
    char b[16];
    assert_string_equal(state(db, "H3", b), "found");
    assert_int_equal(count(db, "SELECT count(*) FROM hh_case WHERE channel='department'"), 1);
    /* a line given on the command line; H3 already has a case and is left alone */
    OK(gf_hh_flag(db, "t", NULL, "2024", 12600, "cadre", "2025-01-05", NULL, 0, &p, &n, &e_));
    assert_int_equal(n, 4);
    assert_int_equal(p[0].created + p[1].created + p[2].created + p[3].created, 3);
    free(p);
    assert_int_equal(count(db, "SELECT count(*) FROM hh_case"), 4);
    /* an income file imported in the same transaction; a bad one changes nothing */
    char path[300];
    snprintf(path, sizeof path, "/tmp/gongfu-test-households-%d.inc.csv", (int)getpid());
    FILE *f = fopen(path, "w");
    fputs("household,period,per_capita\nH5,2024,5000\nH5,2023,abc\n", f);
    fclose(f);
    struct gf_err e = {0};
    assert_int_equal(gf_hh_flag(db, "t", NULL, "2024", 0, NULL, "2025-01-05", path, 0, &p, &n, &e),
                     GF_EUSER);
    assert_non_null(strstr(e.msg, "per_capita"));
    assert_int_equal(count(db, "SELECT count(*) FROM hh_income WHERE household='H5'"), 0);
    f = fopen(path, "w");
    fputs("household,period,per_capita\nH5,2024,5000\n", f);
    fclose(f);
    OK(gf_hh_flag(db, "t", NULL, "2024", 0, NULL, "2025-01-05", path, 0, &p, &n, &e_));
    free(p);
    assert_string_equal(state(db, "H5", b), "found");
    unlink(path);
    close_base(db);
}

/* ---- privacy ----------------------------------------------------------------------------- */

static void test_unmasked_read_audited(void **s)
{
    (void)s;
    struct gf_db *db = open_base();
    now("2025-05-06T07:08:09Z");
    OK(gf_hh_audit_read(db, "alice", "households list", "unit=510411", 7, &e_));
    struct gf_stmt *st;
    assert_int_equal(gf_db_prepare(db,
                                   "SELECT at, actor, action, key, before, after FROM audit"
                                   " WHERE action = 'read_unmasked'",
                                   &st, NULL),
                     GF_OK);
    assert_int_equal(gf_stmt_step(st, NULL), 1);
    assert_string_equal(gf_stmt_text(st, 0), "2025-05-06T07:08:09Z");
    assert_string_equal(gf_stmt_text(st, 1), "alice");
    assert_string_equal(gf_stmt_text(st, 3), "unit=510411");
    assert_true(gf_stmt_is_null(st, 4));
    assert_string_equal(gf_stmt_text(st, 5),
                        "{\"command\":\"households list\",\"filter\":\"unit=510411\","
                        "\"fields\":\"head_name,name,id_number,phone\",\"rows\":\"7\"}");
    assert_int_equal(gf_stmt_step(st, NULL), 0);
    gf_stmt_finalize(st);
    close_base(db);
}

/* ---- imports ----------------------------------------------------------------------------- */

static int import_text(struct gf_db *db, const struct gf_import_kind *k, const char *text,
                       struct gf_err *e)
{
    char path[300];
    snprintf(path, sizeof path, "/tmp/gongfu-test-households-%d.import.csv", (int)getpid());
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    struct gf_import_opts o = {0, "t", NULL, NULL};
    struct gf_import_stats st;
    int rc = gf_import_file(db, k, path, &o, &st, e);
    unlink(path);
    return rc;
}

static void test_imports(void **s)
{
    (void)s;
    struct gf_db *db = open_base();
    struct gf_err e = {0};
    OK(import_text(db, &gf_import_households,
                   "code,unit,head_name,phone\nH9,510421001001,新户,13900001111\n", &e_));
    /* the area comes from the unit */
    assert_int_equal(count(db, "SELECT count(*) FROM household WHERE code='H9' AND area='rural'"),
                     1);
    assert_int_equal(import_text(db, &gf_import_households,
                                 "code,unit,head_name\nH10,510421001001,a\nH11,999999,b\n", &e),
                     GF_EUSER);
    assert_non_null(strstr(e.msg, ":3:"));
    assert_non_null(strstr(e.msg, "unit"));
    assert_non_null(strstr(e.msg, "999999"));
    assert_int_equal(count(db, "SELECT count(*) FROM household WHERE code='H10'"), 0);
    assert_int_equal(import_text(db, &gf_import_households,
                                 "code,unit,head_name,phone\nH10,510421001001,a,call-me\n", &e),
                     GF_EUSER);
    assert_non_null(strstr(e.msg, "phone"));
    assert_int_equal(import_text(db, &gf_import_households,
                                 "code,unit,head_name,size\nH10,510421001001,a,0\n", &e),
                     GF_EUSER);
    assert_non_null(strstr(e.msg, "between 1 and 100"));
    OK(import_text(
        db, &gf_import_household_members,
        "household,seq,name,relation,id_number,age\nH9,1,新户,户主,11010519491231002X,75\n", &e_));
    long audit0 = count(db, "SELECT count(*) FROM audit");
    /* the same ID number again, for another household: refused, masked, naming the holder */
    assert_int_equal(import_text(db, &gf_import_household_members,
                                 "household,seq,name,relation,id_number\n"
                                 "H1,4,某,子女,11010519491231002X\n",
                                 &e),
                     GF_EUSER);
    assert_non_null(strstr(e.msg, "duplicate"));
    assert_non_null(strstr(e.msg, "household H9 member 1"));
    assert_non_null(strstr(e.msg, "110105********002X"));
    assert_null(strstr(e.msg, "11010519491231002X"));
    assert_int_equal(count(db, "SELECT count(*) FROM audit"), audit0);
    /* a bad check character */
    assert_int_equal(
        import_text(db, &gf_import_household_members,
                    "household,seq,name,relation,id_number\nH1,4,某,子女,110105194912310021\n", &e),
        GF_EUSER);
    assert_non_null(strstr(e.msg, "check character"));
    /* re-importing the same member changes nothing */
    OK(import_text(
        db, &gf_import_household_members,
        "household,seq,name,relation,id_number,age\nH9,1,新户,户主,11010519491231002X,75\n", &e_));
    assert_int_equal(count(db, "SELECT count(*) FROM audit"), audit0);
    /* incomes: annual periods only */
    assert_int_equal(import_text(db, &gf_import_household_incomes,
                                 "household,period,per_capita\nH9,2024Q1,100\n", &e),
                     GF_EUSER);
    assert_non_null(strstr(e.msg, "a year"));
    OK(import_text(db, &gf_import_household_incomes,
                   "household,period,per_capita,wages,transfers\nH9,2025,9000,6000,3000\n", &e_));
    assert_int_equal(count(db, "SELECT count(*) FROM period WHERE code='2025'"), 1);
    close_base(db);
}

/* ---- the demo ---------------------------------------------------------------------------- */

static void test_demo(void **s)
{
    (void)s;
    struct gf_db *db = open_base();
    now("2026-11-22T00:00:00Z");
    exec_ok(db, "DELETE FROM hh_member; DELETE FROM household;");
    /* 60 more villages under the two townships */
    exec_ok(db, "WITH RECURSIVE k(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM k WHERE i < 61)"
                " INSERT INTO unit (code, name, parent, level, area)"
                " SELECT '510411001' || CASE WHEN i < 10 THEN '00' ELSE '0' END || i, '村' || i,"
                " '510411001', 4,"
                " CASE WHEN i % 5 = 0 THEN 'urban' ELSE 'rural' END FROM k");
    OK(gf_demo_households(db, "demo", &e_));
    long n = count(db, "SELECT count(*) FROM household");
    assert_true(n >= 62 * 10 && n <= 62 * 17);
    assert_int_equal(count(db, "SELECT count(*) FROM household WHERE source <> 'synthetic'"), 0);
    /* no household under 10 000 in 2023 */
    assert_int_equal(
        count(db, "SELECT count(*) FROM hh_income WHERE period='2023' AND per_capita < 10000"), 0);
    /* the ID numbers are valid and unique */
    struct gf_stmt *st;
    assert_int_equal(gf_db_prepare(db, "SELECT id_number FROM hh_member", &st, NULL), GF_OK);
    while (gf_stmt_step(st, NULL) == 1)
        assert_true(gf_hh_id_valid(gf_stmt_text(st, 0)));
    gf_stmt_finalize(st);
    assert_int_equal(count(db, "SELECT count(*) - count(DISTINCT id_number) FROM hh_member"), 0);
    /* every identified household paired at the end of 2023 */
    struct gf_hh_coverage *c;
    int nc;
    OK(gf_hh_coverage(db, "510400", "2023", &c, &nc, &e_));
    assert_true(c[0].hh_ident > 0);
    assert_int_equal(c[0].hh_paired, c[0].hh_ident);
    free(c);
    /* some alerts open today */
    struct gf_hh_alert *a;
    int na;
    OK(gf_hh_alerts(db, NULL, NULL, NULL, 0, 0, &a, &na, &e_));
    assert_true(na > 0);
    free(a);
    /* deterministic: the same registry twice */
    long sum1 = count(db, "SELECT sum(per_capita) FROM hh_income");
    struct gf_err e = {0};
    assert_int_equal(gf_demo_households(db, "demo", &e), GF_EUSER); /* refuses a full registry */
    exec_ok(
        db,
        "DELETE FROM hh_visit; DELETE FROM hh_event; DELETE FROM hh_case_step;"
        "DELETE FROM hh_case; DELETE FROM hh_income; DELETE FROM hh_member;"
        "DELETE FROM hh_cadre; DELETE FROM household; DELETE FROM person WHERE code LIKE 'HHC%'");
    OK(gf_demo_households(db, "demo", &e_));
    assert_int_equal(count(db, "SELECT sum(per_capita) FROM hh_income"), sum1);
    close_base(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_masking),
        cmocka_unit_test(test_workflow_legal),
        cmocka_unit_test(test_workflow_illegal),
        cmocka_unit_test(test_alerts),
        cmocka_unit_test(test_coverage),
        cmocka_unit_test(test_lines_and_flag),
        cmocka_unit_test(test_unmasked_read_audited),
        cmocka_unit_test(test_imports),
        cmocka_unit_test(test_demo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
