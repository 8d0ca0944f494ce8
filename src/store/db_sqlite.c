/* db_sqlite.c — the SQLite backend of the store (db.h): WAL, foreign keys, synchronous=FULL,
 * migrations on open, nested transactions. */
#include "store/db.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Prepared statements are cached by their SQL text: gf_stmt_finalize on a cached statement
 * only resets it, and the next gf_db_prepare of the same text reuses it.  Row-by-row imports
 * prepare the same few statements millions of times. */
#define STMT_CACHE 64

struct gf_stmt {
    struct gf_db *db;
    sqlite3_stmt *s;
    char *sql;  /* non-NULL when cached */
    int in_use;
};

struct gf_db {
    sqlite3 *h;
    int depth;  /* nesting of gf_db_begin */
    int failed; /* an inner rollback happened: the outermost commit must roll back */
    struct gf_stmt *cache[STMT_CACHE];
    int ncache;
};

int gf_schema_migrate(struct gf_db *db, struct gf_err *e); /* schema.c */

static int open_impl(struct gf_db **out, const char *path, int create, struct gf_err *e)
{
    *out = NULL;
    if (!create && access(path, F_OK) != 0)
        return gf_err_set(e, GF_EUSER,
                          "%s: no such database (create it with `gongfu init` or `gongfu demo`)",
                          path);
    struct gf_db *db = calloc(1, sizeof *db);
    if (!db)
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    /* a connection is used by one thread at a time: no per-call mutex */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
        gf_err_set(e, GF_ESYS, "%s: cannot open database: %s", path,
                   db->h ? sqlite3_errmsg(db->h) : "out of memory");
        sqlite3_close(db->h);
        free(db);
        return GF_ESYS;
    }
    sqlite3_busy_timeout(db->h, 10000);
    sqlite3_extended_result_codes(db->h, 1);
    int rc = gf_db_exec(db,
                        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                        "PRAGMA temp_store=MEMORY;",
                        e);
    if (rc == GF_OK)
        rc = gf_schema_migrate(db, e);
    if (rc) {
        if (e)
            gf_err_prefix(e, "%s", path);
        gf_db_close(db);
        return rc;
    }
    *out = db;
    return GF_OK;
}

int gf_db_open(struct gf_db **out, const char *path, struct gf_err *e)
{
    return open_impl(out, path, 1, e);
}

int gf_db_open_existing(struct gf_db **out, const char *path, struct gf_err *e)
{
    return open_impl(out, path, 0, e);
}

void gf_db_close(struct gf_db *db)
{
    if (!db)
        return;
    for (int i = 0; i < db->ncache; i++) {
        sqlite3_finalize(db->cache[i]->s);
        free(db->cache[i]->sql);
        free(db->cache[i]);
    }
    sqlite3_close_v2(db->h);
    free(db);
}

int gf_db_exec(struct gf_db *db, const char *sql, struct gf_err *e)
{
    char *msg = NULL;
    if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        gf_err_set(e, GF_ESYS, "database: %s", msg ? msg : sqlite3_errmsg(db->h));
        sqlite3_free(msg);
        return GF_ESYS;
    }
    return GF_OK;
}

int gf_db_begin(struct gf_db *db, struct gf_err *e)
{
    if (db->depth++ > 0)
        return GF_OK;
    db->failed = 0;
    int rc = gf_db_exec(db, "BEGIN IMMEDIATE", e);
    if (rc)
        db->depth = 0;
    return rc;
}

int gf_db_commit(struct gf_db *db, struct gf_err *e)
{
    if (db->depth <= 0)
        return gf_err_set(e, GF_ESYS, "database: commit without begin");
    if (--db->depth > 0)
        return GF_OK;
    if (db->failed) {
        gf_db_exec(db, "ROLLBACK", NULL);
        return gf_err_set(e, GF_ESYS, "database: transaction rolled back by an inner failure");
    }
    int rc = gf_db_exec(db, "COMMIT", e);
    if (rc)
        gf_db_exec(db, "ROLLBACK", NULL);
    return rc;
}

void gf_db_rollback(struct gf_db *db)
{
    if (db->depth <= 0)
        return;
    if (--db->depth > 0) {
        db->failed = 1;
        return;
    }
    gf_db_exec(db, "ROLLBACK", NULL);
}

int64_t gf_db_last_id(struct gf_db *db)
{
    return sqlite3_last_insert_rowid(db->h);
}

int gf_db_savepoint(struct gf_db *db, struct gf_err *e)
{
    if (db->depth <= 0)
        return gf_err_set(e, GF_ESYS, "database: savepoint outside a transaction");
    return gf_db_exec(db, "SAVEPOINT gf_unit", e);
}

int gf_db_savepoint_release(struct gf_db *db, struct gf_err *e)
{
    return gf_db_exec(db, "RELEASE gf_unit", e);
}

int gf_db_savepoint_rollback(struct gf_db *db, struct gf_err *e)
{
    int rc = gf_db_exec(db, "ROLLBACK TO gf_unit", e);
    if (rc == GF_OK)
        rc = gf_db_exec(db, "RELEASE gf_unit", e);
    if (rc == GF_OK)
        db->failed = 0;
    return rc;
}

int gf_db_doomed(const struct gf_db *db)
{
    return db->failed;
}

int64_t gf_db_data_version(struct gf_db *db)
{
    return gf_db_int(db, "PRAGMA data_version", 0);
}

void gf_db_bulk(struct gf_db *db, int on)
{
    gf_db_exec(db, on ? "PRAGMA cache_size=-262144" : "PRAGMA cache_size=-2000", NULL);
}

int gf_db_prepare(struct gf_db *db, const char *sql, struct gf_stmt **out, struct gf_err *e)
{
    *out = NULL;
    for (int i = 0; i < db->ncache; i++)
        if (!db->cache[i]->in_use && !strcmp(db->cache[i]->sql, sql)) {
            db->cache[i]->in_use = 1;
            *out = db->cache[i];
            return GF_OK;
        }
    struct gf_stmt *st = calloc(1, sizeof *st);
    if (!st)
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    st->db = db;
    if (sqlite3_prepare_v2(db->h, sql, -1, &st->s, NULL) != SQLITE_OK) {
        gf_err_set(e, GF_ESYS, "database: %s (in: %.200s)", sqlite3_errmsg(db->h), sql);
        free(st);
        return GF_ESYS;
    }
    if (db->ncache < STMT_CACHE && (st->sql = strdup(sql)) != NULL) {
        st->in_use = 1;
        db->cache[db->ncache++] = st;
    }
    *out = st;
    return GF_OK;
}

int gf_stmt_bind_int(struct gf_stmt *st, int i, int64_t v)
{
    return sqlite3_bind_int64(st->s, i, v) == SQLITE_OK ? GF_OK : GF_ESYS;
}

int gf_stmt_bind_double(struct gf_stmt *st, int i, double v)
{
    if (v != v)
        return gf_stmt_bind_null(st, i);
    return sqlite3_bind_double(st->s, i, v) == SQLITE_OK ? GF_OK : GF_ESYS;
}

int gf_stmt_bind_text(struct gf_stmt *st, int i, const char *s)
{
    if (!s)
        return gf_stmt_bind_null(st, i);
    return sqlite3_bind_text(st->s, i, s, -1, SQLITE_TRANSIENT) == SQLITE_OK ? GF_OK : GF_ESYS;
}

int gf_stmt_bind_null(struct gf_stmt *st, int i)
{
    return sqlite3_bind_null(st->s, i) == SQLITE_OK ? GF_OK : GF_ESYS;
}

int gf_stmt_step(struct gf_stmt *st, struct gf_err *e)
{
    int rc = sqlite3_step(st->s);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    int code = GF_ESYS;
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        code = GF_EUSER;
    gf_err_set(e, code, "database: %s", sqlite3_errmsg(st->db->h));
    sqlite3_reset(st->s);
    return code;
}

int gf_stmt_is_null(struct gf_stmt *st, int col)
{
    return sqlite3_column_type(st->s, col) == SQLITE_NULL;
}

int64_t gf_stmt_int(struct gf_stmt *st, int col)
{
    return sqlite3_column_int64(st->s, col);
}

double gf_stmt_double(struct gf_stmt *st, int col)
{
    if (sqlite3_column_type(st->s, col) == SQLITE_NULL)
        return 0.0 / 0.0;
    return sqlite3_column_double(st->s, col);
}

const char *gf_stmt_text(struct gf_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st->s, col);
}

void gf_stmt_reset(struct gf_stmt *st)
{
    sqlite3_reset(st->s);
    sqlite3_clear_bindings(st->s);
}

void gf_stmt_finalize(struct gf_stmt *st)
{
    if (!st)
        return;
    if (st->sql) { /* cached: keep it for the next prepare of the same text */
        sqlite3_reset(st->s);
        sqlite3_clear_bindings(st->s);
        st->in_use = 0;
        return;
    }
    sqlite3_finalize(st->s);
    free(st);
}

int gf_db_run(struct gf_db *db, struct gf_err *e, const char *sql, ...)
{
    struct gf_stmt *st;
    int rc = gf_db_prepare(db, sql, &st, e);
    if (rc)
        return rc;
    va_list ap;
    va_start(ap, sql);
    int n = sqlite3_bind_parameter_count(st->s);
    for (int i = 1; i <= n; i++)
        gf_stmt_bind_text(st, i, va_arg(ap, const char *));
    va_end(ap);
    rc = gf_stmt_step(st, e);
    gf_stmt_finalize(st);
    return rc < 0 ? rc : GF_OK;
}

int64_t gf_db_int(struct gf_db *db, const char *sql, int64_t def)
{
    struct gf_stmt *st;
    if (gf_db_prepare(db, sql, &st, NULL))
        return def;
    int64_t v = def;
    if (gf_stmt_step(st, NULL) == 1 && !gf_stmt_is_null(st, 0))
        v = gf_stmt_int(st, 0);
    gf_stmt_finalize(st);
    return v;
}

int64_t gf_db_int_text(struct gf_db *db, const char *sql, const char *arg)
{
    struct gf_stmt *st;
    if (gf_db_prepare(db, sql, &st, NULL))
        return 0;
    gf_stmt_bind_text(st, 1, arg);
    int64_t v = 0;
    if (gf_stmt_step(st, NULL) == 1 && !gf_stmt_is_null(st, 0))
        v = gf_stmt_int(st, 0);
    gf_stmt_finalize(st);
    return v;
}
