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

#include "store/db.h"

struct gf_rollup_stats {
    long written, unchanged, removed;
};

/* Recompute rollups and derived values for one period (NULL = every period). */
int gf_values_rollup(struct gf_db *db, const char *actor, const char *period,
                     struct gf_rollup_stats *stats, struct gf_err *e);

/* Move values to a new state (submitted or approved) for a unit (and its descendants when
 * under != 0), an optional indicator and a period.  Only forward moves: draft → submitted →
 * approved; returns the count moved. */
int gf_values_set_state(struct gf_db *db, const char *actor, const char *unit, int under,
                        const char *indicator, const char *period, const char *state, long *moved,
                        struct gf_err *e);

#endif
