/* cmd_stats.c — `gongfu stats`: income distribution measures (收入分配测算) for a household CSV
 * file (every group of every --by column) or for the stored microdata of every unit (--db).
 * For a file this file parses the options, calls the engine (domain/stats.h) and prints its
 * table; --db goes through the service operations stats.compute and stats.results
 * (service/ops_stats.c).  Measures and conventions: docs/distribution.md.
 */
#include <limits.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/prefault.h"
#include "domain/stats.h"
#include "util/csvscan.h"

struct opts {
    struct gf_stats_file_opts f; /* the engine's options; lines and bands point below */
    double lines[GF_STATS_MAXPARAM], blo[GF_STATS_MAXPARAM], bhi[GF_STATS_MAXPARAM];
};

/* ---------- options ---------- */

static int parse_num_arg(struct gf_cli *cli, const char *opt, const char *s, double *v)
{
    if (gf_csvscan_double(s, strlen(s), v) || !isfinite(*v))
        return gf_cli_usage(cli, "stats: %s '%s': expected a number", opt, s);
    return 0;
}

static int parse_opts(struct gf_cli *cli, int argc, char **argv, struct opts *o)
{
    memset(o, 0, sizeof *o);
    o->f.lines = o->lines;
    o->f.band_lo = o->blo;
    o->f.band_hi = o->bhi;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define TAKE(name, dst)                                                                            \
    if (!strcmp(a, name)) {                                                                        \
        if (!v)                                                                                    \
            return gf_cli_usage(cli, "stats: %s needs a value", name);                             \
        dst = v;                                                                                   \
        i++;                                                                                       \
        continue;                                                                                  \
    }
        TAKE("--value", o->f.value)
        TAKE("--weight", o->f.weight)
        TAKE("--size", o->f.size)
        TAKE("--urban", o->f.urban)
        TAKE("--food", o->f.food)
        TAKE("--consumption", o->f.cons)
#undef TAKE
        if (!strcmp(a, "--per-capita")) {
            o->f.per_capita = 1;
            continue;
        }
        if (!v && (!strcmp(a, "--by") || !strcmp(a, "--line") || !strcmp(a, "--band") ||
                   !strcmp(a, "--band-scale") || !strcmp(a, "--threads")))
            return gf_cli_usage(cli, "stats: %s needs a value", a);
        if (!strcmp(a, "--by")) {
            if (o->f.nby == GF_STATS_MAXBY)
                return gf_cli_usage(cli, "stats: at most %d --by columns", GF_STATS_MAXBY);
            for (int l = 0; l < o->f.nby; l++)
                if (!strcmp(o->f.by[l], v))
                    return gf_cli_usage(cli, "stats: --by %s given twice", v);
            o->f.by[o->f.nby++] = v;
            i++;
        } else if (!strcmp(a, "--line")) {
            if (o->f.nlines == GF_STATS_MAXPARAM)
                return gf_cli_usage(cli, "stats: at most %d --line values", GF_STATS_MAXPARAM);
            double z;
            if (parse_num_arg(cli, "--line", v, &z))
                return GF_EUSAGE;
            if (!(z > 0))
                return gf_cli_usage(cli, "stats: --line '%s': expected a number > 0", v);
            o->lines[o->f.nlines++] = z;
            i++;
        } else if (!strcmp(a, "--band")) {
            if (o->f.nbands == GF_STATS_MAXPARAM)
                return gf_cli_usage(cli, "stats: at most %d --band values", GF_STATS_MAXPARAM);
            const char *dash = strchr(v + (v[0] == '-'), '-');
            double lo, hi;
            if (!dash || gf_csvscan_double(v, (size_t)(dash - v), &lo) ||
                gf_csvscan_double(dash + 1, strlen(dash + 1), &hi) || !isfinite(lo) ||
                !isfinite(hi) || lo > hi)
                return gf_cli_usage(cli,
                                    "stats: --band '%s': expected LOW-HIGH, e.g. 100000-500000", v);
            o->blo[o->f.nbands] = lo;
            o->bhi[o->f.nbands++] = hi;
            i++;
        } else if (!strcmp(a, "--band-scale")) {
            if (parse_num_arg(cli, "--band-scale", v, &o->f.band_scale))
                return GF_EUSAGE;
            if (!(o->f.band_scale > 0))
                return gf_cli_usage(cli, "stats: --band-scale '%s': expected a number > 0", v);
            i++;
        } else if (!strcmp(a, "--threads")) {
            double t;
            if (parse_num_arg(cli, "--threads", v, &t))
                return GF_EUSAGE;
            if (t < 1 || t > 16 || t != floor(t))
                return gf_cli_usage(cli, "stats: --threads '%s': expected 1..16", v);
            o->f.nthreads = (int)t;
            i++;
        } else if (a[0] == '-' && a[1]) {
            return gf_cli_usage(cli, "stats: unknown option '%s' (see gongfu stats --help)", a);
        } else if (!o->f.path) {
            o->f.path = a;
        } else {
            return gf_cli_usage(cli, "stats: unexpected argument '%s' (one FILE only)", a);
        }
    }
    if (!o->f.path)
        return gf_cli_usage(cli, "stats: missing FILE.csv (see gongfu stats --help)");
    else if (!o->f.value)
        return gf_cli_usage(cli, "stats: missing --value COLUMN");
    if (o->f.per_capita && !o->f.size)
        return gf_cli_usage(cli, "stats: --per-capita needs --size COLUMN");
    if ((o->f.food == NULL) != (o->f.cons == NULL))
        return gf_cli_usage(cli, "stats: --food and --consumption go together");
    return 0;
}

static const char *usage_zh =
    "用法: gongfu stats FILE.csv --value 列 [--weight 列] [--size 列 [--per-capita]]\n"
    "         [--by 列]... [--line Z]... [--band 低-高]... [--band-scale 3] [--urban 列]\n"
    "         [--food 列 --consumption 列] [--threads N] [--format table|csv|json]\n"
    "从CSV文件计算收入分配指标:全体一行(by=all),以及每个 --by 列的每个分组一行。\n"
    "  --per-capita  收入除以户人数,人口权重 = 权重 × 户人数\n"
    "  --line        低收入/贫困线(严格低于),默认 10000\n"
    "  --band        中等收入区间(人均×3 在 [低,高] 内的户比例),默认 100000-500000\n"
    "列的定义见 docs/distribution.md。\n\n"
    "       gongfu stats --db [--period P] [--line Z]... [--band 低-高]... [--threads N]\n"
    "从库中的住户收入微观数据(gongfu import households)为层级中每个单位计算同样的列,\n"
    "并保存为计算值指标(income_pc, gini, ...; 见 docs/income-microdata.md)。默认最新期别。\n"
    "       gongfu stats --db --results [--period P] [--unit 代码] [--line Z]... [--band 低-高]...\n"
    "只读:本人范围内(或该单位及其下级)各单位的同样各列与洛伦兹曲线,不保存。";
static const char *usage_en =
    "usage: gongfu stats FILE.csv --value COL [--weight COL] [--size COL [--per-capita]]\n"
    "         [--by COL]... [--line Z]... [--band LO-HI]... [--band-scale 3] [--urban COL]\n"
    "         [--food COL --consumption COL] [--threads N] [--format table|csv|json]\n"
    "Income distribution measures from a CSV file: one row for the whole file (by=all) and\n"
    "one for each group of each --by column (nested --by columns are computed as one tree).\n"
    "  --per-capita  divide the value by the household size; persons weigh weight x size\n"
    "  --line        low-income / poverty line (strictly below), default 10000\n"
    "  --band        middle-income band on per-capita x 3 (closed), default 100000-500000\n"
    "Columns and conventions: docs/distribution.md.\n\n"
    "       gongfu stats --db [--period P] [--line Z]... [--band LO-HI]... [--threads N]\n"
    "The same columns for every unit of the hierarchy from the stored household microdata\n"
    "(gongfu import households), saved as computed indicator values (income_pc, gini, ...;\n"
    "docs/income-microdata.md).  Default period: the newest one.\n"
    "       gongfu stats --db --results [--period P] [--unit CODE] [--line Z]... [--band LO-HI]...\n"
    "Read only: the same columns and the Lorenz curve of the units in my scope (or of the\n"
    "unit and those under it), nothing saved.";

/* GONGFU_TIMING=1 prints the time of each step on standard error (wall, and CPU time of all
 * threads when known: on a busy machine the CPU time is the steadier measure). */
static void print_phase(const char *what, double seconds, double cpu_seconds)
{
    if (!getenv("GONGFU_TIMING"))
        return;
    if (cpu_seconds >= 0)
        fprintf(stderr, "stats: %-10s %.3f s  (cpu %.3f s)\n", what, seconds, cpu_seconds);
    else
        fprintf(stderr, "stats: %-10s %.3f s\n", what, seconds);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* gongfu stats --db [--results]: the stored household microdata (ops_stats.c) */
static int stats_db(struct gf_cli *cli, int argc, char **argv)
{
    char **args = calloc((size_t)argc + 1, sizeof *args);
    if (!args)
        return gf_err_set(&cli->err, GF_ENOMEM, "out of memory");
    int n = 0, results = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--results"))
            results = 1;
        else
            args[n++] = argv[i];
    }
    int rc = gf_cli_call(cli, results ? "stats.results" : "stats.compute", n, args, 1,
                         results ? "stats --db --results" : "stats --db");
    free(args);
    return rc;
}

int cmd_stats(struct gf_cli *cli, int argc, char **argv)
{
    if (gf_cli_wants_help(argc, argv)) {
        puts(L(cli, usage_zh, usage_en));
        return 0;
    }
    if (cli->db_flag)
        return stats_db(cli, argc, argv);
    struct opts o;
    int rc = parse_opts(cli, argc, argv, &o);
    if (rc)
        return rc;
    /* Keep freed memory in the process for reuse instead of returning it to the kernel: fresh
     * pages must be zeroed by the kernel, which costs more than parsing on virtual machines
     * (the library's merge buffer then reuses the pages of the freed input columns). */
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, INT_MAX);
    struct gf_stats_result res;
    if ((rc = gf_stats_file(&o.f, &res, &cli->err)) != GF_OK)
        return rc;
    for (int i = 0; i < res.nphase; i++)
        print_phase(res.phase[i].name, res.phase[i].seconds, res.phase[i].cpu_seconds);
    if (getenv("GONGFU_TIMING")) {
        double huge_ms, small_ms;
        gf_pages_probe(&huge_ms, &small_ms);
        fprintf(stderr,
                "stats: pages      %s (2 MiB: huge %.2f ms, small %.2f ms); the rows' layout: "
                "%.0f of %.0f MB moved from the parse; reserved pages held at most: %.0f MB\n",
                gf_pages() == GF_PAGES_HUGE ? "huge" : "small", huge_ms, small_ms,
                (double)res.moved / 1e6, 16.0 * (double)res.rows / 1e6,
                (double)gf_pages_pool_peak() / 1e6);
    }
    double t0 = now_s();
    gf_table_print(res.table, stdout, cli->format, cli->lang);
    print_phase("output", now_s() - t0, -1);
    gf_stats_result_free(&res);
    return GF_OK;
}
