/* pg_schema.c — the schema of a PostgreSQL database: the one SQLite's migrations build.
 *
 * The migration steps (schema.c and schema_*.c) stay the one description of the schema.  A new
 * PostgreSQL database is made from a new SQLite one: every table and index as SQLite recorded
 * it, with its types named as PostgreSQL names them (BIGINT, DOUBLE PRECISION, BYTEA), foreign keys checked at the commit, an identity for the integer
 * keys and a `rowid` for the tables without one (the domain reads a few in insertion order);
 * The database must sort text by bytes, as SQLite does (collation C) and hold UTF-8: anything
 * else is refused when the schema is made, saying how to create one.
 * SQLite's triggers are written here again in PL/pgSQL; then the rows the steps insert (the
 * reference lists and the record of the steps themselves) are copied over.
 * A PostgreSQL database whose schema is older than this gongfu's is not upgraded in place: it is
 * refused, naming both versions (copy it out and in with `gongfu backup` / `restore`). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/db_backend.h"
#include "store/db_pg.h"
#include "store/schema.h"
#include "util/strbuf.h"

/* SQLite's scalar functions the domain's SQL uses, for PostgreSQL. */
static const char compat_functions[] =
    "CREATE OR REPLACE FUNCTION instr(text, text) RETURNS integer IMMUTABLE LANGUAGE sql"
    "  AS 'SELECT strpos($1, $2)';"
    "CREATE OR REPLACE FUNCTION julianday(text) RETURNS double precision IMMUTABLE LANGUAGE sql"
    "  AS 'SELECT extract(epoch FROM $1::timestamp)::double precision / 86400.0 + 2440587.5';"
    "CREATE OR REPLACE FUNCTION date(text, text) RETURNS text IMMUTABLE LANGUAGE sql"
    "  AS 'SELECT to_char($1::date + $2::interval, ''YYYY-MM-DD'')';"
    /* a member of a JSON object by a path "$.a.b", as text (SQLite's json_extract) */
    "CREATE OR REPLACE FUNCTION json_extract(text, text) RETURNS text IMMUTABLE LANGUAGE sql"
    "  AS 'SELECT ($1::jsonb) #>> string_to_array(substr($2, 3), ''.'')';"
    "CREATE OR REPLACE FUNCTION max(double precision, double precision) RETURNS double precision"
    "  IMMUTABLE LANGUAGE sql AS 'SELECT CASE WHEN $1 IS NULL OR $2 IS NULL THEN NULL"
    "  ELSE greatest($1, $2) END';"
    "CREATE OR REPLACE FUNCTION min(double precision, double precision) RETURNS double precision"
    "  IMMUTABLE LANGUAGE sql AS 'SELECT CASE WHEN $1 IS NULL OR $2 IS NULL THEN NULL"
    "  ELSE least($1, $2) END';"
    "CREATE OR REPLACE FUNCTION round(double precision, integer) RETURNS double precision"
    "  IMMUTABLE LANGUAGE sql AS 'SELECT round($1::numeric, $2)::double precision';"
    "CREATE OR REPLACE FUNCTION round(double precision) RETURNS double precision"
    "  IMMUTABLE LANGUAGE sql AS 'SELECT round($1::numeric)::double precision';";

/* SQLite's triggers (by name), as PostgreSQL writes them.  A trigger a migration step adds
 * must be added here too: building the schema fails naming it otherwise. */
static const struct {
    const char *name, *sql;
} triggers[] = {
    {"value_version",
     "CREATE OR REPLACE FUNCTION gf_value_version() RETURNS trigger LANGUAGE plpgsql AS $$"
     " BEGIN IF NEW.version = OLD.version THEN NEW.version := OLD.version + 1; END IF;"
     " RETURN NEW; END $$;"
     "CREATE TRIGGER value_version BEFORE UPDATE OF value, source, state, origin ON value"
     " FOR EACH ROW EXECUTE FUNCTION gf_value_version();"},
    {"unit_changed_i",
     "CREATE OR REPLACE FUNCTION gf_units_changed() RETURNS trigger LANGUAGE plpgsql AS $$"
     " BEGIN UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'units_version';"
     " RETURN NULL; END $$;"
     "CREATE TRIGGER unit_changed_i AFTER INSERT ON unit"
     " FOR EACH STATEMENT EXECUTE FUNCTION gf_units_changed();"},
    {"unit_changed_u", "CREATE TRIGGER unit_changed_u AFTER UPDATE ON unit"
                       " FOR EACH STATEMENT EXECUTE FUNCTION gf_units_changed();"},
    {"unit_changed_d", "CREATE TRIGGER unit_changed_d AFTER DELETE ON unit"
                       " FOR EACH STATEMENT EXECUTE FUNCTION gf_units_changed();"},
    {"user_changed_u",
     "CREATE OR REPLACE FUNCTION gf_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$"
     " BEGIN UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'auth_version';"
     " RETURN NULL; END $$;"
     "CREATE TRIGGER user_changed_u AFTER UPDATE ON app_user"
     " FOR EACH STATEMENT EXECUTE FUNCTION gf_auth_changed();"},
    {"user_changed_d", "CREATE TRIGGER user_changed_d AFTER DELETE ON app_user"
                       " FOR EACH STATEMENT EXECUTE FUNCTION gf_auth_changed();"},
    {"session_ended", "CREATE TRIGGER session_ended AFTER DELETE ON app_session"
                      " FOR EACH STATEMENT EXECUTE FUNCTION gf_auth_changed();"},
};

static int word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_';
}

/* The length of the word at p that is exactly `word` (upper case, as the steps write types and
 * keywords), 0 if another word stands there. */
static size_t is_word(const char *start, const char *p, const char *word)
{
    size_t n = strlen(word);
    return (p == start || !word_char(p[-1])) && !strncmp(p, word, n) && !word_char(p[n]) ? n
                                                                                           : 0;
}

static const char *skip_space(const char *p)
{
    while (*p == ' ' || *p == '\n' || *p == '\t')
        p++;
    return p;
}

/* A column named by a word PostgreSQL reserves (SQLite lets `end` name a column). */
static int reserved(const char *p, size_t n)
{
    static const char *const words[] = {"end", "user", "order", "group", "desc", "limit",
                                        "offset", "when", "then", "else", "case", "do", "to",
                                        "from", "where", "with", "only", "all", "any", "both",
                                        "column", "for", "into", "window", NULL};
    for (int i = 0; words[i]; i++)
        if (strlen(words[i]) == n && !strncmp(p, words[i], n))
            return 1;
    return 0;
}

/* After REFERENCES t(c) and its ON DELETE/UPDATE actions: where DEFERRABLE goes. */
static const char *after_reference(const char *p)
{
    p = skip_space(p + strlen("REFERENCES"));
    while (word_char(*p) || *p == '"')
        p++;
    p = skip_space(p);
    if (*p == '(') {
        while (*p && *p != ')')
            p++;
        if (*p)
            p++;
    }
    for (;;) {
        const char *q = skip_space(p);
        if (!strncmp(q, "ON DELETE ", 10) || !strncmp(q, "ON UPDATE ", 10)) {
            q += 10;
            static const char *const actions[] = {"CASCADE", "SET NULL", "SET DEFAULT",
                                                  "RESTRICT", "NO ACTION"};
            size_t k = 0;
            while (k < 5 && strncmp(q, actions[k], strlen(actions[k])))
                k++;
            if (k == 5)
                return p;
            p = q + strlen(actions[k]);
        } else
            return p;
    }
}

char *gf_pg_table_sql(const char *sql, int is_table)
{
    if (strstr(sql, "GENERATED BY DEFAULT AS IDENTITY")) /* written for PostgreSQL already */
        return strdup(sql);
    struct gf_strbuf b = {0};
    int depth = 0, has_int_key = strstr(sql, "INTEGER PRIMARY KEY") != NULL, closed = 0;
    const char *defer_at = NULL;
    for (const char *p = sql; *p && !b.err;) {
        size_t n;
        if (defer_at == p) {
            gf_strbuf_puts(&b, " DEFERRABLE");
            defer_at = NULL;
            continue;
        }
        if (*p == '\'' || *p == '"') {
            const char *q = p + 1;
            while (*q && !(*q == *p && q[1] != *p))
                q += *q == *p ? 2 : 1;
            if (*q)
                q++;
            gf_strbuf_put(&b, p, (size_t)(q - p));
            p = q;
            continue;
        }
        if (depth == 1 && is_table && (p[-1] == '(' || p[-1] == ',' || p[-1] == ' ')) {
            /* at the start of a column definition: quote a reserved name */
            const char *q = p - 1;
            while (*q == ' ')
                q--;
            size_t len = 0;
            while (word_char(p[len]))
                len++;
            if ((*q == '(' || *q == ',') && len && reserved(p, len)) {
                gf_strbuf_puts(&b, "\"");
                gf_strbuf_put(&b, p, len);
                gf_strbuf_puts(&b, "\"");
                p += len;
                continue;
            }
        }
        if (*p == '(')
            depth++;
        if (*p == ')') {
            if (--depth == 0 && is_table && !has_int_key && !closed++)
                gf_strbuf_puts(&b, ", rowid BIGINT GENERATED BY DEFAULT AS IDENTITY");
        }
        if ((n = is_word(sql, p, "INTEGER PRIMARY KEY"))) {
            gf_strbuf_puts(&b, "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
            p += n;
        } else if ((n = is_word(sql, p, "INTEGER"))) {
            gf_strbuf_puts(&b, "BIGINT");
            p += n;
        } else if ((n = is_word(sql, p, "REAL"))) {
            gf_strbuf_puts(&b, "DOUBLE PRECISION");
            p += n;
        } else if ((n = is_word(sql, p, "BLOB"))) {
            gf_strbuf_puts(&b, "BYTEA");
            p += n;
        } else if ((n = is_word(sql, p, "REFERENCES"))) {
            defer_at = after_reference(p);
            gf_strbuf_put(&b, p, n);
            p += n;
        } else
            gf_strbuf_put(&b, p++, 1);
    }
    if (defer_at)
        gf_strbuf_puts(&b, " DEFERRABLE");
    if (b.err) {
        gf_strbuf_free(&b);
        return NULL;
    }
    return b.p;
}

static int pg_trigger(struct gf_db *db, const char *name, struct gf_err *e)
{
    for (size_t i = 0; i < sizeof triggers / sizeof triggers[0]; i++)
        if (!strcmp(triggers[i].name, name))
            return gf_db_exec(db, triggers[i].sql, e);
    return gf_err_set(e, GF_ESYS,
                      "schema: trigger %s has no PostgreSQL version (add it to pg_schema.c)",
                      name);
}

/* Every table, index and trigger of ref, made in db (inside the caller's transaction).  A table
 * whose foreign key names a table made later is made after it, with its indexes and triggers. */
static int build(struct gf_db *db, struct gf_db *ref, struct gf_err *e)
{
    int rc = gf_db_exec(db, compat_functions, e);
    if (rc)
        return rc;
    struct gf_stmt *st;
    if ((rc = gf_sqlite_schema(ref, &st, e)))
        return rc;
    enum { LATER = 256 };
    char *later[LATER], *later_table[LATER];
    int nlater = 0;
    while (rc == GF_OK && (rc = gf_stmt_step(st, e)) == 1) {
        const char *type = gf_stmt_text(st, 0), *name = gf_stmt_text(st, 1);
        const char *table = gf_stmt_text(st, 2), *sql = gf_stmt_text(st, 3);
        int is_table = !strcmp(type, "table"), waits = 0;
        for (int i = 0; i < nlater && !waits; i++)
            waits = later_table[i] && !strcmp(later_table[i], table);
        char *pg = !strcmp(type, "trigger") ? NULL : gf_pg_table_sql(sql, is_table);
        if (!pg && strcmp(type, "trigger")) {
            rc = gf_err_set(e, GF_ENOMEM, "out of memory");
            break;
        }
        rc = GF_OK;
        if (waits || (is_table && nlater < LATER &&
                      (rc = gf_db_exec(db, "SAVEPOINT gf_table", e)) == GF_OK &&
                      gf_db_exec(db, pg, NULL) != GF_OK)) {
            /* a foreign key to a table not made yet (or its table waits): try it at the end */
            if (!waits)
                rc = gf_db_exec(db, "ROLLBACK TO gf_table", e);
            if (nlater == LATER) {
                free(pg);
                rc = gf_err_set(e, GF_ESYS, "schema: too many tables wait for others");
                break;
            }
            later_table[nlater] = is_table ? strdup(name) : NULL;
            later[nlater++] = pg ? pg : strdup(name); /* a trigger waits by its name */
            continue;
        }
        if (rc == GF_OK && is_table)
            rc = gf_db_exec(db, "RELEASE gf_table", e);
        else if (rc == GF_OK)
            rc = pg ? gf_db_exec(db, pg, e) : pg_trigger(db, name, e);
        free(pg);
    }
    gf_stmt_finalize(st);
    if (rc > 0)
        rc = GF_OK;
    for (int i = 0; i < nlater; i++) {
        if (rc == GF_OK)
            rc = strncmp(later[i], "CREATE", 6) ? pg_trigger(db, later[i], e)
                                                : gf_db_exec(db, later[i], e);
        free(later[i]);
        free(later_table[i]);
    }
    return rc;
}

char **gf_pg_tables(struct gf_db *db, struct gf_err *e)
{
    return gf_db_names(db,
                       "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                       " ORDER BY tablename",
                       e);
}

int gf_pg_empty(struct gf_db *db, struct gf_err *e)
{
    char **names = gf_pg_tables(db, e);
    if (!names)
        return e ? e->code : GF_ESYS;
    struct gf_strbuf b = {0};
    gf_strbuf_puts(&b, "SET CONSTRAINTS ALL DEFERRED; TRUNCATE ");
    for (size_t i = 0; names[i]; i++) {
        gf_strbuf_puts(&b, i ? ", \"" : "\"");
        gf_strbuf_puts(&b, names[i]);
        gf_strbuf_puts(&b, "\"");
    }
    gf_db_free_names(names);
    int rc = b.err ? gf_err_set(e, GF_ENOMEM, "out of memory") : gf_db_exec(db, b.p, e);
    gf_strbuf_free(&b);
    return rc;
}

int gf_pg_sync_ids(struct gf_db *db, struct gf_err *e)
{
    struct gf_stmt *st;
    int rc = gf_db_prepare(db,
                           "SELECT table_name, column_name FROM information_schema.columns"
                           " WHERE table_schema = current_schema() AND is_identity = 'YES'",
                           &st, e);
    if (rc)
        return rc;
    char sql[64][300];
    int n = 0;
    while ((rc = gf_stmt_step(st, e)) == 1 && n < 64)
        snprintf(sql[n++], sizeof sql[0],
                 "SELECT setval(pg_get_serial_sequence('\"%s\"', '%s'),"
                 " coalesce(max(\"%s\"), 0) + 1, false) FROM \"%s\"",
                 gf_stmt_text(st, 0), gf_stmt_text(st, 1), gf_stmt_text(st, 1),
                 gf_stmt_text(st, 0));
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    for (int i = 0; i < n; i++)
        if ((rc = gf_db_exec(db, sql[i], e)))
            return rc;
    return GF_OK;
}

/* Make the schema of a new database: tables, then the rows the steps insert. */
static int make_schema(struct gf_db *db, struct gf_err *e)
{
    struct gf_db *ref;
    int rc = gf_sqlite_reference(&ref, e);
    if (rc)
        return rc;
    rc = build(db, ref, e);
    if (rc == GF_OK)
        rc = gf_db_copy(ref, db, e);
    gf_db_close(ref);
    return rc;
}

static int drop_tables(struct gf_db *db, struct gf_err *e)
{
    char **names = gf_pg_tables(db, e);
    if (!names)
        return e ? e->code : GF_ESYS;
    int rc = GF_OK;
    for (size_t i = 0; rc == GF_OK && names[i]; i++) {
        char sql[300];
        snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS \"%s\" CASCADE", names[i]);
        rc = gf_db_exec(db, sql, e);
    }
    gf_db_free_names(names);
    return rc;
}

int gf_pg_clear(struct gf_db *db, struct gf_err *e)
{
    int rc = drop_tables(db, e);
    if (rc == GF_OK)
        rc = make_schema(db, e);
    return rc;
}

/* The names of the functions some SQL makes ("CREATE OR REPLACE FUNCTION name("), as a list
 * of SQL strings "'a', 'b'" appended to b. */
static void function_names(struct gf_strbuf *b, const char *sql)
{
    static const char make[] = "CREATE OR REPLACE FUNCTION ";
    for (const char *p = strstr(sql, make); p; p = strstr(p, make)) {
        p += sizeof make - 1;
        size_t n = strcspn(p, "(");
        gf_strbuf_puts(b, b->n ? ", '" : "'");
        gf_strbuf_put(b, p, n);
        gf_strbuf_puts(b, "'");
    }
}

int gf_pg_drop_schema(struct gf_db *db, struct gf_err *e)
{
    int rc = drop_tables(db, e);
    if (rc)
        return rc;
    /* the functions make_schema made: SQLite's and the triggers' */
    struct gf_strbuf names = {0}, sql = {0};
    function_names(&names, compat_functions);
    for (size_t i = 0; i < sizeof triggers / sizeof triggers[0]; i++)
        function_names(&names, triggers[i].sql);
    gf_strbuf_puts(&sql, "DO $$ DECLARE f regprocedure; BEGIN FOR f IN SELECT p.oid::regprocedure"
                         " FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace"
                         " AND p.proname IN (");
    gf_strbuf_put(&sql, names.p, names.n);
    gf_strbuf_puts(&sql, ") LOOP EXECUTE 'DROP FUNCTION ' || f::text || ' CASCADE'; END LOOP;"
                         " END $$");
    rc = names.err || sql.err ? gf_err_set(e, GF_ENOMEM, "out of memory") : gf_db_exec(db, sql.p, e);
    gf_strbuf_free(&names);
    gf_strbuf_free(&sql);
    return rc;
}

int gf_pg_schema_open(struct gf_db *db, int create, int read_only, struct gf_err *e)
{
    int has = (int)gf_db_int(db, "SELECT to_regclass('schema_migration') IS NOT NULL", -1);
    if (has < 0)
        return gf_err_set(e, GF_ESYS, "%s: cannot read the database's tables", db->path);
    if (!has) {
        if (gf_db_int(db,
                      "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()", 0) >
            0)
            return gf_err_set(e, GF_EUSER,
                              "%s: not a gongfu database (it has tables but no "
                              "schema_migration): gongfu will not use it",
                              db->path);
        if (!create)
            return gf_err_set(e, GF_ENOTFOUND,
                              "%s: no gongfu database here (create it with `gongfu init`, "
                              "`gongfu demo` or `gongfu migrate`)",
                              db->path);
        if (gf_db_int(db,
                      "SELECT count(*) FROM pg_database WHERE datname = current_database()"
                      " AND datcollate IN ('C', 'POSIX', 'C.UTF-8', 'C.utf8')"
                      " AND datctype IN ('C', 'POSIX', 'C.UTF-8', 'C.utf8')"
                      " AND pg_encoding_to_char(encoding) = 'UTF8'",
                      0) != 1)
            return gf_err_set(e, GF_EUSER,
                              "%s: gongfu needs a database that holds UTF-8 and sorts text by "
                              "bytes (as SQLite does, so both give the same order); create it "
                              "with: CREATE DATABASE name TEMPLATE template0 ENCODING 'UTF8' "
                              "LOCALE 'C'",
                              db->path);
        int rc = gf_db_begin(db, e);
        if (rc)
            return rc;
        /* another process may have made it while this one waited for the lock */
        if (gf_db_int(db, "SELECT to_regclass('schema_migration') IS NOT NULL", 0) == 0)
            rc = make_schema(db, e);
        if ((rc = gf_db_end(db, rc, e)))
            gf_err_prefix(e, "%s", db->path);
        if (rc == GF_OK)
            rc = gf_pg_sync_ids(db, e);
        return rc;
    }
    struct gf_schema_state s;
    int rc = gf_schema_state(db, &s, e);
    if (rc)
        return rc;
    if (s.newer && !read_only)
        return gf_err_set(e, GF_EUSER,
                          "%s: written by a newer gongfu: its schema is [%s], this gongfu's is "
                          "[%s]; refusing to write to it (use a newer gongfu)",
                          db->path, s.theirs, s.ours);
    if (s.pending)
        return gf_err_set(e, GF_EUSER,
                          "%s: its schema [%s] is older than this gongfu's [%s]; a PostgreSQL "
                          "database is not upgraded in place: back it up with the gongfu that "
                          "wrote it and restore it into a new database with this one",
                          db->path, s.theirs, s.ours);
    return GF_OK;
}

/* A backup of a PostgreSQL database is a gongfu SQLite file: the same self-contained file a
 * SQLite database's backup is, which `backup` checks after writing it and `restore` reads on
 * either backend.  It is read in one snapshot (a repeatable-read transaction). */
int gf_pg_backup(struct gf_db *db, const char *path, struct gf_err *e)
{
    if (gf_pg_is_url(path))
        return gf_err_at(e, NULL, 0, "file", path,
                         "a file other than the database itself (a backup is a SQLite file; into "
                         "another PostgreSQL database: gongfu migrate)");
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.part", path);
    unlink(tmp);
    struct gf_db *out;
    int rc = gf_sqlite_open_write(&out, tmp, 1, e);
    if (rc)
        return rc;
    chmod(tmp, 0600); /* every personal record: the owner's to read */
    rc = gf_db_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", e);
    if (rc == GF_OK) {
        db->depth++;
        if ((rc = gf_db_begin(out, e)) == GF_OK) {
            rc = gf_db_copy(db, out, e);
            rc = gf_db_end(out, rc, e);
        }
        db->depth--;
        gf_db_exec(db, "ROLLBACK", NULL);
    }
    if (rc == GF_OK) /* one file: no write-ahead log beside it (as a SQLite backup) */
        rc = gf_db_exec(out, "PRAGMA journal_mode = DELETE", e);
    gf_db_close(out);
    if (rc == GF_OK && rename(tmp, path) != 0)
        rc = gf_err_set(e, GF_EUSER, "backup: cannot write %s", path);
    if (rc)
        gf_db_remove(tmp, NULL);
    return rc;
}
