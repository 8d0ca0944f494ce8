/* computed.h — indicator values computed by gongfu from its own records (origin 'computed'):
 * the distribution measures from household microdata (income_stats.c), the collective economy
 * from the village ledgers (collective.c).
 *
 * One rule for all of them: a computed value is approved as it is written and follows its
 * records; a value reported by a person (origin 'reported', not marked synthetic) wins and is
 * kept; a computed value whose records are gone is removed.  Rerunning writes only what changed.
 * The indicators are created when missing (their definitions here), never overwritten. */
#ifndef GF_COMPUTED_H
#define GF_COMPUTED_H

#include "domain/unit.h"
#include "store/db.h"

struct gf_computed_ind {
    const char *code, *zh, *en, *uom, *dir, *desc;
    const char *agg_units; /* how a rollup combines units ("none", "sum", "mean", …) */
};

struct gf_computed_set {
    const char *period;                /* one period code; created if missing */
    const char *source;                /* the value's source text */
    const char *ind_source;            /* the source of an indicator created here */
    const struct gf_units *units;      /* the values are indexed by these units */
    const struct gf_computed_ind *ind; /* ni indicators */
    int ni;
    /* The value of unit u (index in units) and indicator i; NaN = none (removed if computed). */
    double (*value)(void *ctx, int u, int i);
    void *ctx;
};

struct gf_computed_stats {
    long written, unchanged, removed, kept; /* kept: values reported by a person, left in place */
    int created;                            /* indicator definitions created */
};

/* Write the set inside the caller's transaction (no audit record: the caller writes one). */
int gf_computed_save(struct gf_db *db, const char *actor, const struct gf_computed_set *set,
                     struct gf_computed_stats *st, struct gf_err *e);

#endif
