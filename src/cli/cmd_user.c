/* cmd_user.c — `gongfu user`: users, roles and unit scopes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "service/identity.h"

static void usage(struct gf_cli *cli)
{
    puts(L(cli,
           "用法: gongfu user 子命令 [参数]\n"
           "  user list [--role 角色]\n"
           "  user add 用户名 --role 角色 [--scope 单位] [--team 专班] [--person 人员]\n"
           "           [--display-name 姓名] [--password-stdin]\n"
           "  user passwd 用户名             从标准输入读取新密码(终端上提示输入)\n"
           "  user role 用户名 --role 角色 [--scope 单位] [--team 专班] [--person 人员]\n"
           "  user disable 用户名 | user enable 用户名\n"
           "角色: admin 系统管理员, centre 共富办, leader 领导, team 专班/部门填报员,\n"
           "      reporter 填报员, approver 审核员, cadre 帮扶干部。\n"
           "范围是一个单位及其全部下级;填报员、审核员须有范围,专班填报员须有专班,\n"
           "帮扶干部须对应人员。密码至少 10 个字符,须含字母和数字。",
           "usage: gongfu user SUBCOMMAND [ARGS]\n"
           "  user list [--role ROLE]\n"
           "  user add NAME --role ROLE [--scope UNIT] [--team TEAM] [--person PERSON]\n"
           "           [--display-name NAME] [--password-stdin]\n"
           "  user passwd NAME              read the new password from standard input\n"
           "  user role NAME --role ROLE [--scope UNIT] [--team TEAM] [--person PERSON]\n"
           "  user disable NAME | user enable NAME\n"
           "Roles: admin, centre (coordination centre), leader, team (team reporter), reporter,\n"
           "approver, cadre (assistance cadre).  A scope is a unit and everything under it;\n"
           "reporters and approvers need one, team reporters a team, cadres a person.\n"
           "Passwords: at least 10 characters with letters and digits."));
}

/* One line from standard input, without echo on a terminal. */
static int read_password(struct gf_cli *cli, char *buf, size_t cap)
{
    struct termios old, quiet;
    int tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        fputs(L(cli, "密码: ", "password: "), stderr);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    char *got = fgets(buf, (int)cap, stdin);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    if (!got)
        return gf_err_set(&cli->err, GF_EUSER, "no password on standard input");
    buf[strcspn(buf, "\r\n")] = 0;
    return GF_OK;
}

int cmd_user(struct gf_cli *cli, int argc, char **argv)
{
    if (argc < 2 || gf_cli_wants_help(argc, argv)) {
        usage(cli);
        return argc < 2 ? GF_EUSAGE : 0;
    }
    static const char *const subs[] = {"list", "add", "passwd", "role", "disable", "enable", NULL};
    const char *sub = argv[1];
    int known = 0;
    for (int i = 0; subs[i]; i++)
        known |= !strcmp(sub, subs[i]);
    if (!known)
        return gf_cli_usage(cli, "user: unknown subcommand '%s' (list, add, passwd, role, "
                                 "disable, enable)", sub);
    /* the password never travels on the command line: --password-stdin, or passwd's prompt */
    char **args = calloc((size_t)argc + 3, sizeof *args);
    if (!args)
        return gf_err_set(&cli->err, GF_ENOMEM, "out of memory");
    int n = 0, want_pw = !strcmp(sub, "passwd");
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--password-stdin") && !strcmp(sub, "add"))
            want_pw = 1;
        else if (!strncmp(argv[i], "--password", 10)) {
            free(args);
            return gf_cli_usage(cli, "user %s: passwords are read from standard input "
                                     "(--password-stdin), never given on the command line", sub);
        } else
            args[n++] = argv[i];
    }
    char pw[GF_PASSWORD_MAX + 2], opt[GF_PASSWORD_MAX + 16];
    int rc = GF_OK;
    if (want_pw && (rc = read_password(cli, pw, sizeof pw)) == GF_OK) {
        snprintf(opt, sizeof opt, "--password=%s", pw);
        args[n++] = opt;
    }
    char op[32], cmd[32];
    snprintf(op, sizeof op, "user.%s", sub);
    snprintf(cmd, sizeof cmd, "user %s", sub);
    if (rc == GF_OK)
        rc = gf_cli_call(cli, op, n, args, 2, cmd);
    memset(pw, 0, sizeof pw);
    memset(opt, 0, sizeof opt);
    free(args);
    return rc;
}
