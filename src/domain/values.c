/* values.c — the values import, rollups over time and units, derived values, value workflow
 * (draft → submitted → approved, and unlock back to draft). */
#include "domain/values.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/formula.h"
#include "domain/actor.h"
#include "domain/audit.h"
#include "domain/import.h"
#include "domain/period.h"
#include "domain/unit.h"
#include "util/table.h"

/* ---- import ------------------------------------------------------------------------------ */

static const char *const val_cols[] = {"unit", "indicator", "period", "value", "source", "state", NULL};
static const char *const val_req[] = {"unit", "indicator", "period", "value", NULL};

/* The key of a value in messages and the audit trail: "unit/indicator/period". */
static void value_key(char *out, size_t cap, const char *unit, const char *ind, const char *period)
{
    snprintf(out, cap, "%s/%s/%s", unit, ind, period);
}

/* Write one reported value (an import's row, or a single entry): data (value, source) and a state
 * of draft or submitted; never an approval, never a change to an approved value, never a
 * submission taken back: the same data written again over values submitted or approved since
 * changes nothing.  file/line (NULL/0 outside an import) locate it in messages; c (NULL outside
 * an import) counts it; *changed gets 0 unchanged, 1 inserted, 2 updated. */
static int put_value(struct gf_db *db, const char *actor, const char *unit, const char *ind,
                     const char *period, double v, const char *source, const char *state,
                     const char *file, long line, struct gf_import_ctx *c, int *changed,
                     struct gf_err *e)
{
    *changed = 0;
    struct gf_period p;
    if (gf_period_parse(period, &p))
        return gf_err_at(e, file, line, "period", period,
                         "a year (2024), a quarter (2024Q1) or a month (2024-03)");
    struct gf_stmt *st;
    int rc;
    /* an import asks once per indicator and period, not once a row */
    if (!gf_import_knows(c, "reported indicator", ind)) {
        if ((rc = gf_db_prepare(db, "SELECT formula FROM indicator WHERE code = ?", &st, e)))
            return rc;
        gf_stmt_bind_text(st, 1, ind);
        int derived = (rc = gf_stmt_step(st, e)) == 1 && !gf_stmt_is_null(st, 0);
        gf_stmt_finalize(st);
        if (rc < 0)
            return rc;
        if (derived)
            return gf_err_at(e, file, line, "indicator", ind,
                             "an indicator without a formula (%s is computed from its formula)",
                             ind);
        if ((rc = gf_import_learn(c, "reported indicator", ind, e)))
            return rc;
    }
    if (!gf_import_knows(c, "period", period) &&
        ((rc = gf_period_ensure(db, period, e)) || (rc = gf_import_learn(c, "period", period, e))))
        return rc;
    /* what is stored: is the data the same, and how far along the workflow is it? */
    if ((rc = gf_db_prepare(db,
                            "SELECT origin = 'reported' AND value = ? AND source IS NOT DISTINCT FROM ?,"
                            " origin = 'reported' AND state = 'approved', state FROM value"
                            " WHERE unit = ? AND indicator = ? AND period = ?",
                            &st, e)))
        return rc;
    gf_stmt_bind_double(st, 1, v);
    gf_stmt_bind_text(st, 2, source);
    gf_stmt_bind_text(st, 3, unit);
    gf_stmt_bind_text(st, 4, ind);
    gf_stmt_bind_text(st, 5, period);
    rc = gf_stmt_step(st, e);
    int same = rc == 1 && gf_stmt_int(st, 0), locked = rc == 1 && gf_stmt_int(st, 1);
    int was_submitted = rc == 1 && !strcmp(gf_stmt_text(st, 2), "submitted");
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    char key[256], vb[40], now[32];
    value_key(key, sizeof key, unit, ind, period);
    gf_fmt_double(vb, sizeof vb, v);
    int approving = !strcmp(state, "approved");
    if (same && (locked || (!approving && (was_submitted || !strcmp(state, "draft"))))) {
        if (c)
            c->stats->unchanged++;
        return GF_OK;
    }
    if (approving)
        return gf_err_at(e, file, line, "state", state,
                         "draft or submitted: an import cannot approve a value (%s); approve it "
                         "with `gongfu values approve`, by someone other than who submitted it",
                         key);
    if (locked)
        return gf_err_at(e, file, line, "value", vb,
                         "no change to %s: it is approved and locked; unlock it first "
                         "(gongfu values unlock --unit %s --period %s --indicator %s --reason …)",
                         key, unit, period, ind);
    gf_now(now);
    /* a value written as submitted is submitted by its writer; approved_by/_at stay NULL:
     * only an approved value has them, and an approved value is never written here */
    const char *submitter = strcmp(state, "submitted") ? NULL : actor;
    const char *submitted_at = submitter ? now : NULL;
    const char *cols[] = {"unit",       "indicator",    "period",      "value",
                          "origin",     "source",       "state",       "updated_by",
                          "updated_at", "submitted_by", "submitted_at"};
    const char *vals[] = {unit,  ind,   period, vb,        "reported",  source,
                          state, actor, now,    submitter, submitted_at};
    return c ? gf_upsert(c, "value", 11, 3, cols, vals, changed, e)
             : gf_upsert_row(db, actor, "value", 11, 3, cols, vals, changed, e);
}

static int values_row(struct gf_import_ctx *c, struct gf_err *e)
{
    static const char *const states[] = {"draft", "submitted", "approved", NULL};
    const char *unit, *ind, *period, *source = NULL, *state = "draft";
    double v;
    int rc, changed;
    if ((rc = gf_field_ref(c, "unit", 1, "unit", "code", &unit, e)) ||
        (rc = gf_field_ref(c, "indicator", 1, "indicator", "code", &ind, e)) ||
        (rc = gf_field_text(c, "period", 1, &period, e)) ||
        (rc = gf_field_num(c, "value", 1, &v, e)) ||
        (rc = gf_field_text(c, "source", 0, &source, e)) ||
        (rc = gf_field_enum(c, "state", 0, states, &state, e)))
        return rc;
    return put_value(c->db, c->actor, unit, ind, period, v, source, state, c->path, c->line, c,
                     &changed, e);
}

int gf_value_set(struct gf_db *db, const char *actor, const char *unit, const char *indicator,
                 const char *period, double v, const char *source, int64_t if_version,
                 int64_t *version, struct gf_err *e)
{
    *version = 0;
    if (!isfinite(v))
        return gf_err_at(e, NULL, 0, "value", "", "a finite number");
    if (!gf_db_int_text(db, "SELECT count(*) FROM unit WHERE code = ?", unit))
        return gf_err_at(e, NULL, 0, "unit", unit, "an existing unit code");
    if (!gf_db_int_text(db, "SELECT count(*) FROM indicator WHERE code = ?", indicator))
        return gf_err_at(e, NULL, 0, "indicator", indicator, "an existing indicator code");
    int rc = gf_db_begin(db, e);
    if (rc)
        return rc;
    int64_t cur = gf_value_version(db, unit, indicator, period);
    /* a submitted value awaits its approver: the form does not change it behind their back */
    struct gf_stmt *st;
    if ((rc = gf_db_prepare(db,
                            "SELECT value = ? AND source IS NOT DISTINCT FROM ? FROM value WHERE unit = ?"
                            " AND indicator = ? AND period = ? AND state = 'submitted'"
                            " AND origin = 'reported'",
                            &st, e))) {
        gf_db_rollback(db);
        return rc;
    }
    gf_stmt_bind_double(st, 1, v);
    gf_stmt_bind_text(st, 2, source);
    gf_stmt_bind_text(st, 3, unit);
    gf_stmt_bind_text(st, 4, indicator);
    gf_stmt_bind_text(st, 5, period);
    int submitted = gf_stmt_step(st, NULL) == 1, same = submitted && gf_stmt_int(st, 0);
    gf_stmt_finalize(st);
    if (submitted && !same) {
        gf_db_rollback(db);
        return gf_err_set(e, GF_EUSER,
                          "value %s/%s/%s is submitted and awaits approval: it cannot be changed "
                          "now (the approver may return it to you)",
                          unit, indicator, period);
    }
    if (if_version >= 0 && cur != if_version) {
        gf_db_rollback(db);
        return gf_err_set(e, GF_ECONFLICT,
                          "value %s/%s/%s changed since it was read (version %lld, now %lld): "
                          "reload it",
                          unit, indicator, period, (long long)if_version, (long long)cur);
    }
    int changed;
    rc = put_value(db, actor, unit, indicator, period, v, source, "draft", NULL, 0, NULL, &changed,
                   e);
    if (rc) {
        gf_db_rollback(db);
        return rc;
    }
    if ((rc = gf_db_commit(db, e)) == GF_OK)
        *version = gf_value_version(db, unit, indicator, period);
    return rc;
}

int64_t gf_value_version(struct gf_db *db, const char *unit, const char *indicator,
                         const char *period)
{
    struct gf_stmt *st;
    int64_t v = 0;
    if (gf_db_prepare(db,
                      "SELECT version FROM value WHERE unit = ? AND indicator = ? AND period = ?",
                      &st, NULL))
        return 0;
    gf_stmt_bind_text(st, 1, unit);
    gf_stmt_bind_text(st, 2, indicator);
    gf_stmt_bind_text(st, 3, period);
    if (gf_stmt_step(st, NULL) == 1)
        v = gf_stmt_int(st, 0);
    gf_stmt_finalize(st);
    return v;
}

int gf_indicator_of_team(struct gf_db *db, const char *indicator, const char *team)
{
    struct gf_stmt *st;
    if (gf_db_prepare(db, "SELECT team = ? FROM indicator WHERE code = ?", &st, NULL))
        return 0;
    gf_stmt_bind_text(st, 1, team);
    gf_stmt_bind_text(st, 2, indicator);
    int r = gf_stmt_step(st, NULL) == 1 ? gf_stmt_int(st, 0) == 1 : -1;
    gf_stmt_finalize(st);
    return r;
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
    int threshold; /* 0 no, 1 count, 2 share: f is a condition tested at the lowest units */
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

/* Threshold indicators above the lowest units: how many (count) or what share in % (share) of
 * the lowest units under each unit meet the condition — only when every one of them has been
 * tested (a partial count is never shown as the count); a unit's reported value wins. */
static void threshold_agg(struct grid *g, const struct gf_units *u, struct ind *inds)
{
    for (int i = 0; i < g->ni; i++) {
        if (!inds[i].threshold)
            continue;
        for (int a = 0; a < u->n; a++) {
            size_t k = (size_t)a * (size_t)g->ni + (size_t)i;
            if (g->origin[k] == ORIG_REPORTED || u->unit[a].subtree_size == 1)
                continue;
            int n = 0, met = 0, ok = 1;
            for (int b = a + 1; b < a + u->unit[a].subtree_size && ok; b++) {
                if (u->unit[b].subtree_size != 1)
                    continue;
                double x = g->v[(size_t)b * (size_t)g->ni + (size_t)i];
                ok = !isnan(x);
                n++;
                met += x != 0;
            }
            if (!ok || n == 0)
                continue;
            g->v[k] = inds[i].threshold == 1 ? met : 100.0 * met / n;
            g->origin[k] = ORIG_ROLLUP;
        }
    }
}

static void derive(struct grid *g, const struct gf_units *un, struct ind *inds)
{
    /* dependency order: repeat passes until nothing new (formula chains are short) */
    for (int pass = 0; pass < g->ni + 1; pass++) {
        int changed = 0;
        for (int u = 0; u < g->nu; u++)
            for (int i = 0; i < g->ni; i++) {
                if (!inds[i].f || (inds[i].threshold && un->unit[u].subtree_size != 1))
                    continue; /* a threshold's condition is tested at the lowest units only */
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
    if ((rc = gf_db_prepare(db, "SELECT code, agg_time, agg_units, formula, threshold FROM indicator ORDER BY code",
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
        const char *th = gf_stmt_is_null(st, 4) ? "" : gf_stmt_text(st, 4);
        d->threshold = !strcmp(th, "count") ? 1 : !strcmp(th, "share") ? 2 : 0;
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
        derive(&grids[p], &u, inds);
        threshold_agg(&grids[p], &u, inds);
        derive(&grids[p], &u, inds); /* formulas over threshold counts */
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

/* One move of the workflow: the reported values in state from go to state to. */
struct move {
    const char *from, *to;
    const char *sql;    /* the UPDATE: ?1 actor, ?2 now, ?3 unit, ?4 indicator, ?5 period */
    const char *action; /* in the audit record */
    const char *reason; /* kept in the audit record (return, unlock) */
};

static const struct move submit_move = {
    "draft", "submitted",
    "UPDATE value SET state = 'submitted', submitted_by = ?1, submitted_at = ?2, updated_by = ?1,"
    " updated_at = ?2 WHERE unit = ?3 AND indicator = ?4 AND period = ?5",
    "submitted", NULL};
static const struct move approve_move = {
    "submitted", "approved",
    "UPDATE value SET state = 'approved', approved_by = ?1, approved_at = ?2, updated_by = ?1,"
    " updated_at = ?2 WHERE unit = ?3 AND indicator = ?4 AND period = ?5",
    "approved", NULL};
static const struct move return_move = {
    "submitted", "draft",
    "UPDATE value SET state = 'draft', submitted_by = NULL, submitted_at = NULL, updated_by = ?1,"
    " updated_at = ?2 WHERE unit = ?3 AND indicator = ?4 AND period = ?5",
    "return", NULL};
static const struct move unlock_move = {
    "approved", "draft",
    "UPDATE value SET state = 'draft', submitted_by = NULL, submitted_at = NULL,"
    " approved_by = NULL, approved_at = NULL, updated_by = ?1, updated_at = ?2"
    " WHERE unit = ?3 AND indicator = ?4 AND period = ?5",
    "unlock", NULL};

struct found {
    char *indicator, *period, *submitted_by, *approved_by;
};

static void found_free(struct found *f, long n)
{
    for (long i = 0; i < n; i++) {
        free(f[i].indicator);
        free(f[i].period);
        free(f[i].submitted_by);
        free(f[i].approved_by);
    }
    free(f);
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* The reported values of one unit in state from (indicator, period NULL = all), collected
 * before any is changed. */
static int find_values(struct gf_db *db, const char *unit, const char *indicator,
                       const char *period, const char *from, struct found **out, long *n,
                       struct gf_err *e)
{
    *out = NULL;
    *n = 0;
    struct gf_stmt *st;
    int rc = gf_db_prepare(db,
                           "SELECT indicator, period, submitted_by, approved_by FROM value"
                           " WHERE unit = ?1 AND state = ?2 AND origin = 'reported'"
                           " AND (?3 IS NULL OR indicator = ?3) AND (?4 IS NULL OR period = ?4)"
                           " ORDER BY indicator, period",
                           &st, e);
    if (rc)
        return rc;
    gf_stmt_bind_text(st, 1, unit);
    gf_stmt_bind_text(st, 2, from);
    gf_stmt_bind_text(st, 3, indicator);
    gf_stmt_bind_text(st, 4, period);
    long cap = 0;
    while ((rc = gf_stmt_step(st, e)) == 1) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            struct found *p = realloc(*out, sizeof *p * (size_t)cap);
            if (!p) {
                rc = gf_err_set(e, GF_ENOMEM, "out of memory");
                break;
            }
            *out = p;
        }
        struct found *f = &(*out)[(*n)++];
        f->indicator = dup_or_null(gf_stmt_text(st, 0));
        f->period = dup_or_null(gf_stmt_text(st, 1));
        f->submitted_by = dup_or_null(gf_stmt_text(st, 2));
        f->approved_by = dup_or_null(gf_stmt_text(st, 3));
        if (!f->indicator || !f->period) {
            rc = gf_err_set(e, GF_ENOMEM, "out of memory");
            break;
        }
    }
    gf_stmt_finalize(st);
    return rc < 0 ? rc : GF_OK;
}

/* Separation of duties: the person approving is not the person who submitted (people are
 * compared, not the names they act under). */
static int not_the_submitter(struct gf_db *db, const char *actor, const char *key,
                             const char *submitted_by, struct gf_err *e)
{
    char me[GF_PERSON_MAX], them[GF_PERSON_MAX];
    int rc = gf_actor_person(db, actor, me, e);
    if (rc || !submitted_by)
        return rc; /* submitted before who submitted was recorded */
    if (gf_actor_person(db, submitted_by, them, NULL) == GF_OK && !strcmp(me, them))
        return gf_err_set(e, GF_EUSER,
                          "value %s was submitted by %s: whoever submitted a value cannot approve "
                          "it; another approver must (nothing was approved)",
                          key, submitted_by);
    return GF_OK;
}

/* Apply a move to the reported values of unit (NULL = every unit; with its descendants when
 * under), indicator and period (NULL = all) in state m->from, all or nothing, each with its
 * audit record. */
static int apply_move(struct gf_db *db, const char *actor, const char *unit, int under,
                      const char *indicator, const char *period, const struct move *m, long *moved,
                      struct gf_err *e)
{
    *moved = 0;
    struct gf_units u;
    int rc = gf_units_load(db, &u, e);
    if (rc)
        return rc;
    int a = unit ? gf_units_find(&u, unit) : 0;
    if (a < 0) {
        gf_units_free(&u);
        return gf_err_set(e, GF_EUSER, "unit \"%s\": no such unit", unit);
    }
    int last = !unit ? u.n : under ? a + u.unit[a].subtree_size : a + 1;
    int approving = !strcmp(m->to, "approved") || !strcmp(m->from, "approved");
    if ((approving && (rc = gf_actor_may(db, actor, "approve", unit, e))) ||
        (rc = gf_db_begin(db, e))) {
        gf_units_free(&u);
        return rc;
    }
    char now[32];
    gf_now(now);
    for (int i = a; i < last && rc == GF_OK; i++) {
        struct found *f;
        long n;
        if ((rc = find_values(db, u.unit[i].code, indicator, period, m->from, &f, &n, e)))
            break;
        for (long k = 0; k < n && rc == GF_OK; k++) {
            char key[256];
            value_key(key, sizeof key, u.unit[i].code, f[k].indicator, f[k].period);
            if (!strcmp(m->to, "approved") &&
                (rc = not_the_submitter(db, actor, key, f[k].submitted_by, e)))
                break;
            if ((rc = gf_db_run(db, e, m->sql, actor, now, u.unit[i].code, f[k].indicator,
                                f[k].period)))
                break;
            char *b = gf_json_obj("state", m->from, "submitted_by", f[k].submitted_by,
                                  "approved_by", f[k].approved_by, NULL);
            char *af = m->reason ? gf_json_obj("state", m->to, "reason", m->reason, NULL)
                                 : gf_json_obj("state", m->to, NULL);
            rc = !b || !af ? gf_err_set(e, GF_ENOMEM, "out of memory")
                           : gf_audit(db, actor, m->action, "value", key, b, af, e);
            free(b);
            free(af);
            (*moved)++;
        }
        found_free(f, n);
    }
    gf_units_free(&u);
    if (rc) {
        gf_db_rollback(db);
        *moved = 0;
        return rc;
    }
    return gf_db_commit(db, e);
}

int gf_values_set_state(struct gf_db *db, const char *actor, const char *unit, int under,
                        const char *indicator, const char *period, const char *state, long *moved,
                        struct gf_err *e)
{
    *moved = 0;
    if (!strcmp(state, "submitted"))
        return apply_move(db, actor, unit, under, indicator, period, &submit_move, moved, e);
    if (!strcmp(state, "approved"))
        return apply_move(db, actor, unit, under, indicator, period, &approve_move, moved, e);
    return gf_err_set(e, GF_EUSAGE, "state \"%s\": expected submitted or approved", state);
}

int gf_values_return(struct gf_db *db, const char *actor, const char *unit, int under,
                     const char *indicator, const char *period, const char *reason, long *moved,
                     struct gf_err *e)
{
    *moved = 0;
    if (!reason || !reason[strspn(reason, " \t\r\n")])
        return gf_err_at(e, NULL, 0, "reason", reason ? reason : "",
                         "why the values go back to the reporter (they see it in the history)");
    struct move m = return_move;
    m.reason = reason;
    return apply_move(db, actor, unit, under, indicator, period, &m, moved, e);
}

int gf_values_unlock(struct gf_db *db, const char *actor, const char *unit, int under,
                     const char *indicator, const char *period, const char *reason, long *moved,
                     struct gf_err *e)
{
    *moved = 0;
    if (!reason || !reason[strspn(reason, " \t\r\n")])
        return gf_err_at(e, NULL, 0, "reason", reason ? reason : "",
                         "why the approved values are opened again (it is kept in the audit log)");
    struct move m = unlock_move;
    m.reason = reason;
    return apply_move(db, actor, unit, under, indicator, period, &m, moved, e);
}
