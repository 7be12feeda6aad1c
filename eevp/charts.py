"""Chart builders: tidy DataFrame in, ``altair.Chart`` out. No streamlit, no I/O.

Every chart has a title, axis titles and tooltips, and uses colour-blind-safe colours: the
"blueorange" diverging scheme (orange = below, blue = above), "viridis"/"blues" sequential
schemes, and the Okabe–Ito palette for categories. Suppressed rows (``suppressed`` True) never
carry their values into the chart spec: the builders blank them again before embedding, draw
them grey and say "fewer than N responses" in the tooltip and text.
"""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

__all__ = [
    "GREY",
    "MANY_COLOURS",
    "OKABE_ITO",
    "bar_enps",
    "compare_bars",
    "distribution",
    "driver_scatter",
    "gap_bars",
    "heatmap",
    "offer_matrix",
    "share_bars",
    "stacked_share",
    "theme_bars",
    "trend",
]

#: Okabe & Ito (2008) colour-blind-safe palette for categories.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
#: For more series than Okabe-Ito has colours (nine roles in a trend): Tableau 20, so no two series share one.
MANY_COLOURS = ["#4E79A7", "#A0CBE8", "#F28E2B", "#FFBE7D", "#59A14F", "#8CD17D", "#B6992D", "#F1CE63", "#499894",
                "#86BCB6", "#E15759", "#FF9D9A", "#79706E", "#BAB0AC", "#D37295", "#FABFD2", "#B07AA1", "#D4A6C8",
                "#9D7660", "#D7B5A6"]
#: Fill for suppressed cells.
GREY = "#d9d9d9"
#: What a hidden value (a group under the anonymity threshold) shows, in every chart cell and table.
HIDDEN_MARK = "–"
DEFAULT_SUPPRESSED = "fewer than the minimum number of responses"
SENTIMENT_COLOURS = {"negative": "#D55E00", "neutral": "#BBBBBB", "positive": "#0072B2"}
#: Category axes (themes, groups, benefits): room for a theme's phrase label ("Flexibility with working
#: hours") before Vega-Lite cuts it with "…" (its default is 180 px); the tooltip shows it whole.
_LABELS = alt.Axis(labelLimit=300)
#: Category axes across: slanted, with room for a role's name ("Customer Support Agent") before the "…".
_ACROSS = alt.Axis(labelLimit=240, labelAngle=-45, labelOverlap=False)
QUADRANT_COLOURS = {
    "Fix first": "#D55E00",
    "Strengths to keep": "#0072B2",
    "Monitor": "#E69F00",
    "Maintain": "#009E73",
}


# --------------------------------------------------------------------------- helpers


def _title(text: str) -> alt.TitleParams:
    return alt.TitleParams(text=text, anchor="start")


def _is_suppressed(df: pd.DataFrame, suppressed_col: str | None) -> pd.Series:
    if suppressed_col and suppressed_col in df.columns:
        return df[suppressed_col].fillna(True).astype(bool)
    return pd.Series(False, index=df.index)


def _blank(df: pd.DataFrame, cols: list[str], hidden: pd.Series) -> pd.DataFrame:
    """A copy with ``cols`` set to None in hidden rows (the values never reach the spec)."""
    out = df.copy()
    for col in dict.fromkeys(cols):  # a column named twice (value="n") is blanked once
        if col not in out.columns:
            continue
        numbers = pd.to_numeric(out[col], errors="coerce")
        if numbers.notna().sum() == out[col].notna().sum():  # a numeric column: NaN becomes JSON null
            out[col] = numbers.astype(float).where(~hidden)
        else:
            out[col] = out[col].astype(object).where(~hidden, None)
    return out


def _auto_percent(values: pd.Series) -> bool:
    v = pd.to_numeric(values, errors="coerce").dropna()
    return bool(len(v)) and bool(((v >= -1) & (v <= 1)).all()) and not bool((v == v.round()).all())


def _whole(values: pd.Series) -> bool:
    """Counts (people, responses): whole numbers, shown without decimals."""
    v = pd.to_numeric(values, errors="coerce").dropna()
    return bool(len(v)) and bool((v == v.round()).all())


def _fmt(value, percent: bool) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return f"{value:.0%}" if percent else (f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}")


def _number_format(values: pd.Series, decimals: str = ".1f") -> str:
    """An axis format for ``values``: whole numbers (counts of people) without decimals ("500", not "500,0";
    the ticks between them too), anything else with ``decimals``."""
    v = pd.to_numeric(values, errors="coerce").dropna()
    return "d" if len(v) and bool((v % 1 == 0).all()) else decimals


def _value_axis(fmt: str) -> alt.Axis:
    """A value axis in ``fmt``; one of whole numbers has no ticks between them (two "1" ticks for 0.5 and 1)."""
    return alt.Axis(format=fmt, tickMinStep=1) if fmt == "d" else alt.Axis(format=fmt)


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Columns as plain Python objects/strings so the spec holds JSON-safe values."""
    out = df.reset_index(drop=True).copy()
    for col in out.columns:
        if pd.api.types.is_bool_dtype(out[col]) or pd.api.types.is_numeric_dtype(out[col]):
            continue
        numbers = pd.to_numeric(out[col], errors="coerce")
        if out[col].notna().any() and numbers.notna().sum() == out[col].notna().sum():
            out[col] = numbers.astype(float)
        else:
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    out.columns = [str(c) for c in out.columns]
    return out


def _category_colour(
    field: str, title: str | None = None, domain: list | None = None, colours: list | None = None
) -> alt.Color:
    if not domain:
        return alt.Color(f"{field}:N", title=title or field, scale=alt.Scale(range=OKABE_ITO))
    if len(domain) <= len(OKABE_ITO):
        return alt.Color(f"{field}:N", title=title or field, scale=alt.Scale(domain=domain, range=colours or OKABE_ITO))
    # many series: a longer palette, and the legend in columns of eight (one column taller than the chart is
    # cut off after its eighth entry; the chart's height is the page's, so a legend below it squeezes the plot)
    return alt.Color(f"{field}:N", title=title or field, scale=alt.Scale(domain=domain, range=colours or MANY_COLOURS),
                     legend=alt.Legend(columns=math.ceil(len(domain) / len(OKABE_ITO)), symbolLimit=0))


# --------------------------------------------------------------------------- heatmap


def heatmap(
    df: pd.DataFrame,
    x: str,
    y: str,
    value: str,
    diff_col: str | None = None,
    suppressed_col: str = "suppressed",
    title: str = "Heatmap",
    *,
    suppressed_label: str = DEFAULT_SUPPRESSED,
    scheme: str | None = None,
    percent: bool | None = None,
    x_sort: list | None = None,
    y_sort: list | None = None,
    x_title: str | None = None,
    y_title: str | None = None,
) -> alt.Chart:
    """A cell per (x, y): coloured by ``diff_col`` (diverging around 0) or by ``value``.

    Args:
        df: tidy rows with ``x``, ``y``, ``value`` (and ``diff_col``, ``n``, ``suppressed_col``).
        x: column across.
        y: column down.
        value: the number written in each cell.
        diff_col: optional difference from a reference; colours then diverge around 0 (orange
            below, blue above).
        suppressed_col: boolean column of hidden cells, drawn grey with ``suppressed_label``.
        title: chart title.
        suppressed_label: text for hidden cells, e.g. "fewer than 5 responses".
        scheme: Vega colour scheme; default "blueorange" for differences, "viridis" for values.
        percent: format values as percentages; default: when every value is a fraction.
        x_sort: order of the x categories.
        y_sort: order of the y categories.
        x_title: axis title across (default ``x``).
        y_title: axis title down (default ``y``).
    """
    hidden = _is_suppressed(df, suppressed_col)
    keep = [c for c in dict.fromkeys([x, y, value, diff_col, "n"]) if c and c in df.columns]
    data = _blank(df[keep], [c for c in keep if c not in (x, y)], hidden)
    pct = _auto_percent(data[value]) if percent is None else percent
    data["shown"] = [suppressed_label if h else _fmt(v, pct) for v, h in zip(data[value], hidden)]
    data["cell"] = [HIDDEN_MARK if h else _fmt(v, pct) for v, h in zip(data[value], hidden)]
    data["hidden"] = hidden.to_numpy()
    fmt = ".0%" if pct else ("d" if _whole(data[value]) and not diff_col else ".2f")
    tooltip = _heatmap_tooltip(data, x, y, value, diff_col, fmt, x_title, y_title)
    base = alt.Chart(_plain(data)).encode(
        x=alt.X(f"{x}:N", title=x_title or x, sort=x_sort, axis=_ACROSS),
        y=alt.Y(f"{y}:N", title=y_title or y, sort=y_sort, axis=_LABELS),
    )
    rect = base.mark_rect(stroke="white").encode(
        color=alt.condition("datum.hidden", alt.value(GREY),
                            _heatmap_colour(diff_col or value, diff_col, scheme, fmt, legend=not hidden.all())),
        tooltip=tooltip,
    )
    text = base.mark_text(fontSize=11).encode(text="cell:N", tooltip=tooltip)
    return (rect + text).properties(title=_title(title))


def _heatmap_colour(field: str, diff_col: str | None, scheme: str | None, fmt: str, legend: bool = True) -> alt.Color:
    """Diverging around 0 (orange below, blue above) for a difference, else sequential; no legend when every
    cell is hidden (its scale has no value: the legend read "NaN")."""
    if diff_col:
        scale = alt.Scale(scheme=scheme or "blueorange", domainMid=0, reverse=scheme is None)
    else:
        scale = alt.Scale(scheme=scheme or "viridis")
    return alt.Color(f"{field}:Q", title=field, scale=scale, legend=alt.Legend(format=fmt) if legend else None)


def _heatmap_tooltip(data: pd.DataFrame, x: str, y: str, value: str, diff_col: str | None, fmt: str,
                     x_title: str | None, y_title: str | None) -> list:
    tooltip = [
        alt.Tooltip(f"{y}:N", title=y_title or y),
        alt.Tooltip(f"{x}:N", title=x_title or x),
        alt.Tooltip("shown:N", title=value),
    ]
    if diff_col:
        tooltip.append(alt.Tooltip(f"{diff_col}:Q", title=diff_col, format="+" + fmt))
    if "n" in data.columns:
        tooltip.append(alt.Tooltip("n:Q", title="n"))
    return tooltip


# --------------------------------------------------------------------------- bars


def bar_enps(
    df: pd.DataFrame,
    group_col: str,
    title: str = "eNPS by group",
    *,
    enps_col: str = "enps",
    suppressed_col: str = "suppressed",
    suppressed_label: str = DEFAULT_SUPPRESSED,
    group_title: str | None = None,
) -> alt.Chart:
    """Horizontal eNPS bars (−100..100) with 95% CI whiskers (``ci_low``/``ci_high``); ``group_title`` names
    the group axis (default ``group_col``)."""
    hidden = _is_suppressed(df, suppressed_col)
    keep = [c for c in [group_col, enps_col, "ci_low", "ci_high", "n"] if c in df.columns]
    data = _blank(df[keep], [c for c in keep if c != group_col], hidden)
    data["note"] = np.where(hidden, suppressed_label, "")
    data["side"] = [
        "hidden" if h else ("below 0" if (v is not None and v < 0) else "0 or above")
        for v, h in zip(data[enps_col], hidden)
    ]
    tooltip = [
        alt.Tooltip(f"{group_col}:N", title=group_title or group_col),
        alt.Tooltip(f"{enps_col}:Q", title="eNPS", format=".0f"),
    ]
    if "ci_low" in data:
        tooltip += [
            alt.Tooltip("ci_low:Q", title="95% CI from", format=".0f"),
            alt.Tooltip("ci_high:Q", title="95% CI to", format=".0f"),
        ]
    if "n" in data:
        tooltip.append(alt.Tooltip("n:Q", title="n"))
    base = alt.Chart(_plain(data)).encode(
        # Sorted by the field, not by "-x": the note layer's x is a constant, and a channel sort there
        # breaks the whole layered chart in Vega-Lite (it draws nothing).
        y=alt.Y(f"{group_col}:N", title=group_title or group_col, axis=_LABELS,
                sort=alt.EncodingSortField(field=enps_col, op="max", order="descending")))
    bars = base.mark_bar().encode(
        x=alt.X(f"{enps_col}:Q", title="eNPS", scale=alt.Scale(domain=[-100, 100])),
        color=alt.Color(
            "side:N",
            title="eNPS",
            scale=alt.Scale(domain=["below 0", "0 or above", "hidden"], range=["#D55E00", "#0072B2", GREY]),
            legend=None,
        ),
        tooltip=tooltip,
    )
    layers = [bars]
    if "ci_low" in data:
        layers.append(base.mark_rule(color="black").encode(x="ci_low:Q", x2="ci_high:Q", tooltip=tooltip))
    layers.append(base.mark_text(align="left", dx=4, color="#555555").encode(x=alt.datum(0), text="note:N"))
    return alt.layer(*layers).properties(title=_title(title))


def share_bars(
    df: pd.DataFrame,
    category: str,
    value: str,
    title: str = "Share",
    *,
    percent: bool = False,
    suppressed_col: str = "suppressed",
    suppressed_label: str = DEFAULT_SUPPRESSED,
) -> alt.Chart:
    """Horizontal bars of ``value`` per ``category``, largest first."""
    hidden = _is_suppressed(df, suppressed_col)
    data = _blank(df[list(dict.fromkeys(c for c in [category, value, "n"] if c in df.columns))], [value, "n"],
                  hidden)
    data["shown"] = [suppressed_label if h else _fmt(v, percent) for v, h in zip(data[value], hidden)]
    fmt = ".0%" if percent else _number_format(data[value], ".2f")
    return (
        alt.Chart(_plain(data))
        .mark_bar(color=OKABE_ITO[0])
        .encode(
            x=alt.X(f"{value}:Q", title=value, axis=_value_axis(fmt)),
            y=alt.Y(f"{category}:N", title=category, sort="-x", axis=_LABELS),
            tooltip=[alt.Tooltip(f"{category}:N", title=category), alt.Tooltip("shown:N", title=value)],
        )
        .properties(title=_title(title))
    )


def gap_bars(
    df: pd.DataFrame,
    title: str = "Importance vs satisfaction",
    *,
    label_col: str = "benefit",
    suppressed_col: str = "suppressed",
) -> alt.Chart:
    """Dumbbells from satisfaction to importance per benefit, ranked by gap (importance − satisfaction)."""
    hidden = _is_suppressed(df, suppressed_col)
    data = df.loc[
        ~hidden, [c for c in [label_col, "importance", "satisfaction", "n", "pillar"] if c in df]
    ].copy()
    data["gap"] = data["importance"] - data["satisfaction"]
    order = data.sort_values("gap", ascending=False)[label_col].astype(str).tolist()
    tooltip = [
        alt.Tooltip(f"{label_col}:N", title=label_col),
        alt.Tooltip("importance:Q", title="importance", format=".2f"),
        alt.Tooltip("satisfaction:Q", title="satisfaction", format=".2f"),
        alt.Tooltip("gap:Q", title="gap", format="+.2f"),
    ]
    if "n" in data:
        tooltip.append(alt.Tooltip("n:Q", title="n"))
    base = alt.Chart(_plain(data)).encode(
        y=alt.Y(f"{label_col}:N", title=label_col, sort=order, axis=_LABELS))
    rule = base.mark_rule(strokeWidth=3, color="#999999").encode(
        x=alt.X("satisfaction:Q", title="rating (1–5)", scale=alt.Scale(domain=[1, 5])),
        x2="importance:Q",
        tooltip=tooltip,
    )
    # The two measures as rows (not a Vega fold): their names are data values a legend shows, so the
    # app can translate them like any other.
    long = data.melt(id_vars=[c for c in data.columns if c not in ("importance", "satisfaction")],
                     value_vars=["importance", "satisfaction"], var_name="measure", value_name="rating")
    long = long.merge(data[[label_col, "importance", "satisfaction"]], on=label_col)
    points = (
        alt.Chart(_plain(long))
        .mark_point(filled=True, size=80)
        .encode(
            y=alt.Y(f"{label_col}:N", title=label_col, sort=order, axis=_LABELS),
            x="rating:Q",
            color=_category_colour(
                "measure", "measure", ["importance", "satisfaction"], [OKABE_ITO[5], OKABE_ITO[0]]
            ),
            tooltip=tooltip,
        )
    )
    return (rule + points).properties(title=_title(title))


def compare_bars(
    df: pd.DataFrame,
    a_label: str = "Group A",
    b_label: str = "Group B",
    title: str = "Group A against group B",
    *,
    label_col: str = "label",
    label_title: str = "theme",
) -> alt.Chart:
    """Paired bars: share of each group's people per theme (``share_a``, ``share_b``); ``label_title``
    names what the bars are of (e.g. "stage")."""
    long = df.melt(
        id_vars=[label_col], value_vars=["share_a", "share_b"], var_name="group", value_name="share"
    )
    long["group"] = long["group"].map({"share_a": a_label, "share_b": b_label})
    order = df.sort_values("share_a", ascending=False)[label_col].astype(str).tolist() if len(df) else None
    return (
        alt.Chart(_plain(long))
        .mark_bar()
        .encode(
            x=alt.X("share:Q", title="share of the group's people", axis=alt.Axis(format=".0%")),
            y=alt.Y(f"{label_col}:N", title=label_title, sort=order, axis=_LABELS),
            yOffset=alt.YOffset("group:N", sort=[a_label, b_label]),
            color=_category_colour("group", "group", [a_label, b_label], OKABE_ITO[:2]),
            tooltip=[
                alt.Tooltip(f"{label_col}:N", title=label_title),
                alt.Tooltip("group:N", title="group"),
                alt.Tooltip("share:Q", title="share", format=".0%"),
            ],
        )
        .properties(title=_title(title))
    )


def stacked_share(
    df: pd.DataFrame,
    category: str,
    stack: str,
    value: str,
    title: str = "Shares",
    *,
    normalize: bool = True,
    colours: dict | None = None,
    stack_order: list | None = None,
) -> alt.Chart:
    """Horizontal stacked bars of ``value`` per ``category`` split by ``stack`` (100% when ``normalize``)."""
    domain = stack_order or (list(colours) if colours else None)
    colour = (
        _category_colour(stack, stack, domain, [colours[k] for k in domain])
        if colours
        else _category_colour(stack, stack, domain)
    )
    return (
        alt.Chart(_plain(df[[category, stack, value]]))
        .mark_bar()
        .encode(
            x=alt.X(
                f"{value}:Q",
                title="share" if normalize else value,
                stack="normalize" if normalize else True,
                axis=alt.Axis(format=".0%") if normalize else alt.Axis(),
            ),
            y=alt.Y(f"{category}:N", title=category, axis=_LABELS),
            color=colour,
            order=alt.Order(f"{stack}:N"),
            tooltip=[
                alt.Tooltip(f"{category}:N", title=category),
                alt.Tooltip(f"{stack}:N", title=stack),
                alt.Tooltip(f"{value}:Q", title=value),
            ],
        )
        .properties(title=_title(title))
    )


def theme_bars(
    themes: pd.DataFrame, title: str = "Themes", *, label_col: str = "label", size_col: str = "size"
) -> alt.Chart:
    """Theme sizes; split by sentiment when ``sentiment`` holds ``{sentiment: count}`` dicts."""
    has_mix = (
        "sentiment" in themes and themes["sentiment"].map(lambda v: isinstance(v, dict) and bool(v)).any()
    )
    if not has_mix:
        return share_bars(
            themes.assign(**{size_col: themes[size_col].astype(float)}), label_col, size_col, title=title
        )
    rows = [
        {label_col: r[label_col], "sentiment": s, "units": int(c)}
        for r in themes.to_dict("records")
        if isinstance(r.get("sentiment"), dict)
        for s, c in r["sentiment"].items()
    ]
    order = themes.sort_values(size_col, ascending=False)[label_col].astype(str).tolist()
    long = pd.DataFrame(rows, columns=[label_col, "sentiment", "units"])
    domain = list(SENTIMENT_COLOURS) + sorted(set(long["sentiment"]) - set(SENTIMENT_COLOURS))
    colours = [SENTIMENT_COLOURS.get(s, OKABE_ITO[3]) for s in domain]
    return (
        alt.Chart(_plain(long))
        .mark_bar()
        .encode(
            x=alt.X("units:Q", title="text units", stack=True),
            y=alt.Y(f"{label_col}:N", title="theme", sort=order, axis=_LABELS),
            color=_category_colour("sentiment", "sentiment", domain, colours),
            tooltip=[
                alt.Tooltip(f"{label_col}:N", title="theme"),
                alt.Tooltip("sentiment:N", title="sentiment"),
                alt.Tooltip("units:Q", title="text units"),
            ],
        )
        .properties(title=_title(title))
    )


def offer_matrix(matrix: pd.DataFrame, title: str = "Benefits offered by role") -> alt.Chart:
    """Benefit × role grid: filled where the benefit is offered to the role."""
    data = matrix.assign(offered_text=np.where(matrix["offered"].astype(bool), "offered", "not offered"))
    return (
        alt.Chart(_plain(data))
        .mark_rect(stroke="#999999")
        .encode(
            x=alt.X("role:N", title="role", axis=_ACROSS),
            y=alt.Y("benefit:N", title="benefit", axis=_LABELS),
            color=alt.Color(
                "offered_text:N",
                title="",
                scale=alt.Scale(domain=["offered", "not offered"], range=[OKABE_ITO[0], "#ffffff"]),
            ),
            tooltip=[
                alt.Tooltip("benefit:N", title="benefit"),
                alt.Tooltip("role:N", title="role"),
                alt.Tooltip("offered_text:N", title="offered"),
            ]
            + ([alt.Tooltip("pillar:N", title="pillar")] if "pillar" in data else []),
        )
        .properties(title=_title(title))
    )


def distribution(
    df: pd.DataFrame,
    item: str,
    title: str | None = None,
    *,
    group_col: str | None = None,
    score_col: str = "score",
    count_col: str = "count",
    scale: tuple[int, int] | None = None,
) -> alt.Chart:
    """100% stacked bar of how many people gave each answer (low answers orange, high blue).

    The legend shows every answer of the item's ``scale`` (min, max), also those nobody gave.

    Args:
        df: rows of ``score`` and ``count`` (and ``group_col`` for one bar per group).
        item: the item's name (bar label and default title).
        title: chart title.
        group_col: optional column giving one bar per group.
        score_col: the answer value column.
        count_col: the count column.
    """
    data = df[[c for c in [group_col, score_col, count_col] if c]].copy()
    if group_col is None:
        data["bar"] = item
        group_col = "bar"
    data["share"] = data[count_col] / data.groupby(group_col)[count_col].transform("sum")
    whole_scale = set(range(int(scale[0]), int(scale[1]) + 1)) if scale else set()
    scores = sorted(set(data[score_col].tolist()) | whole_scale)
    return (
        alt.Chart(_plain(data))
        .mark_bar()
        .encode(
            x=alt.X(
                f"{count_col}:Q", title="share of answers", stack="normalize", axis=alt.Axis(format=".0%")
            ),
            y=alt.Y(f"{group_col}:N", title=None if group_col == "bar" else group_col, axis=_LABELS),
            color=alt.Color(
                f"{score_col}:O",
                title="answer",
                sort=scores,
                scale=alt.Scale(scheme="blueorange", reverse=True, domain=scores),
                # below the bars, in one row: beside a single bar a column of 5+ answers is cut off
                legend=alt.Legend(orient="bottom", direction="horizontal", columns=len(scores)),
            ),
            order=alt.Order(f"{score_col}:O"),
            tooltip=[
                alt.Tooltip(f"{score_col}:O", title="answer"),
                alt.Tooltip(f"{count_col}:Q", title="people"),
                alt.Tooltip("share:Q", title="share", format=".0%"),
            ],
        )
        .properties(title=_title(title or f"How people answered: {item}"))
    )


# --------------------------------------------------------------------------- lines and points


def trend(
    df: pd.DataFrame,
    x: str = "wave",
    y: str = "value",
    color: str | None = None,
    *,
    title: str = "Trend",
    sort: list | None = None,
    percent: bool = False,
    suppressed_col: str = "suppressed",
    x_title: str | None = None,
    y_title: str | None = None,
    color_title: str | None = None,
) -> alt.Chart:
    """Lines with points of ``y`` over ``x`` (one line per ``color``); suppressed points are left out."""
    hidden = _is_suppressed(df, suppressed_col)
    data = df.loc[~hidden, [c for c in dict.fromkeys([x, y, color, "n"]) if c and c in df.columns]]
    fmt = ".0%" if percent else _number_format(data[y])
    tooltip = [
        alt.Tooltip(f"{x}:N", title=x_title or x),
        alt.Tooltip(f"{y}:Q", title=y_title or y, format=fmt),
    ]
    enc = {
        "x": alt.X(f"{x}:N", title=x_title or x, sort=sort),
        "y": alt.Y(f"{y}:Q", title=y_title or y, axis=_value_axis(fmt)),
    }
    if color:
        # each series keeps its colour in every language: the colours follow the series' order in the
        # data, not the alphabetical order of their (translated) names
        series = list(dict.fromkeys(df[color].dropna().tolist()))
        enc["color"] = _category_colour(color, color_title or color, domain=series)
        tooltip.insert(0, alt.Tooltip(f"{color}:N", title=color_title or color))
    if "n" in data.columns:
        tooltip.append(alt.Tooltip("n:Q", title="n"))
    return (
        alt.Chart(_plain(data))
        .mark_line(point=True)
        .encode(**enc, tooltip=tooltip)
        .properties(title=_title(title))
    )


def driver_scatter(df: pd.DataFrame, title: str = "Key drivers: score against impact") -> alt.Chart:
    """Items by score (x) and impact (y), with median lines and the four quadrant names."""
    data = df[[c for c in ["item", "score", "impact", "r", "quadrant"] if c in df.columns]].copy()
    x_mid, y_mid = float(data["score"].median()), float(data["impact"].median())
    tooltip = [
        alt.Tooltip("item:N", title="item"),
        alt.Tooltip("score:Q", title="score", format=".2f"),
        alt.Tooltip("impact:Q", title="impact (relative weight)", format=".3f"),
        alt.Tooltip("quadrant:N", title="quadrant"),
    ]
    if "r" in data:
        tooltip.insert(3, alt.Tooltip("r:Q", title="correlation", format=".2f"))
    base = alt.Chart(_plain(data))
    x_enc = alt.X("score:Q", title="score (higher = better)", scale=alt.Scale(zero=False))
    y_enc = alt.Y("impact:Q", title="impact on the outcome", scale=alt.Scale(zero=False))
    points = base.mark_circle(size=90).encode(
        x=x_enc,
        y=y_enc,
        tooltip=tooltip,
        color=alt.Color("quadrant:N", title="quadrant", legend=alt.Legend(orient="bottom", labelLimit=300),
                        scale=alt.Scale(domain=list(QUADRANT_COLOURS),
                                        range=list(QUADRANT_COLOURS.values()))),
    )
    # Item names are cut at 120 px (the tooltip has them whole) and the legend sits below the plot: long
    # names ran into one another and into the legend.
    labels = base.mark_text(align="left", dx=7, fontSize=10, limit=120).encode(
        x=x_enc, y=y_enc, text="item:N")
    corners = pd.DataFrame(
        {
            "quadrant": list(QUADRANT_COLOURS),
            "score": [data["score"].min(), data["score"].max(), data["score"].min(), data["score"].max()],
            "impact": [
                data["impact"].max(),
                data["impact"].max(),
                data["impact"].min(),
                data["impact"].min(),
            ],
            "align": ["left", "right", "left", "right"],
        }
    )
    names = alt.layer(
        *[
            alt.Chart(corners[corners["align"] == a])
            .mark_text(align=a, fontWeight="bold", color="#666666", dy=-8)
            .encode(x="score:Q", y="impact:Q", text="quadrant:N")
            for a in ("left", "right")
        ]
    )
    vline = (
        alt.Chart(pd.DataFrame({"score": [x_mid]}))
        .mark_rule(strokeDash=[4, 4], color="#888888")
        .encode(x="score:Q")
    )
    hline = (
        alt.Chart(pd.DataFrame({"impact": [y_mid]}))
        .mark_rule(strokeDash=[4, 4], color="#888888")
        .encode(y="impact:Q")
    )
    return alt.layer(vline, hline, points, labels, names).properties(title=_title(title), height=340)
