/* schema.c — versioned schema migrations, applied when a database is opened.
 *
 * Each module owns an append-only list of steps; the table schema_migration records
 * (module, step) for every applied step.  A step runs in its own transaction with its record,
 * so a crash leaves the schema at a step boundary.  Never edit a released step: append one. */
#include <stdio.h>
#include <string.h>

#include "store/schema.h"

/* The core data model: units, periods, organisation, frameworks, values, audit. */
static const char *const core_steps[] = {
    /* 1 */
    "CREATE TABLE unit_level ("
    "  level INTEGER PRIMARY KEY CHECK (level BETWEEN 1 AND 9),"
    "  code TEXT NOT NULL UNIQUE, name_zh TEXT NOT NULL, name_en TEXT NOT NULL);"
    "INSERT INTO unit_level VALUES (1,'city','市','city'),(2,'county','县(区)','county'),"
    "  (3,'township','乡镇(街道)','township'),(4,'village','村(社区)','village');"
    "CREATE TABLE unit ("
    "  code TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL, name_en TEXT,"
    "  parent TEXT REFERENCES unit(code),"
    "  level INTEGER NOT NULL REFERENCES unit_level(level),"
    "  area TEXT NOT NULL CHECK (area IN ('urban','rural')),"
    "  population INTEGER CHECK (population IS NULL OR population >= 0),"
    "  note TEXT);"
    "CREATE INDEX unit_parent ON unit(parent);"
    "CREATE TABLE period ("
    "  code TEXT PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK (kind IN ('year','quarter','month')),"
    "  year INTEGER NOT NULL, sub INTEGER NOT NULL DEFAULT 0,"
    "  start_date TEXT NOT NULL, end_date TEXT NOT NULL);"
    "CREATE TABLE team ("
    "  code TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT,"
    "  kind TEXT NOT NULL CHECK (kind IN ('leading','work','support')),"
    "  note TEXT);"
    "CREATE TABLE department ("
    "  code TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT,"
    "  team TEXT REFERENCES team(code), unit TEXT REFERENCES unit(code));"
    "CREATE TABLE person ("
    "  code TEXT PRIMARY KEY, name TEXT NOT NULL,"
    "  department TEXT REFERENCES department(code), team TEXT REFERENCES team(code),"
    "  unit TEXT REFERENCES unit(code), title TEXT, phone TEXT);"
    "CREATE TABLE indicator ("
    "  code TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT,"
    "  unit_of_measure TEXT,"
    "  direction TEXT NOT NULL CHECK (direction IN ('+','-','band')),"
    "  band_lo REAL, band_hi REAL,"
    "  agg_time TEXT NOT NULL DEFAULT 'last' CHECK (agg_time IN ('sum','mean','last')),"
    "  agg_units TEXT NOT NULL DEFAULT 'none'"
    "    CHECK (agg_units IN ('sum','mean','popmean','max','min','none')),"
    "  formula TEXT, source TEXT, team TEXT REFERENCES team(code), description TEXT);"
    "CREATE TABLE framework ("
    "  code TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT, note TEXT);"
    "CREATE TABLE framework_node ("
    "  framework TEXT NOT NULL REFERENCES framework(code),"
    "  code TEXT NOT NULL, parent TEXT,"
    "  kind TEXT NOT NULL CHECK (kind IN ('index','dimension','indicator')),"
    "  name TEXT, name_en TEXT,"
    "  weight REAL NOT NULL DEFAULT 1 CHECK (weight >= 0),"
    "  baseline REAL, baseline_year INTEGER, position INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (framework, code));"
    "CREATE TABLE target ("
    "  framework TEXT NOT NULL, indicator TEXT NOT NULL REFERENCES indicator(code),"
    "  year INTEGER NOT NULL, value REAL NOT NULL,"
    "  PRIMARY KEY (framework, indicator, year));"
    "CREATE TABLE value ("
    "  unit TEXT NOT NULL REFERENCES unit(code),"
    "  indicator TEXT NOT NULL REFERENCES indicator(code),"
    "  period TEXT NOT NULL REFERENCES period(code),"
    "  value REAL NOT NULL,"
    "  origin TEXT NOT NULL DEFAULT 'reported' CHECK (origin IN ('reported','derived','rollup','computed')),"
    "  source TEXT,"
    "  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft','submitted','approved')),"
    "  updated_by TEXT NOT NULL, updated_at TEXT NOT NULL,"
    "  PRIMARY KEY (unit, indicator, period));"
    "CREATE INDEX value_indicator ON value(indicator, period);"
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,"
    "  action TEXT NOT NULL, entity TEXT NOT NULL, key TEXT NOT NULL,"
    "  before TEXT, after TEXT);",
    /* 2: facts about the database itself (e.g. demo = 1 for a demo database) */
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);",
    /* 3: the value workflow records who submitted and who approved each value; the same
     * name never does both (the domain compares people, this is the last line of defence) */
    "ALTER TABLE value ADD COLUMN submitted_by TEXT;"
    "ALTER TABLE value ADD COLUMN submitted_at TEXT;"
    "ALTER TABLE value ADD COLUMN approved_by TEXT"
    "  CHECK (approved_by IS NULL OR submitted_by IS NULL OR approved_by <> submitted_by);"
    "ALTER TABLE value ADD COLUMN approved_at TEXT;"
    /* values moved along before: the last change made them submitted or approved */
    "UPDATE value SET submitted_by = updated_by, submitted_at = updated_at"
    "  WHERE origin = 'reported' AND state = 'submitted';"
    "UPDATE value SET approved_by = updated_by, approved_at = updated_at"
    "  WHERE origin = 'reported' AND state = 'approved';",
    /* 4: the audit trail becomes a hash chain (domain/audit.c); the records already there are
     * chained by the domain on the next audit write or `gongfu audit verify`, up to this id */
    "ALTER TABLE audit ADD COLUMN prev_hash TEXT;"
    "ALTER TABLE audit ADD COLUMN hash TEXT;"
    "INSERT INTO meta (key, value) SELECT 'audit_unchained_upto', max(id) FROM audit"
    "  HAVING count(*) > 0;",
    /* 5: every value has a version that every change moves (optimistic concurrency: the data-entry
     * form sends back the version it showed), whichever path changes it */
    "ALTER TABLE value ADD COLUMN version INTEGER NOT NULL DEFAULT 1;"
    "CREATE TRIGGER value_version AFTER UPDATE OF value, source, state, origin ON value"
    "  WHEN new.version = old.version BEGIN"
    "  UPDATE value SET version = old.version + 1"
    "    WHERE unit = new.unit AND indicator = new.indicator AND period = new.period; END;",
    /* 6: threshold indicators: a condition tested at the lowest units, counted above them (the
     * number, or the share in %, of the units under each unit where it holds) */
    "ALTER TABLE indicator ADD COLUMN threshold TEXT CHECK (threshold IN ('count','share'));",
    NULL,
};

/* Each other module keeps its steps in src/store/schema_MODULE.c. */
extern const char *const gf_schema_eval_steps[];
extern const char *const gf_schema_households_steps[];
extern const char *const gf_schema_lists_steps[];
extern const char *const gf_schema_income_steps[];
extern const char *const gf_schema_users_steps[];
extern const char *const gf_schema_collective_steps[];
extern const char *const gf_schema_enterprises_steps[];
extern const char *const gf_schema_enterprise_eval_steps[];
extern const char *const gf_schema_pairing_steps[];
extern const char *const gf_schema_voice_steps[];
extern const char *const gf_schema_cases_steps[];

static const struct gf_migration_module modules[] = {
    {"core", core_steps},
    {"eval", gf_schema_eval_steps},
    {"households", gf_schema_households_steps},
    {"lists", gf_schema_lists_steps},
    {"income", gf_schema_income_steps},
    {"users", gf_schema_users_steps},
    {"collective", gf_schema_collective_steps},
    {"enterprises", gf_schema_enterprises_steps},
    {"enterprise_eval", gf_schema_enterprise_eval_steps},
    {"pairing", gf_schema_pairing_steps},
    {"cases", gf_schema_cases_steps},
    {"voice", gf_schema_voice_steps}, /* after cases: a suggestion may become a case */
};
#define NMODULES (sizeof modules / sizeof modules[0])

static int nsteps(const char *const *steps)
{
    int n = 0;
    while (steps && steps[n])
        n++;
    return n;
}

static void append_text(char *buf, size_t cap, const char *text)
{
    size_t len = strlen(buf);
    snprintf(buf + len, cap - len, "%s%s", len ? ", " : "", text);
}

static void append(char *buf, size_t cap, const char *module, long step)
{
    char item[128];
    snprintf(item, sizeof item, "%s %ld", module, step);
    append_text(buf, cap, item);
}

/* The steps below its top one that a module lacks, after its version in s->theirs: "core 6
 * without 4" (the top step alone would read as this gongfu's version). */
static int name_gaps(struct gf_db *db, const char *module, struct gf_schema_state *s,
                     struct gf_err *e)
{
    struct gf_stmt *st;
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT step FROM schema_migration WHERE module = '%s' ORDER BY step",
             module);
    int rc = gf_db_prepare(db, sql, &st, e);
    if (rc)
        return rc;
    long want = 1;
    const char *sep = " without ";
    while ((rc = gf_stmt_step(st, e)) == 1) {
        long have = (long)gf_stmt_int(st, 0);
        for (; want < have; want++, sep = ", ") {
            size_t len = strlen(s->theirs);
            snprintf(s->theirs + len, sizeof s->theirs - len, "%s%ld", sep, want);
        }
        if (have >= want)
            want = have + 1;
    }
    gf_stmt_finalize(st);
    return rc < 0 ? rc : GF_OK;
}

int gf_schema_state(struct gf_db *db, struct gf_schema_state *s, struct gf_err *e)
{
    *s = (struct gf_schema_state){0};
    for (size_t i = 0; i < NMODULES; i++)
        append(s->ours, sizeof s->ours, modules[i].module, nsteps(modules[i].steps));
    if (gf_db_int(db, "SELECT count(*) FROM schema_migration", -1) < 0) { /* a new database */
        s->pending = 1;
        snprintf(s->theirs, sizeof s->theirs, "none");
        return GF_OK;
    }
    /* the database's version, written in this gongfu's module order, unknown modules last */
    long top[NMODULES] = {0}, count[NMODULES] = {0};
    char unknown[256] = "";
    struct gf_stmt *st;
    int rc = gf_db_prepare(db,
                           "SELECT module, max(step), count(*) FROM schema_migration"
                           " GROUP BY module ORDER BY module",
                           &st, e);
    if (rc)
        return rc;
    while ((rc = gf_stmt_step(st, e)) == 1) {
        const char *module = gf_stmt_text(st, 0) ? gf_stmt_text(st, 0) : "?";
        size_t i = 0;
        while (i < NMODULES && strcmp(modules[i].module, module))
            i++;
        if (i < NMODULES) {
            top[i] = (long)gf_stmt_int(st, 1);
            count[i] = (long)gf_stmt_int(st, 2);
        } else {
            append(unknown, sizeof unknown, module, (long)gf_stmt_int(st, 1));
            s->newer = 1; /* a module this gongfu does not know */
        }
    }
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < NMODULES; i++) {
        int known = nsteps(modules[i].steps);
        if (top[i] > known)
            s->newer = 1; /* a step this gongfu does not know */
        else if (count[i] < known)
            s->pending = 1;
        append(s->theirs, sizeof s->theirs, modules[i].module, top[i]);
        if (count[i] < top[i] && top[i] <= known && (rc = name_gaps(db, modules[i].module, s, e)))
            return rc;
    }
    if (unknown[0])
        append_text(s->theirs, sizeof s->theirs, unknown);
    return GF_OK;
}

static int apply(struct gf_db *db, const char *module, const char *const *steps,
                 struct gf_err *e)
{
    for (int i = 0; steps && steps[i]; i++) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM schema_migration WHERE module='%s' AND step=%d", module,
                 i + 1);
        int64_t done = gf_db_int(db, sql, -1);
        if (done < 0) /* the record is not readable: do not build on it */
            return gf_err_set(e, GF_ESYS, "schema migration %s/%d: cannot read schema_migration",
                              module, i + 1);
        if (done > 0)
            continue;
        int rc = gf_db_begin(db, e);
        if (rc)
            return rc;
        rc = gf_db_exec(db, steps[i], e);
        if (rc == GF_OK) {
            snprintf(sql, sizeof sql,
                     "INSERT INTO schema_migration VALUES ('%s', %d, datetime('now'))", module,
                     i + 1);
            rc = gf_db_exec(db, sql, e);
        }
        if (rc) {
            gf_db_rollback(db);
            gf_err_prefix(e, "schema migration %s/%d", module, i + 1);
            return rc;
        }
        if ((rc = gf_db_commit(db, e)))
            return rc;
    }
    return GF_OK;
}

int gf_schema_migrate(struct gf_db *db, struct gf_err *e)
{
    struct gf_schema_state s;
    int rc = gf_schema_state(db, &s, e);
    if (rc)
        return rc;
    if (s.newer)
        return gf_err_set(e, GF_EUSER,
                          "written by a newer gongfu: its schema is [%s], this gongfu's is [%s]; "
                          "refusing to write to it (use a newer gongfu)",
                          s.theirs, s.ours);
    if (!s.pending)
        return GF_OK;
    rc = gf_db_exec(db,
                    "CREATE TABLE IF NOT EXISTS schema_migration ("
                    " module TEXT NOT NULL, step INTEGER NOT NULL, applied_at TEXT NOT NULL,"
                    " PRIMARY KEY (module, step))",
                    e);
    if (rc)
        return rc;
    for (size_t i = 0; i < NMODULES; i++)
        if ((rc = apply(db, modules[i].module, modules[i].steps, e)))
            return rc;
    return GF_OK;
}
