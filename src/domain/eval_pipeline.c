/* eval_pipeline.c — JSON → struct gf_eval_pipeline (jansson).  No file access: the text comes
 * from the caller.  Strict: every key is known, every value checked. */
#include "domain/eval_pipeline.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

struct ctx {
    const char *src;
    struct gf_err *e;
    char path[128];
};

static int bad(struct ctx *c, const char *field, json_t *v, const char *expected)
{
    char *txt = !v                  ? NULL
                : json_is_string(v) ? strdup(json_string_value(v))
                                    : json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    char f[256];
    snprintf(f, sizeof f, "%s%s%s", c->path, c->path[0] && field && *field ? "." : "",
             field ? field : "");
    int rc = gf_err_at(c->e, c->src, -1, f, txt ? txt : "", "%s", expected);
    free(txt);
    return rc;
}

/* Check that obj has only the allowed keys (NULL-terminated list). */
static int only_keys(struct ctx *c, json_t *obj, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        int ok = 0;
        for (const char *const *a = allowed; *a; a++)
            ok |= strcmp(*a, key) == 0;
        if (!ok) {
            char exp[512] = "one of:";
            for (const char *const *a = allowed; *a; a++) {
                strncat(exp, " ", sizeof exp - strlen(exp) - 1);
                strncat(exp, *a, sizeof exp - strlen(exp) - 1);
            }
            return bad(c, key, v, exp);
        }
    }
    return GF_OK;
}

static int get_num(struct ctx *c, json_t *obj, const char *key, double lo, double hi, double *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return GF_OK;
    if (!json_is_number(v))
        return bad(c, key, v, "a number");
    double d = json_number_value(v);
    if (!(d >= lo && d <= hi)) {
        char exp[96];
        snprintf(exp, sizeof exp, "a number between %g and %g", lo, hi);
        return bad(c, key, v, exp);
    }
    *out = d;
    return GF_OK;
}

static int get_int(struct ctx *c, json_t *obj, const char *key, long lo, long hi, long *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return GF_OK;
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
        char exp[96];
        snprintf(exp, sizeof exp, "an integer between %ld and %ld", lo, hi);
        return bad(c, key, v, exp);
    }
    *out = (long)json_integer_value(v);
    return GF_OK;
}

static int get_bool(struct ctx *c, json_t *obj, const char *key, int *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return GF_OK;
    if (!json_is_boolean(v))
        return bad(c, key, v, "true or false");
    *out = json_is_true(v);
    return GF_OK;
}

static int get_str(struct ctx *c, json_t *obj, const char *key, int required, const char **out)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (required)
            return bad(c, key, NULL, "a value (missing)");
        return GF_OK;
    }
    if (!json_is_string(v))
        return bad(c, key, v, "a string");
    *out = json_string_value(v);
    return GF_OK;
}

static int parse_norm(struct ctx *c, json_t *o, struct gf_eval_norm *nm)
{
    static const char *const keys[] = {"step", "method", "range", "scale",
                                       "mean", "sd",     "cap",   NULL};
    const char *mth = NULL;
    int rc = only_keys(c, o, keys);
    if (!rc)
        rc = get_str(c, o, "method", 1, &mth);
    if (rc)
        return rc;
    int m = gf_eval_norm_parse(mth);
    if (m < 0)
        return bad(
            c, "method", json_object_get(o, "method"),
            "minmax, zscore, rank, prank, dist_target, goalposts, attainment, vector or none");
    gf_eval_norm_default(nm, (enum gf_eval_norm_method)m);
    json_t *r = json_object_get(o, "range");
    if (r) {
        if (!json_is_array(r) || json_array_size(r) != 2 || !json_is_number(json_array_get(r, 0)) ||
            !json_is_number(json_array_get(r, 1)) ||
            !(json_number_value(json_array_get(r, 0)) < json_number_value(json_array_get(r, 1))))
            return bad(c, "range", r, "[low, high] with low < high");
        nm->l = json_number_value(json_array_get(r, 0));
        nm->u = json_number_value(json_array_get(r, 1));
    }
    if (m == GF_NORM_ZSCORE) {
        rc = get_num(c, o, "mean", -1e300, 1e300, &nm->l);
        if (!rc)
            rc = get_num(c, o, "sd", 1e-300, 1e300, &nm->u);
    } else
        rc = get_num(c, o, "scale", 1e-300, 1e300, &nm->u);
    if (!rc)
        rc = get_bool(c, o, "cap", &nm->cap);
    return rc;
}

static int parse_agg(struct ctx *c, json_t *o, struct gf_eval_aggspec *ag)
{
    static const char *const keys[] = {"step",   "method", "p", "weights_in_distance",
                                       "vector", NULL};
    const char *mth = NULL;
    int rc = only_keys(c, o, keys);
    if (!rc)
        rc = get_str(c, o, "method", 1, &mth);
    if (rc)
        return rc;
    int a = gf_eval_agg_parse(mth);
    if (a < 0)
        return bad(c, "method", json_object_get(o, "method"),
                   "arithmetic, geometric, harmonic, power, copeland or topsis");
    ag->method = (enum gf_eval_agg)a;
    ag->p = 1;
    ag->topsis_flags = 0;
    int wid = 0, vec = 1;
    rc = get_num(c, o, "p", -100, 100, &ag->p);
    if (!rc)
        rc = get_bool(c, o, "weights_in_distance", &wid);
    if (!rc)
        rc = get_bool(c, o, "vector", &vec);
    if (a == GF_AGG_POWER && !json_object_get(o, "p"))
        return bad(c, "p", NULL, "the order p of the power mean");
    ag->topsis_flags = (wid ? GF_TOPSIS_WEIGHTS_IN_DISTANCE : 0) | (vec ? 0 : GF_TOPSIS_NO_VECTOR);
    return rc;
}

static int parse_step(struct ctx *c, json_t *o, struct gf_eval_step *st)
{
    const char *kind = NULL;
    memset(st, 0, sizeof *st);
    st->combine = -1;
    if (!json_is_object(o))
        return bad(c, NULL, o, "an object {\"step\": …}");
    int rc = get_str(c, o, "step", 1, &kind);
    if (rc)
        return rc;
    if (!strcmp(kind, "denominate")) {
        static const char *const keys[] = {"step", "scale", NULL};
        st->kind = GF_STEP_DENOMINATE;
        st->scale = 1;
        rc = only_keys(c, o, keys);
        return rc ? rc : get_num(c, o, "scale", 1e-300, 1e300, &st->scale);
    }
    if (!strcmp(kind, "screen")) {
        static const char *const keys[] = {"step", "threshold", NULL};
        st->kind = GF_STEP_SCREEN;
        st->threshold = 0.66;
        rc = only_keys(c, o, keys);
        return rc ? rc : get_num(c, o, "threshold", 0, 1, &st->threshold);
    }
    if (!strcmp(kind, "impute")) {
        static const char *const keys[] = {"step", "method", "use_group", NULL};
        static const char *const names[] = {"mean", "median", "group_mean", "group_median"};
        const char *m = NULL, *grp = NULL;
        st->kind = GF_STEP_IMPUTE;
        rc = only_keys(c, o, keys);
        if (!rc)
            rc = get_str(c, o, "method", 1, &m);
        if (!rc)
            rc = get_str(c, o, "use_group", 0, &grp);
        if (rc)
            return rc;
        /* COINr's parameter name: the group column of iData (an iCode of a Group row) */
        if (grp && (!grp[0] || strlen(grp) >= sizeof st->use_group))
            return bad(c, "use_group", json_object_get(o, "use_group"),
                       "the name of a group column (1 to 63 bytes)");
        if (grp && strncmp(m, "group_", 6))
            return bad(c, "use_group", json_object_get(o, "use_group"),
                       "no group with this method (use group_mean or group_median)");
        snprintf(st->use_group, sizeof st->use_group, "%s", grp ? grp : "");
        for (int i = 0; i < 4; i++)
            if (!strcmp(m, names[i])) {
                st->impute = i;
                return GF_OK;
            }
        if (!strcmp(m, "last") || !strcmp(m, "linear")) {
            st->impute = 100 + (m[1] == 'a' ? GF_PANEL_LAST : GF_PANEL_LINEAR);
            return GF_OK;
        }
        return bad(c, "method", json_object_get(o, "method"),
                   "mean, median, group_mean, group_median, last or linear");
    }
    if (!strcmp(kind, "treat")) {
        static const char *const keys[] = {"step", "winmax", "skew", "kurtosis", "log", NULL};
        long wm = 5;
        st->kind = GF_STEP_TREAT;
        gf_eval_treat_default(&st->treat);
        rc = only_keys(c, o, keys);
        if (!rc)
            rc = get_int(c, o, "winmax", 0, 1000000, &wm);
        if (!rc)
            rc = get_num(c, o, "skew", 1e-9, 1e9, &st->treat.skew_max);
        if (!rc)
            rc = get_num(c, o, "kurtosis", 1e-9, 1e9, &st->treat.kurt_max);
        json_t *lg = json_object_get(o, "log");
        if (!rc && lg) {
            /* true = COINr's default log_CT; the skew-corrected variant by its COINr name */
            const char *ls = json_is_string(lg) ? json_string_value(lg) : "";
            if (json_is_boolean(lg))
                st->treat.log_fallback = json_is_true(lg) ? GF_TREAT_LOG_CT : GF_TREAT_NO_LOG;
            else if (!strcmp(ls, "log_CT"))
                st->treat.log_fallback = GF_TREAT_LOG_CT;
            else if (!strcmp(ls, "log_CT_plus"))
                st->treat.log_fallback = GF_TREAT_LOG_CT_PLUS;
            else
                rc = bad(c, "log", lg, "true (log_CT), false, \"log_CT\" or \"log_CT_plus\"");
        }
        st->treat.winmax = (int)wm;
        return rc;
    }
    if (!strcmp(kind, "normalise") || !strcmp(kind, "normalize")) {
        st->kind = GF_STEP_NORMALISE;
        return parse_norm(c, o, &st->norm);
    }
    if (!strcmp(kind, "weight")) {
        static const char *const keys[] = {"step", "method", "shift", "combine", NULL};
        const char *m = NULL, *sh = NULL;
        st->kind = GF_STEP_WEIGHT;
        rc = only_keys(c, o, keys);
        if (!rc)
            rc = get_str(c, o, "method", 1, &m);
        if (!rc)
            rc = get_str(c, o, "shift", 0, &sh);
        if (rc)
            return rc;
        int w = gf_eval_weight_parse(m);
        if (w < 0)
            return bad(c, "method", json_object_get(o, "method"),
                       "framework, equal, entropy or critic");
        st->weight = (enum gf_eval_weight_method)w;
        st->shift = GF_SHIFT_NONE;
        if (sh) {
            int s = gf_eval_shift_parse(sh);
            if (s < 0)
                return bad(c, "shift", json_object_get(o, "shift"),
                           "\"none\", \"0.0001\", \"0.01\" or \"rescale\"");
            st->shift = (enum gf_eval_shift)s;
        }
        json_t *cb = json_object_get(o, "combine");
        if (cb) {
            static const char *const ck[] = {"with", "how", NULL};
            const char *with = NULL, *how = NULL;
            size_t plen = strlen(c->path);
            snprintf(c->path + plen, sizeof c->path - plen, ".combine");
            if (!json_is_object(cb))
                return bad(c, NULL, cb, "an object {\"with\": …, \"how\": \"product\"|\"mean\"}");
            rc = only_keys(c, cb, ck);
            if (!rc)
                rc = get_str(c, cb, "with", 1, &with);
            if (!rc)
                rc = get_str(c, cb, "how", 1, &how);
            if (rc)
                return rc;
            int w2 = gf_eval_weight_parse(with);
            if (w2 < 0)
                return bad(c, "with", json_object_get(cb, "with"),
                           "framework, equal, entropy or critic");
            st->weight2 = (enum gf_eval_weight_method)w2;
            if (!strcmp(how, "product"))
                st->combine = GF_COMBINE_PRODUCT;
            else if (!strcmp(how, "mean"))
                st->combine = GF_COMBINE_MEAN;
            else
                return bad(c, "how", json_object_get(cb, "how"), "product or mean");
            c->path[plen] = 0;
        }
        return GF_OK;
    }
    if (!strcmp(kind, "aggregate")) {
        st->kind = GF_STEP_AGGREGATE;
        return parse_agg(c, o, &st->agg);
    }
    return bad(c, "step", json_object_get(o, "step"),
               "denominate, screen, impute, treat, normalise, weight or aggregate");
}

/* "noise": [{"level": 2, "noise_factor": 0.25}, {"node": "D1", "noise_factor": 0.1}, …] — COINr's
 * noise factor per Level, and per node.  With a table, nodes it does not name keep their
 * nominal weight unless "weight_spread" is given too. */
static int parse_noise(struct ctx *c, json_t *o, json_t *a, struct gf_eval_mc *mc)
{
    static const char *const keys[] = {"level", "node", "noise_factor", NULL};
    if (!json_is_array(a) || json_array_size(a) < 1 || json_array_size(a) > GF_EVAL_MAX_NOISE)
        return bad(c, "noise", a, "an array of 1 to 64 {\"level\" or \"node\", \"noise_factor\"}");
    if (!json_object_get(o, "weight_spread"))
        mc->weight_spread = 0;
    size_t plen = strlen(c->path);
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *it = json_array_get(a, i);
        struct gf_eval_noise *nz = mc->noise + i;
        const char *node = NULL;
        long level = 0;
        snprintf(c->path + plen, sizeof c->path - plen, ".noise[%zu]", i);
        if (!json_is_object(it))
            return bad(c, NULL, it, "an object {\"level\": 2, \"noise_factor\": 0.25}");
        int rc = only_keys(c, it, keys);
        if (!rc)
            rc = get_int(c, it, "level", 1, 100, &level);
        if (!rc)
            rc = get_str(c, it, "node", 0, &node);
        if (!rc && !json_object_get(it, "noise_factor"))
            rc = bad(c, "noise_factor", NULL, "a number between 0 and 0.99 (missing)");
        if (!rc)
            rc = get_num(c, it, "noise_factor", 0, 0.99, &nz->spread);
        if (!rc && (level > 0) == (node != NULL))
            rc = bad(c, NULL, it, "either \"level\" or \"node\"");
        if (!rc && node && (!node[0] || strlen(node) >= sizeof nz->node))
            rc = bad(c, "node", json_object_get(it, "node"), "a node code of 1 to 63 bytes");
        if (rc)
            return rc;
        nz->level = (int)level;
        snprintf(nz->node, sizeof nz->node, "%s", node ? node : "");
    }
    c->path[plen] = 0;
    mc->nnoise = (int)json_array_size(a);
    return GF_OK;
}

static int parse_mc(struct ctx *c, json_t *o, struct gf_eval_mc *mc)
{
    static const char *const keys[] = {"draws",   "seed",      "weight_spread",
                                       "threads", "normalise", "aggregate",
                                       "winsor",  "noise",     NULL};
    long draws = 0, threads = 2, seed = 1;
    if (!json_is_object(o))
        return bad(c, NULL, o, "an object");
    int rc = only_keys(c, o, keys);
    if (!rc)
        rc = get_int(c, o, "draws", 0, 10000000, &draws);
    if (!rc)
        rc = get_int(c, o, "threads", 1, 64, &threads);
    if (!rc)
        rc = get_int(c, o, "seed", 0, INT64_MAX, &seed);
    if (!rc)
        rc = get_num(c, o, "weight_spread", 0, 0.99, &mc->weight_spread);
    if (rc)
        return rc;
    mc->draws = (int)draws;
    mc->threads = (int)threads;
    mc->seed = (uint64_t)seed;
    json_t *a;
    size_t plen = strlen(c->path);
    if ((a = json_object_get(o, "normalise"))) {
        if (!json_is_array(a) || json_array_size(a) < 1 || json_array_size(a) > GF_EVAL_MAX_ALT)
            return bad(c, "normalise", a, "an array of 1 to 8 normalisations");
        for (size_t i = 0; i < json_array_size(a); i++) {
            snprintf(c->path + plen, sizeof c->path - plen, ".normalise[%zu]", i);
            json_t *it = json_array_get(a, i);
            if (!json_is_object(it))
                return bad(c, NULL, it, "an object {\"method\": …}");
            if ((rc = parse_norm(c, it, &mc->norm[i])))
                return rc;
        }
        mc->nnorm = (int)json_array_size(a);
    }
    if ((a = json_object_get(o, "aggregate"))) {
        if (!json_is_array(a) || json_array_size(a) < 1 || json_array_size(a) > GF_EVAL_MAX_ALT)
            return bad(c, "aggregate", a, "an array of 1 to 8 aggregations");
        for (size_t i = 0; i < json_array_size(a); i++) {
            snprintf(c->path + plen, sizeof c->path - plen, ".aggregate[%zu]", i);
            json_t *it = json_array_get(a, i);
            if (!json_is_object(it))
                return bad(c, NULL, it, "an object {\"method\": …}");
            if ((rc = parse_agg(c, it, &mc->agg[i])))
                return rc;
        }
        mc->nagg = (int)json_array_size(a);
    }
    c->path[plen] = 0;
    if ((a = json_object_get(o, "winsor"))) {
        if (!json_is_array(a) || json_array_size(a) < 1 || json_array_size(a) > GF_EVAL_MAX_ALT)
            return bad(c, "winsor", a, "an array of 1 to 8 winsorisation limits");
        for (size_t i = 0; i < json_array_size(a); i++) {
            json_t *it = json_array_get(a, i);
            if (!json_is_integer(it) || json_integer_value(it) < 0 ||
                json_integer_value(it) > 1000000)
                return bad(c, "winsor", it, "integers ≥ 0");
            mc->winsor[i] = (int)json_integer_value(it);
        }
        mc->nwinsor = (int)json_array_size(a);
    }
    if ((a = json_object_get(o, "noise")))
        return parse_noise(c, o, a, mc);
    return GF_OK;
}

int gf_eval_pipeline_parse(const char *json, size_t len, const char *source,
                           struct gf_eval_pipeline *p, struct gf_err *e)
{
    struct ctx c = {source ? source : "pipeline", e, ""};
    json_error_t je;
    gf_eval_pipeline_init(p);
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return gf_err_at(e, c.src, je.line, NULL, je.text, "valid JSON (column %d)", je.column);
    int rc = GF_OK;
    static const char *const keys[] = {"name",        "description", "steps",
                                       "sensitivity", "strengths",   NULL};
    if (!json_is_object(root)) {
        rc = bad(&c, NULL, root, "a JSON object {\"steps\": [...]}");
        goto out;
    }
    if ((rc = only_keys(&c, root, keys)))
        goto out;
    const char *name = NULL;
    if ((rc = get_str(&c, root, "name", 0, &name)))
        goto out;
    if (name)
        snprintf(p->name, sizeof p->name, "%s", name);
    json_t *steps = json_object_get(root, "steps");
    if (!steps || !json_is_array(steps) || json_array_size(steps) < 1 ||
        json_array_size(steps) > GF_EVAL_MAX_STEPS) {
        rc = bad(&c, "steps", steps, "an array of 1 to 16 steps");
        goto out;
    }
    for (size_t i = 0; i < json_array_size(steps); i++) {
        snprintf(c.path, sizeof c.path, "steps[%zu]", i);
        if ((rc = parse_step(&c, json_array_get(steps, i), &p->step[i])))
            goto out;
    }
    p->nstep = (int)json_array_size(steps);
    c.path[0] = 0;
    long k = 3;
    if ((rc = get_int(&c, root, "strengths", 1, 100, &k)))
        goto out;
    p->strengths_k = (int)k;
    json_t *mc = json_object_get(root, "sensitivity");
    if (mc) {
        snprintf(c.path, sizeof c.path, "sensitivity");
        rc = parse_mc(&c, mc, &p->mc);
    }
out:
    json_decref(root);
    return rc;
}
