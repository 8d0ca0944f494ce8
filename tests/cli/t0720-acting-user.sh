#!/usr/bin/env bash
# Every change names who made it (review issue 18, item 7): an empty or blank --user or
# GONGFU_USER is a usage error (exit 2) naming the option, before anything is written.
. "$(dirname "$0")/lib.sh"
B=$GONGFU_SRC/tests/data/base
db=$(newdb u)
G() { "$GONGFU" --db "$db" "$@"; }
expect_exit 0 G import units "$B/units.csv"
G user add P0001 --role centre >/dev/null # the CLI acts as a user of the database
before=$(dumpsum "$db")

for user in "" "   " "$(printf '\t')"; do
  expect_exit 2 G --user "$user" import framework "$B/framework.csv"
  expect_in "$T/err" "--user"
  expect_exit 2 G --user="$user" import framework "$B/framework.csv"
  expect_in "$T/err" "--user"
  GONGFU_USER=$user expect_exit 2 G import framework "$B/framework.csv"
  expect_in "$T/err" "GONGFU_USER: '$user' names nobody"
done
[ "$before" = "$(dumpsum "$db")" ] && ok || fail "a refused user changed the database"

# --user overrides a blank GONGFU_USER; the change is recorded under that name
GONGFU_USER=' ' expect_exit 0 G --user P0001 import framework "$B/framework.csv"
[ "$(sql "$db" "SELECT DISTINCT actor FROM audit WHERE entity = 'framework'")" = P0001 ] && ok ||
  fail "actor of the framework import"
[ "$(sql "$db" "SELECT count(*) FROM audit WHERE trim(replace(actor, '$(printf '\t')', ' ')) = ''")" = 0 ] && ok ||
  fail "an audit record with an empty actor"
finish
