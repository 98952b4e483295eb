#!/usr/bin/env bash
# What a worker written in a few lines gets: a W2 drain by the worker library (client::Worker,
# 16 threads, a handler that does nothing), side by side with the bench's own calls at one job
# per fetch and one POST /jobs/{id}/complete per job (the calls such a worker made before it
# fetched for all its free threads at once and sent completions ready together in one request)
# and at 100 per fetch and per POST /complete (the batched drain).
#
#   bash bench/simple_worker.sh CORRAL_BINARY [JOBS] [ROUNDS]
#
# Each run starts a fresh embedded server (127.0.0.1, a free port, a temporary directory),
# enqueues JOBS jobs (default 20,000; 100 per request), then times the drain with `corral bench`
# and reads the server's CPU time for the drain from /proc/PID/stat. It prints each run's jobs/s
# and server CPU per job, and the medians. Rounds rotate the order of the three. Every step is
# bounded in time; only processes this script started are stopped, by their PIDs.
set -euo pipefail
binary=$(realpath "${1:?usage: simple_worker.sh CORRAL_BINARY [JOBS] [ROUNDS]}")
jobs=${2:-20000}
rounds=${3:-3}
# shellcheck source=bench/start_server.sh
source "$(dirname "$0")/start_server.sh"
bench_workdir corral-simple-worker

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

declare -A drains=(
  [worker]="--workers 16 --worker-class"
  [single]="--workers 16 --fetch-count 1 --complete-batch 1"
  [batched]="--workers 16 --fetch-count 100 --complete-batch 100"
)

# run KIND: one fresh server, one drain; prints "JOBS_PER_S CPU_US_PER_JOB".
run() {
  local kind=$1 dir
  dir=$(mktemp -d "$work/run.XXXXXX")
  local server url
  start_server "$dir"
  timeout 300 "$binary" bench --server "$url" --queue w2 --jobs "$jobs" --batch 100 --only enqueue >/dev/null
  local before rate after
  before=$(cpu_ticks "$server")
  # shellcheck disable=SC2086
  rate=$(timeout 600 "$binary" bench --server "$url" --queue w2 --jobs "$jobs" ${drains[$kind]} --only drain |
           sed -n 's/^drain .*= *\([0-9]*\) jobs\/s.*/\1/p')
  after=$(cpu_ticks "$server")
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  [ -n "$rate" ] || { echo "simple_worker.sh: the $kind drain did not finish" >&2; exit 1; }
  echo "$rate $(awk -v t=$((after - before)) -v hz="$ticks" -v n="$jobs" 'BEGIN {printf "%.0f", t / hz * 1e6 / n}')"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

kinds=(single worker batched)
declare -A rates cpus
for r in $(seq "$rounds"); do
  line="round $r:"
  for i in 0 1 2; do
    kind=${kinds[$(((i + r) % 3))]}
    read -r rate cpu < <(run "$kind")
    rates[$kind]+="$rate "
    cpus[$kind]+="$cpu "
    line+=" $kind $rate jobs/s ${cpu} µs/job;"
  done
  echo "$line"
done
for kind in "${kinds[@]}"; do
  echo "median $kind: $(tr ' ' '\n' <<<"${rates[$kind]}" | grep . | median) jobs/s," \
       "$(tr ' ' '\n' <<<"${cpus[$kind]}" | grep . | median) µs of server CPU per job"
done
