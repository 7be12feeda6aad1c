"""Themes at every size: the same settings on real corpora from 300 units up.

``python -m benchmarks --only theme_sizes`` (about 15 minutes on 2 cores; ``--quick``: up to 2,000).
Corpora, read from ``../shared/data/external`` (skipped when absent) and split into statements the
way eevp splits comments: Glassdoor UK *cons*, Indeed city-employer reviews (text and cons), the
Russian exit-survey answers, BBC News (5 labelled categories), AG News (4 labelled classes), and
every statement of the six staff sources together (the largest real corpus here, ~45,000
statements, standing in for 100,000: no real staff corpus of that size is available). Each size is
a random sample (seed 0) of the corpus; the embeddings are eevp's own (multilingual USE), cached by
``training.real_text.embed``.

Targets (issue 13): at least 5 themes, the largest theme at most 25% of the units in themes,
outliers at most 15%, and on the labelled corpora an NMI at least plain BERTopic's (every default,
on the same embeddings and the same sample).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from training import real_text

SIZES = (300, 600, 1000, 2000, 5000, 10_000)
QUICK_SIZES = (300, 600, 1000, 2000)
MAX_SHARE, MAX_OUTLIERS, MIN_THEMES = 0.25, 0.15, 5


def staff_texts(source: str, fields=None) -> list[str]:
    """The statements of one real staff source (``training.real_text.SOURCES``), of some fields only."""
    st = real_text.all_statements(source)
    return (st[st["field"].isin(fields)] if fields else st)["text"].tolist()


def prepared(texts: list[str], labels: list | None = None) -> tuple[list[str], list | None]:
    """Texts (and their labels) without boilerplate, removed as the analysis removes it."""
    from eevp.text.textprep import prepare

    prep = prepare(texts, min_words=1)
    keep = np.flatnonzero(prep["keep"].to_numpy())
    return [prep["text"].iloc[i] for i in keep], [labels[i] for i in keep] if labels else None


def corpora(include_all: bool) -> dict[str, tuple[list[str], list | None]]:
    """name → (texts, labels or None), boilerplate removed as the analysis removes it."""
    ext = real_text.external_dir()
    raw = {
        "Glassdoor cons": (staff_texts("gd_uk", ["cons"]), None),
        "Indeed reviews": (staff_texts("indeed", ["text", "cons"]), None),
        "Russian exit answers": (staff_texts("ru_exit"), None),
    }
    bbc = pd.read_csv(ext / "bbc-news-train" / "BBC News Train.csv")
    raw["BBC News"] = (bbc["Text"].tolist(), bbc["Category"].tolist())
    ag = pd.read_csv(ext / "ag-news-test" / "test.csv")
    raw["AG News"] = ((ag["title"] + ". " + ag["description"]).tolist(), ag["label"].tolist())
    if include_all:
        raw["all staff statements"] = ([t for s in real_text.SOURCES for t in staff_texts(s)], None)
    return {name: prepared(texts, labels) for name, (texts, labels) in raw.items()}


def shape(topics) -> dict:
    topics = np.asarray(topics)
    inside = topics[topics >= 0]
    return {"themes": len(set(inside.tolist())),
            "largest": float(np.bincount(inside).max() / len(inside)) if len(inside) else 1.0,
            "outliers": float((topics < 0).mean())}


def fit_eevp(texts, emb):
    from eevp.themes.model import fit_themes

    return fit_themes(texts, emb).topics


def fit_plain(texts, emb):
    from bertopic import BERTopic

    topics, _ = BERTopic().fit_transform(texts, emb)
    return np.asarray(topics)


def rows_for(name: str, n: int, texts, labels, emb) -> list[dict]:
    from sklearn.metrics import normalized_mutual_info_score as nmi

    area = f"themes at size: {name}, n={n:,}"
    start = time.perf_counter()
    topics = fit_eevp(texts, emb)
    seconds = time.perf_counter() - start
    s = shape(topics)
    rows = [
        {"benchmark": area, "metric": "themes", "value": s["themes"], "target": f">= {MIN_THEMES}",
         "ok": s["themes"] >= MIN_THEMES},
        {"benchmark": area, "metric": "largest theme, share of units in themes", "value": round(s["largest"], 3),
         "target": f"<= {MAX_SHARE}", "ok": s["largest"] <= MAX_SHARE},
        {"benchmark": area, "metric": "outlier share", "value": round(s["outliers"], 3),
         "target": f"<= {MAX_OUTLIERS}", "ok": s["outliers"] <= MAX_OUTLIERS},
        {"benchmark": area, "metric": "fit time", "value": round(seconds, 1), "unit": "s"},
    ]
    if labels is not None:
        plain = fit_plain(texts, emb)
        ours, theirs = nmi(labels, topics), nmi(labels, plain)
        ps = shape(plain)
        rows.append({"benchmark": area, "metric": "NMI with the labels", "value": round(ours, 3),
                     "baseline": f"plain BERTopic {theirs:.3f} ({ps['themes']} topics, largest "
                                 f"{ps['largest']:.2f}, outliers {ps['outliers']:.2f})",
                     "ratio": round(ours / theirs, 3) if theirs else "", "target": ">= plain BERTopic",
                     "ok": ours >= theirs})
    return rows


def run(quick: bool = False) -> list[dict]:
    """All measurements as rows (benchmark, metric, value, unit, baseline, target, ok)."""
    if not real_text.available():
        return [{"benchmark": "themes at size", "metric": "external data present", "value": 0, "target": "1",
                 "ok": False}]
    rows = []
    for name, (texts, labels) in corpora(include_all=not quick).items():
        emb = real_text.embed(texts)
        sizes = [n for n in (QUICK_SIZES if quick else SIZES) if n <= len(texts)]
        if name == "all staff statements":
            sizes = [len(texts)]
        for n in sizes:
            idx = np.random.default_rng(0).permutation(len(texts))[:n]
            rows += rows_for(name, n, [texts[i] for i in idx], [labels[i] for i in idx] if labels else None,
                             emb[idx])
    return rows
