/* cmd_race.c — `gongfu race`: the horse race (赛马争先) of units and work teams for a period;
 * `gongfu race publish` freezes it as published (亮晒). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char *usage_zh =
    "用法: gongfu race [--period 期间] [--subject unit|team|project|enterprise|cadre|all] [--config 文件.json]\n"
    "                  [--as-of 日期] [--level N] [--format table|csv|json]\n"
    "      gongfu race publish [同上参数]      发布(亮晒):冻结结果,之后数据变化不再改变它\n"
    "赛马争先:按综合评价(名次、进步)与清单绩效(节点按期、事项按期、投资完成、资金到位、\n"
    "问题整改)给县(区)级单位(默认 --level 2)和工作专班排名,给出名次变化、红榜、黑榜、\n"
    "骏马奖、蜗牛奖及升降原因。黑榜只列入在 5%–95% 分位排名区间内始终处于末位区间的单位,\n"
    "否则标为\"待定(不确定)\"。默认期间为最近一次评价的期间。\n"
    "--subject project: 重大项目比拼(节点、投资、资金、问题); enterprise: 非公企业双强指数;\n"
    "cadre: 干部考绩(负责的事项、\n"
    "问题整改、结对帮扶户的走访与措施); 默认 all 为单位和专班(--units、--teams 为简写)。\n"
    "权重与规则见 docs/lists-and-race.md,可用 --config 覆盖。已发布的结果: gongfu publications。";
static const char *usage_en =
    "usage: gongfu race [--period P] [--subject unit|team|project|enterprise|cadre|all] [--config FILE.json]\n"
    "                   [--as-of DATE] [--level N] [--format table|csv|json]\n"
    "       gongfu race publish [the same options]   publish: freeze the result (later data\n"
    "                                                changes never alter it)\n"
    "The horse race: county-level units (default --level 2) and work teams ranked by the\n"
    "evaluation (rank, improvement) and list performance (milestones and items on time,\n"
    "investment against plan, funds secured, open and overdue problems), with rank change,\n"
    "red list, black list, awards (best horse / snail) and the reasons.  A unit goes on the\n"
    "black list only if its 5th–95th percentile rank stays in the bottom band; otherwise it is\n"
    "shown as \"uncertain\".  Default period: the latest evaluated one.\n"
    "--subject project: the projects (milestones, investment, funds, problems); enterprise: the\n"
    "non-public enterprises on the 双强 index; cadre: the\n"
    "people responsible for items and paired with households; default all = units and teams\n"
    "(--units, --teams for short).  Weights and rules:\n"
    "docs/lists-and-race.md, override with --config.  Published results: gongfu publications.";

int cmd_race(struct gf_cli *cli, int argc, char **argv)
{
    if (gf_cli_wants_help(argc, argv)) {
        puts(L(cli, usage_zh, usage_en));
        return 0;
    }
    int publish = argc > 1 && !strcmp(argv[1], "publish");
    /* --units / --teams are the subject parameter */
    char **args = calloc((size_t)argc + 1, sizeof *args);
    if (!args)
        return gf_err_set(&cli->err, GF_ENOMEM, "out of memory");
    int n = 0, subject = 0, rc;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--units") || !strcmp(argv[i], "--teams")) {
            if (subject++) {
                free(args);
                return gf_cli_usage(cli, "race: --units and --teams exclude each other");
            }
            args[n++] = argv[i][2] == 'u' ? "--subject=unit" : "--subject=team";
        } else
            args[n++] = argv[i];
    }
    rc = gf_cli_call(cli, publish ? "race.publish" : "race.run", n, args, publish ? 2 : 1,
                     publish ? "race publish" : "race");
    free(args);
    return rc;
}
