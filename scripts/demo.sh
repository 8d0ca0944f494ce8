#!/usr/bin/env bash
# demo.sh — the main job: install, build, build the Panzhihua demo database, print its
# evaluation summary, then serve the dashboard on 127.0.0.1 with one demo account per role
# (synthetic accounts, src/service/demo_users.c).  --no-serve stops before serving.
# GONGFU_DEMO_LISTEN changes the address (default 127.0.0.1:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
./build/gongfu --db gongfu.db demo
./build/gongfu --db gongfu.db eval --period 2024 --level county 2>/dev/null || true
[ "${1:-}" = "--no-serve" ] && exit 0

listen="${GONGFU_DEMO_LISTEN:-127.0.0.1:8080}"
password="gongfu2025demo"   # GF_DEMO_PASSWORD in src/service/demo_users.h
echo
echo "共富驾驶舱 / the dashboard: http://${listen}/   (公示 / public lists: http://${listen}/public)"
echo "演示账号(合成数据,仅供演示) / demo accounts (synthetic), password: ${password}"
./build/gongfu --db gongfu.db --format csv user list | tail -n +2 | \
  awk -F, '$9 == "yes" { printf "  %-10s %-10s %s\n", $1, $3, $2 }'
echo
exec ./build/gongfu --db gongfu.db serve --listen "$listen"
