/* actor.c — who is acting (see actor.h). */
#include "domain/actor.h"

#include <stdio.h>
#include <string.h>

int gf_actor_valid(const char *actor)
{
    if (!actor)
        return 0;
    for (const char *p = actor; *p; p++)
        if (!strchr(" \t\r\n\v\f", *p))
            return 1;
    return 0;
}

int gf_actor_person(struct gf_db *db, const char *actor, char *out, struct gf_err *e)
{
    out[0] = 0;
    if (!gf_actor_valid(actor))
        return gf_err_set(e, GF_EUSAGE,
                          "the acting user is empty: name who acts (--user or GONGFU_USER)");
    if (strlen(actor) >= GF_PERSON_MAX)
        return gf_err_at(e, NULL, 0, "user", actor, "a person code of at most %d bytes",
                         GF_PERSON_MAX - 1);
    /* a user stands for the person it is linked to; a user without one, and the system's own
     * actors (the demo), stand for themselves */
    struct gf_stmt *st;
    snprintf(out, GF_PERSON_MAX, "%s", actor);
    if (gf_db_prepare(db, "SELECT person FROM app_user WHERE name = ? AND person IS NOT NULL", &st,
                      NULL) == GF_OK) {
        gf_stmt_bind_text(st, 1, actor);
        if (gf_stmt_step(st, NULL) == 1)
            snprintf(out, GF_PERSON_MAX, "%s", gf_stmt_text(st, 0));
        gf_stmt_finalize(st);
    }
    return GF_OK;
}

int gf_actor_as(struct gf_db *db, const char *actor, const char *field, const char *by, char *out,
                struct gf_err *e)
{
    int rc = gf_actor_person(db, actor, out, e);
    if (rc)
        return rc;
    if (by && strcmp(by, out))
        return gf_err_at(e, NULL, 0, field, by,
                         "the acting user (%s): a request cannot act in another person's name; "
                         "leave %s out or act as %s yourself",
                         out, field, by);
    return GF_OK;
}

/* 1 when unit lies strictly below scope in the unit tree. */
static int strictly_below(struct gf_db *db, const char *unit, const char *scope)
{
    char cur[GF_PERSON_MAX];
    snprintf(cur, sizeof cur, "%s", unit);
    for (int depth = 0; depth < 16; depth++) {
        struct gf_stmt *st;
        if (gf_db_prepare(db, "SELECT parent FROM unit WHERE code = ?", &st, NULL))
            return 0;
        gf_stmt_bind_text(st, 1, cur);
        int found = gf_stmt_step(st, NULL) == 1 && !gf_stmt_is_null(st, 0);
        if (found)
            snprintf(cur, sizeof cur, "%s", gf_stmt_text(st, 0));
        gf_stmt_finalize(st);
        if (!found)
            return 0;
        if (!strcmp(cur, scope))
            return 1;
    }
    return 0;
}

int gf_actor_may(struct gf_db *db, const char *actor, const char *right, const char *unit,
                 struct gf_err *e)
{
    char person[GF_PERSON_MAX];
    int rc = gf_actor_person(db, actor, person, e);
    if (rc)
        return rc;
    /* a user of the database: approving (and unlocking) is for approvers and the coordination
     * centre, on units strictly below their scope (approval comes from the level above); the
     * system's own actors (the demo's reviewer) are not users */
    struct gf_stmt *st;
    if (gf_db_prepare(db, "SELECT role, scope FROM app_user WHERE name = ?", &st, e))
        return e ? e->code : GF_ESYS;
    gf_stmt_bind_text(st, 1, actor);
    char role[32] = "", scope[GF_PERSON_MAX] = "";
    int user = gf_stmt_step(st, NULL) == 1;
    if (user) {
        snprintf(role, sizeof role, "%s", gf_stmt_text(st, 0));
        if (!gf_stmt_is_null(st, 1))
            snprintf(scope, sizeof scope, "%s", gf_stmt_text(st, 1));
    }
    gf_stmt_finalize(st);
    if (!user || strcmp(right, "approve"))
        return GF_OK;
    if (strcmp(role, "approver") && strcmp(role, "centre"))
        return gf_err_set(e, GF_EFORBIDDEN, "%s (role %s) may not approve or unlock values", actor,
                          role);
    if (scope[0] && (!unit || !strictly_below(db, unit, scope)))
        return gf_err_set(e, GF_EFORBIDDEN,
                          "%s approves units strictly below %s, not %s (approval comes from the "
                          "level above)",
                          actor, scope, unit ? unit : "every unit");
    return GF_OK;
}
