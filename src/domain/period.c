/* period.c — period codes and their rows. */
#include "domain/period.h"

#include <stdio.h>
#include <string.h>

int gf_period_parse(const char *code, struct gf_period *p)
{
    int y, s;
    char c;
    memset(p, 0, sizeof *p);
    size_t n = strlen(code);
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (n == 4 && sscanf(code, "%4d%c", &y, &c) == 1) {
        p->kind = GF_PERIOD_YEAR;
        s = 0;
    } else if (n == 6 && code[4] == 'Q' && sscanf(code, "%4dQ%1d%c", &y, &s, &c) == 2 && s >= 1 &&
               s <= 4) {
        p->kind = GF_PERIOD_QUARTER;
    } else if (n == 7 && code[4] == '-' && code[5] >= '0' && code[5] <= '1' &&
               sscanf(code, "%4d-%2d%c", &y, &s, &c) == 2 && s >= 1 && s <= 12) {
        p->kind = GF_PERIOD_MONTH;
    } else
        return -1;
    for (int i = 0; i < 4; i++)
        if (code[i] < '0' || code[i] > '9')
            return -1;
    if (y < 1900 || y > 2200)
        return -1;
    p->year = y;
    p->sub = s;
    int m0 = 1, m1 = 12;
    if (p->kind == GF_PERIOD_QUARTER)
        m0 = 3 * s - 2, m1 = 3 * s;
    else if (p->kind == GF_PERIOD_MONTH)
        m0 = m1 = s;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    snprintf(p->start, sizeof p->start, "%04d-%02d-01", y, m0);
    snprintf(p->end, sizeof p->end, "%04d-%02d-%02d", y, m1, mdays[m1 - 1] + (m1 == 2 && leap));
    return 0;
}

int gf_period_ensure(struct gf_db *db, const char *code, struct gf_err *e)
{
    struct gf_period p;
    if (gf_period_parse(code, &p))
        return gf_err_set(e, GF_EUSER,
                          "period \"%s\": expected a year (2024), a quarter (2024Q1) or a month (2024-03)",
                          code);
    static const char *kinds[] = {"year", "quarter", "month"};
    char y[8], s[8];
    snprintf(y, sizeof y, "%d", p.year);
    snprintf(s, sizeof s, "%d", p.sub);
    return gf_db_run(db, e,
                     "INSERT INTO period (code, kind, year, sub, start_date, end_date) "
                     "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING",
                     code, kinds[p.kind], y, s, p.start, p.end);
}

int gf_period_prev(const char *code, char *out, size_t cap)
{
    struct gf_period p;
    if (gf_period_parse(code, &p))
        return -1;
    if (p.kind == GF_PERIOD_YEAR)
        snprintf(out, cap, "%04d", p.year - 1);
    else if (p.kind == GF_PERIOD_QUARTER)
        snprintf(out, cap, "%04dQ%d", p.sub > 1 ? p.year : p.year - 1, p.sub > 1 ? p.sub - 1 : 4);
    else
        snprintf(out, cap, "%04d-%02d", p.sub > 1 ? p.year : p.year - 1, p.sub > 1 ? p.sub - 1 : 12);
    return 0;
}
