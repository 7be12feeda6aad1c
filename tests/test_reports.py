"""eevp.analytics.reports: the tables the pages show."""

import numpy as np
import pandas as pd
import pytest

from eevp.analytics import metrics, report_views, reports

THRESHOLD = 5


def small_wide() -> pd.DataFrame:
    # Dev: 6 promoters (10) and 4 detractors (3) of 10; Ops: 2 promoters, 8 passives of 10.
    enps = [10] * 6 + [3] * 4 + [9] * 2 + [7] * 8
    return pd.DataFrame({
        "id": range(20), "wave": ["2026-Q1"] * 20, "role": ["Dev"] * 10 + ["Ops"] * 10,
        "department": ["All"] * 20, "location": ["HQ"] * 20, "tenure": ["1-3 years"] * 20, "enps": enps,
    })


def test_enps_by_gives_promoters_and_detractors_as_shares():
    table = reports.enps_by(small_wide(), "role", THRESHOLD).set_index("role")
    assert table.loc["Dev", "promoters"] == 0.6 and table.loc["Dev", "detractors"] == 0.4
    assert table.loc["Ops", "promoters"] == 0.2 and table.loc["Ops", "detractors"] == 0.0
    assert round(table.loc["Dev", "enps"], 6) == 20.0


def test_group_figures_agree_with_the_one_group_formulas():
    rng = np.random.default_rng(4)
    n = 400
    wide = pd.DataFrame({"role": rng.choice(["A", "B", "C", None], n), "enps": rng.integers(0, 11, n).astype(float),
                         "Pay": rng.integers(1, 6, n).astype(float), "Growth": rng.integers(1, 6, n).astype(float)})
    wide.loc[rng.choice(n, 40), "enps"] = np.nan
    wide.loc[rng.choice(n, 40), "Pay"] = np.nan
    scales = {"Pay": (1.0, 5.0), "Growth": (1.0, 5.0)}
    table = reports._group_figures(wide, scales, "role").set_index("group")
    for group in ["A", "B", "C"]:
        sub = wide[wide["role"] == group]
        one = metrics.enps(sub["enps"].dropna())
        row = table.loc[group]
        assert row["n"] == len(sub) and row["enps_n"] == one["n"]
        for col in ("enps", "ci_low", "ci_high"):
            assert row[col] == pytest.approx(one[col])
        assert row["promoters"] == pytest.approx(one["pct_promoters"] / 100)
        fav = reports.fav_frame(sub, scales)
        assert row["engagement"] == pytest.approx(fav.mean(axis=0).mean())
        assert row["mean::Pay"] == pytest.approx(sub["Pay"].mean())
        assert row["fav::Growth"] == pytest.approx(fav["Growth"].mean())
    assert table["n"].sum() == n  # the group without a role counts too


def test_groups_that_matter_are_the_largest_then_the_most_different_never_hidden():
    heat = pd.DataFrame({"role": ["Big", "Big", "Odd", "Odd", "Mid", "Mid", "Tiny", "Tiny"],
                         "item": ["Pay", "Growth"] * 4, "n": [90, 90, 10, 10, 40, 40, np.nan, np.nan],
                         "diff": [0.01, -0.02, 0.4, -0.3, 0.05, 0.0, np.nan, np.nan],
                         "suppressed": [False] * 6 + [True] * 2})
    assert reports.groups_that_matter(heat, "role", largest=1, different=1) == ["Big", "Odd"]
    assert reports.groups_that_matter(heat, "role", largest=5) == ["Big", "Mid", "Odd"]


def test_an_empty_selection_gives_no_groups_with_the_columns_callers_read():
    from eevp.analytics.reports import segment_summary

    wide = pd.DataFrame({"role": pd.Series(dtype=object), "enps": pd.Series(dtype=float)})
    items = pd.DataFrame({"item": pd.Series(dtype=object), "min": pd.Series(dtype=float), "max": pd.Series(dtype=float)})
    table = segment_summary(wide, items, "role", 5)
    assert table.empty and {"group", "n", "suppressed"} <= set(table.columns)


def test_trend_long_has_one_row_per_shown_wave_and_measure_named_as_asked():
    trend = pd.DataFrame({"wave": ["W1", "W2", "W3"], "enps": [10.0, np.nan, -5.0], "engagement": [0.5, np.nan, 0.75],
                          "suppressed": [False, True, False]})
    long = report_views.trend_long(trend, {"enps": "eNPS", "engagement_pct": "Engagement, %"})
    assert long.to_dict("records") == [
        {"wave": "W1", "measure": "eNPS", "value": 10.0}, {"wave": "W3", "measure": "eNPS", "value": -5.0},
        {"wave": "W1", "measure": "Engagement, %", "value": 50.0},
        {"wave": "W3", "measure": "Engagement, %", "value": 75.0}]


def test_key_drivers_explain_an_item_when_the_survey_has_no_enps():
    """A file without an eNPS question (a review site's star ratings) still has drivers of its overall rating."""
    import numpy as np

    from eevp.analytics.report_views import driver_outcomes
    from eevp.analytics.reports import drivers

    rng = np.random.default_rng(0)
    pay, boss, desk = (rng.integers(1, 6, 60).astype(float) for _ in range(3))
    overall = np.clip(np.round(0.8 * pay + 0.2 * boss + rng.normal(0, 0.3, 60)), 1, 5)
    wide = pd.DataFrame({"enps": np.nan, "Pay": pay, "Manager": boss, "Desk": desk, "Overall": overall})
    items = pd.DataFrame({"item": ["Pay", "Manager", "Desk", "Overall"], "min": 1, "max": 5})
    assert driver_outcomes(wide, items) == ["Pay", "Manager", "Desk", "Overall"]  # no eNPS answered
    assert drivers(wide, items, 10).empty  # eNPS, the default, has no answers
    out = drivers(wide, items, 10, outcome="Overall")
    assert sorted(out["item"]) == ["Desk", "Manager", "Pay"]  # the outcome is not its own driver
    assert out.iloc[0]["item"] == "Pay"
    assert driver_outcomes(wide.assign(enps=5.0), items)[0] == "enps"


def test_the_trend_draws_no_enps_line_for_a_survey_without_the_question():
    from eevp.analytics.report_views import has_enps
    from eevp.analytics.report_views import trend_long

    trend = pd.DataFrame({"wave": ["2026-Q1", "2026-Q2"], "enps": [float("nan")] * 2, "engagement": [0.5, 0.6],
                          "suppressed": [False, False]})
    long = trend_long(trend, {"enps": "eNPS", "engagement_pct": "Engagement, %"})
    assert long["measure"].unique().tolist() == ["Engagement, %"]
    assert long["value"].tolist() == [50.0, 60.0]
    assert not has_enps(trend) and has_enps(trend.assign(enps=[10.0, None]))


def test_heatmap_counts_people_per_group_and_item_and_compares_with_everyone_who_answered():
    # 3 departments of 6 people (two answers each, one per wave), 4 people of no department, one item skipped by
    # some: shares and n per (department, item), diff from everyone who answered (the 4 included).
    rng = np.random.default_rng(3)
    rows = []
    for p in range(22):
        dept = ["Ops", "IT", "Sales"][p % 3] if p < 18 else None
        for wave in ("W1", "W2"):
            rows.append({"person": f"p{p}", "department": dept, "wave": wave, "role": "Agent",
                         "q1": float(rng.integers(1, 6)), "q2": float(rng.integers(1, 6)) if p % 4 else np.nan})
    wide = pd.DataFrame(rows)
    items = pd.DataFrame({"item": ["q2", "q1"], "min": [1.0, 1.0], "max": [5.0, 5.0]})
    heat = reports.heatmap_table(wide, items, "department", 3)
    fav = wide[["q1", "q2"]].apply(lambda c: np.where(c.isna(), np.nan, (c - 1) / 4 >= 0.75))
    expected = []
    for dept in ["IT", "Ops", "Sales"]:  # sorted by group, then item
        for item in ["q1", "q2"]:
            in_group = (wide["department"] == dept) & fav[item].notna()
            expected.append((dept, item, fav.loc[in_group, item].mean(), wide.loc[in_group, "person"].nunique(),
                             fav.loc[in_group, item].mean() - fav[item].mean()))
    got = list(heat[["department", "item", "favourable", "n", "diff"]].itertuples(index=False, name=None))
    assert [g[:2] for g in got] == [e[:2] for e in expected]
    assert np.allclose([g[2:] for g in got], [e[2:] for e in expected])
    assert not heat["suppressed"].any()
