#!/usr/bin/env bash
# examples.sh — rebuild the demo and print the example reports to docs/examples/: the zone's
# quarterly report and one village's report (兴村报表) for 2025, as PDF (headless chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/gongfu ] || bash scripts/setup.sh >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
./build/gongfu --db "$tmp/demo.db" demo >/dev/null 2>&1
mkdir -p docs/examples
./build/gongfu --db "$tmp/demo.db" report quarterly --period 2025 --pdf docs/examples/quarterly-2025.pdf
./build/gongfu --db "$tmp/demo.db" report village --unit 510421001001 --period 2025 \
  --pdf docs/examples/village-510421001001-2025.pdf
