/* cmd_units.c — `gongfu units`: list the administrative hierarchy (a tree for people). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/unit.h"

int cmd_units(struct gf_cli *cli, int argc, char **argv)
{
    if (gf_cli_wants_help(argc, argv)) {
        puts(L(cli, "用法: gongfu units [--under 代码] [--level city|county|township|village|1-4]\n"
                    "列出行政区划单位(默认全部,按树形缩进)。",
               "usage: gongfu units [--under CODE] [--level city|county|township|village|1-4]\n"
               "List the administrative units (all by default, indented as a tree)."));
        return 0;
    }
    const char *under = NULL, *level = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--under") && i + 1 < argc)
            under = argv[++i];
        else if (!strcmp(argv[i], "--level") && i + 1 < argc)
            level = argv[++i];
        else
            return gf_cli_usage(cli, "units: unexpected argument '%s' (see gongfu units --help)", argv[i]);
    }
    int want_level = 0;
    if (level) {
        static const char *const names[] = {"", "city", "county", "township", "village"};
        for (int k = 1; k <= 4; k++)
            if (!strcmp(level, names[k]) || (level[0] == '0' + k && !level[1]))
                want_level = k;
        if (!want_level)
            return gf_cli_usage(cli, "units: --level '%s' is not one of city, county, township, village, 1-4", level);
    }
    struct gf_db *db;
    int rc = gf_db_open_read(&db, cli->db_path, &cli->err);
    if (rc)
        return rc;
    struct gf_units u;
    rc = gf_units_load(db, &u, &cli->err);
    gf_db_close(db);
    if (rc)
        return rc;
    int a0 = 0, a1 = u.n;
    if (under) {
        int a = gf_units_find(&u, under);
        if (a < 0) {
            gf_units_free(&u);
            return gf_err_set(&cli->err, GF_EUSER, "--under \"%s\": no such unit", under);
        }
        a0 = a;
        a1 = a + u.unit[a].subtree_size;
    }
    static const struct gf_column cols[] = {
        {"code", "代码", "code"},     {"name", "名称", "name"},         {"level", "层级", "level"},
        {"area", "城乡", "area"},     {"parent", "上级", "parent"},     {"population", "人口", "population"},
        {"children", "下级数", "children"},
    };
    struct gf_table *t = gf_table_new(cols, 7);
    for (int i = a0; i < a1; i++) {
        const struct gf_unit *x = &u.unit[i];
        if (want_level && x->level != want_level)
            continue;
        gf_table_row(t);
        gf_table_text(t, 0, x->code);
        const char *nm = L(cli, x->name, x->name_en ? x->name_en : x->name);
        if (cli->format == GF_FMT_TABLE && !want_level) {
            char buf[512];
            int d = x->depth - u.unit[a0].depth;
            snprintf(buf, sizeof buf, "%*s%s", 2 * d, "", nm);
            gf_table_text(t, 1, buf);
        } else
            gf_table_text(t, 1, nm);
        static const char *const codes[] = {"", "city", "county", "township", "village"};
        if (cli->format == GF_FMT_TABLE)
            gf_table_text(t, 2, x->level >= 1 && x->level <= 9 ? L(cli, u.level_zh[x->level], u.level_en[x->level]) : "?");
        else if (x->level >= 1 && x->level <= 4)
            gf_table_text(t, 2, codes[x->level]);
        else
            gf_table_int(t, 2, x->level);
        gf_table_text(t, 3, cli->format == GF_FMT_TABLE ? L(cli, x->urban ? "城镇" : "农村", x->urban ? "urban" : "rural")
                                                        : (x->urban ? "urban" : "rural"));
        gf_table_text(t, 4, x->parent >= 0 ? u.unit[x->parent].code : NULL);
        if (x->population >= 0)
            gf_table_int(t, 5, x->population);
        int kids = 0;
        for (int b = i + 1; b < i + x->subtree_size; b += u.unit[b].subtree_size)
            kids++;
        gf_table_int(t, 6, kids);
    }
    gf_table_print(t, stdout, cli->format, cli->lang);
    gf_table_free(t);
    gf_units_free(&u);
    return 0;
}
