/* ops_cases.c — the case library (典型案例: `gongfu cases …`, /api/cases) and training records
 * (`gongfu trainings …`, /api/trainings).
 *
 * Who reads: everyone, signed in or not, reads the published cases (cases.public, for the public
 * page); every signed-in user reads them with their links and attachments; drafts and recommended
 * cases only those who manage the configuration (the centre and the administrator), who also move
 * a case on
 * (cases.status: draft → recommended → published, one step at a time, audited).  A case not
 * visible to the reader is "not found".  Training records and their counts are read by every
 * signed-in user.  The records come in by imports (cases, trainings, training_attendees; see
 * domain/cases.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/cases.h"
#include "util/input.h"
#include "service/service.h"

/* 1 when the actor sees cases that are not published yet. */
static int sees_drafts(const struct gf_call *c)
{
    return gf_role_can(c->cx->actor.role, GF_PERM_CONFIG);
}

/* The unit filter (with the units under it) as a ",code," list, NULL when none is given; *rc an
 * error for an unknown unit. */
static char *unit_filter(struct gf_call *c, int *rc)
{
    const char *unit = gf_arg(c, "unit");
    *rc = GF_OK;
    if (!unit)
        return NULL;
    const struct gf_units *u = gf_ctx_units(c->cx, &c->err);
    if (!u) {
        *rc = c->err.code ? c->err.code : GF_ESYS;
        return NULL;
    }
    if (gf_units_find(u, unit) < 0) {
        *rc = gf_err_set(&c->err, GF_ENOTFOUND, "no unit %s", unit);
        return NULL;
    }
    char *list = gf_unit_list(u, unit, 1);
    if (!list)
        *rc = gf_err_set(&c->err, GF_ENOMEM, "out of memory");
    return list;
}

#define UNIT_NAME "CASE WHEN ?9 = 'en' THEN coalesce(x.name_en, x.name) ELSE x.name END"

static const struct gf_column case_cols[] = {
    {"code", "案例代码", "code"},
    {"title", "标题", "title"},
    {"unit", "单位代码", "unit"},
    {"unit_name", "单位", "unit name"},
    {"themes", "主题", "themes"},
    {"status", "状态", "status", gf_case_statuses},
    {"date", "日期", "date"},
    {"published_on", "发布日期", "published on"},
    {"items", "关联事项数", "items"},
    {"indicators", "关联指标数", "indicators"},
};
static const char *const case_num[] = {"items", "indicators", NULL};

static int op_list(struct gf_call *c)
{
    int rc;
    char *units = unit_filter(c, &rc);
    if (rc)
        return rc;
    const char *p[] = {sees_drafts(c) ? "1" : "0", units, gf_arg(c, "theme"), gf_arg(c, "status"),
                       gf_arg(c, "text"), NULL, NULL, NULL, c->cx->lang};
    rc = gf_result_query(
        c, "cases", "典型案例", "cases",
        "SELECT k.code, k.title, k.unit, " UNIT_NAME ", k.themes, k.status, k.case_date,"
        " k.published_on, (SELECT count(*) FROM case_item WHERE case_code = k.code),"
        " (SELECT count(*) FROM case_indicator WHERE case_code = k.code)"
        " FROM case_study k JOIN unit x ON x.code = k.unit"
        " WHERE (?1 = '1' OR k.status = 'published')"
        " AND (?2 IS NULL OR instr(?2, ',' || k.unit || ',') > 0)"
        " AND (?3 IS NULL OR instr(',' || k.themes || ',', ',' || trim(?3) || ',') > 0)"
        " AND (?4 IS NULL OR k.status = ?4)"
        " AND (?5 IS NULL OR instr(lower(k.title), lower(?5)) > 0"
        "      OR instr(lower(coalesce(k.summary, '')), lower(?5)) > 0)"
        " ORDER BY k.code",
        p, 9, case_cols, 10, case_num);
    free(units);
    if (rc)
        return rc;
    const struct gf_table *t = c->res.sec[c->res.nsec - 1].t;
    int n = gf_table_rows(t);
    gf_result_msg(c, "%d 个典型案例%s", "%d cases%s", n,
                  sees_drafts(c) ? "" : GF_L(c->cx, "(已发布)", " (published)"));
    return GF_OK;
}

/* The published cases for everyone, signed in or not (the public page): what they show, never
 * the drafts, the links or the attachments. */
static int op_public(struct gf_call *c)
{
    const char *p[] = {gf_arg(c, "theme"), NULL, NULL, NULL, NULL, NULL, NULL, NULL, c->cx->lang};
    static const struct gf_column cols[] = {
        {"code", "案例代码", "code"},
        {"title", "标题", "title"},
        {"unit_name", "单位", "unit"},
        {"themes", "主题", "themes"},
        {"published_on", "发布日期", "published on"},
        {"summary", "案例摘要", "summary"},
    };
    return gf_result_query(
        c, "cases", "典型案例", "cases",
        "SELECT k.code, k.title, " UNIT_NAME ", k.themes, k.published_on, k.summary"
        " FROM case_study k JOIN unit x ON x.code = k.unit WHERE k.status = 'published'"
        " AND (?1 IS NULL OR instr(',' || k.themes || ',', ',' || trim(?1) || ',') > 0)"
        " ORDER BY k.published_on DESC, k.code",
        p, 9, cols, 6, NULL);
}

static int op_show(struct gf_call *c)
{
    const char *code = gf_arg(c, "code");
    const char *p[] = {code, sees_drafts(c) ? "1" : "0", NULL, NULL, NULL, NULL, NULL, NULL,
                       c->cx->lang};
    static const struct gf_column cols[] = {
        {"code", "案例代码", "code"},
        {"title", "标题", "title"},
        {"unit", "单位代码", "unit"},
        {"unit_name", "单位", "unit name"},
        {"themes", "主题", "themes"},
        {"status", "状态", "status", gf_case_statuses},
        {"date", "日期", "date"},
        {"recommended_on", "推荐日期", "recommended on"},
        {"published_on", "发布日期", "published on"},
        {"summary", "案例摘要", "summary"},
        {"note", "备注", "note"},
    };
    int rc = gf_result_query(
        c, "case", "典型案例", "case",
        "SELECT k.code, k.title, k.unit, " UNIT_NAME ", k.themes, k.status, k.case_date,"
        " k.recommended_on, k.published_on, k.summary, k.note"
        " FROM case_study k JOIN unit x ON x.code = k.unit"
        " WHERE k.code = ?1 AND (?2 = '1' OR k.status = 'published')",
        p, 9, cols, 11, NULL);
    if (rc)
        return rc;
    struct gf_section *s = &c->res.sec[c->res.nsec - 1];
    if (gf_table_rows(s->t) == 0)
        return gf_err_set(&c->err, GF_ENOTFOUND, "no case %s%s", code,
                          sees_drafts(c) ? "" : " (or it is not published yet)");
    s->record = 1;
    rc = gf_result_query(
        c, "items", "关联事项", "items shown",
        "SELECT i.code, i.title, i.kind, i.status FROM case_item l JOIN list_item i"
        " ON i.code = l.item WHERE l.case_code = ?1 ORDER BY i.code",
        p, 1,
        (const struct gf_column[]){{"code", "事项代码", "item"},
                                   {"title", "事项", "title"},
                                   {"kind", "清单", "list"},
                                   {"status", "状态", "status"}},
        4, NULL);
    if (!rc)
        rc = gf_result_query(
            c, "indicators", "关联指标", "indicators shown",
            "SELECT d.code, CASE WHEN ?9 = 'en' THEN coalesce(d.name_en, d.name) ELSE d.name END,"
            " d.unit_of_measure FROM case_indicator l JOIN indicator d ON d.code = l.indicator"
            " WHERE l.case_code = ?1 ORDER BY d.code",
            p, 9,
            (const struct gf_column[]){{"code", "指标代码", "indicator"},
                                       {"name", "指标", "name"},
                                       {"unit_of_measure", "计量单位", "unit of measure"}},
            3, NULL);
    if (!rc)
        rc = gf_result_query(
            c, "attachments", "附件", "attachments",
            "SELECT name, media_type, size, substr(added_at, 1, 10) FROM case_attachment"
            " WHERE case_code = ?1 ORDER BY name",
            p, 1,
            (const struct gf_column[]){{"name", "文件名", "file"},
                                       {"media_type", "类型", "media type"},
                                       {"size", "字节", "bytes"},
                                       {"added", "上传日期", "added"}},
            4, (const char *const[]){"size", NULL});
    return rc;
}

/* ---- attachments ------------------------------------------------------------------------------ */

/* The last part of a path ("a/b/照片.jpg" → "照片.jpg"). */
static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int op_attach(struct gf_call *c)
{
    const char *code = gf_arg(c, "code");
    const char *name = gf_arg(c, "name");
    if (!name)
        name = base_name(c->input_name ? c->input_name : gf_input_name(c->input));
    FILE *fp;
    int rc = gf_input_open(c->input, &fp, &c->err);
    if (rc)
        return rc;
    char *data = NULL;
    size_t n = 0;
    rc = gf_input_read_rest(fp, name, NULL, 0, GF_CASE_ATTACH_MAX, &data, &n, &c->err);
    gf_input_close(fp);
    if (!rc)
        rc = gf_case_attach(c->cx->db, c->cx->actor.name, code, name, data, n, &c->err);
    free(data);
    if (rc)
        return rc;
    gf_result_msg(c, "案例 %s: 附件 %s 已保存(%zu 字节)", "case %s: attachment %s stored (%zu bytes)",
                  code, name, n);
    return GF_OK;
}

static int op_attachment(struct gf_call *c)
{
    const char *code = gf_arg(c, "code"), *name = gf_arg(c, "name");
    struct gf_stmt *st;
    int rc = gf_db_prepare(c->cx->db,
                           "SELECT a.data FROM case_attachment a JOIN case_study k"
                           " ON k.code = a.case_code WHERE a.case_code = ? AND a.name = ?"
                           " AND (? = '1' OR k.status = 'published')",
                           &st, &c->err);
    if (rc)
        return rc;
    gf_stmt_bind_text(st, 1, code);
    gf_stmt_bind_text(st, 2, name);
    gf_stmt_bind_text(st, 3, sees_drafts(c) ? "1" : "0");
    if ((rc = gf_stmt_step(st, &c->err)) == 1) {
        size_t n;
        const void *p = gf_stmt_blob(st, 0, &n);
        c->res.doc = malloc(n ? n : 1);
        c->res.doc_name = strdup(name);
        if (!c->res.doc || !c->res.doc_name)
            rc = gf_err_set(&c->err, GF_ENOMEM, "out of memory");
        else {
            memcpy(c->res.doc, p, n);
            c->res.doc_len = n;
            c->res.doc_type = gf_case_media_type(name);
            gf_result_msg(c, "附件 %s(%zu 字节)", "attachment %s (%zu bytes)", name, n);
            rc = GF_OK;
        }
    } else if (rc == 0)
        rc = gf_err_set(&c->err, GF_ENOTFOUND, "case %s has no attachment %s%s", code, name,
                        sees_drafts(c) ? "" : " (or the case is not published yet)");
    gf_stmt_finalize(st);
    return rc;
}

static int op_detach(struct gf_call *c)
{
    const char *code = gf_arg(c, "code"), *name = gf_arg(c, "name");
    int rc = gf_case_detach(c->cx->db, c->cx->actor.name, code, name, &c->err);
    if (rc)
        return rc;
    gf_result_msg(c, "案例 %s: 附件 %s 已删除", "case %s: attachment %s removed", code, name);
    return GF_OK;
}

static int op_status(struct gf_call *c)
{
    const char *code = gf_arg(c, "code");
    char from[16] = "", to[16] = "";
    int rc = gf_case_advance(c->cx->db, c->cx->actor.name, code, gf_arg(c, "to"),
                             gf_arg(c, "date"), from, to, &c->err);
    if (rc)
        return rc;
    gf_result_msg(c, "案例 %s: %s → %s", "case %s: %s → %s", code, from, to);
    return GF_OK;
}

/* ---- trainings ------------------------------------------------------------------------------- */

/* The year asked for, else the newest with a training (0 when there is none). */
static long long year_of(struct gf_call *c)
{
    long long y = gf_arg_int(c, "year", 0);
    if (y)
        return y;
    return gf_db_int(c->cx->db, "SELECT CAST(max(substr(start_date, 1, 4)) AS INTEGER) FROM training",
                     0);
}

static int op_trainings(struct gf_call *c)
{
    int rc;
    char *units = unit_filter(c, &rc);
    if (rc)
        return rc;
    char y[16];
    snprintf(y, sizeof y, "%lld", year_of(c));
    const char *p[] = {y, units, gf_arg(c, "team"), NULL, NULL, NULL, NULL, NULL, c->cx->lang};
    static const struct gf_column cols[] = {
        {"code", "培训代码", "code"},
        {"course", "课程", "course"},
        {"start", "开始", "start"},
        {"end", "结束", "end"},
        {"team", "主办专班", "team"},
        {"unit", "主办单位代码", "unit"},
        {"unit_name", "主办单位", "unit name"},
        {"place", "地点", "place"},
        {"attendees", "参训人数", "attendees"},
    };
    static const char *const num[] = {"attendees", NULL};
    rc = gf_result_query(
        c, "trainings", "培训", "trainings",
        "SELECT t.code, t.course, t.start_date, t.end_date, t.team, t.unit,"
        " CASE WHEN x.code IS NULL THEN NULL WHEN ?9 = 'en' THEN coalesce(x.name_en, x.name)"
        " ELSE x.name END, t.place,"
        " (SELECT count(*) FROM training_attendee WHERE training = t.code)"
        " FROM training t LEFT JOIN unit x ON x.code = t.unit"
        " WHERE substr(t.start_date, 1, 4) = ?1"
        " AND (?2 IS NULL OR instr(?2, ',' || t.unit || ',') > 0)"
        " AND (?3 IS NULL OR t.team = ?3)"
        " ORDER BY t.start_date, t.code",
        p, 9, cols, 9, num);
    free(units);
    if (rc)
        return rc;
    const struct gf_table *t = c->res.sec[c->res.nsec - 1].t;
    double sum = 0;
    for (int i = 0; i < gf_table_rows(t); i++) {
        double x;
        int d;
        if (gf_table_cell_number(t, i, 8, &x, &d))
            sum += x;
    }
    gf_result_msg(c, "%s 年: 培训 %d 期, 参训 %.0f 人次", "%s: %d trainings, %.0f person-times", y,
                  gf_table_rows(t), sum);
    return GF_OK;
}

/* The attendances of year ?1 (x: training, person, and the attendee's unit and team: the
 * person's own, else their department's). */
#define ATTENDANCE                                                                                 \
    " FROM (SELECT a.training, a.person, coalesce(pp.unit, dd.unit) AS unit,"                     \
    " coalesce(pp.team, dd.team) AS team FROM training_attendee a"                                 \
    " JOIN training t ON t.code = a.training JOIN person pp ON pp.code = a.person"                \
    " LEFT JOIN department dd ON dd.code = pp.department"                                        \
    " WHERE substr(t.start_date, 1, 4) = ?1) AS x"

static int op_summary(struct gf_call *c)
{
    char y[16];
    snprintf(y, sizeof y, "%lld", year_of(c));
    const char *p[] = {y, NULL, NULL, NULL, NULL, NULL, NULL, NULL, c->cx->lang};
    static const struct gf_column ucols[] = {
        {"unit", "单位代码", "unit"},
        {"unit_name", "单位", "unit name"},
        {"trainings", "培训期数", "trainings"},
        {"person_times", "参训人次", "person-times"},
        {"people", "参训人数", "people"},
    };
    static const struct gf_column tcols[] = {
        {"team", "专班代码", "team"},
        {"team_name", "专班", "team name"},
        {"trainings", "培训期数", "trainings"},
        {"person_times", "参训人次", "person-times"},
        {"people", "参训人数", "people"},
    };
    static const char *const num[] = {"trainings", "person_times", "people", NULL};
    int rc = gf_result_query(
        c, "units", "按单位(参训人员所在单位)", "by unit (of the attendees)",
        "SELECT x.unit, (SELECT CASE WHEN ?9 = 'en' THEN coalesce(name_en, name) ELSE name"
        " END FROM unit WHERE code = x.unit), count(DISTINCT x.training), count(*),"
        " count(DISTINCT x.person)" ATTENDANCE " GROUP BY x.unit ORDER BY x.unit",
        p, 9, ucols, 5, num);
    if (!rc)
        rc = gf_result_query(
            c, "teams", "按专班(参训人员所在专班)", "by team (of the attendees)",
            "SELECT x.team, (SELECT CASE WHEN ?9 = 'en' THEN coalesce(name_en, name)"
            " ELSE name END FROM team WHERE code = x.team), count(DISTINCT x.training),"
            " count(*), count(DISTINCT x.person)" ATTENDANCE " GROUP BY x.team ORDER BY x.team",
            p, 9, tcols, 5, num);
    if (rc)
        return rc;
    struct gf_db *db = c->cx->db;
    struct gf_stmt *st;
    long trainings = 0, times = 0, people = 0;
    if ((rc = gf_db_prepare(db,
                            "SELECT (SELECT count(*) FROM training WHERE substr(start_date, 1, 4)"
                            " = ?1), count(*), count(DISTINCT x.person)" ATTENDANCE,
                            &st, &c->err)))
        return rc;
    gf_stmt_bind_text(st, 1, y);
    if ((rc = gf_stmt_step(st, &c->err)) == 1) {
        trainings = (long)gf_stmt_int(st, 0);
        times = (long)gf_stmt_int(st, 1);
        people = (long)gf_stmt_int(st, 2);
    }
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    gf_result_msg(c, "%s 年: 培训 %ld 期, 参训 %ld 人次, %ld 人",
                  "%s: %ld trainings, %ld person-times, %ld people", y, trainings, times, people);
    return GF_OK;
}

/* ---- the table ------------------------------------------------------------------------------------ */

static const char *const status_codes[] = {"draft", "recommended", "published", NULL};
static const char *const next_codes[] = {"recommended", "published", NULL};

static const struct gf_param p_list[] = {
    {"theme", GF_PT_TEXT, 0, NULL, "主题(如 共同富裕)", "theme (e.g. 共同富裕)"},
    {"unit", GF_PT_CODE, 0, NULL, "单位(含下级)", "unit, with the units under it"},
    {"status", GF_PT_ENUM, 0, status_codes, "状态", "status"},
    {"text", GF_PT_TEXT, 0, NULL, "在标题和摘要中查找", "text to find in the title and summary"},
    {NULL}};
static const struct gf_param p_public[] = {
    {"theme", GF_PT_TEXT, 0, NULL, "主题(如 共同富裕)", "theme (e.g. 共同富裕)"}, {NULL}};
static const struct gf_param p_show[] = {
    {"code", GF_PT_CODE, GF_PF_KEY | GF_PF_REQUIRED, NULL, "案例代码", "case code"}, {NULL}};
static const struct gf_param p_status[] = {
    {"code", GF_PT_CODE, GF_PF_KEY | GF_PF_REQUIRED, NULL, "案例代码", "case code"},
    {"to", GF_PT_ENUM, 0, next_codes, "下一状态(默认: 下一个; 不可跳过或退回)",
     "the next status (default: the next one; no skipping, no going back)"},
    {"date", GF_PT_DATE, 0, NULL, "生效日期(默认: 今天)", "date it takes effect (default: today)"},
    {NULL}};
static const struct gf_param p_attach[] = {
    {"code", GF_PT_CODE, GF_PF_KEY | GF_PF_REQUIRED, NULL, "案例代码", "case code"},
    {"name", GF_PT_TEXT, 0, NULL, "附件名(默认: 文件名)", "the attachment's name (default: the file's)"},
    {NULL}};
static const struct gf_param p_attachment[] = {
    {"code", GF_PT_CODE, GF_PF_KEY | GF_PF_REQUIRED, NULL, "案例代码", "case code"},
    {"name", GF_PT_TEXT, GF_PF_KEY | GF_PF_REQUIRED, NULL, "附件名", "the attachment's name"},
    {"output", GF_PT_TEXT, GF_PF_CLI, NULL, "写入文件(默认: 标准输出)", "write it to this file (default: standard output)"},
    {NULL}};
static const struct gf_param p_detach[] = {
    {"code", GF_PT_CODE, GF_PF_KEY | GF_PF_REQUIRED, NULL, "案例代码", "case code"},
    {"name", GF_PT_TEXT, GF_PF_KEY | GF_PF_REQUIRED, NULL, "附件名", "the attachment's name"},
    {NULL}};
static const struct gf_param p_trainings[] = {
    {"year", GF_PT_INT, 0, NULL, "年度(默认: 最近有培训的一年)", "year (default: the newest with trainings)"},
    {"unit", GF_PT_CODE, 0, NULL, "主办单位(含下级)", "organising unit, with the units under it"},
    {"team", GF_PT_CODE, 0, NULL, "主办专班", "organising team"},
    {NULL}};
static const struct gf_param p_summary[] = {
    {"year", GF_PT_INT, 0, NULL, "年度(默认: 最近有培训的一年)", "year (default: the newest with trainings)"},
    {NULL}};

const struct gf_op gf_ops_cases[] = {
    {"cases.list", GF_OP_READ, "GET", "/api/cases", GF_PERM_READ, 0, p_list, op_list,
     "典型案例(按主题、单位、状态、文字查找)", "cases, by theme, unit, status or text"},
    {"cases.public", GF_OP_READ, "GET", "/api/cases/published", GF_PERM_PUBLIC, 0, p_public,
     op_public, "已发布的典型案例(无需登录)", "the published cases (no sign-in needed)"},
    {"cases.show", GF_OP_READ, "GET", "/api/cases/{code}", GF_PERM_READ, 0, p_show, op_show,
     "一个案例及其关联事项和指标", "one case with the items and indicators it shows"},
    {"cases.status", GF_OP_WRITE, "POST", "/api/cases/{code}/status", GF_PERM_CONFIG, 0, p_status,
     op_status, "案例进入下一状态: 草稿 → 推荐 → 发布", "move a case on: draft → recommended → published"},
    {"cases.attach", GF_OP_WRITE, "POST", "/api/cases/{code}/attachments", GF_PERM_CONFIG, 1,
     p_attach, op_attach, "为案例上传附件(照片、PDF、文档, 至多 20 MiB)",
     "attach a file to a case (photo, PDF, document; at most 20 MiB)"},
    {"cases.attachment", GF_OP_READ, "GET", "/api/cases/{code}/attachments/{name}", GF_PERM_READ, 0,
     p_attachment, op_attachment, "下载案例附件", "download an attachment of a case"},
    {"cases.detach", GF_OP_WRITE, "POST", "/api/cases/{code}/attachments/{name}/delete",
     GF_PERM_CONFIG, 0, p_detach, op_detach, "删除案例附件", "remove an attachment of a case"},
    {"trainings.list", GF_OP_READ, "GET", "/api/trainings", GF_PERM_READ, 0, p_trainings,
     op_trainings, "一年的培训及参训人数", "the trainings of a year and their attendees"},
    {"trainings.summary", GF_OP_READ, "GET", "/api/trainings/summary", GF_PERM_READ, 0, p_summary,
     op_summary, "一年的参训人次和人数, 按单位和专班", "person-times and people trained in a year, by unit and team"},
    {NULL},
};
