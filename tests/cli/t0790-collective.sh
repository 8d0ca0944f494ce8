#!/usr/bin/env bash
# The village collective economy: ledgers by source, village enterprises and enclave investments
# (飞地抱团) imported with the usual rules, the indicators computed from them by hand-checked
# sums (operating income, total, growth, dividends, enclave shares by stake), rolled up, tested by
# a threshold indicator; a value a person reported wins; bad input and out-of-scope rows refused
# with nothing changed; the demo's ledgers give back its village incomes.
. "$(dirname "$0")/lib.sh"
db=$(newdb c)
G() { "$GONGFU" --db "$db" "$@"; }
q() { sql "$db" "$1"; }
val() { q "SELECT value FROM value WHERE unit='$1' AND indicator='$2' AND period='${3:-2025}'"; }
near() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; exit !(a != "" && d < 1e-9 && d > -1e-9) }'; }
cat >units.csv <<'CSV'
code,name,parent,level,area,population
C,市,,city,rural,100
K,县,C,county,rural,100
T1,甲镇,K,township,rural,60
T2,乙镇,K,township,rural,40
V1,一村,T1,village,rural,30
V2,二村,T1,village,rural,30
V3,三村,T2,village,rural,40
CSV
cat >fw.csv <<'CSV'
framework,framework_name,code,parent,kind,name,weight,unit_of_measure,direction,agg_units,formula,threshold
vg,治村指数,idx,,index,治村,1,,,,,
vg,,d1,idx,dimension,集体经济,1,,,,,
vg,,collective_income_village,d1,indicator,村级集体经济收入,1,万元,+,mean,,
vg,,coll_5w,d1,indicator,集体经济收入5万元以上的村,0,个,+,none,collective_income_village >= 5,count
CSV
expect_exit 0 G import units units.csv
expect_exit 0 G import framework fw.csv
cat >income.csv <<'CSV'
unit,year,source,amount,note
V1,2024,operating,30000,
V1,2024,contracting,10000,
V1,2025,operating,36000,
V1,2025,contracting,10000,
V1,2025,subsidy,20000,上级补助
V2,2025,operating,20000,
V2,2025,other,5000,
CSV
printf 'code,name,unit,kind,founded\nE1,一村强村公司,V1,qiangcun,2022\n' >ent.csv
printf 'enterprise,year,revenue,profit,dividends,to_collective\nE1,2025,200000,50000,12000,8000\n' >res.csv
cat >encl.csv <<'CSV'
code,name,location,started,unit,invested
F1,县飞地抱团厂房,开发区,2023,V1,300000
F1,县飞地抱团厂房,开发区,2023,V3,100000
CSV
printf 'enclave,year,amount\nF1,2025,40000\n' >ret.csv
for k in "collective_income income" "village_enterprises ent" "village_enterprise_results res" \
         "enclaves encl" "enclave_returns ret"; do
  set -- $k
  expect_exit 0 G import "$1" "$2.csv"
done
# V1 2025: operating income = 36000 + 10000 + 8000 (enterprise) + 30000 (3/4 of the enclave's 40000)
near "$(val V1 collective_income_village)" 8.4 && ok || fail "V1 operating $(val V1 collective_income_village)"
near "$(val V1 collective_total_income)" 10.4 && ok || fail "V1 total $(val V1 collective_total_income)"
near "$(val V1 collective_income_growth)" 110 && ok || fail "V1 growth $(val V1 collective_income_growth) (84000 over 40000)"
near "$(val V1 collective_dividends)" 1.2 && ok || fail "V1 dividends $(val V1 collective_dividends)"
near "$(val V1 collective_enclave_returns)" 3 && ok || fail "V1 enclave $(val V1 collective_enclave_returns)"
near "$(val V1 collective_income_village 2024)" 4 && ok || fail "V1 2024 $(val V1 collective_income_village 2024)"
near "$(val V2 collective_income_village)" 2 && near "$(val V2 collective_total_income)" 2.5 && ok || fail "V2 $(val V2 collective_income_village) $(val V2 collective_total_income)"
[ -z "$(val V2 collective_income_growth)" ] && [ -z "$(val V2 collective_dividends)" ] && ok || fail "V2 has no 2024 ledger and no enterprise"
near "$(val V3 collective_income_village)" 1 && near "$(val V3 collective_enclave_returns)" 1 && ok || fail "V3 (its quarter of the enclave) $(val V3 collective_income_village)"
[ "$(q "SELECT DISTINCT origin FROM value WHERE unit LIKE 'V%' AND indicator LIKE 'collective%'")" = computed ] && ok || fail "village values not computed"
# rolled up by the framework's rule (mean of the villages) and tested by the threshold
near "$(val T1 collective_income_village)" 5.2 && ok || fail "T1 mean $(val T1 collective_income_village)"
[ "$(val K coll_5w | awk '{ printf "%.17g\n", $1 }')" = 1 ] && ok || fail "K count of villages over 5 万: $(val K coll_5w)"
expect_exit 0 G values threshold --indicator coll_5w --period 2025 --format json
expect_in "$T/out" '"met": 1' '"not_met": 2' '"unit": "V2"' '"unit": "V3"'
# the reads
expect_exit 0 G collective list --year 2025 --format json
expect_in "$T/out" '"unit": "V1"' '"enterprise": 8000' '"enclave": 30000' '"operating_income": 8.4'
expect_exit 0 G collective list --year 2025
expect_in "$T/out" "3 个村(社区)中 3 个有经营性收入" "一村"
expect_exit 0 G collective show V1 --format json
expect_in "$T/out" '"years"' '"year": 2024' '"growth": 110' '"enterprises"' '"dividends": 12000' '"share": 75'
expect_exit 0 G collective enclaves --year 2025 --format json
expect_in "$T/out" '"villages": 2' '"invested": 400000' '"rate": 10'
expect_exit 0 G collective enterprises --format csv
expect_in "$T/out" "E1,一村强村公司,qiangcun,V1"
# the same files again change nothing
n=$(q "SELECT count(*) FROM audit")
for k in "collective_income income" "enclaves encl"; do set -- $k; expect_exit 0 G import "$1" "$2.csv"; done
[ "$(q "SELECT count(*) FROM audit")" = "$n" ] && ok || fail "re-importing the same ledgers wrote audit records"
# a value a person reported wins over the ledger
printf 'unit,indicator,period,value\nV2,collective_income_village,2025,3\n' >rep.csv
expect_exit 0 G import values rep.csv
printf 'unit,year,source,amount\nV2,2025,operating,26000\n' >more.csv
expect_exit 0 G import collective_income more.csv
near "$(val V2 collective_income_village)" 3 && near "$(val V2 collective_total_income)" 3.1 && ok || fail "reported V2 value overwritten: $(val V2 collective_income_village) / total $(val V2 collective_total_income)"
# bad input: refused naming file, line, field and value; nothing changed
before=$(dumpsum "$db")
bad() { # bad KIND CSV-TEXT EXPECTED...
  local kind=$1 text=$2; shift 2
  printf '%b' "$text" >bad.csv
  expect_exit 1 G import "$kind" bad.csv
  expect_in "$T/err" "$@"
}
bad collective_income 'unit,year,source,amount\nV1,2025,rent,5\n' 'bad.csv:2' 'source' 'rent'
bad collective_income 'unit,year,source,amount\nV1,2025,operating,-5\n' 'amount' '-5' '0 or more'
bad collective_income 'unit,year,source,amount\nV1,2027,operating,5\n' 'year' '2027' 'a year from 2000 to 2026'
bad collective_income 'unit,year,source,amount\nT1,2025,operating,5\n' 'unit' 'T1' 'a village'
bad collective_income 'unit,year,source,amount\nZZ,2025,operating,5\n' 'unit' 'ZZ'
bad collective_income 'unit,year,source,amount\nV1,2025,operating,5\nV2,2025,other,1\nV1,2025,operating,6\n' 'bad.csv:4' 'line 2'
bad collective_income 'unit,year,source,amount\nV1,2025,operating,1e999\n' 'amount'
bad village_enterprises 'code,name,unit,kind\nE2,二村公司,V2,bank\n' 'kind' 'bank'
bad village_enterprise_results 'enterprise,year,revenue,profit\nE9,2025,1,1\n' 'enterprise' 'E9'
bad village_enterprise_results 'enterprise,year,revenue,profit,dividends\nE1,2025,1,1,-3\n' 'dividends' '-3'
bad enclaves 'code,name,unit,invested\nF2,甲,V1,100\nF2,乙,V2,100\n' 'bad.csv:3' 'line 2'
bad enclaves 'code,name,unit,invested\nF3,甲,V1,0\n' 'invested' 'more than 0'
bad enclave_returns 'enclave,year,amount\nF9,2025,1\n' 'enclave' 'F9'
# a good row before a bad one is not kept either
bad collective_income 'unit,year,source,amount\nV2,2025,subsidy,999\nV2,2025,bogus,1\n' 'bad.csv:3' 'bogus'
[ "$before" = "$(dumpsum "$db")" ] && ok || fail "a refused import changed the database"
# a reporter of 乙镇 imports its village's ledger, not another township's
G user add R2 --role reporter --scope T2 >/dev/null
before=$(dumpsum "$db")
printf 'unit,year,source,amount\nV3,2025,operating,1000\nV1,2025,operating,1\n' >scope.csv
expect_exit 1 G --user R2 import collective_income scope.csv
expect_in "$T/err" "V1" "outside the scope"
expect_exit 1 G --user R2 import enclaves encl.csv
[ "$before" = "$(dumpsum "$db")" ] && ok || fail "a refused import changed the database"
printf 'unit,year,source,amount\nV3,2025,operating,1000\n' >own.csv
expect_exit 0 G --user R2 import collective_income own.csv
near "$(val V3 collective_income_village)" 1.1 && ok || fail "V3 after its own ledger $(val V3 collective_income_village)"
expect_exit 0 G --user R2 collective list --format csv
[ "$(tail -n +2 "$T/out" | cut -d, -f1)" = V3 ] && ok || fail "R2 sees: $(cat "$T/out")"
expect_exit 1 G --user R2 collective show V1
# the demo: ledgers for every village; they give back the yearly operating income of each
d=$(demodb demo)
[ "$(sql "$d" "SELECT count(DISTINCT unit) FROM collective_income WHERE year = 2025")" = 234 ] && ok || fail "demo ledgers"
[ "$(sql "$d" "SELECT count(*) FROM collective_income WHERE note NOT LIKE '%synthetic%'")" = 0 ] && ok || fail "demo ledger rows not labelled synthetic"
"$GONGFU" --db "$d" collective list --year 2025 --format csv >demo.csv
awk -F, 'NR > 1 { s = 0; for (i = 4; i <= 8; i++) s += $i; d = s / 1e4 - $11; if (d > 1e-6 || d < -1e-6) bad++ } END { exit bad > 0 }' demo.csv && ok || fail "a demo village's sources do not add up to its operating income"
finish
