/* writer.c — group commit: one thread runs every write, many to a transaction.
 *
 * A disk sync costs milliseconds here (6 ms measured on these virtual machines), so one
 * transaction per write caps a server at a few hundred writes a second.  The writer takes every
 * write that is waiting, runs each in its own savepoint (a failed write rolls back alone and gets
 * its error), commits them all with one sync, and only then answers each client: an
 * acknowledged write is on disk.  If the commit fails, every write of the group is refused.
 * The worker thread that took the request waits for its answer (libmicrohttpd 0.9.75 can lose a
 * resume that comes while the request's handler is still returning), so the server keeps more
 * worker threads than cores: each waiting thread is one more write in the next group. */
#include <stdlib.h>
#include <string.h>

#include "http/http_int.h"
#include "store/db.h"

#define GROUP_MAX 256

struct gf_writer {
    struct gf_http *h;
    pthread_t thread;
    pthread_mutex_t m;
    pthread_cond_t cv;
    struct gf_req **q;
    int n, cap, stop;
    struct gf_db *db;
    struct gf_units units;
    int units_ok;
    long long units_seen;
};

static long long units_version(struct gf_db *db)
{
    return (long long)gf_db_int_text(db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?",
                                     "units_version");
}

static void refresh_units(struct gf_writer *w)
{
    long long v = units_version(w->db);
    if (w->units_ok && v == w->units_seen)
        return;
    if (w->units_ok)
        gf_units_free(&w->units);
    w->units_ok = gf_units_load(w->db, &w->units, NULL) == GF_OK;
    w->units_seen = v;
}

static void run_group(struct gf_writer *w, struct gf_req **g, int n)
{
    struct gf_db *db = w->db;
    struct gf_err e = {0};
    int ok[GROUP_MAX] = {0};
    refresh_units(w);
    int rc = gf_db_begin(db, &e);
    for (int i = 0; i < n && rc == GF_OK; i++) {
        struct gf_req *r = g[i];
        r->cx.db = db;
        r->cx.units = w->units_ok ? &w->units : NULL;
        if (gf_db_savepoint(db, &r->call.err)) {
            gf_reply_from_err(&r->reply, &r->call.err, r->had_if_match);
            continue;
        }
        int crc = gf_call_run(&r->call);
        if (crc == GF_OK && gf_db_doomed(db))
            crc = gf_err_set(&r->call.err, GF_ESYS, "the write was rolled back");
        if (crc) {
            gf_db_savepoint_rollback(db, NULL);
            gf_reply_from_err(&r->reply, &r->call.err, r->had_if_match);
        } else if (gf_db_savepoint_release(db, &r->call.err)) {
            gf_db_savepoint_rollback(db, NULL);
            gf_reply_from_err(&r->reply, &r->call.err, r->had_if_match);
        } else
            ok[i] = 1;
        /* a write that changed the unit tree: the next ones see the new tree */
        if (ok[i] && units_version(db) != w->units_seen) {
            r->cx.units = NULL;
            refresh_units(w);
        }
    }
    if (rc == GF_OK)
        rc = gf_db_commit(db, &e);
    else
        gf_db_rollback(db);
    if (rc == GF_OK)
        gf_http_counters(w->h, db);
    for (int i = 0; i < n; i++) {
        struct gf_req *r = g[i];
        if (ok[i] && rc == GF_OK)
            gf_api_result_reply(r, &r->call, r->call.res.id ? 201 : 200);
        else if (ok[i]) {
            e.code = GF_ESYS;
            gf_reply_from_err(&r->reply, &e, 0);
            r->reply.status = 503;
        }
        r->cx.units = NULL;
        sem_post(&r->done);
    }
}

static void *writer_main(void *arg)
{
    struct gf_writer *w = arg;
    struct gf_req *g[GROUP_MAX];
    for (;;) {
        pthread_mutex_lock(&w->m);
        while (!w->n && !w->stop)
            pthread_cond_wait(&w->cv, &w->m);
        if (!w->n && w->stop) {
            pthread_mutex_unlock(&w->m);
            break;
        }
        int n = w->n < GROUP_MAX ? w->n : GROUP_MAX;
        memcpy(g, w->q, sizeof *g * (size_t)n);
        memmove(w->q, w->q + n, sizeof *w->q * (size_t)(w->n - n));
        w->n -= n;
        pthread_mutex_unlock(&w->m);
        run_group(w, g, n);
    }
    return NULL;
}

struct gf_writer *gf_writer_start(struct gf_http *h, struct gf_err *e)
{
    struct gf_writer *w = calloc(1, sizeof *w);
    if (!w) {
        gf_err_set(e, GF_ENOMEM, "out of memory");
        return NULL;
    }
    w->h = h;
    if (gf_db_open_existing(&w->db, h->o->db_path, e)) {
        free(w);
        return NULL;
    }
    w->units_seen = -1;
    pthread_mutex_init(&w->m, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->thread, NULL, writer_main, w)) {
        gf_db_close(w->db);
        free(w);
        gf_err_set(e, GF_ESYS, "cannot start the writer thread");
        return NULL;
    }
    return w;
}

void gf_writer_stop(struct gf_writer *w)
{
    pthread_mutex_lock(&w->m);
    w->stop = 1;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->m);
    pthread_join(w->thread, NULL);
    if (w->units_ok)
        gf_units_free(&w->units);
    gf_db_close(w->db);
    free(w->q);
    free(w);
}

void gf_writer_submit(struct gf_writer *w, struct gf_req *r)
{
    pthread_mutex_lock(&w->m);
    if (w->n == w->cap) {
        int cap = w->cap ? w->cap * 2 : 256;
        struct gf_req **q = realloc(w->q, sizeof *q * (size_t)cap);
        if (!q) {
            pthread_mutex_unlock(&w->m);
            gf_reply_error(&r->reply, 503, "busy", "the server is out of memory", NULL);
            sem_post(&r->done);
            return;
        }
        w->q = q;
        w->cap = cap;
    }
    w->q[w->n++] = r;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->m);
}
