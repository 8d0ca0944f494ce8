/* cmd_demo.c — `gongfu demo`: build the Panzhihua demo database and print its summary.
 *
 * The demo is built inside one transaction of the target database, whose write lock is taken
 * before anything is read or replaced: a command writing at the same time either finishes first
 * (then the database is no longer an untouched demo and is left alone) or waits and writes into
 * the new demo.  An interrupted demo changes nothing.  Without --force only an untouched demo or
 * an empty database is replaced; a read-only file never is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "domain/demo_build.h"
#include "domain/import.h"
#include "domain/values.h"
#include "service/demo_users.h"
#include "store/db.h"

#ifndef GONGFU_SOURCE_DIR
#define GONGFU_SOURCE_DIR "."
#endif

static const char *demo_dir(void)
{
    const char *d = getenv("GONGFU_DEMO_DIR");
    return d && *d ? d : GONGFU_SOURCE_DIR "/demo";
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* 1 if the database may be replaced without --force: it holds nothing, or an untouched demo —
 * the demo's marker and no audit record after the demo's own (every change is audited: an
 * import, an edit, a saved evaluation).  0 if not, < 0 on error.  Call it holding the write
 * lock, so that nothing changes between this answer and the replacement. */
static int replaceable(struct gf_db *db, struct gf_err *e)
{
    if (gf_db_int(db, "SELECT count(*) FROM meta WHERE key = 'demo' AND value = '1'", 0) == 0) {
        int holds = gf_db_holds_data(db, e);
        return holds < 0 ? holds : !holds;
    }
    int64_t later = gf_db_int(db,
                              "SELECT count(*) FROM audit WHERE id > (SELECT CAST(value AS INTEGER)"
                              " FROM meta WHERE key = 'demo_audit')",
                              -1);
    if (gf_db_int(db, "SELECT count(*) FROM meta WHERE key = 'demo_audit'", 0) == 0)
        /* built before the demo kept its mark: the demo records everything as 'demo' (and its
         * approvals as 'demo-reviewer') */
        later = gf_db_int(db, "SELECT count(*) FROM audit WHERE actor NOT IN ('demo', 'demo-reviewer')",
                          -1);
    if (later < 0)
        return gf_err_set(e, GF_ESYS, "database: cannot read the audit trail");
    return later == 0;
}

/* Fill the (cleared) database with the demo; the caller's transaction keeps all or nothing. */
static int build(struct gf_cli *cli, struct gf_db *db)
{
    static const struct {
        const char *kind, *file;
    } files[] = {
        {"units", "units.csv"},
        {"teams", "teams.csv"},
        {"departments", "departments.csv"},
        {"people", "people.csv"},
        {"framework", "framework-panzhihua.csv"},
        {"framework", "framework-zhejiang.csv"},
        {"values", "values-published.csv"},
    };
    struct gf_import_opts o = {0, "demo", NULL, NULL};
    int rc = GF_OK;
    for (size_t i = 0; i < sizeof files / sizeof files[0] && rc == GF_OK; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", demo_dir(), files[i].file);
        struct gf_import_stats s;
        rc = gf_import_file(db, gf_import_kind_find(files[i].kind), path, &o, &s, &cli->err);
        if (rc == GF_OK)
            fprintf(stderr, L(cli, "  导入 %-26s %6ld 行\n", "  imported %-24s %6ld rows\n"),
                    files[i].file, s.rows);
    }
    if (rc == GF_OK) { /* the published figures come submitted; someone else approves them */
        long approved;
        rc = gf_values_set_state(db, "demo-reviewer", NULL, 0, NULL, NULL, "approved", &approved,
                                 &cli->err);
    }
    if (rc == GF_OK)
        rc = gf_demo_build(db, "demo", &cli->err);
    if (rc == GF_OK) {
        struct gf_rollup_stats rs;
        rc = gf_values_rollup(db, "demo", NULL, &rs, &cli->err);
    }
    if (rc == GF_OK)
        rc = gf_demo_users(db, &cli->err);
    /* the marker, and the last audit record the demo wrote: anything after it is the user's */
    if (rc == GF_OK)
        rc = gf_db_exec(db,
                        "INSERT INTO meta VALUES ('demo', '1'), ('demo_audit',"
                        " (SELECT coalesce(max(id), 0) FROM audit))",
                        &cli->err);
    return rc;
}

static void summary(struct gf_cli *cli, struct gf_db *db, double secs)
{
    printf(L(cli, "\n攀枝花演示数据库已生成: %s (%.1f 秒)\n\n", "\nPanzhihua demo database built: %s (%.1f s)\n\n"),
           cli->db_path, secs);
    struct gf_stmt *st;
    if (gf_db_prepare(db,
                      "SELECT l.name_zh, l.name_en, count(u.code) FROM unit_level l LEFT JOIN unit u"
                      " ON u.level = l.level GROUP BY l.level ORDER BY l.level",
                      &st, NULL) == GF_OK) {
        printf("%s\n", L(cli, "单位:", "units:"));
        while (gf_stmt_step(st, NULL) == 1)
            printf("  %-12s %lld\n", L(cli, gf_stmt_text(st, 0), gf_stmt_text(st, 1)),
                   (long long)gf_stmt_int(st, 2));
        gf_stmt_finalize(st);
    }
    if (gf_db_prepare(db,
                      "SELECT f.code, f.name, f.name_en, (SELECT count(*) FROM framework_node n WHERE"
                      " n.framework = f.code AND n.kind = 'indicator') FROM framework f ORDER BY f.code",
                      &st, NULL) == GF_OK) {
        printf("%s\n", L(cli, "评价指标体系:", "frameworks:"));
        while (gf_stmt_step(st, NULL) == 1)
            printf(L(cli, "  %-12s %s: %lld 个指标\n", "  %-12s %s: %lld indicators\n"), gf_stmt_text(st, 0),
                   L(cli, gf_stmt_text(st, 1), gf_stmt_text(st, 2) ? gf_stmt_text(st, 2) : gf_stmt_text(st, 1)),
                   (long long)gf_stmt_int(st, 3));
        gf_stmt_finalize(st);
    }
    long long real = gf_db_int(db, "SELECT count(*) FROM value WHERE origin = 'reported' AND"
                                   " coalesce(source, '') NOT LIKE '%synthetic%'", 0);
    long long synth = gf_db_int(db, "SELECT count(*) FROM value WHERE source LIKE '%synthetic%'", 0);
    long long comp = gf_db_int(db, "SELECT count(*) FROM value WHERE origin IN ('rollup','derived','computed')", 0);
    printf(L(cli, "指标数据: 公开发布的真实数据 %lld 条, 合成数据 %lld 条(来源标注 synthetic), 汇总/计算 %lld 条\n",
             "values: %lld real published, %lld synthetic (source says synthetic), %lld rolled up / computed\n"),
           real, synth, comp);
    printf(L(cli, "低收入家庭监测: %lld 户(合成), 四张清单事项 %lld 项(合成), 住户收入抽样 %lld 户(合成), 评价运行 %lld 次\n",
             "low-income registry: %lld households (synthetic), list items: %lld (synthetic), income survey: %lld households (synthetic), evaluation runs: %lld\n"),
           (long long)gf_db_int(db, "SELECT count(*) FROM household", 0),
           (long long)gf_db_int(db, "SELECT count(*) FROM list_item", 0),
           (long long)gf_db_int(db, "SELECT count(*) FROM income_microdata", 0),
           (long long)gf_db_int(db, "SELECT count(*) FROM eval_run", 0));
    printf("%s", L(cli,
                   "\n下一步可以运行:\n"
                   "  gongfu units                         查看行政区划\n"
                   "  gongfu values --unit 510400 --period 2023   查看市级指标\n"
                   "  gongfu eval --period 2024            综合评价与排名\n"
                   "  gongfu stats --db --period 2024      收入分配(基尼系数、低收入、中等收入群体)\n"
                   "  gongfu households report --unit 510400   低收入家庭监测覆盖情况\n"
                   "  gongfu race --period 2024            赛马争先与红黑榜\n"
                   "  gongfu help                          全部命令\n",
                   "\nWhat to run next:\n"
                   "  gongfu units                         the administrative units\n"
                   "  gongfu values --unit 510400 --period 2023   city indicators\n"
                   "  gongfu eval --period 2024            evaluation and ranking\n"
                   "  gongfu stats --db --period 2024      income distribution (Gini, low income, middle income)\n"
                   "  gongfu households report --unit 510400   low-income household coverage\n"
                   "  gongfu race --period 2024            horse race, red and black lists\n"
                   "  gongfu help                          every command\n"));
}

int cmd_demo(struct gf_cli *cli, int argc, char **argv)
{
    if (gf_cli_wants_help(argc, argv)) {
        puts(L(cli, "用法: gongfu demo [--db 路径] [--force]\n\n"
                    "生成攀枝花共同富裕试验区演示数据库:市、5 个县(区)及其乡镇、约 230 个村(社区),\n"
                    "\"1+8+3\" 工作体系, 按八个市级样板构建的可编辑指标体系模板, 浙江 2025 年目标模板,\n"
                    "以及 2019–2025 年指标数据(公开发布的真实数据注明来源,其余为合成数据并标注 synthetic)。\n"
                    "只替换空数据库或未经改动的演示数据库(演示生成后没有任何导入或修改);\n"
                    "其他数据库须加 --force 才会被替换。只读文件不会被替换。",
               "usage: gongfu demo [--db PATH] [--force]\n\n"
               "Build the Panzhihua pilot-zone demo database: the city, its 5 counties with townships and\n"
               "about 230 villages, the \"1+8+3\" organisation, an editable framework template on the eight\n"
               "municipal samples, Zhejiang's 2025 targets, and values 2019–2025 (real published figures\n"
               "with their source; everything else synthetic and labelled so). Only an empty database or\n"
               "an untouched demo (nothing imported or changed since it was built) is replaced; any other\n"
               "needs --force. A read-only file is never replaced."));
        return 0;
    }
    int force = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--force"))
            force = 1;
        else
            return gf_cli_usage(cli, "demo: unexpected argument '%s'", argv[i]);
    }
    double t0 = now_s();
    struct gf_db *db;
    int rc = gf_db_open(&db, cli->db_path, &cli->err);
    if (rc)
        return rc;
    /* the write lock first: from here nobody else changes the database until the commit */
    if ((rc = gf_db_begin(db, &cli->err))) {
        gf_db_close(db);
        gf_err_prefix(&cli->err, "demo");
        return rc;
    }
    int ok = force ? 1 : replaceable(db, &cli->err);
    if (ok < 0)
        rc = ok;
    else if (!ok)
        rc = gf_err_set(&cli->err, GF_EUSER,
                        L(cli,
                          "%s 中有演示以外的数据(导入、修改或非演示数据库),未做任何改动:"
                          "换一个 --db 路径,或确认可以丢弃这些数据后加 --force",
                          "%s holds data that is not an untouched demo (imports, changes, or not a "
                          "demo database): nothing was changed; use --db OTHER.db, or --force if "
                          "that data may be thrown away"),
                        cli->db_path);
    if (rc == GF_OK && (rc = gf_db_clear(db, &cli->err)) == GF_OK)
        rc = build(cli, db);
    if (rc == GF_OK)
        rc = gf_db_commit(db, &cli->err);
    else
        gf_db_rollback(db);
    if (rc) {
        gf_db_close(db);
        if (ok > 0)
            gf_err_prefix(&cli->err, "demo");
        return rc;
    }
    gf_db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL); /* one self-contained file */
    summary(cli, db, now_s() - t0);
    gf_db_close(db);
    return 0;
}
