/* table.c — print listings as aligned tables (CJK-aware), CSV (RFC 4180) or JSON. */
#include "util/table.h"
#include "util/shortest.h"
#include "util/xlsx.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct cell { /* 16 bytes: a table of a million rows and 60 columns is 1 GB of them */
    union {
        char *text; /* text cells and integers; NULL = missing */
        double v;   /* a number, printed when the table is (NaN = missing) */
    } u;
    signed char kind;     /* CELL_TEXT (all zero: missing), CELL_INT (digits in text), CELL_NUM */
    signed char decimals; /* digits shown to people (-1 = the exact value) */
};

_Static_assert(sizeof(struct cell) == 16, "a table cell is 16 bytes");

enum { CELL_TEXT, CELL_INT, CELL_NUM };

static char *cell_text(const struct cell *c)
{
    return c->kind == CELL_NUM ? NULL : c->u.text;
}

static double cell_v(const struct cell *c)
{
    return c->kind == CELL_NUM ? c->u.v : NAN;
}

/* Right-aligned; a JSON number. */
static int cell_numeric(const struct cell *c)
{
    return c->kind != CELL_TEXT;
}

struct gf_table {
    struct gf_column *cols;
    int ncols;
    struct cell *cells; /* rows × ncols */
    int nrows, cap;
};

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("gongfu: out of memory\n", stderr);
        exit(3);
    }
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = xmalloc(n);
    memcpy(p, s, n);
    return p;
}

struct gf_table *gf_table_new(const struct gf_column *cols, int ncols)
{
    struct gf_table *t = xmalloc(sizeof *t);
    memset(t, 0, sizeof *t);
    t->cols = xmalloc(sizeof *cols * (size_t)ncols);
    for (int i = 0; i < ncols; i++) {
        t->cols[i].code = xstrdup(cols[i].code);
        t->cols[i].label_zh = xstrdup(cols[i].label_zh ? cols[i].label_zh : cols[i].code);
        t->cols[i].label_en = xstrdup(cols[i].label_en ? cols[i].label_en : cols[i].code);
        t->cols[i].labels = cols[i].labels;
    }
    t->ncols = ncols;
    return t;
}

void gf_table_free(struct gf_table *t)
{
    if (!t)
        return;
    for (int i = 0; i < t->ncols; i++) {
        free((char *)t->cols[i].code);
        free((char *)t->cols[i].label_zh);
        free((char *)t->cols[i].label_en);
    }
    for (long i = 0; i < (long)t->nrows * t->ncols; i++)
        free(cell_text(&t->cells[i]));
    free(t->cols);
    free(t->cells);
    free(t);
}

void gf_table_row(struct gf_table *t)
{
    if (t->nrows == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        struct cell *c = realloc(t->cells, sizeof *c * (size_t)t->cap * (size_t)t->ncols);
        if (!c) {
            fputs("gongfu: out of memory\n", stderr);
            exit(3);
        }
        t->cells = c;
    }
    memset(t->cells + (size_t)t->nrows * (size_t)t->ncols, 0, sizeof *t->cells * (size_t)t->ncols);
    t->nrows++;
}

static struct cell *cur(struct gf_table *t, int col)
{
    if (t->nrows == 0 || col < 0 || col >= t->ncols)
        return NULL;
    return &t->cells[(size_t)(t->nrows - 1) * (size_t)t->ncols + (size_t)col];
}

void gf_table_text(struct gf_table *t, int col, const char *s)
{
    struct cell *c = cur(t, col);
    if (!c)
        return;
    free(cell_text(c));
    *c = (struct cell){.u.text = s ? xstrdup(s) : NULL, .kind = CELL_TEXT};
}

int gf_fmt_double(char *buf, int cap, double x)
{
    if (cap >= GF_SHORTEST_BUF)
        return gf_shortest_text(buf, x);
    char t[GF_SHORTEST_BUF];
    int n = gf_shortest_text(t, x);
    if (cap > 0) {
        int k = n < cap ? n : cap - 1;
        memcpy(buf, t, (size_t)k);
        buf[k] = 0;
    }
    return n;
}

void gf_table_num(struct gf_table *t, int col, double x, int decimals)
{
    struct cell *c = cur(t, col);
    if (!c)
        return;
    free(cell_text(c));
    int d = decimals < 0 ? -1 : decimals > 100 ? 100 : decimals; /* in a byte */
    /* formatted when printed: csv and json need only the exact value, people the rounded one */
    *c = (struct cell){.u.v = x, .kind = CELL_NUM, .decimals = (signed char)d};
}

void gf_table_int(struct gf_table *t, int col, long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", v);
    gf_table_text(t, col, buf);
    struct cell *c = cur(t, col);
    if (c)
        c->kind = CELL_INT;
}

int gf_table_rows(const struct gf_table *t)
{
    return t->nrows;
}

/* Exact text of a cell (for csv/json) and the text shown to people; buf holds a number's. */
static const char *exact(const struct cell *c, char *buf, int cap)
{
    if (cell_text(c) || !cell_numeric(c) || isnan(cell_v(c)))
        return cell_text(c) ? cell_text(c) : "";
    gf_fmt_double(buf, cap, cell_v(c));
    return buf;
}

/* The label of a code for people, or the text itself. */
static const char *labelled(const struct gf_column *col, const char *text, int en)
{
    for (const struct gf_code_label *l = col->labels; l && l->code && text; l++)
        if (!strcmp(l->code, text))
            return en ? l->en : l->zh;
    return text;
}

static const char *shown(const struct cell *c, char *buf, int cap)
{
    if (cell_text(c) || !cell_numeric(c) || isnan(cell_v(c)) || c->decimals < 0 ||
        !isfinite(cell_v(c)))
        return exact(c, buf, cap);
    snprintf(buf, (size_t)cap, "%.*f", c->decimals, cell_v(c));
    return buf;
}

/* Display width of UTF-8 text: East Asian wide characters count 2. */
int gf_display_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    int w = 0;
    while (*p) {
        unsigned cp;
        int len;
        if (*p < 0x80) {
            cp = *p;
            len = 1;
        } else if ((*p & 0xE0) == 0xC0) {
            cp = *p & 0x1F;
            len = 2;
        } else if ((*p & 0xF0) == 0xE0) {
            cp = *p & 0x0F;
            len = 3;
        } else {
            cp = *p & 0x07;
            len = 4;
        }
        for (int i = 1; i < len; i++) {
            if ((p[i] & 0xC0) != 0x80) {
                len = i;
                break;
            }
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        p += len;
        int wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                   (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                   (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                   (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
        w += wide ? 2 : 1;
    }
    return w;
}

/* Text to a stream its caller has locked (flockfile): a table's cells are written
 * without taking the stream's lock for each of them. */
static void put_text(FILE *out, const char *s)
{
    fwrite_unlocked(s, 1, strlen(s), out);
}

static void csv_field(FILE *out, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        put_text(out, s);
        return;
    }
    putc_unlocked('"', out);
    for (; *s; s++) {
        if (*s == '"')
            putc_unlocked('"', out);
        putc_unlocked(*s, out);
    }
    putc_unlocked('"', out);
}

static void json_string(FILE *out, const char *s)
{
    putc_unlocked('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            put_text(out, "\\\"");
            break;
        case '\\':
            put_text(out, "\\\\");
            break;
        case '\n':
            put_text(out, "\\n");
            break;
        case '\r':
            put_text(out, "\\r");
            break;
        case '\t':
            put_text(out, "\\t");
            break;
        default:
            if (*p < 0x20) {
                char u[8];
                snprintf(u, sizeof u, "\\u%04x", *p);
                put_text(out, u);
            } else {
                putc_unlocked(*p, out);
            }
        }
    }
    putc_unlocked('"', out);
}

void gf_json_string(FILE *out, const char *s)
{
    flockfile(out);
    json_string(out, s);
    funlockfile(out);
}

/* The exact numbers of a large table, formatted ahead by all cores a window of rows at a time,
 * each into its slot; the next window reuses the slots (a table of a million rows and 60
 * columns took 1.9 GB of slots formatted all at once). */
#define SLOT GF_SHORTEST_BUF           /* bytes a cell: every number fits */
#define AHEAD_MIN 4096                 /* cells */
#define WINDOW_CELLS ((size_t)1 << 18) /* 8 MiB of slots */

struct ahead {
    const struct gf_table *t;
    char *slots;   /* SLOT bytes a cell of [lo, hi); "" = not formatted; NULL: none */
    size_t lo, hi; /* the window's cells (whole rows) */
    size_t rows;   /* rows a window */
    int nt;        /* threads */
};

struct ahead_part {
    const struct ahead *a;
    size_t lo, hi;
};

static void *format_part(void *arg)
{
    const struct ahead_part *p = arg;
    const struct ahead *a = p->a;
    for (size_t k = p->lo; k < p->hi; k++) {
        const struct cell *c = &a->t->cells[k];
        char *slot = &a->slots[(k - a->lo) * SLOT];
        slot[0] = 0;
        if (cell_text(c) || !cell_numeric(c) || isnan(cell_v(c))) /* as exact() */
            continue;
        gf_fmt_double(slot, SLOT, cell_v(c));
    }
    return NULL;
}

/* Slots for a's windows; none when the table is small or memory is short (then every number is
 * formatted when printed). */
static void ahead_open(struct ahead *a, const struct gf_table *t)
{
    memset(a, 0, sizeof *a);
    a->t = t;
    size_t n = (size_t)t->nrows * (size_t)t->ncols;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    a->nt = ncpu < 1 ? 1 : ncpu > 8 ? 8 : (int)ncpu;
    if (n < AHEAD_MIN || a->nt < 2 || t->ncols == 0)
        return;
    a->rows = WINDOW_CELLS / (size_t)t->ncols + 1;
    if (a->rows > (size_t)t->nrows)
        a->rows = (size_t)t->nrows;
    a->slots = malloc(a->rows * (size_t)t->ncols * SLOT);
}

/* Format the window of rows from row on, when row is past the current one. */
static void ahead_at(struct ahead *a, int row)
{
    size_t nc = (size_t)a->t->ncols, lo = (size_t)row * nc;
    if (!a->slots || lo < a->hi)
        return;
    size_t end =
        (size_t)row + a->rows < (size_t)a->t->nrows ? (size_t)row + a->rows : (size_t)a->t->nrows;
    a->lo = lo;
    a->hi = end * nc;
    struct ahead_part part[8];
    pthread_t tid[8];
    int started = 0;
    for (int k = 0; k < a->nt; k++)
        part[k] = (struct ahead_part){a, lo + (a->hi - lo) * (size_t)k / (size_t)a->nt,
                                      lo + (a->hi - lo) * (size_t)(k + 1) / (size_t)a->nt};
    for (int k = 1; k < a->nt && pthread_create(&tid[k], NULL, format_part, &part[k]) == 0; k++)
        started = k;
    for (int k = started + 1; k < a->nt; k++) /* threads that did not start: here */
        format_part(&part[k]);
    format_part(&part[0]);
    for (int k = 1; k <= started; k++)
        pthread_join(tid[k], NULL);
}

/* Cell k's exact text: formatted ahead, or now. */
static const char *exact_at(const struct gf_table *t, const struct ahead *a, size_t k, char *buf,
                            int cap)
{
    if (a && a->slots && k >= a->lo && k < a->hi && a->slots[(k - a->lo) * SLOT])
        return &a->slots[(k - a->lo) * SLOT];
    return exact(&t->cells[k], buf, cap);
}

static int cell_missing(const struct cell *c)
{
    return !cell_text(c) && (!cell_numeric(c) || isnan(cell_v(c)));
}

/* Row i as a JSON object, to a stream the caller has locked; keys[j] is column j's key written
 * out ("code": ), or keys is NULL. */
static void json_row(const struct gf_table *t, const struct ahead *a, char *const *keys, int i,
                     FILE *out)
{
    char buf[400];
    putc_unlocked('{', out);
    for (int j = 0; j < t->ncols; j++) {
        const struct cell *c = &t->cells[(size_t)i * (size_t)t->ncols + (size_t)j];
        if (j)
            put_text(out, ", ");
        if (keys) {
            put_text(out, keys[j]);
        } else {
            json_string(out, t->cols[j].code);
            put_text(out, ": ");
        }
        if (cell_numeric(c) && !cell_text(c))
            put_text(out, isfinite(cell_v(c))
                              ? exact_at(t, a, (size_t)i * (size_t)t->ncols + (size_t)j, buf,
                                         (int)sizeof buf)
                              : "null");
        else if (!cell_text(c))
            put_text(out, "null");
        else if (cell_numeric(c))
            put_text(out, cell_text(c));
        else
            json_string(out, cell_text(c));
    }
    putc_unlocked('}', out);
}

static void free_keys(char **keys, int n)
{
    for (int j = 0; keys && j < n; j++)
        free(keys[j]);
    free(keys);
}

/* Each column's key written out once ("code": ), for a table of many rows; NULL when memory is
 * short (the rows then write them each time). */
static char **json_keys(const struct gf_table *t)
{
    char **keys = calloc((size_t)t->ncols, sizeof *keys);
    for (int j = 0; keys && j < t->ncols; j++) {
        size_t len;
        FILE *f = open_memstream(&keys[j], &len);
        if (!f) {
            free_keys(keys, t->ncols);
            return NULL;
        }
        json_string(f, t->cols[j].code);
        fputs(": ", f);
        if (fclose(f) || !keys[j]) {
            free_keys(keys, t->ncols);
            return NULL;
        }
    }
    return keys;
}

void gf_table_json_row(const struct gf_table *t, int row, FILE *out)
{
    if (row >= 0 && row < t->nrows) {
        flockfile(out);
        json_row(t, NULL, NULL, row, out);
        funlockfile(out);
    }
}

int gf_table_ncols(const struct gf_table *t)
{
    return t->ncols;
}

const struct gf_column *gf_table_col(const struct gf_table *t, int col)
{
    return col >= 0 && col < t->ncols ? &t->cols[col] : NULL;
}

int gf_table_col_index(const struct gf_table *t, const char *code)
{
    for (int j = 0; j < t->ncols; j++)
        if (!strcmp(t->cols[j].code, code))
            return j;
    return -1;
}

const char *gf_table_cell(const struct gf_table *t, int row, int col, char *buf, int cap)
{
    if (row < 0 || row >= t->nrows || col < 0 || col >= t->ncols)
        return "";
    return exact(&t->cells[(size_t)row * (size_t)t->ncols + (size_t)col], buf, cap);
}

int gf_table_cell_numeric(const struct gf_table *t, int row, int col)
{
    if (row < 0 || row >= t->nrows || col < 0 || col >= t->ncols)
        return 0;
    return cell_numeric(&t->cells[(size_t)row * (size_t)t->ncols + (size_t)col]);
}

int gf_table_cell_number(const struct gf_table *t, int row, int col, double *x, int *decimals)
{
    if (row < 0 || row >= t->nrows || col < 0 || col >= t->ncols)
        return 0;
    const struct cell *c = &t->cells[(size_t)row * (size_t)t->ncols + (size_t)col];
    if (!cell_numeric(c) || (cell_text(c) ? 0 : isnan(cell_v(c))))
        return 0;
    if (cell_text(c)) { /* an integer */
        char *end;
        *x = strtod(cell_text(c), &end);
        *decimals = 0;
        return *end == 0;
    }
    *x = cell_v(c);
    *decimals = c->decimals;
    return isfinite(cell_v(c));
}

const char *gf_table_cell_shown(const struct gf_table *t, int row, int col, int en, char *buf,
                                int cap)
{
    if (row < 0 || row >= t->nrows || col < 0 || col >= t->ncols)
        return "";
    return labelled(&t->cols[col],
                    shown(&t->cells[(size_t)row * (size_t)t->ncols + (size_t)col], buf, cap), en);
}

int gf_table_cell_missing(const struct gf_table *t, int row, int col)
{
    if (row < 0 || row >= t->nrows || col < 0 || col >= t->ncols)
        return 1;
    return cell_missing(&t->cells[(size_t)row * (size_t)t->ncols + (size_t)col]);
}

/* Sorting: each row's sort cell with its index (qsort has no context argument in C17). */
struct sort_key {
    const struct cell *c;
    int row, desc;
};

static int key_cmp(const void *pa, const void *pb)
{
    const struct sort_key *ka = pa, *kb = pb;
    const struct cell *a = ka->c, *b = kb->c;
    int ma = cell_missing(a), mb = cell_missing(b), r;
    if (ma || mb)
        r = ma - mb; /* missing last, whatever the direction */
    else if (cell_numeric(a) && cell_numeric(b)) {
        double x = cell_text(a) ? strtod(cell_text(a), NULL) : cell_v(a);
        double y = cell_text(b) ? strtod(cell_text(b), NULL) : cell_v(b);
        r = ka->desc ? (x < y) - (x > y) : (x > y) - (x < y);
    } else {
        r = strcmp(cell_text(a) ? cell_text(a) : "", cell_text(b) ? cell_text(b) : "");
        r = ka->desc ? -r : r;
    }
    return r ? r : (ka->row > kb->row) - (ka->row < kb->row); /* stable */
}

void gf_table_sort(struct gf_table *t, int col, int descending)
{
    if (col < 0 || col >= t->ncols || t->nrows < 2)
        return;
    size_t w = (size_t)t->ncols;
    struct sort_key *k = malloc(sizeof *k * (size_t)t->nrows);
    struct cell *cells = malloc(sizeof *cells * (size_t)t->nrows * w);
    if (!k || !cells) {
        free(k);
        free(cells);
        return;
    }
    for (int i = 0; i < t->nrows; i++)
        k[i] = (struct sort_key){&t->cells[(size_t)i * w + (size_t)col], i, descending};
    qsort(k, (size_t)t->nrows, sizeof *k, key_cmp);
    for (int i = 0; i < t->nrows; i++)
        memcpy(&cells[(size_t)i * w], &t->cells[(size_t)k[i].row * w], sizeof *cells * w);
    free(t->cells);
    t->cells = cells;
    t->cap = t->nrows;
    free(k);
}

void gf_table_slice(struct gf_table *t, int from, int n)
{
    if (from < 0)
        from = 0;
    if (from > t->nrows)
        from = t->nrows;
    if (n < 0 || from + n > t->nrows)
        n = t->nrows - from;
    size_t w = (size_t)t->ncols;
    for (long k = 0; k < (long)from * t->ncols; k++)
        free(cell_text(&t->cells[k]));
    for (long k = (long)(from + n) * t->ncols; k < (long)t->nrows * t->ncols; k++)
        free(cell_text(&t->cells[k]));
    if (n > 0) /* an empty table may have no cells at all */
        memmove(t->cells, t->cells + (size_t)from * w, sizeof *t->cells * (size_t)n * w);
    t->nrows = n;
}

void gf_table_print(const struct gf_table *t, FILE *out, enum gf_format fmt, const char *lang)
{
    if (fmt == GF_FMT_XLSX) {
        gf_xlsx_write(out, &t, NULL, 1, lang, NULL);
        return;
    }
    int en = lang && lang[0] == 'e';
    char buf[400]; /* one number: %.*f of DBL_MAX has 309 digits before the point */
    struct ahead a = {0};
    if (fmt == GF_FMT_CSV || fmt == GF_FMT_JSON)
        ahead_open(&a, t);
    if (fmt == GF_FMT_CSV) {
        flockfile(out);
        for (int j = 0; j < t->ncols; j++) {
            if (j)
                putc_unlocked(',', out);
            csv_field(out, t->cols[j].code);
        }
        putc_unlocked('\n', out);
        for (int i = 0; i < t->nrows; i++) {
            ahead_at(&a, i);
            for (int j = 0; j < t->ncols; j++) {
                size_t k = (size_t)i * (size_t)t->ncols + (size_t)j;
                const char *s = exact_at(t, &a, k, buf, (int)sizeof buf);
                if (j)
                    putc_unlocked(',', out);
                if (cell_numeric(
                        &t->cells[k])) /* digits, '.', '-', 'e', '+' or a word: never quoted */
                    put_text(out, s);
                else
                    csv_field(out, s);
            }
            putc_unlocked('\n', out);
        }
        funlockfile(out);
        free(a.slots);
        return;
    }
    if (fmt == GF_FMT_JSON) {
        char **keys = json_keys(t);
        flockfile(out);
        putc_unlocked('[', out);
        for (int i = 0; i < t->nrows; i++) {
            put_text(out, i ? ",\n " : "\n ");
            ahead_at(&a, i);
            json_row(t, &a, keys, i, out);
        }
        put_text(out, t->nrows ? "\n]\n" : "]\n");
        funlockfile(out);
        free_keys(keys, t->ncols);
        free(a.slots);
        return;
    }
    int *w = calloc((size_t)t->ncols, sizeof *w);
    if (!w)
        return;
    for (int j = 0; j < t->ncols; j++) {
        w[j] = gf_display_width(en ? t->cols[j].label_en : t->cols[j].label_zh);
        for (int i = 0; i < t->nrows; i++) {
            int k = gf_display_width(labelled(
                &t->cols[j], shown(&t->cells[(size_t)i * (size_t)t->ncols + (size_t)j], buf, (int)sizeof buf), en));
            if (k > w[j])
                w[j] = k;
        }
    }
    for (int j = 0; j < t->ncols; j++) {
        const char *h = en ? t->cols[j].label_en : t->cols[j].label_zh;
        fprintf(out, "%s%s%*s", j ? "  " : "", h, j + 1 < t->ncols ? w[j] - gf_display_width(h) : 0, "");
    }
    fputc('\n', out);
    for (int j = 0; j < t->ncols; j++) {
        fputs(j ? "  " : "", out);
        for (int k = 0; k < w[j]; k++)
            fputc('-', out);
    }
    fputc('\n', out);
    for (int i = 0; i < t->nrows; i++) {
        for (int j = 0; j < t->ncols; j++) {
            const struct cell *c = &t->cells[(size_t)i * (size_t)t->ncols + (size_t)j];
            const char *s = labelled(&t->cols[j], shown(c, buf, (int)sizeof buf), en);
            int pad = w[j] - gf_display_width(s);
            if (j)
                fputs("  ", out);
            if (cell_numeric(c))
                fprintf(out, "%*s%s", pad, "", s);
            else
                fprintf(out, "%s%*s", s, j + 1 < t->ncols ? pad : 0, "");
        }
        fputc('\n', out);
    }
    free(w);
}

int gf_format_parse(const char *s)
{
    if (!s)
        return -1;
    if (!strcmp(s, "table"))
        return GF_FMT_TABLE;
    if (!strcmp(s, "csv"))
        return GF_FMT_CSV;
    if (!strcmp(s, "json"))
        return GF_FMT_JSON;
    if (!strcmp(s, "xlsx"))
        return GF_FMT_XLSX;
    return -1;
}
