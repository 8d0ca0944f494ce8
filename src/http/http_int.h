/* http_int.h — what the files of the HTTP door share (not for other modules). */
#ifndef GF_HTTP_INT_H
#define GF_HTTP_INT_H

#include <microhttpd.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "http/server.h"
#include "service/service.h"

#if MHD_VERSION < 0x00097002
typedef int MHD_RESULT;
#else
typedef enum MHD_Result MHD_RESULT;
#endif

#define GF_HTTP_MAXPARAM 100 /* query parameters + body members accepted in one request */

/* ---- a response being built ----------------------------------------------------------------- */

struct gf_reply {
    int status;
    char *body; /* malloc'd */
    size_t len;
    const char *ctype;
    char etag[40];
    char *cookie;   /* Set-Cookie value, malloc'd */
    char *location; /* Location header (jobs), malloc'd */
    int no_store;   /* files: revalidate every time (the index page) */
    int gzip;       /* files: the body is gzip-compressed */
    char attachment[256]; /* a download's file name (Content-Disposition), "" if none */
};

void gf_reply_free(struct gf_reply *r);
/* An error as JSON {"error": {"status", "code", "message", "field"}}. */
void gf_reply_error(struct gf_reply *r, int status, const char *code, const char *msg,
                    const char *field);
/* The status and JSON error of a service error. */
void gf_reply_from_err(struct gf_reply *r, const struct gf_err *e, int had_if_match);
/* Take the bytes of a memstream as the body. */
void gf_reply_json(struct gf_reply *r, int status, char *buf, size_t len);

/* ---- the server ----------------------------------------------------------------------------- */

struct gf_cache;
struct gf_writer;
struct gf_jobs;

struct gf_http {
    const struct gf_server_opts *o;
    struct MHD_Daemon *d;
    atomic_llong gen;          /* moves whenever the data may have changed */
    atomic_llong units_ver;    /* moves when the unit tree changed */
    atomic_llong auth_ver;     /* moves when users or sessions changed */
    pthread_key_t worker_key;
    struct gf_cache *cache;    /* responses of reads */
    struct gf_cache *sessions; /* actors of session tokens */
    struct gf_writer *writer;
    struct gf_jobs *jobs;
    pthread_mutex_t throttle_lock;
    struct throttle *throttle; /* sign-in failures by account and by address */
    int nthrottle;
    atomic_int hashing;        /* Argon2id computations running now */
};

/* A worker thread's connection and unit tree, kept current by gf_worker_sync. */
struct gf_worker {
    struct gf_db *db;
    int64_t data_version;
    int64_t units_ver_seen;
    struct gf_units units;
    int units_ok;
};

struct gf_worker *gf_worker_get(struct gf_http *h, struct gf_err *e);
/* Notice changes made by other connections (one PRAGMA), move the server's counters, refresh the
 * unit tree when it changed. */
int gf_worker_sync(struct gf_http *h, struct gf_worker *w, struct gf_err *e);
/* Read the change counters from the database into the server (after a commit). */
void gf_http_counters(struct gf_http *h, struct gf_db *db);

/* ---- a request ------------------------------------------------------------------------------ */

struct gf_req {
    struct gf_http *h;
    struct MHD_Connection *conn;
    const char *method;
    char *url;
    int stage;             /* 0 new, 3 reply ready */
    sem_t done;            /* posted by the writer when the write's reply is ready */
    char *body;            /* a JSON body */
    size_t len, cap;
    FILE *upload;          /* an import file, streamed to disk */
    char upload_path[64];
    size_t upload_len;
    int too_big;
    const struct gf_op *op;
    char pathval[4][128];  /* values of {name} segments, in order */
    char pathname[4][40];  /* … and their names */
    int npath;
    struct gf_actor actor;
    int cookie_auth;       /* authenticated by the session cookie (needs CSRF on writes) */
    struct gf_reply reply;
    struct gf_ctx cx;      /* writes: run by the writer thread */
    struct gf_call call;
    int call_ready;
    int had_if_match;
    char if_match[32];     /* the version the client last saw (If-Match, or "version") */
    double t0;
};

/* The API: route, authenticate, authorise, run — writes through the writer, waiting for their
 * group's commit.  Fills r->reply. */
int gf_api_handle(struct gf_req *r);
/* Serve a file of the dashboard (or index.html for its routes). */
void gf_static_handle(struct gf_req *r);

/* ---- cache ---------------------------------------------------------------------------------- */

struct gf_cache *gf_cache_new(int slots);
void gf_cache_free(struct gf_cache *c);
/* Copy out the value stored under key with tag; 1 if found. */
int gf_cache_get(struct gf_cache *c, const char *key, long long tag, struct gf_reply *out,
                 void *blob, size_t blob_len);
void gf_cache_put(struct gf_cache *c, const char *key, long long tag, const struct gf_reply *r,
                  const void *blob, size_t blob_len);
void gf_cache_drop(struct gf_cache *c, const char *key);

/* ---- writer (group commit) ------------------------------------------------------------------ */

struct gf_writer *gf_writer_start(struct gf_http *h, struct gf_err *e);
void gf_writer_stop(struct gf_writer *w);
/* Queue the request's call; the writer runs it, fills r->reply and posts r->done. */
void gf_writer_submit(struct gf_writer *w, struct gf_req *r);

/* ---- jobs ----------------------------------------------------------------------------------- */

struct gf_jobs *gf_jobs_new(struct gf_http *h);
void gf_jobs_free(struct gf_jobs *j);
/* Start the request's call as a job; the reply is 202 with the job's address. */
void gf_jobs_start(struct gf_jobs *j, struct gf_req *r);
/* GET /api/jobs/{id}: state, progress, result (only to the user who started it). */
void gf_jobs_get(struct gf_jobs *j, struct gf_req *r, const char *id);

/* ---- OpenAPI -------------------------------------------------------------------------------- */

/* The OpenAPI 3 description of every operation, generated from the operation table. */
char *gf_openapi(size_t *len);

/* The JSON of a call's result (with paging over the first list). */
void gf_api_result_reply(struct gf_req *r, struct gf_call *c, int status);

double gf_http_now(void);

#endif
