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
#include <math.h>

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
    /* a NUL byte deep in a large file (several chunks and threads; the scanner leaves NUL bytes
     * to the reader's index): refused with its line and column, whichever field holds it, and
     * an error on an earlier line comes first */
    enum { NROWS = 300000, AT = 234567 };
    for (int k = 0; k < 3; k++) {
        char *text = malloc((size_t)NROWS * 40 + 64), *q = text;
        q += sprintf(q, "id,region,income\n");
        for (int i = 2; i <= NROWS; i++) {
            q += sprintf(q, "%d,r%d,%d.%02d\n", i, i % 7, i % 50000, i % 100);
            if (i == AT)
                q[-4 - (k == 0 ? 0 : k == 1 ? 4 : 6)] = '\0'; /* the point, a digit, the comma */
            if (k == 2 && i == AT - 2)
                q[-2] = 'x'; /* "….x": not a number, two lines before */
        }
        strcpy(path, "/tmp/gongfu-test-stats-XXXXXX");
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, text, (size_t)(q - text)), q - text);
        close(fd);
        struct gf_stats_file_opts on = {.path = path, .value = "income", .nby = 1};
        on.by[0] = "region";
        assert_int_equal(gf_stats_file(&on, &r, &e), GF_EUSER);
        char want[96];
        if (k == 2)
            snprintf(want, sizeof want, ":%d: field \"income\"", AT - 2);
        else
            snprintf(want, sizeof want, ":%d: expected text without NUL bytes (column", AT);
        assert_non_null(strstr(e.msg, want));
        free(text);
        unlink(path);
    }
}

/* Many groups (20 000 villages in 200 townships, rows in random order): a thread's table of
 * keys outgrows the caches, and its lookups wait AHEAD rows after the row is parsed.  Every
 * village gets its own rows (count, weight, mean checked for each), and an error keeps its line:
 * an empty village on one line is reported, not the bad number two lines on, whose line the
 * general path would word first if the lookups before it were not done first. */
static void test_many_groups(void **state)
{
    (void)state;
    enum { NV = 20000, PER = 10, NROWS = NV * PER, BAD = 150000 };
    int *order = malloc(sizeof(int) * NROWS);
    assert_non_null(order);
    for (int i = 0; i < NROWS; i++)
        order[i] = i;
    unsigned r = 7;
    for (int i = NROWS - 1; i > 0; i--) { /* Fisher-Yates with an LCG */
        r = r * 1103515245u + 12345u;
        int j = (int)((r >> 8) % (unsigned)(i + 1)), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (int k = 0; k < 2; k++) {
        char *text = malloc((size_t)NROWS * 48 + 64), *q = text;
        q += sprintf(q, "id,township,village,income,w\n");
        for (int i = 0; i < NROWS; i++) {
            int v = order[i] / PER, j = order[i] % PER;
            if (k == 1 && i == BAD - 2) /* line BAD: no village */
                q += sprintf(q, "%d,t%03d,,%d,2\n", i, v % 200, 10 * v + j);
            else if (k == 1 && i == BAD)
                q += sprintf(q, "%d,t%03d,v%05d,x%d,2\n", i, v % 200, v, j);
            else
                q += sprintf(q, "%d,t%03d,v%05d,%d,2\n", i, v % 200, v, 10 * v + j);
        }
        write_file(text);
        free(text);
        struct gf_stats_file_opts o = {.path = path, .value = "income", .weight = "w", .nby = 2};
        o.by[0] = "village";
        o.by[1] = "township";
        struct gf_stats_result res;
        struct gf_err e = {0};
        if (k == 1) {
            assert_int_equal(gf_stats_file(&o, &res, &e), GF_EUSER);
            char want[96];
            snprintf(want, sizeof want, ":%d: field \"village\"", BAD);
            assert_non_null(strstr(e.msg, want));
            assert_non_null(strstr(e.msg, "expected a group value (not empty)"));
            unlink(path);
            continue;
        }
        assert_int_equal(gf_stats_file(&o, &res, &e), GF_OK);
        assert_int_equal(res.rows, NROWS);
        assert_int_equal(gf_table_rows(res.table), 1 + NV + 200);
        char *csv = table_csv(res.table);
        int seen = 0;
        for (const char *line = strstr(csv, "\nvillage,"); line;
             line = strstr(line + 1, "\nvillage,")) {
            int v, n;
            double wsum, mean;
            assert_int_equal(sscanf(line, "\nvillage,v%d,%d,%lf,%lf,", &v, &n, &wsum, &mean), 4);
            assert_int_equal(v, seen); /* in order of name, each once */
            assert_int_equal(n, PER);
            assert_true(wsum == 2.0 * PER);
            assert_true(fabs(mean - (10.0 * v + 4.5)) <= 1e-9 * (10.0 * v + 4.5));
            seen++;
        }
        assert_int_equal(seen, NV);
        free(csv);
        gf_stats_result_free(&res);
        unlink(path);
    }
    free(order);
}

/* The line at a and the line at b hold the same fields: numbers to tol, relative (the last
 * digits of sums in another order), the others alike. */
static void rows_near(const char *a, const char *b, double tol)
{
    for (;;) {
        size_t la = strcspn(a, ",\n"), lb = strcspn(b, ",\n");
        char *ea, *eb;
        double va = strtod(a, &ea), vb = strtod(b, &eb);
        if (la && ea == a + la && eb == b + lb) {
            if (!(fabs(va - vb) <= tol * fabs(va)))
                fail_msg("%.*s against %.*s", (int)la, a, (int)lb, b);
        } else if (la != lb || memcmp(a, b, la)) {
            fail_msg("\"%.*s\" against \"%.*s\"", (int)la, a, (int)lb, b);
        }
        if (a[la] != ',' || b[lb] != ',') {
            assert_int_equal(a[la], b[lb]);
            return;
        }
        a += la + 1;
        b += lb + 1;
    }
}

/* A large file, one thread, in both orders (villages one after another in the order of their
 * names, and shuffled): the rows' layout is mostly the parse's own pages moved (streams: by
 * place in the file, and by village), and both orders give the same table (but for the last
 * digits of sums in another order).  With one stream,
 * or streams out of layout order, nothing is moved (checked: fails). */
static void test_streams(void **state)
{
    (void)state;
    enum { NV = 2000, PER = 500, NROWS = NV * PER };
    char *tables[2] = {NULL, NULL};
    for (int shuffled = 0; shuffled < 2; shuffled++) {
        int *order = malloc(sizeof(int) * NROWS);
        char *text = malloc((size_t)NROWS * 128 + 64), *q = text;
        assert_true(order && text);
        for (int i = 0; i < NROWS; i++)
            order[i] = i;
        unsigned r = 11;
        for (int i = NROWS - 1; shuffled && i > 0; i--) {
            r = r * 1103515245u + 12345u;
            int j = (int)((r >> 8) % (unsigned)(i + 1)), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        q += sprintf(q, "id,note,township,village,income,w\n");
        for (int i = 0; i < NROWS; i++) { /* about 100 bytes a line: the file is 100 MB */
            int v = order[i] / PER, j = order[i] % PER;
            q += sprintf(q,
                         "%d,a note of some length to make the file large enough for streams "
                         "(1 thread),t%03d,v%05d,%d,2\n",
                         order[i], v / 20, v, 10 * v + j);
        }
        write_file(text);
        free(text);
        free(order);
        struct gf_stats_file_opts o = {
            .path = path, .value = "income", .weight = "w", .nby = 2, .nthreads = 1};
        o.by[0] = "village";
        o.by[1] = "township";
        struct gf_stats_result res;
        struct gf_err e = {0};
        assert_int_equal(gf_stats_file(&o, &res, &e), GF_OK);
        unlink(path);
        assert_int_equal(res.rows, NROWS);
        print_message("streams, %s: %zu of %zu bytes of the layout moved\n",
                      shuffled ? "shuffled" : "grouped", res.moved, (size_t)NROWS * 16);
        assert_true(res.moved >= (size_t)NROWS * 16 / 2);
        tables[shuffled] = table_csv(res.table);
        gf_stats_result_free(&res);
    }
    /* the same table, to the last digits that the order of the sums changes */
    const char *a = tables[0], *b = tables[1];
    for (; a && b && *a; a = strchr(a, '\n'), b = strchr(b, '\n')) {
        a += *a == '\n';
        b += *b == '\n';
        if (*a) /* (a measure that is a small difference of large sums keeps fewer digits) */
            rows_near(a, b, 1e-9);
    }
    assert_true(a ? b && !*a && !*b : !b); /* as many lines */
    free(tables[0]);
    free(tables[1]);
}

/* A random field for column c of the differential test below (the --by columns draw from few
 * values, so that groups have many rows). */
static int field(char *o, int c, unsigned r)
{
    static const char *const urban[] = {"0", "1", "城镇", "农村", "urban", "0", "1", "1"};
    unsigned k = r % 100;
    switch (c) {
    case 0: /* id, skipped: sometimes text with a space or a quote (that line: general path) */
        return k < 2   ? sprintf(o, "a b%u", r % 7)
               : k < 3 ? sprintf(o, "\"q,%u\"", r % 9)
                       : sprintf(o, "%u", r);
    case 1: /* county, township, village: of the line's place (r), so that they nest */
        return sprintf(o, "51040%u", r % 3);
    case 2: /* note, skipped (or a --by that does not nest) */
        return sprintf(o, "n%u", r % 1000);
    case 3:
        return sprintf(o, "51040%u00%u", r % 3, r / 3 % 4);
    case 4: /* some long, some in Chinese (the same village either way): keys of adjacent --by
             * columns with this are longer than a table slot holds (40 bytes) */
        return r / 60 % 3 ? sprintf(o, "v%u.%u.%u", r % 3, r / 3 % 4, r / 12 % 5)
                          : sprintf(o, "%u.%u.%u某某某村民委员会", r % 3, r / 3 % 4, r / 12 % 5);
    case 5:
        return sprintf(o, "%s", urban[r % 8]);
    case 6: /* size */
        return k < 5 ? sprintf(o, "1%u", r % 3) : sprintf(o, "%u", 1 + r % 7);
    case 7: /* income: the short forms mostly, every other form sometimes */
        return k < 60   ? sprintf(o, "%u.%02u", r % 900000, r / 7 % 100)
               : k < 70 ? sprintf(o, "%u", r % 9000000)
               : k < 75 ? sprintf(o, "%u.%u", r % 90000, r % 10)
               : k < 80 ? sprintf(o, "%u.%03u", r % 90000, r % 1000)
               : k < 83 ? sprintf(o, "-%u.%02u", r % 900, r % 100)
               : k < 86 ? sprintf(o, "%ue2", r % 9000)
               : k < 88 ? sprintf(o, "+%u", r % 9000)
               : k < 90 ? sprintf(o, "1234567890.%02u", r % 100)
               : k < 92 ? sprintf(o, "0.%u", r % 10)
                        : sprintf(o, "%u.%02u", r % 90000000, r % 100);
    case 8: /* weight */
        return k < 3 ? sprintf(o, "0") : sprintf(o, "%u.%02u", 50 + r % 400, r % 100);
    default: /* food, consumption */
        return sprintf(o, "%u.%02u", r % 90000, r / 3 % 100);
    }
}

/* The fast path (plain lines, by the separator index) against the general path: the same rows
 * written plainly and with every field quoted (quotes send every line the general way) give the
 * same table, byte for byte, with one thread (the same order of sums).  The rows mix what the
 * fast path takes (short numbers, CRLF, long and UTF-8 keys) with what it leaves to the general
 * path (other number forms, spaces, quotes, blank lines) across many 16 KiB windows; the --by
 * columns are adjacent (one run of bytes a key) and apart. */
static void test_fast_general(void **state)
{
    (void)state;
    static const char *head = "id,county,note,township,village,urban,size,income,weight,food,"
                              "consumption";
    char plain[] = "/tmp/gongfu-test-stats-plain-XXXXXX",
         quoted[] = "/tmp/gongfu-test-stats-q-XXXXXX";
    int fp = mkstemp(plain), fq = mkstemp(quoted);
    assert_true(fp >= 0 && fq >= 0);
    FILE *p = fdopen(fp, "w"), *q = fdopen(fq, "w");
    fprintf(p, "%s\n", head);
    fprintf(q, "%s\n", head);
    unsigned r = 12345;
    for (int line = 0; line < 60000; line++) {
        r = r * 1103515245u + 12345u;
        unsigned place = (r >> 8) % 60; /* county, township, village */
        for (int c = 0; c < 11; c++) {
            char f[64], fq2[160];
            r = r * 1103515245u + 12345u;
            unsigned v = c == 1 || c == 3 || c == 4 ? place + 60 * ((r >> 8) % 3) : (r >> 8);
            int n = field(f, c, v + (unsigned)line * (c == 0));
            fputs(c ? "," : "", p);
            fputs(c ? "," : "", q);
            fwrite(f, 1, (size_t)n, p);
            if (f[0] == '"') { /* already quoted: as it is */
                fwrite(f, 1, (size_t)n, q);
            } else {
                snprintf(fq2, sizeof fq2, "\"%s\"", f);
                fputs(fq2, q);
            }
        }
        r = r * 1103515245u + 12345u;
        const char *eol = (r >> 16) % 10 == 0 ? "\r\n" : "\n";
        fputs(eol, p);
        fputs(eol, q);
        if ((r >> 16) % 500 == 1) { /* a blank line */
            fputs("\n", p);
            fputs("\n", q);
        }
    }
    fclose(p);
    fclose(q);
    /* nested (one tree), with the --by columns adjacent and apart; and not nested: keys of one
     * run of the line short and long, thousands of them (the thread's table grows) */
    static const char *const bys[][3] = {{"village", "township", "county"},
                                         {"county", "village", NULL},
                                         {"note", "county", NULL},
                                         {"township", "village", NULL},
                                         {"note", "township", "village"}};
    static const int nested[] = {1, 1, 0, 1, 0};
    for (int v = 0; v < 5; v++) {
        struct gf_stats_file_opts o = {.path = plain,
                                       .value = "income",
                                       .weight = "weight",
                                       .size = "size",
                                       .per_capita = 1,
                                       .urban = "urban",
                                       .food = "food",
                                       .cons = "consumption",
                                       .nthreads = 1};
        for (o.nby = 0; o.nby < 3 && bys[v][o.nby]; o.nby++)
            o.by[o.nby] = bys[v][o.nby];
        struct gf_stats_result r1, r2;
        struct gf_err e = {0};
        assert_int_equal(gf_stats_file(&o, &r1, &e), GF_OK);
        o.path = quoted;
        assert_int_equal(gf_stats_file(&o, &r2, &e), GF_OK);
        assert_int_equal(r1.nested, nested[v]);
        assert_int_equal(r1.rows, 60000);
        assert_int_equal(r2.rows, 60000);
        char *c1 = table_csv(r1.table), *c2 = table_csv(r2.table);
        assert_true(strlen(c1) > 1000);
        assert_string_equal(c1, c2);
        free(c1);
        free(c2);
        gf_stats_result_free(&r1);
        gf_stats_result_free(&r2);
    }
    /* --by columns that do not nest (note is across counties): one computation a column from
     * the same rows, which are given back only after the last; each column's rows as when it
     * is the only --by */
    {
        struct gf_stats_file_opts o = {.path = plain,
                                       .value = "income",
                                       .weight = "weight",
                                       .nby = 2,
                                       .by = {"county", "note"},
                                       .nthreads = 1};
        struct gf_stats_result both, one;
        struct gf_err e = {0};
        assert_int_equal(gf_stats_file(&o, &both, &e), GF_OK);
        assert_false(both.nested);
        char *cb = table_csv(both.table);
        for (int l = 0; l < 2; l++) {
            struct gf_stats_file_opts o1 = o;
            o1.nby = 1;
            o1.by[0] = o.by[l];
            assert_int_equal(gf_stats_file(&o1, &one, &e), GF_OK);
            char *c1 = table_csv(one.table), want[16];
            snprintf(want, sizeof want, "\n%s,", o.by[l]);
            size_t rows = 0;
            for (const char *hit = strstr(c1, want); hit; hit = strstr(hit + 1, want), rows++) {
                /* the same row in the table of both: the same measures, to the last digits
                 * (a unit's rows come in other spans: ties sorted in another order) */
                const char *eol = strchr(hit + 1, '\n'),
                           *name_end = strchr(hit + 1 + strlen(want) - 1, ',');
                char *key = strndup(hit, (size_t)(name_end - hit) + 1);
                const char *other = strstr(cb, key);
                assert_non_null(other);
                (void)eol;
                rows_near(hit + 1, other + 1, 1e-12);
                free(key);
            }
            assert_true(rows >= 3);
            free(c1);
            gf_stats_result_free(&one);
        }
        free(cb);
        gf_stats_result_free(&both);
    }
    /* an empty group value on a plain line far from a chunk's end: the fast path leaves the
     * check to the first sight of its key, and the error is the general path's */
    write_file("id,county,income\n1,a,5\n2,a,6\n3,,7\n4,b,8\n5,b,9\n6,b,10\n7,b,11\n8,b,12\n");
    struct gf_stats_file_opts o = {.path = path, .value = "income", .nby = 1, .by = {"county"}};
    struct gf_stats_result r3;
    struct gf_err e = {0};
    assert_int_equal(gf_stats_file(&o, &r3, &e), GF_EUSER);
    assert_non_null(
        strstr(e.msg, ":4: field \"county\": value \"\": expected a group value (not empty)"));
    unlink(path);
    unlink(plain);
    unlink(quoted);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_table),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_many_groups),
        cmocka_unit_test(test_streams),
        cmocka_unit_test(test_fast_general),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
