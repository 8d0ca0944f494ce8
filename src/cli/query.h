/* query.h — run a query and print its rows through util/table (the CLI's listings). */
#ifndef GF_CLI_QUERY_H
#define GF_CLI_QUERY_H

#include "cli/cli.h"
#include "store/db.h"

/* Run sql with text parameters params[0..nparams) and print one row per result row; column i
 * of the result fills cols[i].  Columns whose code is in numeric (NULL-terminated, may be NULL)
 * are printed as numbers. Returns GF_OK or an error. */
int gf_cli_print_query(struct gf_cli *cli, struct gf_db *db, const char *sql,
                       const char *const *params, int nparams, const struct gf_column *cols,
                       int ncols, const char *const *numeric, FILE *out, enum gf_format fmt);

#endif
