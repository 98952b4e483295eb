#!/usr/bin/env bash
# Where a job's time goes on the one-job paths, by server thread: W1 (one producer, each enqueue
# awaited) and the unbatched W2 (16 workers, one job per fetch, one POST /jobs/{id}/complete per
# job), each on a fresh embedded server.
#
#   bash bench/one_job_profile.sh CORRAL_BINARY [JOBS]
#
# For each workload (JOBS jobs, default 5,000) it prints, per job: the server's context switches
# by thread name (voluntary + involuntary, from /proc/PID/task/*/status), the bytes it wrote to
# disk and its write calls (/proc/PID/io), and then, from a second run with `strace -c -f`
# attached, its system calls by name. Instructions are counted apart by bench/instructions.sh.
# Every step is bounded in time; only processes this script started are stopped, by their PIDs.
set -euo pipefail
binary=$(realpath "${1:?usage: one_job_profile.sh CORRAL_BINARY [JOBS]}")
jobs=${2:-5000}
# shellcheck source=bench/start_server.sh
source "$(dirname "$0")/start_server.sh"
bench_workdir corral-one-job

# thread_switches PID: "NAME SWITCHES" per thread name, summed over threads of that name.
thread_switches() {
  for t in /proc/"$1"/task/*; do
    awk -v name="$(cat "$t/comm")" '/^(non)?voluntary_ctxt_switches/ {n += $2} END {print name, n}' "$t/status"
  done | awk '{s[$1] += $2} END {for (k in s) print k, s[k]}' | sort
}
io_field() { awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/io"; }

# workload NAME: the arguments of the measured `corral bench` run, after any unmeasured setup.
setup_and_args() {
  case $1 in
    W1) echo "--queue w1 --jobs $jobs --producers 1 --batch 1 --only enqueue" ;;
    W2-single)
      timeout 300 "$binary" bench --server "$url" --queue w2 --jobs "$jobs" --batch 100 --only enqueue >/dev/null
      echo "--queue w2 --jobs $jobs --workers 16 --fetch-count 1 --complete-batch 1 --only drain" ;;
  esac
}

for workload in W1 W2-single; do
  dir=$(mktemp -d "$work/run.XXXXXX")
  start_server "$dir"
  args=$(setup_and_args "$workload")
  before_threads=$(thread_switches "$server")
  before_bytes=$(io_field "$server" write_bytes)
  before_calls=$(io_field "$server" syscw)
  # shellcheck disable=SC2086
  timeout 600 "$binary" bench --server "$url" $args | sed -n 's/^\(enqueue\|drain\) /  /p'
  after_threads=$(thread_switches "$server")
  echo "== $workload, per job: $(( ($(io_field "$server" write_bytes) - before_bytes) / jobs )) bytes written," \
       "$(awk -v n=$(( $(io_field "$server" syscw) - before_calls )) -v j="$jobs" 'BEGIN {printf "%.2f", n / j}') write calls"
  join <(echo "$before_threads") <(echo "$after_threads") |
    awk -v j="$jobs" '{printf "  context switches, %-18s %6.2f per job\n", $1, ($3 - $2) / j}'
  kill "$server"; wait "$server" 2>/dev/null || true

  dir=$(mktemp -d "$work/run.XXXXXX")
  start_server "$dir"
  args=$(setup_and_args "$workload")
  timeout 600 strace -c -f -o "$dir/strace.txt" -p "$server" &
  tracer=$!
  pids+=("$tracer")
  sleep 1   # strace reports nothing until attached; its own start has no condition to wait on
  # shellcheck disable=SC2086
  timeout 600 "$binary" bench --server "$url" $args >/dev/null
  kill -INT "$tracer"; wait "$tracer" 2>/dev/null || true
  echo "  system calls per job (strace -c -f, a run of its own):"
  awk -v j="$jobs" '$NF ~ /^[a-z_0-9]+$/ && $4 ~ /^[0-9]+$/ && $4 / j >= 0.05 {printf "    %-16s %6.2f\n", $NF, $4 / j}' "$dir/strace.txt"
  kill "$server"; wait "$server" 2>/dev/null || true
done
