"""Sentiment of statements from the learned head (embedding + lexicon score), the lexicon as fallback.

The head (``eevp/resources/sentiment_model/sentiment.*``) was trained by
``training/train_models.py`` on real labelled text: Glassdoor pros and cons, US airline tweets,
Russian bank and telecom tweets, Russian restaurant reviews and eevp's labelled real statements.
Its figures on held-out sources are in the model card beside the weights and in the README.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

from ..embeddings import default_embedder
from ..language import detect_languages
from ..sentiment import classify_sentiment, sentiment_scores
from .lens_model import shipped_head

__all__ = ["embed_for_heads", "heads_embedder", "predict_sentiment"]


@cache
def heads_embedder():
    """The embedder the heads were trained on (the default multilingual USE), one per process."""
    return default_embedder()


def embed_for_heads(texts: Sequence[str]) -> np.ndarray:
    """Vectors of texts from :func:`heads_embedder`."""
    return heads_embedder().encode(list(texts))


def predict_sentiment(texts: Sequence[str], languages: Sequence[str] | None = None,
                      embeddings: np.ndarray | None = None) -> list[str]:
    """``negative`` / ``neutral`` / ``positive`` per text.

    Args:
        texts: statements or comments.
        languages: their languages, detected when ``None``.
        embeddings: the texts' vectors from :func:`embed_for_heads`'s embedder (the default
            multilingual USE); computed when ``None``.
    """
    texts = [t if isinstance(t, str) else "" for t in texts]
    langs = list(languages) if languages is not None else detect_languages(texts)
    head = shipped_head("sentiment_model/sentiment")
    if head is None or not texts:
        return classify_sentiment(texts, langs)
    emb = embed_for_heads(texts) if embeddings is None else np.asarray(embeddings)
    x = np.hstack([emb, sentiment_scores(texts, langs)[:, None]])
    out = head.predict(x)
    return ["neutral" if not t.strip() else s for t, s in zip(texts, out)]
