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
           "                  [--pipeline 文件.json] [--sensitivity 次数 [--seed 种子]] [--save]\n"
           "                  [--show ranking|attainment]\n\n"
           "对某一层级的单位做综合评价:各维度得分与排名、较上年排名变化、目标实现程度、\n"
           "按期达标判断(进度正常/有风险/滞后)、优势与薄弱指标;--sensitivity 做蒙特卡洛\n"
           "排名敏感性分析(5%–95% 排名区间)。默认同时评价县(区)和村(社区),管线为统计局做法\n"
           "(实现程度 + 体系权重 + 加权算术平均,见 docs/pipelines/)。--save 保存为一次评价运行。\n"
           "--show attainment 列出每个单位每个指标的目标实现程度;目标不适用于该层级时为空并说明原因。",
           "usage: gongfu eval [--framework F] [--period YEAR] [--level county|village|1-4]\n"
           "                   [--pipeline FILE.json] [--sensitivity N [--seed S]] [--save]\n"
           "                   [--show ranking|attainment]\n\n"
           "Composite evaluation of the units of a level: dimension scores and ranks, rank change\n"
           "since last year, target attainment, on-track status, strengths and weaknesses;\n"
           "--sensitivity adds Monte Carlo rank intervals (5th–95th percentile). By default both\n"
           "counties and villages are evaluated with the statistics bureau's pipeline (attainment,\n"
           "framework weights, arithmetic mean; see docs/pipelines/). --save stores the run.\n"
           "--show attainment lists every unit's attainment of every indicator's target; where a\n"
           "target does not apply at the level the attainment is empty and the note says why."));
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

/* A note of evaluation.c in the user's language (the stored text is English). */
static const char *note_text(struct gf_cli *cli, const char *note, char *buf, size_t cap)
{
    int a, b;
    if (!note || (cli->lang && cli->lang[0] == 'e'))
        return note;
    if (sscanf(note, "target set for level %d, not for level %d", &a, &b) == 2)
        snprintf(buf, cap, "目标为第%d级单位设定,不适用于第%d级(体系未给出下延规则)", a, b);
    else if (!strcmp(note, "no value at this level for the period"))
        snprintf(buf, cap, "本期该层级无数据");
    else
        return note;
    return buf;
}

/* One row per unit and indicator: value, target, attainment, status and why it is empty;
 * then the indicators left out, with the reason. */
static void attainment_rows(struct gf_cli *cli, struct gf_table *t, const struct gf_evaluation *ev,
                            const char *level_name)
{
    const struct gf_eval_result *r = &ev->res;
    char buf[256];
    for (size_t k = 0; k < r->n; k++) {
        size_t i = r->rowmap[k];
        for (size_t j = 0; j < ev->m; j++) {
            double a = r->attain ? r->attain[k * r->m + j] : NAN;
            int tr = ev->track[i * ev->m + j];
            gf_table_row(t);
            gf_table_text(t, 0, level_name);
            gf_table_text(t, 1, ev->unit_code[i]);
            gf_table_text(t, 2, ev->node_code[j]);
            gf_table_num(t, 3, ev->x[i * ev->m + j], -1);
            gf_table_num(t, 4, isnan(ev->ind[j].target) ? NAN : ev->target[j], -1);
            gf_table_num(t, 5, isnan(a) ? NAN : 100 * a, cli->format == GF_FMT_TABLE ? 1 : -1);
            gf_table_text(t, 6, tr >= 0 ? (cli->format == GF_FMT_TABLE ? track_label(cli, tr)
                                                                      : gf_eval_track_name((enum gf_eval_track)tr))
                                        : NULL);
            gf_table_text(t, 7, note_text(cli, ev->target_note[j], buf, sizeof buf));
        }
    }
    for (size_t d = 0; d < ev->ndropped; d++) {
        gf_table_row(t);
        gf_table_text(t, 0, level_name);
        gf_table_text(t, 2, ev->dropped[d]);
        gf_table_text(t, 7, note_text(cli, ev->dropped_note[d], buf, sizeof buf));
    }
}

static struct gf_table *attainment_table(void)
{
    static const struct gf_column cols[] = {
        {"level", "层级", "level"},          {"unit", "单位", "unit"},
        {"indicator", "指标", "indicator"},  {"value", "现值", "value"},
        {"target", "目标值", "target"},      {"attainment", "实现程度%", "attained %"},
        {"status", "按期达标", "on track?"}, {"note", "说明", "note"},
    };
    return gf_table_new(cols, 8);
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
    const char *pipeline = NULL, *level = NULL, *show = "ranking";
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
        else if (!strcmp(a, "--show") && has)
            show = argv[++i];
        else
            return gf_cli_usage(cli, "eval: unexpected argument '%s' (see gongfu eval --help)", a);
    }
    int attain = !strcmp(show, "attainment");
    if (!attain && strcmp(show, "ranking"))
        return gf_cli_usage(cli, "eval: --show '%s' is not one of ranking, attainment", show);
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
    int rc = (save ? gf_db_open_existing : gf_db_open_read)(&db, cli->db_path, &cli->err);
    if (rc) {
        free(pj);
        return rc;
    }
    struct gf_table *all = NULL;
    int human = cli->format == GF_FMT_TABLE;
    struct gf_evaluation evs[2];
    long long runs[2] = {0, 0};
    int nev = 0;
    for (int li = 0; li < nlevels && rc == GF_OK; li++) {
        o.level = levels[li];
        if ((rc = gf_evaluation_run(db, &o, &evs[nev], &cli->err)) == GF_OK)
            nev++;
    }
    /* one save is one transaction: a kill leaves every level's run of it stored, or none */
    if (rc == GF_OK && save && (rc = gf_db_begin(db, &cli->err)) == GF_OK) {
        for (int k = 0; k < nev && rc == GF_OK; k++)
            rc = gf_evaluation_save(db, &evs[k], cli->user, &runs[k], &cli->err);
        if (rc == GF_OK)
            rc = gf_db_commit(db, &cli->err);
        else
            gf_db_rollback(db);
    }
    for (int k = 0; k < nev && rc == GF_OK; k++) {
        const struct gf_evaluation *ev = &evs[k];
        char lname[64];
        struct gf_stmt *st;
        snprintf(lname, sizeof lname, "%d", ev->level);
        if (gf_db_prepare(db, "SELECT name_zh, name_en FROM unit_level WHERE level = ?", &st, NULL) == GF_OK) {
            gf_stmt_bind_text(st, 1, lname);
            if (gf_stmt_step(st, NULL) == 1)
                snprintf(lname, sizeof lname, "%s", human ? L(cli, gf_stmt_text(st, 0), gf_stmt_text(st, 1)) : gf_stmt_text(st, 1));
            gf_stmt_finalize(st);
        }
        if (attain) {
            if (!all)
                all = attainment_table();
            attainment_rows(cli, all, ev, lname);
        } else if (human) {
            printf(L(cli, "综合评价 · 体系 %s · %s 年 · %s · 管线 %s%s", "Evaluation · framework %s · %s · %s · pipeline %s%s"),
                   ev->framework, ev->period, lname, ev->pipeline.name[0] ? ev->pipeline.name : "custom",
                   ev->res.sens ? "" : "\n");
            if (ev->res.sens)
                printf(L(cli, " · 敏感性 %d 次抽样(种子 %llu)\n", " · sensitivity %d draws (seed %llu)\n"),
                       ev->pipeline.mc.draws, (unsigned long long)ev->pipeline.mc.seed);
            if (save)
                printf(L(cli, "已保存为评价运行 #%lld\n", "saved as evaluation run #%lld\n"), runs[k]);
            struct gf_table *t = ranking_table(cli, ev, 0);
            add_rows(cli, t, ev, 0, lname);
            gf_table_print(t, stdout, GF_FMT_TABLE, cli->lang);
            gf_table_free(t);
            if (ev->res.n < ev->n)
                printf(L(cli, "(%zu 个单位因数据不足未参与排名)\n", "(%zu units screened out for lack of data)\n"),
                       ev->n - ev->res.n);
            size_t nodata = 0;
            for (size_t d = 0; d < ev->ndropped; d++) {
                char buf[256];
                if (!strcmp(ev->dropped_note[d], "no value at this level for the period"))
                    nodata++;
                else
                    printf(L(cli, "(指标 %s 未参与评价:%s)\n", "(indicator %s left out: %s)\n"),
                           ev->dropped[d], note_text(cli, ev->dropped_note[d], buf, sizeof buf));
            }
            if (nodata)
                printf(L(cli, "(%zu 个指标本期在该层级无数据,未参与评价)\n",
                         "(%zu indicators have no value at this level for the period: left out)\n"),
                       nodata);
            putchar('\n');
        } else {
            if (!all)
                all = ranking_table(cli, ev, 1);
            add_rows(cli, all, ev, 1, lname);
        }
    }
    if (rc == GF_OK && human && nev > 0 && !attain)
        zone_targets(cli, &evs[nev - 1]);
    if (rc == GF_OK && all)
        gf_table_print(all, stdout, cli->format, cli->lang);
    gf_table_free(all);
    for (int k = 0; k < nev; k++)
        gf_evaluation_free(&evs[k]);
    gf_db_close(db);
    free(pj);
    return rc;
}
