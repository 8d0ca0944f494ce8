/* invoke.h — calling an operation from a command that reads its own arguments (an import's file
 * and format, an export's output file): the call runs on a database the command opened, as the
 * CLI's actor (cli.h gf_cli_actor), and the command prints the result itself.  gf_cli_call
 * (run.c) is the usual way; this one is for the commands whose options are not an operation's
 * parameters. */
#ifndef GF_CLI_INVOKE_H
#define GF_CLI_INVOKE_H

#include "cli/cli.h"
#include "service/service.h"

struct gf_cli_invocation {
    struct gf_ctx cx;
    struct gf_call c; /* set c.input, c.input_format before running */
};

/* Start a call of opname on db.  GF_OK (end it with gf_cli_invoke_end), or the error in
 * cli->err and nothing to end. */
int gf_cli_invoke_start(struct gf_cli *cli, struct gf_db *db, const char *opname,
                        struct gf_cli_invocation *iv);
/* Give parameter name the value (NULL: leave it absent).  A bad value is a usage error. */
int gf_cli_invoke_set(struct gf_cli *cli, struct gf_cli_invocation *iv, const char *name,
                      const char *value);
/* Run it: GF_OK with the result in iv->c.res (its notes already printed on standard error), or
 * the error copied to cli->err. */
int gf_cli_invoke_run(struct gf_cli *cli, struct gf_cli_invocation *iv);
void gf_cli_invoke_end(struct gf_cli_invocation *iv);

#endif
