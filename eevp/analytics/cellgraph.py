"""The hidden cells of a table as a graph: rows and columns are nodes, each hidden cell an edge. Which
cells are bridges (on no cycle of hidden cells) and which rows and columns each bridge separates; the
anonymity layer uses it to tell whether the margins pin a hidden cell
(:func:`eevp.analytics.anonymity.suppress_matrix`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["BridgeSides", "bridge_sides", "bridges"]


@dataclass(frozen=True)
class BridgeSides:
    """The bridges of a table's hidden cells and the two sides each one separates, from one depth-first
    search. Nodes are rows ``0..R-1`` and columns ``R..R+C-1``.

    Attributes:
        child: each bridge (a cell ``(row, col)``) → the node below it in the search tree; removing the
            bridge leaves that node's subtree on one side and the rest of its component on the other.
        component: per node, its component (the search's root; -1: no hidden cell in that row or column).
        first, last: per node, its place in the search and the last place in its subtree.
        n_rows: rows of the table.
    """

    child: dict[tuple[int, int], int]
    component: np.ndarray
    first: np.ndarray
    last: np.ndarray
    n_rows: int

    def separates(self, bridge: tuple[int, int], rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """For cells (``rows[k]``, ``cols[k]``): whether ``bridge`` has the cell's row on one side and its
        column on the other, so that the cell, once hidden, closes a cycle through the bridge."""
        below = self.child[bridge]
        col_nodes = cols + self.n_rows
        comp = self.component[below]
        same = (self.component[rows] == comp) & (self.component[col_nodes] == comp)
        return same & (self._under(below, rows) != self._under(below, col_nodes))

    def _under(self, node: int, nodes: np.ndarray) -> np.ndarray:
        return (self.first[nodes] >= self.first[node]) & (self.first[nodes] <= self.last[node])


def bridge_sides(mask: np.ndarray) -> BridgeSides:
    """Tarjan's bridge search (iterative) over the hidden cells ``mask``, keeping the search tree."""
    n_rows, n_cols = mask.shape
    nodes = n_rows + n_cols
    adj: list[list[tuple[int, tuple[int, int]]]] = [[] for _ in range(nodes)]
    for i, j in zip(*np.nonzero(mask)):
        cell = (int(i), int(j))
        adj[cell[0]].append((n_rows + cell[1], cell))
        adj[n_rows + cell[1]].append((cell[0], cell))
    first = np.full(nodes, -1)
    last = np.full(nodes, -1)
    low = np.zeros(nodes, dtype=int)
    component = np.full(nodes, -1)
    child: dict[tuple[int, int], int] = {}
    clock = 0
    for root in range(nodes):
        if first[root] >= 0 or not adj[root]:
            continue
        first[root] = low[root] = clock
        component[root] = root
        clock += 1
        stack = [(root, None, iter(adj[root]))]
        while stack:
            node, via, edges = stack[-1]
            step = next(edges, None)
            if step is None:
                stack.pop()
                last[node] = clock - 1
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > first[parent]:
                        child[via] = node
                continue
            nxt, cell = step
            if cell == via:
                continue
            if first[nxt] >= 0:
                low[node] = min(low[node], first[nxt])
            else:
                first[nxt] = low[nxt] = clock
                component[nxt] = root
                clock += 1
                stack.append((nxt, cell, iter(adj[nxt])))
    return BridgeSides(child, component, first, last, n_rows)


def bridges(mask: np.ndarray) -> set[tuple[int, int]]:
    """Hidden cells on no cycle of hidden cells (nodes: rows ``0..R-1``, columns ``R..R+C-1``)."""
    return set(bridge_sides(mask).child)
