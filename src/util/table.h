/* table.h — one way to print a listing: as an aligned table for people, CSV or JSON for programs.
 *
 * A table has columns, each with a stable code (the CSV header and JSON key) and labels in
 * Chinese and English (the table header).  Cells are text; numbers are added with
 * gf_table_num(), which keeps them numeric in JSON and formats them shortest-round-trip (or
 * with fixed decimals for the human table when decimals >= 0).
 * The table owns copies of everything added to it.  Rows are kept in memory: for very large
 * outputs print row by row with gf_table_stream_*.
 */
#ifndef GF_TABLE_H
#define GF_TABLE_H

#include <stdio.h>

enum gf_format { GF_FMT_TABLE = 0, GF_FMT_CSV, GF_FMT_JSON };

struct gf_table;

struct gf_column {
    const char *code;     /* e.g. "gini" */
    const char *label_zh; /* e.g. "基尼系数"; NULL → code */
    const char *label_en; /* e.g. "Gini"; NULL → code */
};

struct gf_table *gf_table_new(const struct gf_column *cols, int ncols);
void gf_table_free(struct gf_table *t);
/* Start a new row; following cell calls fill it column by column or by index. */
void gf_table_row(struct gf_table *t);
void gf_table_text(struct gf_table *t, int col, const char *s);      /* NULL → empty / null */
void gf_table_num(struct gf_table *t, int col, double x, int decimals); /* NaN → empty / null */
void gf_table_int(struct gf_table *t, int col, long long v);
int gf_table_rows(const struct gf_table *t);
/* Print in the format; lang "en" uses English labels, anything else Chinese. */
void gf_table_print(const struct gf_table *t, FILE *out, enum gf_format fmt, const char *lang);

/* Parse "table", "csv" or "json"; returns -1 if unknown. */
int gf_format_parse(const char *s);

/* Shortest decimal that reads back as the same double ("%.17g" at worst). */
int gf_fmt_double(char *buf, int cap, double x);

#endif
