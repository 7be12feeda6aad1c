"""Real text from ``../shared/data/external`` by reference: statements, labels and sentiment corpora.

The external data may not be redistributed, so the repository keeps labels by reference only
(source, row, field, statement index and a hash of the statement) and this module reads the text
from the shared folder at training and test time. Everything here returns ``None`` or an empty
frame when the folder is absent, and callers skip.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from eevp.intake.statements import split_statements

ROOT = Path(__file__).resolve().parent.parent
LABELS = Path(__file__).resolve().parent / "labels" / "customer_lens.csv"
#: Statements labelled after the sampled rounds, for training experiments only (``--with-extra``).
EXTRA_LABELS = LABELS.with_name("customer_lens_extra.csv")


def external_dir() -> Path:
    """The shared folder of real data (``EEVP_EXTERNAL_DATA`` or ``../shared/data/external``)."""
    return Path(os.environ.get("EEVP_EXTERNAL_DATA", ROOT.parent / "shared" / "data" / "external"))


def available() -> bool:
    return (external_dir() / "glassdoor-job-reviews-uk-sample" / "glassdoor_reviews.csv").is_file()


@dataclass(frozen=True)
class Source:
    """One labelled source: a CSV file and its free-text fields (``None``: every column but ``row_id``)."""

    name: str
    path: str
    fields: tuple[str, ...] | None
    language: str  # the main language, for reporting
    strip: str = ""


SOURCES = {
    s.name: s
    for s in (
        Source("gd_uk", "glassdoor-job-reviews-uk-sample/glassdoor_reviews.csv", ("headline", "pros", "cons"), "en"),
        Source("gd_bd", "glassdoor-companies-reviews-brightdata-sample/glassdoor_companies_reviews.csv",
               ("summary", "review_pros", "review_cons"), "en"),
        Source("indeed", "indeed-canadian-city-employer-reviews/indeed_city_employer_reviews.csv",
               ("text", "pros", "cons"), "en"),
        Source("ru_exit", "ru-exit-survey-comments/employee_answers.csv", ("q1", "q2", "q3", "q4", "q5"), "ru"),
        Source("ru_exit_hr", "ru-exit-survey-comments/hr_comments.csv", None, "ru"),
        Source("rozetka", "rozetka-product-comments-uk-ru/rozetka_reviews.csv", ("Відгук",), "uk", strip="🔁"),
    )
}


def statement_hash(text: str) -> str:
    """The reference hash of one statement (first 16 hex digits of its SHA-256)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@cache
def _table(path: str) -> pd.DataFrame:
    return pd.read_csv(external_dir() / path)


def statements_of(source: str, row: int, field: str) -> list[str]:
    """The statements of one cell, split as at labelling time (before the splitter cut sentences typed without
    a space after their end: ``glued=False``; the labels name a statement by its index)."""
    src = SOURCES[source]
    value = _table(src.path).at[row, field]
    if not isinstance(value, str):
        return []
    if src.strip:
        value = value.replace(src.strip, "").strip()
    return split_statements(value, glued=False)


def all_statements(source: str, min_words: int = 3) -> pd.DataFrame:
    """Every statement of a source: ``source, row, field, index, hash, text``."""
    src = SOURCES[source]
    df = _table(src.path)
    fields = src.fields or tuple(c for c in df.columns if c != "row_id")
    out = []
    for f in fields:
        for row, value in df[f].items():
            if not isinstance(value, str) or not value.strip():
                continue
            if src.strip:
                value = value.replace(src.strip, "").strip()
            for k, s in enumerate(split_statements(value, glued=False)):
                if len(s.split()) >= min_words:
                    out.append((source, int(row), f, k, statement_hash(s), s))
    return pd.DataFrame(out, columns=["source", "row", "field", "index", "hash", "text"])


def load_labels(path: Path = LABELS) -> pd.DataFrame | None:
    """The labelled real statements with their text read from the shared folder.

    Returns ``None`` when the shared data is absent. Rows whose text no longer hashes to the stored
    value (the source or the splitter changed) are dropped; ``attrs["missing"]`` counts them.
    """
    if not available() or not path.is_file():
        return None
    labels = pd.read_csv(path, dtype={"stage": "string", "note": "string"}, keep_default_na=False)
    texts, keep = [], []
    for r in labels.itertuples():
        parts = statements_of(r.source, int(r.row), r.field)
        text = parts[r.index] if r.index < len(parts) else None
        ok = text is not None and statement_hash(text) == r.hash
        keep.append(ok)
        texts.append(text if ok else None)
    labels["text"] = texts
    out = labels[keep].reset_index(drop=True)
    out.attrs["missing"] = int(len(labels) - sum(keep))
    out["stage"] = out["stage"].replace("", None)
    return out


# --------------------------------------------------------------------------- sentiment corpora

#: Real corpora with sentiment labels: name -> (language, what the group column holds).
SENTIMENT_CORPORA = {
    "glassdoor_pros_cons": ("en", "field: pros positive, cons negative (weak labels)"),
    "airline_tweets": ("en", "airline"),
    "ru_bank_telecom_tweets": ("ru", "domain"),
    "ru_restaurant_reviews": ("ru", "split"),
}


def sentiment_corpus(name: str) -> pd.DataFrame:
    """``text, label, language, group`` of one real sentiment corpus (labels negative/neutral/positive)."""
    if name == "glassdoor_pros_cons":
        st = all_statements("gd_uk")
        st = st[st["field"].isin(["pros", "cons"])]
        return pd.DataFrame({"text": st["text"], "label": st["field"].map({"pros": "positive", "cons": "negative"}),
                             "language": "en", "group": st["field"], "hash": st["hash"]}).reset_index(drop=True)
    if name == "airline_tweets":
        df = _table("twitter-us-airline-sentiment-sample/tweets_sample_every4th.csv")
        out = pd.DataFrame({"text": df["text"], "label": df["airline_sentiment"], "language": "en",
                            "group": df["airline"], "reason": df["negativereason"]})
    elif name == "ru_bank_telecom_tweets":
        df = _table("sentirueval2016-bank-telecom-tweets-ru/tweets_ru.csv")
        df = df[df["sentiment"].isin(["negative", "neutral", "positive"])]
        out = pd.DataFrame({"text": df["text"], "label": df["sentiment"], "language": "ru", "group": df["domain"]})
    elif name == "ru_restaurant_reviews":
        df = _table("sentirueval2015-restaurant-reviews-ru/restaurant_reviews_ru.csv")
        df = df[df["sentiment_whole"].isin(["negative", "positive", "both"])]
        out = pd.DataFrame({"text": df["text"], "label": df["sentiment_whole"].replace({"both": "neutral"}),
                            "language": "ru", "group": df["split"]})
    else:
        raise KeyError(name)
    out = out[out["text"].map(lambda t: isinstance(t, str) and bool(t.strip()))].reset_index(drop=True)
    out["hash"] = out["text"].map(statement_hash)
    return out


# --------------------------------------------------------------------------- embeddings, cached on disk

def embed(texts: list[str], embedder=None, cache_dir: Path | None = None) -> "np.ndarray":
    """Vectors of texts from eevp's default embedder, kept in a local ``.npz`` cache by text hash."""
    import numpy as np

    from eevp.themes.embeddings import heads_embedder as default_embedder

    embedder = embedder or default_embedder()
    cache_dir = cache_dir or Path(os.environ.get("EEVP_TRAINING_CACHE", Path.home() / ".cache" / "eevp-training"))
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / (embedder.model_id.replace("/", "_") + ".npz")
    known: dict[str, np.ndarray] = {}
    if path.is_file():
        with np.load(path) as z:
            known = dict(zip(z["hashes"].tolist(), z["vectors"]))
    hashes = [statement_hash(t) for t in texts]
    todo = list(dict.fromkeys(h for h in hashes if h not in known))
    if todo:
        by_hash = dict(zip(hashes, texts))
        vecs = embedder.encode([by_hash[h] for h in todo])
        known.update(zip(todo, vecs))
        np.savez(path, hashes=np.array(list(known)), vectors=np.stack(list(known.values())))
    dim = len(next(iter(known.values()))) if known else 512
    return np.stack([known[h] for h in hashes]) if hashes else np.zeros((0, dim), dtype=np.float32)
