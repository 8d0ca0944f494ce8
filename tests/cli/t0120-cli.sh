#!/usr/bin/env bash
# The CLI as a whole: help everywhere, exit codes, formats, languages, export/import round trip,
# JSON input, dry run, rollup and eval on a small hand-checked database.
. "$(dirname "$0")/lib.sh"
B=$GONGFU_SRC/tests/data/base
db=$(newdb g)
G() { "$GONGFU" --db "$db" "$@"; }

# help: the overview lists every command, and every command answers --help with exit 0
expect_exit 0 "$GONGFU" help
cmds=$(awk '/^  [a-z]/ { print $1 }' "$T/out")
[ "$(echo "$cmds" | wc -w)" -ge 7 ] && ok || fail "help lists too few commands: $cmds"
for c in $cmds; do
  expect_exit 0 "$GONGFU" "$c" --help
  [ -s "$T/out" ] && ok || fail "$c --help printed nothing"
done
expect_exit 0 "$GONGFU" --lang en help
expect_in "$T/out" "usage: gongfu" "commands:"
# usage errors exit 2, with a message
expect_exit 2 "$GONGFU" nosuchcommand
expect_in "$T/err" "unknown command 'nosuchcommand'"
expect_exit 2 "$GONGFU" --format xml help
expect_in "$T/err" "'xml' is not one of table, csv, json"
expect_exit 2 "$GONGFU" import units
expect_exit 2 "$GONGFU" import nosuchkind x.csv
# a missing database is a user error, not a crash, and is not created by a read (on PostgreSQL:
# an empty database, as made for gongfu init; the message says so in its own words)
none=$(newdb none)
expect_exit 1 "$GONGFU" --db "$none" units
if [ "$PG" = 0 ]; then
  expect_in "$T/err" "no such database"
  [ ! -e "$none" ] && ok || fail "a read created the database"
else
  expect_in "$T/err" "no gongfu database here"
  [ "$(sql "$none" "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" = 0 ] && ok || fail "a read created the database"
fi

# imports, with a dry run first
expect_exit 0 G import units "$B/units.csv" --dry-run
expect_in "$T/out" "8" "试运行"
[ "$(sql "$db" 'SELECT count(*) FROM unit')" = 0 ] && ok || fail "dry run wrote units"
for k in units framework values; do expect_exit 0 G import $k "$B/$k.csv"; done
expect_exit 0 G --lang en import values "$B/values.csv"
expect_in "$T/out" "10 rows, 0 inserted, 0 updated, 10 unchanged"

# listings in three formats
expect_exit 0 G units --format csv
expect_in "$T/out" "code,name,level,area,parent,population,children" "510421001,攀莲镇,township,rural,510421,400,2"
expect_exit 0 G --lang en units --format json --level village
expect_in "$T/out" '"code": "510421001002"' '"name": "Village C"' '"population": 250'
expect_exit 0 G units --under 510421
[ "$(grep -c 5104 "$T/out")" -eq 4 ] && ok || fail "units --under 510421 should list 4 units"

# export → import round trip: importing an export changes nothing
for k in units framework values; do
  expect_exit 0 G export $k -o "$T/$k.out.csv"
  expect_exit 0 G --lang en import $k "$T/$k.out.csv"
  expect_in "$T/out" " 0 inserted, 0 updated"
done
expect_exit 0 G export values --format json -o "$T/values.json"
expect_exit 0 G --lang en import values "$T/values.json"
expect_in "$T/out" "10 rows, 0 inserted, 0 updated, 10 unchanged"

# JSON Lines input, then the audit trail has the change with before and after
printf '{"unit": "510421001001", "indicator": "income_rural", "period": "2024", "value": 21000, "state": "submitted"}\n' > "$T/v.jsonl"
expect_exit 0 G import values "$T/v.jsonl"
expect_exit 0 G export audit --format csv
expect_in "$T/out" 'admin,update,value,510421001001/income_rural/2024' '""value"":""20000""' '""value"":""21000""'

# rollup and values: city income is the population-weighted mean of the counties
# 东区 60000 (600), 米易县 (40000·150 + 48000·250)/400 = 45000 (400) → 54000
expect_exit 0 G values rollup
expect_exit 0 G values --unit 510400 --indicator income_urban --period 2024 --format csv
expect_in "$T/out" "510400,攀枝花市,income_urban,城镇居民人均可支配收入,2024,54000,元,rollup"
# workflow: submit then approve (someone else) the draft quarterly values of a community
expect_exit 0 G values submit --unit 510402 --under --period 2024Q1
expect_in "$T/out" "1 条数据已报送"
G user add reviewer --role approver --scope 510400 >/dev/null # the city approves the district's
expect_exit 0 G --user reviewer values approve --unit 510402 --under --period 2024Q1
expect_exit 0 G values --unit 510402001001 --period 2024Q1 --format csv
expect_in "$T/out" ",approved"

# eval on the hand-checked framework (attainment × 100, weights 0.6 / 0.4):
# 东区: income (60000/60000 + 30000/30000)/2 = 100, gap 1.9/2 = 95 → 0.6·100 + 0.4·95 = 98
# 米易县 (乙村's rural income is now 21000): rural (21000·150 + 24000·250)/400 = 22875,
#   income (45000/60000 + 22875/30000)/2 = 75.625, gap 1.9/(45000/22875) = 96.5833…
#   → 0.6·75.625 + 0.4·96.58333… = 84.008333…
expect_exit 0 G eval --level county --format csv
expect_in "$T/out" "county,1,510402,东区,98,,100,95," "county,2,510421,米易县,84.0083333333333"
expect_exit 0 G eval --level county --sensitivity 200 --seed 7 --save
expect_in "$T/out" "敏感性 200 次抽样" "已保存为评价运行 #1"
[ "$(sql "$db" "SELECT count(*) FROM eval_result WHERE run = 1 AND node = 'idx' AND rank_p05 IS NOT NULL")" = 2 ] && ok || fail "saved run lacks sensitivity"
expect_exit 2 G eval --level nowhere
expect_exit 1 G eval --framework nosuch
expect_in "$T/err" 'framework "nosuch": no such framework'
finish
