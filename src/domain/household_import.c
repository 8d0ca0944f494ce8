/* household_import.c — import kinds of the household registry: households, household_members,
 * household_incomes (gongfu import KIND FILE, or gongfu households import KIND FILE). */
#include <stdio.h>
#include <string.h>

#include "domain/household.h"
#include "domain/import.h"
#include "domain/period.h"

/* ---- households -------------------------------------------------------------------------- */

static const char *const hh_cols[] = {"code", "unit", "head_name", "address", "phone",
                                      "area", "size", "source",    "note",    NULL};
static const char *const hh_req[] = {"code", "unit", "head_name", NULL};
static const char *const hh_key[] = {"code", NULL};
static const char *const areas[] = {"urban", "rural", NULL};

static int phone_ok(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++, n++)
        if (!((*p >= '0' && *p <= '9') || *p == '-' || (*p == '+' && p == s)))
            return 0;
    return n >= 5 && n <= 20;
}

static int hh_row(struct gf_import_ctx *c, struct gf_err *e)
{
    const char *code, *unit, *head, *address = NULL, *phone = NULL, *area = NULL, *source = NULL,
                                    *note = NULL;
    long long size = -1; /* absent */
    int rc;
    if ((rc = gf_field_code(c, "code", &code, e)) ||
        (rc = gf_field_ref(c, "unit", 1, "unit", "code", &unit, e)) ||
        (rc = gf_field_text(c, "head_name", 1, &head, e)) ||
        (rc = gf_field_text(c, "address", 0, &address, e)) ||
        (rc = gf_field_text(c, "phone", 0, &phone, e)) ||
        (rc = gf_field_enum(c, "area", 0, areas, &area, e)) ||
        (rc = gf_field_int(c, "size", 0, &size, e)) ||
        (rc = gf_field_text(c, "source", 0, &source, e)) ||
        (rc = gf_field_text(c, "note", 0, &note, e)))
        return rc;
    if (strlen(code) > 60)
        return gf_err_at(e, c->path, c->line, "code", code, "a household code of at most 60 bytes");
    if (phone && !phone_ok(phone)) {
        char m[64];
        gf_hh_mask_phone(phone, m, sizeof m);
        return gf_err_at(e, c->path, c->line, "phone", m,
                         "a phone number of 5 to 20 digits (may contain '-', may start with '+')");
    }
    char areabuf[8] = "", sizebuf[24] = "";
    snprintf(sizebuf, sizeof sizebuf, "%lld", size);
    if (size != -1 && (size < 1 || size > 100))
        return gf_err_at(e, c->path, c->line, "size", sizebuf,
                         "a household size between 1 and 100");
    if (!area) { /* the unit's own area */
        struct gf_stmt *st;
        if ((rc = gf_db_prepare(c->db, "SELECT area FROM unit WHERE code = ?", &st, e)))
            return rc;
        gf_stmt_bind_text(st, 1, unit);
        if (gf_stmt_step(st, e) == 1)
            snprintf(areabuf, sizeof areabuf, "%s", gf_stmt_text(st, 0));
        gf_stmt_finalize(st);
        area = areabuf;
    }
    if (size > 0)
        snprintf(sizebuf, sizeof sizebuf, "%lld", size);
    const char *vals[] = {code,   unit, head, address, phone, area, size > 0 ? sizebuf : NULL,
                          source, note};
    return gf_upsert(c, "household", 9, 1, hh_cols, vals, NULL, e);
}

const struct gf_import_kind gf_import_households = {
    "household_registry", /* "households" is the income microdata kind (income.c) */
    "低收入监测户登记(户)",
    "monitored households (one row per household)",
    hh_cols,
    hh_req,
    NULL,
    hh_row,
    NULL,
    NULL,
    hh_key,
};

/* ---- members ----------------------------------------------------------------------------- */

static const char *const mem_cols[] = {"household", "seq", "name",   "relation",
                                       "id_number", "age", "health", "employment",
                                       "schooling", NULL};
static const char *const mem_req[] = {"household", "seq", "name", "relation", NULL};
static const char *const mem_key[] = {"household", "seq", NULL};

static int mem_row(struct gf_import_ctx *c, struct gf_err *e)
{
    const char *hh, *name, *relation, *id = NULL, *health = NULL, *employment = NULL,
                                      *schooling = NULL;
    long long seq = 0, age = -1;
    int rc;
    if ((rc = gf_field_ref(c, "household", 1, "household", "code", &hh, e)) ||
        (rc = gf_field_int(c, "seq", 1, &seq, e)) || (rc = gf_field_text(c, "name", 1, &name, e)) ||
        (rc = gf_field_text(c, "relation", 1, &relation, e)) ||
        (rc = gf_field_text(c, "id_number", 0, &id, e)) ||
        (rc = gf_field_int(c, "age", 0, &age, e)) ||
        (rc = gf_field_text(c, "health", 0, &health, e)) ||
        (rc = gf_field_text(c, "employment", 0, &employment, e)) ||
        (rc = gf_field_text(c, "schooling", 0, &schooling, e)))
        return rc;
    char seqbuf[24], agebuf[24];
    snprintf(seqbuf, sizeof seqbuf, "%lld", seq);
    snprintf(agebuf, sizeof agebuf, "%lld", age);
    if (seq < 1 || seq > 1000)
        return gf_err_at(e, c->path, c->line, "seq", seqbuf, "a member number between 1 and 1000");
    if (age != -1 && (age < 0 || age > 130))
        return gf_err_at(e, c->path, c->line, "age", agebuf, "an age between 0 and 130");

    if (id) {
        char m[64];
        gf_hh_mask_id(id, m, sizeof m);
        if (!gf_hh_id_valid(id))
            return gf_err_at(e, c->path, c->line, "id_number", m,
                             "an 18-character resident ID number with a valid check character "
                             "(value shown masked)");
        struct gf_stmt *st;
        if ((rc = gf_db_prepare(c->db,
                                "SELECT household, seq FROM hh_member WHERE id_number = ?"
                                " AND NOT (household = ? AND seq = ?)",
                                &st, e)))
            return rc;
        gf_stmt_bind_text(st, 1, id);
        gf_stmt_bind_text(st, 2, hh);
        gf_stmt_bind_int(st, 3, seq);
        rc = gf_stmt_step(st, e);
        char other[128] = "";
        if (rc == 1)
            snprintf(other, sizeof other, "household %s member %lld", gf_stmt_text(st, 0),
                     (long long)gf_stmt_int(st, 1));
        gf_stmt_finalize(st);
        if (rc < 0)
            return rc;
        if (rc == 1)
            return gf_err_at(e, c->path, c->line, "id_number", m,
                             "an ID number not yet registered (duplicate: it already belongs to "
                             "%s; value shown masked)",
                             other);
    }
    const char *vals[] = {hh,       seq > 0 ? seqbuf : NULL,  name,   relation,
                          id,       age >= 0 ? agebuf : NULL, health, employment,
                          schooling};
    return gf_upsert(c, "hh_member", 9, 2, mem_cols, vals, NULL, e);
}

const struct gf_import_kind gf_import_household_members = {
    "household_members",
    "监测户家庭成员",
    "members of monitored households (one row per person)",
    mem_cols,
    mem_req,
    NULL,
    mem_row,
    NULL,
    NULL,
    mem_key,
};

/* ---- incomes ----------------------------------------------------------------------------- */

static const char *const inc_cols[] = {"household", "period",    "per_capita", "wages", "business",
                                       "property",  "transfers", "source",     NULL};
static const char *const inc_req[] = {"household", "period", "per_capita", NULL};
static const char *const inc_key[] = {"household", "period", NULL};

static int inc_row(struct gf_import_ctx *c, struct gf_err *e)
{
    const char *hh, *period, *source = NULL;
    const char *num[5] = {NULL, NULL, NULL, NULL, NULL};
    static const char *const numcols[] = {"per_capita", "wages", "business", "property",
                                          "transfers"};
    int rc;
    if ((rc = gf_field_ref(c, "household", 1, "household", "code", &hh, e)) ||
        (rc = gf_field_text(c, "period", 1, &period, e)) ||
        (rc = gf_field_text(c, "source", 0, &source, e)))
        return rc;
    struct gf_period p;
    if (gf_period_parse(period, &p) || p.kind != GF_PERIOD_YEAR)
        return gf_err_at(e, c->path, c->line, "period", period,
                         "a year such as 2024 (incomes are annual per-capita figures)");
    for (int i = 0; i < 5; i++) {
        double x;
        if ((rc = gf_field_num(c, numcols[i], i == 0, &x, e)))
            return rc;
        if ((rc = gf_field_text(c, numcols[i], 0, &num[i], e)))
            return rc;
        if (num[i] && (x < -1e7 || x > 1e9))
            return gf_err_at(e, c->path, c->line, numcols[i], num[i],
                             "a yearly per-capita amount in yuan between -10 000 000 and "
                             "1 000 000 000");
    }
    if ((rc = gf_period_ensure(c->db, period, e)))
        return rc;
    const char *vals[] = {hh, period, num[0], num[1], num[2], num[3], num[4], source};
    return gf_upsert(c, "hh_income", 8, 2, inc_cols, vals, NULL, e);
}

const struct gf_import_kind gf_import_household_incomes = {
    "household_incomes",
    "监测户人均可支配收入(按期)",
    "per-capita disposable income of monitored households by period",
    inc_cols,
    inc_req,
    NULL,
    inc_row,
    NULL,
    NULL,
    inc_key,
};
