"""The anonymity rule: every aggregate that leaves eevp goes through this module.

Four protections, each a small pure function:

* **Primary suppression** — a group with fewer than ``threshold`` people shows nothing
  (no count, no value).
* **Complementary suppression** — a reader who knows a total (the whole company, a wave, a row
  or column margin) and sees every sibling but one can subtract. So whenever a set of siblings
  has any suppressed member, more siblings are hidden until the hidden set has at least two
  members *and* at least ``threshold`` people together. Then "total minus what is visible"
  only ever describes a group of ``threshold`` or more, never one small group.
* **Differencing across filters** — :func:`safe_total` refuses a filtered view whose complement
  (total − filtered) would be a small group, because comparing the filtered and unfiltered
  numbers would describe that small complement.
* **Tables read together** — :func:`suppress_dimensions` audits the tables by every segment at
  once (a role nested in one department is "department minus its other roles"), and
  :func:`hidden_by_filter` / :func:`filter_allowed` keep filtered views (one wave, one department)
  consistent with the unfiltered tables, so that differences between views never isolate a
  small group.

Counts are of **people**, never of rows, ratings or responses: a frame passed to the functions
below may carry a ``person`` column (:data:`PERSON`: a pseudonymous respondent key, or the source
record), and every count is of distinct values of it (the same three people answering in two
waves are three people, not six). A frame without it has one row per person.

Zero cells (``n == 0``) describe nobody, so they are shown as they are; they are only hidden
as a last resort, to give a lone suppressed cell a partner when no non-empty sibling is left.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from eevp.analytics.equations import Equations, first_leak, stopper
from eevp.analytics.matrix import check_threshold, complement_line, hidden_cells, primary, suppress_matrix
from eevp.hashing import derived
from eevp.hashing import remembered as _remembered

__all__ = [
    "PERSON",
    "SUPPRESSED_LABEL",
    "check_threshold",
    "crossed_cells",
    "filter_allowed",
    "hidden_by_filter",
    "hidden_cells",
    "hidden_in_view",
    "people",
    "safe_total",
    "suppress",
    "suppress_crossed",
    "suppress_dimensions",
    "suppress_matrix",
    "suppressed_label",
]

#: The column that says who a row is about (distinct values are counted as people).
PERSON = "person"

#: Text shown in place of a suppressed value.
SUPPRESSED_LABEL = "fewer than {threshold} responses"


def people(frame: pd.DataFrame, keys) -> pd.Series:
    """Distinct people per group of ``keys`` (rows, when ``frame`` has no :data:`PERSON` column).

    Missing key values form their own group. This is the one count every table's ``n`` comes from.
    """
    keys = [keys] if isinstance(keys, str) else list(keys)
    by = [frame[k] for k in keys]
    if PERSON in frame.columns:
        return frame.groupby(by, dropna=False)[PERSON].nunique()
    return frame.groupby(by, dropna=False).size()


def _people_by_codes(frame: pd.DataFrame, codes: np.ndarray, size: int,
                     persons: np.ndarray | None = None) -> np.ndarray:
    """Distinct people per integer code 0..size-1 (``persons``: :func:`_person_codes` of ``frame``, when
    several counts share them)."""
    if PERSON not in frame.columns:
        return np.bincount(codes, minlength=size).astype(float)
    persons = _person_codes(frame) if persons is None else persons

    def count():
        span = int(persons.max(initial=0)) + 1
        return np.bincount(pd.unique(codes.astype(np.int64) * span + persons) // span, minlength=size).astype(float)
    # codes and people that cannot change (coded from Arrow columns): counted once while they live
    fixed = not codes.flags.writeable and not persons.flags.writeable
    return derived((codes, persons), f"people{size}", count).copy() if fixed else count()


def _person_codes(frame: pd.DataFrame) -> np.ndarray:
    """The :data:`PERSON` column as integers 1.. (rows with no person count as one person together)."""
    return _of_column(frame[PERSON], "persons", lambda: pd.factorize(frame[PERSON])[0].astype(np.int64) + 1)


def _of_column(values: pd.Series, name: str, compute):
    """``compute()`` of ``values``, made once per Arrow array (which cannot change: every copy or selection of a
    frame's column shares it) and read-only then; else made each time."""
    if isinstance(values.array, pd.arrays.ArrowExtensionArray):
        return derived((values.array.__arrow_array__(),), name, compute)
    return compute()


def suppressed_label(threshold) -> str:
    """The text shown instead of a hidden value, e.g. ``"fewer than 5 responses"``."""
    return SUPPRESSED_LABEL.format(threshold=check_threshold(threshold))


def safe_total(n_total: int, n_filtered: int, threshold) -> bool:
    """Whether a filtered view may be shown next to the unfiltered total.

    A view filtered to ``n_filtered`` of ``n_total`` people is safe only if the filtered group
    *and* its complement (``n_total - n_filtered``) each hold either nobody or at least
    ``threshold`` people. Otherwise comparing the filtered figure with the total would reveal
    the answers of the few people left out (or of the few left in).

    Args:
        n_total: people in the unfiltered population.
        n_filtered: people in the filtered view.
        threshold: anonymity threshold (clamped by :func:`check_threshold`).

    Returns:
        True when the filtered view may be shown.

    Raises:
        ValueError: a count is negative or the filtered group is larger than the total.
    """
    threshold = check_threshold(threshold)
    if n_total < 0 or n_filtered < 0 or n_filtered > n_total:
        raise ValueError(f"Need 0 <= n_filtered <= n_total, got n_filtered={n_filtered}, n_total={n_total}.")
    rest = n_total - n_filtered
    return all(part == 0 or part >= threshold for part in (n_filtered, rest))


def _blank(out: pd.DataFrame, cols: list[str], mask: np.ndarray) -> None:
    """Set ``cols`` to missing where ``mask``: NaN for numbers, None for anything else."""
    keep = pd.Series(~mask, index=out.index)
    for col in cols:
        if pd.api.types.is_numeric_dtype(out[col]) and not pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].astype(float).where(keep)
        else:
            out[col] = out[col].astype(object).where(keep, None)


def suppress(
    table: pd.DataFrame,
    *,
    n_col: str = "n",
    threshold,
    group_cols: list[str] | None = None,
    value_cols: list[str] | None = None,
    complementary: bool = True,
    hide=None, pooled: bool = True,
) -> pd.DataFrame:
    """Hide small groups in an aggregate table, and the siblings that would let someone subtract.

    The rule, precisely:

    1. *Primary*: a row whose ``n_col`` is missing or ``0 < n < threshold`` is suppressed.
       A row with ``n == 0`` describes nobody and is left as it is.
    2. *Complementary* (when ``complementary``): rows are partitioned by every column of
       ``group_cols`` except the last (no ``group_cols``, or just one, means one partition: the
       whole table). The rows of a partition are siblings that add up to a total a reader may
       know. In every partition with at least one suppressed row, siblings are added to the
       suppressed set, smallest ``n`` first (ties in table order; ``n == 0`` rows only when no
       other is left), until the suppressed set has **at least two rows and a combined n of at
       least threshold**. "Total minus visible siblings" then describes at least ``threshold``
       people spread over at least two groups. If the partition runs out of rows first, the
       whole partition is suppressed (its total is itself a small group; guard it with
       :func:`safe_total` or by suppressing the total where it is shown).

    This protects one dimension (the last group column); for two-way tables use :func:`suppress_matrix`.

    Args:
        table: one row per group with a count column.
        n_col: the column with the number of people in each row.
        threshold: anonymity threshold (clamped to at least ``MIN_ALLOWED_THRESHOLD``).
        group_cols: the columns that identify a row, outermost first.
        value_cols: columns to hide in suppressed rows; default every column that is not a
            group column, ``n_col`` or ``suppressed``.
        complementary: apply rule 2 (turn it off only for series whose total is never shown).
        hide: optional booleans, one per row: rows to suppress whatever their ``n`` (for example
            groups that :func:`hidden_by_filter` finds unsafe in a filtered view); rule 2 then
            treats them like any suppressed row.
        pooled: False asks rule 2 for two hidden siblings only (see :func:`complement_line`).

    Returns:
        A copy of ``table`` with a boolean ``suppressed`` column; suppressed rows have ``n_col``
        and every value column set to missing (NaN for numbers, None otherwise).

    Raises:
        ValueError: a named column is missing from ``table``.
    """
    threshold = check_threshold(threshold)
    group_cols = list(group_cols or [])
    _require_columns(table, [n_col, *group_cols, *(value_cols or [])])
    out = table.copy()
    mask = _suppression_mask(out, n_col, threshold, group_cols, hide, complementary, pooled)
    if value_cols is None:
        value_cols = [c for c in out.columns if c not in {*group_cols, n_col, "suppressed"}]
    _blank(out, [n_col, *value_cols], mask)
    out["suppressed"] = mask
    return out


def _require_columns(table: pd.DataFrame, columns: list[str]) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"suppress(): column(s) {missing} not in the table (has {list(table.columns)}).")


def _suppression_mask(table: pd.DataFrame, n_col: str, threshold: int, group_cols: list[str], hide,
                      complementary: bool, pooled: bool) -> np.ndarray:
    """Rules 1 and 2 of :func:`suppress`: the rows to hide."""
    n = pd.to_numeric(table[n_col], errors="coerce").to_numpy(dtype=float)
    mask = primary(n, threshold)
    if hide is not None:
        mask |= np.asarray(hide, dtype=bool)
    if complementary and len(table):
        mask = _complement_partitions(table, n, mask, group_cols[:-1], threshold, pooled)
    return mask


def _complement_partitions(
    table: pd.DataFrame, n: np.ndarray, mask: np.ndarray, keys: list[str], threshold: int, pooled: bool = True
) -> np.ndarray:
    """Apply :func:`complement_line` within each partition of ``table`` by ``keys``."""
    mask = mask.copy()
    if not keys:
        return complement_line(n, mask, threshold, pooled=pooled)
    positions = pd.RangeIndex(len(table))
    groups = pd.Series(positions).groupby([table[k].to_numpy() for k in keys], dropna=False).groups
    for idx in groups.values():
        pos = np.asarray(list(idx), dtype=int)
        mask[pos] = complement_line(n[pos], mask[pos], threshold, pooled=pooled)
    return mask


# --------------------------------------------------------------------------- filtered views

_MISSING = "\x00missing"  # stands for a missing value as a group or filter value


def _keyed(values: pd.Series) -> pd.Series:
    """Values usable as dict keys: missing values (None, NaN) become one sentinel."""
    return values.astype(object).where(values.notna(), _MISSING)


def _factorized(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(_keyed(values), sort=True)`` without an object copy of every row (strings: missing first)."""
    return _of_column(values, "factorized", lambda: _factorize(values))


def _factorize(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    if pd.api.types.is_integer_dtype(values.dtype):  # never missing (a cell of two values as one number)
        codes, uniques = pd.factorize(values, sort=True)
        return codes, np.asarray(uniques, dtype=object)
    codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=True)
    if not _text_after_missing(uniques):
        return pd.factorize(_keyed(values), sort=True)
    missing = int((codes < 0).any())
    return codes + missing, np.concatenate([np.array([_MISSING] * missing, dtype=object),
                                            np.asarray(uniques, dtype=object)])


def _text_after_missing(uniques) -> bool:
    """Whether sorted ``uniques`` are all strings that sort after the missing-value sentinel (a string
    column's uniques are checked by their first, not one by one in Python)."""
    dtype = getattr(uniques, "dtype", None)
    if dtype is not None and pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        return len(uniques) == 0 or uniques[0] > _MISSING
    return all(isinstance(u, str) and u > _MISSING for u in uniques)


def _back(value):
    """A keyed value (:func:`_keyed`) as the caller names it: the missing sentinel becomes None."""
    return None if value == _MISSING else value


def _restrictions(frame: pd.DataFrame, selections) -> dict[str, set]:
    """``{column: selected values}`` for the selections that restrict a column of ``frame``."""
    out: dict[str, set] = {}
    for col, values in dict(selections or {}).items():
        values = [values] if isinstance(values, str) else list(values or [])
        if values and col in frame.columns:
            out[col] = {_MISSING if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in values}
    return out


def _others(frame: pd.DataFrame, keyed: dict[str, pd.Series], restrict: dict[str, set], skip: str) -> pd.Series:
    """Rows passing every restriction except the one on ``skip``."""
    mask = pd.Series(True, index=frame.index)
    for col, values in restrict.items():
        if col != skip:
            mask &= keyed[col].isin(values)
    return mask


def _straddles(hidden: set, selected: set) -> bool:
    """A selection shows part, but not all, of a set of hidden cells."""
    inside = hidden & selected
    return bool(inside) and inside != hidden


def filter_allowed(frame: pd.DataFrame, selections, threshold, dims=()) -> bool:
    """Whether a view of ``frame`` filtered by ``selections`` may be shown at all.

    For each filtered column, its values among the rows that pass the *other* filters are siblings
    with a known total (the view without this filter). They are suppressed like the groups of a
    table (:func:`suppress`: small values, plus complements until the hidden values are at least
    two and hold at least ``threshold`` people). A view may select none of those hidden values, or
    all of them, never some: otherwise two views (``department = A`` and ``department = A, role ≠ X``;
    or ``department = A``, ``department = B`` and the whole company) would differ by a small group.
    This also refuses a view of 1..threshold−1 people. With ``dims``, the hidden values of a
    column are those of :func:`suppress_dimensions` over ``dims`` (so a view cannot show the sum
    of a group that the tables hide to protect a group nested elsewhere).

    Args:
        frame: the unfiltered rows (one per person, or with a :data:`PERSON` column).
        selections: ``{column: values}``; an empty selection, or a column not in ``frame``, does
            not filter.
        threshold: anonymity threshold (clamped by :func:`check_threshold`).
        dims: the columns whose one-way tables are shown (see :func:`suppress_dimensions`).

    Returns:
        True when the view may be shown.
    """
    threshold = check_threshold(threshold)
    restrict = _restrictions(frame, selections)
    keyed = {col: _keyed(frame[col]) for col in restrict}
    for col, selected in restrict.items():
        rows = _others(frame, keyed, restrict, col)
        hidden = suppress_dimensions(frame[rows], [*dims, col], threshold)[col]
        if _straddles({_MISSING if v is None else v for v in hidden}, selected):
            return False
    return True


def hidden_by_filter(frame: pd.DataFrame, selections, by: str, threshold, dims=(), inner: str | None = None,
                     published: dict | None = None) -> set:
    """Groups of ``by`` that a view filtered by ``selections`` must hide, so that views agree.

    A group's figure in a filtered view is a sum of cells of the table group × filtered column
    (under the other filters), whose row total is the group's figure in the wider view. That table
    is suppressed with :func:`suppress_matrix`; a group is hidden in the view when the selection
    takes some but not all of the group's hidden cells. So a wave filter cannot recover a small
    wave of a group from "all waves − the other waves", nor a filter on role the few people of
    one role in a group. Groups smaller than the threshold within the view are hidden anyway by
    :func:`suppress`; pass the result as its ``hide``. With ``dims``, the tables ``by × d`` for every
    filterable ``d`` of ``dims`` are audited together first (:func:`suppress_crossed`): the views filtered
    to a department and to a role nested in it would otherwise give the other roles of that department,
    wave by wave.

    The cells of ``by`` × a filtered column are those the one crossed audit holding that table hides
    (:func:`crossed_cells`, with ``inner``, the wave, as the last column): the view filtered to a wave and the
    views by wave filtered to a role or a department publish cells of the same tables and hide the same cells
    (each audited alone, "D2 in wave W1" minus "role r1 in W1" gave the few people of D2's other role in W1),
    and so do the department table filtered to a tenure band and the tenure table filtered to a role.

    Args:
        frame: the unfiltered rows (one per person, or with a :data:`PERSON` column), with ``by``.
        selections: ``{column: values}`` of the view.
        by: the column the view's table is grouped by.
        threshold: anonymity threshold.
        dims: the columns whose tables are published (see above).
        inner: the column whose crossed audit holds every table with it (the wave; see above).
        published: which tables the views publish (:func:`crossed_cells`).

    Returns:
        The ``by`` values to hide (a missing value appears as None).
    """
    threshold = check_threshold(threshold)
    restrict = _restrictions(frame, selections)
    if by not in frame.columns:
        raise ValueError(f"hidden_by_filter(): column {by!r} is not in the frame.")
    keyed = {col: _keyed(frame[col]) for col in {*restrict, by}}
    hidden_groups: set = set()
    for col, selected in restrict.items():
        if col == by:
            continue  # the groups are the filtered values themselves: primary suppression covers it
        rows = _others(frame, keyed, restrict, col)
        cell = frame[rows].assign(_by=keyed[by][rows], _col=keyed[col][rows])
        counts = people(cell, ["_by", "_col"]).unstack(fill_value=0)
        if counts.empty:
            continue
        mask = suppress_matrix(counts, threshold)
        # under another filter too, what the company's table of by × col hides stays hidden: a cell of the view
        # (D1 in L1 in W1) may be all of a cell that table hides (D1 in W1, its people of W1 all in L1)
        frames = [frame[rows], frame] if len(restrict) > 1 and not rows.all() else [frame[rows]]
        extra = _crossed_cells(frames, counts, (col, by), threshold, dims, inner, published)
        if extra is not None:
            mask = suppress_matrix(counts, threshold, hide=mask.to_numpy() | extra)
        m, taken = mask.to_numpy(), np.array([c in selected for c in mask.columns], dtype=bool)
        straddle = (m & taken).any(axis=1) & (m & ~taken).any(axis=1)
        hidden_groups |= {_back(group) for group in mask.index[straddle]}
    return hidden_groups


def _crossed_cells(frames: list, counts: pd.DataFrame, sides: tuple[str, str], threshold: int, dims,
                   inner: str | None, published: dict | None) -> np.ndarray | None:
    """The cells of ``counts`` (``by`` × ``col``; ``sides``: ``(col, by)``) the crossed audits of
    :func:`hidden_by_filter` hide, that of each of ``frames`` (None: none)."""
    col, by = sides
    if not dims:
        return None
    mask = np.zeros(counts.shape, dtype=bool)
    rows = {_back(b): i for i, b in enumerate(counts.index)}  # by position: cell by cell took 60 ms at 1,000 x 20
    cols = {_back(c): j for j, c in enumerate(counts.columns)}
    hidden = {cell for frame in frames for cell in crossed_cells(frame, by, col, dims, threshold, inner, published)}
    for b, c in hidden:
        if b in rows and c in cols:
            mask[rows[b], cols[c]] = True
    return mask


def hidden_in_view(population: pd.DataFrame | None, selections, keys, threshold, shown_hidden=()) -> set:
    """Cells (tuples of ``keys`` values, a missing value as None) that a view filtered by ``selections``
    (a viewer's department scope) hides to agree with the table of every row in ``population``: those
    the unfiltered table hides (``shown_hidden``), and those whose filtered and unfiltered figures differ
    by a small group (:func:`hidden_by_filter`, the cell as the group). Nothing without a filter."""
    if population is None or not selections or population.empty:
        return set()
    keys = list(keys)
    cell = pd.Series(list(zip(*(population[k].astype(object).where(population[k].notna(), None) for k in keys))),
                     index=population.index, dtype=object)
    return set(shown_hidden) | hidden_by_filter(population.assign(_cell=cell), selections, "_cell", threshold)


# --------------------------------------------------------------------------- several one-way tables

def suppress_dimensions(frame: pd.DataFrame, dims, threshold, cell_dims=None, fixed=None,
                        split_of=None, split_cells: bool = False, shown=None) -> dict[str, set]:
    """Groups to hide in the one-way tables of ``frame`` by each of ``dims``, taken together.

    Each table alone follows :func:`suppress` (small groups plus complements). But the tables
    describe the same people: when every role sits in one department, "department Field minus the
    visible roles of Field" is the hidden small role. So the tables are audited together: every
    hidden table row, and every cell of every two-way table dims × dims, is an unknown; the
    visible rows, the grand total and the empty cells are known; each row and column of a two-way
    table sums to its table rows. Solving the equations that have one unknown left, again and
    again (what a person with the CSV exports and a spreadsheet can do), must never give a small
    group, nor a small cell of two values (a role within one wave: filters and the wave tab publish
    those cuts too). When it does, the smallest visible row whose hiding stops it is hidden too, and
    the audit repeats. The result depends on ``dims``, not on which table is asked for, so every
    table computed with the same ``dims`` agrees.

    Limits: this follows chains of single-unknown equations, not every linear combination (a
    linear-programming attack on a sparse three-way structure can still narrow a value down).

    Args:
        frame: one row per person, or rows with a :data:`PERSON` column.
        dims: the columns whose one-way tables may be shown (columns absent from ``frame`` are
            left out).
        threshold: anonymity threshold (clamped by :func:`check_threshold`).
        cell_dims: the dims whose two-way cells are published groups (default: all of ``dims``).
        fixed: ``{dim: values}``: tables that other views publish with these values hidden, as they are
            (the audit hides rows of the other tables only).
        split_of: ``{dim: (base, span)}``: a dim whose values are cells ``base code × span + other code`` of
            ``base`` and another column (:func:`suppress_crossed`): the two-way table of two such dims splits that
            of their bases, and each cell of it adds up to its parts (:class:`Equations`, ``parts``).
        split_cells: the cells of those tables (three-way cells) are published groups too: none of 1..threshold-1
            people may be pinned.
        shown: ``{(a, b): cells}``: two-way tables other views publish with these cells (``(a value, b value)``)
            hidden: their other cells are known from the start.

    Returns:
        ``{dim: values to hide}`` (a missing value as None), and the cells of tables of ``shown`` that alone
        stop a leak, for their views to hide (:func:`_opened`).
    """
    threshold = check_threshold(threshold)
    dims = [d for d in dict.fromkeys(dims) if d in frame.columns]
    split_of = split_of or {}
    codes, labels = {}, {}
    for d in dims:
        codes[d], labels[d] = _factorized(frame[d])
    persons = _person_codes(frame) if PERSON in frame.columns else None
    counts = {d: _people_by_codes(frame, codes[d], len(labels[d]), persons) for d in dims}
    fixed = {d: {_MISSING if v is None else v for v in values} for d, values in (fixed or {}).items() if d in dims}
    hidden = {d: np.array([v in fixed[d] for v in labels[d]], dtype=bool) if d in fixed
              else complement_line(counts[d], primary(counts[d], threshold), threshold) for d in dims}
    targets = set(dims if cell_dims is None else cell_dims)
    tables = {(a, b) for i, a in enumerate(dims) for b in dims[i + 1:] if {a, b} <= targets
              or (split_cells and a in split_of and b in split_of)}
    cells, small = _two_way_cells(frame, dims, codes, labels, threshold, tables, persons)
    known = _splits(cells, labels, split_of), _shown_cells(cells, labels, shown or {})
    parts = ("dimensions", threshold, tuple(dims), *[x for d in dims for x in (counts[d], hidden[d])],
             *cells.values(), small, tuple(fixed), tuple(known[0]), tuple(known[1]), *known[1].values())
    hidden, opened = _remembered(parts, lambda: _audit_dimensions(dims, counts, hidden, cells, small, threshold,
                                                                  fixed, known))
    return {d: {None if v == _MISSING else v for v in labels[d][hidden[d]]} for d in dims} | _opened(opened, labels)


def _opened(opened: list[tuple], labels: dict) -> dict[str, set]:
    """The cells of other audits' tables an audit needs hidden (``(table, row, column)``), by value under
    :data:`SHOWN_HIDDEN` keys (:func:`suppress_dimensions`)."""
    out: dict[str, set] = {}
    for (a, b), i, j in opened:
        out.setdefault(f"{SHOWN_HIDDEN}{a}\x1f{b}", set()).add(tuple(None if v == _MISSING else v
                                                                   for v in (labels[a][i], labels[b][j])))
    return out


def _two_way_cells(frame: pd.DataFrame, dims, codes, labels, threshold: int, tables,
                   persons) -> tuple[dict, np.ndarray]:
    """The non-empty cells of every two-way table dims × dims (``{(a, b): booleans}``), and which of them,
    in the order of their unknowns (:class:`Equations`), hold 1..threshold-1 people in one of ``tables``
    (a published cut: a role within a wave is a filter and a table away)."""
    cells, small = {}, []
    for i, a in enumerate(dims):
        for b in dims[i + 1:]:
            size, nb = len(labels[a]) * len(labels[b]), len(labels[b])
            flat = _cells_of(codes[a], codes[b], nb)
            n = (_people_by_codes(frame, flat, size, persons) if (a, b) in tables
                 else np.bincount(flat, minlength=size).astype(float) * threshold)
            cells[(a, b)] = n.reshape(len(labels[a]), nb) > 0
            small.append((n[n > 0] < threshold))
    return cells, np.concatenate(small) if small else np.zeros(0, dtype=bool)


def _cells_of(a: np.ndarray, b: np.ndarray, nb: int) -> np.ndarray:
    """The cell of each row in the table of two coded columns (``nb`` values of ``b``) as one number; made once
    for codes that cannot change (:func:`_of_column`), so its people are counted once too."""
    if a.flags.writeable or b.flags.writeable:
        return a * nb + b
    return derived((a, b), f"cells{nb}", lambda: a * nb + b)


def _splits(cells: dict, labels: dict, split_of: dict) -> dict:
    """``{(c, d): ((a, b), rows, cols)}``: the tables of two dims of ``split_of`` (:func:`suppress_dimensions`) and
    the table of their bases each splits (:class:`Equations`' ``parts``)."""
    out = {}
    for c, d in cells:
        if c in split_of and d in split_of and (split_of[c][0], split_of[d][0]) in cells:
            (a, span), (b, _) = split_of[c], split_of[d]
            base = [np.asarray(labels[x], dtype=np.int64) // span for x in (c, d)]
            out[(c, d)] = ((a, b), *base)
    return out


def _shown_cells(cells: dict, labels: dict, shown: dict) -> dict:
    """``{(a, b): booleans}``: the non-empty cells of the tables of ``shown`` (:func:`suppress_dimensions`) that
    their views show."""
    out = {}
    for (a, b), hidden in shown.items():
        if (a, b) in cells:
            at = [{v: i for i, v in enumerate(labels[d])} for d in (a, b)]
            mask = cells[(a, b)].copy()
            for u, w in hidden:
                i, j = at[0].get(_MISSING if u is None else u), at[1].get(_MISSING if w is None else w)
                if i is not None and j is not None:
                    mask[i, j] = False
            out[(a, b)] = mask
    return out


def _audit_dimensions(dims, counts, hidden, cells, small, threshold, frozen=(),
                      known=(None, None)) -> dict[str, np.ndarray]:
    """Hide table rows (never those of ``frozen`` tables) until no small hidden row or small two-way cell can
    be solved for (:func:`suppress_dimensions`); ``known``: the tables' parts, and cells other views show."""
    system = Equations(dims, {d: len(counts[d]) for d in dims}, cells, *known)  # the cells stay: built once
    found, why = system.rounds(system.rows_of({d: ~hidden[d] | (counts[d] == 0) for d in dims}), with_why=True)
    opened: list[tuple] = []  # cells other views showed that this audit needs hidden: (table, row, column)
    while True:  # one solving of the rows shown now serves the leak and its stopper
        leak = first_leak(system, counts, hidden, threshold, small, found)
        if leak is None:
            return hidden, opened
        extra = stopper(system, counts, hidden, threshold, leak, frozen, (found, why))
        if extra is None:
            return hidden, opened  # every row that could be hidden is hidden
        if extra[0] is None:
            system.shown[extra[1] - system.n_rows] = False
            opened.append(system.cell_of(extra[1]))
        else:
            hidden[extra[0]][extra[1]] = True
        found, why = extra[2]  # solved again only where the hidden row reaches (Equations.rounds_after)


#: The prefix of :func:`suppress_dimensions`' keys of the cells of other audits' tables it needs hidden too.
SHOWN_HIDDEN = "~"

#: Above this many non-empty cells in all the crossed tables together, :func:`suppress_crossed` audits the
#: one-way tables only; a known limit (SECURITY.md). Solving again only what a hidden row reaches made the
#: audit 1-4 s at 10,000-20,000 cells (2,000 before, when 300 roles x 12 reasons took minutes).
MAX_CROSSED_CELLS = 20000


def suppress_crossed(frame: pd.DataFrame, dims, inner: str, threshold, crossed=None, unshown=(),
                     three_way: bool = False, shown=None) -> dict[str, set]:
    """Cells to hide in the two-way tables ``dim × inner`` (leavers by role and reason, by department
    and reason …), audited together with the one-way tables of every dim and of ``inner``.

    The tables of one population cut by two nested dimensions give each other away inside a column
    too: "department Field, reason Pay" minus "Sales Rep, reason Pay" is the drivers who left for
    pay. So each table's cells are treated as the groups of one more dimension (the pair of values)
    and :func:`suppress_dimensions` audits them all at once with the one-way tables (the margins).

    Args:
        frame: one row per person, or rows with a :data:`PERSON` column.
        dims: the columns whose one-way tables are published (each crossed with ``inner`` in a published table,
            unless ``crossed`` says which are).
        inner: the column of the tables' other side (``reason``).
        threshold: anonymity threshold.
        crossed: the columns of ``dims`` crossed with ``inner`` (None: all); see :func:`crossed_cells`.
        unshown: the columns of ``crossed`` whose tables with ``inner`` no view publishes: their cells are unknowns
            of the audit (a reader may still work them out), never known, and are all returned as hidden.
        three_way: the three-way cells (``a`` × ``b`` × ``inner``) are published groups too (views filtered on
            ``inner`` and another column): none of 1..threshold-1 people may be pinned. Either way a two-way cell
            ``a`` × ``b`` is known to be the sum of its three-way cells (location L1 of wave W2 holding tenure
            band T1 only: "T1 in W2" minus "L1 in W2" is the people of L2 and T1 in W2).
        shown: ``{(a, b): cells}``: the tables of two columns of ``dims`` that other audits hold, with the cells
            they hide (:func:`crossed_cells`): the rest are known.

    Returns:
        ``{dim: {(value, inner value), ...}}`` cells to hide, and ``{dim: values}`` / ``{inner: values}``
        for the one-way tables under the same names prefixed by ``"="`` (``"=role"``).
    """
    order = [d for d in dict.fromkeys([*dims, inner]) if d in frame.columns]  # the one-way tables' audit order
    if inner not in frame.columns or frame.empty:
        return {}
    coding = order, {d: _factorized(frame[d]) for d in order}, _person_codes(frame) if PERSON in frame else None
    return _coded_audit(frame, coding, inner, threshold, (crossed, unshown, three_way, shown))


def _coded_audit(frame: pd.DataFrame, coding: tuple, inner: str, threshold, crossing: tuple) -> dict[str, set]:
    """:func:`suppress_crossed` of ``frame`` coded once (``coding``: the one-way tables' order, their
    :func:`_factorized` codes, the people's codes), for several audits of one population."""
    (order, coded, persons), (crossed, unshown, three_way, shown) = coding, crossing
    dims = [d for d in order if d != inner and (crossed is None or d in set(crossed))]
    # made once per population: the heatmap, the eNPS table and the trend of one filter change share it
    unshown = [d for d in dims if d in set(unshown)]
    shown = dict(shown or {})
    parts = ("crossed", check_threshold(threshold), inner, tuple(order), tuple(dims), tuple(unshown), three_way,
             persons, sorted((k, sorted(map(repr, v))) for k, v in shown.items()),
             *[x for d in coded for x in (coded[d][0], tuple(coded[d][1]))])
    return _remembered(parts, lambda: _crossed_audit(frame, order, (dims, unshown, three_way, shown), inner,
                                                     threshold, coded))


def _crossed_audit(frame: pd.DataFrame, order: list[str], crossing: tuple[list, list], inner: str, threshold,
                   coded: dict) -> dict[str, set]:
    """:func:`suppress_crossed` of ``frame``, whose columns ``coded`` holds as :func:`_factorized` codes, with the
    tables ``dims`` × ``inner`` (``crossing``: ``dims``, the unshown of them, and whether three-way cells are
    groups, and the tables of two of them other audits show). The one-way tables (``order``) hide what their own
    audit hides, as the views that publish them do."""
    dims, unshown, three_way, shown = crossing
    (inner_codes, inner_labels), span = coded[inner], len(coded[inner][1])  # a cell as one number, ordered as
    # its pair of values (tuples of values took most of the time)
    pairs = {f"{d}\x1f{inner}": coded[d][0].astype(np.int64) * span + inner_codes for d in dims}
    one_way = suppress_dimensions(frame, order, threshold)
    if sum(len(np.unique(p)) for p in pairs.values()) > MAX_CROSSED_CELLS:  # the audit grows faster than the
        return {f"={d}": one_way.get(d, set()) for d in order}  # cells: the one-way audit only
    unknown = {p: set(np.unique(pairs[p]).tolist()) for p, d in zip(pairs, dims) if d in unshown}
    hidden = suppress_dimensions(frame.assign(**pairs), [*order, *pairs], threshold, cell_dims=order,
                                 fixed=one_way | unknown, split_of={p: (d, span) for p, d in zip(pairs, dims)},
                                 split_cells=three_way, shown=shown)
    cells = {d: {(_back(coded[d][1][v // span]), _back(inner_labels[v % span])) for v in hidden[f"{d}\x1f{inner}"]}
             for d in dims}
    opened = {k: v for k, v in hidden.items() if k.startswith(SHOWN_HIDDEN)}  # earlier audits' cells, hidden too
    return {f"={d}": hidden.get(d, set()) for d in order} | cells | opened


def crossed_cells(frame: pd.DataFrame, a: str, b: str, dims, threshold, inner: str | None = None,
                  published: dict | None = None) -> set:
    """Cells ``(a value, b value)`` to hide in the two-way table ``a`` × ``b``: those the one crossed audit that
    holds the table hides (:func:`suppress_crossed`).

    Every two-way table of ``dims`` belongs to one audit: that of the later of its two columns in ``dims``
    (``inner``, the wave, counting as the last), with the tables of every earlier column crossed with it. So
    every view publishing cells of ``a`` × ``b`` (filtered on one and grouped by the other, a trend) hides the
    same cells; and since a role comes before its department and both before a location, a tenure band or the
    wave, "department D in location L" and "role r in L" are audited together: D's other roles in L are not
    their difference.

    ``published`` (``{column: columns}``) names, for an audit's column, the earlier columns whose tables with it
    some view publishes (and the table asked for); the audit takes the cells of the others as unknown, never
    shown (the quarter of exits: leavers per quarter by department for a viewer, and by reason; never by role
    or tenure). Without it, every crossed table counts as published.

    The audit of ``inner`` (the column every view may be filtered on: the wave) also protects its three-way cells,
    ``a`` × ``b`` × ``inner`` (``three_way`` of :func:`suppress_crossed`): a view filtered to a wave and a location
    and grouped by tenure shows them.
    """
    rank = [d for d in dict.fromkeys([*dims, a, b]) if d != inner]
    rank += [inner] if inner in {*dims, a, b} else []
    later, other = (a, b) if rank.index(a) > rank.index(b) else (b, a)
    audits = _column_audits(frame, [*dims, a, b], rank, threshold, (inner, published), len(rank) - 1)
    hidden = set(audits[later].get(other, set()))
    for audit in audits.values():  # a later audit that could stop a leak only with a cell of this table
        hidden |= audit.get(f"{SHOWN_HIDDEN}{other}\x1f{later}", set())
        hidden |= {(v, w) for w, v in audit.get(f"{SHOWN_HIDDEN}{later}\x1f{other}", set())}
    return hidden if other == a else {(v, w) for w, v in hidden}


def _column_audits(frame: pd.DataFrame, dims, rank: list, threshold, context: tuple, upto: int) -> dict:
    """The crossed audits (:func:`suppress_crossed`) of the columns of ``rank`` up to ``upto``, earliest first, each
    with the tables of every earlier column and knowing the cells the earlier ones show (``context``: the
    ``inner`` and ``published`` of :func:`crossed_cells`)."""
    inner, published = context
    order = [d for d in dict.fromkeys(dims) if d in frame.columns]
    coding = order, {d: _factorized(frame[d]) for d in order}, _person_codes(frame) if PERSON in frame else None
    audits: dict = {}
    for at, col in enumerate(rank[:upto + 1]):
        crossed = rank[:at]
        unshown = [d for d in crossed if col in (published or {}) and d not in published[col]]
        shown = {(c, d): audits[d].get(c, set()) for j, d in enumerate(crossed) for c in crossed[:j]}
        audits[col] = (_coded_audit(frame, coding, col, threshold, (crossed, unshown, col == inner, shown))
                       if col in order and not frame.empty else {})
    return audits
