/* audit.h — the audit trail: every change to data records who, when, what, before and after.
 *
 * Call gf_audit inside the same transaction as the change it records, so both land or neither.
 * before/after are JSON texts (NULL for "did not exist" / "deleted").  gf_json_obj builds
 * such a text from key/value pairs. */
#ifndef GF_AUDIT_H
#define GF_AUDIT_H

#include "store/db.h"

int gf_audit(struct gf_db *db, const char *actor, const char *action, const char *entity,
             const char *key, const char *before, const char *after, struct gf_err *e);

/* Current time as ISO 8601 UTC ("2026-11-22T03:50:00Z"), or $GONGFU_NOW when set (tests use it
 * to fix the clock).  Writes into buf (at least 32 bytes) and returns it. */
const char *gf_now(char *buf);

/* Today's date "YYYY-MM-DD" (from gf_now). */
const char *gf_today(char *buf);

/* Build a JSON object text from NULL-terminated pairs of (key, text value); a NULL value is
 * written as null.  Returns a malloc'd string the caller frees. */
char *gf_json_obj(const char *key, ...);

#endif
