"""Theme groups: more than 25 themes are shown as a few groups of related themes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from eevp.analytics.theme_views import theme_groups
from eevp.themes.groups import group_label, group_themes


def _themes_around(directions: int, per: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    axes = np.eye(64)[:directions]
    cents = np.vstack([a + rng.normal(0, 0.05, size=(per, 64)) for a in axes])
    cents /= np.linalg.norm(cents, axis=1, keepdims=True)
    truth = np.repeat(np.arange(directions), per)
    return np.arange(len(cents)) * 3, cents, truth  # ids need not be 0..k-1


def test_related_themes_share_a_group_and_groups_are_numbered_by_size():
    ids, cents, truth = _themes_around(directions=5, per=6)  # 30 themes about 5 subjects
    sizes = np.where(truth == 3, 100, 10)  # the subject 3 themes are the largest
    groups = group_themes(ids, cents, sizes)
    assert len(groups) == 30 and len(set(groups.values())) == 5  # round(sqrt(30)) = 5 groups
    for k in range(5):
        assert len({groups[int(t)] for t in ids[truth == k]}) == 1
    assert {groups[int(t)] for t in ids[truth == 3]} == {0}


def test_few_themes_are_not_grouped():
    ids, cents, _ = _themes_around(directions=5, per=5)  # 25 themes: a list people still read
    assert group_themes(ids, cents, np.ones(25)) == {}


def test_the_group_is_named_by_its_two_largest_themes():
    assert group_label(["Parking", "Low pay", "Long hours"], [5, 40, 30]) == "Low pay · Long hours"
    assert group_label(["Low pay", "Low pay"], [5, 40]) == "Low pay"


def test_theme_groups_sum_their_themes_and_leave_out_ungrouped_candidates():
    themes = pd.DataFrame({
        "theme_id": [0, 1, 2, 3], "label": ["Low pay", "No bonus", "Rude managers", "New"],
        "size": [40, 20, 30, 9], "people": [30, 15, 20, 9],
        "sentiment": [{"negative": 30, "neutral": 10}, {"negative": 20}, {"negative": 25, "positive": 5}, {}],
        "group": pd.array([1, 1, 0, pd.NA], dtype="Int64"),
        "group_label": ["Low pay · No bonus", "Low pay · No bonus", "Rude managers", None]})
    out = theme_groups(themes)
    assert out["group"].tolist() == [1, 0]  # 60 units before 30
    first = out.iloc[0]
    assert (first["themes"], first["size"], first["people"]) == (2, 60, 45)
    assert first["sentiment"] == {"negative": 50, "neutral": 10}
    assert theme_groups(themes.assign(group=pd.array([pd.NA] * 4, dtype="Int64"))).empty
