/* run.c — the CLI door to the service layer: argv → a call of an operation → the printed result.
 *
 * Options are the operation's parameters spelled --like-this (`--as-of` for as_of); a switch
 * takes no value; key parameters are positional, in the operation's order; an operation that
 * reads a file takes it as the next positional ("-" = standard input). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "service/identity.h"
#include "service/report.h"
#include "service/service.h"
#include "util/outfile.h"

int gf_cli_actor(struct gf_cli *cli, struct gf_db *db, struct gf_actor *out)
{
    if (cli->user_given)
        return gf_actor_load(db, cli->user, out, &cli->err);
    return gf_actor_admin(db, out, &cli->err);
}

static int take_args(struct gf_cli *cli, struct gf_call *c, int argc, char **argv, int from,
                     const char *cmd)
{
    const struct gf_op *op = c->op;
    int rest = 0;
    for (int i = from; i < argc; i++) {
        const char *a = argv[i];
        if (!rest && !strcmp(a, "--")) {
            rest = 1;
            continue;
        }
        if (!rest && a[0] == '-' && a[1] == '-' && a[2]) {
            char name[80];
            size_t n = strcspn(a + 2, "=");
            if (n >= sizeof name)
                return gf_cli_usage(cli, "%s: unknown option '%.80s'", cmd, a);
            memcpy(name, a + 2, n);
            name[n] = 0;
            for (char *s = name; *s; s++)
                if (*s == '-')
                    *s = '_';
            const struct gf_param *p = NULL;
            for (int k = 0; op->params[k].name; k++)
                if (!strcmp(op->params[k].name, name) && !(op->params[k].flags & GF_PF_KEY))
                    p = &op->params[k];
            if (!p)
                return gf_cli_usage(cli, "%s: unknown option '%s' (see `gongfu %s --help`)", cmd,
                                    a, cmd);
            const char *v;
            if (a[2 + n] == '=')
                v = a + 3 + n;
            else if (p->type == GF_PT_BOOL)
                v = "1";
            else if (i + 1 < argc)
                v = argv[++i];
            else
                return gf_cli_usage(cli, "%s: %s needs a value", cmd, a);
            if (gf_call_set(c, p->name, v)) /* a malformed option is a usage error */
                return cli->err = c->err, cli->err.code = GF_EUSAGE;
            continue;
        }
        int placed = 0;
        for (int k = 0; op->params[k].name && !placed; k++)
            if ((op->params[k].flags & GF_PF_KEY) && !gf_arg(c, op->params[k].name)) {
                if (gf_call_set(c, op->params[k].name, a))
                    return cli->err = c->err, cli->err.code = GF_EUSAGE;
                placed = 1;
            }
        if (!placed && op->input && !c->input) {
            c->input = a;
            placed = 1;
        }
        if (!placed)
            return gf_cli_usage(cli, "%s: unexpected argument '%s' (see `gongfu %s --help`)", cmd,
                                a, cmd);
    }
    return GF_OK;
}

/* A report to --html FILE (written whole or not at all) or --pdf FILE (printed by chromium); a
 * download to --output FILE. */
static int write_document(struct gf_cli *cli, struct gf_call *c)
{
    const char *html = gf_arg(c, "html"), *pdf = gf_arg(c, "pdf");
    const char *path = pdf ? pdf : html ? html : gf_arg(c, "output");
    struct gf_outfile o;
    int rc = gf_cli_output_open(cli, path, &o);
    if (rc)
        return rc;
    if (pdf) { /* chromium prints to the temporary file, renamed into place on success */
        fclose(o.fp);
        o.fp = NULL;
        rc = gf_pdf_print(c->res.doc, c->res.doc_len, o.tmp, &cli->err);
        if (rc == GF_OK && !(o.fp = fopen(o.tmp, "ab")))
            rc = gf_err_set(&cli->err, GF_ESYS, "cannot reopen %s", o.tmp);
    } else if (fwrite(c->res.doc, 1, c->res.doc_len, o.fp) != c->res.doc_len)
        rc = gf_err_set(&cli->err, GF_ESYS, "cannot write %s", path);
    if (rc) {
        gf_outfile_abort(&o);
        return rc;
    }
    if ((rc = gf_outfile_commit(&o, &cli->err)))
        return rc;
    const char *msg = L(cli, c->res.msg_zh, c->res.msg_en);
    fprintf(stderr, "%s%s%s\n", msg ? msg : "", msg ? ": " : "", path);
    return GF_OK;
}

int gf_cli_call(struct gf_cli *cli, const char *opname, int argc, char **argv, int from,
                const char *cmd)
{
    const struct gf_op *op = gf_op_find(opname);
    if (!op)
        return gf_err_set(&cli->err, GF_ESYS, "no operation %s", opname);
    struct gf_db *db; /* reads work on read-only media */
    int rc = op->kind == GF_OP_READ ? gf_db_open_read(&db, cli->db_path, &cli->err)
                                    : gf_db_open_existing(&db, cli->db_path, &cli->err);
    if (rc)
        return rc;
    struct gf_actor actor;
    struct gf_ctx cx;
    struct gf_call c;
    if ((rc = gf_cli_actor(cli, db, &actor))) {
        gf_db_close(db);
        return rc;
    }
    gf_ctx_init(&cx, db, &actor, cli->lang);
    gf_call_init(&c, &cx, op);
    c.cli = 1;
    rc = take_args(cli, &c, argc, argv, from, cmd);
    if (rc == GF_OK) {
        rc = gf_call_run(&c);
        if (rc)
            cli->err = c.err;
        else {
            for (const char *s = c.res.notes; s && *s;) {
                size_t n = strcspn(s, "\n");
                fprintf(stderr, "gongfu: note: %.*s\n", (int)n, s);
                s += n + (s[n] == '\n');
            }
            if (c.res.doc && (gf_arg(&c, "html") || gf_arg(&c, "pdf") || gf_arg(&c, "output")))
                rc = write_document(cli, &c);
            else if (c.res.doc_type && strncmp(c.res.doc_type, "text/", 5) && isatty(1))
                rc = gf_cli_usage(cli, "%s: %s is a binary file: give --output FILE or redirect "
                                       "standard output",
                                  cmd, c.res.doc_name ? c.res.doc_name : "the download");
            else
                gf_result_print(&c.res, stdout, cli->format, cli->lang);
        }
    }
    gf_call_release(&c);
    gf_ctx_release(&cx);
    gf_db_close(db);
    return rc;
}
