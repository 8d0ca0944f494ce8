/* income.c — `gongfu import households FILE`: household income microdata into income_microdata.
 *
 * Its own path, not the generic row-by-row importer (import.c), for speed: the file is read by
 * util/csvscan in chunks, fields are split in place, numbers parsed by gf_csvscan_double, unit
 * codes looked up in an in-memory hash of the hierarchy, and every row goes through ONE prepared
 * INSERT with integer/real binds, all inside one transaction (bulk mode).  Memory is bounded by
 * one chunk, the unit table and a (rows, hash) pair per unit and period.  Error messages follow
 * gf_err_at: file, line, column, value, what was expected.  The row sink (income_int.h) is
 * shared with the demo generator. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/import.h"
#include "domain/income_int.h"
#include "domain/period.h"
#include "util/csvscan.h"
#include "util/hash.h"

/* ---------- unit code → index ---------- */

struct umap {
    int32_t *slot; /* unit index, -1 empty */
    size_t cap;
    const struct gf_units *u;
};

static int umap_build(struct umap *m, const struct gf_units *u)
{
    m->u = u;
    m->cap = 64;
    while (m->cap < (size_t)u->n * 2 + 16)
        m->cap *= 2;
    m->slot = malloc(m->cap * sizeof *m->slot);
    if (!m->slot)
        return -1;
    for (size_t i = 0; i < m->cap; i++)
        m->slot[i] = -1;
    for (int i = 0; i < u->n; i++) {
        const char *c = u->unit[i].code;
        size_t j = gf_fnv1a(c, strlen(c), GF_FNV_START) & (m->cap - 1);
        while (m->slot[j] >= 0)
            j = (j + 1) & (m->cap - 1);
        m->slot[j] = i;
    }
    return 0;
}

static int umap_find(const struct umap *m, const char *p, size_t n)
{
    for (size_t j = gf_fnv1a(p, n, GF_FNV_START) & (m->cap - 1);; j = (j + 1) & (m->cap - 1)) {
        int32_t i = m->slot[j];
        if (i < 0)
            return -1;
        const char *c = m->u->unit[i].code;
        if (!strncmp(c, p, n) && c[n] == 0)
            return i;
    }
}

/* ---------- the row sink ---------- */

int gf_income_sink_begin(struct gf_income_sink *s, struct gf_db *db, const struct gf_units *u,
                         struct gf_err *e)
{
    (void)e;
    memset(s, 0, sizeof *s);
    s->db = db;
    s->u = u;
    s->maxold = gf_db_int(db, "SELECT coalesce(max(rowid), 0) FROM income_microdata", 0);
    return GF_OK;
}

int gf_income_sink_period(struct gf_income_sink *s, const char *p, size_t len)
{
    for (int i = 0; i < s->nperiods; i++)
        if (!strncmp(s->period[i], p, len) && s->period[i][len] == 0)
            return i;
    char code[32];
    struct gf_period pp;
    if (len == 0 || len >= sizeof code)
        return -1;
    memcpy(code, p, len);
    code[len] = 0;
    if (gf_period_parse(code, &pp))
        return -1;
    if (s->nperiods == GF_INCOME_MAXPERIODS)
        return -2;
    s->pairs[s->nperiods] = calloc((size_t)(s->u->n ? s->u->n : 1), sizeof(struct gf_income_pair));
    if (!s->pairs[s->nperiods])
        return -3;
    memcpy(s->period[s->nperiods], code, len + 1);
    return s->nperiods++;
}

static uint64_t mix_double(uint64_t h, double v)
{
    if (isnan(v))
        v = NAN; /* one bit pattern for "none" */
    return gf_fnv1a(&v, sizeof v, h);
}

int gf_income_sink_row(struct gf_income_sink *s, int pi, int ui, const char *household, size_t hlen,
                       int urban, int size, double income, double weight, double food, double cons,
                       struct gf_err *e)
{
    struct gf_income_pair *pr = &s->pairs[pi][ui];
    if (hlen > 64)
        hlen = 64; /* callers check; keep the copy bounded */
    uint64_t h =
        gf_fnv1a(household ? household : "\1", household ? hlen + 1 : 1, GF_FNV_START);
    int32_t iv[2] = {urban, size};
    h = gf_fnv1a(iv, sizeof iv, h);
    h = mix_double(h, income);
    h = mix_double(h, weight);
    h = mix_double(h, food);
    h = mix_double(h, cons);
    pr->hash = (pr->hash ^ h) * 1099511628211ull + 0x9E3779B97F4A7C15ull;
    pr->rows++;
    s->rows++;
    static const char *const cols[] = {"period", "unit",   "household", "urban", "size",
                                       "income", "weight", "food",      "consumption"};
    int rc;
    if (!s->rows_out && (rc = gf_db_append_begin(s->db, "income_microdata", cols, 9, &s->rows_out, e)))
        return rc;
    struct gf_db_append *a = s->rows_out;
    gf_db_append_text(a, s->period[pi], strlen(s->period[pi]));
    const char *unit = s->u->unit[ui].code;
    gf_db_append_text(a, unit, strlen(unit));
    gf_db_append_text(a, household, hlen);
    gf_db_append_int(a, urban);
    gf_db_append_int(a, size);
    gf_db_append_double(a, income);
    gf_db_append_double(a, weight);
    gf_db_append_double(a, food);
    gf_db_append_double(a, cons);
    if ((rc = gf_db_append_row(a, e)))
        return rc;
    return GF_OK;
}

void gf_income_sink_release(struct gf_income_sink *s)
{
    gf_db_append_abort(s->rows_out);
    s->rows_out = NULL;
    for (int i = 0; i < s->nperiods; i++)
        free(s->pairs[i]);
    s->nperiods = 0;
}

int gf_income_sink_finish(struct gf_income_sink *s, const char *file, const char *source,
                          const char *actor, struct gf_income_import_stats *st, struct gf_err *e)
{
    struct gf_stmt *q = NULL, *up = NULL, *tp = NULL;
    int rc = GF_OK, same = 1, any_old = 0;
    long pairs = 0;
    char now[32];
    gf_now(now);
    if (s->rows_out) {
        rc = gf_db_append_end(s->rows_out, e);
        s->rows_out = NULL;
        if (rc)
            return rc;
    }
    st->rows = s->rows;
    st->replaced = 0;
    st->unchanged = 0;
    if ((rc = gf_db_prepare(s->db, "SELECT rows, hash FROM income_batch WHERE period = ? AND unit = ?",
                            &q, e)))
        goto out;
    /* 1. compare with what is stored */
    for (int p = 0; p < s->nperiods; p++)
        for (int i = 0; i < s->u->n; i++) {
            const struct gf_income_pair *pr = &s->pairs[p][i];
            if (!pr->rows)
                continue;
            pairs++;
            gf_stmt_bind_text(q, 1, s->period[p]);
            gf_stmt_bind_text(q, 2, s->u->unit[i].code);
            int r = gf_stmt_step(q, e);
            if (r < 0) {
                rc = r;
                goto out;
            }
            if (r == 1) {
                any_old = 1;
                if (gf_stmt_int(q, 0) != pr->rows || (uint64_t)gf_stmt_int(q, 1) != pr->hash)
                    same = 0;
            } else
                same = 0;
            gf_stmt_reset(q);
        }
    st->pairs = pairs;
    if (same && pairs > 0) {
        st->unchanged = 1;
        goto out;
    }
    /* 2. replace the previous rows of those pairs */
    if (any_old) {
        if ((rc = gf_db_exec(s->db,
                             "CREATE TEMP TABLE IF NOT EXISTS income_touch (period TEXT, unit TEXT,"
                             " PRIMARY KEY (period, unit)); DELETE FROM temp.income_touch;",
                             e)) ||
            (rc = gf_db_prepare(s->db, "INSERT INTO temp.income_touch VALUES (?, ?)", &tp, e)))
            goto out;
        for (int p = 0; p < s->nperiods && rc == GF_OK; p++)
            for (int i = 0; i < s->u->n && rc == GF_OK; i++)
                if (s->pairs[p][i].rows) {
                    gf_stmt_bind_text(tp, 1, s->period[p]);
                    gf_stmt_bind_text(tp, 2, s->u->unit[i].code);
                    rc = gf_stmt_step(tp, e) < 0 ? GF_ESYS : GF_OK;
                    gf_stmt_reset(tp);
                }
        if (rc)
            goto out;
        char sql[256];
        snprintf(sql, sizeof sql,
                 "DELETE FROM income_microdata WHERE rowid <= %lld AND (period, unit) IN"
                 " (SELECT period, unit FROM temp.income_touch)",
                 (long long)s->maxold);
        if ((rc = gf_db_exec(s->db, sql, e)))
            goto out;
        st->replaced = (long)gf_db_changes(s->db);
        /* emptied, not dropped: a schema change makes SQLite prepare every cached statement
         * again at the next import */
        if ((rc = gf_db_exec(s->db, "DELETE FROM temp.income_touch", e)))
            goto out;
    }
    /* 3. record the batches, the periods, one audit row */
    if ((rc = gf_db_prepare(s->db,
                            "INSERT INTO income_batch (period, unit, rows, hash, file, source,"
                            " imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                            " ON CONFLICT (period, unit) DO UPDATE SET rows = excluded.rows,"
                            " hash = excluded.hash, file = excluded.file, source = excluded.source,"
                            " imported_by = excluded.imported_by, imported_at = excluded.imported_at",
                            &up, e)))
        goto out;
    for (int p = 0; p < s->nperiods && rc == GF_OK; p++) {
        if ((rc = gf_period_ensure(s->db, s->period[p], e)))
            break;
        for (int i = 0; i < s->u->n && rc == GF_OK; i++) {
            const struct gf_income_pair *pr = &s->pairs[p][i];
            if (!pr->rows)
                continue;
            gf_stmt_bind_text(up, 1, s->period[p]);
            gf_stmt_bind_text(up, 2, s->u->unit[i].code);
            gf_stmt_bind_int(up, 3, pr->rows);
            gf_stmt_bind_int(up, 4, (int64_t)pr->hash);
            gf_stmt_bind_text(up, 5, file);
            gf_stmt_bind_text(up, 6, source);
            gf_stmt_bind_text(up, 7, actor);
            gf_stmt_bind_text(up, 8, now);
            rc = gf_stmt_step(up, e) < 0 ? GF_ESYS : GF_OK;
            gf_stmt_reset(up);
        }
    }
    if (rc)
        goto out;
    {
        char periods[GF_INCOME_MAXPERIODS * 33] = "", nrows[32], npairs[32], nrep[32];
        for (int p = 0; p < s->nperiods; p++) {
            if (p)
                strcat(periods, ",");
            strcat(periods, s->period[p]);
        }
        snprintf(nrows, sizeof nrows, "%ld", s->rows);
        snprintf(npairs, sizeof npairs, "%ld", pairs);
        snprintf(nrep, sizeof nrep, "%ld", st->replaced);
        char *after = gf_json_obj("file", file, "source", source, "period", periods, "rows", nrows,
                                  "units", npairs, "replaced_rows", nrep, (char *)NULL);
        if (!after) {
            rc = gf_err_set(e, GF_ENOMEM, "out of memory");
            goto out;
        }
        rc = gf_audit(s->db, actor, "import", "income_microdata", periods, NULL, after, e);
        free(after);
    }
out:
    gf_stmt_finalize(q);
    gf_stmt_finalize(up);
    gf_stmt_finalize(tp);
    return rc;
}

/* ---------- the CSV import ---------- */

enum { C_UNIT, C_PERIOD, C_HOUSEHOLD, C_URBAN, C_SIZE, C_INCOME, C_WEIGHT, C_FOOD, C_CONS, NC };
static const char *const colname[NC] = {"unit",   "period", "household", "urban",      "size",
                                        "income", "weight", "food",      "consumption"};

/* Copy a field into a NUL-terminated buffer for a message. */
static const char *fieldtext(const struct gf_csvscan_field *f, char *buf, size_t n)
{
    size_t k = f->len < n - 1 ? f->len : n - 1;
    memcpy(buf, f->p, k);
    buf[k] = 0;
    return buf;
}

static int bad(struct gf_err *e, const char *path, long line, int c, const struct gf_csvscan_field *f,
               const char *expected)
{
    char v[256];
    return gf_err_at(e, path, line, colname[c], fieldtext(f, v, sizeof v), "%s", expected);
}

static int num(const struct gf_csvscan_field *f, double *v)
{
    return gf_csvscan_double(f->p, f->len, v) == 0 && isfinite(*v) ? 0 : -1;
}

static int parse_urban(const struct gf_csvscan_field *f)
{
    static const char *const yes[] = {"1", "urban", "城镇", "true", NULL},
                             *const no[] = {"0", "rural", "农村", "false", NULL};
    for (int i = 0; yes[i]; i++)
        if (strlen(yes[i]) == f->len && !memcmp(yes[i], f->p, f->len))
            return 1;
    for (int i = 0; no[i]; i++)
        if (strlen(no[i]) == f->len && !memcmp(no[i], f->p, f->len))
            return 0;
    return -1;
}

/* The import runs as a pipeline of two threads: a parser (read, split, check, look up) fills
 * batches of binary rows, the calling thread writes them to the database.  NBATCH batches
 * bound the memory between them.  A small file (under SYNC_BYTES) is parsed and written by the
 * calling thread alone: a thread costs more than it saves there. */
#define SYNC_BYTES ((size_t)8 << 20)
#define PBATCH 4096     /* rows per batch between the threads */
#define PBATCH_SYNC 256 /* rows per batch without a thread */
#define NBATCH 4

struct pitem {
    int32_t pi; /* period index */
    struct gf_income_row row;
};

struct pbatch {
    int n, cap;
    struct pitem item[];
};

struct parser {
    const char *path;
    struct gf_csvscan *sc;
    const struct gf_units *u;
    const struct umap *m;
    struct gf_income_sink *sink; /* the parser adds periods (gf_income_sink_period) */
    int col[NC], ncols, fixed_period;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct pbatch *full[NBATCH], *free_[NBATCH];
    int fh, fn, nfree; /* full: FIFO ring from fh, fn of them; free: stack */
    int done, stop, prc;
    struct gf_err err;
    int sync;        /* 1: no thread, put_full writes the batch at once (wrc, werr) */
    int wrc;
    struct gf_err *werr;
};

/* Write one batch of rows (the writer's side). */
static int write_batch(struct gf_income_sink *sink, const struct pbatch *b, struct gf_err *e)
{
    int rc = GF_OK;
    for (int k = 0; k < b->n && rc == GF_OK; k++) {
        const struct gf_income_row *r = &b->item[k].row;
        rc = gf_income_sink_row(sink, b->item[k].pi, r->ui, r->hlen >= 0 ? r->household : NULL,
                                r->hlen >= 0 ? (size_t)r->hlen : 0, r->urban, r->size, r->income,
                                r->weight, r->food, r->cons, e);
    }
    return rc;
}

static struct pbatch *get_free(struct parser *ps)
{
    pthread_mutex_lock(&ps->mu);
    while (ps->nfree == 0 && !ps->stop)
        pthread_cond_wait(&ps->cv, &ps->mu);
    struct pbatch *b = ps->stop ? NULL : ps->free_[--ps->nfree];
    pthread_mutex_unlock(&ps->mu);
    if (b)
        b->n = 0;
    return b;
}

static void put_free(struct parser *ps, struct pbatch *b)
{
    pthread_mutex_lock(&ps->mu);
    ps->free_[ps->nfree++] = b;
    pthread_cond_broadcast(&ps->cv);
    pthread_mutex_unlock(&ps->mu);
}

static void put_full(struct parser *ps, struct pbatch *b)
{
    if (ps->sync) {
        if (ps->wrc == GF_OK && (ps->wrc = write_batch(ps->sink, b, ps->werr)))
            ps->stop = 1;
        ps->free_[ps->nfree++] = b;
        return;
    }
    pthread_mutex_lock(&ps->mu);
    ps->full[(ps->fh + ps->fn++) % NBATCH] = b;
    pthread_cond_broadcast(&ps->cv);
    pthread_mutex_unlock(&ps->mu);
}

/* Parse every line; returns GF_OK or an error (message in ps->err). */
static int parse_all(struct parser *ps)
{
    struct gf_csvscan_chunk ch = {0};
    struct gf_err *e = &ps->err;
    const char *path = ps->path;
    const struct gf_units *u = ps->u;
    const int *col = ps->col;
    int rc = GF_OK, r, last_ui = -1;
    const char *last_code = NULL;
    size_t last_len = 0;
    struct gf_csvscan_field f[NC], ff[NC + 1];
    int maxc = ps->ncols < NC + 1 ? ps->ncols : NC + 1;
    struct pbatch *b = get_free(ps);
    if (!b)
        return GF_OK;
    long line = 0; /* one parser: the lines are counted here, chunk after chunk */
    while ((r = gf_csvscan_next(ps->sc, &ch, e)) == 1) {
        char *p = ch.buf, *end = ch.buf + ch.len;
        if (line == 0)
            line = gf_csvscan_line(ps->sc, &ch, p);
        for (; p < end; line++) {
            int nf;
            char *next = gf_csvscan_split(p, ff, maxc, &nf);
            if (!next) {
                rc = gf_err_at(e, path, line, NULL, NULL,
                               "quotes closed on the same line and a comma after a closing quote");
                goto out;
            }
            p = next;
            if (nf == 0)
                continue;
            if (nf != ps->ncols) {
                rc = gf_err_at(e, path, line, NULL, NULL, "%d fields as in the header, found %d",
                               ps->ncols, nf);
                goto out;
            }
            for (int c = 0; c < NC; c++)
                f[c] = col[c] >= 0 ? ff[col[c]] : (struct gf_csvscan_field){"", 0};
            /* unit (villages come in runs: remember the last one) */
            int ui;
            if (last_code && f[C_UNIT].len == last_len && !memcmp(f[C_UNIT].p, last_code, last_len))
                ui = last_ui;
            else {
                ui = f[C_UNIT].len ? umap_find(ps->m, f[C_UNIT].p, f[C_UNIT].len) : -1;
                if (ui < 0) {
                    rc = bad(e, path, line, C_UNIT, &f[C_UNIT],
                             "the code of a unit of the hierarchy (gongfu units)");
                    goto out;
                }
                last_ui = ui;
                last_code = u->unit[ui].code;
                last_len = f[C_UNIT].len;
            }
            /* period */
            int pi = ps->fixed_period;
            if (col[C_PERIOD] >= 0 && (f[C_PERIOD].len || pi < 0)) {
                int q = gf_income_sink_period(ps->sink, f[C_PERIOD].p, f[C_PERIOD].len);
                if (q == -3) {
                    rc = gf_err_set(e, GF_ENOMEM, "out of memory");
                    goto out;
                }
                if (q < 0 || (ps->fixed_period >= 0 && q != ps->fixed_period)) {
                    rc = bad(e, path, line, C_PERIOD, &f[C_PERIOD],
                             q == -2 ? "at most 64 periods in one file"
                             : ps->fixed_period >= 0
                                 ? "the period given with --period (or an empty cell)"
                                 : "a year (2024), a quarter (2024Q1) or a month (2024-03)");
                    goto out;
                }
                pi = q;
            }
            struct gf_income_row *row = &b->item[b->n].row;
            double size;
            row->weight = 1;
            row->food = row->cons = NAN;
            if (num(&f[C_INCOME], &row->income)) {
                rc = bad(e, path, line, C_INCOME, &f[C_INCOME],
                         "a number (per-capita disposable income, yuan a year)");
                goto out;
            }
            if (num(&f[C_SIZE], &size) || size != floor(size) || size < 1 || size > 99) {
                rc = bad(e, path, line, C_SIZE, &f[C_SIZE], "a whole number of persons from 1 to 99");
                goto out;
            }
            if (f[C_WEIGHT].len && (num(&f[C_WEIGHT], &row->weight) || row->weight < 0)) {
                rc = bad(e, path, line, C_WEIGHT, &f[C_WEIGHT], "a number >= 0 (empty = 1)");
                goto out;
            }
            int urban = u->unit[ui].urban;
            if (f[C_URBAN].len && (urban = parse_urban(&f[C_URBAN])) < 0) {
                rc = bad(e, path, line, C_URBAN, &f[C_URBAN],
                         "1/urban/城镇 or 0/rural/农村 (empty = the unit's area)");
                goto out;
            }
            if (f[C_FOOD].len || f[C_CONS].len) {
                if (num(&f[C_FOOD], &row->food) || row->food < 0) {
                    rc = bad(e, path, line, C_FOOD, &f[C_FOOD],
                             "a number >= 0 (food spending, yuan a year; with consumption)");
                    goto out;
                }
                if (num(&f[C_CONS], &row->cons) || row->cons < 0) {
                    rc = bad(e, path, line, C_CONS, &f[C_CONS],
                             "a number >= 0 (consumption spending, yuan a year; with food)");
                    goto out;
                }
            }
            size_t hlen = f[C_HOUSEHOLD].len;
            if (hlen > 64) {
                rc = bad(e, path, line, C_HOUSEHOLD, &f[C_HOUSEHOLD], "at most 64 bytes");
                goto out;
            }
            row->hlen = hlen ? (int32_t)hlen : -1;
            memcpy(row->household, f[C_HOUSEHOLD].p, hlen);
            row->household[hlen] = 0;
            row->ui = ui;
            row->urban = urban;
            row->size = (int32_t)size;
            b->item[b->n++].pi = pi;
            if (b->n == b->cap) {
                put_full(ps, b);
                if (!(b = get_free(ps)))
                    goto out; /* the writer stopped */
            }
        }
    }
    if (r < 0)
        rc = r;
out:
    if (b && rc == GF_OK)
        put_full(ps, b); /* the partial last batch */
    else if (b)
        put_free(ps, b);
    gf_csvscan_chunk_free(&ch);
    return rc;
}

static void *parser_main(void *arg)
{
    struct parser *ps = arg;
    int rc = parse_all(ps);
    pthread_mutex_lock(&ps->mu);
    ps->prc = rc;
    ps->done = 1;
    pthread_cond_broadcast(&ps->cv);
    pthread_mutex_unlock(&ps->mu);
    return NULL;
}

int gf_income_import(struct gf_db *db, const char *path, const struct gf_income_import_opts *o,
                     struct gf_income_import_stats *st, struct gf_err *e)
{
    struct gf_units u;
    struct umap m = {0};
    struct gf_income_sink sink;
    struct parser ps;
    int rc, in_tx = 0, sink_on = 0, started = 0;
    memset(st, 0, sizeof *st);
    memset(&sink, 0, sizeof sink);
    memset(&ps, 0, sizeof ps);
    pthread_mutex_init(&ps.mu, NULL);
    pthread_cond_init(&ps.cv, NULL);
    ps.path = path;
    ps.fixed_period = -1;
    if ((rc = gf_units_load(db, &u, e)))
        goto out_units;
    if (u.n == 0) {
        rc = gf_err_set(e, GF_EUSER, "%s: no units in the database: import the hierarchy first"
                                     " (gongfu import units FILE)", path);
        goto out;
    }
    if (umap_build(&m, &u)) {
        rc = gf_err_set(e, GF_ENOMEM, "out of memory");
        goto out;
    }
    ps.u = &u;
    ps.m = &m;
    if ((rc = gf_csvscan_open(&ps.sc, path, e)))
        goto out;
    /* columns: known names only, each once */
    ps.ncols = gf_csvscan_ncols(ps.sc);
    int *col = ps.col;
    for (int c = 0; c < NC; c++)
        col[c] = -1;
    for (int i = 0; i < ps.ncols; i++) {
        const char *name = gf_csvscan_colname(ps.sc, i);
        int c = 0;
        while (c < NC && strcmp(name, colname[c]))
            c++;
        if (c == NC) {
            rc = gf_err_at(e, path, 1, NULL, name,
                           "a column among unit, period, household, urban, size, income, weight,"
                           " food, consumption (docs/income-microdata.md)");
            goto out;
        }
        if (col[c] >= 0) {
            rc = gf_err_at(e, path, 1, NULL, name, "each column once");
            goto out;
        }
        col[c] = i;
    }
    static const int required[] = {C_UNIT, C_INCOME, C_SIZE};
    for (size_t k = 0; k < sizeof required / sizeof required[0]; k++)
        if (col[required[k]] < 0) {
            rc = gf_err_at(e, path, 1, colname[required[k]], NULL,
                           "a column named %s (required: unit, income, size, and period unless"
                           " --period is given)",
                           colname[required[k]]);
            goto out;
        }
    if (!o->period && col[C_PERIOD] < 0) {
        rc = gf_err_at(e, path, 1, "period", NULL, "a period column, or --period P");
        goto out;
    }
    if ((col[C_FOOD] < 0) != (col[C_CONS] < 0)) {
        rc = gf_err_at(e, path, 1, col[C_FOOD] < 0 ? "food" : "consumption", NULL,
                       "food and consumption columns together");
        goto out;
    }
    /* a trial: a dry run, or a file equal to what is stored, is undone at the end without
     * failing a caller's transaction (the HTTP writer's group) */
    if ((rc = gf_db_trial_begin(db, e)))
        goto out;
    in_tx = 1;
    /* Appending to a table without index needs no big page cache (gf_db_bulk's 256 MB would
     * only grow memory with the file): a small cache keeps memory bounded and page faults
     * few; full pages spill to the WAL as they fill. */
    gf_db_bulk(db, 2);
    if ((rc = gf_income_sink_begin(&sink, db, &u, e)))
        goto out;
    sink_on = 1;
    ps.sink = &sink;
    if (o->period) {
        ps.fixed_period = gf_income_sink_period(&sink, o->period, strlen(o->period));
        if (ps.fixed_period < 0) {
            rc = gf_err_set(e, ps.fixed_period == -3 ? GF_ENOMEM : GF_EUSAGE,
                            "--period \"%s\": expected a year (2024), a quarter (2024Q1) or a"
                            " month (2024-03)",
                            o->period);
            goto out;
        }
    }
    size_t hint = gf_csvscan_size_hint(ps.sc);
    ps.sync = hint > 0 && hint < SYNC_BYTES;
    int cap = ps.sync ? PBATCH_SYNC : PBATCH;
    for (int k = 0; k < (ps.sync ? 1 : NBATCH); k++) {
        if (!(ps.free_[k] = malloc(sizeof(struct pbatch) + (size_t)cap * sizeof(struct pitem)))) {
            rc = gf_err_set(e, GF_ENOMEM, "out of memory");
            goto out;
        }
        ps.free_[k]->cap = cap;
        ps.nfree++;
    }
    if (ps.sync) {
        ps.werr = e;
        int prc = parse_all(&ps);
        if ((rc = ps.wrc))
            goto out;
        if (prc) {
            *e = ps.err;
            rc = prc;
            goto out;
        }
        goto written;
    }
    pthread_t th;
    if (pthread_create(&th, NULL, parser_main, &ps)) {
        rc = gf_err_set(e, GF_ESYS, "cannot start a thread");
        goto out;
    }
    started = 1;
    /* the writer: batches in file order */
    for (;;) {
        pthread_mutex_lock(&ps.mu);
        while (ps.fn == 0 && !ps.done)
            pthread_cond_wait(&ps.cv, &ps.mu);
        struct pbatch *b = NULL;
        if (ps.fn > 0 && !(ps.done && ps.prc)) {
            b = ps.full[ps.fh];
            ps.fh = (ps.fh + 1) % NBATCH;
            ps.fn--;
        }
        pthread_mutex_unlock(&ps.mu);
        if (!b)
            break;
        rc = write_batch(&sink, b, e);
        pthread_mutex_lock(&ps.mu);
        ps.free_[ps.nfree++] = b;
        if (rc)
            ps.stop = 1;
        pthread_cond_broadcast(&ps.cv);
        pthread_mutex_unlock(&ps.mu);
        if (rc)
            break;
    }
    pthread_join(th, NULL);
    started = 0;
    if (rc == GF_OK && ps.prc) {
        *e = ps.err;
        rc = ps.prc;
    }
    if (rc)
        goto out;
written:
    if (sink.rows == 0) {
        rc = gf_err_at(e, path, 2, NULL, NULL, "at least one household row after the header");
        goto out;
    }
    if ((rc = gf_income_sink_finish(&sink, path, path, o->actor, st, e)))
        goto out;
    gf_income_sink_release(&sink);
    sink_on = 0;
    gf_db_bulk(db, 0); /* back to the normal cache size */
    in_tx = 0;
    if (o->dry_run || st->unchanged)
        gf_db_trial_undo(db);
    else
        rc = gf_db_trial_keep(db, e); /* rolls back itself when it fails */
out:
    if (started) { /* only on an early error path: tell the parser to stop */
        pthread_mutex_lock(&ps.mu);
        ps.stop = 1;
        pthread_cond_broadcast(&ps.cv);
        pthread_mutex_unlock(&ps.mu);
        pthread_join(th, NULL);
    }
    if (sink_on)
        gf_income_sink_release(&sink);
    if (in_tx) {
        gf_db_bulk(db, 0);
        gf_db_trial_undo(db);
    }
    { /* every batch is back in the free stack or queued full */
        struct pbatch *all[2 * NBATCH];
        int na = 0;
        for (int k = 0; k < ps.nfree; k++)
            all[na++] = ps.free_[k];
        for (int k = 0; k < ps.fn; k++)
            all[na++] = ps.full[(ps.fh + k) % NBATCH];
        for (int k = 0; k < na; k++)
            free(all[k]);
    }
    gf_csvscan_close(ps.sc);
    free(m.slot);
out_units:
    gf_units_free(&u);
    pthread_mutex_destroy(&ps.mu);
    pthread_cond_destroy(&ps.cv);
    return rc;
}

/* ---------- the kind, for `gongfu import --help` and the kind table ---------- */

/* gongfu import households FILE is dispatched to gf_income_import by cmd_import.c (the generic
 * row-by-row path is far too slow for survey files); the row callback only guards against a
 * caller that passes this kind to gf_import_file. */
static int kind_row(struct gf_import_ctx *c, struct gf_err *e)
{
    return gf_err_at(e, c->path, c->line, NULL, NULL,
                     "household microdata to be imported with gongfu import households FILE"
                     " (CSV only)");
}

static const char *const kind_cols[] = {"unit",   "period", "household", "urban",      "size",
                                        "income", "weight", "food",      "consumption", NULL};
static const char *const kind_req[] = {"unit", "income", "size", NULL};

const struct gf_import_kind gf_import_income_microdata = {
    "households", "住户收入微观数据(收入分配测算, 见 docs/income-microdata.md)",
    "household income microdata for the distribution engine (docs/income-microdata.md)",
    kind_cols, kind_req, NULL, kind_row, NULL, NULL, NULL,
};
