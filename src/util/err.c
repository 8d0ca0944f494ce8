/* err.c — error messages with context. */
#include "util/err.h"

#include <stdio.h>
#include <string.h>

int gf_err_vset(struct gf_err *e, int code, const char *fmt, va_list ap)
{
    if (e) {
        e->code = code;
        e->field[0] = 0;
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    }
    return code;
}

int gf_err_set(struct gf_err *e, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gf_err_vset(e, code, fmt, ap);
    va_end(ap);
    return code;
}

/* Length of a valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    if (s[0] < 0x80)
        return 1;
    size_t len = (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || len > n || (len == 2 && s[0] < 0xC2))
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return len;
}

void gf_err_printable(char *out, size_t cap, const char *v)
{
    const unsigned char *s = (const unsigned char *)v;
    size_t n = strlen(v), o = 0, i = 0;
    while (i < n && o + 8 < cap) {
        if (o >= 80) {
            memcpy(out + o, "…", 3);
            o += 3;
            break;
        }
        size_t k = utf8_seq(s + i, n - i);
        if (k == 0 || (k == 1 && (s[i] < 0x20 || s[i] == 0x7F))) {
            o += (size_t)snprintf(out + o, cap - o, "\\x%02X", s[i]);
            i++;
        } else {
            memcpy(out + o, s + i, k);
            o += k;
            i += k;
        }
    }
    out[o] = 0;
}

int gf_err_at(struct gf_err *e, const char *file, long line, const char *field, const char *value,
              const char *expected_fmt, ...)
{
    if (!e)
        return GF_EUSER;
    char expected[1024], val[128];
    va_list ap;
    va_start(ap, expected_fmt);
    vsnprintf(expected, sizeof expected, expected_fmt, ap);
    va_end(ap);
    size_t o = 0;
    char *m = e->msg;
    size_t cap = sizeof e->msg;
#define ADD(...)                                                                                   \
    do {                                                                                           \
        int k_ = snprintf(m + o, cap - o, __VA_ARGS__);                                            \
        if (k_ > 0)                                                                                \
            o = o + (size_t)k_ >= cap ? cap - 1 : o + (size_t)k_;                                  \
    } while (0)
    if (file)
        ADD("%s", file);
    if (line > 0 && file)
        ADD(":%ld", line);
    else if (line > 0)
        ADD("line %ld", line);
    if (file || line > 0)
        ADD(": ");
    if (field)
        ADD("field \"%s\": ", field);
    if (value) {
        gf_err_printable(val, sizeof val, value);
        ADD("value \"%s\": ", val);
    }
    ADD("expected %s", expected);
#undef ADD
    e->code = GF_EUSER;
    snprintf(e->field, sizeof e->field, "%s", field ? field : "");
    return GF_EUSER;
}

void gf_err_prefix(struct gf_err *e, const char *fmt, ...)
{
    if (!e)
        return;
    char pre[512], old[sizeof e->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pre, sizeof pre, fmt, ap);
    va_end(ap);
    memcpy(old, e->msg, sizeof old);
    snprintf(e->msg, sizeof e->msg, "%s: %s", pre, old);
}

void gf_err_clear(struct gf_err *e)
{
    if (e) {
        e->code = 0;
        e->field[0] = 0;
        e->msg[0] = 0;
    }
}
