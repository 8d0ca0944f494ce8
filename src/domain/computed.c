/* computed.c — saving values computed from gongfu's own records (see computed.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/computed.h"
#include "domain/period.h"
#include "util/err.h"

enum { OLD_NONE, OLD_SAME, OLD_DIFF, OLD_KEEP };

static int create_indicators(struct gf_db *db, const struct gf_computed_set *s,
                             struct gf_computed_stats *st, struct gf_err *e)
{
    for (int i = 0; i < s->ni; i++) {
        const struct gf_computed_ind *d = &s->ind[i];
        int rc = gf_db_run(db, e,
                           "INSERT INTO indicator (code, name, name_en, unit_of_measure, direction,"
                           " agg_time, agg_units, source, description) VALUES (?, ?, ?, ?, ?,"
                           " 'last', ?, ?, ?) ON CONFLICT (code) DO NOTHING",
                           d->code, d->zh, d->en, d->uom, d->dir,
                           d->agg_units ? d->agg_units : "none", s->ind_source, d->desc);
        if (rc)
            return rc;
        st->created += (int)gf_db_changes(db);
    }
    return GF_OK;
}

static int indicator_of(const struct gf_computed_set *s, const char *code)
{
    for (int i = 0; i < s->ni; i++)
        if (!strcmp(s->ind[i].code, code))
            return i;
    return -1;
}

/* What is stored now for every cell of the set. */
static int read_old(struct gf_db *db, const struct gf_computed_set *s, unsigned char *old,
                    struct gf_err *e)
{
    struct gf_stmt *q;
    int rc = gf_db_prepare(db,
                           "SELECT unit, indicator, value, origin, source, state FROM value"
                           " WHERE period = ?",
                           &q, e);
    if (rc)
        return rc;
    gf_stmt_bind_text(q, 1, s->period);
    while ((rc = gf_stmt_step(q, e)) == 1) {
        int i = indicator_of(s, gf_stmt_text(q, 1));
        int u = i < 0 ? -1 : gf_units_find(s->units, gf_stmt_text(q, 0));
        if (u < 0)
            continue;
        const char *origin = gf_stmt_text(q, 3), *src = gf_stmt_text(q, 4),
                   *state = gf_stmt_text(q, 5);
        unsigned char *o = &old[(size_t)u * (size_t)s->ni + (size_t)i];
        if (!strcmp(origin, "reported") && !(src && strstr(src, "synthetic")))
            *o = OLD_KEEP;
        else if (!strcmp(origin, "computed") && src && !strcmp(src, s->source) &&
                 !strcmp(state, "approved") && gf_stmt_double(q, 2) == s->value(s->ctx, u, i))
            *o = OLD_SAME;
        else
            *o = OLD_DIFF;
    }
    gf_stmt_finalize(q);
    return rc < 0 ? rc : GF_OK;
}

int gf_computed_save(struct gf_db *db, const char *actor, const struct gf_computed_set *s,
                     struct gf_computed_stats *st, struct gf_err *e)
{
    memset(st, 0, sizeof *st);
    int nu = s->units->n, rc;
    char now[32];
    gf_now(now);
    unsigned char *old = calloc((size_t)(nu ? nu : 1) * (size_t)(s->ni ? s->ni : 1), 1);
    if (!old)
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    struct gf_stmt *ins = NULL, *del = NULL;
    if ((rc = gf_period_ensure(db, s->period, e)) || (rc = create_indicators(db, s, st, e)) ||
        (rc = read_old(db, s, old, e)))
        goto done;
    if ((rc = gf_db_prepare(db,
                            "INSERT INTO value (unit, indicator, period, value, origin, source, state,"
                            " updated_by, updated_at) VALUES (?, ?, ?, ?, 'computed', ?, 'approved', ?, ?)"
                            " ON CONFLICT (unit, indicator, period) DO UPDATE SET value = excluded.value,"
                            " origin = 'computed', source = excluded.source, state = 'approved',"
                            " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                            &ins, e)) ||
        (rc = gf_db_prepare(db,
                            "DELETE FROM value WHERE unit = ? AND indicator = ? AND period = ?"
                            " AND origin = 'computed'",
                            &del, e)))
        goto done;
    for (int u = 0; u < nu && rc == GF_OK; u++) {
        for (int i = 0; i < s->ni && rc == GF_OK; i++) {
            unsigned char o = old[(size_t)u * (size_t)s->ni + (size_t)i];
            double v = s->value(s->ctx, u, i);
            const char *unit = s->units->unit[u].code, *ind = s->ind[i].code;
            if (o == OLD_KEEP) {
                st->kept += !isnan(v);
            } else if (isnan(v)) {
                if (o != OLD_NONE) { /* a computed value that no longer holds */
                    gf_stmt_bind_text(del, 1, unit);
                    gf_stmt_bind_text(del, 2, ind);
                    gf_stmt_bind_text(del, 3, s->period);
                    rc = gf_stmt_step(del, e) < 0 ? GF_ESYS : GF_OK;
                    gf_stmt_reset(del);
                    st->removed += gf_db_changes(db);
                }
            } else if (o == OLD_SAME) {
                st->unchanged++;
            } else {
                gf_stmt_bind_text(ins, 1, unit);
                gf_stmt_bind_text(ins, 2, ind);
                gf_stmt_bind_text(ins, 3, s->period);
                gf_stmt_bind_double(ins, 4, v);
                gf_stmt_bind_text(ins, 5, s->source);
                gf_stmt_bind_text(ins, 6, actor);
                gf_stmt_bind_text(ins, 7, now);
                rc = gf_stmt_step(ins, e) < 0 ? GF_ESYS : GF_OK;
                gf_stmt_reset(ins);
                st->written++;
            }
        }
    }
done:
    gf_stmt_finalize(ins);
    gf_stmt_finalize(del);
    free(old);
    return rc;
}
