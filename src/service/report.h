/* report.h — printed reports: an operation's result may be a document (HTML for A4, charts as
 * inline SVG) instead of tables.  The reports (兴村报表, 成绩单, the quarterly report, the 亮晒
 * poster; ops_reports.c) are built from the results of other operations called as the same actor
 * (report_call), so a report shows exactly what its reader may see through the API.
 *
 * A struct gf_doc writes the HTML into memory; gf_doc_finish hands it to the call's result
 * (gf_result.doc).  The CLI writes it to standard output, --html FILE or --pdf FILE; the HTTP door
 * answers text/html, or application/pdf for ?format=pdf.  PDF is printed by Debian's headless
 * chromium (GONGFU_CHROMIUM names another binary) with the fonts of fonts-noto-cjk.
 */
#ifndef GF_REPORT_H
#define GF_REPORT_H

#include <stdio.h>

#include "service/service.h"

struct gf_doc {
    struct gf_call *c; /* the report's call: its actor, language, result */
    FILE *f;
    char *buf;
    size_t len;
    int en;
    int figures;       /* SVG ids */
};

/* Start a document titled title (printed in the page head). */
int gf_doc_begin(struct gf_doc *d, struct gf_call *c, const char *title);
/* End it and give it to c->res.doc.  Returns GF_OK or GF_ENOMEM. */
int gf_doc_finish(struct gf_doc *d);
/* Free an unfinished document. */
void gf_doc_abandon(struct gf_doc *d);

/* Text with HTML escaped; printf formats (the arguments are escaped too, %s only). */
void gf_doc_text(struct gf_doc *d, const char *s);
void gf_doc_raw(struct gf_doc *d, const char *html);
void gf_doc_printf(struct gf_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* <h2 class=...>: a section heading in the document's language. */
void gf_doc_heading(struct gf_doc *d, const char *zh, const char *en);
/* A paragraph, escaped. */
void gf_doc_para(struct gf_doc *d, const char *text);
/* A row of key figures: label and value pairs (value already formatted). */
void gf_doc_kpis(struct gf_doc *d, const char *const *labels, const char *const *values, int n);
/* A table of section t's columns named in cols (NULL-terminated codes; absent codes skipped; NULL
 * = every column), at most max rows (then "… N more"), headers in the document's language. */
void gf_doc_table(struct gf_doc *d, const struct gf_table *t, const char *const *cols, int max);
/* A horizontal bar chart as inline SVG: one bar a row of t, labelled by column label, length by
 * column value (max rows; negative values drawn to the left of zero). */
void gf_doc_bars(struct gf_doc *d, const struct gf_table *t, const char *label, const char *value,
                 int max, int decimals);
/* A note in small print (why a part is missing, where the data comes from). */
void gf_doc_note(struct gf_doc *d, const char *text);

/* Run operation op as the report's actor with name/value pairs (NULL-terminated).  Returns the
 * finished call (free with report_release), or NULL when the operation is missing, refused or
 * failed — then a note in the document says which part is missing and why. */
struct gf_call *report_call(struct gf_doc *d, const char *op, ...) __attribute__((sentinel));
void report_release(struct gf_call *c);
/* The first section of call c named name, or NULL. */
const struct gf_table *report_section(const struct gf_call *c, const char *name);
/* The cell (row, column code) as text people read, "" when absent. */
const char *report_cell(const struct gf_table *t, int row, const char *col, int en, char *buf,
                        int cap);
/* The cell's stored text (a code, not its label), "" when absent. */
const char *report_code(const struct gf_table *t, int row, const char *col, char *buf, int cap);
/* The cell as a number; NAN when absent or not a number. */
double report_num(const struct gf_table *t, int row, const char *col);

/* Print html (len bytes) to a PDF file at path with headless chromium (A4, no header/footer).
 * Returns GF_OK, or GF_ESYS naming what failed (chromium missing, timed out). */
int gf_pdf_print(const char *html, size_t len, const char *path, struct gf_err *e);

#endif
