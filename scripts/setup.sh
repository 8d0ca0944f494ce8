#!/usr/bin/env bash
# setup.sh — install what gongfu needs on a fresh Debian bookworm machine (as root) and build it.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake pkg-config git
  libsqlite3-dev libjansson-dev libcmocka-dev libsodium-dev libmicrohttpd-dev
  sqlite3 time
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

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGONGFU_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)"
