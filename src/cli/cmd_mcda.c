/* cmd_mcda.c — `gongfu mcda weights|topsis|score`: the evaluation engine (core/eval.h) on a CSV
 * matrix (first column the unit code, a header row of indicator codes) or on a COINr-shaped
 * iMeta + iData pair, so an analyst can use it on a spreadsheet without a database. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/eval.h"
#include "domain/eval_coinr.h"
#include "domain/eval_pipeline.h"
#include "util/input.h"

#define MAX_PIPELINE_BYTES (1 << 20)

/* The built-in default pipeline: the same as docs/pipelines/default.json. */
static const char default_pipeline[] =
    "{\"name\":\"default\",\"steps\":[{\"step\":\"impute\",\"method\":\"mean\"},"
    "{\"step\":\"normalise\",\"method\":\"attainment\",\"scale\":100},"
    "{\"step\":\"weight\",\"method\":\"framework\"},{\"step\":\"aggregate\",\"method\":"
    "\"arithmetic\"}]}";

static void usage(struct gf_cli *cli)
{
    puts(L(cli,
           "用法:\n"
           "  gongfu mcda weights --method entropy|critic|equal [--normalise none|minmax]\n"
           "                      [--shift none|0.0001|0.01|rescale] [--cost 列,…] 文件.csv\n"
           "  gongfu mcda topsis [--weights 0.4,0.3,…] [--cost 列,…] [--weights-in-distance] "
           "文件.csv\n"
           "  gongfu mcda score (--meta iMeta.csv --data iData.csv | 文件.csv) [--pipeline "
           "文件.json]\n"
           "                    [--sensitivity N] [--seed S] [--threads T]\n"
           "                    [--show scores|weights|attainment|contributions|targets] "
           "[--draws-out 文件]\n"
           "                    [--period 年份] [--target-year 2025]\n"
           "矩阵 CSV: 第一列为单位代码, 表头为指标代码; 空值或 NA 为缺失。\n"
           "iMeta 列: iCode,iName,Level,Parent,Direction,Weight,Denominator,Target,Type\n"
           "(可选 BandLo,BandHi,LimLo,LimHi,GoalLo,GoalHi); iData 列: "
           "uCode,uName,分组列,分母列,指标列。\n"
           "管道格式见 docs/evaluation.md; 默认: 目标实现程度 + 体系权重 + 加权算术平均。",
           "usage:\n"
           "  gongfu mcda weights --method entropy|critic|equal [--normalise none|minmax]\n"
           "                      [--shift none|0.0001|0.01|rescale] [--cost COL,…] FILE.csv\n"
           "  gongfu mcda topsis [--weights 0.4,0.3,…] [--cost COL,…] [--weights-in-distance] "
           "FILE.csv\n"
           "  gongfu mcda score (--meta iMeta.csv --data iData.csv | FILE.csv) [--pipeline "
           "FILE.json]\n"
           "                    [--sensitivity N] [--seed S] [--threads T]\n"
           "                    [--show scores|weights|attainment|contributions|targets] "
           "[--draws-out FILE]\n"
           "                    [--period YEAR] [--target-year 2025]\n"
           "Matrix CSV: first column the unit code, header row of indicator codes; empty or NA = "
           "missing.\n"
           "iMeta columns: iCode,iName,Level,Parent,Direction,Weight,Denominator,Target,Type\n"
           "(optional BandLo,BandHi,LimLo,LimHi,GoalLo,GoalHi); iData: "
           "uCode,uName,groups,denominators,\n"
           "indicators.  Pipelines: docs/evaluation.md; default: attainment + framework weights +\n"
           "weighted arithmetic mean."));
}
static size_t nz(size_t k)
{
    return k ? k : 1;
}

/* "a,b,c" → doubles: returns how many numbers the list holds (only the first max are stored in
 * out, so the caller can say "5 numbers for 4 criteria"), or -1 if it is not such a list. */
static int parse_list(const char *s, double *out, int max)
{
    int k = 0;
    char buf[64];
    while (*s) {
        const char *c = strchr(s, ',');
        size_t len = c ? (size_t)(c - s) : strlen(s);
        double x;
        if (len == 0 || len >= sizeof buf || k == INT_MAX)
            return -1;
        memcpy(buf, s, len);
        buf[len] = 0;
        if (gf_eval_parse_cell(buf, &x) || isnan(x))
            return -1;
        if (k < max)
            out[k] = x;
        k++;
        s += len + (c ? 1 : 0);
        if (c && !*s)
            return -1;
    }
    return k;
}

/* --cost A,B → dir[] (−1 for the named columns); names must exist. */
static int cost_dirs(struct gf_cli *cli, const char *cost, const struct gf_eval_strs *cols,
                     int *dir)
{
    for (size_t j = 0; j < cols->n; j++)
        dir[j] = GF_EVAL_POS;
    if (!cost)
        return GF_OK;
    char buf[256];
    const char *s = cost;
    while (*s) {
        const char *c = strchr(s, ',');
        size_t len = c ? (size_t)(c - s) : strlen(s);
        if (len == 0 || len >= sizeof buf)
            return gf_cli_usage(cli, "--cost: expected column codes separated by commas, got '%s'",
                                cost);
        memcpy(buf, s, len);
        buf[len] = 0;
        long j = gf_eval_strs_find(cols, buf);
        if (j < 0)
            return gf_cli_usage(cli, "--cost: no column '%s' in the file", buf);
        dir[j] = GF_EVAL_NEG;
        s += len + (c ? 1 : 0);
    }
    return GF_OK;
}

/* ---- mcda weights ---- */

static int mcda_weights(struct gf_cli *cli, int argc, char **argv)
{
    const char *method = NULL, *normalise = "none", *shift = "none", *cost = NULL, *file = NULL;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = !strcmp(a, "--method")      ? &method
                            : !strcmp(a, "--normalise") ? &normalise
                            : !strcmp(a, "--normalize") ? &normalise
                            : !strcmp(a, "--shift")     ? &shift
                            : !strcmp(a, "--cost")      ? &cost
                                                        : NULL;
        if (slot) {
            if (i + 1 >= argc)
                return gf_cli_usage(cli, "mcda weights: %s needs a value", a);
            *slot = argv[++i];
        } else if (a[0] == '-' && a[1])
            return gf_cli_usage(cli, "mcda weights: unknown option '%s'", a);
        else if (file)
            return gf_cli_usage(cli, "mcda weights: one file only ('%s' and '%s')", file, a);
        else
            file = a;
    }
    if (!method || !file)
        return gf_cli_usage(cli,
                            "mcda weights: needs --method entropy|critic|equal and a CSV file");
    int wm = gf_eval_weight_parse(method);
    if (wm < 0 || wm == GF_WEIGHT_FRAMEWORK)
        return gf_cli_usage(cli, "mcda weights: --method '%s' is not one of entropy, critic, equal",
                            method);
    if (strcmp(normalise, "none") && strcmp(normalise, "minmax"))
        return gf_cli_usage(cli, "mcda weights: --normalise '%s' is not one of none, minmax",
                            normalise);
    int sh = gf_eval_shift_parse(shift);
    if (sh < 0)
        return gf_cli_usage(
            cli, "mcda weights: --shift '%s' is not one of none, 0.0001, 0.01, rescale", shift);
    struct gf_eval_matrix mx;
    int rc = gf_eval_matrix_read(file, &mx, &cli->err);
    if (rc)
        return rc;
    double *w = malloc(mx.m * sizeof *w);
    int *dir = malloc(mx.m * sizeof *dir);
    struct gf_eval_ind *ind = malloc(mx.m * sizeof *ind);
    if (!w || !dir || !ind) {
        rc = gf_err_set(&cli->err, GF_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = cost_dirs(cli, cost, &mx.cols, dir)))
        goto out;
    for (size_t j = 0; j < mx.m; j++) {
        gf_eval_ind_init(&ind[j], mx.cols.v[j]);
        ind[j].direction = dir[j];
    }
    if (!strcmp(normalise, "minmax")) {
        struct gf_eval_norm nm;
        gf_eval_norm_default(&nm, GF_NORM_MINMAX);
        if ((rc = gf_eval_normalise(mx.x, mx.n, mx.m, ind, &nm, &cli->err)))
            goto fail;
    }
    if (wm == GF_WEIGHT_EQUAL)
        gf_eval_weights_equal(mx.m, w);
    else if (wm == GF_WEIGHT_ENTROPY)
        rc = gf_eval_weights_entropy(mx.x, mx.n, mx.m, (enum gf_eval_shift)sh, dir, w, &cli->err);
    else
        rc = gf_eval_weights_critic(mx.x, mx.n, mx.m, w, &cli->err);
    if (rc)
        goto fail;
    static const struct gf_column cols[] = {{"indicator", "指标", "indicator"},
                                            {"weight", "权重", "weight"}};
    struct gf_table *t = gf_table_new(cols, 2);
    for (size_t j = 0; j < mx.m; j++) {
        gf_table_row(t);
        gf_table_text(t, 0, mx.cols.v[j]);
        gf_table_num(t, 1, w[j], 4);
    }
    gf_table_print(t, stdout, cli->format, cli->lang);
    gf_table_free(t);
    goto out;
fail:
    gf_err_prefix(&cli->err, "%s", file);
out:
    free(w);
    free(dir);
    free(ind);
    gf_eval_matrix_free(&mx);
    return rc;
}

/* ---- mcda topsis ---- */

static int mcda_topsis(struct gf_cli *cli, int argc, char **argv)
{
    const char *weights = NULL, *cost = NULL, *file = NULL;
    int wid = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = !strcmp(a, "--weights") ? &weights
                            : !strcmp(a, "--cost")  ? &cost
                                                    : NULL;
        if (slot) {
            if (i + 1 >= argc)
                return gf_cli_usage(cli, "mcda topsis: %s needs a value", a);
            *slot = argv[++i];
        } else if (!strcmp(a, "--weights-in-distance"))
            wid = 1;
        else if (a[0] == '-' && a[1])
            return gf_cli_usage(cli, "mcda topsis: unknown option '%s'", a);
        else if (file)
            return gf_cli_usage(cli, "mcda topsis: one file only ('%s' and '%s')", file, a);
        else
            file = a;
    }
    if (!file)
        return gf_cli_usage(cli, "mcda topsis: needs a CSV file");
    struct gf_eval_matrix mx;
    int rc = gf_eval_matrix_read(file, &mx, &cli->err);
    if (rc)
        return rc;
    double *w = malloc(mx.m * sizeof *w), *cl = malloc(mx.n * sizeof *cl);
    int *dir = malloc(mx.m * sizeof *dir), *rank = malloc(mx.n * sizeof *rank);
    if (!w || !cl || !dir || !rank) {
        rc = gf_err_set(&cli->err, GF_ENOMEM, "out of memory");
        goto out;
    }
    if (weights) {
        int k = parse_list(weights, w, (int)mx.m);
        if (k < 0) {
            rc = gf_cli_usage(
                cli, "mcda topsis: --weights '%s': expected numbers separated by commas", weights);
            goto out;
        }
        if ((size_t)k != mx.m) {
            rc = gf_cli_usage(cli, "mcda topsis: --weights has %d numbers but %s has %zu criteria",
                              k, file, mx.m);
            goto out;
        }
    } else
        gf_eval_weights_equal(mx.m, w);
    if ((rc = cost_dirs(cli, cost, &mx.cols, dir)))
        goto out;
    rc = gf_eval_topsis(mx.x, mx.n, mx.m, w, dir, wid ? GF_TOPSIS_WEIGHTS_IN_DISTANCE : 0, cl,
                        &cli->err);
    if (rc) {
        gf_err_prefix(&cli->err, "%s", file);
        goto out;
    }
    gf_eval_rank(cl, mx.n, 1, 1, rank);
    static const struct gf_column cols[] = {
        {"unit", "单位", "unit"}, {"closeness", "贴近度", "closeness"}, {"rank", "排名", "rank"}};
    struct gf_table *t = gf_table_new(cols, 3);
    for (size_t i = 0; i < mx.n; i++) {
        gf_table_row(t);
        gf_table_text(t, 0, mx.units.v[i]);
        gf_table_num(t, 1, cl[i], 7);
        gf_table_int(t, 2, rank[i]);
    }
    gf_table_print(t, stdout, cli->format, cli->lang);
    gf_table_free(t);
out:
    free(w);
    free(cl);
    free(dir);
    free(rank);
    gf_eval_matrix_free(&mx);
    return rc;
}

static int write_draws(struct gf_cli *cli, const char *path, const struct gf_eval_pipeline *p,
                       const double *w, const struct gf_eval_coinr *md)
{
    struct gf_outfile of;
    int rc = gf_cli_output_open(cli, path, &of);
    if (rc)
        return rc;
    FILE *f = of.fp;
    double *wd = malloc(md->nnode * sizeof *wd), *spread = malloc(md->nnode * sizeof *spread);
    rc = !wd || !spread ? gf_err_set(&cli->err, GF_ENOMEM, "out of memory")
                        : gf_eval_mc_spreads(&p->mc, &md->tree, spread, &cli->err);
    if (rc) {
        gf_outfile_abort(&of);
        free(wd);
        free(spread);
        return rc;
    }
    fputs("draw,winsor,normalise,aggregate", f);
    for (size_t k = 0; k < md->nnode; k++)
        fprintf(f, ",w_%s", md->node[k].code);
    fputc('\n', f);
    char buf[40];
    for (int d = 0; d < p->mc.draws; d++) {
        int in, ia, iw;
        gf_eval_mc_draw(&p->mc, w, spread, md->nnode, (uint64_t)d, wd, &in, &ia, &iw);
        fprintf(f, "%d,%d,%d,%d", d, p->mc.nwinsor > 1 ? iw : 0, p->mc.nnorm > 1 ? in : 0,
                p->mc.nagg > 1 ? ia : 0);
        for (size_t k = 0; k < md->nnode; k++) {
            gf_fmt_double(buf, sizeof buf, wd[k]);
            fprintf(f, ",%s", buf);
        }
        fputc('\n', f);
    }
    free(wd);
    free(spread);
    return gf_outfile_commit(&of, &cli->err);
}

/* Ranks of the index in the period before the evaluated one (same pipeline, no sensitivity),
 * for the units that have data then; 0 = no rank.  NULL when it cannot be computed (a note
 * says why on stderr).  Indexed by the model's unit. */
static int *previous_ranks(const struct gf_eval_pipeline *p0, const struct gf_eval_coinr *md,
                           const char *data)
{
    size_t n = md->n, m = md->m, nd = md->nden, t = md->nper - 1;
    int *prev = calloc(n, sizeof *prev);
    size_t *map = malloc(n * sizeof *map);
    double *x = malloc(n * m * sizeof *x), *den = malloc(nz(n * nd) * sizeof *den);
    double *panel = malloc(nz(t * n * m) * sizeof *panel);
    int *grp = md->group ? malloc(md->ngroup * n * sizeof *grp) : NULL;
    struct gf_eval_pipeline p = *p0;
    struct gf_eval_result r;
    struct gf_err e = {0};
    int ok = 0;
    if (!prev || !map || !x || !den || !panel || (md->group && !grp))
        goto out;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const double *row = md->panel + (t * n + i) * m;
        int any = 0;
        for (size_t j = 0; j < m; j++)
            any |= !isnan(row[j]);
        if (!any)
            continue;
        map[k] = i;
        memcpy(x + k * m, row, m * sizeof *x);
        if (nd)
            memcpy(den + k * nd, md->pden + (t * n + i) * nd, nd * sizeof *den);
        for (size_t g = 0; grp && g < md->ngroup; g++)
            grp[g * n + k] = md->group[g * n + i];
        for (size_t q = 0; q < t; q++)
            memcpy(panel + (q * n + k) * m, md->panel + (q * n + i) * m, m * sizeof *panel);
        k++;
    }
    /* panel rows were laid out with stride n: keep it (rows ≥ k unused) */
    p.mc.draws = 0;
    for (size_t g = 1; grp && g < md->ngroup && k != n; g++) /* group columns: stride k */
        memmove(grp + g * k, grp + g * n, k * sizeof *grp);
    struct gf_eval_input in = {k,       m,          x,
                               md->ind, &md->tree,  nd ? den : NULL,
                               nd,      grp,        t ? panel : NULL,
                               t,       md->ngroup, (const char *const *)md->grpcode.v};
    if (k < 2) {
        snprintf(e.msg, sizeof e.msg, "fewer than two units have data");
    } else if (t > 0 && k != n) {
        /* the library expects nper × k × m: compact the earlier periods */
        for (size_t q = 0; q < t; q++)
            memmove(panel + q * k * m, panel + q * n * m, k * m * sizeof *panel);
    }
    if (k >= 2 && gf_eval_run(&p, &in, &r, &e) == GF_OK) {
        for (size_t i = 0; i < r.n; i++)
            prev[map[r.rowmap[i]]] = r.rank[i * r.nnode + r.root];
        gf_eval_result_free(&r);
        ok = 1;
    }
    if (!ok)
        fprintf(stderr, "gongfu: note: no rank change: %s, period %d: %s\n", data, md->years[t],
                e.msg[0] ? e.msg : "out of memory");
out:
    free(map);
    free(x);
    free(den);
    free(panel);
    free(grp);
    if (!ok) {
        free(prev);
        return NULL;
    }
    return prev;
}

/* ---- mcda score ---- */

static int mcda_score(struct gf_cli *cli, int argc, char **argv)
{
    const char *meta = NULL, *data = NULL, *pipe = NULL, *file = NULL, *show = "scores",
               *cost = NULL, *draws_out = NULL, *sens = NULL, *seed = NULL, *threads = NULL,
               *period = NULL, *tyear = NULL;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = !strcmp(a, "--meta")          ? &meta
                            : !strcmp(a, "--data")        ? &data
                            : !strcmp(a, "--pipeline")    ? &pipe
                            : !strcmp(a, "--show")        ? &show
                            : !strcmp(a, "--cost")        ? &cost
                            : !strcmp(a, "--draws-out")   ? &draws_out
                            : !strcmp(a, "--sensitivity") ? &sens
                            : !strcmp(a, "--seed")        ? &seed
                            : !strcmp(a, "--threads")     ? &threads
                            : !strcmp(a, "--period")      ? &period
                            : !strcmp(a, "--target-year") ? &tyear
                                                          : NULL;
        if (slot) {
            if (i + 1 >= argc)
                return gf_cli_usage(cli, "mcda score: %s needs a value", a);
            *slot = argv[++i];
        } else if (a[0] == '-' && a[1])
            return gf_cli_usage(cli, "mcda score: unknown option '%s'", a);
        else if (file)
            return gf_cli_usage(cli, "mcda score: one file only ('%s' and '%s')", file, a);
        else
            file = a;
    }
    if (!file == !(meta && data) || (!!meta != !!data))
        return gf_cli_usage(cli,
                            "mcda score: needs either --meta iMeta.csv --data iData.csv or one "
                            "matrix CSV file");
    int mode = !strcmp(show, "scores")          ? 0
               : !strcmp(show, "weights")       ? 1
               : !strcmp(show, "attainment")    ? 2
               : !strcmp(show, "contributions") ? 3
               : !strcmp(show, "targets")       ? 4
                                                : -1;
    if (mode < 0)
        return gf_cli_usage(cli,
                            "mcda score: --show '%s' is not one of scores, weights, attainment, "
                            "contributions, targets",
                            show);
    long target_year = 2025;
    if (tyear) {
        char *te;
        target_year = strtol(tyear, &te, 10);
        if (*te || target_year < 1900 || target_year > 2200)
            return gf_cli_usage(cli, "mcda score: --target-year '%s': expected a year", tyear);
    }
    if (period && !meta)
        return gf_cli_usage(cli, "mcda score: --period needs --meta/--data with a Time column");
    long nsens = -1, nthreads = -1;
    unsigned long long nseed = 0;
    char *end;
    if (sens) {
        nsens = strtol(sens, &end, 10);
        if (*end || nsens < 0 || nsens > 10000000)
            return gf_cli_usage(cli, "mcda score: --sensitivity '%s': expected a number of draws",
                                sens);
    }
    if (seed) {
        errno = 0;
        nseed = strtoull(seed, &end, 10);
        if (*end || errno || seed[0] == '-')
            return gf_cli_usage(cli, "mcda score: --seed '%s': expected a non-negative integer",
                                seed);
    }
    if (threads) {
        nthreads = strtol(threads, &end, 10);
        if (*end || nthreads < 1 || nthreads > 64)
            return gf_cli_usage(cli, "mcda score: --threads '%s': expected 1 to 64", threads);
    }
    struct gf_eval_pipeline p;
    int rc;
    if (pipe) {
        char *txt = NULL;
        size_t len = 0;
        if ((rc = gf_input_read_file(pipe, MAX_PIPELINE_BYTES, &txt, &len, &cli->err)))
            return rc;
        rc = gf_eval_pipeline_parse(txt, len, pipe, &p, &cli->err);
        free(txt);
        if (rc)
            return rc;
    } else if ((rc = gf_eval_pipeline_parse(default_pipeline, strlen(default_pipeline), "default",
                                            &p, &cli->err)))
        return rc;
    if (nsens >= 0)
        p.mc.draws = (int)nsens;
    if (seed)
        p.mc.seed = nseed;
    if (nthreads > 0)
        p.mc.threads = (int)nthreads;

    struct gf_eval_coinr md;
    memset(&md, 0, sizeof md);
    if (file) {
        struct gf_eval_matrix mx;
        if ((rc = gf_eval_matrix_read(file, &mx, &cli->err)))
            return rc;
        int *dir = calloc(mx.m, sizeof *dir);
        if (!dir)
            rc = gf_err_set(&cli->err, GF_ENOMEM, "out of memory");
        else if (!(rc = cost_dirs(cli, cost, &mx.cols, dir)))
            rc = gf_eval_coinr_flat(&mx, dir, &md, &cli->err);
        free(dir);
        gf_eval_matrix_free(&mx);
        if (rc) {
            gf_eval_coinr_free(&md);
            return rc;
        }
    } else {
        if (cost)
            return gf_cli_usage(cli,
                                "mcda score: --cost is for a plain matrix; iMeta has Direction");
        if ((rc = gf_eval_coinr_read(meta, data, period, &md, &cli->err)))
            return rc;
    }
    if (period && md.years == NULL) {
        gf_eval_coinr_free(&md);
        return gf_cli_usage(cli, "mcda score: --period: %s has no Time column", data);
    }
    if (mode == 4 && md.nper == 0) {
        gf_eval_coinr_free(&md);
        return gf_err_set(&cli->err, GF_EUSER,
                          "mcda score --show targets: needs earlier periods (a Time column in %s "
                          "with more than one period)",
                          file ? file : data);
    }
    struct gf_eval_input in = {md.n,    md.m,      md.x,
                               md.ind,  &md.tree,  md.den,
                               md.nden, md.group,  md.nper ? md.panel : NULL,
                               md.nper, md.ngroup, (const char *const *)md.grpcode.v};
    struct gf_eval_result r;
    if ((rc = gf_eval_run(&p, &in, &r, &cli->err))) {
        gf_err_prefix(&cli->err, "%s", file ? file : data);
        gf_eval_coinr_free(&md);
        return rc;
    }
    int *prev_rank = md.nper ? previous_ranks(&p, &md, data) : NULL;
    if (draws_out && p.mc.draws > 0 && (rc = write_draws(cli, draws_out, &p, r.weight, &md)))
        goto out;
    struct gf_table *t = NULL;
    if (mode == 1) { /* weights of every node */
        static const struct gf_column cols[] = {{"node", "节点", "node"},
                                                {"level", "层级", "level"},
                                                {"parent", "上级", "parent"},
                                                {"weight", "组内权重", "weight"},
                                                {"effective", "总权重", "effective weight"},
                                                {"winsorised", "缩尾个数", "winsorised"},
                                                {"log", "对数变换", "log"}};
        t = gf_table_new(cols, 7);
        for (size_t k = 0; k < md.nnode; k++) {
            gf_table_row(t);
            gf_table_text(t, 0, md.node[k].code);
            gf_table_int(t, 1, md.node[k].level);
            gf_table_text(t, 2, md.node[k].parent >= 0 ? md.node[md.node[k].parent].code : "");
            gf_table_num(t, 3, r.weight[k], 4);
            gf_table_num(t, 4, r.eff[k], 4);
            if (k < md.m) {
                gf_table_int(t, 5, r.treat[k].nwinsor);
                gf_table_int(t, 6, r.treat[k].logged);
            }
        }
    } else if (mode == 4) { /* target tracking over the periods */
        static const struct gf_column cols[] = {{"unit", "单位", "unit"},
                                                {"indicator", "指标", "indicator"},
                                                {"year", "最新年份", "year"},
                                                {"value", "最新值", "value"},
                                                {"target", "目标值", "target"},
                                                {"target_year", "目标年份", "target year"},
                                                {"needed", "所需年均增速", "growth needed"},
                                                {"recent", "近期年均增速", "recent growth"},
                                                {"status", "进度判断", "status"},
                                                {"note", "说明", "note"}};
        static const char *const st_zh[] = {"正常推进", "存在风险", "进度滞后", "已达标"};
        double scale = 1;
        for (int s2 = 0; s2 < p.nstep; s2++)
            if (p.step[s2].kind == GF_STEP_DENOMINATE && p.step[s2].scale > 0)
                scale = p.step[s2].scale;
        size_t np = md.nper + 1;
        double *ser = malloc(np * sizeof *ser);
        if (!ser) {
            rc = gf_err_set(&cli->err, GF_ENOMEM, "out of memory");
            goto out;
        }
        t = gf_table_new(cols, 10);
        for (size_t i = 0; i < r.n; i++)
            for (size_t j = 0; j < md.m; j++) {
                const struct gf_eval_ind *id = md.ind + j;
                if (isnan(id->target) || id->direction == GF_EVAL_BAND)
                    continue;
                size_t u = r.rowmap[i];
                for (size_t q = 0; q < np; q++) {
                    const double *xs =
                        q < md.nper ? md.panel + (q * md.n + u) * md.m : md.x + u * md.m;
                    double v = xs[j];
                    if (id->denominator >= 0) {
                        const double *ds =
                            q < md.nper ? md.pden + (q * md.n + u) * md.nden : md.den + u * md.nden;
                        double dv = ds[id->denominator];
                        v = dv != 0 && !isnan(dv) ? v / dv * scale : NAN;
                    }
                    ser[q] = v;
                }
                struct gf_eval_track_result tr;
                struct gf_err te = {0};
                gf_table_row(t);
                gf_table_text(t, 0, md.ucode.v[u]);
                gf_table_text(t, 1, md.icode.v[j]);
                gf_table_num(t, 4, id->target, 4);
                gf_table_int(t, 5, target_year);
                if (gf_eval_target_track(ser, md.years, np, id->target, (int)target_year,
                                         id->direction, 3, 0.5, &tr, &te) != GF_OK) {
                    gf_table_text(t, 8,
                                  cli->format != GF_FMT_TABLE ? "unknown"
                                                              : L(cli, "无法判断", "unknown"));
                    gf_table_text(t, 9, te.msg);
                    continue;
                }
                gf_table_int(t, 2, tr.last_year);
                gf_table_num(t, 3, tr.last, 4);
                if (isfinite(tr.needed))
                    gf_table_num(t, 6, tr.needed, 4);
                gf_table_num(t, 7, tr.recent, 4);
                /* stable codes for programs, words for people */
                gf_table_text(t, 8,
                              cli->format != GF_FMT_TABLE || (cli->lang && cli->lang[0] == 'e')
                                  ? gf_eval_track_name(tr.status)
                                  : st_zh[tr.status]);
            }
        free(ser);
    } else if (mode == 2 || mode == 3) { /* long: unit × indicator */
        static const struct gf_column cols[] = {{"unit", "单位", "unit"},
                                                {"indicator", "指标", "indicator"},
                                                {"value", "数值", "value"},
                                                {"normalised", "标准化值", "normalised"},
                                                {"rank", "排名", "rank"},
                                                {"attainment", "实现程度", "attainment"},
                                                {"contribution", "贡献", "contribution"}};
        if (mode == 3 && !r.contrib) {
            rc = gf_err_set(&cli->err, GF_EUSER,
                            "contributions are additive only under the arithmetic mean; this "
                            "pipeline aggregates with %s",
                            "another method");
            goto out;
        }
        t = gf_table_new(cols, 7);
        for (size_t i = 0; i < r.n; i++)
            for (size_t j = 0; j < md.m; j++) {
                gf_table_row(t);
                gf_table_text(t, 0, md.ucode.v[r.rowmap[i]]);
                gf_table_text(t, 1, md.icode.v[j]);
                gf_table_num(t, 2, r.raw[i * md.m + j], 4);
                gf_table_num(t, 3, r.y[i * md.m + j], 4);
                gf_table_int(t, 4, r.rank[i * md.nnode + j]);
                gf_table_num(t, 5, r.attain[i * md.m + j], 4);
                if (r.contrib)
                    gf_table_num(t, 6, r.contrib[i * md.m + j], 4);
            }
    } else {
        size_t nagg = md.nnode - md.m - 1, ncol = 7 + nagg + (r.sens ? 4 : 0);
        struct gf_column *cols = calloc(ncol, sizeof *cols);
        char **names = calloc(nagg + 1, sizeof *names);
        if (!cols || !names) {
            free(cols);
            free(names);
            rc = gf_err_set(&cli->err, GF_ENOMEM, "out of memory");
            goto out;
        }
        size_t c = 0;
        cols[c++] = (struct gf_column){"unit", "单位", "unit"};
        cols[c++] = (struct gf_column){"name", "名称", "name"};
        cols[c++] = (struct gf_column){"score", "综合得分", "score"};
        cols[c++] = (struct gf_column){"rank", "排名", "rank"};
        if (prev_rank)
            cols[c++] = (struct gf_column){"rank_change", "名次变化", "rank change"};
        size_t q = 0;
        for (size_t k = md.m; k < md.nnode; k++)
            if (k != r.root)
                cols[c++] = (struct gf_column){md.node[k].code, NULL, NULL}, q++;
        cols[c++] = (struct gf_column){"strengths", "优势指标", "strengths"};
        cols[c++] = (struct gf_column){"weaknesses", "短板指标", "weaknesses"};
        if (r.sens) {
            cols[c++] = (struct gf_column){"rank_median", "排名中位数", "median rank"};
            cols[c++] = (struct gf_column){"rank_p05", "排名5%分位", "rank p5"};
            cols[c++] = (struct gf_column){"rank_p95", "排名95%分位", "rank p95"};
            cols[c++] = (struct gf_column){"rank_shift", "平均排名变动", "mean rank shift"};
        }
        t = gf_table_new(cols, (int)c);
        free(cols);
        free(names);
        for (size_t i = 0; i < r.n; i++) {
            size_t col = 0;
            gf_table_row(t);
            gf_table_text(t, (int)col++, md.ucode.v[r.rowmap[i]]);
            gf_table_text(t, (int)col++, md.uname.v[r.rowmap[i]]);
            gf_table_num(t, (int)col++, r.score[i * md.nnode + r.root], 4);
            gf_table_int(t, (int)col++, r.rank[i * md.nnode + r.root]);
            if (prev_rank) {
                if (prev_rank[r.rowmap[i]] > 0)
                    gf_table_int(t, (int)col,
                                 prev_rank[r.rowmap[i]] - r.rank[i * md.nnode + r.root]);
                col++;
            }
            for (size_t k = md.m; k < md.nnode; k++)
                if (k != r.root)
                    gf_table_num(t, (int)col++, r.score[i * md.nnode + k], 4);
            for (int bw = 0; bw < 2; bw++) {
                char buf[512] = "";
                const int *lst = (bw ? r.worst : r.best) + i * (size_t)r.k;
                for (int a = 0; a < r.k; a++) {
                    if (lst[a] < 0)
                        continue;
                    if (buf[0])
                        strncat(buf, ";", sizeof buf - strlen(buf) - 1);
                    strncat(buf, md.icode.v[lst[a]], sizeof buf - strlen(buf) - 1);
                }
                gf_table_text(t, (int)col++, buf);
            }
            if (r.sens) {
                gf_table_num(t, (int)col++, r.sens[i].median, 1);
                gf_table_num(t, (int)col++, r.sens[i].p05, 1);
                gf_table_num(t, (int)col++, r.sens[i].p95, 1);
                gf_table_num(t, (int)col++, r.sens[i].mean_shift, 2);
            }
        }
    }
    gf_table_print(t, stdout, cli->format, cli->lang);
    gf_table_free(t);
out:
    free(prev_rank);
    gf_eval_result_free(&r);
    gf_eval_coinr_free(&md);
    return rc;
}

int cmd_mcda(struct gf_cli *cli, int argc, char **argv)
{
    if (argc < 2 || gf_cli_wants_help(argc, argv)) {
        usage(cli);
        return argc < 2 ? gf_cli_usage(cli, "mcda: needs weights, topsis or score") : 0;
    }
    if (!strcmp(argv[1], "weights"))
        return mcda_weights(cli, argc, argv);
    if (!strcmp(argv[1], "topsis"))
        return mcda_topsis(cli, argc, argv);
    if (!strcmp(argv[1], "score"))
        return mcda_score(cli, argc, argv);
    return gf_cli_usage(cli, "mcda: unknown subcommand '%s' (weights, topsis, score)", argv[1]);
}
