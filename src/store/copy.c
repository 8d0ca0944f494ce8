/* copy.c — every row of one database into another of the same schema, across backends: how a
 * PostgreSQL database gets its first rows, how `gongfu migrate` moves a database, how a
 * PostgreSQL database is backed up to a file and restored from one.
 *
 * The tables and their columns are read from whichever side is SQLite (a new SQLite reference
 * database when neither is), so both sides name the columns the same way.  Into PostgreSQL the
 * rows go by COPY (text format), into SQLite by one prepared INSERT; foreign keys are checked at
 * the commit, so the order of the tables does not matter.  Values keep their kind: a REAL with
 * all 17 digits, an integer as an integer, bytes as bytes, text byte for byte (the audit chain
 * hashes text, and verifies after a copy). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_backend.h"
#include "store/db_pg.h"

enum kind { K_TEXT, K_INT, K_REAL, K_BLOB };

struct column {
    char name[128];
    enum kind kind;
};

static int is_pg(struct gf_db *db)
{
    return gf_pg_is_url(db->path);
}

static enum kind kind_of(const char *type)
{
    if (!type)
        return K_TEXT;
    if (!strcmp(type, "INTEGER"))
        return K_INT;
    if (!strcmp(type, "REAL"))
        return K_REAL;
    if (!strcmp(type, "BLOB"))
        return K_BLOB;
    return K_TEXT;
}

/* The columns of table in the SQLite database lite; *int_key set when one INTEGER column is its
 * primary key (SQLite's rowid). */
static int columns(struct gf_db *lite, const char *table, struct column *cols, int cap, int *n,
                   int *int_key, struct gf_err *e)
{
    struct gf_stmt *st;
    int rc = gf_db_prepare(lite, "SELECT name, type, pk FROM pragma_table_info(?1) ORDER BY cid",
                           &st, e);
    if (rc)
        return rc;
    gf_stmt_bind_text(st, 1, table);
    *n = 0;
    int keys = 0, int_keys = 0;
    while ((rc = gf_stmt_step(st, e)) == 1 && *n < cap) {
        snprintf(cols[*n].name, sizeof cols[*n].name, "%s", gf_stmt_text(st, 0));
        cols[*n].kind = kind_of(gf_stmt_text(st, 1));
        if (gf_stmt_int(st, 2) > 0) {
            keys++;
            int_keys += cols[*n].kind == K_INT;
        }
        (*n)++;
    }
    gf_stmt_finalize(st);
    *int_key = keys == 1 && int_keys == 1;
    return rc < 0 ? rc : GF_OK;
}

struct line {
    char *p;
    size_t n, cap;
};

static int add(struct line *l, const char *s, size_t n)
{
    if (l->n + n + 1 > l->cap) {
        size_t cap = (l->n + n + 1) * 2 + 4096;
        char *more = realloc(l->p, cap);
        if (!more)
            return -1;
        l->p = more;
        l->cap = cap;
    }
    memcpy(l->p + l->n, s, n);
    l->n += n;
    return 0;
}

/* One value in COPY's text format. */
static int copy_value(struct line *l, struct gf_stmt *st, int col, enum kind kind)
{
    char num[40];
    if (gf_stmt_is_null(st, col))
        return add(l, "\\N", 2);
    switch (kind) {
    case K_INT:
        return add(l, num, (size_t)snprintf(num, sizeof num, "%lld", (long long)gf_stmt_int(st, col)));
    case K_REAL:
        return add(l, num, (size_t)snprintf(num, sizeof num, "%.17g", gf_stmt_double(st, col)));
    case K_BLOB: {
        size_t n;
        const unsigned char *b = gf_stmt_blob(st, col, &n);
        int err = add(l, "\\\\x", 3);
        for (size_t i = 0; i < n && !err; i++) {
            snprintf(num, sizeof num, "%02x", b[i]);
            err = add(l, num, 2);
        }
        return err;
    }
    default: {
        const char *s = gf_stmt_text(st, col);
        int err = 0;
        for (; *s && !err; s++) {
            const char *esc = *s == '\\'   ? "\\\\"
                              : *s == '\n' ? "\\n"
                              : *s == '\r' ? "\\r"
                              : *s == '\t' ? "\\t"
                                           : NULL;
            err = esc ? add(l, esc, 2) : add(l, s, 1);
        }
        return err;
    }
    }
}

static int bind_value(struct gf_stmt *to, int i, struct gf_stmt *st, int col, enum kind kind)
{
    if (gf_stmt_is_null(st, col))
        return gf_stmt_bind_null(to, i);
    switch (kind) {
    case K_INT:
        return gf_stmt_bind_int(to, i, gf_stmt_int(st, col));
    case K_REAL:
        return gf_stmt_bind_double(to, i, gf_stmt_double(st, col));
    case K_BLOB: {
        size_t n;
        const void *b = gf_stmt_blob(st, col, &n);
        return gf_stmt_bind_blob(to, i, b, n);
    }
    default:
        return gf_stmt_bind_text(to, i, gf_stmt_text(st, col));
    }
}

static int copy_table(struct gf_db *src, struct gf_db *dst, struct gf_db *lite, const char *table,
                      struct gf_err *e)
{
    struct column cols[128];
    int n, int_key;
    int rc = columns(lite, table, cols, 128, &n, &int_key, e);
    if (rc)
        return rc;
    struct line names = {0}, marks = {0};
    int err = 0;
    for (int i = 0; i < n; i++) {
        char q[160];
        err |= add(&names, q, (size_t)snprintf(q, sizeof q, "%s\"%s\"", i ? ", " : "", cols[i].name));
        err |= add(&marks, q, (size_t)snprintf(q, sizeof q, "%s?", i ? ", " : ""));
    }
    err |= add(&names, "", 1) | add(&marks, "", 1);
    size_t cap = names.n * 2 + strlen(table) + 256;
    char *read = malloc(cap), *write = malloc(cap + marks.n);
    if (err || !read || !write) {
        free(names.p), free(marks.p), free(read), free(write);
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    }
    /* in the order the rows were written: a table without its own key is read by rowid */
    snprintf(read, cap, "SELECT %s FROM \"%s\" ORDER BY %s", names.p, table,
             int_key ? "1" : "rowid");
    if (is_pg(dst))
        snprintf(write, cap + marks.n, "COPY \"%s\" (%s) FROM STDIN", table, names.p);
    else
        snprintf(write, cap + marks.n, "INSERT INTO \"%s\" (%s) VALUES (%s)", table, names.p,
                 marks.p);
    struct gf_stmt *st = NULL, *to = NULL;
    struct line l = {0};
    rc = gf_db_prepare(src, read, &st, e);
    if (rc == GF_OK)
        rc = is_pg(dst) ? gf_pg_copy_begin(dst, write, e) : gf_db_prepare(dst, write, &to, e);
    int copying = rc == GF_OK && is_pg(dst);
    while (rc == GF_OK && (rc = gf_stmt_step(st, e)) == 1) {
        rc = GF_OK;
        if (to) {
            for (int i = 0; i < n && rc == GF_OK; i++)
                rc = bind_value(to, i + 1, st, i, cols[i].kind);
            if (rc == GF_OK && (rc = gf_stmt_step(to, e)) == 0)
                rc = GF_OK;
            gf_stmt_reset(to);
            continue;
        }
        for (int i = 0; i < n && !err; i++)
            err |= (i ? add(&l, "\t", 1) : 0) | copy_value(&l, st, i, cols[i].kind);
        err |= add(&l, "\n", 1);
        if (err)
            rc = gf_err_set(e, GF_ENOMEM, "out of memory");
        else if (l.n > (1 << 20)) {
            rc = gf_pg_copy_put(dst, l.p, l.n, e);
            l.n = 0;
        }
    }
    if (rc > 0)
        rc = GF_OK;
    if (copying) {
        if (rc == GF_OK && l.n)
            rc = gf_pg_copy_put(dst, l.p, l.n, e);
        int end = gf_pg_copy_end(dst, rc ? "abandoned" : NULL, rc ? NULL : e);
        if (rc == GF_OK)
            rc = end;
    }
    if (rc)
        gf_err_prefix(e, "copying table %s", table);
    gf_stmt_finalize(st);
    gf_stmt_finalize(to);
    free(l.p), free(names.p), free(marks.p), free(read), free(write);
    return rc;
}

/* Every row of dst (a SQLite database) removed, foreign keys checked at the commit. */
static int empty_sqlite(struct gf_db *dst, char **tables, struct gf_err *e)
{
    int rc = gf_db_defer_foreign_keys(dst, e);
    for (size_t i = 0; rc == GF_OK && tables[i]; i++) {
        char sql[300];
        snprintf(sql, sizeof sql, "DELETE FROM \"%s\"", tables[i]);
        rc = gf_db_exec(dst, sql, e);
    }
    return rc;
}

int gf_db_copy(struct gf_db *src, struct gf_db *dst, struct gf_err *e)
{
    if (dst->depth <= 0)
        return gf_err_set(e, GF_ESYS, "database: copy outside a transaction");
    struct gf_db *lite = !is_pg(src) ? src : !is_pg(dst) ? dst : NULL, *ref = NULL;
    int rc = GF_OK;
    if (!lite && (rc = gf_sqlite_reference(&ref, e)))
        return rc;
    if (!lite)
        lite = ref;
    char **tables = gf_db_tables(lite, e);
    if (!tables)
        rc = e ? e->code : GF_ESYS;
    if (rc == GF_OK)
        rc = is_pg(dst) ? gf_pg_empty(dst, e) : empty_sqlite(dst, tables, e);
    for (size_t i = 0; rc == GF_OK && tables[i]; i++)
        rc = copy_table(src, dst, lite, tables[i], e);
    if (rc == GF_OK && is_pg(dst))
        rc = gf_pg_sync_ids(dst, e);
    gf_db_free_names(tables);
    gf_db_close(ref);
    return rc;
}
