/* unit.h — the administrative hierarchy (城市 → 县区 → 乡镇街道 → 村社区) in memory.
 *
 * gf_units_load reads every unit into a tree ordered depth first (a parent before its
 * children, siblings by code), so a loop from the end to the start visits children before
 * parents (bottom-up rollups) and a unit's descendants are the contiguous range
 * [i+1, i+subtree_size).  Ownership: the struct owns everything; gf_units_free releases it. */
#ifndef GF_UNIT_H
#define GF_UNIT_H

#include <stdint.h>

#include "store/db.h"

enum { GF_LEVEL_CITY = 1, GF_LEVEL_COUNTY = 2, GF_LEVEL_TOWNSHIP = 3, GF_LEVEL_VILLAGE = 4 };

struct gf_unit {
    char *code, *name, *name_en;
    int parent;       /* index in gf_units.unit, -1 for a root */
    int level;        /* 1 = city … 4 = village */
    int urban;        /* 1 urban, 0 rural */
    int64_t population; /* -1 when unknown */
    int subtree_size; /* this unit and all its descendants */
    int depth;        /* 0 for a root */
};

struct gf_units {
    struct gf_unit *unit; /* depth-first order */
    int n;
    char *level_zh[10], *level_en[10]; /* configurable level names, [1..9] */
    /* private: sorted index for lookup by code */
    int *by_code;
};

int gf_units_load(struct gf_db *db, struct gf_units *out, struct gf_err *e);
void gf_units_free(struct gf_units *u);
/* Index of the unit with this code, or -1. */
int gf_units_find(const struct gf_units *u, const char *code);
/* 1 if unit i is a or lies under ancestor a (both indexes). */
int gf_units_within(const struct gf_units *u, int i, int a);

/* Check the stored hierarchy: no cycle, every parent one level up, exactly one root (the zone: one
 * zone per database, at level 1).  On failure the message names the unit; line_of (may be
 * NULL) maps a unit code to the line of the file that brought it, for import messages. */
int gf_units_check(struct gf_db *db, const char *file, long (*line_of)(void *ctx, const char *code),
                   void *ctx, struct gf_err *e);

#endif
