/* xlsx.h — tables as an Excel workbook (.xlsx), for people who open listings in a spreadsheet.
 *
 * One sheet a table: the header row in the language's labels, bold and frozen with a filter;
 * numbers as numbers with the decimals people see ("0.00"; the exact value is kept), codes shown
 * by their labels (as in the table for people), columns as wide as their widest cell (CJK
 * characters count two).  Written by libxlsxwriter in constant-memory mode: a row goes to disk as
 * it is written, so a large listing costs little memory.
 */
#ifndef GF_XLSX_H
#define GF_XLSX_H

#include <stdio.h>

#include "util/err.h"
#include "util/table.h"

/* At most this many data rows fit a sheet (Excel's 1 048 576 rows less the header). */
#define GF_XLSX_MAXROWS 1048575

/* Write the n tables as one workbook to out, sheet i named names[i] (NULL or names NULL: the
 * table's position; names are made valid for Excel: at most 31 characters, none of []:*?/\,
 * unique).  The workbook is built in a temporary file (TMPDIR, else /tmp) and copied to out.
 * Returns GF_OK, or GF_EUSER (a table too long for a sheet) / GF_ESYS with e filled (e may be
 * NULL: then the message goes to standard error). */
int gf_xlsx_write(FILE *out, const struct gf_table *const *tables, const char *const *names, int n,
                  const char *lang, struct gf_err *e);

#endif
