#!/usr/bin/env python3
"""Write src/util/pow10_table.h: for every k in [-324, 292], the 126-bit g with
10^-k = beta 2^r, 2^125 <= beta < 2^126 (r an integer), g = floor(beta) + 1,
as two 64-bit halves.  util/shortest.c scales a double's bounds by 10^-k with it
(the Schubfach way of finding the shortest decimal; R. Giulietti, 2020).
Exact: Python's integers.  Run from the project's folder: python3 scripts/gen_pow10.py"""
from fractions import Fraction
from math import floor

K_MIN, K_MAX = -324, 292


def flog2pow10(e):
    """floor(e log2 10), exactly: 10^e has bit_length - 1 = floor(log2 10^e) for e >= 0."""
    if e >= 0:
        return (10 ** e).bit_length() - 1
    return -((10 ** -e).bit_length())  # log2 10^-e is never an integer for e != 0


def floor_log10(x):
    """floor(log10 x) of a positive Fraction, exactly."""
    k = 0
    while x >= 10:
        x /= 10
        k += 1
    while x < 1:
        x *= 10
        k -= 1
    return k


# shortest.c's floors by a multiplication and a shift, checked for every exponent q of a double
# (x = c 2^q, q = -1074 .. 971) and every k they give
for q in range(-1074, 972):
    k = (q * 661971961083) >> 41
    assert k == floor_log10(Fraction(2) ** q), q
    k34 = (q * 661971961083 - 274743187321) >> 41
    assert k34 == floor_log10(Fraction(3, 4) * Fraction(2) ** q), q
    for kk in (k, k34):
        assert K_MIN <= kk <= K_MAX and (-kk * 913124641741) >> 38 == flog2pow10(-kk), q
        h = q + flog2pow10(-kk) + 2  # the shift of c << 2: cp below 2^55 << 5
        assert 1 <= h <= 5, q

lines = []
for k in range(K_MIN, K_MAX + 1):
    r = flog2pow10(-k) - 125
    beta = Fraction(10) ** (-k) / Fraction(2) ** r
    assert 2 ** 125 <= beta < 2 ** 126, k
    g = floor(beta) + 1
    lines.append("    {0x%016xull, 0x%016xull}, /* %d */" % (g >> 64, g & (2 ** 64 - 1), k))

with open("src/util/pow10_table.h", "w") as f:
    f.write("/* pow10_table.h — written by scripts/gen_pow10.py; do not edit.\n"
            " * gf_pow10_g[k + 324] = g for 10^-k = beta 2^r, 2^125 <= beta < 2^126, g = floor(beta) + 1\n"
            " * (high 64 bits, low 64 bits), k = -324 .. 292. */\n")
    f.write("#define GF_POW10_KMIN (-324)\n#define GF_POW10_KMAX 292\n")
    f.write("static const uint64_t gf_pow10_g[%d][2] = {\n" % (K_MAX - K_MIN + 1))
    f.write("\n".join(lines) + "\n};\n")
