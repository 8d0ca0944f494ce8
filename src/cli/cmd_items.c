/* cmd_items.c — `gongfu items`: the four lists (四张清单): import (the import machinery), list,
 * show, progress and report (the flags) as the service's items.* operations. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/lists.h"
#include "store/db.h"

static const char *usage_zh =
    "用法: gongfu items 子命令 [参数]\n"
    "四张清单(向上争取/改革事项/重大项目/重点任务)的事项、进度与预警。\n\n"
    "  items import 文件 [--what items|progress|kinds] [--dry-run] [--json|--csv]\n"
    "      导入事项(默认)、进度报告或自定义清单类别(CSV/JSON,全部成功或全部不变)\n"
    "  items list [--kind 类别] [--unit 单位] [--team 专班] [--status 状态] [--lead-unit 代码]\n"
    "      列出事项(含最新进度);--unit 为属地单位及其下级,--lead-unit 为牵头部门或单位\n"
    "  items show 代码     事项详情:责任链、节点、资金、进度历史、问题\n"
    "  items progress 代码 --percent P [--date 日期] [--text 说明] [--invest 万元]\n"
    "      [--funds 万元] [--by 人员代码] [--milestone land|start|complete|produce\n"
    "      [--milestone-date 日期]]       报告进度(已办结或已取消的事项拒绝)\n"
    "  items report [--as-of 日期] [--stalled-days N]     (也可写作 items flags)\n"
    "      预警:事项逾期、节点逾期、进度停滞(N 天无进度,默认 60)、问题超期、投资滞后\n\n"
    "每个用户只看到其范围内的事项(属地单位在其范围内);专班填报员只看到并报告本专班牵头或\n"
    "配合的事项。报告人默认为当前用户。\n"
    "格式见 docs/lists-and-race.md。日期为 YYYY-MM-DD;\"今天\"可由环境变量 GONGFU_NOW 固定。";
static const char *usage_en =
    "usage: gongfu items SUBCOMMAND [ARGS]\n"
    "Items of the four lists (upward funding, reform, major projects, key tasks), their\n"
    "progress and flags.\n\n"
    "  items import FILE [--what items|progress|kinds] [--dry-run] [--json|--csv]\n"
    "      import items (default), progress reports or custom list kinds (CSV/JSON, all or\n"
    "      nothing)\n"
    "  items list [--kind KIND] [--unit UNIT] [--team TEAM] [--status STATUS] [--lead-unit CODE]\n"
    "      list items with their latest progress; --unit: lying in the unit or below it,\n"
    "      --lead-unit: led by that department or unit\n"
    "  items show CODE     one item: responsibility chain, milestones, money, progress, problems\n"
    "  items progress CODE --percent P [--date DATE] [--text TEXT] [--invest WAN]\n"
    "      [--funds WAN] [--by PERSON] [--milestone land|start|complete|produce\n"
    "      [--milestone-date DATE]]       report progress (refused on a done/cancelled item)\n"
    "  items report [--as-of DATE] [--stalled-days N]     (also: items flags)\n"
    "      flags: overdue items and milestones, stalled items (no progress for more than N\n"
    "      days, default 60), problems past deadline, investment behind plan\n\n"
    "Each user sees the items in its scope (their territorial unit in it); a team reporter sees\n"
    "and reports on the items its team leads or joins.  The reporter is the acting user unless\n"
    "--by names one.\n"
    "Formats: docs/lists-and-race.md. Dates are YYYY-MM-DD; fix \"today\" with GONGFU_NOW.";

static int do_import(struct gf_cli *cli, int argc, char **argv)
{
    const char *file = NULL, *what = "items", *format = NULL;
    int dry_run = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--what") && i + 1 < argc)
            what = argv[++i];
        else if (!strcmp(argv[i], "--dry-run"))
            dry_run = 1;
        else if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "--csv"))
            format = argv[i] + 2;
        else if ((argv[i][0] != '-' || !argv[i][1]) && !file)
            file = argv[i]; /* "-": standard input */
        else
            return gf_cli_usage(cli, "items import: unexpected argument '%s'", argv[i]);
    }
    if (!file)
        return gf_cli_usage(cli, "items import: which file? (gongfu items import FILE)");
    const struct gf_import_kind *k = !strcmp(what, "items")      ? &gf_import_items
                                     : !strcmp(what, "progress") ? &gf_import_progress
                                     : !strcmp(what, "kinds")    ? &gf_import_list_kinds
                                                                 : NULL;
    if (!k)
        return gf_cli_usage(cli, "items import: --what '%s' is not one of items, progress, kinds",
                            what);
    struct gf_db *db;
    int rc = gf_db_open_existing(&db, cli->db_path, &cli->err);
    if (rc)
        return rc;
    rc = gf_cli_import(cli, db, k, file, dry_run, format);
    gf_db_close(db);
    return rc;
}

int cmd_items(struct gf_cli *cli, int argc, char **argv)
{
    if (argc < 2 || gf_cli_wants_help(argc, argv)) {
        puts(L(cli, usage_zh, usage_en));
        return argc < 2 ? gf_cli_usage(cli, "items: which subcommand? (import, list, show, "
                                            "progress, report)")
                        : 0;
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "import"))
        return do_import(cli, argc, argv);
    /* `items report` is the operation items.flags (`items flags` too) */
    static const char *const subs[][2] = {{"list", "items.list"},
                                          {"show", "items.show"},
                                          {"progress", "items.progress"},
                                          {"report", "items.flags"},
                                          {"flags", "items.flags"}};
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (!strcmp(sub, subs[i][0])) {
            char cmd[32];
            snprintf(cmd, sizeof cmd, "items %s", sub);
            return gf_cli_call(cli, subs[i][1], argc, argv, 2, cmd);
        }
    return gf_cli_usage(cli,
                        "items: unknown subcommand '%s' (import, list, show, progress, "
                        "report)",
                        sub);
}
