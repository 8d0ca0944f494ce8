/* eval_run.c — run a pipeline (ordered steps with parameters) over a framework tree and a
 * units × indicators matrix, producing node scores, ranks, attainment, contributions,
 * strengths/weaknesses and, on request, the rank sensitivity.  No I/O. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/eval_int.h"
#include "core/ksum.h"

void gf_eval_pipeline_init(struct gf_eval_pipeline *p)
{
    memset(p, 0, sizeof *p);
    p->strengths_k = 3;
    p->mc.weight_spread = 0.25;
    p->mc.threads = 2;
    p->mc.seed = 1;
}

void gf_eval_result_free(struct gf_eval_result *r)
{
    if (!r)
        return;
    free(r->rowmap);
    free(r->raw);
    free(r->y);
    free(r->treat);
    free(r->weight);
    free(r->eff);
    free(r->score);
    free(r->rank);
    free(r->attain);
    free(r->contrib);
    free(r->best);
    free(r->worst);
    free(r->sens);
    memset(r, 0, sizeof *r);
}

/* Leaf weights (m) for a scheme; global (sum 1). */
static int leaf_weights(enum gf_eval_weight_method how, enum gf_eval_shift shift, const double *y,
                        size_t n, size_t m, const struct gf_eval_ind *ind,
                        const struct gf_eval_tree *t, double *w, struct gf_err *e)
{
    switch (how) {
    case GF_WEIGHT_FRAMEWORK: {
        double *eff = malloc(t->nnode * sizeof *eff);
        if (!eff)
            return EVAL_NOMEM(e);
        int rc = gf_eval_tree_effective(t, eff, e);
        if (!rc)
            memcpy(w, eff, m * sizeof *w);
        free(eff);
        return rc;
    }
    case GF_WEIGHT_EQUAL:
        gf_eval_weights_equal(m, w);
        return GF_OK;
    case GF_WEIGHT_ENTROPY: {
        int *dir = malloc(m * sizeof *dir);
        if (!dir)
            return EVAL_NOMEM(e);
        for (size_t j = 0; j < m; j++)
            dir[j] = ind ? ind[j].direction : 1;
        int rc = gf_eval_weights_entropy(y, n, m, shift, dir, w, e);
        free(dir);
        return rc;
    }
    case GF_WEIGHT_CRITIC:
        return gf_eval_weights_critic(y, n, m, w, e);
    }
    return EVAL_ERR(e, "weight: unknown method %d", (int)how);
}

/* Node weights from global leaf weights: leaves keep theirs, aggregates get the sum of their
 * leaves, so relative-within-parent weights reproduce Σ w_j y_j under the arithmetic mean. */
static int node_weights_from_leaves(const struct gf_eval_tree *t, const double *lw, double *nw,
                                    struct gf_err *e)
{
    struct gf_ksum *ks = calloc(t->nnode, sizeof *ks);
    if (!ks)
        return EVAL_NOMEM(e);
    for (size_t j = 0; j < t->nleaf; j++)
        for (int p = t->node[j].parent; p >= 0; p = t->node[p].parent)
            gf_ksum_add(&ks[p], lw[j]);
    for (size_t k = 0; k < t->nnode; k++)
        nw[k] = k < t->nleaf ? lw[k] : gf_ksum_value(&ks[k]);
    free(ks);
    for (size_t k = 0; k < t->nnode; k++)
        if (t->node[k].parent >= 0 && !(nw[k] > 0))
            return EVAL_ERR(e,
                            "weight: node %s gets weight 0 from the data (an indicator without "
                            "variation?): aggregation over it is undefined",
                            t->node[k].code ? t->node[k].code : "?");
    return GF_OK;
}

/* The grouping column an imputation step asks for: by name (COINr's use_group), else the
 * first.  group holds ngroup columns with a stride of in->n units. */
static int pick_group(const struct gf_eval_input *in, const int *group, size_t ngroup,
                      const char *name, const int **out, struct gf_err *e)
{
    if (!ngroup)
        return EVAL_ERR(e, "group imputation needs a group column (a Group row in iMeta), and "
                           "the data have none");
    if (!name[0]) {
        *out = group;
        return GF_OK;
    }
    for (size_t g = 0; g < ngroup; g++)
        if (in->group_name && in->group_name[g] && !strcmp(in->group_name[g], name)) {
            *out = group + g * in->n;
            return GF_OK;
        }
    char have[256] = "";
    for (size_t g = 0; g < ngroup && in->group_name; g++)
        if (in->group_name[g])
            snprintf(have + strlen(have), sizeof have - strlen(have), "%s%s", g ? ", " : "",
                     in->group_name[g]);
    return EVAL_ERR(e, "use_group \"%s\": no such group column (the data have: %s)", name,
                    have[0] ? have : "none named");
}

static void prefix_step(struct gf_err *e, int s, const char *what)
{
    gf_err_prefix(e, "pipeline step %d (%s)", s + 1, what);
}

int gf_eval_run(const struct gf_eval_pipeline *p, const struct gf_eval_input *in,
                struct gf_eval_result *res, struct gf_err *e)
{
    static const char *const step_names[] = {"denominate", "screen", "impute",   "treat",
                                             "normalise",  "weight", "aggregate"};
    memset(res, 0, sizeof *res);
    if (!p || !in || !in->x || !in->tree)
        return EVAL_ERR(e, "evaluation: no data or no framework");
    size_t n = in->n, m = in->m;
    const struct gf_eval_tree *t = in->tree;
    if (t->nleaf != m)
        return EVAL_ERR(e, "evaluation: the framework has %zu indicators but the data %zu columns",
                        t->nleaf, m);
    if (n < 2)
        return EVAL_ERR(e, "evaluation: need at least two units, got %zu", n);
    int rc = gf_eval_tree_check(t, e);
    if (rc)
        return rc;
    size_t nn = t->nnode;
    res->n = n;
    res->m = m;
    res->nnode = nn;
    res->root = gf_eval__root(t);
    res->k = p->strengths_k > 0 ? p->strengths_k : 3;
    if ((size_t)res->k > m)
        res->k = (int)m;
    double *x = malloc(n * m * sizeof *x);
    double *den = NULL, *panel = NULL;
    int *group = NULL;
    double *lw = malloc(m * sizeof *lw), *lw2 = malloc(m * sizeof *lw2);
    res->rowmap = malloc(n * sizeof *res->rowmap);
    res->treat = calloc(m, sizeof *res->treat);
    res->weight = malloc(nn * sizeof *res->weight);
    res->eff = malloc(nn * sizeof *res->eff);
    if (!x || !lw || !lw2 || !res->rowmap || !res->treat || !res->weight || !res->eff) {
        rc = EVAL_NOMEM(e);
        goto fail;
    }
    memcpy(x, in->x, n * m * sizeof *x);
    for (size_t i = 0; i < n; i++)
        res->rowmap[i] = i;
    if (in->den && in->nden) {
        if (!(den = malloc(n * in->nden * sizeof *den))) {
            rc = EVAL_NOMEM(e);
            goto fail;
        }
        memcpy(den, in->den, n * in->nden * sizeof *den);
    }
    size_t ngroup = in->group ? (in->ngroup ? in->ngroup : 1) : 0;
    if (ngroup) {
        if (!(group = malloc(ngroup * n * sizeof *group))) {
            rc = EVAL_NOMEM(e);
            goto fail;
        }
        memcpy(group, in->group, ngroup * n * sizeof *group);
    }
    for (size_t k = 0; k < nn; k++)
        res->weight[k] = t->node[k].weight;
    struct gf_eval_aggspec agg = {GF_AGG_ARITH, 1, 0};
    const struct gf_eval_treat *treat = NULL;
    struct gf_eval_norm norm;
    gf_eval_norm_default(&norm, GF_NORM_NONE);

    for (int s = 0; s < p->nstep; s++) {
        const struct gf_eval_step *st = p->step + s;
        const char *sn =
            (int)st->kind >= 0 && st->kind <= GF_STEP_AGGREGATE ? step_names[st->kind] : "?";
        if (!res->raw && (st->kind == GF_STEP_TREAT || st->kind == GF_STEP_NORMALISE)) {
            if (!(res->raw = malloc(n * m * sizeof *res->raw))) {
                rc = EVAL_NOMEM(e);
                goto fail;
            }
            memcpy(res->raw, x, n * m * sizeof *x);
        }
        if (res->raw && (st->kind == GF_STEP_DENOMINATE || st->kind == GF_STEP_SCREEN ||
                         st->kind == GF_STEP_IMPUTE)) {
            rc = EVAL_ERR(e, "%s must come before treat and normalise", sn);
            prefix_step(e, s, sn);
            goto fail;
        }
        switch (st->kind) {
        case GF_STEP_DENOMINATE:
            rc = gf_eval_denominate(x, n, m, in->ind, den, in->nden, st->scale > 0 ? st->scale : 1,
                                    NULL, e);
            break;
        case GF_STEP_SCREEN: {
            size_t *map = malloc(n * sizeof *map);
            if (!map) {
                rc = EVAL_NOMEM(e);
                break;
            }
            rc = gf_eval_screen(x, &n, m, st->threshold, map, e);
            if (!rc) {
                for (size_t i = 0; i < n; i++) {
                    res->rowmap[i] = res->rowmap[map[i]];
                    if (den)
                        memmove(den + i * in->nden, den + map[i] * in->nden,
                                in->nden * sizeof *den);
                    for (size_t g = 0; g < ngroup; g++)
                        group[g * in->n + i] = group[g * in->n + map[i]];
                }
                res->n = n;
            }
            free(map);
            break;
        }
        case GF_STEP_IMPUTE:
            if (st->impute >= 100) {
                if (!in->panel || in->nper == 0) {
                    rc = EVAL_ERR(e, "panel imputation needs earlier periods (none given)");
                    break;
                }
                size_t np = in->nper + 1;
                panel = malloc(np * n * m * sizeof *panel);
                if (!panel) {
                    rc = EVAL_NOMEM(e);
                    break;
                }
                for (size_t q = 0; q < in->nper; q++)
                    for (size_t i = 0; i < n; i++)
                        memcpy(panel + (q * n + i) * m,
                               in->panel + (q * in->n + res->rowmap[i]) * m, m * sizeof *panel);
                memcpy(panel + in->nper * n * m, x, n * m * sizeof *x);
                rc = gf_eval_impute_panel(panel, np, n, m, (enum gf_eval_panel)(st->impute - 100),
                                          NULL, NULL, e);
                if (!rc)
                    memcpy(x, panel + in->nper * n * m, n * m * sizeof *x);
                free(panel);
                panel = NULL;
            } else {
                const int *g = NULL;
                if (st->impute == GF_IMPUTE_GROUP_MEAN || st->impute == GF_IMPUTE_GROUP_MEDIAN)
                    rc = pick_group(in, group, ngroup, st->use_group, &g, e);
                if (!rc)
                    rc = gf_eval_impute(x, n, m, (enum gf_eval_impute)st->impute, g, NULL, e);
            }
            break;
        case GF_STEP_TREAT:
            treat = &st->treat;
            rc = gf_eval_treat_matrix(x, n, m, treat, res->treat, e);
            break;
        case GF_STEP_NORMALISE:
            norm = st->norm;
            rc = gf_eval_normalise(x, n, m, in->ind, &st->norm, e);
            break;
        case GF_STEP_WEIGHT:
            if (st->weight == GF_WEIGHT_FRAMEWORK && st->combine < 0) {
                for (size_t k = 0; k < nn; k++)
                    res->weight[k] = t->node[k].weight;
                break;
            }
            if (st->weight == GF_WEIGHT_EQUAL && st->combine < 0) {
                for (size_t k = 0; k < nn; k++)
                    res->weight[k] = 1;
                break;
            }
            rc = leaf_weights(st->weight, st->shift, x, n, m, in->ind, t, lw, e);
            if (!rc && st->combine >= 0) {
                rc = leaf_weights(st->weight2, st->shift, x, n, m, in->ind, t, lw2, e);
                if (!rc)
                    rc = gf_eval_weights_combine(lw, lw2, m, (enum gf_eval_combine)st->combine, lw,
                                                 e);
            }
            if (!rc)
                rc = node_weights_from_leaves(t, lw, res->weight, e);
            break;
        case GF_STEP_AGGREGATE:
            agg = st->agg;
            break;
        default:
            rc = EVAL_ERR(e, "unknown step kind %d", (int)st->kind);
        }
        if (rc) {
            prefix_step(e, s, sn);
            goto fail;
        }
    }
    if (!res->raw) {
        if (!(res->raw = malloc(n * m * sizeof *res->raw))) {
            rc = EVAL_NOMEM(e);
            goto fail;
        }
        memcpy(res->raw, x, n * m * sizeof *x);
    }
    res->y = x;
    x = NULL;
    /* effective weights of the weights in use */
    {
        struct gf_eval_tree tw = *t;
        struct gf_eval_node *nodes = malloc(nn * sizeof *nodes);
        if (!nodes) {
            rc = EVAL_NOMEM(e);
            goto fail;
        }
        memcpy(nodes, t->node, nn * sizeof *nodes);
        for (size_t k = 0; k < nn; k++)
            nodes[k].weight = res->weight[k];
        tw.node = nodes;
        rc = gf_eval_tree_effective(&tw, res->eff, e);
        free(nodes);
        if (rc)
            goto fail;
    }
    res->score = malloc(n * nn * sizeof *res->score);
    res->rank = malloc(n * nn * sizeof *res->rank);
    res->attain = malloc(n * m * sizeof *res->attain);
    res->best = malloc(n * (size_t)res->k * sizeof *res->best);
    res->worst = malloc(n * (size_t)res->k * sizeof *res->worst);
    if (!res->score || !res->rank || !res->attain || !res->best || !res->worst) {
        rc = EVAL_NOMEM(e);
        goto fail;
    }
    rc = gf_eval_score_tree(res->y, n, t, res->weight, &agg, res->score, res->rank, e);
    if (rc)
        goto fail;
    for (size_t j = 0; j < m; j++) {
        const struct gf_eval_ind *id = in->ind ? in->ind + j : NULL;
        int has = id && (id->direction == GF_EVAL_BAND ? !isnan(id->lim_lo) : !isnan(id->target));
        for (size_t i = 0; i < n; i++) {
            double v = res->raw[i * m + j];
            res->attain[i * m + j] = NAN;
            if (!has || isnan(v))
                continue;
            rc = gf_eval_attainment(v, id, &res->attain[i * m + j], e);
            if (rc)
                goto fail;
        }
    }
    if (agg.method == GF_AGG_ARITH) {
        if (!(res->contrib = malloc(n * m * sizeof *res->contrib))) {
            rc = EVAL_NOMEM(e);
            goto fail;
        }
        rc = gf_eval_contributions(res->y, n, t, res->weight, res->contrib, e);
        if (rc)
            goto fail;
    }
    {
        int *lr = malloc(n * m * sizeof *lr);
        if (!lr) {
            rc = EVAL_NOMEM(e);
            goto fail;
        }
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < m; j++)
                lr[i * m + j] = res->rank[i * nn + j];
        rc = gf_eval_strengths(lr, n, m, (size_t)res->k, res->best, res->worst, e);
        free(lr);
        if (rc)
            goto fail;
    }
    if (p->mc.draws > 0) {
        if (!(res->sens = calloc(n, sizeof *res->sens))) {
            rc = EVAL_NOMEM(e);
            goto fail;
        }
        rc = gf_eval_sensitivity(res->raw, n, in->ind, t, res->weight, treat, &norm, &agg, &p->mc,
                                 res->sens, e);
        if (rc)
            goto fail;
    }
    free(lw);
    free(lw2);
    free(den);
    free(group);
    return GF_OK;
fail:
    free(x);
    free(lw);
    free(lw2);
    free(den);
    free(group);
    free(panel);
    gf_eval_result_free(res);
    return rc;
}
