/* strbuf.c — text that grows (strbuf.h). */
#include "util/strbuf.h"

#include <stdlib.h>
#include <string.h>

void gf_strbuf_put(struct gf_strbuf *b, const void *s, size_t n)
{
    if (b->err)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->n + n + 1) * 2 + 256;
        char *more = realloc(b->p, cap);
        if (!more) {
            b->err = 1;
            return;
        }
        b->p = more;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

void gf_strbuf_puts(struct gf_strbuf *b, const char *s)
{
    gf_strbuf_put(b, s, strlen(s));
}

void gf_strbuf_free(struct gf_strbuf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}
