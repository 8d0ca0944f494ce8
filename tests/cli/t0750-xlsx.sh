#!/usr/bin/env bash
# Every listing as an Excel workbook (--format xlsx): it reopens (read back by tests/cli/xlsx-read.mjs,
# a reader of our own) with the same rows and the same numbers as the CSV of the same listing;
# Chinese headers; one sheet a section; a sheet for an empty listing; an unknown format refused.
. "$(dirname "$0")/lib.sh"
db=$(demodb x) && ok || fail "the demo database"
G() { "$GONGFU" --db "$db" "$@"; }
read_xlsx() { node "$GONGFU_SRC/tests/cli/xlsx-read.mjs" "$@"; }
same() { # same NAME ARGS...: the listing as CSV and as XLSX agree
  local name=$1; shift
  G "$@" --format csv >"$name.csv"
  G "$@" --format xlsx >"$name.xlsx"
  if read_xlsx "$name.xlsx" --csv "$name.csv" >"$name.cmp" 2>&1; then ok; else fail "$name: $(cat "$name.cmp")"; fi
}
same values values list --period 2025
same units units
same race race --period 2025
# export -o writes the workbook through a temporary file, as it writes CSV
G export values -o export.csv
G export values --format xlsx -o export.xlsx
if read_xlsx export.xlsx --csv export.csv >export.cmp 2>&1; then ok; else fail "export: $(cat export.cmp)"; fi
# numbers really are numbers, headers are the Chinese labels, codes shown by their labels
read_xlsx values.xlsx >values.json
expect_in values.json '"单位代码"' '"数值"' '"已审核"'
if node -e 'const b=JSON.parse(require("fs").readFileSync(process.argv[1]));const r=b.sheets[0].rows;
  process.exit(r.length>100 && r.slice(1).every(x=>typeof x[5]==="number") ? 0 : 1)' values.json; then ok
else fail "values: the value column is not numeric in every row"; fi
# English labels with --lang en
G values list --period 2025 --lang en --format xlsx >en.xlsx
read_xlsx en.xlsx >en.json
expect_in en.json '"unit"' '"approved"'
# an empty listing is still a workbook with its header row
G values list --period 1999 --format xlsx >empty.xlsx
read_xlsx empty.xlsx >empty.json
expect_in empty.json '"rows":[["单位代码"'
# bad format named
expect_exit 2 G values list --format xls
expect_in "$T/err" "'xls' is not one of table, csv, json, xlsx"
finish
