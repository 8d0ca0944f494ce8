/* cache.c — a bounded cache of replies (and small blobs) by key and tag.
 *
 * Direct-mapped: a key hashes to one slot, a newer entry replaces an older one.  An entry is
 * valid only under the tag it was stored with (the server's data generation for replies, the
 * auth version for sessions), so nothing is ever invalidated by hand: a change moves the tag.
 * Slots are locked in 64 stripes so worker threads rarely wait for each other. */
#include <stdlib.h>
#include <string.h>

#include "http/http_int.h"
#include "util/hash.h"

#define STRIPES 64

struct entry {
    char *key;
    long long tag;
    int status;
    const char *ctype;
    char etag[40];
    char *body;
    size_t len;
    unsigned char *blob;
    size_t blob_len;
};

struct gf_cache {
    struct entry *e;
    int n;
    uint64_t seed; /* the hash's start (hash.h): no request can aim at another's slot */
    pthread_mutex_t lock[STRIPES];
};

struct gf_cache *gf_cache_new(int slots)
{
    struct gf_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->e = calloc((size_t)slots, sizeof *c->e);
    if (!c->e) {
        free(c);
        return NULL;
    }
    c->n = slots;
    c->seed = gf_hash_seed();
    for (int i = 0; i < STRIPES; i++)
        pthread_mutex_init(&c->lock[i], NULL);
    return c;
}

static void clear(struct entry *x)
{
    free(x->key);
    free(x->body);
    free(x->blob);
    memset(x, 0, sizeof *x);
}

void gf_cache_free(struct gf_cache *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->n; i++)
        clear(&c->e[i]);
    free(c->e);
    free(c);
}

int gf_cache_get(struct gf_cache *c, const char *key, long long tag, struct gf_reply *out,
                 void *blob, size_t blob_len)
{
    if (!c)
        return 0;
    uint64_t h = gf_fnv1a_str(key, c->seed);
    struct entry *x = &c->e[h % (uint64_t)c->n];
    pthread_mutex_t *m = &c->lock[h % STRIPES];
    int found = 0;
    pthread_mutex_lock(m);
    if (x->key && x->tag == tag && !strcmp(x->key, key) && (!blob || x->blob_len == blob_len)) {
        found = 1;
        if (out) {
            out->body = malloc(x->len ? x->len : 1);
            if (!out->body)
                found = 0;
            else {
                memcpy(out->body, x->body, x->len);
                out->len = x->len;
                out->status = x->status;
                out->ctype = x->ctype;
                memcpy(out->etag, x->etag, sizeof out->etag);
            }
        }
        if (found && blob)
            memcpy(blob, x->blob, blob_len);
    }
    pthread_mutex_unlock(m);
    return found;
}

void gf_cache_put(struct gf_cache *c, const char *key, long long tag, const struct gf_reply *r,
                  const void *blob, size_t blob_len)
{
    if (!c)
        return;
    uint64_t h = gf_fnv1a_str(key, c->seed);
    struct entry *x = &c->e[h % (uint64_t)c->n], fresh = {0};
    fresh.key = strdup(key);
    fresh.tag = tag;
    if (r) {
        fresh.status = r->status;
        fresh.ctype = r->ctype;
        memcpy(fresh.etag, r->etag, sizeof fresh.etag);
        fresh.body = malloc(r->len ? r->len : 1);
        if (fresh.body)
            memcpy(fresh.body, r->body, r->len);
        fresh.len = r->len;
    }
    if (blob) {
        fresh.blob = malloc(blob_len);
        if (fresh.blob)
            memcpy(fresh.blob, blob, blob_len);
        fresh.blob_len = blob_len;
    }
    if (!fresh.key || (r && !fresh.body) || (blob && !fresh.blob)) {
        clear(&fresh);
        return;
    }
    pthread_mutex_t *m = &c->lock[h % STRIPES];
    pthread_mutex_lock(m);
    struct entry old = *x;
    *x = fresh;
    pthread_mutex_unlock(m);
    clear(&old);
}

void gf_cache_drop(struct gf_cache *c, const char *key)
{
    if (!c)
        return;
    uint64_t h = gf_fnv1a_str(key, c->seed);
    struct entry *x = &c->e[h % (uint64_t)c->n], old = {0};
    pthread_mutex_t *m = &c->lock[h % STRIPES];
    pthread_mutex_lock(m);
    if (x->key && !strcmp(x->key, key)) {
        old = *x;
        memset(x, 0, sizeof *x);
    }
    pthread_mutex_unlock(m);
    clear(&old);
}
