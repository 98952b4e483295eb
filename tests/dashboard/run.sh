#!/usr/bin/env bash
# Runs the dashboard's browser tests against a corral binary (ctest's dashboard_browser):
#   bash tests/dashboard/run.sh CORRAL_BINARY SCREENSHOT_DIR
# Installs the test packages from the lockfile when they are missing or the lockfile changed
# (npm ci), then runs every *.spec.mjs with Node's test runner, one file at a time (each starts
# its own server and browser; two cores do not run two Chromiums well).
set -euo pipefail
cd "$(dirname "$0")"
export CORRAL_BINARY="$1" SCREENSHOT_DIR="$2"
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.corral-lock-sha256 2>/dev/null)" != "$lock_hash" ]; then
  npm ci --no-audit --no-fund
  echo "$lock_hash" > node_modules/.corral-lock-sha256
fi
exec node --test --test-concurrency=1 --test-timeout=120000 ./*.spec.mjs
