/* enterprise_values.c — the import of enterprises' indicator values (gongfu import
 * enterprise_values FILE): enterprise, indicator, period, value[, source].  The enterprise must
 * be registered, the indicator defined and not computed (no formula, not a threshold), the
 * period a valid code; all or nothing as every import.  The evaluation ranks the enterprises on
 * them (gf_evaluation_opts.enterprises; gongfu race --subject enterprise). */
#include <math.h>
#include <stdio.h>

#include "domain/import.h"
#include "domain/period.h"
#include "util/table.h"

static const char *const cols[] = {"enterprise", "indicator", "period", "value", "source", NULL};
static const char *const req[] = {"enterprise", "indicator", "period", "value", NULL};
static const char *const key[] = {"enterprise", "indicator", "period", NULL};

static int row(struct gf_import_ctx *c, struct gf_err *e)
{
    const char *ent, *ind, *period, *source = NULL;
    double v = NAN;
    int rc;
    if ((rc = gf_field_ref(c, "enterprise", 1, "enterprise", "code", &ent, e)) ||
        (rc = gf_field_ref(c, "indicator", 1, "indicator", "code", &ind, e)) ||
        (rc = gf_field_text(c, "period", 1, &period, e)) ||
        (rc = gf_field_num(c, "value", 1, &v, e)) ||
        (rc = gf_field_text(c, "source", 0, &source, e)))
        return rc;
    if (gf_db_int_text(c->db,
                       "SELECT count(*) FROM indicator WHERE code = ? AND (formula IS NOT NULL"
                       " OR threshold IS NOT NULL)",
                       ind) > 0)
        return gf_err_at(e, c->path, c->line, "indicator", ind,
                         "an indicator without a formula (%s is computed from its formula)", ind);
    struct gf_period p;
    if (gf_period_parse(period, &p))
        return gf_err_at(e, c->path, c->line, "period", period,
                         "a year (2024), a quarter (2024Q1) or a month (2024-03)");
    if ((rc = gf_period_ensure(c->db, period, e)))
        return rc;
    char num[64];
    gf_fmt_double(num, sizeof num, v);
    const char *names[] = {"enterprise", "indicator", "period", "value", "source"};
    const char *vals[] = {ent, ind, period, num, source};
    return gf_upsert(c, "enterprise_value", 5, 3, names, vals, NULL, e);
}

const struct gf_import_kind gf_import_enterprise_values = {
    "enterprise_values", "企业指标数据(如双强指数)", "enterprises' indicator values (e.g. the 双强 index)",
    cols, req, NULL, row, NULL, NULL, key,
};
