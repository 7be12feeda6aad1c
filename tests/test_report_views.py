"""The look-ups the dashboard pages make on report tables (eevp.analytics.report_views)."""

import pandas as pd

from eevp.analytics import report_views, reports


def test_unsuppressed_keeps_the_rows_a_chart_draws():
    table = pd.DataFrame({"role": ["A", "B", "C"], "suppressed": [False, True, False]})
    assert report_views.unsuppressed(table)["role"].tolist() == ["A", "C"]


def test_rows_with_picks_rows_by_value():
    frame = pd.DataFrame({"group": [1, 2, 1], "label": ["x", "y", "z"]})
    assert report_views.rows_with(frame, "group", 1)["label"].tolist() == ["x", "z"]


def test_distinct_values_are_sorted_as_text_without_blanks():
    frame = pd.DataFrame({"tenure": [10, None, 2, 10], "role": ["b", "a", None, "b"]})
    assert report_views.distinct_values(frame, "tenure") == [10.0, 2.0]
    assert report_views.distinct_values(frame, "role") == ["a", "b"]


def test_fix_first_lists_the_items_of_that_quadrant():
    drivers = pd.DataFrame({"item": ["Pay", "Team", "Tools"], "quadrant": ["Fix first", "Keep", "Fix first"]})
    assert report_views.fix_first(drivers) == ["Pay", "Tools"]


def test_evp_roles_are_the_rated_roles_and_those_offered_by_name():
    catalog = pd.DataFrame({"benefit": ["Car", "Gym"], "roles_offered": [["Driver", "Manager"], "all"]})
    ratings = pd.DataFrame({"role": ["Agent", None, "Driver"]})
    assert report_views.evp_roles(catalog, ratings) == ["Agent", "Driver", "Manager"]


def test_evp_company_gaps_are_the_gaps_over_every_role_at_once():
    catalog = pd.DataFrame({"benefit": ["Gym"], "pillar": ["Wellbeing"], "roles_offered": ["all"]})
    ratings = pd.DataFrame({"respondent_key": [f"k{i}" for i in range(12)], "role": ["A", "B"] * 6,
                            "department": "Ops", "benefit": "Gym", "importance": [5, 3] * 6,
                            "satisfaction": [2, 2] * 6})
    gaps = report_views.evp_company_gaps(ratings, catalog, 5, population=ratings)
    expected = reports.evp_gaps(ratings.assign(scope="all"), catalog, 5, by="scope",
                                population=ratings.assign(scope="all"))
    pd.testing.assert_frame_equal(gaps, expected)
    assert gaps[["scope", "benefit", "importance", "satisfaction", "n"]].values.tolist() == [
        ["all", "Gym", 4.0, 2.0, 12]]


def test_leavers_matrix_names_the_count_leavers():
    matrix = pd.DataFrame({"role": ["A"], "reason": ["Pay"], "n": [7], "suppressed": [False]})
    assert report_views.leavers_matrix(matrix).columns.tolist() == ["role", "reason", "leavers", "suppressed"]


def test_exit_groups_table_leaves_out_the_reasons_lists():
    groups = pd.DataFrame({"role": ["A"], "n": [7], "reasons": [["Pay"]], "suppressed": [False]})
    assert report_views.exit_groups_table(groups).columns.tolist() == ["role", "n", "suppressed"]


def test_named_first_puts_the_columns_a_file_has_first():
    # Restaurant reviews as a survey: no role, no department, a "split" segment: "compare by role" drew one
    # column, "(not given)".
    frame = pd.DataFrame({"role": ["(not given)"] * 3, "department": [None] * 3, "split": ["train", "test", "test"],
                          "sentiment_food": ["positive", None, "negative"]})
    assert report_views.named_first(frame, ["role", "department", "split", "sentiment_food"]) == [
        "split", "sentiment_food", "role", "department"]
    assert report_views.named_first(frame, ["role", "department"]) == ["role", "department"]
