#!/usr/bin/env bash
# Installs a package folder's npm packages from its lockfile (npm ci) when they are missing or the
# lockfile changed since the last install:
#   bash scripts/npm_ci_once.sh DIR
# Several ctest entries share one folder (openapi_responses and openapi_validator; the SQS suite
# on each backend) and ctest may start them at once: two npm ci in one folder delete each other's
# files. The install is held under an exclusive lock on DIR/.npm-ci.lock, and the lockfile's hash
# is checked again under it, so the second waits and then finds the packages installed.
set -euo pipefail
dir=$(realpath "${1:?usage: npm_ci_once.sh DIR}")
cd "$dir"
exec 9>"$dir/.npm-ci.lock"
flock 9
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.corral-lock-sha256 2>/dev/null)" != "$lock_hash" ]; then
  npm ci --no-audit --no-fund
  echo "$lock_hash" > node_modules/.corral-lock-sha256
fi
