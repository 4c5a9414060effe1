#!/usr/bin/env bash
# One command: set up, start the app on 127.0.0.1 at once. On an empty index the app ingests the bundled sample
# corpus (data/sample) in the background, with its progress shown, and questions open as soon as a letter is in.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HOERING_SAMPLE="${HOERING_SAMPLE:-data/sample}"
ADDRESS="${HOERING_ADDRESS:-127.0.0.1}"
PORT="${HOERING_PORT:-8501}"
echo "» Starter Høringsassistent på http://$ADDRESS:$PORT"
exec .venv/bin/streamlit run app.py --server.address "$ADDRESS" --server.port "$PORT" \
  --server.headless true --browser.gatherUsageStats false
