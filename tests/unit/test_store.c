/* test_store.c — the SQLite files' safety rules (store/db.h) and safe output files
 * (util/outfile.h): an output never half-replaces a file nor overwrites a database, a newer
 * database file is not written to.  (What every backend does alike is test_backends.c.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/db.h"
#include "util/outfile.h"

static char dir[256];

static const char *at(const char *name)
{
    static char path[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
    return path[k];
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void assert_file(const char *path, const char *text)
{
    char buf[256] = "";
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    assert_string_equal(buf, text);
}

static int files_in_dir(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", dir);
    FILE *p = popen(cmd, "r");
    int n = -1;
    assert_int_equal(fscanf(p, "%d", &n), 1);
    pclose(p);
    return n;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/gongfu-test-store-%d", (int)getpid());
    return mkdir(dir, 0700);
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

/* commit replaces the target whole and keeps its mode; abort leaves it as it was; either way
 * no temporary file stays behind */
static void test_outfile_replace_and_abort(void **state)
{
    (void)state;
    const char *out = at("out.csv");
    write_text(out, "old\n");
    chmod(out, 0640);
    int before = files_in_dir();
    struct gf_outfile o;
    struct gf_err e = {0};
    assert_int_equal(gf_outfile_open(&o, out, &e), GF_OK);
    fputs("new\n", o.fp);
    assert_file(out, "old\n"); /* nothing visible before the commit */
    gf_outfile_abort(&o);
    assert_file(out, "old\n");
    assert_int_equal(files_in_dir(), before);
    assert_int_equal(gf_outfile_open(&o, out, &e), GF_OK);
    fputs("new\n", o.fp);
    assert_int_equal(gf_outfile_commit(&o, &e), GF_OK);
    assert_file(out, "new\n");
    struct stat sb;
    assert_int_equal(stat(out, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0640);
    assert_int_equal(files_in_dir(), before);
}

/* a file that starts with the SQLite header, and a directory, are refused before anything is
 * created; so are the database and its companion files, by identity */
static void test_outfile_refuses_databases(void **state)
{
    (void)state;
    const char *dbp = at("g.db");
    struct gf_db *db;
    struct gf_err e = {0};
    assert_int_equal(gf_db_open(&db, dbp, &e), GF_OK);
    int before = files_in_dir();
    struct gf_outfile o;
    assert_int_equal(gf_outfile_open(&o, dbp, &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "is a database file"));
    assert_int_equal(gf_outfile_open(&o, dir, &e), GF_EUSER);
    assert_int_equal(files_in_dir(), before);
    char link[600];
    snprintf(link, sizeof link, "%s", at("link.db"));
    assert_int_equal(symlink(dbp, link), 0);
    assert_int_equal(gf_db_owns_file(dbp, dbp), 1);
    assert_int_equal(gf_db_owns_file(dbp, link), 1);
    char wal[600];
    snprintf(wal, sizeof wal, "%s-wal", dbp);
    assert_int_equal(gf_db_owns_file(dbp, wal), 1);
    assert_int_equal(gf_db_owns_file(dbp, at("other.csv")), 0);
    gf_db_close(db);
}

/* a database with a migration step this gongfu does not know: writes refused naming both
 * versions, nothing changed; reading it works */
static void test_newer_database(void **state)
{
    (void)state;
    const char *dbp = at("new.db");
    struct gf_db *db;
    struct gf_err e = {0};
    assert_int_equal(gf_db_open(&db, dbp, &e), GF_OK);
    assert_int_equal(gf_db_exec(db, "INSERT INTO schema_migration VALUES ('core', 999, 'x')", &e),
                     GF_OK);
    gf_db_close(db);
    assert_int_equal(gf_db_open_existing(&db, dbp, &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "newer gongfu"));
    assert_non_null(strstr(e.msg, "[core 999,"));
    assert_non_null(strstr(e.msg, "this gongfu's is [core "));
    assert_int_equal(gf_db_open_read(&db, dbp, &e), GF_OK);
    assert_int_equal(
        gf_db_int(db, "SELECT max(step) FROM schema_migration WHERE module = 'core'", 0), 999);
    gf_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outfile_replace_and_abort),
        cmocka_unit_test(test_outfile_refuses_databases),
        cmocka_unit_test(test_newer_database),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
