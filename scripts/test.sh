#!/usr/bin/env bash
# test.sh — run every test: the normal build (warnings are errors) and the sanitizer build
# (AddressSanitizer + UndefinedBehaviorSanitizer).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc)
# a PostgreSQL cluster for the tests labelled pg (the API tests again on the second backend)
source scripts/pg.sh start
trap 'bash scripts/pg.sh stop "$GONGFU_TEST_PG_HOST"' EXIT
echo "== tests (RelWithDebInfo, -Werror; SQLite and PostgreSQL) =="
ctest --test-dir build --output-on-failure -j"$jobs"
echo "== tests (address + undefined sanitizers) =="
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DGONGFU_WERROR=ON -DGONGFU_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE "slow|pg"
# the PostgreSQL backend's store rules under the sanitizers too (t0880 takes 3 minutes there: the
# normal build runs it; run it by hand with -R pg/cli after changing the backend)
ctest --test-dir build-asan --output-on-failure -j"$jobs" -R "^pg/unit/"
