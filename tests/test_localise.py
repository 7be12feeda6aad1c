"""webui.localise: what charts and tables show, in the user's language (Russian here)."""

import pandas as pd
import pytest

from eevp import charts, i18n
from webui import localise


@pytest.fixture
def russian(monkeypatch):
    monkeypatch.setattr(localise, "lang", lambda: "ru")
    monkeypatch.setattr(localise, "t", lambda text, **kw: i18n.translate(text, "ru", **kw))


def rows(spec: dict) -> list[dict]:
    return [r for data in spec.get("datasets", {}).values() for r in data]


def test_category_words_are_translated_alike_in_data_and_legend(russian):
    themes = pd.DataFrame({"label": ["Pay"], "size": [10], "sentiment": [{"negative": 6, "positive": 4}]})
    spec = localise.chart_spec(charts.theme_bars(themes).to_dict())
    shown = {r["sentiment"] for r in rows(spec)}
    assert shown == {"Негативные", "Позитивные"}
    assert shown <= set(spec["encoding"]["color"]["scale"]["domain"])
    assert spec["encoding"]["color"]["title"] == "Тональность"
    assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_tenure_bands_keep_their_order_and_a_segment_keeps_its_name(russian):
    df = pd.DataFrame({"tenure": ["5+ years", "<1 year", "1-3 years", "3-5 years"], "item": ["Pay"] * 4,
                       "favourable": [0.5, 0.6, 0.7, 0.8], "n": [10] * 4, "suppressed": [False] * 4})
    spec = localise.chart_spec(charts.heatmap(df, x="tenure", y="item", value="favourable").to_dict())
    x = [layer["encoding"]["x"] for layer in spec["layer"]][0]
    assert x["sort"] == ["<1 года", "1–3 года", "3–5 лет", "5+ лет"]
    assert localise.seg_label("current") == "Current" and localise.col_label("current") == "Сейчас"


def test_tables_write_numbers_as_russian_does(russian):
    shown = localise.table_view(
        pd.DataFrame({"share": [0.4821, None], "n": [1555.0, 3.0], "group": ["negative", None],
                      "diff": [-0.2335, 0.05]}), ["share", "diff"], ("diff",))
    assert shown["share"].tolist() == ["48,2\u00a0%", ""]
    assert shown["diff"].tolist() == ["−23,4 п. п.", "+5,0 п. п."]
    assert shown["n"].tolist() == ["1\u00a0555", "3"]
    assert shown["group"].tolist() == ["Негативные", ""]


def test_english_tables_have_one_number_of_decimals_per_column_and_no_none(monkeypatch):
    monkeypatch.setattr(localise, "lang", lambda: "en")
    monkeypatch.setattr(localise, "t", lambda text, **kw: text.format(**kw))
    shown = localise.table_view(
        pd.DataFrame({"favourable": [0.1719, 0.913, 0.5, None], "responses": [1555.0, 6.0, None, 12.0],
                      "diff": [-0.2335, 0.0, None, 0.012]}), ["favourable", "diff"], ("diff",))
    assert shown["favourable"].tolist() == ["17.2%", "91.3%", "50.0%", ""]
    assert shown["responses"].tolist() == ["1,555", "6", "", "12"]
    assert shown["diff"].tolist() == ["−23.4 pp", "0.0 pp", "", "+1.2 pp"]


def test_a_plain_table_keeps_its_text_as_it_is(russian):
    shown = localise.table_view(pd.DataFrame({"name": ["survey", "exit"], "rows": [12000, 7]}), [],
                                categories=False)
    assert shown["name"].tolist() == ["survey", "exit"]
    assert shown["rows"].tolist() == ["12\u00a0000", "7"]


def test_a_hidden_row_shows_the_charts_hidden_mark_and_a_missing_value_stays_blank(russian):
    df = pd.DataFrame({"group": ["Sales", "Ops", "HR"], "favourable": [0.61, None, None], "n": [40.0, 3.0, 12.0],
                       "suppressed": [False, True, False]})
    shown = localise.table_view(df, ["favourable"], hidden=df["suppressed"].to_numpy())
    assert shown["favourable"].tolist() == ["61,0\u00a0%", charts.HIDDEN_MARK, ""]
    assert shown["n"].tolist() == ["40", "3", "12"]  # a count that is shown stays a number
    spec = charts.heatmap(df.assign(item="Pay"), x="group", y="item", value="favourable").to_dict()
    cells = [row["cell"] for row in spec["datasets"][next(iter(spec["datasets"]))]]
    assert cells[1] == charts.HIDDEN_MARK


def test_a_trend_line_keeps_its_colour_in_every_language(russian):
    # the data gives eNPS first: the colours follow that order, not the sorted translated names
    df = pd.DataFrame({"wave": ["2026-Q1", "2026-Q2"] * 2, "measure": ["enps", "enps", "engagement", "engagement"],
                       "value": [10.0, 12.0, 3.9, 4.0]})
    spec = charts.trend(df, color="measure").to_dict()
    colour = spec["encoding"]["color"]["scale"]
    assert colour["domain"] == ["enps", "engagement"] and colour["range"][:2] == charts.OKABE_ITO[:2]
    shown = localise.chart_spec(spec)["encoding"]["color"]["scale"]["domain"]
    assert shown == [localise.value_label("enps"), localise.value_label("engagement")]
