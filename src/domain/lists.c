/* lists.c — list items, progress reports and flags (四张清单, 进度, 逾期/停滞预警).
 *
 * Import kinds "list_kinds", "items" and "progress" validate every field (naming file, line,
 * field and value on error) and write through gf_upsert so that re-imports change nothing and
 * every change is audited in the import's transaction. */
#include "domain/lists.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/lists_int.h"
#include "util/table.h"

/* ---- dates --------------------------------------------------------------------------------- */

long gf_lists_civil_days(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void gf_lists_civil_date(long z, char *out)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    snprintf(out, 11, "%04ld-%02ld-%02ld", y + (m <= 2), m, d);
}

static int date_days(const char *s, long *out)
{
    if (!s || !gf_parse_date(s))
        return -1;
    int y, m, d;
    if (sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return -1;
    *out = gf_lists_civil_days(y, m, d);
    return 0;
}

long gf_days_between(const char *a, const char *b)
{
    long x, y;
    if (date_days(a, &x) || date_days(b, &y))
        return 0;
    return y - x;
}

/* ---- small helpers ------------------------------------------------------------------------- */

static void fmt_num(char *buf, size_t cap, double x)
{
    if (isnan(x))
        buf[0] = 0;
    else
        gf_fmt_double(buf, (int)cap, x);
}

static const char *nz(const char *buf)
{
    return buf && buf[0] ? buf : NULL;
}

/* Copies of field texts for one record (JSON numbers share one buffer in the reader). */
struct keep {
    char *p[48];
    int n;
};

static const char *keep(struct keep *k, const char *s)
{
    if (!s || k->n >= 48)
        return s;
    char *c = strdup(s);
    if (!c)
        return s;
    k->p[k->n++] = c;
    return c;
}

static void keep_free(struct keep *k)
{
    for (int i = 0; i < k->n; i++)
        free(k->p[i]);
    k->n = 0;
}

static int exists(struct gf_db *db, const char *table, const char *col, const char *v)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE %s = ?", table, col);
    struct gf_stmt *st;
    if (gf_db_prepare(db, sql, &st, NULL))
        return 0;
    gf_stmt_bind_text(st, 1, v);
    int r = gf_stmt_step(st, NULL) == 1;
    gf_stmt_finalize(st);
    return r;
}

/* A department or a unit (牵头单位 / 配合单位). */
static int is_party(struct gf_db *db, const char *code)
{
    return exists(db, "department", "code", code) || exists(db, "unit", "code", code);
}

/* Update one column of list_item with an audit record (before/after of that column). */
static int item_set(struct gf_db *db, const char *actor, const char *code, const char *col,
                    const char *val, struct gf_err *e)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT %s FROM list_item WHERE code = ?", col);
    struct gf_stmt *st;
    int rc = gf_db_prepare(db, sql, &st, e);
    if (rc)
        return rc;
    gf_stmt_bind_text(st, 1, code);
    rc = gf_stmt_step(st, e);
    char *before = NULL;
    if (rc == 1) {
        const char *t = gf_stmt_text(st, 0);
        if ((t == NULL) == (val == NULL) && (!t || !strcmp(t, val))) {
            gf_stmt_finalize(st);
            return GF_OK; /* unchanged */
        }
        before = gf_json_obj(col, t, NULL);
    }
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    snprintf(sql, sizeof sql, "UPDATE list_item SET %s = ? WHERE code = ?", col);
    rc = gf_db_run(db, e, sql, val, code);
    if (rc == GF_OK) {
        char *after = gf_json_obj(col, val, NULL);
        rc = gf_audit(db, actor, "update", "list_item", code, before, after, e);
        free(after);
    }
    free(before);
    return rc;
}

/* Delete one row with an audit record. */
static int delete_row(struct gf_db *db, const char *actor, const char *table, const char *kcol1,
                      const char *k1, const char *kcol2, const char *k2, struct gf_err *e)
{
    char sql[200], key[256];
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s = ? AND %s = ?", table, kcol1, kcol2);
    int rc = gf_db_run(db, e, sql, k1, k2);
    if (rc)
        return rc;
    snprintf(key, sizeof key, "%s/%s", k1, k2);
    char *before = gf_json_obj(kcol1, k1, kcol2, k2, NULL);
    rc = gf_audit(db, actor, "delete", table, key, before, NULL, e);
    free(before);
    return rc;
}

/* ---- import: list kinds -------------------------------------------------------------------- */

static const char *const kind_cols[] = {"code", "name", "name_en", NULL};
static const char *const kind_req[] = {"code", "name", NULL};
static const char *const code_key[] = {"code", NULL};

static int kind_row(struct gf_import_ctx *c, struct gf_err *e)
{
    struct keep k = {0};
    const char *code = NULL, *name = NULL, *name_en = NULL;
    int rc;
    if ((rc = gf_field_text(c, "code", 1, &code, e)))
        goto out;
    code = keep(&k, code);
    if ((rc = gf_field_text(c, "name", 1, &name, e)))
        goto out;
    name = keep(&k, name);
    if ((rc = gf_field_text(c, "name_en", 0, &name_en, e)))
        goto out;
    name_en = keep(&k, name_en);
    if (strlen(code) > 32 ||
        strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(code)) {
        rc = gf_err_at(e, c->path, c->line, "code", code,
                       "a short code of lower-case letters, digits and _");
        goto out;
    }
    const char *cols[] = {"code", "name", "name_en"};
    const char *vals[] = {code, name, name_en};
    rc = gf_upsert(c, "list_kind", 3, 1, cols, vals, NULL, e);
out:
    keep_free(&k);
    return rc;
}

const struct gf_import_kind gf_import_list_kinds = {
    "list_kinds",
    "清单类别(自定义)",
    "list kinds (custom)",
    kind_cols,
    kind_req,
    NULL,
    kind_row,
    NULL,
    NULL,
    code_key,
};

/* ---- import: items ------------------------------------------------------------------------- */

static const char *const ms_codes[] = {"land", "start", "complete", "produce", NULL};

static const char *const item_cols[] = {"code",
                                        "title",
                                        "description",
                                        "kind",
                                        "list",
                                        "leader",
                                        "lead_unit",
                                        "owner",
                                        "coop_units",
                                        "team",
                                        "unit",
                                        "indicators",
                                        "start",
                                        "due",
                                        "status",
                                        "completed",
                                        "invest_planned",
                                        "invest_done",
                                        "funds_requested",
                                        "funds_secured",
                                        "land_planned",
                                        "land_actual",
                                        "start_planned",
                                        "start_actual",
                                        "complete_planned",
                                        "complete_actual",
                                        "produce_planned",
                                        "produce_actual",
                                        "synthetic",
                                        "note",
                                        NULL};
static const char *const item_req[] = {"code",  "title", "kind", "lead_unit",
                                       "owner", "start", "due",  NULL};
static const char *const statuses[] = {"planned", "active", "done", "suspended", "cancelled", NULL};

/* A money field: a number >= 0, formatted into buf ("" when absent). */
static int money_field(struct gf_import_ctx *c, const char *name, char *buf, size_t cap,
                       struct gf_err *e)
{
    double v = NAN;
    int rc = gf_field_num(c, name, 0, &v, e);
    if (rc)
        return rc;
    fmt_num(buf, cap, v);
    if (!isnan(v) && v < 0)
        return gf_err_at(e, c->path, c->line, name, buf, "an amount >= 0 (万元)");
    return GF_OK;
}

/* Split "a;b|c" into trimmed parts written into buf; returns the count, -1 if more than 64. */
static int split_list(const char *s, char *buf, size_t cap, const char **parts)
{
    int n = 0;
    if (!s)
        return 0;
    snprintf(buf, cap, "%s", s);
    char *save = NULL;
    for (char *t = strtok_r(buf, ";|", &save); t; t = strtok_r(NULL, ";|", &save)) {
        while (*t == ' ')
            t++;
        size_t l = strlen(t);
        while (l && t[l - 1] == ' ')
            t[--l] = 0;
        if (!*t)
            continue;
        if (n == 64)
            return -1; /* too many */
        parts[n++] = t;
    }
    return n;
}

/* Make the stored set (item, col) equal to parts: insert missing, delete extra (audited). */
static int sync_set(struct gf_import_ctx *c, const char *table, const char *col, const char *item,
                    const char **parts, int n, struct gf_err *e)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE item = ? ORDER BY 1", col, table);
    struct gf_stmt *st;
    int rc = gf_db_prepare(c->db, sql, &st, e);
    if (rc)
        return rc;
    gf_stmt_bind_text(st, 1, item);
    char *extra[256];
    int nextra = 0;
    while ((rc = gf_stmt_step(st, e)) == 1) {
        const char *v = gf_stmt_text(st, 0);
        int keepit = 0;
        for (int i = 0; i < n && !keepit; i++)
            keepit = !strcmp(parts[i], v);
        if (!keepit && nextra < 256)
            extra[nextra++] = strdup(v);
    }
    gf_stmt_finalize(st);
    for (int i = 0; i < nextra; i++) {
        if (rc >= 0 && extra[i])
            rc = delete_row(c->db, c->actor, table, "item", item, col, extra[i], e);
        free(extra[i]);
    }
    if (rc < 0)
        return rc;
    for (int i = 0; i < n; i++) {
        const char *cols[] = {"item", col};
        const char *vals[] = {item, parts[i]};
        if ((rc = gf_upsert(c, table, 2, 2, cols, vals, NULL, e)))
            return rc;
    }
    return GF_OK;
}

static int item_row(struct gf_import_ctx *c, struct gf_err *e)
{
    struct keep k = {0};
    const char *code = NULL, *title = NULL, *desc = NULL, *kind = NULL, *list = NULL,
               *leader = NULL, *lead = NULL, *owner = NULL, *coop = NULL, *team = NULL,
               *unit = NULL, *inds = NULL, *start = NULL, *due = NULL, *status = "active",
               *completed = NULL, *synth = "0", *note = NULL;
    char ip[40], id[40], fr[40], fs[40];
    char coopbuf[2048], indbuf[2048];
    const char *coops[64], *indv[64];
    static const char *const zero_one[] = {"0", "1", NULL};
    struct gf_import_stats *saved_stats = NULL;
    int rc, main_ch = 0;
    int64_t audit0 = 0;
#define TXT(name, var, req)                                                                        \
    do {                                                                                           \
        if ((rc = gf_field_text(c, name, req, &var, e)))                                           \
            goto out;                                                                              \
        var = keep(&k, var);                                                                       \
    } while (0)
#define REF(name, var, req, table)                                                                 \
    do {                                                                                           \
        if ((rc = gf_field_ref(c, name, req, table, "code", &var, e)))                             \
            goto out;                                                                              \
        var = keep(&k, var);                                                                       \
    } while (0)
    if ((rc = gf_field_code(c, "code", &code, e)))
        goto out;
    code = keep(&k, code);
    if (strlen(code) > 60) {
        rc = gf_err_at(e, c->path, c->line, "code", code, "a code of at most 60 bytes");
        goto out;
    }
    TXT("title", title, 1);
    TXT("description", desc, 0);
    REF("kind", kind, 1, "list_kind");
    TXT("list", list, 0);
    REF("leader", leader, 0, "person");
    TXT("lead_unit", lead, 1);
    if (!is_party(c->db, lead)) {
        rc = gf_err_at(e, c->path, c->line, "lead_unit", lead,
                       "the code of an existing department or unit");
        goto out;
    }
    REF("owner", owner, 1, "person");
    TXT("coop_units", coop, 0);
    if (coop && strlen(coop) >= sizeof coopbuf) {
        rc = gf_err_at(e, c->path, c->line, "coop_units", coop, "at most %zu bytes",
                       sizeof coopbuf - 1);
        goto out;
    }
    int ncoop = split_list(coop, coopbuf, sizeof coopbuf, coops);
    if (ncoop < 0) {
        rc = gf_err_at(e, c->path, c->line, "coop_units", coop, "at most 64 codes");
        goto out;
    }
    for (int i = 0; i < ncoop; i++)
        if (!is_party(c->db, coops[i])) {
            rc = gf_err_at(e, c->path, c->line, "coop_units", coops[i],
                           "codes of existing departments or units, separated by ;");
            goto out;
        }
    REF("team", team, 0, "team");
    REF("unit", unit, 0, "unit");
    TXT("indicators", inds, 0);
    if (inds && strlen(inds) >= sizeof indbuf) {
        rc = gf_err_at(e, c->path, c->line, "indicators", inds, "at most %zu bytes",
                       sizeof indbuf - 1);
        goto out;
    }
    int nind = split_list(inds, indbuf, sizeof indbuf, indv);
    if (nind < 0) {
        rc = gf_err_at(e, c->path, c->line, "indicators", inds, "at most 64 codes");
        goto out;
    }
    for (int i = 0; i < nind; i++)
        if (!exists(c->db, "indicator", "code", indv[i])) {
            rc = gf_err_at(e, c->path, c->line, "indicators", indv[i],
                           "codes of existing indicators, separated by ;");
            goto out;
        }
    if ((rc = gf_field_date(c, "start", 1, &start, e)))
        goto out;
    start = keep(&k, start);
    if ((rc = gf_field_date(c, "due", 1, &due, e)))
        goto out;
    due = keep(&k, due);
    if (strcmp(due, start) < 0) {
        rc = gf_err_at(e, c->path, c->line, "due", due, "a date on or after start (%s)", start);
        goto out;
    }
    if ((rc = gf_field_enum(c, "status", 0, statuses, &status, e)))
        goto out;
    if ((rc = gf_field_past_date(c, "completed", 0, &completed, e)))
        goto out;
    completed = keep(&k, completed);
    if (!strcmp(status, "done") && !completed) {
        rc =
            gf_err_at(e, c->path, c->line, "completed", "", "the completion date (status is done)");
        goto out;
    }
    if (completed && strcmp(completed, start) < 0) {
        rc = gf_err_at(e, c->path, c->line, "completed", completed, "a date on or after start (%s)",
                       start);
        goto out;
    }
    if ((rc = money_field(c, "invest_planned", ip, sizeof ip, e)) ||
        (rc = money_field(c, "invest_done", id, sizeof id, e)) ||
        (rc = money_field(c, "funds_requested", fr, sizeof fr, e)) ||
        (rc = money_field(c, "funds_secured", fs, sizeof fs, e)))
        goto out;
    if ((rc = gf_field_enum(c, "synthetic", 0, zero_one, &synth, e)))
        goto out;
    TXT("note", note, 0);
    /* milestones */
    const char *mp[4] = {0}, *ma[4] = {0};
    for (int m = 0; m < 4; m++) {
        char n1[32], n2[32];
        snprintf(n1, sizeof n1, "%s_planned", ms_codes[m]);
        snprintf(n2, sizeof n2, "%s_actual", ms_codes[m]);
        if ((rc = gf_field_date(c, n1, 0, &mp[m], e)))
            goto out;
        mp[m] = keep(&k, mp[m]);
        if ((rc = gf_field_past_date(c, n2, 0, &ma[m], e)))
            goto out;
        ma[m] = keep(&k, ma[m]);
        if (ma[m] && !mp[m]) {
            rc = gf_err_at(e, c->path, c->line, n1, "", "the planned date too (%s is given)", n2);
            goto out;
        }
    }
    {
        const char *cols[] = {
            "code",        "title",           "description",   "kind",           "list",
            "leader",      "lead_unit",       "owner",         "team",           "unit",
            "start_date",  "due_date",        "status",        "completed_date", "invest_planned",
            "invest_done", "funds_requested", "funds_secured", "synthetic",      "note"};
        const char *vals[] = {code,   title,  desc,   kind,   list,  leader, lead,
                              owner,  team,   unit,   start,  due,   status, completed,
                              nz(ip), nz(id), nz(fr), nz(fs), synth, note};
        /* count one per record: inserted, updated (the row or any of its parts), unchanged */
        saved_stats = c->stats;
        c->stats = NULL;
        if ((rc = gf_upsert(c, "list_item", 20, 1, cols, vals, &main_ch, e)))
            goto out;
    }
    audit0 = gf_db_int(c->db, "SELECT max(id) FROM audit", 0);
    if ((rc = sync_set(c, "list_item_coop", "party", code, coops, ncoop, e)) ||
        (rc = sync_set(c, "list_item_indicator", "indicator", code, indv, nind, e)))
        goto out;
    for (int m = 0; m < 4; m++) {
        if (mp[m]) {
            const char *cols[] = {"item", "code", "planned_date", "actual_date"};
            const char *vals[] = {code, ms_codes[m], mp[m], ma[m]};
            if ((rc = gf_upsert(c, "milestone", 4, 2, cols, vals, NULL, e)))
                goto out;
        } else {
            struct gf_stmt *st;
            if ((rc = gf_db_prepare(c->db, "SELECT 1 FROM milestone WHERE item=? AND code=?", &st,
                                    e)))
                goto out;
            gf_stmt_bind_text(st, 1, code);
            gf_stmt_bind_text(st, 2, ms_codes[m]);
            int had = gf_stmt_step(st, e) == 1;
            gf_stmt_finalize(st);
            if (had && (rc = delete_row(c->db, c->actor, "milestone", "item", code, "code",
                                        ms_codes[m], e)))
                goto out;
        }
    }
#undef TXT
#undef REF
out:
    if (saved_stats) {
        c->stats = saved_stats;
        if (rc == GF_OK) {
            if (main_ch == 1)
                c->stats->inserted++;
            else if (main_ch == 2 || gf_db_int(c->db, "SELECT max(id) FROM audit", 0) != audit0)
                c->stats->updated++;
            else
                c->stats->unchanged++;
        }
    }
    keep_free(&k);
    return rc;
}

const struct gf_import_kind gf_import_items = {
    "items",
    "清单事项(四张清单)",
    "list items (the four lists)",
    item_cols,
    item_req,
    NULL,
    item_row,
    NULL,
    NULL,
    code_key,
};

/* ---- progress ------------------------------------------------------------------------------ */

int gf_progress_add(struct gf_db *db, const char *actor, const struct gf_progress *p,
                    const char *file, long line, int *changed, struct gf_err *e)
{
    char today[32], pct[40], inv[40], fund[40], now[32];
    const char *date = p->date ? p->date : gf_today(today);
    int rc;
    if (changed)
        *changed = 0;
    if (!p->item || !exists(db, "list_item", "code", p->item))
        return gf_err_at(e, file, line, "item", p->item ? p->item : "",
                         "the code of an existing list item");
    if ((rc = gf_check_past_date(file, line, "date", date, e)))
        return rc;
    if (!p->by || !exists(db, "person", "code", p->by))
        return gf_err_at(e, file, line, "reported_by", p->by ? p->by : "",
                         "the code of an existing person");
    if (isnan(p->percent) || p->percent < 0 || p->percent > 100) {
        fmt_num(pct, sizeof pct, p->percent);
        return gf_err_at(e, file, line, "percent", pct, "a number from 0 to 100");
    }
    if (!isnan(p->invest_done) && p->invest_done < 0) {
        fmt_num(inv, sizeof inv, p->invest_done);
        return gf_err_at(e, file, line, "invest_done", inv, "an amount >= 0 (万元)");
    }
    if (!isnan(p->funds_secured) && p->funds_secured < 0) {
        fmt_num(fund, sizeof fund, p->funds_secured);
        return gf_err_at(e, file, line, "funds_secured", fund, "an amount >= 0 (万元)");
    }
    if (p->milestone) {
        int ok = 0;
        for (int i = 0; ms_codes[i]; i++)
            ok |= !strcmp(ms_codes[i], p->milestone);
        if (!ok)
            return gf_err_at(e, file, line, "milestone", p->milestone,
                             "one of: land, start, complete, produce");
        if (p->milestone_date &&
            (rc = gf_check_past_date(file, line, "milestone_date", p->milestone_date, e)))
            return rc;
    }
    fmt_num(pct, sizeof pct, p->percent);
    fmt_num(inv, sizeof inv, p->invest_done);
    fmt_num(fund, sizeof fund, p->funds_secured);

    /* the item: status and start */
    struct gf_stmt *st;
    if ((rc = gf_db_prepare(db,
                            "SELECT status, start_date, completed_date FROM list_item "
                            "WHERE code = ?",
                            &st, e)))
        return rc;
    gf_stmt_bind_text(st, 1, p->item);
    char status[16] = "", start[16] = "", completed[16] = "";
    if (gf_stmt_step(st, e) == 1) {
        snprintf(status, sizeof status, "%s", gf_stmt_text(st, 0));
        snprintf(start, sizeof start, "%s", gf_stmt_text(st, 1));
        const char *cd = gf_stmt_text(st, 2);
        snprintf(completed, sizeof completed, "%s", cd ? cd : "");
    }
    gf_stmt_finalize(st);

    /* the same report already stored? (re-imports are idempotent, even on a closed item) */
    if ((rc = gf_db_prepare(db,
                            "SELECT count(*) FROM progress WHERE item = ? AND report_date = ? "
                            "AND percent = ? AND text IS NOT DISTINCT FROM ? AND invest_done IS NOT DISTINCT FROM ? AND "
                            "funds_secured IS NOT DISTINCT FROM ? AND reported_by = ?",
                            &st, e)))
        return rc;
    gf_stmt_bind_text(st, 1, p->item);
    gf_stmt_bind_text(st, 2, date);
    gf_stmt_bind_double(st, 3, p->percent);
    gf_stmt_bind_text(st, 4, p->text);
    gf_stmt_bind_double(st, 5, p->invest_done);
    gf_stmt_bind_double(st, 6, p->funds_secured);
    gf_stmt_bind_text(st, 7, p->by);
    rc = gf_stmt_step(st, e);
    int same = rc == 1 && gf_stmt_int(st, 0) > 0;
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    if (same && p->milestone) {
        /* unchanged only if the milestone date is already recorded too */
        if ((rc = gf_db_prepare(db,
                                "SELECT count(*) FROM milestone WHERE item=? AND code=? AND "
                                "actual_date = ?",
                                &st, e)))
            return rc;
        gf_stmt_bind_text(st, 1, p->item);
        gf_stmt_bind_text(st, 2, p->milestone);
        gf_stmt_bind_text(st, 3, p->milestone_date ? p->milestone_date : date);
        same = gf_stmt_step(st, e) == 1 && gf_stmt_int(st, 0) > 0;
        gf_stmt_finalize(st);
    }
    if (same)
        return GF_OK;
    if (!strcmp(status, "done") || !strcmp(status, "cancelled"))
        return gf_err_at(e, file, line, "item", p->item,
                         "an open item: this item is closed (%s%s%s), progress reports are "
                         "refused",
                         status, completed[0] ? " " : "", completed);
    if (strcmp(date, start) < 0)
        return gf_err_at(e, file, line, "date", date, "a date on or after the item's start (%s)",
                         start);

    if ((rc = gf_db_begin(db, e)))
        return rc;
    {
        const char *cols[] = {"item",        "report_date",   "percent",     "text",
                              "invest_done", "funds_secured", "reported_by", "reported_at"};
        const char *vals[] = {p->item, date, pct, p->text, nz(inv), nz(fund), p->by, gf_now(now)};
        rc = gf_upsert_row(db, actor, "progress", 8, 2, cols, vals, changed, e);
    }
    if (rc == GF_OK && p->milestone) {
        if ((rc = gf_db_prepare(db, "SELECT planned_date FROM milestone WHERE item=? AND code=?",
                                &st, e)) == GF_OK) {
            gf_stmt_bind_text(st, 1, p->item);
            gf_stmt_bind_text(st, 2, p->milestone);
            char planned[16] = "";
            if (gf_stmt_step(st, e) == 1)
                snprintf(planned, sizeof planned, "%s", gf_stmt_text(st, 0));
            gf_stmt_finalize(st);
            if (!planned[0])
                rc = gf_err_at(e, file, line, "milestone", p->milestone,
                               "a milestone planned for this item (give its planned date in "
                               "the items file first)");
            else {
                const char *cols[] = {"item", "code", "planned_date", "actual_date"};
                const char *vals[] = {p->item, p->milestone, planned,
                                      p->milestone_date ? p->milestone_date : date};
                rc = gf_upsert_row(db, actor, "milestone", 4, 2, cols, vals, NULL, e);
            }
        }
    }
    /* the item's current figures follow its latest report that carries them */
    if (rc == GF_OK && inv[0]) {
        char latest[16] = "";
        if ((rc = gf_db_prepare(db,
                                "SELECT max(report_date) FROM progress WHERE item = ? AND "
                                "invest_done IS NOT NULL",
                                &st, e)) == GF_OK) {
            gf_stmt_bind_text(st, 1, p->item);
            if (gf_stmt_step(st, e) == 1 && gf_stmt_text(st, 0))
                snprintf(latest, sizeof latest, "%s", gf_stmt_text(st, 0));
            gf_stmt_finalize(st);
            if (!strcmp(latest, date))
                rc = item_set(db, actor, p->item, "invest_done", inv, e);
        }
    }
    if (rc == GF_OK && fund[0]) {
        char latest[16] = "";
        if ((rc = gf_db_prepare(db,
                                "SELECT max(report_date) FROM progress WHERE item = ? AND "
                                "funds_secured IS NOT NULL",
                                &st, e)) == GF_OK) {
            gf_stmt_bind_text(st, 1, p->item);
            if (gf_stmt_step(st, e) == 1 && gf_stmt_text(st, 0))
                snprintf(latest, sizeof latest, "%s", gf_stmt_text(st, 0));
            gf_stmt_finalize(st);
            if (!strcmp(latest, date))
                rc = item_set(db, actor, p->item, "funds_secured", fund, e);
        }
    }
    if (rc == GF_OK && p->percent >= 100) {
        rc = item_set(db, actor, p->item, "status", "done", e);
        if (rc == GF_OK)
            rc = item_set(db, actor, p->item, "completed_date", date, e);
    } else if (rc == GF_OK && !strcmp(status, "planned"))
        rc = item_set(db, actor, p->item, "status", "active", e);
    if (rc) {
        gf_db_rollback(db);
        return rc;
    }
    return gf_db_commit(db, e);
}

static const char *const prog_cols[] = {
    "item",          "date",        "percent",   "text",           "invest_done",
    "funds_secured", "reported_by", "milestone", "milestone_date", NULL};
static const char *const prog_req[] = {"item", "date", "percent", "reported_by", NULL};
static const char *const prog_key[] = {"item", "date", NULL};

static int progress_row(struct gf_import_ctx *c, struct gf_err *e)
{
    struct keep k = {0};
    struct gf_progress p = {0};
    p.percent = p.invest_done = p.funds_secured = NAN;
    int rc, changed = 0;
    if ((rc = gf_field_text(c, "item", 1, &p.item, e)))
        goto out;
    p.item = keep(&k, p.item);
    if ((rc = gf_field_date(c, "date", 1, &p.date, e)))
        goto out;
    p.date = keep(&k, p.date);
    if ((rc = gf_field_num(c, "percent", 1, &p.percent, e)) ||
        (rc = gf_field_num(c, "invest_done", 0, &p.invest_done, e)) ||
        (rc = gf_field_num(c, "funds_secured", 0, &p.funds_secured, e)))
        goto out;
    if ((rc = gf_field_text(c, "text", 0, &p.text, e)))
        goto out;
    p.text = keep(&k, p.text);
    if ((rc = gf_field_text(c, "reported_by", 1, &p.by, e)))
        goto out;
    p.by = keep(&k, p.by);
    if ((rc = gf_field_text(c, "milestone", 0, &p.milestone, e)))
        goto out;
    p.milestone = keep(&k, p.milestone);
    if ((rc = gf_field_date(c, "milestone_date", 0, &p.milestone_date, e)))
        goto out;
    p.milestone_date = keep(&k, p.milestone_date);
    rc = gf_progress_add(c->db, c->actor, &p, c->path, c->line, &changed, e);
    if (rc == GF_OK && c->stats) {
        if (changed == 1)
            c->stats->inserted++;
        else if (changed == 2)
            c->stats->updated++;
        else
            c->stats->unchanged++;
    }
out:
    keep_free(&k);
    return rc;
}

const struct gf_import_kind gf_import_progress = {
    "progress",
    "清单事项进度报告",
    "progress reports on list items",
    prog_cols,
    prog_req,
    NULL,
    progress_row,
    NULL,
    NULL,
    prog_key,
};

/* ---- flags --------------------------------------------------------------------------------- */

static int flag_push(struct gf_flags *f, struct gf_err *e, struct gf_flag **out)
{
    if (f->n == f->cap) {
        int cap = f->cap ? 2 * f->cap : 64;
        struct gf_flag *p = realloc(f->f, (size_t)cap * sizeof *p);
        if (!p)
            return gf_err_set(e, GF_ENOMEM, "out of memory");
        f->f = p;
        f->cap = cap;
    }
    *out = &f->f[f->n++];
    memset(*out, 0, sizeof **out);
    (*out)->value = (*out)->plan = NAN;
    return GF_OK;
}

static void cpy(char *dst, size_t cap, const char *s)
{
    snprintf(dst, cap, "%s", s ? s : "");
}

double gf_lists_plan_to_date(double planned, const char *start, const char *due, const char *d)
{
    long span = gf_days_between(start, due), el = gf_days_between(start, d);
    if (el < 0)
        return 0;
    if (span <= 0 || el >= span)
        return planned;
    return planned * (double)el / (double)span;
}

/* One query per flag kind, all with the columns: item, subject, date, and for the investment
 * flag planned, start, due, completed-as-of; every `?` is the as-of date. */
static const struct {
    enum gf_flag_kind kind;
    int nbind;
    const char *sql;
} flag_queries[] = {
    {GF_FLAG_ITEM_OVERDUE, 1,
     "SELECT code, '', due_date FROM list_item WHERE status NOT IN ('done','cancelled') AND "
     "due_date < ? ORDER BY code"},
    {GF_FLAG_MILESTONE_OVERDUE, 1,
     "SELECT m.item, m.code, m.planned_date FROM milestone m JOIN list_item i ON i.code = m.item "
     "WHERE m.actual_date IS NULL AND m.planned_date < ? AND i.status <> 'cancelled' "
     "ORDER BY m.item, m.planned_date"},
    /* stalled: the last report (or the start) is filtered in C against stalled_days */
    {GF_FLAG_STALLED, 2,
     "SELECT i.code, '', coalesce((SELECT max(report_date) FROM progress p WHERE p.item = i.code "
     "AND p.report_date <= ?), i.start_date) FROM list_item i WHERE i.status = 'active' AND "
     "i.start_date <= ? ORDER BY i.code"},
    {GF_FLAG_PROBLEM_OVERDUE, 1,
     "SELECT coalesce(item, ''), CAST(id AS TEXT) AS subject, deadline FROM problem WHERE status <> 'closed' "
     "AND deadline < ? ORDER BY id"},
    /* investment: completed = latest report <= date carrying it, else the item's figure, else 0 */
    {GF_FLAG_INVEST_BEHIND, 2,
     "SELECT i.code, '', NULL, i.invest_planned, i.start_date, i.due_date, "
     " coalesce((SELECT p.invest_done FROM progress p WHERE p.item = i.code AND "
     "  p.invest_done IS NOT NULL AND p.report_date <= ? ORDER BY p.report_date DESC LIMIT 1), "
     "  i.invest_done, 0) "
     "FROM list_item i WHERE i.invest_planned > 0 AND i.status IN ('planned','active',"
     "'suspended') AND i.start_date <= ? ORDER BY i.code"},
};

int gf_flags_collect(struct gf_db *db, const char *today, int stalled_days, struct gf_flags *out,
                     struct gf_err *e)
{
    char tbuf[32];
    const char *t = today ? today : gf_today(tbuf);
    struct gf_stmt *st = NULL;
    struct gf_flag *f = NULL;
    int rc = GF_OK;
    memset(out, 0, sizeof *out);
    for (size_t q = 0; q < sizeof flag_queries / sizeof flag_queries[0]; q++) {
        enum gf_flag_kind kind = flag_queries[q].kind;
        if ((rc = gf_db_prepare(db, flag_queries[q].sql, &st, e)))
            goto fail;
        for (int b = 1; b <= flag_queries[q].nbind; b++)
            gf_stmt_bind_text(st, b, t);
        while ((rc = gf_stmt_step(st, e)) == 1) {
            const char *date = kind == GF_FLAG_INVEST_BEHIND ? t : gf_stmt_text(st, 2);
            long days = gf_days_between(date, t);
            double done = NAN, plan = NAN;
            if (kind == GF_FLAG_STALLED && days <= stalled_days)
                continue;
            if (kind == GF_FLAG_INVEST_BEHIND) {
                done = gf_stmt_double(st, 6);
                plan = gf_lists_plan_to_date(gf_stmt_double(st, 3), gf_stmt_text(st, 4),
                                             gf_stmt_text(st, 5), t);
                if (!(done < 0.9 * plan))
                    continue;
            }
            if ((rc = flag_push(out, e, &f)))
                goto fail;
            f->kind = kind;
            cpy(f->item, sizeof f->item, gf_stmt_text(st, 0));
            cpy(f->subject, sizeof f->subject, gf_stmt_text(st, 1));
            cpy(f->date, sizeof f->date, date);
            f->days = days;
            f->value = done;
            f->plan = plan;
        }
        gf_stmt_finalize(st);
        st = NULL;
        if (rc < 0)
            goto fail;
    }
    return GF_OK;
fail:
    gf_stmt_finalize(st);
    gf_flags_free(out);
    return rc ? rc : GF_ESYS;
}

void gf_flags_free(struct gf_flags *f)
{
    free(f->f);
    memset(f, 0, sizeof *f);
}

const struct gf_code_label gf_flag_labels[] = {
    [GF_FLAG_ITEM_OVERDUE] = {"item overdue", "事项逾期", "item overdue"},
    [GF_FLAG_MILESTONE_OVERDUE] = {"milestone overdue", "节点逾期", "milestone overdue"},
    [GF_FLAG_STALLED] = {"stalled", "进度停滞", "stalled"},
    [GF_FLAG_PROBLEM_OVERDUE] = {"problem past deadline", "问题超期未整改",
                                 "problem past deadline"},
    [GF_FLAG_INVEST_BEHIND] = {"investment behind plan", "投资滞后", "investment behind plan"},
    {NULL},
};
