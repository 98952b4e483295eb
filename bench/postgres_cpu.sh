# Sourced by the PostgreSQL bench scripts, after they set `admin` (a postgres:// URL of a server
# on this machine): `sql STATEMENT` runs one statement there; `cpu_ticks PID` is a process's CPU
# time in clock ticks (`ticks` a second; 0 once it has exited); `backend_ticks DB` is that of
# every backend now serving database DB (pg_stat_activity).
ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
sql() { timeout 60 psql "$admin" -qAtX -c "$1"; }
backend_ticks() {
  local total=0 pid
  for pid in $(sql "SELECT pid FROM pg_stat_activity WHERE datname = '$1'"); do
    total=$((total + $(cpu_ticks "$pid")))
  done
  echo "$total"
}
