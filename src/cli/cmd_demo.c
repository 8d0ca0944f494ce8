/* cmd_demo.c — `gongfu demo`: build the Panzhihua demo database and print its summary (the
 * operation demo.build, service/ops_data.c).
 *
 * The demo is built inside one transaction of the target database, whose write lock is taken
 * before anything is read or replaced: a command writing at the same time either finishes first
 * (then the database is no longer an untouched demo and is left alone) or waits and writes into
 * the new demo.  An interrupted demo changes nothing.  Without --force only an untouched demo or
 * an empty database is replaced; a read-only file never is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/db.h"

#ifndef GONGFU_SOURCE_DIR
#define GONGFU_SOURCE_DIR "."
#endif

/* The demo files: $GONGFU_DEMO_DIR, else the source tree's demo/. */
static const char *demo_dir(void)
{
    const char *d = getenv("GONGFU_DEMO_DIR");
    return d && *d ? d : GONGFU_SOURCE_DIR "/demo";
}

static void next_steps(struct gf_cli *cli)
{
    printf("%s", L(cli,
                   "\n下一步可以运行:\n"
                   "  gongfu units                         查看行政区划\n"
                   "  gongfu values --unit 510400 --period 2023   查看市级指标\n"
                   "  gongfu eval --period 2024            综合评价与排名\n"
                   "  gongfu stats --db --period 2024      收入分配(基尼系数、低收入、中等收入群体)\n"
                   "  gongfu households report --unit 510400   低收入家庭监测覆盖情况\n"
                   "  gongfu race --period 2024            赛马争先与红黑榜\n"
                   "  gongfu help                          全部命令\n",
                   "\nWhat to run next:\n"
                   "  gongfu units                         the administrative units\n"
                   "  gongfu values --unit 510400 --period 2023   city indicators\n"
                   "  gongfu eval --period 2024            evaluation and ranking\n"
                   "  gongfu stats --db --period 2024      income distribution (Gini, low income, middle income)\n"
                   "  gongfu households report --unit 510400   low-income household coverage\n"
                   "  gongfu race --period 2024            horse race, red and black lists\n"
                   "  gongfu help                          every command\n"));
}

int cmd_demo(struct gf_cli *cli, int argc, char **argv)
{
    if (gf_cli_wants_help(argc, argv)) {
        puts(L(cli, "用法: gongfu demo [--db 路径] [--force]\n\n"
                    "生成攀枝花共同富裕试验区演示数据库:市、5 个县(区)及其乡镇、约 230 个村(社区),\n"
                    "\"1+8+3\" 工作体系, 按八个市级样板构建的可编辑指标体系模板, 浙江 2025 年目标模板,\n"
                    "以及 2019–2025 年指标数据(公开发布的真实数据注明来源,其余为合成数据并标注 synthetic)。\n"
                    "只替换空数据库或未经改动的演示数据库(演示生成后没有任何导入或修改);\n"
                    "其他数据库须加 --force 才会被替换。只读文件不会被替换。",
               "usage: gongfu demo [--db PATH] [--force]\n\n"
               "Build the Panzhihua pilot-zone demo database: the city, its 5 counties with townships and\n"
               "about 230 villages, the \"1+8+3\" organisation, an editable framework template on the eight\n"
               "municipal samples, Zhejiang's 2025 targets, and values 2019–2025 (real published figures\n"
               "with their source; everything else synthetic and labelled so). Only an empty database or\n"
               "an untouched demo (nothing imported or changed since it was built) is replaced; any other\n"
               "needs --force. A read-only file is never replaced."));
        return 0;
    }
    char files[4200];
    snprintf(files, sizeof files, "--files=%s", demo_dir());
    char **args = calloc((size_t)argc + 2, sizeof *args);
    if (!args)
        return gf_err_set(&cli->err, GF_ENOMEM, "out of memory");
    for (int i = 0; i < argc; i++)
        args[i] = argv[i];
    args[argc] = files;
    /* created first: the demo is built in a new file as well as over an old one */
    struct gf_db *db;
    int rc = gf_db_open(&db, cli->db_path, &cli->err);
    if (rc == GF_OK) {
        gf_db_close(db);
        rc = gf_cli_call(cli, "demo.build", argc + 1, args, 1, "demo");
    }
    free(args);
    if (rc == GF_OK && cli->format == GF_FMT_TABLE)
        next_steps(cli);
    return rc;
}
