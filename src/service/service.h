/* service.h — the service layer: every operation of gongfu, called the same way by every door.
 *
 * An operation (struct gf_op) is data: a name ("households.list"), its HTTP method and path, the
 * permission it needs, its parameters (struct gf_param: name, type, required, help) and the
 * function that runs it.  The CLI turns `gongfu households list --unit X` and the HTTP server
 * turns `GET /api/households?unit=X` into the same struct gf_call, validated by the same
 * parameter table, and both print the same struct gf_result.  Doors never see SQL.
 *
 * Every call runs as an actor (struct gf_actor: a user with a role and a unit scope, or the
 * anonymous public).  Authorisation happens inside the operation (authz.h): the role must hold
 * the operation's permission, and every unit, household, item or value it touches must lie in
 * the actor's scope.  Default deny.
 *
 * Ownership: a gf_call owns its argument copies and its result; gf_call_release frees both.  The
 * gf_ctx (database handle, actor, cached unit tree) belongs to the door that made it and outlives
 * the calls made with it.  Tables added to a result belong to the result.
 */
#ifndef GF_SERVICE_H
#define GF_SERVICE_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "domain/unit.h"
#include "service/authz.h"
#include "store/db.h"
#include "util/err.h"
#include "util/table.h"

/* ---- context ------------------------------------------------------------------------------ */

struct gf_ctx {
    struct gf_db *db;
    struct gf_actor actor;
    const char *lang;        /* "zh" or "en": labels in results */
    const struct gf_units *units; /* the unit tree: a door's cache it keeps current, or NULL to
                                     load it on first use (gf_ctx_units) */
    struct gf_units own_units;
    int own_loaded;
};

/* Initialise a context over an open database for the actor.  Nothing is allocated until
 * gf_ctx_units; gf_ctx_release frees what was. */
void gf_ctx_init(struct gf_ctx *cx, struct gf_db *db, const struct gf_actor *actor, const char *lang);
void gf_ctx_release(struct gf_ctx *cx);
/* The unit tree (loaded once per context).  NULL on error (e filled). */
const struct gf_units *gf_ctx_units(struct gf_ctx *cx, struct gf_err *e);
/* Forget the unit tree (after a units import). */
void gf_ctx_units_changed(struct gf_ctx *cx);
/* Label by the context's language. */
#define GF_L(cx, zh, en) ((cx)->lang && (cx)->lang[0] == 'e' ? (en) : (zh))

/* ---- parameters ----------------------------------------------------------------------------- */

enum gf_ptype {
    GF_PT_TEXT,   /* any text (no NUL, at most 4 000 bytes) */
    GF_PT_CODE,   /* a stable code: 1–64 of [0-9A-Za-z_.-] */
    GF_PT_INT,    /* a decimal whole number */
    GF_PT_NUM,    /* a finite decimal number */
    GF_PT_DATE,   /* YYYY-MM-DD, a real calendar date */
    GF_PT_PERIOD, /* 2024, 2024Q1, 2024-03 */
    GF_PT_BOOL,   /* a switch: CLI --name, HTTP name=true|false|1|0 */
    GF_PT_ENUM,   /* one of choices */
};

enum {
    GF_PF_REQUIRED = 1, /* must be given */
    GF_PF_KEY = 2,      /* identifies the resource: CLI positional, HTTP path segment {name} */
    GF_PF_MULTI = 4,    /* may be given several times (CLI: repeated or comma-separated) */
    GF_PF_CLI = 8,      /* the CLI door only (e.g. an output file) */
};

struct gf_param {
    const char *name;            /* "unit", "as_of" (CLI --as-of, HTTP ?as_of=) */
    enum gf_ptype type;
    unsigned flags;              /* GF_PF_* */
    const char *const *choices;  /* GF_PT_ENUM: NULL-terminated */
    const char *zh, *en;         /* what it is, for help and the OpenAPI description */
};

/* ---- operations ----------------------------------------------------------------------------- */

enum gf_op_kind {
    GF_OP_READ,  /* reads only: HTTP GET, cacheable until the data changes */
    GF_OP_WRITE, /* changes data in one transaction: HTTP POST/PUT/DELETE through the writer */
    GF_OP_JOB,   /* long work: over HTTP it runs as a job with progress */
};

struct gf_call;

struct gf_op {
    const char *name;         /* "households.list" = CLI `households list` */
    enum gf_op_kind kind;
    const char *method;       /* HTTP method; NULL = not offered over HTTP */
    const char *path;         /* "/api/households/{code}" */
    enum gf_perm perm;        /* the permission the role must hold (scope checks are inside) */
    unsigned input;           /* 1: reads an uploaded file (imports): gf_call.input */
    const struct gf_param *params; /* terminated by {NULL} */
    int (*run)(struct gf_call *c);
    const char *zh, *en;      /* one line: what it does */
};

/* Every operation, in the order of the op tables (ops.h); NULL-terminated. */
extern const struct gf_op *const *gf_ops(void);
const struct gf_op *gf_op_find(const char *name);

/* ---- a call --------------------------------------------------------------------------------- */

#define GF_CALL_MAXARG 32

struct gf_section {
    char *name;              /* JSON key: "household", "members" */
    char *label_zh, *label_en;
    struct gf_table *t;
    int record;              /* one row shown as a record (the object itself in JSON) */
};

#define GF_RESULT_MAXSEC 12

struct gf_result {
    struct gf_section sec[GF_RESULT_MAXSEC];
    int nsec;
    char *msg_zh, *msg_en;   /* a sentence for people ("3 values approved"); may be NULL */
    char *notes;             /* remarks about the result, one a line (the CLI: on stderr) */
    int64_t id;              /* the id of what a write created, 0 if none */
    int64_t version;         /* the version of the resource read or written (ETag), 0 if none */
    char *doc;               /* a document (a report's HTML, report.h) instead of tables, or NULL */
    size_t doc_len;
    const char *doc_type;    /* its media type when not a report's HTML (a download), else NULL */
    char *doc_name;          /* a download's file name, or NULL */
};

struct gf_call {
    struct gf_ctx *cx;
    const struct gf_op *op;
    char *arg[GF_CALL_MAXARG];  /* by parameter index; MULTI values joined by '\n'; NULL absent */
    const char *input;          /* file to read for input ops ("-" = standard input) */
    const char *input_name;     /* how to name it in messages (the uploaded file's name) */
    const char *input_format;   /* "csv", "json" or NULL (by the name) */
    const char *if_version;     /* optimistic concurrency: the version the client saw, or NULL */
    int cli;                    /* called by the CLI: parameters are named --like-this */
    void (*progress)(void *ctx, double done, const char *what); /* jobs; may be NULL */
    void *progress_ctx;
    struct gf_result res;
    struct gf_err err;
};

/* Start a call of op in cx (args empty). */
void gf_call_init(struct gf_call *c, struct gf_ctx *cx, const struct gf_op *op);
void gf_call_release(struct gf_call *c);
/* Give parameter `name` the text value (validated by its type: a bad value is GF_EUSER naming
 * the parameter, the value and what was expected; an unknown name is GF_EUSAGE).  MULTI
 * parameters collect every value; others refuse a second one. */
int gf_call_set(struct gf_call *c, const char *name, const char *value);
/* Check required parameters, the permission, and run.  Returns GF_OK or the error in c->err. */
int gf_call_run(struct gf_call *c);
/* The checks of gf_call_run without running: a door that runs the call later (a job) refuses a
 * call the actor may not make before it answers. */
int gf_call_check(struct gf_call *c);

/* Arguments, for operations.  Absent → NULL / def / 0. */
const char *gf_arg(const struct gf_call *c, const char *name);
int gf_arg_flag(const struct gf_call *c, const char *name);
long long gf_arg_int(const struct gf_call *c, const char *name, long long def);
double gf_arg_num(const struct gf_call *c, const char *name, double def);
/* MULTI values: a NULL-terminated malloc'd array of pointers into the call (free the array only). */
const char **gf_arg_list(const struct gf_call *c, const char *name, int *n);

/* 1 when s is a stable code: 1–64 characters from [0-9A-Za-z_.-]. */
int gf_valid_code(const char *s);

/* ---- scope checks for operations ------------------------------------------------------------ */

/* The unit must exist (else GF_ENOTFOUND naming `field` and the code) and lie in the actor's
 * scope (else GF_EFORBIDDEN). */
int gf_need_unit(struct gf_call *c, const char *field, const char *unit);
/* A list's unit filter: the given unit checked as by gf_need_unit, or, when none is given, the
 * actor's scope unit (NULL for the whole zone).  *out points into the call or the actor. */
int gf_scope_filter(struct gf_call *c, const char *field, const char *unit, const char **out);
/* ",code,code," of the unit (and its descendants when under), for SQL membership tests with
 * instr(list, ',' || code || ','); malloc'd; NULL when the unit is unknown or out of memory. */
char *gf_unit_list(const struct gf_units *u, const char *unit, int under);
/* The units a list covers: its "unit" argument (checked by gf_need_unit) or the actor's scope,
 * else the whole tree, with the units under it — as gf_unit_list.  NULL with c->err set. */
char *gf_scope_units(struct gf_call *c);

/* ---- results -------------------------------------------------------------------------------- */

/* Add a table section (the result takes t).  Returns t. */
struct gf_table *gf_result_table(struct gf_call *c, const char *name, const char *label_zh,
                                 const char *label_en, struct gf_table *t);
/* The same for a single record (printed vertically for people, an object in JSON). */
struct gf_table *gf_result_record(struct gf_call *c, const char *name, const char *label_zh,
                                  const char *label_en, struct gf_table *t);
/* A sentence for people, in both languages (printf formats that take the same arguments). */
void gf_result_msg(struct gf_call *c, const char *zh, const char *en, ...);
/* The same from two finished texts. */
void gf_result_say(struct gf_call *c, const char *zh, const char *en);
/* A remark about the result (why a part is missing): the CLI prints it on standard error as
 * "gongfu: note: …", the HTTP door as "notes": [...]. */
void gf_result_note(struct gf_call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Free a result's contents. */
void gf_result_release(struct gf_result *r);

/* Print for the CLI: table (people), csv or json.  One section prints as it always has (a JSON
 * array); several print as headed blocks (table), blank-line separated blocks (csv) or one JSON
 * object of sections. */
void gf_result_print(const struct gf_result *r, FILE *out, enum gf_format fmt, const char *lang);
/* The result as an Excel workbook (util/xlsx.h): one sheet a section, named by its label. */
int gf_result_xlsx(const struct gf_result *r, FILE *out, const char *lang, struct gf_err *e);
/* Write the result as the HTTP door's JSON body: {"section": [...] | {...}, ..., "message": ...};
 * extra (may be NULL) is more members, written before the closing brace ("\"pager\": {…}"). */
void gf_result_json(const struct gf_result *r, FILE *out, const char *lang, const char *extra);

/* Run a query with text parameters and add its rows as a table section; numeric (NULL-terminated
 * column codes, may be NULL) are kept as numbers.  For list operations. */
int gf_result_query(struct gf_call *c, const char *name, const char *label_zh,
                    const char *label_en, const char *sql, const char *const *params, int nparams,
                    const struct gf_column *cols, int ncols, const char *const *numeric);

/* ---- publication (亮晒) ---------------------------------------------------------------------- */

/* The result as JSON (sections with their column codes and labels, rows, the sentences), and back
 * into a call's result. */
json_t *gf_result_dump(const struct gf_result *r);
int gf_result_load(struct gf_call *c, json_t *doc);
/* Freeze the call's current result as a publication of kind ("race", "evaluation") for period and
 * subject: stored as canonical JSON with its SHA-256, which the audit record carries (so the audit
 * chain vouches for it).  Sets c->res.id and the sentence.  One transaction. */
int gf_publish(struct gf_call *c, const char *kind, const char *period, const char *subject,
               const char *title);

#endif
