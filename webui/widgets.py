"""Widgets shared by the pages: tables with a CSV download, charts with translated titles, quotes,
the survey filters in the sidebar, and the analysis notice.
"""

from __future__ import annotations


import pandas as pd
import streamlit as st

from eevp.pipeline import read_status
from eevp.safe import escape_markdown, to_csv_bytes
from eevp.store.queries import SEGMENTS, Filters, extra_segments
from webui.core import get_settings, lang, t


def stop_if_empty(df, message: str) -> None:
    if df is None or len(df) == 0:
        st.info(t(message))
        st.stop()


def quote(text: str) -> None:
    """Show a person's words as text, never as Markdown or HTML."""
    st.markdown("> " + escape_markdown(text).replace("\n", " "))


PERCENT_COLUMNS = {"favourable", "share", "regretted_share", "engagement", "diff", "delta", "previous", "current",
                   "promoters", "detractors", "participation"}


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
    "kind": "Source", "language": "Language", "gender": "Gender", "age_band": "Age band",
}


def seg_label(name: str) -> str:
    """A segment or column name as people read it, in their language."""
    if name in COLUMN_LABELS:
        return t(COLUMN_LABELS[name])
    text = str(name).replace("_", " ")
    return text[:1].upper() + text[1:]


def table(df, key: str, caption: str | None = None, filename: str | None = None, height: int | None = None,
          percent: list[str] | None = None) -> None:
    """A table with a CSV download (formula cells neutralised); shares shown as percentages, suppressed
    rows marked in words."""

    if caption:
        st.caption(t(caption))
    shown = df.copy()
    pct = [c for c in (percent if percent is not None else PERCENT_COLUMNS) if c in shown.columns]
    config = {}
    for col in shown.columns:
        if col in pct:
            config[col] = st.column_config.NumberColumn(seg_label(col), format="percent")
        elif pd.api.types.is_float_dtype(shown[col]):
            whole = bool((shown[col].dropna() % 1 == 0).all())
            config[col] = st.column_config.NumberColumn(seg_label(col), format="%d" if whole else "%.2f")
        else:
            config[col] = st.column_config.Column(seg_label(col))
    if "suppressed" in shown.columns:
        hidden = shown["suppressed"].fillna(False).astype(bool)
        threshold = get_settings().min_group_size
        shown["suppressed"] = [t("fewer than {n} responses", n=threshold) if h else "" for h in hidden]
        config["suppressed"] = st.column_config.TextColumn(t("note"))
    st.dataframe(shown, hide_index=True, width="stretch", height=height or "auto", column_config=config)
    st.download_button(t("Download CSV"), to_csv_bytes(df), file_name=filename or f"{key}.csv",
                       mime="text/csv", key=f"dl_{key}")


#: Axis and legend titles the chart builders in eevp.charts write in English.
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
}


def _translated_titles(node):
    """The chart spec with every axis, legend and tooltip title in the user's language."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "title" and isinstance(v, str) and v:
                out[k] = t(CHART_WORDS[v]) if v in CHART_WORDS else seg_label(v) if v in COLUMN_LABELS else t(v)
            else:
                out[k] = _translated_titles(v)
        return out
    if isinstance(node, list):
        return [_translated_titles(v) for v in node]
    return node


def chart(ch, how_to_read: str | None = None) -> None:
    """An Altair chart (titles in the user's language) with its one-line "how to read this"."""
    if lang() == "en":
        st.altair_chart(ch, width="stretch")
    else:
        st.vega_lite_chart(spec=_translated_titles(ch.to_dict()), width="stretch")
    if how_to_read:
        st.caption("ℹ️ " + t(how_to_read))


def survey_filters(wide, items, waves):
    """Sidebar filters shared across pages (kept in the session). Returns (filtered frame, segment names)."""

    extra = extra_segments(wide, items["item"].tolist())
    segments = list(SEGMENTS) + [c for c in extra if wide[c].nunique() <= 50]
    with st.sidebar:
        st.subheader(t("Filters"))
        chosen_waves = _kept_multiselect(t("Wave"), waves, "f_waves", default=waves[-1:],
                                         help=t("The latest wave is chosen at first; clear it to see all waves."))
        chosen = {}
        for name in segments:
            options = sorted(wide[name].dropna().astype(str).unique())
            chosen[name] = tuple(_kept_multiselect(seg_label(name), options, f"f_{name}"))
    f = Filters(waves=tuple(chosen_waves), **{k: v for k, v in chosen.items() if k in SEGMENTS},
                segments=tuple((k, v) for k, v in chosen.items() if k not in SEGMENTS))
    st.session_state["_filters"] = f
    return f.apply(wide), segments


def _kept_multiselect(label: str, options: list, key: str, default=None, help: str | None = None) -> list:
    """A multiselect whose choice survives visits to pages without it (Streamlit forgets widget state there)."""
    keep = "_keep_" + key
    if keep in st.session_state:
        st.session_state[key] = [v for v in st.session_state[keep] if v in options]
    elif default is not None and key not in st.session_state:
        st.session_state[key] = [v for v in default if v in options]
    value = st.multiselect(label, options, key=key, help=help)
    st.session_state[keep] = value
    return value


def current_filters():
    """The Filters chosen in the sidebar on this run (see survey_filters)."""

    return st.session_state.get("_filters") or Filters()


def analysis_notice() -> bool:
    """Say so when an analysis is running (e.g. the first one after start); True when one is."""

    status = read_status(get_settings())
    if not status or status.get("state") != "running":
        return False
    total = max(int(status.get("total") or 1), 1)
    st.info(t("The text analysis is running ({step}: {done} of {total}). Themes appear here when it ends; "
              "the survey, EVP and exit numbers are ready now.", step=t(str(status.get("step"))),
              done=status.get("done"), total=total), icon="⏳")
    st.progress(min(int(status.get("done") or 0) / total, 1.0))
    if st.button(t("Check again")):
        st.cache_data.clear()
        st.rerun()
    return True
