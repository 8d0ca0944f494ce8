/* values.c — the values import, rollups over time and units, derived values, value workflow. */
#include "domain/values.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/formula.h"
#include "domain/audit.h"
#include "domain/import.h"
#include "domain/period.h"
#include "domain/unit.h"
#include "util/table.h"

/* ---- import ------------------------------------------------------------------------------ */

static const char *const val_cols[] = {"unit", "indicator", "period", "value", "source", "state", NULL};
static const char *const val_req[] = {"unit", "indicator", "period", "value", NULL};

static int values_row(struct gf_import_ctx *c, struct gf_err *e)
{
    static const char *const states[] = {"draft", "submitted", "approved", NULL};
    const char *unit, *ind, *period, *source = NULL, *state = "draft";
    double v;
    int rc;
    if ((rc = gf_field_ref(c, "unit", 1, "unit", "code", &unit, e)) ||
        (rc = gf_field_ref(c, "indicator", 1, "indicator", "code", &ind, e)) ||
        (rc = gf_field_text(c, "period", 1, &period, e)) ||
        (rc = gf_field_num(c, "value", 1, &v, e)) ||
        (rc = gf_field_text(c, "source", 0, &source, e)) ||
        (rc = gf_field_enum(c, "state", 0, states, &state, e)))
        return rc;
    struct gf_period p;
    if (gf_period_parse(period, &p))
        return gf_err_at(e, c->path, c->line, "period", period,
                         "a year (2024), a quarter (2024Q1) or a month (2024-03)");
    struct gf_stmt *st;
    if ((rc = gf_db_prepare(c->db, "SELECT formula FROM indicator WHERE code = ?", &st, e)))
        return rc;
    gf_stmt_bind_text(st, 1, ind);
    int derived = gf_stmt_step(st, e) == 1 && !gf_stmt_is_null(st, 0);
    gf_stmt_finalize(st);
    if (derived)
        return gf_err_at(e, c->path, c->line, "indicator", ind,
                         "an indicator without a formula (%s is computed from its formula)", ind);
    if ((rc = gf_period_ensure(c->db, period, e)))
        return rc;
    char vb[40], now[32];
    gf_fmt_double(vb, sizeof vb, v);
    const char *cols[] = {"unit", "indicator", "period", "value", "origin", "source", "state",
                          "updated_by", "updated_at"};
    const char *vals[] = {unit, ind, period, vb, "reported", source, state, c->actor, gf_now(now)};
    /* compare the data (first 7 columns); who/when are written only with a change */
    struct gf_stmt *same;
    if ((rc = gf_db_prepare(c->db,
                            "SELECT 1 FROM value WHERE unit = ? AND indicator = ? AND period = ? "
                            "AND value = ? AND origin = 'reported' AND source IS ? AND state = ?",
                            &same, e)))
        return rc;
    gf_stmt_bind_text(same, 1, unit);
    gf_stmt_bind_text(same, 2, ind);
    gf_stmt_bind_text(same, 3, period);
    gf_stmt_bind_double(same, 4, v);
    gf_stmt_bind_text(same, 5, source);
    gf_stmt_bind_text(same, 6, state);
    int unchanged = gf_stmt_step(same, e) == 1;
    gf_stmt_finalize(same);
    if (unchanged) {
        c->stats->unchanged++;
        return GF_OK;
    }
    return gf_upsert(c, "value", 9, 3, cols, vals, NULL, e);
}

static const char *const val_key[] = {"unit", "indicator", "period", NULL};

const struct gf_import_kind gf_import_values = {
    "values", "指标数据", "indicator values", val_cols, val_req, NULL, values_row, NULL, NULL,
    val_key,
};

/* ---- rollups ----------------------------------------------------------------------------- */

enum { ORIG_NONE = 0, ORIG_REPORTED, ORIG_ROLLUP, ORIG_DERIVED };

struct ind {
    char *code;
    int agg_time; /* 0 sum 1 mean 2 last */
    int agg_units; /* 0 sum 1 mean 2 popmean 3 max 4 min 5 none */
    struct gf_formula *f;
    int *refs; /* indicator index of each formula reference (-1 unknown) */
};

struct grid {
    int nu, ni;
    double *v;     /* nu × ni */
    char *origin;  /* ORIG_* */
    double *old;   /* previous computed value (NaN none) */
};

static int ind_index(struct ind *inds, int ni, const char *code)
{
    for (int i = 0; i < ni; i++)
        if (!strcmp(inds[i].code, code))
            return i;
    return -1;
}

static int grid_init(struct grid *g, int nu, int ni)
{
    size_t n = (size_t)nu * (size_t)ni;
    g->nu = nu;
    g->ni = ni;
    g->v = malloc(sizeof *g->v * (n ? n : 1));
    g->old = malloc(sizeof *g->old * (n ? n : 1));
    g->origin = calloc(n ? n : 1, 1);
    if (!g->v || !g->old || !g->origin)
        return GF_ENOMEM;
    for (size_t k = 0; k < n; k++)
        g->v[k] = g->old[k] = NAN;
    return GF_OK;
}

static void grid_free(struct grid *g)
{
    free(g->v);
    free(g->old);
    free(g->origin);
}

/* Load a period's values into a grid. */
static int grid_load(struct gf_db *db, const struct gf_units *u, struct ind *inds, int ni,
                     const char *period, struct grid *g, struct gf_err *e)
{
    struct gf_stmt *st;
    int rc = gf_db_prepare(db, "SELECT unit, indicator, value, origin FROM value WHERE period = ?",
                           &st, e);
    if (rc)
        return rc;
    gf_stmt_bind_text(st, 1, period);
    while ((rc = gf_stmt_step(st, e)) == 1) {
        int ui = gf_units_find(u, gf_stmt_text(st, 0));
        int ii = ind_index(inds, ni, gf_stmt_text(st, 1));
        if (ui < 0 || ii < 0)
            continue;
        size_t k = (size_t)ui * (size_t)ni + (size_t)ii;
        const char *o = gf_stmt_text(st, 3);
        if (!strcmp(o, "rollup") || !strcmp(o, "derived"))
            g->old[k] = gf_stmt_double(st, 2);
        else {
            g->v[k] = gf_stmt_double(st, 2);
            g->origin[k] = ORIG_REPORTED;
        }
    }
    gf_stmt_finalize(st);
    return rc < 0 ? rc : GF_OK;
}

struct lookup_ctx {
    struct grid *g;
    struct ind *inds;
    int ni, unit;
};

static double lookup(void *vctx, const char *code)
{
    struct lookup_ctx *c = vctx;
    int i = ind_index(c->inds, c->ni, code);
    return i < 0 ? NAN : c->g->v[(size_t)c->unit * (size_t)c->ni + (size_t)i];
}

/* Time aggregation of sub-period grids into g (only where g has no reported value). */
static void time_agg(struct grid *g, struct grid *subs, int nsub, struct ind *inds)
{
    for (int u = 0; u < g->nu; u++)
        for (int i = 0; i < g->ni; i++) {
            size_t k = (size_t)u * (size_t)g->ni + (size_t)i;
            if (g->origin[k] || inds[i].f)
                continue;
            double s = 0, last = NAN;
            int ok = nsub > 0;
            for (int p = 0; p < nsub && ok; p++) {
                double x = subs[p].v[k];
                if (isnan(x))
                    ok = 0;
                s += x;
                last = x;
            }
            if (!ok)
                continue;
            g->v[k] = inds[i].agg_time == 0 ? s : inds[i].agg_time == 1 ? s / nsub : last;
            g->origin[k] = ORIG_ROLLUP;
        }
}

static void unit_agg(struct grid *g, const struct gf_units *u, struct ind *inds)
{
    for (int i = 0; i < g->ni; i++) {
        if (inds[i].f || inds[i].agg_units == 5)
            continue;
        for (int a = u->n - 1; a >= 0; a--) {
            size_t k = (size_t)a * (size_t)g->ni + (size_t)i;
            if (g->origin[k] == ORIG_REPORTED || u->unit[a].subtree_size == 1)
                continue;
            /* children: units b in the subtree with parent a */
            double s = 0, ws = 0, mx = -INFINITY, mn = INFINITY;
            int n = 0, ok = 1, allpop = 1;
            for (int b = a + 1; b < a + u->unit[a].subtree_size; b += u->unit[b].subtree_size) {
                double x = g->v[(size_t)b * (size_t)g->ni + (size_t)i];
                if (isnan(x)) {
                    ok = 0;
                    break;
                }
                double w = (double)u->unit[b].population;
                if (u->unit[b].population < 0)
                    allpop = 0;
                s += inds[i].agg_units == 2 ? x * w : x;
                ws += w;
                mx = x > mx ? x : mx;
                mn = x < mn ? x : mn;
                n++;
            }
            if (!ok || n == 0)
                continue;
            double r;
            switch (inds[i].agg_units) {
            case 0:
                r = s;
                break;
            case 1:
                r = s / n;
                break;
            case 2:
                if (!allpop || ws <= 0)
                    continue; /* a population-weighted mean needs every child's population */
                r = s / ws;
                break;
            case 3:
                r = mx;
                break;
            default:
                r = mn;
            }
            g->v[k] = r;
            g->origin[k] = ORIG_ROLLUP;
        }
    }
}

static void derive(struct grid *g, struct ind *inds)
{
    /* dependency order: repeat passes until nothing new (formula chains are short) */
    for (int pass = 0; pass < g->ni + 1; pass++) {
        int changed = 0;
        for (int u = 0; u < g->nu; u++)
            for (int i = 0; i < g->ni; i++) {
                if (!inds[i].f)
                    continue;
                size_t k = (size_t)u * (size_t)g->ni + (size_t)i;
                struct lookup_ctx lc = {g, inds, g->ni, u};
                double x = gf_formula_eval(inds[i].f, lookup, &lc);
                if (!isnan(x) && (isnan(g->v[k]) || g->v[k] != x)) {
                    g->v[k] = x;
                    g->origin[k] = ORIG_DERIVED;
                    changed = 1;
                }
            }
        if (!changed)
            break;
    }
}

static int rollup_period(struct gf_db *db, const char *actor, const struct gf_units *u,
                         struct ind *inds, int ni, const char *period, struct grid *g,
                         struct gf_rollup_stats *s, struct gf_err *e)
{
    struct gf_stmt *ins = NULL, *del = NULL;
    char now[32];
    gf_now(now);
    int rc = gf_db_prepare(db,
                           "INSERT INTO value (unit, indicator, period, value, origin, source, state,"
                           " updated_by, updated_at) VALUES (?, ?, ?, ?, ?, 'gongfu rollup', 'approved', ?, ?)"
                           " ON CONFLICT (unit, indicator, period) DO UPDATE SET value = excluded.value,"
                           " origin = excluded.origin, updated_by = excluded.updated_by,"
                           " updated_at = excluded.updated_at",
                           &ins, e);
    if (rc == GF_OK)
        rc = gf_db_prepare(db,
                           "DELETE FROM value WHERE unit = ? AND indicator = ? AND period = ? AND"
                           " origin IN ('rollup', 'derived')",
                           &del, e);
    for (int a = 0; a < u->n && rc == GF_OK; a++)
        for (int i = 0; i < ni && rc == GF_OK; i++) {
            size_t k = (size_t)a * (size_t)ni + (size_t)i;
            int computed = g->origin[k] == ORIG_ROLLUP || g->origin[k] == ORIG_DERIVED;
            if (computed) {
                if (!isnan(g->old[k]) && g->old[k] == g->v[k]) {
                    s->unchanged++;
                    continue;
                }
                gf_stmt_bind_text(ins, 1, u->unit[a].code);
                gf_stmt_bind_text(ins, 2, inds[i].code);
                gf_stmt_bind_text(ins, 3, period);
                gf_stmt_bind_double(ins, 4, g->v[k]);
                gf_stmt_bind_text(ins, 5, g->origin[k] == ORIG_ROLLUP ? "rollup" : "derived");
                gf_stmt_bind_text(ins, 6, actor);
                gf_stmt_bind_text(ins, 7, now);
                rc = gf_stmt_step(ins, e) < 0 ? GF_ESYS : GF_OK;
                gf_stmt_reset(ins);
                s->written++;
            } else if (!isnan(g->old[k]) && g->origin[k] != ORIG_REPORTED) {
                gf_stmt_bind_text(del, 1, u->unit[a].code);
                gf_stmt_bind_text(del, 2, inds[i].code);
                gf_stmt_bind_text(del, 3, period);
                rc = gf_stmt_step(del, e) < 0 ? GF_ESYS : GF_OK;
                gf_stmt_reset(del);
                s->removed++;
            }
        }
    gf_stmt_finalize(ins);
    gf_stmt_finalize(del);
    return rc;
}

int gf_values_rollup(struct gf_db *db, const char *actor, const char *period,
                     struct gf_rollup_stats *stats, struct gf_err *e)
{
    struct gf_units u = {0};
    struct ind *inds = NULL;
    int ni = 0, rc;
    char **periods = NULL;
    int np = 0;
    memset(stats, 0, sizeof *stats);
    if ((rc = gf_units_load(db, &u, e)))
        return rc;
    struct gf_stmt *st;
    if ((rc = gf_db_prepare(db, "SELECT code, agg_time, agg_units, formula FROM indicator ORDER BY code",
                            &st, e)))
        goto out;
    while ((rc = gf_stmt_step(st, e)) == 1) {
        struct ind *p = realloc(inds, sizeof *p * (size_t)(ni + 1));
        if (!p) {
            rc = gf_err_set(e, GF_ENOMEM, "out of memory");
            break;
        }
        inds = p;
        struct ind *d = &inds[ni++];
        memset(d, 0, sizeof *d);
        d->code = strdup(gf_stmt_text(st, 0));
        const char *t = gf_stmt_text(st, 1), *a = gf_stmt_text(st, 2);
        d->agg_time = !strcmp(t, "sum") ? 0 : !strcmp(t, "mean") ? 1 : 2;
        static const char *const an[] = {"sum", "mean", "popmean", "max", "min", "none"};
        d->agg_units = 5;
        for (int k = 0; k < 6; k++)
            if (!strcmp(a, an[k]))
                d->agg_units = k;
        if (!gf_stmt_is_null(st, 3) && gf_formula_parse(gf_stmt_text(st, 3), &d->f, e)) {
            gf_err_prefix(e, "indicator %s", d->code);
            rc = GF_EUSER;
            break;
        }
    }
    gf_stmt_finalize(st);
    if (rc < 0)
        goto out;
    /* periods: the one asked, or all; years after their quarters and months */
    if ((rc = gf_db_prepare(db,
                            "SELECT code FROM period WHERE ? IS NULL OR code = ? OR "
                            "(year = (SELECT year FROM period WHERE code = ?) AND "
                            "(SELECT kind FROM period WHERE code = ?) = 'year') "
                            "ORDER BY year, CASE kind WHEN 'month' THEN 0 WHEN 'quarter' THEN 1 ELSE 2 END, sub",
                            &st, e)))
        goto out;
    for (int k = 1; k <= 4; k++)
        gf_stmt_bind_text(st, k, period);
    while ((rc = gf_stmt_step(st, e)) == 1) {
        char **p = realloc(periods, sizeof *p * (size_t)(np + 1));
        if (!p) {
            rc = gf_err_set(e, GF_ENOMEM, "out of memory");
            break;
        }
        periods = p;
        periods[np++] = strdup(gf_stmt_text(st, 0));
    }
    gf_stmt_finalize(st);
    if (rc < 0)
        goto out;
    if (period && np == 0) {
        rc = gf_err_set(e, GF_EUSER, "period \"%s\": no such period (no values for it yet)", period);
        goto out;
    }
    if ((rc = gf_db_begin(db, e)))
        goto out;
    /* grids computed so far this run, by period code, for time aggregation */
    struct grid *grids = calloc((size_t)np + 1, sizeof *grids);
    if (!grids) {
        gf_db_rollback(db);
        rc = gf_err_set(e, GF_ENOMEM, "out of memory");
        goto out;
    }
    for (int p = 0; p < np && rc == GF_OK; p++) {
        struct gf_period pp;
        gf_period_parse(periods[p], &pp);
        if ((rc = grid_init(&grids[p], u.n, ni))) {
            gf_err_set(e, GF_ENOMEM, "out of memory");
            break;
        }
        if ((rc = grid_load(db, &u, inds, ni, periods[p], &grids[p], e)))
            break;
        /* sub-periods already computed in this run: months of a quarter, quarters (else months) of a year */
        if (pp.kind != GF_PERIOD_MONTH) {
            struct grid subs[12];
            int nq = 0, nm = 0;
            struct grid qs[4], ms[12];
            for (int q = 0; q < p; q++) {
                struct gf_period sp;
                gf_period_parse(periods[q], &sp);
                if (sp.year != pp.year)
                    continue;
                if (pp.kind == GF_PERIOD_YEAR && sp.kind == GF_PERIOD_QUARTER && nq < 4)
                    qs[nq++] = grids[q];
                if (sp.kind == GF_PERIOD_MONTH && nm < 12 &&
                    (pp.kind == GF_PERIOD_YEAR || (sp.sub - 1) / 3 + 1 == pp.sub))
                    ms[nm++] = grids[q];
            }
            int need_m = pp.kind == GF_PERIOD_YEAR ? 12 : 3;
            int n = 0;
            if (pp.kind == GF_PERIOD_YEAR && nq == 4)
                for (int q = 0; q < 4; q++)
                    subs[n++] = qs[q];
            else if (nm == need_m)
                for (int q = 0; q < nm; q++)
                    subs[n++] = ms[q];
            if (n)
                time_agg(&grids[p], subs, n, inds);
        }
        unit_agg(&grids[p], &u, inds);
        derive(&grids[p], inds);
        rc = rollup_period(db, actor, &u, inds, ni, periods[p], &grids[p], stats, e);
    }
    for (int p = 0; p < np; p++)
        grid_free(&grids[p]);
    free(grids);
    if (rc == GF_OK && stats->written + stats->removed > 0) {
        char detail[128];
        snprintf(detail, sizeof detail, "{\"written\":%ld,\"removed\":%ld}", stats->written,
                 stats->removed);
        rc = gf_audit(db, actor, "rollup", "value", period ? period : "*", NULL, detail, e);
    }
    if (rc == GF_OK)
        rc = gf_db_commit(db, e);
    else
        gf_db_rollback(db);
out:
    for (int i = 0; i < ni; i++) {
        free(inds[i].code);
        gf_formula_free(inds[i].f);
    }
    free(inds);
    for (int p = 0; p < np; p++)
        free(periods[p]);
    free(periods);
    gf_units_free(&u);
    return rc;
}

/* ---- workflow ---------------------------------------------------------------------------- */

int gf_values_set_state(struct gf_db *db, const char *actor, const char *unit, int under,
                        const char *indicator, const char *period, const char *state, long *moved,
                        struct gf_err *e)
{
    *moved = 0;
    const char *from;
    if (!strcmp(state, "submitted"))
        from = "draft";
    else if (!strcmp(state, "approved"))
        from = "submitted";
    else
        return gf_err_set(e, GF_EUSAGE, "state \"%s\": expected submitted or approved", state);
    struct gf_units u;
    int rc = gf_units_load(db, &u, e);
    if (rc)
        return rc;
    int a = gf_units_find(&u, unit);
    if (a < 0) {
        gf_units_free(&u);
        return gf_err_set(e, GF_EUSER, "unit \"%s\": no such unit", unit);
    }
    if ((rc = gf_db_begin(db, e))) {
        gf_units_free(&u);
        return rc;
    }
    char now[32];
    gf_now(now);
    int last = under ? a + u.unit[a].subtree_size : a + 1;
    for (int i = a; i < last && rc == GF_OK; i++) {
        struct gf_stmt *st;
        if ((rc = gf_db_prepare(db,
                                "SELECT indicator FROM value WHERE unit = ? AND period = ? AND state = ?"
                                " AND origin = 'reported' AND (? IS NULL OR indicator = ?)",
                                &st, e)))
            break;
        gf_stmt_bind_text(st, 1, u.unit[i].code);
        gf_stmt_bind_text(st, 2, period);
        gf_stmt_bind_text(st, 3, from);
        gf_stmt_bind_text(st, 4, indicator);
        gf_stmt_bind_text(st, 5, indicator);
        while (rc == GF_OK && gf_stmt_step(st, e) == 1) {
            char key[256];
            snprintf(key, sizeof key, "%s/%s/%s", u.unit[i].code, gf_stmt_text(st, 0), period);
            char *b = gf_json_obj("state", from, NULL), *af = gf_json_obj("state", state, NULL);
            rc = gf_db_run(db, e,
                           "UPDATE value SET state = ?, updated_by = ?, updated_at = ? WHERE unit = ?"
                           " AND indicator = ? AND period = ?",
                           state, actor, now, u.unit[i].code, gf_stmt_text(st, 0), period);
            if (rc == GF_OK)
                rc = gf_audit(db, actor, state, "value", key, b, af, e);
            free(b);
            free(af);
            (*moved)++;
        }
        gf_stmt_finalize(st);
    }
    gf_units_free(&u);
    if (rc) {
        gf_db_rollback(db);
        return rc;
    }
    return gf_db_commit(db, e);
}
