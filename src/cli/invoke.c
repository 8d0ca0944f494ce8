/* invoke.c — an operation called with arguments a command read itself (see invoke.h). */
#include "cli/invoke.h"

#include <stdio.h>
#include <string.h>

int gf_cli_invoke_start(struct gf_cli *cli, struct gf_db *db, const char *opname,
                        struct gf_cli_invocation *iv)
{
    const struct gf_op *op = gf_op_find(opname);
    if (!op)
        return gf_err_set(&cli->err, GF_ESYS, "no operation %s", opname);
    struct gf_actor actor;
    int rc = gf_cli_actor(cli, db, &actor);
    if (rc)
        return rc;
    gf_ctx_init(&iv->cx, db, &actor, cli->lang);
    gf_call_init(&iv->c, &iv->cx, op);
    iv->c.cli = 1;
    return GF_OK;
}

int gf_cli_invoke_set(struct gf_cli *cli, struct gf_cli_invocation *iv, const char *name,
                      const char *value)
{
    if (!value || gf_call_set(&iv->c, name, value) == GF_OK)
        return GF_OK;
    cli->err = iv->c.err;
    return cli->err.code = GF_EUSAGE;
}

int gf_cli_invoke_run(struct gf_cli *cli, struct gf_cli_invocation *iv)
{
    int rc = gf_call_run(&iv->c);
    if (rc) {
        cli->err = iv->c.err;
        return rc;
    }
    for (const char *s = iv->c.res.notes; s && *s;) {
        size_t n = strcspn(s, "\n");
        fprintf(stderr, "gongfu: note: %.*s\n", (int)n, s);
        s += n + (s[n] == '\n');
    }
    return GF_OK;
}

void gf_cli_invoke_end(struct gf_cli_invocation *iv)
{
    gf_call_release(&iv->c);
    gf_ctx_release(&iv->cx);
}
