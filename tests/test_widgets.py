"""Shared page widgets, run headless with Streamlit's AppTest."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from eevp.intake import scales

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


def _findings_app():
    import streamlit as st

    from webui.widgets import answer_labels, validation_findings

    ok = validation_findings(st.session_state.get("found", []), st.session_state.get("errors", False), key="f")
    given = answer_labels(st.session_state.get("labels", []), key="l")
    st.write(f"may store: {ok}; given: {given}")


def _run_findings(monkeypatch, tmp_path, found=(), errors=False, labels=()):
    monkeypatch.setenv("EEVP_DATA_DIR", str(tmp_path))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_function(_findings_app, default_timeout=60)
    at.session_state["found"], at.session_state["errors"] = list(found), errors
    at.session_state["labels"] = list(labels)
    return at.run()


YEARS = {"column": "Cease Date", "field": "exit_date", "code": "year_only", "count": 3, "warning": True,
         "message": "3 dates in 'Cease Date' give only the year (2012): they will be stored as 1 January of that "
                    "year, so months and quarters will be wrong for them. Write the full dates in the file, or "
                    "confirm that the year is enough."}
BLANKS = {"column": "Position", "field": "role", "code": "blank", "count": 2, "warning": False,
          "message": "2 of 9 rows have no value in 'Position' (a group column): they are in no group there."}


def test_no_findings_and_no_errors_say_so(monkeypatch, tmp_path):
    at = _run_findings(monkeypatch, tmp_path)
    assert [s.value for s in at.success] == ["No problems found."] and at.markdown[-1].value.startswith("may store: True")
    assert not _run_findings(monkeypatch, tmp_path, errors=True).success


def test_blanks_are_shown_and_years_alone_must_be_acknowledged(monkeypatch, tmp_path):
    at = _run_findings(monkeypatch, tmp_path, [BLANKS])
    assert not at.success and [i.value for i in at.info] == [BLANKS["message"]]
    assert at.markdown[-1].value.startswith("may store: True")
    at = _run_findings(monkeypatch, tmp_path, [BLANKS, YEARS])
    assert at.markdown[-1].value.startswith("may store: False")
    at.checkbox[0].check().run()
    assert at.markdown[-1].value.startswith("may store: True")


SCALE = {"column": "Pay, Team", "field": "scale", "code": "scale_unreached", "count": 80, "warning": True,
         "message": "No answer in the rating columns goes above 4 on the declared scale 1–10 (80 answers): ..."}


def test_a_scale_no_answer_reaches_is_confirmed_in_its_own_words(monkeypatch, tmp_path):
    # It was a warning of its own; the one checkbox said "The year is enough for these dates".
    at = _run_findings(monkeypatch, tmp_path, [SCALE])
    assert [c.label for c in at.checkbox] == ["The declared scale is right: store the answers on it"]
    assert at.markdown[-1].value.startswith("may store: False")
    at = _run_findings(monkeypatch, tmp_path, [YEARS, SCALE])
    at.checkbox[0].check().run()
    assert at.markdown[-1].value.startswith("may store: False")  # each warning is ticked on its own
    at.checkbox[1].check().run()
    assert at.markdown[-1].value.startswith("may store: True")


def test_unknown_scale_words_take_a_number(monkeypatch, tmp_path):
    report = [{"column": "Morale", "points": 5, "converted": {"agree": 4, "sa": 5}, "no_answer": [], "unknown": ["m"]}]
    at = _run_findings(monkeypatch, tmp_path, labels=report)
    assert "agree = 4, sa = 5" in at.caption[0].value and "'Morale'" in at.selectbox[0].label
    assert at.warning and at.markdown[-1].value.endswith("given: {'Morale': {'m': None}}")
    at.selectbox[0].set_value(3).run()
    assert at.markdown[-1].value.endswith("given: {'Morale': {'m': 3}}")


def test_a_word_of_many_items_is_asked_once_and_may_mean_no_answer(monkeypatch, tmp_path):
    # The Queensland exit survey: 21 items answered SA/A/N/D/SD and "M" (missing); "m" was asked 21 times,
    # a number each time, and could not be left empty.
    same = {"a": 4, "d": 2, "n": 3, "sa": 5, "sd": 1}
    report = [{"column": f"Item {i}", "points": 5, "converted": same, "no_answer": [], "unknown": ["m"]}
              for i in range(21)]
    report.append({"column": "Pay", "points": 5, "converted": {"agree": 4}, "no_answer": [], "unknown": ["m", "x"]})
    at = _run_findings(monkeypatch, tmp_path, labels=report)
    assert [c.value for c in at.caption] == [
        "'Item 0', 'Item 1', 'Item 2' and 18 more: answered in words, read as points: a = 4, d = 2, n = 3, sa = 5, sd = 1.",
        "'Pay': answered in words, read as points: agree = 4."]
    assert [b.label for b in at.selectbox] == ["'m' in 'Item 0', 'Item 1', 'Item 2' and 19 more", "'x' in 'Pay'"]
    at.selectbox[0].set_value(scales.NO_ANSWER).run()
    given = eval(at.markdown[-1].value.split("given: ", 1)[1])
    assert len(given) == 22 and all(g["m"] == scales.NO_ANSWER for g in given.values())
    assert given["Pay"] == {"m": scales.NO_ANSWER, "x": None}


def _preview_app():
    import pandas as pd

    from webui.widgets import preview_table

    preview_table(pd.DataFrame({"text": ["Great team", None, "Slow"], "pros": [None, "easy", None],
                                "rating": [4.0, None, 2.0]}), rows=2)


def test_the_preview_shows_empty_text_cells_blank_and_keeps_numbers(monkeypatch, tmp_path):
    # A real export (Indeed reviews) showed "None" in most pros and cons cells of the preview.
    monkeypatch.setenv("EEVP_DATA_DIR", str(tmp_path))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_function(_preview_app, default_timeout=60).run()
    shown = at.dataframe[0].value
    assert shown["text"].tolist() == ["Great team", ""] and shown["pros"].tolist() == ["", "easy"]
    assert shown["rating"].iloc[0] == 4.0 and shown["rating"].isna().iloc[1]
