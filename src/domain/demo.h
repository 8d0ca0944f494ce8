/* demo.h — the synthetic values of the demo data set (gongfu demo).
 *
 * The demo imports the files of demo/ (units, teams, departments, people, the two framework
 * templates and the real published values), then calls gf_demo_synthetic_values to fill in
 * everything that was not published.  Every value it writes carries source "synthetic"
 * (origin reported, state approved); real values already in the database are never touched.
 * See docs/demo.md for what is real and what is synthetic.
 */
#ifndef GF_DEMO_H
#define GF_DEMO_H

#include "store/db.h"

/* Codes of the frameworks whose indicators get synthetic values: the zone's, and the village
 * governance index (治村指数, demo/framework-village.csv) the village race runs on. */
#define GF_DEMO_FRAMEWORK "panzhihua"
#define GF_DEMO_VILLAGE_FRAMEWORK "zhicun"

/* Fill synthetic values for every indicator of the demo frameworks, years 2019–2025
 * and the quarters of 2024–2025 (for a few indicators), deterministically (fixed seed, draws
 * keyed by unit and indicator code, so the result does not depend on row order):
 *   - indicators with a formula get nothing (they are derived where both operands exist);
 *   - indicators that roll up (agg_units other than none) get values at villages only, the
 *     rollup computes townships, counties and the city;
 *   - indicators that do not roll up get values at the counties and the city.
 * Levels are calibrated to the real values already stored for the city and the counties
 * (source other than "synthetic"): a real value is an anchor the synthetic series passes
 * through, and a real county value sets that county's level relative to the city.  A few
 * values are deliberately missing so that imputation has work to do.
 * Writes in one transaction with one prepared INSERT … ON CONFLICT DO NOTHING (existing values,
 * real or synthetic, stay as they are; running it twice changes nothing) and records one audit
 * row by actor.  Returns GF_OK, GF_EUSER when the framework or the units are missing, or a
 * store error; on error nothing is written. */
int gf_demo_synthetic_values(struct gf_db *db, const char *actor, struct gf_err *e);

#endif
