/* cli.h — what every subcommand gets.  One file per subcommand (cmd_NAME.c) with
 *   int cmd_NAME(struct gf_cli *cli, int argc, char **argv);   argv[0] is the command name
 * registered in commands.h.  A command returns 0 on success, or a GF_E* code after filling
 * cli->err; main() prints the message and exits 1 (GF_EUSER, GF_ESYS) or 2 (GF_EUSAGE).
 * Global options (before or after the command name): --db PATH, --format table|csv|json,
 * --lang zh|en, --user NAME. */
#ifndef GF_CLI_H
#define GF_CLI_H

#include "util/err.h"
#include "util/outfile.h"
#include "util/table.h"

struct gf_cli {
    const char *db_path; /* --db, default ./gongfu.db (or $GONGFU_DB) */
    enum gf_format format;
    const char *lang; /* "zh" (default) or "en" */
    const char *user; /* who is acting: --user or $GONGFU_USER, else "admin" */
    int user_given;   /* a user was named; otherwise the CLI acts as the database's admin */
    int format_given; /* 1 if --format was on the command line */
    int db_flag;      /* 1 if --db was given without a path (use the default database) */
    struct gf_err err;
};

/* The whole command: global options, the subcommand, its message on stderr.  Returns the exit
 * status (0, 1 bad input or data, 2 bad usage).  Reads the environment (GONGFU_DB, GONGFU_LANG,
 * GONGFU_USER, USER); keeps no state between calls. */
int gf_cli_main(int argc, char **argv);

/* Label by language: L(cli, "中文", "English"). */
#define L(cli, zh, en) ((cli)->lang && (cli)->lang[0] == 'e' ? (en) : (zh))

/* Print usage text for a command and return 0 when argv has -h/--help. */
int gf_cli_wants_help(int argc, char **argv);

/* Usage error helper: fills cli->err and returns GF_EUSAGE. */
int gf_cli_usage(struct gf_cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Run the service operation opname with argv[from..argc) as its parameters (see run.c) and
 * print its result; cmd names the command in messages ("households list"). */
int gf_cli_call(struct gf_cli *cli, const char *opname, int argc, char **argv, int from,
                const char *cmd);
struct gf_db;
struct gf_actor;
/* Who the CLI acts as: the --user (GONGFU_USER) user, or the database's administrator. */
int gf_cli_actor(struct gf_cli *cli, struct gf_db *db, struct gf_actor *out);
/* Start writing an output file named on the command line (export -o, mcda --draws-out): refuses
 * the database's own files (cli->db_path) and any database file, and writes through a temporary
 * file renamed into place (util/outfile.h), so an output never costs data. */
int gf_cli_output_open(struct gf_cli *cli, const char *path, struct gf_outfile *o);
struct gf_db;
struct gf_import_kind;
/* Run an import for every import command (gongfu import, items import, households import) with
 * one rule: path "-" is standard input; the format is format ("csv", "json": --csv, --json),
 * else the file name's extension, else --format csv|json, else the text; the same summary line
 * and the same messages.  Returns 0 or a GF_E* code with cli->err filled. */
int gf_cli_import(struct gf_cli *cli, struct gf_db *db, const struct gf_import_kind *kind,
                  const char *path, int dry_run, const char *format);

#define GF_COMMAND(name, zh, en) int cmd_##name(struct gf_cli *cli, int argc, char **argv);
#include "cli/commands.h"
#undef GF_COMMAND

#endif
