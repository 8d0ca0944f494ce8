#!/usr/bin/env bash
# Household income microdata: gongfu import households (all or nothing, idempotent) and
# gongfu stats --db (every unit of the hierarchy, saved as computed indicator values), checked
# against values computed by hand below.
. "$(dirname "$0")/lib.sh"
B=$GONGFU_SRC/tests/data/base
db=$(newdb g)
"$GONGFU" --db "$db" import units "$B/units.csv" >/dev/null

# Five households.  Person weight w = weight x size; urban empty = the unit's area
# (510402001001 urban, 510421001001/2 rural).
#   A1 x=30000 w=6 urban   A2 x=60000 w=2 urban   B1 x=9000 w=4 rural
#   C1 x=15000 w=1 rural   C2 x=40000 w=10 urban (explicit 1)
cat > "$T/hh.csv" <<'CSV'
unit,household,size,income,weight,urban,food,consumption
510402001001,A1,3,30000,2,,6000,20000
510402001001,A2,2,60000,1,1,9000,40000
510421001001,B1,4,9000,1,,3000,8000
510421001002,C1,1,15000,1,0,4000,10000
510421001002,C2,5,40000,2,1,10000,50000
CSV
expect_exit 0 "$GONGFU" --lang en --db "$db" import households "$T/hh.csv" --period 2024
expect_in "$T/out" "5 rows" "3 (period, unit) pairs" "inserted"

expect_exit 0 "$GONGFU" --lang en --db "$db" stats --db --period 2024 --format csv
cp "$T/out" "$T/stats.csv"
expect_in "$T/err" "period 2024: 5 households"
# near BY GROUP COLUMN EXPECTED(awk expression): relative 1e-9
near() {
  local got
  got=$(awk -F, -v by="$1" -v g="$2" -v c="$3" 'NR == 1 { for (i = 1; i <= NF; i++) k[$i] = i; next }
        $1 == by && $2 == g { print $(k[c]) }' "$T/stats.csv")
  if awk -v a="$got" "BEGIN { e = $4; d = a - e; if (d < 0) d = -d; m = e < 0 ? -e : e;
        exit !(a != \"\" && d <= 1e-9 * (m > 1 ? m : 1)) }"; then ok
  else fail "stats $1 $2 $3 = '$got', expected $4"; fi
}
# weighted mean: (6*30000 + 2*60000 + 4*9000 + 1*15000 + 10*40000) / 23
near city 510400 mean "751000 / 23"
near city 510400 n 5
near city 510400 weight_sum 23
# Gini, laeken formula, sorted 9000(4) 15000(1) 30000(6) 40000(10) 60000(2), c' = 4 5 11 21 23:
#   2*sum(w x c') = 2*(144000 + 75000 + 1980000 + 8400000 + 2760000) = 26718000
#   sum(w^2 x) = 144000 + 15000 + 1080000 + 4000000 + 240000 = 5479000
near city 510400 gini "(26718000 - 5479000) / (23 * 751000) - 1"
# median: smallest x with cumulative share > 0.5: 11/23 = 0.478, 21/23 = 0.913 -> 40000
near city 510400 median 40000
# under 10 000: B1 only: 1 household (weight 1), 4 persons; headcount 4/23
near city 510400 low_hh_10000 1
near city 510400 low_persons_10000 4
near city 510400 fgt0_10000 "4 / 23"
# middle income, 3x in [100000, 500000]: A2 (hw 1) and C2 (hw 2) of hw total 7
near city 510400 band_100000_500000 "3 / 7"
# urban: A1, A2, C2 = 700000 / 18; rural: B1, C1 = 51000 / 5
near city 510400 urban_mean "700000 / 18"
near city 510400 rural_mean "51000 / 5"
near city 510400 urban_rural_ratio "(700000 / 18) / (51000 / 5)"
# Engel: sum(hw food) / sum(hw consumption) = 48000 / 198000
near city 510400 engel "48000 / 198000"
# counties: 510402 = 300000 / 8, 510421 = 451000 / 15; range ratio at the city
near county 510402 mean "300000 / 8"
near county 510421 mean "451000 / 15"
near city 510400 range_ratio "(300000 / 8) / (451000 / 15)"
# village C: C1 15000(1), C2 40000(10): (2*(15000 + 4400000) - 4015000) / (11 * 415000) - 1
near village 510421001002 gini "(8830000 - 4015000) / (11 * 415000) - 1"
near township 510421001 mean "451000 / 15"
if grep -q '^village,510421001003' "$T/stats.csv"; then fail "unit without rows printed"; else ok; fi

# saved values: origin computed, source names the period, state approved
expect_exit 0 "$GONGFU" --lang en --db "$db" values --unit 510400 --period 2024 --format csv
cp "$T/out" "$T/values.csv"
val() { # val INDICATOR EXPECTED(awk expression)
  local got
  got=$(awk -F, -v i="$1" '$3 == i { print $6 }' "$T/values.csv")
  if awk -v a="$got" "BEGIN { e = $2; d = a - e; if (d < 0) d = -d; m = e < 0 ? -e : e;
        exit !(a != \"\" && d <= 1e-9 * (m > 1 ? m : 1)) }"; then ok
  else fail "value $1 = '$got', expected $2"; fi
}
val income_pc "751000 / 23"
val income_urban "700000 / 18"
val income_rural "51000 / 5"
val urban_rural_ratio "(700000 / 18) / (51000 / 5)"
val gini "(26718000 - 5479000) / (23 * 751000) - 1"
val middle_income_share "300 / 7"
val lowincome_households 1
val lowincome_persons 4
val engel "4800000 / 198000"
val income_range_ratio "(300000 / 8) / (451000 / 15)"
expect_in "$T/values.csv" "computed,\"gongfu stats (household microdata, period 2024)\",approved"

# idempotent: the same stats again write nothing; the same file again changes nothing
before=$(dumpsum "$db")
expect_exit 0 "$GONGFU" --lang en --db "$db" stats --db --period 2024 --format csv
expect_in "$T/err" "written 0"
expect_exit 0 "$GONGFU" --lang en --db "$db" import households "$T/hh.csv" --period 2024
expect_in "$T/out" "same as stored, unchanged"
if [ "$before" != "$(dumpsum "$db")" ]; then fail "re-import or re-run changed the database"; else ok; fi

# a new version of village C (C2 gone) replaces only C's rows of 2024
printf 'unit,household,size,income,weight,food,consumption\n510421001002,C1,1,15000,1,4000,10000\n' > "$T/c.csv"
expect_exit 0 "$GONGFU" --lang en --db "$db" import households "$T/c.csv" --period 2024
expect_in "$T/out" "replaced the stored rows"
[ "$(sql "$db" "SELECT count(*) FROM income_microdata WHERE period = '2024'")" = 4 ] && ok || fail "rows after replace"
expect_exit 0 "$GONGFU" --lang en --db "$db" stats --db --format csv
cp "$T/out" "$T/stats.csv"
near city 510400 mean "(180000 + 120000 + 36000 + 15000) / 13"

# a period column (two periods in one file); --dry-run writes nothing
printf '%s\n' unit,period,size,income 510402001001,2022,2,50000 510421001001,2023,3,20000 \
    510421001001,2023,1,12000 > "$T/periods.csv"
before=$(dumpsum "$db")
expect_exit 0 "$GONGFU" --lang en --db "$db" import households "$T/periods.csv" --dry-run
expect_in "$T/out" "[dry run, nothing written]" "3 rows, 2 (period, unit) pairs"
if [ "$before" != "$(dumpsum "$db")" ]; then fail "--dry-run changed the database"; else ok; fi
expect_exit 0 "$GONGFU" --lang en --db "$db" import households "$T/periods.csv"
[ "$(sql "$db" "SELECT period || ':' || count(*) FROM income_microdata GROUP BY period ORDER BY period" | paste -sd,)" = "2022:1,2023:2,2024:4" ] && ok || fail "rows per period"
expect_exit 0 "$GONGFU" --lang en --db "$db" stats --db --period 2023 --format csv
cp "$T/out" "$T/stats.csv"
near city 510400 mean "(3 * 20000 + 12000) / 4"
[ "$(sql "$db" "SELECT count(*) FROM period WHERE code IN ('2022', '2023')")" = 2 ] && ok || fail "periods created"
# the newest period is the default
expect_exit 0 "$GONGFU" --lang en --db "$db" stats --db --format csv
expect_in "$T/err" "period 2024: 4 households"

# bad input: exit 1, file:line, field, value, expectation; database byte-for-byte unchanged
bad() {
  local file=$1; shift
  local before
  before=$(dumpsum "$db")
  [ "$PG" = 1 ] || cp "$db" "$T/before.db"
  expect_exit 1 "$GONGFU" --lang en --db "$db" import households "$file" --period 2024 || true
  expect_in "$T/err" "$(basename "$file")" "$@" "nothing was imported"
  if [ "$before" != "$(dumpsum "$db")" ]; then fail "database changed after $(basename "$file")"; else ok; fi
  # and the bytes of the file (SQLite; on PostgreSQL the dump holds the schema too)
  if [ "$PG" = 0 ]; then
    if ! cmp -s "$db" "$T/before.db"; then fail "database file bytes changed after $(basename "$file")"; else ok; fi
  fi
}
H=unit,household,size,income,weight
good=510402001001,A9,2,50000,1
printf '%s\n' $H $good 510402001001,A1,3,abc,2 > "$T/nonnumeric.csv"
bad "$T/nonnumeric.csv" 'nonnumeric.csv:3:' 'field "income"' 'value "abc"' 'expected a number'
printf '%s\n' $H $good 510499001001,A1,3,30000,2 > "$T/unknown-unit.csv"
bad "$T/unknown-unit.csv" 'unknown-unit.csv:3:' 'field "unit"' 'value "510499001001"' 'expected the code of a unit'
printf '%s\n' $H $good 510402001001,A1,3,30000,-1 > "$T/negative-weight.csv"
bad "$T/negative-weight.csv" 'negative-weight.csv:3:' 'field "weight"' 'value "-1"' 'expected a number >= 0'
printf '%s\n' unit,household,income 510402001001,A1,30000 > "$T/missing-column.csv"
bad "$T/missing-column.csv" 'missing-column.csv:1:' 'field "size"' 'expected a column named size'
: > "$T/empty.csv"
bad "$T/empty.csv" 'empty.csv' 'expected a header line'
printf '%s\n' $H > "$T/header-only.csv"
bad "$T/header-only.csv" 'header-only.csv:2:' 'expected at least one household row'
printf '%s\n' $H $good 510402001001,A1,0,30000,1 > "$T/zero-size.csv"
bad "$T/zero-size.csv" 'zero-size.csv:3:' 'field "size"' 'value "0"' 'a whole number of persons'
printf '%s\n' $H,colour "$good,red" > "$T/unknown-column.csv"
bad "$T/unknown-column.csv" 'unknown-column.csv:1:' 'value "colour"' 'expected a column among'
printf '%s\n' $H $good 510402001001,A1,3,30000 > "$T/short-row.csv"
bad "$T/short-row.csv" 'short-row.csv:3:' 'expected 5 fields as in the header, found 4'
printf '%s\n' unit,period,size,income 510402001001,2024,2,50000 510402001001,2024x,2,50000 > "$T/bad-period.csv"
bad "$T/bad-period.csv" 'bad-period.csv:3:' 'field "period"' 'value "2024x"'

# the two-thread path (standard input, or a file over 8 MB; a pipe has no size, so it takes the
# two-thread path): same rows, same refusals, also with several batches of 4096 rows in flight
expect_exit 0 "$GONGFU" --lang en --db "$db" import households - --period 2025 < "$T/hh.csv"
expect_in "$T/out" "5 rows"
# sum(income * weight) = 30000*2 + 60000 + 9000 + 15000 + 40000*2
# (compared as numbers: SQLite prints the REAL sum 224000.0, PostgreSQL 224000)
sql "$db" "SELECT count(*), sum(income * weight) FROM income_microdata WHERE period = '2025'" |
  awk -F'|' '$1 == 5 && $2 == 224000 { found = 1 } END { exit !found }' && ok || fail "stdin import rows"
awk 'BEGIN { print "unit,household,size,income,weight"
  for (i = 1; i <= 30000; i++) printf "510421001%03d,H%07d,%d,%d.25,1.5\n", 1 + i % 2, i, 1 + i % 5, 5000 + i }' > "$T/big.csv"
expect_exit 0 "$GONGFU" --lang en --db "$db" import households - --period 2026 < "$T/big.csv"
expect_in "$T/out" "30000 rows, 2 (period, unit) pairs, inserted"
# sizes 1..5 repeat: 6000 of each, sum 90000; incomes 5001.25 .. 35000.25
sql "$db" "SELECT count(*), sum(size), min(income), max(income) FROM income_microdata WHERE period = '2026'" |
  awk -F'|' '$1 == 30000 && $2 == 90000 && $3 == 5001.25 && $4 == 35000.25 { found = 1 } END { exit !found }' &&
  ok || fail "big import rows"
stdin_bad() { # stdin_bad FILE TEXT...: refused from standard input, database unchanged
  local file=$1; shift
  local before
  before=$(dumpsum "$db")
  expect_exit 1 "$GONGFU" --lang en --db "$db" import households - --period 2024 < "$file" || true
  expect_in "$T/err" "$@"
  if [ "$before" != "$(dumpsum "$db")" ]; then fail "database changed after $(basename "$file") on stdin"; else ok; fi
}
cp "$T/big.csv" "$T/big-bad.csv"; echo '510421001001,X,2,1e400,1' >> "$T/big-bad.csv"
stdin_bad "$T/big-bad.csv" '-:30002:' 'field "income"' 'value "1e400"'
head -10000 "$T/big.csv" > "$T/big-mid.csv"; echo '510421001001,X,2,7,-3' >> "$T/big-mid.csv"; tail -n +10001 "$T/big.csv" >> "$T/big-mid.csv"
stdin_bad "$T/big-mid.csv" '-:10001:' 'field "weight"' 'value "-3"'

finish
