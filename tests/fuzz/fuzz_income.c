/* fuzz_income.c — the household microdata import on arbitrary bytes: never crashes, and either
 * imports (stored rows = the batches' row counts) or refuses with the database unchanged. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/income.h"
#include "store/db.h"

static struct gf_db *db;
static char path[64];

static int setup(void)
{
    struct gf_err e = {0};
    if (gf_db_open(&db, ":memory:", &e))
        return -1;
    snprintf(path, sizeof path, "/tmp/gongfu-fuzz-income-%d.csv", (int)getpid());
    return gf_db_exec(db,
                      "INSERT INTO unit (code, name, parent, level, area) VALUES"
                      " ('510400', 'c', NULL, 1, 'urban'), ('510402', 'k', '510400', 2, 'urban'),"
                      " ('510402001', 't', '510402', 3, 'urban'),"
                      " ('510402001001', 'v1', '510402001', 4, 'urban'),"
                      " ('510402001002', 'v2', '510402001', 4, 'rural')",
                      &e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db && setup())
        abort();
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return 0;
    fwrite(data, 1, size, fp);
    fclose(fp);
    int64_t before = gf_db_int(db, "SELECT count(*) FROM income_microdata", -1);
    int64_t audits = gf_db_int(db, "SELECT count(*) FROM audit", -1);
    struct gf_income_import_opts o = {size % 2 ? "2024" : NULL, 0, "fuzz"};
    struct gf_income_import_stats st;
    struct gf_err e = {0};
    int rc = gf_income_import(db, path, &o, &st, &e);
    int64_t after = gf_db_int(db, "SELECT count(*) FROM income_microdata", -1);
    if (rc != GF_OK) {
        if (after != before || gf_db_int(db, "SELECT count(*) FROM audit", -1) != audits ||
            e.msg[0] == 0)
            abort(); /* a refused file changed the database, or no message */
    } else if (after != gf_db_int(db, "SELECT coalesce(sum(rows), 0) FROM income_batch", -2))
        abort(); /* rows and batches out of step */
    if (after > 100000) /* keep the in-memory database small */
        gf_db_exec(db, "DELETE FROM income_microdata; DELETE FROM income_batch", NULL);
    unlink(path);
    return 0;
}
