#!/usr/bin/env bash
# The demo and a newer schema never cost a user's data, on either backend: `demo` rebuilds only an
# untouched demo (also one built before the demo kept its audit mark) and refuses a database with
# the user's values, registry households or audit records, or that is not a demo at all (those
# only with --force); a database written by a newer gongfu is read but never written.
# (Review issue 18, items 2 and 15; the SQLite file cases — read-only files, a demo killed or
# racing an import, damaged files — are in t0130-store-safety.)
. "$(dirname "$0")/lib.sh"
B=$GONGFU_SRC/tests/data/base
printf 'unit,indicator,period,value,source\n510400,budget_revenue,2026,64,mine\n' > mine.csv
mine() { sql "$1" "SELECT count(*) FROM value WHERE source = 'mine'"; }
# refused DB CMD...: exit 1 and not one row of the database changed
refused() {
  local db=$1 before
  shift
  before=$(dumpsum "$db")
  expect_exit 1 "$@" || true
  [ "$before" = "$(dumpsum "$db")" ] && ok || fail "a refused command changed the database: $*"
}

# ---- an untouched demo is rebuilt; a changed one only with --force -------------------------------
d0=$(demodb d0)
# one built before the demo kept its audit mark (then every audit record is the demo's own)
sql "$d0" "DELETE FROM meta WHERE key = 'demo_audit'"
expect_exit 0 "$GONGFU" --db "$d0" --lang en demo
expect_in "$T/out" "Panzhihua demo database built"
d=$(copydb "$d0" d1)
expect_exit 0 "$GONGFU" --db "$d" import values mine.csv # the user changes it
refused "$d" "$GONGFU" --db "$d" demo
expect_in "$T/err" "中有演示以外的数据" "--force"
[ "$(mine "$d")" = 1 ] && ok || fail "demo replaced a demo the user had changed"
expect_exit 0 "$GONGFU" --db "$d" demo --force
[ "$(mine "$d")" = 0 ] && ok || fail "demo --force did not replace it"
# the same with the audit records of the registry (a user imports households, then demo)
d=$(copydb "$d0" d2)
printf 'code,unit,head_name,address,phone,area,note\nMY1,510402001001,张三,一组,13812345678,,mine\n' > hh.csv
expect_exit 0 "$GONGFU" --db "$d" households import households hh.csv
refused "$d" "$GONGFU" --db "$d" demo
[ "$(sql "$d" "SELECT count(*) FROM household WHERE code = 'MY1'")" = 1 ] && ok || fail "demo replaced imported registry households"
# an old demo (no audit mark) with a record that is not the demo's
d=$(copydb "$d0" d3)
sql "$d" "DELETE FROM meta WHERE key = 'demo_audit'; UPDATE audit SET actor = 'tester' WHERE id = 5"
refused "$d" "$GONGFU" --db "$d" demo
# a database that is not a demo at all: left as it was
g=$(newdb g)
for k in units framework values; do "$GONGFU" --db "$g" import $k "$B/$k.csv" >/dev/null; done
refused "$g" "$GONGFU" --db "$g" demo
expect_in "$T/err" "--force"

# ---- a database from a newer gongfu is not written to -------------------------------------------
n=$(copydb "$d0" newer)
sql "$n" "INSERT INTO schema_migration VALUES ('households', 99, '2030-01-01'), ('web', 3, '2030-01-01')"
refused "$n" "$GONGFU" --db "$n" import values mine.csv
expect_in "$T/err" "written by a newer gongfu" "households 99" "web 3" "this gongfu's is [core "
refused "$n" "$GONGFU" --db "$n" init
refused "$n" "$GONGFU" --db "$n" demo --force
expect_exit 0 "$GONGFU" --db "$n" units --format csv # reading it is fine
expect_in "$T/out" "510400,攀枝花市"
finish
