/* org.c — imports of the organisation: units (the hierarchy), teams, departments, people. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/import.h"
#include "domain/unit.h"

/* A stable code: 1–64 characters from [0-9A-Za-z_.-]. */
static int code_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              ch == '_' || ch == '.' || ch == '-'))
            return 0;
    }
    return 1;
}

int gf_field_code(struct gf_import_ctx *c, const char *name, const char **out, struct gf_err *e)
{
    int rc = gf_field_text(c, name, 1, out, e);
    if (rc)
        return rc;
    if (!code_ok(*out))
        return gf_err_at(e, c->path, c->line, name, *out,
                         "a code of 1 to 64 letters, digits, '_', '.' or '-'");
    return GF_OK;
}

/* ---- units ------------------------------------------------------------------------------- */

static const char *const unit_cols[] = {"code", "name", "name_en", "parent", "level",
                                        "area", "population", "note", NULL};
static const char *const unit_req[] = {"code", "name", "level", "area", NULL};

static const char *const code_key[] = {"code", NULL};

static int units_begin(struct gf_import_ctx *c, struct gf_err *e)
{
    /* the parent may come later in the file: check references at the end */
    return gf_db_defer_foreign_keys(c->db, e);
}

static int units_row(struct gf_import_ctx *c, struct gf_err *e)
{
    const char *code, *name, *name_en = NULL, *parent = NULL, *area, *note = NULL;
    long long pop = LLONG_MIN;
    static const char *const areas[] = {"urban", "rural", NULL};
    char lv[8] = ""; /* a number 1-9 or a level code from unit_level */
    int rc;
    if ((rc = gf_field_code(c, "code", &code, e)) || (rc = gf_field_text(c, "name", 1, &name, e)) ||
        (rc = gf_field_text(c, "name_en", 0, &name_en, e)) ||
        (rc = gf_field_text(c, "parent", 0, &parent, e)) ||
        (rc = gf_field_level(c, "level", 1, lv, sizeof lv, e)) ||
        (rc = gf_field_enum(c, "area", 1, areas, &area, e)) ||
        (rc = gf_field_int(c, "population", 0, &pop, e)) ||
        (rc = gf_field_text(c, "note", 0, &note, e)))
        return rc;
    if (parent && !strcmp(parent, code))
        return gf_err_at(e, c->path, c->line, "parent", parent,
                         "the code of another unit (a unit cannot be its own parent)");
    char popbuf[24] = "";
    if (pop != LLONG_MIN) {
        if (pop < 0) {
            snprintf(popbuf, sizeof popbuf, "%lld", pop);
            return gf_err_at(e, c->path, c->line, "population", popbuf, "a number of people >= 0");
        }
        snprintf(popbuf, sizeof popbuf, "%lld", pop);
    }
    const char *cols[] = {"code", "name", "name_en", "parent", "level", "area", "population", "note"};
    const char *vals[] = {code, name, name_en, parent, lv, area, popbuf[0] ? popbuf : NULL, note};
    return gf_upsert(c, "unit", 8, 1, cols, vals, NULL, e);
}

static int units_finish(struct gf_import_ctx *c, struct gf_err *e)
{
    return gf_units_check(c->db, c->path, gf_import_key_line, c, e);
}

const struct gf_import_kind gf_import_units = {
    "units", "行政区划单位", "administrative units", unit_cols, unit_req,
    units_begin, units_row, units_finish, NULL, code_key,
};

/* ---- teams ------------------------------------------------------------------------------- */

static const char *const team_cols[] = {"code", "name", "name_en", "kind", "note", NULL};
static const char *const team_req[] = {"code", "name", "kind", NULL};

static int teams_row(struct gf_import_ctx *c, struct gf_err *e)
{
    const char *code, *name, *name_en = NULL, *kind, *note = NULL;
    static const char *const kinds[] = {"leading", "work", "support", NULL};
    int rc;
    if ((rc = gf_field_code(c, "code", &code, e)) || (rc = gf_field_text(c, "name", 1, &name, e)) ||
        (rc = gf_field_text(c, "name_en", 0, &name_en, e)) ||
        (rc = gf_field_enum(c, "kind", 1, kinds, &kind, e)) ||
        (rc = gf_field_text(c, "note", 0, &note, e)))
        return rc;
    const char *cols[] = {"code", "name", "name_en", "kind", "note"};
    const char *vals[] = {code, name, name_en, kind, note};
    return gf_upsert(c, "team", 5, 1, cols, vals, NULL, e);
}

const struct gf_import_kind gf_import_teams = {
    "teams", "工作专班", "teams (1+8+3)", team_cols, team_req,
    NULL, teams_row, NULL, NULL, code_key,
};

/* ---- departments ------------------------------------------------------------------------- */

static const char *const dept_cols[] = {"code", "name", "name_en", "team", "unit", NULL};
static const char *const dept_req[] = {"code", "name", NULL};

static int depts_row(struct gf_import_ctx *c, struct gf_err *e)
{
    const char *code, *name, *name_en = NULL, *team = NULL, *unit = NULL;
    int rc;
    if ((rc = gf_field_code(c, "code", &code, e)) || (rc = gf_field_text(c, "name", 1, &name, e)) ||
        (rc = gf_field_text(c, "name_en", 0, &name_en, e)) ||
        (rc = gf_field_ref(c, "team", 0, "team", "code", &team, e)) ||
        (rc = gf_field_ref(c, "unit", 0, "unit", "code", &unit, e)))
        return rc;
    const char *cols[] = {"code", "name", "name_en", "team", "unit"};
    const char *vals[] = {code, name, name_en, team, unit};
    return gf_upsert(c, "department", 5, 1, cols, vals, NULL, e);
}

const struct gf_import_kind gf_import_departments = {
    "departments", "部门", "departments", dept_cols, dept_req,
    NULL, depts_row, NULL, NULL, code_key,
};

/* ---- people ------------------------------------------------------------------------------ */

static const char *const person_cols[] = {"code", "name", "department", "team",
                                          "unit", "title", "phone", NULL};
static const char *const person_req[] = {"code", "name", NULL};

static int people_row(struct gf_import_ctx *c, struct gf_err *e)
{
    const char *code, *name, *dept = NULL, *team = NULL, *unit = NULL, *title = NULL, *phone = NULL;
    int rc;
    if ((rc = gf_field_code(c, "code", &code, e)) || (rc = gf_field_text(c, "name", 1, &name, e)) ||
        (rc = gf_field_ref(c, "department", 0, "department", "code", &dept, e)) ||
        (rc = gf_field_ref(c, "team", 0, "team", "code", &team, e)) ||
        (rc = gf_field_ref(c, "unit", 0, "unit", "code", &unit, e)) ||
        (rc = gf_field_text(c, "title", 0, &title, e)) ||
        (rc = gf_field_text(c, "phone", 0, &phone, e)))
        return rc;
    const char *cols[] = {"code", "name", "department", "team", "unit", "title", "phone"};
    const char *vals[] = {code, name, dept, team, unit, title, phone};
    return gf_upsert(c, "person", 7, 1, cols, vals, NULL, e);
}

const struct gf_import_kind gf_import_people = {
    "people", "人员", "people", person_cols, person_req,
    NULL, people_row, NULL, NULL, code_key,
};
