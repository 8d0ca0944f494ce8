#!/bin/bash
# dist_bench.sh — distribution measures for every unit of a 4-level hierarchy (1 city, 5 counties,
# 100 townships, 1000 villages) on the same household file: gongfu vs DuckDB (SQL window
# functions, npm @duckdb/node-api) vs R laeken, on the file grouped by village and on the same rows
# shuffled.  Prints wall time, CPU time, peak memory and ratios for each order, then checks that
# the three agree (dist_compare.mjs).
# usage: bench/dist_bench.sh [N=10000000] [--no-laeken]     (run it with nice on shared machines)
# env: GONGFU (binary; default: build it in build-bench/), KEEP=1 keeps data/h<N>.csv,
#      RUNS (default 3): rounds; each round times, for each order, wc -l, gongfu and DuckDB
#      (the orders take turns going first), and every figure is the median of its RUNS runs (one
#      run on a virtual machine varies by ±30 %: the first touch of fresh memory costs what the
#      host makes it cost at that moment, and runs after DuckDB's 20 s on both cores are slower);
#      SETTLE (default 10): seconds of rest before each timed run, so that no run pays for the
#      memory the previous one gave back (on these virtual machines the kernel hands freed
#      memory back to the host for seconds after a process ends: 3 GB after DuckDB slowed the
#      next run by 40 %).  Every run then starts from the same state: memory not yet touched.
#      The floor (wc -l) is also timed warm: after the rest, wc -l and gongfu run once each
#      untimed, then wc -l and gongfu are timed one right after the other.  A rested run pays a
#      cost for waking up that does not grow with its work (0.09 s for wc -l warm, 0.12-0.25 s
#      rested), and a rested gongfu pays for memory the host has taken back (160 MB of rows:
#      0.2-0.3 s of CPU against 0.015 s warm, bench/fresh_pages.c), which wc -l never asks for;
#      both ratios are printed.  (Until 2026-12-06 only wc -l had its untimed run.)
#      A system with 2 MiB pages reserved (sysctl vm.nr_hugepages, 128 per 10 million rows)
#      gives gongfu its rows in them (core/prefault.h): the host never takes those back, and a
#      rested run costs what a warm one does.  The bench prints the pool it found; gongfu's peak
#      is then its resident peak plus the most of the pool it held (the kernel counts them apart).
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
cc -O2 -std=c17 -o out/fresh_pages fresh_pages.c
F=data/h$N.csv
[ -s "$F" ] || ./out/gen_households "$N" > "$F"
FS=data/h$N-shuffled.csv # the same rows in a random order (merged files, files sorted by another key)
[ -s "$FS" ] || ./out/gen_households "$N" --shuffle > "$FS"
echo "files: $F (grouped by village) and $FS (shuffled), $N households, $(du -m "$F" | cut -f1) MB each"

# run NAME CMD...: wall, user+sys CPU and peak RSS from /usr/bin/time -v
declare -A WALL PEAK CPU
run() {
    local name=$1
    shift
    sleep "${SETTLE:-10}"
    /usr/bin/time -v -o "out/$name.time" "$@" > "out/$name.stdout" 2> "out/$name.stderr" || {
        echo "$name failed:"; cat "out/$name.stderr"; exit 1; }
    local w u s m pool
    w=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
        for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "out/$name.time")
    u=$(awk -F': ' '/User time/ { print $2 }' "out/$name.time")
    s=$(awk -F': ' '/System time/ { print $2 }' "out/$name.time")
    # plus the reserved pages it held (gongfu says so with GONGFU_TIMING; not in the resident set)
    pool=$(sed -n 's/.*reserved pages held at most: \([0-9]*\) MB.*/\1/p' "out/$name.stderr")
    m=$(awk -F': ' -v pool="${pool:-0}" '/Maximum resident set size/ {
        printf "%.0f", $2 / 1024 + pool * 1e6 / 1048576 }' "out/$name.time")
    WALL[$name]=$w
    CPU[$name]=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
    PEAK[$name]=$m
    printf '%-8s wall %7.2f s   cpu %7.2f s   peak %6s MB\n' "$name" "$w" "${CPU[$name]}" "$m"
}

# gongfu's measures, as DuckDB's and laeken's scripts compute them (its phases and the reserved
# pages it held on stderr)
export GONGFU_TIMING=1
STATS=(--value income --weight weight --size size --per-capita --by village --by township
    --by county --urban urban --food food --consumption consumption --format csv)
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
RUNS=${RUNS:-3}
declare -A FILE=([grouped]="$F" [shuffled]="$FS") GW DW RW GWW RWW G_MED D_MED G_PEAK R_WALL \
    GW_MED RW_MED
# Rounds: each runs, for both orders, wc -l, gongfu and DuckDB on the order's file.  The orders
# take turns being first, so that both meet the same conditions (a run after DuckDB's 20 s of
# both cores is slower, wc -l more than gongfu); each figure is the median of its RUNS runs.
for o in grouped shuffled; do
    cat "${FILE[$o]}" > /dev/null # read once: the floor for any tool that reads the file
    G_PEAK[$o]=0
done
# what memory new to a process costs now, rested and then warm (gongfu holds 160 MB of rows)
sleep "${SETTLE:-10}"
pool=/sys/kernel/mm/hugepages/hugepages-2048kB
if [ -r $pool/nr_hugepages ] && [ "$(cat $pool/nr_hugepages)" -gt 0 ] && [ -z "${GONGFU_HUGE_PAGES:-}" ]; then
    echo "reserved 2 MiB pages (sysctl vm.nr_hugepages): $(cat $pool/nr_hugepages)," \
        "$(($(cat $pool/free_hugepages) - $(cat $pool/resv_hugepages))) free: gongfu's rows go there"
else
    echo "no reserved 2 MiB pages for gongfu (sysctl vm.nr_hugepages; or GONGFU_HUGE_PAGES set)"
fi
echo "fresh memory, rested: $(out/fresh_pages huge 160)"
echo "fresh memory, warm:   $(out/fresh_pages huge 160)"
for r in $(seq "$RUNS"); do
    orders="grouped shuffled"
    [ $((r % 2)) = 0 ] && orders="shuffled grouped"
    for o in $orders; do
        file=${FILE[$o]}
        echo "== round $r, $o: $file"
        # warm: after a rest, wc -l and gongfu once each untimed, then wc -l and gongfu one
        # right after the other, each with the CPU, the file's pages and the memory as its
        # untimed run left them (after a rest, a run of 0.1 s pays as much for waking up as one
        # of 0.8 s; and memory the host has taken back costs gongfu 0.2-0.3 s of CPU more for its
        # 160 MB of rows, bench/fresh_pages.c, which wc -l never asks for)
        SETTLE=${SETTLE:-10} run warmup wc -l "$file" > /dev/null
        SETTLE=0 run warmup "$GONGFU" stats "$file" "${STATS[@]}" > /dev/null
        SETTLE=0 run read wc -l "$file"
        RWW[$o]+=" ${WALL[read]}"
        SETTLE=0 run gongfu "$GONGFU" stats "$file" "${STATS[@]}"
        GWW[$o]+=" ${WALL[gongfu]}"
        run read wc -l "$file"
        RW[$o]+=" ${WALL[read]}"
        run gongfu "$GONGFU" stats "$file" "${STATS[@]}"
        GW[$o]+=" ${WALL[gongfu]}"
        [ "${PEAK[gongfu]}" -gt "${G_PEAK[$o]}" ] && G_PEAK[$o]=${PEAK[gongfu]}
        if [ "$r" = 1 ]; then cp out/gongfu.stdout "out/gongfu-$o.csv"; fi
        run duckdb node dist_duckdb.mjs "$file" "out/duckdb-$o.csv"
        cat out/duckdb.stderr
        DW[$o]+=" ${WALL[duckdb]}"
    done
done
for o in grouped shuffled; do
    # shellcheck disable=SC2086 # the lists are words
    G_MED[$o]=$(median ${GW[$o]})
    # shellcheck disable=SC2086
    D_MED[$o]=$(median ${DW[$o]})
    # shellcheck disable=SC2086
    R_WALL[$o]=$(median ${RW[$o]})
    # shellcheck disable=SC2086
    GW_MED[$o]=$(median ${GWW[$o]})
    # shellcheck disable=SC2086
    RW_MED[$o]=$(median ${RWW[$o]})
    echo "median of $RUNS, $o: gongfu ${G_MED[$o]} s, duckdb ${D_MED[$o]} s, wc -l ${R_WALL[$o]} s;" \
        "warm: gongfu ${GW_MED[$o]} s, wc -l ${RW_MED[$o]} s"
done
if [ "$LAEKEN" = 1 ]; then
    run laeken Rscript dist_laeken.R "$F" out/laeken.csv
    cat out/laeken.stderr
else
    rm -f out/laeken.csv
fi
echo
printf '%-9s %9s %9s %9s %10s %12s %11s %18s\n' order gongfu DuckDB ratio "peak MB" "gongfu/wc-l" "wc -l s" \
    "warm: gongfu/wc-l"
for o in grouped shuffled; do
    awk -v o="$o" -v g="${G_MED[$o]}" -v d="${D_MED[$o]}" -v m="${G_PEAK[$o]}" -v r="${R_WALL[$o]}" \
        -v gw="${GW_MED[$o]}" -v rw="${RW_MED[$o]}" 'BEGIN {
        printf "%-9s %8.2fs %8.2fs %8.1fx %10d %11.1fx %11.2f %6.1fx (%.2f / %.2f s)\n", o, g, d, d / g,
            m, (r > 0 ? g / r : 0), r, (rw > 0 ? gw / rw : 0), gw, rw }'
done
awk -v g="${G_MED[grouped]}" -v s="${G_MED[shuffled]}" -v l="${WALL[laeken]:-0}" 'BEGIN {
    printf "shuffled / grouped:  %.2f   (goal: at most 1.15)\n", s / g
    if (l > 0) printf "laeken / gongfu (grouped): %.1fx\n", l / g
}'
echo "goals: at least 25x DuckDB in both orders, peak under 1024 MB, within 5x of wc -l on the cached" \
    "file (both pairs printed; without reserved pages a rested gongfu also pays for memory the" \
    "host has taken back)"
for o in grouped shuffled; do
    echo "agreement, $o:"
    node dist_compare.mjs "out/gongfu-$o.csv" "out/duckdb-$o.csv" out/laeken.csv
done
cmp -s <(sort out/gongfu-grouped.csv) <(sort out/gongfu-shuffled.csv) &&
    echo "gongfu: the same table from both orders (byte for byte, rows sorted)" ||
    echo "gongfu: the two orders differ in the last digits (sums in another order); see agreement above"
[ "${KEEP:-1}" = 1 ] || rm -f "$F" "$FS"
