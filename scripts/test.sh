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

ctest --preset test -j "$(nproc)"
# The fault tests ran above; this runs them once more by their label and prints the fault table.
bash scripts/faults.sh
