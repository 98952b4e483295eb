#!/usr/bin/env bash
# Installs what is missing, builds with the test suite and runs every test. Exits 0 only when
# every test passed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset test >/dev/null
cmake --build --preset test
ctest --preset test -j "$(nproc)"
