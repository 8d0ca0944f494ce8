/* cmd_import.c — `gongfu import KIND FILE [--dry-run]`: all-or-nothing imports. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/import.h"
#include "domain/income.h"
#include "store/db.h"
#include "util/input.h"

static void usage(struct gf_cli *cli)
{
    puts(L(cli, "用法: gongfu import 类型 文件 [--dry-run] [--json|--csv]  (households: [--period P])\n\n"
                "导入 CSV(首行为列名)或 JSON(对象数组或每行一个对象的 JSON Lines)。\n"
                "整个文件在一个事务中导入:任何一行有错则全部不导入,数据库保持原样。\n"
                "重复导入同一文件不会产生变化。--dry-run 只校验并报告,不写入。\n\n类型:",
           "usage: gongfu import KIND FILE [--dry-run] [--json|--csv]  (households: [--period P])\n\n"
           "Import a CSV file (header row first) or JSON (an array of objects, or JSON Lines).\n"
           "The whole file is one transaction: one bad row and nothing is imported.\n"
           "Importing the same file again changes nothing. --dry-run validates and reports only.\n\n"
           "kinds:"));
    for (int i = 0; gf_import_kinds[i]; i++)
        printf("  %-12s %s\n", gf_import_kinds[i]->name,
               L(cli, gf_import_kinds[i]->zh, gf_import_kinds[i]->en));
    puts(L(cli, "\n文件格式见 docs/formats.md。", "\nFile formats: docs/formats.md."));
}

/* gongfu import households FILE [--period P]: streaming, all or nothing, idempotent. */
static int import_income(struct gf_cli *cli, struct gf_db *db, const char *path, const char *period,
                         int dry_run)
{
    struct gf_income_import_opts io = {period, dry_run, cli->user};
    struct gf_income_import_stats s;
    int rc = gf_income_import(db, path, &io, &s, &cli->err);
    gf_db_close(db);
    if (rc) {
        snprintf(cli->err.msg + strlen(cli->err.msg), sizeof cli->err.msg - strlen(cli->err.msg),
                 "%s", L(cli, "\n(未导入任何数据,数据库保持原样)",
                         "\n(nothing was imported; the database is unchanged)"));
        return rc;
    }
    printf(L(cli, "%s%s: %ld 行, %ld 个(期别, 单位), %s\n",
             "%s%s: %ld rows, %ld (period, unit) pairs, %s\n"),
           dry_run ? L(cli, "[试运行,未写入] ", "[dry run, nothing written] ") : "",
           gf_input_name(path), s.rows, s.pairs,
           s.unchanged  ? L(cli, "与库中数据相同, 未变", "same as stored, unchanged")
           : s.replaced ? L(cli, "替换了原有数据", "replaced the stored rows")
                        : L(cli, "新增", "inserted"));
    return 0;
}

int gf_cli_import(struct gf_cli *cli, struct gf_db *db, const struct gf_import_kind *kind,
                  const char *path, int dry_run, const char *format)
{
    /* --format csv|json (a global option) names the input's format when nothing else does */
    const char *hint = !cli->format_given           ? NULL
                       : cli->format == GF_FMT_CSV  ? "csv"
                       : cli->format == GF_FMT_JSON ? "json"
                                                    : NULL;
    struct gf_import_opts o = {dry_run, cli->user, format, hint};
    struct gf_import_stats s;
    int rc = gf_import_file(db, kind, path, &o, &s, &cli->err);
    if (rc) {
        if (!strstr(cli->err.msg, "nothing was imported"))
            snprintf(cli->err.msg + strlen(cli->err.msg),
                     sizeof cli->err.msg - strlen(cli->err.msg), "%s",
                     L(cli, "\n(未导入任何数据,数据库保持原样)",
                       "\n(nothing was imported; the database is unchanged)"));
        return rc;
    }
    printf(L(cli, "%s%s: %ld 行, 新增 %ld, 更新 %ld, 未变 %ld\n",
             "%s%s: %ld rows, %ld inserted, %ld updated, %ld unchanged\n"),
           dry_run ? L(cli, "[试运行,未写入] ", "[dry run, nothing written] ") : "",
           gf_input_name(path), s.rows, s.inserted, s.updated, s.unchanged);
    return 0;
}

int cmd_import(struct gf_cli *cli, int argc, char **argv)
{
    if (gf_cli_wants_help(argc, argv)) {
        usage(cli);
        return 0;
    }
    const char *pos[2] = {NULL, NULL}, *period = NULL, *format = NULL;
    int npos = 0, dry_run = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--dry-run"))
            dry_run = 1;
        else if (!strcmp(argv[i], "--json"))
            format = "json";
        else if (!strcmp(argv[i], "--csv"))
            format = "csv";
        else if (!strcmp(argv[i], "--period") && i + 1 < argc)
            period = argv[++i]; /* household microdata only */
        else if (argv[i][0] == '-' && argv[i][1])
            return gf_cli_usage(cli, "import: unknown option '%s' (see gongfu import --help)", argv[i]);
        else if (npos < 2)
            pos[npos++] = argv[i];
        else
            return gf_cli_usage(cli, "import: unexpected argument '%s'", argv[i]);
    }
    if (npos < 2)
        return gf_cli_usage(cli, "import: need a KIND and a FILE (see gongfu import --help)");
    const struct gf_import_kind *kind = gf_import_kind_find(pos[0]);
    if (!kind)
        return gf_cli_usage(cli, "import: unknown kind '%s' (see gongfu import --help)", pos[0]);
    if (period && strcmp(pos[0], "households"))
        return gf_cli_usage(cli, "import: --period is for household microdata only");
    if (format && !strcmp(pos[0], "households") && strcmp(format, "csv"))
        return gf_cli_usage(cli, "import: household microdata is read from CSV only (not --%s)",
                            format);
    struct gf_db *db;
    int rc = gf_db_open(&db, cli->db_path, &cli->err);
    if (rc)
        return rc;
    if (!strcmp(pos[0], "households")) /* household microdata: the fast path (domain/income.h) */
        return import_income(cli, db, pos[1], period, dry_run);
    rc = gf_cli_import(cli, db, kind, pos[1], dry_run, format);
    gf_db_close(db);
    return rc;
}
