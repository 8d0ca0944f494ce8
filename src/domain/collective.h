/* collective.h — the village collective economy (村级集体经济): ledgers in, indicators out.
 *
 * Records (schema_collective.c), imported with the usual rules (all or nothing, errors naming
 * file, line, field, value and what was expected), amounts in yuan:
 *   collective_income           a village's income of a year by source: operating (经营收入),
 *                               contracting (发包及上交收入), investment (投资收益), subsidy
 *                               (补助收入), other (其他收入);
 *   village_enterprises         village enterprises (强村公司 qiangcun, 乡村发展公司 development,
 *                               cooperatives) of one village each;
 *   village_enterprise_results  an enterprise's year: revenue, profit, dividends paid to villagers,
 *                               and what it paid to the village collective (to_collective);
 *   enclaves                    joint "enclave" investments (飞地抱团): one row per village with its
 *                               stake (invested);
 *   enclave_returns             an enclave's return of a year, shared among its villages by stake.
 * Only a village (a unit with no units under it) holds a ledger, an enterprise or a stake.
 *
 * Indicators computed from them for every village and year (origin 'computed', domain/computed.h),
 * then rolled up to the units above by each indicator's rule:
 *   collective_income_village  经营性收入 (万元) = operating + contracting + investment
 *                              + enterprise payments to the collective + enclave returns;
 *   collective_total_income    总收入 (万元) = operating income + subsidy + other;
 *   collective_income_growth   operating income over the year before, % (both years present, the
 *                              earlier one > 0);
 *   collective_dividends       强村公司等分红到户 (万元): dividends of the village's enterprises;
 *   collective_enclave_returns 飞地抱团收益 (万元): the village's share of its enclaves' returns.
 * Every import of these kinds recomputes them (inside the import's transaction). */
#ifndef GF_COLLECTIVE_H
#define GF_COLLECTIVE_H

#include "store/db.h"
#include "util/table.h"

struct gf_collective_stats {
    int years;                              /* years with records */
    long written, unchanged, removed, kept; /* indicator values (kept: reported by a person) */
};

/* Recompute the collective economy indicators of every year with records, and roll them up.
 * Runs in a transaction of its own or inside the caller's; one audit record a year that changed. */
int gf_collective_compute(struct gf_db *db, const char *actor, struct gf_collective_stats *s,
                          struct gf_err *e);

/* The sources of a ledger and the kinds of village enterprise, with their labels ({NULL}-ended). */
extern const struct gf_code_label gf_collective_sources[];
extern const struct gf_code_label gf_village_enterprise_kinds[];

#endif
