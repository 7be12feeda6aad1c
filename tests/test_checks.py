"""What validation finds that is not an error: blanks and placeholders in group columns, years alone."""

import pandas as pd
import pytest

from eevp.errors import ValidationFailed
from eevp.intake.checks import findings
from eevp.intake.ingest import ingest_frame
from eevp.intake.validate import prepare
from eevp.store.auth import CLI_USER


def _exits() -> pd.DataFrame:
    return pd.DataFrame({
        "Cease Date": ["2012", "05/2012", "2013", "14.02.2013", "2012", "01.03.2014"],
        "Position": ["Teacher", "Anonymous Employee", None, "N/A", "-", "Teacher"],
        "Department": ["Education"] * 6,
        "Reason": ["Pay"] * 6})


def test_placeholders_blanks_and_years_alone_are_counted():
    found = {(f["field"], f["code"]): f for f in findings(_exits(), {"exit_date": "Cease Date", "role": "Position",
                                                                    "department": "Department"})}
    assert set(found) == {("role", "blank"), ("role", "placeholder"), ("exit_date", "year_only")}
    assert found["role", "blank"]["count"] == 1 and not found["role", "blank"]["warning"]
    assert found["role", "placeholder"]["count"] == 3
    assert "'Anonymous Employee' 1" in found["role", "placeholder"]["message"]
    years = found["exit_date", "year_only"]
    assert (years["count"], years["warning"]) == (3, True) and "(2012)" in years["message"]


def _ratings(**columns) -> pd.DataFrame:
    return pd.DataFrame({"wave": ["2026-Q1"] * 40, **columns})


def test_a_declared_scale_no_answer_reaches_must_be_confirmed():
    # Answers 1-4 declared on 1-10: every average would read as poor, and nothing said so.
    df = _ratings(Pay=[str(1 + i % 4) for i in range(40)], Team=[str(1 + i % 3) for i in range(40)])
    found = findings(df, {"wave": "wave", "items": ["Pay", "Team"], "scale": {"min": 1, "max": 10}})
    assert [(f["code"], f["field"], f["count"], f["warning"]) for f in found] == [("scale_unreached", "scale", 80, True)]
    assert found[0]["message"].startswith("No answer in the rating columns goes above 4 on the declared scale 1–10 "
                                          "(80 answers): if the questions were asked on 1–4, declare that scale")
    assert findings(df, {"wave": "wave", "items": ["Pay", "Team"], "scale": {"min": 1, "max": 4}}) == []


def test_a_customer_score_below_its_declared_scale_must_be_confirmed():
    # Stars 1-5 uploaded under the default NPS scale 0-10 would count every customer as a detractor.
    df = pd.DataFrame({"date": ["2026-03-02"] * 30, "Stars": [str(1 + i % 5) for i in range(30)]})
    found = findings(df, {"date": "date", "score": "Stars", "scale": {"min": 0, "max": 10}})
    assert [(f["code"], f["count"]) for f in found] == [("scale_unreached", 30)]


def test_a_rating_of_two_neighbouring_points_gets_a_note():
    # IBM's PerformanceRating: only 3 and 4 occur on 1-4 (a manager's rating of the employee).
    df = _ratings(PerformanceRating=["3"] * 34 + ["4"] * 6, JobSatisfaction=[str(1 + i % 4) for i in range(40)])
    found = findings(df, {"wave": "wave", "items": ["PerformanceRating", "JobSatisfaction"],
                          "scale": {"min": 1, "max": 4}})
    assert [(f["code"], f["column"], f["count"], f["warning"]) for f in found] == [
        ("two_points", "PerformanceRating", 40, False)]
    assert found[0]["message"].startswith("Only 3 and 4 occur in 'PerformanceRating' (40 answers on the scale 1–4)")
    few = _ratings(PerformanceRating=["3", "4"] * 5 + [None] * 30)  # ten answers tell nothing yet
    assert findings(few, {"wave": "wave", "items": ["PerformanceRating"], "scale": {"min": 1, "max": 4}}) == []


def test_a_clean_file_has_no_findings():
    df = pd.DataFrame({"wave": ["2026-Q1"] * 3, "role": ["Analyst", "Engineer", "Analyst"], "enps": ["1", "2", "3"]})
    assert prepare("survey", df, {"wave": "wave", "role": "role", "enps": "enps"}).findings == []


def test_findings_reach_the_result_of_an_ingest(engine, settings):
    df = _exits()
    mapping = {"exit_date": "Cease Date", "role": "Position", "reason": "Reason"}
    res = ingest_frame(engine, settings, "exit", df, mapping, actor=CLI_USER)
    assert [(f["field"], f["code"], f["count"]) for f in res.to_json()["findings"]] == [
        ("role", "blank", 1), ("role", "placeholder", 3), ("exit_date", "year_only", 3)]
    # the placeholders are stored as no role, like the blank: "Anonymous Employee" is no group
    roles = engine_roles(engine)
    assert roles == {"Teacher": 2, None: 4}
    bad = df.assign(**{"Cease Date": ["2012", "someday"] + ["2013"] * 4})
    with pytest.raises(ValidationFailed) as exc:
        ingest_frame(engine, settings, "exit", bad, mapping, actor=CLI_USER)
    assert exc.value.result.findings[-1]["count"] == 5  # shown with the errors too


def engine_roles(engine) -> dict:
    from collections import Counter

    from sqlalchemy import select

    from eevp.store import db

    with engine.connect() as conn:
        return dict(Counter(r for (r,) in conn.execute(select(db.exits.c.role))))


def test_a_placeholder_is_no_group_but_a_real_value_like_it_is_kept():
    df = pd.DataFrame({"wave": ["2026-Q1"] * 4, "role": ["Anonymous Employee", "n/a", "Anonymous Employees Union rep",
                                                         "Analyst"], "enps": ["1", "2", "3", "4"]})
    out = prepare("survey", df, {"wave": "wave", "role": "role", "enps": "enps"}).frame
    assert out["role"].tolist() == [None, None, "Anonymous Employees Union rep", "Analyst"]
