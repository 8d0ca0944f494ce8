/* demo_collective.c — the synthetic collective economy ledgers of the demo (gf_demo_collective).
 *
 * Built from the synthetic village values already stored (collective_income_village and
 * collective_total_income, 2019–2025), so that the ledgers give back the same yearly operating
 * and total income: every fourth village (by a hash of its code) runs a village enterprise
 * (强村公司 or cooperative) from 2021 that pays 15 % of the village's operating income to the
 * collective and half of that again as dividends to villagers; the villages of each county with
 * enough income join one enclave investment (飞地抱团) in 2021 with half their 2021 income as
 * stake and get 8 % of it a year from 2022; the rest of the operating income is split 50/30/20
 * into operating, contracting and investment income; total minus operating income is 80 %
 * subsidy and 20 % other income.  Every record says "synthetic" in its note.  The growth rate
 * then follows from the ledgers instead of the synthetic series. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/collective.h"
#include "domain/demo_build.h"
#include "domain/unit.h"

#define Y0 2019
#define NY 7 /* 2019–2025 */
#define ENT_FROM 2021
#define ENCLAVE_FROM 2021
#define NOTE "合成演示数据 synthetic demo ledger"

struct village {
    int unit;                       /* index in units */
    double op[NY], total[NY];       /* yuan, NaN = none */
    int enterprise;                 /* runs one */
    double stake;                   /* enclave stake, yuan (0 = none) */
};

static uint32_t hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static int load(struct gf_db *db, const struct gf_units *u, struct village *v, int *nv,
                struct gf_err *e)
{
    struct gf_stmt *st;
    int rc = gf_db_prepare(db,
                           "SELECT unit, indicator, CAST(period AS INTEGER), value FROM value"
                           " WHERE indicator IN ('collective_income_village', 'collective_total_income')"
                           " AND length(period) = 4 AND source = 'synthetic'",
                           &st, e);
    if (rc)
        return rc;
    int *slot = malloc((size_t)(u->n ? u->n : 1) * sizeof *slot);
    if (!slot) {
        gf_stmt_finalize(st);
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    }
    for (int i = 0; i < u->n; i++)
        slot[i] = -1;
    *nv = 0;
    while ((rc = gf_stmt_step(st, e)) == 1) {
        int k = gf_units_find(u, gf_stmt_text(st, 0)), y = (int)gf_stmt_int(st, 2) - Y0;
        if (k < 0 || u->unit[k].subtree_size != 1 || y < 0 || y >= NY)
            continue;
        if (slot[k] < 0) {
            struct village *w = &v[slot[k] = (*nv)++];
            memset(w, 0, sizeof *w);
            w->unit = k;
            for (int j = 0; j < NY; j++)
                w->op[j] = w->total[j] = NAN;
        }
        double x = round(gf_stmt_double(st, 3) * 1e4);
        if (!strcmp(gf_stmt_text(st, 1), "collective_income_village"))
            v[slot[k]].op[y] = x;
        else
            v[slot[k]].total[y] = x;
    }
    gf_stmt_finalize(st);
    free(slot);
    return rc < 0 ? rc : GF_OK;
}

/* One ledger row of a village's year. */
static int put(struct gf_db *db, struct gf_err *e, const char *unit, const char *year,
               const char *source, double x, long *n)
{
    char num[64];
    snprintf(num, sizeof num, "%.0f", x);
    ++*n;
    return gf_db_run(db, e,
                     "INSERT INTO collective_income (unit, year, source, amount, note)"
                     " VALUES (?, ?, ?, ?, ?)",
                     unit, year, source, num, NOTE);
}

int gf_demo_collective(struct gf_db *db, const char *actor, struct gf_err *e)
{
    struct gf_units u;
    int rc = gf_units_load(db, &u, e), nv = 0;
    if (rc)
        return rc;
    struct village *v = calloc((size_t)(u.n ? u.n : 1), sizeof *v);
    if (!v) {
        gf_units_free(&u);
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    }
    long rows = 0;
    if ((rc = load(db, &u, v, &nv, e)) || (rc = gf_db_begin(db, e)))
        goto out;
    /* the enclaves: one per county, the villages with 2021 operating income of 100 000 yuan or
     * more, in the order of the unit tree */
    for (int i = 0; i < nv; i++) {
        struct village *w = &v[i];
        const char *code = u.unit[w->unit].code;
        w->enterprise = hash(code) % 4 == 0 && !isnan(w->op[ENT_FROM - Y0]);
        double base = w->op[ENCLAVE_FROM - Y0];
        if (!isnan(base) && base >= 100000)
            w->stake = round(base * 0.5 / 1000) * 1000;
    }
    for (int c = 0; c < u.n && !rc; c++) {
        if (u.unit[c].level != GF_LEVEL_COUNTY)
            continue;
        char encl[64], name[256], started[8];
        snprintf(encl, sizeof encl, "FD%s", u.unit[c].code);
        snprintf(name, sizeof name, "%s飞地抱团标准厂房项目", u.unit[c].name);
        snprintf(started, sizeof started, "%d", ENCLAVE_FROM);
        double sum = 0;
        for (int i = 0; i < nv; i++)
            if (v[i].stake > 0 && gf_units_within(&u, v[i].unit, c))
                sum += v[i].stake;
        if (sum <= 0)
            continue;
        rc = gf_db_run(db, e,
                       "INSERT INTO enclave (code, name, location, started, note) VALUES (?, ?,"
                       " '攀枝花钒钛高新技术产业开发区', ?, ?)",
                       encl, name, started, NOTE);
        for (int i = 0; i < nv && !rc; i++) {
            if (!(v[i].stake > 0 && gf_units_within(&u, v[i].unit, c)))
                continue;
            char stake[32];
            snprintf(stake, sizeof stake, "%.0f", v[i].stake);
            rc = gf_db_run(db, e, "INSERT INTO enclave_share (enclave, unit, invested) VALUES (?, ?, ?)",
                           encl, u.unit[v[i].unit].code, stake);
            rows++;
        }
        for (int y = ENCLAVE_FROM + 1; y < Y0 + NY && !rc; y++) {
            char year[8];
            snprintf(year, sizeof year, "%d", y);
            char amount[32];
            snprintf(amount, sizeof amount, "%.0f", round(sum * 0.08));
            rc = gf_db_run(db, e,
                           "INSERT INTO enclave_return (enclave, year, amount, note) VALUES (?, ?, ?, ?)",
                           encl, year, amount, NOTE);
            rows++;
        }
    }
    /* the enterprises and the ledgers */
    for (int i = 0; i < nv && !rc; i++) {
        struct village *w = &v[i];
        const char *code = u.unit[w->unit].code;
        char ent[64];
        snprintf(ent, sizeof ent, "QC%s", code);
        if (w->enterprise) {
            char name[256], founded[8];
            int coop = hash(code) % 8 == 4;
            snprintf(name, sizeof name, "%s%s", u.unit[w->unit].name,
                     coop ? "股份经济合作社" : "强村发展有限公司");
            snprintf(founded, sizeof founded, "%d", ENT_FROM);
            rc = gf_db_run(db, e,
                           "INSERT INTO village_enterprise (code, name, unit, kind, founded, note)"
                           " VALUES (?, ?, ?, ?, ?, ?)",
                           ent, name, code, coop ? "cooperative" : "qiangcun", founded, NOTE);
            rows++;
        }
        for (int j = 0; j < NY && !rc; j++) {
            int y = Y0 + j;
            if (isnan(w->op[j]))
                continue;
            char year[8];
            snprintf(year, sizeof year, "%d", y);
            double rest = w->op[j];
            if (w->enterprise && y >= ENT_FROM) {
                double to_coll = round(w->op[j] * 0.15 / 100) * 100;
                char a[32], b[32], c[32], d[32];
                snprintf(a, sizeof a, "%.0f", to_coll * 5);
                snprintf(b, sizeof b, "%.0f", to_coll * 1.6);
                snprintf(c, sizeof c, "%.0f", round(to_coll * 0.5));
                snprintf(d, sizeof d, "%.0f", to_coll);
                rc = gf_db_run(db, e,
                               "INSERT INTO village_enterprise_result (enterprise, year, revenue,"
                               " profit, dividends, to_collective, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               ent, year, a, b, c, d, NOTE);
                rows++;
                rest -= to_coll;
            }
            if (w->stake > 0 && y > ENCLAVE_FROM)
                rest -= w->stake * 0.08;
            if (rest < 0)
                rest = 0;
            double operating = round(rest * 0.5), contracting = round(rest * 0.3);
            if (!rc)
                rc = put(db, e, code, year, "operating", operating, &rows);
            if (!rc)
                rc = put(db, e, code, year, "contracting", contracting, &rows);
            if (!rc)
                rc = put(db, e, code, year, "investment", rest - operating - contracting, &rows);
            double beyond = isnan(w->total[j]) ? 0 : w->total[j] - w->op[j];
            if (beyond > 0 && !rc) {
                double subsidy = round(beyond * 0.8);
                rc = put(db, e, code, year, "subsidy", subsidy, &rows);
                if (!rc)
                    rc = put(db, e, code, year, "other", beyond - subsidy, &rows);
            }
        }
    }
    if (!rc) {
        char n[32];
        snprintf(n, sizeof n, "%ld", rows);
        char *after = gf_json_obj("rows", n, "note", NOTE, (char *)NULL);
        rc = after ? gf_audit(db, actor, "import", "collective_income", "demo", NULL, after, e)
                   : gf_err_set(e, GF_ENOMEM, "out of memory");
        free(after);
    }
    struct gf_collective_stats cs;
    if (!rc)
        rc = gf_collective_compute(db, actor, &cs, e);
    if (rc)
        gf_db_rollback(db);
    else
        rc = gf_db_commit(db, e);
out:
    free(v);
    gf_units_free(&u);
    return rc;
}
