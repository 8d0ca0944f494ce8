#!/bin/bash
# import_values.sh — `gongfu import values` of a large file: every row validated, written and
# audited (one audit record per changed row, chained by hash), then the same file again (nothing
# changes), then a file where every value differs (every row updated and audited).
# Synthetic: 1 city, 10 counties, 100 townships, 1 000 villages; 100 indicators; one year;
# N = 100 000 rows.
# usage: bench/import_values.sh [VILLAGES=1000] [INDICATORS=100]   (run it with nice)
# env: GONGFU (binary; default: build it in build-bench/).
set -euo pipefail
cd "$(dirname "$0")"
V=${1:-1000}
I=${2:-100}
mkdir -p data out
if [ -z "${GONGFU:-}" ]; then
    cmake -S .. -B ../build-bench -DCMAKE_BUILD_TYPE=Release > /dev/null
    cmake --build ../build-bench -j2 --target gongfu > /dev/null
    GONGFU=../build-bench/gongfu
fi
U=data/val-units-$V.csv
F=data/val-framework-$I.csv
A=data/val-$V-$I-a.csv
B=data/val-$V-$I-b.csv
awk -v v="$V" 'BEGIN { print "code,name,parent,level,area,population"
    print "9900,city,,city,urban,"
    for (c = 0; c < 10; c++) printf "99%02d,county %d,9900,county,rural,\n", c + 1, c
    for (t = 0; t < 100; t++) printf "99%02d%03d,township %d,99%02d,township,rural,\n", t % 10 + 1, t, t, t % 10 + 1
    for (k = 0; k < v; k++) printf "99%02d%03d%04d,village %d,99%02d%03d,village,rural,%d\n", k % 10 + 1, k % 100, k, k, k % 10 + 1, k % 100, 100 + k }' > "$U"
awk -v n="$I" 'BEGIN { print "framework,framework_name,code,parent,kind,name,weight,direction,agg_units"
    print "bench,bench,idx,,index,index,1,,"
    for (i = 0; i < n; i++) printf "bench,,x%03d,idx,indicator,indicator %d,1,+,sum\n", i, i }' > "$F"
for f in "$A" "$B"; do
    awk -v v="$V" -v n="$I" -v shift_="$([ "$f" = "$B" ] && echo 1 || echo 0)" 'BEGIN {
        print "unit,indicator,period,value,source"
        for (k = 0; k < v; k++) for (i = 0; i < n; i++)
            printf "99%02d%03d%04d,x%03d,2024,%d,bench\n", k % 10 + 1, k % 100, k, i, (k * 7919 + i * 104729) % 100000 + shift_ }' > "$f"
done
N=$(($(wc -l < "$A") - 1))
echo "file: $A, $N rows, $(du -k "$A" | cut -f1) kB"

run() { # run NAME CMD...: wall and CPU seconds from /usr/bin/time -v
    local name=$1
    shift
    /usr/bin/time -v -o "out/$name.time" "$@" > "out/$name.stdout" 2> "out/$name.stderr" || {
        echo "$name failed:"; cat "out/$name.stderr"; exit 1; }
    local wall cpu
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
        for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "out/$name.time")
    cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.2f", u + s }' "out/$name.time")
    printf '%-16s %8s %8s %10s   %s\n' "$name" "$wall" "$cpu" \
        "$(awk -v n="$N" -v w="$wall" 'BEGIN { printf "%.0f", (w > 0) ? n / w : 0 }')" "$(tail -n 1 "out/$name.stdout")"
}

DB=out/val.db
rm -f "$DB" "$DB-wal" "$DB-shm"
"$GONGFU" --db "$DB" import units "$U" > /dev/null
"$GONGFU" --db "$DB" import framework "$F" > /dev/null
printf '%-16s %8s %8s %10s\n' step wall_s cpu_s rows/s
run import "$GONGFU" --db "$DB" --lang en import values "$A"
run reimport "$GONGFU" --db "$DB" --lang en import values "$A"
run update "$GONGFU" --db "$DB" --lang en import values "$B"
echo "audit records: $(sqlite3 "$DB" 'SELECT count(*) FROM audit')"
