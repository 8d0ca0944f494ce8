/* ops_values.c — indicator values and their approval (数据填报与审核): `gongfu values …`,
 * /api/values, /api/approvals.
 *
 * Who: reporters enter and submit values of units in their scope (a team reporter: of the
 * indicators its team is responsible for); approvers approve, return or unlock what units
 * strictly below their scope submitted (approval comes from the level above); whoever submitted a
 * value never approves it (domain/values.c holds that rule for every door). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/period.h"
#include "domain/values.h"
#include "service/service.h"

static const struct gf_code_label state_labels[] = {{"draft", "草稿", "draft"},
                                                    {"submitted", "已报送", "submitted"},
                                                    {"approved", "已审核", "approved"},
                                                    {NULL}};
static const struct gf_code_label origin_labels[] = {{"reported", "填报", "reported"},
                                                     {"computed", "测算", "computed"},
                                                     {"rollup", "汇总", "rollup"},
                                                     {"derived", "派生", "derived"},
                                                     {NULL}};

/* A team reporter acts only on the indicators its team is responsible for. */
static int team_owns(struct gf_call *c, const char *indicator)
{
    const struct gf_actor *a = &c->cx->actor;
    if (a->role != GF_ROLE_TEAM)
        return 1;
    struct gf_stmt *st;
    int owns = 0;
    if (gf_db_prepare(c->cx->db, "SELECT team = ? FROM indicator WHERE code = ?", &st, NULL))
        return 0;
    gf_stmt_bind_text(st, 1, a->team);
    gf_stmt_bind_text(st, 2, indicator);
    owns = gf_stmt_step(st, NULL) == 1 && gf_stmt_int(st, 0);
    gf_stmt_finalize(st);
    return owns;
}

static int op_list(struct gf_call *c)
{
    const char *unit;
    int rc = gf_scope_filter(c, "unit", gf_arg(c, "unit"), &unit);
    if (rc)
        return rc;
    /* without a unit the actor's whole scope; with one, it alone unless --under */
    int under = gf_arg_flag(c, "under") || !gf_arg(c, "unit");
    char *list = NULL;
    if (unit && !(list = gf_unit_list(gf_ctx_units(c->cx, &c->err), unit, under)))
        return gf_err_set(&c->err, GF_ENOMEM, "out of memory");
    static const struct gf_column cols[] = {
        {"unit", "单位代码", "unit"},
        {"unit_name", "单位", "unit name"},
        {"indicator", "指标代码", "indicator"},
        {"indicator_name", "指标", "indicator name"},
        {"period", "期别", "period"},
        {"value", "数值", "value"},
        {"unit_of_measure", "计量单位", "unit of measure"},
        {"origin", "来源类型", "origin", origin_labels},
        {"source", "数据来源", "source"},
        {"state", "状态", "state", state_labels},
        {"version", "版本", "version"},
    };
    static const char *const num[] = {"value", "version", NULL};
    const struct gf_actor *a = &c->cx->actor;
    const char *p[] = {list,
                       gf_arg(c, "indicator"),
                       gf_arg(c, "period"),
                       gf_arg(c, "framework"),
                       gf_arg(c, "origin"),
                       c->cx->lang,
                       gf_arg(c, "state"),
                       a->role == GF_ROLE_TEAM ? a->team : NULL};
    rc = gf_result_query(
        c, "values", "指标数据", "values",
        "SELECT v.unit, CASE WHEN ?6 = 'en' THEN coalesce(u.name_en, u.name) ELSE u.name END,"
        " v.indicator, CASE WHEN ?6 = 'en' THEN coalesce(d.name_en, d.name) ELSE d.name END,"
        " v.period, v.value, d.unit_of_measure, v.origin, v.source, v.state, v.version"
        " FROM value v JOIN unit u ON u.code = v.unit JOIN indicator d ON d.code = v.indicator"
        " WHERE (?1 IS NULL OR instr(?1, ',' || v.unit || ',') > 0)"
        " AND (?2 IS NULL OR v.indicator = ?2) AND (?3 IS NULL OR v.period = ?3)"
        " AND (?4 IS NULL OR v.indicator IN (SELECT code FROM framework_node WHERE framework = ?4))"
        " AND (?5 IS NULL OR v.origin = ?5) AND (?7 IS NULL OR v.state = ?7)"
        " AND (?8 IS NULL OR d.team = ?8)"
        " ORDER BY u.level, v.unit, v.indicator, v.period",
        p, 8, cols, 11, num);
    free(list);
    return rc;
}

/* The data-entry form of one unit and period: every indicator of the framework with what is
 * stored, last period's value for comparison, and what the form must check as it is typed. */
static int op_form(struct gf_call *c)
{
    const char *unit = gf_arg(c, "unit"), *period = gf_arg(c, "period");
    const char *fw = gf_arg(c, "framework");
    int rc = gf_need_unit(c, "unit", unit);
    if (rc)
        return rc;
    char prev[16];
    gf_period_prev(period, prev, sizeof prev);
    char fwbuf[72];
    if (!fw) { /* the first framework */
        struct gf_stmt *st;
        if ((rc = gf_db_prepare(c->cx->db, "SELECT code FROM framework ORDER BY rowid LIMIT 1", &st,
                                &c->err)))
            return rc;
        fwbuf[0] = 0;
        if (gf_stmt_step(st, NULL) == 1)
            snprintf(fwbuf, sizeof fwbuf, "%s", gf_stmt_text(st, 0));
        gf_stmt_finalize(st);
        fw = fwbuf;
    }
    if (!gf_db_int_text(c->cx->db, "SELECT count(*) FROM framework WHERE code = ?", fw)) {
        gf_err_at(&c->err, NULL, 0, "framework", fw, "an existing framework code");
        return c->err.code = GF_ENOTFOUND;
    }
    static const struct gf_column cols[] = {
        {"indicator", "指标代码", "indicator"},
        {"name", "指标", "indicator name"},
        {"dimension", "维度", "dimension"},
        {"unit_of_measure", "计量单位", "unit of measure"},
        {"direction", "方向", "direction"},
        {"band_lo", "区间下限", "band low"},
        {"band_hi", "区间上限", "band high"},
        {"value", "本期数值", "value"},
        {"state", "状态", "state", state_labels},
        {"origin", "来源类型", "origin", origin_labels},
        {"source", "数据来源", "source"},
        {"version", "版本", "version"},
        {"previous", "上期数值", "previous"},
        {"editable", "可填报", "editable"},
        {"team", "责任专班", "team"},
    };
    static const char *const num[] = {"band_lo", "band_hi", "value",   "version",
                                      "previous", "editable", NULL};
    const char *p[] = {fw, unit, period, prev, c->cx->lang};
    rc = gf_result_query(
        c, "form", "填报表", "form",
        "SELECT d.code, CASE WHEN ?5 = 'en' THEN coalesce(d.name_en, d.name) ELSE d.name END,"
        " CASE WHEN ?5 = 'en' THEN coalesce(g.name_en, g.name) ELSE g.name END,"
        " d.unit_of_measure, d.direction, d.band_lo, d.band_hi, v.value, v.state, v.origin,"
        " v.source, coalesce(v.version, 0), pv.value,"
        " CASE WHEN d.formula IS NOT NULL THEN 0 WHEN v.state = 'approved' THEN 0"
        "  WHEN v.state = 'submitted' THEN 0 WHEN v.origin IS NOT NULL AND v.origin <> 'reported'"
        "  THEN 0 ELSE 1 END, d.team"
        " FROM framework_node n JOIN indicator d ON d.code = n.code"
        " LEFT JOIN framework_node g ON g.framework = n.framework AND g.code = n.parent"
        " LEFT JOIN value v ON v.unit = ?2 AND v.indicator = d.code AND v.period = ?3"
        " LEFT JOIN value pv ON pv.unit = ?2 AND pv.indicator = d.code AND pv.period = ?4"
        " WHERE n.framework = ?1 AND n.kind = 'indicator'"
        " ORDER BY g.position, g.code, n.position, n.code",
        p, 5, cols, 15, num);
    if (rc == GF_OK)
        gf_result_msg(c, "%s %s 填报表(体系 %s,对比上期 %s)", "form of %s for %s (framework %s, against %s)",
                      unit, period, fw, prev);
    return rc;
}

static int op_set(struct gf_call *c)
{
    const char *unit = gf_arg(c, "unit"), *ind = gf_arg(c, "indicator");
    const char *period = gf_arg(c, "period");
    int rc = gf_need_unit(c, "unit", unit);
    if (rc)
        return rc;
    if (!team_owns(c, ind))
        return gf_err_set(&c->err, GF_EFORBIDDEN,
                          "%s reports for team %s, which is not responsible for indicator %s",
                          c->cx->actor.name, c->cx->actor.team, ind);
    int64_t version, want = c->if_version ? strtoll(c->if_version, NULL, 10) : -1;
    rc = gf_value_set(c->cx->db, c->cx->actor.name, unit, ind, period, gf_arg_num(c, "value", NAN),
                      gf_arg(c, "source"), want, &version, &c->err);
    if (rc)
        return rc;
    c->res.version = version;
    gf_result_msg(c, "已保存 %s/%s/%s = %s(草稿)", "saved %s/%s/%s = %s (draft)", unit, ind,
                  period, gf_arg(c, "value"));
    return GF_OK;
}

enum move { SUBMIT, APPROVE, RETURN, UNLOCK };

static int do_move(struct gf_call *c, enum move m)
{
    const char *unit = gf_arg(c, "unit"), *period = gf_arg(c, "period");
    const char *ind = gf_arg(c, "indicator"), *reason = gf_arg(c, "reason");
    int under = gf_arg_flag(c, "under");
    int rc = gf_need_unit(c, "unit", unit);
    if (rc)
        return rc;
    const struct gf_units *u = gf_ctx_units(c->cx, &c->err);
    if (m != SUBMIT && !gf_scope_below(&c->cx->actor, u, unit))
        return gf_err_set(&c->err, GF_EFORBIDDEN,
                          "%s approves the units strictly below %s, not %s itself (approval comes "
                          "from the level above)",
                          c->cx->actor.name, c->cx->actor.scope, unit);
    if (m == SUBMIT && ind && !team_owns(c, ind))
        return gf_err_set(&c->err, GF_EFORBIDDEN,
                          "%s reports for team %s, which is not responsible for indicator %s",
                          c->cx->actor.name, c->cx->actor.team, ind);
    if (m == SUBMIT && !ind && c->cx->actor.role == GF_ROLE_TEAM)
        return gf_err_at(&c->err, NULL, 0, "indicator", NULL,
                         "the indicator to submit (a team reporter submits its own indicators)");
    long moved = 0;
    const char *actor = c->cx->actor.name;
    struct gf_db *db = c->cx->db;
    switch (m) {
    case SUBMIT:
        rc = gf_values_set_state(db, actor, unit, under, ind, period, "submitted", &moved, &c->err);
        break;
    case APPROVE:
        rc = gf_values_set_state(db, actor, unit, under, ind, period, "approved", &moved, &c->err);
        break;
    case RETURN:
        rc = gf_values_return(db, actor, unit, under, ind, period, reason, &moved, &c->err);
        break;
    case UNLOCK:
        rc = gf_values_unlock(db, actor, unit, under, ind, period, reason, &moved, &c->err);
        break;
    }
    if (rc)
        return rc;
    static const char *const zh[] = {"%ld 条数据已报送", "%ld 条数据已审核通过",
                                     "%ld 条数据已退回填报人", "%ld 条已审核数据已解锁"};
    static const char *const en[] = {"%ld values submitted", "%ld values approved",
                                     "%ld values returned to the reporter",
                                     "%ld approved values unlocked"};
    gf_result_msg(c, zh[m], en[m], moved);
    static const struct gf_column cols[] = {{"values", "条数", "values"}};
    struct gf_table *t = gf_table_new(cols, 1);
    gf_table_row(t);
    gf_table_int(t, 0, moved);
    gf_result_record(c, "summary", "结果", "summary", t);
    return GF_OK;
}

static int op_submit(struct gf_call *c)
{
    return do_move(c, SUBMIT);
}

static int op_approve(struct gf_call *c)
{
    return do_move(c, APPROVE);
}

static int op_return(struct gf_call *c)
{
    return do_move(c, RETURN);
}

static int op_unlock(struct gf_call *c)
{
    return do_move(c, UNLOCK);
}

/* What waits for the actor's approval: submitted values of the units strictly below its scope,
 * by unit and period. */
static int op_queue(struct gf_call *c)
{
    const struct gf_units *u = gf_ctx_units(c->cx, &c->err);
    if (!u)
        return c->err.code;
    const char *scope = c->cx->actor.scope[0] ? c->cx->actor.scope : NULL, *unit = gf_arg(c, "unit");
    if (unit) {
        int rc = gf_need_unit(c, "unit", unit);
        if (rc)
            return rc;
        scope = unit;
    }
    char *list = NULL;
    if (scope && !(list = gf_unit_list(u, scope, 1)))
        return gf_err_set(&c->err, GF_ENOMEM, "out of memory");
    /* strictly below: the scope unit itself is approved from the level above it */
    const char *own = c->cx->actor.scope[0] ? c->cx->actor.scope : NULL;
    /* one row a value, with last period's beside it: the approver judges each number */
    static const struct gf_column cols[] = {
        {"unit", "单位代码", "unit"},
        {"unit_name", "单位", "unit name"},
        {"indicator", "指标代码", "indicator"},
        {"indicator_name", "指标", "indicator name"},
        {"period", "期别", "period"},
        {"value", "报送值", "value"},
        {"previous", "上期数值", "previous"},
        {"unit_of_measure", "计量单位", "unit of measure"},
        {"submitted_by", "报送人", "submitted by"},
        {"submitted_at", "报送时间", "submitted at"},
        {"version", "版本", "version"},
    };
    static const char *const num[] = {"value", "previous", "version", NULL};
    const char *p[] = {list, own, gf_arg(c, "period"), c->cx->lang};
    int rc = gf_result_query(
        c, "approvals", "待审核", "awaiting approval",
        "SELECT v.unit, CASE WHEN ?4 = 'en' THEN coalesce(u.name_en, u.name) ELSE u.name END,"
        " v.indicator, CASE WHEN ?4 = 'en' THEN coalesce(d.name_en, d.name) ELSE d.name END,"
        " v.period, v.value,"
        " (SELECT pv.value FROM value pv JOIN period pp ON pp.code = pv.period"
        "   JOIN period cp ON cp.code = v.period WHERE pv.unit = v.unit"
        "   AND pv.indicator = v.indicator AND pp.kind = cp.kind AND pp.start_date < cp.start_date"
        "   ORDER BY pp.start_date DESC LIMIT 1),"
        " d.unit_of_measure, v.submitted_by, v.submitted_at, v.version"
        " FROM value v JOIN unit u ON u.code = v.unit JOIN indicator d ON d.code = v.indicator"
        " WHERE v.state = 'submitted' AND v.origin = 'reported'"
        " AND (?1 IS NULL OR instr(?1, ',' || v.unit || ',') > 0)"
        " AND (?2 IS NULL OR v.unit <> ?2) AND (?3 IS NULL OR v.period = ?3)"
        " ORDER BY u.level, v.unit, v.period, v.indicator",
        p, 4, cols, 11, num);
    free(list);
    return rc;
}

static int op_rollup(struct gf_call *c)
{
    struct gf_rollup_stats s;
    int rc = gf_values_rollup(c->cx->db, c->cx->actor.name, gf_arg(c, "period"), &s, &c->err);
    if (rc == GF_OK)
        gf_result_msg(c, "汇总完成: 写入 %ld, 未变 %ld, 移除 %ld",
                      "rollup done: %ld written, %ld unchanged, %ld removed", s.written,
                      s.unchanged, s.removed);
    return rc;
}

static const char *const origins[] = {"reported", "computed", "rollup", "derived", NULL};
static const char *const states[] = {"draft", "submitted", "approved", NULL};

/* A threshold indicator at a unit: how many of the lowest units under it meet the condition, and
 * which do not yet (with the value the condition tests) or have not been tested (no value). */
static int op_threshold(struct gf_call *c)
{
    const char *ind = gf_arg(c, "indicator"), *period = gf_arg(c, "period"), *unit;
    int rc = gf_scope_filter(c, "unit", gf_arg(c, "unit"), &unit);
    if (rc)
        return rc;
    const struct gf_units *u = gf_ctx_units(c->cx, &c->err);
    if (!u)
        return c->err.code;
    if (!unit && u->n)
        unit = u->unit[0].code;
    struct gf_stmt *st;
    if ((rc = gf_db_prepare(c->cx->db,
                            "SELECT threshold, formula, CASE WHEN ? = 'en' THEN coalesce(name_en, name)"
                            " ELSE name END FROM indicator WHERE code = ?",
                            &st, &c->err)))
        return rc;
    gf_stmt_bind_text(st, 1, c->cx->lang);
    gf_stmt_bind_text(st, 2, ind);
    char kind[16] = "", formula[512] = "", name[256] = "";
    if (gf_stmt_step(st, NULL) == 1 && !gf_stmt_is_null(st, 0)) {
        snprintf(kind, sizeof kind, "%s", gf_stmt_text(st, 0));
        snprintf(formula, sizeof formula, "%s", gf_stmt_text(st, 1));
        snprintf(name, sizeof name, "%s", gf_stmt_text(st, 2));
    }
    gf_stmt_finalize(st);
    if (!kind[0]) {
        gf_err_at(&c->err, NULL, 0, "indicator", ind, "a threshold indicator (threshold count or share)");
        return c->err.code = GF_ENOTFOUND;
    }
    /* the value the condition tests: its first indicator */
    char first[72] = "";
    sscanf(formula, " %71[A-Za-z0-9_]", first);
    char *list = gf_unit_list(u, unit, 1);
    if (!list)
        return gf_err_set(&c->err, GF_ENOMEM, "out of memory");
    static const struct gf_column cols[] = {
        {"unit", "单位代码", "unit"},       {"unit_name", "单位", "unit name"},
        {"parent_name", "上级", "parent"},  {"value", "检验值", "tested value"},
        {"met", "是否达到", "met"},
    };
    static const char *const num[] = {"value", "met", NULL};
    const char *p[] = {list, ind, period, first, c->cx->lang};
    rc = gf_result_query(
        c, "under", "尚未达到的单位", "units not meeting it",
        "SELECT x.code, CASE WHEN ?5 = 'en' THEN coalesce(x.name_en, x.name) ELSE x.name END,"
        " CASE WHEN ?5 = 'en' THEN coalesce(pu.name_en, pu.name) ELSE pu.name END, s.value, t.value"
        " FROM unit x LEFT JOIN unit pu ON pu.code = x.parent"
        " LEFT JOIN value t ON t.unit = x.code AND t.indicator = ?2 AND t.period = ?3"
        " LEFT JOIN value s ON s.unit = x.code AND s.indicator = ?4 AND s.period = ?3"
        " WHERE instr(?1, ',' || x.code || ',') > 0"
        " AND NOT EXISTS (SELECT 1 FROM unit ch WHERE ch.parent = x.code)"
        " AND (t.value IS NULL OR t.value = 0)"
        " ORDER BY t.value IS NULL, s.value DESC, x.code",
        p, 5, cols, 5, num);
    free(list);
    if (rc)
        return rc;
    const struct gf_table *under = c->res.sec[c->res.nsec - 1].t;
    int untested = 0;
    for (int i = 0; i < gf_table_rows(under); i++)
        untested += gf_table_cell_missing(under, i, 4);
    int a = gf_units_find(u, unit), leaves = 0;
    for (int b = a; a >= 0 && b < a + u->unit[a].subtree_size; b++)
        leaves += u->unit[b].subtree_size == 1;
    int notmet = gf_table_rows(under) - untested, met = leaves - gf_table_rows(under);
    static const struct gf_column scols[] = {
        {"unit", "单位代码", "unit"},         {"indicator", "指标代码", "indicator"},
        {"name", "指标", "indicator name"},  {"condition", "条件", "condition"},
        {"period", "期别", "period"},         {"units", "基层单位数", "lowest units"},
        {"met", "已达到", "meeting it"},      {"not_met", "未达到", "not meeting it"},
        {"untested", "无数据", "no data"},    {"share", "达到比例%", "share %"},
    };
    struct gf_table *t = gf_table_new(scols, 10);
    gf_table_row(t);
    gf_table_text(t, 0, unit);
    gf_table_text(t, 1, ind);
    gf_table_text(t, 2, name);
    gf_table_text(t, 3, formula);
    gf_table_text(t, 4, period);
    gf_table_int(t, 5, leaves);
    gf_table_int(t, 6, met);
    gf_table_int(t, 7, notmet);
    gf_table_int(t, 8, untested);
    gf_table_num(t, 9, leaves ? round(1000.0 * met / leaves) / 10 : NAN, 1);
    gf_result_record(c, "summary", "达标情况", "summary", t);
    /* the summary first */
    struct gf_section tmp = c->res.sec[c->res.nsec - 1];
    c->res.sec[c->res.nsec - 1] = c->res.sec[c->res.nsec - 2];
    c->res.sec[c->res.nsec - 2] = tmp;
    gf_result_msg(c, "%s %s:%d 个基层单位中 %d 个达到(%s),%d 个未达到,%d 个无数据",
                  "%s %s: of %d lowest units, %d meet it (%s), %d do not, %d have no data", unit,
                  period, leaves, met, formula, notmet, untested);
    return GF_OK;
}

static const struct gf_param p_list[] = {
    {"unit", GF_PT_CODE, 0, NULL, "单位(默认本人范围)", "unit (default: the user's scope)"},
    {"under", GF_PT_BOOL, 0, NULL, "含下级单位", "with the units under it"},
    {"indicator", GF_PT_CODE, 0, NULL, "指标", "indicator"},
    {"period", GF_PT_PERIOD, 0, NULL, "期别", "period"},
    {"framework", GF_PT_CODE, 0, NULL, "指标体系", "framework"},
    {"origin", GF_PT_ENUM, 0, origins, "来源类型", "origin"},
    {"state", GF_PT_ENUM, 0, states, "状态", "state"},
    {NULL}};
static const struct gf_param p_form[] = {
    {"unit", GF_PT_CODE, GF_PF_REQUIRED, NULL, "单位", "unit"},
    {"period", GF_PT_PERIOD, GF_PF_REQUIRED, NULL, "期别", "period"},
    {"framework", GF_PT_CODE, 0, NULL, "指标体系(默认第一个)", "framework (default: the first)"},
    {NULL}};
static const struct gf_param p_set[] = {
    {"unit", GF_PT_CODE, GF_PF_KEY | GF_PF_REQUIRED, NULL, "单位", "unit"},
    {"indicator", GF_PT_CODE, GF_PF_KEY | GF_PF_REQUIRED, NULL, "指标", "indicator"},
    {"period", GF_PT_PERIOD, GF_PF_KEY | GF_PF_REQUIRED, NULL, "期别", "period"},
    {"value", GF_PT_NUM, GF_PF_REQUIRED, NULL, "数值", "value"},
    {"source", GF_PT_TEXT, 0, NULL, "数据来源", "source"},
    {NULL}};
#define P_MOVE                                                                                     \
    {"unit", GF_PT_CODE, GF_PF_REQUIRED, NULL, "单位", "unit"},                                    \
        {"period", GF_PT_PERIOD, GF_PF_REQUIRED, NULL, "期别", "period"},                         \
        {"under", GF_PT_BOOL, 0, NULL, "含下级单位", "with the units under it"},                   \
        {"indicator", GF_PT_CODE, 0, NULL, "只此指标", "this indicator only"}
static const struct gf_param p_move[] = {P_MOVE, {NULL}};
static const struct gf_param p_reason[] = {
    P_MOVE, {"reason", GF_PT_TEXT, GF_PF_REQUIRED, NULL, "原因(记入审计)", "reason (audited)"},
    {NULL}};
static const struct gf_param p_queue[] = {
    {"unit", GF_PT_CODE, 0, NULL, "单位(默认本人范围)", "unit (default: the user's scope)"},
    {"period", GF_PT_PERIOD, 0, NULL, "期别", "period"},
    {NULL}};
static const struct gf_param p_threshold[] = {
    {"indicator", GF_PT_CODE, GF_PF_REQUIRED, NULL, "门槛指标代码", "threshold indicator"},
    {"period", GF_PT_PERIOD, GF_PF_REQUIRED, NULL, "期别", "period"},
    {"unit", GF_PT_CODE, 0, NULL, "单位(默认本人范围或全区)", "unit (default: one's scope or the zone)"},
    {NULL}};
static const struct gf_param p_rollup[] = {
    {"period", GF_PT_PERIOD, 0, NULL, "期别(默认全部)", "period (default: all)"}, {NULL}};

const struct gf_op gf_ops_values[] = {
    {"values.list", GF_OP_READ, "GET", "/api/values", GF_PERM_VALUES_READ, 0, p_list, op_list,
     "列出指标数据", "list indicator values"},
    {"values.form", GF_OP_READ, "GET", "/api/values/form", GF_PERM_VALUES_READ, 0, p_form, op_form,
     "一个单位一期的填报表", "the data-entry form of a unit and period"},
    {"values.set", GF_OP_WRITE, "PUT", "/api/values/{unit}/{indicator}/{period}",
     GF_PERM_VALUES_WRITE, 0, p_set, op_set, "填报一个指标数值(草稿)",
     "enter one indicator value (draft)"},
    {"values.submit", GF_OP_WRITE, "POST", "/api/values/submit", GF_PERM_VALUES_SUBMIT, 0, p_move,
     op_submit, "报送", "submit values"},
    {"values.queue", GF_OP_READ, "GET", "/api/approvals", GF_PERM_VALUES_APPROVE, 0, p_queue,
     op_queue, "待审核的报送", "submissions awaiting approval"},
    {"values.approve", GF_OP_WRITE, "POST", "/api/values/approve", GF_PERM_VALUES_APPROVE, 0,
     p_move, op_approve, "审核通过(报送人不能审核自己的报送)",
     "approve values (never one's own submission)"},
    {"values.return", GF_OP_WRITE, "POST", "/api/values/return", GF_PERM_VALUES_APPROVE, 0,
     p_reason, op_return, "退回修改(说明原因)", "return values to the reporter, with the reason"},
    {"values.unlock", GF_OP_WRITE, "POST", "/api/values/unlock", GF_PERM_VALUES_APPROVE, 0,
     p_reason, op_unlock, "解锁已审核的数据(说明原因)", "unlock approved values, with the reason"},
    {"values.threshold", GF_OP_READ, "GET", "/api/thresholds", GF_PERM_VALUES_READ, 0, p_threshold,
     op_threshold, "门槛指标:多少基层单位达到条件、哪些尚未达到",
     "a threshold indicator: how many lowest units meet it, and which do not yet"},
    {"values.rollup", GF_OP_WRITE, "POST", "/api/values/rollup", GF_PERM_EVAL_RUN, 0, p_rollup,
     op_rollup, "逐级汇总并计算派生指标", "roll values up the hierarchy and compute formulas"},
    {NULL},
};
