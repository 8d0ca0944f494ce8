/* copy.c — every row of one database into another of the same schema, across backends: how a
 * PostgreSQL database gets its first rows, how `gongfu migrate` moves a database, how a
 * PostgreSQL database is backed up to a file and restored from one.
 *
 * The tables and their columns are read from whichever side is SQLite (a new SQLite reference
 * database when neither is), so both sides name the columns the same way.  The rows are read as
 * a stream and written by the bulk appender (COPY into PostgreSQL, multi-row INSERTs into
 * SQLite); foreign keys are checked at the commit, so the order of the tables does not matter.  Values keep their kind: a REAL with
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

/* One value of the row st holds, to the appender. */
static void append_value(struct gf_db_append *a, struct gf_stmt *st, int col, enum kind kind)
{
    if (gf_stmt_is_null(st, col)) {
        gf_db_append_null(a);
        return;
    }
    switch (kind) {
    case K_INT:
        gf_db_append_int(a, gf_stmt_int(st, col));
        break;
    case K_REAL:
        gf_db_append_double(a, gf_stmt_double(st, col));
        break;
    case K_BLOB: {
        size_t n;
        const void *b = gf_stmt_blob(st, col, &n);
        gf_db_append_blob(a, b, n);
        break;
    }
    default: {
        const char *t = gf_stmt_text(st, col);
        gf_db_append_text(a, t, strlen(t));
    }
    }
}

static int copy_table(struct gf_db *src, struct gf_db *dst, struct gf_db *lite, const char *table,
                      struct gf_err *e)
{
    struct column cols[128];
    const char *names[128];
    int n, int_key;
    int rc = columns(lite, table, cols, 128, &n, &int_key, e);
    if (rc)
        return rc;
    size_t cap = strlen(table) + 64;
    for (int i = 0; i < n; i++) {
        names[i] = cols[i].name;
        cap += strlen(cols[i].name) + 4;
    }
    char *read = malloc(cap);
    if (!read)
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    /* in the order the rows were written: a table without its own key is read by rowid */
    size_t o = (size_t)snprintf(read, cap, "SELECT ");
    for (int i = 0; i < n; i++)
        o += (size_t)snprintf(read + o, cap - o, "%s\"%s\"", i ? ", " : "", cols[i].name);
    snprintf(read + o, cap - o, " FROM \"%s\" ORDER BY %s", table, int_key ? "1" : "rowid");
    struct gf_stmt *st = NULL;
    struct gf_db_append *a = NULL;
    if ((rc = gf_db_prepare_stream(src, read, &st, e)) == GF_OK)
        rc = gf_db_append_begin(dst, table, names, n, &a, e);
    while (rc == GF_OK && (rc = gf_stmt_step(st, e)) == 1) {
        for (int i = 0; i < n; i++)
            append_value(a, st, i, cols[i].kind);
        rc = gf_db_append_row(a, e);
    }
    if (rc > 0)
        rc = GF_OK;
    gf_stmt_finalize(st);
    if (a) {
        if (rc == GF_OK)
            rc = gf_db_append_end(a, e);
        else
            gf_db_append_abort(a);
    }
    if (rc)
        gf_err_prefix(e, "copying table %s", table);
    free(read);
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
    struct gf_db *lite = !gf_db_is_pg(src) ? src : !gf_db_is_pg(dst) ? dst : NULL, *ref = NULL;
    int rc = GF_OK;
    if (!lite && (rc = gf_sqlite_reference(&ref, e)))
        return rc;
    if (!lite)
        lite = ref;
    char **tables = gf_db_tables(lite, e);
    if (!tables)
        rc = e ? e->code : GF_ESYS;
    if (rc == GF_OK)
        rc = gf_db_is_pg(dst) ? gf_pg_empty(dst, e) : empty_sqlite(dst, tables, e);
    for (size_t i = 0; rc == GF_OK && tables[i]; i++)
        rc = copy_table(src, dst, lite, tables[i], e);
    if (rc == GF_OK && gf_db_is_pg(dst))
        rc = gf_pg_sync_ids(dst, e);
    gf_db_free_names(tables);
    gf_db_close(ref);
    return rc;
}
