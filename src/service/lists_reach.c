/* lists_reach.c — which list items and problems an actor reaches (see lists_reach.h). */
#include "service/lists_reach.h"

#include <stdio.h>

#include "domain/lists.h"

int gf_lists_reach(struct gf_call *c, const char *place, int team_ok)
{
    const struct gf_actor *a = &c->cx->actor;
    if (a->role == GF_ROLE_PUBLIC || (a->role == GF_ROLE_TEAM && !team_ok))
        return 0;
    if (!a->scope[0])
        return 1;
    struct gf_err e;
    const struct gf_units *u = gf_ctx_units(c->cx, &e);
    return u && place && gf_scope_has(a, u, place);
}

/* clang-format off */
static const char item_sql[] = "SELECT " GF_ITEM_PLACE_SQL ", " GF_ITEM_TEAM_SQL("?2")
                               " FROM list_item i WHERE i.code = ?1";
static const char problem_sql[] =
    "SELECT coalesce(p.unit, " GF_ITEM_PLACE_SQL "), p.item IS NOT NULL AND " GF_ITEM_TEAM_SQL("?2")
    " FROM problem p LEFT JOIN list_item i ON i.code = p.item WHERE p.id = ?1";
/* clang-format on */

/* *reach: -1 when the item (code) or problem (id) does not exist, else gf_lists_reach. */
static int look(struct gf_call *c, const char *sql, const char *code, int64_t id, int *reach)
{
    struct gf_stmt *st;
    *reach = -1;
    int rc = gf_db_prepare(c->cx->db, sql, &st, &c->err);
    if (rc)
        return rc;
    if (code)
        gf_stmt_bind_text(st, 1, code);
    else
        gf_stmt_bind_int(st, 1, id);
    const struct gf_actor *a = &c->cx->actor;
    gf_stmt_bind_text(st, 2, a->role == GF_ROLE_TEAM ? a->team : NULL);
    rc = gf_stmt_step(st, &c->err);
    if (rc == 1)
        *reach = gf_lists_reach(c, gf_stmt_text(st, 0), gf_stmt_int(st, 1) != 0);
    gf_stmt_finalize(st);
    return rc < 0 ? rc : GF_OK;
}

/* The refusal of something that exists but lies out of the actor's reach. */
static int refuse(struct gf_call *c, const char *what)
{
    const struct gf_actor *a = &c->cx->actor;
    if (a->role == GF_ROLE_TEAM)
        return gf_err_set(&c->err, GF_EFORBIDDEN,
                          "%s reports for team %s, which neither leads nor joins %s", a->name,
                          a->team, what);
    return gf_err_set(&c->err, GF_EFORBIDDEN, "%s lies outside the scope of %s (%s)", what, a->name,
                      a->scope[0] ? a->scope : "none");
}

int gf_lists_need_item(struct gf_call *c, const char *field, const char *code)
{
    int reach, rc = look(c, item_sql, code, 0, &reach);
    if (rc)
        return rc;
    if (reach < 0) {
        gf_err_at(&c->err, NULL, 0, field, code, "the code of an existing list item");
        return c->err.code = GF_ENOTFOUND;
    }
    if (!reach) {
        char what[96];
        snprintf(what, sizeof what, "list item %s", code);
        return refuse(c, what);
    }
    return GF_OK;
}

int gf_lists_need_problem(struct gf_call *c, const char *field, int64_t id)
{
    int reach, rc = look(c, problem_sql, NULL, id, &reach);
    if (rc)
        return rc;
    char what[48];
    snprintf(what, sizeof what, "%lld", (long long)id);
    if (reach < 0) {
        gf_err_at(&c->err, NULL, 0, field, what, "the number of an existing problem");
        return c->err.code = GF_ENOTFOUND;
    }
    if (!reach) {
        snprintf(what, sizeof what, "problem %lld", (long long)id);
        return refuse(c, what);
    }
    return GF_OK;
}

int gf_lists_item_visible(struct gf_call *c, const char *code)
{
    int reach;
    return look(c, item_sql, code, 0, &reach) == GF_OK && reach > 0;
}

int gf_lists_problem_visible(struct gf_call *c, int64_t id)
{
    int reach;
    return look(c, problem_sql, NULL, id, &reach) == GF_OK && reach > 0;
}
