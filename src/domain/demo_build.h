/* demo_build.h — the synthetic parts of the demo, after the demo files are imported:
 * synthetic indicator values, the low-income household registry, the four lists, household
 * microdata for the distribution engine, and the evaluation runs. Everything it makes is
 * labelled synthetic in the data itself. */
#ifndef GF_DEMO_BUILD_H
#define GF_DEMO_BUILD_H

#include "store/db.h"

int gf_demo_build(struct gf_db *db, const char *actor, struct gf_err *e);
/* A deterministic draw in [0, 1) from a code and a salt (FNV-1a, then a 64-bit finaliser): the
 * synthetic parts' stable "randomness" per enterprise, pairing, … */
double gf_demo_hash01(const char *code, const char *salt);
/* The collective economy ledgers of the villages, from their synthetic income values
 * (demo_collective.c); the indicators are then computed from the ledgers. */
int gf_demo_collective(struct gf_db *db, const char *actor, struct gf_err *e);
/* The 双强 index values of the registered enterprises, 2023–2025 (demo_enterprise_values.c);
 * nothing when no enterprise is registered. */
int gf_demo_enterprise_values(struct gf_db *db, const char *actor, struct gf_err *e);
/* Synthetic pairings of organisations and their activities up to today (demo_pairing.c). */
int gf_demo_pairing(struct gf_db *db, const char *actor, struct gf_err *e);
/* Synthetic suggestions from the public, some answered and published (demo_voice.c). */
int gf_demo_voice(struct gf_db *db, const char *actor, struct gf_err *e);
/* The case library (twelve cases, six published) and ten trainings with their attendees
 * (demo_cases.c); after the lists, whose items the cases show. */
int gf_demo_cases(struct gf_db *db, const char *actor, struct gf_err *e);

/* 1 if the database may be replaced by a new demo without being told to: it holds nothing, or
 * an untouched demo — the demo's mark and no audit record after the demo's own (every change is
 * audited: an import, an edit, a saved evaluation).  0 if not, < 0 on error (e filled).  Ask it
 * holding the write lock, so that nothing changes between this answer and the replacement. */
int gf_demo_replaceable(struct gf_db *db, struct gf_err *e);
/* Mark a freshly built demo, with the last audit record the demo wrote: anything after it is
 * the user's (gf_demo_replaceable). */
int gf_demo_mark(struct gf_db *db, struct gf_err *e);

#endif
