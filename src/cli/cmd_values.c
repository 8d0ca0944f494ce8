/* cmd_values.c — `gongfu values`: list and enter values, the approval workflow, rollups. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static void usage(struct gf_cli *cli)
{
    puts(L(cli,
           "用法:\n"
           "  gongfu values [list] [--unit 代码 [--under]] [--indicator 代码] [--period 期别]\n"
           "                [--framework 体系] [--origin reported|computed|rollup|derived]\n"
           "                [--state draft|submitted|approved]\n"
           "  gongfu values form --unit 代码 --period 期别 [--framework 体系]   填报表(含上期数值)\n"
           "  gongfu values set 单位 指标 期别 --value 数值 [--source 来源]     填报一个数值(草稿)\n"
           "  gongfu values submit  --unit 代码 [--under] --period 期别 [--indicator 代码]\n"
           "  gongfu values queue [--unit 代码] [--period 期别]                 待我审核的报送\n"
           "  gongfu values approve --unit 代码 [--under] --period 期别 [--indicator 代码]\n"
           "  gongfu values return  --unit 代码 [--under] --period 期别 [--indicator 代码] --reason 原因\n"
           "  gongfu values unlock  --unit 代码 [--under] --period 期别 [--indicator 代码] --reason 原因\n"
           "  gongfu values rollup [--period 期别]     按汇总规则逐级汇总并计算派生指标\n"
           "  gongfu values threshold --indicator 门槛指标 --period 期别 [--unit 代码]\n"
           "                                          多少基层单位达到条件、哪些尚未达到\n"
           "期别: 2024(年), 2024Q1(季度), 2024-03(月)。数据状态: 草稿 → 已报送 → 已审核。\n"
           "报送人不能审核自己报送的数据;审核由上一级完成(审核员审核其范围以下的单位)。\n"
           "已审核的数据被锁定,须由审核员说明原因解锁后才能修改;退回使数据回到草稿。",
           "usage:\n"
           "  gongfu values [list] [--unit CODE [--under]] [--indicator CODE] [--period P]\n"
           "                [--framework F] [--origin reported|computed|rollup|derived]\n"
           "                [--state draft|submitted|approved]\n"
           "  gongfu values form --unit CODE --period P [--framework F]   the data-entry form\n"
           "  gongfu values set UNIT INDICATOR PERIOD --value V [--source S]   enter one value\n"
           "  gongfu values submit  --unit CODE [--under] --period P [--indicator CODE]\n"
           "  gongfu values queue [--unit CODE] [--period P]        submissions awaiting me\n"
           "  gongfu values approve --unit CODE [--under] --period P [--indicator CODE]\n"
           "  gongfu values return  --unit CODE [--under] --period P [--indicator CODE] --reason R\n"
           "  gongfu values unlock  --unit CODE [--under] --period P [--indicator CODE] --reason R\n"
           "  gongfu values rollup [--period P]      roll values up the hierarchy, compute formulas\n"
           "  gongfu values threshold --indicator T --period P [--unit CODE]\n"
           "                                          how many lowest units meet it, which do not\n"
           "Periods: 2024 (year), 2024Q1 (quarter), 2024-03 (month). States: draft → submitted → "
           "approved.\nWhoever submitted a value cannot approve it; approval comes from the level "
           "above (an approver\napproves the units below its scope). Approved values are locked "
           "until an approver unlocks them\nwith a reason; returning sends them back to draft."));
}

int cmd_values(struct gf_cli *cli, int argc, char **argv)
{
    if (gf_cli_wants_help(argc, argv)) {
        usage(cli);
        return 0;
    }
    static const char *const subs[] = {"list",   "form",   "set",    "submit", "queue",
                                       "approve", "return", "unlock", "rollup", "threshold",
                                       NULL};
    const char *sub = "list";
    int from = 1;
    if (argc > 1 && argv[1][0] != '-') {
        sub = argv[1];
        from = 2;
    }
    int known = 0;
    for (int i = 0; subs[i]; i++)
        known |= !strcmp(sub, subs[i]);
    if (!known)
        return gf_cli_usage(cli,
                            "values: unknown subcommand '%s' (list, form, set, submit, queue, "
                            "approve, return, unlock, rollup, threshold)",
                            sub);
    char op[32], cmd[32];
    snprintf(op, sizeof op, "values.%s", sub);
    snprintf(cmd, sizeof cmd, "values %s", sub);
    return gf_cli_call(cli, op, argc, argv, from, cmd);
}
