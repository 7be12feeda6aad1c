"""Every column accounted for: what a mapping leaves out, with the reason and a suggestion."""

import pandas as pd
import pytest

from eevp.intake.mapping import KINDS, suggest_mapping, template_frame
from eevp.intake.unmapped import REASONS, mapped_columns, unmapped_columns, warnings_of

N = 60
WORDS = ["Salary", "Management", "Growth", "Colleagues", "Schedule", "Nothing", "Location", "Training"]


def frame(columns: dict) -> pd.DataFrame:
    return pd.DataFrame({k: pd.Series([None if v is None else str(v) for v in vals], dtype=object)
                         for k, vals in columns.items()})


def base(**extra) -> pd.DataFrame:
    cols = {"wave": ["2026-Q1"] * N, "role": ["Engineer", "Analyst", "Driver"] * (N // 3),
            "Comment": [f"Customers wait too long for a callback, week {i}" for i in range(N)]}
    return frame({**cols, **extra})


def by_column(df: pd.DataFrame, kind: str = "survey", mapping: dict | None = None) -> dict:
    mapping = mapping if mapping is not None else suggest_mapping(df, kind)
    return {u["column"]: u for u in unmapped_columns(df, mapping, kind)}


def test_a_clean_file_leaves_nothing_out():
    assert by_column(base()) == {}


def test_one_word_answers_are_offered_as_text():
    df = base(**{"What would you change?": [WORDS[i % 8] + ("", "s", "!", "?", ".")[i % 5] for i in range(N)]})
    u = by_column(df)["What would you change?"]
    assert (u["reason"], u["suggestion"], u["warning"]) == ("One-word answers: map as text?", "text", False)


@pytest.mark.parametrize("kind, suggestion", [("survey", "segments"), ("customer_feedback", "segments")])
def test_short_repeated_names_are_no_comments(kind, suggestion):
    # SentiRuEval's restaurant reviews: the restaurant reviewed ("DachA" 6 times, "Мама Рома" 4) was offered
    # as "One-word answers: map as text?".
    names = ["DachA", "Roll & Roll", "Мама Рома", "Тан Жен", "13 маршрут"] + [f"Кафе {i}" for i in range(N - 5)]
    values = [names[i % 5] if i % 3 == 0 else names[i] for i in range(N)]
    df = frame({"date": ["2026-03-02"] * N, "Comment": base()["Comment"], "object": values})
    u = by_column(df, kind)["object"]
    assert (u["reason"], u["suggestion"], u["warning"]) == (REASONS["names"], suggestion, False)
    assert REASONS["names"].startswith("Short names, many of them repeated")


def test_a_0_10_column_without_a_telling_header_is_offered_as_enps():
    df = base(Q7=[i % 11 for i in range(N)])
    u = by_column(df)["Q7"]
    assert (u["reason"], u["suggestion"], u["warning"]) == (REASONS["enps"], "enps", True)


def test_a_rating_on_another_scale_is_a_warning():
    df = base(**{"Workload": [i % 7 + 1 for i in range(N)]})
    u = by_column(df)["Workload"]
    assert u["reason"] == "Looks like a rating item (whole numbers 1–7) outside the rating scale 1–5."
    assert (u["suggestion"], u["warning"]) == ("items", True)
    assert by_column(df, mapping={**suggest_mapping(df, "survey"), "items": ["Workload"]}) == {}


def test_a_rating_on_the_scale_left_out_of_the_mapping_is_a_warning():
    df = base(Workload=[i % 5 + 1 for i in range(N)])
    u = by_column(df, mapping={"wave": "wave", "role": "role", "text": ["Comment"]})["Workload"]
    assert u["reason"] == "Looks like a rating item (whole numbers 1–5) that is not mapped."
    assert (u["suggestion"], u["warning"]) == ("items", True)


def test_an_enps_header_with_values_that_are_not_enps():
    df = base(eNPS=[3 * i for i in range(N)])  # a 0-100 scale, or another column under that header
    u = by_column(df)["eNPS"]
    assert u["reason"] == "The header reads like the eNPS question, but 56 of 60 values are not whole numbers from 0 to 10."
    assert (u["suggestion"], u["warning"]) == ("enps", True)


def test_a_second_column_for_a_field_already_taken():
    df = base(**{"Job title": ["Engineer", "Analyst", "Driver"] * (N // 3)})
    u = by_column(df, mapping={"wave": "wave", "role": "role", "text": ["Comment"]})["Job title"]
    assert u["reason"] == "The header reads like 'Role', which is already mapped to the column 'role'."
    assert u["suggestion"] == "role" and not u["warning"]


@pytest.mark.parametrize("values,code,suggestion", [
    ([None] * N, "empty", None),
    (["same"] * N, "constant", None),
    ([1000 + 37 * i for i in range(N)], "numbers", None),
    ([f"X-{i:05d}" for i in range(N)], "codes", "identifiers"),
    ([f"https://example.org/review/{i}" for i in range(N)], "codes", "identifiers"),
])
def test_other_reasons(values, code, suggestion):
    u = by_column(base(Extra=values), mapping={"wave": "wave", "role": "role", "text": ["Comment"]})["Extra"]
    assert (u["reason"], u["suggestion"], u["warning"]) == (REASONS[code], suggestion, False)


def test_a_count_on_a_rating_scale_is_no_rating_left_out():
    u = by_column(base(count_unhelpful=[1, 2, 5, 3] * (N // 4)))["count_unhelpful"]
    assert (u["reason"], u["warning"]) == (REASONS["numbers"], False)


def test_a_second_date_column_is_named_as_dates():
    df = base(**{"Hire date": [f"2024-0{i % 9 + 1}-1{i % 9}" for i in range(N)]})
    fixed = {"wave": "wave", "role": "role", "text": ["Comment"]}
    assert by_column(df, mapping=fixed)["Hire date"]["reason"] == REASONS["dates"]


def test_free_text_where_the_kind_keeps_one_text_column():
    df = frame({"Session date": ["2026-02-10"] * 6, "Notes": [f"Staff say the queues are long, session {i}" for i in
                                                            range(6)],
                "Other notes": [f"Customers complain about the wait at the tills, day {i}" for i in range(6)]})
    u = by_column(df, "focus")["Other notes"]
    assert (u["reason"], u["suggestion"]) == (REASONS["text"], None)


@pytest.mark.parametrize("kind", KINDS)
def test_every_column_is_mapped_or_listed(kind):
    df = template_frame(kind)
    m = suggest_mapping(df, kind)
    listed = {u["column"] for u in unmapped_columns(df, m, kind)}
    assert listed.isdisjoint(mapped_columns(m)) and listed | mapped_columns(m) == set(df.columns)


def test_warnings_of():
    rows = [{"column": "a", "warning": True}, {"column": "b", "warning": False}]
    assert warnings_of(rows) == [rows[0]]


def test_a_customer_score_left_out_is_offered_as_the_score():
    # SentiRuEval's restaurant reviews as customer feedback: score_food and score_interior (0-10) were "numbers
    # outside any rating scale", and "review_id" read like the comment.
    df = frame({"date": [f"2024-03-{i % 28 + 1:02d}" for i in range(N)],
                "text": [f"The soup was cold and the waiter slow, visit {i}" for i in range(N)],
                "review_id": [3976 + 17 * i for i in range(N)], "score_food": [i % 11 for i in range(N)]})
    got = by_column(df, "customer_feedback")
    assert (got["score_food"]["reason"], got["score_food"]["suggestion"]) == (
        "Looks like a customer score (whole numbers 0–10) that is not mapped: map as Score?", "score")
    assert got["review_id"]["reason"] == REASONS["numbers"]
    assert by_column(df, "customer_feedback", {**suggest_mapping(df, "customer_feedback"), "score": "score_food"}) == {
        "review_id": got["review_id"]}
