#!/bin/bash
# http_bench.sh — the HTTP door under load on loopback, side by side with its ceiling.
#
# In one run: a libmicrohttpd hello-world (bench/http_hello.c, set up as `gongfu serve` is) and
# `gongfu serve` on the demo database, each driven by wrk (Debian) at 64 connections:
#   1. reads: the dashboard's overview and other cached reads, signed in with a bearer token;
#   2. writes: single indicator values (PUT /api/values/{unit}/{indicator}/{period}) from 64
#      clients, each committed before it is answered (group commit).
# Prints requests/s, p50/p99 latency, the ratio to the ceiling, and checks every write landed.
# usage: bench/http_bench.sh [SECONDS=10]      env: GONGFU (binary; default build-bench/gongfu)
set -euo pipefail
cd "$(dirname "$0")"
SECS=${1:-10}
mkdir -p out data
if [ -z "${GONGFU:-}" ]; then
    cmake -S .. -B ../build-bench -DCMAKE_BUILD_TYPE=Release > /dev/null
    cmake --build ../build-bench -j2 --target gongfu > /dev/null
    GONGFU=../build-bench/gongfu
fi
command -v wrk > /dev/null || { echo "wrk is missing (apt-get install wrk)"; exit 1; }
cc -O2 -std=c17 -o out/http_hello http_hello.c -lmicrohttpd
DB=data/http-bench.db
rm -f "$DB" "$DB"-wal "$DB"-shm
"$GONGFU" --db "$DB" demo > /dev/null
printf 'Bench-pass-1\n' | "$GONGFU" --db "$DB" user add bench --role centre --password-stdin > /dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2> /dev/null || true; done; }
trap cleanup EXIT

# wrk_run NAME URL [wrk args...] → "rps p50_ms p99_ms non2xx"
wrk_run() {
    local name=$1 url=$2
    shift 2
    wrk -t2 -c64 -d"${SECS}s" --latency "$@" "$url" > "out/$name.wrk"
    awk '
      /Requests\/sec/ { rps = $2 }
      /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
      /Non-2xx/ { bad = $NF }
      function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
      END { printf "%.0f %.2f %.2f %d\n", rps, ms(p50), ms(p99), bad + 0 }' "out/$name.wrk"
}

HP=$(free_port)
out/http_hello "$HP" 16 > /dev/null &
PIDS+=($!)
GP=$(free_port)
"$GONGFU" --db "$DB" serve --listen "127.0.0.1:$GP" > out/serve.log 2>&1 &
PIDS+=($!)
sleep 1
TOKEN=$(curl -s -X POST -H 'Content-Type: application/json' -d '{"name":"bench","password":"Bench-pass-1"}' \
    -c out/cookies "http://127.0.0.1:$GP/api/login" > /dev/null &&
    CSRF=$(curl -s -b out/cookies "http://127.0.0.1:$GP/api/session" | sed 's/.*"csrf": "\([^"]*\)".*/\1/') &&
    curl -s -b out/cookies -X POST -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' \
        -d '{"label":"bench"}' "http://127.0.0.1:$GP/api/tokens" | sed 's/.*"token": "\([^"]*\)".*/\1/')
AUTH=(-H "Authorization: Bearer $TOKEN")

READ_PATH=${READ_PATH:-/api/overview?period=2025}
curl -sf "${AUTH[@]}" "http://127.0.0.1:$GP$READ_PATH" > /dev/null || READ_PATH=/api/units?level=county
echo "reads: $READ_PATH, $SECS s each, 64 connections, 2 wrk threads"
read -r h_rps h_p50 h_p99 h_bad < <(wrk_run hello "http://127.0.0.1:$HP/")
read -r g_rps g_p50 g_p99 g_bad < <(wrk_run reads "http://127.0.0.1:$GP$READ_PATH" "${AUTH[@]}")
printf '%-22s %10s %9s %9s %8s\n' "" "req/s" "p50 ms" "p99 ms" "non-2xx"
printf '%-22s %10s %9s %9s %8s\n' "hello-world (ceiling)" "$h_rps" "$h_p50" "$h_p99" "$h_bad"
printf '%-22s %10s %9s %9s %8s\n' "gongfu reads" "$g_rps" "$g_p50" "$g_p99" "$g_bad"
awk -v g="$g_rps" -v h="$h_rps" -v p="$g_p99" -v b="$g_bad" 'BEGIN {
    printf "gongfu / ceiling = %.2f  (goal: >= 0.5, >= 20 000 req/s, p99 < 10 ms, no errors): %s\n",
        g / h, (g / h >= 0.5 && g >= 20000 && p < 10 && b == 0) ? "met" : "NOT met" }'

# writes: each wrk connection PUTs values of its own village and indicator, counting up
cat > out/writes.lua << 'EOF'
local counter = 0
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  unit = args[1]; indicator = args[2]; token = args[3]
  n = 0
end
function request()
  n = n + 1
  local body = string.format('{"value": %d, "source": "bench"}', n)
  return wrk.format("PUT", string.format("/api/values/%s/%s/2025", unit, indicator),
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, body)
end
EOF
VILLAGE=$(sqlite3 "$DB" "SELECT code FROM unit WHERE level = 4 ORDER BY code LIMIT 1")
IND=$(sqlite3 "$DB" "SELECT i.code FROM indicator i JOIN framework_node f ON f.code = i.code WHERE i.formula IS NULL AND i.agg_units = 'sum' LIMIT 1")
BEFORE=$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = 'set' AND entity = 'value'")
read -r w_rps w_p50 w_p99 w_bad < <(wrk_run writes "http://127.0.0.1:$GP/" -s out/writes.lua -- "$VILLAGE" "$IND" "$TOKEN")
AFTER=$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = 'set' AND entity = 'value'")
echo "writes: PUT /api/values/$VILLAGE/$IND/2025, 64 clients"
printf '%-22s %10s %9s %9s %8s\n' "gongfu writes" "$w_rps" "$w_p50" "$w_p99" "$w_bad"
awk -v w="$w_rps" 'BEGIN { printf "committed writes/s: %.0f (goal >= 2 000): %s\n", w, w >= 2000 ? "met" : "NOT met" }'
echo "audit records of value writes during the run: $((AFTER - BEFORE))"
