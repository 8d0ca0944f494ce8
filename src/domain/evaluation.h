/* evaluation.h — composite evaluation on the database: a framework, a period and a level of
 * units in, scores, ranks, rank change, attainment, target tracking and rank sensitivity out.
 *
 * Targets apply at the unit level they are set for (framework target_level, default 1 = the
 * zone) and at other levels only when the framework says the same value holds there
 * (target_scale same).  Elsewhere an indicator has no attainment and no target status
 * (target_note says why); under a target-based normalisation (attainment, distance to target)
 * it takes no part in the score at that level (listed in dropped with the reason).
 *
 * gf_evaluation_run gathers the data (the framework tree without zero-weight nodes, the values
 * of every unit of the level for the period and the years before it, the targets of the target
 * year), runs the pipeline of core/eval.h, runs it again on the previous year for the rank
 * change, and tracks every indicator with a target.  gf_evaluation_save stores the run
 * (eval_run / eval_result) so rankings and reports can name the run they came from.
 * Ownership: the struct gf_evaluation owns everything in it; gf_evaluation_free releases it. */
#ifndef GF_EVALUATION_H
#define GF_EVALUATION_H

#include "core/eval.h"
#include "store/db.h"

struct gf_evaluation_opts {
    const char *framework;     /* NULL = the only framework, or the first one with values */
    const char *period;        /* NULL = the latest year with values */
    int level;                 /* unit level to rank (2 = county, 4 = village) */
    const char *pipeline_json; /* NULL = the built-in default (docs/pipelines/default.json) */
    const char *pipeline_src;  /* name of the pipeline in messages */
    int draws;                 /* > 0: Monte Carlo sensitivity draws (overrides the pipeline) */
    long long seed;            /* with draws */
    int target_year;           /* 0 = 2025 */
    int enterprises;           /* rank the registered enterprises (enterprise_value) instead of
                                  the units of a level; such a run is not saved */
};

struct gf_evaluation {
    char framework[64], period[16];
    int level, target_year;
    int enterprises; /* the rows are enterprises (level 0), not units */
    struct gf_eval_pipeline pipeline;
    char *pipeline_json;
    /* units (rows) and nodes */
    size_t n, m, nnode;
    char **unit_code, **unit_name, **unit_name_en;
    char **node_code, **node_name, **node_name_en, **node_kind;
    struct gf_eval_node *node;
    struct gf_eval_ind *ind;
    double *x;          /* n × m raw values (NaN missing) */
    struct gf_eval_result res;
    int *rank_prev;     /* n: index rank in the previous year, 0 = none */
    int *track;         /* n × m: enum gf_eval_track, -1 = no target / not enough data */
    double *target;     /* m: target of the target year (NaN none) */
    char *zone_code, *zone_name; /* the root of the unit hierarchy */
    int *target_level;  /* m: the unit level the target is set for (1 = the zone) */
    int *target_same;   /* m: 1 = the target applies unchanged at every level (target_scale same) */
    char **target_note; /* m: why the indicator has no attainment at this level (NULL = it has) */
    char **dropped;     /* indicators left out: no value at this level for the period, or (with a
                           target-based normalisation) no target for this level */
    char **dropped_note;/* ndropped: the reason, in English */
    size_t ndropped;
};

int gf_evaluation_run(struct gf_db *db, const struct gf_evaluation_opts *o, struct gf_evaluation *ev,
                      struct gf_err *e);
/* Store as a run; *run_id receives its id.  One transaction, which nests in the caller's: a
 * caller saving several levels at once wraps them in its own (gongfu eval --save does). */
int gf_evaluation_save(struct gf_db *db, const struct gf_evaluation *ev, const char *actor,
                       long long *run_id, struct gf_err *e);
void gf_evaluation_free(struct gf_evaluation *ev);

/* Where one unit stands against the framework's targets (目标实现情况): every indicator with a
 * target for the target year (2025) that the unit has a value of in the ten years to the period,
 * its value in the period, its attainment (0..1) and
 * on-track status (the rules gf_evaluation_run tracks ranked units by), the compound annual
 * growth needed to reach the target and achieved over the last three years, and the values of
 * the ten years up to the period (trends).  A target set for another level (and not carried
 * over by target_scale same) has no target, attainment or status here, and note says why.
 * Text fields point into the struct gf_targets. */
struct gf_target_row {
    const char *indicator, *name, *name_en, *dimension; /* dimension: the parent node, or NULL */
    double value, target, attainment; /* NaN: none */
    int status;                       /* enum gf_eval_track; -1 none */
    double needed, recent;            /* annual growth rates (0.05 = 5 %); NaN none */
    const char *note;                 /* why there is no target at this level, or NULL */
    double series[10];                /* the values of years year-9 … year (NaN missing) */
    double series_attain[10];         /* their attainment (NaN missing or no target) */
};

struct gf_targets {
    char framework[64], period[16], unit[65];
    int level, year, target_year;
    struct gf_target_row *row;
    size_t n;
    struct gf_evaluation tree; /* private: the framework tree the rows point into */
};

/* The targets of unit (a code) in framework (NULL: as gf_evaluation_run picks it) for period
 * (NULL: the latest year the unit has values for; when it has none the result is empty with
 * period ""). */
int gf_evaluation_targets(struct gf_db *db, const char *framework, const char *period,
                          const char *unit, struct gf_targets *t, struct gf_err *e);
void gf_targets_free(struct gf_targets *t);

/* The built-in default pipeline (identical to docs/pipelines/default.json), and the one for
 * peers without targets such as enterprises (docs/pipelines/peers.json). */
extern const char gf_evaluation_default_pipeline[];
extern const char gf_evaluation_peers_pipeline[];

#endif
