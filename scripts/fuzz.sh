#!/usr/bin/env bash
# fuzz.sh — build the libFuzzer configuration (clang, library instrumented) and run every fuzz
# target for a bounded time, printing per target: executions, executions per second, coverage
# edges (libFuzzer's final "cov:") and crashes.  Exit status 1 if any target crashed.
#
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]     default 30 s per target, every target
#
# A target whose seed folder (tests/fuzz/seeds/NAME) holds sub-folders runs once per
# sub-folder, with GONGFU_FUZZ_CASE set to the sub-folder's name (fuzz_import: one run per
# import kind).  Each run starts from the seeds in a fresh corpus under build-fuzz/corpus/;
# a crash leaves its input in build-fuzz/artifacts/ (add it to the seeds once fixed).
# Environment: FUZZ_BUILD (build folder, default build-fuzz), FUZZ_JOBS (build jobs, 2).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
shift || true
build=${FUZZ_BUILD:-build-fuzz}

have_fuzzer_runtime() {
  command -v clang >/dev/null 2>&1 &&
    [ -n "$(find /usr/lib/llvm-*/lib/clang -name 'libclang_rt.fuzzer-x86_64.a' 2>/dev/null | head -1)" ]
}
if ! have_fuzzer_runtime; then
  GONGFU_SETUP_FUZZ=1 bash scripts/setup.sh # installs clang and libclang-rt-14-dev
fi

mkdir -p "$build"
if ! { CC=clang cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGONGFU_FUZZ=ON &&
  cmake --build "$build" -j"${FUZZ_JOBS:-2}"; } >"$build/build.log" 2>&1; then
  tail -30 "$build/build.log"
  echo "fuzz.sh: the fuzz build failed (log: $build/build.log)" >&2
  exit 2
fi

# absolute paths: fuzz_cli runs each command in its own folder, where libFuzzer may write a crash
build=$(cd "$build" && pwd)

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for src in tests/fuzz/fuzz_*.c; do
    targets+=("$(basename "$src" .c)")
  done
fi

# one run: NAME CASE SEEDS
failed=0
run() {
  local name=$1 case=$2 seeds=$3 label=$1${2:+/$2}
  local corpus="$build/corpus/${label//\//-}" art="$build/artifacts/${label//\//-}/"
  local log="$build/logs/${label//\//-}.log"
  local tmp="$build/tmp/${label//\//-}"
  rm -rf "$corpus" "$art" "$tmp"
  mkdir -p "$corpus" "$art" "$tmp" "$(dirname "$log")"
  TMPDIR=$tmp GONGFU_FUZZ_CASE=$case ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$build/$name" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$art" "$corpus" "$PWD/$seeds" >"$log" 2>&1 || true
  rm -rf "$tmp"
  local runs cov eps crashes
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$({ grep -o 'cov: [0-9]*' "$log" || true; } | tail -1 | sed 's/cov: //')
  crashes=$(find "$art" -type f | wc -l)
  if [ -z "$runs" ] && [ "$crashes" -eq 0 ]; then
    crashes=1 # it died before its statistics: see the log
    echo "$log" >"$art/no-statistics"
  fi
  [ "$crashes" -eq 0 ] || failed=1
  printf '%-28s %12s %10s %8s %8s\n' "$label" "${runs:-?}" "${eps:-?}" "${cov:-?}" "$crashes"
  if [ "$crashes" -ne 0 ]; then
    find "$art" -type f | sed 's/^/    /'
    { grep -m1 -E 'ERROR: |runtime error|deadly signal|fuzz_[a-z]*: ' "$log" || tail -3 "$log"; } |
      sed 's/^/    /'
  fi
}

printf '%-28s %12s %10s %8s %8s\n' target executions exec/s edges crashes
for name in "${targets[@]}"; do
  seeds=tests/fuzz/seeds/${name#fuzz_}
  subs=$(find "$seeds" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | sort)
  if [ -n "$subs" ]; then
    for c in $subs; do
      run "$name" "$c" "$seeds/$c"
    done
  else
    run "$name" "" "$seeds"
  fi
done
exit $failed
