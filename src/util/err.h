/* err.h — one way to report an error: a code and a message that names its context.
 *
 * Every fallible function returns GF_OK (0) or a negative GF_E* code and, when given a
 * struct gf_err, fills it with a message for a person: for bad input the message names the
 * file, the line, the field, the value and what was expected (gf_err_at).  User input never
 * reaches assert().  The CLI maps GF_EUSER to exit 1, GF_EUSAGE to exit 2.
 */
#ifndef GF_ERR_H
#define GF_ERR_H

#include <stdarg.h>
#include <stddef.h>

enum {
    GF_OK = 0,
    GF_EUSER = -1,  /* bad input or data: the user can fix it */
    GF_EUSAGE = -2, /* bad command line */
    GF_ESYS = -3,   /* I/O or database failure */
    GF_ENOMEM = -4, /* out of memory */
    GF_EAUTH = -5,      /* not signed in, or an unknown or disabled user */
    GF_EFORBIDDEN = -6, /* the actor's role or scope does not allow it */
    GF_ENOTFOUND = -7,  /* no such resource (or not visible to the actor) */
    GF_ECONFLICT = -8,  /* the resource changed since the client read it (stale version) */
};

struct gf_err {
    int code;
    char field[64]; /* the field or parameter at fault, "" if none (gf_err_at sets it) */
    char msg[2048];
};

/* Record a formatted message; returns code so callers can `return gf_err_set(...)`.
 * e may be NULL (the message is dropped). */
int gf_err_set(struct gf_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int gf_err_vset(struct gf_err *e, int code, const char *fmt, va_list ap);

/* Bad input at a place: "FILE:LINE: field \"F\": value \"V\": expected X".  file may be NULL,
 * line <= 0 omits the line, field/value may be NULL.  The value is shortened and made printable
 * (invalid UTF-8 shown as \xNN).  Returns GF_EUSER. */
int gf_err_at(struct gf_err *e, const char *file, long line, const char *field, const char *value,
              const char *expected_fmt, ...) __attribute__((format(printf, 6, 7)));

/* Copy value v into out (cap >= 16) as gf_err_at shows values: printable (control bytes and
 * invalid UTF-8 as \xNN) and shortened to about 80 bytes. */
void gf_err_printable(char *out, size_t cap, const char *v);

/* Prefix the existing message with "prefix: ". */
void gf_err_prefix(struct gf_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void gf_err_clear(struct gf_err *e);

#endif
