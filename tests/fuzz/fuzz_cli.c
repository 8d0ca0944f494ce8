/* fuzz_cli.c — the command line on arbitrary argument vectors: every command's option parser
 * (and what runs after it) never crashes and ends with exit status 0, 1 or 2.
 *
 * An input is the arguments after "gongfu", one per line (a NUL byte also ends one).  Each input
 * runs gf_cli_main in a private temporary folder (entered for the command only), against a fresh copy of a small database
 * built once (units, a framework, values, people, list items, monitored households with cases)
 * and beside small files the arguments can name (CSV, JSON, a pipeline, a race configuration).
 * To stay bounded and deterministic: no argument may hold '/' (nothing outside the folder is
 * read or written), `demo` is skipped (it builds a whole zone), work-size options (--sensitivity,
 * --threads, --days, --months, --stalled-days) take at most 100, the clock is GONGFU_NOW, and
 * files the command wrote are removed after it.  Output goes to /dev/null (GONGFU_FUZZ_VERBOSE=1
 * prints each argument vector and its exit status). */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

#define MAX_ARGS 40
#define MAX_ARG_LEN 512

static const struct {
    const char *name, *text;
} fixtures[] = {
    {"units.csv", "code,name,name_en,parent,level,area,population\n"
                  "510400,攀枝花市,Panzhihua,,city,urban,1000\n"
                  "510402,东区,Dong,510400,county,urban,600\n"
                  "510421,米易县,Miyi,510400,county,rural,400\n"
                  "510421001,攀莲镇,Panlian,510421,township,rural,400\n"
                  "510421001001,乙村,B,510421001,village,rural,150\n"
                  "510421001002,丙村,C,510421001,village,rural,250\n"},
    {"framework.csv", "framework,framework_name,code,parent,kind,name,weight,direction,agg_units,"
                      "formula,target_2025\n"
                      "fx,体系,idx,,index,指数,1,,,,\n"
                      "fx,,dim,idx,dimension,维度,1,,,,\n"
                      "fx,,inc,dim,indicator,收入,0.6,+,popmean,,60000\n"
                      "fx,,gap,dim,indicator,差距,0.4,-,popmean,,2\n"
                      "fx,,half,dim,indicator,一半,0,+,popmean,inc / 2,\n"},
    {"values.csv", "unit,indicator,period,value\n"
                   "510421001001,inc,2024,30000\n510421001002,inc,2024,35000\n"
                   "510421001001,gap,2024,2.5\n510421001002,gap,2024,2.1\n"
                   "510402,inc,2024,50000\n510402,gap,2024,1.8\n"
                   "510421001001,inc,2025,32000\n510421001002,inc,2025,36000\n"},
    {"values.jsonl",
     "{\"unit\":\"510402\",\"indicator\":\"inc\",\"period\":2025,\"value\":51000}\n"},
    {"teams.csv", "code,name,kind\nT1,专班,work\n"},
    {"departments.csv", "code,name,team,unit\nD1,发改委,T1,510400\n"},
    {"people.csv", "code,name,department,unit\nP1,张一,D1,510400\nC1,周帮扶,D1,510421001\n"},
    {"items.csv", "code,title,kind,lead_unit,owner,team,unit,start,due,invest_planned,"
                  "start_planned\n"
                  "I1,园区,project,D1,P1,T1,510421,2024-01-01,2026-12-31,100,2024-03-01\n"
                  "I2,改革,reform,D1,P1,T1,510402,2024-01-01,2025-06-30,,\n"},
    {"progress.csv", "item,date,percent,reported_by,invest_done\nI1,2024-06-30,40,P1,30\n"},
    {"households.csv", "code,unit,head_name,phone\nH1,510421001001,张三,13812345678\n"
                       "H2,510421001002,李四,\nH3,510421001002,王五,\n"},
    {"members.csv", "household,seq,name,relation,age\nH1,1,张三,户主,50\nH2,1,李四,户主,40\n"},
    {"incomes.csv", "household,period,per_capita\nH1,2024,7000\nH1,2025,8000\nH2,2025,9000\n"
                    "H3,2025,20000\n"},
    {"micro.csv", "unit,period,household,size,income,weight\n"
                  "510421001001,2025,H1,3,8000,1.5\n510421001002,2025,H2,2,9500,1\n"
                  "510421001002,2025,x9,4,30000,2\n510402,2025,,1,60000,1\n"},
    {"m.csv", "unit,c1,c2,c3,c4\nA,30,30,38,29\nB,19,54,86,29\nC,19,15,85,28.9\nD,68,70,60,29\n"},
    {"imeta.csv", "iCode,iName,Level,Parent,Direction,Weight,Type\n"
                  "c1,C1,1,idx,1,1,Indicator\nc2,C2,1,idx,-1,1,Indicator\n"
                  "idx,Index,2,,1,1,Aggregate\n"},
    {"idata.csv", "uCode,uName,c1,c2\nA,a,1,5\nB,b,2,3\nC,c,4,1\n"},
    {"pipeline.json", "{\"steps\":[{\"step\":\"normalise\",\"method\":\"minmax\"},"
                      "{\"step\":\"weight\",\"method\":\"entropy\"},"
                      "{\"step\":\"aggregate\",\"method\":\"arithmetic\"}]}"},
    {"race.json", "{\"weights\":{\"eval\":0.5,\"items\":0.5},\"draws\":20,\"red\":{\"top\":1}}"},
};

/* Commands that build the fixture database (arguments after "gongfu --db base.db"). */
static const char *const build[][12] = {
    {"init"},
    {"import", "units", "units.csv"},
    {"import", "teams", "teams.csv"},
    {"import", "departments", "departments.csv"},
    {"import", "people", "people.csv"},
    {"import", "framework", "framework.csv"},
    {"import", "values", "values.csv"},
    {"values", "rollup"},
    {"items", "import", "items.csv"},
    {"items", "import", "progress.csv", "--what", "progress"},
    {"households", "import", "households", "households.csv"},
    {"households", "import", "members", "members.csv"},
    {"households", "import", "incomes", "incomes.csv"},
    {"households", "flag", "--period", "2025", "--date", "2026-01-10"},
    {"households", "identify", "H1", "--category", "edge", "--steps", "all"},
    {"problems", "raise", "--item", "I1", "--title", "慢", "--owner", "P1", "--severity", "medium",
     "--deadline", "2026-12-31"},
};

static char dir[4096];
static FILE *devnull;
static int home = -1; /* the folder the fuzzer runs in: it reads and writes its corpus there */

/* Into the private folder for a command, and back (only there: libFuzzer's paths are relative). */
static void enter(void)
{
    if (chdir(dir) != 0)
        abort();
}

static void leave(void)
{
    if (fchdir(home) != 0)
        abort();
}

static void cleanup(void)
{
    if (chdir(dir) != 0)
        return;
    DIR *d = opendir(".");
    struct dirent *de;
    while (d && (de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            unlink(de->d_name);
    if (d)
        closedir(d);
    if (fchdir(home) == 0)
        rmdir(dir);
}

static int is_fixture(const char *name)
{
    for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++)
        if (!strcmp(fixtures[i].name, name))
            return 1;
    return !strcmp(name, "base.db");
}

/* Remove what a command wrote (and the working database). */
static void sweep(void)
{
    DIR *d = opendir(".");
    struct dirent *de;
    while (d && (de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && !is_fixture(de->d_name) &&
            unlink(de->d_name) != 0)
            rmdir(de->d_name);
    if (d)
        closedir(d);
}

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    char buf[1 << 16];
    size_t n;
    int rc = in && out ? 0 : -1;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
        rc = fwrite(buf, 1, n, out) == n ? 0 : -1;
    if (in)
        fclose(in);
    if (out && fclose(out))
        rc = -1;
    return rc;
}

/* gf_cli_main with stdout and stderr silenced (sanitizer reports go to fd 2 all the same). */
static int run(int argc, char **argv)
{
    FILE *out = stdout, *err = stderr;
    stdout = stderr = devnull;
    int rc = gf_cli_main(argc, argv);
    fflush(devnull);
    stdout = out;
    stderr = err;
    return rc;
}

static void setup(void)
{
    /* under $TMPDIR: libFuzzer ends with _Exit (no atexit cleanup), scripts/fuzz.sh removes it */
    const char *tmp = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    if (snprintf(dir, sizeof dir, "%s/gongfu-fuzz-cli-XXXXXX", tmp) >= (int)sizeof dir)
        abort();
    if (!mkdtemp(dir) || (home = open(".", O_RDONLY | O_DIRECTORY)) < 0 ||
        !(devnull = fopen("/dev/null", "w")) || !freopen("/dev/null", "r", stdin))
        abort();
    atexit(cleanup);
    enter();
    setenv("GONGFU_NOW", "2026-06-30T12:00:00Z", 1);
    unsetenv("GONGFU_USER"); /* the database's administrator */
    setenv("GONGFU_LANG", "zh", 1);
    setenv("GONGFU_DEMO_DIR", "no-such-demo", 1);
    unsetenv("GONGFU_DB");
    for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
        FILE *f = fopen(fixtures[i].name, "wb");
        if (!f || fputs(fixtures[i].text, f) < 0 || fclose(f))
            abort();
    }
    for (size_t i = 0; i < sizeof build / sizeof build[0]; i++) {
        char *argv[16] = {"gongfu", "--db", "base.db"};
        int argc = 3;
        for (int k = 0; k < 12 && build[i][k]; k++)
            argv[argc++] = (char *)build[i][k];
        if (run(argc, argv) != 0) {
            fprintf(stderr, "fuzz_cli: building the fixture database failed at: %s %s\n",
                    build[i][0], build[i][1] ? build[i][1] : "");
            abort();
        }
    }
    leave();
}

static int work_option(const char *a)
{
    static const char *const opts[] = {"--sensitivity", "--threads",      "--days",
                                       "--months",      "--stalled-days", NULL};
    for (int i = 0; opts[i]; i++)
        if (!strncmp(a, opts[i], strlen(opts[i])))
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!devnull)
        setup();
    static char buf[MAX_ARGS * (MAX_ARG_LEN + 1)];
    char *argv[MAX_ARGS + 4] = {"gongfu", "--db", "work.db"};
    int argc = 3;
    size_t o = 0, start = 0;
    for (size_t i = 0; i <= size; i++) {
        if (i < size && data[i] != '\n' && data[i] != 0)
            continue;
        size_t len = i - start;
        if (argc == MAX_ARGS + 3 || len > MAX_ARG_LEN)
            return 0;
        memcpy(buf + o, data + start, len);
        buf[o + len] = 0;
        argv[argc++] = buf + o;
        o += len + 1;
        start = i + 1;
    }
    if (argc > 3 && !strcmp(argv[argc - 1], "") && size && data[size - 1] == '\n')
        argc--; /* a last line end is not an empty argument */
    argv[argc] = NULL;
    for (int i = 3; i < argc; i++) {
        if (strchr(argv[i], '/') || !strcmp(argv[i], "demo"))
            return 0;
        if (work_option(argv[i - 1]) && strtol(argv[i], NULL, 10) > 100)
            return 0;
        const char *eq = strchr(argv[i], '=');
        if (eq && work_option(argv[i]) && strtol(eq + 1, NULL, 10) > 100)
            return 0;
    }
    enter();
    if (copy_file("base.db", "work.db"))
        abort();
    int rc = run(argc, argv);
    if (getenv("GONGFU_FUZZ_VERBOSE")) { /* to check what the seeds reach */
        for (int i = 3; i < argc; i++)
            fprintf(stderr, "%s ", argv[i]);
        fprintf(stderr, "→ exit %d\n", rc);
    }
    if (rc != 0 && rc != 1 && rc != 2)
        abort(); /* 3: out of memory in main; anything else is a bug */
    sweep();
    leave();
    return 0;
}
