import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from eevp import charts

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def spec(chart) -> dict:
    """The Vega-Lite spec; fails on NaN (invalid JSON that a browser would reject)."""
    d = chart.to_dict()
    json.dumps(d, allow_nan=False)
    return d


def rows(d: dict) -> list[dict]:
    out = []
    for data in d.get("datasets", {}).values():
        out.extend(data)
    return out


def layers(d: dict) -> list[dict]:
    found = [d] if "mark" in d else []
    for sub in d.get("layer", []):
        found.extend(layers(sub))
    return found


def encodings(d: dict) -> list[dict]:
    return [layer.get("encoding", {}) for layer in layers(d)]


@pytest.fixture
def heat():
    return pd.DataFrame(
        {
            "dept": ["Sales", "Sales", "Ops", "Ops"],
            "item": ["pay", "growth", "pay", "growth"],
            "favourable": [0.5, 0.625, 0.9137, 0.1234],
            "n": [10, 10, 3, 4],
            "diff": [0.1, -0.2, 0.3111, -0.4222],
            "suppressed": [False, False, True, True],
        }
    )


def test_heatmap_hides_suppressed_values_and_labels_them(heat):
    d = spec(
        charts.heatmap(
            heat,
            x="dept",
            y="item",
            value="favourable",
            diff_col="diff",
            title="Fav by dept",
            suppressed_label="fewer than 5 responses",
        )
    )
    text = json.dumps(d)
    for secret in ("0.9137", "0.1234", "0.3111", "-0.4222", "91%", "12%"):
        assert secret not in text
    data = rows(d)
    hidden = [r for r in data if r["dept"] == "Ops"]
    assert all(r["favourable"] is None and r["n"] is None and r["diff"] is None for r in hidden)
    assert {r["shown"] for r in hidden} == {"fewer than 5 responses"}
    shown = {(r["dept"], r["item"]): r["shown"] for r in data if r["dept"] == "Sales"}
    assert shown == {("Sales", "pay"): "50%", ("Sales", "growth"): "62%"}
    assert d["title"]["text"] == "Fav by dept"


def test_heatmap_diverging_colour_on_difference_with_grey_condition(heat):
    d = spec(charts.heatmap(heat, x="dept", y="item", value="favourable", diff_col="diff"))
    colour = encodings(d)[0]["color"]
    assert colour["field"] == "diff"
    assert colour["scale"] == {"domainMid": 0, "reverse": True, "scheme": "blueorange"}
    assert colour["condition"] == {"test": "datum.hidden", "value": charts.GREY}
    enc = encodings(d)[0]
    assert enc["x"]["field"] == "dept" and enc["x"]["title"] == "dept"
    assert enc["y"]["field"] == "item"
    assert [t["field"] for t in enc["tooltip"]] == ["item", "dept", "shown", "diff", "n"]


def test_heatmap_counts_with_scheme_and_sort():
    df = pd.DataFrame(
        {"stage": ["b", "a"], "label": ["t", "t"], "people": [12, None], "suppressed": [False, True]}
    )
    d = spec(charts.heatmap(df, x="stage", y="label", value="people", scheme="blues", x_sort=["a", "b"]))
    enc = encodings(d)[0]
    assert enc["color"]["field"] == "people" and enc["color"]["scale"] == {"scheme": "blues"}
    assert enc["x"]["sort"] == ["a", "b"]
    assert {r["stage"]: r["cell"] for r in rows(d)} == {"b": "12", "a": "–"}


def test_heatmap_without_suppressed_column():
    df = pd.DataFrame({"x": ["a"], "y": ["b"], "v": [0.25]})
    assert rows(spec(charts.heatmap(df, "x", "y", "v")))[0]["shown"] == "25%"


def test_bar_enps_error_bars_and_suppressed_rows():
    df = pd.DataFrame(
        {
            "role": ["Dev", "QA", "Ops"],
            "n": [20, 3, 12],
            "enps": [25.0, -66.6667, -10.0],
            "ci_low": [5.0, -99.0, -30.0],
            "ci_high": [45.0, 20.0, 10.0],
            "suppressed": [False, True, False],
        }
    )
    d = spec(charts.bar_enps(df, "role", title="eNPS by role", suppressed_label="fewer than 5 responses"))
    assert "-66.6667" not in json.dumps(d) and "-99" not in json.dumps(d)
    marks = [layer["mark"]["type"] for layer in layers(d)]
    assert marks == ["bar", "rule", "text"]
    rule = encodings(d)[1]
    assert rule["x"]["field"] == "ci_low" and rule["x2"]["field"] == "ci_high"
    bar = encodings(d)[0]
    assert bar["x"]["scale"]["domain"] == [-100, 100] and bar["x"]["title"] == "eNPS"
    sides = {r["role"]: (r["side"], r["note"]) for r in rows(d)}
    assert sides == {
        "Dev": ("0 or above", ""),
        "QA": ("hidden", "fewer than 5 responses"),
        "Ops": ("below 0", ""),
    }
    assert d["title"]["text"] == "eNPS by role"


def channel_sorts_that_cannot_draw(d: dict) -> list[str]:
    """Channel sorts ("-x") in a layered chart where a layer's channel is not a field: Vega-Lite then draws
    nothing at all ("Cannot destructure property 'aggregate'")."""
    bad = []
    for enc in encodings(d):
        for channel, e in enc.items():
            sort = e.get("sort") if isinstance(e, dict) else None
            if isinstance(sort, str) and sort.lstrip("-") in ("x", "y"):
                other = sort.lstrip("-")
                if any("field" not in layer.get(other, {}) for layer in encodings(d)):
                    bad.append(f"{channel} sorted by {sort}")
    return bad


def test_bar_enps_sorts_by_its_field_so_that_the_layers_draw():
    df = pd.DataFrame({"role": ["Dev", "Ops"], "n": [20, 12], "enps": [25.0, -10.0], "ci_low": [5.0, -30.0],
                       "ci_high": [45.0, 10.0], "suppressed": [False, False]})
    d = spec(charts.bar_enps(df, "role"))
    assert channel_sorts_that_cannot_draw(d) == []
    assert encodings(d)[0]["y"]["sort"] == {"field": "enps", "op": "max", "order": "descending"}


def test_more_series_than_okabe_ito_has_colours_never_share_one():
    roles = [f"role {i}" for i in range(9)]
    df = pd.DataFrame({"wave": ["2025"] * 9, "favourable": [0.5] * 9, "role": roles, "suppressed": [False] * 9})
    colour = encodings(spec(charts.trend(df, x="wave", y="favourable", color="role")))[0]["color"]
    assert colour["scale"]["domain"] == roles and len(set(colour["scale"]["range"])) >= len(roles)
    assert colour["legend"]["columns"] == 2 and colour["legend"]["symbolLimit"] == 0  # every entry, in two columns
    # eight or fewer keep the colour-blind-safe palette
    few = encodings(spec(charts.trend(df.head(8), x="wave", y="favourable", color="role")))[0]["color"]["scale"]
    assert few["range"] == charts.OKABE_ITO


def test_trend_drops_suppressed_points_and_uses_sort():
    df = pd.DataFrame(
        {
            "wave": ["2024", "2025", "2024", "2025"],
            "favourable": [0.5, 0.6, 0.7, 0.4321],
            "role": ["a", "a", "b", "b"],
            "suppressed": [False, False, False, True],
        }
    )
    d = spec(
        charts.trend(
            df, x="wave", y="favourable", color="role", sort=["2024", "2025"], percent=True, title="By wave"
        )
    )
    assert "0.4321" not in json.dumps(d)
    assert len(rows(d)) == 3
    enc = encodings(d)[0]
    assert enc["x"]["sort"] == ["2024", "2025"] and enc["color"]["field"] == "role"
    assert enc["color"]["scale"]["range"] == charts.OKABE_ITO
    assert enc["y"]["axis"]["format"] == ".0%"
    assert d["mark"] == {"type": "line", "point": True}


def test_driver_scatter_quadrant_lines_and_labels():
    df = pd.DataFrame(
        {
            "item": ["pay", "growth", "team", "tools"],
            "score": [0.3, 0.4, 0.8, 0.9],
            "impact": [0.30, 0.05, 0.25, 0.02],
            "r": [0.5, 0.2, 0.45, 0.1],
            "quadrant": ["Fix first", "Monitor", "Strengths to keep", "Maintain"],
        }
    )
    d = spec(charts.driver_scatter(df, title="Drivers"))
    all_rows = rows(d)
    medians = {k: v for r in all_rows if len(r) == 1 for k, v in r.items()}
    assert medians == pytest.approx({"score": 0.6, "impact": 0.15})
    names = {r["quadrant"] for r in all_rows if "align" in r}
    assert names == {"Fix first", "Strengths to keep", "Monitor", "Maintain"}
    point = next(e for e in encodings(d) if "color" in e)
    assert point["x"]["field"] == "score" and point["y"]["field"] == "impact"
    assert point["color"]["scale"]["domain"] == list(charts.QUADRANT_COLOURS)


def test_distribution_is_normalised_stack_with_diverging_order():
    df = pd.DataFrame({"score": [1, 2, 3, 4, 5], "count": [1, 1, 2, 4, 2]})
    d = spec(charts.distribution(df, "q1"))
    enc = d["encoding"]
    assert enc["x"]["stack"] == "normalize"
    assert enc["color"]["scale"] == {"reverse": True, "scheme": "blueorange", "domain": [1, 2, 3, 4, 5]}
    assert [r["share"] for r in rows(d)] == [0.1, 0.1, 0.2, 0.4, 0.2]
    assert d["title"]["text"] == "How people answered: q1"


def test_gap_bars_ranked_by_gap_without_suppressed():
    df = pd.DataFrame(
        {
            "benefit": ["gym", "pay", "remote", "secret"],
            "importance": [3.0, 4.8, 4.0, 4.9],
            "satisfaction": [3.5, 2.8, 3.9, 1.23],
            "n": [10, 10, 10, None],
            "suppressed": [False, False, False, True],
        }
    )
    d = spec(charts.gap_bars(df, title="Gaps"))
    assert "secret" not in json.dumps(d) and "1.23" not in json.dumps(d)
    rule = encodings(d)[0]
    assert rule["y"]["sort"] == ["pay", "remote", "gym"]
    assert rule["x"]["field"] == "satisfaction" and rule["x2"]["field"] == "importance"
    assert {r["benefit"]: round(r["gap"], 2) for r in rows(d)} == {"gym": -0.5, "pay": 2.0, "remote": 0.1}


def test_share_bars_and_stacked_share():
    d = spec(
        charts.share_bars(
            pd.DataFrame({"pillar": ["Pay", "Growth"], "share": [0.4, 0.25]}),
            category="pillar",
            value="share",
            percent=True,
            title="Shares",
        )
    )
    assert d["encoding"]["x"]["axis"]["format"] == ".0%" and d["encoding"]["y"]["sort"] == "-x"
    assert {r["pillar"]: r["shown"] for r in rows(d)} == {"Pay": "40%", "Growth": "25%"}
    s = spec(
        charts.stacked_share(
            pd.DataFrame({"theme": ["a", "a"], "sentiment": ["negative", "positive"], "units": [3, 1]}),
            "theme",
            "sentiment",
            "units",
            colours=charts.SENTIMENT_COLOURS,
        )
    )
    assert s["encoding"]["x"]["stack"] == "normalize"
    assert s["encoding"]["color"]["scale"]["domain"] == ["negative", "neutral", "positive"]


def test_theme_bars_with_and_without_sentiment():
    themes = pd.DataFrame(
        {
            "label": ["billing", "onboarding"],
            "size": [10, 20],
            "sentiment": [{"negative": 7, "positive": 3}, {"neutral": 20}],
        }
    )
    d = spec(charts.theme_bars(themes, title="Themes"))
    assert sorted((r["label"], r["sentiment"], r["units"]) for r in rows(d)) == [
        ("billing", "negative", 7),
        ("billing", "positive", 3),
        ("onboarding", "neutral", 20),
    ]
    assert d["encoding"]["y"]["sort"] == ["onboarding", "billing"]
    plain = spec(charts.theme_bars(themes.drop(columns="sentiment")))
    assert plain["encoding"]["x"]["field"] == "size"


def test_compare_bars_and_offer_matrix():
    cmp = pd.DataFrame({"label": ["pay", "tools"], "share_a": [0.5, 0.1], "share_b": [0.2, 0.3]})
    d = spec(charts.compare_bars(cmp, a_label="Leavers", b_label="Staff"))
    assert {(r["label"], r["group"]): r["share"] for r in rows(d)} == {
        ("pay", "Leavers"): 0.5,
        ("tools", "Leavers"): 0.1,
        ("pay", "Staff"): 0.2,
        ("tools", "Staff"): 0.3,
    }
    assert d["encoding"]["yOffset"]["field"] == "group"
    m = pd.DataFrame(
        {
            "benefit": ["gym", "gym"],
            "pillar": ["Wellbeing"] * 2,
            "role": ["Dev", "QA"],
            "offered": [True, False],
        }
    )
    o = spec(charts.offer_matrix(m, title="Offered"))
    assert {r["role"]: r["offered_text"] for r in rows(o)} == {"Dev": "offered", "QA": "not offered"}


def test_eevp_charts_and_metrics_do_not_import_streamlit():
    code = "import sys, eevp.charts, eevp.analytics.metrics, eevp.analytics.anonymity; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_distribution_legend_shows_the_whole_scale():
    df = pd.DataFrame({"score": [2, 3, 4], "count": [5, 10, 5]})
    d = spec(charts.distribution(df, "Pay", scale=(1, 5)))
    assert encodings(d)[0]["color"]["scale"]["domain"] == [1, 2, 3, 4, 5]


def test_heatmap_of_counts_has_a_whole_number_legend():
    df = pd.DataFrame({"stage": ["sales", "support"], "label": ["Late", "Late"], "people": [26.0, 10.0],
                       "suppressed": [False, False]})
    d = spec(charts.heatmap(df, x="stage", y="label", value="people", scheme="blues"))
    rect = [e for e in encodings(d) if "color" in e][0]
    assert rect["color"]["legend"]["format"] == "d"


def test_a_heatmap_of_hidden_cells_only_has_no_colour_legend():
    # A real upload's journey map: every cell hidden, and the legend of an empty scale read "NaN".
    df = pd.DataFrame({"stage": ["sales", "support"], "label": ["Late", "Late"], "people": [None, None],
                       "suppressed": [True, True]})
    rect = [e for e in encodings(spec(charts.heatmap(df, x="stage", y="label", value="people", scheme="blues")))
            if "color" in e][0]
    assert rect["color"]["legend"] is None and rect["color"]["condition"]["value"] == charts.GREY
    df.loc[0, ["people", "suppressed"]] = [12, False]  # one cell shown: its legend is back
    rect = [e for e in encodings(spec(charts.heatmap(df, x="stage", y="label", value="people", scheme="blues")))
            if "color" in e][0]
    assert rect["color"]["legend"]["format"] == "d"


def test_counts_are_drawn_as_whole_numbers():
    # The Russian exit answers on Exits: leavers per quarter read "500,0" and tenure at exit "0,00 40,00 …"
    # (counts of people drawn with decimals); whole numbers get no decimals and no ticks between them.
    counts = pd.DataFrame({"tenure": ["<1 year", "1-3 years"], "n": [529, 40]})
    axis = spec(charts.share_bars(counts, category="tenure", value="n"))["encoding"]["x"]["axis"]
    assert axis["format"] == "d" and axis["tickMinStep"] == 1
    means = pd.DataFrame({"role": ["a", "b"], "mean": [3.25, 4.5]})
    assert spec(charts.share_bars(means, category="role", value="mean"))["encoding"]["x"]["axis"]["format"] == ".2f"
    quarters = pd.DataFrame({"quarter": ["2025-Q2", "2025-Q3"], "n": [529, 12]})
    y = encodings(spec(charts.trend(quarters, x="quarter", y="n")))[0]["y"]["axis"]
    assert y["format"] == "d" and y["tickMinStep"] == 1
    scores = pd.DataFrame({"wave": ["W1", "W2"], "value": [3.5, 3.75]})
    assert encodings(spec(charts.trend(scores)))[0]["y"]["axis"]["format"] == ".1f"
