/* cmd_race.c — `gongfu race`: the horse race (赛马争先) of units and work teams for a period. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/audit.h"
#include "domain/lists.h"
#include "domain/period.h"
#include "store/db.h"

static const char *usage_zh =
    "用法: gongfu race [--period 期间] [--units | --teams] [--config 文件.json]\n"
    "                  [--as-of 日期] [--level N] [--format table|csv|json]\n"
    "赛马争先:按综合评价(名次、进步)与清单绩效(节点按期、事项按期、投资完成、资金到位、\n"
    "问题整改)给县(区)级单位(默认 --level 2)和工作专班排名,给出名次变化、红榜、黑榜、\n"
    "骏马奖、蜗牛奖及升降原因。黑榜只列入在 5%–95% 分位排名区间内始终处于末位区间的单位,\n"
    "否则标为\"待定(不确定)\"。默认期间为最近一次评价的期间。权重与规则见\n"
    "docs/lists-and-race.md,可用 --config 覆盖。";
static const char *usage_en =
    "usage: gongfu race [--period P] [--units | --teams] [--config FILE.json]\n"
    "                   [--as-of DATE] [--level N] [--format table|csv|json]\n"
    "The horse race: county-level units (default --level 2) and work teams ranked by the\n"
    "evaluation (rank, improvement) and list performance (milestones and items on time,\n"
    "investment against plan, funds secured, open and overdue problems), with rank change,\n"
    "red list, black list, awards (best horse / snail) and the reasons.  A unit goes on the\n"
    "black list only if its 5th–95th percentile rank stays in the bottom band; otherwise it is\n"
    "shown as \"uncertain\".  Default period: the latest evaluated one.  Weights and rules:\n"
    "docs/lists-and-race.md, override with --config.";

static void add_rows(struct gf_cli *cli, struct gf_table *t, const struct gf_race *r)
{
    int tab = cli->format == GF_FMT_TABLE;
    for (int i = 0; i < r->n; i++) {
        const struct gf_race_entry *s = &r->e[i];
        gf_table_row(t);
        gf_table_text(t, 0,
                      tab ? (r->teams ? L(cli, "专班", "team") : L(cli, "单位", "unit"))
                          : (r->teams ? "team" : "unit"));
        if (s->rank > 0) /* 0: nothing measured, not ranked */
            gf_table_int(t, 1, s->rank);
        gf_table_text(t, 2, s->code);
        gf_table_text(t, 3, s->name);
        gf_table_num(t, 4, s->score, 1);
        if (s->prev_rank > 0) {
            gf_table_int(t, 5, s->prev_rank);
            gf_table_int(t, 6, s->prev_rank - s->rank);
        }
        gf_table_num(t, 7, s->rank_p05, 1);
        gf_table_num(t, 8, s->rank_p95, 1);
        for (int k = 0; k < GF_RACE_NCOMP; k++)
            gf_table_num(t, 9 + k, s->comp[k], 1);
        const char *list = s->red     ? (tab ? L(cli, "红榜", "red") : "red")
                           : s->black ? (tab ? L(cli, "黑榜", "black") : "black")
                           : s->uncertain
                               ? (tab ? L(cli, "待定(不确定)", "uncertain") : "uncertain")
                               : NULL;
        gf_table_text(t, 16, list);
        const char *award = s->best      ? (tab ? L(cli, "骏马奖", "best horse") : "best")
                            : s->slowest ? (tab ? L(cli, "蜗牛奖", "snail") : "slowest")
                            : s->slowest_uncertain ? (tab ? L(cli, "蜗牛奖待定", "snail: uncertain")
                                                          : "slowest_uncertain")
                                                   : NULL;
        gf_table_text(t, 17, award);
        gf_table_text(t, 18, L(cli, s->reasons_zh, s->reasons_en));
    }
}

int cmd_race(struct gf_cli *cli, int argc, char **argv)
{
    if (gf_cli_wants_help(argc, argv)) {
        puts(L(cli, usage_zh, usage_en));
        return 0;
    }
    const char *period = NULL, *config = NULL, *asof = NULL;
    int units = 1, teams = 1, level = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--period") && i + 1 < argc)
            period = argv[++i];
        else if (!strcmp(argv[i], "--config") && i + 1 < argc)
            config = argv[++i];
        else if (!strcmp(argv[i], "--as-of") && i + 1 < argc) {
            asof = argv[++i];
            if (!gf_parse_date(asof))
                return gf_cli_usage(cli, "race: --as-of '%s' is not a date YYYY-MM-DD", asof);
        } else if (!strcmp(argv[i], "--level") && i + 1 < argc) {
            const char *lv = argv[++i];
            level = lv[0] >= '1' && lv[0] <= '9' && !lv[1] ? lv[0] - '0' : 0;
            if (level == 0)
                return gf_cli_usage(cli, "race: --level '%s' is not 1..9", argv[i]);
        } else if (!strcmp(argv[i], "--units"))
            teams = 0;
        else if (!strcmp(argv[i], "--teams"))
            units = 0;
        else
            return gf_cli_usage(cli, "race: unexpected argument '%s' (see gongfu race --help)",
                                argv[i]);
    }
    if (!units && !teams)
        return gf_cli_usage(cli, "race: --units and --teams exclude each other");
    struct gf_race_config c;
    gf_race_config_default(&c);
    int rc;
    if (config && (rc = gf_race_config_load(&c, config, &cli->err)))
        return rc;
    if (level)
        c.level = level;
    struct gf_db *db;
    if ((rc = gf_db_open_read(&db, cli->db_path, &cli->err)))
        return rc;
    char pbuf[32], today[32];
    if (!period) {
        struct gf_stmt *st;
        if (gf_db_prepare(db, "SELECT period FROM eval_run ORDER BY id DESC LIMIT 1", &st, NULL) ==
            GF_OK) {
            if (gf_stmt_step(st, NULL) == 1)
                snprintf(pbuf, sizeof pbuf, "%s", gf_stmt_text(st, 0));
            else
                snprintf(pbuf, sizeof pbuf, "%.4s", gf_today(today));
            gf_stmt_finalize(st);
        } else
            snprintf(pbuf, sizeof pbuf, "%.4s", gf_today(today));
        period = pbuf;
    }
    struct gf_period pp;
    if (gf_period_parse(period, &pp)) {
        gf_db_close(db);
        return gf_cli_usage(cli,
                            "race: --period '%s' is not a year (2024), a quarter (2024Q1) "
                            "or a month (2024-03)",
                            period);
    }
    struct gf_race ru = {0}, rt = {0};
    if (units && (rc = gf_race_run(db, period, 0, &c, asof, &ru, &cli->err)))
        goto out;
    if (teams && (rc = gf_race_run(db, period, 1, &c, asof, &rt, &cli->err)))
        goto out;
    static const struct gf_column cols[] = {
        {"group", "类别", "group"},
        {"rank", "名次", "rank"},
        {"code", "代码", "code"},
        {"name", "名称", "name"},
        {"score", "赛马得分", "score"},
        {"prev_rank", "上期名次", "previous rank"},
        {"rank_change", "名次变化", "rank change"},
        {"rank_p05", "名次5%分位", "rank p05"},
        {"rank_p95", "名次95%分位", "rank p95"},
        {"eval", "评价", "eval"},
        {"improvement", "进步", "improve"},
        {"milestones", "节点按期", "milestones"},
        {"items", "事项按期", "items"},
        {"investment", "投资完成", "investment"},
        {"funds", "资金到位", "funds"},
        {"problems", "问题整改", "problems"},
        {"list", "红黑榜", "list"},
        {"award", "奖项", "award"},
        {"reasons", "主要原因", "reasons"},
    };
    int tab = cli->format == GF_FMT_TABLE;
    struct gf_table *t = gf_table_new(cols, 19);
    add_rows(cli, t, &ru);
    add_rows(cli, t, &rt);
    const struct gf_race *any = units ? &ru : &rt;
    if (tab) {
        printf(L(cli, "赛马争先 %s(截至 %s)", "Horse race %s (as of %s)"), period, any->as_of);
        if (any->eval_run)
            printf(L(cli, ",综合评价运行 #%lld", ", evaluation run #%lld"),
                   (long long)any->eval_run);
        else if (any->eval_computed)
            printf("%s", L(cli, ",综合评价未保存,已按默认管线现算(gongfu eval --save 可保存)",
                           ", evaluation not saved: computed now with the default pipeline "
                           "(gongfu eval --save keeps one)"));
        else
            printf("%s", L(cli, ",本期无综合评价结果", ", no evaluation result for the period"));
        if (any->prev_valid)
            printf(L(cli, ",名次变化对比 %s\n", ", rank change against %s\n"), any->prev_period);
        else
            printf(L(cli, ",上期(%s)无可比排名\n", ", no ranking for the previous period (%s)\n"),
                   any->prev_period);
    }
    for (int g = 0; g < 2;
         g++) { /* why a component is missing, where the race could not evaluate */
        const struct gf_race *r = g ? &rt : &ru;
        if (r->eval_note[0] && (g ? teams : units))
            fprintf(stderr, "gongfu: note: race %s: %s\n", r->teams ? "teams" : "units",
                    r->eval_note);
    }
    gf_table_print(t, stdout, cli->format, cli->lang);
    if (tab) {
        int unc = 0;
        for (int i = 0; i < ru.n; i++)
            unc += ru.e[i].uncertain || ru.e[i].slowest_uncertain;
        for (int i = 0; i < rt.n; i++)
            unc += rt.e[i].uncertain || rt.e[i].slowest_uncertain;
        printf("%s",
               L(cli,
                 "\n名次区间: 重抽样(权重扰动±20%;综合评价存有敏感性分析时,评价名次在其 5%–95% "
                 "分位间抽取)"
                 "所得名次的 5%–95% 分位。\n黑榜规则: 处于末位区间且 5% 分位名次仍在末位区间内;",
                 "\nRank 5–95%: percentiles of the rank over resamples (weights ±20%; the "
                 "evaluation rank drawn within its stored 5–95% band when the evaluation has "
                 "a sensitivity analysis).\nBlack list: in the bottom band with the 5th "
                 "percentile rank still in the bottom band;"));
        if (unc)
            printf(
                L(cli,
                  "%d "
                  "个单位/专班处于末位区间但名次不确定,标为\"待定(不确定)\",不列入黑榜或蜗牛奖。\n",
                  " %d unit(s)/team(s) in the bottom band have an uncertain rank: shown as "
                  "\"uncertain\", not black-listed and no snail award.\n"),
                unc);
        else
            printf("%s", L(cli, "本期没有名次不确定的末位单位。\n",
                           " no bottom-band rank is uncertain this period.\n"));
    }
    gf_table_free(t);
    rc = 0;
out:
    gf_race_free(&ru);
    gf_race_free(&rt);
    gf_db_close(db);
    return rc;
}
