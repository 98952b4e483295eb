#!/usr/bin/env bash
# Builds the package and runs its tests against a corral binary (ctest's client_typescript):
#   bash clients/typescript/run_tests.sh CORRAL_BINARY
# Installs the dev packages from the lockfile when they are missing or the lockfile changed
# (scripts/npm_ci_once.sh), compiles src/ to dist/ and the tests to dist-test/ (both type-checked, strict),
# type-checks and compiles the README's TypeScript examples (a test runs the web back end one),
# then runs each test file with Node's test runner; each file starts its own server.
set -euo pipefail
cd "$(dirname "$0")"
export CORRAL_BINARY="$(realpath "$1")"
bash ../../scripts/npm_ci_once.sh .
rm -rf dist dist-test
npx --no-install tsc -p tsconfig.json
npx --no-install tsc -p tsconfig.test.json
node scripts/extract_readme_examples.mjs
npx --no-install tsc -p tsconfig.readme.json
exec node --test --test-concurrency=1 --test-timeout=120000 dist-test/test/*.test.js
