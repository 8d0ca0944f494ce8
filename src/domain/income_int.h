/* income_int.h — private to the income module: the row sink shared by the CSV import
 * (income.c) and the demo generator (demo_income.c).
 *
 * Use inside a transaction the caller owns: begin → period/row … → finish (or release on
 * error; the caller rolls back).  finish compares every (period, unit) written with what is
 * stored (row count and content hash in income_batch): when all are equal it reports
 * unchanged and the caller rolls back; otherwise it deletes the previous rows of those pairs,
 * records the batches and writes one audit row. */
#ifndef GF_INCOME_INT_H
#define GF_INCOME_INT_H

#include <stdint.h>

#include "domain/income.h"

#define GF_INCOME_MAXPERIODS 64

struct gf_income_pair {
    long rows;
    uint64_t hash;
};

/* One household row as the parser hands it over. */
struct gf_income_row {
    int32_t ui, urban, size, hlen; /* hlen -1: no household code */
    double income, weight, food, cons;
    char household[65];
};

struct gf_income_sink {
    struct gf_db *db;
    const struct gf_units *u;
    struct gf_db_append *rows_out; /* income_microdata, appended in bulk (from the first row) */
    int64_t maxold; /* largest rowid before this load: older rows of a pair are replaced */
    int nperiods;
    char period[GF_INCOME_MAXPERIODS][32];
    struct gf_income_pair *pairs[GF_INCOME_MAXPERIODS]; /* [nperiods][u->n] */
    long rows;
};

int gf_income_sink_begin(struct gf_income_sink *s, struct gf_db *db, const struct gf_units *u,
                         struct gf_err *e);
/* Index of period p[0..len) (added when new), -1 = not a period code, -2 = too many periods,
 * -3 = out of memory. */
int gf_income_sink_period(struct gf_income_sink *s, const char *p, size_t len);
/* One household row (values already validated); household may be NULL; food/cons NaN = none. */
int gf_income_sink_row(struct gf_income_sink *s, int pi, int ui, const char *household, size_t hlen,
                       int urban, int size, double income, double weight, double food, double cons,
                       struct gf_err *e);
int gf_income_sink_finish(struct gf_income_sink *s, const char *file, const char *source,
                          const char *actor, struct gf_income_import_stats *st, struct gf_err *e);
void gf_income_sink_release(struct gf_income_sink *s);

#endif
