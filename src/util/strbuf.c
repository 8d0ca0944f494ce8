/* strbuf.c — text that grows (strbuf.h). */
#include "util/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for n more bytes and the NUL; 0, or -1 (err set). */
static int room(struct gf_strbuf *b, size_t n)
{
    if (b->err)
        return -1;
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->n + n + 1) * 2 + 256;
        char *more = realloc(b->p, cap);
        if (!more) {
            b->err = 1;
            return -1;
        }
        b->p = more;
        b->cap = cap;
    }
    return 0;
}

void gf_strbuf_put(struct gf_strbuf *b, const void *s, size_t n)
{
    if (room(b, n))
        return;
    if (n)
        memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

void gf_strbuf_puts(struct gf_strbuf *b, const char *s)
{
    gf_strbuf_put(b, s, strlen(s));
}

void gf_strbuf_printf(struct gf_strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        b->err = 1;
    if (n < 0 || room(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
}

void gf_strbuf_free(struct gf_strbuf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}
