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
# Optional: Tesseract with Danish data for scanned letters (OCR). Installed when we are root and it is
# missing; never fails the setup — without it scanned PDFs get a clear outcome instead of text.
if ! { command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -x dan >/dev/null; }; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "» Installerer OCR (tesseract-ocr, tesseract-ocr-dan)"
    if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
           DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-dan; } >/dev/null 2>&1; then
      echo "ADVARSEL: tesseract-ocr og tesseract-ocr-dan kunne ikke installeres; scannede dokumenter kan ikke læses (se README, 'OCR')." >&2
    fi
  else
    echo "Bemærk: OCR er ikke installeret (ikke root eller ingen apt-get). Scannede dokumenter kan ikke læses, før" \
         "du installerer tesseract-ocr og tesseract-ocr-dan (se README, 'OCR')." >&2
  fi
fi
