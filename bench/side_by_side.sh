#!/usr/bin/env bash
# Two builds of the server on the same workloads, alternated in one sitting: the comparison a
# change to the hot path comes with. Absolute rates on a shared machine move from run to run, so
# only rows of one run of this script compare.
#
#   bash bench/side_by_side.sh BINARY_A BINARY_B [ROUNDS]
#
# WORKLOADS (environment) picks among, by default all of:
#   W1   1 producer, one job per POST /jobs, 5,000 jobs
#   W1c  16 producers, one job per POST /jobs, 30,000 jobs
#   W1b  1 producer, 100 jobs per POST /jobs/batch, 200,000 jobs
#   W2u  20,000 jobs enqueued 100 per request, then drained by 16 workers, one job per fetch and
#        one POST /jobs/{id}/complete per job
#   W2   100,000 jobs the same way, drained 100 per fetch and per POST /complete
#   W3   200 jobs/s for 6 s to 16 idle workers, one job per fetch: enqueue to handler start
# Each run starts a fresh embedded server (127.0.0.1, a free port, a temporary directory); A goes
# first in odd rounds, B in even ones. One line per run: the workload, the binary, jobs/s and the
# server's CPU per job over the measured part (/proc/PID/stat), or W3's p50 and p99. Every step is
# bounded in time; only processes this script started are stopped, by their PIDs.
set -euo pipefail
a=$(realpath "${1:?usage: side_by_side.sh BINARY_A BINARY_B [ROUNDS]}")
b=$(realpath "${2:?usage: side_by_side.sh BINARY_A BINARY_B [ROUNDS]}")
rounds=${3:-3}
# shellcheck source=bench/start_server.sh
source "$(dirname "$0")/start_server.sh"
bench_workdir corral-side-by-side

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# run BINARY WORKLOAD: one fresh server, one measured `corral bench`.
run() {
  local binary=$1 workload=$2 jobs setup='' args  # start_server runs "$binary"
  case $workload in
    W1) jobs=5000; args="--producers 1 --batch 1 --only enqueue" ;;
    W1c) jobs=30000; args="--producers 16 --batch 1 --only enqueue" ;;
    W1b) jobs=200000; args="--producers 1 --batch 100 --only enqueue" ;;
    W2u) jobs=20000; setup=1; args="--workers 16 --fetch-count 1 --complete-batch 1 --only drain" ;;
    W2) jobs=100000; setup=1; args="--workers 16 --fetch-count 100 --complete-batch 100 --only drain" ;;
    W3) jobs=1200; args="--rate 200 --duration 6 --workers 16 --fetch-count 1" ;;
    *) echo "side_by_side.sh: no workload $workload" >&2; exit 2 ;;
  esac
  local dir
  dir=$(mktemp -d "$work/run.XXXXXX")
  start_server "$dir"
  if [ -n "$setup" ]; then
    timeout 300 "$binary" bench --server "$url" --queue q --jobs "$jobs" --batch 100 --only enqueue >/dev/null
  fi
  local before out after
  before=$(cpu_ticks "$server")
  # shellcheck disable=SC2086 # the workload's arguments are words
  out=$(timeout 300 "$binary" bench --server "$url" --max-seconds 120 --queue q --jobs "$jobs" $args)
  after=$(cpu_ticks "$server")
  kill "$server"
  wait "$server" 2>/dev/null || true
  if [ "$workload" = W3 ]; then
    echo "$workload $(basename "$binary") $(echo "$out" | sed -n 's/^latency.*\(p50 [0-9.]* ms\) *\(p99 [0-9.]* ms\).*/\1 \2/p')"
  else
    local rate
    rate=$(echo "$out" | grep -oE '[0-9.]+ jobs/s' | head -n1)
    echo "$workload $(basename "$binary") $rate, server CPU $(((after - before) * 1000000 / ticks / jobs)) µs a job"
  fi
}

for round in $(seq "$rounds"); do
  for workload in ${WORKLOADS:-W1 W1c W1b W2u W2 W3}; do
    if ((round % 2)); then run "$a" "$workload"; run "$b" "$workload"; else run "$b" "$workload"; run "$a" "$workload"; fi
  done
done
