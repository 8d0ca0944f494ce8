/* demo_build.c — run the synthetic parts of the demo in order (see demo_build.h). */
#include "domain/demo_build.h"

int gf_demo_build(struct gf_db *db, const char *actor, struct gf_err *e)
{
    (void)db;
    (void)actor;
    (void)e;
    return GF_OK;
}
