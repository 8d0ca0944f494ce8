/* evaluation.c — composite evaluation on the database (see evaluation.h). */
#include "domain/evaluation.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/eval_pipeline.h"
#include "domain/period.h"

const char gf_evaluation_default_pipeline[] =
    "{\n"
    "  \"name\": \"default\",\n"
    "  \"description\": \"Statistics bureau practice: attainment of each indicator's target (实现程度, "
    "capped at 100%), framework weights relative within their parent, weighted arithmetic mean at "
    "every level.\",\n"
    "  \"steps\": [\n"
    "    {\"step\": \"impute\", \"method\": \"mean\"},\n"
    "    {\"step\": \"normalise\", \"method\": \"attainment\", \"scale\": 100},\n"
    "    {\"step\": \"weight\", \"method\": \"framework\"},\n"
    "    {\"step\": \"aggregate\", \"method\": \"arithmetic\"}\n"
    "  ],\n"
    "  \"sensitivity\": {\"draws\": 0, \"seed\": 1, \"weight_spread\": 0.25, \"threads\": 2},\n"
    "  \"strengths\": 3\n"
    "}\n";

const char gf_evaluation_peers_pipeline[] =
    "{\n"
    "  \"name\": \"peers\",\n"
    "  \"description\": \"Peers without targets (enterprises): mean imputation, min-max to [0,100] among the peers, framework weights relative within their parent, weighted arithmetic mean at every level.\",\n"
    "  \"steps\": [\n"
    "    {\"step\": \"impute\", \"method\": \"mean\"},\n"
    "    {\"step\": \"normalise\", \"method\": \"minmax\", \"range\": [0, 100]},\n"
    "    {\"step\": \"weight\", \"method\": \"framework\"},\n"
    "    {\"step\": \"aggregate\", \"method\": \"arithmetic\"}\n"
    "  ],\n"
    "  \"sensitivity\": {\"draws\": 0, \"seed\": 1, \"weight_spread\": 0.25, \"threads\": 2},\n"
    "  \"strengths\": 3\n"
    "}\n";

static char *dup(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void *xcalloc(size_t n, size_t size)
{
    return calloc(n ? n : 1, size);
}

/* Release the framework tree part (rebuilt when indicators are dropped). */
static void free_tree(struct gf_evaluation *ev)
{
    for (size_t k = 0; k < ev->nnode; k++) {
        free(ev->node_code[k]);
        free(ev->node_name[k]);
        free(ev->node_name_en[k]);
        free(ev->node_kind[k]);
    }
    free(ev->node_code);
    free(ev->node_name);
    free(ev->node_name_en);
    free(ev->node_kind);
    free(ev->node);
    free(ev->ind);
    free(ev->target);
    for (size_t j = 0; j < ev->m && ev->target_note; j++)
        free(ev->target_note[j]);
    free(ev->target_note);
    free(ev->target_level);
    free(ev->target_same);
    ev->target_note = NULL;
    ev->target_level = ev->target_same = NULL;
    ev->node_code = ev->node_name = ev->node_name_en = ev->node_kind = NULL;
    ev->node = NULL;
    ev->ind = NULL;
    ev->target = NULL;
    ev->nnode = ev->m = 0;
}

void gf_evaluation_free(struct gf_evaluation *ev)
{
    for (size_t i = 0; i < ev->n; i++) {
        free(ev->unit_code[i]);
        free(ev->unit_name[i]);
        free(ev->unit_name_en[i]);
    }
    free_tree(ev);
    for (size_t k = 0; k < ev->ndropped; k++) {
        free(ev->dropped[k]);
        free(ev->dropped_note[k]);
    }
    free(ev->dropped);
    free(ev->dropped_note);
    free(ev->unit_code);
    free(ev->unit_name);
    free(ev->unit_name_en);
    free(ev->x);
    free(ev->rank_prev);
    free(ev->track);
    free(ev->zone_code);
    free(ev->zone_name);
    free(ev->pipeline_json);
    gf_eval_result_free(&ev->res);
    memset(ev, 0, sizeof *ev);
}

/* Framework nodes with a positive weight (and all their ancestors positive), indicators first. */
static int load_tree(struct gf_db *db, struct gf_evaluation *ev, char *const *exclude, size_t nexclude,
                     struct gf_err *e)
{
    struct gf_stmt *st;
    int rc = gf_db_prepare(db,
                           "SELECT n.code, n.parent, n.kind, coalesce(n.name, d.name),"
                           " coalesce(n.name_en, d.name_en, n.name, d.name), n.weight, d.direction,"
                           " d.band_lo, d.band_hi, coalesce(n.target_level, 1),"
                           " coalesce(n.target_scale, 'none') = 'same'"
                           " FROM framework_node n LEFT JOIN indicator d"
                           " ON d.code = n.code AND n.kind = 'indicator' WHERE n.framework = ?"
                           " ORDER BY n.position, n.code",
                           &st, e);
    if (rc)
        return rc;
    gf_stmt_bind_text(st, 1, ev->framework);
    struct raw {
        char *code, *parent, *kind, *name, *name_en, *dir;
        double w, lo, hi;
        int keep, idx, tlevel, tsame;
    } *r = NULL;
    size_t nr = 0;
    while ((rc = gf_stmt_step(st, e)) == 1) {
        struct raw *p = realloc(r, sizeof *r * (nr + 1));
        if (!p) {
            rc = gf_err_set(e, GF_ENOMEM, "out of memory");
            break;
        }
        r = p;
        r[nr] = (struct raw){dup(gf_stmt_text(st, 0)), dup(gf_stmt_text(st, 1)), dup(gf_stmt_text(st, 2)),
                             dup(gf_stmt_text(st, 3)), dup(gf_stmt_text(st, 4)), dup(gf_stmt_text(st, 6)),
                             gf_stmt_double(st, 5), gf_stmt_double(st, 7), gf_stmt_double(st, 8), 1, -1,
                             (int)gf_stmt_int(st, 9), (int)gf_stmt_int(st, 10)};
        nr++;
    }
    gf_stmt_finalize(st);
    if (rc < 0)
        goto out;
    if (nr == 0) {
        rc = gf_err_set(e, GF_EUSER, "framework \"%s\": no such framework (see gongfu export framework)",
                        ev->framework);
        goto out;
    }
    /* drop zero-weight nodes, nodes under dropped ones, and aggregates left without children */
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t i = 0; i < nr; i++) {
            if (!r[i].keep)
                continue;
            int drop = !(r[i].w > 0);
            for (size_t x = 0; x < nexclude && !drop; x++)
                drop = !strcmp(exclude[x], r[i].code);
            if (!drop && r[i].parent) {
                int found = 0;
                for (size_t k = 0; k < nr; k++)
                    if (!strcmp(r[k].code, r[i].parent))
                        found = r[k].keep;
                drop = !found;
            }
            if (!drop && strcmp(r[i].kind, "indicator")) {
                int kids = 0;
                for (size_t k = 0; k < nr; k++)
                    kids += r[k].keep && r[k].parent && !strcmp(r[k].parent, r[i].code);
                drop = kids == 0;
            }
            if (drop) {
                r[i].keep = 0;
                changed = 1;
            }
        }
    }
    size_t m = 0, nn = 0;
    for (size_t i = 0; i < nr; i++)
        if (r[i].keep) {
            nn++;
            m += !strcmp(r[i].kind, "indicator");
        }
    if (m == 0) {
        rc = gf_err_set(e, GF_EUSER, "framework \"%s\": no indicator with a positive weight", ev->framework);
        goto out;
    }
    ev->m = m;
    ev->nnode = nn;
    ev->node = xcalloc(nn, sizeof *ev->node);
    ev->node_code = xcalloc(nn, sizeof(char *));
    ev->node_name = xcalloc(nn, sizeof(char *));
    ev->node_name_en = xcalloc(nn, sizeof(char *));
    ev->node_kind = xcalloc(nn, sizeof(char *));
    ev->ind = xcalloc(m, sizeof *ev->ind);
    ev->target_level = xcalloc(m, sizeof *ev->target_level);
    ev->target_same = xcalloc(m, sizeof *ev->target_same);
    ev->target_note = xcalloc(m, sizeof *ev->target_note);
    size_t k = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < nr; i++) {
            if (!r[i].keep || (pass == 0) != !strcmp(r[i].kind, "indicator"))
                continue;
            r[i].idx = (int)k;
            ev->node_code[k] = dup(r[i].code);
            ev->node_name[k] = dup(r[i].name ? r[i].name : r[i].code);
            ev->node_name_en[k] = dup(r[i].name_en ? r[i].name_en : ev->node_name[k]);
            ev->node_kind[k] = dup(r[i].kind);
            ev->node[k].code = ev->node_code[k];
            ev->node[k].weight = r[i].w;
            ev->node[k].level = pass == 0 ? 1 : 2;
            if (pass == 0) {
                struct gf_eval_ind *d = &ev->ind[k];
                gf_eval_ind_init(d, ev->node_code[k]);
                ev->target_level[k] = r[i].tlevel;
                ev->target_same[k] = r[i].tsame;
                d->direction = !r[i].dir || !strcmp(r[i].dir, "+") ? GF_EVAL_POS
                               : !strcmp(r[i].dir, "-")             ? GF_EVAL_NEG
                                                                    : GF_EVAL_BAND;
                if (d->direction == GF_EVAL_BAND) {
                    /* attainment is 1 inside the band, 0 one band-width outside it */
                    double width = r[i].hi - r[i].lo;
                    if (!(width > 0))
                        width = fabs(r[i].hi) * 0.5 + 1e-9;
                    d->band_lo = r[i].lo;
                    d->band_hi = r[i].hi;
                    d->lim_lo = r[i].lo - width;
                    d->lim_hi = r[i].hi + width;
                }
            }
            k++;
        }
    for (size_t i = 0; i < nr; i++) {
        if (!r[i].keep)
            continue;
        int p = -1;
        for (size_t q = 0; q < nr && r[i].parent; q++)
            if (r[q].keep && !strcmp(r[q].code, r[i].parent))
                p = r[q].idx;
        ev->node[r[i].idx].parent = p;
    }
    /* an aggregate's level is one above its highest child (indicators are level 1, as in
     * COINr's iMeta), so a pipeline's noise per level means the same here */
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t q = 0; q < nn; q++) {
            int p = ev->node[q].parent;
            if (p >= 0 && ev->node[p].level < ev->node[q].level + 1) {
                ev->node[p].level = ev->node[q].level + 1;
                changed = 1;
            }
        }
    }
    rc = GF_OK;
out:
    for (size_t i = 0; i < nr; i++) {
        free(r[i].code);
        free(r[i].parent);
        free(r[i].kind);
        free(r[i].name);
        free(r[i].name_en);
        free(r[i].dir);
    }
    free(r);
    return rc;
}

static int column_of(const struct gf_evaluation *ev, const char *code)
{
    for (size_t j = 0; j < ev->m; j++)
        if (!strcmp(ev->node_code[j], code))
            return (int)j;
    return -1;
}

static int row_of(const struct gf_evaluation *ev, const char *code)
{
    for (size_t i = 0; i < ev->n; i++)
        if (!strcmp(ev->unit_code[i], code))
            return (int)i;
    return -1;
}

/* Values of the level's units (or of the enterprises) for years first..last:
 * out[(y - first) * n * m + i * m + j]. */
static int load_years(struct gf_db *db, const struct gf_evaluation *ev, int first, int last,
                      double *out, struct gf_err *e)
{
    size_t per = ev->n * ev->m;
    for (size_t k = 0; k < (size_t)(last - first + 1) * per; k++)
        out[k] = NAN;
    struct gf_stmt *st;
    int rc = gf_db_prepare(db,
                           ev->enterprises
                               ? "SELECT v.enterprise, v.indicator, p.year, v.value FROM"
                                 " enterprise_value v JOIN period p ON p.code = v.period AND"
                                 " p.kind = 'year' WHERE p.year BETWEEN ?2 AND ?3"
                               : "SELECT v.unit, v.indicator, p.year, v.value FROM value v JOIN"
                                 " period p ON p.code = v.period AND p.kind = 'year' JOIN unit u"
                                 " ON u.code = v.unit WHERE u.level = ? AND p.year BETWEEN ? AND ?",
                           &st, e);
    if (rc)
        return rc;
    char lv[8], a[8], b[8];
    snprintf(lv, sizeof lv, "%d", ev->level);
    snprintf(a, sizeof a, "%d", first);
    snprintf(b, sizeof b, "%d", last);
    if (!ev->enterprises) /* the enterprises' query has no level (?2 and ?3 only) */
        gf_stmt_bind_text(st, 1, lv);
    gf_stmt_bind_text(st, 2, a);
    gf_stmt_bind_text(st, 3, b);
    while ((rc = gf_stmt_step(st, e)) == 1) {
        int i = row_of(ev, gf_stmt_text(st, 0));
        int j = column_of(ev, gf_stmt_text(st, 1));
        int y = (int)gf_stmt_int(st, 2);
        if (i < 0 || j < 0)
            continue;
        out[(size_t)(y - first) * per + (size_t)i * ev->m + (size_t)j] = gf_stmt_double(st, 3);
    }
    gf_stmt_finalize(st);
    return rc < 0 ? rc : GF_OK;
}

/* Does the target of indicator j apply to units of the given level? */
static int target_applies(const struct gf_evaluation *ev, size_t j, int level)
{
    return ev->target_same[j] || ev->target_level[j] == level;
}

/* The targets of the target year (ev->target, NaN none) and, for units of the level, the target
 * each indicator is measured against (ind[j].target): NaN with target_note[j] saying why when
 * the target is set for another level and the framework gives no rule to carry it over. */
static int load_targets(struct gf_db *db, struct gf_evaluation *ev, int level, struct gf_err *e)
{
    size_t m = ev->m;
    ev->target = xcalloc(m, sizeof *ev->target);
    if (!ev->target)
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    struct gf_stmt *st;
    int rc = gf_db_prepare(db, "SELECT value FROM target WHERE framework = ? AND indicator = ? AND year = ?",
                           &st, e);
    if (rc)
        return rc;
    char ty[8];
    snprintf(ty, sizeof ty, "%d", ev->target_year);
    for (size_t j = 0; j < m; j++) {
        ev->target[j] = NAN;
        gf_stmt_bind_text(st, 1, ev->framework);
        gf_stmt_bind_text(st, 2, ev->node_code[j]);
        gf_stmt_bind_text(st, 3, ty);
        if (gf_stmt_step(st, e) == 1)
            ev->target[j] = gf_stmt_double(st, 0);
        gf_stmt_reset(st);
        ev->ind[j].target = ev->target[j];
        if (!isnan(ev->target[j]) && ev->ind[j].direction != GF_EVAL_BAND &&
            !target_applies(ev, j, level)) {
            /* a target set for another level: no attainment here, and no 100 % against
             * a zone-wide count (the framework may say target_scale same) */
            char note[160];
            snprintf(note, sizeof note,
                     "target set for level %d, not for level %d (no target_scale rule)",
                     ev->target_level[j], level);
            ev->target_note[j] = dup(note);
            ev->ind[j].target = NAN;
        }
    }
    gf_stmt_finalize(st);
    return GF_OK;
}

/* The framework of o (NULL: the one with the most indicators that have values — the zone's, not a
 * small one whose few indicators have many) into ev->framework; it must exist. */
static int choose_framework(struct gf_db *db, const char *framework, struct gf_evaluation *ev,
                            struct gf_err *e)
{
    struct gf_stmt *st;
    int rc;
    if (framework)
        snprintf(ev->framework, sizeof ev->framework, "%s", framework);
    else {
        if ((rc = gf_db_prepare(db,
                                ev->enterprises
                                    ? "SELECT f.code FROM framework f ORDER BY (SELECT count(DISTINCT"
                                      " v.indicator) FROM enterprise_value v JOIN framework_node n"
                                      " ON n.code = v.indicator AND n.framework = f.code) DESC,"
                                      " f.code LIMIT 1"
                                    : "SELECT f.code FROM framework f ORDER BY (SELECT count(DISTINCT"
                                      " v.indicator) FROM value v JOIN framework_node n ON n.code ="
                                      " v.indicator AND n.framework = f.code) DESC, f.code LIMIT 1",
                                &st, e)))
            return rc;
        if (gf_stmt_step(st, e) == 1)
            snprintf(ev->framework, sizeof ev->framework, "%s", gf_stmt_text(st, 0));
        gf_stmt_finalize(st);
        if (!ev->framework[0])
            return gf_err_set(e, GF_EUSER, "no framework in the database (import one: gongfu import framework FILE)");
    }
    if (gf_db_int(db, "SELECT count(*) FROM framework", 0) > 0) {
        if ((rc = gf_db_prepare(db, "SELECT 1 FROM framework WHERE code = ?", &st, e)))
            return rc;
        gf_stmt_bind_text(st, 1, ev->framework);
        int found = gf_stmt_step(st, e) == 1;
        gf_stmt_finalize(st);
        if (!found)
            return gf_err_set(e, GF_EUSER, "framework \"%s\": no such framework (see gongfu export framework)",
                              ev->framework);
    }
    return GF_OK;
}

/* Does the pipeline (or one of its sensitivity alternatives) normalise by the targets? */
static int needs_targets(const struct gf_eval_pipeline *p)
{
    for (int s = 0; s < p->nstep; s++)
        if (p->step[s].kind == GF_STEP_NORMALISE &&
            (p->step[s].norm.method == GF_NORM_ATTAIN || p->step[s].norm.method == GF_NORM_DIST_TARGET))
            return 1;
    for (int a = 0; a < p->mc.nnorm; a++)
        if (p->mc.norm[a].method == GF_NORM_ATTAIN || p->mc.norm[a].method == GF_NORM_DIST_TARGET)
            return 1;
    return 0;
}

static void drop(struct gf_evaluation *ev, const char *code, const char *note)
{
    ev->dropped = realloc(ev->dropped, sizeof *ev->dropped * (ev->ndropped + 1));
    ev->dropped_note = realloc(ev->dropped_note, sizeof *ev->dropped_note * (ev->ndropped + 1));
    ev->dropped[ev->ndropped] = dup(code);
    ev->dropped_note[ev->ndropped++] = dup(note);
}

int gf_evaluation_run(struct gf_db *db, const struct gf_evaluation_opts *o, struct gf_evaluation *ev,
                      struct gf_err *e)
{
    memset(ev, 0, sizeof *ev);
    double *years = NULL;
    int rc;
    ev->enterprises = o->enterprises;
    ev->level = o->enterprises ? 0 : o->level > 0 ? o->level : 2;
    ev->target_year = o->target_year > 0 ? o->target_year : 2025;
    struct gf_stmt *st;
    /* framework */
    if ((rc = choose_framework(db, o->framework, ev, e)))
        goto fail;
    /* period */
    if (o->period)
        snprintf(ev->period, sizeof ev->period, "%s", o->period);
    else {
        if ((rc = gf_db_prepare(db,
                                ev->enterprises
                                    ? "SELECT max(p.year) FROM period p WHERE p.kind = 'year' AND"
                                      " EXISTS (SELECT 1 FROM enterprise_value v JOIN framework_node n"
                                      " ON n.code = v.indicator AND n.framework = ?1 WHERE v.period ="
                                      " p.code)"
                                    : "SELECT max(p.year) FROM period p WHERE p.kind = 'year' AND"
                                      " EXISTS (SELECT 1 FROM value v JOIN framework_node n ON n.code"
                                      " = v.indicator AND n.framework = ? JOIN unit u ON u.code ="
                                      " v.unit AND u.level = ? WHERE v.period = p.code)",
                                &st, e)))
            goto fail;
        char lv[8];
        snprintf(lv, sizeof lv, "%d", ev->level);
        gf_stmt_bind_text(st, 1, ev->framework);
        if (!ev->enterprises)
            gf_stmt_bind_text(st, 2, lv);
        if (gf_stmt_step(st, e) == 1 && !gf_stmt_is_null(st, 0))
            snprintf(ev->period, sizeof ev->period, "%lld", (long long)gf_stmt_int(st, 0));
        gf_stmt_finalize(st);
        if (!ev->period[0]) {
            rc = ev->enterprises
                     ? gf_err_set(e, GF_EUSER, "framework \"%s\": no yearly values of enterprises",
                                  ev->framework)
                     : gf_err_set(e, GF_EUSER,
                                  "framework \"%s\": no yearly values for units of level %d",
                                  ev->framework, ev->level);
            goto fail;
        }
    }
    struct gf_period per;
    if (gf_period_parse(ev->period, &per) || per.kind != GF_PERIOD_YEAR) {
        rc = gf_err_set(e, GF_EUSER, "period \"%s\": expected a year such as 2024", ev->period);
        goto fail;
    }
    /* pipeline */
    const char *pj = o->pipeline_json       ? o->pipeline_json
                     : o->enterprises       ? gf_evaluation_peers_pipeline
                                            : gf_evaluation_default_pipeline;
    ev->pipeline_json = dup(pj);
    if ((rc = gf_eval_pipeline_parse(pj, strlen(pj), o->pipeline_src ? o->pipeline_src : "pipeline",
                                     &ev->pipeline, e)))
        goto fail;
    if (o->draws > 0) {
        ev->pipeline.mc.draws = o->draws;
        ev->pipeline.mc.seed = (uint64_t)o->seed;
        if (ev->pipeline.mc.weight_spread <= 0)
            ev->pipeline.mc.weight_spread = 0.25;
        if (ev->pipeline.mc.threads <= 0)
            ev->pipeline.mc.threads = 2;
    }
    /* zone root and units of the level */
    if ((rc = gf_db_prepare(db, "SELECT code, name FROM unit WHERE parent IS NULL ORDER BY code LIMIT 1", &st, e)))
        goto fail;
    if (gf_stmt_step(st, e) == 1) {
        ev->zone_code = dup(gf_stmt_text(st, 0));
        ev->zone_name = dup(gf_stmt_text(st, 1));
    }
    gf_stmt_finalize(st);
    if (!ev->zone_code) {
        rc = gf_err_set(e, GF_EUSER, "no units in the database (import them: gongfu import units FILE)");
        goto fail;
    }
    if ((rc = gf_db_prepare(db,
                            ev->enterprises
                                ? "SELECT code, name, name FROM enterprise ORDER BY code"
                                : "SELECT code, name, coalesce(name_en, name) FROM unit WHERE level"
                                  " = ? ORDER BY code",
                            &st, e)))
        goto fail;
    char lv[8];
    snprintf(lv, sizeof lv, "%d", ev->level);
    if (!ev->enterprises)
        gf_stmt_bind_text(st, 1, lv);
    size_t cap = 0;
    while ((rc = gf_stmt_step(st, e)) == 1) {
        if (ev->n == cap) {
            cap = cap ? cap * 2 : 64;
            ev->unit_code = realloc(ev->unit_code, sizeof(char *) * cap);
            ev->unit_name = realloc(ev->unit_name, sizeof(char *) * cap);
            ev->unit_name_en = realloc(ev->unit_name_en, sizeof(char *) * cap);
        }
        ev->unit_code[ev->n] = dup(gf_stmt_text(st, 0));
        ev->unit_name[ev->n] = dup(gf_stmt_text(st, 1));
        ev->unit_name_en[ev->n] = dup(gf_stmt_text(st, 2));
        ev->n++;
    }
    gf_stmt_finalize(st);
    if (rc < 0)
        goto fail;
    if (ev->n < 2) {
        rc = ev->enterprises
                 ? gf_err_set(e, GF_EUSER,
                              "%zu enterprise(s) registered: a ranking needs at least two", ev->n)
                 : gf_err_set(e, GF_EUSER, "level %d has %zu unit(s): a ranking needs at least two",
                              ev->level, ev->n);
        goto fail;
    }
    size_t n = ev->n, m = 0;
    int y1 = per.year, y0 = per.year - 9;
    size_t stride = 0;
    /* the tree, its targets and ten years of values; indicators without any value at this
     * level for the period, and under a target-based normalisation those whose target is not
     * for this level, take no part (listed in ev->dropped) and the tree is rebuilt */
    for (int attempt = 0;; attempt++) {
        if ((rc = load_tree(db, ev, ev->dropped, ev->ndropped, e)))
            goto fail;
        m = ev->m;
        if ((rc = load_targets(db, ev, ev->level, e)))
            goto fail;
        stride = n * m;
        years = xcalloc((size_t)(y1 - y0 + 1) * stride, sizeof *years);
        if ((rc = load_years(db, ev, y0, y1, years, e)))
            goto fail;
        size_t empty = 0;
        for (size_t j = 0; j < m; j++) {
            size_t have = 0;
            for (size_t i = 0; i < n; i++)
                have += !isnan(years[(size_t)(y1 - y0) * stride + i * m + j]);
            if (have == 0) {
                drop(ev, ev->node_code[j], "no value at this level for the period");
                empty++;
            } else if (ev->target_note[j] && needs_targets(&ev->pipeline)) {
                drop(ev, ev->node_code[j], ev->target_note[j]);
                empty++;
            }
        }
        if (empty == m && ev->ndropped > 0 && strcmp(ev->dropped_note[0], "no value at this level for the period")) {
            rc = gf_err_set(e, GF_EUSER,
                            "framework \"%s\", level %d: no indicator with values has a target for "
                            "this level (%s: %s); give the framework target_level %d or target_scale "
                            "same, or use a pipeline that does not normalise by targets",
                            ev->framework, ev->level, ev->dropped[0], ev->dropped_note[0], ev->level);
            goto fail;
        }
        if (empty == 0 || empty == m || attempt > 0)
            break;
        free_tree(ev);
        free(years);
        years = NULL;
    }
    ev->x = xcalloc(n * m, sizeof *ev->x);
    memcpy(ev->x, years + (size_t)(y1 - y0) * stride, sizeof *ev->x * n * m);
    size_t present = 0;
    for (size_t k = 0; k < n * m; k++)
        present += !isnan(ev->x[k]);
    if (present == 0) {
        rc = gf_err_set(e, GF_EUSER, "framework \"%s\", period %s: no values for the units of level %d",
                        ev->framework, ev->period, ev->level);
        goto fail;
    }
    /* panel of earlier years (n × m each) for panel imputation */
    size_t nper = (size_t)(y1 - y0);
    double *panel = xcalloc(nper * n * m + 1, sizeof *panel);
    for (size_t t = 0; t < nper; t++)
        memcpy(panel + t * n * m, years + t * stride, sizeof *panel * n * m);
    struct gf_eval_tree tree = {m, ev->nnode, ev->node};
    struct gf_eval_input in = {n, m, ev->x, ev->ind, &tree, NULL, 0, NULL, panel, nper, 0, NULL};
    rc = gf_eval_run(&ev->pipeline, &in, &ev->res, e);
    if (rc) {
        free(panel);
        gf_err_prefix(e, "framework %s, period %s", ev->framework, ev->period);
        goto fail;
    }
    /* previous year: same pipeline, no sensitivity, for the rank change */
    ev->rank_prev = xcalloc(n, sizeof *ev->rank_prev);
    {
        struct gf_eval_pipeline pp = ev->pipeline;
        pp.mc.draws = 0;
        double *xp = xcalloc(n * m, sizeof *xp);
        memcpy(xp, years + (size_t)(y1 - 1 - y0) * stride, sizeof *xp * n * m);
        size_t have = 0;
        for (size_t k = 0; k < n * m; k++)
            have += !isnan(xp[k]);
        struct gf_eval_input ip = {n, m, xp, ev->ind, &tree, NULL, 0, NULL, panel, nper - 1, 0, NULL};
        struct gf_eval_result rp;
        memset(&rp, 0, sizeof rp);
        if (have > 0 && gf_eval_run(&pp, &ip, &rp, NULL) == GF_OK) {
            for (size_t k = 0; k < rp.n; k++)
                ev->rank_prev[rp.rowmap[k]] = rp.rank[k * rp.nnode + rp.root];
        }
        gf_eval_result_free(&rp);
        free(xp);
    }
    free(panel);
    /* target tracking for every unit */
    ev->track = xcalloc(n * m, sizeof *ev->track);
    int yrs[10];
    double series[10];
    for (int t = 0; t <= y1 - y0; t++)
        yrs[t] = y0 + t;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++) {
            int *slot = &ev->track[i * m + j];
            *slot = -1;
            if (isnan(ev->ind[j].target) || ev->ind[j].direction == GF_EVAL_BAND)
                continue;
            for (int t = 0; t <= y1 - y0; t++)
                series[t] = years[(size_t)t * stride + i * m + j];
            struct gf_eval_track_result tr;
            if (gf_eval_target_track(series, yrs, (size_t)(y1 - y0 + 1), ev->target[j], ev->target_year,
                                     ev->ind[j].direction, 3, 0.5, &tr, NULL) == GF_OK)
                *slot = (int)tr.status;
        }
    free(years);
    return GF_OK;
fail:
    free(years);
    gf_evaluation_free(ev);
    return rc;
}

int gf_evaluation_save(struct gf_db *db, const struct gf_evaluation *ev, const char *actor,
                       long long *run_id, struct gf_err *e)
{
    if (ev->enterprises)
        return gf_err_set(e, GF_EUSER, "an evaluation of enterprises is computed, not saved");
    int rc = gf_db_begin(db, e);
    if (rc)
        return rc;
    char now[32], lv[8], draws[16], seed[24];
    snprintf(lv, sizeof lv, "%d", ev->level);
    snprintf(draws, sizeof draws, "%d", ev->pipeline.mc.draws);
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)ev->pipeline.mc.seed);
    rc = gf_db_run(db, e,
                   "INSERT INTO eval_run (framework, period, level, pipeline, draws, seed, created_at, created_by)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   ev->framework, ev->period, lv, ev->pipeline_json, draws, seed, gf_now(now), actor);
    long long id = rc ? 0 : (long long)gf_db_last_id(db);
    struct gf_stmt *st = NULL;
    if (rc == GF_OK)
        rc = gf_db_prepare(db,
                           "INSERT INTO eval_result (run, unit, node, score, rank, rank_change, rank_median,"
                           " rank_p05, rank_p95, rank_shift, attainment, contribution, status, note)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           &st, e);
    const struct gf_eval_result *r = &ev->res;
    for (size_t k = 0; k < r->n && rc == GF_OK; k++) {
        size_t i = r->rowmap[k];
        for (size_t q = 0; q < r->nnode && rc == GF_OK; q++) {
            int is_root = q == r->root, is_leaf = q < r->m;
            gf_stmt_bind_int(st, 1, id);
            gf_stmt_bind_text(st, 2, ev->unit_code[i]);
            gf_stmt_bind_text(st, 3, ev->node_code[q]);
            gf_stmt_bind_double(st, 4, r->score[k * r->nnode + q]);
            gf_stmt_bind_int(st, 5, r->rank[k * r->nnode + q]);
            if (is_root && ev->rank_prev[i] > 0)
                gf_stmt_bind_int(st, 6, ev->rank_prev[i] - r->rank[k * r->nnode + q]);
            if (is_root && r->sens) {
                gf_stmt_bind_double(st, 7, r->sens[k].median);
                gf_stmt_bind_double(st, 8, r->sens[k].p05);
                gf_stmt_bind_double(st, 9, r->sens[k].p95);
                gf_stmt_bind_double(st, 10, r->sens[k].mean_shift);
            }
            if (is_leaf) {
                gf_stmt_bind_double(st, 11, r->attain ? r->attain[k * r->m + q] : NAN);
                gf_stmt_bind_double(st, 12, r->contrib ? r->contrib[k * r->m + q] : NAN);
                int tr = ev->track[i * ev->m + q];
                gf_stmt_bind_text(st, 13, tr >= 0 ? gf_eval_track_name((enum gf_eval_track)tr) : NULL);
                gf_stmt_bind_text(st, 14, ev->target_note[q]);
            }
            rc = gf_stmt_step(st, e) < 0 ? GF_ESYS : GF_OK;
            gf_stmt_reset(st);
        }
    }
    gf_stmt_finalize(st);
    if (rc == GF_OK) {
        char key[32], *after = gf_json_obj("framework", ev->framework, "period", ev->period, "level", lv,
                                           "draws", draws, NULL);
        snprintf(key, sizeof key, "%lld", id);
        rc = gf_audit(db, actor, "insert", "eval_run", key, NULL, after, e);
        free(after);
    }
    if (rc) {
        gf_db_rollback(db);
        return rc;
    }
    if ((rc = gf_db_commit(db, e)))
        return rc;
    *run_id = id;
    return GF_OK;
}

int gf_evaluation_targets(struct gf_db *db, const char *framework, const char *period,
                          const char *unit, struct gf_targets *t, struct gf_err *e)
{
    memset(t, 0, sizeof *t);
    struct gf_evaluation *ev = &t->tree;
    ev->target_year = t->target_year = 2025;
    snprintf(t->unit, sizeof t->unit, "%s", unit);
    int rc = choose_framework(db, framework, ev, e);
    if (rc)
        goto fail;
    snprintf(t->framework, sizeof t->framework, "%s", ev->framework);
    t->level = (int)gf_db_int_text(db, "SELECT level FROM unit WHERE code = ?", unit);
    if (t->level <= 0) {
        rc = gf_err_at(e, NULL, 0, "unit", unit, "an existing unit code");
        goto fail;
    }
    ev->level = t->level;
    struct gf_stmt *st;
    if (period)
        snprintf(t->period, sizeof t->period, "%s", period);
    else { /* the latest year the unit has values of the framework for */
        if ((rc = gf_db_prepare(db,
                                "SELECT max(p.year) FROM period p WHERE p.kind = 'year' AND EXISTS"
                                " (SELECT 1 FROM value v JOIN framework_node n ON n.code = v.indicator"
                                " AND n.framework = ? WHERE v.unit = ? AND v.period = p.code)",
                                &st, e)))
            goto fail;
        gf_stmt_bind_text(st, 1, ev->framework);
        gf_stmt_bind_text(st, 2, unit);
        if (gf_stmt_step(st, e) == 1 && !gf_stmt_is_null(st, 0))
            snprintf(t->period, sizeof t->period, "%lld", (long long)gf_stmt_int(st, 0));
        gf_stmt_finalize(st);
        if (!t->period[0]) /* nothing measured yet: no rows */
            return GF_OK;
    }
    struct gf_period per;
    if (gf_period_parse(t->period, &per) || per.kind != GF_PERIOD_YEAR) {
        rc = gf_err_at(e, NULL, 0, "period", t->period, "a year such as 2024");
        goto fail;
    }
    snprintf(ev->period, sizeof ev->period, "%s", t->period);
    t->year = per.year;
    if ((rc = load_tree(db, ev, NULL, 0, e)) || (rc = load_targets(db, ev, t->level, e)))
        goto fail;
    size_t m = ev->m;
    int y0 = per.year - 9;
    double *years = xcalloc(10 * m, sizeof *years); /* years[(y - y0) * m + j] */
    t->row = xcalloc(m, sizeof *t->row);
    if (!years || !t->row) {
        free(years);
        rc = gf_err_set(e, GF_ENOMEM, "out of memory");
        goto fail;
    }
    for (size_t k = 0; k < 10 * m; k++)
        years[k] = NAN;
    if ((rc = gf_db_prepare(db,
                            "SELECT v.indicator, p.year, v.value FROM value v JOIN period p"
                            " ON p.code = v.period AND p.kind = 'year'"
                            " WHERE v.unit = ? AND p.year BETWEEN ? AND ?",
                            &st, e))) {
        free(years);
        goto fail;
    }
    char a[8], b[8];
    snprintf(a, sizeof a, "%d", y0);
    snprintf(b, sizeof b, "%d", per.year);
    gf_stmt_bind_text(st, 1, unit);
    gf_stmt_bind_text(st, 2, a);
    gf_stmt_bind_text(st, 3, b);
    while ((rc = gf_stmt_step(st, e)) == 1) {
        int j = column_of(ev, gf_stmt_text(st, 0));
        int y = (int)gf_stmt_int(st, 1);
        if (j >= 0)
            years[(size_t)(y - y0) * m + (size_t)j] = gf_stmt_double(st, 2);
    }
    gf_stmt_finalize(st);
    if (rc < 0) {
        free(years);
        goto fail;
    }
    int yrs[10];
    for (int k = 0; k < 10; k++)
        yrs[k] = y0 + k;
    /* every indicator with a target and a value in the ten years, tracked as gf_evaluation_run
     * tracks the units it ranks */
    for (size_t j = 0; j < m; j++) {
        int any = 0;
        for (int k = 0; k < 10; k++)
            any |= !isnan(years[(size_t)k * m + j]);
        if (isnan(ev->target[j]) || !any)
            continue;
        struct gf_target_row *r = &t->row[t->n++];
        r->indicator = ev->node_code[j];
        r->name = ev->node_name[j];
        r->name_en = ev->node_name_en[j];
        r->dimension = ev->node[j].parent >= 0 ? ev->node_code[ev->node[j].parent] : NULL;
        r->note = ev->target_note[j];
        r->target = ev->ind[j].target; /* NaN where the target is for another level */
        int attainable = !isnan(r->target) || ev->ind[j].direction == GF_EVAL_BAND;
        for (int k = 0; k < 10; k++) {
            double at, v = years[(size_t)k * m + j];
            r->series[k] = v;
            r->series_attain[k] = NAN;
            if (!isnan(v) && attainable && gf_eval_attainment(v, &ev->ind[j], &at, NULL) == GF_OK)
                r->series_attain[k] = at;
        }
        r->value = r->series[9];
        r->attainment = r->series_attain[9];
        r->needed = r->recent = NAN;
        r->status = -1;
        if (isnan(r->target) || ev->ind[j].direction == GF_EVAL_BAND)
            continue;
        struct gf_eval_track_result tr;
        if (gf_eval_target_track(r->series, yrs, 10, r->target, ev->target_year,
                                 ev->ind[j].direction, 3, 0.5, &tr, NULL) == GF_OK) {
            r->status = (int)tr.status;
            r->needed = isfinite(tr.needed) ? tr.needed : NAN; /* none left: the target year */
            r->recent = isfinite(tr.recent) ? tr.recent : NAN;
        }
    }
    free(years);
    return GF_OK;
fail:
    gf_targets_free(t);
    return rc;
}

void gf_targets_free(struct gf_targets *t)
{
    free(t->row);
    gf_evaluation_free(&t->tree);
    memset(t, 0, sizeof *t);
}
