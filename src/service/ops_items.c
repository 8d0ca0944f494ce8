/* ops_items.c — the four lists (四张清单): `gongfu items …`, /api/items.
 *
 * Who: every role but the public reads the items within its reach (lists_reach.h: an actor
 * scoped to a unit, the items lying in that unit or below it; a team reporter, the items its team
 * leads or joins); the coordination centre, the administrator and team reporters report progress
 * on the items they reach.  Importing items stays with the import machinery (`items import`). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/actor.h"
#include "domain/audit.h"
#include "domain/lists.h"
#include "service/lists_reach.h"
#include "service/service.h"

static const struct gf_code_label status_labels[] = {
    {"planned", "计划", "planned"},       {"active", "推进中", "active"},
    {"done", "已完成", "done"},           {"suspended", "暂停", "suspended"},
    {"cancelled", "已取消", "cancelled"}, {NULL}};
static const struct gf_code_label milestone_labels[] = {{"land", "拿地", "land"},
                                                        {"start", "开工", "start of works"},
                                                        {"complete", "竣工", "completion"},
                                                        {"produce", "投产", "start of production"},
                                                        {NULL}};
static const struct gf_code_label problem_status_labels[] = {{"open", "待整改", "open"},
                                                             {"rectified", "待核验", "rectified"},
                                                             {"closed", "已销号", "closed"},
                                                             {NULL}};

/* The latest percent reported for item i. */
#define LATEST_PERCENT                                                                             \
    "(SELECT p.percent FROM progress p WHERE p.item = i.code ORDER BY p.report_date DESC LIMIT 1)"
/* A name in the context's language (?L is the language), from table t by code. */
#define NAME_OF(t, code, L)                                                                        \
    "(SELECT CASE WHEN " L " = 'en' THEN coalesce(x.name_en, x.name) ELSE x.name END FROM " t      \
    " x WHERE x.code = " code ")"

static int op_list(struct gf_call *c)
{
    const char *unit = gf_arg(c, "unit");
    int rc, under = -1;
    const struct gf_units *u = NULL;
    if (unit) {
        if ((rc = gf_need_unit(c, "unit", unit)))
            return rc;
        u = gf_ctx_units(c->cx, &c->err);
        under = gf_units_find(u, unit);
    }
    const struct gf_actor *a = &c->cx->actor;
    struct gf_stmt *st;
    /* clang-format off */
    rc = gf_db_prepare(
        c->cx->db,
        "SELECT i.code, i.title, i.kind,"
        " CASE WHEN ?5 = 'en' THEN coalesce(k.name_en, k.name) ELSE k.name END,"
        " i.lead_unit, i.owner, i.team, i.unit, i.start_date, i.due_date, i.status, " LATEST_PERCENT
        ", i.invest_planned, i.invest_done, i.funds_requested, i.funds_secured, i.synthetic, "
        GF_ITEM_PLACE_SQL ", " GF_ITEM_TEAM_SQL("?6")
        " FROM list_item i JOIN list_kind k ON k.code = i.kind"
        " WHERE (?1 IS NULL OR i.kind = ?1) AND (?2 IS NULL OR i.team = ?2)"
        " AND (?3 IS NULL OR i.status = ?3) AND (?4 IS NULL OR i.lead_unit = ?4)"
        " ORDER BY i.code",
        &st, &c->err);
    /* clang-format on */
    if (rc)
        return rc;
    const char *p[] = {gf_arg(c, "kind"),   gf_arg(c, "team"),
                       gf_arg(c, "status"), gf_arg(c, "lead_unit"),
                       c->cx->lang,         a->role == GF_ROLE_TEAM ? a->team : NULL};
    for (int i = 0; i < 6; i++)
        gf_stmt_bind_text(st, i + 1, p[i]);
    static const struct gf_column cols[] = {
        {"code", "代码", "code"},
        {"title", "事项", "title"},
        {"kind", "类别代码", "kind"},
        {"kind_name", "类别", "kind name"},
        {"lead_unit", "牵头单位", "lead unit"},
        {"owner", "责任人", "responsible"},
        {"team", "专班", "team"},
        {"unit", "属地", "unit"},
        {"start", "开始", "start"},
        {"due", "完成时限", "due"},
        {"status", "状态", "status", status_labels},
        {"percent", "进度%", "progress %"},
        {"invest_planned", "计划投资(万元)", "planned investment"},
        {"invest_done", "完成投资(万元)", "completed investment"},
        {"funds_requested", "申请资金(万元)", "funds requested"},
        {"funds_secured", "到位资金(万元)", "funds secured"},
        {"synthetic", "合成数据", "synthetic"},
    };
    struct gf_table *t = gf_table_new(cols, 17);
    while ((rc = gf_stmt_step(st, &c->err)) == 1) {
        const char *place = gf_stmt_text(st, 17);
        if (!gf_lists_reach(c, place, gf_stmt_int(st, 18) != 0))
            continue;
        if (unit) { /* items lying in the unit or below it */
            int k = place ? gf_units_find(u, place) : -1;
            if (k < 0 || !gf_units_within(u, k, under))
                continue;
        }
        gf_table_row(t);
        for (int j = 0; j <= 10; j++)
            gf_table_text(t, j, gf_stmt_text(st, j));
        for (int j = 11; j <= 15; j++)
            gf_table_num(t, j, gf_stmt_double(st, j), j == 11 ? 0 : 1);
        gf_table_int(t, 16, gf_stmt_int(st, 16));
    }
    gf_stmt_finalize(st);
    if (rc < 0) {
        gf_table_free(t);
        return rc;
    }
    gf_result_table(c, "items", "事项", "items", t);
    return GF_OK;
}

/* The first column of a one-parameter query joined with ';'. */
static void joined(struct gf_db *db, const char *sql, const char *param, char *out, size_t cap)
{
    struct gf_stmt *st;
    size_t o = 0;
    out[0] = 0;
    if (gf_db_prepare(db, sql, &st, NULL))
        return;
    gf_stmt_bind_text(st, 1, param);
    while (gf_stmt_step(st, NULL) == 1 && o < cap)
        o += (size_t)snprintf(out + o, cap - o, "%s%s", o ? ";" : "", gf_stmt_text(st, 0));
    gf_stmt_finalize(st);
}

/* One item: the responsibility chain, dates, money (a record), then its milestones, progress
 * history and problems. */
static int op_show(struct gf_call *c)
{
    const char *code = gf_arg(c, "code");
    int rc = gf_lists_need_item(c, "code", code);
    if (rc)
        return rc;
    struct gf_db *db = c->cx->db;
    struct gf_stmt *st;
    /* clang-format off */
    rc = gf_db_prepare(
        db,
        "SELECT i.code, i.title, i.description, i.kind,"
        " CASE WHEN ?2 = 'en' THEN coalesce(k.name_en, k.name) ELSE k.name END, i.list,"
        " i.leader, (SELECT name FROM person WHERE code = i.leader), i.lead_unit,"
        " coalesce(" NAME_OF("department", "i.lead_unit", "?2") ", " NAME_OF("unit", "i.lead_unit", "?2") "),"
        " i.owner, (SELECT name FROM person WHERE code = i.owner), NULL,"
        " i.team, " NAME_OF("team", "i.team", "?2") ", i.unit, " NAME_OF("unit", "i.unit", "?2") ","
        " NULL, i.start_date, i.due_date, i.status, i.completed_date, " LATEST_PERCENT ","
        " i.invest_planned, i.invest_done, i.funds_requested, i.funds_secured, i.synthetic, i.note"
        " FROM list_item i JOIN list_kind k ON k.code = i.kind WHERE i.code = ?1",
        &st, &c->err);
    /* clang-format on */
    if (rc)
        return rc;
    gf_stmt_bind_text(st, 1, code);
    gf_stmt_bind_text(st, 2, c->cx->lang);
    if ((rc = gf_stmt_step(st, &c->err)) != 1) {
        gf_stmt_finalize(st);
        return rc < 0 ? rc : gf_err_set(&c->err, GF_ENOTFOUND, "list item %s vanished", code);
    }
    static const struct gf_column cols[] = {
        {"code", "代码", "code"},
        {"title", "事项", "title"},
        {"description", "说明", "description"},
        {"kind", "类别代码", "kind"},
        {"kind_name", "类别", "kind name"},
        {"list", "所属清单", "list"},
        {"leader", "责任领导", "responsible leader"},
        {"leader_name", "责任领导姓名", "leader's name"},
        {"lead_unit", "牵头单位", "lead unit"},
        {"lead_unit_name", "牵头单位名称", "lead unit's name"},
        {"owner", "具体责任人", "responsible person"},
        {"owner_name", "责任人姓名", "responsible person's name"},
        {"cooperating", "配合单位", "cooperating units"},
        {"team", "专班", "team"},
        {"team_name", "专班名称", "team's name"},
        {"unit", "属地单位", "unit"},
        {"unit_name", "属地单位名称", "unit's name"},
        {"indicators", "关联指标", "indicators"},
        {"start", "开始日期", "start"},
        {"due", "完成时限", "due"},
        {"status", "状态", "status", status_labels},
        {"completed", "完成日期", "completed"},
        {"percent", "进度%", "progress %"},
        {"invest_planned", "计划投资(万元)", "planned investment (10k yuan)"},
        {"invest_done", "完成投资(万元)", "completed investment (10k yuan)"},
        {"funds_requested", "申请资金(万元)", "funds requested (10k yuan)"},
        {"funds_secured", "到位资金(万元)", "funds secured (10k yuan)"},
        {"synthetic", "合成数据", "synthetic"},
        {"note", "备注", "note"},
    };
    enum {
        NCOLS = sizeof cols / sizeof cols[0],
        COOP = 12,
        INDICATORS = 17,
        PERCENT = 22,
        SYNTH = 27
    };
    char coop[1024], inds[1024];
    joined(db, "SELECT party FROM list_item_coop WHERE item = ? ORDER BY party", code, coop,
           sizeof coop);
    joined(db, "SELECT indicator FROM list_item_indicator WHERE item = ? ORDER BY indicator", code,
           inds, sizeof inds);
    struct gf_table *t = gf_table_new(cols, NCOLS);
    gf_table_row(t);
    for (int j = 0; j < NCOLS; j++) {
        if (j == COOP || j == INDICATORS) {
            const char *v = j == COOP ? coop : inds;
            gf_table_text(t, j, v[0] ? v : NULL);
        } else if (j == SYNTH)
            gf_table_int(t, j, gf_stmt_int(st, j));
        else if (j >= PERCENT && j < SYNTH)
            gf_table_num(t, j, gf_stmt_double(st, j), j == PERCENT ? 0 : 1);
        else
            gf_table_text(t, j, gf_stmt_text(st, j));
    }
    gf_stmt_finalize(st);
    gf_result_record(c, "item", "事项", "item", t);

    char today[32];
    const char *p[] = {code, gf_today(today)};
    static const struct gf_column mcols[] = {
        {"milestone", "节点", "milestone", milestone_labels},
        {"planned", "计划日期", "planned"},
        {"done", "实际日期", "reached"},
        {"overdue", "逾期", "overdue"},
    };
    static const char *const mnum[] = {"overdue", NULL};
    if ((rc = gf_result_query(c, "milestones", "节点", "milestones",
                              "SELECT code, planned_date, actual_date,"
                              " actual_date IS NULL AND planned_date < ?2 FROM milestone"
                              " WHERE item = ?1 ORDER BY CASE code WHEN 'land' THEN 1"
                              " WHEN 'start' THEN 2 WHEN 'complete' THEN 3 ELSE 4 END",
                              p, 2, mcols, 4, mnum)))
        return rc;
    static const struct gf_column pcols[] = {
        {"date", "报告日期", "date"},
        {"percent", "进度%", "progress %"},
        {"text", "进展情况", "text"},
        {"invest_done", "完成投资(万元)", "completed investment"},
        {"funds_secured", "到位资金(万元)", "funds secured"},
        {"reported_by", "报告人", "reported by"},
    };
    static const char *const pnum[] = {"percent", "invest_done", "funds_secured", NULL};
    if ((rc = gf_result_query(c, "progress", "进度", "progress",
                              "SELECT report_date, percent, text, invest_done, funds_secured,"
                              " reported_by FROM progress WHERE item = ?1 ORDER BY report_date",
                              p, 1, pcols, 6, pnum)))
        return rc;
    static const struct gf_column qcols[] = {
        {"id", "编号", "id"},
        {"title", "问题", "problem"},
        {"severity", "严重程度", "severity"},
        {"owner", "整改责任人", "owner"},
        {"deadline", "整改时限", "deadline"},
        {"status", "状态", "status", problem_status_labels},
    };
    static const char *const qnum[] = {"id", NULL};
    return gf_result_query(c, "problems", "问题", "problems",
                           "SELECT id, title, severity, owner, deadline, status FROM problem"
                           " WHERE item = ?1 ORDER BY id",
                           p, 1, qcols, 6, qnum);
}

/* What is late as of a date: overdue items and milestones, stalled items, problems past their
 * deadline, investment behind plan — of the items and problems within reach. */
static int op_flags(struct gf_call *c)
{
    long long stalled = gf_arg_int(c, "stalled_days", 60);
    if (stalled < 1 || stalled > 3650)
        return gf_err_at(&c->err, NULL, 0, "stalled_days", gf_arg(c, "stalled_days"),
                         "a number of days from 1 to 3650");
    struct gf_flags fl;
    int rc = gf_flags_collect(c->cx->db, gf_arg(c, "as_of"), (int)stalled, &fl, &c->err);
    if (rc)
        return rc;
    struct gf_stmt *title = NULL;
    if ((rc = gf_db_prepare(c->cx->db, "SELECT title FROM list_item WHERE code = ?", &title,
                            &c->err))) {
        gf_flags_free(&fl);
        return rc;
    }
    static const struct gf_column cols[] = {
        {"flag", "预警", "flag", gf_flag_labels},
        {"item", "事项", "item"},
        {"title", "事项名称", "title"},
        {"subject", "节点/问题", "milestone/problem"},
        {"date", "日期", "date"},
        {"days", "天数", "days"},
        {"done", "完成投资(万元)", "done"},
        {"plan", "计划进度投资(万元)", "plan to date"},
    };
    struct gf_table *t = gf_table_new(cols, 8);
    for (int i = 0; i < fl.n; i++) {
        const struct gf_flag *f = &fl.f[i];
        int visible = f->kind == GF_FLAG_PROBLEM_OVERDUE
                          ? gf_lists_problem_visible(c, strtoll(f->subject, NULL, 10))
                          : gf_lists_item_visible(c, f->item);
        if (!visible)
            continue;
        gf_table_row(t);
        gf_table_text(t, 0, gf_flag_labels[f->kind].code);
        gf_table_text(t, 1, f->item[0] ? f->item : NULL);
        if (f->item[0]) {
            gf_stmt_reset(title);
            gf_stmt_bind_text(title, 1, f->item);
            if (gf_stmt_step(title, NULL) == 1)
                gf_table_text(t, 2, gf_stmt_text(title, 0));
        }
        gf_table_text(t, 3, f->subject[0] ? f->subject : NULL);
        gf_table_text(t, 4, f->date);
        if (f->kind != GF_FLAG_INVEST_BEHIND)
            gf_table_int(t, 5, f->days);
        gf_table_num(t, 6, f->value, 1);
        gf_table_num(t, 7, f->plan, 1);
    }
    gf_stmt_finalize(title);
    gf_flags_free(&fl);
    gf_result_table(c, "flags", "预警", "flags", t);
    return GF_OK;
}

static int op_progress(struct gf_call *c)
{
    const char *code = gf_arg(c, "code");
    int rc = gf_lists_need_item(c, "code", code);
    if (rc)
        return rc;
    /* the reporter: the person named, else the acting user's person */
    char person[GF_PERSON_MAX];
    const char *by = gf_arg(c, "by");
    if (!by) {
        if ((rc = gf_actor_person(c->cx->db, c->cx->actor.name, person, &c->err)))
            return rc;
        by = person;
    }
    struct gf_progress p = {
        .item = code,
        .date = gf_arg(c, "date"),
        .percent = gf_arg_num(c, "percent", NAN),
        .text = gf_arg(c, "text"),
        .invest_done = gf_arg_num(c, "invest", NAN),
        .funds_secured = gf_arg_num(c, "funds", NAN),
        .by = by,
        .milestone = gf_arg(c, "milestone"),
        .milestone_date = gf_arg(c, "milestone_date"),
    };
    int changed = 0;
    if ((rc = gf_progress_add(c->cx->db, c->cx->actor.name, &p, NULL, 0, &changed, &c->err)))
        return rc;
    gf_result_msg(c, "%s: 进度已记录 (%s)", "%s: progress recorded (%s)", code,
                  changed ? GF_L(c->cx, "已写入", "written") : GF_L(c->cx, "未变", "unchanged"));
    return GF_OK;
}

static const char *const item_states[] = {"planned",   "active",    "done",
                                          "suspended", "cancelled", NULL};
static const char *const milestones[] = {"land", "start", "complete", "produce", NULL};

static const struct gf_param p_list[] = {
    {"kind", GF_PT_CODE, 0, NULL, "清单类别", "list kind"},
    {"unit", GF_PT_CODE, 0, NULL, "属地单位(含下级)", "unit the items lie in (or below it)"},
    {"team", GF_PT_CODE, 0, NULL, "责任专班", "responsible team"},
    {"status", GF_PT_ENUM, 0, item_states, "状态", "status"},
    {"lead_unit", GF_PT_CODE, 0, NULL, "牵头单位(部门或单位代码)",
     "lead unit (department or unit)"},
    {NULL}};
static const struct gf_param p_show[] = {
    {"code", GF_PT_CODE, GF_PF_KEY | GF_PF_REQUIRED, NULL, "事项代码", "item code"}, {NULL}};
static const struct gf_param p_flags[] = {
    {"as_of", GF_PT_DATE, 0, NULL, "截至日期(默认今天)", "as of date (default: today)"},
    {"stalled_days", GF_PT_INT, 0, NULL, "多少天无进度算停滞(默认 60)",
     "days without progress that make an item stalled (default 60)"},
    {NULL}};
static const struct gf_param p_progress[] = {
    {"code", GF_PT_CODE, GF_PF_KEY | GF_PF_REQUIRED, NULL, "事项代码", "item code"},
    {"percent", GF_PT_NUM, GF_PF_REQUIRED, NULL, "进度 0–100(100 即办结)",
     "percent done, 0–100 (100 closes the item)"},
    {"date", GF_PT_DATE, 0, NULL, "报告日期(默认今天)", "report date (default: today)"},
    {"text", GF_PT_TEXT, 0, NULL, "进展情况", "what was done"},
    {"invest", GF_PT_NUM, 0, NULL, "累计完成投资(万元)", "completed investment to date (10k yuan)"},
    {"funds", GF_PT_NUM, 0, NULL, "累计到位资金(万元)", "funds secured to date (10k yuan)"},
    {"by", GF_PT_CODE, 0, NULL, "报告人(人员代码,默认当前用户)",
     "reporter (person code, default: the acting user)"},
    {"milestone", GF_PT_ENUM, 0, milestones, "达到的节点", "milestone reached"},
    {"milestone_date", GF_PT_DATE, 0, NULL, "节点日期(默认报告日期)",
     "when the milestone was reached (default: the report date)"},
    {NULL}};

const struct gf_op gf_ops_items[] = {
    {"items.list", GF_OP_READ, "GET", "/api/items", GF_PERM_ITEMS_READ, 0, p_list, op_list,
     "列出清单事项(含最新进度)", "list items of the four lists with their latest progress"},
    /* before items.show: /api/items/flags is not an item */
    {"items.flags", GF_OP_READ, "GET", "/api/items/flags", GF_PERM_ITEMS_READ, 0, p_flags, op_flags,
     "预警:事项逾期、节点逾期、进度停滞、问题超期、投资滞后",
     "flags: overdue items and milestones, stalled items, problems past deadline, investment "
     "behind plan"},
    {"items.show", GF_OP_READ, "GET", "/api/items/{code}", GF_PERM_ITEMS_READ, 0, p_show, op_show,
     "事项详情:责任链、节点、资金、进度历史、问题",
     "one item: responsibility chain, milestones, money, progress, problems"},
    {"items.progress", GF_OP_WRITE, "POST", "/api/items/{code}/progress", GF_PERM_ITEMS_PROGRESS, 0,
     p_progress, op_progress, "报告进度(已办结或已取消的事项拒绝)",
     "report progress (refused on a done or cancelled item)"},
    {NULL},
};
