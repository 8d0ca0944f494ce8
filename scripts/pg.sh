#!/usr/bin/env bash
# pg.sh — a throwaway PostgreSQL 15 cluster for the tests: `source scripts/pg.sh start` makes
# one in a new folder (as the postgres user, on a local socket only, no TCP), exports
# GONGFU_TEST_PG_HOST (the socket folder) and GONGFU_TEST_PG (the URL of its postgres database);
# `bash scripts/pg.sh stop FOLDER` stops it and removes the folder.
# The cluster is for tests: fsync is off (nothing here is meant to survive a power cut).
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
case "${1:-}" in
start)
  dir=$(mktemp -d /tmp/gongfu-pg-XXXXXX)
  chown postgres "$dir"
  runuser -u postgres -- "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-locale -E UTF8 >"$dir/initdb.log"
  runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-k $dir -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c huge_pages=off" start >/dev/null
  export GONGFU_TEST_PG_HOST=$dir
  export GONGFU_TEST_PG="postgresql://postgres@/postgres?host=$dir"
  echo "PostgreSQL test cluster: $dir"
  ;;
stop)
  dir=$2
  runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  rm -rf "$dir"
  ;;
*)
  echo "usage: source scripts/pg.sh start | bash scripts/pg.sh stop FOLDER" >&2
  exit 2
  ;;
esac
