#!/bin/bash
# t0795-race-subjects.sh — the horse race of projects (list items of kind project) and of cadres
# (the people responsible for items and paired with low-income households), scored by hand from a
# small fixture: components, weights redistributed over what applies, ranks, red and black lists,
# reasons; per-subject weights from the rules file, bad rules refused naming the key.
. "$GONGFU_SRC/tests/cli/lib.sh"
db=$(newdb r)
G() { "$GONGFU" --db "$db" "$@"; }
near() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; exit !(a != "" && d < 1e-6 && d > -1e-6) }'; }
col() { # col SUBJECT-CODE COLUMN-NAME: the cell of the last CSV output
  awk -F, -v s="$1" -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next } $3 == s { print $h[c] }' "$T/out"
}
cat >units.csv <<'CSV'
code,name,parent,level,area
9100,测试市,,city,urban
9101,甲区,9100,county,urban
9102,乙县,9100,county,rural
9103,丙县,9100,county,rural
CSV
printf 'code,name,kind\nT01,改革专班,work\nT02,发展专班,work\n' >teams.csv
printf 'code,name,team,unit\nD01,发改委,T02,9100\nD02,改革办,T01,9100\n' >departments.csv
cat >people.csv <<'CSV'
code,name,department,team,unit
P1,张一,D01,T02,9100
P2,王二,D02,T01,9100
P3,李三,D01,T02,9101
P4,赵四,,,9101
CSV
expect_exit 0 G init
for k in units teams departments people; do expect_exit 0 G import $k $k.csv; done
cat >items.csv <<'CSV'
code,title,kind,leader,lead_unit,owner,team,unit,start,due,status,completed,invest_planned,funds_requested,start_planned,start_actual,complete_planned
I1,钒钛产业园,project,P1,D01,P3,T02,9101,2024-01-01,2024-12-31,active,,5000,,2024-03-01,2024-03-10,2024-11-30
I2,争取中央预算内资金,upward,P1,9102,P1,T02,9102,2024-01-01,2024-06-30,active,,,3000,,,
I3,户籍制度改革,reform,P2,D02,P2,T01,9103,2024-01-01,2024-03-31,done,2024-03-20,,,,,
I5,冷链物流中心,project,P2,D02,P2,T01,9103,2024-01-01,2024-06-30,done,2024-06-15,1000,,,,
CSV
expect_exit 0 G items import items.csv
cat >progress.csv <<'CSV'
item,date,percent,text,invest_done,funds_secured,reported_by
I1,2024-06-30,45,主体施工,2000,,P3
I2,2024-04-15,60,已批复部分,,1800,P1
CSV
expect_exit 0 G items import progress.csv --what progress
GONGFU_NOW=2024-07-01T00:00:00Z expect_exit 0 G problems raise --item I1 --title 进度滞后 --severity high --owner P3 --deadline 2024-09-30
# P4's paired households (the registry and the workflow are tested elsewhere: rows set directly)
sql "$db" "
INSERT INTO household (code, unit, head_name, area) VALUES
 ('H1','9101','户一','rural'),('H2','9101','户二','rural'),('H3','9101','户三','rural'),
 ('H4','9101','户四','rural'),('H5','9101','户五','rural');
INSERT INTO hh_case (household, state, channel, found_on, cadre, paired_on, eliminated_on) VALUES
 ('H1','assisted','cadre','2024-01-10','P4','2024-02-01',NULL),
 ('H2','assisted','cadre','2024-01-10','P4','2024-02-01',NULL),
 ('H3','identified','cadre','2024-01-10','P4','2024-02-01',NULL),
 ('H4','eliminated','cadre','2024-01-10','P4','2024-02-01','2024-06-30'),
 ('H5','eliminated','cadre','2024-01-10','P4','2024-02-01','2025-01-15');
INSERT INTO hh_visit (household, visit_date, person, measure) VALUES
 ('H1','2024-11-15','P4','housing'),('H2','2024-05-01','P4',NULL),('H3','2024-12-20','P4',NULL),
 ('H4','2024-06-01','P4','subsidy');"
export GONGFU_NOW=2025-02-01T00:00:00Z # the race of 2024 is as of 2024-12-31

# ---- projects: weights milestones .30, items .15, investment .25, funds .15, problems .15 ----
expect_exit 0 G --lang en --format csv race --period 2024 --subject project
# I1: milestones 0/2 (start late, completion missed), not done by its due date 0/1, investment
#   2000/5000 = 40, no funds asked, problem #1 open and overdue 100−10−20 = 70
#   → (0 + 0 + .25·40 + .15·70) / .85 = 24.1176…
# I5: done on time 1/1, investment 1000 of 1000 planned … but no progress report: 0 done → 0,
#   problems 100 → (.15·100 + .25·0 + .15·100) / .55 = 54.5454…
expect_in "$T/out" 'group,rank,code,name,score'
[ "$(col I5 rank)" = 1 ] && [ "$(col I1 rank)" = 2 ] && ok || fail "project ranks: $(cat "$T/out")"
near "$(col I1 score)" 24.117647 && ok || fail "I1 score $(col I1 score)"
near "$(col I5 score)" 54.545454 && ok || fail "I5 score $(col I5 score)"
near "$(col I1 investment)" 40 && near "$(col I1 milestones)" 0 && near "$(col I1 problems)" 70 && ok || fail "I1 components"
[ "$(col I5 list)" = red ] && [ "$(col I1 list)" = black ] && ok || fail "lists: I5 $(col I5 list), I1 $(col I1 list)"
[ "$(col I1 group)" = project ] && [ -z "$(col I1 eval)" ] && ok || fail "a project has no evaluation component"
grep -q '^project,2,I1,.*investment 40% of plan to date' "$T/out" && ok || fail "reasons: $(grep I1 "$T/out")"
# ---- cadres: milestones .15, items .25, investment .10, funds .05, problems .15, visits .20, measures .10
expect_exit 0 G --lang en --format csv race --period 2024 --subject cadre
# P1 leads I1 and I2: items 0/2, milestones 0/2, investment 40, funds 1800/3000 = 60, I1's problem 70
#   → (0 + 0 + 4 + 3 + 10.5) / .70 = 25
# P2 leads and carries out I3 and I5: items 2/2 = 100, investment 0/1000 = 0, problems 100
#   → (25 + 0 + 15) / .50 = 80
# P3 carries out I1 and owns its problem: items 0/1, milestones 0/2, investment 40, problems 70
#   → (4 + 10.5) / .65 = 22.3077
# P4: households paired at 2024-12-31: H1, H2, H3, H5 (H4 left in June) = 4; visited in the 90 days
#   to 12-31: H1, H3 = 2 → 50; a measure in 2024: H1 = 1 → 25; problems 100
#   → (15 + 10 + 2.5) / .45 = 61.1111
near "$(col P1 score)" 25 && ok || fail "P1 $(col P1 score)"
near "$(col P2 score)" 80 && ok || fail "P2 $(col P2 score)"
near "$(col P3 score)" 22.307692 && ok || fail "P3 $(col P3 score)"
near "$(col P4 score)" 61.111111 && ok || fail "P4 $(col P4 score)"
near "$(col P4 visits)" 50 && near "$(col P4 measures)" 25 && ok || fail "P4 visits $(col P4 visits) measures $(col P4 measures)"
[ -z "$(col P1 visits)" ] && ok || fail "P1 has no households: visits $(col P1 visits)"
[ "$(col P2 rank)$(col P4 rank)$(col P1 rank)$(col P3 rank)" = 1234 ] && ok || fail "cadre ranks: $(cat "$T/out")"
[ "$(col P2 list)" = red ] && [ "$(col P3 list)" = black ] && ok || fail "cadre lists: P2 $(col P2 list) P3 $(col P3 list)"
grep -q '^cadre,2,P4,.*problems: open problems 0' "$T/out" && ok || fail "P4 reasons: $(grep P4 "$T/out")"
expect_exit 0 G race --period 2024 --subject cadre
expect_in "$T/out" '干部' '走访帮扶户' '赵四' '按清单事项、问题整改(干部另计结对帮扶)计分'
# ---- per-subject weights from the rules file: cadres on visits alone ----
printf '{"cadre": {"weights": {"milestones": 0, "items": 0, "investment": 0, "funds": 0, "problems": 0, "measures": 0, "visits": 1}}}' >cadre.json
expect_exit 0 G --lang en --format csv race --period 2024 --subject cadre --config cadre.json
near "$(col P4 score)" 50 && [ "$(col P4 rank)" = 1 ] && ok || fail "visits only: P4 $(col P4 score) rank $(col P4 rank)"
[ -z "$(col P1 rank)" ] && ok || fail "P1 has nothing the rules weigh: not ranked ($(col P1 rank))"
# the units' race keeps its own weights
expect_exit 0 G --lang en --format csv race --period 2024 --subject unit --config cadre.json
[ "$(col 9101 problems)" = 70 ] && ok || fail "units' race: $(cat "$T/out")"
printf '{"cadre": {"weights": {"speed": 1}}}' >bad1.json
expect_exit 1 G race --period 2024 --subject cadre --config bad1.json
expect_in "$T/err" 'bad1.json' 'speed' 'visits, measures'
printf '{"project": {"colour": 1}}' >bad2.json
expect_exit 1 G race --period 2024 --subject project --config bad2.json
expect_in "$T/err" 'bad2.json' 'project'
printf '{"project": {"weights": {"milestones": 0, "items": 0, "investment": 0, "funds": 0, "problems": 0}}}' >bad3.json
expect_exit 1 G race --period 2024 --config bad3.json
expect_in "$T/err" 'project.weights' 'at least one positive weight'
expect_exit 2 G race --period 2024 --subject enterprise_x
finish
