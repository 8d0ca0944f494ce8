#!/usr/bin/env bash
# The same database on both backends answers the same: the demo is moved with `gongfu migrate`
# (SQLite file → the backend under test → back to a file), and a wide set of reads — units,
# values, evaluation, targets, distribution measures, households, the four lists, problems, the
# race, collective economy, pairings, cases, the audit chain — prints the same on both; writes
# (an import, an evaluation saved, a value workflow) then land the same on both.  Backups of the
# backend under test are files that verify and restore.  With GONGFU_TEST_BACKEND=postgresql the
# backend under test is a PostgreSQL database of the cluster in GONGFU_TEST_PG_HOST (scripts/
# pg.sh); else a second SQLite file (migrate and backup between files).
. "$(dirname "$0")/lib.sh"

file=$T/demo.db
"$GONGFU" --db "$file" demo >/dev/null
other=$(newdb other)

# ---- migrate: the whole database, checked by counts and the audit chain ----
expect_exit 0 "$GONGFU" migrate --from "$file" --to "$other"
expect_in "$T/out" "审计链完整" "value"
# a second migrate into a database with data needs --yes, and changes nothing without it
expect_exit 1 "$GONGFU" migrate --from "$file" --to "$other"
expect_in "$T/err" "--yes"
expect_exit 2 "$GONGFU" migrate --from "$file"
expect_exit 2 "$GONGFU" migrate --from "$file" --to "$file"

# ---- the same reads, the same answers ----
same() { # same ARGS...: the command prints the same on the file and on the other backend
  if ! "$GONGFU" --db "$file" --format json "$@" >"$T/a" 2>&1; then
    fail "gongfu $* fails on the file: $(head -c 300 "$T/a")"
    return
  fi
  "$GONGFU" --db "$other" --format json "$@" >"$T/b" 2>&1 || true
  if cmp -s "$T/a" "$T/b"; then ok; else
    fail "different answers to: $*"
    diff "$T/a" "$T/b" | head -8 >&2
  fi
}
same units
same units --level village
same values --period 2025 --indicator income_rural
same eval --period 2025 --level county
same eval --period 2025 --level village --sensitivity 50 --seed 7
same eval targets
same eval overview --period 2025
same stats --db --period 2024
same households list
same households alerts
same households coverage
same items list
same items report
same problems list
same race --period 2025
same collective list
same pairing list
same pairing coverage
same cases list
same trainings list
same --user zhongxin voice list
same user list
same audit verify
same audit list
same trainings summary
same collective enclaves
same collective enterprises
same cases public
same cases show CASE01
same items show SZD2024-07
same problems show 1
same publications list
same race --period 2025 --subject enterprise
same pairing show PC-510402
same values list --period 2025 --unit 510421
same eval targets --unit 510421
same households show "$(sqlite3 "$file" "SELECT code FROM household ORDER BY code LIMIT 1")"

# ---- the same writes, the same results ----
cat >vals.csv <<'EOF'
unit,indicator,period,value
510421001001,income_rural,2026,23456.5
EOF
for db in "$file" "$other"; do
  expect_exit 0 "$GONGFU" --db "$db" import values vals.csv
  expect_exit 0 "$GONGFU" --db "$db" eval --period 2025 --level county --save
done
same values --period 2026 --indicator income_rural
same eval runs
same audit verify

# ---- backup of the backend under test: a file that verifies and restores ----
expect_exit 0 "$GONGFU" --db "$other" backup "$T/backup.db"
expect_in "$T/out" "审计链完整"
back=$(newdb back)
expect_exit 0 "$GONGFU" --db "$back" restore "$T/backup.db"
expect_in "$T/out" "审计链完整"
other_saved=$other
other=$back
same units --level village
same eval runs
same audit verify
other=$other_saved

# ---- a damaged backup is refused, nothing restored ----
sqlite3 "$T/backup.db" "UPDATE audit SET actor = 'mallory' WHERE id = 3"
fresh=$(newdb fresh)
expect_exit 1 "$GONGFU" --db "$fresh" restore "$T/backup.db"
expect_in "$T/err" "audit chain does not hold"

# ---- PostgreSQL only: what is refused, and the password never shown ----
if [ "${GONGFU_TEST_BACKEND:-}" = postgresql ]; then
  pg() { psql -h "$GONGFU_TEST_PG_HOST" -U postgres -XAtq "$@" >/dev/null; }
  url() { echo "postgresql://postgres@/$1?host=$GONGFU_TEST_PG_HOST"; }
  expect_exit 1 "$GONGFU" --db "postgresql://postgres:hunter2@/gt_none_$$?host=$GONGFU_TEST_PG_HOST&password=hunter3" units
  expect_in "$T/err" "cannot connect to PostgreSQL" "postgres:***@" "password=***"
  if grep -q hunter "$T/err"; then fail "a password in the message: $(cat "$T/err")"; else ok; fi
  pg -d postgres -c "CREATE DATABASE gt_foreign_$$" && pg -d "gt_foreign_$$" -c "CREATE TABLE t (x int)"
  expect_exit 1 "$GONGFU" --db "$(url gt_foreign_$$)" init
  expect_in "$T/err" "not a gongfu database"
  [ "$(psql -h "$GONGFU_TEST_PG_HOST" -U postgres -XAtq -d "gt_foreign_$$" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" = 1 ] && ok || fail "a foreign database was written to"
  pg -d postgres -c "CREATE DATABASE gt_ascii_$$ TEMPLATE template0 ENCODING 'SQL_ASCII' LOCALE 'C'"
  expect_exit 1 "$GONGFU" --db "$(url gt_ascii_$$)" migrate --from "$file" --to "$(url gt_ascii_$$)"
  expect_in "$T/err" "UTF-8" "CREATE DATABASE"
  pg -d postgres -c "CREATE DATABASE gt_empty_$$"
  expect_exit 1 "$GONGFU" --db "$(url gt_empty_$$)" units
  expect_in "$T/err" "no gongfu database here"
fi

finish
