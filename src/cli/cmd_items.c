/* cmd_items.c — `gongfu items`: the four lists (四张清单): import, list, show, progress, report. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/audit.h"
#include "domain/import.h"
#include "domain/lists.h"
#include "store/db.h"

static const char *usage_zh =
    "用法: gongfu items 子命令 [参数]\n"
    "四张清单(向上争取/改革事项/重大项目/重点任务)的事项、进度与预警。\n\n"
    "  items import 文件 [--what items|progress|kinds] [--dry-run] [--json|--csv]\n"
    "      导入事项(默认)、进度报告或自定义清单类别(CSV/JSON,全部成功或全部不变)\n"
    "  items list [--kind 类别] [--unit 单位] [--team 专班] [--status 状态]\n"
    "      列出事项(含最新进度)\n"
    "  items show 代码     事项详情:责任链、节点、资金、进度历史、问题\n"
    "  items progress 代码 --percent P [--date 日期] [--text 说明] [--invest 万元]\n"
    "      [--funds 万元] [--by 人员代码] [--milestone land|start|complete|produce\n"
    "      [--milestone-date 日期]]       报告进度(已办结或已取消的事项拒绝)\n"
    "  items report [--as-of 日期] [--stalled-days N]\n"
    "      预警:事项逾期、节点逾期、进度停滞(N 天无进度,默认 60)、问题超期、投资滞后\n\n"
    "格式见 docs/lists-and-race.md。日期为 YYYY-MM-DD;\"今天\"可由环境变量 GONGFU_NOW 固定。";
static const char *usage_en =
    "usage: gongfu items SUBCOMMAND [ARGS]\n"
    "Items of the four lists (upward funding, reform, major projects, key tasks), their\n"
    "progress and flags.\n\n"
    "  items import FILE [--what items|progress|kinds] [--dry-run] [--json|--csv]\n"
    "      import items (default), progress reports or custom list kinds (CSV/JSON, all or\n"
    "      nothing)\n"
    "  items list [--kind KIND] [--unit UNIT] [--team TEAM] [--status STATUS]\n"
    "      list items with their latest progress\n"
    "  items show CODE     one item: responsibility chain, milestones, money, progress, problems\n"
    "  items progress CODE --percent P [--date DATE] [--text TEXT] [--invest WAN]\n"
    "      [--funds WAN] [--by PERSON] [--milestone land|start|complete|produce\n"
    "      [--milestone-date DATE]]       report progress (refused on a done/cancelled item)\n"
    "  items report [--as-of DATE] [--stalled-days N]\n"
    "      flags: overdue items and milestones, stalled items (no progress for more than N\n"
    "      days, default 60), problems past deadline, investment behind plan\n\n"
    "Formats: docs/lists-and-race.md. Dates are YYYY-MM-DD; fix \"today\" with GONGFU_NOW.";

/* Status for people (table format); codes stay as they are in CSV/JSON. */
static const char *status_label(struct gf_cli *cli, const char *s)
{
    static const char *const code[] = {"planned", "active", "done", "suspended", "cancelled"};
    static const char *const zh[] = {"计划", "推进中", "已完成", "暂停", "已取消"};
    if (!s || cli->format != GF_FMT_TABLE || (cli->lang && cli->lang[0] == 'e'))
        return s;
    for (int i = 0; i < 5; i++)
        if (!strcmp(s, code[i]))
            return zh[i];
    return s;
}

/* write: the command changes the database; else it is opened read-only (read-only media) */
static int open_db(struct gf_cli *cli, struct gf_db **db, int write)
{
    return (write ? gf_db_open_existing : gf_db_open_read)(db, cli->db_path, &cli->err);
}

static int do_import(struct gf_cli *cli, int argc, char **argv)
{
    const char *file = NULL, *what = "items", *format = NULL;
    int dry_run = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--what") && i + 1 < argc)
            what = argv[++i];
        else if (!strcmp(argv[i], "--dry-run"))
            dry_run = 1;
        else if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "--csv"))
            format = argv[i] + 2;
        else if ((argv[i][0] != '-' || !argv[i][1]) && !file)
            file = argv[i]; /* "-": standard input */
        else
            return gf_cli_usage(cli, "items import: unexpected argument '%s'", argv[i]);
    }
    if (!file)
        return gf_cli_usage(cli, "items import: which file? (gongfu items import FILE)");
    const struct gf_import_kind *k = !strcmp(what, "items")      ? &gf_import_items
                                     : !strcmp(what, "progress") ? &gf_import_progress
                                     : !strcmp(what, "kinds")    ? &gf_import_list_kinds
                                                                 : NULL;
    if (!k)
        return gf_cli_usage(cli, "items import: --what '%s' is not one of items, progress, kinds",
                            what);
    struct gf_db *db;
    int rc = open_db(cli, &db, 1);
    if (rc)
        return rc;
    rc = gf_cli_import(cli, db, k, file, dry_run, format);
    gf_db_close(db);
    return rc;
}

static int do_list(struct gf_cli *cli, int argc, char **argv)
{
    const char *kind = NULL, *unit = NULL, *team = NULL, *status = NULL;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--kind") && i + 1 < argc)
            kind = argv[++i];
        else if (!strcmp(argv[i], "--unit") && i + 1 < argc)
            unit = argv[++i];
        else if (!strcmp(argv[i], "--team") && i + 1 < argc)
            team = argv[++i];
        else if (!strcmp(argv[i], "--status") && i + 1 < argc)
            status = argv[++i];
        else
            return gf_cli_usage(cli, "items list: unexpected argument '%s'", argv[i]);
    }
    struct gf_db *db;
    int rc = open_db(cli, &db, 0);
    if (rc)
        return rc;
    struct gf_stmt *st;
    rc = gf_db_prepare(
        db,
        "SELECT i.code, i.title, k.name, k.name_en, i.lead_unit, i.owner, i.team, i.unit, "
        " i.start_date, i.due_date, i.status, (SELECT p.percent FROM progress p WHERE p.item = "
        " i.code ORDER BY p.report_date DESC LIMIT 1), i.invest_planned, i.invest_done, "
        " i.funds_requested, i.funds_secured, i.synthetic "
        "FROM list_item i JOIN list_kind k ON k.code = i.kind "
        "WHERE (? IS NULL OR i.kind = ?) AND (? IS NULL OR i.unit = ? OR i.lead_unit = ?) AND "
        " (? IS NULL OR i.team = ?) AND (? IS NULL OR i.status = ?) ORDER BY i.code",
        &st, &cli->err);
    if (rc) {
        gf_db_close(db);
        return rc;
    }
    const char *b[] = {kind, kind, unit, unit, unit, team, team, status, status};
    for (int i = 0; i < 9; i++)
        gf_stmt_bind_text(st, i + 1, b[i]);
    static const struct gf_column cols[] = {
        {"code", "代码", "code"},
        {"title", "事项", "title"},
        {"kind", "类别", "kind"},
        {"lead_unit", "牵头单位", "lead unit"},
        {"owner", "责任人", "responsible"},
        {"team", "专班", "team"},
        {"unit", "属地", "unit"},
        {"start", "开始", "start"},
        {"due", "完成时限", "due"},
        {"status", "状态", "status"},
        {"percent", "进度%", "progress %"},
        {"invest_planned", "计划投资(万元)", "planned investment"},
        {"invest_done", "完成投资(万元)", "completed investment"},
        {"funds_requested", "申请资金(万元)", "funds requested"},
        {"funds_secured", "到位资金(万元)", "funds secured"},
        {"synthetic", "合成数据", "synthetic"},
    };
    struct gf_table *t = gf_table_new(cols, 16);
    while ((rc = gf_stmt_step(st, &cli->err)) == 1) {
        gf_table_row(t);
        gf_table_text(t, 0, gf_stmt_text(st, 0));
        gf_table_text(t, 1, gf_stmt_text(st, 1));
        gf_table_text(t, 2, L(cli, gf_stmt_text(st, 2), gf_stmt_text(st, 3)));
        for (int c = 4; c <= 10; c++)
            gf_table_text(t, c - 1,
                          c == 10 ? status_label(cli, gf_stmt_text(st, c)) : gf_stmt_text(st, c));
        for (int c = 11; c <= 15; c++)
            gf_table_num(t, c - 1, gf_stmt_double(st, c), c == 11 ? 0 : 1);
        gf_table_int(t, 15, gf_stmt_int(st, 16));
    }
    gf_stmt_finalize(st);
    gf_db_close(db);
    if (rc < 0) {
        gf_table_free(t);
        return rc;
    }
    gf_table_print(t, stdout, cli->format, cli->lang);
    gf_table_free(t);
    return 0;
}

static void kv(struct gf_table *t, const char *field, const char *value)
{
    gf_table_row(t);
    gf_table_text(t, 0, field);
    gf_table_text(t, 1, value);
}

/* The first column of a one-parameter query joined with ';' (portable: no group_concat). */
static void joined(struct gf_db *db, const char *sql, const char *param, char *out, size_t cap)
{
    struct gf_stmt *st;
    size_t o = 0;
    out[0] = 0;
    if (gf_db_prepare(db, sql, &st, NULL))
        return;
    gf_stmt_bind_text(st, 1, param);
    while (gf_stmt_step(st, NULL) == 1 && o < cap)
        o += (size_t)snprintf(out + o, cap - o, "%s%s", o ? ";" : "", gf_stmt_text(st, 0));
    gf_stmt_finalize(st);
}

static int do_show(struct gf_cli *cli, int argc, char **argv)
{
    if (argc != 3)
        return gf_cli_usage(cli, "items show: give one item code (gongfu items show CODE)");
    const char *code = argv[2];
    struct gf_db *db;
    int rc = open_db(cli, &db, 0);
    if (rc)
        return rc;
    struct gf_stmt *st;
    rc = gf_db_prepare(
        db,
        "SELECT i.code, i.title, i.description, k.name, k.name_en, i.list, "
        " i.leader || coalesce(' ' || (SELECT name FROM person WHERE code = i.leader), ''), "
        " i.lead_unit || coalesce(' ' || (SELECT name FROM department WHERE code = i.lead_unit), "
        "  ' ' || (SELECT name FROM unit WHERE code = i.lead_unit), ''), "
        " i.owner || coalesce(' ' || (SELECT name FROM person WHERE code = i.owner), ''), "
        " NULL, i.team, i.unit, NULL, "
        " i.start_date, i.due_date, i.status, i.completed_date, i.invest_planned, i.invest_done, "
        " i.funds_requested, i.funds_secured, i.synthetic, i.note "
        "FROM list_item i JOIN list_kind k ON k.code = i.kind WHERE i.code = ?",
        &st, &cli->err);
    if (rc)
        goto out_db;
    gf_stmt_bind_text(st, 1, code);
    rc = gf_stmt_step(st, &cli->err);
    if (rc <= 0) {
        gf_stmt_finalize(st);
        if (rc == 0)
            rc = gf_err_set(&cli->err, GF_EUSER, "item \"%s\": no such list item", code);
        goto out_db;
    }
    static const struct gf_column cols[] = {{"field", "项目", "field"}, {"value", "内容", "value"}};
    struct gf_table *t = gf_table_new(cols, 2);
    struct {
        int col;
        const char *zh, *en;
    } f[] = {{0, "代码", "code"},
             {1, "事项", "title"},
             {2, "说明", "description"},
             {-1, "类别", "kind"},
             {5, "所属清单", "list"},
             {6, "责任领导", "responsible leader"},
             {7, "牵头单位", "lead unit"},
             {8, "具体责任人", "responsible person"},
             {9, "配合单位", "cooperating units"},
             {10, "专班", "team"},
             {11, "属地单位", "unit"},
             {12, "关联指标", "indicators"},
             {13, "开始日期", "start"},
             {14, "完成时限", "due"},
             {15, "状态", "status"},
             {16, "完成日期", "completed"},
             {17, "计划投资(万元)", "planned investment (10k yuan)"},
             {18, "完成投资(万元)", "completed investment (10k yuan)"},
             {19, "申请资金(万元)", "funds requested (10k yuan)"},
             {20, "到位资金(万元)", "funds secured (10k yuan)"},
             {21, "合成数据", "synthetic"},
             {22, "备注", "note"}};
    char coop[1024], inds[1024];
    joined(db, "SELECT party FROM list_item_coop WHERE item = ? ORDER BY party", code, coop,
           sizeof coop);
    joined(db, "SELECT indicator FROM list_item_indicator WHERE item = ? ORDER BY indicator", code,
           inds, sizeof inds);
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        const char *v = f[i].col < 0     ? L(cli, gf_stmt_text(st, 3), gf_stmt_text(st, 4))
                        : f[i].col == 9  ? (coop[0] ? coop : NULL)
                        : f[i].col == 12 ? (inds[0] ? inds : NULL)
                                         : gf_stmt_text(st, f[i].col);
        if (f[i].col == 15)
            v = status_label(cli, v);
        if (v)
            kv(t, L(cli, f[i].zh, f[i].en), v);
    }
    gf_stmt_finalize(st);
    static const char *mz[] = {"拿地", "开工", "竣工", "投产"},
                      *me[] = {"land", "start of works", "completion", "start of production"};
    static const char *mc[] = {"land", "start", "complete", "produce"};
    char today[32], buf[512];
    gf_today(today);
    for (int m = 0; m < 4; m++) {
        if (gf_db_prepare(db,
                          "SELECT planned_date, actual_date FROM milestone WHERE item = ? AND "
                          "code = ?",
                          &st, &cli->err))
            break;
        gf_stmt_bind_text(st, 1, code);
        gf_stmt_bind_text(st, 2, mc[m]);
        if (gf_stmt_step(st, NULL) == 1) {
            const char *pl = gf_stmt_text(st, 0), *ac = gf_stmt_text(st, 1);
            snprintf(buf, sizeof buf, "%s %s, %s %s%s", L(cli, "计划", "planned"), pl,
                     L(cli, "实际", "actual"), ac ? ac : "—",
                     !ac && strcmp(pl, today) < 0 ? L(cli, " (逾期)", " (overdue)") : "");
            char label[64];
            snprintf(label, sizeof label, "%s%s", L(cli, "节点·", "milestone: "),
                     L(cli, mz[m], me[m]));
            kv(t, label, buf);
        }
        gf_stmt_finalize(st);
    }
    if (gf_db_prepare(db,
                      "SELECT report_date, percent, text, invest_done, funds_secured, "
                      "reported_by FROM progress WHERE item = ? ORDER BY report_date",
                      &st, &cli->err) == GF_OK) {
        gf_stmt_bind_text(st, 1, code);
        while (gf_stmt_step(st, NULL) == 1) {
            char label[64], num[3][40];
            snprintf(label, sizeof label, "%s%s", L(cli, "进度·", "progress: "),
                     gf_stmt_text(st, 0));
            for (int k = 0; k < 3; k++) {
                double x = gf_stmt_double(st, k == 0 ? 1 : k + 2);
                if (isnan(x))
                    snprintf(num[k], sizeof num[k], "—");
                else
                    gf_fmt_double(num[k], sizeof num[k], x);
            }
            snprintf(buf, sizeof buf, "%s%% %s; %s %s; %s %s; %s %s", num[0],
                     gf_stmt_text(st, 2) ? gf_stmt_text(st, 2) : "", L(cli, "投资", "invest"),
                     num[1], L(cli, "资金", "funds"), num[2], L(cli, "报告人", "by"),
                     gf_stmt_text(st, 5));
            kv(t, label, buf);
        }
        gf_stmt_finalize(st);
    }
    if (gf_db_prepare(db,
                      "SELECT id, title, severity, owner, deadline, status FROM problem "
                      "WHERE item = ? ORDER BY id",
                      &st, &cli->err) == GF_OK) {
        gf_stmt_bind_text(st, 1, code);
        while (gf_stmt_step(st, NULL) == 1) {
            char label[64];
            snprintf(label, sizeof label, "%s%lld", L(cli, "问题·#", "problem #"),
                     (long long)gf_stmt_int(st, 0));
            snprintf(buf, sizeof buf, "%s [%s] %s %s, %s %s, %s", gf_stmt_text(st, 1),
                     gf_stmt_text(st, 2), L(cli, "责任人", "owner"), gf_stmt_text(st, 3),
                     L(cli, "时限", "deadline"), gf_stmt_text(st, 4), gf_stmt_text(st, 5));
            kv(t, label, buf);
        }
        gf_stmt_finalize(st);
    }
    gf_table_print(t, stdout, cli->format, cli->lang);
    gf_table_free(t);
    rc = 0;
out_db:
    gf_db_close(db);
    return rc;
}

static int parse_num_arg(struct gf_cli *cli, const char *opt, const char *v, double *out)
{
    if (gf_parse_num(v, out))
        return gf_err_at(&cli->err, NULL, 0, opt, v, "a number");
    return GF_OK;
}

static int do_progress(struct gf_cli *cli, int argc, char **argv)
{
    struct gf_progress p = {0};
    p.percent = p.invest_done = p.funds_secured = NAN;
    p.by = cli->user;
    int rc;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--percent") && v) {
            if ((rc = parse_num_arg(cli, "--percent", v, &p.percent)))
                return rc;
            i++;
        } else if (!strcmp(a, "--invest") && v) {
            if ((rc = parse_num_arg(cli, "--invest", v, &p.invest_done)))
                return rc;
            i++;
        } else if (!strcmp(a, "--funds") && v) {
            if ((rc = parse_num_arg(cli, "--funds", v, &p.funds_secured)))
                return rc;
            i++;
        } else if (!strcmp(a, "--date") && v)
            p.date = argv[++i];
        else if (!strcmp(a, "--text") && v)
            p.text = argv[++i];
        else if (!strcmp(a, "--by") && v)
            p.by = argv[++i];
        else if (!strcmp(a, "--milestone") && v)
            p.milestone = argv[++i];
        else if (!strcmp(a, "--milestone-date") && v)
            p.milestone_date = argv[++i];
        else if (a[0] != '-' && !p.item)
            p.item = a;
        else
            return gf_cli_usage(cli, "items progress: unexpected argument '%s'", a);
    }
    if (!p.item)
        return gf_cli_usage(cli, "items progress: which item? (gongfu items progress CODE "
                                 "--percent P)");
    if (isnan(p.percent))
        return gf_cli_usage(cli, "items progress: --percent is required");
    struct gf_db *db;
    if ((rc = open_db(cli, &db, 1)))
        return rc;
    int changed = 0;
    rc = gf_progress_add(db, cli->user, &p, NULL, 0, &changed, &cli->err);
    gf_db_close(db);
    if (rc)
        return rc;
    printf(L(cli, "%s: 进度已记录 (%s)\n", "%s: progress recorded (%s)\n"), p.item,
           changed ? L(cli, "已写入", "written") : L(cli, "未变", "unchanged"));
    return 0;
}

static int do_report(struct gf_cli *cli, int argc, char **argv)
{
    const char *asof = NULL;
    int stalled = 60;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--as-of") && i + 1 < argc) {
            asof = argv[++i];
            if (!gf_parse_date(asof))
                return gf_cli_usage(cli, "items report: --as-of '%s' is not a date YYYY-MM-DD",
                                    asof);
        } else if (!strcmp(argv[i], "--stalled-days") && i + 1 < argc) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 1 || v > 3650)
                return gf_cli_usage(cli, "items report: --stalled-days '%s' is not 1..3650",
                                    argv[i]);
            stalled = (int)v;
        } else
            return gf_cli_usage(cli, "items report: unexpected argument '%s'", argv[i]);
    }
    struct gf_db *db;
    int rc = open_db(cli, &db, 0);
    if (rc)
        return rc;
    struct gf_flags fl;
    rc = gf_flags_collect(db, asof, stalled, &fl, &cli->err);
    if (rc) {
        gf_db_close(db);
        return rc;
    }
    static const struct gf_column cols[] = {
        {"flag", "预警", "flag"},           {"item", "事项", "item"},
        {"title", "事项名称", "title"},     {"subject", "节点/问题", "milestone/problem"},
        {"date", "日期", "date"},           {"days", "天数", "days"},
        {"done", "完成投资(万元)", "done"}, {"plan", "计划进度投资(万元)", "plan to date"},
    };
    struct gf_table *t = gf_table_new(cols, 8);
    int en = cli->lang && cli->lang[0] == 'e';
    for (int i = 0; i < fl.n; i++) {
        const struct gf_flag *f = &fl.f[i];
        gf_table_row(t);
        gf_table_text(t, 0,
                      cli->format == GF_FMT_TABLE ? gf_flag_label(f->kind, en)
                                                  : gf_flag_label(f->kind, 1));
        gf_table_text(t, 1, f->item[0] ? f->item : NULL);
        struct gf_stmt *st;
        if (f->item[0] &&
            gf_db_prepare(db, "SELECT title FROM list_item WHERE code = ?", &st, NULL) == GF_OK) {
            gf_stmt_bind_text(st, 1, f->item);
            if (gf_stmt_step(st, NULL) == 1)
                gf_table_text(t, 2, gf_stmt_text(st, 0));
            gf_stmt_finalize(st);
        }
        gf_table_text(t, 3, f->subject[0] ? f->subject : NULL);
        gf_table_text(t, 4, f->date);
        if (f->kind != GF_FLAG_INVEST_BEHIND)
            gf_table_int(t, 5, f->days);
        gf_table_num(t, 6, f->value, 1);
        gf_table_num(t, 7, f->plan, 1);
    }
    gf_flags_free(&fl);
    gf_db_close(db);
    gf_table_print(t, stdout, cli->format, cli->lang);
    gf_table_free(t);
    return 0;
}

int cmd_items(struct gf_cli *cli, int argc, char **argv)
{
    if (argc < 2 || gf_cli_wants_help(argc, argv)) {
        puts(L(cli, usage_zh, usage_en));
        return argc < 2 ? gf_cli_usage(cli, "items: which subcommand? (import, list, show, "
                                            "progress, report)")
                        : 0;
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "import"))
        return do_import(cli, argc, argv);
    if (!strcmp(sub, "list"))
        return do_list(cli, argc, argv);
    if (!strcmp(sub, "show"))
        return do_show(cli, argc, argv);
    if (!strcmp(sub, "progress"))
        return do_progress(cli, argc, argv);
    if (!strcmp(sub, "report"))
        return do_report(cli, argc, argv);
    return gf_cli_usage(cli,
                        "items: unknown subcommand '%s' (import, list, show, progress, "
                        "report)",
                        sub);
}
