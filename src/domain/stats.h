/* stats.h — income distribution measures (收入分配测算) as a service: straight from a household
 * CSV file (the engine behind `gongfu stats FILE.csv`), and the table every front door shows
 * them in (also for the stored microdata of `gongfu stats --db`, domain/income.h).
 *
 * The file is read once by all cores (util/csvscan); rows are grouped by every --by column;
 * nested columns (village in township in county) are computed as one unit tree by core/dist,
 * columns that do not nest each as their own flat grouping.  Measures, conventions, edge cases
 * and the file contract: docs/distribution.md.
 *
 * Ownership: options are borrowed for the call; the result owns its table (gf_stats_result_free).
 * The engine is fastest when freed memory stays in the process (the caller's choice, a process
 * policy: `gongfu stats` sets mallopt M_MMAP_MAX 0 and M_TRIM_THRESHOLD INT_MAX first).
 */
#ifndef GF_STATS_H
#define GF_STATS_H

#include "core/dist.h"
#include "domain/income.h"
#include "util/err.h"
#include "util/table.h"

#define GF_STATS_MAXBY 8           /* grouping columns */
#define GF_STATS_MAXPARAM 64       /* lines, bands */
#define GF_STATS_MAXGROUPS 1000000 /* groups in one grouping column: bounds per-unit work */

struct gf_stats_file_opts {
    const char *path;                                /* the CSV file; "-" = standard input */
    const char *value;                               /* the income column (required) */
    const char *weight, *size, *urban, *food, *cons; /* optional columns (NULL = none); food and
                                                      * cons go together */
    int per_capita;                 /* the value is household income: divide it by size */
    const char *by[GF_STATS_MAXBY]; /* grouping columns, distinct, in the order of the output */
    int nby;
    const double *lines; /* low-income / poverty lines (> 0); nlines 0 = one line, 10000 */
    int nlines;
    const double *band_lo, *band_hi; /* middle-income bands; nbands 0 = 100000-500000 */
    int nbands;
    double band_scale; /* the bands are on band_scale × value; ≤ 0 = 3 */
    int nthreads;      /* 0 = every online CPU; at most 16 */
};

struct gf_stats_phase {
    const char *name;   /* "read+parse", "nesting", "compute", "table" */
    double seconds;     /* wall */
    double cpu_seconds; /* CPU time of the process (every thread, user and system) */
};

struct gf_stats_result {
    struct gf_table *table; /* one row for the whole file (by = all, group = all), then one per
                             * group of each --by column in the order given, groups sorted by
                             * value (strcmp); columns as gf_stats_table_new */
    long long rows;         /* data rows read */
    int nested;             /* the --by columns formed one tree */
    size_t moved; /* bytes of the rows' layout (16 a row) that were the pages the rows were read
                   * into, moved there rather than new (core/dist.h: gf_dist_compute_spans) */
    struct gf_stats_phase phase[8]; /* wall time of each step, in order */
    int nphase;
};

/* Compute every measure for the whole file and every group of every --by column.
 * Returns GF_OK and fills *r; GF_EUSAGE (options outside the contract above), GF_EUSER (cannot
 * open, a missing column, a bad value, no data rows, too many groups: "FILE:LINE: field "F":
 * value "V": expected …", the earliest bad line of the file), GF_ESYS or GF_ENOMEM, with the
 * message in e and *r empty. */
int gf_stats_file(const struct gf_stats_file_opts *o, struct gf_stats_result *r, struct gf_err *e);
void gf_stats_result_free(struct gf_stats_result *r);

/* ---- the table of measures (columns: docs/distribution.md, "Output columns") ---- */

struct gf_stats_columns {
    const double *lines; /* one group of columns per line: fgt0_Z … low_persons_Z */
    int nlines;
    const double *band_lo, *band_hi; /* one column per band: band_LO_HI */
    int nbands;
    int urban; /* urban/rural columns */
    int food;  /* the Engel coefficient */
};

/* An empty table with the columns of c. */
struct gf_table *gf_stats_table_new(const struct gf_stats_columns *c);
/* Add a row: the grouping column (by) and group, the grouping column of its children (sub_by,
 * NULL = none) and its measures, whose per-line and per-band arrays hold at least c's. */
void gf_stats_table_add(struct gf_table *t, const struct gf_stats_columns *c, const char *by,
                        const char *group, const char *sub_by, const struct gf_dist_stats *s);
/* The table of a run on stored microdata: a row for every unit with data, level by level (city,
 * counties, townships, villages), in hierarchy order within a level; the lines and bands asked. */
struct gf_table *gf_stats_income_table(const struct gf_income_run *run);
/* The same for the units within run->units.unit[top] only (top < 0: every unit). */
struct gf_table *gf_stats_income_table_under(const struct gf_income_run *run, int top);

#endif
