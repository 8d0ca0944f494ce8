/* ops_eval.c — composite evaluation (综合评价): `gongfu eval …`, /api/evaluations, /api/targets,
 * /api/overview.
 *
 * Running an evaluation (computing it, and saving it as a run) needs eval.run: it ranks every
 * unit of a level.  Reading saved runs, targets and the overview needs eval.read and shows the
 * units in the actor's scope only: a ranking lists the units of the scope with the ranks they
 * hold among all units of the level; a unit outside the scope is refused (403). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/evaluation.h"
#include "service/service.h"
#include "util/input.h"

#define MAX_PIPELINE_BYTES (1u << 20)

/* the levels of unit_level (store/schema.c), as ops_units.c shows them */
static const struct gf_code_label level_labels[] = {{"city", "市", "city"},
                                                    {"county", "县(区)", "county"},
                                                    {"township", "乡镇(街道)", "township"},
                                                    {"village", "村(社区)", "village"},
                                                    {NULL}};
static const char *const level_codes[] = {"city", "county", "township", "village",
                                          "1",    "2",      "3",        "4",       NULL};
static const struct gf_code_label track_labels[] = {{"on_track", "进度正常", "on track"},
                                                    {"at_risk", "有风险", "at risk"},
                                                    {"off_track", "滞后", "off track"},
                                                    {"met", "已达标", "met"},
                                                    {NULL}};

/* "county" or "2" → 2; 0 when absent. */
static int level_of(const char *s)
{
    for (int k = 0; s && level_codes[k]; k++)
        if (!strcmp(s, level_codes[k]))
            return k % 4 + 1;
    return 0;
}

static const char *level_code(int level)
{
    return level >= 1 && level <= 4 ? level_labels[level - 1].code : NULL;
}

/* A note of evaluation.c (stored in English) in Chinese. */
static const char *note_zh(const char *note, char *buf, size_t cap)
{
    int a, b;
    if (!note)
        return note;
    if (sscanf(note, "target set for level %d, not for level %d", &a, &b) == 2)
        snprintf(buf, cap, "目标为第%d级单位设定,不适用于第%d级(体系未给出下延规则)", a, b);
    else if (!strcmp(note, "no value at this level for the period"))
        snprintf(buf, cap, "本期该层级无数据");
    else
        return note;
    return buf;
}

/* The same in the context's language. */
static const char *note_text(struct gf_call *c, const char *note, char *buf, size_t cap)
{
    return GF_L(c->cx, note_zh(note, buf, cap), note);
}

static void progress(struct gf_call *c, double done, const char *what)
{
    if (c->progress)
        c->progress(c->progress_ctx, done, what);
}

/* ---- running an evaluation ------------------------------------------------------------------ */

/* The columns of the ranking: the dimensions (children of the index) of every level evaluated,
 * each once, in the order met. */
struct dims {
    const char *code[48], *zh[48], *en[48];
    int n;
};

static void collect_dims(struct dims *d, const struct gf_evaluation *ev)
{
    const struct gf_eval_result *r = &ev->res;
    for (size_t nd = ev->m; nd < ev->nnode; nd++) {
        if (nd == r->root || ev->node[nd].parent != (int)r->root)
            continue;
        int seen = 0;
        for (int k = 0; k < d->n; k++)
            seen |= !strcmp(d->code[k], ev->node_code[nd]);
        if (!seen && d->n < 48) {
            d->code[d->n] = ev->node_code[nd];
            d->zh[d->n] = ev->node_name[nd];
            d->en[d->n++] = ev->node_name_en[nd];
        }
    }
}

static struct gf_table *ranking_table(const struct dims *d, int sens)
{
    struct gf_column cols[72];
    int c = 0;
    cols[c++] = (struct gf_column){"level", "层级", "level", level_labels};
    cols[c++] = (struct gf_column){"rank", "排名", "rank"};
    cols[c++] = (struct gf_column){"unit", "代码", "code"};
    cols[c++] = (struct gf_column){"name", "单位", "unit"};
    cols[c++] = (struct gf_column){"score", "综合得分", "score"};
    cols[c++] = (struct gf_column){"rank_change", "较上年", "change"};
    for (int k = 0; k < d->n; k++)
        cols[c++] = (struct gf_column){d->code[k], d->zh[k], d->en[k]};
    cols[c++] = (struct gf_column){"on_track", "达标或进度正常", "targets on track"};
    cols[c++] = (struct gf_column){"at_risk", "有风险", "at risk"};
    cols[c++] = (struct gf_column){"off_track", "滞后", "off track"};
    if (sens) {
        cols[c++] = (struct gf_column){"rank_median", "排名中位数", "median rank"};
        cols[c++] = (struct gf_column){"rank_p05", "排名5%分位", "rank p05"};
        cols[c++] = (struct gf_column){"rank_p95", "排名95%分位", "rank p95"};
        cols[c++] = (struct gf_column){"rank_shift", "平均排名变动", "mean rank shift"};
    }
    cols[c++] = (struct gf_column){"strengths", "优势指标", "strengths"};
    cols[c++] = (struct gf_column){"weaknesses", "薄弱指标", "weaknesses"};
    return gf_table_new(cols, c);
}

/* for by_rank: qsort has no context argument; thread-local, as the server's threads and jobs
 * evaluate at the same time */
static _Thread_local const struct gf_evaluation *sort_ev;

static int by_rank(const void *a, const void *b)
{
    const struct gf_eval_result *r = &sort_ev->res;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int rx = r->rank[x * r->nnode + r->root], ry = r->rank[y * r->nnode + r->root];
    return rx != ry ? (rx > ry) - (rx < ry) : (x > y) - (x < y);
}

/* The ranked units of ev, best first (ties in unit order). */
static void ranking_rows(struct gf_table *t, const struct dims *d, const struct gf_evaluation *ev,
                         struct gf_call *c)
{
    const struct gf_eval_result *r = &ev->res;
    size_t *order = malloc(sizeof *order * (r->n ? r->n : 1));
    if (!order)
        return;
    for (size_t k = 0; k < r->n; k++)
        order[k] = k;
    sort_ev = ev;
    qsort(order, r->n, sizeof *order, by_rank);
    for (size_t q = 0; q < r->n; q++) {
        size_t k = order[q], i = r->rowmap[k];
        int col = 0;
        gf_table_row(t);
        gf_table_text(t, col++, level_code(ev->level));
        gf_table_int(t, col++, r->rank[k * r->nnode + r->root]);
        gf_table_text(t, col++, ev->unit_code[i]);
        gf_table_text(t, col++, GF_L(c->cx, ev->unit_name[i], ev->unit_name_en[i]));
        gf_table_num(t, col++, r->score[k * r->nnode + r->root], 2);
        if (ev->rank_prev[i] > 0)
            gf_table_int(t, col, ev->rank_prev[i] - r->rank[k * r->nnode + r->root]);
        col++;
        for (int x = 0; x < d->n; x++, col++)
            for (size_t nd = ev->m; nd < ev->nnode; nd++)
                if (nd != r->root && ev->node[nd].parent == (int)r->root &&
                    !strcmp(ev->node_code[nd], d->code[x]))
                    gf_table_num(t, col, r->score[k * r->nnode + nd], 1);
        int cnt[4] = {0, 0, 0, 0};
        for (size_t j = 0; j < ev->m; j++) {
            int tr = ev->track[i * ev->m + j];
            if (tr >= 0 && tr < 4)
                cnt[tr]++;
        }
        gf_table_int(t, col++, cnt[GF_TRACK_ON] + cnt[GF_TRACK_MET]);
        gf_table_int(t, col++, cnt[GF_TRACK_RISK]);
        gf_table_int(t, col++, cnt[GF_TRACK_OFF]);
        if (r->sens) {
            const struct gf_eval_sens *s = &r->sens[k];
            gf_table_num(t, col++, s->median, -1);
            gf_table_num(t, col++, s->p05, -1);
            gf_table_num(t, col++, s->p95, -1);
            gf_table_num(t, col++, s->mean_shift, 2);
        }
        char best[512] = "", worst[512] = "";
        for (int s = 0; s < r->k; s++) {
            int b = r->best[k * (size_t)r->k + (size_t)s], w = r->worst[k * (size_t)r->k + (size_t)s];
            if (b >= 0)
                snprintf(best + strlen(best), sizeof best - strlen(best), "%s%s", best[0] ? ";" : "",
                         ev->node_code[b]);
            if (w >= 0)
                snprintf(worst + strlen(worst), sizeof worst - strlen(worst), "%s%s",
                         worst[0] ? ";" : "", ev->node_code[w]);
        }
        gf_table_text(t, col++, best);
        gf_table_text(t, col++, worst);
    }
    free(order);
}

static struct gf_table *attainment_table(void)
{
    static const struct gf_column cols[] = {
        {"level", "层级", "level", level_labels},
        {"unit", "单位", "unit"},
        {"indicator", "指标", "indicator"},
        {"value", "现值", "value"},
        {"target", "目标值", "target"},
        {"attainment", "实现程度%", "attained %"},
        {"status", "按期达标", "on track?", track_labels},
        {"note", "说明", "note"},
    };
    return gf_table_new(cols, 8);
}

/* One row per unit and indicator: value, target, attainment, status and why it is empty; then
 * the indicators left out, with the reason. */
static void attainment_rows(struct gf_call *c, struct gf_table *t, const struct gf_evaluation *ev)
{
    const struct gf_eval_result *r = &ev->res;
    char buf[256];
    for (size_t k = 0; k < r->n; k++) {
        size_t i = r->rowmap[k];
        for (size_t j = 0; j < ev->m; j++) {
            double a = r->attain ? r->attain[k * r->m + j] : NAN;
            int tr = ev->track[i * ev->m + j];
            gf_table_row(t);
            gf_table_text(t, 0, level_code(ev->level));
            gf_table_text(t, 1, ev->unit_code[i]);
            gf_table_text(t, 2, ev->node_code[j]);
            gf_table_num(t, 3, ev->x[i * ev->m + j], -1);
            gf_table_num(t, 4, isnan(ev->ind[j].target) ? NAN : ev->target[j], -1);
            gf_table_num(t, 5, isnan(a) ? NAN : 100 * a, 1);
            gf_table_text(t, 6, tr >= 0 ? gf_eval_track_name((enum gf_eval_track)tr) : NULL);
            gf_table_text(t, 7, note_text(c, ev->target_note[j], buf, sizeof buf));
        }
    }
    for (size_t d = 0; d < ev->ndropped; d++) {
        gf_table_row(t);
        gf_table_text(t, 0, level_code(ev->level));
        gf_table_text(t, 2, ev->dropped[d]);
        gf_table_text(t, 7, note_text(c, ev->dropped_note[d], buf, sizeof buf));
    }
}

/* What was evaluated, how, what was saved and what was left out: the result's sentence. */
static void describe(FILE *zh, FILE *en, const struct gf_evaluation *ev,
                     long long run)
{
    const struct gf_code_label *lv = &level_labels[ev->level - 1];
    const char *pipe = ev->pipeline.name[0] ? ev->pipeline.name : "custom";
    fprintf(zh, "综合评价 · 体系 %s · %s 年 · %s · 管线 %s", ev->framework, ev->period, lv->zh, pipe);
    fprintf(en, "Evaluation · framework %s · %s · %s · pipeline %s", ev->framework, ev->period,
            lv->en, pipe);
    if (ev->res.sens) {
        fprintf(zh, " · 敏感性 %d 次抽样(种子 %llu)", ev->pipeline.mc.draws,
                (unsigned long long)ev->pipeline.mc.seed);
        fprintf(en, " · sensitivity %d draws (seed %llu)", ev->pipeline.mc.draws,
                (unsigned long long)ev->pipeline.mc.seed);
    }
    if (run) {
        fprintf(zh, "\n已保存为评价运行 #%lld", run);
        fprintf(en, "\nsaved as evaluation run #%lld", run);
    }
    if (ev->res.n < ev->n) {
        fprintf(zh, "\n(%zu 个单位因数据不足未参与排名)", ev->n - ev->res.n);
        fprintf(en, "\n(%zu units screened out for lack of data)", ev->n - ev->res.n);
    }
    size_t nodata = 0;
    for (size_t d = 0; d < ev->ndropped; d++) {
        char buf[256];
        if (!strcmp(ev->dropped_note[d], "no value at this level for the period")) {
            nodata++;
            continue;
        }
        fprintf(zh, "\n(指标 %s 未参与评价:%s)", ev->dropped[d],
                note_zh(ev->dropped_note[d], buf, sizeof buf));
        fprintf(en, "\n(indicator %s left out: %s)", ev->dropped[d], ev->dropped_note[d]);
    }
    if (nodata) {
        fprintf(zh, "\n(%zu 个指标本期在该层级无数据,未参与评价)", nodata);
        fprintf(en, "\n(%zu indicators have no value at this level for the period: left out)",
                nodata);
    }
}

/* Evaluate the levels of the call (both county and village when none is named), save them as
 * runs when save (one transaction: every level's run, or none), and return the ranking (or,
 * with show attainment, every unit's attainment of every indicator's target). */
static int run_eval(struct gf_call *c, int save)
{
    struct gf_evaluation_opts o = {0};
    o.framework = gf_arg(c, "framework");
    o.period = gf_arg(c, "period");
    const char *pipeline = gf_arg(c, "pipeline"), *show = gf_arg(c, "show");
    int attain = show && !strcmp(show, "attainment");
    if (gf_arg(c, "sensitivity")) {
        long long d = gf_arg_int(c, "sensitivity", 0);
        if (d < 1 || d > 1000000)
            return gf_err_at(&c->err, NULL, 0, "sensitivity", gf_arg(c, "sensitivity"),
                             "a number of draws from 1 to 1000000");
        o.draws = (int)d;
    }
    o.seed = gf_arg_int(c, "seed", 0);
    int levels[2] = {GF_LEVEL_COUNTY, GF_LEVEL_VILLAGE}, nlevels = 2;
    if (gf_arg(c, "level")) {
        levels[0] = level_of(gf_arg(c, "level"));
        nlevels = 1;
    }
    char *pj = NULL;
    int rc = GF_OK;
    if (pipeline && c->cli) { /* the command line names a file; HTTP sends the JSON itself */
        size_t len;
        if ((rc = gf_input_read_file(pipeline, MAX_PIPELINE_BYTES, &pj, &len, &c->err)))
            return rc;
        o.pipeline_json = pj;
        o.pipeline_src = pipeline;
    } else if (pipeline) {
        o.pipeline_json = pipeline;
        o.pipeline_src = "pipeline";
    }
    struct gf_db *db = c->cx->db;
    struct gf_evaluation evs[2];
    long long runs[2] = {0, 0};
    int nev = 0;
    for (int li = 0; li < nlevels && rc == GF_OK; li++) {
        char what[64];
        snprintf(what, sizeof what, "evaluating level %s", level_code(levels[li]));
        progress(c, (double)li / (nlevels + save), what);
        o.level = levels[li];
        if ((rc = gf_evaluation_run(db, &o, &evs[nev], &c->err)) == GF_OK)
            nev++;
    }
    /* one save is one transaction: a kill leaves every level's run of it stored, or none */
    if (rc == GF_OK && save && (rc = gf_db_begin(db, &c->err)) == GF_OK) {
        progress(c, (double)nlevels / (nlevels + 1), "saving");
        for (int k = 0; k < nev && rc == GF_OK; k++)
            rc = gf_evaluation_save(db, &evs[k], c->cx->actor.name, &runs[k], &c->err);
        if (rc == GF_OK)
            rc = gf_db_commit(db, &c->err);
        else
            gf_db_rollback(db);
    }
    if (rc == GF_OK) {
        struct gf_table *t;
        if (attain) {
            t = attainment_table();
            for (int k = 0; k < nev; k++)
                attainment_rows(c, t, &evs[k]);
            gf_result_table(c, "attainment", "目标实现程度", "attainment", t);
        } else {
            struct dims d = {0};
            for (int k = 0; k < nev; k++)
                collect_dims(&d, &evs[k]);
            t = ranking_table(&d, evs[0].res.sens != NULL);
            for (int k = 0; k < nev; k++)
                ranking_rows(t, &d, &evs[k], c);
            gf_result_table(c, "ranking", "排名", "ranking", t);
        }
        char *zh = NULL, *en = NULL;
        size_t zn, enn;
        FILE *fz = open_memstream(&zh, &zn), *fe = open_memstream(&en, &enn);
        if (fz && fe)
            for (int k = 0; k < nev; k++) {
                if (k) {
                    fputc('\n', fz);
                    fputc('\n', fe);
                }
                describe(fz, fe, &evs[k], runs[k]);
            }
        if (fz)
            fclose(fz);
        if (fe)
            fclose(fe);
        if (zh && en)
            gf_result_say(c, zh, en);
        free(zh);
        free(en);
        c->res.id = runs[nev - 1];
    }
    for (int k = 0; k < nev; k++)
        gf_evaluation_free(&evs[k]);
    free(pj);
    return rc;
}

static int op_compute(struct gf_call *c)
{
    return run_eval(c, 0);
}

static int op_run(struct gf_call *c)
{
    return run_eval(c, 1);
}

/* ---- saved runs ----------------------------------------------------------------------------- */

static const char *const run_num[] = {"id", "units", "draws", "seed", NULL};

static int op_runs(struct gf_call *c)
{
    static const struct gf_column cols[] = {
        {"id", "运行号", "run"},
        {"framework", "指标体系", "framework"},
        {"period", "期别", "period"},
        {"level", "层级", "level", level_labels},
        {"units", "单位数", "units"},
        {"draws", "敏感性抽样", "draws"},
        {"seed", "种子", "seed"},
        {"pipeline", "管线", "pipeline"},
        {"created_at", "时间", "created at"},
        {"created_by", "运行人", "created by"},
    };
    char lv[8] = "";
    if (gf_arg(c, "level"))
        snprintf(lv, sizeof lv, "%d", level_of(gf_arg(c, "level")));
    const char *p[] = {gf_arg(c, "framework"), gf_arg(c, "period"), lv[0] ? lv : NULL};
    return gf_result_query(
        c, "runs", "评价运行", "evaluation runs",
        "SELECT r.id, r.framework, r.period, l.code,"
        " (SELECT count(DISTINCT x.unit) FROM eval_result x WHERE x.run = r.id), r.draws,"
        " CASE WHEN r.draws > 0 THEN r.seed END,"
        " coalesce(json_extract(r.pipeline, '$.name'), 'custom'), r.created_at, r.created_by"
        " FROM eval_run r LEFT JOIN unit_level l ON l.level = r.level"
        " WHERE (?1 IS NULL OR r.framework = ?1) AND (?2 IS NULL OR r.period = ?2)"
        " AND (?3 IS NULL OR r.level = CAST(?3 AS INTEGER))"
        " ORDER BY r.id",
        p, 3, cols, 10, run_num);
}

struct run {
    long long id;
    char framework[72], period[16], root[72];
    int level;
};

/* The saved run of the call's id (GF_ENOTFOUND naming it when there is none), with the code of
 * its index node (the framework node without a parent). */
static int load_run(struct gf_call *c, struct run *r)
{
    memset(r, 0, sizeof *r);
    const char *id = gf_arg(c, "id");
    struct gf_stmt *st;
    int rc = gf_db_prepare(c->cx->db,
                           "SELECT r.id, r.framework, r.period, r.level,"
                           " (SELECT x.node FROM eval_result x JOIN framework_node n"
                           "  ON n.framework = r.framework AND n.code = x.node"
                           "  WHERE x.run = r.id AND n.parent IS NULL LIMIT 1)"
                           " FROM eval_run r WHERE r.id = CAST(? AS INTEGER)",
                           &st, &c->err);
    if (rc)
        return rc;
    gf_stmt_bind_text(st, 1, id);
    rc = gf_stmt_step(st, &c->err);
    if (rc == 1) {
        r->id = gf_stmt_int(st, 0);
        snprintf(r->framework, sizeof r->framework, "%s", gf_stmt_text(st, 1));
        snprintf(r->period, sizeof r->period, "%s", gf_stmt_text(st, 2));
        r->level = (int)gf_stmt_int(st, 3);
        snprintf(r->root, sizeof r->root, "%s", gf_stmt_text(st, 4) ? gf_stmt_text(st, 4) : "");
    }
    gf_stmt_finalize(st);
    if (rc < 0)
        return c->err.code ? c->err.code : GF_ESYS;
    if (rc == 0) {
        gf_err_at(&c->err, NULL, 0, "id", id, "the number of a saved evaluation run");
        return c->err.code = GF_ENOTFOUND;
    }
    return GF_OK;
}

/* The units of a saved ranking the actor may see: those in scope, and under the call's unit
 * when it names one.  NULL = every unit; *top is the unit index to stay under. */
static int ranking_scope(struct gf_call *c, const struct gf_units **u, int *top)
{
    const char *unit;
    *top = -1;
    if (!(*u = gf_ctx_units(c->cx, &c->err)))
        return c->err.code;
    int rc = gf_scope_filter(c, "unit", gf_arg(c, "unit"), &unit);
    if (rc)
        return rc;
    if (unit)
        *top = gf_units_find(*u, unit);
    return GF_OK;
}

/* One unit's line of a saved ranking. */
struct show_row {
    char unit[72], name[256];
    long long rank, change;
    int has_change;
    double score, median, p05, p95, shift;
    double dim[48];
    int cnt[3]; /* on track (or met), at risk, off track */
};

/* The ranking of a saved run: rank, score, rank change, rank interval (sensitivity), the
 * dimension scores and the count of indicators on track, at risk and off track; the units of
 * the actor's scope (and of the call's unit). */
static int op_show(struct gf_call *c)
{
    struct run run;
    const struct gf_units *u;
    int top, rc = load_run(c, &run);
    if (rc || (rc = ranking_scope(c, &u, &top)))
        return rc;
    struct gf_db *db = c->cx->db;
    struct gf_stmt *st;
    char id[24];
    snprintf(id, sizeof id, "%lld", run.id);
    /* the dimensions: the index's children that were scored */
    static const struct gf_column dcols[] = {{"code", "代码", "code"}, {"name", "维度", "dimension"}};
    const char *dp[] = {run.framework, run.root, id, c->cx->lang};
    if ((rc = gf_result_query(
             c, "dimensions", "维度", "dimensions",
             "SELECT n.code, CASE WHEN ?4 = 'en' THEN coalesce(n.name_en, n.name) ELSE n.name END"
             " FROM framework_node n WHERE n.framework = ?1 AND n.parent = ?2"
             " AND n.kind <> 'indicator'"
             " AND EXISTS (SELECT 1 FROM eval_result x WHERE x.run = CAST(?3 AS INTEGER)"
             "  AND x.node = n.code)"
             " ORDER BY n.position, n.code",
             dp, 4, dcols, 2, NULL)))
        return rc;
    const struct gf_table *dt = c->res.sec[c->res.nsec - 1].t;
    int nd = gf_table_rows(dt) < 48 ? gf_table_rows(dt) : 48;
    char dcode[48][72], dname[48][256], buf[400];
    for (int k = 0; k < nd; k++) {
        snprintf(dcode[k], sizeof dcode[k], "%s", gf_table_cell(dt, k, 0, buf, sizeof buf));
        snprintf(dname[k], sizeof dname[k], "%s", gf_table_cell(dt, k, 1, buf, sizeof buf));
    }
    /* the index rows of the units in view, best first */
    struct show_row *row = NULL;
    int n = 0, cap = 0;
    int *row_of = calloc((size_t)u->n + 1, sizeof *row_of); /* unit index → row + 1 */
    if (!row_of)
        return gf_err_set(&c->err, GF_ENOMEM, "out of memory");
    rc = gf_db_prepare(db,
                       "SELECT x.unit, CASE WHEN ?3 = 'en' THEN coalesce(v.name_en, v.name)"
                       " ELSE v.name END, x.rank, x.score, x.rank_change, x.rank_median, x.rank_p05,"
                       " x.rank_p95, x.rank_shift FROM eval_result x JOIN unit v ON v.code = x.unit"
                       " WHERE x.run = CAST(?1 AS INTEGER) AND x.node = ?2"
                       " ORDER BY x.rank, x.unit",
                       &st, &c->err);
    if (rc == GF_OK) {
        gf_stmt_bind_text(st, 1, id);
        gf_stmt_bind_text(st, 2, run.root);
        gf_stmt_bind_text(st, 3, c->cx->lang);
        while ((rc = gf_stmt_step(st, &c->err)) == 1) {
            const char *code = gf_stmt_text(st, 0);
            int i = gf_units_find(u, code);
            if (i < 0 || !gf_scope_has(&c->cx->actor, u, code) ||
                (top >= 0 && !gf_units_within(u, i, top)))
                continue;
            if (n == cap) {
                cap = cap ? 2 * cap : 64;
                struct show_row *p = realloc(row, sizeof *row * (size_t)cap);
                if (!p) {
                    rc = gf_err_set(&c->err, GF_ENOMEM, "out of memory");
                    break;
                }
                row = p;
            }
            struct show_row *r = &row[n];
            memset(r, 0, sizeof *r);
            row_of[i] = ++n;
            snprintf(r->unit, sizeof r->unit, "%s", code);
            snprintf(r->name, sizeof r->name, "%s", gf_stmt_text(st, 1));
            r->rank = gf_stmt_int(st, 2);
            r->score = gf_stmt_double(st, 3);
            r->has_change = !gf_stmt_is_null(st, 4);
            r->change = gf_stmt_int(st, 4);
            r->median = gf_stmt_double(st, 5);
            r->p05 = gf_stmt_double(st, 6);
            r->p95 = gf_stmt_double(st, 7);
            r->shift = gf_stmt_double(st, 8);
            for (int k = 0; k < nd; k++)
                r->dim[k] = NAN;
        }
        gf_stmt_finalize(st);
        if (rc < 0)
            rc = c->err.code ? c->err.code : GF_ESYS;
    }
    /* the dimension scores and the indicators' statuses, placed by unit */
    if (rc == GF_OK)
        rc = gf_db_prepare(db,
                           "SELECT x.unit, x.node, x.score, 0 FROM eval_result x"
                           " JOIN framework_node n ON n.framework = ?2 AND n.code = x.node"
                           " WHERE x.run = CAST(?1 AS INTEGER) AND n.parent = ?3"
                           " AND n.kind <> 'indicator'"
                           " UNION ALL SELECT x.unit, x.status, count(*), 1 FROM eval_result x"
                           " WHERE x.run = CAST(?1 AS INTEGER) AND x.status IS NOT NULL"
                           " GROUP BY x.unit, x.status",
                           &st, &c->err);
    if (rc == GF_OK) {
        gf_stmt_bind_text(st, 1, id);
        gf_stmt_bind_text(st, 2, run.framework);
        gf_stmt_bind_text(st, 3, run.root);
        while ((rc = gf_stmt_step(st, &c->err)) == 1) {
            int i = gf_units_find(u, gf_stmt_text(st, 0));
            if (i < 0 || !row_of[i])
                continue;
            struct show_row *r = &row[row_of[i] - 1];
            const char *what = gf_stmt_text(st, 1);
            if (gf_stmt_int(st, 3) == 0) {
                for (int k = 0; k < nd; k++)
                    if (!strcmp(dcode[k], what))
                        r->dim[k] = gf_stmt_double(st, 2);
            } else
                r->cnt[!strcmp(what, "at_risk") ? 1 : !strcmp(what, "off_track") ? 2 : 0] +=
                    (int)gf_stmt_int(st, 2);
        }
        gf_stmt_finalize(st);
        rc = rc < 0 ? (c->err.code ? c->err.code : GF_ESYS) : GF_OK;
    }
    free(row_of);
    if (rc) {
        free(row);
        return rc;
    }
    struct gf_column cols[72];
    int nc = 0;
    cols[nc++] = (struct gf_column){"rank", "排名", "rank"};
    cols[nc++] = (struct gf_column){"unit", "代码", "code"};
    cols[nc++] = (struct gf_column){"name", "单位", "unit"};
    cols[nc++] = (struct gf_column){"score", "综合得分", "score"};
    cols[nc++] = (struct gf_column){"rank_change", "较上年", "change"};
    cols[nc++] = (struct gf_column){"rank_median", "排名中位数", "median rank"};
    cols[nc++] = (struct gf_column){"rank_p05", "排名5%分位", "rank p05"};
    cols[nc++] = (struct gf_column){"rank_p95", "排名95%分位", "rank p95"};
    cols[nc++] = (struct gf_column){"rank_shift", "平均排名变动", "mean rank shift"};
    for (int k = 0; k < nd; k++)
        cols[nc++] = (struct gf_column){dcode[k], dname[k], dname[k]};
    cols[nc++] = (struct gf_column){"on_track", "达标或进度正常", "targets on track"};
    cols[nc++] = (struct gf_column){"at_risk", "有风险", "at risk"};
    cols[nc++] = (struct gf_column){"off_track", "滞后", "off track"};
    struct gf_table *t = gf_table_new(cols, nc);
    for (int q = 0; q < n; q++) {
        const struct show_row *r = &row[q];
        int k = 0;
        gf_table_row(t);
        gf_table_int(t, k++, r->rank);
        gf_table_text(t, k++, r->unit);
        gf_table_text(t, k++, r->name);
        gf_table_num(t, k++, r->score, 2);
        if (r->has_change)
            gf_table_int(t, k, r->change);
        k++;
        gf_table_num(t, k++, r->median, -1);
        gf_table_num(t, k++, r->p05, -1);
        gf_table_num(t, k++, r->p95, -1);
        gf_table_num(t, k++, r->shift, 2);
        for (int d = 0; d < nd; d++)
            gf_table_num(t, k++, r->dim[d], 1);
        for (int s = 0; s < 3; s++)
            gf_table_int(t, k++, r->cnt[s]);
    }
    free(row);
    gf_result_table(c, "ranking", "排名", "ranking", t);
    const struct gf_code_label *lv = run.level >= 1 && run.level <= 4 ? &level_labels[run.level - 1] : NULL;
    gf_result_msg(c, "评价运行 #%lld · 体系 %s · %s 年 · %s · %d 个单位",
                  "evaluation run #%lld · framework %s · %s · %s · %d units", run.id, run.framework,
                  run.period, lv ? GF_L(c->cx, lv->zh, lv->en) : "?", n);
    return GF_OK;
}

/* One unit of a saved run: its index and dimension scores and ranks, and every indicator with
 * its value, normalised value, rank, attainment, contribution and on-track status. */
static int op_unit(struct gf_call *c)
{
    const char *unit = gf_arg(c, "unit");
    struct run run;
    int rc = gf_need_unit(c, "unit", unit);
    if (rc || (rc = load_run(c, &run)))
        return rc;
    char id[24];
    snprintf(id, sizeof id, "%lld", run.id);
    const char *lv = level_code(run.level);
    static const struct gf_column ucols[] = {
        {"run", "运行号", "run"},
        {"unit", "代码", "code"},
        {"name", "单位", "unit"},
        {"level", "层级", "level", level_labels},
        {"framework", "指标体系", "framework"},
        {"period", "期别", "period"},
        {"rank", "排名", "rank"},
        {"score", "综合得分", "score"},
        {"rank_change", "较上年", "change"},
        {"rank_p05", "排名5%分位", "rank p05"},
        {"rank_p95", "排名95%分位", "rank p95"},
    };
    static const char *const unum[] = {"run", "rank", "score", "rank_change",
                                       "rank_p05", "rank_p95", NULL};
    const char *p[] = {id, unit, run.root, c->cx->lang, lv, run.framework, run.period};
    if ((rc = gf_result_query(
             c, "unit", "单位", "unit",
             "SELECT x.run, x.unit, CASE WHEN ?4 = 'en' THEN coalesce(v.name_en, v.name)"
             " ELSE v.name END, ?5, ?6, ?7, x.rank, x.score, x.rank_change, x.rank_p05, x.rank_p95"
             " FROM eval_result x JOIN unit v ON v.code = x.unit"
             " WHERE x.run = CAST(?1 AS INTEGER) AND x.unit = ?2 AND x.node = ?3",
             p, 7, ucols, 11, unum)))
        return rc;
    struct gf_section *s = &c->res.sec[c->res.nsec - 1];
    s->record = 1; /* one row: shown as a record (an object in JSON) */
    if (!gf_table_rows(s->t)) {
        gf_err_at(&c->err, NULL, 0, "unit", unit, "a unit ranked in evaluation run %s", id);
        return c->err.code = GF_ENOTFOUND;
    }
    static const struct gf_column dcols[] = {
        {"code", "代码", "code"},     {"name", "维度", "name"},  {"parent", "上级", "parent"},
        {"score", "得分", "score"},   {"rank", "排名", "rank"},
    };
    static const char *const dnum[] = {"score", "rank", NULL};
    if ((rc = gf_result_query(
             c, "dimensions", "维度", "dimensions",
             "SELECT n.code, CASE WHEN ?4 = 'en' THEN coalesce(n.name_en, n.name) ELSE n.name END,"
             " n.parent, x.score, x.rank FROM eval_result x"
             " JOIN framework_node n ON n.framework = ?6 AND n.code = x.node"
             " WHERE x.run = CAST(?1 AS INTEGER) AND x.unit = ?2 AND n.kind <> 'indicator'"
             " AND n.parent IS NOT NULL ORDER BY n.position, n.code",
             p, 6, dcols, 5, dnum)))
        return rc;
    /* the indicators, their notes in the context's language */
    static const struct gf_column icols[] = {
        {"indicator", "指标代码", "indicator"},
        {"indicator_name", "指标", "indicator name"},
        {"dimension", "维度", "dimension"},
        {"value", "现值", "value"},
        {"unit_of_measure", "计量单位", "unit of measure"},
        {"normalised", "标准化值", "normalised"},
        {"rank", "排名", "rank"},
        {"attainment", "实现程度%", "attained %"},
        {"contribution", "贡献", "contribution"},
        {"status", "按期达标", "on track?", track_labels},
        {"note", "说明", "note"},
    };
    struct gf_stmt *st;
    if ((rc = gf_db_prepare(
             c->cx->db,
             "SELECT n.code, CASE WHEN ?4 = 'en' THEN coalesce(n.name_en, d.name_en, n.name, d.name)"
             " ELSE coalesce(n.name, d.name) END, n.parent, v.value, d.unit_of_measure, x.score,"
             " x.rank, 100 * x.attainment, x.contribution, x.status, x.note FROM eval_result x"
             " JOIN framework_node n ON n.framework = ?6 AND n.code = x.node"
             " LEFT JOIN indicator d ON d.code = n.code"
             " LEFT JOIN framework_node g ON g.framework = n.framework AND g.code = n.parent"
             " LEFT JOIN value v ON v.unit = x.unit AND v.indicator = x.node AND v.period = ?7"
             " WHERE x.run = CAST(?1 AS INTEGER) AND x.unit = ?2 AND n.kind = 'indicator'"
             " ORDER BY g.position, g.code, n.position, n.code",
             &st, &c->err)))
        return rc;
    for (int k = 0; k < 7; k++)
        gf_stmt_bind_text(st, k + 1, p[k]);
    struct gf_table *t = gf_table_new(icols, 11);
    char buf[256];
    while ((rc = gf_stmt_step(st, &c->err)) == 1) {
        gf_table_row(t);
        for (int k = 0; k < 3; k++)
            gf_table_text(t, k, gf_stmt_text(st, k));
        gf_table_num(t, 3, gf_stmt_double(st, 3), -1);
        gf_table_text(t, 4, gf_stmt_text(st, 4));
        gf_table_num(t, 5, gf_stmt_double(st, 5), 1);
        if (!gf_stmt_is_null(st, 6))
            gf_table_int(t, 6, gf_stmt_int(st, 6));
        gf_table_num(t, 7, gf_stmt_double(st, 7), 1);
        gf_table_num(t, 8, gf_stmt_double(st, 8), 2);
        gf_table_text(t, 9, gf_stmt_text(st, 9));
        gf_table_text(t, 10, note_text(c, gf_stmt_text(st, 10), buf, sizeof buf));
    }
    gf_stmt_finalize(st);
    if (rc < 0) {
        gf_table_free(t);
        return c->err.code ? c->err.code : GF_ESYS;
    }
    gf_result_table(c, "indicators", "指标", "indicators", t);
    return GF_OK;
}

/* ---- targets and the overview --------------------------------------------------------------- */

static struct gf_table *targets_table(void)
{
    static const struct gf_column cols[] = {
        {"indicator", "指标代码", "indicator"},
        {"indicator_name", "指标", "indicator name"},
        {"value", "现值", "value"},
        {"target", "目标值", "target"},
        {"attainment", "实现程度%", "attained %"},
        {"status", "按期达标", "on track?", track_labels},
        {"needed_growth", "所需年均增速%", "growth needed %"},
        {"recent_growth", "近三年年均增速%", "recent growth %"},
        {"dimension", "维度", "dimension"},
        {"note", "说明", "note"},
    };
    return gf_table_new(cols, 10);
}

static void target_row(struct gf_call *c, struct gf_table *t, const struct gf_target_row *r)
{
    char buf[256];
    gf_table_row(t);
    gf_table_text(t, 0, r->indicator);
    gf_table_text(t, 1, GF_L(c->cx, r->name, r->name_en));
    gf_table_num(t, 2, r->value, 2);
    gf_table_num(t, 3, r->target, 2);
    gf_table_num(t, 4, 100 * r->attainment, 1);
    gf_table_text(t, 5, r->status >= 0 ? gf_eval_track_name((enum gf_eval_track)r->status) : NULL);
    gf_table_num(t, 6, 100 * r->needed, 1);
    gf_table_num(t, 7, 100 * r->recent, 1);
    gf_table_text(t, 8, r->dimension);
    gf_table_text(t, 9, note_text(c, r->note, buf, sizeof buf));
}

/* The unit the targets are of: the call's (in scope), else the actor's scope unit, else the
 * zone (the root of the hierarchy). */
static int targets_unit(struct gf_call *c, const char **unit)
{
    int rc = gf_scope_filter(c, "unit", gf_arg(c, "unit"), unit);
    if (rc || *unit)
        return rc;
    const struct gf_units *u = gf_ctx_units(c->cx, &c->err);
    if (!u)
        return c->err.code;
    if (u->n == 0)
        return gf_err_set(&c->err, GF_EUSER,
                          "no units in the database (import them: gongfu import units FILE)");
    *unit = u->unit[0].code;
    return GF_OK;
}

static void targets_msg(struct gf_call *c, const struct gf_targets *tg)
{
    const struct gf_units *u = gf_ctx_units(c->cx, &c->err);
    int i = u ? gf_units_find(u, tg->unit) : -1;
    const char *name = i < 0 ? tg->unit : GF_L(c->cx, u->unit[i].name,
                                                 u->unit[i].name_en ? u->unit[i].name_en
                                                                    : u->unit[i].name);
    if (!tg->period[0])
        gf_result_msg(c, "%s 在体系 %s 中尚无年度数据", "%s has no yearly values in framework %s",
                      name, tg->framework);
    else
        gf_result_msg(c, "%s %d 年目标实现情况(%s 年数据,体系 %s)",
                      "%s against the %d targets (data of %s, framework %s)", name,
                      tg->target_year, tg->period, tg->framework);
}

/* Where a unit stands against the framework's targets, indicator by indicator. */
static int op_targets(struct gf_call *c)
{
    const char *unit;
    int rc = targets_unit(c, &unit);
    if (rc)
        return rc;
    struct gf_targets tg;
    if ((rc = gf_evaluation_targets(c->cx->db, gf_arg(c, "framework"), gf_arg(c, "period"), unit,
                                    &tg, &c->err)))
        return rc;
    struct gf_table *t = targets_table();
    for (size_t k = 0; k < tg.n; k++)
        target_row(c, t, &tg.row[k]);
    gf_result_table(c, "targets", "目标实现情况", "targets", t);
    targets_msg(c, &tg);
    gf_targets_free(&tg);
    return GF_OK;
}

static _Thread_local const struct gf_target_row *sort_rows; /* for by_gap, as sort_ev */

/* Largest gap first: lowest attainment, then the indicator's order. */
static int by_gap(const void *a, const void *b)
{
    const struct gf_target_row *x = &sort_rows[*(const size_t *)a], *y = &sort_rows[*(const size_t *)b];
    if (x->attainment != y->attainment)
        return x->attainment < y->attainment ? -1 : 1;
    return (*(const size_t *)a > *(const size_t *)b) - (*(const size_t *)a < *(const size_t *)b);
}

/* The overview a leader lands on: the actor's unit (the zone for the zone-wide roles) against
 * the targets, the counts by status, the trends of the ten years to the period, and the gaps
 * that matter most (off track or at risk, lowest attainment first). */
static int op_overview(struct gf_call *c)
{
    const char *unit;
    int rc = targets_unit(c, &unit);
    if (rc)
        return rc;
    struct gf_targets tg;
    if ((rc = gf_evaluation_targets(c->cx->db, gf_arg(c, "framework"), gf_arg(c, "period"), unit,
                                    &tg, &c->err)))
        return rc;
    int cnt[4] = {0, 0, 0, 0};
    for (size_t k = 0; k < tg.n; k++)
        if (tg.row[k].status >= 0 && tg.row[k].status < 4)
            cnt[tg.row[k].status]++;
    static const struct gf_column scols[] = {
        {"unit", "单位", "unit"},          {"framework", "指标体系", "framework"},
        {"period", "数据年份", "period"},  {"target_year", "目标年份", "target year"},
        {"indicators", "有目标的指标", "indicators with a target"},
        {"met", "已达标", "met"},          {"on_track", "进度正常", "on track"},
        {"at_risk", "有风险", "at risk"},  {"off_track", "滞后", "off track"},
    };
    struct gf_table *s = gf_table_new(scols, 9);
    gf_table_row(s);
    gf_table_text(s, 0, tg.unit);
    gf_table_text(s, 1, tg.framework);
    gf_table_text(s, 2, tg.period[0] ? tg.period : NULL);
    gf_table_int(s, 3, tg.target_year);
    gf_table_int(s, 4, (long long)tg.n);
    gf_table_int(s, 5, cnt[GF_TRACK_MET]);
    gf_table_int(s, 6, cnt[GF_TRACK_ON]);
    gf_table_int(s, 7, cnt[GF_TRACK_RISK]);
    gf_table_int(s, 8, cnt[GF_TRACK_OFF]);
    gf_result_record(c, "summary", "概况", "summary", s);
    struct gf_table *t = targets_table();
    for (size_t k = 0; k < tg.n; k++)
        target_row(c, t, &tg.row[k]);
    gf_result_table(c, "indicators", "目标实现情况", "against the targets", t);
    static const struct gf_column tcols[] = {
        {"indicator", "指标代码", "indicator"}, {"indicator_name", "指标", "indicator name"},
        {"period", "年份", "year"},             {"value", "数值", "value"},
        {"attainment", "实现程度%", "attained %"},
    };
    struct gf_table *tr = gf_table_new(tcols, 5);
    for (size_t k = 0; k < tg.n; k++)
        for (int y = 0; y < 10; y++) {
            const struct gf_target_row *r = &tg.row[k];
            if (isnan(r->series[y]))
                continue;
            char year[8];
            snprintf(year, sizeof year, "%d", tg.year - 9 + y);
            gf_table_row(tr);
            gf_table_text(tr, 0, r->indicator);
            gf_table_text(tr, 1, GF_L(c->cx, r->name, r->name_en));
            gf_table_text(tr, 2, year);
            gf_table_num(tr, 3, r->series[y], 2);
            gf_table_num(tr, 4, 100 * r->series_attain[y], 1);
        }
    gf_result_table(c, "trends", "历年走势", "trends", tr);
    size_t *gap = malloc(sizeof *gap * (tg.n ? tg.n : 1)), ng = 0;
    if (!gap) {
        gf_targets_free(&tg);
        return gf_err_set(&c->err, GF_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < tg.n; k++)
        if ((tg.row[k].status == GF_TRACK_OFF || tg.row[k].status == GF_TRACK_RISK) &&
            !isnan(tg.row[k].attainment))
            gap[ng++] = k;
    sort_rows = tg.row;
    qsort(gap, ng, sizeof *gap, by_gap);
    struct gf_table *g = targets_table();
    for (size_t k = 0; k < ng && k < 10; k++)
        target_row(c, g, &tg.row[gap[k]]);
    free(gap);
    gf_result_table(c, "gaps", "差距最大的指标", "largest gaps", g);
    targets_msg(c, &tg);
    gf_targets_free(&tg);
    return GF_OK;
}

/* ---- the operations ------------------------------------------------------------------------- */

static const char *const shows[] = {"ranking", "attainment", NULL};
#define EVAL_PARAMS                                                                                \
    {"framework", GF_PT_CODE, 0, NULL, "指标体系(默认有数据的指标最多的一个)",                            \
     "framework (default: the one with the most indicators with values)"},                                         \
        {"period", GF_PT_PERIOD, 0, NULL, "年份(默认最近有数据的一年)",                           \
         "year (default: the latest with values)"},                                                \
        {"level", GF_PT_ENUM, 0, level_codes, "层级(默认县区和村社区)",                           \
         "level (default: counties and villages)"},                                                \
        {"pipeline", GF_PT_TEXT, 0, NULL, "管线:命令行为 JSON 文件,HTTP 为 JSON 文本",          \
         "pipeline: a JSON file on the command line, the JSON text over HTTP"},                    \
        {"sensitivity", GF_PT_INT, 0, NULL, "蒙特卡洛排名敏感性抽样次数(1-1000000)",              \
         "Monte Carlo rank sensitivity draws (1-1000000)"},                                        \
        {"seed", GF_PT_INT, 0, NULL, "随机种子", "random seed"},                                   \
        {"show", GF_PT_ENUM, 0, shows, "结果:ranking 排名, attainment 目标实现程度",              \
         "result: ranking, or attainment of every indicator's target"}

static const struct gf_param p_eval[] = {EVAL_PARAMS, {NULL}};
static const struct gf_param p_runs[] = {
    {"framework", GF_PT_CODE, 0, NULL, "指标体系", "framework"},
    {"period", GF_PT_PERIOD, 0, NULL, "期别", "period"},
    {"level", GF_PT_ENUM, 0, level_codes, "层级", "level"},
    {NULL}};
static const struct gf_param p_show[] = {
    {"id", GF_PT_INT, GF_PF_KEY | GF_PF_REQUIRED, NULL, "评价运行号", "evaluation run"},
    {"unit", GF_PT_CODE, 0, NULL, "只看该单位及其下级(默认本人范围)",
     "only this unit and those under it (default: the user's scope)"},
    {NULL}};
static const struct gf_param p_unit[] = {
    {"id", GF_PT_INT, GF_PF_KEY | GF_PF_REQUIRED, NULL, "评价运行号", "evaluation run"},
    {"unit", GF_PT_CODE, GF_PF_KEY | GF_PF_REQUIRED, NULL, "单位", "unit"},
    {NULL}};
static const struct gf_param p_targets[] = {
    {"framework", GF_PT_CODE, 0, NULL, "指标体系", "framework"},
    {"period", GF_PT_PERIOD, 0, NULL, "数据年份(默认最近有数据的一年)",
     "year of the data (default: the latest with values)"},
    {"unit", GF_PT_CODE, 0, NULL, "单位(默认本人范围,或全区)",
     "unit (default: the user's scope, or the zone)"},
    {NULL}};
static const struct gf_param p_overview[] = {
    {"period", GF_PT_PERIOD, 0, NULL, "数据年份(默认最近有数据的一年)",
     "year of the data (default: the latest with values)"},
    {"framework", GF_PT_CODE, 0, NULL, "指标体系", "framework"},
    {NULL}};

const struct gf_op gf_ops_eval[] = {
    {"eval.compute", GF_OP_READ, NULL, NULL, GF_PERM_EVAL_RUN, 0, p_eval, op_compute,
     "综合评价(不保存)", "evaluate the units of a level (not saved)"},
    {"eval.run", GF_OP_JOB, "POST", "/api/evaluations", GF_PERM_EVAL_RUN, 0, p_eval, op_run,
     "运行并保存综合评价", "run an evaluation and save it"},
    {"eval.runs", GF_OP_READ, "GET", "/api/evaluations", GF_PERM_EVAL_READ, 0, p_runs, op_runs,
     "已保存的评价运行", "saved evaluation runs"},
    {"eval.show", GF_OP_READ, "GET", "/api/evaluations/{id}", GF_PERM_EVAL_READ, 0, p_show,
     op_show, "一次评价的排名(排名区间、维度得分)",
     "the ranking of a run (rank intervals, dimension scores)"},
    {"eval.unit", GF_OP_READ, "GET", "/api/evaluations/{id}/units/{unit}", GF_PERM_EVAL_READ, 0,
     p_unit, op_unit, "一个单位的评价:维度与指标", "one unit of a run: dimensions and indicators"},
    {"eval.targets", GF_OP_READ, "GET", "/api/targets", GF_PERM_EVAL_READ, 0, p_targets,
     op_targets, "目标实现程度与按期达标判断", "attainment of the targets and on-track status"},
    {"eval.overview", GF_OP_READ, "GET", "/api/overview", GF_PERM_EVAL_READ, 0, p_overview,
     op_overview, "总览:对照 2025 年目标、走势与最大差距",
     "overview: against the 2025 targets, trends, largest gaps"},
    {NULL},
};
