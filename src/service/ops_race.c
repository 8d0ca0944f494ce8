/* ops_race.c — the horse race (赛马争先): `gongfu race`, /api/race, and its publication. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/lists.h"
#include "domain/period.h"
#include "service/service.h"

static const struct gf_code_label group_labels[] = {{"unit", "单位", "unit"},
                                                    {"team", "专班", "team"},
                                                    {"project", "项目", "project"},
                                                    {"cadre", "干部", "cadre"},
                                                    {"enterprise", "企业", "enterprise"},
                                                    {NULL}};
static const struct gf_code_label list_labels[] = {{"red", "红榜", "red"},
                                                   {"black", "黑榜", "black"},
                                                   {"uncertain", "待定(不确定)", "uncertain"},
                                                   {NULL}};
static const struct gf_code_label award_labels[] = {
    {"best", "骏马奖", "best horse"},
    {"slowest", "蜗牛奖", "snail"},
    {"slowest_uncertain", "蜗牛奖待定", "snail: uncertain"},
    {NULL}};

static const struct gf_column race_cols[] = {
    {"group", "类别", "group", group_labels},
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
    {"list", "红黑榜", "list", list_labels},
    {"award", "奖项", "award", award_labels},
    {"reasons", "主要原因", "reasons"},
    {"visits", "走访帮扶户", "visits"},
    {"measures", "帮扶措施", "measures"},
    {"eval_score", "综合评价得分", "evaluation score"},
};
#define RACE_NCOLS ((int)(sizeof race_cols / sizeof race_cols[0]))

static void add_rows(struct gf_call *c, struct gf_table *t, const struct gf_race *r)
{
    for (int i = 0; i < r->n; i++) {
        const struct gf_race_entry *s = &r->e[i];
        gf_table_row(t);
        gf_table_text(t, 0, gf_race_subject_code[r->subject]);
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
        for (int k = 0; k <= GF_RC_PROBLEMS; k++)
            gf_table_num(t, 9 + k, s->comp[k], 1);
        gf_table_num(t, 19, s->comp[GF_RC_VISITS], 1);
        gf_table_num(t, 20, s->comp[GF_RC_MEASURES], 1);
        gf_table_num(t, 21, s->eval_score, 1);
        gf_table_text(t, 16, s->red ? "red" : s->black ? "black" : s->uncertain ? "uncertain" : NULL);
        gf_table_text(t, 17, s->best                ? "best"
                             : s->slowest           ? "slowest"
                             : s->slowest_uncertain ? "slowest_uncertain"
                                                    : NULL);
        gf_table_text(t, 18, GF_L(c->cx, s->reasons_zh, s->reasons_en));
    }
}

/* The heading and the rule that explain the table, as the result's sentence. */
static void explain(struct gf_call *c, const struct gf_race *r, int nr, const char *period)
{
    const struct gf_race *any = &r[0];
    for (int g = nr - 1; g >= 0; g--)
        if (r[g].n && (r[g].subject <= GF_RS_TEAM || r[g].subject == GF_RS_ENTERPRISE))
            any = &r[g];
    /* projects and cadres have no evaluation */
    int evaluated = any->subject <= GF_RS_TEAM || any->subject == GF_RS_ENTERPRISE;
    char zh[1024], en[1024];
    int uz = snprintf(zh, sizeof zh, "赛马争先 %s(截至 %s)", period, any->as_of);
    int ue = snprintf(en, sizeof en, "Horse race %s (as of %s)", period, any->as_of);
    if (!evaluated) {
        uz += snprintf(zh + uz, sizeof zh - (size_t)uz, "%s",
                       ",按清单事项、问题整改(干部另计结对帮扶)计分");
        ue += snprintf(en + ue, sizeof en - (size_t)ue, "%s",
                       ", scored on list items and problems (cadres also on their paired "
                       "households)");
    } else if (any->eval_run) {
        uz += snprintf(zh + uz, sizeof zh - (size_t)uz, ",综合评价运行 #%lld",
                       (long long)any->eval_run);
        ue += snprintf(en + ue, sizeof en - (size_t)ue, ", evaluation run #%lld",
                       (long long)any->eval_run);
    } else if (any->eval_computed && any->subject == GF_RS_ENTERPRISE) {
        uz += snprintf(zh + uz, sizeof zh - (size_t)uz, "%s", ",按企业评价(如双强指数)现算排名");
        ue += snprintf(en + ue, sizeof en - (size_t)ue, "%s",
                       ", on the enterprises' evaluation (e.g. the 双强 index) computed now");
    } else if (any->eval_computed) {
        uz += snprintf(zh + uz, sizeof zh - (size_t)uz, "%s",
                       ",综合评价未保存,已按默认管线现算(gongfu eval --save 可保存)");
        ue += snprintf(en + ue, sizeof en - (size_t)ue, "%s",
                       ", evaluation not saved: computed now with the default pipeline "
                       "(gongfu eval --save keeps one)");
    } else {
        uz += snprintf(zh + uz, sizeof zh - (size_t)uz, "%s", ",本期无综合评价结果");
        ue += snprintf(en + ue, sizeof en - (size_t)ue, "%s",
                       ", no evaluation result for the period");
    }
    if (any->prev_valid) {
        uz += snprintf(zh + uz, sizeof zh - (size_t)uz, ",名次变化对比 %s", any->prev_period);
        ue += snprintf(en + ue, sizeof en - (size_t)ue, ", rank change against %s",
                       any->prev_period);
    } else {
        uz += snprintf(zh + uz, sizeof zh - (size_t)uz, ",上期(%s)无可比排名", any->prev_period);
        ue += snprintf(en + ue, sizeof en - (size_t)ue, ", no ranking for the previous period (%s)",
                       any->prev_period);
    }
    uz += snprintf(zh + uz, sizeof zh - (size_t)uz, "%s",
                   "。\n名次区间: 重抽样(权重扰动±20%;综合评价存有敏感性分析时,评价名次在其 "
                   "5%–95% 分位间抽取)所得名次的 5%–95% 分位。黑榜规则: 处于末位区间且 5% 分位"
                   "名次仍在末位区间内");
    ue += snprintf(en + ue, sizeof en - (size_t)ue, "%s",
                   ".\nRank 5–95%: percentiles of the rank over resamples (weights ±20%; the "
                   "evaluation rank drawn within its stored 5–95% band when the evaluation has a "
                   "sensitivity analysis).  Black list: in the bottom band with the 5th percentile "
                   "rank still in the bottom band");
    int unc = 0;
    for (int g = 0; g < nr; g++)
        for (int i = 0; i < r[g].n; i++)
            unc += r[g].e[i].uncertain || r[g].e[i].slowest_uncertain;
    if (unc) {
        uz += snprintf(zh + uz, sizeof zh - (size_t)uz,
                       ";%d 个单位/专班处于末位区间但名次不确定,标为\"待定(不确定)\","
                       "不列入黑榜或蜗牛奖。",
                       unc);
        ue += snprintf(en + ue, sizeof en - (size_t)ue,
                       "; %d unit(s)/team(s) in the bottom band have an uncertain rank: shown as "
                       "\"uncertain\", not black-listed and no snail award.",
                       unc);
    } else {
        uz += snprintf(zh + uz, sizeof zh - (size_t)uz, "%s", ";本期没有名次不确定的末位单位。");
        ue += snprintf(en + ue, sizeof en - (size_t)ue, "%s",
                       "; no bottom-band rank is uncertain this period.");
    }
    (void)uz, (void)ue;
    gf_result_say(c, zh, en);
}

/* Run the race of the call's arguments into the result.  *period_out gets the period raced. */
static int run_race(struct gf_call *c, char *period_out, size_t cap)
{
    const char *period = gf_arg(c, "period"), *subject = gf_arg(c, "subject");
    const char *config = gf_arg(c, "config"), *asof = gf_arg(c, "as_of");
    /* the races to run: one subject, or units and teams ("all", the default) */
    enum gf_race_subject which[2] = {GF_RS_UNIT, GF_RS_TEAM};
    int nr = 2;
    for (int k = 0; subject && k < GF_RS_N; k++)
        if (!strcmp(subject, gf_race_subject_code[k])) {
            which[0] = (enum gf_race_subject)k;
            nr = 1;
        }
    struct gf_race_config cf;
    gf_race_config_default(&cf);
    int rc;
    if (config && (rc = gf_race_config_load(&cf, config, &c->err)))
        return rc;
    if (gf_arg(c, "level"))
        cf.level = (int)gf_arg_int(c, "level", cf.level);
    if (cf.level < 1 || cf.level > 9)
        return gf_err_at(&c->err, NULL, 0, "level", gf_arg(c, "level"), "a level from 1 to 9");
    struct gf_db *db = c->cx->db;
    char today[32];
    if (!period) {
        struct gf_stmt *st;
        snprintf(period_out, cap, "%.4s", gf_today(today));
        if (gf_db_prepare(db, "SELECT period FROM eval_run ORDER BY id DESC LIMIT 1", &st, NULL) ==
            GF_OK) {
            if (gf_stmt_step(st, NULL) == 1)
                snprintf(period_out, cap, "%s", gf_stmt_text(st, 0));
            gf_stmt_finalize(st);
        }
    } else
        snprintf(period_out, cap, "%s", period);
    struct gf_race r[2];
    memset(r, 0, sizeof r);
    for (int g = 0; g < nr; g++)
        if ((rc = gf_race_run(db, period_out, which[g], &cf, asof, &r[g], &c->err)))
            goto out;
    struct gf_table *t = gf_table_new(race_cols, RACE_NCOLS);
    for (int g = 0; g < nr; g++)
        add_rows(c, t, &r[g]);
    gf_result_table(c, "race", "赛马", "race", t);
    explain(c, r, nr, period_out);
    /* why a component is missing, where the race could not evaluate */
    for (int g = 0; g < nr; g++)
        if (r[g].eval_note[0])
            gf_result_note(c, "race %ss: %s", gf_race_subject_code[r[g].subject], r[g].eval_note);
    rc = GF_OK;
out:
    gf_race_free(&r[0]);
    gf_race_free(&r[1]);
    return rc;
}

static int op_run(struct gf_call *c)
{
    char period[32];
    return run_race(c, period, sizeof period);
}

static int op_publish(struct gf_call *c)
{
    char period[32];
    int rc = run_race(c, period, sizeof period);
    if (rc)
        return rc;
    const char *subject = gf_arg(c, "subject") ? gf_arg(c, "subject") : "all";
    char title[128];
    snprintf(title, sizeof title, "赛马争先 %s 红黑榜", period);
    return gf_publish(c, "race", period, subject, title);
}

static const char *const subjects[] = {"unit", "team", "project", "cadre", "enterprise", "all", NULL};
#define RACE_PARAMS                                                                                \
    {"period", GF_PT_PERIOD, 0, NULL, "期别(默认最近一次评价的期别)",                             \
     "period (default: the latest evaluated)"},                                                    \
        {"subject", GF_PT_ENUM, 0, subjects,                                                       \
         "参赛对象: unit 单位, team 专班, project 项目, cadre 干部, enterprise 企业(双强指数), "    \
         "all 单位和专班(默认)",                                                                    \
         "who races: unit, team, project, cadre, enterprise, or all (units and teams, the "        \
         "default)"},                                                                              \
        {"level", GF_PT_INT, 0, NULL, "参赛单位的层级(默认 2,县区)",                              \
         "level of the racing units (default 2, counties)"},                                       \
        {"as_of", GF_PT_DATE, 0, NULL, "截至日期", "as of date"},                                   \
        {"config", GF_PT_TEXT, GF_PF_CLI, NULL, "规则文件(JSON)", "rules file (JSON)"}

static const struct gf_param p_race[] = {RACE_PARAMS, {NULL}};

const struct gf_op gf_ops_race[] = {
    {"race.run", GF_OP_READ, "GET", "/api/race", GF_PERM_EVAL_READ, 0, p_race, op_run,
     "赛马:排名、红黑榜、奖项与原因", "the horse race: ranks, red and black lists, awards, reasons"},
    {"race.publish", GF_OP_WRITE, "POST", "/api/race/publish", GF_PERM_PUBLISH, 0, p_race,
     op_publish, "发布赛马结果(亮晒,发布后不再随数据变化)",
     "publish the race (frozen: later data changes never alter it)"},
    {NULL},
};
