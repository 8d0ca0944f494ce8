/* cmd_backup.c — `gongfu backup FILE` and `gongfu restore FILE [--yes]`: a verified copy of the
 * whole database, and the whole database replaced by one (the operations backup.write and
 * backup.restore, service/ops_backup.c). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/db.h"

static void usage_backup(struct gf_cli *cli)
{
    puts(L(cli,
           "用法: gongfu backup 文件 [--force]\n\n"
           "把整个数据库(含用户与审计日志)复制到文件; 服务运行、他人写入时也可执行, 副本是某一时刻的\n"
           "一致快照(SQLite 在线备份)。写完后打开副本核对各表行数与审计哈希链, 并打印链尾编号与哈希。\n"
           "副本含全部个人信息: 仅管理员可执行, 请妥善保管。\n"
           "文件已存在时不覆盖, 除非加 --force。恢复: gongfu restore 文件。",
           "usage: gongfu backup FILE [--force]\n\n"
           "Copy the whole database (users and the audit log included) to FILE; it may run while the\n"
           "server is up and others write: the copy is a consistent snapshot (SQLite's online backup).\n"
           "The copy is then opened and checked: the rows of every table and the audit hash chain,\n"
           "whose last record and hash are printed.  It holds every personal record: the\n"
           "administrator's command; keep the file safe.\n"
           "An existing FILE is not replaced unless --force.  To restore: gongfu restore FILE."));
}

static void usage_restore(struct gf_cli *cli)
{
    puts(L(cli,
           "用法: gongfu restore 文件 [--yes]\n\n"
           "用 gongfu backup 写的备份替换整个数据库(用户与审计日志在内), 一步完成: 其他连接看到的\n"
           "要么是旧内容, 要么是新内容。先核验备份的审计链(被改动的备份拒绝使用), 恢复后再核对\n"
           "各表行数与审计链。数据库已有数据时须加 --yes 确认; 数据库文件不存在时新建。仅管理员可执行。",
           "usage: gongfu restore FILE [--yes]\n\n"
           "Replace the whole database (users and the audit log too) by a backup written by gongfu\n"
           "backup, in one step: other connections see the old content or the new.  The backup's\n"
           "audit chain is checked first (a changed backup is refused); after the restore the rows\n"
           "of every table and the chain are checked again.  When the database holds data, --yes\n"
           "confirms; a database that does not exist is created.  The administrator's command."));
}

int cmd_backup(struct gf_cli *cli, int argc, char **argv)
{
    if (gf_cli_wants_help(argc, argv)) {
        usage_backup(cli);
        return 0;
    }
    return gf_cli_call(cli, "backup.write", argc, argv, 1, "backup");
}

int cmd_restore(struct gf_cli *cli, int argc, char **argv)
{
    if (gf_cli_wants_help(argc, argv)) {
        usage_restore(cli);
        return 0;
    }
    /* restoring is how a lost database comes back: a database that does not exist yet is
     * created for it (a file, or the schema in an empty PostgreSQL database), and removed again
     * when the restore fails */
    int created = gf_db_exists(cli->db_path, &cli->err);
    if (created < 0)
        return created;
    created = !created;
    if (created) {
        struct gf_db *db;
        int rc = gf_db_open(&db, cli->db_path, &cli->err);
        if (rc)
            return rc;
        gf_db_close(db);
    }
    int rc = gf_cli_call(cli, "backup.restore", argc, argv, 1, "restore");
    if (rc && created)
        gf_db_remove(cli->db_path, NULL);
    return rc;
}

static void usage_migrate(struct gf_cli *cli)
{
    puts(L(cli,
           "用法: gongfu migrate --from 来源 --to 目标 [--yes]\n\n"
           "把整个数据库(用户、审计日志在内)从来源复制到目标; 来源与目标可以是 SQLite 文件或\n"
           "PostgreSQL 地址 postgresql://用户@主机/库名。目标不存在的表结构先建好, 复制在一个事务中\n"
           "完成; 之后核对各表行数与审计哈希链。目标已有数据时须加 --yes 确认。仅管理员可执行。\n"
           "例: gongfu migrate --from gongfu.db --to postgresql://gongfu@db.example/gongfu",
           "usage: gongfu migrate --from SOURCE --to TARGET [--yes]\n\n"
           "Copy the whole database (users and the audit log too) from SOURCE to TARGET; either may\n"
           "be a SQLite file or a PostgreSQL URL postgresql://user@host/dbname.  The target's\n"
           "schema is made first if it has none, the rows are copied in one transaction, and then\n"
           "the rows of every table and the audit hash chain are checked.  When the target holds\n"
           "data, --yes confirms.  The administrator's command.\n"
           "Example: gongfu migrate --from gongfu.db --to postgresql://gongfu@db.example/gongfu"));
}

int cmd_migrate(struct gf_cli *cli, int argc, char **argv)
{
    if (gf_cli_wants_help(argc, argv)) {
        usage_migrate(cli);
        return 0;
    }
    const char *from = NULL, *to = NULL;
    int yes = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--from") && i + 1 < argc)
            from = argv[++i];
        else if (!strcmp(argv[i], "--to") && i + 1 < argc)
            to = argv[++i];
        else if (!strcmp(argv[i], "--yes"))
            yes = 1;
        else
            return gf_cli_usage(cli, "migrate: unexpected argument %s (see gongfu migrate --help)",
                                argv[i]);
    }
    if (!from || !to || !*from || !*to)
        return gf_cli_usage(cli, "migrate: needs --from SOURCE and --to TARGET (see gongfu "
                                 "migrate --help)");
    if (!strcmp(from, to))
        return gf_cli_usage(cli, "migrate: the source and the target are the same database");
    /* the target's schema first (a new database gets one), then the restore operation */
    cli->db_path = to;
    struct gf_db *db;
    int rc = gf_db_open(&db, to, &cli->err);
    if (rc)
        return rc;
    gf_db_close(db);
    char *args[] = {"migrate", (char *)from, "--yes", NULL};
    return gf_cli_call(cli, "backup.restore", yes ? 3 : 2, args, 1, "migrate");
}
