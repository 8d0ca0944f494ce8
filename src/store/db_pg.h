/* db_pg.h — inside the store: the parts of the PostgreSQL backend (db_pg.c, pg_schema.c). */
#ifndef GF_DB_PG_H
#define GF_DB_PG_H

#include <stddef.h>

#include "store/db.h"

/* The SQL the domain writes, as PostgreSQL reads it: `?`, `?N` → `$N`, CAST … AS REAL/INTEGER
 * → DOUBLE PRECISION/BIGINT.  *nparams gets the number of parameters.  Caller frees. */
char *gf_pg_translate(const char *sql, int *nparams);

/* A CREATE TABLE (is_table) or CREATE INDEX of SQLite, as PostgreSQL writes it: BIGINT, DOUBLE
 * PRECISION, BYTEA; an identity for an INTEGER PRIMARY KEY, else a `rowid` column added;
 * foreign keys DEFERRABLE; reserved column names quoted.  Caller frees. */
char *gf_pg_table_sql(const char *sql, int is_table);

/* COPY … FROM STDIN: begin with the statement, put rows in COPY's text format, end (error
 * non-NULL abandons the copy). */
int gf_pg_copy_begin(struct gf_db *db, const char *sql, struct gf_err *e);
int gf_pg_copy_put(struct gf_db *db, const char *buf, size_t n, struct gf_err *e);
int gf_pg_copy_end(struct gf_db *db, const char *error, struct gf_err *e);

/* pg_schema.c: on open, check the database's schema or build it (create) from SQLite's. */
int gf_pg_schema_open(struct gf_db *db, int create, int read_only, struct gf_err *e);
char **gf_pg_tables(struct gf_db *db, struct gf_err *e);
int gf_pg_clear(struct gf_db *db, struct gf_err *e);
int gf_pg_backup(struct gf_db *db, const char *path, struct gf_err *e);
/* Empty every table (inside a transaction; foreign keys checked at the commit), ready for
 * gf_db_copy. */
int gf_pg_empty(struct gf_db *db, struct gf_err *e);
/* After rows were copied in with their ids: the next id of each table follows the largest. */
int gf_pg_sync_ids(struct gf_db *db, struct gf_err *e);

#endif
