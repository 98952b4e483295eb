#!/usr/bin/env bash
# The unbatched W2 drain on PostgreSQL, one node: 16 workers, one job per fetch and one
# POST /jobs/{id}/complete per job, with the CPU it costs Corral and PostgreSQL per job, side by
# side for one or more corral binaries (rounds alternate them).
#
#   bash bench/postgres_one_job.sh POSTGRES_URL JOBS ROUNDS CORRAL_BINARY...
#   bash bench/postgres_one_job.sh --w3 RATE POSTGRES_URL SECONDS ROUNDS CORRAL_BINARY...
#
# With --w3 it measures W3 instead: RATE jobs/s enqueued one at a time for SECONDS, 16 idle
# workers fetching one job each (long-polls), and prints enqueue-to-handler-start p50 and p99
# beside the CPU per job.
#
# POSTGRES_URL names a server on this machine where the script may create databases (for
# example the one `scripts/pg_cluster.sh start DIR` prints). Each run creates a database, starts
# the binary on it (127.0.0.1, a free port), enqueues JOBS jobs 100 per request, and times the
# drain with `corral bench`. CPU is read from /proc/PID/stat: the server's, and that of the
# PostgreSQL backends serving the run's database (pg_stat_activity), so the server must be local.
# When pg_stat_statements is loaded (shared_preload_libraries), the last run of each binary also
# prints its eight costliest statements. Every step is bounded in time; only processes this
# script started are stopped, by their PIDs, and each run's database is dropped.
set -euo pipefail
w3_rate=
if [ "${1:-}" = --w3 ]; then
  w3_rate=${2:?--w3 RATE}
  shift 2
fi
admin=${1:?usage: postgres_one_job.sh POSTGRES_URL JOBS ROUNDS CORRAL_BINARY...}
jobs=${2:?JOBS}
rounds=${3:?ROUNDS}
shift 3
[ $# -ge 1 ] || { echo "postgres_one_job.sh: name at least one corral binary" >&2; exit 2; }
binaries=()
for b in "$@"; do binaries+=("$(realpath "$b")"); done
# shellcheck source=bench/start_server.sh
source "$(dirname "$0")/start_server.sh"
bench_workdir corral-pg-one-job

# shellcheck source=bench/postgres_cpu.sh
source "$(dirname "$0")/postgres_cpu.sh"
# The extension can be created without being loaded, and then its functions fail: ask the server.
statements_loaded() { sql "SHOW shared_preload_libraries" | grep -q pg_stat_statements; }
if statements_loaded; then sql "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null; fi

# run BINARY: prints "JOBS_PER_S CORRAL_US_PER_JOB POSTGRES_US_PER_JOB" (with --w3,
# "P50_MS/P99_MS CORRAL_US_PER_JOB POSTGRES_US_PER_JOB").
run() {
  local binary=$1 dir db server url
  dir=$(mktemp -d "$work/run.XXXXXX")
  db="corral_bench_$(basename "$dir" | tr -dc 'a-zA-Z0-9' | tr '[:upper:]' '[:lower:]')"
  sql "CREATE DATABASE $db"
  start_server "$dir" "${admin%/*}/$db"
  [ -n "$w3_rate" ] || timeout 300 "$binary" bench --server "$url" --queue w2 --jobs "$jobs" --batch 100 --only enqueue >/dev/null
  local c0 p0 rate c1 p1
  c0=$(cpu_ticks "$server"); p0=$(backend_ticks "$db")
  statements_loaded && sql "SELECT pg_stat_statements_reset()" >/dev/null
  if [ -n "$w3_rate" ]; then
    # JOBS is the run's length in seconds here; the CPU is divided by the jobs it enqueued.
    rate=$(timeout $((jobs + 120)) "$binary" bench --server "$url" --queue w3 --rate "$w3_rate" --duration "$jobs" \
             --workers 16 --fetch-count 1 | sed -n 's/^latency .*p50 \([0-9.]*\) ms *p99 \([0-9.]*\) ms.*/\1\/\2/p')
  else
    rate=$(timeout 600 "$binary" bench --server "$url" --queue w2 --jobs "$jobs" --workers 16 --fetch-count 1 \
             --complete-batch 1 --only drain | sed -n 's/^drain .*= *\([0-9]*\) jobs\/s.*/\1/p')
  fi
  c1=$(cpu_ticks "$server"); p1=$(backend_ticks "$db")
  if statements_loaded; then
    sql "SELECT calls || ' calls, ' || round((total_exec_time / calls)::numeric, 3) || ' ms each, ' ||
                round((100 * total_exec_time / sum(total_exec_time) OVER ())::numeric) || ' %: ' ||
                left(regexp_replace(query, '\s+', ' ', 'g'), 90)
         FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = '$db')
         ORDER BY total_exec_time DESC LIMIT 8" > "$work/statements.$(basename "$binary")"
  fi
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  sql "DROP DATABASE $db"
  [ -n "$rate" ] || { echo "postgres_one_job.sh: the run did not finish" >&2; exit 1; }
  local n=$jobs
  [ -z "$w3_rate" ] || n=$((jobs * w3_rate))
  awk -v r="$rate" -v c=$((c1 - c0)) -v p=$((p1 - p0)) -v hz="$ticks" -v n="$n" \
    'BEGIN {printf "%s %.0f %.0f\n", r, c / hz * 1e6 / n, p / hz * 1e6 / n}'
}

first_column="jobs/s"
[ -z "$w3_rate" ] || first_column="W3 p50 / p99, ms"
echo "| round | binary | $first_column | corral CPU per job, µs | PostgreSQL CPU per job, µs |"
echo "|---|---|---|---|---|"
for round in $(seq "$rounds"); do
  for i in "${!binaries[@]}"; do
    # Odd rounds run the binaries in the order given, even rounds in reverse.
    if [ $((round % 2)) -eq 0 ]; then b=${binaries[$(( ${#binaries[@]} - 1 - i ))]}; else b=${binaries[$i]}; fi
    # Not in a subshell: the server's PID must reach the cleanup's list.
    run "$b" > "$work/result"
    read -r rate corral_us pg_us < "$work/result"
    echo "| $round | $(basename "$b") | $rate | $corral_us | $pg_us |"
  done
done
for b in "${binaries[@]}"; do
  f="$work/statements.$(basename "$b")"
  [ -s "$f" ] || continue
  echo
  echo "$(basename "$b"), last run, costliest statements (pg_stat_statements):"
  sed 's/^/  /' "$f"
done
