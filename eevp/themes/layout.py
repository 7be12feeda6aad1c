"""The reduced coordinates themes are clustered in: UMAP on exact neighbours, kept on disk by their inputs.

:class:`KnnUMAP` is BERTopic's reducer step (PCA → exact neighbours → UMAP). Its output (the
layout) is a function of the embeddings it is given (their values and order), its settings and
seed, and the library versions; nothing else. :class:`LayoutCache` keeps layouts in a folder by a
digest of exactly those, so a refit on the same units with other theme settings (cluster size,
merge similarity, labels) reuses the layout bit for bit instead of recomputing it: UMAP's epochs
were most of a refit with every vector cached. A changed unit set, order, embedder or UMAP
setting gives another digest and a new layout.
"""

from __future__ import annotations

import contextlib
import functools
import os
import uuid
import warnings
from importlib import metadata
from pathlib import Path

import numpy as np
from sklearn.decomposition import PCA

from eevp.hashing import parts_digest
from eevp.themes.libraries import cache_umap_kernels
from eevp.themes.neighbours import exact_knn

__all__ = ["KnnUMAP", "LayoutCache"]

#: Raised when the way a layout is computed changes (a new step, another neighbour search): old
#: files then no longer match any digest.
LAYOUT_FORMAT = 1
#: Layouts kept per folder (the most recently used): a main fit and its candidate fits for the
#: last few unit sets. A layout of 10,000 units is 200 kB.
LAYOUTS_KEPT = 8
#: The libraries whose code computes a layout: another version may give other coordinates.
_LIBRARIES = ("umap-learn", "numba", "scikit-learn", "numpy")


@functools.cache
def _library_versions() -> tuple[str, ...]:
    out = []
    for name in _LIBRARIES:
        try:
            out.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}=?")
    return tuple(out)


class LayoutCache:
    """Layouts in ``folder``, one ``.npy`` file per digest of their inputs.

    Args:
        folder: where the layouts are kept (created on the first layout stored).
        kept: the most layouts kept; the least recently used are removed beyond that.

    Attributes:
        hits, misses: layouts found and not found since this object was made.
    """

    def __init__(self, folder, kept: int = LAYOUTS_KEPT):
        self.folder = Path(folder)
        self.kept = kept
        self.hits = 0
        self.misses = 0

    def key(self, x: np.ndarray, settings: dict) -> str:
        """The digest of the input rows ``x`` (values, order, shape), ``settings`` and the library versions."""
        return parts_digest((LAYOUT_FORMAT, _library_versions(), sorted(settings.items()), x)).hex()

    def get(self, key: str, shape: tuple[int, int]) -> np.ndarray | None:
        """The layout stored under ``key`` when it has ``shape``; None otherwise (a miss)."""
        path = self.folder / f"{key}.npy"
        try:
            layout = np.load(path, allow_pickle=False)
        except (OSError, ValueError, EOFError):  # absent, or a file cut short: compute it again
            layout = None
        if layout is None or layout.shape != tuple(shape) or layout.dtype != np.float32:
            self.misses += 1
            return None
        with contextlib.suppress(OSError):  # most recently used: pruned last (a read-only folder still reads)
            os.utime(path)
        self.hits += 1
        return layout

    def put(self, key: str, layout: np.ndarray) -> None:
        """Store ``layout`` under ``key`` (written whole, then renamed: a reader never sees half a file)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{key}.{uuid.uuid4().hex}.tmp"
        with open(tmp, "wb") as fh:
            np.save(fh, np.ascontiguousarray(layout, dtype=np.float32), allow_pickle=False)
        os.replace(tmp, self.folder / f"{key}.npy")
        self._prune()

    def _prune(self) -> None:
        stamps = {}
        for path in self.folder.glob("*.npy"):
            with contextlib.suppress(OSError):  # removed meanwhile by another process's prune
                stamps[path] = path.stat().st_mtime
        for path in sorted(stamps, key=stamps.get, reverse=True)[self.kept:]:
            path.unlink(missing_ok=True)


class KnnUMAP:
    """UMAP on exact cosine nearest neighbours (optionally after PCA): BERTopic's reducer step.

    The same embedding as ``UMAP(metric="cosine")`` on the same (PCA-reduced) vectors, but the
    neighbour graph is computed exactly with numpy (:func:`exact_knn`) instead of by
    pynndescent, whose JIT compilation dominated a first run. ``transform`` of new data is not
    supported: new units join themes by centroid (``eevp.themes.model.assign_new``).

    Args:
        n_neighbors, n_components, min_dist, n_epochs, random_state: passed to UMAP.
        pca_dims: PCA to this many dimensions first (0 = none).
        layouts: a :class:`LayoutCache`: a layout of the same inputs is read from it, a new one stored.
    """

    def __init__(self, n_neighbors: int = 15, n_components: int = 5, min_dist: float = 0.0,
                 n_epochs: int | None = None, pca_dims: int = 0, random_state: int | None = 42,
                 layouts: LayoutCache | None = None):
        self.n_neighbors = n_neighbors
        self.n_components = n_components
        self.min_dist = min_dist
        self.n_epochs = n_epochs
        self.pca_dims = pca_dims
        self.random_state = random_state
        self.layouts = layouts

    def settings(self) -> dict:
        """What the layout depends on besides the input rows."""
        return {"n_neighbors": self.n_neighbors, "n_components": self.n_components, "min_dist": self.min_dist,
                "n_epochs": self.n_epochs, "pca_dims": self.pca_dims, "random_state": self.random_state,
                "metric": "cosine", "knn": "exact"}

    def fit(self, X, y=None):
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X, y=None):
        x = np.asarray(X, dtype=np.float32)
        key = self.layouts.key(x, self.settings()) if self.layouts is not None else None
        layout = self.layouts.get(key, (len(x), self.n_components)) if key else None
        if layout is None:
            layout = self._layout(x)
            if key:
                self.layouts.put(key, layout)
        self.embedding_ = layout
        return layout

    def _layout(self, x: np.ndarray) -> np.ndarray:
        from umap import UMAP

        cache_umap_kernels()
        if self.pca_dims and x.shape[1] > self.pca_dims and len(x) > self.pca_dims:
            # All BLAS threads, as the embedder left them: limiting them to one for the PCA made UMAP's
            # layout differ from one run to the next on the demo (the same inputs), so the
            # planted customer themes came out differently each time.
            pca = PCA(n_components=self.pca_dims, random_state=self.random_state)
            x = pca.fit_transform(x).astype(np.float32)
        k = min(self.n_neighbors, len(x) - 1)
        knn = exact_knn(x, k)
        self.umap_ = UMAP(n_neighbors=k, n_components=self.n_components, min_dist=self.min_dist,
                          metric="cosine", n_epochs=self.n_epochs, random_state=self.random_state,
                          precomputed_knn=(knn[0], knn[1], None), n_jobs=1)
        with warnings.catch_warnings():  # "n_jobs overridden by random_state": reproducibility wins
            warnings.simplefilter("ignore", UserWarning)
            return np.asarray(self.umap_.fit_transform(x), dtype=np.float32)

    def transform(self, X):
        raise NotImplementedError("KnnUMAP embeds its training units only; assign new units with assign_new().")
