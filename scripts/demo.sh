#!/usr/bin/env bash
# demo.sh — the main job: install, build, build the Panzhihua demo database, print its
# evaluation summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
./build/gongfu --db gongfu.db demo
./build/gongfu --db gongfu.db eval --period 2024 --level county 2>/dev/null || true
