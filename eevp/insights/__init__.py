"""Old name of the customer-lens tagger, kept for scripts: the code lives in :mod:`eevp.text.lens`.

A package rather than ``insights.py`` so that git sees the tagger's move as a rename.
"""

from eevp.text.lens import (  # noqa: F401
    COLUMNS,
    SENTIMENTS,
    STAGES,
    TAGGER_VERSION,
    __all__,  # noqa: F401
    apply_corrections,
    evaluate,
    lexicon_sentiment,
    review_precision,
    review_sample,
    tag_statements,
)
