/* actor.h — who is acting: the name every change and every unmasked read is recorded under,
 * and the person that name stands for when a rule compares people (separation of duties: whoever
 * submitted a value does not approve it; a problem's owner does not verify it).
 *
 * Today a front door passes the acting user as a name (the CLI: --user or $GONGFU_USER); in the
 * demo and the tests it is a person code such as P0176, and gf_actor_person returns it as it is.
 * The identity model (users with roles and unit scope) plugs in here: it maps a user to the
 * person it belongs to, and refuses a name that is not an active user.  Rules call these
 * functions, never compare actor strings themselves. */
#ifndef GF_ACTOR_H
#define GF_ACTOR_H

#include <stddef.h>

#include "store/db.h"

/* Longest person code gf_actor_person writes, with its terminating NUL. */
#define GF_PERSON_MAX 64

/* 1 if actor names someone: not NULL, not empty, not whitespace only. */
int gf_actor_valid(const char *actor);

/* The person code the acting user stands for, into out (GF_PERSON_MAX bytes).  Today the actor
 * itself.  GF_EUSAGE when the actor is not valid (gf_actor_valid), GF_EUSER when it is too long
 * to be a person code. */
int gf_actor_person(struct gf_db *db, const char *actor, char *out, struct gf_err *e);

/* The acting user's person, when a request also names who does it (`--by P0001`): by (may be
 * NULL) must then be that same person, otherwise GF_EUSER naming field, by and the acting user.
 * A request cannot act in another person's name. */
int gf_actor_as(struct gf_db *db, const char *actor, const char *field, const char *by, char *out,
                struct gf_err *e);

/* May the acting user exercise right ("approve": approve or unlock values) over the data of unit
 * (NULL = every unit)?  Today every user may; the identity model checks the user's roles and
 * unit scope here and refuses (GF_EUSER naming the user, the right and the unit) otherwise. */
int gf_actor_may(struct gf_db *db, const char *actor, const char *right, const char *unit,
                 struct gf_err *e);

#endif
