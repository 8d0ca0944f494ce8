/* test_lists.c — the four lists, problems and the horse race on small hand-built databases:
 * flags on fixed dates (days counted by hand), the problem loop (no closing without a check by
 * someone other than the owner), race scores and ranks computed by hand from the documented
 * rules, red/black lists including the "uncertain" case, rank change between periods. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "domain/lists.h"
#include "store/db.h"
#include "testdb.h"

static char dbpath[512];

static void run(struct gf_db *db, const char *sql)
{
    struct gf_err e = {0};
    int rc = gf_db_exec(db, sql, &e);
    if (rc)
        print_error("%s\n%s\n", sql, e.msg);
    assert_int_equal(rc, GF_OK);
}

/* Units: city 5100 with counties A, B, C, D; teams T01, T02; people P1..P3; period rows. */
static struct gf_db *fixture(void)
{
    testdb_new(dbpath, sizeof dbpath, "lists");
    struct gf_db *db;
    struct gf_err e = {0};
    assert_int_equal(gf_db_open(&db, dbpath, &e), GF_OK);
    run(db, "INSERT INTO unit (code, name, parent, level, area) VALUES "
            "('5100','市',NULL,1,'urban'),('A','甲县','5100',2,'rural'),"
            "('B','乙县','5100',2,'rural'),('C','丙区','5100',2,'urban'),"
            "('D','丁县','5100',2,'rural'),('A01','甲镇','A',3,'rural');"
            "INSERT INTO team VALUES ('T00','领导小组',NULL,'leading',NULL),"
            "('T01','一专班',NULL,'work',NULL),('T02','二专班',NULL,'work',NULL);"
            "INSERT INTO department VALUES ('DA','甲县发改局',NULL,'T01','A'),"
            "('DB','乙县发改局',NULL,'T02','B');"
            "INSERT INTO person (code, name) VALUES ('P1','甲'),('P2','乙'),('P3','丙');"
            "INSERT INTO period VALUES ('2023','year',2023,0,'2023-01-01','2023-12-31'),"
            "('2024','year',2024,0,'2024-01-01','2024-12-31');"
            "INSERT INTO framework (code, name) VALUES ('fw','测试');"
            "INSERT INTO framework_node (framework, code, parent, kind) VALUES "
            "('fw','IDX',NULL,'index');");
    return db;
}

static void teardown_db(struct gf_db *db)
{
    gf_db_close(db);
    testdb_drop(dbpath);
}

static void item(struct gf_db *db, const char *code, const char *lead, const char *team,
                 const char *start, const char *due, const char *status, const char *completed,
                 const char *invest)
{
    struct gf_err e = {0};
    int rc = gf_db_run(db, &e,
                       "INSERT INTO list_item (code, title, kind, lead_unit, owner, team, "
                       "start_date, due_date, status, completed_date, invest_planned) VALUES "
                       "(?, ?, 'project', ?, 'P1', ?, ?, ?, ?, ?, ?)",
                       code, code, lead, team, start, due, status, completed, invest);
    if (rc)
        print_error("%s\n", e.msg);
    assert_int_equal(rc, GF_OK);
}

/* ---- flags ----------------------------------------------------------------------------------- */

static const struct gf_flag *find_flag(const struct gf_flags *f, enum gf_flag_kind k,
                                       const char *item)
{
    for (int i = 0; i < f->n; i++)
        if (f->f[i].kind == k && !strcmp(f->f[i].item, item))
            return &f->f[i];
    return NULL;
}

static void test_flags_fixed_dates(void **state)
{
    (void)state;
    struct gf_db *db = fixture();
    struct gf_err e = {0};
    item(db, "X1", "A", "T01", "2024-01-01", "2024-06-30", "active", NULL, "1820");
    item(db, "X2", "B", "T02", "2024-01-01", "2024-12-31", "active", NULL, NULL);
    item(db, "X3", "B", "T02", "2024-01-01", "2024-03-31", "done", "2024-03-30", NULL);
    run(db, "INSERT INTO milestone VALUES ('X1','start','2024-02-01',NULL),"
            "('X1','land','2024-01-15','2024-01-10');"
            "INSERT INTO progress VALUES ('X1','2024-03-01',20,'a',NULL,NULL,'P1','t'),"
            "('X1','2024-05-15',50,'b',1000,NULL,'P1','t'),"
            "('X2','2024-07-01',40,'c',NULL,NULL,'P1','t');"
            "INSERT INTO problem (item, title, severity, owner, deadline, raised_by, raised_date)"
            " VALUES ('X2','问题','high','P2','2024-07-01','t','2024-06-01'),"
            " ('X2','问题2','low','P2','2024-08-01','t','2024-06-01');");
    struct gf_flags f;
    /* as of 2024-07-10 with stalled = 60 days */
    assert_int_equal(gf_flags_collect(db, "2024-07-10", 60, &f, &e), GF_OK);
    const struct gf_flag *x = find_flag(&f, GF_FLAG_ITEM_OVERDUE, "X1");
    assert_non_null(x);
    assert_int_equal(x->days, 10); /* 2024-06-30 → 2024-07-10 */
    assert_null(find_flag(&f, GF_FLAG_ITEM_OVERDUE, "X2"));
    assert_null(find_flag(&f, GF_FLAG_ITEM_OVERDUE, "X3")); /* done on time */
    x = find_flag(&f, GF_FLAG_MILESTONE_OVERDUE, "X1");
    assert_non_null(x);
    assert_string_equal(x->subject, "start");
    assert_int_equal(x->days, 160); /* Feb 1 → Jul 10, leap year: 28+31+30+31+30+10 */
    /* X1's last report was 2024-05-15: 56 days, not stalled at 60 */
    assert_null(find_flag(&f, GF_FLAG_STALLED, "X1"));
    x = find_flag(&f, GF_FLAG_PROBLEM_OVERDUE, "X2");
    assert_non_null(x);
    assert_int_equal(x->days, 9);
    assert_string_equal(x->subject, "1"); /* the second problem is not yet due */
    x = find_flag(&f, GF_FLAG_INVEST_BEHIND, "X1");
    assert_non_null(x); /* 1000 done < 90% of the whole 1820 due by 06-30 */
    assert_true(fabs(x->value - 1000) < 1e-9 && fabs(x->plan - 1820) < 1e-9);
    int n_all = f.n;
    assert_int_equal(n_all, 4);
    gf_flags_free(&f);
    /* stalled at 30 days: X1 (56 days) and X2 (2024-07-01 → 9 days: no) */
    assert_int_equal(gf_flags_collect(db, "2024-07-10", 30, &f, &e), GF_OK);
    x = find_flag(&f, GF_FLAG_STALLED, "X1");
    assert_non_null(x);
    assert_int_equal(x->days, 56);
    assert_string_equal(x->date, "2024-05-15");
    assert_null(find_flag(&f, GF_FLAG_STALLED, "X2"));
    gf_flags_free(&f);
    /* before the due dates nothing is overdue; the linear investment plan at 2024-04-01 is
     * 1820 × 91/181 (days since start / days from start to due) and nothing was reported done
     * by then (the 1000 came on 2024-05-15) */
    assert_int_equal(gf_flags_collect(db, "2024-04-01", 60, &f, &e), GF_OK);
    assert_null(find_flag(&f, GF_FLAG_ITEM_OVERDUE, "X1"));
    x = find_flag(&f, GF_FLAG_INVEST_BEHIND, "X1");
    assert_non_null(x);
    assert_true(x->value == 0 && fabs(x->plan - 1820.0 * 91 / 181) < 1e-9);
    assert_non_null(find_flag(&f, GF_FLAG_MILESTONE_OVERDUE, "X1"));
    gf_flags_free(&f);
    /* "today" from $GONGFU_NOW */
    setenv("GONGFU_NOW", "2024-07-10T08:00:00Z", 1);
    assert_int_equal(gf_flags_collect(db, NULL, 60, &f, &e), GF_OK);
    assert_int_equal(f.n, n_all);
    gf_flags_free(&f);
    unsetenv("GONGFU_NOW");
    assert_int_equal(gf_days_between("2023-12-31", "2024-03-01"), 61);
    teardown_db(db);
}

/* ---- progress -------------------------------------------------------------------------------- */

static void test_progress_closes_and_refuses(void **state)
{
    (void)state;
    struct gf_db *db = fixture();
    struct gf_err e = {0};
    item(db, "Y1", "A", "T01", "2024-01-01", "2024-06-30", "active", NULL, "500");
    struct gf_progress p = {"Y1", "2024-03-01", 40, "ok", 200, NAN, "P1", NULL, NULL};
    int ch = -1;
    assert_int_equal(gf_progress_add(db, "t", &p, NULL, 0, &ch, &e), GF_OK);
    assert_int_equal(ch, 1);
    assert_int_equal(gf_db_int(db, "SELECT invest_done FROM list_item WHERE code='Y1'", -1), 200);
    struct gf_progress done = {"Y1", "2024-06-01", 100, "done", 500, NAN, "P1", NULL, NULL};
    assert_int_equal(gf_progress_add(db, "t", &done, NULL, 0, &ch, &e), GF_OK);
    assert_int_equal(gf_db_int(db,
                               "SELECT status = 'done' AND completed_date = '2024-06-01' "
                               "FROM list_item WHERE code = 'Y1'",
                               0),
                     1);
    /* the same report again: unchanged, allowed */
    assert_int_equal(gf_progress_add(db, "t", &done, NULL, 0, &ch, &e), GF_OK);
    assert_int_equal(ch, 0);
    int64_t audits = gf_db_int(db, "SELECT count(*) FROM audit", -1);
    struct gf_progress late = {"Y1", "2024-06-10", 100, "more", NAN, NAN, "P1", NULL, NULL};
    assert_int_equal(gf_progress_add(db, "t", &late, "f.csv", 3, &ch, &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "f.csv:3"));
    assert_non_null(strstr(e.msg, "closed"));
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM audit", -1), audits);
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM progress", -1), 2);
    /* unknown person, percent out of range, negative money */
    item(db, "Y2", "A", "T01", "2024-01-01", "2024-06-30", "active", NULL, NULL);
    struct gf_progress bad = {"Y2", "2024-03-01", 10, NULL, NAN, NAN, "NOBODY", NULL, NULL};
    assert_int_equal(gf_progress_add(db, "t", &bad, NULL, 0, &ch, &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "NOBODY"));
    bad.by = "P1";
    bad.percent = 120;
    assert_int_equal(gf_progress_add(db, "t", &bad, NULL, 0, &ch, &e), GF_EUSER);
    bad.percent = 10;
    bad.invest_done = -5;
    assert_int_equal(gf_progress_add(db, "t", &bad, NULL, 0, &ch, &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "-5"));
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM progress WHERE item='Y2'", -1), 0);
    teardown_db(db);
}

/* ---- the problem loop --------------------------------------------------------------------------
 */

/* On 2024-05-01, item Z1 and a problem raised against it by actor, owned by P1. */
static int64_t raise_z1(struct gf_db *db, const char *actor)
{
    struct gf_err e = {0};
    setenv("GONGFU_NOW", "2024-05-01T00:00:00Z", 1);
    item(db, "Z1", "A", "T01", "2024-01-01", "2024-06-30", "active", NULL, NULL);
    struct gf_problem_new pn = {"Z1", NULL, "进度滞后", "high", "P1", "2024-05-31", "督查组"};
    int64_t id = 0;
    assert_int_equal(gf_problem_raise(db, actor, &pn, &id, &e), GF_OK);
    assert_true(id > 0);
    return id;
}

static void test_problem_loop(void **state)
{
    (void)state;
    struct gf_db *db = fixture();
    struct gf_err e = {0};
    int64_t id = raise_z1(db, "t");
    /* verifying before a rectification is refused */
    assert_int_equal(gf_problem_verify(db, "P2", id, NULL, 1, NULL, &e), GF_EUSER);
    assert_int_equal(gf_problem_rectify(db, "P1", id, NULL, "已整改", &e), GF_OK);
    /* the owner cannot close it */
    assert_int_equal(gf_problem_verify(db, "P1", id, NULL, 1, NULL, &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "someone other than the owner"));
    assert_int_equal(gf_db_int(db, "SELECT status = 'rectified' FROM problem", 0), 1);
    /* nor can the schema be tricked into it */
    assert_int_not_equal(gf_db_exec(db, "UPDATE problem SET status='closed', verified_by='P1'", &e),
                         GF_OK);
    /* a reject sends it back to open */
    assert_int_equal(gf_problem_verify(db, "P2", id, NULL, 0, "不彻底", &e), GF_OK);
    assert_int_equal(gf_db_int(db, "SELECT status = 'open' FROM problem", 0), 1);
    /* rectified by P3 on the owner's behalf: P3 cannot verify either */
    assert_int_equal(gf_problem_rectify(db, "P3", id, "P3", "再次整改", &e), GF_OK);
    assert_int_equal(gf_problem_verify(db, "P3", id, NULL, 1, NULL, &e), GF_EUSER);
    assert_int_equal(gf_problem_verify(db, "P2", id, "P2", 1, "核验通过", &e), GF_OK);
    assert_int_equal(gf_db_int(db,
                               "SELECT status = 'closed' AND verified_by = 'P2' AND "
                               "verified_date = '2024-05-01' FROM problem",
                               0),
                     1);
    /* reopen */
    assert_int_equal(gf_problem_reopen(db, "t", id, "", &e), GF_EUSER);
    assert_int_equal(gf_problem_reopen(db, "t", id, "复查发现反弹", &e), GF_OK);
    assert_int_equal(gf_db_int(db,
                               "SELECT status = 'open' AND reopened = 1 AND verified_by IS "
                               "NULL FROM problem",
                               0),
                     1);
    /* every step audited: raise, rectify, reject, rectify, verify, reopen */
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM audit WHERE entity = 'problem'", 0), 6);
    /* bad input: unknown unit, unknown owner, neither item nor unit */
    struct gf_problem_new bad = {NULL, "NOWHERE", "x", "low", "P1", "2024-06-01", "t"};
    assert_int_equal(gf_problem_raise(db, "t", &bad, NULL, &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "NOWHERE"));
    bad.unit = "B";
    bad.owner = "PX";
    assert_int_equal(gf_problem_raise(db, "t", &bad, NULL, &e), GF_EUSER);
    bad.owner = "P1";
    bad.unit = NULL;
    assert_int_equal(gf_problem_raise(db, "t", &bad, NULL, &e), GF_EUSER);
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM problem", 0), 1);
    unsetenv("GONGFU_NOW");
    teardown_db(db);
}

/* The verifier and the rectification's reporter are the acting user: an owner acting under
 * their own name cannot name somebody else as verifier (review issue 18, item 6). */
static void test_problem_acting_user(void **state)
{
    (void)state;
    struct gf_db *db = fixture();
    struct gf_err e = {0};
    int64_t id = raise_z1(db, "P3");
    /* P3 cannot report the rectification in P1's name */
    assert_int_equal(gf_problem_rectify(db, "P3", id, "P1", "已整改", &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "\"P1\""));
    assert_non_null(strstr(e.msg, "the acting user (P3)"));
    assert_int_equal(gf_problem_rectify(db, "P1", id, NULL, "已整改", &e), GF_OK);
    assert_int_equal(gf_db_int(db, "SELECT rectified_by = 'P1' FROM problem", 0), 1);
    /* the owner acting, naming P2 as verifier: refused, nothing changes */
    long audits = (long)gf_db_int(db, "SELECT count(*) FROM audit", -1);
    assert_int_equal(gf_problem_verify(db, "P1", id, "P2", 1, NULL, &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "the acting user (P1)"));
    assert_int_equal(gf_problem_verify(db, "P1", id, NULL, 1, NULL, &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "someone other than the owner"));
    assert_int_equal(gf_db_int(db, "SELECT status = 'rectified' FROM problem", 0), 1);
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM audit", -1), audits);
    /* an acting user who is not a person of the register cannot verify */
    assert_int_equal(gf_problem_verify(db, "someone", id, NULL, 1, NULL, &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "someone"));
    /* P2 verifies: recorded as verifier and as the audit record's actor */
    assert_int_equal(gf_problem_verify(db, "P2", id, "P2", 1, NULL, &e), GF_OK);
    assert_int_equal(gf_db_int(db, "SELECT verified_by = 'P2' FROM problem", 0), 1);
    assert_int_equal(gf_db_int(db,
                               "SELECT actor = 'P2' AND action = 'verify' FROM audit"
                               " ORDER BY id DESC LIMIT 1",
                               0),
                     1);
    unsetenv("GONGFU_NOW");
    teardown_db(db);
}

/* ---- the horse race ----------------------------------------------------------------------------
 */

/* Evaluation runs: 2023 ranks B1 A2 C3 D4; 2024 ranks A1 B2 C3 D4 (rank change A +1, B −1). */
static void race_fixture(struct gf_db *db)
{
    run(db, "INSERT INTO eval_run VALUES (1,'fw','2023',2,'{}',0,NULL,'t','t'),"
            "(2,'fw','2024',2,'{}',0,NULL,'t','t');"
            "INSERT INTO eval_result (run, unit, node, score, rank, rank_change) VALUES "
            "(1,'B','IDX',90,1,NULL),(1,'A','IDX',80,2,NULL),(1,'C','IDX',70,3,NULL),"
            "(1,'D','IDX',60,4,NULL),"
            "(2,'A','IDX',91,1,1),(2,'B','IDX',85,2,-1),(2,'C','IDX',71,3,0),"
            "(2,'D','IDX',50,4,0);");
    /* A: one item due and completed on time, a milestone on time, investment complete */
    item(db, "IA1", "DA", "T01", "2024-01-01", "2024-06-30", "done", "2024-06-15", "1000");
    run(db, "UPDATE list_item SET invest_done = 1000 WHERE code = 'IA1';"
            "INSERT INTO milestone VALUES ('IA1','start','2024-03-01','2024-02-20');");
    /* B: an item due 2024-09-30 not done; an open problem against B past its deadline */
    item(db, "IB1", "B", "T02", "2024-01-01", "2024-09-30", "active", NULL, NULL);
    run(db, "INSERT INTO problem (unit, title, severity, owner, deadline, raised_by, "
            "raised_date) VALUES ('B','问题','high','P2','2024-10-31','t','2024-05-01');");
    /* D: an item completed late and a late milestone */
    item(db, "ID1", "D", "T02", "2024-01-01", "2024-12-01", "done", "2024-12-20", NULL);
    run(db, "INSERT INTO milestone VALUES ('ID1','start','2024-05-01','2024-06-01');");
}

static const struct gf_race_entry *entry(const struct gf_race *r, const char *code)
{
    for (int i = 0; i < r->n; i++)
        if (!strcmp(r->e[i].code, code))
            return &r->e[i];
    fail_msg("no entry %s", code);
    return NULL;
}

static void test_race_hand_computed(void **state)
{
    (void)state;
    struct gf_db *db = fixture();
    struct gf_err e = {0};
    race_fixture(db);
    struct gf_race_config c;
    gf_race_config_default(&c);
    c.draws = 0;
    struct gf_race r;
    int rc = gf_race_run(db, "2024", 0, &c, "2025-03-01", &r, &e);
    if (rc)
        print_error("%s\n", e.msg);
    assert_int_equal(rc, GF_OK);
    assert_int_equal(r.n, 4);
    assert_string_equal(r.as_of, "2024-12-31");
    assert_int_equal(r.eval_run, 2);
    /* By hand, weights .35 .10 .15 .15 .10 .05 .10 renormalised over the components that apply:
     * A: eval 100, improve 66.67, milestones 100, items 100, invest 100, problems 100
     *    → 91.667/0.95 = 96.491
     * B: eval 66.67, improve 33.33, items 0, problems 100−10−20 = 70 → 33.667/0.70 = 48.095
     * C: eval 33.33, improve 50, problems 100 → 26.667/0.55 = 48.485
     * D: eval 0, improve 50, milestones 0, items 0, problems 100 → 15/0.85 = 17.647 */
    const struct gf_race_entry *a = entry(&r, "A"), *b = entry(&r, "B"), *cc = entry(&r, "C"),
                               *d = entry(&r, "D");
    assert_true(fabs(a->score - 91.6666666666667 / 0.95) < 1e-9);
    assert_true(fabs(b->score - 33.6666666666667 / 0.70) < 1e-9);
    assert_true(fabs(cc->score - 26.6666666666667 / 0.55) < 1e-9);
    assert_true(fabs(d->score - 15.0 / 0.85) < 1e-9);
    assert_true(isnan(cc->comp[GF_RC_ITEMS]) && isnan(a->comp[GF_RC_FUNDS]));
    assert_int_equal(b->open_problems, 1);
    assert_int_equal(b->overdue_problems, 1);
    assert_int_equal(a->rank, 1);
    assert_int_equal(cc->rank, 2);
    assert_int_equal(b->rank, 3);
    assert_int_equal(d->rank, 4);
    assert_string_equal(r.e[0].code, "A"); /* ordered by rank */
    /* 2023 (eval only + problems 100): B 100, A 74.07, C 51.85, D 22.22 → B1 A2 C3 D4 */
    assert_true(r.prev_valid);
    assert_string_equal(r.prev_period, "2023");
    assert_int_equal(a->prev_rank, 2);
    assert_int_equal(b->prev_rank, 1);
    assert_int_equal(cc->prev_rank, 3);
    assert_int_equal(d->prev_rank, 4);
    /* default lists: red top 1, black bottom 1; no resampling → percentiles = rank */
    assert_true(a->red && a->best && !a->black);
    assert_true(d->black && d->slowest && !d->uncertain);
    assert_true(!b->black && !b->red && !cc->black);
    /* reasons: B pushed down by its overdue problem and its missed item */
    assert_non_null(strstr(b->reasons_en, "↓"));
    assert_non_null(strstr(b->reasons_zh, "事项按期"));
    assert_non_null(strstr(a->reasons_en, "↑evaluation"));
    gf_race_free(&r);
    /* as of mid-2024 B's problem is open but not overdue, and B's item not yet due:
     * B: eval 66.67, improve 33.33, problems 90 → (23.333+3.333+9)/0.55 = 64.848 */
    assert_int_equal(gf_race_run(db, "2024", 0, &c, "2024-07-01", &r, &e), GF_OK);
    b = entry(&r, "B");
    assert_true(fabs(b->score - 35.6666666666667 / 0.55) < 1e-9);
    assert_int_equal(b->overdue_problems, 0);
    gf_race_free(&r);
    teardown_db(db);
}

static void test_race_black_uncertain(void **state)
{
    (void)state;
    struct gf_db *db = fixture();
    struct gf_err e = {0};
    race_fixture(db);
    struct gf_race_config c;
    gf_race_config_default(&c);
    c.draws = 2000;
    c.jitter = 0.2;
    struct gf_race r;
    /* D is far below (17.6 vs ≥ 48): weight jitter cannot lift it → certain black list */
    assert_int_equal(gf_race_run(db, "2024", 0, &c, "2025-03-01", &r, &e), GF_OK);
    const struct gf_race_entry *d = entry(&r, "D");
    assert_true(d->black && !d->uncertain && d->slowest);
    assert_true(d->rank_p05 == 4 && d->rank_p95 == 4);
    gf_race_free(&r);
    /* The evaluation's sensitivity says D's rank may be anywhere in 1..4.  D's score is
     * (0.35 E + 15)/0.85 with E = 100 (4 − r)/3; it passes C (48.485) when r < 1.748, i.e. in
     * about 25% of the draws, so its 5th percentile rank is 2 → uncertain, not black. */
    run(db, "UPDATE eval_result SET rank_p05 = 1, rank_p95 = 4 WHERE run = 2 AND unit = 'D'");
    c.jitter = 0;
    assert_int_equal(gf_race_run(db, "2024", 0, &c, "2025-03-01", &r, &e), GF_OK);
    d = entry(&r, "D");
    assert_int_equal(d->rank, 4); /* the point estimate is unchanged */
    assert_true(d->has_eval_sensitivity);
    assert_true(d->rank_p05 <= 2.0 + 1e-9 && d->rank_p95 == 4);
    assert_true(d->uncertain && !d->black);
    assert_true(!d->slowest && d->slowest_uncertain);
    gf_race_free(&r);
    /* Threshold rules: red score >= 90, black score <= 20 (no sensitivity for D again). */
    run(db, "UPDATE eval_result SET rank_p05 = NULL, rank_p95 = NULL");
    c.red_top = 0;
    c.red_min_score = 90;
    c.black_bottom = 0;
    c.black_max_score = 50;
    c.jitter = 0.2;
    assert_int_equal(gf_race_run(db, "2024", 0, &c, "2025-03-01", &r, &e), GF_OK);
    /* B (48.10) and C (48.48) sit just under 50: jitter moves them across → uncertain;
     * D (17.6) stays under 50 in every draw → black */
    assert_true(entry(&r, "A")->red);
    assert_true(entry(&r, "D")->black);
    assert_true(entry(&r, "B")->uncertain && entry(&r, "C")->uncertain);
    assert_true(!entry(&r, "B")->black);
    gf_race_free(&r);
    teardown_db(db);
}

static void test_race_teams_and_config(void **state)
{
    (void)state;
    struct gf_db *db = fixture();
    struct gf_err e = {0};
    race_fixture(db);
    struct gf_race_config c;
    gf_race_config_default(&c);
    c.draws = 0;
    struct gf_race r;
    /* teams (no indicators → no evaluation part): T01 has IA1 (all on time, invest 100),
     * T02 has IB1 (missed), ID1 (late), the late milestone; B's problem is against the unit only.
     * T01: (15+15+10+10)/0.5 = 100; T02: milestones 0, items 0/2, problems 100 → 10/0.4 = 25 */
    assert_int_equal(gf_race_run(db, "2024", 1, &c, "2025-03-01", &r, &e), GF_OK);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.e[0].code, "T01");
    assert_true(fabs(r.e[0].score - 100) < 1e-9);
    assert_true(fabs(r.e[1].score - 25) < 1e-9);
    gf_race_free(&r);
    /* a config file: only the evaluation counts → 2024 ranks equal the evaluation ranks */
    char path[300];
    snprintf(path, sizeof path, "/tmp/gf-test-lists-%ld.json", (long)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("{\"weights\": {\"eval\": 1, \"improvement\": 0, \"milestones\": 0, \"items\": 0,"
          " \"investment\": 0, \"funds\": 0, \"problems\": 0}, \"draws\": 0,"
          " \"black\": {\"bottom\": 2}}",
          f);
    fclose(f);
    gf_race_config_default(&c);
    assert_int_equal(gf_race_config_load(&c, path, &e), GF_OK);
    assert_int_equal(gf_race_run(db, "2024", 0, &c, "2025-03-01", &r, &e), GF_OK);
    assert_int_equal(entry(&r, "B")->rank, 2);
    assert_true(entry(&r, "C")->black && entry(&r, "D")->black);
    assert_int_equal(entry(&r, "A")->prev_rank - entry(&r, "A")->rank, 1);
    gf_race_free(&r);
    f = fopen(path, "w");
    fputs("{\"weights\": {\"speed\": 1}}", f);
    fclose(f);
    assert_int_equal(gf_race_config_load(&c, path, &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "speed"));
    unlink(path);
    teardown_db(db);
}

/* ---- the demo lists
 * ------------------------------------------------------------------------------ */

static void test_demo_lists(void **state)
{
    (void)state;
    testdb_new(dbpath, sizeof dbpath, "lists_demo");
    struct gf_db *db;
    struct gf_err e = {0};
    assert_int_equal(gf_db_open(&db, dbpath, &e), GF_OK);
    static const char *const kinds[] = {"units", "teams", "departments", "people"};
    for (int i = 0; i < 4; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/demo/%s.csv", GONGFU_SOURCE_DIR, kinds[i]);
        struct gf_import_opts o = {0, "test", NULL, NULL};
        struct gf_import_stats st;
        int rc = gf_import_file(db, gf_import_kind_find(kinds[i]), path, &o, &st, &e);
        if (rc)
            print_error("%s\n", e.msg);
        assert_int_equal(rc, GF_OK);
    }
    int rc = gf_demo_lists(db, "demo", &e); /* its speed is the demo's, not asserted here */
    if (rc)
        print_error("%s\n", e.msg);
    assert_int_equal(rc, GF_OK);
    /* the reported shapes */
    assert_int_equal(
        gf_db_int(db, "SELECT count(*) FROM list_item WHERE list = '省重点项目(2024年)'", 0), 18);
    assert_int_equal(gf_db_int(db,
                               "SELECT sum(invest_planned) FROM list_item WHERE list = "
                               "'省重点项目(2024年)'",
                               0),
                     7720000); /* 772 亿元 in 万元 */
    assert_int_equal(gf_db_int(db,
                               "SELECT count(*) FROM list_item WHERE list = "
                               "'中央和省预算内资金项目'",
                               0),
                     55);
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM list_item WHERE code LIKE '510411-%'", 0),
                     325);
    assert_int_equal(gf_db_int(db,
                               "SELECT count(DISTINCT kind) FROM list_item WHERE code LIKE "
                               "'510411-%'",
                               0),
                     4);
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM list_item WHERE synthetic = 0", -1), 0);
    /* some items overdue and some problems open at the data cut-off; none closed by its owner */
    struct gf_flags f;
    assert_int_equal(gf_flags_collect(db, "2025-09-30", 60, &f, &e), GF_OK);
    int overdue = 0, stalled = 0, pbl = 0;
    for (int i = 0; i < f.n; i++) {
        overdue += f.f[i].kind == GF_FLAG_ITEM_OVERDUE;
        stalled += f.f[i].kind == GF_FLAG_STALLED;
        pbl += f.f[i].kind == GF_FLAG_PROBLEM_OVERDUE;
    }
    gf_flags_free(&f);
    assert_true(overdue > 10 && stalled > 5 && pbl > 5);
    assert_true(gf_db_int(db, "SELECT count(*) FROM problem WHERE status = 'open'", 0) > 10);
    assert_true(gf_db_int(db, "SELECT count(*) FROM problem WHERE status = 'closed'", 0) > 10);
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM problem WHERE verified_by = owner", -1),
                     0);
    /* a race for 2023 and 2024: five counties, eight work teams, ranks that move */
    struct gf_race_config c;
    gf_race_config_default(&c);
    struct gf_race r23, r24, rt;
    assert_int_equal(gf_race_run(db, "2023", 0, &c, "2025-09-30", &r23, &e), GF_OK);
    assert_int_equal(gf_race_run(db, "2024", 0, &c, "2025-09-30", &r24, &e), GF_OK);
    assert_int_equal(gf_race_run(db, "2024", 1, &c, "2025-09-30", &rt, &e), GF_OK);
    assert_int_equal(r24.n, 5);
    assert_int_equal(rt.n, 8);
    assert_true(r24.prev_valid);
    int moved = 0;
    for (int i = 0; i < r24.n; i++)
        moved += r24.e[i].prev_rank != r24.e[i].rank;
    assert_true(moved > 0);
    for (int i = 0; i < r23.n; i++) /* the 2024 race's previous ranks are the 2023 race's ranks */
        for (int j = 0; j < r24.n; j++)
            if (!strcmp(r23.e[i].code, r24.e[j].code))
                assert_int_equal(r23.e[i].rank, r24.e[j].prev_rank);
    gf_race_free(&r23);
    gf_race_free(&r24);
    gf_race_free(&rt);
    /* deterministic: a second database gets the same rows */
    int64_t n1 = gf_db_int(db, "SELECT count(*) FROM progress", 0);
    int64_t h1 = gf_db_int(db,
                           "SELECT sum(length(item) * percent + unicode(report_date)) FROM "
                           "progress",
                           0);
    assert_true(n1 > 1000);
    assert_int_equal(gf_demo_lists(db, "demo", &e) != GF_OK, 1); /* codes exist: refused */
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM progress", 0), n1);
    run(db, "DELETE FROM problem; DELETE FROM progress; DELETE FROM milestone; "
            "DELETE FROM list_item_coop; DELETE FROM list_item;");
    assert_int_equal(gf_demo_lists(db, "demo", &e), GF_OK);
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM progress", 0), n1);
    assert_int_equal(gf_db_int(db,
                               "SELECT sum(length(item) * percent + unicode(report_date)) "
                               "FROM progress",
                               0),
                     h1);
    teardown_db(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flags_fixed_dates),
        cmocka_unit_test(test_progress_closes_and_refuses),
        cmocka_unit_test(test_problem_loop),
        cmocka_unit_test(test_problem_acting_user),
        cmocka_unit_test(test_race_hand_computed),
        cmocka_unit_test(test_race_black_uncertain),
        cmocka_unit_test(test_race_teams_and_config),
        cmocka_unit_test(test_demo_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
