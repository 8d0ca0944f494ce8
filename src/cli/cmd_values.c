/* cmd_values.c — `gongfu values`: list values; `values rollup`; `values submit|approve`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/query.h"
#include "domain/unit.h"
#include "domain/values.h"

static void usage(struct gf_cli *cli)
{
    puts(L(cli,
           "用法:\n"
           "  gongfu values [list] [--unit 代码 [--under]] [--indicator 代码] [--period 期别]\n"
           "                [--framework 体系] [--origin reported|computed|rollup|derived]\n"
           "  gongfu values rollup [--period 期别]     按汇总规则逐级汇总并计算派生指标\n"
           "  gongfu values submit  --unit 代码 [--under] --period 期别 [--indicator 代码]\n"
           "  gongfu values approve --unit 代码 [--under] --period 期别 [--indicator 代码]\n"
           "期别: 2024(年), 2024Q1(季度), 2024-03(月)。数据状态: 草稿 → 已报送 → 已审核。",
           "usage:\n"
           "  gongfu values [list] [--unit CODE [--under]] [--indicator CODE] [--period P]\n"
           "                [--framework F] [--origin reported|computed|rollup|derived]\n"
           "  gongfu values rollup [--period P]      roll values up the hierarchy, compute formulas\n"
           "  gongfu values submit  --unit CODE [--under] --period P [--indicator CODE]\n"
           "  gongfu values approve --unit CODE [--under] --period P [--indicator CODE]\n"
           "Periods: 2024 (year), 2024Q1 (quarter), 2024-03 (month). States: draft → submitted → approved."));
}

int cmd_values(struct gf_cli *cli, int argc, char **argv)
{
    if (gf_cli_wants_help(argc, argv)) {
        usage(cli);
        return 0;
    }
    const char *sub = "list", *unit = NULL, *ind = NULL, *period = NULL, *fw = NULL, *origin = NULL;
    int under = 0, i = 1;
    if (argc > 1 && argv[1][0] != '-')
        sub = argv[i++];
    for (; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = !strcmp(a, "--unit")        ? &unit
                            : !strcmp(a, "--indicator") ? &ind
                            : !strcmp(a, "--period")    ? &period
                            : !strcmp(a, "--framework") ? &fw
                            : !strcmp(a, "--origin")    ? &origin
                                                        : NULL;
        if (slot) {
            if (i + 1 >= argc)
                return gf_cli_usage(cli, "values: %s needs a value", a);
            *slot = argv[++i];
        } else if (!strcmp(a, "--under"))
            under = 1;
        else
            return gf_cli_usage(cli, "values: unexpected argument '%s' (see gongfu values --help)", a);
    }
    struct gf_db *db;
    int rc;
    if (!strcmp(sub, "rollup")) {
        if ((rc = gf_db_open_existing(&db, cli->db_path, &cli->err)))
            return rc;
        struct gf_rollup_stats s;
        rc = gf_values_rollup(db, cli->user, period, &s, &cli->err);
        gf_db_close(db);
        if (rc == GF_OK)
            printf(L(cli, "汇总完成: 写入 %ld, 未变 %ld, 移除 %ld\n",
                     "rollup done: %ld written, %ld unchanged, %ld removed\n"),
                   s.written, s.unchanged, s.removed);
        return rc;
    }
    if (!strcmp(sub, "submit") || !strcmp(sub, "approve")) {
        if (!unit || !period)
            return gf_cli_usage(cli, "values %s: needs --unit and --period", sub);
        if ((rc = gf_db_open_existing(&db, cli->db_path, &cli->err)))
            return rc;
        long moved;
        rc = gf_values_set_state(db, cli->user, unit, under, ind, period,
                                 !strcmp(sub, "submit") ? "submitted" : "approved", &moved, &cli->err);
        gf_db_close(db);
        if (rc == GF_OK)
            printf(L(cli, "%ld 条数据已%s\n", "%ld values %s\n"), moved,
                   !strcmp(sub, "submit") ? L(cli, "报送", "submitted") : L(cli, "审核通过", "approved"));
        return rc;
    }
    if (strcmp(sub, "list"))
        return gf_cli_usage(cli, "values: unknown subcommand '%s' (list, rollup, submit, approve)", sub);
    if ((rc = gf_db_open_read(&db, cli->db_path, &cli->err)))
        return rc;
    /* unit filter: one unit or its subtree, by code range of the depth-first order */
    char *unit_list = NULL;
    if (unit) {
        struct gf_units u;
        if ((rc = gf_units_load(db, &u, &cli->err))) {
            gf_db_close(db);
            return rc;
        }
        int a = gf_units_find(&u, unit);
        if (a < 0) {
            gf_units_free(&u);
            gf_db_close(db);
            return gf_err_set(&cli->err, GF_EUSER, "--unit \"%s\": no such unit", unit);
        }
        int last = under ? a + u.unit[a].subtree_size : a + 1;
        size_t cap = 16, len = 0;
        unit_list = malloc(cap);
        unit_list[0] = 0;
        for (int k = a; k < last; k++) {
            size_t need = len + strlen(u.unit[k].code) + 2;
            if (need >= cap) {
                cap = need * 2;
                unit_list = realloc(unit_list, cap);
            }
            len += (size_t)sprintf(unit_list + len, ",%s", u.unit[k].code);
        }
        strcat(unit_list, ",");
        gf_units_free(&u);
    }
    static const struct gf_column cols[] = {
        {"unit", "单位代码", "unit"},        {"unit_name", "单位", "unit name"},
        {"indicator", "指标代码", "indicator"}, {"indicator_name", "指标", "indicator name"},
        {"period", "期别", "period"},        {"value", "数值", "value"},
        {"unit_of_measure", "计量单位", "unit of measure"}, {"origin", "来源类型", "origin"},
        {"source", "数据来源", "source"},     {"state", "状态", "state"},
    };
    const char *sql =
        "SELECT v.unit, CASE WHEN ?6 = 'en' THEN coalesce(u.name_en, u.name) ELSE u.name END,"
        " v.indicator, CASE WHEN ?6 = 'en' THEN coalesce(d.name_en, d.name) ELSE d.name END, v.period, v.value, d.unit_of_measure,"
        " v.origin, v.source, v.state FROM value v JOIN unit u ON u.code = v.unit"
        " JOIN indicator d ON d.code = v.indicator"
        " WHERE (?1 IS NULL OR instr(?1, ',' || v.unit || ',') > 0)"
        " AND (?2 IS NULL OR v.indicator = ?2) AND (?3 IS NULL OR v.period = ?3)"
        " AND (?4 IS NULL OR v.indicator IN (SELECT code FROM framework_node WHERE framework = ?4))"
        " AND (?5 IS NULL OR v.origin = ?5)"
        " ORDER BY u.level, v.unit, v.indicator, v.period";
    const char *params[] = {unit_list, ind, period, fw, origin, cli->lang};
    static const char *const numeric[] = {"value", NULL};
    rc = gf_cli_print_query(cli, db, sql, params, 6, cols, 10, numeric, stdout, cli->format);
    free(unit_list);
    gf_db_close(db);
    return rc;
}
