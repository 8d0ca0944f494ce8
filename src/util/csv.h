/* csv.h — streaming CSV reader (RFC 4180): one record at a time, bounded memory.
 *
 * Reads from a file (or "-" for standard input) through a fixed input buffer; a record may not
 * be longer than max_record bytes (default 1 MiB), so memory does not grow with the file.  A
 * UTF-8 byte-order mark is skipped, blank lines are skipped, CRLF and LF both end a record,
 * quoted fields may hold commas, quotes ("") and newlines.  Every record is checked to be valid
 * UTF-8 without NUL bytes.  Errors name the file and line (and the column of a NUL byte).
 * Ownership: the struct owns its buffers; fields point into them and stay valid until the next
 * gf_csv_read() or gf_csv_close().
 */
#ifndef GF_CSV_H
#define GF_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "util/err.h"

#define GF_CSV_MAX_RECORD (1u << 20)

struct gf_csv {
    const char *path; /* for messages (borrowed) */
    long line;        /* line where the current record starts, 1-based */
    char **field;     /* current record's fields, NUL-terminated */
    size_t nfield;
    size_t max_record;
    /* private */
    FILE *fp;
    int own_fp, eof, bom_checked, read_errno;
    long col_base;
    long next_line;
    char *in;
    size_t in_len, in_pos;
    char *rec;
    size_t rec_len, rec_cap;
    size_t *offs;
    size_t field_cap;
};

/* Open path ("-" = stdin, named "(stdin)" in messages; util/input.h).  Returns GF_OK or
 * GF_EUSER (cannot open: the message names the file and the reason). */
int gf_csv_open(struct gf_csv *c, const char *path, struct gf_err *e);
/* Read from an open stream (not closed by gf_csv_close); name is used in messages. */
int gf_csv_open_stream(struct gf_csv *c, FILE *fp, const char *name, struct gf_err *e);
/* Put bytes already taken from the stream (at most 64 KiB, e.g. by a format sniffer) back in
 * front of it; call right after gf_csv_open_stream.  Returns GF_OK or GF_EUSAGE. */
int gf_csv_preload(struct gf_csv *c, const char *bytes, size_t n);
/* Read the next record: 1 = a record, 0 = end of file, < 0 = error (message in e). */
int gf_csv_read(struct gf_csv *c, struct gf_err *e);
void gf_csv_close(struct gf_csv *c);

/* Index of column name among fields[0..n), or -1. */
int gf_csv_index(char *const *fields, size_t n, const char *name);

/* Check that s is valid UTF-8; returns 1 if so. */
int gf_utf8_valid(const char *s, size_t n);

#endif
