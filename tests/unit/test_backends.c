/* test_backends.c — the store behaves the same on both backends (store/db.h): transactions nest
 * and an inner rollback dooms the outer one, a savepoint or a trial is undone alone, a statement
 * that fails unreported does not spoil the transaction around it, parameters tested for NULL
 * before their use, bytes and doubles round trip exactly, ids and change counts, copying a
 * database across backends keeps every value.  SQLite always; PostgreSQL too when
 * GONGFU_TEST_BACKEND=postgresql (the cluster's socket folder in GONGFU_TEST_PG_HOST, see
 * scripts/pg.sh).  And the translation of the domain's SQL for PostgreSQL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "store/db_pg.h"
#include "testdb.h"

static char dir[256];
static int on_pg;
static int serial;

/* A new empty database: a file, or a PostgreSQL database made for the test. */
static const char *new_db(char *out, size_t cap)
{
    serial++;
    if (!on_pg) {
        snprintf(out, cap, "%s/t%d.db", dir, serial);
        return out;
    }
    char tag[32];
    snprintf(tag, sizeof tag, "backends_%d", serial);
    return testdb_new(out, cap, tag);
}

static struct gf_db *open_new(void)
{
    static char name[600];
    struct gf_db *db;
    struct gf_err e = {0};
    int rc = gf_db_open(&db, new_db(name, sizeof name), &e);
    if (rc)
        fail_msg("%s", e.msg);
    return db;
}

static int setup(void **state)
{
    (void)state;
    on_pg = testdb_on_pg();
    snprintf(dir, sizeof dir, "/tmp/gongfu-test-backends-%d", (int)getpid());
    char cmd[300];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    return system(cmd);
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

static int64_t metas(struct gf_db *db)
{
    return gf_db_int(db, "SELECT count(*) FROM meta WHERE key LIKE 't%'", -1);
}

static void test_translate(void **state)
{
    (void)state;
    int n;
    char *s = gf_pg_translate("SELECT 'a?b', \"q?\" FROM t WHERE x = ? AND y = ? AND z = ?1", &n);
    assert_string_equal(s, "SELECT 'a?b', \"q?\" FROM t WHERE x = $1 AND y = $2 AND z = $1");
    assert_int_equal(n, 2);
    free(s);
    s = gf_pg_translate("SELECT CAST(? AS REAL), cast(?3 as integer) FROM temp.k WHERE v = 'it''s ?'",
                        &n);
    assert_string_equal(s, "SELECT CAST($1 AS DOUBLE PRECISION), cast($3 AS BIGINT) FROM pg_temp.k "
                           "WHERE v = 'it''s ?'");
    assert_int_equal(n, 3);
    free(s);
    /* NULLs sort as in SQLite: first going up, last going down; a term that says stays */
    s = gf_pg_translate("SELECT a, (SELECT max(b) FROM t ORDER BY c DESC, d LIMIT 1) FROM u"
                        " ORDER BY f(a, b), e desc NULLS FIRST, x.g DESC",
                        &n);
    assert_string_equal(s, "SELECT a, (SELECT max(b) FROM t ORDER BY c DESC NULLS LAST, d NULLS FIRST "
                           "LIMIT 1) FROM u ORDER BY f(a, b) NULLS FIRST, e desc NULLS FIRST, "
                           "x.g DESC NULLS LAST");
    free(s);
    s = gf_pg_translate("SELECT rank() OVER (PARTITION BY k ORDER BY v DESC) FROM t ORDER BY 1", &n);
    assert_string_equal(s, "SELECT rank() OVER (PARTITION BY k ORDER BY v DESC NULLS LAST) FROM t "
                           "ORDER BY 1 NULLS FIRST");
    free(s);
    /* a row's key is never NULL: left as it is, so that PostgreSQL walks the key's index */
    s = gf_pg_translate("SELECT 1 FROM audit a ORDER BY id DESC, a.rowid, idx DESC, a.id_card", &n);
    assert_string_equal(s, "SELECT 1 FROM audit a ORDER BY id DESC, a.rowid, idx DESC NULLS LAST, "
                           "a.id_card NULLS FIRST");
    free(s);
    s = gf_pg_translate("SELECT real_income, integer_part FROM attempt.x", &n); /* whole words only */
    assert_string_equal(s, "SELECT real_income, integer_part FROM attempt.x");
    assert_int_equal(n, 0);
    free(s);
}

/* an inner rollback dooms the outer transaction; nothing of it is kept */
static void test_nesting(void **state)
{
    (void)state;
    struct gf_db *db = open_new();
    struct gf_err e = {0};
    assert_int_equal(gf_db_begin(db, &e), GF_OK);
    assert_int_equal(gf_db_run(db, &e, "INSERT INTO meta VALUES (?, ?)", "t1", "a"), GF_OK);
    assert_int_equal(gf_db_begin(db, &e), GF_OK);
    assert_int_equal(gf_db_run(db, &e, "INSERT INTO meta VALUES (?, ?)", "t2", "b"), GF_OK);
    gf_db_rollback(db);
    assert_true(gf_db_doomed(db));
    assert_int_equal(gf_db_commit(db, &e), GF_ESYS);
    assert_int_equal(metas(db), 0);
    /* a savepoint undone alone: the rest commits */
    assert_int_equal(gf_db_begin(db, &e), GF_OK);
    assert_int_equal(gf_db_run(db, &e, "INSERT INTO meta VALUES (?, ?)", "t1", "a"), GF_OK);
    assert_int_equal(gf_db_savepoint(db, &e), GF_OK);
    assert_int_equal(gf_db_run(db, &e, "INSERT INTO meta VALUES (?, ?)", "t2", "b"), GF_OK);
    assert_int_equal(gf_db_savepoint_rollback(db, &e), GF_OK);
    /* a trial undone inside the transaction does not doom it */
    assert_int_equal(gf_db_trial_begin(db, &e), GF_OK);
    assert_int_equal(gf_db_run(db, &e, "INSERT INTO meta VALUES (?, ?)", "t3", "c"), GF_OK);
    gf_db_trial_undo(db);
    assert_false(gf_db_doomed(db));
    assert_int_equal(gf_db_commit(db, &e), GF_OK);
    assert_int_equal(metas(db), 1);
    assert_int_equal(gf_db_int_text(db, "SELECT count(*) FROM meta WHERE key = ?", "t1"), 1);
    gf_db_close(db);
}

/* a statement that fails with nobody told (no gf_err) leaves the transaction usable, as in
 * SQLite; a reported failure (a broken key) is bad data, named */
static void test_failures(void **state)
{
    (void)state;
    struct gf_db *db = open_new();
    struct gf_err e = {0};
    assert_int_equal(gf_db_begin(db, &e), GF_OK);
    assert_int_equal(gf_db_run(db, &e, "INSERT INTO meta VALUES (?, ?)", "t1", "a"), GF_OK);
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM no_such_table", -7), -7);
    gf_db_exec(db, "DROP TABLE no_such_table", NULL);
    assert_int_equal(gf_db_run(db, &e, "INSERT INTO meta VALUES (?, ?)", "t2", "b"), GF_OK);
    assert_int_equal(gf_db_commit(db, &e), GF_OK);
    assert_int_equal(metas(db), 2);
    e = (struct gf_err){0};
    assert_int_equal(gf_db_run(db, &e, "INSERT INTO meta VALUES (?, ?)", "t1", "again"), GF_EUSER);
    assert_non_null(strstr(e.msg, "database:"));
    assert_int_equal(metas(db), 2);
    gf_db_close(db);
}

/* "?1 IS NULL OR col = ?1" with text and with numbers; booleans read as 1 and 0 */
static void test_parameters(void **state)
{
    (void)state;
    struct gf_db *db = open_new();
    struct gf_stmt *st;
    struct gf_err e = {0};
    assert_int_equal(gf_db_prepare(db,
                                   "SELECT count(*) FROM unit_level WHERE (?1 IS NULL OR code = ?1)"
                                   " AND (?2 IS NULL OR level >= ?2) AND ? IS NULL",
                                   &st, &e),
                     GF_OK);
    gf_stmt_bind_text(st, 1, "village");
    gf_stmt_bind_null(st, 2);
    gf_stmt_bind_null(st, 3);
    assert_int_equal(gf_stmt_step(st, &e), 1);
    assert_int_equal(gf_stmt_int(st, 0), 1);
    gf_stmt_reset(st);
    gf_stmt_bind_null(st, 1);
    gf_stmt_bind_int(st, 2, 2);
    gf_stmt_bind_null(st, 3);
    assert_int_equal(gf_stmt_step(st, &e), 1);
    assert_int_equal(gf_stmt_int(st, 0), 3);
    gf_stmt_finalize(st);
    assert_int_equal(gf_db_int(db, "SELECT 2 > 1", -1), 1);
    assert_int_equal(gf_db_prepare(db, "SELECT 1 = 0, count(*) > 0 FROM unit_level", &st, &e), GF_OK);
    assert_int_equal(gf_stmt_step(st, &e), 1);
    assert_string_equal(gf_stmt_text(st, 0), "0");
    assert_string_equal(gf_stmt_text(st, 1), "1");
    gf_stmt_finalize(st);
    gf_db_close(db);
}

/* bytes with NUL and 0xFF, doubles to the last bit (bound, and appended in bulk: COPY text on
 * PostgreSQL), ids, change counts */
static void test_values(void **state)
{
    (void)state;
    struct gf_db *db = open_new();
    struct gf_stmt *st;
    struct gf_err e = {0};
    const unsigned char bytes[] = {0, 1, 0xff, 'a', 0, '\\', 'x'};
    assert_int_equal(gf_db_exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB, r REAL)", &e),
                     GF_OK);
    /* 17 digits, tiny, many digits, 16 digits, a power of two whose 16 digits are not printf's,
     * the smallest subnormal, the largest */
    const double vals[] = {
        0.1 + 0.2, 1e-300, -123456.78901234567, 1.0 / 3.0, 0x1p+132, 5e-324, 1.7976931348623157e308,
    };
    enum { NV = sizeof vals / sizeof vals[0] };
    for (int i = 0; i < NV; i++) {
        assert_int_equal(gf_db_prepare(db, "INSERT INTO t (b, r) VALUES (?, ?)", &st, &e), GF_OK);
        gf_stmt_bind_blob(st, 1, bytes, sizeof bytes);
        gf_stmt_bind_double(st, 2, vals[i]);
        assert_int_equal(gf_stmt_step(st, &e), 0);
        gf_stmt_finalize(st);
        assert_int_equal(gf_db_last_id(db), i + 1);
    }
    assert_int_equal(gf_db_exec(db, "UPDATE t SET r = r WHERE id > 1", &e), GF_OK);
    assert_int_equal(gf_db_changes(db), NV - 1);
    struct gf_db_append *a;
    const char *cols[] = {"id", "b", "r"};
    assert_int_equal(gf_db_begin(db, &e), GF_OK);
    assert_int_equal(gf_db_append_begin(db, "t", cols, 3, &a, &e), GF_OK);
    for (int i = 0; i < NV; i++) {
        gf_db_append_int(a, NV + 1 + i);
        gf_db_append_blob(a, bytes, sizeof bytes);
        gf_db_append_double(a, vals[i]);
        assert_int_equal(gf_db_append_row(a, &e), GF_OK);
    }
    assert_int_equal(gf_db_append_end(a, &e), GF_OK);
    assert_int_equal(gf_db_commit(db, &e), GF_OK);
    assert_int_equal(gf_db_prepare(db, "SELECT b, r FROM t ORDER BY id", &st, &e), GF_OK);
    for (int i = 0; i < 2 * NV; i++) {
        assert_int_equal(gf_stmt_step(st, &e), 1);
        size_t n;
        const void *p = gf_stmt_blob(st, 0, &n);
        assert_int_equal(n, sizeof bytes);
        assert_memory_equal(p, bytes, n);
        if (gf_stmt_double(st, 1) != vals[i % NV])
            fail_msg("row %d: %.17g read back as %.17g", i + 1, vals[i % NV],
                     gf_stmt_double(st, 1));
    }
    assert_int_equal(gf_stmt_step(st, &e), 0);
    gf_stmt_finalize(st);
    gf_db_close(db);
}

/* a streamed query returns every row; stopped halfway, the connection serves the next one */
static void test_stream(void **state)
{
    (void)state;
    struct gf_db *db = open_new();
    struct gf_stmt *st;
    struct gf_err e = {0};
    assert_int_equal(gf_db_prepare_stream(db, "SELECT level, code FROM unit_level WHERE level >= ?"
                                              " ORDER BY level",
                                          &st, &e),
                     GF_OK);
    gf_stmt_bind_int(st, 1, 2);
    int n = 0;
    while (gf_stmt_step(st, &e) == 1)
        assert_int_equal(gf_stmt_int(st, 0), 2 + n++);
    assert_int_equal(n, 3);
    gf_stmt_reset(st);
    gf_stmt_bind_int(st, 1, 1);
    assert_int_equal(gf_stmt_step(st, &e), 1);
    assert_string_equal(gf_stmt_text(st, 1), "city");
    gf_stmt_finalize(st); /* three rows left unread */
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM unit_level", 0), 4);
    assert_int_equal(gf_db_prepare_stream(db, "SELECT nope FROM unit_level", &st, &e) ||
                         gf_stmt_step(st, &e) < 0,
                     1);
    gf_stmt_finalize(st);
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM unit_level", 0), 4);
    gf_db_close(db);
}

/* a database copied to the other backend and back: every value the same */
static void test_copy(void **state)
{
    (void)state;
    struct gf_db *db = open_new(), *file;
    struct gf_err e = {0};
    assert_int_equal(gf_db_run(db, &e, "INSERT INTO meta VALUES (?, ?)", "t\ttab\nline\\", "v"),
                     GF_OK);
    assert_int_equal(gf_db_exec(db,
                                "INSERT INTO unit VALUES ('1', '市', NULL, NULL, 1, 'urban', 100,"
                                " NULL);"
                                "INSERT INTO indicator (code, name, direction, band_lo)"
                                " VALUES ('i', '指标', '+', 0.30000000000000004)",
                                &e),
                     GF_OK);
    char path[600];
    snprintf(path, sizeof path, "%s/copy%d.db", dir, ++serial);
    assert_int_equal(gf_db_open(&file, path, &e), GF_OK);
    assert_int_equal(gf_db_begin(file, &e), GF_OK);
    assert_int_equal(gf_db_copy(db, file, &e), GF_OK);
    assert_int_equal(gf_db_commit(file, &e), GF_OK);
    assert_int_equal(gf_db_int_text(file, "SELECT count(*) FROM meta WHERE key = ?", "t\ttab\nline\\"), 1);
    struct gf_stmt *st;
    assert_int_equal(gf_db_prepare(file, "SELECT band_lo FROM indicator WHERE code = 'i'", &st, &e),
                     GF_OK);
    assert_int_equal(gf_stmt_step(st, &e), 1);
    assert_true(gf_stmt_double(st, 0) == 0.30000000000000004);
    gf_stmt_finalize(st);
    /* and back into a new database of the backend under test */
    struct gf_db *back = open_new();
    assert_int_equal(gf_db_begin(back, &e), GF_OK);
    assert_int_equal(gf_db_copy(file, back, &e), GF_OK);
    assert_int_equal(gf_db_commit(back, &e), GF_OK);
    assert_int_equal(gf_db_int(back, "SELECT population FROM unit WHERE code = '1'", 0), 100);
    assert_int_equal(gf_db_int(back, "SELECT count(*) FROM schema_migration", 0),
                     gf_db_int(db, "SELECT count(*) FROM schema_migration", -1));
    assert_int_equal(gf_db_holds_data(back, &e), 1);
    gf_db_close(back);
    gf_db_close(file);
    gf_db_close(db);
}

/* Data is what users put there (the schema's own rows are not); clearing is a transaction's:
 * rolled back, it changes nothing. */
static void test_clear_and_holds_data(void **state)
{
    (void)state;
    struct gf_db *db = open_new();
    struct gf_err e = {0};
    assert_int_equal(gf_db_holds_data(db, &e), 0); /* the schema's own rows are not data */
    assert_int_equal(gf_db_exec(db, "INSERT INTO meta VALUES ('k', 'v')", &e), GF_OK);
    assert_int_equal(gf_db_holds_data(db, &e), 1);
    assert_int_equal(gf_db_clear(db, &e), GF_ESYS); /* outside a transaction */
    assert_int_equal(gf_db_begin(db, &e), GF_OK);
    assert_int_equal(gf_db_clear(db, &e), GF_OK);
    assert_int_equal(gf_db_holds_data(db, &e), 0);
    gf_db_rollback(db);
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM meta WHERE key = 'k'", 0), 1);
    assert_int_equal(gf_db_begin(db, &e), GF_OK);
    assert_int_equal(gf_db_clear(db, &e), GF_OK);
    assert_int_equal(gf_db_commit(db, &e), GF_OK);
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM meta WHERE key = 'k'", -1), 0);
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM unit_level", 0), 4); /* schema rows */
    gf_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_translate), cmocka_unit_test(test_nesting),
        cmocka_unit_test(test_failures),  cmocka_unit_test(test_parameters),
        cmocka_unit_test(test_values),    cmocka_unit_test(test_stream),
        cmocka_unit_test(test_copy),      cmocka_unit_test(test_clear_and_holds_data),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
