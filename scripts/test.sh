#!/usr/bin/env bash
# One command: set up the same way, then run the test suite (pytest's "no tests" code 5 is not a failure).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
.venv/bin/python -m pytest "$@"
rc=$?
if [ "$rc" -eq 5 ]; then rc=0; fi
exit "$rc"
