#!/usr/bin/env bash
# Runs the package's tests against a real server: bash run_tests.sh PATH_TO_CORRAL_BINARY
# Debian's python3 and python3-pytest (scripts/setup.sh --test); mypy too when installed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
binary="$(realpath "${1:?usage: run_tests.sh PATH_TO_CORRAL_BINARY}")"
python="${PYTHON:-/usr/bin/python3}"
[ -x "$python" ] || python=python3

if ! "$python" -c 'import pytest' 2>/dev/null; then
  echo "pytest is missing for $python: apt-get install python3-pytest (scripts/setup.sh --test)" >&2
  exit 1
fi
cd "$here"
if "$python" -c 'import mypy' 2>/dev/null; then
  "$python" -m mypy --strict --cache-dir "${TMPDIR:-/tmp}/corral-python-mypy" src/corral tests examples
fi
export PYTHONDONTWRITEBYTECODE=1 CORRAL_BIN="$binary" PYTHONPATH="$here/src${PYTHONPATH:+:$PYTHONPATH}"
exec "$python" -m pytest -q -p no:cacheprovider tests "${@:2}"
