/* export.c — the export kinds (the import formats' columns) and reading them into a table with
 * personal data masked. */
#include "domain/export.h"

#include <stdlib.h>
#include <string.h>

#include "domain/household.h"

/* ?1 and every unit under it (the unit tree by parent links) */
#define UNDER_1                                                                                    \
    "(WITH RECURSIVE sub(code) AS (SELECT ?1 UNION ALL SELECT c.code FROM unit c JOIN sub s"      \
    " ON c.parent = s.code) SELECT code FROM sub)"

static const struct gf_column unit_cols[] = {
    {"code"}, {"name"}, {"name_en"}, {"parent"}, {"level"}, {"area"}, {"population"}, {"note"}};
static const char *const unit_num[] = {"population", NULL};
static const struct gf_export_kind units = {
    "units", "行政区划单位", "administrative units",
    "SELECT u.code, u.name, u.name_en, u.parent, l.code, u.area, u.population, u.note FROM unit u"
    " JOIN unit_level l ON l.level = u.level WHERE ?1 IS NULL OR u.code IN " UNDER_1
    " ORDER BY u.level, u.code",
    1, unit_cols, 8, unit_num, NULL, NULL, GF_EXPORT_UNDER,
};

static const struct gf_column team_cols[] = {{"code"}, {"name"}, {"name_en"}, {"kind"}, {"note"}};
static const char *const no_num[] = {NULL};
static const struct gf_export_kind teams = {
    "teams", "工作专班", "work teams",
    "SELECT code, name, name_en, kind, note FROM team ORDER BY code",
    0, team_cols, 5, no_num, NULL, NULL, 0,
};

static const struct gf_column dept_cols[] = {
    {"code"}, {"name"}, {"name_en"}, {"team"}, {"unit"}};
static const struct gf_export_kind departments = {
    "departments", "部门", "departments",
    "SELECT code, name, name_en, team, unit FROM department ORDER BY code",
    0, dept_cols, 5, no_num, NULL, NULL, 0,
};

static const struct gf_column person_cols[] = {{"code"}, {"name"}, {"department"}, {"team"},
                                               {"unit"}, {"title"}, {"phone"}};
static const struct gf_export_kind people = {
    "people", "人员(电话脱敏)", "people (phones masked)",
    "SELECT code, name, department, team, unit, title, phone FROM person ORDER BY code",
    0, person_cols, 7, no_num, "person", "phone", 0,
};

static const struct gf_column fw_cols[] = {
    {"framework"},  {"framework_name"}, {"framework_name_en"}, {"code"},          {"parent"},
    {"kind"},       {"name"},           {"name_en"},           {"weight"},        {"unit_of_measure"},
    {"direction"},  {"band_lo"},        {"band_hi"},           {"agg_time"},      {"agg_units"},
    {"formula"},    {"source"},         {"team"},              {"baseline"},      {"baseline_year"},
    {"target_2025"}, {"target_2027"},   {"target_2030"},       {"target_2035"},   {"target_level"},
    {"target_scale"}, {"description"}};
static const char *const fw_num[] = {"weight",      "band_lo",     "band_hi",     "baseline",
                                     "baseline_year", "target_2025", "target_2027", "target_2030",
                                     "target_2035", "target_level", NULL};
#define TARGET(year)                                                                               \
    " (SELECT value FROM target t WHERE t.framework = n.framework AND t.indicator = n.code"        \
    " AND year = " #year ")"
static const struct gf_export_kind framework = {
    "framework", "指标体系", "indicator frameworks",
    "SELECT n.framework, CASE WHEN n.kind = 'index' THEN f.name END,"
    " CASE WHEN n.kind = 'index' THEN f.name_en END, n.code, n.parent, n.kind,"
    " coalesce(n.name, d.name), coalesce(n.name_en, d.name_en), n.weight, d.unit_of_measure,"
    " d.direction, d.band_lo, d.band_hi, d.agg_time, d.agg_units, d.formula, d.source, d.team,"
    " n.baseline, n.baseline_year," TARGET(2025) "," TARGET(2027) "," TARGET(2030) ","
    TARGET(2035) ", n.target_level, n.target_scale, d.description"
    " FROM framework_node n JOIN framework f ON f.code = n.framework"
    " LEFT JOIN indicator d ON d.code = n.code AND n.kind = 'indicator'"
    " ORDER BY n.framework, n.position",
    0, fw_cols, 27, fw_num, NULL, NULL, 0,
};

static const struct gf_column value_cols[] = {{"unit"},  {"indicator"}, {"period"},
                                              {"value"}, {"source"},    {"state"}};
static const char *const value_num[] = {"value", NULL};
static const struct gf_export_kind values = {
    "values", "填报的指标数据", "reported indicator values",
    "SELECT unit, indicator, period, value, source, state FROM value WHERE origin = 'reported'"
    " AND (?1 IS NULL OR unit IN " UNDER_1 ")"
    " AND (?2 IS NULL OR indicator IN (SELECT code FROM indicator WHERE team = ?2))"
    " ORDER BY unit, indicator, period",
    2, value_cols, 6, value_num, NULL, NULL, GF_EXPORT_UNDER | GF_EXPORT_TEAM,
};

static const struct gf_column audit_cols[] = {
    {"id", "编号", "id"},         {"at", "时间", "at"},          {"actor", "操作人", "actor"},
    {"action", "操作", "action"}, {"entity", "对象", "entity"}, {"key", "键", "key"},
    {"before", "修改前", "before"}, {"after", "修改后", "after"}};
static const char *const audit_num[] = {"id", NULL};
/* the column naming the entity of a record: its before and after are records of that entity */
#define AUDIT_ENTITY 4
static const struct gf_export_kind audit = {
    "audit", "审计日志(个人信息脱敏)", "the audit log (personal data masked)",
    "SELECT id, at, actor, action, entity, key, before, after FROM audit"
    " WHERE (?3 IS NULL OR entity = ?3) AND (?4 IS NULL OR actor = ?4)"
    " AND (?5 IS NULL OR substr(at, 1, 10) >= ?5) AND (?6 IS NULL OR substr(at, 1, 10) <= ?6)"
    " ORDER BY id",
    6, audit_cols, 8, audit_num, "audit", GF_HH_PERSONAL_FIELDS, GF_EXPORT_AUDIT,
};

const struct gf_export_kind *const gf_export_kinds[] = {
    &units, &teams, &departments, &people, &framework, &values, &audit, NULL,
};

const struct gf_export_kind *gf_export_kind_find(const char *name)
{
    for (int i = 0; name && gf_export_kinds[i]; i++)
        if (!strcmp(gf_export_kinds[i]->name, name))
            return gf_export_kinds[i];
    return NULL;
}

/* The masked text of a personal cell (malloc'd), or NULL when the cell is shown as stored. */
static char *masked(const struct gf_export_kind *k, struct gf_stmt *row, int col)
{
    const char *code = k->cols[col].code, *text = gf_stmt_text(row, col);
    if (!strcmp(k->entity, "audit"))
        return strcmp(code, "before") && strcmp(code, "after")
                   ? NULL
                   : gf_hh_mask_record(gf_stmt_text(row, AUDIT_ENTITY), text);
    enum gf_hh_personal p = gf_hh_personal_field(k->entity, code);
    if (p == GF_HH_NOT_PERSONAL)
        return NULL;
    char buf[256];
    gf_hh_mask(p, text, buf, sizeof buf);
    return strdup(buf);
}

int gf_export_table(struct gf_db *db, const struct gf_export_kind *k,
                    const struct gf_export_filter *f, int unmasked, struct gf_table **out,
                    struct gf_err *e)
{
    *out = NULL;
    struct gf_stmt *st;
    int rc = gf_db_prepare(db, k->sql, &st, e);
    if (rc)
        return rc;
    static const struct gf_export_filter none;
    if (!f)
        f = &none;
    const char *p[] = {k->filters & GF_EXPORT_UNDER ? f->under : NULL,
                       k->filters & GF_EXPORT_TEAM ? f->team : NULL,
                       f->entity,
                       f->actor,
                       f->from,
                       f->to};
    for (int i = 0; i < k->nparams; i++)
        gf_stmt_bind_text(st, i + 1, p[i]);
    unsigned char isnum[32] = {0};
    for (int j = 0; j < k->ncols && j < 32; j++)
        for (int n = 0; k->numeric[n]; n++)
            isnum[j] |= !strcmp(k->numeric[n], k->cols[j].code);
    int mask = k->entity && !unmasked;
    struct gf_table *t = gf_table_new(k->cols, k->ncols);
    while ((rc = gf_stmt_step(st, e)) == 1) {
        gf_table_row(t);
        for (int j = 0; j < k->ncols; j++) {
            char *shown = NULL;
            if (gf_stmt_is_null(st, j))
                gf_table_text(t, j, NULL);
            else if (j < 32 && isnum[j])
                gf_table_num(t, j, gf_stmt_double(st, j), -1);
            else if (mask && (shown = masked(k, st, j)))
                gf_table_text(t, j, shown);
            else
                gf_table_text(t, j, gf_stmt_text(st, j));
            free(shown);
        }
    }
    gf_stmt_finalize(st);
    if (rc < 0) {
        gf_table_free(t);
        return rc;
    }
    *out = t;
    return GF_OK;
}
