"""The tables' equations (eevp.analytics.equations): all at once gives what one equation at a time gives."""

import numpy as np
import pytest

from eevp.analytics.equations import Equations


def one_at_a_time(dims, counts, hidden, cells, with_cells: bool = False):
    """The audit's solving as it was written first: every line of every table, one by one, until nothing changes
    (``with_cells``: also the cells known at the end, table by table)."""
    known = {d: ~hidden[d] | (counts[d] == 0) for d in dims}
    for d in dims:
        if len(counts[d]) == 1:
            known[d][:] = True
    cell_known = {k: ~v for k, v in cells.items()}
    changed = True
    while changed:
        changed = False
        for d in dims:
            if (~known[d]).sum() == 1:
                known[d][:] = True
                changed = True
        for a, b in cells:
            ck = cell_known[(a, b)]
            for axis, dim in ((1, a), (0, b)):
                for k in range(len(counts[dim])):
                    line = ck[k, :] if axis == 1 else ck[:, k]
                    unknown = np.flatnonzero(~line)
                    if known[dim][k] and len(unknown) == 1:
                        line[unknown[0]] = True
                        changed = True
                    elif not known[dim][k] and len(unknown) == 0:
                        known[dim][k] = True
                        changed = True
    return (known, cell_known) if with_cells else known


def random_tables(seed: int):
    rng = np.random.default_rng(seed)
    dims = ["a", "b", "c"][: rng.integers(2, 4)]
    people = rng.integers(1, 60)
    codes = {d: rng.integers(0, rng.integers(1, 7), people) for d in dims}
    counts = {d: np.bincount(codes[d], minlength=codes[d].max() + 2).astype(float) for d in dims}  # one empty row
    hidden = {d: (rng.random(len(counts[d])) < 0.4) & (counts[d] > 0) for d in dims}
    cells = {}
    for i, a in enumerate(dims):
        for b in dims[i + 1:]:
            m = np.zeros((len(counts[a]), len(counts[b])), dtype=bool)
            m[codes[a], codes[b]] = True
            cells[(a, b)] = m
    return dims, counts, hidden, cells


@pytest.mark.parametrize("seed", range(200))
def test_all_at_once_knows_what_one_at_a_time_knows(seed):
    dims, counts, hidden, cells = random_tables(seed)
    system = Equations(dims, {d: len(counts[d]) for d in dims}, cells)
    expected = one_at_a_time(dims, counts, hidden, cells)
    actual = system.known_rows({d: ~hidden[d] | (counts[d] == 0) for d in dims})
    assert {d: expected[d].tolist() for d in dims} == {d: actual[d].tolist() for d in dims}


@pytest.mark.parametrize("seed", range(100))
def test_only_a_row_of_the_proof_can_stop_a_solved_row(seed):
    dims, counts, hidden, cells = random_tables(seed)
    system = Equations(dims, {d: len(counts[d]) for d in dims}, cells)
    start = system.rows_of({d: ~hidden[d] | (counts[d] == 0) for d in dims})
    solved = system.solve(start[None, :])[0]
    for row in np.flatnonzero(solved & ~start):
        used = set(system.proof(start, int(row)).tolist())
        for other in np.flatnonzero(start):
            trial = start.copy()
            trial[other] = False
            if int(other) not in used:
                assert system.solve(trial[None, :])[0][row]


@pytest.mark.parametrize("seed", range(200))
def test_all_at_once_knows_the_cells_one_at_a_time_knows(seed):
    # the audit also looks for small cells of two values that the equations pin (issue 14, a role in a wave)
    dims, counts, hidden, cells = random_tables(seed)
    system = Equations(dims, {d: len(counts[d]) for d in dims}, cells)
    _, cell_known = one_at_a_time(dims, counts, hidden, cells, with_cells=True)
    expected = np.concatenate([cell_known[k][cells[k]] for k in cells]) if cells else np.zeros(0, bool)
    start = system.rows_of({d: ~hidden[d] | (counts[d] == 0) for d in dims})
    assert system.solve(start[None, :], cells=True)[0][system.n_rows:].tolist() == expected.tolist()
    assert [system.pairs[t] for t in system.cell_table] == [k for k in cells for _ in range(int(cells[k].sum()))]


@pytest.mark.parametrize("seed", range(100))
def test_only_a_row_of_the_proof_can_stop_a_solved_cell(seed):
    dims, counts, hidden, cells = random_tables(seed)
    system = Equations(dims, {d: len(counts[d]) for d in dims}, cells)
    start = system.rows_of({d: ~hidden[d] | (counts[d] == 0) for d in dims})
    solved = system.solve(start[None, :], cells=True)[0]
    for cell in system.n_rows + np.flatnonzero(solved[system.n_rows:]):
        used = set(system.proof(start, int(cell)).tolist())
        for other in np.flatnonzero(start):
            if int(other) not in used:
                trial = start.copy()
                trial[other] = False
                assert system.solve(trial[None, :], cells=True)[0][cell]


def test_a_row_no_equation_gives_has_no_proof():
    cells = {("a", "b"): np.array([[True, True], [True, True]])}
    system = Equations(["a", "b"], {"a": 2, "b": 2}, cells)
    start = np.array([False, False, True, True])  # both rows of a hidden, the cells unknown
    assert system.proof(start, 0) is None
    assert system.solve(start[None, :])[0].tolist() == [False, False, True, True]


def _split_tables(parts: bool) -> tuple[Equations, np.ndarray]:
    """a × b, and p × q: the same people by (a, c) and (b, c), so that p × q splits a × b by c (a0 b0 in c0 and
    c1, a1 b1 in c0, a0 b1 in c1). Rows p0, p2 (p3 is empty) and q1 are shown; a and b are hidden."""
    ab = np.array([[True, True], [False, True]])
    pq = np.zeros((4, 4), dtype=bool)
    pq[0, 0] = pq[1, 1] = pq[2, 2] = pq[1, 3] = True  # p = a·2 + c, q = b·2 + c
    split = {("p", "q"): (("a", "b"), np.array([0, 0, 1, 1]), np.array([0, 0, 1, 1]))} if parts else None
    system = Equations(["a", "b", "p", "q"], {"a": 2, "b": 2, "p": 4, "q": 4}, {("a", "b"): ab, ("p", "q"): pq},
                       split)
    start = system.rows_of({"a": [False, False], "b": [False, False], "p": [True, False, True, True],
                            "q": [False, True, False, False]})
    return system, start


@pytest.mark.parametrize("parts", [True, False])
def test_a_cell_is_known_from_its_parts(parts):
    # a0 b0 is its c0 part (p0 has one cell) plus its c1 part (q1 has one cell): known only with the parts
    system, start = _split_tables(parts)
    known = system.solve(start[None, :], cells=True)[0]
    assert known[system.n_rows] == parts  # the first cell of a × b: a0 b0


def test_a_part_of_an_empty_cell_is_refused():
    ab = np.array([[True, False], [False, True]])
    pq = np.zeros((4, 4), dtype=bool)
    pq[0, 2] = True  # a0 b1 c0, but a0 b1 is empty
    with pytest.raises(ValueError, match="empty cell"):
        Equations(["a", "b", "p", "q"], {"a": 2, "b": 2, "p": 4, "q": 4}, {("a", "b"): ab, ("p", "q"): pq},
                  {("p", "q"): (("a", "b"), np.array([0, 0, 1, 1]), np.array([0, 0, 1, 1]))})


@pytest.mark.parametrize("seed", range(200))
def test_hiding_one_more_row_gives_the_rounds_solving_again_gives(seed):
    # the audit hides one row at a time and solves again only what that row reaches (rounds_after): the
    # rounds, not only what is known, must be those of a solving from scratch (proofs follow the rounds)
    dims, counts, hidden, cells = random_tables(seed)
    rng = np.random.default_rng(seed)
    shown = {k: rng.random(m.shape) < 0.15 for k, m in cells.items()}
    system = Equations(dims, {d: len(counts[d]) for d in dims}, cells, shown=shown)
    start = system.rows_of({d: ~hidden[d] | (counts[d] == 0) for d in dims})
    found, why = system.rounds(start, with_why=True)
    for row in rng.permutation(np.flatnonzero(start)):
        start[row] = False
        found, why = system.rounds_after(found, why, int(row))
        assert found.tolist() == system.rounds(start).tolist()


@pytest.mark.parametrize("parts", [True, False])
def test_hiding_one_more_row_with_parts(parts):
    system, start = _split_tables(parts)
    found, why = system.rounds(start, with_why=True)
    for row in np.flatnonzero(start):
        start[row] = False
        found, why = system.rounds_after(found, why, int(row))
        assert found.tolist() == system.rounds(start).tolist()
