/* household_report.c — what the monitoring data says: flag (households under the line),
 * alerts (the five rules) and the coverage report per unit and period. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ksum.h"
#include "domain/audit.h"
#include "domain/household.h"
#include "domain/import.h"
#include "domain/period.h"

extern const struct gf_import_kind gf_import_household_incomes;

const char *const gf_hh_rule_code[] = {"no_cadre",   "no_visit",   "still_under",
                                       "back_under", "cadre_over", NULL};
const char *const gf_hh_rule_zh[] = {"已识别未结对", "超期未走访", "帮扶后仍低于监测线",
                                     "消除风险后返回线下", "干部结对超限"};
const char *const gf_hh_rule_en[] = {"identified without cadre", "no recent visit",
                                     "still under the line after assistance",
                                     "eliminated but back under the line", "cadre over maximum"};

static void copy(char *dst, size_t cap, const char *s)
{
    snprintf(dst, cap, "%s", s ? s : "");
}

/* A small memo of the last line looked up (households come sorted by unit). */
struct line_memo {
    char unit[32], area[8];
    int year;
    double v;
};

static double line_of(struct gf_db *db, const struct gf_units *u, struct line_memo *m,
                      const char *unit, const char *area, int year)
{
    if (m->year == year && !strcmp(m->unit, unit) && !strcmp(m->area, area))
        return m->v;
    copy(m->unit, sizeof m->unit, unit);
    copy(m->area, sizeof m->area, area);
    m->year = year;
    m->v = gf_hh_line(db, u, unit, area, year);
    return m->v;
}

static int unit_filter(const struct gf_units *u, const char *unit, int *idx, struct gf_err *e)
{
    *idx = -1;
    if (!unit)
        return GF_OK;
    *idx = gf_units_find(u, unit);
    if (*idx < 0)
        return gf_err_at(e, NULL, 0, "unit", unit, "the code of an existing unit (no such unit)");
    return GF_OK;
}

static int within(const struct gf_units *u, const char *code, int a)
{
    if (a < 0)
        return 1;
    int i = gf_units_find(u, code);
    return i >= 0 && gf_units_within(u, i, a);
}

/* ---- flag -------------------------------------------------------------------------------- */

/* The registry's incomes, or (microdata) the survey rows of the distribution engine whose
 * anonymous household code names a registry household; unmatched counts the others under the
 * line. */
static const char *const MICRO_SQL =
    "SELECT h.code, h.unit, h.area, c.state, m.period, m.income, CAST(m.period AS INTEGER),"
    " m.household, m.unit, CASE m.urban WHEN 1 THEN 'urban' ELSE 'rural' END"
    " FROM income_microdata m LEFT JOIN household h ON h.code = m.household"
    " LEFT JOIN hh_case c ON c.household = h.code WHERE m.period = ?"
    " ORDER BY m.unit, m.household";

static int flag_body(struct gf_db *db, const char *actor, const struct gf_units *u, int a,
                     const char *period, double line, const char *channel, const char *date,
                     int microdata, int dry_run, long *unmatched, struct gf_hh_proposal **out,
                     int *n, struct gf_err *e)
{
    struct gf_stmt *st;
    int rc =
        microdata
            ? gf_db_prepare(db, MICRO_SQL, &st, e)
            : gf_db_prepare(
                  db,
                  "SELECT h.code, h.unit, h.area, c.state, i.period, i.per_capita, p.year"
                  " FROM household h JOIN hh_income i ON i.household = h.code"
                  " JOIN period p ON p.code = i.period LEFT JOIN hh_case c ON c.household = h.code"
                  " WHERE (? IS NOT NULL AND i.period = ?) OR (? IS NULL AND p.end_date ="
                  "  (SELECT max(p2.end_date) FROM hh_income i2 JOIN period p2 ON p2.code = "
                  "i2.period"
                  "   WHERE i2.household = h.code))"
                  " ORDER BY h.unit, h.code",
                  &st, e);
    if (rc)
        return rc;
    for (int k = 1; k <= (microdata ? 1 : 3); k++)
        gf_stmt_bind_text(st, k, period);
    struct line_memo memo = {{0}, {0}, 0, 0};
    int cap = 0;
    while ((rc = gf_stmt_step(st, e)) == 1) {
        int known = !gf_stmt_is_null(st, 0);
        const char *unit = gf_stmt_text(st, known ? 1 : 8);
        if (!unit || !within(u, unit, a))
            continue;
        double x = gf_stmt_double(st, 5);
        double z = line > 0 ? line
                            : line_of(db, u, &memo, unit, gf_stmt_text(st, known ? 2 : 9),
                                      (int)gf_stmt_int(st, 6));
        if (!(x < z))
            continue;
        if (!known) {
            (*unmatched)++;
            continue;
        }
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            struct gf_hh_proposal *p = realloc(*out, (size_t)cap * sizeof *p);
            if (!p) {
                rc = gf_err_set(e, GF_ENOMEM, "out of memory");
                break;
            }
            *out = p;
        }
        struct gf_hh_proposal *p = &(*out)[(*n)++];
        memset(p, 0, sizeof *p);
        copy(p->household, sizeof p->household, gf_stmt_text(st, 0));
        copy(p->unit, sizeof p->unit, unit);
        copy(p->state, sizeof p->state, gf_stmt_text(st, 3));
        copy(p->period, sizeof p->period, gf_stmt_text(st, 4));
        p->per_capita = x;
        p->line = z;
    }
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    for (int i = 0; i < *n; i++) {
        struct gf_hh_proposal *p = &(*out)[i];
        if (p->state[0])
            continue;
        char note[160];
        snprintf(note, sizeof note, "per-capita income %.2f < line %.2f in %s", p->per_capita,
                 p->line, p->period);
        if ((rc = dry_run ? gf_hh_find_check(db, p->household, channel, NULL, date, e)
                          : gf_hh_find(db, actor, p->household, channel, NULL, date, note, e)))
            return rc;
        copy(p->state, sizeof p->state, "found");
        p->created = 1;
    }
    return GF_OK;
}

static int flag_run(struct gf_db *db, const char *actor, const char *unit, const char *period,
                    double line, const char *channel, const char *date, const char *income_file,
                    int dry_run, int microdata, long *unmatched, struct gf_hh_proposal **out,
                    int *n, struct gf_err *e)
{
    *out = NULL;
    *n = 0;
    if (microdata && !period)
        return gf_err_at(e, NULL, 0, "period", "", "a year (the microdata period to read)");
    if (period) {
        struct gf_period p;
        if (gf_period_parse(period, &p) || p.kind != GF_PERIOD_YEAR)
            return gf_err_at(e, NULL, 0, "period", period, "a year such as 2024");
    }
    int rc;
    if (date && (rc = gf_check_past_date(NULL, 0, "date", date, e)))
        return rc;
    /* a dry run without a file only reads: no transaction of its own to roll back (which would
     * doom a caller's) */
    int tx = !dry_run || income_file;
    if (tx && (rc = gf_db_begin(db, e)))
        return rc;
    struct gf_units u = {0};
    int a;
    if (income_file) {
        struct gf_import_opts o = {0, actor, NULL, NULL};
        struct gf_import_stats stats;
        if ((rc = gf_import_file(db, &gf_import_household_incomes, income_file, &o, &stats, e)))
            goto fail;
    }
    if ((rc = gf_units_load(db, &u, e)) || (rc = unit_filter(&u, unit, &a, e)))
        goto fail;
    if ((rc = flag_body(db, actor, &u, a, period, line, channel ? channel : "department", date,
                        microdata, dry_run, unmatched, out, n, e)))
        goto fail;
    gf_units_free(&u);
    if (dry_run) {
        if (tx)
            gf_db_rollback(db);
        return GF_OK;
    }
    return gf_db_commit(db, e);
fail:
    gf_units_free(&u);
    if (tx)
        gf_db_rollback(db);
    free(*out);
    *out = NULL;
    *n = 0;
    return rc;
}

int gf_hh_flag(struct gf_db *db, const char *actor, const char *unit, const char *period,
               double line, const char *channel, const char *date, const char *income_file,
               int dry_run, struct gf_hh_proposal **out, int *n, struct gf_err *e)
{
    long unmatched = 0;
    return flag_run(db, actor, unit, period, line, channel, date, income_file, dry_run, 0,
                    &unmatched, out, n, e);
}

int gf_hh_flag_microdata(struct gf_db *db, const char *actor, const char *unit, const char *period,
                         double line, const char *channel, const char *date, int dry_run,
                         struct gf_hh_proposal **out, int *n, long *unmatched, struct gf_err *e)
{
    *unmatched = 0;
    return flag_run(db, actor, unit, period, line, channel, date, NULL, dry_run, 1, unmatched, out,
                    n, e);
}

/* ---- alerts ------------------------------------------------------------------------------ */

static int months_between(const char *from, const char *to)
{
    int y1, m1, d1, y2, m2, d2;
    if (sscanf(from, "%4d-%2d-%2d", &y1, &m1, &d1) != 3 ||
        sscanf(to, "%4d-%2d-%2d", &y2, &m2, &d2) != 3)
        return 0;
    return (y2 - y1) * 12 + (m2 - m1) - (d2 < d1);
}

struct cadre_count {
    char code[64], name[64];
    long n;
    int touches; /* has a household inside the unit filter */
};

static int push_alert(struct gf_hh_alert **out, int *n, int *cap, struct gf_hh_alert **a,
                      struct gf_err *e)
{
    if (*n == *cap) {
        *cap = *cap ? 2 * *cap : 64;
        struct gf_hh_alert *p = realloc(*out, (size_t)*cap * sizeof *p);
        if (!p)
            return gf_err_set(e, GF_ENOMEM, "out of memory");
        *out = p;
    }
    *a = &(*out)[(*n)++];
    memset(*a, 0, sizeof **a);
    return GF_OK;
}

int gf_hh_alerts(struct gf_db *db, const char *unit, const char *cadre, const char *asof,
                 int visit_days, int assist_months, struct gf_hh_alert **out, int *n,
                 struct gf_err *e)
{
    *out = NULL;
    *n = 0;
    char today[32];
    if (!asof)
        asof = gf_today(today);
    if (!gf_parse_date(asof))
        return gf_err_at(e, NULL, 0, "date", asof, "a date YYYY-MM-DD");
    if (visit_days <= 0)
        visit_days = (int)gf_hh_setting_int(db, "visit_days", 30);
    if (assist_months <= 0)
        assist_months = (int)gf_hh_setting_int(db, "assist_months", 6);
    struct gf_units u;
    int rc = gf_units_load(db, &u, e), a, cap = 0;
    if (rc)
        return rc;
    struct cadre_count *cc = NULL;
    int ncc = 0, capcc = 0;
    struct gf_stmt *st = NULL;
    if ((rc = unit_filter(&u, unit, &a, e)))
        goto out;
    if ((rc = gf_db_prepare(
             db,
             "SELECT c.household, h.unit, h.head_name, c.state, c.cadre, p.name,"
             " c.identified_on, c.returned_on, c.assisted_on, h.area,"
             " (SELECT max(visit_date) FROM hh_visit v WHERE v.household = c.household"
             "   AND v.visit_date <= ?),"
             " li.period, li.per_capita, lp.year, lp.end_date"
             " FROM hh_case c JOIN household h ON h.code = c.household"
             " LEFT JOIN person p ON p.code = c.cadre"
             " LEFT JOIN hh_income li ON li.household = c.household AND li.period ="
             "  (SELECT i2.period FROM hh_income i2 JOIN period p2 ON p2.code = i2.period"
             "   WHERE i2.household = c.household AND p2.start_date <= ?"
             "   ORDER BY p2.end_date DESC LIMIT 1)"
             " LEFT JOIN period lp ON lp.code = li.period"
             " ORDER BY h.unit, c.household",
             &st, e)))
        goto out;
    gf_stmt_bind_text(st, 1, asof);
    gf_stmt_bind_text(st, 2, asof);
    struct line_memo memo = {{0}, {0}, 0, 0};
    long today_d = gf_hh_days(asof);
    while ((rc = gf_stmt_step(st, e)) == 1) {
        const char *hh = gf_stmt_text(st, 0), *hunit = gf_stmt_text(st, 1);
        const char *state = gf_stmt_text(st, 3), *cad = gf_stmt_text(st, 4);
        int in_unit = within(&u, hunit, a);
        int active = !strcmp(state, "identified") || !strcmp(state, "assisted");
        if (cad && active) { /* count the cadre's load over every household */
            int k = 0;
            while (k < ncc && strcmp(cc[k].code, cad))
                k++;
            if (k == ncc) {
                if (ncc == capcc) {
                    capcc = capcc ? 2 * capcc : 32;
                    struct cadre_count *p = realloc(cc, (size_t)capcc * sizeof *p);
                    if (!p) {
                        rc = gf_err_set(e, GF_ENOMEM, "out of memory");
                        goto out;
                    }
                    cc = p;
                }
                memset(&cc[k], 0, sizeof cc[k]);
                copy(cc[k].code, sizeof cc[k].code, cad);
                copy(cc[k].name, sizeof cc[k].name, gf_stmt_text(st, 5));
                ncc++;
            }
            cc[k].n++;
            cc[k].touches |= in_unit;
        }
        if (!in_unit || (cadre && (!cad || strcmp(cad, cadre))))
            continue;
        int rules[4], nr = 0;
        char det[4][192], detzh[4][192];
        const char *ident = gf_stmt_text(st, 6), *ret = gf_stmt_text(st, 7);
        const char *since = ret && ident && strcmp(ret, ident) > 0 ? ret : ident;
        if (active && !cad) {
            rules[nr] = GF_HH_NO_CADRE;
            snprintf(det[nr], sizeof det[0], "identified on %s, no cadre", since ? since : "?");
            snprintf(detzh[nr], sizeof detzh[0], "%s 识别, 未落实帮扶责任人", since ? since : "?");
            nr++;
        }
        if (active) {
            const char *last = gf_stmt_text(st, 10);
            const char *ref = last ? last : since;
            long days = ref ? today_d - gf_hh_days(ref) : 0;
            if (ref && days >= visit_days) {
                rules[nr] = GF_HH_NO_VISIT;
                if (last) {
                    snprintf(det[nr], sizeof det[0], "last visit %s (%ld days ago)", last, days);
                    snprintf(detzh[nr], sizeof detzh[0], "最近走访 %s (%ld 天前)", last, days);
                } else {
                    snprintf(det[nr], sizeof det[0], "never visited since %s (%ld days)", ref,
                             days);
                    snprintf(detzh[nr], sizeof detzh[0], "自 %s 起从未走访 (%ld 天)", ref, days);
                }
                nr++;
            }
        }
        if (!gf_stmt_is_null(st, 12)) {
            double x = gf_stmt_double(st, 12);
            const char *per = gf_stmt_text(st, 11), *pend = gf_stmt_text(st, 14);
            double z = line_of(db, &u, &memo, hunit, gf_stmt_text(st, 9), (int)gf_stmt_int(st, 13));
            const char *assisted = gf_stmt_text(st, 8);
            if (!strcmp(state, "assisted") && assisted && x < z &&
                months_between(assisted, asof) >= assist_months && strcmp(pend, assisted) >= 0) {
                rules[nr] = GF_HH_STILL_UNDER;
                snprintf(det[nr], sizeof det[0],
                         "assisted since %s (%d months), income %.0f < line %.0f in %s", assisted,
                         months_between(assisted, asof), x, z, per);
                snprintf(detzh[nr], sizeof detzh[0],
                         "%s 起帮扶 (%d 个月), %s 年人均 %.0f 元 < 监测线 %.0f", assisted,
                         months_between(assisted, asof), per, x, z);
                nr++;
            }
            if (!strcmp(state, "eliminated") && x < z) {
                rules[nr] = GF_HH_BACK_UNDER;
                snprintf(det[nr], sizeof det[0], "eliminated, but income %.0f < line %.0f in %s", x,
                         z, per);
                snprintf(detzh[nr], sizeof detzh[0],
                         "已消除风险, 但 %s 年人均 %.0f 元 < 监测线 %.0f", per, x, z);
                nr++;
            }
        }
        for (int k = 0; k < nr; k++) {
            struct gf_hh_alert *al;
            if ((rc = push_alert(out, n, &cap, &al, e)))
                goto out;
            al->rule = (enum gf_hh_rule)rules[k];
            copy(al->household, sizeof al->household, hh);
            copy(al->unit, sizeof al->unit, hunit);
            copy(al->head, sizeof al->head, gf_stmt_text(st, 2));
            copy(al->state, sizeof al->state, state);
            copy(al->cadre, sizeof al->cadre, cad);
            copy(al->cadre_name, sizeof al->cadre_name, gf_stmt_text(st, 5));
            copy(al->detail, sizeof al->detail, det[k]);
            copy(al->detail_zh, sizeof al->detail_zh, detzh[k]);
        }
    }
    if (rc < 0)
        goto out;
    rc = GF_OK;
    for (int k = 0; k < ncc; k++) {
        if (!cc[k].touches || (cadre && strcmp(cadre, cc[k].code)))
            continue;
        struct gf_stmt *mx;
        long max = gf_hh_setting_int(db, "max_households_per_cadre", 10);
        if ((rc =
                 gf_db_prepare(db, "SELECT max_households FROM hh_cadre WHERE person = ?", &mx, e)))
            goto out;
        gf_stmt_bind_text(mx, 1, cc[k].code);
        if (gf_stmt_step(mx, NULL) == 1)
            max = (long)gf_stmt_int(mx, 0);
        gf_stmt_finalize(mx);
        if (cc[k].n <= max)
            continue;
        struct gf_hh_alert *al;
        if ((rc = push_alert(out, n, &cap, &al, e)))
            goto out;
        al->rule = GF_HH_CADRE_OVER;
        copy(al->cadre, sizeof al->cadre, cc[k].code);
        copy(al->cadre_name, sizeof al->cadre_name, cc[k].name);
        snprintf(al->detail, sizeof al->detail, "carries %ld households, maximum %ld", cc[k].n,
                 max);
        snprintf(al->detail_zh, sizeof al->detail_zh, "结对 %ld 户, 上限 %ld 户", cc[k].n, max);
    }
out:
    gf_stmt_finalize(st);
    free(cc);
    gf_units_free(&u);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* ---- coverage ---------------------------------------------------------------------------- */

struct hrow {
    char code[64];
    int unit; /* index in the unit tree */
    long persons;
    int flagged, monitored, paired, returned, eliminated;
    char last_visit[11];
    double income; /* NaN when none in the period */
};

static int hrow_cmp(const void *a, const void *b)
{
    return strcmp(((const struct hrow *)a)->code, ((const struct hrow *)b)->code);
}

static struct hrow *hrow_find(struct hrow *h, int n, const char *code)
{
    struct hrow key;
    copy(key.code, sizeof key.code, code);
    return bsearch(&key, h, (size_t)n, sizeof *h, hrow_cmp);
}

int gf_hh_coverage(struct gf_db *db, const char *unit, const char *period,
                   struct gf_hh_coverage **out, int *n, struct gf_err *e)
{
    *out = NULL;
    *n = 0;
    struct gf_period per;
    if (!period || gf_period_parse(period, &per) || per.kind != GF_PERIOD_YEAR)
        return gf_err_at(e, NULL, 0, "period", period ? period : "", "a year such as 2025");
    char today[32], asof[11], ystart[11];
    gf_today(today);
    copy(asof, sizeof asof, strcmp(per.end, today) < 0 ? per.end : today);
    copy(ystart, sizeof ystart, per.start);
    struct gf_units u;
    int rc = gf_units_load(db, &u, e), a;
    if (rc)
        return rc;
    struct hrow *h = NULL;
    int nh = 0, caph = 0;
    struct gf_stmt *st = NULL;
    if ((rc = unit_filter(&u, unit, &a, e)))
        goto out;
    if (a < 0) {
        rc = gf_err_at(e, NULL, 0, "unit", "", "a unit code (--unit)");
        goto out;
    }
    /* households within the unit */
    if ((rc = gf_db_prepare(db,
                            "SELECT h.code, h.unit, COALESCE((SELECT count(*) FROM hh_member m"
                            " WHERE m.household = h.code), 0), h.size FROM household h",
                            &st, e)))
        goto out;
    while ((rc = gf_stmt_step(st, e)) == 1) {
        int ui = gf_units_find(&u, gf_stmt_text(st, 1));
        if (ui < 0 || !gf_units_within(&u, ui, a))
            continue;
        if (nh == caph) {
            caph = caph ? 2 * caph : 256;
            struct hrow *p = realloc(h, (size_t)caph * sizeof *p);
            if (!p) {
                rc = gf_err_set(e, GF_ENOMEM, "out of memory");
                goto out;
            }
            h = p;
        }
        struct hrow *r = &h[nh++];
        memset(r, 0, sizeof *r);
        copy(r->code, sizeof r->code, gf_stmt_text(st, 0));
        r->unit = ui;
        long members = (long)gf_stmt_int(st, 2);
        r->persons = members > 0 ? members : gf_stmt_is_null(st, 3) ? 1 : (long)gf_stmt_int(st, 3);
        r->income = NAN;
    }
    gf_stmt_finalize(st);
    st = NULL;
    if (rc < 0)
        goto out;
    qsort(h, (size_t)nh, sizeof *h, hrow_cmp);
    /* the history up to the as-of date gives each household's state and cadre then */
    if ((rc = gf_db_prepare(db,
                            "SELECT household, on_date, action, to_state, cadre FROM hh_event"
                            " WHERE on_date <= ? ORDER BY household, on_date, id",
                            &st, e)))
        goto out;
    gf_stmt_bind_text(st, 1, asof);
    {
        struct hrow *cur = NULL;
        char curcode[64] = "", state[16] = "";
        int has_cadre = 0;
        for (;;) {
            rc = gf_stmt_step(st, e);
            const char *code = rc == 1 ? gf_stmt_text(st, 0) : "";
            if (rc != 1 || strcmp(code, curcode)) {
                if (cur) {
                    cur->flagged = 1;
                    cur->monitored = !strcmp(state, "identified") || !strcmp(state, "assisted");
                    cur->paired = cur->monitored && has_cadre;
                }
                if (rc != 1)
                    break;
                copy(curcode, sizeof curcode, code);
                cur = hrow_find(h, nh, code);
                state[0] = 0;
                has_cadre = 0;
            }
            if (!cur)
                continue;
            const char *date = gf_stmt_text(st, 1), *action = gf_stmt_text(st, 2);
            copy(state, sizeof state, gf_stmt_text(st, 3));
            if (!strcmp(action, "pair"))
                has_cadre = !gf_stmt_is_null(st, 4);
            if (strcmp(date, ystart) >= 0) {
                if (!strcmp(action, "eliminate"))
                    cur->eliminated++;
                if (!strcmp(action, "return"))
                    cur->returned++;
            }
        }
    }
    gf_stmt_finalize(st);
    st = NULL;
    if (rc < 0)
        goto out;
    if ((rc = gf_db_prepare(db,
                            "SELECT household, max(visit_date) FROM hh_visit WHERE visit_date <= ?"
                            " GROUP BY household",
                            &st, e)))
        goto out;
    gf_stmt_bind_text(st, 1, asof);
    while ((rc = gf_stmt_step(st, e)) == 1) {
        struct hrow *r = hrow_find(h, nh, gf_stmt_text(st, 0));
        if (r)
            copy(r->last_visit, sizeof r->last_visit, gf_stmt_text(st, 1));
    }
    gf_stmt_finalize(st);
    st = NULL;
    if (rc < 0)
        goto out;
    if ((rc = gf_db_prepare(db, "SELECT household, per_capita FROM hh_income WHERE period = ?", &st,
                            e)))
        goto out;
    gf_stmt_bind_text(st, 1, period);
    while ((rc = gf_stmt_step(st, e)) == 1) {
        struct hrow *r = hrow_find(h, nh, gf_stmt_text(st, 0));
        if (r)
            r->income = gf_stmt_double(st, 1);
    }
    gf_stmt_finalize(st);
    st = NULL;
    if (rc < 0)
        goto out;
    /* rows: the unit, then its children */
    int nrows = 1;
    for (int i = a + 1; i < a + u.unit[a].subtree_size; i++)
        nrows += u.unit[i].parent == a;
    *out = calloc((size_t)nrows, sizeof **out);
    if (!*out) {
        rc = gf_err_set(e, GF_ENOMEM, "out of memory");
        goto out;
    }
    int ri[4096];
    int nr = 0;
    ri[nr++] = a;
    for (int i = a + 1; i < a + u.unit[a].subtree_size && nr < 4096; i++)
        if (u.unit[i].parent == a)
            ri[nr++] = i;
    long d_asof = gf_hh_days(asof);
    char ind[64] = "income_pc";
    {
        struct gf_stmt *s2;
        if (gf_db_prepare(db, "SELECT value FROM hh_setting WHERE key = 'unit_income_indicator'",
                          &s2, NULL) == GF_OK) {
            if (gf_stmt_step(s2, NULL) == 1)
                copy(ind, sizeof ind, gf_stmt_text(s2, 0));
            gf_stmt_finalize(s2);
        }
    }
    for (int k = 0; k < nr; k++) {
        int ui = ri[k];
        const struct gf_unit *U = &u.unit[ui];
        struct gf_hh_coverage *c = &(*out)[k];
        copy(c->unit, sizeof c->unit, U->code);
        copy(c->name, sizeof c->name, U->name);
        c->level = U->level;
        struct gf_ksum num = {0, 0}, den = {0, 0};
        for (int j = 0; j < nh; j++) {
            const struct hrow *r = &h[j];
            if (r->unit < ui || r->unit >= ui + U->subtree_size)
                continue;
            if (r->flagged) {
                c->hh_flagged++;
                c->p_flagged += r->persons;
            }
            c->hh_eliminated += r->eliminated;
            c->hh_returned += r->returned;
            if (!r->monitored)
                continue;
            c->hh_ident++;
            c->p_ident += r->persons;
            c->hh_paired += r->paired;
            if (r->last_visit[0]) {
                long days = d_asof - gf_hh_days(r->last_visit);
                c->hh_visit30 += days < 30;
                c->hh_visit90 += days < 90;
            }
            if (!isnan(r->income)) {
                gf_ksum_add(&num, r->income * (double)r->persons);
                gf_ksum_add(&den, (double)r->persons);
            }
        }
        c->income_monitored =
            gf_ksum_value(&den) > 0 ? gf_ksum_value(&num) / gf_ksum_value(&den) : NAN;
        c->income_unit = NAN;
        struct gf_stmt *s2;
        if ((rc = gf_db_prepare(db,
                                "SELECT value FROM value WHERE unit = ? AND indicator = ?"
                                " AND period = ?",
                                &s2, e)))
            goto out;
        gf_stmt_bind_text(s2, 1, U->code);
        gf_stmt_bind_text(s2, 2, ind);
        gf_stmt_bind_text(s2, 3, period);
        if (gf_stmt_step(s2, NULL) == 1)
            c->income_unit = gf_stmt_double(s2, 0);
        gf_stmt_finalize(s2);
    }
    *n = nr;
    rc = GF_OK;
out:
    gf_stmt_finalize(st);
    free(h);
    gf_units_free(&u);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}
