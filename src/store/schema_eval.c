/* schema_eval.c — schema steps of the evaluation module (append-only; see schema.c).
 * An evaluation run is stored with its pipeline and seed; results refer to their run, so
 * rankings, the horse race and reports can say which run they came from. */
#include <stddef.h>

extern const char *const gf_schema_eval_steps[];
const char *const gf_schema_eval_steps[] = {
    /* 1 */
    "CREATE TABLE eval_run ("
    "  id INTEGER PRIMARY KEY,"
    "  framework TEXT NOT NULL REFERENCES framework(code),"
    "  period TEXT NOT NULL REFERENCES period(code),"
    "  level INTEGER NOT NULL,"         /* unit level ranked (2 = county, 4 = village, …) */
    "  pipeline TEXT NOT NULL,"         /* the pipeline as JSON */
    "  draws INTEGER NOT NULL DEFAULT 0," /* Monte Carlo draws (0 = no sensitivity) */
    "  seed INTEGER,"
    "  created_at TEXT NOT NULL, created_by TEXT NOT NULL);"
    "CREATE TABLE eval_result ("
    "  run INTEGER NOT NULL REFERENCES eval_run(id),"
    "  unit TEXT NOT NULL REFERENCES unit(code),"
    "  node TEXT NOT NULL,"             /* framework node code: the index, a dimension or an indicator */
    "  score REAL,"                     /* index/dimension score; for an indicator its normalised value */
    "  rank INTEGER,"                   /* 1 = best, ties share the lowest rank */
    "  rank_change INTEGER,"            /* previous period's rank minus this rank (+ = moved up) */
    "  rank_median REAL, rank_p05 REAL, rank_p95 REAL, rank_shift REAL," /* sensitivity, index only */
    "  attainment REAL,"                /* indicator: attainment of its target (0..1) */
    "  contribution REAL,"              /* indicator: contribution to the index score */
    "  status TEXT,"                    /* indicator: on_track / at_risk / off_track / NULL */
    "  PRIMARY KEY (run, unit, node));",
    /* 2: a target applies at the unit level it is set for (framework_node.target_level, NULL =
     * 1, the zone), and below it only by a stated rule (target_scale 'same': the same value at
     * every level; NULL or 'none': nowhere else); where it does not apply an indicator's
     * attainment is empty and eval_result.note says why */
    "ALTER TABLE framework_node ADD COLUMN target_level INTEGER;"
    "ALTER TABLE framework_node ADD COLUMN target_scale TEXT"
    "  CHECK (target_scale IS NULL OR target_scale IN ('none', 'same'));"
    "ALTER TABLE eval_result ADD COLUMN note TEXT;",
    NULL,
};
