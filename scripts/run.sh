#!/usr/bin/env bash
# One command: set up, ingest the bundled sample corpus if the index is empty, start the app on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
INDEX="${HOERING_INDEX:-data/index}"
if [ ! -s "$INDEX/manifest.json" ]; then
  echo "» Indlæser eksempelkorpusset (data/sample) i $INDEX"
  .venv/bin/hoering ingest data/sample --index "$INDEX"
fi
ADDRESS="${HOERING_ADDRESS:-127.0.0.1}"
PORT="${HOERING_PORT:-8501}"
echo "» Starter Høringsassistent på http://$ADDRESS:$PORT"
exec .venv/bin/streamlit run app.py --server.address "$ADDRESS" --server.port "$PORT" \
  --server.headless true --browser.gatherUsageStats false
