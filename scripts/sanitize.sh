#!/usr/bin/env bash
# Sanitizer and fuzz runs, each a build of its own, in its own folder:
#   asan  the whole suite under AddressSanitizer and UndefinedBehaviorSanitizer (g++, build/asan)
#   tsan  the concurrency tests under ThreadSanitizer (g++, build/tsan): the queue suite (the
#         writer, the waiters, the PostgreSQL batcher and notifier, driven by many threads) and the
#         crash test (the instrumented server under HTTP load, killed and restarted), and the C++
#         client suite (the worker's threads: the shared fetch, batched completions, heartbeats)
#   fuzz  each libFuzzer target (clang 14, build/fuzz) for FUZZ_SECONDS (default 30) from its
#         committed seed corpus under fuzz/corpus/; inputs it finds go to a temporary directory
# Usage: sanitize.sh [asan] [tsan] [fuzz]   (no argument: all three). scripts/test.sh runs the
# asan stage as its main run and then this script with `tsan fuzz`.
# Exits non-zero at the first failure. The PostgreSQL tests need CORRAL_TEST_PG_URL, as
# scripts/test.sh sets it (eval "$(bash scripts/pg_cluster.sh start DIR)").
set -euo pipefail
cd "$(dirname "$0")/.."
stages=("$@")
[ ${#stages[@]} -eq 0 ] && stages=(asan tsan fuzz)
bash scripts/setup.sh --sanitize
jobs="$(nproc)"
fuzz_seconds="${FUZZ_SECONDS:-30}"

for stage in "${stages[@]}"; do
  case "$stage" in
    asan)
      echo "== AddressSanitizer + UndefinedBehaviorSanitizer: every test"
      cmake --preset asan >/dev/null
      cmake --build --preset asan
      ctest --preset asan -j "$jobs"
      ;;
    tsan)
      echo "== ThreadSanitizer: the concurrency tests (queue suite, crash test, client suite)"
      cmake --preset tsan >/dev/null
      cmake --build --preset tsan --target queue_tests crash_tests client_tests corral
      ctest --preset tsan -j "$jobs"
      ;;
    fuzz)
      echo "== libFuzzer: ${fuzz_seconds} s per target"
      cmake --preset fuzz >/dev/null
      cmake --build --preset fuzz --target fuzz_request_json fuzz_query
      for target in request_json query; do
        echo "-- fuzz_$target"
        found="$(mktemp -d)"
        log="$(mktemp)"
        # libFuzzer logs every input that adds coverage: keep its log apart, and show the end of
        # it (its final statistics, or the failing input and its stack).
        fuzz_status=0
        ./build/fuzz/fuzz/fuzz_"$target" -max_total_time="$fuzz_seconds" -timeout=10 -rss_limit_mb=2048 \
          -max_len=4096 -print_final_stats=1 "$found" fuzz/corpus/"$target" >"$log" 2>&1 || fuzz_status=$?
        if [ "$fuzz_status" -eq 0 ]; then tail -n 12 "$log"; else tail -n 200 "$log"; fi
        rm -rf "$found" "$log"
        [ "$fuzz_status" -eq 0 ] || { echo "fuzz_$target failed (status $fuzz_status)" >&2; exit "$fuzz_status"; }
      done
      ;;
    *) echo "sanitize.sh: unknown stage $stage (expected asan, tsan or fuzz)" >&2; exit 2 ;;
  esac
done
echo "== ${stages[*]}: all passed"
