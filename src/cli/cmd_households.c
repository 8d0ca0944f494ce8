/* cmd_households.c — `gongfu households …`: the low-income household registry, the monitoring
 * workflow (flag, identify, pair, visit, eliminate), alerts and the coverage report.
 * Personal data (names of household members and heads, ID numbers, phones) is masked in every
 * output unless --unmasked, which is recorded in the audit log before anything is printed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/audit.h"
#include "domain/household.h"
#include "domain/import.h"
#include "store/db.h"

extern const struct gf_import_kind gf_import_households, gf_import_household_members,
    gf_import_household_incomes;

/* ---- options ----------------------------------------------------------------------------- */

struct opt {
    const char *name; /* "--unit" */
    const char **val; /* for options with a value */
    int *flag;        /* for switches */
};

/* Parse argv[from..argc) into opts and positionals (at most maxpos). */
static int parse(struct gf_cli *cli, const char *sub, int argc, char **argv, int from,
                 const struct opt *opts, const char **pos, int maxpos, int *npos)
{
    *npos = 0;
    for (int i = from; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1] == '-' && a[2]) {
            const struct opt *o = NULL;
            size_t n = strcspn(a, "=");
            for (int k = 0; opts[k].name; k++)
                if (strlen(opts[k].name) == n && !strncmp(opts[k].name, a, n))
                    o = &opts[k];
            if (!o)
                return gf_cli_usage(cli,
                                    "households %s: unknown option '%s' (see `gongfu "
                                    "households %s --help`)",
                                    sub, a, sub);
            if (o->flag) {
                if (a[n])
                    return gf_cli_usage(cli, "households %s: %s takes no value", sub, o->name);
                *o->flag = 1;
            } else if (a[n] == '=')
                *o->val = a + n + 1;
            else if (i + 1 < argc)
                *o->val = argv[++i];
            else
                return gf_cli_usage(cli, "households %s: %s needs a value", sub, o->name);
        } else {
            if (*npos >= maxpos)
                return gf_cli_usage(cli, "households %s: unexpected argument '%s'", sub, a);
            pos[(*npos)++] = a;
        }
    }
    return GF_OK;
}

static int need_pos(struct gf_cli *cli, const char *sub, int npos, int want, const char *what)
{
    if (npos < want)
        return gf_cli_usage(cli, "households %s: missing %s (see `gongfu households %s --help`)",
                            sub, what, sub);
    return GF_OK;
}

static int parse_double(struct gf_cli *cli, const char *opt, const char *s, double *out)
{
    if (gf_parse_num(s, out))
        return gf_err_at(&cli->err, NULL, 0, opt, s, "a number");
    return GF_OK;
}

static int parse_int(struct gf_cli *cli, const char *opt, const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v <= 0 || v > 100000)
        return gf_err_at(&cli->err, NULL, 0, opt, s, "a positive whole number");
    *out = (int)v;
    return GF_OK;
}

/* ---- help -------------------------------------------------------------------------------- */

struct sub_help {
    const char *name, *zh, *en;
};

static const struct sub_help helps[] = {
    {"import",
     "用法: gongfu households import households|members|incomes 文件 [--dry-run] [--json|--csv]\n"
     "导入登记册: 户(code,unit,head_name,address,phone,area,size,source,note)、\n"
     "成员(household,seq,name,relation,id_number,age,health,employment,schooling)、\n"
     "收入(household,period,per_capita,wages,business,property,transfers,source)。CSV 或 JSON;"
     "全部成功或全部不变。",
     "usage: gongfu households import households|members|incomes FILE [--dry-run] [--json|--csv]\n"
     "Import the registry: households (code,unit,head_name,address,phone,area,size,source,note),\n"
     "members (household,seq,name,relation,id_number,age,health,employment,schooling),\n"
     "incomes (household,period,per_capita,wages,business,property,transfers,source). CSV or "
     "JSON; all rows or none."},
    {"list",
     "用法: gongfu households list [--unit 单位] [--category 类别] [--state 状态] [--cadre 干部]\n"
     "                             [--unmasked]\n"
     "列出监测户(含下级单位)。state: found|identified|assisted|eliminated|none。"
     "户主姓名和电话默认脱敏; --unmasked 显示原文并记入审计日志。",
     "usage: gongfu households list [--unit UNIT] [--category CAT] [--state STATE] [--cadre P]\n"
     "                             [--unmasked]\n"
     "List households (the unit and its descendants). state: found|identified|assisted|"
     "eliminated|none. Head names and phones are masked unless --unmasked (recorded in the audit "
     "log)."},
    {"show",
     "用法: gongfu households show 户编码 [--unmasked]\n显示一户: "
     "成员、收入、状态、识别步骤、历史、走访与措施。\n姓名、身份证号和电话默认脱敏; --unmasked "
     "显示原文并记入审计日志。",
     "usage: gongfu households show CODE [--unmasked]\nOne household: members, incomes, case, "
     "identification steps, history, visits and measures.\nNames, ID numbers and phones are masked "
     "unless --unmasked (recorded in the audit log)."},
    {"export",
     "用法: gongfu households export [--unit 单位] [--category 类别] [--state 状态] [--cadre "
     "干部]\n"
     "                               [--unmasked]\n"
     "按成员导出(默认 CSV)。姓名、身份证号和电话默认脱敏; --unmasked 记入审计日志。",
     "usage: gongfu households export [--unit UNIT] [--category CAT] [--state STATE] [--cadre P]\n"
     "                               [--unmasked]\n"
     "Export one row per member (CSV unless --format). Names, ID numbers and phones are masked "
     "unless "
     "--unmasked (recorded in the audit log)."},
    {"flag",
     "用法: gongfu households flag [--unit 单位] [--period 年] [--line 元] [--file 收入文件]\n"
     "                             [--channel self|cadre|department] [--date 日期] [--dry-run]\n"
     "      gongfu households flag --household 户编码 [--channel 渠道] [--risk 风险类型] [--note "
     "说明]\n"
     "      gongfu households flag --microdata --period 年 [--unit 单位] [--line 元] [--dry-run]\n"
     "找出人均可支配收入低于监测线的户并建档(状态 found);--microdata "
     "读取收入分配测算的住户微观数据\n"
     "(gongfu import households),按住户编码对应登记册;或为一户(自主申报/干部排查)建档。",
     "usage: gongfu households flag [--unit UNIT] [--period YEAR] [--line YUAN] [--file INCOMES]\n"
     "                             [--channel self|cadre|department] [--date DATE] [--dry-run]\n"
     "       gongfu households flag --household CODE [--channel CH] [--risk TYPE] [--note TEXT]\n"
     "       gongfu households flag --microdata --period YEAR [--unit UNIT] [--line YUAN] "
     "[--dry-run]\n"
     "Find the households whose per-capita income is under the monitoring line and open their "
     "case (state found); --microdata reads the income survey microdata of `gongfu stats` "
     "(gongfu import households) matched to the registry by household code; or open the case "
     "of one household (self-report, cadre screening)."},
    {"identify",
     "用法: gongfu households identify 户编码 --category 类别 [--steps all|步骤,…] [--date 日期]\n"
     "      gongfu households identify 户编码 --step 步骤 [--date 日期] [--note 说明]\n"
     "识别认定(found → identified),须完成全部识别步骤;对已消除风险户则为返贫重新识别。\n"
     "步骤: household_check 入户核查, data_compare 信息比对, village_review 民主评议,\n"
     "public_notice 村级公示, township_review 镇审核, county_decision 县级审定。",
     "usage: gongfu households identify CODE --category CAT [--steps all|STEP,…] [--date DATE]\n"
     "       gongfu households identify CODE --step STEP [--date DATE] [--note TEXT]\n"
     "Identify (found → identified) once every identification step is recorded; for an "
     "eliminated household, identify again (return to risk, 返贫).\nSteps: household_check, "
     "data_compare, village_review, public_notice, township_review, county_decision."},
    {"pair",
     "用法: gongfu households pair 户编码 --org 帮扶单位 --cadre 干部编码 [--date 日期]\n结对帮扶: "
     "落实帮扶单位和责任人(受每名干部结对上限约束)。",
     "usage: gongfu households pair CODE --org ORGANISATION --cadre PERSON [--date DATE]\nPair a "
     "household with an organisation and a cadre (within the cadre's maximum)."},
    {"visit",
     "用法: gongfu households visit 户编码 [--date 日期] [--cadre 干部] [--measure 措施] [--amount "
     "元]\n"
     "                              [--note 说明]\n"
     "记录走访或帮扶措施(employment training medical education housing subsidy industry other);\n"
     "已识别户的第一项措施使其进入帮扶中(assisted)。",
     "usage: gongfu households visit CODE [--date DATE] [--cadre P] [--measure TYPE] [--amount Y]\n"
     "                              [--note TEXT]\n"
     "Log a visit or a measure (employment training medical education housing subsidy industry "
     "other); the first measure of an identified household makes it assisted."},
    {"eliminate",
     "用法: gongfu households eliminate 户编码 [--date 日期] [--note 说明]\n"
     "风险消除(assisted → eliminated): 最近连续 N 期收入不低于监测线(设置 eliminate_periods),"
     "依据记入历史。",
     "usage: gongfu households eliminate CODE [--date DATE] [--note TEXT]\n"
     "Eliminate the risk (assisted → eliminated) when the last N income periods (setting "
     "eliminate_periods) are at or above the line; the evidence is recorded."},
    {"alerts",
     "用法: gongfu households alerts [--unit 单位] [--cadre 干部] [--rule 规则] [--date 日期]\n"
     "                               [--days N] [--months M] [--unmasked]\n"
     "预警: no_cadre 已识别未结对, no_visit 超过 N 天未走访, still_under 帮扶 M "
     "个月后仍低于监测线,\n"
     "back_under 消除风险后返回线下, cadre_over 干部结对超限。户主姓名默认脱敏(--unmasked "
     "记入审计日志)。",
     "usage: gongfu households alerts [--unit UNIT] [--cadre P] [--rule RULE] [--date DATE]\n"
     "                               [--days N] [--months M] [--unmasked]\n"
     "Open alerts: no_cadre, no_visit (N days, default 30), still_under (after M months of "
     "assistance), back_under (eliminated but under the line again), cadre_over. Head names are "
     "masked unless --unmasked (recorded in the audit log)."},
    {"report",
     "用法: gongfu households report --unit 单位 [--period 年]\n"
     "覆盖情况: 本单位及各下级单位的建档、识别、结对率、30/90 天走访率、本年消除、返贫,\n"
     "监测户人均收入与本单位人均收入之比。",
     "usage: gongfu households report --unit UNIT [--period YEAR]\n"
     "Coverage for the unit and each child: flagged, identified, paired %, visited in 30/90 "
     "days %, eliminated this year, returned to risk, monitored income against the unit's."},
    {"set",
     "用法: gongfu households set 键 值\n      gongfu households set max_households_per_cadre N "
     "--cadre 干部 (个人上限)\n设置: eliminate_periods, max_households_per_cadre, "
     "visit_days,\n"
     "assist_months, default_line, unit_income_indicator。",
     "usage: gongfu households set KEY VALUE\n       gongfu households set "
     "max_households_per_cadre N --cadre PERSON (a personal limit)\nSettings: eliminate_periods, "
     "max_households_per_cadre, visit_days,\nassist_months, default_line, unit_income_indicator."},
    {"lists",
     "用法: gongfu households lists [categories|channels|risks|measures|steps]\n"
     "      gongfu households lists 清单 代码 名称 [--en 英文名] [--position N] [--required 0|1]\n"
     "显示或修改可配置清单: 类别、发现渠道、风险类型、帮扶措施、识别步骤(--required 仅用于步骤)。",
     "usage: gongfu households lists [categories|channels|risks|measures|steps]\n"
     "       gongfu households lists LIST CODE NAME [--en NAME] [--position N] [--required 0|1]\n"
     "Show or change the configurable lists: categories, discovery channels, risk types, "
     "measures, identification steps (--required for steps only)."},
    {"lines",
     "用法: gongfu households lines [地区 urban|rural|all 起始年 金额 [--name 名称] [--source "
     "来源] [--verified]]\n"
     "显示或设置监测线(元/人·年)。地区: CN "
     "或单位编码;取所在单位最近上级地区、不晚于当年的最新一条。",
     "usage: gongfu households lines [REGION urban|rural|all FROM_YEAR AMOUNT [--name N] [--source "
     "S] [--verified]]\n"
     "Show or set monitoring lines (yuan per person a year). REGION: CN or a unit code; a "
     "household uses the nearest region above its unit, latest year not after the year asked."},
    {"demo",
     "用法: gongfu households "
     "demo\n在已有单位(村/社区)的数据库中生成合成的攀枝花监测户登记册(gongfu demo 会调用)。",
     "usage: gongfu households demo\nFill an empty registry with the synthetic Panzhihua "
     "households "
     "(needs the units; gongfu demo calls it)."},
    {NULL, NULL, NULL},
};

static int usage_all(struct gf_cli *cli)
{
    puts(L(cli, "用法: gongfu households 子命令 [参数]\n低收入家庭动态监测与结对帮扶。子命令:",
           "usage: gongfu households SUBCOMMAND [ARGS]\nLow-income household monitoring and paired "
           "assistance. Subcommands:"));
    for (int i = 0; helps[i].name; i++)
        printf("  %s\n", helps[i].name);
    puts(L(cli, "`gongfu households 子命令 --help` 查看说明。",
           "`gongfu households SUBCOMMAND --help` explains one."));
    return 0;
}

static int help_for(struct gf_cli *cli, const char *sub)
{
    for (int i = 0; helps[i].name; i++)
        if (!strcmp(helps[i].name, sub)) {
            puts(L(cli, helps[i].zh, helps[i].en));
            return 0;
        }
    return usage_all(cli);
}

/* ---- output helpers ---------------------------------------------------------------------- */

static void print_table(struct gf_cli *cli, struct gf_table *t)
{
    gf_table_print(t, stdout, cli->format, cli->lang);
    gf_table_free(t);
}

/* write: the command changes the database (an unmasked read is audited, so it writes too);
 * else it is opened read-only (read-only media) */
static int open_db(struct gf_cli *cli, struct gf_db **db, int write)
{
    return (write ? gf_db_open_existing : gf_db_open_read)(db, cli->db_path, &cli->err);
}

/* ---- import ------------------------------------------------------------------------------ */

static int sub_import(struct gf_cli *cli, int argc, char **argv)
{
    const char *pos[2];
    int npos, dry = 0, json = 0, csv = 0;
    const struct opt opts[] = {{"--dry-run", NULL, &dry},
                               {"--json", NULL, &json},
                               {"--csv", NULL, &csv},
                               {NULL, NULL, NULL}};
    int rc = parse(cli, "import", argc, argv, 2, opts, pos, 2, &npos);
    if (rc || (rc = need_pos(cli, "import", npos, 2, "KIND and FILE")))
        return rc;
    const struct gf_import_kind *k = NULL;
    if (!strcmp(pos[0], "households"))
        k = &gf_import_households;
    else if (!strcmp(pos[0], "members") || !strcmp(pos[0], "household_members"))
        k = &gf_import_household_members;
    else if (!strcmp(pos[0], "incomes") || !strcmp(pos[0], "household_incomes"))
        k = &gf_import_household_incomes;
    else
        return gf_cli_usage(cli,
                            "households import: kind '%s' is not one of households, members, "
                            "incomes",
                            pos[0]);
    struct gf_db *db;
    if ((rc = open_db(cli, &db, 1)))
        return rc;
    rc = gf_cli_import(cli, db, k, pos[1], dry, json ? "json" : csv ? "csv" : NULL);
    gf_db_close(db);
    return rc;
}

/* ---- list / export ----------------------------------------------------------------------- */

struct filters {
    const char *unit, *category, *state, *cadre;
    int unmasked;
};

static int check_filters(struct gf_cli *cli, struct gf_db *db, const struct gf_units *u,
                         const struct filters *f, int *a)
{
    *a = -1;
    if (f->unit && (*a = gf_units_find(u, f->unit)) < 0)
        return gf_err_at(&cli->err, NULL, 0, "unit", f->unit,
                         "the code of an existing unit (no such unit)");
    if (f->state) {
        static const char *const states[] = {"found",      "identified", "assisted",
                                             "eliminated", "none",       NULL};
        int ok = 0;
        for (int i = 0; states[i]; i++)
            ok |= !strcmp(states[i], f->state);
        if (!ok)
            return gf_err_at(&cli->err, NULL, 0, "state", f->state,
                             "one of: found, identified, assisted, eliminated, none");
    }
    if (f->category) {
        struct gf_stmt *st;
        int rc = gf_db_prepare(db, "SELECT 1 FROM hh_category WHERE code = ?", &st, &cli->err);
        if (rc)
            return rc;
        gf_stmt_bind_text(st, 1, f->category);
        rc = gf_stmt_step(st, &cli->err);
        gf_stmt_finalize(st);
        if (rc == 0)
            return gf_err_at(&cli->err, NULL, 0, "category", f->category,
                             "a category code: unstable, edge, sudden, urban_low, dibao, tekun "
                             "(or one added to hh_category)");
        if (rc < 0)
            return rc;
    }
    return GF_OK;
}

/* The text shown for a personal field: as stored when unmasked, else masked. */
static void shown(enum gf_hh_personal kind, const char *value, int unmasked, char *out, size_t cap)
{
    gf_hh_mask(unmasked ? GF_HH_NOT_PERSONAL : kind, value, out, cap);
}

static const char *filter_text(const struct filters *f, char *buf, size_t cap)
{
    snprintf(buf, cap, "unit=%s;category=%s;state=%s;cadre=%s", f->unit ? f->unit : "*",
             f->category ? f->category : "*", f->state ? f->state : "*", f->cadre ? f->cadre : "*");
    return buf;
}

#define FILTER_OPTS(f)                                                                             \
    {"--unit", &(f).unit, NULL}, {"--category", &(f).category, NULL},                              \
        {"--state", &(f).state, NULL}, {"--cadre", &(f).cadre, NULL},                              \
    {                                                                                              \
        "--unmasked", NULL, &(f).unmasked                                                          \
    }

static const char *LIST_SQL =
    "SELECT h.code, h.unit, u.name, h.head_name, h.phone, h.area,"
    " COALESCE(NULLIF((SELECT count(*) FROM hh_member m WHERE m.household = h.code), 0), h.size, "
    "1),"
    " COALESCE(c.state, 'none'), c.category, cat.name, cat.name_en, c.cadre, p.name,"
    " c.organisation, (SELECT max(visit_date) FROM hh_visit v WHERE v.household = h.code),"
    " (SELECT i.per_capita FROM hh_income i JOIN period pe ON pe.code = i.period"
    "   WHERE i.household = h.code ORDER BY pe.end_date DESC LIMIT 1), h.source"
    " FROM household h JOIN unit u ON u.code = h.unit"
    " LEFT JOIN hh_case c ON c.household = h.code"
    " LEFT JOIN hh_category cat ON cat.code = c.category"
    " LEFT JOIN person p ON p.code = c.cadre"
    " WHERE (? IS NULL OR c.category = ?) AND (? IS NULL OR COALESCE(c.state, 'none') = ?)"
    " AND (? IS NULL OR c.cadre = ?)"
    " ORDER BY h.unit, h.code";

static int sub_list(struct gf_cli *cli, int argc, char **argv, int export)
{
    struct filters f = {0};
    const char *pos[1];
    int npos;
    const char *sub = export ? "export" : "list";
    const struct opt opts[] = {FILTER_OPTS(f), {NULL, NULL, NULL}};
    int rc = parse(cli, sub, argc, argv, 2, opts, pos, 0, &npos);
    if (rc)
        return rc;
    struct gf_db *db;
    if ((rc = open_db(cli, &db, f.unmasked)))
        return rc;
    struct gf_units u;
    if ((rc = gf_units_load(db, &u, &cli->err))) {
        gf_db_close(db);
        return rc;
    }
    int a;
    struct gf_stmt *st = NULL, *ms = NULL;
    struct gf_table *t = NULL;
    if ((rc = check_filters(cli, db, &u, &f, &a)))
        goto out;
    if ((rc = gf_db_prepare(db, LIST_SQL, &st, &cli->err)))
        goto out;
    gf_stmt_bind_text(st, 1, f.category);
    gf_stmt_bind_text(st, 2, f.category);
    gf_stmt_bind_text(st, 3, f.state);
    gf_stmt_bind_text(st, 4, f.state);
    gf_stmt_bind_text(st, 5, f.cadre);
    gf_stmt_bind_text(st, 6, f.cadre);
    if (!export) {
        static const struct gf_column cols[] = {
            {"household", "户编码", "household"},
            {"unit", "单位", "unit"},
            {"unit_name", "单位名称", "unit name"},
            {"head", "户主", "head"},
            {"phone", "电话", "phone"},
            {"area", "城乡", "area"},
            {"persons", "人数", "persons"},
            {"state", "状态", "state"},
            {"category", "类别", "category"},
            {"cadre", "帮扶干部", "cadre"},
            {"cadre_name", "干部姓名", "cadre name"},
            {"organisation", "帮扶单位", "organisation"},
            {"last_visit", "最近走访", "last visit"},
            {"income", "最近人均收入", "latest income"},
        };
        t = gf_table_new(cols, (int)(sizeof cols / sizeof cols[0]));
    } else {
        static const struct gf_column cols[] = {
            {"household", "户编码", "household"},
            {"unit", "单位", "unit"},
            {"head", "户主", "head"},
            {"phone", "电话", "phone"},
            {"state", "状态", "state"},
            {"category", "类别", "category"},
            {"seq", "序号", "seq"},
            {"name", "姓名", "name"},
            {"relation", "与户主关系", "relation"},
            {"id_number", "身份证号", "ID number"},
            {"age", "年龄", "age"},
            {"health", "健康状况", "health"},
            {"employment", "就业状况", "employment"},
            {"schooling", "在校情况", "schooling"},
        };
        t = gf_table_new(cols, (int)(sizeof cols / sizeof cols[0]));
        if ((rc = gf_db_prepare(db,
                                "SELECT seq, name, relation, id_number, age, health, employment,"
                                " schooling FROM hh_member WHERE household = ? ORDER BY seq",
                                &ms, &cli->err)))
            goto out;
        if (!cli->format_given)
            cli->format = GF_FMT_CSV;
    }
    while ((rc = gf_stmt_step(st, &cli->err)) == 1) {
        const char *unit = gf_stmt_text(st, 1);
        int ui = gf_units_find(&u, unit);
        if (a >= 0 && (ui < 0 || !gf_units_within(&u, ui, a)))
            continue;
        char phone[64], head[256];
        shown(GF_HH_PHONE, gf_stmt_text(st, 4), f.unmasked, phone, sizeof phone);
        shown(GF_HH_NAME, gf_stmt_text(st, 3), f.unmasked, head, sizeof head);
        const char *catname = gf_stmt_text(st, cli->lang[0] == 'e' ? 10 : 9);
        if (!export) {
            gf_table_row(t);
            gf_table_text(t, 0, gf_stmt_text(st, 0));
            gf_table_text(t, 1, unit);
            gf_table_text(t, 2, gf_stmt_text(st, 2));
            gf_table_text(t, 3, head);
            gf_table_text(t, 4, phone);
            gf_table_text(t, 5, gf_stmt_text(st, 5));
            gf_table_int(t, 6, gf_stmt_int(st, 6));
            gf_table_text(t, 7, gf_stmt_text(st, 7));
            gf_table_text(t, 8,
                          cli->format == GF_FMT_TABLE && catname ? catname : gf_stmt_text(st, 8));
            gf_table_text(t, 9, gf_stmt_text(st, 11));
            gf_table_text(t, 10, gf_stmt_text(st, 12));
            gf_table_text(t, 11, gf_stmt_text(st, 13));
            gf_table_text(t, 12, gf_stmt_text(st, 14));
            gf_table_num(t, 13, gf_stmt_double(st, 15), 0);
            continue;
        }
        gf_stmt_reset(ms);
        gf_stmt_bind_text(ms, 1, gf_stmt_text(st, 0));
        while ((rc = gf_stmt_step(ms, &cli->err)) == 1) {
            char id[64], name[256];
            shown(GF_HH_ID_NUMBER, gf_stmt_text(ms, 3), f.unmasked, id, sizeof id);
            shown(GF_HH_NAME, gf_stmt_text(ms, 1), f.unmasked, name, sizeof name);
            gf_table_row(t);
            gf_table_text(t, 0, gf_stmt_text(st, 0));
            gf_table_text(t, 1, unit);
            gf_table_text(t, 2, head);
            gf_table_text(t, 3, phone);
            gf_table_text(t, 4, gf_stmt_text(st, 7));
            gf_table_text(t, 5, gf_stmt_text(st, 8));
            gf_table_int(t, 6, gf_stmt_int(ms, 0));
            gf_table_text(t, 7, name);
            gf_table_text(t, 8, gf_stmt_text(ms, 2));
            gf_table_text(t, 9, id);
            if (gf_stmt_is_null(ms, 4))
                gf_table_text(t, 10, NULL);
            else
                gf_table_int(t, 10, gf_stmt_int(ms, 4));
            gf_table_text(t, 11, gf_stmt_text(ms, 5));
            gf_table_text(t, 12, gf_stmt_text(ms, 6));
            gf_table_text(t, 13, gf_stmt_text(ms, 7));
        }
        if (rc < 0)
            goto out;
    }
    if (rc < 0)
        goto out;
    if (f.unmasked) {
        char ft[512];
        if ((rc = gf_hh_audit_read(db, cli->user, export ? "households export" : "households list",
                                   filter_text(&f, ft, sizeof ft), gf_table_rows(t), &cli->err)))
            goto out;
    }
    print_table(cli, t);
    t = NULL;
    rc = 0;
out:
    gf_table_free(t);
    gf_stmt_finalize(st);
    gf_stmt_finalize(ms);
    gf_units_free(&u);
    gf_db_close(db);
    return rc;
}

/* ---- show -------------------------------------------------------------------------------- */

/* Run a query with one text parameter into a table of the given columns; the columns holding
 * personal data (personal[i], or none when personal is NULL) are masked unless unmasked. */
static struct gf_table *query_table(struct gf_db *db, const char *sql, const char *param,
                                    const struct gf_column *cols, int ncols,
                                    const enum gf_hh_personal *personal, int unmasked,
                                    const int *numeric, struct gf_err *e, int *rc)
{
    struct gf_stmt *st;
    *rc = gf_db_prepare(db, sql, &st, e);
    if (*rc)
        return NULL;
    gf_stmt_bind_text(st, 1, param);
    struct gf_table *t = gf_table_new(cols, ncols);
    while ((*rc = gf_stmt_step(st, e)) == 1) {
        gf_table_row(t);
        for (int i = 0; i < ncols; i++) {
            if (gf_stmt_is_null(st, i)) {
                gf_table_text(t, i, NULL);
            } else if (personal && personal[i]) {
                char m[256];
                shown(personal[i], gf_stmt_text(st, i), unmasked, m, sizeof m);
                gf_table_text(t, i, m);
            } else if (numeric && numeric[i] == 1)
                gf_table_int(t, i, gf_stmt_int(st, i));
            else if (numeric && numeric[i] == 2)
                gf_table_num(t, i, gf_stmt_double(st, i), 2);
            else
                gf_table_text(t, i, gf_stmt_text(st, i));
        }
    }
    gf_stmt_finalize(st);
    if (*rc < 0) {
        gf_table_free(t);
        return NULL;
    }
    *rc = GF_OK;
    return t;
}

static int sub_show(struct gf_cli *cli, int argc, char **argv)
{
    int unmasked = 0;
    const char *pos[1];
    int npos;
    const struct opt opts[] = {{"--unmasked", NULL, &unmasked}, {NULL, NULL, NULL}};
    int rc = parse(cli, "show", argc, argv, 2, opts, pos, 1, &npos);
    if (rc || (rc = need_pos(cli, "show", npos, 1, "the household code")))
        return rc;
    const char *hh = pos[0];
    struct gf_db *db;
    if ((rc = open_db(cli, &db, unmasked)))
        return rc;
    struct gf_table *t[6] = {0};
    static const char *const titles_zh[] = {"户",       "家庭成员", "收入(元/人·年)",
                                            "识别步骤", "历史",     "走访与措施"};
    static const char *const titles_en[] = {"household",
                                            "members",
                                            "incomes (yuan per person)",
                                            "identification steps",
                                            "history",
                                            "visits and measures"};
    static const char *const keys[] = {"household", "members", "incomes",
                                       "steps",     "history", "visits"};
    static const struct gf_column c0[] = {
        {"household", "户编码", "household"},
        {"unit", "单位", "unit"},
        {"head", "户主", "head"},
        {"address", "地址", "address"},
        {"phone", "电话", "phone"},
        {"area", "城乡", "area"},
        {"state", "状态", "state"},
        {"channel", "发现渠道", "channel"},
        {"risk", "风险类型", "risk"},
        {"category", "类别", "category"},
        {"found_on", "发现日期", "found on"},
        {"identified_on", "识别日期", "identified on"},
        {"identified_by", "识别人", "identified by"},
        {"assisted_on", "帮扶开始", "assisted on"},
        {"eliminated_on", "消除日期", "eliminated on"},
        {"returns", "返贫次数", "returns"},
        {"organisation", "帮扶单位", "organisation"},
        {"cadre", "帮扶干部", "cadre"},
        {"cadre_name", "干部姓名", "cadre name"},
        {"source", "来源", "source"},
    };
    static const int n0[20] = {[15] = 1};
    static const enum gf_hh_personal p0[20] = {[2] = GF_HH_NAME, [4] = GF_HH_PHONE};
    static const struct gf_column c1[] = {
        {"seq", "序号", "seq"},
        {"name", "姓名", "name"},
        {"relation", "关系", "relation"},
        {"id_number", "身份证号", "ID number"},
        {"age", "年龄", "age"},
        {"health", "健康", "health"},
        {"employment", "就业", "employment"},
        {"schooling", "在校", "schooling"},
    };
    static const int n1[8] = {1, 0, 0, 0, 1};
    static const enum gf_hh_personal p1[8] = {[1] = GF_HH_NAME, [3] = GF_HH_ID_NUMBER};
    static const struct gf_column c2[] = {
        {"period", "期别", "period"},       {"per_capita", "人均可支配收入", "per capita"},
        {"wages", "工资性", "wages"},       {"business", "经营净", "business"},
        {"property", "财产净", "property"}, {"transfers", "转移净", "transfers"},
        {"source", "来源", "source"},
    };
    static const int n2[7] = {0, 2, 2, 2, 2, 2};
    static const struct gf_column c3[] = {
        {"step", "步骤", "step"},  {"name", "名称", "name"}, {"done_on", "日期", "date"},
        {"done_by", "经办", "by"}, {"note", "说明", "note"},
    };
    static const struct gf_column c4[] = {
        {"date", "日期", "date"},         {"action", "操作", "action"},
        {"from", "原状态", "from"},       {"to", "新状态", "to"},
        {"category", "类别", "category"}, {"organisation", "帮扶单位", "organisation"},
        {"cadre", "帮扶干部", "cadre"},   {"actor", "操作人", "actor"},
        {"note", "说明", "note"},         {"evidence", "依据", "evidence"},
    };
    static const struct gf_column c5[] = {
        {"date", "日期", "date"},       {"person", "走访人", "person"},
        {"measure", "措施", "measure"}, {"amount", "金额", "amount"},
        {"note", "说明", "note"},
    };
    static const int n5[5] = {0, 0, 0, 2};
    if (!(t[0] = query_table(
              db,
              "SELECT h.code, h.unit, h.head_name, h.address, h.phone, h.area,"
              " COALESCE(c.state,'none'), c.channel, c.risk, c.category, c.found_on,"
              " c.identified_on, c.identified_by, c.assisted_on, c.eliminated_on, c.returns,"
              " c.organisation, c.cadre, p.name, h.source"
              " FROM household h LEFT JOIN hh_case c ON c.household = h.code"
              " LEFT JOIN person p ON p.code = c.cadre WHERE h.code = ?",
              hh, c0, 20, p0, unmasked, n0, &cli->err, &rc)))
        goto out;
    if (gf_table_rows(t[0]) == 0) {
        rc = gf_err_at(&cli->err, NULL, 0, "household", hh,
                       "the code of a household in the registry (no such household)");
        goto out;
    }
    if (!(t[1] = query_table(db,
                             "SELECT seq, name, relation, id_number, age, health, employment,"
                             " schooling FROM hh_member WHERE household = ? ORDER BY seq",
                             hh, c1, 8, p1, unmasked, n1, &cli->err, &rc)) ||
        !(t[2] = query_table(db,
                             "SELECT i.period, i.per_capita, i.wages, i.business, i.property,"
                             " i.transfers, i.source FROM hh_income i JOIN period p"
                             " ON p.code = i.period WHERE i.household = ? ORDER BY p.start_date",
                             hh, c2, 7, NULL, 1, n2, &cli->err, &rc)) ||
        !(t[3] = query_table(db,
                             "SELECT c.step, s.name, c.done_on, c.done_by, c.note FROM"
                             " hh_case_step c JOIN hh_ident_step s ON s.code = c.step"
                             " WHERE c.household = ? ORDER BY s.position",
                             hh, c3, 5, NULL, 1, NULL, &cli->err, &rc)) ||
        !(t[4] = query_table(db,
                             "SELECT on_date, action, from_state, to_state, category,"
                             " organisation, cadre, actor, note, evidence FROM hh_event"
                             " WHERE household = ? ORDER BY on_date, id",
                             hh, c4, 10, NULL, 1, NULL, &cli->err, &rc)) ||
        !(t[5] = query_table(db,
                             "SELECT visit_date, person, measure, amount, note FROM hh_visit"
                             " WHERE household = ? ORDER BY visit_date, id",
                             hh, c5, 5, NULL, 1, n5, &cli->err, &rc)))
        goto out;
    if (unmasked) {
        char ft[128];
        snprintf(ft, sizeof ft, "household=%s", hh);
        if ((rc = gf_hh_audit_read(db, cli->user, "households show", ft, 1, &cli->err)))
            goto out;
    }
    if (cli->format == GF_FMT_JSON) {
        fputs("{", stdout);
        for (int i = 0; i < 6; i++) {
            printf("%s\"%s\":", i ? "," : "", keys[i]);
            gf_table_print(t[i], stdout, GF_FMT_JSON, cli->lang);
        }
        fputs("}\n", stdout);
    } else {
        for (int i = 0; i < 6; i++) {
            if (cli->format == GF_FMT_TABLE)
                printf("%s== %s ==\n", i ? "\n" : "", L(cli, titles_zh[i], titles_en[i]));
            else
                printf("%s# %s\n", i ? "\n" : "", keys[i]);
            gf_table_print(t[i], stdout, cli->format, cli->lang);
        }
    }
    rc = 0;
out:
    for (int i = 0; i < 6; i++)
        gf_table_free(t[i]);
    gf_db_close(db);
    return rc;
}

/* ---- flag -------------------------------------------------------------------------------- */

static int sub_flag(struct gf_cli *cli, int argc, char **argv)
{
    const char *unit = NULL, *period = NULL, *line = NULL, *file = NULL, *channel = NULL,
               *date = NULL, *household = NULL, *risk = NULL, *note = NULL, *pos[1];
    int dry = 0, micro = 0, npos;
    const struct opt opts[] = {{"--microdata", NULL, &micro}, {"--unit", &unit, NULL},
                               {"--period", &period, NULL},   {"--line", &line, NULL},
                               {"--file", &file, NULL},       {"--channel", &channel, NULL},
                               {"--date", &date, NULL},       {"--household", &household, NULL},
                               {"--risk", &risk, NULL},       {"--note", &note, NULL},
                               {"--dry-run", NULL, &dry},     {NULL, NULL, NULL}};
    int rc = parse(cli, "flag", argc, argv, 2, opts, pos, 0, &npos);
    if (rc)
        return rc;
    double z = 0;
    if (line && (rc = parse_double(cli, "--line", line, &z)))
        return rc;
    if (line && z <= 0)
        return gf_err_at(&cli->err, NULL, 0, "--line", line, "a positive amount in yuan");
    struct gf_db *db;
    if ((rc = open_db(cli, &db, 1)))
        return rc;
    if (household) {
        if (unit || period || line || file || dry || micro)
            rc = gf_cli_usage(cli, "households flag: --household opens one case; it does not "
                                   "combine with --unit, --period, --line, --file or --dry-run");
        else
            rc = gf_hh_find(db, cli->user, household, channel ? channel : "cadre", risk, date, note,
                            &cli->err);
        if (!rc)
            printf(L(cli, "%s: 已建档 (found)\n", "%s: case opened (found)\n"), household);
        gf_db_close(db);
        return rc;
    }
    struct gf_hh_proposal *p = NULL;
    int n = 0;
    long unmatched = 0;
    if (micro && file)
        rc = gf_cli_usage(cli, "households flag: --microdata reads the stored survey microdata; "
                               "import the file first (gongfu import households FILE)");
    else if (micro)
        rc = gf_hh_flag_microdata(db, cli->user, unit, period, z, channel, date, dry, &p, &n,
                                  &unmatched, &cli->err);
    else
        rc =
            gf_hh_flag(db, cli->user, unit, period, z, channel, date, file, dry, &p, &n, &cli->err);
    gf_db_close(db);
    if (rc)
        return rc;
    static const struct gf_column cols[] = {
        {"household", "户编码", "household"}, {"unit", "单位", "unit"},
        {"period", "期别", "period"},         {"per_capita", "人均收入", "per capita"},
        {"line", "监测线", "line"},           {"state", "状态", "state"},
        {"action", "处理", "action"},
    };
    struct gf_table *t = gf_table_new(cols, 7);
    for (int i = 0; i < n; i++) {
        gf_table_row(t);
        gf_table_text(t, 0, p[i].household);
        gf_table_text(t, 1, p[i].unit);
        gf_table_text(t, 2, p[i].period);
        gf_table_num(t, 3, p[i].per_capita, 0);
        gf_table_num(t, 4, p[i].line, 0);
        gf_table_text(t, 5, p[i].state);
        gf_table_text(t, 6,
                      p[i].created                        ? (dry ? "propose" : "opened")
                      : !strcmp(p[i].state, "eliminated") ? "back_under"
                                                          : "already_monitored");
    }
    free(p);
    print_table(cli, t);
    if (cli->format == GF_FMT_TABLE && dry)
        puts(L(cli, "(试运行, 未写入)", "(dry run, nothing written)"));
    if (micro && unmatched > 0)
        fprintf(stderr,
                L(cli, "另有 %ld 户微观数据低于监测线但不在登记册中(需先登记)\n",
                  "%ld more microdata households are under the line but not in the registry "
                  "(register them first)\n"),
                unmatched);
    return 0;
}

/* ---- identify / pair / visit / eliminate ------------------------------------------------- */

static int sub_identify(struct gf_cli *cli, int argc, char **argv)
{
    const char *category = NULL, *date = NULL, *steps = NULL, *step = NULL, *note = NULL, *pos[1];
    int npos;
    const struct opt opts[] = {{"--category", &category, NULL}, {"--date", &date, NULL},
                               {"--steps", &steps, NULL},       {"--step", &step, NULL},
                               {"--note", &note, NULL},         {NULL, NULL, NULL}};
    int rc = parse(cli, "identify", argc, argv, 2, opts, pos, 1, &npos);
    if (rc || (rc = need_pos(cli, "identify", npos, 1, "the household code")))
        return rc;
    if (step && (category || steps))
        return gf_cli_usage(cli, "households identify: --step records one step; use --steps "
                                 "with --category to identify");
    char buf[512];
    const char *list[17] = {0};
    if (steps) { /* at most 16 codes: more are refused, not dropped */
        if (strlen(steps) >= sizeof buf)
            return gf_cli_usage(cli, "households identify: --steps is longer than %zu bytes",
                                sizeof buf - 1);
        snprintf(buf, sizeof buf, "%s", steps);
        int k = 0;
        for (char *s = strtok(buf, ","); s; s = strtok(NULL, ","))
            if (k == 16)
                return gf_cli_usage(cli, "households identify: --steps '%s': at most 16 steps",
                                    steps);
            else
                list[k++] = s;
    }
    struct gf_db *db;
    if ((rc = open_db(cli, &db, 1)))
        return rc;
    if (step) {
        rc = gf_hh_step(db, cli->user, pos[0], step, date, note, &cli->err);
        if (!rc)
            printf(L(cli, "%s: 已记录识别步骤 %s\n", "%s: identification step %s recorded\n"),
                   pos[0], step);
        gf_db_close(db);
        return rc;
    }
    rc =
        gf_hh_identify(db, cli->user, pos[0], category, date, steps ? list : NULL, note, &cli->err);
    gf_db_close(db);
    if (!rc)
        printf(L(cli, "%s: 已识别 (identified)\n", "%s: identified\n"), pos[0]);
    return rc;
}

static int sub_pair(struct gf_cli *cli, int argc, char **argv)
{
    const char *org = NULL, *cadre = NULL, *date = NULL, *pos[1];
    int npos;
    const struct opt opts[] = {{"--org", &org, NULL},
                               {"--cadre", &cadre, NULL},
                               {"--date", &date, NULL},
                               {NULL, NULL, NULL}};
    int rc = parse(cli, "pair", argc, argv, 2, opts, pos, 1, &npos);
    if (rc || (rc = need_pos(cli, "pair", npos, 1, "the household code")))
        return rc;
    if (!org || !cadre)
        return gf_cli_usage(cli, "households pair: --org and --cadre are required");
    struct gf_db *db;
    if ((rc = open_db(cli, &db, 1)))
        return rc;
    rc = gf_hh_pair(db, cli->user, pos[0], org, cadre, date, &cli->err);
    gf_db_close(db);
    if (!rc)
        printf(L(cli, "%s: 已结对 %s / %s\n", "%s: paired with %s / %s\n"), pos[0], org, cadre);
    return rc;
}

static int sub_visit(struct gf_cli *cli, int argc, char **argv)
{
    const char *date = NULL, *cadre = NULL, *measure = NULL, *amount = NULL, *note = NULL, *pos[1];
    int npos;
    const struct opt opts[] = {{"--date", &date, NULL},       {"--cadre", &cadre, NULL},
                               {"--measure", &measure, NULL}, {"--amount", &amount, NULL},
                               {"--note", &note, NULL},       {NULL, NULL, NULL}};
    int rc = parse(cli, "visit", argc, argv, 2, opts, pos, 1, &npos);
    if (rc || (rc = need_pos(cli, "visit", npos, 1, "the household code")))
        return rc;
    double amt = NAN;
    if (amount && (rc = parse_double(cli, "--amount", amount, &amt)))
        return rc;
    struct gf_db *db;
    if ((rc = open_db(cli, &db, 1)))
        return rc;
    rc = gf_hh_visit(db, cli->user, pos[0], date, cadre, measure, amt, note, &cli->err);
    gf_db_close(db);
    if (!rc)
        printf(L(cli, "%s: 已记录%s\n", "%s: %s recorded\n"), pos[0],
               measure ? L(cli, "帮扶措施", "measure") : L(cli, "走访", "visit"));
    return rc;
}

static int sub_eliminate(struct gf_cli *cli, int argc, char **argv)
{
    const char *date = NULL, *note = NULL, *pos[1];
    int npos;
    const struct opt opts[] = {
        {"--date", &date, NULL}, {"--note", &note, NULL}, {NULL, NULL, NULL}};
    int rc = parse(cli, "eliminate", argc, argv, 2, opts, pos, 1, &npos);
    if (rc || (rc = need_pos(cli, "eliminate", npos, 1, "the household code")))
        return rc;
    struct gf_db *db;
    if ((rc = open_db(cli, &db, 1)))
        return rc;
    rc = gf_hh_eliminate(db, cli->user, pos[0], date, note, &cli->err);
    gf_db_close(db);
    if (!rc)
        printf(L(cli, "%s: 风险已消除 (eliminated)\n", "%s: risk eliminated\n"), pos[0]);
    return rc;
}

/* ---- alerts ------------------------------------------------------------------------------ */

static int sub_alerts(struct gf_cli *cli, int argc, char **argv)
{
    const char *unit = NULL, *cadre = NULL, *rule = NULL, *date = NULL, *days = NULL,
               *months = NULL, *pos[1];
    int npos, unmasked = 0;
    const struct opt opts[] = {{"--unit", &unit, NULL},         {"--cadre", &cadre, NULL},
                               {"--rule", &rule, NULL},         {"--date", &date, NULL},
                               {"--days", &days, NULL},         {"--months", &months, NULL},
                               {"--unmasked", NULL, &unmasked}, {NULL, NULL, NULL}};
    int rc = parse(cli, "alerts", argc, argv, 2, opts, pos, 0, &npos);
    if (rc)
        return rc;
    int nd = 0, nm = 0, r = -1;
    if ((days && (rc = parse_int(cli, "--days", days, &nd))) ||
        (months && (rc = parse_int(cli, "--months", months, &nm))))
        return rc;
    if (rule) {
        for (int i = 0; i < 5; i++)
            if (!strcmp(rule, gf_hh_rule_code[i]))
                r = i;
        if (r < 0)
            return gf_err_at(&cli->err, NULL, 0, "--rule", rule,
                             "one of: no_cadre, no_visit, still_under, back_under, cadre_over");
    }
    struct gf_db *db;
    if ((rc = open_db(cli, &db, unmasked)))
        return rc;
    struct gf_hh_alert *al = NULL;
    int n = 0;
    rc = gf_hh_alerts(db, unit, cadre, date, nd, nm, &al, &n, &cli->err);
    if (rc == GF_OK && unmasked) { /* recorded before anything is printed */
        char ft[256];
        snprintf(ft, sizeof ft, "unit=%s;cadre=%s;rule=%s", unit ? unit : "*", cadre ? cadre : "*",
                 rule ? rule : "*");
        rc = gf_hh_audit_read(db, cli->user, "households alerts", ft, n, &cli->err);
    }
    gf_db_close(db);
    if (rc) {
        free(al);
        return rc;
    }
    static const struct gf_column cols[] = {
        {"rule", "规则", "rule"},
        {"rule_name", "预警", "alert"},
        {"household", "户编码", "household"},
        {"unit", "单位", "unit"},
        {"head", "户主", "head"},
        {"state", "状态", "state"},
        {"cadre", "帮扶干部", "cadre"},
        {"cadre_name", "干部姓名", "cadre name"},
        {"detail", "说明", "detail"},
    };
    struct gf_table *t = gf_table_new(cols, 9);
    int en = cli->lang[0] == 'e';
    for (int i = 0; i < n; i++) {
        if (r >= 0 && (int)al[i].rule != r)
            continue;
        gf_table_row(t);
        gf_table_text(t, 0, gf_hh_rule_code[al[i].rule]);
        gf_table_text(t, 1, en ? gf_hh_rule_en[al[i].rule] : gf_hh_rule_zh[al[i].rule]);
        gf_table_text(t, 2, al[i].household[0] ? al[i].household : NULL);
        gf_table_text(t, 3, al[i].unit[0] ? al[i].unit : NULL);
        char head[sizeof al[i].head];
        shown(GF_HH_NAME, al[i].head, unmasked, head, sizeof head);
        gf_table_text(t, 4, head[0] ? head : NULL);
        gf_table_text(t, 5, al[i].state[0] ? al[i].state : NULL);
        gf_table_text(t, 6, al[i].cadre[0] ? al[i].cadre : NULL);
        gf_table_text(t, 7, al[i].cadre_name[0] ? al[i].cadre_name : NULL);
        gf_table_text(t, 8, en ? al[i].detail : al[i].detail_zh);
    }
    free(al);
    print_table(cli, t);
    return 0;
}

/* ---- report ------------------------------------------------------------------------------ */

static double pct(long a, long b)
{
    return b > 0 ? 100.0 * (double)a / (double)b : NAN;
}

static int sub_report(struct gf_cli *cli, int argc, char **argv)
{
    const char *unit = NULL, *period = NULL, *pos[1];
    int npos;
    const struct opt opts[] = {
        {"--unit", &unit, NULL}, {"--period", &period, NULL}, {NULL, NULL, NULL}};
    int rc = parse(cli, "report", argc, argv, 2, opts, pos, 0, &npos);
    if (rc)
        return rc;
    if (!unit)
        return gf_cli_usage(cli, "households report: --unit is required");
    char year[8];
    if (!period) {
        char today[32];
        gf_today(today);
        snprintf(year, sizeof year, "%.4s", today);
        period = year;
    }
    struct gf_db *db;
    if ((rc = open_db(cli, &db, 0)))
        return rc;
    struct gf_hh_coverage *c = NULL;
    int n = 0;
    rc = gf_hh_coverage(db, unit, period, &c, &n, &cli->err);
    gf_db_close(db);
    if (rc)
        return rc;
    static const struct gf_column cols[] = {
        {"unit", "单位", "unit"},
        {"name", "名称", "name"},
        {"flagged", "建档户", "flagged hh"},
        {"flagged_persons", "建档人数", "flagged persons"},
        {"identified", "监测户", "identified hh"},
        {"identified_persons", "监测人数", "identified persons"},
        {"paired", "已结对", "paired"},
        {"paired_pct", "结对率%", "paired %"},
        {"visited30_pct", "30天走访率%", "visited 30d %"},
        {"visited90_pct", "90天走访率%", "visited 90d %"},
        {"eliminated", "本年消除", "eliminated this year"},
        {"returned", "本年返贫", "returned to risk"},
        {"income_monitored", "监测户人均收入", "monitored income"},
        {"income_unit", "本单位人均收入", "unit income"},
        {"ratio", "比值(1:x)", "ratio (1:x)"},
    };
    struct gf_table *t = gf_table_new(cols, 15);
    for (int i = 0; i < n; i++) {
        gf_table_row(t);
        gf_table_text(t, 0, c[i].unit);
        gf_table_text(t, 1, c[i].name);
        gf_table_int(t, 2, c[i].hh_flagged);
        gf_table_int(t, 3, c[i].p_flagged);
        gf_table_int(t, 4, c[i].hh_ident);
        gf_table_int(t, 5, c[i].p_ident);
        gf_table_int(t, 6, c[i].hh_paired);
        gf_table_num(t, 7, pct(c[i].hh_paired, c[i].hh_ident), 1);
        gf_table_num(t, 8, pct(c[i].hh_visit30, c[i].hh_ident), 1);
        gf_table_num(t, 9, pct(c[i].hh_visit90, c[i].hh_ident), 1);
        gf_table_int(t, 10, c[i].hh_eliminated);
        gf_table_int(t, 11, c[i].hh_returned);
        gf_table_num(t, 12, c[i].income_monitored, 0);
        gf_table_num(t, 13, c[i].income_unit, 0);
        gf_table_num(t, 14,
                     c[i].income_monitored > 0 ? c[i].income_unit / c[i].income_monitored : NAN, 2);
    }
    int no_income = n > 0 && !(c[0].income_unit > 0) && !(c[0].income_monitored > 0);
    free(c);
    if (cli->format == GF_FMT_TABLE)
        printf(L(cli, "低收入家庭监测覆盖情况 %s 年\n", "household monitoring coverage %s\n"),
               period);
    print_table(cli, t);
    if (cli->format == GF_FMT_TABLE && no_income) /* e.g. the current year before the survey */
        printf(L(cli,
                 "\n%s 年尚无住户收入记录, 收入三列为空; 收入对比请用 --period 指定有收入数据的年份"
                 "(如 --period %d)。\n",
                 "\nNo household incomes recorded for %s yet, so the income columns are empty; "
                 "use --period with a year that has incomes (e.g. --period %d).\n"),
               period, atoi(period) - 1);
    return 0;
}

static int sub_set(struct gf_cli *cli, int argc, char **argv)
{
    const char *pos[2], *cadre = NULL;
    int npos;
    const struct opt opts[] = {{"--cadre", &cadre, NULL}, {NULL, NULL, NULL}};
    int rc = parse(cli, "set", argc, argv, 2, opts, pos, 2, &npos);
    if (rc || (rc = need_pos(cli, "set", npos, 2, "KEY and VALUE")))
        return rc;
    if (cadre && strcmp(pos[0], "max_households_per_cadre"))
        return gf_cli_usage(cli, "households set: --cadre goes with max_households_per_cadre");
    struct gf_db *db;
    if ((rc = open_db(cli, &db, 1)))
        return rc;
    if (cadre)
        rc = gf_hh_cadre_max_set(db, cli->user, cadre, pos[1], &cli->err);
    else
        rc = gf_hh_setting_set(db, cli->user, pos[0], pos[1], &cli->err);
    gf_db_close(db);
    if (!rc)
        printf("%s%s%s = %s\n", pos[0], cadre ? " " : "", cadre ? cadre : "", pos[1]);
    return rc;
}

/* ---- configurable lists and lines -------------------------------------------------------- */

static const char *const list_names[] = {"categories", "channels", "risks",
                                         "measures",   "steps",    NULL};
static const char *const list_tables[] = {"hh_category", "hh_channel", "hh_risk_type",
                                          "hh_measure_type", "hh_ident_step"};

static int sub_lists(struct gf_cli *cli, int argc, char **argv)
{
    const char *en = NULL, *required = NULL, *position = NULL, *pos[3];
    int npos;
    const struct opt opts[] = {{"--en", &en, NULL},
                               {"--required", &required, NULL},
                               {"--position", &position, NULL},
                               {NULL, NULL, NULL}};
    int rc = parse(cli, "lists", argc, argv, 2, opts, pos, 3, &npos);
    if (rc)
        return rc;
    int which = -1;
    if (npos >= 1) {
        for (int i = 0; list_names[i]; i++)
            if (!strcmp(pos[0], list_names[i]))
                which = i;
        if (which < 0)
            return gf_err_at(&cli->err, NULL, 0, "list", pos[0],
                             "one of: categories, channels, risks, measures, steps");
    }
    if (npos == 2)
        return gf_cli_usage(cli, "households lists: give CODE and NAME to add or change an entry");
    if (required && (which != 4 || (strcmp(required, "0") && strcmp(required, "1"))))
        return gf_cli_usage(cli, "households lists: --required 0|1 is for steps only");
    char posbuf[24] = "";
    if (position) {
        int v;
        if ((rc = parse_int(cli, "--position", position, &v)))
            return rc;
        snprintf(posbuf, sizeof posbuf, "%d", v);
    }
    struct gf_db *db;
    if ((rc = open_db(cli, &db, 1)))
        return rc;
    if (npos == 3) { /* add or change one entry (audited) */
        const char *cols[5] = {"code", "name", "name_en", "position", "required"};
        /* an existing entry keeps what is not given */
        char sql[200], enbuf[256] = "", reqbuf[4] = "1";
        struct gf_stmt *st;
        snprintf(sql, sizeof sql, "SELECT name_en, position%s FROM %s WHERE code = ?",
                 which == 4 ? ", required" : "", list_tables[which]);
        if ((rc = gf_db_prepare(db, sql, &st, &cli->err))) {
            gf_db_close(db);
            return rc;
        }
        gf_stmt_bind_text(st, 1, pos[1]);
        int exists = gf_stmt_step(st, &cli->err) == 1;
        if (exists) {
            if (!en && gf_stmt_text(st, 0))
                snprintf(enbuf, sizeof enbuf, "%s", gf_stmt_text(st, 0)), en = enbuf;
            if (!position)
                snprintf(posbuf, sizeof posbuf, "%lld", (long long)gf_stmt_int(st, 1));
            if (which == 4)
                snprintf(reqbuf, sizeof reqbuf, "%lld", (long long)gf_stmt_int(st, 2));
        }
        gf_stmt_finalize(st);
        snprintf(sql, sizeof sql, "SELECT COALESCE(max(position), 0) + 1 FROM %s",
                 list_tables[which]);
        if (!posbuf[0])
            snprintf(posbuf, sizeof posbuf, "%lld", (long long)gf_db_int(db, sql, 1));
        const char *vals[5] = {pos[1], pos[2], en, posbuf, required ? required : reqbuf};
        rc = gf_db_begin(db, &cli->err);
        if (!rc) {
            rc = gf_upsert_row(db, cli->user, list_tables[which], which == 4 ? 5 : 4, 1, cols, vals,
                               NULL, &cli->err);
            if (rc)
                gf_db_rollback(db);
            else
                rc = gf_db_commit(db, &cli->err);
        }
        gf_db_close(db);
        if (!rc)
            printf("%s: %s = %s\n", list_names[which], pos[1], pos[2]);
        return rc;
    }
    static const struct gf_column cols[] = {
        {"list", "清单", "list"},         {"code", "代码", "code"},
        {"name", "名称", "name"},         {"name_en", "英文名称", "English name"},
        {"position", "顺序", "position"}, {"required", "必需", "required"},
    };
    struct gf_table *t = gf_table_new(cols, 6);
    for (int i = 0; list_names[i] && rc == 0; i++) {
        if (which >= 0 && i != which)
            continue;
        char sql[200];
        snprintf(sql, sizeof sql,
                 "SELECT code, name, name_en, position%s FROM %s ORDER BY position, code",
                 i == 4 ? ", required" : "", list_tables[i]);
        struct gf_stmt *st;
        if ((rc = gf_db_prepare(db, sql, &st, &cli->err)))
            break;
        while ((rc = gf_stmt_step(st, &cli->err)) == 1) {
            gf_table_row(t);
            gf_table_text(t, 0, list_names[i]);
            gf_table_text(t, 1, gf_stmt_text(st, 0));
            gf_table_text(t, 2, gf_stmt_text(st, 1));
            gf_table_text(t, 3, gf_stmt_text(st, 2));
            gf_table_int(t, 4, gf_stmt_int(st, 3));
            if (i == 4)
                gf_table_int(t, 5, gf_stmt_int(st, 4));
        }
        gf_stmt_finalize(st);
        rc = rc < 0 ? rc : 0;
    }
    gf_db_close(db);
    if (rc) {
        gf_table_free(t);
        return rc;
    }
    print_table(cli, t);
    return 0;
}

static int sub_lines(struct gf_cli *cli, int argc, char **argv)
{
    const char *name = NULL, *source = NULL, *pos[4];
    int verified = 0, npos;
    const struct opt opts[] = {{"--name", &name, NULL},
                               {"--source", &source, NULL},
                               {"--verified", NULL, &verified},
                               {NULL, NULL, NULL}};
    int rc = parse(cli, "lines", argc, argv, 2, opts, pos, 4, &npos);
    if (rc)
        return rc;
    if (npos != 0 && npos != 4)
        return gf_cli_usage(cli, "households lines: give REGION AREA YEAR AMOUNT to set a line");
    struct gf_db *db;
    if ((rc = open_db(cli, &db, 1)))
        return rc;
    if (npos == 4) {
        double amount;
        int year;
        char yb[8], ab[40];
        if (strcmp(pos[1], "urban") && strcmp(pos[1], "rural") && strcmp(pos[1], "all"))
            rc = gf_err_at(&cli->err, NULL, 0, "area", pos[1], "one of: urban, rural, all");
        else if (!(rc = parse_int(cli, "year", pos[2], &year)) && (year < 1900 || year > 2200))
            rc = gf_err_at(&cli->err, NULL, 0, "year", pos[2], "a year such as 2024");
        if (!rc && !(rc = parse_double(cli, "amount", pos[3], &amount)) && amount <= 0)
            rc = gf_err_at(&cli->err, NULL, 0, "amount", pos[3], "a positive amount in yuan");
        if (!rc && strcmp(pos[0], "CN")) { /* region: CN or an existing unit */
            struct gf_stmt *st;
            if (!(rc = gf_db_prepare(db, "SELECT 1 FROM unit WHERE code = ?", &st, &cli->err))) {
                gf_stmt_bind_text(st, 1, pos[0]);
                rc = gf_stmt_step(st, &cli->err);
                gf_stmt_finalize(st);
                rc = rc == 1   ? 0
                     : rc == 0 ? gf_err_at(&cli->err, NULL, 0, "region", pos[0],
                                           "CN or the code of an existing unit")
                               : rc;
            }
        }
        if (!rc) {
            snprintf(yb, sizeof yb, "%d", year);
            gf_fmt_double(ab, sizeof ab, amount);
            const char *cols[] = {"region", "area", "year", "amount", "name", "source", "verified"};
            const char *vals[] = {pos[0], pos[1], yb, ab, name, source, verified ? "1" : "0"};
            if (!(rc = gf_db_begin(db, &cli->err))) {
                rc = gf_upsert_row(db, cli->user, "hh_line", 7, 3, cols, vals, NULL, &cli->err);
                if (rc)
                    gf_db_rollback(db);
                else
                    rc = gf_db_commit(db, &cli->err);
            }
        }
        gf_db_close(db);
        if (!rc)
            printf("%s %s %s: %s\n", pos[0], pos[1], pos[2], pos[3]);
        return rc;
    }
    static const struct gf_column cols[] = {
        {"region", "地区", "region"},       {"area", "城乡", "area"},
        {"year", "起始年", "from year"},    {"amount", "监测线(元/人·年)", "line (yuan)"},
        {"name", "名称", "name"},           {"source", "来源", "source"},
        {"verified", "已核实", "verified"},
    };
    struct gf_table *t = gf_table_new(cols, 7);
    struct gf_stmt *st;
    if (!(rc = gf_db_prepare(db,
                             "SELECT region, area, year, amount, name, source, verified FROM"
                             " hh_line ORDER BY region, area, year",
                             &st, &cli->err))) {
        while ((rc = gf_stmt_step(st, &cli->err)) == 1) {
            gf_table_row(t);
            gf_table_text(t, 0, gf_stmt_text(st, 0));
            gf_table_text(t, 1, gf_stmt_text(st, 1));
            gf_table_int(t, 2, gf_stmt_int(st, 2));
            gf_table_num(t, 3, gf_stmt_double(st, 3), 0);
            gf_table_text(t, 4, gf_stmt_text(st, 4));
            gf_table_text(t, 5, gf_stmt_text(st, 5));
            gf_table_int(t, 6, gf_stmt_int(st, 6));
        }
        gf_stmt_finalize(st);
        rc = rc < 0 ? rc : 0;
    }
    gf_db_close(db);
    if (rc) {
        gf_table_free(t);
        return rc;
    }
    print_table(cli, t);
    return 0;
}

int cmd_households(struct gf_cli *cli, int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help"))
        return usage_all(cli);
    const char *sub = argv[1];
    if (gf_cli_wants_help(argc, argv))
        return help_for(cli, sub);
    if (!strcmp(sub, "import"))
        return sub_import(cli, argc, argv);
    if (!strcmp(sub, "list"))
        return sub_list(cli, argc, argv, 0);
    if (!strcmp(sub, "export"))
        return sub_list(cli, argc, argv, 1);
    if (!strcmp(sub, "show"))
        return sub_show(cli, argc, argv);
    if (!strcmp(sub, "flag"))
        return sub_flag(cli, argc, argv);
    if (!strcmp(sub, "identify"))
        return sub_identify(cli, argc, argv);
    if (!strcmp(sub, "pair"))
        return sub_pair(cli, argc, argv);
    if (!strcmp(sub, "visit"))
        return sub_visit(cli, argc, argv);
    if (!strcmp(sub, "eliminate"))
        return sub_eliminate(cli, argc, argv);
    if (!strcmp(sub, "alerts"))
        return sub_alerts(cli, argc, argv);
    if (!strcmp(sub, "report"))
        return sub_report(cli, argc, argv);
    if (!strcmp(sub, "set"))
        return sub_set(cli, argc, argv);
    if (!strcmp(sub, "lists"))
        return sub_lists(cli, argc, argv);
    if (!strcmp(sub, "lines"))
        return sub_lines(cli, argc, argv);
    if (!strcmp(sub, "demo")) {
        if (argc > 2)
            return gf_cli_usage(cli, "households demo: unexpected argument '%s'", argv[2]);
        struct gf_db *db;
        int rc = open_db(cli, &db, 1);
        if (rc)
            return rc;
        rc = gf_demo_households(db, cli->user, &cli->err);
        if (!rc)
            printf(L(cli, "已生成合成监测户 %lld 户\n", "synthetic registry: %lld households\n"),
                   (long long)gf_db_int(db, "SELECT count(*) FROM household", 0));
        gf_db_close(db);
        return rc;
    }
    return gf_cli_usage(cli, "households: unknown subcommand '%s' (see `gongfu households --help`)",
                        sub);
}
