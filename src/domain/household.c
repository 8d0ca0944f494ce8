/* household.c — the household monitoring workflow: settings, lines, masking, and the state
 * machine found → identified → assisted → eliminated (→ identified again, 返贫), each change
 * with its history event and audit record in one transaction. */
#include "domain/household.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/import.h"

/* ---- dates ------------------------------------------------------------------------------- */

long gf_hh_days(const char *date)
{
    int y = 1970, m = 1, d = 1;
    if (!date || sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return 0;
    /* days from civil (proleptic Gregorian), after H. Hinnant's well-known algorithm */
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void gf_hh_date(long z, char *out)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    snprintf(out, 11, "%04ld-%02ld-%02ld", y % 10000, m, d);
}

/* ---- settings ---------------------------------------------------------------------------- */

long gf_hh_setting_int(struct gf_db *db, const char *key, long def)
{
    struct gf_stmt *st;
    if (gf_db_prepare(db, "SELECT value FROM hh_setting WHERE key = ?", &st, NULL))
        return def;
    gf_stmt_bind_text(st, 1, key);
    long v = def;
    if (gf_stmt_step(st, NULL) == 1) {
        const char *t = gf_stmt_text(st, 0);
        char *end;
        long x = t ? strtol(t, &end, 10) : 0;
        if (t && *t && !*end)
            v = x;
    }
    gf_stmt_finalize(st);
    return v;
}

int gf_hh_setting_set(struct gf_db *db, const char *actor, const char *key, const char *value,
                      struct gf_err *e)
{
    static const char *const keys[] = {
        "eliminate_periods", "max_households_per_cadre", "visit_days", "assist_months",
        "default_line",      "unit_income_indicator",    NULL};
    int known = 0;
    for (int i = 0; keys[i]; i++)
        known |= !strcmp(keys[i], key);
    if (!known)
        return gf_err_at(e, NULL, 0, "setting", key,
                         "one of: eliminate_periods, max_households_per_cadre, visit_days, "
                         "assist_months, default_line, unit_income_indicator");
    if (strcmp(key, "unit_income_indicator")) {
        char *end;
        long v = strtol(value, &end, 10);
        if (!*value || *end || v <= 0 || v > 100000000)
            return gf_err_at(e, NULL, 0, key, value, "a positive whole number");
    } else if (!*value)
        return gf_err_at(e, NULL, 0, key, value, "an indicator code");
    const char *cols[] = {"key", "value"};
    const char *vals[] = {key, value};
    int rc = gf_db_begin(db, e);
    if (rc)
        return rc;
    /* keep the note: update when present */
    if ((rc = gf_upsert_row(db, actor, "hh_setting", 2, 1, cols, vals, NULL, e))) {
        gf_db_rollback(db);
        return rc;
    }
    return gf_db_commit(db, e);
}

int gf_hh_cadre_max_set(struct gf_db *db, const char *actor, const char *cadre, const char *value,
                        struct gf_err *e)
{
    char *end;
    long v = strtol(value, &end, 10);
    if (!*value || *end || v <= 0 || v > 100000)
        return gf_err_at(e, NULL, 0, "max_households_per_cadre", value, "a positive whole number");
    struct gf_stmt *st;
    int rc = gf_db_prepare(db, "SELECT 1 FROM person WHERE code = ?", &st, e);
    if (rc)
        return rc;
    gf_stmt_bind_text(st, 1, cadre);
    rc = gf_stmt_step(st, e);
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return gf_err_at(e, NULL, 0, "cadre", cadre,
                         "the code of an existing person (no such person)");
    char num[24];
    snprintf(num, sizeof num, "%ld", v);
    const char *cols[] = {"person", "max_households"};
    const char *vals[] = {cadre, num};
    if ((rc = gf_db_begin(db, e)))
        return rc;
    if ((rc = gf_upsert_row(db, actor, "hh_cadre", 2, 1, cols, vals, NULL, e))) {
        gf_db_rollback(db);
        return rc;
    }
    return gf_db_commit(db, e);
}

/* ---- lines ------------------------------------------------------------------------------- */

static int line_at(struct gf_db *db, const char *region, const char *area, int year, double *out)
{
    struct gf_stmt *st;
    if (gf_db_prepare(db,
                      "SELECT amount FROM hh_line WHERE region = ? AND area IN (?, 'all') "
                      "AND year <= ? ORDER BY year DESC, CASE area WHEN 'all' THEN 1 ELSE 0 END "
                      "LIMIT 1",
                      &st, NULL))
        return 0;
    gf_stmt_bind_text(st, 1, region);
    gf_stmt_bind_text(st, 2, area);
    gf_stmt_bind_int(st, 3, year);
    int found = 0;
    if (gf_stmt_step(st, NULL) == 1) {
        *out = gf_stmt_double(st, 0);
        found = 1;
    }
    gf_stmt_finalize(st);
    return found;
}

double gf_hh_line(struct gf_db *db, const struct gf_units *units, const char *unit,
                  const char *area, int year)
{
    double v;
    int i = units ? gf_units_find(units, unit) : -1;
    if (i < 0) {
        if (unit && line_at(db, unit, area, year, &v))
            return v;
    }
    for (; i >= 0; i = units->unit[i].parent)
        if (line_at(db, units->unit[i].code, area, year, &v))
            return v;
    if (line_at(db, "CN", area, year, &v))
        return v;
    return (double)gf_hh_setting_int(db, "default_line", 10000);
}

/* ---- privacy ----------------------------------------------------------------------------- */

static void mask_keep(const char *in, char *out, size_t cap, size_t head, size_t tail,
                      size_t min_len)
{
    if (!cap)
        return;
    out[0] = 0;
    if (!in)
        return;
    size_t n = strlen(in);
    int ascii = 1;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)in[i] >= 0x80)
            ascii = 0;
    if (!ascii) {
        snprintf(out, cap, "****");
        return;
    }
    if (n < min_len) {
        head = 0;
        tail = n > 2 ? 2 : 0;
    }
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++)
        out[o++] = (i < head || i >= n - tail) ? in[i] : '*';
    out[o] = 0;
}

void gf_hh_mask_id(const char *in, char *out, size_t cap)
{
    mask_keep(in, out, cap, 6, 4, 12);
}

void gf_hh_mask_phone(const char *in, char *out, size_t cap)
{
    mask_keep(in, out, cap, 3, 4, 9);
}

/* Bytes of the UTF-8 character at s (1 for a byte that does not start a valid one). */
static size_t utf8_char_len(const unsigned char *s)
{
    size_t n = s[0] < 0x80             ? 1
               : (s[0] & 0xE0) == 0xC0 ? 2
               : (s[0] & 0xF0) == 0xE0 ? 3
               : (s[0] & 0xF8) == 0xF0 ? 4
                                       : 1;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 1;
    return n;
}

void gf_hh_mask_name(const char *in, char *out, size_t cap)
{
    if (!cap)
        return;
    out[0] = 0;
    if (!in || !*in)
        return;
    const unsigned char *s = (const unsigned char *)in;
    size_t nchars = 0, last = 0; /* last: where the last character starts */
    for (size_t i = 0; s[i]; i += utf8_char_len(s + i), nchars++)
        last = i;
    /* the first character, a star for each hidden one, and the last one of three or more */
    size_t first = utf8_char_len(s), stars = nchars >= 3 ? nchars - 2 : 1;
    size_t tail = nchars >= 3 ? strlen(in + last) : 0;
    if (nchars == 1 || first + stars + tail >= cap) {
        snprintf(out, cap, "*");
        return;
    }
    memcpy(out, in, first);
    memset(out + first, '*', stars);
    memcpy(out + first + stars, in + last, tail);
    out[first + stars + tail] = 0;
}

enum gf_hh_personal gf_hh_personal_field(const char *entity, const char *column)
{
    if (!column)
        return GF_HH_NOT_PERSONAL;
    if (!strcmp(column, "id_number"))
        return GF_HH_ID_NUMBER;
    if (!strcmp(column, "phone"))
        return GF_HH_PHONE;
    if (!strcmp(column, "head_name") ||
        (!strcmp(column, "name") && entity && !strcmp(entity, "hh_member")))
        return GF_HH_NAME;
    return GF_HH_NOT_PERSONAL;
}

void gf_hh_mask(enum gf_hh_personal kind, const char *in, char *out, size_t cap)
{
    switch (kind) {
    case GF_HH_ID_NUMBER:
        gf_hh_mask_id(in, out, cap);
        break;
    case GF_HH_PHONE:
        gf_hh_mask_phone(in, out, cap);
        break;
    case GF_HH_NAME:
        gf_hh_mask_name(in, out, cap);
        break;
    default:
        snprintf(out, cap, "%s", in ? in : "");
    }
}

char *gf_hh_mask_record(const char *entity, const char *json)
{
    if (!json)
        return NULL;
    json_t *o = json_loads(json, JSON_DECODE_ANY, NULL);
    int masked = 0;
    if (json_is_object(o)) {
        const char *k;
        json_t *v;
        json_object_foreach(o, k, v)
        {
            enum gf_hh_personal kind = gf_hh_personal_field(entity, k);
            if (kind == GF_HH_NOT_PERSONAL || !json_is_string(v))
                continue;
            char m[256];
            gf_hh_mask(kind, json_string_value(v), m, sizeof m);
            json_string_set(v, m);
            masked = 1;
        }
    }
    /* untouched text stays byte for byte as it was */
    char *r = masked ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : strdup(json);
    json_decref(o);
    return r;
}

int gf_hh_id_valid(const char *s)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check[] = "10X98765432";
    if (!s || strlen(s) != 18)
        return 0;
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        sum += (s[i] - '0') * w[i];
    }
    char c = s[17] == 'x' ? 'X' : s[17];
    return c == check[sum % 11];
}

int gf_hh_audit_read(struct gf_db *db, const char *actor, const char *what, const char *filter,
                     long rows, struct gf_err *e)
{
    return gf_audit_read(db, actor, what, "household", filter, GF_HH_PERSONAL_FIELDS, rows, e);
}

/* ---- the case ---------------------------------------------------------------------------- */

struct hcase {
    int exists;
    char state[16], category[32], cadre[64], organisation[128];
    char found_on[11], identified_on[11], assisted_on[11], eliminated_on[11];
    char unit[32], area[8], last_date[11];
    int returns;
};

static void copy(char *dst, size_t cap, const char *s)
{
    snprintf(dst, cap, "%s", s ? s : "");
}

/* Load the household and its case.  Fails with a clear message when the household is unknown. */
static int load_case(struct gf_db *db, const char *hh, struct hcase *c, struct gf_err *e)
{
    memset(c, 0, sizeof *c);
    struct gf_stmt *st;
    int rc =
        gf_db_prepare(db,
                      "SELECT h.unit, h.area, c.state, c.category, c.cadre, c.organisation,"
                      " c.found_on, c.identified_on, c.assisted_on, c.eliminated_on, c.returns,"
                      " (SELECT max(on_date) FROM hh_event v WHERE v.household = h.code)"
                      " FROM household h LEFT JOIN hh_case c ON c.household = h.code"
                      " WHERE h.code = ?",
                      &st, e);
    if (rc)
        return rc;
    gf_stmt_bind_text(st, 1, hh);
    rc = gf_stmt_step(st, e);
    if (rc == 1) {
        copy(c->unit, sizeof c->unit, gf_stmt_text(st, 0));
        copy(c->area, sizeof c->area, gf_stmt_text(st, 1));
        c->exists = !gf_stmt_is_null(st, 2);
        copy(c->state, sizeof c->state, gf_stmt_text(st, 2));
        copy(c->category, sizeof c->category, gf_stmt_text(st, 3));
        copy(c->cadre, sizeof c->cadre, gf_stmt_text(st, 4));
        copy(c->organisation, sizeof c->organisation, gf_stmt_text(st, 5));
        copy(c->found_on, sizeof c->found_on, gf_stmt_text(st, 6));
        copy(c->identified_on, sizeof c->identified_on, gf_stmt_text(st, 7));
        copy(c->assisted_on, sizeof c->assisted_on, gf_stmt_text(st, 8));
        copy(c->eliminated_on, sizeof c->eliminated_on, gf_stmt_text(st, 9));
        c->returns = (int)gf_stmt_int(st, 10);
        copy(c->last_date, sizeof c->last_date, gf_stmt_text(st, 11));
    }
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return gf_err_at(e, NULL, 0, "household", hh,
                         "the code of a household in the registry (no such household)");
    return GF_OK;
}

/* Check that code exists in a configurable list table; the message lists the valid codes. */
static int ref_check(struct gf_db *db, const char *table, const char *field, const char *code,
                     struct gf_err *e)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT code FROM %s ORDER BY position, code", table);
    struct gf_stmt *st;
    int rc = gf_db_prepare(db, sql, &st, e);
    if (rc)
        return rc;
    char list[512] = "";
    size_t o = 0;
    int found = 0;
    while ((rc = gf_stmt_step(st, e)) == 1) {
        const char *t = gf_stmt_text(st, 0);
        if (t && code && !strcmp(t, code))
            found = 1;
        if (o < sizeof list)
            o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", o ? ", " : "", t);
    }
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    if (!found)
        return gf_err_at(e, NULL, 0, field, code ? code : "", "one of: %s", list);
    return GF_OK;
}

/* The date of the change: given or today; valid, not after today and not before the
 * household's last event. */
static int check_date(const struct hcase *c, const char *hh, const char *date, char *out,
                      struct gf_err *e)
{
    char today[32];
    int rc;
    if (!date || !*date)
        date = gf_today(today);
    if ((rc = gf_check_past_date(NULL, 0, "date", date, e)))
        return rc;
    if (c->last_date[0] && strcmp(date, c->last_date) < 0)
        return gf_err_at(e, NULL, 0, "date", date,
                         "a date on or after %s, the last recorded change of household %s",
                         c->last_date, hh);
    copy(out, 11, date);
    return GF_OK;
}

/* History event + audit record of a change of the case. */
static int record(struct gf_db *db, const char *actor, const char *hh, const char *date,
                  const char *action, const char *from, const char *to, const char *category,
                  const char *org, const char *cadre, const char *note, const char *evidence,
                  struct gf_err *e)
{
    int rc = gf_db_run(db, e,
                       "INSERT INTO hh_event (household, on_date, action, from_state, to_state,"
                       " category, organisation, cadre, actor, note, evidence)"
                       " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                       hh, date, action, from, to, category, org, cadre, actor ? actor : "cli",
                       note, evidence);
    if (rc)
        return rc;
    char *before = from ? gf_json_obj("state", from, NULL) : NULL;
    char *after = gf_json_obj("state", to, "date", date, "category", category, "organisation", org,
                              "cadre", cadre, "note", note, "evidence", evidence, NULL);
    char act[32];
    snprintf(act, sizeof act, "hh_%s", action);
    rc = gf_audit(db, actor, act, "household", hh, before, after, e);
    free(before);
    free(after);
    return rc;
}

static const char *state_zh(const char *s)
{
    if (!strcmp(s, "found"))
        return "待识别";
    if (!strcmp(s, "identified"))
        return "已识别";
    if (!strcmp(s, "assisted"))
        return "帮扶中";
    if (!strcmp(s, "eliminated"))
        return "风险已消除";
    return s;
}

static int refuse(struct gf_err *e, const char *hh, const struct hcase *c, const char *what,
                  const char *need)
{
    if (!c->exists)
        return gf_err_set(e, GF_EUSER,
                          "household %s: cannot %s: it is not under monitoring (no case; state "
                          "none) — %s",
                          hh, what, need);
    return gf_err_set(e, GF_EUSER, "household %s: cannot %s: its state is %s (%s) — %s", hh, what,
                      c->state, state_zh(c->state), need);
}

/* Begin, run body, commit or roll back. */
#define TX_BEGIN(db, e)                                                                            \
    do {                                                                                           \
        int rc_ = gf_db_begin(db, e);                                                              \
        if (rc_)                                                                                   \
            return rc_;                                                                            \
    } while (0)

static int tx_end(struct gf_db *db, int rc, struct gf_err *e)
{
    if (rc) {
        gf_db_rollback(db);
        return rc;
    }
    return gf_db_commit(db, e);
}

/* Open the case (write), or only check that it could be opened (a dry run). */
static int find_body(struct gf_db *db, const char *actor, const char *hh, const char *channel,
                     const char *risk, const char *date, const char *note, int write,
                     struct gf_err *e)
{
    struct hcase c;
    char d[11];
    int rc = load_case(db, hh, &c, e);
    if (rc)
        return rc;
    if (c.exists)
        return gf_err_set(e, GF_EUSER,
                          "household %s: already under monitoring (state %s, %s, found on %s)", hh,
                          c.state, state_zh(c.state), c.found_on);
    if ((rc = ref_check(db, "hh_channel", "channel", channel, e)))
        return rc;
    if (risk && (rc = ref_check(db, "hh_risk_type", "risk", risk, e)))
        return rc;
    if ((rc = check_date(&c, hh, date, d, e)))
        return rc;
    if (!write)
        return GF_OK;
    if ((rc = gf_db_run(db, e,
                        "INSERT INTO hh_case (household, state, channel, risk, found_on)"
                        " VALUES (?, 'found', ?, ?, ?)",
                        hh, channel, risk, d)))
        return rc;
    return record(db, actor, hh, d, "find", NULL, "found", NULL, NULL, NULL, note, NULL, e);
}

int gf_hh_find(struct gf_db *db, const char *actor, const char *household, const char *channel,
               const char *risk, const char *date, const char *note, struct gf_err *e)
{
    TX_BEGIN(db, e);
    return tx_end(db, find_body(db, actor, household, channel, risk, date, note, 1, e), e);
}

int gf_hh_find_check(struct gf_db *db, const char *household, const char *channel,
                     const char *risk, const char *date, struct gf_err *e)
{
    return find_body(db, NULL, household, channel, risk, date, NULL, 0, e);
}

int gf_hh_whose(struct gf_db *db, const char *household, char *unit, size_t ucap, char *cadre,
                size_t ccap, struct gf_err *e)
{
    struct hcase c;
    int rc = load_case(db, household, &c, e);
    if (rc)
        return rc == GF_EUSER ? (e->code = GF_ENOTFOUND) : rc;
    copy(unit, ucap, c.unit);
    copy(cadre, ccap, c.cadre);
    return GF_OK;
}

static int step_write(struct gf_db *db, const char *actor, const char *hh, const char *step,
                      const char *date, const char *note, struct gf_err *e)
{
    int rc = gf_db_run(db, e,
                       "INSERT INTO hh_case_step (household, step, done_on, done_by, note)"
                       " VALUES (?,?,?,?,?) ON CONFLICT (household, step) DO UPDATE SET"
                       " done_on = excluded.done_on, done_by = excluded.done_by,"
                       " note = excluded.note",
                       hh, step, date, actor ? actor : "cli", note);
    if (rc)
        return rc;
    char key[160];
    snprintf(key, sizeof key, "%s/%s", hh, step);
    char *after = gf_json_obj("step", step, "date", date, "note", note, NULL);
    rc = gf_audit(db, actor, "hh_step", "household", key, NULL, after, e);
    free(after);
    return rc;
}

static int step_body(struct gf_db *db, const char *actor, const char *hh, const char *step,
                     const char *date, const char *note, struct gf_err *e)
{
    struct hcase c;
    char d[11];
    int rc = load_case(db, hh, &c, e);
    if (rc)
        return rc;
    if (!c.exists || strcmp(c.state, "found"))
        return refuse(e, hh, &c, "record an identification step",
                      "steps are recorded for households in state found");
    if ((rc = ref_check(db, "hh_ident_step", "step", step, e)))
        return rc;
    if ((rc = check_date(&c, hh, date, d, e)))
        return rc;
    return step_write(db, actor, hh, step, d, note, e);
}

int gf_hh_step(struct gf_db *db, const char *actor, const char *household, const char *step,
               const char *date, const char *note, struct gf_err *e)
{
    TX_BEGIN(db, e);
    return tx_end(db, step_body(db, actor, household, step, date, note, e), e);
}

static int identify_body(struct gf_db *db, const char *actor, const char *hh, const char *category,
                         const char *date, const char *const *steps, const char *note,
                         struct gf_err *e)
{
    struct hcase c;
    char d[11];
    int rc = load_case(db, hh, &c, e);
    if (rc)
        return rc;
    if (!c.exists || !strcmp(c.state, "identified") || !strcmp(c.state, "assisted"))
        return refuse(e, hh, &c, "identify",
                      c.exists ? "it is already identified"
                               : "open a case first (`gongfu households flag --household CODE`)");
    if ((rc = check_date(&c, hh, date, d, e)))
        return rc;
    if (category && (rc = ref_check(db, "hh_category", "category", category, e)))
        return rc;
    if (!strcmp(c.state, "eliminated")) { /* 返贫: back to identified */
        const char *cat = category ? category : c.category;
        if ((rc = gf_db_run(db, e,
                            "UPDATE hh_case SET state = 'identified', category = ?,"
                            " returned_on = ?, returns = returns + 1 WHERE household = ?",
                            cat, d, hh)))
            return rc;
        return record(db, actor, hh, d, "return", "eliminated", "identified", cat, NULL, NULL, note,
                      NULL, e);
    }
    /* found → identified */
    if (!category)
        return gf_err_set(e, GF_EUSER,
                          "household %s: cannot identify without a category (--category, one of "
                          "the codes of `gongfu households lists`)",
                          hh);
    for (int i = 0; steps && steps[i]; i++) {
        if (!strcmp(steps[i], "all")) {
            struct gf_stmt *st;
            if ((rc =
                     gf_db_prepare(db, "SELECT code FROM hh_ident_step ORDER BY position", &st, e)))
                return rc;
            char codes[16][40];
            int n = 0;
            while ((rc = gf_stmt_step(st, e)) == 1 && n < 16)
                copy(codes[n++], sizeof codes[0], gf_stmt_text(st, 0));
            gf_stmt_finalize(st);
            if (rc < 0)
                return rc;
            for (int k = 0; k < n; k++)
                if ((rc = step_write(db, actor, hh, codes[k], d, NULL, e)))
                    return rc;
            continue;
        }
        if ((rc = ref_check(db, "hh_ident_step", "step", steps[i], e)) ||
            (rc = step_write(db, actor, hh, steps[i], d, NULL, e)))
            return rc;
    }
    /* every required sub-step done? */
    struct gf_stmt *st;
    if ((rc = gf_db_prepare(db,
                            "SELECT s.code, s.name FROM hh_ident_step s WHERE s.required = 1 AND"
                            " NOT EXISTS (SELECT 1 FROM hh_case_step c WHERE c.household = ? AND"
                            " c.step = s.code) ORDER BY s.position",
                            &st, e)))
        return rc;
    gf_stmt_bind_text(st, 1, hh);
    char missing[768] = "";
    size_t o = 0;
    while ((rc = gf_stmt_step(st, e)) == 1)
        if (o < sizeof missing)
            o += (size_t)snprintf(missing + o, sizeof missing - o, "%s%s %s", o ? ", " : "",
                                  gf_stmt_text(st, 0), gf_stmt_text(st, 1));
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    if (missing[0])
        return gf_err_set(e, GF_EUSER,
                          "household %s: cannot identify: identification steps not yet recorded: "
                          "%s (record them with --step CODE, or --steps all)",
                          hh, missing);
    if ((rc = gf_db_run(db, e,
                        "UPDATE hh_case SET state = 'identified', category = ?,"
                        " identified_on = ?, identified_by = ? WHERE household = ?",
                        category, d, actor ? actor : "cli", hh)))
        return rc;
    return record(db, actor, hh, d, "identify", "found", "identified", category, NULL, NULL, note,
                  NULL, e);
}

int gf_hh_identify(struct gf_db *db, const char *actor, const char *household, const char *category,
                   const char *date, const char *const *steps, const char *note, struct gf_err *e)
{
    TX_BEGIN(db, e);
    return tx_end(db, identify_body(db, actor, household, category, date, steps, note, e), e);
}

/* Maximum households for a cadre: their own limit or the setting. */
static long cadre_max(struct gf_db *db, const char *cadre)
{
    struct gf_stmt *st;
    long max = gf_hh_setting_int(db, "max_households_per_cadre", 10);
    if (gf_db_prepare(db, "SELECT max_households FROM hh_cadre WHERE person = ?", &st, NULL))
        return max;
    gf_stmt_bind_text(st, 1, cadre);
    if (gf_stmt_step(st, NULL) == 1)
        max = (long)gf_stmt_int(st, 0);
    gf_stmt_finalize(st);
    return max;
}

static int pair_body(struct gf_db *db, const char *actor, const char *hh, const char *org,
                     const char *cadre, const char *date, struct gf_err *e)
{
    struct hcase c;
    char d[11];
    int rc = load_case(db, hh, &c, e);
    if (rc)
        return rc;
    if (!c.exists || (strcmp(c.state, "identified") && strcmp(c.state, "assisted")))
        return refuse(e, hh, &c, "pair",
                      "pairing is for identified or assisted households; identify it first");
    if (!org || !*org)
        return gf_err_at(e, NULL, 0, "organisation", "", "the responsible organisation (a name)");
    if (!cadre || !*cadre)
        return gf_err_at(e, NULL, 0, "cadre", "", "the code of the responsible cadre (a person)");
    struct gf_stmt *st;
    if ((rc = gf_db_prepare(db, "SELECT name FROM person WHERE code = ?", &st, e)))
        return rc;
    gf_stmt_bind_text(st, 1, cadre);
    rc = gf_stmt_step(st, e);
    char name[128] = "";
    if (rc == 1)
        copy(name, sizeof name, gf_stmt_text(st, 0));
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return gf_err_at(e, NULL, 0, "cadre", cadre,
                         "the code of an existing person (no such person)");
    if ((rc = check_date(&c, hh, date, d, e)))
        return rc;
    if ((rc = gf_db_prepare(db,
                            "SELECT count(*) FROM hh_case WHERE cadre = ? AND household <> ?"
                            " AND state IN ('identified','assisted')",
                            &st, e)))
        return rc;
    gf_stmt_bind_text(st, 1, cadre);
    gf_stmt_bind_text(st, 2, hh);
    long carried = 0;
    if ((rc = gf_stmt_step(st, e)) == 1)
        carried = (long)gf_stmt_int(st, 0);
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    long max = cadre_max(db, cadre);
    if (carried >= max)
        return gf_err_set(e, GF_EUSER,
                          "household %s: cannot pair with cadre %s (%s): the cadre already carries "
                          "%ld household%s, the maximum is %ld — choose another cadre or raise the "
                          "maximum (gongfu households set max_households_per_cadre N)",
                          hh, cadre, name, carried, carried == 1 ? "" : "s", max);
    if ((rc = gf_db_run(db, e,
                        "UPDATE hh_case SET organisation = ?, cadre = ?, paired_on = ?"
                        " WHERE household = ?",
                        org, cadre, d, hh)))
        return rc;
    return record(db, actor, hh, d, "pair", c.state, c.state, NULL, org, cadre, NULL, NULL, e);
}

int gf_hh_pair(struct gf_db *db, const char *actor, const char *household, const char *organisation,
               const char *cadre, const char *date, struct gf_err *e)
{
    TX_BEGIN(db, e);
    return tx_end(db, pair_body(db, actor, household, organisation, cadre, date, e), e);
}

static int visit_body(struct gf_db *db, const char *actor, const char *hh, const char *date,
                      const char *person, const char *measure, double amount, const char *note,
                      struct gf_err *e)
{
    struct hcase c;
    char d[11];
    int rc = load_case(db, hh, &c, e);
    if (rc)
        return rc;
    if (!c.exists || !strcmp(c.state, "found"))
        return refuse(e, hh, &c, "log a visit or measure",
                      "visits and measures are logged for identified households; identify it "
                      "first");
    if (measure && (rc = ref_check(db, "hh_measure_type", "measure", measure, e)))
        return rc;
    if (person && *person) {
        struct gf_stmt *st;
        if ((rc = gf_db_prepare(db, "SELECT 1 FROM person WHERE code = ?", &st, e)))
            return rc;
        gf_stmt_bind_text(st, 1, person);
        rc = gf_stmt_step(st, e);
        gf_stmt_finalize(st);
        if (rc < 0)
            return rc;
        if (rc == 0)
            return gf_err_at(e, NULL, 0, "cadre", person,
                             "the code of an existing person (no such person)");
    } else
        person = c.cadre[0] ? c.cadre : NULL;
    if (!isnan(amount) && (!isfinite(amount) || amount < 0)) {
        char a[40];
        snprintf(a, sizeof a, "%g", amount);
        return gf_err_at(e, NULL, 0, "amount", a, "an amount >= 0 (household %s)", hh);
    }
    /* a visit may be logged late (dated before the last change), but not before the household
     * was found and not after today; a measure that starts assistance must follow the last
     * change */
    char today[32];
    int starts = measure && !strcmp(c.state, "identified");
    if (starts) {
        if ((rc = check_date(&c, hh, date, d, e)))
            return rc;
    } else {
        if (!date || !*date)
            date = gf_today(today);
        if ((rc = gf_check_past_date(NULL, 0, "date", date, e)))
            return rc;
        if (strcmp(date, c.found_on) < 0)
            return gf_err_at(e, NULL, 0, "date", date,
                             "a date on or after %s, when household %s was found", c.found_on, hh);
        copy(d, sizeof d, date);
    }
    char amt[40] = "";
    if (!isnan(amount))
        snprintf(amt, sizeof amt, "%.2f", amount);
    struct gf_stmt *st;
    if ((rc = gf_db_prepare(db,
                            "INSERT INTO hh_visit (household, visit_date, person, measure, amount,"
                            " note) VALUES (?,?,?,?,?,?)",
                            &st, e)))
        return rc;
    gf_stmt_bind_text(st, 1, hh);
    gf_stmt_bind_text(st, 2, d);
    gf_stmt_bind_text(st, 3, person);
    gf_stmt_bind_text(st, 4, measure);
    gf_stmt_bind_double(st, 5, amount);
    gf_stmt_bind_text(st, 6, note);
    rc = gf_stmt_step(st, e);
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    char key[160];
    snprintf(key, sizeof key, "%s/visit/%lld", hh, (long long)gf_db_last_id(db));
    char *after = gf_json_obj("date", d, "person", person, "measure", measure, "amount",
                              amt[0] ? amt : NULL, "note", note, NULL);
    rc = gf_audit(db, actor, "hh_visit", "household", key, NULL, after, e);
    free(after);
    if (rc)
        return rc;
    if (starts) {
        if ((rc = gf_db_run(db, e,
                            "UPDATE hh_case SET state = 'assisted', assisted_on = ?"
                            " WHERE household = ?",
                            d, hh)))
            return rc;
        rc = record(db, actor, hh, d, "assist", "identified", "assisted", NULL, NULL, NULL, measure,
                    NULL, e);
    }
    return rc;
}

int gf_hh_visit(struct gf_db *db, const char *actor, const char *household, const char *date,
                const char *person, const char *measure, double amount, const char *note,
                struct gf_err *e)
{
    TX_BEGIN(db, e);
    return tx_end(db, visit_body(db, actor, household, date, person, measure, amount, note, e), e);
}

static int eliminate_body(struct gf_db *db, const char *actor, const char *hh, const char *date,
                          const char *note, struct gf_err *e)
{
    struct hcase c;
    char d[11];
    int rc = load_case(db, hh, &c, e);
    if (rc)
        return rc;
    if (!c.exists || strcmp(c.state, "assisted"))
        return refuse(e, hh, &c, "eliminate the risk",
                      !c.exists || !strcmp(c.state, "found")
                          ? "only an identified and assisted household can have its risk "
                            "eliminated"
                      : !strcmp(c.state, "identified")
                          ? "record a measure first (`gongfu households visit CODE --measure "
                            "TYPE`) so that it is assisted"
                          : "it is already eliminated");
    if ((rc = check_date(&c, hh, date, d, e)))
        return rc;
    long k = gf_hh_setting_int(db, "eliminate_periods", 2);
    if (k < 1)
        k = 1;
    struct gf_units units;
    if ((rc = gf_units_load(db, &units, e)))
        return rc;
    struct gf_stmt *st;
    if ((rc = gf_db_prepare(db,
                            "SELECT i.period, i.per_capita, p.year FROM hh_income i"
                            " JOIN period p ON p.code = i.period WHERE i.household = ?"
                            " ORDER BY p.end_date DESC, p.start_date DESC LIMIT ?",
                            &st, e))) {
        gf_units_free(&units);
        return rc;
    }
    gf_stmt_bind_text(st, 1, hh);
    gf_stmt_bind_int(st, 2, k);
    char ev[1024] = "[";
    size_t o = 1;
    long n = 0;
    while ((rc = gf_stmt_step(st, e)) == 1) {
        const char *period = gf_stmt_text(st, 0);
        double x = gf_stmt_double(st, 1);
        int year = (int)gf_stmt_int(st, 2);
        double line = gf_hh_line(db, &units, c.unit, c.area, year);
        if (x < line) {
            rc = gf_err_set(e, GF_EUSER,
                            "household %s: cannot eliminate the risk: per-capita income in %s was "
                            "%.2f yuan, under the line %.0f; %ld consecutive period%s at or above "
                            "the line %s needed",
                            hh, period, x, line, k, k == 1 ? "" : "s", k == 1 ? "is" : "are");
            break;
        }
        if (o < sizeof ev)
            o += (size_t)snprintf(ev + o, sizeof ev - o,
                                  "%s{\"period\":\"%s\",\"per_capita\":%.2f,\"line\":%.2f}",
                                  n ? "," : "", period, x, line);
        n++;
    }
    gf_stmt_finalize(st);
    gf_units_free(&units);
    if (rc < 0)
        return rc;
    if (n < k)
        return gf_err_set(e, GF_EUSER,
                          "household %s: cannot eliminate the risk: %ld consecutive income "
                          "period%s at or above the line %s needed, %ld recorded",
                          hh, k, k == 1 ? "" : "s", k == 1 ? "is" : "are", n);
    if (o + 2 > sizeof ev)
        return gf_err_set(e, GF_ESYS, "internal: evidence too long");
    ev[o++] = ']';
    ev[o] = 0;
    if ((rc = gf_db_run(db, e,
                        "UPDATE hh_case SET state = 'eliminated', eliminated_on = ?"
                        " WHERE household = ?",
                        d, hh)))
        return rc;
    return record(db, actor, hh, d, "eliminate", "assisted", "eliminated",
                  c.category[0] ? c.category : NULL, NULL, NULL, note, ev, e);
}

int gf_hh_eliminate(struct gf_db *db, const char *actor, const char *household, const char *date,
                    const char *note, struct gf_err *e)
{
    TX_BEGIN(db, e);
    return tx_end(db, eliminate_body(db, actor, household, date, note, e), e);
}
