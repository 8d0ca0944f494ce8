/* cmd_cases.c — `gongfu cases`: the case library (典型案例) as the service's cases.* operations.
 * The cases come in with `gongfu import cases`; their status moves with `gongfu cases status`. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char *usage_zh =
    "用法: gongfu cases 子命令 [参数]\n"
    "典型案例库:每个案例有单位、主题、摘要、关联的清单事项和指标,\n"
    "状态依次为 草稿 → 推荐 → 发布(不可跳过,不可退回)。已发布的案例所有登录用户可见,\n"
    "草稿和推荐中的案例只有共富办和系统管理员可见。\n\n"
    "  cases list [--theme 主题] [--unit 单位] [--status 状态] [--text 文字]   查找案例\n"
    "  cases show 案例代码                                                   一个案例及关联事项、指标\n"
    "  cases public [--theme 主题]                  已发布的案例(公众可见, 公示页)\n"
    "  cases status 案例代码 [--to recommended|published] [--date 日期]       进入下一状态(记入审计)\n"
    "  cases attach 案例代码 文件 [--name 附件名]     上传附件(照片 .jpg .png, .pdf, .docx .xlsx .pptx,\n"
    "                                               .txt; 至多 20 MiB; 同名则替换)\n"
    "  cases attachment 案例代码 附件名 [--output 文件]   下载附件\n"
    "  cases detach 案例代码 附件名                  删除附件\n\n"
    "数据导入(全部成功或全部不导入; 新案例为草稿, 导入不改变状态):\n"
    "  gongfu import cases 文件   code,title,unit,themes[,summary,date,note,items,indicators]\n"
    "      themes、items、indicators: 用逗号、分号或顿号分隔";
static const char *usage_en =
    "usage: gongfu cases SUBCOMMAND [ARGS]\n"
    "The case library: each case has a unit, themes, a summary, and the list items and indicators\n"
    "it shows; its status moves draft → recommended → published (no skipping, no going back).\n"
    "Published cases are read by every signed-in user; drafts and recommended cases only by the\n"
    "centre and the administrator.\n\n"
    "  cases list [--theme THEME] [--unit UNIT] [--status STATUS] [--text TEXT]   find cases\n"
    "  cases show CODE                                         one case, its items and indicators\n"
    "  cases public [--theme THEME]                the published cases (public: the public page)\n"
    "  cases status CODE [--to recommended|published] [--date DATE]   move it on (audited)\n"
    "  cases attach CODE FILE [--name NAME]     attach a file (photo .jpg .png, .pdf, .docx .xlsx\n"
    "                                          .pptx, .txt; at most 20 MiB; a same name replaces)\n"
    "  cases attachment CODE NAME [--output FILE]   download an attachment\n"
    "  cases detach CODE NAME                   remove an attachment\n\n"
    "Imports (all or nothing; a new case is a draft, an import never changes a status):\n"
    "  gongfu import cases FILE   code,title,unit,themes[,summary,date,note,items,indicators]\n"
    "      themes, items, indicators: separated by commas, semicolons or 、";

int cmd_cases(struct gf_cli *cli, int argc, char **argv)
{
    if (argc < 2 || gf_cli_wants_help(argc, argv)) {
        puts(L(cli, usage_zh, usage_en));
        return argc < 2 ? gf_cli_usage(cli, "cases: which subcommand? (list, show, public, status, attach, "
                                            "attachment, detach)") : 0;
    }
    static const char *const subs[] = {"list",   "show",       "public", "status",
                                       "attach", "attachment", "detach", NULL};
    const char *sub = argv[1];
    for (int i = 0; subs[i]; i++)
        if (!strcmp(sub, subs[i])) {
            char op[32], cmd[32];
            snprintf(op, sizeof op, "cases.%s", sub);
            snprintf(cmd, sizeof cmd, "cases %s", sub);
            return gf_cli_call(cli, op, argc, argv, 2, cmd);
        }
    return gf_cli_usage(cli, "cases: unknown subcommand '%s' (list, show, public, status, attach, "
                             "attachment, detach)", sub);
}
