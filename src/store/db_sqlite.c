/* db_sqlite.c — the SQLite backend of the store (db.h): WAL, foreign keys, synchronous=FULL,
 * migrations on open, nested transactions, read-only opens, damage detection. */
#include "store/db.h"

#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/db_backend.h"
#include "store/schema.h"

/* Prepared statements are cached by their SQL text: gf_stmt_finalize on a cached statement
 * only resets it, and the next gf_db_prepare of the same text reuses it.  Row-by-row imports
 * prepare the same few statements millions of times. */
#define STMT_CACHE 64

struct lite_stmt {
    struct gf_stmt b;
    sqlite3_stmt *s;
    char *sql; /* non-NULL when cached */
    int in_use;
};

struct lite_db {
    struct gf_db b;
    sqlite3 *h;
    struct lite_stmt *cache[STMT_CACHE];
    int ncache;
};

#define LD(db) ((struct lite_db *)(db))
#define LS(st) ((struct lite_stmt *)(st))

static const struct gf_db_ops lite_ops;

/* One message for every SQLite failure: a damaged file says so (and nothing is committed after
 * it), a read-only database says so, a broken constraint is bad data, the rest a system error. */
static int code_of(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_READONLY:
    case SQLITE_CONSTRAINT:
        return GF_EUSER;
    default:
        return GF_ESYS;
    }
}

static int fail(struct gf_db *db, struct gf_err *e, int rc, const char *detail)
{
    switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        db->damaged = 1;
        return gf_err_set(e, GF_EUSER,
                          "%s: the database file is damaged (%s): gongfu will not use it; "
                          "restore it from a backup",
                          db->path, detail);
    case SQLITE_READONLY:
        return gf_err_set(e, GF_EUSER, "%s: the database is read-only here (%s)", db->path, detail);
    default:
        return gf_err_set(e, code_of(rc), "database: %s", detail);
    }
}

static int damaged_code(int rc)
{
    return (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB;
}

/* Run sql and return SQLite's result code (SQLITE_OK, or the error, with e filled). */
static int run_sql(struct gf_db *db, const char *sql, struct gf_err *e)
{
    char *msg = NULL;
    int rc = sqlite3_exec(LD(db)->h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fail(db, e, sqlite3_extended_errcode(LD(db)->h), msg ? msg : sqlite3_errmsg(LD(db)->h));
    sqlite3_free(msg);
    return rc;
}

/* A writable file or directory: the system allows it and its mode does not forbid it (root
 * may write anywhere, but a file made read-only is left alone by gongfu even then). */
static int may_write(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && (sb.st_mode & 0222) && access(path, W_OK) == 0;
}

static void dir_of(const char *path, char *dir, size_t cap)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, cap, ".");
    else
        snprintf(dir, cap, "%.*s", slash == path ? 1 : (int)(slash - path), path);
}

/* GF_OK if a database at path can be written: the file (when it exists) and its directory,
 * where SQLite keeps its -wal and -shm files. */
static int check_writable(const char *path, int exists, struct gf_err *e)
{
    char dir[PATH_MAX];
    dir_of(path, dir, sizeof dir);
    if (exists && !may_write(path))
        return gf_err_set(e, GF_EUSER, "%s: the database file is read-only: refusing to change it",
                          path);
    if (!may_write(dir))
        return gf_err_set(e, GF_EUSER,
                          "%s: its directory %s is read-only: refusing to write the database "
                          "(SQLite keeps its journal beside it)",
                          path, dir);
    return GF_OK;
}

static int connect(struct gf_db *db, const char *name, int flags, struct gf_err *e)
{
    /* a connection is used by one thread at a time: no per-call mutex */
    int rc = sqlite3_open_v2(name, &LD(db)->h, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        gf_err_set(e, GF_ESYS, "%s: cannot open database: %s", db->path,
                   LD(db)->h ? sqlite3_errmsg(LD(db)->h) : "out of memory");
        sqlite3_close(LD(db)->h);
        LD(db)->h = NULL;
        return rc;
    }
    sqlite3_busy_timeout(LD(db)->h, 10000);
    sqlite3_extended_result_codes(LD(db)->h, 1);
    return SQLITE_OK;
}

static struct gf_db *new_db(const char *path)
{
    struct lite_db *ld = calloc(1, sizeof *ld);
    if (!ld)
        return NULL;
    ld->b.ops = &lite_ops;
    if (!(ld->b.path = strdup(path))) {
        free(ld);
        return NULL;
    }
    return &ld->b;
}

static int no_such_database(const char *path, struct gf_err *e)
{
    return gf_err_set(e, GF_EUSER,
                      "%s: no such database (create it with `gongfu init` or `gongfu demo`)", path);
}

/* The end of every open: hand db out when rc is GF_OK, else close it. */
static int finish_open(struct gf_db **out, struct gf_db *db, int rc)
{
    if (rc) {
        gf_db_close(db);
        return rc;
    }
    *out = db;
    return GF_OK;
}

/* A new in-memory database with the newest schema: what gongfu expects a database to hold. */
int gf_sqlite_reference(struct gf_db **out, struct gf_err *e)
{
    struct gf_db *ref = new_db(":memory:");
    if (!ref)
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    int rc = connect(ref, ":memory:", SQLITE_OPEN_READWRITE, e) ? GF_ESYS : GF_OK;
    if (rc == GF_OK)
        rc = gf_schema_migrate(ref, e);
    return finish_open(out, ref, rc);
}

static void quote_ident(char *out, size_t cap, const char *name)
{
    size_t o = 0;
    out[o++] = '"';
    for (const char *p = name; *p && o + 3 < cap; p++) {
        if (*p == '"')
            out[o++] = '"';
        out[o++] = *p;
    }
    out[o++] = '"';
    out[o] = 0;
}

/* The database is damaged, or not as expected (what says why): describe it with SQLite's own
 * check, which reads every page, and refuse it. */
static int refuse_damaged(struct gf_db *db, const char *what, struct gf_err *e)
{
    char found[600] = "";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(LD(db)->h, "PRAGMA quick_check(5)", -1, &st, NULL) == SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *text = (const char *)sqlite3_column_text(st, 0);
            char row[400];
            snprintf(row, sizeof row, "%s", text ? text : "");
            /* one finding a line, after a "*** in database main ***" heading */
            for (char *line = strtok(row, "\n"); line; line = strtok(NULL, "\n")) {
                size_t len = strlen(found);
                if (strcmp(line, "ok") && strncmp(line, "***", 3))
                    snprintf(found + len, sizeof found - len, "%s%s", len ? "; " : "", line);
            }
        }
        sqlite3_finalize(st);
    }
    db->damaged = 1;
    if (found[0])
        return gf_err_set(e, GF_EUSER,
                          "%s: the database file is damaged (%s; %s): gongfu will not use it; "
                          "restore it from a backup",
                          db->path, what, found);
    return gf_err_set(e, GF_EUSER,
                      "%s: the database file is damaged or was changed outside gongfu (%s): "
                      "gongfu will not use it; restore it from a backup",
                      db->path, what);
}

/* The first read failed with rc: a file that is not a database says so, any other damage is
 * described by refuse_damaged. */
static int refuse_unopenable(struct gf_db *db, int rc, struct gf_err *e)
{
    char what[300];
    snprintf(what, sizeof what, "it cannot be opened: %s", sqlite3_errstr(rc));
    if ((rc & 0xff) != SQLITE_NOTADB)
        return refuse_damaged(db, what, e);
    db->damaged = 1;
    return gf_err_set(e, GF_EUSER,
                      "%s: not a database file, or its header is damaged (%s): gongfu will not "
                      "use it",
                      db->path, sqlite3_errstr(rc));
}

/* Every table and index a database of this schema must have is there, and the first page of
 * each can be read (a damaged root page shows here, not later as missing rows).  A database
 * written by a newer gongfu may have more. */
static int check_objects(struct gf_db *db, struct gf_err *e)
{
    struct gf_db *ref;
    int rc = gf_sqlite_reference(&ref, e);
    if (rc)
        return rc;
    sqlite3_stmt *want = NULL, *have = NULL;
    char what[300] = "";
    if (sqlite3_prepare_v2(LD(ref)->h,
                           "SELECT type, name, tbl_name FROM sqlite_schema WHERE type IN"
                           " ('table', 'index') AND name <> 'sqlite_sequence' ORDER BY rowid",
                           -1, &want, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(LD(db)->h, "SELECT 1 FROM sqlite_schema WHERE type = ? AND name = ?", -1,
                           &have, NULL) != SQLITE_OK) {
        rc = fail(db, e, sqlite3_extended_errcode(LD(db)->h), sqlite3_errmsg(LD(db)->h));
        if (damaged_code(rc))
            snprintf(what, sizeof what, "its schema cannot be read");
        goto out;
    }
    while (!what[0] && sqlite3_step(want) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(want, 0);
        const char *name = (const char *)sqlite3_column_text(want, 1);
        const char *table = (const char *)sqlite3_column_text(want, 2);
        sqlite3_bind_text(have, 1, type, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(have, 2, name, -1, SQLITE_TRANSIENT);
        int found = sqlite3_step(have);
        sqlite3_reset(have);
        if (damaged_code(found)) {
            snprintf(what, sizeof what, "its schema cannot be read");
            break;
        }
        if (found != SQLITE_ROW) {
            snprintf(what, sizeof what, "%s '%s' is missing", type, name);
            break;
        }
        char qn[200], qt[200], sql[500];
        quote_ident(qn, sizeof qn, name);
        quote_ident(qt, sizeof qt, table);
        if (!strcmp(type, "table"))
            snprintf(sql, sizeof sql, "SELECT * FROM %s NOT INDEXED LIMIT 1", qn);
        else
            snprintf(sql, sizeof sql, "SELECT 1 FROM %s INDEXED BY %s LIMIT 1", qt, qn);
        sqlite3_stmt *probe;
        int prc = sqlite3_prepare_v2(LD(db)->h, sql, -1, &probe, NULL);
        if (prc == SQLITE_OK) {
            prc = sqlite3_step(probe);
            sqlite3_finalize(probe);
        }
        /* only damage counts: a plan SQLite will not make (INDEXED BY) proves nothing */
        if (damaged_code(prc))
            snprintf(what, sizeof what, "%s '%s' cannot be read", type, name);
    }
out:
    sqlite3_finalize(want);
    sqlite3_finalize(have);
    gf_db_close(ref);
    if (what[0])
        return refuse_damaged(db, what, e);
    return rc;
}

/* The first read of a database: SQLite reads the header and the schema here. */
static int first_read(struct gf_db *db, struct gf_err *e)
{
    return run_sql(db, "SELECT count(*) FROM sqlite_schema", e);
}

/* Tables but no schema_migration: another program's database, never ours to change. */
static int check_ours(struct gf_db *db, struct gf_err *e)
{
    if (gf_db_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'schema_migration'", 0) ==
            0 &&
        gf_db_int(db, "SELECT count(*) FROM sqlite_schema", 0) > 0)
        return gf_err_set(e, GF_EUSER,
                          "%s: not a gongfu database (it has tables but no schema_migration): "
                          "gongfu will not use it",
                          db->path);
    return GF_OK;
}

/* Open to write: create (if create) or open, refuse what must not be written, migrate, check. */
static int open_write(struct gf_db **out, const char *path, int create, struct gf_err *e)
{
    *out = NULL;
    struct stat sb;
    int exists = stat(path, &sb) == 0;
    if (!create && !exists)
        return no_such_database(path, e);
    int rc = check_writable(path, exists, e);
    if (rc)
        return rc;
    struct gf_db *db = new_db(path);
    if (!db)
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    if (connect(db, path, SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0), e)) {
        gf_db_close(db);
        return GF_ESYS;
    }
    rc = first_read(db, e);
    if (damaged_code(rc))
        rc = refuse_unopenable(db, rc, e);
    else if (rc)
        rc = GF_ESYS;
    if (rc == GF_OK)
        rc = check_ours(db, e);
    if (rc == GF_OK &&
        run_sql(db,
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                "PRAGMA temp_store=MEMORY;",
                e))
        rc = db->damaged ? GF_EUSER : GF_ESYS; /* e says which */
    if (rc == GF_OK && (rc = gf_schema_migrate(db, e)) && !db->damaged)
        gf_err_prefix(e, "%s", path);
    if (rc == GF_OK)
        rc = check_objects(db, e);
    return finish_open(out, db, rc);
}

/* A URI that opens path as immutable: nothing is locked, no -shm is needed. */
static int immutable_uri(char *out, size_t cap, const char *path)
{
    size_t o = (size_t)snprintf(out, cap, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (o + 4 >= cap)
            return -1;
        if (*p == '%' || *p == '?' || *p == '#' ||
            (p == (const unsigned char *)path && *p == '/' && p[1] == '/'))
            o += (size_t)snprintf(out + o, cap - o, "%%%02X", *p);
        else
            out[o++] = (char)*p;
    }
    return snprintf(out + o, cap - o, "?immutable=1") < (int)(cap - o) ? 0 : -1;
}

/* A write-ahead log with something in it: the database's newest content is there. */
static int wal_has_content(const char *path)
{
    char wal[PATH_MAX];
    struct stat sb;
    snprintf(wal, sizeof wal, "%s-wal", path);
    return stat(wal, &sb) == 0 && sb.st_size > 0;
}

static int lite_backup(struct gf_db *db, const char *path, struct gf_err *e);

/* A database of an older schema that is to be read as it is (a backup to restore): backed up
 * to a temporary file (0600, as every backup), which is upgraded and opened for writing
 * instead; the file is removed when the copy is closed. */
static int open_upgraded_copy(struct gf_db *from, struct gf_db **out, struct gf_err *e)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s/gongfu-upgrade-XXXXXX", dir);
    int fd = mkstemp(tmp); /* the name, no one else's */
    if (fd < 0)
        return gf_err_set(e, GF_ESYS, "%s: a copy of it to upgrade cannot be made in %s: %s",
                          from->path, dir, strerror(errno));
    close(fd);
    int rc = lite_backup(from, tmp, e);
    if (rc == GF_OK && (rc = open_write(out, tmp, 0, e)) == GF_OK)
        (*out)->temp_copy = 1;
    else
        gf_db_remove(tmp, NULL);
    return rc;
}

/* Open path to read; a database of an older schema is upgraded first where it can be written
 * (upgrade = 1), or read through an upgraded temporary copy (0: the file stays as it is). */
static int open_read(struct gf_db **out, const char *path, int upgrade, struct gf_err *e)
{
    *out = NULL;
    if (access(path, F_OK) != 0)
        return no_such_database(path, e);
    struct gf_db *db = new_db(path);
    if (!db)
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    int rc = connect(db, path, SQLITE_OPEN_READONLY, e) ? GF_ESYS : GF_OK;
    if (rc == GF_OK && (rc = first_read(db, e))) {
        int base = rc & 0xff;
        if ((base == SQLITE_READONLY || base == SQLITE_CANTOPEN) && !wal_has_content(path)) {
            /* a WAL database where its -shm cannot be made (read-only media): with no log to
             * read, the file alone is the database */
            char uri[PATH_MAX + 64];
            sqlite3_close_v2(LD(db)->h);
            LD(db)->h = NULL;
            rc = immutable_uri(uri, sizeof uri, path) ? SQLITE_CANTOPEN : SQLITE_OK;
            if (rc == SQLITE_OK)
                rc = connect(db, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, e);
            if (rc == SQLITE_OK)
                rc = first_read(db, e);
        }
        if (damaged_code(rc))
            rc = refuse_unopenable(db, rc, e);
        else if (rc) {
            if (code_of(rc) == GF_ESYS)
                gf_err_prefix(e, "%s: cannot read the database", path);
            rc = code_of(rc);
        }
    }
    if (rc == GF_OK)
        rc = check_ours(db, e);
    struct gf_schema_state s;
    if (rc == GF_OK && (rc = gf_schema_state(db, &s, e)) == GF_OK && s.pending && !s.newer) {
        if (!upgrade) {
            rc = open_upgraded_copy(db, out, e);
            gf_db_close(db);
            return rc;
        }
        /* an older schema: upgrade it where it can be written, as any command did before */
        gf_db_close(db);
        struct stat sb;
        int exists = stat(path, &sb) == 0;
        if (check_writable(path, exists, NULL) == GF_OK)
            return open_write(out, path, 0, e);
        return gf_err_set(e, GF_EUSER,
                          "%s: its schema [%s] is older than this gongfu's [%s] and it cannot "
                          "be upgraded here (read-only); upgrade it with `gongfu init` where it "
                          "can be written",
                          path, s.theirs, s.ours);
    }
    if (rc == GF_OK)
        rc = check_objects(db, e);
    return finish_open(out, db, rc);
}

int gf_sqlite_open_read(struct gf_db **out, const char *path, struct gf_err *e)
{
    return open_read(out, path, 1, e);
}

int gf_sqlite_open_copy(struct gf_db **out, const char *path, struct gf_err *e)
{
    return open_read(out, path, 0, e);
}

int gf_sqlite_open_write(struct gf_db **out, const char *path, int create, struct gf_err *e)
{
    return open_write(out, path, create, e);
}

static void lite_close(struct gf_db *db)
{
    for (int i = 0; i < LD(db)->ncache; i++) {
        sqlite3_finalize(LD(db)->cache[i]->s);
        free(LD(db)->cache[i]->sql);
        free(LD(db)->cache[i]);
    }
    sqlite3_close_v2(LD(db)->h);
    if (db->temp_copy)
        gf_db_remove(db->path, NULL);
    free(db->path);
    free(db);
}

static int lite_exec(struct gf_db *db, const char *sql, struct gf_err *e)
{
    int rc = run_sql(db, sql, e);
    return rc == SQLITE_OK ? GF_OK : code_of(rc);
}

static int64_t lite_last_id(struct gf_db *db)
{
    return sqlite3_last_insert_rowid(LD(db)->h);
}

static int64_t lite_changes(struct gf_db *db)
{
    return sqlite3_changes64(LD(db)->h);
}

static void lite_checkpoint(struct gf_db *db)
{
    gf_db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL);
}

static int64_t lite_data_version(struct gf_db *db)
{
    return gf_db_int(db, "PRAGMA data_version", 0);
}

static void lite_bulk(struct gf_db *db, int on)
{
    gf_db_exec(db,
               on == 1   ? "PRAGMA cache_size=-262144"
               : on == 2 ? "PRAGMA cache_size=-8192"
                         : "PRAGMA cache_size=-2000",
               NULL);
}

static int lite_prepare(struct gf_db *db, const char *sql, struct gf_stmt **out, struct gf_err *e)
{
    for (int i = 0; i < LD(db)->ncache; i++)
        if (!LD(db)->cache[i]->in_use && !strcmp(LD(db)->cache[i]->sql, sql)) {
            LD(db)->cache[i]->in_use = 1;
            *out = &LD(db)->cache[i]->b;
            return GF_OK;
        }
    struct lite_stmt *st = calloc(1, sizeof *st);
    if (!st)
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    st->b.db = db;
    if (sqlite3_prepare_v2(LD(db)->h, sql, -1, &st->s, NULL) != SQLITE_OK) {
        char detail[400];
        snprintf(detail, sizeof detail, "%s (in: %.200s)", sqlite3_errmsg(LD(db)->h), sql);
        int rc = fail(db, e, sqlite3_extended_errcode(LD(db)->h), detail);
        free(st);
        return rc;
    }
    if (LD(db)->ncache < STMT_CACHE && (st->sql = strdup(sql)) != NULL) {
        st->in_use = 1;
        LD(db)->cache[LD(db)->ncache++] = st;
    }
    *out = &st->b;
    return GF_OK;
}

static int lite_nparams(struct gf_stmt *st)
{
    return sqlite3_bind_parameter_count(LS(st)->s);
}

static int lite_bind_int(struct gf_stmt *st, int i, int64_t v)
{
    return sqlite3_bind_int64(LS(st)->s, i, v) == SQLITE_OK ? GF_OK : GF_ESYS;
}

static int lite_bind_double(struct gf_stmt *st, int i, double v)
{
    return sqlite3_bind_double(LS(st)->s, i, v) == SQLITE_OK ? GF_OK : GF_ESYS;
}

static int lite_bind_text(struct gf_stmt *st, int i, const char *s)
{
    return sqlite3_bind_text(LS(st)->s, i, s, -1, SQLITE_TRANSIENT) == SQLITE_OK ? GF_OK : GF_ESYS;
}

static int lite_bind_text_ref(struct gf_stmt *st, int i, const char *s, size_t n)
{
    return sqlite3_bind_text(LS(st)->s, i, s, (int)n, SQLITE_STATIC) == SQLITE_OK ? GF_OK : GF_ESYS;
}

static int lite_bind_blob(struct gf_stmt *st, int i, const void *p, size_t n)
{
    return sqlite3_bind_blob(LS(st)->s, i, p, (int)n, SQLITE_TRANSIENT) == SQLITE_OK ? GF_OK
                                                                                    : GF_ESYS;
}

static int lite_bind_null(struct gf_stmt *st, int i)
{
    return sqlite3_bind_null(LS(st)->s, i) == SQLITE_OK ? GF_OK : GF_ESYS;
}

static int lite_step(struct gf_stmt *st, struct gf_err *e)
{
    int rc = sqlite3_step(LS(st)->s);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    int code = fail(st->db, e, sqlite3_extended_errcode(LD(st->db)->h), sqlite3_errmsg(LD(st->db)->h));
    sqlite3_reset(LS(st)->s);
    return code;
}

static int lite_is_null(struct gf_stmt *st, int col)
{
    return sqlite3_column_type(LS(st)->s, col) == SQLITE_NULL;
}

static int64_t lite_int(struct gf_stmt *st, int col)
{
    return sqlite3_column_int64(LS(st)->s, col);
}

static double lite_double(struct gf_stmt *st, int col)
{
    return sqlite3_column_double(LS(st)->s, col);
}

static const char *lite_text(struct gf_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(LS(st)->s, col);
}

static const void *lite_blob(struct gf_stmt *st, int col, size_t *n)
{
    const void *p = sqlite3_column_blob(LS(st)->s, col);
    *n = (size_t)sqlite3_column_bytes(LS(st)->s, col);
    return p;
}

static void lite_reset(struct gf_stmt *st)
{
    sqlite3_reset(LS(st)->s);
    sqlite3_clear_bindings(LS(st)->s);
}

static void lite_finalize(struct gf_stmt *st)
{
    if (LS(st)->sql) { /* cached: keep it for the next prepare of the same text */
        sqlite3_reset(LS(st)->s);
        sqlite3_clear_bindings(LS(st)->s);
        LS(st)->in_use = 0;
        return;
    }
    sqlite3_finalize(LS(st)->s);
    free(st);
}

/* Names of the tables of db (not SQLite's own), newest first; NULL-terminated, caller frees. */
static char **table_names(struct gf_db *db, struct gf_err *e)
{
    return gf_db_names(db,
                       "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE"
                       " 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid DESC",
                       e);
}

static int lite_clear(struct gf_db *db, struct gf_err *e)
{
    char **names = table_names(db, e);
    if (!names)
        return e ? e->code : GF_ESYS;
    /* newest first drops a referencing table before the table it references; deferring the
     * foreign keys to the commit covers the rest (by then every table is new and empty) */
    int rc = gf_db_exec(db, "PRAGMA defer_foreign_keys = ON", e);
    for (size_t i = 0; rc == GF_OK && names[i]; i++) {
        char q[300], sql[400];
        quote_ident(q, sizeof q, names[i]);
        snprintf(sql, sizeof sql, "DROP TABLE %s", q);
        rc = gf_db_exec(db, sql, e);
    }
    gf_db_free_names(names);
    if (rc == GF_OK)
        rc = gf_schema_migrate(db, e);
    return rc;
}

int gf_sqlite_owns_file(const char *db_path, const char *path)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    struct stat out;
    int exists = stat(path, &out) == 0;
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        char name[PATH_MAX];
        struct stat sb;
        snprintf(name, sizeof name, "%s%s", db_path, suffix[i]);
        if (exists ? stat(name, &sb) == 0 && sb.st_dev == out.st_dev && sb.st_ino == out.st_ino
                   : !strcmp(name, path))
            return 1;
    }
    return 0;
}

/* ---- backup and restore -------------------------------------------------------------------- */

/* Copy every page of src's main database into dest's, in steps so that writers of src are not
 * blocked for long (a write between steps restarts the copy; the copy is a consistent snapshot). */
static int copy_pages(sqlite3 *dest, sqlite3 *src, const char *what, struct gf_err *e)
{
    sqlite3_backup *b = sqlite3_backup_init(dest, "main", src, "main");
    if (!b)
        return gf_err_set(e, GF_ESYS, "%s: %s", what, sqlite3_errmsg(dest));
    int rc;
    while ((rc = sqlite3_backup_step(b, 1024)) == SQLITE_OK || rc == SQLITE_BUSY ||
           rc == SQLITE_LOCKED)
        if (rc != SQLITE_OK)
            sqlite3_sleep(20);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE)
        return gf_err_set(e, code_of(rc), "%s: %s", what, sqlite3_errstr(rc));
    return GF_OK;
}

static int lite_backup(struct gf_db *db, const char *path, struct gf_err *e)
{
    if (gf_sqlite_owns_file(db->path, path))
        return gf_err_at(e, NULL, 0, "file", path, "a file other than the database itself");
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s.part", path);
    unlink(tmp);
    sqlite3 *out = NULL;
    int rc = sqlite3_open_v2(tmp, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        rc = gf_err_set(e, GF_EUSER, "backup: cannot create %s: %s", tmp,
                        out ? sqlite3_errmsg(out) : sqlite3_errstr(rc));
        sqlite3_close_v2(out);
        return rc;
    }
    chmod(tmp, 0600); /* every personal record: the owner's to read */
    rc = copy_pages(out, LD(db)->h, "backup", e);
    /* one file: no write-ahead log beside it */
    if (rc == GF_OK && sqlite3_exec(out, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK)
        rc = gf_err_set(e, GF_ESYS, "backup: %s", sqlite3_errmsg(out));
    sqlite3_close_v2(out);
    if (rc == GF_OK && rename(tmp, path) != 0)
        rc = gf_err_set(e, GF_EUSER, "backup: cannot write %s: %s", path, strerror(errno));
    if (rc)
        unlink(tmp);
    return rc;
}

static int lite_restore(struct gf_db *db, struct gf_db *from, struct gf_err *e)
{
    if (gf_sqlite_owns_file(db->path, from->path))
        return gf_err_at(e, NULL, 0, "file", from->path, "a backup, not the database itself");
    for (int i = 0; i < LD(db)->ncache; i++) /* statements would hold the old schema */
        sqlite3_reset(LD(db)->cache[i]->s);
    for (int i = 0; i < LD(from)->ncache; i++) /* none holds a read of the copy open */
        sqlite3_reset(LD(from)->cache[i]->s);
    return copy_pages(LD(db)->h, LD(from)->h, "restore", e);
}

static char **lite_tables(struct gf_db *db, struct gf_err *e)
{
    return gf_db_names(db,
                       "SELECT name FROM sqlite_schema WHERE type = 'table'"
                       " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
                       e);
}

int gf_sqlite_schema(struct gf_db *db, struct gf_stmt **out, struct gf_err *e)
{
    return gf_db_prepare(db,
                         "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE type IN"
                         " ('table', 'index', 'trigger') AND sql IS NOT NULL ORDER BY rowid",
                         out, e);
}

static const struct gf_db_ops lite_ops = {
    .begin_sql = "BEGIN IMMEDIATE",
    .defer_fk_sql = "PRAGMA defer_foreign_keys = ON",
    .close = lite_close,
    .exec = lite_exec,
    .last_id = lite_last_id,
    .changes = lite_changes,
    .checkpoint = lite_checkpoint,
    .data_version = lite_data_version,
    .bulk = lite_bulk,
    .prepare = lite_prepare,
    .nparams = lite_nparams,
    .bind_int = lite_bind_int,
    .bind_double = lite_bind_double,
    .bind_text = lite_bind_text,
    .bind_null = lite_bind_null,
    .bind_text_ref = lite_bind_text_ref,
    .bind_blob = lite_bind_blob,
    .step = lite_step,
    .is_null = lite_is_null,
    .int_col = lite_int,
    .double_col = lite_double,
    .text_col = lite_text,
    .blob_col = lite_blob,
    .reset = lite_reset,
    .finalize = lite_finalize,
    .backup = lite_backup,
    .restore = lite_restore,
    .tables = lite_tables,
    .clear = lite_clear,
};
