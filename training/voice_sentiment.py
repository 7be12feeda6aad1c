"""Sentiment of customers' own words: choose the customer-voice setting and measure it held out.

    .venv/bin/python -m training.voice_sentiment            # choose, measure, write the setting and the card
    .venv/bin/python -m training.voice_sentiment --no-save  # choose and measure only

eevp reads customer feedback with the same sentiment head as staff text, but decides its labels with
:func:`eevp.text.sentiment_model.voice_labels`: the lexicon's score weighs more in the negative-or-
positive decision (``lexicon_weight``), and a text is neutral only where the head is at least
``neutral_min`` sure of it. Both are chosen here, before any look at the airline tweets, on the other
customers' texts: Russian bank and telecom tweets, Russian restaurant reviews and Rozetka reviews. For
each of those, a head is trained without it and without the airline tweets and scored on it; the
weight with the best mean balanced accuracy (negative vs positive) is taken, then the neutral threshold
with the best mean three-class balanced accuracy. Last, the guard of the rule on questions and requests
(:func:`eevp.text.sentiment.asking`: such a text is neutral unless the lexicon finds something negative
or the head's P(negative) reaches ``asking_negative_max``): the best mean three-class balanced accuracy
on the same texts, among the guards that keep the airline tweets' held-out figure (eevp's labels,
negative vs positive) within half a thousandth of its value without the rule: there the airline tweets
are a limit, not a goal. The airline tweets are then scored with a head trained without them. Staff
text is not affected (it keeps the head's own labels).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace

import numpy as np
import pandas as pd
from sklearn.metrics import balanced_accuracy_score

from eevp.text.lens_model import HEADS_DIR, load_head, save_head
from eevp.text.sentiment import asking
from eevp.text.sentiment_model import voice_labels
from training.train_models import (CARD, SENTIMENTS, VOICE_SECTION, fit_head, lens_data, sentiment_data,
                                   sentiment_features)

#: Customers' own words other than the airline tweets: (corpus, group or None for the whole corpus).
VOICE_CORPORA = (("ru_bank_telecom_tweets", "banks"), ("ru_bank_telecom_tweets", "telecom"),
                 ("ru_restaurant_reviews", None), ("labelled:rozetka", None))
HELD_OUT = "airline_tweets"
LEXICON_WEIGHTS = (0.0, 1.0, 2.0, 4.0, 8.0, 16.0)
NEUTRAL_MINS = (None, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99)
#: Guards of the rule on questions and requests: neutral unless P(negative) reaches it (0: no rule).
ASKING_NEGATIVE_MAX = (0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0)
#: How far the airline tweets' held-out figure may fall for a guard to be chosen (half its last shown digit).
AIRLINE_TOLERANCE = 0.0005
NEVER = 2.0  # a neutral threshold no probability reaches: the negative-or-positive decision alone


def sentiment_matrix() -> tuple[pd.DataFrame, np.ndarray]:
    """Every real text with a sentiment label and its head features (cached embeddings)."""
    sd = sentiment_data(lens_data())
    return sd, sentiment_features(sd["text"].tolist(), sd["language"].tolist())


def heldout_probabilities(sd: pd.DataFrame, xs: np.ndarray, test: np.ndarray) -> dict:
    """A head trained without ``test`` and without the airline tweets, scored on ``test``."""
    train = ~test & (sd["corpus"] != HELD_OUT).to_numpy()
    head = fit_head(xs[train], sd.loc[train, "label"].tolist(), SENTIMENTS)
    return {"proba": head.predict_proba(xs[test]), "classes": head.classes, "lexicon": xs[test, -1],
            "gold": sd.loc[test, "label"].to_numpy(),
            "asking": asking(sd.loc[test, "text"].tolist(), sd.loc[test, "language"].tolist())}


def voice_folds(sd: pd.DataFrame, xs: np.ndarray) -> list[dict]:
    """Held-out probabilities on each of :data:`VOICE_CORPORA`."""
    folds = []
    for corpus, group in VOICE_CORPORA:
        test = (sd["corpus"] == corpus) & ((sd["group"] == group) if group else True)
        folds.append(heldout_probabilities(sd, xs, test.to_numpy()))
    return folds


def polar_accuracy(gold: np.ndarray, labels: list[str]) -> float:
    """Balanced accuracy over negative and positive texts (a neutral label counts wrong)."""
    gold, labels = np.asarray(gold), np.asarray(labels)
    return float(np.mean([(labels[gold == c] == c).mean() for c in ("negative", "positive")]))


def three_class_accuracy(gold: np.ndarray, labels: list[str]) -> float:
    return float(balanced_accuracy_score(gold, labels))


def _labels(fold: dict, weight: float, neutral_min: float | None, asking_max: float = 0.0) -> list[str]:
    return voice_labels(fold["proba"], fold["classes"], fold["lexicon"], weight, neutral_min,
                        fold.get("asking"), asking_max)


def _polar_labels(fold: dict, weight: float, neutral_min: float | None, asking_max: float) -> float:
    """Balanced accuracy of eevp's three labels on the fold's negative and positive texts."""
    polar = fold["gold"] != "neutral"
    labels = np.asarray(_labels(fold, weight, neutral_min, asking_max))
    return polar_accuracy(fold["gold"][polar], labels[polar])


def choose_setting(folds: list[dict], guard: dict | None = None) -> dict:
    """The lexicon weight (best mean polar accuracy, no neutral), then the neutral threshold (best
    mean three-class balanced accuracy), then the questions' guard (:func:`choose_asking`), on ``folds``."""
    polar = {w: np.mean([polar_accuracy(f["gold"], _labels(f, w, NEVER)) for f in folds]) for w in LEXICON_WEIGHTS}
    weight = max(polar, key=polar.get)
    three = {t: np.mean([three_class_accuracy(f["gold"], _labels(f, weight, t)) for f in folds])
             for t in NEUTRAL_MINS}
    neutral_min = max(three, key=lambda t: three[t])
    return {"lexicon_weight": weight, "neutral_min": neutral_min,
            **choose_asking(folds, weight, neutral_min, guard),
            "chosen_on": [f"{c}{':' + g if g else ''}" for c, g in VOICE_CORPORA],
            "mean polar accuracy per weight": {str(k): round(float(v), 3) for k, v in polar.items()},
            "mean three-class accuracy per threshold": {str(k): round(float(v), 3) for k, v in three.items()}}


def choose_asking(folds: list[dict], weight: float, neutral_min: float | None, guard: dict | None) -> dict:
    """The guard of the rule on questions and requests with the best mean three-class balanced accuracy
    on ``folds``, among those that keep ``guard``'s (the airline tweets') figure within
    :data:`AIRLINE_TOLERANCE` of no rule."""
    three = {a: np.mean([three_class_accuracy(f["gold"], _labels(f, weight, neutral_min, a)) for f in folds])
             for a in ASKING_NEGATIVE_MAX}
    limit = {a: _polar_labels(guard, weight, neutral_min, a) for a in ASKING_NEGATIVE_MAX} if guard else {}
    allowed = [a for a in ASKING_NEGATIVE_MAX if not limit or limit[a] >= limit[0.0] - AIRLINE_TOLERANCE]
    return {"asking_negative_max": max(allowed, key=lambda a: three[a]),
            "mean three-class accuracy per questions' guard": _rounded(three),
            "airline held-out figure per questions' guard": _rounded(limit)}


def _rounded(figures: dict) -> dict:
    return {str(k): round(float(v), 4) for k, v in figures.items()}


def airline_figures(fold: dict, setting: dict) -> dict:
    """The airline tweets scored by a head that never saw them: head alone and customer-voice labels."""
    proba, classes, gold = fold["proba"], list(fold["classes"]), fold["gold"]
    head3 = [classes[i] for i in proba.argmax(axis=1)]
    neg, pos = classes.index("negative"), classes.index("positive")
    head2 = np.where(proba[:, pos] > proba[:, neg], "positive", "negative")
    asking_max = setting.get("asking_negative_max", 0.0)
    voice3 = _labels(fold, setting["lexicon_weight"], setting["neutral_min"], asking_max)
    voice2 = _labels(fold, setting["lexicon_weight"], NEVER)
    polar = gold != "neutral"
    return {"n": int(len(gold)), "n_polar": int(polar.sum()),
            "head_decision": polar_accuracy(gold[polar], head2[polar]),
            "voice_decision": polar_accuracy(gold[polar], np.asarray(voice2)[polar]),
            "head_labels": polar_accuracy(gold[polar], np.asarray(head3)[polar]),
            "voice_labels": polar_accuracy(gold[polar], np.asarray(voice3)[polar]),
            "head_three_class": three_class_accuracy(gold, head3),
            "voice_three_class": three_class_accuracy(gold, voice3)}


def run(save: bool = True) -> dict:
    """Choose the setting, measure the airline tweets held out, and (``save``) store both."""
    sd, xs = sentiment_matrix()
    airline = heldout_probabilities(sd, xs, (sd["corpus"] == HELD_OUT).to_numpy())
    setting = choose_setting(voice_folds(sd, xs), guard=airline)
    figures = airline_figures(airline, setting)
    if save:
        store_setting(setting)
        write_card_section(setting, figures)
    return {"setting": setting, "airline_held_out": figures}


def store_setting(setting: dict, folder=HEADS_DIR / "sentiment_model") -> None:
    """Put the setting in the shipped sentiment head's card (the weights are left as they are)."""
    head = load_head("sentiment", folder)
    voice = {k: setting[k] for k in ("lexicon_weight", "neutral_min", "asking_negative_max") if k in setting}
    save_head(replace(head, card=dict(head.card, customer_voice=voice)), "sentiment", folder)


def card_section(setting: dict, figures: dict) -> str:
    """The model card's paragraph on customers' own words."""
    f = {k: f"{v:.3f}" if isinstance(v, float) else v for k, v in figures.items()}
    return f"""**Customers' own words.** Customer feedback is labelled with the lexicon weighing
{setting['lexicon_weight']:g} in the negative-or-positive decision and neutral only where the head is at
least {setting['neutral_min']} sure (`eevp.text.sentiment_model.voice_labels`), both chosen by
`python -m training.voice_sentiment` on {', '.join(setting['chosen_on'])} with heads trained without
each of them and without the airline tweets. A question or a request (`eevp.text.sentiment.asking`) is
neutral too unless the lexicon finds something negative or the head's P(negative) reaches
{setting.get('asking_negative_max', 0.0):g} (0: no such rule), the best guard on the same texts among
those that keep the airline tweets' held-out figure within {AIRLINE_TOLERANCE} of no rule.
US airline tweets, scored by a head trained without them (n={f['n']}, {f['n_polar']} negative or positive):

| decision | negative vs positive (balanced accuracy) | eevp's three labels on those (neutral counts wrong) | three-class balanced accuracy (all) |
|---|---|---|---|
| head alone | {f['head_decision']} | {f['head_labels']} | {f['head_three_class']} |
| customer voice | {f['voice_decision']} | {f['voice_labels']} | {f['voice_three_class']} |

"""


def write_card_section(setting: dict, figures: dict, path=CARD) -> None:
    """Replace (or add before **Limits.**) the customer-voice paragraph of the model card."""
    text, section = path.read_text(encoding="utf-8"), card_section(setting, figures)
    if VOICE_SECTION.search(text):
        text = VOICE_SECTION.sub(lambda _: section, text)
    else:
        text = text.replace("**Limits.**", section + "**Limits.**")
    path.write_text(text, encoding="utf-8")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--no-save", action="store_true", help="choose and measure only")
    out = run(save=not p.parse_args(argv).no_save)
    print(json.dumps(out["setting"], indent=1))
    print(pd.Series(out["airline_held_out"]).round(3).to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
