"""Primary and complementary suppression of one line of siblings and of a two-way table of counts.

(The rules of :mod:`eevp.analytics.anonymity`, which re-exports :func:`check_threshold` and
:func:`suppress_matrix`.) A line is a set of siblings whose total a reader may know (a table's rows, a row or a column of a two-way table):
its small cells are hidden, and more siblings until a subtraction never gives one small group. A two-way table
also hides a cell that closes a cycle through a small hidden cell its margins would pin
(:mod:`eevp.analytics.cellgraph`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from eevp.analytics.cellgraph import bridge_sides
from eevp.errors import InputError
from eevp.hashing import remembered
from eevp.settings import MIN_ALLOWED_THRESHOLD

__all__ = ["check_threshold", "complement_line", "hidden_cells", "primary", "suppress_matrix"]


def check_threshold(value) -> int:
    """Return a usable anonymity threshold: a whole number, never below the allowed minimum.

    Fractions round up (``n < 4.5`` and ``n < 5`` hide the same whole-number groups).

    Args:
        value: the configured threshold (int, float or numeric string).

    Returns:
        ``max(MIN_ALLOWED_THRESHOLD, ceil(value))``.

    Raises:
        InputError: the value is not a number.
    """
    if isinstance(value, bool):
        raise InputError("The anonymity threshold must be a whole number such as 5, not True/False.")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(
            f"The anonymity threshold must be a whole number such as 5, got {value!r}."
        ) from None
    if math.isnan(number) or math.isinf(number):
        raise InputError(f"The anonymity threshold must be a whole number such as 5, got {value!r}.")
    return max(MIN_ALLOWED_THRESHOLD, math.ceil(number))


def primary(n: np.ndarray, threshold: int) -> np.ndarray:
    """Cells to hide on their own: unknown size, or 1..threshold-1 people."""
    return np.isnan(n) | ((n > 0) & (n < threshold))


def complement_line(
    n: np.ndarray, mask: np.ndarray, threshold: int, usable_zero: np.ndarray | None = None, pooled: bool = True
) -> np.ndarray:
    """Hide more siblings until the hidden set has ≥ 2 members and ≥ threshold people.

    Siblings are taken smallest first (ties in their original order); empty siblings are used
    only after every non-empty one, since they add no people. If the line runs out of
    siblings, everything it has is hidden, which is the best that can be done. ``usable_zero``
    marks the empty siblings worth hiding (in a matrix, an empty cell whose other line total is
    0 is known to be 0, so hiding it protects little; such cells come last). With ``pooled`` False
    the hidden set needs only two members (the fewest cells that stop a subtraction giving one
    group), not ``threshold`` people together: for lines whose hidden cells are not groups of
    people in their own right (the journey stages of one theme).
    """
    mask = mask.copy()
    if not mask.any():
        return mask
    mass = np.nan_to_num(n, nan=0.0)
    order = np.lexsort((np.arange(len(n)), mass))  # smallest first, ties in order
    hidden, people = int(mask.sum()), float(mass[mask].sum())  # kept up to date: a line may have 1,000 cells
    for i in order:
        if mass[i] > 0 and not (hidden >= 2 and (not pooled or people >= threshold)) and not mask[i]:
            mask[i] = True
            hidden, people = hidden + 1, people + mass[i]
    # Every non-empty sibling is hidden: an empty one is the only partner left. Prefer one that
    # is not known to be empty; hide a known-empty one only so that no line shows a lone hidden cell.
    rank = [i for i in order if usable_zero is None or usable_zero[i]]
    ranked = set(rank)
    for i in rank + [i for i in order if i not in ranked]:
        if mask.sum() >= 2:
            break
        mask[i] = True
    return mask


def suppress_matrix(counts: pd.DataFrame, threshold, hide=None) -> pd.DataFrame:
    """Primary and complementary suppression for a two-way table of counts.

    Every row and every column is treated as a set of siblings whose total (the margin) a reader
    may know. Cells with ``0 < n < threshold`` (or a missing count) are hidden; then, row by row
    and column by column, the rule of :func:`suppress` is applied (hide the smallest non-empty
    siblings until the hidden cells of the line are at least two and hold at least ``threshold``
    people), repeating over rows and columns until nothing changes. Hiding only ever grows, so
    this stops. At the end no row or column with two or more cells has exactly one hidden cell,
    and the hidden cells of each line hold ``threshold`` people or more unless every non-empty
    cell of the line is hidden.

    Lines alone are not enough: a hidden cell that joins two otherwise separate groups of hidden
    cells (a "bridge") can still be computed from the margins, and hidden empty cells can pin a
    value (it cannot go below 0). So every small hidden cell must lie on a cycle of *non-empty*
    hidden cells (row → column → row …); one that does not gets one more hidden cell closing such
    a cycle (the smallest non-empty cell that can), and the line rule runs again. Then no small
    cell is exactly determined by the row, column and grand totals. Limits: the rare small cell
    for which every cell that could close a cycle is empty stays on the line rule alone; and
    this is not a minimum width of the interval an attacker can bound a cell to (no
    linear-programming audit such as statistical offices' tau-argus runs). Empty cells whose row
    or column totals 0 are hidden only as a last resort: the margin already says they are empty.

    Args:
        counts: people per cell; index = row categories, columns = column categories.
        threshold: anonymity threshold (clamped to at least ``MIN_ALLOWED_THRESHOLD``).
        hide: optional booleans of the same shape: cells to hide whatever their count (treated
            as primary suppressions).

    Returns:
        A boolean DataFrame with the same index and columns: True where the cell is hidden.
    """
    threshold = check_threshold(threshold)
    numeric = all(pd.api.types.is_numeric_dtype(t) for t in counts.dtypes)
    n = (counts if numeric else counts.apply(pd.to_numeric, errors="coerce")).to_numpy(dtype=float)
    first = primary(n, threshold)
    if hide is not None:
        first |= np.asarray(hide, dtype=bool)
    mask = remembered(("matrix", threshold, n, first), lambda: _matrix_mask(n, first, threshold))
    return pd.DataFrame(mask.copy(), index=counts.index, columns=counts.columns)


def _matrix_mask(n: np.ndarray, primary: np.ndarray, threshold: int) -> np.ndarray:
    mask = primary.copy()
    while True:
        mask = _stable_lines(n, mask, threshold)
        extra = _break_bridge(n, mask, primary)
        if extra is None:
            return mask
        mask[extra] = True


def _stable_lines(n: np.ndarray, mask: np.ndarray, threshold: int) -> np.ndarray:
    """Apply the line rule to every row and column until nothing changes."""
    mask = mask.copy()
    mass = np.nan_to_num(n, nan=0.0)
    # an empty cell in a line that totals 0 is known to be empty: never worth hiding
    usable = (mass.sum(axis=1, keepdims=True) > 0) & (mass.sum(axis=0, keepdims=True) > 0)
    changed = mask.any()
    while changed:
        before = mask.copy()
        for i in range(n.shape[0]):
            mask[i, :] = complement_line(n[i, :], mask[i, :], threshold, usable[i, :])
        for j in range(n.shape[1]):
            mask[:, j] = complement_line(n[:, j], mask[:, j], threshold, usable[:, j])
        changed = not np.array_equal(before, mask)
    return mask


def _break_bridge(n: np.ndarray, mask: np.ndarray, primary: np.ndarray) -> tuple[int, int] | None:
    """One more cell to hide when a small hidden cell could be worked out from the margins.

    Non-empty hidden cells are edges between their row and column. A small hidden cell on a
    cycle of such edges can move up or down (+t, −t, … round the cycle) without changing any
    margin or making a cell negative, so the margins do not pin it. A cell on no such cycle
    (a bridge) may be pinned: a bridge of the whole hidden graph equals a sum of margins minus
    visible cells, and a hidden empty cell only lets a value move one way. For the first small
    bridge, return the smallest visible non-empty cell joining its two sides, which closes a
    cycle through it; None when there is no such bridge or no such cell.
    """
    mass = np.nan_to_num(n, nan=0.0)
    carrier = mask & ((mass > 0) | np.isnan(n))
    graph = bridge_sides(carrier)
    rows, cols = np.nonzero(~mask & (mass > 0))  # the cells that could close a cycle, row by row
    for bridge in sorted(c for c in graph.child if primary[c]):
        ok = graph.separates(bridge, rows, cols)
        if ok.any():
            r, c = rows[ok], cols[ok]
            best = np.lexsort((c, r, mass[r, c]))[0]  # the smallest; then the first row, the first column
            return int(r[best]), int(c[best])
    return None


def hidden_cells(mask: pd.DataFrame, rows, columns) -> np.ndarray:
    """``mask`` (a :func:`suppress_matrix` result) read at each (row, column) pair, all at once (cell by
    cell took seconds with a thousand groups); a pair not in the mask counts as hidden."""
    stacked = mask.astype(bool).stack()
    pairs = pd.MultiIndex.from_arrays([np.asarray(rows, dtype=object), np.asarray(columns, dtype=object)])
    return stacked.reindex(pairs).fillna(True).to_numpy(bool)
