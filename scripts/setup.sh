#!/usr/bin/env bash
# Installs the Debian 12 packages Corral builds with (Node.js and npm among them, for the
# dashboard); with --test, also what the test suite needs (the PostgreSQL server its
# shared-backend tests start privately, Chromium for the dashboard's, promtool, from the
# prometheus package, which checks /metrics and the alert rules, and boto3 and the AWS CLI, the SQS
# clients of tests/sqs); with --sanitize, also clang
# and its sanitizer runtimes for scripts/sanitize.sh's fuzzers. Idempotent: when everything is
# present it only checks, which takes well under a second.
set -euo pipefail

packages=(
  g++ cmake ninja-build ccache pkg-config git curl
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libspdlog-dev libfmt-dev libcli11-dev libtoml11-dev libpq-dev libjemalloc-dev libssl-dev
  libhowardhinnant-date-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)
for option in "$@"; do
  case "$option" in
    --test) packages+=(postgresql-15 postgresql-client-15 prometheus python3-pytest python3-mypy python3-boto3 awscli) ;;
    --sanitize) packages+=(postgresql-15 postgresql-client-15 prometheus python3-pytest python3-mypy python3-boto3 awscli clang-14 libclang-rt-14-dev) ;;
    *) echo "setup.sh: unknown option $option (expected --test or --sanitize)" >&2; exit 2 ;;
  esac
done

# The dashboard is built with Node.js and npm: Debian's, unless the machine has its own already.
if ! command -v npm >/dev/null 2>&1; then packages+=(nodejs npm); fi
# The dashboard's browser tests (tests/dashboard) drive Debian's Chromium.
for option in "$@"; do
  case "$option" in --test | --sanitize) packages+=(chromium) ;; esac
done

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
