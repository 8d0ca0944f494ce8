/* ops_households.c — low-income household monitoring and paired assistance (低收入家庭动态监测与
 * 结对帮扶): `gongfu households …`, /api/households.
 *
 * Who: the registry is read (masked) by every role holding households.read within its unit
 * scope; an assistance cadre (role cadre) sees and visits only the households paired with it
 * (hh_case.cadre = its person).  The workflow (flag, identification steps, identify, pair,
 * eliminate) needs households.workflow in scope; visits households.visit (the cadre: its own).
 * Personal data (heads' and members' names, ID numbers, phones) is masked in every read; the
 * `households.*.unmasked` operations show it as stored to the administrator, the centre and a
 * household's own cadre, and write the audit record (read_unmasked) before anything is returned —
 * they are writes for that reason (the CLI's `--unmasked`; over HTTP a POST).  Settings, lists and
 * lines are configuration (config). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/household.h"
#include "service/service.h"

/* ---- scope rules ---------------------------------------------------------------------------- */

/* A list's unit: the given one (it must exist, and lie in the actor's scope), else the actor's
 * scope unit, else NULL (the whole zone). */
static int unit_filter(struct gf_call *c, const char **out)
{
    const char *unit = gf_arg(c, "unit");
    if (unit) {
        const struct gf_units *u = gf_ctx_units(c->cx, &c->err);
        if (!u)
            return c->err.code;
        if (gf_units_find(u, unit) < 0) {
            gf_err_at(&c->err, NULL, 0, "unit", unit,
                      "the code of an existing unit (no such unit)");
            return c->err.code = GF_ENOTFOUND;
        }
    }
    return gf_scope_filter(c, "unit", unit, out);
}

/* An assistance cadre sees only the households paired with it: its person is the cadre filter
 * (a cadre without a person sees none), and asking for another cadre's is refused. */
static int cadre_filter(struct gf_call *c, const char **out)
{
    const struct gf_actor *a = &c->cx->actor;
    *out = gf_arg(c, "cadre");
    if (a->role != GF_ROLE_CADRE)
        return GF_OK;
    if (*out && strcmp(*out, a->person))
        return gf_err_set(&c->err, GF_EFORBIDDEN,
                          "%s is an assistance cadre (%s): it sees its own paired households, "
                          "not those of %s",
                          a->name, a->person[0] ? a->person : "no person", *out);
    *out = a->person;
    return GF_OK;
}

/* The household exists (else GF_ENOTFOUND), its unit lies in the actor's scope and, for an
 * assistance cadre, it is paired with the actor (else GF_EFORBIDDEN). */
static int need_household(struct gf_call *c, const char *code)
{
    char unit[64], cadre[64];
    int rc = gf_hh_whose(c->cx->db, code, unit, sizeof unit, cadre, sizeof cadre, &c->err);
    if (rc)
        return rc;
    const struct gf_units *u = gf_ctx_units(c->cx, &c->err);
    if (!u)
        return c->err.code;
    const struct gf_actor *a = &c->cx->actor;
    if (!gf_scope_has(a, u, unit))
        return gf_err_set(&c->err, GF_EFORBIDDEN,
                          "household %s (unit %s) is outside the scope of %s (%s)", code, unit,
                          a->name, a->scope[0] ? a->scope : "none");
    if (a->role == GF_ROLE_CADRE && (!a->person[0] || strcmp(cadre, a->person)))
        return gf_err_set(&c->err, GF_EFORBIDDEN,
                          "household %s is not paired with %s (an assistance cadre acts on its own "
                          "households only)",
                          code, a->name);
    return GF_OK;
}

/* Who may see personal data unmasked: the administrator, the centre, and an assistance cadre
 * (its own households: the row rules above keep it there). */
static int may_unmask(struct gf_call *c)
{
    const struct gf_actor *a = &c->cx->actor;
    if (a->role == GF_ROLE_ADMIN || a->role == GF_ROLE_CENTRE || a->role == GF_ROLE_CADRE)
        return GF_OK;
    return gf_err_set(&c->err, GF_EFORBIDDEN,
                      "%s (role %s) may not see personal data unmasked (the administrator, the "
                      "centre and a household's own cadre may)",
                      a->name, gf_role_info[a->role].code);
}

/* ---- reading the registry ------------------------------------------------------------------- */

/* The text shown for a personal field: as stored when unmasked, else masked. */
static void shown(enum gf_hh_personal kind, const char *value, int unmasked, char *out, size_t cap)
{
    gf_hh_mask(unmasked ? GF_HH_NOT_PERSONAL : kind, value, out, cap);
}

/* The rows of sql (one text parameter) as a table; personal[j] (may be NULL) masks column j
 * unless unmasked; kind[j]: 'i' a whole number, 'n' a number (2 decimals for people), else
 * text.  NULL on error (c->err). */
static struct gf_table *rows_of(struct gf_call *c, const char *sql, const char *param,
                                const struct gf_column *cols, int ncols,
                                const enum gf_hh_personal *personal, const char *kind, int unmasked)
{
    struct gf_stmt *st;
    if (gf_db_prepare(c->cx->db, sql, &st, &c->err))
        return NULL;
    gf_stmt_bind_text(st, 1, param);
    struct gf_table *t = gf_table_new(cols, ncols);
    int rc;
    while ((rc = gf_stmt_step(st, &c->err)) == 1) {
        gf_table_row(t);
        for (int j = 0; j < ncols; j++) {
            if (gf_stmt_is_null(st, j))
                gf_table_text(t, j, NULL);
            else if (personal && personal[j]) {
                char m[256];
                shown(personal[j], gf_stmt_text(st, j), unmasked, m, sizeof m);
                gf_table_text(t, j, m);
            } else if (kind && kind[j] == 'i')
                gf_table_int(t, j, gf_stmt_int(st, j));
            else if (kind && kind[j] == 'n')
                gf_table_num(t, j, gf_stmt_double(st, j), 2);
            else
                gf_table_text(t, j, gf_stmt_text(st, j));
        }
    }
    gf_stmt_finalize(st);
    if (rc < 0) {
        gf_table_free(t);
        return NULL;
    }
    return t;
}

struct filters {
    const char *unit, *category, *state, *cadre;
};

static int filters_of(struct gf_call *c, struct filters *f)
{
    memset(f, 0, sizeof *f);
    int rc = unit_filter(c, &f->unit);
    if (rc || (rc = cadre_filter(c, &f->cadre)))
        return rc;
    f->state = gf_arg(c, "state");
    f->category = gf_arg(c, "category");
    if (f->category &&
        !gf_db_int_text(c->cx->db, "SELECT count(*) FROM hh_category WHERE code = ?", f->category))
        return gf_err_at(&c->err, NULL, 0, "category", f->category,
                         "a category code: unstable, edge, sudden, urban_low, dibao, tekun (or one "
                         "added with `gongfu households lists categories`)");
    return GF_OK;
}

static const char *filter_text(const struct filters *f, char *buf, size_t cap)
{
    snprintf(buf, cap, "unit=%s;category=%s;state=%s;cadre=%s", f->unit ? f->unit : "*",
             f->category ? f->category : "*", f->state ? f->state : "*", f->cadre ? f->cadre : "*");
    return buf;
}

static const char *const REGISTRY_SQL =
    "SELECT h.code, h.unit, CASE WHEN ?4 = 'en' THEN coalesce(u.name_en, u.name) ELSE u.name END,"
    " h.head_name, h.phone, h.area,"
    " COALESCE(NULLIF((SELECT count(*) FROM hh_member m WHERE m.household = h.code), 0), h.size,"
    " 1), COALESCE(c.state, 'none'), c.category, c.cadre, p.name, c.organisation,"
    " (SELECT max(visit_date) FROM hh_visit v WHERE v.household = h.code),"
    " (SELECT i.per_capita FROM hh_income i JOIN period pe ON pe.code = i.period"
    "   WHERE i.household = h.code ORDER BY pe.end_date DESC LIMIT 1)"
    " FROM household h JOIN unit u ON u.code = h.unit"
    " LEFT JOIN hh_case c ON c.household = h.code"
    " LEFT JOIN person p ON p.code = c.cadre"
    " WHERE (?1 IS NULL OR c.category = ?1) AND (?2 IS NULL OR COALESCE(c.state, 'none') = ?2)"
    " AND (?3 IS NULL OR c.cadre = ?3)"
    " ORDER BY h.unit, h.code";

static const struct gf_column list_cols[] = {
    {"household", "户编码", "household"},
    {"unit", "单位", "unit"},
    {"unit_name", "单位名称", "unit name"},
    {"head", "户主", "head"},
    {"phone", "电话", "phone"},
    {"area", "城乡", "area"},
    {"persons", "人数", "persons"},
    {"state", "状态", "state"},
    {"category", "类别", "category"},
    {"cadre", "帮扶干部", "cadre"},
    {"cadre_name", "干部姓名", "cadre name"},
    {"organisation", "帮扶单位", "organisation"},
    {"last_visit", "最近走访", "last visit"},
    {"income", "最近人均收入", "latest income"},
};

static const struct gf_column export_cols[] = {
    {"household", "户编码", "household"},
    {"unit", "单位", "unit"},
    {"head", "户主", "head"},
    {"phone", "电话", "phone"},
    {"state", "状态", "state"},
    {"category", "类别", "category"},
    {"seq", "序号", "seq"},
    {"name", "姓名", "name"},
    {"relation", "与户主关系", "relation"},
    {"id_number", "身份证号", "ID number"},
    {"age", "年龄", "age"},
    {"health", "健康状况", "health"},
    {"employment", "就业状况", "employment"},
    {"schooling", "在校情况", "schooling"},
};

/* Every member of a household into the export table (one row each). */
static int member_rows(struct gf_call *c, struct gf_stmt *ms, struct gf_stmt *st,
                       struct gf_table *t, const char *head, const char *phone, int unmasked)
{
    int rc;
    gf_stmt_reset(ms);
    gf_stmt_bind_text(ms, 1, gf_stmt_text(st, 0));
    while ((rc = gf_stmt_step(ms, &c->err)) == 1) {
        char id[64], name[256];
        shown(GF_HH_ID_NUMBER, gf_stmt_text(ms, 3), unmasked, id, sizeof id);
        shown(GF_HH_NAME, gf_stmt_text(ms, 1), unmasked, name, sizeof name);
        gf_table_row(t);
        gf_table_text(t, 0, gf_stmt_text(st, 0));
        gf_table_text(t, 1, gf_stmt_text(st, 1));
        gf_table_text(t, 2, head);
        gf_table_text(t, 3, phone);
        gf_table_text(t, 4, gf_stmt_text(st, 7));
        gf_table_text(t, 5, gf_stmt_text(st, 8));
        gf_table_int(t, 6, gf_stmt_int(ms, 0));
        gf_table_text(t, 7, name);
        gf_table_text(t, 8, gf_stmt_text(ms, 2));
        gf_table_text(t, 9, id);
        if (gf_stmt_is_null(ms, 4))
            gf_table_text(t, 10, NULL);
        else
            gf_table_int(t, 10, gf_stmt_int(ms, 4));
        gf_table_text(t, 11, gf_stmt_text(ms, 5));
        gf_table_text(t, 12, gf_stmt_text(ms, 6));
        gf_table_text(t, 13, gf_stmt_text(ms, 7));
    }
    return rc < 0 ? rc : GF_OK;
}

/* The registry as filtered: one row per household (list) or per member (export). */
static int registry(struct gf_call *c, int export, int unmasked)
{
    struct filters f;
    int rc = unmasked ? may_unmask(c) : GF_OK;
    if (rc || (rc = filters_of(c, &f)))
        return rc;
    const struct gf_units *u = gf_ctx_units(c->cx, &c->err);
    if (!u)
        return c->err.code;
    int a = f.unit ? gf_units_find(u, f.unit) : -1;
    struct gf_stmt *st = NULL, *ms = NULL;
    struct gf_table *t = export ? gf_table_new(export_cols, 14) : gf_table_new(list_cols, 14);
    if ((rc = gf_db_prepare(c->cx->db, REGISTRY_SQL, &st, &c->err)))
        goto out;
    gf_stmt_bind_text(st, 1, f.category);
    gf_stmt_bind_text(st, 2, f.state);
    gf_stmt_bind_text(st, 3, f.cadre);
    gf_stmt_bind_text(st, 4, c->cx->lang);
    if (export && (rc = gf_db_prepare(c->cx->db,
                                      "SELECT seq, name, relation, id_number, age, health,"
                                      " employment, schooling FROM hh_member WHERE household = ?"
                                      " ORDER BY seq",
                                      &ms, &c->err)))
        goto out;
    while ((rc = gf_stmt_step(st, &c->err)) == 1) {
        int ui = gf_units_find(u, gf_stmt_text(st, 1));
        if (a >= 0 && (ui < 0 || !gf_units_within(u, ui, a)))
            continue;
        char phone[64], head[256];
        shown(GF_HH_PHONE, gf_stmt_text(st, 4), unmasked, phone, sizeof phone);
        shown(GF_HH_NAME, gf_stmt_text(st, 3), unmasked, head, sizeof head);
        if (export) {
            if ((rc = member_rows(c, ms, st, t, head, phone, unmasked)))
                goto out;
            continue;
        }
        gf_table_row(t);
        for (int j = 0; j < 12; j++)
            gf_table_text(t, j, j == 3 ? head : j == 4 ? phone : gf_stmt_text(st, j));
        gf_table_int(t, 6, gf_stmt_int(st, 6));
        gf_table_text(t, 12, gf_stmt_text(st, 12));
        gf_table_num(t, 13, gf_stmt_double(st, 13), 0);
    }
    if (rc < 0)
        goto out;
    if (unmasked) { /* recorded before anything is returned */
        char ft[512];
        if ((rc = gf_hh_audit_read(c->cx->db, c->cx->actor.name,
                                   export ? "households export" : "households list",
                                   filter_text(&f, ft, sizeof ft), gf_table_rows(t), &c->err)))
            goto out;
    }
    if (export)
        gf_result_table(c, "members", "监测户成员", "household members", t);
    else
        gf_result_table(c, "households", "监测户", "households", t);
    t = NULL;
    rc = GF_OK;
out:
    gf_table_free(t);
    gf_stmt_finalize(st);
    gf_stmt_finalize(ms);
    return rc;
}

static int op_list(struct gf_call *c)
{
    return registry(c, 0, 0);
}

static int op_list_unmasked(struct gf_call *c)
{
    return registry(c, 0, 1);
}

static int op_export(struct gf_call *c)
{
    return registry(c, 1, 0);
}

static int op_export_unmasked(struct gf_call *c)
{
    return registry(c, 1, 1);
}

/* One household: the case, members, incomes, identification steps, history, visits. */
static int show(struct gf_call *c, int unmasked)
{
    const char *hh = gf_arg(c, "code");
    int rc = unmasked ? may_unmask(c) : GF_OK;
    if (rc || (rc = need_household(c, hh)))
        return rc;
    static const struct gf_column c0[] = {
        {"household", "户编码", "household"},
        {"unit", "单位", "unit"},
        {"head", "户主", "head"},
        {"address", "地址", "address"},
        {"phone", "电话", "phone"},
        {"area", "城乡", "area"},
        {"state", "状态", "state"},
        {"channel", "发现渠道", "channel"},
        {"risk", "风险类型", "risk"},
        {"category", "类别", "category"},
        {"found_on", "发现日期", "found on"},
        {"identified_on", "识别日期", "identified on"},
        {"identified_by", "识别人", "identified by"},
        {"assisted_on", "帮扶开始", "assisted on"},
        {"eliminated_on", "消除日期", "eliminated on"},
        {"returns", "返贫次数", "returns"},
        {"organisation", "帮扶单位", "organisation"},
        {"cadre", "帮扶干部", "cadre"},
        {"cadre_name", "干部姓名", "cadre name"},
        {"source", "来源", "source"},
    };
    static const enum gf_hh_personal p0[20] = {[2] = GF_HH_NAME, [4] = GF_HH_PHONE};
    static const char k0[20] = {[15] = 'i'};
    static const struct gf_column c1[] = {
        {"seq", "序号", "seq"},
        {"name", "姓名", "name"},
        {"relation", "关系", "relation"},
        {"id_number", "身份证号", "ID number"},
        {"age", "年龄", "age"},
        {"health", "健康", "health"},
        {"employment", "就业", "employment"},
        {"schooling", "在校", "schooling"},
    };
    static const enum gf_hh_personal p1[8] = {[1] = GF_HH_NAME, [3] = GF_HH_ID_NUMBER};
    static const char k1[8] = {'i', 0, 0, 0, 'i'};
    static const struct gf_column c2[] = {
        {"period", "期别", "period"},       {"per_capita", "人均可支配收入", "per capita"},
        {"wages", "工资性", "wages"},       {"business", "经营净", "business"},
        {"property", "财产净", "property"}, {"transfers", "转移净", "transfers"},
        {"source", "来源", "source"},
    };
    static const char k2[7] = {0, 'n', 'n', 'n', 'n', 'n'};
    static const struct gf_column c3[] = {
        {"step", "步骤", "step"},  {"name", "名称", "name"}, {"done_on", "日期", "date"},
        {"done_by", "经办", "by"}, {"note", "说明", "note"},
    };
    static const struct gf_column c4[] = {
        {"date", "日期", "date"},         {"action", "操作", "action"},
        {"from", "原状态", "from"},       {"to", "新状态", "to"},
        {"category", "类别", "category"}, {"organisation", "帮扶单位", "organisation"},
        {"cadre", "帮扶干部", "cadre"},   {"actor", "操作人", "actor"},
        {"note", "说明", "note"},         {"evidence", "依据", "evidence"},
    };
    static const struct gf_column c5[] = {
        {"date", "日期", "date"},       {"person", "走访人", "person"},
        {"measure", "措施", "measure"}, {"amount", "金额", "amount"},
        {"note", "说明", "note"},
    };
    static const char k5[5] = {0, 0, 0, 'n'};
    struct gf_table *t[6] = {0};
    t[0] = rows_of(c,
                   "SELECT h.code, h.unit, h.head_name, h.address, h.phone, h.area,"
                   " COALESCE(c.state,'none'), c.channel, c.risk, c.category, c.found_on,"
                   " c.identified_on, c.identified_by, c.assisted_on, c.eliminated_on, c.returns,"
                   " c.organisation, c.cadre, p.name, h.source"
                   " FROM household h LEFT JOIN hh_case c ON c.household = h.code"
                   " LEFT JOIN person p ON p.code = c.cadre WHERE h.code = ?",
                   hh, c0, 20, p0, k0, unmasked);
    if (t[0])
        t[1] = rows_of(c,
                       "SELECT seq, name, relation, id_number, age, health, employment,"
                       " schooling FROM hh_member WHERE household = ? ORDER BY seq",
                       hh, c1, 8, p1, k1, unmasked);
    if (t[1])
        t[2] = rows_of(c,
                       "SELECT i.period, i.per_capita, i.wages, i.business, i.property,"
                       " i.transfers, i.source FROM hh_income i JOIN period p"
                       " ON p.code = i.period WHERE i.household = ? ORDER BY p.start_date",
                       hh, c2, 7, NULL, k2, 1);
    if (t[2])
        t[3] = rows_of(c,
                       "SELECT c.step, s.name, c.done_on, c.done_by, c.note FROM"
                       " hh_case_step c JOIN hh_ident_step s ON s.code = c.step"
                       " WHERE c.household = ? ORDER BY s.position",
                       hh, c3, 5, NULL, NULL, 1);
    if (t[3])
        t[4] = rows_of(c,
                       "SELECT on_date, action, from_state, to_state, category,"
                       " organisation, cadre, actor, note, evidence FROM hh_event"
                       " WHERE household = ? ORDER BY on_date, id",
                       hh, c4, 10, NULL, NULL, 1);
    if (t[4])
        t[5] = rows_of(c,
                       "SELECT visit_date, person, measure, amount, note FROM hh_visit"
                       " WHERE household = ? ORDER BY visit_date, id",
                       hh, c5, 5, NULL, k5, 1);
    rc = t[5] ? GF_OK : c->err.code ? c->err.code : GF_ESYS;
    if (rc == GF_OK && unmasked) { /* recorded before anything is returned */
        char ft[128];
        snprintf(ft, sizeof ft, "household=%s", hh);
        rc = gf_hh_audit_read(c->cx->db, c->cx->actor.name, "households show", ft, 1, &c->err);
    }
    if (rc) {
        for (int i = 0; i < 6; i++)
            gf_table_free(t[i]);
        return rc;
    }
    gf_result_record(c, "household", "户", "household", t[0]);
    gf_result_table(c, "members", "家庭成员", "members", t[1]);
    gf_result_table(c, "incomes", "收入(元/人·年)", "incomes (yuan per person)", t[2]);
    gf_result_table(c, "steps", "识别步骤", "identification steps", t[3]);
    gf_result_table(c, "history", "历史", "history", t[4]);
    gf_result_table(c, "visits", "走访与措施", "visits and measures", t[5]);
    return GF_OK;
}

static int op_show(struct gf_call *c)
{
    return show(c, 0);
}

static int op_show_unmasked(struct gf_call *c)
{
    return show(c, 1);
}

/* ---- alerts and coverage -------------------------------------------------------------------- */

/* A positive whole number parameter (at most 100 000), 0 when not given. */
static int positive(struct gf_call *c, const char *name, int *out)
{
    const char *v = gf_arg(c, name);
    long long x = gf_arg_int(c, name, 0);
    *out = 0;
    if (!v)
        return GF_OK;
    if (x <= 0 || x > 100000)
        return gf_err_at(&c->err, NULL, 0, name, v, "a positive whole number");
    *out = (int)x;
    return GF_OK;
}

static int alerts(struct gf_call *c, int unmasked)
{
    const char *unit, *cadre, *rule = gf_arg(c, "rule");
    int days, months, rc = unmasked ? may_unmask(c) : GF_OK;
    if (rc || (rc = unit_filter(c, &unit)) || (rc = cadre_filter(c, &cadre)) ||
        (rc = positive(c, "days", &days)) || (rc = positive(c, "months", &months)))
        return rc;
    struct gf_hh_alert *al = NULL;
    int n = 0;
    if ((rc = gf_hh_alerts(c->cx->db, unit, cadre, gf_arg(c, "date"), days, months, &al, &n,
                           &c->err)))
        return rc;
    static const struct gf_column cols[] = {
        {"rule", "规则", "rule"},
        {"rule_name", "预警", "alert"},
        {"household", "户编码", "household"},
        {"unit", "单位", "unit"},
        {"head", "户主", "head"},
        {"state", "状态", "state"},
        {"cadre", "帮扶干部", "cadre"},
        {"cadre_name", "干部姓名", "cadre name"},
        {"detail", "说明", "detail"},
    };
    struct gf_table *t = gf_table_new(cols, 9);
    int en = c->cx->lang[0] == 'e';
    for (int i = 0; i < n; i++) {
        const struct gf_hh_alert *x = &al[i];
        if (rule && strcmp(rule, gf_hh_rule_code[x->rule]))
            continue;
        gf_table_row(t);
        gf_table_text(t, 0, gf_hh_rule_code[x->rule]);
        gf_table_text(t, 1, en ? gf_hh_rule_en[x->rule] : gf_hh_rule_zh[x->rule]);
        gf_table_text(t, 2, x->household[0] ? x->household : NULL);
        gf_table_text(t, 3, x->unit[0] ? x->unit : NULL);
        char head[sizeof x->head];
        shown(GF_HH_NAME, x->head, unmasked, head, sizeof head);
        gf_table_text(t, 4, head[0] ? head : NULL);
        gf_table_text(t, 5, x->state[0] ? x->state : NULL);
        gf_table_text(t, 6, x->cadre[0] ? x->cadre : NULL);
        gf_table_text(t, 7, x->cadre_name[0] ? x->cadre_name : NULL);
        gf_table_text(t, 8, en ? x->detail : x->detail_zh);
    }
    free(al);
    if (unmasked) { /* recorded before anything is returned */
        char ft[256];
        snprintf(ft, sizeof ft, "unit=%s;cadre=%s;rule=%s", unit ? unit : "*", cadre ? cadre : "*",
                 rule ? rule : "*");
        if ((rc = gf_hh_audit_read(c->cx->db, c->cx->actor.name, "households alerts", ft,
                                   gf_table_rows(t), &c->err))) {
            gf_table_free(t);
            return rc;
        }
    }
    gf_result_table(c, "alerts", "预警", "alerts", t);
    return GF_OK;
}

static int op_alerts(struct gf_call *c)
{
    return alerts(c, 0);
}

static int op_alerts_unmasked(struct gf_call *c)
{
    return alerts(c, 1);
}

static double pct(long a, long b)
{
    return b > 0 ? 100.0 * (double)a / (double)b : NAN;
}

/* Coverage of a unit and each of its children (aggregates: no personal data). */
static int op_coverage(struct gf_call *c)
{
    const char *unit, *period = gf_arg(c, "period");
    int rc = unit_filter(c, &unit);
    if (rc)
        return rc;
    if (!unit) { /* the whole zone: its (first) top unit */
        const struct gf_units *u = gf_ctx_units(c->cx, &c->err);
        if (!u)
            return c->err.code;
        unit = u->n ? u->unit[0].code : NULL;
    }
    char year[8];
    if (!period) {
        char today[32];
        snprintf(year, sizeof year, "%.4s", gf_today(today));
        period = year;
    }
    struct gf_hh_coverage *v = NULL;
    int n = 0;
    if ((rc = gf_hh_coverage(c->cx->db, unit, period, &v, &n, &c->err)))
        return rc;
    static const struct gf_column cols[] = {
        {"unit", "单位", "unit"},
        {"name", "名称", "name"},
        {"flagged", "建档户", "flagged hh"},
        {"flagged_persons", "建档人数", "flagged persons"},
        {"identified", "监测户", "identified hh"},
        {"identified_persons", "监测人数", "identified persons"},
        {"paired", "已结对", "paired"},
        {"paired_pct", "结对率%", "paired %"},
        {"visited30_pct", "30天走访率%", "visited 30d %"},
        {"visited90_pct", "90天走访率%", "visited 90d %"},
        {"eliminated", "本年消除", "eliminated this year"},
        {"returned", "本年返贫", "returned to risk"},
        {"income_monitored", "监测户人均收入", "monitored income"},
        {"income_unit", "本单位人均收入", "unit income"},
        {"ratio", "比值(1:x)", "ratio (1:x)"},
    };
    struct gf_table *t = gf_table_new(cols, 15);
    for (int i = 0; i < n; i++) {
        gf_table_row(t);
        gf_table_text(t, 0, v[i].unit);
        gf_table_text(t, 1, v[i].name);
        gf_table_int(t, 2, v[i].hh_flagged);
        gf_table_int(t, 3, v[i].p_flagged);
        gf_table_int(t, 4, v[i].hh_ident);
        gf_table_int(t, 5, v[i].p_ident);
        gf_table_int(t, 6, v[i].hh_paired);
        gf_table_num(t, 7, pct(v[i].hh_paired, v[i].hh_ident), 1);
        gf_table_num(t, 8, pct(v[i].hh_visit30, v[i].hh_ident), 1);
        gf_table_num(t, 9, pct(v[i].hh_visit90, v[i].hh_ident), 1);
        gf_table_int(t, 10, v[i].hh_eliminated);
        gf_table_int(t, 11, v[i].hh_returned);
        gf_table_num(t, 12, v[i].income_monitored, 0);
        gf_table_num(t, 13, v[i].income_unit, 0);
        gf_table_num(t, 14,
                     v[i].income_monitored > 0 ? v[i].income_unit / v[i].income_monitored : NAN, 2);
    }
    int no_income = n > 0 && !(v[0].income_unit > 0) && !(v[0].income_monitored > 0);
    free(v);
    gf_result_table(c, "coverage", "覆盖情况", "coverage", t);
    if (!no_income)
        gf_result_msg(c, "低收入家庭监测覆盖情况 %s 年", "household monitoring coverage %s",
                      period);
    else /* e.g. the current year before the survey */
        gf_result_msg(c,
                      "低收入家庭监测覆盖情况 %s 年\n%s 年尚无住户收入记录, 收入三列为空; "
                      "收入对比请用 %s 指定有收入数据的年份(如 %s %d)。",
                      "household monitoring coverage %s\nNo household incomes recorded for %s "
                      "yet, so the income columns are empty; use %s with a year that has incomes "
                      "(e.g. %s %d).",
                      period, period, c->cli ? "--period" : "period",
                      c->cli ? "--period" : "period=", atoi(period) - 1);
    return GF_OK;
}

/* ---- the workflow --------------------------------------------------------------------------- */

static int op_flag(struct gf_call *c)
{
    const char *household = gf_arg(c, "household"), *file = gf_arg(c, "file");
    const char *line_s = gf_arg(c, "line"), *channel = gf_arg(c, "channel");
    int dry = gf_arg_flag(c, "dry_run"), micro = gf_arg_flag(c, "microdata"), rc;
    double line = gf_arg_num(c, "line", 0);
    if (line_s && !(line > 0))
        return gf_err_at(&c->err, NULL, 0, "line", line_s, "a positive amount in yuan");
    if (household) { /* one case: self-report, cadre screening */
        if (gf_arg(c, "unit") || gf_arg(c, "period") || line_s || file || dry || micro)
            return gf_err_set(&c->err, GF_EUSAGE,
                              "households flag: household opens one case; it does not combine "
                              "with unit, period, line, file, dry run or microdata");
        if ((rc = need_household(c, household)) ||
            (rc = gf_hh_find(c->cx->db, c->cx->actor.name, household, channel ? channel : "cadre",
                             gf_arg(c, "risk"), gf_arg(c, "date"), gf_arg(c, "note"), &c->err)))
            return rc;
        gf_result_msg(c, "%s: 已建档 (found)", "%s: case opened (found)", household);
        return GF_OK;
    }
    if (micro && file)
        return gf_err_set(&c->err, GF_EUSAGE,
                          "households flag: microdata reads the stored survey microdata; import "
                          "the file first (gongfu import households FILE)");
    if (micro && !gf_role_can(c->cx->actor.role, GF_PERM_MICRODATA))
        return gf_err_set(&c->err, GF_EFORBIDDEN,
                          "%s (role %s) may not read the income survey microdata",
                          c->cx->actor.name, gf_role_info[c->cx->actor.role].code);
    const char *unit;
    if ((rc = unit_filter(c, &unit)))
        return rc;
    struct gf_hh_proposal *p = NULL;
    int n = 0;
    long unmatched = 0;
    const char *actor = c->cx->actor.name, *period = gf_arg(c, "period"), *date = gf_arg(c, "date");
    if (micro)
        rc = gf_hh_flag_microdata(c->cx->db, actor, unit, period, line, channel, date, dry, &p, &n,
                                  &unmatched, &c->err);
    else
        rc = gf_hh_flag(c->cx->db, actor, unit, period, line, channel, date, file, dry, &p, &n,
                        &c->err);
    if (rc)
        return rc;
    static const struct gf_column cols[] = {
        {"household", "户编码", "household"}, {"unit", "单位", "unit"},
        {"period", "期别", "period"},         {"per_capita", "人均收入", "per capita"},
        {"line", "监测线", "line"},           {"state", "状态", "state"},
        {"action", "处理", "action"},
    };
    struct gf_table *t = gf_table_new(cols, 7);
    long opened = 0;
    for (int i = 0; i < n; i++) {
        gf_table_row(t);
        gf_table_text(t, 0, p[i].household);
        gf_table_text(t, 1, p[i].unit);
        gf_table_text(t, 2, p[i].period);
        gf_table_num(t, 3, p[i].per_capita, 0);
        gf_table_num(t, 4, p[i].line, 0);
        gf_table_text(t, 5, p[i].state);
        gf_table_text(t, 6,
                      p[i].created                        ? (dry ? "propose" : "opened")
                      : !strcmp(p[i].state, "eliminated") ? "back_under"
                                                          : "already_monitored");
        opened += p[i].created;
    }
    free(p);
    gf_result_table(c, "flagged", "低于监测线", "under the line", t);
    if (dry)
        gf_result_msg(c, "(试运行, 未写入) 将建档 %ld 户",
                      "(dry run, nothing written) %ld cases to open", opened);
    else
        gf_result_msg(c, "已建档 %ld 户", "%ld cases opened", opened);
    if (unmatched > 0) /* under the line, but nobody to open a case for */
        gf_result_note(c,
                       GF_L(c->cx, "另有 %ld 户微观数据低于监测线但不在登记册中(需先登记)",
                            "%ld more microdata households are under the line but not in the "
                            "registry (register them first)"),
                       unmatched);
    return GF_OK;
}

/* The steps of an identification: codes separated by commas or given several times. */
static int step_list(struct gf_call *c, char **buf, const char *list[17])
{
    const char *v = gf_arg(c, "steps");
    *buf = NULL;
    memset(list, 0, 17 * sizeof *list);
    if (!v)
        return GF_OK;
    if (!(*buf = strdup(v)))
        return gf_err_set(&c->err, GF_ENOMEM, "out of memory");
    int k = 0;
    char *save = NULL;
    for (char *s = strtok_r(*buf, ",\n", &save); s; s = strtok_r(NULL, ",\n", &save)) {
        if (k == 16) { /* more are refused, not dropped: a malformed parameter */
            gf_err_at(&c->err, NULL, 0, "steps", v, "at most 16 steps");
            return c->err.code = c->cli ? GF_EUSAGE : GF_EUSER;
        }
        list[k++] = s;
    }
    return GF_OK;
}

static int op_identify(struct gf_call *c)
{
    const char *hh = gf_arg(c, "code"), *list[17];
    char *buf;
    int rc = step_list(c, &buf, list);
    if (rc == GF_OK && (rc = need_household(c, hh)) == GF_OK)
        rc = gf_hh_identify(c->cx->db, c->cx->actor.name, hh, gf_arg(c, "category"),
                            gf_arg(c, "date"), gf_arg(c, "steps") ? list : NULL, gf_arg(c, "note"),
                            &c->err);
    free(buf);
    if (rc == GF_OK)
        gf_result_msg(c, "%s: 已识别 (identified)", "%s: identified", hh);
    return rc;
}

static int op_step(struct gf_call *c)
{
    const char *hh = gf_arg(c, "code"), *step = gf_arg(c, "step");
    int rc = need_household(c, hh);
    if (rc || (rc = gf_hh_step(c->cx->db, c->cx->actor.name, hh, step, gf_arg(c, "date"),
                               gf_arg(c, "note"), &c->err)))
        return rc;
    gf_result_msg(c, "%s: 已记录识别步骤 %s", "%s: identification step %s recorded", hh, step);
    return GF_OK;
}

static int op_pair(struct gf_call *c)
{
    const char *hh = gf_arg(c, "code"), *org = gf_arg(c, "org"), *cadre = gf_arg(c, "cadre");
    int rc = need_household(c, hh);
    if (rc ||
        (rc = gf_hh_pair(c->cx->db, c->cx->actor.name, hh, org, cadre, gf_arg(c, "date"), &c->err)))
        return rc;
    gf_result_msg(c, "%s: 已结对 %s / %s", "%s: paired with %s / %s", hh, org, cadre);
    return GF_OK;
}

static int op_visit(struct gf_call *c)
{
    const char *hh = gf_arg(c, "code"), *person = gf_arg(c, "cadre");
    const char *measure = gf_arg(c, "measure");
    const struct gf_actor *a = &c->cx->actor;
    int rc = need_household(c, hh);
    if (rc)
        return rc;
    if (a->role == GF_ROLE_CADRE) { /* a cadre logs its own visits */
        if (person && strcmp(person, a->person))
            return gf_err_set(&c->err, GF_EFORBIDDEN,
                              "%s logs its own visits (as %s), not those of %s", a->name, a->person,
                              person);
        person = a->person;
    }
    if ((rc = gf_hh_visit(c->cx->db, a->name, hh, gf_arg(c, "date"), person, measure,
                          gf_arg_num(c, "amount", NAN), gf_arg(c, "note"), &c->err)))
        return rc;
    if (measure)
        gf_result_msg(c, "%s: 已记录帮扶措施", "%s: measure recorded", hh);
    else
        gf_result_msg(c, "%s: 已记录走访", "%s: visit recorded", hh);
    return GF_OK;
}

static int op_eliminate(struct gf_call *c)
{
    const char *hh = gf_arg(c, "code");
    int rc = need_household(c, hh);
    if (rc || (rc = gf_hh_eliminate(c->cx->db, c->cx->actor.name, hh, gf_arg(c, "date"),
                                    gf_arg(c, "note"), &c->err)))
        return rc;
    gf_result_msg(c, "%s: 风险已消除 (eliminated)", "%s: risk eliminated", hh);
    return GF_OK;
}

/* ---- configuration -------------------------------------------------------------------------- */

static int op_set(struct gf_call *c)
{
    const char *key = gf_arg(c, "key"), *value = gf_arg(c, "value"), *cadre = gf_arg(c, "cadre");
    int rc;
    if (cadre && strcmp(key, "max_households_per_cadre"))
        return gf_err_set(&c->err, GF_EUSAGE,
                          "households set: cadre goes with max_households_per_cadre (a personal "
                          "limit), not with %s",
                          key);
    if (cadre)
        rc = gf_hh_cadre_max_set(c->cx->db, c->cx->actor.name, cadre, value, &c->err);
    else
        rc = gf_hh_setting_set(c->cx->db, c->cx->actor.name, key, value, &c->err);
    if (rc)
        return rc;
    gf_result_msg(c, "%s%s%s = %s", "%s%s%s = %s", key, cadre ? " " : "", cadre ? cadre : "",
                  value);
    return GF_OK;
}

static int op_lists(struct gf_call *c)
{
    const char *which = gf_arg(c, "list");
    static const struct gf_column cols[] = {
        {"list", "清单", "list"},         {"code", "代码", "code"},
        {"name", "名称", "name"},         {"name_en", "英文名称", "English name"},
        {"position", "顺序", "position"}, {"required", "必需", "required"},
    };
    struct gf_table *t = gf_table_new(cols, 6);
    int rc = GF_OK;
    for (int i = 0; gf_hh_list_names[i] && rc == GF_OK; i++) {
        const char *name = gf_hh_list_names[i];
        if (which && strcmp(which, name))
            continue;
        int steps = !strcmp(name, "steps");
        char sql[200];
        snprintf(sql, sizeof sql,
                 "SELECT code, name, name_en, position%s FROM %s ORDER BY position, code",
                 steps ? ", required" : "", gf_hh_list_table(name));
        struct gf_stmt *st;
        if ((rc = gf_db_prepare(c->cx->db, sql, &st, &c->err)))
            break;
        while ((rc = gf_stmt_step(st, &c->err)) == 1) {
            gf_table_row(t);
            gf_table_text(t, 0, name);
            gf_table_text(t, 1, gf_stmt_text(st, 0));
            gf_table_text(t, 2, gf_stmt_text(st, 1));
            gf_table_text(t, 3, gf_stmt_text(st, 2));
            gf_table_int(t, 4, gf_stmt_int(st, 3));
            if (steps)
                gf_table_int(t, 5, gf_stmt_int(st, 4));
        }
        gf_stmt_finalize(st);
        rc = rc < 0 ? rc : GF_OK;
    }
    if (rc) {
        gf_table_free(t);
        return rc;
    }
    gf_result_table(c, "lists", "可配置清单", "configurable lists", t);
    return GF_OK;
}

static int op_lists_set(struct gf_call *c)
{
    const char *list = gf_arg(c, "list"), *code = gf_arg(c, "code"), *name = gf_arg(c, "name");
    const char *pos = gf_arg(c, "position"), *req = gf_arg(c, "required");
    long position = (long)gf_arg_int(c, "position", 0);
    if (pos && (position <= 0 || position > 100000))
        return gf_err_at(&c->err, NULL, 0, "position", pos, "a positive whole number");
    int rc = gf_hh_list_set(c->cx->db, c->cx->actor.name, list, code, name, gf_arg(c, "en"),
                            position, req ? atoi(req) : -1, &c->err);
    if (rc)
        return rc;
    gf_result_msg(c, "%s: %s = %s", "%s: %s = %s", list, code, name);
    return GF_OK;
}

static int op_lines(struct gf_call *c)
{
    static const struct gf_column cols[] = {
        {"region", "地区", "region"},       {"area", "城乡", "area"},
        {"year", "起始年", "from year"},    {"amount", "监测线(元/人·年)", "line (yuan)"},
        {"name", "名称", "name"},           {"source", "来源", "source"},
        {"verified", "已核实", "verified"},
    };
    static const char *const num[] = {"year", "amount", "verified", NULL};
    return gf_result_query(c, "lines", "监测线", "monitoring lines",
                           "SELECT region, area, year, amount, name, source, verified FROM hh_line"
                           " ORDER BY region, area, year",
                           NULL, 0, cols, 7, num);
}

static int op_lines_set(struct gf_call *c)
{
    const char *region = gf_arg(c, "region"), *area = gf_arg(c, "area");
    const char *year = gf_arg(c, "year"), *amount = gf_arg(c, "amount");
    /* a unit's line is the business of whoever has the unit in scope; the national one of the
     * zone-wide */
    const struct gf_units *u = gf_ctx_units(c->cx, &c->err);
    if (!u)
        return c->err.code;
    const struct gf_actor *a = &c->cx->actor;
    if ((!strcmp(region, "CN") && a->scope[0]) ||
        (strcmp(region, "CN") && gf_units_find(u, region) >= 0 && !gf_scope_has(a, u, region)))
        return gf_err_set(&c->err, GF_EFORBIDDEN, "region %s is outside the scope of %s (%s)",
                          region, a->name, a->scope[0] ? a->scope : "none");
    int rc = gf_hh_line_set(c->cx->db, a->name, region, area, (long)gf_arg_int(c, "year", 0),
                            gf_arg_num(c, "amount", NAN), gf_arg(c, "name"), gf_arg(c, "source"),
                            gf_arg_flag(c, "verified"), &c->err);
    if (rc)
        return rc;
    gf_result_msg(c, "%s %s %s: %s", "%s %s %s: %s", region, area, year, amount);
    return GF_OK;
}

static int op_demo(struct gf_call *c)
{
    int rc = gf_demo_households(c->cx->db, c->cx->actor.name, &c->err);
    if (rc)
        return rc;
    gf_result_msg(c, "已生成合成监测户 %lld 户", "synthetic registry: %lld households",
                  (long long)gf_db_int(c->cx->db, "SELECT count(*) FROM household", 0));
    return GF_OK;
}

/* ---- the table ------------------------------------------------------------------------------ */

static const char *const states[] = {"found", "identified", "assisted", "eliminated", "none", NULL};
static const char *const areas[] = {"urban", "rural", "all", NULL};
static const char *const zero_one[] = {"0", "1", NULL};

#define P_CODE                                                                                     \
    {                                                                                              \
        "code", GF_PT_CODE, GF_PF_KEY | GF_PF_REQUIRED, NULL, "户编码", "household code"           \
    }
#define P_DATE                                                                                     \
    {                                                                                              \
        "date", GF_PT_DATE, 0, NULL, "日期(默认今天)", "date (default: today)"                     \
    }
#define P_NOTE                                                                                     \
    {                                                                                              \
        "note", GF_PT_TEXT, 0, NULL, "说明", "note"                                                \
    }

static const struct gf_param p_registry[] = {
    {"unit", GF_PT_CODE, 0, NULL, "单位(含下级;默认本人范围)",
     "unit and those under it (default: the user's scope)"},
    {"category", GF_PT_CODE, 0, NULL, "类别", "category"},
    {"state", GF_PT_ENUM, 0, states, "状态", "state"},
    {"cadre", GF_PT_CODE, 0, NULL, "帮扶干部", "cadre (person code)"},
    {NULL}};
static const struct gf_param p_show[] = {P_CODE, {NULL}};
static const struct gf_param p_alerts[] = {
    {"unit", GF_PT_CODE, 0, NULL, "单位(含下级;默认本人范围)",
     "unit and those under it (default: the user's scope)"},
    {"cadre", GF_PT_CODE, 0, NULL, "帮扶干部", "cadre (person code)"},
    {"rule", GF_PT_ENUM, 0, gf_hh_rule_code, "预警规则", "alert rule"},
    {"date", GF_PT_DATE, 0, NULL, "截至日期(默认今天)", "as of (default: today)"},
    {"days", GF_PT_INT, 0, NULL, "未走访天数(默认设置 visit_days)",
     "days without a visit (default: setting visit_days)"},
    {"months", GF_PT_INT, 0, NULL, "帮扶月数(默认设置 assist_months)",
     "months of assistance (default: setting assist_months)"},
    {NULL}};
static const struct gf_param p_coverage[] = {
    {"unit", GF_PT_CODE, 0, NULL, "单位(本级及各下级;默认本人范围)",
     "unit, and each child (default: the user's scope)"},
    {"period", GF_PT_PERIOD, 0, NULL, "年份(默认今年)", "year (default: this year)"},
    {NULL}};
static const struct gf_param p_flag[] = {
    {"unit", GF_PT_CODE, 0, NULL, "单位(默认本人范围)", "unit (default: the user's scope)"},
    {"period", GF_PT_PERIOD, 0, NULL, "收入年份(默认各户最近一期)",
     "income year (default: each household's latest)"},
    {"line", GF_PT_NUM, 0, NULL, "监测线(元/人·年,默认按地区)",
     "line in yuan per person a year (default: the region's)"},
    {"file", GF_PT_TEXT, GF_PF_CLI, NULL, "先导入的收入文件", "an incomes file imported first"},
    {"channel", GF_PT_CODE, 0, NULL, "发现渠道", "discovery channel"},
    {"date", GF_PT_DATE, 0, NULL, "建档日期(默认今天)", "date of the case (default: today)"},
    {"household", GF_PT_CODE, 0, NULL, "为一户建档", "open the case of one household"},
    {"risk", GF_PT_CODE, 0, NULL, "风险类型", "risk type"},
    P_NOTE,
    {"microdata", GF_PT_BOOL, 0, NULL, "读取住户收入微观数据", "read the income survey microdata"},
    {"dry_run", GF_PT_BOOL, 0, NULL, "试运行(不写入)", "dry run (nothing written)"},
    {NULL}};
static const struct gf_param p_identify[] = {
    P_CODE,
    {"category", GF_PT_CODE, 0, NULL, "类别", "category"},
    {"steps", GF_PT_TEXT, GF_PF_MULTI, NULL, "同时记录的识别步骤(all 或 步骤,…)",
     "identification steps recorded with it (all, or STEP,…)"},
    P_DATE,
    P_NOTE,
    {NULL}};
static const struct gf_param p_step[] = {
    P_CODE,
    {"step", GF_PT_CODE, GF_PF_REQUIRED, NULL, "识别步骤", "identification step"},
    P_DATE,
    P_NOTE,
    {NULL}};
static const struct gf_param p_pair[] = {
    P_CODE,
    {"org", GF_PT_TEXT, GF_PF_REQUIRED, NULL, "帮扶单位", "assisting organisation"},
    {"cadre", GF_PT_CODE, GF_PF_REQUIRED, NULL, "帮扶干部(人员编码)", "cadre (person code)"},
    P_DATE,
    {NULL}};
static const struct gf_param p_visit[] = {
    P_CODE,
    P_DATE,
    {"cadre", GF_PT_CODE, 0, NULL, "走访人(默认结对干部)", "visitor (default: the paired cadre)"},
    {"measure", GF_PT_CODE, 0, NULL, "帮扶措施", "measure"},
    {"amount", GF_PT_NUM, 0, NULL, "金额(元)", "amount (yuan)"},
    P_NOTE,
    {NULL}};
static const struct gf_param p_eliminate[] = {P_CODE, P_DATE, P_NOTE, {NULL}};
static const struct gf_param p_set[] = {
    {"key", GF_PT_CODE, GF_PF_KEY | GF_PF_REQUIRED, NULL, "设置项", "setting"},
    {"value", GF_PT_TEXT, GF_PF_KEY | GF_PF_REQUIRED, NULL, "值", "value"},
    {"cadre", GF_PT_CODE, 0, NULL, "干部(个人结对上限)", "cadre (a personal maximum)"},
    {NULL}};
static const struct gf_param p_lists[] = {
    {"list", GF_PT_ENUM, GF_PF_KEY, gf_hh_list_names, "清单", "list"}, {NULL}};
static const struct gf_param p_lists_set[] = {
    {"list", GF_PT_ENUM, GF_PF_KEY | GF_PF_REQUIRED, gf_hh_list_names, "清单", "list"},
    {"code", GF_PT_CODE, GF_PF_KEY | GF_PF_REQUIRED, NULL, "代码", "code"},
    {"name", GF_PT_TEXT, GF_PF_KEY | GF_PF_REQUIRED, NULL, "名称", "name"},
    {"en", GF_PT_TEXT, 0, NULL, "英文名称", "English name"},
    {"position", GF_PT_INT, 0, NULL, "顺序", "position"},
    {"required", GF_PT_ENUM, 0, zero_one, "必需(仅识别步骤)", "required (steps only)"},
    {NULL}};
static const struct gf_param p_none[] = {{NULL}};
static const struct gf_param p_lines_set[] = {
    {"region", GF_PT_CODE, GF_PF_KEY | GF_PF_REQUIRED, NULL, "地区(CN 或单位编码)",
     "region (CN or a unit code)"},
    {"area", GF_PT_ENUM, GF_PF_KEY | GF_PF_REQUIRED, areas, "城乡", "area"},
    {"year", GF_PT_INT, GF_PF_KEY | GF_PF_REQUIRED, NULL, "起始年", "from year"},
    {"amount", GF_PT_NUM, GF_PF_KEY | GF_PF_REQUIRED, NULL, "监测线(元/人·年)",
     "line (yuan per person a year)"},
    {"name", GF_PT_TEXT, 0, NULL, "名称", "name"},
    {"source", GF_PT_TEXT, 0, NULL, "来源", "source"},
    {"verified", GF_PT_BOOL, 0, NULL, "已核实", "verified"},
    {NULL}};

/* Literal paths before /api/households/{code}...: the router takes the first that matches. */
const struct gf_op gf_ops_households[] = {
    {"households.list", GF_OP_READ, "GET", "/api/households", GF_PERM_HH_READ, 0, p_registry,
     op_list, "列出监测户(个人信息脱敏)", "list households (personal data masked)"},
    {"households.export", GF_OP_READ, "GET", "/api/households/members", GF_PERM_HH_READ, 0,
     p_registry, op_export, "按成员列出监测户(个人信息脱敏)",
     "households, one row per member (personal data masked)"},
    {"households.alerts", GF_OP_READ, "GET", "/api/households/alerts", GF_PERM_HH_READ, 0, p_alerts,
     op_alerts, "预警: 未结对、超期未走访、帮扶后仍低于线、返回线下、干部超限",
     "alerts: no cadre, no visit, still under, back under, cadre over maximum"},
    {"households.coverage", GF_OP_READ, "GET", "/api/households/coverage", GF_PERM_HH_READ, 0,
     p_coverage, op_coverage, "覆盖情况: 建档、识别、结对、走访、消除、收入对比",
     "coverage: flagged, identified, paired, visited, eliminated, incomes"},
    {"households.lists", GF_OP_READ, "GET", "/api/households/lists", GF_PERM_READ, 0, p_lists,
     op_lists, "可配置清单: 类别、发现渠道、风险类型、帮扶措施、识别步骤",
     "configurable lists: categories, channels, risks, measures, steps"},
    {"households.lines", GF_OP_READ, "GET", "/api/households/lines", GF_PERM_READ, 0, p_none,
     op_lines, "监测线", "monitoring lines"},
    {"households.show", GF_OP_READ, "GET", "/api/households/{code}", GF_PERM_HH_READ, 0, p_show,
     op_show, "一户: 成员、收入、识别步骤、历史、走访(个人信息脱敏)",
     "one household: members, incomes, steps, history, visits (personal data masked)"},
    {"households.list.unmasked", GF_OP_WRITE, "POST", "/api/households/unmasked", GF_PERM_HH_READ,
     0, p_registry, op_list_unmasked, "列出监测户(不脱敏,记入审计)",
     "list households unmasked (audited)"},
    {"households.export.unmasked", GF_OP_WRITE, "POST", "/api/households/members/unmasked",
     GF_PERM_HH_READ, 0, p_registry, op_export_unmasked, "按成员列出监测户(不脱敏,记入审计)",
     "households by member unmasked (audited)"},
    {"households.alerts.unmasked", GF_OP_WRITE, "POST", "/api/households/alerts/unmasked",
     GF_PERM_HH_READ, 0, p_alerts, op_alerts_unmasked, "预警(户主姓名不脱敏,记入审计)",
     "alerts with heads' names unmasked (audited)"},
    {"households.show.unmasked", GF_OP_WRITE, "POST", "/api/households/{code}/unmasked",
     GF_PERM_HH_READ, 0, p_show, op_show_unmasked, "一户(不脱敏,记入审计)",
     "one household unmasked (audited)"},
    {"households.flag", GF_OP_WRITE, "POST", "/api/households/flag", GF_PERM_HH_WORKFLOW, 0, p_flag,
     op_flag, "为低于监测线的户建档(或为一户建档)",
     "open cases for households under the line (or for one household)"},
    {"households.identify", GF_OP_WRITE, "POST", "/api/households/{code}/identify",
     GF_PERM_HH_WORKFLOW, 0, p_identify, op_identify, "识别认定(或返贫重新识别)",
     "identify a household (or again after elimination)"},
    {"households.step", GF_OP_WRITE, "POST", "/api/households/{code}/steps", GF_PERM_HH_WORKFLOW, 0,
     p_step, op_step, "记录一个识别步骤", "record one identification step"},
    {"households.pair", GF_OP_WRITE, "POST", "/api/households/{code}/pair", GF_PERM_HH_WORKFLOW, 0,
     p_pair, op_pair, "结对帮扶: 帮扶单位和干部", "pair with an organisation and a cadre"},
    {"households.visit", GF_OP_WRITE, "POST", "/api/households/{code}/visits", GF_PERM_HH_VISIT, 0,
     p_visit, op_visit, "记录走访或帮扶措施", "log a visit or a measure"},
    {"households.eliminate", GF_OP_WRITE, "POST", "/api/households/{code}/eliminate",
     GF_PERM_HH_WORKFLOW, 0, p_eliminate, op_eliminate, "风险消除(连续达线)",
     "eliminate the risk (incomes at or above the line)"},
    {"households.set", GF_OP_WRITE, "PUT", "/api/households/settings/{key}", GF_PERM_CONFIG, 0,
     p_set, op_set, "设置监测参数", "change a monitoring setting"},
    {"households.lists.set", GF_OP_WRITE, "PUT", "/api/households/lists/{list}/{code}",
     GF_PERM_CONFIG, 0, p_lists_set, op_lists_set, "新增或修改清单项",
     "add or change an entry of a list"},
    {"households.lines.set", GF_OP_WRITE, "PUT", "/api/households/lines/{region}/{area}/{year}",
     GF_PERM_CONFIG, 0, p_lines_set, op_lines_set, "设置监测线", "set a monitoring line"},
    {"households.demo", GF_OP_WRITE, NULL, NULL, GF_PERM_HH_IMPORT, 0, p_none, op_demo,
     "生成合成的监测户登记册(演示)", "fill an empty registry with synthetic households (demo)"},
    {NULL},
};
