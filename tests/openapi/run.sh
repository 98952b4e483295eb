#!/usr/bin/env bash
# Validates every reply the integration tests logged against the OpenAPI document (ctest's
# openapi_responses), or tests the validator itself (ctest's openapi_validator):
#   bash tests/openapi/run.sh SPEC RESPONSE_LOG
#   bash tests/openapi/run.sh --self-test
# Installs the validator's packages from the lockfile when they are missing or the lockfile
# changed (scripts/npm_ci_once.sh), then runs validate.mjs, or validate.test.mjs with Node's test runner.
set -euo pipefail
if [ "${1:-}" != --self-test ]; then
  spec=$(realpath "$1")
  log=$(realpath -m "$2")
fi
cd "$(dirname "$0")"
bash ../../scripts/npm_ci_once.sh .
if [ "${1:-}" = --self-test ]; then
  exec node --test validate.test.mjs
fi
exec node validate.mjs "$spec" "$log"
