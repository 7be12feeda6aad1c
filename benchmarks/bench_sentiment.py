"""Sentiment accuracy on real labelled data and throughput (``python benchmarks/bench_sentiment.py``).

Data (read-only, never copied): ``../shared/data/external/`` next to the repository.

How the figures are counted (positive vs negative): only texts labelled positive or negative
take part; a prediction counts as right when its label matches. A "neutral" prediction counts
as WRONG (it is reported separately as ``neutral_share``). ``balanced`` is the mean of the
per-class recalls, which matters where one class dominates (the tweets are 78% negative).

* Glassdoor (en): a fixed random sample (seed 0) of ``pros`` (positive) and ``cons`` (negative).
* SentiRuEval-2015 restaurants (ru): ``sentiment_whole`` positive vs negative ("both" left out).
* SentiRuEval-2016 tweets (ru): ``sentiment`` positive vs negative (neutral/mixed left out).
* Rozetka (uk/ru) has no labels, so only throughput and the share of non-neutral labels.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eevp.text.sentiment import classify_sentiment

EXTERNAL = ROOT.parent / "shared" / "data" / "external"
TARGETS = {"glassdoor-en": 0.85, "sentirueval2015-restaurants-ru": 0.70, "sentirueval2016-tweets-ru": 0.70}


def glassdoor(n: int = 2000, seed: int = 0) -> tuple[list[str], list[str]] | None:
    """``n`` pros and ``n`` cons from the Glassdoor sample, or None when the file is absent."""
    path = EXTERNAL / "glassdoor-job-reviews-uk-sample" / "glassdoor_reviews.csv"
    if not path.exists():
        return None
    df = pd.read_csv(path, usecols=["pros", "cons"])
    pros = df["pros"].dropna().astype(str).sample(n, random_state=seed).tolist()
    cons = df["cons"].dropna().astype(str).sample(n, random_state=seed).tolist()
    return pros + cons, ["positive"] * n + ["negative"] * n


def restaurants() -> tuple[list[str], list[str]] | None:
    path = EXTERNAL / "sentirueval2015-restaurant-reviews-ru" / "restaurant_reviews_ru.csv"
    if not path.exists():
        return None
    df = pd.read_csv(path)
    df = df[df["sentiment_whole"].isin(["positive", "negative"])]
    return df["text"].astype(str).tolist(), df["sentiment_whole"].tolist()


def tweets() -> tuple[list[str], list[str]] | None:
    path = EXTERNAL / "sentirueval2016-bank-telecom-tweets-ru" / "tweets_ru.csv"
    if not path.exists():
        return None
    df = pd.read_csv(path)
    df = df[df["sentiment"].isin(["positive", "negative"])]
    return df["text"].astype(str).tolist(), df["sentiment"].tolist()


def rozetka() -> list[str] | None:
    path = EXTERNAL / "rozetka-product-comments-uk-ru" / "rozetka_reviews.csv"
    if not path.exists():
        return None
    df = pd.read_csv(path)
    return df["Відгук"].dropna().astype(str).str.replace("🔁 ", "", regex=False).tolist()


def evaluate(texts: list[str], gold: list[str], languages: list[str] | None = None) -> dict:
    """Accuracy (neutral counts as wrong), balanced accuracy, neutral share, texts/s."""
    start = time.perf_counter()
    pred = classify_sentiment(texts, languages)
    seconds = time.perf_counter() - start
    pred_a, gold_a = np.array(pred), np.array(gold)
    recalls = [float((pred_a[gold_a == c] == c).mean()) for c in ("positive", "negative") if (gold_a == c).any()]
    return {"accuracy": float((pred_a == gold_a).mean()), "balanced": float(np.mean(recalls)),
            "neutral_share": float((pred_a == "neutral").mean()), "texts_per_s": len(texts) / seconds,
            "n": len(texts)}


def _rows(name: str, result: dict, lang: str) -> list[dict]:
    target = TARGETS.get(name)
    return [
        {"benchmark": f"sentiment/{name}", "metric": "accuracy_pos_vs_neg", "value": round(result["accuracy"], 4),
         "unit": "fraction", "target": f">= {target}" if target else "",
         "ok": (result["accuracy"] >= target) if target else None},
        {"benchmark": f"sentiment/{name}", "metric": "balanced_accuracy", "value": round(result["balanced"], 4),
         "unit": "fraction", "target": "", "ok": None},
        {"benchmark": f"sentiment/{name}", "metric": "neutral_share", "value": round(result["neutral_share"], 4),
         "unit": "fraction", "target": "", "ok": None},
        {"benchmark": f"sentiment/{name}", "metric": "n_texts", "value": result["n"], "unit": "texts",
         "target": "", "ok": None},
        {"benchmark": f"sentiment/{name}", "metric": f"throughput_{lang}", "value": round(result["texts_per_s"]),
         "unit": "texts/s", "target": ">= 2000", "ok": result["texts_per_s"] >= 2000},
    ]


def run(quick: bool = False) -> list[dict]:
    """All sentiment figures; ``quick`` uses 500 Glassdoor texts per class instead of 2,000."""
    rows: list[dict] = []
    classify_sentiment(["good", "хорошо", "добре"])  # load lexicons and morphology first
    data = glassdoor(500 if quick else 2000)
    if data:
        rows += _rows("glassdoor-en", evaluate(*data, ["en"] * len(data[0])), "en")
    for name, loader in (("sentirueval2015-restaurants-ru", restaurants), ("sentirueval2016-tweets-ru", tweets)):
        data = loader()
        if data:
            rows += _rows(name, evaluate(*data, ["ru"] * len(data[0])), "ru")
    comments = rozetka()
    if comments:
        start = time.perf_counter()
        labels = classify_sentiment(comments)
        rate = len(comments) / (time.perf_counter() - start)
        shares = pd.Series(labels).value_counts(normalize=True)
        rows.append({"benchmark": "sentiment/rozetka-uk-ru", "metric": "throughput_mixed", "value": round(rate),
                     "unit": "texts/s", "target": ">= 2000", "ok": rate >= 2000})
        for label in ("positive", "neutral", "negative"):
            rows.append({"benchmark": "sentiment/rozetka-uk-ru", "metric": f"share_{label} (no labels)",
                         "value": round(float(shares.get(label, 0.0)), 4), "unit": "fraction", "target": "",
                         "ok": None})
    return rows


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv):
        print(f"{row['benchmark']:<40} {row['metric']:<28} {row['value']!s:>10} {row['unit']:<9} "
              f"{row['target']:<8} {'' if row['ok'] is None else ('OK' if row['ok'] else 'MISS')}")
