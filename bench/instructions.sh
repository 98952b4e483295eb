#!/usr/bin/env bash
# Server instructions per job, counted by callgrind: a figure that does not move with the load
# of the machine, so two builds can be compared on a busy one.
#
#   bash bench/instructions.sh CORRAL_BINARY [JOBS]
#
# Starts CORRAL_BINARY's server under callgrind on a fresh embedded database (127.0.0.1, a free
# port, a temporary directory), with instrumentation off. For each workload it enqueues JOBS jobs
# (default 5,000) uninstrumented, then counts the server's instructions over the drain only:
#
#   enqueue/batched 1 producer, 100 jobs per POST /jobs/batch (counted over the enqueue itself)
#   drain/batched  16 workers, 100 jobs per fetch, 100 completions per POST /complete
#   drain/single   4 workers, 1 job per fetch, 1 POST /jobs/{id}/complete per job
#   enqueue/single 4 producers, 1 job per POST /jobs (counted over the enqueue itself)
#
# and prints one line per workload: its name and the server's instructions per job. The bench
# client runs outside callgrind. Every step is bounded in time; the server is stopped by its PID.
set -euo pipefail
binary=$(realpath "${1:?usage: instructions.sh CORRAL_BINARY [JOBS]}")
jobs=${2:-5000}
work=$(mktemp -d "${TMPDIR:-/tmp}/corral-instr.XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/cg.%p" \
  "$binary" server --listen 127.0.0.1:0 --db "sqlite:$work/db/corral.db" --threads 1 \
  >"$work/server.log" 2>&1 &
server_pid=$!
url=
for _ in $(seq 600); do
  url=$(sed -n 's/.*listening on \([0-9.:]*\).*/http:\/\/\1/p' "$work/server.log" | head -n1)
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "instructions.sh: the server did not start" >&2; exit 1; }

# The instructions the server has run while instrumented so far, from callgrind's live dump.
total() {
  callgrind_control -d "$server_pid" >/dev/null
  # Each dump is a new file holding the events since the one before, on its "totals:" line.
  local sum=0
  for f in "$work"/cg."$server_pid"*; do
    local n
    n=$(sed -n "s/^totals: *\([0-9]*\).*/\1/p" "$f" | head -n1)
    sum=$((sum + ${n:-0}))
  done
  echo "$sum"
}

bench() { timeout 600 "$binary" bench --server "$url" --max-seconds 300 "$@" >/dev/null; }

count() {   # count NAME -- the instrumented bench arguments
  local name=$1; shift
  local before after
  before=$(total)
  callgrind_control -i on "$server_pid" >/dev/null
  bench "$@"
  callgrind_control -i off "$server_pid" >/dev/null
  after=$(total)
  echo "$name $(( (after - before) / jobs ))"
}

# Uncounted first: the first requests prepare statements and fill the allocator's caches, and a
# server before ad69db7 loaded the system's CA certificates as it started (about 200 million
# instructions, which fell into the first count when no request came before it).
bench --queue warmup --jobs 1000 --batch 100 --only enqueue
count enqueue/batched --queue batched --jobs "$jobs" --batch 100 --only enqueue
count drain/batched --queue batched --jobs "$jobs" --workers 16 --fetch-count 100 --complete-batch 100 --only drain
bench --queue single --jobs "$jobs" --batch 100 --only enqueue
count drain/single --queue single --jobs "$jobs" --workers 4 --fetch-count 1 --complete-batch 1 --only drain
count enqueue/single --queue produced --jobs "$jobs" --producers 4 --batch 1 --only enqueue
