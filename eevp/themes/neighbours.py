"""Exact nearest neighbours by cosine similarity: the neighbour graph UMAP is fitted on.

Matrix products in blocks of rows, then each row's largest similarities by a compiled kernel
(:func:`eevp.themes.libraries.top_k_kernel`), or by numpy where the kernel cannot be cached.
Rows at the same distance (a comment written several times) are taken by index.
"""

from __future__ import annotations

import numpy as np

from eevp.themes.libraries import top_k_kernel

__all__ = ["exact_knn", "unit_rows"]


def unit_rows(x: np.ndarray) -> np.ndarray:
    """``x`` as float32 rows of length 1 (a row of zeros stays zeros)."""
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return x / norms


def exact_knn(x: np.ndarray, k: int, block: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` nearest rows of every row by cosine distance, exactly (each row first, at 0).

    Computed with matrix products in blocks of rows (memory ``block × n``). Up to the 20,000
    units the themes are fitted on, this is faster than approximate search and needs no JIT
    compilation (pynndescent's costs tens of seconds on a fresh install). Rows at the same
    distance (copies of one comment) are taken and ordered by their index, so the neighbours do
    not depend on numpy's partition algorithm.

    Returns:
        ``(indices int32 (n, k), distances float32 (n, k))``, nearest first.
    """
    x = unit_rows(x)
    n = len(x)
    k = min(k, n)
    indices = np.empty((n, k), dtype=np.int32)
    distances = np.empty((n, k), dtype=np.float32)
    for start in range(0, n, block):
        sim = x[start:start + block] @ x.T
        rows = np.arange(len(sim))
        sim[rows, start + rows] = 2.0  # a row is its own nearest neighbour, whatever the duplicates
        nearest = _nearest_first(sim, k)
        indices[start:start + block] = nearest
        distances[start:start + block] = np.clip(1.0 - np.take_along_axis(sim, nearest, axis=1), 0.0, 2.0)
    return indices, distances


def _nearest_first(sim: np.ndarray, k: int) -> np.ndarray:
    """The columns of each row's ``k`` largest similarities, largest first, ties by index."""
    kernel = top_k_kernel() if k < sim.shape[1] else None
    if kernel is not None:
        return kernel(sim, k)
    part = _k_largest(sim, k)
    order = np.lexsort((part, -np.take_along_axis(sim, part, axis=1)), axis=1)
    return np.take_along_axis(part, order, axis=1)


def _k_largest(sim: np.ndarray, k: int) -> np.ndarray:
    """The columns of the ``k`` largest values of each row of ``sim`` (in no order); where several
    columns tie with the k-th value, those of the lowest index.

    The demo's customers write one comment several times: half its statements are copies, and
    which copies a row's last neighbours were changed with the partition call (the k smallest of
    ``-sim`` or the k largest of ``sim``), and with them the demo's themes.
    """
    n = sim.shape[1]
    if k >= n:
        return np.tile(np.arange(n), (len(sim), 1))
    part = np.argpartition(sim, n - k, axis=1)[:, n - k:]  # 2.5 times faster than the k smallest of -sim
    kth = np.take_along_axis(sim, part, axis=1).min(axis=1)
    for row in np.flatnonzero((sim >= kth[:, None]).sum(axis=1) > k):
        above = np.flatnonzero(sim[row] > kth[row])
        part[row] = np.concatenate([above, np.flatnonzero(sim[row] == kth[row])[:k - len(above)]])
    return part
