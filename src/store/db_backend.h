/* db_backend.h — inside the store: what a backend (db_sqlite.c, db_pg.c) provides to db.c.
 *
 * db.c holds the public functions of db.h.  What every backend shares — the nesting of
 * transactions, savepoints and trials, the helpers that run one statement — lives there once;
 * the rest goes through the backend's table of operations.  A backend's handle and statement
 * start with struct gf_db and struct gf_stmt, so db.c reaches the shared part of either. */
#ifndef GF_DB_BACKEND_H
#define GF_DB_BACKEND_H

#include "store/db.h"

struct gf_db_ops;

struct gf_db {
    const struct gf_db_ops *ops;
    char *path;       /* as opened, for messages (a PostgreSQL URL without its password) */
    int depth;        /* nesting of gf_db_begin */
    int failed;       /* an inner rollback happened: the outermost commit must roll back */
    int damaged;      /* the database was found damaged: nothing is committed any more */
    int trial_failed; /* `failed` when the trial began, restored when it is undone */
    int read_only;    /* opened with gf_db_open_read */
    int temp_copy;    /* an upgraded temporary copy (gf_db_open_copy): removed when closed */
};

struct gf_stmt {
    struct gf_db *db;
};

/* 1 when the database is a PostgreSQL one (named by a URL), 0 for a SQLite file. */
int gf_db_is_pg(const struct gf_db *db);

struct gf_db_ops {
    const char *begin_sql;    /* how a write transaction starts */
    const char *defer_fk_sql; /* foreign keys checked at the commit */
    void (*close)(struct gf_db *db);
    int (*exec)(struct gf_db *db, const char *sql, struct gf_err *e);
    int64_t (*last_id)(struct gf_db *db);
    int64_t (*changes)(struct gf_db *db);
    void (*checkpoint)(struct gf_db *db);
    int64_t (*data_version)(struct gf_db *db);
    void (*bulk)(struct gf_db *db, int on);
    int (*prepare)(struct gf_db *db, const char *sql, struct gf_stmt **out, struct gf_err *e);
    int (*nparams)(struct gf_stmt *st);
    void (*stream)(struct gf_stmt *st); /* NULL: every statement streams already */
    int (*bind_int)(struct gf_stmt *st, int i, int64_t v);
    int (*bind_double)(struct gf_stmt *st, int i, double v); /* never NaN */
    int (*bind_text)(struct gf_stmt *st, int i, const char *s); /* never NULL */
    int (*bind_null)(struct gf_stmt *st, int i);
    /* text that stays where it is until the statement has run (not copied where the backend
     * can avoid it; the bulk appender's rows) */
    int (*bind_text_ref)(struct gf_stmt *st, int i, const char *s, size_t n);
    int (*bind_blob)(struct gf_stmt *st, int i, const void *p, size_t n);
    int (*step)(struct gf_stmt *st, struct gf_err *e);
    int (*is_null)(struct gf_stmt *st, int col);
    int64_t (*int_col)(struct gf_stmt *st, int col);
    double (*double_col)(struct gf_stmt *st, int col); /* never NULL */
    const char *(*text_col)(struct gf_stmt *st, int col);
    const void *(*blob_col)(struct gf_stmt *st, int col, size_t *n);
    void (*reset)(struct gf_stmt *st);
    void (*finalize)(struct gf_stmt *st);
    int (*backup)(struct gf_db *db, const char *path, struct gf_err *e);
    int (*restore)(struct gf_db *db, struct gf_db *from, struct gf_err *e); /* both its own */
    char **(*tables)(struct gf_db *db, struct gf_err *e);
    int (*clear)(struct gf_db *db, struct gf_err *e);
};

/* The SQLite backend (db_sqlite.c). */
int gf_sqlite_open_write(struct gf_db **out, const char *path, int create, struct gf_err *e);
int gf_sqlite_open_read(struct gf_db **out, const char *path, struct gf_err *e);
int gf_sqlite_open_copy(struct gf_db **out, const char *path, struct gf_err *e);
int gf_sqlite_owns_file(const char *db_path, const char *path);
/* A new in-memory SQLite database with the newest schema: what gongfu expects a database to
 * hold (the PostgreSQL backend builds its schema from it). */
int gf_sqlite_reference(struct gf_db **out, struct gf_err *e);
/* The SQL that made each table, index and trigger of a SQLite database, in the order they were
 * made; rows of (type, name, table, sql). */
int gf_sqlite_schema(struct gf_db *db, struct gf_stmt **out, struct gf_err *e);

/* The PostgreSQL backend (db_pg.c). */
int gf_pg_is_url(const char *path);
int gf_pg_open(struct gf_db **out, const char *url, int create, int read_only, struct gf_err *e);
/* 1 when both are connections to the same PostgreSQL database. */
int gf_pg_same_database(struct gf_db *a, struct gf_db *b);
/* Drop every table and the functions gongfu made: the database as it was before the schema. */
int gf_pg_drop_schema(struct gf_db *db, struct gf_err *e);

/* The first column of every row of a query (text), NULL-terminated; caller frees with
 * gf_db_free_names.  NULL on an error (in e). */
char **gf_db_names(struct gf_db *db, const char *sql, struct gf_err *e);
void gf_db_free_names(char **names);

#endif
