#!/usr/bin/env bash
# setup.sh — install what gongfu needs on a fresh Debian bookworm machine (as root) and build it.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake pkg-config git
  libsqlite3-dev libjansson-dev libcmocka-dev libsodium-dev libmicrohttpd-dev libxlsxwriter-dev
  libpq-dev postgresql-15
  sqlite3 time wrk poppler-utils
  chromium fonts-noto-cjk
  r-base-core r-cran-laeken
)
# the fuzz build (scripts/fuzz.sh): clang and its libFuzzer runtime
[ "${GONGFU_SETUP_FUZZ:-0}" = 1 ] && PACKAGES+=(clang libclang-rt-14-dev)
# node and npm (benchmarks against DuckDB): the machine image ships its own; Debian's only if missing
command -v npm >/dev/null 2>&1 || PACKAGES+=(nodejs npm)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages of the tests (HTTP API checks, the browser tests), locked in tests/package-lock.json
[ -d tests/node_modules ] || (cd tests && npm ci --no-audit --no-fund --loglevel=error)

# the web dashboard (web/): npm ci when its lock changed, vite build when web/dist is missing or
# older than its sources; `gongfu serve` serves web/dist
if [ ! -f web/node_modules/.package-lock.json ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
if [ ! -f web/dist/index.html ] || [ -n "$(find web/src web/public web/index.html web/vite.config.js web/package-lock.json \
      web/scripts -newer web/dist/index.html -print -quit)" ]; then
  (cd web && npm run --silent build)
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGONGFU_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)"
