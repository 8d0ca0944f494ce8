/* import.c — the import driver: record sources (CSV, JSON), field validation, upsert + audit. */
#include "domain/import.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "util/csv.h"
#include "util/table.h"

/* ---- record sources ---------------------------------------------------------------------- */

#define JSON_MAX_BYTES (64u << 20)

struct gf_records {
    int is_json;
    /* CSV */
    struct gf_csv csv;
    char **header;
    size_t nheader;
    /* JSON: an array loaded whole (bounded), or JSON Lines read one object at a time */
    json_t *array;
    size_t array_pos;
    FILE *fp;
    json_t *obj;
    char numbuf[64];
    long json_line;
    char *linebuf;
    size_t linecap;
};

static int records_open(struct gf_records *r, const char *path, const char *format,
                        struct gf_err *e)
{
    memset(r, 0, sizeof *r);
    size_t n = strlen(path);
    if (format)
        r->is_json = !strcmp(format, "json");
    else
        r->is_json = (n > 5 && !strcmp(path + n - 5, ".json")) ||
                     (n > 6 && !strcmp(path + n - 6, ".jsonl"));
    if (!r->is_json) {
        int rc = gf_csv_open(&r->csv, path, e);
        if (rc)
            return rc;
        rc = gf_csv_read(&r->csv, e);
        if (rc < 0)
            return rc;
        if (rc == 0)
            return gf_err_at(e, path, 1, NULL, NULL, "a header row naming the columns (the file is empty)");
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
                    return gf_err_at(e, path, 1, r->header[i], NULL,
                                     "each column named once in the header");
        }
        return GF_OK;
    }
    r->fp = fopen(path, "rb");
    if (!r->fp)
        return gf_err_set(e, GF_EUSER, "%s: cannot open: %s", path, strerror(errno));
    int c;
    do
        c = fgetc(r->fp);
    while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
    if (c == EOF)
        return gf_err_at(e, path, 1, NULL, NULL, "a JSON array of objects or JSON Lines (the file is empty)");
    ungetc(c, r->fp);
    if (c == '[') {
        fseek(r->fp, 0, SEEK_END);
        long size = ftell(r->fp);
        rewind(r->fp);
        if (size > (long)JSON_MAX_BYTES)
            return gf_err_at(e, path, 0, NULL, NULL,
                             "a JSON array file of at most %u MiB (use JSON Lines or CSV for larger files)",
                             JSON_MAX_BYTES >> 20);
        json_error_t je;
        r->array = json_loadf(r->fp, JSON_REJECT_DUPLICATES, &je);
        if (!r->array)
            return gf_err_at(e, path, je.line, NULL, NULL, "valid JSON (column %d: %s)", je.column, je.text);
        if (!json_is_array(r->array))
            return gf_err_at(e, path, 1, NULL, NULL, "a JSON array of objects");
        if (json_array_size(r->array) == 0)
            return gf_err_at(e, path, 1, NULL, NULL, "at least one record (the array is empty)");
    } else {
        r->json_line = 0; /* JSON Lines */
    }
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
        if (r->fp)
            fclose(r->fp);
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
static int records_next(struct gf_records *r, const char *path, long *line, struct gf_err *e)
{
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
            ssize_t n = getline(&r->linebuf, &r->linecap, r->fp);
            if (n < 0)
                return 0;
            r->json_line++;
            if (n > (ssize_t)GF_CSV_MAX_RECORD)
                return gf_err_at(e, path, r->json_line, NULL, NULL,
                                 "a line of at most %u bytes", GF_CSV_MAX_RECORD);
            size_t k = strspn(r->linebuf, " \t\r\n");
            if (r->linebuf[k] == 0)
                continue;
            json_error_t je;
            r->obj = json_loads(r->linebuf, JSON_REJECT_DUPLICATES, &je);
            *line = r->json_line;
            if (!r->obj)
                return gf_err_at(e, path, r->json_line, NULL, NULL, "a JSON object (column %d: %s)",
                                 je.column, je.text);
            break;
        }
    }
    if (!json_is_object(r->obj))
        return gf_err_at(e, path, *line, NULL, NULL, "a JSON object for each record");
    return 1;
}

/* Text of a field: NULL if absent (missing column, JSON null); numbers as text. */
static int records_get(struct gf_records *r, const char *path, long line, const char *name,
                       const char **out, struct gf_err *e)
{
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
    if (json_is_string(v))
        *out = json_string_value(v);
    else if (json_is_integer(v)) {
        snprintf(r->numbuf, sizeof r->numbuf, "%lld", (long long)json_integer_value(v));
        *out = r->numbuf;
    } else if (json_is_real(v)) {
        gf_fmt_double(r->numbuf, sizeof r->numbuf, json_real_value(v));
        *out = r->numbuf;
    } else
        return gf_err_at(e, path, line, name, json_is_boolean(v) ? (json_is_true(v) ? "true" : "false") : "{…}",
                         "a string or a number");
    return GF_OK;
}

/* ---- field accessors --------------------------------------------------------------------- */

int gf_parse_num(const char *s, double *out)
{
    if (!s || !*s)
        return -1;
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    if (!((*p >= '0' && *p <= '9') || *p == '.'))
        return -1; /* no "inf", "nan", spaces */
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno == ERANGE || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int gf_parse_date(const char *s)
{
    int y, m, d;
    char tail;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
        sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
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
    const char *v;
    int rc = records_get(c->rec, c->path, c->line, name, &v, e);
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
    const char *v;
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
    const char *v;
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
    const char *v;
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
    const char *v;
    int rc = field_raw(c, name, required, &v, e);
    if (rc)
        return rc > 0 ? GF_OK : rc;
    if (!gf_parse_date(v))
        return gf_err_at(e, c->path, c->line, name, v, "a date YYYY-MM-DD");
    *out = v;
    return GF_OK;
}

int gf_field_ref(struct gf_import_ctx *c, const char *name, int required, const char *table,
                 const char *column, const char **out, struct gf_err *e)
{
    const char *v;
    int rc = field_raw(c, name, required, &v, e);
    if (rc)
        return rc > 0 ? GF_OK : rc;
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
    char sql[4096], key[512] = "";
    size_t o = 0, ko = 0;
    int rc;
    if (changed)
        *changed = 0;
    /* the key text for the audit trail: "k1/k2" */
    for (int i = 0; i < nkey; i++)
        ko += (size_t)snprintf(key + ko, ko < sizeof key ? sizeof key - ko : 0, "%s%s",
                               i ? "/" : "", vals[i] ? vals[i] : "");
    /* unchanged? */
    o = (size_t)snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE ", table);
    for (int i = 0; i < ncols; i++)
        o += (size_t)snprintf(sql + o, sizeof sql - o, "%s%s IS ?", i ? " AND " : "", cols[i]);
    struct gf_stmt *st;
    if ((rc = gf_db_prepare(db, sql, &st, e)))
        return rc;
    for (int i = 0; i < ncols; i++)
        gf_stmt_bind_text(st, i + 1, vals[i]);
    rc = gf_stmt_step(st, e);
    int same = rc == 1 && gf_stmt_int(st, 0) > 0;
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    if (same)
        return GF_OK;
    /* before: the existing row as JSON */
    o = (size_t)snprintf(sql, sizeof sql, "SELECT ");
    for (int i = 0; i < ncols; i++)
        o += (size_t)snprintf(sql + o, sizeof sql - o, "%s%s", i ? ", " : "", cols[i]);
    o += (size_t)snprintf(sql + o, sizeof sql - o, " FROM %s WHERE ", table);
    for (int i = 0; i < nkey; i++)
        o += (size_t)snprintf(sql + o, sizeof sql - o, "%s%s = ?", i ? " AND " : "", cols[i]);
    if ((rc = gf_db_prepare(db, sql, &st, e)))
        return rc;
    for (int i = 0; i < nkey; i++)
        gf_stmt_bind_text(st, i + 1, vals[i]);
    rc = gf_stmt_step(st, e);
    json_t *before = NULL, *after = json_object();
    if (rc == 1) {
        before = json_object();
        for (int i = 0; i < ncols; i++) {
            const char *t = gf_stmt_text(st, i);
            json_object_set_new(before, cols[i], t ? json_string(t) : json_null());
        }
    }
    gf_stmt_finalize(st);
    if (rc < 0) {
        json_decref(after);
        return rc;
    }
    int existed = before != NULL;
    for (int i = 0; i < ncols; i++)
        json_object_set_new(after, cols[i], vals[i] ? json_string(vals[i]) : json_null());
    /* write */
    o = (size_t)snprintf(sql, sizeof sql, "INSERT INTO %s (", table);
    for (int i = 0; i < ncols; i++)
        o += (size_t)snprintf(sql + o, sizeof sql - o, "%s%s", i ? ", " : "", cols[i]);
    o += (size_t)snprintf(sql + o, sizeof sql - o, ") VALUES (");
    for (int i = 0; i < ncols; i++)
        o += (size_t)snprintf(sql + o, sizeof sql - o, "%s?", i ? ", " : "");
    o += (size_t)snprintf(sql + o, sizeof sql - o, ") ON CONFLICT (");
    for (int i = 0; i < nkey; i++)
        o += (size_t)snprintf(sql + o, sizeof sql - o, "%s%s", i ? ", " : "", cols[i]);
    if (ncols > nkey) {
        o += (size_t)snprintf(sql + o, sizeof sql - o, ") DO UPDATE SET ");
        for (int i = nkey; i < ncols; i++)
            o += (size_t)snprintf(sql + o, sizeof sql - o, "%s%s = excluded.%s", i > nkey ? ", " : "",
                                  cols[i], cols[i]);
    } else
        o += (size_t)snprintf(sql + o, sizeof sql - o, ") DO NOTHING");
    if (o >= sizeof sql) {
        json_decref(before);
        json_decref(after);
        return gf_err_set(e, GF_ESYS, "internal: statement too long for %s", table);
    }
    if ((rc = gf_db_prepare(db, sql, &st, e)) == GF_OK) {
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

/* ---- the driver -------------------------------------------------------------------------- */

int gf_import_file(struct gf_db *db, const struct gf_import_kind *kind, const char *path,
                   const struct gf_import_opts *o, struct gf_import_stats *stats,
                   struct gf_err *e)
{
    struct gf_records rec;
    struct gf_import_ctx c = {db, o && o->actor ? o->actor : "cli", path, 0, &rec, stats, NULL};
    memset(stats, 0, sizeof *stats);
    int rc = records_open(&rec, path, o ? o->format : NULL, e);
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
    if ((rc = gf_db_begin(db, e)))
        goto out_close;
    gf_db_bulk(db, 1);
    if (kind->begin && (rc = kind->begin(&c, e)))
        goto out_rollback;
    long data_rows = 0;
    while ((rc = records_next(&rec, path, &c.line, e)) == 1) {
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
        if ((rc = kind->row(&c, e)))
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
    gf_db_bulk(db, 0);
    if (o && o->dry_run) {
        gf_db_rollback(db);
        records_close(&rec);
        return GF_OK;
    }
    rc = gf_db_commit(db, e);
    records_close(&rec);
    return rc;
out_rollback:
    if (kind->release)
        kind->release(&c);
    gf_db_bulk(db, 0);
    gf_db_rollback(db);
out_close:
    records_close(&rec);
    return rc;
}
