#!/usr/bin/env bash
# Runs the fault suite (power loss, I/O errors, stale reports, fencing, the expiry race, hostile
# input, no double execution with stopped workers, a PostgreSQL failover from a killed primary to
# its promoted standby) and the crash test (SIGKILL under load), on SQLite and on PostgreSQL, and
# prints the fault table: for each fault and backend, the
# operations acknowledged, failed and unanswered, what was lost, unexpected or duplicated after
# the restart, and whether its negative control bit.
#
#   bash scripts/faults.sh               builds, runs the tests by their labels, prints the table
#   bash scripts/faults.sh --print FILE  only prints the table from FILE, the CORRAL_FAULT_REPORT
#                                        of a ctest run that ran the tests (scripts/test.sh does)
#
# The PostgreSQL rows need the test cluster named by CORRAL_TEST_PG_URL (scripts/pg_cluster.sh);
# without it those tests are left out, and the table says so. (The failover test starts a
# primary and a standby of its own, but runs with the other PostgreSQL tests.) Expects the test build
# (cmake --preset test). Exits non-zero if any fault test failed.
set -euo pipefail
cd "$(dirname "$0")/.."

print_table() {
  local report=$1
  echo
  echo "Fault table (lost, unexpected, duplicated: counted after the restart, as Jepsen's queue checker does)"
  {
    printf 'fault\tbackend\tacknowledged\tfailed\tno reply\tlost\tunexpected\tduplicated\tnegative control bit\n'
    if [ -f "$report" ]; then sort "$report"; fi
  } | column -t -s $'\t'
  if [ -z "${CORRAL_TEST_PG_URL:-}" ]; then
    echo "postgres rows skipped: CORRAL_TEST_PG_URL is not set, so the PostgreSQL fault tests did not run"
  elif ! grep -q $'\tpostgres\t' "$report" 2>/dev/null; then
    echo "no postgres rows: the PostgreSQL fault tests did not get as far as reporting"
  fi
}

if [ "${1:-}" = --print ]; then
  print_table "${2:?usage: faults.sh --print FILE}"
  exit 0
fi

cmake --preset test >/dev/null
cmake --build --preset test --target fault_tests crash_tests corral
report="$(pwd)/build/test/fault-table.tsv"
rm -f "$report"
skip=()
if [ -z "${CORRAL_TEST_PG_URL:-}" ]; then skip=(-E '^postgres:'); fi
status=0
CORRAL_FAULT_REPORT="$report" ctest --preset test -L 'fault_tests|crash_tests' "${skip[@]}" -j "$(nproc)" || status=$?
print_table "$report"
exit "$status"
