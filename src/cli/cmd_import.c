/* cmd_import.c — `gongfu import KIND FILE [--dry-run]`: all-or-nothing imports (the operation
 * import.file, service/ops_data.c); gf_cli_import for the other import commands. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/invoke.h"
#include "domain/import.h"
#include "store/db.h"

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

/* One import as the operation import.file on db, its summary line on standard output.  The
 * input's format: format (--json, --csv), else the file name's extension, else --format, else
 * the text (domain/import.h). */
static int run_import(struct gf_cli *cli, struct gf_db *db, const char *kind, const char *path,
                      int dry_run, const char *format, const char *period)
{
    const char *hint = !cli->format_given           ? NULL
                       : cli->format == GF_FMT_CSV  ? "csv"
                       : cli->format == GF_FMT_JSON ? "json"
                                                    : NULL;
    struct gf_cli_invocation iv;
    int rc = gf_cli_invoke_start(cli, db, "import.file", &iv);
    if (rc)
        return rc;
    iv.c.input = path;
    iv.c.input_format = format ? format : gf_import_format_of(path) ? NULL : hint;
    if ((rc = gf_cli_invoke_set(cli, &iv, "kind", kind)) == GF_OK &&
        (rc = gf_cli_invoke_set(cli, &iv, "dry_run", dry_run ? "1" : NULL)) == GF_OK &&
        (rc = gf_cli_invoke_set(cli, &iv, "period", period)) == GF_OK &&
        (rc = gf_cli_invoke_run(cli, &iv)) == GF_OK)
        printf("%s\n", L(cli, iv.c.res.msg_zh, iv.c.res.msg_en));
    gf_cli_invoke_end(&iv);
    return rc;
}

int gf_cli_import(struct gf_cli *cli, struct gf_db *db, const struct gf_import_kind *kind,
                  const char *path, int dry_run, const char *format)
{
    return run_import(cli, db, kind->name, path, dry_run, format, NULL);
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
    struct gf_db *db; /* an import creates the database when there is none yet */
    int rc = gf_db_open(&db, cli->db_path, &cli->err);
    if (rc)
        return rc;
    rc = run_import(cli, db, kind->name, pos[1], dry_run, format, period);
    gf_db_close(db);
    return rc;
}
