/* cmd_problems.c — `gongfu problems`: raise, rectify, verify, reopen, list (问题亮晒与闭环). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/audit.h"
#include "domain/lists.h"
#include "store/db.h"

static const char *usage_zh =
    "用法: gongfu problems 子命令 [参数]\n"
    "问题亮晒与闭环管理:提出 → 整改 → 他人核验销号(可退回、可重新打开)。\n\n"
    "  problems raise (--item 事项 | --unit 单位) --title 问题 --severity "
    "low|medium|high|critical\n"
    "      --owner 人员代码 --deadline 日期\n"
    "  problems rectify 编号 --report 整改情况 [--by 人员代码]\n"
    "  problems verify 编号 [--by 人员代码] [--reject] [--note 说明]\n"
    "      核验销号:核验人即当前用户,不能是责任人,也不能是整改报告人\n"
    "  problems reopen 编号 --reason 原因\n"
    "  problems list [--status open|rectified|closed] [--overdue] [--item 事项] [--unit 单位]\n\n"
    "整改报告人和核验人都是当前用户(--user 或 $GONGFU_USER,须为人员代码);\n"
    "--by 可省略,给出时须与当前用户相同,不能代他人操作。";
static const char *usage_en =
    "usage: gongfu problems SUBCOMMAND [ARGS]\n"
    "Problems and their closing loop: raise → rectify → verified by someone else (reject and\n"
    "reopen possible).\n\n"
    "  problems raise (--item ITEM | --unit UNIT) --title TEXT --severity "
    "low|medium|high|critical\n"
    "      --owner PERSON --deadline DATE\n"
    "  problems rectify ID --report TEXT [--by PERSON]\n"
    "  problems verify ID [--by PERSON] [--reject] [--note TEXT]\n"
    "      closing check: the verifier is the acting user, neither the owner nor the one who\n"
    "      reported the rectification\n"
    "  problems reopen ID --reason TEXT\n"
    "  problems list [--status open|rectified|closed] [--overdue] [--item ITEM] [--unit UNIT]\n\n"
    "Who reports a rectification and who verifies is the acting user (--user or $GONGFU_USER, a\n"
    "person code); --by may be left out and, when given, must be the acting user: nobody acts in\n"
    "another person's name.";

static int parse_id(struct gf_cli *cli, const char *s, int64_t *id)
{
    char *end;
    long long v = s ? strtoll(s, &end, 10) : 0;
    if (!s || *end || v <= 0)
        return gf_cli_usage(cli, "problems: '%s' is not a problem number", s ? s : "");
    *id = v;
    return GF_OK;
}

static int do_list(struct gf_cli *cli, struct gf_db *db, int argc, char **argv)
{
    const char *status = NULL, *item = NULL, *unit = NULL;
    int overdue = 0;
    char today[32];
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--status") && i + 1 < argc)
            status = argv[++i];
        else if (!strcmp(argv[i], "--item") && i + 1 < argc)
            item = argv[++i];
        else if (!strcmp(argv[i], "--unit") && i + 1 < argc)
            unit = argv[++i];
        else if (!strcmp(argv[i], "--overdue"))
            overdue = 1;
        else
            return gf_cli_usage(cli, "problems list: unexpected argument '%s'", argv[i]);
    }
    struct gf_stmt *st;
    int rc = gf_db_prepare(db,
                           "SELECT id, item, unit, title, severity, owner, deadline, status, "
                           " raised_date, rectified_by, verified_by, verified_date, reopened, "
                           " status <> 'closed' AND deadline < ? "
                           "FROM problem WHERE (? IS NULL OR status = ?) AND (? IS NULL OR item "
                           "= ?) AND (? IS NULL OR unit = ?) AND (? = '0' OR (status <> 'closed' "
                           "AND deadline < ?)) ORDER BY id",
                           &st, &cli->err);
    if (rc)
        return rc;
    gf_today(today);
    const char *b[] = {today, status, status, item, item, unit, unit, overdue ? "1" : "0", today};
    for (int i = 0; i < 9; i++)
        gf_stmt_bind_text(st, i + 1, b[i]);
    static const struct gf_column cols[] = {
        {"id", "编号", "id"},
        {"item", "事项", "item"},
        {"unit", "单位", "unit"},
        {"title", "问题", "problem"},
        {"severity", "严重程度", "severity"},
        {"owner", "整改责任人", "owner"},
        {"deadline", "整改时限", "deadline"},
        {"status", "状态", "status"},
        {"raised", "提出日期", "raised"},
        {"rectified_by", "整改报告人", "rectified by"},
        {"verified_by", "核验人", "verified by"},
        {"verified", "销号日期", "closed on"},
        {"reopened", "重开次数", "reopened"},
        {"overdue", "超期", "overdue"},
    };
    struct gf_table *t = gf_table_new(cols, 14);
    while ((rc = gf_stmt_step(st, &cli->err)) == 1) {
        gf_table_row(t);
        gf_table_int(t, 0, gf_stmt_int(st, 0));
        for (int c = 1; c <= 11; c++) {
            const char *v = gf_stmt_text(st, c);
            if (c == 7 && cli->format == GF_FMT_TABLE && v)
                v = !strcmp(v, "open")        ? L(cli, "待整改", "open")
                    : !strcmp(v, "rectified") ? L(cli, "待核验", "rectified")
                                              : L(cli, "已销号", "closed");
            gf_table_text(t, c, v);
        }
        gf_table_int(t, 12, gf_stmt_int(st, 12));
        gf_table_int(t, 13, gf_stmt_int(st, 13));
    }
    gf_stmt_finalize(st);
    if (rc < 0) {
        gf_table_free(t);
        return rc;
    }
    gf_table_print(t, stdout, cli->format, cli->lang);
    gf_table_free(t);
    return 0;
}

int cmd_problems(struct gf_cli *cli, int argc, char **argv)
{
    if (argc < 2 || gf_cli_wants_help(argc, argv)) {
        puts(L(cli, usage_zh, usage_en));
        return argc < 2 ? gf_cli_usage(cli, "problems: which subcommand? (raise, rectify, "
                                            "verify, reopen, list)")
                        : 0;
    }
    const char *sub = argv[1];
    struct gf_problem_new pn = {0};
    const char *by = NULL, *report = NULL, *note = NULL, *reason = NULL;
    int reject = 0;
    int64_t id = 0;
    int rc;
    int is_list = !strcmp(sub, "list"), is_raise = !strcmp(sub, "raise");
    if (!is_list && !is_raise && strcmp(sub, "rectify") && strcmp(sub, "verify") &&
        strcmp(sub, "reopen"))
        return gf_cli_usage(cli,
                            "problems: unknown subcommand '%s' (raise, rectify, verify, "
                            "reopen, list)",
                            sub);
    if (!is_list) {
        int first = 2;
        if (!is_raise) {
            if ((rc = parse_id(cli, argc > 2 ? argv[2] : NULL, &id)))
                return rc;
            first = 3;
        }
        for (int i = first; i < argc; i++) {
            const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
            int used = 1;
            if (is_raise && !strcmp(a, "--item") && v)
                pn.item = v;
            else if (is_raise && !strcmp(a, "--unit") && v)
                pn.unit = v;
            else if (is_raise && !strcmp(a, "--title") && v)
                pn.title = v;
            else if (is_raise && !strcmp(a, "--severity") && v)
                pn.severity = v;
            else if (is_raise && !strcmp(a, "--owner") && v)
                pn.owner = v;
            else if (is_raise && !strcmp(a, "--deadline") && v)
                pn.deadline = v;
            else if (!strcmp(a, "--by") && v)
                by = v;
            else if (!strcmp(a, "--report") && v)
                report = v;
            else if (!strcmp(a, "--note") && v)
                note = v;
            else if (!strcmp(a, "--reason") && v)
                reason = v;
            else if (!strcmp(a, "--reject")) {
                reject = 1;
                used = 0;
            } else
                return gf_cli_usage(cli, "problems %s: unexpected argument '%s'", sub, a);
            i += used;
        }
    }
    struct gf_db *db;
    if ((rc = (is_list ? gf_db_open_read : gf_db_open_existing)(&db, cli->db_path, &cli->err)))
        return rc;
    if (is_list)
        rc = do_list(cli, db, argc, argv);
    else if (is_raise) {
        pn.raised_by = cli->user;
        rc = gf_problem_raise(db, cli->user, &pn, &id, &cli->err);
        if (rc == GF_OK)
            printf(L(cli, "问题 #%lld 已提出\n", "problem #%lld raised\n"), (long long)id);
    } else if (!strcmp(sub, "rectify")) {
        rc = gf_problem_rectify(db, cli->user, id, by, report, &cli->err);
        if (rc == GF_OK)
            printf(L(cli, "问题 #%lld 已报告整改,待核验\n",
                     "problem #%lld rectified, awaiting verification\n"),
                   (long long)id);
    } else if (!strcmp(sub, "verify")) {
        rc = gf_problem_verify(db, cli->user, id, by, !reject, note, &cli->err);
        if (rc == GF_OK)
            printf(reject ? L(cli, "问题 #%lld 核验未通过,退回整改\n",
                              "problem #%lld rejected, back to open\n")
                          : L(cli, "问题 #%lld 核验通过,已销号\n",
                              "problem #%lld verified and closed\n"),
                   (long long)id);
    } else {
        rc = gf_problem_reopen(db, cli->user, id, reason, &cli->err);
        if (rc == GF_OK)
            printf(L(cli, "问题 #%lld 已重新打开\n", "problem #%lld reopened\n"), (long long)id);
    }
    gf_db_close(db);
    return rc;
}
