#!/usr/bin/env bash
# Runs the fault suite (power loss, I/O errors, stale reports, fencing, hostile input) and the
# crash test (SIGKILL under load), and prints the fault table: for each fault, the operations
# acknowledged, failed and unanswered, what was lost, unexpected or duplicated after the restart,
# and whether its negative control bit.
# Expects the test build (cmake --preset test; scripts/test.sh does it). Exits non-zero if any
# fault test failed.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset test >/dev/null
cmake --build --preset test --target fault_tests crash_tests corral
report="$(pwd)/build/test/fault-table.tsv"
rm -f "$report"
status=0
CORRAL_FAULT_REPORT="$report" ctest --preset test -L 'fault_tests|crash_tests' -j "$(nproc)" || status=$?
echo
echo "Fault table (lost, unexpected, duplicated: counted after the restart, as Jepsen's queue checker does)"
{
  printf 'fault\tacknowledged\tfailed\tno reply\tlost\tunexpected\tduplicated\tnegative control bit\n'
  [ -f "$report" ] && sort "$report"
} | column -t -s $'\t'
exit "$status"
