#!/usr/bin/env bash
# The printed reports: each rendered for the demo to PDF by headless chromium and read back with
# pdftotext — the unit's name, the period and key figures are there, the page count is as
# designed (the village report and the poster: one A4 page); a report holds only what its reader
# may see (another county's village is refused); output never goes over the database.
. "$(dirname "$0")/lib.sh"
command -v pdftotext >/dev/null || { echo "pdftotext missing (poppler-utils)"; exit 1; }
db=$(demodb r)
G() { "$GONGFU" --db "$db" "$@"; }
V=510421001001 # 竹园社区, 锦川镇, 米易县
pages() { pdfinfo "$1" | awk '/^Pages:/ { print $2 }'; }
a4() { pdfinfo "$1" | grep -q 'Page size: .* pts (A4)'; }

# 兴村报表: one A4 page with the village, its township, the period and its figures
expect_exit 0 G report village --unit $V --period 2025 --pdf village.pdf
[ "$(pages village.pdf)" = 1 ] && ok || fail "village report: $(pages village.pdf) pages, expected 1"
a4 village.pdf && ok || fail "village report: not A4: $(pdfinfo village.pdf | grep 'Page size')"
pdftotext -layout village.pdf village.txt
expect_in village.txt "兴村报表" "竹园社区" "锦川镇" "2025" "主要指标"
# the village's values for 2025 (the first 14) are printed as the table shows them (2 decimals under 100,
# none for whole numbers)
G values list --unit $V --period 2025 --format csv | tail -n +2 | cut -d, -f6 >all.vals
total=$(wc -l <all.vals)
head -14 all.vals >vals # the table shows 14 rows on the page, then says how many more
if [ "$total" -gt 14 ]; then expect_in village.txt "另有 $((total - 14)) 条"; fi
n=0
while read -r v; do
  shown=$(awk -v x="$v" 'BEGIN { if (x == int(x) || x >= 100 || x <= -100) printf "%.0f", x; else printf "%.2f", x }')
  expect_in village.txt "$shown"
  n=$((n + 1))
done <vals
[ "$n" -ge 5 ] && ok || fail "the village has only $n values for 2025"

# 成绩单 of the county: its race rank among the counties and its score
expect_exit 0 G report unit --unit 510421 --period 2025 --pdf unit.pdf
pdftotext unit.pdf - | tr -d ' \n' >unit.txt
expect_in unit.txt "成绩单" "米易县" "2025"
G race --period 2025 --units --format csv >race.csv
rank=$(awk -F, '$3 == "510421" { print $2 }' race.csv)
score=$(awk -F, '$3 == "510421" { printf "%.1f", $5 }' race.csv)
expect_in unit.txt "在5个参赛单位中排第${rank}名" "赛马得分$score"

# the poster: one page, the red and the black list with the names the race puts there
expect_exit 0 G report race --period 2025 --pdf race.pdf
[ "$(pages race.pdf)" = 1 ] && ok || fail "poster: $(pages race.pdf) pages, expected 1"
pdftotext -layout race.pdf race.txt
red=$(awk -F, '$17 == "red" { print $4 }' race.csv | head -1)
black=$(awk -F, '$17 == "black" { print $4 }' race.csv | head -1)
expect_in race.txt "红榜" "黑榜" "$red" "$black" "预览"
# once published, the poster shows the publication
expect_exit 0 G user add zx --role centre
expect_exit 0 G --user zx race publish --period 2025
expect_exit 0 G report race --period 2025 --html pub.html
expect_in pub.html "发布编号 #"

# the quarterly report: the summary written from the numbers names the leader of the race
expect_exit 0 G report quarterly --period 2025 --pdf q.pdf
pdftotext -layout q.pdf q.txt
first=$(awk -F, '$2 == "1" { print $4 }' race.csv | head -1)
expect_in q.txt "共同富裕示范区建设情况报告" "居首" "$first" "赛马争先"

# English
expect_exit 0 G --lang en report village --unit $V --period 2025 --html en.html
expect_in en.html "Village report" "Key figures"

# a reader sees only its scope: a reporter of 米易县's village cannot print a 东区 village
expect_exit 0 G user add cun1 --role reporter --scope $V
expect_exit 1 G --user cun1 report village --unit 510402001001
expect_in "$T/err" "510402001001"
expect_exit 0 G --user cun1 report village --unit $V --html own.html
expect_in own.html "竹园社区"
# refusals leave no file; output never over the database
[ ! -e cun.pdf ] && ok || fail "a refused report left a file"
# the database is a file only on SQLite: there the output may not overwrite it
if [ "$PG" = 0 ]; then
  expect_exit 1 G report village --unit $V --html "$db"
  expect_in "$T/err" "refusing to write output"
fi
expect_exit 2 G report yearly
expect_in "$T/err" "unknown report 'yearly'"
finish
