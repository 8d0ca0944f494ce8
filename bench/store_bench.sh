#!/bin/bash
# store_bench.sh — the two backends side by side on the same work, in one run:
#   1. import: N households of microdata (`gongfu import households`, all-or-nothing, every value
#      checked), then the same file again (nothing changes);
#   2. `gongfu stats --db`: the distribution measures of every unit from the stored rows;
#   3. `gongfu migrate` of the whole demo database from its file into PostgreSQL;
#   4. dashboard reads: `gongfu serve` of the demo database, the overview read by wrk at 64
#      connections with a bearer token (as bench/http_bench.sh), for each backend.
# SQLite is a file in bench/out; PostgreSQL a throwaway cluster (scripts/pg.sh, as root) on a
# local socket, with fsync on (as a server that keeps its data would run).
# Prints wall time, rows/s, peak memory of gongfu, req/s and p99, and PostgreSQL / SQLite.
# usage: bench/store_bench.sh [N=1000000] [SECONDS=10]    env: GONGFU (default build-bench/gongfu)
set -euo pipefail
cd "$(dirname "$0")"
N=${1:-1000000}
SECS=${2:-10}
if [ -z "${GONGFU:-}" ]; then
    cmake -S .. -B ../build-bench -DCMAKE_BUILD_TYPE=Release > /dev/null
    cmake --build ../build-bench -j2 --target gongfu > /dev/null
    GONGFU=../build-bench/gongfu
fi
GONGFU=$(realpath "$GONGFU")
command -v wrk > /dev/null || { echo "wrk is missing (apt-get install wrk)"; exit 1; }
. ./mic_data.sh
echo "file: $F, $N households, $(du -m "$F" | cut -f1) MB"

# the cluster, fsync on: start it with pg.sh, then turn durability back on and restart
source ../scripts/pg.sh start > /dev/null
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2> /dev/null || true; done
    bash ../scripts/pg.sh stop "$GONGFU_TEST_PG_HOST"
}
trap cleanup EXIT
runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$GONGFU_TEST_PG_HOST/data" -w \
    -o "-k $GONGFU_TEST_PG_HOST -c listen_addresses= -c fsync=on -c synchronous_commit=on -c full_page_writes=on -c shared_buffers=512MB" \
    restart > /dev/null
pgdb() { # pgdb NAME → URL of a new database
    psql -h "$GONGFU_TEST_PG_HOST" -U postgres -d postgres -XAtq -c "CREATE DATABASE $1" > /dev/null
    echo "postgresql://postgres@/$1?host=$GONGFU_TEST_PG_HOST"
}

. ./timing.sh # run NAME CMD...: WALL, CPU, PEAK

LITE=out/store-bench.db
rm -f "$LITE" "$LITE-wal" "$LITE-shm"
PG=$(pgdb store_bench)
for b in sqlite pg; do
    db=$LITE
    [ $b = pg ] && db=$PG
    "$GONGFU" --db "$db" import units "$U" > /dev/null
    run "${b}_import" "$GONGFU" --db "$db" import households "$F" --period 2024
    run "${b}_reimport" "$GONGFU" --db "$db" import households "$F" --period 2024
    run "${b}_stats" "$GONGFU" --db "$db" stats --db --period 2024 --format csv
done
cmp -s out/sqlite_stats.stdout out/pg_stats.stdout || { echo "stats --db differ between the backends"; diff out/sqlite_stats.stdout out/pg_stats.stdout | head; exit 1; }

DEMO=out/store-bench-demo.db
rm -f "$DEMO" "$DEMO-wal" "$DEMO-shm"
"$GONGFU" --db "$DEMO" demo > /dev/null
PGDEMO=$(pgdb store_bench_demo)
run pg_migrate "$GONGFU" migrate --from "$DEMO" --to "$PGDEMO"

printf '\n%-26s %10s %10s %12s %9s\n' "step (N=$N)" "SQLite s" "PG s" "PG / SQLite" "peak MB"
for k in import reimport stats; do
    printf '%-26s %10s %10s %12s %9s\n' "$k" "${WALL[sqlite_$k]}" "${WALL[pg_$k]}" \
        "$(awk -v a="${WALL[sqlite_$k]}" -v b="${WALL[pg_$k]}" 'BEGIN { printf "%.2f", (a > 0) ? b / a : 0 }')" \
        "${PEAK[sqlite_$k]}/${PEAK[pg_$k]}"
done
awk -v n="$N" -v a="${WALL[sqlite_import]}" -v b="${WALL[pg_import]}" \
    'BEGIN { printf "import rows/s: SQLite %.0f, PostgreSQL %.0f\n", n / a, n / b }'
echo "migrate of the demo database into PostgreSQL: ${WALL[pg_migrate]} s"

# dashboard reads on each backend
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
for b in sqlite pg; do
    db=$DEMO
    [ $b = pg ] && db=$PGDEMO
    printf 'Bench-pass-1\n' | "$GONGFU" --db "$db" user add bench_$b --role centre --password-stdin > /dev/null
    port=$(free_port)
    "$GONGFU" --db "$db" serve --listen "127.0.0.1:$port" > "out/serve-$b.log" 2>&1 &
    PIDS+=($!)
    sleep 1
    curl -s -X POST -H 'Content-Type: application/json' -d "{\"name\":\"bench_$b\",\"password\":\"Bench-pass-1\"}" \
        -c out/cookies "http://127.0.0.1:$port/api/login" > /dev/null
    csrf=$(curl -s -b out/cookies "http://127.0.0.1:$port/api/session" | sed 's/.*"csrf": "\([^"]*\)".*/\1/')
    token=$(curl -s -b out/cookies -X POST -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
        -d '{"label":"bench"}' "http://127.0.0.1:$port/api/tokens" | sed 's/.*"token": "\([^"]*\)".*/\1/')
    url="http://127.0.0.1:$port/api/overview?period=2025"
    curl -sf -H "Authorization: Bearer $token" "$url" > /dev/null
    wrk -t1 -c4 -d1s -H "Authorization: Bearer $token" "$url" > /dev/null # warm the cache
    wrk -t2 -c64 -d"${SECS}s" --latency -H "Authorization: Bearer $token" "$url" > "out/reads-$b.wrk"
    # a read the cache does not hold: one unit's evaluation, computed from the database each time
    url2="http://127.0.0.1:$port/api/units?level=village"
    wrk -t2 -c64 -d"${SECS}s" --latency -H "Authorization: Bearer $token" "$url2" > "out/reads2-$b.wrk"
done
summary() {
    awk '/Requests\/sec/ { rps = $2 } /^ +99%/ { p99 = $2 } /Non-2xx/ { bad = $NF }
        END { printf "%10.0f %10s %8d", rps, p99, bad + 0 }' "$1"
}
printf '\n%-34s %10s %10s %8s\n' "dashboard reads (64 connections)" "req/s" "p99" "non-2xx"
printf '%-34s %s\n' "overview, SQLite" "$(summary out/reads-sqlite.wrk)"
printf '%-34s %s\n' "overview, PostgreSQL" "$(summary out/reads-pg.wrk)"
printf '%-34s %s\n' "units of a level, SQLite" "$(summary out/reads2-sqlite.wrk)"
printf '%-34s %s\n' "units of a level, PostgreSQL" "$(summary out/reads2-pg.wrk)"
