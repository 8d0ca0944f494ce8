/* eval_coinr.c — reading evaluation data from CSV: a plain units × indicators matrix, or a
 * COINr-shaped iMeta + iData pair (framework tree, directions, weights, targets, bands,
 * denominators, groups, and panel periods from a Time column).  Streaming CSV reader, bounded
 * sizes, every bad cell named by file, line, field and value.  No output. */
#include "domain/eval_coinr.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/csv.h"
#include "util/csvscan.h"

#define MAX_COLS 100000
#define MAX_ROWS 50000000L

/* ---- small helpers ---- */

static int strs_push(struct gf_eval_strs *s, const char *x, struct gf_err *e)
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

static void strs_free(struct gf_eval_strs *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

long gf_eval_strs_find(const struct gf_eval_strs *s, const char *x)
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

static size_t nz(size_t k)
{
    return k ? k : 1;
}

int gf_eval_parse_cell(const char *s, double *out)
{
    while (*s == ' ')
        s++;
    if (!*s || !strcmp(s, "NA") || !strcmp(s, "NaN") || !strcmp(s, "nan") || !strcmp(s, ".") ||
        !strcmp(s, "-")) {
        *out = NAN;
        return 0;
    }
    double d; /* decimal only, as every number read from a file (no "0x10", no "inf") */
    if (gf_csvscan_double(s, strlen(s), &d) || !isfinite(d))
        return -1;
    *out = d;
    return 0;
}

/* A text cell as R's read.csv reads it: "NA" is missing (as COINr's iMeta and iData written by
 * write.csv have it), given back as "". */
static const char *text_cell(const char *s)
{
    return strcmp(s, "NA") ? s : "";
}

/* ---- a plain matrix CSV ---- */

void gf_eval_matrix_free(struct gf_eval_matrix *mx)
{
    strs_free(&mx->units);
    strs_free(&mx->cols);
    free(mx->x);
    memset(mx, 0, sizeof *mx);
}

int gf_eval_matrix_read(const char *path, struct gf_eval_matrix *mx, struct gf_err *e)
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
        if (!c.field[j][0] || gf_eval_strs_find(&mx->cols, c.field[j]) >= 0) {
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
            if (gf_eval_parse_cell(c.field[j], &d)) {
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
        gf_eval_matrix_free(mx);
    return rc;
}

/* ---- COINr-shaped iMeta + iData ---- */

void gf_eval_coinr_free(struct gf_eval_coinr *md)
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
    if (gf_eval_parse_cell(v, out))
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

static int read_meta(const char *path, struct meta_row **rowsp, size_t *nrowsp, struct gf_err *e)
{
    static const char *const req[] = {"iCode", "Level", "Parent", "Direction", "Weight", "Type"};
    static const char *const opt[] = {"iName", "Denominator", "Target", "BandLo", "BandHi",
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
            rc = gf_err_at(
                e, path, c.line, req[k], NULL,
                "a column %s (iMeta needs iCode, Level, Parent, Direction, Weight, Type)", req[k]);
            goto out;
        }
    for (int k = 0; k < 9; k++)
        co[k] = gf_csv_index(c.field, c.nfield, opt[k]);
    size_t nhead = c.nfield;
    while ((rc = gf_csv_read(&c, e)) == 1) {
        if (c.nfield != nhead) {
            rc = gf_err_at(e, path, c.line, NULL, NULL, "%zu fields like the header, got %zu",
                           nhead, c.nfield);
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
        const char *code = text_cell(c.field[ci[0]]), *type = text_cell(c.field[ci[5]]);
        const char *parent = text_cell(c.field[ci[2]]);
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
        const char *name = co[0] >= 0 ? text_cell(c.field[co[0]]) : "";
        r->name = xdup(name[0] ? name : code);
        r->parent = xdup(parent);
        r->den = xdup(co[1] >= 0 ? text_cell(c.field[co[1]]) : "");
        if (!r->code || !r->type || !r->name || !r->parent || !r->den) {
            rc = gf_err_set(e, GF_ENOMEM, "out of memory");
            goto out;
        }
        int ia = !strcmp(type, "Indicator") || !strcmp(type, "Aggregate");
        if ((rc = meta_num(path, c.line, "Level", c.field[ci[1]], ia, &r->level, e)) ||
            (rc = meta_num(path, c.line, "Direction", c.field[ci[3]], 0, &r->dir, e)) ||
            (rc = meta_num(path, c.line, "Weight", c.field[ci[4]], 0, &r->weight, e)))
            goto out;
        double *optv[] = {NULL,    NULL,    &r->target, &r->blo, &r->bhi,
                          &r->llo, &r->lhi, &r->glo,    &r->ghi};
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
        if (ia && parent[0] && isnan(r->weight))
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
static int panelise(struct gf_eval_coinr *md, const double *tv, const double *lv,
                    const char *period, const char *data, struct gf_err *e)
{
    size_t nrec = md->ucode.n, m = md->m, nd = md->nden;
    int *ys = malloc(nrec * sizeof *ys);
    struct ucode_ix *ix = malloc(nrec * sizeof *ix);
    struct gf_eval_strs uc = {0}, un = {0};
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
    grp = md->group ? malloc(md->ngroup * n * sizeof *grp) : NULL;
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
        for (size_t g = 0; grp && g < md->ngroup; g++)
            grp[g * n + k] = md->group[g * nrec + r];
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

int gf_eval_coinr_read(const char *meta, const char *data, const char *period,
                       struct gf_eval_coinr *md, struct gf_err *e)
{
    struct dbuf tv = {0}, lv = {0};
    struct meta_row *rows = NULL;
    size_t nrows = 0;
    struct gf_csv c;
    int csv_open = 0;
    struct dbuf xv = {0}, dv = {0};
    struct gf_eval_strs gvals = {0};
    int *grp = NULL;
    size_t grp_cap = 0;
    memset(md, 0, sizeof *md);
    int rc = read_meta(meta, &rows, &nrows, e);
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
            long p = gf_eval_strs_find(&md->aggcode, mr->parent);
            if (p < 0) {
                rc = gf_err_at(e, meta, mr->line, "Parent", mr->parent,
                               "the iCode of an Aggregate row");
                goto out;
            }
            nd->parent = (int)(md->m + (size_t)p);
        } else if (isind) {
            rc = gf_err_at(e, meta, mr->line, "Parent", "",
                           "the aggregate this indicator belongs to");
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
                long d = gf_eval_strs_find(&md->dencode, mr->den);
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
    int iu = gf_csv_index(c.field, c.nfield, "uCode"),
        in = gf_csv_index(c.field, c.nfield, "uName");
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
    size_t ng = md->grpcode.n;
    int *gcol = malloc((ng + 1) * sizeof *gcol);
    int tcol = gf_csv_index(c.field, c.nfield, "Time");
    if (!gcol && !rc)
        rc = gf_err_set(e, GF_ENOMEM, "out of memory");
    for (size_t g = 0; g < ng && !rc; g++)
        if ((gcol[g] = gf_csv_index(c.field, c.nfield, md->grpcode.v[g])) < 0)
            rc = gf_err_at(e, data, c.line, md->grpcode.v[g], NULL,
                           "a column for group %s (declared in %s)", md->grpcode.v[g], meta);
    while (!rc && (rc = gf_csv_read(&c, e)) == 1) {
        if (c.nfield != nhead) {
            rc = gf_err_at(e, data, c.line, NULL, NULL, "%zu fields like the header, got %zu",
                           nhead, c.nfield);
            break;
        }
        const char *u = c.field[iu];
        if (!text_cell(u)[0]) {
            rc = gf_err_at(e, data, c.line, "uCode", u, "a unit code (NA reads as missing)");
            break;
        }
        if ((long)md->ucode.n >= MAX_ROWS) {
            rc = gf_err_at(e, data, c.line, NULL, NULL, "at most %ld units", MAX_ROWS);
            break;
        }
        if ((rc = strs_push(&md->ucode, u, e)) ||
            (rc = strs_push(&md->uname, in >= 0 && text_cell(c.field[in])[0] ? c.field[in] : u, e)))
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
            if (gf_eval_parse_cell(c.field[icol[j]], &v))
                rc = gf_err_at(e, data, c.line, md->icode.v[j], c.field[icol[j]],
                               "a number (empty or NA for missing)");
            else
                rc = dbuf_push(&xv, v, e);
        }
        for (size_t d = 0; d < md->nden && !rc; d++) {
            double v;
            if (gf_eval_parse_cell(c.field[dcol[d]], &v))
                rc = gf_err_at(e, data, c.line, md->dencode.v[d], c.field[dcol[d]], "a number");
            else
                rc = dbuf_push(&dv, v, e);
        }
        if (!rc && ng && md->ucode.n > grp_cap) {
            grp_cap = grp_cap ? grp_cap * 2 : 256;
            int *gp = realloc(grp, grp_cap * ng * sizeof *gp);
            if (!gp)
                rc = gf_err_set(e, GF_ENOMEM, "out of memory");
            else
                grp = gp;
        }
        /* record-major while reading (grp[record*ng + g]); an empty or NA cell: no group */
        for (size_t g = 0; g < ng && !rc; g++) {
            const char *gv = text_cell(c.field[gcol[g]]);
            long id = -1;
            if (gv[0] && (id = gf_eval_strs_find(&gvals, gv)) < 0) {
                rc = strs_push(&gvals, gv, e);
                id = (long)gvals.n - 1;
            }
            if (!rc)
                grp[(md->ucode.n - 1) * ng + g] = (int)id;
        }
    }
    free(icol);
    free(dcol);
    free(gcol);
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
    md->ngroup = ng;
    if (ng) { /* group columns one after the other: group[g*n + unit] */
        if (!(md->group = malloc(ng * md->n * sizeof *md->group))) {
            rc = gf_err_set(e, GF_ENOMEM, "out of memory");
            goto out;
        }
        for (size_t r = 0; r < md->n; r++)
            for (size_t g = 0; g < ng; g++)
                md->group[g * md->n + r] = grp[r * ng + g];
    }
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
        gf_eval_coinr_free(md);
    return rc;
}

int gf_eval_coinr_flat(struct gf_eval_matrix *mx, const int *dir, struct gf_eval_coinr *md,
                       struct gf_err *e)
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
    int rc = strs_push(&md->aggcode, "index", e);
    if (rc)
        return rc;
    for (size_t i = 0; i < md->n && !rc; i++)
        rc = strs_push(&md->uname, md->ucode.v[i], e);
    md->ind = calloc(md->m, sizeof *md->ind);
    md->node = calloc(md->nnode, sizeof *md->node);
    if (rc || !md->ind || !md->node)
        return rc ? rc : gf_err_set(e, GF_ENOMEM, "out of memory");
    for (size_t j = 0; j < md->m; j++) {
        gf_eval_ind_init(&md->ind[j], md->icode.v[j]);
        md->ind[j].direction = dir ? dir[j] : GF_EVAL_POS;
        md->node[j] = (struct gf_eval_node){md->icode.v[j], (int)md->m, 1, 1};
    }
    md->node[md->m] = (struct gf_eval_node){md->aggcode.v[0], -1, 1, 2};
    md->tree = (struct gf_eval_tree){md->m, md->nnode, md->node};
    return GF_OK;
}
