/* audit.c — the audit trail as a hash chain, its verification, and the clock. */
#include "domain/audit.h"

#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/actor.h"

const char *gf_now(char *buf)
{
    const char *fixed = getenv("GONGFU_NOW");
    if (fixed && *fixed) {
        snprintf(buf, 32, "%s", fixed);
        return buf;
    }
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

const char *gf_today(char *buf)
{
    gf_now(buf);
    buf[10] = 0;
    return buf;
}

/* ---- the chain --------------------------------------------------------------------------- */

#define HASH_HEX 64
/* The previous hash of the first record. */
static const char genesis[HASH_HEX + 1] =
    "0000000000000000000000000000000000000000000000000000000000000000";

enum { F_ID, F_AT, F_ACTOR, F_ACTION, F_ENTITY, F_KEY, F_BEFORE, F_AFTER, NFIELDS };

/* The hash of a record: SHA-256 over the previous record's hash (64 hex digits), a newline, and
 * the fields id, at, actor, action, entity, key, before, after in that order, each written as
 * "LENGTH:BYTES" (LENGTH the byte count in decimal) or "~" for NULL.  The length says where a
 * field ends whatever bytes it holds, so no two different records share a canonical form.  out
 * gets 64 lowercase hex digits. */
static void record_hash(const char *prev, const char *const f[NFIELDS], char out[HASH_HEX + 1])
{
    crypto_hash_sha256_state s;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&s);
    crypto_hash_sha256_update(&s, (const unsigned char *)prev, HASH_HEX);
    crypto_hash_sha256_update(&s, (const unsigned char *)"\n", 1);
    for (int i = 0; i < NFIELDS; i++) {
        if (!f[i]) {
            crypto_hash_sha256_update(&s, (const unsigned char *)"~", 1);
            continue;
        }
        size_t n = strlen(f[i]);
        char len[24];
        int k = snprintf(len, sizeof len, "%zu:", n);
        crypto_hash_sha256_update(&s, (const unsigned char *)len, (unsigned long long)k);
        crypto_hash_sha256_update(&s, (const unsigned char *)f[i], n);
    }
    crypto_hash_sha256_final(&s, h);
    sodium_bin2hex(out, HASH_HEX + 1, h, sizeof h);
}

static int is_hash(const char *s)
{
    if (!s || strlen(s) != HASH_HEX)
        return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return 0;
    return 1;
}

#define RECORD_COLS "id, at, actor, action, entity, key, before, after, prev_hash, hash"

/* The fields of a record read with RECORD_COLS; id is formatted into idbuf. */
static void record_fields(struct gf_stmt *st, char idbuf[24], const char *f[NFIELDS])
{
    snprintf(idbuf, 24, "%lld", (long long)gf_stmt_int(st, 0));
    f[F_ID] = idbuf;
    for (int i = 1; i < NFIELDS; i++)
        f[i] = gf_stmt_text(st, i);
}

/* Chain the records written before the chain existed (schema step core/4 noted the last of
 * them in meta), in id order from the genesis hash; *n gets how many.  Inside the caller's
 * transaction.  Read in batches: a table is not updated under an open cursor. */
static int chain_old_records(struct gf_db *db, long *n, struct gf_err *e)
{
    *n = 0;
    int64_t upto = gf_db_int(db, "SELECT value FROM meta WHERE key = 'audit_unchained_upto'", 0);
    if (upto <= 0)
        return GF_OK;
    char prev[HASH_HEX + 1];
    memcpy(prev, genesis, sizeof prev);
    int64_t after_id = 0;
    int rc = GF_OK;
    enum { BATCH = 512 };
    struct pending {
        int64_t id;
        char prev[HASH_HEX + 1], hash[HASH_HEX + 1];
    } *batch = malloc(sizeof *batch * BATCH);
    if (!batch)
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    for (;;) {
        struct gf_stmt *st;
        if ((rc = gf_db_prepare(db,
                                "SELECT " RECORD_COLS " FROM audit WHERE id > ? AND id <= ?"
                                " ORDER BY id LIMIT 512",
                                &st, e)))
            break;
        gf_stmt_bind_int(st, 1, after_id);
        gf_stmt_bind_int(st, 2, upto);
        int got = 0;
        while (got < BATCH && (rc = gf_stmt_step(st, e)) == 1) {
            char idbuf[24];
            const char *f[NFIELDS];
            record_fields(st, idbuf, f);
            struct pending *p = &batch[got++];
            p->id = gf_stmt_int(st, 0);
            memcpy(p->prev, prev, sizeof prev);
            record_hash(prev, f, p->hash);
            memcpy(prev, p->hash, sizeof prev);
        }
        gf_stmt_finalize(st);
        if (rc < 0)
            break;
        rc = GF_OK;
        for (int i = 0; i < got && rc == GF_OK; i++) {
            char idbuf[24];
            snprintf(idbuf, sizeof idbuf, "%lld", (long long)batch[i].id);
            rc = gf_db_run(db, e, "UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?",
                           batch[i].prev, batch[i].hash, idbuf);
        }
        *n += got;
        if (rc || got < BATCH)
            break;
        after_id = batch[got - 1].id;
    }
    free(batch);
    if (rc == GF_OK)
        rc = gf_db_run(db, e, "DELETE FROM meta WHERE key = 'audit_unchained_upto'");
    return rc;
}

/* The newest record's id (0 when none) and the hash the next record links to. */
static int chain_head(struct gf_db *db, int64_t *last, char prev[HASH_HEX + 1], struct gf_err *e)
{
    for (int pass = 0; pass < 2; pass++) {
        struct gf_stmt *st;
        int rc = gf_db_prepare(db, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", &st, e);
        if (rc)
            return rc;
        rc = gf_stmt_step(st, e);
        *last = rc == 1 ? gf_stmt_int(st, 0) : 0;
        const char *h = rc == 1 ? gf_stmt_text(st, 1) : NULL;
        int hashed = is_hash(h);
        memcpy(prev, hashed ? h : genesis, HASH_HEX + 1);
        gf_stmt_finalize(st);
        if (rc < 0)
            return rc;
        if (rc == 0 || hashed || pass == 1)
            return GF_OK;
        /* the newest record has no hash: records from before the chain, chained now (a record
         * added by hand stays unhashed and gf_audit_verify names it) */
        long n;
        if ((rc = chain_old_records(db, &n, e)))
            return rc;
    }
    return GF_OK;
}

int gf_audit(struct gf_db *db, const char *actor, const char *action, const char *entity,
             const char *key, const char *before, const char *after, struct gf_err *e)
{
    if (!actor)
        actor = "cli";
    if (!gf_actor_valid(actor))
        return gf_err_set(e, GF_EUSAGE,
                          "audit: the acting user is empty: every change names who made it "
                          "(--user or GONGFU_USER)");
    if (sodium_init() < 0)
        return gf_err_set(e, GF_ESYS, "audit: libsodium cannot start");
    int rc = gf_db_begin(db, e); /* reading the head and appending are one step */
    if (rc)
        return rc;
    int64_t last;
    char prev[HASH_HEX + 1], hash[HASH_HEX + 1], id[24], now[32];
    if ((rc = chain_head(db, &last, prev, e)) == GF_OK) {
        snprintf(id, sizeof id, "%lld", (long long)last + 1);
        const char *f[NFIELDS] = {id, gf_now(now), actor, action, entity, key, before, after};
        record_hash(prev, f, hash);
        rc = gf_db_run(db, e,
                       "INSERT INTO audit (" RECORD_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       id, now, actor, action, entity, key, before, after, prev, hash);
    }
    if (rc) {
        gf_db_rollback(db);
        return rc;
    }
    return gf_db_commit(db, e);
}

int gf_audit_verify(struct gf_db *db, struct gf_audit_check *out, struct gf_err *e)
{
    memset(out, 0, sizeof *out);
    memcpy(out->head, genesis, sizeof out->head);
    if (sodium_init() < 0)
        return gf_err_set(e, GF_ESYS, "audit: libsodium cannot start");
    int rc;
    if (gf_db_int(db, "SELECT count(*) FROM meta WHERE key = 'audit_unchained_upto'", 0) > 0) {
        if ((rc = gf_db_begin(db, e)))
            return rc;
        if ((rc = chain_old_records(db, &out->chained, e))) {
            gf_db_rollback(db);
            return rc;
        }
        if ((rc = gf_db_commit(db, e)))
            return rc;
    }
    struct gf_stmt *st;
    if ((rc = gf_db_prepare(db, "SELECT " RECORD_COLS " FROM audit ORDER BY id", &st, e)))
        return rc;
    int64_t want = 1;
    char prev[HASH_HEX + 1];
    memcpy(prev, genesis, sizeof prev);
    while ((rc = gf_stmt_step(st, e)) == 1) {
        int64_t id = gf_stmt_int(st, 0);
        const char *stored_prev = gf_stmt_text(st, 8), *stored = gf_stmt_text(st, 9);
        char idbuf[24], hash[HASH_HEX + 1];
        const char *f[NFIELDS];
        out->records++;
        if (!is_hash(stored) || !is_hash(stored_prev)) {
            out->state = GF_AUDIT_INSERTED;
            out->bad_id = id;
            break;
        }
        record_fields(st, idbuf, f);
        record_hash(stored_prev, f, hash);
        if (strcmp(hash, stored)) { /* at its place: changed; elsewhere: not gongfu's */
            out->state = id == want ? GF_AUDIT_CHANGED : GF_AUDIT_INSERTED;
            out->bad_id = id;
            break;
        }
        if (id != want) {
            out->state = id > want ? GF_AUDIT_REMOVED : GF_AUDIT_INSERTED;
            out->bad_id = id > want ? want : id;
            out->bad_last = id - 1;
            break;
        }
        if (strcmp(stored_prev, prev)) {
            out->state = GF_AUDIT_BROKEN;
            out->bad_id = id;
            break;
        }
        memcpy(prev, stored, sizeof prev);
        out->last_id = id;
        want = id + 1;
    }
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    memcpy(out->head, prev, sizeof out->head);
    return GF_OK;
}

int gf_audit_read(struct gf_db *db, const char *actor, const char *what, const char *entity,
                  const char *filter, const char *fields, long rows, struct gf_err *e)
{
    char nrows[32];
    snprintf(nrows, sizeof nrows, "%ld", rows);
    char *after = gf_json_obj("command", what, "filter", filter ? filter : "", "fields", fields,
                              "rows", nrows, NULL);
    if (!after)
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    int rc = gf_db_begin(db, e);
    if (rc == GF_OK) {
        rc = gf_audit(db, actor, "read_unmasked", entity, filter && *filter ? filter : "*", NULL,
                      after, e);
        if (rc == GF_OK)
            rc = gf_db_commit(db, e);
        else
            gf_db_rollback(db);
    }
    free(after);
    return rc;
}

char *gf_json_obj(const char *key, ...)
{
    json_t *o = json_object();
    va_list ap;
    va_start(ap, key);
    for (const char *k = key; k; k = va_arg(ap, const char *)) {
        const char *v = va_arg(ap, const char *);
        json_object_set_new(o, k, v ? json_string(v) : json_null());
    }
    va_end(ap);
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return s;
}
