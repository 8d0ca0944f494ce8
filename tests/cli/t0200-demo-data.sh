#!/usr/bin/env bash
# The demo files (demo/*.csv) import into a fresh database one by one, with the expected
# shape: the city and its five real county-level units, ~230 synthetic villages, the "1+8+3"
# teams, 40+ departments, the two frameworks (shared indicators identical), and only real
# published values with their source ids.  Then `gongfu demo` builds the whole demo: every
# value is either one of those real values or says "synthetic".
. "$(dirname "$0")/lib.sh"
D=$GONGFU_SRC/demo
db=$(newdb d)
q() { sql "$db" "$1"; }
# check NAME SQL EXPECTED: the query's rows, joined by spaces, are exactly EXPECTED
check() {
  local got
  got=$(q "$2" | paste -sd' ')
  if [ "$got" = "$3" ]; then ok; else fail "$1: got '$got', expected '$3'"; fi
}
# checkn NAME SQL EXPECTED: the same, a number written 40.0 (SQLite's REAL) being the same as 40
num() { sed -E 's/([0-9])\.0([^0-9]|$)/\1\2/g'; }
checkn() {
  local got want
  got=$(q "$2" | paste -sd' ' | num); want=$(echo "$3" | num)
  if [ "$got" = "$want" ]; then ok; else fail "$1: got '$got', expected '$want'"; fi
}
# checkre NAME SQL ERE EXPECTED: how many rows of the query do not match the extended regular
# expression (GLOB is SQLite's only)
checkre() {
  local got
  got=$(q "$2" | grep -cEv -- "$3" || true)
  if [ "$got" = "$4" ]; then ok; else fail "$1: got '$got', expected '$4': $(q "$2" | grep -Ev -- "$3" | head -3)"; fi
}

for spec in units:units.csv teams:teams.csv departments:departments.csv people:people.csv \
  framework:framework-panzhihua.csv framework:framework-zhejiang.csv values:values-published.csv; do
  expect_exit 0 "$GONGFU" --db "$db" import "${spec%%:*}" "$D/${spec#*:}"
done

# units
check "root" "SELECT code || name FROM unit WHERE parent IS NULL" "510400攀枝花市"
check "counties" "SELECT code || name || area FROM unit WHERE level = 2 ORDER BY code" \
  "510402东区urban 510403西区urban 510411仁和区rural 510421米易县rural 510422盐边县rural"
check "villages about 230" "SELECT CASE WHEN count(*) BETWEEN 220 AND 240 THEN 1 ELSE 0 END FROM unit WHERE level = 4" 1
check "townships" "SELECT CASE WHEN count(*) BETWEEN 30 AND 60 THEN 1 ELSE 0 END FROM unit WHERE level = 3" 1
check "synthetic units say so" "SELECT count(*) FROM unit WHERE level >= 3 AND note NOT LIKE 'synthetic%'" 0
check "villages note exactly synthetic" "SELECT count(*) FROM unit WHERE level = 4 AND note <> 'synthetic'" 0
check "village codes extend their township's" \
  "SELECT count(*) FROM unit WHERE level = 4 AND (length(code) <> 12 OR substr(code, 1, 9) <> parent)" 0
check "city and county populations carry their source" \
  "SELECT count(*) FROM unit WHERE level <= 2 AND (population IS NULL OR note NOT LIKE 'real:%P_%')" 0
check "children sum to their parent (townships, counties)" \
  "SELECT count(*) FROM unit p WHERE p.level IN (2, 3) AND p.population <> (SELECT sum(c.population) FROM unit c WHERE c.parent = p.code)" 0
check "both urban and rural villages in every county" \
  "SELECT count(DISTINCT substr(code, 1, 6) || area) FROM unit WHERE level = 4" 10

# organisation
check "1+8+3" "SELECT kind || ':' || count(*) FROM team GROUP BY kind ORDER BY kind" \
  "leading:1 support:3 work:8"
check "teams are a template" "SELECT count(*) FROM team WHERE note NOT LIKE '%template%'" 0
check "40+ departments, all in a team" \
  "SELECT CASE WHEN count(*) >= 40 AND sum(CASE WHEN team IS NULL THEN 1 ELSE 0 END) = 0 THEN 1 ELSE 0 END FROM department" 1
checkre "people have synthetic phones" "SELECT phone FROM person WHERE phone IS NOT NULL" '^138[0-9]{8}$' 0

# frameworks
check "panzhihua: 30-45 indicators under 8 dimensions" \
  "SELECT (SELECT CASE WHEN count(*) BETWEEN 30 AND 45 THEN 1 ELSE 0 END FROM framework_node WHERE framework = 'panzhihua' AND kind = 'indicator') || ',' || (SELECT count(*) FROM framework_node WHERE framework = 'panzhihua' AND kind = 'dimension')" "1,8"
check "panzhihua is labelled a template" "SELECT count(*) FROM framework WHERE code = 'panzhihua' AND name LIKE '%模板%' AND name_en LIKE '%template%'" 1
checkn "zhejiang 2025 targets (DESIGN §5)" \
  "SELECT indicator || '=' || value FROM target WHERE framework = 'zhejiang2025' AND year = 2025 ORDER BY indicator" \
  "engel=40.0 gdp_pc=130000.0 gini=0.4 higher_ed_enrolment=70.0 income_pc=75000.0 income_range_ratio=1.55 labour_share=50.0 life_expectancy=76.0 middle_income_share=80.0 middle_income_share_20_60=45.0 skilled_worker_share=35.0 urban_rural_ratio=1.9"
check "engine indicators present" \
  "SELECT count(*) FROM indicator WHERE code IN ('gini','middle_income_share','lowincome_households','income_urban','income_rural','urban_rural_ratio')" 6
check "urban-rural ratio is derived" "SELECT formula FROM indicator WHERE code = 'urban_rural_ratio'" "income_urban / income_rural"
# same code = same indicator: importing the frameworks again changes nothing
before=$(dumpsum "$db")
expect_exit 0 "$GONGFU" --db "$db" import framework "$D/framework-zhejiang.csv"
expect_exit 0 "$GONGFU" --db "$db" import framework "$D/framework-panzhihua.csv"
if [ "$before" = "$(dumpsum "$db")" ]; then ok; else fail "re-importing the frameworks changed the database (shared indicators differ?)"; fi

# real values only, each with its source id
check "published values" "SELECT count(*) FROM value" 24
checkre "published values name their source" "SELECT source FROM value WHERE source IS NOT NULL" '^P[0-9].* .*\(grade [AB]' 0
check "published values come submitted (an import cannot approve)" "SELECT count(*) FROM value WHERE state <> 'submitted'" 0
check "published values 2019-2025" "SELECT count(*) FROM value WHERE substr(period, 1, 4) NOT BETWEEN '2019' AND '2025'" 0
checkn "known figures" \
  "SELECT unit || '/' || indicator || '/' || period || '=' || value FROM value WHERE (unit, indicator, period) IN (VALUES ('510400','income_urban','2020'), ('510400','income_rural','2022'), ('510400','gdp','2023'), ('510421','gdp_pc','2020')) ORDER BY unit, indicator, period" \
  "510400/gdp/2023=1303.8 510400/income_rural/2022=23297.0 510400/income_urban/2020=44209.0 510421/gdp_pc/2020=68584.0"

# the whole demo: real values kept, everything else labelled synthetic
demo=$(newdb demo)
expect_exit 0 "$GONGFU" demo --db "$demo"
db=$demo
# source GLOB 'P[0-9]*', in SQL both backends read
real="substr(source, 1, 1) = 'P' AND substr(source, 2, 1) BETWEEN '0' AND '9'"
check "real values kept" "SELECT count(*) FROM value WHERE $real" 24
check "real values submitted by demo, approved by someone else" \
  "SELECT count(*) FROM value WHERE $real AND state = 'approved' AND submitted_by = 'demo' AND approved_by = 'demo-reviewer'" 24
checkn "the real value is the published one" \
  "SELECT value || ' ' || origin FROM value WHERE unit = '510400' AND indicator = 'income_urban' AND period = '2020'" "44209.0 reported"
check "every reported value is real or says synthetic" \
  "SELECT count(*) FROM value WHERE origin = 'reported' AND NOT ($real OR source = 'synthetic')" 0
check "many synthetic values" "SELECT CASE WHEN count(*) > 15000 THEN 1 ELSE 0 END FROM value WHERE source = 'synthetic'" 1
check "synthetic values at every village" \
  "SELECT count(*) FROM unit u WHERE level = 4 AND NOT EXISTS (SELECT 1 FROM value v WHERE v.unit = u.code AND v.source = 'synthetic')" 0
check "no synthetic value where the rollup or a formula computes it" \
  "SELECT count(*) FROM value v JOIN unit u ON u.code = v.unit JOIN indicator i ON i.code = v.indicator WHERE v.source = 'synthetic' AND ((i.agg_units <> 'none' AND u.level < 4) OR coalesce(i.formula, '') <> '')" 0
finish
