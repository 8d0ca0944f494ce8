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
    (void)db; /* the identity model looks the user up here */
    out[0] = 0;
    if (!gf_actor_valid(actor))
        return gf_err_set(e, GF_EUSAGE,
                          "the acting user is empty: name who acts (--user or GONGFU_USER)");
    if (strlen(actor) >= GF_PERSON_MAX)
        return gf_err_at(e, NULL, 0, "user", actor, "a person code of at most %d bytes",
                         GF_PERSON_MAX - 1);
    snprintf(out, GF_PERSON_MAX, "%s", actor);
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

int gf_actor_may(struct gf_db *db, const char *actor, const char *right, const char *unit,
                 struct gf_err *e)
{
    (void)right; /* roles and unit scope come with the identity model */
    (void)unit;
    char person[GF_PERSON_MAX];
    return gf_actor_person(db, actor, person, e);
}
