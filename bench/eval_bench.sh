#!/bin/bash
# eval_bench.sh — evaluation with a 10 000-draw Monte Carlo sensitivity analysis on 1 000 units ×
# 60 indicators (DESIGN §7 goal: under 2 s), gongfu against base R on the same data and the same
# draws, in one run: prints both times, the ratio, and checks the results agree within 1e-9.
#   usage: bench/eval_bench.sh [path/to/gongfu]     (default: build/gongfu)
# Data are SYNTHETIC (bench/eval_gen.R, fixed seed).  gongfu is timed end to end (read CSVs,
# impute, treat, normalise, score, 10 000 draws on 2 threads, print) as the median of 3 runs;
# R is timed from reading the CSVs to the rank summaries (its comparison step is not timed).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
G=${1:-${GONGFU:-$here/../build/gongfu}}
[ -x "$G" ] || { echo "no gongfu binary at $G (build first or pass its path)" >&2; exit 2; }
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
P=$here/eval_pipeline.json
nice -n 10 Rscript "$here/eval_gen.R" "$d" 1000 60
run() { "$G" --format csv mcda score --meta "$d/iMeta.csv" --data "$d/iData.csv" --pipeline "$P" "$@"; }
times=() cpus=()
for k in 1 2 3; do
    /usr/bin/time -f '%e %U %S' -o "$d/time" "$G" --format csv mcda score --meta "$d/iMeta.csv" \
        --data "$d/iData.csv" --pipeline "$P" > "$d/g_scores.csv"
    read -r wall user sys < "$d/time"
    times+=("$wall")
    cpus+=("$(echo "$user + $sys" | bc -l)")
done
tg=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
cg=$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n 2p)
# untimed: node weights and the draws themselves, for the reference implementation
run --sensitivity 0 --show weights > "$d/g_weights.csv"
run --draws-out "$d/draws.csv" > /dev/null
t0=$(date +%s.%N)
Rscript "$here/eval_ref.R" "$d" | tee "$d/r.out"
t1=$(date +%s.%N)
tr=$(sed -n 's/^R: \([0-9.]*\) s.*/\1/p' "$d/r.out")
twall=$(echo "$t1 - $t0" | bc -l)
printf 'units 1000, indicators 60, draws 10000, threads 2 (%s cores online)\n' "$(nproc)"
printf 'gongfu: %.3f s wall (median of 3: %s), %.3f s CPU; load average %s\n' "$tg" \
    "$(printf '%.2f ' "${times[@]}")" "$cg" "$(cut -d' ' -f1 /proc/loadavg)"
printf 'R:      %.3f s compute (%.3f s with start-up and comparison)\n' "$tr" "$twall"
printf 'ratio:  R / gongfu = %.1f×\n' "$(echo "$tr / $tg" | bc -l)"
grep -q '^results equal within 1e-9' "$d/r.out" || { echo "RESULTS DIFFER" >&2; exit 1; }
