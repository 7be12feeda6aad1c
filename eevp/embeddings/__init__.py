"""Old name of the embedding backends, kept for scripts: the code lives in :mod:`eevp.themes.embeddings`.

A package rather than ``embeddings.py`` so that git sees the module's move as a rename.
"""

from eevp.themes.embeddings import (  # noqa: F401
    Embedder,
    SentenceTransformerEmbedder,
    UseEmbedder,
    default_embedder,
    embed_cached,
    get_embedder,
    minilm_embedder,
)

__all__ = ["Embedder", "SentenceTransformerEmbedder", "UseEmbedder", "default_embedder", "embed_cached",
           "get_embedder", "minilm_embedder"]
