/* framework.c — import of an indicator framework (评价体系): the tree index → dimensions →
 * indicators, each indicator's definition, and its targets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/formula.h"
#include "domain/import.h"
#include "util/table.h"

static const char *const fw_cols[] = {
    "framework", "framework_name", "framework_name_en", "code", "parent", "kind", "name",
    "name_en", "weight", "unit_of_measure", "direction", "band_lo", "band_hi", "agg_time",
    "agg_units", "formula", "source", "team", "baseline", "baseline_year", "target_2025",
    "target_2027", "target_2030", "target_2035", "target_level", "target_scale", "description",
    "threshold", NULL};
static const char *const fw_req[] = {"framework", "code", "kind", "name", NULL};

static const char *num_text(char *buf, size_t n, double v, int present)
{
    if (!present)
        return NULL;
    snprintf(buf, n, "%.17g", v);
    return buf;
}

static int fw_begin(struct gf_import_ctx *c, struct gf_err *e)
{
    return gf_db_exec(c->db,
                      "CREATE TEMP TABLE IF NOT EXISTS import_nodes (framework TEXT, code TEXT, line INTEGER,"
                      " PRIMARY KEY (framework, code)); DELETE FROM import_nodes;",
                      e);
}

static void fw_release(struct gf_import_ctx *c)
{
    gf_db_exec(c->db, "DROP TABLE IF EXISTS temp.import_nodes", NULL);
}

static int fw_row(struct gf_import_ctx *c, struct gf_err *e)
{
    static const char *const kinds[] = {"index", "dimension", "indicator", NULL};
    static const char *const dirs[] = {"+", "-", "band", NULL};
    static const char *const atime[] = {"sum", "mean", "last", NULL};
    static const char *const aunits[] = {"sum", "mean", "popmean", "max", "min", "none", NULL};
    static const char *const thresholds[] = {"count", "share", NULL};
    const char *threshold = NULL;
    const char *fw, *fwname = NULL, *fwname_en = NULL, *code, *parent = NULL, *kind, *name,
                    *name_en = NULL, *uom = NULL, *dir = "+", *agg_t = "last", *agg_u = "none",
                    *formula = NULL, *source = NULL, *team = NULL, *desc = NULL;
    double weight = 1, band_lo = 0, band_hi = 0, baseline = 0, t[4] = {0};
    static const char *const scales[] = {"none", "same", NULL};
    const char *tscale = NULL;
    char tlevel[8] = "";
    long long byear = 0;
    int rc;
    if ((rc = gf_field_code(c, "framework", &fw, e)) ||
        (rc = gf_field_text(c, "framework_name", 0, &fwname, e)) ||
        (rc = gf_field_text(c, "framework_name_en", 0, &fwname_en, e)) ||
        (rc = gf_field_code(c, "code", &code, e)) ||
        (rc = gf_field_text(c, "parent", 0, &parent, e)) ||
        (rc = gf_field_enum(c, "kind", 1, kinds, &kind, e)) ||
        (rc = gf_field_text(c, "name", 1, &name, e)) ||
        (rc = gf_field_text(c, "name_en", 0, &name_en, e)) ||
        (rc = gf_field_num(c, "weight", 0, &weight, e)))
        return rc;
    if (weight < 0) {
        const char *w = NULL;
        gf_field_text(c, "weight", 1, &w, e);
        return gf_err_at(e, c->path, c->line, "weight", w, "a weight >= 0");
    }
    int is_ind = !strcmp(kind, "indicator");
    if (!strcmp(kind, "index") && parent)
        return gf_err_at(e, c->path, c->line, "parent", parent,
                         "no parent for the index (the root of the framework)");
    if (strcmp(kind, "index") && !parent)
        return gf_err_at(e, c->path, c->line, "parent", "",
                         "the code of the parent node (a %s needs one)", kind);
    /* framework row (created by its first line) */
    struct gf_stmt *st;
    if ((rc = gf_db_prepare(c->db, "SELECT name FROM framework WHERE code = ?", &st, e)))
        return rc;
    gf_stmt_bind_text(st, 1, fw);
    int exists = gf_stmt_step(st, e) == 1;
    gf_stmt_finalize(st);
    if (!exists && !fwname)
        return gf_err_at(e, c->path, c->line, "framework_name", "",
                         "the framework's name on its first line (framework %s is new)", fw);
    if (fwname) {
        const char *cols[] = {"code", "name", "name_en"};
        const char *vals[] = {fw, fwname, fwname_en};
        if ((rc = gf_upsert(c, "framework", 3, 1, cols, vals, NULL, e)))
            return rc;
    }
    /* the node's line, for the whole-file checks (the driver refuses a node given twice) */
    char line[24];
    snprintf(line, sizeof line, "%ld", c->line);
    if ((rc = gf_db_run(c->db, e, "INSERT INTO import_nodes VALUES (?, ?, ?)", fw, code, line)))
        return rc;
    int has_base = 0, has_t[4] = {0};
    static const char *const tcols[] = {"target_2025", "target_2027", "target_2030", "target_2035"};
    static const char *const tyears[] = {"2025", "2027", "2030", "2035"};
    if (is_ind) {
        if ((rc = gf_field_text(c, "unit_of_measure", 0, &uom, e)) ||
            (rc = gf_field_enum(c, "direction", 1, dirs, &dir, e)) ||
            (rc = gf_field_enum(c, "agg_time", 0, atime, &agg_t, e)) ||
            (rc = gf_field_enum(c, "agg_units", 0, aunits, &agg_u, e)) ||
            (rc = gf_field_enum(c, "threshold", 0, thresholds, &threshold, e)) ||
            (rc = gf_field_text(c, "formula", 0, &formula, e)) ||
            (rc = gf_field_text(c, "source", 0, &source, e)) ||
            (rc = gf_field_ref(c, "team", 0, "team", "code", &team, e)) ||
            (rc = gf_field_text(c, "description", 0, &desc, e)) ||
            (rc = gf_field_int(c, "baseline_year", 0, &byear, e)) ||
            (rc = gf_field_level(c, "target_level", 0, tlevel, sizeof tlevel, e)) ||
            (rc = gf_field_enum(c, "target_scale", 0, scales, &tscale, e)))
            return rc;
        const char *tmp = NULL;
        if ((rc = gf_field_text(c, "baseline", 0, &tmp, e)))
            return rc;
        if (tmp && (rc = gf_field_num(c, "baseline", 1, &baseline, e)) == GF_OK)
            has_base = 1;
        if (rc)
            return rc;
        for (int k = 0; k < 4; k++) {
            tmp = NULL;
            if ((rc = gf_field_text(c, tcols[k], 0, &tmp, e)))
                return rc;
            if (tmp) {
                if ((rc = gf_field_num(c, tcols[k], 1, &t[k], e)))
                    return rc;
                has_t[k] = 1;
            }
        }
        int has_lo = 0, has_hi = 0;
        tmp = NULL;
        if ((rc = gf_field_text(c, "band_lo", 0, &tmp, e)))
            return rc;
        if (tmp && !(rc = gf_field_num(c, "band_lo", 1, &band_lo, e)))
            has_lo = 1;
        if (rc)
            return rc;
        tmp = NULL;
        if ((rc = gf_field_text(c, "band_hi", 0, &tmp, e)))
            return rc;
        if (tmp && !(rc = gf_field_num(c, "band_hi", 1, &band_hi, e)))
            has_hi = 1;
        if (rc)
            return rc;
        if (!strcmp(dir, "band") && (!has_lo || !has_hi))
            return gf_err_at(e, c->path, c->line, has_lo ? "band_hi" : "band_lo", "",
                             "both band_lo and band_hi for a band indicator");
        if (!strcmp(dir, "band") && band_lo > band_hi) {
            char lo[40], hi[40];
            gf_fmt_double(lo, sizeof lo, band_lo);
            gf_fmt_double(hi, sizeof hi, band_hi);
            return gf_err_at(e, c->path, c->line, "band_hi", hi, "a number >= band_lo (%s)", lo);
        }
        if (threshold && !formula)
            return gf_err_at(e, c->path, c->line, "formula", "",
                             "the condition a threshold indicator counts (e.g. collective_income "
                             ">= 50000)");
        if (threshold && strcmp(agg_u, "none"))
            return gf_err_at(e, c->path, c->line, "agg_units", agg_u,
                             "none for a threshold indicator (it counts the units meeting its "
                             "condition)");
        if (formula) {
            struct gf_formula *f;
            if ((rc = gf_formula_parse(formula, &f, e))) {
                char msg[sizeof e->msg];
                snprintf(msg, sizeof msg, "%s", e->msg);
                return gf_err_at(e, c->path, c->line, "formula", formula, "a valid formula (%s)", msg);
            }
            if (threshold && !gf_formula_is_condition(f)) {
                gf_formula_free(f);
                return gf_err_at(e, c->path, c->line, "formula", formula,
                                 "a condition for a threshold indicator (a comparison such as "
                                 "collective_income >= 50000)");
            }
            for (int i = 0; i < gf_formula_nrefs(f); i++)
                if (!strcmp(gf_formula_ref(f, i), code)) {
                    gf_formula_free(f);
                    return gf_err_at(e, c->path, c->line, "formula", formula,
                                     "a formula of other indicators (it refers to %s itself)", code);
                }
            gf_formula_free(f);
        }
        char b1[40], b2[40];
        const char *cols[] = {"code", "name", "name_en", "unit_of_measure", "direction", "band_lo",
                              "band_hi", "agg_time", "agg_units", "formula", "source", "team",
                              "description", "threshold"};
        const char *vals[] = {code, name, name_en, uom, dir,
                              num_text(b1, sizeof b1, band_lo, has_lo),
                              num_text(b2, sizeof b2, band_hi, has_hi), agg_t, agg_u, formula,
                              source, team, desc, threshold};
        if ((rc = gf_upsert(c, "indicator", 14, 1, cols, vals, NULL, e)))
            return rc;
        for (int k = 0; k < 4; k++) {
            if (!has_t[k])
                continue;
            char tv[40];
            const char *tc[] = {"framework", "indicator", "year", "value"};
            const char *tvals[] = {fw, code, tyears[k], num_text(tv, sizeof tv, t[k], 1)};
            if ((rc = gf_upsert(c, "target", 4, 3, tc, tvals, NULL, e)))
                return rc;
        }
    }
    char w[40], bl[40], by[24];
    snprintf(by, sizeof by, "%lld", byear);
    char pos[24]; /* the file's order is the framework's order */
    snprintf(pos, sizeof pos, "%ld", c->line);
    const char *cols[] = {"framework", "code",     "parent",        "kind",
                          "name",      "name_en",  "weight",        "baseline",
                          "baseline_year", "position", "target_level", "target_scale"};
    const char *vals[] = {fw,   code, parent, kind, name, name_en, num_text(w, sizeof w, weight, 1),
                          num_text(bl, sizeof bl, baseline, has_base), byear ? by : NULL, pos,
                          tlevel[0] ? tlevel : NULL, tscale};
    return gf_upsert(c, "framework_node", 12, 2, cols, vals, NULL, e);
}

/* Whole-file checks: the tree of every framework touched, and the formulas. */
static int fw_finish(struct gf_import_ctx *c, struct gf_err *e)
{
    struct gf_stmt *st;
    int rc;
#define CHECK(sql, field, fmt)                                                                     \
    do {                                                                                           \
        if ((rc = gf_db_prepare(c->db, sql, &st, e)))                                              \
            return rc;                                                                             \
        if ((rc = gf_stmt_step(st, e)) == 1) {                                                     \
            rc = gf_err_at(e, c->path, (long)gf_stmt_int(st, 0), field, gf_stmt_text(st, 1), fmt,    \
                           gf_stmt_text(st, 2));                                                   \
        }                                                                                          \
        gf_stmt_finalize(st);                                                                      \
        if (rc)                                                                                    \
            return rc < 0 ? rc : GF_EUSER;                                                         \
    } while (0)
    CHECK("SELECT i.line, n.parent, n.framework FROM framework_node n JOIN import_nodes i"
          " ON i.framework = n.framework AND i.code = n.code"
          " WHERE n.parent IS NOT NULL AND NOT EXISTS (SELECT 1 FROM framework_node p"
          " WHERE p.framework = n.framework AND p.code = n.parent) ORDER BY i.line LIMIT 1",
          "parent", "the code of a node of framework %s");
    CHECK("SELECT i.line, n.parent, n.framework FROM framework_node n JOIN import_nodes i"
          " ON i.framework = n.framework AND i.code = n.code JOIN framework_node p"
          " ON p.framework = n.framework AND p.code = n.parent WHERE p.kind = 'indicator'"
          " ORDER BY i.line LIMIT 1",
          "parent", "an index or a dimension as parent (indicators are leaves of framework %s)");
    CHECK("SELECT i.line, n.code, n.framework FROM framework_node n JOIN import_nodes i"
          " ON i.framework = n.framework AND i.code = n.code WHERE n.kind = 'index'"
          " AND (SELECT count(*) FROM framework_node x"
          " WHERE x.framework = n.framework AND x.kind = 'index') > 1"
          " ORDER BY n.framework, i.line DESC LIMIT 1",
          "kind", "a single index per framework (framework %s has another)");
    CHECK("WITH RECURSIVE r(framework, code) AS (SELECT framework, code FROM framework_node"
          " WHERE parent IS NULL UNION SELECT n.framework, n.code FROM framework_node n JOIN r"
          " ON n.framework = r.framework AND n.parent = r.code)"
          " SELECT i.line, n.parent, n.framework FROM framework_node n JOIN import_nodes i"
          " ON i.framework = n.framework AND i.code = n.code WHERE NOT EXISTS"
          " (SELECT 1 FROM r WHERE r.framework = n.framework AND r.code = n.code)"
          " ORDER BY i.line LIMIT 1",
          "parent", "a parent chain that reaches the index of framework %s (this one loops)");
    CHECK("SELECT i.line, n.code, n.framework FROM framework_node n JOIN import_nodes i"
          " ON i.framework = n.framework AND i.code = n.code WHERE n.kind = 'indicator'"
          " AND NOT EXISTS (SELECT 1 FROM indicator d WHERE d.code = n.code) ORDER BY i.line LIMIT 1",
          "code", "an indicator defined in the file (framework %s)");
#undef CHECK
    /* formulas: every reference is an indicator, and no formula depends on itself */
    if ((rc = gf_db_prepare(c->db,
                            "SELECT d.code, d.formula, (SELECT min(line) FROM import_nodes i WHERE"
                            " i.code = d.code) FROM indicator d WHERE d.formula IS NOT NULL",
                            &st, e)))
        return rc;
    struct item {
        char *code, *formula;
        long line;
    } *items = NULL;
    int n = 0;
    while ((rc = gf_stmt_step(st, e)) == 1) {
        struct item *it = realloc(items, sizeof *it * (size_t)(n + 1));
        if (!it) {
            rc = gf_err_set(e, GF_ENOMEM, "out of memory");
            break;
        }
        items = it;
        items[n].code = strdup(gf_stmt_text(st, 0));
        items[n].formula = strdup(gf_stmt_text(st, 1));
        items[n].line = (long)gf_stmt_int(st, 2);
        n++;
    }
    gf_stmt_finalize(st);
    for (int i = 0; i < n && rc >= 0; i++) {
        struct gf_formula *f;
        if (gf_formula_parse(items[i].formula, &f, NULL))
            continue;
        for (int k = 0; k < gf_formula_nrefs(f) && rc >= 0; k++) {
            const char *ref = gf_formula_ref(f, k);
            int found = 0;
            if ((rc = gf_db_prepare(c->db, "SELECT 1 FROM indicator WHERE code = ?", &st, e)))
                break;
            gf_stmt_bind_text(st, 1, ref);
            found = gf_stmt_step(st, e) == 1;
            gf_stmt_finalize(st);
            if (!found)
                rc = gf_err_at(e, c->path, items[i].line, "formula", items[i].formula,
                               "indicator codes that exist (%s is not an indicator)", ref);
        }
        gf_formula_free(f);
    }
    /* cycles: depth-first over the formula graph (small: tens of derived indicators) */
    for (int i = 0; i < n && rc >= 0; i++) {
        /* walk from items[i], following formula references, up to n steps */
        char *stack[256];
        int sp = 0;
        stack[sp++] = items[i].code;
        int steps = 0;
        while (sp > 0 && rc >= 0 && steps++ < 10000) {
            char *cur = stack[--sp];
            for (int j = 0; j < n; j++) {
                if (strcmp(items[j].code, cur))
                    continue;
                struct gf_formula *f;
                if (gf_formula_parse(items[j].formula, &f, NULL))
                    continue;
                for (int k = 0; k < gf_formula_nrefs(f); k++) {
                    const char *ref = gf_formula_ref(f, k);
                    if (!strcmp(ref, items[i].code) && rc >= 0) {
                        rc = gf_err_at(e, c->path, items[i].line, "formula", items[i].formula,
                                       "a formula that does not depend on %s itself (through %s)",
                                       items[i].code, cur);
                        break;
                    }
                    for (int m = 0; m < n && sp < 256; m++)
                        if (!strcmp(items[m].code, ref))
                            stack[sp++] = items[m].code;
                }
                gf_formula_free(f);
            }
        }
    }
    for (int i = 0; i < n; i++) {
        free(items[i].code);
        free(items[i].formula);
    }
    free(items);
    return rc < 0 ? rc : GF_OK;
}

static const char *const fw_key[] = {"framework", "code", NULL};

const struct gf_import_kind gf_import_framework = {
    "framework", "评价指标体系", "indicator framework", fw_cols, fw_req,
    fw_begin, fw_row, fw_finish, fw_release, fw_key,
};
