/* race.c — the horse race (赛马争先): units and work teams ranked by a weighted combination of
 * the evaluation result and their list performance — and projects and cadres by their list
 * performance (cadres: with their paired households' visits and measures) — with red and black lists, awards, reasons
 * and resampled rank percentiles so that nobody lands on the black list by noise.
 *
 * Scoring (docs/lists-and-race.md): seven components on 0..100, a weighted mean over the ones
 * that apply (weights of the others are redistributed), ranks with ties sharing the smaller
 * rank.  Percentiles: `draws` resamples; each multiplies every weight by U(1−j, 1+j) and, when
 * the evaluation stored its sensitivity (rank_p05/rank_p95), draws the evaluation rank
 * uniformly in [rank_p05, rank_p95].  The race stores nothing: it is recomputed from the data;
 * when no evaluation of the period and level was saved, it evaluates them now (and says so), and
 * a subject with nothing measured is listed unranked rather than tied at the top. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ksum.h"
#include "domain/audit.h"
#include "domain/evaluation.h"
#include "domain/lists.h"
#include "domain/lists_int.h"
#include "domain/period.h"
#include "util/input.h"
#include "domain/unit.h"

void gf_race_config_default(struct gf_race_config *c)
{
    memset(c, 0, sizeof *c);
    c->w[GF_RC_EVAL] = 0.35;
    c->w[GF_RC_IMPROVE] = 0.10;
    c->w[GF_RC_MILESTONES] = 0.15;
    c->w[GF_RC_ITEMS] = 0.15;
    c->w[GF_RC_INVEST] = 0.10;
    c->w[GF_RC_FUNDS] = 0.05;
    c->w[GF_RC_PROBLEMS] = 0.10;
    c->w_project[GF_RC_MILESTONES] = 0.30;
    c->w_project[GF_RC_ITEMS] = 0.15;
    c->w_project[GF_RC_INVEST] = 0.25;
    c->w_project[GF_RC_FUNDS] = 0.15;
    c->w_project[GF_RC_PROBLEMS] = 0.15;
    c->w_cadre[GF_RC_MILESTONES] = 0.15;
    c->w_cadre[GF_RC_ITEMS] = 0.25;
    c->w_cadre[GF_RC_INVEST] = 0.10;
    c->w_cadre[GF_RC_FUNDS] = 0.05;
    c->w_cadre[GF_RC_PROBLEMS] = 0.15;
    c->w_cadre[GF_RC_VISITS] = 0.20;
    c->w_cadre[GF_RC_MEASURES] = 0.10;
    c->w_enterprise[GF_RC_EVAL] = 0.80;
    c->w_enterprise[GF_RC_IMPROVE] = 0.20;
    c->pen_open = 10;
    c->pen_overdue = 20;
    c->level = 2;
    c->red_top = 1;
    c->red_min_score = NAN;
    c->black_bottom = 1;
    c->black_max_score = NAN;
    c->best_top = 1;
    c->slowest_bottom = 1;
    c->draws = 1000;
    c->seed = 20240101;
    c->jitter = 0.2;
    c->stalled_days = 60;
}

static const char *const comp_key[GF_RACE_NCOMP] = {
    "eval", "improvement", "milestones", "items", "investment", "funds", "problems", "visits",
    "measures"};

const char *const gf_race_subject_code[GF_RS_N] = {"unit", "team", "project", "cadre",
                                                   "enterprise"};

/* The weights of a subject's race. */
static const double *weights_of(const struct gf_race_config *c, enum gf_race_subject s)
{
    return s == GF_RS_PROJECT      ? c->w_project
           : s == GF_RS_CADRE      ? c->w_cadre
           : s == GF_RS_ENTERPRISE ? c->w_enterprise
                                   : c->w;
}

static int weights_positive(const double *w)
{
    double sum = 0;
    for (int i = 0; i < GF_RACE_NCOMP; i++)
        sum += w[i];
    return sum > 0;
}

static int num_in(json_t *v, const char *path, const char *key, double lo, double hi, double *out,
                  struct gf_err *e)
{
    if (!json_is_number(v) || json_number_value(v) < lo || json_number_value(v) > hi) {
        char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        int rc = gf_err_at(e, path, 0, key, text ? text : "", "a number from %g to %g", lo, hi);
        free(text);
        return rc;
    }
    *out = json_number_value(v);
    return GF_OK;
}

int gf_race_config_load(struct gf_race_config *c, const char *path, struct gf_err *e)
{
    char *buf;
    size_t n;
    int rc = gf_input_read_file(path, GF_RACE_CONFIG_MAX, &buf, &n, e);
    if (rc)
        return rc;
    rc = gf_race_config_parse(c, buf, n, gf_input_name(path), e);
    free(buf);
    return rc;
}

/* {"component": weight, …} into w (the components not named keep their weight). */
static int parse_weights(json_t *v, const char *path, const char *prefix, double *w,
                         struct gf_err *e)
{
    const char *k;
    json_t *x;
    json_object_foreach(v, k, x)
    {
        int i = 0;
        while (i < GF_RACE_NCOMP && strcmp(comp_key[i], k))
            i++;
        if (i == GF_RACE_NCOMP)
            return gf_err_at(e, path, 0, k, NULL,
                             "a component: eval, improvement, milestones, items, investment, "
                             "funds, problems, visits, measures");
        char name[64];
        snprintf(name, sizeof name, "%s.%s", prefix, k);
        int rc = num_in(x, path, name, 0, 1e6, &w[i], e);
        if (rc)
            return rc;
    }
    return GF_OK;
}

int gf_race_config_parse(struct gf_race_config *c, const char *text, size_t len, const char *path,
                         struct gf_err *e)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return gf_err_at(e, path, je.line, NULL, NULL, "a JSON object (%s)", je.text);
    int rc = GF_OK;
    double x;
    const char *key;
    json_t *v;
    if (!json_is_object(root)) {
        rc = gf_err_at(e, path, 1, NULL, NULL, "a JSON object");
        goto out;
    }
    json_object_foreach(root, key, v)
    {
        if (!strcmp(key, "weights") && json_is_object(v)) {
            if ((rc = parse_weights(v, path, "weights", c->w, e)))
                goto out;
        } else if ((!strcmp(key, "project") || !strcmp(key, "cadre") ||
                    !strcmp(key, "enterprise")) &&
                   json_is_object(v)) {
            const char *k2;
            json_t *v2;
            char name[32];
            snprintf(name, sizeof name, "%s.weights", key);
            json_object_foreach(v, k2, v2)
            {
                if (strcmp(k2, "weights") || !json_is_object(v2)) {
                    rc = gf_err_at(e, path, 0, key, k2, "{\"weights\": {component: weight, …}}");
                    goto out;
                }
                double *w = key[0] == 'p' ? c->w_project : key[0] == 'c' ? c->w_cadre
                                                                          : c->w_enterprise;
                if ((rc = parse_weights(v2, path, name, w, e)))
                    goto out;
            }
        } else if (!strcmp(key, "penalties") && json_is_object(v)) {
            json_t *o = json_object_get(v, "open"), *d = json_object_get(v, "overdue");
            if (o && (rc = num_in(o, path, "penalties.open", 0, 100, &c->pen_open, e)))
                goto out;
            if (d && (rc = num_in(d, path, "penalties.overdue", 0, 100, &c->pen_overdue, e)))
                goto out;
        } else if (!strcmp(key, "level")) {
            if ((rc = num_in(v, path, key, 1, 9, &x, e)))
                goto out;
            c->level = (int)x;
        } else if (!strcmp(key, "red") && json_is_object(v)) {
            json_t *t = json_object_get(v, "top"), *m = json_object_get(v, "min_score");
            c->red_top = 0;
            c->red_min_score = NAN;
            if (t && (rc = num_in(t, path, "red.top", 0, 1e6, &x, e)) == GF_OK)
                c->red_top = (int)x;
            if (rc || (m && (rc = num_in(m, path, "red.min_score", 0, 100, &c->red_min_score, e))))
                goto out;
        } else if (!strcmp(key, "black") && json_is_object(v)) {
            json_t *b = json_object_get(v, "bottom"), *m = json_object_get(v, "max_score");
            c->black_bottom = 0;
            c->black_max_score = NAN;
            if (b && (rc = num_in(b, path, "black.bottom", 0, 1e6, &x, e)) == GF_OK)
                c->black_bottom = (int)x;
            if (rc ||
                (m && (rc = num_in(m, path, "black.max_score", 0, 100, &c->black_max_score, e))))
                goto out;
        } else if (!strcmp(key, "awards") && json_is_object(v)) {
            json_t *b = json_object_get(v, "best_top"), *s = json_object_get(v, "slowest_bottom");
            if (b && (rc = num_in(b, path, "awards.best_top", 0, 1e6, &x, e)) == GF_OK)
                c->best_top = (int)x;
            if (rc)
                goto out;
            if (s && (rc = num_in(s, path, "awards.slowest_bottom", 0, 1e6, &x, e)) == GF_OK)
                c->slowest_bottom = (int)x;
            if (rc)
                goto out;
        } else if (!strcmp(key, "draws")) {
            if ((rc = num_in(v, path, key, 0, 1e6, &x, e)))
                goto out;
            c->draws = (int)x;
        } else if (!strcmp(key, "seed")) {
            if ((rc = num_in(v, path, key, 0, 9007199254740992.0, &x, e)))
                goto out;
            c->seed = (uint64_t)x;
        } else if (!strcmp(key, "jitter")) {
            if ((rc = num_in(v, path, key, 0, 0.99, &c->jitter, e)))
                goto out;
        } else if (!strcmp(key, "stalled_days")) {
            if ((rc = num_in(v, path, key, 1, 3650, &x, e)))
                goto out;
            c->stalled_days = (int)x;
        } else {
            rc = gf_err_at(e, path, 0, key, NULL,
                           "a known key: weights, project, cadre, enterprise, penalties, level, "
                           "red, black, "
                           "awards, draws, seed, jitter, stalled_days (objects where documented)");
            goto out;
        }
    }
    if (!weights_positive(c->w))
        rc = gf_err_at(e, path, 0, "weights", NULL, "at least one positive weight");
    else if (!weights_positive(c->w_project))
        rc = gf_err_at(e, path, 0, "project.weights", NULL, "at least one positive weight");
    else if (!weights_positive(c->w_cadre))
        rc = gf_err_at(e, path, 0, "cadre.weights", NULL, "at least one positive weight");
    else if (!weights_positive(c->w_enterprise))
        rc = gf_err_at(e, path, 0, "enterprise.weights", NULL, "at least one positive weight");
out:
    json_decref(root);
    return rc;
}

/* ---- data of one race ---------------------------------------------------------------------- */

struct item {
    char code[64], team[64], status[16], start[11], due[11], completed[11];
    char leader[64], owner[64];
    int unit; /* index in units (attributed territorial unit), -1 */
    double inv_plan, inv_done, funds_req, funds_sec; /* figures as of the as-of date */
};

struct ms {
    int item;
    char planned[11], actual[11];
};

struct prob {
    int item, unit;
    char owner[64];
    char raised[11], deadline[11], status[16], verified[11];
};

struct facts {
    int ms_due, ms_ok, items_due, items_ok, open, overdue;
    double inv_done, inv_plan, funds_sec, funds_req;
    int eval_rank, eval_change, has_change;
    double eval_p05, eval_p95, eval_score;
    int hh_paired, hh_visited, hh_measured; /* cadres */
};

struct ctx {
    struct gf_db *db;
    struct gf_units units;
    int have_units;
    struct item *it;
    int nit;
    struct ms *ms;
    int nms;
    struct prob *pb;
    int npb;
};

static void cpy(char *d, size_t cap, const char *s)
{
    snprintf(d, cap, "%s", s ? s : "");
}

static void ctx_free(struct ctx *x)
{
    if (x->have_units)
        gf_units_free(&x->units);
    free(x->it);
    free(x->ms);
    free(x->pb);
    memset(x, 0, sizeof *x);
}

/* Items are loaded ORDER BY code (binary collation = strcmp order): binary search. */
static int item_index(const struct ctx *x, const char *code)
{
    int lo = 0, hi = x->nit - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2, c = strcmp(x->it[mid].code, code);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

static int load_data(struct ctx *x, const char *asof, struct gf_err *e)
{
    struct gf_stmt *st = NULL;
    int rc;
    if ((rc = gf_units_load(x->db, &x->units, e)))
        return rc;
    x->have_units = 1;
    int n = (int)gf_db_int(x->db, "SELECT count(*) FROM list_item", 0);
    x->it = calloc((size_t)n + 1, sizeof *x->it);
    if (!x->it)
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    if ((rc = gf_db_prepare(
             x->db,
             "SELECT i.code, coalesce(i.team,''), i.status, i.start_date, i.due_date, "
             " coalesce(i.completed_date,''), "
             " " GF_ITEM_PLACE_SQL ", "
             " coalesce(i.invest_planned, 0), coalesce(i.funds_requested, 0), "
             " CASE WHEN EXISTS (SELECT 1 FROM progress p WHERE p.item = i.code AND "
             "  p.invest_done IS NOT NULL) THEN coalesce((SELECT p.invest_done FROM progress p "
             "  WHERE p.item = i.code AND p.invest_done IS NOT NULL AND p.report_date <= ? "
             "  ORDER BY p.report_date DESC LIMIT 1), 0) ELSE coalesce(i.invest_done, 0) END, "
             " CASE WHEN EXISTS (SELECT 1 FROM progress p WHERE p.item = i.code AND "
             "  p.funds_secured IS NOT NULL) THEN coalesce((SELECT p.funds_secured FROM progress "
             "  p WHERE p.item = i.code AND p.funds_secured IS NOT NULL AND p.report_date <= ? "
             "  ORDER BY p.report_date DESC LIMIT 1), 0) ELSE coalesce(i.funds_secured, 0) END, "
             " coalesce(i.leader, ''), i.owner "
             "FROM list_item i WHERE i.status <> 'cancelled' ORDER BY i.code",
             &st, e)))
        return rc;
    gf_stmt_bind_text(st, 1, asof);
    gf_stmt_bind_text(st, 2, asof);
    while ((rc = gf_stmt_step(st, e)) == 1 && x->nit < n) {
        struct item *it = &x->it[x->nit++];
        cpy(it->code, sizeof it->code, gf_stmt_text(st, 0));
        cpy(it->team, sizeof it->team, gf_stmt_text(st, 1));
        cpy(it->status, sizeof it->status, gf_stmt_text(st, 2));
        cpy(it->start, sizeof it->start, gf_stmt_text(st, 3));
        cpy(it->due, sizeof it->due, gf_stmt_text(st, 4));
        cpy(it->completed, sizeof it->completed, gf_stmt_text(st, 5));
        const char *u = gf_stmt_text(st, 6);
        it->unit = u ? gf_units_find(&x->units, u) : -1;
        it->inv_plan = gf_stmt_double(st, 7);
        it->funds_req = gf_stmt_double(st, 8);
        it->inv_done = gf_stmt_double(st, 9);
        it->funds_sec = gf_stmt_double(st, 10);
        cpy(it->leader, sizeof it->leader, gf_stmt_text(st, 11));
        cpy(it->owner, sizeof it->owner, gf_stmt_text(st, 12));
        /* a completion after the as-of date has not happened yet */
        if (it->completed[0] && strcmp(it->completed, asof) > 0)
            it->completed[0] = 0;
    }
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    n = (int)gf_db_int(x->db, "SELECT count(*) FROM milestone", 0);
    x->ms = calloc((size_t)n + 1, sizeof *x->ms);
    if (!x->ms)
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    if ((rc = gf_db_prepare(x->db,
                            "SELECT item, planned_date, coalesce(actual_date,'') FROM "
                            "milestone ORDER BY item, code",
                            &st, e)))
        return rc;
    while ((rc = gf_stmt_step(st, e)) == 1 && x->nms < n) {
        int ii = item_index(x, gf_stmt_text(st, 0));
        if (ii < 0)
            continue;
        struct ms *m = &x->ms[x->nms++];
        m->item = ii;
        cpy(m->planned, sizeof m->planned, gf_stmt_text(st, 1));
        cpy(m->actual, sizeof m->actual, gf_stmt_text(st, 2));
        if (m->actual[0] && strcmp(m->actual, asof) > 0)
            m->actual[0] = 0;
    }
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    n = (int)gf_db_int(x->db, "SELECT count(*) FROM problem", 0);
    x->pb = calloc((size_t)n + 1, sizeof *x->pb);
    if (!x->pb)
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    if ((rc = gf_db_prepare(x->db,
                            "SELECT coalesce(item,''), coalesce(unit,''), raised_date, "
                            "deadline, status, coalesce(verified_date,''), owner FROM problem "
                            "ORDER BY id",
                            &st, e)))
        return rc;
    while ((rc = gf_stmt_step(st, e)) == 1 && x->npb < n) {
        struct prob *p = &x->pb[x->npb++];
        const char *it = gf_stmt_text(st, 0), *u = gf_stmt_text(st, 1);
        p->item = *it ? item_index(x, it) : -1;
        p->unit = *u ? gf_units_find(&x->units, u) : -1;
        cpy(p->raised, sizeof p->raised, gf_stmt_text(st, 2));
        cpy(p->deadline, sizeof p->deadline, gf_stmt_text(st, 3));
        cpy(p->status, sizeof p->status, gf_stmt_text(st, 4));
        cpy(p->verified, sizeof p->verified, gf_stmt_text(st, 5));
        cpy(p->owner, sizeof p->owner, gf_stmt_text(st, 6));
    }
    gf_stmt_finalize(st);
    return rc < 0 ? rc : GF_OK;
}

/* Does item i count for the subject (a unit index, or the code of a team, an item, a person)?
 * A cadre answers for the items it leads (责任领导) or carries out (责任人). */
static int item_of(const struct ctx *x, int i, enum gf_race_subject subject, int sunit,
                   const char *scode)
{
    if (i < 0)
        return 0;
    switch (subject) {
    case GF_RS_TEAM:
        return !strcmp(x->it[i].team, scode);
    case GF_RS_PROJECT:
        return !strcmp(x->it[i].code, scode);
    case GF_RS_CADRE:
        return !strcmp(x->it[i].leader, scode) || !strcmp(x->it[i].owner, scode);
    case GF_RS_ENTERPRISE:
        return 0; /* enterprises race on their evaluation */
    default:
        return x->it[i].unit >= 0 && gf_units_within(&x->units, x->it[i].unit, sunit);
    }
}

static void list_facts(const struct ctx *x, enum gf_race_subject teams, int sunit,
                       const char *scode, const char *ps, const char *asof, struct facts *f)
{
    struct gf_ksum id = {0}, ip = {0}, fs = {0}, fr = {0};
    for (int i = 0; i < x->nit; i++) {
        const struct item *it = &x->it[i];
        if (!item_of(x, i, teams, sunit, scode))
            continue;
        if (strcmp(it->due, ps) >= 0 && strcmp(it->due, asof) <= 0) {
            f->items_due++;
            if (it->completed[0] && strcmp(it->completed, it->due) <= 0)
                f->items_ok++;
        }
        if (strcmp(it->start, asof) <= 0) {
            if (it->inv_plan > 0) {
                gf_ksum_add(&ip, gf_lists_plan_to_date(it->inv_plan, it->start, it->due, asof));
                gf_ksum_add(&id, it->inv_done);
            }
            if (it->funds_req > 0) {
                gf_ksum_add(&fr, it->funds_req);
                gf_ksum_add(&fs, it->funds_sec);
            }
        }
    }
    f->inv_done = gf_ksum_value(&id);
    f->inv_plan = gf_ksum_value(&ip);
    f->funds_sec = gf_ksum_value(&fs);
    f->funds_req = gf_ksum_value(&fr);
    for (int k = 0; k < x->nms; k++) {
        const struct ms *m = &x->ms[k];
        if (!item_of(x, m->item, teams, sunit, scode))
            continue;
        if (strcmp(m->planned, ps) >= 0 && strcmp(m->planned, asof) <= 0) {
            f->ms_due++;
            if (m->actual[0] && strcmp(m->actual, m->planned) <= 0)
                f->ms_ok++;
        }
    }
    for (int k = 0; k < x->npb; k++) {
        const struct prob *p = &x->pb[k];
        int mine = item_of(x, p->item, teams, sunit, scode) ||
                   (teams == GF_RS_UNIT && p->unit >= 0 &&
                    gf_units_within(&x->units, p->unit, sunit)) ||
                   (teams == GF_RS_CADRE && !strcmp(p->owner, scode));
        if (!mine || strcmp(p->raised, asof) > 0)
            continue;
        int closed =
            !strcmp(p->status, "closed") && p->verified[0] && strcmp(p->verified, asof) <= 0;
        if (closed)
            continue;
        f->open++;
        if (strcmp(p->deadline, asof) < 0)
            f->overdue++;
    }
}

static double clamp100(double v)
{
    return v < 0 ? 0 : v > 100 ? 100 : v;
}

static void components(const struct facts *f, int nranked, const struct gf_race_config *c,
                       double *comp)
{
    for (int i = 0; i < GF_RACE_NCOMP; i++)
        comp[i] = NAN;
    if (f->eval_rank > 0)
        comp[GF_RC_EVAL] = nranked > 1 ? 100.0 * (nranked - f->eval_rank) / (nranked - 1) : 100.0;
    if (f->eval_rank > 0 && f->has_change)
        comp[GF_RC_IMPROVE] =
            nranked > 1 ? clamp100(50.0 + 50.0 * f->eval_change / (nranked - 1)) : 50.0;
    if (f->ms_due > 0)
        comp[GF_RC_MILESTONES] = 100.0 * f->ms_ok / f->ms_due;
    if (f->items_due > 0)
        comp[GF_RC_ITEMS] = 100.0 * f->items_ok / f->items_due;
    if (f->inv_plan > 0)
        comp[GF_RC_INVEST] = clamp100(100.0 * f->inv_done / f->inv_plan);
    if (f->funds_req > 0)
        comp[GF_RC_FUNDS] = clamp100(100.0 * f->funds_sec / f->funds_req);
    comp[GF_RC_PROBLEMS] = clamp100(100.0 - c->pen_open * f->open - c->pen_overdue * f->overdue);
    if (f->hh_paired > 0) {
        comp[GF_RC_VISITS] = 100.0 * f->hh_visited / f->hh_paired;
        comp[GF_RC_MEASURES] = 100.0 * f->hh_measured / f->hh_paired;
    }
}

static double weighted(const double *comp, const double *w)
{
    struct gf_ksum s = {0}, ws = {0};
    for (int i = 0; i < GF_RACE_NCOMP; i++)
        if (!isnan(comp[i]) && w[i] > 0) {
            gf_ksum_add(&s, w[i] * comp[i]);
            gf_ksum_add(&ws, w[i]);
        }
    double W = gf_ksum_value(&ws);
    return W > 0 ? gf_ksum_value(&s) / W : 0;
}

/* Competition ranks (1 = highest score; equal scores share the smaller rank); a NaN score (no
 * data) gets rank 0 and does not count. */
static void rank_scores(const double *score, int n, int *rank)
{
    for (int i = 0; i < n; i++) {
        if (isnan(score[i])) {
            rank[i] = 0;
            continue;
        }
        int r = 1;
        for (int j = 0; j < n; j++)
            if (score[j] > score[i] + 1e-9)
                r++;
        rank[i] = r;
    }
}

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double unif(uint64_t *s)
{
    return (double)(splitmix(s) >> 11) * 0x1.0p-53;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Type-7 quantile of sorted x[0..n). */
static double quantile(const double *x, int n, double p)
{
    double h = (n - 1) * p;
    int lo = (int)floor(h);
    if (lo >= n - 1)
        return x[n - 1];
    return x[lo] + (h - lo) * (x[lo + 1] - x[lo]);
}

/* Previous period code of the same kind. */
static void prev_period(const char *code, char *out, size_t cap)
{
    struct gf_period p;
    out[0] = 0;
    if (gf_period_parse(code, &p))
        return;
    if (p.kind == GF_PERIOD_YEAR)
        snprintf(out, cap, "%04d", p.year - 1);
    else if (p.kind == GF_PERIOD_QUARTER)
        snprintf(out, cap, "%04dQ%d", p.sub == 1 ? p.year - 1 : p.year, p.sub == 1 ? 4 : p.sub - 1);
    else
        snprintf(out, cap, "%04d-%02d", p.sub == 1 ? p.year - 1 : p.year,
                 p.sub == 1 ? 12 : p.sub - 1);
}

/* Latest evaluation run of the period at the level: id and framework (0 if none). */
static int64_t find_run(struct gf_db *db, const char *period, int level, char *fw, size_t cap)
{
    struct gf_stmt *st;
    int64_t id = 0;
    fw[0] = 0;
    if (gf_db_prepare(db,
                      "SELECT id, framework FROM eval_run WHERE period = ? AND level = ? "
                      "ORDER BY id DESC LIMIT 1",
                      &st, NULL))
        return 0;
    gf_stmt_bind_text(st, 1, period);
    gf_stmt_bind_int(st, 2, level);
    if (gf_stmt_step(st, NULL) == 1) {
        id = gf_stmt_int(st, 0);
        cpy(fw, cap, gf_stmt_text(st, 1));
    }
    gf_stmt_finalize(st);
    return id;
}

/* Where the evaluation facts come from: the latest saved run of the period and level, else an
 * evaluation computed now with the default pipeline (not stored). */
struct eval_src {
    int64_t run;
    char fw[128];
    int have_ev;
    struct gf_evaluation ev;
};

static void eval_src_open(struct gf_db *db, const char *period, int level,
                          enum gf_race_subject subject, const struct gf_race_config *c,
                          struct eval_src *src, char *why, size_t cap)
{
    memset(src, 0, sizeof *src);
    int teams = subject == GF_RS_TEAM;
    if (subject != GF_RS_ENTERPRISE && (src->run = find_run(db, period, level, src->fw, sizeof src->fw)))
        return;
    struct gf_evaluation_opts o = {0};
    o.period = period;
    o.level = level;
    o.enterprises = subject == GF_RS_ENTERPRISE;
    o.draws = teams || c->draws <= 0 ? 0 : 1000; /* the rank band behind the black-list rule */
    o.seed = (long long)c->seed;
    struct gf_err e = {0};
    if (gf_evaluation_run(db, &o, &src->ev, &e) == GF_OK) {
        src->have_ev = 1;
        cpy(src->fw, sizeof src->fw, src->ev.framework);
    } else if (why && o.enterprises)
        snprintf(why, cap, "the enterprises of %s cannot be evaluated: %s", period, e.msg);
    else if (why)
        snprintf(why, cap, "no evaluation of level %d for %s saved, and it cannot be computed: %s",
                 level, period, e.msg);
}

static void eval_src_close(struct eval_src *src)
{
    if (src->have_ev)
        gf_evaluation_free(&src->ev);
}

/* Mean attainment (Neumaier) of the team's indicators in the evaluation; NaN if none. */
static double team_attainment(struct gf_db *db, const struct eval_src *src, const char *team)
{
    struct gf_stmt *st;
    struct gf_ksum s = {0};
    long n = 0;
    if (src->have_ev) {
        const struct gf_evaluation *ev = &src->ev;
        for (size_t j = 0; j < ev->m && ev->res.attain; j++) {
            if (gf_db_prepare(db, "SELECT 1 FROM indicator WHERE code = ? AND team = ?", &st, NULL))
                return NAN;
            gf_stmt_bind_text(st, 1, ev->node_code[j]);
            gf_stmt_bind_text(st, 2, team);
            int mine = gf_stmt_step(st, NULL) == 1;
            gf_stmt_finalize(st);
            for (size_t k = 0; mine && k < ev->res.n; k++) {
                double a = ev->res.attain[k * ev->res.m + j];
                if (!isnan(a)) {
                    gf_ksum_add(&s, a);
                    n++;
                }
            }
        }
        return n ? gf_ksum_value(&s) / (double)n : NAN;
    }
    if (!src->run ||
        gf_db_prepare(db,
                      "SELECT r.attainment FROM eval_result r JOIN framework_node n ON "
                      "n.framework = ? AND n.code = r.node AND n.kind = 'indicator' JOIN "
                      "indicator i ON i.code = r.node WHERE r.run = ? AND i.team = ? AND "
                      "r.attainment IS NOT NULL",
                      &st, NULL))
        return NAN;
    gf_stmt_bind_text(st, 1, src->fw);
    gf_stmt_bind_int(st, 2, src->run);
    gf_stmt_bind_text(st, 3, team);
    while (gf_stmt_step(st, NULL) == 1) {
        gf_ksum_add(&s, gf_stmt_double(st, 0));
        n++;
    }
    gf_stmt_finalize(st);
    return n ? gf_ksum_value(&s) / (double)n : NAN;
}

/* Evaluation facts for every subject: rank, rank change, sensitivity; returns ranked count. */
static int eval_facts(struct gf_db *db, const char *period, enum gf_race_subject subject,
                      const struct gf_race_config *c, struct gf_race_entry *s, int n,
                      struct facts *f, struct gf_race *out)
{
    char pp[16];
    int level = c->level, teams = subject == GF_RS_TEAM;
    struct eval_src src, psrc = {0};
    eval_src_open(db, period, level, subject, c, &src, out->eval_note, sizeof out->eval_note);
    out->eval_run = src.run;
    out->eval_computed = src.have_ev;
    int nr = 0;
    if (!teams && src.have_ev) {
        const struct gf_evaluation *ev = &src.ev;
        const struct gf_eval_result *r = &ev->res;
        nr = (int)r->n;
        for (size_t k = 0; k < r->n; k++) {
            size_t i = r->rowmap[k];
            for (int q = 0; q < n; q++)
                if (!strcmp(s[q].code, ev->unit_code[i])) {
                    f[q].eval_rank = r->rank[k * r->nnode + r->root];
                    f[q].eval_score = r->score[k * r->nnode + r->root];
                    f[q].has_change = ev->rank_prev[i] > 0;
                    f[q].eval_change = f[q].has_change ? ev->rank_prev[i] - f[q].eval_rank : 0;
                    f[q].eval_p05 = r->sens ? r->sens[k].p05 : NAN;
                    f[q].eval_p95 = r->sens ? r->sens[k].p95 : NAN;
                }
        }
        goto out;
    }
    if (!teams && src.run) {
        struct gf_stmt *st;
        if (gf_db_prepare(db,
                          "SELECT r.unit, r.rank, r.rank_change, r.rank_p05, r.rank_p95, r.score FROM "
                          "eval_result r JOIN framework_node n ON n.framework = ? AND n.code = "
                          "r.node AND n.kind = 'index' WHERE r.run = ? AND r.rank IS NOT NULL",
                          &st, NULL))
            goto out;
        gf_stmt_bind_text(st, 1, src.fw);
        gf_stmt_bind_int(st, 2, src.run);
        while (gf_stmt_step(st, NULL) == 1) {
            nr++;
            const char *u = gf_stmt_text(st, 0);
            for (int i = 0; i < n; i++)
                if (!strcmp(s[i].code, u)) {
                    f[i].eval_rank = (int)gf_stmt_int(st, 1);
                    f[i].has_change = !gf_stmt_is_null(st, 2);
                    f[i].eval_change = (int)gf_stmt_int(st, 2);
                    f[i].eval_p05 = gf_stmt_double(st, 3);
                    f[i].eval_p95 = gf_stmt_double(st, 4);
                    f[i].eval_score = gf_stmt_double(st, 5);
                }
        }
        gf_stmt_finalize(st);
        goto out;
    }
    if (!teams || (!src.run && !src.have_ev))
        goto out;
    /* teams: rank by mean attainment of the indicators they are responsible for */
    double *a = calloc((size_t)n + 1, sizeof *a), *pa = calloc((size_t)n + 1, sizeof *pa);
    int *r = calloc((size_t)n + 1, sizeof *r), *pr = calloc((size_t)n + 1, sizeof *pr);
    if (!a || !pa || !r || !pr)
        goto teams_out;
    prev_period(period, pp, sizeof pp);
    if (pp[0])
        eval_src_open(db, pp, level, GF_RS_TEAM, c, &psrc, NULL, 0);
    for (int i = 0; i < n; i++) {
        a[i] = team_attainment(db, &src, s[i].code);
        pa[i] = team_attainment(db, &psrc, s[i].code);
    }
    for (int i = 0; i < n; i++) {
        if (isnan(a[i]))
            continue;
        nr++;
        r[i] = 1;
        pr[i] = 1;
        for (int j = 0; j < n; j++) {
            if (!isnan(a[j]) && a[j] > a[i] + 1e-12)
                r[i]++;
            if (!isnan(pa[j]) && !isnan(pa[i]) && pa[j] > pa[i] + 1e-12)
                pr[i]++;
        }
    }
    for (int i = 0; i < n; i++) {
        f[i].eval_p05 = f[i].eval_p95 = NAN;
        if (isnan(a[i]))
            continue;
        f[i].eval_rank = r[i];
        f[i].eval_score = 100 * a[i]; /* a team's score: the mean attainment, % */
        if (!isnan(pa[i])) {
            f[i].has_change = 1;
            f[i].eval_change = pr[i] - r[i];
        }
    }
teams_out:
    free(a);
    free(pa);
    free(r);
    free(pr);
out:
    eval_src_close(&src);
    eval_src_close(&psrc);
    return nr;
}

static const char *comp_zh[GF_RACE_NCOMP] = {"综合评价", "评价进步", "节点按期",
                                             "事项按期", "投资完成", "资金到位",
                                             "问题整改", "走访帮扶户", "帮扶措施"};
static const char *comp_en[GF_RACE_NCOMP] = {
    "evaluation", "improvement", "milestones", "items on time", "investment", "funds", "problems",
    "visits", "measures"};

static void fact_text(int c, const struct facts *f, int en, char *b, size_t cap)
{
    switch (c) {
    case GF_RC_EVAL:
        snprintf(b, cap, en ? "evaluation rank %d" : "综合评价第%d名", f->eval_rank);
        break;
    case GF_RC_IMPROVE:
        snprintf(b, cap, en ? "evaluation rank change %+d" : "评价名次变化%+d", f->eval_change);
        break;
    case GF_RC_MILESTONES:
        snprintf(b, cap, en ? "milestones on time %d/%d" : "节点按期%d/%d", f->ms_ok, f->ms_due);
        break;
    case GF_RC_ITEMS:
        snprintf(b, cap, en ? "items done on time %d/%d" : "事项按期完成%d/%d", f->items_ok,
                 f->items_due);
        break;
    case GF_RC_INVEST:
        snprintf(b, cap, en ? "investment %.0f%% of plan to date" : "投资完成计划的%.0f%%",
                 f->inv_plan > 0 ? 100 * f->inv_done / f->inv_plan : 0);
        break;
    case GF_RC_FUNDS:
        snprintf(b, cap, en ? "funds secured %.0f%%" : "争取资金到位%.0f%%",
                 f->funds_req > 0 ? 100 * f->funds_sec / f->funds_req : 0);
        break;
    case GF_RC_VISITS:
        snprintf(b, cap, en ? "households visited in 90 days %d/%d" : "90天内走访帮扶户%d/%d",
                 f->hh_visited, f->hh_paired);
        break;
    case GF_RC_MEASURES:
        snprintf(b, cap, en ? "households with a measure %d/%d" : "落实帮扶措施%d/%d户",
                 f->hh_measured, f->hh_paired);
        break;
    default:
        snprintf(b, cap, en ? "open problems %d (%d overdue)" : "未销号问题%d个(超期%d个)", f->open,
                 f->overdue);
    }
}

static void reasons(struct gf_race_entry *s, int n, const struct facts *f, const double *w)
{
    double mean[GF_RACE_NCOMP];
    for (int k = 0; k < GF_RACE_NCOMP; k++) {
        struct gf_ksum m = {0};
        int cnt = 0;
        for (int i = 0; i < n; i++)
            if (!isnan(s[i].comp[k]) && !isnan(s[i].score)) {
                gf_ksum_add(&m, s[i].comp[k]);
                cnt++;
            }
        mean[k] = cnt ? gf_ksum_value(&m) / cnt : NAN;
    }
    for (int i = 0; i < n; i++) {
        if (isnan(s[i].score)) {
            snprintf(s[i].reasons_zh, sizeof s[i].reasons_zh, "无数据,未排名");
            snprintf(s[i].reasons_en, sizeof s[i].reasons_en, "no data: not ranked");
            continue;
        }
        double W = 0, contrib[GF_RACE_NCOMP];
        int order[GF_RACE_NCOMP], no = 0;
        for (int k = 0; k < GF_RACE_NCOMP; k++)
            if (!isnan(s[i].comp[k]))
                W += w[k];
        for (int k = 0; k < GF_RACE_NCOMP; k++) {
            contrib[k] = !isnan(s[i].comp[k]) && W > 0 && w[k] > 0
                             ? w[k] / W * (s[i].comp[k] - mean[k])
                             : 0;
            if (fabs(contrib[k]) >= 0.05)
                order[no++] = k;
        }
        for (int a = 1; a < no; a++) /* by |contribution|, largest first */
            for (int b = a; b > 0 && fabs(contrib[order[b]]) > fabs(contrib[order[b - 1]]); b--) {
                int t = order[b];
                order[b] = order[b - 1];
                order[b - 1] = t;
            }
        size_t oz = 0, oe = 0;
        s[i].reasons_zh[0] = s[i].reasons_en[0] = 0;
        for (int r = 0; r < no && r < 3; r++) {
            int k = order[r];
            char fz[96], fe[96];
            fact_text(k, &f[i], 0, fz, sizeof fz);
            fact_text(k, &f[i], 1, fe, sizeof fe);
            const char *arrow = contrib[k] > 0 ? "↑" : "↓";
            oz += (size_t)snprintf(
                s[i].reasons_zh + oz, oz < sizeof s[i].reasons_zh ? sizeof s[i].reasons_zh - oz : 0,
                "%s%s%s:%s(%+.1f)", r ? "; " : "", arrow, comp_zh[k], fz, contrib[k]);
            oe += (size_t)snprintf(
                s[i].reasons_en + oe, oe < sizeof s[i].reasons_en ? sizeof s[i].reasons_en - oe : 0,
                "%s%s%s: %s (%+.1f)", r ? "; " : "", arrow, comp_en[k], fe, contrib[k]);
        }
        if (!no) {
            snprintf(s[i].reasons_zh, sizeof s[i].reasons_zh, "与平均水平持平");
            snprintf(s[i].reasons_en, sizeof s[i].reasons_en, "level with the average");
        }
    }
}

/* Resample: weights jittered, evaluation rank drawn in its [p05, p95] when stored. */
static int resample(struct gf_race_entry *s, int n, const struct facts *f, int nranked,
                    const struct gf_race_config *c, const double *cw, struct gf_err *e)
{
    int D = c->draws;
    if (D <= 0 || n == 0) {
        for (int i = 0; i < n; i++) {
            s[i].rank_p05 = s[i].rank_p95 = s[i].rank > 0 ? s[i].rank : NAN;
            s[i].score_p05 = s[i].score_p95 = s[i].score;
        }
        return GF_OK;
    }
    double *rk = malloc(sizeof(double) * (size_t)D * (size_t)n);
    double *sc = malloc(sizeof(double) * (size_t)D * (size_t)n);
    double *score = malloc(sizeof(double) * (size_t)n);
    int *rank = malloc(sizeof(int) * (size_t)n);
    double *col = malloc(sizeof(double) * (size_t)D);
    int rc = GF_OK;
    if (!rk || !sc || !score || !rank || !col) {
        rc = gf_err_set(e, GF_ENOMEM, "out of memory");
        goto out;
    }
    uint64_t state = c->seed;
    for (int d = 0; d < D; d++) {
        double w[GF_RACE_NCOMP];
        for (int k = 0; k < GF_RACE_NCOMP; k++)
            w[k] = cw[k] * (1 + c->jitter * (2 * unif(&state) - 1));
        for (int i = 0; i < n; i++) {
            double comp[GF_RACE_NCOMP];
            memcpy(comp, s[i].comp, sizeof comp);
            if (s[i].has_eval_sensitivity && nranked > 1) {
                double r = f[i].eval_p05 + unif(&state) * (f[i].eval_p95 - f[i].eval_p05);
                comp[GF_RC_EVAL] = 100.0 * (nranked - r) / (nranked - 1);
            }
            score[i] = isnan(s[i].score) ? NAN : weighted(comp, w);
        }
        rank_scores(score, n, rank);
        for (int i = 0; i < n; i++) {
            rk[(size_t)i * D + d] = rank[i];
            sc[(size_t)i * D + d] = score[i];
        }
    }
    for (int i = 0; i < n; i++) {
        if (isnan(s[i].score)) {
            s[i].rank_p05 = s[i].rank_p95 = s[i].score_p05 = s[i].score_p95 = NAN;
            continue;
        }
        memcpy(col, rk + (size_t)i * D, sizeof(double) * (size_t)D);
        qsort(col, (size_t)D, sizeof *col, cmp_double);
        s[i].rank_p05 = quantile(col, D, 0.05);
        s[i].rank_p95 = quantile(col, D, 0.95);
        memcpy(col, sc + (size_t)i * D, sizeof(double) * (size_t)D);
        qsort(col, (size_t)D, sizeof *col, cmp_double);
        s[i].score_p05 = quantile(col, D, 0.05);
        s[i].score_p95 = quantile(col, D, 0.95);
    }
out:
    free(rk);
    free(sc);
    free(score);
    free(rank);
    free(col);
    return rc;
}

static int by_rank(const void *a, const void *b)
{
    const struct gf_race_entry *x = a, *y = b;
    if ((x->rank == 0) != (y->rank == 0)) /* the unranked last */
        return x->rank == 0 ? 1 : -1;
    if (x->rank != y->rank)
        return x->rank - y->rank;
    return strcmp(x->code, y->code);
}

/* The subjects of a race: code and name, in code order. */
static const char *const subject_sql[GF_RS_N] = {
    "SELECT code, name FROM unit WHERE level = ?1 ORDER BY code",
    "SELECT code, name FROM team WHERE kind = 'work' ORDER BY code",
    "SELECT code, title FROM list_item WHERE kind = 'project' AND status <> 'cancelled'"
    " ORDER BY code",
    "SELECT code, name FROM person WHERE code IN (SELECT leader FROM list_item"
    " WHERE status <> 'cancelled' UNION SELECT owner FROM list_item WHERE status <> 'cancelled'"
    " UNION SELECT cadre FROM hh_case WHERE cadre IS NOT NULL) ORDER BY code",
    "SELECT code, name FROM enterprise ORDER BY code",
};

/* A cadre's paired households as of asof (paired by then and not eliminated by then): how many,
 * how many had a visit in the 90 days up to asof, how many a help measure in [ps, asof]. */
static int household_facts(struct gf_db *db, const char *ps, const char *asof,
                           const struct gf_race_entry *s, int n, struct facts *f, struct gf_err *e)
{
    struct gf_stmt *st;
    int rc = gf_db_prepare(
        db,
        "SELECT c.cadre, count(*),"
        " sum(CASE WHEN EXISTS (SELECT 1 FROM hh_visit v WHERE v.household = c.household"
        "  AND v.visit_date <= ?1 AND v.visit_date > date(?1, '-90 days')) THEN 1 ELSE 0 END),"
        " sum(CASE WHEN EXISTS (SELECT 1 FROM hh_visit v WHERE v.household = c.household"
        "  AND v.measure IS NOT NULL AND v.visit_date BETWEEN ?2 AND ?1) THEN 1 ELSE 0 END)"
        " FROM hh_case c WHERE c.cadre IS NOT NULL AND c.paired_on <= ?1"
        " AND (c.state <> 'eliminated' OR c.eliminated_on > ?1) GROUP BY c.cadre",
        &st, e);
    if (rc)
        return rc;
    gf_stmt_bind_text(st, 1, asof);
    gf_stmt_bind_text(st, 2, ps);
    while ((rc = gf_stmt_step(st, e)) == 1)
        for (int i = 0; i < n; i++)
            if (!strcmp(s[i].code, gf_stmt_text(st, 0))) {
                f[i].hh_paired = (int)gf_stmt_int(st, 1);
                f[i].hh_visited = (int)gf_stmt_int(st, 2);
                f[i].hh_measured = (int)gf_stmt_int(st, 3);
            }
    gf_stmt_finalize(st);
    return rc < 0 ? rc : GF_OK;
}

static int race_compute(struct gf_db *db, const char *period, enum gf_race_subject teams,
                        const struct gf_race_config *c, const char *today, int with_prev,
                        struct gf_race *out, struct gf_err *e)
{
    const double *w = weights_of(c, teams);
    struct gf_period p;
    struct ctx x = {0};
    struct facts *f = NULL;
    struct gf_stmt *st = NULL;
    int rc;
    memset(out, 0, sizeof *out);
    if (gf_period_parse(period, &p))
        return gf_err_at(e, NULL, 0, "period", period,
                         "a year (2024), a quarter (2024Q1) or a month (2024-03)");
    cpy(out->period, sizeof out->period, period);
    out->subject = teams;
    cpy(out->as_of, sizeof out->as_of, strcmp(today, p.end) < 0 ? today : p.end);
    x.db = db;
    if ((rc = load_data(&x, out->as_of, e)))
        goto out;
    /* subjects */
    int n = (int)gf_db_int(db, "SELECT count(*) FROM unit", 0) +
            (int)gf_db_int(db, "SELECT count(*) FROM team", 0) +
            (int)gf_db_int(db, "SELECT count(*) FROM list_item", 0) +
            (int)gf_db_int(db, "SELECT count(*) FROM person", 0) +
            (int)gf_db_int(db, "SELECT count(*) FROM enterprise", 0);
    out->e = calloc((size_t)n + 1, sizeof *out->e);
    f = calloc((size_t)n + 1, sizeof *f);
    if (!out->e || !f) {
        rc = gf_err_set(e, GF_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = gf_db_prepare(db, subject_sql[teams], &st, e)))
        goto out;
    if (teams == GF_RS_UNIT)
        gf_stmt_bind_int(st, 1, c->level);
    while ((rc = gf_stmt_step(st, e)) == 1 && out->n < n) {
        struct gf_race_entry *s = &out->e[out->n++];
        cpy(s->code, sizeof s->code, gf_stmt_text(st, 0));
        cpy(s->name, sizeof s->name, gf_stmt_text(st, 1));
    }
    gf_stmt_finalize(st);
    st = NULL;
    if (rc < 0)
        goto out;
    n = out->n;
    int nranked = teams <= GF_RS_TEAM || teams == GF_RS_ENTERPRISE
                      ? eval_facts(db, period, teams, c, out->e, n, f, out)
                      : 0;
    if (teams == GF_RS_CADRE && (rc = household_facts(db, p.start, out->as_of, out->e, n, f, e)))
        goto out;
    for (int i = 0; i < n; i++) {
        struct gf_race_entry *s = &out->e[i];
        int su = teams == GF_RS_UNIT ? gf_units_find(&x.units, s->code) : -1;
        list_facts(&x, teams, su, s->code, p.start, out->as_of, &f[i]);
        components(&f[i], nranked, c, s->comp);
        /* nothing measured (no evaluation, no list item due, no problem): no score and no rank,
         * rather than a tie at the top of the list */
        int measured = f[i].open > 0 && w[GF_RC_PROBLEMS] > 0;
        for (int k = 0; k < GF_RACE_NCOMP; k++)
            measured |= k != GF_RC_PROBLEMS && !isnan(s->comp[k]) && w[k] > 0;
        s->score = measured ? weighted(s->comp, w) : NAN;
        s->eval_rank = f[i].eval_rank;
        s->eval_score = f[i].eval_rank > 0 ? f[i].eval_score : NAN;
        s->has_eval_sensitivity =
            f[i].eval_rank > 0 && !isnan(f[i].eval_p05) && !isnan(f[i].eval_p95);
        s->open_problems = f[i].open;
        s->overdue_problems = f[i].overdue;
    }
    {
        double *score = calloc((size_t)n + 1, sizeof(double));
        int *rank = malloc(sizeof(int) * ((size_t)n + 1));
        if (!score || !rank) {
            free(score);
            free(rank);
            rc = gf_err_set(e, GF_ENOMEM, "out of memory");
            goto out;
        }
        for (int i = 0; i < n; i++)
            score[i] = out->e[i].score;
        rank_scores(score, n, rank);
        for (int i = 0; i < n; i++)
            out->e[i].rank = rank[i];
        free(score);
        free(rank);
    }
    reasons(out->e, n, f, w);
    if (with_prev && (rc = resample(out->e, n, f, nranked, c, w, e)))
        goto out;
    /* red and black lists, awards: among the ranked subjects only */
    int nrank = 0;
    for (int i = 0; i < n; i++)
        nrank += out->e[i].rank > 0;
    for (int i = 0; i < n && with_prev; i++) {
        struct gf_race_entry *s = &out->e[i];
        if (s->rank == 0)
            continue;
        if (c->red_top > 0)
            s->red = s->rank <= c->red_top;
        else if (!isnan(c->red_min_score))
            s->red = s->score >= c->red_min_score;
        int in_band = 0, certain = 0;
        if (c->black_bottom > 0) {
            int lo = nrank - c->black_bottom + 1;
            in_band = s->rank >= lo;
            certain = s->rank_p05 >= lo;
        } else if (!isnan(c->black_max_score)) {
            in_band = s->score <= c->black_max_score;
            certain = s->score_p95 <= c->black_max_score;
        }
        if (in_band && !s->red) {
            s->black = certain;
            s->uncertain = !certain;
        }
        s->best = c->best_top > 0 && s->rank <= c->best_top;
        if (c->slowest_bottom > 0) {
            int lo = nrank - c->slowest_bottom + 1;
            if (s->rank >= lo && !s->best) {
                s->slowest = s->rank_p05 >= lo;
                s->slowest_uncertain = !s->slowest;
            }
        }
    }
    /* the previous period */
    prev_period(period, out->prev_period, sizeof out->prev_period);
    if (with_prev && out->prev_period[0]) {
        struct gf_race prev;
        struct gf_race_config pc = *c;
        pc.draws = 0;
        if ((rc = race_compute(db, out->prev_period, teams, &pc, today, 0, &prev, e)))
            goto out;
        /* comparable only if something besides the problem count was measured */
        int any = 0;
        for (int i = 0; i < prev.n && !any; i++)
            for (int k = 0; k < GF_RACE_NCOMP; k++)
                any |= k != GF_RC_PROBLEMS && !isnan(prev.e[i].comp[k]);
        out->prev_valid = any;
        if (any)
            for (int i = 0; i < n; i++)
                for (int j = 0; j < prev.n; j++)
                    if (!strcmp(prev.e[j].code, out->e[i].code))
                        out->e[i].prev_rank = prev.e[j].rank;
        gf_race_free(&prev);
    }
    /* order by rank (facts are not needed after this point) */
    qsort(out->e, (size_t)n, sizeof *out->e, by_rank);
    rc = GF_OK;
out:
    gf_stmt_finalize(st);
    free(f);
    ctx_free(&x);
    if (rc)
        gf_race_free(out);
    return rc;
}

int gf_race_run(struct gf_db *db, const char *period, enum gf_race_subject teams,
                const struct gf_race_config *c, const char *today, struct gf_race *out,
                struct gf_err *e)
{
    char tbuf[32];
    return race_compute(db, period, teams, c, today ? today : gf_today(tbuf), 1, out, e);
}

void gf_race_free(struct gf_race *r)
{
    free(r->e);
    r->e = NULL;
    r->n = 0;
}
