"""Exports of survey tools with extra header rows, in files made here in their shape (no real answers):
SurveyMonkey's second header row and Qualtrics' question-text and ImportId rows are read into one header."""

import csv
import io

import pytest

from eevp.errors import ValidationFailed
from eevp.intake.ingest import ingest_file
from eevp.intake.mapping import suggest_mapping
from eevp.intake.readers import NOTES, file_rows, read_table, reading_notes
from eevp.store.auth import CLI_USER

_ENPS_Q = "How likely is it that you would recommend this company as a place to work?"
_MATRIX_Q = "How satisfied are you with the following?"
_ROLES = ("Sales Associate", "Store Manager", "Warehouse Operative")


def _csv(rows: list[list]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def _surveymonkey(enps=lambda i: str(i % 11)) -> bytes:
    first = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address", "First Name",
             "Last Name", "Custom Data 1", _ENPS_Q, "What is your job role?", "", _MATRIX_Q, "", "",
             "What one thing should we change?"]
    second = [""] * 9 + ["Response", "Response", "Other (please specify)", "Workload", "Pay", "Career growth",
                         "Open-Ended Response"]
    data = [[f"1140{i:06d}", "412345678", f"03/{i % 9 + 1:02d}/2026 09:12:01 AM", f"03/{i % 9 + 1:02d}/2026 09:15:40 AM",
             "", "", "", "", "", enps(i), _ROLES[i % 3], "", str(i % 5 + 1), str((i + 2) % 5 + 1), str((i + 4) % 5 + 1),
             f"Shorter queues at the tills, please ({i})"] for i in range(12)]
    return _csv([first, second] + data)


def _qualtrics() -> bytes:
    codes = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished",
             "RecordedDate", "ResponseId", "Department", "Q1", "Q2_1", "Q2_2", "Q3", "Q4"]
    texts = ["Start Date", "End Date", "Response Type", "IP Address", "Progress", "Duration (in seconds)", "Finished",
             "Recorded Date", "Response ID", "Department",
             "On a scale from 0-10, how likely are you to recommend this organisation as a place to work?",
             "Please rate how much you agree with each statement - I have the tools I need",
             "Please rate how much you agree with each statement - My manager supports me",
             "What is your job role?", "Is there anything else you would like to tell us?"]
    ids = ['{"ImportId":"startDate","timeZone":"Europe/London"}', '{"ImportId":"endDate","timeZone":"Europe/London"}',
           '{"ImportId":"status"}', '{"ImportId":"ipAddress"}', '{"ImportId":"progress"}', '{"ImportId":"duration"}',
           '{"ImportId":"finished"}', '{"ImportId":"recordedDate","timeZone":"Europe/London"}',
           '{"ImportId":"_recordId"}', '{"ImportId":"Department"}', '{"ImportId":"QID1"}', '{"ImportId":"QID2_1"}',
           '{"ImportId":"QID2_2"}', '{"ImportId":"QID3_TEXT"}', '{"ImportId":"QID4_TEXT"}']
    data = [[f"2026-03-{i % 9 + 1:02d} 09:12:01", f"2026-03-{i % 9 + 1:02d} 09:15:40", "0", "", "100", "219", "1",
             f"2026-03-{i % 9 + 1:02d} 09:15:41", f"R_{i:04d}abcdEFGH", ("Retail", "Logistics")[i % 2], str(i % 11),
             str(i % 5 + 1), str((i + 1) % 5 + 1), _ROLES[i % 3], f"The rota changes too late in the week ({i})"]
            for i in range(12)]
    return _csv([codes, texts, ids] + data)


def test_surveymonkey_second_header_row_is_read_into_the_names():
    df = read_table(_surveymonkey(), "monkey.csv")
    assert list(df.columns)[9:] == [
        _ENPS_Q, "What is your job role?", "What is your job role? - Other (please specify)",
        f"{_MATRIX_Q} - Workload", f"{_MATRIX_Q} - Pay", f"{_MATRIX_Q} - Career growth",
        "What one thing should we change?"]
    assert list(df.columns)[0] == "Respondent ID" and len(df) == 12
    assert df[f"{_MATRIX_Q} - Workload"].tolist()[:3] == ["1", "2", "3"]  # no header words left in the data
    assert file_rows(df).tolist() == list(range(3, 15))
    assert reading_notes(df) == [{"row": 2, "message": NOTES["surveymonkey"]}]


def test_surveymonkey_mapping_finds_enps_items_role_and_text():
    m = suggest_mapping(read_table(_surveymonkey(), "monkey.csv"), "survey")
    assert m["enps"] == _ENPS_Q and m["role"] == "What is your job role?"
    assert m["items"] == [f"{_MATRIX_Q} - Workload", f"{_MATRIX_Q} - Pay", f"{_MATRIX_Q} - Career growth"]
    assert m["text"] == ["What one thing should we change?"]


def test_surveymonkey_errors_name_the_rows_of_the_file(engine, settings):
    raw = _surveymonkey(enps=lambda i: "eleven" if i == 0 else str(i % 11))
    with pytest.raises(ValidationFailed) as exc:
        ingest_file(engine, settings, "survey", raw, "monkey.csv", actor=CLI_USER)
    assert [(e["row"], e["column"]) for e in exc.value.errors] == [(3, _ENPS_Q)]  # the first answer is row 3


def test_qualtrics_question_texts_become_the_names_and_the_extra_rows_are_skipped():
    df = read_table(_qualtrics(), "qualtrics.csv")
    assert list(df.columns)[:3] == ["StartDate", "EndDate", "Status"]  # not question codes: kept
    assert list(df.columns)[9:] == [
        "Department", "On a scale from 0-10, how likely are you to recommend this organisation as a place to work?",
        "Please rate how much you agree with each statement - I have the tools I need",
        "Please rate how much you agree with each statement - My manager supports me",
        "What is your job role?", "Is there anything else you would like to tell us?"]
    assert len(df) == 12 and not df.apply(lambda c: c.str.contains("ImportId", na=False)).any().any()
    assert file_rows(df).tolist() == list(range(4, 16))
    assert reading_notes(df) == [{"row": 2, "message": NOTES["qualtrics"]}]
    m = suggest_mapping(df, "survey")
    assert m["enps"].startswith("On a scale from 0-10") and m["department"] == "Department"
    assert m["role"] == "What is your job role?" and len(m["items"]) == 2
    assert m["text"] == ["Is there anything else you would like to tell us?"]


def test_a_plain_file_whose_first_answer_is_response_keeps_its_rows():
    raw = _csv([["Role", "Feedback type", "Comment"], ["Engineer", "Response", "ok"], ["Analyst", "Idea", "more"]])
    df = read_table(raw, "plain.csv")
    assert list(df.columns) == ["Role", "Feedback type", "Comment"] and len(df) == 2 and reading_notes(df) == []
