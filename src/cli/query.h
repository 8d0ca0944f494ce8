/* query.h — run a query and print its rows through util/table (the CLI's listings). */
#ifndef GF_CLI_QUERY_H
#define GF_CLI_QUERY_H

#include "cli/cli.h"
#include "store/db.h"

/* Rewrites a text cell before it is shown (e.g. masks personal data): given the row and the
 * column, returns a malloc'd text to show instead, or NULL to show the stored text. */
typedef char *(*gf_cli_cell_fn)(void *ctx, struct gf_stmt *row, int col);

/* Run sql with text parameters params[0..nparams) into a new table, one row per result row;
 * column i of the result fills cols[i].  Columns whose code is in numeric (NULL-terminated, may
 * be NULL) are numbers; other non-NULL cells go through cell (may be NULL).  Returns the table
 * (the caller frees it), or NULL with *rc and cli->err set. */
struct gf_table *gf_cli_query_table(struct gf_cli *cli, struct gf_db *db, const char *sql,
                                    const char *const *params, int nparams,
                                    const struct gf_column *cols, int ncols,
                                    const char *const *numeric, gf_cli_cell_fn cell, void *ctx,
                                    int *rc);

/* The same, printed to out in fmt.  Returns GF_OK or an error. */
int gf_cli_print_query(struct gf_cli *cli, struct gf_db *db, const char *sql,
                       const char *const *params, int nparams, const struct gf_column *cols,
                       int ncols, const char *const *numeric, FILE *out, enum gf_format fmt);

#endif
