/* eval.h — composite evaluation (综合评价): the numeric methods of DESIGN §4, no I/O.
 *
 * Data: a units × indicators matrix of doubles, row-major (x[i*m + j] = unit i, indicator j),
 * NaN = missing.  Indicator metadata (direction, target, band, denominator) in struct
 * gf_eval_ind; the framework as a tree (struct gf_eval_tree) whose first m nodes are the
 * indicators (matrix columns, in order) and whose other nodes are dimensions … up to one root
 * (the index).  Weights are relative within their parent.
 *
 * Errors: every function returns GF_OK or a negative GF_E* code (util/err.h) and fills the
 * struct gf_err (may be NULL) with a message for a person: constant column, fewer than two
 * units, values ≤ 0 under a geometric mean, all missing, …  A result is never NaN silently:
 * when a method cannot give a number it says why.
 *
 * Ownership: the caller owns every array passed in and out (sizes stated per function); the
 * only allocations the library hands back are in struct gf_eval_result (free with
 * gf_eval_result_free).  Strings in metadata and trees are borrowed, never freed.
 * Thread safety: no global state; gf_eval_sensitivity() starts its own threads.
 */
#ifndef GF_EVAL_H
#define GF_EVAL_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* ---------- metadata ---------- */

enum gf_eval_dir {
    GF_EVAL_NEG = -1, /* lower is better (cost) */
    GF_EVAL_BAND = 0, /* interval indicator: best inside [band_lo, band_hi] */
    GF_EVAL_POS = 1,  /* higher is better (benefit) */
};

struct gf_eval_ind {
    const char *code;        /* borrowed; used in messages */
    int direction;           /* enum gf_eval_dir */
    double target;           /* attainment / distance to target; NaN = none */
    double band_lo, band_hi; /* interval indicator: score 1 inside [band_lo, band_hi] … */
    double lim_lo, lim_hi;   /* … falling linearly to 0 at lim_lo and lim_hi (NaN = no band) */
    double goal_lo, goal_hi; /* goalposts; NaN = the column's min / max */
    int denominator;         /* column of the denominator matrix, -1 = none */
};

/* Fill an indicator with defaults: positive, no target, no band, no denominator. */
void gf_eval_ind_init(struct gf_eval_ind *ind, const char *code);

/* Framework tree.  node[0..nleaf) are the indicators (matrix columns in order); aggregate nodes
 * follow.  Exactly one node has parent -1 (the root, an aggregate).  weight is relative within
 * the parent (NaN or ≤ 0 is an error).  level: 1 for indicators, higher for aggregates (for
 * display only). */
struct gf_eval_node {
    const char *code; /* borrowed */
    int parent;       /* node index, -1 = root */
    double weight;
    int level;
};

struct gf_eval_tree {
    size_t nleaf, nnode;
    struct gf_eval_node *node; /* borrowed, nnode entries */
};

/* Check a tree: one root, parents are aggregate nodes, no cycles, every aggregate has a child,
 * positive weights. */
int gf_eval_tree_check(const struct gf_eval_tree *t, struct gf_err *e);

/* ---------- data preparation ---------- */

/* x[i,j] /= den[i*nden + ind[j].denominator] * (1/scale) for indicators with a denominator.
 * A zero denominator is an error; a missing one gives a missing value (counted in *nmissing,
 * may be NULL). */
int gf_eval_denominate(double *x, size_t n, size_t m, const struct gf_eval_ind *ind,
                       const double *den, size_t nden, double scale, size_t *nmissing,
                       struct gf_err *e);

/* Keep the units whose share of non-missing indicators is ≥ threshold (0..1): rows are
 * compacted in place, *n is updated and rowmap[k] (n entries, caller-allocated) receives the
 * original index of kept row k.  Fewer than two kept units is an error. */
int gf_eval_screen(double *x, size_t *n, size_t m, double threshold, size_t *rowmap,
                   struct gf_err *e);

enum gf_eval_impute {
    GF_IMPUTE_MEAN,
    GF_IMPUTE_MEDIAN,
    GF_IMPUTE_GROUP_MEAN, /* group[i] = group id of unit i (≥ 0; negative = no group) */
    GF_IMPUTE_GROUP_MEDIAN,
};

/* Fill missing values column by column.  A column (or, for group methods, a group within a
 * column that has a missing value) with no data at all is an error.  Group methods skip units
 * without a group (group[i] < 0): they take no part in any group's value and their gaps stay
 * missing (COINr's skip_f_na = TRUE).  *nfilled may be NULL. */
int gf_eval_impute(double *x, size_t n, size_t m, enum gf_eval_impute method, const int *group,
                   size_t *nfilled, struct gf_err *e);

enum gf_eval_panel { GF_PANEL_LAST, GF_PANEL_LINEAR };

/* Panel imputation over periods: x[(t*n + i)*m + j], nper periods in time order.
 * LAST: carry the last known value forward (leading gaps stay missing).
 * LINEAR: interpolate linearly between known periods (period index as time); before the first
 * and after the last known value the nearest known value is carried.
 * *nleft (may be NULL) receives the number of values still missing. */
int gf_eval_impute_panel(double *x, size_t nper, size_t n, size_t m, enum gf_eval_panel method,
                         size_t *nfilled, size_t *nleft, struct gf_err *e);

/* Sample skewness and excess kurtosis, type 2 (Excel SKEW/KURT, e1071 type = 2) of the
 * non-missing values v[0], v[stride], … (n values).  Needs ≥ 4 values and non-zero variance. */
int gf_eval_skew_kurt(const double *v, size_t n, size_t stride, double *skew, double *kurt,
                      struct gf_err *e);

/* The second treatment, when winsorisation does not pass (COINr's f2). */
enum gf_eval_treat_log {
    GF_TREAT_NO_LOG = 0,      /* keep the winsorised values */
    GF_TREAT_LOG_CT = 1,      /* COINr's default log_CT: log(x − min + 0.01·(max − min)) */
    GF_TREAT_LOG_CT_PLUS = 2, /* COINr's log_CT_plus (skew corrected): as log_CT for a positive
                                 skew, −log(max − x + 0.01·(max − min)) for a negative one */
};

struct gf_eval_treat {
    int winmax;       /* most points winsorised per indicator (COINr default 5) */
    double skew_max;  /* passes if |skew| < skew_max (2) … */
    double kurt_max;  /* … or kurtosis < kurt_max (3.5) */
    int log_fallback; /* enum gf_eval_treat_log (default GF_TREAT_LOG_CT) */
};

void gf_eval_treat_default(struct gf_eval_treat *t);

struct gf_eval_treat_info {
    int nwinsor;                     /* points winsorised */
    int logged;                      /* 1 = log-transformed (winsorisation undone) */
    int passed;                      /* 1 = passes after treatment */
    double skew0, kurt0, skew, kurt; /* before / after */
};

/* Treat one column (n values, stride) in place: if it fails the test, replace the most extreme
 * value(s) on the side of the skew by the next one, one step at a time, as long as at most winmax
 * distinct points have been changed (COINr's winsorise; a step that would exceed is not taken); if
 * it still fails and log_fallback is set, restore the data and log-transform it (enum
 * gf_eval_treat_log: log_CT, or log_CT_plus which mirrors the log for a negative skew).
 * Columns with fewer than 4 values or no variance are left alone (info->passed = 1). */
int gf_eval_treat_column(double *v, size_t n, size_t stride, const struct gf_eval_treat *t,
                         struct gf_eval_treat_info *info, struct gf_err *e);

/* All columns; info has m entries (may be NULL). */
int gf_eval_treat_matrix(double *x, size_t n, size_t m, const struct gf_eval_treat *t,
                         struct gf_eval_treat_info *info, struct gf_err *e);

/* ---------- normalisation ---------- */

enum gf_eval_norm_method {
    GF_NORM_NONE,
    GF_NORM_MINMAX,      /* l + (u − l)(x − min)/(max − min) */
    GF_NORM_ZSCORE,      /* l + u·(x − mean)/sd (sample sd); defaults l = 0, u = 1 */
    GF_NORM_RANK,        /* rank, ties take the minimum rank (1 = lowest; COINr n_rank) */
    GF_NORM_PRANK,       /* percentile rank (min rank − 1)/(count − 1) ∈ [0,1] */
    GF_NORM_DIST_TARGET, /* (x − min)/(target − min), capped at 1 when cap; negative
                            (max − x)/(max − target) */
    GF_NORM_GOALPOSTS,   /* (x − goal_lo)/(goal_hi − goal_lo) clipped to [0,1], × u */
    GF_NORM_ATTAIN,      /* 实现程度: positive min(x/target,1) (≥ 0), negative min(target/x,1)
                            (1 for x ≤ 0), interval 1 in band, linear to 0 at the limits; × u */
    GF_NORM_VECTOR,      /* x/√Σx²; negative: 1 − x/√Σx² */
};

struct gf_eval_norm {
    enum gf_eval_norm_method method;
    double l, u; /* minmax range [l,u]; zscore mean l and sd u; goalposts/attainment scale u */
    int cap;     /* distance to target: cap at 1 */
};

/* Defaults per method: minmax [0,1]… (l=0, u=1 for all, cap=1). */
void gf_eval_norm_default(struct gf_eval_norm *nm, enum gf_eval_norm_method method);
/* "minmax", "zscore", "rank", "prank", "dist_target", "goalposts", "attainment", "vector",
 * "none" → method, or -1. */
int gf_eval_norm_parse(const char *s);
const char *gf_eval_norm_name(enum gf_eval_norm_method m);

/* Normalise column v (n values, stride) of indicator ind (direction applied: negative
 * indicators reversed, interval indicators only with attainment).  Missing values stay
 * missing.  Errors: constant column (minmax, zscore, prank), no non-missing value, missing
 * target (dist_target, attainment), target ≤ 0 (attainment), band indicator
 * with a method other than attainment. */
int gf_eval_normalise_column(double *v, size_t n, size_t stride, const struct gf_eval_ind *ind,
                             const struct gf_eval_norm *nm, struct gf_err *e);
/* All columns (ind has m entries; NULL = all positive). */
int gf_eval_normalise(double *x, size_t n, size_t m, const struct gf_eval_ind *ind,
                      const struct gf_eval_norm *nm, struct gf_err *e);

/* Attainment of a single value (the statistics bureau's 实现程度), in [0,1]: positive
 * min(max(x/target, 0), 1); negative min(target/x, 1), 1 when x ≤ 0; interval as above. */
int gf_eval_attainment(double x, const struct gf_eval_ind *ind, double *out, struct gf_err *e);

/* ---------- weights ---------- */

enum gf_eval_shift {
    GF_SHIFT_NONE,    /* values must be ≥ 0; 0·ln 0 = 0 */
    GF_SHIFT_1E4,     /* + 0.0001 */
    GF_SHIFT_1E2,     /* + 0.01 */
    GF_SHIFT_RESCALE, /* min-max to [0.002, 1] (negative indicators reversed) */
};
int gf_eval_shift_parse(const char *s); /* "none", "0.0001", "0.01", "rescale" → or -1 */

/* Entropy weights: p_ij = y_ij/Σ_i y_ij, e_j = −(1/ln n) Σ p ln p, w_j = (1 − e_j)/Σ(1 − e_k).
 * dir (m entries, may be NULL) only matters for RESCALE.  Missing values are an error. */
int gf_eval_weights_entropy(const double *x, size_t n, size_t m, enum gf_eval_shift shift,
                            const int *dir, double *w, struct gf_err *e);
/* CRITIC: C_j = σ_j Σ_k (1 − r_jk), population σ, Pearson r; w = C/ΣC.  Apply to normalised
 * data (e.g. min-max).  Constant columns and missing values are errors. */
int gf_eval_weights_critic(const double *x, size_t n, size_t m, double *w, struct gf_err *e);
void gf_eval_weights_equal(size_t m, double *w);

enum gf_eval_combine { GF_COMBINE_PRODUCT, GF_COMBINE_MEAN };
/* Product w1·w2/Σ, or mean (w1/Σw1 + w2/Σw2)/2. */
int gf_eval_weights_combine(const double *w1, const double *w2, size_t m, enum gf_eval_combine how,
                            double *w, struct gf_err *e);

/* Effective weight of every node in the whole index: product along the path to the root of
 * weight/Σ sibling weights (eff has nnode entries; the root gets 1; leaves sum to 1). */
int gf_eval_tree_effective(const struct gf_eval_tree *t, double *eff, struct gf_err *e);

/* ---------- aggregation ---------- */

enum gf_eval_agg {
    GF_AGG_ARITH,
    GF_AGG_GEOM,     /* values must be > 0 */
    GF_AGG_HARM,     /* values must be > 0 */
    GF_AGG_POWER,    /* generalised mean of order p (p = 0 → geometric) */
    GF_AGG_COPELAND, /* outranking: wins − losses over pairs of units */
    GF_AGG_TOPSIS,   /* closeness to the ideal */
};
int gf_eval_agg_parse(const char *s); /* "arithmetic", "geometric", "harmonic", "power",
                                         "copeland", "topsis" → or -1 */
const char *gf_eval_agg_name(enum gf_eval_agg a);

/* Weighted mean of y[0..k) (weights w ≥ 0, any scale) with missing values skipped and the
 * weights re-normalised over the present ones.  how: arithmetic, geometric, harmonic or power
 * (order p; p = 0 is geometric).  All missing, values ≤ 0 where the mean needs them > 0, or
 * present weights summing to zero are errors. */
int gf_eval_mean(const double *y, const double *w, size_t k, enum gf_eval_agg how, double p,
                 double *out, struct gf_err *e);

/* Row by row: out[i] = mean of row i of x (n × m) with weights w (m); Copeland and TOPSIS
 * (all benefit) are passed to their functions.  Messages name the unit. */
int gf_eval_aggregate(const double *x, size_t n, size_t m, const double *w, enum gf_eval_agg how,
                      double p, double *out, struct gf_err *e);

/* Copeland: unit a outranks b on pair weight Σ w_j[a_j > b_j] + ½ Σ w_j[a_j = b_j] (indicators
 * missing for either unit skipped, weights re-normalised); a beats b if that is > ½.
 * out[a] = wins − losses.  Values must be oriented (higher = better). */
int gf_eval_copeland(const double *x, size_t n, size_t m, const double *w, double *out,
                     struct gf_err *e);

enum {
    GF_TOPSIS_NO_VECTOR = 1,           /* x is already normalised: skip x/√Σx² */
    GF_TOPSIS_WEIGHTS_IN_DISTANCE = 2, /* D = √Σ w_j (r_ij − r*_j)² instead of weighting r */
};
/* TOPSIS closeness C_i = D⁻/(D⁺ + D⁻).  dir (m, may be NULL = all benefit): GF_EVAL_NEG
 * columns are costs (ideal = minimum).  Missing values, an all-zero column, or units all equal
 * are errors. */
int gf_eval_topsis(const double *x, size_t n, size_t m, const double *w, const int *dir, int flags,
                   double *closeness, struct gf_err *e);

/* ---------- ranks, strengths, targets ---------- */

/* Rank with ties (min rank, "1,2,2,4"); higher score = rank 1 when higher_better.  Missing
 * scores get rank 0. */
void gf_eval_rank(const double *s, size_t n, size_t stride, int higher_better, int *rank);

/* Strengths and weaknesses: for each unit the k indicators with the best and worst rank
 * (ranks n × m, min-rank 1 = best; ties → the earlier column).  best/worst: n × k column
 * indices (-1 when fewer than k indicators are ranked). */
int gf_eval_strengths(const int *rank, size_t n, size_t m, size_t k, int *best, int *worst,
                      struct gf_err *e);

enum gf_eval_track { GF_TRACK_ON = 0, GF_TRACK_RISK = 1, GF_TRACK_OFF = 2, GF_TRACK_MET = 3 };
const char *gf_eval_track_name(enum gf_eval_track s);

struct gf_eval_track_result {
    double last; /* last known value */
    int last_year;
    double needed; /* annual growth needed from last to target by target_year */
    double recent; /* annual growth over the last `window` years */
    enum gf_eval_track status;
};

/* Target tracking.  values[k] at years[k] (increasing; NaN skipped), the target reached by
 * target_year, direction +1 (value should rise to ≥ target) or −1 (fall to ≤ target).
 * Rates are compound: needed = (target/last)^(1/(target_year − last_year)) − 1, recent =
 * (last/first)^(1/(last_year − first_year)) − 1 with first the oldest value within `window`
 * years of the last (window ≥ 1).  Progress = rate × direction.  Status:
 *   met       target already reached;
 *   on track  progress_recent ≥ progress_needed;
 *   at risk   progress_recent ≥ risk_share × progress_needed and > 0 (risk_share e.g. 0.5);
 *   off track otherwise, or target_year ≤ last_year and not met.
 * Values and target must be > 0; two known values are needed. */
int gf_eval_target_track(const double *values, const int *years, size_t k, double target,
                         int target_year, int direction, int window, double risk_share,
                         struct gf_eval_track_result *r, struct gf_err *e);

/* ---------- tree scoring ---------- */

struct gf_eval_aggspec {
    enum gf_eval_agg method;
    double p; /* order of the power mean */
    int topsis_flags;
};

/* Score every node: score[i*nnode + k].  Leaves: y (n × nleaf, oriented normalised values);
 * aggregate nodes: their children's scores aggregated with the children's weights (w, nnode
 * entries, relative within the parent; NULL = the tree's weights).  Nodes are computed
 * deepest first so any depth works.  Optionally ranks (n × nnode, may be NULL). */
int gf_eval_score_tree(const double *y, size_t n, const struct gf_eval_tree *t, const double *w,
                       const struct gf_eval_aggspec *agg, double *score, int *rank,
                       struct gf_err *e);

/* Contribution of each indicator to the index under the arithmetic mean: c[i*nleaf + j] =
 * eff_j(i) · y_ij where eff is the effective weight with missing values re-normalised per
 * unit, so Σ_j c_ij = the index score of unit i.  Other aggregations are refused. */
int gf_eval_contributions(const double *y, size_t n, const struct gf_eval_tree *t, const double *w,
                          double *c, struct gf_err *e);

/* ---------- random numbers (own PRNG, reproducible everywhere) ---------- */

struct gf_rng {
    uint64_t s[4];
};
/* xoshiro256** seeded through splitmix64 from (seed, stream): the same (seed, stream) gives
 * the same sequence on every machine and thread count. */
void gf_rng_seed(struct gf_rng *r, uint64_t seed, uint64_t stream);
uint64_t gf_rng_next(struct gf_rng *r);
double gf_rng_uniform(struct gf_rng *r); /* [0,1), 53 bits */
uint64_t gf_splitmix64(uint64_t *state);

/* ---------- pipeline ---------- */

#define GF_EVAL_MAX_STEPS 16
#define GF_EVAL_MAX_ALT 8

enum gf_eval_step_kind {
    GF_STEP_DENOMINATE,
    GF_STEP_SCREEN,
    GF_STEP_IMPUTE,
    GF_STEP_TREAT,
    GF_STEP_NORMALISE,
    GF_STEP_WEIGHT,
    GF_STEP_AGGREGATE,
};

enum gf_eval_weight_method {
    GF_WEIGHT_FRAMEWORK,
    GF_WEIGHT_EQUAL,
    GF_WEIGHT_ENTROPY,
    GF_WEIGHT_CRITIC,
};
int gf_eval_weight_parse(const char *s); /* "framework", "equal", "entropy", "critic" */

struct gf_eval_step {
    enum gf_eval_step_kind kind;
    double scale;               /* denominate: multiply by (e.g. 10000 = per 10 000) */
    double threshold;           /* screen: data availability ≥ threshold */
    int impute;                 /* enum gf_eval_impute, or 100 + enum gf_eval_panel */
    char use_group[64];         /* group imputation: the group column (empty = the first) */
    struct gf_eval_treat treat; /* treat */
    struct gf_eval_norm norm;   /* normalise */
    enum gf_eval_weight_method weight, weight2; /* weight (+ optional second scheme) */
    int combine;                                /* -1 = single scheme, else enum gf_eval_combine */
    enum gf_eval_shift shift;                   /* entropy zero shift */
    struct gf_eval_aggspec agg;                 /* aggregate */
};

#define GF_EVAL_MAX_NOISE 64

/* Weight noise of one framework level, or of one node (COINr's noise_factor per Level). */
struct gf_eval_noise {
    int level; /* framework level (1 = indicators, 2 = their parents, …); 0 = by node code */
    char node[64];
    double spread; /* the weight is × (1 + spread·U(−1,1)), spread in [0,1) */
};

struct gf_eval_mc {
    int draws; /* 0 = no sensitivity analysis */
    uint64_t seed;
    double weight_spread; /* each weight × (1 + spread·U(−1,1)); default 0.25; with a noise
                             table, the spread of the nodes it does not name */
    int nnoise;           /* 0 = every node gets weight_spread */
    struct gf_eval_noise noise[GF_EVAL_MAX_NOISE];
    int threads; /* default 2 */
    int nnorm;   /* normalisation alternatives (0 = the pipeline's only) */
    struct gf_eval_norm norm[GF_EVAL_MAX_ALT];
    int nagg; /* aggregation alternatives (0 = the pipeline's only) */
    struct gf_eval_aggspec agg[GF_EVAL_MAX_ALT];
    int nwinsor; /* winsorisation limits (0 = the pipeline's only) */
    int winsor[GF_EVAL_MAX_ALT];
};

struct gf_eval_pipeline {
    char name[64];
    int nstep;
    struct gf_eval_step step[GF_EVAL_MAX_STEPS];
    struct gf_eval_mc mc;
    int strengths_k; /* strengths/weaknesses per unit (default 3) */
};

/* An empty pipeline with defaults (no steps, no sensitivity, k = 3). */
void gf_eval_pipeline_init(struct gf_eval_pipeline *p);

/* Input of a run.  x: n × m raw values of the evaluated period (NaN missing); panel (may be
 * NULL): nper × n × m earlier periods in time order for panel imputation; den: n × nden
 * denominators; group (may be NULL): ngroup grouping columns of n group ids each, column g at
 * group[g*n .. g*n + n) (negative = the unit has no group), named group_name[g] (ngroup 0 with
 * a group means one column; names may be NULL when a pipeline does not name its group). */
struct gf_eval_input {
    size_t n, m;
    const double *x;
    const struct gf_eval_ind *ind;   /* m entries */
    const struct gf_eval_tree *tree; /* nleaf = m */
    const double *den;
    size_t nden;
    const int *group;
    const double *panel;
    size_t nper;
    size_t ngroup;
    const char *const *group_name;
};

struct gf_eval_sens {
    int nominal;             /* rank in the nominal run */
    double median, p05, p95; /* percentiles of the rank over draws (R quantile type 7) */
    double mean_shift;       /* mean |rank_draw − nominal| */
};

/* Everything a run produces; owned by the result, freed by gf_eval_result_free. */
struct gf_eval_result {
    size_t n, m, nnode;
    size_t *rowmap; /* n: original unit index of each kept unit */
    double *raw;    /* n × m values after denominate/screen/impute (before treatment) */
    double *y;      /* n × m normalised oriented values */
    struct gf_eval_treat_info *treat; /* m (zeros when no treat step) */
    double *weight;                   /* nnode: weights relative within the parent, as used */
    double *eff;                      /* nnode: effective weight in the index */
    double *score;                    /* n × nnode node scores (leaves = y) */
    int *rank;                        /* n × nnode */
    double *attain;            /* n × m attainment of target (NaN where an indicator has none) */
    double *contrib;           /* n × m contributions (NULL unless arithmetic aggregation) */
    int k;                     /* strengths per unit */
    int *best, *worst;         /* n × k indicator columns */
    struct gf_eval_sens *sens; /* n entries, NULL without sensitivity */
    size_t root;               /* node index of the index */
};

/* Run a pipeline.  Steps apply in order (denominate, screen and impute before treat and
 * normalise); the last aggregate step's method scores the tree (arithmetic if none); the weight
 * step sets the node weights: framework = the tree's, equal = 1 for every node.  Data-
 * driven weights (entropy, CRITIC) are set on the leaves and each aggregate node gets the sum
 * of its leaves' weights, so the arithmetic index equals Σ w_j y_j.  With mc.draws > 0 the
 * rank sensitivity of the root is computed too.  On error *res is left empty. */
int gf_eval_run(const struct gf_eval_pipeline *p, const struct gf_eval_input *in,
                struct gf_eval_result *res, struct gf_err *e);
void gf_eval_result_free(struct gf_eval_result *res);

/* ---------- sensitivity ---------- */

/* The weight spread of every node (spread, t->nnode entries): its own entry of mc->noise, else
 * its level's (t->node[k].level), else mc->weight_spread.  Errors: a node code that is not in
 * the tree, a spread outside [0,1). */
int gf_eval_mc_spreads(const struct gf_eval_mc *mc, const struct gf_eval_tree *t, double *spread,
                       struct gf_err *e);

/* One Monte Carlo draw d of a sensitivity analysis: perturbed node weights
 * wd[k] = w[k]·(1 + spread[k]·(2u − 1)) (spread NULL = mc->weight_spread for every node; a
 * spread of 0 leaves the weight exactly nominal), and the chosen alternatives (indices into
 * mc.norm / mc.agg / mc.winsor, 0 when a list is empty).  One uniform is drawn per node
 * whatever its spread, so the layout of the stream is fixed.  Draw d depends only on
 * (mc->seed, d). */
void gf_eval_mc_draw(const struct gf_eval_mc *mc, const double *w, const double *spread,
                     size_t nnode, uint64_t d, double *wd, int *inorm, int *iagg, int *iwin);

/* Rank sensitivity of the root: data x (n × m, after imputation, before treatment), the
 * nominal spec (treat may be NULL = no treatment), alternatives in mc, nominal node weights w.
 * out: n entries.  Runs mc->draws draws over mc->threads threads; the result does not depend
 * on the thread count. */
int gf_eval_sensitivity(const double *x, size_t n, const struct gf_eval_ind *ind,
                        const struct gf_eval_tree *t, const double *w,
                        const struct gf_eval_treat *treat, const struct gf_eval_norm *norm,
                        const struct gf_eval_aggspec *agg, const struct gf_eval_mc *mc,
                        struct gf_eval_sens *out, struct gf_err *e);

#endif
