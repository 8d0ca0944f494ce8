/* cmd_trainings.c — `gongfu trainings`: training records (培训) as the service's trainings.*
 * operations.  The records come in with `gongfu import trainings` and
 * `gongfu import training_attendees`. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char *usage_zh =
    "用法: gongfu trainings 子命令 [参数]\n"
    "培训记录:培训班(课程、日期、主办专班或单位、地点)和参训人员。\n\n"
    "  trainings list [--year 年度] [--unit 单位] [--team 专班]   一年的培训及参训人数\n"
    "  trainings summary [--year 年度]                            参训人次和人数, 按单位和专班\n"
    "      (按参训人员本人的单位和专班, 未填时取其部门的)\n\n"
    "数据导入(全部成功或全部不导入):\n"
    "  gongfu import trainings 文件            code,course,start,end[,team,unit,place,note]\n"
    "      主办: team(专班代码)或 unit(单位代码), 至少一个\n"
    "  gongfu import training_attendees 文件   training,person";
static const char *usage_en =
    "usage: gongfu trainings SUBCOMMAND [ARGS]\n"
    "Training records: courses (dates, organising team or unit, place) and who attended.\n\n"
    "  trainings list [--year YEAR] [--unit UNIT] [--team TEAM]   the trainings of a year\n"
    "  trainings summary [--year YEAR]         person-times and people trained, by unit and team\n"
    "      (the attendee's own unit and team, else their department's)\n\n"
    "Imports (all or nothing):\n"
    "  gongfu import trainings FILE            code,course,start,end[,team,unit,place,note]\n"
    "      the organiser: team (a team code) or unit (a unit code), at least one\n"
    "  gongfu import training_attendees FILE   training,person";

int cmd_trainings(struct gf_cli *cli, int argc, char **argv)
{
    if (argc < 2 || gf_cli_wants_help(argc, argv)) {
        puts(L(cli, usage_zh, usage_en));
        return argc < 2 ? gf_cli_usage(cli, "trainings: which subcommand? (list, summary)") : 0;
    }
    static const char *const subs[] = {"list", "summary", NULL};
    const char *sub = argv[1];
    for (int i = 0; subs[i]; i++)
        if (!strcmp(sub, subs[i])) {
            char op[32], cmd[32];
            snprintf(op, sizeof op, "trainings.%s", sub);
            snprintf(cmd, sizeof cmd, "trainings %s", sub);
            return gf_cli_call(cli, op, argc, argv, 2, cmd);
        }
    return gf_cli_usage(cli, "trainings: unknown subcommand '%s' (list, summary)", sub);
}
