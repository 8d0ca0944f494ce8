/* cmd_publications.c — `gongfu publications`: results published as they were published (亮晒). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int cmd_publications(struct gf_cli *cli, int argc, char **argv)
{
    if (gf_cli_wants_help(argc, argv)) {
        puts(L(cli,
               "用法: gongfu publications [list] [--kind race|evaluation] [--period 期别]\n"
               "      gongfu publications show 编号\n"
               "已发布(亮晒)的赛马与评价结果;显示的是发布时冻结的内容及其 SHA-256。",
               "usage: gongfu publications [list] [--kind race|evaluation] [--period P]\n"
               "       gongfu publications show ID\n"
               "Published race and evaluation results, exactly as frozen when published, with "
               "their SHA-256."));
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "show"))
        return gf_cli_call(cli, "publications.show", argc, argv, 2, "publications show");
    int from = argc > 1 && !strcmp(argv[1], "list") ? 2 : 1;
    return gf_cli_call(cli, "publications.list", argc, argv, from, "publications");
}
