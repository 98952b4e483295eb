#!/usr/bin/env bash
# Runs the dashboard's browser tests against a corral binary (ctest's dashboard_browser):
#   bash tests/dashboard/run.sh CORRAL_BINARY SCREENSHOT_DIR
# Installs the test packages from the lockfile when they are missing or the lockfile changed
# (scripts/npm_ci_once.sh), then runs every *.spec.mjs with Node's test runner, one file at a time (each starts
# its own server and browser; two cores do not run two Chromiums well).
set -euo pipefail
cd "$(dirname "$0")"
export CORRAL_BINARY="$1" SCREENSHOT_DIR="$2"
bash ../../scripts/npm_ci_once.sh .
exec node --test --test-concurrency=1 --test-timeout=120000 ./*.spec.mjs
