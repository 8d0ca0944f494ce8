/* shortest.c — the shortest decimal that reads back as a double (shortest.h). */
#include "util/shortest.h"

#include <math.h>
#include <string.h>

#include "util/pow10_table.h"

enum { Q_MIN = -1074 };
#define C_MIN ((uint64_t)1 << 52)

/* floor(q log10 2), floor(log10(3/4 2^q)) and floor(e log2 10) by a multiplication and a shift:
 * scripts/gen_pow10.py checks them against exact values for every exponent they are used with. */
static inline int flog10_pow2(int q)
{
    return (int)(((int64_t)q * 661971961083LL) >> 41);
}

static inline int flog10_three_quarters_pow2(int q)
{
    return (int)(((int64_t)q * 661971961083LL - 274743187321LL) >> 41);
}

static inline int flog2_pow10(int e)
{
    return (int)(((int64_t)e * 913124641741LL) >> 38);
}

/* g × cp / 2^127 rounded to odd: the last bit set when the bits cut off are not all 0; g = gh
 * 2^64 + gl below 2^126, cp below 2^61.  The product's 64 lowest bits are left out of that test:
 * g is 10^-k × 2^-r rounded up, and when 10^-k × 2^-r is an integer (10^-k exact) the excess is
 * cp, which lies in those bits only; a tie (x halfway between two decimals) is then seen as
 * one. */
static inline uint64_t round_odd(uint64_t gh, uint64_t gl, uint64_t cp)
{
    unsigned __int128 lo = (unsigned __int128)gl * cp;
    unsigned __int128 hi = (unsigned __int128)gh * cp + (uint64_t)(lo >> 64); /* product / 2^64 */
    return (uint64_t)(hi >> 63) | (((uint64_t)hi & (((uint64_t)1 << 63) - 1)) != 0);
}

/* The decimal f × 10^*e (f may end in zeros) of c × 2^q. */
static uint64_t to_decimal(int q, uint64_t c, int *e)
{
    /* the rounding interval of c 2^q is [cbl, cbr] × 2^(q-2), ends included when c is even */
    uint64_t out = c & 1, cb = c << 2, cbr = cb + 2, cbl;
    int k;
    if (c != C_MIN || q == Q_MIN) {
        cbl = cb - 2;
        k = flog10_pow2(q);
    } else { /* a power of two: the gap below is half the gap above */
        cbl = cb - 1;
        k = flog10_three_quarters_pow2(q);
    }
    int h = q + flog2_pow10(-k) + 2;
    const uint64_t *g = gf_pow10_g[k - GF_POW10_KMIN];
    /* the interval's middle and ends × 10^-k × 4, rounded to odd */
    uint64_t vb = round_odd(g[0], g[1], cb << h), vbl = round_odd(g[0], g[1], cbl << h),
             vbr = round_odd(g[0], g[1], cbr << h);
    uint64_t s = vb >> 2;
    *e = k;
    if (s >= 10) { /* one digit fewer: a multiple of 10 in the interval (two never are) */
        uint64_t sp10 = s / 10 * 10, tp10 = sp10 + 10;
        int upin = vbl + out <= sp10 << 2, wpin = (tp10 << 2) + out <= vbr;
        if (upin != wpin)
            return upin ? sp10 : tp10;
    }
    uint64_t t = s + 1;
    int uin = vbl + out <= s << 2, win = (t << 2) + out <= vbr;
    if (uin != win)
        return uin ? s : t;
    /* both in: the nearer (s on a tie when s is even) */
    int64_t cmp = (int64_t)(vb - ((s + t) << 1));
    return cmp < 0 || (cmp == 0 && !(s & 1)) ? s : t;
}

/* The number of decimal digits of f. */
static int digits_of(uint64_t f)
{
    int n = 1;
    for (; f >= 10; f /= 10)
        n++;
    return n;
}

int gf_shortest(double x, uint64_t *d, int *e)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    int bq = (int)(bits >> 52 & 0x7FF);
    uint64_t t = bits & (C_MIN - 1), f;
    if (bq) {
        uint64_t c = C_MIN | t;
        int mq = 1075 - bq;                              /* x = c 2^-mq */
        if (mq > 0 && mq < 53 && (c >> mq) << mq == c) { /* an integer below 2^53: itself */
            f = c >> mq;
            *e = 0;
        } else {
            f = to_decimal(-mq, c, e);
        }
    } else {
        f = to_decimal(Q_MIN, t, e); /* subnormal */
    }
    while (f % 10 == 0) {
        f /= 10;
        ++*e;
    }
    *d = f;
    return digits_of(f);
}

/* The n digits of f at p (n ≥ the digits of f), two at a time. */
static void put_digits(char *p, uint64_t f, int n)
{
    static const char pairs[201] =
        "00010203040506070809101112131415161718192021222324252627282930"
        "31323334353637383940414243444546474849505152535455565758596061"
        "6263646566676869707172737475767778798081828384858687888990919293"
        "949596979899";
    int i = n;
    for (; i >= 2; i -= 2, f /= 100)
        memcpy(p + i - 2, pairs + 2 * (f % 100), 2);
    if (i)
        p[0] = (char)('0' + f);
}

int gf_shortest_text(char buf[GF_SHORTEST_BUF], double x)
{
    const char *word = isnan(x)   ? "NaN"
                       : isinf(x) ? (x > 0 ? "Infinity" : "-Infinity")
                       : x == 0   ? "0"
                                  : NULL;
    if (word) {
        size_t n = strlen(word);
        memcpy(buf, word, n + 1);
        return (int)n;
    }
    char dig[20], *p = buf;
    uint64_t f;
    int e, n;
    if (x < 0)
        *p++ = '-';
    if (fabs(x) < 1e17 && x == (double)(int64_t)x) { /* an integer: all its digits */
        f = (uint64_t)fabs(x);
        n = digits_of(f);
        e = 0;
    } else {
        n = gf_shortest(x, &f, &e);
    }
    put_digits(dig, f, n);
    int X = e + n - 1;       /* |x| = d.ddd × 10^X */
    if (X < -6 || X >= 17) { /* d.ddde±XX */
        *p++ = dig[0];
        if (n > 1) {
            *p++ = '.';
            memcpy(p, dig + 1, (size_t)n - 1);
            p += n - 1;
        }
        int a = X < 0 ? -X : X, na = a >= 100 ? 3 : 2;
        *p++ = 'e';
        *p++ = X < 0 ? '-' : '+';
        put_digits(p, (uint64_t)a, na);
        p += na;
    } else if (X < 0) { /* 0.000ddd */
        memcpy(p, "0.00000", (size_t)(1 - X));
        p += 1 - X;
        memcpy(p, dig, (size_t)n);
        p += n;
    } else if (X >= n - 1) { /* ddd000 */
        memcpy(p, dig, (size_t)n);
        memset(p + n, '0', (size_t)(X - (n - 1)));
        p += X + 1;
    } else { /* dd.ddd */
        memcpy(p, dig, (size_t)X + 1);
        p[X + 1] = '.';
        memcpy(p + X + 2, dig + X + 1, (size_t)(n - X - 1));
        p += n + 1;
    }
    *p = 0;
    return (int)(p - buf);
}
