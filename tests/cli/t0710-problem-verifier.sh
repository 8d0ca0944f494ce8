#!/usr/bin/env bash
# The closing check of a problem is done by the acting user (review issue 18, item 6): the owner
# acting under their own name cannot pass it off as somebody else's check with --by, and the
# audit log records the person who really verified.  Refusals exit 1 and change nothing.
. "$(dirname "$0")/lib.sh"
db=$(newdb p)
G() { "$GONGFU" --db "$db" "$@"; }
q() { sql "$db" "$1"; }
export GONGFU_NOW=2024-08-15T09:00:00Z
cat >units.csv <<'EOF'
code,name,parent,level,area
9100,测试市,,city,urban
EOF
cat >people.csv <<'EOF'
code,name,department,team,unit,title,phone
P0001,督查员,,,9100,督查,
P0176,责任人,,,9100,科长,
P0200,经办人,,,9100,科员,
EOF
G import units units.csv >/dev/null
G import people people.csv >/dev/null
# the users act with their role's permission (the coordination centre raises, rectifies and
# verifies; a unit reporter rectifies); the closing check is the rule under test
for u in P0001 P0176 nobody; do G user add $u --role centre >/dev/null; done
G user add P0200 --role reporter --scope 9100 >/dev/null
# refused CMD...: exit 1 and not one byte of the database changed
refused() {
  local before
  before=$(dumpsum "$db")
  expect_exit 1 "$@" || true
  [ "$before" = "$(dumpsum "$db")" ] && ok || fail "refused command changed the database: $*"
}

expect_exit 0 G --user P0001 problems raise --unit 9100 --title 数据报送不及时 --severity medium --owner P0176 --deadline 2024-09-30
expect_exit 0 G --user P0176 problems rectify 1 --report 已整改
[ "$(q 'SELECT rectified_by FROM problem WHERE id = 1')" = P0176 ] && ok || fail "rectified_by is not the acting user"

# the owner verifies their own fix, naming P0001 as verifier: refused
refused G --user P0176 problems verify 1 --by P0001
expect_in "$T/err" 'field "by"' 'value "P0001"' 'the acting user (P0176)'
# ... and without --by: the owner is the verifier, which the closing check forbids
refused G --user P0176 problems verify 1
expect_in "$T/err" 'someone other than the owner (P0176)' 'P0176 may not verify it'
# an acting user who is no person of the register cannot verify
refused G --user nobody problems verify 1
expect_in "$T/err" 'value "nobody"' 'existing person'

# P0001 verifies (with or without --by naming themself): recorded as verifier and as actor
expect_exit 0 G --user P0001 problems verify 1 --by P0001
[ "$(q "SELECT status || ':' || verified_by FROM problem WHERE id = 1")" = "closed:P0001" ] && ok || fail "verifier: $(q 'SELECT * FROM problem')"
[ "$(q "SELECT actor FROM audit WHERE entity = 'problem' AND action = 'verify'")" = P0001 ] && ok ||
  fail "audit actor of the verification: $(q "SELECT * FROM audit WHERE action = 'verify'")"
[ "$(q "SELECT after FROM audit WHERE action = 'verify'" | jq -r .verified_by)" = P0001 ] && ok ||
  fail "audit after of the verification"

# the rectification too is reported by the acting user: P0200 cannot report it in the owner's
# name (and then pass the check as "someone else")
expect_exit 0 G --user P0001 problems raise --unit 9100 --title 台账不全 --severity low --owner P0176 --deadline 2024-09-30
refused G --user P0200 problems rectify 2 --by P0176 --report 已整改
expect_in "$T/err" 'field "by"' 'value "P0176"' 'the acting user (P0200)'
finish
