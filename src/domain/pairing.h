/* pairing.h — pairings of organisations (结对帮扶 above the household) and what they did.
 *
 * Records (schema_pairing.c), imported with the usual rules:
 *   pairings            code, kind, helper, unit, start[, end, helper_name, pledged, measures, note]:
 *                       kind department (百个部门扶百村: helper a department code), enterprise
 *                       (村企结对: helper a registered enterprise), county (山海协作, 对口支援: a
 *                       partner county outside the zone, helper its code, helper_name required)
 *                       or other (helper_name required); unit the unit of the zone helped;
 *                       pledged the money pledged over start..end (yuan);
 *   pairing_activities  pairing, date, kind (visit, project, funds, measure, other)[, amount, note]:
 *                       what was done, on a date not after today and not before the pairing's
 *                       start; amount the money delivered (yuan).
 * The reads (service/ops_pairing.c) derive from them: money delivered, the pro-rata plan (pledged
 * × the share of start..end gone by), alerts — no activity for N days (default 90), money behind
 * plan (delivered under 90 % of the plan) — and coverage (the units of a level with an active
 * pairing of a kind). */
#ifndef GF_PAIRING_H
#define GF_PAIRING_H

#include "util/table.h"

/* Money behind plan: delivered under this share of the pro-rata plan. */
#define GF_PAIRING_BEHIND 0.9

extern const struct gf_code_label gf_pairing_kinds[];
extern const struct gf_code_label gf_pairing_activity_kinds[];

#endif
