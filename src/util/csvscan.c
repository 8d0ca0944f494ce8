/* csvscan.c — fast chunked CSV scanner (contract in csvscan.h). */
#include "util/csvscan.h"

#include "core/cpu.h"
#include "core/prefault.h"
#include "util/input.h"

#include <errno.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct gf_csvscan {
    const char *path;
    int fd, own_fd, eof;
    size_t size;
    int positioned; /* a regular file read by position (pread): chunk k holds the lines that
                     * start in its k-th CHUNK bytes after the header, read by any thread */
    size_t data;    /* offset of line 2, the first after the header */
    pthread_mutex_t mu;
    long next_line;
    atomic_long nchunks; /* chunks handed out (positioned: the next one to take) */
    char *left;   /* bytes read after the last complete line */
    size_t left_len, left_cap;
    size_t small; /* a regular file of at most GF_CSVSCAN_MAX_LINE bytes: its size (0: larger, or a
                   * pipe); its buffers are as large as the file, not as the limits */
    char **cols;
    int ncols;
    int lines_checked; /* gf_csvscan_lines_checked: chunks are not searched for NUL bytes */
};

/* n bytes, fewer only at the end of the input; -1 on a read error.  off < 0: from the current
 * position (a pipe), else at off (pread: the threads read their chunks at once). */
static ssize_t read_full(int fd, char *buf, size_t n, off_t off)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = off < 0 ? read(fd, buf + got, n - got)
                            : pread(fd, buf + got, n - got, off + (off_t)got);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

char *gf_csvscan_split(char *p, struct gf_csvscan_field *f, int nf, int *nfields)
{
    int k = 0;
    if (*p == '\n' || (*p == '\r' && p[1] == '\n')) {
        *nfields = 0;
        return p + (*p == '\r' ? 2 : 1);
    }
    for (;;) {
        char *start = p, *q;
        size_t len;
        if (*p == '"') {
            char *w = p + 1;
            q = p + 1;
            for (;;) {
                if (*q == '\n')
                    return NULL; /* unterminated quote */
                if (*q == '"') {
                    if (q[1] == '"') {
                        *w++ = '"';
                        q += 2;
                        continue;
                    }
                    q++;
                    break;
                }
                *w++ = *q++;
            }
            start = p + 1;
            len = (size_t)(w - start);
            if (*q == '\r' && q[1] == '\n')
                q++;
            if (*q != ',' && *q != '\n')
                return NULL;
        } else {
            q = p;
            while (*q != ',' && *q != '\n')
                q++;
            len = (size_t)(q - p);
            if (*q == '\n' && len && q[-1] == '\r')
                len--;
        }
        if (k < nf)
            f[k] = (struct gf_csvscan_field){start, len};
        k++;
        if (*q == '\n') {
            *nfields = k;
            return q + 1;
        }
        p = q + 1;
    }
}

static const double pow10_tab[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

int gf_csvscan_double(const char *p, size_t len, double *out)
{
    const char *s = p, *end = p + len;
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    const char *b = s;
    int neg = 0;
    if (s < end && (*s == '+' || *s == '-'))
        neg = *s++ == '-';
    uint64_t m = 0;
    int nd = 0, sig = 0, e10 = 0, digits = 0;
    for (; s < end && (unsigned)(*s - '0') < 10; s++, digits++) {
        if (sig < 19) {
            m = m * 10 + (uint64_t)(*s - '0');
            if (m)
                sig++;
        } else {
            e10++;
            nd = 1; /* digits dropped: not exact */
        }
    }
    if (s < end && *s == '.') {
        s++;
        for (; s < end && (unsigned)(*s - '0') < 10; s++, digits++) {
            if (sig < 19) {
                m = m * 10 + (uint64_t)(*s - '0');
                if (m)
                    sig++;
                e10--;
            } else
                nd = 1;
        }
    }
    if (digits == 0)
        return -1;
    if (s < end && (*s == 'e' || *s == 'E')) {
        s++;
        int eneg = 0, ev = 0, ed = 0;
        if (s < end && (*s == '+' || *s == '-'))
            eneg = *s++ == '-';
        for (; s < end && (unsigned)(*s - '0') < 10; s++, ed++)
            if (ev < 100000)
                ev = ev * 10 + (*s - '0');
        if (ed == 0)
            return -1;
        e10 += eneg ? -ev : ev;
    }
    if (s != end)
        return -1;
    if (!nd && m <= ((uint64_t)1 << 53) && e10 >= -22 && e10 <= 22) {
        double v = (double)m;
        v = e10 < 0 ? v / pow10_tab[-e10] : v * pow10_tab[e10];
        *out = neg ? -v : v;
        return 0;
    }
    char buf[128];
    size_t n = (size_t)(end - b);
    if (n >= sizeof buf)
        return -1;
    memcpy(buf, b, n);
    buf[n] = 0;
    char *ep;
    errno = 0;
    double v = strtod(buf, &ep);
    if (*ep != 0)
        return -1;
    *out = v;
    return 0;
}

/* The separator index (gf_csvscan_seps).  Per 64-byte block: the mask of the bytes below '-',
 * of '\n', and of the separators a plain line may hold (',', '\n', a '\r' just before '\n'); the
 * offsets of the first are written out without a branch per bit, and each line end gets its rank
 * and whether its line held another separator.  The body is compiled three times: for any
 * x86-64 (SSE2, offsets eight at a time by counting trailing zeros) and, chosen at run time, for
 * CPUs with POPCNT, BMI1/2 and AVX2 (one instruction for what is otherwise a library call or
 * three), and for CPUs with AVX-512 BW and VBMI2 (a block's masks from one 64-byte compare each,
 * and its offsets packed by one compress, sixteen stored at a time). */
struct block_masks {
    uint64_t sep, nl, odd; /* below '-'; '\n'; separators no plain line holds */
};

/* The separators no plain line holds, from a block's masks: a '\r' is plain just before a '\n'
 * of the same block (one in a block's last byte is not: its line takes the caller's general
 * path). */
static inline uint64_t odd_separators(uint64_t sep, uint64_t nl, uint64_t comma, uint64_t cr)
{
    return sep & ~nl & ~comma & ~(cr & (nl >> 1));
}

static inline __attribute__((always_inline)) struct block_masks block_masks(const char *p)
{
    struct block_masks b = {0, 0, 0};
    uint64_t comma = 0, cr = 0;
#ifdef __SSE2__
    const __m128i top = _mm_set1_epi8(0x2C), vnl = _mm_set1_epi8('\n'), vcomma = _mm_set1_epi8(','),
                  vcr = _mm_set1_epi8('\r');
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * k));
        unsigned sh = 16 * (unsigned)k;
        /* v ≤ 0x2C unsigned: min(v, 0x2C) is v */
        b.sep |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(v, top), v))
                 << sh;
        b.nl |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vnl)) << sh;
        comma |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vcomma)) << sh;
        cr |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vcr)) << sh;
    }
#else
    for (int i = 0; i < 64; i++) {
        unsigned char c = (unsigned char)p[i];
        b.sep |= (uint64_t)(c < 0x2D) << i;
        b.nl |= (uint64_t)(c == '\n') << i;
        comma |= (uint64_t)(c == ',') << i;
        cr |= (uint64_t)(c == '\r') << i;
    }
#endif
    b.odd = odd_separators(b.sep, b.nl, comma, cr);
    return b;
}

/* The offsets of the next eight set bits of m, plus base, into o[at…at+8); m loses them. */
#define PUT1(o, j, base, m, CTZ) ((o)[j] = (base) + (uint32_t)CTZ(m), (m) &= (m)-1)
#define PUT8(o, at, base, m, CTZ)                                                                  \
    (PUT1(o, (at) + 0, base, m, CTZ), PUT1(o, (at) + 1, base, m, CTZ),                             \
     PUT1(o, (at) + 2, base, m, CTZ), PUT1(o, (at) + 3, base, m, CTZ),                             \
     PUT1(o, (at) + 4, base, m, CTZ), PUT1(o, (at) + 5, base, m, CTZ),                             \
     PUT1(o, (at) + 6, base, m, CTZ), PUT1(o, (at) + 7, base, m, CTZ))
/* The offsets of the cnt set bits of m, plus base, into o[0…cnt), eight at a time, unrolled
 * (past the count: garbage, overwritten by the next block). */
#define PUT_BITS(o, base, m, cnt, CTZ)                                                             \
    do {                                                                                           \
        PUT8(o, 0, base, m, CTZ);                                                                  \
        if ((cnt) > 8) {                                                                           \
            PUT8(o, 8, base, m, CTZ);                                                              \
            for (size_t j_ = 16; m; j_++) {                                                        \
                (o)[j_] = (base) + (uint32_t)CTZ(m);                                               \
                (m) &= (m)-1;                                                                      \
            }                                                                                      \
        }                                                                                          \
    } while (0)

/* ctz of m | 2^63 is that of m for m ≠ 0, and 63 for 0 */
#define CTZ_ANY(m) __builtin_ctzll((m) | 1ull << 63)
#define PUT_ANY(o, base, m, cnt) PUT_BITS(o, base, m, cnt, CTZ_ANY)

/* The index of p[0..n) with MASKS (a function giving a block's struct block_masks) and PUT
 * (writing the offsets of a block's cnt separators, mask m, plus base, at o: at most 16 entries
 * past the count), as a function NAME with attributes ATTR. */
#define SEPS_FUNCTION(NAME, ATTR, MASKS, PUT)                                                      \
    ATTR static size_t NAME(const char *p, size_t n, uint32_t *sep, uint32_t *lines,               \
                            size_t *nlines)                                                        \
    {                                                                                              \
        size_t k = 0, nl = 0, i = 0;                                                               \
        int odd_line = 0; /* the current line so far holds an odd separator */                     \
        char tail[64];                                                                             \
        while (i < n) {                                                                            \
            const char *blk = p + i;                                                               \
            uint64_t valid = ~0ull;                                                                \
            if (n - i < 64) { /* the last bytes, padded with bytes that are not separators */      \
                memset(tail, 'x', sizeof tail);                                                    \
                memcpy(tail, p + i, n - i);                                                        \
                blk = tail;                                                                        \
                valid = ~0ull >> (64 - (n - i));                                                   \
            }                                                                                      \
            struct block_masks b = MASKS(blk);                                                     \
            uint64_t m = b.sep & valid, nlm = b.nl & valid, odd = b.odd & valid;                   \
            for (uint64_t e = nlm; e; e &= e - 1) { /* each line end: its rank, odd or not */      \
                uint64_t below = (e & (0 - e)) - 1;                                                \
                int odd_here = odd_line | ((odd & below) != 0);                                    \
                lines[nl++] = (uint32_t)(k + (size_t)__builtin_popcountll(m & below)) |            \
                              (uint32_t)odd_here << 31;                                            \
                odd &= ~below;                                                                     \
                odd_line = 0;                                                                      \
            }                                                                                      \
            odd_line |= odd != 0;                                                                  \
            size_t cnt = (size_t)__builtin_popcountll(m);                                          \
            PUT(sep + k, (uint32_t)i, m, cnt);                                                     \
            k += cnt;                                                                              \
            i += 64;                                                                               \
        }                                                                                          \
        *nlines = nl;                                                                              \
        return k;                                                                                  \
    }

SEPS_FUNCTION(seps_any, , block_masks, PUT_ANY)

#ifdef GF_CPU_BUILDS
#define TARGET_V3 "popcnt,bmi,bmi2,avx2"
#define TARGET_V4 TARGET_V3 ",avx512f,avx512bw,avx512vbmi2"

/* block_masks with 32-byte compares. */
__attribute__((target(TARGET_V3), always_inline)) static inline struct block_masks
block_masks_avx2(const char *p)
{
    const __m256i top = _mm256_set1_epi8(0x2C), vnl = _mm256_set1_epi8('\n'),
                  vcomma = _mm256_set1_epi8(','), vcr = _mm256_set1_epi8('\r');
    __m256i a = _mm256_loadu_si256((const __m256i *)p),
            b = _mm256_loadu_si256((const __m256i *)(p + 32));
#define MASK64(f)                                                                                  \
    ((uint64_t)(uint32_t)_mm256_movemask_epi8(f(a)) |                                              \
     (uint64_t)(uint32_t)_mm256_movemask_epi8(f(b)) << 32)
#define SEP(v) _mm256_cmpeq_epi8(_mm256_min_epu8(v, top), v)
#define NL(v) _mm256_cmpeq_epi8(v, vnl)
#define COMMA(v) _mm256_cmpeq_epi8(v, vcomma)
#define CR(v) _mm256_cmpeq_epi8(v, vcr)
    struct block_masks m = {MASK64(SEP), MASK64(NL), 0};
    m.odd = odd_separators(m.sep, m.nl, MASK64(COMMA), MASK64(CR));
#undef MASK64
#undef SEP
#undef NL
#undef COMMA
#undef CR
    return m;
}

/* the count of trailing zeros of 0 is 64 (no OR) */
#define PUT_V3(o, base, m, cnt) PUT_BITS(o, base, m, cnt, _tzcnt_u64)
SEPS_FUNCTION(seps_v3, __attribute__((target(TARGET_V3))), block_masks_avx2, PUT_V3)

/* block_masks with 64-byte compares into mask registers. */
__attribute__((target(TARGET_V4), always_inline)) static inline struct block_masks
block_masks_avx512(const char *p)
{
    __m512i v = _mm512_loadu_si512((const void *)p);
    struct block_masks m = {_mm512_cmple_epu8_mask(v, _mm512_set1_epi8(0x2C)),
                            _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\n')), 0};
    m.odd = odd_separators(m.sep, m.nl, _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(',')),
                           _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\r')));
    return m;
}

/* The offsets of the set bits of m: the bytes 0…63 packed by m (VBMI2's compress), widened to
 * 32 bits and offset by base, sixteen at a time. */
__attribute__((target(TARGET_V4), always_inline)) static inline void
put_avx512(uint32_t *o, uint32_t base, uint64_t m, size_t cnt)
{
    const __m512i iota = _mm512_set_epi8(
        63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41,
        40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18,
        17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    const __m512i vb = _mm512_set1_epi32((int)base);
    __m512i at = _mm512_maskz_compress_epi8(m, iota);
    _mm512_storeu_si512((void *)o,
                        _mm512_add_epi32(_mm512_cvtepu8_epi32(_mm512_castsi512_si128(at)), vb));
    if (cnt > 16) {
        _mm512_storeu_si512(
            (void *)(o + 16),
            _mm512_add_epi32(_mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(at, 1)), vb));
        if (cnt > 32) {
            _mm512_storeu_si512(
                (void *)(o + 32),
                _mm512_add_epi32(_mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(at, 2)), vb));
            _mm512_storeu_si512(
                (void *)(o + 48),
                _mm512_add_epi32(_mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(at, 3)), vb));
        }
    }
}
SEPS_FUNCTION(seps_v4, __attribute__((target(TARGET_V4))), block_masks_avx512, put_avx512)
#endif

/* The build of the index in use: -1 not chosen yet (the first call chooses), 0 the one for any
 * x86-64, 1 the POPCNT/BMI/AVX2 one, 2 the AVX-512 one.  Atomic: threads may make their first
 * call at once. */
static atomic_int seps_build = -1;

int gf_csvscan__seps_build(int build)
{
    unsigned f = gf_cpu_features();
    int best = !(f & GF_CPU_V3) ? 0 : f & GF_CPU_AVX512_VBMI2 ? 2 : 1;
    atomic_store(&seps_build, build < 0 || build > best ? best : build);
    return atomic_load(&seps_build);
}

size_t gf_csvscan_seps(const char *p, size_t n, uint32_t *sep, uint32_t *lines, size_t *nlines)
{
    int build = atomic_load_explicit(&seps_build, memory_order_relaxed);
    if (build < 0)
        build = gf_csvscan__seps_build(-1);
#ifdef GF_CPU_BUILDS
    if (build == 2)
        return seps_v4(p, n, sep, lines, nlines);
    if (build == 1)
        return seps_v3(p, n, sep, lines, nlines);
#endif
    return seps_any(p, n, sep, lines, nlines);
}

/* Number of '\n' bytes in p[0..n), 16 bytes at a time (byte counters summed every 255 blocks):
 * it runs under the scanner's lock for every chunk read from a pipe, and over the whole file
 * before an error in a regular one. */
static size_t count_newlines(const char *p, size_t n)
{
    size_t count = 0, i = 0;
#ifdef __SSE2__
    const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
    while (n - i >= 16) {
        size_t blocks = (n - i) / 16;
        if (blocks > 255)
            blocks = 255;
        __m128i acc = zero;
        for (size_t b = 0; b < blocks; b++, i += 16)
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + i)), nl));
        __m128i sums = _mm_sad_epu8(acc, zero);
        count += (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_extract_epi16(sums, 4);
    }
#endif
    for (; i < n; i++)
        count += p[i] == '\n';
    return count;
}

int gf_csvscan_open(struct gf_csvscan **out, const char *path, struct gf_err *e)
{
    *out = NULL;
    struct gf_csvscan *s = calloc(1, sizeof *s);
    if (!s)
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    s->path = path;
    s->fd = -1;
    pthread_mutex_init(&s->mu, NULL);
    int rc = GF_OK;
    if ((rc = gf_input_open_fd(path, &s->fd, e)))
        goto fail;
    s->path = path = gf_input_name(path);
    if (s->fd != 0) {
        s->own_fd = 1;
        struct stat st;
        if (fstat(s->fd, &st) == 0 && S_ISREG(st.st_mode))
            s->size = (size_t)st.st_size;
    }
    s->small = s->size <= GF_CSVSCAN_MAX_LINE ? s->size : 0;
    s->left_cap = (s->small ? s->small : GF_CSVSCAN_MAX_LINE) + 2;
    s->left = malloc(s->left_cap);
    if (!s->left)
        goto nomem;
    /* read until the header line is complete */
    char *nl = NULL;
    while (!nl) {
        if (s->left_len >= GF_CSVSCAN_MAX_LINE) {
            rc = gf_err_set(e, GF_EUSER, "%s:1: header line longer than %zu bytes", path,
                            (size_t)GF_CSVSCAN_MAX_LINE);
            goto fail;
        }
        size_t want = s->left_cap - 2 - s->left_len;
        if (want > 65536)
            want = 65536;
        ssize_t r = read_full(s->fd, s->left + s->left_len, want, -1);
        if (r < 0) {
            rc = gf_err_set(e, GF_ESYS, "%s: read error: %s", path, strerror(errno));
            goto fail;
        }
        s->left_len += (size_t)r;
        nl = memchr(s->left, '\n', s->left_len);
        if (!nl && r == 0) {
            if (s->left_len == 0) {
                rc = gf_err_set(e, GF_EUSER, "%s: empty file: expected a header line", path);
                goto fail;
            }
            s->left[s->left_len++] = '\n';
            s->eof = 1;
            nl = s->left + s->left_len - 1;
        }
    }
    char *h = s->left;
    const char *z = memchr(s->left, 0, (size_t)(nl - s->left));
    if (z) {
        rc = gf_err_at(e, s->path, 1, NULL, NULL, "text without NUL bytes (column %ld holds one)",
                       (long)(z - s->left) + 1);
        goto fail;
    }
    if (s->left_len >= 3 && (unsigned char)h[0] == 0xEF && (unsigned char)h[1] == 0xBB &&
        (unsigned char)h[2] == 0xBF)
        h += 3;
    size_t hlen = (size_t)(nl + 1 - h);
    char *hdr = malloc(hlen + 1);
    if (!hdr)
        goto nomem;
    memcpy(hdr, h, hlen);
    hdr[hlen] = 0;
    /* one split (it unquotes in place): at most one field per comma, plus one */
    int nfmax = 1, nf = 0;
    for (size_t i = 0; i < hlen; i++)
        nfmax += hdr[i] == ',';
    struct gf_csvscan_field *f = malloc(sizeof *f * (size_t)nfmax);
    if (!f) {
        free(hdr);
        goto nomem;
    }
    if (!gf_csvscan_split(hdr, f, nfmax, &nf) || nf == 0 || nf > nfmax) {
        free(f);
        free(hdr);
        rc = gf_err_set(e, GF_EUSER, "%s:1: bad header line: expected column names", path);
        goto fail;
    }
    s->cols = calloc((size_t)nf, sizeof *s->cols);
    if (!s->cols) {
        free(f);
        free(hdr);
        goto nomem;
    }
    s->ncols = nf;
    for (int i = 0; i < nf; i++) {
        s->cols[i] = malloc(f[i].len + 1);
        if (!s->cols[i]) {
            free(f);
            free(hdr);
            goto nomem;
        }
        memcpy(s->cols[i], f[i].p, f[i].len);
        s->cols[i][f[i].len] = 0;
    }
    free(f);
    free(hdr);
    size_t used = (size_t)(nl + 1 - s->left);
    memmove(s->left, nl + 1, s->left_len - used);
    s->left_len -= used;
    s->next_line = 2;
    if (s->size > used && s->left_len == s->size - used) {
        /* a regular file read whole with its header: nothing more to read */
    } else if (s->size > used) {
        /* read by position: chunks are taken and read by the threads at once, outside the lock,
         * each into its own buffer.  (Mapping the file instead cost more than copying it: on
         * the virtual machines we run on, every page of the map is a page-table entry made and
         * torn down, 0.27-0.33 s for 830 MB against 0.07 s for reading it.) */
        s->positioned = 1;
        s->data = used;
        s->left_len = 0;
#ifdef POSIX_FADV_SEQUENTIAL
        posix_fadvise(s->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    }
    *out = s;
    return GF_OK;
nomem:
    rc = gf_err_set(e, GF_ENOMEM, "out of memory");
fail:
    gf_csvscan_close(s);
    return rc;
}

void gf_csvscan_close(struct gf_csvscan *s)
{
    if (!s)
        return;
    if (s->own_fd && s->fd >= 0)
        close(s->fd);
    for (int i = 0; i < s->ncols; i++)
        free(s->cols[i]);
    free(s->cols);
    free(s->left);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

int gf_csvscan_ncols(const struct gf_csvscan *s)
{
    return s->ncols;
}

const char *gf_csvscan_colname(const struct gf_csvscan *s, int i)
{
    return i >= 0 && i < s->ncols ? s->cols[i] : NULL;
}

int gf_csvscan_find(const struct gf_csvscan *s, const char *name)
{
    for (int i = 0; i < s->ncols; i++)
        if (!strcmp(s->cols[i], name))
            return i;
    return -1;
}

size_t gf_csvscan_size_hint(const struct gf_csvscan *s)
{
    return s->size;
}

void gf_csvscan_chunk_free(struct gf_csvscan_chunk *c)
{
    free(c->mem);
    memset(c, 0, sizeof *c);
}

/* The number of '\n' bytes in the file's bytes [from, to), read by position (for error
 * messages: the line of a place in a positioned chunk); -1 when they cannot be read. */
static long file_newlines(const struct gf_csvscan *s, size_t from, size_t to)
{
    const size_t piece = (size_t)1 << 20;
    char *buf = malloc(piece);
    long n = 0;
    while (buf && from < to) {
        size_t want = to - from < piece ? to - from : piece;
        ssize_t r = read_full(s->fd, buf, want, (off_t)from);
        if (r <= 0)
            break;
        n += (long)count_newlines(buf, (size_t)r);
        from += (size_t)r;
    }
    free(buf);
    return buf && from >= to ? n : -1;
}

/* The line number of the file's byte at off (2 = the first after the header), or -1. */
static long line_at(const struct gf_csvscan *s, size_t off)
{
    long n = file_newlines(s, s->data, off);
    return n < 0 ? -1 : 2 + n;
}

/* The error for the line holding the file's byte at off. */
static int too_long(const struct gf_csvscan *s, size_t off, struct gf_err *e)
{
    return gf_err_set(e, GF_EUSER, "%s:%ld: line longer than %zu bytes", s->path, line_at(s, off),
                      (size_t)GF_CSVSCAN_MAX_LINE);
}

/* Give c its own buffer of cap bytes, once (faulted in up front: it is refilled chunk after
 * chunk). */
static int chunk_mem(struct gf_csvscan_chunk *c, size_t cap, struct gf_err *e)
{
    if (c->mem)
        return GF_OK;
    if (!(c->mem = malloc(cap)))
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    c->cap = cap;
    gf_prefault(c->mem, cap);
    return GF_OK;
}

/* The next chunk of a positioned file into c's own buffer: chunk k holds the lines that start
 * in [start, start + CHUNK), start = data + k × CHUNK.  The byte before start is read too (a
 * line starts at start when it is a '\n'), and the line that crosses the chunk's end is read to
 * its '\n'; a last line without one gets one.  Not under the lock: only k is shared. */
static int next_positioned(struct gf_csvscan *s, struct gf_csvscan_chunk *c, struct gf_err *e)
{
    const size_t C = GF_CSVSCAN_CHUNK;
    /* the byte before, C bytes, then a crossing line that starts as late as C + 1 and its '\n' */
    int rc = chunk_mem(c, C + GF_CSVSCAN_MAX_LINE + 4, e);
    if (rc != GF_OK)
        return rc;
    long k = atomic_fetch_add(&s->nchunks, 1);
    size_t start = s->data + (size_t)k * C;
    if (start >= s->size)
        return 0;
    size_t lo = k ? start - 1 : start, want = (start + C < s->size ? start + C : s->size) - lo;
    ssize_t r = read_full(s->fd, c->mem, want, (off_t)lo);
    if (r < 0)
        return gf_err_set(e, GF_ESYS, "%s: read error: %s", s->path, strerror(errno));
    size_t len = (size_t)r, b = 0; /* the bytes read; the first line's start in them */
    if (k) {
        const char *nl = memchr(c->mem, '\n', len);
        if (!nl) /* the line at start began in the chunk before: to the end, or too long */
            return len < want || start + C >= s->size ? 0 : too_long(s, start, e);
        b = (size_t)(nl + 1 - c->mem);
    }
    int at_end = len < want || lo + len >= s->size; /* the file ends in what was read */
    if (b >= len) /* the only '\n' is the last byte: the next line starts in the next chunk */
        return at_end ? 0 : too_long(s, start, e);
    /* the line that crosses the end, from last: read on to its '\n' */
    size_t last = len;
    while (last > b && c->mem[last - 1] != '\n')
        last--;
    for (size_t scanned = len; !at_end && c->mem[len - 1] != '\n';) {
        size_t more = s->size - (lo + len), room = c->cap - 2 - len;
        if (!room)
            return too_long(s, lo + len - 1, e);
        more = more < ((size_t)64 << 10) ? more : (size_t)64 << 10;
        more = more < room ? more : room;
        if ((r = read_full(s->fd, c->mem + len, more, (off_t)(lo + len))) < 0)
            return gf_err_set(e, GF_ESYS, "%s: read error: %s", s->path, strerror(errno));
        len += (size_t)r;
        at_end = (size_t)r < more || lo + len >= s->size;
        const char *nl = memchr(c->mem + scanned, '\n', len - scanned);
        if (nl)
            len = (size_t)(nl + 1 - c->mem);
        scanned = len;
    }
    if (c->mem[len - 1] != '\n') /* the last line, without its '\n' */
        c->mem[len++] = '\n';
    if (len - last > GF_CSVSCAN_MAX_LINE + 1) /* the crossing line, with its '\n' */
        return too_long(s, lo + last, e);
    c->buf = c->mem + b;
    c->len = len - b;
    c->off = lo + b;
    c->line = 0;
    c->seq = k;
    return 1;
}

long gf_csvscan_line(const struct gf_csvscan *s, const struct gf_csvscan_chunk *c, const char *p)
{
    if (s->positioned)
        return line_at(s, c->off + (size_t)(p - c->buf));
    return c->line + (long)count_newlines(c->buf, (size_t)(p - c->buf));
}

/* The error for the NUL byte at z, in c's lines: its line and its column. */
static int nul_error(const struct gf_csvscan *s, const struct gf_csvscan_chunk *c, const char *z,
                     struct gf_err *e)
{
    const char *bol = z;
    while (bol > c->buf && bol[-1] != '\n')
        bol--;
    return gf_err_at(e, s->path, gf_csvscan_line(s, c, z), NULL, NULL,
                     "text without NUL bytes (column %ld holds one)", (long)(z - bol) + 1);
}

/* A NUL byte would cut a field copied as a C string without a word: refuse it, naming its place. */
static int refuse_nul(const struct gf_csvscan *s, const struct gf_csvscan_chunk *c,
                      struct gf_err *e)
{
    if (s->lines_checked)
        return 1;
    const char *z = memchr(c->buf, 0, c->len);
    return z ? nul_error(s, c, z, e) : 1;
}

void gf_csvscan_lines_checked(struct gf_csvscan *s)
{
    s->lines_checked = 1;
}

int gf_csvscan_nul(const struct gf_csvscan *s, const struct gf_csvscan_chunk *c, const char *p,
                   struct gf_err *e)
{
    const char *nl = memchr(p, '\n', (size_t)(c->buf + c->len - p));
    const char *z = memchr(p, 0, (size_t)((nl ? nl : c->buf + c->len) - p));
    if (!z)
        return 0;
    nul_error(s, c, z, e);
    return -1;
}

int gf_csvscan_next(struct gf_csvscan *s, struct gf_csvscan_chunk *c, struct gf_err *e)
{
    if (s->positioned) {
        int rc = next_positioned(s, c, e);
        return rc == 1 ? refuse_nul(s, c, e) : rc;
    }
    int rc = chunk_mem(c, s->small ? s->small + 2 : GF_CSVSCAN_CHUNK + GF_CSVSCAN_MAX_LINE + 2, e);
    if (rc != GF_OK)
        return rc;
    rc = 1; /* a chunk, unless the file has ended or an error is set below */
    /* a small file is read up to the size it had when opened (as a larger one is) */
    size_t limit = s->small ? s->small : GF_CSVSCAN_CHUNK;
    c->buf = c->mem;
    pthread_mutex_lock(&s->mu);
    memcpy(c->buf, s->left, s->left_len);
    size_t len = s->left_len;
    s->left_len = 0;
    char *cut = NULL; /* one past the last '\n' */
    for (;;) {
        if (!s->eof && len < limit) {
            ssize_t r = read_full(s->fd, c->buf + len, limit - len, -1);
            if (r < 0) {
                rc = gf_err_set(e, GF_ESYS, "%s: read error: %s", s->path, strerror(errno));
                goto out;
            }
            if ((size_t)r < limit - len || s->small)
                s->eof = 1;
            len += (size_t)r;
        }
        if (len == 0) {
            rc = 0;
            goto out;
        }
        char *nl = c->buf + len;
        while (nl > c->buf && nl[-1] != '\n')
            nl--;
        if (s->eof) {
            if (nl != c->buf + len)
                c->buf[len++] = '\n';
            cut = c->buf + len;
            break;
        }
        if (nl > c->buf) {
            cut = nl;
            break;
        }
        /* not at the end and no line end in a whole chunk (≥ the line limit) */
        rc = gf_err_set(e, GF_EUSER, "%s:%ld: line longer than %zu bytes", s->path, s->next_line,
                        (size_t)GF_CSVSCAN_MAX_LINE);
        goto out;
    }
    s->left_len = len - (size_t)(cut - c->buf);
    if (s->left_len > GF_CSVSCAN_MAX_LINE) { /* the line after the chunk's whole lines */
        rc = gf_err_set(e, GF_EUSER, "%s:%ld: line longer than %zu bytes", s->path,
                        s->next_line + (long)count_newlines(c->buf, (size_t)(cut - c->buf)),
                        (size_t)GF_CSVSCAN_MAX_LINE);
        goto out;
    }
    memcpy(s->left, cut, s->left_len);
    c->len = (size_t)(cut - c->buf);
    c->seq = atomic_fetch_add(&s->nchunks, 1);
    c->line = s->next_line;
    s->next_line += (long)count_newlines(c->buf, c->len);
out:
    pthread_mutex_unlock(&s->mu);
    return rc == 1 ? refuse_nul(s, c, e) : rc;
}
