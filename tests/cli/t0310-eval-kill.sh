#!/usr/bin/env bash
# Kill (SIGKILL) `gongfu eval --period 2024 --save` at random moments: one save is one
# transaction, so afterwards either every level's run of that save (county and village) is
# stored, with all its results and its audit records, or none is; the database passes
# PRAGMA integrity_check every time.
. "$(dirname "$0")/lib.sh"
"$GONGFU" --db base.db demo >/dev/null 2>&1
sqlite3 base.db "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
runs0=$(sqlite3 base.db "SELECT count(*) FROM eval_run")
cp base.db g.db
start=$(date +%s%N); "$GONGFU" --db g.db eval --period 2024 --save >/dev/null; end=$(date +%s%N)
full_ms=$(( (end - start) / 1000000 ))
[ "$(sqlite3 g.db "SELECT group_concat(level) FROM (SELECT level FROM eval_run WHERE id > $runs0 ORDER BY level)")" = "2,4" ] \
  && ok || fail "a complete save stores one run per level (2 and 4)"
results=$(sqlite3 g.db "SELECT count(*) FROM eval_result WHERE run > $runs0")
trials=${EVAL_KILL_TRIALS:-40}
none=0; all=0
RANDOM=11
for t in $(seq "$trials"); do
  rm -f g.db g.db-wal g.db-shm; cp base.db g.db
  "$GONGFU" --db g.db eval --period 2024 --save >/dev/null 2>&1 &
  pid=$!
  # a random moment within 110 % of a whole run
  sleep "$(awk -v ms="$full_ms" -v r="$RANDOM" 'BEGIN { printf "%.3f", ms * 1.1 * r / 32768 / 1000 }')"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  check=$(sqlite3 g.db "PRAGMA integrity_check")
  [ "$check" = "ok" ] && ok || fail "trial $t: integrity_check: $check"
  levels=$(sqlite3 g.db "SELECT coalesce(group_concat(level), '') FROM (SELECT level FROM eval_run WHERE id > $runs0 ORDER BY level)")
  nres=$(sqlite3 g.db "SELECT count(*) FROM eval_result WHERE run > $runs0")
  naudit=$(sqlite3 g.db "SELECT count(*) FROM audit WHERE entity = 'eval_run' AND CAST(key AS INTEGER) > $runs0")
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
