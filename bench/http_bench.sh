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
cc -O2 -std=c17 -D_POSIX_C_SOURCE=200809L -o out/http_hello http_hello.c -lmicrohttpd
DB=data/http-bench.db
rm -f "$DB" "$DB"-wal "$DB"-shm
"$GONGFU" --db "$DB" demo > /dev/null
printf 'Bench-pass-1\n' | "$GONGFU" --db "$DB" user add bench --role centre --password-stdin > /dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2> /dev/null || true; done; }
trap cleanup EXIT

# wrk_run NAME URL [wrk options...] [-- script args...] → "rps p50_ms p99_ms non2xx"
wrk_run() {
    local name=$1 url=$2 opts=() args=()
    shift 2
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do opts+=("$1"); shift; done
    [ $# -gt 0 ] && shift && args=(-- "$@")
    wrk -t2 -c64 -d"${SECS}s" --latency "${opts[@]}" "$url" "${args[@]}" > "out/$name.wrk"
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
curl -sf "${AUTH[@]}" "http://127.0.0.1:$GP$READ_PATH" > /dev/null || READ_PATH=/api/race?period=2025
echo "reads: $READ_PATH, $SECS s each, 64 connections, 2 wrk threads"
read -r h_rps h_p50 h_p99 h_bad < <(wrk_run hello "http://127.0.0.1:$HP/")
# the first read computes what the cache then serves: warm it, as a dashboard in use is
wrk -t1 -c4 -d1s "${AUTH[@]}" "http://127.0.0.1:$GP$READ_PATH" > /dev/null
read -r g_rps g_p50 g_p99 g_bad < <(wrk_run reads "http://127.0.0.1:$GP$READ_PATH" "${AUTH[@]}")
printf '%-22s %10s %9s %9s %8s\n' "" "req/s" "p50 ms" "p99 ms" "non-2xx"
printf '%-22s %10s %9s %9s %8s\n' "hello-world (ceiling)" "$h_rps" "$h_p50" "$h_p99" "$h_bad"
printf '%-22s %10s %9s %9s %8s\n' "gongfu reads" "$g_rps" "$g_p50" "$g_p99" "$g_bad"
awk -v g="$g_rps" -v h="$h_rps" -v p="$g_p99" -v b="$g_bad" 'BEGIN {
    printf "gongfu / ceiling = %.2f  (goal: >= 0.5, >= 20 000 req/s, p99 < 10 ms, no errors): %s\n",
        g / h, (g / h >= 0.5 && g >= 20000 && p < 10 && b == 0) ? "met" : "NOT met" }'

# writes: PUT single values of the villages (period 2026: not approved, so not locked), each a
# real change (the value counts up), audited, acknowledged only after its group commit
cat > out/writes.lua << 'EOF'
local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
function init(args)
  token = args[1]; indicator = args[2]; villages = {}
  for i = 3, #args do villages[#villages + 1] = args[i] end
  n = tid * 100000000
  headers = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}
end
function request()
  n = n + 1
  local unit = villages[(n % #villages) + 1]
  return wrk.format("PUT", "/api/values/" .. unit .. "/" .. indicator .. "/2026", headers,
    string.format('{"value": %d, "source": "bench"}', n))
end
EOF
VILLAGES=$(sqlite3 "$DB" "SELECT code FROM unit WHERE level = 4 ORDER BY code LIMIT 64" | tr '\n' ' ')
IND=$(sqlite3 "$DB" "SELECT d.code FROM framework_node n JOIN indicator d ON d.code = n.code WHERE n.kind = 'indicator' AND d.formula IS NULL ORDER BY n.framework, n.code LIMIT 1")
BEFORE=$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE entity = 'value'")
# shellcheck disable=SC2086
read -r w_rps w_p50 w_p99 w_bad < <(wrk_run writes "http://127.0.0.1:$GP/" -s out/writes.lua -- "$TOKEN" "$IND" $VILLAGES)
AFTER=$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE entity = 'value'")
echo
echo "writes: PUT /api/values/{village}/$IND/2026 over 64 villages, 64 connections"
printf '%-22s %10s %9s %9s %8s\n' "" "req/s" "p50 ms" "p99 ms" "non-2xx"
printf '%-22s %10s %9s %9s %8s\n' "gongfu writes" "$w_rps" "$w_p50" "$w_p99" "$w_bad"
awk -v w="$w_rps" -v b="$w_bad" 'BEGIN {
    printf "committed writes/s: %.0f (goal >= 2 000, no errors): %s\n", w, (w >= 2000 && b == 0) ? "met" : "NOT met" }'
echo "value changes audited during the run: $((AFTER - BEFORE)) (each acknowledged write that changed a value is one)"
