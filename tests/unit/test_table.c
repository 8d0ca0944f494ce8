/* test_table.c — number printing for listings and exports (gf_fmt_double): the shortest text
 * that reads back to the same double, in plain notation for ordinary magnitudes; and the
 * growable text the SQL builders write into (gf_strbuf); the set of strings imports keep the facts
 * they checked in (gf_strset). */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/hash.h"
#include "util/strbuf.h"
#include "util/strset.h"
#include "util/table.h"

static void expect(double x, const char *want)
{
    char buf[64];
    int n = gf_fmt_double(buf, sizeof buf, x);
    if (strcmp(buf, want) != 0)
        fail_msg("%.17g: printed \"%s\", expected \"%s\"", x, buf, want);
    assert_int_equal(n, (int)strlen(buf));
}

static void test_known(void **st)
{
    (void)st;
    expect(0, "0");
    expect(-0.0, "0");
    expect(27000, "27000");
    expect(-3, "-3");
    expect(0.1, "0.1");
    expect(-2.5, "-2.5");
    expect(1.0 / 3, "0.3333333333333333");        /* 16 digits */
    expect(0.1 + 0.2, "0.30000000000000004");     /* 17 digits */
    expect(37456.2521391749, "37456.2521391749"); /* 15 digits */
    expect(1e-6, "0.000001");                     /* plain down to 1e-6 */
    expect(1.25e-6, "0.00000125");
    expect(1e-7, "1e-07");               /* then exponent notation */
    expect(1.5e16, "15000000000000000"); /* plain below 1e17 */
    expect(1e17, "1e+17");
    expect(1e300, "1e+300");
    expect(DBL_MAX, "1.7976931348623157e+308");
    expect(5e-324, "5e-324"); /* subnormal: one digit is enough */
    expect(4.9406564584124654e-323, "5e-323");
    expect(75234356394920176.0, "75234356394920176"); /* an integer: all its digits */
    expect(976877178695174.25, "976877178695174.2");  /* halfway: the even digit */
    expect(976877178695174.75, "976877178695174.8");
    /* a power of two (the gap below it half the gap above): %.16g's digits fall below the
     * interval that reads back, and 16 other digits are in it */
    expect(0x1p+132, "5.444517870735016e+39");
    expect(NAN, "NaN");
    expect(INFINITY, "Infinity");
    expect(-INFINITY, "-Infinity");
}

/* Significant digits of a printed number (plain or exponent notation). */
static int sig_digits(const char *s)
{
    int n = 0, lead = 1;
    for (; *s && *s != 'e'; s++)
        if (*s >= '1' && *s <= '9')
            lead = 0, n++;
        else if (*s == '0' && !lead)
            n++;
    return n;
}

/* The next of many doubles (xorshift state *s), of six kinds by i: random bits, money amounts,
 * ratios of every magnitude, subnormal numbers of a few units, integers of up to 19 digits over
 * a power of ten, small ratios. */
static double some_double(uint64_t *s, long i)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    uint64_t r = *s;
    double x;
    switch (i % 6) {
    case 0:
        memcpy(&x, &r, sizeof x);
        return x;
    case 1:
        return (double)(r % 100000000) / 100;
    case 2:
        return (double)(r >> 11) / 9007199254740992.0 * pow(10, (int)(r % 40) - 20);
    case 3:
        r %= 200; /* subnormal */
        memcpy(&x, &r, sizeof x);
        return x;
    case 4:
        return (double)(int64_t)(r % 2000000000000000000ULL) / pow(10, (int)(r % 23));
    default:
        return (double)(r % 1000000) / (double)(r % 997 + 1);
    }
}

/* For many doubles (some_double): the text reads
 * back to the same double and has no more significant digits than the shortest %g that does. */
static void test_shortest_round_trip(void **st)
{
    (void)st;
    uint64_t s = 88172645463325252ULL;
    for (long i = 0; i < 200000; i++) {
        double x = some_double(&s, i);
        if (!isfinite(x) || x == 0)
            continue;
        char buf[64], ref[64];
        gf_fmt_double(buf, sizeof buf, x);
        if (strtod(buf, NULL) != x)
            fail_msg("%.17g printed as %s, which reads back as %.17g", x, buf, strtod(buf, NULL));
        int p = 1;
        for (; p < 17; p++) {
            snprintf(ref, sizeof ref, "%.*g", p, x);
            if (strtod(ref, NULL) == x)
                break;
        }
        snprintf(ref, sizeof ref, "%.*g", p, x);
        int got = sig_digits(buf), want = sig_digits(ref);
        if (strchr(buf, 'e') == NULL && x == floor(x))
            continue; /* integers print all their digits */
        if (got > want)
            fail_msg("%.17g printed as %s (%d digits), shortest is %s (%d)", x, buf, got, ref,
                     want);
    }
}

/* gf_fmt_double as it was before util/shortest.c, the oracle: the first of %.15g, %.16g,
 * %.17g that reads back (from %.1g for subnormal numbers), in plain notation for exponents -6 to
 * 16 when that reads back too; integers below 1e15 by %.0f. */
static void printf_shortest(char *buf, int cap, double x)
{
    if (x == 0 || !isfinite(x)) {
        snprintf(buf, (size_t)cap, "%s",
                 x == 0     ? "0"
                 : isnan(x) ? "NaN"
                 : x > 0    ? "Infinity"
                            : "-Infinity");
        return;
    }
    if (fabs(x) < 1e15 && x == (double)(long long)x) {
        snprintf(buf, (size_t)cap, "%.0f", x);
        return;
    }
    int prec = fabs(x) < DBL_MIN ? 1 : 15;
    for (; prec < 17; prec++) {
        snprintf(buf, (size_t)cap, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    if (prec == 17)
        snprintf(buf, (size_t)cap, "%.17g", x);
    const char *ep = strchr(buf, 'e');
    if (!ep)
        return;
    int digits = 0, exp10 = atoi(ep + 1);
    for (const char *q = buf; q < ep; q++)
        digits += *q >= '0' && *q <= '9';
    if (exp10 >= -6 && exp10 < 17) {
        char plain[64];
        int decimals = digits - 1 - exp10 < 0 ? 0 : digits - 1 - exp10;
        int n = snprintf(plain, sizeof plain, "%.*f", decimals, x);
        if (n < cap && strtod(plain, NULL) == x)
            memcpy(buf, plain, (size_t)n + 1);
    }
}

/* The same text as printf_shortest for every kind of double: random bits, every exponent with
 * mantissas 0, 1, all ones and random, subnormals of a few units, money amounts, ratios, large
 * integers.  The one difference allowed: at a power of two, fewer digits that read back (printf
 * rounds to the nearest 16 digits, which can fall outside the narrower gap below). */
static void test_printf_oracle(void **st)
{
    (void)st;
    uint64_t s = 0x9E3779B97F4A7C15ULL;
    long differ = 0;
    for (long i = 0; i < 300000 + 2046 * 4; i++) {
        uint64_t bits;
        double x = some_double(&s, i);
        if (i >= 300000) { /* every exponent */
            long j = i - 300000;
            uint64_t mant[4] = {0, 1, 0xFFFFFFFFFFFFFull, s & 0xFFFFFFFFFFFFFull};
            bits = (uint64_t)(j / 4 + 1) << 52 | mant[j % 4];
            memcpy(&x, &bits, sizeof x);
        }
        char got[64], want[400];
        gf_fmt_double(got, sizeof got, x);
        printf_shortest(want, sizeof want, x);
        if (!strcmp(got, want))
            continue;
        memcpy(&bits, &x, sizeof bits);
        if ((bits & 0xFFFFFFFFFFFFFull) || strtod(got, NULL) != x ||
            sig_digits(got) >= sig_digits(want))
            fail_msg("%.17g: printed %s, printf's shortest is %s", x, got, want);
        differ++;
    }
    assert_true(differ > 0 && differ < 2046); /* some powers of two, no more */
}

/* A table of many numbers (formatted ahead by several threads, a window of rows at a time:
 * 300 000 cells are two windows, the second short) prints each cell as gf_fmt_double does,
 * missing numbers empty (CSV) or null (JSON), in row order. */
static void test_large_table(void **st)
{
    (void)st;
    enum { NR = 100000 };
    struct gf_column cols[] = {{"name", NULL, NULL}, {"a", NULL, NULL}, {"b", NULL, NULL}};
    struct gf_table *t = gf_table_new(cols, 3);
    assert_non_null(t);
    double *a = malloc(sizeof *a * NR), *b = malloc(sizeof *b * NR);
    uint64_t s = 1234567;
    for (int i = 0; i < NR; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        a[i] = i % 97 == 0 ? NAN : i % 89 == 0 ? INFINITY : (double)(s >> 11) / 3e7;
        b[i] = i % 2 ? (double)i : 1.0 / (i + 3);
        char name[16];
        snprintf(name, sizeof name, "u%d", i);
        gf_table_row(t);
        gf_table_text(t, 0, name);
        gf_table_num(t, 1, a[i], 2);
        gf_table_num(t, 2, b[i], -1);
    }
    for (int fmt = 0; fmt < 2; fmt++) {
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        assert_non_null(f);
        gf_table_print(t, f, fmt ? GF_FMT_JSON : GF_FMT_CSV, "en");
        fclose(f);
        char *line = strtok(text, "\n");
        if (!fmt) { /* the header */
            assert_string_equal(line, "name,a,b");
            line = strtok(NULL, "\n");
        } else {
            assert_string_equal(line, "[");
            line = strtok(NULL, "\n");
        }
        for (int i = 0; i < NR; i++, line = strtok(NULL, "\n")) {
            char fa[64], fb[64], want[256];
            assert_non_null(line);
            gf_fmt_double(fa, sizeof fa, a[i]);
            gf_fmt_double(fb, sizeof fb, b[i]);
            if (!fmt)
                snprintf(want, sizeof want, "u%d,%s,%s", i, isnan(a[i]) ? "" : fa, fb);
            else
                snprintf(want, sizeof want, " {\"name\": \"u%d\", \"a\": %s, \"b\": %s}%s", i,
                         isfinite(a[i]) ? fa : "null", fb, i + 1 < NR ? "," : "");
            assert_string_equal(line, want);
        }
        free(text);
    }
    gf_table_free(t);
    free(a);
    free(b);
}

/* A page of a table: the rows asked for, in order; a page of an empty table is empty (it has
 * no cells at all: the sanitizer build catches a copy from nowhere). */
static void test_slice(void **st)
{
    (void)st;
    struct gf_column cols[] = {{"name", NULL, NULL}};
    struct gf_table *t = gf_table_new(cols, 1);
    gf_table_slice(t, 0, 50);
    assert_int_equal(gf_table_rows(t), 0);
    for (int i = 0; i < 5; i++) {
        char name[8];
        snprintf(name, sizeof name, "r%d", i);
        gf_table_row(t);
        gf_table_text(t, 0, name);
    }
    gf_table_slice(t, 1, 2);
    assert_int_equal(gf_table_rows(t), 2);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    gf_table_print(t, f, GF_FMT_CSV, "en");
    fclose(f);
    assert_string_equal(text, "name\nr1\nr2\n");
    free(text);
    gf_table_slice(t, 7, 3);
    assert_int_equal(gf_table_rows(t), 0);
    gf_table_free(t);
}

/* Text past any fixed buffer: formatted pieces in order, NUL-terminated, the length counted. */
static void test_strbuf(void **st)
{
    (void)st;
    struct gf_strbuf b = {0};
    char want[20000] = "";
    size_t n = 0;
    for (int i = 0; i < 2000; i++) {
        gf_strbuf_printf(&b, "%s\"c%d\"", i ? ", " : "", i);
        n += (size_t)snprintf(want + n, sizeof want - n, "%s\"c%d\"", i ? ", " : "", i);
    }
    gf_strbuf_puts(&b, " FROM t");
    gf_strbuf_put(&b, "!?", 1);
    n += (size_t)snprintf(want + n, sizeof want - n, " FROM t!");
    assert_false(b.err);
    assert_int_equal(b.n, n);
    assert_int_equal(strlen(b.p), n);
    assert_string_equal(b.p, want);
    gf_strbuf_free(&b);
    assert_null(b.p);
    gf_strbuf_printf(&b, "%s", "");
    assert_non_null(b.p);
    assert_string_equal(b.p, "");
    gf_strbuf_free(&b);
}

/* Every string added is in the set, once; nothing else is (prefixes, longer strings, the empty
 * string); growing keeps them all. */
static void test_strset(void **st)
{
    (void)st;
    struct gf_strset s = {0};
    char k[32];
    assert_false(gf_strset_has(&s, "x"));
    for (int i = 0; i < 5000; i++) {
        snprintf(k, sizeof k, "unit\x1f%d", i * 7);
        assert_int_equal(gf_strset_add(&s, k), 0);
        assert_int_equal(gf_strset_add(&s, k), 0); /* again: no second copy */
    }
    assert_int_equal(s.n, 5000);
    for (int i = 0; i < 35000; i++) {
        snprintf(k, sizeof k, "unit\x1f%d", i);
        assert_int_equal(gf_strset_has(&s, k), i % 7 == 0);
    }
    assert_false(gf_strset_has(&s, "unit\x1f"));
    assert_true(gf_strset_has(&s, "unit\x1f" "700"));
    assert_false(gf_strset_has(&s, "unit\x1f" "7001")); /* 700 is in: a longer one is not */
    assert_false(gf_strset_has(&s, "unit\x1f" "70" "0" "0" "0" "0")); /* beyond every added */
    assert_false(gf_strset_has(&s, ""));
    gf_strset_free(&s);
    assert_false(gf_strset_has(&s, "unit\x1f" "7"));
}

/* The program's one hash is FNV-1a (the published 64-bit vectors, from the published start),
 * for strings as for bytes; a table's random start is odd and drawn anew each time. */
static void test_hash(void **st)
{
    (void)st;
    const uint64_t basis = 14695981039346656037ull; /* FNV-1a's published start */
    assert_true(gf_fnv1a("", 0, basis) == 0xcbf29ce484222325ull);
    assert_true(gf_fnv1a("a", 1, basis) == 0xaf63dc4c8601ec8cull);
    assert_true(gf_fnv1a("foobar", 6, basis) == 0x85944171f73967e8ull);
    assert_true(gf_fnv1a_str("foobar", basis) == 0x85944171f73967e8ull);
    assert_true(gf_fnv1a("bar", 3, gf_fnv1a("foo", 3, basis)) == 0x85944171f73967e8ull);
    assert_true(gf_fnv1a_str("510402001001", GF_FNV_START) ==
                gf_fnv1a("510402001001", 12, GF_FNV_START));
    uint64_t a = gf_hash_seed(), b = gf_hash_seed();
    assert_true((a & 1) && (b & 1));
    assert_true(a != b); /* 2^-63 to fail by chance */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known),
        cmocka_unit_test(test_shortest_round_trip),
        cmocka_unit_test(test_printf_oracle),
        cmocka_unit_test(test_large_table),
        cmocka_unit_test(test_slice),
        cmocka_unit_test(test_strbuf),
        cmocka_unit_test(test_strset),
        cmocka_unit_test(test_hash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
