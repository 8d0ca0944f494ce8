/* cmd_export.c — `gongfu export KIND [-o FILE]`: write data in the import formats (round trip).
 * Personal data (people's phones; ID numbers, phones and household names inside audit records)
 * is masked unless --unmasked, which is recorded in the audit log before anything is written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/query.h"
#include "domain/audit.h"
#include "domain/household.h"

struct export_kind {
    const char *name;
    const char *sql;
    const char *cols; /* comma-separated column codes = the import format's columns */
    const char *numeric;
    const char *entity; /* whose columns these are, when they may hold personal data (masked) */
};

/* The audit kind: its before/after columns are records of the entity in column AUDIT_ENTITY. */
#define AUDIT_ENTITY 4

static const struct export_kind kinds[] = {
    {"units",
     "SELECT u.code, u.name, u.name_en, u.parent, l.code, u.area, u.population, u.note FROM unit u"
     " JOIN unit_level l ON l.level = u.level ORDER BY u.level, u.code",
     "code,name,name_en,parent,level,area,population,note", "population", NULL},
    {"teams", "SELECT code, name, name_en, kind, note FROM team ORDER BY code",
     "code,name,name_en,kind,note", "", NULL},
    {"departments", "SELECT code, name, name_en, team, unit FROM department ORDER BY code",
     "code,name,name_en,team,unit", "", NULL},
    {"people", "SELECT code, name, department, team, unit, title, phone FROM person ORDER BY code",
     "code,name,department,team,unit,title,phone", "", "person"},
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
     "target_level",
     NULL},
    {"values",
     "SELECT unit, indicator, period, value, source, state FROM value WHERE origin = 'reported'"
     " ORDER BY unit, indicator, period",
     "unit,indicator,period,value,source,state", "value", NULL},
    {"audit", "SELECT id, at, actor, action, entity, key, before, after FROM audit ORDER BY id",
     "id,at,actor,action,entity,key,before,after", "id", "audit"},
};

struct mask_ctx {
    const struct export_kind *kind;
    const struct gf_column *cols;
};

static char *mask_cell(void *vctx, struct gf_stmt *row, int col)
{
    const struct mask_ctx *m = vctx;
    const char *code = m->cols[col].code, *text = gf_stmt_text(row, col);
    if (!strcmp(m->kind->entity, "audit"))
        return strcmp(code, "before") && strcmp(code, "after")
                   ? NULL
                   : gf_hh_mask_record(gf_stmt_text(row, AUDIT_ENTITY), text);
    enum gf_hh_personal kind = gf_hh_personal_field(m->kind->entity, code);
    if (kind == GF_HH_NOT_PERSONAL)
        return NULL;
    char buf[256];
    gf_hh_mask(kind, text, buf, sizeof buf);
    return strdup(buf);
}

int cmd_export(struct gf_cli *cli, int argc, char **argv)
{
    size_t nk = sizeof kinds / sizeof kinds[0];
    if (gf_cli_wants_help(argc, argv)) {
        puts(
            L(cli,
              "用法: gongfu export 类型 [-o 文件] [--format csv|json] [--unmasked]\n\n"
              "按导入格式导出数据(默认 CSV),可直接再导入。个人信息(people 的电话, audit\n"
              "记录中的身份证号、电话和户主、成员姓名)默认脱敏; --unmasked 显示原文并记入\n"
              "审计日志。类型:",
              "usage: gongfu export KIND [-o FILE] [--format csv|json] [--unmasked]\n\n"
              "Write data in the import format (CSV by default), ready to import again. Personal\n"
              "data (people's phones; ID numbers, phones and household names in audit records) is\n"
              "masked unless --unmasked, which is recorded in the audit log. Kinds:"));
        for (size_t i = 0; i < nk; i++)
            printf("  %s\n", kinds[i].name);
        return 0;
    }
    const char *kind = NULL, *outpath = NULL;
    int unmasked = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--unmasked"))
            unmasked = 1;
        else if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
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
    if (unmasked && !k->entity)
        return gf_cli_usage(
            cli, "export %s: --unmasked applies to people and audit (%s hold no personal data)",
            k->name, k->name);
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
    struct gf_db *db; /* an unmasked export writes its audit record: it needs to write */
    int rc = unmasked ? gf_db_open_existing(&db, cli->db_path, &cli->err)
                      : gf_db_open_read(&db, cli->db_path, &cli->err);
    if (rc)
        return rc;
    struct mask_ctx mc = {k, cols};
    struct gf_table *t =
        gf_cli_query_table(cli, db, k->sql, NULL, 0, cols, nc, (const char *const *)numeric,
                           k->entity && !unmasked ? mask_cell : NULL, &mc, &rc);
    if (t && unmasked) { /* recorded before anything is written */
        char what[64];
        snprintf(what, sizeof what, "export %s", k->name);
        rc = gf_audit_read(db, cli->user, what, k->entity, NULL,
                           !strcmp(k->entity, "audit") ? GF_HH_PERSONAL_FIELDS : "phone",
                           gf_table_rows(t), &cli->err);
    }
    gf_db_close(db);
    struct gf_outfile of = {stdout, NULL, NULL};
    if (t && rc == GF_OK && outpath)
        rc = gf_cli_output_open(cli, outpath, &of);
    if (t && rc == GF_OK) {
        gf_table_print(t, of.fp, fmt, cli->lang);
        if (outpath)
            rc = gf_outfile_commit(&of, &cli->err);
    }
    gf_table_free(t);
    return rc;
}
