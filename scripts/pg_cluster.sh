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
set -euo pipefail

cmd=${1:?usage: pg_cluster.sh start|stop DIR}
dir=${2:?usage: pg_cluster.sh start|stop DIR}
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

case "$cmd" in
  start)
    install_if_missing
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      started=0
      for _ in 1 2 3 4 5; do
        port=$(free_port)
        # Tests need many connections (several servers, each with a pool) and no durability of the
        # test data itself; benchmarks ("durable") keep PostgreSQL's defaults: fsync on,
        # synchronous_commit on. The unix socket goes in the cluster's own directory.
        opts="-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=400"
        if [ "$mode" != durable ]; then opts="$opts -c fsync=off -c full_page_writes=off"; fi
        if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o "$opts" \
             >/dev/null 2>&1; then
          echo "$port" >"$dir/port"
          started=1
          break
        fi
      done
      if [ "$started" -ne 1 ]; then tail -20 "$dir/server.log" >&2; exit 1; fi
    fi
    port=$(cat "$dir/port")
    echo "export CORRAL_TEST_PG_URL=postgres://postgres@127.0.0.1:$port/postgres CORRAL_TEST_PG_DIR=$dir"
    ;;
  stop)
    if [ -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    ;;
  *)
    echo "usage: pg_cluster.sh start|stop DIR" >&2
    exit 2
    ;;
esac
