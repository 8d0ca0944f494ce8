/* cmd_units.c — `gongfu units`: list the administrative hierarchy. */
#include <stdio.h>

#include "cli/cli.h"

int cmd_units(struct gf_cli *cli, int argc, char **argv)
{
    if (gf_cli_wants_help(argc, argv)) {
        puts(L(cli, "用法: gongfu units [--under 代码] [--level city|county|township|village|1-4]\n"
                    "列出行政区划单位(默认为当前用户范围内的全部单位,按树的先序)。",
               "usage: gongfu units [--under CODE] [--level city|county|township|village|1-4]\n"
               "List the administrative units (all units in the user's scope, tree order)."));
        return 0;
    }
    return gf_cli_call(cli, "units.list", argc, argv, 1, "units");
}
