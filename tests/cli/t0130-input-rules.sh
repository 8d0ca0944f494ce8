#!/usr/bin/env bash
# One set of input rules for every import kind and every import command (issue 18): NUL bytes are
# refused with line and column, numbers are decimal, a key given twice in one file is refused
# naming both lines, codes keep to [0-9A-Za-z_.-], "-" is standard input everywhere and an
# unreadable path gives the OS reason, dates of things that happened are not after today, and
# messages show the offending value.  Every refusal: exit 1, database byte-for-byte unchanged.
. "$(dirname "$0")/lib.sh"
B=$GONGFU_SRC/tests/data/base
D=$GONGFU_SRC/tests/data/households
db=$(newdb g)
g() { "$GONGFU" --db "$db" "$@"; }

# ---- a database with one record of every kind (the files are also the templates below) ----
cat >teams.csv <<'EOF'
code,name,kind
T1,专班,work
EOF
cat >departments.csv <<'EOF'
code,name,team,unit
D1,发改委,T1,510400
EOF
cat >people.csv <<'EOF'
code,name,department
P1,张一,D1
EOF
cat >framework.csv <<'EOF'
framework,framework_name,code,parent,kind,name,direction,weight
fx,体系,i,,index,指数,,
fx,,dx,i,dimension,维度,,1
fx,,ix,dx,indicator,指标,+,1
EOF
cat >values.csv <<'EOF'
unit,indicator,period,value
510400,ix,2024,5
510400,ix,2025,6
EOF
cat >household_registry.csv <<'EOF'
code,unit,head_name
HX1,510421001001,张三
HX2,510421001001,李四
EOF
cat >household_members.csv <<'EOF'
household,seq,name,relation
HX1,1,张三,户主
HX1,2,王五,配偶
EOF
cat >household_incomes.csv <<'EOF'
household,period,per_capita
HX1,2024,9000
HX1,2025,9500
EOF
cat >list_kinds.csv <<'EOF'
code,name
safety,安全
other,其他
EOF
cat >items.csv <<'EOF'
code,title,kind,lead_unit,owner,start,due,invest_planned
IX1,事项一,project,D1,P1,2024-01-01,2024-12-31,10
IX2,事项二,project,D1,P1,2024-01-01,2024-12-31,20
EOF
cat >progress.csv <<'EOF'
item,date,percent,reported_by
IX1,2024-03-31,20,P1
IX1,2024-04-30,30,P1
EOF
cat >households.csv <<'EOF'
unit,period,income,size
510421001001,2024,30000,3
EOF
cat >collective_income.csv <<'EOF2'
unit,year,source,amount,note
510421001001,2024,operating,36000,
510421001001,2024,subsidy,20000,上级补助
EOF2
cat >village_enterprises.csv <<'EOF2'
code,name,unit,kind,founded
QX1,乙村强村公司,510421001001,qiangcun,2021
EOF2
cat >village_enterprise_results.csv <<'EOF2'
enterprise,year,revenue,profit,dividends,to_collective
QX1,2024,500000,80000,20000,30000
EOF2
cat >enclaves.csv <<'EOF2'
code,name,unit,invested
FX1,飞地园区,510421001001,200000
FX1,飞地园区,510421001002,100000
EOF2
cat >enclave_returns.csv <<'EOF2'
enclave,year,amount
FX1,2024,30000
EOF2
cat >enterprises.csv <<'EOF2'
code,name,unit,sector,size
EX1,钒钛科技,510421,manufacturing,small
EOF2
cat >enterprise_values.csv <<'EOF2'
enterprise,indicator,period,value
EX1,ix,2024,5
EOF2
cat >pairings.csv <<'EOF2'
code,kind,helper,unit,start,end,pledged
PX1,department,D1,510421001001,2025-01-01,2026-12-31,500000
EOF2
cat >pairing_activities.csv <<'EOF2'
pairing,date,kind,amount
PX1,2025-03-01,funds,100000
EOF2
cat >cases.csv <<'EOF2'
code,title,unit,themes,summary,date,items,indicators
CX1,案例一,510400,"共同富裕,数字化",摘要,2024-05-01,"IX1,IX2",ix
EOF2
cat >trainings.csv <<'EOF2'
code,course,start,end,team,unit,place
TX1,培训一,2024-03-01,2024-03-02,T1,510400,党校
EOF2
cat >training_attendees.csv <<'EOF2'
training,person
TX1,P1
EOF2
for k in units framework values; do g import $k "$B/$k.csv" >/dev/null; done
g import people "$D/people.csv" >/dev/null
for k in teams departments people framework values household_registry household_members \
  household_incomes list_kinds items progress households collective_income village_enterprises \
  village_enterprise_results enclaves enclave_returns enterprises enterprise_values pairings pairing_activities \
  cases trainings training_attendees; do
  expect_exit 0 g import $k $k.csv || true
done
kinds="units teams departments people framework values households household_registry
  household_members household_incomes list_kinds items progress collective_income
  village_enterprises village_enterprise_results enclaves enclave_returns enterprises enterprise_values
  pairings pairing_activities cases trainings training_attendees"
[ "$(echo $kinds | wc -w)" = "$(g import --help | grep -c '^  [a-z_]* ')" ] && ok ||
  fail "the kinds listed here are not every kind of gongfu import --help"

# every kind is fuzzed: fuzz_import runs one case per seed folder (the microdata: fuzz_income)
for k in $kinds; do
  [ "$k" = households ] || [ -d "$GONGFU_SRC/tests/fuzz/seeds/import/$k" ] && ok ||
    fail "no fuzz seeds for import kind $k (tests/fuzz/seeds/import/$k/)"
done

# refused TEXT... -- CMD...: exit 1, stderr names every TEXT, database byte-for-byte unchanged
refused() {
  local texts=()
  while [ "$1" != "--" ]; do texts+=("$1"); shift; done
  shift
  if [ "$PG" = 0 ]; then cp "$db" "$T/before.db"; else dump "$db" >"$T/before.txt"; fi
  expect_exit 1 "$@" <"${STDIN:-/dev/null}" || true
  expect_in "$T/err" "${texts[@]}"
  # the bytes of the file on SQLite; PostgreSQL has no such file: its rows and schema instead
  if [ "$PG" = 0 ]; then
    if ! cmp -s "$db" "$T/before.db"; then fail "database changed after: $*"; else ok; fi
  elif ! dump "$db" | cmp -s - "$T/before.txt"; then fail "database changed after: $*"; else ok; fi
}
# template KIND: the file of that kind (units from the base data)
template() { if [ "$1" = units ]; then cp "$B/units.csv" "$T/t.csv"; else cp "$1.csv" "$T/t.csv"; fi; }

# ---- item 10: a NUL byte inside a field is refused with line and column, for every kind ----
for k in $kinds; do
  template $k
  # the second line's second field gets a NUL byte after its first character
  # (in bytes, as the message counts: LC_ALL=C, or gawk would count the characters of a UTF-8 field)
  LC_ALL=C awk -F, 'NR == 2 { $2 = substr($2, 1, 1) "\001" substr($2, 2) } { print }' OFS=, "$T/t.csv" |
    tr '\001' '\000' >"$T/nul-$k.csv"
  col=$(LC_ALL=C awk -F, 'NR == 2 { print length($1) + 3 }' "$T/t.csv")
  refused "nul-$k.csv:2:" "NUL" "column $col" -- g import $k "$T/nul-$k.csv"
done
# JSON: a raw NUL byte (JSON Lines, array) and the escape \u0000
printf '{"unit":"510400","indicator":"ix","period":"2024","value":"1\0009"}\n' >nul.jsonl
refused 'nul.jsonl:1:' 'NUL' 'column 61' -- g import values nul.jsonl
printf '[\n{"unit":"510400","indicator":"ix","period":"2024","value":"1"}\0]\n' >nul.json
refused 'nul.json:2:' 'NUL' 'column 63' -- g import values nul.json
printf '{"unit":"510400","indicator":"ix","period":"2024","value":"1\\u00009"}\n' >esc.jsonl
refused 'esc.jsonl:1:' 'NUL' '\u0000 at column' -- g import values esc.jsonl
printf '[{"unit":"510400","indicator":"ix","period":"2024","value":"1\\u00009"}]\n' >esc.json
refused 'esc.json:1:' 'NUL' '\u0000 at column' -- g import values esc.json
# and in the other CSV readers: gongfu stats and mcda
printf 'inc,grp\n100,a\n200,b\0c\n' >nul-stats.csv
refused 'nul-stats.csv:3:' 'NUL' 'column 6' -- g stats nul-stats.csv --value inc --by grp
printf 'unit,a,b\nu1,1,2\nu2,3\0,4\n' >nul-mcda.csv
refused 'nul-mcda.csv:3:' 'NUL' 'column 5' -- g mcda topsis nul-mcda.csv

# ---- item 11: numbers are decimal ("0x10" is not 16) ----
printf 'unit,indicator,period,value\n510400,ix,2024,0x10\n' >hex-values.csv
refused 'hex-values.csv:2:' 'field "value"' 'value "0x10"' 'a number' -- g import values hex-values.csv
printf 'household,period,per_capita\nHX1,2024,0x10\n' >hex-incomes.csv
refused 'hex-incomes.csv:2:' 'field "per_capita"' 'value "0x10"' -- g import household_incomes hex-incomes.csv
printf 'code,title,kind,lead_unit,owner,start,due,invest_planned\nIX1,事项一,project,D1,P1,2024-01-01,2024-12-31,0x10\n' >hex-items.csv
refused 'hex-items.csv:2:' 'field "invest_planned"' 'value "0x10"' -- g import items hex-items.csv
printf 'item,date,percent,reported_by\nIX1,2024-03-31,0x10,P1\n' >hex-progress.csv
refused 'hex-progress.csv:2:' 'field "percent"' 'value "0x10"' -- g import progress hex-progress.csv
printf 'framework,code,parent,kind,name,direction,weight\nfx,ix,dx,indicator,指标,+,0x10\n' >hex-framework.csv
refused 'hex-framework.csv:2:' 'field "weight"' 'value "0x10"' -- g import framework hex-framework.csv
printf 'unit,a,b\nu1,1,2\nu2,0x10,4\n' >hex-mcda.csv
refused 'hex-mcda.csv:3:' 'value "0x10"' -- g mcda topsis hex-mcda.csv
printf 'framework,code,parent,kind,name,direction,formula\nfx,iy,dx,indicator,Y,+,ix * 0x10\n' >hex-formula.csv
refused 'hex-formula.csv:2:' 'field "formula"' -- g import framework hex-formula.csv
printf 'unit,indicator,period,value\n510400,ix,2024,1\n510400,ix,2024- 1-01,1\n' >sloppy.csv
expect_exit 1 g import values sloppy.csv || true

# ---- item 12: the same key twice in one file names both lines, for every kind with a key ----
dup() { # dup KIND: the template with its first record repeated at the end
  template $1
  { cat "$T/t.csv"; sed -n 2p "$T/t.csv"; } >"$T/dup-$1.csv"
  echo $(($(wc -l <"$T/dup-$1.csv")))
}
for k in units teams departments people values household_registry household_members \
  household_incomes list_kinds items progress collective_income village_enterprises \
  village_enterprise_results enclaves enclave_returns enterprises enterprise_values pairings pairing_activities \
  cases trainings training_attendees; do
  n=$(dup $k)
  refused "dup-$k.csv:$n:" "line $n repeats the key of line 2" -- g import $k "$T/dup-$k.csv"
done
printf 'framework,code,parent,kind,name,direction\nfx,ix,dx,indicator,指标,+\nfx,ix,dx,indicator,指标二,+\n' >dup-fw.csv
refused 'dup-fw.csv:3:' 'line 3 repeats the key of line 2: framework fx, code ix' -- g import framework dup-fw.csv
printf 'unit,indicator,period,value\n510400,ix,2023,1\n510400,ix,2024,2\n510400,ix,2023,3\n' >dup-values.csv
refused 'dup-values.csv:4:' 'line 4 repeats the key of line 2: unit 510400, indicator ix, period 2023' -- \
  g import values dup-values.csv
# JSON: a number and a string of the same text are the same key
printf '{"unit":"510400","indicator":"ix","period":2023,"value":1}\n{"unit":"510400","indicator":"ix","period":"2023","value":2}\n' >dup.jsonl
refused 'dup.jsonl:2:' 'line 2 repeats the key of line 1' -- g import values dup.jsonl

# ---- item 13: codes outside [0-9A-Za-z_.-] ----
printf "code,title,kind,lead_unit,owner,start,due\n\"'); DROP TABLE unit;--\",标题,project,D1,P1,2024-01-01,2024-12-31\n" >code-items.csv
refused 'code-items.csv:2:' 'field "code"' "value \"'); DROP TABLE unit;--\"" 'letters, digits' -- \
  g import items code-items.csv
printf "code,unit,head_name\n\"H 1\",510421001001,张三\n" >code-hh.csv
refused 'code-hh.csv:2:' 'field "code"' 'value "H 1"' 'letters, digits' -- g households import households code-hh.csv

# ---- item 14: "-" is standard input for every import command; unreadable paths give the reason ----
printf '{"unit":"510400","indicator":"ix","period":"2026","value":7}\n' >in.jsonl
expect_exit 0 g import values - --json <in.jsonl && expect_in "$T/out" "(stdin): 1 行" || true
printf '[{"unit":"510400","indicator":"ix","period":"2027","value":8}]' >in.json
expect_exit 0 g import values - <in.json && expect_in "$T/out" "(stdin): 1 行" || true # sniffed
expect_exit 0 g import values - <values.csv || true
expect_exit 0 g --format json import values - <in.jsonl || true
expect_exit 0 g items import - <items.csv && expect_in "$T/out" "(stdin): 2 行" || true
expect_exit 0 g items import - --what progress <progress.csv || true
printf '{"code":"IX4","title":"四","kind":"project","lead_unit":"D1","owner":"P1","start":"2024-01-01","due":"2024-12-31"}\n' >item.jsonl
expect_exit 0 g items import - --json <item.jsonl && expect_in "$T/out" "(stdin): 1 行, 新增 1" || true
expect_exit 0 g households import households - <household_registry.csv || true
expect_exit 0 g households import incomes - --csv <household_incomes.csv || true
expect_exit 0 g import households - <households.csv || true
STDIN=hex-values.csv refused '(stdin):2:' 'value "0x10"' -- g import values -
STDIN=hex-items.csv refused '(stdin):2:' 'value "0x10"' -- g items import -
mkdir adir
for cmd in "import values" "import households" "items import" "households import households"; do
  refused 'adir: cannot open: Is a directory' -- g $cmd adir
  refused 'nosuch.csv: cannot open: No such file or directory' -- g $cmd nosuch.csv
done
refused 'adir: cannot open: Is a directory' -- g stats adir --value x
refused 'adir: cannot open: Is a directory' -- g mcda topsis adir
refused 'adir: cannot open: Is a directory' -- g race --config adir
refused 'adir: cannot open: Is a directory' -- g eval --pipeline adir
refused 'adir: cannot open: Is a directory' -- g mcda score --pipeline adir hex-values.csv

# ---- item 18: dates of things that happened are not after today (GONGFU_NOW: 2026-06-30) ----
g households import households "$D/households.csv" >/dev/null
g households import incomes "$D/incomes.csv" >/dev/null
refused 'field "date"' 'value "2099-01-01"' 'not after today (2026-06-30)' -- \
  g households flag --period 2025 --date 2099-01-01
expect_exit 0 g households flag --period 2025 --date 2026-01-10 || true
refused 'field "date"' 'value "2099-01-01"' 'not after today (2026-06-30)' -- \
  g households identify H1 --category edge --steps all --date 2099-01-01
refused 'field "date"' 'value "2026-07-01"' 'not after today' -- \
  g households identify H1 --step household_check --date 2026-07-01
expect_exit 0 g households identify H1 --category edge --steps all --date 2026-01-20 || true
refused 'field "date"' 'value "2099-01-01"' 'not after today' -- \
  g households pair H1 --org 乙村党支部 --cadre C1 --date 2099-01-01
expect_exit 0 g households pair H1 --org 乙村党支部 --cadre C1 --date 2026-01-21 || true
refused 'field "date"' 'value "2099-01-01"' 'not after today' -- \
  g households visit H1 --measure employment --date 2099-01-01
expect_exit 0 g households visit H1 --measure employment --date 2026-02-01 || true
refused 'field "date"' 'value "2099-01-01"' 'not after today' -- g households eliminate H1 --date 2099-01-01
# a change today still works after the refusals (nothing was dated in 2099)
expect_exit 0 g households visit H1 --date 2026-06-30 || true
refused 'field "date"' 'value "2099-01-01"' 'not after today' -- g items progress IX2 --percent 5 --by P1 --date 2099-01-01
printf 'item,date,percent,reported_by,milestone,milestone_date\nIX2,2026-06-01,5,P1,start,2099-01-01\n' >future-ms.csv
refused 'future-ms.csv:2:' 'field "milestone_date"' 'value "2099-01-01"' 'not after today' -- \
  g import progress future-ms.csv
printf 'code,title,kind,lead_unit,owner,start,due,status,completed\nIX3,三,project,D1,P1,2024-01-01,2024-12-31,done,2099-01-01\n' >future-done.csv
refused 'future-done.csv:2:' 'field "completed"' 'value "2099-01-01"' 'not after today' -- \
  g import items future-done.csv
printf 'code,title,kind,lead_unit,owner,start,due,start_planned,start_actual\nIX3,三,project,D1,P1,2024-01-01,2099-12-31,2030-01-01,2099-01-01\n' >future-actual.csv
refused 'future-actual.csv:2:' 'field "start_actual"' 'value "2099-01-01"' -- g import items future-actual.csv
# plan and due dates may be in the future
printf 'code,title,kind,lead_unit,owner,start,due,start_planned\nIX3,三,project,D1,P1,2027-01-01,2099-12-31,2030-01-01\n' >future-plan.csv
expect_exit 0 g import items future-plan.csv || true

# ---- item 4: option lists are bounded and say so (mcda --weights: t0300-mcda.sh) ----
steps=$(seq -s, -f 's%g' 1 17)
expect_exit 2 g households identify H2 --category edge --steps "$steps" --date 2026-06-01 || true
expect_in "$T/err" "at most 16 steps"

# ---- item 19: messages show the value, with file and line when it came from a file ----
printf 'framework,code,parent,kind,name,direction,weight\nfx,ix,dx,indicator,指标,+,-5\n' >neg-weight.csv
refused 'neg-weight.csv:2:' 'field "weight"' 'value "-5"' '>= 0' -- g import framework neg-weight.csv
printf 'framework,code,parent,kind,name,direction,band_lo,band_hi\nfx,ix,dx,indicator,指标,band,10,2\n' >band.csv
refused 'band.csv:2:' 'field "band_hi"' 'value "2"' 'band_lo (10)' -- g import framework band.csv
printf '{"weights":{"eval":-1}}' >race.json
refused 'race.json' 'field "weights.eval"' 'value "-1"' 'a number from 0 to' -- g race --config race.json
printf '{"jitter":"big"}' >race2.json
refused 'race2.json' 'field "jitter"' 'value ""big""' -- g race --config race2.json
printf 'inc,w,s\n100,1e308,2\n200,1,1\n' >w.csv
refused 'w.csv:2:' 'field "w"' 'value "1e308"' 'product with the household size' -- \
  g stats w.csv --value inc --weight w --size s --per-capita
finish
