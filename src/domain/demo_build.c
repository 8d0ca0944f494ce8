/* demo_build.c — run the synthetic parts of the demo in order (see demo_build.h). */
#include "domain/demo_build.h"

#include <stdint.h>
#include <stdio.h>

#include "domain/demo.h"
#include "domain/evaluation.h"
#include "domain/household.h"
#include "domain/income.h"
#include "domain/lists.h"
#include "domain/values.h"

/* Evaluation runs the horse race reads: every year with values, at the county and the village
 * level, with rank sensitivity — so each run has the previous year's beside it and the race's
 * improvement and rank change are live (the race would otherwise evaluate on the fly). */
static int demo_eval_runs(struct gf_db *db, const char *actor, struct gf_err *e)
{
    /* the zone's framework at the county and the village level, then the village governance
     * index at the village level: saved last, it is the village race's evaluation */
    static const struct {
        const char *fw;
        int level;
    } runs[] = {{GF_DEMO_FRAMEWORK, 2}, {GF_DEMO_FRAMEWORK, 4}, {GF_DEMO_VILLAGE_FRAMEWORK, 4}};
    for (size_t l = 0; l < sizeof runs / sizeof runs[0]; l++) {
        struct gf_stmt *st;
        int years[64], ny = 0, rc;
        if ((rc = gf_db_prepare(
                 db,
                 "SELECT DISTINCT p.year FROM value v JOIN period p ON p.code = v.period"
                 " AND p.kind = 'year' JOIN unit u ON u.code = v.unit AND u.level = ?"
                 " JOIN framework_node n ON n.framework = ? AND n.code = v.indicator"
                 " ORDER BY p.year",
                 &st, e)))
            return rc;
        gf_stmt_bind_int(st, 1, runs[l].level);
        gf_stmt_bind_text(st, 2, runs[l].fw);
        while (ny < 64 && (rc = gf_stmt_step(st, e)) == 1)
            years[ny++] = (int)gf_stmt_int(st, 0);
        gf_stmt_finalize(st);
        if (rc < 0)
            return rc;
        for (int y = 0; y < ny; y++) {
            char period[8];
            snprintf(period, sizeof period, "%d", years[y]);
            struct gf_evaluation_opts o = {0};
            o.framework = runs[l].fw;
            o.period = period;
            o.level = runs[l].level;
            o.draws = 1000;
            o.seed = 2024;
            struct gf_evaluation ev;
            if ((rc = gf_evaluation_run(db, &o, &ev, e)))
                return rc;
            long long id;
            rc = gf_evaluation_save(db, &ev, actor, &id, e);
            gf_evaluation_free(&ev);
            if (rc)
                return rc;
        }
    }
    return GF_OK;
}

double gf_demo_hash01(const char *code, const char *salt)
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *s = code; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    for (const char *s = salt; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return (double)(h >> 11) * 0x1.0p-53;
}

int gf_demo_build(struct gf_db *db, const char *actor, struct gf_err *e)
{
    int rc;
    struct gf_rollup_stats rs;
    /* the registry first: the villages' low-income counts are taken from it */
    if ((rc = gf_demo_households(db, actor, e)))
        return rc;
    if ((rc = gf_demo_synthetic_values(db, actor, e)))
        return rc;
    if ((rc = gf_demo_collective(db, actor, e)))
        return rc;
    if ((rc = gf_values_rollup(db, actor, NULL, &rs, e)))
        return rc;
    /* household survey microdata for 2023 and 2024: the distribution measures it computes
     * (origin computed) replace the synthetic values of those indicators */
    if ((rc = gf_demo_income(db, actor, e)))
        return rc;
    if ((rc = gf_values_rollup(db, actor, NULL, &rs, e)))
        return rc;
    if ((rc = demo_eval_runs(db, actor, e)))
        return rc;
    if ((rc = gf_demo_lists(db, actor, e)))
        return rc;
    if ((rc = gf_demo_enterprise_values(db, actor, e)))
        return rc;
    if ((rc = gf_demo_pairing(db, actor, e)))
        return rc;
    if ((rc = gf_demo_voice(db, actor, e)))
        return rc;
    if ((rc = gf_demo_cases(db, actor, e)))
        return rc;
    return GF_OK;
}

int gf_demo_replaceable(struct gf_db *db, struct gf_err *e)
{
    if (gf_db_int(db, "SELECT count(*) FROM meta WHERE key = 'demo' AND value = '1'", 0) == 0) {
        int holds = gf_db_holds_data(db, e);
        return holds < 0 ? holds : !holds;
    }
    int64_t later = gf_db_int(db,
                              "SELECT count(*) FROM audit WHERE id > (SELECT CAST(value AS INTEGER)"
                              " FROM meta WHERE key = 'demo_audit')",
                              -1);
    if (gf_db_int(db, "SELECT count(*) FROM meta WHERE key = 'demo_audit'", 0) == 0)
        /* built before the demo kept its mark: the demo records everything as 'demo' (and its
         * approvals as 'demo-reviewer') */
        later = gf_db_int(db,
                          "SELECT count(*) FROM audit WHERE actor NOT IN ('demo', 'demo-reviewer')",
                          -1);
    if (later < 0)
        return gf_err_set(e, GF_ESYS, "database: cannot read the audit trail");
    return later == 0;
}

int gf_demo_mark(struct gf_db *db, struct gf_err *e)
{
    return gf_db_exec(db,
                      "INSERT INTO meta VALUES ('demo', '1'), ('demo_audit',"
                      " (SELECT coalesce(max(id), 0) FROM audit))",
                      e);
}
