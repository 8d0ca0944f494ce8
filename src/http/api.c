/* api.c — the JSON API: routing by the operation table, authentication (session cookie + CSRF
 * token, or bearer token), arguments from the path, the query and the JSON body, and dispatch of
 * reads (cached), writes (the writer) and jobs.  Sign-in, sign-out, tokens, the OpenAPI file and
 * the health check are the door's own endpoints. */
#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "http/http_int.h"
#include "service/identity.h"
#include "service/report.h"

#define COOKIE "gf_session"
#define HASH_MAX 2            /* Argon2id computations at once (64 MiB each) */
#define THROTTLE_SLOTS 1024
#define THROTTLE_FREE 5       /* failures allowed in a window before waiting */
#define THROTTLE_WINDOW 900   /* seconds */
#define PUBLIC_QUOTA 20       /* writes open to everyone (suggestions) an address sends in a window */

/* ---- arguments ------------------------------------------------------------------------------ */

struct argv_ctx {
    struct gf_req *r;
    int n, bad;
    char key[2048];
    size_t klen;
    const char *page, *page_size, *sort, *paging, *filename, *dry_run, *lang, *format;
};

static int has_param(const struct gf_op *op, const char *name)
{
    for (int i = 0; op && op->params[i].name; i++)
        if (!strcmp(op->params[i].name, name))
            return 1;
    return 0;
}

static int door_param(struct argv_ctx *a, const char *k, const char *v)
{
    const char **slot = !strcmp(k, "page")        ? &a->page
                        : !strcmp(k, "page_size") ? &a->page_size
                        : !strcmp(k, "sort")      ? &a->sort
                        : !strcmp(k, "paging")    ? &a->paging
                        : !strcmp(k, "filename")  ? &a->filename
                        : !strcmp(k, "lang")      ? &a->lang
                        /* an operation with a format of its own takes the parameter itself */
                        : !strcmp(k, "format") && !has_param(a->r->op, "format") ? &a->format
                                                                                : NULL;
    if (!slot)
        return 0;
    *slot = v;
    return 1;
}

static MHD_RESULT query_arg(void *cls, enum MHD_ValueKind kind, const char *k, const char *v)
{
    (void)kind;
    struct argv_ctx *a = cls;
    if (a->bad)
        return MHD_NO;
    if (++a->n > GF_HTTP_MAXPARAM) {
        a->bad = 1;
        gf_err_set(&a->r->call.err, GF_EUSAGE, "too many parameters: at most %d",
                   GF_HTTP_MAXPARAM);
        return MHD_NO;
    }
    if (!v)
        v = "";
    int klen = snprintf(a->key + a->klen, sizeof a->key - a->klen, "&%s=%s", k, v);
    a->klen = klen > 0 && a->klen + (size_t)klen < sizeof a->key ? a->klen + (size_t)klen
                                                                 : sizeof a->key - 1;
    if (door_param(a, k, v))
        return MHD_YES;
    if (gf_call_set(&a->r->call, k, v)) {
        a->bad = 1;
        return MHD_NO;
    }
    return MHD_YES;
}

/* JSON body members as parameters: strings as they are, numbers in decimal, booleans 1/0,
 * arrays as repeated values. */
static int body_value(struct gf_req *r, const char *k, json_t *v)
{
    char buf[64];
    const char *s = NULL;
    switch (json_typeof(v)) {
    case JSON_STRING:
        if (strlen(json_string_value(v)) != json_string_length(v))
            return gf_err_at(&r->call.err, NULL, 0, k, "\\u0000", "text without NUL characters");
        s = json_string_value(v);
        break;
    case JSON_INTEGER:
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
        s = buf;
        break;
    case JSON_REAL:
        gf_fmt_double(buf, sizeof buf, json_real_value(v));
        s = buf;
        break;
    case JSON_TRUE:
        s = "1";
        break;
    case JSON_FALSE:
        s = "0";
        break;
    case JSON_NULL:
        return GF_OK;
    default:
        return gf_err_at(&r->call.err, NULL, 0, k, NULL, "a string, a number or true/false");
    }
    return gf_call_set(&r->call, k, s);
}

static int take_body_args(struct gf_req *r, int *count, char *version, size_t vcap)
{
    if (!r->body || r->upload)
        return GF_OK;
    json_error_t je;
    json_t *root = json_loadb(r->body, r->len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return gf_err_set(&r->call.err, GF_EUSER, "the body is not valid JSON: line %d column %d: %s",
                          je.line, je.column, je.text);
    if (!json_is_object(root)) {
        json_decref(root);
        return gf_err_set(&r->call.err, GF_EUSER, "the body must be a JSON object");
    }
    const char *k;
    json_t *v;
    int rc = GF_OK;
    json_object_foreach(root, k, v)
    {
        if (++*count > GF_HTTP_MAXPARAM) {
            rc = gf_err_set(&r->call.err, GF_EUSAGE, "too many parameters: at most %d",
                            GF_HTTP_MAXPARAM);
            break;
        }
        int known = 0;
        for (int i = 0; r->op->params[i].name; i++)
            known |= !strcmp(r->op->params[i].name, k);
        if (!strcmp(k, "version") && !known) { /* optimistic concurrency, like If-Match */
            if (json_is_integer(v))
                snprintf(version, vcap, "%lld", (long long)json_integer_value(v));
            else if (json_is_string(v))
                snprintf(version, vcap, "%s", json_string_value(v));
            continue;
        }
        if (json_is_array(v)) {
            size_t i;
            json_t *x;
            json_array_foreach(v, i, x) if ((rc = body_value(r, k, x))) break;
        } else
            rc = body_value(r, k, v);
        if (rc)
            break;
    }
    json_decref(root);
    return rc;
}

/* ---- routing -------------------------------------------------------------------------------- */

/* Match url against an operation path with {name} segments; the values go to r->pathval. */
static int path_match(struct gf_req *r, const char *pat, const char *url)
{
    int n = 0;
    while (*pat && *url) {
        if (*pat == '{') {
            const char *end = strchr(pat, '}');
            size_t k = strcspn(url, "/");
            if (!end || k == 0 || k >= sizeof r->pathval[0] || n >= 4 ||
                (size_t)(end - pat - 1) >= sizeof r->pathname[0])
                return 0;
            memcpy(r->pathval[n], url, k);
            r->pathval[n][k] = 0;
            memcpy(r->pathname[n], pat + 1, (size_t)(end - pat - 1));
            r->pathname[n++][end - pat - 1] = 0;
            pat = end + 1;
            url += k;
            continue;
        }
        if (*pat++ != *url++)
            return 0;
    }
    if (*pat || *url)
        return 0;
    r->npath = n;
    return 1;
}

/* The operation for method and url; *other_method when the path exists with another method. */
static const struct gf_op *route(struct gf_req *r, int *other_method)
{
    *other_method = 0;
    for (const struct gf_op *const *o = gf_ops(); *o; o++) {
        if (!(*o)->method || !path_match(r, (*o)->path, r->url))
            continue;
        if (!strcmp((*o)->method, r->method) ||
            (!strcmp(r->method, "HEAD") && !strcmp((*o)->method, "GET")))
            return *o;
        *other_method = 1;
    }
    return NULL;
}

/* ---- authentication ------------------------------------------------------------------------- */

struct session_blob {
    struct gf_actor actor;
    char csrf[GF_TOKEN_LEN + 1];
    int64_t expires; /* when the session ends unless used again (idle) or at all */
    double checked;  /* monotonic time of the last check against the database */
};

static int idle_s(const struct gf_http *h)
{
    return h->o->session_idle_s > 0 ? h->o->session_idle_s : GF_SESSION_IDLE_S;
}

static int max_s(const struct gf_http *h)
{
    return h->o->session_max_s > 0 ? h->o->session_max_s : GF_SESSION_ABSOLUTE_S;
}

static int64_t wall(void)
{
    return (int64_t)time(NULL);
}

/* The token of the request (bearer header, else the session cookie), NULL if none. */
static const char *request_token(struct gf_req *r, int *cookie)
{
    const char *auth = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
    *cookie = 0;
    if (auth && !strncmp(auth, "Bearer ", 7))
        return auth + 7;
    const char *c = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, COOKIE);
    if (c && *c)
        *cookie = 1;
    return c && *c ? c : NULL;
}

/* Who is asking: GF_OK with r->actor (the public when no token), or GF_EAUTH for a token that is
 * unknown, expired or whose user is disabled.  csrf receives the session's CSRF token. */
static int authenticate(struct gf_req *r, struct gf_worker *w, char *csrf)
{
    memset(&r->actor, 0, sizeof r->actor);
    snprintf(r->actor.name, sizeof r->actor.name, "public");
    csrf[0] = 0;
    int cookie;
    const char *token = request_token(r, &cookie);
    if (!token)
        return GF_OK;
    r->cookie_auth = cookie;
    struct gf_http *h = r->h;
    struct session_blob b;
    long long tag = atomic_load(&h->auth_ver);
    double now = gf_http_now();
    /* a cached session is rechecked against the database (its idle clock moved) once a minute,
     * or sooner when it would otherwise end */
    if (gf_cache_get(h->sessions, token, tag, NULL, &b, sizeof b) && now - b.checked < 60 &&
        wall() < b.expires) {
        r->actor = b.actor;
        memcpy(csrf, b.csrf, sizeof b.csrf);
        return GF_OK;
    }
    int rc = gf_session_actor(w->db, token, wall(), idle_s(h), 1, &b.actor, b.csrf, &b.expires,
                              &r->call.err);
    if (rc) {
        gf_cache_drop(h->sessions, token);
        return rc;
    }
    b.checked = now;
    gf_cache_put(h->sessions, token, tag, NULL, &b, sizeof b);
    r->actor = b.actor;
    memcpy(csrf, b.csrf, sizeof b.csrf);
    return GF_OK;
}

/* State-changing requests authenticated by the cookie must carry the session's CSRF token. */
static int csrf_ok(struct gf_req *r, const char *csrf)
{
    if (!r->cookie_auth)
        return 1;
    const char *got = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
    return got && csrf[0] && strlen(got) == strlen(csrf) &&
           sodium_memcmp(got, csrf, strlen(csrf)) == 0;
}

/* ---- sign-in throttling --------------------------------------------------------------------- */

struct throttle {
    char key[80]; /* "u:NAME" or "a:ADDRESS" */
    int failures;
    int64_t first, until;
};

static const char *peer(struct gf_req *r, char *buf, size_t cap)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    buf[0] = 0;
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, (socklen_t)cap);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf,
                      (socklen_t)cap);
    }
    return buf;
}

static struct throttle *throttle_slot(struct gf_http *h, const char *key, int create)
{
    if (!h->throttle && !(h->throttle = calloc(THROTTLE_SLOTS, sizeof *h->throttle)))
        return NULL;
    int64_t now = wall();
    struct throttle *oldest = &h->throttle[0];
    for (int i = 0; i < THROTTLE_SLOTS; i++) {
        struct throttle *t = &h->throttle[i];
        if (t->key[0] && !strcmp(t->key, key)) {
            if (now - t->first > THROTTLE_WINDOW && now >= t->until)
                memset(t, 0, sizeof *t), snprintf(t->key, sizeof t->key, "%s", key),
                    t->first = now;
            return t;
        }
        if (!t->key[0] || t->until < oldest->until)
            oldest = t;
    }
    if (!create)
        return NULL;
    memset(oldest, 0, sizeof *oldest);
    snprintf(oldest->key, sizeof oldest->key, "%s", key);
    oldest->first = now;
    return oldest;
}

/* The writes open to everyone (a suggestion) count against the sender's address: the seconds to
 * wait once PUBLIC_QUOTA were sent within THROTTLE_WINDOW (0 = go ahead, and counted). */
static int64_t public_quota(struct gf_http *h, const char *addr)
{
    char k[80];
    snprintf(k, sizeof k, "p:%s", addr);
    pthread_mutex_lock(&h->throttle_lock);
    int64_t now = wall(), wait = 0;
    struct throttle *t = throttle_slot(h, k, 1);
    if (t && t->failures >= PUBLIC_QUOTA) {
        t->until = t->first + THROTTLE_WINDOW;
        wait = t->until > now ? t->until - now : 1;
    } else if (t)
        t->failures++;
    pthread_mutex_unlock(&h->throttle_lock);
    return wait;
}

/* Seconds to wait before another attempt for this account or address (0 = go ahead). */
static int64_t throttled(struct gf_http *h, const char *user, const char *addr)
{
    char k1[80], k2[80];
    snprintf(k1, sizeof k1, "u:%s", user);
    snprintf(k2, sizeof k2, "a:%s", addr);
    pthread_mutex_lock(&h->throttle_lock);
    int64_t now = wall(), wait = 0;
    struct throttle *t[2] = {throttle_slot(h, k1, 0), throttle_slot(h, k2, 0)};
    for (int i = 0; i < 2; i++)
        if (t[i] && t[i]->until > now && t[i]->until - now > wait)
            wait = t[i]->until - now;
    pthread_mutex_unlock(&h->throttle_lock);
    return wait;
}

static void throttle_note(struct gf_http *h, const char *user, const char *addr, int failed)
{
    char k1[80], k2[80];
    snprintf(k1, sizeof k1, "u:%s", user);
    snprintf(k2, sizeof k2, "a:%s", addr);
    pthread_mutex_lock(&h->throttle_lock);
    const char *keys[2] = {k1, k2};
    for (int i = 0; i < 2; i++) {
        struct throttle *t = throttle_slot(h, keys[i], failed);
        if (!t)
            continue;
        if (!failed && i == 0) { /* a success clears the account's count, not the address's */
            memset(t, 0, sizeof *t);
            continue;
        }
        if (!failed)
            continue;
        t->failures++;
        /* after the free attempts, wait 2, 4, 8 … seconds, at most 15 minutes */
        if (t->failures > THROTTLE_FREE) {
            int k = t->failures - THROTTLE_FREE;
            int64_t wait = k > 9 ? THROTTLE_WINDOW : (int64_t)1 << k;
            t->until = wall() + (wait > THROTTLE_WINDOW ? THROTTLE_WINDOW : wait);
        }
    }
    pthread_mutex_unlock(&h->throttle_lock);
}

/* ---- the door's own endpoints --------------------------------------------------------------- */

static void reply_text_json(struct gf_req *r, int status, const char *json)
{
    gf_reply_json(&r->reply, status, strdup(json), strlen(json));
}

static void session_reply(struct gf_req *r, const struct gf_actor *a, const char *csrf)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return;
    fputs("{\"user\": {\"name\": ", f);
    gf_json_string(f, a->name);
    fputs(", \"role\": ", f);
    gf_json_string(f, gf_role_info[a->role].code);
    fputs(", \"scope\": ", f);
    if (a->scope[0])
        gf_json_string(f, a->scope);
    else
        fputs("null", f);
    fputs(", \"team\": ", f);
    if (a->team[0])
        gf_json_string(f, a->team);
    else
        fputs("null", f);
    fputs(", \"person\": ", f);
    if (a->person[0])
        gf_json_string(f, a->person);
    else
        fputs("null", f);
    /* what the role may do, so the dashboard offers only the pages it can use (the operations
     * still check every request) */
    fputs(", \"permissions\": [", f);
    for (int p = 0, n = 0; p < GF_NPERMS; p++)
        if (gf_role_can(a->role, (enum gf_perm)p)) {
            fputs(n++ ? ", " : "", f);
            gf_json_string(f, gf_perm_code[p]);
        }
    fputs("]}, \"csrf\": ", f);
    if (csrf && *csrf)
        gf_json_string(f, csrf);
    else
        fputs("null", f);
    fputs("}\n", f);
    fclose(f);
    gf_reply_json(&r->reply, 200, buf, len);
}

static void set_cookie(struct gf_req *r, const char *token, int max_age)
{
    char c[256];
    snprintf(c, sizeof c, COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", token,
             max_age, r->h->o->tls_cert ? "; Secure" : "");
    free(r->reply.cookie);
    r->reply.cookie = strdup(c);
}

static void do_login(struct gf_req *r, struct gf_worker *w)
{
    json_error_t je;
    json_t *root = r->body ? json_loadb(r->body, r->len, JSON_REJECT_DUPLICATES, &je) : NULL;
    const char *name = root ? json_string_value(json_object_get(root, "name")) : NULL;
    const char *pw = root ? json_string_value(json_object_get(root, "password")) : NULL;
    if (!name || !pw || strlen(name) > 64 || strlen(pw) > GF_PASSWORD_MAX) {
        gf_reply_error(&r->reply, 400, "bad_input",
                       "sign in with a JSON body {\"name\": …, \"password\": …}",
                       !name ? "name" : "password");
        json_decref(root);
        return;
    }
    char addr[64];
    peer(r, addr, sizeof addr);
    struct gf_http *h = r->h;
    int64_t wait = throttled(h, name, addr);
    if (wait > 0) {
        char msg[160];
        snprintf(msg, sizeof msg, "too many failed sign-ins: wait %lld s", (long long)wait);
        gf_reply_error(&r->reply, 429, "throttled", msg, NULL);
        json_decref(root);
        return;
    }
    /* at most HASH_MAX Argon2id runs at once (64 MiB each); others wait up to 5 s */
    int slot = 0;
    for (int tries = 0; tries < 500 && !slot; tries++) {
        int cur = atomic_load(&h->hashing);
        if (cur < HASH_MAX && atomic_compare_exchange_weak(&h->hashing, &cur, cur + 1))
            slot = 1;
        else
            usleep(10000);
    }
    if (!slot) {
        gf_reply_error(&r->reply, 503, "busy", "too many sign-ins at once: try again", NULL);
        json_decref(root);
        return;
    }
    struct gf_actor a;
    struct gf_err e = {0};
    int rc = gf_login_check(w->db, name, pw, &a, &e);
    atomic_fetch_sub(&h->hashing, 1);
    throttle_note(h, name, addr, rc != GF_OK);
    char token[GF_TOKEN_LEN + 1], csrf[GF_TOKEN_LEN + 1];
    if (rc == GF_OK)
        rc = gf_session_create(w->db, a.id, "session", addr, wall(), max_s(h), token, csrf, &e);
    json_decref(root);
    if (rc) {
        gf_reply_from_err(&r->reply, &e, 0);
        return;
    }
    session_reply(r, &a, csrf);
    set_cookie(r, token, max_s(h));
    sodium_memzero(token, sizeof token);
}

static void do_token(struct gf_req *r, struct gf_worker *w)
{
    json_t *root = r->body ? json_loadb(r->body, r->len, 0, NULL) : NULL;
    const char *label = root ? json_string_value(json_object_get(root, "label")) : NULL;
    char token[GF_TOKEN_LEN + 1];
    struct gf_err e = {0};
    int rc = gf_session_create(w->db, r->actor.id, "bearer", label ? label : "script", wall(),
                               GF_TOKEN_TTL_S, token, NULL, &e);
    json_decref(root);
    if (rc) {
        gf_reply_from_err(&r->reply, &e, 0);
        return;
    }
    char body[160];
    snprintf(body, sizeof body, "{\"token\": \"%s\", \"expires_in\": %ld}\n", token,
             (long)GF_TOKEN_TTL_S);
    reply_text_json(r, 201, body);
}

/* ---- results as JSON ------------------------------------------------------------------------ */

void gf_api_result_reply(struct gf_req *r, struct gf_call *c, int status)
{
    struct gf_result *res = &c->res;
    if (res->doc) { /* a report, or a download */
        char *copy = malloc(res->doc_len ? res->doc_len : 1);
        if (!copy) {
            gf_reply_error(&r->reply, 503, "out_of_memory", "out of memory", NULL);
            return;
        }
        memcpy(copy, res->doc, res->doc_len);
        gf_reply_json(&r->reply, status, copy, res->doc_len);
        r->reply.ctype = res->doc_type ? res->doc_type : "text/html; charset=utf-8";
        if (res->doc_name)
            snprintf(r->reply.attachment, sizeof r->reply.attachment, "%s", res->doc_name);
        return;
    }
    char extra[256] = "";
    const char *paging = NULL, *page_s = NULL, *size_s = NULL, *sort = NULL;
    if (r->conn) {
        paging = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "paging");
        page_s = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "page");
        size_s = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "page_size");
        sort = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "sort");
    }
    if (res->nsec == 1 && !res->sec[0].record) {
        struct gf_table *t = res->sec[0].t;
        if (sort && *sort) {
            int desc = sort[0] == '-';
            gf_table_sort(t, gf_table_col_index(t, sort + desc), desc);
        }
        long total = gf_table_rows(t);
        long page = page_s ? atol(page_s) : 1, size = size_s ? atol(size_s) : 50;
        if (page < 1)
            page = 1;
        if (size < 1)
            size = 1;
        if (size > 10000)
            size = 10000;
        if (paging && !strcmp(paging, "false")) {
            page = 1;
            size = total > 0 ? total : 1;
        }
        if ((page - 1) * size > total)
            page = total / size + 1;
        gf_table_slice(t, (int)((page - 1) * size), (int)size);
        snprintf(extra, sizeof extra,
                 "\"pager\": {\"page\": %ld, \"page_size\": %ld, \"total\": %ld, "
                 "\"page_count\": %ld}",
                 page, size, total, total ? (total + size - 1) / size : 0);
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        gf_reply_error(&r->reply, 503, "out_of_memory", "out of memory", NULL);
        return;
    }
    gf_result_json(res, f, c->cx ? c->cx->lang : "zh", extra[0] ? extra : NULL);
    fputc('\n', f);
    fclose(f);
    gf_reply_json(&r->reply, status, buf, len);
    if (res->version)
        snprintf(r->reply.etag, sizeof r->reply.etag, "%lld", (long long)res->version);
}

/* A read as a download: ?format=csv (sections as blank-line separated blocks) or ?format=xlsx
 * (one sheet a section), the whole listing (no paging), named after the operation. */
static void download_reply(struct gf_req *r, struct gf_call *c, enum gf_format fmt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        gf_reply_error(&r->reply, 503, "out_of_memory", "out of memory", NULL);
        return;
    }
    struct gf_err e = {0};
    int rc = GF_OK;
    if (fmt == GF_FMT_XLSX)
        rc = gf_result_xlsx(&c->res, f, c->cx->lang, &e);
    else
        gf_result_print(&c->res, f, fmt, c->cx->lang);
    fclose(f);
    if (rc) {
        free(buf);
        gf_reply_from_err(&r->reply, &e, 0);
        return;
    }
    gf_reply_json(&r->reply, 200, buf, len);
    r->reply.ctype = fmt == GF_FMT_XLSX
                         ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                         : "text/csv; charset=utf-8";
    snprintf(r->reply.attachment, sizeof r->reply.attachment, "%s.%s", r->op->name,
             fmt == GF_FMT_XLSX ? "xlsx" : "csv");
}

/* A report printed to PDF (headless chromium, report.h). */
static void pdf_reply(struct gf_req *r, struct gf_call *c)
{
    if (!c->res.doc) {
        gf_reply_error(&r->reply, 400, "bad_request", "format=pdf is for reports", "format");
        return;
    }
    const char *tmp = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/gongfu-report-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    struct gf_err e = {0};
    if (fd < 0) {
        gf_reply_error(&r->reply, 503, "unavailable", "cannot make a temporary file", NULL);
        return;
    }
    close(fd);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = NULL;
    if (gf_pdf_print(c->res.doc, c->res.doc_len, path, &e) == GF_OK && (f = fopen(path, "rb"))) {
        FILE *m = open_memstream(&buf, &len);
        char chunk[65536];
        size_t n;
        while (m && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
            fwrite(chunk, 1, n, m);
        if (m)
            fclose(m);
        fclose(f);
    }
    unlink(path);
    if (!buf) {
        gf_reply_error(&r->reply, 503, "unavailable", e.msg[0] ? e.msg : "cannot print the PDF",
                       NULL);
        return;
    }
    gf_reply_json(&r->reply, 200, buf, len);
    r->reply.ctype = "application/pdf";
    snprintf(r->reply.attachment, sizeof r->reply.attachment, "%s.pdf", r->op->name);
}

/* ---- the handler ---------------------------------------------------------------------------- */

static const char *lang_of(struct gf_req *r)
{
    const char *l = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "lang");
    if (!l)
        l = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Accept-Language");
    return l && l[0] == 'e' && l[1] == 'n' ? "en" : "zh";
}

int gf_api_handle(struct gf_req *r)
{
    struct gf_http *h = r->h;
    struct gf_err e = {0};
    if (!strcmp(r->url, "/api/health")) {
        reply_text_json(r, 200, "{\"status\": \"ok\"}\n");
        return 0;
    }
    if (!strcmp(r->url, "/api/openapi.json")) {
        size_t len;
        char *spec = gf_openapi(&len);
        if (spec)
            gf_reply_json(&r->reply, 200, spec, len);
        else
            gf_reply_error(&r->reply, 503, "out_of_memory", "out of memory", NULL);
        return 0;
    }
    struct gf_worker *w = gf_worker_get(h, &e);
    if (!w || gf_worker_sync(h, w, &e)) {
        gf_reply_from_err(&r->reply, &e, 0);
        return 0;
    }
    if (!strcmp(r->url, "/api/login")) {
        if (strcmp(r->method, "POST"))
            gf_reply_error(&r->reply, 405, "method_not_allowed", "POST to sign in", NULL);
        else
            do_login(r, w);
        return 0;
    }
    char csrf[GF_TOKEN_LEN + 1];
    if (authenticate(r, w, csrf)) {
        gf_reply_from_err(&r->reply, &r->call.err, 0);
        /* a stale cookie is cleared, so the browser stops sending it */
        if (r->cookie_auth)
            set_cookie(r, "", 0);
        return 0;
    }
    int reading = !strcmp(r->method, "GET") || !strcmp(r->method, "HEAD");
    if (!reading && !csrf_ok(r, csrf)) {
        gf_reply_error(&r->reply, 403, "csrf",
                       "missing or wrong X-CSRF-Token header (GET /api/session gives it)", NULL);
        return 0;
    }
    if (!strcmp(r->url, "/api/session") || !strcmp(r->url, "/api/logout") ||
        !strcmp(r->url, "/api/tokens") || !strncmp(r->url, "/api/jobs/", 10)) {
        if (r->actor.role == GF_ROLE_PUBLIC) {
            gf_reply_error(&r->reply, 401, "unauthenticated", "not signed in", NULL);
            return 0;
        }
        if (!strcmp(r->url, "/api/session") && reading)
            session_reply(r, &r->actor, csrf);
        else if (!strcmp(r->url, "/api/logout") && !reading) {
            int cookie;
            const char *token = request_token(r, &cookie);
            gf_session_delete(w->db, token, NULL);
            gf_cache_drop(h->sessions, token);
            reply_text_json(r, 200, "{\"message\": \"signed out\"}\n");
            set_cookie(r, "", 0);
        } else if (!strcmp(r->url, "/api/tokens") && !reading)
            do_token(r, w);
        else if (!strncmp(r->url, "/api/jobs/", 10) && reading)
            gf_jobs_get(h->jobs, r, r->url + 10);
        else
            gf_reply_error(&r->reply, 405, "method_not_allowed", "method not allowed", NULL);
        return 0;
    }
    int other;
    const struct gf_op *op = route(r, &other);
    if (!op) {
        if (other)
            gf_reply_error(&r->reply, 405, "method_not_allowed",
                           "this resource does not take that method", NULL);
        else
            gf_reply_error(&r->reply, 404, "not_found", "no such API resource", NULL);
        return 0;
    }
    r->op = op;
    gf_ctx_init(&r->cx, w->db, &r->actor, lang_of(r));
    r->cx.units = w->units_ok ? &w->units : NULL;
    gf_call_init(&r->call, &r->cx, op);
    r->call_ready = 1;
    /* arguments: path segments, then the query, then the body */
    int rc = GF_OK;
    for (int i = 0; i < r->npath && rc == GF_OK; i++)
        rc = gf_call_set(&r->call, r->pathname[i], r->pathval[i]);
    struct argv_ctx a = {.r = r};
    if (rc == GF_OK) {
        MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, query_arg, &a);
        if (a.bad)
            rc = r->call.err.code ? r->call.err.code : GF_EUSAGE;
    }
    char version[32] = "";
    int count = a.n;
    if (rc == GF_OK)
        rc = take_body_args(r, &count, version, sizeof version);
    for (int i = 0; op->params[i].name && rc == GF_OK; i++)
        if ((op->params[i].flags & GF_PF_CLI) && gf_arg(&r->call, op->params[i].name))
            rc = gf_err_set(&r->call.err, GF_EUSAGE, "%s is for the command line only",
                            op->params[i].name);
    if (rc) {
        gf_reply_from_err(&r->reply, &r->call.err, 0);
        return 0;
    }
    const char *im = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-Match");
    if (im) {
        snprintf(r->if_match, sizeof r->if_match, "%.*s", (int)strcspn(im + (im[0] == '"'), "\""),
                 im + (im[0] == '"'));
        r->had_if_match = 1;
    } else
        snprintf(r->if_match, sizeof r->if_match, "%s", version);
    if (r->if_match[0])
        r->call.if_version = r->if_match;
    if (op->input) {
        if (!r->upload) {
            gf_reply_error(&r->reply, 400, "bad_request",
                           "send the file as the body (Content-Type: text/csv, "
                           "application/x-ndjson or application/octet-stream for JSON)",
                           NULL);
            return 0;
        }
        r->call.input = r->upload_path;
        r->call.input_name = a.filename ? a.filename : "upload";
        const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
        r->call.input_format = ct && !strncmp(ct, "text/csv", 8) ? "csv" : "json";
    }
    if (op->kind == GF_OP_READ) {
        if (!reading) {
            gf_reply_error(&r->reply, 405, "method_not_allowed", "reads are GET", NULL);
            return 0;
        }
        /* reports (a document) come as html (the default) or pdf */
        int pdf = a.format && !strcmp(a.format, "pdf");
        int fmt = !a.format || pdf || !strcmp(a.format, "html") ? GF_FMT_JSON
                                                                 : gf_format_parse(a.format);
        if (fmt != GF_FMT_JSON && fmt != GF_FMT_CSV && fmt != GF_FMT_XLSX) {
            gf_reply_error(&r->reply, 400, "bad_request",
                           "format: one of json, csv, xlsx (reports: html, pdf)", "format");
            return 0;
        }
        if (pdf) { /* printed now, not cached */
            if (gf_call_run(&r->call))
                gf_reply_from_err(&r->reply, &r->call.err, 0);
            else
                pdf_reply(r, &r->call);
            return 0;
        }
        if (fmt != GF_FMT_JSON) { /* downloads are not cached */
            if (gf_call_run(&r->call))
                gf_reply_from_err(&r->reply, &r->call.err, 0);
            else
                download_reply(r, &r->call, (enum gf_format)fmt);
            return 0;
        }
        char ck[2300];
        long long tag = atomic_load(&h->gen);
        snprintf(ck, sizeof ck, "%lld|%s|%s|%s", (long long)r->actor.id, r->cx.lang, r->url,
                 a.key);
        if (gf_cache_get(h->cache, ck, tag, &r->reply, NULL, 0))
            return 0;
        if (gf_call_run(&r->call)) {
            gf_reply_from_err(&r->reply, &r->call.err, 0);
            return 0;
        }
        gf_api_result_reply(r, &r->call, 200);
        if (r->reply.status == 200)
            gf_cache_put(h->cache, ck, tag, &r->reply, NULL, 0);
        return 0;
    }
    if (op->kind == GF_OP_JOB) {
        /* refused now (401, 403, 400), not in a job that fails later */
        if (gf_call_check(&r->call)) {
            gf_reply_from_err(&r->reply, &r->call.err, 0);
            return 0;
        }
        gf_jobs_start(h->jobs, r);
        return 0;
    }
    if (op->perm == GF_PERM_PUBLIC) { /* open to everyone: so many an address */
        char addr[64], msg[160];
        int64_t wait = public_quota(h, peer(r, addr, sizeof addr));
        if (wait) {
            snprintf(msg, sizeof msg,
                     "too many from this address: at most %d in %d minutes; try again in %lld s",
                     PUBLIC_QUOTA, THROTTLE_WINDOW / 60, (long long)wait);
            gf_reply_error(&r->reply, 429, "throttled", msg, NULL);
            return 0;
        }
    }
    /* a write: the writer commits it with the others waiting, then answers */
    sem_init(&r->done, 0, 0);
    gf_writer_submit(h->writer, r);
    while (sem_wait(&r->done) != 0)
        ;
    sem_destroy(&r->done);
    return 0;
}
