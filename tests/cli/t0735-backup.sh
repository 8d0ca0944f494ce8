#!/usr/bin/env bash
# gongfu backup / restore (issue 17): a backup is the whole database (users and the audit log),
# checked after it is written; a restore replaces the whole database by a backup whose audit
# chain holds, asks --yes before replacing data, creates a database that is gone, and refuses a
# tampered or foreign file, the database itself, and anyone but the administrator — changing
# nothing when it refuses.
. "$(dirname "$0")/lib.sh"
B=$GONGFU_SRC/tests/data/base
db=$(newdb a)
G() { "$GONGFU" --db "$db" "$@"; }
# holds DB FILE: the database holds what the backup file holds (on PostgreSQL: the file restored
# into a new database dumps the same rows — the order of a table's rows on disk aside, and the
# numbers of the `rowid` column PostgreSQL gives a table without an integer key, which keep the
# order the rows were written in but not their values, and the counters in meta that triggers
# bump when the restore writes the units and users, telling caches to read them again)
rows() {
  dump "$1" | grep -v -P '^(units|auth)_version\t' | awk -F'\t' -v OFS='\t' '
    /^COPY / { k = 0; h = $0; sub(/^[^(]*\(/, "", h); sub(/\) FROM stdin;$/, "", h)
               n = split(h, c, ", "); for (i = 1; i <= n; i++) if (c[i] == "rowid") k = i; print; next }
    /^\\\.$/ { k = 0 }
    k { $k = "" } { print }' | sort
}
hn=0
holds() {
  if [ "$PG" = 0 ]; then [ "$(dumpsum "$1")" = "$(dumpsum "$2")" ]; return; fi
  hn=$((hn + 1))
  local r
  r=$(newdb held$hn)
  "$GONGFU" --db "$r" restore "$2" >/dev/null 2>&1 && [ "$(rows "$1")" = "$(rows "$r")" ]
}
# unchanged DB COPY: the database is as its copy (made with copydb) — byte for byte on SQLite
unchanged() {
  if [ "$PG" = 0 ]; then cmp -s "$1" "$2"; else [ "$(dumpsum "$1")" = "$(dumpsum "$2")" ]; fi
}
for k in units framework values; do G import $k "$B/$k.csv" >/dev/null; done
G user add P2 --role centre >/dev/null
n=$(sql "$db" 'SELECT count(*) FROM audit')

# backup: the same content, the chain's head named, only tables with rows listed
expect_exit 0 G backup "$T/b.db"
expect_in "$T/out" "已备份到 $T/b.db" "审计链完整($n 条记录, 末条 #$n, 哈希 " "value" "app_user"
grep -q '^hh_visit ' "$T/out" && fail "empty table listed" || ok
holds "$db" "$T/b.db" && ok || fail "backup differs from the database"
[ "$(stat -c %a "$T/b.db")" = 600 ] && ok || fail "backup readable by others: $(stat -c %a "$T/b.db")"
[ ! -e "$T/b.db-wal" ] && [ ! -e "$T/b.db.part" ] && ok || fail "backup left files beside it"
expect_exit 0 G --lang en backup "$T/b2.db"
expect_in "$T/out" "backed up to $T/b2.db" "the audit chain holds ($n records, last #$n, hash "
# an existing file is not replaced unless --force
cp "$T/b.db" "$T/keep.db"
G import values "$B/values.csv" >/dev/null
expect_exit 1 G --lang en backup "$T/b.db"
expect_in "$T/err" "$T/b.db exists: choose another name, or add --force"
cmp -s "$T/b.db" "$T/keep.db" && ok || fail "an existing backup was changed"
expect_exit 0 G backup "$T/b.db" --force
holds "$db" "$T/b.db" && ok || fail "--force did not replace the backup"

# restore into a database that is gone (on PostgreSQL: an empty database): created, the same content
new=$(newdb new)
expect_exit 0 "$GONGFU" --db "$new" restore "$T/b.db"
expect_in "$T/out" "已从 $T/b.db 恢复" "审计链完整"
holds "$new" "$T/b.db" && ok || fail "restored database differs from the backup"
expect_exit 0 "$GONGFU" --db "$new" audit verify

# a backup written by an older gongfu (its audit table from before the hash chain, the step not
# applied): restored and upgraded, its records chained — and the backup file itself left as it
# was, for the gongfu that wrote it (the upgrade happens in a temporary copy, removed after)
cp "$T/b.db" "$T/old.db"
sqlite3 "$T/old.db" "ALTER TABLE audit DROP COLUMN prev_hash; ALTER TABLE audit DROP COLUMN hash;
  DELETE FROM schema_migration WHERE module = 'core' AND step = 4"
old_sum=$(sha256sum <"$T/old.db")
nold=$(sqlite3 "$T/old.db" "SELECT count(*) FROM audit")
mkdir -p "$T/tmp"
up=$(newdb up)
TMPDIR=$T/tmp expect_exit 0 "$GONGFU" --db "$up" --lang en restore "$T/old.db"
expect_in "$T/out" "restored from $T/old.db" "the audit chain holds ($nold records"
expect_in "$T/err" "written by an older gongfu" "the file itself is unchanged"
[ "$(sha256sum <"$T/old.db")" = "$old_sum" ] && ok || fail "restore changed the older backup file"
[ -z "$(ls -A "$T/tmp")" ] && ok || fail "the temporary upgraded copy was left: $(ls "$T/tmp")"
[ "$(sql "$up" "SELECT count(*) FROM audit WHERE hash IS NULL")" = 0 ] && ok || fail "records not chained"
expect_exit 0 "$GONGFU" --db "$up" audit verify

# restore over data: --yes first; without it nothing changes
c=$(newdb c)
"$GONGFU" --db "$c" import units "$B/units.csv" >/dev/null
c0=$(copydb "$c" c0)
expect_exit 1 "$GONGFU" --db "$c" restore "$T/b.db"
expect_in "$T/err" "--yes" "$c"
unchanged "$c" "$c0" && ok || fail "refused restore changed the database"
expect_exit 0 "$GONGFU" --db "$c" --lang en restore "$T/b.db" --yes
expect_in "$T/out" "restored from $T/b.db: the rows of" "the audit chain holds"
grep -q "older gongfu" "$T/err" && fail "a current backup said to be older" || ok
holds "$c" "$T/b.db" && ok || fail "restore --yes: database differs from the backup"

# a tampered backup is refused, the target unchanged
cp "$T/b.db" "$T/t.db"
sqlite3 "$T/t.db" "UPDATE audit SET actor = 'x' WHERE id = 3"
c=$(copydb "$c0" c1)
expect_exit 1 "$GONGFU" --db "$c" --lang en restore "$T/t.db" --yes
expect_in "$T/err" "$T/t.db: the audit chain does not hold (record #3"
unchanged "$c" "$c0" && ok || fail "tampered restore changed the database"
# … and into a database that did not exist, none is left behind (on PostgreSQL: no table made
# in an empty database)
gone=$(newdb gone)
expect_exit 1 "$GONGFU" --db "$gone" restore "$T/t.db"
if [ "$PG" = 0 ]; then
  [ ! -e "$gone" ] && ok || fail "a failed restore left a new database behind"
else
  [ "$(sql "$gone" "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" = 0 ] && ok ||
    fail "a failed restore left tables behind"
fi
# a file that is not a database
echo 'not a database' >"$T/junk.db"
expect_exit 1 "$GONGFU" --db "$c" restore "$T/junk.db" --yes
expect_in "$T/err" "junk.db: not a database file"
unchanged "$c" "$c0" && ok || fail "junk restore changed the database"
# the database itself
expect_exit 1 G backup "$db" --force
expect_in "$T/err" "a file other than the database itself"
expect_exit 1 timeout 20 "$GONGFU" --db "$db" restore "$db" --yes || true # (timeout: never wait on itself)
expect_in "$T/err" "a backup, not the database itself"
# the administrator's only: a centre user may do neither
expect_exit 1 G --user P2 backup "$T/p2.db"
expect_in "$T/err" "P2 (role centre) may not"
[ ! -e "$T/p2.db" ] && ok || fail "a refused backup wrote a file"
a0=$(copydb "$db" a0)
expect_exit 1 G --user P2 restore "$T/b.db" --yes
unchanged "$db" "$a0" && ok || fail "a refused restore changed the database"
expect_exit 2 G backup
expect_in "$T/err" "file"
finish
