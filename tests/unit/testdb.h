/* testdb.h — the database a unit test runs on: a file in /tmp, or with
 * GONGFU_TEST_BACKEND=postgresql a database made for it in the cluster whose socket folder is
 * GONGFU_TEST_PG_HOST (scripts/pg.sh).  CMakeLists.txt runs every unit test that includes this
 * header on both backends. */
#ifndef GONGFU_TESTDB_H
#define GONGFU_TESTDB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"

/* 1 when the tests run on PostgreSQL (exits when the cluster is not named). */
static int testdb_on_pg(void)
{
    const char *b = getenv("GONGFU_TEST_BACKEND");
    if (!b || strcmp(b, "postgresql"))
        return 0;
    if (!getenv("GONGFU_TEST_PG_HOST")) {
        fprintf(stderr, "GONGFU_TEST_BACKEND=postgresql needs GONGFU_TEST_PG_HOST (scripts/pg.sh)\n");
        exit(2);
    }
    return 1;
}

static int testdb_psql(const char *sql)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "PGOPTIONS='-c client_min_messages=warning' psql -h '%s' -U postgres -d postgres"
             " -XAtq -c '%s' >/dev/null",
             getenv("GONGFU_TEST_PG_HOST"), sql);
    return system(cmd);
}

/* The name of a database spec made by testdb_new, or NULL for a file. */
static const char *testdb_pg_name(const char *spec, char *out, size_t cap)
{
    if (strncmp(spec, "postgresql://", 13))
        return NULL;
    const char *s = strchr(spec + 13, '/');
    size_t n = s ? strcspn(s + 1, "?") : 0;
    if (!s || n >= cap)
        return NULL;
    memcpy(out, s + 1, n);
    out[n] = 0;
    return out;
}

/* Remove a database made by testdb_new: the file with its -wal and -shm, or the database. */
static void testdb_drop(const char *spec)
{
    char name[128], sql[256];
    if (testdb_pg_name(spec, name, sizeof name)) {
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
        if (testdb_psql(sql))
            fprintf(stderr, "testdb: could not drop %s\n", name);
        return;
    }
    gf_db_remove(spec, NULL);
}

/* A new, empty database named by tag (letters, digits, _): its spec in out, for gf_db_open.
 * One left by an earlier run of the same process id is removed first. */
static const char *testdb_new(char *out, size_t cap, const char *tag)
{
    if (!testdb_on_pg()) {
        snprintf(out, cap, "/tmp/gongfu-test-%s-%d.db", tag, (int)getpid());
        testdb_drop(out);
        return out;
    }
    char name[128], sql[256];
    snprintf(name, sizeof name, "gt_unit_%d_%s", (int)getpid(), tag);
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    if (testdb_psql(sql) == 0) {
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
        if (testdb_psql(sql) == 0) {
            snprintf(out, cap, "postgresql://postgres@/%s?host=%s", name, getenv("GONGFU_TEST_PG_HOST"));
            return out;
        }
    }
    fprintf(stderr, "testdb: could not create %s\n", name);
    exit(2);
}

#endif
