/* income.h — household income microdata (住户收入微观数据): fast import, distribution measures
 * for every unit of the hierarchy, saved as computed indicator values.
 *
 * Microdata live in the table income_microdata (schema_income.c): one row per household and
 * period with its unit (normally a village / community), urban flag, size, per-capita
 * disposable income (yuan a year), survey weight and optional food and consumption spending.
 * File format and saved indicators: docs/income-microdata.md.
 *
 * Ownership: gf_income_run owns its units and result (gf_income_run_free). */
#ifndef GF_INCOME_H
#define GF_INCOME_H

#include "core/dist.h"
#include "domain/unit.h"
#include "store/db.h"

/* ---------- import ---------- */

struct gf_income_import_opts {
    const char *period; /* --period: the period of every row (NULL = the file's period column) */
    int dry_run;        /* do everything, then roll back */
    const char *actor;  /* who imports, for the audit trail */
};

struct gf_income_import_stats {
    long rows;     /* data rows read */
    long pairs;    /* (period, unit) pairs in the file */
    long replaced; /* rows of those pairs that were stored before and are replaced */
    int unchanged; /* 1: the stored rows of every pair equal the file's, nothing written */
};

/* Import a microdata CSV (columns: unit, income, size, period unless o->period; optional
 * household, urban, weight, food, consumption; any other column is refused).  Streaming
 * (memory bounded by a chunk and the unit table), one transaction, all or nothing: a bad row
 * returns GF_EUSER with "FILE:LINE: field: value: expected …" and the database is unchanged.
 * For each (period, unit) of the file the stored rows are replaced by the file's; when they
 * are already equal (row count and content hash) nothing is written at all.  One audit row. */
int gf_income_import(struct gf_db *db, const char *path, const struct gf_income_import_opts *o,
                     struct gf_income_import_stats *st, struct gf_err *e);

/* ---------- measures ---------- */

struct gf_income_params {
    const double *lines; /* low-income lines to report (strictly below), NULL/0 = 10000 */
    int nlines;
    const double *band_lo, *band_hi; /* middle-income bands on per-capita × 3, 0 = 100000-500000 */
    int nbands;
    int nthreads; /* 0 = every core */
};

struct gf_income_run {
    char period[32];
    struct gf_units units;     /* the hierarchy; res.unit[i] belongs to units.unit[i] */
    struct gf_dist_result res;
    /* the lines and bands computed: the requested ones first (indexes 0..nlines_asked), then
     * the ones the saved indicators need when they were not asked for */
    double lines[72], band_lo[72], band_hi[72];
    int nlines, nbands, nlines_asked, nbands_asked;
    int line_low; /* index of the 10 000 yuan line */
    int band_mid; /* index of the 100 000 – 500 000 band */
    int has_food; /* every row of the period has food and consumption */
    long rows;
};

/* The newest period holding microdata into buf (empty string when there is none). */
void gf_income_latest_period(struct gf_db *db, char *buf, size_t n);

/* Compute every measure for every unit from the stored microdata of period (NULL = newest).
 * Returns GF_OK and fills *r, or GF_EUSER (no microdata for the period, a row whose unit left
 * the hierarchy, bad parameters), GF_ENOMEM, GF_ESYS. */
int gf_income_compute(struct gf_db *db, const char *period, const struct gf_income_params *p,
                      struct gf_income_run *r, struct gf_err *e);
void gf_income_run_free(struct gf_income_run *r);

struct gf_income_save_stats {
    long written, unchanged, removed, kept; /* kept: real reported values left in place */
    int created;                            /* indicator definitions created */
};

/* Save the run as indicator values (origin 'computed', state 'approved', source "gongfu stats
 * (household microdata, period P[; note])") for every unit with data: income_pc, income_urban,
 * income_rural, urban_rural_ratio, gini, theil, middle_income_share (%), lowincome_households,
 * lowincome_persons, engel (%, when food and consumption are present), income_range_ratio
 * (units with children).  Missing indicator definitions are created.  One transaction, one
 * audit row; values already equal are not rewritten; a reported value whose source is not
 * synthetic (a real published figure) is kept.  note may be NULL. */
int gf_income_save(struct gf_db *db, const char *actor, const struct gf_income_run *r,
                   const char *note, struct gf_income_save_stats *s, struct gf_err *e);

/* ---------- demo ---------- */

/* Generate the synthetic household sample of the demo (villages of the unit table, 2023 and
 * 2024; calibrated to Panzhihua's urban and rural per-capita disposable income; no household
 * under 10 000 yuan a person in 2023), store it as microdata marked synthetic, then compute and
 * save the measures for both periods.  Deterministic.  GF_EUSER when there are no villages. */
int gf_demo_income(struct gf_db *db, const char *actor, struct gf_err *e);

#endif
