#!/usr/bin/env bash
# Runs the real SQS clients against a corral binary (ctest's sqs_clients_js):
#   bash tests/sqs/run.sh CORRAL_BINARY
# Installs @aws-sdk/client-sqs and sqs-consumer from the lockfile when they are missing or the
# lockfile changed (npm ci), then runs every *.spec.mjs with Node's test runner.
set -euo pipefail
CORRAL_BINARY=$(realpath "${1:?usage: run.sh CORRAL_BINARY}")
export CORRAL_BINARY
cd "$(dirname "$0")"
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.corral-lock-sha256 2>/dev/null)" != "$lock_hash" ]; then
  npm ci --no-audit --no-fund
  echo "$lock_hash" > node_modules/.corral-lock-sha256
fi
exec node --test --test-concurrency=1 --test-timeout=120000 ./*.spec.mjs
