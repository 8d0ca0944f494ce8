/* ops_data.c — data in and out: imports (`gongfu import`, POST /api/imports/{kind}), exports
 * (`gongfu export`, GET /api/exports/{kind}), the audit log (`gongfu audit`, /api/audit) and the
 * demo database (`gongfu demo`, the command line only).
 *
 * Who may import depends on the kind (import_perms): configuration for the organisation and the
 * frameworks, values.write for values — every row's unit in the actor's scope, and for a team
 * reporter every row one of its team's indicators —, items.write for the four lists,
 * households.import for the monitored households, microdata for the income survey.  The kinds
 * other than values change zone-wide data: an actor limited to a unit may not import them.
 * Exports show what the actor may read (export_perms): reference data to every signed-in user
 * (phones masked), values in the actor's scope (a team reporter: its team's indicators), the
 * audit log to the administrator; an export with personal data as stored is the command line's
 * (`--unmasked`), needs the permission to manage that data and is recorded in the audit log
 * before anything is shown. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/audit.h"
#include "domain/demo_build.h"
#include "domain/export.h"
#include "domain/import.h"
#include "domain/income.h"
#include "domain/values.h"
#include "service/demo_users.h"
#include "service/service.h"
#include "util/input.h"

/* ---- imports -------------------------------------------------------------------------------- */

static const struct {
    const char *kind;
    enum gf_perm perm;
} import_perms[] = {
    {"units", GF_PERM_CONFIG},
    {"teams", GF_PERM_CONFIG},
    {"departments", GF_PERM_CONFIG},
    {"people", GF_PERM_CONFIG},
    {"framework", GF_PERM_CONFIG},
    {"values", GF_PERM_VALUES_WRITE},
    {"households", GF_PERM_MICRODATA}, /* the income survey's household microdata */
    {"household_registry", GF_PERM_HH_IMPORT},
    {"household_members", GF_PERM_HH_IMPORT},
    {"household_incomes", GF_PERM_HH_IMPORT},
    {"list_kinds", GF_PERM_ITEMS_WRITE},
    {"items", GF_PERM_ITEMS_WRITE},
    {"progress", GF_PERM_ITEMS_WRITE},
    /* a village's ledger is reported like its values; the rest is the zone's register */
    {"collective_income", GF_PERM_VALUES_WRITE},
    {"village_enterprises", GF_PERM_CONFIG},
    {"village_enterprise_results", GF_PERM_CONFIG},
    {"enclaves", GF_PERM_CONFIG},
    {"enclave_returns", GF_PERM_CONFIG},
    {"enterprises", GF_PERM_CONFIG},
    {"enterprise_values", GF_PERM_CONFIG},
    {"pairings", GF_PERM_CONFIG},
    {"pairing_activities", GF_PERM_CONFIG},
    {"cases", GF_PERM_CONFIG},
    {"trainings", GF_PERM_CONFIG},
    {"training_attendees", GF_PERM_CONFIG},
};

/* Kinds whose every row names its unit: a user limited to a unit may import those of its scope. */
static int unit_rows(const char *kind)
{
    return !strcmp(kind, "values") || !strcmp(kind, "collective_income");
}

/* The kind's permission and the actor's scope allow the import (default deny: a kind without a
 * permission here is refused). */
static int may_import(struct gf_call *c, const char *kind)
{
    const struct gf_actor *a = &c->cx->actor;
    int k = -1;
    for (size_t i = 0; i < sizeof import_perms / sizeof import_perms[0]; i++)
        if (!strcmp(import_perms[i].kind, kind))
            k = (int)i;
    if (k < 0)
        return gf_err_set(&c->err, GF_EFORBIDDEN, "no permission allows importing %s", kind);
    enum gf_perm p = import_perms[k].perm;
    if (!gf_role_can(a->role, p))
        return gf_err_set(&c->err, GF_EFORBIDDEN,
                          "%s (role %s) may not import %s: it needs the permission %s", a->name,
                          gf_role_info[a->role].code, kind, gf_perm_code[p]);
    if (!unit_rows(kind) && a->scope[0])
        return gf_err_set(&c->err, GF_EFORBIDDEN,
                          "importing %s changes data of the whole zone: %s is limited to unit %s",
                          kind, a->name, a->scope);
    return GF_OK;
}

/* Every value row of an import: its unit in the actor's scope, and a team reporter's indicator
 * one its team is responsible for.  Unknown units and indicators are left to the row callback,
 * which names them as bad input. */
static int check_value_row(void *ctx, struct gf_import_ctx *ic, struct gf_err *e)
{
    struct gf_call *c = ctx;
    const struct gf_actor *a = &c->cx->actor;
    const char *unit = NULL, *ind = NULL;
    int rc = gf_field_text(ic, "unit", 0, &unit, e);
    if (rc)
        return rc;
    const struct gf_units *u = gf_ctx_units(c->cx, e);
    if (!u)
        return e->code ? e->code : GF_ESYS;
    if (unit && gf_units_find(u, unit) >= 0 && !gf_scope_has(a, u, unit))
        return gf_err_set(e, GF_EFORBIDDEN, "%s:%ld: unit %s is outside the scope of %s (%s)",
                          ic->path, ic->line, unit, a->name, a->scope[0] ? a->scope : "none");
    if (a->role != GF_ROLE_TEAM)
        return GF_OK;
    if ((rc = gf_field_text(ic, "indicator", 0, &ind, e)))
        return rc;
    if (ind && gf_indicator_of_team(ic->db, ind, a->team) == 0)
        return gf_err_set(e, GF_EFORBIDDEN,
                          "%s:%ld: %s reports for team %s, which is not responsible for "
                          "indicator %s",
                          ic->path, ic->line, a->name, a->team, ind);
    return GF_OK;
}

static const struct gf_column import_cols[] = {
    {"rows", "行数", "rows"},
    {"inserted", "新增", "inserted"},
    {"updated", "更新", "updated"},
    {"unchanged", "未变", "unchanged"},
};

static int import_records(struct gf_call *c, const struct gf_import_kind *kind, const char *shown,
                          int dry)
{
    const struct gf_actor *a = &c->cx->actor;
    struct gf_import_opts o = {dry, a->name, c->input_format, NULL, NULL, NULL};
    if (unit_rows(kind->name) && (a->scope[0] || a->role == GF_ROLE_TEAM)) {
        o.check = check_value_row;
        o.check_ctx = c;
    }
    FILE *fp;
    struct gf_import_stats s;
    int rc = gf_input_open(c->input, &fp, &c->err);
    if (rc)
        return rc;
    rc = gf_import_stream(c->cx->db, kind, fp, shown, &o, &s, &c->err);
    gf_input_close(fp);
    if (rc)
        return rc;
    if (!dry && !strcmp(kind->name, "units"))
        gf_ctx_units_changed(c->cx);
    struct gf_table *t = gf_table_new(import_cols, 4);
    gf_table_row(t);
    gf_table_int(t, 0, s.rows);
    gf_table_int(t, 1, s.inserted);
    gf_table_int(t, 2, s.updated);
    gf_table_int(t, 3, s.unchanged);
    gf_result_record(c, "summary", "导入结果", "import summary", t);
    char zh[600], en[600];
    snprintf(zh, sizeof zh, "%s%s: %ld 行, 新增 %ld, 更新 %ld, 未变 %ld",
             dry ? "[试运行,未写入] " : "", shown, s.rows, s.inserted, s.updated, s.unchanged);
    snprintf(en, sizeof en, "%s%s: %ld rows, %ld inserted, %ld updated, %ld unchanged",
             dry ? "[dry run, nothing written] " : "", shown, s.rows, s.inserted, s.updated,
             s.unchanged);
    gf_result_say(c, zh, en);
    return GF_OK;
}

static const struct gf_column microdata_cols[] = {
    {"rows", "行数", "rows"},
    {"pairs", "(期别, 单位)数", "(period, unit) pairs"},
    {"replaced", "替换的原有行", "stored rows replaced"},
    {"unchanged", "与库中相同", "same as stored"},
};

/* Household income microdata: the streaming importer of domain/income.h (CSV only). */
static int import_microdata(struct gf_call *c, const char *shown, int dry, const char *period)
{
    if (c->input_format && strcmp(c->input_format, "csv"))
        return gf_err_at(&c->err, shown, 0, NULL, NULL,
                         "CSV: household microdata is read from CSV only (not %s)",
                         c->input_format);
    struct gf_income_import_opts io = {period, dry, c->cx->actor.name};
    struct gf_income_import_stats s;
    int rc = gf_income_import(c->cx->db, c->input, &io, &s, &c->err);
    if (rc)
        return rc;
    struct gf_table *t = gf_table_new(microdata_cols, 4);
    gf_table_row(t);
    gf_table_int(t, 0, s.rows);
    gf_table_int(t, 1, s.pairs);
    gf_table_int(t, 2, s.replaced);
    gf_table_int(t, 3, s.unchanged);
    gf_result_record(c, "summary", "导入结果", "import summary", t);
    char zh[600], en[600];
    snprintf(zh, sizeof zh, "%s%s: %ld 行, %ld 个(期别, 单位), %s", dry ? "[试运行,未写入] " : "",
             shown, s.rows, s.pairs,
             s.unchanged  ? "与库中数据相同, 未变"
             : s.replaced ? "替换了原有数据"
                          : "新增");
    snprintf(en, sizeof en, "%s%s: %ld rows, %ld (period, unit) pairs, %s",
             dry ? "[dry run, nothing written] " : "", shown, s.rows, s.pairs,
             s.unchanged  ? "same as stored, unchanged"
             : s.replaced ? "replaced the stored rows"
                          : "inserted");
    gf_result_say(c, zh, en);
    return GF_OK;
}

/* Messages name the file as the user knows it (the door's name for it), not where the server
 * keeps an upload. */
static void name_the_file(struct gf_err *e, const char *where, const char *shown)
{
    size_t n = strlen(where);
    if (!n || !strcmp(where, shown))
        return;
    char out[sizeof e->msg];
    size_t o = 0;
    for (const char *s = e->msg; *s && o + 1 < sizeof out;) {
        if (!strncmp(s, where, n)) {
            o += (size_t)snprintf(out + o, sizeof out - o, "%s", shown);
            if (o >= sizeof out)
                o = sizeof out - 1;
            s += n;
        } else
            out[o++] = *s++;
    }
    out[o] = 0;
    memcpy(e->msg, out, o + 1);
}

static int op_import(struct gf_call *c)
{
    const char *name = gf_arg(c, "kind"), *period = gf_arg(c, "period");
    int dry = gf_arg_flag(c, "dry_run");
    const struct gf_import_kind *kind = gf_import_kind_find(name);
    if (!kind) {
        char list[512] = "one of the import kinds:";
        for (int i = 0; gf_import_kinds[i]; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s %s", i ? "," : "",
                     gf_import_kinds[i]->name);
        gf_err_at(&c->err, NULL, 0, "kind", name, "%s", list);
        return c->err.code = GF_ENOTFOUND;
    }
    int rc = may_import(c, name);
    if (rc)
        return rc;
    int microdata = !strcmp(name, "households");
    if (period && !microdata)
        return gf_err_at(&c->err, NULL, 0, "period", period,
                         "no period: it is for household microdata (kind households) only");
    const char *shown = c->input_name ? c->input_name : gf_input_name(c->input);
    rc = microdata ? import_microdata(c, shown, dry, period) : import_records(c, kind, shown, dry);
    if (rc) {
        if (c->input_name)
            name_the_file(&c->err, c->input, shown);
        if (!strstr(c->err.msg, "nothing was imported"))
            snprintf(c->err.msg + strlen(c->err.msg), sizeof c->err.msg - strlen(c->err.msg),
                     "%s",
                     GF_L(c->cx, "\n(未导入任何数据,数据库保持原样)",
                          "\n(nothing was imported; the database is unchanged)"));
    }
    return rc;
}

/* ---- exports and the audit log -------------------------------------------------------------- */

static const struct {
    const char *kind;
    enum gf_perm read, unmasked; /* unmasked: GF_PERM_PUBLIC when there is nothing to unmask */
} export_perms[] = {
    {"units", GF_PERM_READ, GF_PERM_PUBLIC},
    {"teams", GF_PERM_READ, GF_PERM_PUBLIC},
    {"departments", GF_PERM_READ, GF_PERM_PUBLIC},
    {"people", GF_PERM_READ, GF_PERM_CONFIG},
    {"framework", GF_PERM_READ, GF_PERM_PUBLIC},
    {"values", GF_PERM_VALUES_READ, GF_PERM_PUBLIC},
    {"audit", GF_PERM_AUDIT, GF_PERM_AUDIT},
};

static int do_export(struct gf_call *c, int unmasked)
{
    const struct gf_actor *a = &c->cx->actor;
    const char *name = gf_arg(c, "kind"), *unit = gf_arg(c, "unit");
    const struct gf_export_kind *k = gf_export_kind_find(name);
    int p = -1;
    for (size_t i = 0; k && i < sizeof export_perms / sizeof export_perms[0]; i++)
        if (!strcmp(export_perms[i].kind, name))
            p = (int)i;
    if (p < 0) { /* default deny: a kind without a permission here is no kind */
        char list[256] = "one of the export kinds:";
        for (int i = 0; gf_export_kinds[i]; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s %s", i ? "," : "",
                     gf_export_kinds[i]->name);
        gf_err_at(&c->err, NULL, 0, "kind", name, "%s", list);
        return c->err.code = GF_ENOTFOUND;
    }
    if (unmasked && !k->entity)
        return gf_err_set(&c->err, GF_EUSER,
                          "export %s: unmasked applies to people and audit (%s hold no personal "
                          "data)",
                          name, name);
    enum gf_perm need = unmasked ? export_perms[p].unmasked : export_perms[p].read;
    if (!gf_role_can(a->role, need))
        return gf_err_set(&c->err, GF_EFORBIDDEN,
                          "%s (role %s) may not export %s%s: it needs the permission %s",
                          a->name, gf_role_info[a->role].code, name,
                          unmasked ? " unmasked" : "", gf_perm_code[need]);
    if (unit && !(k->filters & GF_EXPORT_UNDER))
        return gf_err_at(&c->err, NULL, 0, "unit", unit,
                         "no unit: only units and values are exported by unit");
    struct gf_export_filter f = {0};
    int rc;
    if ((k->filters & GF_EXPORT_UNDER) && (rc = gf_scope_filter(c, "unit", unit, &f.under)))
        return rc;
    if ((k->filters & GF_EXPORT_TEAM) && a->role == GF_ROLE_TEAM)
        f.team = a->team;
    struct gf_table *t;
    if ((rc = gf_export_table(c->cx->db, k, &f, unmasked, &t, &c->err)))
        return rc;
    if (unmasked) { /* recorded before anything is shown */
        char what[64];
        snprintf(what, sizeof what, "export %s", name);
        rc = gf_audit_read(c->cx->db, a->name, what, k->entity, unit, k->personal,
                           gf_table_rows(t), &c->err);
        if (rc) {
            gf_table_free(t);
            return rc;
        }
    }
    gf_result_table(c, k->name, k->zh, k->en, t);
    return GF_OK;
}

static int op_export(struct gf_call *c)
{
    return do_export(c, 0);
}

static int op_export_unmasked(struct gf_call *c)
{
    return do_export(c, 1);
}

static int op_audit_list(struct gf_call *c)
{
    struct gf_export_filter f = {NULL, NULL, gf_arg(c, "entity"), gf_arg(c, "actor"),
                                 gf_arg(c, "from"), gf_arg(c, "to")};
    struct gf_table *t;
    int rc = gf_export_table(c->cx->db, gf_export_kind_find("audit"), &f, 0, &t, &c->err);
    if (rc)
        return rc;
    gf_result_table(c, "audit", "审计日志", "audit log", t);
    return GF_OK;
}

static const struct gf_code_label audit_states[] = {{"intact", "完整", "intact"}, {NULL}};

/* The hash chain of the audit log (domain/audit.h): intact, or the first record changed, removed
 * or inserted (an error: the CLI exits 1). */
static int op_audit_verify(struct gf_call *c)
{
    struct gf_audit_check k;
    int rc = gf_audit_verify(c->cx->db, &k, &c->err);
    if (rc)
        return rc;
    long long bad = (long long)k.bad_id, bad_last = (long long)k.bad_last;
    switch (k.state) {
    case GF_AUDIT_INTACT:
        break;
    case GF_AUDIT_CHANGED:
        return gf_err_set(&c->err, GF_EUSER,
                          GF_L(c->cx, "审计日志被篡改: 第 %lld 条记录被修改(内容与其哈希不符)",
                               "audit log tampered with: record %lld was changed (its content no "
                               "longer matches its hash)"),
                          bad);
    case GF_AUDIT_REMOVED:
        if (bad == bad_last)
            return gf_err_set(
                &c->err, GF_EUSER,
                GF_L(c->cx, "审计日志被篡改: 第 %lld 条记录被删除(编号从 %lld 跳到 %lld)",
                     "audit log tampered with: record %lld was removed (ids jump from %lld to "
                     "%lld)"),
                bad, bad - 1, bad_last + 1);
        return gf_err_set(&c->err, GF_EUSER,
                          GF_L(c->cx,
                               "审计日志被篡改: 第 %lld 至 %lld 条记录被删除(编号从 %lld 跳到 %lld)",
                               "audit log tampered with: records %lld to %lld were removed (ids "
                               "jump from %lld to %lld)"),
                          bad, bad_last, bad - 1, bad_last + 1);
    case GF_AUDIT_INSERTED:
        return gf_err_set(
            &c->err, GF_EUSER,
            GF_L(c->cx,
                 "审计日志被篡改: 第 %lld 条记录是插入的(没有有效的链哈希, 不是 gongfu 写入的)",
                 "audit log tampered with: record %lld was inserted (it has no valid chain hash: "
                 "gongfu did not write it)"),
            bad);
    case GF_AUDIT_BROKEN:
        return gf_err_set(&c->err, GF_EUSER,
                          GF_L(c->cx,
                               "审计日志被篡改: 第 %lld 条记录与第 %lld 条链接不上(第 %lld "
                               "条被改写并重算了哈希, 或第 %lld 条是插入的)",
                               "audit log tampered with: record %lld does not link to record %lld "
                               "(record %lld was rewritten with a new hash, or record %lld was "
                               "inserted in its place)"),
                          bad, bad - 1, bad - 1, bad);
    }
    static const struct gf_column cols[] = {
        {"state", "状态", "state", audit_states},
        {"records", "记录数", "records"},
        {"last_id", "最后一条", "last record"},
        {"head", "最后一条的哈希", "its hash"},
        {"chained", "本次补建哈希链", "chained now"},
    };
    struct gf_table *t = gf_table_new(cols, 5);
    gf_table_row(t);
    gf_table_text(t, 0, "intact");
    gf_table_int(t, 1, k.records);
    gf_table_int(t, 2, (long long)k.last_id);
    gf_table_text(t, 3, k.head);
    gf_table_int(t, 4, k.chained);
    gf_result_record(c, "audit", "审计日志", "audit log", t);
    char zh[512] = "", en[512] = "";
    if (k.chained) {
        snprintf(zh, sizeof zh, "已为哈希链建立前写入的 %ld 条记录补建哈希链\n", k.chained);
        snprintf(en, sizeof en, "chained %ld records written before the hash chain existed\n",
                 k.chained);
    }
    snprintf(zh + strlen(zh), sizeof zh - strlen(zh),
             "审计日志完整: %ld 条记录, 哈希链无断裂; 最后一条 #%lld, 哈希 %s", k.records,
             (long long)k.last_id, k.head);
    snprintf(en + strlen(en), sizeof en - strlen(en),
             "audit log intact: %ld records, the hash chain holds; last record #%lld, hash %s",
             k.records, (long long)k.last_id, k.head);
    gf_result_say(c, zh, en);
    return GF_OK;
}

/* ---- the demo database ---------------------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Fill the (cleared) database with the demo; the caller's transaction keeps all or nothing. */
static int demo_fill(struct gf_call *c, const char *dir)
{
    static const struct {
        const char *kind, *file;
    } files[] = {
        {"units", "units.csv"},
        {"teams", "teams.csv"},
        {"departments", "departments.csv"},
        {"people", "people.csv"},
        {"enterprises", "enterprises.csv"},
        {"framework", "framework-panzhihua.csv"},
        {"framework", "framework-zhejiang.csv"},
        {"framework", "framework-village.csv"},
        {"framework", "framework-enterprise.csv"},
        {"values", "values-published.csv"},
    };
    static const struct gf_column cols[] = {
        {"file", "文件", "file"}, {"kind", "类型", "kind"}, {"rows", "行数", "rows"}};
    struct gf_db *db = c->cx->db;
    struct gf_import_opts o = {0, "demo", NULL, NULL, NULL, NULL};
    struct gf_table *t = gf_result_table(c, "files", "导入的演示文件", "demo files imported",
                                         gf_table_new(cols, 3));
    int rc = GF_OK;
    for (size_t i = 0; i < sizeof files / sizeof files[0] && rc == GF_OK; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, files[i].file);
        struct gf_import_stats s;
        rc = gf_import_file(db, gf_import_kind_find(files[i].kind), path, &o, &s, &c->err);
        if (rc == GF_OK) {
            gf_table_row(t);
            gf_table_text(t, 0, files[i].file);
            gf_table_text(t, 1, files[i].kind);
            gf_table_int(t, 2, s.rows);
        }
    }
    if (rc == GF_OK) { /* the published figures come submitted; someone else approves them */
        long approved;
        rc = gf_values_set_state(db, "demo-reviewer", NULL, 0, NULL, NULL, "approved", &approved,
                                 &c->err);
    }
    if (rc == GF_OK)
        rc = gf_demo_build(db, "demo", &c->err);
    if (rc == GF_OK) {
        struct gf_rollup_stats rs;
        rc = gf_values_rollup(db, "demo", NULL, &rs, &c->err);
    }
    if (rc == GF_OK)
        rc = gf_demo_users(db, &c->err);
    if (rc == GF_OK)
        rc = gf_demo_mark(db, &c->err);
    return rc;
}

/* What the new demo holds, as the result. */
static int demo_summary(struct gf_call *c)
{
    const char *p[] = {c->cx->lang};
    static const struct gf_column unit_cols[] = {
        {"level", "层级", "level"}, {"name", "名称", "name"}, {"units", "单位数", "units"}};
    static const char *const unit_num[] = {"units", NULL};
    int rc = gf_result_query(
        c, "units", "单位", "units",
        "SELECT l.code, CASE WHEN ?1 = 'en' THEN l.name_en ELSE l.name_zh END, count(u.code)"
        " FROM unit_level l LEFT JOIN unit u ON u.level = l.level GROUP BY l.level"
        " ORDER BY l.level",
        p, 1, unit_cols, 3, unit_num);
    static const struct gf_column fw_cols[] = {
        {"code", "代码", "code"}, {"name", "名称", "name"}, {"indicators", "指标数", "indicators"}};
    static const char *const fw_num[] = {"indicators", NULL};
    if (rc == GF_OK)
        rc = gf_result_query(
            c, "frameworks", "评价指标体系", "frameworks",
            "SELECT f.code, CASE WHEN ?1 = 'en' THEN coalesce(f.name_en, f.name) ELSE f.name END,"
            " (SELECT count(*) FROM framework_node n WHERE n.framework = f.code"
            " AND n.kind = 'indicator') FROM framework f ORDER BY f.code",
            p, 1, fw_cols, 3, fw_num);
    static const struct gf_column data_cols[] = {
        {"real_values", "公开发布的真实数据", "real published values"},
        {"synthetic_values", "合成数据(来源标注 synthetic)", "synthetic values"},
        {"computed_values", "汇总/计算数据", "rolled up / computed values"},
        {"households", "低收入监测户(合成)", "monitored households (synthetic)"},
        {"list_items", "四张清单事项(合成)", "list items (synthetic)"},
        {"income_households", "住户收入抽样户(合成)", "income survey households (synthetic)"},
        {"evaluation_runs", "评价运行", "evaluation runs"},
    };
    static const char *const data_num[] = {"real_values",       "synthetic_values",
                                           "computed_values",   "households",
                                           "list_items",        "income_households",
                                           "evaluation_runs",   NULL};
    if (rc == GF_OK)
        rc = gf_result_query(
            c, "data", "数据", "data",
            "SELECT (SELECT count(*) FROM value WHERE origin = 'reported'"
            " AND coalesce(source, '') NOT LIKE '%synthetic%'),"
            " (SELECT count(*) FROM value WHERE source LIKE '%synthetic%'),"
            " (SELECT count(*) FROM value WHERE origin IN ('rollup', 'derived', 'computed')),"
            " (SELECT count(*) FROM household), (SELECT count(*) FROM list_item),"
            " (SELECT count(*) FROM income_microdata), (SELECT count(*) FROM eval_run)",
            NULL, 0, data_cols, 7, data_num);
    if (rc == GF_OK)
        c->res.sec[c->res.nsec - 1].record = 1;
    return rc;
}

static int op_demo(struct gf_call *c)
{
    struct gf_db *db = c->cx->db;
    double t0 = now_s();
    /* the write lock first: from here nobody else changes the database until the commit */
    int rc = gf_db_begin(db, &c->err);
    if (rc) {
        gf_err_prefix(&c->err, "demo");
        return rc;
    }
    int ok = gf_arg_flag(c, "force") ? 1 : gf_demo_replaceable(db, &c->err);
    if (ok < 0)
        rc = ok;
    else if (!ok)
        rc = gf_err_set(&c->err, GF_EUSER,
                        GF_L(c->cx,
                             "%s 中有演示以外的数据(导入、修改或非演示数据库),未做任何改动:"
                             "换一个 --db 路径,或确认可以丢弃这些数据后加 --force",
                             "%s holds data that is not an untouched demo (imports, changes, or "
                             "not a demo database): nothing was changed; use --db OTHER.db, or "
                             "--force if that data may be thrown away"),
                        gf_db_path(db));
    if (rc == GF_OK && (rc = gf_db_clear(db, &c->err)) == GF_OK)
        rc = demo_fill(c, gf_arg(c, "files"));
    if (rc == GF_OK)
        rc = gf_db_commit(db, &c->err);
    else
        gf_db_rollback(db);
    gf_ctx_units_changed(c->cx);
    if (rc) {
        if (ok > 0)
            gf_err_prefix(&c->err, "demo");
        return rc;
    }
    gf_db_checkpoint(db); /* one self-contained file */
    double secs = now_s() - t0;
    gf_result_msg(c, "攀枝花演示数据库已生成: %s (%.1f 秒)", "Panzhihua demo database built: %s (%.1f s)",
                  gf_db_path(db), secs);
    return demo_summary(c);
}

/* ---- the table ------------------------------------------------------------------------------ */

static const struct gf_param p_import[] = {
    {"kind", GF_PT_CODE, GF_PF_KEY | GF_PF_REQUIRED, NULL, "导入类型(见 gongfu import --help)",
     "kind of data (see gongfu import --help)"},
    {"dry_run", GF_PT_BOOL, 0, NULL, "只校验并报告,不写入", "validate and report only"},
    {"period", GF_PT_PERIOD, 0, NULL, "期别(仅住户收入微观数据)",
     "period (household microdata only)"},
    {NULL}};
static const struct gf_param p_export[] = {
    {"kind", GF_PT_CODE, GF_PF_KEY | GF_PF_REQUIRED, NULL,
     "导出类型: units, teams, departments, people, framework, values, audit",
     "kind: units, teams, departments, people, framework, values, audit"},
    {"unit", GF_PT_CODE, 0, NULL, "只导出此单位及其下级(units, values;默认本人范围)",
     "only this unit and those under it (units, values; default: the user's scope)"},
    {NULL}};
static const struct gf_param p_audit_list[] = {
    {"entity", GF_PT_CODE, 0, NULL, "对象(value, unit, household …)", "entity (value, unit, …)"},
    {"actor", GF_PT_TEXT, 0, NULL, "操作人", "who acted"},
    {"from", GF_PT_DATE, 0, NULL, "起始日期", "from this day"},
    {"to", GF_PT_DATE, 0, NULL, "截止日期", "to this day"},
    {NULL}};
static const struct gf_param p_none[] = {{NULL}};
static const struct gf_param p_demo[] = {
    {"force", GF_PT_BOOL, 0, NULL, "也替换非演示或已改动的数据库",
     "also replace a database that is not an untouched demo"},
    {"files", GF_PT_TEXT, GF_PF_CLI | GF_PF_REQUIRED, NULL, "演示文件所在目录",
     "the folder of the demo files"},
    {NULL}};

const struct gf_op gf_ops_data[] = {
    /* the permission of an import and an export depends on its kind: checked inside */
    {"import.file", GF_OP_WRITE, "POST", "/api/imports/{kind}", GF_PERM_READ, 1, p_import,
     op_import, "导入文件(CSV/JSON,全部或全不)",
     "import a file (CSV or JSON, all or nothing)"},
    {"export.file", GF_OP_READ, "GET", "/api/exports/{kind}", GF_PERM_READ, 0, p_export, op_export,
     "按导入格式导出(个人信息脱敏)", "export in the import format (personal data masked)"},
    {"export.unmasked", GF_OP_WRITE, NULL, NULL, GF_PERM_READ, 0, p_export, op_export_unmasked,
     "按导入格式导出个人信息原文(记入审计日志)",
     "export with personal data as stored (recorded in the audit log)"},
    {"audit.list", GF_OP_READ, "GET", "/api/audit", GF_PERM_AUDIT, 0, p_audit_list, op_audit_list,
     "审计日志(个人信息脱敏)", "the audit log (personal data masked)"},
    {"audit.verify", GF_OP_WRITE, "POST", "/api/audit/verify", GF_PERM_AUDIT, 0, p_none,
     op_audit_verify, "核验审计日志的哈希链", "check the audit log's hash chain"},
    /* it replaces the whole database, users included: the administrator's */
    {"demo.build", GF_OP_WRITE, NULL, NULL, GF_PERM_USERS, 0, p_demo, op_demo,
     "生成攀枝花演示数据库", "build the Panzhihua demo database"},
    {NULL},
};
