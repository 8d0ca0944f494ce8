#!/bin/bash
# dist_bench.sh — distribution measures for every unit of a 4-level hierarchy (1 city, 5 counties,
# 100 townships, 1000 villages) on the same household file: gongfu vs DuckDB (SQL window
# functions, npm @duckdb/node-api) vs R laeken.  Prints wall time, CPU time, peak memory and
# ratios, then checks that the three agree (dist_compare.mjs).
# usage: bench/dist_bench.sh [N=10000000] [--no-laeken]     (run it with nice on shared machines)
# env: GONGFU (binary; default: build it in build-bench/), KEEP=1 keeps data/h<N>.csv,
#      RUNS (default 3): gongfu and DuckDB run that many times each, alternately, and the ratio
#      is of the median wall times (one run on a virtual machine varies by ±30 %: the first
#      touch of fresh memory costs what the host makes it cost at that moment);
#      SETTLE (default 10): seconds of rest before each timed run, so that no run pays for the
#      memory the previous one gave back (on these virtual machines the kernel hands freed
#      memory back to the host for seconds after a process ends: 3 GB after DuckDB slowed the
#      next run by 40 %).  Every run then starts from the same state: memory not yet touched.
set -euo pipefail
cd "$(dirname "$0")"
N=${1:-10000000}
LAEKEN=1
[ "${2:-}" = "--no-laeken" ] && LAEKEN=0
mkdir -p data out
if [ -z "${GONGFU:-}" ]; then
    cmake -S .. -B ../build-bench -DCMAKE_BUILD_TYPE=Release > /dev/null
    cmake --build ../build-bench -j2 --target gongfu > /dev/null
    GONGFU=../build-bench/gongfu
fi
[ -d node_modules/@duckdb/node-api ] || npm install --no-audit --no-fund > /dev/null
cc -O2 -std=c17 -o out/gen_households gen_households.c -lm
F=data/h$N.csv
[ -s "$F" ] || ./out/gen_households "$N" > "$F"
echo "file: $F, $N households, $(du -m "$F" | cut -f1) MB"

# run NAME CMD...: wall, user+sys CPU and peak RSS from /usr/bin/time -v
declare -A WALL PEAK CPU
run() {
    local name=$1
    shift
    sleep "${SETTLE:-10}"
    /usr/bin/time -v -o "out/$name.time" "$@" > "out/$name.stdout" 2> "out/$name.stderr" || {
        echo "$name failed:"; cat "out/$name.stderr"; exit 1; }
    local w u s m
    w=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
        for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "out/$name.time")
    u=$(awk -F': ' '/User time/ { print $2 }' "out/$name.time")
    s=$(awk -F': ' '/System time/ { print $2 }' "out/$name.time")
    m=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "out/$name.time")
    WALL[$name]=$w
    CPU[$name]=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
    PEAK[$name]=$m
    printf '%-8s wall %7.2f s   cpu %7.2f s   peak %6s MB\n' "$name" "$w" "${CPU[$name]}" "$m"
}

# reading the file once (the floor for any tool that reads it)
cat "$F" > /dev/null
run read wc -l "$F"
RUNS=${RUNS:-3}
GW=() DW=() GPEAK=0
for r in $(seq "$RUNS"); do
    run gongfu "$GONGFU" stats "$F" --value income --weight weight --size size --per-capita \
        --by village --by township --by county --urban urban --food food --consumption consumption \
        --format csv
    GW+=("${WALL[gongfu]}")
    [ "${PEAK[gongfu]}" -gt "$GPEAK" ] && GPEAK=${PEAK[gongfu]}
    if [ "$r" = 1 ]; then cp out/gongfu.stdout out/gongfu.csv; fi
    run duckdb node dist_duckdb.mjs "$F" out/duckdb.csv
    cat out/duckdb.stderr
    DW+=("${WALL[duckdb]}")
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
WALL[gongfu]=$(median "${GW[@]}")
WALL[duckdb]=$(median "${DW[@]}")
PEAK[gongfu]=$GPEAK
echo "median of $RUNS: gongfu ${WALL[gongfu]} s, duckdb ${WALL[duckdb]} s"
if [ "$LAEKEN" = 1 ]; then
    run laeken Rscript dist_laeken.R "$F" out/laeken.csv
    cat out/laeken.stderr
else
    rm -f out/laeken.csv
fi
echo
awk -v g="${WALL[gongfu]}" -v d="${WALL[duckdb]}" -v r="${WALL[read]}" \
    -v l="${WALL[laeken]:-0}" 'BEGIN {
    if (r > 0) printf "gongfu / read once:  %.2fx   (goal: within 2x)\n", g / r
    printf "DuckDB / gongfu:     %.1fx   (goal: at least 20x)\n", d / g
    if (l > 0) printf "laeken / gongfu:     %.1fx\n", l / g
}'
echo "gongfu peak memory:  ${PEAK[gongfu]} MB (goal: under 1024 MB)"
node dist_compare.mjs out/gongfu.csv out/duckdb.csv out/laeken.csv
[ "${KEEP:-1}" = 1 ] || rm -f "$F"
