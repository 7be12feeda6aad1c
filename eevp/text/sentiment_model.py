"""Sentiment of statements from the learned head (embedding + lexicon score), the lexicon as fallback.

The head (``eevp/resources/sentiment_model/sentiment.*``) was trained by
``training/train_models.py`` on real labelled text: Glassdoor pros and cons, US airline tweets,
Russian bank and telecom tweets, Russian restaurant reviews and eevp's labelled real statements.
Its figures on held-out sources are in the model card beside the weights and in the README.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from eevp.errors import InputError
from eevp.text.language import detect_languages
from eevp.text.lens_model import shipped_head
from eevp.text.sentiment import classify_sentiment, sentiment_scores

__all__ = ["predict_sentiment"]


def predict_sentiment(texts: Sequence[str], languages: Sequence[str] | None = None,
                      embeddings: np.ndarray | None = None,
                      embed: Callable[[list[str]], np.ndarray] | None = None,
                      lexicon_scores: np.ndarray | None = None) -> list[str]:
    """``negative`` / ``neutral`` / ``positive`` per text.

    Args:
        texts: statements or comments.
        languages: their languages, detected when ``None``.
        embeddings: the texts' vectors from the heads' embedder (the default multilingual USE,
            :func:`eevp.themes.embeddings.heads_embedder`).
        embed: ``f(texts) -> vectors`` of that embedder, used when ``embeddings`` is ``None``.
        lexicon_scores: the texts' :func:`eevp.text.sentiment.sentiment_scores`, when the caller has them.
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
    out = head.predict(x)
    return ["neutral" if not t.strip() else s for t, s in zip(texts, out)]
