#!/usr/bin/env bash
# Installs what is missing, builds the release binary and runs the server in the foreground on
# 127.0.0.1:7878 with its embedded database under ./corral-data/. Extra arguments go to
# `corral server` (e.g. --listen 0.0.0.0:7878).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target corral
mkdir -p corral-data
exec ./build/release/corral server --listen 127.0.0.1:7878 --db sqlite:corral-data/corral.db "$@"
