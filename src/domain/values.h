/* values.h — indicator values (unit × indicator × period): rollups, derived values, workflow.
 *
 * Reported values come from imports (origin 'reported') or from computations such as the
 * income distribution engine (origin 'computed').  gf_values_rollup fills the rest:
 *   1. over time: a quarter from its months, a year from its quarters (or months), by each
 *      indicator's agg_time (sum, mean, last) — only when every sub-period has a value;
 *   2. over units, bottom-up, by agg_units (sum, mean, popmean = population-weighted mean,
 *      max, min; none = never) — only when every child has a value, so a partial sum is never
 *      shown as a total; a unit's own reported value always wins;
 *   3. derived indicators from their formulas, at every unit, in dependency order.
 * Computed rows carry origin 'rollup' or 'derived'; rerunning writes only what changed. */
#ifndef GF_VALUES_H
#define GF_VALUES_H

#include <stdint.h>

#include "store/db.h"

struct gf_rollup_stats {
    long written, unchanged, removed;
};

/* Recompute rollups and derived values for one period (NULL = every period). */
int gf_values_rollup(struct gf_db *db, const char *actor, const char *period,
                     struct gf_rollup_stats *stats, struct gf_err *e);

/* The workflow of reported values: draft → submitted → approved.  Who submitted and who
 * approved each value is recorded (submitted_by/_at, approved_by/_at).  Whoever submitted a
 * value cannot approve it (people compared by gf_actor_person).  An approved value is locked:
 * an import that would change it is refused (file, line, value: unlock it first), and an import
 * cannot approve; gf_values_unlock opens it again (back to draft), with a reason, audited.
 * Computed values (origin rollup, derived, computed) follow their inputs and are not locked.
 *
 * The functions below act on the reported values of unit (NULL = every unit; with its
 * descendants when under != 0), an optional indicator and an optional period (NULL = all), all
 * or nothing, each change with its audit record; *moved gets the count. */

/* Move values forward to state "submitted" (from draft) or "approved" (from submitted). */
int gf_values_set_state(struct gf_db *db, const char *actor, const char *unit, int under,
                        const char *indicator, const char *period, const char *state, long *moved,
                        struct gf_err *e);

/* Unlock approved values (back to draft, who submitted and approved cleared) so that they can
 * be changed; reason (required) is kept in the audit record.  By an approver (gf_actor_may). */
int gf_values_unlock(struct gf_db *db, const char *actor, const char *unit, int under,
                     const char *indicator, const char *period, const char *reason, long *moved,
                     struct gf_err *e);

/* Send submitted values back to the reporter (back to draft), with the reason (required, kept
 * in the audit record).  By an approver of the level above (gf_actor_may). */
int gf_values_return(struct gf_db *db, const char *actor, const char *unit, int under,
                     const char *indicator, const char *period, const char *reason, long *moved,
                     struct gf_err *e);

/* Enter one reported value as a draft (the data-entry form, PUT /api/values/...): the same rules
 * as an import (not a derived indicator, not an approved value, the same data twice changes
 * nothing), audited, one transaction.  if_version >= 0: refused with GF_ECONFLICT unless the
 * stored value is at that version (0 = not stored yet).  *version gets the new version. */
int gf_value_set(struct gf_db *db, const char *actor, const char *unit, const char *indicator,
                 const char *period, double v, const char *source, int64_t if_version,
                 int64_t *version, struct gf_err *e);
/* The version of a stored value (every change moves it), 0 if there is none. */
int64_t gf_value_version(struct gf_db *db, const char *unit, const char *indicator,
                         const char *period);
/* Whether team is responsible for the indicator (a team reporter enters only those): 1 yes,
 * 0 no (another team's or nobody's), -1 no such indicator. */
int gf_indicator_of_team(struct gf_db *db, const char *indicator, const char *team);

#endif
