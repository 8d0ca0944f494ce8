/* ops_reports.c — the printed reports: 兴村报表 (a village's page), 成绩单 (a unit's report card),
 * the zone's quarterly report, and the 亮晒 poster of the race's red and black lists.
 * `gongfu report village|unit|quarterly|race`, GET /api/reports/{kind}.
 *
 * Each report is made of the results of other operations called as the reader (report_call), so
 * it shows exactly what the reader may see; a part the reader may not see, or that has no data,
 * is named in small print instead of left out silently. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/period.h"
#include "service/report.h"

/* "name (code)" of a unit and its ancestors' names, by the tree. */
static const struct gf_unit *unit_of(struct gf_call *c, const char *code)
{
    const struct gf_units *u = gf_ctx_units(c->cx, &c->err);
    int i = u ? gf_units_find(u, code) : -1;
    return i < 0 ? NULL : &u->unit[i];
}

static const char *uname(const struct gf_doc *d, const struct gf_unit *x)
{
    return d->en && x->name_en && *x->name_en ? x->name_en : x->name;
}

/* "锦川镇 · 米易县 · 攀枝花市": the unit's ancestors, nearest first. */
static void ancestry(struct gf_doc *d, const struct gf_unit *x, char *out, size_t cap)
{
    const struct gf_units *u = gf_ctx_units(d->c->cx, &d->c->err);
    out[0] = 0;
    size_t n = 0;
    for (int p = x->parent; u && p >= 0 && n < cap; p = u->unit[p].parent)
        n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? " · " : "", uname(d, &u->unit[p]));
}

static void page_head(struct gf_doc *d, const char *title, const char *sub)
{
    gf_doc_raw(d, "<header><h1>");
    gf_doc_text(d, title);
    gf_doc_raw(d, "</h1><div class=\"sub\">");
    gf_doc_text(d, sub);
    gf_doc_raw(d, "</div></header>\n");
}

static void page_foot(struct gf_doc *d)
{
    char now[32];
    gf_now(now);
    char line[512];
    snprintf(line, sizeof line,
             d->en ? "gongfu · generated %.10s by %s · figures as stored; the demo's data is partly "
                     "synthetic (docs/demo.md)"
                   : "gongfu 共富平台 · %.10s 由 %s 生成 · 数字以系统存储为准;演示数据部分为合成数据"
                     "(见 docs/demo.md)",
             now, d->c->cx->actor.name);
    gf_doc_raw(d, "<footer>");
    gf_doc_text(d, line);
    gf_doc_raw(d, "</footer>\n");
}

/* The period a report is about: the parameter, else the latest year with values. */
static const char *period_of(struct gf_call *c, char *buf, size_t cap)
{
    const char *p = gf_arg(c, "period");
    if (p)
        return p;
    struct gf_stmt *st;
    snprintf(buf, cap, "%s", "");
    if (gf_db_prepare(c->cx->db,
                      "SELECT max(period) FROM value WHERE length(period) = 4 AND state = 'approved'",
                      &st, NULL) == GF_OK) {
        if (gf_stmt_step(st, NULL) == 1 && gf_stmt_text(st, 0))
            snprintf(buf, cap, "%s", gf_stmt_text(st, 0));
        gf_stmt_finalize(st);
    }
    return buf;
}

/* Decimals a figure is printed with: none for whole numbers and from 100 up, else two. */
static int shown_decimals(double x)
{
    return x == floor(x) || fabs(x) >= 100 ? 0 : 2;
}

/* Key figures of a unit for the period against the previous one: one row an indicator. */
static struct gf_table *indicator_changes(struct gf_doc *d, const char *unit, const char *period)
{
    char prev[16];
    gf_period_prev(period, prev, sizeof prev);
    struct gf_call *now = report_call(d, "values.list", "unit", unit, "period", period, NULL);
    struct gf_call *before = report_call(d, "values.list", "unit", unit, "period", prev, NULL);
    const struct gf_table *a = report_section(now, "values"), *b = report_section(before, "values");
    static const struct gf_column cols[] = {
        {"indicator_name", "指标", "indicator"}, {"value", "本期", "this period"},
        {"previous", "上期", "previous"},       {"change", "变化%", "change %"},
        {"unit_of_measure", "单位", "unit"},     {"state", "状态", "state"},
    };
    struct gf_table *t = gf_table_new(cols, 6);
    char buf[400], key[128];
    for (int i = 0; a && i < gf_table_rows(a); i++) {
        gf_table_row(t);
        gf_table_text(t, 0, report_cell(a, i, "indicator_name", d->en, buf, sizeof buf));
        double x = report_num(a, i, "value"), y = NAN;
        snprintf(key, sizeof key, "%s", report_code(a, i, "indicator", buf, sizeof buf));
        for (int k = 0; b && k < gf_table_rows(b); k++)
            if (!strcmp(report_code(b, k, "indicator", buf, sizeof buf), key))
                y = report_num(b, k, "value");
        gf_table_num(t, 1, x, shown_decimals(x));
        gf_table_num(t, 2, y, shown_decimals(y));
        gf_table_num(t, 3, isfinite(x) && isfinite(y) && y != 0 ? 100 * (x - y) / fabs(y) : NAN, 1);
        gf_table_text(t, 4, report_cell(a, i, "unit_of_measure", d->en, buf, sizeof buf));
        gf_table_text(t, 5, report_cell(a, i, "state", d->en, buf, sizeof buf));
    }
    report_release(now);
    report_release(before);
    return t;
}

/* The race row of a unit (its rank, interval, list, reasons), NULL-safe. */
static int race_row(const struct gf_table *race, const char *unit)
{
    char buf[400];
    for (int i = 0; race && i < gf_table_rows(race); i++)
        if (!strcmp(report_code(race, i, "code", buf, sizeof buf), unit))
            return i;
    return -1;
}

/* Low-income monitoring, the lists and the problems of a unit: the parts every unit report has. */
static void work_parts(struct gf_doc *d, const char *unit, const char *period, int rows)
{
    gf_doc_heading(d, "低收入人口监测", "Low-income monitoring");
    struct gf_call *cov = report_call(d, "households.coverage", "unit", unit, "period", period, NULL);
    const struct gf_table *ct = report_section(cov, "coverage");
    static const char *const cov_cols[] = {"flagged", "identified", "paired", "paired_pct",
                                           "visited90_pct", "eliminated", "returned", NULL};
    if (ct && gf_table_rows(ct) == 1) { /* the unit itself: its figures in a row */
        const char *labels[8], *values[8];
        char vb[8][64];
        int n = 0;
        for (int k = 0; cov_cols[k]; k++) {
            const struct gf_column *col = gf_table_col(ct, gf_table_col_index(ct, cov_cols[k]));
            if (!col)
                continue;
            labels[n] = d->en ? col->label_en : col->label_zh;
            char buf[400];
            snprintf(vb[n], sizeof vb[n], "%s", report_cell(ct, 0, cov_cols[k], d->en, buf, sizeof buf));
            values[n] = vb[n];
            n++;
        }
        gf_doc_kpis(d, labels, values, n);
    } else if (ct) {
        static const char *const cols[] = {"name", "flagged", "identified", "paired", "paired_pct",
                                           "visited90_pct", "eliminated", "returned", NULL};
        gf_doc_table(d, ct, cols, rows);
    }
    report_release(cov);
    struct gf_call *al = report_call(d, "households.alerts", "unit", unit, NULL);
    const struct gf_table *at = report_section(al, "alerts");
    if (at && gf_table_rows(at)) {
        static const char *const al_cols[] = {"rule_name", "household", "head", "cadre_name",
                                              "detail", NULL};
        gf_doc_para(d, d->en ? "Alerts:" : "预警:");
        gf_doc_table(d, at, al_cols, rows);
    }
    report_release(al);
    gf_doc_raw(d, "<div class=\"cols\"><div>");
    gf_doc_heading(d, "四张清单事项", "List items");
    struct gf_call *it = report_call(d, "items.list", "unit", unit, NULL);
    static const char *const item_cols[] = {"title", "kind_name", "status", "percent", "due",
                                            NULL};
    if (it)
        gf_doc_table(d, it->res.nsec ? it->res.sec[0].t : NULL, item_cols, rows);
    report_release(it);
    gf_doc_raw(d, "</div><div>");
    gf_doc_heading(d, "问题整改", "Problems");
    struct gf_call *pr = report_call(d, "problems.list", "unit", unit, NULL);
    static const char *const prob_cols[] = {"id", "title", "severity", "status", "deadline",
                                            NULL};
    if (pr)
        gf_doc_table(d, pr->res.nsec ? pr->res.sec[0].t : NULL, prob_cols, rows);
    report_release(pr);
    gf_doc_raw(d, "</div></div>\n");
}

/* The unit in the latest saved evaluation of its level for the period: score, rank and its
 * interval, a bar a dimension, its strongest and weakest indicators (by rank among its peers). */
static void eval_parts(struct gf_doc *d, const struct gf_unit *x, const char *period)
{
    static const char *const level_codes[] = {"", "city", "county", "township", "village"};
    const char *level = x->level >= 1 && x->level <= 4 ? level_codes[x->level] : NULL;
    gf_doc_heading(d, "综合评价", "Composite evaluation");
    struct gf_call *runs = report_call(d, "eval.runs", "period", period, "level", level, NULL);
    const struct gf_table *rt = report_section(runs, "runs");
    char id[32] = "", buf[400];
    for (int i = 0; rt && i < gf_table_rows(rt); i++) /* the latest run */
        if (!id[0] || atoll(report_code(rt, i, "id", buf, sizeof buf)) > atoll(id))
            snprintf(id, sizeof id, "%s", report_code(rt, i, "id", buf, sizeof buf));
    report_release(runs);
    if (!id[0]) {
        gf_doc_note(d, d->en ? "(no evaluation of this level saved for the period)"
                             : "(本期该层级尚无保存的综合评价)");
        return;
    }
    struct gf_call *eu = report_call(d, "eval.unit", "id", id, "unit", x->code, NULL);
    const struct gf_table *u = report_section(eu, "unit"), *dims = report_section(eu, "dimensions");
    const struct gf_table *inds = report_section(eu, "indicators");
    if (u && gf_table_rows(u)) {
        char line[512];
        double p05 = report_num(u, 0, "rank_p05"), p95 = report_num(u, 0, "rank_p95");
        char rk[32], fw[96];
        snprintf(rk, sizeof rk, "%s", report_cell(u, 0, "rank", d->en, buf, sizeof buf));
        snprintf(fw, sizeof fw, "%s", report_cell(u, 0, "framework", d->en, buf, sizeof buf));
        if (d->en)
            snprintf(line, sizeof line,
                     "Evaluation run #%s (%s): score %.1f, rank %s; across the sensitivity "
                     "analysis the rank stays between %.0f and %.0f (5–95 %%).",
                     id, fw, report_num(u, 0, "score"), rk, p05, p95);
        else
            snprintf(line, sizeof line,
                     "综合评价(运行 #%s,%s):得分 %.1f,排第 %s 名;敏感性分析中名次在第 %.0f 至 "
                     "%.0f 名之间(5%%–95%% 分位)。",
                     id, fw, report_num(u, 0, "score"), rk, p05, p95);
        gf_doc_para(d, line);
    }
    gf_doc_bars(d, dims, "name", "score", 0, 1);
    if (inds && gf_table_rows(inds)) { /* strengths: best ranks; weaknesses: worst */
        int n = gf_table_rows(inds), order[256], m = 0;
        for (int i = 0; i < n && m < 256; i++)
            if (isfinite(report_num(inds, i, "rank")))
                order[m++] = i;
        for (int a = 1; a < m; a++) /* insertion sort by rank */
            for (int b = a; b > 0 && report_num(inds, order[b], "rank") <
                                         report_num(inds, order[b - 1], "rank");
                 b--) {
                int t = order[b];
                order[b] = order[b - 1];
                order[b - 1] = t;
            }
        char strong[512] = "", weak[512] = "";
        size_t sn = 0, wn = 0;
        for (int k = 0; k < 3 && k < m; k++) {
            int i = order[k], j = order[m - 1 - k];
            if (k >= m - 1 - k)
                break;
            sn += (size_t)snprintf(strong + sn, sizeof strong - sn, "%s%s(%s)", k ? "、" : "",
                                   report_cell(inds, i, "indicator_name", d->en, buf, sizeof buf),
                                   report_cell(inds, i, "rank", d->en, buf + 200, 200));
            wn += (size_t)snprintf(weak + wn, sizeof weak - wn, "%s%s(%s)", k ? "、" : "",
                                   report_cell(inds, j, "indicator_name", d->en, buf, sizeof buf),
                                   report_cell(inds, j, "rank", d->en, buf + 200, 200));
        }
        char line[1200];
        snprintf(line, sizeof line, d->en ? "Strengths (rank among peers): %s.  Weaknesses: %s."
                                          : "优势指标(同级排名):%s。薄弱指标:%s。",
                 strong, weak);
        gf_doc_para(d, line);
    }
    report_release(eu);
}

/* The village's operating collective income of the period with its growth, from its ledger
 * (collective.show), into out ("" when the village keeps none or the reader may not see it). */
static void collective_kpi(struct gf_doc *d, const char *unit, const char *period, char *out,
                           size_t cap)
{
    out[0] = 0;
    struct gf_call *cs = report_call(d, "collective.show", "unit", unit, NULL);
    const struct gf_table *y = report_section(cs, "years");
    char buf[400];
    for (int i = 0; y && i < gf_table_rows(y); i++) {
        if (strcmp(report_code(y, i, "year", buf, sizeof buf), period))
            continue;
        double op = report_num(y, i, "operating_income"), g = report_num(y, i, "growth");
        if (!isfinite(op))
            break;
        if (isfinite(g))
            snprintf(out, cap, d->en ? "%.1f (%+.1f %%)" : "%.1f 万元(%+.1f%%)", op, g);
        else
            snprintf(out, cap, d->en ? "%.1f" : "%.1f 万元", op);
    }
    report_release(cs);
}

/* ---- 兴村报表: one A4 page a village -------------------------------------------------------- */

static int op_village(struct gf_call *c)
{
    const char *unit = gf_arg(c, "unit");
    int rc = gf_need_unit(c, "unit", unit);
    if (rc)
        return rc;
    char pbuf[16];
    const char *period = period_of(c, pbuf, sizeof pbuf);
    const struct gf_unit *x = unit_of(c, unit);
    struct gf_doc d;
    char title[256], sub[512], up[256];
    if ((rc = gf_doc_begin(&d, c, "")))
        return rc;
    snprintf(title, sizeof title, d.en ? "Village report: %s" : "兴村报表 · %s", uname(&d, x));
    ancestry(&d, x, up, sizeof up);
    snprintf(sub, sizeof sub, d.en ? "%s · %s · period %s" : "%s · 代码 %s · %s 年度", up, unit,
             period);
    gf_doc_raw(&d, "<div class=\"page\">");
    page_head(&d, title, sub);
    struct gf_table *ch = indicator_changes(&d, unit, period);
    char pop[32] = "", nval[32], better[32];
    if (x->population >= 0)
        snprintf(pop, sizeof pop, "%lld", (long long)x->population);
    int up_n = 0, with_prev = 0;
    for (int i = 0; i < gf_table_rows(ch); i++)
        if (isfinite(report_num(ch, i, "change"))) {
            with_prev++;
            up_n += report_num(ch, i, "change") > 0;
        }
    snprintf(nval, sizeof nval, "%d", gf_table_rows(ch));
    snprintf(better, sizeof better, "%d / %d", up_n, with_prev);
    char coll[64];
    collective_kpi(&d, unit, period, coll, sizeof coll);
    const char *kl[] = {d.en ? "population" : "户籍人口", d.en ? "indicators reported" : "本期指标数",
                        d.en ? "rising on last period" : "较上期上升",
                        d.en ? "collective operating income (10k yuan)" : "村集体经营性收入"};
    const char *kv[] = {pop, nval, better, coll};
    gf_doc_kpis(&d, kl, kv, coll[0] ? 4 : 3);
    gf_doc_heading(&d, "主要指标(本期与上期)", "Key figures (this period and the last)");
    gf_doc_table(&d, ch, NULL, 14);
    gf_table_free(ch);
    eval_parts(&d, x, period);
    work_parts(&d, unit, period, 4);
    page_foot(&d);
    gf_doc_raw(&d, "</div>");
    if ((rc = gf_doc_finish(&d)))
        return rc;
    gf_result_msg(c, "兴村报表 %s %s", "village report %s %s", unit, period);
    return GF_OK;
}

/* ---- 成绩单: a unit's report card ------------------------------------------------------------ */

static int op_unit(struct gf_call *c)
{
    const char *unit = gf_arg(c, "unit");
    int rc = gf_need_unit(c, "unit", unit);
    if (rc)
        return rc;
    char pbuf[16], lvl[8];
    const char *period = period_of(c, pbuf, sizeof pbuf);
    const struct gf_unit *x = unit_of(c, unit);
    snprintf(lvl, sizeof lvl, "%d", x->level);
    struct gf_doc d;
    char title[256], sub[512], up[256], buf[400];
    if ((rc = gf_doc_begin(&d, c, "")))
        return rc;
    snprintf(title, sizeof title, d.en ? "Report card: %s" : "成绩单 · %s", uname(&d, x));
    ancestry(&d, x, up, sizeof up);
    snprintf(sub, sizeof sub, d.en ? "%s · %s · period %s" : "%s · 代码 %s · %s 年度", up, unit,
             period);
    page_head(&d, title, sub);
    struct gf_call *race = report_call(&d, "race.run", "period", period, "level", lvl, "subject",
                                       "unit", NULL);
    const struct gf_table *rt = report_section(race, "race");
    int r = race_row(rt, unit);
    char rank[64] = "", band[64] = "", score[32] = "", list[64] = "";
    if (r >= 0) {
        snprintf(rank, sizeof rank, "%s / %d", report_cell(rt, r, "rank", d.en, buf, sizeof buf),
                 gf_table_rows(rt));
        snprintf(band, sizeof band, "%.0f – %.0f", report_num(rt, r, "rank_p05"),
                 report_num(rt, r, "rank_p95"));
        snprintf(score, sizeof score, "%.1f", report_num(rt, r, "score"));
        snprintf(list, sizeof list, "%s", report_cell(rt, r, "list", d.en, buf, sizeof buf));
    }
    const char *kl[] = {d.en ? "race rank" : "赛马名次", d.en ? "rank 5–95 %" : "名次区间(5%–95%)",
                        d.en ? "race score" : "赛马得分", d.en ? "red / black list" : "红黑榜"};
    const char *kv[] = {rank, band, score, list};
    gf_doc_kpis(&d, kl, kv, 4);
    if (r >= 0) {
        char line[512], rk[32];
        snprintf(rk, sizeof rk, "%s", report_cell(rt, r, "rank", 1, buf, sizeof buf));
        if (d.en)
            snprintf(line, sizeof line,
                     "%s ranks %s of %d in the race with %.1f points (rank %.0f–%.0f across the "
                     "resamples).",
                     uname(&d, x), rk, gf_table_rows(rt), report_num(rt, r, "score"),
                     report_num(rt, r, "rank_p05"), report_num(rt, r, "rank_p95"));
        else
            snprintf(line, sizeof line,
                     "%s在 %d 个参赛单位中排第 %s 名,赛马得分 %.1f(重抽样名次区间 %.0f–%.0f)。",
                     uname(&d, x), gf_table_rows(rt), rk, report_num(rt, r, "score"),
                     report_num(rt, r, "rank_p05"), report_num(rt, r, "rank_p95"));
        gf_doc_para(&d, line);
        gf_doc_heading(&d, "得分构成与原因", "Score components and reasons");
        static const char *const comp[] = {"eval",  "improvement", "milestones", "items",
                                           "investment", "funds", "problems", NULL};
        struct gf_table *one = gf_table_new((const struct gf_column[]){{"part", "构成", "part"},
                                                                       {"score", "得分", "score"}},
                                            2);
        for (int k = 0; comp[k]; k++) {
            gf_table_row(one);
            const struct gf_column *col = gf_table_col(rt, gf_table_col_index(rt, comp[k]));
            gf_table_text(one, 0, col ? (d.en ? col->label_en : col->label_zh) : comp[k]);
            gf_table_num(one, 1, report_num(rt, r, comp[k]), 1);
        }
        gf_doc_bars(&d, one, "part", "score", 0, 1);
        gf_table_free(one);
        gf_doc_para(&d, report_cell(rt, r, "reasons", d.en, buf, sizeof buf));
    }
    report_release(race);
    eval_parts(&d, x, period);
    gf_doc_heading(&d, "2025 年目标实现情况", "Against the 2025 targets");
    struct gf_call *tg = report_call(&d, "eval.targets", "unit", unit, "period", period, NULL);
    static const char *const tg_cols[] = {"indicator_name", "value", "target", "attainment",
                                          "status", "needed_growth", "recent_growth", NULL};
    if (tg)
        gf_doc_table(&d, report_section(tg, "targets"), tg_cols, 20);
    report_release(tg);
    work_parts(&d, unit, period, 8);
    page_foot(&d);
    if ((rc = gf_doc_finish(&d)))
        return rc;
    gf_result_msg(c, "成绩单 %s %s", "report card %s %s", unit, period);
    return GF_OK;
}

/* ---- the red and black lists as a poster (亮晒) ---------------------------------------------- */

static void poster_list(struct gf_doc *d, const struct gf_table *t, const char *which,
                        const char *zh, const char *en)
{
    static const struct gf_column cols[] = {{"rank", "名次", "rank"},
                                            {"name", "单位", "unit"},
                                            {"score", "得分", "score"},
                                            {"reasons", "主要原因", "reasons"}};
    struct gf_table *o = gf_table_new(cols, 4);
    char buf[400];
    for (int i = 0; t && i < gf_table_rows(t); i++) {
        if (strcmp(report_code(t, i, "list", buf, sizeof buf), which))
            continue;
        gf_table_row(o);
        gf_table_text(o, 0, report_cell(t, i, "rank", 0, buf, sizeof buf));
        gf_table_text(o, 1, report_cell(t, i, "name", d->en, buf, sizeof buf));
        gf_table_num(o, 2, report_num(t, i, "score"), 1);
        gf_table_text(o, 3, report_cell(t, i, "reasons", d->en, buf, sizeof buf));
    }
    gf_doc_raw(d, !strcmp(which, "red") ? "<div class=\"red\">" : "<div>");
    gf_doc_heading(d, zh, en);
    gf_doc_raw(d, "</div>");
    gf_doc_table(d, o, NULL, 0);
    gf_table_free(o);
}

static int op_race(struct gf_call *c)
{
    char pbuf[16];
    const char *period = period_of(c, pbuf, sizeof pbuf);
    struct gf_doc d;
    int rc = gf_doc_begin(&d, c, "");
    if (rc)
        return rc;
    /* the published race of the period when there is one, else today's (marked a preview) */
    const char *level = gf_arg(c, "level");
    struct gf_call *pubs = level ? NULL
                                 : report_call(&d, "publications.list", "kind", "race", "period",
                                               period, NULL);
    const struct gf_table *pl = report_section(pubs, "publications");
    char id[32] = "", buf[400], when[64] = "";
    if (pl && gf_table_rows(pl)) {
        snprintf(id, sizeof id, "%s", report_code(pl, 0, "id", buf, sizeof buf));
        snprintf(when, sizeof when, "%.10s", report_code(pl, 0, "published_at", buf, sizeof buf));
    }
    report_release(pubs);
    struct gf_call *race = id[0] ? report_call(&d, "publications.show", "id", id, NULL)
                                 : report_call(&d, "race.run", "period", period, "level", level,
                                               "subject", "unit", NULL);
    const struct gf_table *rt = report_section(race, "race");
    char title[256], sub[256];
    snprintf(title, sizeof title, d.en ? "Horse race %s: red and black lists" : "赛马争先 %s 红黑榜",
             period);
    if (id[0])
        snprintf(sub, sizeof sub, d.en ? "published %s (publication #%s)" : "%s 发布(发布编号 #%s)",
                 when, id);
    else
        snprintf(sub, sizeof sub, "%s",
                 d.en ? "preview: not published yet" : "预览:尚未发布");
    gf_doc_raw(&d, "<div class=\"poster\">");
    page_head(&d, title, sub);
    poster_list(&d, rt, "red", "红榜", "Red list");
    poster_list(&d, rt, "black", "黑榜", "Black list");
    poster_list(&d, rt, "uncertain", "待定(名次不确定)", "Uncertain");
    gf_doc_heading(&d, "全部名次", "All ranks");
    gf_doc_bars(&d, rt, "name", "score", 40, 1);
    if (race && race->res.msg_zh)
        gf_doc_note(&d, d.en ? race->res.msg_en : race->res.msg_zh);
    report_release(race);
    page_foot(&d);
    gf_doc_raw(&d, "</div>");
    if ((rc = gf_doc_finish(&d)))
        return rc;
    gf_result_msg(c, "红黑榜海报 %s", "race poster %s", period);
    return GF_OK;
}

/* ---- the quarterly report of the zone ------------------------------------------------------- */

static int op_quarterly(struct gf_call *c)
{
    char pbuf[16];
    const char *period = period_of(c, pbuf, sizeof pbuf);
    struct gf_doc d;
    int rc = gf_doc_begin(&d, c, "");
    if (rc)
        return rc;
    const char *scope = c->cx->actor.scope[0] ? c->cx->actor.scope : NULL;
    const struct gf_units *u = gf_ctx_units(c->cx, &c->err);
    const struct gf_unit *zone = scope ? unit_of(c, scope) : u && u->n ? &u->unit[0] : NULL;
    char title[256], sub[256], buf[400];
    snprintf(title, sizeof title, d.en ? "%s: common-prosperity pilot zone report, %s"
                                       : "%s共同富裕示范区建设情况报告(%s)",
             zone ? uname(&d, zone) : "", period);
    snprintf(sub, sizeof sub, "%s",
             d.en ? "targets · evaluation · horse race · the four lists · low-income monitoring"
                  : "目标进展 · 综合评价 · 赛马争先 · 四张清单 · 低收入人口监测");
    page_head(&d, title, sub);

    /* the summary a person would write from the numbers */
    struct gf_call *race = report_call(&d, "race.run", "period", period, "subject", "unit", NULL);
    const struct gf_table *rt = report_section(race, "race");
    int best = -1, worst = -1, gain = -1;
    for (int i = 0; rt && i < gf_table_rows(rt); i++) {
        double s = report_num(rt, i, "score"), g = report_num(rt, i, "rank_change");
        if (best < 0 || s > report_num(rt, best, "score"))
            best = i;
        if (worst < 0 || s < report_num(rt, worst, "score"))
            worst = i;
        if (isfinite(g) && (gain < 0 || g > report_num(rt, gain, "rank_change")))
            gain = i;
    }
    gf_doc_heading(&d, "总体情况", "Summary");
    if (best >= 0) {
        char s1[1024];
        char bname[128], wname[128];
        snprintf(bname, sizeof bname, "%s", report_cell(rt, best, "name", d.en, buf, sizeof buf));
        snprintf(wname, sizeof wname, "%s", report_cell(rt, worst, "name", d.en, buf, sizeof buf));
        snprintf(s1, sizeof s1,
                 d.en ? "%d units raced in %s. %s leads with %.1f points; %s is last with %.1f."
                      : "%2$s 共 %1$d 个单位参加赛马。%3$s 以 %4$.1f 分居首,%5$s 以 %6$.1f 分居末位。",
                 gf_table_rows(rt), period, bname, report_num(rt, best, "score"), wname,
                 report_num(rt, worst, "score"));
        gf_doc_para(&d, s1);
        if (gain >= 0 && report_num(rt, gain, "rank_change") > 0) {
            snprintf(s1, sizeof s1,
                     d.en ? "Largest gain: %s, up %.0f places." : "进步最大:%s,名次上升 %.0f 位。",
                     report_cell(rt, gain, "name", d.en, buf, sizeof buf),
                     report_num(rt, gain, "rank_change"));
            gf_doc_para(&d, s1);
        }
    }
    struct gf_call *ov = report_call(&d, "eval.overview", "period", period, NULL);
    const struct gf_table *sum = report_section(ov, "summary");
    if (sum && gf_table_rows(sum)) {
        char s2[1024];
        snprintf(s2, sizeof s2,
                 d.en ? "Of %.0f indicators with a 2025 target, %.0f are met, %.0f on track, %.0f "
                        "at risk and %.0f off track."
                      : "有 2025 年目标的 %.0f 项指标中,已达标 %.0f 项,进度正常 %.0f 项,有风险 %.0f "
                        "项,滞后 %.0f 项。",
                 report_num(sum, 0, "indicators"), report_num(sum, 0, "met"),
                 report_num(sum, 0, "on_track"), report_num(sum, 0, "at_risk"),
                 report_num(sum, 0, "off_track"));
        gf_doc_para(&d, s2);
    }
    const struct gf_table *gaps = report_section(ov, "gaps");
    if (gaps && gf_table_rows(gaps)) {
        char s3[1024], g[600] = "";
        size_t gn = 0;
        for (int i = 0; i < gf_table_rows(gaps) && i < 3; i++)
            gn += (size_t)snprintf(g + gn, sizeof g - gn, "%s%s(%s%%)", i ? "、" : "",
                                   report_cell(gaps, i, "indicator_name", d.en, buf, sizeof buf),
                                   report_cell(gaps, i, "attainment", d.en, buf + 200, 200));
        snprintf(s3, sizeof s3, d.en ? "Largest gaps: %s." : "差距最大的指标:%s。", g);
        gf_doc_para(&d, s3);
    }
    gf_doc_heading(&d, "2025 年目标进展", "Progress against the 2025 targets");
    static const char *const tg_cols[] = {"indicator_name", "value", "target", "attainment",
                                          "status", "needed_growth", "recent_growth", NULL};
    if (ov)
        gf_doc_table(&d, report_section(ov, "indicators"), tg_cols, 30);
    report_release(ov);
    gf_doc_heading(&d, "赛马争先", "Horse race");
    static const char *const rc_cols[] = {"rank", "name", "score", "rank_change", "rank_p05",
                                          "rank_p95", "list", "award", NULL};
    gf_doc_table(&d, rt, rc_cols, 0);
    gf_doc_bars(&d, rt, "name", "score", 20, 1);
    report_release(race);
    gf_doc_heading(&d, "逾期与停滞事项", "Overdue and stalled items");
    struct gf_call *fl = report_call(&d, "items.flags", NULL);
    static const char *const flag_cols[] = {"flag", "title", "subject", "date", "days", NULL};
    if (fl)
        gf_doc_table(&d, report_section(fl, "flags"), flag_cols, 15);
    report_release(fl);
    gf_doc_heading(&d, "逾期未整改问题", "Overdue problems");
    struct gf_call *pr = report_call(&d, "problems.list", "overdue", "1", NULL);
    static const char *const prob_cols[] = {"id", "unit", "title", "severity", "deadline",
                                            "status", NULL};
    if (pr)
        gf_doc_table(&d, report_section(pr, "problems"), prob_cols, 15);
    report_release(pr);
    gf_doc_heading(&d, "低收入人口监测", "Low-income monitoring");
    struct gf_call *cov = report_call(&d, "households.coverage", "period", period, NULL);
    static const char *const cov_cols[] = {"name", "flagged", "identified", "paired", "paired_pct",
                                           "visited90_pct", "eliminated", "returned", NULL};
    if (cov)
        gf_doc_table(&d, report_section(cov, "coverage"), cov_cols, 20);
    report_release(cov);
    page_foot(&d);
    if ((rc = gf_doc_finish(&d)))
        return rc;
    gf_result_msg(c, "季度报告 %s", "quarterly report %s", period);
    return GF_OK;
}

#define REPORT_OUT                                                                                 \
    {"html", GF_PT_TEXT, GF_PF_CLI, NULL, "写入 HTML 文件", "write the HTML to this file"},        \
        {"pdf", GF_PT_TEXT, GF_PF_CLI, NULL, "打印为 PDF 文件(需 chromium)",                     \
         "print to this PDF file (needs chromium)"}

static const struct gf_param p_unit[] = {
    {"unit", GF_PT_CODE, GF_PF_REQUIRED, NULL, "单位代码", "unit code"},
    {"period", GF_PT_PERIOD, 0, NULL, "期别(默认最近的已审核年度)",
     "period (default: the latest approved year)"},
    REPORT_OUT,
    {NULL}};
static const struct gf_param p_zone[] = {
    {"period", GF_PT_PERIOD, 0, NULL, "期别(默认最近的已审核年度)",
     "period (default: the latest approved year)"},
    {"level", GF_PT_INT, 0, NULL, "参赛单位层级(默认 2;给出时显示当前结果而非已发布的)",
     "level of the racing units (default 2; given: today's result, not the published one)"},
    REPORT_OUT,
    {NULL}};

const struct gf_op gf_ops_reports[] = {
    {"report.village", GF_OP_READ, "GET", "/api/reports/village", GF_PERM_EVAL_READ, 0, p_unit,
     op_village, "兴村报表:一个村一页 A4", "village report: one A4 page a village"},
    {"report.unit", GF_OP_READ, "GET", "/api/reports/unit", GF_PERM_EVAL_READ, 0, p_unit, op_unit,
     "成绩单:单位的得分、名次区间、目标、事项、问题与监测",
     "report card: a unit's scores, rank interval, targets, items, problems, monitoring"},
    {"report.quarterly", GF_OP_READ, "GET", "/api/reports/quarterly", GF_PERM_EVAL_READ, 0, p_zone,
     op_quarterly, "向上级报送的季度报告", "the zone's quarterly report to the province"},
    {"report.race", GF_OP_READ, "GET", "/api/reports/race", GF_PERM_PUBLIC, 0, p_zone, op_race,
     "红黑榜海报(亮晒)", "the red and black lists as a poster"},
    {NULL},
};
