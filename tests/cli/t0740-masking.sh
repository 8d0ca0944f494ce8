#!/usr/bin/env bash
# Personal data is masked in every output (review issue 18, item 9): people's phones in `export
# people`; ID numbers, phones, heads' and members' names inside the audit log's before/after in
# `export audit`; names in the household list, export, page and alerts (张小华 → 张*华).
# --unmasked shows them and is recorded in the audit log before anything is printed.
. "$(dirname "$0")/lib.sh"
db=$(newdb m)
G() { "$GONGFU" --db "$db" "$@"; }
q() { sql "$db" "$1"; }
G import units "$GONGFU_SRC/tests/data/base/units.csv" >/dev/null
G user add P9 --role admin >/dev/null # reads unmasked below: it manages people and the audit log, and may unmask households
cat >people.csv <<'EOF'
code,name,department,team,unit,title,phone
C1,周帮扶,,,510421001,结对帮扶干部,13711112222
C2,吴帮扶,,,510421001,结对帮扶干部,13733334444
EOF
cat >households.csv <<'EOF'
code,unit,head_name,address,phone,area
H1,510421001001,张小华,乙村1组,13812345678,
H2,510421001002,欧阳一二,丙村2组,13900001111,
EOF
cat >members.csv <<'EOF'
household,seq,name,relation,id_number,age
H1,1,张小华,户主,510421198001010017,46
H1,2,陈红,配偶,510421198203050025,44
H2,1,欧阳一二,户主,510421197002020044,56
EOF
G import people people.csv >/dev/null
G households import households households.csv >/dev/null
G households import members members.csv >/dev/null
expect_exit 0 G households flag --household H1 --date 2026-01-10
expect_exit 0 G households identify H1 --category edge --steps all --date 2026-01-20
full='13711112222|13733334444|13812345678|13900001111|510421198001010017|510421198203050025|510421197002020044|张小华|陈红|欧阳一二'
# leaks FILE WHAT: none of the personal values appear in FILE
leaks() {
  if grep -qE "$full" "$1"; then fail "$2 shows personal data: $(grep -oE "$full" "$1" | sort -u | tr '\n' ' ')"; else ok; fi
}

# ---- masked by default, in every format
for fmt in csv json; do
  expect_exit 0 G --format $fmt export people
  leaks "$T/out" "export people --format $fmt"
  expect_in "$T/out" '137****2222' '137****4444'
  expect_exit 0 G --format $fmt export audit
  leaks "$T/out" "export audit --format $fmt"
done
expect_exit 0 G export audit
expect_in "$T/out" '""head_name"":""张*华""' '""head_name"":""欧**二""' '""phone"":""138****5678""' \
  '""name"":""陈*""' '""id_number"":""510421********0017""' '""phone"":""137****2222""'
# the rest of a record is as stored: unit codes, addresses, the people's names (officials)
expect_in "$T/out" '""unit"":""510421001001""' '""name"":""周帮扶""'
for fmt in table csv json; do
  expect_exit 0 G --format $fmt households list
  leaks "$T/out" "households list --format $fmt"
  expect_exit 0 G --format $fmt households export
  leaks "$T/out" "households export --format $fmt"
  expect_exit 0 G --format $fmt households show H1
  leaks "$T/out" "households show --format $fmt"
  expect_exit 0 G --format $fmt households alerts
  leaks "$T/out" "households alerts --format $fmt"
done
expect_exit 0 G --format csv households export
expect_in "$T/out" 'H1,510421001001,张*华,138****5678,identified,edge,1,张*华,户主,510421********0017' \
  'H1,510421001001,张*华,138****5678,identified,edge,2,陈*,配偶' 'H2,510421001002,欧**二'
expect_exit 0 G --format csv households alerts --rule no_cadre
expect_in "$T/out" 'H1,510421001001,张*华,identified'
[ "$(q "SELECT count(*) FROM audit WHERE action = 'read_unmasked'")" = 0 ] && ok || fail "masked reads recorded as unmasked"

# ---- --unmasked: shown as stored, and the read recorded first (who, what, how many rows)
expect_exit 0 G --user P9 export people --unmasked
expect_in "$T/out" '13711112222' '13733334444'
expect_exit 0 G --user P9 export audit --unmasked -o "$T/audit.csv"
expect_in "$T/audit.csv" '510421198001010017' '13812345678' '张小华' '欧阳一二' '陈红'
# the unmasked read of the people before it is in the log
expect_in "$T/audit.csv" 'P9,read_unmasked,person'
expect_exit 0 G --user P9 households alerts --unmasked --format csv
expect_in "$T/out" '张小华'
expect_exit 0 G --user P9 households show H1 --unmasked
expect_in "$T/out" '张小华' '陈红' '510421198001010017'
[ "$(q "SELECT actor || ':' || entity || ':' || json_extract(after, '$.command') || ':' || json_extract(after, '$.fields') FROM audit WHERE action = 'read_unmasked' ORDER BY id" | paste -sd' ')" = \
  "P9:person:export people:phone P9:audit:export audit:head_name,name,id_number,phone P9:household:households alerts:head_name,name,id_number,phone P9:household:households show:head_name,name,id_number,phone" ] &&
  ok || fail "unmasked reads: $(q "SELECT * FROM audit WHERE action = 'read_unmasked'")"
# --unmasked where there is nothing personal is a usage error
expect_exit 2 G export units --unmasked
expect_in "$T/err" 'applies to people and audit'
finish
