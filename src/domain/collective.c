/* collective.c — the village collective economy: its imports and the indicators computed from
 * them (see collective.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/collective.h"
#include "domain/computed.h"
#include "domain/import.h"
#include "domain/unit.h"
#include "domain/values.h"
#include "util/table.h"

const struct gf_code_label gf_collective_sources[] = {
    {"operating", "经营收入", "operating"},
    {"contracting", "发包及上交收入", "contracting and remittances"},
    {"investment", "投资收益", "investment returns"},
    {"subsidy", "补助收入", "subsidies"},
    {"other", "其他收入", "other income"},
    {NULL},
};

const struct gf_code_label gf_village_enterprise_kinds[] = {
    {"qiangcun", "强村公司", "village-strengthening company"},
    {"development", "乡村发展公司", "rural development company"},
    {"cooperative", "合作社", "cooperative"},
    {"other", "其他", "other"},
    {NULL},
};

/* ---- field checks shared by the kinds ---------------------------------------------------- */

static const char *const *codes_of(const struct gf_code_label *s)
{
    static const char *sources[8], *kinds[8];
    const char **out = s == gf_collective_sources ? sources : kinds;
    for (int i = 0; s[i].code; i++)
        out[i] = s[i].code;
    return out;
}

/* A village: an existing unit with no unit under it. */
static int field_village(struct gf_import_ctx *c, const char *name, const char **out,
                         struct gf_err *e)
{
    int rc = gf_field_ref(c, name, 1, "unit", "code", out, e);
    if (rc)
        return rc;
    if (gf_db_int_text(c->db, "SELECT count(*) FROM unit WHERE parent = ?", *out) > 0)
        return gf_err_at(e, c->path, c->line, name, *out,
                         "a village (a unit with no units under it): collective economy ledgers "
                         "are kept by villages");
    return GF_OK;
}

/* A year from 2000 to this one. */
static int field_year(struct gf_import_ctx *c, const char *name, int required, char *out,
                      struct gf_err *e)
{
    long long y = -1;
    int rc = gf_field_int(c, name, required, &y, e);
    if (rc || y == -1)
        return rc;
    char today[32];
    int now = atoi(gf_today(today));
    if (y < 2000 || y > now) {
        char v[32];
        snprintf(v, sizeof v, "%lld", y);
        return gf_err_at(e, c->path, c->line, name, v, "a year from 2000 to %d", now);
    }
    snprintf(out, 16, "%lld", y);
    return GF_OK;
}

/* An amount in yuan; min_zero: not negative.  Absent → "0" when optional. */
static int field_amount(struct gf_import_ctx *c, const char *name, int required, int min_zero,
                        char *out, int cap, struct gf_err *e)
{
    double v = NAN;
    int rc = gf_field_num(c, name, required, &v, e);
    if (rc)
        return rc;
    if (isnan(v)) {
        snprintf(out, (size_t)cap, "0");
        return GF_OK;
    }
    if (min_zero && v < 0) {
        char s[64];
        gf_fmt_double(s, sizeof s, v);
        return gf_err_at(e, c->path, c->line, name, s, "an amount in yuan, 0 or more");
    }
    gf_fmt_double(out, cap, v);
    return GF_OK;
}

/* Every kind ends by recomputing the indicators, inside the import's transaction. */
static int recompute(struct gf_import_ctx *c, struct gf_err *e)
{
    struct gf_collective_stats s;
    return gf_collective_compute(c->db, c->actor, &s, e);
}

/* ---- import: collective_income ------------------------------------------------------------- */

static const char *const income_cols[] = {"unit", "year", "source", "amount", "note", NULL};
static const char *const income_key[] = {"unit", "year", "source", NULL};

static int income_row(struct gf_import_ctx *c, struct gf_err *e)
{
    const char *unit, *source, *note = NULL;
    char year[16], amount[64];
    int rc;
    if ((rc = field_village(c, "unit", &unit, e)) || (rc = field_year(c, "year", 1, year, e)) ||
        (rc = gf_field_enum(c, "source", 1, codes_of(gf_collective_sources), &source, e)) ||
        (rc = field_amount(c, "amount", 1, 1, amount, sizeof amount, e)) ||
        (rc = gf_field_text(c, "note", 0, &note, e)))
        return rc;
    const char *cols[] = {"unit", "year", "source", "amount", "note"};
    const char *vals[] = {unit, year, source, amount, note};
    return gf_upsert(c, "collective_income", 5, 3, cols, vals, NULL, e);
}

const struct gf_import_kind gf_import_collective_income = {
    "collective_income", "村集体经济收入(按来源)", "village collective income by source",
    income_cols, income_key, NULL, income_row, recompute, NULL, income_key,
};

/* ---- import: village_enterprises ----------------------------------------------------------- */

static const char *const ent_cols[] = {"code", "name", "unit", "kind", "founded", "note", NULL};
static const char *const ent_req[] = {"code", "name", "unit", "kind", NULL};
static const char *const code_key[] = {"code", NULL};

static int enterprise_row(struct gf_import_ctx *c, struct gf_err *e)
{
    const char *code, *name, *unit, *kind, *note = NULL;
    char founded[16] = "";
    int rc;
    if ((rc = gf_field_code(c, "code", &code, e)) || (rc = gf_field_text(c, "name", 1, &name, e)) ||
        (rc = field_village(c, "unit", &unit, e)) ||
        (rc = gf_field_enum(c, "kind", 1, codes_of(gf_village_enterprise_kinds), &kind, e)) ||
        (rc = field_year(c, "founded", 0, founded, e)) ||
        (rc = gf_field_text(c, "note", 0, &note, e)))
        return rc;
    const char *cols[] = {"code", "name", "unit", "kind", "founded", "note"};
    const char *vals[] = {code, name, unit, kind, founded[0] ? founded : NULL, note};
    return gf_upsert(c, "village_enterprise", 6, 1, cols, vals, NULL, e);
}

const struct gf_import_kind gf_import_village_enterprises = {
    "village_enterprises", "村级企业(强村公司、乡村发展公司、合作社)",
    "village enterprises (强村公司, development companies, cooperatives)",
    ent_cols, ent_req, NULL, enterprise_row, recompute, NULL, code_key,
};

/* ---- import: village_enterprise_results ---------------------------------------------------- */

static const char *const res_cols[] = {"enterprise", "year",          "revenue", "profit",
                                       "dividends",  "to_collective", "note",    NULL};
static const char *const res_req[] = {"enterprise", "year", "revenue", "profit", NULL};
static const char *const res_key[] = {"enterprise", "year", NULL};

static int result_row(struct gf_import_ctx *c, struct gf_err *e)
{
    const char *ent, *note = NULL;
    char year[16], revenue[64], profit[64], dividends[64], to_coll[64];
    int rc;
    if ((rc = gf_field_ref(c, "enterprise", 1, "village_enterprise", "code", &ent, e)) ||
        (rc = field_year(c, "year", 1, year, e)) ||
        (rc = field_amount(c, "revenue", 1, 1, revenue, sizeof revenue, e)) ||
        (rc = field_amount(c, "profit", 1, 0, profit, sizeof profit, e)) ||
        (rc = field_amount(c, "dividends", 0, 1, dividends, sizeof dividends, e)) ||
        (rc = field_amount(c, "to_collective", 0, 1, to_coll, sizeof to_coll, e)) ||
        (rc = gf_field_text(c, "note", 0, &note, e)))
        return rc;
    const char *cols[] = {"enterprise", "year", "revenue", "profit", "dividends", "to_collective",
                          "note"};
    const char *vals[] = {ent, year, revenue, profit, dividends, to_coll, note};
    return gf_upsert(c, "village_enterprise_result", 7, 2, cols, vals, NULL, e);
}

const struct gf_import_kind gf_import_village_enterprise_results = {
    "village_enterprise_results", "村级企业年度经营(营收、利润、分红)",
    "village enterprises' yearly results (revenue, profit, dividends)",
    res_cols, res_req, NULL, result_row, recompute, NULL, res_key,
};

/* ---- import: enclaves ---------------------------------------------------------------------- */

static const char *const encl_cols[] = {"code", "name", "location", "started",
                                        "unit", "invested", "note", NULL};
static const char *const encl_req[] = {"code", "name", "unit", "invested", NULL};
static const char *const encl_key[] = {"code", "unit", NULL};

/* The enclaves met so far in the file, with their first line. */
struct seen {
    char **code;
    long *line;
    int n, cap;
};

static long seen_line(const struct seen *s, const char *code)
{
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->code[i], code))
            return s->line[i];
    return 0;
}

static int seen_add(struct seen *s, const char *code, long line, struct gf_err *e)
{
    if (s->n == s->cap) {
        int cap = s->cap ? 2 * s->cap : 16;
        char **c = realloc(s->code, (size_t)cap * sizeof *c);
        if (c)
            s->code = c;
        long *l = realloc(s->line, (size_t)cap * sizeof *l);
        if (l)
            s->line = l;
        if (!c || !l)
            return gf_err_set(e, GF_ENOMEM, "out of memory");
        s->cap = cap;
    }
    if (!(s->code[s->n] = strdup(code)))
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    s->line[s->n++] = line;
    return GF_OK;
}

static int seen_begin(struct gf_import_ctx *c, struct gf_err *e)
{
    if (!(c->state = calloc(1, sizeof(struct seen))))
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    return GF_OK;
}

static void seen_release(struct gf_import_ctx *c)
{
    struct seen *s = c->state;
    if (!s)
        return;
    for (int i = 0; i < s->n; i++)
        free(s->code[i]);
    free(s->code);
    free(s->line);
    free(s);
    c->state = NULL;
}

/* The stored project has these values (code, name, location, started, note). */
static int same_project(struct gf_db *db, const char *const *v)
{
    struct gf_stmt *st;
    if (gf_db_prepare(db,
                      "SELECT 1 FROM enclave WHERE code = ? AND name = ? AND location IS NOT DISTINCT FROM ?"
                      " AND started IS NOT DISTINCT FROM CAST(? AS INTEGER) AND note IS NOT DISTINCT FROM ?",
                      &st, NULL))
        return 0;
    for (int i = 0; i < 5; i++)
        gf_stmt_bind_text(st, i + 1, v[i]);
    int same = gf_stmt_step(st, NULL) == 1;
    gf_stmt_finalize(st);
    return same;
}

static int enclave_row(struct gf_import_ctx *c, struct gf_err *e)
{
    const char *code, *name, *location = NULL, *unit, *note = NULL;
    char started[16] = "", invested[64];
    double inv = NAN;
    int rc;
    if ((rc = gf_field_code(c, "code", &code, e)) || (rc = gf_field_text(c, "name", 1, &name, e)) ||
        (rc = gf_field_text(c, "location", 0, &location, e)) ||
        (rc = field_year(c, "started", 0, started, e)) ||
        (rc = field_village(c, "unit", &unit, e)) ||
        (rc = gf_field_num(c, "invested", 1, &inv, e)) ||
        (rc = gf_field_text(c, "note", 0, &note, e)))
        return rc;
    gf_fmt_double(invested, sizeof invested, inv);
    if (!(inv > 0))
        return gf_err_at(e, c->path, c->line, "invested", invested,
                         "the village's stake in yuan, more than 0");
    /* the project's own columns: the same on every row of the project in one file */
    const char *pcols[] = {"code", "name", "location", "started", "note"};
    const char *pvals[] = {code, name, location, started[0] ? started : NULL, note};
    struct seen *sn = c->state;
    long earlier = seen_line(sn, code);
    if (earlier) {
        if (gf_db_int_text(c->db, "SELECT count(*) FROM enclave WHERE code = ?", code) &&
            !same_project(c->db, pvals))
            return gf_err_at(e, c->path, c->line, "name", name,
                             "the same name, location, started and note as line %ld, the first "
                             "row of enclave %s",
                             earlier, code);
    } else if ((rc = seen_add(sn, code, c->line, e)) ||
               (rc = gf_upsert(c, "enclave", 5, 1, pcols, pvals, NULL, e))) {
        return rc;
    }
    const char *scols[] = {"enclave", "unit", "invested"};
    const char *svals[] = {code, unit, invested};
    return gf_upsert(c, "enclave_share", 3, 2, scols, svals, NULL, e);
}

const struct gf_import_kind gf_import_enclaves = {
    "enclaves", "飞地抱团项目及各村入股", "enclave investments (飞地抱团) and each village's stake",
    encl_cols, encl_req, seen_begin, enclave_row, recompute, seen_release, encl_key,
};

/* ---- import: enclave_returns --------------------------------------------------------------- */

static const char *const ret_cols[] = {"enclave", "year", "amount", "note", NULL};
static const char *const ret_req[] = {"enclave", "year", "amount", NULL};
static const char *const ret_key[] = {"enclave", "year", NULL};

static int return_row(struct gf_import_ctx *c, struct gf_err *e)
{
    const char *encl, *note = NULL;
    char year[16], amount[64];
    int rc;
    if ((rc = gf_field_ref(c, "enclave", 1, "enclave", "code", &encl, e)) ||
        (rc = field_year(c, "year", 1, year, e)) ||
        (rc = field_amount(c, "amount", 1, 1, amount, sizeof amount, e)) ||
        (rc = gf_field_text(c, "note", 0, &note, e)))
        return rc;
    const char *cols[] = {"enclave", "year", "amount", "note"};
    const char *vals[] = {encl, year, amount, note};
    return gf_upsert(c, "enclave_return", 4, 2, cols, vals, NULL, e);
}

const struct gf_import_kind gf_import_enclave_returns = {
    "enclave_returns", "飞地抱团年度收益(按入股分配到村)",
    "enclave returns of a year (shared among the villages by stake)",
    ret_cols, ret_req, NULL, return_row, recompute, NULL, ret_key,
};

/* ---- the indicators -------------------------------------------------------------------------- */

enum { S_OPERATING, S_CONTRACTING, S_INVESTMENT, S_SUBSIDY, S_OTHER, S_ENTERPRISE, S_ENCLAVE,
       S_DIVIDENDS, NS };
enum { I_OPERATING, I_TOTAL, I_GROWTH, I_DIVIDENDS, I_ENCLAVE, NI };

static const struct gf_computed_ind ind[NI] = {
    {"collective_income_village", "村级集体经济收入", "Village collective economy income", "万元",
     "+", "村集体经济经营性收入: 经营收入+发包及上交收入+投资收益+村级企业上交+飞地抱团收益", "mean"},
    {"collective_total_income", "村集体经济总收入", "Total collective income", "万元", "+",
     "经营性收入加补助收入和其他收入", "mean"},
    {"collective_income_growth", "村集体经济收入增速", "Growth of collective income", "%", "+",
     "经营性收入比上年增长(上年有台账且大于0)", "mean"},
    {"collective_dividends", "村级企业分红到户", "Village enterprises' dividends to villagers",
     "万元", "+", "强村公司、乡村发展公司、合作社当年分给村民的红利", "sum"},
    {"collective_enclave_returns", "飞地抱团收益", "Returns from enclave investments", "万元",
     "+", "村在飞地抱团项目中按入股比例分得的当年收益", "sum"},
};

struct ledger {
    int nu, ny, y0;
    double *a;          /* [year][unit][NS], NaN = no record */
    unsigned char *has; /* [year][unit]: any record */
    unsigned char *ent; /* [year][unit]: enterprise results */
    unsigned char *enc; /* [year][unit]: enclave returns */
    int year;           /* the year being saved */
};

static size_t at(const struct ledger *l, int y, int u)
{
    return (size_t)(y - l->y0) * (size_t)l->nu + (size_t)u;
}

static void add(struct ledger *l, int y, int u, int s, double v)
{
    size_t k = at(l, y, u);
    l->a[k * NS + (size_t)s] += v;
    l->has[k] = 1;
}

static double operating(const struct ledger *l, int y, int u)
{
    const double *a = &l->a[at(l, y, u) * NS];
    return a[S_OPERATING] + a[S_CONTRACTING] + a[S_INVESTMENT] + a[S_ENTERPRISE] + a[S_ENCLAVE];
}

static double value(void *ctx, int u, int i)
{
    const struct ledger *l = ctx;
    int y = l->year;
    size_t k = at(l, y, u);
    if (!l->has[k])
        return NAN;
    const double *a = &l->a[k * NS];
    switch (i) {
    case I_OPERATING:
        return operating(l, y, u) / 1e4;
    case I_TOTAL:
        return (operating(l, y, u) + a[S_SUBSIDY] + a[S_OTHER]) / 1e4;
    case I_GROWTH: {
        if (y == l->y0 || !l->has[at(l, y - 1, u)])
            return NAN;
        double before = operating(l, y - 1, u);
        return before > 0 ? (operating(l, y, u) / before - 1) * 100 : NAN;
    }
    case I_DIVIDENDS:
        return l->ent[k] ? a[S_DIVIDENDS] / 1e4 : NAN;
    default:
        return l->enc[k] ? a[S_ENCLAVE] / 1e4 : NAN;
    }
}

/* Read every record into the ledger: (unit, year, source, amount) rows of one query. */
static int read_rows(struct gf_db *db, const struct gf_units *units, struct ledger *l,
                     const char *sql, struct gf_err *e)
{
    struct gf_stmt *st;
    int rc = gf_db_prepare(db, sql, &st, e);
    if (rc)
        return rc;
    while ((rc = gf_stmt_step(st, e)) == 1) {
        int u = gf_units_find(units, gf_stmt_text(st, 0));
        int y = (int)gf_stmt_int(st, 1), s = (int)gf_stmt_int(st, 2);
        if (u < 0 || y < l->y0 || y >= l->y0 + l->ny || s < 0 || s >= NS)
            continue;
        add(l, y, u, s, gf_stmt_double(st, 3));
        if (s == S_ENTERPRISE || s == S_DIVIDENDS)
            l->ent[at(l, y, u)] = 1;
        if (s == S_ENCLAVE)
            l->enc[at(l, y, u)] = 1;
    }
    gf_stmt_finalize(st);
    return rc < 0 ? rc : GF_OK;
}

static const char *const ledger_sql[] = {
    /* the ledger's sources, numbered as S_* */
    "SELECT unit, year, CASE source WHEN 'operating' THEN 0 WHEN 'contracting' THEN 1"
    " WHEN 'investment' THEN 2 WHEN 'subsidy' THEN 3 ELSE 4 END, amount FROM collective_income",
    "SELECT e.unit, r.year, 5, r.to_collective FROM village_enterprise_result r"
    " JOIN village_enterprise e ON e.code = r.enterprise",
    "SELECT e.unit, r.year, 7, r.dividends FROM village_enterprise_result r"
    " JOIN village_enterprise e ON e.code = r.enterprise",
    /* each village's share of an enclave's return, by stake */
    "SELECT s.unit, r.year, 6, r.amount * s.invested / t.total FROM enclave_return r"
    " JOIN enclave_share s ON s.enclave = r.enclave"
    " JOIN (SELECT enclave, sum(invested) AS total FROM enclave_share GROUP BY enclave) t"
    " ON t.enclave = r.enclave",
};

static int save_year(struct gf_db *db, const char *actor, const struct gf_units *units,
                     struct ledger *l, int y, struct gf_collective_stats *s, struct gf_err *e)
{
    char period[16];
    snprintf(period, sizeof period, "%d", y);
    l->year = y;
    struct gf_computed_set set = {period, "gongfu collective (村集体经济台账)",
                                  "gongfu collective (村集体经济台账)", units, ind, NI, value, l};
    struct gf_computed_stats cs;
    int rc = gf_computed_save(db, actor, &set, &cs, e);
    if (rc)
        return rc;
    s->written += cs.written;
    s->unchanged += cs.unchanged;
    s->removed += cs.removed;
    s->kept += cs.kept;
    if (!cs.written && !cs.removed && !cs.created)
        return GF_OK;
    char w[32], r[32], key[64];
    snprintf(w, sizeof w, "%ld", cs.written);
    snprintf(r, sizeof r, "%ld", cs.removed);
    snprintf(key, sizeof key, "collective:%d", y);
    char *after = gf_json_obj("source", set.source, "written", w, "removed", r, (char *)NULL);
    if (!after)
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    rc = gf_audit(db, actor, "compute", "value", key, NULL, after, e);
    free(after);
    if (rc)
        return rc;
    struct gf_rollup_stats rs;
    return gf_values_rollup(db, actor, period, &rs, e);
}

int gf_collective_compute(struct gf_db *db, const char *actor, struct gf_collective_stats *s,
                          struct gf_err *e)
{
    memset(s, 0, sizeof *s);
    const char *years_sql = "SELECT min(y), max(y) FROM (SELECT year AS y FROM collective_income"
                            " UNION ALL SELECT year FROM village_enterprise_result"
                            " UNION ALL SELECT year FROM enclave_return) AS y";
    struct gf_stmt *st;
    int rc = gf_db_prepare(db, years_sql, &st, e), y0 = 0, y1 = -1;
    if (rc)
        return rc;
    if (gf_stmt_step(st, e) == 1 && !gf_stmt_is_null(st, 0)) {
        y0 = (int)gf_stmt_int(st, 0);
        y1 = (int)gf_stmt_int(st, 1);
    }
    gf_stmt_finalize(st);
    if (y1 < y0)
        return GF_OK;
    struct gf_units units;
    if ((rc = gf_units_load(db, &units, e)))
        return rc;
    struct ledger l = {units.n, y1 - y0 + 1, y0, NULL, NULL, NULL, NULL, 0};
    size_t cells = (size_t)l.ny * (size_t)(l.nu ? l.nu : 1);
    l.a = calloc(cells * NS, sizeof *l.a);
    l.has = calloc(cells, 1);
    l.ent = calloc(cells, 1);
    l.enc = calloc(cells, 1);
    if (!l.a || !l.has || !l.ent || !l.enc) {
        rc = gf_err_set(e, GF_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t q = 0; q < sizeof ledger_sql / sizeof ledger_sql[0] && !rc; q++)
        rc = read_rows(db, &units, &l, ledger_sql[q], e);
    if (rc)
        goto out;
    if ((rc = gf_db_begin(db, e)))
        goto out;
    for (int y = y0; y <= y1 && !rc; y++) {
        int any = 0;
        for (int u = 0; u < l.nu && !any; u++)
            any = l.has[at(&l, y, u)];
        s->years += any;
        rc = save_year(db, actor, &units, &l, y, s, e);
    }
    if (rc)
        gf_db_rollback(db);
    else
        rc = gf_db_commit(db, e);
out:
    free(l.a);
    free(l.has);
    free(l.ent);
    free(l.enc);
    gf_units_free(&units);
    return rc;
}
