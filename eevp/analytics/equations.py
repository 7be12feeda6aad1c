"""The equations a reader of several tables of the same people can solve: which hidden table rows they pin.

(The audit of :func:`eevp.analytics.anonymity.suppress_dimensions`.) The unknowns are the hidden rows of
the one-way tables and the non-empty cells of every two-way table between them; the equations are
"the rows of a table add up to the grand total" and "each row and column of a two-way table adds up to
its table row". Solving every equation that has one unknown left, again and again, is what a person with
the exports and a spreadsheet can do. The system is built once per audit (the cells do not change while
rows are hidden) and solved for many sets of hidden rows; each round handles every equation at once.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Equations", "first_leak", "owners", "stopper"]


class Equations:
    """The tables' equations over the table rows of ``dims`` and the non-empty cells of ``cells``.

    Args:
        dims: the one-way tables, in order.
        sizes: ``{dim: number of rows}``.
        cells: ``{(a, b): boolean matrix}``, True where the two-way table of ``a`` × ``b`` has people.
        parts: ``{(c, d): ((a, b), rows, cols)}``: the table ``c`` × ``d`` splits the table ``a`` × ``b`` (both
            in ``cells``; row ``r`` of ``c`` lies in row ``rows[r]`` of ``a``, column ``k`` of ``d`` in column
            ``cols[k]`` of ``b``): each cell of ``a`` × ``b`` adds up to its parts. (A department × quarter table
            crossed with a reason × quarter table is department × reason split by quarter: a reader who knows that
            department D3's growth leavers all left in one quarter knows them from that quarter.)
        shown: ``{(a, b): boolean matrix}``: cells of tables in ``cells`` that other views show (known from the
            start).
    """

    def __init__(self, dims, sizes: dict, cells: dict, parts: dict | None = None, shown: dict | None = None):
        self.dims = list(dims)
        self.offset, start = {}, 0
        for d in self.dims:
            self.offset[d], start = start, start + int(sizes[d])
        self.n_rows = start
        eqs, vars_, n_eqs, n_vars = [], [], 0, self.n_rows
        self.pairs, owners = list(cells), []  # owners: the two-way table of each cell unknown, in order
        for d in self.dims:  # one equation per table: its rows add up to the grand total
            eqs.append(np.full(int(sizes[d]), n_eqs))
            vars_.append(self.offset[d] + np.arange(int(sizes[d])))
            n_eqs += 1
        self._flat, self._first = {}, {}  # per table: its non-empty cells (flat, in order), its first unknown
        self._width = {table: matrix.shape[1] for table, matrix in cells.items()}
        for (a, b), matrix in cells.items():
            i, j = np.nonzero(matrix)
            self._flat[(a, b)], self._first[(a, b)] = np.flatnonzero(matrix), n_vars
            cell_vars = n_vars + np.arange(len(i))
            n_vars += len(i)
            owners.append(np.full(len(i), len(owners)))
            for dim, line, size in ((a, i, matrix.shape[0]), (b, j, matrix.shape[1])):
                eqs += [n_eqs + line, n_eqs + np.arange(size)]  # a line's cells, and its table row
                vars_ += [cell_vars, self.offset[dim] + np.arange(size)]
                n_eqs += size
        for split, (whole, rows, cols) in (parts or {}).items():
            i, j = np.nonzero(cells[split])
            wholes = self._cell_vars(whole, cells[whole].shape[1], rows[i], cols[j])
            sums, which = np.unique(wholes, return_inverse=True)
            eqs += [n_eqs + which, n_eqs + np.arange(len(sums))]  # a cell of the whole, and its parts
            vars_ += [self._first[split] + np.arange(len(i)), sums]
            n_eqs += len(sums)
        self.eq = np.concatenate(eqs).astype(np.int64) if eqs else np.zeros(0, np.int64)
        self.var = np.concatenate(vars_).astype(np.int64) if vars_ else np.zeros(0, np.int64)
        self.n_eqs, self.n_vars = n_eqs, n_vars
        self.shown = np.zeros(n_vars - self.n_rows, dtype=bool)  # cells known from the start
        for table, matrix in (shown or {}).items():
            i, j = np.nonzero(matrix & cells[table])
            self.shown[self._cell_vars(table, matrix.shape[1], i, j) - self.n_rows] = True
        self.cell_table = np.concatenate(owners).astype(np.int64) if owners else np.zeros(0, np.int64)
        # each equation's unknowns and each unknown's equations, compressed (row pointers into one array)
        by_eq, by_var = np.argsort(self.eq, kind="stable"), np.argsort(self.var, kind="stable")
        self._eq_vars, self._eq_ptr = self.var[by_eq], _pointers(self.eq, n_eqs)
        self._var_eqs, self._var_ptr = self.eq[by_var], _pointers(self.var, n_vars)

    def _cell_vars(self, table, width: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """The unknowns of the non-empty cells (``i``, ``j``) of ``table`` (``width`` columns)."""
        flat = i.astype(np.int64) * width + j
        at = np.searchsorted(self._flat[table], flat)
        if len(flat) and not np.array_equal(self._flat[table][np.minimum(at, len(self._flat[table]) - 1)], flat):
            raise ValueError(f"Equations: a part of an empty cell of {table}.")
        return self._first[table] + at

    def cell_of(self, var: int) -> tuple[tuple, int, int]:
        """The two-way table of cell unknown ``var`` and the cell's row and column in it."""
        table = self.pairs[self.cell_table[var - self.n_rows]]
        i, j = divmod(int(self._flat[table][var - self._first[table]]), self._width[table])
        return table, i, j

    def rows_of(self, known: dict) -> np.ndarray:
        """``{dim: booleans}`` as one row of :meth:`solve`'s input (the dims one after another)."""
        return np.concatenate([np.asarray(known[d], dtype=bool) for d in self.dims]) if self.dims else np.zeros(0, bool)

    def known_rows(self, known: dict) -> dict:
        """Which table rows are known once every equation with one unknown left is solved, repeatedly.

        Args:
            known: ``{dim: booleans}``, the rows known at the start (shown, or empty); the cells start
                unknown.

        Returns:
            ``{dim: booleans}``: the rows known at the end.
        """
        solved = self.solve(self.rows_of(known)[None, :])[0]
        return {d: solved[self.offset[d]:self.offset[d] + len(known[d])].copy() for d in self.dims}

    def proof(self, start: np.ndarray, row: int, found: np.ndarray | None = None,
              cells: bool = False) -> np.ndarray | None:
        """The rows known at first that one way of solving for unknown ``row`` (a table row, or a cell:
        ``n_rows`` and above) uses (None when it is not solved from ``start``, the rows known at first, dims
        one after another).

        Hiding any other row leaves that way open, so ``row`` stays solved: only these rows can stop it.
        ``found``: :meth:`rounds` of ``start`` when the caller has it. With ``cells``: the cells known at first
        (other views show them) that way uses, instead of the rows.
        """
        found = self.rounds(start) if found is None else found
        if found[row] < 0:
            return None
        used, todo, leaves = {row}, [row], []
        while todo:
            v = todo.pop()
            if found[v] == 0:
                leaves.append(v)
                continue
            # an equation that solved it: every other unknown of it was found in an earlier round
            ways = [others for others in (self._of_eq(e)[self._of_eq(e) != v] for e in self._of_var(v))
                    if ((found[others] >= 0) & (found[others] < found[v])).all()]
            for w in min(ways, key=len):
                if int(w) not in used:
                    used.add(int(w))
                    todo.append(int(w))
        return np.array(sorted(x for x in leaves if (x >= self.n_rows) == cells), dtype=np.int64)

    def _of_eq(self, e: int) -> np.ndarray:
        """The unknowns of equation ``e``."""
        return self._eq_vars[self._eq_ptr[e]:self._eq_ptr[e + 1]]

    def _of_var(self, v: int) -> np.ndarray:
        """The equations of unknown ``v``."""
        return self._var_eqs[self._var_ptr[v]:self._var_ptr[v + 1]]

    def rounds_after(self, found: np.ndarray, why: np.ndarray, row: int) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`rounds` (``with_why``) of the same start with table row ``row`` (known at first) hidden too,
        from ``found`` and ``why``, the rounds and reasons of that start: the same rounds, solving again only
        what ``row`` may have helped to find.

        Hiding a row only removes knowledge. An unknown found in round k by an equation whose other unknowns owe
        nothing to ``row`` is found in round k again; so only the unknowns whose reason (the equation that found
        them) holds ``row``, or holds an unknown so found, are solved again (the audit hides one row at a time,
        and each hiding reaches a few of tens of thousands of unknowns).
        """
        affected, broken = np.zeros(self.n_vars, dtype=bool), np.zeros(self.n_eqs, dtype=bool)
        affected[row], front = True, np.array([row], dtype=np.int64)
        while len(front):  # what ``row`` helped to find, round after round
            broken[_gather(self._var_eqs, self._var_ptr, front)[0]] = True
            front = np.flatnonzero((why >= 0) & ~affected & broken[np.maximum(why, 0)])
            affected[front] = True
        new, why = found.copy(), why.copy()
        new[affected], why[affected] = -1, -1
        eqs = np.unique(_gather(self._var_eqs, self._var_ptr, np.flatnonzero(affected))[0])
        var, eq_of = _gather(self._eq_vars, self._eq_ptr, eqs)
        redo = affected[var]
        fixed = np.where(redo, -1, found[var])  # an unknown not solved again is known from its own round on
        last, step = int(fixed.max(initial=0)), 0
        while True:
            step += 1
            open_ = np.where(redo, new[var] < 0, (fixed < 0) | (fixed >= step))
            left = np.bincount(eq_of[open_], minlength=len(eqs))
            solvable = open_ & redo & (left[eq_of] == 1)
            if not solvable.any() and step > last:
                return new, why
            new[var[solvable]], why[var[solvable]] = step, eqs[eq_of[solvable]]

    def rounds(self, start: np.ndarray, with_why: bool = False):
        """For each unknown and row: the round of solving that found it (0: known at first; -1: never); with
        ``with_why``, also the equation that found each (-1: none), for :meth:`rounds_after`."""
        found = np.full(self.n_vars, -1, dtype=np.int64)
        why = np.full(self.n_vars, -1, dtype=np.int64)
        found[:self.n_rows][start] = 0
        found[self.n_rows:][self.shown] = 0
        step = 0
        while True:
            step += 1
            open_ = found[self.var] < 0
            left = np.bincount(self.eq[open_], minlength=self.n_eqs)
            solvable = open_ & (left[self.eq] == 1)
            if not solvable.any():
                return (found, why) if with_why else found
            found[self.var[solvable]], why[self.var[solvable]] = step, self.eq[solvable]

    def solve(self, start: np.ndarray, cells: bool = False) -> np.ndarray:
        """:meth:`known_rows` for many starting points at once (one per row of ``start``, each the table
        rows known at first, dims one after another): the rows known at the end, in the same shape (with
        ``cells``, followed by the two-way cells known at the end, in the order of their unknowns).

        Solving only ever adds knowledge, so solving every solvable equation at once ends where solving
        them one at a time would.
        """
        trials = start.shape[0]
        state = np.zeros((trials, self.n_vars), dtype=bool)
        state[:, :self.n_rows] = start
        state[:, self.n_rows:] = self.shown
        eq = self.eq[None, :] + (np.arange(trials) * self.n_eqs)[:, None]  # each trial its own equations
        while True:
            open_ = ~state[:, self.var]
            left = np.bincount(eq[open_], minlength=trials * self.n_eqs)
            solvable = open_ & (left[eq] == 1)
            if not solvable.any():
                break
            trial, at = np.nonzero(solvable)
            state[trial, self.var[at]] = True
        return state if cells else state[:, :self.n_rows]


def _pointers(keys: np.ndarray, size: int) -> np.ndarray:
    """Where each key's entries start in ``keys`` sorted (and where the last ends)."""
    return np.concatenate([[0], np.cumsum(np.bincount(keys, minlength=size))]).astype(np.int64)


def _gather(values: np.ndarray, ptr: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The entries of ``keys`` in a compressed list (``values``, ``ptr``), one after another, and for each
    the position in ``keys`` of the key it came from."""
    lengths = ptr[keys + 1] - ptr[keys]
    which = np.repeat(np.arange(len(keys)), lengths)
    at = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths) + ptr[keys][which]
    return values[at], which


# --------------------------------------------------------------------------- the audit's steps

def first_leak(system: Equations, counts, hidden, threshold, small, found: np.ndarray | None = None):
    """The first unknown the equations pin that must stay unknown: a small hidden table row, else a small
    two-way cell (a cell of two values: the 2 people of role r1 in wave W2 as "W2 minus role r2", when r2
    answered only in W2). None when there is none. ``found``: :meth:`Equations.rounds` of the rows shown
    now, when the caller has it (what is known at the end is what solving finds)."""
    if found is None:
        found = system.rounds(system.rows_of({d: ~hidden[d] | (counts[d] == 0) for d in system.dims}))
    known = found >= 0
    for d in system.dims:
        at = system.offset[d]
        rows = known[at:at + len(counts[d])]
        pinned = np.flatnonzero(hidden[d] & (counts[d] > 0) & (counts[d] < threshold) & rows)
        if len(pinned):
            return at + int(pinned[0])
    pinned = np.flatnonzero(small & known[system.n_rows:])
    return system.n_rows + int(pinned[0]) if len(pinned) else None


def owners(system: Equations, at: int) -> set:
    """The tables an unknown belongs to: a table row's table, or a cell's two tables."""
    if at >= system.n_rows:
        return set(system.pairs[system.cell_table[at - system.n_rows]])
    return {max((d for d in system.dims if system.offset[d] <= at), key=system.offset.get)}


def stopper(system: Equations, counts, hidden, threshold, at: int, frozen=(),
            known: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[str, int, tuple] | None:
    """The smallest visible table row whose hiding leaves the leaked unknown ``at`` unsolved (never a row of the
    ``frozen`` tables: tables other views publish as they are), and the rounds once it is hidden.

    Args:
        known: :meth:`Equations.rounds` of the rows shown now, with its reasons (``with_why``), when the caller
            has them.

    Returns:
        ``(table, row, (rounds, reasons))`` with that row hidden too; ``(None, cell, ...)`` when no row of the
        audit's own stops it but a cell other views show does (``cell``: its unknown, :meth:`Equations.cell_of`;
        those views hide it); None when no row can be hidden.
    """
    start = system.rows_of({e: ~hidden[e] | (counts[e] == 0) for e in system.dims})
    found, why = system.rounds(start, with_why=True) if known is None else known
    used = system.proof(start, at, found)  # a row outside one way of solving the leak cannot stop it
    tried = _candidates(system, counts, hidden, frozen, used)
    for _, _, i, e in tried:  # in order: the first that stops it
        after = system.rounds_after(found, why, system.offset[e] + int(i))
        if after[0][at] < 0:
            return e, int(i), after
    shown = system.proof(start, at, found, cells=True)
    for cell in shown:  # a cell another audit's views show: those views hide it
        after = system.rounds_after(found, why, int(cell))
        if after[0][at] < 0:
            return None, int(cell), after
    # No single row or cell is enough: several ways solve the leak. Hide the smallest row of the way found (the
    # next round finds the next way), else a shown cell of it, else the smallest visible row of the leaked
    # unknown's own table(s).
    if not tried and len(shown):
        return None, int(shown[0]), system.rounds_after(found, why, int(shown[0]))
    if not tried:
        tables = owners(system, at)
        candidates = _candidates(system, counts, hidden, frozen)
        tried = [c for c in candidates if c[3] in tables] or candidates
    if not tried:
        return None
    _, _, i, e = tried[0]
    return e, int(i), system.rounds_after(found, why, system.offset[e] + int(i))


def _candidates(system: Equations, counts, hidden, frozen, rows: np.ndarray | None = None) -> list[tuple]:
    """The visible, non-empty rows that may be hidden (not of ``frozen`` tables nor of one-row tables), only
    those among ``rows`` (positions in the system) when given, smallest first: ``(count, table's place, row,
    table)``."""
    out = []
    for k, e in enumerate(system.dims):
        if e in frozen or len(counts[e]) <= 1:
            continue
        at = np.flatnonzero(~hidden[e] & (counts[e] > 0))
        if rows is not None:
            at = at[np.isin(system.offset[e] + at, rows)]
        out += [(counts[e][i], k, i, e) for i in at]
    return sorted(out)
