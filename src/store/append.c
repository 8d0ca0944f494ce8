/* append.c — rows appended to one table in bulk (db.h gf_db_append_*): on SQLite a multi-row
 * INSERT of up to APPEND_BATCH rows a statement (the last rows one by one), on PostgreSQL COPY in
 * its text format, sent a megabyte at a time.  Used by the microdata import and by gf_db_copy. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_backend.h"
#include "store/db_pg.h"
#include "util/shortest.h"
#include "util/strbuf.h"

#define APPEND_BATCH 100

enum kind { V_NULL, V_TEXT, V_INT, V_DOUBLE, V_BLOB };

struct value {
    enum kind kind;
    int64_t i;
    double d;
    size_t off, n; /* text or bytes: in the arena */
};

struct gf_db_append {
    struct gf_db *db;
    int pg, ncols, nrows, nfield;
    char *table_cols; /* "t" ("c1", "c2", …) */
    struct value *v;  /* SQLite: [APPEND_BATCH][ncols] */
    struct gf_strbuf arena; /* SQLite: the text of the rows held; PostgreSQL: the COPY data */
    struct gf_stmt *batch, *one;
    int err;
};

static void keep(struct gf_db_append *a, const void *p, size_t n)
{
    gf_strbuf_put(&a->arena, p, n);
    if (a->arena.err && !a->err)
        a->err = GF_ENOMEM;
}

int gf_db_append_begin(struct gf_db *db, const char *table, const char *const *cols, int ncols,
                       struct gf_db_append **out, struct gf_err *e)
{
    *out = NULL;
    if (db->depth <= 0)
        return gf_err_set(e, GF_ESYS, "database: bulk append outside a transaction");
    struct gf_db_append *a = calloc(1, sizeof *a);
    size_t len = strlen(table) + 16;
    for (int i = 0; i < ncols; i++)
        len += strlen(cols[i]) + 4;
    if (!a || !(a->table_cols = malloc(len)) ||
        !(a->v = calloc((size_t)APPEND_BATCH * (size_t)ncols, sizeof *a->v))) {
        if (a)
            free(a->table_cols);
        free(a);
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    }
    a->db = db;
    a->pg = gf_db_is_pg(db);
    a->ncols = ncols;
    size_t o = (size_t)snprintf(a->table_cols, len, "\"%s\" (", table);
    for (int i = 0; i < ncols; i++)
        o += (size_t)snprintf(a->table_cols + o, len - o, "%s\"%s\"", i ? ", " : "", cols[i]);
    snprintf(a->table_cols + o, len - o, ")");
    if (a->pg) {
        char *sql = malloc(len + 32);
        int rc = sql ? GF_OK : gf_err_set(e, GF_ENOMEM, "out of memory");
        if (rc == GF_OK) {
            snprintf(sql, len + 32, "COPY %s FROM STDIN", a->table_cols);
            rc = gf_pg_copy_begin(db, sql, e);
        }
        free(sql);
        if (rc) {
            free(a->v), free(a->table_cols), free(a);
            return rc;
        }
    }
    *out = a;
    return GF_OK;
}

/* ---- PostgreSQL: one line of COPY's text format a row ---- */

static void copy_sep(struct gf_db_append *a)
{
    if (a->nfield++)
        keep(a, "\t", 1);
}

static void copy_text(struct gf_db_append *a, const char *s, size_t n)
{
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        const char *esc = s[i] == '\\'   ? "\\\\"
                          : s[i] == '\n' ? "\\n"
                          : s[i] == '\r' ? "\\r"
                          : s[i] == '\t' ? "\\t"
                                         : NULL;
        if (esc) {
            keep(a, s + from, i - from);
            keep(a, esc, 2);
            from = i + 1;
        }
    }
    keep(a, s + from, n - from);
}

/* ---- the fields of a row ---- */

static struct value *next_value(struct gf_db_append *a)
{
    if (a->nfield >= a->ncols) {
        a->err = GF_ESYS; /* more fields than columns */
        return NULL;
    }
    return &a->v[(size_t)a->nrows * (size_t)a->ncols + (size_t)a->nfield++];
}

void gf_db_append_null(struct gf_db_append *a)
{
    if (a->pg) {
        copy_sep(a);
        keep(a, "\\N", 2);
        return;
    }
    struct value *v = next_value(a);
    if (v)
        v->kind = V_NULL;
}

void gf_db_append_text(struct gf_db_append *a, const char *s, size_t n)
{
    if (!s) {
        gf_db_append_null(a);
        return;
    }
    if (a->pg) {
        copy_sep(a);
        copy_text(a, s, n);
        return;
    }
    struct value *v = next_value(a);
    if (!v)
        return;
    *v = (struct value){V_TEXT, 0, 0, a->arena.n, n};
    keep(a, s, n);
}

void gf_db_append_int(struct gf_db_append *a, int64_t i)
{
    if (a->pg) {
        char num[24];
        copy_sep(a);
        keep(a, num, (size_t)snprintf(num, sizeof num, "%lld", (long long)i));
        return;
    }
    struct value *v = next_value(a);
    if (v)
        *v = (struct value){V_INT, i, 0, 0, 0};
}

void gf_db_append_double(struct gf_db_append *a, double d)
{
    if (isnan(d)) {
        gf_db_append_null(a);
        return;
    }
    if (a->pg) {
        char num[GF_SHORTEST_BUF];
        copy_sep(a);
        keep(a, num, (size_t)gf_shortest_text(num, d));
        return;
    }
    struct value *v = next_value(a);
    if (v)
        *v = (struct value){V_DOUBLE, 0, d, 0, 0};
}

void gf_db_append_blob(struct gf_db_append *a, const void *p, size_t n)
{
    if (a->pg) {
        static const char hex[] = "0123456789abcdef";
        copy_sep(a);
        keep(a, "\\\\x", 3);
        for (size_t i = 0; i < n; i++) {
            char two[2] = {hex[((const unsigned char *)p)[i] >> 4], hex[((const unsigned char *)p)[i] & 15]};
            keep(a, two, 2);
        }
        return;
    }
    struct value *v = next_value(a);
    if (!v)
        return;
    *v = (struct value){V_BLOB, 0, 0, a->arena.n, n};
    keep(a, p, n);
}

/* ---- SQLite: the rows held, written by one statement of nrows rows ---- */

static int prepare_insert(struct gf_db_append *a, int nrows, struct gf_stmt **out,
                          struct gf_err *e)
{
    size_t row = (size_t)a->ncols * 3 + 4, cap = strlen(a->table_cols) + 32 + row * (size_t)nrows;
    char *sql = malloc(cap);
    if (!sql)
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    size_t o = (size_t)snprintf(sql, cap, "INSERT INTO %s VALUES ", a->table_cols);
    for (int r = 0; r < nrows; r++) {
        o += (size_t)snprintf(sql + o, cap - o, "%s(", r ? ", " : "");
        for (int c = 0; c < a->ncols; c++)
            o += (size_t)snprintf(sql + o, cap - o, c ? ", ?" : "?");
        o += (size_t)snprintf(sql + o, cap - o, ")");
    }
    int rc = gf_db_prepare(a->db, sql, out, e);
    free(sql);
    return rc;
}

static void bind_value(struct gf_db_append *a, struct gf_stmt *st, int i, const struct value *v)
{
    switch (v->kind) {
    case V_TEXT: /* the arena stays as it is until the statement has run */
        st->db->ops->bind_text_ref(st, i, a->arena.p + v->off, v->n);
        break;
    case V_INT:
        gf_stmt_bind_int(st, i, v->i);
        break;
    case V_DOUBLE:
        gf_stmt_bind_double(st, i, v->d);
        break;
    case V_BLOB:
        gf_stmt_bind_blob(st, i, a->arena.p + v->off, v->n);
        break;
    default:
        gf_stmt_bind_null(st, i);
    }
}

/* Write the rows held: the full batch as one statement, fewer one by one. */
static int flush(struct gf_db_append *a, struct gf_err *e)
{
    int rc = GF_OK;
    if (a->nrows == APPEND_BATCH) {
        if (!a->batch && (rc = prepare_insert(a, APPEND_BATCH, &a->batch, e)))
            return rc;
        for (int k = 0; k < APPEND_BATCH * a->ncols; k++)
            bind_value(a, a->batch, k + 1, &a->v[k]);
        int r = gf_stmt_step(a->batch, e);
        rc = r < 0 ? r : GF_OK;
        gf_stmt_reset(a->batch);
    } else if (a->nrows > 0) {
        if (!a->one && (rc = prepare_insert(a, 1, &a->one, e)))
            return rc;
        for (int r = 0; r < a->nrows && rc == GF_OK; r++) {
            for (int c = 0; c < a->ncols; c++)
                bind_value(a, a->one, c + 1, &a->v[r * a->ncols + c]);
            int got = gf_stmt_step(a->one, e);
            rc = got < 0 ? got : GF_OK;
            gf_stmt_reset(a->one);
        }
    }
    a->nrows = 0;
    a->arena.n = 0;
    return rc;
}

int gf_db_append_row(struct gf_db_append *a, struct gf_err *e)
{
    if (!a->err && a->nfield != a->ncols)
        a->err = GF_ESYS;
    if (a->err)
        return gf_err_set(e, a->err, a->err == GF_ENOMEM ? "out of memory"
                                                         : "internal: a row of the wrong width");
    a->nfield = 0;
    if (a->pg) {
        keep(a, "\n", 1);
        if (!a->err && a->arena.n >= (1u << 20)) {
            int rc = gf_pg_copy_put(a->db, a->arena.p, a->arena.n, e);
            a->arena.n = 0;
            return rc;
        }
        return a->err ? gf_err_set(e, a->err, "out of memory") : GF_OK;
    }
    if (++a->nrows == APPEND_BATCH)
        return flush(a, e);
    return GF_OK;
}

static void release(struct gf_db_append *a)
{
    gf_stmt_finalize(a->batch);
    gf_stmt_finalize(a->one);
    gf_strbuf_free(&a->arena), free(a->v), free(a->table_cols), free(a);
}

int gf_db_append_end(struct gf_db_append *a, struct gf_err *e)
{
    int rc = a->err ? gf_err_set(e, a->err, "out of memory") : GF_OK;
    if (a->pg) {
        if (rc == GF_OK && a->arena.n)
            rc = gf_pg_copy_put(a->db, a->arena.p, a->arena.n, e);
        int end = gf_pg_copy_end(a->db, rc ? "abandoned" : NULL, rc ? NULL : e);
        if (rc == GF_OK)
            rc = end;
    } else if (rc == GF_OK)
        rc = flush(a, e);
    release(a);
    return rc;
}

void gf_db_append_abort(struct gf_db_append *a)
{
    if (!a)
        return;
    if (a->pg)
        gf_pg_copy_end(a->db, "abandoned", NULL);
    release(a);
}
