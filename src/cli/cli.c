/* cli.c — the gongfu command line: global options, then one subcommand (git style).  main.c
 * calls gf_cli_main; so does the fuzz target of the option parsers (tests/fuzz/fuzz_cli.c). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/actor.h"
#include "store/db.h"

struct command {
    const char *name;
    int (*fn)(struct gf_cli *, int, char **);
    const char *zh, *en;
};

static const struct command commands[] = {
#define GF_COMMAND(n, z, e) {#n, cmd_##n, z, e},
#include "cli/commands.h"
#undef GF_COMMAND
};

int gf_cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--"))
            break;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
            return 1;
    }
    return 0;
}

int gf_cli_usage(struct gf_cli *cli, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gf_err_vset(&cli->err, GF_EUSAGE, fmt, ap);
    va_end(ap);
    return GF_EUSAGE;
}

int gf_cli_output_open(struct gf_cli *cli, const char *path, struct gf_outfile *o)
{
    if (gf_db_owns_file(cli->db_path, path))
        return gf_err_set(&cli->err, GF_EUSER,
                          "%s is the database (or one of its files): refusing to write output "
                          "over it (choose another file name)",
                          path);
    return gf_outfile_open(o, path, &cli->err);
}

static void overview(FILE *out, const char *lang)
{
    int en = lang && lang[0] == 'e';
    fputs(en ? "gongfu — common-prosperity pilot zone platform\n\n"
               "usage: gongfu [--db PATH] [--format table|csv|json|xlsx] [--lang zh|en] [--user NAME]\n"
               "              COMMAND [ARGS]\n\ncommands:\n"
             : "gongfu — 共同富裕试验区工作平台\n\n"
               "用法: gongfu [--db 路径] [--format table|csv|json|xlsx] [--lang zh|en] [--user 用户]\n"
               "             命令 [参数]\n\n命令:\n",
          out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-12s %s\n", commands[i].name, en ? commands[i].en : commands[i].zh);
    fputs(en ? "\n`gongfu COMMAND --help` explains a command. Default database: ./gongfu.db\n"
               "--db takes a SQLite file or a PostgreSQL URL postgresql://user@host/dbname\n"
               "(`gongfu migrate` moves a database between them; docs/scale.md).\n"
             : "\n`gongfu 命令 --help` 查看命令说明。默认数据库: ./gongfu.db\n"
               "--db 可以是 SQLite 文件, 也可以是 PostgreSQL 地址 postgresql://用户@主机/库名\n"
               "(两者之间用 gongfu migrate 迁移; 见 docs/scale.md)。\n",
          out);
}

/* gongfu help [COMMAND]: the overview, or the help of one command. */
int cmd_help(struct gf_cli *cli, int argc, char **argv)
{
    if (argc > 2)
        return gf_cli_usage(cli, "help: unexpected argument '%s' (gongfu help [COMMAND])", argv[2]);
    if (argc == 1 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
        !strcmp(argv[1], "help")) {
        overview(stdout, cli->lang);
        return 0;
    }
    if (argv[1][0] == '-')
        return gf_cli_usage(cli, "help: unknown option '%s' (gongfu help [COMMAND])", argv[1]);
    char *sub[] = {argv[1], "--help", NULL};
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(commands[i].name, argv[1]))
            return commands[i].fn(cli, 2, sub);
    return gf_cli_usage(cli, "unknown command '%s' (see `gongfu help`)", argv[1]);
}

/* The commands that take --db without a path: "work on the database instead of a file". */
static int takes_bare_db(const char *command)
{
    return !strcmp(command, "stats");
}

/* Take a global option at argv[i]; returns how many arguments it used (0 if not global). */
static int global_option(struct gf_cli *cli, int argc, char **argv, int i)
{
    const char *a = argv[i];
    const char *names[] = {"--db", "--format", "--lang", "--user"};
    for (int k = 0; k < 4; k++) {
        size_t n = strlen(names[k]);
        const char *val = NULL;
        int used = 0;
        if (k == 0 && !strcmp(a, "--db") && (i + 1 >= argc || argv[i + 1][0] == '-')) {
            cli->db_flag = 1; /* a bare --db: "work on the database" (gongfu stats --db) */
            return 1;
        }
        if (!strcmp(a, names[k])) {
            if (i + 1 >= argc) {
                gf_cli_usage(cli, "%s needs a value", names[k]);
                return -1;
            }
            val = argv[i + 1];
            used = 2;
        } else if (!strncmp(a, names[k], n) && a[n] == '=') {
            val = a + n + 1;
            used = 1;
        } else
            continue;
        if (!*val) {
            gf_cli_usage(cli, "%s needs a value, not an empty one", names[k]);
            return -1;
        }
        switch (k) {
        case 0:
            cli->db_path = val;
            break;
        case 1: {
            int f = gf_format_parse(val);
            if (f < 0) {
                gf_cli_usage(cli, "--format: '%s' is not one of table, csv, json, xlsx", val);
                return -1;
            }
            if (f == GF_FMT_XLSX && isatty(STDOUT_FILENO)) {
                gf_cli_usage(cli, "--format xlsx writes an Excel workbook: send it to a file "
                                  "(> out.xlsx), not to the terminal");
                return -1;
            }
            cli->format = (enum gf_format)f;
            cli->format_given = 1;
            break;
        }
        case 2:
            if (strcmp(val, "zh") && strcmp(val, "en")) {
                gf_cli_usage(cli, "--lang: '%s' is not one of zh, en", val);
                return -1;
            }
            cli->lang = val;
            break;
        case 3:
            if (!gf_actor_valid(val)) {
                gf_cli_usage(cli, "--user: '%s' names nobody: give the acting user (e.g. P0001)",
                             val);
                return -1;
            }
            cli->user = val;
            cli->user_given = 1;
            break;
        }
        return used;
    }
    return 0;
}

int gf_cli_main(int argc, char **argv)
{
    struct gf_cli cli = {0};
    cli.db_path = getenv("GONGFU_DB") ? getenv("GONGFU_DB") : "gongfu.db";
    cli.lang = getenv("GONGFU_LANG") && !strcmp(getenv("GONGFU_LANG"), "en") ? "en" : "zh";
    /* who acts: --user or GONGFU_USER (an active user of the database), else its administrator */
    cli.user = getenv("GONGFU_USER");
    cli.user_given = cli.user != NULL;
    if (!cli.user)
        cli.user = "admin";
    /* Pull global options out of argv wherever they are (before "--"). */
    char **args = calloc((size_t)argc + 1, sizeof *args);
    if (!args)
        return 3;
    int n = 0, rc = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            while (i < argc)
                args[n++] = argv[i++];
            break;
        }
        int used = global_option(&cli, argc, argv, i);
        if (used < 0) {
            rc = GF_EUSAGE;
            goto out;
        }
        if (used == 0)
            args[n++] = argv[i];
        else
            i += used - 1;
    }
    if (!gf_actor_valid(cli.user)) { /* --user was checked as it was read */
        rc = gf_cli_usage(&cli,
                          "GONGFU_USER: '%s' names nobody: give the acting user (e.g. "
                          "P0001) or unset it",
                          cli.user);
        goto out;
    }
    if (argc == 1) { /* plain `gongfu` */
        overview(stdout, cli.lang);
        goto out;
    }
    if (n == 0) {
        rc = cli.db_flag ? gf_cli_usage(&cli, "--db needs a value (a database path)")
                         : gf_cli_usage(&cli, "no command given (see `gongfu help`)");
        goto out;
    }
    if (!strcmp(args[0], "--help") || !strcmp(args[0], "-h")) { /* as `gongfu help ...` */
        rc = cmd_help(&cli, n, args);
        goto out;
    }
    if (!strcmp(args[0], "--version") || !strcmp(args[0], "version")) {
        if (n > 1)
            rc = gf_cli_usage(&cli, "version: unexpected argument '%s'", args[1]);
        else
            puts("gongfu 0.1.0");
        goto out;
    }
    const struct command *cmd = NULL;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(commands[i].name, args[0]))
            cmd = &commands[i];
    if (!cmd) {
        rc = gf_cli_usage(&cli, "unknown command '%s' (see `gongfu help`)", args[0]);
        goto out;
    }
    if (cli.db_flag && !takes_bare_db(cmd->name)) {
        rc = gf_cli_usage(&cli, "--db needs a value (a database path)");
        goto out;
    }
    rc = cmd->fn(&cli, n, args);
out:
    free(args);
    if (rc != 0) {
        fflush(stdout);
        fprintf(stderr, "gongfu: %s\n", cli.err.msg[0] ? cli.err.msg : "failed");
        return rc == GF_EUSAGE ? 2 : 1;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "gongfu: error writing output\n");
        return 1;
    }
    return 0;
}
