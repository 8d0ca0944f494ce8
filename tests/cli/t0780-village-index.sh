#!/usr/bin/env bash
# The village governance index (治村指数) in the demo: a framework at the village level, evaluated
# for every year; `race --level 4` ranks the 234 villages on it with red and black lists; the
# threshold indicator says how many villages are still under 50 000 yuan of collective income
# and which — the same villages a count over the values finds.
. "$(dirname "$0")/lib.sh"
db=$(demodb v)
G() { "$GONGFU" --db "$db" "$@"; }
# the race of the villages reads the governance index's run
G eval runs --period 2025 --format csv >runs.csv
zc=$(awk -F, '$2 == "zhicun" && $4 == "village" { print $1 }' runs.csv | tail -1)
[ -n "$zc" ] && ok || fail "no saved run of the governance index: $(cat runs.csv)"
G race --level 4 --period 2025 --units --format csv >race.csv 2>race.err
G race --level 4 --period 2025 --units >race.txt 2>&1
expect_in race.txt "综合评价运行 #$zc"
n=$(tail -n +2 race.csv | wc -l)
[ "$n" = 234 ] && ok || fail "the village race ranks $n units, expected 234"
red=$(awk -F, '$17 == "red"' race.csv | wc -l)
black=$(awk -F, '$17 == "black"' race.csv | wc -l)
[ "$red" -ge 1 ] && [ "$black" -ge 1 ] && ok || fail "village race: $red on the red list, $black on the black list"
# every village on the red list ranks above every one on the black list
awk -F, 'NR > 1 && $17 == "red" { r = $2 > r ? $2 : r } NR > 1 && $17 == "black" { b = (b == "" || $2 < b) ? $2 : b }
  END { exit !(r < b) }' race.csv && ok || fail "a red-listed village ranks below a black-listed one"
# the threshold: villages under 5 万元 (50 000 yuan) of collective income, counted two ways
G values list --indicator collective_income_village --period 2025 --format csv >coll.csv
G units --level village --format csv | tail -n +2 | cut -d, -f1 | sort >villages
awk -F, 'NR > 1 { print $1 "," $6 }' coll.csv | sort >coll.sorted
under=$(join -t, villages coll.sorted | awk -F, '$2 < 5' | cut -d, -f1 | sort)
nunder=$(printf '%s\n' "$under" | grep -c . || true)
[ "$nunder" -ge 1 ] && ok || fail "the demo has no village under 5 万元 in 2025: the threshold has nothing to show"
G values threshold --indicator coll_income_5w --period 2025 --format json >th.json
expect_in th.json '"units": 234' "\"not_met\": $nunder" '"untested": 0' "\"met\": $((234 - nunder))"
listed=$(node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1])).under;
  console.log(r.map(x=>x.unit).sort().join("\n"))' th.json)
[ "$listed" = "$under" ] && ok || fail "threshold lists $(echo $listed) but the values say $(echo $under)"
# the share at the city equals met / 234, and the county counts add up to the city's
share=$(sql "$db" "SELECT value FROM value WHERE unit='510400' AND indicator='coll_income_5w_share' AND period='2025'")
awk -v s="$share" -v m=$((234 - nunder)) 'BEGIN { exit !(s - 100 * m / 234 < 1e-9 && 100 * m / 234 - s < 1e-9) }' && ok || fail "city share $share"
sum=$(sql "$db" "SELECT sum(v.value) FROM value v JOIN unit u ON u.code = v.unit AND u.level = 2 WHERE v.indicator='coll_income_5w' AND v.period='2025'")
[ "${sum%.0}" = $((234 - nunder)) ] && ok || fail "the counties' counts sum to $sum"
finish
