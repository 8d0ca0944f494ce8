#!/usr/bin/env bash
# screenshots.sh — rebuild the demo and the dashboard, serve them on 127.0.0.1 and write a picture
# of every page (zh and en, laptop and phone) to docs/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
./build/gongfu --db "$tmp/demo.db" demo >/dev/null 2>&1
node scripts/screenshots.mjs "$PWD/build/gongfu" "$tmp/demo.db" docs/screenshots
