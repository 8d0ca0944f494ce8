/* lists_reach.h — which list items and problems an actor reaches (ops_items.c, ops_problems.c).
 *
 * An item lies at its territorial unit (GF_ITEM_PLACE_SQL), a problem at the unit it was raised
 * against, else at its item's place.  An actor scoped to a unit reaches what lies in that unit or
 * below it; a zone-wide actor reaches everything; a team reporter (GF_ROLE_TEAM) reaches only the
 * items its team leads or joins (GF_ITEM_TEAM_SQL) and the problems raised against them.  Lists
 * leave out what is out of reach; naming something out of reach is GF_EFORBIDDEN, something that
 * does not exist GF_ENOTFOUND (both naming the field and the value). */
#ifndef GF_LISTS_REACH_H
#define GF_LISTS_REACH_H

#include <stdint.h>

#include "service/service.h"

/* 1 when something lying at place (a unit code, NULL = nowhere in particular) reaches the actor;
 * team_ok: it is an item (or a problem of an item) the actor's team leads or joins. */
int gf_lists_reach(struct gf_call *c, const char *place, int team_ok);

/* The item with this code must exist and be within reach.  field names it in messages. */
int gf_lists_need_item(struct gf_call *c, const char *field, const char *code);
/* The same for problem id. */
int gf_lists_need_problem(struct gf_call *c, const char *field, int64_t id);

/* Quiet forms for filtering: 1 when the item (problem) exists and is within reach. */
int gf_lists_item_visible(struct gf_call *c, const char *code);
int gf_lists_problem_visible(struct gf_call *c, int64_t id);

#endif
