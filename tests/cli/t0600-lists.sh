#!/bin/bash
# t0600-lists.sh — the four lists, problems and the horse race through the real binary:
# imports of items and progress, bad input (unknown unit or person, due before start, progress on
# a closed item, negative investment) → a message naming file/line/field/value, exit 1 and a
# byte-identical database; the problem loop; flags on a fixed date; the race output.
. "$GONGFU_SRC/tests/cli/lib.sh"
db=$(newdb l)
G() { "$GONGFU" --db "$db" "$@"; }

# ---- fixtures: 1 city, 3 counties, 2 work teams, departments, people ----
cat >units.csv <<'EOF'
code,name,name_en,parent,level,area,population,note
9100,测试市,Test City,,city,urban,,
9101,甲区,A District,9100,county,urban,,
9102,乙县,B County,9100,county,rural,,
9103,丙县,C County,9100,county,rural,,
EOF
cat >teams.csv <<'EOF'
code,name,name_en,kind,note
T00,领导小组,Leading group,leading,
T01,改革专班,Reform team,work,
T02,发展专班,Development team,work,
EOF
cat >departments.csv <<'EOF'
code,name,name_en,team,unit
D01,发改委,Development commission,T02,9100
D02,改革办,Reform office,T01,9100
EOF
cat >people.csv <<'EOF'
code,name,department,team,unit,title,phone
P1,张一,D01,T02,9100,主任,
P2,王二,D02,T01,9100,主任,
P3,李三,D01,T02,9101,科长,
EOF
expect_exit 0 G init
for k in units teams departments people; do expect_exit 0 G import $k $k.csv; done
# who acts: P1 and P3 of the coordination centre (may rectify and verify: the closing check
# still refuses the owner), team reporters of T01 and T02, a reporter of the county 9102
expect_exit 0 G user add P1 --role centre
expect_exit 0 G user add P3 --role centre
expect_exit 0 G user add t01 --role team --team T01
expect_exit 0 G user add t02 --role team --team T02
expect_exit 0 G user add r9102 --role reporter --scope 9102

cat >items.csv <<'EOF'
code,title,kind,leader,lead_unit,owner,coop_units,team,unit,start,due,status,completed,invest_planned,invest_done,funds_requested,start_planned,start_actual,complete_planned,synthetic
I1,钒钛产业园,project,P1,D01,P3,D02;9101,T02,9101,2024-01-01,2024-12-31,active,,5000,,,2024-03-01,2024-03-10,2024-11-30,1
I2,争取中央预算内资金,upward,P1,9102,P1,,T02,9102,2024-01-01,2024-06-30,active,,,,3000,,,,1
I3,户籍制度改革,reform,P2,D02,P2,,T01,9103,2024-01-01,2024-03-31,done,2024-03-20,,,,,,,1
EOF
expect_exit 0 G items import items.csv
expect_in out "3 行, 新增 3"
# idempotent
expect_exit 0 G --lang en items import items.csv
expect_in out "3 rows, 0 inserted, 0 updated, 3 unchanged"

# JSON items and a custom kind
printf 'code,name,name_en\nsafety,安全生产事项,safety item\n' >kinds.csv
expect_exit 0 G items import kinds.csv --what kinds
printf '[{"code":"I4","title":"安全生产专项整治","kind":"safety","lead_unit":"9103","owner":"P2","start":"2026-01-01","due":"2026-06-30","invest_planned":0}]' >items.json
expect_exit 0 G --lang en items import items.json
expect_in out '1 rows, 1 inserted'
expect_exit 0 G --lang en --format csv items list --kind safety
expect_in out 'I4,安全生产专项整治,safety,safety item,9103,P2'

cat >progress.csv <<'EOF'
item,date,percent,text,invest_done,funds_secured,reported_by
I1,2024-03-31,20,开工,800,,P3
I1,2024-06-30,45,主体施工,2000,,P3
I2,2024-04-15,60,已批复部分,,1800,P1
EOF
expect_exit 0 G items import progress.csv --what progress
expect_exit 0 G --lang en items import progress.csv --what progress
expect_in out "3 rows, 0 inserted, 0 updated, 3 unchanged"

# ---- bad input: message names file, line, field, value; exit 1; database unchanged ----
dump "$db" >before.sql
bad() { # bad FILE WHAT EXPECTED-TEXT...
  local f=$1 what=$2; shift 2
  expect_exit 1 G items import "$f" --what "$what"
  expect_in err "$@"
  dump "$db" >after.sql
  if cmp -s before.sql after.sql; then ok; else fail "database changed by $f"; fi
}
H='code,title,kind,lead_unit,owner,team,unit,start,due,invest_planned'
printf '%s\nJ1,新项目,project,D01,P1,T02,9101,2024-01-01,2024-12-31,100\nJ2,坏单位,task,NOWHERE,P1,T02,9101,2024-01-01,2024-12-31,\n' "$H" >bad-unit.csv
bad bad-unit.csv items 'bad-unit.csv:3' 'lead_unit' 'NOWHERE' 'department or unit'
printf '%s\nJ1,新项目,project,D01,P9,T02,9101,2024-01-01,2024-12-31,100\n' "$H" >bad-person.csv
bad bad-person.csv items 'bad-person.csv:2' 'owner' 'P9' 'person'
printf '%s\nJ1,新项目,project,D01,P1,T02,9199,2024-01-01,2024-12-31,100\n' "$H" >bad-unit2.csv
bad bad-unit2.csv items 'bad-unit2.csv:2' 'unit' '9199'
printf '%s\nJ1,新项目,project,D01,P1,T02,9101,2024-05-01,2024-04-30,100\n' "$H" >bad-due.csv
bad bad-due.csv items 'bad-due.csv:2' 'due' '2024-04-30' 'on or after start (2024-05-01)'
printf '%s\nJ1,新项目,project,D01,P1,T02,9101,2024-01-01,2024-12-31,-100\n' "$H" >bad-money.csv
bad bad-money.csv items 'bad-money.csv:2' 'invest_planned' '-100' '>= 0'
printf '%s\nJ1,新项目,sideline,D01,P1,T02,9101,2024-01-01,2024-12-31,1\n' "$H" >bad-kind.csv
bad bad-kind.csv items 'bad-kind.csv:2' 'kind' 'sideline'
printf 'item,date,percent,reported_by\nI1,2024-09-30,60,P3\nI3,2024-04-01,100,P2\n' >bad-closed.csv
bad bad-closed.csv progress 'bad-closed.csv:3' 'item' 'I3' 'closed'
printf 'item,date,percent,invest_done,reported_by\nI1,2024-09-30,60,-1,P3\n' >bad-neg.csv
bad bad-neg.csv progress 'bad-neg.csv:2' 'invest_done' '-1' '>= 0'
printf 'item,date,percent,reported_by\nI1,2024-09-30,60,P7\n' >bad-reporter.csv
bad bad-reporter.csv progress 'bad-reporter.csv:2' 'reported_by' 'P7'
printf 'item,date,percent,reported_by\nI9,2024-09-30,60,P3\n' >bad-item.csv
bad bad-item.csv progress 'bad-item.csv:2' 'item' 'I9'
printf '[{"item":"I1","date":"2024-09-30","percent":160,"reported_by":"P3"}]' >bad.json
bad bad.json progress 'bad.json:1' 'percent' '160' '0 to 100'
# the command line: progress on a closed item
expect_exit 1 G items progress I3 --percent 100 --date 2024-04-01 --by P2
expect_in err 'I3' 'closed'
dump "$db" >after.sql
cmp -s before.sql after.sql && ok || fail "database changed by items progress on a closed item"

# ---- listings ----
expect_exit 0 G --format csv items list
expect_in out 'code,title,kind,kind_name' 'I1,钒钛产业园,project,重大项目' 'I3,户籍制度改革,reform,改革事项'
expect_exit 0 G --lang en --format csv items list --kind upward
expect_in out 'I2,争取中央预算内资金,upward,upward funding'
[ "$(wc -l <out)" -eq 2 ] && ok || fail "items list --kind upward: $(cat out)"
expect_exit 0 G --lang en items show I1
expect_in out 'responsible leader: P1' "leader's name: 张一" 'lead unit: D01' \
  "lead unit's name: Development commission" 'cooperating units: 9101;D02' '== milestones ==' \
  '== progress ==' '== problems =='
grep -Eq '^start of works +2024-03-01 +2024-03-10 +0$' out && ok || fail "milestone start: $(cat out)"
grep -Eq '^2024-06-30 +45 +主体施工 +2000 +P3$' out && ok || fail "progress 2024-06-30: $(cat out)"
expect_exit 0 G --format json items show I1
expect_in out '"item": {"code": "I1"' '"milestones": [' '"milestone": "start", "planned": "2024-03-01", "done": "2024-03-10", "overdue": 0'
expect_exit 1 G items show NOPE
expect_in err 'NOPE'

# ---- reach: a team reporter sees and reports on the items its team leads or joins; a unit's
# reporter those lying in its unit ----
expect_exit 0 G --user t01 --format csv items list
# T01 leads I3 (its team) and joins I1 (cooperating D02, a T01 department); not I2 (T02's)
expect_in out 'I1,' 'I3,'
if grep -q '^I2,' out; then fail "team T01 sees I2: $(cat out)"; else ok; fi
expect_exit 0 G --user r9102 --format csv items list
[ "$(cut -d, -f1 out | tr '\n' ' ')" = "code I2 " ] && ok || fail "reporter of 9102: $(cat out)"
expect_exit 1 G --user r9102 items show I1
expect_in err 'I1' 'outside the scope of r9102'
dump "$db" >before.sql
expect_exit 1 G --user t02 items progress I3 --percent 50 --date 2024-03-01 --by P3
expect_in err 'team T02' 'neither leads nor joins list item I3'
expect_exit 1 G --user r9102 items progress I2 --percent 70 --by P1
expect_in err 'r9102 (role reporter) may not'
dump "$db" >after.sql
cmp -s before.sql after.sql && ok || fail "a refused progress report changed the database"

# ---- flags on a fixed date ----
export GONGFU_NOW=2024-08-15T00:00:00Z
expect_exit 0 G --lang en --format csv items report
# I2 due 2024-06-30, 46 days late; its last report 2024-04-15 → 122 days: stalled at 60;
# I1's last report 2024-06-30 → 46 days, not stalled at 60;
# I1 investment: plan 5000 × 227/365 = 3109.6, done 2000 < 90% → behind
expect_in out 'item overdue,I2,争取中央预算内资金,,2024-06-30,46,,' 'investment behind plan,I1,钒钛产业园,,2024-08-15,,2000,3109.5' \
  'stalled,I2,争取中央预算内资金,,2024-04-15,122'
if grep -q 'stalled,I1' out; then fail "I1 is not stalled at 60 days"; else ok; fi
[ "$(wc -l <out)" -eq 4 ] && ok || fail "items report: $(cat out)"
expect_exit 0 G --lang en --format csv items report --stalled-days 30
expect_in out 'stalled,I1,钒钛产业园,,2024-06-30,46'

# ---- problems: raise, rectify, verify by someone else, reopen ----
expect_exit 0 G problems raise --item I1 --title 投资进度滞后 --severity high --owner P3 --deadline 2024-09-30
expect_in out '#1'
expect_exit 1 G problems raise --unit 9999 --title x --severity low --owner P3 --deadline 2024-09-30
expect_in err 'unit' '9999'
expect_exit 1 G problems raise --item I1 --title x --severity urgent --owner P3 --deadline 2024-09-30
expect_in err 'severity' 'urgent'
expect_exit 1 G problems raise --item I1 --title x --severity low --owner P3 --deadline 2024-08-14
expect_in err 'deadline' '2024-08-14' 'on or after today (2024-08-15)'
expect_exit 1 G items progress I1 --percent 50 --date 2024-08-16 --by P3
expect_in err 'date' '2024-08-16' 'not after today (2024-08-15)'
expect_exit 1 G --user P1 problems verify 1
expect_in err 'only a rectified problem'
expect_exit 0 G --user P3 problems rectify 1 --by P3 --report 已加快施工
expect_exit 1 G --user P3 problems verify 1
expect_in err 'someone other than the owner'
dump "$db" >before.sql
expect_exit 1 G --user P3 problems verify 1 --by P3
dump "$db" >after.sql
cmp -s before.sql after.sql && ok || fail "refused verification changed the database"
expect_exit 0 G --user P1 problems verify 1 --by P1
expect_exit 0 G --format csv problems list
expect_in out '1,I1,,投资进度滞后,high,P3,2024-09-30,closed,2024-08-15,P3,P1,2024-08-15,0,0'
expect_exit 0 G problems reopen 1 --reason 复查未达标
expect_exit 0 G --format csv problems list --status open
expect_in out '1,I1,,投资进度滞后,high,P3,2024-09-30,open'
[ "$(sql "$db" "SELECT count(*) FROM audit WHERE entity='problem'")" = 4 ] && ok || fail "problem audit rows"
# the team leading I1 reports its progress (the reporter named: P3)
expect_exit 0 G --lang en --user t02 items progress I1 --percent 50 --by P3
expect_in out 'I1: progress recorded (written)'
[ "$(sql "$db" "SELECT actor FROM audit WHERE entity = 'progress' ORDER BY id DESC LIMIT 1")" = t02 ] && ok ||
  fail "progress audited under the acting user"

# ---- the race: evaluation runs for 2023 and 2024 (ranks by hand) ----
sql "$db" "INSERT INTO framework (code,name) VALUES ('fw','测试');
INSERT INTO framework_node (framework,code,parent,kind) VALUES ('fw','IDX',NULL,'index');
INSERT INTO period VALUES ('2023','year',2023,0,'2023-01-01','2023-12-31') ON CONFLICT DO NOTHING;
INSERT INTO period VALUES ('2024','year',2024,0,'2024-01-01','2024-12-31') ON CONFLICT DO NOTHING;
INSERT INTO eval_run VALUES (1,'fw','2023',2,'{}',0,NULL,'t','t'),(2,'fw','2024',2,'{}',500,1,'t','t');
INSERT INTO eval_result (run,unit,node,score,rank,rank_change,rank_p05,rank_p95) VALUES
 (1,'9101','IDX',80,1,NULL,NULL,NULL),(1,'9102','IDX',70,2,NULL,NULL,NULL),(1,'9103','IDX',60,3,NULL,NULL,NULL),
 (2,'9102','IDX',82,1,1,1,1),(2,'9101','IDX',79,2,-1,1,2),(2,'9103','IDX',50,3,0,3,3);"
export GONGFU_NOW=2025-02-01T00:00:00Z
expect_exit 0 G --lang en --format csv race --period 2024 --units
# By hand (weights .35 .10 .15 .15 .10 .05 .10 over the components that apply, as of 2024-12-31):
# 9102: eval 100, improve 50+50·1/2 = 75, items 0/1 (I2 due 06-30 not done), funds 1800/3000 = 60,
#   problems 100 → (35 + 7.5 + 0 + 3 + 10)/0.75 = 74
# 9103: eval 0, improve 50, items 1/1 (I3 done 03-20 ≤ 03-31), problems 100 → 30/0.70 = 42.857
# 9101: eval 50, improve 25, milestones 0/2 (start late, completion missed), items 0/1,
#   invest 2000/5000 = 40, problem #1 open and overdue → 100−10−20 = 70 → 31/0.95 = 32.632
# 2023 (evaluation only): 9101 1st, 9102 2nd, 9103 3rd → rank change +1, +1, −2.
# 9101 is last, but its evaluation rank may be 1 or 2 (stored 5–95% band 1..2): with rank 1 it
# would score 51.05 and pass 9103 → its rank is uncertain: no black list, snail award pending.
expect_in out 'group,rank,code,name,score,prev_rank,rank_change'
grep -Eq '^unit,1,9102,乙县,(74|73\.9+[0-9]*|74\.0+[0-9]*),2,1,' out && ok || fail "9102: $(cat out)"
grep -Eq '^unit,2,9103,丙县,42\.857[0-9]*,3,1,' out && ok || fail "9103: $(cat out)"
grep -Eq '^unit,3,9101,甲区,32\.63[0-9]*,1,-2,' out && ok || fail "9101: $(cat out)"
grep -q '^unit,1,9102,.*,red,best,' out && ok || fail "red list / best award: $(cat out)"
grep -q '^unit,3,9101,.*,uncertain,slowest_uncertain,' out && ok || fail "uncertain: $(cat out)"
if grep -q ',black,' out; then fail "nobody is certain enough for the black list"; else ok; fi
# without the evaluation's sensitivity 9101 is certainly last → black list and snail award
sql "$db" "UPDATE eval_result SET rank_p05 = NULL, rank_p95 = NULL"
expect_exit 0 G --lang en --format csv race --period 2024 --units
grep -q '^unit,3,9101,.*,black,slowest,' out && ok || fail "black: $(cat out)"
sql "$db" "UPDATE eval_result SET rank_p05 = rank, rank_p95 = rank WHERE run = 2;
  UPDATE eval_result SET rank_p05 = 1 WHERE run = 2 AND unit = '9101'"
expect_exit 0 G race --period 2024
expect_in out '赛马争先 2024' '骏马奖' '蜗牛奖待定' '红榜' '待定(不确定)' '专班' '名次变化' '黑榜规则' \
  '不列入黑榜'
expect_exit 0 G --format json race --period 2024 --teams
expect_in out '"group": "team"' '"code": "T01"' || expect_in out '"group":"team"'
expect_exit 2 G race --period 24
expect_exit 1 G race --period 2024 --config nope.json
printf '{"weights":{"eval":"high"}}' >bad-config.json
expect_exit 1 G race --config bad-config.json
expect_in err 'bad-config.json' 'eval'
expect_exit 0 G items --help
expect_exit 0 G problems --help
expect_exit 0 G race --help
expect_exit 0 G --lang en race --help
expect_in out 'uncertain'
finish
