/* cmd_export.c — `gongfu export KIND [-o FILE]`: write data in the import formats (round trip),
 * the operations export.file and export.unmasked (service/ops_data.c).  Personal data (people's
 * phones; ID numbers, phones and household names inside audit records) is masked unless
 * --unmasked, which is recorded in the audit log before anything is written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/invoke.h"
#include "domain/export.h"

int cmd_export(struct gf_cli *cli, int argc, char **argv)
{
    if (gf_cli_wants_help(argc, argv)) {
        puts(
            L(cli,
              "用法: gongfu export 类型 [-o 文件] [--format csv|json|xlsx] [--unit 代码] [--unmasked]\n\n"
              "按导入格式导出数据(默认 CSV),可直接再导入。units 和 values 可用 --unit 只导出\n"
              "一个单位及其下级(默认为当前用户的范围)。个人信息(people 的电话, audit 记录中的\n"
              "身份证号、电话和户主、成员姓名)默认脱敏; --unmasked 显示原文并记入审计日志。类型:",
              "usage: gongfu export KIND [-o FILE] [--format csv|json|xlsx] [--unit CODE] [--unmasked]\n\n"
              "Write data in the import format (CSV by default), ready to import again. units and\n"
              "values take --unit: that unit and those under it only (default: the user's scope).\n"
              "Personal data (people's phones; ID numbers, phones and household names in audit\n"
              "records) is masked unless --unmasked, which is recorded in the audit log. Kinds:"));
        for (int i = 0; gf_export_kinds[i]; i++)
            printf("  %-12s %s\n", gf_export_kinds[i]->name,
                   L(cli, gf_export_kinds[i]->zh, gf_export_kinds[i]->en));
        return 0;
    }
    const char *kind = NULL, *outpath = NULL, *unit = NULL;
    int unmasked = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--unmasked"))
            unmasked = 1;
        else if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output") ||
                 !strcmp(argv[i], "--unit")) {
            if (i + 1 >= argc)
                return gf_cli_usage(cli, "export: %s needs a %s", argv[i],
                                    argv[i][2] == 'u' ? "unit code" : "file name");
            *(argv[i][2] == 'u' ? &unit : &outpath) = argv[i + 1];
            i++;
        } else if (argv[i][0] == '-')
            return gf_cli_usage(cli, "export: unknown option '%s'", argv[i]);
        else if (!kind)
            kind = argv[i];
        else
            return gf_cli_usage(cli, "export: unexpected argument '%s'", argv[i]);
    }
    const struct gf_export_kind *k = gf_export_kind_find(kind);
    if (!k)
        return gf_cli_usage(cli, "export: need a kind: units, teams, departments, people, framework, values, audit");
    if (unmasked && !k->entity)
        return gf_cli_usage(
            cli, "export %s: --unmasked applies to people and audit (%s hold no personal data)",
            k->name, k->name);
    /* the import format by default; JSON or an Excel workbook when asked */
    enum gf_format fmt = cli->format_given && (cli->format == GF_FMT_JSON || cli->format == GF_FMT_XLSX)
                             ? cli->format
                             : GF_FMT_CSV;
    struct gf_db *db; /* an unmasked export writes its audit record: it needs to write */
    int rc = unmasked ? gf_db_open_existing(&db, cli->db_path, &cli->err)
                      : gf_db_open_read(&db, cli->db_path, &cli->err);
    if (rc)
        return rc;
    struct gf_cli_invocation iv;
    if ((rc = gf_cli_invoke_start(cli, db, unmasked ? "export.unmasked" : "export.file", &iv))) {
        gf_db_close(db);
        return rc;
    }
    if ((rc = gf_cli_invoke_set(cli, &iv, "kind", k->name)) == GF_OK &&
        (rc = gf_cli_invoke_set(cli, &iv, "unit", unit)) == GF_OK)
        rc = gf_cli_invoke_run(cli, &iv);
    gf_db_close(db);
    struct gf_outfile of = {stdout, NULL, NULL};
    if (rc == GF_OK && outpath)
        rc = gf_cli_output_open(cli, outpath, &of);
    if (rc == GF_OK) {
        gf_table_print(iv.c.res.sec[0].t, of.fp, fmt, cli->lang);
        if (outpath)
            rc = gf_outfile_commit(&of, &cli->err);
    }
    gf_cli_invoke_end(&iv);
    return rc;
}
