/* cmd_voice.c — `gongfu voice`: the public's suggestions (群策群力) as the service's voice.*
 * operations: send one, list them, turn one into a problem or a draft case, answer and publish. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char *usage_zh =
    "用法: gongfu voice 子命令 [参数]\n"
    "群众建议(群策群力): 公众无需登录即可提交(网页: 公示页的“我有建议”); 共富办处理:\n"
    "转为问题整改(整改、核验销号后再答复)、转为典型案例草稿, 或直接答复; 答复可公开在公示页。\n"
    "除本人自愿留下的联系方式外, 不保存提交人的任何信息; 联系方式仅共富办可见, 不进审计日志。\n\n"
    "  voice submit --text 内容 [--topic 主题] [--unit 单位] [--contact 联系方式]\n"
    "  voice list [--status new|problem|case|answered]   全部建议(共富办)\n"
    "  voice problem 编号 --title 问题 --severity 程度 --owner 责任人 --deadline 日期 [--unit 单位]\n"
    "                                                    转为问题整改\n"
    "  voice case 编号 --code 案例代码 --title 标题 --themes 主题 [--unit 单位]\n"
    "                                                    转为典型案例草稿\n"
    "  voice answer 编号 --reply 答复 [--publish]        答复(转为问题的, 须问题已销号)\n"
    "  voice published                                   已公开的答复\n"
    "主题: income 增收致富, employment 就业创业, services 公共服务, environment 人居环境,\n"
    "      governance 基层治理, other 其他";
static const char *usage_en =
    "usage: gongfu voice SUBCOMMAND [ARGS]\n"
    "The public's suggestions: anyone sends one without signing in (the dashboard's public page);\n"
    "the centre turns one into a problem (rectified and verified before it is answered) or a\n"
    "draft case, or answers it, and may publish the answer.  Nothing about the sender is kept but a contact they\n"
    "choose to give, which only the centre sees and the audit log never holds.\n\n"
    "  voice submit --text TEXT [--topic TOPIC] [--unit UNIT] [--contact CONTACT]\n"
    "  voice list [--status new|problem|case|answered]   every suggestion (the centre)\n"
    "  voice problem ID --title TITLE --severity S --owner PERSON --deadline DATE [--unit UNIT]\n"
    "                                                    turn it into a problem\n"
    "  voice case ID --code CODE --title TITLE --themes THEMES [--unit UNIT]\n"
    "                                                    turn it into a draft case\n"
    "  voice answer ID --reply TEXT [--publish]          answer (a problem's once it is closed)\n"
    "  voice published                                   the published answers\n"
    "Topics: income, employment, services, environment, governance, other";

int cmd_voice(struct gf_cli *cli, int argc, char **argv)
{
    if (argc < 2 || gf_cli_wants_help(argc, argv)) {
        puts(L(cli, usage_zh, usage_en));
        return argc < 2 ? gf_cli_usage(cli, "voice: which subcommand? (submit, list, problem, "
                                            "case, answer, published)")
                        : 0;
    }
    static const char *const subs[] = {"submit", "list", "problem", "case", "answer", "published",
                                       NULL};
    const char *sub = argv[1];
    for (int i = 0; subs[i]; i++)
        if (!strcmp(sub, subs[i])) {
            char op[32], cmd[32];
            snprintf(op, sizeof op, "voice.%s", sub);
            snprintf(cmd, sizeof cmd, "voice %s", sub);
            return gf_cli_call(cli, op, argc, argv, 2, cmd);
        }
    return gf_cli_usage(cli, "voice: unknown subcommand '%s' (submit, list, problem, case, "
                             "answer, published)",
                        sub);
}
