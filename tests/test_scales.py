"""Answers given as words of a scale: recognised in three languages, offered as rating items and
turned into points; unknown words are named, and the user's numbers for them are used."""

import numpy as np
import pandas as pd
import pytest

from eevp.intake.mapping import find_template, save_template, suggest_mapping
from eevp.intake.scales import (NO_ANSWER, conversions, item_labels, label_scale, numbers_scale, to_points,
                                 with_labels)
from eevp.intake.unmapped import unmapped_columns
from eevp.intake.validate import prepare
from eevp.store.auth import CLI_USER
from tests.test_cli import cli, ingest  # noqa: F401 - cli is a fixture

EN5 = ["Strongly agree", "Agree", "Neutral", "Disagree", "Strongly disagree"]
RU5 = ["Полностью согласен", "Скорее согласен", "Затрудняюсь ответить", "Скорее не согласен", "Полностью не согласен"]
UK5 = ["Повністю згоден", "Скоріше згоден", "Важко відповісти", "Не згоден", "Повністю не згоден"]


@pytest.mark.parametrize("words,points", [
    (EN5, {"strongly agree": 5, "agree": 4, "neutral": 3, "disagree": 2, "strongly disagree": 1}),
    (["SA", "A", "N", "D", "SD"], {"sa": 5, "a": 4, "n": 3, "d": 2, "sd": 1}),
    (RU5, {"полностью согласен": 5, "скорее согласен": 4, "затрудняюсь ответить": 3, "скорее не согласен": 2,
           "полностью не согласен": 1}),
    (UK5, {"повністю згоден": 5, "скоріше згоден": 4, "важко відповісти": 3, "не згоден": 2, "повністю не згоден": 1}),
    (["Very satisfied", "Satisfied", "Dissatisfied"], {"very satisfied": 5, "satisfied": 4, "dissatisfied": 2}),
])
def test_known_scales_in_three_languages(words, points):
    found = label_scale(pd.Series(words * 3))
    assert found == {"points": 5, "words": points}


def test_the_scale_with_that_many_points_is_taken():
    seven = ["Strongly agree", "Somewhat agree", "Agree", "Somewhat disagree", "Neither agree nor disagree"]
    assert label_scale(pd.Series(seven * 2))["points"] == 7
    assert label_scale(pd.Series(seven * 2))["words"]["agree"] == 6
    four = ["Strongly agree", "Agree", "Disagree", "Strongly disagree"] * 6  # 24 answers, none in the middle
    assert label_scale(pd.Series(four)) == {"points": 4, "words": {"strongly agree": 4, "agree": 3, "disagree": 2,
                                                                   "strongly disagree": 1}}
    assert label_scale(pd.Series(four[:8]))["points"] == 5  # too few answers to say there is no middle


def test_segments_and_free_text_are_not_scales():
    assert label_scale(pd.Series(["Sales", "IT", "Sales", "HR"] * 3)) is None
    assert label_scale(pd.Series(["Agree"] * 10)) is None  # one label only: nothing says it is a scale
    assert label_scale(pd.Series(["I agree with the plan", "Strongly agree", "no idea", "later", "n/a"])) is None


def _survey(words: list) -> pd.DataFrame:
    n = len(words)
    return pd.DataFrame({"wave": ["2026-Q1"] * n, "Department": (["Sales", "IT"] * n)[:n],
                         "I would stay here for two years": words})


def test_a_column_of_scale_words_is_offered_as_a_rating_item_and_converted():
    df = _survey(EN5 * 2 + ["strongly agree."])
    m = suggest_mapping(df, "survey")
    assert m["items"] == ["I would stay here for two years"] and m["department"] == "Department"
    prep = prepare("survey", df, m)
    assert prep.errors == []
    assert prep.frame["item::I would stay here for two years"].tolist() == [5, 4, 3, 2, 1] * 2 + [5]
    assert prep.items == [{"item": "I would stay here for two years", "min": 1, "max": 5}]


def test_unknown_words_are_named_and_the_users_numbers_are_used():
    df = _survey(RU5 * 2 + ["Скорее да"])
    m = suggest_mapping(df, "survey")
    (report,) = conversions(df, m)
    assert report["unknown"] == ["скорее да"] and report["converted"]["скорее согласен"] == 4
    (error,) = prepare("survey", df, m).errors
    assert (error["row"], error["value"]) == (12, "Скорее да") and "Give it a number" in error["message"]
    fixed = with_labels(m, {"I would stay here for two years": {"Скорее да": 4, "ignored": None}})
    assert prepare("survey", df, fixed).errors == [] and conversions(df, fixed)[0]["unknown"] == []
    assert prepare("survey", df, fixed).frame["item::I would stay here for two years"].iloc[-1] == 4


def test_a_word_given_as_no_answer_is_stored_empty_and_kept_by_the_mapping():
    df = _survey(["SA", "A", "N", "D", "SD", "M"] * 2).assign(Pay=[str(i % 5 + 1) for i in range(12)])
    m = item_labels(df, {"wave": "wave", "items": ["I would stay here for two years", "Pay"]})
    assert conversions(df, m)[0]["unknown"] == ["m"] and prepare("survey", df, m).errors
    fixed = with_labels(m, {"I would stay here for two years": {"M": NO_ANSWER}})
    prep = prepare("survey", df, fixed)
    assert prep.errors == [] and conversions(df, fixed)[0]["no_answer"] == ["m"]
    stored = prep.frame["item::I would stay here for two years"]
    assert stored.tolist()[:5] == [5, 4, 3, 2, 1] and stored.isna().tolist() == [False] * 5 + [True] + [False] * 5 + [True]
    assert with_labels(fixed, {})["labels"]["I would stay here for two years"]["no_answer"] == ["m"]  # kept on copy
    assert with_labels(fixed, {"I would stay here for two years": {"m": 3}})["labels"][
        "I would stay here for two years"]["words"]["m"] == 3


def test_a_seven_point_item_keeps_its_range_beside_five_point_numbers():
    words = ["Strongly agree", "Somewhat agree", "Agree", "Somewhat disagree", "Strongly disagree"] * 2
    df = _survey(words).assign(Pay=[str(i % 5 + 1) for i in range(10)])
    m = item_labels(df, {"wave": "wave", "items": ["I would stay here for two years", "Pay"]})
    prep = prepare("survey", df, m)
    assert prep.errors == [] and prep.frame["item::I would stay here for two years"].max() == 7
    assert [(i["item"], i["max"]) for i in prep.items] == [("I would stay here for two years", 7), ("Pay", 5)]


def test_numbers_pass_through_the_conversion():
    values, unknown = to_points(pd.Series(["Agree", "4", None, "maybe"]), {"points": 5, "words": {"agree": 4}})
    assert values.tolist() == ["4", "4", None, "maybe"] and unknown == [3]


def test_cli_converts_known_scales_and_exits_2_naming_unknown_words(cli, tmp_path):
    rows = "".join(f"2026-Q1,{('Sales', 'IT')[i % 2]},{w}\n" for i, w in enumerate(UK5 * 2))
    rc, out, _ = ingest(cli, tmp_path, "survey", "wave,Department,Engagement\n" + rows, None, "uk.csv")
    assert rc == 0 and out["rows_stored"] == 10 and out["mapping"]["items"] == ["Engagement"]
    assert out["labels"][0]["converted"]["скоріше згоден"] == 4
    rc, out, _ = ingest(cli, tmp_path, "survey", "wave,Department,Engagement\n" + rows + "2026-Q1,IT,Ніяк\n", None,
                        "uk2.csv")
    assert rc == 2 and [(e["row"], e["value"]) for e in out["errors"]] == [(12, "Ніяк")]
    assert out["labels"][0]["unknown"] == ["ніяк"] and "Give it a number" in out["errors"][0]["message"]


def test_an_unmapped_column_of_scale_words_is_a_warning():
    df = _survey(EN5 * 2)
    (left,) = unmapped_columns(df, {"wave": "wave", "department": "Department", "items": []}, "survey")
    assert left["warning"] and left["suggestion"] == "items" and "5-point rating scale" in left["reason"]


def test_a_saved_template_keeps_the_labels_of_its_items(engine):
    df = _survey(EN5 * 2 + ["Sorta"])
    m = with_labels(suggest_mapping(df, "survey"), {"I would stay here for two years": {"Sorta": 3}})
    save_template(engine, "words", "survey", list(df.columns), m, actor=CLI_USER)
    respelled = df.rename(columns={"I would stay here for two years": "I would stay here for two  YEARS"})
    found = find_template(engine, "survey", list(respelled.columns))
    assert found["labels"]["I would stay here for two  YEARS"]["words"]["sorta"] == 3
    assert prepare("survey", respelled, found).errors == []


@pytest.mark.parametrize("columns,expected", [
    ([[1, 2, 3, 4]] * 6 + [[1, 2, 3, 4, 5]] * 2, {"min": 1, "max": 4}),  # IBM: six items on 1-4, two codes on 1-5
    ([[0, 5, 10]] * 3, {"min": 0, "max": 10}),  # the restaurant scores
    ([[0, 5, 10], [1, 3, 5]], {"min": 1, "max": 5}),  # one 0-10 column (eNPS) says nothing
    ([[1, 2, 4]] * 2 + [[1, 4, 7]] * 2, {"min": 1, "max": 5}),  # a tie
    ([[1, 4, 8]] * 3, {"min": 1, "max": 5}),  # 1-8 is no scale
    ([[1, 2]] * 3, {"min": 1, "max": 5}),  # two answers tell nothing
    ([[1, 2.5, 4]] * 3, {"min": 1, "max": 5}),  # not whole numbers
])
def test_numbers_scale(columns, expected):
    got = numbers_scale([np.array(c, dtype=float) for c in columns], {"min": 1, "max": 5})
    assert got == expected
