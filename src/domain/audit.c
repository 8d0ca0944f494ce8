/* audit.c — the audit trail and the clock. */
#include "domain/audit.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

int gf_audit(struct gf_db *db, const char *actor, const char *action, const char *entity,
             const char *key, const char *before, const char *after, struct gf_err *e)
{
    char now[32];
    return gf_db_run(db, e,
                     "INSERT INTO audit (at, actor, action, entity, key, before, after) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)",
                     gf_now(now), actor ? actor : "cli", action, entity, key, before, after);
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
