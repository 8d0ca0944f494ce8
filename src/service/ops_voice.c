/* ops_voice.c — the public's voice (群策群力, `gongfu voice …`, /api/suggestions): anyone sends a
 * suggestion without signing in (the HTTP door limits how many an address sends); the centre
 * reads them, turns one into a problem of the problem register (whose rectification and
 * verification then apply) or into a draft case of the case library, or answers it, and may publish the answer; everyone reads the
 * published answers.  Nothing about the sender is kept but what they choose to write in
 * `contact`, which only the centre sees and the audit trail never holds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/cases.h"
#include "domain/lists.h"
#include "service/service.h"

#define TEXT_MIN 4      /* characters: "修路" is too little to act on */
#define TEXT_MAX 1000   /* characters */
#define CONTACT_MAX 120 /* bytes */

static const char *const topics[] = {"income", "employment", "services", "environment",
                                     "governance", "other", NULL};
static const struct gf_code_label topic_labels[] = {
    {"income", "增收致富", "income"},
    {"employment", "就业创业", "employment"},
    {"services", "公共服务", "public services"},
    {"environment", "人居环境", "living environment"},
    {"governance", "基层治理", "local governance"},
    {"other", "其他", "other"},
    {NULL},
};
static const struct gf_code_label status_labels[] = {
    {"new", "待处理", "new"},
    {"problem", "已转问题整改", "turned into a problem"},
    {"case", "已转典型案例", "turned into a case"},
    {"answered", "已答复", "answered"},
    {NULL},
};

/* The end of every write here: the audit record (after is freed; NULL = out of memory), then
 * commit — or, when rc or the record fails, roll back. */
static int finish(struct gf_call *c, int rc, const char *actor, const char *action,
                  const char *key, const char *before, char *after)
{
    struct gf_db *db = c->cx->db;
    if (rc == GF_OK)
        rc = after ? gf_audit(db, actor, action, "suggestion", key, before, after, &c->err)
                   : gf_err_set(&c->err, GF_ENOMEM, "out of memory");
    free(after);
    return gf_db_end(db, rc, &c->err);
}

/* ---- sending ------------------------------------------------------------------------------- */

static int op_submit(struct gf_call *c)
{
    const char *text = gf_arg(c, "text"), *topic = gf_arg(c, "topic"), *unit = gf_arg(c, "unit"),
               *contact = gf_arg(c, "contact");
    size_t n = 0; /* characters (UTF-8: bytes that do not continue one) */
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        n += (*p & 0xC0) != 0x80;
    if (n < TEXT_MIN || n > TEXT_MAX)
        return gf_err_at(&c->err, NULL, 0, "text", n > 60 ? "(long text)" : text,
                         "a suggestion of %d to %d characters", TEXT_MIN, TEXT_MAX);
    if (contact && strlen(contact) > CONTACT_MAX)
        return gf_err_at(&c->err, NULL, 0, "contact", "(long text)",
                         "at most %d bytes (a phone number or an e-mail address)", CONTACT_MAX);
    if (unit && gf_db_int_text(c->cx->db, "SELECT count(*) FROM unit WHERE code = ?", unit) <= 0)
        return gf_err_at(&c->err, NULL, 0, "unit", unit, "the code of a unit of the zone, or none");
    char now[40];
    struct gf_db *db = c->cx->db;
    int rc = gf_db_begin(db, &c->err);
    if (rc)
        return rc;
    rc = gf_db_run(db, &c->err,
                   "INSERT INTO suggestion (at, unit, topic, text, contact) VALUES (?, ?, ?, ?, ?)",
                   gf_now(now), unit, topic ? topic : "other", text, contact);
    int64_t id = gf_db_last_id(db);
    char key[32], len[32];
    snprintf(key, sizeof key, "%lld", (long long)id);
    snprintf(len, sizeof len, "%zu", n);
    /* the trail says that one came, not who sent it nor how to reach them */
    char *after = gf_json_obj("topic", topic ? topic : "other", "unit", unit ? unit : "", "chars",
                              len, "contact", contact ? "given" : "none", (char *)NULL);
    if ((rc = finish(c, rc, "public", "submit", key, NULL, after)))
        return rc;
    c->res.id = id;
    gf_result_msg(c, "建议 #%lld 已收到, 谢谢! 答复公开后可在公示页查看",
                  "suggestion #%lld received, thank you; a published answer appears on the public page",
                  (long long)id);
    return GF_OK;
}

/* ---- reading ------------------------------------------------------------------------------- */

static int op_list(struct gf_call *c)
{
    const char *p[] = {gf_arg(c, "status"), c->cx->lang};
    static const struct gf_column cols[] = {
        {"id", "编号", "id"},
        {"at", "收到时间", "received"},
        {"topic", "主题", "topic", topic_labels},
        {"unit", "单位代码", "unit"},
        {"unit_name", "涉及单位", "unit"},
        {"text", "建议内容", "suggestion"},
        {"contact", "联系方式(本人自愿留下)", "contact (given by the sender)"},
        {"status", "状态", "status", status_labels},
        {"problem", "问题编号", "problem"},
        {"problem_status", "问题状态", "problem status"},
        {"case", "案例代码", "case"},
        {"reply", "答复", "answer"},
        {"published", "已公开", "published"},
    };
    int rc = gf_result_query(
        c, "suggestions", "群众建议", "suggestions",
        "SELECT s.id, s.at, s.topic, s.unit,"
        " CASE WHEN ?2 = 'en' THEN coalesce(u.name_en, u.name) ELSE u.name END, s.text, s.contact,"
        " s.status, s.problem, p.status, s.case_code, s.reply, s.published"
        " FROM suggestion s LEFT JOIN unit u ON u.code = s.unit LEFT JOIN problem p ON p.id = s.problem"
        " WHERE ?1 IS NULL OR s.status = ?1 ORDER BY s.id DESC",
        p, 2, cols, 13, (const char *const[]){"id", "problem", "published", NULL});
    if (!rc)
        gf_result_msg(c, "群众建议 %d 条", "%d suggestions",
                      gf_table_rows(c->res.sec[c->res.nsec - 1].t));
    return rc;
}

static int op_published(struct gf_call *c)
{
    const char *p[] = {c->cx->lang};
    static const struct gf_column cols[] = {
        {"id", "编号", "id"},
        {"date", "收到日期", "received"},
        {"topic", "主题", "topic", topic_labels},
        {"unit_name", "涉及单位", "unit"},
        {"text", "建议内容", "suggestion"},
        {"reply", "答复", "answer"},
        {"replied", "答复日期", "answered"},
    };
    return gf_result_query(
        c, "answers", "群众建议答复", "answers to suggestions",
        "SELECT s.id, substr(s.at, 1, 10), s.topic,"
        " CASE WHEN ?1 = 'en' THEN coalesce(u.name_en, u.name) ELSE u.name END, s.text, s.reply,"
        " substr(s.replied_at, 1, 10) FROM suggestion s LEFT JOIN unit u ON u.code = s.unit"
        " WHERE s.published = 1 ORDER BY s.replied_at DESC, s.id DESC",
        p, 1, cols, 7, (const char *const[]){"id", NULL});
}

/* ---- triage -------------------------------------------------------------------------------- */

/* The suggestion's status, unit and problem; GF_ENOTFOUND when there is none. */
static int load(struct gf_call *c, int64_t id, char *status, char *unit, int64_t *problem)
{
    struct gf_stmt *st;
    int rc = gf_db_prepare(c->cx->db, "SELECT status, unit, problem FROM suggestion WHERE id = ?",
                           &st, &c->err);
    if (rc)
        return rc;
    gf_stmt_bind_int(st, 1, id);
    status[0] = unit[0] = 0;
    *problem = 0;
    if ((rc = gf_stmt_step(st, &c->err)) == 1) {
        snprintf(status, 16, "%s", gf_stmt_text(st, 0));
        snprintf(unit, 128, "%s", gf_stmt_text(st, 1) ? gf_stmt_text(st, 1) : "");
        *problem = gf_stmt_int(st, 2);
    }
    gf_stmt_finalize(st);
    if (rc < 0)
        return c->err.code;
    if (!status[0])
        return gf_err_set(&c->err, GF_ENOTFOUND, "no suggestion #%lld", (long long)id);
    return GF_OK;
}

/* The start of a triage into a problem or a case (what): suggestion id must be new; *u the unit
 * it goes to — the "unit" argument, else the suggestion's (copied into unit, 128 bytes) — in the
 * actor's scope. */
static int triage_start(struct gf_call *c, int64_t id, const char *what, char *unit,
                        const char **u)
{
    char status[16];
    int64_t problem;
    int rc = load(c, id, status, unit, &problem);
    if (rc)
        return rc;
    if (strcmp(status, "new"))
        return gf_err_set(&c->err, GF_ECONFLICT,
                          "suggestion #%lld is %s already: only a new one is turned into a %s",
                          (long long)id, status, what);
    *u = gf_arg(c, "unit") ? gf_arg(c, "unit") : unit[0] ? unit : NULL;
    if (!*u)
        return gf_err_at(&c->err, NULL, 0, "unit", "", "the unit of the %s (the suggestion names none)",
                         what);
    return gf_need_unit(c, "unit", *u);
}

static int op_problem(struct gf_call *c)
{
    int64_t id = gf_arg_int(c, "id", 0);
    char unit[128];
    const char *u;
    int rc = triage_start(c, id, "problem", unit, &u);
    if (rc)
        return rc;
    char title[200];
    snprintf(title, sizeof title, "群众建议 #%lld: %s", (long long)id, gf_arg(c, "title"));
    struct gf_problem_new pn = {
        .unit = u,
        .title = title,
        .severity = gf_arg(c, "severity"),
        .owner = gf_arg(c, "owner"),
        .deadline = gf_arg(c, "deadline"),
        .raised_by = c->cx->actor.name,
    };
    struct gf_db *db = c->cx->db;
    if ((rc = gf_db_begin(db, &c->err)))
        return rc;
    int64_t pid = 0;
    char key[32], pk[32];
    snprintf(key, sizeof key, "%lld", (long long)id);
    if (!(rc = gf_problem_raise(db, c->cx->actor.name, &pn, &pid, &c->err))) {
        snprintf(pk, sizeof pk, "%lld", (long long)pid);
        rc = gf_db_run(db, &c->err,
                       "UPDATE suggestion SET status = 'problem', problem = ? WHERE id = ?", pk,
                       key);
    }
    if ((rc = finish(c, rc, c->cx->actor.name, "triage", key, "{\"status\": \"new\"}",
                     rc ? NULL : gf_json_obj("status", "problem", "problem", pk, (char *)NULL))))
        return rc;
    c->res.id = pid;
    gf_result_msg(c, "建议 #%lld 已转为问题 #%lld, 整改销号后再答复",
                  "suggestion #%lld is problem #%lld now; answer it once the problem is closed",
                  (long long)id, (long long)pid);
    return GF_OK;
}

static int op_case(struct gf_call *c)
{
    int64_t id = gf_arg_int(c, "id", 0);
    char unit[128];
    const char *u;
    int rc = triage_start(c, id, "case", unit, &u);
    if (rc)
        return rc;
    struct gf_db *db = c->cx->db;
    char key[32], note[64], *text = NULL;
    snprintf(key, sizeof key, "%lld", (long long)id);
    snprintf(note, sizeof note, "来自群众建议 #%lld", (long long)id);
    if ((rc = gf_db_begin(db, &c->err)))
        return rc;
    /* the suggestion's text is the draft's summary; the contact never goes with it */
    struct gf_stmt *st;
    if (!(rc = gf_db_prepare(db, "SELECT text FROM suggestion WHERE id = ?", &st, &c->err))) {
        gf_stmt_bind_int(st, 1, id);
        if (gf_stmt_step(st, &c->err) == 1 && !(text = strdup(gf_stmt_text(st, 0))))
            rc = gf_err_set(&c->err, GF_ENOMEM, "out of memory");
        gf_stmt_finalize(st);
    }
    const char *code = gf_arg(c, "code");
    if (!rc)
        rc = gf_case_draft(db, c->cx->actor.name, code, gf_arg(c, "title"), u,
                           gf_arg(c, "themes"), text, note, &c->err);
    free(text);
    if (!rc)
        rc = gf_db_run(db, &c->err,
                       "UPDATE suggestion SET status = 'case', case_code = ? WHERE id = ?", code,
                       key);
    if ((rc = finish(c, rc, c->cx->actor.name, "triage", key, "{\"status\": \"new\"}",
                     rc ? NULL : gf_json_obj("status", "case", "case", code, (char *)NULL))))
        return rc;
    gf_result_msg(c, "建议 #%lld 已转为典型案例草稿 %s, 可随时答复",
                  "suggestion #%lld is draft case %s now; answer it when you like",
                  (long long)id, code);
    return GF_OK;
}

static int op_answer(struct gf_call *c)
{
    int64_t id = gf_arg_int(c, "id", 0), problem;
    char status[16], unit[128];
    int rc = load(c, id, status, unit, &problem);
    if (rc)
        return rc;
    struct gf_db *db = c->cx->db;
    if (!strcmp(status, "problem")) {
        char pk[32];
        snprintf(pk, sizeof pk, "%lld", (long long)problem);
        if (gf_db_int_text(db, "SELECT count(*) FROM problem WHERE id = ? AND status = 'closed'",
                           pk) <= 0)
            return gf_err_set(&c->err, GF_ECONFLICT,
                              "suggestion #%lld waits for problem #%lld: answer it once the "
                              "problem is verified and closed",
                              (long long)id, (long long)problem);
    }
    int publish = gf_arg_flag(c, "publish");
    char now[40], key[32];
    snprintf(key, sizeof key, "%lld", (long long)id);
    if ((rc = gf_db_begin(db, &c->err)))
        return rc;
    rc = gf_db_run(db, &c->err,
                   "UPDATE suggestion SET status = 'answered', reply = ?, replied_at = ?,"
                   " replied_by = ?, published = ? WHERE id = ?",
                   gf_arg(c, "reply"), gf_now(now), c->cx->actor.name, publish ? "1" : "0", key);
    char before[64];
    snprintf(before, sizeof before, "{\"status\": \"%s\"}", status);
    if ((rc = finish(c, rc, c->cx->actor.name, "answer", key, before,
                     rc ? NULL : gf_json_obj("status", "answered", "reply", gf_arg(c, "reply"),
                                             "published", publish ? "1" : "0", (char *)NULL))))
        return rc;
    if (publish)
        gf_result_msg(c, "建议 #%lld 已答复并公开", "suggestion #%lld answered and published",
                      (long long)id);
    else
        gf_result_msg(c, "建议 #%lld 已答复(未公开)", "suggestion #%lld answered (not published)",
                      (long long)id);
    return GF_OK;
}

/* ---- the table ----------------------------------------------------------------------------- */

static const char *const status_codes[] = {"new", "problem", "case", "answered", NULL};
#define P_ID {"id", GF_PT_INT, GF_PF_KEY | GF_PF_REQUIRED, NULL, "建议编号", "suggestion number"}

static const struct gf_param p_submit[] = {
    {"text", GF_PT_TEXT, GF_PF_REQUIRED, NULL, "建议内容", "the suggestion"},
    {"topic", GF_PT_ENUM, 0, topics,
     "主题: income 增收致富, employment 就业创业, services 公共服务, environment 人居环境, "
     "governance 基层治理, other 其他(默认)",
     "topic: income, employment, services, environment, governance, other (default)"},
    {"unit", GF_PT_CODE, 0, NULL, "涉及的单位代码(可不填)", "the unit it is about (may be left out)"},
    {"contact", GF_PT_TEXT, 0, NULL, "联系方式(自愿, 仅共富办可见)",
     "a contact, if you wish (only the centre sees it)"},
    {NULL}};
static const struct gf_param p_list[] = {
    {"status", GF_PT_ENUM, 0, status_codes, "状态: new, problem, case, answered", "status"},
    {NULL}};
static const struct gf_param p_none[] = {{NULL}};
static const struct gf_param p_problem[] = {
    P_ID,
    {"title", GF_PT_TEXT, GF_PF_REQUIRED, NULL, "问题(简述)", "the problem, briefly"},
    {"unit", GF_PT_CODE, 0, NULL, "问题所在单位(默认: 建议涉及的单位)",
     "the unit the problem lies in (default: the suggestion's)"},
    {"severity", GF_PT_CODE, GF_PF_REQUIRED, NULL, "严重程度: low, medium, high, critical",
     "severity: low, medium, high, critical"},
    {"owner", GF_PT_CODE, GF_PF_REQUIRED, NULL, "整改责任人(人员代码)", "who rectifies it (person code)"},
    {"deadline", GF_PT_DATE, GF_PF_REQUIRED, NULL, "整改时限", "rectification deadline"},
    {NULL}};
static const struct gf_param p_case[] = {
    P_ID,
    {"code", GF_PT_CODE, GF_PF_REQUIRED, NULL, "新案例代码", "the new case's code"},
    {"title", GF_PT_TEXT, GF_PF_REQUIRED, NULL, "案例标题", "the case's title"},
    {"themes", GF_PT_TEXT, GF_PF_REQUIRED, NULL, "主题(逗号分隔, 如 共同富裕,数字化)",
     "themes, separated by commas"},
    {"unit", GF_PT_CODE, 0, NULL, "案例所属单位(默认: 建议涉及的单位)",
     "the case's unit (default: the suggestion's)"},
    {NULL}};
static const struct gf_param p_answer[] = {
    P_ID,
    {"reply", GF_PT_TEXT, GF_PF_REQUIRED, NULL, "答复", "the answer"},
    {"publish", GF_PT_BOOL, 0, NULL, "在公示页公开(建议与答复, 不含联系方式)",
     "publish it on the public page (the suggestion and the answer, never the contact)"},
    {NULL}};

const struct gf_op gf_ops_voice[] = {
    {"voice.submit", GF_OP_WRITE, "POST", "/api/suggestions", GF_PERM_PUBLIC, 0, p_submit,
     op_submit, "提交群众建议(无需登录)", "send a suggestion (no sign-in needed)"},
    {"voice.published", GF_OP_READ, "GET", "/api/suggestions/published", GF_PERM_PUBLIC, 0, p_none,
     op_published, "查看已公开的建议答复", "read the published answers"},
    {"voice.list", GF_OP_READ, "GET", "/api/suggestions", GF_PERM_PUBLISH, 0, p_list, op_list,
     "查看群众建议(共富办)", "read the suggestions (the centre's)"},
    {"voice.problem", GF_OP_WRITE, "POST", "/api/suggestions/{id}/problem", GF_PERM_PUBLISH, 0,
     p_problem, op_problem, "把建议转为问题整改", "turn a suggestion into a problem to rectify"},
    {"voice.case", GF_OP_WRITE, "POST", "/api/suggestions/{id}/case", GF_PERM_PUBLISH, 0, p_case,
     op_case, "把建议转为典型案例草稿", "turn a suggestion into a draft case"},
    {"voice.answer", GF_OP_WRITE, "POST", "/api/suggestions/{id}/answer", GF_PERM_PUBLISH, 0,
     p_answer, op_answer, "答复建议(可公开)", "answer a suggestion (and publish the answer)"},
    {NULL},
};
