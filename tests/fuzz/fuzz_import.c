/* fuzz_import.c — every import kind on arbitrary bytes: the record readers (CSV, JSON array,
 * JSON Lines, chosen by sniffing the text), the field validators, the key check and each kind's
 * row and whole-file checks.  Never crashes; a refused file has a message; the import is a dry
 * run, so the database is the same after every input (checked).
 *
 * The kind is GONGFU_FUZZ_CASE (an import kind name, e.g. values; the seeds of each kind are in
 * tests/fuzz/seeds/import/KIND/); scripts/fuzz.sh and ctest set it.  The household microdata
 * kind ("households") has its own target, fuzz_income.  The database lives in memory, built once
 * with a record of everything the kinds refer to.  GONGFU_FUZZ_VERBOSE=1 prints each outcome. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/import.h"
#include "store/db.h"

static const struct {
    const char *kind, *text;
} fixtures[] = {
    {"units", "code,name,parent,level,area,population\n"
              "510400,市,,city,urban,1000\n510421,县,510400,county,rural,400\n"
              "510421001,镇,510421,township,rural,400\n"
              "510421001001,村,510421001,village,rural,150\n"
              "510421001002,丙村,510421001,village,rural,250\n"},
    {"teams", "code,name,kind\nT1,专班,work\n"},
    {"departments", "code,name,team,unit\nD1,发改委,T1,510400\n"},
    {"people", "code,name,department\nP1,张一,D1\nP2,王二,D1\n"},
    {"framework", "framework,framework_name,code,parent,kind,name,weight,direction,formula\n"
                  "fx,体系,idx,,index,指数,1,,\nfx,,dim,idx,dimension,维度,1,,\n"
                  "fx,,inc,dim,indicator,收入,1,+,\nfx,,half,dim,indicator,半,0,+,inc / 2\n"},
    {"values", "unit,indicator,period,value\n510421001001,inc,2024,30000\n"},
    {"household_registry", "code,unit,head_name\nH1,510421001001,张三\nH2,510421001001,李四\n"},
    {"household_members", "household,seq,name,relation,id_number\n"
                          "H1,1,张三,户主,510421198001010017\n"},
    {"household_incomes", "household,period,per_capita\nH1,2024,7000\n"},
    {"list_kinds", "code,name\nsafety,安全\n"},
    {"items", "code,title,kind,lead_unit,owner,start,due,start_planned\n"
              "I1,园区,project,D1,P1,2024-01-01,2026-12-31,2024-03-01\n"
              "I2,办结,reform,D1,P1,2024-01-01,2024-12-31,\n"},
    {"progress", "item,date,percent,reported_by\nI1,2024-06-30,40,P1\nI2,2024-10-01,100,P1\n"},
    {"village_enterprises", "code,name,unit,kind\nQC1,强村公司,510421001001,qiangcun\n"},
    {"enclaves", "code,name,unit,invested\nFD1,飞地,510421001001,200000\nFD1,飞地,510421001002,100000\n"},
    {"enterprises", "code,name,unit,size\nE1,钒钛科技,510421,small\n"},
    {"pairings", "code,kind,helper,unit,start,end,pledged\n"
                 "PR1,department,D1,510421001001,2024-01-01,2026-12-31,300000\n"},
    {"trainings", "code,course,start,end,team\nTR1,培训,2024-03-01,2024-03-02,T1\n"},
};

static struct gf_db *db;
static const struct gf_import_kind *kind;

static int import_text(const struct gf_import_kind *k, const void *data, size_t size, int dry_run,
                       struct gf_err *e)
{
    FILE *fp = fmemopen((void *)data, size, "rb");
    if (!fp)
        return gf_err_set(e, GF_ENOMEM, "fmemopen failed");
    struct gf_import_opts o = {dry_run, "fuzz", NULL, NULL};
    struct gf_import_stats s;
    int rc = gf_import_stream(db, k, fp, "fuzz", &o, &s, e);
    fclose(fp);
    return rc;
}

static void setup(void)
{
    const char *name = getenv("GONGFU_FUZZ_CASE");
    if (!name || !(kind = gf_import_kind_find(name)) || !strcmp(name, "households")) {
        fprintf(stderr, "fuzz_import: set GONGFU_FUZZ_CASE to an import kind (not households: "
                        "see fuzz_income), e.g. GONGFU_FUZZ_CASE=values\n");
        exit(2);
    }
    struct gf_err e = {0};
    if (setenv("GONGFU_NOW", "2026-06-30T12:00:00Z", 1) || gf_db_open(&db, ":memory:", &e))
        abort();
    for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++)
        if (import_text(gf_import_kind_find(fixtures[i].kind), fixtures[i].text,
                        strlen(fixtures[i].text), 0, &e)) {
            fprintf(stderr, "fuzz_import: fixture %s: %s\n", fixtures[i].kind, e.msg);
            abort();
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db)
        setup();
    if (size == 0)
        return 0; /* fmemopen wants a buffer; the empty file is a CLI test */
    int64_t audits = gf_db_int(db, "SELECT count(*) FROM audit", -1);
    struct gf_err e = {0};
    int rc = import_text(kind, data, size, 1, &e);
    if (getenv("GONGFU_FUZZ_VERBOSE")) /* to check what the seeds reach */
        fprintf(stderr, "%s: %s\n", kind->name, rc ? e.msg : "imported (dry run)");
    if (rc != GF_OK && !e.msg[0])
        abort(); /* refused without a word */
    if (gf_db_int(db, "SELECT count(*) FROM audit", -1) != audits)
        abort(); /* a dry run changed the database */
    return 0;
}
