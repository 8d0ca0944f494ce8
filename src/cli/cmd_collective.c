/* cmd_collective.c — `gongfu collective`: the village collective economy (村级集体经济) as the
 * service's collective.* operations.  The records come in with `gongfu import` (kinds
 * collective_income, village_enterprises, village_enterprise_results, enclaves, enclave_returns). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char *usage_zh =
    "用法: gongfu collective 子命令 [参数]\n"
    "村级集体经济:各村台账(按收入来源)、村级企业(强村公司等)、飞地抱团项目,\n"
    "以及由台账计算的指标(经营性收入、总收入、增速、分红到户、飞地收益)。\n\n"
    "  collective list [--year 年度] [--unit 单位]          各村当年台账与指标\n"
    "  collective show 村代码                                一个村的历年台账、企业、飞地入股\n"
    "  collective enterprises [--year 年度] [--unit 单位]   村级企业及当年经营\n"
    "  collective enclaves [--year 年度] [--unit 单位]      飞地抱团项目及当年收益\n\n"
    "数据导入(全部成功或全部不导入,导入后指标自动重算并向上汇总):\n"
    "  gongfu import collective_income 文件          unit,year,source,amount[,note]\n"
    "      source: operating 经营收入, contracting 发包及上交, investment 投资收益,\n"
    "              subsidy 补助收入, other 其他收入; 金额单位: 元\n"
    "  gongfu import village_enterprises 文件        code,name,unit,kind[,founded,note]\n"
    "  gongfu import village_enterprise_results 文件 enterprise,year,revenue,profit[,dividends,to_collective]\n"
    "  gongfu import enclaves 文件                   code,name,unit,invested[,location,started,note]\n"
    "  gongfu import enclave_returns 文件            enclave,year,amount[,note]\n"
    "村达标情况: gongfu values threshold --indicator coll_income_5w --period 年度";
static const char *usage_en =
    "usage: gongfu collective SUBCOMMAND [ARGS]\n"
    "The village collective economy: each village's ledger by source of income, village\n"
    "enterprises (强村公司 and others), enclave investments (飞地抱团), and the indicators\n"
    "computed from them (operating income, total income, growth, dividends, enclave returns).\n\n"
    "  collective list [--year YEAR] [--unit UNIT]          every village's ledger of a year\n"
    "  collective show VILLAGE                               one village over the years\n"
    "  collective enterprises [--year YEAR] [--unit UNIT]   village enterprises and their year\n"
    "  collective enclaves [--year YEAR] [--unit UNIT]      enclave investments and their returns\n\n"
    "Imports (all or nothing; the indicators are recomputed and rolled up after each):\n"
    "  gongfu import collective_income FILE          unit,year,source,amount[,note]\n"
    "      source: operating, contracting, investment, subsidy, other; amounts in yuan\n"
    "  gongfu import village_enterprises FILE        code,name,unit,kind[,founded,note]\n"
    "  gongfu import village_enterprise_results FILE enterprise,year,revenue,profit[,dividends,to_collective]\n"
    "  gongfu import enclaves FILE                   code,name,unit,invested[,location,started,note]\n"
    "  gongfu import enclave_returns FILE            enclave,year,amount[,note]\n"
    "Villages over 50 000 yuan: gongfu values threshold --indicator coll_income_5w --period YEAR";

int cmd_collective(struct gf_cli *cli, int argc, char **argv)
{
    if (argc < 2 || gf_cli_wants_help(argc, argv)) {
        puts(L(cli, usage_zh, usage_en));
        return argc < 2 ? gf_cli_usage(cli, "collective: which subcommand? (list, show, "
                                            "enterprises, enclaves)")
                        : 0;
    }
    static const char *const subs[] = {"list", "show", "enterprises", "enclaves", NULL};
    const char *sub = argv[1];
    for (int i = 0; subs[i]; i++)
        if (!strcmp(sub, subs[i])) {
            char op[32], cmd[32];
            snprintf(op, sizeof op, "collective.%s", sub);
            snprintf(cmd, sizeof cmd, "collective %s", sub);
            return gf_cli_call(cli, op, argc, argv, 2, cmd);
        }
    return gf_cli_usage(cli, "collective: unknown subcommand '%s' (list, show, enterprises, "
                             "enclaves)",
                        sub);
}
