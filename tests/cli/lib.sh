# lib.sh — helpers for black-box tests of the gongfu binary (sourced by tests/cli/t*.sh).
set -eu
: "${GONGFU:?GONGFU must point to the gongfu binary}"
: "${GONGFU_SRC:?GONGFU_SRC must point to the source tree}"
T=$(mktemp -d "${TMPDIR:-/tmp}/gongfu-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T"
export GONGFU_NOW=2026-06-30T12:00:00Z
unset GONGFU_USER # the CLI acts as the database's administrator unless a test names a user
fails=0
passes=0
ok() { passes=$((passes + 1)); }
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
# expect_exit CODE CMD...: run and check the exit code; output in $T/out, $T/err
expect_exit() {
  local want=$1; shift
  set +e; "$@" >"$T/out" 2>"$T/err"; local got=$?; set -e
  if [ "$got" -ne "$want" ]; then fail "exit $got, expected $want: $*"; sed 's/^/  stderr: /' "$T/err" >&2; return 1; fi
  ok
}
# expect_in FILE TEXT...: every text occurs in the file
expect_in() {
  local f=$1; shift
  for s in "$@"; do
    if ! grep -qF -- "$s" "$f"; then fail "'$s' not in $(basename "$f"): $(head -c 400 "$f")"; else ok; fi
  done
}
dump() { sqlite3 "$1" .dump; }
finish() {
  echo "$passes passed, $fails failed"
  [ "$fails" -eq 0 ]
}
