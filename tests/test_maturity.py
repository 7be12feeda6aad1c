import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import insert, select

from tests.conftest import give_account
from eevp import i18n
from eevp.store import db
from eevp.analytics import maturity
from eevp.store.auth import User
from eevp.errors import AccessDenied, InputError

PAGE = Path(__file__).resolve().parents[1] / "pages" / "7_CX_maturity.py"
CX = User("c", "cx")
AS_OF = date(2026, 11, 25)  # last complete quarter: 2026-Q3
CHECKLIST = {"strategy": 1, "customers": 2, "staff": 0, "voice": 2, "technology": 1, "management": 2}
LEVELS = {"ownership": 2, "customer_knowledge": 3, "people": 1, "voice": 4, "technology": 2, "management": 3}


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --------------------------------------------------------------------------- a small synthetic organisation

def _add(conn, table, **values) -> int:
    return conn.execute(insert(table).values(**values)).inserted_primary_key[0]


def _batch(conn, kind: str, created: datetime) -> int:
    return _add(conn, db.batches, kind=kind, name=f"test {kind}", content_hash=f"hash-{kind}", created_at=created,
                rows_read=0, rows_stored=0, rows_rejected=0, is_demo=False)


def _unit(conn, batch: int, kind: str, record: int, key: str | None, dept: str, when: date | None, wave=None,
          tag: dict | None = None) -> int:
    unit = _add(conn, db.text_units, batch_id=batch, kind=kind, record_id=record, record_no=record,
                respondent_key=key, question="comment", seq=0, role="Agent", department=dept, wave=wave,
                date=when, text=f"statement {kind} {record}", text_hash=f"{kind}-{record}-{key}-{tag is None}")
    if tag is not None:
        conn.execute(insert(db.statement_tags).values(
            unit_id=unit, batch_id=batch, about_customers=tag.get("about", False), stage=tag.get("stage"),
            sentiment=tag.get("sentiment", "neutral"), incident=tag.get("incident", False), tagger_version="t"))
    return unit


def build_org(engine) -> None:
    """Survey (2 waves, 6 comments + 1 untagged), 20 leavers (10 speak about customers, 7 of them
    in 2026-Q3), 2 focus sessions; one customer theme model; 4 tag reviews."""
    with engine.begin() as conn:
        survey = _batch(conn, "survey", utc(2026, 10, 1))
        exit_batch = _batch(conn, "exit", utc(2026, 10, 2))
        focus = _batch(conn, "focus", utc(2026, 10, 3))
        late = []
        for i in range(6):
            wave, when = ("2026 spring", date(2026, 4, 15)) if i < 3 else ("2026 autumn", date(2026, 10, 15))
            rid = _add(conn, db.survey_responses, batch_id=survey, record_no=i + 1, respondent_key=f"s{i}",
                       wave=wave, wave_date=when, role="Agent", department="Sales")
            tag = {"about": i < 3, "stage": "support" if i < 2 else None,
                   "sentiment": "negative" if i == 0 else "positive"}
            _unit(conn, survey, "survey", rid, f"s{i}", "Sales", when, wave, tag)
        _unit(conn, survey, "survey", rid, "s5", "Sales", date(2026, 10, 15), "2026 autumn", None)  # untagged
        depts = ["Sales", "Support", "Logistics", "Ops"]
        for i in range(20):
            when = date(2026, 7, 1 + i) if i < 7 else date(2026, 5, 10)
            dept = depts[i % 4]
            eid = _add(conn, db.exits, batch_id=exit_batch, record_no=i + 1, respondent_key=f"e{i}",
                       exit_date=when, role="Agent", department=dept)
            if i < 10:
                stage = "delivery" if i < 6 else "billing" if i < 8 else None
                late.append(_unit(conn, exit_batch, "exit", eid, f"e{i}", dept, when, tag={
                    "about": True, "stage": stage, "sentiment": "negative", "incident": i < 3}))
            _unit(conn, exit_batch, "exit", eid, f"e{i}", dept, when, tag={"about": False})
        for i, when in enumerate([date(2026, 6, 9), date(2026, 9, 23)]):
            fid = _add(conn, db.focus_sessions, batch_id=focus, record_no=i + 1, session_date=when,
                       role="Agents", department="Support", participants=8)
            _unit(conn, focus, "focus", fid, None, "Support", when, tag={"about": i == 0, "stage": "sales"})
            _unit(conn, focus, "focus", fid, None, "Support", when, tag={"about": False})
        model = _add(conn, db.theme_models, scope="customers", model_id="test", created_at=utc(2026, 10, 5),
                     n_units=14, is_current=True, stale=False)
        conn.execute(insert(db.themes), [
            {"model_row": model, "theme_id": 0, "label": "Late deliveries", "label_edited": False, "size": 10},
            {"model_row": model, "theme_id": 1, "label": "Slow support", "label_edited": False, "size": 3}])
        conn.execute(insert(db.theme_assignments), [
            {"model_row": model, "unit_id": u, "theme_id": 0, "batch_id": exit_batch} for u in late])
        conn.execute(insert(db.theme_labels).values(scope="customers", keywords_json='["late"]',
                                                    label="Late deliveries", edited_at=utc(2026, 10, 6)))
        for n, (unit, pred, true, who) in enumerate(
                [(late[0], True, True, "c"), (late[1], True, True, "c"), (late[2], True, False, "d"),
                 (late[3], False, False, "d")]):
            _add(conn, db.tag_reviews, unit_id=unit, text_hash=f"r{n}", reviewer=who,
                 reviewed_at=utc(2026, 10, 10 + 10 * (n == 3)), tagged_about_customers=pred, about_customers=true)


def facts(ev: dict, dimension: str) -> dict:
    return {f.key: (None if f.suppressed else f.value) for f in ev[dimension]}


# --------------------------------------------------------------------------- checklist and model

def test_checklist_and_model_are_complete():
    assert [q.key for q in maturity.CHECKLIST] == list(CHECKLIST)
    assert [d.key for d in maturity.DIMENSIONS] == list(LEVELS)
    assert all(len(d.levels) == 5 and all(d.levels) for d in maturity.DIMENSIONS)
    assert {q.dimension for q in maturity.CHECKLIST} == set(LEVELS)


def test_checklist_is_read_from_its_data_file_with_every_text_translated():
    data = json.loads(maturity.CHECKLIST_PATH.read_text(encoding="utf-8"))
    assert [q["text"] for q in data["checklist"]] == [q.text for q in maturity.CHECKLIST]
    assert [d["levels"] for d in data["dimensions"]] == [list(d.levels) for d in maturity.DIMENSIONS]
    texts = [*maturity.ANSWERS.values(), *maturity.LEVEL_NAMES.values()]
    texts += [x for q in maturity.CHECKLIST for x in (q.text, q.yes_means)]
    texts += [x for d in maturity.DIMENSIONS for x in (d.name, d.description, *d.levels)]
    for lang in ("ru", "uk"):
        assert [x for x in texts if i18n._catalog(lang).get(x) is None] == [], lang


def test_package_does_not_import_streamlit():
    code = "import sys, eevp.analytics.maturity; assert 'streamlit' not in sys.modules"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# --------------------------------------------------------------------------- save and list

def test_save_and_list_roundtrip(engine):
    first = maturity.save_assessment(engine, CX, CHECKLIST, LEVELS, "  Baseline <b>before</b> the CX plan. ",
                                     assessed_at=utc(2026, 5, 1, 9))
    better = {**LEVELS, "people": 3, "management": 4}
    second = maturity.save_assessment(engine, User("boss", "admin"), {k: 2 for k in CHECKLIST}, better,
                                      assessed_at=datetime(2026, 11, 2, 9))  # naive: read as UTC
    df = maturity.list_assessments(engine)
    assert df["id"].tolist() == [first, second]
    assert df["assessed_by"].tolist() == ["c", "boss"]
    assert df["assessed_at"].dt.date.tolist() == [date(2026, 5, 1), date(2026, 11, 2)]
    assert df["notes"].tolist()[0] == "Baseline <b>before</b> the CX plan."
    assert df["notes"].isna().tolist() == [False, True]
    assert {k: int(df.iloc[0][f"checklist.{k}"]) for k in CHECKLIST} == CHECKLIST
    assert {k: int(df.iloc[1][f"level.{k}"]) for k in LEVELS} == better
    assert df["checklist_score"].round(4).tolist() == [round(8 / 12, 4), 1.0]
    assert df["mean_level"].round(4).tolist() == [2.5, 3.0]
    with engine.connect() as conn:
        log = conn.execute(select(db.audit_log.c.username, db.audit_log.c.action, db.audit_log.c.detail)
                           .order_by(db.audit_log.c.id)).all()
    assert [tuple(r) for r in log] == [
        ("c", "cx_assessment", f"assessment {first}: checklist 8/12, mean level 2.5"),
        ("boss", "cx_assessment", f"assessment {second}: checklist 12/12, mean level 3.0")]


def test_latest_scores_start_the_next_assessment(engine):
    assert maturity.latest_scores(maturity.list_assessments(engine)) == (
        {k: 0 for k in CHECKLIST}, {k: 1 for k in LEVELS})
    maturity.save_assessment(engine, CX, CHECKLIST, LEVELS)
    assert maturity.latest_scores(maturity.list_assessments(engine)) == (CHECKLIST, LEVELS)


@pytest.mark.parametrize("user", [User("h", "hr"), User("v", "viewer"), None])
def test_only_cx_leads_and_admins_assess(engine, user):
    with pytest.raises(AccessDenied):
        maturity.save_assessment(engine, user, CHECKLIST, LEVELS)
    assert maturity.list_assessments(engine).empty
    with engine.connect() as conn:
        assert conn.execute(select(db.audit_log.c.id)).first() is None


def test_every_problem_is_reported_at_once(engine):
    checklist = {**CHECKLIST, "voice": 3, "staff": True}
    del checklist["strategy"]
    levels = {**LEVELS, "people": 0, "budget": 3}
    with pytest.raises(InputError) as err:
        maturity.save_assessment(engine, CX, checklist, levels, "x" * (maturity.MAX_NOTES + 1))
    msg = str(err.value)
    for part in ["Question 'strategy' has no answer.", "Question 'voice' must be a whole number from 0 to 2, got 3.",
                 "Question 'staff' must be a whole number from 0 to 2, got True.",
                 "Unknown Dimension 'budget'", "Dimension 'people' must be a whole number from 1 to 5, got 0.",
                 f"Notes are {maturity.MAX_NOTES + 1} characters long"]:
        assert part in msg
    assert maturity.list_assessments(engine).empty


def test_history_table_and_chart(engine):
    maturity.save_assessment(engine, CX, CHECKLIST, LEVELS, assessed_at=utc(2026, 5, 1))
    maturity.save_assessment(engine, CX, CHECKLIST, {**LEVELS, "people": 3}, "Better HR sync", utc(2026, 11, 2))
    df = maturity.list_assessments(engine)
    hist = maturity.history_table(df, headers={"date": "Datum"})
    assert list(hist.columns) == ["Datum", "Assessed by", "Checklist score (%)", "Mean level",
                                  *[d.name for d in maturity.DIMENSIONS], "Notes"]
    assert hist["Datum"].tolist() == [date(2026, 11, 2), date(2026, 5, 1)]
    assert hist["People and HR–CX sync"].tolist() == [3, 1]
    assert hist["Checklist score (%)"].tolist() == [67, 67]
    assert hist["Notes"].tolist() == ["Better HR sync", ""]

    change = maturity.latest_change(df)
    assert change["checklist_change"] == 0 and change["level_change"] == pytest.approx(2 / 6)
    assert change["mean_level"] == pytest.approx(17 / 6)

    frame = maturity.chart_frame(df)
    assert frame["assessment"].unique().tolist() == ["Latest · 2026-11-02", "Previous · 2026-05-01"]
    assert frame[frame["dimension"] == "People and HR–CX sync"]["level"].tolist() == [3, 1]
    spec = maturity.maturity_chart(frame).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["yOffset"]["field"] == "assessment"
    assert spec["encoding"]["x"]["scale"]["domain"] == [0, 5]
    rows = next(iter(spec["datasets"].values()))
    assert len(rows) == 12 and {"dimension": "Voice of the customer", "level": 4,
                                "assessment": "Latest · 2026-11-02"} in rows


def test_chart_frame_with_one_assessment(engine):
    maturity.save_assessment(engine, CX, CHECKLIST, LEVELS, assessed_at=utc(2026, 5, 1))
    frame = maturity.chart_frame(maturity.list_assessments(engine), latest="Neueste")
    assert frame["assessment"].unique().tolist() == ["Neueste · 2026-05-01"]
    assert frame["level"].tolist() == list(LEVELS.values())
    assert maturity.latest_change(maturity.list_assessments(engine))["level_change"] is None
    assert maturity.latest_change(maturity.list_assessments(engine).head(0)) == {}


# --------------------------------------------------------------------------- evidence

@pytest.mark.parametrize("as_of, expected", [
    (date(2026, 11, 25), (date(2026, 7, 1), date(2026, 9, 30), "2026-Q3")),
    (date(2026, 1, 5), (date(2025, 10, 1), date(2025, 12, 31), "2025-Q4")),
    (date(2026, 4, 1), (date(2026, 1, 1), date(2026, 3, 31), "2026-Q1")),
])
def test_last_quarter(as_of, expected):
    assert maturity.last_quarter(as_of) == expected


def test_evidence_on_a_small_organisation(engine, settings):
    build_org(engine)
    ev = maturity.evidence(engine, settings, as_of=AS_OF)
    assert list(ev) == list(LEVELS)
    assert facts(ev, "ownership") == {"reviewed": 4, "reviewers": 2, "latest_review": date(2026, 10, 20),
                                      "edited_labels": 1}
    assert facts(ev, "customer_knowledge") == {"customer_statements": 14, "staged_share": 11 / 14,
                                               "stages_covered": 4, "customer_themes": 1}
    assert facts(ev, "people") == {
        "exit_statements_quarter": 7, "exit_statements_total": 10,
        "leavers": 20, "leavers_customers": 10,
        "leavers_customers_quarter": None,  # 7 people: below the threshold of 10
        "customer_share_survey": 3 / 6, "customer_share_exit": 10 / 30, "customer_share_focus": 1 / 4}
    # Not systemic: the rule sees only department cells a table would show (10 people or more), and none is.
    assert facts(ev, "voice") == {"customer_themes": 1, "systemic_themes": 0, "new_themes": 0, "incidents": 3,
                                  "negative_share": 11 / 14}
    assert facts(ev, "technology") == {"tagged_share": 40 / 41, "review_sample": 4, "reviewed": 4,
                                       "precision": 2 / 3, "model_built": date(2026, 10, 5)}
    assert facts(ev, "management") == {
        "survey_waves": 2, "latest_wave": "2026 autumn", "latest_wave_date": date(2026, 10, 15),
        "focus_sessions": 2, "latest_focus": date(2026, 9, 23), "latest_exit": date(2026, 7, 7),
        "latest_upload": date(2026, 10, 3)}
    people = {f.key: f for f in ev["people"]}
    assert people["leavers_customers_quarter"].suppressed and people["leavers_customers_quarter"].value is None
    assert people["exit_statements_quarter"].params == {"quarter": "2026-Q3"}


def test_evidence_on_an_empty_database(engine, settings):
    ev = maturity.evidence(engine, settings, as_of=AS_OF)
    assert facts(ev, "customer_knowledge") == {"customer_statements": 0, "staged_share": None,
                                               "stages_covered": 0, "customer_themes": 0}
    assert facts(ev, "technology")["review_sample"] == 0 and facts(ev, "technology")["precision"] is None
    assert facts(ev, "management")["latest_wave"] is None


@pytest.mark.parametrize("n, within, hidden", [
    (0, None, False), (4, None, True), (10, None, False),
    (10, 20, False),  # 10 of 20: both parts are 10 or more
    (10, 12, True),   # the 2 left out would be a small group
    (0, 4, True),     # "0 of a hidden total" gives the total away
])
def test_people_counts_follow_the_anonymity_rule(n, within, hidden):
    fact = maturity._people("k", "label", n, 10, within=within)
    assert (fact.suppressed, fact.value) == (hidden, None if hidden else n)


@pytest.mark.parametrize("fact, lang, text", [
    (maturity.Fact("a", "", 1234), "en", "1,234"),
    (maturity.Fact("a", "", 1234), "ru", "1\u00a0234"),
    (maturity.Fact("a", "", 2 / 3, "share"), "en", "67%"),
    (maturity.Fact("a", "", date(2026, 9, 23), "date"), "uk", "23.09.2026"),
    (maturity.Fact("a", "", "Wave <1>", "text"), "en", "Wave <1>"),
    (maturity.Fact("a", "", None, "share"), "en", "—"),
    (maturity.Fact("a", "", None, suppressed=True), "en", "fewer than 10"),
])
def test_format_value(fact, lang, text):
    assert maturity.format_value(fact, lang, "fewer than 10") == text


# --------------------------------------------------------------------------- the page

@pytest.fixture
def page_env(engine, settings, monkeypatch):
    """The page's own engine and settings point at the test database (filled, so no demo is loaded)."""
    import streamlit as st

    monkeypatch.setenv("EEVP_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("EEVP_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("EEVP_USERS_FILE", str(settings.data_dir / "users.json"))
    build_org(engine)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield engine
    st.cache_resource.clear()
    st.cache_data.clear()


def _page(user):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.session_state["user"] = user
    give_account(os.environ["EEVP_DATA_DIR"], user)
    return at.run()


def test_page_form_evidence_and_save(page_env):
    at = _page(CX)
    assert not at.exception
    assert len(at.radio) == 6 and len(at.select_slider) == 6 and len(at.text_area) == 1
    assert [i.value for i in at.info] == ["No assessment yet. Score the checklist and the model in the first tab."]
    captions = [c.value for c in at.caption]
    assert "Leavers who spoke about customers: **10**" in captions
    assert any(c.startswith("Leavers who spoke about customers in ") for c in captions)  # quarter: today's

    at.radio(key="q_voice").set_value(2)
    at.select_slider(key="d_people").set_value(4)
    at.text_area(key="cx_notes").input("<script>alert(1)</script> first check")
    at.button(key="cx_save").click()
    at.run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Assessment saved."]
    df = maturity.list_assessments(page_env)
    assert len(df) == 1 and df.iloc[0]["level.people"] == 4 and df.iloc[0]["checklist.voice"] == 2
    assert df.iloc[0]["notes"] == "<script>alert(1)</script> first check"
    assert [t.value for t in at.text] == ["<script>alert(1)</script> first check"]  # shown as plain text
    assert len(at.dataframe) == 1 and not at.info


def test_page_for_hr_has_no_form(page_env):
    at = _page(User("h", "hr"))
    assert not at.exception
    assert len(at.radio) == 0 and len(at.select_slider) == 0
    assert at.info[0].value.startswith("CX leads and admins record assessments.")


def test_latest_notes_are_the_newest_assessments_notes():
    assessments = pd.DataFrame({"id": [1, 2], "notes": ["first look", "second look"]})
    assert maturity.latest_notes(assessments) == "second look"
    assert maturity.latest_notes(assessments.iloc[:1]) == "first look"
