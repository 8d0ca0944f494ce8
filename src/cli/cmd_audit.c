/* cmd_audit.c — `gongfu audit verify`: check the audit trail's hash chain (domain/audit.h). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/audit.h"
#include "store/db.h"

static void usage(struct gf_cli *cli)
{
    puts(L(
        cli,
        "用法: gongfu audit verify\n\n"
        "核验审计日志的哈希链: 每条记录都含上一条的哈希和自身内容的 SHA-256。\n"
        "完整时打印记录数和最后一条的编号与哈希(可另行保存, 用于发现末尾记录被删);\n"
        "否则指出第一条被修改、删除或插入的记录, 退出码 1。",
        "usage: gongfu audit verify\n\n"
        "Check the audit trail's hash chain: every record holds the hash of the one before it and\n"
        "the SHA-256 of its own content. When intact, print the count and the last record's id\n"
        "and hash (keep them elsewhere to notice the newest records being removed); otherwise\n"
        "name the first record that was changed, removed or inserted, and exit 1."));
}

int cmd_audit(struct gf_cli *cli, int argc, char **argv)
{
    if (gf_cli_wants_help(argc, argv)) {
        usage(cli);
        return 0;
    }
    if (argc < 2)
        return gf_cli_usage(cli, "audit: which subcommand? (verify)");
    if (strcmp(argv[1], "verify"))
        return gf_cli_usage(cli, "audit: unknown subcommand '%s' (verify)", argv[1]);
    if (argc > 2)
        return gf_cli_usage(cli, "audit verify: unexpected argument '%s'", argv[2]);
    struct gf_db *db;
    int rc = gf_db_open_existing(&db, cli->db_path, &cli->err);
    if (rc)
        return rc;
    struct gf_audit_check c;
    rc = gf_audit_verify(db, &c, &cli->err);
    gf_db_close(db);
    if (rc)
        return rc;
    if (c.chained)
        printf(L(cli, "已为哈希链建立前写入的 %ld 条记录补建哈希链\n",
                 "chained %ld records written before the hash chain existed\n"),
               c.chained);
    long long bad = (long long)c.bad_id, bad_last = (long long)c.bad_last;
    switch (c.state) {
    case GF_AUDIT_INTACT:
        printf(
            L(cli, "审计日志完整: %ld 条记录, 哈希链无断裂; 最后一条 #%lld, 哈希 %s\n",
              "audit log intact: %ld records, the hash chain holds; last record #%lld, hash %s\n"),
            c.records, (long long)c.last_id, c.head);
        return 0;
    case GF_AUDIT_CHANGED:
        return gf_err_set(&cli->err, GF_EUSER,
                          L(cli, "审计日志被篡改: 第 %lld 条记录被修改(内容与其哈希不符)",
                            "audit log tampered with: record %lld was changed (its content no "
                            "longer matches its hash)"),
                          bad);
    case GF_AUDIT_REMOVED:
        if (bad == bad_last)
            return gf_err_set(&cli->err, GF_EUSER,
                              L(cli, "审计日志被篡改: 第 %lld 条记录被删除(编号从 %lld 跳到 %lld)",
                                "audit log tampered with: record %lld was removed (ids jump from "
                                "%lld to %lld)"),
                              bad, bad - 1, bad_last + 1);
        return gf_err_set(&cli->err, GF_EUSER,
                          L(cli,
                            "审计日志被篡改: 第 %lld 至 %lld 条记录被删除(编号从 %lld 跳到 %lld)",
                            "audit log tampered with: records %lld to %lld were removed (ids "
                            "jump from %lld to %lld)"),
                          bad, bad_last, bad - 1, bad_last + 1);
    case GF_AUDIT_INSERTED:
        return gf_err_set(
            &cli->err, GF_EUSER,
            L(cli, "审计日志被篡改: 第 %lld 条记录是插入的(没有有效的链哈希, 不是 gongfu 写入的)",
              "audit log tampered with: record %lld was inserted (it has no valid "
              "chain hash: gongfu did not write it)"),
            bad);
    case GF_AUDIT_BROKEN:
        return gf_err_set(&cli->err, GF_EUSER,
                          L(cli,
                            "审计日志被篡改: 第 %lld 条记录与第 %lld 条链接不上(第 %lld "
                            "条被改写并重算了哈希, 或第 %lld 条是插入的)",
                            "audit log tampered with: record %lld does not link to record %lld "
                            "(record %lld was rewritten with a new hash, or record %lld was "
                            "inserted in its place)"),
                          bad, bad - 1, bad - 1, bad);
    }
    return 0;
}
