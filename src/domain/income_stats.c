/* income_stats.c — `gongfu stats --db`: distribution measures for every unit of the hierarchy
 * from the stored household microdata, and their saving as computed indicator values.
 *
 * One scan of the period's rows fills the arrays core/dist needs (per-capita income x, person
 * weight w = weight × size, household weight hw = weight, urban flag, food, consumption, unit
 * index); gf_dist_compute then computes every unit of the tree (villages → townships → counties
 * → city) in one call.  Saving writes only what differs, in one transaction with one audit row. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/computed.h"
#include "domain/income.h"
#include "domain/period.h"

void gf_income_latest_period(struct gf_db *db, char *buf, size_t n)
{
    buf[0] = 0;
    struct gf_stmt *st;
    if (gf_db_prepare(db, "SELECT max(period) FROM income_batch", &st, NULL))
        return;
    if (gf_stmt_step(st, NULL) == 1 && gf_stmt_text(st, 0))
        snprintf(buf, n, "%s", gf_stmt_text(st, 0));
    gf_stmt_finalize(st);
}

void gf_income_run_free(struct gf_income_run *r)
{
    gf_dist_result_free(&r->res);
    gf_units_free(&r->units);
    memset(r, 0, sizeof *r);
}

int gf_income_compute(struct gf_db *db, const char *period, const struct gf_income_params *p,
                      struct gf_income_run *r, struct gf_err *e)
{
    memset(r, 0, sizeof *r);
    int rc;
    double *x = NULL, *w = NULL, *hw = NULL, *food = NULL, *cons = NULL;
    signed char *urban = NULL;
    int32_t *unit = NULL, *parent = NULL;
    struct gf_stmt *st = NULL;
    if (period)
        snprintf(r->period, sizeof r->period, "%s", period);
    else
        gf_income_latest_period(db, r->period, sizeof r->period);
    if (!r->period[0])
        return gf_err_set(e, GF_EUSER, "no household microdata in the database"
                                       " (gongfu import households FILE --period P)");
    /* lines and bands: the asked ones first, then what the saved indicators need */
    int nl = p && p->nlines > 0 ? p->nlines : 0, nb = p && p->nbands > 0 ? p->nbands : 0;
    if (nl > 64 || nb > 64)
        return gf_err_set(e, GF_EUSAGE, "at most 64 lines and 64 bands");
    r->line_low = r->band_mid = -1;
    for (int i = 0; i < nl; i++) {
        r->lines[i] = p->lines[i];
        if (p->lines[i] == 10000 && r->line_low < 0)
            r->line_low = i;
    }
    for (int i = 0; i < nb; i++) {
        r->band_lo[i] = p->band_lo[i];
        r->band_hi[i] = p->band_hi[i];
        if (p->band_lo[i] == 100000 && p->band_hi[i] == 500000 && r->band_mid < 0)
            r->band_mid = i;
    }
    r->nlines_asked = nl ? nl : 1;
    r->nbands_asked = nb ? nb : 1;
    if (r->line_low < 0) {
        r->line_low = nl;
        r->lines[nl++] = 10000;
    }
    if (r->band_mid < 0) {
        r->band_mid = nb;
        r->band_lo[nb] = 100000;
        r->band_hi[nb++] = 500000;
    }
    r->nlines = nl;
    r->nbands = nb;

    if ((rc = gf_units_load(db, &r->units, e)))
        goto fail;
    int nu = r->units.n;
    if (nu == 0) {
        rc = gf_err_set(e, GF_EUSER, "no units in the database");
        goto fail;
    }
    /* the row count is known from the batches (kept in step with the rows by the import) */
    int64_t n;
    {
        struct gf_stmt *q;
        if ((rc = gf_db_prepare(db, "SELECT coalesce(sum(rows), 0) FROM income_batch WHERE period = ?",
                                &q, e)))
            goto fail;
        gf_stmt_bind_text(q, 1, r->period);
        n = gf_stmt_step(q, e) == 1 ? gf_stmt_int(q, 0) : 0;
        gf_stmt_finalize(q);
    }
    if (n <= 0) {
        rc = gf_err_set(e, GF_EUSER,
                        "no household microdata for period %s (gongfu import households FILE"
                        " --period %s)",
                        r->period, r->period);
        goto fail;
    }
    size_t cap = (size_t)n;
    x = malloc(cap * sizeof *x);
    w = malloc(cap * sizeof *w);
    hw = malloc(cap * sizeof *hw);
    food = malloc(cap * sizeof *food);
    cons = malloc(cap * sizeof *cons);
    urban = malloc(cap);
    unit = malloc(cap * sizeof *unit);
    parent = malloc((size_t)nu * sizeof *parent);
    if (!x || !w || !hw || !food || !cons || !urban || !unit || !parent) {
        rc = gf_err_set(e, GF_ENOMEM, "out of memory (%lld rows)", (long long)n);
        goto fail;
    }
    for (int i = 0; i < nu; i++)
        parent[i] = r->units.unit[i].parent;
    if ((rc = gf_db_prepare_stream(db,
                                   "SELECT unit, urban, size, income, weight, food, consumption"
                                   " FROM income_microdata WHERE period = ?",
                                   &st, e)))
        goto fail;
    gf_stmt_bind_text(st, 1, r->period);
    size_t k = 0;
    int has_food = 1, last = -1;
    char last_code[80] = "";
    while ((rc = gf_stmt_step(st, e)) == 1) {
        if (k == cap) {
            rc = gf_err_set(e, GF_ESYS, "income_microdata holds more rows for %s than income_batch"
                                        " records (re-import the file)", r->period);
            goto fail;
        }
        const char *code = gf_stmt_text(st, 0);
        if (!code || strcmp(code, last_code)) {
            last = code ? gf_units_find(&r->units, code) : -1;
            if (last < 0) {
                rc = gf_err_set(e, GF_EUSER,
                                "household microdata of %s refer to unit \"%s\", which is no longer"
                                " in the hierarchy (re-import the units or the microdata)",
                                r->period, code ? code : "");
                goto fail;
            }
            snprintf(last_code, sizeof last_code, "%s", code);
        }
        double sz = (double)gf_stmt_int(st, 2), wt = gf_stmt_double(st, 4);
        unit[k] = last;
        urban[k] = (signed char)gf_stmt_int(st, 1);
        x[k] = gf_stmt_double(st, 3);
        hw[k] = wt;
        w[k] = wt * sz;
        food[k] = gf_stmt_double(st, 5);
        cons[k] = gf_stmt_double(st, 6);
        if (isnan(food[k]) || isnan(cons[k]))
            has_food = 0;
        k++;
    }
    gf_stmt_finalize(st);
    st = NULL;
    if (rc < 0)
        goto fail;
    r->rows = (long)k;
    r->has_food = has_food && k > 0;
    if (!r->has_food) {
        free(food);
        free(cons);
        food = cons = NULL;
    }
    struct gf_dist_input in = {k, x, w, hw, urban, food, cons, unit, GF_DIST_FREE_INPUT};
    struct gf_dist_tree tree = {nu, parent};
    struct gf_dist_params dp = {r->lines, r->nlines, r->band_lo, r->band_hi, r->nbands, 3,
                                p ? p->nthreads : 0};
    x = w = hw = food = cons = NULL;
    urban = NULL;
    unit = NULL;
    rc = gf_dist_compute(&in, &tree, &dp, &r->res, e);
    free(parent);
    if (rc) {
        gf_units_free(&r->units);
        return rc;
    }
    return GF_OK;
fail:
    gf_stmt_finalize(st);
    free(x);
    free(w);
    free(hw);
    free(food);
    free(cons);
    free(urban);
    free(unit);
    free(parent);
    gf_units_free(&r->units);
    return rc;
}

/* ---------- saving ---------- */

enum { I_PC, I_URBAN, I_RURAL, I_RATIO, I_GINI, I_THEIL, I_MID, I_LOWHH, I_LOWP, I_ENGEL, I_RANGE, NI };

/* Codes follow demo/framework-panzhihua.csv where the framework has the indicator. */
static const struct {
    const char *code, *zh, *en, *uom, *dir, *desc;
} ind[NI] = {
    {"income_pc", "居民人均可支配收入", "Per-capita disposable income (all residents)", "元", "+",
     "住户微观数据: 人口加权(权数×户人数)的人均可支配收入均值"},
    {"income_urban", "城镇居民人均可支配收入", "Urban per-capita disposable income", "元", "+",
     "住户微观数据: 城镇住户的人口加权均值"},
    {"income_rural", "农村居民人均可支配收入", "Rural per-capita disposable income", "元", "+",
     "住户微观数据: 农村住户的人口加权均值"},
    {"urban_rural_ratio", "城乡居民收入倍差", "Urban-rural income ratio", "倍", "-",
     "城镇居民人均可支配收入/农村居民人均可支配收入"},
    {"gini", "居民收入基尼系数", "Gini coefficient of per-capita disposable income", "—", "-",
     "0–1, 人口加权, 与 R laeken gini 一致"},
    {"theil", "泰尔指数", "Theil T index of per-capita disposable income", "—", "-",
     "GE(1), 人口加权"},
    {"middle_income_share", "中等收入群体比例(家庭年可支配收入10–50万元)",
     "Households with 100–500k yuan a year (3-person scale)", "%", "+",
     "人均可支配收入×3落在[10万,50万]元的家庭占比(户权数)"},
    {"lowincome_households", "低收入户数", "Low-income households", "户", "-",
     "人均可支配收入低于10000元/年的户数(户权数加总)"},
    {"lowincome_persons", "低收入人数", "Low-income persons", "人", "-",
     "人均可支配收入低于10000元/年的住户人口(权数×户人数)"},
    {"engel", "居民恩格尔系数", "Engel coefficient", "%", "-", "食品烟酒支出/消费支出(户权数)"},
    {"income_range_ratio", "地区间居民收入最高最低倍差", "Highest/lowest regional income ratio", "倍",
     "-", "下一级单位人均可支配收入最高值/最低值; 只在有下级的单位计算"},
};

static double value_of(const struct gf_income_run *r, const struct gf_dist_stats *s, int i)
{
    switch (i) {
    case I_PC:
        return s->mean;
    case I_URBAN:
        return s->urban_mean;
    case I_RURAL:
        return s->rural_mean;
    case I_RATIO:
        return s->urban_rural_ratio;
    case I_GINI:
        return s->gini;
    case I_THEIL:
        return s->theil;
    case I_MID:
        return s->band_share[r->band_mid] * 100;
    case I_LOWHH:
        return s->low_hh[r->line_low];
    case I_LOWP:
        return s->low_persons[r->line_low];
    case I_ENGEL:
        return r->has_food ? s->engel * 100 : NAN;
    default:
        return s->range_ratio;
    }
}

struct save_ctx {
    const struct gf_income_run *r;
    int which[NI]; /* the saved indicators, as indexes of ind[] */
};

static double saved_value(void *ctx, int u, int i)
{
    const struct save_ctx *c = ctx;
    const struct gf_dist_stats *st = &c->r->res.unit[u];
    if (st->n == 0 || !(st->weight_sum > 0))
        return NAN;
    return value_of(c->r, st, c->which[i]);
}

int gf_income_save(struct gf_db *db, const char *actor, const struct gf_income_run *r,
                   const char *note, struct gf_income_save_stats *s, struct gf_err *e)
{
    memset(s, 0, sizeof *s);
    char source[256];
    snprintf(source, sizeof source, "gongfu stats (household microdata, period %s%s%s)", r->period,
             note ? "; " : "", note ? note : "");
    struct gf_computed_ind defs[NI];
    struct save_ctx sc = {r, {0}};
    int n = 0;
    for (int i = 0; i < NI; i++) {
        if (i == I_ENGEL && !r->has_food)
            continue;
        defs[n] = (struct gf_computed_ind){ind[i].code, ind[i].zh,  ind[i].en, ind[i].uom,
                                           ind[i].dir,  ind[i].desc, "none"};
        sc.which[n++] = i;
    }
    struct gf_computed_set set = {r->period, source, "gongfu stats --db (住户收入微观数据)",
                                  &r->units, defs, n, saved_value, &sc};
    struct gf_computed_stats cs;
    int rc = gf_db_begin(db, e);
    if (rc)
        return rc;
    if ((rc = gf_computed_save(db, actor, &set, &cs, e)))
        goto fail;
    s->written = cs.written;
    s->unchanged = cs.unchanged;
    s->removed = cs.removed;
    s->kept = cs.kept;
    s->created = cs.created;
    if (s->written || s->removed || s->created) {
        char a[32], b[32], c[32], d[32];
        snprintf(a, sizeof a, "%ld", s->written);
        snprintf(b, sizeof b, "%ld", s->unchanged);
        snprintf(c, sizeof c, "%ld", s->removed);
        snprintf(d, sizeof d, "%d", s->created);
        char key[64];
        snprintf(key, sizeof key, "income:%s", r->period);
        char *after = gf_json_obj("source", source, "written", a, "unchanged", b, "removed", c,
                                  "indicators_created", d, (char *)NULL);
        if (!after) {
            rc = gf_err_set(e, GF_ENOMEM, "out of memory");
            goto fail;
        }
        rc = gf_audit(db, actor, "compute", "value", key, NULL, after, e);
        free(after);
        if (rc)
            goto fail;
    }
    return gf_db_commit(db, e);
fail:
    gf_db_rollback(db);
    return rc;
}
