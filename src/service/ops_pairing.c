/* ops_pairing.c — pairings of organisations (`gongfu pairing …`, /api/pairings): every pairing
 * with its money (pledged, the pro-rata plan, delivered) and activity, one pairing with its
 * activities, the alerts (no activity for N days, money behind plan) and the coverage of a level
 * (the units with an active pairing of a kind).  Reads only: the records come in by the imports
 * pairings and pairing_activities (domain/pairing.h).  A pairing lies in the reader's scope when
 * the unit it helps does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/pairing.h"
#include "service/service.h"

static const struct gf_code_label states[] = {
    {"planned", "未开始", "not started"},
    {"active", "进行中", "active"},
    {"ended", "已结束", "ended"},
    {NULL},
};
static const struct gf_code_label alerts[] = {
    {"idle", "长期无活动", "no activity"},
    {"behind", "资金滞后", "money behind plan"},
    {"idle_behind", "长期无活动; 资金滞后", "no activity; money behind plan"},
    {NULL},
};

static const struct gf_column pairing_cols[] = {
    {"code", "结对代码", "code"},
    {"kind", "类型", "kind", gf_pairing_kinds},
    {"helper", "帮扶方代码", "helper code"},
    {"helper_name", "帮扶方", "helper"},
    {"unit", "受援单位代码", "unit code"},
    {"unit_name", "受援单位", "unit helped"},
    {"start", "开始", "start"},
    {"end", "结束", "end"},
    {"pledged", "承诺资金(元)", "pledged (yuan)"},
    {"plan", "按期应到位(元)", "due by now (yuan)"},
    {"delivered", "已到位(元)", "delivered (yuan)"},
    {"activities", "活动次数", "activities"},
    {"last", "最近活动", "last activity"},
    {"idle_days", "距今天数", "days since"},
    {"state", "状态", "state", states},
    {"alert", "预警", "alert", alerts},
};
static const char *const pairing_num[] = {"pledged",   "plan",      "delivered",
                                          "activities", "idle_days", NULL};

/* ?1 covered units, ?2 today, ?3 idle days, ?4 behind share, ?5 code or NULL, ?9 language;
 * only_alerts keeps the pairings with an alert */
#define PAIRING_SQL(where)                                                                        \
    "WITH a AS (SELECT pairing, count(*) AS n, sum(amount) AS amt, max(date) AS last"            \
    "  FROM pairing_activity GROUP BY pairing),"                                                  \
    " p AS (SELECT p.*, coalesce(a.n, 0) AS n, coalesce(a.amt, 0) AS delivered, a.last,"         \
    "  CASE WHEN p.start > ?2 THEN 'planned' WHEN p.end < ?2 THEN 'ended' ELSE 'active' END"     \
    "   AS state,"                                                                                \
    "  CASE WHEN p.start <= ?2 THEN"                                                              \
    "   CAST(julianday(?2) - julianday(coalesce(a.last, p.start)) AS INTEGER) END AS idle,"      \
    "  CASE WHEN p.end IS NULL OR p.pledged = 0 THEN NULL ELSE round(p.pledged * min(1.0,"       \
    "   max(0.0, (julianday(?2) - julianday(p.start)) / max(1.0, julianday(p.end)"               \
    "   - julianday(p.start)))), 0) END AS plan"                                                  \
    "  FROM pairing p LEFT JOIN a ON a.pairing = p.code"                                          \
    "  WHERE instr(?1, ',' || p.unit || ',') > 0 AND (?5 IS NULL OR p.code = ?5)"                \
    "  AND (?6 IS NULL OR p.kind = ?6)),"                                                         \
    " f AS (SELECT p.*,"                                                                          \
    "  (p.state = 'active' AND p.idle > CAST(?3 AS INTEGER)) AS is_idle,"                        \
    "  (p.state <> 'planned' AND p.plan > 0 AND p.delivered < CAST(?4 AS REAL) * p.plan)"        \
    "   AS is_behind FROM p)"                                                                     \
    " SELECT f.code, f.kind, f.helper, coalesce(d.name, en.name, f.helper_name), f.unit,"        \
    " CASE WHEN ?9 = 'en' THEN coalesce(u.name_en, u.name) ELSE u.name END, f.start, f.end,"     \
    " f.pledged, f.plan, f.delivered, f.n, f.last, f.idle, f.state,"                             \
    " CASE WHEN f.is_idle AND f.is_behind THEN 'idle_behind' WHEN f.is_idle THEN 'idle'"         \
    "  WHEN f.is_behind THEN 'behind' END"                                                        \
    " FROM f JOIN unit u ON u.code = f.unit"                                                      \
    " LEFT JOIN department d ON f.kind = 'department' AND d.code = f.helper"                     \
    " LEFT JOIN enterprise en ON f.kind = 'enterprise' AND en.code = f.helper" where             \
    " ORDER BY f.unit, f.code"

static int pairing_query(struct gf_call *c, const char *list, const char *code, int only_alerts,
                         const char *name, const char *zh, const char *en)
{
    char today[32], days[32], behind[32];
    gf_today(today);
    snprintf(days, sizeof days, "%lld", gf_arg_int(c, "days", 90));
    snprintf(behind, sizeof behind, "%g", GF_PAIRING_BEHIND);
    const char *p[] = {list, today, days, behind, code, gf_arg(c, "kind"), NULL, NULL,
                       c->cx->lang};
    return gf_result_query(c, name, zh, en,
                           only_alerts ? PAIRING_SQL(" WHERE f.is_idle OR f.is_behind")
                                       : PAIRING_SQL(""),
                           p, 9, pairing_cols, 16, pairing_num);
}

/* column index of a code in pairing_cols */
enum { COL_PLEDGED = 8, COL_DELIVERED = 10, COL_STATE = 14, COL_ALERT = 15 };

static int op_list(struct gf_call *c)
{
    char *list = gf_scope_units(c);
    if (!list)
        return c->err.code ? c->err.code : GF_ESYS;
    int rc = pairing_query(c, list, NULL, 0, "pairings", "组织结对", "pairings");
    free(list);
    if (rc)
        return rc;
    const struct gf_table *t = c->res.sec[c->res.nsec - 1].t;
    int n = gf_table_rows(t), active = 0, alerted = 0;
    double pledged = 0, delivered = 0;
    for (int i = 0; i < n; i++) {
        double x;
        int d;
        if (gf_table_cell_number(t, i, COL_PLEDGED, &x, &d))
            pledged += x;
        if (gf_table_cell_number(t, i, COL_DELIVERED, &x, &d))
            delivered += x;
        char sb[32], ab[32];
        const char *s = gf_table_cell(t, i, COL_STATE, sb, sizeof sb),
                   *a = gf_table_cell(t, i, COL_ALERT, ab, sizeof ab);
        active += s && !strcmp(s, "active");
        alerted += a && *a;
    }
    gf_result_msg(c, "结对 %d 个(进行中 %d 个), 承诺资金 %.0f 元, 已到位 %.0f 元; 预警 %d 个",
                  "%d pairings (%d active), %.0f yuan pledged, %.0f delivered; %d with an alert",
                  n, active, pledged, delivered, alerted);
    return GF_OK;
}

static int op_alerts(struct gf_call *c)
{
    char *list = gf_scope_units(c);
    if (!list)
        return c->err.code ? c->err.code : GF_ESYS;
    int rc = pairing_query(c, list, NULL, 1, "alerts", "结对预警", "pairing alerts");
    free(list);
    if (!rc)
        gf_result_msg(c, "预警 %d 个: 进行中但 %lld 天无活动, 或资金到位不足按期应到位的 %.0f%%",
                      "%d alerts: active with no activity for %lld days, or money delivered under "
                      "%.0f%% of what is due by now",
                      gf_table_rows(c->res.sec[c->res.nsec - 1].t), gf_arg_int(c, "days", 90),
                      100 * GF_PAIRING_BEHIND);
    return rc;
}

static int op_show(struct gf_call *c)
{
    const char *code = gf_arg(c, "code");
    struct gf_stmt *st;
    int rc = gf_db_prepare(c->cx->db, "SELECT unit FROM pairing WHERE code = ?", &st, &c->err);
    if (rc)
        return rc;
    gf_stmt_bind_text(st, 1, code);
    char unit[128] = "";
    if ((rc = gf_stmt_step(st, &c->err)) == 1)
        snprintf(unit, sizeof unit, "%s", gf_stmt_text(st, 0));
    gf_stmt_finalize(st);
    if (rc < 0)
        return c->err.code;
    if (!unit[0])
        return gf_err_set(&c->err, GF_ENOTFOUND, "no pairing %s (see `gongfu pairing list`)", code);
    if ((rc = gf_need_unit(c, "unit", unit)))
        return rc;
    char list[160];
    snprintf(list, sizeof list, ",%s,", unit);
    if ((rc = pairing_query(c, list, code, 0, "pairing", "结对", "pairing")))
        return rc;
    const char *p[] = {code};
    return gf_result_query(
        c, "activities", "结对活动", "activities",
        "SELECT date, kind, nullif(amount, 0), note FROM pairing_activity WHERE pairing = ?1 ORDER BY date, kind",
        p, 1,
        (const struct gf_column[]){{"date", "日期", "date"},
                                   {"kind", "活动", "activity", gf_pairing_activity_kinds},
                                   {"amount", "资金(元)", "amount (yuan)"},
                                   {"note", "说明", "note"}},
        4, (const char *const[]){"amount", NULL});
}

/* ---- coverage -------------------------------------------------------------------------------- */

static int op_coverage(struct gf_call *c)
{
    char *list = gf_scope_units(c);
    if (!list)
        return c->err.code ? c->err.code : GF_ESYS;
    const char *kind = gf_arg(c, "kind") ? gf_arg(c, "kind") : "department";
    long long level = gf_arg_int(c, "level", 0);
    if (!level) /* the lowest level with units */
        level = gf_db_int(c->cx->db, "SELECT max(level) FROM unit", 4);
    char today[32], lv[16], group[16];
    gf_today(today);
    snprintf(lv, sizeof lv, "%lld", level);
    snprintf(group, sizeof group, "%d", level > 2 ? 2 : 1); /* counted by county, else by city */
    const char *p[] = {list, today, kind, lv, group, NULL, NULL, NULL, c->cx->lang};
#define COVERED_UNITS                                                                             \
    "WITH RECURSIVE up(code, anc) AS (SELECT code, code FROM unit"                               \
    "  UNION ALL SELECT up.code, u.parent FROM up JOIN unit u ON u.code = up.anc"               \
    "  WHERE u.parent IS NOT NULL),"                                                              \
    " x AS (SELECT x.*, (SELECT g.code FROM up JOIN unit g ON g.code = up.anc"                  \
    "  WHERE up.code = x.code AND g.level = CAST(?5 AS INTEGER)) AS grp,"                        \
    "  CASE WHEN EXISTS (SELECT 1 FROM pairing p WHERE p.unit = x.code AND p.kind = ?3"          \
    "   AND p.start <= ?2 AND (p.end IS NULL OR p.end >= ?2)) THEN 1 ELSE 0 END AS paired"        \
    "  FROM unit x WHERE x.level = CAST(?4 AS INTEGER)"                                           \
    "  AND instr(?1, ',' || x.code || ',') > 0)"
    static const struct gf_column by_cols[] = {
        {"unit", "单位代码", "unit"},     {"name", "单位", "unit name"},
        {"units", "单位数", "units"},     {"paired", "已结对", "paired"},
        {"share", "覆盖率(%)", "coverage (%)"},
    };
    int rc = gf_result_query(
        c, "by_unit", "结对覆盖(分单位)", "coverage by unit",
        COVERED_UNITS " SELECT g.code, CASE WHEN ?9 = 'en' THEN coalesce(g.name_en, g.name)"
                      " ELSE g.name END, count(*), sum(x.paired), round(100.0 * sum(x.paired) / count(*), 1)"
                      " FROM x JOIN unit g ON g.code = x.grp GROUP BY g.code ORDER BY g.code",
        p, 9, by_cols, 5, (const char *const[]){"units", "paired", "share", NULL});
    int units = 0, paired = 0;
    if (!rc) {
        const struct gf_table *t = c->res.sec[c->res.nsec - 1].t;
        for (int i = 0; i < gf_table_rows(t); i++) {
            double x;
            int d;
            if (gf_table_cell_number(t, i, 2, &x, &d))
                units += (int)x;
            if (gf_table_cell_number(t, i, 3, &x, &d))
                paired += (int)x;
        }
    }
    if (!rc)
        rc = gf_result_query(
            c, "unpaired", "尚未结对的单位", "units without a pairing",
            COVERED_UNITS " SELECT x.code, CASE WHEN ?9 = 'en' THEN coalesce(x.name_en, x.name)"
                          " ELSE x.name END, CASE WHEN ?9 = 'en' THEN coalesce(pu.name_en, pu.name)"
                          " ELSE pu.name END FROM x LEFT JOIN unit pu ON pu.code = x.parent"
                          " WHERE x.paired = 0 ORDER BY x.code",
            p, 9,
            (const struct gf_column[]){{"unit", "单位代码", "unit"},
                                       {"name", "单位", "unit name"},
                                       {"parent", "上级单位", "parent"}},
            3, NULL);
#undef COVERED_UNITS
    free(list);
    if (rc)
        return rc;
    const char *kz = kind, *ke = kind;
    for (int i = 0; gf_pairing_kinds[i].code; i++)
        if (!strcmp(gf_pairing_kinds[i].code, kind))
            kz = gf_pairing_kinds[i].zh, ke = gf_pairing_kinds[i].en;
    gf_result_msg(c, "第 %lld 级 %d 个单位中 %d 个有进行中的%s, 覆盖率 %.1f%%",
                  "level %lld: %d units, %d with an active pairing (%s), coverage %.1f%%", level,
                  units, paired, GF_L(c->cx, kz, ke),
                  units ? 100.0 * paired / units : 0.0);
    return GF_OK;
}

/* ---- the table ----------------------------------------------------------------------------- */

static const char *const kind_codes[] = {"department", "enterprise", "county", "other", NULL};
#define P_UNIT {"unit", GF_PT_CODE, 0, NULL, "单位(含下级; 默认: 本人范围)", "unit, with the units under it (default: your scope)"}
#define P_KIND(zh, en) {"kind", GF_PT_ENUM, 0, kind_codes, zh, en}
#define P_DAYS {"days", GF_PT_INT, 0, NULL, "无活动天数预警线(默认 90)", "days without activity that raise an alert (default 90)"}

static const struct gf_param p_list[] = {
    P_UNIT, P_KIND("结对类型(department, enterprise, county, other)", "kind of pairing"), P_DAYS,
    {NULL}};
static const struct gf_param p_show[] = {
    {"code", GF_PT_CODE, GF_PF_KEY | GF_PF_REQUIRED, NULL, "结对代码", "pairing code"}, P_DAYS,
    {NULL}};
static const struct gf_param p_coverage[] = {
    P_UNIT, P_KIND("结对类型(默认 department)", "kind of pairing (default department)"),
    {"level", GF_PT_INT, 0, NULL, "层级(默认: 最低一级, 村)", "level (default: the lowest, villages)"},
    {NULL}};

const struct gf_op gf_ops_pairing[] = {
    {"pairing.list", GF_OP_READ, "GET", "/api/pairings", GF_PERM_VALUES_READ, 0, p_list, op_list,
     "组织结对及资金、活动、预警", "pairings with their money, activity and alerts"},
    {"pairing.alerts", GF_OP_READ, "GET", "/api/pairings/alerts", GF_PERM_VALUES_READ, 0, p_list,
     op_alerts, "结对预警(长期无活动、资金滞后)", "pairing alerts (no activity, money behind plan)"},
    {"pairing.coverage", GF_OP_READ, "GET", "/api/pairings/coverage", GF_PERM_VALUES_READ, 0,
     p_coverage, op_coverage, "结对覆盖率(如每个村都有部门结对)",
     "pairing coverage (e.g. every village with a paired department)"},
    {"pairing.show", GF_OP_READ, "GET", "/api/pairings/{code}", GF_PERM_VALUES_READ, 0, p_show,
     op_show, "一个结对及其活动", "one pairing and its activities"},
    {NULL},
};
