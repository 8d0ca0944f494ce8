/* query.c — print query results as table, CSV or JSON. */
#include "cli/query.h"

#include <stdlib.h>
#include <string.h>

struct gf_table *gf_cli_query_table(struct gf_cli *cli, struct gf_db *db, const char *sql,
                                    const char *const *params, int nparams,
                                    const struct gf_column *cols, int ncols,
                                    const char *const *numeric, gf_cli_cell_fn cell, void *ctx,
                                    int *rc)
{
    struct gf_stmt *st;
    if ((*rc = gf_db_prepare(db, sql, &st, &cli->err)))
        return NULL;
    for (int i = 0; i < nparams; i++)
        gf_stmt_bind_text(st, i + 1, params[i]);
    int isnum[64] = {0};
    for (int j = 0; j < ncols && j < 64; j++)
        for (int k = 0; numeric && numeric[k]; k++)
            if (!strcmp(numeric[k], cols[j].code))
                isnum[j] = 1;
    struct gf_table *t = gf_table_new(cols, ncols);
    while ((*rc = gf_stmt_step(st, &cli->err)) == 1) {
        gf_table_row(t);
        for (int j = 0; j < ncols; j++) {
            char *shown = NULL;
            if (gf_stmt_is_null(st, j))
                gf_table_text(t, j, NULL);
            else if (isnum[j])
                gf_table_num(t, j, gf_stmt_double(st, j), -1);
            else if (cell && (shown = cell(ctx, st, j)))
                gf_table_text(t, j, shown);
            else
                gf_table_text(t, j, gf_stmt_text(st, j));
            free(shown);
        }
    }
    gf_stmt_finalize(st);
    if (*rc < 0) {
        gf_table_free(t);
        return NULL;
    }
    *rc = GF_OK;
    return t;
}

int gf_cli_print_query(struct gf_cli *cli, struct gf_db *db, const char *sql,
                       const char *const *params, int nparams, const struct gf_column *cols,
                       int ncols, const char *const *numeric, FILE *out, enum gf_format fmt)
{
    int rc;
    struct gf_table *t =
        gf_cli_query_table(cli, db, sql, params, nparams, cols, ncols, numeric, NULL, NULL, &rc);
    if (!t)
        return rc;
    gf_table_print(t, out, fmt, cli->lang);
    gf_table_free(t);
    return GF_OK;
}
