/* eval_mc.c — own PRNG (splitmix64 seeding xoshiro256**) and the Monte Carlo sensitivity of
 * ranks, parallel over draws with pthreads.  Draw d depends only on (seed, d), and results are
 * stored by draw, so any thread count gives the same answer.  No I/O. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/eval_int.h"
#include "core/ksum.h"

uint64_t gf_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void gf_rng_seed(struct gf_rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t st = seed ^ (stream * 0xD1B54A32D192ED03ull);
    st = gf_splitmix64(&st) ^ stream; /* decorrelate neighbouring streams */
    for (int i = 0; i < 4; i++)
        r->s[i] = gf_splitmix64(&st);
    if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
        r->s[0] = 1;
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t gf_rng_next(struct gf_rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

double gf_rng_uniform(struct gf_rng *r)
{
    return (double)(gf_rng_next(r) >> 11) * 0x1.0p-53;
}

static int pick(struct gf_rng *r, int count)
{
    double u = gf_rng_uniform(r); /* always consumed, so the stream layout is fixed */
    int k = (int)(u * (count > 0 ? count : 1));
    return k;
}

int gf_eval_mc_spreads(const struct gf_eval_mc *mc, const struct gf_eval_tree *t, double *spread,
                       struct gf_err *e)
{
    if (mc->nnoise < 0 || mc->nnoise > GF_EVAL_MAX_NOISE)
        return EVAL_ERR(e, "sensitivity: at most %d noise entries", GF_EVAL_MAX_NOISE);
    for (size_t k = 0; k < t->nnode; k++)
        spread[k] = mc->weight_spread;
    /* levels first, then nodes, so a node's own entry wins over its level's */
    for (int pass = 0; pass < 2; pass++)
        for (int q = 0; q < mc->nnoise; q++) {
            const struct gf_eval_noise *nz = mc->noise + q;
            if ((nz->level == 0) != (pass == 1))
                continue;
            if (!(nz->spread >= 0 && nz->spread < 1))
                return EVAL_ERR(e, "sensitivity: noise %g: expected a share in [0,1)", nz->spread);
            int found = 0;
            for (size_t k = 0; k < t->nnode; k++)
                if (pass == 0 ? t->node[k].level == nz->level
                              : t->node[k].code && !strcmp(t->node[k].code, nz->node)) {
                    spread[k] = nz->spread;
                    found = 1;
                }
            if (!found && pass == 1)
                return EVAL_ERR(e, "sensitivity: noise for node \"%s\": no such node in the framework",
                                nz->node);
        }
    return GF_OK;
}

void gf_eval_mc_draw(const struct gf_eval_mc *mc, const double *w, const double *spread,
                     size_t nnode, uint64_t d, double *wd, int *inorm, int *iagg, int *iwin)
{
    struct gf_rng r;
    gf_rng_seed(&r, mc->seed, d);
    for (size_t k = 0; k < nnode; k++) {
        double u = gf_rng_uniform(&r); /* drawn even for a zero spread: a fixed layout */
        double sp = spread ? spread[k] : mc->weight_spread;
        wd[k] = sp == 0 ? w[k] : w[k] * (1 + sp * (2 * u - 1));
    }
    *iwin = pick(&r, mc->nwinsor);
    *inorm = pick(&r, mc->nnorm);
    *iagg = pick(&r, mc->nagg);
}

/* ---- sensitivity ---- */

struct mc_shared {
    size_t n, m, nnode, root;
    const struct gf_eval_tree *t;
    const struct gf_eval__ctree *c;
    const double *w;
    const double *spread; /* nnode weight spreads */
    const struct gf_eval_mc *mc;
    int nwin, nnorm, nagg;
    const struct gf_eval_aggspec *aggs; /* nagg */
    double **Y;                         /* [iw*nnorm + in]: normalised matrices */
    double **Phi;     /* [(iw*nnorm + in)*nagg + ia]: transformed for means (NULL otherwise) */
    double **PhiT;    /* the same, column-major (m × n), when it has no missing value, else NULL */
    uint16_t *rank16; /* draws × n rank records when n < 65536 (half the memory) … */
    int *rank32;      /* … else these */
};

struct mc_thread {
    struct mc_shared *sh;
    int tid, nthreads;
    int rc;
    uint64_t err_draw;
    struct gf_err err;
};

/* Means become an arithmetic tree on transformed values: φ = y, ln y, 1/y, y^p. */
static int is_mean(enum gf_eval_agg a)
{
    return a == GF_AGG_ARITH || a == GF_AGG_GEOM || a == GF_AGG_HARM || a == GF_AGG_POWER;
}

/* Sign so that a higher transformed root means a better unit. */
static double phi_sign(const struct gf_eval_aggspec *a)
{
    if (a->method == GF_AGG_HARM || (a->method == GF_AGG_POWER && a->p < 0))
        return -1;
    return 1;
}

static double phi(const struct gf_eval_aggspec *a, double y)
{
    switch (a->method) {
    case GF_AGG_GEOM:
        return log(y);
    case GF_AGG_HARM:
        return 1 / y;
    case GF_AGG_POWER:
        return a->p == 0 ? log(y) : pow(y, a->p);
    default:
        return y;
    }
}

/* Compensated dot products of many units at once: acc_i += w·x_i with the two-sum of
 * core/ksum.h over arrays, so it vectorises across units (element-wise, no reassociation, so
 * no -ffast-math is involved). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__gnu_linux__)
/* Vectorised, with an AVX2 clone chosen at run time; -std=c17 keeps FMA contraction off, so
 * every clone gives the same bits. */
__attribute__((target_clones("avx2", "default"), optimize("tree-vectorize")))
#endif
static void
twosum_axpy(double *restrict s, double *restrict c, const double *restrict x, double w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double e;
        s[i] = gf_two_sum(s[i], w * x[i], &e);
        c[i] += e;
    }
}

static void *mc_worker(void *arg)
{
    struct mc_thread *th = arg;
    struct mc_shared *sh = th->sh;
    size_t n = sh->n, m = sh->m, nn = sh->nnode;
    double *wd = malloc(nn * sizeof *wd), *wsum = malloc(nn * sizeof *wsum),
           *s = malloc(nn * sizeof *s), *root = malloc(n * sizeof *root),
           *acc = malloc(n * sizeof *acc), *cmp = malloc(n * sizeof *cmp),
           *eff = malloc(nn * sizeof *eff);
    uint64_t *k1 = malloc(n * sizeof *k1), *k2 = malloc(n * sizeof *k2);
    uint32_t *i1 = malloc(n * sizeof *i1), *i2 = malloc(n * sizeof *i2);
    int *rtmp = malloc(n * sizeof *rtmp);
    struct gf_ksum *ks = malloc(nn * sizeof *ks);
    double *score = NULL;
    if (!wd || !wsum || !s || !root || !acc || !cmp || !eff || !k1 || !k2 || !i1 || !i2 || !rtmp || !ks) {
        th->rc = gf_err_set(&th->err, GF_ENOMEM, "out of memory");
        goto out;
    }
    for (uint64_t d = (uint64_t)th->tid; d < (uint64_t)sh->mc->draws; d += (uint64_t)th->nthreads) {
        int inorm, iagg, iwin;
        gf_eval_mc_draw(sh->mc, sh->w, sh->spread, nn, d, wd, &inorm, &iagg, &iwin);
        if (sh->nwin <= 1)
            iwin = 0;
        if (sh->nnorm <= 1)
            inorm = 0;
        if (sh->nagg <= 1)
            iagg = 0;
        const struct gf_eval_aggspec *ag = sh->aggs + iagg;
        size_t combo = (size_t)iwin * (size_t)sh->nnorm + (size_t)inorm;
        size_t pc = combo * (size_t)sh->nagg + (size_t)iagg;
        int *rk = rtmp;
        if (is_mean(ag->method) && sh->PhiT[pc]) {
            /* complete data: a mean tree collapses to Σ_j eff_j φ_j with eff the product of
             * the weights relative within each parent along the path to the root */
            const double *PT = sh->PhiT[pc];
            for (size_t k = 0; k < nn; k++)
                ks[k] = (struct gf_ksum){0, 0};
            for (size_t k = 0; k < nn; k++)
                if (sh->t->node[k].parent >= 0)
                    gf_ksum_add(&ks[sh->t->node[k].parent], wd[k]);
            for (size_t k = 0; k < nn; k++)
                wsum[k] = gf_ksum_value(&ks[k]);
            for (size_t q = sh->c->nagg; q-- > 0;) { /* root first */
                size_t k = sh->c->order[q];
                int p = sh->t->node[k].parent;
                eff[k] = p < 0 ? 1 : eff[p] * wd[k] / wsum[p];
            }
            for (size_t i = 0; i < n; i++)
                acc[i] = cmp[i] = 0;
            for (size_t j = 0; j < m; j++) {
                int p = sh->t->node[j].parent;
                twosum_axpy(acc, cmp, PT + j * n, eff[p] * wd[j] / wsum[p], n);
            }
            double sg = phi_sign(ag);
            for (size_t i = 0; i < n; i++)
                root[i] = sg * (acc[i] + cmp[i]);
        } else if (is_mean(ag->method)) {
            const double *P = sh->Phi[pc];
            double sg = phi_sign(ag);
            for (size_t i = 0; i < n; i++) {
                memcpy(s, P + i * m, m * sizeof *s);
                for (size_t q = 0; q < sh->c->nagg; q++) {
                    size_t k = sh->c->order[q], c0 = sh->c->cstart[k], c1 = sh->c->cstart[k + 1];
                    struct gf_ksum a = {0, 0}, ws = {0, 0};
                    for (size_t b = c0; b < c1; b++) {
                        size_t ch = sh->c->child[b];
                        if (isnan(s[ch]))
                            continue;
                        gf_ksum_add(&a, wd[ch] * s[ch]);
                        gf_ksum_add(&ws, wd[ch]);
                    }
                    double W = gf_ksum_value(&ws);
                    s[k] = W > 0 ? gf_ksum_value(&a) / W : NAN;
                }
                root[i] = sg * s[sh->root];
            }
        } else {
            if (!score && !(score = malloc(n * nn * sizeof *score))) {
                th->rc = gf_err_set(&th->err, GF_ENOMEM, "out of memory");
                goto out;
            }
            int rc = gf_eval_score_tree(sh->Y[combo], n, sh->t, wd, ag, score, NULL, &th->err);
            if (rc) {
                th->rc = rc;
                th->err_draw = d;
                goto out;
            }
            for (size_t i = 0; i < n; i++)
                root[i] = score[i * nn + sh->root];
        }
        gf_eval__rank_radix(root, n, 1, 1, rk, k1, k2, i1, i2);
        if (sh->rank16)
            for (size_t i = 0; i < n; i++)
                sh->rank16[d * n + i] = (uint16_t)rk[i];
        else
            memcpy(sh->rank32 + d * n, rk, n * sizeof *rk);
    }
out:
    free(wd);
    free(wsum);
    free(s);
    free(root);
    free(acc);
    free(cmp);
    free(eff);
    free(k1);
    free(k2);
    free(i1);
    free(i2);
    free(rtmp);
    free(ks);
    free(score);
    return NULL;
}

int gf_eval_sensitivity(const double *x, size_t n, const struct gf_eval_ind *ind,
                        const struct gf_eval_tree *t, const double *w,
                        const struct gf_eval_treat *treat, const struct gf_eval_norm *norm,
                        const struct gf_eval_aggspec *agg, const struct gf_eval_mc *mc,
                        struct gf_eval_sens *out, struct gf_err *e)
{
    if (!mc || mc->draws < 1)
        return EVAL_ERR(e, "sensitivity: the number of draws must be at least 1");
    if (!(mc->weight_spread >= 0 && mc->weight_spread < 1))
        return EVAL_ERR(e, "sensitivity: weight spread %g: expected a share in [0,1)",
                        mc->weight_spread);
    if (n < 2)
        return EVAL_ERR(e, "sensitivity: need at least two units, got %zu", n);
    if ((double)n * (double)mc->draws > 2.5e8)
        return EVAL_ERR(e,
                        "sensitivity: %zu units × %d draws is too many rank records (limit 2.5e8)",
                        n, mc->draws);
    if (mc->nnorm < 0 || mc->nnorm > GF_EVAL_MAX_ALT || mc->nagg < 0 ||
        mc->nagg > GF_EVAL_MAX_ALT || mc->nwinsor < 0 || mc->nwinsor > GF_EVAL_MAX_ALT)
        return EVAL_ERR(e, "sensitivity: at most %d alternatives per choice", GF_EVAL_MAX_ALT);
    struct gf_eval__ctree c;
    int rc = gf_eval__ctree_build(t, &c, e);
    if (rc)
        return rc;
    size_t m = t->nleaf, nn = t->nnode;
    struct mc_shared sh;
    memset(&sh, 0, sizeof sh);
    sh.n = n;
    sh.m = m;
    sh.nnode = nn;
    sh.root = gf_eval__root(t);
    sh.t = t;
    sh.c = &c;
    sh.w = w;
    sh.mc = mc;
    sh.nwin = mc->nwinsor > 0 ? mc->nwinsor : 1;
    sh.nnorm = mc->nnorm > 0 ? mc->nnorm : 1;
    sh.nagg = mc->nagg > 0 ? mc->nagg : 1;
    sh.aggs = mc->nagg > 0 ? mc->agg : agg;
    size_t ncombo = (size_t)sh.nwin * (size_t)sh.nnorm;
    sh.Y = calloc(ncombo + 1, sizeof *sh.Y);
    sh.Phi = calloc(ncombo * (size_t)sh.nagg, sizeof *sh.Phi);
    sh.PhiT = calloc(ncombo * (size_t)sh.nagg, sizeof *sh.PhiT);
    if (n < 65536)
        sh.rank16 = malloc((size_t)mc->draws * n * sizeof *sh.rank16);
    else
        sh.rank32 = malloc((size_t)mc->draws * n * sizeof *sh.rank32);
    int *nominal = malloc(n * sizeof *nominal);
    double *spread = malloc(nn * sizeof *spread);
    unsigned *hist = malloc((n + 1) * sizeof *hist);
    double *score = malloc(n * nn * sizeof *score);
    struct mc_thread *th = NULL;
    pthread_t *tids = NULL;
    int nthreads = mc->threads > 0 ? mc->threads : 2;
    if (nthreads > 64)
        nthreads = 64;
    if (!sh.Y || !sh.Phi || !sh.PhiT || !(sh.rank16 || sh.rank32) || !nominal || !spread ||
        !hist || !score) {
        rc = EVAL_NOMEM(e);
        goto out;
    }
    if ((rc = gf_eval_mc_spreads(mc, t, spread, e)))
        goto out;
    sh.spread = spread;
    /* nominal ranks */
    {
        double *y = malloc(n * m * sizeof *y);
        if (!y) {
            rc = EVAL_NOMEM(e);
            goto out;
        }
        memcpy(y, x, n * m * sizeof *y);
        rc = treat ? gf_eval_treat_matrix(y, n, m, treat, NULL, e) : GF_OK;
        if (!rc)
            rc = gf_eval_normalise(y, n, m, ind, norm, e);
        if (!rc)
            rc = gf_eval_score_tree(y, n, t, w, agg, score, NULL, e);
        free(y);
        if (rc)
            goto out;
        gf_eval_rank(score + sh.root, n, nn, 1, nominal);
    }
    /* the data under every combination of alternatives */
    for (int iw = 0; iw < sh.nwin; iw++)
        for (int in = 0; in < sh.nnorm; in++) {
            size_t cb = (size_t)iw * (size_t)sh.nnorm + (size_t)in;
            double *y = sh.Y[cb] = malloc(n * m * sizeof *y);
            if (!y) {
                rc = EVAL_NOMEM(e);
                goto out;
            }
            memcpy(y, x, n * m * sizeof *y);
            struct gf_eval_treat tr;
            if (treat)
                tr = *treat;
            else
                gf_eval_treat_default(&tr);
            if (mc->nwinsor > 0)
                tr.winmax = mc->winsor[iw];
            if (treat || mc->nwinsor > 0)
                rc = gf_eval_treat_matrix(y, n, m, &tr, NULL, e);
            if (!rc)
                rc = gf_eval_normalise(y, n, m, ind, mc->nnorm > 0 ? &mc->norm[in] : norm, e);
            for (int ia = 0; ia < sh.nagg && !rc; ia++) {
                const struct gf_eval_aggspec *ag = sh.aggs + ia;
                rc = gf_eval__agg_check(y, n, m, ag->method, ag->p, e);
                if (rc) {
                    gf_err_prefix(
                        e, "sensitivity: alternative normalisation %s with %s aggregation",
                        gf_eval_norm_name(mc->nnorm > 0 ? mc->norm[in].method : norm->method),
                        gf_eval_agg_name(ag->method));
                    break;
                }
                if (!is_mean(ag->method))
                    continue;
                double *P = sh.Phi[cb * (size_t)sh.nagg + (size_t)ia] = malloc(n * m * sizeof *P);
                if (!P) {
                    rc = EVAL_NOMEM(e);
                    break;
                }
                int hasnan = 0;
                for (size_t q = 0; q < n * m; q++) {
                    P[q] = isnan(y[q]) ? NAN : phi(ag, y[q]);
                    hasnan |= isnan(P[q]);
                }
                if (hasnan)
                    continue;
                double *PT = sh.PhiT[cb * (size_t)sh.nagg + (size_t)ia] =
                    malloc(n * m * sizeof *PT);
                if (!PT) {
                    rc = EVAL_NOMEM(e);
                    break;
                }
                for (size_t i = 0; i < n; i++)
                    for (size_t j = 0; j < m; j++)
                        PT[j * n + i] = P[i * m + j];
            }
            if (rc)
                goto out;
        }
    th = calloc((size_t)nthreads, sizeof *th);
    tids = calloc((size_t)nthreads, sizeof *tids);
    if (!th || !tids) {
        rc = EVAL_NOMEM(e);
        goto out;
    }
    int started = 0;
    for (int k = 0; k < nthreads; k++) {
        th[k].sh = &sh;
        th[k].tid = k;
        th[k].nthreads = nthreads;
        if (nthreads == 1) {
            mc_worker(&th[k]);
            started = 1;
            break;
        }
        if (pthread_create(&tids[k], NULL, mc_worker, &th[k]) != 0) {
            th[k].rc = gf_err_set(&th[k].err, GF_ESYS, "sensitivity: cannot start a thread");
            break;
        }
        started++;
    }
    if (nthreads > 1)
        for (int k = 0; k < started; k++)
            pthread_join(tids[k], NULL);
    /* the error of the earliest failing draw, whatever the thread count */
    int bad = -1;
    for (int k = 0; k < nthreads; k++)
        if (th[k].rc && (bad < 0 || th[k].err_draw < th[bad].err_draw))
            bad = k;
    if (bad >= 0) {
        rc = th[bad].rc;
        if (e)
            *e = th[bad].err;
        goto out;
    }
    /* summaries from per-unit rank histograms (ranks are integers 1..n) */
    size_t N = (size_t)mc->draws;
    /* units in blocks so the draw-major rank records are read in contiguous runs */
    size_t B = 64;
    unsigned *hb = realloc(hist, B * (n + 1) * sizeof *hb);
    if (!hb) {
        rc = EVAL_NOMEM(e);
        goto out;
    }
    hist = hb;
    for (size_t i0 = 0; i0 < n; i0 += B) {
        size_t nb = i0 + B < n ? B : n - i0;
        memset(hist, 0, nb * (n + 1) * sizeof *hist);
        for (size_t d = 0; d < N; d++) {
            if (sh.rank16) {
                const uint16_t *rr = sh.rank16 + d * n + i0;
                for (size_t b = 0; b < nb; b++)
                    hist[b * (n + 1) + rr[b]]++;
            } else {
                const int *rr = sh.rank32 + d * n + i0;
                for (size_t b = 0; b < nb; b++)
                    hist[b * (n + 1) + (size_t)rr[b]]++;
            }
        }
        for (size_t b = 0; b < nb; b++) {
            size_t i = i0 + b;
            const unsigned *h = hist + b * (n + 1);
            double shift = 0;
            for (size_t r = 0; r <= n; r++)
                shift += (double)h[r] * fabs((double)r - (double)nominal[i]);
            /* R's quantile type 7 from the histogram: value at sorted positions lo, lo + 1 */
            double qs[3] = {0.05, 0.5, 0.95}, res[3];
            for (int a = 0; a < 3; a++) {
                double hq = (double)(N - 1) * qs[a];
                size_t lo = (size_t)floor(hq);
                size_t hi = lo + 1 < N ? lo + 1 : lo;
                double vlo = 0, vhi = 0;
                size_t cum = 0;
                int got = 0;
                for (size_t r = 0; r <= n && got < 2; r++) {
                    cum += h[r];
                    if (got == 0 && cum > lo) {
                        vlo = (double)r;
                        got = 1;
                    }
                    if (got == 1 && cum > hi) {
                        vhi = (double)r;
                        got = 2;
                    }
                }
                res[a] = vlo + (hq - (double)lo) * (vhi - vlo);
            }
            out[i].nominal = nominal[i];
            out[i].p05 = res[0];
            out[i].median = res[1];
            out[i].p95 = res[2];
            out[i].mean_shift = shift / (double)N;
        }
    }
out:
    if (sh.Y)
        for (size_t k = 0; k < ncombo; k++)
            free(sh.Y[k]);
    if (sh.Phi)
        for (size_t k = 0; k < ncombo * (size_t)sh.nagg; k++)
            free(sh.Phi[k]);
    if (sh.PhiT)
        for (size_t k = 0; k < ncombo * (size_t)sh.nagg; k++)
            free(sh.PhiT[k]);
    free(sh.PhiT);
    free(sh.Y);
    free(sh.Phi);
    free(sh.rank16);
    free(sh.rank32);
    free(nominal);
    free(spread);
    free(hist);
    free(score);
    free(th);
    free(tids);
    gf_eval__ctree_free(&c);
    return rc;
}
