#!/usr/bin/env bash
# The value workflow as a control, not advice (review issue 18, item 5): whoever submitted a value
# cannot approve it; an import cannot approve; approved values are locked (a change is refused
# naming the value, the same file again changes nothing); `values unlock` by an approver, with a
# reason, audited, opens them again.  Refusals exit 1 and leave the database as it was.
. "$(dirname "$0")/lib.sh"
B=$GONGFU_SRC/tests/data/base
db=$(newdb w)
G() { "$GONGFU" --db "$db" "$@"; }
q() { sql "$db" "$1"; }
for k in units framework; do G import $k "$B/$k.csv" >/dev/null; done
# P1 and P2 both may approve the community's values (the coordination centre and the district's
# approver); separation of duties is the rule under test
G user add P1 --role centre >/dev/null
G user add P2 --role approver --scope 510402 >/dev/null
# refused CMD...: exit 1 and not one byte of the database changed
refused() {
  local before
  before=$(dumpsum "$db")
  expect_exit 1 "$@" || true
  [ "$before" = "$(dumpsum "$db")" ] && ok || fail "refused command changed the database: $*"
}

# P1 imports the community's 2024 values as submitted: P1 is recorded as the submitter
cat >"$T/v.csv" <<'EOF'
unit,indicator,period,value,source,state
510402001001,income_urban,2024,60000,村报表,submitted
510402001001,income_rural,2024,30000,村报表,submitted
EOF
expect_exit 0 G --user P1 import values "$T/v.csv"
[ "$(q "SELECT state || ':' || submitted_by FROM value" | paste -sd' ')" = "submitted:P1 submitted:P1" ] && ok ||
  fail "submitter not recorded: $(q 'SELECT * FROM value')"

# the same user cannot approve what they submitted (nothing approved)
refused G --user P1 values approve --unit 510402001001 --period 2024
expect_in "$T/err" 'submitted by P1' 'whoever submitted a value cannot approve it'
# another user can; who approved is recorded and audited
expect_exit 0 G --user P2 values approve --unit 510402001001 --period 2024
expect_in "$T/out" '2 条数据已审核通过'
[ "$(q "SELECT state || ':' || submitted_by || ':' || approved_by FROM value" | paste -sd' ')" = \
  "approved:P1:P2 approved:P1:P2" ] && ok || fail "approver not recorded: $(q 'SELECT * FROM value')"
[ "$(q "SELECT count(*) FROM audit WHERE actor = 'P2' AND action = 'approved' AND entity = 'value'")" = 2 ] && ok ||
  fail "approvals not audited"

# the same file again over approved values: nothing changes, nothing refused
before=$(dumpsum "$db")
expect_exit 0 G --lang en --user P1 import values "$T/v.csv"
expect_in "$T/out" '2 rows, 0 inserted, 0 updated, 2 unchanged'
[ "$before" = "$(dumpsum "$db")" ] && ok || fail "re-importing the same file changed approved values"
# ... even without a state column (the default, draft, does not take the approval back)
printf 'unit,indicator,period,value,source\n510402001001,income_urban,2024,60000,村报表\n' >"$T/nostate.csv"
expect_exit 0 G --user P1 import values "$T/nostate.csv"
[ "$(q "SELECT state FROM value WHERE indicator = 'income_urban'")" = approved ] && ok ||
  fail "an import turned an approved value back to draft"
# ... and the export of approved values imports again unchanged (round trip)
expect_exit 0 G export values -o "$T/export.csv"
expect_exit 0 G --lang en --user P1 import values "$T/export.csv"
expect_in "$T/out" '0 inserted, 0 updated, 2 unchanged'

# a change to an approved value is refused, naming the value and the unlock
printf 'unit,indicator,period,value,source\n510402001001,income_urban,2024,61000,村报表\n' >"$T/change.csv"
refused G --user P1 import values "$T/change.csv"
expect_in "$T/err" 'change.csv:2' 'field "value"' 'value "61000"' '510402001001/income_urban/2024' \
  'approved and locked' 'gongfu values unlock --unit 510402001001 --period 2024 --indicator income_urban'

# an import cannot approve: state=approved is refused naming file, line, field and value
cat >"$T/approve.csv" <<'EOF'
unit,indicator,period,value,source,state
510402001001,households,2024Q1,10,村报表,draft
510402001001,households,2024Q2,11,村报表,approved
EOF
refused G --user P1 import values "$T/approve.csv"
expect_in "$T/err" 'approve.csv:3' 'field "state"' 'value "approved"' 'an import cannot approve'
printf '{"unit":"510402001001","indicator":"households","period":"2024Q3","value":12,"state":"approved"}\n' >"$T/approve.jsonl"
refused G --user P1 import values "$T/approve.jsonl"
expect_in "$T/err" 'approve.jsonl:1' 'field "state"' 'value "approved"'

# unlock: needs a reason (usage), then opens the value again, audited with the reason
expect_exit 2 G --user P2 values unlock --unit 510402001001 --period 2024 --indicator income_urban
expect_in "$T/err" '--reason'
refused G --user P2 values unlock --unit 510402001001 --period 2024 --indicator income_urban --reason '  '
expect_in "$T/err" 'field "reason"'
expect_exit 0 G --user P2 values unlock --unit 510402001001 --period 2024 --indicator income_urban --reason 村报表更正
expect_in "$T/out" '1 条已审核数据已解锁'
[ "$(q "SELECT state || ':' || coalesce(submitted_by, '-') || ':' || coalesce(approved_by, '-') FROM value WHERE indicator = 'income_urban'")" = \
  "draft:-:-" ] && ok || fail "unlock did not open the value"
[ "$(q "SELECT actor || '|' || action || '|' || key || '|' || before || '|' || after FROM audit ORDER BY id DESC LIMIT 1")" = \
  'P2|unlock|510402001001/income_urban/2024|{"state":"approved","submitted_by":"P1","approved_by":"P2"}|{"state":"draft","reason":"村报表更正"}' ] &&
  ok || fail "unlock not audited: $(q 'SELECT * FROM audit ORDER BY id DESC LIMIT 1')"
# the other value stays locked; the unlocked one takes the change
expect_exit 0 G --user P1 import values "$T/change.csv"
[ "$(q "SELECT CAST(value AS INTEGER) || ':' || state FROM value WHERE indicator = 'income_urban'")" = "61000:draft" ] && ok ||
  fail "change after unlock"
[ "$(q "SELECT state FROM value WHERE indicator = 'income_rural'")" = approved ] && ok || fail "unlock reached another value"
finish
