/* cmd_init.c — `gongfu init`: create the database or bring its schema up to date. */
#include <stdio.h>

#include "cli/cli.h"
#include "store/db.h"

int cmd_init(struct gf_cli *cli, int argc, char **argv)
{
    if (gf_cli_wants_help(argc, argv)) {
        puts(L(cli, "用法: gongfu init [--db 路径]\n创建数据库(或将已有数据库的结构升级到最新版本)。",
               "usage: gongfu init [--db PATH]\nCreate the database, or migrate an existing one to "
               "the newest schema."));
        return 0;
    }
    if (argc > 1)
        return gf_cli_usage(cli, "init: unexpected argument '%s'", argv[1]);
    struct gf_db *db;
    int rc = gf_db_open(&db, cli->db_path, &cli->err);
    if (rc)
        return rc;
    gf_db_close(db);
    printf(L(cli, "数据库已就绪: %s\n", "database ready: %s\n"), cli->db_path);
    return 0;
}
