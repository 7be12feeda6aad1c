"""The hidden cells of a table as a graph: rows and columns are nodes, each hidden cell an edge. Which
cells are bridges (on no cycle of hidden cells) and what a node reaches; the anonymity layer uses it to
tell whether the margins pin a hidden cell (:func:`eevp.analytics.anonymity.suppress_matrix`)."""

from __future__ import annotations

import numpy as np

__all__ = ["bridges", "reach"]


def reach(mask: np.ndarray, start: tuple[str, int], skip: tuple[int, int]) -> set:
    """Rows and columns linked to ``start`` through hidden cells, not using the cell ``skip``."""
    seen, todo = {start}, [start]
    while todo:
        kind, k = todo.pop()
        cells = (
            [(k, j) for j in np.flatnonzero(mask[k, :])]
            if kind == "r"
            else [(i, k) for i in np.flatnonzero(mask[:, k])]
        )
        for i, j in cells:
            if (i, j) == skip:
                continue
            node = ("c", j) if kind == "r" else ("r", i)
            if node not in seen:
                seen.add(node)
                todo.append(node)
    return seen


def bridges(mask: np.ndarray) -> set[tuple[int, int]]:
    """Hidden cells on no cycle of hidden cells (Tarjan's bridge search, iterative).

    Nodes are rows ``0..R-1`` and columns ``R..R+C-1``; each hidden cell is an edge.
    """
    n_rows = mask.shape[0]
    adj: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for i, j in zip(*np.nonzero(mask)):
        cell = (int(i), int(j))
        adj.setdefault(cell[0], []).append((n_rows + cell[1], cell))
        adj.setdefault(n_rows + cell[1], []).append((cell[0], cell))
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    found: set[tuple[int, int]] = set()
    for root, root_edges in adj.items():
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack = [(root, None, iter(root_edges))]
        while stack:
            node, via, edges = stack[-1]
            step = next(edges, None)
            if step is None:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        found.add(via)
                continue
            nxt, cell = step
            if cell == via:
                continue
            if nxt in order:
                low[node] = min(low[node], order[nxt])
            else:
                order[nxt] = low[nxt] = len(order)
                stack.append((nxt, cell, iter(adj[nxt])))
    return found
