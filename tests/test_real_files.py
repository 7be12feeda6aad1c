"""Ingest real files that no one on this project wrote (skipped when ../shared is absent)."""

import pandas as pd
import pytest
from sqlalchemy import func, select

from eevp.store import db, queries
from eevp.intake.ingest import ingest_file
from eevp.intake.statements import split_statements
from eevp.store.auth import CLI_USER
from tests.conftest import external

RATINGS = ["work_life_balance", "culture_values", "diversity_inclusion", "career_opp", "comp_benefits",
           "senior_mgmt"]


def _count(engine, table):
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_glassdoor_as_survey(engine, settings):
    path = external("glassdoor-job-reviews-uk-sample", "glassdoor_reviews.csv")
    mapping = {"role": "job_title", "wave": "date_review", "location": "location", "items": RATINGS,
               "text": ["pros", "cons"]}
    res = ingest_file(engine, settings, "survey", path.read_bytes(), path.name, mapping, actor=CLI_USER)
    raw = pd.read_csv(path)
    assert res.rows_stored == len(raw) == 9999
    assert len(queries.score_rows(engine)) == int(raw[RATINGS].notna().sum().sum())
    # The reader keeps "None", "NA"... as text, as a person typed them; count them likewise.
    raw_text = pd.read_csv(path, keep_default_na=False, dtype=str)
    cells = [v for c in ("pros", "cons") for v in raw_text[c] if v.strip()]
    statements = sum(len(split_statements(v.strip()) or [v]) for v in cells)  # comments are split
    assert _count(engine, db.text_units) == statements > len(cells)


def test_dete_exit_survey(engine, settings):
    path = external("qld-dete-tafe-exit-surveys", "dete_survey.csv")
    mapping = {"role": "Position", "exit_date": "Cease Date", "reason": "SeparationType",
               "department": "Business Unit", "location": "Region",
               "other_reasons": ["Job dissatisfaction", "Workload", "Work life balance", "Lack of recognition"]}
    res = ingest_file(engine, settings, "exit", path.read_bytes(), path.name, mapping, skip_invalid=True, actor=CLI_USER)
    raw = pd.read_csv(path)
    valid = raw["Cease Date"].astype(str).str.fullmatch(r"\d{4}|\d{1,2}/\d{4}")
    assert res.rows_stored == int(valid.sum())
    assert res.rows_rejected == int((~valid).sum())
    assert {e["column"] for e in res.errors} == {"Cease Date"}
    with engine.connect() as conn:
        stored = pd.DataFrame(conn.execute(select(db.exits.c.role, db.exits.c.reason)).all(), columns=["r", "s"])
    expected = raw[valid].groupby(["Position", "SeparationType"]).size()
    got = stored.groupby(["r", "s"]).size()
    pd.testing.assert_series_equal(got.sort_index(), expected.sort_index(), check_names=False)


def test_indeed_as_exits_with_text(engine, settings):
    path = external("indeed-canadian-city-employer-reviews", "indeed_city_employer_reviews.csv")
    mapping = {"role": "position", "exit_date": "date_created", "department": "employer",
               "text": ["text", "pros", "cons"]}
    res = ingest_file(engine, settings, "exit", path.read_bytes(), path.name, mapping, skip_invalid=True,
                      actor=CLI_USER)
    raw = pd.read_csv(path, lineterminator="\n")  # rows end with LF; a bare CR is a line break in a cell
    valid = pd.to_datetime(raw["date_created"], format="%B %d, %Y", errors="coerce").notna()
    assert int(valid.sum()) == len(raw) == 3049
    assert res.rows_stored == int(valid.sum())
    assert _count(engine, db.exits) == int(valid.sum())
    assert _count(engine, db.text_units) > int(valid.sum())  # answers are split into statements
