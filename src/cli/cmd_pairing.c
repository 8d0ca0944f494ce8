/* cmd_pairing.c — `gongfu pairing`: pairings of organisations (部门结对村, 村企结对, 山海协作) as
 * the service's pairing.* operations.  The records come in with `gongfu import` (kinds pairings
 * and pairing_activities). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char *usage_zh =
    "用法: gongfu pairing 子命令 [参数]\n"
    "组织结对帮扶:部门结对村(百个部门扶百村)、企业结对村、山海协作与对口支援;\n"
    "承诺资金、按期应到位、已到位, 活动记录, 预警与覆盖率。\n\n"
    "  pairing list [--kind 类型] [--unit 单位] [--days 90]    全部结对及资金、活动、预警\n"
    "  pairing show 结对代码                                   一个结对及其活动\n"
    "  pairing alerts [--kind 类型] [--unit 单位] [--days 90]  预警: 进行中但 N 天无活动,\n"
    "                                                          或已到位不足按期应到位的 90%\n"
    "  pairing coverage [--kind department] [--level 4] [--unit 单位]\n"
    "                                                          覆盖率与尚未结对的单位\n"
    "类型: department 部门结对村, enterprise 企业结对村, county 山海协作/对口支援, other 其他\n"
    "按期应到位 = 承诺资金 × 已过去的结对期限比例(有结束日期时)\n\n"
    "数据导入(全部成功或全部不导入):\n"
    "  gongfu import pairings 文件            code,kind,helper,unit,start[,end,helper_name,pledged,measures,note]\n"
    "  gongfu import pairing_activities 文件  pairing,date,kind[,amount,note]\n"
    "      活动 kind: visit 走访调研, project 合作项目, funds 资金到位, measure 帮扶举措, other 其他";
static const char *usage_en =
    "usage: gongfu pairing SUBCOMMAND [ARGS]\n"
    "Pairings of organisations: departments with villages (百个部门扶百村), enterprises with\n"
    "villages, partner counties (山海协作, 对口支援); money pledged, due by now and delivered,\n"
    "activities, alerts and coverage.\n\n"
    "  pairing list [--kind KIND] [--unit UNIT] [--days 90]    every pairing, money, activity, alerts\n"
    "  pairing show CODE                                       one pairing and its activities\n"
    "  pairing alerts [--kind KIND] [--unit UNIT] [--days 90]  active with no activity for N days,\n"
    "                                                          or delivered under 90% of what is due\n"
    "  pairing coverage [--kind department] [--level 4] [--unit UNIT]\n"
    "                                                          coverage and the units not paired\n"
    "Kinds: department, enterprise, county (partner county), other.\n"
    "Due by now = pledged × the share of the pairing's term gone by (when it has an end).\n\n"
    "Imports (all or nothing):\n"
    "  gongfu import pairings FILE            code,kind,helper,unit,start[,end,helper_name,pledged,measures,note]\n"
    "  gongfu import pairing_activities FILE  pairing,date,kind[,amount,note]\n"
    "      activity kinds: visit, project, funds, measure, other";

int cmd_pairing(struct gf_cli *cli, int argc, char **argv)
{
    if (argc < 2 || gf_cli_wants_help(argc, argv)) {
        puts(L(cli, usage_zh, usage_en));
        return argc < 2 ? gf_cli_usage(cli, "pairing: which subcommand? (list, show, alerts, "
                                            "coverage)")
                        : 0;
    }
    static const char *const subs[] = {"list", "show", "alerts", "coverage", NULL};
    const char *sub = argv[1];
    for (int i = 0; subs[i]; i++)
        if (!strcmp(sub, subs[i])) {
            char op[32], cmd[32];
            snprintf(op, sizeof op, "pairing.%s", sub);
            snprintf(cmd, sizeof cmd, "pairing %s", sub);
            return gf_cli_call(cli, op, argc, argv, 2, cmd);
        }
    return gf_cli_usage(cli, "pairing: unknown subcommand '%s' (list, show, alerts, coverage)",
                        sub);
}
