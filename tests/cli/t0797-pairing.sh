#!/usr/bin/env bash
# Pairings of organisations (issue 16): departments and enterprises with villages, partner
# counties; money due by now (pro-rata), delivered, alerts (no activity for N days, money behind
# plan) and coverage — every figure below worked out by hand from the fixture (today 2026-06-30);
# bad input refused naming line, field and value, the database unchanged.
. "$(dirname "$0")/lib.sh"
B=$GONGFU_SRC/tests/data/base
db=$(newdb p)
G() { "$GONGFU" --db "$db" "$@"; }
G import units "$B/units.csv" >/dev/null
printf 'code,name,kind\nT1,专班,work\n' >teams.csv
printf 'code,name,team,unit\nD1,发改委,T1,510400\nD2,农业农村局,T1,510400\n' >deps.csv
printf 'code,name,unit,sector,size\nE1,钒钛科技,510421,制造业,small\n' >ents.csv
G import teams teams.csv >/dev/null
G import departments deps.csv >/dev/null
G import enterprises ents.csv >/dev/null
# PD1: 2025-07-01..2027-06-30 is 729 days, 364 gone by: due 729000 × 364/729 = 364000;
#      delivered 300000 < 90 % of 364000 = 327600 → behind; last visit 2026-05-01, 60 days ago
# PD2: no end, nothing pledged; last visit 2026-01-15, 166 days ago > 90 → idle
# PE1: 2026-01-01..2026-12-31 is 364 days, 180 gone by: due 180000, delivered 200000; 29 days
# PC1: starts tomorrow: not started, no alert, no idle days
# PD3: ended 2025-12-31, pledged 100000 all delivered: no alert
cat >pairings.csv <<'EOF2'
code,kind,helper,helper_name,unit,start,end,pledged,measures
PD1,department,D1,,510421001001,2025-07-01,2027-06-30,729000,产业帮扶
PD2,department,D2,,510421001002,2024-01-01,,,
PE1,enterprise,E1,,510402001001,2026-01-01,2026-12-31,364000,村企共建
PC1,county,ZJ01,浙江省协作县(测试),510421,2026-07-01,2028-06-30,5000000,山海协作
PD3,department,D1,,510402001001,2023-01-01,2025-12-31,100000,
EOF2
cat >acts.csv <<'EOF2'
pairing,date,kind,amount,note
PD1,2025-12-01,funds,300000,首批资金
PD1,2026-05-01,visit,,
PD2,2026-01-15,visit,,
PE1,2026-06-01,funds,200000,
PE1,2026-06-01,visit,,
PD3,2025-06-30,funds,100000,
EOF2
expect_exit 0 G import pairings pairings.csv
expect_exit 0 G import pairing_activities acts.csv

# one row: code,kind,helper_name,unit,pledged,plan,delivered,activities,last,idle,state,alert
row() { G --format csv pairing list | awk -F, -v c="$1" '$1 == c {print $1","$2","$4","$5","$9","$10","$11","$12","$13","$14","$15","$16}'; }
check_row() {
  local got; got=$(row "$1")
  [ "$got" = "$2" ] && ok || fail "pairing $1: got '$got', expected '$2'"
}
check_row PD1 "PD1,department,发改委,510421001001,729000,364000,300000,2,2026-05-01,60,active,behind"
check_row PD2 "PD2,department,农业农村局,510421001002,0,,0,1,2026-01-15,166,active,idle"
check_row PE1 "PE1,enterprise,钒钛科技,510402001001,364000,180000,200000,2,2026-06-01,29,active,"
check_row PC1 "PC1,county,浙江省协作县(测试),510421,5000000,0,0,0,,,planned,"
check_row PD3 "PD3,department,发改委,510402001001,100000,100000,100000,1,2025-06-30,365,ended,"
expect_exit 0 G pairing list
expect_in "$T/out" "结对 5 个(进行中 3 个), 承诺资金 6193000 元, 已到位 600000 元; 预警 2 个" "资金滞后" "长期无活动" "未开始"

# alerts: PD1 and PD2; with 200 days PD2 is not idle any more
expect_exit 0 G --format csv pairing alerts
[ "$(tail -n +2 "$T/out" | cut -d, -f1 | tr '\n' ' ')" = "PD1 PD2 " ] && ok || fail "alerts: $(cat "$T/out")"
expect_exit 0 G --format csv pairing alerts --days 200
[ "$(tail -n +2 "$T/out" | cut -d, -f1 | tr '\n' ' ')" = "PD1 " ] && ok || fail "alerts --days 200: $(cat "$T/out")"
expect_exit 0 G --lang en pairing alerts
expect_in "$T/out" "2 alerts: active with no activity for 90 days, or money delivered under 90% of what is due by now"

# coverage of villages by departments: 乙村 (PD1) and 丙村 (PD2); 甲社区's PD3 has ended
expect_exit 0 G pairing coverage
expect_in "$T/out" "第 4 级 3 个单位中 2 个有进行中的部门结对村, 覆盖率 66.7%"
expect_exit 0 G --format json pairing coverage
[ "$(jq -c '[.by_unit[] | [.unit, .units, .paired, .share]]' "$T/out")" = '[["510402",1,0,0],["510421",2,2,100]]' ] && ok ||
  fail "coverage by county: $(jq -c .by_unit "$T/out")"
[ "$(jq -c '[.unpaired[].unit]' "$T/out")" = '["510402001001"]' ] && ok || fail "unpaired: $(jq -c .unpaired "$T/out")"
expect_exit 0 G --lang en pairing coverage --kind enterprise
expect_in "$T/out" "level 4: 3 units, 1 with an active pairing (enterprise with a village), coverage 33.3%"
expect_exit 0 G pairing coverage --unit 510421
expect_in "$T/out" "第 4 级 2 个单位中 2 个有进行中的部门结对村, 覆盖率 100.0%"
expect_exit 0 G pairing coverage --kind county --level 2
expect_in "$T/out" "第 2 级 2 个单位中 0 个有进行中的山海协作/对口支援" # PC1 has not started

# one pairing
expect_exit 0 G pairing show PD1
expect_in "$T/out" "首批资金" "走访调研" "资金到位"
expect_exit 1 G pairing show NOPE
expect_in "$T/err" "no pairing NOPE"
# scope: a reporter of 甲社区 sees its pairings, not 乙村's
G user add R1 --role reporter --scope 510402001001 >/dev/null
expect_exit 0 G --user R1 --format csv pairing list
[ "$(tail -n +2 "$T/out" | cut -d, -f1 | sort | tr '\n' ' ')" = "PD3 PE1 " ] && ok || fail "reporter's pairings: $(cat "$T/out")"
expect_exit 1 G --user R1 pairing show PD1

# bad input: named, nothing changed
before=$(dumpsum "$db")
bad() { # bad KIND TEXT EXPECTED...
  local k=$1 text=$2; shift 2
  printf '%s' "$text" >"$T/bad.csv"
  expect_exit 1 G --lang en import "$k" "$T/bad.csv" && expect_in "$T/err" "$@"
}
bad pairings $'code,kind,helper,unit,start\nPX,department,D9,510421,2025-01-01\n' 'bad.csv:2: field "helper": value "D9": expected the code of a registered department'
bad pairings $'code,kind,helper,unit,start\nPX,enterprise,E9,510421,2025-01-01\n' 'field "helper": value "E9": expected the code of a registered enterprise'
bad pairings $'code,kind,helper,unit,start\nPX,county,ZJ9,510421,2025-01-01\n' 'field "helper_name"' "the partner's name"
bad pairings $'code,kind,helper,unit,start\nPX,twin,D1,510421,2025-01-01\n' 'field "kind": value "twin": expected one of: department, enterprise, county, other'
bad pairings $'code,kind,helper,unit,start\nPX,department,D1,999999,2025-01-01\n' 'field "unit": value "999999"'
bad pairings $'code,kind,helper,unit,start,end\nPX,department,D1,510421,2025-01-01,2024-12-31\n' 'field "end": value "2024-12-31": expected a date not before the start 2025-01-01'
bad pairings $'code,kind,helper,unit,start,pledged\nPX,department,D1,510421,2025-01-01,-5\n' 'field "pledged": value "-5"'
bad pairings $'code,kind,helper,unit,start\nPX,department,D1,510421,2025-02-30\n' 'field "start": value "2025-02-30"'
bad pairing_activities $'pairing,date,kind\nPD1,2025-06-30,visit\n' "field \"date\": value \"2025-06-30\": expected a date not before the pairing's start 2025-07-01"
bad pairing_activities $'pairing,date,kind\nPD1,2026-07-01,visit\n' 'field "date": value "2026-07-01": expected a date not after today'
bad pairing_activities $'pairing,date,kind\nPX9,2026-01-01,visit\n' 'field "pairing": value "PX9"'
bad pairing_activities $'pairing,date,kind,amount\nPD1,2026-01-01,funds,-1\n' 'field "amount": value "-1"'
bad pairing_activities $'pairing,date,kind\nPD1,2026-01-01,party\n' 'field "kind": value "party"'
# a good row before a bad one: all or nothing
bad pairing_activities $'pairing,date,kind\nPD1,2026-02-01,visit\nPD1,2026-02-02,party\n' 'bad.csv:3:'
[ "$(dumpsum "$db")" = "$before" ] && ok || fail "a refused import changed the database"
# only the configuration permission imports
G user add L1 --role leader --scope 510421 >/dev/null
before=$(dumpsum "$db")
expect_exit 1 G --user L1 import pairing_activities acts.csv
expect_in "$T/err" "L1 (role leader) may not"
[ "$(dumpsum "$db")" = "$before" ] && ok || fail "a leader's import changed the database"
expect_exit 2 G pairing
expect_in "$T/err" "which subcommand?"
finish
