/* test_stats.c — the distribution engine as a service (domain/stats.h): options in, the table
 * of measures out, errors in a struct gf_err; the same table from one thread or several. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "domain/stats.h"

static char path[64];

static void write_file(const char *text)
{
    strcpy(path, "/tmp/gongfu-test-stats-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

/* The table as CSV text (malloc'd). */
static char *table_csv(const struct gf_table *t)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    gf_table_print(t, f, GF_FMT_CSV, "en");
    fclose(f);
    return buf;
}

static void test_file_table(void **state)
{
    (void)state;
    write_file("id,region,town,income,w\n1,east,t1,1,1\n2,east,t1,2,1\n3,west,t2,3,1\n"
               "4,west,t2,4,1\n");
    struct gf_stats_file_opts o = {.path = path, .value = "income", .nby = 2};
    o.by[0] = "town";
    o.by[1] = "region";
    struct gf_stats_result r;
    struct gf_err e = {0};
    assert_int_equal(gf_stats_file(&o, &r, &e), GF_OK);
    assert_int_equal(r.rows, 4);
    assert_true(r.nested);
    assert_int_equal(gf_table_rows(r.table), 5); /* all, 2 towns, 2 regions */
    char *csv = table_csv(r.table);
    /* defaults: one line at 10000, one band 100000-500000 */
    assert_non_null(strstr(csv, "fgt0_10000,"));
    assert_non_null(strstr(csv, "band_100000_500000,"));
    assert_non_null(strstr(csv, "\nall,all,4,4,2.5,3,0.25,"));
    assert_non_null(strstr(csv, "\ntown,t1,2,2,1.5,2,"));
    assert_non_null(strstr(csv, "\nregion,west,2,2,3.5,4,"));
    gf_stats_result_free(&r);
    /* one thread: the same table */
    o.nthreads = 1;
    assert_int_equal(gf_stats_file(&o, &r, &e), GF_OK);
    char *csv1 = table_csv(r.table);
    assert_string_equal(csv, csv1);
    free(csv1);
    free(csv);
    gf_stats_result_free(&r);
    unlink(path);
}

static void test_errors(void **state)
{
    (void)state;
    write_file("id,income\n1,5\n2,x\n");
    struct gf_stats_file_opts o = {.path = path, .value = "income"};
    struct gf_stats_result r;
    struct gf_err e = {0};
    assert_int_equal(gf_stats_file(&o, &r, &e), GF_EUSER);
    assert_null(r.table);
    assert_non_null(strstr(e.msg, ":3: field \"income\": value \"x\": expected a number"));
    o.value = "nope";
    assert_int_equal(gf_stats_file(&o, &r, &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "expected a column named \"nope\""));
    /* options outside the contract are refused before the file is read */
    o.value = NULL;
    assert_int_equal(gf_stats_file(&o, &r, &e), GF_EUSAGE);
    o.value = "income";
    o.per_capita = 1;
    assert_int_equal(gf_stats_file(&o, &r, &e), GF_EUSAGE);
    o.per_capita = 0;
    o.nby = 2;
    o.by[0] = o.by[1] = "id";
    assert_int_equal(gf_stats_file(&o, &r, &e), GF_EUSAGE);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_table),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
