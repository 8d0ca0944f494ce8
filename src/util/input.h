/* input.h — opening a file the user named as input, one rule for every command: "-" is standard
 * input; a path that cannot be read (missing, a directory, no permission) is refused with the
 * operating system's reason, naming the path.
 * Ownership: the caller closes what it opened with gf_input_close (standard input stays open).
 */
#ifndef GF_INPUT_H
#define GF_INPUT_H

#include <stdio.h>

#include "util/err.h"

/* The name messages use for standard input. */
#define GF_INPUT_STDIN_NAME "(stdin)"

/* Open path for reading ("-" = standard input).  Returns GF_OK and *fp, or GF_EUSER with
 * "PATH: cannot open: REASON" (e.g. "Is a directory"). */
int gf_input_open(const char *path, FILE **fp, struct gf_err *e);
/* The same as a file descriptor (standard input: 0). */
int gf_input_open_fd(const char *path, int *fd, struct gf_err *e);
/* The name of path in messages: GF_INPUT_STDIN_NAME for "-", else path. */
const char *gf_input_name(const char *path);
/* Close fp unless it is standard input. */
void gf_input_close(FILE *fp);

/* Read the rest of fp (called name in messages) after the nhead bytes of head (already taken
 * from it, may be NULL): *out (malloc'd, NUL-terminated, caller frees) and *len.  More than max
 * bytes in all: GF_EUSER "NAME: expected a file of at most MAX bytes".  Read error: GF_ESYS with
 * the reason. */
int gf_input_read_rest(FILE *fp, const char *name, const char *head, size_t nhead, size_t max,
                       char **out, size_t *len, struct gf_err *e);
/* Open path (as gf_input_open), read it whole (as gf_input_read_rest), close it. */
int gf_input_read_file(const char *path, size_t max, char **out, size_t *len, struct gf_err *e);

#endif
