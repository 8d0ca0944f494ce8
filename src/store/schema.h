/* schema.h — inside the store: the schema migrations (schema.c) as the backends use them. */
#ifndef GF_SCHEMA_H
#define GF_SCHEMA_H

#include "store/db.h"

/* How a database's schema compares with the one this gongfu builds.  A version is written per
 * module as "core 2, eval 1, …" (the number of migration steps applied). */
struct gf_schema_state {
    int pending;      /* this gongfu has steps the database lacks (or it is new) */
    int newer;        /* the database has steps or modules this gongfu does not know */
    char theirs[256]; /* the database's version ("none" when it has no schema yet) */
    char ours[256];   /* this gongfu's version */
};

int gf_schema_state(struct gf_db *db, struct gf_schema_state *s, struct gf_err *e);

/* Apply the steps the database lacks, each in its own transaction.  Refuses (GF_EUSER, naming
 * both versions, nothing written) a database written by a newer gongfu. */
int gf_schema_migrate(struct gf_db *db, struct gf_err *e);

#endif
