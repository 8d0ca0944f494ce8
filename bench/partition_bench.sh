#!/bin/bash
# partition_bench.sh — the distribution measures split by county over 1, 2, 4, 8 partitions
# (bench/partition_bench.c: each partition alone, the coordinator merging sums and sorted runs),
# checked against one computation over all rows.  docs/scale.md reads its figures.
# usage: bench/partition_bench.sh [N=4000000] [COUNTIES=16] [VILLAGES_PER_COUNTY=50]
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p out
cmake -S .. -B ../build-bench -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build ../build-bench -j2 --target gongfu_core > /dev/null
cc -O2 -std=c17 -D_GNU_SOURCE -I../src -o out/partition_bench partition_bench.c \
    ../build-bench/libgongfu_core.a -lm -lpthread
./out/partition_bench "${1:-4000000}" "${2:-16}" "${3:-50}"
