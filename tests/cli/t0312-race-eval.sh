#!/usr/bin/env bash
# The horse race and the evaluations it reads:
#   - the demo saves an evaluation for every year it has data for, at the county and the village
#     level, so the race's improvement (评价进步) is live (before, only 2023 and 2024 of the
#     counties were saved and every unit showed 50);
#   - without a saved evaluation of the level the race evaluates it now (and says so): the
#     villages get the same ranks as with a saved run, not 234 ties at rank 1;
#   - a subject with nothing measured is listed without a rank, never tied at the top.
. "$(dirname "$0")/lib.sh"
db=$(demodb g) || fail "gongfu demo"
G() { "$GONGFU" --db "$db" "$@"; }
years() { sql "$db" "SELECT DISTINCT p.year FROM value v JOIN period p ON p.code = v.period AND p.kind = 'year' JOIN unit u ON u.code = v.unit AND u.level = $1 JOIN framework_node n ON n.framework = 'panzhihua' AND n.code = v.indicator ORDER BY p.year" | paste -sd,; }
runs() { sql "$db" "SELECT period FROM eval_run WHERE level = $1 AND framework = 'panzhihua' ORDER BY period" | paste -sd,; }
for lv in 2 4; do
  [ -n "$(years $lv)" ] && [ "$(years $lv)" = "$(runs $lv)" ] && ok || fail "level $lv: data for $(years $lv), runs for $(runs $lv)"
done
# the villages' race on the zone's framework here (the governance index's runs: t0780)
sql "$db" "DELETE FROM eval_result WHERE run IN (SELECT id FROM eval_run WHERE framework = 'zhicun'); DELETE FROM eval_run WHERE framework = 'zhicun'"
# improvement: 50 + 50 × rank change/(n − 1), from the evaluation's rank change — not 50 everywhere
for lv in 2 4; do
  expect_exit 0 G --format csv race --period 2024 --units --level $lv
  distinct=$(awk -F, 'NR > 1 && $11 != "" { print $11 }' "$T/out" | sort -u | wc -l)
  [ "$distinct" -ge 2 ] && ok || fail "level $lv: improvement takes $distinct value(s): $(awk -F, 'NR > 1 { print $3, $11 }' "$T/out" | head -5)"
done
cp "$T/out" saved.csv

# no saved village evaluation: the race computes it and ranks as before
sql "$db" "DELETE FROM eval_result WHERE run IN (SELECT id FROM eval_run WHERE level = 4); DELETE FROM eval_run WHERE level = 4"
expect_exit 0 G --format csv race --period 2024 --units --level 4
cp "$T/out" now.csv
n=$(($(wc -l < now.csv) - 1))
ones=$(awk -F, 'NR > 1 && $2 == 1' now.csv | wc -l)
[ "$n" -eq 234 ] && ok || fail "$n villages in the race"
[ "$ones" -le 2 ] && ok || fail "$ones villages at rank 1"
cmp -s <(cut -d, -f1-7,10-11 saved.csv) <(cut -d, -f1-7,10-11 now.csv) && ok \
  || fail "ranks, scores and components differ from the race on the saved run: $(diff <(cut -d, -f1-7,10-11 saved.csv) <(cut -d, -f1-7,10-11 now.csv) | head -4)"
expect_exit 0 G --lang en race --period 2024 --units --level 4
expect_in "$T/out" "evaluation not saved: computed now with the default pipeline"

# nothing to measure: units only — no rank, no red list, no award, and the reason
cat > units.csv <<'CSV'
code,name,parent,level,area
C,市,,city,urban
K1,一县,C,county,rural
K2,二县,C,county,rural
CSV
e=$(newdb e)
"$GONGFU" --db "$e" init >/dev/null
"$GONGFU" --db "$e" import units units.csv >/dev/null
expect_exit 0 "$GONGFU" --db "$e" --lang en --format csv race --period 2024 --units
grep -qx 'unit,,K1,一县,,,,,,,,,,,,100,,,no data: not ranked,,,' "$T/out" && ok || fail "K1 without data: $(grep K1 "$T/out")"
[ "$(grep -c ',red,\|,best,' "$T/out" || true)" -eq 0 ] && ok || fail "a unit without data is on the red list: $(cat "$T/out")"
expect_in "$T/err" "no evaluation of level 2 for 2024 saved, and it cannot be computed"
finish
