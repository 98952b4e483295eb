#!/usr/bin/env bash
# Validates every reply the integration tests logged against the OpenAPI document (ctest's
# openapi_responses), or tests the validator itself (ctest's openapi_validator):
#   bash tests/openapi/run.sh SPEC RESPONSE_LOG
#   bash tests/openapi/run.sh --self-test
# Installs the validator's packages from the lockfile when they are missing or the lockfile
# changed (npm ci), then runs validate.mjs, or validate.test.mjs with Node's test runner.
set -euo pipefail
if [ "${1:-}" != --self-test ]; then
  spec=$(realpath "$1")
  log=$(realpath -m "$2")
fi
cd "$(dirname "$0")"
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.corral-lock-sha256 2>/dev/null)" != "$lock_hash" ]; then
  npm ci --no-audit --no-fund
  echo "$lock_hash" > node_modules/.corral-lock-sha256
fi
if [ "${1:-}" = --self-test ]; then
  exec node --test validate.test.mjs
fi
exec node validate.mjs "$spec" "$log"
