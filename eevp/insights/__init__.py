"""The customer lens, public: tag statements with the learned heads and the default embedder.

The code lives in :mod:`eevp.text.lens` (the tagger) and :mod:`eevp.text.lens_model` (the heads);
this module keeps the old name for scripts and fills in the embedder the heads were trained on, so
that ``tag_statements(texts)`` works alone. Inside eevp, callers pass cached vectors instead.
"""

from collections.abc import Sequence

import numpy as np
import pandas as pd

from eevp.text import lens
from eevp.text.lens import (  # noqa: F401
    ABOUT_CLASSES,
    CLASSES,
    COLUMNS,
    RULE_FEATURES,
    SENTIMENTS,
    STAGES,
    TAGGER_VERSION,
    apply_corrections,
    customer_cue,
    lexicon_sentiment,
    review_precision,
    review_sample,
    rule_features,
    rule_tags,
    tagger_version,
)
from eevp.themes.embeddings import heads_embedder

__all__ = ["ABOUT_CLASSES", "CLASSES", "COLUMNS", "RULE_FEATURES", "SENTIMENTS", "STAGES", "TAGGER_VERSION",
           "apply_corrections", "customer_cue", "evaluate", "lexicon_sentiment", "review_precision", "review_sample", "rule_features",
           "rule_tags", "tag_statements", "tagger_version"]


def _embed(texts: list[str]) -> np.ndarray:
    return heads_embedder().encode(list(texts))


def tag_statements(texts: Sequence[str], languages: Sequence[str] | None = None, sentiment=None,
                   embeddings: np.ndarray | None = None) -> pd.DataFrame:
    """:func:`eevp.text.lens.tag_statements`, embedding the texts with the heads' embedder when no
    vectors are given."""
    return lens.tag_statements(texts, languages, sentiment, embeddings=embeddings, embed=_embed)


def evaluate(path, sentiment=lexicon_sentiment, tagger=None) -> dict:
    """:func:`eevp.text.lens.evaluate` with the heads' embedder."""
    return lens.evaluate(path, sentiment, tagger, embed=_embed)
