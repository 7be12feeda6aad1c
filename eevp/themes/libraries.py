"""UMAP and BERTopic loaded fast: what a fresh ``analyze`` process spent seconds on before fitting anything.

A refit of 10,000 comments with every vector cached spent most of its time compiling UMAP's kernels
and importing transformers libraries through BERTopic; these helpers avoid both without changing
a result.
"""

from __future__ import annotations

import functools
import sys

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
#: transformers pipelines): eevp always passes embeddings and never uses them.
_UNUSED_BERTOPIC_MODULES = ("bertopic.backend._multimodal", "bertopic.representation._textgeneration",
                            "bertopic.representation._zeroshot", "bertopic.representation._visual")


def import_bertopic():
    """The ``BERTopic`` class, imported without its model backends when BERTopic is not loaded yet.

    BERTopic imports them at import time (sentence-transformers and transformers: 5-14 s of a refit
    with every vector cached, which loads no embedding model) and keeps a placeholder for one that
    fails to import; blocking these four of its own modules for the import makes them fail."""
    if "bertopic" not in sys.modules:
        blocked = [m for m in _UNUSED_BERTOPIC_MODULES if m not in sys.modules]
        sys.modules.update(dict.fromkeys(blocked))
        try:
            import bertopic  # noqa: F401
        finally:
            for m in blocked:
                if sys.modules.get(m, 0) is None:
                    del sys.modules[m]
    from bertopic import BERTopic

    return BERTopic
