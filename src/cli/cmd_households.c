/* cmd_households.c — `gongfu households …`: the low-income household registry, the monitoring
 * workflow (flag, identify, pair, visit, eliminate), alerts and the coverage report.  Each
 * subcommand is an operation of the service layer (service/ops_households.c), which holds the
 * rules: who may see and change which households, masking, the audit of unmasked reads.  Personal
 * data (names of household members and heads, ID numbers, phones) is masked in every output
 * unless --unmasked (the `households.*.unmasked` operations), which is recorded in the audit log
 * before anything is printed.  `households import` runs the import machinery. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/import.h"
#include "store/db.h"

extern const struct gf_import_kind gf_import_households, gf_import_household_members,
    gf_import_household_incomes;

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
     "用法: gongfu households report [--unit 单位] [--period 年]\n"
     "覆盖情况(默认本人范围或全区, 今年): 本单位及各下级单位的建档、识别、结对率、30/90 天走访率、"
     "本年消除、返贫,\n"
     "监测户人均收入与本单位人均收入之比。",
     "usage: gongfu households report [--unit UNIT] [--period YEAR]\n"
     "Coverage (default: the user's scope or the whole zone, this year) for the unit and each "
     "child: flagged, identified, paired %, visited in 30/90 "
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

/* ---- import ------------------------------------------------------------------------------ */

static int sub_import(struct gf_cli *cli, int argc, char **argv)
{
    const char *pos[2];
    int npos = 0, dry = 0, json = 0, csv = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--dry-run"))
            dry = 1;
        else if (!strcmp(a, "--json"))
            json = 1;
        else if (!strcmp(a, "--csv"))
            csv = 1;
        else if (a[0] == '-' && a[1] == '-' && a[2])
            return gf_cli_usage(cli,
                                "households import: unknown option '%s' (see `gongfu households "
                                "import --help`)",
                                a);
        else if (npos == 2)
            return gf_cli_usage(cli, "households import: unexpected argument '%s'", a);
        else
            pos[npos++] = a;
    }
    if (npos < 2)
        return gf_cli_usage(cli, "households import: missing KIND and FILE (see `gongfu "
                                 "households import --help`)");
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
    int rc = gf_db_open_existing(&db, cli->db_path, &cli->err);
    if (rc)
        return rc;
    rc = gf_cli_import(cli, db, k, pos[1], dry, json ? "json" : csv ? "csv" : NULL);
    gf_db_close(db);
    return rc;
}

/* ---- the operations ---------------------------------------------------------------------- */

/* How many positional arguments argv[from..] holds, given the options that take no value. */
static int positionals(int argc, char **argv, int from, const char *const *switches)
{
    int n = 0;
    for (int i = from; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] != '-' || !a[2]) {
            n++;
            continue;
        }
        int sw = strchr(a, '=') != NULL;
        for (int k = 0; switches && switches[k]; k++)
            sw |= !strcmp(a, switches[k]);
        i += !sw; /* the option's value */
    }
    return n;
}

static int has_option(int argc, char **argv, const char *name)
{
    size_t n = strlen(name);
    for (int i = 2; i < argc; i++)
        if (!strncmp(argv[i], name, n) && (argv[i][n] == 0 || argv[i][n] == '='))
            return 1;
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
    static const char *const subs[][2] = {
        {"list", "households.list"},           {"export", "households.export"},
        {"show", "households.show"},           {"alerts", "households.alerts"},
        {"flag", "households.flag"},           {"identify", "households.identify"},
        {"pair", "households.pair"},           {"visit", "households.visit"},
        {"eliminate", "households.eliminate"}, {"report", "households.coverage"},
        {"coverage", "households.coverage"},   {"set", "households.set"},
        {"lists", "households.lists"},         {"lines", "households.lines"},
        {"demo", "households.demo"},
    };
    const char *op = NULL;
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (!strcmp(sub, subs[i][0]))
            op = subs[i][1];
    if (!op)
        return gf_cli_usage(
            cli, "households: unknown subcommand '%s' (see `gongfu households --help`)", sub);
    char opname[48], cmd[48];
    snprintf(opname, sizeof opname, "%s", op);
    snprintf(cmd, sizeof cmd, "households %s", sub);
    /* one command, several operations */
    if (!strcmp(sub, "identify") && has_option(argc, argv, "--step"))
        snprintf(opname, sizeof opname, "households.step");
    static const char *const no_switch[] = {NULL}, *const line_switch[] = {"--verified", NULL};
    if (!strcmp(sub, "lists") && positionals(argc, argv, 2, no_switch) > 1)
        snprintf(opname, sizeof opname, "households.lists.set");
    if (!strcmp(sub, "lines") && positionals(argc, argv, 2, line_switch) > 0)
        snprintf(opname, sizeof opname, "households.lines.set");
    if (!strcmp(sub, "export") && !cli->format_given) /* one row per member: a file by default */
        cli->format = GF_FMT_CSV;
    /* --unmasked: the audited operation of the same read */
    int unmasked = 0, n = 0;
    char **args = calloc((size_t)argc + 1, sizeof *args);
    if (!args)
        return gf_err_set(&cli->err, GF_ENOMEM, "out of memory");
    for (int i = 0; i < argc; i++) {
        if (i >= 2 && !strcmp(argv[i], "--unmasked")) {
            unmasked = 1;
            continue;
        }
        args[n++] = argv[i];
    }
    int rc;
    if (unmasked && strcmp(sub, "list") && strcmp(sub, "export") && strcmp(sub, "show") &&
        strcmp(sub, "alerts"))
        rc = gf_cli_usage(cli, "households %s: --unmasked applies to list, export, show and alerts",
                          sub);
    else {
        if (unmasked)
            snprintf(opname + strlen(opname), sizeof opname - strlen(opname), ".unmasked");
        rc = gf_cli_call(cli, opname, n, args, 2, cmd);
    }
    free(args);
    return rc;
}
