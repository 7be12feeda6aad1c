"""Everything a chart or a table shows, in the user's language: column and segment names, chart titles,
the category words the chart builders write as data (sentiment, quadrants, stages, tenure bands…), the
order of ordinal categories, and numbers as the language writes them.

The chart builders in :mod:`eevp.charts` write English words; :func:`chart_spec` translates the finished
Vega-Lite spec (titles, data values, scale domains and sorts alike, so colours still match), and
:func:`table_view` writes a table's numbers as text in the user's language, one number of decimals per
column (the table widget would format with the browser's locale, not the user's choice, and print
"None" for a hidden value).
"""

from __future__ import annotations

import pandas as pd

from eevp.analytics.customers import STAGES
from eevp.analytics.metrics import favourable_answers
from eevp.charts import HIDDEN_MARK
from eevp.i18n import format_number
from webui.core import lang, t

#: Headers of the tables the pages show (data columns keep their names in CSV downloads).
COLUMN_LABELS = {
    "favourable": "Favourable", "n": "Responses", "diff": "Difference from all", "item": "Item", "role": "Role",
    "department": "Department", "location": "Location", "tenure": "Tenure", "wave": "Wave", "enps": "eNPS",
    "ci_low": "95% CI from", "ci_high": "95% CI to", "promoters": "Promoters", "detractors": "Detractors",
    "importance": "Importance", "satisfaction": "Satisfaction", "gap": "Gap", "benefit": "Benefit",
    "pillar": "Pillar", "offered": "Offered", "scope": "Scope", "reason": "Reason", "label": "Theme",
    "size": "Text units", "share": "Share", "survey": "Survey", "exit": "Exit", "focus": "Focus group",
    "negative": "Negative", "positive": "Positive", "keywords": "Keywords", "delta": "Change",
    "previous": "Before", "current": "Now", "significant": "Significant", "impact": "Impact", "score": "Score",
    "quadrant": "Quadrant", "people": "People", "row": "Row", "column": "Column", "value": "Value",
    "message": "Problem", "regretted_share": "Regretted", "leavers": "Leavers", "engagement": "Engagement",
    "kind": "Source", "language": "Language", "gender": "Gender", "age_band": "Age band", "mean": "Mean",
    "impact_share": "Impact share", "r": "Correlation", "count": "Count", "stage": "Journey stage",
    "source": "Source", "period": "Period", "quarter": "Quarter", "theme": "Theme", "p_value": "p-value",
    "n_previous": "Responses before", "n_current": "Responses now", "theme_id": "Theme number",
    "people_a": "People in A", "people_b": "People in B", "share_a": "Share in A", "share_b": "Share in B",
    "lift": "A to B ratio",
}
#: Segment names the app knows; any other segment column (an upload's own) is shown as its file named it.
SEGMENT_LABELS = {k: COLUMN_LABELS[k] for k in ("role", "department", "location", "tenure", "wave", "kind",
                                                "language", "gender", "age_band")}

#: Axis and legend titles the chart builders write in English.
CHART_WORDS = {
    "theme": "Theme", "n": "Responses", "eNPS": "eNPS", "text units": "Text units", "share": "Share",
    "benefit": "Benefit", "answer": "Answer", "share of the group's people": "Share of the group's people",
    "share of answers": "Share of answers", "sentiment": "Sentiment", "score": "Score",
    "score (higher = better)": "Score (higher = better)", "satisfaction": "Satisfaction",
    "rating (1–5)": "Rating (1–5)", "quadrant": "Quadrant", "pillar": "Pillar", "people": "People",
    "offered": "Offered", "item": "Item", "importance": "Importance", "impact on the outcome": "Impact on the outcome",
    "impact (relative weight)": "Impact (relative weight)", "group": "Group", "gap": "Gap",
    "correlation": "Correlation", "95% CI to": "95% CI to", "95% CI from": "95% CI from", "measure": "Measure",
    "value": "Value", "stage": "Journey stage", "source": "Source", "period": "Period", "quarter": "Quarter",
    "leavers": "Leavers", "label": "Theme", "reason": "Reason", "favourable": "Favourable", "diff": "Difference",
    "regretted_share": "Regretted", "mean": "Mean", "r": "Correlation", "units": "Text units",
}

#: Category words the chart builders and the data write as values (legends, axes), as people read them.
CHART_VALUES = {
    "negative": "Negative", "neutral": "Neutral", "positive": "Positive", "unknown": "Unknown",
    "importance": "Importance", "satisfaction": "Satisfaction", "offered": "Offered", "not offered": "Not offered",
    "Fix first": "Fix first", "Strengths to keep": "Strengths to keep", "Monitor": "Monitor",
    "Maintain": "Maintain", "survey": "Survey", "exit": "Exit", "focus": "Focus group", "all": "All",
    "<1 year": "<1 year", "1-3 years": "1-3 years", "3-5 years": "3-5 years", "5-10 years": "5-10 years",
    "5+ years": "5+ years", "10+ years": "10+ years", "(not given)": "(not given)",
}
#: Categories with an order of their own (not the alphabet's): tenure bands, journey stages.
ORDERED = [
    ["<1 year", "1-3 years", "3-5 years", "5-10 years", "5+ years", "10+ years", "(not given)"],
    list(STAGES),
]


def seg_label(name: str) -> str:
    """A segment's name as people read it, in their language (an upload's own segment as written)."""
    if name in SEGMENT_LABELS:
        return t(SEGMENT_LABELS[name])
    text = str(name).replace("_", " ")
    return text[:1].upper() + text[1:]


def col_label(name: str) -> str:
    """A table column's header, in the user's language."""
    return t(COLUMN_LABELS[name]) if name in COLUMN_LABELS else seg_label(name)


def value_label(value):
    """A category value as shown (``value`` itself when it is not one of :data:`CHART_VALUES`)."""
    if isinstance(value, str) and value in CHART_VALUES:
        return t(CHART_VALUES[value])
    if isinstance(value, str) and value in STAGES:
        return t(value)
    return value


def _title(v: str) -> str:
    if v in CHART_WORDS:
        return t(CHART_WORDS[v])
    return col_label(v) if v in COLUMN_LABELS else t(v)


def _walk(node):
    """Titles translated, category values (data, domains, sorts) shown as people read them."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "title" and isinstance(v, str) and v:
                out[k] = _title(v)
            elif k in ("domain", "sort") and isinstance(v, list):
                out[k] = [value_label(x) for x in v]
            elif k == "datasets" and isinstance(v, dict):
                out[k] = {name: [{c: value_label(x) for c, x in row.items()} for row in rows]
                          for name, rows in v.items()}
            else:
                out[k] = _walk(v)
        return out
    if isinstance(node, list):
        return [_walk(v) for v in node]
    return node


def _ordinal_sorts(spec: dict, node) -> None:
    """Category channels whose values are all from one ordered list (tenure bands) keep that order."""
    if isinstance(node, list):
        for v in node:
            _ordinal_sorts(spec, v)
        return
    if not isinstance(node, dict):
        return
    for k, v in node.items():
        if k == "encoding" and isinstance(v, dict):
            for enc in v.values():
                if isinstance(enc, dict) and enc.get("type") in ("nominal", "ordinal") and enc.get("sort") is None:
                    values = {row.get(enc.get("field")) for rows in spec.get("datasets", {}).values()
                              for row in rows} - {None}
                    for order in ORDERED:
                        if values and values <= set(order):
                            enc["sort"] = [x for x in order if x in values]
        else:
            _ordinal_sorts(spec, v)


#: Numbers in charts as Russian and Ukrainian write them (d3-format locale).
_NUMBER_LOCALE = {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0₽"]}


def chart_spec(spec: dict) -> dict:
    """A Vega-Lite spec from :mod:`eevp.charts` as the user reads it: titles, category words and numbers in
    their language, ordinal categories in order."""
    _ordinal_sorts(spec, spec)
    out = _walk(spec)
    if lang() != "en":
        out.setdefault("config", {})["locale"] = {"number": _NUMBER_LOCALE}
    return out


#: Numbers that name a row or a record: shown as they are.
ID_COLUMNS = frozenset({"row", "id", "batch", "batch_id", "record_id", "year"})


def _number_text(value, kind: str) -> str:
    """A number as the reader's language writes it; ``kind``: "percent" (a share), "points" (a difference
    of shares, in percentage points), "whole" or "decimal"."""
    if value is None or pd.isna(value):
        return ""
    if kind == "percent":
        return format_number(value * 100, lang(), 1) + ("%" if lang() == "en" else "\u00a0%")
    if kind == "points":
        sign = "+" if value > 0 else ("−" if value < 0 else "")
        return t("{v} pp", v=sign + format_number(abs(value) * 100, lang(), 1))
    return format_number(value, lang(), 0 if kind == "whole" else 2)


def table_view(df: pd.DataFrame, percent: list[str], points: tuple[str, ...] = (),
               categories: bool = True, hidden: pd.Series | None = None) -> pd.DataFrame:
    """The table to show: numbers written as the reader's language writes them ("48.2%" / "48,2 %",
    "1,555" / "1 555"), differences of shares (``points``) in percentage points, one number of decimals
    per column, missing values blank (never "None"), except in ``hidden`` rows (a row the anonymity rule
    suppressed), where a number left out shows the mark the charts use for a hidden cell.
    ``categories``: text cells that are category words are shown translated (False: text is data, such as
    names and files, shown as it is)."""
    shown = df.copy()
    for col in shown.columns:
        if col in ID_COLUMNS:
            continue  # a row number or an id is a name, not a quantity: "1555", never "1,555"
        if col in percent:
            kind = "points" if col in points else "percent"
        elif pd.api.types.is_numeric_dtype(shown[col]) and not pd.api.types.is_bool_dtype(shown[col]):
            kind = "whole" if bool((shown[col].dropna() % 1 == 0).all()) else "decimal"
        elif categories and (pd.api.types.is_object_dtype(shown[col]) or pd.api.types.is_string_dtype(shown[col])):
            shown[col] = shown[col].astype(object).map(
                lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA else value_label(v))
            continue
        else:
            continue
        shown[col] = [_number_text(v, kind) for v in shown[col]]
        if hidden is not None:
            shown[col] = [HIDDEN_MARK if h and text == "" else text for text, h in zip(shown[col], hidden)]
    return shown


def favourable_note(items: pd.DataFrame) -> str:
    """Which answers count as favourable, in the user's language: "4–5 of 5", "3–4 of 4" (IBM's 1–4 items),
    "8–10 of 10"; with items on several scales, "the top quarter of each item's scale". The texts said
    "4–5 of 5" whatever the scale."""
    found = favourable_answers(zip(items["min"], items["max"])) if len(items) else None
    if found is None:
        return t("the top quarter of each item's scale (the upper half of a 4-point one)")
    first, top = found
    if first == top:
        return t("{first} of {top}", first=first, top=top)
    return t("{first}–{last} of {top}", first=first, last=top, top=top)
