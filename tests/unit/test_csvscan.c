/* test_csvscan.c — the fast CSV scanner: numbers parse exactly like strtod (correct rounding),
 * field splitting (quotes, CRLF, blank lines, errors), chunked reading from several threads
 * with the right line numbers. */
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/csvscan.h"

static void test_numbers(void **st)
{
    (void)st;
    static const char *ok[] = {"0",
                               "-0",
                               "1",
                               "12345.67",
                               "0.1",
                               "-2.5",
                               "+3",
                               " 42 ",
                               "1e3",
                               "1E-3",
                               "123456789012345678901234",
                               "0.30000000000000004",
                               "9007199254740993",
                               "1.7976931348623157e308",
                               "4.9e-324",
                               "12345678901234567.89",
                               ".5",
                               "5."};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        double v, want = strtod(ok[i], NULL);
        assert_int_equal(gf_csvscan_double(ok[i], strlen(ok[i]), &v), 0);
        if (memcmp(&v, &want, sizeof v) != 0) {
            print_error("%s: got %.17g want %.17g\n", ok[i], v, want);
            fail();
        }
    }
    static const char *bad[] = {"",    " ",    "abc",   "nan", "inf", "-",  "1e",
                                "1,5", "0x10", "1.2.3", "--1", "1e+", "12a"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double v;
        if (gf_csvscan_double(bad[i], strlen(bad[i]), &v) == 0) {
            print_error("'%s' accepted as %g\n", bad[i], v);
            fail();
        }
    }
    /* random decimals with 2 decimals and up to 17 digits: bit-identical to strtod */
    uint64_t r = 12345;
    for (int i = 0; i < 200000; i++) {
        r = r * 6364136223846793005ull + 1442695040888963407ull;
        char buf[64];
        int n = snprintf(buf, sizeof buf, "%llu.%02llu", (unsigned long long)(r >> (20 + i % 40)),
                         (unsigned long long)((r >> 8) % 100));
        double v, want = strtod(buf, NULL);
        assert_int_equal(gf_csvscan_double(buf, (size_t)n, &v), 0);
        assert_memory_equal(&v, &want, sizeof v);
    }
}

static void test_split(void **st)
{
    (void)st;
    char line[] = "a,\"b,c\",\"say \"\"hi\"\"\",,d\r\nnext\n";
    struct gf_csvscan_field f[8];
    int nf;
    char *next = gf_csvscan_split(line, f, 8, &nf);
    assert_non_null(next);
    assert_int_equal(nf, 5);
    assert_true(f[0].len == 1 && !memcmp(f[0].p, "a", 1));
    assert_true(f[1].len == 3 && !memcmp(f[1].p, "b,c", 3));
    assert_true(f[2].len == 8 && !memcmp(f[2].p, "say \"hi\"", 8));
    assert_int_equal(f[3].len, 0);
    assert_true(f[4].len == 1 && !memcmp(f[4].p, "d", 1)); /* CR dropped */
    assert_string_equal(next, "next\n");
    char blank[] = "\r\nx\n";
    next = gf_csvscan_split(blank, f, 8, &nf);
    assert_int_equal(nf, 0);
    assert_string_equal(next, "x\n");
    char open_quote[] = "a,\"bc\n";
    assert_null(gf_csvscan_split(open_quote, f, 8, &nf));
    char after_quote[] = "\"ab\"c,d\n";
    assert_null(gf_csvscan_split(after_quote, f, 8, &nf));
}

struct reader {
    struct gf_csvscan *s;
    long rows, sum_line, bad;
    long first_line[64]; /* by chunk number: the number of its first line */
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

/* Each data line of the test file is "k,<its own line number>": check the chunk's numbering. */
static void *read_all(void *arg)
{
    struct reader *r = arg;
    struct gf_csvscan_chunk c = {0};
    struct gf_err e = {0};
    struct gf_csvscan_field f[4];
    long rows = 0, sum = 0, bad = 0;
    while (gf_csvscan_next(r->s, &c, &e) == 1) {
        char *p = c.buf, *end = c.buf + c.len;
        long line = gf_csvscan_line(r->s, &c, p);
        if (c.seq < 0 || c.seq >= 64 || r->first_line[c.seq])
            bad++; /* chunk numbers: each once */
        else
            r->first_line[c.seq] = line;
        while (p < end) {
            int nf;
            p = gf_csvscan_split(p, f, 4, &nf);
            if (!p) {
                bad++;
                break;
            }
            if (nf == 2) {
                double v;
                if (gf_csvscan_double(f[1].p, f[1].len, &v) || (long)v != line)
                    bad++;
                rows++;
                sum += line;
            }
            line++;
        }
    }
    gf_csvscan_chunk_free(&c);
    pthread_mutex_lock(&mu);
    r->rows += rows;
    r->sum_line += sum;
    r->bad += bad;
    pthread_mutex_unlock(&mu);
    return NULL;
}

/* Open the file at path by its path (mapped) or as standard input (read); returns the saved
 * standard input for close_scan. */
static int open_scan(struct gf_csvscan **s, const char *path, int from_stdin)
{
    struct gf_err e = {0};
    int saved = dup(0);
    assert_true(saved >= 0);
    if (from_stdin) {
        int in = open(path, O_RDONLY);
        assert_true(in >= 0);
        assert_int_equal(dup2(in, 0), 0);
        close(in);
    }
    assert_int_equal(gf_csvscan_open(s, from_stdin ? "-" : path, &e), GF_OK);
    return saved;
}

static void close_scan(struct gf_csvscan *s, int saved)
{
    gf_csvscan_close(s);
    dup2(saved, 0);
    close(saved);
}

/* Read the test file with two threads, by its path (mapped) or as standard input (read). */
static void chunks_threads(int from_stdin)
{
    char path[] = "/tmp/gf_csvscan_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    fputs("\xEF\xBB\xBF"
          "key,line\r\n",
          fp); /* BOM, CRLF header */
    long n = 600000, line = 2, sum = 0;
    for (long k = 0; k < n; k++) {
        if (k % 100000 == 7) { /* a blank line now and then */
            fputs("\n", fp);
            line++;
        }
        fprintf(fp, "%ld,%ld\n", k, line);
        sum += line;
        line++;
    }
    fprintf(fp, "last,%ld", line); /* no final newline */
    sum += line;
    long size = ftell(fp);
    fclose(fp);
    struct gf_csvscan *s;
    int saved = open_scan(&s, path, from_stdin);
    assert_int_equal(gf_csvscan_size_hint(s), from_stdin ? 0 : (size_t)size);
    assert_int_equal(gf_csvscan_ncols(s), 2);
    assert_string_equal(gf_csvscan_colname(s, 0), "key");
    assert_int_equal(gf_csvscan_find(s, "line"), 1);
    assert_int_equal(gf_csvscan_find(s, "nope"), -1);
    struct reader r = {.s = s};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, read_all, &r), 0);
    read_all(&r);
    pthread_join(t, NULL);
    close_scan(s, saved);
    unlink(path);
    assert_int_equal(r.bad, 0);
    assert_int_equal(r.rows, n + 1);
    assert_int_equal(r.sum_line, sum);
    /* chunks are numbered 0, 1, … in file order, whichever thread took them */
    assert_int_equal(r.first_line[0], 2);
    assert_true(r.first_line[1] > 2);
    for (int k = 2; k < 64 && r.first_line[k]; k++)
        assert_true(r.first_line[k] > r.first_line[k - 1]);
}

static void test_chunks_threads(void **st)
{
    (void)st;
    chunks_threads(0);
}

static void test_chunks_threads_stdin(void **st)
{
    (void)st;
    chunks_threads(1);
}

/* A line longer than a chunk: an error naming its line, mapped or read. */
static void test_long_line(void **st)
{
    (void)st;
    char path[] = "/tmp/gf_csvscan_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    fputs("a,b\n1,2\n3,", fp);
    for (size_t i = 0; i < GF_CSVSCAN_CHUNK + 10; i++)
        fputc('9', fp);
    fputs("\n5,6\n", fp);
    fclose(fp);
    for (int from_stdin = 0; from_stdin < 2; from_stdin++) {
        struct gf_csvscan *s;
        struct gf_err e = {0};
        int saved = open_scan(&s, path, from_stdin);
        struct gf_csvscan_chunk c = {0};
        int r;
        while ((r = gf_csvscan_next(s, &c, &e)) == 1)
            ;
        assert_true(r < 0);
        assert_non_null(strstr(e.msg, ":3: line longer than"));
        gf_csvscan_chunk_free(&c);
        close_scan(s, saved);
    }
    unlink(path);
}

static void test_open_errors(void **st)
{
    (void)st;
    struct gf_csvscan *s;
    struct gf_err e = {0};
    assert_int_equal(gf_csvscan_open(&s, "/nonexistent/x.csv", &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "/nonexistent/x.csv: cannot open"));
    char path[] = "/tmp/gf_csvscan_XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    assert_int_equal(gf_csvscan_open(&s, path, &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "empty file"));
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers),        cmocka_unit_test(test_split),
        cmocka_unit_test(test_chunks_threads), cmocka_unit_test(test_chunks_threads_stdin),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_open_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
