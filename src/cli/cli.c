/* cli.c — the gongfu command line: global options, then one subcommand (git style).  main.c
 * calls gf_cli_main; so does the fuzz target of the option parsers (tests/fuzz/fuzz_cli.c). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

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

static void overview(FILE *out, const char *lang)
{
    int en = lang && lang[0] == 'e';
    fputs(en ? "gongfu — common-prosperity pilot zone platform\n\n"
               "usage: gongfu [--db PATH] [--format table|csv|json] [--lang zh|en] [--user NAME]\n"
               "              COMMAND [ARGS]\n\ncommands:\n"
             : "gongfu — 共同富裕试验区工作平台\n\n"
               "用法: gongfu [--db 路径] [--format table|csv|json] [--lang zh|en] [--user 用户]\n"
               "             命令 [参数]\n\n命令:\n",
          out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-12s %s\n", commands[i].name, en ? commands[i].en : commands[i].zh);
    fputs(en ? "\n`gongfu COMMAND --help` explains a command. Default database: ./gongfu.db\n"
             : "\n`gongfu 命令 --help` 查看命令说明。默认数据库: ./gongfu.db\n",
          out);
}

int cmd_help(struct gf_cli *cli, int argc, char **argv)
{
    if (argc > 1 && argv[1][0] != '-') {
        char *sub[] = {argv[1], "--help", NULL};
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
            if (!strcmp(commands[i].name, argv[1]) && strcmp(argv[1], "help"))
                return commands[i].fn(cli, 2, sub);
        return gf_cli_usage(cli, "unknown command '%s' (see `gongfu help`)", argv[1]);
    }
    overview(stdout, cli->lang);
    return 0;
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
        switch (k) {
        case 0:
            cli->db_path = val;
            break;
        case 1: {
            int f = gf_format_parse(val);
            if (f < 0) {
                gf_cli_usage(cli, "--format: '%s' is not one of table, csv, json", val);
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
            cli->user = val;
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
    cli.user = getenv("GONGFU_USER") ? getenv("GONGFU_USER")
               : getenv("USER")      ? getenv("USER")
                                     : "cli";
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
    if (n == 0 || !strcmp(args[0], "--help") || !strcmp(args[0], "-h")) {
        overview(stdout, cli.lang);
        goto out;
    }
    if (!strcmp(args[0], "--version") || !strcmp(args[0], "version")) {
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
