#!/usr/bin/env bash
# The public's suggestions (issue 16): sent without an account, nothing of the sender kept but a
# contact they give (never in the audit log, never published); the centre turns one into a
# problem, which must be rectified and verified before the suggestion is answered, or into a draft
# case; the answer is published.  Bad input and the wrong role change nothing.
. "$(dirname "$0")/lib.sh"
B=$GONGFU_SRC/tests/data/base
db=$(newdb v)
G() { "$GONGFU" --db "$db" "$@"; }
q() { sql "$db" "$1"; }
G import units "$B/units.csv" >/dev/null
printf 'code,name,unit\nP1,督查员,510400\nP2,责任人,510421\n' >people.csv
G import people people.csv >/dev/null
G user add P1 --role centre >/dev/null # raises, answers, verifies
G user add P2 --role centre >/dev/null # owns the problem and rectifies it
G user add L1 --role leader --scope 510421 >/dev/null
refused() { # refused CMD...: exit 1, not one byte changed
  local before; before=$(dumpsum "$db")
  expect_exit 1 "$@" || true
  [ "$before" = "$(dumpsum "$db")" ] && ok || fail "refused command changed the database: $*"
}

# anyone sends one (the public role holds the permission; the administrator here, over HTTP anyone)
expect_exit 0 G voice submit --text "村口道路破损, 雨天积水, 希望尽快修复" --topic services \
  --unit 510421001001 --contact 13800000000
expect_in "$T/out" "建议 #1 已收到"
[ "$(q "SELECT topic, unit, status, published FROM suggestion WHERE id = 1")" = "services|510421001001|new|0" ] && ok ||
  fail "stored: $(q 'SELECT * FROM suggestion')"
# the trail knows one came, not who sent it nor the contact
[ "$(q "SELECT actor FROM audit WHERE entity = 'suggestion'")" = public ] && ok || fail "audit actor"
[ "$(q "SELECT count(*) FROM audit WHERE after LIKE '%13800000000%' OR after LIKE '%道路%'")" = 0 ] && ok ||
  fail "the audit log holds the contact or the text"
expect_exit 0 G voice submit --text "建议增加便民服务点的代办事项" # no topic, no unit
[ "$(q "SELECT topic, CASE WHEN unit IS NULL THEN 1 ELSE 0 END FROM suggestion WHERE id = 2")" = "other|1" ] && ok || fail "defaults"

# bad input
refused G voice submit --text "修路"
expect_in "$T/err" 'field "text"' "a suggestion of 4 to 1000 characters"
refused G voice submit --text "$(printf '很%.0s' $(seq 1 1001))"
expect_in "$T/err" '(long text)'
refused G voice submit --text "有一条建议内容" --unit 999
expect_in "$T/err" 'field "unit": value "999"'
expect_exit 2 G voice submit --text "有一条建议内容" --topic weather
refused G voice submit --text "有一条建议内容" --contact "$(printf 'x%.0s' $(seq 1 121))"
expect_in "$T/err" 'field "contact"'

# who reads: the centre only; the public sees nothing until an answer is published
expect_exit 0 G --user P1 --format csv voice list
expect_in "$T/out" "13800000000" "村口道路破损"
refused G --user L1 voice list
expect_exit 0 G --format csv voice published
[ "$(wc -l <"$T/out")" -le 1 ] && ok || fail "published before any answer: $(cat "$T/out")"

# triage into a problem; the answer waits for the problem to close
expect_exit 0 G --user P1 voice problem 1 --title 村口道路积水 --severity medium --owner P2 --deadline 2026-09-30
expect_in "$T/out" "建议 #1 已转为问题 #1"
[ "$(q "SELECT status, problem FROM suggestion WHERE id = 1")" = "problem|1" ] && ok || fail "not linked"
[ "$(q "SELECT unit, owner, title FROM problem WHERE id = 1")" = "510421001001|P2|群众建议 #1: 村口道路积水" ] && ok ||
  fail "problem: $(q 'SELECT unit, owner, title FROM problem')"
refused G --user P1 voice problem 1 --title again --severity low --owner P2 --deadline 2026-09-30
expect_in "$T/err" "only a new one"
refused G --user P1 voice problem 2 --title 无单位 --severity low --owner P2 --deadline 2026-09-30
expect_in "$T/err" 'field "unit"' "the suggestion names none"
refused G --user P1 voice answer 1 --reply 已修复 --publish
expect_in "$T/err" "waits for problem #1" "verified and closed"
expect_exit 0 G --user P2 problems rectify 1 --report 已铺设排水沟
refused G --user P1 voice answer 1 --reply 已修复 --publish # rectified, not yet verified
expect_exit 0 G --user P1 problems verify 1
expect_exit 0 G --user P1 voice answer 1 --reply "已铺设排水沟, 问题已整改销号" --publish
expect_in "$T/out" "建议 #1 已答复并公开"
# published: the suggestion and the answer, never the contact
expect_exit 0 G --format json voice published
[ "$(jq -r '.[0].id, .[0].reply' "$T/out" | tr '\n' '|')" = "1|已铺设排水沟, 问题已整改销号|" ] && ok ||
  fail "published: $(cat "$T/out")"
grep -q 13800000000 "$T/out" && fail "the contact was published" || ok
# an answer without publishing stays with the centre
expect_exit 0 G --user P1 voice answer 2 --reply 已转交街道
expect_exit 0 G --format json voice published
[ "$(jq length "$T/out")" = 1 ] && ok || fail "an unpublished answer was published"
# triage into a draft case: the text is its summary, never the contact; a new one only
expect_exit 0 G voice submit --text "我们村用闲置农房办民宿, 村集体和农户按股分红, 值得推广" \
  --topic income --unit 510421001001 --contact 13900000000
id=$(q "SELECT max(id) FROM suggestion")
refused G --user P1 voice case "$id" --code CASE-V1 --title 闲置农房民宿 --themes " , "
expect_in "$T/err" 'field "themes"'
refused G --user P1 voice case "$id" --code CASE-V1 --title 闲置农房民宿 --themes 共同富裕 --unit 999
refused G --user L1 voice case "$id" --code CASE-V1 --title 闲置农房民宿 --themes 共同富裕
expect_exit 0 G --user P1 voice case "$id" --code CASE-V1 --title 闲置农房民宿 --themes "共同富裕，乡村旅游"
expect_in "$T/out" "已转为典型案例草稿 CASE-V1"
[ "$(q "SELECT status, case_code FROM suggestion WHERE id = $id")" = "case|CASE-V1" ] && ok || fail "not linked"
[ "$(q "SELECT unit, themes, status, note FROM case_study WHERE code = 'CASE-V1'")" = \
  "510421001001|共同富裕,乡村旅游|draft|来自群众建议 #$id" ] && ok ||
  fail "case: $(q "SELECT * FROM case_study")"
q "SELECT summary FROM case_study" | grep -q 闲置农房 && ok || fail "summary"
q "SELECT summary, note FROM case_study" | grep -q 13900000000 && fail "the contact went into the case" || ok
q "SELECT after FROM audit" | grep -q 13900000000 && fail "the contact is in the audit log" || ok
refused G --user P1 voice case "$id" --code CASE-V2 --title 再转一次 --themes 共同富裕
expect_in "$T/err" "only a new one"
expect_exit 0 G voice submit --text "另一条可推广的做法, 代码已被占用" --unit 510421001001
refused G --user P1 voice case "$((id + 1))" --code CASE-V1 --title 重复代码 --themes 共同富裕
expect_in "$T/err" "CASE-V1 exists already"
# a case's suggestion is answered whenever the centre likes
expect_exit 0 G --user P1 voice answer "$id" --reply "已收入典型案例库, 谢谢" --publish
[ "$(q "SELECT status, case_code, published FROM suggestion WHERE id = $id")" = "answered|CASE-V1|1" ] && ok ||
  fail "answered case"
expect_exit 0 G --user P1 --format csv voice list --status new
grep -q "代码已被占用" "$T/out" && ok || fail "the refused one is still new"
refused G --user P1 voice answer 9 --reply 无此建议
expect_in "$T/err" "no suggestion #9"
refused G --user L1 voice answer 2 --reply 领导不能答复
expect_exit 2 G voice
finish
