/* shortest.h — the shortest decimal that reads back as a given double. */
#ifndef GF_SHORTEST_H
#define GF_SHORTEST_H

#include <stdint.h>

/* For a finite x ≠ 0: the digits d (no trailing zeros) and exponent e of the shortest decimal
 * d × 10^e that reads back as |x| (strtod rounds it to |x|), the one nearest |x| when several
 * have that many digits, the even one on a tie.  Returns the number of digits of d (1 to 17).
 * Schubfach's method (R. Giulietti, "The Schubfach way to render doubles", 2020): the ends of
 * |x|'s rounding interval times a power of ten, three 64 × 128-bit products, decide between at
 * most four candidates; the powers of ten are a table (pow10_table.h, written by
 * scripts/gen_pow10.py).  About 20 times faster than trying printf's %.15g, %.16g and %.17g. */
int gf_shortest(double x, uint64_t *d, int *e);

/* The bytes a buffer for gf_shortest_text needs: its longest text (25 bytes) and the NUL. */
#define GF_SHORTEST_BUF 32

/* x as text: an integer below 1e17 with all its digits (75234356394920176), else
 * gf_shortest's digits, in plain notation when the exponent is -6 to 16 (0.000001,
 * 37456.2521391749), else as printf's %g writes them (1e-07, 1e+17, 1.7976931348623157e+308);
 * "0" for ±0, "NaN", "Infinity", "-Infinity".  Returns the length (at most 25). */
int gf_shortest_text(char buf[GF_SHORTEST_BUF], double x);

#endif
