#!/usr/bin/env bash
# A SQLite database file is never lost or quietly damaged: output files refuse the database and
# any SQLite file (written by a temporary file renamed into place); `demo` works under the write
# lock (also while an import runs), leaves a killed run's file whole and never replaces a
# read-only file; a damaged file is named so; reads work on read-only media; usage errors exit 2.
# (Review issue 18, items 1, 2, 16, 17, 20; what demo and a newer schema do on either backend is
# t0131-demo-guard.)
# sqlite only: the files of a SQLite database (PostgreSQL's are the server's; t0131 and t0880 hold
# its cases)
. "$(dirname "$0")/lib.sh"
B=$GONGFU_SRC/tests/data/base
E=$GONGFU_SRC/tests/data/eval
sum() { sha256sum "$1" | cut -d' ' -f1; }
fresh() { # fresh DB: a small hand-made database (not a demo)
  rm -f "$1" "$1-wal" "$1-shm"
  for k in units framework values; do "$GONGFU" --db "$1" import $k "$B/$k.csv" >/dev/null; done
}
# one value of the demo changed by a user: the import that makes a demo "touched"
printf 'unit,indicator,period,value,source\n510400,budget_revenue,2026,64,mine\n' > mine.csv
mine() { sqlite3 "$1" "SELECT count(*) FROM value WHERE source = 'mine'"; }

# ---- 1. an output file never replaces the database or any SQLite file ------------------------
fresh g.db
before=$(sum g.db)
expect_exit 1 "$GONGFU" --db g.db export values -o g.db
expect_in "$T/err" "g.db is the database"
[ "$(sum g.db)" = "$before" ] && ok || fail "export -o g.db changed the database"
expect_exit 0 "$GONGFU" --db g.db units --format csv # still a working database
expect_in "$T/out" "510421001002"
ln -s g.db link.db
expect_exit 1 "$GONGFU" --db g.db export values -o link.db # another name for it
expect_in "$T/err" "link.db is the database"
expect_exit 1 "$GONGFU" --db g.db export values -o g.db-wal # one of its files
cp g.db other.db
expect_exit 1 "$GONGFU" --db g.db export values -o other.db # any SQLite file
expect_in "$T/err" "other.db is a database file"
[ "$(sum other.db)" = "$before" ] && ok || fail "export -o other.db changed that database"
mcda() { "$GONGFU" --db g.db mcda score --meta "$E/iMeta.csv" --data "$E/iData.csv" --sensitivity 20 --seed 1 "$@"; }
expect_exit 1 mcda --draws-out g.db
expect_in "$T/err" "g.db is the database"
expect_exit 1 mcda --draws-out other.db
[ "$(sum g.db)" = "$before" ] && [ "$(sum other.db)" = "$before" ] && ok || fail "--draws-out changed a database"
expect_exit 0 mcda --draws-out draws.csv
[ "$(head -c 4 draws.csv)" = "draw" ] && ok || fail "--draws-out wrote no draws"
# a normal output replaces the file whole, keeps its permissions, leaves no temporary file
printf 'old\n' > out.csv
chmod 640 out.csv
expect_exit 0 "$GONGFU" --db g.db export values -o out.csv
[ "$(head -1 out.csv)" = "unit,indicator,period,value,source,state" ] && ok || fail "export -o out.csv: $(head -1 out.csv)"
[ "$(stat -c %a out.csv)" = 640 ] && ok || fail "export -o changed the mode to $(stat -c %a out.csv)"
ls ./*.gongfu-* >/dev/null 2>&1 && fail "a temporary output file was left behind" || ok
expect_exit 1 "$GONGFU" --db g.db export values -o "$T" # a directory
expect_exit 0 "$GONGFU" --db g.db export values -o /dev/null # a device is written as a stream

# ---- 2. demo under the write lock, never over a read-only file -------------------------------
expect_exit 0 "$GONGFU" --db d0.db demo
# a read-only file is not replaced, even with --force and even by root
cp d0.db ro.db
chmod 444 ro.db
before=$(sum ro.db)
expect_exit 1 "$GONGFU" --db ro.db demo --force
expect_in "$T/err" "read-only"
[ "$(sum ro.db)" = "$before" ] && ok || fail "demo replaced a read-only database"
chmod 644 ro.db
# killed in the middle, demo --force leaves the database as it was
cp d0.db d.db
"$GONGFU" --db d.db import values mine.csv >/dev/null
"$GONGFU" --db d.db demo --force >/dev/null 2>&1 &
pid=$!
sleep 1
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
[ "$(sqlite3 d.db 'PRAGMA integrity_check')" = ok ] && ok || fail "integrity_check after a killed demo"
n=$(mine d.db)
[ "$n" = 1 ] || [ "$(sqlite3 d.db "SELECT value FROM meta WHERE key = 'demo'")" = 1 ] && ok ||
  fail "a killed demo left neither the old database nor a demo"
# demo while a large import writes: either the import's rows are there or it reported failure
villages=$(sqlite3 d0.db "SELECT group_concat(code, ' ') FROM unit WHERE level = 4")
awk -v v="$villages" 'BEGIN { n = split(v, u, " "); print "unit,household,size,income,weight";
  for (i = 0; i < 600000; i++) printf "%s,H%d,%d,%d,1\n", u[i % n + 1], i, 1 + i % 5, 10000 + (i * 37) % 90000 }' > big.csv
# (the import first, the demo 0.05 s or 1 s later; then the demo first, the import 0.5 s later)
for order in import:0.05 import:1 demo:0.5; do
  cp d0.db c.db
  first=${order%:*} wait_s=${order#*:}
  import() { local rc=0; "$GONGFU" --db c.db import households big.csv --period 2030 >imp.out 2>imp.err || rc=$?; echo $rc >imp.rc; }
  demo() { local rc=0; "$GONGFU" --db c.db demo >demo.out 2>demo.err || rc=$?; echo $rc >demo.rc; }
  if [ "$first" = import ]; then import & sleep "$wait_s"; demo; else demo & sleep "$wait_s"; import; fi
  wait
  rows=$(sqlite3 c.db "SELECT count(*) FROM income_microdata WHERE period = '2030'")
  if [ "$(cat imp.rc)" = 0 ]; then
    [ "$rows" = 600000 ] && ok || fail "import reported success ($(cat imp.out)) but $rows of its rows are there (demo exit $(cat demo.rc))"
  else
    [ -s imp.err ] && ok || fail "import failed without a message"
  fi
  [ "$(sqlite3 c.db 'PRAGMA integrity_check')" = ok ] && ok || fail "integrity_check after demo and import"
  echo "  $first first, the other ${wait_s}s later: demo exit $(cat demo.rc), import exit $(cat imp.rc), $rows rows"
done

# ---- 16. a damaged database is named so, and nothing is written to it -------------------------
cp d0.db bad.db
root=$(sqlite3 bad.db "SELECT rootpage FROM sqlite_schema WHERE name = 'framework'")
dd if=/dev/zero of=bad.db bs=4096 seek=$((root - 1)) count=1 conv=notrunc 2>/dev/null
before=$(sum bad.db)
expect_exit 1 "$GONGFU" --db bad.db import values mine.csv
expect_in "$T/err" "damaged" "Page $root"
expect_exit 1 "$GONGFU" --db bad.db eval --period 2024
expect_in "$T/err" "damaged"
[ "$(sum bad.db)" = "$before" ] && ok || fail "a command wrote to a damaged database"
cp d0.db bad.db
sqlite3 bad.db "DROP TABLE framework_node"
expect_exit 1 "$GONGFU" --db bad.db units
expect_in "$T/err" "table 'framework_node' is missing"
cp d0.db bad.db
dd if=/dev/urandom of=bad.db bs=1 count=16 conv=notrunc 2>/dev/null
expect_exit 1 "$GONGFU" --db bad.db units
expect_in "$T/err" "not a database file, or its header is damaged"
sqlite3 foreign.db "CREATE TABLE x (a)"
expect_exit 1 "$GONGFU" --db foreign.db import values mine.csv
expect_in "$T/err" "not a gongfu database"
[ "$(sqlite3 foreign.db "SELECT count(*) FROM sqlite_schema")" = 1 ] && ok || fail "gongfu wrote into another program's database"

# ---- 17. reads work on read-only media (as an unprivileged user: root ignores permissions) ---
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
if ! command -v setpriv >/dev/null || ! as_nobody "$GONGFU" --version >/dev/null 2>&1; then
  echo "SKIP: cannot run gongfu as nobody (setpriv), read-only media not tested"
else
  chmod 755 "$T"
  mkdir rodir rwdir && cp d0.db rodir/t.db && cp d0.db rwdir/t.db
  chmod 444 rodir/t.db rwdir/t.db && chmod 555 rodir && chmod 777 rwdir
  for db in rodir/t.db rwdir/t.db; do
    expect_exit 0 as_nobody "$GONGFU" --db "$db" units --format csv
    expect_in "$T/out" "510400,攀枝花市"
    expect_exit 0 as_nobody "$GONGFU" --db "$db" export values
    expect_in "$T/out" "510400,budget_revenue,2019,63.19"
    expect_exit 0 as_nobody "$GONGFU" --db "$db" eval --period 2024 --level county --format csv
    expect_exit 0 as_nobody "$GONGFU" --db "$db" items report
    expect_exit 1 as_nobody "$GONGFU" --db "$db" import values "$T/mine.csv"
    expect_in "$T/err" "read-only"
  done
  [ "$(sum rodir/t.db)" = "$(sum d0.db)" ] && ok || fail "a read changed the read-only database"
  chmod 755 rodir
fi

# ---- 20. usage errors exit 2 --------------------------------------------------------------------
expect_exit 2 "$GONGFU" --db
expect_in "$T/err" "--db needs a value"
expect_exit 2 "$GONGFU" --db units # --db took "units": no command is left
expect_exit 2 "$GONGFU" units --db # only stats takes a bare --db
expect_exit 2 "$GONGFU" --db= units
expect_exit 2 "$GONGFU" --user= units
expect_exit 2 "$GONGFU" --lang en
expect_exit 2 "$GONGFU" help --bogus
expect_in "$T/err" "'--bogus'"
expect_exit 2 "$GONGFU" help units extra
expect_exit 2 "$GONGFU" version extra
expect_exit 0 "$GONGFU" help units
expect_exit 0 "$GONGFU" --help units
expect_exit 0 "$GONGFU"
expect_exit 0 "$GONGFU" --db d0.db stats --db --period 2024 --format csv # the bare --db of stats
expect_in "$T/out" "gini"
finish
