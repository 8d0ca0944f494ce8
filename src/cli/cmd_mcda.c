/* cmd_mcda.c — `gongfu mcda weights|topsis|score`: the evaluation engine (core/eval.h) on a CSV
 * matrix (first column the unit code, a header row of indicator codes) or on a COINr-shaped
 * iMeta + iData pair, so an analyst can use it on a spreadsheet without a database. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/eval.h"
#include "domain/eval_pipeline.h"
#include "util/csv.h"

#define MAX_COLS 100000
#define MAX_ROWS 50000000L
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
           "  gongfu mcda topsis [--weights 0.4,0.3,…] [--cost 列,…] [--weights-in-distance] 文件.csv\n"
           "  gongfu mcda score (--meta iMeta.csv --data iData.csv | 文件.csv) [--pipeline 文件.json]\n"
           "                    [--sensitivity N] [--seed S] [--threads T]\n"
           "                    [--show scores|weights|attainment|contributions|targets] [--draws-out 文件]\n"
           "                    [--period 年份] [--target-year 2025]\n"
           "矩阵 CSV: 第一列为单位代码, 表头为指标代码; 空值或 NA 为缺失。\n"
           "iMeta 列: iCode,iName,Level,Parent,Direction,Weight,Denominator,Target,Type\n"
           "(可选 BandLo,BandHi,LimLo,LimHi,GoalLo,GoalHi); iData 列: uCode,uName,分组列,分母列,指标列。\n"
           "管道格式见 docs/evaluation.md; 默认: 目标实现程度 + 体系权重 + 加权算术平均。",
           "usage:\n"
           "  gongfu mcda weights --method entropy|critic|equal [--normalise none|minmax]\n"
           "                      [--shift none|0.0001|0.01|rescale] [--cost COL,…] FILE.csv\n"
           "  gongfu mcda topsis [--weights 0.4,0.3,…] [--cost COL,…] [--weights-in-distance] FILE.csv\n"
           "  gongfu mcda score (--meta iMeta.csv --data iData.csv | FILE.csv) [--pipeline FILE.json]\n"
           "                    [--sensitivity N] [--seed S] [--threads T]\n"
           "                    [--show scores|weights|attainment|contributions|targets] [--draws-out FILE]\n"
           "                    [--period YEAR] [--target-year 2025]\n"
           "Matrix CSV: first column the unit code, header row of indicator codes; empty or NA = missing.\n"
           "iMeta columns: iCode,iName,Level,Parent,Direction,Weight,Denominator,Target,Type\n"
           "(optional BandLo,BandHi,LimLo,LimHi,GoalLo,GoalHi); iData: uCode,uName,groups,denominators,\n"
           "indicators.  Pipelines: docs/evaluation.md; default: attainment + framework weights +\n"
           "weighted arithmetic mean."));
}

/* ---- small helpers ---- */

struct strs {
    char **v;
    size_t n, cap;
};

static int strs_push(struct strs *s, const char *x, struct gf_err *e)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        char **v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return gf_err_set(e, GF_ENOMEM, "out of memory");
        s->v = v;
        s->cap = cap;
    }
    size_t len = strlen(x) + 1;
    if (!(s->v[s->n] = malloc(len)))
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    memcpy(s->v[s->n++], x, len);
    return GF_OK;
}

static void strs_free(struct strs *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

static long strs_find(const struct strs *s, const char *x)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->v[i], x))
            return (long)i;
    return -1;
}

struct dbuf {
    double *v;
    size_t n, cap;
};

static int dbuf_push(struct dbuf *b, double x, struct gf_err *e)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        double *v = realloc(b->v, cap * sizeof *v);
        if (!v)
            return gf_err_set(e, GF_ENOMEM, "out of memory");
        b->v = v;
        b->cap = cap;
    }
    b->v[b->n++] = x;
    return GF_OK;
}

/* A cell as a number: empty, NA, NaN, "." = missing (NaN); anything else must be a finite
 * decimal number. Returns 0 on success. */
static size_t nz(size_t k)
{
    return k ? k : 1;
}

static int parse_cell(const char *s, double *out)
{
    while (*s == ' ')
        s++;
    if (!*s || !strcmp(s, "NA") || !strcmp(s, "NaN") || !strcmp(s, "nan") || !strcmp(s, ".") ||
        !strcmp(s, "-")) {
        *out = NAN;
        return 0;
    }
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    while (*end == ' ')
        end++;
    if (*end || errno == ERANGE || !isfinite(d))
        return -1;
    *out = d;
    return 0;
}

/* "a,b,c" → doubles; returns count or -1. */
static int parse_list(const char *s, double *out, int max)
{
    int k = 0;
    char buf[64];
    while (*s) {
        const char *c = strchr(s, ',');
        size_t len = c ? (size_t)(c - s) : strlen(s);
        if (len == 0 || len >= sizeof buf || k >= max)
            return -1;
        memcpy(buf, s, len);
        buf[len] = 0;
        if (parse_cell(buf, &out[k]) || isnan(out[k]))
            return -1;
        k++;
        s += len + (c ? 1 : 0);
        if (c && !*s)
            return -1;
    }
    return k;
}

/* ---- a plain matrix CSV ---- */

struct matrix {
    struct strs units, cols;
    double *x; /* units × cols */
    size_t n, m;
};

static void matrix_free(struct matrix *mx)
{
    strs_free(&mx->units);
    strs_free(&mx->cols);
    free(mx->x);
    memset(mx, 0, sizeof *mx);
}

static int read_matrix(const char *path, struct matrix *mx, struct gf_err *e)
{
    struct gf_csv c;
    struct dbuf vals = {0};
    memset(mx, 0, sizeof *mx);
    int rc = gf_csv_open(&c, path, e);
    if (rc)
        return rc;
    rc = gf_csv_read(&c, e);
    if (rc <= 0) {
        if (rc == 0)
            rc = gf_err_at(e, path, 1, NULL, NULL, "a header row: unit code, indicator codes…");
        goto out;
    }
    if (c.nfield < 2) {
        rc = gf_err_at(e, path, c.line, NULL, c.field[0],
                       "a header with a unit column and at least one indicator column");
        goto out;
    }
    if (c.nfield - 1 > MAX_COLS) {
        rc = gf_err_at(e, path, c.line, NULL, NULL, "at most %d indicator columns", MAX_COLS);
        goto out;
    }
    for (size_t j = 1; j < c.nfield; j++) {
        if (!c.field[j][0] || strs_find(&mx->cols, c.field[j]) >= 0) {
            rc = gf_err_at(e, path, c.line, "header", c.field[j],
                           "a non-empty indicator code, different from the others");
            goto out;
        }
        if ((rc = strs_push(&mx->cols, c.field[j], e)))
            goto out;
    }
    mx->m = mx->cols.n;
    while ((rc = gf_csv_read(&c, e)) == 1) {
        if (c.nfield != mx->m + 1) {
            char exp[64];
            snprintf(exp, sizeof exp, "%zu fields like the header, got %zu", mx->m + 1, c.nfield);
            rc = gf_err_at(e, path, c.line, NULL, NULL, "%s", exp);
            goto out;
        }
        if (!c.field[0][0]) {
            rc = gf_err_at(e, path, c.line, c.field ? "unit" : NULL, "", "a unit code");
            goto out;
        }
        if ((long)mx->units.n >= MAX_ROWS) {
            rc = gf_err_at(e, path, c.line, NULL, NULL, "at most %ld units", MAX_ROWS);
            goto out;
        }
        if ((rc = strs_push(&mx->units, c.field[0], e)))
            goto out;
        for (size_t j = 1; j < c.nfield; j++) {
            double d;
            if (parse_cell(c.field[j], &d)) {
                rc = gf_err_at(e, path, c.line, mx->cols.v[j - 1], c.field[j],
                               "a number (empty or NA for missing)");
                goto out;
            }
            if ((rc = dbuf_push(&vals, d, e)))
                goto out;
        }
    }
    if (rc < 0)
        goto out;
    mx->n = mx->units.n;
    if (mx->n < 2) {
        rc = gf_err_at(e, path, c.line, NULL, NULL, "at least two units (rows), got %zu", mx->n);
        goto out;
    }
    mx->x = vals.v;
    vals.v = NULL;
    rc = GF_OK;
out:
    free(vals.v);
    gf_csv_close(&c);
    if (rc)
        matrix_free(mx);
    return rc;
}

/* --cost A,B → dir[] (−1 for the named columns); names must exist. */
static int cost_dirs(struct gf_cli *cli, const char *cost, const struct strs *cols, int *dir)
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
        long j = strs_find(cols, buf);
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
        return gf_cli_usage(cli, "mcda weights: needs --method entropy|critic|equal and a CSV file");
    int wm = gf_eval_weight_parse(method);
    if (wm < 0 || wm == GF_WEIGHT_FRAMEWORK)
        return gf_cli_usage(cli, "mcda weights: --method '%s' is not one of entropy, critic, equal",
                            method);
    if (strcmp(normalise, "none") && strcmp(normalise, "minmax"))
        return gf_cli_usage(cli, "mcda weights: --normalise '%s' is not one of none, minmax",
                            normalise);
    int sh = gf_eval_shift_parse(shift);
    if (sh < 0)
        return gf_cli_usage(cli, "mcda weights: --shift '%s' is not one of none, 0.0001, 0.01, rescale",
                            shift);
    struct matrix mx;
    int rc = read_matrix(file, &mx, &cli->err);
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
    matrix_free(&mx);
    return rc;
}

/* ---- mcda topsis ---- */

static int mcda_topsis(struct gf_cli *cli, int argc, char **argv)
{
    const char *weights = NULL, *cost = NULL, *file = NULL;
    int wid = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = !strcmp(a, "--weights") ? &weights : !strcmp(a, "--cost") ? &cost : NULL;
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
    struct matrix mx;
    int rc = read_matrix(file, &mx, &cli->err);
    if (rc)
        return rc;
    double *w = malloc(mx.m * sizeof *w), *cl = malloc(mx.n * sizeof *cl);
    int *dir = malloc(mx.m * sizeof *dir), *rank = malloc(mx.n * sizeof *rank);
    if (!w || !cl || !dir || !rank) {
        rc = gf_err_set(&cli->err, GF_ENOMEM, "out of memory");
        goto out;
    }
    if (weights) {
        int k = parse_list(weights, w, (int)mx.m + 1);
        if (k < 0) {
            rc = gf_cli_usage(cli, "mcda topsis: --weights '%s': expected numbers separated by commas",
                              weights);
            goto out;
        }
        if ((size_t)k != mx.m) {
            rc = gf_cli_usage(cli, "mcda topsis: --weights has %d numbers but %s has %zu criteria", k,
                              file, mx.m);
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
    static const struct gf_column cols[] = {{"unit", "单位", "unit"},
                                            {"closeness", "贴近度", "closeness"},
                                            {"rank", "排名", "rank"}};
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
    matrix_free(&mx);
    return rc;
}

/* ---- COINr-shaped iMeta + iData ---- */

struct model {
    struct strs icode, iname, ucode, uname, aggcode, dencode, grpcode;
    size_t m, nnode, n, nden;
    struct gf_eval_ind *ind;   /* m */
    struct gf_eval_node *node; /* nnode: indicators then aggregates */
    struct gf_eval_tree tree;
    double *x;   /* n × m */
    double *den; /* n × nden */
    int *group;  /* n (first group column), NULL if none */
    /* panel data (iData with a Time column): the evaluated period is years[nper] */
    size_t nper;      /* earlier periods */
    int *years;       /* nper + 1, ascending */
    double *panel;    /* nper × n × m, NaN where a unit has no row */
    double *pden;     /* nper × n × nden */
};

static void model_free(struct model *md)
{
    strs_free(&md->icode);
    strs_free(&md->iname);
    strs_free(&md->ucode);
    strs_free(&md->uname);
    strs_free(&md->aggcode);
    strs_free(&md->dencode);
    strs_free(&md->grpcode);
    free(md->ind);
    free(md->node);
    free(md->x);
    free(md->den);
    free(md->group);
    free(md->years);
    free(md->panel);
    free(md->pden);
    memset(md, 0, sizeof *md);
}

struct meta_row {
    char *code, *name, *parent, *den, *type;
    double level, dir, weight, target, blo, bhi, llo, lhi, glo, ghi;
    long line;
};

static int meta_num(const char *path, long line, const char *field, const char *v, int required,
                    double *out, struct gf_err *e)
{
    if (parse_cell(v, out))
        return gf_err_at(e, path, line, field, v, "a number");
    if (required && isnan(*out))
        return gf_err_at(e, path, line, field, v, "a number (required)");
    return GF_OK;
}

static char *xdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static int read_meta(const char *path, struct model *md, struct meta_row **rowsp, size_t *nrowsp,
                     struct gf_err *e)
{
    static const char *const req[] = {"iCode", "Level", "Parent", "Direction", "Weight", "Type"};
    static const char *const opt[] = {"iName",  "Denominator", "Target", "BandLo", "BandHi",
                                      "LimLo", "LimHi",       "GoalLo", "GoalHi"};
    int ci[6], co[9];
    struct gf_csv c;
    struct meta_row *rows = NULL;
    size_t nrows = 0, cap = 0;
    int rc = gf_csv_open(&c, path, e);
    if (rc)
        return rc;
    if ((rc = gf_csv_read(&c, e)) <= 0) {
        if (rc == 0)
            rc = gf_err_at(e, path, 1, NULL, NULL, "a header row (iCode,Level,Parent,…)");
        goto out;
    }
    for (int k = 0; k < 6; k++)
        if ((ci[k] = gf_csv_index(c.field, c.nfield, req[k])) < 0) {
            rc = gf_err_at(e, path, c.line, req[k], NULL,
                           "a column %s (iMeta needs iCode, Level, Parent, Direction, Weight, Type)",
                           req[k]);
            goto out;
        }
    for (int k = 0; k < 9; k++)
        co[k] = gf_csv_index(c.field, c.nfield, opt[k]);
    size_t nhead = c.nfield;
    while ((rc = gf_csv_read(&c, e)) == 1) {
        if (c.nfield != nhead) {
            rc = gf_err_at(e, path, c.line, NULL, NULL, "%zu fields like the header, got %zu", nhead,
                           c.nfield);
            goto out;
        }
        if (nrows == cap) {
            cap = cap ? cap * 2 : 64;
            struct meta_row *r = realloc(rows, cap * sizeof *r);
            if (!r) {
                rc = gf_err_set(e, GF_ENOMEM, "out of memory");
                goto out;
            }
            rows = r;
        }
        struct meta_row *r = rows + nrows;
        memset(r, 0, sizeof *r);
        nrows++;
        r->line = c.line;
        const char *code = c.field[ci[0]], *type = c.field[ci[5]];
        if (!code[0]) {
            rc = gf_err_at(e, path, c.line, "iCode", code, "an indicator or aggregate code");
            goto out;
        }
        if (strcmp(type, "Indicator") && strcmp(type, "Aggregate") && strcmp(type, "Group") &&
            strcmp(type, "Denominator") && strcmp(type, "Other")) {
            rc = gf_err_at(e, path, c.line, "Type", type,
                           "Indicator, Aggregate, Group, Denominator or Other");
            goto out;
        }
        r->code = xdup(code);
        r->type = xdup(type);
        r->name = xdup(co[0] >= 0 ? c.field[co[0]] : code);
        r->parent = xdup(c.field[ci[2]]);
        r->den = xdup(co[1] >= 0 ? c.field[co[1]] : "");
        if (!r->code || !r->type || !r->name || !r->parent || !r->den) {
            rc = gf_err_set(e, GF_ENOMEM, "out of memory");
            goto out;
        }
        int ia = !strcmp(type, "Indicator") || !strcmp(type, "Aggregate");
        if ((rc = meta_num(path, c.line, "Level", c.field[ci[1]], ia, &r->level, e)) ||
            (rc = meta_num(path, c.line, "Direction", c.field[ci[3]], 0, &r->dir, e)) ||
            (rc = meta_num(path, c.line, "Weight", c.field[ci[4]], 0, &r->weight, e)))
            goto out;
        double *optv[] = {NULL, NULL, &r->target, &r->blo, &r->bhi, &r->llo, &r->lhi, &r->glo, &r->ghi};
        for (int k = 2; k < 9; k++) {
            *optv[k] = NAN;
            if (co[k] >= 0 && (rc = meta_num(path, c.line, opt[k], c.field[co[k]], 0, optv[k], e)))
                goto out;
        }
        if (!strcmp(type, "Indicator")) {
            if (isnan(r->dir))
                r->dir = 1;
            if (r->dir != 1 && r->dir != -1 && r->dir != 0) {
                rc = gf_err_at(e, path, c.line, "Direction", c.field[ci[3]],
                               "1 (higher is better), -1 (lower is better) or 0 (interval)");
                goto out;
            }
        }
        if (ia && c.field[ci[2]][0] && isnan(r->weight))
            r->weight = 1;
        if (ia && !isnan(r->weight) && !(r->weight > 0)) {
            rc = gf_err_at(e, path, c.line, "Weight", c.field[ci[4]], "a positive weight");
            goto out;
        }
    }
    if (rc < 0)
        goto out;
    rc = GF_OK;
out:
    gf_csv_close(&c);
    *rowsp = rows;
    *nrowsp = nrows;
    (void)md;
    return rc;
}

static void meta_rows_free(struct meta_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].code);
        free(rows[i].name);
        free(rows[i].parent);
        free(rows[i].den);
        free(rows[i].type);
    }
    free(rows);
}

/* Build indicators, tree, then read iData. */
struct ucode_ix {
    const char *code;
    size_t unit;
};

static int cmp_ucode(const void *a, const void *b)
{
    return strcmp(((const struct ucode_ix *)a)->code, ((const struct ucode_ix *)b)->code);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Rows read from an iData with a Time column (md->x etc. hold one row per record): keep the
 * records of the evaluated period (period, or the latest when period is NULL) as the units,
 * and move the earlier periods into md->panel / md->pden.  Records of a unit absent from the
 * evaluated period are ignored; the same unit twice in one period is an error. */
static int panelise(struct model *md, const double *tv, const double *lv, const char *period,
                    const char *data, struct gf_err *e)
{
    size_t nrec = md->ucode.n, m = md->m, nd = md->nden;
    int *ys = malloc(nrec * sizeof *ys);
    struct ucode_ix *ix = malloc(nrec * sizeof *ix);
    struct strs uc = {0}, un = {0};
    double *x = NULL, *den = NULL;
    int *grp = NULL;
    int rc = GF_OK;
    if (!ys || !ix) {
        rc = gf_err_set(e, GF_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t r = 0; r < nrec; r++)
        ys[r] = (int)tv[r];
    qsort(ys, nrec, sizeof *ys, cmp_int);
    size_t ny = 0;
    for (size_t r = 0; r < nrec; r++)
        if (ny == 0 || ys[ny - 1] != ys[r])
            ys[ny++] = ys[r];
    int want = ys[ny - 1];
    if (period) {
        char *end;
        long p = strtol(period, &end, 10);
        size_t k = 0;
        while (k < ny && ys[k] != p)
            k++;
        if (*end || k == ny) {
            rc = gf_err_at(e, data, -1, "Time", period, "a period present in the data (%d to %d)",
                           ys[0], ys[ny - 1]);
            goto out;
        }
        want = (int)p;
    }
    size_t nper = 0;
    while (ys[nper] != want)
        nper++;
    size_t n = 0;
    for (size_t r = 0; r < nrec; r++)
        if ((int)tv[r] == want) {
            ix[n].code = md->ucode.v[r];
            ix[n++].unit = r; /* record index for now */
        }
    if (n < 2) {
        rc = gf_err_at(e, data, -1, "Time", NULL, "at least two units in period %d, got %zu", want,
                       n);
        goto out;
    }
    x = malloc(n * m * sizeof *x);
    den = malloc(nz(n * nd) * sizeof *den);
    grp = md->group ? malloc(n * sizeof *grp) : NULL;
    md->years = malloc((nper + 1) * sizeof *md->years);
    md->panel = malloc(nz(nper * n * m) * sizeof *md->panel);
    md->pden = malloc(nz(nper * n * nd) * sizeof *md->pden);
    if (!x || !den || (md->group && !grp) || !md->years || !md->panel || !md->pden) {
        rc = gf_err_set(e, GF_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t k = 0; k < n; k++) {
        size_t r = ix[k].unit;
        memcpy(x + k * m, md->x + r * m, m * sizeof *x);
        if (nd)
            memcpy(den + k * nd, md->den + r * nd, nd * sizeof *den);
        if (grp)
            grp[k] = md->group[r];
        if ((rc = strs_push(&uc, md->ucode.v[r], e)) || (rc = strs_push(&un, md->uname.v[r], e)))
            goto out;
        ix[k].code = uc.v[k];
        ix[k].unit = k;
    }
    qsort(ix, n, sizeof *ix, cmp_ucode);
    for (size_t k = 1; k < n; k++)
        if (!strcmp(ix[k].code, ix[k - 1].code)) {
            rc = gf_err_at(e, data, -1, "uCode", ix[k].code, "one row per unit in period %d", want);
            goto out;
        }
    for (size_t q = 0; q < nper * n * m; q++)
        md->panel[q] = NAN;
    for (size_t q = 0; q < nper * n * nd; q++)
        md->pden[q] = NAN;
    unsigned char *seen = calloc(nper * n + 1, 1);
    if (!seen) {
        rc = gf_err_set(e, GF_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t r = 0; r < nrec && !rc; r++) {
        int y = (int)tv[r];
        if (y >= want)
            continue;
        size_t t = 0;
        while (ys[t] != y)
            t++;
        struct ucode_ix key = {md->ucode.v[r], 0};
        struct ucode_ix *hit = bsearch(&key, ix, n, sizeof *ix, cmp_ucode);
        if (!hit)
            continue;
        if (seen[t * n + hit->unit]++) {
            rc = gf_err_at(e, data, (long)lv[r], "uCode", key.code, "one row per unit in period %d",
                           y);
            break;
        }
        memcpy(md->panel + (t * n + hit->unit) * m, md->x + r * m, m * sizeof *x);
        if (nd)
            memcpy(md->pden + (t * n + hit->unit) * nd, md->den + r * nd, nd * sizeof *den);
    }
    free(seen);
    if (rc)
        goto out;
    memcpy(md->years, ys, (nper + 1) * sizeof *ys);
    md->nper = nper;
    md->n = n;
    free(md->x);
    free(md->den);
    free(md->group);
    strs_free(&md->ucode);
    strs_free(&md->uname);
    md->x = x;
    md->den = den;
    md->group = grp;
    md->ucode = uc;
    md->uname = un;
    x = den = NULL;
    grp = NULL;
    memset(&uc, 0, sizeof uc);
    memset(&un, 0, sizeof un);
out:
    free(ys);
    free(ix);
    free(x);
    free(den);
    free(grp);
    strs_free(&uc);
    strs_free(&un);
    return rc;
}

static int read_model(const char *meta, const char *data, const char *period, struct model *md,
                      struct gf_err *e)
{
    struct dbuf tv = {0}, lv = {0};
    struct meta_row *rows = NULL;
    size_t nrows = 0;
    struct gf_csv c;
    int csv_open = 0;
    struct dbuf xv = {0}, dv = {0};
    struct strs gvals = {0};
    int *grp = NULL;
    size_t grp_cap = 0;
    memset(md, 0, sizeof *md);
    int rc = read_meta(meta, md, &rows, &nrows, e);
    if (rc)
        goto out;
    /* indicators in file order, then aggregates */
    for (size_t r = 0; r < nrows; r++) {
        long dup = -1;
        for (size_t q = 0; q < r; q++)
            if (!strcmp(rows[q].code, rows[r].code))
                dup = (long)q;
        if (dup >= 0) {
            rc = gf_err_at(e, meta, rows[r].line, "iCode", rows[r].code,
                           "a code not used before (line %ld has it)", rows[dup].line);
            goto out;
        }
        if (!strcmp(rows[r].type, "Indicator")) {
            if ((rc = strs_push(&md->icode, rows[r].code, e)) ||
                (rc = strs_push(&md->iname, rows[r].name, e)))
                goto out;
        } else if (!strcmp(rows[r].type, "Aggregate")) {
            if ((rc = strs_push(&md->aggcode, rows[r].code, e)))
                goto out;
        } else if (!strcmp(rows[r].type, "Denominator")) {
            if ((rc = strs_push(&md->dencode, rows[r].code, e)))
                goto out;
        } else if (!strcmp(rows[r].type, "Group")) {
            if ((rc = strs_push(&md->grpcode, rows[r].code, e)))
                goto out;
        }
    }
    md->m = md->icode.n;
    md->nnode = md->m + md->aggcode.n;
    md->nden = md->dencode.n;
    if (md->m < 1 || md->aggcode.n < 1) {
        rc = gf_err_at(e, meta, -1, "Type", NULL,
                       "at least one Indicator and one Aggregate row (the index)");
        goto out;
    }
    md->ind = calloc(md->m, sizeof *md->ind);
    md->node = calloc(md->nnode, sizeof *md->node);
    if (!md->ind || !md->node) {
        rc = gf_err_set(e, GF_ENOMEM, "out of memory");
        goto out;
    }
    size_t ki = 0, ka = md->m;
    for (size_t r = 0; r < nrows; r++) {
        struct meta_row *mr = rows + r;
        int isind = !strcmp(mr->type, "Indicator");
        if (!isind && strcmp(mr->type, "Aggregate"))
            continue;
        size_t k = isind ? ki++ : ka++;
        struct gf_eval_node *nd = md->node + k;
        nd->code = isind ? md->icode.v[k] : md->aggcode.v[k - md->m];
        nd->level = (int)mr->level;
        nd->weight = isnan(mr->weight) ? 1 : mr->weight;
        nd->parent = -1;
        if (mr->parent[0]) {
            long p = strs_find(&md->aggcode, mr->parent);
            if (p < 0) {
                rc = gf_err_at(e, meta, mr->line, "Parent", mr->parent,
                               "the iCode of an Aggregate row");
                goto out;
            }
            nd->parent = (int)(md->m + (size_t)p);
        } else if (isind) {
            rc = gf_err_at(e, meta, mr->line, "Parent", "", "the aggregate this indicator belongs to");
            goto out;
        }
        if (isind) {
            struct gf_eval_ind *id = md->ind + k;
            gf_eval_ind_init(id, nd->code);
            id->direction = (int)mr->dir;
            id->target = mr->target;
            id->band_lo = mr->blo;
            id->band_hi = mr->bhi;
            id->lim_lo = mr->llo;
            id->lim_hi = mr->lhi;
            id->goal_lo = mr->glo;
            id->goal_hi = mr->ghi;
            if (id->direction == GF_EVAL_BAND &&
                (isnan(mr->blo) || isnan(mr->bhi) || isnan(mr->llo) || isnan(mr->lhi))) {
                rc = gf_err_at(e, meta, mr->line, "Direction", "0",
                               "BandLo, BandHi, LimLo and LimHi for an interval indicator");
                goto out;
            }
            if (mr->den[0]) {
                long d = strs_find(&md->dencode, mr->den);
                if (d < 0) {
                    rc = gf_err_at(e, meta, mr->line, "Denominator", mr->den,
                                   "the iCode of a Denominator row");
                    goto out;
                }
                id->denominator = (int)d;
            }
        }
    }
    md->tree.nleaf = md->m;
    md->tree.nnode = md->nnode;
    md->tree.node = md->node;
    if ((rc = gf_eval_tree_check(&md->tree, e))) {
        gf_err_prefix(e, "%s", meta);
        goto out;
    }
    /* iData */
    if ((rc = gf_csv_open(&c, data, e)))
        goto out;
    csv_open = 1;
    if ((rc = gf_csv_read(&c, e)) <= 0) {
        if (rc == 0)
            rc = gf_err_at(e, data, 1, NULL, NULL, "a header row (uCode, indicators…)");
        goto out;
    }
    rc = GF_OK;
    size_t nhead = c.nfield;
    int iu = gf_csv_index(c.field, c.nfield, "uCode"), in = gf_csv_index(c.field, c.nfield, "uName");
    if (iu < 0) {
        rc = gf_err_at(e, data, c.line, "uCode", NULL, "a uCode column");
        goto out;
    }
    int *icol = malloc(md->m * sizeof *icol), *dcol = malloc((md->nden + 1) * sizeof *dcol);
    if (!icol || !dcol) {
        free(icol);
        free(dcol);
        rc = gf_err_set(e, GF_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t j = 0; j < md->m; j++)
        if ((icol[j] = gf_csv_index(c.field, c.nfield, md->icode.v[j])) < 0) {
            rc = gf_err_at(e, data, c.line, md->icode.v[j], NULL,
                           "a column for indicator %s (declared in %s)", md->icode.v[j], meta);
            break;
        }
    for (size_t d = 0; d < md->nden && !rc; d++)
        if ((dcol[d] = gf_csv_index(c.field, c.nfield, md->dencode.v[d])) < 0)
            rc = gf_err_at(e, data, c.line, md->dencode.v[d], NULL,
                           "a column for denominator %s (declared in %s)", md->dencode.v[d], meta);
    int gcol = md->grpcode.n ? gf_csv_index(c.field, c.nfield, md->grpcode.v[0]) : -1;
    int tcol = gf_csv_index(c.field, c.nfield, "Time");
    if (!rc && md->grpcode.n && gcol < 0)
        rc = gf_err_at(e, data, c.line, md->grpcode.v[0], NULL, "a column for group %s",
                       md->grpcode.v[0]);
    while (!rc && (rc = gf_csv_read(&c, e)) == 1) {
        if (c.nfield != nhead) {
            rc = gf_err_at(e, data, c.line, NULL, NULL, "%zu fields like the header, got %zu", nhead,
                           c.nfield);
            break;
        }
        const char *u = c.field[iu];
        if (!u[0]) {
            rc = gf_err_at(e, data, c.line, "uCode", u, "a unit code");
            break;
        }
        if ((long)md->ucode.n >= MAX_ROWS) {
            rc = gf_err_at(e, data, c.line, NULL, NULL, "at most %ld units", MAX_ROWS);
            break;
        }
        if ((rc = strs_push(&md->ucode, u, e)) ||
            (rc = strs_push(&md->uname, in >= 0 ? c.field[in] : u, e)))
            break;
        if (tcol >= 0) {
            char *end;
            long y = strtol(c.field[tcol], &end, 10);
            if (!c.field[tcol][0] || *end || y < -100000 || y > 100000) {
                rc = gf_err_at(e, data, c.line, "Time", c.field[tcol], "a year (integer)");
                break;
            }
            if ((rc = dbuf_push(&tv, (double)y, e)) || (rc = dbuf_push(&lv, (double)c.line, e)))
                break;
        }
        for (size_t j = 0; j < md->m && !rc; j++) {
            double v;
            if (parse_cell(c.field[icol[j]], &v))
                rc = gf_err_at(e, data, c.line, md->icode.v[j], c.field[icol[j]],
                               "a number (empty or NA for missing)");
            else
                rc = dbuf_push(&xv, v, e);
        }
        for (size_t d = 0; d < md->nden && !rc; d++) {
            double v;
            if (parse_cell(c.field[dcol[d]], &v))
                rc = gf_err_at(e, data, c.line, md->dencode.v[d], c.field[dcol[d]], "a number");
            else
                rc = dbuf_push(&dv, v, e);
        }
        if (!rc && gcol >= 0) {
            long g = strs_find(&gvals, c.field[gcol]);
            if (g < 0) {
                rc = strs_push(&gvals, c.field[gcol], e);
                g = (long)gvals.n - 1;
            }
            if (md->ucode.n > grp_cap) {
                grp_cap = grp_cap ? grp_cap * 2 : 256;
                int *ng = realloc(grp, grp_cap * sizeof *ng);
                if (!ng)
                    rc = gf_err_set(e, GF_ENOMEM, "out of memory");
                else
                    grp = ng;
            }
            if (!rc)
                grp[md->ucode.n - 1] = (int)g;
        }
    }
    free(icol);
    free(dcol);
    if (rc < 0)
        goto out;
    rc = GF_OK;
    md->n = md->ucode.n;
    if (md->n < 2) {
        rc = gf_err_at(e, data, c.line, NULL, NULL, "at least two units (rows), got %zu", md->n);
        goto out;
    }
    md->x = xv.v;
    xv.v = NULL;
    md->den = dv.v;
    dv.v = NULL;
    md->group = grp;
    grp = NULL;
    if (tcol >= 0)
        rc = panelise(md, tv.v, lv.v, period, data, e);
out:
    free(tv.v);
    free(lv.v);
    if (csv_open)
        gf_csv_close(&c);
    meta_rows_free(rows, nrows);
    free(xv.v);
    free(dv.v);
    free(grp);
    strs_free(&gvals);
    if (rc)
        model_free(md);
    return rc;
}

/* A flat model from a plain matrix: every column an indicator (positive, weight 1, or as
 * --cost says) under one root "index". */
static int flat_model(struct matrix *mx, struct model *md, const char *cost, struct gf_cli *cli)
{
    memset(md, 0, sizeof *md);
    md->icode = mx->cols;
    md->ucode = mx->units;
    memset(&mx->cols, 0, sizeof mx->cols);
    memset(&mx->units, 0, sizeof mx->units);
    md->x = mx->x;
    mx->x = NULL;
    md->n = mx->n;
    md->m = mx->m;
    md->nnode = md->m + 1;
    int rc = strs_push(&md->aggcode, "index", &cli->err);
    if (rc)
        return rc;
    for (size_t i = 0; i < md->n && !rc; i++)
        rc = strs_push(&md->uname, md->ucode.v[i], &cli->err);
    md->ind = calloc(md->m, sizeof *md->ind);
    md->node = calloc(md->nnode, sizeof *md->node);
    int *dir = calloc(md->m, sizeof *dir);
    if (rc || !md->ind || !md->node || !dir) {
        free(dir);
        return rc ? rc : gf_err_set(&cli->err, GF_ENOMEM, "out of memory");
    }
    if ((rc = cost_dirs(cli, cost, &md->icode, dir))) {
        free(dir);
        return rc;
    }
    for (size_t j = 0; j < md->m; j++) {
        gf_eval_ind_init(&md->ind[j], md->icode.v[j]);
        md->ind[j].direction = dir[j];
        md->node[j] = (struct gf_eval_node){md->icode.v[j], (int)md->m, 1, 1};
    }
    md->node[md->m] = (struct gf_eval_node){md->aggcode.v[0], -1, 1, 2};
    md->tree = (struct gf_eval_tree){md->m, md->nnode, md->node};
    free(dir);
    return GF_OK;
}

static int read_text(const char *path, char **out, size_t *len, struct gf_err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return gf_err_at(e, path, -1, NULL, NULL, "a readable file (%s)", strerror(errno));
    char *buf = malloc(MAX_PIPELINE_BYTES + 1);
    if (!buf) {
        fclose(f);
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    }
    size_t n = fread(buf, 1, MAX_PIPELINE_BYTES + 1, f);
    int err = ferror(f);
    fclose(f);
    if (err || n > MAX_PIPELINE_BYTES) {
        free(buf);
        return gf_err_at(e, path, -1, NULL, NULL, err ? "a readable file" : "at most %d bytes",
                         MAX_PIPELINE_BYTES);
    }
    buf[n] = 0;
    *out = buf;
    *len = n;
    return GF_OK;
}

static int write_draws(const char *path, const struct gf_eval_pipeline *p, const double *w,
                       const struct model *md, struct gf_err *e)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return gf_err_at(e, path, -1, NULL, NULL, "a writable file (%s)", strerror(errno));
    double *wd = malloc(md->nnode * sizeof *wd);
    if (!wd) {
        fclose(f);
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    }
    fputs("draw,winsor,normalise,aggregate", f);
    for (size_t k = 0; k < md->nnode; k++)
        fprintf(f, ",w_%s", md->node[k].code);
    fputc('\n', f);
    char buf[40];
    for (int d = 0; d < p->mc.draws; d++) {
        int in, ia, iw;
        gf_eval_mc_draw(&p->mc, w, md->nnode, (uint64_t)d, wd, &in, &ia, &iw);
        fprintf(f, "%d,%d,%d,%d", d, p->mc.nwinsor > 1 ? iw : 0, p->mc.nnorm > 1 ? in : 0,
                p->mc.nagg > 1 ? ia : 0);
        for (size_t k = 0; k < md->nnode; k++) {
            gf_fmt_double(buf, sizeof buf, wd[k]);
            fprintf(f, ",%s", buf);
        }
        fputc('\n', f);
    }
    free(wd);
    if (fclose(f) != 0)
        return gf_err_at(e, path, -1, NULL, NULL, "a writable file (write failed)");
    return GF_OK;
}

/* Ranks of the index in the period before the evaluated one (same pipeline, no sensitivity),
 * for the units that have data then; 0 = no rank.  NULL when it cannot be computed (a note
 * says why on stderr).  Indexed by the model's unit. */
static int *previous_ranks(const struct gf_eval_pipeline *p0, const struct model *md,
                           const char *data)
{
    size_t n = md->n, m = md->m, nd = md->nden, t = md->nper - 1;
    int *prev = calloc(n, sizeof *prev);
    size_t *map = malloc(n * sizeof *map);
    double *x = malloc(n * m * sizeof *x), *den = malloc(nz(n * nd) * sizeof *den);
    double *panel = malloc(nz(t * n * m) * sizeof *panel);
    int *grp = md->group ? malloc(n * sizeof *grp) : NULL;
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
        if (grp)
            grp[k] = md->group[i];
        for (size_t q = 0; q < t; q++)
            memcpy(panel + (q * n + k) * m, md->panel + (q * n + i) * m, m * sizeof *panel);
        k++;
    }
    /* panel rows were laid out with stride n: keep it (rows ≥ k unused) */
    p.mc.draws = 0;
    struct gf_eval_input in = {k, m, x, md->ind, &md->tree, nd ? den : NULL, nd, grp,
                               t ? panel : NULL, t};
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
        fprintf(stderr, "gongfu: note: no rank change: %s, period %d: %s\n", data,
                md->years[t], e.msg[0] ? e.msg : "out of memory");
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
        return gf_cli_usage(cli, "mcda score: needs either --meta iMeta.csv --data iData.csv or one "
                                 "matrix CSV file");
    int mode = !strcmp(show, "scores")         ? 0
               : !strcmp(show, "weights")       ? 1
               : !strcmp(show, "attainment")    ? 2
               : !strcmp(show, "contributions") ? 3
               : !strcmp(show, "targets")       ? 4
                                                : -1;
    if (mode < 0)
        return gf_cli_usage(cli, "mcda score: --show '%s' is not one of scores, weights, attainment, "
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
            return gf_cli_usage(cli, "mcda score: --seed '%s': expected a non-negative integer", seed);
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
        if ((rc = read_text(pipe, &txt, &len, &cli->err)))
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

    struct model md;
    if (file) {
        struct matrix mx;
        if ((rc = read_matrix(file, &mx, &cli->err)))
            return rc;
        rc = flat_model(&mx, &md, cost, cli);
        matrix_free(&mx);
        if (rc) {
            model_free(&md);
            return rc;
        }
    } else {
        if (cost)
            return gf_cli_usage(cli, "mcda score: --cost is for a plain matrix; iMeta has Direction");
        if ((rc = read_model(meta, data, period, &md, &cli->err)))
            return rc;
    }
    if (period && md.years == NULL) {
        model_free(&md);
        return gf_cli_usage(cli, "mcda score: --period: %s has no Time column", data);
    }
    if (mode == 4 && md.nper == 0) {
        model_free(&md);
        return gf_err_set(&cli->err, GF_EUSER,
                          "mcda score --show targets: needs earlier periods (a Time column in %s "
                          "with more than one period)",
                          file ? file : data);
    }
    struct gf_eval_input in = {md.n, md.m, md.x, md.ind, &md.tree, md.den, md.nden, md.group,
                               md.nper ? md.panel : NULL, md.nper};
    struct gf_eval_result r;
    if ((rc = gf_eval_run(&p, &in, &r, &cli->err))) {
        gf_err_prefix(&cli->err, "%s", file ? file : data);
        model_free(&md);
        return rc;
    }
    int *prev_rank = md.nper ? previous_ranks(&p, &md, data) : NULL;
    if (draws_out && p.mc.draws > 0 && (rc = write_draws(draws_out, &p, r.weight, &md, &cli->err)))
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
                    const double *xs = q < md.nper ? md.panel + (q * md.n + u) * md.m : md.x + u * md.m;
                    double v = xs[j];
                    if (id->denominator >= 0) {
                        const double *ds = q < md.nper ? md.pden + (q * md.n + u) * md.nden
                                                       : md.den + u * md.nden;
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
                    gf_table_text(t, 8, cli->format != GF_FMT_TABLE ? "unknown"
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
                    gf_table_int(t, (int)col, prev_rank[r.rowmap[i]] - r.rank[i * md.nnode + r.root]);
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
    model_free(&md);
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
