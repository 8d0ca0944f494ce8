/* import.h — all-or-nothing imports of CSV and JSON files, one kind of record at a time.
 *
 * A file is read record by record (CSV with a header row; JSON as an array of objects or as
 * JSON Lines, one object per line), every record is validated and written inside ONE
 * transaction, and the kind's finish() runs the checks that need the whole file (e.g. the
 * hierarchy is a tree) before the commit.  Any error rolls everything back: the database is as
 * it was.  --dry-run does all of it and rolls back at the end.  Re-importing the same file
 * changes nothing: gf_upsert writes (and audits) only rows whose values differ.
 *
 * Adding a kind: write a struct gf_import_kind (columns + row callback) in the domain module
 * and add it to the table in import.c. */
#ifndef GF_IMPORT_H
#define GF_IMPORT_H

#include <stddef.h>
#include <stdio.h>

#include "store/db.h"
#include "util/strset.h"

struct gf_records; /* a record source (CSV or JSON), see gf_field_* */

struct gf_import_stats {
    long rows, inserted, updated, unchanged;
};

struct gf_import_ctx {
    struct gf_db *db;
    const char *actor; /* who imports, for the audit trail */
    const char *path;  /* file name for messages */
    long line;         /* line of the current record */
    struct gf_records *rec;
    struct gf_import_stats *stats;
    void *state; /* the kind's own state, set by begin() */
    /* facts this import has checked already ("unit 510400 exists"): nothing an import does
     * undoes them before it ends, so each is asked of the database once, not once a row */
    struct gf_strset known;
};

struct gf_import_kind {
    const char *name;           /* "units", "values", … (CLI: gongfu import NAME FILE) */
    const char *zh, *en;        /* what it holds, for help */
    const char *const *columns; /* every accepted column, NULL-terminated */
    const char *const *required;/* columns that must be present, NULL-terminated */
    int (*begin)(struct gf_import_ctx *c, struct gf_err *e);  /* may be NULL */
    int (*row)(struct gf_import_ctx *c, struct gf_err *e);
    int (*finish)(struct gf_import_ctx *c, struct gf_err *e); /* may be NULL */
    void (*release)(struct gf_import_ctx *c);                 /* may be NULL */
    /* The columns that identify a record, NULL-terminated (NULL: none).  The driver refuses a
     * record whose key repeats an earlier one of the same file, naming both lines. */
    const char *const *key;
};

struct gf_import_opts {
    int dry_run;             /* do everything, then undo it (also inside a caller's transaction) */
    const char *actor;
    const char *format;      /* "csv", "json" or NULL to decide by the file name, */
    const char *format_hint; /* then by this ("csv", "json" or NULL), then by the text */
    /* The caller's own rule for every record, run before the kind's row callback (may be NULL):
     * the service layer's scope check.  GF_OK, or an error that stops the import (nothing
     * imported); check_ctx is passed along. */
    int (*check)(void *check_ctx, struct gf_import_ctx *c, struct gf_err *e);
    void *check_ctx;
};

/* The format a file name's extension tells: "json" (.json, .jsonl), "csv" (.csv) or NULL. */
const char *gf_import_format_of(const char *name);

/* The registered kinds, NULL-terminated. */
extern const struct gf_import_kind *const gf_import_kinds[];
const struct gf_import_kind *gf_import_kind_find(const char *name);

/* Import a file of the given kind ("-" = standard input, util/input.h).  Returns GF_OK, or an
 * error and nothing changed.  The format: o->format, else the file name's extension (.csv,
 * .json, .jsonl), else o->format_hint, else the text (JSON starts with '[' or '{'). */
int gf_import_file(struct gf_db *db, const struct gf_import_kind *kind, const char *path,
                   const struct gf_import_opts *o, struct gf_import_stats *stats,
                   struct gf_err *e);
/* The same from an open stream (not closed), called name in messages. */
int gf_import_stream(struct gf_db *db, const struct gf_import_kind *kind, FILE *fp,
                     const char *name, const struct gf_import_opts *o,
                     struct gf_import_stats *stats, struct gf_err *e);

/* Facts an import checks once (c->known): whether it has checked what = value already (never when
 * c is NULL, outside an import), and remember that it has (GF_OK, or GF_ENOMEM). */
int gf_import_knows(struct gf_import_ctx *c, const char *what, const char *value);
int gf_import_learn(struct gf_import_ctx *c, const char *what, const char *value, struct gf_err *e);

/* Field accessors for row callbacks: each validates and, on bad input, returns GF_EUSER with a
 * message naming file, line, field, value and what was expected.  A missing column or an empty
 * cell is "absent": required fields then fail, optional ones return GF_OK and leave *out as it
 * was (set a default first).  Returned text is valid until the next record. */
int gf_field_text(struct gf_import_ctx *c, const char *name, int required, const char **out,
                  struct gf_err *e);
int gf_field_num(struct gf_import_ctx *c, const char *name, int required, double *out,
                 struct gf_err *e);
int gf_field_int(struct gf_import_ctx *c, const char *name, int required, long long *out,
                 struct gf_err *e);
/* One of the NULL-terminated allowed values. */
int gf_field_enum(struct gf_import_ctx *c, const char *name, int required,
                  const char *const *allowed, const char **out, struct gf_err *e);
/* A date "YYYY-MM-DD". */
int gf_field_date(struct gf_import_ctx *c, const char *name, int required, const char **out,
                  struct gf_err *e);
/* A date "YYYY-MM-DD" of something that happened: not after today (gf_today). */
int gf_field_past_date(struct gf_import_ctx *c, const char *name, int required, const char **out,
                       struct gf_err *e);
/* A unit level: a code of unit_level (city, county, township, village) or its number; out
 * receives the number as text (cap ≥ 8), untouched when absent. */
int gf_field_level(struct gf_import_ctx *c, const char *name, int required, char *out,
                   size_t cap, struct gf_err *e);
/* A code that exists in table.column (e.g. "unit", "code"). */
int gf_field_ref(struct gf_import_ctx *c, const char *name, int required, const char *table,
                 const char *column, const char **out, struct gf_err *e);

/* Insert or update one row of table, keyed by the first nkey columns; values are text (NULL =
 * SQL NULL; numeric text compares as a number).  Writes and audits only when something
 * differs; *changed (may be NULL) is set to 0 unchanged, 1 inserted, 2 updated, and the stats of
 * c are counted. */
int gf_upsert(struct gf_import_ctx *c, const char *table, int ncols, int nkey,
              const char *const *cols, const char *const *vals, int *changed, struct gf_err *e);
/* The same outside an import (actor and db given directly). */
int gf_upsert_row(struct gf_db *db, const char *actor, const char *table, int ncols, int nkey,
                  const char *const *cols, const char *const *vals, int *changed,
                  struct gf_err *e);

/* A stable code (required): 1–64 characters from [0-9A-Za-z_.-]. */
int gf_field_code(struct gf_import_ctx *c, const char *name, const char **out, struct gf_err *e);

/* The line of the record whose key (a kind with a one-column key) is key, 0 if none: for the
 * checks finish() makes on the whole file.  ctx is the struct gf_import_ctx. */
long gf_import_key_line(void *ctx, const char *key);

/* Parse a whole string as a finite decimal number ("1e3", "-2.5"; no spaces, no "nan", no
 * "0x10"). */
int gf_parse_num(const char *s, double *out);
/* Valid calendar date "YYYY-MM-DD". */
int gf_parse_date(const char *s);
/* Check that date is a valid "YYYY-MM-DD" not after today (gf_today, which honours
 * $GONGFU_NOW): the date of something that happened.  Plan and due dates may be later.  On bad
 * input returns GF_EUSER with a message naming file and line (file NULL, line 0: none), field
 * and value. */
int gf_check_past_date(const char *file, long line, const char *field, const char *date,
                       struct gf_err *e);

#endif
