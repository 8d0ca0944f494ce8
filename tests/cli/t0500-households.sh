#!/usr/bin/env bash
# Household monitoring through the real binary: imports, flag, the workflow, masking in
# list/show/export, the audit of unmasked reads, alerts and the coverage report (expected
# figures computed by hand below), and bad input: a clear message, exit 1, the database
# byte-for-byte unchanged.
. "$(dirname "$0")/lib.sh"
D=$GONGFU_SRC/tests/data/households
db=$(newdb g)
g() { "$GONGFU" --db "$db" "$@"; }
g import units "$GONGFU_SRC/tests/data/base/units.csv" >/dev/null
g import people "$D/people.csv" >/dev/null
g households import households "$D/households.csv" >/dev/null
g households import members "$D/members.csv" >/dev/null
g households import incomes "$D/incomes.csv" >/dev/null
g user add auditor --role centre >/dev/null # unmasked reads: the centre may, and is recorded

# same - compare a file with the expected text on stdin
same() {
  if ! diff -u - "$1" >"$T/diff"; then fail "unexpected $(basename "$1"):"; cat "$T/diff" >&2; else ok; fi
}

# bad TEXT... -- CMD...: exit 1, stderr names every TEXT, database unchanged
bad() {
  local texts=()
  while [ "$1" != "--" ]; do texts+=("$1"); shift; done
  shift
  local before after
  before=$(dumpsum "$db")
  [ "$PG" = 1 ] || cp "$db" "$T/before.db"
  expect_exit 1 "$@" || true
  expect_in "$T/err" "${texts[@]}"
  after=$(dumpsum "$db")
  if [ "$before" != "$after" ]; then fail "database changed after: $*"; else ok; fi
  # the bytes of the file: SQLite only (on PostgreSQL the dump above is the whole database)
  if [ "$PG" = 0 ]; then
    if ! cmp -s "$db" "$T/before.db"; then fail "database file bytes changed after: $*"; else ok; fi
  fi
}

# ---- flag: H1 (8000) and H2 (9500) are under the 10 000 line in 2025; H3 12000, H4 10000 are not
expect_exit 0 g --format csv households flag --period 2025 --date 2026-01-10 --dry-run
same "$T/out" <<'EOF'
household,unit,period,per_capita,line,state,action
H1,510421001001,2025,8000,10000,found,propose
H2,510421001002,2025,9500,10000,found,propose
EOF
[ "$(sql "$db" 'SELECT count(*) FROM hh_case')" = 0 ] && ok || fail "dry run wrote cases"
expect_exit 0 g --format csv households flag --period 2025 --date 2026-01-10
same "$T/out" <<'EOF'
household,unit,period,per_capita,line,state,action
H1,510421001001,2025,8000,10000,found,opened
H2,510421001002,2025,9500,10000,found,opened
EOF

# ---- bad input: clear message, exit 1, nothing changed
bad 'unknown-unit.csv:3' 'field "unit"' 'value "510499001001"' 'existing unit' -- \
  g households import households "$D/unknown-unit.csv"
bad 'dup-id.csv:2' 'field "id_number"' '510421********0017' 'duplicate' 'household H1 member 1' -- \
  g households import members "$D/dup-id.csv"
if grep -q 510421198001010017 "$T/err"; then fail "unmasked ID number in an error message"; else ok; fi
bad 'household H2' 'cannot log a visit or measure' 'state is found' 'identify it first' -- \
  g households visit H2 --date 2026-02-01 --note hello
bad 'household H3' 'not under monitoring' -- g households visit H3 --date 2026-02-01
bad 'field "household"' 'value "H9"' 'no such household' -- g households visit H9
bad 'identification steps not yet recorded' 'village_review 民主评议' -- \
  g households identify H1 --category edge --steps household_check,data_compare --date 2026-01-20
bad 'field "category"' 'value "rich"' 'one of: unstable, edge, sudden, urban_low, dibao, tekun' -- \
  g households identify H1 --category rich --steps all --date 2026-01-20
bad 'field "unit"' 'value "999"' 'no such unit' -- g households list --unit 999
bad 'field "unit"' 'no such unit' -- g households report --unit 999 --period 2025

# ---- the workflow for H1: identified, paired, assisted
expect_exit 0 g households identify H1 --category edge --steps all --date 2026-01-20
expect_exit 0 g households pair H1 --org 乙村党支部 --cadre C1 --date 2026-01-21
bad 'household H1' 'cannot eliminate the risk' 'record a measure first' -- g households eliminate H1
expect_exit 0 g households visit H1 --measure employment --amount 800 --date 2026-02-01 --note 推荐务工
expect_exit 0 g households visit H1 --date 2026-06-10
[ "$(sql "$db" "SELECT state FROM hh_case WHERE household='H1'")" = assisted ] && ok || fail "H1 not assisted"
bad 'household H1' 'income in 2026 was 9000.00 yuan, under the line 10000' -- g households eliminate H1
# H4 by self-report, identified, left without a cadre
expect_exit 0 g households flag --household H4 --channel self --risk illness --date 2026-03-01
expect_exit 0 g households identify H4 --step household_check --date 2026-03-02
expect_exit 0 g households identify H4 --category sudden --steps all --date 2026-03-05
# the cadre over the maximum
expect_exit 0 g households set max_households_per_cadre 1
bad 'household H4' 'cannot pair with cadre C1 (周帮扶)' 'already carries 1 household, the maximum is 1' -- \
  g households pair H4 --org 丙村党支部 --cadre C1 --date 2026-03-06
bad 'field "cadre"' 'value "C9"' 'no such person' -- g households pair H4 --org 丙村党支部 --cadre C9
expect_exit 2 g households pair H4 --cadre C1
expect_in "$T/err" '--org is required'
expect_exit 2 g households fly
expect_in "$T/err" "unknown subcommand 'fly'"
expect_exit 2 g households list --colour red
expect_in "$T/err" "unknown option '--colour'"

# ---- masking: list, show, export never show the full phone, ID number or name by default
expect_exit 0 g --format csv households list --unit 510421
same "$T/out" <<'EOF'
household,unit,unit_name,head,phone,area,persons,state,category,cadre,cadre_name,organisation,last_visit,income
H1,510421001001,乙村,张*,138****5678,rural,2,assisted,edge,C1,周帮扶,乙村党支部,2026-06-10,9000
H2,510421001002,丙村,李*,139****1111,rural,3,found,,,,,,9500
H4,510421001002,丙村,赵*,,rural,2,identified,sudden,,,,,9600
EOF
expect_exit 0 g --format csv households list --state none
same "$T/out" <<'EOF'
household,unit,unit_name,head,phone,area,persons,state,category,cadre,cadre_name,organisation,last_visit,income
H3,510402001001,甲社区,王*,028****5678,urban,1,none,,,,,,12000
EOF
expect_exit 0 g households export --cadre C1
same "$T/out" <<'EOF'
household,unit,head,phone,state,category,seq,name,relation,id_number,age,health,employment,schooling
H1,510421001001,张*,138****5678,assisted,edge,1,张*,户主,510421********0017,46,健康,务工,
H1,510421001001,张*,138****5678,assisted,edge,2,陈*,配偶,510421********0025,44,慢性病,务农,
EOF
for fmt in table csv json; do
  expect_exit 0 g --format $fmt households show H1
  expect_in "$T/out" '138****5678' '510421********0017' '510421********0025'
  if grep -q -e 13812345678 -e 510421198001010017 "$T/out"; then fail "show --format $fmt leaks"; else ok; fi
  expect_exit 0 g --format $fmt households list
  if grep -q -e 13812345678 -e 13900001111 "$T/out"; then fail "list --format $fmt leaks"; else ok; fi
  expect_exit 0 g --format $fmt households export
  if grep -q -e 13812345678 -e 510421198001010017 -e 510421197002020044 "$T/out"; then fail "export --format $fmt leaks"; else ok; fi
done
[ "$(sql "$db" "SELECT count(*) FROM audit WHERE action='read_unmasked'")" = 0 ] && ok || fail "masked reads audited as unmasked"

# ---- unmasked reads show the data and are recorded (who, when, what)
expect_exit 0 g --user auditor households export --unit 510421001001 --unmasked
expect_in "$T/out" '510421198001010017' '13812345678'
expect_exit 0 g --user auditor households show H2 --unmasked
expect_in "$T/out" '510421197002020044' '13900001111'
sql "$db" "SELECT at, actor, action, key, after FROM audit WHERE action='read_unmasked' ORDER BY id" >"$T/audit"
same "$T/audit" <<'EOF'
2026-06-30T12:00:00Z|auditor|read_unmasked|unit=510421001001;category=*;state=*;cadre=*|{"command":"households export","filter":"unit=510421001001;category=*;state=*;cadre=*","fields":"head_name,name,id_number,phone","rows":"2"}
2026-06-30T12:00:00Z|auditor|read_unmasked|household=H2|{"command":"households show","filter":"household=H2","fields":"head_name,name,id_number,phone","rows":"1"}
EOF

# ---- every change audited in the same transaction
[ "$(sql "$db" "SELECT count(*) FROM audit WHERE key LIKE 'H1%' AND action LIKE 'hh_%'")" = 12 ] && ok ||
  fail "H1 audit rows: $(sql "$db" "SELECT action FROM audit WHERE key LIKE 'H1%'")"

# ---- alerts as of 2026-06-30: H4 identified 2026-03-05 without a cadre and never visited
# (117 days); H1 visited 20 days ago, its latest income (2026) is under the line but it has
# been assisted only since 2026-02-01 (4 months < 6)
expect_exit 0 g --format csv --lang en households alerts
same "$T/out" <<'EOF'
rule,rule_name,household,unit,head,state,cadre,cadre_name,detail
no_cadre,identified without cadre,H4,510421001002,赵*,identified,,,"identified on 2026-03-05, no cadre"
no_visit,no recent visit,H4,510421001002,赵*,identified,,,never visited since 2026-03-05 (117 days)
EOF
expect_exit 0 g --format csv --lang en households alerts --months 4 --rule still_under
same "$T/out" <<'EOF'
rule,rule_name,household,unit,head,state,cadre,cadre_name,detail
still_under,still under the line after assistance,H1,510421001001,张*,assisted,C1,周帮扶,"assisted since 2026-02-01 (4 months), income 9000 < line 10000 in 2026"
EOF
expect_exit 0 g households alerts
expect_in "$T/out" '已识别未结对' '超期未走访' '赵*'
expect_exit 0 g --format csv households alerts --cadre C1
[ "$(wc -l <"$T/out")" = 1 ] && ok || fail "alerts --cadre C1 should be empty"

# ---- coverage 2026 (as of 2026-06-30): flagged H1 H2 H4 = 3 households, 2+3+2 = 7 persons;
# monitored H1 H4 = 2 households, 4 persons; paired H1 → 50%; visited in 30 and 90 days: H1 → 50%;
# income of the monitored group (9000·2 + 9600·2)/4 = 9300
expect_exit 0 g --format csv households report --unit 510400 --period 2026
same "$T/out" <<'EOF'
unit,name,flagged,flagged_persons,identified,identified_persons,paired,paired_pct,visited30_pct,visited90_pct,eliminated,returned,income_monitored,income_unit,ratio
510400,攀枝花市,3,7,2,4,1,50,50,50,0,0,9300,,
510402,东区,0,0,0,0,0,,,,0,0,,,
510421,米易县,3,7,2,4,1,50,50,50,0,0,9300,,
EOF
expect_exit 0 g households report --unit 510400 --period 2026
expect_in "$T/out" '结对率%' '攀枝花市' '米易县'
expect_exit 0 g --lang en households report --unit 510400 --period 2026
expect_in "$T/out" 'paired %' 'visited 30d %'
grep -q 'No household incomes' "$T/out" && fail "2026 has incomes: no hint expected" || ok
# a year without any income: the table says why its income columns are empty
expect_exit 0 g households report --unit 510400 --period 2027
expect_in "$T/out" '2027 年尚无住户收入记录' '--period 2026'

# ---- configurable lines and lists
expect_exit 0 g --format csv households flag --period 2026 --dry-run
same "$T/out" <<'EOF'
household,unit,period,per_capita,line,state,action
H1,510421001001,2026,9000,10000,assisted,already_monitored
H4,510421001002,2026,9600,10000,identified,already_monitored
EOF
# a county line of 9500 from 2026 for rural households of 米易县 (nearer than Panzhihua's)
expect_exit 0 g households lines 510421 rural 2026 9500 --name 测试线
expect_exit 0 g --format csv households flag --period 2026 --dry-run
same "$T/out" <<'EOF'
household,unit,period,per_capita,line,state,action
H1,510421001001,2026,9000,9500,assisted,already_monitored
EOF
bad 'field "region"' 'value "XX"' 'CN or the code of an existing unit' -- g households lines XX rural 2024 1
# a value outside a fixed list is a usage error (exit 2) naming the field and the choices
expect_exit 2 g households lines CN suburb 2024 1
expect_in "$T/err" 'field "area"' 'value "suburb"' 'one of urban, rural, all'
expect_exit 2 g households lists colours red 红
expect_in "$T/err" 'field "list"' 'value "colours"' 'one of categories, channels'
# the county decision made optional: H2 is identified without it
expect_exit 0 g households lists steps county_decision 县级审定 --required 0
expect_exit 0 g --format csv households lists steps
same "$T/out" <<'EOF'
list,code,name,name_en,position,required
steps,household_check,入户核查,household check,1,1
steps,data_compare,信息比对,comparison with department data,2,1
steps,village_review,民主评议,village discussion,3,1
steps,public_notice,村级公示,village public notice,4,1
steps,township_review,镇审核,township review,5,1
steps,county_decision,县级审定,county decision,6,0
EOF
expect_exit 0 g households identify H2 --category unstable --date 2026-06-01 \
  --steps household_check,data_compare,village_review,public_notice,township_review
expect_exit 0 g households lists categories migrant 外出务工困难户 --en 'migrant worker household'
expect_exit 0 g --format csv households list --category migrant
[ "$(wc -l <"$T/out")" = 1 ] && ok || fail "no household should be in category migrant"

# ---- JSON Lines import and flag --file (imported in the same transaction as the flagging)
printf '%s\n' '{"code":"H5","unit":"510402001001","head_name":"钱五","phone":"13700002222"}' >"$T/h5.jsonl"
expect_exit 0 g households import households "$T/h5.jsonl"
printf 'household,period,per_capita\nH5,2026,7000\nH5,2025,lots\n' >"$T/inc-bad.csv"
bad 'inc-bad.csv:3' 'field "per_capita"' 'value "lots"' 'a number' -- \
  g households flag --period 2026 --file "$T/inc-bad.csv" --date 2026-06-20
printf 'household,period,per_capita\nH5,2026,7000\n' >"$T/inc.csv"
expect_exit 0 g --format csv households flag --period 2026 --unit 510402 --file "$T/inc.csv" --date 2026-06-20
same "$T/out" <<'EOF'
household,unit,period,per_capita,line,state,action
H5,510402001001,2026,7000,10000,found,opened
EOF
expect_exit 0 g --format json households list --state found --unit 510402
expect_in "$T/out" '"household": "H5"' '"phone": "137****2222"'

# ---- flag from the distribution engine's survey microdata, matched by household code:
# H3 (urban, line 10000) 8000 → opened; H1 9000 < the county's 9500 → already monitored;
# X9 under the line but not in the registry → counted; X8 above the line
printf '%s\n' unit,household,size,income 510421001001,H1,2,9000 510402001001,H3,1,8000 \
  510421001002,X9,3,5000 510421001002,X8,3,50000 >"$T/micro.csv"
expect_exit 0 g import households "$T/micro.csv" --period 2027
expect_exit 0 g --format csv households flag --microdata --period 2027 --date 2026-06-25
same "$T/out" <<'EOF'
household,unit,period,per_capita,line,state,action
H3,510402001001,2027,8000,10000,found,opened
H1,510421001001,2027,9000,9500,assisted,already_monitored
EOF
expect_in "$T/err" '另有 1 户微观数据低于监测线但不在登记册中'
expect_exit 2 g households flag --microdata --period 2027 --file "$T/micro.csv"

# ---- a personal maximum for a cadre overrides the setting (1): C1 may now carry H1 and H4;
# lowering it again leaves C1 over the maximum, which the alerts show
expect_exit 0 g households set max_households_per_cadre 2 --cadre C1
expect_exit 0 g households pair H4 --org 丙村党支部 --cadre C1 --date 2026-06-26
expect_exit 0 g households set max_households_per_cadre 1 --cadre C1
expect_exit 0 g --format csv --lang en households alerts --rule cadre_over
same "$T/out" <<'EOF'
rule,rule_name,household,unit,head,state,cadre,cadre_name,detail
cadre_over,cadre over maximum,,,,,C1,周帮扶,"carries 2 households, maximum 1"
EOF
bad 'field "cadre"' 'value "C9"' 'no such person' -- g households set max_households_per_cadre 3 --cadre C9
bad 'field "max_households_per_cadre"' 'value "-1"' 'a positive whole number' -- \
  g households set max_households_per_cadre -1 --cadre C1
expect_exit 2 g households set visit_days 10 --cadre C1

# ---- help for every subcommand, Chinese by default, English with --lang en
for s in import list show export flag identify pair visit eliminate alerts report set lists lines demo; do
  expect_exit 0 g households $s --help
  expect_in "$T/out" '用法: gongfu households'
  expect_exit 0 g --lang en households $s --help
  expect_in "$T/out" 'usage: gongfu households'
done
finish
