#!/usr/bin/env bash
# A target applies at the unit level it is set for (framework target_level, default the zone),
# and at other levels only when the framework says so (target_scale same).  Elsewhere the
# attainment is empty with the reason — never a village at 100 % against a city-wide count.
. "$(dirname "$0")/lib.sh"
db=$(newdb g)
G() { "$GONGFU" --db "$db" "$@"; }
cat > units.csv <<'CSV'
code,name,parent,level,area,population
C,市,,city,urban,1000
K1,一县,C,county,rural,500
K2,二县,C,county,rural,500
T1,一镇,K1,township,rural,500
T2,二镇,K2,township,rural,500
V1,甲村,T1,village,rural,200
V2,乙村,T1,village,rural,300
V3,丙村,T2,village,rural,250
V4,丁村,T2,village,rural,250
CSV
# lowinc: low-income households, a count whose 2025 target (150) is set for the whole city;
# rate: a share, the same target at every level; coll: collective income, a target per village
cat > fw.csv <<'CSV'
framework,framework_name,code,parent,kind,name,weight,unit_of_measure,direction,agg_units,target_2025,target_level,target_scale
t,测试,idx,,index,指数,1,,,,,,
t,,d1,idx,dimension,维度,1,,,,,,
t,,lowinc,d1,indicator,低收入户数,1,户,-,sum,150,city,
t,,rate,d1,indicator,结对率,1,%,+,popmean,100,,same
t,,coll,d1,indicator,集体经济收入,1,万元,+,mean,25,village,none
CSV
{ echo "unit,indicator,period,value"
  for y in 2022 2023 2024; do
    echo "V1,lowinc,$y,3"; echo "V2,lowinc,$y,5"; echo "V3,lowinc,$y,0"; echo "V4,lowinc,$y,2"
    echo "V1,rate,$y,90"; echo "V2,rate,$y,100"; echo "V3,rate,$y,80"; echo "V4,rate,$y,95"
    echo "V1,coll,$y,20"; echo "V2,coll,$y,30"; echo "V3,coll,$y,25"; echo "V4,coll,$y,10"
  done; } > values.csv
G init >/dev/null
for k in units framework values; do
  f=$k.csv; [ $k = framework ] && f=fw.csv
  expect_exit 0 G import $k $f
done
expect_exit 0 G values rollup

# villages, default pipeline (attainment): lowinc has no target at this level, so it is left
# out of the score with the reason; coll and rate are attained as usual
expect_exit 0 G --lang en --format csv eval --level village --period 2024 --show attainment
cp "$T/out" va.csv
grep -q '^village,,lowinc,,,,,"target set for level 1, not for level 4 (no target_scale rule)"$' va.csv \
  && ok || fail "lowinc at the village level: $(grep lowinc va.csv)"
[ "$(grep -c ',lowinc,.*,100,' va.csv || true)" -eq 0 ] && ok || fail "a village shows 100 % against the city's count"
grep -q '^village,V1,coll,20,25,80,' va.csv && ok || fail "V1 coll: $(grep '^village,V1,coll' va.csv)"
grep -q '^village,V4,coll,10,25,40,' va.csv && ok || fail "V4 coll: $(grep '^village,V4,coll' va.csv)"
grep -q '^village,V3,rate,80,100,80,' va.csv && ok || fail "V3 rate: $(grep '^village,V3,rate' va.csv)"
# … and the ranking says so
expect_exit 0 G --lang en eval --level village --period 2024
expect_in "$T/out" "(indicator lowinc left out: target set for level 1, not for level 4 (no target_scale rule))"
expect_exit 0 G eval --level village --period 2024
expect_in "$T/out" "(指标 lowinc 未参与评价:目标为第1级单位设定,不适用于第4级(体系未给出下延规则))"

# another pipeline keeps lowinc in the score: its attainment is empty with the reason, per unit
printf '{"steps":[{"step":"normalise","method":"minmax","range":[0,100]}]}' > mm.json
expect_exit 0 G --lang en --format csv eval --level village --period 2024 --pipeline mm.json --show attainment
for v in V1 V2 V3 V4; do
  grep -q "^village,$v,lowinc,[0-9]*,,,,\"target set for level 1, not for level 4 (no target_scale rule)\"$" "$T/out" \
    && ok || fail "$v lowinc under min-max: $(grep "^village,$v,lowinc" "$T/out")"
done
expect_exit 0 G eval --level village --period 2024 --pipeline mm.json --save
[ "$(sql "$db" "SELECT count(*) FROM eval_result WHERE node = 'lowinc' AND attainment IS NULL AND status IS NULL AND note LIKE 'target set for level 1%'")" = 4 ] \
  && ok || fail "saved lowinc rows: $(sql "$db" "SELECT unit, attainment, status, note FROM eval_result WHERE node = 'lowinc'")"
[ "$(sql "$db" "SELECT count(*) FROM eval_result WHERE node IN ('rate', 'coll') AND attainment IS NOT NULL AND note IS NULL")" = 8 ] \
  && ok || fail "rate and coll keep their attainment"

# counties: coll's target is per village (none above), rate's applies everywhere; the zone
# (the city, level 1) is attained against the city's count: 10 households ≤ 150 → 100 %
expect_exit 0 G --lang en --format csv eval --level county --period 2024 --show attainment
grep -q '^county,,coll,,,,,"target set for level 4, not for level 2 (no target_scale rule)"$' "$T/out" \
  && ok || fail "coll at the county level: $(grep coll "$T/out")"
grep -q '^county,K1,rate,' "$T/out" && ok || fail "rate at the county level"
# (gongfu eval targets: the zone's standing against its targets, the zone by default)
expect_exit 0 G --lang en eval targets --period 2024
grep -q '^lowinc .* 10\.00 *150\.00 *100\.0 *met' "$T/out" && ok || fail "zone attainment of lowinc: $(grep '^lowinc' "$T/out")"
# a village: the city's count is not its target (empty, with the reason); coll is its own
expect_exit 0 G --lang en --format csv eval targets --unit V1 --period 2024
grep -q '^lowinc,低收入户数,3,,,,,,d1,"target set for level 1, not for level 4 (no target_scale rule)"$' "$T/out" \
  && ok || fail "V1 lowinc target: $(grep '^lowinc' "$T/out")"
grep -q '^coll,集体经济收入,20,25,80,' "$T/out" && ok || fail "V1 coll target: $(grep '^coll' "$T/out")"
grep -q '^rate,结对率,90,100,90,' "$T/out" && ok || fail "V1 rate target: $(grep '^rate' "$T/out")"
expect_exit 1 G eval targets --unit NOWHERE
expect_in "$T/err" 'field "unit": value "NOWHERE": expected an existing unit code'
# the overview: the zone's counts by status, the trend of every indicator with a target
expect_exit 0 G --format json eval overview --period 2024
expect_in "$T/out" '"summary": {"unit": "C", "framework": "t", "period": "2024", "target_year": 2025, "indicators": 3'
expect_in "$T/out" '{"indicator": "lowinc", "indicator_name": "低收入户数", "period": "2022", "value": 10, "attainment": 100}'

# the columns are checked on import, exported and imported back unchanged
sed 's/,150,city,$/,150,province,/' fw.csv > bad-level.csv
expect_exit 1 G import framework bad-level.csv
expect_in "$T/err" 'bad-level.csv:4: field "target_level": value "province": expected a level: city, county, township or village (or 1-4)'
sed 's/,25,village,none$/,25,village,population/' fw.csv > bad-scale.csv
expect_exit 1 G import framework bad-scale.csv
expect_in "$T/err" 'bad-scale.csv:6: field "target_scale": value "population"'
expect_exit 0 G export framework -o fw-out.csv
grep -q '^t,,,lowinc,d1,indicator,.*,150,,,,1,,$' fw-out.csv && ok || fail "export: $(grep lowinc fw-out.csv)"
grep -q '^t,,,coll,d1,indicator,.*,25,,,,4,none,$' fw-out.csv && ok || fail "export: $(grep ',coll,' fw-out.csv)"
expect_exit 0 G import framework fw-out.csv
expect_in "$T/out" "0"
finish
