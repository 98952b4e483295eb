#!/usr/bin/env bash
# The cost of watching: a W2 drain with and without one live consumer of every event and /metrics
# scraped every second, side by side on one binary.
#
#   bash bench/observe_overhead.sh CORRAL_BINARY [JOBS] [ROUNDS]
#
# Each round starts a fresh embedded server (127.0.0.1, a free port, a temporary directory) twice:
# once alone, once with `curl -N /api/v1/events` reading every event and a loop fetching /metrics
# once a second. Each run enqueues JOBS jobs (default 20,000; 100 per request), then times the W2
# drain (16 workers, 100 jobs per fetch, 100 completions per request) with `corral bench`. It
# prints each run's drain rate and, at the end, the median of each side and their ratio. Rounds
# alternate the two sides so a machine whose speed drifts favours neither. Every step is bounded in
# time; only processes this script started are stopped, by their PIDs.
set -euo pipefail
binary=$(realpath "${1:?usage: observe_overhead.sh CORRAL_BINARY [JOBS] [ROUNDS]}")
jobs=${2:-20000}
rounds=${3:-3}
# shellcheck source=bench/start_server.sh
source "$(dirname "$0")/start_server.sh"
bench_workdir corral-observe

# run OBSERVED: one fresh server, one drain; prints the drain's jobs/s.
run() {
  local observed=$1 dir
  dir=$(mktemp -d "$work/run.XXXXXX")
  local server url
  start_server "$dir"
  timeout 300 "$binary" bench --server "$url" --queue w2 --jobs "$jobs" --batch 100 --only enqueue >/dev/null
  local watchers=()
  if [ "$observed" = yes ]; then
    timeout 600 curl -sN "$url/api/v1/events" >"$dir/events.txt" &
    watchers+=($!)
    ( for _ in $(seq 600); do curl -s "$url/metrics" >/dev/null; sleep 1; done ) &
    watchers+=($!)
    pids+=("${watchers[@]}")
  fi
  local rate
  rate=$(timeout 300 "$binary" bench --server "$url" --queue w2 --jobs "$jobs" --workers 16 --fetch-count 100 \
           --complete-batch 100 --only drain | sed -n 's/^drain .*= *\([0-9]*\) jobs\/s.*/\1/p')
  if [ "$observed" = yes ] && ! grep -q '^event: completed' "$dir/events.txt"; then
    echo "observe_overhead.sh: the event consumer saw no completed event" >&2
    exit 1
  fi
  for p in "${watchers[@]}" "$server"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  echo "$rate"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

off=() on=()
for r in $(seq "$rounds"); do
  if [ $((r % 2)) = 1 ]; then
    off+=("$(run no)"); on+=("$(run yes)")
  else
    on+=("$(run yes)"); off+=("$(run no)")
  fi
  echo "round $r: alone ${off[-1]} jobs/s, watched ${on[-1]} jobs/s"
done
m_off=$(printf '%s\n' "${off[@]}" | median)
m_on=$(printf '%s\n' "${on[@]}" | median)
echo "median: alone $m_off jobs/s, watched $m_on jobs/s, watched/alone $(awk -v a="$m_on" -v b="$m_off" 'BEGIN {printf "%.3f", a / b}')"
