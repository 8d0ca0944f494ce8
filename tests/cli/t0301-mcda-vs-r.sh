#!/bin/bash
# t0301-mcda-vs-r.sh — `gongfu mcda score` against an independent base-R implementation
# (bench/eval_ref.R, written from docs/evaluation.md) on synthetic data: imputation, outlier
# treatment, min-max, framework weights, arithmetic index and dimensions, and a 400-draw
# sensitivity analysis (weights ±25 %, min-max or ranks, arithmetic or geometric, 0–5 winsorised
# points) replayed by R from gongfu's draws.  Everything must agree within 1e-9.
# no database: files in, figures out (the same on either backend)
set -eu
G=${GONGFU:?} SRC=${GONGFU_SRC:?}
command -v Rscript > /dev/null || { echo "FAIL: Rscript (r-base-core) is needed" >&2; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
Rscript "$SRC/bench/eval_gen.R" "$T" 150 18 7
run() { "$G" --format csv mcda score --meta "$T/iMeta.csv" --data "$T/iData.csv" \
        --pipeline "$SRC/bench/eval_pipeline.json" "$@"; }
run --sensitivity 400 --seed 5 > "$T/g_scores.csv"
run --sensitivity 0 --show weights > "$T/g_weights.csv"
run --sensitivity 400 --seed 5 --threads 1 --draws-out "$T/draws.csv" > "$T/g1.csv"
cmp -s "$T/g_scores.csv" "$T/g1.csv" || { echo "FAIL: 1 and 2 threads differ" >&2; exit 1; }
Rscript "$SRC/bench/eval_ref.R" "$T" > "$T/r.out" || { cat "$T/r.out"; echo "FAIL: gongfu and R differ" >&2; exit 1; }
grep -q '^results equal within 1e-9' "$T/r.out" || { cat "$T/r.out"; exit 1; }
echo "t0301-mcda-vs-r: ok"
