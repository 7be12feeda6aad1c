#!/usr/bin/env bash
# Set up eevp and open the app on http://127.0.0.1:8501 (demo data when the database is empty).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=${HF_HUB_OFFLINE:-1}
.venv/bin/python -m eevp init
.venv/bin/python -m eevp demo --if-empty
.venv/bin/python -m eevp analyze
exec .venv/bin/python -m streamlit run app.py --server.address "${EEVP_HOST:-127.0.0.1}" \
  --server.port "${EEVP_PORT:-8501}" --server.headless true --browser.gatherUsageStats false
