"""Old name of the lexicon sentiment scorer, kept for scripts: the code lives in :mod:`eevp.text.sentiment`.

A package rather than ``sentiment.py`` so that git sees the module's move as a rename.
"""

from eevp.text.sentiment import classify_sentiment, label_for, sentiment_scores  # noqa: F401

__all__ = ["classify_sentiment", "label_for", "sentiment_scores"]
