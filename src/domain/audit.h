/* audit.h — the audit trail: every change to data records who, when, what, before and after,
 * and every read of personal data shown unmasked records who read what.
 *
 * Call gf_audit inside the same transaction as the change it records, so both land or neither.
 * before/after are JSON texts (NULL for "did not exist" / "deleted").  gf_json_obj builds
 * such a text from key/value pairs.
 *
 * The records form a hash chain: each record stores the hash of the record before it
 * (prev_hash) and its own hash, SHA-256 over the previous hash and the record in a canonical
 * form (id, at, actor, action, entity, key, before, after, each length-prefixed; see audit.c).
 * Ids run 1, 2, 3, … without gaps.  A record changed, removed or added by hand breaks the chain
 * and gf_audit_verify names it.  Removing the newest records leaves a shorter chain that still
 * holds: keep the head (last id and hash) gf_audit_verify reports somewhere else to catch that. */
#ifndef GF_AUDIT_H
#define GF_AUDIT_H

#include <stdint.h>

#include "store/db.h"

/* Append one record.  actor NULL stands for "cli"; an empty or blank actor is refused
 * (GF_EUSAGE): every record names who acted. */
int gf_audit(struct gf_db *db, const char *actor, const char *action, const char *entity,
             const char *key, const char *before, const char *after, struct gf_err *e);

/* Record, in its own transaction and before anything is shown, that actor is shown personal data
 * unmasked (action "read_unmasked"): the command (what), the entity read, the filter, the fields
 * shown unmasked (comma-separated column names) and how many rows. */
int gf_audit_read(struct gf_db *db, const char *actor, const char *what, const char *entity,
                  const char *filter, const char *fields, long rows, struct gf_err *e);

enum gf_audit_state {
    GF_AUDIT_INTACT,   /* every record is where the chain says */
    GF_AUDIT_CHANGED,  /* record bad_id no longer matches its hash */
    GF_AUDIT_REMOVED,  /* records bad_id .. bad_last are missing */
    GF_AUDIT_INSERTED, /* record bad_id was added outside gongfu: it has no chain hash, or
                          a hash that fits neither its content nor its place */
    GF_AUDIT_BROKEN,   /* record bad_id does not link to the one before it (that one was
                          rewritten with a new hash, or bad_id was put in its place) */
};

struct gf_audit_check {
    enum gf_audit_state state;
    long records; /* records read */
    long chained; /* records written before the chain existed, chained by this call */
    int64_t bad_id, bad_last;
    int64_t last_id; /* the head of the chain (when intact) */
    char head[65];   /* its hash, 64 hex digits */
};

/* Walk the whole trail in id order and check every record's hash and link.  Records written
 * before the chain existed (databases created before it) are chained first, once.  Returns
 * GF_OK with out->state telling what was found, or an error reading the database. */
int gf_audit_verify(struct gf_db *db, struct gf_audit_check *out, struct gf_err *e);

/* Current time as ISO 8601 UTC ("2026-11-22T03:50:00Z"), or $GONGFU_NOW when set (tests use it
 * to fix the clock).  Writes into buf (at least 32 bytes) and returns it. */
const char *gf_now(char *buf);

/* Today's date "YYYY-MM-DD" (from gf_now). */
const char *gf_today(char *buf);

/* Build a JSON object text from NULL-terminated pairs of (key, text value); a NULL value is
 * written as null.  Returns a malloc'd string the caller frees. */
char *gf_json_obj(const char *key, ...);

#endif
