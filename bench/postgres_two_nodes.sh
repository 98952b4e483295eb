#!/usr/bin/env bash
# Two Corral nodes on one PostgreSQL database, each driven by its own `corral bench` at the same
# time on a queue of its own: the shared backend's targets (W2, W1c, W3 on two nodes), with the
# CPU per job of both nodes and of PostgreSQL.
#
#   bash bench/postgres_two_nodes.sh POSTGRES_URL CORRAL_BINARY [JOBS] [ROUNDS]
#
# POSTGRES_URL names a server on this machine where the script may create databases (for example
# the one `scripts/pg_cluster.sh start DIR durable` prints). Each workload of each round runs on a
# fresh database with two fresh nodes (127.0.0.1, free ports). Per node, at once:
#   W1c  8 producers, one job per POST /jobs, JOBS jobs
#   W2   JOBS jobs enqueued 100 per request, then drained by 8 workers, 100 per fetch and per
#        POST /complete (batched)
#   W2u  the same drain, one job per fetch and one POST /jobs/{id}/complete per job
#   W3   100 jobs/s for 10 s, 8 idle workers, one job per fetch (long-polls)
# WORKLOADS (environment) picks some of them, for example WORKLOADS="W2u W3"; the nodes take
# their settings from the environment too (CORRAL_DB_BATCHES=2, ...). QUEUE_SETTINGS, a body for
# PATCH /api/v1/queues/NAME, sets both queues before each run: QUEUE_SETTINGS='{"max_running":
# 1000}' measures the claim of a queue with a limit.
# Throughput is both nodes' jobs over the longer of the two runs; W3 gives each node's p50 and
# p99, enqueue to handler start. CPU comes from /proc/PID/stat: the two nodes', and that of the
# PostgreSQL backends serving the run's database (pg_stat_activity), so the server must be local.
# Every step is bounded in time; only processes this script started are stopped, by their PIDs,
# and each run's database is dropped.
set -euo pipefail
admin=${1:?usage: postgres_two_nodes.sh POSTGRES_URL CORRAL_BINARY [JOBS] [ROUNDS]}
binary=$(realpath "${2:?CORRAL_BINARY}")
jobs=${3:-20000}
rounds=${4:-3}
# shellcheck source=bench/start_server.sh
source "$(dirname "$0")/start_server.sh"
bench_workdir corral-pg-two-nodes

# shellcheck source=bench/postgres_cpu.sh
source "$(dirname "$0")/postgres_cpu.sh"

# bench_both OUT_PREFIX ARGS...: one `corral bench` per node at once, node A on queue qa and B on
# qb; their outputs go to OUT_PREFIX.a and OUT_PREFIX.b.
bench_both() {
  local out=$1 a b
  shift
  timeout 600 "$binary" bench --server "$url_a" --queue qa "$@" >"$out.a" &
  a=$!
  timeout 600 "$binary" bench --server "$url_b" --queue qb "$@" >"$out.b" &
  b=$!
  wait "$a"
  wait "$b"
}

# Jobs per second of both nodes' PHASE lines (enqueue or drain): their jobs over the longer time.
both_rate() {
  awk -v phase="$2" '$1 == phase { n += $2; if ($5 > t) t = $5 } END { printf "%d", n / t }' "$1.a" "$1.b"
}
latency() { sed -n 's/^latency .*p50 \([0-9.]*\) ms *p99 \([0-9.]*\) ms.*/\1 \/ \2/p' "$1"; }

# run WORKLOAD: prints "RESULT NODES_US_PER_JOB POSTGRES_US_PER_JOB".
run() {
  local workload=$1 dir db url url_a url_b server server_a server_b
  dir=$(mktemp -d "$work/run.XXXXXX")
  db="corral_bench_$(basename "$dir" | tr -dc 'a-zA-Z0-9' | tr '[:upper:]' '[:lower:]')"
  sql "CREATE DATABASE $db"
  mkdir "$dir/a" "$dir/b"
  start_server "$dir/a" "${admin%/*}/$db"
  server_a=$server url_a=$url
  start_server "$dir/b" "${admin%/*}/$db"
  server_b=$server url_b=$url
  if [ -n "${QUEUE_SETTINGS:-}" ]; then
    curl -fsS --max-time 10 -X PATCH -H 'content-type: application/json' -d "$QUEUE_SETTINGS" "$url_a/api/v1/queues/qa" >/dev/null
    curl -fsS --max-time 10 -X PATCH -H 'content-type: application/json' -d "$QUEUE_SETTINGS" "$url_b/api/v1/queues/qb" >/dev/null
  fi
  local drain=()
  case $workload in
    W2) drain=(--workers 8 --fetch-count 100 --complete-batch 100) ;;
    W2u) drain=(--workers 8 --fetch-count 1 --complete-batch 1) ;;
  esac
  if [ ${#drain[@]} -gt 0 ]; then bench_both "$dir/fill" --jobs "$jobs" --batch 100 --only enqueue; fi
  local c0 p0 c1 p1 result n=$((2 * jobs))
  c0=$(($(cpu_ticks "$server_a") + $(cpu_ticks "$server_b"))); p0=$(backend_ticks "$db")
  case $workload in
    W1c)
      bench_both "$dir/out" --jobs "$jobs" --producers 8 --only enqueue
      result=$(both_rate "$dir/out" enqueue) ;;
    W2 | W2u)
      bench_both "$dir/out" --jobs "$jobs" "${drain[@]}" --only drain
      result=$(both_rate "$dir/out" drain) ;;
    W3)
      bench_both "$dir/out" --rate 100 --duration 10 --workers 8 --fetch-count 1
      result="$(latency "$dir/out.a"); $(latency "$dir/out.b")"
      n=2000 ;;
  esac
  c1=$(($(cpu_ticks "$server_a") + $(cpu_ticks "$server_b"))); p1=$(backend_ticks "$db")
  kill "$server_a" "$server_b" 2>/dev/null || true
  wait "$server_a" "$server_b" 2>/dev/null || true
  sql "DROP DATABASE $db"
  awk -v c=$((c1 - c0)) -v p=$((p1 - p0)) -v hz="$ticks" -v n="$n" -v r="$result" \
    'BEGIN {printf "%s|%.0f|%.0f\n", r, c / hz * 1e6 / n, p / hz * 1e6 / n}'
}

echo "| round | workload | jobs/s (W3: p50 / p99 ms, node A; node B) | both nodes' CPU per job, µs | PostgreSQL CPU per job, µs |"
echo "|---|---|---|---|---|"
for round in $(seq "$rounds"); do
  for workload in ${WORKLOADS:-W1c W2 W2u W3}; do
    # Not in a subshell: the servers' PIDs must reach the cleanup's list.
    run "$workload" >"$work/result"
    IFS='|' read -r result nodes_us pg_us <"$work/result"
    echo "| $round | $workload | $result | $nodes_us | $pg_us |"
  done
done
