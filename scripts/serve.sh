#!/usr/bin/env bash
# Installs what is missing, builds the release binary and runs the server in the foreground on
# 127.0.0.1:7878 with its embedded database under ./corral-data/. Extra arguments go to
# `corral server` (e.g. --listen 0.0.0.0:7878, which needs an admin key: docs/security.md) and
# replace the default of the option they name;
# with --config, the file's settings replace both defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target corral
mkdir -p corral-data
given() {   # given OPTION ARGS...: true if ARGS set OPTION (as "--opt value" or "--opt=value")
  local option=$1 a
  shift
  for a in "$@"; do
    case "$a" in "$option" | "$option="* | --config | --config=*) return 0 ;; esac
  done
  return 1
}
defaults=()
given --listen "$@" || defaults+=(--listen 127.0.0.1:7878)
given --db "$@" || defaults+=(--db sqlite:corral-data/corral.db)
exec ./build/release/corral server "${defaults[@]}" "$@"
