/* demo_values.c — synthetic indicator values for the demo data set (see demo.h).
 *
 * Each indicator of the demo framework has a calibration row below: where its values live
 * (villages or counties and the city), its shape (a level that grows by a factor, a share that
 * moves by points, or a count split over villages), a city path for 2019–2025, each county's
 * position relative to the city, and how much villages spread around their county.  The city
 * path is bent to pass through the real values already stored (published figures imported from
 * demo/values-published.csv), and a real county value fixes that county's level.  Indicators
 * the table does not know (an edited template) get a neutral share-like series.
 * Every random draw comes from a small SplitMix64 generator seeded by a hash of the unit and
 * indicator codes, so values are reproducible and independent of row order. */
#include "core/eval.h" /* gf_splitmix64 */
#include "domain/demo.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/period.h"
#include "domain/unit.h"

#define FIRST_YEAR 2019
#define NYEARS 7 /* 2019 … 2025 */
#define MID_YEAR 2022 /* villages' own trends pivot here */
#define NCOUNTY 5
#define SEED 0x67667a64656d6fULL /* "gfzdemo" */

static const char *const county_codes[NCOUNTY] = {"510402", "510403", "510411", "510421",
                                                  "510422"}; /* 东区 西区 仁和区 米易县 盐边县 */

enum where { W_VILLAGE_ALL, W_VILLAGE_URBAN, W_VILLAGE_RURAL, W_COUNTY_CITY, W_CITY };
enum shape {
    S_LEVEL, /* multiplicative: city path × county factor × village factor */
    S_PCT,   /* additive (shares, rates, indices): city path + county offset + village offset */
    S_COUNT, /* a city total split over villages by population × factors, integers */
};
enum quarterly { Q_NONE, Q_FLOW /* quarters sum to the year */, Q_STOCK /* Q4 = the year */ };

struct calib {
    const char *code;
    enum where where;
    enum shape shape;
    double path[NYEARS]; /* city level 2019…2025; all zero: base × trend^t or base + trend·t */
    double base, trend;
    double county[NCOUNTY]; /* factor (LEVEL, COUNT) or offset in points (PCT) */
    double adj_urban, adj_rural; /* village area: factor (0 = 1) or points */
    double spread; /* villages: log-sd or sd in points; counties: yearly noise */
    double hi;     /* upper clamp, 0 = none (the lower clamp is 0) */
    int decimals;
    int corr; /* +1 follows a village's overall prosperity, -1 against it, 0 independent */
    enum quarterly quarterly;
};

/* City paths.  Real published values (P1/P2/P3/P6/P10, imported from values-published.csv) are
 * applied at run time as anchors; the paths only fill the years between them.  The income
 * paths: 2019 = 2020 level / (1 + the published 2020 growth, P1: urban 5.6 %, rural 8.6 %);
 * 2021 between the published 2020 and 2022 levels; 2023 = 2022 level × (1 + the published 2023
 * growth, P3: urban 3.9 %, rural 6.9 %); 2024–2025 synthetic, heading for the urban-rural
 * ratio of about 1.97 reported for the first half of 2025 (P7, grade B-, not imported).  All
 * other numbers in this table are synthetic. */
static const struct calib calibs[] = {
    /* D1 reform */
    {"reform_tasks_done", W_COUNTY_CITY, S_PCT, {0}, 78, 4, {3, 1, -2, 0, -4}, 0, 0, 1.5, 100, 1, 0, Q_NONE},
    {"market_entities_per10k", W_COUNTY_CITY, S_LEVEL, {0}, 700, 1.07, {1.25, 1.05, 0.85, 0.95, 0.8}, 0, 0, 0.02, 0, 0, 0, Q_NONE},
    {"private_invest_share", W_COUNTY_CITY, S_PCT, {0}, 44, 1.2, {3, -2, 0, 2, -3}, 0, 0, 1, 100, 1, 0, Q_NONE},
    {"gov_online_rate", W_COUNTY_CITY, S_PCT, {0}, 72, 4.5, {3, 2, -1, 0, -2}, 0, 0, 1, 100, 1, 0, Q_NONE},
    /* D2 development */
    {"gdp", W_COUNTY_CITY, S_LEVEL, {1010, 1040.82, 1133, 1200, 1303.8, 1380, 1460}, 0, 0,
     {0.43, 0.12, 0.18, 0.15, 0.12}, 0, 0, 0.01, 0, 2, 0, Q_NONE},
    {"gdp_growth", W_COUNTY_CITY, S_PCT, {6.2, 3.9, 8.1, 2.6, 6.5, 5.6, 5.8}, 0, 0,
     {0.3, -0.5, 0.2, 0.4, -0.3}, 0, 0, 0.6, 0, 1, 0, Q_NONE},
    {"gdp_pc", W_COUNTY_CITY, S_LEVEL, {85000, 86500, 93406.1, 98700, 107000, 112500, 118500}, 0, 0,
     {1.32, 1.12, 0.82, 0.80, 0.88}, 0, 0, 0.01, 0, 0, 0, Q_NONE},
    {"industrialisation_rate", W_COUNTY_CITY, S_PCT, {0}, 50.5, -0.6, {8, 12, -5, -12, 2}, 0, 0, 0.5, 100, 1, 0, Q_NONE},
    {"urbanisation_rate", W_COUNTY_CITY, S_PCT, {0}, 68.5, 0.55, {29, 25, -12, -26, -20}, 0, 0, 0.2, 100, 2, 0, Q_NONE},
    {"budget_revenue", W_COUNTY_CITY, S_LEVEL, {0}, 63, 1.08, {0.30, 0.10, 0.16, 0.12, 0.12}, 0, 0, 0.02, 0, 2, 0, Q_NONE},
    {"retail_sales", W_COUNTY_CITY, S_LEVEL, {0}, 262, 1.05, {0.45, 0.12, 0.18, 0.14, 0.11}, 0, 0, 0.02, 0, 2, 0, Q_NONE},
    {"tertiary_share", W_COUNTY_CITY, S_PCT, {0}, 36.4, 0.6, {8, 0, -2, 0.4, -5}, 0, 0, 0.4, 100, 1, 0, Q_NONE},
    /* D3 regional */
    {"income_range_ratio", W_COUNTY_CITY, S_LEVEL, {0}, 1.75, 0.985, {0.72, 0.75, 0.9, 0.95, 1.0}, 0, 0, 0.01, 0, 2, 0, Q_NONE},
    {"road_density", W_COUNTY_CITY, S_LEVEL, {0}, 92, 1.025, {1.6, 1.4, 1.0, 0.8, 0.7}, 0, 0, 0.01, 0, 1, 0, Q_NONE},
    {"forest_coverage", W_COUNTY_CITY, S_PCT, {0}, 61.2, 0.25, {-25, -20, 2, 5, 8}, 0, 0, 0.1, 100, 1, 0, Q_NONE},
    {"transit_coverage", W_COUNTY_CITY, S_PCT, {0}, 90, 2, {10, 10, 0, -2, -5}, 0, 0, 0.5, 100, 1, 0, Q_NONE},
    /* D4 rural */
    {"income_rural", W_COUNTY_CITY, S_LEVEL, {18359, 19938, 21700, 23297, 24905, 26750, 28700}, 0, 0,
     {1.15, 1.10, 1.02, 1.05, 0.90}, 0, 0, 0.008, 0, 0, 0, Q_NONE},
    {"collective_income_village", W_VILLAGE_ALL, S_LEVEL, {0}, 8.0, 1.16, {1.3, 1.1, 1.0, 1.05, 0.8}, 0.6, 0,
     0.6, 0, 1, 1, Q_FLOW},
    /* households under the 10 000 yuan line: taken from the demo household registry when it is
     * already in the database (see count_matrix); otherwise this path, which follows the same
     * story (none left under the line in 2023, a few falling back in 2024–2025) */
    {"lowincome_households", W_VILLAGE_ALL, S_COUNT, {5200, 4100, 3180, 1717, 0, 82, 124}, 0, 0,
     {0.5, 0.6, 1.2, 1.1, 1.4}, 0.35, 1.4, 0.5, 0, 0, -1, Q_STOCK},
    {"lowincome_paired_rate", W_VILLAGE_ALL, S_PCT, {0}, 82, 3.2, {2, 1, 0, -1, -2}, 0, 0, 4, 100, 1, 1, Q_STOCK},
    {"rural_tap_water", W_COUNTY_CITY, S_PCT, {0}, 86, 1.6, {9, 8, 0, 1, -3}, 0, 0, 0.5, 100, 1, 0, Q_NONE},
    /* D5 income.  Urban and rural incomes come from the household survey at county and city
     * level; villages report income_pc, which follows the urban series in communities and the
     * rural one in villages (see gen_villages). */
    {"income_pc", W_VILLAGE_ALL, S_LEVEL, {0}, 0, 0, {0}, 0, 0, 0.11, 0, 0, 1, Q_NONE},
    {"income_urban", W_COUNTY_CITY, S_LEVEL, {41865, 44209, 47600, 50214, 52172, 54300, 56500}, 0, 0,
     {1.08, 1.00, 0.95, 0.92, 0.90}, 0, 0, 0.008, 0, 0, 0, Q_NONE},
    {"gini", W_COUNTY_CITY, S_PCT, {0}, 0.385, -0.004, {-0.02, -0.015, 0.005, 0.01, 0.02}, 0, 0, 0.004, 1, 3, 0, Q_NONE},
    {"middle_income_share", W_VILLAGE_ALL, S_PCT, {0}, 44, 2.0, {3, 2, -1, -1, -3}, 6, -14, 5, 100, 1, 1, Q_NONE},
    {"middle_income_share_20_60", W_VILLAGE_ALL, S_PCT, {0}, 14, 1.2, {2, 1, -1, -1, -2}, 4, -9, 3, 100, 1, 1, Q_NONE},
    {"engel", W_COUNTY_CITY, S_PCT, {0}, 32, -0.5, {-2, -1, 1, 0.5, 2}, 0, 0, 0.3, 100, 1, 0, Q_NONE},
    {"labour_share", W_COUNTY_CITY, S_PCT, {0}, 43, 0.6, {1, -1, 0, -0.5, -1}, 0, 0, 0.4, 100, 1, 0, Q_NONE},
    /* D6 services */
    {"higher_ed_enrolment", W_COUNTY_CITY, S_PCT, {0}, 50, 2.0, {4, 2, -2, -1, -3}, 0, 0, 0.5, 100, 1, 0, Q_NONE},
    {"skilled_worker_share", W_COUNTY_CITY, S_PCT, {0}, 23, 1.1, {3, 4, -2, -3, -2}, 0, 0, 0.4, 100, 1, 0, Q_NONE},
    {"preschool_inclusive_rate", W_COUNTY_CITY, S_PCT, {0}, 83, 1.6, {3, 2, -1, 0, -3}, 0, 0, 0.5, 100, 1, 0, Q_NONE},
    {"life_expectancy", W_COUNTY_CITY, S_PCT, {0}, 78.0, 0.2, {0.6, 0.2, -0.3, 0.1, -0.6}, 0, 0, 0.1, 0, 2, 0, Q_NONE},
    {"doctors_per_1000", W_COUNTY_CITY, S_LEVEL, {0}, 3.0, 1.03, {1.25, 1.1, 0.85, 0.9, 0.8}, 0, 0, 0.02, 0, 2, 0, Q_NONE},
    {"elderly_care_beds", W_COUNTY_CITY, S_LEVEL, {0}, 31, 1.04, {0.95, 1.0, 1.05, 1.1, 0.9}, 0, 0, 0.02, 0, 1, 0, Q_NONE},
    /* D7 culture */
    {"culture_venue_area", W_COUNTY_CITY, S_LEVEL, {0}, 1150, 1.05, {1.2, 1.1, 0.9, 0.95, 0.8}, 0, 0, 0.02, 0, 0, 0, Q_NONE},
    {"civilised_village_rate", W_COUNTY_CITY, S_PCT, {0}, 52, 3, {8, 5, -3, 0, -6}, 0, 0, 1, 100, 1, 0, Q_NONE},
    {"reading_rate", W_COUNTY_CITY, S_PCT, {0}, 79, 1, {3, 2, -1, -1, -2}, 0, 0, 0.5, 100, 1, 0, Q_NONE},
    /* D8 governance */
    {"safety_satisfaction", W_VILLAGE_ALL, S_PCT, {0}, 95.2, 0.4, {0.5, 0.3, 0, 0.2, -0.4}, 0, 0, 1.2, 100, 2, 0, Q_NONE},
    {"grid_coverage", W_VILLAGE_ALL, S_PCT, {0}, 88, 2.2, {4, 3, -1, 0, -3}, 0, 0, 4, 100, 1, 1, Q_NONE},
    {"disputes_resolved_rate", W_VILLAGE_ALL, S_PCT, {0}, 95, 0.5, {0.5, 0.3, -0.2, 0, -0.5}, 0, 0, 1.5, 100, 1, 0, Q_NONE},
    /* the village governance index (治村指数): villages only; the counties' offsets make the
     * village race differ from the county one */
    {"party_org_stars", W_VILLAGE_ALL, S_PCT, {0}, 3.2, 0.15, {0.3, 0.2, -0.1, 0.1, -0.3}, 0, 0, 0.6, 5, 1, 1, Q_NONE},
    {"party_volunteer_rate", W_VILLAGE_ALL, S_PCT, {0}, 72, 2.5, {4, 2, -2, 1, -4}, 0, 0, 8, 100, 1, 1, Q_NONE},
    {"collective_total_income", W_VILLAGE_ALL, S_LEVEL, {0}, 14, 1.14, {1.3, 1.1, 1.0, 1.05, 0.8}, 0.6, 0, 0.6, 0, 1, 1, Q_NONE},
    {"collective_income_growth", W_VILLAGE_ALL, S_PCT, {0}, 9, 0.5, {2, 1, 0, 1, -2}, 0, 0, 6, 0, 1, 0, Q_NONE},
    {"errands_per_100hh", W_VILLAGE_ALL, S_LEVEL, {0}, 35, 1.08, {1.2, 1.1, 0.95, 1.0, 0.85}, 1.2, 0, 0.35, 0, 0, 1, Q_NONE},
    {"service_satisfaction", W_VILLAGE_ALL, S_PCT, {0}, 90, 0.8, {1.5, 1, -0.5, 0.5, -1.5}, 0, 0, 3, 100, 1, 1, Q_NONE},
    {"lowincome_visit_rate", W_VILLAGE_ALL, S_PCT, {0}, 80, 3, {3, 2, -1, 1, -3}, 0, 0, 8, 100, 1, 1, Q_NONE},
    {"problems_closed_rate", W_VILLAGE_ALL, S_PCT, {0}, 82, 2.5, {3, 1, -1, 2, -3}, 0, 0, 7, 100, 1, 0, Q_NONE},
    {"petitions_per_10k", W_COUNTY_CITY, S_LEVEL, {0}, 13, 0.94, {1.1, 1.2, 0.9, 0.85, 0.95}, 0, 0, 0.03, 0, 1, 0, Q_NONE},
};

/* Indicators the table does not know: a neutral share-like series. */
static const struct calib generic_village = {NULL, W_VILLAGE_ALL, S_PCT, {0}, 50, 1, {0}, 0, 0, 5, 100, 1, 1, Q_NONE};
static const struct calib generic_county = {NULL, W_COUNTY_CITY, S_PCT, {0}, 50, 1, {0}, 0, 0, 2, 100, 1, 0, Q_NONE};

/* Values left out on purpose so that imputation has work to do.  The rollup computes a parent
 * only when every child has a value, so a missing village value also leaves its township, its
 * county and the city without that indicator in that period. */
static const struct {
    const char *unit, *indicator;
    int year;
} forced_missing[] = {
    {"510422010003", "lowincome_paired_rate", 2025},
    {"510411005002", "safety_satisfaction", 2024},
    {"510422", "reading_rate", 2025},
    {"510403", "elderly_care_beds", 2024},
    {"510411", "gini", 2025},
};

/* ---- deterministic randomness ---------------------------------------------------------- */

struct rng {
    uint64_t s;
};

static uint64_t hash_str(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    h ^= 0xff; /* separator, so ("ab","c") differs from ("a","bc") */
    return h * 1099511628211ULL;
}

static struct rng rng_for(const char *a, const char *b, int n)
{
    uint64_t h = hash_str(14695981039346656037ULL ^ SEED, a);
    if (b)
        h = hash_str(h, b);
    h ^= (uint64_t)(unsigned)n * 0x9E3779B97F4A7C15ULL;
    return (struct rng){h};
}

static uint64_t rng_next(struct rng *r) /* SplitMix64 */
{
    return gf_splitmix64(&r->s);
}

static double rng_unif(struct rng *r) /* (0, 1) */
{
    return ((double)(rng_next(r) >> 11) + 0.5) * 0x1.0p-53;
}

static double rng_gauss(struct rng *r)
{
    double u1 = rng_unif(r), u2 = rng_unif(r);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* ---- helpers --------------------------------------------------------------------------- */

static double round_to(double x, int decimals)
{
    double p = pow(10.0, decimals);
    return round(x * p) / p;
}

static double clamp(const struct calib *c, double x)
{
    if (x < 0)
        x = 0;
    if (c->hi > 0 && x > c->hi)
        x = c->hi;
    return x;
}

static int is_missing(const char *unit, const char *indicator, int year)
{
    for (size_t i = 0; i < sizeof forced_missing / sizeof forced_missing[0]; i++)
        if (forced_missing[i].year == year && !strcmp(forced_missing[i].unit, unit) &&
            !strcmp(forced_missing[i].indicator, indicator))
            return 1;
    return 0;
}

static const struct calib *calib_find(const char *code)
{
    for (size_t i = 0; i < sizeof calibs / sizeof calibs[0]; i++)
        if (!strcmp(calibs[i].code, code))
            return &calibs[i];
    return NULL;
}

static int county_slot(const char *code)
{
    for (int i = 0; i < NCOUNTY; i++)
        if (!strcmp(county_codes[i], code))
            return i;
    return -1;
}

/* The city path of c, before anchoring. */
static double path_at(const struct calib *c, int t)
{
    if (c->path[0] != 0)
        return c->path[t];
    if (c->shape == S_PCT)
        return c->base + c->trend * t;
    return c->base * pow(c->trend, t);
}

/* ---- the generator --------------------------------------------------------------------- */

struct gen {
    struct gf_db *db;
    struct gf_units u;
    int root;
    int *county;   /* per unit: index of its county-level ancestor (or itself), -1 */
    int *slot;     /* per unit: calibration slot of its county, -1 */
    double *stat;  /* per unit: the indicator's static village factor / offset */
    double *delta; /* per unit: the village's own trend */
    double *latent;/* per unit: overall prosperity, shared by all indicators */
    double *cnt;   /* per unit × year: integer counts of an S_COUNT indicator, NAN = none */
    double *frac;  /* per unit: scratch for rounding */
    struct gf_stmt *ins, *anchors;
    const char *actor;
    char now[32];
    long rows;
};

static int emit(struct gen *g, const char *unit, const char *ind, const char *period, double v,
                struct gf_err *e)
{
    if (!isfinite(v))
        return gf_err_set(e, GF_ESYS, "demo: non-finite synthetic value for %s %s %s", unit, ind,
                          period);
    gf_stmt_reset(g->ins);
    gf_stmt_bind_text(g->ins, 1, unit);
    gf_stmt_bind_text(g->ins, 2, ind);
    gf_stmt_bind_text(g->ins, 3, period);
    gf_stmt_bind_double(g->ins, 4, v);
    gf_stmt_bind_text(g->ins, 5, g->actor);
    gf_stmt_bind_text(g->ins, 6, g->now);
    int rc = gf_stmt_step(g->ins, e);
    if (rc < 0)
        return rc;
    g->rows++;
    return GF_OK;
}

/* Real values of ind at the root and at the counties (years only).  city[t] is NAN when
 * absent; cfirst[k]/cyear[k] hold a county's first real value. */
static int load_anchors(struct gen *g, const char *ind, double city[NYEARS],
                        double cfirst[NCOUNTY], int cyear[NCOUNTY], struct gf_err *e)
{
    for (int t = 0; t < NYEARS; t++)
        city[t] = NAN;
    for (int k = 0; k < NCOUNTY; k++)
        cfirst[k] = NAN, cyear[k] = 0;
    gf_stmt_reset(g->anchors);
    gf_stmt_bind_text(g->anchors, 1, ind);
    int rc;
    while ((rc = gf_stmt_step(g->anchors, e)) == 1) {
        const char *unit = gf_stmt_text(g->anchors, 0);
        int year = atoi(gf_stmt_text(g->anchors, 1));
        double v = gf_stmt_double(g->anchors, 2);
        int t = year - FIRST_YEAR;
        if (!unit || t < 0 || t >= NYEARS || !isfinite(v))
            continue;
        int i = gf_units_find(&g->u, unit);
        if (i == g->root)
            city[t] = v;
        else if (i >= 0 && g->slot[i] >= 0 && g->u.unit[i].level == GF_LEVEL_COUNTY) {
            int k = g->slot[i];
            if (!cyear[k] || year < cyear[k])
                cfirst[k] = v, cyear[k] = year;
        }
    }
    return rc < 0 ? rc : GF_OK;
}

/* The city series: the path bent through the anchors (log-ratio or difference interpolated
 * linearly between anchors, held constant outside them). */
static void city_series(const struct calib *c, const double anchor[NYEARS], double s[NYEARS])
{
    double adj[NYEARS];
    int have[NYEARS], any = 0;
    for (int t = 0; t < NYEARS; t++) {
        s[t] = path_at(c, t);
        have[t] = isfinite(anchor[t]) && (c->shape == S_PCT || (anchor[t] > 0 && s[t] > 0));
        if (have[t]) {
            adj[t] = c->shape == S_PCT ? anchor[t] - s[t] : log(anchor[t] / s[t]);
            any = 1;
        }
    }
    if (!any)
        return;
    for (int t = 0; t < NYEARS; t++) {
        if (have[t])
            continue;
        int lo = -1, hi = -1;
        for (int k = t - 1; k >= 0; k--)
            if (have[k]) {
                lo = k;
                break;
            }
        for (int k = t + 1; k < NYEARS; k++)
            if (have[k]) {
                hi = k;
                break;
            }
        if (lo >= 0 && hi >= 0)
            adj[t] = adj[lo] + (adj[hi] - adj[lo]) * (t - lo) / (double)(hi - lo);
        else
            adj[t] = adj[lo >= 0 ? lo : hi];
    }
    for (int t = 0; t < NYEARS; t++)
        s[t] = c->shape == S_PCT ? s[t] + adj[t] : s[t] * exp(adj[t]);
}

static int wants_village(const struct calib *c, const struct gf_unit *v)
{
    if (v->level != GF_LEVEL_VILLAGE)
        return 0;
    if (c->where == W_VILLAGE_URBAN)
        return v->urban;
    if (c->where == W_VILLAGE_RURAL)
        return !v->urban;
    return c->where == W_VILLAGE_ALL;
}

/* Static part of one village for one indicator, and its own trend. */
static void village_draw(struct gen *g, const struct calib *c, const char *ind, int i)
{
    const struct gf_unit *v = &g->u.unit[i];
    struct rng r = rng_for(v->code, ind, 0);
    double z = 0.6 * c->corr * g->latent[i] + 0.8 * rng_gauss(&r);
    double adj = v->urban ? c->adj_urban : c->adj_rural;
    int k = g->slot[i];
    double lag = g->latent[i] < -1.3 ? 1.0 : 0.0; /* about one village in ten lags */
    if (c->shape == S_PCT) {
        g->stat[i] = (k >= 0 ? c->county[k] : 0) + adj + c->spread * z;
        g->delta[i] = 0.08 * c->spread * rng_gauss(&r) - lag * c->corr * 0.15 * c->spread;
    } else {
        g->stat[i] = (k >= 0 ? c->county[k] : 1) * (adj > 0 ? adj : 1) * exp(c->spread * z);
        double sd = c->shape == S_COUNT ? 0.05 : 0.012;
        g->delta[i] = sd * rng_gauss(&r) - lag * c->corr * (c->shape == S_COUNT ? 0.06 : 0.018);
    }
}

/* A village value for year index t (before rounding); K is the normaliser. */
static double village_value(struct gen *g, const struct calib *c, const char *ind, int i,
                            const double s[NYEARS], double K, int t)
{
    struct rng r = rng_for(g->u.unit[i].code, ind, FIRST_YEAR + t);
    double eps = rng_gauss(&r);
    double dt = FIRST_YEAR + t - MID_YEAR;
    double x;
    if (c->shape == S_PCT)
        x = s[t] + g->stat[i] - K + g->delta[i] * dt + 0.1 * c->spread * eps;
    else if (c->shape == S_COUNT)
        x = s[t] * g->stat[i] / K * pow(1 + g->delta[i], dt) * (1 + 0.05 * eps);
    else
        x = s[t] * g->stat[i] / K * pow(1 + g->delta[i], dt) * (1 + 0.01 * eps);
    return clamp(c, x);
}

static void period_code(char *buf, size_t n, int year, int quarter)
{
    if (quarter)
        snprintf(buf, n, "%04dQ%d", year, quarter);
    else
        snprintf(buf, n, "%04d", year);
}

/* Draw the static part of every village that reports c and return the normaliser K: the
 * population-weighted mean of the static parts (LEVEL, PCT) or their weighted total (COUNT),
 * so that the rollup to the city lands on the city series. */
static double village_normaliser(struct gen *g, const struct calib *c, const char *ind)
{
    const struct gf_units *u = &g->u;
    double wsum = 0, sum = 0;
    for (int i = 0; i < u->n; i++) {
        if (!gf_units_within(u, i, g->root) || !wants_village(c, &u->unit[i]))
            continue;
        village_draw(g, c, ind, i);
        double w = u->unit[i].population > 0 ? (double)u->unit[i].population : 1.0;
        if (c->shape == S_COUNT) {
            g->stat[i] *= w; /* a village's share of the total */
            sum += g->stat[i];
        } else {
            sum += w * g->stat[i];
        }
        wsum += w;
    }
    double k = c->shape == S_COUNT ? sum : (wsum > 0 ? sum / wsum : 0);
    if (c->shape != S_PCT && !(k > 0))
        k = 1;
    return k;
}

/* Households under the 10 000 yuan line per village and year from the demo household
 * registry (tables household, hh_income), into g->cnt.  Years the registry covers get a count
 * for every reporting village (0 when none is under the line); earlier years grow back from the
 * first covered one, later years keep the last.  Returns the number of covered years (0: no
 * registry, the caller uses the synthetic path). */
static int registry_counts(struct gen *g, const struct calib *c)
{
    const struct gf_units *u = &g->u;
    struct gf_stmt *st;
    if (gf_db_prepare(g->db,
                      "SELECT h.unit, i.period, sum(CASE WHEN i.per_capita < 10000 THEN 1 ELSE 0 END) FROM hh_income i"
                      " JOIN household h ON h.code = i.household WHERE length(i.period) = 4"
                      " GROUP BY h.unit, i.period",
                      &st, NULL))
        return 0; /* no registry tables */
    int covered[NYEARS] = {0};
    while (gf_stmt_step(st, NULL) == 1) {
        const char *unit = gf_stmt_text(st, 0), *per = gf_stmt_text(st, 1);
        int t = per ? atoi(per) - FIRST_YEAR : -1;
        int i = unit ? gf_units_find(u, unit) : -1;
        if (t < 0 || t >= NYEARS || i < 0 || !wants_village(c, &u->unit[i]))
            continue;
        if (!covered[t]) { /* first row of this year: every reporting village starts at 0 */
            covered[t] = 1;
            for (int k = 0; k < u->n; k++)
                if (gf_units_within(u, k, g->root) && wants_village(c, &u->unit[k]))
                    g->cnt[(size_t)k * NYEARS + (size_t)t] = 0;
        }
        g->cnt[(size_t)i * NYEARS + (size_t)t] = (double)gf_stmt_int(st, 2);
    }
    gf_stmt_finalize(st);
    int first = -1, last = -1, n = 0;
    for (int t = 0; t < NYEARS; t++)
        if (covered[t]) {
            if (first < 0)
                first = t;
            last = t, n++;
        }
    if (!n)
        return 0;
    for (int k = 0; k < u->n; k++) {
        double *row = &g->cnt[(size_t)k * NYEARS];
        if (isnan(row[first]))
            continue;
        for (int t = 0; t < first; t++) /* about 28 % more a year before the registry began */
            row[t] = round(row[first] * pow(1.28, first - t));
        for (int t = first + 1; t < NYEARS; t++)
            if (!covered[t])
                row[t] = t > last ? row[last] : row[t - 1];
    }
    return n;
}

/* g->cnt for an S_COUNT indicator: from the registry (lowincome_households) or the city path
 * split over the villages so that every year's total is exactly the path (largest remainders). */
static void count_matrix(struct gen *g, const struct calib *c, const char *ind,
                         const double s[NYEARS], double K)
{
    const struct gf_units *u = &g->u;
    for (size_t k = 0; k < (size_t)u->n * NYEARS; k++)
        g->cnt[k] = NAN;
    if (!strcmp(ind, "lowincome_households") && registry_counts(g, c) > 0)
        return;
    for (int t = 0; t < NYEARS; t++) {
        double total = round(s[t]), sum = 0, acc = 0;
        for (int i = 0; i < u->n; i++)
            if (gf_units_within(u, i, g->root) && wants_village(c, &u->unit[i]))
                sum += (g->frac[i] = village_value(g, c, ind, i, s, K, t));
        for (int i = 0; i < u->n; i++) {
            if (!gf_units_within(u, i, g->root) || !wants_village(c, &u->unit[i]))
                continue;
            double x = sum > 0 ? g->frac[i] * total / sum : 0;
            g->cnt[(size_t)i * NYEARS + (size_t)t] = floor(x);
            g->frac[i] = x - floor(x);
            acc += floor(x);
        }
        for (double r = total - acc; r > 0.5; r--) { /* hand out the remainder */
            int best = -1;
            for (int i = 0; i < u->n; i++)
                if (!isnan(g->cnt[(size_t)i * NYEARS + (size_t)t]) &&
                    (best < 0 || g->frac[i] > g->frac[best]))
                    best = i;
            if (best < 0)
                break;
            g->cnt[(size_t)best * NYEARS + (size_t)t] += 1;
            g->frac[best] = -1;
        }
    }
}

/* Values at villages (the rollup computes every level above).  income_pc is special: a
 * community's income follows the urban income series, a village's the rural one, each with
 * its county's factor, so the city rollup of income_pc is the population blend of the two. */
static int gen_villages(struct gen *g, const struct calib *c, const char *ind,
                        const double s[NYEARS], struct gf_err *e)
{
    const struct gf_units *u = &g->u;
    struct calib split[2]; /* [0] urban communities, [1] rural villages */
    double ss[2][NYEARS], K[2];
    int by_area = !strcmp(ind, "income_pc") && calib_find("income_urban") &&
                  calib_find("income_rural");
    if (by_area) {
        static const char *const src[2] = {"income_urban", "income_rural"};
        for (int a = 0; a < 2; a++) {
            split[a] = *calib_find(src[a]);
            split[a].where = a ? W_VILLAGE_RURAL : W_VILLAGE_URBAN;
            split[a].spread = c->spread;
            split[a].corr = c->corr;
            split[a].quarterly = Q_NONE;
            split[a].decimals = c->decimals;
            double anc[NYEARS], cfirst[NCOUNTY];
            int cyear[NCOUNTY];
            int rc = load_anchors(g, src[a], anc, cfirst, cyear, e);
            if (rc)
                return rc;
            city_series(&split[a], anc, ss[a]);
            K[a] = village_normaliser(g, &split[a], ind);
        }
    } else {
        split[0] = *c;
        memcpy(ss[0], s, sizeof ss[0]);
        K[0] = village_normaliser(g, c, ind);
    }
    if (c->shape == S_COUNT)
        count_matrix(g, &split[0], ind, ss[0], K[0]);
    char per[16];
    for (int i = 0; i < u->n; i++) {
        const struct gf_unit *v = &u->unit[i];
        int a = by_area && !v->urban;
        const struct calib *cc = &split[a];
        if (!gf_units_within(u, i, g->root) || !wants_village(cc, v))
            continue;
        for (int t = 0; t < NYEARS; t++) {
            int year = FIRST_YEAR + t;
            if (is_missing(v->code, ind, year))
                continue;
            double x = cc->shape == S_COUNT
                           ? g->cnt[(size_t)i * NYEARS + (size_t)t]
                           : round_to(village_value(g, cc, ind, i, ss[a], K[a], t), cc->decimals);
            if (isnan(x)) /* not covered */
                continue;
            period_code(per, sizeof per, year, 0);
            int rc = emit(g, v->code, ind, per, x, e);
            if (rc)
                return rc;
            if (cc->quarterly == Q_NONE || year < 2024)
                continue;
            struct rng r = rng_for(v->code, ind, 5000 + year);
            double q[4];
            if (cc->quarterly == Q_FLOW) { /* quarters sum exactly to the year */
                static const double share[4] = {0.14, 0.22, 0.24, 0.40};
                double acc = 0;
                for (int k = 0; k < 3; k++) {
                    q[k] = round_to(x * share[k] * (1 + 0.1 * rng_gauss(&r)), cc->decimals);
                    if (q[k] < 0)
                        q[k] = 0;
                    acc += q[k];
                }
                q[3] = round_to(x - acc, cc->decimals);
            } else { /* a stock: quarters move from last year's value to this year's */
                double prev =
                    cc->shape == S_COUNT
                        ? g->cnt[(size_t)i * NYEARS + (size_t)(t - 1)]
                        : round_to(village_value(g, cc, ind, i, ss[a], K[a], t - 1), cc->decimals);
                if (isnan(prev))
                    prev = x;
                for (int k = 0; k < 3; k++) {
                    double y = clamp(cc, prev + (x - prev) * (k + 1) / 4.0);
                    /* counts step towards the year-end value, never past it */
                    q[k] = cc->shape != S_COUNT ? round_to(y, cc->decimals)
                                                : (x > prev ? floor(y) : ceil(y));
                }
                q[3] = x;
            }
            for (int k = 0; k < 4; k++) {
                period_code(per, sizeof per, year, k + 1);
                if ((rc = emit(g, v->code, ind, per, q[k], e)))
                    return rc;
            }
        }
    }
    return GF_OK;
}

static int gen_counties(struct gen *g, const struct calib *c, const char *ind,
                        const double s[NYEARS], const double cfirst[NCOUNTY],
                        const int cyear[NCOUNTY], struct gf_err *e)
{
    const struct gf_units *u = &g->u;
    char per[16];
    for (int i = 0; i < u->n; i++) {
        const struct gf_unit *v = &u->unit[i];
        int is_city = i == g->root;
        if (!is_city && (c->where == W_CITY || v->level != GF_LEVEL_COUNTY ||
                         !gf_units_within(u, i, g->root)))
            continue;
        int k = g->slot[i];
        double f = c->shape == S_PCT ? (k >= 0 ? c->county[k] : 0) : (k >= 0 ? c->county[k] : 1);
        if (k >= 0 && cyear[k]) { /* a real county value sets the county's level */
            int t0 = cyear[k] - FIRST_YEAR;
            f = c->shape == S_PCT ? cfirst[k] - s[t0] : (s[t0] > 0 ? cfirst[k] / s[t0] : f);
        }
        for (int t = 0; t < NYEARS; t++) {
            int year = FIRST_YEAR + t;
            if (is_missing(v->code, ind, year))
                continue;
            double x = s[t];
            if (!is_city) {
                struct rng r = rng_for(v->code, ind, FIRST_YEAR + t);
                double eps = rng_gauss(&r);
                x = c->shape == S_PCT ? x + f + c->spread * eps : x * f * (1 + c->spread * eps);
            }
            x = round_to(clamp(c, x), c->decimals);
            period_code(per, sizeof per, year, 0);
            int rc = emit(g, v->code, ind, per, x, e);
            if (rc)
                return rc;
        }
    }
    return GF_OK;
}

int gf_demo_synthetic_values(struct gf_db *db, const char *actor, struct gf_err *e)
{
    struct gen g;
    memset(&g, 0, sizeof g);
    g.db = db;
    g.actor = actor ? actor : "demo";
    gf_now(g.now);
    char **codes = NULL, **aggs = NULL;
    int nind = 0, cap = 0, rc, began = 0;

    if ((rc = gf_units_load(db, &g.u, e)))
        return rc;
    g.root = gf_units_find(&g.u, "510400");
    for (int i = 0; g.root < 0 && i < g.u.n; i++)
        if (g.u.unit[i].parent < 0)
            g.root = i;
    if (g.root < 0) {
        rc = gf_err_set(e, GF_EUSER, "demo: no units: import demo/units.csv first");
        goto out;
    }
    size_t n = (size_t)g.u.n;
    g.county = malloc(n * sizeof *g.county);
    g.slot = malloc(n * sizeof *g.slot);
    g.stat = calloc(n, sizeof *g.stat);
    g.delta = calloc(n, sizeof *g.delta);
    g.latent = malloc(n * sizeof *g.latent);
    g.cnt = malloc(n * NYEARS * sizeof *g.cnt);
    g.frac = calloc(n, sizeof *g.frac);
    if (!g.county || !g.slot || !g.stat || !g.delta || !g.latent || !g.cnt || !g.frac) {
        rc = gf_err_set(e, GF_ENOMEM, "demo: out of memory");
        goto out;
    }
    for (int i = 0; i < g.u.n; i++) { /* depth-first order: parents come first */
        int p = g.u.unit[i].parent;
        g.county[i] = g.u.unit[i].level == GF_LEVEL_COUNTY ? i : (p >= 0 ? g.county[p] : -1);
        g.slot[i] = g.county[i] >= 0 ? county_slot(g.u.unit[g.county[i]].code) : -1;
        struct rng r = rng_for(g.u.unit[i].code, NULL, 0);
        g.latent[i] = rng_gauss(&r);
    }

    /* the framework's indicators */
    struct gf_stmt *st = NULL;
    if ((rc = gf_db_prepare(db,
                            "SELECT i.code, i.agg_units, coalesce(i.formula, '') FROM framework_node n"
                            " JOIN indicator i ON i.code = n.code WHERE n.framework IN (?, ?)"
                            " AND n.kind = 'indicator' GROUP BY i.code"
                            " ORDER BY min(CASE WHEN n.framework <> ? THEN 1 ELSE 0 END), min(n.position), i.code",
                            &st, e)))
        goto out;
    gf_stmt_bind_text(st, 1, GF_DEMO_FRAMEWORK);
    gf_stmt_bind_text(st, 2, GF_DEMO_VILLAGE_FRAMEWORK);
    gf_stmt_bind_text(st, 3, GF_DEMO_FRAMEWORK);
    while ((rc = gf_stmt_step(st, e)) == 1) {
        if (gf_stmt_text(st, 2)[0]) /* derived by its formula */
            continue;
        if (nind == cap) {
            cap = cap ? 2 * cap : 64;
            char **a = realloc(codes, (size_t)cap * sizeof *a);
            char **b = a ? realloc(aggs, (size_t)cap * sizeof *b) : NULL;
            if (a)
                codes = a;
            if (b)
                aggs = b;
            if (!a || !b) {
                gf_stmt_finalize(st);
                rc = gf_err_set(e, GF_ENOMEM, "demo: out of memory");
                goto out;
            }
        }
        codes[nind] = strdup(gf_stmt_text(st, 0));
        aggs[nind] = strdup(gf_stmt_text(st, 1));
        nind++;
        if (!codes[nind - 1] || !aggs[nind - 1]) {
            gf_stmt_finalize(st);
            rc = gf_err_set(e, GF_ENOMEM, "demo: out of memory");
            goto out;
        }
    }
    gf_stmt_finalize(st);
    if (rc < 0)
        goto out;
    if (nind == 0) {
        rc = gf_err_set(e, GF_EUSER,
                        "demo: framework %s has no indicators: import demo/framework-panzhihua.csv "
                        "first",
                        GF_DEMO_FRAMEWORK);
        goto out;
    }

    if ((rc = gf_db_begin(db, e)))
        goto out;
    began = 1;
    char per[16];
    for (int y = FIRST_YEAR; y < FIRST_YEAR + NYEARS; y++)
        for (int q = 0; q <= (y >= 2024 ? 4 : 0); q++) {
            period_code(per, sizeof per, y, q);
            if ((rc = gf_period_ensure(db, per, e)))
                goto out;
        }
    long before = (long)gf_db_int(db, "SELECT count(*) FROM value WHERE source = 'synthetic'", 0);
    if ((rc = gf_db_prepare(db,
                            "INSERT INTO value (unit, indicator, period, value, origin, source, state,"
                            " updated_by, updated_at) VALUES (?, ?, ?, ?, 'reported', 'synthetic',"
                            " 'approved', ?, ?) ON CONFLICT (unit, indicator, period) DO NOTHING",
                            &g.ins, e)) ||
        (rc = gf_db_prepare(db,
                            "SELECT unit, period, value FROM value WHERE indicator = ?"
                            " AND length(period) = 4 AND coalesce(source, '') <> 'synthetic'",
                            &g.anchors, e)))
        goto out;
    gf_db_bulk(db, 1);
    for (int j = 0; j < nind; j++) {
        const char *ind = codes[j];
        const struct calib *c = calib_find(ind);
        int rolls = strcmp(aggs[j], "none") != 0;
        if (!c)
            c = rolls ? &generic_village : &generic_county;
        double anchor[NYEARS], cfirst[NCOUNTY], s[NYEARS];
        int cyear[NCOUNTY];
        if ((rc = load_anchors(&g, ind, anchor, cfirst, cyear, e)))
            goto out;
        city_series(c, anchor, s);
        if (c->where <= W_VILLAGE_RURAL)
            rc = gen_villages(&g, c, ind, s, e);
        else
            rc = gen_counties(&g, c, ind, s, cfirst, cyear, e);
        if (rc)
            goto out;
    }
    long after = (long)gf_db_int(db, "SELECT count(*) FROM value WHERE source = 'synthetic'", 0);
    char a[32], b[32], w[32];
    snprintf(a, sizeof a, "%ld", after - before);
    snprintf(b, sizeof b, "%ld", g.rows - (after - before));
    snprintf(w, sizeof w, "%d", nind);
    char *json = gf_json_obj("inserted", a, "kept_existing", b, "indicators", w, "source",
                             "synthetic", NULL);
    if (!json) {
        rc = gf_err_set(e, GF_ENOMEM, "demo: out of memory");
        goto out;
    }
    rc = gf_audit(db, g.actor, "generate", "value", "demo:synthetic", NULL, json, e);
    free(json);
    if (rc)
        goto out;
    gf_stmt_finalize(g.ins);
    gf_stmt_finalize(g.anchors);
    g.ins = g.anchors = NULL;
    rc = gf_db_commit(db, e);
    began = 0;

out:
    if (g.ins)
        gf_stmt_finalize(g.ins);
    if (g.anchors)
        gf_stmt_finalize(g.anchors);
    if (began)
        gf_db_rollback(db);
    gf_db_bulk(db, 0);
    for (int j = 0; j < nind; j++) {
        free(codes[j]);
        free(aggs[j]);
    }
    free(codes);
    free(aggs);
    free(g.county);
    free(g.slot);
    free(g.stat);
    free(g.delta);
    free(g.latent);
    free(g.cnt);
    free(g.frac);
    gf_units_free(&g.u);
    return rc;
}
