#!/usr/bin/env bash
# Sanitizer and fuzz runs, each a build of its own:
#   build/asan  the whole suite under AddressSanitizer and UndefinedBehaviorSanitizer (g++)
#   build/tsan  the concurrency tests (queue conformance, crash, faults) under ThreadSanitizer (g++)
#   build/fuzz  each libFuzzer target (clang 14) for FUZZ_SECONDS (default 20) from its committed
#               seed corpus under fuzz/corpus/; inputs it finds go to a temporary directory
# Exits non-zero at the first failure. The PostgreSQL tests need CORRAL_TEST_PG_URL, as
# scripts/test.sh sets it (eval "$(bash scripts/pg_cluster.sh start DIR)").
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --sanitize
jobs="$(nproc)"
fuzz_seconds="${FUZZ_SECONDS:-20}"

echo "== AddressSanitizer + UndefinedBehaviorSanitizer: every test"
cmake --preset asan >/dev/null
cmake --build --preset asan
ctest --preset asan -j "$jobs"

echo "== ThreadSanitizer: the concurrency tests (queue conformance, crash, faults)"
cmake --preset tsan >/dev/null
cmake --build --preset tsan --target queue_tests crash_tests fault_tests corral
ctest --preset tsan -j "$jobs"

echo "== libFuzzer: ${fuzz_seconds} s per target"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target fuzz_request_json fuzz_query
for target in request_json query; do
  found="$(mktemp -d)"
  trap 'rm -rf "$found"' EXIT
  ./build/fuzz/fuzz/fuzz_"$target" -max_total_time="$fuzz_seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=4096 -print_final_stats=1 "$found" fuzz/corpus/"$target"
  rm -rf "$found"
done
echo "== sanitizers and fuzzers: all passed"
