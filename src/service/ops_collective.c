/* ops_collective.c — the village collective economy (`gongfu collective …`, /api/collective):
 * each village's ledger of a year by source with the indicators computed from it, one village
 * over the years, the village enterprises and the enclave investments (飞地抱团).  Reads only:
 * the records come in by imports (collective_income, village_enterprises,
 * village_enterprise_results, enclaves, enclave_returns; see domain/collective.h).  Everything
 * lies in the reader's scope: a village's rows are shown when the village is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/collective.h"
#include "service/service.h"

/* The year asked for, else the newest with records (0 when there are none). */
static long long year_of(struct gf_call *c)
{
    long long y = gf_arg_int(c, "year", 0);
    if (y)
        return y;
    return gf_db_int(c->cx->db,
                     "SELECT max(y) FROM (SELECT year AS y FROM collective_income"
                     " UNION ALL SELECT year FROM village_enterprise_result"
                     " UNION ALL SELECT year FROM enclave_return) AS y",
                     0);
}


#define NAME(t) "CASE WHEN ?9 = 'en' THEN coalesce(" t ".name_en, " t ".name) ELSE " t ".name END"
#define SOURCE(s)                                                                                 \
    "(SELECT amount FROM collective_income WHERE unit = x.code AND year = ?2 AND source = '" s "')"
/* a village's share of its enclaves' returns of year ?2, by stake */
#define ENCLAVE_SHARE(unit)                                                                       \
    "(SELECT sum(r.amount * s.invested / (SELECT sum(invested) FROM enclave_share"               \
    " WHERE enclave = s.enclave)) FROM enclave_share s JOIN enclave_return r"                    \
    " ON r.enclave = s.enclave AND r.year = ?2 WHERE s.unit = " unit ")"
#define VALUE(ind) "(SELECT value FROM value WHERE unit = x.code AND period = ?3 AND indicator = '" ind "')"

static const struct gf_column ledger_cols[] = {
    {"unit", "单位代码", "unit"},
    {"unit_name", "村(社区)", "village"},
    {"parent_name", "乡镇(街道)", "township"},
    {"operating", "经营收入(元)", "operating (yuan)"},
    {"contracting", "发包及上交收入(元)", "contracting (yuan)"},
    {"investment", "投资收益(元)", "investment (yuan)"},
    {"enterprise", "村级企业上交(元)", "from village enterprises (yuan)"},
    {"enclave", "飞地抱团收益(元)", "enclave returns (yuan)"},
    {"subsidy", "补助收入(元)", "subsidies (yuan)"},
    {"other", "其他收入(元)", "other (yuan)"},
    {"operating_income", "经营性收入(万元)", "operating income (10k yuan)"},
    {"total_income", "总收入(万元)", "total income (10k yuan)"},
    {"growth", "经营性收入增速(%)", "growth of operating income (%)"},
};
static const char *const ledger_num[] = {"operating", "contracting", "investment", "enterprise",
                                         "enclave",   "subsidy",     "other",      "operating_income",
                                         "total_income", "growth", NULL};

static int op_list(struct gf_call *c)
{
    long long year = year_of(c);
    char *list = gf_scope_units(c);
    if (!list)
        return c->err.code ? c->err.code : GF_ESYS;
    char y[16];
    snprintf(y, sizeof y, "%lld", year);
    const char *p[] = {list, y, y, NULL, NULL, NULL, NULL, NULL, c->cx->lang};
    int rc = gf_result_query(
        c, "villages", "村集体经济台账", "village collective economy",
        "SELECT x.code, " NAME("x") ", " NAME("pu") ", " SOURCE("operating") ", " SOURCE("contracting")
        ", " SOURCE("investment") ","
        " (SELECT sum(r.to_collective) FROM village_enterprise_result r JOIN village_enterprise e"
        " ON e.code = r.enterprise WHERE e.unit = x.code AND r.year = ?2), " ENCLAVE_SHARE("x.code")
        ", " SOURCE("subsidy") ", " SOURCE("other") ", " VALUE("collective_income_village") ", "
        VALUE("collective_total_income") ", round(" VALUE("collective_income_growth") ", 2)"
        " FROM unit x LEFT JOIN unit pu ON pu.code = x.parent"
        " WHERE instr(?1, ',' || x.code || ',') > 0"
        " AND NOT EXISTS (SELECT 1 FROM unit ch WHERE ch.parent = x.code)"
        " ORDER BY x.code",
        p, 9, ledger_cols, 13, ledger_num);
    free(list);
    if (rc)
        return rc;
    const struct gf_table *t = c->res.sec[c->res.nsec - 1].t;
    int n = gf_table_rows(t), with = 0;
    double sum = 0;
    for (int i = 0; i < n; i++) {
        double x;
        int d;
        if (gf_table_cell_number(t, i, 10, &x, &d)) {
            with++;
            sum += x;
        }
    }
    gf_result_msg(c, "%lld 年: %d 个村(社区)中 %d 个有经营性收入, 合计 %.1f 万元, 村均 %.1f 万元",
                  "%lld: %d villages, %d with operating income, %.1f (10k yuan) in all, %.1f a village",
                  year, n, with, sum, with ? sum / with : 0.0);
    return GF_OK;
}

/* ---- one village ------------------------------------------------------------------------------ */

static int op_show(struct gf_call *c)
{
    const char *unit = gf_arg(c, "unit");
    int rc = gf_need_unit(c, "unit", unit);
    if (rc)
        return rc;
    char *list = gf_unit_list(gf_ctx_units(c->cx, &c->err), unit, 0);
    if (!list)
        return gf_err_set(&c->err, GF_ENOMEM, "out of memory");
    /* the years: one row a year with records, the same columns as the list */
    const char *p[] = {list};
    static const struct gf_column year_cols[] = {
        {"year", "年度", "year"},
        {"operating", "经营收入(元)", "operating (yuan)"},
        {"contracting", "发包及上交收入(元)", "contracting (yuan)"},
        {"investment", "投资收益(元)", "investment (yuan)"},
        {"enterprise", "村级企业上交(元)", "from village enterprises (yuan)"},
        {"enclave", "飞地抱团收益(元)", "enclave returns (yuan)"},
        {"subsidy", "补助收入(元)", "subsidies (yuan)"},
        {"other", "其他收入(元)", "other (yuan)"},
        {"operating_income", "经营性收入(万元)", "operating income (10k yuan)"},
        {"total_income", "总收入(万元)", "total income (10k yuan)"},
        {"growth", "经营性收入增速(%)", "growth of operating income (%)"},
    };
    static const char *const year_num[] = {"year",   "operating", "contracting", "investment",
                                           "enterprise", "enclave", "subsidy", "other",
                                           "operating_income", "total_income", "growth", NULL};
    rc = gf_result_query(
        c, "years", "历年台账", "ledger by year",
        "WITH y(year) AS (SELECT year FROM collective_income WHERE instr(?1, ',' || unit || ',') > 0"
        " UNION SELECT r.year FROM village_enterprise_result r JOIN village_enterprise e"
        " ON e.code = r.enterprise WHERE instr(?1, ',' || e.unit || ',') > 0"
        " UNION SELECT r.year FROM enclave_return r JOIN enclave_share s ON s.enclave = r.enclave"
        " WHERE instr(?1, ',' || s.unit || ',') > 0)"
        " SELECT yy.year,"
        " (SELECT amount FROM collective_income WHERE unit = x.code AND year = yy.year AND source = 'operating'),"
        " (SELECT amount FROM collective_income WHERE unit = x.code AND year = yy.year AND source = 'contracting'),"
        " (SELECT amount FROM collective_income WHERE unit = x.code AND year = yy.year AND source = 'investment'),"
        " (SELECT sum(r.to_collective) FROM village_enterprise_result r JOIN village_enterprise e"
        " ON e.code = r.enterprise WHERE e.unit = x.code AND r.year = yy.year),"
        " (SELECT sum(r.amount * s.invested / (SELECT sum(invested) FROM enclave_share"
        " WHERE enclave = s.enclave)) FROM enclave_share s JOIN enclave_return r"
        " ON r.enclave = s.enclave AND r.year = yy.year WHERE s.unit = x.code),"
        " (SELECT amount FROM collective_income WHERE unit = x.code AND year = yy.year AND source = 'subsidy'),"
        " (SELECT amount FROM collective_income WHERE unit = x.code AND year = yy.year AND source = 'other'),"
        " (SELECT value FROM value WHERE unit = x.code AND period = CAST(yy.year AS TEXT)"
        " AND indicator = 'collective_income_village'),"
        " (SELECT value FROM value WHERE unit = x.code AND period = CAST(yy.year AS TEXT)"
        " AND indicator = 'collective_total_income'),"
        " round((SELECT value FROM value WHERE unit = x.code AND period = CAST(yy.year AS TEXT)"
        " AND indicator = 'collective_income_growth'), 2)"
        " FROM y yy JOIN unit x ON instr(?1, ',' || x.code || ',') > 0 ORDER BY yy.year",
        p, 1, year_cols, 11, year_num);
    if (!rc)
        rc = gf_result_query(
            c, "enterprises", "村级企业", "village enterprises",
            "SELECT e.code, e.name, e.kind, r.year, r.revenue, r.profit, r.dividends, r.to_collective"
            " FROM village_enterprise e LEFT JOIN village_enterprise_result r ON r.enterprise = e.code"
            " WHERE instr(?1, ',' || e.unit || ',') > 0 ORDER BY e.code, r.year",
            p, 1,
            (const struct gf_column[]){{"code", "企业代码", "code"},
                                       {"name", "企业名称", "name"},
                                       {"kind", "类型", "kind", gf_village_enterprise_kinds},
                                       {"year", "年度", "year"},
                                       {"revenue", "营业收入(元)", "revenue (yuan)"},
                                       {"profit", "利润(元)", "profit (yuan)"},
                                       {"dividends", "分红到户(元)", "dividends to villagers (yuan)"},
                                       {"to_collective", "上交村集体(元)", "paid to the collective (yuan)"}},
            8, (const char *const[]){"year", "revenue", "profit", "dividends", "to_collective", NULL});
    if (!rc)
        rc = gf_result_query(
            c, "enclaves", "飞地抱团入股", "enclave stakes",
            "SELECT n.code, n.name, n.location, s.invested,"
            " round(100.0 * s.invested / (SELECT sum(invested) FROM enclave_share WHERE enclave = n.code), 2),"
            " round((SELECT sum(amount) FROM enclave_return WHERE enclave = n.code) * s.invested"
            " / (SELECT sum(invested) FROM enclave_share WHERE enclave = n.code), 2)"
            " FROM enclave_share s JOIN enclave n ON n.code = s.enclave"
            " WHERE instr(?1, ',' || s.unit || ',') > 0 ORDER BY n.code",
            p, 1,
            (const struct gf_column[]){{"enclave", "项目代码", "enclave"},
                                       {"name", "项目", "project"},
                                       {"location", "所在地", "location"},
                                       {"invested", "入股(元)", "stake (yuan)"},
                                       {"share", "占比(%)", "share (%)"},
                                       {"returns", "累计分得收益(元)", "returns received (yuan)"}},
            6, (const char *const[]){"invested", "share", "returns", NULL});
    free(list);
    return rc;
}

/* ---- enterprises and enclaves ------------------------------------------------------------------ */

static int op_enterprises(struct gf_call *c)
{
    long long year = year_of(c);
    char *list = gf_scope_units(c);
    if (!list)
        return c->err.code ? c->err.code : GF_ESYS;
    char y[16];
    snprintf(y, sizeof y, "%lld", year);
    const char *p[] = {list, y, NULL, NULL, NULL, NULL, NULL, NULL, c->cx->lang};
    static const struct gf_column cols[] = {
        {"code", "企业代码", "code"},
        {"name", "企业名称", "name"},
        {"kind", "类型", "kind", gf_village_enterprise_kinds},
        {"unit", "村代码", "village code"},
        {"unit_name", "村(社区)", "village"},
        {"founded", "成立年份", "founded"},
        {"revenue", "营业收入(元)", "revenue (yuan)"},
        {"profit", "利润(元)", "profit (yuan)"},
        {"dividends", "分红到户(元)", "dividends to villagers (yuan)"},
        {"to_collective", "上交村集体(元)", "paid to the collective (yuan)"},
    };
    static const char *const num[] = {"founded", "revenue", "profit", "dividends", "to_collective",
                                      NULL};
    int rc = gf_result_query(
        c, "enterprises", "村级企业", "village enterprises",
        "SELECT e.code, e.name, e.kind, x.code, " NAME("x") ", e.founded, r.revenue, r.profit,"
        " r.dividends, r.to_collective FROM village_enterprise e JOIN unit x ON x.code = e.unit"
        " LEFT JOIN village_enterprise_result r ON r.enterprise = e.code AND r.year = ?2"
        " WHERE instr(?1, ',' || e.unit || ',') > 0 ORDER BY e.unit, e.code",
        p, 9, cols, 10, num);
    free(list);
    if (rc)
        return rc;
    const struct gf_table *t = c->res.sec[c->res.nsec - 1].t;
    double div = 0;
    for (int i = 0; i < gf_table_rows(t); i++) {
        double x;
        int d;
        if (gf_table_cell_number(t, i, 8, &x, &d))
            div += x;
    }
    gf_result_msg(c, "%lld 年: 村级企业 %d 家, 分红到户合计 %.0f 元",
                  "%lld: %d village enterprises, %.0f yuan of dividends to villagers", year,
                  gf_table_rows(t), div);
    return GF_OK;
}

static int op_enclaves(struct gf_call *c)
{
    long long year = year_of(c);
    char *list = gf_scope_units(c);
    if (!list)
        return c->err.code ? c->err.code : GF_ESYS;
    char y[16];
    snprintf(y, sizeof y, "%lld", year);
    const char *p[] = {list, y};
    static const struct gf_column cols[] = {
        {"code", "项目代码", "code"},
        {"name", "项目", "project"},
        {"location", "所在地", "location"},
        {"started", "起始年份", "started"},
        {"villages", "入股村数", "villages"},
        {"invested", "入股合计(元)", "invested (yuan)"},
        {"returns", "当年收益(元)", "returns of the year (yuan)"},
        {"rate", "收益率(%)", "rate of return (%)"},
    };
    static const char *const num[] = {"started", "villages", "invested", "returns", "rate", NULL};
    /* an enclave is shown when one of its villages is covered; its totals are the whole project's */
    int rc = gf_result_query(
        c, "enclaves", "飞地抱团项目", "enclave investments",
        "SELECT n.code, n.name, n.location, n.started, count(s.unit), sum(s.invested), r.amount,"
        " round(100.0 * r.amount / sum(s.invested), 2)"
        " FROM enclave n JOIN enclave_share s ON s.enclave = n.code"
        " LEFT JOIN enclave_return r ON r.enclave = n.code AND r.year = ?2"
        " WHERE n.code IN (SELECT enclave FROM enclave_share WHERE instr(?1, ',' || unit || ',') > 0)"
        " GROUP BY n.code, r.amount ORDER BY n.code",
        p, 2, cols, 8, num);
    free(list);
    if (!rc)
        gf_result_msg(c, "%lld 年: 飞地抱团项目 %d 个", "%lld: %d enclave investments", year,
                      gf_table_rows(c->res.sec[c->res.nsec - 1].t));
    return rc;
}

/* ---- the table ------------------------------------------------------------------------------------ */

#define P_YEAR {"year", GF_PT_INT, 0, NULL, "年度(默认: 有台账的最近一年)", "year (default: the newest with records)"}
#define P_UNIT {"unit", GF_PT_CODE, 0, NULL, "单位(含下级; 默认: 本人范围)", "unit, with the units under it (default: your scope)"}

static const struct gf_param p_list[] = {P_YEAR, P_UNIT, {NULL}};
static const struct gf_param p_show[] = {
    {"unit", GF_PT_CODE, GF_PF_KEY | GF_PF_REQUIRED, NULL, "村(社区)代码", "village code"},
    {NULL}};

const struct gf_op gf_ops_collective[] = {
    {"collective.list", GF_OP_READ, "GET", "/api/collective", GF_PERM_VALUES_READ, 0, p_list,
     op_list, "各村集体经济台账(按来源)及计算的指标", "each village's collective ledger by source, with the indicators"},
    {"collective.enterprises", GF_OP_READ, "GET", "/api/collective/enterprises", GF_PERM_VALUES_READ,
     0, p_list, op_enterprises, "村级企业(强村公司等)及当年经营", "village enterprises and their year"},
    {"collective.enclaves", GF_OP_READ, "GET", "/api/collective/enclaves", GF_PERM_VALUES_READ, 0,
     p_list, op_enclaves, "飞地抱团项目及当年收益", "enclave investments and their returns"},
    {"collective.show", GF_OP_READ, "GET", "/api/collective/{unit}", GF_PERM_VALUES_READ, 0, p_show,
     op_show, "一个村的历年台账、村级企业和飞地入股", "one village: ledger by year, enterprises, enclave stakes"},
    {NULL},
};
