"""Sentiment of statements from the learned head (embedding + lexicon score), the lexicon as fallback.

The head (``eevp/resources/sentiment_model/sentiment.*``) was trained by
``training/train_models.py`` on real labelled text: Glassdoor pros and cons, US airline tweets,
Russian bank and telecom tweets, Russian restaurant reviews and eevp's labelled real statements.
Its figures on held-out sources are in the model card beside the weights and in the README.

Customers' own words (``customer_voice=True``) are read with the card's ``customer_voice`` setting:
the lexicon's score weighs more in the negative-or-positive decision, and a text is neutral only when
the head is at least that sure of it. Both numbers were chosen by the training script on other
customers' texts (Russian tweets and reviews, Rozetka) with heads that never saw the airline tweets.
A question or a request (:func:`eevp.text.sentiment.asking`) with no complaint cue is neutral too: a
customer who asks how to mount a television reports no problem (issue #16).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

import numpy as np

from eevp.errors import InputError
from eevp.hashing import text_hash
from eevp.text.language import detect_languages
from eevp.text.lens_model import shipped_head
from eevp.text.sentiment import asking, asking_version, classify_sentiment, sentiment_scores

__all__ = ["predict_sentiment", "voice_labels", "voice_setting_id"]


def predict_sentiment(texts: Sequence[str], languages: Sequence[str] | None = None,
                      embeddings: np.ndarray | None = None,
                      embed: Callable[[list[str]], np.ndarray] | None = None,
                      lexicon_scores: np.ndarray | None = None, customer_voice: bool = False) -> list[str]:
    """``negative`` / ``neutral`` / ``positive`` per text.

    Args:
        texts: statements or comments.
        languages: their languages, detected when ``None``.
        embeddings: the texts' vectors from the heads' embedder (the default multilingual USE,
            :func:`eevp.themes.embeddings.heads_embedder`).
        embed: ``f(texts) -> vectors`` of that embedder, used when ``embeddings`` is ``None``.
        lexicon_scores: the texts' :func:`eevp.text.sentiment.sentiment_scores`, when the caller has them.
        customer_voice: the texts are customers' own words: decided by :func:`voice_labels` with the
            head card's ``customer_voice`` setting (the head's own argmax when the card has none).
    """
    texts = [t if isinstance(t, str) else "" for t in texts]
    langs = list(languages) if languages is not None else detect_languages(texts)
    head = shipped_head("sentiment_model/sentiment")
    if head is None or not texts:
        return classify_sentiment(texts, langs)
    if embeddings is None and embed is None:
        raise InputError("The sentiment head reads sentence embeddings: pass the texts' vectors or an embed function.")
    emb = np.asarray(embed(texts) if embeddings is None else embeddings)
    scores = sentiment_scores(texts, langs) if lexicon_scores is None else np.asarray(lexicon_scores)
    x = np.hstack([emb, scores[:, None]])
    setting = head.card.get("customer_voice") if customer_voice else None
    asks = asking(texts, langs) if setting and setting.get("asking_negative_max") else None
    out = (voice_labels(head.predict_proba(x), head.classes, scores, asks=asks, **setting) if setting
           else head.predict(x))
    return ["neutral" if not t.strip() else s for t, s in zip(texts, out)]


def voice_setting_id() -> str:
    """A short digest of the shipped head's ``customer_voice`` setting and of the question and request
    words ("none" without a setting): stored with customers' tags, so that a new one re-tags them."""
    head = shipped_head("sentiment_model/sentiment")
    setting = head.card.get("customer_voice") if head is not None else None
    if not setting:
        return "none"
    words = asking_version() if "asking_negative_max" in setting else ""
    return text_hash(json.dumps(setting, sort_keys=True) + words)[:8]


def voice_labels(proba: np.ndarray, classes: Sequence[str], lexicon: np.ndarray, lexicon_weight: float,
                 neutral_min: float | None, asks: np.ndarray | None = None,
                 asking_negative_max: float | None = None) -> list[str]:
    """Labels of customers' own words from the head's probabilities and the lexicon's scores.

    Negative or positive by ``log(P(positive) / P(negative)) + lexicon_weight * lexicon``; neutral
    instead where ``P(neutral) >= neutral_min`` (``None``: where neutral is the head's likeliest class),
    and where a text asks (``asks``: :func:`eevp.text.sentiment.asking`) with no complaint cue: the
    lexicon finds nothing negative and the head's ``P(negative)`` stays below ``asking_negative_max``
    (``None`` or 0, or ``asks`` ``None``: no such rule).
    """
    p = np.clip(np.asarray(proba, dtype=np.float64), 1e-12, None)
    neg, pos, neu = (list(classes).index(k) for k in ("negative", "positive", "neutral"))
    lexicon = np.asarray(lexicon, dtype=np.float64)
    polar = np.log(p[:, pos] / p[:, neg]) + lexicon_weight * lexicon
    neutral = p.argmax(axis=1) == neu if neutral_min is None else p[:, neu] >= neutral_min
    if asks is not None and asking_negative_max:
        calm = (lexicon >= 0) & (p[:, neg] < asking_negative_max)  # no complaint cue
        neutral = neutral | (np.asarray(asks, dtype=bool) & calm)
    return np.where(neutral, "neutral", np.where(polar > 0, "positive", "negative")).tolist()
