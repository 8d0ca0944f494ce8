/* db_pg.c — the PostgreSQL backend of the store (db.h), over libpq.
 *
 * The domain's SQL is the one SQLite runs: `?` and `?N` parameters become `$N`, a few SQLite
 * names become PostgreSQL's (CAST … AS REAL is a double here), and SQLite's scalar functions
 * the domain uses exist as SQL functions in the database (pg_schema.c).  Parameters go as text
 * of unknown type, so the server gives each the type its place in the statement asks for.
 * Statements are prepared once per connection and kept by their text.
 *
 * Writers are serialized as SQLite serializes them: a write transaction starts by taking one
 * transaction-level advisory lock, so every read-modify-write of the domain sees the work of
 * the writer before it, across any number of server processes.  Reads (gf_db_open_read) take
 * no lock and read one snapshot per transaction. */
#include "store/db_pg.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/db_backend.h"
#include "store/schema.h"
#include "util/hash.h"
#include "util/shortest.h"
#include "util/strbuf.h"

#define PREPARED_MAX 512 /* statements kept prepared on one connection */
#define BOOLOID 16
#define BYTEAOID 17

struct pg_prepared {
    char *sql; /* as the domain wrote it */
    char *name;
    int nparams;
    int in_use;
};

struct pg_db {
    struct gf_db b;
    PGconn *c;
    struct pg_prepared *prep;
    int nprep;
    unsigned long long unkept; /* statements prepared beyond PREPARED_MAX */
    int64_t changes;           /* rows the last INSERT, UPDATE or DELETE wrote */
};

struct pg_stmt {
    struct gf_stmt b;
    struct pg_prepared *p; /* the statement kept prepared, or NULL: */
    char *name;            /* one prepared for this statement alone */
    int nparams;
    char **vals;
    int *lens, *fmts;
    PGresult *res;
    int row, nrows, ran;
    int stream;    /* rows one at a time (gf_db_prepare_stream) … */
    int streaming; /* … and a query of it is still sending them */
    unsigned char *bytes; /* a bytea column decoded */
    size_t nbytes;
};

#define PD(db) ((struct pg_db *)(db))
#define PS(st) ((struct pg_stmt *)(st))

static const struct gf_db_ops pg_ops;

int gf_pg_is_url(const char *path)
{
    return path && (!strncmp(path, "postgresql://", 13) || !strncmp(path, "postgres://", 11));
}

/* The database's name and its server's start: the same for every connection to one database,
 * whatever URL, host name or socket reached it. */
static char *identity(struct gf_db *db)
{
    struct gf_stmt *st;
    char *id = NULL;
    if (gf_db_prepare(db, "SELECT current_database() || '@' || pg_postmaster_start_time()", &st, NULL))
        return NULL;
    if (gf_stmt_step(st, NULL) == 1 && gf_stmt_text(st, 0))
        id = strdup(gf_stmt_text(st, 0));
    gf_stmt_finalize(st);
    return id;
}

int gf_pg_same_database(struct gf_db *a, struct gf_db *b)
{
    if (!gf_db_is_pg(a) || !gf_db_is_pg(b))
        return 0;
    char *x = identity(a), *y = identity(b);
    int same = x && y && !strcmp(x, y);
    free(x);
    free(y);
    return same;
}

/* ---- SQL ------------------------------------------------------------------------------------ */

static int ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || (unsigned char)c >= 0x80;
}

/* The word at p, compared without case, and standing alone. */
static int word_at(const char *sql, const char *p, const char *word)
{
    size_t n = strlen(word);
    return (p == sql || !ident_char(p[-1])) && !strncasecmp(p, word, n) &&
           (word[n - 1] == '.' || !ident_char(p[n]));
}

/* 1 when the term [p, p + n) is a row's key, `id` or `rowid` (with a table's alias or not, up or
 * down): never NULL, so it needs no NULLS words — which would keep PostgreSQL from walking the
 * key's index (`ORDER BY id DESC LIMIT 1` would sort the whole table). */
static int key_term(const char *p, size_t n)
{
    while (n && (*p == ' ' || *p == '\n'))
        p++, n--;
    size_t w = 0;
    while (w < n && (ident_char(p[w]) || p[w] == '.'))
        w++;
    const char *rest = p + w;
    size_t rn = n - w;
    while (rn && *rest == ' ')
        rest++, rn--;
    if (rn && !((rn == 3 && !strncasecmp(rest, "ASC", 3)) || (rn == 4 && !strncasecmp(rest, "DESC", 4))))
        return 0;
    const char *dot = memchr(p, '.', w);
    const char *name = dot ? dot + 1 : p;
    size_t nn = w - (size_t)(name - p);
    return (nn == 2 && !strncasecmp(name, "id", 2)) || (nn == 5 && !strncasecmp(name, "rowid", 5));
}

/* The end of one ORDER BY term written from `from` on: NULLs sort as SQLite sorts them (first
 * going up, last going down), unless the term says where or is a row's key. */
static void end_term(struct gf_strbuf *o, size_t from)
{
    if (o->err)
        return;
    size_t end = o->n;
    while (end > from && (o->p[end - 1] == ' ' || o->p[end - 1] == '\n'))
        end--;
    for (size_t i = from; i + 5 <= end; i++)
        if (!strncasecmp(o->p + i, "NULLS", 5))
            return;
    if (key_term(o->p + from, end - from))
        return;
    int desc = end - from >= 4 && !strncasecmp(o->p + end - 4, "DESC", 4) &&
               (end - from == 4 || !ident_char(o->p[end - 5]));
    char tail[16];
    size_t k = o->n - end; /* the spaces after the term, kept after the words added */
    memcpy(tail, o->p + end, k < sizeof tail ? k : sizeof tail - 1);
    o->n = end;
    const char *w = desc ? " NULLS LAST" : " NULLS FIRST";
    gf_strbuf_puts(o, w);
    gf_strbuf_put(o, tail, k < sizeof tail ? k : sizeof tail - 1);
}

char *gf_pg_translate(const char *sql, int *nparams)
{
    struct gf_strbuf o = {0};
    gf_strbuf_put(&o, "", 0);
    int top = 0, depth = 0;
    /* ORDER BY clauses being read: the depth of each and where its current term began */
    enum { NEST = 16 };
    int ob_depth[NEST];
    size_t ob_term[NEST];
    int nob = 0;
    static const struct {
        const char *from, *to;
    } words[] = {
        {"AS REAL", "AS DOUBLE PRECISION"},
        {"AS INTEGER", "AS BIGINT"},
        {"temp.", "pg_temp."},
    };
    static const char *const after_order[] = {"LIMIT", "OFFSET", "UNION", "EXCEPT", "INTERSECT",
                                              "FETCH", "FOR", "RETURNING"};
    for (const char *p = sql; *p && !o.err;) {
        if (*p == '\'' || *p == '"') { /* a literal or a quoted name, copied whole */
            const char *q = p + 1;
            while (*q && !(*q == *p && q[1] != *p))
                q += *q == *p ? 2 : 1;
            if (*q)
                q++;
            gf_strbuf_put(&o, p, (size_t)(q - p));
            p = q;
            continue;
        }
        if (nob && ob_depth[nob - 1] == depth) { /* the end of an ORDER BY term or clause */
            int stop = *p == ')' || *p == ';';
            for (size_t w = 0; w < sizeof after_order / sizeof after_order[0] && !stop; w++)
                stop = word_at(sql, p, after_order[w]);
            if (stop || *p == ',')
                end_term(&o, ob_term[nob - 1]);
            if (stop)
                nob--;
            else if (*p == ',') {
                gf_strbuf_put(&o, ",", 1);
                p++;
                ob_term[nob - 1] = o.n;
                continue;
            }
        }
        if (*p == '(')
            depth++;
        else if (*p == ')')
            depth--;
        if (word_at(sql, p, "ORDER BY") && nob < NEST) {
            gf_strbuf_put(&o, p, 8);
            p += 8;
            ob_depth[nob] = depth;
            ob_term[nob++] = o.n;
            continue;
        }
        if (*p == '?') {
            int n;
            p++;
            if (*p >= '0' && *p <= '9') {
                n = 0;
                while (*p >= '0' && *p <= '9')
                    n = n * 10 + (*p++ - '0');
            } else
                n = top + 1;
            if (n > top)
                top = n;
            char num[16];
            gf_strbuf_put(&o, num, (size_t)snprintf(num, sizeof num, "$%d", n));
            continue;
        }
        int done = 0;
        for (size_t w = 0; w < sizeof words / sizeof words[0] && !done; w++)
            if (word_at(sql, p, words[w].from)) {
                gf_strbuf_put(&o, words[w].to, strlen(words[w].to));
                p += strlen(words[w].from);
                done = 1;
            }
        if (!done)
            gf_strbuf_put(&o, p++, 1);
    }
    while (nob > 0) /* clauses that run to the end */
        end_term(&o, ob_term[--nob]);
    if (o.err) {
        gf_strbuf_free(&o);
        return NULL;
    }
    *nparams = top;
    return o.p;
}

/* ---- errors --------------------------------------------------------------------------------- */

/* One message for every failure: a broken constraint or a value of the wrong kind is bad data
 * (GF_EUSER), the rest a system error. */
static int pg_fail(struct gf_db *db, struct gf_err *e, const PGresult *r, const char *sql)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(PD(db)->c);
    char clean[400];
    snprintf(clean, sizeof clean, "%s", msg && *msg ? msg : "unknown error");
    size_t n = strlen(clean);
    while (n && (clean[n - 1] == '\n' || clean[n - 1] == ' '))
        clean[--n] = 0;
    if (getenv("GONGFU_PG_TRACE")) /* every failure, also those a caller does not report */
        fprintf(stderr, "gongfu: postgresql: %s [%s] in: %s\n", clean, state ? state : "",
                sql ? sql : "");
    int code = state && (!strncmp(state, "23", 2) || !strncmp(state, "22", 2)) ? GF_EUSER
                                                                               : GF_ESYS;
    if (sql)
        return gf_err_set(e, code, "database: %s (in: %.200s)", clean, sql);
    return gf_err_set(e, code, "database: %s", clean);
}

/* ---- statements ----------------------------------------------------------------------------- */

static void note_changes(struct pg_db *d, PGresult *r)
{
    const char *cmd = PQcmdStatus(r);
    if (cmd && (!strncmp(cmd, "INSERT", 6) || !strncmp(cmd, "UPDATE", 6) ||
                !strncmp(cmd, "DELETE", 6)))
        d->changes = strtoll(PQcmdTuples(r), NULL, 10);
}

/* A statement whose failure the caller does not want to hear of (no gf_err) may fail inside a
 * transaction in SQLite and the transaction goes on; PostgreSQL would abort the transaction.
 * Such a statement runs under a savepoint of its own, undone when it fails. */
static int quiet_begin(struct gf_db *db, struct gf_err *e)
{
    if (e || db->depth <= 0)
        return 0;
    PGresult *r = PQexec(PD(db)->c, "SAVEPOINT gf_quiet");
    PQclear(r);
    return 1;
}

static void quiet_end(struct gf_db *db, int failed)
{
    PGresult *r = PQexec(PD(db)->c, failed ? "ROLLBACK TO gf_quiet; RELEASE gf_quiet"
                                           : "RELEASE gf_quiet");
    PQclear(r);
}

static int transaction_control(const char *sql)
{
    static const char *const words[] = {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (!strncmp(sql, words[i], strlen(words[i])))
            return 1;
    return 0;
}

static int pg_exec(struct gf_db *db, const char *sql, struct gf_err *e)
{
    int n;
    /* a table the domain makes (a temporary one) gets PostgreSQL's types */
    char *ddl = !strncmp(sql, "CREATE TABLE", 12) || !strncmp(sql, "CREATE TEMP TABLE", 17)
                    ? gf_pg_table_sql(sql, 1)
                    : NULL;
    char *pg = gf_pg_translate(ddl ? ddl : sql, &n);
    free(ddl);
    if (!pg)
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    int quiet = !transaction_control(sql) && quiet_begin(db, e);
    PGresult *r = PQexec(PD(db)->c, pg);
    free(pg);
    int st = PQresultStatus(r);
    int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? GF_OK : pg_fail(db, e, r, sql);
    note_changes(PD(db), r);
    PQclear(r);
    if (quiet)
        quiet_end(db, rc != GF_OK);
    return rc;
}

static struct pg_prepared *find_prepared(struct pg_db *d, const char *sql)
{
    for (int i = 0; i < d->nprep; i++)
        if (!d->prep[i].in_use && !strcmp(d->prep[i].sql, sql))
            return &d->prep[i];
    return NULL;
}

/* PQprepare; inside a transaction under a savepoint, so that a failure (which the caller may
 * retry) does not abort the transaction. */
static PGresult *try_prepare(struct gf_db *db, const char *name, const char *sql, int n,
                             const Oid *types)
{
    int guarded = db->depth > 0;
    if (guarded)
        PQclear(PQexec(PD(db)->c, "SAVEPOINT gf_prepare"));
    PGresult *r = PQprepare(PD(db)->c, name, sql, n, types);
    if (guarded)
        PQclear(PQexec(PD(db)->c, PQresultStatus(r) == PGRES_COMMAND_OK
                                      ? "RELEASE gf_prepare"
                                      : "ROLLBACK TO gf_prepare; RELEASE gf_prepare"));
    return r;
}

/* The statement with every "$N IS NULL" and "$N IS NOT NULL" made TRUE, and in used[N-1]
 * whether $N still appears. */
static char *without_null_tests(const char *sql, int n, char *used)
{
    char *out = strdup(sql);
    if (!out)
        return NULL;
    memset(used, 0, (size_t)n);
    char *w = out;
    for (const char *p = sql; *p;) {
        if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
            char *end;
            long k = strtol(p + 1, &end, 10);
            const char *q = end;
            size_t len = !strncmp(q, " IS NULL", 8) ? 8 : !strncmp(q, " IS NOT NULL", 12) ? 12 : 0;
            if (len && (q[len] == ' ' || q[len] == ')' || !q[len])) {
                w += sprintf(w, "TRUE");
                p = q + len;
                continue;
            }
            if (k >= 1 && k <= n)
                used[k - 1] = 1;
            while (p < end)
                *w++ = *p++;
            continue;
        }
        *w++ = *p++;
    }
    *w = 0;
    return out;
}

/* Prepare sql as name.  A parameter PostgreSQL cannot type because it is first tested for NULL
 * ("$1 IS NULL OR unit = $1", as SQLite lets the domain write it) gets the type its other uses
 * ask for, learned from the statement without the NULL tests; one used only in NULL tests is
 * text. */
static int prepare_as(struct gf_db *db, const char *name, const char *pg, int n,
                      const char *shown, struct gf_err *e)
{
    PGresult *r = try_prepare(db, name, pg, 0, NULL);
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && state &&
        (!strcmp(state, "42P08") || !strcmp(state, "42P18")) && n > 0) {
        char *used = calloc((size_t)n, 1);
        Oid *types = calloc((size_t)n, sizeof *types);
        char *probe = used && types ? without_null_tests(pg, n, used) : NULL;
        if (probe) {
            for (int i = 0; i < n; i++)
                types[i] = used[i] ? 0 : 25; /* text */
            PGresult *pr = try_prepare(db, "gf_probe", probe, n, types);
            if (PQresultStatus(pr) == PGRES_COMMAND_OK) {
                PGresult *desc = PQdescribePrepared(PD(db)->c, "gf_probe");
                if (PQresultStatus(desc) == PGRES_COMMAND_OK)
                    for (int i = 0; i < n && i < PQnparams(desc); i++)
                        types[i] = PQparamtype(desc, i);
                PQclear(desc);
                PQclear(PQexec(PD(db)->c, "DEALLOCATE gf_probe"));
                PQclear(r);
                r = try_prepare(db, name, pg, n, types);
            }
            PQclear(pr);
        }
        free(probe);
        free(used);
        free(types);
    }
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? GF_OK : pg_fail(db, e, r, shown);
    PQclear(r);
    return rc;
}

static int pg_prepare(struct gf_db *db, const char *sql, struct gf_stmt **out, struct gf_err *e)
{
    struct pg_db *d = PD(db);
    struct pg_stmt *st = calloc(1, sizeof *st);
    if (!st)
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    st->b.db = db;
    struct pg_prepared *p = find_prepared(d, sql);
    if (p) {
        st->nparams = p->nparams;
    } else {
        char *pg = gf_pg_translate(sql, &st->nparams);
        char name[32];
        if (d->nprep < PREPARED_MAX)
            snprintf(name, sizeof name, "gf%d", d->nprep);
        else /* one of its own, dropped at the finalize */
            snprintf(name, sizeof name, "gfx%llu", ++d->unkept);
        int rc = pg ? prepare_as(db, name, pg, st->nparams, sql, e)
                    : gf_err_set(e, GF_ENOMEM, "out of memory");
        free(pg);
        if (rc) {
            free(st);
            return rc;
        }
        if (d->nprep < PREPARED_MAX) {
            p = &d->prep[d->nprep++];
            *p = (struct pg_prepared){strdup(sql), strdup(name), st->nparams, 0};
            if (!p->sql || !p->name) {
                free(st);
                return gf_err_set(e, GF_ENOMEM, "out of memory");
            }
        } else if (!(st->name = strdup(name))) {
            free(st);
            return gf_err_set(e, GF_ENOMEM, "out of memory");
        }
    }
    st->p = p;
    if (p)
        p->in_use = 1;
    int n = st->nparams ? st->nparams : 1;
    st->vals = calloc((size_t)n, sizeof *st->vals);
    st->lens = calloc((size_t)n, sizeof *st->lens);
    st->fmts = calloc((size_t)n, sizeof *st->fmts);
    if (!st->vals || !st->lens || !st->fmts) {
        *out = &st->b;
        gf_stmt_finalize(&st->b);
        *out = NULL;
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    }
    *out = &st->b;
    return GF_OK;
}

static void pg_stream(struct gf_stmt *st)
{
    PS(st)->stream = 1;
}

static int pg_nparams(struct gf_stmt *st)
{
    return PS(st)->nparams;
}

static int set_param(struct gf_stmt *st, int i, const void *p, size_t n, int binary)
{
    struct pg_stmt *s = PS(st);
    if (i < 1 || i > s->nparams)
        return GF_ESYS;
    free(s->vals[i - 1]);
    s->vals[i - 1] = NULL;
    s->fmts[i - 1] = binary;
    s->lens[i - 1] = (int)n;
    if (!p)
        return GF_OK;
    char *copy = malloc(n + 1);
    if (!copy)
        return GF_ENOMEM;
    memcpy(copy, p, n);
    copy[n] = 0;
    s->vals[i - 1] = copy;
    return GF_OK;
}

static int pg_bind_int(struct gf_stmt *st, int i, int64_t v)
{
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%lld", (long long)v);
    return set_param(st, i, buf, (size_t)n, 0);
}

static int pg_bind_double(struct gf_stmt *st, int i, double v)
{
    char buf[GF_SHORTEST_BUF];
    int n = gf_shortest_text(buf, v);
    return set_param(st, i, buf, (size_t)n, 0);
}

static int pg_bind_text(struct gf_stmt *st, int i, const char *s)
{
    return set_param(st, i, s, strlen(s), 0);
}

static int pg_bind_text_ref(struct gf_stmt *st, int i, const char *s, size_t n)
{
    return set_param(st, i, s, n, 0);
}

static int pg_bind_null(struct gf_stmt *st, int i)
{
    return set_param(st, i, NULL, 0, 0);
}

static int pg_bind_blob(struct gf_stmt *st, int i, const void *p, size_t n)
{
    return set_param(st, i, p, n, 1);
}

/* The rest of a streamed query read and dropped: the connection is free again. */
static void stream_drain(struct pg_stmt *s)
{
    PGresult *r;
    while (s->streaming && (r = PQgetResult(PD(s->b.db)->c)))
        PQclear(r);
    s->streaming = 0;
}

/* A streamed statement: sent once, then one row a result (single-row mode), so that memory
 * holds one row however many the query returns. */
static int stream_step(struct pg_stmt *s, struct gf_err *e)
{
    struct pg_db *d = PD(s->b.db);
    if (!s->ran) {
        if (!PQsendQueryPrepared(d->c, s->p ? s->p->name : s->name, s->nparams,
                                 (const char *const *)s->vals, s->lens, s->fmts, 0))
            return pg_fail(s->b.db, e, NULL, s->p ? s->p->sql : s->name);
        PQsetSingleRowMode(d->c);
        s->ran = s->streaming = 1;
    }
    PQclear(s->res);
    s->res = NULL;
    s->row = 0;
    s->nrows = 0;
    if (!s->streaming)
        return 0;
    PGresult *r = PQgetResult(d->c);
    int status = r ? PQresultStatus(r) : PGRES_TUPLES_OK;
    if (status == PGRES_SINGLE_TUPLE) {
        s->res = r;
        s->nrows = 1;
        return 1;
    }
    int rc = status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK
                 ? 0
                 : pg_fail(s->b.db, e, r, s->p ? s->p->sql : s->name);
    PQclear(r);
    stream_drain(s);
    return rc;
}

static int pg_step(struct gf_stmt *st, struct gf_err *e)
{
    struct pg_stmt *s = PS(st);
    struct pg_db *d = PD(st->db);
    if (s->stream)
        return stream_step(s, e);
    if (!s->ran) {
        int quiet = quiet_begin(st->db, e);
        PQclear(s->res);
        s->res = PQexecPrepared(d->c, s->p ? s->p->name : s->name, s->nparams,
                                (const char *const *)s->vals, s->lens, s->fmts, 0);
        s->ran = 1;
        s->row = -1;
        int status = PQresultStatus(s->res);
        if (quiet)
            quiet_end(st->db, status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK);
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
            int rc = pg_fail(st->db, e, s->res, s->p ? s->p->sql : s->name);
            PQclear(s->res);
            s->res = NULL;
            s->ran = 0;
            return rc;
        }
        s->nrows = status == PGRES_TUPLES_OK ? PQntuples(s->res) : 0;
        note_changes(d, s->res);
    }
    if (s->row + 1 < s->nrows) {
        s->row++;
        return 1;
    }
    s->row = s->nrows;
    return 0;
}

static int pg_is_null(struct gf_stmt *st, int col)
{
    struct pg_stmt *s = PS(st);
    return !s->res || s->row < 0 || s->row >= s->nrows || col >= PQnfields(s->res) ||
           PQgetisnull(s->res, s->row, col);
}

static const char *pg_text(struct gf_stmt *st, int col)
{
    struct pg_stmt *s = PS(st);
    if (pg_is_null(st, col))
        return NULL;
    const char *v = PQgetvalue(s->res, s->row, col);
    if (PQftype(s->res, col) == BOOLOID) /* true and false read as SQLite's 1 and 0 */
        return *v == 't' ? "1" : "0";
    return v;
}

static int64_t pg_int(struct gf_stmt *st, int col)
{
    const char *v = pg_text(st, col);
    if (!v)
        return 0;
    char *end;
    long long n = strtoll(v, &end, 10);
    if (*end == '.' || *end == 'e' || *end == 'E') /* a number with a fraction: truncated */
        return (int64_t)strtod(v, NULL);
    return n;
}

static double pg_double(struct gf_stmt *st, int col)
{
    const char *v = pg_text(st, col);
    return v ? strtod(v, NULL) : 0.0;
}

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c - 'A' + 10;
}

static const void *pg_blob(struct gf_stmt *st, int col, size_t *n)
{
    struct pg_stmt *s = PS(st);
    *n = 0;
    const char *v = pg_text(st, col);
    if (!v)
        return NULL;
    if (PQftype(s->res, col) != BYTEAOID) {
        *n = strlen(v);
        return v;
    }
    size_t len = strlen(v);
    free(s->bytes);
    s->bytes = malloc(len / 2 + 1);
    if (!s->bytes)
        return NULL;
    size_t k = 0;
    for (size_t i = 2; i + 1 < len; i += 2) /* "\x" then two hex digits a byte */
        s->bytes[k++] = (unsigned char)(hexval(v[i]) << 4 | hexval(v[i + 1]));
    *n = k;
    return s->bytes;
}

static void pg_reset(struct gf_stmt *st)
{
    struct pg_stmt *s = PS(st);
    stream_drain(s);
    PQclear(s->res);
    s->res = NULL;
    s->ran = 0;
    s->row = -1;
    s->nrows = 0;
    for (int i = 0; i < s->nparams; i++) {
        free(s->vals[i]);
        s->vals[i] = NULL;
        s->fmts[i] = 0;
        s->lens[i] = 0;
    }
}

static void pg_finalize(struct gf_stmt *st)
{
    struct pg_stmt *s = PS(st);
    if (s->vals)
        pg_reset(st);
    if (s->p)
        s->p->in_use = 0;
    free(s->vals);
    free(s->lens);
    free(s->fmts);
    if (s->name) {
        char sql[64];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
        PQclear(PQexec(PD(st->db)->c, sql));
        free(s->name);
    }
    free(s->bytes);
    free(s);
}

/* ---- the connection ------------------------------------------------------------------------- */

static void pg_close(struct gf_db *db)
{
    struct pg_db *d = PD(db);
    for (int i = 0; i < d->nprep; i++) {
        free(d->prep[i].sql);
        free(d->prep[i].name);
    }
    free(d->prep);
    PQfinish(d->c);
    free(db->path);
    free(d);
}

static int64_t pg_last_id(struct gf_db *db)
{
    return gf_db_int(db, "SELECT lastval()", 0);
}

static int64_t pg_changes(struct gf_db *db)
{
    return PD(db)->changes;
}

static void pg_checkpoint(struct gf_db *db)
{
    (void)db; /* the server's own business */
}

static int64_t pg_data_version(struct gf_db *db)
{
    /* the snapshot (the transactions committed and those in progress) is the same text until a
     * transaction that wrote starts or commits, anyone's (ours too: a cache then reads again
     * when it need not, never the other way round) */
    struct gf_stmt *st;
    uint64_t h = GF_FNV_START;
    if (gf_db_prepare(db, "SELECT pg_current_snapshot()::text", &st, NULL))
        return 0;
    if (gf_stmt_step(st, NULL) == 1 && gf_stmt_text(st, 0))
        h = gf_fnv1a_str(gf_stmt_text(st, 0), h);
    gf_stmt_finalize(st);
    return (int64_t)(h >> 1);
}

static void pg_bulk(struct gf_db *db, int on)
{
    (void)db;
    (void)on;
}

/* A URL for messages: a password, in the user part or as a parameter, replaced by ***. */
static char *url_for_messages(const char *url)
{
    char *out = malloc(strlen(url) + 8);
    if (!out)
        return NULL;
    strcpy(out, url);
    char *scheme = strstr(out, "://");
    char *at = scheme ? strchr(scheme + 3, '@') : NULL;
    char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
    if (at && colon && colon < at) {
        memmove(colon + 4, at, strlen(at) + 1);
        memcpy(colon, ":***", 4);
    }
    for (char *p = strstr(out, "password="); p; p = strstr(p + 1, "password=")) {
        if (p != out && p[-1] != '?' && p[-1] != '&')
            continue;
        char *v = p + 9, *end = v + strcspn(v, "&");
        memmove(v + 3, end, strlen(end) + 1);
        memcpy(v, "***", 3);
    }
    return out;
}

int gf_pg_open(struct gf_db **out, const char *url, int create, int read_only, struct gf_err *e)
{
    *out = NULL;
    struct pg_db *d = calloc(1, sizeof *d);
    if (!d || !(d->prep = calloc(PREPARED_MAX, sizeof *d->prep)) ||
        !(d->b.path = url_for_messages(url))) {
        if (d)
            free(d->prep);
        free(d);
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    }
    d->b.ops = &pg_ops;
    d->b.read_only = read_only;
    struct gf_db *db = &d->b;
    d->c = PQconnectdb(url);
    if (PQstatus(d->c) != CONNECTION_OK) {
        char msg[400];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(d->c));
        msg[strcspn(msg, "\n")] = 0;
        int rc = gf_err_set(e, GF_EUSER, "%s: cannot connect to PostgreSQL: %s", db->path, msg);
        pg_close(db);
        return rc;
    }
    int rc = gf_db_exec(db,
                        "SET client_encoding = 'UTF8'; SET TimeZone = 'UTC';"
                        " SET client_min_messages = warning; SET DateStyle = 'ISO, YMD'",
                        e);
    if (rc == GF_OK)
        rc = gf_pg_schema_open(db, create, read_only, e);
    if (rc) {
        pg_close(db);
        return rc;
    }
    *out = db;
    return GF_OK;
}

/* ---- COPY ----------------------------------------------------------------------------------- */

int gf_pg_copy_begin(struct gf_db *db, const char *sql, struct gf_err *e)
{
    PGresult *r = PQexec(PD(db)->c, sql);
    int rc = PQresultStatus(r) == PGRES_COPY_IN ? GF_OK : pg_fail(db, e, r, sql);
    PQclear(r);
    return rc;
}

int gf_pg_copy_put(struct gf_db *db, const char *buf, size_t n, struct gf_err *e)
{
    if (PQputCopyData(PD(db)->c, buf, (int)n) != 1)
        return pg_fail(db, e, NULL, NULL);
    return GF_OK;
}

int gf_pg_copy_end(struct gf_db *db, const char *error, struct gf_err *e)
{
    if (PQputCopyEnd(PD(db)->c, error) != 1)
        return pg_fail(db, e, NULL, NULL);
    PGresult *r = PQgetResult(PD(db)->c);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? GF_OK : pg_fail(db, e, r, NULL);
    PQclear(r);
    while ((r = PQgetResult(PD(db)->c)))
        PQclear(r);
    return rc;
}

static const struct gf_db_ops pg_ops = {
    /* one writer at a time, across every server process (see the top of this file) */
    .begin_sql = "BEGIN; SELECT pg_advisory_xact_lock(20211900)",
    .defer_fk_sql = "SET CONSTRAINTS ALL DEFERRED",
    .close = pg_close,
    .exec = pg_exec,
    .last_id = pg_last_id,
    .changes = pg_changes,
    .checkpoint = pg_checkpoint,
    .data_version = pg_data_version,
    .bulk = pg_bulk,
    .prepare = pg_prepare,
    .nparams = pg_nparams,
    .stream = pg_stream,
    .bind_int = pg_bind_int,
    .bind_double = pg_bind_double,
    .bind_text = pg_bind_text,
    .bind_null = pg_bind_null,
    .bind_text_ref = pg_bind_text_ref,
    .bind_blob = pg_bind_blob,
    .step = pg_step,
    .is_null = pg_is_null,
    .int_col = pg_int,
    .double_col = pg_double,
    .text_col = pg_text,
    .blob_col = pg_blob,
    .reset = pg_reset,
    .finalize = pg_finalize,
    .backup = gf_pg_backup,
    .restore = NULL, /* db.c copies the rows */
    .tables = gf_pg_tables,
    .clear = gf_pg_clear,
};
