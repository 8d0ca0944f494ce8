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

enum gf_format { GF_FMT_TABLE = 0, GF_FMT_CSV, GF_FMT_JSON, GF_FMT_XLSX };

struct gf_table;

/* What a code in a cell means to people (shown in the human table only; CSV and JSON keep the
 * code).  Arrays end with {NULL}. */
struct gf_code_label {
    const char *code, *zh, *en;
};

struct gf_column {
    const char *code;     /* e.g. "gini" */
    const char *label_zh; /* e.g. "基尼系数"; NULL → code */
    const char *label_en; /* e.g. "Gini"; NULL → code */
    const struct gf_code_label *labels; /* may be NULL; static storage (not copied) */
};

struct gf_table *gf_table_new(const struct gf_column *cols, int ncols);
void gf_table_free(struct gf_table *t);
/* Start a new row; following cell calls fill it column by column or by index. */
void gf_table_row(struct gf_table *t);
void gf_table_text(struct gf_table *t, int col, const char *s);      /* NULL → empty / null */
void gf_table_num(struct gf_table *t, int col, double x, int decimals); /* NaN → empty / null */
void gf_table_int(struct gf_table *t, int col, long long v);
int gf_table_rows(const struct gf_table *t);
/* Print in the format; lang "en" uses English labels, anything else Chinese.  GF_FMT_XLSX writes
 * a workbook of one sheet (util/xlsx.h). */
void gf_table_print(const struct gf_table *t, FILE *out, enum gf_format fmt, const char *lang);

/* Reading a table back (results are built by the service layer and written by each door). */
int gf_table_ncols(const struct gf_table *t);
const struct gf_column *gf_table_col(const struct gf_table *t, int col);
int gf_table_col_index(const struct gf_table *t, const char *code); /* -1 if none */
/* The cell's exact text (CSV's), "" when missing; buf (>= 400 bytes) holds a number's. */
const char *gf_table_cell(const struct gf_table *t, int row, int col, char *buf, int cap);
/* 1 when the cell holds a number (a JSON number). */
int gf_table_cell_numeric(const struct gf_table *t, int row, int col);
/* 1 when the cell is missing (NULL text, or a NaN number). */
int gf_table_cell_missing(const struct gf_table *t, int row, int col);
/* A number cell's value and the decimals people see (-1: the exact value); 0 if not a number. */
int gf_table_cell_number(const struct gf_table *t, int row, int col, double *x, int *decimals);
/* The text people see in the cell: a code's label, a number rounded to its decimals. */
const char *gf_table_cell_shown(const struct gf_table *t, int row, int col, int en, char *buf,
                                int cap);
/* Display width of UTF-8 text in a terminal column: East Asian wide characters count 2. */
int gf_display_width(const char *s);
/* Write row as a JSON object {"code": value, ...} (numbers as numbers, missing as null). */
void gf_table_json_row(const struct gf_table *t, int row, FILE *out);
/* Sort the rows by a column (numbers numerically, text by bytes; missing last), stable. */
void gf_table_sort(struct gf_table *t, int col, int descending);
/* Keep rows [from, from + n) only. */
void gf_table_slice(struct gf_table *t, int from, int n);

/* Write s as a JSON string literal (quotes, escapes). */
void gf_json_string(FILE *out, const char *s);

/* Parse "table", "csv", "json" or "xlsx"; returns -1 if unknown. */
int gf_format_parse(const char *s);

/* The shortest decimal that reads back as the same double (gf_shortest_text: plain notation
 * for ordinary magnitudes, an integer below 1e17 with all its digits); returns its length,
 * writing at most cap - 1 bytes and a NUL as snprintf does. */
int gf_fmt_double(char *buf, int cap, double x);

#endif
