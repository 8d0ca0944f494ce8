#!/usr/bin/env bash
# Every kind of bad input gets a message naming the file, line, field, value and what was
# expected, exits 1, and leaves the database byte-for-byte as it was.
. "$(dirname "$0")/lib.sh"
B=$GONGFU_SRC/tests/data/base
db=$(newdb g)
for k in units framework values; do "$GONGFU" --db "$db" import $k "$B/$k.csv" >/dev/null; done
"$GONGFU" --db "$db" values rollup >/dev/null

# bad KIND FILE TEXT...: the import fails with exit 1, stderr names every TEXT, nothing changes
bad() {
  local kind=$1 file=$2; shift 2
  local before after
  before=$(dumpsum "$db")
  [ "$PG" = 1 ] || cp "$db" "$T/before.db"
  expect_exit 1 "$GONGFU" --db "$db" import "$kind" "$file" || true
  expect_in "$T/err" "$(basename "$file")" "$@"
  after=$(dumpsum "$db")
  if [ "$before" != "$after" ]; then fail "database changed after bad $kind file $(basename "$file")"; else ok; fi
  # and the bytes of the file (SQLite; on PostgreSQL the dump holds the schema too)
  if [ "$PG" = 0 ]; then
    if ! cmp -s "$db" "$T/before.db"; then fail "database file bytes changed after $(basename "$file")"; else ok; fi
  fi
}
u() { printf '%s\n' "code,name,parent,level,area,population" "$@" > "$T/$name.csv"; }

name=missing-column; printf 'code,name,parent,area\n510421001003,丁村,510421001,rural\n' > $T/$name.csv
bad units $T/$name.csv ':1:' 'field "level"' 'missing'
name=unknown-column; printf 'code,name,parent,level,area,colour\n510421001003,丁村,510421001,village,rural,red\n' > $T/$name.csv
bad units $T/$name.csv ':1:' 'field "colour"' 'a known column of units'
name=wrong-type; u "510421001003,丁村,510421001,village,rural,many"
bad units $T/$name.csv ':2:' 'field "population"' 'value "many"' 'a whole number'
name=negative-population; u "510421001003,丁村,510421001,village,rural,-5"
bad units $T/$name.csv ':2:' 'field "population"' 'value "-5"' '>= 0'
name=bad-enum; u "510421001003,丁村,510421001,village,suburb,5"
bad units $T/$name.csv ':2:' 'field "area"' 'value "suburb"' 'one of: urban, rural'
name=duplicate-code; u "510421001003,丁村,510421001,village,rural,5" "510421001003,戊村,510421001,village,rural,5"
bad units $T/$name.csv ':3:' 'line 3 repeats the key of line 2: code 510421001003'
name=unknown-parent; u "510421001003,丁村,510499001,village,rural,5"
bad units $T/$name.csv ':2:' 'field "parent"' 'value "510499001"' 'existing unit'
name=cycle; u "510499,甲,510499001,county,rural,5" "510499001,乙,510499,township,rural,5"
bad units $T/$name.csv 'field "parent"' 'cycle'
name=wrong-level; u "510421001003,丁村,510421,village,rural,5"
bad units $T/$name.csv ':2:' 'field "level"' 'value "village"' 'township for unit 510421001003'
name=second-root; u "330400,嘉兴市,,city,urban,5"
bad units $T/$name.csv ':2:' 'field "parent"' 'already has its root, 510400'
name=self-parent; u "510421001003,丁村,510421001003,village,rural,5"
bad units $T/$name.csv ':2:' 'field "parent"' 'its own parent'
name=bad-code; u "5104 21,丁村,510421001,village,rural,5"
bad units $T/$name.csv ':2:' 'field "code"' 'value "5104 21"' 'letters, digits'
name=bad-utf8; printf 'code,name,parent,level,area\n510421001003,\xff\xfe村,510421001,village,rural\n' > $T/$name.csv
bad units $T/$name.csv ':2:' 'UTF-8'
name=empty; : > $T/$name.csv
bad units $T/$name.csv ':1:' 'the file is empty'
name=header-only; printf 'code,name,level,area\n' > $T/$name.csv
bad units $T/$name.csv ':2:' 'at least one record'
name=long-line; { printf 'code,name,parent,level,area\n510421001003,'; head -c 1100000 /dev/zero | tr '\0' 'x'; printf ',510421001,village,rural\n'; } > $T/$name.csv
bad units $T/$name.csv ':2:' 'at most 1048576 bytes'
name=field-count; printf 'code,name,parent,level,area\n510421001003,丁村,510421001,village\n' > $T/$name.csv
bad units $T/$name.csv ':2:' '5 fields as in the header, found 4'
name=open-quote; printf 'code,name,parent,level,area\n510421001003,"丁村,510421001,village,rural\n' > $T/$name.csv
bad units $T/$name.csv ':2:' 'closing quote'
name=duplicate-header; printf 'code,name,name,level,area\n1,a,b,city,urban\n' > $T/$name.csv
bad units $T/$name.csv ':1:' 'field "name"' 'named once'

v() { printf '%s\n' "unit,indicator,period,value" "$@" > "$T/$name.csv"; }
name=unknown-unit; v "510421001002,income_rural,2024,25000" "999999,income_rural,2024,1"
bad values $T/$name.csv ':3:' 'field "unit"' 'value "999999"' 'existing unit'
name=unknown-indicator; v "510421001002,income_rual,2024,25000"
bad values $T/$name.csv ':2:' 'field "indicator"' 'value "income_rual"' 'existing indicator'
name=not-a-number; v "510421001002,income_rural,2024,25,000"
bad values $T/$name.csv ':2:' '4 fields as in the header, found 5'
name=not-a-number2; v "510421001002,income_rural,2024,二万"
bad values $T/$name.csv ':2:' 'field "value"' 'value "二万"' 'a number'
name=nan; v "510421001002,income_rural,2024,nan"
bad values $T/$name.csv ':2:' 'field "value"' 'value "nan"' 'a number'
name=bad-period; v "510421001002,income_rural,2024Q5,1"
bad values $T/$name.csv ':2:' 'field "period"' 'value "2024Q5"' 'a quarter (2024Q1)'
name=derived-value; v "510421001002,ratio,2024,1.5"
bad values $T/$name.csv ':2:' 'field "indicator"' 'value "ratio"' 'computed from its formula'
# an import checks a unit, an indicator and a period once (then remembers it): what it has not
# checked yet is still checked, on any line
name=derived-after-plain; v "510421001002,income_rural,2024,25000" "510421001002,ratio,2024,1.5"
bad values $T/$name.csv ':3:' 'field "indicator"' 'value "ratio"' 'computed from its formula'
name=unknown-after-known; v "510421001002,income_rural,2024,1" "510421001002,income_rual,2024,2"
bad values $T/$name.csv ':3:' 'field "indicator"' 'value "income_rual"' 'existing indicator'
name=longer-unit; v "510421001002,income_rural,2024,1" "5104210010029,income_rural,2024,1"
bad values $T/$name.csv ':3:' 'field "unit"' 'value "5104210010029"' 'existing unit'
name=late-error; { echo "unit,indicator,period,value"; for i in $(seq 1 500); do printf '510421001002,income_rural,%d-%02d,%d\n' $((2000 + i / 12)) $((i % 12 + 1)) $i; done; echo "510421001002,income_rural,2024,oops"; } > $T/$name.csv
bad values $T/$name.csv ':502:' 'value "oops"'

f() { printf '%s\n' "framework,framework_name,code,parent,kind,name,direction,formula,weight" "$@" > "$T/$name.csv"; }
name=self-formula; f "f2,体系二,i,,index,指数,,," "f2,,x,i,indicator,X,+,x * 2,1"
bad framework $T/$name.csv ':3:' 'field "formula"' 'value "x * 2"' 'refers to x itself'
name=formula-cycle; f "f2,体系二,i,,index,指数,,," "f2,,a,i,indicator,A,+,b * 2,1" "f2,,b,i,indicator,B,+,a / 2,1"
bad framework $T/$name.csv 'field "formula"' 'does not depend on'
name=formula-unknown; f "f2,体系二,i,,index,指数,,," "f2,,a,i,indicator,A,+,nosuch * 2,1"
bad framework $T/$name.csv ':3:' 'field "formula"' 'nosuch is not an indicator'
name=formula-syntax; f "f2,体系二,i,,index,指数,,," "f2,,a,i,indicator,A,+,income_urban / ,1"
bad framework $T/$name.csv ':3:' 'field "formula"' 'expected a number, an indicator code'
name=indicator-parent; f "f2,体系二,i,,index,指数,,," "f2,,a,i,indicator,A,+,,1" "f2,,b,a,indicator,B,+,,1"
bad framework $T/$name.csv ':4:' 'field "parent"' 'value "a"' 'indicators are leaves'
name=negative-weight; f "f2,体系二,i,,index,指数,,," "f2,,a,i,indicator,A,+,,-1"
bad framework $T/$name.csv ':3:' 'field "weight"' '>= 0'
name=bad-direction; f "f2,体系二,i,,index,指数,,," "f2,,a,i,indicator,A,up,,1"
bad framework $T/$name.csv ':3:' 'field "direction"' 'value "up"' 'one of: +, -, band'

name=bad-json; printf '[{"unit": "510421001002", "indicator": "income_rural", "period": "2024", "value": 1},\n {"unit": }]\n' > $T/$name.json
bad values $T/$name.json ':2:' 'valid JSON'
name=json-type; printf '{"unit": "510421001002", "indicator": "income_rural", "period": "2024", "value": true}\n' > $T/$name.jsonl
bad values $T/$name.jsonl ':1:' 'field "value"' 'value "true"' 'a string or a number'
finish
