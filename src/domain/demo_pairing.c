/* demo_pairing.c — synthetic pairings of organisations for the demo (gf_demo_pairing).
 *
 * 百个部门扶百村: each of the demo's departments is paired with four villages (180 of the 234,
 * chosen by a hash of their codes, so the coverage page has villages still to pair), 2024–2026;
 * the first 20 registered enterprises each with a village (村企结对) from mid-2024; each county
 * with a partner county in the east (山海协作, partner names synthetic), 2023–2027.  Activities
 * run from the start to today (gf_today, which honours $GONGFU_NOW): a visit every 25–70 days,
 * funds every third visit for the coming quarter at a pace between 80 % and 125 % of the
 * pledge (some fall behind), a
 * joint project now and then; one pairing in eight stopped 120–300 days ago (the idle alerts).
 * Deterministic for a given today.  Every record says "synthetic"; one audit record a table. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/demo_build.h"
#include "domain/lists.h"
#include "domain/lists_int.h"

#define NOTE "合成演示数据 synthetic"

/* Day number (days since 1970-01-01) of a date "YYYY-MM-DD". */
static long parse_days(const char *s)
{
    return gf_days_between("1970-01-01", s);
}

struct counter {
    long pairings, activities;
};

/* One pairing and its activities up to today. */
static int add_pairing(struct gf_db *db, struct counter *n, const char *code, const char *kind,
                       const char *helper, const char *helper_name, const char *unit,
                       const char *start, const char *end, double pledged, const char *measures,
                       long today, struct gf_err *e)
{
    char money[32];
    snprintf(money, sizeof money, "%.0f", pledged);
    int rc = gf_db_run(db, e,
                       "INSERT INTO pairing (code, kind, helper, helper_name, unit, start, \"end\","
                       " pledged, measures, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '" NOTE "')",
                       code, kind, helper, helper_name, unit, start, end, money, measures);
    if (rc)
        return rc;
    n->pairings++;
    long s = parse_days(start), t = parse_days(end), stop = today;
    if (gf_demo_hash01(code, "idle") < 0.125) /* stopped some while ago */
        stop = today - 120 - (long)(180 * gf_demo_hash01(code, "since"));
    double pace = 0.8 + 0.45 * gf_demo_hash01(code, "pace"), paid = 0;
    long covered = s; /* funds are paid for the coming quarter */
    int step = 0;
    for (long d = s + 10 + (long)(30 * gf_demo_hash01(code, "first")); d <= stop && d <= t && rc == GF_OK;
         step++) {
        char date[16], amount[32] = "0", salt[16];
        gf_lists_civil_date(d, date);
        rc = gf_db_run(db, e,
                       "INSERT INTO pairing_activity (pairing, date, kind, amount, note)"
                       " VALUES (?, ?, 'visit', 0, '" NOTE "')",
                       code, date);
        n->activities++;
        if (rc == GF_OK && step % 3 == 2 && pledged > 0) {
            double due = pledged * (double)(d + 90 - covered) / (double)(t - s) * pace;
            if (paid + due > pledged)
                due = pledged - paid;
            paid += due;
            covered = d + 90;
            snprintf(amount, sizeof amount, "%.0f", round(due));
            rc = gf_db_run(db, e,
                           "INSERT INTO pairing_activity (pairing, date, kind, amount, note)"
                           " VALUES (?, ?, 'funds', ?, '" NOTE "')",
                           code, date, amount);
            n->activities++;
        }
        snprintf(salt, sizeof salt, "p%d", step);
        if (rc == GF_OK && gf_demo_hash01(code, salt) < 0.12) {
            rc = gf_db_run(db, e,
                           "INSERT INTO pairing_activity (pairing, date, kind, amount, note)"
                           " VALUES (?, ?, 'project', 0, '合作项目推进(合成) synthetic')",
                           code, date);
            n->activities++;
        }
        snprintf(salt, sizeof salt, "s%d", step);
        d += 25 + (long)(45 * gf_demo_hash01(code, salt));
    }
    return rc;
}

/* The villages ordered by a hash of their code: a fixed, scattered choice. */
static int by_hash(const void *a, const void *b)
{
    double x = gf_demo_hash01(*(char *const *)a, "pick"), y = gf_demo_hash01(*(char *const *)b, "pick");
    return x < y ? -1 : x > y;
}

static char **column(struct gf_db *db, const char *sql, int *n, struct gf_err *e)
{
    struct gf_stmt *st;
    *n = 0;
    if (gf_db_prepare(db, sql, &st, e))
        return NULL;
    int cap = 64;
    char **v = malloc((size_t)cap * sizeof *v);
    while (v && gf_stmt_step(st, e) == 1) {
        if (*n == cap) {
            char **more = realloc(v, (size_t)(cap *= 2) * sizeof *v);
            if (!more)
                break;
            v = more;
        }
        v[(*n)++] = strdup(gf_stmt_text(st, 0));
    }
    gf_stmt_finalize(st);
    return v;
}

static void free_column(char **v, int n)
{
    for (int i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

int gf_demo_pairing(struct gf_db *db, const char *actor, struct gf_err *e)
{
    char tbuf[32];
    long today = parse_days(gf_today(tbuf));
    int nv, nd, ne, nc;
    char **vil = column(db, "SELECT code FROM unit WHERE level = 4 ORDER BY code", &nv, e);
    char **dep = column(db, "SELECT code FROM department ORDER BY code", &nd, e);
    char **ent = column(db, "SELECT code FROM enterprise ORDER BY code", &ne, e);
    char **cty = column(db, "SELECT code FROM unit WHERE level = 2 ORDER BY code", &nc, e);
    int rc = vil && dep && ent && cty ? GF_OK : gf_err_set(e, GF_ENOMEM, "out of memory");
    if (rc == GF_OK && nv)
        qsort(vil, (size_t)nv, sizeof *vil, by_hash);
    struct counter n = {0, 0};
    if (rc == GF_OK)
        rc = gf_db_begin(db, e);
    int begun = rc == GF_OK;
    int v = 0;
    for (int i = 0; rc == GF_OK && i < nd; i++)
        for (int k = 0; k < 4 && v < nv && rc == GF_OK; k++, v++) {
            char code[32];
            snprintf(code, sizeof code, "PD-%s-%d", dep[i], k + 1);
            rc = add_pairing(db, &n, code, "department", dep[i], NULL, vil[v], "2024-01-01",
                             "2026-12-31", 10000 * round(20 + 60 * gf_demo_hash01(code, "pledge")),
                             "产业帮扶、项目对接、走访慰问", today, e);
        }
    for (int i = 0; rc == GF_OK && i < 20 && i < ne && nv; i++) {
        char code[32];
        snprintf(code, sizeof code, "PE-%s", ent[i]);
        rc = add_pairing(db, &n, code, "enterprise", ent[i], NULL, vil[(v + 3 * i) % nv],
                         "2024-07-01", "2027-06-30", 10000 * round(10 + 40 * gf_demo_hash01(code, "pledge")),
                         "村企共建: 订单收购、就业岗位", today, e);
    }
    static const char *const partners[] = {"浙江协作县甲(合成)", "浙江协作县乙(合成)",
                                           "浙江协作县丙(合成)", "浙江协作县丁(合成)",
                                           "浙江协作县戊(合成)"};
    for (int i = 0; rc == GF_OK && i < nc && i < 5; i++) {
        char code[32], helper[16];
        snprintf(code, sizeof code, "PC-%s", cty[i]);
        snprintf(helper, sizeof helper, "ZJ%02d", i + 1);
        rc = add_pairing(db, &n, code, "county", helper, partners[i], cty[i], "2023-01-01",
                         "2027-12-31", 1000000 * round(5 + 15 * gf_demo_hash01(code, "pledge")),
                         "山海协作: 产业园共建、劳务协作、消费帮扶", today, e);
    }
    if (rc == GF_OK) {
        char a[32], b[32];
        snprintf(a, sizeof a, "%ld", n.pairings);
        snprintf(b, sizeof b, "%ld", n.activities);
        char *after = gf_json_obj("pairings", a, "activities", b, "source", "synthetic",
                                  (char *)NULL);
        rc = after ? gf_audit(db, actor, "import", "pairing", "demo", NULL, after, e)
                   : gf_err_set(e, GF_ENOMEM, "out of memory");
        free(after);
    }
    if (begun)
        rc = rc ? (gf_db_rollback(db), rc) : gf_db_commit(db, e);
    free_column(vil, nv);
    free_column(dep, nd);
    free_column(ent, ne);
    free_column(cty, nc);
    return rc;
}
