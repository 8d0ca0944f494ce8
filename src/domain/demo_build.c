/* demo_build.c — run the synthetic parts of the demo in order (see demo_build.h). */
#include "domain/demo_build.h"

#include <stdio.h>

#include "domain/demo.h"
#include "domain/evaluation.h"
#include "domain/household.h"
#include "domain/income.h"
#include "domain/lists.h"
#include "domain/values.h"

/* Evaluation runs the horse race reads: counties, 2023 and 2024, with rank sensitivity. */
static int demo_eval_runs(struct gf_db *db, const char *actor, struct gf_err *e)
{
    static const char *const periods[] = {"2023", "2024"};
    for (int p = 0; p < 2; p++) {
        struct gf_evaluation_opts o = {0};
        o.framework = GF_DEMO_FRAMEWORK;
        o.period = periods[p];
        o.level = 2;
        o.draws = 1000;
        o.seed = 2024;
        struct gf_evaluation ev;
        int rc = gf_evaluation_run(db, &o, &ev, e);
        if (rc)
            return rc;
        long long id;
        rc = gf_evaluation_save(db, &ev, actor, &id, e);
        gf_evaluation_free(&ev);
        if (rc)
            return rc;
    }
    return GF_OK;
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
    return GF_OK;
}
