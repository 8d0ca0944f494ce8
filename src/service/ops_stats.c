/* ops_stats.c — income distribution measures of the stored household microdata (收入分配):
 * `gongfu stats --db`, /api/distribution.
 *
 * Computing and saving them as indicator values works on the microdata themselves and needs the
 * microdata permission; reading the measures (aggregates only, never a household) needs
 * eval.read and shows the units of the actor's scope.  `gongfu stats FILE.csv` reads a file, not
 * the database, and stays a command-line tool (cmd_stats.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/income.h"
#include "domain/stats.h"
#include "service/service.h"
#include "util/csvscan.h"

/* The lines, bands and threads of the call (NULL arrays: the defaults). */
struct params {
    double lines[GF_STATS_MAXPARAM], lo[GF_STATS_MAXPARAM], hi[GF_STATS_MAXPARAM];
    struct gf_income_params p;
};

static int take_params(struct gf_call *c, struct params *q)
{
    memset(q, 0, sizeof *q);
    int n, rc = GF_OK;
    const char **v = gf_arg_list(c, "line", &n);
    if (n > GF_STATS_MAXPARAM)
        rc = gf_err_at(&c->err, NULL, 0, "line", v[GF_STATS_MAXPARAM], "at most %d lines",
                       GF_STATS_MAXPARAM);
    for (int k = 0; k < n && rc == GF_OK; k++) {
        double z = NAN;
        if (gf_csvscan_double(v[k], strlen(v[k]), &z) || !(z > 0) || !isfinite(z))
            rc = gf_err_at(&c->err, NULL, 0, "line", v[k], "a number > 0");
        q->lines[k] = z;
    }
    free(v);
    if (rc)
        return rc;
    q->p.lines = n ? q->lines : NULL;
    q->p.nlines = n;
    v = gf_arg_list(c, "band", &n);
    if (n > GF_STATS_MAXPARAM)
        rc = gf_err_at(&c->err, NULL, 0, "band", v[GF_STATS_MAXPARAM], "at most %d bands",
                       GF_STATS_MAXPARAM);
    for (int k = 0; k < n && rc == GF_OK; k++) {
        const char *s = v[k], *dash = strchr(s + (s[0] == '-'), '-');
        double lo, hi;
        if (!dash || gf_csvscan_double(s, (size_t)(dash - s), &lo) ||
            gf_csvscan_double(dash + 1, strlen(dash + 1), &hi) || !isfinite(lo) || !isfinite(hi) ||
            lo > hi)
            rc = gf_err_at(&c->err, NULL, 0, "band", s, "LOW-HIGH, e.g. 100000-500000");
        else {
            q->lo[k] = lo;
            q->hi[k] = hi;
        }
    }
    free(v);
    if (rc)
        return rc;
    q->p.band_lo = n ? q->lo : NULL;
    q->p.band_hi = n ? q->hi : NULL;
    q->p.nbands = n;
    if (gf_arg(c, "threads")) {
        long long t = gf_arg_int(c, "threads", 0);
        if (t < 1 || t > 16)
            return gf_err_at(&c->err, NULL, 0, "threads", gf_arg(c, "threads"), "1 to 16");
        q->p.nthreads = (int)t;
    }
    return GF_OK;
}

static void progress(struct gf_call *c, double done, const char *what)
{
    if (c->progress)
        c->progress(c->progress_ctx, done, what);
}

/* gongfu stats --db: every measure of every unit from the stored microdata of the period, saved
 * as computed indicator values (one transaction, one audit record). */
static int op_compute(struct gf_call *c)
{
    struct params q;
    int rc = take_params(c, &q);
    if (rc)
        return rc;
    struct gf_income_run run;
    progress(c, 0, "computing");
    if ((rc = gf_income_compute(c->cx->db, gf_arg(c, "period"), &q.p, &run, &c->err)))
        return rc;
    progress(c, 0.7, "saving");
    struct gf_income_save_stats ss;
    rc = gf_income_save(c->cx->db, c->cx->actor.name, &run, NULL, &ss, &c->err);
    if (rc == GF_OK) {
        gf_result_table(c, "distribution", "收入分配", "distribution",
                        gf_stats_income_table(&run));
        gf_result_note(c,
                       GF_L(c->cx,
                            "期别 %s: %ld 户; 保存计算值 %ld 个, 未变 %ld, 删除 %ld, 保留已报真实值 %ld",
                            "period %s: %ld households; computed values written %ld, unchanged "
                            "%ld, removed %ld, real reported values kept %ld"),
                       run.period, run.rows, ss.written, ss.unchanged, ss.removed, ss.kept);
    }
    gf_income_run_free(&run);
    return rc;
}

/* The measures of the units in view (the call's unit and those under it, or the actor's scope),
 * computed from the stored microdata without saving anything, and the Lorenz curve of the first
 * (the unit asked for, or the top of the scope) from its decile shares. */
static int op_results(struct gf_call *c)
{
    struct params q;
    const char *unit;
    int rc = take_params(c, &q);
    if (rc || (rc = gf_scope_filter(c, "unit", gf_arg(c, "unit"), &unit)))
        return rc;
    char period[32];
    if (gf_arg(c, "period"))
        snprintf(period, sizeof period, "%s", gf_arg(c, "period"));
    else
        gf_income_latest_period(c->cx->db, period, sizeof period);
    if (!period[0] || !gf_db_int_text(c->cx->db,
                                      "SELECT EXISTS (SELECT 1 FROM income_microdata"
                                      " WHERE period = ?)",
                                      period)) {
        /* nothing to measure: the columns, no rows, and why */
        double line = 10000, lo = 100000, hi = 500000;
        struct gf_stats_columns sc = {q.p.nlines ? q.lines : &line, q.p.nlines ? q.p.nlines : 1,
                                      q.p.nbands ? q.lo : &lo,      q.p.nbands ? q.hi : &hi,
                                      q.p.nbands ? q.p.nbands : 1,  1,
                                      0};
        gf_result_table(c, "distribution", "收入分配", "distribution", gf_stats_table_new(&sc));
        gf_result_msg(c, "%s 没有住户收入微观数据(gongfu import households)",
                      "no household income microdata for %s (gongfu import households)",
                      period[0] ? period : "any period");
        return GF_OK;
    }
    struct gf_income_run run;
    if ((rc = gf_income_compute(c->cx->db, period, &q.p, &run, &c->err)))
        return rc;
    int top = unit ? gf_units_find(&run.units, unit) : -1;
    struct gf_table *t = gf_stats_income_table_under(&run, top);
    gf_result_table(c, "distribution", "收入分配", "distribution", t);
    /* the Lorenz curve of the first unit shown: cumulative decile shares */
    static const struct gf_column lcols[] = {{"unit", "单位", "unit"},
                                             {"p", "人口累计比例", "population share"},
                                             {"l", "收入累计比例", "income share"}};
    struct gf_table *lz = gf_table_new(lcols, 3);
    int first = -1;
    for (int i = 0; i < run.units.n && first < 0; i++) /* depth first: the top comes first */
        if (run.res.unit[i].n > 0 && (top < 0 || gf_units_within(&run.units, i, top)))
            first = i;
    if (first >= 0) {
        const struct gf_dist_stats *s = &run.res.unit[first];
        double cum = 0;
        for (int k = 0; k <= 10; k++) {
            if (k)
                cum += s->decile_share[k - 1];
            gf_table_row(lz);
            gf_table_text(lz, 0, run.units.unit[first].code);
            gf_table_num(lz, 1, k / 10.0, 1);
            gf_table_num(lz, 2, k == 10 ? 1 : cum, 4);
        }
    }
    gf_result_table(c, "lorenz", "洛伦兹曲线", "Lorenz curve", lz);
    gf_result_msg(c, "收入分配 %s(%ld 户住户微观数据)", "income distribution %s (%ld households)",
                  run.period, run.rows);
    gf_income_run_free(&run);
    return GF_OK;
}

#define STATS_PARAMS                                                                               \
    {"period", GF_PT_PERIOD, 0, NULL, "期别(默认最新)", "period (default: the newest)"},          \
        {"line", GF_PT_NUM, GF_PF_MULTI, NULL, "低收入线(严格低于),默认 10000",                  \
         "low-income line (strictly below), default 10000"},                                       \
        {"band", GF_PT_TEXT, GF_PF_MULTI, NULL, "中等收入区间 低-高(人均×3),默认 100000-500000",  \
         "middle-income band LOW-HIGH (per capita × 3), default 100000-500000"},                   \
        {"threads", GF_PT_INT, 0, NULL, "线程数 1-16(默认每核一个)",                             \
         "threads 1-16 (default: one per core)"}

static const struct gf_param p_compute[] = {STATS_PARAMS, {NULL}};
static const struct gf_param p_results[] = {
    STATS_PARAMS,
    {"unit", GF_PT_CODE, 0, NULL, "单位及其下级(默认本人范围)",
     "the unit and those under it (default: the user's scope)"},
    {NULL}};

const struct gf_op gf_ops_stats[] = {
    {"stats.compute", GF_OP_JOB, "POST", "/api/distribution", GF_PERM_MICRODATA, 0, p_compute,
     op_compute, "由住户收入微观数据测算各单位收入分配指标并保存为计算值",
     "compute every unit's distribution measures from the household microdata and save them"},
    {"stats.results", GF_OP_READ, "GET", "/api/distribution", GF_PERM_EVAL_READ, 0, p_results,
     op_results, "各单位收入分配指标(基尼、泰尔、十分位、洛伦兹曲线)",
     "distribution measures per unit (Gini, Theil, deciles, Lorenz curve)"},
    {NULL},
};
