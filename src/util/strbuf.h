/* strbuf.h — text (or bytes) that grows as it is written.  An append never reports: a failed
 * allocation sets err and every later append does nothing, so the writer checks err once at the
 * end.  The text is kept NUL-terminated (p is NULL until the first append). */
#ifndef GONGFU_STRBUF_H
#define GONGFU_STRBUF_H

#include <stddef.h>

struct gf_strbuf {
    char *p;
    size_t n, cap;
    int err;
};

void gf_strbuf_put(struct gf_strbuf *b, const void *s, size_t n);
void gf_strbuf_puts(struct gf_strbuf *b, const char *s);
void gf_strbuf_printf(struct gf_strbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void gf_strbuf_free(struct gf_strbuf *b);

#endif
