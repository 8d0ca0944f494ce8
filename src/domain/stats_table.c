/* stats_table.c — the table of distribution measures, one row a group or unit, as every front
 * door shows it (contract in stats.h; columns in docs/distribution.md). */
#include "domain/stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAXCOLS = 64 + 7 * GF_STATS_MAXPARAM };

/* The columns while they are listed: codes and labels made for a line or a band are owned. */
struct colset {
    struct gf_column col[MAXCOLS];
    char *own[MAXCOLS];
    int n;
};

static void addcol(struct colset *c, const char *code, const char *zh, const char *en)
{
    c->col[c->n++] = (struct gf_column){code, zh, en};
}

/* A column named after its parameters (a line, or a band's two ends) written as the shortest
 * exact numbers: fgt0_6934.5, band_100000_500000. */
static void addcolf(struct colset *c, const char *prefix, int two, double a, double b,
                    const char *zh, const char *en)
{
    char x[64], y[64], code[160], lz[256], le[256];
    gf_fmt_double(x, sizeof x, a);
    gf_fmt_double(y, sizeof y, b);
    if (two) {
        snprintf(code, sizeof code, "%s_%s_%s", prefix, x, y);
        snprintf(lz, sizeof lz, "%s %s-%s", zh, x, y);
        snprintf(le, sizeof le, "%s %s-%s", en, x, y);
    } else {
        snprintf(code, sizeof code, "%s_%s", prefix, x);
        snprintf(lz, sizeof lz, "%s %s", zh, x);
        snprintf(le, sizeof le, "%s %s", en, x);
    }
    char *pc = strdup(code), *pz = strdup(lz), *pe = strdup(le);
    if (!pc || !pz || !pe) {
        free(pc);
        free(pz);
        free(pe);
        return;
    }
    c->own[c->n] = pc;
    c->col[c->n++] = (struct gf_column){pc, pz, pe};
}

struct gf_table *gf_stats_table_new(const struct gf_stats_columns *o)
{
    struct colset cs, *c = &cs;
    memset(c, 0, sizeof *c);
    addcol(c, "by", "分组列", "by");
    addcol(c, "group", "分组", "group");
    addcol(c, "n", "户数(行)", "rows");
    addcol(c, "weight_sum", "权数和", "weight sum");
    addcol(c, "mean", "均值", "mean");
    addcol(c, "median", "中位数", "median");
    addcol(c, "gini", "基尼系数", "Gini");
    addcol(c, "theil", "泰尔指数", "Theil T");
    addcol(c, "mld", "平均对数偏差", "MLD");
    addcol(c, "arpt", "贫困风险线", "ARPT");
    addcol(c, "arpr", "贫困风险率", "ARPR");
    addcol(c, "qsr", "S80/S20", "S80/S20");
    addcol(c, "rmpg", "相对中位贫困差距", "rel. median gap");
    addcol(c, "palma", "帕尔马比值", "Palma");
    for (int l = 0; l < o->nlines; l++) {
        addcolf(c, "fgt0", 0, o->lines[l], 0, "贫困发生率", "FGT0");
        addcolf(c, "fgt1", 0, o->lines[l], 0, "贫困距", "FGT1");
        addcolf(c, "fgt2", 0, o->lines[l], 0, "贫困强度", "FGT2");
        addcolf(c, "watts", 0, o->lines[l], 0, "Watts", "Watts");
        addcolf(c, "low_hh", 0, o->lines[l], 0, "低收入户数", "low-income households");
        addcolf(c, "low_persons", 0, o->lines[l], 0, "低收入人数", "low-income persons");
    }
    for (int b = 0; b < o->nbands; b++)
        addcolf(c, "band", 1, o->band_lo[b], o->band_hi[b], "中等收入户比例",
                "middle-income share");
    addcol(c, "sub_by", "下级分组列", "sub-level");
    addcol(c, "range_ratio", "最高最低倍差", "max/min ratio");
    addcol(c, "theil_within_sub", "泰尔组内", "Theil within");
    addcol(c, "theil_between_sub", "泰尔组间", "Theil between");
    addcol(c, "mld_within_sub", "MLD组内", "MLD within");
    addcol(c, "mld_between_sub", "MLD组间", "MLD between");
    if (o->urban) {
        addcol(c, "urban_mean", "城镇人均", "urban mean");
        addcol(c, "rural_mean", "农村人均", "rural mean");
        addcol(c, "urban_rural_ratio", "城乡收入倍差", "urban/rural ratio");
        addcol(c, "theil_within_urban", "泰尔城乡组内", "Theil within urban/rural");
        addcol(c, "theil_between_urban", "泰尔城乡组间", "Theil between urban/rural");
        addcol(c, "mld_within_urban", "MLD城乡组内", "MLD within urban/rural");
        addcol(c, "mld_between_urban", "MLD城乡组间", "MLD between urban/rural");
    }
    if (o->food)
        addcol(c, "engel", "恩格尔系数", "Engel");
    addcol(c, "atkinson_0.5", "阿特金森(0.5)", "Atkinson(0.5)");
    addcol(c, "atkinson_1", "阿特金森(1)", "Atkinson(1)");
    addcol(c, "atkinson_2", "阿特金森(2)", "Atkinson(2)");
    static const char *const pc[9] = {"p10", "p20", "p30", "p40", "p50",
                                      "p60", "p70", "p80", "p90"};
    for (int j = 0; j < 9; j++)
        addcol(c, pc[j], pc[j], pc[j]);
    static const char *const dc[10] = {"share_d1", "share_d2", "share_d3", "share_d4", "share_d5",
                                       "share_d6", "share_d7", "share_d8", "share_d9", "share_d10"};
    for (int j = 0; j < 10; j++)
        addcol(c, dc[j], dc[j], dc[j]);
    addcol(c, "hh_weight_sum", "户权数和", "household weight sum");
    addcol(c, "min", "最小值", "min");
    addcol(c, "max", "最大值", "max");
    struct gf_table *t = gf_table_new(c->col, c->n); /* copies the columns */
    for (int i = 0; i < c->n; i++)
        if (c->own[i]) {
            free(c->own[i]);
            free((char *)c->col[i].label_zh);
            free((char *)c->col[i].label_en);
        }
    return t;
}

void gf_stats_table_add(struct gf_table *t, const struct gf_stats_columns *o, const char *by,
                        const char *group, const char *sub_by, const struct gf_dist_stats *s)
{
    int k = 0;
    gf_table_row(t);
    gf_table_text(t, k++, by);
    gf_table_text(t, k++, group);
    gf_table_int(t, k++, s->n);
    gf_table_num(t, k++, s->weight_sum, 2);
    gf_table_num(t, k++, s->mean, 2);
    gf_table_num(t, k++, s->median, 2);
    gf_table_num(t, k++, s->gini, 4);
    gf_table_num(t, k++, s->theil, 4);
    gf_table_num(t, k++, s->mld, 4);
    gf_table_num(t, k++, s->arpt, 2);
    gf_table_num(t, k++, s->arpr, 4);
    gf_table_num(t, k++, s->qsr, 4);
    gf_table_num(t, k++, s->rmpg, 4);
    gf_table_num(t, k++, s->palma, 4);
    for (int l = 0; l < o->nlines; l++) {
        gf_table_num(t, k++, s->fgt0[l], 4);
        gf_table_num(t, k++, s->fgt1[l], 4);
        gf_table_num(t, k++, s->fgt2[l], 4);
        gf_table_num(t, k++, s->watts[l], 4);
        gf_table_num(t, k++, s->low_hh[l], 1);
        gf_table_num(t, k++, s->low_persons[l], 1);
    }
    for (int b = 0; b < o->nbands; b++)
        gf_table_num(t, k++, s->band_share[b], 4);
    gf_table_text(t, k++, sub_by);
    gf_table_num(t, k++, s->range_ratio, 4);
    gf_table_num(t, k++, s->theil_within_sub, 4);
    gf_table_num(t, k++, s->theil_between_sub, 4);
    gf_table_num(t, k++, s->mld_within_sub, 4);
    gf_table_num(t, k++, s->mld_between_sub, 4);
    if (o->urban) {
        gf_table_num(t, k++, s->urban_mean, 2);
        gf_table_num(t, k++, s->rural_mean, 2);
        gf_table_num(t, k++, s->urban_rural_ratio, 4);
        gf_table_num(t, k++, s->theil_within_urban, 4);
        gf_table_num(t, k++, s->theil_between_urban, 4);
        gf_table_num(t, k++, s->mld_within_urban, 4);
        gf_table_num(t, k++, s->mld_between_urban, 4);
    }
    if (o->food)
        gf_table_num(t, k++, s->engel, 4);
    for (int a = 0; a < 3; a++)
        gf_table_num(t, k++, s->atkinson[a], 4);
    for (int j = 0; j < 9; j++)
        gf_table_num(t, k++, s->decile[j], 2);
    for (int j = 0; j < 10; j++)
        gf_table_num(t, k++, s->decile_share[j], 4);
    gf_table_num(t, k++, s->hh_weight_sum, 2);
    gf_table_num(t, k++, s->min, 2);
    gf_table_num(t, k++, s->max, 2);
}

struct gf_table *gf_stats_income_table(const struct gf_income_run *run)
{
    return gf_stats_income_table_under(run, -1);
}

struct gf_table *gf_stats_income_table_under(const struct gf_income_run *run, int top)
{
    struct gf_stats_columns c = {run->lines,   run->nlines_asked, run->band_lo,
                                 run->band_hi, run->nbands_asked, 1,
                                 run->has_food};
    struct gf_table *t = gf_stats_table_new(&c);
    const struct gf_units *u = &run->units;
    /* level by level (city, counties, townships, villages), depth-first order within */
    for (int lv = 1; lv <= 9; lv++)
        for (int i = 0; i < u->n; i++) {
            if (u->unit[i].level != lv || run->res.unit[i].n == 0 ||
                (top >= 0 && !gf_units_within(u, i, top)))
                continue;
            const char *by = u->level_en[lv] ? u->level_en[lv] : "unit";
            const char *sub = NULL;
            if (u->unit[i].subtree_size > 1) {
                int cl = u->unit[i + 1].level;
                sub = u->level_en[cl] ? u->level_en[cl] : "unit";
            }
            gf_stats_table_add(t, &c, by, u->unit[i].code, sub, &run->res.unit[i]);
        }
    return t;
}
