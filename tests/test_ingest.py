import gc
import io
import json
import os
import sys
import weakref
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, select, text

from eevp.store import db, queries
from eevp.store.batches import delete_batch, list_batches
from eevp.errors import DuplicateBatchError, InputError, ValidationFailed
from eevp.intake import ingest
from eevp.intake import workers as eevp_workers
from eevp.intake.ingest import ingest_file, ingest_frame, prepare, rejected_frame
from eevp.intake.readers import read_table
from eevp.intake.redact import Redactor
from eevp.intake.validate import split_role
from eevp.intake.workers import redacted
from eevp.store.auth import CLI_USER

SURVEY_CSV = """respondent_id,wave,role,department,tenure,enps,Career growth,Manager support,What should we improve?
r1,2026-Q1,Engineer,IT,1-3 years,9,4,5,Customers wait too long for deliveries in our region.
r2,2026-Q1,Engineer,IT,<1 year,6,2,3,
r3,2026-Q1,Sales Rep,Sales,3-5 years,10,5,5,Sales promised features we do not have.
r4,2026-Q2,Sales Rep,Sales,3-5 years,7,3,4,n/a
"""


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def survey_mapping():
    return {"respondent_id": "respondent_id", "wave": "wave", "role": "role", "department": "department",
            "tenure": "tenure", "enps": "enps", "items": ["Career growth", "Manager support"],
            "text": ["What should we improve?"]}


def test_survey_csv_stored_with_scores_and_text_units(engine, settings):
    res = ingest_file(engine, settings, "survey", SURVEY_CSV.encode(), "s.csv", survey_mapping(), actor=CLI_USER)
    assert (res.rows_read, res.rows_stored, res.rows_rejected) == (4, 4, 0)
    assert count(engine, db.survey_responses) == 4
    assert len(queries.score_rows(engine)) == 8
    assert count(engine, db.text_units) == 3  # the empty comment is not a unit; "n/a" is (counted later)
    assert res.analysis_needed
    with engine.connect() as conn:
        enps = conn.execute(select(db.survey_responses.c.enps).order_by(db.survey_responses.c.id)).scalars().all()
        keys = conn.execute(select(db.survey_responses.c.respondent_key)).scalars().all()
        units = conn.execute(select(db.text_units.c.kind, db.text_units.c.role, db.text_units.c.question,
                                    db.text_units.c.wave)).all()
    assert enps == [9, 6, 10, 7]
    assert "r1" not in keys and len(set(keys)) == 4  # respondent ids are keyed hashes, never clear
    assert units[0] == ("survey", "Engineer", "What should we improve?", "2026-Q1")
    # a batch of scores alone brings nothing to analyse
    scores_only = survey_mapping() | {"text": []}
    again = ingest_file(engine, settings, "survey", SURVEY_CSV.replace("2026-Q1", "2026-Q2").encode(), "t.csv",
                        scores_only, actor=CLI_USER)
    assert again.rows_stored == 4 and again.text_units == 0 and not again.analysis_needed


def test_survey_windows_1251_semicolons_russian_headers_auto_mapped(engine, settings):
    src = ("Табельный номер;Волна;Должность;Подразделение;Стаж;Вероятность рекомендовать (0-10);"
           "Карьерный рост;Поддержка руководителя;Что улучшить?\n"
           "1001;15.01.2026;Инженер;ИТ;2;9;4;5;Клиенты жалуются на долгую доставку заказов.\n"
           "1002;15.01.2026;Инженер;ИТ;1;6;2;3;Нужно больше обучения и понятный карьерный путь.\n"
           "1003;16.01.2026;Продавец;Продажи;4;10;5;5;Менеджеры обещают клиентам то, чего нет.\n")
    res = ingest_file(engine, settings, "survey", src.encode("cp1251"), "опрос.csv", actor=CLI_USER)
    assert res.rows_stored == 3
    m = res.mapping
    assert m["role"] == "Должность" and m["department"] == "Подразделение" and m["wave"] == "Волна"
    assert set(m["items"]) == {"Карьерный рост", "Поддержка руководителя"}
    assert m["text"] == ["Что улучшить?"]
    with engine.connect() as conn:
        waves = conn.execute(select(db.survey_responses.c.wave).distinct()).scalars().all()
        texts = conn.execute(select(db.text_units.c.text)).scalars().all()
    assert waves == ["2026-Q1"]  # dates become their quarter
    assert "Клиенты жалуются на долгую доставку заказов." in texts


def test_xlsx_survey(engine, settings):
    df = pd.read_csv(io.StringIO(SURVEY_CSV))
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        pd.DataFrame({"x": [1]}).to_excel(xl, sheet_name="Notes", index=False)
        df.to_excel(xl, sheet_name="Data", index=False)
    res = ingest_file(engine, settings, "survey", buf.getvalue(), "s.xlsx", survey_mapping(), sheet="Data", actor=CLI_USER)
    assert res.rows_stored == 4
    assert len(queries.score_rows(engine)) == 8


def test_every_validation_error_reported_and_nothing_stored(engine, settings):
    bad = SURVEY_CSV.replace("r2,2026-Q1,Engineer,IT,<1 year,6,2,3", "r2,2026-Q1,Engineer,IT,<1 year,11,7,3") \
        .replace("r4,2026-Q2", "r4,") + "r1,2026-Q1,Engineer,IT,1-3 years,8,4,4,again\n"
    with pytest.raises(ValidationFailed) as exc:
        ingest_file(engine, settings, "survey", bad.encode(), "bad.csv", survey_mapping(), actor=CLI_USER)
    errors = exc.value.errors
    found = {(e["row"], e["column"], e["value"]) for e in errors}
    assert (3, "enps", "11") in found
    assert (3, "Career growth", "7") in found
    assert (5, "wave", None) in found
    assert (6, "respondent_id", "r1") in found
    assert all(e["message"] for e in errors)
    assert count(engine, db.batches) == 0 and count(engine, db.survey_responses) == 0
    assert exc.value.result.rows_rejected == 3


def test_skip_invalid_stores_valid_rows_only(engine, settings):
    bad = SURVEY_CSV.replace("r2,2026-Q1,Engineer,IT,<1 year,6", "r2,2026-Q1,Engineer,IT,<1 year,12")
    res = ingest_file(engine, settings, "survey", bad.encode(), "bad.csv", survey_mapping(), skip_invalid=True, actor=CLI_USER)
    assert (res.rows_stored, res.rows_rejected) == (3, 1)
    assert res.rejected_rows == [3]
    assert count(engine, db.survey_responses) == 3


def test_same_file_twice_not_duplicated(engine, settings):
    first = ingest_file(engine, settings, "survey", SURVEY_CSV.encode(), "s.csv", survey_mapping(), actor=CLI_USER)
    with pytest.raises(DuplicateBatchError) as exc:
        ingest_file(engine, settings, "survey", SURVEY_CSV.encode(), "copy.csv", survey_mapping(), actor=CLI_USER)
    assert exc.value.batch_id == first.batch_id
    assert count(engine, db.survey_responses) == 4


def test_delete_batch_removes_text_units_and_rows(engine, settings):
    a = ingest_file(engine, settings, "survey", SURVEY_CSV.encode(), "a.csv", survey_mapping(), actor=CLI_USER)
    other = SURVEY_CSV.replace("r1,", "x1,").replace("r2,", "x2,")
    ingest_file(engine, settings, "survey", other.encode(), "b.csv", survey_mapping(), actor=CLI_USER)
    assert count(engine, db.text_units) == 6
    delete_batch(engine, a.batch_id, actor=CLI_USER)
    assert count(engine, db.text_units) == 3
    assert count(engine, db.survey_responses) == 4
    assert len(queries.score_rows(engine)) == 8
    assert list_batches(engine)["id"].tolist() == [a.batch_id + 1]


def test_failure_midway_leaves_database_unchanged(engine, settings, monkeypatch):
    import eevp.intake.ingest as ing

    real = ing.insert_rows

    def boom(conn, table, *args, **kwargs):  # the responses and their scores are written, then it fails
        ids = real(conn, table, *args, **kwargs)
        if table is db.text_units:
            raise RuntimeError("disk full")
        return ids

    monkeypatch.setattr(ing, "insert_rows", boom)
    with pytest.raises(RuntimeError):
        ingest_file(engine, settings, "survey", SURVEY_CSV.encode(), "s.csv", survey_mapping(), actor=CLI_USER)
    for table in (db.batches, db.survey_responses, db.survey_scores, db.text_units):
        assert count(engine, table) == 0


def test_identifiers_never_stored_in_clear(engine, settings):
    src = ("Full name,E-mail,wave,role,enps,Comment\n"
           "Olena Petrenko,olena@example.com,2026-Q1,Agent,8,Olena Petrenko helped a customer; write olena@example.com\n"
           "Ivan Sidorov,ivan@example.com,2026-Q1,Agent,5,Ask Ivan Sidorov about the hotline\n")
    mapping = {"wave": "wave", "role": "role", "enps": "enps", "text": ["Comment"],
               "identifiers": ["Full name", "E-mail"]}
    ingest_file(engine, settings, "survey", src.encode(), "ids.csv", mapping, actor=CLI_USER)
    with engine.connect() as conn:
        dump = " ".join(str(v) for t in db.metadata.sorted_tables
                        for row in conn.execute(select(t)) for v in row)
    for secret in ("Olena", "Petrenko", "olena@example.com", "Sidorov", "ivan@example.com"):
        assert secret not in dump


EXIT_CSV = """exit_date,role,department,tenure,reason,other_reasons,regretted,Why are you leaving?
2026-03-01,Courier,Logistics,1-3 years,Pay,Workload; Management,yes,"Customers call us because deliveries are late. Nobody fixes the routes."
15.04.2026,Courier,Logistics,<1 year,Workload,,no,Too many orders per shift.
2026-05-20,Agent,Support,3-5 years,Career growth,Pay,да,Clients wait on the hotline for forty minutes every day.
"""


def test_exit_interviews_split_into_statements(engine, settings):
    mapping = {"exit_date": "exit_date", "role": "role", "department": "department", "tenure": "tenure",
               "reason": "reason", "other_reasons": ["other_reasons"], "regretted": "regretted",
               "text": ["Why are you leaving?"]}
    res = ingest_file(engine, settings, "exit", EXIT_CSV.encode(), "exits.csv", mapping, actor=CLI_USER)
    assert res.rows_stored == 3
    with engine.connect() as conn:
        rows = conn.execute(select(db.exits.c.exit_date, db.exits.c.regretted, db.exits.c.other_reasons_json)
                            .order_by(db.exits.c.id)).all()
        units = conn.execute(select(db.text_units.c.record_id, db.text_units.c.seq, db.text_units.c.text)
                             .order_by(db.text_units.c.id)).all()
    assert [str(r[0]) for r in rows] == ["2026-03-01", "2026-04-15", "2026-05-20"]
    assert [r[1] for r in rows] == [True, False, True]
    assert json.loads(rows[0][2]) == ["Workload", "Management"]
    assert [u.seq for u in units if u.record_id == units[0].record_id] == [0, 1]  # two sentences
    assert units[0].text.startswith("Customers call us")


def test_exit_bad_date_and_regretted_reported(engine, settings):
    bad = EXIT_CSV.replace("15.04.2026", "sometime").replace(",no,", ",maybe,")
    mapping = {"exit_date": "exit_date", "role": "role", "reason": "reason", "regretted": "regretted"}
    with pytest.raises(ValidationFailed) as exc:
        ingest_file(engine, settings, "exit", bad.encode(), "exits.csv", mapping, actor=CLI_USER)
    cols = {(e["row"], e["column"]) for e in exc.value.errors}
    assert cols == {(3, "exit_date"), (3, "regretted")}


def test_focus_notes_split_and_evp(engine, settings):
    focus = pd.DataFrame({
        "session_date": ["2026-02-10", "2026-02-11"], "role": ["Agents", "Couriers"],
        "department": ["Support", "Logistics"], "facilitator": ["Anna Smith", "Anna Smith"],
        "notes": ["- Customers wait too long on the hotline\n- Scripts are outdated and rigid\n- We need more staff",
                  "Routes change every day. Клиенты недовольны опозданиями курьеров."]})
    res = ingest_frame(engine, settings, "focus", focus, {"session_date": "session_date", "role": "role",
                                                          "department": "department", "facilitator": "facilitator",
                                                          "notes": "notes"}, actor=CLI_USER)
    assert res.text_units == 5
    with engine.connect() as conn:
        fac = conn.execute(select(db.focus_sessions.c.facilitator_key)).scalars().all()
    assert fac[0] == fac[1] and "Anna" not in fac[0]
    cat = pd.DataFrame({"benefit": ["Remote work", "Learning budget"], "pillar": ["Flexibility", "Growth"],
                        "roles_offered": ["Engineer; Sales Rep", "all"]})
    ingest_frame(engine, settings, "evp_catalog", cat, {"benefit": "benefit", "pillar": "pillar",
                                                        "roles_offered": "roles_offered"}, actor=CLI_USER)
    with engine.connect() as conn:
        offered = conn.execute(select(db.evp_benefits.c.roles_offered_json)).scalars().all()
    assert [json.loads(o) for o in offered] == [["Engineer", "Sales Rep"], "all"]
    ratings = pd.DataFrame({"wave": ["2026-Q1"] * 3, "role": ["Engineer"] * 3, "benefit": ["Remote work"] * 3,
                            "importance": ["5", "4", "6"], "satisfaction": ["2", "3", "3"]})
    m = {"wave": "wave", "role": "role", "benefit": "benefit", "importance": "importance",
         "satisfaction": "satisfaction"}
    with pytest.raises(ValidationFailed) as exc:
        ingest_frame(engine, settings, "evp_ratings", ratings, m, actor=CLI_USER)
    assert [(e["row"], e["column"], e["value"]) for e in exc.value.errors] == [(4, "importance", "6")]


def test_empty_and_unreadable_files_give_clear_errors(engine, settings):
    with pytest.raises(InputError):
        ingest_file(engine, settings, "survey", b"", "empty.csv", actor=CLI_USER)
    with pytest.raises(InputError, match="limit"):
        ingest_file(engine, settings.with_(upload_limit_mb=0), "survey", b"a,b\n1,2\n", "x.csv", actor=CLI_USER)
    assert count(engine, db.batches) == 0


def test_prepare_collects_row_numbers_as_a_spreadsheet_shows_them():
    df = pd.DataFrame({"wave": ["w1", "w1"], "enps": ["5", "ten"]})
    prep = prepare("survey", df, {"wave": "wave", "enps": "enps"})
    assert [(e["row"], e["column"], e["value"]) for e in prep.errors] == [(3, "enps", "ten")]


JOINED_CSV = ("Engagement survey January and February\n"  # row 1: a title line
              "wave,role,enps\n"  # row 2: the header
              "2026-01,Engineer,9\n"  # row 3
              "\n"  # row 4: blank
              "wave,role,enps\n"  # row 5: the header again (files joined)
              "2026-02,Engineer,ten\n"  # row 6
              "2026-02,Analyst,7\n"  # row 7
              "2026-02,Analyst,\"eleven\n(typo)\"\n"  # row 8: one record over two lines, as a spreadsheet shows it
              "2026-02,Analyst,8\n")  # row 9


def test_rows_are_numbered_as_in_the_file_after_skipped_rows(engine, settings):
    mapping = {"wave": "wave", "role": "role", "enps": "enps"}
    with pytest.raises(ValidationFailed) as exc:
        ingest_file(engine, settings, "survey", JOINED_CSV.encode(), "joined.csv", mapping, actor=CLI_USER)
    assert [(e["row"], e["value"]) for e in exc.value.errors] == [(6, "ten"), (8, "eleven\n(typo)")]
    assert exc.value.result.rejected_rows == [6, 8]
    assert [n["row"] for n in exc.value.result.reading_notes] == [5]
    frame = rejected_frame(read_table(JOINED_CSV.encode(), "joined.csv"), exc.value.errors)
    assert frame[["row", "enps"]].values.tolist() == [[6, "ten"], [8, "eleven\n(typo)"]]
    res = ingest_file(engine, settings, "survey", JOINED_CSV.encode(), "joined.csv", mapping, actor=CLI_USER,
                      skip_invalid=True)
    with engine.connect() as conn:
        stored = conn.execute(select(db.survey_responses.c.record_no).order_by(db.survey_responses.c.record_no))
        assert [r.record_no for r in stored] == [3, 7, 9] and res.rows_stored == 3


def test_scores_are_packed_per_response_and_no_long_form_is_written(engine, settings):
    ingest_file(engine, settings, "survey", SURVEY_CSV.encode(), "a.csv", survey_mapping(), actor=CLI_USER)
    other = ("respondent_id,wave,role,Manager support,Pay\n"
             "q1,2026-Q3,Engineer,2,\nq2,2026-Q3,Engineer,,4\nq3,2026-Q3,Driver,5,1\n")
    ingest_file(engine, settings, "survey", other.encode(), "b.csv",
                {"respondent_id": "respondent_id", "wave": "wave", "role": "role", "items": ["Manager support", "Pay"]}, actor=CLI_USER)
    r, b = db.survey_responses, db.batches
    with engine.connect() as conn:
        rows = conn.execute(select(r.c.id, r.c.batch_id, r.c.item_scores, b.c.items_json)
                            .join(b, b.c.id == r.c.batch_id).order_by(r.c.id)).all()
    assert len(rows) == 7 and count(engine, db.survey_scores) == 0  # the packed form only
    # each packed row holds its batch's items in order (as in the files), NaN where no score was given
    assert [db.batch_items(row.items_json) for row in rows[::4]] == [["Career growth", "Manager support"],
                                                                     ["Manager support", "Pay"]]
    got = [db.unpack_scores([row.item_scores], 2)[0].tolist() for row in rows]
    np.testing.assert_array_equal(got, [[4, 5], [2, 3], [5, 5], [3, 4], [2, np.nan], [np.nan, 4], [5, 1]])
    long = queries.score_rows(engine)
    assert len(long) == 12 and long.iloc[0].tolist() == [rows[0].id, "Career growth", 4.0]
    wide = queries.survey_wide(engine).set_index("id")
    assert list(wide.columns[wide.columns.isin(["Career growth", "Manager support", "Pay"])]) == \
        ["Career growth", "Manager support", "Pay"]
    ids = [row.id for row in rows]
    assert wide.loc[ids[0], ["Career growth", "Manager support"]].tolist() == [4, 5] and np.isnan(wide.loc[ids[0], "Pay"])
    assert np.isnan(wide.loc[ids[5], "Manager support"]) and wide.loc[ids[5], "Pay"] == 4
    assert np.isnan(wide.loc[ids[4], "Career growth"])
    # Rows stored without packed scores (by hand, an older eevp) are read from survey_scores: the same frame.
    batch_of = {row.id: row.batch_id for row in rows}
    with engine.begin() as conn:
        conn.execute(db.survey_scores.insert(), [{"response_id": int(i), "item": item, "score": score,
                                                  "batch_id": batch_of[i]} for i, item, score in long.itertuples(index=False)])
        conn.execute(db.survey_responses.update().where(r.c.id.in_(ids[::2])).values(item_scores=None))
    pd.testing.assert_frame_equal(queries.survey_wide(engine).set_index("id"), wide)
    pd.testing.assert_frame_equal(queries.score_rows(engine), long)


def test_schema_is_versioned(engine):
    with engine.connect() as conn:
        assert conn.execute(text("SELECT MAX(version) FROM schema_version")).scalar() == db.SCHEMA_VERSION
    assert db.migrate(engine) == db.SCHEMA_VERSION  # idempotent


# --------------------------------------------------------------------------- values that carry two facts

@pytest.mark.parametrize("value,role,status", [
    ("Labourer (Former Employee)", "Labourer", "Former Employee"),
    ("Customer Service Representative (Current Employee)", "Customer Service Representative", "Current Employee"),
    ("Clerk [ex-employee] ", "Clerk", "Former Employee"),
    ("Инженер (уволен)", "Инженер", "Former Employee"),
    ("Оператор (чинний працівник)", "Оператор", "Current Employee"),
    ("Teacher (Year 5)", "Teacher (Year 5)", None),  # not a status: the title stays whole
    ("(Former Employee)", "(Former Employee)", None),  # nothing would be left of the title
    (None, None, None),
])
def test_split_role(value, role, status):
    assert split_role(value) == (role, status)


def test_a_status_suffix_becomes_a_segment_and_the_role_one_group():
    df = pd.DataFrame({"exit_date": ["2026-03-15"] * 3, "position": [
        "Transit Operator (Former Employee)", "Transit Operator (Current Employee)", "Lifeguard"],
        "status": [None, "Seasonal", None]}, dtype=object)
    prep = prepare("exit", df, {"exit_date": "exit_date", "role": "position", "segments": ["status"]})
    assert prep.errors == []
    assert prep.frame["role"].tolist() == ["Transit Operator", "Transit Operator", "Lifeguard"]
    # The file's own 'status' column comes first where it has a value.
    assert prep.frame["segments"].tolist() == [{"status": "Former Employee"}, {"status": "Seasonal"}, {}]


def test_statements_are_marked_with_their_language_on_the_way_in(engine, settings):
    df = pd.DataFrame({"exit_date": ["2026-03-15"] * 3, "Comment": [
        "Customers wait too long for a callback.", "Les clients attendent trop longtemps et le travail est dur.",
        "Клиенты жалуются на задержки доставки."]}, dtype=object)
    ingest_frame(engine, settings, "exit", df, {"exit_date": "exit_date", "text": ["Comment"]}, actor=CLI_USER)
    with engine.connect() as conn:
        got = conn.execute(select(db.text_units.c.language).order_by(db.text_units.c.id)).scalars().all()
    assert got == ["en", "fr", "ru"]


def test_a_year_alone_is_the_wave_not_the_first_of_january():
    df = pd.DataFrame({"wave": ["2012", "2013", "15.03.2014"], "enps": ["5", "7", "9"]})
    prep = prepare("survey", df, {"wave": "wave", "enps": "enps"})
    assert prep.errors == [] and prep.frame["wave"].tolist() == ["2012", "2013", "2014-Q1"]
    assert prep.frame["wave_date"].tolist()[:2] == [None, None]
    only_years = prepare("survey", df.iloc[:2], {"wave": "wave", "enps": "enps"})
    assert only_years.frame["wave"].tolist() == ["2012", "2013"]


def _notes_frame(second: str) -> pd.DataFrame:
    return pd.DataFrame({"session_date": ["2026-02-10", "2026-02-11"], "role": ["Agents", "Couriers"],
                         "notes": ["Customers wait too long on the hotline", second]})


NOTES_MAP = {"session_date": "session_date", "role": "role", "notes": "notes"}


def test_ingest_takes_the_validation_the_page_already_made(engine, settings, monkeypatch):
    df = _notes_frame("Routes change every day")
    prepared = prepare("focus", df, NOTES_MAP)
    calls = []
    monkeypatch.setattr("eevp.intake.ingest.prepare", lambda *a, **k: calls.append(a) or prepare(*a, **k))
    res = ingest_frame(engine, settings, "focus", df, dict(NOTES_MAP), actor=CLI_USER, prepared=prepared)
    assert res.text_units == 2 and calls == []  # validated once, by the caller


@pytest.mark.parametrize("change", ["value", "kind_mapping"])
def test_a_validation_of_something_else_is_not_trusted(engine, settings, monkeypatch, change):
    prepared = prepare("focus", _notes_frame("Routes change every day"), NOTES_MAP)
    df = _notes_frame("Routes change every day" if change == "kind_mapping" else "A different note")
    mapping = {"session_date": "session_date", "notes": "notes"} if change == "kind_mapping" else dict(NOTES_MAP)
    calls = []
    monkeypatch.setattr("eevp.intake.ingest.prepare", lambda *a, **k: calls.append(a) or prepare(*a, **k))
    ingest_frame(engine, settings, "focus", df, mapping, actor=CLI_USER, prepared=prepared)
    assert len(calls) == 1  # validated again: what was stored was what ingest itself checked


def test_redaction_in_workers_comes_back_in_chunks_in_the_order_of_the_texts(monkeypatch):
    if (os.cpu_count() or 1) < 2:
        pytest.skip("worker processes need two CPUs")
    monkeypatch.setattr(ingest, "PARALLEL_REDACT_MIN", 1)
    monkeypatch.setattr(ingest.threading, "active_count", lambda: 1)  # threads left by earlier tests: no pool
    texts = [f"Ask Olena Petrenko on +44 7700 900{i:03d}. Клиенты ждут {i} минут." for i in range(24)]
    redactor = Redactor(["Olena Petrenko"])
    parts = list(ingest._Redaction(redactor, texts + texts[:5], split=True).parts())
    assert len(parts) > 1
    assert [t for part in parts for t in part] == texts
    assert {t: s for part in parts for t, s in part.items()} == dict(zip(texts, redacted(redactor, texts, True)))
    assert parts[0][texts[0]] == (("Ask [NAME] on [PHONE].", "en"), ("Клиенты ждут 0 минут.", "ru"))


class _WorkersInThreads(ThreadPoolExecutor):
    """The redaction workers as threads of this process: the same bookkeeping of chunks given and taken,
    without processes that may fail to start on a busy machine (then the rest is done in the ingest and
    no chunk is given ahead: the full suite saw that once)."""

    def __init__(self, workers, mp_context=None, initializer=None, initargs=()):
        eevp_workers._REDACTOR = initargs[1]  # what start_worker keeps in a worker process
        super().__init__(workers)


def test_redaction_results_are_let_go_as_they_are_taken(monkeypatch):
    if (os.cpu_count() or 1) < 2:
        pytest.skip("the workers start only with two CPUs")
    monkeypatch.setattr(ingest, "ProcessPoolExecutor", _WorkersInThreads)
    monkeypatch.setattr(eevp_workers, "_REDACTOR", None)
    monkeypatch.setattr(ingest, "PARALLEL_REDACT_MIN", 1)
    monkeypatch.setattr(ingest, "REDACT_CHUNK", 3)  # small chunks, several per worker
    monkeypatch.setattr(ingest.threading, "active_count", lambda: 1)  # threads left by earlier tests: no pool
    monkeypatch.setattr(ingest, "REDACT_AHEAD", 2)
    texts = [f"Pay is low {i}. Ask Olena Petrenko." for i in range(100)]
    redaction = ingest._Redaction(Redactor(["Olena Petrenko"]), texts, split=True)
    ahead = 2 * min(os.cpu_count() or 1, 8)
    assert redaction._size == 3 and sorted(redaction._futures) == list(range(ahead))  # not all 34 chunks at once
    taken, got = [], {}
    for part in redaction.parts():  # a future kept to the end holds its result to the end (a million rows: GBs)
        taken.append(len(part))
        got.update(part)
        # the chunks taken are let go; at most `ahead` more are with the workers
        assert sorted(redaction._futures) == list(range(len(taken), min(len(taken) - 1 + ahead, 34)))
    assert taken == [3] * 33 + [1] and redaction._futures == {}
    assert got == dict(zip(texts, redacted(Redactor(["Olena Petrenko"]), texts, True)))
    assert got[texts[7]] == (("Pay is low 7. Ask [NAME].", "en"),)  # "Ask [NAME]." is too short alone


@pytest.mark.parametrize("chunk", [1, 3])
def test_responses_and_units_written_in_blocks_are_the_same(engine, settings, monkeypatch, chunk):
    def stored() -> tuple:
        res = ingest_file(engine, settings, "survey", SURVEY_CSV.encode() + f"r9,2026-Q2,Driver,Logistics,1-3 years,8,4,,"
                          f"Routes change every day ({chunk}).\n".encode(), "s.csv", survey_mapping(), actor=CLI_USER)
        r, u = db.survey_responses, db.text_units
        with engine.connect() as conn:
            responses = conn.execute(select(r.c.id, r.c.record_no, r.c.role, r.c.enps, r.c.item_scores)
                                     .where(r.c.batch_id == res.batch_id).order_by(r.c.id)).all()
            units = conn.execute(select(u.c.record_id, u.c.record_no, u.c.text).where(u.c.batch_id == res.batch_id)
                                 .order_by(u.c.id)).all()
        delete_batch(engine, res.batch_id, actor=CLI_USER)
        first = responses[0].id
        return [(i - first, *rest) for i, *rest in responses], [(i - first, *rest) for i, *rest in units]

    whole = stored()
    monkeypatch.setattr(ingest, "UNIT_CHUNK", chunk)
    assert stored() == whole
    responses, units = whole
    assert [(i, no, role, enps) for i, no, role, enps, _ in responses] == [
        (0, 2, "Engineer", 9), (1, 3, "Engineer", 6), (2, 4, "Sales Rep", 10), (3, 5, "Sales Rep", 7), (4, 6, "Driver", 8)]
    np.testing.assert_array_equal(db.unpack_scores([responses[4][4]], 2), [[4, np.nan]])
    assert [(i, no) for i, no, _ in units] == [(0, 2), (2, 4), (3, 5), (4, 6)]


def test_last_uses_name_the_last_cell_of_each_answer():
    # cells record by record: r0 (a, b), r1 (b, a), r2 (None, c)
    assert ingest._last_uses([["a", "b", None], ["b", "a", "c"]]) == {"a": 3, "b": 2, "c": 5}


def test_answers_repeated_across_columns_and_rows_give_every_unit(engine, settings, monkeypatch):
    if (os.cpu_count() or 1) < 2:
        pytest.skip("worker processes need two CPUs")
    header = "respondent_id,wave,role,Career growth,Good,Bad\n"
    rows = [f"r{i},2026-Q1,Engineer,4,Pay is low {i % 3}. The canteen is closed.,Pay is low {i % 3}. The canteen is closed." for i in range(9)]
    mapping = {"respondent_id": "respondent_id", "wave": "wave", "role": "role", "items": ["Career growth"],
               "text": ["Good", "Bad"]}
    monkeypatch.setattr(ingest, "PARALLEL_REDACT_MIN", 1)
    monkeypatch.setattr(ingest, "REDACT_CHUNK", 1)
    monkeypatch.setattr(ingest.threading, "active_count", lambda: 1)  # threads left by earlier tests: no pool
    res = ingest_file(engine, settings, "survey", (header + "\n".join(rows) + "\n").encode(), "rep.csv", mapping,
                      actor=CLI_USER)
    with engine.connect() as conn:
        got = conn.execute(select(db.text_units.c.record_no, db.text_units.c.question, db.text_units.c.text)
                           .order_by(db.text_units.c.id)).all()
    assert res.text_units == len(got) == 9 * 2 * 2  # each answer: two statements, in both columns of each row
    assert got[:4] == [(2, "Good", "Pay is low 0."), (2, "Good", "The canteen is closed."),
                       (2, "Bad", "Pay is low 0."), (2, "Bad", "The canteen is closed.")]
    assert got[-2:] == [(10, "Bad", "Pay is low 2."), (10, "Bad", "The canteen is closed.")]


def test_units_are_the_same_when_workers_redact(engine, settings, monkeypatch):
    if (os.cpu_count() or 1) < 2:
        pytest.skip("worker processes need two CPUs")
    rows = "\n".join(f"r{i},2026-Q1,Engineer,IT,1-3 years,9,4,5,Pay is low {i}. Спасибо {i}!" for i in range(30))
    src = SURVEY_CSV.splitlines()[0] + "\n" + rows + "\n"
    columns = [db.text_units.c.record_no, db.text_units.c.seq, db.text_units.c.text, db.text_units.c.language]

    def units(kind_of_run: str) -> list:
        with engine.begin() as conn:
            conn.execute(db.text_units.delete())
            conn.execute(db.survey_scores.delete())
            conn.execute(db.survey_responses.delete())
            conn.execute(db.batches.delete())
        ingest_file(engine, settings, "survey", src.encode(), f"{kind_of_run}.csv", survey_mapping(), actor=CLI_USER)
        with engine.connect() as conn:
            return conn.execute(select(*columns).order_by(db.text_units.c.id)).all()

    alone = units("serial")
    pooled = []
    parts = ingest._Redaction.parts
    monkeypatch.setattr(ingest._Redaction, "parts", lambda self: pooled.append(self._pool is not None) or parts(self))
    monkeypatch.setattr(ingest, "PARALLEL_REDACT_MIN", 1)
    monkeypatch.setattr(ingest.threading, "active_count", lambda: 1)  # threads left by earlier tests: no pool
    assert units("workers") == alone
    assert pooled == [True]
    assert len(alone) == 30 and alone[:2] == [(2, 0, "Pay is low 0. Спасибо 0!", "en"),
                                              (3, 0, "Pay is low 1. Спасибо 1!", "en")]


def test_the_frame_as_read_is_let_go_before_the_batch_is_stored(engine, settings, monkeypatch):
    read, alive = [], []
    real_read, real_store = ingest.read_table, ingest._store

    def reading(*args, **kwargs):
        frame = real_read(*args, **kwargs)
        read.append(weakref.ref(frame))
        return frame

    def storing(*args, **kwargs):
        gc.collect()
        alive.append(read[0]() is not None)
        return real_store(*args, **kwargs)

    monkeypatch.setattr(ingest, "read_table", reading)
    monkeypatch.setattr(ingest, "_store", storing)
    res = ingest_file(engine, settings, "survey", SURVEY_CSV.encode(), "s.csv", survey_mapping(), actor=CLI_USER)
    assert (res.rows_stored, res.text_units, alive) == (4, 3, [False])


@pytest.mark.parametrize("as_file", [False, True])
def test_the_file_as_read_is_let_go_before_the_batch_is_stored(engine, settings, monkeypatch, as_file):
    held, refs = [], []
    real_read, real_store = ingest.read_table, ingest._store

    def reading(raw, *args, **kwargs):
        held.append(raw)
        return real_read(raw, *args, **kwargs)

    def storing(*args, **kwargs):
        gc.collect()
        refs.append(sys.getrefcount(held[0]))  # the list here and getrefcount's own argument: nobody else
        return real_store(*args, **kwargs)

    monkeypatch.setattr(ingest, "read_table", reading)
    monkeypatch.setattr(ingest, "_store", storing)
    # passed inline, as the CLI does (bytes(bytearray(...)): a fresh object that nothing here holds)
    res = ingest_file(engine, settings, "survey", io.BytesIO(SURVEY_CSV.encode()) if as_file
                      else bytes(bytearray(SURVEY_CSV.encode())), "s.csv", survey_mapping(), actor=CLI_USER)
    assert (res.rows_stored, held[0], refs) == (4, SURVEY_CSV.encode(), [2])


NO_DATE_CSV = """q1,q2
переезд в другой регион,семейные обстоятельства
низкая зарплата,нет роста
"""


def test_a_file_without_dates_gets_one_date_for_every_row(engine, settings):
    # The Russian exit answers have no date column; the only way was to edit the file. One date for every row
    # (the mapping's every_row, the Upload page's date box) is stored as that row's exit date.
    mapping = {"text": ["q1", "q2"], "every_row": {"exit_date": "2025-06-30"}}
    res = ingest_file(engine, settings, "exit", NO_DATE_CSV.encode(), "answers.csv", mapping, actor=CLI_USER)
    assert res.rows_stored == 2 and res.rows_rejected == 0
    assert res.mapping["exit_date"] == "exit_date (every row)" and "every_row" not in res.mapping
    with engine.connect() as conn:
        dates = conn.execute(select(db.exits.c.exit_date).order_by(db.exits.c.id)).scalars().all()
    assert [str(d) for d in dates] == ["2025-06-30", "2025-06-30"]


def test_the_page_s_validation_of_a_file_without_dates_is_the_one_stored(engine, settings, monkeypatch):
    from eevp.intake.mapping import fill_every_row

    mapping = {"text": ["q1", "q2"], "every_row": {"exit_date": "2025-06-30"}}
    prepared = prepare("exit", *fill_every_row(read_table(NO_DATE_CSV.encode(), "a.csv"), mapping))
    calls = []
    monkeypatch.setattr("eevp.intake.ingest.prepare", lambda *a, **k: calls.append(a) or prepare(*a, **k))
    res = ingest_file(engine, settings, "exit", NO_DATE_CSV.encode(), "a.csv", dict(mapping), actor=CLI_USER,
                      prepared=prepared)
    assert res.rows_stored == 2 and calls == []  # validated once, by the page


def test_a_wave_for_every_row_and_a_bad_date_for_every_row(engine, settings):
    csv = "Role,Comment\nEngineer,Too many meetings\nSales Rep,Customers wait for refunds\n"
    res = ingest_file(engine, settings, "survey", csv.encode(), "s.csv",
                      {"role": "Role", "text": ["Comment"], "every_row": {"wave": "2026-Q1"}}, actor=CLI_USER)
    assert res.rows_stored == 2
    assert set(queries.survey_wide(engine)["wave"]) == {"2026-Q1"}
    with pytest.raises(ValidationFailed) as info:  # a value that is no date: every row says so, nothing stored
        ingest_file(engine, settings, "exit", NO_DATE_CSV.encode(), "b.csv",
                    {"text": ["q1"], "every_row": {"exit_date": "someday"}}, actor=CLI_USER)
    assert {e["column"] for e in info.value.errors} == {"exit_date (every row)"}
