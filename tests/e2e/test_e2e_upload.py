"""Uploading files in a real browser: a Russian Excel export, and files that are not tables."""

import re

import pytest
from e2e_data import NEW_WAVE, random_bytes, survey_csv

pytestmark = pytest.mark.e2e

ROWS = 60


def upload(app, name: str, payload: bytes) -> None:
    app.act(
        lambda: app.page.set_input_files(
            "input[type='file']", files=[{"name": name, "mimeType": "text/csv", "buffer": payload}]
        )
    )


def test_russian_cp1251_survey_is_mapped_stored_and_shown(app, server):
    app.open("/upload")
    app.login("hr-anna")  # an HR analyst uploads
    assert app.heading() == "Upload data"
    assert app.select_value("What are you uploading?").startswith("Survey")
    app.shot("empty-form")

    upload(app, "опрос_сотрудников.csv", survey_csv(ROWS))
    app.shot("preview-and-mapping")
    assert f"{ROWS} rows, 7 columns" in app.main_text()
    # The headers were read from Windows-1251 and matched to the fields.
    assert {f: app.select_value(f) for f in ("Wave *", "Role", "Department", "Tenure")} == {
        "Wave *": "Волна",
        "Role": "Должность",
        "Department": "Отдел",
        "Tenure": "Стаж",
    }
    assert app.multiselect_values("Rating items") == ["Мне нравится моя работа"]
    assert app.multiselect_values("Free-text questions") == ["Комментарий"]
    # "NPS" as a word of the header is recognised as the eNPS question.
    assert app.select_value("eNPS") == "Индекс NPS"
    assert "No problems found." in app.alerts("Success")

    app.act(app.page.get_by_role("button", name="Store", exact=True).click)
    app.shot("stored")
    stored = [a for a in app.alerts("Success") if a.startswith("Stored batch")]
    assert stored and f"{ROWS} rows (0 rejected)" in stored[0], app.alerts()
    assert app.alerts("Error") == []
    batch = server.query("SELECT id FROM batches WHERE name = :n", n="опрос_сотрудников.csv")
    assert len(batch) == 1
    waves = server.query(
        "SELECT wave, count(*) FROM survey_responses WHERE batch_id = :b GROUP BY wave", b=batch[0][0]
    )
    assert waves == [(NEW_WAVE, ROWS)]
    # The upload started the analysis in the background: the new comments joined the existing themes.
    assert server.wait_for_analysis()["state"] == "done"
    assigned = server.query(
        "SELECT count(*), sum(CASE WHEN a.theme_id >= 0 THEN 1 ELSE 0 END) FROM theme_assignments a "
        "JOIN theme_models m ON m.id = a.model_row WHERE a.batch_id = :b AND m.scope = 'all' AND m.is_current",
        b=batch[0][0],
    )
    assert assigned[0][0] == ROWS and assigned[0][1] > 0, assigned
    # The page runs again when its sidebar sees the analysis end: leaving before that run had it bring the
    # Upload page back over Home (once in three full runs of the suite). A user sees the line, then moves on.
    ended = re.compile(r"Done: \d+ themes|The text analysis has finished")
    app.page.locator("[data-testid='stSidebar']").get_by_text(ended).wait_for(timeout=60_000)
    app.settle(app.finished - 1)

    app.go("Home")
    app.shot("home-with-new-wave")
    assert app.heading() == "Employee experience at a glance"
    assert f"Latest survey wave: {NEW_WAVE}" in app.main_text_with(f"Latest survey wave: {NEW_WAVE}")
    assert app.metric("Responses") == str(ROWS)

    app.go("Survey")
    if NEW_WAVE not in app.multiselect_values("Wave"):  # the filter starts on the latest wave
        app.choose("Wave", NEW_WAVE)
    app.shot("survey-new-wave")
    assert app.multiselect_values("Wave") == [NEW_WAVE]
    assert f"{ROWS} responses in the current selection" in app.main_text()


def test_a_bad_file_gives_a_message_not_a_traceback(app):
    app.open("/upload")
    app.login("admin")
    for name, payload, message in [
        ("export.csv", random_bytes(), "not a text (CSV) file"),
        ("empty.csv", b"", "The file is empty."),
    ]:
        upload(app, name, payload)
        app.shot(f"error-{name}")
        errors = app.alerts("Error")
        assert len(errors) == 1 and message in errors[0], errors
        assert "Preview" not in app.main_text()
