/* cmd_serve.c — `gongfu serve`: the HTTP API and the dashboard. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "http/server.h"

static volatile int stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static void ready(void *ctx, const char *address)
{
    struct gf_cli *cli = ctx;
    printf(L(cli, "gongfu 已在 http://%s/ 提供服务(Ctrl-C 停止)\n",
             "gongfu serving on http://%s/ (Ctrl-C stops)\n"),
           address);
    fflush(stdout);
}

static int size_opt(struct gf_cli *cli, const char *name, const char *v, size_t *out)
{
    char *end;
    double x = strtod(v, &end);
    double mult = !strcmp(end, "") ? 1 : !strcmp(end, "K") ? 1024 : !strcmp(end, "M") ? 1 << 20
                                                                  : !strcmp(end, "G") ? 1 << 30
                                                                                      : 0;
    if (!mult || !(x > 0) || x * mult > 16.0 * (1 << 30))
        return gf_err_at(&cli->err, NULL, 0, name, v, "a size such as 1M or 256M");
    *out = (size_t)(x * mult);
    return GF_OK;
}

static int int_opt(struct gf_cli *cli, const char *name, const char *v, int lo, int hi, int *out)
{
    char *end;
    long x = strtol(v, &end, 10);
    if (!*v || *end || x < lo || x > hi)
        return gf_err_at(&cli->err, NULL, 0, name, v, "a whole number from %d to %d", lo, hi);
    *out = (int)x;
    return GF_OK;
}

int cmd_serve(struct gf_cli *cli, int argc, char **argv)
{
    if (gf_cli_wants_help(argc, argv)) {
        puts(L(cli,
               "用法: gongfu serve [--listen 地址:端口] [--web 目录] [--threads N]\n"
               "                   [--max-connections N] [--per-ip N] [--timeout 秒]\n"
               "                   [--max-body 1M] [--max-upload 256M] [--tls-cert F --tls-key F]\n"
               "                   [--session-idle 秒] [--session-max 秒] [--access-log]\n"
               "提供 HTTP JSON 接口(/api/…,说明见 /api/openapi.json)和驾驶舱网页(默认 web/dist)。\n"
               "默认只在 127.0.0.1:8080 监听;对外服务请放在反向代理之后或使用 --tls-cert。",
               "usage: gongfu serve [--listen ADDRESS:PORT] [--web DIR] [--threads N]\n"
               "                    [--max-connections N] [--per-ip N] [--timeout SECONDS]\n"
               "                    [--max-body 1M] [--max-upload 256M] [--tls-cert F --tls-key F]\n"
               "                    [--session-idle S] [--session-max S] [--access-log]\n"
               "Serve the HTTP JSON API (/api/…, described at /api/openapi.json) and the dashboard\n"
               "(web/dist by default).  Listens on 127.0.0.1:8080 unless told otherwise; put it\n"
               "behind a reverse proxy or give --tls-cert/--tls-key to serve other machines."));
        return 0;
    }
    struct gf_server_opts o = {.db_path = cli->db_path, .listen = "127.0.0.1:8080",
                               .max_body = 1 << 20, .max_upload = (size_t)256 << 20,
                               .stop = &stop_flag, .ready = ready, .ready_ctx = cli};
    const char *web = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int rc = GF_OK, flag = 0;
        if (!strcmp(a, "--access-log"))
            o.access_log = flag = 1;
        else if (!v)
            return gf_cli_usage(cli, "serve: %s needs a value (see gongfu serve --help)", a);
        else if (!strcmp(a, "--listen"))
            o.listen = v;
        else if (!strcmp(a, "--web"))
            web = v;
        else if (!strcmp(a, "--threads"))
            rc = int_opt(cli, a, v, 1, 64, &o.threads);
        else if (!strcmp(a, "--max-connections"))
            rc = int_opt(cli, a, v, 1, 100000, &o.max_connections);
        else if (!strcmp(a, "--per-ip"))
            rc = int_opt(cli, a, v, 1, 100000, &o.per_ip);
        else if (!strcmp(a, "--timeout"))
            rc = int_opt(cli, a, v, 1, 3600, &o.timeout_s);
        else if (!strcmp(a, "--max-body"))
            rc = size_opt(cli, a, v, &o.max_body);
        else if (!strcmp(a, "--max-upload"))
            rc = size_opt(cli, a, v, &o.max_upload);
        else if (!strcmp(a, "--session-idle"))
            rc = int_opt(cli, a, v, 1, 7 * 86400, &o.session_idle_s);
        else if (!strcmp(a, "--session-max"))
            rc = int_opt(cli, a, v, 1, 30 * 86400, &o.session_max_s);
        else if (!strcmp(a, "--tls-cert"))
            o.tls_cert = v;
        else if (!strcmp(a, "--tls-key"))
            o.tls_key = v;
        else
            return gf_cli_usage(cli, "serve: unknown option '%s' (see gongfu serve --help)", a);
        if (rc)
            return rc == GF_EUSER ? GF_EUSAGE : rc;
        if (!flag)
            i++;
    }
    /* the dashboard: --web, else the build next to the sources */
    struct stat st;
    char def[1024];
    snprintf(def, sizeof def, "%s/web/dist", GONGFU_SOURCE_DIR);
    if (web && (stat(web, &st) || !S_ISDIR(st.st_mode)))
        return gf_err_at(&cli->err, NULL, 0, "--web", web, "a directory with the built dashboard");
    o.web_root = web ? web : stat(def, &st) == 0 && S_ISDIR(st.st_mode) ? def : NULL;
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    return gf_server_run(&o, &cli->err);
}
