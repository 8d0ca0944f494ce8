/* lists.h — the four lists (四张清单), the responsibility chain, problems and their closing loop
 * (问题闭环), flags (overdue, stalled, behind plan) and the horse race (赛马争先).
 *
 * Storage is in src/store/schema_lists.c; the file formats and scoring rules are described in
 * docs/lists-and-race.md.  Every change is written together with its audit record in one
 * transaction: a function that fails leaves the database as it was.  "Today" is gf_today()
 * (honours $GONGFU_NOW) unless a date is passed explicitly.
 * Ownership: the caller owns the structs it passes; gf_flags / gf_race results are filled by the
 * library and released with gf_flags_free / gf_race_free. */
#ifndef GF_LISTS_H
#define GF_LISTS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/import.h"
#include "store/db.h"
#include "util/table.h"

/* Import kinds: custom list kinds, list items (with their milestones), progress reports. */
extern const struct gf_import_kind gf_import_list_kinds, gf_import_items, gf_import_progress;

/* Where an item lies (SQL over list_item aliased i): its territorial unit — its unit column, else
 * its lead unit when that is a unit, else the unit of its lead department; NULL when none.  The
 * race counts an item for this unit; access scope places it there. */
#define GF_ITEM_PLACE_SQL                                                                          \
    "coalesce(i.unit, (SELECT u.code FROM unit u WHERE u.code = i.lead_unit),"                     \
    " (SELECT d.unit FROM department d WHERE d.code = i.lead_unit))"
/* 1 when the team bound at SQL parameter P ("?3") leads item i (the item's team, or its lead
 * unit is one of the team's departments) or joins it (a cooperating party is the team or one of
 * its departments). */
#define GF_ITEM_TEAM_SQL(P)                                                                        \
    "(i.team = " P " OR i.lead_unit IN (SELECT code FROM department WHERE team = " P ")"           \
    " OR EXISTS (SELECT 1 FROM list_item_coop c WHERE c.item = i.code AND (c.party = " P           \
    " OR c.party IN (SELECT code FROM department WHERE team = " P "))))"

/* ---- progress reports -------------------------------------------------------------------- */

struct gf_progress {
    const char *item, *date;    /* item code, report date YYYY-MM-DD (NULL = today) */
    double percent;             /* 0..100; 100 closes the item (status done, completed on date) */
    const char *text;           /* may be NULL */
    double invest_done;         /* cumulative completed investment, NaN = not reported */
    double funds_secured;       /* cumulative secured funds, NaN = not reported */
    const char *by;             /* person code of the reporter */
    const char *milestone;      /* optional: land/start/complete/produce reached … */
    const char *milestone_date; /* … on this date (NULL = the report date) */
};

/* Record one progress report (and the milestone date it brings).  Refused (GF_EUSER) on an
 * unknown item or person, a closed item (done or cancelled) unless the same report is already
 * stored, a percent outside 0..100, a negative figure.  file/line (may be NULL/0) locate the
 * record in messages.  *changed (may be NULL): 0 unchanged, 1 inserted, 2 updated. */
int gf_progress_add(struct gf_db *db, const char *actor, const struct gf_progress *p,
                    const char *file, long line, int *changed, struct gf_err *e);

/* ---- problems (问题亮晒, 整改, 销号) ------------------------------------------------------- */

struct gf_problem_new {
    const char *item, *unit; /* at least one: the item or the unit the problem is raised against */
    const char *title;
    const char *severity;  /* low, medium, high, critical */
    const char *owner;     /* person code responsible for the rectification */
    const char *deadline;  /* YYYY-MM-DD */
    const char *raised_by; /* who raises it (free text, e.g. the user) */
};

int gf_problem_raise(struct gf_db *db, const char *actor, const struct gf_problem_new *p,
                     int64_t *id, struct gf_err *e);
/* The rectification report (by the owner or on their behalf): open → rectified.  The reporter
 * recorded is the acting user's person (gf_actor_person), who must be in the person register;
 * by (may be NULL) must be that same person. */
int gf_problem_rectify(struct gf_db *db, const char *actor, int64_t id, const char *by,
                       const char *report, struct gf_err *e);
/* The closing check: accept → closed; reject → open again with the note.  The verifier is the
 * acting user's person, never the owner nor the one who reported the rectification; by (may be
 * NULL) must be that same person.  Only a rectified problem can be verified. */
int gf_problem_verify(struct gf_db *db, const char *actor, int64_t id, const char *by, int accept,
                      const char *note, struct gf_err *e);
/* A closed (or rectified) problem back to open, with the reason. */
int gf_problem_reopen(struct gf_db *db, const char *actor, int64_t id, const char *reason,
                      struct gf_err *e);

/* ---- flags -------------------------------------------------------------------------------- */

enum gf_flag_kind {
    GF_FLAG_ITEM_OVERDUE,      /* past its due date, not done */
    GF_FLAG_MILESTONE_OVERDUE, /* planned date passed, no actual date */
    GF_FLAG_STALLED,           /* no progress report for stalled_days (active items) */
    GF_FLAG_PROBLEM_OVERDUE,   /* problem past its deadline, not closed */
    GF_FLAG_INVEST_BEHIND,     /* completed investment < 90% of the linear plan to date */
};

struct gf_flag {
    enum gf_flag_kind kind;
    char item[64];      /* item code ("" for a problem against a unit only) */
    char subject[64];   /* milestone code, or problem id, or "" */
    char date[11];      /* due / planned / last progress (or start) / deadline */
    long days;          /* days late or days without progress */
    double value, plan; /* invest: done and plan to date (万元); NaN otherwise */
};

struct gf_flags {
    struct gf_flag *f;
    int n, cap;
};

/* Collect every flag as of today (YYYY-MM-DD; NULL = gf_today()), sorted by kind then item. */
int gf_flags_collect(struct gf_db *db, const char *today, int stalled_days, struct gf_flags *out,
                     struct gf_err *e);
void gf_flags_free(struct gf_flags *f);
/* By enum gf_flag_kind: the flag's code (its English words, as CSV and JSON show it) and its
 * labels; ends with {NULL}. */
extern const struct gf_code_label gf_flag_labels[];

/* Days from date a to date b (b - a), both YYYY-MM-DD; 0 if either is malformed. */
long gf_days_between(const char *a, const char *b);

/* ---- the horse race (赛马) --------------------------------------------------------------- */

enum {
    GF_RC_EVAL,       /* evaluation rank → 0..100 */
    GF_RC_IMPROVE,    /* rank change since the last period → 0..100 (50 = unchanged) */
    GF_RC_MILESTONES, /* milestones due in the period reached on time, % */
    GF_RC_ITEMS,      /* items due in the period completed on time, % */
    GF_RC_INVEST,     /* completed investment / linear plan to date, % (capped 100) */
    GF_RC_FUNDS,      /* funds secured / requested, % (capped 100) */
    GF_RC_PROBLEMS,   /* 100 − penalties for open and overdue problems */
    GF_RC_VISITS,     /* cadres: paired households visited in the last 90 days, % */
    GF_RC_MEASURES,   /* cadres: paired households with a help measure in the period, % */
    GF_RACE_NCOMP
};

/* Who races: units of a level, work teams, projects (list items of kind project), cadres (the
 * people responsible for items and paired with households) or the registered enterprises (on
 * their evaluation, e.g. the 双强指数). */
enum gf_race_subject { GF_RS_UNIT, GF_RS_TEAM, GF_RS_PROJECT, GF_RS_CADRE, GF_RS_ENTERPRISE, GF_RS_N };
/* "unit", "team", "project", "cadre", "enterprise" */
extern const char *const gf_race_subject_code[GF_RS_N];

struct gf_race_config {
    double w[GF_RACE_NCOMP];         /* units and teams */
    double w_project[GF_RACE_NCOMP]; /* projects: config key "project": {"weights": {…}} */
    double w_cadre[GF_RACE_NCOMP];   /* cadres: config key "cadre": {"weights": {…}} */
    double w_enterprise[GF_RACE_NCOMP]; /* enterprises: "enterprise": {"weights": {…}} */
    double pen_open, pen_overdue; /* problem penalties (points) */
    int level;                    /* unit level racing (2 = county) */
    int red_top;
    double red_min_score; /* red list: top N (0 = off) or score >= min */
    int black_bottom;
    double black_max_score;       /* black list: bottom N or score <= max */
    int best_top, slowest_bottom; /* awards: 骏马奖 top N, 蜗牛奖 bottom N (certain only) */
    int draws;                    /* resamples for the race rank percentiles (0 = none) */
    uint64_t seed;
    double jitter; /* each weight × U(1−jitter, 1+jitter) per draw */
    int stalled_days;
};

/* The documented defaults (docs/lists-and-race.md). */
void gf_race_config_default(struct gf_race_config *c);
/* Override defaults from a JSON file (at most GF_RACE_CONFIG_MAX bytes); unknown keys and bad
 * values are errors naming the key.  c may be partly changed on error. */
#define GF_RACE_CONFIG_MAX (1 << 20)
int gf_race_config_load(struct gf_race_config *c, const char *path, struct gf_err *e);
/* The same from text[0..len); path names the source in messages. */
int gf_race_config_parse(struct gf_race_config *c, const char *text, size_t len, const char *path,
                         struct gf_err *e);

struct gf_race_entry {
    char code[64], name[192];
    double comp[GF_RACE_NCOMP]; /* NaN = not applicable (weight redistributed) */
    double score;               /* NaN = no data: not ranked */
    int rank;      /* 1 = best, ties share the smaller rank; 0 = not ranked (nothing measured) */
    int prev_rank; /* 0 = no ranking in the previous period */
    double rank_p05, rank_p95, score_p05, score_p95; /* from the resampling */
    int eval_rank;                                   /* 0 = no evaluation result */
    double eval_score;                               /* its index score (NaN none) */
    int has_eval_sensitivity;                        /* eval rank_p05/p95 were stored and used */
    int open_problems, overdue_problems;
    int red, black, uncertain, best, slowest, slowest_uncertain;
    char reasons_zh[512], reasons_en[512];
};

struct gf_race {
    char period[16], prev_period[16], as_of[11];
    enum gf_race_subject subject;
    int64_t eval_run;    /* the evaluation run used, 0 if none */
    int eval_computed;   /* no run was saved: the evaluation was computed now (not stored) */
    char eval_note[400]; /* why there is no evaluation component (empty when there is one) */
    int prev_valid;      /* the previous period could be ranked */
    int n;
    struct gf_race_entry *e; /* ordered by rank */
};

/* Run the race of a subject (units of c->level, work teams, projects, cadres) for period as of
 * today (NULL = gf_today(); the as-of date is min(today, end of period)).  Projects and cadres
 * have no evaluation component; cadres add their paired households' visits and measures. */
int gf_race_run(struct gf_db *db, const char *period, enum gf_race_subject subject,
                const struct gf_race_config *c, const char *today, struct gf_race *out,
                struct gf_err *e);
void gf_race_free(struct gf_race *r);

/* ---- demo ------------------------------------------------------------------------------------ */

/* Synthetic lists, progress histories and problems for the demo zone (needs units, teams,
 * people and evaluation runs).  Every row is marked synthetic.  Deterministic. */
int gf_demo_lists(struct gf_db *db, const char *actor, struct gf_err *e);

#endif
