/* cmd_demo.c — `gongfu demo`: build the Panzhihua demo database and print its summary.
 *
 * The database is built in a temporary file next to the target and renamed into place at the
 * end, so an interrupted demo never leaves a half-built database behind; an existing database
 * that is not a demo database is never replaced. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/demo_build.h"
#include "domain/import.h"
#include "domain/values.h"
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

static void remove_db(const char *path)
{
    char buf[4096];
    unlink(path);
    snprintf(buf, sizeof buf, "%s-wal", path);
    unlink(buf);
    snprintf(buf, sizeof buf, "%s-shm", path);
    unlink(buf);
}

/* 1 if path does not exist or is a demo database (safe to replace). */
static int replaceable(const char *path, struct gf_err *e)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return 1;
    struct gf_db *db;
    if (gf_db_open_existing(&db, path, e))
        return 0;
    int demo = gf_db_int(db, "SELECT value = '1' FROM meta WHERE key = 'demo'", 0) == 1;
    gf_db_close(db);
    if (!demo)
        gf_err_set(e, GF_EUSER,
                   "%s exists and is not a demo database: it is left alone (use --db OTHER.db, or "
                   "move it away)",
                   path);
    return demo;
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
        puts(L(cli, "用法: gongfu demo [--db 路径]\n\n"
                    "生成攀枝花共同富裕试验区演示数据库:市、5 个县(区)及其乡镇、约 230 个村(社区),\n"
                    "\"1+8+3\" 工作体系, 按八个市级样板构建的可编辑指标体系模板, 浙江 2025 年目标模板,\n"
                    "以及 2019–2025 年指标数据(公开发布的真实数据注明来源,其余为合成数据并标注 synthetic)。\n"
                    "已存在的非演示数据库不会被覆盖。",
               "usage: gongfu demo [--db PATH]\n\n"
               "Build the Panzhihua pilot-zone demo database: the city, its 5 counties with townships and\n"
               "about 230 villages, the \"1+8+3\" organisation, an editable framework template on the eight\n"
               "municipal samples, Zhejiang's 2025 targets, and values 2019–2025 (real published figures\n"
               "with their source; everything else synthetic and labelled so). An existing database that\n"
               "is not a demo database is never replaced."));
        return 0;
    }
    if (argc > 1)
        return gf_cli_usage(cli, "demo: unexpected argument '%s'", argv[1]);
    double t0 = now_s();
    if (!replaceable(cli->db_path, &cli->err))
        return GF_EUSER;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.building", cli->db_path);
    remove_db(tmp);
    struct gf_db *db;
    int rc = gf_db_open(&db, tmp, &cli->err);
    if (rc)
        return rc;
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
    for (size_t i = 0; i < sizeof files / sizeof files[0] && rc == GF_OK; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", demo_dir(), files[i].file);
        struct gf_import_stats s;
        rc = gf_import_file(db, gf_import_kind_find(files[i].kind), path, &o, &s, &cli->err);
        if (rc == GF_OK)
            fprintf(stderr, L(cli, "  导入 %-26s %6ld 行\n", "  imported %-24s %6ld rows\n"), files[i].file, s.rows);
    }
    if (rc == GF_OK)
        rc = gf_demo_build(db, "demo", &cli->err);
    if (rc == GF_OK) {
        struct gf_rollup_stats rs;
        rc = gf_values_rollup(db, "demo", NULL, &rs, &cli->err);
    }
    if (rc == GF_OK)
        rc = gf_db_exec(db, "INSERT INTO meta VALUES ('demo', '1') ON CONFLICT (key) DO UPDATE SET value = '1'",
                        &cli->err);
    if (rc == GF_OK)
        rc = gf_db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", &cli->err);
    gf_db_close(db);
    if (rc) {
        remove_db(tmp);
        gf_err_prefix(&cli->err, "demo");
        return rc;
    }
    remove_db(cli->db_path);
    if (rename(tmp, cli->db_path) != 0) {
        remove_db(tmp);
        return gf_err_set(&cli->err, GF_ESYS, "demo: cannot move %s into place", tmp);
    }
    snprintf(tmp + strlen(tmp), sizeof tmp - strlen(tmp), "-wal");
    unlink(tmp);
    if ((rc = gf_db_open_existing(&db, cli->db_path, &cli->err)))
        return rc;
    summary(cli, db, now_s() - t0);
    gf_db_close(db);
    return 0;
}
