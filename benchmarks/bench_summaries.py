"""Summaries of every theme: lead lines and quotes (maximal marginal relevance) for 100,000 statements.

100,000 statements from 40,000 people in 80 themes of Zipf-like sizes, 512-dimensional vectors (the
size of the default multilingual embedder's), eight departments, four waves; in memory (reading the
vectors from the database is its own row: the same rows from a SQLite file). Target: every theme's
summary in under 5 s.

Run: ``python -m benchmarks --only summaries`` (``--quick``: 20,000 statements).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

THEMES, DIM, COMMENT_THRESHOLD = 80, 512, 10


def statements(n: int, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """(units, vectors): ``n`` statements in :data:`THEMES` themes, each theme a cloud around its centre."""
    rng = np.random.default_rng(seed)
    weights = 1 / np.arange(1, THEMES + 1) ** 0.9
    theme = rng.choice(THEMES, n, p=weights / weights.sum())
    theme[rng.random(n) < 0.15] = -1  # outliers
    centres = rng.normal(size=(THEMES + 1, DIM)).astype(np.float32)
    vectors = centres[theme] + rng.normal(scale=1.2, size=(n, DIM)).astype(np.float32)
    units = pd.DataFrame({"unit_id": np.arange(1, n + 1), "theme_id": theme,
                          "person": [f"p{i}" for i in rng.integers(0, int(n * 0.4), n)],
                          "kind": rng.choice(["survey", "exit", "focus"], n, p=[0.7, 0.25, 0.05]),
                          "department": rng.choice([f"Dept {i}" for i in range(8)], n),
                          "sentiment": rng.choice(["negative", "neutral", "positive"], n),
                          "wave": rng.choice(["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"], n), "date": None})
    return units, vectors


def stored_read(units: pd.DataFrame, vectors: np.ndarray) -> float:
    """Seconds to read the vectors of every unit back from a SQLite file (:func:`unit_vectors`)."""
    from eevp.analytics.summaries import unit_vectors
    from eevp.store import db

    with tempfile.TemporaryDirectory() as folder:
        engine = db.connect(f"sqlite:///{folder}/bench.db")
        with engine.begin() as conn:
            conn.execute(db.batches.insert().values(id=1, kind="survey", name="b", content_hash="h",
                                                    created_at=db.now()))
            conn.execute(db.text_units.insert(), [
                {"id": int(u), "batch_id": 1, "kind": "survey", "record_no": int(u), "question": "q", "seq": 0,
                 "text": "x", "text_hash": f"h{u}"} for u in units["unit_id"]])
            conn.execute(db.embeddings.insert(), [
                {"model_id": "m", "text_hash": f"h{u}", "dim": DIM, "vector": v.astype("<f4").tobytes()}
                for u, v in zip(units["unit_id"], vectors)])
        start = time.perf_counter()
        got = unit_vectors(engine, units["unit_id"], model_id="m")
        seconds = time.perf_counter() - start
        engine.dispose()
    assert got.shape == vectors.shape
    return seconds


def _row(metric, value, unit, target="", ok=None):
    return {"benchmark": "summaries", "metric": metric, "value": value, "unit": unit, "target": target, "ok": ok}


def run(quick: bool = False) -> list[dict]:
    from eevp.analytics.summaries import summarise_themes

    n = 20_000 if quick else 100_000
    units, vectors = statements(n)
    start = time.perf_counter()
    out = summarise_themes(units, vectors, COMMENT_THRESHOLD)
    seconds = time.perf_counter() - start
    again = summarise_themes(units, vectors, COMMENT_THRESHOLD)
    same = {k: v.quote_ids for k, v in out.items()} == {k: v.quote_ids for k, v in again.items()}
    rows = [_row(f"every theme's summary ({len(out)} themes), {n:,} statements, {DIM}-d vectors in memory",
                 round(seconds, 2), "s", "< 5", seconds < 5),
            _row("the same summaries a second time (deterministic)", "yes" if same else "no", "", "yes", same)]
    read = stored_read(units, vectors)
    rows.append(_row(f"reading the {n:,} stored vectors (SQLite)", round(read, 2), "s"))
    return rows


if __name__ == "__main__":
    for r in run(quick="--quick" in sys.argv):
        print(f"{r['metric']:<80} {r['value']!s:>8} {r['unit']:<4} {r['target']:<6} {r['ok']}")
