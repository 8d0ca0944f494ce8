#!/usr/bin/env bash
# Kill (SIGKILL) `gongfu eval --period 2024 --save` at random moments: one save is one
# transaction, so afterwards either every level's run of that save (county and village) is
# stored, with all its results and its audit records, or none is; the database passes
# PRAGMA integrity_check every time (on PostgreSQL: amcheck's checks of every table and index).
. "$(dirname "$0")/lib.sh"
base=$(demodb base)
# a file whole without its WAL (SQLite only)
[ "$PG" = 1 ] || sql "$base" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
runs0=$(sql "$base" "SELECT count(*) FROM eval_run")
g=$(copydb "$base" g)
start=$(date +%s%N); "$GONGFU" --db "$g" eval --period 2024 --save >/dev/null; end=$(date +%s%N)
full_ms=$(( (end - start) / 1000000 ))
[ "$(sql "$g" "SELECT level FROM eval_run WHERE id > $runs0 ORDER BY level" | paste -sd,)" = "2,4" ] \
  && ok || fail "a complete save stores one run per level (2 and 4)"
results=$(sql "$g" "SELECT count(*) FROM eval_result WHERE run > $runs0")
# drop DB: remove a trial's database (on SQLite with the WAL a killed process leaves)
drop() {
  if [ "$PG" = 0 ]; then rm -f "$1" "$1-wal" "$1-shm"
  else psql_on postgres -c "DROP DATABASE IF EXISTS $(pg_name "$1") WITH (FORCE)" >/dev/null; fi
}
trials=${EVAL_KILL_TRIALS:-40}
none=0; all=0
RANDOM=11
for t in $(seq "$trials"); do
  drop "$g"; g=$(copydb "$base" g)
  "$GONGFU" --db "$g" eval --period 2024 --save >/dev/null 2>&1 &
  pid=$!
  # a random moment within 110 % of a whole run
  sleep "$(awk -v ms="$full_ms" -v r="$RANDOM" 'BEGIN { printf "%.3f", ms * 1.1 * r / 32768 / 1000 }')"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  check=$(integrity "$g")
  [ "$check" = "ok" ] && ok || fail "trial $t: integrity_check: $check"
  levels=$(sql "$g" "SELECT level FROM eval_run WHERE id > $runs0 ORDER BY level" | paste -sd,)
  nres=$(sql "$g" "SELECT count(*) FROM eval_result WHERE run > $runs0")
  naudit=$(sql "$g" "SELECT count(*) FROM audit WHERE entity = 'eval_run' AND CASE WHEN entity = 'eval_run' THEN CAST(key AS INTEGER) END > $runs0")
  case "$levels" in
    "") [ "$nres" -eq 0 ] && [ "$naudit" -eq 0 ] && { none=$((none + 1)); ok; } \
          || fail "trial $t: no run but $nres results, $naudit audit records" ;;
    "2,4") [ "$nres" -eq "$results" ] && [ "$naudit" -eq 2 ] && { all=$((all + 1)); ok; } \
          || fail "trial $t: both runs but $nres of $results results, $naudit audit records" ;;
    *) fail "trial $t: the save is half done: runs stored for level(s) $levels only" ;;
  esac
done
echo "kills: $none left no run, $all left both runs"
[ "$none" -gt 0 ] && ok || fail "no kill landed before the save (machine too fast?)"
finish
