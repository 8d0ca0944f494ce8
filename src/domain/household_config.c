/* household_config.c — what people configure in household monitoring: the lists (categories,
 * discovery channels, risk types, measures, identification steps) and the monitoring lines.
 * Each change is one transaction with its audit record (gf_upsert_row). */
#include <stdio.h>
#include <string.h>

#include "domain/household.h"
#include "domain/import.h"
#include "util/table.h"

const char *const gf_hh_list_names[] = {"categories", "channels", "risks",
                                        "measures",   "steps",    NULL};
static const char *const list_tables[] = {"hh_category", "hh_channel", "hh_risk_type",
                                          "hh_measure_type", "hh_ident_step"};

const char *gf_hh_list_table(const char *list)
{
    for (int i = 0; list && gf_hh_list_names[i]; i++)
        if (!strcmp(list, gf_hh_list_names[i]))
            return list_tables[i];
    return NULL;
}

/* Begin, upsert one row, commit (or roll back). */
static int upsert_one(struct gf_db *db, const char *actor, const char *table, int ncols, int nkey,
                      const char *const *cols, const char *const *vals, struct gf_err *e)
{
    int rc = gf_db_begin(db, e);
    if (rc)
        return rc;
    if ((rc = gf_upsert_row(db, actor, table, ncols, nkey, cols, vals, NULL, e))) {
        gf_db_rollback(db);
        return rc;
    }
    return gf_db_commit(db, e);
}

int gf_hh_list_set(struct gf_db *db, const char *actor, const char *list, const char *code,
                   const char *name, const char *name_en, long position, int required,
                   struct gf_err *e)
{
    const char *table = gf_hh_list_table(list);
    if (!table)
        return gf_err_at(e, NULL, 0, "list", list ? list : "",
                         "one of: categories, channels, risks, measures, steps");
    int steps = !strcmp(list, "steps");
    if (required >= 0 && !steps)
        return gf_err_at(e, NULL, 0, "required", required ? "1" : "0",
                         "nothing: required is for the identification steps only");
    if (!code || !*code)
        return gf_err_at(e, NULL, 0, "code", "", "the code of the entry");
    if (!name || !*name)
        return gf_err_at(e, NULL, 0, "name", "", "the name of the entry");
    if (position < 0 || position > 100000) {
        char v[24];
        snprintf(v, sizeof v, "%ld", position);
        return gf_err_at(e, NULL, 0, "position", v, "a positive whole number");
    }
    /* an existing entry keeps what is not given */
    char sql[200], enbuf[256] = "", posbuf[24] = "", reqbuf[4] = "1";
    snprintf(sql, sizeof sql, "SELECT name_en, position%s FROM %s WHERE code = ?",
             steps ? ", required" : "", table);
    struct gf_stmt *st;
    int rc = gf_db_prepare(db, sql, &st, e);
    if (rc)
        return rc;
    gf_stmt_bind_text(st, 1, code);
    rc = gf_stmt_step(st, e);
    if (rc == 1) {
        if (!name_en && gf_stmt_text(st, 0))
            snprintf(enbuf, sizeof enbuf, "%s", gf_stmt_text(st, 0)), name_en = enbuf;
        snprintf(posbuf, sizeof posbuf, "%lld", (long long)gf_stmt_int(st, 1));
        if (steps)
            snprintf(reqbuf, sizeof reqbuf, "%lld", (long long)gf_stmt_int(st, 2));
    }
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    if (position > 0)
        snprintf(posbuf, sizeof posbuf, "%ld", position);
    else if (!posbuf[0]) { /* a new entry goes last */
        snprintf(sql, sizeof sql, "SELECT COALESCE(max(position), 0) + 1 FROM %s", table);
        snprintf(posbuf, sizeof posbuf, "%lld", (long long)gf_db_int(db, sql, 1));
    }
    if (required >= 0)
        snprintf(reqbuf, sizeof reqbuf, "%d", required ? 1 : 0);
    const char *cols[5] = {"code", "name", "name_en", "position", "required"};
    const char *vals[5] = {code, name, name_en, posbuf, reqbuf};
    return upsert_one(db, actor, table, steps ? 5 : 4, 1, cols, vals, e);
}

int gf_hh_line_set(struct gf_db *db, const char *actor, const char *region, const char *area,
                   long year, double amount, const char *name, const char *source, int verified,
                   struct gf_err *e)
{
    char yb[24], ab[40];
    snprintf(yb, sizeof yb, "%ld", year);
    if (!area || (strcmp(area, "urban") && strcmp(area, "rural") && strcmp(area, "all")))
        return gf_err_at(e, NULL, 0, "area", area ? area : "", "one of: urban, rural, all");
    if (year < 1900 || year > 2200)
        return gf_err_at(e, NULL, 0, "year", yb, "a year such as 2024");
    if (!(amount > 0) || amount > 1e12) {
        gf_fmt_double(ab, sizeof ab, amount);
        return gf_err_at(e, NULL, 0, "amount", ab, "a positive amount in yuan");
    }
    if (!region || (strcmp(region, "CN") &&
                    !gf_db_int_text(db, "SELECT count(*) FROM unit WHERE code = ?", region)))
        return gf_err_at(e, NULL, 0, "region", region ? region : "",
                         "CN or the code of an existing unit");
    gf_fmt_double(ab, sizeof ab, amount);
    const char *cols[] = {"region", "area", "year", "amount", "name", "source", "verified"};
    const char *vals[] = {region, area, yb, ab, name, source, verified ? "1" : "0"};
    return upsert_one(db, actor, "hh_line", 7, 3, cols, vals, e);
}
