/* cmd_eval.c — `gongfu eval`: composite evaluation of the units of a level (ops_eval.c), its
 * saved runs, a unit's result, the targets and the overview. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static void usage(struct gf_cli *cli)
{
    puts(L(cli,
           "用法: gongfu eval [--framework 体系] [--period 年份] [--level county|village|1-4]\n"
           "                  [--pipeline 文件.json] [--sensitivity 次数 [--seed 种子]] [--save]\n"
           "                  [--show ranking|attainment]\n"
           "      gongfu eval runs [--framework 体系] [--period 年份] [--level 层级]   已保存的评价运行\n"
           "      gongfu eval show 运行号 [--unit 代码]        一次评价的排名(本人范围内的单位)\n"
           "      gongfu eval unit 运行号 单位                 一个单位的维度与指标\n"
           "      gongfu eval targets [--unit 代码] [--framework 体系] [--period 年份]\n"
           "      gongfu eval overview [--period 年份]         总览:对照 2025 年目标、走势、最大差距\n\n"
           "对某一层级的单位做综合评价:各维度得分与排名、较上年排名变化、目标实现程度、\n"
           "按期达标判断(进度正常/有风险/滞后)、优势与薄弱指标;--sensitivity 做蒙特卡洛\n"
           "排名敏感性分析(5%–95% 排名区间)。默认同时评价县(区)和村(社区),管线为统计局做法\n"
           "(实现程度 + 体系权重 + 加权算术平均,见 docs/pipelines/)。--save 保存为一次评价运行。\n"
           "--show attainment 列出每个单位每个指标的目标实现程度;目标不适用于该层级时为空并说明原因。\n"
           "targets 列出一个单位(默认全区)每个有目标的指标:现值、目标值、实现程度、按期达标判断、\n"
           "所需与近三年年均增速。",
           "usage: gongfu eval [--framework F] [--period YEAR] [--level county|village|1-4]\n"
           "                   [--pipeline FILE.json] [--sensitivity N [--seed S]] [--save]\n"
           "                   [--show ranking|attainment]\n"
           "       gongfu eval runs [--framework F] [--period YEAR] [--level L]   saved runs\n"
           "       gongfu eval show RUN [--unit CODE]     a run's ranking (the units in my scope)\n"
           "       gongfu eval unit RUN UNIT              one unit: dimensions and indicators\n"
           "       gongfu eval targets [--unit CODE] [--framework F] [--period YEAR]\n"
           "       gongfu eval overview [--period YEAR]   against the 2025 targets, trends, gaps\n\n"
           "Composite evaluation of the units of a level: dimension scores and ranks, rank change\n"
           "since last year, target attainment, on-track status, strengths and weaknesses;\n"
           "--sensitivity adds Monte Carlo rank intervals (5th–95th percentile). By default both\n"
           "counties and villages are evaluated with the statistics bureau's pipeline (attainment,\n"
           "framework weights, arithmetic mean; see docs/pipelines/). --save stores the run.\n"
           "--show attainment lists every unit's attainment of every indicator's target; where a\n"
           "target does not apply at the level the attainment is empty and the note says why.\n"
           "targets lists every indicator with a target for a unit (default: the zone): value,\n"
           "target, attainment, on-track status, the growth needed and the last three years'."));
}

int cmd_eval(struct gf_cli *cli, int argc, char **argv)
{
    if (gf_cli_wants_help(argc, argv)) {
        usage(cli);
        return 0;
    }
    static const char *const subs[] = {"runs", "show", "unit", "targets", "overview", NULL};
    if (argc > 1 && argv[1][0] != '-') {
        for (int i = 0; subs[i]; i++)
            if (!strcmp(argv[1], subs[i])) {
                char op[32], cmd[32];
                snprintf(op, sizeof op, "eval.%s", subs[i]);
                snprintf(cmd, sizeof cmd, "eval %s", subs[i]);
                return gf_cli_call(cli, op, argc, argv, 2, cmd);
            }
        return gf_cli_usage(cli,
                            "eval: unknown subcommand '%s' (runs, show, unit, targets, overview; "
                            "without one: evaluate)",
                            argv[1]);
    }
    /* --save makes the evaluation a saved run (eval.run); without it nothing is written */
    char **args = calloc((size_t)argc + 1, sizeof *args);
    if (!args)
        return gf_err_set(&cli->err, GF_ENOMEM, "out of memory");
    int n = 0, save = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--save"))
            save = 1;
        else
            args[n++] = argv[i];
    }
    int rc = gf_cli_call(cli, save ? "eval.run" : "eval.compute", n, args, 1, "eval");
    free(args);
    return rc;
}
