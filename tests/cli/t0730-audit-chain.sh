#!/usr/bin/env bash
# The audit trail is a hash chain (review issue 18, item 8): a record changed, removed or
# inserted by hand (the sqlite3 shell, psql) is found by `gongfu audit verify`, which names the
# first such record and exits 1; an untouched trail verifies with its count and head.  A database
# from before the chain is chained on upgrade.
. "$(dirname "$0")/lib.sh"
B=$GONGFU_SRC/tests/data/base
db=$(newdb a)
G() { "$GONGFU" --db "$db" "$@"; }
for k in units framework values; do G import $k "$B/$k.csv" >/dev/null; done
G user add P2 --role centre >/dev/null # approves below
n=$(sql "$db" 'SELECT count(*) FROM audit')
[ "$n" -gt 20 ] && ok || fail "too few audit records to tamper with: $n"
head=$(sql "$db" 'SELECT hash FROM audit ORDER BY id DESC LIMIT 1')

expect_exit 0 G audit verify
expect_in "$T/out" "审计日志完整: $n 条记录" "最后一条 #$n, 哈希 $head"
expect_exit 0 G --lang en audit verify
expect_in "$T/out" "audit log intact: $n records, the hash chain holds; last record #$n, hash $head"
expect_exit 2 G audit
expect_in "$T/err" 'which subcommand? (verify, list)'
expect_exit 2 G audit verify now
expect_in "$T/err" "unexpected argument 'now'"
# every record links to the one before, ids without gaps
[ "$(sql "$db" 'SELECT count(*) FROM audit a JOIN audit b ON b.id = a.id - 1 WHERE a.prev_hash <> b.hash')" = 0 ] && ok ||
  fail "records not linked"
[ "$(sql "$db" 'SELECT CASE WHEN max(id) = count(*) AND min(id) = 1 THEN 1 ELSE 0 END FROM audit')" = 1 ] && ok || fail "ids with gaps"

# tamper SQL: $t, a new copy of the database tampered with by hand (sqlite3 or psql)
tn=0
tamper() {
  tn=$((tn + 1))
  t=$(copydb "$db" t$tn)
  sql "$t" "$1"
}
# the import of 60000 as the community's urban income becomes 66000
v=$(sql "$db" "SELECT id FROM audit WHERE entity = 'value' AND key = '510402001001/income_urban/2024'")
tamper "UPDATE audit SET after = replace(after, '\"60000\"', '\"66000\"') WHERE id = $v"
[ "$(sql "$t" "SELECT CASE WHEN after LIKE '%66000%' THEN 1 ELSE 0 END FROM audit WHERE id = $v")" = 1 ] && ok || fail "record $v holds no 60000"
expect_exit 1 "$GONGFU" --db "$t" --lang en audit verify
expect_in "$T/err" "record $v was changed"
tamper "UPDATE audit SET actor = 'someone' WHERE id = 3"
expect_exit 1 "$GONGFU" --db "$t" audit verify
expect_in "$T/err" '第 3 条记录被修改'

tamper "DELETE FROM audit WHERE id = 7"
expect_exit 1 "$GONGFU" --db "$t" --lang en audit verify
expect_in "$T/err" 'record 7 was removed (ids jump from 6 to 8)'
tamper "DELETE FROM audit WHERE id BETWEEN 1 AND 4"
expect_exit 1 "$GONGFU" --db "$t" --lang en audit verify
expect_in "$T/err" 'records 1 to 4 were removed'

# the next id named (gongfu names every id it writes; PostgreSQL's identity is not kept in step)
tamper "INSERT INTO audit (id, at, actor, action, entity, key, after) SELECT max(id) + 1, '2026-01-01T00:00:00Z', 'tester', 'update', 'value', 'x', '{}' FROM audit"
expect_exit 1 "$GONGFU" --db "$t" --lang en audit verify
expect_in "$T/err" "record $((n + 1)) was inserted"
tamper "INSERT INTO audit (id, at, actor, action, entity, key, prev_hash, hash) SELECT 1000, at, actor, action, entity, key, prev_hash, hash FROM audit WHERE id = 5"
expect_exit 1 "$GONGFU" --db "$t" --lang en audit verify
expect_in "$T/err" "record 1000 was inserted"

# gongfu keeps chaining after the records it wrote itself
expect_exit 0 G --user P2 values approve --unit 510400 --under --period 2024
expect_exit 0 G audit verify
expect_in "$T/out" "$((n + 6)) 条记录"

# a database from before the chain: the audit table without the hash columns and the step not
# yet applied; opening it chains the records already there
rm -f "$T/old.db"*
cp "$B/../base/units.csv" "$T/u.csv"
"$GONGFU" --db "$T/old.db" import units "$T/u.csv" >/dev/null
sqlite3 "$T/old.db" "ALTER TABLE audit DROP COLUMN prev_hash; ALTER TABLE audit DROP COLUMN hash;
  DELETE FROM schema_migration WHERE module = 'core' AND step = 4"
if [ "$PG" = 0 ]; then
  # upgrading in place is SQLite's: a PostgreSQL database is never upgraded in place (below)
  expect_exit 0 "$GONGFU" --db "$T/old.db" --lang en audit verify
  expect_in "$T/out" 'chained 8 records written before the hash chain existed' 'audit log intact: 8 records'
  sqlite3 "$T/old.db" "UPDATE audit SET key = 'x' WHERE id = 2"
  expect_exit 1 "$GONGFU" --db "$T/old.db" --lang en audit verify
  expect_in "$T/err" 'record 2 was changed'
else
  # on PostgreSQL the old file comes in by restore: its records chained, the chain then kept
  old=$(newdb old)
  expect_exit 0 "$GONGFU" --db "$old" --lang en restore "$T/old.db"
  expect_in "$T/out" 'the audit chain holds (8 records'
  expect_exit 0 "$GONGFU" --db "$old" --lang en audit verify
  expect_in "$T/out" 'audit log intact: 8 records'
  sql "$old" "UPDATE audit SET key = 'x' WHERE id = 2"
  expect_exit 1 "$GONGFU" --db "$old" --lang en audit verify
  expect_in "$T/err" 'record 2 was changed'
  # ... and a PostgreSQL database whose schema lacks the step is refused, not upgraded
  sql "$db" "DELETE FROM schema_migration WHERE module = 'core' AND step = 4"
  expect_exit 1 G --lang en audit verify
  expect_in "$T/err" 'is older than this gongfu' 'not upgraded in place' 'without 4'
fi
finish
