/* household.h — low-income household dynamic monitoring and paired assistance
 * (低收入家庭动态监测与结对帮扶).
 *
 * The registry (households, members, incomes by period) is filled by imports (kinds
 * "household_registry", "household_members", "household_incomes"; `gongfu households import
 * households|members|incomes`).  Each monitored household has one
 * case that moves through the workflow
 *
 *     (none) --find--> found --identify--> identified --visit with a measure--> assisted
 *     assisted --eliminate--> eliminated --identify (返贫)--> identified
 *
 * Identification needs a category and every required sub-step (入户核查 … 县级审定) recorded;
 * elimination needs the last N income periods (setting eliminate_periods) at or above the
 * household's monitoring line, and records them as evidence.  Every transition, pairing,
 * sub-step and visit is written with its hh_event (history) and its gf_audit record in ONE
 * transaction: on any error nothing changes.  Illegal transitions are refused with a message
 * naming the household, its state and what would be needed.
 *
 * Dates are "YYYY-MM-DD"; NULL means today (gf_today, which honours $GONGFU_NOW).
 * Ownership: functions take borrowed strings; arrays returned through out-parameters are
 * malloc'd and released with the matching *_free.
 */
#ifndef GF_HOUSEHOLD_H
#define GF_HOUSEHOLD_H

#include <stddef.h>

#include "domain/unit.h"
#include "store/db.h"

/* ---- settings, lines, privacy ------------------------------------------------------------ */

/* Integer setting from hh_setting (e.g. "visit_days"), def when absent or not a number. */
long gf_hh_setting_int(struct gf_db *db, const char *key, long def);
/* Set a setting (audited).  Known keys only; value must be a positive whole number except
 * unit_income_indicator. */
int gf_hh_setting_set(struct gf_db *db, const char *actor, const char *key, const char *value,
                      struct gf_err *e);

/* A personal maximum of households for one cadre (hh_cadre, overrides the setting); audited.
 * value: a positive whole number; cadre: an existing person. */
int gf_hh_cadre_max_set(struct gf_db *db, const char *actor, const char *cadre, const char *value,
                        struct gf_err *e);

/* The monitoring line (yuan per person a year) for a household in unit `unit` of area
 * "urban"/"rural" in `year`: the line of the nearest region in the unit's ancestry (the unit
 * itself first, then its parents, then 'CN') with area equal or 'all' and the latest year <=
 * year.  Falls back to the setting default_line.  units may be NULL (then only the unit itself
 * and 'CN' are tried). */
double gf_hh_line(struct gf_db *db, const struct gf_units *units, const char *unit,
                  const char *area, int year);

/* Masked copies for display: ID number "510402199001011234" → "510402********1234" (first 6
 * and last 4 kept), phone "13812345678" → "138****5678" (first 3 and last 4 kept); shorter or
 * non-ASCII values are masked whole except the last 2 characters.  out gets at most cap-1
 * bytes.  NULL in → "". */
void gf_hh_mask_id(const char *in, char *out, size_t cap);
void gf_hh_mask_phone(const char *in, char *out, size_t cap);
/* A person's name by UTF-8 characters: "张小华" → "张*华" (first and last kept, a star for each
 * one between), "张华" → "张*", one character → "*".  A name that does not fit in cap is "*". */
void gf_hh_mask_name(const char *in, char *out, size_t cap);

/* Personal data (DESIGN §6) is found by column name, wherever it is shown: ID numbers and phones
 * in any table, the head's name, and the name of a household member (entity hh_member). */
enum gf_hh_personal { GF_HH_NOT_PERSONAL, GF_HH_ID_NUMBER, GF_HH_PHONE, GF_HH_NAME };
/* The columns that, in an unmasked read of the registry, are shown as they are. */
#define GF_HH_PERSONAL_FIELDS "head_name,name,id_number,phone"
enum gf_hh_personal gf_hh_personal_field(const char *entity, const char *column);
/* Mask in by its kind (GF_HH_NOT_PERSONAL copies it). */
void gf_hh_mask(enum gf_hh_personal kind, const char *in, char *out, size_t cap);
/* A record of entity as a JSON object text (an audit record's before or after) with its
 * personal fields masked; other text is returned unchanged.  malloc'd (caller frees); NULL in →
 * NULL. */
char *gf_hh_mask_record(const char *entity, const char *json);
/* 1 if s is an 18-character resident ID number (17 digits + digit or X) with a correct
 * GB 11643 check character. */
int gf_hh_id_valid(const char *s);
/* gf_audit_read for the registry (entity household, fields GF_HH_PERSONAL_FIELDS). */
int gf_hh_audit_read(struct gf_db *db, const char *actor, const char *what, const char *filter,
                     long rows, struct gf_err *e);

/* ---- configurable lists ------------------------------------------------------------------ */

/* The lists people may extend or rename, by name: "categories", "channels", "risks",
 * "measures", "steps" (NULL-terminated), and the table holding each (NULL if unknown). */
extern const char *const gf_hh_list_names[];
const char *gf_hh_list_table(const char *list);
/* Add or change one entry of a list (audited).  An existing entry keeps what is not given:
 * name_en NULL, position 0, required -1 (required: steps only, 0 or 1; a new step is required
 * unless told).  A new entry without a position goes last. */
int gf_hh_list_set(struct gf_db *db, const char *actor, const char *list, const char *code,
                   const char *name, const char *name_en, long position, int required,
                   struct gf_err *e);
/* Set the monitoring line of region ("CN" or an existing unit code) and area ("urban", "rural",
 * "all") from year on (1900–2200): amount yuan per person a year (> 0); name, source may be
 * NULL; audited. */
int gf_hh_line_set(struct gf_db *db, const char *actor, const char *region, const char *area,
                   long year, double amount, const char *name, const char *source, int verified,
                   struct gf_err *e);

/* ---- workflow ---------------------------------------------------------------------------- */

/* The unit of a registry household and its cadre ("" when it has none), for the callers' scope
 * rules.  GF_ENOTFOUND (field "household") when the registry has no such household. */
int gf_hh_whose(struct gf_db *db, const char *household, char *unit, size_t ucap, char *cadre,
                size_t ccap, struct gf_err *e);

/* Open a case in state found.  channel: self | cadre | department (hh_channel); risk may be
 * NULL.  Refused when the household is unknown or already has a case. */
int gf_hh_find(struct gf_db *db, const char *actor, const char *household, const char *channel,
               const char *risk, const char *date, const char *note, struct gf_err *e);
/* What gf_hh_find checks, without writing anything (a dry run). */
int gf_hh_find_check(struct gf_db *db, const char *household, const char *channel,
                     const char *risk, const char *date, struct gf_err *e);
/* Record one identification sub-step (hh_ident_step code) for a found household. */
int gf_hh_step(struct gf_db *db, const char *actor, const char *household, const char *step,
               const char *date, const char *note, struct gf_err *e);
/* found → identified: records the sub-steps in `steps` (NULL-terminated codes, or NULL; the
 * single code "all" records every configured step) dated `date`, then requires every required
 * sub-step and a category.  eliminated → identified (返贫): category may be NULL (kept).  */
int gf_hh_identify(struct gf_db *db, const char *actor, const char *household, const char *category,
                   const char *date, const char *const *steps, const char *note, struct gf_err *e);
/* Pair an identified or assisted household with an organisation and a cadre (person code);
 * refused when the cadre already carries their maximum (hh_cadre or the setting). */
int gf_hh_pair(struct gf_db *db, const char *actor, const char *household, const char *organisation,
               const char *cadre, const char *date, struct gf_err *e);
/* Log a visit (measure NULL) or a measure (hh_measure_type code) for an identified, assisted
 * or eliminated household; the first measure of an identified household moves it to
 * assisted.  person may be NULL (then the paired cadre); amount NaN if none. */
int gf_hh_visit(struct gf_db *db, const char *actor, const char *household, const char *date,
                const char *person, const char *measure, double amount, const char *note,
                struct gf_err *e);
/* assisted → eliminated, when the last eliminate_periods income periods are all at or above
 * the line; the evidence (periods, incomes, lines) is stored in the event. */
int gf_hh_eliminate(struct gf_db *db, const char *actor, const char *household, const char *date,
                    const char *note, struct gf_err *e);

/* ---- flag: find households under the line ------------------------------------------------ */

struct gf_hh_proposal {
    char household[64], unit[32], state[16], period[16];
    double per_capita, line;
    int created; /* 1 = a new case (found) was opened */
};

/* Households (within unit, or all when unit is NULL) whose per-capita income in `period`
 * (NULL: the latest period each household has) is under their line (or under `line` when it
 * is > 0).  Those without a case get one in state found (channel, date); those with a case are
 * listed with their state and left alone.  When income_file is given, its rows
 * (household_incomes format) are imported first, in the same transaction.  dry_run writes
 * nothing (with an income file: rolls everything back; without one it only reads, so it may run
 * inside a caller's transaction).  *out (caller frees) gets the proposals, *n their number. */
int gf_hh_flag(struct gf_db *db, const char *actor, const char *unit, const char *period,
               double line, const char *channel, const char *date, const char *income_file,
               int dry_run, struct gf_hh_proposal **out, int *n, struct gf_err *e);

/* The same from the distribution engine's survey microdata (table income_microdata, filled by
 * `gongfu import households FILE`) for the year `period`: rows under the line whose anonymous
 * household code is a registry household are flagged as above; *unmatched counts the rows
 * under the line that name no registry household (they need registering first). */
int gf_hh_flag_microdata(struct gf_db *db, const char *actor, const char *unit, const char *period,
                         double line, const char *channel, const char *date, int dry_run,
                         struct gf_hh_proposal **out, int *n, long *unmatched, struct gf_err *e);

/* ---- alerts ------------------------------------------------------------------------------ */

enum gf_hh_rule {
    GF_HH_NO_CADRE,    /* identified household without a cadre */
    GF_HH_NO_VISIT,    /* no visit for visit_days days */
    GF_HH_STILL_UNDER, /* still under the line after assist_months months of assistance */
    GF_HH_BACK_UNDER,  /* eliminated household back under the line */
    GF_HH_CADRE_OVER,  /* cadre over their maximum */
};
extern const char *const gf_hh_rule_code[]; /* "no_cadre", …, NULL */
extern const char *const gf_hh_rule_zh[], *const gf_hh_rule_en[];

struct gf_hh_alert {
    enum gf_hh_rule rule;
    char household[64], unit[32], head[64], state[16];
    char cadre[64], cadre_name[64];
    char detail[192]; /* English facts, e.g. "last visit 2025-01-02 (40 days)" */
    char detail_zh[192];
};

/* Open alerts as of `asof` (NULL: today), within unit (NULL all) and for cadre (NULL all).
 * visit_days / assist_months <= 0 take the settings.  *out is malloc'd (caller frees). */
int gf_hh_alerts(struct gf_db *db, const char *unit, const char *cadre, const char *asof,
                 int visit_days, int assist_months, struct gf_hh_alert **out, int *n,
                 struct gf_err *e);

/* ---- coverage report --------------------------------------------------------------------- */

struct gf_hh_coverage {
    char unit[32], name[128];
    int level;
    long hh_flagged, p_flagged;  /* with a case opened on or before asof */
    long hh_ident, p_ident;      /* in state identified or assisted at asof (monitored) */
    long hh_paired;              /* of those, with a cadre at asof */
    long hh_visit30, hh_visit90; /* of those, visited in (asof-30, asof] / (asof-90, asof] */
    long hh_eliminated;          /* eliminations dated in the period's year, up to asof */
    long hh_returned;            /* returns to risk (返贫) dated in that year, up to asof */
    double income_monitored;     /* person-weighted mean per-capita income of the monitored
                                    households in the period (NaN if none) */
    double income_unit;          /* the unit's per-capita income (value table), NaN if none */
};

/* Coverage for `unit` and each of its children (every figure over the unit's whole subtree)
 * in `period` (a year code "2025"; the as-of date is the earlier of the period's end and
 * today).  Row 0 is the unit itself.  *out is malloc'd (caller frees). */
int gf_hh_coverage(struct gf_db *db, const char *unit, const char *period,
                   struct gf_hh_coverage **out, int *n, struct gf_err *e);

/* ---- demo -------------------------------------------------------------------------------- */

/* Synthetic registry for the demo (Panzhihua): a few thousand households over the level-4
 * units already in the database, synthetic cadres (persons "HHC…"), incomes 2021–2025, cases
 * with their history, visits up to today; marked source = 'synthetic'.  Deterministic.  Needs
 * units; refuses if households already exist. */
int gf_demo_households(struct gf_db *db, const char *actor, struct gf_err *e);

/* ---- helpers shared by the module -------------------------------------------------------- */

/* Days from 1970-01-01 of a "YYYY-MM-DD" date (no validation beyond the parse). */
long gf_hh_days(const char *date);
/* The date `days` days from 1970-01-01 into out (>= 11 bytes). */
void gf_hh_date(long days, char *out);

#endif
