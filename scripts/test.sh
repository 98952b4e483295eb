#!/usr/bin/env bash
# Installs what is missing, builds with the test suite and runs every test. Exits 0 only when
# every test passed. The PostgreSQL tests get a private cluster, started here in a temporary
# directory on a free 127.0.0.1 port and stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
cmake --preset test >/dev/null
cmake --build --preset test

pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/corral-test-pg.XXXXXX")
cleanup() {
  bash scripts/pg_cluster.sh stop "$pg_dir" || true
  rm -rf "$pg_dir"
}
trap cleanup EXIT
eval "$(bash scripts/pg_cluster.sh start "$pg_dir")"

# The fault tests write their rows of the fault table as they run; it is printed at the end.
report="$(pwd)/build/test/fault-table.tsv"
rm -f "$report"
status=0
CORRAL_FAULT_REPORT="$report" ctest --preset test -j "$(nproc)" || status=$?
bash scripts/faults.sh --print "$report"
exit "$status"
