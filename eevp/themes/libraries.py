"""UMAP and BERTopic loaded fast: what a fresh ``analyze`` process spent seconds on before fitting anything.

A refit of 10,000 comments with every vector cached spent most of its time compiling UMAP's kernels
and importing transformers libraries through BERTopic; these helpers avoid both without changing
a result.
"""

from __future__ import annotations

import functools
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import threading

import numpy as np

__all__ = ["cache_umap_kernels", "import_bertopic", "top_k_kernel"]


@functools.cache
def cache_umap_kernels() -> None:
    """Compile UMAP's graph and layout kernels once per installation, not once per process.

    ``smooth_knn_dist`` and ``compute_membership_strengths`` are jitted by UMAP with
    ``parallel=True`` and no disk cache, the epoch kernel without a cache: compiling them took
    8-20 s of every fresh ``analyze`` (a refit with every vector cached spent a third of its time
    there). The same Python functions are jitted here with the same options and ``cache=True``
    (identical results; the cache lies beside UMAP's sources, or in numba's user cache folder).
    """
    import numba
    from umap import layouts, umap_

    f32 = numba.types.float32
    jit = functools.partial(numba.njit, parallel=True, cache=True)
    try:
        smooth = jit(umap_.smooth_knn_dist.py_func, locals={"psum": f32, "lo": f32, "mid": f32, "hi": f32})
        strengths = jit(umap_.compute_membership_strengths.py_func, locals={
            "knn_dists": f32[:, ::1], "sigmas": f32[::1], "rhos": f32[::1], "val": f32})
        epoch = numba.njit(layouts._optimize_layout_euclidean_single_epoch, fastmath=True, parallel=False,
                           cache=True)
    except RuntimeError:  # no writable cache folder (a read-only install and home): compile every time
        return
    umap_.smooth_knn_dist, umap_.compute_membership_strengths = smooth, strengths
    layouts._nb_optimize_layout_euclidean_single_epoch = epoch


@functools.cache
def top_k_kernel():
    """A compiled ``top_k(sim, k) -> int32 (rows, k)``: the columns of each row's ``k`` largest values,
    largest first, ties by the lowest column; None where no cache folder is writable.

    One pass over each row keeping a short sorted list (about 0.1 s for 10,000 × 10,000 on one core):
    ``np.argpartition`` over the same blocks took 3-4 s, a third of a refit's UMAP step.
    """
    import numba

    try:
        return numba.njit(_top_k, cache=True)
    except RuntimeError:  # no writable cache folder: compiling in every process costs more than it saves
        return None


def _top_k(sim, k):  # compiled by top_k_kernel (numba: plain loops)
    out = np.empty((sim.shape[0], k), dtype=np.int32)
    for row in range(sim.shape[0]):
        vals = np.full(k, -np.inf, dtype=sim.dtype)
        ids = out[row]
        for col in range(sim.shape[1]):
            v = sim[row, col]
            if v > vals[k - 1]:  # an equal value keeps the earlier column
                pos = k - 1
                while pos > 0 and vals[pos - 1] < v:
                    vals[pos], ids[pos] = vals[pos - 1], ids[pos - 1]
                    pos -= 1
                vals[pos], ids[pos] = v, col
    return out


#: BERTopic's backends and representations that load transformers models (sentence-transformers,
#: transformers pipelines): eevp always passes embeddings and never uses them. And torch, which
#: BERTopic imports only to save and load models in its "pytorch" format: eevp saves safetensors.
_UNUSED_BERTOPIC_MODULES = ("bertopic.backend._multimodal", "bertopic.representation._textgeneration",
                            "bertopic.representation._zeroshot", "bertopic.representation._visual", "torch")

#: BERTopic's plotting functions import plotly (1.3-2.3 s of a refit's 7 s); eevp draws its own charts
#: and never calls BERTopic's ``visualize_*``. The module is loaded on the first use of one of its names.
_LAZY_BERTOPIC_MODULES = ("bertopic.plotting",)


def import_bertopic():
    """The ``BERTopic`` class, imported without its model backends (nor torch) when BERTopic is not
    loaded yet.

    BERTopic imports them at import time (sentence-transformers and transformers: 5-14 s of a refit
    with every vector cached, which loads no embedding model; torch alone 1.5-4.5 s) and keeps a
    placeholder for one that fails to import (``_save_utils`` notes that torch is missing). During
    the import, in this thread only, importing them fails; ``sys.modules`` is left alone (scipy reads
    ``sys.modules["torch"]`` to tell torch arrays, and broke on a ``None`` placed there), and a torch
    embedder loaded later (or by another thread) imports torch as usual. Its plotting module (plotly)
    is loaded lazily: on first use (``importlib.util.LazyLoader``)."""
    if "bertopic" not in sys.modules:
        blocker = _ThreadImportBlock(_UNUSED_BERTOPIC_MODULES, lazy=_LAZY_BERTOPIC_MODULES)
        sys.meta_path.insert(0, blocker)
        try:
            import bertopic  # noqa: F401
        finally:
            sys.meta_path.remove(blocker)
    from bertopic import BERTopic

    return BERTopic


class _ThreadImportBlock(importlib.abc.MetaPathFinder):
    """An import finder that fails the import of ``names`` (and their submodules) in the thread that
    made it, and gives the modules in ``lazy`` a loader that runs them on first use; other modules
    and threads go to the next finder."""

    def __init__(self, names, lazy=()):
        self.names, self.lazy, self.thread = tuple(names), tuple(lazy), threading.get_ident()

    def find_spec(self, fullname, path=None, target=None):
        if threading.get_ident() != self.thread:
            return None
        if any(fullname == n or fullname.startswith(n + ".") for n in self.names):
            raise ModuleNotFoundError(f"No module named {fullname!r} (not needed by eevp)", name=fullname)
        if fullname in self.lazy:
            spec = importlib.machinery.PathFinder.find_spec(fullname, path)
            if spec is not None and spec.loader is not None:
                spec.loader = importlib.util.LazyLoader(spec.loader)
            return spec
        return None
