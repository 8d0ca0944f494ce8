/* db.c — the store's public functions (db.h): the backend is chosen by the database's name (a
 * PostgreSQL URL or a SQLite file); transactions, savepoints and trials nest here, the same way
 * on every backend. */
#include "store/db.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/db_backend.h"

int gf_db_open(struct gf_db **out, const char *path, struct gf_err *e)
{
    if (gf_pg_is_url(path))
        return gf_pg_open(out, path, 1, 0, e);
    return gf_sqlite_open_write(out, path, 1, e);
}

int gf_db_open_existing(struct gf_db **out, const char *path, struct gf_err *e)
{
    if (gf_pg_is_url(path))
        return gf_pg_open(out, path, 0, 0, e);
    return gf_sqlite_open_write(out, path, 0, e);
}

int gf_db_open_read(struct gf_db **out, const char *path, struct gf_err *e)
{
    if (gf_pg_is_url(path))
        return gf_pg_open(out, path, 0, 1, e);
    return gf_sqlite_open_read(out, path, e);
}

int gf_db_open_copy(struct gf_db **out, const char *path, struct gf_err *e)
{
    if (gf_pg_is_url(path))
        return gf_pg_open(out, path, 0, 1, e); /* never upgraded in place anyway */
    return gf_sqlite_open_copy(out, path, e);
}

int gf_db_is_upgraded_copy(const struct gf_db *db)
{
    return db->temp_copy;
}

void gf_db_close(struct gf_db *db)
{
    if (db)
        db->ops->close(db);
}

int gf_db_exec(struct gf_db *db, const char *sql, struct gf_err *e)
{
    return db->ops->exec(db, sql, e);
}

int gf_db_begin(struct gf_db *db, struct gf_err *e)
{
    if (db->depth++ > 0)
        return GF_OK;
    db->failed = 0;
    int rc = gf_db_exec(db, db->read_only ? "BEGIN" : db->ops->begin_sql, e);
    if (rc)
        db->depth = 0;
    return rc;
}

int gf_db_end(struct gf_db *db, int rc, struct gf_err *e)
{
    if (rc) {
        gf_db_rollback(db);
        return rc;
    }
    return gf_db_commit(db, e);
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
    if (db->damaged) { /* something read in this transaction was damaged: keep nothing */
        gf_db_exec(db, "ROLLBACK", NULL);
        return gf_err_set(e, GF_EUSER,
                          "%s: the database file is damaged: nothing was changed; restore it "
                          "from a backup",
                          db->path);
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
    return db->ops->last_id(db);
}

int gf_db_is_pg(const struct gf_db *db)
{
    return gf_pg_is_url(db->path);
}

int64_t gf_db_changes(struct gf_db *db)
{
    return db->ops->changes(db);
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

int gf_db_trial_begin(struct gf_db *db, struct gf_err *e)
{
    int rc = gf_db_begin(db, e);
    if (rc)
        return rc;
    db->trial_failed = db->failed;
    if ((rc = gf_db_exec(db, "SAVEPOINT gf_trial", e)))
        gf_db_rollback(db);
    return rc;
}

void gf_db_trial_undo(struct gf_db *db)
{
    if (db->depth <= 0)
        return;
    gf_db_exec(db, "ROLLBACK TO gf_trial", NULL);
    gf_db_exec(db, "RELEASE gf_trial", NULL);
    db->failed = db->trial_failed; /* what failed inside the trial is undone with it */
    if (--db->depth == 0)
        gf_db_exec(db, "ROLLBACK", NULL);
}

int gf_db_trial_keep(struct gf_db *db, struct gf_err *e)
{
    int rc = gf_db_exec(db, "RELEASE gf_trial", e);
    if (rc) {
        gf_db_rollback(db);
        return rc;
    }
    return gf_db_commit(db, e);
}

const char *gf_db_path(const struct gf_db *db)
{
    return db->path;
}

void gf_db_checkpoint(struct gf_db *db)
{
    db->ops->checkpoint(db);
}

int64_t gf_db_data_version(struct gf_db *db)
{
    return db->ops->data_version(db);
}

void gf_db_bulk(struct gf_db *db, int on)
{
    db->ops->bulk(db, on);
}

int gf_db_defer_foreign_keys(struct gf_db *db, struct gf_err *e)
{
    return gf_db_exec(db, db->ops->defer_fk_sql, e);
}

int gf_db_prepare(struct gf_db *db, const char *sql, struct gf_stmt **out, struct gf_err *e)
{
    *out = NULL;
    return db->ops->prepare(db, sql, out, e);
}

int gf_db_prepare_stream(struct gf_db *db, const char *sql, struct gf_stmt **out,
                         struct gf_err *e)
{
    int rc = gf_db_prepare(db, sql, out, e);
    if (rc == GF_OK && db->ops->stream)
        db->ops->stream(*out);
    return rc;
}

int gf_stmt_bind_int(struct gf_stmt *st, int i, int64_t v)
{
    return st->db->ops->bind_int(st, i, v);
}

int gf_stmt_bind_double(struct gf_stmt *st, int i, double v)
{
    if (v != v)
        return gf_stmt_bind_null(st, i);
    return st->db->ops->bind_double(st, i, v);
}

int gf_stmt_bind_text(struct gf_stmt *st, int i, const char *s)
{
    if (!s)
        return gf_stmt_bind_null(st, i);
    return st->db->ops->bind_text(st, i, s);
}

int gf_stmt_bind_null(struct gf_stmt *st, int i)
{
    return st->db->ops->bind_null(st, i);
}

int gf_stmt_bind_blob(struct gf_stmt *st, int i, const void *p, size_t n)
{
    if (n > 0x7fffffff)
        return GF_ESYS;
    return st->db->ops->bind_blob(st, i, n ? p : "", n);
}

int gf_stmt_step(struct gf_stmt *st, struct gf_err *e)
{
    return st->db->ops->step(st, e);
}

int gf_stmt_is_null(struct gf_stmt *st, int col)
{
    return st->db->ops->is_null(st, col);
}

int64_t gf_stmt_int(struct gf_stmt *st, int col)
{
    return st->db->ops->int_col(st, col);
}

double gf_stmt_double(struct gf_stmt *st, int col)
{
    if (gf_stmt_is_null(st, col))
        return 0.0 / 0.0;
    return st->db->ops->double_col(st, col);
}

const char *gf_stmt_text(struct gf_stmt *st, int col)
{
    return st->db->ops->text_col(st, col);
}

const void *gf_stmt_blob(struct gf_stmt *st, int col, size_t *n)
{
    return st->db->ops->blob_col(st, col, n);
}

void gf_stmt_reset(struct gf_stmt *st)
{
    st->db->ops->reset(st);
}

void gf_stmt_finalize(struct gf_stmt *st)
{
    if (st)
        st->db->ops->finalize(st);
}

int gf_db_run(struct gf_db *db, struct gf_err *e, const char *sql, ...)
{
    struct gf_stmt *st;
    int rc = gf_db_prepare(db, sql, &st, e);
    if (rc)
        return rc;
    va_list ap;
    va_start(ap, sql);
    int n = db->ops->nparams(st);
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

int gf_db_backup(struct gf_db *db, const char *path, struct gf_err *e)
{
    if (db->depth > 0)
        return gf_err_set(e, GF_ESYS, "backup: inside a transaction");
    return db->ops->backup(db, path, e);
}

int gf_db_restore(struct gf_db *db, struct gf_db *from, struct gf_err *e)
{
    if (db->depth > 0 || from->depth > 0)
        return gf_err_set(e, GF_ESYS, "restore: inside a transaction");
    if (from->ops == db->ops && db->ops->restore) /* a SQLite file into SQLite: page by page */
        return db->ops->restore(db, from, e);
    if (gf_pg_same_database(from, db)) /* anything else: row by row, in one transaction */
        return gf_err_at(e, NULL, 0, "file", from->path, "a backup, not the database itself");
    int rc = gf_db_begin(db, e);
    if (rc == GF_OK) {
        rc = gf_db_copy(from, db, e);
        rc = gf_db_end(db, rc, e);
    }
    return rc;
}

int gf_db_exists(const char *path, struct gf_err *e)
{
    if (!gf_pg_is_url(path))
        return access(path, F_OK) == 0;
    struct gf_db *db;
    int rc = gf_pg_open(&db, path, 0, 1, e);
    if (rc == GF_ENOTFOUND)
        return 0;
    if (rc)
        return rc;
    gf_db_close(db);
    return 1;
}

int gf_db_remove(const char *path, struct gf_err *e)
{
    if (gf_pg_is_url(path)) {
        struct gf_db *db;
        int rc = gf_pg_open(&db, path, 0, 0, e);
        if (rc == GF_OK)
            rc = gf_pg_drop_schema(db, e);
        gf_db_close(db);
        return rc;
    }
    static const char *const ends[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        char p[4096];
        snprintf(p, sizeof p, "%s%s", path, ends[i]);
        unlink(p);
    }
    return GF_OK;
}

char **gf_db_tables(struct gf_db *db, struct gf_err *e)
{
    return db->ops->tables(db, e);
}

char **gf_db_names(struct gf_db *db, const char *sql, struct gf_err *e)
{
    struct gf_stmt *st;
    if (gf_db_prepare(db, sql, &st, e))
        return NULL;
    size_t n = 0, cap = 64;
    char **names = calloc(cap + 1, sizeof *names);
    int rc = 0;
    while (names && (rc = gf_stmt_step(st, e)) == 1) {
        if (n == cap) {
            char **more = realloc(names, (2 * cap + 1) * sizeof *names);
            if (!more)
                break;
            names = more;
            cap *= 2;
        }
        const char *t = gf_stmt_text(st, 0);
        if (!(names[n] = strdup(t ? t : "")))
            break;
        names[++n] = NULL;
    }
    gf_stmt_finalize(st);
    if (rc != 0 || !names) { /* an error, or out of memory */
        gf_db_free_names(names);
        if (rc == 0 || rc == 1)
            gf_err_set(e, GF_ENOMEM, "out of memory");
        return NULL;
    }
    return names;
}

void gf_db_free_names(char **names)
{
    for (size_t i = 0; names && names[i]; i++)
        free(names[i]);
    free(names);
}

int gf_db_clear(struct gf_db *db, struct gf_err *e)
{
    if (db->depth <= 0)
        return gf_err_set(e, GF_ESYS, "database: clear outside a transaction");
    int rc = db->ops->clear(db, e);
    if (rc)
        db->failed = 1; /* half cleared: the transaction must not commit */
    return rc;
}

int gf_db_holds_data(struct gf_db *db, struct gf_err *e)
{
    struct gf_db *ref;
    int rc = gf_sqlite_reference(&ref, e);
    if (rc)
        return rc;
    char **names = gf_db_tables(db, e);
    if (!names) {
        gf_db_close(ref);
        return e ? e->code : GF_ESYS;
    }
    int holds = 0;
    for (size_t i = 0; !holds && names[i]; i++) {
        char sql[400];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", names[i]);
        int64_t fresh = gf_db_int(ref, sql, 0); /* rows the schema itself puts there */
        snprintf(sql, sizeof sql, "SELECT count(*) FROM (SELECT 1 FROM \"%s\" LIMIT %lld) AS t",
                 names[i], (long long)fresh + 1);
        int64_t have = gf_db_int(db, sql, -1);
        if (have < 0) {
            holds = gf_err_set(e, GF_ESYS, "database: cannot count the rows of %s", names[i]);
            break;
        }
        holds = have > fresh;
    }
    gf_db_free_names(names);
    gf_db_close(ref);
    return holds;
}

int gf_db_owns_file(const char *db_path, const char *path)
{
    if (gf_pg_is_url(db_path))
        return 0; /* a server's database is no file here */
    return gf_sqlite_owns_file(db_path, path);
}
