/* cmd_audit.c — `gongfu audit verify`: check the audit trail's hash chain; `gongfu audit list`:
 * read it (the operations audit.verify and audit.list, service/ops_data.c). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static void usage(struct gf_cli *cli)
{
    puts(L(
        cli,
        "用法: gongfu audit verify\n"
        "      gongfu audit list [--entity 对象] [--actor 操作人] [--from 日期] [--to 日期]\n\n"
        "verify 核验审计日志的哈希链: 每条记录都含上一条的哈希和自身内容的 SHA-256。\n"
        "完整时打印记录数和最后一条的编号与哈希(可另行保存, 用于发现末尾记录被删);\n"
        "否则指出第一条被修改、删除或插入的记录, 退出码 1。\n"
        "list 列出审计记录(个人信息脱敏),可按对象、操作人和日期筛选。",
        "usage: gongfu audit verify\n"
        "       gongfu audit list [--entity E] [--actor NAME] [--from DATE] [--to DATE]\n\n"
        "verify checks the audit trail's hash chain: every record holds the hash of the one\n"
        "before it and the SHA-256 of its own content. When intact, print the count and the last\n"
        "record's id and hash (keep them elsewhere to notice the newest records being removed);\n"
        "otherwise name the first record that was changed, removed or inserted, and exit 1.\n"
        "list shows the records (personal data masked), by entity, actor and dates."));
}

int cmd_audit(struct gf_cli *cli, int argc, char **argv)
{
    if (gf_cli_wants_help(argc, argv)) {
        usage(cli);
        return 0;
    }
    if (argc < 2)
        return gf_cli_usage(cli, "audit: which subcommand? (verify, list)");
    if (!strcmp(argv[1], "verify"))
        return gf_cli_call(cli, "audit.verify", argc, argv, 2, "audit verify");
    if (!strcmp(argv[1], "list"))
        return gf_cli_call(cli, "audit.list", argc, argv, 2, "audit list");
    return gf_cli_usage(cli, "audit: unknown subcommand '%s' (verify, list)", argv[1]);
}
