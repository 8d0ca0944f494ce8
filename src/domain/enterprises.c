/* enterprises.c — the register of enterprises the zone evaluates (gongfu import enterprises
 * FILE): code, name[, unit, sector, size, non_public, note].  The unit, when given, must exist;
 * size is micro, small, medium or large; non_public is 1 (the default: the 双强 index's
 * non-public enterprises) or 0.  All or nothing as every import; their indicator values come
 * by the kind enterprise_values (enterprise_values.c). */
#include "domain/import.h"

static const char *const cols[] = {"code", "name", "unit", "sector", "size", "non_public", "note",
                                   NULL};
static const char *const req[] = {"code", "name", NULL};
static const char *const key[] = {"code", NULL};
static const char *const sizes[] = {"micro", "small", "medium", "large", NULL};
static const char *const flags[] = {"0", "1", NULL};

static int row(struct gf_import_ctx *c, struct gf_err *e)
{
    const char *code, *name, *unit = NULL, *sector = NULL, *size = NULL, *non_public = NULL,
                             *note = NULL;
    int rc;
    if ((rc = gf_field_code(c, "code", &code, e)) || (rc = gf_field_text(c, "name", 1, &name, e)) ||
        (rc = gf_field_ref(c, "unit", 0, "unit", "code", &unit, e)) ||
        (rc = gf_field_text(c, "sector", 0, &sector, e)) ||
        (rc = gf_field_enum(c, "size", 0, sizes, &size, e)) ||
        (rc = gf_field_enum(c, "non_public", 0, flags, &non_public, e)) ||
        (rc = gf_field_text(c, "note", 0, &note, e)))
        return rc;
    const char *names[] = {"code", "name", "unit", "sector", "size", "non_public", "note"};
    const char *vals[] = {code, name, unit, sector, size, non_public ? non_public : "1", note};
    return gf_upsert(c, "enterprise", 7, 1, names, vals, NULL, e);
}

const struct gf_import_kind gf_import_enterprises = {
    "enterprises", "企业名录(如双强指数的非公企业)",
    "the register of enterprises (e.g. the 双强 index's non-public enterprises)",
    cols, req, NULL, row, NULL, NULL, key,
};
