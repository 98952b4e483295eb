# Sourced by the bench scripts. bench_workdir NAME sets `work` to a temporary directory removed,
# with every process in `pids` stopped by its PID, when the script exits. start_server DIR [DB]
# starts "$binary" on DB (default: a fresh embedded database in DIR), logging to DIR (127.0.0.1,
# a free port), adds its PID to the caller's `pids` (which its cleanup stops), and sets `server`
# (the PID) and `url` once it listens; exits if it does not within 30 s.
start_server() {
  local dir=$1 db=${2:-sqlite:$1/corral.db}
  # Made here, so that the first read below never races the shell that opens it for the server.
  : >"$dir/server.log"
  "$binary" server --listen 127.0.0.1:0 --db "$db" >>"$dir/server.log" 2>&1 &
  server=$!
  pids+=("$server")
  url=
  for _ in $(seq 300); do
    url=$(sed -n 's/.*listening on \([0-9.:]*\).*/http:\/\/\1/p' "$dir/server.log" | head -n1)
    [ -n "$url" ] && return
    sleep 0.1
  done
  cat "$dir/server.log" >&2
  exit 1
}

pids=()
bench_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  [ -z "${work:-}" ] || rm -rf "$work"
}
trap bench_cleanup EXIT

bench_workdir() {
  work=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
}
