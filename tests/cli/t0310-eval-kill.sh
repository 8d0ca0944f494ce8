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
# integrity DB: "ok" when the database is sound: SQLite's integrity_check; PostgreSQL has no such
# pragma, there amcheck verifies every table and b-tree index (once the killed session has ended)
integrity() {
  if [ "$PG" = 0 ]; then sql "$1" "PRAGMA integrity_check"; return; fi
  local i
  for i in $(seq 100); do
    [ "$(psql_on postgres -c "SELECT count(*) FROM pg_stat_activity WHERE datname = '$(pg_name "$1")'")" = 0 ] && break
    sleep 0.1
  done
  sql "$1" "CREATE EXTENSION IF NOT EXISTS amcheck" >/dev/null
  sql "$1" "SELECT count(bt_index_check(c.oid, true)) FROM pg_class c JOIN pg_am a ON a.oid = c.relam
            WHERE c.relkind = 'i' AND a.amname = 'btree' AND c.relnamespace = 'public'::regnamespace" >/dev/null 2>&1 ||
    { echo "bt_index_check failed"; return; }
  sql "$1" "SELECT coalesce(string_agg(c.relname || ': ' || v.msg, '; '), 'ok') FROM pg_class c
            CROSS JOIN LATERAL verify_heapam(c.oid) v WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace"
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
