#!/usr/bin/env bash
# A private PostgreSQL cluster for tests and benchmarks: its own data directory, on a free
# 127.0.0.1 port, run as an unprivileged user, never the machine's own cluster.
#
#   eval "$(bash scripts/pg_cluster.sh start DIR)"   # exports CORRAL_TEST_PG_URL, CORRAL_TEST_PG_DIR
#   eval "$(bash scripts/pg_cluster.sh start DIR durable)"   # fsync on, for benchmarks
#   bash scripts/pg_cluster.sh stop DIR
#
# start is idempotent: a cluster already running in DIR is reused. Installs PostgreSQL 15 from
# Debian's packages if it is missing.
#
# For failover tests, a primary and a streaming standby of it (DIR/primary, DIR/standby), each on
# a free port; the URL that follows the primary is printed (CORRAL_PAIR_URL):
#
#   eval "$(bash scripts/pg_cluster.sh start-pair DIR sync|async)"
#       sync: the standby is synchronous (synchronous_standby_names set once it streams), so a
#       commit returns only once the standby has the WAL; async: commits do not wait for it
#   bash scripts/pg_cluster.sh pause-wal-sender DIR   SIGSTOP the primary's WAL sender: from now
#       on the standby receives nothing (under sync, commits wait)
#   bash scripts/pg_cluster.sh kill-primary DIR       SIGKILL the primary's postmaster and every
#       process it started, at once, as when its machine dies
#   bash scripts/pg_cluster.sh promote DIR            the standby becomes a read-write primary
#   bash scripts/pg_cluster.sh stop-pair DIR          stop whatever of the two still runs
set -euo pipefail

usage="usage: pg_cluster.sh start|stop|start-pair|pause-wal-sender|kill-primary|promote|stop-pair DIR"
cmd=${1:?$usage}
dir=${2:?$usage}
mode=${3:-test}
bin=/usr/lib/postgresql/15/bin

as_owner() {
  # initdb and postgres refuse to run as root: run them as the postgres user when we are root.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_if_missing() {
  if [ -x "$bin/initdb" ]; then return; fi
  echo "pg_cluster: installing PostgreSQL 15" >&2
  local sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  # stdout is eval'd by the caller: everything else goes to stderr.
  "${sudo_cmd[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    postgresql-15 postgresql-client-15 >&2
}

free_port() {
  # A port the kernel just handed out and released is free for the moment; postgres retries below
  # if another process takes it first.
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || shuf -i 20000-60000 -n 1
}

# Makes directory $1 (owned by the postgres user when we are root) and prints its absolute path.
make_dir() {
  mkdir -p "$1"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$1"; fi
  (cd "$1" && pwd)
}

# Starts the cluster in $1/data unless it runs, on a free port written to $1/port, logging to
# $1/server.log, with its unix socket in $1.
start_instance() {
  local at=$1 opts port started=0
  if as_owner "$bin/pg_ctl" -D "$at/data" status >/dev/null 2>&1; then return; fi
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    # Tests need many connections (several servers, each with a pool) and no durability of the
    # test data itself; benchmarks ("durable") keep PostgreSQL's defaults: fsync on,
    # synchronous_commit on. A standby needs max_connections at least its primary's.
    opts="-c listen_addresses=127.0.0.1 -p $port -k $at -c max_connections=400"
    if [ "$mode" != durable ]; then opts="$opts -c fsync=off -c full_page_writes=off"; fi
    if as_owner "$bin/pg_ctl" -D "$at/data" -l "$at/server.log" -w -t 60 start -o "$opts" >/dev/null 2>&1; then
      echo "$port" >"$at/port"
      started=1
      break
    fi
  done
  if [ "$started" -ne 1 ]; then tail -20 "$at/server.log" >&2; exit 1; fi
}

# Test data needs no fsync of its files (--no-sync saves seconds on a slow disk); "durable" does.
no_sync() { if [ "$mode" != durable ]; then echo --no-sync; fi; }

init_instance() {
  local at=$1
  if [ -f "$at/data/PG_VERSION" ]; then return; fi
  as_owner "$bin/initdb" -D "$at/data" -U postgres --auth=trust -E UTF8 --no-locale $(no_sync) >"$at/initdb.log" 2>&1 \
    || { cat "$at/initdb.log" >&2; exit 1; }
}

psql_at() {   # psql_at DIR SQL...: runs each SQL on the instance in DIR, prints unaligned rows
  local at=$1
  shift
  local args=()
  for sql in "$@"; do args+=(-c "$sql"); done
  "$bin/psql" -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(cat "$at/port")" -U postgres -d postgres "${args[@]}"
}

# Waits up to 30 s for `psql_at DIR SQL` to print "t".
wait_for() {
  local at=$1 sql=$2
  for _ in $(seq 300); do
    if [ "$(psql_at "$at" "$sql" 2>/dev/null)" = t ]; then return; fi
    sleep 0.1
  done
  echo "pg_cluster: timed out waiting for $sql" >&2
  exit 1
}

postmaster_pid() { head -1 "$1/data/postmaster.pid" 2>/dev/null || true; }

# True while process $1 exists and has not exited (a zombie waiting for its parent has exited).
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  [ "$(echo "${stat##*)}" | awk '{print $1}')" != Z ]
}

# SIGKILL to the postmaster in $1 and every process it started: pg_ctl makes the postmaster the
# leader of a process group of its own, and its children stay in that group. Waits until it is gone.
# The processes the postmaster $1 started. Each calls setsid(), so the postmaster's process group
# does not hold them: they are reached by PID.
backends() { pgrep -P "$1" || true; }

kill_instance() {
  local pid procs p
  pid=$(postmaster_pid "$1")
  if [ -z "$pid" ] || ! alive "$pid"; then return; fi
  # Every process at once, as when the machine dies. A backend left alone would notice its
  # postmaster's death and exit, except one stopped by pause-wal-sender, which would stay for good.
  procs="$pid $(backends "$pid")"
  # shellcheck disable=SC2086
  kill -KILL $procs 2>/dev/null || true
  for p in $procs; do
    for _ in $(seq 100); do
      if ! alive "$p"; then break; fi
      sleep 0.1
    done
    if alive "$p"; then
      echo "pg_cluster: process $p of the postmaster $pid outlived SIGKILL" >&2
      exit 1
    fi
  done
}

stop_instance() {
  local pid
  pid=$(postmaster_pid "$1")
  if [ -z "$pid" ] || ! alive "$pid"; then return; fi
  # A stopped WAL sender would never obey the shutdown: let it run first.
  # shellcheck disable=SC2046
  kill -CONT $(backends "$pid") 2>/dev/null || true
  as_owner "$bin/pg_ctl" -D "$1/data" -m immediate -w -t 20 stop >/dev/null 2>&1 || kill_instance "$1"
}

print_pair() {
  local p s
  p=$(cat "$dir/primary/port")
  s=$(cat "$dir/standby/port")
  echo "export CORRAL_PAIR_URL='postgres://postgres@127.0.0.1:$p,127.0.0.1:$s/postgres?target_session_attrs=read-write'" \
    "CORRAL_PAIR_PRIMARY_URL=postgres://postgres@127.0.0.1:$p/postgres" \
    "CORRAL_PAIR_STANDBY_URL=postgres://postgres@127.0.0.1:$s/postgres"
}

case "$cmd" in
  start)
    install_if_missing
    dir=$(make_dir "$dir")
    init_instance "$dir"
    start_instance "$dir"
    port=$(cat "$dir/port")
    echo "export CORRAL_TEST_PG_URL=postgres://postgres@127.0.0.1:$port/postgres CORRAL_TEST_PG_DIR=$dir"
    ;;
  stop)
    if [ -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    ;;
  start-pair)
    case "$mode" in sync | async) ;; *) echo "$usage DIR sync|async" >&2; exit 2 ;; esac
    install_if_missing
    dir=$(make_dir "$dir")
    primary=$(make_dir "$dir/primary")
    standby=$(make_dir "$dir/standby")
    init_instance "$primary"
    start_instance "$primary"
    # A copy of the primary that streams from it: -R writes standby.signal and primary_conninfo.
    if [ ! -f "$standby/data/PG_VERSION" ]; then
      as_owner "$bin/pg_basebackup" -D "$standby/data" -R -X stream -c fast --no-sync -h 127.0.0.1 \
        -p "$(cat "$primary/port")" -U postgres >"$standby/basebackup.log" 2>&1 \
        || { cat "$standby/basebackup.log" >&2; exit 1; }
    fi
    start_instance "$standby"
    wait_for "$primary" "SELECT count(*) = 1 FROM pg_stat_replication WHERE state = 'streaming'"
    if [ "$mode" = sync ]; then
      psql_at "$primary" "ALTER SYSTEM SET synchronous_standby_names = '*'" "SELECT pg_reload_conf()" >/dev/null
      wait_for "$primary" "SELECT count(*) = 1 FROM pg_stat_replication WHERE sync_state = 'sync'"
    fi
    print_pair
    ;;
  pause-wal-sender)
    # pg_wal_replay_pause() on the standby would not do: the WAL would still be received and
    # flushed there, and so survive a promotion. Stopping the sender keeps it on the primary only.
    pid=$(psql_at "$dir/primary" "SELECT pid FROM pg_stat_replication")
    if [ -z "$pid" ]; then echo "pg_cluster: the primary has no WAL sender" >&2; exit 1; fi
    kill -STOP "$pid"
    for _ in $(seq 100); do
      stat=$(cat "/proc/$pid/stat")
      if [ "$(echo "${stat##*)}" | awk '{print $1}')" = T ]; then exit 0; fi
      sleep 0.01
    done
    echo "pg_cluster: the WAL sender $pid did not stop" >&2
    exit 1
    ;;
  kill-primary)
    kill_instance "$dir/primary"
    ;;
  promote)
    as_owner "$bin/pg_ctl" -D "$dir/standby/data" -w -t 60 promote >/dev/null
    ;;
  stop-pair)
    for at in "$dir/standby" "$dir/primary"; do stop_instance "$at"; done
    ;;
  *)
    echo "$usage" >&2
    exit 2
    ;;
esac
