/* demo_build.h — the synthetic parts of the demo, after the demo files are imported:
 * synthetic indicator values, the low-income household registry, the four lists, household
 * microdata for the distribution engine, and the evaluation runs. Everything it makes is
 * labelled synthetic in the data itself. */
#ifndef GF_DEMO_BUILD_H
#define GF_DEMO_BUILD_H

#include "store/db.h"

int gf_demo_build(struct gf_db *db, const char *actor, struct gf_err *e);

#endif
