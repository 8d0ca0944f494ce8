/* cmd_report.c — `gongfu report village|unit|quarterly|race`: the printed reports (ops_reports.c),
 * as HTML on standard output, or --html FILE, or --pdf FILE (printed by headless chromium). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char *usage_zh =
    "用法: gongfu report village   --unit 村代码 [--period 期别] [--html 文件 | --pdf 文件]\n"
    "      gongfu report unit      --unit 代码   [--period 期别] [--html 文件 | --pdf 文件]\n"
    "      gongfu report quarterly [--period 期别] [--html 文件 | --pdf 文件]\n"
    "      gongfu report race      [--period 期别] [--level N] [--html 文件 | --pdf 文件]\n"
    "village 兴村报表(一村一页 A4);unit 成绩单(得分、名次区间、目标、事项、问题、监测);\n"
    "quarterly 向上级报送的季度报告(含据数字写出的概述);race 红黑榜海报(亮晒:已发布的结果,\n"
    "未发布时为预览)。默认期别为最近的已审核年度。没有 --html/--pdf 时 HTML 写到标准输出。\n"
    "报表只含当前用户有权查看的内容;无权或无数据的部分以小字注明。PDF 由 chromium 打印\n"
    "(环境变量 GONGFU_CHROMIUM 可指定其他程序)。";
static const char *usage_en =
    "usage: gongfu report village   --unit VILLAGE [--period P] [--html FILE | --pdf FILE]\n"
    "       gongfu report unit      --unit CODE [--period P] [--html FILE | --pdf FILE]\n"
    "       gongfu report quarterly [--period P] [--html FILE | --pdf FILE]\n"
    "       gongfu report race      [--period P] [--level N] [--html FILE | --pdf FILE]\n"
    "village: one A4 page a village; unit: a report card (scores, rank interval, targets, items,\n"
    "problems, monitoring); quarterly: the zone's report to the province, with a summary written\n"
    "from the numbers; race: the red and black lists as a poster (the published result, or a\n"
    "preview).  Default period: the latest approved year.  Without --html/--pdf the HTML goes to\n"
    "standard output.  A report holds only what the user may see; a part refused or without data\n"
    "is named in small print.  PDF is printed by chromium (GONGFU_CHROMIUM names another).";

int cmd_report(struct gf_cli *cli, int argc, char **argv)
{
    if (gf_cli_wants_help(argc, argv) || argc < 2) {
        puts(L(cli, usage_zh, usage_en));
        return argc < 2 ? gf_cli_usage(cli, "report: which report? (village, unit, quarterly, race)")
                        : 0;
    }
    static const char *const kinds[] = {"village", "unit", "quarterly", "race", NULL};
    for (int i = 0; kinds[i]; i++)
        if (!strcmp(argv[1], kinds[i])) {
            char op[32], cmd[32];
            snprintf(op, sizeof op, "report.%s", kinds[i]);
            snprintf(cmd, sizeof cmd, "report %s", kinds[i]);
            return gf_cli_call(cli, op, argc, argv, 2, cmd);
        }
    return gf_cli_usage(cli, "report: unknown report '%s' (village, unit, quarterly, race)", argv[1]);
}
