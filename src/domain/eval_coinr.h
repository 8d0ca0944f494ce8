/* eval_coinr.h — evaluation data from CSV files, for `gongfu mcda` and for bringing a framework
 * built in COINr over: a plain matrix (first column the unit code, a header row of indicator
 * codes) or a COINr-shaped pair
 *   iMeta: iCode, iName, Level, Parent, Direction, Weight, Denominator, Target, Type
 *          (+ optional BandLo, BandHi, LimLo, LimHi, GoalLo, GoalHi),
 *   iData: uCode, uName, group columns, denominator columns, indicator columns (+ optional Time).
 * Cells: empty, NA, NaN, nan, "." or "-" are missing; anything else must be a finite number.
 * Text cells (codes, names, parents, denominators, groups) read "NA" as missing, as R does.
 * Errors name the file, line, field, value and what was expected (GF_EUSER).
 * Ownership: the structs own everything they point to (free with the matching _free); the tree
 * and indicator codes point into the structs' own strings.
 */
#ifndef GF_EVAL_COINR_H
#define GF_EVAL_COINR_H

#include <stddef.h>

#include "core/eval.h"
#include "util/err.h"

struct gf_eval_strs {
    char **v;
    size_t n, cap;
};

/* Index of x in s, or -1. */
long gf_eval_strs_find(const struct gf_eval_strs *s, const char *x);

/* A cell as a number: 0 and *out (NaN = missing) on success, -1 if it is not a number. */
int gf_eval_parse_cell(const char *s, double *out);

struct gf_eval_matrix {
    struct gf_eval_strs units, cols;
    double *x; /* n × m, row-major */
    size_t n, m;
};

/* Read a plain matrix CSV (at least two units).  On error *mx is left empty. */
int gf_eval_matrix_read(const char *path, struct gf_eval_matrix *mx, struct gf_err *e);
void gf_eval_matrix_free(struct gf_eval_matrix *mx);

struct gf_eval_coinr {
    struct gf_eval_strs icode, iname, ucode, uname, aggcode, dencode, grpcode;
    size_t m, nnode, n, nden;
    struct gf_eval_ind *ind;   /* m */
    struct gf_eval_node *node; /* nnode: indicators (in iMeta order) then aggregates */
    struct gf_eval_tree tree;
    double *x;     /* n × m, the evaluated period */
    double *den;   /* n × nden */
    int *group;    /* ngroup × n: the Group columns (iMeta order) as ids, group g of unit i at
                      group[g*n + i], −1 where the cell is empty or NA; NULL if none */
    size_t ngroup; /* = grpcode.n, whose strings name the columns */
    /* panel data (iData with a Time column): the evaluated period is years[nper] */
    size_t nper;   /* earlier periods */
    int *years;    /* nper + 1, ascending; NULL without a Time column */
    double *panel; /* nper × n × m, NaN where a unit has no row */
    double *pden;  /* nper × n × nden */
};

/* Read iMeta + iData.  With a Time column the period `period` (NULL = the latest) is evaluated
 * and the earlier ones go to the panel; one row per unit and period.  The tree is checked.  On
 * error *md is left empty. */
int gf_eval_coinr_read(const char *meta, const char *data, const char *period,
                       struct gf_eval_coinr *md, struct gf_err *e);

/* A flat framework from a plain matrix, which it takes over (mx is left empty): every column an
 * indicator with weight 1 and direction dir[j] (NULL = all positive) under one root "index". */
int gf_eval_coinr_flat(struct gf_eval_matrix *mx, const int *dir, struct gf_eval_coinr *md,
                       struct gf_err *e);
void gf_eval_coinr_free(struct gf_eval_coinr *md);

#endif
