/* cmd_export.c — `gongfu export KIND [-o FILE]`: write data in the import formats (round trip). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/query.h"

struct export_kind {
    const char *name;
    const char *sql;
    const char *cols; /* comma-separated column codes = the import format's columns */
    const char *numeric;
};

static const struct export_kind kinds[] = {
    {"units",
     "SELECT u.code, u.name, u.name_en, u.parent, l.code, u.area, u.population, u.note FROM unit u"
     " JOIN unit_level l ON l.level = u.level ORDER BY u.level, u.code",
     "code,name,name_en,parent,level,area,population,note", "population"},
    {"teams", "SELECT code, name, name_en, kind, note FROM team ORDER BY code",
     "code,name,name_en,kind,note", ""},
    {"departments", "SELECT code, name, name_en, team, unit FROM department ORDER BY code",
     "code,name,name_en,team,unit", ""},
    {"people", "SELECT code, name, department, team, unit, title, phone FROM person ORDER BY code",
     "code,name,department,team,unit,title,phone", ""},
    {"framework",
     "SELECT n.framework, CASE WHEN n.kind = 'index' THEN f.name END,"
     " CASE WHEN n.kind = 'index' THEN f.name_en END, n.code, n.parent, n.kind,"
     " coalesce(n.name, d.name), coalesce(n.name_en, d.name_en), n.weight, d.unit_of_measure,"
     " d.direction, d.band_lo, d.band_hi, d.agg_time, d.agg_units, d.formula, d.source, d.team,"
     " n.baseline, n.baseline_year,"
     " (SELECT value FROM target t WHERE t.framework = n.framework AND t.indicator = n.code AND year = 2025),"
     " (SELECT value FROM target t WHERE t.framework = n.framework AND t.indicator = n.code AND year = 2027),"
     " (SELECT value FROM target t WHERE t.framework = n.framework AND t.indicator = n.code AND year = 2030),"
     " (SELECT value FROM target t WHERE t.framework = n.framework AND t.indicator = n.code AND year = 2035),"
     " n.target_level, n.target_scale, d.description"
     " FROM framework_node n JOIN framework f ON f.code = n.framework"
     " LEFT JOIN indicator d ON d.code = n.code AND n.kind = 'indicator'"
     " ORDER BY n.framework, n.position",
     "framework,framework_name,framework_name_en,code,parent,kind,name,name_en,weight,"
     "unit_of_measure,direction,band_lo,band_hi,agg_time,agg_units,formula,source,team,baseline,"
     "baseline_year,target_2025,target_2027,target_2030,target_2035,target_level,target_scale,"
     "description",
     "weight,band_lo,band_hi,baseline,baseline_year,target_2025,target_2027,target_2030,target_2035,"
     "target_level"},
    {"values",
     "SELECT unit, indicator, period, value, source, state FROM value WHERE origin = 'reported'"
     " ORDER BY unit, indicator, period",
     "unit,indicator,period,value,source,state", "value"},
    {"audit", "SELECT id, at, actor, action, entity, key, before, after FROM audit ORDER BY id",
     "id,at,actor,action,entity,key,before,after", "id"},
};

int cmd_export(struct gf_cli *cli, int argc, char **argv)
{
    size_t nk = sizeof kinds / sizeof kinds[0];
    if (gf_cli_wants_help(argc, argv)) {
        puts(L(cli, "用法: gongfu export 类型 [-o 文件] [--format csv|json]\n\n"
                    "按导入格式导出数据(默认 CSV),可直接再导入。类型:",
               "usage: gongfu export KIND [-o FILE] [--format csv|json]\n\n"
               "Write data in the import format (CSV by default), ready to import again. Kinds:"));
        for (size_t i = 0; i < nk; i++)
            printf("  %s\n", kinds[i].name);
        return 0;
    }
    const char *kind = NULL, *outpath = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
            if (++i >= argc)
                return gf_cli_usage(cli, "export: -o needs a file name");
            outpath = argv[i];
        } else if (argv[i][0] == '-')
            return gf_cli_usage(cli, "export: unknown option '%s'", argv[i]);
        else if (!kind)
            kind = argv[i];
        else
            return gf_cli_usage(cli, "export: unexpected argument '%s'", argv[i]);
    }
    const struct export_kind *k = NULL;
    for (size_t i = 0; i < nk; i++)
        if (kind && !strcmp(kinds[i].name, kind))
            k = &kinds[i];
    if (!k)
        return gf_cli_usage(cli, "export: need a kind: units, teams, departments, people, framework, values, audit");
    enum gf_format fmt = cli->format_given && cli->format == GF_FMT_JSON ? GF_FMT_JSON : GF_FMT_CSV;
    struct gf_column cols[32];
    char buf[1024], *names[32];
    int nc = 0;
    snprintf(buf, sizeof buf, "%s", k->cols);
    for (char *p = strtok(buf, ","); p && nc < 32; p = strtok(NULL, ","))
        names[nc++] = p;
    for (int i = 0; i < nc; i++)
        cols[i] = (struct gf_column){names[i], NULL, NULL};
    char nbuf[512], *numeric[32];
    int nn = 0;
    snprintf(nbuf, sizeof nbuf, "%s", k->numeric);
    for (char *p = strtok(nbuf, ","); p && nn < 31; p = strtok(NULL, ","))
        numeric[nn++] = p;
    numeric[nn] = NULL;
    struct gf_db *db;
    int rc = gf_db_open_existing(&db, cli->db_path, &cli->err);
    if (rc)
        return rc;
    FILE *out = stdout;
    if (outpath && !(out = fopen(outpath, "w"))) {
        gf_db_close(db);
        return gf_err_set(&cli->err, GF_EUSER, "%s: cannot write", outpath);
    }
    rc = gf_cli_print_query(cli, db, k->sql, NULL, 0, cols, nc, (const char *const *)numeric, out, fmt);
    if (out != stdout && fclose(out) != 0 && rc == GF_OK)
        rc = gf_err_set(&cli->err, GF_ESYS, "%s: write failed", outpath);
    gf_db_close(db);
    return rc;
}
