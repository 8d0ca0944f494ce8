/* cases.c — the case library and training records: their imports and the status of a case (see
 * cases.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "domain/audit.h"
#include "domain/cases.h"
#include "domain/import.h"
#include "util/csv.h"

const struct gf_code_label gf_case_statuses[] = {
    {"draft", "草稿", "draft"},
    {"recommended", "推荐", "recommended"},
    {"published", "已发布", "published"},
    {NULL},
};

/* ---- lists in a cell ------------------------------------------------------------------------- */

#define MAX_PARTS 64

/* The parts of a cell separated by ",", ";", "，", "；" or "、", trimmed, empty ones dropped:
 * copied into buf (cap bytes), pointers in part (at most MAX_PARTS).  -1 when there are too many
 * or they do not fit. */
static int split(const char *s, char *buf, size_t cap, const char **part)
{
    size_t n = strlen(s);
    if (n + 1 > cap)
        return -1;
    memcpy(buf, s, n + 1);
    int np = 0;
    char *p = buf, *start = buf;
    for (;;) {
        size_t sep = 0;
        if (*p == ',' || *p == ';')
            sep = 1;
        else if (!memcmp(p, "\xef\xbc\x8c", 3) || !memcmp(p, "\xef\xbc\x9b", 3) ||
                 !memcmp(p, "\xe3\x80\x81", 3))
            sep = 3;
        if (sep || !*p) {
            int end = !*p;
            char *q = p;
            *p = '\0';
            while (*start == ' ' || *start == '\t')
                start++;
            while (q > start && (q[-1] == ' ' || q[-1] == '\t'))
                *--q = '\0';
            if (*start) {
                if (np == MAX_PARTS)
                    return -1;
                part[np++] = start;
            }
            if (end)
                break;
            p += sep;
            start = p;
        } else {
            p++;
        }
    }
    return np;
}

/* A cell with codes that exist in table.code, each once: their number, or an error. */
static int field_codes(struct gf_import_ctx *c, const char *name, const char *table, char *buf,
                       size_t cap, const char **part, int *np, struct gf_err *e)
{
    const char *v = NULL;
    *np = 0;
    int rc = gf_field_text(c, name, 0, &v, e);
    if (rc || !v)
        return rc;
    int n = split(v, buf, cap, part);
    if (n < 0)
        return gf_err_at(e, c->path, c->line, name, v, "at most %d codes separated by commas",
                         MAX_PARTS);
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE code = ?", table);
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < i; j++)
            if (!strcmp(part[i], part[j]))
                return gf_err_at(e, c->path, c->line, name, part[i], "each code once");
        if (gf_db_int_text(c->db, sql, part[i]) <= 0)
            return gf_err_at(e, c->path, c->line, name, part[i],
                             "the code of an existing %s (one of codes separated by commas)",
                             !strcmp(table, "list_item") ? "list item" : table);
    }
    *np = n;
    return GF_OK;
}

/* Make the links of a case in link_table (column col) exactly codes[0..n): new ones inserted,
 * others deleted, each change audited. */
static int set_links(struct gf_import_ctx *c, const char *link_table, const char *col,
                     const char *code, const char **codes, int n, struct gf_err *e)
{
    int rc;
    for (int i = 0; i < n; i++) {
        const char *cols[] = {"case_code", col};
        const char *vals[] = {code, codes[i]};
        /* the row counts are the cases': links are written (and audited) without counting */
        if ((rc = gf_upsert_row(c->db, c->actor, link_table, 2, 2, cols, vals, NULL, e)))
            return rc;
    }
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE case_code = ? ORDER BY 1", col, link_table);
    struct gf_stmt *st;
    if ((rc = gf_db_prepare(c->db, sql, &st, e)))
        return rc;
    gf_stmt_bind_text(st, 1, code);
    char **gone = NULL;
    int ngone = 0;
    while ((rc = gf_stmt_step(st, e)) == 1) {
        const char *have = gf_stmt_text(st, 0);
        int keep = 0;
        for (int i = 0; i < n && !keep; i++)
            keep = !strcmp(have, codes[i]);
        if (keep)
            continue;
        char **g = realloc(gone, (size_t)(ngone + 1) * sizeof *g);
        if (!g || !(g[ngone] = strdup(have))) {
            gone = g ? g : gone;
            rc = gf_err_set(e, GF_ENOMEM, "out of memory");
            break;
        }
        gone = g;
        ngone++;
    }
    gf_stmt_finalize(st);
    if (rc > 0)
        rc = GF_OK;
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE case_code = ? AND %s = ?", link_table, col);
    for (int i = 0; i < ngone && !rc; i++) {
        char key[200];
        snprintf(key, sizeof key, "%s/%s", code, gone[i]);
        char *before = gf_json_obj("case_code", code, col, gone[i], (char *)NULL);
        if (!before)
            rc = gf_err_set(e, GF_ENOMEM, "out of memory");
        else if (!(rc = gf_db_run(c->db, e, sql, code, gone[i])))
            rc = gf_audit(c->db, c->actor, "delete", link_table, key, before, NULL, e);
        free(before);
    }
    for (int i = 0; i < ngone; i++)
        free(gone[i]);
    free(gone);
    return rc;
}

/* The themes of a case normalised to "a,b,c" in out (cap bytes), or an error naming the field. */
static int norm_themes(const char *file, long line, const char *in, char *out, size_t cap,
                       struct gf_err *e)
{
    char buf[4096];
    const char *tp[MAX_PARTS];
    int nt = split(in, buf, sizeof buf, tp);
    if (nt <= 0)
        return gf_err_at(e, file, line, "themes", in,
                         nt < 0 ? "at most %d themes separated by commas"
                                : "one or more themes separated by commas",
                         MAX_PARTS);
    out[0] = '\0';
    for (int i = 0; i < nt; i++) {
        size_t len = strlen(out);
        snprintf(out + len, cap - len, "%s%s", i ? "," : "", tp[i]);
    }
    return GF_OK;
}

/* ---- import: cases ----------------------------------------------------------------------------- */

static const char *const case_cols[] = {"code",    "title", "unit", "themes",     "summary",
                                        "date",    "note",  "items", "indicators", NULL};
static const char *const case_req[] = {"code", "title", "unit", "themes", NULL};
static const char *const code_key[] = {"code", NULL};

static int case_row(struct gf_import_ctx *c, struct gf_err *e)
{
    const char *code, *title, *unit, *themes_in, *summary = NULL, *date = NULL, *note = NULL;
    int rc;
    if ((rc = gf_field_code(c, "code", &code, e)) ||
        (rc = gf_field_text(c, "title", 1, &title, e)) ||
        (rc = gf_field_ref(c, "unit", 1, "unit", "code", &unit, e)) ||
        (rc = gf_field_text(c, "themes", 1, &themes_in, e)) ||
        (rc = gf_field_text(c, "summary", 0, &summary, e)) ||
        (rc = gf_field_past_date(c, "date", 0, &date, e)) ||
        (rc = gf_field_text(c, "note", 0, &note, e)))
        return rc;
    char themes[4096];
    if ((rc = norm_themes(c->path, c->line, themes_in, themes, sizeof themes, e)))
        return rc;
    char ibuf[4096], dbuf[4096];
    const char *items[MAX_PARTS], *inds[MAX_PARTS];
    int ni, nd;
    if ((rc = field_codes(c, "items", "list_item", ibuf, sizeof ibuf, items, &ni, e)) ||
        (rc = field_codes(c, "indicators", "indicator", dbuf, sizeof dbuf, inds, &nd, e)))
        return rc;
    const char *cols[] = {"code", "title", "unit", "themes", "summary", "case_date", "note"};
    const char *vals[] = {code, title, unit, themes, summary, date, note};
    if ((rc = gf_upsert(c, "case_study", 7, 1, cols, vals, NULL, e)) ||
        (rc = set_links(c, "case_item", "item", code, items, ni, e)))
        return rc;
    return set_links(c, "case_indicator", "indicator", code, inds, nd, e);
}

const struct gf_import_kind gf_import_cases = {
    "cases", "典型案例(主题、单位、关联事项和指标;新案例为草稿)",
    "typical cases (themes, unit, the items and indicators shown; new ones are drafts)",
    case_cols, case_req, NULL, case_row, NULL, NULL, code_key,
};

/* ---- import: trainings --------------------------------------------------------------------------- */

static const char *const tr_cols[] = {"code", "course", "start", "end", "team",
                                      "unit", "place",  "note",  NULL};
static const char *const tr_req[] = {"code", "course", "start", "end", NULL};

static int training_row(struct gf_import_ctx *c, struct gf_err *e)
{
    const char *code, *course, *start, *end, *team = NULL, *unit = NULL, *place = NULL,
                                                *note = NULL;
    int rc;
    if ((rc = gf_field_code(c, "code", &code, e)) ||
        (rc = gf_field_text(c, "course", 1, &course, e)) ||
        (rc = gf_field_date(c, "start", 1, &start, e)) ||
        (rc = gf_field_date(c, "end", 1, &end, e)) ||
        (rc = gf_field_ref(c, "team", 0, "team", "code", &team, e)) ||
        (rc = gf_field_ref(c, "unit", 0, "unit", "code", &unit, e)) ||
        (rc = gf_field_text(c, "place", 0, &place, e)) ||
        (rc = gf_field_text(c, "note", 0, &note, e)))
        return rc;
    if (strcmp(end, start) < 0)
        return gf_err_at(e, c->path, c->line, "end", end, "a date not before start (%s)", start);
    if (!team && !unit)
        return gf_err_at(e, c->path, c->line, "team", "",
                         "the organiser: a team code, a unit code (column unit) or both");
    const char *cols[] = {"code", "course", "start_date", "end_date", "team", "unit", "place",
                          "note"};
    const char *vals[] = {code, course, start, end, team, unit, place, note};
    return gf_upsert(c, "training", 8, 1, cols, vals, NULL, e);
}

const struct gf_import_kind gf_import_trainings = {
    "trainings", "培训班(课程、日期、主办专班或单位、地点)",
    "training courses (course, dates, organising team or unit, place)",
    tr_cols, tr_req, NULL, training_row, NULL, NULL, code_key,
};

/* ---- import: training_attendees ------------------------------------------------------------------ */

static const char *const att_cols[] = {"training", "person", NULL};

static int attendee_row(struct gf_import_ctx *c, struct gf_err *e)
{
    const char *training, *person;
    int rc;
    if ((rc = gf_field_ref(c, "training", 1, "training", "code", &training, e)) ||
        (rc = gf_field_ref(c, "person", 1, "person", "code", &person, e)))
        return rc;
    const char *cols[] = {"training", "person"};
    const char *vals[] = {training, person};
    return gf_upsert(c, "training_attendee", 2, 2, cols, vals, NULL, e);
}

const struct gf_import_kind gf_import_training_attendees = {
    "training_attendees", "培训参训人员(培训班、人员)", "who attended a training (training, person)",
    att_cols, att_cols, NULL, attendee_row, NULL, NULL, att_cols,
};

/* ---- the status of a case ---------------------------------------------------------------------- */

static int status_rank(const char *s)
{
    for (int i = 0; gf_case_statuses[i].code; i++)
        if (!strcmp(gf_case_statuses[i].code, s))
            return i;
    return -1;
}

static int advance_body(struct gf_db *db, const char *actor, const char *code, const char *to,
                        const char *date, char *from, char *to_out, struct gf_err *e)
{
    struct gf_stmt *st;
    int rc = gf_db_prepare(db, "SELECT status FROM case_study WHERE code = ?", &st, e);
    if (rc)
        return rc;
    gf_stmt_bind_text(st, 1, code);
    rc = gf_stmt_step(st, e);
    if (rc == 1)
        snprintf(from, 16, "%s", gf_stmt_text(st, 0));
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return gf_err_set(e, GF_ENOTFOUND, "no case %s", code);
    int cur = status_rank(from);
    if (cur < 0)
        return gf_err_set(e, GF_ESYS, "case %s: unknown status %s", code, from);
    if (!gf_case_statuses[cur + 1].code)
        return gf_err_set(e, GF_EUSER,
                          "case %s is already published: a status moves draft → recommended → "
                          "published and never back",
                          code);
    const char *next = gf_case_statuses[cur + 1].code;
    if (to) {
        int want = status_rank(to);
        if (want < 0)
            return gf_err_at(e, NULL, 0, "to", to, "one of draft, recommended, published");
        if (want <= cur)
            return gf_err_set(e, GF_EUSER,
                              "case %s is %s: it cannot go back to %s (next: %s)", code, from, to,
                              next);
        if (want > cur + 1)
            return gf_err_set(e, GF_EUSER,
                              "case %s is %s: it cannot skip to %s; the next status is %s", code,
                              from, to, next);
    }
    char today[32];
    if (!date)
        date = gf_today(today);
    if ((rc = gf_check_past_date(NULL, 0, "date", date, e)))
        return rc;
    char *before = gf_json_obj("status", from, (char *)NULL);
    char *after = gf_json_obj("status", next, "date", date, (char *)NULL);
    if (!before || !after) {
        rc = gf_err_set(e, GF_ENOMEM, "out of memory");
    } else {
        rc = gf_db_run(db, e,
                       !strcmp(next, "recommended")
                           ? "UPDATE case_study SET status = ?, recommended_on = ? WHERE code = ?"
                           : "UPDATE case_study SET status = ?, published_on = ? WHERE code = ?",
                       next, date, code);
        if (!rc)
            rc = gf_audit(db, actor, "status", "case_study", code, before, after, e);
    }
    free(before);
    free(after);
    if (!rc)
        snprintf(to_out, 16, "%s", next);
    return rc;
}

int gf_case_advance(struct gf_db *db, const char *actor, const char *code, const char *to,
                    const char *date, char *from, char *to_out, struct gf_err *e)
{
    int rc = gf_db_begin(db, e);
    if (rc)
        return rc;
    return gf_db_end(db, advance_body(db, actor, code, to, date, from, to_out, e), e);
}

/* ---- a draft from elsewhere ------------------------------------------------------------------ */

int gf_case_draft(struct gf_db *db, const char *actor, const char *code, const char *title,
                  const char *unit, const char *themes_in, const char *summary, const char *note,
                  struct gf_err *e)
{
    if (gf_db_int_text(db, "SELECT count(*) FROM case_study WHERE code = ?", code) > 0)
        return gf_err_set(e, GF_ECONFLICT, "case %s exists already: choose another code", code);
    if (gf_db_int_text(db, "SELECT count(*) FROM unit WHERE code = ?", unit) <= 0)
        return gf_err_at(e, NULL, 0, "unit", unit, "the code of a unit of the zone");
    char themes[4096];
    int rc = norm_themes(NULL, 0, themes_in, themes, sizeof themes, e);
    if (rc)
        return rc;
    const char *cols[] = {"code", "title", "unit", "themes", "summary", "note"};
    const char *vals[] = {code, title, unit, themes, summary, note};
    return gf_upsert_row(db, actor, "case_study", 6, 1, cols, vals, NULL, e);
}

/* ---- attachments ------------------------------------------------------------------------------ */

static const struct {
    const char *ext, *type, *magic; /* magic: the first bytes (NULL: text) */
    size_t nmagic;
} media[] = {
    {".pdf", "application/pdf", "%PDF-", 5},
    {".png", "image/png", "\x89PNG\r\n\x1a\n", 8},
    {".jpg", "image/jpeg", "\xff\xd8\xff", 3},
    {".jpeg", "image/jpeg", "\xff\xd8\xff", 3},
    {".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "PK\x03\x04",
     4},
    {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK\x03\x04", 4},
    {".pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
     "PK\x03\x04", 4},
    {".txt", "text/plain; charset=utf-8", NULL, 0},
};
#define NMEDIA (sizeof media / sizeof media[0])

static int media_of(const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < NMEDIA; i++) {
        size_t k = strlen(media[i].ext);
        if (n > k && !strcasecmp(name + n - k, media[i].ext))
            return (int)i;
    }
    return -1;
}

const char *gf_case_media_type(const char *name)
{
    int m = media_of(name);
    return m < 0 ? NULL : media[m].type;
}

/* 1 when p[0..n) is UTF-8 text without NUL. */
static int is_text(const void *p, size_t n)
{
    return gf_utf8_valid(p, n) && !memchr(p, 0, n);
}

static int check_name(const char *name, struct gf_err *e)
{
    size_t n = strlen(name);
    int bad = n == 0 || n > 120 || name[0] == '.';
    for (const unsigned char *p = (const unsigned char *)name; *p && !bad; p++)
        bad = *p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\' || *p == '"';
    if (bad || !is_text(name, n))
        return gf_err_at(e, NULL, 0, "name", n > 60 ? "(long name)" : name,
                         "a file name of 1 to 120 bytes without /, \\, quotes or control "
                         "characters, not starting with a dot");
    if (media_of(name) < 0)
        return gf_err_at(e, NULL, 0, "name", name,
                         "a photo, PDF, office document or text: a name ending in .jpg, .jpeg, "
                         ".png, .pdf, .docx, .xlsx, .pptx or .txt");
    return GF_OK;
}

static int attach_body(struct gf_db *db, const char *actor, const char *code, const char *name,
                       const void *data, size_t n, struct gf_err *e)
{
    int m = media_of(name);
    if (n == 0 || n > GF_CASE_ATTACH_MAX)
        return gf_err_at(e, NULL, 0, "file", name, "a file of 1 byte to %u MiB",
                         GF_CASE_ATTACH_MAX >> 20);
    if (media[m].magic ? n < media[m].nmagic || memcmp(data, media[m].magic, media[m].nmagic)
                       : !is_text(data, n))
        return gf_err_at(e, NULL, 0, "file", name, "the content of a %s file (%s)", media[m].ext + 1,
                         media[m].type);
    if (gf_db_int_text(db, "SELECT count(*) FROM case_study WHERE code = ?", code) <= 0)
        return gf_err_set(e, GF_ENOTFOUND, "no case %s", code);
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[2 * crypto_hash_sha256_BYTES + 1], size[32], now[40], key[256];
    crypto_hash_sha256(h, data, (unsigned long long)n);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    snprintf(size, sizeof size, "%zu", n);
    snprintf(key, sizeof key, "%s/%s", code, name);
    char *before = NULL;
    struct gf_stmt *st;
    int rc = gf_db_prepare(db, "SELECT size, sha256 FROM case_attachment WHERE case_code = ? AND name = ?",
                           &st, e);
    if (rc)
        return rc;
    gf_stmt_bind_text(st, 1, code);
    gf_stmt_bind_text(st, 2, name);
    if ((rc = gf_stmt_step(st, e)) == 1) {
        char osize[32];
        snprintf(osize, sizeof osize, "%lld", (long long)gf_stmt_int(st, 0));
        if (!(before = gf_json_obj("size", osize, "sha256", gf_stmt_text(st, 1), (char *)NULL)))
            rc = gf_err_set(e, GF_ENOMEM, "out of memory");
    }
    gf_stmt_finalize(st);
    if (rc < 0) {
        free(before);
        return rc;
    }
    rc = gf_db_prepare(db,
                       "INSERT INTO case_attachment (case_code, name, media_type, size, sha256, data,"
                       " added_at, added_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                       " ON CONFLICT (case_code, name) DO UPDATE SET media_type = excluded.media_type,"
                       " size = excluded.size, sha256 = excluded.sha256, data = excluded.data,"
                       " added_at = excluded.added_at, added_by = excluded.added_by",
                       &st, e);
    if (!rc) {
        gf_stmt_bind_text(st, 1, code);
        gf_stmt_bind_text(st, 2, name);
        gf_stmt_bind_text(st, 3, media[m].type);
        gf_stmt_bind_int(st, 4, (int64_t)n);
        gf_stmt_bind_text(st, 5, hex);
        if (gf_stmt_bind_blob(st, 6, data, n))
            rc = gf_err_set(e, GF_ENOMEM, "out of memory");
        gf_stmt_bind_text(st, 7, gf_now(now));
        gf_stmt_bind_text(st, 8, actor);
        if (!rc && (rc = gf_stmt_step(st, e)) > 0)
            rc = GF_OK;
        gf_stmt_finalize(st);
    }
    char *after = rc ? NULL
                     : gf_json_obj("name", name, "media_type", media[m].type, "size", size,
                                   "sha256", hex, (char *)NULL);
    if (!rc)
        rc = after ? gf_audit(db, actor, before ? "replace" : "attach", "case_attachment", key,
                              before, after, e)
                   : gf_err_set(e, GF_ENOMEM, "out of memory");
    free(before);
    free(after);
    return rc;
}

int gf_case_attach(struct gf_db *db, const char *actor, const char *code, const char *name,
                   const void *data, size_t n, struct gf_err *e)
{
    int rc = check_name(name, e);
    if (rc || (rc = gf_db_begin(db, e)))
        return rc;
    return gf_db_end(db, attach_body(db, actor, code, name, data, n, e), e);
}

int gf_case_detach(struct gf_db *db, const char *actor, const char *code, const char *name,
                   struct gf_err *e)
{
    int rc = gf_db_begin(db, e);
    if (rc)
        return rc;
    struct gf_stmt *st;
    char *before = NULL, key[256];
    snprintf(key, sizeof key, "%s/%s", code, name);
    if (!(rc = gf_db_prepare(db,
                             "SELECT size, sha256 FROM case_attachment WHERE case_code = ? AND name = ?",
                             &st, e))) {
        gf_stmt_bind_text(st, 1, code);
        gf_stmt_bind_text(st, 2, name);
        if ((rc = gf_stmt_step(st, e)) == 1) {
            char size[32];
            snprintf(size, sizeof size, "%lld", (long long)gf_stmt_int(st, 0));
            before = gf_json_obj("name", name, "size", size, "sha256", gf_stmt_text(st, 1),
                                 (char *)NULL);
            rc = before ? GF_OK : gf_err_set(e, GF_ENOMEM, "out of memory");
        } else if (rc == 0)
            rc = gf_err_set(e, GF_ENOTFOUND, "case %s has no attachment %s", code, name);
        gf_stmt_finalize(st);
    }
    if (!rc)
        rc = gf_db_run(db, e, "DELETE FROM case_attachment WHERE case_code = ? AND name = ?", code,
                       name);
    if (!rc)
        rc = gf_audit(db, actor, "delete", "case_attachment", key, before, NULL, e);
    free(before);
    return gf_db_end(db, rc, e);
}
