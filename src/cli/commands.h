/* commands.h — the subcommand table: GF_COMMAND(name, summary in Chinese, summary in English).
 * Add one line per cmd_NAME.c. Included twice (declarations in cli.h, the table in main.c). */
GF_COMMAND(init, "创建或升级数据库", "create or upgrade the database")
GF_COMMAND(help, "显示帮助", "show help")
GF_COMMAND(import, "导入数据(CSV/JSON)", "import data (CSV/JSON)")
GF_COMMAND(export, "导出数据", "export data")
GF_COMMAND(units, "行政区划单位", "administrative units")
GF_COMMAND(values, "指标数据、汇总与审核", "indicator values, rollups, approval")
GF_COMMAND(demo, "生成攀枝花演示数据库", "build the Panzhihua demo database")
GF_COMMAND(mcda, "多指标决策计算", "multi-criteria calculations on a CSV matrix")
GF_COMMAND(stats, "收入分配测算", "income distribution measures")
