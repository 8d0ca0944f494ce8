/* import.c — the import driver: record sources (CSV, JSON), field validation, upsert + audit. */
#include "domain/import.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "util/csv.h"
#include "util/csvscan.h"
#include "util/input.h"
#include "util/strbuf.h"
#include "util/table.h"

/* ---- record sources ---------------------------------------------------------------------- */

#define JSON_MAX_BYTES (64u << 20)
#define SNIFF_MAX 4096 /* blank bytes looked through to find the format */

struct gf_records {
    int is_json;
    const char *path; /* name for messages */
    /* CSV */
    struct gf_csv csv;
    char **header;
    size_t nheader;
    /* JSON: an array loaded whole (bounded), or JSON Lines read one object at a time */
    FILE *fp;
    json_t *array;
    size_t array_pos;
    json_t *obj;
    long json_line;
    char *linebuf;
    size_t linecap;
};

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n > k && !strcmp(s + n - k, tail);
}

/* Read the stream's byte-order mark and blank space and the byte after them, which tells JSON
 * ('[' or '{') from CSV.  buf gets every byte read (*n of them); returns the first byte that is
 * neither mark nor blank, EOF if there is none within SNIFF_MAX bytes. */
static int sniff(FILE *fp, char *buf, size_t *n)
{
    static const char bom[] = "\xEF\xBB\xBF";
    int c;
    size_t marked = 0; /* leading bytes that match the mark */
    *n = 0;
    while (*n < SNIFF_MAX && (c = getc(fp)) != EOF) {
        buf[(*n)++] = (char)c;
        if (marked == *n - 1 && marked < 3 && c == (unsigned char)bom[marked]) {
            marked++;
            continue;
        }
        if (marked > 0 && marked < 3)
            return (unsigned char)buf[0]; /* a broken mark: that is content */
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            return c;
    }
    return EOF;
}

/* Where the first NUL byte of buf is, as line and column (1-based); 0 if there is none. */
static int nul_at(const char *buf, size_t n, long *line, long *col)
{
    const char *z = memchr(buf, 0, n);
    if (!z)
        return 0;
    *line = 1;
    const char *bol = buf;
    for (const char *p = buf; (p = memchr(p, '\n', (size_t)(z - p))); bol = ++p)
        ++*line;
    *col = (long)(z - bol) + 1;
    return 1;
}

static int nul_error(struct gf_err *e, const char *path, long line, long col)
{
    return gf_err_at(e, path, line, NULL, NULL, "text without NUL bytes (column %ld holds one)",
                     col);
}

/* A jansson error, in our words where jansson's are its own. */
static int json_error(struct gf_err *e, const char *path, long line, const json_error_t *je,
                      const char *expected)
{
    if (strstr(je->text, "\\u0000"))
        return gf_err_at(e, path, line, NULL, NULL,
                         "text without NUL characters (\\u0000 at column %d)", je->column);
    return gf_err_at(e, path, line, NULL, NULL, "%s (column %d: %s)", expected, je->column,
                     je->text);
}

/* The whole JSON array text: prefix then the rest of fp, at most JSON_MAX_BYTES. */
static int read_array(struct gf_records *r, const char *prefix, size_t n, struct gf_err *e)
{
    char *buf;
    size_t len;
    int rc = gf_input_read_rest(r->fp, r->path, prefix, n, JSON_MAX_BYTES, &buf, &len, e);
    if (rc == GF_EUSER)
        return gf_err_at(e, r->path, 0, NULL, NULL,
                         "a JSON array file of at most %u MiB (use JSON Lines or CSV for larger "
                         "files)",
                         JSON_MAX_BYTES >> 20);
    if (rc)
        return rc;
    long line, col;
    if (nul_at(buf, len, &line, &col)) {
        rc = nul_error(e, r->path, line, col);
        goto out;
    }
    json_error_t je;
    r->array = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (!r->array)
        rc = json_error(e, r->path, je.line, &je, "valid JSON");
    else if (!json_is_array(r->array))
        rc = gf_err_at(e, r->path, 1, NULL, NULL, "a JSON array of objects");
    else if (json_array_size(r->array) == 0)
        rc = gf_err_at(e, r->path, 1, NULL, NULL, "at least one record (the array is empty)");
out:
    free(buf);
    return rc;
}

const char *gf_import_format_of(const char *name)
{
    if (ends_with(name, ".json") || ends_with(name, ".jsonl"))
        return "json";
    return ends_with(name, ".csv") ? "csv" : NULL;
}

/* Open the records of fp (named name in messages).  The format: format if given ("csv",
 * "json"), else the name's extension (.csv, .json, .jsonl), else hint, else what the text
 * starts with ('[' or '{': JSON). */
static int records_open(struct gf_records *r, FILE *fp, const char *name, const char *format,
                        const char *hint, struct gf_err *e)
{
    memset(r, 0, sizeof *r);
    r->path = name;
    char pre[SNIFF_MAX];
    size_t npre;
    int first = sniff(fp, pre, &npre);
    if (!format)
        format = gf_import_format_of(name);
    if (format)
        r->is_json = !strcmp(format, "json");
    else if (hint)
        r->is_json = !strcmp(hint, "json");
    else
        r->is_json = first == '[' || first == '{';
    if (!r->is_json) {
        int rc = gf_csv_open_stream(&r->csv, fp, name, e);
        if (rc)
            return rc;
        gf_csv_preload(&r->csv, pre, npre);
        rc = gf_csv_read(&r->csv, e);
        if (rc < 0)
            return rc;
        if (rc == 0)
            return gf_err_at(e, name, 1, NULL, NULL,
                             "a header row naming the columns (the file is empty)");
        r->nheader = r->csv.nfield;
        r->header = calloc(r->nheader, sizeof *r->header);
        if (!r->header)
            return gf_err_set(e, GF_ENOMEM, "out of memory");
        for (size_t i = 0; i < r->nheader; i++) {
            r->header[i] = strdup(r->csv.field[i]);
            if (!r->header[i])
                return gf_err_set(e, GF_ENOMEM, "out of memory");
            for (size_t j = 0; j < i; j++)
                if (!strcmp(r->header[i], r->header[j]))
                    return gf_err_at(e, name, 1, r->header[i], NULL,
                                     "each column named once in the header");
        }
        return GF_OK;
    }
    r->fp = fp;
    if (first == EOF)
        return gf_err_at(e, name, 1, NULL, NULL,
                         "a JSON array of objects or JSON Lines (the file is empty)");
    size_t mark = npre >= 3 && !memcmp(pre, "\xEF\xBB\xBF", 3) ? 3 : 0;
    if (first == '[')
        return read_array(r, pre + mark, npre - mark, e);
    /* JSON Lines: the first object starts with its first byte; blank lines before it count */
    ungetc(first, fp);
    for (size_t i = 0; i + 1 < npre; i++)
        r->json_line += pre[i] == '\n';
    return GF_OK;
}

static void records_close(struct gf_records *r)
{
    if (!r->is_json) {
        if (r->csv.in || r->csv.rec)
            gf_csv_close(&r->csv);
        for (size_t i = 0; i < r->nheader; i++)
            free(r->header[i]);
        free(r->header);
    } else {
        json_decref(r->array);
        json_decref(r->obj);
        free(r->linebuf);
    }
}

/* Has a column of this name (CSV header / JSON object key)? */
static int records_has(struct gf_records *r, const char *name)
{
    if (!r->is_json)
        return gf_csv_index(r->header, r->nheader, name) >= 0;
    return json_object_get(r->obj, name) != NULL;
}

/* 1 = record, 0 = end, < 0 error; *line set to the record's line (JSON array: its index + 1). */
static int records_next(struct gf_records *r, long *line, struct gf_err *e)
{
    const char *path = r->path;
    if (!r->is_json) {
        int rc = gf_csv_read(&r->csv, e);
        if (rc <= 0)
            return rc;
        *line = r->csv.line;
        if (r->csv.nfield != r->nheader)
            return gf_err_at(e, path, r->csv.line, NULL, NULL,
                             "%zu fields as in the header, found %zu", r->nheader, r->csv.nfield);
        return 1;
    }
    json_decref(r->obj);
    r->obj = NULL;
    if (r->array) {
        if (r->array_pos >= json_array_size(r->array))
            return 0;
        r->obj = json_incref(json_array_get(r->array, r->array_pos++));
        *line = (long)r->array_pos;
    } else {
        for (;;) {
            errno = 0;
            ssize_t n = getline(&r->linebuf, &r->linecap, r->fp);
            if (n < 0) {
                if (ferror(r->fp))
                    return gf_err_set(e, GF_ESYS, "%s: read error: %s", path, strerror(errno));
                return 0;
            }
            r->json_line++;
            if (n > (ssize_t)GF_CSV_MAX_RECORD)
                return gf_err_at(e, path, r->json_line, NULL, NULL,
                                 "a line of at most %u bytes", GF_CSV_MAX_RECORD);
            long nl, col;
            if (nul_at(r->linebuf, (size_t)n, &nl, &col))
                return nul_error(e, path, r->json_line, col);
            size_t k = strspn(r->linebuf, " \t\r\n");
            if (r->linebuf[k] == 0)
                continue;
            json_error_t je;
            r->obj = json_loadb(r->linebuf, (size_t)n, JSON_REJECT_DUPLICATES, &je);
            *line = r->json_line;
            if (!r->obj)
                return json_error(e, path, r->json_line, &je, "a JSON object");
            break;
        }
    }
    if (!json_is_object(r->obj))
        return gf_err_at(e, path, *line, NULL, NULL, "a JSON object for each record");
    return 1;
}

/* Text of a field: NULL if absent (missing column, JSON null); numbers as text.  Valid until the
 * next record. */
static int records_get(struct gf_records *r, long line, const char *name, const char **out,
                       struct gf_err *e)
{
    const char *path = r->path;
    *out = NULL;
    if (!r->is_json) {
        int i = gf_csv_index(r->header, r->nheader, name);
        if (i >= 0)
            *out = r->csv.field[i];
        return GF_OK;
    }
    json_t *v = json_object_get(r->obj, name);
    if (!v || json_is_null(v))
        return GF_OK;
    if (json_is_number(v)) {
        /* the number's text replaces it in the record, so that it lives as long as the record */
        char num[64];
        if (json_is_integer(v))
            snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
        else
            gf_fmt_double(num, sizeof num, json_real_value(v));
        if (!(v = json_string(num)) || json_object_set_new(r->obj, name, v))
            return gf_err_set(e, GF_ENOMEM, "out of memory");
    }
    if (json_is_string(v))
        *out = json_string_value(v);
    else
        return gf_err_at(e, path, line, name, json_is_boolean(v) ? (json_is_true(v) ? "true" : "false") : "{…}",
                         "a string or a number");
    return GF_OK;
}

/* ---- field accessors --------------------------------------------------------------------- */

int gf_parse_num(const char *s, double *out)
{
    /* decimal only: strtod would also take "0x10", "inf", "nan" and leading blanks */
    double v;
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t' ||
        gf_csvscan_double(s, n, &v) || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int gf_parse_date(const char *s)
{
    int y, m, d;
    char tail;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0; /* sscanf alone would take "2024- 1-01" */
    if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return 0;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

static int field_raw(struct gf_import_ctx *c, const char *name, int required, const char **out,
                     struct gf_err *e)
{
    const char *v = NULL;
    int rc = records_get(c->rec, c->line, name, &v, e);
    if (rc)
        return rc;
    if (!v || !*v) {
        if (required)
            return gf_err_at(e, c->path, c->line, name, "", "a value (this field is required)");
        return 1; /* absent */
    }
    *out = v;
    return GF_OK;
}

int gf_field_text(struct gf_import_ctx *c, const char *name, int required, const char **out,
                  struct gf_err *e)
{
    int rc = field_raw(c, name, required, out, e);
    return rc > 0 ? GF_OK : rc;
}

int gf_field_num(struct gf_import_ctx *c, const char *name, int required, double *out,
                 struct gf_err *e)
{
    const char *v = NULL;
    int rc = field_raw(c, name, required, &v, e);
    if (rc)
        return rc > 0 ? GF_OK : rc;
    if (gf_parse_num(v, out))
        return gf_err_at(e, c->path, c->line, name, v, "a number (e.g. 1234.5)");
    return GF_OK;
}

int gf_field_int(struct gf_import_ctx *c, const char *name, int required, long long *out,
                 struct gf_err *e)
{
    const char *v = NULL;
    int rc = field_raw(c, name, required, &v, e);
    if (rc)
        return rc > 0 ? GF_OK : rc;
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (*end || errno || end == v || *v == ' ')
        return gf_err_at(e, c->path, c->line, name, v, "a whole number");
    *out = x;
    return GF_OK;
}

int gf_field_enum(struct gf_import_ctx *c, const char *name, int required,
                  const char *const *allowed, const char **out, struct gf_err *e)
{
    const char *v = NULL;
    int rc = field_raw(c, name, required, &v, e);
    if (rc)
        return rc > 0 ? GF_OK : rc;
    char list[512] = "";
    size_t o = 0;
    for (int i = 0; allowed[i]; i++) {
        if (!strcmp(v, allowed[i])) {
            *out = allowed[i];
            return GF_OK;
        }
        o += (size_t)snprintf(list + o, o < sizeof list ? sizeof list - o : 0, "%s%s",
                              i ? ", " : "", allowed[i]);
    }
    return gf_err_at(e, c->path, c->line, name, v, "one of: %s", list);
}

int gf_field_date(struct gf_import_ctx *c, const char *name, int required, const char **out,
                  struct gf_err *e)
{
    const char *v = NULL;
    int rc = field_raw(c, name, required, &v, e);
    if (rc)
        return rc > 0 ? GF_OK : rc;
    if (!gf_parse_date(v))
        return gf_err_at(e, c->path, c->line, name, v, "a date YYYY-MM-DD");
    *out = v;
    return GF_OK;
}

int gf_check_past_date(const char *file, long line, const char *field, const char *date,
                       struct gf_err *e)
{
    char today[32];
    if (!date || !gf_parse_date(date))
        return gf_err_at(e, file, line, field, date ? date : "", "a date YYYY-MM-DD");
    if (strcmp(date, gf_today(today)) > 0)
        return gf_err_at(e, file, line, field, date,
                         "a date not after today (%s): it records what happened", today);
    return GF_OK;
}

int gf_field_past_date(struct gf_import_ctx *c, const char *name, int required, const char **out,
                       struct gf_err *e)
{
    const char *v = NULL;
    int rc = field_raw(c, name, required, &v, e);
    if (rc)
        return rc > 0 ? GF_OK : rc;
    if ((rc = gf_check_past_date(c->path, c->line, name, v, e)))
        return rc;
    *out = v;
    return GF_OK;
}

/* A fact as the set keeps it: "what\x1fvalue"; 0, or -1 when it does not fit (then it is not kept,
 * and asked of the database each time). */
static int fact_of(char *out, size_t cap, const char *what, const char *value)
{
    int n = snprintf(out, cap, "%s\x1f%s", what, value);
    return n >= 0 && (size_t)n < cap ? 0 : -1;
}

int gf_import_knows(struct gf_import_ctx *c, const char *what, const char *value)
{
    char fact[512];
    return c && !fact_of(fact, sizeof fact, what, value) && gf_strset_has(&c->known, fact);
}

int gf_import_learn(struct gf_import_ctx *c, const char *what, const char *value, struct gf_err *e)
{
    char fact[512];
    if (!c || fact_of(fact, sizeof fact, what, value))
        return GF_OK;
    return gf_strset_add(&c->known, fact) ? gf_err_set(e, GF_ENOMEM, "out of memory") : GF_OK;
}

int gf_field_ref(struct gf_import_ctx *c, const char *name, int required, const char *table,
                 const char *column, const char **out, struct gf_err *e)
{
    const char *v = NULL;
    int rc = field_raw(c, name, required, &v, e);
    if (rc)
        return rc > 0 ? GF_OK : rc;
    char what[128];
    snprintf(what, sizeof what, "%s.%s", table, column);
    if (gf_import_knows(c, what, v)) {
        *out = v;
        return GF_OK;
    }
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE %s = ?", table, column);
    struct gf_stmt *st;
    if ((rc = gf_db_prepare(c->db, sql, &st, e)))
        return rc;
    gf_stmt_bind_text(st, 1, v);
    rc = gf_stmt_step(st, e);
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return gf_err_at(e, c->path, c->line, name, v, "the code of an existing %s", table);
    if ((rc = gf_import_learn(c, what, v, e)))
        return rc;
    *out = v;
    return GF_OK;
}

int gf_field_level(struct gf_import_ctx *c, const char *name, int required, char *out,
                   size_t cap, struct gf_err *e)
{
    const char *v;
    int rc = field_raw(c, name, required, &v, e);
    if (rc)
        return rc > 0 ? GF_OK : rc;
    struct gf_stmt *st;
    if ((rc = gf_db_prepare(c->db,
                            "SELECT level FROM unit_level WHERE code = ? OR CAST(level AS TEXT) = ?",
                            &st, e)))
        return rc;
    gf_stmt_bind_text(st, 1, v);
    gf_stmt_bind_text(st, 2, v);
    if ((rc = gf_stmt_step(st, e)) == 1)
        snprintf(out, cap, "%lld", (long long)gf_stmt_int(st, 0));
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return gf_err_at(e, c->path, c->line, name, v,
                         "a level: city, county, township or village (or 1-4)");
    return GF_OK;
}

/* ---- upsert with audit ------------------------------------------------------------------- */

int gf_upsert_row(struct gf_db *db, const char *actor, const char *table, int ncols, int nkey,
                  const char *const *cols, const char *const *vals, int *changed,
                  struct gf_err *e)
{
    char key[512] = "";
    size_t ko = 0;
    int rc;
    if (changed)
        *changed = 0;
    /* the key text for the audit trail: "k1/k2" */
    for (int i = 0; i < nkey; i++)
        ko += (size_t)snprintf(key + ko, ko < sizeof key ? sizeof key - ko : 0, "%s%s",
                               i ? "/" : "", vals[i] ? vals[i] : "");
    /* the stored row, found by its key (by `=`, so that PostgreSQL uses the key's index), and
     * whether it holds these values already: one statement */
    struct gf_strbuf q = {0};
    int nullkey = 0;
    gf_strbuf_puts(&q, "SELECT ");
    for (int i = 0; i < ncols; i++)
        gf_strbuf_printf(&q, "\"%s\", ", cols[i]);
    for (int i = nkey; i < ncols; i++)
        gf_strbuf_printf(&q, "\"%s\" IS NOT DISTINCT FROM ? AND ", cols[i]);
    gf_strbuf_printf(&q, "1 = 1 FROM %s WHERE ", table);
    for (int i = 0; i < nkey; i++) {
        nullkey |= !vals[i];
        gf_strbuf_printf(&q, "%s\"%s\" %s ?", i ? " AND " : "", cols[i],
                         vals[i] ? "=" : "IS NOT DISTINCT FROM");
    }
    struct gf_stmt *st;
    if (q.err)
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    rc = gf_db_prepare(db, q.p, &st, e);
    gf_strbuf_free(&q);
    if (rc)
        return rc;
    for (int i = nkey; i < ncols; i++)
        gf_stmt_bind_text(st, i - nkey + 1, vals[i]);
    for (int i = 0; i < nkey; i++)
        gf_stmt_bind_text(st, ncols - nkey + i + 1, vals[i]);
    json_t *before = NULL;
    int same = 0;
    while (!same && (rc = gf_stmt_step(st, e)) == 1) {
        same = (int)gf_stmt_int(st, ncols);
        /* the row the write replaces (a NULL in the key never matches it: a new row) */
        if (!before && !nullkey) {
            before = json_object();
            for (int i = 0; i < ncols; i++) {
                const char *t = gf_stmt_text(st, i);
                json_object_set_new(before, cols[i], t ? json_string(t) : json_null());
            }
        }
    }
    gf_stmt_finalize(st);
    if (rc < 0 || same) {
        json_decref(before);
        return rc < 0 ? rc : GF_OK;
    }
    int existed = before != NULL;
    json_t *after = json_object();
    for (int i = 0; i < ncols; i++)
        json_object_set_new(after, cols[i], vals[i] ? json_string(vals[i]) : json_null());
    /* write */
    gf_strbuf_printf(&q, "INSERT INTO %s (", table);
    for (int i = 0; i < ncols; i++)
        gf_strbuf_printf(&q, "%s\"%s\"", i ? ", " : "", cols[i]);
    gf_strbuf_puts(&q, ") VALUES (");
    for (int i = 0; i < ncols; i++)
        gf_strbuf_puts(&q, i ? ", ?" : "?");
    gf_strbuf_puts(&q, ") ON CONFLICT (");
    for (int i = 0; i < nkey; i++)
        gf_strbuf_printf(&q, "%s\"%s\"", i ? ", " : "", cols[i]);
    if (ncols > nkey) {
        gf_strbuf_puts(&q, ") DO UPDATE SET ");
        for (int i = nkey; i < ncols; i++)
            gf_strbuf_printf(&q, "%s\"%s\" = excluded.\"%s\"", i > nkey ? ", " : "", cols[i],
                             cols[i]);
    } else
        gf_strbuf_puts(&q, ") DO NOTHING");
    rc = q.err ? gf_err_set(e, GF_ENOMEM, "out of memory") : gf_db_prepare(db, q.p, &st, e);
    gf_strbuf_free(&q);
    if (rc == GF_OK) {
        for (int i = 0; i < ncols; i++)
            gf_stmt_bind_text(st, i + 1, vals[i]);
        rc = gf_stmt_step(st, e);
        gf_stmt_finalize(st);
        if (rc > 0)
            rc = GF_OK;
    }
    if (rc == GF_OK) {
        char *b = before ? json_dumps(before, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        char *a = json_dumps(after, JSON_COMPACT | JSON_PRESERVE_ORDER);
        rc = gf_audit(db, actor, existed ? "update" : "insert", table, key, b, a, e);
        free(b);
        free(a);
    }
    json_decref(before);
    json_decref(after);
    if (rc == GF_OK && changed)
        *changed = existed ? 2 : 1;
    return rc;
}

int gf_upsert(struct gf_import_ctx *c, const char *table, int ncols, int nkey,
              const char *const *cols, const char *const *vals, int *changed, struct gf_err *e)
{
    int ch = 0;
    int rc = gf_upsert_row(c->db, c->actor, table, ncols, nkey, cols, vals, &ch, e);
    if (rc) {
        if (e && e->msg[0] && strncmp(e->msg, c->path, strlen(c->path)))
            gf_err_prefix(e, "%s:%ld", c->path, c->line);
        return rc;
    }
    if (c->stats) {
        if (ch == 1)
            c->stats->inserted++;
        else if (ch == 2)
            c->stats->updated++;
        else
            c->stats->unchanged++;
    }
    if (changed)
        *changed = ch;
    return GF_OK;
}

/* ---- keys: each record once per file -------------------------------------------------- */

/* The keys met in this file live in a TEMP table, which never reaches the database file.  It is
 * made once per connection, outside the import's transaction, and emptied before and after each
 * file: creating and dropping it for every file would change the schema, and a schema change
 * makes SQLite prepare every cached statement again. */
static int keys_begin(struct gf_db *db, struct gf_err *e)
{
    return gf_db_exec(
        db,
        "CREATE TEMP TABLE IF NOT EXISTS import_key (k TEXT PRIMARY KEY, line INTEGER);"
        "DELETE FROM import_key;",
        e);
}

static void keys_end(struct gf_db *db)
{
    gf_db_exec(db, "DELETE FROM temp.import_key", NULL);
}

static long key_line(struct gf_db *db, const char *k)
{
    struct gf_stmt *st;
    if (gf_db_prepare(db, "SELECT line FROM import_key WHERE k = ?", &st, NULL))
        return 0;
    gf_stmt_bind_text(st, 1, k);
    long line = gf_stmt_step(st, NULL) == 1 ? (long)gf_stmt_int(st, 0) : 0;
    gf_stmt_finalize(st);
    return line;
}

long gf_import_key_line(void *ctx, const char *key)
{
    struct gf_import_ctx *c = ctx;
    return key_line(c->db, key);
}

/* Refuse a record whose key columns repeat an earlier record's.  A record missing a key field is
 * left to the row callback, which names the missing field. */
static int key_check(struct gf_import_ctx *c, const char *const *key, struct gf_err *e)
{
    char k[2048], shown[1024];
    size_t ko = 0, so = 0;
    for (int i = 0; key[i]; i++) {
        const char *v;
        int rc = records_get(c->rec, c->line, key[i], &v, e);
        if (rc)
            return rc;
        if (!v || !*v)
            return GF_OK;
        char pv[128];
        gf_err_printable(pv, sizeof pv, v);
        /* one column: the value itself (gf_import_key_line looks codes up); several: each value
         * prefixed with its length, so that no two keys run together */
        int n = key[1] ? snprintf(k + ko, sizeof k - ko, "%zu:%s|", strlen(v), v)
                       : snprintf(k + ko, sizeof k - ko, "%s", v);
        if (n < 0 || (size_t)n >= sizeof k - ko)
            return gf_err_at(e, c->path, c->line, key[i], v,
                             "a shorter value (the key is too long)");
        ko += (size_t)n;
        n = snprintf(shown + so, sizeof shown - so, "%s%s %s", i ? ", " : "", key[i], pv);
        so = n < 0 || (size_t)n >= sizeof shown - so ? sizeof shown - 1 : so + (size_t)n;
    }
    /* one statement for a key met the first time (a round trip a row on PostgreSQL); the line
     * of the earlier record only when it repeats one */
    char line[24];
    snprintf(line, sizeof line, "%ld", c->line);
    int rc = gf_db_run(c->db, e,
                       "INSERT INTO import_key (k, line) VALUES (?, ?) ON CONFLICT (k) DO NOTHING",
                       k, line);
    if (rc || gf_db_changes(c->db) == 1)
        return rc;
    return gf_err_set(e, GF_EUSER,
                      "%s:%ld: line %ld repeats the key of line %ld: %s (expected each record "
                      "once in a file)",
                      c->path, c->line, c->line, key_line(c->db, k), shown);
}

/* ---- the driver -------------------------------------------------------------------------- */

int gf_import_file(struct gf_db *db, const struct gf_import_kind *kind, const char *path,
                   const struct gf_import_opts *o, struct gf_import_stats *stats,
                   struct gf_err *e)
{
    FILE *fp;
    memset(stats, 0, sizeof *stats);
    int rc = gf_input_open(path, &fp, e);
    if (rc)
        return rc;
    rc = gf_import_stream(db, kind, fp, gf_input_name(path), o, stats, e);
    gf_input_close(fp);
    return rc;
}

int gf_import_stream(struct gf_db *db, const struct gf_import_kind *kind, FILE *fp,
                     const char *name, const struct gf_import_opts *o,
                     struct gf_import_stats *stats, struct gf_err *e)
{
    struct gf_records rec;
    const char *path = name;
    struct gf_import_ctx c = {db, o && o->actor ? o->actor : "cli", path, 0, &rec, stats, NULL};
    memset(stats, 0, sizeof *stats);
    int rc = records_open(&rec, fp, name, o ? o->format : NULL, o ? o->format_hint : NULL, e);
    if (rc) {
        records_close(&rec);
        return rc;
    }
    /* CSV: the header must hold every required column and nothing unknown */
    if (!rec.is_json) {
        for (size_t i = 0; i < rec.nheader; i++) {
            int known = 0;
            for (int k = 0; kind->columns[k] && !known; k++)
                known = !strcmp(kind->columns[k], rec.header[i]);
            if (!known) {
                char list[1024] = "";
                size_t lo = 0;
                for (int k = 0; kind->columns[k]; k++)
                    lo += (size_t)snprintf(list + lo, lo < sizeof list ? sizeof list - lo : 0,
                                           "%s%s", k ? ", " : "", kind->columns[k]);
                rc = gf_err_at(e, path, 1, rec.header[i], NULL, "a known column of %s: %s",
                               kind->name, list);
                goto out_close;
            }
        }
        for (int k = 0; kind->required[k]; k++)
            if (!records_has(&rec, kind->required[k])) {
                rc = gf_err_at(e, path, 1, kind->required[k], NULL,
                               "a column named \"%s\" in the header (it is missing)", kind->required[k]);
                goto out_close;
            }
    }
    /* a dry run is a trial undone at the end, also inside a caller's transaction */
    int dry = o && o->dry_run;
    if ((kind->key && (rc = keys_begin(db, e))) ||
        (rc = dry ? gf_db_trial_begin(db, e) : gf_db_begin(db, e)))
        goto out_close;
    gf_db_bulk(db, 1);
    if (kind->begin && (rc = kind->begin(&c, e)))
        goto out_rollback;
    long data_rows = 0;
    while ((rc = records_next(&rec, &c.line, e)) == 1) {
        if (rec.is_json) {
            const char *key;
            json_t *v;
            json_object_foreach(rec.obj, key, v)
            {
                int known = 0;
                for (int k = 0; kind->columns[k] && !known; k++)
                    known = !strcmp(kind->columns[k], key);
                if (!known) {
                    rc = gf_err_at(e, path, c.line, key, NULL, "a known field of %s", kind->name);
                    goto out_rollback;
                }
            }
            for (int k = 0; kind->required[k]; k++)
                if (!records_has(&rec, kind->required[k])) {
                    rc = gf_err_at(e, path, c.line, kind->required[k], NULL,
                                   "a field named \"%s\" (it is missing)", kind->required[k]);
                    goto out_rollback;
                }
        }
        stats->rows++;
        data_rows++;
        if ((o && o->check && (rc = o->check(o->check_ctx, &c, e))) ||
            (kind->key && (rc = key_check(&c, kind->key, e))) || (rc = kind->row(&c, e)))
            goto out_rollback;
    }
    if (rc < 0)
        goto out_rollback;
    if (data_rows == 0) {
        rc = gf_err_at(e, path, 2, NULL, NULL, "at least one record after the header (there is none)");
        goto out_rollback;
    }
    if (kind->finish && (rc = kind->finish(&c, e)))
        goto out_rollback;
    if (kind->release)
        kind->release(&c);
    if (kind->key)
        keys_end(db);
    gf_db_bulk(db, 0);
    if (dry)
        gf_db_trial_undo(db);
    rc = dry ? GF_OK : gf_db_commit(db, e);
    goto out_close;
out_rollback:
    if (kind->release)
        kind->release(&c);
    if (kind->key)
        keys_end(db);
    gf_db_bulk(db, 0);
    if (dry)
        gf_db_trial_undo(db);
    else
        gf_db_rollback(db);
out_close:
    gf_strset_free(&c.known);
    records_close(&rec);
    return rc;
}
