#!/usr/bin/env bash
# Runs the real SQS clients against a corral binary (ctest's sqs_clients_js):
#   bash tests/sqs/run.sh CORRAL_BINARY
# Installs @aws-sdk/client-sqs and sqs-consumer from the lockfile when they are missing or the
# lockfile changed (scripts/npm_ci_once.sh), then runs every *.spec.mjs with Node's test runner.
set -euo pipefail
CORRAL_BINARY=$(realpath "${1:?usage: run.sh CORRAL_BINARY}")
export CORRAL_BINARY
cd "$(dirname "$0")"
bash ../../scripts/npm_ci_once.sh .
exec node --test --test-concurrency=1 --test-timeout=120000 ./*.spec.mjs
