"""eevp's reports against a plain pandas computation on real public files (skipped when absent).

For each file: every group eevp shows carries exactly the figure pandas gives from the raw file;
every group smaller than the threshold is hidden; and the groups at or above the threshold that
are hidden anyway are only the complements the anonymity rule needs (few of them).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from eevp.store import queries
from eevp.analytics import reports
from eevp.cli import main
from eevp.intake.ingest import ingest_file, ingest_frame
from eevp.intake.readers import read_table
from eevp.store.auth import CLI_USER
from tests.conftest import external

GLASSDOOR_RATINGS = ["work_life_balance", "culture_values", "diversity_inclusion", "career_opp", "comp_benefits",
                     "senior_mgmt"]
IBM_ITEMS = ["EnvironmentSatisfaction", "JobSatisfaction", "RelationshipSatisfaction", "WorkLifeBalance"]


def raw_groups(values: pd.Series) -> pd.Series:
    """Group labels as eevp reads them: stripped; empty cells and placeholders ("Anonymous Employee", the
    list in resources/mapping/rows.json) become "(not given)"."""
    from eevp.intake.checks import is_placeholder

    s = values.astype("string").str.strip()
    given = s.notna() & (s != "") & ~s.map(lambda v: pd.notna(v) and is_placeholder(v)).astype(bool)
    return s.where(given, "(not given)").astype(object)


def check_means(table: pd.DataFrame, raw: pd.DataFrame, by: pd.Series, items: list[str], threshold: int) -> dict:
    """Compare eevp's per-group means (a segment_summary table) with ``raw.groupby(by)``."""
    sizes = by.value_counts()
    expected = raw[items].apply(pd.to_numeric, errors="coerce").groupby(by.to_numpy()).mean()
    t = table.set_index("group")
    assert set(t.index) == set(sizes.index)
    visible = t.index[~t["suppressed"]]
    assert len(visible) > 0
    for g in visible:
        assert t.loc[g, "n"] == sizes[g] >= threshold
        for item in items:
            got, want = t.loc[g, f"mean::{item}"], expected.loc[g, item]
            assert (np.isnan(got) and np.isnan(want)) or got == pytest.approx(want, rel=1e-12), (g, item)
    small = sizes.index[sizes < threshold]
    assert t.loc[small, "suppressed"].all()
    assert t.loc[t["suppressed"], "n"].isna().all()
    big_hidden = [g for g in t.index[t["suppressed"]] if sizes[g] >= threshold]
    return {"visible": len(visible), "small": len(small), "big_hidden": big_hidden, "sizes": sizes}


# --------------------------------------------------------------------------- Glassdoor reviews as a survey

@pytest.fixture
def glassdoor(engine, settings):
    path = external("glassdoor-job-reviews-uk-sample", "glassdoor_reviews.csv")
    mapping = {"role": "job_title", "wave": "date_review", "location": "location", "items": GLASSDOOR_RATINGS,
               "text": ["pros", "cons"]}
    res = ingest_file(engine, settings, "survey", path.read_bytes(), path.name, mapping, actor=CLI_USER)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert res.rows_stored == len(raw)
    return raw


def test_glassdoor_mean_rating_per_job_title_equals_pandas(engine, settings, glassdoor):
    raw = glassdoor
    threshold = settings.min_group_size
    wide, items = queries.survey_wide(engine), queries.survey_items(engine)
    table = reports.segment_summary(wide, items, "role", threshold)
    out = check_means(table, raw, raw_groups(raw["job_title"]), GLASSDOOR_RATINGS, threshold)
    sizes = out["sizes"]
    assert out["small"] > 1000  # most job titles are rare: the check is not empty
    # Complements hidden on top of the small groups: a handful among the ~240 titles of 5 or more.
    big = int((sizes >= threshold).sum())
    assert len(out["big_hidden"]) <= 0.1 * big, out["big_hidden"]
    assert out["visible"] == big - len(out["big_hidden"])


# --------------------------------------------------------------------------- IBM HR attrition as a survey

@pytest.mark.parametrize("threshold", [5, 100])
def test_ibm_satisfaction_per_job_role_equals_pandas(engine, settings, threshold):
    path = external("ibm-hr-attrition", "WA_Fn-UseC_-HR-Employee-Attrition.csv")
    df = read_table(path.read_bytes(), path.name)
    df["Survey wave"] = "2017-Q1"  # the file has no date: one wave
    mapping = {"role": "JobRole", "department": "Department", "wave": "Survey wave", "items": IBM_ITEMS,
               "scale": {"min": 1, "max": 4}}
    res = ingest_frame(engine, settings, "survey", df, mapping, name=path.name, actor=CLI_USER)
    raw = pd.read_csv(path)
    assert res.rows_stored == len(raw) == 1470
    table = reports.segment_summary(queries.survey_wide(engine), queries.survey_items(engine), "role", threshold)
    out = check_means(table, raw, raw_groups(raw["JobRole"]), IBM_ITEMS, threshold)
    if threshold == 5:
        assert out["visible"] == 9 and out["big_hidden"] == []  # every role has 52 or more people
    else:
        # Human Resources (52), Research Director (80), Sales Representative (83) are under 100.
        assert out["small"] == 3 and out["visible"] >= 4
        # All three sit in their own departments next to larger roles: nothing else needs hiding
        # unless the department tables would give them away.
        assert len(out["big_hidden"]) <= 2


# --------------------------------------------------------------------------- DETE exit surveys

def test_dete_reason_counts_per_position_equal_pandas(engine, settings, monkeypatch, capsys, tmp_path):
    path = external("qld-dete-tafe-exit-surveys", "dete_survey.csv")
    mapping = {"role": "Position", "exit_date": "Cease Date", "reason": "SeparationType"}
    res = ingest_file(engine, settings, "exit", path.read_bytes(), path.name, mapping, skip_invalid=True, actor=CLI_USER)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    valid = raw["Cease Date"].str.fullmatch(r"\d{4}|\d{1,2}/\d{4}")
    assert res.rows_stored == int(valid.sum())
    raw = raw[valid]
    threshold = settings.min_group_size
    # What `python -m eevp report exits --by role --json` prints.
    monkeypatch.setenv("EEVP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("EEVP_MIN_GROUP", raising=False)
    capsys.readouterr()
    assert main(["report", "exits", "--by", "role", "--db", settings.database_url, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    position = raw_groups(raw["Position"])
    sizes = position.value_counts()
    counts = raw.assign(position=position.to_numpy(), reason=raw_groups(raw["SeparationType"]).to_numpy()) \
        .groupby(["position", "reason"]).size()
    groups = {g["group"]: g for g in report["groups"]}
    assert set(groups) == set(sizes.index)
    shown = hidden_cells = 0
    for name, g in groups.items():
        if sizes[name] < threshold:
            assert g["suppressed"] and g["n"] is None and g["reasons"] == {}
            continue
        if g["suppressed"]:
            continue  # a complement: checked below that there are few
        assert g["n"] == sizes[name]
        expected = counts.loc[name].to_dict()
        assert set(expected) <= set(g["reasons"])  # every reason given is listed (hidden ones as None)
        for reason, n in g["reasons"].items():
            if n is None:
                hidden_cells += 1
            else:
                shown += 1
                assert n == expected[reason]
        assert all(g["reasons"][r] is None for r, n in expected.items() if n < threshold)
    assert shown > 10 and hidden_cells > 0
    big_hidden = [n for n, g in groups.items() if g["suppressed"] and sizes[n] >= threshold]
    assert len(big_hidden) <= 3, big_hidden
