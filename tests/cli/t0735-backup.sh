#!/usr/bin/env bash
# gongfu backup / restore (issue 17): a backup is the whole database (users and the audit log),
# checked after it is written; a restore replaces the whole database by a backup whose audit
# chain holds, asks --yes before replacing data, creates a database that is gone, and refuses a
# tampered or foreign file, the database itself, and anyone but the administrator — changing
# nothing when it refuses.
. "$(dirname "$0")/lib.sh"
B=$GONGFU_SRC/tests/data/base
db=$T/a.db
G() { "$GONGFU" --db "$db" "$@"; }
for k in units framework values; do G import $k "$B/$k.csv" >/dev/null; done
G user add P2 --role centre >/dev/null
n=$(sqlite3 "$db" 'SELECT count(*) FROM audit')

# backup: the same content, the chain's head named, only tables with rows listed
expect_exit 0 G backup "$T/b.db"
expect_in "$T/out" "已备份到 $T/b.db" "审计链完整($n 条记录, 末条 #$n, 哈希 " "value" "app_user"
grep -q '^hh_visit ' "$T/out" && fail "empty table listed" || ok
[ "$(dump "$db")" = "$(dump "$T/b.db")" ] && ok || fail "backup differs from the database"
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
[ "$(dump "$db")" = "$(dump "$T/b.db")" ] && ok || fail "--force did not replace the backup"

# restore into a database that is gone: created, the same content
expect_exit 0 "$GONGFU" --db "$T/new.db" restore "$T/b.db"
expect_in "$T/out" "已从 $T/b.db 恢复" "审计链完整"
[ "$(dump "$T/new.db")" = "$(dump "$T/b.db")" ] && ok || fail "restored database differs from the backup"
expect_exit 0 "$GONGFU" --db "$T/new.db" audit verify

# restore over data: --yes first; without it nothing changes
"$GONGFU" --db "$T/c.db" import units "$B/units.csv" >/dev/null
cp "$T/c.db" "$T/c0.db"
expect_exit 1 "$GONGFU" --db "$T/c.db" restore "$T/b.db"
expect_in "$T/err" "--yes" "$T/c.db"
cmp -s "$T/c.db" "$T/c0.db" && ok || fail "refused restore changed the database"
expect_exit 0 "$GONGFU" --db "$T/c.db" --lang en restore "$T/b.db" --yes
expect_in "$T/out" "restored from $T/b.db: the rows of" "the audit chain holds"
[ "$(dump "$T/c.db")" = "$(dump "$T/b.db")" ] && ok || fail "restore --yes: database differs from the backup"

# a tampered backup is refused, the target unchanged
cp "$T/b.db" "$T/t.db"
sqlite3 "$T/t.db" "UPDATE audit SET actor = 'x' WHERE id = 3"
cp "$T/c0.db" "$T/c.db"
expect_exit 1 "$GONGFU" --db "$T/c.db" --lang en restore "$T/t.db" --yes
expect_in "$T/err" "$T/t.db: the audit chain does not hold (record #3"
cmp -s "$T/c.db" "$T/c0.db" && ok || fail "tampered restore changed the database"
# … and into a database that did not exist, none is left behind
expect_exit 1 "$GONGFU" --db "$T/gone.db" restore "$T/t.db"
[ ! -e "$T/gone.db" ] && ok || fail "a failed restore left a new database behind"
# a file that is not a database
echo 'not a database' >"$T/junk.db"
expect_exit 1 "$GONGFU" --db "$T/c.db" restore "$T/junk.db" --yes
expect_in "$T/err" "junk.db: not a database file"
cmp -s "$T/c.db" "$T/c0.db" && ok || fail "junk restore changed the database"
# the database itself
expect_exit 1 G backup "$db" --force
expect_in "$T/err" "a file other than the database itself"
expect_exit 1 G restore "$db" --yes
expect_in "$T/err" "a backup, not the database itself"
# the administrator's only: a centre user may do neither
expect_exit 1 G --user P2 backup "$T/p2.db"
expect_in "$T/err" "P2 (role centre) may not"
[ ! -e "$T/p2.db" ] && ok || fail "a refused backup wrote a file"
cp "$db" "$T/a0.db"
expect_exit 1 G --user P2 restore "$T/b.db" --yes
cmp -s "$db" "$T/a0.db" && ok || fail "a refused restore changed the database"
expect_exit 2 G backup
expect_in "$T/err" "file"
finish
