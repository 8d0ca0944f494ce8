/* commands.h — the subcommand table: GF_COMMAND(name, summary in Chinese, summary in English).
 * Add one line per cmd_NAME.c. Included twice (declarations in cli.h, the table in main.c). */
GF_COMMAND(init, "创建或升级数据库", "create or upgrade the database")
GF_COMMAND(help, "显示帮助", "show help")
