"""How the customer-voice sentiment reads customers' questions, requests and plain facts (issue #16).

    .venv/bin/python -m training.voice_check

Reads the statements of ``labels/voice_check.csv`` from the shared folder (by reference: source, row,
field, statement index and hash; never the text), labels them with the shipped sentiment head's
customer-voice setting, with and without the rule on questions and requests, and prints both confusion
matrices (gold rows, eevp's labels in columns) and the labels per kind of statement.

The set: 234 Rozetka statements from rows outside ``labels/customer_lens*.csv`` (170 drawn at random,
one per row; 64 more with a question mark) and 60 US airline tweets with a question mark (the shipped
head saw those tweets in training; their own corpus labels are kept in ``corpus_label`` for reference),
each labelled by reading: sentiment as in the labelling guide (courtesy formulas and shop replies
carry none) and a kind (question, request, fact, complaint, praise, courtesy, mixed).
"""

from __future__ import annotations

import argparse
import sys
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import balanced_accuracy_score

from eevp.text.language import detect_languages
from eevp.text.lens_model import shipped_head
from eevp.text.sentiment import sentiment_scores
from eevp.text.sentiment_model import predict_sentiment, voice_labels
from training import real_text as rt

CHECK = Path(__file__).resolve().parent / "labels" / "voice_check.csv"
AIRLINE = "twitter-us-airline-sentiment-sample/tweets_sample_every4th.csv"
SENTIMENTS = ["negative", "neutral", "positive"]


@cache
def _airline() -> pd.DataFrame:
    return pd.read_csv(rt.external_dir() / AIRLINE)


def _text(source: str, row: int, field: str, index: int) -> str | None:
    if source == "airline_tweets":
        value = _airline().at[row, field] if index == 0 else None
        return value if isinstance(value, str) else None
    parts = rt.statements_of(source, row, field)
    return parts[index] if index < len(parts) else None


def load_check(path: Path = CHECK) -> pd.DataFrame | None:
    """The labelled statements with their text (``None`` without the shared data); a row whose text
    no longer hashes to the stored value is dropped and counted in ``attrs["missing"]``."""
    if not rt.available() or not path.is_file():
        return None
    labels = pd.read_csv(path, keep_default_na=False)
    texts = [_text(r.source, int(r.row), r.field, int(r.index)) for r in labels.itertuples()]
    ok = [t is not None and rt.statement_hash(t) == h for t, h in zip(texts, labels["hash"])]
    out = labels.assign(text=texts)[ok].reset_index(drop=True)
    out.attrs["missing"] = int(len(labels) - sum(ok))
    return out


def label_check(check: pd.DataFrame) -> pd.DataFrame:
    """``before`` (the customer-voice setting without the rule on questions) and ``after`` (as shipped)."""
    texts = check["text"].tolist()
    langs = detect_languages(texts)
    emb, lexicon = rt.embed(texts), sentiment_scores(texts, langs)
    head = shipped_head("sentiment_model/sentiment")
    setting = head.card["customer_voice"]
    proba = head.predict_proba(np.hstack([emb, lexicon[:, None]]))
    before = voice_labels(proba, head.classes, lexicon, setting["lexicon_weight"], setting["neutral_min"])
    after = predict_sentiment(texts, langs, emb, lexicon_scores=lexicon, customer_voice=True)
    return check.assign(language=langs, before=before, after=after)


def summary(labelled: pd.DataFrame, column: str) -> dict:
    """Accuracy, three-class balanced accuracy, and the two shares issue #16 is about."""
    gold, got = labelled["sentiment"], labelled[column]
    asks = labelled["kind"].isin(["question", "request"]) & (gold == "neutral")
    return {"n": len(gold), "accuracy": float((gold == got).mean()),
            "three-class balanced accuracy": float(balanced_accuracy_score(gold, got)),
            "neutral questions and requests read neutral": float((got[asks] == "neutral").mean()),
            "negative statements read negative": float((got[gold == "negative"] == "negative").mean())}


def main(argv=None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    check = load_check()
    if check is None:
        print("The shared data folder is absent: nothing to check.")
        return 1
    labelled = label_check(check)
    print(f"{len(labelled)} statements ({check.attrs['missing']} no longer found)")
    for column in ("before", "after"):
        print(f"\n{column}:", {k: round(v, 3) if isinstance(v, float) else v
                               for k, v in summary(labelled, column).items()})
        print(pd.crosstab(labelled["sentiment"], labelled[column]).reindex(columns=SENTIMENTS, fill_value=0))
        print(pd.crosstab([labelled["source"], labelled["kind"]], labelled[column])
              .reindex(columns=SENTIMENTS, fill_value=0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
