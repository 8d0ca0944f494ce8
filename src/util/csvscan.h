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
 *     own chunk and gets the next run of lines (gf_csvscan_line() numbers them).  A regular
 *     file is mapped (private: unquoting in place copies a page) and chunks are spans of the
 *     map, given back to the kernel when the next chunk is taken; a pipe is read into the
 *     chunk's buffer.  Memory is bounded: threads × (chunk size + one line), whatever the size
 *     of the file.  A mapped file must not shrink while it is read (SIGBUS).
 * Threads: gf_csvscan_next() may be called from several threads at once; everything else is
 * for one thread.  Ownership: the scanner owns the header strings; a chunk owns its buffer
 * (free with gf_csvscan_chunk_free); field spans point into the chunk and are valid until the
 * chunk is refilled.
 */
#ifndef GF_CSVSCAN_H
#define GF_CSVSCAN_H

#include <stddef.h>

#include "util/err.h"

#define GF_CSVSCAN_MAX_LINE ((size_t)1 << 20)
#define GF_CSVSCAN_CHUNK ((size_t)4 << 20)

struct gf_csvscan;

struct gf_csvscan_chunk {
    char *buf; /* lines, each ending in '\n' (one is added after a last line without it): a
                * span of the mapped file, or mem */
    size_t len, cap;
    char *mem;       /* the chunk's own buffer (reading a pipe, or a last line without '\n') */
    const char *src; /* where buf's lines are in the map (NULL when read) */
    long line;       /* number of the first line when read (1 = header); 0 when mapped */
    long seq;        /* 0 for the file's first chunk, then 1, 2, … in file order */
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
 * not counted while a mapped file is read (counting cost a pass over the file under the lock):
 * for a mapped chunk this counts the lines before p in the file, so it is for error messages. */
long gf_csvscan_line(const struct gf_csvscan *s, const struct gf_csvscan_chunk *c, const char *p);

/* Fill c with the next lines.  Returns 1 (a chunk), 0 (end of file) or < 0 (read error, line
 * too long; message in e).  Thread-safe. */
int gf_csvscan_next(struct gf_csvscan *s, struct gf_csvscan_chunk *c, struct gf_err *e);
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


#endif
