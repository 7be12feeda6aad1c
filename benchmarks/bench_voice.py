"""The customer lens on customers' own words: stage and sentiment against public data sets' categories.

``python -m benchmarks --only voice`` (a few minutes on CPU: about 7,000 texts embedded). On the US
airline tweets (complaint reason) and the CFPB complaints (issue), each category is mapped to a journey
stage in ``benchmarks/voice_stages.json``; a comment's stage is the most frequent stage of its statements
(tagged as customer feedback: ``tag_statements(..., customer_voice=True)``), no stage counts as wrong.
Sentiment: balanced accuracy, negative against positive tweets. Each row says what was held out: the
shipped heads were trained with the airline tweets, so the airline rows come twice, once with the
shipped heads and once with heads trained without the tweets (``training.voice_sentiment`` and the
training recipe of ``training.train_models``, refitted here from the cached embeddings, a few minutes);
the CFPB complaints are in no training set. Skipped when ``../shared/data/external`` is absent.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from eevp.intake.statements import split_statements
from eevp.text.lens import STAGES, tag_statements
from eevp.text.lens_model import shipped_head
from eevp.text.sentiment import classify_sentiment, sentiment_scores
from eevp.themes.embeddings import heads_embedder

EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "external"
TWEETS = EXTERNAL / "twitter-us-airline-sentiment-sample" / "tweets_sample_every4th.csv"
CFPB = EXTERNAL / "cfpb-consumer-complaints-sample" / "cfpb_complaints_with_narrative.csv"
MAPPING = json.loads((Path(__file__).with_name("voice_stages.json")).read_text(encoding="utf-8"))
STAGE_TARGET, SENTIMENT_TARGET = 0.70, 0.85


def comment_stages(texts: list[str], embed=None, stage_of=None) -> list[str | None]:
    """The stage of each comment: the most frequent stage of its statements (tagged by eevp as customer
    feedback, or by ``stage_of(statements)``), or None."""
    parts = [split_statements(t) or [t] for t in texts]
    flat = [p for ps in parts for p in ps]
    stages = (stage_of(flat) if stage_of else
              tag_statements(flat, ["en"] * len(flat), embed=embed, customer_voice=True)["stage"].tolist())
    out, start = [], 0
    for ps in parts:
        found = Counter(s for s in stages[start:start + len(ps)] if s in STAGES)
        out.append(found.most_common(1)[0][0] if found else None)
        start += len(ps)
    return out


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
    reasons = df[df["negativereason"].isin(MAPPING["airline_negativereason"])]
    gold = reasons["negativereason"].map(MAPPING["airline_negativereason"])
    rows = [_stage_row("airline tweets: complaint reason", "nothing (the shipped stage head saw these tweets)",
                       stage_accuracy(gold, comment_stages(reasons["text"].tolist(), embed)))]
    held = comment_stages(reasons["text"].tolist(), stage_of=stage_head_without_airline())
    rows.append(_stage_row("airline tweets: complaint reason", "the airline tweets (stage head trained without them)",
                           stage_accuracy(gold, held)))
    return rows + airline_sentiment(df, embed) + airline_sentiment_held_out()


def airline_sentiment(df: pd.DataFrame, embed) -> list[dict]:
    """The shipped heads on the negative and positive tweets (they saw them in training)."""
    polar = df[df["airline_sentiment"].isin(["negative", "positive"])].reset_index(drop=True)
    texts, gold = polar["text"].tolist(), polar["airline_sentiment"]
    langs = ["en"] * len(texts)
    vectors = embed(texts)
    labels = tag_statements(texts, langs, embeddings=vectors, customer_voice=True)["sentiment"]
    head = shipped_head("sentiment_model/sentiment")
    proba = head.predict_proba(np.hstack([vectors, sentiment_scores(texts, langs)[:, None]]))
    pos, neg = head.classes.index("positive"), head.classes.index("negative")
    binary = pd.Series(np.where(proba[:, pos] > proba[:, neg], "positive", "negative"))
    name = f"voice: airline tweets, sentiment (n={len(polar)}; held out: nothing, the shipped head saw them)"
    return [_sentiment_row(name, "nothing", metric, balanced_accuracy(gold, predicted), _lexicon(texts, gold))
            for metric, predicted in (("balanced accuracy of eevp's labels (neutral counts wrong)", labels),
                                      ("balanced accuracy, negative vs positive decision (head alone)", binary))]


def airline_sentiment_held_out() -> list[dict]:
    """A sentiment head trained without the airline tweets, on them, with the shipped customer-voice setting."""
    from training.voice_sentiment import HELD_OUT, airline_figures, heldout_probabilities, sentiment_matrix

    setting = shipped_head("sentiment_model/sentiment").card.get("customer_voice") or {
        "lexicon_weight": 0.0, "neutral_min": None}
    sd, xs = sentiment_matrix()
    f = airline_figures(heldout_probabilities(sd, xs, (sd["corpus"] == HELD_OUT).to_numpy()), setting)
    held = "the airline tweets (sentiment head trained without them)"
    name = f"voice: airline tweets, sentiment (n={f['n_polar']} polar, {f['n']} in all; held out: {held})"
    return [_sentiment_row(name, held, metric, f[key], "head alone " + f"{f[base]:.3f}") for metric, key, base in (
        ("balanced accuracy of eevp's labels (neutral counts wrong)", "voice_labels", "head_labels"),
        ("balanced accuracy, negative vs positive decision", "voice_decision", "head_decision"),
        ("three-class balanced accuracy, all tweets (information)", "voice_three_class", "head_three_class"))]


def stage_head_without_airline():
    """The recipe of the shipped stage head for customers' own words (``lens/stage_voice``,
    ``training.train_models.fit_stages``) without the airline tweets: ``f(statements) -> stages``."""
    from training import train_models as tm

    df, aux = tm.lens_data(), tm.aux_lens()
    aux = aux[aux["group"] != "airline"].reset_index(drop=True)
    x = np.vstack([tm.features(df["text"].tolist(), df["language"].tolist()),
                   tm.features(aux["text"].tolist(), aux["language"].tolist())])
    rows = np.r_[df["cls"].isin(tm.ABOUT).to_numpy(), aux["cls"].isin(tm.ABOUT).to_numpy()]
    stages = np.array(df["stage"].tolist() + aux["stage"].tolist())
    w = np.r_[np.ones(len(df)), np.full(len(aux), tm.AUX_WEIGHT)]
    head = tm.fit_head(x[rows], list(stages[rows]), tm.STAGE_CLASSES, w[rows])
    return lambda texts: head.predict(tm.features(texts, ["en"] * len(texts)))


def _lexicon(texts: list[str], gold: pd.Series) -> str:
    predicted = np.where(np.array(classify_sentiment(texts, ["en"] * len(texts))) == "positive", "positive", "negative")
    return f"lexicon {balanced_accuracy(gold, pd.Series(predicted)):.2f}"


def _sentiment_row(name: str, held_out: str, metric: str, value: float, baseline: str) -> dict:
    target = "three-class" not in metric
    return {"benchmark": name, "held_out": held_out, "metric": metric, "value": f"{value:.3f}", "baseline": baseline,
            "target": f">= {SENTIMENT_TARGET}" if target else "", "ok": value >= SENTIMENT_TARGET if target else None}


def cfpb(embed) -> list[dict]:
    df = pd.read_csv(CFPB)
    df = df[df["Issue"].isin(MAPPING["cfpb_issue"])]
    stages = comment_stages(df["Consumer complaint narrative"].tolist(), embed)
    acc = stage_accuracy(df["Issue"].map(MAPPING["cfpb_issue"]), stages)
    return [_stage_row("CFPB complaints: issue", "all of them (in no training set)", acc)]


def _stage_row(name: str, held_out: str, acc: dict) -> dict:
    return {"benchmark": f"voice: {name} (n={acc['n']}, no stage {acc['no_stage']:.0%}; held out: {held_out})",
            "held_out": held_out,
            "metric": "stage accuracy, per comment", "value": f"{acc['accuracy']:.2f}",
            "baseline": f"majority stage {acc['majority']:.2f}", "target": f">= {STAGE_TARGET}",
            "ok": acc["accuracy"] >= STAGE_TARGET}


def run(quick: bool = False) -> list[dict]:
    if not TWEETS.exists() or not CFPB.exists():
        return [{"benchmark": "voice", "metric": "skipped: ../shared/data/external is absent", "value": ""}]
    embed = _embed()
    return airline(embed) + cfpb(embed)
