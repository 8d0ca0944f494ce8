#!/usr/bin/env bash
# Kill (SIGKILL) the process in the middle of a large import, at several moments: afterwards the
# database is either exactly as before or fully imported, and passes PRAGMA integrity_check
# (on PostgreSQL: amcheck's checks of every table and index).
. "$(dirname "$0")/lib.sh"
B=$GONGFU_SRC/tests/data/base
# 32 508 values; on PostgreSQL 3 348 (a value import there is a dozen round trips a row, ~9x the
# time SQLite takes: the same moments of the import, half a minute of trials instead of four)
last=2200
[ "$PG" = 0 ] || last=1930
awk -v last="$last" 'BEGIN { print "unit,indicator,period,value,source"; srand(7);
  split("510402001001 510421001001 510421001002", us, " "); split("income_urban income_rural households", is, " ");
  for (y = 1900; y <= last; y++) for (m = 1; m <= 12; m++) for (a = 1; a <= 3; a++) for (b = 1; b <= 3; b++)
    printf "%s,%s,%d-%02d,%d,kill-test\n", us[a], is[b], y, m, int(rand() * 100000) }' > big.csv
rows=$(($(wc -l < big.csv) - 1))
# the database before the import; each trial imports into a fresh copy of it
b=$(newdb base)
for k in units framework values; do "$GONGFU" --db "$b" import $k "$B/$k.csv" >/dev/null; done
base=$(sql "$b" "SELECT count(*) FROM value")
# how long does a whole import take here? kill at fractions of it
g=$(copydb "$b" full)
start=$(date +%s%N); "$GONGFU" --db "$g" import values big.csv >/dev/null; end=$(date +%s%N)
full_ms=$(( (end - start) / 1000000 ))
full=$(sql "$g" "SELECT count(*) FROM value")
[ "$full" -eq $((base + rows)) ] && ok || fail "full import has $full values, expected $((base + rows))"
saw_before=0; saw_after=0
for pct in 5 20 40 60 80 95 100 110; do
  g=$(copydb "$b" g$pct)
  "$GONGFU" --db "$g" import values big.csv >/dev/null 2>&1 &
  pid=$!
  sleep "$(awk -v ms="$full_ms" -v p="$pct" 'BEGIN { printf "%.3f", ms * p / 100000 }')"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  check=$(integrity "$g")
  [ "$check" = "ok" ] && ok || fail "integrity_check after kill at $pct%: $check"
  n=$(sql "$g" "SELECT count(*) FROM value")
  audit=$(sql "$g" "SELECT count(*) FROM audit WHERE entity = 'value'")
  if [ "$n" -eq "$base" ]; then saw_before=$((saw_before + 1)); ok
  elif [ "$n" -eq "$full" ]; then saw_after=$((saw_after + 1)); ok
  else fail "after kill at $pct%: $n values, neither $base (before) nor $full (after)"; fi
  # the audit trail moves with the data: one record per imported value
  [ "$audit" -eq $((n)) ] && ok || fail "after kill at $pct%: $audit audit records for $n values"
done
echo "kills: $saw_before left the database as before, $saw_after after the complete import"
[ "$saw_before" -gt 0 ] && ok || fail "no kill landed during the import (machine too fast?)"
finish
