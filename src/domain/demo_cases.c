/* demo_cases.c — the synthetic case library and training records of the demo (gf_demo_cases).
 *
 * Twelve cases across themes (共同富裕, 集体经济, 低收入帮扶, 数字化, 山海协作, 乡村振兴,
 * 公共服务) in the demo's counties and a village, each showing a few of the demo's list items
 * (the first items of each county's lists, which every demo has) and indicators; six are
 * published, three recommended, three still drafts.  Ten trainings of 2025 and 2026 organised by
 * the work teams or the counties, each attended by a deterministic slice of the demo's people
 * (demo/people.csv: codes P0001…).  Every record says "synthetic" in its note: none of it happened. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/cases.h"
#include "domain/demo_build.h"
#include "domain/import.h"

#define NOTE "合成演示数据 synthetic demo record"

static const char cases_csv[] =
    "code,title,unit,themes,summary,date,note,items,indicators\n"
    "CASE01,米易县强村公司带动村集体增收,510421001001,\"集体经济,共同富裕\","
    "\"村集体组建强村公司,统一经营闲置资产,村集体经营性收入三年翻番(合成)\",2025-06-18," NOTE
    ",510421-P001,\"collective_income_village,income_rural\"\n"
    "CASE02,盐边县飞地抱团发展模式,510422,\"集体经济,山海协作\","
    "\"多村联合入股县城飞地厂房,按股分红(合成)\",2025-08-02," NOTE
    ",510422-P001,collective_income_village\n"
    "CASE03,仁和区低收入家庭精准帮扶,510411,\"低收入帮扶,共同富裕\","
    "\"部门结对、干部包户,动态监测预警与闭环帮扶(合成)\",2025-09-10," NOTE
    ",\"510411-T001,510411-T002\",lowincome_paired_rate\n"
    "CASE04,东区一网通办数字化改革,510402,\"数字化,公共服务\","
    "\"政务服务一网通办,办事时长压缩一半(合成)\",2025-05-20," NOTE
    ",510402-R001,gov_online_rate\n"
    "CASE05,西区与浙江结对山海协作产业园,510403,\"山海协作,共同富裕\","
    "\"与浙江结对共建产业园,引入项目和资金(合成)\",2025-11-05," NOTE
    ",\"510403-P001,510403-U001\",gdp\n"
    "CASE06,米易县数字乡村建设,510421,\"数字化,乡村振兴\","
    "\"村级数字化治理平台覆盖全部行政村(合成)\",2025-10-12," NOTE
    ",510421-R001,income_rural\n"
    "CASE07,盐边县村集体资产清理盘活,510422,集体经济,"
    "\"清理闲置集体资产,发包收入增长(合成)\",2026-01-15," NOTE
    ",510422-R001,collective_income_village\n"
    "CASE08,仁和区收入分配制度改革探索,510411,共同富裕,"
    "\"扩中提低,增加城乡居民财产性收入(合成)\",2026-02-20," NOTE
    ",510411-R001,income_pc\n"
    "CASE09,东区困难群众救助一件事,510402,\"低收入帮扶,数字化\","
    "\"救助事项一件事联办(合成)\",2026-03-08," NOTE
    ",510402-T001,lowincome_paired_rate\n"
    "CASE10,西区公共服务优质共享,510403,公共服务,"
    "\"城乡学校结对、医联体下沉(合成)\",2026-03-30," NOTE
    ",510403-T001,\n"
    "CASE11,米易县山海协作消费帮扶,510421,\"山海协作,低收入帮扶\","
    "\"特色农产品进入浙江市场(合成)\",2026-04-12," NOTE
    ",510421-U001,income_rural\n"
    "CASE12,攀枝花市共同富裕试验区建设综述,510400,\"共同富裕,乡村振兴,集体经济\","
    "\"试验区建设总体情况(合成)\",2026-04-28," NOTE
    ",,\"income_pc,collective_income_village\"\n";

/* the cases moved on: recommended on the first date, published on the second (NULL: not yet) */
static const struct {
    const char *code, *recommended, *published;
} moves[] = {
    {"CASE01", "2025-07-01", "2025-07-20"}, {"CASE02", "2025-08-20", "2025-09-05"},
    {"CASE03", "2025-09-25", "2025-10-10"}, {"CASE04", "2025-06-05", "2025-06-30"},
    {"CASE05", "2025-11-20", "2025-12-10"}, {"CASE06", "2025-10-30", "2025-11-15"},
    {"CASE07", "2026-02-01", NULL},         {"CASE08", "2026-03-01", NULL},
    {"CASE09", "2026-03-20", NULL},
};

static const char trainings_csv[] =
    "code,course,start,end,team,unit,place,note\n"
    "TR2025-01,共同富裕试验区建设专题培训班(赴浙江大学学习),2025-04-14,2025-04-18,T00,510400,"
    "浙江大学," NOTE "\n"
    "TR2025-02,村级集体经济发展实务培训,2025-05-20,2025-05-21,T04,510421,米易县党校," NOTE "\n"
    "TR2025-03,低收入人口动态监测与帮扶培训,2025-06-10,2025-06-11,T04,,市委党校," NOTE "\n"
    "TR2025-04,数字化改革能力提升培训,2025-07-08,2025-07-09,T01,,市委党校," NOTE "\n"
    "TR2025-05,山海协作项目对接培训,2025-09-16,2025-09-19,T03,510422,浙江," NOTE "\n"
    "TR2025-06,收入分配制度改革政策解读,2025-10-21,2025-10-21,T05,,线上," NOTE "\n"
    "TR2025-07,公共服务优质共享业务培训,2025-11-12,2025-11-13,T06,510403,西区," NOTE "\n"
    "TR2026-01,四张清单与赛马比拼操作培训,2026-02-24,2026-02-24,T11,510400,市政务中心," NOTE "\n"
    "TR2026-02,典型案例挖掘与宣传培训,2026-03-17,2026-03-18,T10,,市委党校," NOTE "\n"
    "TR2026-03,乡村振兴带头人培训,2026-04-21,2026-04-24,T04,510411,仁和区," NOTE "\n";

static int import_text(struct gf_db *db, const char *actor, const char *kind, const char *text,
                       size_t len, struct gf_err *e)
{
    FILE *fp = fmemopen((void *)text, len, "rb");
    if (!fp)
        return gf_err_set(e, GF_ENOMEM, "demo %s: cannot read the built-in data", kind);
    struct gf_import_opts o = {0};
    o.actor = actor;
    o.format = "csv";
    struct gf_import_stats s;
    int rc = gf_import_stream(db, gf_import_kind_find(kind), fp, kind, &o, &s, e);
    fclose(fp);
    return rc;
}

/* Attendees: training k (0-based) takes every person whose position in code order is k mod 7,
 * plus every fifth person for the first training (the study trip), up to 40 each. */
static int attendees(struct gf_db *db, const char *actor, struct gf_err *e)
{
    struct gf_stmt *st;
    int rc = gf_db_prepare(db, "SELECT code FROM person WHERE code LIKE 'P____' AND substr(code, 2, 1) BETWEEN '0' AND '9' ORDER BY code", &st, e);
    if (rc)
        return rc;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    if (!buf) {
        gf_stmt_finalize(st);
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    }
    static const char *const tr[] = {"TR2025-01", "TR2025-02", "TR2025-03", "TR2025-04",
                                     "TR2025-05", "TR2025-06", "TR2025-07", "TR2026-01",
                                     "TR2026-02", "TR2026-03"};
    int count[10] = {0};
    len += (size_t)snprintf(buf, cap, "training,person\n");
    for (int i = 0; (rc = gf_stmt_step(st, e)) == 1; i++) {
        const char *p = gf_stmt_text(st, 0);
        for (int k = 0; k < 10; k++) {
            int take = i % 7 == k % 7 || (k == 0 && i % 5 == 0);
            if (!take || count[k] >= 40 || len + 128 >= cap)
                continue;
            count[k]++;
            len += (size_t)snprintf(buf + len, cap - len, "%s,%s\n", tr[k], p);
        }
    }
    gf_stmt_finalize(st);
    if (rc >= 0)
        rc = import_text(db, actor, "training_attendees", buf, len, e);
    free(buf);
    return rc;
}

int gf_demo_cases(struct gf_db *db, const char *actor, struct gf_err *e)
{
    int rc;
    char today[32];
    /* the cases' dates are of things that happened: a clock set before the last of them
     * (GONGFU_NOW) gets no cases */
    if (strcmp(gf_today(today), "2026-04-28") < 0)
        goto trainings;
    if ((rc = import_text(db, actor, "cases", cases_csv, sizeof cases_csv - 1, e)))
        return rc;
    for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++) {
        char from[16], to[16];
        if ((rc = gf_case_advance(db, actor, moves[i].code, "recommended", moves[i].recommended,
                                  from, to, e)))
            return rc;
        if (moves[i].published &&
            (rc = gf_case_advance(db, actor, moves[i].code, "published", moves[i].published, from,
                                  to, e)))
            return rc;
    }
    {
        static const char note[] =
            "米易县强村公司带动村集体增收 — 案例说明(合成演示数据, synthetic demo record)\n"
            "做法: 村集体组建强村公司, 统一经营闲置资产; 收益按股分红到户。\n";
        if ((rc = gf_case_attach(db, actor, "CASE01", "说明.txt", note, sizeof note - 1, e)))
            return rc;
    }
trainings:
    if ((rc = import_text(db, actor, "trainings", trainings_csv, sizeof trainings_csv - 1, e)))
        return rc;
    return attendees(db, actor, e);
}
