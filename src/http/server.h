/* server.h — `gongfu serve`: the HTTP JSON API over the service layer, and the dashboard's files.
 *
 * One process: libmicrohttpd's thread pool answers requests; reads run on the worker thread's
 * own database connection and are cached until the data changes; writes go to one writer thread
 * that commits them in groups (each write in its own savepoint, one fsync for the group) and
 * answers each client only after its group is durable; long work runs as a job with progress.
 * Every request is authenticated (session cookie with a CSRF token, or a bearer token) and every
 * operation authorises itself (service/authz.h).  Binds to 127.0.0.1 unless told otherwise.
 */
#ifndef GF_HTTP_SERVER_H
#define GF_HTTP_SERVER_H

#include <stddef.h>

#include "util/err.h"

struct gf_server_opts {
    const char *db_path;
    const char *listen;     /* "127.0.0.1:8080" (default), "0.0.0.0:80", "[::1]:8080" */
    const char *web_root;   /* the built dashboard (index.html and assets), NULL = API only */
    int threads;            /* worker threads; 0 = two per core (at least 4) */
    int max_connections;    /* total (default 1024) */
    int per_ip;             /* connections from one address (default 256) */
    int timeout_s;          /* idle connection timeout (default 30) */
    size_t max_body;        /* JSON request bodies (default 1 MiB) */
    size_t max_upload;      /* uploaded import files (default 256 MiB) */
    const char *tls_cert, *tls_key; /* PEM files: serve HTTPS (libmicrohttpd with GnuTLS) */
    int access_log;         /* one line per request on standard error */
    int session_idle_s;     /* a session ends after this many idle seconds (default 1 800) */
    int session_max_s;      /* … and this many after sign-in (default 43 200) */
    volatile int *stop;     /* set to non-zero to stop (signal handlers do) */
    void (*ready)(void *ctx, const char *address); /* called once listening; may be NULL */
    void *ready_ctx;
};

/* Serve until *o->stop becomes non-zero.  Returns GF_OK, or an error (cannot listen, no
 * database). */
int gf_server_run(const struct gf_server_opts *o, struct gf_err *e);

#endif
