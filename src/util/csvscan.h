/* csvscan.h — fast chunked CSV scanner for large numeric files, shared by several threads.
 *
 * Contract (narrower than util/csv.h, in exchange for speed: use csv.h for general input):
 *   - the first line is a header; fields are separated by ','; a UTF-8 byte-order mark is
 *     skipped; LF and CRLF both end a line; blank lines are skipped by the caller's split
 *     (gf_csvscan_split returns 0 fields for them).
 *   - quoted fields ("…", "" for a quote) may hold commas but NOT line breaks: a line with an
 *     unterminated quote is an error (chunks are cut at line ends without looking at quotes).
 *   - a line may be at most GF_CSVSCAN_MAX_LINE bytes.
 *   - the file is read in chunks of whole lines; each thread calls gf_csvscan_next() with its
 *     own chunk and gets the next run of lines (gf_csvscan_line() numbers them), in the chunk's
 *     own buffer.  A regular file is read by position (pread), by the threads at once: chunk k
 *     holds the lines that start in the k-th GF_CSVSCAN_CHUNK bytes after the header.  A pipe
 *     is read under the scanner's lock, a chunk after the other.  Memory is bounded: threads ×
 *     (chunk size + one line), whatever the size of the file.  A regular file is read up to
 *     the size it had when opened.
 * Threads: gf_csvscan_next() may be called from several threads at once; everything else is
 * for one thread.  Ownership: the scanner owns the header strings; a chunk owns its buffer
 * (free with gf_csvscan_chunk_free); field spans point into the chunk and are valid until the
 * chunk is refilled.
 */
#ifndef GF_CSVSCAN_H
#define GF_CSVSCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util/err.h"

#define GF_CSVSCAN_MAX_LINE ((size_t)1 << 20)
#define GF_CSVSCAN_CHUNK ((size_t)4 << 20)

struct gf_csvscan;

struct gf_csvscan_chunk {
    char *buf; /* lines, each ending in '\n' (one is added after a last line without it), in
                * mem */
    size_t len, cap;
    char *mem;  /* the chunk's own buffer */
    size_t off; /* a regular file's: the offset of buf in the file */
    long line;  /* a pipe's: the number of buf's first line (1 = header); 0 for a file */
    long seq;   /* 0 for the file's first chunk, then ascending in file order */
};

struct gf_csvscan_field {
    const char *p; /* not NUL-terminated */
    size_t len;
};

/* Open path ("-" = standard input) and read the header.  Returns GF_OK, GF_EUSER (cannot open,
 * no header, bad header) or GF_ENOMEM, with a message naming the file. */
int gf_csvscan_open(struct gf_csvscan **out, const char *path, struct gf_err *e);
void gf_csvscan_close(struct gf_csvscan *s);

int gf_csvscan_ncols(const struct gf_csvscan *s);
const char *gf_csvscan_colname(const struct gf_csvscan *s, int i);
/* Index of the column named name, or -1. */
int gf_csvscan_find(const struct gf_csvscan *s, const char *name);
/* Size of the file in bytes, or 0 when unknown (a pipe). */
size_t gf_csvscan_size_hint(const struct gf_csvscan *s);

/* The number of the line (1 = header) that starts at p, a position in c's lines.  Lines are
 * not counted while a regular file is read (counting cost a pass over the file under the lock):
 * for a file's chunk this reads and counts the lines before p in the file, so it is for error
 * messages; -1 when the file cannot be read again. */
long gf_csvscan_line(const struct gf_csvscan *s, const struct gf_csvscan_chunk *c, const char *p);

/* Fill c with the next lines.  Returns 1 (a chunk), 0 (end of file) or < 0 (read error, line
 * too long, a NUL byte; message in e).  Thread-safe. */
int gf_csvscan_next(struct gf_csvscan *s, struct gf_csvscan_chunk *c, struct gf_err *e);

/* For a caller that looks at every byte of every line anyway (gf_csvscan_seps finds NUL, which
 * is below '-'): gf_csvscan_next no longer searches each chunk for a NUL byte, and the caller
 * refuses a line holding one with gf_csvscan_nul(), which words the error as the search would.
 * Call before the first gf_csvscan_next. */
void gf_csvscan_lines_checked(struct gf_csvscan *s);
/* The first NUL byte of the line at p (ending at its '\n'), as an error in e: returns -1 with
 * the message (its line and column), or 0 when the line holds none. */
int gf_csvscan_nul(const struct gf_csvscan *s, const struct gf_csvscan_chunk *c, const char *p,
                   struct gf_err *e);
void gf_csvscan_chunk_free(struct gf_csvscan_chunk *c);

/* Split the line starting at p (ending at the next '\n') into fields.  Fills f[0..nf) with up to
 * nf fields, stores the number of fields of the line in *nfields (0 for a blank line) and
 * returns the start of the next line.  Quoted fields are unquoted in place.  Returns NULL when
 * a quote is not closed on the line or text follows a closing quote. */
char *gf_csvscan_split(char *p, struct gf_csvscan_field *f, int nf, int *nfields);

/* Parse a decimal number ([+-]digits[.digits][e[+-]digits], surrounding spaces allowed),
 * correctly rounded (exact fast path, strtod otherwise).  Returns 0, or -1 if the text is not
 * such a number (empty, letters, nan, inf, hex…). */
int gf_csvscan_double(const char *p, size_t len, double *out);

/* The separator index of p[0..n), n < 2^31, for a caller that finds a line's fields from it
 * instead of searching for each field's end after the previous one's:
 *   sep[0..count): the offsets from p of every byte below '-' (0x2D: ',', '\n', '\r', a quote, a
 *     space, other punctuation, control bytes), ascending; the count is returned.  sep must
 *     have room for n + 16 offsets (entries past the count are written, and are garbage).
 *   lines[0..*nlines): for every '\n', the index in sep of its entry, with GF_CSVSCAN_ODD set
 *     when its line (from the previous '\n', or from p) holds any separator but ',' — a '\r'
 *     just before the '\n' excepted, unless it is the last byte of a 64-byte block of p (such a
 *     line is for the caller's general path).  lines must have room for one entry per '\n'.
 * p[0..n) is read in blocks of 64 bytes, the last one copied. */
#define GF_CSVSCAN_ODD 0x80000000u
size_t gf_csvscan_seps(const char *p, size_t n, uint32_t *sep, uint32_t *lines, size_t *nlines);
/* Tests: use build b of gf_csvscan_seps — 0 for any x86-64, 1 for POPCNT/BMI/AVX2, 2 for
 * AVX-512 BW/VBMI2 — or the best this CPU runs when b is -1 (the default) or more than it runs;
 * returns the build now in use (so gf_csvscan__seps_build(-1) is the number of others to test). */
int gf_csvscan__seps_build(int b);

/* ---- the fast path for plain lines: inline, called for every field of every line ----
 *
 * gf_csvscan_plain_number reads up to 17 bytes past p with word loads, never at or past end (the
 * end of the chunk's lines), and falls back to byte loops near it; gf_csvscan_short_number reads
 * 8 bytes from p, which the caller guarantees.  Little-endian only (GF_CSVSCAN_WORDS is 0
 * elsewhere, and callers take their general path). */

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define GF_CSVSCAN_WORDS 1
#else
#define GF_CSVSCAN_WORDS 0
#endif

static inline uint64_t gf_csvscan__load8(const char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

/* The bytes of w that are not ASCII digits, as their high bits (exact for the lowest one: a
 * borrow or carry only ever flags bytes above a non-digit). */
static inline uint64_t gf_csvscan__nondigits(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ull;
    return ((w - ones * 0x30) | (w + ones * 0x46) | w) & (ones * 0x80);
}

/* The value of the first k (≤ 8) bytes of w, all digits, most significant first: the digits are
 * moved to the top of the word (zeros below are leading zeros) and combined in pairs, fours and
 * eights by three multiplications. */
static inline uint64_t gf_csvscan__digits(uint64_t w, unsigned k)
{
    if (!k)
        return 0;
    uint64_t v = (w - 0x3030303030303030ull) << (8 * (8 - k));
    v = v * 10 + (v >> 8);
    return (((v & 0x000000FF000000FFull) * 0x000F424000000064ull) +
            (((v >> 16) & 0x000000FF000000FFull) * 0x0000271000000001ull)) >>
           32;
}

static const double gf_csvscan__p10[20] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,
                                           1e7,  1e8,  1e9,  1e10, 1e11, 1e12, 1e13,
                                           1e14, 1e15, 1e16, 1e17, 1e18, 1e19};

/* gf_csvscan_plain_number digit by digit (any length up to 19 digits). */
static inline const char *gf_csvscan__number_bytes(const char *p, double *out)
{
    const char *q = p;
    int neg = *q == '-';
    q += neg;
    const char *d0 = q;
    uint64_t m = 0;
    while ((unsigned)(*q - '0') < 10)
        m = m * 10 + (uint64_t)(*q++ - '0');
    size_t nd = (size_t)(q - d0), fr = 0;
    if (*q == '.') {
        const char *f0 = ++q;
        while ((unsigned)(*q - '0') < 10)
            m = m * 10 + (uint64_t)(*q++ - '0');
        fr = (size_t)(q - f0);
        nd += fr;
    }
    if (nd == 0 || nd > 19 || m > ((uint64_t)1 << 53))
        return NULL;
    double v = (double)m;
    if (fr)
        v /= gf_csvscan__p10[fr];
    *out = neg ? -v : v;
    return q;
}

/* A plain decimal at p, [-]digits[.digits] with at least one digit and at most 19: its value
 * correctly rounded (an integer up to 2^53 divided by an exact power of ten is one rounding,
 * as strtod's) and the byte after it; NULL when the text there is not such a number (the
 * caller checks that the byte after it ends the field).  Up to 7 digits on each side of the
 * point are read 8 bytes at a time (no branch on the number's length), longer numbers and
 * numbers near end digit by digit. */
static inline const char *gf_csvscan_plain_number(const char *p, const char *end, double *out)
{
    static const uint64_t u10[8] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};
    const char *q = p + (*p == '-');
    if (!GF_CSVSCAN_WORDS || end - q < 17)
        return gf_csvscan__number_bytes(p, out);
    uint64_t w = gf_csvscan__load8(q), nd = gf_csvscan__nondigits(w);
    if (!nd)
        return gf_csvscan__number_bytes(p, out);
    unsigned k1 = (unsigned)__builtin_ctzll(nd) >> 3, fr = 0;
    uint64_t m = gf_csvscan__digits(w, k1);
    q += k1;
    if (*q == '.') {
        uint64_t w2 = gf_csvscan__load8(q + 1), nd2 = gf_csvscan__nondigits(w2);
        if (!nd2)
            return gf_csvscan__number_bytes(p, out);
        fr = (unsigned)__builtin_ctzll(nd2) >> 3;
        m = m * u10[fr] + gf_csvscan__digits(w2, fr);
        q += 1 + fr;
    }
    if (k1 + fr == 0)
        return NULL;
    double v = (double)m; /* below 10^14 < 2^53: exact */
    if (fr)
        v /= gf_csvscan__p10[fr];
    *out = *p == '-' ? -v : v;
    return q;
}

/* The number in p[0..len) when it has one of the commonest forms, 1 to 8 digits, or 1 to 8
 * digits, '.' and two digits (8 bytes must be readable from p): 0 and its value exactly as
 * gf_csvscan_plain_number reads it; -1 for any other text (the caller reads it the general way).
 * For a caller that knows where the field ends: no search for its end, no loop. */
static inline int gf_csvscan_short_number(const char *p, size_t len, double *out)
{
    static const uint64_t low[9] = {0,
                                    0xFFull,
                                    0xFFFFull,
                                    0xFFFFFFull,
                                    0xFFFFFFFFull,
                                    0xFFFFFFFFFFull,
                                    0xFFFFFFFFFFFFull,
                                    0xFFFFFFFFFFFFFFull,
                                    ~0ull};
    uint64_t w = gf_csvscan__load8(p), nd = gf_csvscan__nondigits(w);
    if (len - 1 < 8 && !(nd & low[len])) {
        *out = (double)gf_csvscan__digits(w, (unsigned)len);
        return 0;
    }
    size_t k = len - 3; /* digits before the point */
    if (k - 1 < 8 && p[k] == '.') {
        unsigned d1 = (unsigned char)p[k + 1] - '0', d2 = (unsigned char)p[k + 2] - '0';
        if ((nd & low[k]) || d1 > 9 || d2 > 9)
            return -1;
        *out = (double)(gf_csvscan__digits(w, (unsigned)k) * 100 + d1 * 10 + d2) / 100;
        return 0;
    }
    return -1;
}

#endif
