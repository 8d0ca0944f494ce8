/* ops_problems.c — problems and their closing loop (问题亮晒, 整改, 销号): `gongfu problems …`,
 * /api/problems.
 *
 * Who: every role but the public reads the problems within its reach (lists_reach.h); leaders,
 * the coordination centre and the administrator raise problems against items and units they reach
 * and reopen them; those who answer for a problem (the centre, the item's team, the unit's
 * reporters) report its rectification; the centre verifies it.  Who rectifies and who verifies is
 * the acting user's person, and the closing check is never done by the problem's owner nor by the
 * one who reported the rectification (domain/problems.c holds that rule for every door). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/lists.h"
#include "service/lists_reach.h"
#include "service/service.h"

static const struct gf_code_label status_labels[] = {{"open", "待整改", "open"},
                                                     {"rectified", "待核验", "rectified"},
                                                     {"closed", "已销号", "closed"},
                                                     {NULL}};
static const struct gf_code_label severity_labels[] = {{"low", "轻微", "low"},
                                                       {"medium", "一般", "medium"},
                                                       {"high", "严重", "high"},
                                                       {"critical", "特别严重", "critical"},
                                                       {NULL}};

/* Where problem p lies (list_item i joined on its item): the unit it was raised against, else
 * its item's place; and 1 when the team at parameter P leads or joins its item. */
#define PLACE_AND_TEAM(P)                                                                          \
    "coalesce(p.unit, " GF_ITEM_PLACE_SQL "), p.item IS NOT NULL AND " GF_ITEM_TEAM_SQL(P)

static int op_list(struct gf_call *c)
{
    const char *unit = gf_arg(c, "unit"), *item = gf_arg(c, "item");
    int rc, under = -1;
    const struct gf_units *u = NULL;
    if (item && (rc = gf_lists_need_item(c, "item", item)))
        return rc;
    if (unit) {
        if ((rc = gf_need_unit(c, "unit", unit)))
            return rc;
        u = gf_ctx_units(c->cx, &c->err);
        under = gf_units_find(u, unit);
    }
    const struct gf_actor *a = &c->cx->actor;
    char today[32];
    struct gf_stmt *st;
    /* clang-format off */
    rc = gf_db_prepare(c->cx->db,
                       "SELECT p.id, p.item, p.unit, p.title, p.severity, p.owner, p.deadline,"
                       " p.status, p.raised_date, p.rectified_by, p.verified_by, p.verified_date,"
                       " p.reopened, p.status <> 'closed' AND p.deadline < ?4, " PLACE_AND_TEAM("?5")
                       " FROM problem p LEFT JOIN list_item i ON i.code = p.item"
                       " WHERE (?1 IS NULL OR p.status = ?1) AND (?2 IS NULL OR p.item = ?2)"
                       " AND (?3 = '0' OR (p.status <> 'closed' AND p.deadline < ?4))"
                       " ORDER BY p.id",
                       &st, &c->err);
    /* clang-format on */
    if (rc)
        return rc;
    const char *b[] = {gf_arg(c, "status"), item, gf_arg_flag(c, "overdue") ? "1" : "0",
                       gf_today(today), a->role == GF_ROLE_TEAM ? a->team : NULL};
    for (int i = 0; i < 5; i++)
        gf_stmt_bind_text(st, i + 1, b[i]);
    static const struct gf_column cols[] = {
        {"id", "编号", "id"},
        {"item", "事项", "item"},
        {"unit", "单位", "unit"},
        {"title", "问题", "problem"},
        {"severity", "严重程度", "severity", severity_labels},
        {"owner", "整改责任人", "owner"},
        {"deadline", "整改时限", "deadline"},
        {"status", "状态", "status", status_labels},
        {"raised", "提出日期", "raised"},
        {"rectified_by", "整改报告人", "rectified by"},
        {"verified_by", "核验人", "verified by"},
        {"verified", "销号日期", "closed on"},
        {"reopened", "重开次数", "reopened"},
        {"overdue", "超期", "overdue"},
    };
    struct gf_table *t = gf_table_new(cols, 14);
    while ((rc = gf_stmt_step(st, &c->err)) == 1) {
        const char *place = gf_stmt_text(st, 14);
        if (!gf_lists_reach(c, place, gf_stmt_int(st, 15) != 0))
            continue;
        if (unit) { /* problems lying in the unit or below it */
            int k = place ? gf_units_find(u, place) : -1;
            if (k < 0 || !gf_units_within(u, k, under))
                continue;
        }
        gf_table_row(t);
        gf_table_int(t, 0, gf_stmt_int(st, 0));
        for (int j = 1; j <= 11; j++)
            gf_table_text(t, j, gf_stmt_text(st, j));
        gf_table_int(t, 12, gf_stmt_int(st, 12));
        gf_table_int(t, 13, gf_stmt_int(st, 13));
    }
    gf_stmt_finalize(st);
    if (rc < 0) {
        gf_table_free(t);
        return rc;
    }
    gf_result_table(c, "problems", "问题", "problems", t);
    return GF_OK;
}

static int op_show(struct gf_call *c)
{
    int64_t id = gf_arg_int(c, "id", 0);
    int rc = gf_lists_need_problem(c, "id", id);
    if (rc)
        return rc;
    char idtext[32], today[32];
    snprintf(idtext, sizeof idtext, "%lld", (long long)id);
    const char *p[] = {idtext, gf_today(today), c->cx->lang};
    static const struct gf_column cols[] = {
        {"id", "编号", "id"},
        {"title", "问题", "problem"},
        {"item", "事项", "item"},
        {"item_title", "事项名称", "item title"},
        {"unit", "单位", "unit"},
        {"unit_name", "单位名称", "unit name"},
        {"severity", "严重程度", "severity", severity_labels},
        {"owner", "整改责任人", "owner"},
        {"owner_name", "责任人姓名", "owner's name"},
        {"deadline", "整改时限", "deadline"},
        {"status", "状态", "status", status_labels},
        {"overdue", "超期", "overdue"},
        {"raised_by", "提出人", "raised by"},
        {"raised", "提出日期", "raised"},
        {"rectification", "整改情况", "rectification"},
        {"rectified", "整改日期", "rectified on"},
        {"rectified_by", "整改报告人", "rectified by"},
        {"verified_by", "核验人", "verified by"},
        {"verified", "销号日期", "closed on"},
        {"verify_note", "核验说明", "verification note"},
        {"reopened", "重开次数", "reopened"},
    };
    static const char *const num[] = {"id", "overdue", "reopened", NULL};
    rc = gf_result_query(
        c, "problem", "问题", "problem",
        "SELECT p.id, p.title, p.item, i.title, p.unit,"
        " CASE WHEN ?3 = 'en' THEN coalesce(u.name_en, u.name) ELSE u.name END, p.severity,"
        " p.owner, (SELECT name FROM person WHERE code = p.owner), p.deadline, p.status,"
        " p.status <> 'closed' AND p.deadline < ?2, p.raised_by, p.raised_date, p.rectification,"
        " p.rectified_date, p.rectified_by, p.verified_by, p.verified_date, p.verify_note,"
        " p.reopened"
        " FROM problem p LEFT JOIN list_item i ON i.code = p.item"
        " LEFT JOIN unit u ON u.code = p.unit WHERE p.id = ?1",
        p, 3, cols, 21, num);
    if (rc == GF_OK) /* one row: a record */
        c->res.sec[c->res.nsec - 1].record = 1;
    return rc;
}

static int op_raise(struct gf_call *c)
{
    struct gf_problem_new pn = {
        .item = gf_arg(c, "item"),
        .unit = gf_arg(c, "unit"),
        .title = gf_arg(c, "title"),
        .severity = gf_arg(c, "severity"),
        .owner = gf_arg(c, "owner"),
        .deadline = gf_arg(c, "deadline"),
        .raised_by = c->cx->actor.name,
    };
    int rc;
    if (pn.item && (rc = gf_lists_need_item(c, "item", pn.item)))
        return rc;
    if (pn.unit && (rc = gf_need_unit(c, "unit", pn.unit)))
        return rc;
    int64_t id = 0;
    if ((rc = gf_problem_raise(c->cx->db, c->cx->actor.name, &pn, &id, &c->err)))
        return rc;
    c->res.id = id;
    gf_result_msg(c, "问题 #%lld 已提出", "problem #%lld raised", (long long)id);
    return GF_OK;
}

enum step { RECTIFY, VERIFY, REOPEN };

static int do_step(struct gf_call *c, enum step s)
{
    int64_t id = gf_arg_int(c, "id", 0);
    int rc = gf_lists_need_problem(c, "id", id);
    if (rc)
        return rc;
    struct gf_db *db = c->cx->db;
    const char *actor = c->cx->actor.name, *by = gf_arg(c, "by");
    int reject = gf_arg_flag(c, "reject");
    switch (s) {
    case RECTIFY:
        rc = gf_problem_rectify(db, actor, id, by, gf_arg(c, "report"), &c->err);
        break;
    case VERIFY:
        rc = gf_problem_verify(db, actor, id, by, !reject, gf_arg(c, "note"), &c->err);
        break;
    case REOPEN:
        rc = gf_problem_reopen(db, actor, id, gf_arg(c, "reason"), &c->err);
        break;
    }
    if (rc)
        return rc;
    if (s == RECTIFY)
        gf_result_msg(c, "问题 #%lld 已报告整改,待核验",
                      "problem #%lld rectified, awaiting verification", (long long)id);
    else if (s == VERIFY && reject)
        gf_result_msg(c, "问题 #%lld 核验未通过,退回整改", "problem #%lld rejected, back to open",
                      (long long)id);
    else if (s == VERIFY)
        gf_result_msg(c, "问题 #%lld 核验通过,已销号", "problem #%lld verified and closed",
                      (long long)id);
    else
        gf_result_msg(c, "问题 #%lld 已重新打开", "problem #%lld reopened", (long long)id);
    return GF_OK;
}

static int op_rectify(struct gf_call *c)
{
    return do_step(c, RECTIFY);
}

static int op_verify(struct gf_call *c)
{
    return do_step(c, VERIFY);
}

static int op_reopen(struct gf_call *c)
{
    return do_step(c, REOPEN);
}

static const char *const states[] = {"open", "rectified", "closed", NULL};

/* clang-format off */
#define P_ID {"id", GF_PT_INT, GF_PF_KEY | GF_PF_REQUIRED, NULL, "问题编号", "problem number"}
#define P_BY {"by", GF_PT_CODE, 0, NULL, "经办人(可省略;给出时须为当前用户本人)", \
              "who does it (may be left out; when given, the acting user's own person)"}
/* clang-format on */

static const struct gf_param p_list[] = {
    {"status", GF_PT_ENUM, 0, states, "状态", "status"},
    {"overdue", GF_PT_BOOL, 0, NULL, "只列超期未销号的", "only those past their deadline"},
    {"item", GF_PT_CODE, 0, NULL, "事项", "item"},
    {"unit", GF_PT_CODE, 0, NULL, "单位(含下级)", "unit the problems lie in (or below it)"},
    {NULL}};
static const struct gf_param p_show[] = {P_ID, {NULL}};
static const struct gf_param p_raise[] = {
    {"item", GF_PT_CODE, 0, NULL, "针对的事项(事项或单位至少一个)",
     "the item it is raised against (an item or a unit, at least one)"},
    {"unit", GF_PT_CODE, 0, NULL, "针对的单位", "the unit it is raised against"},
    {"title", GF_PT_TEXT, GF_PF_REQUIRED, NULL, "问题", "the problem, briefly"},
    {"severity", GF_PT_CODE, GF_PF_REQUIRED, NULL, "严重程度: low, medium, high, critical",
     "severity: low, medium, high, critical"},
    {"owner", GF_PT_CODE, GF_PF_REQUIRED, NULL, "整改责任人(人员代码)",
     "who rectifies it (person code)"},
    {"deadline", GF_PT_DATE, GF_PF_REQUIRED, NULL, "整改时限(今天或以后)",
     "rectification deadline (today or later)"},
    {NULL}};
static const struct gf_param p_rectify[] = {
    P_ID, {"report", GF_PT_TEXT, GF_PF_REQUIRED, NULL, "整改情况", "what was done"}, P_BY, {NULL}};
static const struct gf_param p_verify[] = {
    P_ID,
    P_BY,
    {"reject", GF_PT_BOOL, 0, NULL, "核验不通过,退回整改", "reject: back to open"},
    {"note", GF_PT_TEXT, 0, NULL, "核验说明", "verification note"},
    {NULL}};
static const struct gf_param p_reopen[] = {
    P_ID,
    {"reason", GF_PT_TEXT, GF_PF_REQUIRED, NULL, "重新打开的原因", "why it is reopened"},
    {NULL}};

const struct gf_op gf_ops_problems[] = {
    {"problems.list", GF_OP_READ, "GET", "/api/problems", GF_PERM_ITEMS_READ, 0, p_list, op_list,
     "列出问题", "list problems"},
    {"problems.show", GF_OP_READ, "GET", "/api/problems/{id}", GF_PERM_ITEMS_READ, 0, p_show,
     op_show, "问题详情", "one problem"},
    {"problems.raise", GF_OP_WRITE, "POST", "/api/problems", GF_PERM_PROBLEMS_RAISE, 0, p_raise,
     op_raise, "提出问题(针对事项或单位)", "raise a problem against an item or a unit"},
    {"problems.rectify", GF_OP_WRITE, "POST", "/api/problems/{id}/rectify", GF_PERM_PROBLEMS_ANSWER,
     0, p_rectify, op_rectify, "报告整改情况(报告人为当前用户)",
     "report the rectification (the acting user reports it)"},
    {"problems.verify", GF_OP_WRITE, "POST", "/api/problems/{id}/verify", GF_PERM_PROBLEMS_VERIFY,
     0, p_verify, op_verify, "核验销号(核验人不能是责任人或整改报告人)",
     "verify a rectification (never by the owner or the one who reported it)"},
    {"problems.reopen", GF_OP_WRITE, "POST", "/api/problems/{id}/reopen", GF_PERM_PROBLEMS_RAISE, 0,
     p_reopen, op_reopen, "重新打开已整改或已销号的问题(说明原因)",
     "reopen a rectified or closed problem, with the reason"},
    {NULL},
};
