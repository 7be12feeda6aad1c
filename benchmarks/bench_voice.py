"""The customer lens on customers' own words: stage and sentiment against public data sets' categories.

``python -m benchmarks --only voice`` (a few minutes on CPU: about 7,000 texts embedded). On the US
airline tweets (complaint reason) and the CFPB complaints (issue), each category is mapped to a journey
stage in ``benchmarks/voice_stages.json``; a comment's stage is the most frequent stage of its statements
(tagged as customer feedback: ``tag_statements(..., customer_voice=True)``), no stage counts as wrong.
Sentiment: balanced accuracy, negative against positive tweets. Read the airline rows with care: the
shipped heads were trained with these tweets (the held-out figure is in the lens model card); the CFPB
complaints are in no training set. Skipped when ``../shared/data/external`` is absent.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from eevp.intake.statements import split_statements
from eevp.text.lens import tag_statements
from eevp.text.lens_model import shipped_head
from eevp.text.sentiment import classify_sentiment, sentiment_scores
from eevp.themes.embeddings import heads_embedder

EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "external"
TWEETS = EXTERNAL / "twitter-us-airline-sentiment-sample" / "tweets_sample_every4th.csv"
CFPB = EXTERNAL / "cfpb-consumer-complaints-sample" / "cfpb_complaints_with_narrative.csv"
MAPPING = json.loads((Path(__file__).with_name("voice_stages.json")).read_text(encoding="utf-8"))
STAGE_TARGET, SENTIMENT_TARGET = 0.70, 0.85


def comment_stages(texts: list[str], embed) -> tuple[list[str | None], pd.DataFrame]:
    """The stage of each comment (most frequent stage of its statements, or None) and the statement tags."""
    parts = [split_statements(t) or [t] for t in texts]
    flat = [p for ps in parts for p in ps]
    tags = tag_statements(flat, ["en"] * len(flat), embed=embed, customer_voice=True)
    out, start = [], 0
    for ps in parts:
        found = Counter(s for s in tags["stage"].iloc[start:start + len(ps)] if isinstance(s, str))
        out.append(found.most_common(1)[0][0] if found else None)
        start += len(ps)
    return out, tags


def stage_accuracy(gold: pd.Series, predicted: list) -> dict:
    pred = pd.Series(predicted, index=gold.index)
    return {"n": int(len(gold)), "accuracy": float((pred == gold).mean()),
            "majority": float(gold.value_counts(normalize=True).iloc[0]), "no_stage": float(pred.isna().mean())}


def balanced_accuracy(gold: pd.Series, predicted: pd.Series) -> float:
    return float(np.mean([(predicted[gold == c] == c).mean() for c in ("negative", "positive")]))


def _embed():
    embedder = heads_embedder()
    return lambda texts: embedder.encode(texts)


def airline(embed) -> list[dict]:
    df = pd.read_csv(TWEETS)
    rows = []
    reasons = df[df["negativereason"].isin(MAPPING["airline_negativereason"])]
    stages, _ = comment_stages(reasons["text"].tolist(), embed)
    acc = stage_accuracy(reasons["negativereason"].map(MAPPING["airline_negativereason"]), stages)
    rows.append(_stage_row("airline tweets: complaint reason (in the lens's training)", acc))
    polar = df[df["airline_sentiment"].isin(["negative", "positive"])].reset_index(drop=True)
    texts, gold = polar["text"].tolist(), polar["airline_sentiment"]
    langs = ["en"] * len(texts)
    vectors = embed(texts)
    labels = tag_statements(texts, langs, embeddings=vectors, customer_voice=True)["sentiment"]
    lexicon = pd.Series(np.where(np.array(classify_sentiment(texts, langs)) == "positive", "positive", "negative"))
    baseline = f"lexicon {balanced_accuracy(gold, lexicon):.2f}"
    head = shipped_head("sentiment_model/sentiment")
    proba = head.predict_proba(np.hstack([vectors, sentiment_scores(texts, langs)[:, None]]))
    pos, neg = head.classes.index("positive"), head.classes.index("negative")
    binary = pd.Series(np.where(proba[:, pos] > proba[:, neg], "positive", "negative"))
    name = f"voice: airline tweets, sentiment (n={len(polar)}; the shipped head was trained on them)"
    for metric, predicted in (("balanced accuracy of eevp's labels (neutral counts wrong)", labels),
                              ("balanced accuracy, negative vs positive decision (the model card's)", binary)):
        value = balanced_accuracy(gold, predicted)
        rows.append({"benchmark": name, "metric": metric, "value": f"{value:.2f}", "baseline": baseline,
                     "target": f">= {SENTIMENT_TARGET}", "ok": value >= SENTIMENT_TARGET})
    return rows


def cfpb(embed) -> list[dict]:
    df = pd.read_csv(CFPB)
    df = df[df["Issue"].isin(MAPPING["cfpb_issue"])]
    stages, _ = comment_stages(df["Consumer complaint narrative"].tolist(), embed)
    acc = stage_accuracy(df["Issue"].map(MAPPING["cfpb_issue"]), stages)
    return [_stage_row("CFPB complaints: issue (in no training set)", acc)]


def _stage_row(name: str, acc: dict) -> dict:
    return {"benchmark": f"voice: {name} (n={acc['n']}, no stage {acc['no_stage']:.0%})",
            "metric": "stage accuracy, per comment", "value": f"{acc['accuracy']:.2f}",
            "baseline": f"majority stage {acc['majority']:.2f}", "target": f">= {STAGE_TARGET}",
            "ok": acc["accuracy"] >= STAGE_TARGET}


def run(quick: bool = False) -> list[dict]:
    if not TWEETS.exists() or not CFPB.exists():
        return [{"benchmark": "voice", "metric": "skipped: ../shared/data/external is absent", "value": ""}]
    embed = _embed()
    return airline(embed) + cfpb(embed)
