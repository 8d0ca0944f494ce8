#!/bin/bash
# t0302-mcda-coinr.sh — what users bringing COINr's iMeta/iData and pipelines expect:
#   - NA (R's write.csv default) reads as missing in iMeta and iData (tests/data/eval/iMeta-NA.csv
#     was written by R's write.csv: Parent, Denominator, Level … are NA), giving exactly what the
#     same file with empty cells gives;
#   - the impute step chooses its grouping column by COINr's name use_group (default: the first
#     Group row of iMeta), checked by hand on data where the wanted group is the second;
#   - the second outlier treatment is COINr's log_CT by default, log_CT_plus by name;
#   - weight noise per framework level (COINr's noise_factor per Level): perturbing levels 2
#     and 3 only leaves every indicator weight exactly nominal in every draw.
# no database: files in, figures out (the same on either backend)
set -eu
G=${GONGFU:?} SRC=${GONGFU_SRC:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"
fail() { echo "FAIL: $*" >&2; exit 1; }
D=$SRC/tests/data/eval

# --- NA in iMeta (item 27) ---
sed 's/\bNA\b//g' "$D/iMeta-NA.csv" > iMeta-empty.csv
# u1 and u6 miss x1; u6 has no continent (NA); groups: Pop S S S L L L, continent A E A E A NA
cat > iData.csv <<'CSV'
uCode,uName,Pop_group,EurAsia_group,pop,x1,x2,x3,x4
u1,NA,S,Asia,10,NA,50,3,7
u2,Two,S,Europe,20,10,80,2,5
u3,Three,S,Asia,10,20,30,4,6
u4,Four,L,Europe,40,40,100,1,9
u5,Five,L,Asia,20,60,60,5,8
u6,Six,L,NA,10,NA,40,2,4
CSV
grp() { printf '{"steps":[{"step":"denominate"},{"step":"impute","method":"group_mean"%s},{"step":"normalise","method":"minmax","range":[0,100]}]}' "$1" > "$2"; }
grp '' first.json
grp ',"use_group":"EurAsia_group"' eurasia.json
grp ',"use_group":"Pop_group"' pop.json
"$G" --format csv mcda score --meta "$D/iMeta-NA.csv" --data iData.csv --pipeline first.json --show contributions > na.out \
    || fail "iMeta with NA refused"
"$G" --format csv mcda score --meta iMeta-empty.csv --data iData.csv --pipeline first.json --show contributions > empty.out
cmp -s na.out empty.out || fail "NA and empty cells give different results"
"$G" --format csv mcda score --meta "$D/iMeta-NA.csv" --data iData.csv --pipeline first.json > s.out
grep -q '^u1,u1,' s.out || fail "uName NA: the unit's name should fall back to its code: $(grep '^u1' s.out)"
"$G" --format csv mcda score --meta "$D/iMeta-NA.csv" --data iData.csv --pipeline first.json --show weights > w.out
grep -q '^IDX,3,,' w.out || fail "Parent NA: IDX should be the root: $(grep '^IDX' w.out)"
grep -q '^x2,1,P1,2,0.33333' w.out || fail "x2 weight 2 (effective 2/3 × 1/2): $(grep '^x2' w.out)"

# --- use_group (item 26): the value imputed for x1 ---
val() { awk -F, -v u="$2" '$1 == u && $2 == "x1" { print $3 }' "$1"; }
# default = the first Group row of iMeta (Pop_group): u1 (S) gets mean(10, 20) = 15, u6 (L) 50
[ "$(val na.out u1)" = 15 ] || fail "default group: u1 x1 = $(val na.out u1), expected 15"
[ "$(val na.out u6)" = 50 ] || fail "default group: u6 x1 = $(val na.out u6), expected 50"
"$G" --format csv mcda score --meta "$D/iMeta-NA.csv" --data iData.csv --pipeline pop.json --show contributions > pop.out
cmp -s na.out pop.out || fail "use_group Pop_group differs from the default"
# use_group EurAsia_group: u1 (Asia) gets mean(20, 60) = 40; u6 has no continent: stays missing
"$G" --format csv mcda score --meta "$D/iMeta-NA.csv" --data iData.csv --pipeline eurasia.json --show contributions > ea.out \
    || fail "use_group EurAsia_group refused"
[ "$(val ea.out u1)" = 40 ] || fail "use_group EurAsia_group: u1 x1 = $(val ea.out u1), expected 40"
[ -z "$(val ea.out u6)" ] || fail "a unit without a group keeps its gap, got $(val ea.out u6)"
grp ',"use_group":"Income_group"' nogroup.json
set +e; "$G" mcda score --meta "$D/iMeta-NA.csv" --data iData.csv --pipeline nogroup.json > out 2> err; rc=$?; set -e
[ "$rc" -eq 1 ] && grep -q 'use_group "Income_group": no such group column (the data have: Pop_group, EurAsia_group)' err \
    || fail "unknown use_group: exit $rc, $(cat err)"

# --- log_CT by default, log_CT_plus by name (item 28) ---
# c1 = −1 … −40, −800, −900, −1000: negative skew, one winsorised point is not enough
{ echo "unit,c1,c2"; for i in $(seq 40); do echo "u$i,-$i,$i"; done
  echo "u41,-800,41"; echo "u42,-900,42"; echo "u43,-1000,43"; } > skew.csv
printf '{"steps":[{"step":"treat","winmax":1%s}]}' '' > t1.json
printf '{"steps":[{"step":"treat","winmax":1,"log":"log_CT_plus"}]}' > t2.json
treated() { "$G" --format csv mcda score --pipeline "$1" skew.csv --show contributions | awk -F, -v u="$2" '$1 == u && $2 == "c1" { print $4 }'; }
# log_CT: log(x − min + 0.01·(max − min)); min −1000, max −1
for u in u1 u43; do
    x=$(awk -F, -v u=$u '$1 == u { print $2 }' skew.csv)
    want=$(awk -v x="$x" 'BEGIN { printf "%.12f", log(x + 1000 + 0.01 * 999) }')
    got=$(treated t1.json $u)
    awk -v a="$got" -v b="$want" 'BEGIN { d = a - b; exit !(d < 1e-9 && d > -1e-9) }' \
        || fail "log_CT of $u ($x): $got, expected $want"
    want=$(awk -v x="$x" 'BEGIN { printf "%.12f", -log(-1 - x + 0.01 * 999) }')
    got=$(treated t2.json $u)
    awk -v a="$got" -v b="$want" 'BEGIN { d = a - b; exit !(d < 1e-9 && d > -1e-9) }' \
        || fail "log_CT_plus of $u ($x): $got, expected $want"
done

# --- noise per level (item 29) ---
printf '{"steps":[{"step":"normalise","method":"minmax","range":[1,100]}],"sensitivity":{"draws":200,"seed":3,"noise":[{"level":2,"noise_factor":0.25},{"level":3,"noise_factor":0.25}]}}' > noise.json
"$G" --format csv mcda score --meta "$D/iMeta-NA.csv" --data iData.csv --pipeline noise.json --draws-out draws.csv > /dev/null \
    || fail "a noise table per level refused"
head -1 draws.csv | grep -q '^draw,winsor,normalise,aggregate,w_x1,w_x2,w_x3,w_x4,w_P1,w_P2,w_IDX$' || fail "draws header: $(head -1 draws.csv)"
awk -F, 'NR > 1 && ($5 != 1 || $6 != 2 || $7 != 1 || $8 != 1) { print "draw " $1 ": indicator weights " $5, $6, $7, $8; bad = 1 }
         NR > 1 && $9 != 1 { moved++ } END { if (moved < 150) { print "level 2 moved in " moved " of 200 draws"; bad = 1 } exit bad }' draws.csv \
    || fail "indicator weights must stay nominal, level 2 must move"
printf '{"steps":[{"step":"normalise","method":"minmax"}],"sensitivity":{"draws":10,"noise":[{"node":"P9","noise_factor":0.1}]}}' > n9.json
set +e; "$G" mcda score --meta "$D/iMeta-NA.csv" --data iData.csv --pipeline n9.json > out 2> err; rc=$?; set -e
[ "$rc" -eq 1 ] && grep -q 'noise for node "P9": no such node' err || fail "unknown noise node: exit $rc, $(cat err)"
echo "t0302-mcda-coinr: ok"
