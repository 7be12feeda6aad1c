"""Shared page widgets, run headless with Streamlit's AppTest."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def _left_out_app():
    import streamlit as st

    from webui.widgets import columns_left_out

    unmapped = st.session_state.get("unmapped", [])
    ok = columns_left_out(unmapped, st.session_state.get("notes", []), key="t")
    st.write(f"may store: {ok}")


def _run(monkeypatch, tmp_path, unmapped, notes=()):
    monkeypatch.setenv("EEVP_DATA_DIR", str(tmp_path))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_function(_left_out_app, default_timeout=60)
    at.session_state["unmapped"] = unmapped
    at.session_state["notes"] = list(notes)
    return at.run()


ENPS = {"column": "Q7", "reason": "Looks like eNPS (whole numbers 0–10) but the header was not recognised.",
        "suggestion": "enps", "warning": True}
CODES = {"column": "url", "reason": "A different value in almost every row: an ID or code, not a group.",
         "suggestion": None, "warning": False}


def test_nothing_left_out(monkeypatch, tmp_path):
    at = _run(monkeypatch, tmp_path, [])
    assert not at.exception
    assert [s.value for s in at.success] == ["Every column of the file is mapped."]
    assert at.markdown[-1].value == "may store: True"


def test_a_plain_column_left_out_is_listed_and_needs_no_acknowledgement(monkeypatch, tmp_path):
    at = _run(monkeypatch, tmp_path, [CODES])
    assert at.dataframe[0].value["column"].tolist() == ["url"]
    assert not at.checkbox and at.markdown[-1].value == "may store: True"


def test_an_enps_like_column_must_be_acknowledged(monkeypatch, tmp_path):
    at = _run(monkeypatch, tmp_path, [CODES, ENPS],
              notes=[{"row": 9, "message": "The row holds totals or averages, not an answer; it was skipped."}])
    assert not at.exception
    assert at.markdown[-1].value == "may store: False"
    assert "Q7" in at.warning[-1].value
    table = at.dataframe[-1].value
    assert table["reason"].tolist()[-1] == ENPS["reason"] and table["suggestion"].tolist() == ["", "eNPS"]
    assert at.dataframe[0].value["row"].tolist() == [9]  # the reading notes come first
    at.checkbox[0].check().run()
    assert at.markdown[-1].value == "may store: True"
