/* export.h — data out in the import formats (a round trip: an export imports again unchanged),
 * and the audit log read back.  Personal data is masked unless the caller asks for it as stored
 * (and records that read: gf_audit_read with the kind's entity and personal columns).
 *
 * Ownership: gf_export_table returns a table the caller frees (or hands to a result). */
#ifndef GF_EXPORT_H
#define GF_EXPORT_H

#include "store/db.h"
#include "util/table.h"

enum {
    GF_EXPORT_UNDER = 1, /* the kind takes filter.under (units, values) */
    GF_EXPORT_TEAM = 2,  /* the kind takes filter.team (values) */
    GF_EXPORT_AUDIT = 4, /* the kind takes the audit filters */
};

struct gf_export_kind {
    const char *name;                /* "units", … (gongfu export NAME) */
    const char *zh, *en;             /* what it holds */
    const char *sql;                 /* parameters ?1 under, ?2 team, ?3 entity, ?4 actor,
                                        ?5 from, ?6 to (the first nparams of them) */
    int nparams;
    const struct gf_column *cols;    /* the import format's columns, in the query's order */
    int ncols;
    const char *const *numeric;      /* columns kept as numbers, NULL-terminated */
    const char *entity;              /* whose columns may hold personal data, NULL if none */
    const char *personal;            /* the columns an unmasked export shows as stored */
    unsigned filters;                /* GF_EXPORT_* */
};

/* Every kind, NULL-terminated. */
extern const struct gf_export_kind *const gf_export_kinds[];
const struct gf_export_kind *gf_export_kind_find(const char *name);

struct gf_export_filter {
    const char *under;  /* units, values: that unit and the units under it (NULL: all) */
    const char *team;   /* values: the indicators that team is responsible for (NULL: all) */
    const char *entity; /* audit: the records of that entity, */
    const char *actor;  /* by that actor, */
    const char *from;   /* written on that day (YYYY-MM-DD) or later, */
    const char *to;     /* and on that day or earlier (NULL each: no limit) */
};

/* The rows of kind (filters the kind does not take are ignored; f may be NULL) as a new table in
 * *out, personal data masked unless unmasked.  GF_OK or a store error. */
int gf_export_table(struct gf_db *db, const struct gf_export_kind *kind,
                    const struct gf_export_filter *f, int unmasked, struct gf_table **out,
                    struct gf_err *e);

#endif
