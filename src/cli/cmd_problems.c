/* cmd_problems.c — `gongfu problems`: raise, rectify, verify, reopen, list, show (问题亮晒与闭环)
 * as the service's problems.* operations. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char *usage_zh =
    "用法: gongfu problems 子命令 [参数]\n"
    "问题亮晒与闭环管理:提出 → 整改 → 他人核验销号(可退回、可重新打开)。\n\n"
    "  problems raise (--item 事项 | --unit 单位) --title 问题 --severity "
    "low|medium|high|critical\n"
    "      --owner 人员代码 --deadline 日期\n"
    "  problems rectify 编号 --report 整改情况 [--by 人员代码]\n"
    "  problems verify 编号 [--by 人员代码] [--reject] [--note 说明]\n"
    "      核验销号:核验人即当前用户,不能是责任人,也不能是整改报告人\n"
    "  problems reopen 编号 --reason 原因\n"
    "  problems list [--status open|rectified|closed] [--overdue] [--item 事项] [--unit 单位]\n"
    "      --unit 为该单位及其下级的问题(针对单位提出的,或其事项在该单位的)\n"
    "  problems show 编号     问题详情\n\n"
    "整改报告人和核验人都是当前用户(--user 或 $GONGFU_USER,须为人员代码);\n"
    "--by 可省略,给出时须与当前用户相同,不能代他人操作。每个用户只看到并处理其范围内的问题\n"
    "(专班填报员:本专班牵头或配合的事项的问题)。";
static const char *usage_en =
    "usage: gongfu problems SUBCOMMAND [ARGS]\n"
    "Problems and their closing loop: raise → rectify → verified by someone else (reject and\n"
    "reopen possible).\n\n"
    "  problems raise (--item ITEM | --unit UNIT) --title TEXT --severity "
    "low|medium|high|critical\n"
    "      --owner PERSON --deadline DATE\n"
    "  problems rectify ID --report TEXT [--by PERSON]\n"
    "  problems verify ID [--by PERSON] [--reject] [--note TEXT]\n"
    "      closing check: the verifier is the acting user, neither the owner nor the one who\n"
    "      reported the rectification\n"
    "  problems reopen ID --reason TEXT\n"
    "  problems list [--status open|rectified|closed] [--overdue] [--item ITEM] [--unit UNIT]\n"
    "      --unit: problems lying in the unit or below it (raised against it, or against an\n"
    "      item there)\n"
    "  problems show ID     one problem\n\n"
    "Who reports a rectification and who verifies is the acting user (--user or $GONGFU_USER, a\n"
    "person code); --by may be left out and, when given, must be the acting user: nobody acts in\n"
    "another person's name.  Each user sees and handles the problems in its scope (a team\n"
    "reporter: those of the items its team leads or joins).";

int cmd_problems(struct gf_cli *cli, int argc, char **argv)
{
    if (argc < 2 || gf_cli_wants_help(argc, argv)) {
        puts(L(cli, usage_zh, usage_en));
        return argc < 2 ? gf_cli_usage(cli, "problems: which subcommand? (raise, rectify, "
                                            "verify, reopen, list, show)")
                        : 0;
    }
    static const char *const subs[] = {"raise", "rectify", "verify", "reopen",
                                       "list",  "show",    NULL};
    const char *sub = argv[1];
    for (int i = 0; subs[i]; i++)
        if (!strcmp(sub, subs[i])) {
            char op[32], cmd[32];
            snprintf(op, sizeof op, "problems.%s", sub);
            snprintf(cmd, sizeof cmd, "problems %s", sub);
            return gf_cli_call(cli, op, argc, argv, 2, cmd);
        }
    return gf_cli_usage(cli,
                        "problems: unknown subcommand '%s' (raise, rectify, verify, reopen, "
                        "list, show)",
                        sub);
}
