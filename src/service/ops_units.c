/* ops_units.c — the administrative hierarchy: `gongfu units`, /api/units. */
#include <stdio.h>
#include <string.h>

#include "service/service.h"

static const struct gf_code_label level_labels[] = {
    {"city", "市", "city"},
    {"county", "县(区)", "county"},
    {"township", "乡镇(街道)", "township"},
    {"village", "村(社区)", "village"},
    {NULL}};
static const struct gf_code_label area_labels[] = {
    {"urban", "城镇", "urban"}, {"rural", "农村", "rural"}, {NULL}};
static const char *const level_codes[] = {"city", "county", "township", "village",
                                          "1",    "2",      "3",        "4",       NULL};

/* Units in the actor's scope (all of them for the zone-wide roles; the public sees the names of
 * the units, which published results name anyway). */
static int op_list(struct gf_call *c)
{
    const struct gf_units *u = gf_ctx_units(c->cx, &c->err);
    if (!u)
        return c->err.code;
    const char *under = gf_arg(c, "under"), *level = gf_arg(c, "level");
    int rc = gf_scope_filter(c, "under", under, &under);
    if (rc)
        return rc;
    int want = 0;
    for (int k = 0; level && level_codes[k]; k++)
        if (!strcmp(level, level_codes[k]))
            want = k % 4 + 1;
    int a0 = 0, a1 = u->n;
    if (under) {
        a0 = gf_units_find(u, under);
        a1 = a0 + u->unit[a0].subtree_size;
    }
    static const struct gf_column cols[] = {
        {"code", "代码", "code"},
        {"name", "名称", "name"},
        {"level", "层级", "level", level_labels},
        {"area", "城乡", "area", area_labels},
        {"parent", "上级", "parent"},
        {"population", "人口", "population"},
        {"children", "下级数", "children"},
        {"depth", "深度", "depth"},
    };
    struct gf_table *t = gf_table_new(cols, 8);
    for (int i = a0; i < a1; i++) {
        const struct gf_unit *x = &u->unit[i];
        if (want && x->level != want)
            continue;
        gf_table_row(t);
        gf_table_text(t, 0, x->code);
        gf_table_text(t, 1, GF_L(c->cx, x->name, x->name_en ? x->name_en : x->name));
        if (x->level >= 1 && x->level <= 4)
            gf_table_text(t, 2, level_labels[x->level - 1].code);
        else
            gf_table_int(t, 2, x->level);
        gf_table_text(t, 3, x->urban ? "urban" : "rural");
        gf_table_text(t, 4, x->parent >= 0 ? u->unit[x->parent].code : NULL);
        if (x->population >= 0)
            gf_table_int(t, 5, x->population);
        int kids = 0;
        for (int b = i + 1; b < i + x->subtree_size; b += u->unit[b].subtree_size)
            kids++;
        gf_table_int(t, 6, kids);
        gf_table_int(t, 7, x->depth);
    }
    gf_result_table(c, "units", "单位", "units", t);
    return GF_OK;
}

static const struct gf_param p_list[] = {
    {"under", GF_PT_CODE, 0, NULL, "只列此单位及其下级", "only this unit and those under it"},
    {"level", GF_PT_ENUM, 0, level_codes, "层级", "level"},
    {NULL}};

const struct gf_op gf_ops_units[] = {
    {"units.list", GF_OP_READ, "GET", "/api/units", GF_PERM_READ, 0, p_list, op_list,
     "列出行政区划单位", "list the administrative units"},
    {NULL},
};
