/* csv.c — streaming RFC 4180 reader. */
#include "util/csv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/input.h"

#define IN_CAP (1u << 16)

int gf_utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned char b = s[i];
        if (b < 0x80) {
            i++;
            continue;
        }
        size_t len;
        unsigned cp;
        if ((b & 0xE0) == 0xC0) {
            len = 2;
            cp = b & 0x1F;
        } else if ((b & 0xF0) == 0xE0) {
            len = 3;
            cp = b & 0x0F;
        } else if ((b & 0xF8) == 0xF0) {
            len = 4;
            cp = b & 0x07;
        } else
            return 0;
        if (i + len > n)
            return 0;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += len;
    }
    return 1;
}

static int init_buffers(struct gf_csv *c, struct gf_err *e);

int gf_csv_open(struct gf_csv *c, const char *path, struct gf_err *e)
{
    FILE *fp;
    memset(c, 0, sizeof *c);
    int rc = gf_input_open(path, &fp, e);
    if (rc)
        return rc;
    rc = gf_csv_open_stream(c, fp, gf_input_name(path), e);
    if (rc)
        gf_input_close(fp);
    else
        c->own_fp = fp != stdin;
    return rc;
}

int gf_csv_open_stream(struct gf_csv *c, FILE *fp, const char *name, struct gf_err *e)
{
    memset(c, 0, sizeof *c);
    c->path = name;
    c->max_record = GF_CSV_MAX_RECORD;
    c->next_line = 1;
    c->fp = fp;
    return init_buffers(c, e);
}

static int init_buffers(struct gf_csv *c, struct gf_err *e)
{
    c->in = malloc(IN_CAP);
    c->rec_cap = 4096;
    c->rec = malloc(c->rec_cap);
    c->field_cap = 64;
    c->offs = malloc(sizeof *c->offs * c->field_cap);
    c->field = malloc(sizeof *c->field * c->field_cap);
    if (!c->in || !c->rec || !c->offs || !c->field) {
        gf_csv_close(c);
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    }
    return GF_OK;
}

void gf_csv_close(struct gf_csv *c)
{
    if (c->own_fp && c->fp)
        fclose(c->fp);
    c->fp = NULL;
    free(c->in);
    free(c->rec);
    free(c->offs);
    free(c->field);
    c->in = c->rec = NULL;
    c->offs = NULL;
    c->field = NULL;
}

int gf_csv_preload(struct gf_csv *c, const char *bytes, size_t n)
{
    if (n > IN_CAP || c->in_len)
        return GF_EUSAGE;
    memcpy(c->in, bytes, n);
    c->in_len = n;
    c->in_pos = 0;
    c->bom_checked = 1;
    if (n >= 3 && memcmp(c->in, "\xEF\xBB\xBF", 3) == 0)
        c->in_pos = 3;
    return GF_OK;
}

/* Next input byte or -1 at end of file / -2 on read error (errno kept in read_errno). */
static int next_byte(struct gf_csv *c)
{
    if (c->in_pos == c->in_len) {
        if (c->eof)
            return -1;
        /* bytes of the current line in the buffer given up, for the column of an error */
        size_t k = c->in_len;
        while (k > 0 && c->in[k - 1] != '\n')
            k--;
        c->col_base = k > 0 ? (long)(c->in_len - k) : c->col_base + (long)c->in_len;
        c->in_len = fread(c->in, 1, IN_CAP, c->fp);
        c->in_pos = 0;
        if (c->in_len == 0) {
            c->eof = 1;
            c->read_errno = errno;
            return ferror(c->fp) ? -2 : -1;
        }
        if (!c->bom_checked) {
            c->bom_checked = 1;
            if (c->in_len >= 3 && memcmp(c->in, "\xEF\xBB\xBF", 3) == 0)
                c->in_pos = 3;
            if (c->in_pos == c->in_len)
                return next_byte(c);
        }
    }
    return (unsigned char)c->in[c->in_pos++];
}

/* Column (1-based, in bytes) of the byte just read. */
static long column(const struct gf_csv *c)
{
    size_t at = c->in_pos - 1;
    for (size_t k = at; k-- > 0;)
        if (c->in[k] == '\n')
            return (long)(at - k);
    return c->col_base + (long)at + 1;
}

static int read_error(struct gf_csv *c, struct gf_err *e)
{
    return gf_err_set(e, GF_ESYS, "%s: read error: %s", c->path, strerror(c->read_errno));
}

static int put(struct gf_csv *c, char ch, struct gf_err *e)
{
    if (c->rec_len + 1 >= c->rec_cap) {
        if (c->rec_cap >= c->max_record + 1)
            return gf_err_at(e, c->path, c->line, NULL, NULL,
                             "a record of at most %zu bytes (this one is longer)", c->max_record);
        size_t ncap = c->rec_cap * 2;
        if (ncap > c->max_record + 1)
            ncap = c->max_record + 1;
        char *r = realloc(c->rec, ncap);
        if (!r)
            return gf_err_set(e, GF_ENOMEM, "out of memory");
        c->rec = r;
        c->rec_cap = ncap;
    }
    c->rec[c->rec_len++] = ch;
    return GF_OK;
}

static int end_field(struct gf_csv *c, struct gf_err *e)
{
    int rc = put(c, 0, e);
    if (rc)
        return rc;
    c->nfield++;
    if (c->nfield == c->field_cap) {
        if (c->field_cap >= 100000)
            return gf_err_at(e, c->path, c->line, NULL, NULL, "at most 100000 fields in a record");
        size_t ncap = c->field_cap * 2;
        size_t *o = realloc(c->offs, sizeof *o * ncap);
        if (!o)
            return gf_err_set(e, GF_ENOMEM, "out of memory");
        c->offs = o;
        char **f = realloc(c->field, sizeof *f * ncap);
        if (!f)
            return gf_err_set(e, GF_ENOMEM, "out of memory");
        c->field = f;
        c->field_cap = ncap;
    }
    c->offs[c->nfield] = c->rec_len;
    return GF_OK;
}

int gf_csv_read(struct gf_csv *c, struct gf_err *e)
{
    int rc;
    for (;;) { /* loop skips blank lines */
        c->rec_len = 0;
        c->nfield = 0;
        c->offs[0] = 0;
        c->line = c->next_line;
        int ch = next_byte(c);
        if (ch == -2)
            return read_error(c, e);
        if (ch == -1)
            return 0;
        if (ch == '\n') {
            c->next_line++;
            continue;
        }
        if (ch == '\r') {
            continue;
        }
        int quoted = 0, after_quote = 0, at_start = 1;
        for (;;) {
            if (ch == -2)
                return read_error(c, e);
            if (ch == 0) /* C strings would cut the field here without a word */
                return gf_err_at(e, c->path, c->next_line, NULL, NULL,
                                 "text without NUL bytes (column %ld holds one)", column(c));
            if (quoted) {
                if (ch == -1)
                    return gf_err_at(e, c->path, c->line, NULL, NULL,
                                     "a closing quote (\") before the end of the file");
                if (ch == '"') {
                    int nx = next_byte(c);
                    if (nx == '"') {
                        if ((rc = put(c, '"', e)))
                            return rc;
                    } else {
                        quoted = 0;
                        after_quote = 1;
                        ch = nx;
                        continue;
                    }
                } else {
                    if (ch == '\n')
                        c->next_line++;
                    if ((rc = put(c, (char)ch, e)))
                        return rc;
                }
                ch = next_byte(c);
                continue;
            }
            if (ch == -1 || ch == '\n' || ch == '\r') {
                if ((rc = end_field(c, e)))
                    return rc;
                if (ch == '\r') {
                    int nx = next_byte(c);
                    if (nx != '\n' && nx >= 0)
                        c->in_pos--; /* lone CR: treat as end of line */
                }
                if (ch != -1)
                    c->next_line++;
                break;
            }
            if (ch == ',') {
                if ((rc = end_field(c, e)))
                    return rc;
                at_start = 1;
                after_quote = 0;
                ch = next_byte(c);
                continue;
            }
            if (after_quote)
                return gf_err_at(e, c->path, c->line, NULL, NULL,
                                 "a comma or the end of the line after a closing quote");
            if (ch == '"') {
                if (!at_start)
                    return gf_err_at(e, c->path, c->line, NULL, NULL,
                                     "quotes only around a whole field (\"like, this\")");
                quoted = 1;
                at_start = 0;
                ch = next_byte(c);
                continue;
            }
            at_start = 0;
            if ((rc = put(c, (char)ch, e)))
                return rc;
            ch = next_byte(c);
        }
        if (!gf_utf8_valid(c->rec, c->rec_len))
            return gf_err_at(e, c->path, c->line, NULL, NULL, "text encoded as UTF-8");
        for (size_t i = 0; i < c->nfield; i++)
            c->field[i] = c->rec + c->offs[i];
        return 1;
    }
}

int gf_csv_index(char *const *fields, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(fields[i], name))
            return (int)i;
    return -1;
}
