#!/bin/bash
# import_households.sh — household microdata into SQLite: `gongfu import households` vs the
# sqlite3 shell's `.import` of the same CSV, then `gongfu stats --db` on the stored rows.
# The file comes from gen_households.c (1 city, 5 counties, 100 townships, 1000 villages),
# reshaped to the microdata format (docs/income-microdata.md): unit = village, income =
# household income / size (per capita).  Prints wall and CPU time, rows/s and peak memory.
# The peer table has the CSV's 8 columns and types; gongfu's has one more (period) and checks
# every value (numbers, units against the hierarchy, weights >= 0) while loading.
# usage: bench/import_households.sh [N=3000000]      (run it with nice on shared machines)
# env: GONGFU (binary; default: build it in build-bench/).
set -euo pipefail
cd "$(dirname "$0")"
N=${1:-3000000}
mkdir -p data out
if [ -z "${GONGFU:-}" ]; then
    cmake -S .. -B ../build-bench -DCMAKE_BUILD_TYPE=Release > /dev/null
    cmake --build ../build-bench -j2 --target gongfu > /dev/null
    GONGFU=../build-bench/gongfu
fi
. ./mic_data.sh # F, U: the microdata and units files of N households
echo "file: $F, $N households, $(du -m "$F" | cut -f1) MB"

. ./timing.sh # run NAME CMD...: WALL, CPU, PEAK

DB=out/mic.db
PEER=out/mic-peer.db
rm -f "$DB" "$DB-wal" "$DB-shm" "$PEER" "$PEER-wal" "$PEER-shm"
"$GONGFU" --db "$DB" import units "$U" > /dev/null
run gongfu_import "$GONGFU" --db "$DB" import households "$F" --period 2024
run gongfu_reimport "$GONGFU" --db "$DB" import households "$F" --period 2024
run gongfu_stats_db "$GONGFU" --db "$DB" stats --db --period 2024 --format csv
sqlite3 "$PEER" "PRAGMA journal_mode=WAL; CREATE TABLE income_microdata (unit TEXT NOT NULL,
  household TEXT, urban INTEGER NOT NULL, size INTEGER NOT NULL, income REAL NOT NULL,
  weight REAL NOT NULL, food REAL, consumption REAL);" > /dev/null
run sqlite3_import sqlite3 -cmd "PRAGMA synchronous=FULL" "$PEER" ".import --csv --skip 1 $F income_microdata"

rows=$(sqlite3 "$DB" "SELECT count(*) FROM income_microdata")
prow=$(sqlite3 "$PEER" "SELECT count(*) FROM income_microdata")
[ "$rows" = "$N" ] && [ "$prow" = "$N" ] || { echo "row counts differ: gongfu $rows, sqlite3 $prow, file $N"; exit 1; }
printf '%-18s %9s %9s %12s %9s\n' step wall_s cpu_s rows/s peak_MB
for k in gongfu_import sqlite3_import gongfu_reimport gongfu_stats_db; do
    printf '%-18s %9s %9s %12s %9s\n' "$k" "${WALL[$k]}" "${CPU[$k]}" \
        "$(awk -v n="$N" -v w="${WALL[$k]}" 'BEGIN { printf "%.0f", (w > 0) ? n / w : 0 }')" "${PEAK[$k]}"
done
awk -v a="${WALL[sqlite3_import]}" -v b="${WALL[gongfu_import]}" \
    'BEGIN { printf "gongfu import vs sqlite3 .import: %.2fx (wall)\n", a / b }'
echo "stats --db rows: $(($(wc -l < out/gongfu_stats_db.stdout) - 1)) units; $(cat out/gongfu_stats_db.stderr)"
