/* period.h — reporting periods: a year "2024", a quarter "2024Q1", a month "2024-03". */
#ifndef GF_PERIOD_H
#define GF_PERIOD_H

#include <stddef.h>

#include "store/db.h"

enum gf_period_kind { GF_PERIOD_YEAR, GF_PERIOD_QUARTER, GF_PERIOD_MONTH };

struct gf_period {
    enum gf_period_kind kind;
    int year, sub;    /* sub: quarter 1-4 or month 1-12, 0 for a year */
    char start[11], end[11]; /* dates YYYY-MM-DD */
};

/* Parse a period code; returns 0 or -1 if it is not one of the three forms. */
int gf_period_parse(const char *code, struct gf_period *out);
/* The period before code, of the same kind ("2024" → "2023", "2024Q1" → "2023Q4", "2024-01" →
 * "2023-12") into out (>= 8 bytes); -1 if code is not a period. */
int gf_period_prev(const char *code, char *out, size_t cap);
/* Make sure the period exists in the database (creating it from its code).  Returns GF_OK or
 * GF_EUSER for a malformed code (message: expected forms). */
int gf_period_ensure(struct gf_db *db, const char *code, struct gf_err *e);

#endif
