"""Theme aggregates by segment and group: counts of people, the comment threshold, no recovery of small groups."""

import numpy as np
import pandas as pd
import pytest

from eevp.analytics import theme_views
from eevp.analytics.theme_views import (by_gap, compare_groups, exit_units, of_themes, ranked_trend, theme_cross,
                                        theme_overview, trend_view, with_labels, with_person)


def _units(rows):
    """rows: (person, theme_id, role, kind)."""
    return pd.DataFrame(rows, columns=["person", "theme_id", "role", "kind"])


def _people(prefix, n, theme, role, kind="survey"):
    return [(f"{prefix}{i}", theme, role, kind) for i in range(n)]


def test_with_person_prefers_the_respondent_key():
    units = pd.DataFrame({"kind": ["exit", "survey"], "record_id": [7, 8], "respondent_key": [None, "k1"]})
    assert with_person(units)["person"].tolist() == ["exit:7", "k1"]


def test_theme_cross_counts_distinct_people_and_hides_small_cells():
    rows = _people("a", 12, 0, "Agent") + _people("a", 12, 0, "Agent")  # the same 12 people twice
    rows += _people("d", 11, 0, "Driver")
    rows += _people("a", 10, 1, "Agent") + _people("d", 10, 1, "Driver")
    cell = theme_cross(_units(rows), "role", threshold=10).set_index(["theme_id", "role"])
    assert cell.loc[(0, "Agent"), "people"] == 12
    assert cell.loc[(1, "Agent"), "people"] == 10
    # 3 managers: hidden, with as many complements as it takes (in a table of two themes, the whole
    # chain of cells that a subtraction would otherwise close)
    cross = theme_cross(_units(rows + _people("m", 3, 0, "Manager")), "role", threshold=10)
    cell = cross.set_index(["theme_id", "role"])
    assert bool(cell.loc[(0, "Manager"), "suppressed"]) and np.isnan(cell.loc[(0, "Manager"), "people"])
    assert (cross["people"].dropna() >= 10).all()


def test_theme_cross_leaves_no_single_hidden_cell_in_a_row_or_column():
    # Theme 0: Manager has 3 people, hidden; with only it hidden, the theme total (shown elsewhere) minus the
    # visible cells would give it back, so the rule hides a second cell in that row.
    rows = _people("a", 40, 0, "Agent") + _people("d", 12, 0, "Driver") + _people("m", 3, 0, "Manager")
    rows += _people("x", 15, 1, "Agent") + _people("y", 15, 1, "Driver") + _people("z", 15, 1, "Manager")
    cross = theme_cross(_units(rows), "role", threshold=10)
    hidden = cross[cross["suppressed"]]
    assert (hidden["theme_id"] == 0).sum() >= 2
    assert (hidden["role"] == "Manager").sum() >= 2


def test_compare_groups_shares_and_lift():
    a = _people("a", 20, 0, "Agent") + _people("a", 10, 1, "Agent")   # 20 people, theme 1 half of them
    b = _people("b", 40, 0, "Driver") + _people("b", 10, 1, "Driver")  # 40 people, theme 1 a quarter
    units = _units(a + b)
    cmp = compare_groups(units, units["role"] == "Agent", units["role"] == "Driver", threshold=10).set_index("theme_id")
    assert cmp.loc[1, "share_a"] == pytest.approx(0.5)
    assert cmp.loc[1, "share_b"] == pytest.approx(0.25)
    assert cmp.loc[1, "lift"] == pytest.approx(2.0)
    assert cmp.loc[0, "share_a"] == pytest.approx(1.0)
    # a theme only group A raises has no ratio (it used to read 44,132,918.96)
    c = _people("c", 12, 2, "Agent") + _people("d", 12, 0, "Driver")
    only_a = compare_groups(_units(c), _units(c)["role"] == "Agent", _units(c)["role"] == "Driver", 10)
    row = only_a.set_index("theme_id").loc[2]
    assert row["share_b"] == 0 and np.isnan(row["lift"])


def test_compare_groups_shows_nothing_that_gives_back_a_small_count():
    a = _people("a", 20, 0, "Agent") + _people("a", 3, 1, "Agent")    # only 3 agents raise theme 1
    b = _people("b", 40, 0, "Driver") + _people("b", 12, 1, "Driver")
    units = _units(a + b)
    cmp = compare_groups(units, units["role"] == "Agent", units["role"] == "Driver", threshold=10).set_index("theme_id")
    row = cmp.loc[1]
    # share_a × 20 agents would be 3 again, and so would lift or z with share_b known: all hidden.
    assert np.isnan(row["people_a"]) and np.isnan(row["share_a"])
    assert np.isnan(row["lift"]) and np.isnan(row["z"])
    # and the other side with it: the theme's total (15) minus the drivers' 12 would be the 3 agents
    assert np.isnan(row["people_b"]) and np.isnan(row["share_b"])
    assert cmp.loc[0, "people_b"] == 40  # a row without a small side keeps both


def test_compare_groups_needs_enough_people_in_each_group():
    units = _units(_people("a", 5, 0, "Agent") + _people("b", 30, 0, "Driver"))
    assert compare_groups(units, units["role"] == "Agent", units["role"] == "Driver", threshold=10).empty


def test_exit_units_carry_the_regretted_flag_of_their_leaver():
    units = pd.DataFrame({"kind": ["exit", "exit", "survey"], "record_id": [1, 2, 1], "theme_id": [0, 1, 0]})
    exits = pd.DataFrame({"id": [1, 2], "regretted": [True, False]})
    ex = exit_units(units, exits)
    assert ex["regretted"].tolist() == [True, False]
    assert set(ex["kind"]) == {"exit"}


def test_theme_overview_in_percentages_of_each_theme():
    themes = pd.DataFrame([{"label": "Late deliveries", "size": 40, "share": 0.25, "keywords": ["late", "delivery"],
                            "by_source": {"survey": 0.75, "exit": 0.25},
                            "sentiment": {"negative": 30, "neutral": 6, "positive": 4}}])
    row = theme_overview(themes).iloc[0]
    assert (row["survey"], row["exit"], row["focus"]) == (0.75, 0.25, 0.0)
    assert row["negative"] == pytest.approx(0.75) and row["positive"] == pytest.approx(0.1)
    assert row["keywords"] == "late, delivery"


def test_a_theme_needs_enough_people_not_statements():
    from eevp.analytics.theme_views import reportable

    units = _units(_people("a", 12, 0, "Agent") + [("p1", 1, "Agent", "survey")] * 8 + [("p2", 1, "Agent", "survey")] * 4)
    themes = pd.DataFrame({"theme_id": [0, 1], "size": [12, 12]})
    kept = reportable(themes, units, threshold=10)
    assert kept["theme_id"].tolist() == [0] and kept["people"].tolist() == [12]


def test_trim_drops_rows_and_columns_with_nothing_shown():
    from eevp.analytics.theme_views import trim

    cross = pd.DataFrame({"label": ["a", "a", "b", "b", "c"], "role": ["x", "y", "x", "y", "z"],
                          "people": [12.0, np.nan, np.nan, np.nan, 30.0],
                          "suppressed": [False, True, True, True, False]})
    out = trim(cross, "role")
    assert sorted(set(out["label"])) == ["a", "c"]
    assert sorted(set(out["role"])) == ["x", "z"]
    assert trim(cross, "role", top=1)["label"].unique().tolist() == ["c"]


def test_trend_view_picks_quarters_when_few_units_have_a_wave_and_ranks_by_people():
    rows = [(f"p{i}", 0, None, "2026-01-15") for i in range(12)] + [(f"q{i}", 1, None, "2026-04-15") for i in range(15)]
    rows += [(f"r{i}", 1, "W1", "2026-04-20") for i in range(2)]  # 2 of 29 units have a wave: quarters
    units = pd.DataFrame(rows, columns=["person", "theme_id", "wave", "date"]).assign(kind="survey")
    per, shown, ranked, periods = trend_view(units, 10, pd.Series({0: "Pay", 1: "Hotline"}))
    assert per == "quarter"
    assert ranked == ["Hotline", "Pay"]  # 17 people against 12
    assert set(shown["quarter"]) == {"2026Q1", "2026Q2"} and not shown["suppressed"].any()
    assert periods == ["2026Q1", "2026Q2"]
    # a share of everyone who wrote in the period: 12 of 12 in Q1, 17 of 17 in Q2
    assert shown.set_index(["label", "quarter"])["share"].to_dict() == {("Pay", "2026Q1"): 1.0,
                                                                         ("Hotline", "2026Q2"): 1.0}
    assert with_labels(shown, ["Pay"])["label"].tolist() == ["Pay"]


def test_trend_periods_run_in_time_order_and_shares_do_not_grow_with_the_number_of_answers():
    """Waves named in no sortable way run by their dates; a wave with three times the answers does not
    triple the theme's point."""
    rows = []
    for wave, date, writers, raising in [("Pulse A", "2024-04-01", 20, 10), ("Pulse B", "2023-10-01", 60, 12),
                                         ("Pulse C", "2025-01-10", 30, 15)]:
        rows += [(f"{wave}{i}", 0 if i < raising else -1, wave, date) for i in range(writers)]
    units = pd.DataFrame(rows, columns=["person", "theme_id", "wave", "date"]).assign(kind="survey")
    per, shown, _, periods = trend_view(units, 10, pd.Series({0: "Queues"}))
    assert per == "wave" and periods == ["Pulse B", "Pulse A", "Pulse C"]
    assert shown.set_index("wave")["share"].round(2).to_dict() == {"Pulse B": 0.2, "Pulse A": 0.5, "Pulse C": 0.5}


def test_period_order_reads_period_labels_when_there_are_no_dates():
    from eevp.analytics.theme_views import period_order

    units = pd.DataFrame({"wave": ["2026-Q1", "2025-H2", "Q3 2024", "2026-Q1"], "date": [None] * 4})
    assert period_order(units, "wave") == ["Q3 2024", "2025-H2", "2026-Q1"]
    assert period_order(units.drop(columns="date"), "wave") == ["Q3 2024", "2025-H2", "2026-Q1"]


def test_by_gap_puts_the_largest_difference_first_and_ranked_trend_drops_small_periods():
    cmp = pd.DataFrame({"label": ["a", "b", "c"], "share_a": [0.1, 0.5, None], "share_b": [0.2, 0.1, 0.3]})
    assert by_gap(cmp)["label"].tolist() == ["b", "c", "a"]
    ranked = pd.DataFrame({"label": ["Hotline"], "trend": [{"2026Q1": 4, "2026Q2": 12}]})
    assert ranked_trend(ranked, 10).to_dict("records") == [{"label": "Hotline", "period": "2026Q2", "people": 12}]


def test_columns_that_matter_are_the_largest_then_the_most_different():
    from eevp.analytics.theme_views import columns_that_matter

    rows = []
    for i in range(40):  # 40 departments of 10 + i people, the same mix of two themes …
        rows += [{"department": f"D{i:02d}", "label": "A", "people": 5 + i, "suppressed": False},
                 {"department": f"D{i:02d}", "label": "B", "people": 5, "suppressed": False}]
    rows += [{"department": "Odd", "label": "A", "people": 0, "suppressed": False},  # … but one: only theme B
             {"department": "Odd", "label": "B", "people": 12, "suppressed": False},
             {"department": "Hidden", "label": "A", "people": 3, "suppressed": True}]
    cross = pd.DataFrame(rows)
    first = columns_that_matter(cross, "department", largest=3, different=1)
    assert first[:3] == ["D39", "D38", "D37"]  # largest first
    assert first[3] == "Odd"  # its theme mix is the furthest from the whole table's
    assert "Hidden" not in columns_that_matter(cross, "department", largest=50, different=50)


def test_labels_of_and_model_row_look_a_theme_up_by_id():
    themes = pd.DataFrame({"theme_id": [3, 5], "label": ["pay", "shifts"], "model_row": [1, 2]})
    assert theme_views.labels_of(themes).to_dict() == {3: "pay", 5: "shifts"}
    assert theme_views.model_row(themes, 5) == 2


def test_in_themes_keeps_the_units_of_the_themes_and_those_in_none():
    units = _units([("a", 0, "A", "survey"), ("b", 1, "A", "survey"), ("c", -1, "A", "survey")])
    kept = theme_views.in_themes(units, pd.DataFrame({"theme_id": [1]}))
    assert kept["person"].tolist() == ["b", "c"]
    assert theme_views.unit_counts(kept) == (1, 1)


def test_group_names_give_each_group_its_label_and_theme_count():
    groups = pd.DataFrame({"group": [0, 4], "label": ["pay & shifts", "tools"], "themes": [3, 2]})
    assert theme_views.group_names(groups) == {0: ("pay & shifts", 3), 4: ("tools", 2)}


@pytest.mark.parametrize("group, expected", [("leavers", ["b"]), ("stayers", ["a", "c"]), ("role:Driver", ["c"]),
                                             ("role:leavers", [])])
def test_unit_group_is_a_mask_of_the_group(group, expected):
    units = _units([("a", 0, "Agent", "survey"), ("b", 0, "Agent", "exit"), ("c", 0, "Driver", "survey")])
    assert units[theme_views.unit_group(units, group)]["person"].tolist() == expected


def test_compare_regretted_puts_the_regretted_leavers_in_group_a():
    rows = _people("r", 12, 0, "A", "exit") + _people("o", 12, 1, "A", "exit")
    leavers = _units(rows).assign(regretted=[True] * 12 + [False] * 12)
    cmp = theme_views.compare_regretted(leavers, 10).set_index("theme_id")
    assert cmp.loc[0, ["share_a", "share_b"]].tolist() == [1.0, 0.0]
    assert cmp.loc[1, ["share_a", "share_b"]].tolist() == [0.0, 1.0]


def test_compared_in_both_keeps_rows_with_both_shares_up_to_top():
    cmp = pd.DataFrame({"theme_id": [1, 2, 3, 4], "share_a": [0.5, None, 0.2, 0.1], "share_b": [0.1, 0.3, 0.2, 0.4]})
    assert theme_views.compared_in_both(cmp, top=2)["theme_id"].tolist() == [1, 3]


def test_of_themes_keeps_the_rows_of_the_themes_on_the_page():
    cross = pd.DataFrame({"theme_id": [1, 1, 2, 3], "department": ["A", "B", "A", "A"], "people": [12, 0, 15, 20],
                          "suppressed": [False, True, False, False], "label": ["x", "x", "y", "z"]})
    page = pd.DataFrame({"theme_id": [3, 1], "label": ["z", "x"]})
    assert of_themes(cross, page).to_dict("list") == {
        "theme_id": [1, 1, 3], "department": ["A", "B", "A"], "people": [12, 0, 20],
        "suppressed": [False, True, False], "label": ["x", "x", "z"]}


def test_compare_opens_on_two_groups_large_enough_not_on_leavers_without_exits():
    # staff comments only (no exit interview): leavers against staff would say "too few"
    units = _units(_people("a", 12, 0, "Agent") + _people("d", 3, 0, "Driver") + _people("m", 15, 1, "Manager"))
    opts = theme_views.compare_options(units)
    assert opts == ["leavers", "stayers", "role:Agent", "role:Driver", "role:Manager"]
    first, second = theme_views.compare_defaults(units, opts, threshold=10)
    assert (opts[first], opts[second]) == ("role:Manager", "role:Agent")  # the two largest roles
    with_exits = _units(_people("x", 10, 0, "Agent", "exit") + _people("a", 12, 0, "Agent"))
    assert theme_views.compare_defaults(with_exits, theme_views.compare_options(with_exits), 10) == (0, 1)
    assert theme_views.compare_defaults(_units(_people("d", 3, 0, "Driver")), ["leavers", "stayers"], 10) == (0, 1)


def test_names_any_is_false_for_a_column_of_not_given_only():
    from eevp.store.queries import NOT_GIVEN

    assert not theme_views.names_any(pd.DataFrame({"department": [NOT_GIVEN, NOT_GIVEN, None]}), "department")
    assert theme_views.names_any(pd.DataFrame({"department": [NOT_GIVEN, "Sales"]}), "department")
    assert not theme_views.names_any(pd.DataFrame({"role": ["Agent"]}), "department")


def test_theme_totals_count_every_person_once_and_hide_small_themes():
    # A file without the column to group by (the Russian exit answers have no role): the heatmap by role had no
    # column, so nothing was shown; the themes of everyone are shown instead, with the same hiding.
    rows = _people("a", 12, 0, None, "exit") + _people("a", 12, 0, None, "exit")  # the same 12 people twice
    rows += _people("b", 15, 1, None, "exit") + _people("c", 4, 2, None, "exit")
    totals = theme_views.theme_totals(_units(rows), threshold=10, labels=pd.Series({0: "Pay", 1: "Hours", 2: "X"}))
    shown = totals[~totals["suppressed"]]
    assert shown[["label", "people"]].values.tolist() == [["Hours", 15], ["Pay", 12]]
    assert totals.loc[totals["label"] == "X", "suppressed"].all() and totals["people"].max() == 15


def test_theme_totals_of_a_viewer_hide_what_differs_from_everyone_s_by_a_few():
    # a viewer limited to Sales: a theme raised by 12 leavers of Sales and 2 of IT is 12 here and 14 for the company
    units = pd.DataFrame([(f"s{i}", 0, "Sales") for i in range(12)] + [(f"i{i}", 0, "IT") for i in range(2)]
                         + [(f"s{i}", 1, "Sales") for i in range(11)] + [(f"t{i}", 2, "IT") for i in range(11)],
                         columns=["person", "theme_id", "department"])
    sales = units[units["department"] == "Sales"]
    totals = theme_views.theme_totals(sales, 10, population=units, selections={"department": ("Sales",)})
    assert totals.set_index("theme_id")["suppressed"][0]  # 12 in Sales of 14: IT's 2 by subtraction
    assert totals["people"].dropna().ge(10).all()
    assert theme_views.theme_totals(sales, 10)["suppressed"].tolist() == [False, False]  # without the scope
