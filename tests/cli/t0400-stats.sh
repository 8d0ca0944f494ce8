#!/bin/bash
# t0400-stats — `gongfu stats FILE.csv`: hand-computed measures (DESIGN.md §3), per-capita and
# household weights, nested and non-nested --by, urban/rural, Engel, formats, bad input.
# no database: files in, figures out (the same on either backend)
set -eu
G=${GONGFU:?GONGFU must point at the gongfu binary}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"
fail() { echo "FAIL: $*" >&2; exit 1; }

# value BY GROUP COLUMN FILE: the cell of a stats CSV
value() {
    awk -F, -v by="$1" -v g="$2" -v col="$3" '
        NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
        $1 == by && $2 == g { print $c; found = 1 }
        END { if (!c) print "NOCOLUMN"; else if (!found) print "NOROW" }' "$4"
}
# near BY GROUP COLUMN EXPECTED FILE: equal within 1e-12 relative
near() {
    local got
    got=$(value "$1" "$2" "$3" "$5")
    awk -v a="$got" -v b="$4" 'BEGIN {
        d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b; if (m < 1) m = 1;
        exit !(a != "" && a !~ /NO/ && d <= 1e-12 * m) }' ||
        fail "$1=$2 $3: got '$got', want $4"
}
# exact BY GROUP COLUMN EXPECTED FILE: the text of the cell
exact() {
    local got
    got=$(value "$1" "$2" "$3" "$5")
    [ "$got" = "$4" ] || fail "$1=$2 $3: got '$got', want '$4'"
}

# ---- 1, 2, 3, 4 in two regions ----
printf 'id,region,income,w\n1,east,1,1\n2,east,2,1\n3,west,3,1\n4,west,4,1\n' > a.csv
"$G" stats a.csv --value income --by region --line 2.5 --band 6-9 --format csv > a.out
head -1 a.out | grep -q '^by,group,n,weight_sum,mean,median,gini,theil,mld,arpt,arpr,qsr,rmpg,palma,fgt0_2.5,fgt1_2.5,fgt2_2.5,watts_2.5,low_hh_2.5,low_persons_2.5,band_6_9,' ||
    fail "header: $(head -1 a.out)"
[ "$(wc -l < a.out)" -eq 4 ] || fail "expected all + 2 groups"
exact all all n 4 a.out
near all all mean 2.5 a.out
exact all all median 3 a.out        # laeken: smallest k with c_k > 0.5 strictly
near all all gini 0.25 a.out        # (2*30 - 10)/(4*10) - 1
near all all arpt 1.8 a.out
near all all arpr 0.25 a.out
near all all rmpg 0.444444444444444444 a.out
exact all all qsr 0 a.out           # nobody above q(0.8) = 4
near all all fgt0_2.5 0.5 a.out
near all all fgt1_2.5 0.2 a.out     # (0.6 + 0.2)/4
near all all fgt2_2.5 0.1 a.out     # (0.36 + 0.04)/4
near all all watts_2.5 "$(awk 'BEGIN { printf "%.17g", (log(2.5) + log(1.25)) / 4 }')" a.out
exact all all low_hh_2.5 2 a.out
near all all band_6_9 0.5 a.out     # 3x = 6 and 9: closed band
near all all mld "$(awk 'BEGIN { printf "%.17g", log(2.5) - log(24) / 4 }')" a.out
exact region east median 2 a.out    # c = .5, 1: 0.5 is not > 0.5
near region east gini 0.16666666666666667 a.out
near region west mean 3.5 a.out
exact region west rmpg "" a.out     # nobody under ARPT: empty (laeken: NA)
exact all all sub_by region a.out
near all all range_ratio "$(awk 'BEGIN { printf "%.17g", 3.5 / 1.5 }')" a.out
tw=$(value all all theil_within_sub a.out); tb=$(value all all theil_between_sub a.out)
near all all theil "$(awk -v a="$tw" -v b="$tb" 'BEGIN { printf "%.17g", a + b }')" a.out

# JSON keeps numbers numeric
"$G" stats a.csv --value income --format json > a.json
grep -q '"gini": 0.25' a.json || fail "json: $(head -c 300 a.json)"
# the table for people has Chinese and English headers
"$G" stats a.csv --value income --lang en | head -1 | grep -q 'Gini' || fail "table header (en)"
"$G" stats a.csv --value income | head -1 | grep -q '基尼系数' || fail "table header (zh)"

# ---- households: per capita, weights, urban/rural, Engel, nested levels ----
cat > h.csv <<'CSV'
hh,village,town,urban,size,income,weight,food,cons
1,v1,t1,1,2,40000,1,10000,30000
2,v1,t1,0,4,20000,2,8000,16000
3,v2,t1,1,1,30000,1,6000,20000
4,v3,t2,0,3,36000,1,9000,24000
CSV
"$G" stats h.csv --value income --weight weight --size size --per-capita --by village --by town \
    --urban urban --food food --consumption cons --band 50000-90000 --format csv > h.out
[ "$(wc -l < h.out)" -eq 7 ] || fail "expected all + 3 villages + 2 towns: $(cat h.out)"
near all all weight_sum 14 h.out            # persons: weight x size
near all all hh_weight_sum 5 h.out
near all all mean "$(awk 'BEGIN { printf "%.17g", 146000 / 14 }')" h.out
exact all all median 5000 h.out             # 8/14 > 0.5 at the first value
near all all gini "$(awk 'BEGIN { printf "%.17g", 5 / 14 }')" h.out
exact all all low_hh_10000 2 h.out          # household weight of the household under 10000
exact all all low_persons_10000 8 h.out     # 2 households x 4 persons
near all all fgt0_10000 "$(awk 'BEGIN { printf "%.17g", 8 / 14 }')" h.out
near all all band_50000_90000 0.4 h.out     # per capita x 3 = 60000 and 90000: 2 of 5 households
near all all urban_rural_ratio "$(awk 'BEGIN { printf "%.17g", (70000 / 3) / (76000 / 11) }')" h.out
near all all engel "$(awk 'BEGIN { printf "%.17g", 41000 / 106000 }')" h.out
near village v1 engel "$(awk 'BEGIN { printf "%.17g", 26000 / 62000 }')" h.out
exact all all sub_by town h.out
exact town t1 sub_by village h.out
exact village v1 sub_by "" h.out
near town t1 mean 10000 h.out
near town t1 range_ratio 3.75 h.out          # villages 8000 and 30000
near all all range_ratio 1.2 h.out           # towns 10000 and 12000
tw=$(value town t1 mld_within_sub h.out); tb=$(value town t1 mld_between_sub h.out)
near town t1 mld "$(awk -v a="$tw" -v b="$tb" 'BEGIN { printf "%.17g", a + b }')" h.out
tw=$(value all all theil_within_urban h.out); tb=$(value all all theil_between_urban h.out)
near all all theil "$(awk -v a="$tw" -v b="$tb" 'BEGIN { printf "%.17g", a + b }')" h.out

# --by columns that do not nest: each is its own grouping
"$G" stats h.csv --value income --weight weight --size size --per-capita --by urban --by town \
    --food food --consumption cons --format csv > n.out
near urban 1 mean "$(awk 'BEGIN { printf "%.17g", 70000 / 3 }')" n.out
near town t1 engel "$(awk 'BEGIN { printf "%.17g", 32000 / 82000 }')" n.out
near all all engel "$(awk 'BEGIN { printf "%.17g", 41000 / 106000 }')" n.out
near town t1 mean 10000 n.out
exact town t1 sub_by "" n.out
exact all all sub_by urban n.out
# the same numbers with one thread
"$G" stats h.csv --value income --weight weight --size size --per-capita --by urban --by town \
    --food food --consumption cons --format csv --threads 1 > n1.out
cmp -s n.out n1.out || fail "--threads 1 differs"

# ---- bad input: exit 1, message names file, line, column, value, expectation ----
bad() { # EXPECTED-MESSAGE ARGS...
    local want=$1 rc=0
    shift
    "$G" stats "$@" > out.txt 2> err.txt || rc=$?
    [ "$rc" -eq 1 ] || fail "exit $rc (want 1) for $*: $(cat err.txt)"
    grep -qF -- "$want" err.txt || fail "message for $*: got '$(cat err.txt)', want '$want'"
    [ ! -s out.txt ] || fail "output on error for $*"
}
printf 'id,region,income,w\n1,east,1,1\n2,east,abc,1\n' > b1.csv
bad 'b1.csv:3: field "income": value "abc": expected a number' b1.csv --value income
bad 'a.csv:1: field "nope": expected a column named "nope" in the header' a.csv --value nope
bad 'a.csv:1: field "wt": expected a column named "wt"' a.csv --value income --weight wt
printf 'id,region,income,w\n1,east,1,1\n2,west,2,-0.5\n' > b2.csv
bad 'b2.csv:3: field "w": value "-0.5": expected a weight >= 0' b2.csv --value income --weight w
printf 'id,region,income,w\n1,east,1,1\n2,,2,1\n' > b3.csv
bad 'b3.csv:3: field "region": value "": expected a group value (not empty)' b3.csv --value income --by region
printf 'id,region,income,w\n' > b4.csv
bad 'b4.csv: expected at least one data row after the header' b4.csv --value income
: > b5.csv
bad 'b5.csv: empty file: expected a header line' b5.csv --value income
# a NUL byte anywhere on a line (a skipped column, a group, a value) is refused with its place
for at in 'id' 'region' 'income'; do
    case $at in id) line='1\0000,east,1,1' col=2 ;; region) line='1,ea\0000st,1,1' col=5 ;; income) line='1,east,1\0000,1' col=9 ;; esac
    printf "id,region,income,w\n2,west,2,1\n$line\n" > nul.csv
    bad "nul.csv:3: expected text without NUL bytes (column $col holds one)" nul.csv --value income --weight w --by region
done
printf 'id,region,income,w\n1,east,1\n' > b6.csv
bad 'b6.csv:2: field "w": expected 4 fields as in the header, found 3' b6.csv --value income
printf 'id,region,income,w\n1,east,1,1\n2,east,nan,1\n' > b7.csv
bad 'b7.csv:3: field "income": value "nan": expected a number' b7.csv --value income
printf 'hh,size,income\n1,0,100\n' > b8.csv
bad 'b8.csv:2: field "size": value "0": expected a household size > 0' b8.csv --value income --size size --per-capita
printf 'hh,u,income\n1,maybe,100\n' > b9.csv
bad 'b9.csv:2: field "u": value "maybe": expected 1/0, urban/rural' b9.csv --value income --urban u
printf 'id,income\n1,"12\n' > b10.csv
bad 'b10.csv:2:' b10.csv --value income
bad 'no.csv: cannot open' no.csv --value income
# an error far into a file still names its line (chunks are parsed in parallel)
{ echo 'id,income'; seq 1 300000 | awk '{ print $1 "," $1 }'; echo '300001,x'; } > big.csv
bad 'big.csv:300002: field "income": value "x": expected a number' big.csv --value income
# an error at the end of the first of several chunks (quoted: slower to parse) while another
# thread waits for that chunk's reference mean: no hang, and of two errors the earlier is named
{ echo 'id,income'; seq 1 200000 | awk '{ print "\"" $1 "\",\"" $1 "\"" }'; echo '200001,y'
  seq 200002 900000 | awk '{ print $1 "," $1 }'; echo '900001,x'; } > big2.csv
rc=0; timeout 60 "$G" stats big2.csv --value income --threads 2 > big2.out 2>&1 || rc=$?
[ "$rc" -eq 1 ] || fail "two errors in two chunks: exit $rc"
grep -q 'big2.csv:200002: field "income": value "y": expected a number' big2.out || fail "$(cat big2.out)"

# ---- the order of the rows does not matter; neither does how a line is written ----
# same_table A B: same rows and columns, text equal, numbers within 1e-12 relative
same_table() {
    awk -F, 'NR == FNR { a[FNR] = $0; n = FNR; next }
        { if (!(FNR in a)) { print "extra row " FNR; bad = 1; exit 1 }
          k = split(a[FNR], x, ","); if (k != NF) { print "row " FNR ": fields"; bad = 1; exit 1 }
          for (i = 1; i <= NF; i++) {
              if (x[i] == $i) continue
              if (x[i] !~ /^-?[0-9.e+-]+$/ || $i !~ /^-?[0-9.e+-]+$/) { print "row " FNR ": " x[i] " vs " $i; bad = 1; exit 1 }
              d = x[i] - $i; if (d < 0) d = -d; m = x[i] < 0 ? -x[i] : x[i]
              if (d > 1e-12 * m) { print "row " FNR " col " i ": " x[i] " vs " $i; bad = 1; exit 1 }
          } }
        END { if (!bad && FNR != n) { print "rows " n " vs " FNR; exit 1 } }' "$1" "$2"
}
# 60 000 households over 3 levels, grouped by village, then the same rows shuffled
awk 'BEGIN { srand(7); print "hh,county,town,village,urban,size,income,weight,food,cons"
    for (i = 1; i <= 60000; i++) { v = int((i - 1) / 200); t = int(v / 6); c = int(t / 5)
        s = 1 + int(rand() * 5); inc = int(exp(10 + rand() + 0.05 * c) * s * 100) / 100
        printf "%d,c%d,c%d-t%d,c%d-t%d-village-with-a-long-name-%d,%d,%d,%.2f,%.2f,%.2f,%.2f\n",
            i, c, c, t, c, t, v, rand() < 0.4, s, inc, 50 + int(rand() * 20000) / 100,
            inc * 0.2, inc * 0.6 }
}' > g.csv
{ head -1 g.csv; tail -n +2 g.csv | awk 'BEGIN { srand(11) } { print rand() "\t" $0 }' |
    sort -k1,1 | cut -f2-; } > s.csv
args="--value income --weight weight --size size --per-capita --by village --by town --by county
      --urban urban --food food --consumption cons --line 20000 --format csv"
"$G" stats g.csv $args > g.out
"$G" stats s.csv $args > s.out
[ "$(wc -l < g.out)" -eq 362 ] || fail "grouped: $(wc -l < g.out) rows"
same_table g.out s.out || fail "shuffled rows give other measures"
# the same rows written every other way a line can be (quotes, CRLF, exponents, spaces, a
# long group value, an urban word): the same measures, byte for byte on one thread
awk -F, 'NR == 1 { print; next } {
    k = NR % 7
    if (k == 1) { $4 = "\"" $4 "\"" }                   # quoted group value
    if (k == 2) { $7 = sprintf("%.10e", $7) }           # exponent
    if (k == 3) { $8 = " " $8 " " }                     # spaces around a number
    if (k == 4) { $0 = $0 "\r" }                        # CRLF
    if (k == 5) { $5 = $5 == 1 ? "urban" : "rural" }    # a word for urban
    print }' OFS=, g.csv > m.csv
"$G" stats g.csv $args --threads 1 > g1.out
"$G" stats m.csv $args --threads 1 > m1.out
cmp -s g1.out m1.out || fail "lines written otherwise give other output: $(diff g1.out m1.out | head -5)"
# group values longer than the fast path's key (and values sharing a long prefix)
long=$(printf 'x%.0s' $(seq 1 400))
awk -v L="$long" 'BEGIN { print "id,g,income"; for (i = 1; i <= 3000; i++) print i "," L (i % 3) "," i }' > long.csv
"$G" stats long.csv --value income --by g --format csv > long.out
[ "$(wc -l < long.out)" -eq 5 ] || fail "long group values: $(wc -l < long.out) rows"
exact g "${long}1" n 1000 long.out
exact g "${long}1" median 1501 long.out
# one column asked for twice (weight and size): every line takes the general path
printf 'id,g,income,n\n1,a,10,2\n2,a,20,1\n3,b,30,3\n' > twice.csv
"$G" stats twice.csv --value income --weight n --size n --by g --format csv > twice.out
exact all all weight_sum 14 twice.out      # weight x size = n x n: 4 + 1 + 9
exact g a weight_sum 5 twice.out

# more cells than a thread keeps sums for (65 536): the rest are summed in shared sums
seq 1 70000 | awk 'BEGIN { print "id,g,income,w" } { print $1 ",all," ($1 % 977) + 0.5 "," 1 + $1 % 3 }' > cells.csv
"$G" stats cells.csv --value income --weight w --by id --by g --threads 2 --format csv > cells.out
"$G" stats cells.csv --value income --weight w --format csv > cells1.out
exact id 69999 n 1 cells.out
near id 69999 mean "$((69999 % 977)).5" cells.out
exact id 70000 weight_sum 2 cells.out
for col in n weight_sum mean median gini theil; do
    near all all "$col" "$(value all all "$col" cells1.out)" cells.out
    near g all "$col" "$(value all all "$col" cells1.out)" cells.out
done

# usage errors: exit 2
rc=0; "$G" stats a.csv > /dev/null 2>&1 || rc=$?; [ "$rc" -eq 2 ] || fail "missing --value: exit $rc"
rc=0; "$G" stats a.csv --value income --per-capita > /dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || fail "--per-capita without --size: exit $rc"
rc=0; "$G" stats a.csv --value income --band 5 > /dev/null 2>&1 || rc=$?; [ "$rc" -eq 2 ] || fail "--band 5: exit $rc"
"$G" stats --help | grep -q -- '--per-capita' || fail "help"
echo "t0400-stats: ok"
