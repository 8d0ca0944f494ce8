/* demo_income.c — the synthetic household income sample of the demo (gongfu demo).
 *
 * SYNTHETIC: no relation to real households.  For every village / community of the unit table
 * (level 4) and for 2023 and 2024, 30–50 households are drawn with a deterministic generator
 * keyed by (village code, period, household number), so the sample does not depend on the
 * order of the units.  Each household gets:
 *   - urban = the unit's area (社区 urban, 村 rural);
 *   - a size of 1–6 persons (rural households larger);
 *   - per-capita disposable income x = 10 000 + y, y log-normal with a county factor, a village
 *     factor and a size effect (larger households earn less per person).  The floor of
 *     10 000 yuan reproduces Panzhihua's 2023 state: no household under 10 000 yuan a person;
 *     in 2024 a few rural households (about 1 in 2 000) fall back under the line (x between
 *     9 000 and 9 900), the story of the demo's monitoring data (a few returning in 2024);
 *   - a survey weight so that the sample's persons add up to the village's population;
 *   - food and consumption spending (consumption 62–80 % of income, food ≈ 28–36 % of it).
 * y is then scaled, separately for urban and rural households, so that the city's weighted
 * mean equals the calibration target:
 *   2023 urban 52 172, rural 24 905 yuan: the 2022 levels published in the 2023 government
 *        work report (50 214 and 23 297, source P2 of /work/shared/data/published-statistics.md)
 *        grown by the published 2023 growth rates (3.9 % and 6.9 %, source P3);
 *   2024 urban 54 500, rural 26 500 yuan: no published level; the same assumption as the demo's
 *        synthetic values (demo_values.c).
 * The rows are stored as microdata (income_batch.source says synthetic), then the measures are
 * computed and saved for both periods (value source "…; synthetic demo sample"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/eval.h" /* gf_splitmix64 */
#include "domain/income_int.h"
#include "util/hash.h"

#define NPERIOD 2
static const char *const demo_period[NPERIOD] = {"2023", "2024"};
static const double target_urban[NPERIOD] = {52172, 54500}, target_rural[NPERIOD] = {24905, 26500};
static const char *const demo_source =
    "synthetic (gongfu demo sample, calibrated to Panzhihua urban/rural per-capita disposable"
    " income; docs/income-microdata.md)";

/* county factors on y (东区, 西区, 仁和区, 米易县, 盐边县; others 1) */
static const struct {
    const char *code;
    double urban, rural;
} county_factor[] = {
    {"510402", 1.10, 1.12}, {"510403", 1.02, 1.04}, {"510411", 0.97, 1.00},
    {"510421", 0.92, 0.96}, {"510422", 0.90, 0.92},
};

struct rng {
    uint64_t s;
};

static uint64_t splitmix(struct rng *r)
{
    return gf_splitmix64(&r->s);
}

static double unif(struct rng *r)
{
    return ((double)(splitmix(r) >> 11) + 0.5) / 9007199254740992.0;
}

static double gauss(struct rng *r)
{
    double u = unif(r), v = unif(r);
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

static uint64_t seed_of(const char *code, const char *period, int k)
{
    uint64_t h = gf_fnv1a_str(period, gf_fnv1a_str(code, GF_FNV_START));
    return h ^ ((uint64_t)k * 0xD1B54A32D192ED03ull) ^ 0x2545F4914F6CDD1Dull;
}

struct hh {
    int unit, urban, size;
    double y, weight, cons_rate, food_rate;
    double fixed; /* > 0: a household under the line, x = fixed (not scaled) */
};

/* Draw the sample of one period into *out (malloc'd). */
static int draw(const struct gf_units *u, const char *period, struct hh **out, size_t *nout)
{
    size_t cap = 0, n = 0;
    struct hh *a = NULL;
    for (int i = 0; i < u->n; i++) {
        const struct gf_unit *v = &u->unit[i];
        if (v->level != GF_LEVEL_VILLAGE)
            continue;
        struct rng r = {seed_of(v->code, period, -1)};
        int nh = 30 + (int)(unif(&r) * 21); /* 30..50 */
        double vf = exp(0.12 * gauss(&r));  /* village effect */
        double cf = 1;
        for (int a2 = i; a2 >= 0; a2 = u->unit[a2].parent)
            for (size_t c = 0; c < sizeof county_factor / sizeof county_factor[0]; c++)
                if (!strcmp(u->unit[a2].code, county_factor[c].code))
                    cf = v->urban ? county_factor[c].urban : county_factor[c].rural;
        if (n + (size_t)nh > cap) {
            cap = (n + (size_t)nh) * 2;
            struct hh *b = realloc(a, cap * sizeof *a);
            if (!b) {
                free(a);
                return GF_ENOMEM;
            }
            a = b;
        }
        size_t first = n;
        long persons = 0;
        for (int k = 0; k < nh; k++) {
            struct rng hr = {seed_of(v->code, period, k)};
            struct hh *h = &a[n++];
            h->unit = i;
            h->urban = v->urban;
            /* size: urban 1..6 with mode 2-3, rural one person larger on average */
            static const double pu[6] = {0.14, 0.30, 0.30, 0.15, 0.08, 0.03},
                                pr[6] = {0.08, 0.22, 0.26, 0.22, 0.14, 0.08};
            const double *pp = v->urban ? pu : pr;
            double t = unif(&hr), c = 0;
            h->size = 6;
            for (int s = 0; s < 6; s++)
                if (t < (c += pp[s])) {
                    h->size = s + 1;
                    break;
                }
            persons += h->size;
            double sigma = v->urban ? 0.55 : 0.50;
            double size_eff = 1 - 0.05 * (h->size - 3);
            h->y = cf * vf * size_eff * exp(sigma * gauss(&hr) - sigma * sigma / 2);
            h->cons_rate = (v->urban ? 0.62 : 0.70) + 0.10 * unif(&hr);
            h->food_rate = (v->urban ? 0.28 : 0.32) + 0.04 * unif(&hr);
            double fall = unif(&hr);
            h->fixed = strcmp(period, "2023") && !v->urban && fall < 0.0005 ? 9000 + 900 * unif(&hr) : 0;
        }
        /* weights: the sample's persons stand for the village's population (or for
         * themselves when the population is unknown) */
        double wgt = v->population > 0 ? (double)v->population / (double)persons : 1;
        for (size_t k = first; k < n; k++)
            a[k].weight = round(wgt * 100) / 100;
    }
    *out = a;
    *nout = n;
    return GF_OK;
}

int gf_demo_income(struct gf_db *db, const char *actor, struct gf_err *e)
{
    struct gf_units u;
    struct gf_income_sink sink;
    struct hh *a[NPERIOD] = {NULL, NULL};
    size_t n[NPERIOD] = {0, 0};
    int rc = gf_units_load(db, &u, e), in_tx = 0, sink_on = 0;
    if (rc)
        return rc;
    for (int p = 0; p < NPERIOD; p++)
        if ((rc = draw(&u, demo_period[p], &a[p], &n[p]))) {
            rc = gf_err_set(e, rc, "out of memory");
            goto out;
        }
    if (n[0] == 0) {
        rc = gf_err_set(e, GF_EUSER, "demo income: no villages (level 4) in the unit table");
        goto out;
    }
    if ((rc = gf_db_begin(db, e)))
        goto out;
    in_tx = 1;
    if ((rc = gf_income_sink_begin(&sink, db, &u, e)))
        goto out;
    sink_on = 1;
    for (int p = 0; p < NPERIOD; p++) {
        /* calibrate: x = 10000 + s·y with s per area so that the weighted mean hits the target
         * (households under the line keep their fixed x) */
        double sw[2] = {0, 0}, swy[2] = {0, 0}, sfix[2] = {0, 0};
        for (size_t k = 0; k < n[p]; k++) {
            const struct hh *h = &a[p][k];
            double w = h->weight * h->size;
            sw[h->urban] += w;
            if (h->fixed > 0)
                sfix[h->urban] += w * (h->fixed - 10000);
            else
                swy[h->urban] += w * h->y;
        }
        double target[2] = {target_rural[p], target_urban[p]}, s[2];
        for (int g = 0; g < 2; g++)
            s[g] = swy[g] > 0 ? ((target[g] - 10000) * sw[g] - sfix[g]) / swy[g] : 0;
        int pi = gf_income_sink_period(&sink, demo_period[p], strlen(demo_period[p]));
        if (pi < 0) {
            rc = gf_err_set(e, GF_ESYS, "demo income: period");
            goto out;
        }
        for (size_t k = 0; k < n[p] && rc == GF_OK; k++) {
            const struct hh *h = &a[p][k];
            double x = round((h->fixed > 0 ? h->fixed : 10000 + s[h->urban] * h->y) * 100) / 100;
            double cons = round(x * h->size * h->cons_rate * 100) / 100;
            double food = round(cons * h->food_rate * 100) / 100;
            char code[96];
            int len = snprintf(code, sizeof code, "SYN-%s-%03zu", u.unit[h->unit].code, k);
            if (len < 0 || len > 64)
                len = 64;
            rc = gf_income_sink_row(&sink, pi, h->unit, code, (size_t)len, h->urban, h->size, x,
                                    h->weight, food, cons, e);
        }
        if (rc)
            goto out;
    }
    struct gf_income_import_stats st;
    if ((rc = gf_income_sink_finish(&sink, "gongfu demo", demo_source, actor, &st, e)))
        goto out;
    gf_income_sink_release(&sink);
    sink_on = 0;
    in_tx = 0;
    if (st.unchanged)
        gf_db_rollback(db);
    else if ((rc = gf_db_commit(db, e)))
        goto out;
    for (int p = 0; p < NPERIOD && rc == GF_OK; p++) {
        struct gf_income_run run;
        struct gf_income_save_stats ss;
        if ((rc = gf_income_compute(db, demo_period[p], NULL, &run, e)))
            break;
        rc = gf_income_save(db, actor, &run, "synthetic demo sample", &ss, e);
        gf_income_run_free(&run);
    }
out:
    if (sink_on)
        gf_income_sink_release(&sink);
    if (in_tx)
        gf_db_rollback(db);
    for (int p = 0; p < NPERIOD; p++)
        free(a[p]);
    gf_units_free(&u);
    return rc;
}
