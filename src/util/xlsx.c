/* xlsx.c — tables as an Excel workbook (see xlsx.h). */
#include "util/xlsx.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

static int fail(struct gf_err *e, int code, const char *fmt, const char *what)
{
    struct gf_err local;
    if (!e) {
        gf_err_set(&local, code, fmt, what);
        fprintf(stderr, "gongfu: %s\n", local.msg);
        return code;
    }
    return gf_err_set(e, code, fmt, what);
}

/* A sheet name Excel takes: forbidden characters become '_', at most 31 characters (UTF-8
 * sequences kept whole), not empty, not used before (then " 2", " 3", …). */
static void sheet_name(char *out, size_t cap, const char *want, int index, char used[][128],
                       int nused)
{
    char base[128];
    if (!want || !*want)
        snprintf(base, sizeof base, "%d", index + 1);
    else {
        size_t o = 0;
        int chars = 0;
        for (const unsigned char *p = (const unsigned char *)want; *p && chars < 28;) {
            int len = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : 4;
            if (o + (size_t)len >= sizeof base)
                break;
            if (len == 1 && strchr("[]:*?/\\'", *p))
                base[o++] = '_';
            else
                for (int k = 0; k < len && p[k]; k++)
                    base[o++] = (char)p[k];
            p += len;
            chars++;
        }
        base[o] = 0;
    }
    snprintf(out, cap, "%s", base);
    for (int n = 2;; n++) {
        int clash = 0;
        for (int i = 0; i < nused; i++)
            clash |= !strcmp(used[i], out);
        if (!clash)
            return;
        snprintf(out, cap, "%s %d", base, n);
    }
}

/* The number format for a decimals count: "0", "0.0", "0.00", …; NULL (General) for exact. */
static lxw_format *number_format(lxw_workbook *wb, lxw_format *cache[8], int decimals)
{
    if (decimals < 0 || decimals > 7)
        return NULL;
    if (!cache[decimals]) {
        char code[16] = "0";
        if (decimals) {
            code[1] = '.';
            memset(code + 2, '0', (size_t)decimals);
            code[2 + decimals] = 0;
        }
        cache[decimals] = workbook_add_format(wb);
        format_set_num_format(cache[decimals], code);
    }
    return cache[decimals];
}

static lxw_error write_sheet(lxw_workbook *wb, lxw_worksheet *ws, const struct gf_table *t, int en,
                             lxw_format *head, lxw_format *cache[8])
{
    int nc = gf_table_ncols(t), nr = gf_table_rows(t);
    char buf[400];
    for (int j = 0; j < nc; j++) { /* widths first: the widest cell, within 6 … 60 */
        const struct gf_column *col = gf_table_col(t, j);
        int w = gf_display_width(en ? col->label_en : col->label_zh) + 4; /* the filter button */
        for (int i = 0; i < nr; i++) {
            int k = gf_display_width(gf_table_cell_shown(t, i, j, en, buf, (int)sizeof buf)) + 2;
            if (k > w)
                w = k;
        }
        worksheet_set_column(ws, (lxw_col_t)j, (lxw_col_t)j, w < 6 ? 6 : w > 60 ? 60 : w, NULL);
    }
    lxw_error rc = LXW_NO_ERROR;
    for (int j = 0; j < nc && !rc; j++) {
        const struct gf_column *col = gf_table_col(t, j);
        rc = worksheet_write_string(ws, 0, (lxw_col_t)j, en ? col->label_en : col->label_zh, head);
    }
    for (int i = 0; i < nr && !rc; i++)
        for (int j = 0; j < nc && !rc; j++) {
            double x;
            int dec;
            if (gf_table_cell_number(t, i, j, &x, &dec))
                rc = worksheet_write_number(ws, (lxw_row_t)i + 1, (lxw_col_t)j, x,
                                            number_format(wb, cache, dec));
            else if (!gf_table_cell_missing(t, i, j))
                rc = worksheet_write_string(ws, (lxw_row_t)i + 1, (lxw_col_t)j,
                                            gf_table_cell_shown(t, i, j, en, buf, (int)sizeof buf),
                                            NULL);
        }
    if (!rc)
        worksheet_freeze_panes(ws, 1, 0);
    if (!rc && nc > 0)
        rc = worksheet_autofilter(ws, 0, 0, (lxw_row_t)nr, (lxw_col_t)(nc - 1));
    return rc;
}

int gf_xlsx_write(FILE *out, const struct gf_table *const *tables, const char *const *names, int n,
                  const char *lang, struct gf_err *e)
{
    int en = lang && lang[0] == 'e';
    for (int i = 0; i < n; i++)
        if (gf_table_rows(tables[i]) > GF_XLSX_MAXROWS)
            return fail(e, GF_EUSER,
                        "%s: more rows than an Excel sheet holds (1 048 575); use --format csv",
                        names && names[i] ? names[i] : "the table");
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/gongfu-XXXXXX.xlsx", dir && *dir ? dir : "/tmp");
    int fd = mkstemps(path, 5);
    if (fd < 0)
        return fail(e, GF_ESYS, "cannot create a temporary file for the workbook in %s",
                    dir && *dir ? dir : "/tmp");
    close(fd);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE,
                                .tmpdir = (char *)(dir && *dir ? dir : "/tmp")};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb) {
        unlink(path);
        return fail(e, GF_ESYS, "cannot start the workbook %s", path);
    }
    lxw_format *head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xDDE5F0);
    format_set_bottom(head, LXW_BORDER_THIN);
    lxw_format *cache[8] = {0};
    char used[64][128];
    lxw_error rc = LXW_NO_ERROR;
    for (int i = 0; i < n && !rc; i++) {
        char name[128];
        sheet_name(name, sizeof name, names ? names[i] : NULL, i, used, i < 64 ? i : 64);
        if (i < 64)
            snprintf(used[i], sizeof used[i], "%s", name);
        lxw_worksheet *ws = workbook_add_worksheet(wb, name);
        rc = ws ? write_sheet(wb, ws, tables[i], en, head, cache) : LXW_ERROR_SHEETNAME_ALREADY_USED;
    }
    if (n == 0 && !workbook_add_worksheet(wb, NULL)) /* a workbook needs a sheet */
        rc = LXW_ERROR_MEMORY_MALLOC_FAILED;
    lxw_error rc2 = workbook_close(wb); /* writes the file, frees the workbook */
    if (rc || rc2) {
        unlink(path);
        return fail(e, GF_ESYS, "cannot write the workbook: %s", lxw_strerror(rc ? rc : rc2));
    }
    FILE *in = fopen(path, "rb");
    int bad = !in;
    char chunk[65536];
    size_t got;
    while (in && (got = fread(chunk, 1, sizeof chunk, in)) > 0)
        bad |= fwrite(chunk, 1, got, out) != got;
    if (in) {
        bad |= ferror(in);
        fclose(in);
    }
    unlink(path);
    bad |= fflush(out) != 0;
    return bad ? fail(e, GF_ESYS, "cannot copy the workbook to its destination%s", "") : GF_OK;
}
