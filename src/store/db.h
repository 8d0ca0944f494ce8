/* db.h — the store: one small interface over SQL databases, so domain code never names a backend.
 *
 * Domain code writes portable SQL with `?` parameters (the subset SQLite and PostgreSQL share)
 * and calls only these functions.  The SQLite backend (db_sqlite.c) is the embedded default; the
 * PostgreSQL backend (db_pg.c) serves a database named by a URL "postgresql://…" (or
 * "postgres://…") wherever a path is asked for below.
 * Ownership: gf_db_open returns a handle the caller closes with gf_db_close; statements belong
 * to the caller until gf_stmt_finalize.  Text returned by gf_stmt_text stays valid until the
 * next step/reset/finalize of that statement.
 * Transactions: gf_db_begin/commit/rollback nest (only the outermost pair reaches the database);
 * gf_db_rollback at any depth makes the outermost commit fail and roll back everything.
 */
#ifndef GF_DB_H
#define GF_DB_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct gf_db;
struct gf_stmt;

/* Open (creating if needed) and migrate the schema to the newest version.
 * path: a file path for SQLite.  Returns GF_OK or an error.
 * Every open refuses, with a message naming the file and nothing written: a damaged database
 * file, or a file that is not a gongfu database.  Opening to write (gf_db_open,
 * gf_db_open_existing) also refuses a database written by a newer gongfu (naming both schema
 * versions) and a read-only file or directory. */
int gf_db_open(struct gf_db **out, const char *path, struct gf_err *e);
/* Open to write without creating: fails with a clear message when the file does not exist. */
int gf_db_open_existing(struct gf_db **out, const char *path, struct gf_err *e);
/* Open an existing database to read only: never creates, migrates or writes it, works on
 * read-only media and reads a database written by a newer gongfu.  A database older than this
 * gongfu is upgraded first when it can be written (as gf_db_open_existing), else refused. */
int gf_db_open_read(struct gf_db **out, const char *path, struct gf_err *e);
/* Open a database that is a copy of another (a backup to restore, a migration's source) to read
 * it without changing it: one of an older schema is read through a temporary upgraded copy
 * (removed when closed), the file itself stays as the gongfu that wrote it can read it. */
int gf_db_open_copy(struct gf_db **out, const char *path, struct gf_err *e);
/* 1 when gf_db_open_copy read an older database through an upgraded temporary copy. */
int gf_db_is_upgraded_copy(const struct gf_db *db);
void gf_db_close(struct gf_db *db);

int gf_db_exec(struct gf_db *db, const char *sql, struct gf_err *e);
int gf_db_begin(struct gf_db *db, struct gf_err *e);
int gf_db_commit(struct gf_db *db, struct gf_err *e);
void gf_db_rollback(struct gf_db *db);
/* The end of a transaction: commit when rc is GF_OK, else roll back and return rc. */
int gf_db_end(struct gf_db *db, int rc, struct gf_err *e);
int64_t gf_db_last_id(struct gf_db *db);
/* The number of rows the last INSERT, UPDATE or DELETE run on db wrote. */
int64_t gf_db_changes(struct gf_db *db);
/* Group commit: inside a transaction, gf_db_savepoint marks where one unit of work starts (at
 * most one mark at a time); gf_db_savepoint_release keeps its work; gf_db_savepoint_rollback
 * undoes it alone — and clears the doom an inner gf_db_rollback set — so the other units of the
 * transaction commit. */
int gf_db_savepoint(struct gf_db *db, struct gf_err *e);
int gf_db_savepoint_release(struct gf_db *db, struct gf_err *e);
int gf_db_savepoint_rollback(struct gf_db *db, struct gf_err *e);
/* 1 when an inner rollback has doomed the current transaction. */
int gf_db_doomed(const struct gf_db *db);
/* A trial: work that may be undone alone (a dry run, an import that turns out to change
 * nothing).  gf_db_trial_begin starts a transaction, or joins the caller's (the HTTP writer's
 * group), and marks where the trial starts.  gf_db_trial_undo undoes everything since the mark
 * and ends what trial_begin started without dooming the caller's transaction (a dry run is
 * answered "done, nothing written" in a group of writes that commits); gf_db_trial_keep keeps the
 * work, as gf_db_commit.  Trials do not nest; inside one, gf_db_begin/commit/rollback nest as
 * usual. */
int gf_db_trial_begin(struct gf_db *db, struct gf_err *e);
void gf_db_trial_undo(struct gf_db *db);
int gf_db_trial_keep(struct gf_db *db, struct gf_err *e);
/* The database's path as it was opened, for messages. */
const char *gf_db_path(const struct gf_db *db);
/* Fold the write-ahead log into the database file, so that the file alone is the whole database
 * (after building one to hand over).  Best effort: nothing is reported. */
void gf_db_checkpoint(struct gf_db *db);
/* A number that changes whenever another connection commits a change to the database (SQLite:
 * PRAGMA data_version).  Caches compare it to know whether what they hold is still current. */
int64_t gf_db_data_version(struct gf_db *db);
/* Bulk mode for large imports inside one transaction: 1 for writes to indexed tables (SQLite:
 * a larger cache), 2 for appending to a table without index (a small cache keeps memory
 * bounded), 0 back to normal. */
void gf_db_bulk(struct gf_db *db, int on);
/* Inside a transaction: foreign keys are checked at the commit (rows may come before the rows
 * they name). */
int gf_db_defer_foreign_keys(struct gf_db *db, struct gf_err *e);

int gf_db_prepare(struct gf_db *db, const char *sql, struct gf_stmt **out, struct gf_err *e);
/* The same for a query of many rows read once from the first to the last (the microdata):
 * memory holds one row at a time on every backend (PostgreSQL would otherwise receive the whole
 * result first).  Until it has returned its last row, or is reset or finalized, no other
 * statement may run on db. */
int gf_db_prepare_stream(struct gf_db *db, const char *sql, struct gf_stmt **out,
                         struct gf_err *e);
/* Parameters are 1-based. */
int gf_stmt_bind_int(struct gf_stmt *st, int i, int64_t v);
int gf_stmt_bind_double(struct gf_stmt *st, int i, double v); /* NaN binds NULL */
int gf_stmt_bind_text(struct gf_stmt *st, int i, const char *s); /* NULL binds NULL; copied */
int gf_stmt_bind_null(struct gf_stmt *st, int i);
int gf_stmt_bind_blob(struct gf_stmt *st, int i, const void *p, size_t n); /* bytes, copied */
/* 1 = a row is ready, 0 = done, < 0 = error. */
int gf_stmt_step(struct gf_stmt *st, struct gf_err *e);
/* Columns are 0-based. */
int gf_stmt_is_null(struct gf_stmt *st, int col);
int64_t gf_stmt_int(struct gf_stmt *st, int col);
double gf_stmt_double(struct gf_stmt *st, int col); /* NULL → NaN */
const char *gf_stmt_text(struct gf_stmt *st, int col); /* NULL → NULL */
/* A column's bytes (valid until the next step, reset or finalize) and their number in *n. */
const void *gf_stmt_blob(struct gf_stmt *st, int col, size_t *n);
void gf_stmt_reset(struct gf_stmt *st);
void gf_stmt_finalize(struct gf_stmt *st);

/* Run one statement with no result; pass exactly one text argument (or NULL) per `?`. */
int gf_db_run(struct gf_db *db, struct gf_err *e, const char *sql, ...);
/* Single integer result of a query (first column of first row), def if no row or an error. */
int64_t gf_db_int(struct gf_db *db, const char *sql, int64_t def);
/* The same with one text parameter (NULL binds NULL); 0 if no row. */
int64_t gf_db_int_text(struct gf_db *db, const char *sql, const char *arg);

/* Write a consistent copy of the whole database to path (SQLite's online backup: other
 * connections may go on writing), as one self-contained file written under a temporary name and
 * renamed into place.  Refuses the database's own files.  Not inside a transaction. */
int gf_db_backup(struct gf_db *db, const char *path, struct gf_err *e);
/* Replace the whole content of the database by that of from (a backup opened with
 * gf_db_open_copy, or a database of either backend), in one step that other connections see as
 * a single change.  The caller verifies from first and the database afterwards.  Not inside a
 * transaction. */
int gf_db_restore(struct gf_db *db, struct gf_db *from, struct gf_err *e);
/* 1 when a gongfu database is at path (a file; a PostgreSQL database with gongfu's schema), 0
 * when none is there yet (no file; a PostgreSQL database without it), else an error code. */
int gf_db_exists(const char *path, struct gf_err *e);
/* Undo gf_db_open at a path where gf_db_exists said 0: remove the file and its companions, or
 * drop the tables and functions the schema made in the PostgreSQL database. */
int gf_db_remove(const char *path, struct gf_err *e);
/* Rows appended to one table in bulk, inside a transaction: SQLite writes multi-row INSERTs,
 * PostgreSQL COPY.  Give a row's fields in the order of cols (text with its length; NULL text or
 * a NaN double is NULL), then gf_db_append_row.  A row may be written later than it was given:
 * gf_db_append_row and gf_db_append_end report the failure of any row (a broken constraint is
 * GF_EUSER); end (or abort, on the way out of an error) frees the appender. */
struct gf_db_append;
int gf_db_append_begin(struct gf_db *db, const char *table, const char *const *cols, int ncols,
                       struct gf_db_append **out, struct gf_err *e);
void gf_db_append_text(struct gf_db_append *a, const char *s, size_t n);
void gf_db_append_int(struct gf_db_append *a, int64_t v);
void gf_db_append_double(struct gf_db_append *a, double v);
void gf_db_append_blob(struct gf_db_append *a, const void *p, size_t n);
void gf_db_append_null(struct gf_db_append *a);
int gf_db_append_row(struct gf_db_append *a, struct gf_err *e);
int gf_db_append_end(struct gf_db_append *a, struct gf_err *e);
void gf_db_append_abort(struct gf_db_append *a);
/* Replace every row of dst by the rows of src, a database of the same schema version on either
 * backend (the audit chain included, byte for byte).  Inside a transaction of dst. */
int gf_db_copy(struct gf_db *src, struct gf_db *dst, struct gf_err *e);
/* The names of the database's tables, sorted, NULL-terminated; free each and the array. */
char **gf_db_tables(struct gf_db *db, struct gf_err *e);
/* Remove every table with its data and recreate the newest empty schema.  Call it inside a
 * transaction (gf_db_begin), so that other connections see the old content or the new. */
int gf_db_clear(struct gf_db *db, struct gf_err *e);
/* 1 if some table holds rows beyond those a newly created database has, 0 if not, < 0 on error. */
int gf_db_holds_data(struct gf_db *db, struct gf_err *e);
/* 1 if writing a file at path would replace the database at db_path or a file that belongs to
 * it (SQLite: its -wal, -shm and -journal files), compared by identity, so another name or a
 * link for the same file is caught.  Output files are refused there. */
int gf_db_owns_file(const char *db_path, const char *path);

/* Schema migrations are grouped by module; each module lists its steps in order and the store
 * applies the ones not yet applied, each in its own transaction, when a database is opened.
 * Register a module by adding it to the table in schema.c. */
struct gf_migration_module {
    const char *module;
    const char *const *steps; /* NULL-terminated; never edit a step once released, append */
};

#endif
