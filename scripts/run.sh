#!/usr/bin/env bash
# Set up eevp and open the app on http://127.0.0.1:8501 (demo data when the database is empty).
#
# The dashboards are ready as soon as the app starts; the text analysis (themes, customer insights)
# runs in the background on first start and the Themes page shows its progress.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=${HF_HUB_OFFLINE:-1}
PY=.venv/bin/python
$PY -m eevp init
$PY -m eevp demo --if-empty
DATA_DIR=${EEVP_DATA_DIR:-data}
mkdir -p "$DATA_DIR"
if [ "${EEVP_SKIP_ANALYZE:-0}" != "1" ]; then
  # New text only (incremental): quick when nothing changed since the last start.
  nohup $PY -m eevp analyze > "$DATA_DIR/analyze.log" 2>&1 &
  echo "Text analysis running in the background (log: $DATA_DIR/analyze.log)."
fi
echo "Open http://${EEVP_HOST:-127.0.0.1}:${EEVP_PORT:-8501} in your browser."
exec $PY scripts/serve.py --server.address "${EEVP_HOST:-127.0.0.1}" \
  --server.port "${EEVP_PORT:-8501}" --server.headless true --browser.gatherUsageStats false
