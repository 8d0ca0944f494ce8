/* pairing.c — the imports of pairings of organisations and their activities (see pairing.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "domain/import.h"
#include "domain/pairing.h"

const struct gf_code_label gf_pairing_kinds[] = {
    {"department", "部门结对村", "department with a village"},
    {"enterprise", "企业结对村", "enterprise with a village"},
    {"county", "山海协作/对口支援", "partner county"},
    {"other", "其他结对", "other"},
    {NULL},
};

const struct gf_code_label gf_pairing_activity_kinds[] = {
    {"visit", "走访调研", "visit"},
    {"project", "合作项目", "project"},
    {"funds", "资金到位", "funds delivered"},
    {"measure", "帮扶举措", "measure"},
    {"other", "其他", "other"},
    {NULL},
};

static const char *const *codes_of(const struct gf_code_label *s, const char **out)
{
    int i = 0;
    for (; s[i].code; i++)
        out[i] = s[i].code;
    out[i] = NULL;
    return out;
}

/* ---- import: pairings ------------------------------------------------------------------------ */

static const char *const pair_cols[] = {"code",  "kind",    "helper",   "helper_name", "unit",
                                        "start", "end",     "pledged",  "measures",    "note",
                                        NULL};
static const char *const pair_req[] = {"code", "kind", "helper", "unit", "start", NULL};
static const char *const code_key[] = {"code", NULL};

static int pairing_row(struct gf_import_ctx *c, struct gf_err *e)
{
    const char *code, *kind, *helper, *helper_name = NULL, *unit, *start, *end = NULL,
                                      *measures = NULL, *note = NULL;
    const char *kinds[8];
    double pledged = NAN;
    int rc;
    if ((rc = gf_field_code(c, "code", &code, e)) ||
        (rc = gf_field_enum(c, "kind", 1, codes_of(gf_pairing_kinds, kinds), &kind, e)) ||
        (rc = gf_field_text(c, "helper", 1, &helper, e)) ||
        (rc = gf_field_text(c, "helper_name", 0, &helper_name, e)) ||
        (rc = gf_field_ref(c, "unit", 1, "unit", "code", &unit, e)) ||
        (rc = gf_field_date(c, "start", 1, &start, e)) ||
        (rc = gf_field_date(c, "end", 0, &end, e)) ||
        (rc = gf_field_num(c, "pledged", 0, &pledged, e)) ||
        (rc = gf_field_text(c, "measures", 0, &measures, e)) ||
        (rc = gf_field_text(c, "note", 0, &note, e)))
        return rc;
    /* who helps: a department or an enterprise of the registers, else a partner named here */
    const char *reg = !strcmp(kind, "department") ? "department"
                      : !strcmp(kind, "enterprise") ? "enterprise"
                                                    : NULL;
    if (reg && gf_db_int_text(c->db,
                              !strcmp(reg, "department")
                                  ? "SELECT count(*) FROM department WHERE code = ?"
                                  : "SELECT count(*) FROM enterprise WHERE code = ?",
                              helper) <= 0)
        return gf_err_at(e, c->path, c->line, "helper", helper,
                         "the code of a registered %s (kind %s)", reg, kind);
    if (!reg && !helper_name)
        return gf_err_at(e, c->path, c->line, "helper_name", "",
                         "the partner's name (kind %s: the partner is not in the registers)", kind);
    if (end && strcmp(end, start) < 0)
        return gf_err_at(e, c->path, c->line, "end", end, "a date not before the start %s", start);
    if (!isnan(pledged) && pledged < 0) {
        char v[64];
        gf_fmt_double(v, sizeof v, pledged);
        return gf_err_at(e, c->path, c->line, "pledged", v, "an amount in yuan, 0 or more");
    }
    char money[64] = "0";
    if (!isnan(pledged))
        gf_fmt_double(money, sizeof money, pledged);
    const char *names[] = {"code", "kind", "helper", "helper_name", "unit",
                           "start", "end", "pledged", "measures", "note"};
    const char *vals[] = {code, kind, helper, helper_name, unit, start, end, money, measures, note};
    return gf_upsert(c, "pairing", 10, 1, names, vals, NULL, e);
}

const struct gf_import_kind gf_import_pairings = {
    "pairings", "组织结对(部门、企业结对村, 山海协作)",
    "pairings of organisations (departments or enterprises with villages, partner counties)",
    pair_cols, pair_req, NULL, pairing_row, NULL, NULL, code_key,
};

/* ---- import: pairing_activities ------------------------------------------------------------ */

static const char *const act_cols[] = {"pairing", "date", "kind", "amount", "note", NULL};
static const char *const act_req[] = {"pairing", "date", "kind", NULL};
static const char *const act_key[] = {"pairing", "date", "kind", NULL};

static int activity_row(struct gf_import_ctx *c, struct gf_err *e)
{
    const char *pairing, *date, *kind, *note = NULL;
    const char *kinds[8];
    double amount = NAN;
    int rc;
    if ((rc = gf_field_ref(c, "pairing", 1, "pairing", "code", &pairing, e)) ||
        (rc = gf_field_past_date(c, "date", 1, &date, e)) ||
        (rc = gf_field_enum(c, "kind", 1, codes_of(gf_pairing_activity_kinds, kinds), &kind, e)) ||
        (rc = gf_field_num(c, "amount", 0, &amount, e)) ||
        (rc = gf_field_text(c, "note", 0, &note, e)))
        return rc;
    char start[16] = "";
    struct gf_stmt *st;
    if ((rc = gf_db_prepare(c->db, "SELECT start FROM pairing WHERE code = ?", &st, e)))
        return rc;
    gf_stmt_bind_text(st, 1, pairing);
    if (gf_stmt_step(st, e) == 1 && gf_stmt_text(st, 0))
        snprintf(start, sizeof start, "%s", gf_stmt_text(st, 0));
    gf_stmt_finalize(st);
    if (start[0] && strcmp(date, start) < 0)
        return gf_err_at(e, c->path, c->line, "date", date,
                         "a date not before the pairing's start %s", start);
    if (!isnan(amount) && amount < 0) {
        char v[64];
        gf_fmt_double(v, sizeof v, amount);
        return gf_err_at(e, c->path, c->line, "amount", v, "an amount in yuan, 0 or more");
    }
    char money[64] = "0";
    if (!isnan(amount))
        gf_fmt_double(money, sizeof money, amount);
    const char *names[] = {"pairing", "date", "kind", "amount", "note"};
    const char *vals[] = {pairing, date, kind, money, note};
    return gf_upsert(c, "pairing_activity", 5, 3, names, vals, NULL, e);
}

const struct gf_import_kind gf_import_pairing_activities = {
    "pairing_activities", "结对活动(走访、项目、资金到位)",
    "what pairings did (visits, projects, funds delivered)",
    act_cols, act_req, NULL, activity_row, NULL, NULL, act_key,
};
