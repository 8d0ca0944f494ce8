/* report_doc.c — writing a report's HTML: A4 pages, tables from results, SVG bar charts, and
 * calling the operations a report is made of (report.h). */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "service/report.h"

static const char *style =
    "@page{size:A4;margin:12mm 12mm 14mm}"
    "*{box-sizing:border-box}"
    "body{font-family:'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC',sans-serif;"
    "font-size:9.5pt;color:#1f2329;margin:0;line-height:1.45}"
    "header{border-bottom:2.5pt solid #b3261e;padding-bottom:4pt;margin-bottom:8pt}"
    "header h1{font-size:17pt;margin:0;color:#b3261e;letter-spacing:1pt}"
    "header .sub{color:#4e5969;font-size:9pt}"
    "h2{font-size:11.5pt;margin:9pt 0 4pt;padding-left:5pt;border-left:3.5pt solid #b3261e}"
    "p{margin:3pt 0}"
    ".kpis{display:flex;flex-wrap:wrap;gap:5pt;margin:4pt 0}"
    ".kpi{flex:1 1 0;min-width:70pt;border:0.6pt solid #c9cdd4;border-radius:3pt;padding:4pt 6pt}"
    ".kpi .v{font-size:13.5pt;font-weight:700;color:#1f2329}.kpi .l{font-size:8pt;color:#4e5969}"
    "table{border-collapse:collapse;width:100%;margin:2pt 0 4pt;page-break-inside:auto}"
    "tr{page-break-inside:avoid}"
    "th,td{border:0.5pt solid #c9cdd4;padding:2pt 4pt;text-align:left;vertical-align:top}"
    "th{background:#f2f3f5;font-weight:600}td.n{text-align:right;white-space:nowrap}"
    ".more,.note{color:#4e5969;font-size:8pt}"
    ".red{color:#b3261e}.green{color:#1a7f37}"
    ".poster header h1{font-size:26pt;text-align:center}"
    ".poster h2{font-size:16pt}.poster td{font-size:12pt;padding:4pt 6pt}"
    ".poster td:nth-child(-n+3),.poster th{white-space:nowrap}"
    "svg text{font-family:inherit;font-size:8pt;fill:#1f2329}"
    "footer{margin-top:8pt;border-top:0.5pt solid #c9cdd4;padding-top:3pt;color:#4e5969;"
    "font-size:7.5pt}"
    ".cols{display:flex;gap:10pt}.cols>div{flex:1 1 0;min-width:0}"
    ".page{page-break-after:always}.page:last-child{page-break-after:auto}";

void gf_doc_raw(struct gf_doc *d, const char *html)
{
    fputs(html, d->f);
}

void gf_doc_text(struct gf_doc *d, const char *s)
{
    for (; s && *s; s++)
        switch (*s) {
        case '<':
            fputs("&lt;", d->f);
            break;
        case '>':
            fputs("&gt;", d->f);
            break;
        case '&':
            fputs("&amp;", d->f);
            break;
        case '"':
            fputs("&quot;", d->f);
            break;
        default:
            fputc(*s, d->f);
        }
}

void gf_doc_printf(struct gf_doc *d, const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    gf_doc_text(d, buf);
}

int gf_doc_begin(struct gf_doc *d, struct gf_call *c, const char *title)
{
    memset(d, 0, sizeof *d);
    d->c = c;
    d->en = c->cx->lang && c->cx->lang[0] == 'e';
    d->f = open_memstream(&d->buf, &d->len);
    if (!d->f)
        return gf_err_set(&c->err, GF_ENOMEM, "out of memory");
    fprintf(d->f, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\"><title>",
            d->en ? "en" : "zh-CN");
    gf_doc_text(d, title);
    fprintf(d->f, "</title><style>%s</style></head><body>\n", style);
    return GF_OK;
}

int gf_doc_finish(struct gf_doc *d)
{
    fputs("</body></html>\n", d->f);
    if (fclose(d->f)) {
        free(d->buf);
        return gf_err_set(&d->c->err, GF_ENOMEM, "out of memory");
    }
    free(d->c->res.doc);
    d->c->res.doc = d->buf;
    d->c->res.doc_len = d->len;
    d->f = NULL;
    d->buf = NULL;
    return GF_OK;
}

void gf_doc_abandon(struct gf_doc *d)
{
    if (d->f)
        fclose(d->f);
    free(d->buf);
    d->f = NULL;
    d->buf = NULL;
}

void gf_doc_heading(struct gf_doc *d, const char *zh, const char *en)
{
    gf_doc_raw(d, "<h2>");
    gf_doc_text(d, d->en ? en : zh);
    gf_doc_raw(d, "</h2>\n");
}

void gf_doc_para(struct gf_doc *d, const char *text)
{
    gf_doc_raw(d, "<p>");
    gf_doc_text(d, text);
    gf_doc_raw(d, "</p>\n");
}

void gf_doc_note(struct gf_doc *d, const char *text)
{
    gf_doc_raw(d, "<p class=\"note\">");
    gf_doc_text(d, text);
    gf_doc_raw(d, "</p>\n");
}

void gf_doc_kpis(struct gf_doc *d, const char *const *labels, const char *const *values, int n)
{
    gf_doc_raw(d, "<div class=\"kpis\">");
    for (int i = 0; i < n; i++) {
        gf_doc_raw(d, "<div class=\"kpi\"><div class=\"v\">");
        gf_doc_text(d, values[i] && *values[i] ? values[i] : "—");
        gf_doc_raw(d, "</div><div class=\"l\">");
        gf_doc_text(d, labels[i]);
        gf_doc_raw(d, "</div></div>");
    }
    gf_doc_raw(d, "</div>\n");
}

void gf_doc_table(struct gf_doc *d, const struct gf_table *t, const char *const *cols, int max)
{
    if (!t)
        return;
    int idx[64], n = 0;
    if (cols) {
        for (int k = 0; cols[k] && n < 64; k++) {
            int j = gf_table_col_index(t, cols[k]);
            if (j >= 0)
                idx[n++] = j;
        }
    } else
        for (int j = 0; j < gf_table_ncols(t) && n < 64; j++)
            idx[n++] = j;
    int rows = gf_table_rows(t);
    if (!rows) {
        gf_doc_note(d, d->en ? "(none)" : "(无)");
        return;
    }
    gf_doc_raw(d, "<table><thead><tr>");
    for (int k = 0; k < n; k++) {
        const struct gf_column *c = gf_table_col(t, idx[k]);
        gf_doc_raw(d, "<th>");
        gf_doc_text(d, d->en ? c->label_en : c->label_zh);
        gf_doc_raw(d, "</th>");
    }
    gf_doc_raw(d, "</tr></thead><tbody>\n");
    char buf[400];
    int shown = max > 0 && rows > max ? max : rows;
    for (int i = 0; i < shown; i++) {
        gf_doc_raw(d, "<tr>");
        for (int k = 0; k < n; k++) {
            gf_doc_raw(d, gf_table_cell_numeric(t, i, idx[k]) ? "<td class=\"n\">" : "<td>");
            gf_doc_text(d, gf_table_cell_shown(t, i, idx[k], d->en, buf, (int)sizeof buf));
            gf_doc_raw(d, "</td>");
        }
        gf_doc_raw(d, "</tr>\n");
    }
    gf_doc_raw(d, "</tbody></table>\n");
    if (shown < rows) {
        char more[128];
        snprintf(more, sizeof more, d->en ? "… and %d more" : "……另有 %d 条", rows - shown);
        gf_doc_note(d, more);
    }
}

void gf_doc_bars(struct gf_doc *d, const struct gf_table *t, const char *label, const char *value,
                 int max, int decimals)
{
    if (!t)
        return;
    int li = gf_table_col_index(t, label), vi = gf_table_col_index(t, value);
    int n = gf_table_rows(t);
    if (li < 0 || vi < 0 || n == 0)
        return;
    if (max > 0 && n > max)
        n = max;
    double lo = 0, hi = 0;
    for (int i = 0; i < n; i++) {
        double x = report_num(t, i, value);
        if (isfinite(x)) {
            lo = x < lo ? x : lo;
            hi = x > hi ? x : hi;
        }
    }
    if (hi - lo <= 0)
        hi = lo + 1;
    const double W = 480, left = 120, right = 50, bar = 12, gap = 4;
    double plot = W - left - right, zero = left + plot * (0 - lo) / (hi - lo);
    double H = n * (bar + gap) + gap;
    fprintf(d->f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%%\" viewBox=\"0 0 %.0f %.0f\" "
            "role=\"img\">",
            W, H);
    char buf[400], num[64];
    for (int i = 0; i < n; i++) {
        double x = report_num(t, i, value), y = gap + i * (bar + gap);
        fprintf(d->f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", left - 4, y + bar - 2);
        const char *lab = gf_table_cell_shown(t, i, li, d->en, buf, (int)sizeof buf);
        char cut[64];
        size_t k = strlen(lab) < 30 ? strlen(lab) : 30; /* a whole UTF-8 sequence at the end */
        while (k > 0 && ((unsigned char)lab[k] & 0xC0) == 0x80)
            k--;
        memcpy(cut, lab, k);
        cut[k] = 0;
        gf_doc_text(d, cut);
        fputs("</text>", d->f);
        if (!isfinite(x))
            continue;
        double a = x >= 0 ? zero : zero + plot * x / (hi - lo), w = fabs(plot * x / (hi - lo));
        fprintf(d->f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" fill=\"%s\"/>", a,
                y, w < 0.5 ? 0.5 : w, bar, x >= 0 ? "#c0392b" : "#5b7083");
        snprintf(num, sizeof num, "%.*f", decimals, x);
        fprintf(d->f, "<text x=\"%.1f\" y=\"%.1f\">%s</text>", (x >= 0 ? a + w : zero) + 3,
                y + bar - 2, num);
    }
    fprintf(d->f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"%.0f\" stroke=\"#86909c\"/></svg>\n",
            zero, zero, H);
}

/* ---- the operations a report is made of ----------------------------------------------------- */

struct gf_call *report_call(struct gf_doc *d, const char *opname, ...)
{
    const struct gf_op *op = gf_op_find(opname);
    char note[600];
    if (!op) {
        snprintf(note, sizeof note,
                 d->en ? "(%s: not available in this version)" : "(%s:本版本尚未提供)", opname);
        gf_doc_note(d, note);
        return NULL;
    }
    struct gf_call *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    gf_call_init(c, d->c->cx, op);
    va_list ap;
    va_start(ap, opname);
    int rc = GF_OK;
    for (const char *k; rc == GF_OK && (k = va_arg(ap, const char *));) {
        const char *v = va_arg(ap, const char *);
        if (v)
            rc = gf_call_set(c, k, v);
    }
    va_end(ap);
    if (rc == GF_OK)
        rc = gf_call_run(c);
    if (rc) {
        snprintf(note, sizeof note, d->en ? "(%s: %s)" : "(%s:%s)", opname,
                 rc == GF_EFORBIDDEN ? (d->en ? "not visible to you" : "无权查看") : c->err.msg);
        gf_doc_note(d, note);
        report_release(c);
        return NULL;
    }
    return c;
}

void report_release(struct gf_call *c)
{
    if (!c)
        return;
    gf_call_release(c);
    free(c);
}

const struct gf_table *report_section(const struct gf_call *c, const char *name)
{
    for (int i = 0; c && i < c->res.nsec; i++)
        if (!strcmp(c->res.sec[i].name, name))
            return c->res.sec[i].t;
    return NULL;
}

const char *report_cell(const struct gf_table *t, int row, const char *col, int en, char *buf,
                        int cap)
{
    int j = t ? gf_table_col_index(t, col) : -1;
    if (j < 0 || row >= gf_table_rows(t) || gf_table_cell_missing(t, row, j))
        return "";
    return gf_table_cell_shown(t, row, j, en, buf, cap);
}

const char *report_code(const struct gf_table *t, int row, const char *col, char *buf, int cap)
{
    int j = t ? gf_table_col_index(t, col) : -1;
    if (j < 0 || row >= gf_table_rows(t))
        return "";
    return gf_table_cell(t, row, j, buf, cap);
}

double report_num(const struct gf_table *t, int row, const char *col)
{
    int j = t ? gf_table_col_index(t, col) : -1;
    double x;
    int dec;
    if (j < 0 || !gf_table_cell_number(t, row, j, &x, &dec))
        return NAN;
    return x;
}
