# lib.sh — helpers for black-box tests of the gongfu binary (sourced by tests/cli/t*.sh).
set -eu
: "${GONGFU:?GONGFU must point to the gongfu binary}"
: "${GONGFU_SRC:?GONGFU_SRC must point to the source tree}"
T=$(mktemp -d "${TMPDIR:-/tmp}/gongfu-test.XXXXXX")
cd "$T"
export GONGFU_NOW=2026-06-30T12:00:00Z
unset GONGFU_USER # the CLI acts as the database's administrator unless a test names a user
fails=0
passes=0
ok() { passes=$((passes + 1)); }
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
# expect_exit CODE CMD...: run and check the exit code; output in $T/out, $T/err
expect_exit() {
  local want=$1; shift
  set +e; "$@" >"$T/out" 2>"$T/err"; local got=$?; set -e
  if [ "$got" -ne "$want" ]; then fail "exit $got, expected $want: $*"; sed 's/^/  stderr: /' "$T/err" >&2; return 1; fi
  ok
}
# expect_in FILE TEXT...: every text occurs in the file
expect_in() {
  local f=$1; shift
  for s in "$@"; do
    if ! grep -qF -- "$s" "$f"; then fail "'$s' not in $(basename "$f"): $(head -c 400 "$f")"; else ok; fi
  done
}

# ---- the database under test: a SQLite file, or with GONGFU_TEST_BACKEND=postgresql a database of
# the cluster whose socket folder is GONGFU_TEST_PG_HOST (scripts/pg.sh).  Tests name databases
# with newdb / copydb / demodb and read them with sql / dump, so one script runs on either backend.
PG=0
if [ "${GONGFU_TEST_BACKEND:-sqlite}" = postgresql ]; then
  PG=1
  : "${GONGFU_TEST_PG_HOST:?GONGFU_TEST_BACKEND=postgresql needs GONGFU_TEST_PG_HOST (scripts/pg.sh)}"
fi
pg_prefix="gt_c$$_" # every database this script makes; dropped when it exits
psql_on() { local name=$1; shift; psql -h "$GONGFU_TEST_PG_HOST" -U postgres -d "$name" -XAtq -v ON_ERROR_STOP=1 "$@"; }
pg_url() { echo "postgresql://postgres@/$1?host=$GONGFU_TEST_PG_HOST"; }
pg_name() { local n=${1#postgresql://*/}; echo "${n%%\?*}"; }
cleanup() {
  if [ "$PG" = 1 ]; then
    local n
    for n in $(psql_on postgres -c "SELECT datname FROM pg_database WHERE datname LIKE '${pg_prefix}%'" 2>/dev/null); do
      psql_on postgres -c "DROP DATABASE IF EXISTS $n WITH (FORCE)" >/dev/null 2>&1 || true
    done
  fi
  rm -rf "$T"
}
trap cleanup EXIT
# newdb NAME: a new empty database (on SQLite the path of a file the first command creates)
newdb() {
  if [ "$PG" = 0 ]; then echo "$T/$1.db"; return; fi
  psql_on postgres -c "CREATE DATABASE $pg_prefix$1" >/dev/null
  pg_url "$pg_prefix$1"
}
# copydb DB NAME: a copy of a database no command is using
copydb() {
  if [ "$PG" = 0 ]; then
    local ext
    cp "$1" "$T/$2.db"
    for ext in -wal -shm; do [ ! -e "$1$ext" ] || cp "$1$ext" "$T/$2.db$ext"; done
    echo "$T/$2.db"
    return
  fi
  psql_on postgres -c "CREATE DATABASE $pg_prefix$2 TEMPLATE $(pg_name "$1") STRATEGY FILE_COPY" >/dev/null
  pg_url "$pg_prefix$2"
}
# demodb NAME: a new database holding `gongfu demo` (on PostgreSQL a copy of one built once per
# cluster: parallel tests wait for the one that builds it)
demodb() {
  if [ "$PG" = 0 ]; then "$GONGFU" --db "$T/$1.db" demo >/dev/null 2>&1 && echo "$T/$1.db"; return; fi
  local i has='SELECT count(*) FROM pg_database WHERE datname = '"'gt_demo'"
  if [ "$(psql_on postgres -c "$has")" = 0 ]; then
    if psql_on postgres -c "CREATE DATABASE gt_demo_building" >/dev/null 2>&1; then
      "$GONGFU" --db "$(pg_url gt_demo_building)" demo >/dev/null 2>&1 || return 1
      psql_on postgres -c "ALTER DATABASE gt_demo_building RENAME TO gt_demo" >/dev/null
    else
      for i in $(seq 600); do [ "$(psql_on postgres -c "$has")" = 1 ] && break; sleep 0.5; done
    fi
  fi
  copydb "$(pg_url gt_demo)" "$1"
}
# sql DB QUERY: the rows of a query, fields joined by '|' (portable SQL: no group_concat — pipe to
# `paste -sd,` —, no PRAGMA; booleans and REAL print differently on the two backends)
sql() {
  if [ "$PG" = 0 ]; then sqlite3 "$1" "$2"; else psql_on "$(pg_name "$1")" -F '|' -c "$2"; fi
}
# dump DB: the database's schema and every row it holds, as text to compare before and after
dump() {
  if [ "$PG" = 0 ]; then sqlite3 "$1" .dump; return; fi
  pg_dump -h "$GONGFU_TEST_PG_HOST" -U postgres "$(pg_name "$1")" 2>/dev/null |
    grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict' -e '^SELECT pg_catalog.setval'
}
# dumpsum DB: the SHA-256 of the dump, to compare a database before and after (a demo's dump is
# 40 MB: bash took seconds to hold and compare two such strings)
dumpsum() (
  set -o pipefail
  dump "$1" | sha256sum | cut -d' ' -f1
)
# integrity DB: "ok" when the database is sound: SQLite's integrity_check; PostgreSQL has no such
# pragma, there amcheck verifies every table and b-tree index (once the killed session has ended)
integrity() {
  if [ "$PG" = 0 ]; then sql "$1" "PRAGMA integrity_check"; return; fi
  local i
  for i in $(seq 100); do
    [ "$(psql_on postgres -c "SELECT count(*) FROM pg_stat_activity WHERE datname = '$(pg_name "$1")'")" = 0 ] && break
    sleep 0.1
  done
  sql "$1" "CREATE EXTENSION IF NOT EXISTS amcheck" >/dev/null
  sql "$1" "SELECT count(bt_index_check(c.oid, true)) FROM pg_class c JOIN pg_am a ON a.oid = c.relam
            WHERE c.relkind = 'i' AND a.amname = 'btree' AND c.relnamespace = 'public'::regnamespace" >/dev/null 2>&1 ||
    { echo "bt_index_check failed"; return; }
  sql "$1" "SELECT coalesce(string_agg(c.relname || ': ' || v.msg, '; '), 'ok') FROM pg_class c
            CROSS JOIN LATERAL verify_heapam(c.oid) v WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace"
}
finish() {
  echo "$passes passed, $fails failed"
  [ "$fails" -eq 0 ]
}
