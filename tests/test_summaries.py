"""Summaries of themes: typical and different quotes, one per person, never from a small group, deterministic."""

import numpy as np
import pandas as pd
import pytest

from eevp.analytics import summaries
from eevp.store.queries import NOT_GIVEN
from eevp.analytics.summaries import lead_line, lead_parts, pick_quotes, summarise_themes, summary_groups


def _units(n_people, theme, dept="Sales", kind="survey", start=0, per_person=1, sentiment="negative", period="W1"):
    rows = []
    for p in range(n_people):
        for s in range(per_person):
            rows.append({"unit_id": start + p * per_person + s, "theme_id": theme, "person": f"{dept}-{theme}-{p}",
                         "kind": kind, "department": dept, "role": "Agent", "sentiment": sentiment,
                         "wave": period, "date": None})
    return pd.DataFrame(rows)


def _vectors(n, dim=16, seed=0, centre=None):
    rng = np.random.default_rng(seed)
    c = np.zeros(dim) if centre is None else centre
    return (c + rng.normal(size=(n, dim))).astype(np.float32)


def test_pick_quotes_takes_one_statement_per_person():
    vectors = _vectors(40)
    persons = np.repeat([f"p{i}" for i in range(8)], 5)  # 8 people, 5 statements each
    picked = pick_quotes(vectors, persons, k=5)
    assert len(picked) == 5
    assert len({persons[i] for i in picked}) == 5


def test_pick_quotes_are_typical_and_different():
    dim = 8
    centre = np.eye(dim)[0] * 3
    typical = np.tile(centre, (6, 1)) + np.eye(dim)[1] * 0.01  # six near copies of the centre
    other = centre + np.eye(dim)[2] * 1.5                     # typical too, and different
    outlier = -centre                                           # far from the theme
    vectors = np.vstack([typical, other, outlier]).astype(np.float32)
    persons = [f"p{i}" for i in range(len(vectors))]
    picked = pick_quotes(vectors, persons, k=3)
    assert picked[0] < 6  # the first is the most typical
    assert sum(i < 6 for i in picked) == 1  # near copies are quoted once
    assert 6 in picked and 7 not in picked[:2]


def test_pick_quotes_is_deterministic():
    vectors = _vectors(300, seed=3)
    persons = [f"p{i % 120}" for i in range(300)]
    assert pick_quotes(vectors, persons) == pick_quotes(vectors.copy(), list(persons))


def test_summaries_never_quote_a_theme_of_fewer_than_ten_people():
    big = _units(12, 0)
    small = _units(9, 1, start=1000, per_person=3)  # 27 statements from 9 people: still too few
    units = pd.concat([big, small], ignore_index=True)
    out = summarise_themes(units, _vectors(len(units)), threshold=10)
    assert set(out) == {0}
    assert set(out[0].quote_ids) <= set(big["unit_id"])
    assert 3 <= len(out[0].quote_ids) <= 5


def test_summaries_never_quote_two_statements_of_one_person():
    units = _units(10, 0, per_person=6)
    out = summarise_themes(units, _vectors(len(units), seed=5), threshold=10)
    people = units.set_index("unit_id").loc[list(out[0].quote_ids), "person"]
    assert people.is_unique and len(people) == 5


def test_statements_without_a_vector_are_not_quoted():
    units = _units(12, 0)
    vectors = _vectors(12)
    vectors[:6] = np.nan
    out = summarise_themes(units, vectors, threshold=10)
    assert set(out[0].quote_ids) <= set(range(6, 12))
    assert out[0].parts["people"] == 12


def test_summaries_do_not_depend_on_the_row_order():
    units = pd.concat([_units(15, 0), _units(14, 1, start=500, dept="Ops")], ignore_index=True)
    vectors = _vectors(len(units), seed=9)
    shuffled = np.random.default_rng(1).permutation(len(units))
    a = summarise_themes(units, vectors, 10)
    b = summarise_themes(units.iloc[shuffled], vectors[shuffled], 10)
    assert {k: v.quote_ids for k, v in a.items()} == {k: v.quote_ids for k, v in b.items()}


def test_lead_parts_count_people_departments_source_and_tone():
    units = pd.concat([_units(8, 0, dept="Sales", kind="exit"), _units(4, 0, dept="Ops", kind="survey", start=100),
                       _units(3, 0, dept="IT", kind="exit", start=200, sentiment="positive")], ignore_index=True)
    parts = lead_parts(summaries.with_period(units))
    assert parts["people"] == 15 and parts["departments"] == 3
    assert parts["mostly"] == "exit" and parts["tone"] == "negative"
    assert parts["tone_share"] == pytest.approx(12 / 15)
    assert lead_line(parts) == "15 people in 3 departments, mostly leavers, 80% negative"


@pytest.mark.parametrize("missing", [NOT_GIVEN, None])
def test_a_department_that_is_not_given_is_not_counted_as_one(missing):
    # A file with no department column: "10 people in 1 department" beside "0 departments" on the card.
    units = pd.concat([_units(10, 0, dept=missing), _units(10, 1, dept=missing, start=100),
                       _units(3, 1, dept="Sales", start=200)], ignore_index=True)
    vectors = _vectors(len(units))
    one = lead_parts(summaries.with_period(units[units["theme_id"] == 0]))
    assert one["departments"] is None and lead_line(one) == "10 people, mostly survey comments, 100% negative"
    table = summarise_themes(units, vectors, 10)
    assert table[0].parts["departments"] is None
    assert table[1].parts["departments"] == 1 and table[1].parts["people"] == 13


def test_lead_line_in_russian_and_ukrainian():
    parts = {"people": 42, "departments": 6, "mostly": "exit", "tone": "negative", "tone_share": 0.8,
             "trend": ("rising", "2026-Q1")}
    assert lead_line(parts) == "42 people in 6 departments, mostly leavers, 80% negative, rising since 2026-Q1"
    ru, uk = lead_line(parts, "ru"), lead_line(parts, "uk")
    assert "42" in ru and "2026-Q1" in ru and ru != uk and "people" not in ru + uk


def test_a_theme_rising_over_three_waves_says_since_when():
    writers = []
    for w, (n_theme, n_other) in zip(["W1", "W2", "W3"], [(10, 40), (15, 35), (30, 20)]):
        writers.append(_units(n_theme, 0, period=w, start=len(writers) * 100 + 1000 * len(w)))
    units = pd.concat(writers, ignore_index=True)
    units["unit_id"] = range(len(units))
    units["person"] = units["person"] + units["wave"]
    others = pd.concat([_units(n, 1, dept="Ops", period=w, start=10_000 + i * 100)
                        for i, (w, n) in enumerate([("W1", 40), ("W2", 35), ("W3", 20)])], ignore_index=True)
    others["person"] = others["person"] + others["wave"]
    units = pd.concat([units, others], ignore_index=True)
    out = summarise_themes(units, _vectors(len(units)), 10)
    assert out[0].parts["trend"] == ("rising", "W1")
    assert out[1].parts["trend"] == ("falling", "W1")


def test_groups_of_a_theme_need_ten_people_and_are_not_recoverable():
    units = pd.concat([_units(12, 0, dept="Sales"), _units(11, 0, dept="Ops", start=100),
                       _units(3, 0, dept="IT", start=200), _units(20, 1, dept="IT", start=300)], ignore_index=True)
    groups = summary_groups(units, 0, ["department"], 10)
    assert ("department", "IT") not in groups
    assert all(v != "IT" for _, v in groups)
    s = summaries.summarise_group(units, _vectors(len(units)), 0, "department", "IT", 10)
    assert s is None


# --------------------------------------------------------------------------- the benchmark against random quotes

def test_the_benchmark_measures_typicality_redundancy_people_and_length():
    from benchmarks.bench_summary_quotes import measure, random_quotes

    unit = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
    units = pd.DataFrame({"person": ["a", "b", "a"], "text": ["abcd", "ab", "abcdef"]})
    got = measure([0, 1, 2], unit, np.array([1.0, 0.0]), units)
    assert got == {"typicality": pytest.approx(2 / 3), "redundancy": pytest.approx(1 / 3), "people": 2,
                   "length": pytest.approx(4.0)}
    texts = pd.Series(["Same words", "same  WORDS", "a much longer statement", "short"])
    picked = random_quotes(np.arange(4), texts, 2)
    assert picked[0] == 2 and set(picked) <= {0, 1, 2, 3} and not {0, 1} <= set(picked)


def test_the_benchmark_takes_ten_themes_of_ten_people_along_the_ranking():
    from benchmarks.bench_summary_quotes import pick_themes

    units = pd.DataFrame({"theme_id": np.repeat(np.arange(-1, 20), 30),
                          "person": [f"p{i % (10 + t)}" for t in range(-1, 20) for i in range(30)]})
    units.loc[units["theme_id"] == 19, "person"] = "one"  # a theme of one person is never taken
    picked = pick_themes(units)
    assert len(picked) == 10 and 19 not in picked and -1 not in picked
    assert picked[0] == 18 and picked[-1] == 0  # the most people first, the fewest last
