"""eevp.analytics.cellgraph: bridges of the hidden cells and the sides each one separates."""

import numpy as np

from eevp.analytics.cellgraph import bridge_sides, bridges


def test_a_cycle_has_no_bridge_and_a_tail_is_one():
    # rows 0-1 and columns 0-1 hidden in a square (a cycle); cell (2, 1) hangs off it
    mask = np.array([[1, 1, 0], [1, 1, 0], [0, 1, 0]], dtype=bool)
    assert bridges(mask) == {(2, 1)}


def test_a_bridge_separates_the_rows_and_columns_on_its_two_sides():
    # a path of hidden cells: row 0 - col 0 - row 1 - col 1 - row 2; every cell is a bridge
    mask = np.array([[1, 0, 0], [1, 1, 0], [0, 1, 0]], dtype=bool)
    sides = bridge_sides(mask)
    assert set(sides.child) == {(0, 0), (1, 0), (1, 1), (2, 1)}
    rows, cols = np.array([0, 2, 0, 1]), np.array([1, 0, 2, 1])
    # (1, 0) splits {row 0, col 0} from {row 1, col 1, row 2}: cell (0, 1) and (2, 0) cross it; (0, 2): col 2
    # has no hidden cell (no side); (1, 1) lies on one side
    assert sides.separates((1, 0), rows, cols).tolist() == [True, True, False, False]
    # (2, 1) splits row 2 from the rest: only a cell in row 2 crosses it
    assert sides.separates((2, 1), rows, cols).tolist() == [False, True, False, False]


def test_two_components_are_told_apart():
    mask = np.zeros((4, 4), dtype=bool)
    mask[0, 0] = mask[3, 3] = True
    sides = bridge_sides(mask)
    assert set(sides.child) == {(0, 0), (3, 3)}
    # a cell joining the two components crosses neither bridge: it closes no cycle through them
    assert sides.separates((0, 0), np.array([0]), np.array([3])).tolist() == [False]
