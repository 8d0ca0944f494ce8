#!/usr/bin/env bash
# The case library (典型案例) and training records: cases imported as drafts with their themes and
# links, found by theme, unit (with the units under it), status and text; the status moves
# draft → recommended → published one step at a time (skipping and going back refused, each move
# audited); readers without config see published cases only; training person-times (人次) and
# distinct people per unit and team counted by hand; bad input refused with the database unchanged;
# the demo's published cases found by theme.
. "$(dirname "$0")/lib.sh"
B=$GONGFU_SRC/tests/data/base
db=$(newdb c)
G() { "$GONGFU" --db "$db" "$@"; }
q() { sql "$db" "$1"; }
# refused TEXT... -- CMD...: exit 1, stderr names every TEXT, database unchanged (dump)
refused() {
  local texts=()
  while [ "$1" != "--" ]; do texts+=("$1"); shift; done
  shift
  dump "$db" >"$T/before.sql"
  expect_exit 1 "$@" || true
  expect_in "$T/err" "${texts[@]}"
  dump "$db" >"$T/after.sql"
  if cmp -s "$T/before.sql" "$T/after.sql"; then ok; else fail "database changed after: $*"; fi
}
expect_exit 0 G import units "$B/units.csv"
expect_exit 0 G import framework "$B/framework.csv"
cat >teams.csv <<'CSV'
code,name,kind
T1,改革专班,work
T2,农村专班,work
CSV
cat >departments.csv <<'CSV'
code,name,team,unit
D1,发改委,T1,510400
D2,农业农村局,T2,510421
CSV
cat >people.csv <<'CSV'
code,name,department,team,unit
P1,张一,D1,,
P2,王二,D2,,510421001001
P3,李三,,T2,510421
CSV
cat >items.csv <<'CSV'
code,title,kind,lead_unit,owner,start,due
IX1,强村公司项目,project,D1,P1,2024-01-01,2025-12-31
IX2,数字乡村,reform,D2,P2,2024-01-01,2025-12-31
CSV
for k in teams departments people items; do expect_exit 0 G import $k $k.csv; done
cat >cases.csv <<'CSV'
code,title,unit,themes,summary,date,items,indicators
CA1,乙村强村公司,510421001001,"共同富裕, 数字化",强村公司带动村集体增收,2025-06-01,"IX1;IX2","income_rural,ratio"
CA2,米易县资产盘活,510421,集体经济,盘活闲置资产,2025-07-01,IX1,
CA3,全市试验区综述,510400,共同富裕,综述,2025-08-01,,income_urban
CA4,丙村山海协作,510421001002,山海协作、共同富裕,Digital market for the village,,,
CSV
expect_exit 0 G import cases cases.csv
expect_in "$T/out" "4 行, 新增 4"
[ "$(q "SELECT status FROM case_study ORDER BY code" | paste -sd,)" = draft,draft,draft,draft ] && ok || fail "new cases are drafts"
[ "$(q "SELECT themes FROM case_study WHERE code='CA4'")" = "山海协作,共同富裕" ] && ok || fail "themes normalised: $(q "SELECT themes FROM case_study WHERE code='CA4'")"
[ "$(q "SELECT count(*) FROM case_item")" = 3 ] && [ "$(q "SELECT count(*) FROM case_indicator")" = 3 ] && ok || fail "links"
# the same file again changes nothing
expect_exit 0 G import cases cases.csv
expect_in "$T/out" "新增 0, 更新 0, 未变 4"

# ---- the reads as the administrator (sees drafts) ----
expect_exit 0 G cases list --format csv
[ "$(grep -c '^CA' "$T/out")" = 4 ] && ok || fail "4 cases: $(cat "$T/out")"
expect_exit 0 G cases list --theme 共同富裕 --format csv
[ "$(cut -d, -f1 "$T/out" | grep '^CA' | tr '\n' ' ')" = "CA1 CA3 CA4 " ] && ok || fail "theme 共同富裕: $(cat "$T/out")"
expect_exit 0 G cases list --unit 510421 --format csv # the county and the villages under it
[ "$(cut -d, -f1 "$T/out" | grep '^CA' | tr '\n' ' ')" = "CA1 CA2 CA4 " ] && ok || fail "unit 510421: $(cat "$T/out")"
expect_exit 0 G cases list --text digital --format csv # text search, case-insensitive
[ "$(cut -d, -f1 "$T/out" | grep '^CA' | tr '\n' ' ')" = "CA4 " ] && ok || fail "text: $(cat "$T/out")"
expect_exit 0 G cases list --theme 共同 --format csv # a theme is a whole tag
[ "$(grep -c '^CA' "$T/out")" = 0 ] && ok || fail "partial theme matched"
expect_exit 0 G cases show CA1 --format json
expect_in "$T/out" '"status": "draft"' '"code": "IX1"' '"code": "IX2"' '"code": "income_rural"' '"code": "ratio"'
refused "no unit 999" -- G cases list --unit 999
refused "no case NOPE" -- G cases show NOPE

# ---- the status: one step at a time, never back, audited ----
expect_exit 0 G cases status CA1 --date 2025-07-01
expect_in "$T/out" "draft → recommended"
expect_exit 0 G cases status CA1 --to published --date 2025-07-15
expect_in "$T/out" "recommended → published"
expect_exit 0 G cases status CA2 --to recommended
refused "CA3 is draft" "cannot skip to published" "next status is recommended" -- G cases status CA3 --to published
refused "CA1 is already published" -- G cases status CA1
refused "CA2 is recommended" "cannot go back to recommended" -- G cases status CA2 --to recommended
refused "no case NOPE" -- G cases status NOPE
refused 'value "2099-01-01"' "not after today" -- G cases status CA3 --date 2099-01-01
[ "$(q "SELECT status || ' ' || recommended_on || ' ' || published_on FROM case_study WHERE code='CA1'")" = "published 2025-07-01 2025-07-15" ] && ok || fail "CA1 dates"
[ "$(q "SELECT count(*) FROM audit WHERE action='status' AND entity='case_study'")" = 3 ] && ok || fail "3 status moves audited"
q "SELECT before, after FROM audit WHERE action='status' AND key='CA2'" >audit.txt
expect_in audit.txt draft recommended 2026-06-30
# an import never moves a status back
expect_exit 0 G import cases cases.csv
[ "$(q "SELECT status FROM case_study WHERE code='CA1'")" = published ] && ok || fail "import changed a status"

# ---- who reads: a leader sees the published case only; may not move one ----
expect_exit 0 G user add lead --role leader
expect_exit 0 G --user lead cases list --format csv
[ "$(cut -d, -f1 "$T/out" | grep '^CA' | tr '\n' ' ')" = "CA1 " ] && ok || fail "leader sees: $(cat "$T/out")"
expect_exit 0 G --user lead cases list --theme 共同富裕 --format csv
[ "$(cut -d, -f1 "$T/out" | grep '^CA' | tr '\n' ' ')" = "CA1 " ] && ok || fail "leader by theme: $(cat "$T/out")"
expect_exit 0 G --user lead cases show CA1
refused "no case CA2" "not published" -- G --user lead cases show CA2
# the public's list: published cases only, by theme, without the links
expect_exit 0 G cases public --format csv
[ "$(cut -d, -f1 "$T/out" | grep '^CA' | tr '\n' ' ')" = "CA1 " ] && ok || fail "public: $(cat "$T/out")"
head -1 "$T/out" | grep -q '^code,title,unit_name,themes,published_on,summary$' && ok || fail "public columns: $(head -1 "$T/out")"
expect_exit 0 G cases public --theme 数字化 --format csv
[ "$(grep -c '^CA' "$T/out")" = 1 ] && ok || fail "public by theme"
expect_exit 0 G cases public --theme 无此主题 --format csv
[ "$(grep -c '^CA' "$T/out")" = 0 ] && ok || fail "public by an unknown theme"
dump "$db" >"$T/before.sql"
expect_exit 1 G --user lead cases status CA3 || true
expect_in "$T/err" "may not move a case on"
dump "$db" >"$T/after.sql"
cmp -s "$T/before.sql" "$T/after.sql" && ok || fail "a refused status move changed the database"
expect_exit 1 G --user lead import cases cases.csv || true

# ---- attachments: stored whole, read like the case, refused when not what they say ----
printf '\x89PNG\r\n\x1a\n\x00\x01\x02\xff\x00binary' >"照片.png" # NUL and high bytes kept
expect_exit 0 G cases attach CA1 "照片.png"
expect_in "$T/out" "附件 照片.png 已保存(19 字节)"
printf '%%PDF-1.4 plan\n' >plan.pdf
expect_exit 0 G cases attach CA2 plan.pdf --name 方案.pdf
expect_exit 0 G --format json cases show CA1
[ "$(jq -r '.attachments[0] | "\(.name) \(.media_type) \(.size)"' "$T/out")" = "照片.png image/png 19" ] && ok ||
  fail "show: $(cat "$T/out")"
expect_exit 0 G --user lead cases attachment CA1 照片.png --output got.png
cmp -s got.png 照片.png && ok || fail "the download differs from the upload"
"$GONGFU" --db "$db" --user lead cases attachment CA1 照片.png >piped.png && cmp -s piped.png 照片.png && ok ||
  fail "download to standard output"
sha=$(sha256sum 照片.png | cut -d' ' -f1)
[ "$(q "SELECT after FROM audit WHERE entity = 'case_attachment' AND key = 'CA1/照片.png'")" = \
  "$(printf '{"name":"照片.png","media_type":"image/png","size":"19","sha256":"%s"}' "$sha")" ] && ok ||
  fail "audit: $(q "SELECT after FROM audit WHERE entity = 'case_attachment'")"
# a draft's attachment is the centre's; a reader without config may neither attach nor remove
refused "no attachment 方案.pdf" "not published" -- G --user lead cases attachment CA2 方案.pdf
refused "lead" -- G --user lead cases attach CA1 plan.pdf
refused "lead" -- G --user lead cases detach CA1 照片.png
# bad files change nothing
printf 'not a pdf' >fake.pdf
refused 'field "file"' 'value "fake.pdf"' "the content of a pdf file" -- G cases attach CA1 fake.pdf
printf 'MZ\x90\x00' >tool.exe
refused 'field "name"' "tool.exe" ".jpg, .jpeg, .png, .pdf" -- G cases attach CA1 tool.exe
refused 'field "name"' "../x.txt" "without /" -- G cases attach CA1 plan.pdf --name ../x.txt
printf 'a\x00b' >nul.txt
refused "the content of a txt file" -- G cases attach CA1 nul.txt
: >empty.txt
refused "1 byte to 20 MiB" -- G cases attach CA1 empty.txt
{ printf '%%PDF-'; head -c $((20 * 1024 * 1024)) /dev/zero; } >big.pdf
refused "big.pdf" "at most" -- G cases attach CA1 big.pdf
refused "no case NOPE" -- G cases attach NOPE plan.pdf
refused "no attachment x.pdf" -- G cases detach CA1 x.pdf
# the same name replaces (audited as such); removing is audited with what went
printf '\x89PNG\r\n\x1a\nsecond' >"照片.png"
expect_exit 0 G cases attach CA1 "照片.png"
[ "$(q "SELECT size FROM case_attachment WHERE case_code = 'CA1'")" = 14 ] && ok || fail "not replaced"
[ "$(q "SELECT count(*) FROM audit WHERE action = 'replace' AND entity = 'case_attachment'")" = 1 ] && ok || fail "replace audited"
expect_exit 0 G cases detach CA1 照片.png
[ "$(q "SELECT count(*) FROM case_attachment WHERE case_code = 'CA1'")" = 0 ] && ok || fail "not removed"
[ "$(q "SELECT count(*) FROM audit WHERE action = 'delete' AND entity = 'case_attachment' AND before LIKE '%\"size\":\"14\"%'")" = 1 ] && ok ||
  fail "removal audited"

# ---- links are the row's: a re-import with fewer replaces them (audited) ----
printf 'code,title,unit,themes,items\nCA1,乙村强村公司,510421001001,共同富裕,IX2\n' >fewer.csv
expect_exit 0 G import cases fewer.csv
[ "$(q "SELECT item FROM case_item WHERE case_code='CA1' ORDER BY item" | paste -sd,)" = IX2 ] && ok || fail "CA1 links: $(q "SELECT item FROM case_item WHERE case_code='CA1' ORDER BY item" | paste -sd,)"
[ "$(q "SELECT count(*) FROM case_indicator WHERE case_code='CA1'")" = 0 ] && ok || fail "CA1 indicators kept"
[ "$(q "SELECT count(*) FROM audit WHERE action='delete' AND entity IN ('case_item','case_indicator') AND key LIKE 'CA1/%'")" = 3 ] && ok || fail "link deletions audited"

# ---- bad input: exit 1, nothing changed ----
printf 'code,title,unit,themes,items\nCB1,新案例,510400,共同富裕,IX1\nCB2,坏,510400,共同富裕,NOPE\n' >bad-item.csv
refused 'bad-item.csv:3:' 'field "items"' 'value "NOPE"' 'list item' -- G import cases bad-item.csv
printf 'code,title,unit,themes,indicators\nCB1,新案例,510400,共同富裕,nope\n' >bad-ind.csv
refused 'bad-ind.csv:2:' 'field "indicators"' 'value "nope"' -- G import cases bad-ind.csv
printf 'code,title,unit,themes\nCB1,新案例,999,共同富裕\n' >bad-unit.csv
refused 'bad-unit.csv:2:' 'field "unit"' 'value "999"' -- G import cases bad-unit.csv
printf 'code,title,unit,themes\nCB1,新案例,510400," , ;"\n' >bad-themes.csv
refused 'bad-themes.csv:2:' 'field "themes"' 'one or more themes' -- G import cases bad-themes.csv
printf 'code,title,unit,themes,date\nCB1,新案例,510400,共同富裕,2099-01-01\n' >bad-date.csv
refused 'bad-date.csv:2:' 'field "date"' 'not after today' -- G import cases bad-date.csv
printf 'code,title,unit,themes,items\nCB1,新案例,510400,共同富裕,"IX1,IX1"\n' >bad-twice.csv
refused 'bad-twice.csv:2:' 'value "IX1"' 'each code once' -- G import cases bad-twice.csv
printf 'code,title,unit,themes,status\nCB1,新案例,510400,共同富裕,published\n' >bad-status.csv
refused 'bad-status.csv:' 'status' -- G import cases bad-status.csv

# ---- trainings: person-times and people by the attendee's unit and team, counted by hand ----
cat >trainings.csv <<'CSV'
code,course,start,end,team,unit,place
TR1,集体经济实务,2025-03-01,2025-03-02,T1,,党校
TR2,数字化能力,2025-09-10,2025-09-10,,510421,县党校
TR3,往年培训,2024-05-01,2024-05-03,T2,510400,浙江大学
CSV
cat >attendees.csv <<'CSV'
training,person
TR1,P1
TR1,P2
TR1,P3
TR2,P2
TR2,P3
TR3,P1
CSV
expect_exit 0 G import trainings trainings.csv
expect_exit 0 G import training_attendees attendees.csv
expect_exit 0 G trainings summary --year 2025
expect_in "$T/out" "2025 年: 培训 2 期, 参训 5 人次, 3 人"
expect_exit 0 G trainings summary --year 2025 --format json
# P1: department D1's unit 510400 and team T1; P2: own unit 510421001001, D2's team T2; P3: own
# unit 510421 and team T2
expect_in "$T/out" \
  '{"unit": "510400", "unit_name": "攀枝花市", "trainings": 1, "person_times": 1, "people": 1}' \
  '{"unit": "510421", "unit_name": "米易县", "trainings": 2, "person_times": 2, "people": 1}' \
  '{"unit": "510421001001", "unit_name": "乙村", "trainings": 2, "person_times": 2, "people": 1}' \
  '{"team": "T1", "team_name": "改革专班", "trainings": 1, "person_times": 1, "people": 1}' \
  '{"team": "T2", "team_name": "农村专班", "trainings": 2, "person_times": 4, "people": 2}'
expect_exit 0 G trainings summary --year 2024
expect_in "$T/out" "2024 年: 培训 1 期, 参训 1 人次, 1 人"
expect_exit 0 G trainings summary # the newest year with trainings
expect_in "$T/out" "2025 年: 培训 2 期, 参训 5 人次, 3 人"
expect_exit 0 G trainings list --year 2025 --format csv
expect_in "$T/out" "TR1,集体经济实务,2025-03-01,2025-03-02,T1,,,党校,3" "TR2,数字化能力,2025-09-10,2025-09-10,,510421,米易县,县党校,2"
expect_exit 0 G trainings list --year 2024 --unit 510400 --format csv
expect_in "$T/out" "TR3"
expect_exit 0 G --user lead trainings summary --year 2025
printf 'code,course,start,end,team\nTB1,坏,2025-03-02,2025-03-01,T1\n' >bad-end.csv
refused 'bad-end.csv:2:' 'field "end"' 'not before start' -- G import trainings bad-end.csv
printf 'code,course,start,end,place\nTB1,无主办,2025-03-01,2025-03-01,党校\n' >bad-org.csv
refused 'bad-org.csv:2:' 'organiser' -- G import trainings bad-org.csv
printf 'code,course,start,end,team\nTB1,坏,2025-02-30,2025-03-01,T1\n' >bad-start.csv
refused 'bad-start.csv:2:' 'field "start"' 'value "2025-02-30"' -- G import trainings bad-start.csv
printf 'training,person\nTR1,P1\nTR1,P9\n' >bad-person.csv
refused 'bad-person.csv:3:' 'field "person"' 'value "P9"' -- G import training_attendees bad-person.csv
printf 'training,person\nTR9,P1\n' >bad-training.csv
refused 'bad-training.csv:2:' 'field "training"' 'value "TR9"' -- G import training_attendees bad-training.csv
expect_exit 2 G trainings summary --year abc && expect_in "$T/err" 'field "--year"' 'value "abc"' || true

# ---- the demo: published cases found by theme, drafts hidden from readers ----
demo=$(demodb demo)
D() { "$GONGFU" --db "$demo" "$@"; }
[ "$(sql "$demo" "SELECT count(*) || ' ' || sum(CASE WHEN status='published' THEN 1 ELSE 0 END) || ' ' || sum(CASE WHEN status='recommended' THEN 1 ELSE 0 END) || ' ' || sum(CASE WHEN status='draft' THEN 1 ELSE 0 END) FROM case_study")" = "12 6 3 3" ] && ok || fail "demo cases"
[ "$(sql "$demo" "SELECT count(*) FROM case_study WHERE note NOT LIKE '%synthetic%'")" = 0 ] && ok || fail "demo cases labelled synthetic"
expect_exit 0 D user add demo_lead --role leader
expect_exit 0 D --user demo_lead cases list --theme 集体经济 --format csv
[ "$(cut -d, -f1 "$T/out" | grep '^CASE' | tr '\n' ' ')" = "CASE01 CASE02 " ] && ok || fail "demo 集体经济 published: $(cat "$T/out")"
expect_exit 0 D cases list --theme 集体经济 --format csv
[ "$(cut -d, -f1 "$T/out" | grep '^CASE' | tr '\n' ' ')" = "CASE01 CASE02 CASE07 CASE12 " ] && ok || fail "demo 集体经济 all: $(cat "$T/out")"
[ "$(sql "$demo" "SELECT count(*) FROM training")" = 10 ] && ok || fail "demo trainings"
[ "$(sql "$demo" "SELECT p.code FROM training_attendee a JOIN person p ON p.code = a.person" | grep -cv '^P[0-9][0-9][0-9][0-9]$')" = 0 ] && ok || fail "demo attendees from demo/people.csv"
expect_exit 0 D trainings summary --year 2025 --format json
n=$(sql "$demo" "SELECT count(*) FROM training_attendee a JOIN training t ON t.code = a.training WHERE t.start_date LIKE '2025%'")
expect_in "$T/out" "参训 $n 人次"
finish
