#!/usr/bin/env bash
# Create .venv (Python 3.11+), install the pinned requirements and the project itself.
# Re-running is cheap: it reinstalls only when requirements or pyproject changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "» Opretter virtuelt miljø i .venv"
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.setup-stamp"
want="$(cat requirements.txt requirements-dev.txt pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "» Installerer afhængigheder (første gang tager det nogle minutter)"
  .venv/bin/python -m pip install --quiet --upgrade pip
  # torch first and pinned, so nothing can pull a CUDA build
  .venv/bin/python -m pip install --quiet "torch==2.13.0"
  .venv/bin/python -m pip install --quiet -r requirements-dev.txt
  .venv/bin/python -m pip install --quiet --no-deps -e .
  echo "$want" > "$stamp"
fi
