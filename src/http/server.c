/* server.c — the libmicrohttpd daemon: limits, the request lifecycle, replies, worker threads'
 * connections, the dashboard's static files. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/http_int.h"
#include "store/db.h"

double gf_http_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- replies -------------------------------------------------------------------------------- */

void gf_reply_free(struct gf_reply *r)
{
    free(r->body);
    free(r->cookie);
    free(r->location);
    memset(r, 0, sizeof *r);
}

void gf_reply_json(struct gf_reply *r, int status, char *buf, size_t len)
{
    free(r->body);
    r->status = status;
    r->body = buf;
    r->len = len;
    r->ctype = "application/json; charset=utf-8";
}

void gf_reply_error(struct gf_reply *r, int status, const char *code, const char *msg,
                    const char *field)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return;
    fprintf(f, "{\"error\": {\"status\": %d, \"code\": ", status);
    gf_json_string(f, code);
    fputs(", \"message\": ", f);
    gf_json_string(f, msg);
    if (field && *field) {
        fputs(", \"field\": ", f);
        gf_json_string(f, field);
    }
    fputs("}}\n", f);
    fclose(f);
    gf_reply_json(r, status, buf, len);
    r->no_store = 1;
}

void gf_reply_from_err(struct gf_reply *r, const struct gf_err *e, int had_if_match)
{
    int status = 500;
    const char *code = "internal";
    switch (e->code) {
    case GF_EUSER:
        status = 400, code = "bad_input";
        break;
    case GF_EUSAGE:
        status = 400, code = "bad_request";
        break;
    case GF_EAUTH:
        status = 401, code = "unauthenticated";
        break;
    case GF_EFORBIDDEN:
        status = 403, code = "forbidden";
        break;
    case GF_ENOTFOUND:
        status = 404, code = "not_found";
        break;
    case GF_ECONFLICT:
        status = had_if_match ? 412 : 409, code = "stale_version";
        break;
    case GF_ENOMEM:
        status = 503, code = "out_of_memory";
        break;
    default:
        break;
    }
    gf_reply_error(r, status, code, e->msg[0] ? e->msg : "failed", e->field);
}

/* ---- worker threads: one connection each ---------------------------------------------------- */

static void worker_free(void *p)
{
    struct gf_worker *w = p;
    if (!w)
        return;
    if (w->units_ok)
        gf_units_free(&w->units);
    gf_db_close(w->db);
    free(w);
}

struct gf_worker *gf_worker_get(struct gf_http *h, struct gf_err *e)
{
    struct gf_worker *w = pthread_getspecific(h->worker_key);
    if (w)
        return w;
    w = calloc(1, sizeof *w);
    if (!w) {
        gf_err_set(e, GF_ENOMEM, "out of memory");
        return NULL;
    }
    if (gf_db_open_existing(&w->db, h->o->db_path, e)) {
        free(w);
        return NULL;
    }
    w->data_version = -1;
    w->units_ver_seen = -1;
    pthread_setspecific(h->worker_key, w);
    return w;
}

static long long meta_counter(struct gf_db *db, const char *key)
{
    return (long long)gf_db_int_text(db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?",
                                     key);
}

/* Raise an atomic counter to v (counters only move forward). */
static void raise_to(atomic_llong *c, long long v)
{
    long long cur = atomic_load(c);
    while (cur < v && !atomic_compare_exchange_weak(c, &cur, v))
        ;
}

void gf_http_counters(struct gf_http *h, struct gf_db *db)
{
    raise_to(&h->units_ver, meta_counter(db, "units_version"));
    raise_to(&h->auth_ver, meta_counter(db, "auth_version"));
    atomic_fetch_add(&h->gen, 1);
}

int gf_worker_sync(struct gf_http *h, struct gf_worker *w, struct gf_err *e)
{
    int64_t dv = gf_db_data_version(w->db);
    if (dv != w->data_version) {
        if (w->data_version >= 0)
            gf_http_counters(h, w->db);
        w->data_version = dv;
    }
    long long uv = atomic_load(&h->units_ver);
    if (!w->units_ok || uv != w->units_ver_seen) {
        if (w->units_ok)
            gf_units_free(&w->units);
        w->units_ok = 0;
        long long before = meta_counter(w->db, "units_version");
        if (gf_units_load(w->db, &w->units, e))
            return e->code;
        w->units_ok = 1;
        w->units_ver_seen = before > uv ? before : uv;
        raise_to(&h->units_ver, before);
    }
    return GF_OK;
}

/* ---- static files --------------------------------------------------------------------------- */

static const char *mime(const char *path)
{
    static const char *const map[][2] = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},   {".svg", "image/svg+xml"},
        {".png", "image/png"},                 {".ico", "image/x-icon"},
        {".json", "application/json"},         {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"}, {".map", "application/json"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(dot, map[i][0]))
            return map[i][1];
    return "application/octet-stream";
}

static int read_file(const char *path, char **buf, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > (64 << 20)) {
        close(fd);
        return -1;
    }
    *buf = malloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (*buf && got < (size_t)st.st_size) {
        ssize_t k = read(fd, *buf + got, (size_t)st.st_size - got);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(fd);
    if (!*buf || got != (size_t)st.st_size) {
        free(*buf);
        *buf = NULL;
        return -1;
    }
    *len = got;
    return 0;
}

void gf_static_handle(struct gf_req *r)
{
    const struct gf_server_opts *o = r->h->o;
    const char *url = r->url;
    if (!o->web_root) {
        gf_reply_error(&r->reply, 404, "not_found", "no dashboard is served (see --web)", NULL);
        return;
    }
    if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) {
        gf_reply_error(&r->reply, 405, "method_not_allowed", "only GET for files", NULL);
        return;
    }
    /* no way out of the web root: only [A-Za-z0-9._/-] and no ".." segment */
    int bad = strstr(url, "..") != NULL || url[0] != '/';
    for (const char *s = url; *s && !bad; s++)
        bad = !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
                *s == '.' || *s == '_' || *s == '/' || *s == '-');
    if (bad || strlen(url) > 200) {
        gf_reply_error(&r->reply, 404, "not_found", "no such file", NULL);
        return;
    }
    char path[512];
    const char *rel = strcmp(url, "/") ? url : "/index.html";
    /* the dashboard's own routes (/lists/I1, …) are its index page; assets are files */
    int asset = !strncmp(rel, "/assets/", 8) || strchr(strrchr(rel, '/'), '.') != NULL;
    snprintf(path, sizeof path, "%s%s", o->web_root, asset ? rel : "/index.html");
    const char *ae = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Accept-Encoding");
    char gz[520];
    char *buf = NULL;
    size_t len = 0;
    int gzipped = 0;
    snprintf(gz, sizeof gz, "%s.gz", path);
    if (ae && strstr(ae, "gzip") && read_file(gz, &buf, &len) == 0)
        gzipped = 1;
    else if (read_file(path, &buf, &len) != 0) {
        gf_reply_error(&r->reply, 404, "not_found", "no such file", NULL);
        return;
    }
    free(r->reply.body);
    r->reply.status = 200;
    r->reply.body = buf;
    r->reply.len = len;
    r->reply.ctype = mime(path);
    /* hashed asset names never change: cache them for a year; the index page always revalidates */
    r->reply.no_store = !asset;
    r->reply.gzip = gzipped;
}

/* ---- the request lifecycle ------------------------------------------------------------------ */

/* Content-Disposition for a download called name: an ASCII name as it is, any other also as
 * filename*=UTF-8''… (RFC 6266) with an ASCII stand-in ("_" for each other byte). */
static void add_disposition(struct MHD_Response *resp, const char *name)
{
    char plain[256], coded[800], cd[1100];
    size_t i = 0, o = 0;
    int ascii = 1;
    for (; name[i] && i + 1 < sizeof plain; i++) {
        unsigned char ch = (unsigned char)name[i];
        int safe = ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\';
        ascii &= safe;
        plain[i] = safe ? (char)ch : '_';
        if (o + 4 < sizeof coded)
            o += (size_t)snprintf(coded + o, sizeof coded - o,
                                  (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                                          (ch >= '0' && ch <= '9') || strchr("-._~", ch)
                                      ? "%c"
                                      : "%%%02X",
                                  ch);
    }
    plain[i] = 0;
    if (ascii)
        snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", plain);
    else
        snprintf(cd, sizeof cd, "attachment; filename=\"%s\"; filename*=UTF-8''%s", plain, coded);
    MHD_add_response_header(resp, "Content-Disposition", cd);
}

static MHD_RESULT queue_reply(struct gf_req *r)
{
    struct gf_reply *p = &r->reply;
    if (!p->status)
        gf_reply_error(p, 500, "internal", "no reply", NULL);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(p->len, p->body, MHD_RESPMEM_MUST_FREE);
    if (!resp)
        return MHD_NO;
    p->body = NULL; /* MHD frees it */
    MHD_add_response_header(resp, "Content-Type", p->ctype ? p->ctype : "text/plain");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    int is_api = !strncmp(r->url, "/api/", 5);
    if (is_api) {
        if (p->etag[0]) {
            char tag[48];
            snprintf(tag, sizeof tag, "\"%s\"", p->etag);
            MHD_add_response_header(resp, "ETag", tag);
        }
        MHD_add_response_header(resp, "Cache-Control", "no-store");
        if (p->location)
            MHD_add_response_header(resp, "Location", p->location);
        if (p->attachment[0])
            add_disposition(resp, p->attachment);
    } else {
        MHD_add_response_header(resp, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; style-src 'self' "
                                "'unsafe-inline'; frame-ancestors 'none'");
        MHD_add_response_header(resp, "Cache-Control", p->no_store
                                                           ? "no-cache"
                                                           : "public, max-age=31536000, immutable");
        if (p->gzip)
            MHD_add_response_header(resp, "Content-Encoding", "gzip");
        MHD_add_response_header(resp, "Vary", "Accept-Encoding");
    }
    if (p->cookie)
        MHD_add_response_header(resp, "Set-Cookie", p->cookie);
    MHD_RESULT ret = MHD_queue_response(r->conn, (unsigned)p->status, resp);
    MHD_destroy_response(resp);
    if (r->h->o->access_log)
        fprintf(stderr, "%s %s %d %.1f ms\n", r->method, r->url, p->status,
                (gf_http_now() - r->t0) * 1e3);
    return ret;
}

static void req_free(struct gf_req *r)
{
    if (!r)
        return;
    if (r->call_ready) {
        gf_call_release(&r->call);
        gf_ctx_release(&r->cx);
    }
    if (r->upload)
        fclose(r->upload);
    if (r->upload_path[0])
        unlink(r->upload_path);
    gf_reply_free(&r->reply);
    free(r->body);
    free(r->url);
    free(r);
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)conn, (void)toe;
    req_free(*con_cls);
    *con_cls = NULL;
}

/* Does this request upload a file (an import) rather than send a JSON body? */
static int is_upload(struct gf_req *r)
{
    const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
    return ct && (!strncmp(ct, "text/csv", 8) || !strncmp(ct, "application/x-ndjson", 20) ||
                  !strncmp(ct, "application/octet-stream", 24));
}

static void take_body(struct gf_req *r, const char *data, size_t n)
{
    const struct gf_server_opts *o = r->h->o;
    if (r->too_big)
        return;
    if (r->upload || (r->len == 0 && !r->body && is_upload(r) && !strncmp(r->url, "/api/", 5))) {
        if (!r->upload) {
            snprintf(r->upload_path, sizeof r->upload_path, "/tmp/gongfu-upload.XXXXXX");
            int fd = mkstemp(r->upload_path);
            if (fd < 0 || !(r->upload = fdopen(fd, "w+"))) {
                if (fd >= 0)
                    close(fd);
                r->upload_path[0] = 0;
                r->too_big = 2;
                return;
            }
        }
        r->upload_len += n;
        if (r->upload_len > o->max_upload || fwrite(data, 1, n, r->upload) != n)
            r->too_big = 1;
        return;
    }
    if (r->len + n > o->max_body) {
        r->too_big = 1;
        return;
    }
    if (r->len + n + 1 > r->cap) {
        size_t cap = (r->len + n + 1) * 2;
        char *b = realloc(r->body, cap);
        if (!b) {
            r->too_big = 2;
            return;
        }
        r->body = b;
        r->cap = cap;
    }
    memcpy(r->body + r->len, data, n);
    r->len += n;
    r->body[r->len] = 0;
}

static MHD_RESULT handler(void *cls, struct MHD_Connection *conn, const char *url,
                          const char *method, const char *version, const char *upload_data,
                          size_t *upload_data_size, void **con_cls)
{
    (void)version;
    struct gf_http *h = cls;
    struct gf_req *r = *con_cls;
    if (!r) {
        r = calloc(1, sizeof *r);
        if (!r)
            return MHD_NO;
        r->h = h;
        r->conn = conn;
        r->method = method;
        r->url = strdup(url);
        r->t0 = gf_http_now();
        *con_cls = r;
        if (!r->url)
            return MHD_NO;
        return MHD_YES;
    }
    if (*upload_data_size) {
        take_body(r, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->stage == 3) /* answered already (a client that keeps sending) */
        return MHD_YES;
    if (r->upload && fflush(r->upload) != 0)
        r->too_big = 2;
    if (r->too_big == 1) {
        char msg[160];
        snprintf(msg, sizeof msg, "the request body is larger than the limit of %zu bytes",
                 r->upload ? h->o->max_upload : h->o->max_body);
        gf_reply_error(&r->reply, 413, "too_large", msg, NULL);
    } else if (r->too_big == 2)
        gf_reply_error(&r->reply, 503, "no_space", "the request body could not be stored", NULL);
    else if (!strncmp(url, "/api/", 5) || !strcmp(url, "/api"))
        gf_api_handle(r);
    else
        gf_static_handle(r);
    r->stage = 3;
    return queue_reply(r);
}

/* ---- the daemon ----------------------------------------------------------------------------- */

static int parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len,
                        struct gf_err *e)
{
    char host[128];
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s || strlen(s) >= sizeof host)
        return gf_err_at(e, NULL, 0, "--listen", s, "ADDRESS:PORT, e.g. 127.0.0.1:8080");
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535)
        return gf_err_at(e, NULL, 0, "--listen", s, "a port from 1 to 65535 (0: any free port)");
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = 0;
    memset(ss, 0, sizeof *ss);
    if (host[0] == '[' && host[strlen(host) - 1] == ']') {
        host[strlen(host) - 1] = 0;
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &a->sin6_addr) != 1)
            return gf_err_at(e, NULL, 0, "--listen", s, "an IPv6 address in brackets");
        *len = sizeof *a;
        return GF_OK;
    }
    struct sockaddr_in *a = (struct sockaddr_in *)ss;
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
        return gf_err_at(e, NULL, 0, "--listen", s, "an IPv4 address such as 127.0.0.1");
    *len = sizeof *a;
    return GF_OK;
}

static char *slurp(const char *path, struct gf_err *e)
{
    char *buf;
    size_t len;
    if (read_file(path, &buf, &len)) {
        gf_err_set(e, GF_EUSER, "%s: cannot read: %s", path, strerror(errno ? errno : EINVAL));
        return NULL;
    }
    buf[len] = 0;
    return buf;
}

int gf_server_run(const struct gf_server_opts *o, struct gf_err *e)
{
    struct gf_http h = {.o = o};
    struct sockaddr_storage ss;
    socklen_t sslen;
    int rc = parse_listen(o->listen ? o->listen : "127.0.0.1:8080", &ss, &sslen, e);
    if (rc)
        return rc;
    /* the database must exist and be current before the first request */
    struct gf_db *db;
    if ((rc = gf_db_open_existing(&db, o->db_path, e)))
        return rc;
    gf_http_counters(&h, db);
    gf_db_close(db);
    char *cert = NULL, *key = NULL;
    if ((o->tls_cert || o->tls_key) &&
        (!o->tls_cert || !o->tls_key || !(cert = slurp(o->tls_cert, e)) ||
         !(key = slurp(o->tls_key, e)))) {
        free(cert);
        return e->msg[0] ? e->code : gf_err_set(e, GF_EUSAGE, "--tls-cert needs --tls-key");
    }
    pthread_key_create(&h.worker_key, worker_free);
    pthread_mutex_init(&h.throttle_lock, NULL);
    h.cache = gf_cache_new(4096);
    h.sessions = gf_cache_new(4096);
    h.jobs = gf_jobs_new(&h);
    if (!(h.writer = gf_writer_start(&h, e))) {
        rc = e->code;
        goto out;
    }
    unsigned flags =
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY | MHD_USE_ERROR_LOG;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    if (cert)
        flags |= MHD_USE_TLS;
    /* writes wait in their worker thread for the group commit, so a few more threads than cores
     * (each waiting thread is one more write in the next group); many more only lengthen the
     * reads' tail (bench/http_bench.sh on 2 cores: 4 threads p99 under 10 ms, 16 threads 19 ms).
     * libmicrohttpd's suspend/resume would free the thread, but 0.9.75 loses a resume that comes
     * before the suspending handler has returned (a write hung for ever in t0840). */
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = o->threads > 0 ? (unsigned)o->threads : ncpu > 2 ? 2 * (unsigned)ncpu : 4;
    struct MHD_OptionItem tls[] = {
        {cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, cert},
        {key ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, key},
        {MHD_OPTION_END, 0, NULL},
    };
    h.d = MHD_start_daemon(
        flags, 0, NULL, NULL, handler, &h, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)(o->max_connections > 0 ? o->max_connections : 1024),
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)(o->per_ip > 0 ? o->per_ip : 256),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(o->timeout_s > 0 ? o->timeout_s : 30),
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), MHD_OPTION_NOTIFY_COMPLETED,
        completed, &h, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_ARRAY,
        cert ? tls : tls + 2, MHD_OPTION_END);
    if (!h.d) {
        rc = gf_err_set(e, GF_ESYS, "cannot listen on %s: %s",
                        o->listen ? o->listen : "127.0.0.1:8080", strerror(errno));
        goto out;
    }
    if (o->ready) { /* with port 0 the system chose one: say which */
        const union MHD_DaemonInfo *di = MHD_get_daemon_info(h.d, MHD_DAEMON_INFO_BIND_PORT);
        const char *l = o->listen ? o->listen : "127.0.0.1:8080";
        char addr[160];
        snprintf(addr, sizeof addr, "%.*s:%u", (int)(strrchr(l, ':') - l), l,
                 di ? (unsigned)di->port : 0u);
        o->ready(o->ready_ctx, addr);
    }
    while (!o->stop || !*o->stop) {
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(h.d);
    rc = GF_OK;
out:
    if (h.writer)
        gf_writer_stop(h.writer);
    gf_jobs_free(h.jobs);
    gf_cache_free(h.cache);
    gf_cache_free(h.sessions);
    free(h.throttle);
    free(cert);
    free(key);
    return rc;
}
