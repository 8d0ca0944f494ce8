/* cmd_eval.c — `gongfu eval`: composite evaluation of the units of a level on the database. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/evaluation.h"
#include "store/db.h"
#include "util/input.h"

static void usage(struct gf_cli *cli)
{
    puts(L(cli,
           "用法: gongfu eval [--framework 体系] [--period 年份] [--level county|village|1-4]\n"
           "                  [--pipeline 文件.json] [--sensitivity 次数 [--seed 种子]] [--save]\n\n"
           "对某一层级的单位做综合评价:各维度得分与排名、较上年排名变化、目标实现程度、\n"
           "按期达标判断(进度正常/有风险/滞后)、优势与薄弱指标;--sensitivity 做蒙特卡洛\n"
           "排名敏感性分析(5%–95% 排名区间)。默认同时评价县(区)和村(社区),管线为统计局做法\n"
           "(实现程度 + 体系权重 + 加权算术平均,见 docs/pipelines/)。--save 保存为一次评价运行。",
           "usage: gongfu eval [--framework F] [--period YEAR] [--level county|village|1-4]\n"
           "                   [--pipeline FILE.json] [--sensitivity N [--seed S]] [--save]\n\n"
           "Composite evaluation of the units of a level: dimension scores and ranks, rank change\n"
           "since last year, target attainment, on-track status, strengths and weaknesses;\n"
           "--sensitivity adds Monte Carlo rank intervals (5th–95th percentile). By default both\n"
           "counties and villages are evaluated with the statistics bureau's pipeline (attainment,\n"
           "framework weights, arithmetic mean; see docs/pipelines/). --save stores the run."));
}

static const char *track_label(struct gf_cli *cli, int t)
{
    switch (t) {
    case GF_TRACK_ON:
        return L(cli, "进度正常", "on track");
    case GF_TRACK_RISK:
        return L(cli, "有风险", "at risk");
    case GF_TRACK_OFF:
        return L(cli, "滞后", "off track");
    case GF_TRACK_MET:
        return L(cli, "已达标", "met");
    default:
        return "";
    }
}

/* Append a unit's rows to the ranking table; columns as built in cmd_eval. */
static void add_rows(struct gf_cli *cli, struct gf_table *t, const struct gf_evaluation *ev, int with_level,
                     const char *level_name)
{
    const struct gf_eval_result *r = &ev->res;
    size_t *order = malloc(sizeof *order * (r->n ? r->n : 1));
    for (size_t k = 0; k < r->n; k++)
        order[k] = k;
    /* by rank, then code */
    for (size_t a = 1; a < r->n; a++)
        for (size_t b = a; b > 0; b--) {
            int ra = r->rank[order[b] * r->nnode + r->root], rb = r->rank[order[b - 1] * r->nnode + r->root];
            if (ra < rb) {
                size_t tmp = order[b];
                order[b] = order[b - 1];
                order[b - 1] = tmp;
            } else
                break;
        }
    int human = cli->format == GF_FMT_TABLE;
    for (size_t q = 0; q < r->n; q++) {
        size_t k = order[q], i = r->rowmap[k];
        int c = 0;
        gf_table_row(t);
        if (with_level)
            gf_table_text(t, c++, level_name);
        gf_table_int(t, c++, r->rank[k * r->nnode + r->root]);
        gf_table_text(t, c++, ev->unit_code[i]);
        gf_table_text(t, c++, L(cli, ev->unit_name[i], ev->unit_name_en[i]));
        gf_table_num(t, c++, r->score[k * r->nnode + r->root], 2);
        if (ev->rank_prev[i] > 0) {
            int d = ev->rank_prev[i] - r->rank[k * r->nnode + r->root];
            if (human) {
                char buf[16];
                snprintf(buf, sizeof buf, d > 0 ? "↑%d" : d < 0 ? "↓%d" : "-", d > 0 ? d : -d);
                gf_table_text(t, c++, buf);
            } else
                gf_table_int(t, c++, d);
        } else
            gf_table_text(t, c++, NULL);
        for (size_t nd = ev->m; nd < ev->nnode; nd++)
            if (nd != r->root && ev->node[nd].parent == (int)r->root)
                gf_table_num(t, c++, r->score[k * r->nnode + nd], 1);
        int cnt[4] = {0, 0, 0, 0};
        for (size_t j = 0; j < ev->m; j++) {
            int tr = ev->track[i * ev->m + j];
            if (tr >= 0 && tr < 4)
                cnt[tr]++;
        }
        if (human) {
            char buf[64];
            snprintf(buf, sizeof buf, "%d/%d/%d", cnt[GF_TRACK_ON] + cnt[GF_TRACK_MET], cnt[GF_TRACK_RISK],
                     cnt[GF_TRACK_OFF]);
            gf_table_text(t, c++, buf);
        } else {
            gf_table_int(t, c++, cnt[GF_TRACK_ON] + cnt[GF_TRACK_MET]);
            gf_table_int(t, c++, cnt[GF_TRACK_RISK]);
            gf_table_int(t, c++, cnt[GF_TRACK_OFF]);
        }
        if (r->sens) {
            const struct gf_eval_sens *s = &r->sens[k];
            if (human) {
                char buf[64];
                snprintf(buf, sizeof buf, "%g–%g", s->p05, s->p95);
                gf_table_text(t, c++, buf);
                gf_table_num(t, c++, s->mean_shift, 2);
            } else {
                gf_table_num(t, c++, s->median, -1);
                gf_table_num(t, c++, s->p05, -1);
                gf_table_num(t, c++, s->p95, -1);
                gf_table_num(t, c++, s->mean_shift, -1);
            }
        }
        char best[512] = "", worst[512] = "";
        for (int s = 0; s < r->k; s++) {
            int b = r->best[k * (size_t)r->k + (size_t)s], w = r->worst[k * (size_t)r->k + (size_t)s];
            const char *sep = human ? L(cli, "、", ", ") : ";";
            if (b >= 0)
                snprintf(best + strlen(best), sizeof best - strlen(best), "%s%s", best[0] ? sep : "",
                         human ? L(cli, ev->node_name[b], ev->node_name_en[b]) : ev->node_code[b]);
            if (w >= 0)
                snprintf(worst + strlen(worst), sizeof worst - strlen(worst), "%s%s", worst[0] ? sep : "",
                         human ? L(cli, ev->node_name[w], ev->node_name_en[w]) : ev->node_code[w]);
        }
        gf_table_text(t, c++, best);
        gf_table_text(t, c++, worst);
    }
    free(order);
}

static struct gf_table *ranking_table(struct gf_cli *cli, const struct gf_evaluation *ev, int with_level)
{
    struct gf_column cols[64];
    int c = 0, human = cli->format == GF_FMT_TABLE;
    if (with_level)
        cols[c++] = (struct gf_column){"level", "层级", "level"};
    cols[c++] = (struct gf_column){"rank", "排名", "rank"};
    cols[c++] = (struct gf_column){"unit", "代码", "code"};
    cols[c++] = (struct gf_column){"name", "单位", "unit"};
    cols[c++] = (struct gf_column){"score", "综合得分", "score"};
    cols[c++] = (struct gf_column){"rank_change", "较上年", "change"};
    for (size_t nd = ev->m; nd < ev->nnode && c < 50; nd++)
        if (nd != ev->res.root && ev->node[nd].parent == (int)ev->res.root)
            cols[c++] = (struct gf_column){ev->node_code[nd], ev->node_name[nd], ev->node_name_en[nd]};
    if (human)
        cols[c++] = (struct gf_column){"track", "达标进度(正常/风险/滞后)", "targets on/at risk/off"};
    else {
        cols[c++] = (struct gf_column){"on_track", NULL, NULL};
        cols[c++] = (struct gf_column){"at_risk", NULL, NULL};
        cols[c++] = (struct gf_column){"off_track", NULL, NULL};
    }
    if (ev->res.sens) {
        if (human) {
            cols[c++] = (struct gf_column){"rank_interval", "排名区间(5%–95%)", "rank 5%–95%"};
            cols[c++] = (struct gf_column){"rank_shift", "平均排名变动", "mean rank shift"};
        } else {
            cols[c++] = (struct gf_column){"rank_median", NULL, NULL};
            cols[c++] = (struct gf_column){"rank_p05", NULL, NULL};
            cols[c++] = (struct gf_column){"rank_p95", NULL, NULL};
            cols[c++] = (struct gf_column){"rank_shift", NULL, NULL};
        }
    }
    cols[c++] = (struct gf_column){"strengths", "优势指标", "strengths"};
    cols[c++] = (struct gf_column){"weaknesses", "薄弱指标", "weaknesses"};
    return gf_table_new(cols, c);
}

static void zone_targets(struct gf_cli *cli, const struct gf_evaluation *ev)
{
    static const struct gf_column cols[] = {
        {"indicator", "指标代码", "indicator"}, {"name", "指标", "indicator name"},
        {"value", "现值", "value"},            {"target", "目标值", "target"},
        {"attainment", "实现程度%", "attained %"}, {"status", "按期达标", "on track?"},
    };
    struct gf_table *t = gf_table_new(cols, 6);
    for (size_t j = 0; j < ev->m; j++) {
        if (isnan(ev->target[j]))
            continue;
        gf_table_row(t);
        gf_table_text(t, 0, ev->node_code[j]);
        gf_table_text(t, 1, L(cli, ev->node_name[j], ev->node_name_en[j]));
        gf_table_num(t, 2, ev->zone_value[j], 2);
        gf_table_num(t, 3, ev->target[j], 2);
        gf_table_num(t, 4, isnan(ev->zone_attain[j]) ? NAN : 100 * ev->zone_attain[j], 1);
        gf_table_text(t, 5, track_label(cli, ev->zone_track[j]));
    }
    printf(L(cli, "\n%s %s 年目标实现情况(%s 年数据):\n", "\n%s against the %s targets (data of %s):\n"),
           ev->zone_name, "2025", ev->period);
    gf_table_print(t, stdout, GF_FMT_TABLE, cli->lang);
    gf_table_free(t);
}

int cmd_eval(struct gf_cli *cli, int argc, char **argv)
{
    if (gf_cli_wants_help(argc, argv)) {
        usage(cli);
        return 0;
    }
    struct gf_evaluation_opts o = {0};
    const char *pipeline = NULL, *level = NULL;
    int save = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if (!strcmp(a, "--framework") && has)
            o.framework = argv[++i];
        else if (!strcmp(a, "--period") && has)
            o.period = argv[++i];
        else if (!strcmp(a, "--level") && has)
            level = argv[++i];
        else if (!strcmp(a, "--pipeline") && has)
            pipeline = argv[++i];
        else if (!strcmp(a, "--sensitivity") && has) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 1 || v > 1000000)
                return gf_cli_usage(cli, "eval: --sensitivity '%s' is not a number of draws (1-1000000)", argv[i]);
            o.draws = (int)v;
        } else if (!strcmp(a, "--seed") && has) {
            char *end;
            o.seed = strtoll(argv[++i], &end, 10);
            if (*end)
                return gf_cli_usage(cli, "eval: --seed '%s' is not a whole number", argv[i]);
        } else if (!strcmp(a, "--save"))
            save = 1;
        else
            return gf_cli_usage(cli, "eval: unexpected argument '%s' (see gongfu eval --help)", a);
    }
    int levels[2] = {2, 4}, nlevels = 2;
    if (level) {
        static const char *const names[] = {"", "city", "county", "township", "village"};
        nlevels = 1;
        levels[0] = 0;
        for (int k = 1; k <= 4; k++)
            if (!strcmp(level, names[k]) || (level[0] == '0' + k && !level[1]))
                levels[0] = k;
        if (!levels[0])
            return gf_cli_usage(cli, "eval: --level '%s' is not one of city, county, township, village, 1-4", level);
    }
    char *pj = NULL;
    if (pipeline) {
        size_t len;
        int rc = gf_input_read_file(pipeline, 1u << 20, &pj, &len, &cli->err);
        if (rc)
            return rc;
        o.pipeline_json = pj;
        o.pipeline_src = pipeline;
    }
    struct gf_db *db;
    int rc = gf_db_open_existing(&db, cli->db_path, &cli->err);
    if (rc) {
        free(pj);
        return rc;
    }
    struct gf_table *all = NULL;
    int human = cli->format == GF_FMT_TABLE;
    struct gf_evaluation last;
    int have_last = 0;
    for (int li = 0; li < nlevels && rc == GF_OK; li++) {
        o.level = levels[li];
        struct gf_evaluation ev;
        if ((rc = gf_evaluation_run(db, &o, &ev, &cli->err)))
            break;
        char lname[64];
        struct gf_stmt *st;
        snprintf(lname, sizeof lname, "%d", ev.level);
        if (gf_db_prepare(db, "SELECT name_zh, name_en FROM unit_level WHERE level = ?", &st, NULL) == GF_OK) {
            gf_stmt_bind_text(st, 1, lname);
            if (gf_stmt_step(st, NULL) == 1)
                snprintf(lname, sizeof lname, "%s", human ? L(cli, gf_stmt_text(st, 0), gf_stmt_text(st, 1)) : gf_stmt_text(st, 1));
            gf_stmt_finalize(st);
        }
        long long run = 0;
        if (save && (rc = gf_evaluation_save(db, &ev, cli->user, &run, &cli->err))) {
            gf_evaluation_free(&ev);
            break;
        }
        if (human) {
            printf(L(cli, "综合评价 · 体系 %s · %s 年 · %s · 管线 %s%s", "Evaluation · framework %s · %s · %s · pipeline %s%s"),
                   ev.framework, ev.period, lname, ev.pipeline.name[0] ? ev.pipeline.name : "custom",
                   ev.res.sens ? "" : "\n");
            if (ev.res.sens)
                printf(L(cli, " · 敏感性 %d 次抽样(种子 %llu)\n", " · sensitivity %d draws (seed %llu)\n"),
                       ev.pipeline.mc.draws, (unsigned long long)ev.pipeline.mc.seed);
            if (save)
                printf(L(cli, "已保存为评价运行 #%lld\n", "saved as evaluation run #%lld\n"), run);
            struct gf_table *t = ranking_table(cli, &ev, 0);
            add_rows(cli, t, &ev, 0, lname);
            gf_table_print(t, stdout, GF_FMT_TABLE, cli->lang);
            gf_table_free(t);
            if (ev.res.n < ev.n)
                printf(L(cli, "(%zu 个单位因数据不足未参与排名)\n", "(%zu units screened out for lack of data)\n"),
                       ev.n - ev.res.n);
            putchar('\n');
        } else {
            if (!all)
                all = ranking_table(cli, &ev, 1);
            add_rows(cli, all, &ev, 1, lname);
        }
        if (have_last)
            gf_evaluation_free(&last);
        last = ev;
        have_last = 1;
    }
    if (rc == GF_OK && human && have_last)
        zone_targets(cli, &last);
    if (rc == GF_OK && all)
        gf_table_print(all, stdout, cli->format, cli->lang);
    gf_table_free(all);
    if (have_last)
        gf_evaluation_free(&last);
    gf_db_close(db);
    free(pj);
    return rc;
}
