/* test_audit.c — the audit trail: who acts (never nobody), the hash chain against a hash computed
 * here from the documented canonical form, and gf_audit_verify on each kind of tampering,
 * including a record rewritten with a recomputed hash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/actor.h"
#include "domain/audit.h"
#include "store/db.h"
#include "testdb.h"

static char dbpath[512];

static struct gf_db *open_db(void)
{
    testdb_new(dbpath, sizeof dbpath, "audit");
    struct gf_db *db;
    struct gf_err e = {0};
    assert_int_equal(gf_db_open(&db, dbpath, &e), GF_OK);
    return db;
}

static void close_db(struct gf_db *db)
{
    gf_db_close(db);
    testdb_drop(dbpath);
}

static void run(struct gf_db *db, const char *sql)
{
    struct gf_err e = {0};
    if (gf_db_exec(db, sql, &e))
        fail_msg("%s: %s", sql, e.msg);
}

/* Five records: 1..5 by "P1", the first without before, the third without after, the last two
 * with texts that would run together the same way without the length prefixes. */
static void five(struct gf_db *db)
{
    struct gf_err e = {0};
    setenv("GONGFU_NOW", "2026-01-02T03:04:05Z", 1);
    assert_int_equal(gf_audit(db, "P1", "insert", "unit", "510400", NULL, "{\"a\":\"1\"}", &e),
                     GF_OK);
    assert_int_equal(
        gf_audit(db, "P1", "update", "unit", "510400", "{\"a\":\"1\"}", "{\"a\":\"2\"}", &e),
        GF_OK);
    assert_int_equal(gf_audit(db, "P1", "delete", "unit", "510400", "{\"a\":\"2\"}", NULL, &e),
                     GF_OK);
    assert_int_equal(gf_audit(db, "P1", "x", "y", "k", "1:2", "~", &e), GF_OK);
    assert_int_equal(gf_audit(db, "P1", "x", "y", "k1:2", "", "~", &e), GF_OK);
    unsetenv("GONGFU_NOW");
}

static void verify(struct gf_db *db, enum gf_audit_state want, int64_t bad)
{
    struct gf_audit_check c;
    struct gf_err e = {0};
    assert_int_equal(gf_audit_verify(db, &c, &e), GF_OK);
    assert_int_equal(c.state, want);
    assert_int_equal(c.bad_id, bad);
}

/* The canonical form as audit.h documents it: previous hash, newline, then each field as
 * "LENGTH:BYTES" or "~" for NULL; SHA-256 in lowercase hex. */
static void canonical_hash(const char *prev, const char *const f[8], char out[65])
{
    char buf[4096];
    size_t o = (size_t)snprintf(buf, sizeof buf, "%s\n", prev);
    for (int i = 0; i < 8; i++)
        o += f[i] ? (size_t)snprintf(buf + o, sizeof buf - o, "%zu:%s", strlen(f[i]), f[i])
                  : (size_t)snprintf(buf + o, sizeof buf - o, "~");
    unsigned char h[32];
    crypto_hash_sha256(h, (const unsigned char *)buf, o);
    sodium_bin2hex(out, 65, h, 32);
}

static void test_actor_is_someone(void **state)
{
    (void)state;
    struct gf_db *db = open_db();
    struct gf_err e = {0};
    assert_int_equal(gf_audit(db, "", "insert", "unit", "k", NULL, NULL, &e), GF_EUSAGE);
    assert_non_null(strstr(e.msg, "acting user is empty"));
    assert_int_equal(gf_audit(db, " \t", "insert", "unit", "k", NULL, NULL, &e), GF_EUSAGE);
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM audit", -1), 0);
    assert_int_equal(gf_audit(db, NULL, "insert", "unit", "k", NULL, NULL, &e), GF_OK);
    assert_int_equal(gf_db_int(db, "SELECT actor = 'cli' FROM audit", 0), 1);
    assert_false(gf_actor_valid(NULL));
    assert_false(gf_actor_valid("\n "));
    assert_true(gf_actor_valid(" P1"));
    char person[GF_PERSON_MAX];
    assert_int_equal(gf_actor_as(db, "P1", "by", NULL, person, &e), GF_OK);
    assert_string_equal(person, "P1");
    assert_int_equal(gf_actor_as(db, "P1", "by", "P1", person, &e), GF_OK);
    assert_int_equal(gf_actor_as(db, "P1", "by", "P2", person, &e), GF_EUSER);
    assert_non_null(strstr(e.msg, "field \"by\": value \"P2\": expected the acting user (P1)"));
    close_db(db);
}

static void test_chain_known_hash(void **state)
{
    (void)state;
    struct gf_db *db = open_db();
    five(db);
    static const char zeros[] = "0000000000000000000000000000000000000000000000000000000000000000";
    char prev[65], h[65];
    memcpy(prev, zeros, sizeof prev);
    struct gf_stmt *st;
    assert_int_equal(gf_db_prepare(db,
                                   "SELECT id, at, actor, action, entity, key, before, after,"
                                   " prev_hash, hash FROM audit ORDER BY id",
                                   &st, NULL),
                     GF_OK);
    int n = 0;
    while (gf_stmt_step(st, NULL) == 1) {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)gf_stmt_int(st, 0));
        const char *f[8] = {id};
        for (int i = 1; i < 8; i++)
            f[i] = gf_stmt_text(st, i);
        assert_string_equal(gf_stmt_text(st, 8), prev);
        canonical_hash(prev, f, h);
        assert_string_equal(gf_stmt_text(st, 9), h);
        memcpy(prev, h, sizeof prev);
        n++;
    }
    gf_stmt_finalize(st);
    assert_int_equal(n, 5);
    /* records 4 and 5 concatenate to the same text without the length prefixes */
    assert_int_not_equal(gf_db_int(db, "SELECT count(DISTINCT hash) FROM audit", 0), 4);
    struct gf_audit_check c;
    struct gf_err e = {0};
    assert_int_equal(gf_audit_verify(db, &c, &e), GF_OK);
    assert_int_equal(c.state, GF_AUDIT_INTACT);
    assert_int_equal(c.records, 5);
    assert_int_equal(c.last_id, 5);
    assert_string_equal(c.head, prev);
    close_db(db);
}

static void test_verify_finds_tampering(void **state)
{
    (void)state;
    struct gf_db *db = open_db();
    five(db);
    verify(db, GF_AUDIT_INTACT, 0);
    /* changed: any field, also NULL ↔ empty */
    run(db, "UPDATE audit SET after = '' WHERE id = 3");
    verify(db, GF_AUDIT_CHANGED, 3);
    run(db, "UPDATE audit SET after = NULL WHERE id = 3");
    verify(db, GF_AUDIT_INTACT, 0);
    run(db, "UPDATE audit SET at = '2026-01-02T03:04:06Z' WHERE id = 2");
    verify(db, GF_AUDIT_CHANGED, 2);
    run(db, "UPDATE audit SET at = '2026-01-02T03:04:05Z' WHERE id = 2");
    /* removed */
    run(db, "CREATE TABLE saved AS SELECT * FROM audit");
    run(db, "DELETE FROM audit WHERE id = 2");
    verify(db, GF_AUDIT_REMOVED, 2);
    run(db, "INSERT INTO audit SELECT * FROM saved WHERE id = 2");
    verify(db, GF_AUDIT_INTACT, 0);
    /* inserted: no hash, or away from its place a hash copied from elsewhere */
    run(db, "INSERT INTO audit (id, at, actor, action, entity, key) VALUES (6, 'x', 'P9', 'a', "
            "'b', 'c')");
    verify(db, GF_AUDIT_INSERTED, 6);
    run(db, "UPDATE audit SET id = 9, prev_hash = (SELECT hash FROM audit WHERE id = 5),"
            " hash = (SELECT hash FROM audit WHERE id = 5) WHERE id = 6");
    verify(db, GF_AUDIT_INSERTED, 9);
    run(db, "DELETE FROM audit WHERE id = 9");
    /* rewritten with a hash recomputed by someone who knows the canonical form: the next
     * record no longer links to it */
    static const char *const f[8] = {
        "2",      "2026-01-02T03:04:05Z", "P1",           "update", "unit",
        "510400", "{\"a\":\"1\"}",        "{\"a\":\"9\"}"};
    char h[65], sql[512];
    struct gf_stmt *st;
    assert_int_equal(gf_db_prepare(db, "SELECT prev_hash FROM audit WHERE id = 2", &st, NULL),
                     GF_OK);
    assert_int_equal(gf_stmt_step(st, NULL), 1);
    canonical_hash(gf_stmt_text(st, 0), f, h);
    gf_stmt_finalize(st);
    snprintf(sql, sizeof sql, "UPDATE audit SET after = '{\"a\":\"9\"}', hash = '%s' WHERE id = 2",
             h);
    run(db, sql);
    verify(db, GF_AUDIT_BROKEN, 3);
    close_db(db);
}

/* A database from before the chain: the records are chained once, by the next write. */
static void test_old_records_chained(void **state)
{
    (void)state;
    if (testdb_on_pg())
        skip(); /* PostgreSQL databases start at today's schema (an older one is refused) */
    struct gf_db *db = open_db();
    five(db);
    gf_db_close(db);
    /* back to the schema before core step 4 */
    assert_int_equal(gf_db_open(&db, dbpath, NULL), GF_OK);
    run(db, "ALTER TABLE audit DROP COLUMN prev_hash; ALTER TABLE audit DROP COLUMN hash;"
            "DELETE FROM schema_migration WHERE module = 'core' AND step = 4");
    gf_db_close(db);
    assert_int_equal(gf_db_open(&db, dbpath, NULL), GF_OK);
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM audit WHERE hash IS NULL", -1), 5);
    struct gf_err e = {0};
    assert_int_equal(gf_audit(db, "P2", "insert", "unit", "510402", NULL, NULL, &e), GF_OK);
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM audit WHERE hash IS NULL", -1), 0);
    assert_int_equal(gf_db_int(db, "SELECT count(*) FROM meta WHERE key LIKE 'audit%'", -1), 0);
    struct gf_audit_check c;
    assert_int_equal(gf_audit_verify(db, &c, &e), GF_OK);
    assert_int_equal(c.state, GF_AUDIT_INTACT);
    assert_int_equal(c.records, 6);
    assert_int_equal(c.chained, 0);
    /* a record added by hand afterwards is not adopted by the next write */
    run(db, "INSERT INTO audit (id, at, actor, action, entity, key) VALUES (7, 'x', 'P9', 'a', "
            "'b', 'c')");
    assert_int_equal(gf_audit(db, "P2", "insert", "unit", "510403", NULL, NULL, &e), GF_OK);
    verify(db, GF_AUDIT_INSERTED, 7);
    close_db(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_actor_is_someone),
        cmocka_unit_test(test_chain_known_hash),
        cmocka_unit_test(test_verify_finds_tampering),
        cmocka_unit_test(test_old_records_chained),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
