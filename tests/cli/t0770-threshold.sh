#!/usr/bin/env bash
# Threshold indicators (村集体经济收入 ≥ 50 000 元的村): a condition tested at the lowest units,
# counted above them — the number (count) or the share in % (share) of the villages under each
# unit that meet it, only when every village under it has been tested; `values threshold` says how
# many and which villages are still under; bad definitions are refused naming the field.
. "$(dirname "$0")/lib.sh"
db=$(newdb t)
G() { "$GONGFU" --db "$db" "$@"; }
q() { sql "$db" "$1"; }
cat >units.csv <<'CSV'
code,name,parent,level,area,population
C,市,,city,urban,100
K,县,C,county,rural,100
T1,甲镇,K,township,rural,50
T2,乙镇,K,township,rural,50
V1,一村,T1,village,rural,10
V2,二村,T1,village,rural,10
V3,三村,T2,village,rural,10
V4,四村,T2,village,rural,10
CSV
cat >fw.csv <<'CSV'
framework,framework_name,code,parent,kind,name,weight,unit_of_measure,direction,agg_units,formula,threshold,target_2025
vg,治村指数,idx,,index,治村,1,,,,,,
vg,,d1,idx,dimension,集体经济,1,,,,,,
vg,,coll_income,d1,indicator,村集体经济收入,1,元,+,sum,,,
vg,,coll_50k,d1,indicator,集体经济收入5万元以上的村,1,个,+,none,coll_income >= 50000,count,
vg,,coll_50k_share,d1,indicator,集体经济收入5万元以上村占比,1,%,+,none,coll_income>=50000,share,100
CSV
expect_exit 0 G import units units.csv
expect_exit 0 G import framework fw.csv
cat >v.csv <<'CSV'
unit,indicator,period,value
V1,coll_income,2025,60000
V2,coll_income,2025,40000
V3,coll_income,2025,50000
CSV
expect_exit 0 G import values v.csv
expect_exit 0 G values rollup --period 2025
# the value as a number (REAL prints 1.0 on SQLite, 1 on PostgreSQL); nothing when there is none
val() { q "SELECT value FROM value WHERE unit='$1' AND indicator='$2' AND period='2025'" | awk '{ printf "%.17g\n", $1 }'; }
# villages: 1 or 0; 甲镇: one of two; 乙镇 and above: 四村 untested, so no count yet
[ "$(val V1 coll_50k)" = 1 ] && [ "$(val V2 coll_50k)" = 0 ] && [ "$(val V3 coll_50k)" = 1 ] && ok || fail "village tests: $(val V1 coll_50k) $(val V2 coll_50k) $(val V3 coll_50k)"
[ "$(val T1 coll_50k)" = 1 ] && ok || fail "T1 count $(val T1 coll_50k)"
[ "$(val T1 coll_50k_share)" = 50 ] && ok || fail "T1 share $(val T1 coll_50k_share)"
[ -z "$(val T2 coll_50k)" ] && [ -z "$(val K coll_50k)" ] && ok || fail "a partial count shown: T2 $(val T2 coll_50k), K $(val K coll_50k)"
expect_exit 0 G values threshold --indicator coll_50k --period 2025 --unit K --format json
expect_in "$T/out" '"units": 4' '"met": 2' '"not_met": 1' '"untested": 1' '"unit": "V2"' '"value": 40000' '"unit": "V4"'
# the fourth village reports: every count appears
printf 'unit,indicator,period,value\nV4,coll_income,2025,80000\n' >v4.csv
expect_exit 0 G import values v4.csv
expect_exit 0 G values rollup --period 2025
[ "$(val T2 coll_50k)" = 2 ] && [ "$(val K coll_50k)" = 3 ] && [ "$(val C coll_50k)" = 3 ] && ok || fail "counts T2 $(val T2 coll_50k) K $(val K coll_50k) C $(val C coll_50k)"
[ "$(val K coll_50k_share)" = 75 ] && ok || fail "K share $(val K coll_50k_share)"
expect_exit 0 G values threshold --indicator coll_50k --period 2025 --format json
expect_in "$T/out" '"unit": "C"' '"met": 3' '"not_met": 1' '"untested": 0' '"share": 75'
G values threshold --indicator coll_50k --period 2025 >human.txt
expect_in human.txt "4 个基层单位中 3 个达到" "二村" "甲镇"
# not a threshold indicator / bad definitions: refused, naming the field, nothing imported
expect_exit 1 G values threshold --indicator coll_income --period 2025
expect_in "$T/err" "a threshold indicator"
before=$(dumpsum "$db")
bad() { # bad FORMULA THRESHOLD AGG EXPECTED
  printf 'framework,framework_name,code,parent,kind,name,direction,agg_units,formula,threshold\nvg,治村指数,idx,,index,治村,,,,\nvg,,x,idx,indicator,x,+,%s,%s,%s\n' "$3" "$1" "$2" >bad.csv
  expect_exit 1 G import framework bad.csv
  expect_in "$T/err" "$4"
}
bad "" count none "the condition a threshold indicator counts"
bad "coll_income + 1" count none "a condition for a threshold indicator"
bad "coll_income >= 1 >= 2" share none "one comparison only"
bad "coll_income >= 50000" count sum "none for a threshold indicator"
bad "coll_income >= 50000" tally none "threshold"
[ "$before" = "$(dumpsum "$db")" ] && ok || fail "a refused framework changed the database"
finish
