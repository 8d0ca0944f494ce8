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

/* The fast path's decimal parser: the same double as strtod, bit for bit, on every value of
 * every shape it takes (0 to 19 digits on either side of the point, signs, zeros, lengths near
 * the end of the buffer), and NULL for what is not a plain decimal. */
static void test_plain_numbers(void **st)
{
    (void)st;
    char buf[96];
    uint64_t r = 0x9E3779B97F4A7C15ull;
    long checked = 0;
    for (long i = 0; i < 3000000; i++) {
        r ^= r << 13, r ^= r >> 7, r ^= r << 17;
        int ip = (int)(r % 11), fp = (int)((r >> 8) % 11), dot = (int)((r >> 16) & 1);
        if (((r >> 17) & 15) == 0) { /* long ones now and then: the digit-by-digit way */
            ip = (int)((r >> 21) % 20);
            fp = (int)((r >> 26) % 20);
        }
        char *s = buf;
        if (((r >> 31) & 7) == 0)
            *s++ = '-';
        uint64_t t = r >> 34 | r << 30;
        for (int k = 0; k < ip; k++, t = t * 6364136223846793005ull + 1)
            *s++ = (char)('0' + (t >> 60) % 10);
        if (dot) {
            *s++ = '.';
            for (int k = 0; k < fp; k++, t = t * 6364136223846793005ull + 1)
                *s++ = (char)('0' + (t >> 60) % 10);
        }
        char term = ",\n\r"[(r >> 40) % 3];
        size_t len = (size_t)(s - buf);
        *s++ = term;
        memset(s, (r >> 42) & 1 ? '7' : ',', 24);
        /* the buffer ends right after the terminator sometimes: the word loads must not pass it */
        const char *end = (r >> 43) & 1 ? s : s + 24;
        double v = 0;
        const char *e = gf_csvscan_plain_number(buf, end, &v);
        int digits = ip + (dot ? fp : 0);
        char text[96];
        memcpy(text, buf, len);
        text[len] = 0;
        double want = strtod(text, NULL);
        uint64_t m = 0;
        int exact = digits > 0 && digits <= 19;
        for (size_t k = 0; exact && k < len; k++)
            if (text[k] >= '0' && text[k] <= '9') {
                if (m > (UINT64_MAX - 9) / 10) {
                    exact = 0;
                    break;
                }
                m = m * 10 + (uint64_t)(text[k] - '0');
            }
        if (exact && m > ((uint64_t)1 << 53))
            exact = 0;
        if (!exact) { /* not taken: the caller's strtod path parses it */
            if (e) {
                print_error("'%s' taken (%d digits)\n", text, digits);
                fail();
            }
            continue;
        }
        if (!e || e != buf + len || memcmp(&v, &want, sizeof v)) {
            print_error("'%s': got %.17g (%s) want %.17g\n", text, v, e ? "taken" : "NULL", want);
            fail();
        }
        checked++;
    }
    assert_true(checked > 1000000);
    static const char *not_numbers[] = {"-,", ".,", "-.,", ",", "a,", "-a,", "+1,"};
    for (size_t i = 0; i < sizeof not_numbers / sizeof not_numbers[0]; i++) {
        char b[64];
        memset(b, 'x', sizeof b);
        memcpy(b, not_numbers[i], strlen(not_numbers[i]));
        double v;
        assert_null(gf_csvscan_plain_number(b, b + sizeof b, &v));
    }
    /* a number stops at anything else: the caller looks at what follows */
    char e1[64] = "12.5e3,";
    double v;
    const char *e = gf_csvscan_plain_number(e1, e1 + sizeof e1, &v);
    assert_non_null(e);
    assert_int_equal(*e, 'e');
}

/* The separator index against a byte-by-byte reading of the same rules, on random text of
 * separators, quotes, spaces, CR, UTF-8 and the like, at every length up to 300 and every
 * alignment, by both builds (for any x86-64, and POPCNT/BMI/AVX2 where the CPU has them). */
static size_t seps_reference(const char *p, size_t n, uint32_t *sep, uint32_t *lines,
                             size_t *nlines)
{
    size_t k = 0, nl = 0;
    int odd = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 0x2D)
            continue;
        if (c == '\n') {
            lines[nl++] = (uint32_t)k | (odd ? GF_CSVSCAN_ODD : 0);
            odd = 0;
        } else if (c != ',' && !(c == '\r' && i + 1 < n && p[i + 1] == '\n' && i % 64 != 63)) {
            odd = 1; /* a '\r' is plain only before a '\n' of its 64-byte block */
        }
        sep[k++] = (uint32_t)i;
    }
    *nlines = nl;
    return k;
}

static void test_seps(void **st)
{
    (void)st;
    static const char alphabet[] = "0123456789,,,,,,\n\n\r\"  .-x\xe5\x9f\x8e\x01\t+";
    char buf[512];
    uint32_t got[512 + 16], want[512], lg[512], lw[512];
    srand(7);
    int builds = 1 + gf_csvscan__seps_build(-1);
    for (int b = 0; b < builds; b++) {
        gf_csvscan__seps_build(b);
        for (size_t n = 0; n <= 300; n++)
            for (int t = 0; t < 8; t++) {
                size_t at = (size_t)rand() % 64; /* any alignment */
                for (size_t i = 0; i < n; i++)
                    buf[at + i] = alphabet[rand() % (int)(sizeof alphabet - 1)];
                size_t ng, nw, nlg, nlw;
                ng = gf_csvscan_seps(buf + at, n, got, lg, &nlg);
                nw = seps_reference(buf + at, n, want, lw, &nlw);
                assert_int_equal(ng, nw);
                assert_memory_equal(got, want, nw * sizeof *want);
                assert_int_equal(nlg, nlw);
                assert_memory_equal(lg, lw, nlw * sizeof *lw);
            }
    }
    gf_csvscan__seps_build(-1);
    /* a plain line; a line with a quote; CRLF; a '\r' in a block's last byte */
    char text[128];
    memset(text, 'y', sizeof text);
    memcpy(text, "a,b,c\n\"d\",e\nf,g\r\n", 17);
    memcpy(text + 63, "\r\n", 2);
    size_t nl, n = gf_csvscan_seps(text, 70, got, lg, &nl);
    assert_int_equal(n, 12);
    assert_int_equal(nl, 4);
    assert_int_equal(lg[0], 2);                   /* a,b,c: its '\n' is separator 2 */
    assert_int_equal(lg[1], 6 | GF_CSVSCAN_ODD);  /* the quotes */
    assert_int_equal(lg[2], 9);                   /* CRLF: plain */
    assert_int_equal(lg[3], 11 | GF_CSVSCAN_ODD); /* a '\r' in byte 63 */
}

/* Short numbers: every form taken gives strtod's value; every other text is left alone. */
static void test_short_numbers(void **st)
{
    (void)st;
    char b[32];
    double v;
    srand(11);
    for (int t = 0; t < 200000; t++) {
        int k = 1 + rand() % 8, point = rand() % 2;
        size_t len = 0;
        for (int i = 0; i < k; i++)
            b[len++] = (char)('0' + rand() % 10);
        if (point) {
            b[len++] = '.';
            b[len++] = (char)('0' + rand() % 10);
            b[len++] = (char)('0' + rand() % 10);
        }
        memset(b + len, rand() % 2 ? ',' : '9', sizeof b - len); /* what follows does not count */
        assert_int_equal(gf_csvscan_short_number(b, len, &v), 0);
        char z[32];
        memcpy(z, b, len);
        z[len] = 0;
        double w = strtod(z, NULL);
        assert_memory_equal(&v, &w, sizeof v);
    }
    static const char *other[] = {"",      "-1",    "+1",           "1.5",  "1.500",
                                  ".50",   "1e5",   "123456789",    "1,5",  "1 2",
                                  "12.3x", "x2.34", "123456789.12", "1..2", "1.2.",
                                  "NaN",   "1.-5",  "\xe4\xb8\x80"};
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
        memset(b, '0', sizeof b);
        memcpy(b, other[i], strlen(other[i]));
        v = -7;
        assert_int_equal(gf_csvscan_short_number(b, strlen(other[i]), &v), -1);
        assert_true(v == -7); /* untouched */
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

/* Chunks of a regular file are cut by position: whatever byte the line ends fall on around a
 * chunk's start, every line comes once, whole, in file order (the chunks joined are the file). */
static void test_chunk_edges(void **st)
{
    (void)st;
    const size_t C = GF_CSVSCAN_CHUNK, data = 2; /* "h\n" */
    for (int d = -3; d <= 3; d++)
        for (int final_nl = 0; final_nl < 2; final_nl++) {
            /* lines of 100 bytes, one shortened so that a '\n' is at data + C - 1 + d, then a
             * last line ending at the file's end, near the next chunk's start when d > 0 */
            size_t nl_at = data + C - 1 + (size_t)(long)d, size = data + C + 200 + (size_t)d;
            char *want = malloc(size + 1);
            assert_non_null(want);
            memcpy(want, "h\n", 2);
            for (size_t i = data; i < size; i++)
                want[i] = (char)('a' + i % 26);
            for (size_t i = nl_at; i >= data + 100; i -= 100)
                want[i] = '\n';
            want[size - 1] = final_nl ? '\n' : 'z';
            char path[] = "/tmp/gf_csvscan_XXXXXX";
            int fd = mkstemp(path);
            assert_true(fd >= 0);
            assert_int_equal(write(fd, want, size), (ssize_t)size);
            close(fd);
            if (!final_nl)
                want[size++] = '\n';
            struct gf_csvscan *s;
            struct gf_err e = {0};
            assert_int_equal(gf_csvscan_open(&s, path, &e), GF_OK);
            struct gf_csvscan_chunk c = {0};
            size_t at = data;
            long seq = -1;
            int r;
            while ((r = gf_csvscan_next(s, &c, &e)) == 1) {
                assert_true(c.seq > seq);
                seq = c.seq;
                assert_true(c.len > 0 && at + c.len <= size);
                assert_memory_equal(c.buf, want + at, c.len);
                assert_int_equal(c.off, at);
                assert_int_equal(gf_csvscan_line(s, &c, c.buf), 2 + (long)(at - data) / 100);
                at += c.len;
            }
            assert_int_equal(r, 0);
            assert_int_equal(at, size);
            gf_csvscan_chunk_free(&c);
            gf_csvscan_close(s);
            unlink(path);
            free(want);
        }
}

/* The line that crosses a chunk's end, read on by position: up to GF_CSVSCAN_MAX_LINE bytes
 * it comes whole in one chunk; one byte more is an error naming its line, whether it ends in
 * '\n' or at the end of the file without one. */
static void test_crossing_line_limit(void **st)
{
    (void)st;
    const size_t M = GF_CSVSCAN_MAX_LINE, data = 2;                 /* "h\n" */
    const size_t at = data + (GF_CSVSCAN_CHUNK - 1000) / 100 * 100; /* the long line's start */
    const long line = 2 + (long)((at - data) / 100);
    for (int extra = 0; extra < 2; extra++)
        for (int last = 0; last < 2; last++) { /* the long line is the file's last, no '\n' */
            size_t len = M + (size_t)extra, size = at + len + (last ? 0 : 1 + 4);
            char *txt = malloc(size);
            assert_non_null(txt);
            memcpy(txt, "h\n", 2);
            for (size_t i = data; i < at; i++)
                txt[i] = (i - data) % 100 == 99 ? '\n' : 'a';
            memset(txt + at, 'b', len);
            if (!last)
                memcpy(txt + at + len, "\n5,6\n", 5);
            char path[] = "/tmp/gf_csvscan_XXXXXX";
            int fd = mkstemp(path);
            assert_true(fd >= 0);
            assert_int_equal(write(fd, txt, size), (ssize_t)size);
            close(fd);
            struct gf_csvscan *s;
            struct gf_err e = {0};
            assert_int_equal(gf_csvscan_open(&s, path, &e), GF_OK);
            struct gf_csvscan_chunk c = {0};
            size_t got = data;
            int r, whole = 0;
            while ((r = gf_csvscan_next(s, &c, &e)) == 1) {
                if (c.off <= at && at < c.off + c.len)
                    whole = c.off + c.len >= at + len + 1 && c.buf[at + len - c.off] == '\n';
                got += c.len;
            }
            if (extra) {
                char want[64];
                snprintf(want, sizeof want, ":%ld: line longer than", line);
                assert_true(r < 0);
                assert_non_null(strstr(e.msg, want));
            } else {
                assert_int_equal(r, 0);
                assert_true(whole);
                assert_int_equal(got, size + (last ? 1 : 0)); /* a '\n' added after the last */
            }
            gf_csvscan_chunk_free(&c);
            gf_csvscan_close(s);
            unlink(path);
            free(txt);
        }
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
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_plain_numbers),
        cmocka_unit_test(test_seps),
        cmocka_unit_test(test_short_numbers),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_chunks_threads),
        cmocka_unit_test(test_chunks_threads_stdin),
        cmocka_unit_test(test_crossing_line_limit),
        cmocka_unit_test(test_chunk_edges),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_open_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
