#!/usr/bin/env bash
# Installs what is missing, builds and runs every test. Exits 0 only when every test passed.
#
# The whole suite runs once, on the AddressSanitizer + UndefinedBehaviorSanitizer build
# (build/asan): a memory error or undefined behaviour anywhere fails the run, and one build
# serves both purposes, which keeps a cold run well under half an hour on two cores. Then the
# concurrency tests run under ThreadSanitizer and each fuzzer for a bounded time
# (scripts/sanitize.sh tsan fuzz). The fault table is printed from the main run.
#
#   --plain   the optimised build (build/test) instead, and no ThreadSanitizer or fuzz stage:
#             the quick loop while developing
#
# The PostgreSQL tests get a private cluster, started here in a temporary directory on a free
# 127.0.0.1 port and stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
preset=asan
case "${1:-}" in
  "") ;;
  --plain) preset=test ;;
  *) echo "test.sh: unknown option $1 (expected --plain)" >&2; exit 2 ;;
esac
if [ "$preset" = asan ]; then bash scripts/setup.sh --test --sanitize; else bash scripts/setup.sh --test; fi
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"

pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/corral-test-pg.XXXXXX")
cleanup() {
  bash scripts/pg_cluster.sh stop "$pg_dir" || true
  rm -rf "$pg_dir"
}
trap cleanup EXIT
eval "$(bash scripts/pg_cluster.sh start "$pg_dir")"

# The fault tests write their rows of the fault table as they run; it is printed at the end.
report="$(pwd)/build/$preset/fault-table.tsv"
rm -f "$report"
status=0
CORRAL_FAULT_REPORT="$report" ctest --preset "$preset" -j "$(nproc)" || status=$?
bash scripts/faults.sh --print "$report"
[ "$status" -eq 0 ] || exit "$status"
if [ "$preset" = asan ]; then bash scripts/sanitize.sh tsan fuzz; fi
