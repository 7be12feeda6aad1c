"""Themes across all text: sizes, who raises them, trend, quotes, search, group comparison."""

from typing import NamedTuple

import pandas as pd
import streamlit as st

import webui as ui
from eevp import charts
from eevp.analytics import report_views, theme_views
from eevp.analytics.customers import search_quotes
from eevp.errors import EevpError
from eevp.themes.read import search_units
from eevp.themes.run import rename_theme

t = ui.t
TREND_TOP = 8  # lines in the theme trend at first: more tangle into one another


class _Page(NamedTuple):
    """What the tabs share: the reportable themes, their text units and labels."""

    key: tuple
    cthr: int  # the smallest group for text
    engine: object
    settings: object
    themes: pd.DataFrame
    units: pd.DataFrame
    labels: pd.Series


def _refit_controls() -> None:
    """In the sidebar, for the roles that may refit: add new text to the themes, or rebuild them."""
    if not ui.allowed("refit"):
        return
    with st.sidebar:
        refit = st.checkbox(t("Refit from scratch"), key="refit_all",
                            help=t("Rebuilds every theme; otherwise new text joins the existing themes."))
        if st.button(t("Update themes"), help=t("Adds new text to the themes; tick 'refit' to rebuild them.")):
            ui.run_analysis(refit=refit)


def _load() -> _Page:
    """The themes with enough people to report, and their units (the page stops when there are none)."""
    settings = ui.get_settings()
    engine = ui.get_engine()
    key = ui.data_key()
    cthr = settings.min_comment_group
    _refit_controls()
    themes, units = ui.themes_and_units(key, "all")
    if themes.empty and ui.analysis_notice():
        st.stop()
    if themes.empty:
        st.info(ui.no_themes_message())
        st.stop()
    themes = theme_views.reportable(themes, units, cthr)
    labels = theme_views.labels_of(themes)
    units = theme_views.in_themes(units, themes)
    return _Page(key, cthr, engine, settings, themes, units, labels)


def _counts(p: _Page) -> None:
    assigned, outside = theme_views.unit_counts(p.units)
    c1, c2, c3 = st.columns(3)
    c1.metric(t("Themes"), ui.num(len(p.themes)), border=True)
    c2.metric(t("Text units in themes"), ui.num(assigned), border=True)
    c3.metric(t("Not in any theme"), ui.num(outside), border=True)


def _list_tab(p: _Page) -> None:
    shown = _group_picked(p.themes)
    ui.chart(charts.theme_bars(shown, title=t("Theme size and sentiment")),
             "Bar length = number of text units; colours show the sentiment mix.")
    if p.themes["is_candidate"].any():
        st.caption(t("◇ marks a candidate theme: text that fits no established theme yet, grouped provisionally; "
                     "it may change at the next analysis."))
    ui.table(theme_views.theme_overview(shown), key="themes", filename="eevp-themes.csv",
             caption="Share columns are percentages of each theme's text units.",
             percent=["share", "survey", "exit", "focus", "negative", "positive"])
    if ui.allowed("rename_themes"):
        _rename_form(p)


def _group_picked(themes: pd.DataFrame) -> pd.DataFrame:
    """The groups of related themes, and the themes of the group picked (all of them at first)."""
    groups = theme_views.theme_groups(themes)
    if not len(groups):
        return themes
    st.caption(t("{k} themes in {g} groups of related themes. Pick a group to open it.", k=len(themes),
                 g=len(groups)))
    ui.chart(charts.theme_bars(groups, title=t("Theme groups: size and sentiment")),
             "Bar length = number of text units in the group's themes; colours show the sentiment mix.")
    names = theme_views.group_names(groups)
    pick = st.selectbox(t("Theme group"), [None] + groups["group"].tolist(), key="theme_group",
                        format_func=lambda g: t("All themes") if g is None else t(
                            "{label} ({n} themes)", label=names[g][0], n=names[g][1]))
    return themes if pick is None else report_views.rows_with(themes, "group", pick)


def _rename_form(p: _Page) -> None:
    with st.form("rename"):
        a, b = st.columns([2, 3])
        tid = a.selectbox(t("Theme"), p.themes["theme_id"].tolist(), format_func=lambda i: p.labels.get(i, str(i)))
        new = b.text_input(t("New label"))
        if st.form_submit_button(t("Rename")) and new.strip():
            rename_theme(p.engine, theme_views.model_row(p.themes, tid), int(tid),
                         new.strip(), actor=ui.current_user())
            st.cache_data.clear()
            st.rerun()


def _who_tab(p: _Page) -> None:
    # the first drawn is one the units have: restaurant reviews have no role, and "by role" drew an empty chart
    segments = report_views.named_first(p.units, ["role", "department", "kind", "language", "tenure"])
    seg = st.selectbox(t("Segment"), segments, format_func=ui.seg_label, key="who_seg")
    cross = theme_views.trim(theme_views.theme_cross(p.units, seg, p.cthr, p.labels), seg, top=25)
    ui.chart(charts.heatmap(cross, x=seg, y="label", value="people",
                            title=t("Theme by {seg}", seg=ui.seg_label(seg).lower()),
                            suppressed_label=t("fewer than {n} responses", n=p.cthr), scheme="blues"),
             "People who raised each theme; cells with fewer than the comment threshold are hidden.")


def _trend_tab(p: _Page) -> None:
    per, vis, ranked_labels, periods = theme_views.trend_view(p.units, p.cthr, p.labels)
    chosen = st.multiselect(t("Themes"), ranked_labels, default=ranked_labels[:TREND_TOP], key="trend_themes",
                            placeholder=t("Choose options"),
                            help=t("The most raised themes are shown at first; add or remove any."))
    vis = theme_views.with_labels(vis, chosen)
    if len(vis):
        ui.chart(charts.trend(vis, x=per, y="share", color="label", sort=periods, percent=True,
                              title=t("Share of people raising each theme over time"),
                              x_title=t("Wave") if per == "wave" else t("Quarter"),
                              y_title=t("Share of people who wrote"), color_title=t("Theme")),
                 "Each point is the share of the people who wrote in that period who raised the theme, so a period "
                 "with more answers does not lift every line. Growing lines are themes on the rise.")
    else:
        st.info(t("Not enough text per period to show a trend."))


def _quotes_tab(p: _Page) -> None:
    if not ui.allowed("view_quotes"):
        st.info(t("Your role does not include quotes."))
        return
    a, b = st.columns(2)
    tid = a.selectbox(t("Theme"), p.themes["theme_id"].tolist(), format_func=lambda i: p.labels.get(i, str(i)),
                      key="quote_theme")
    ui.action_button("theme", p.labels.get(tid, str(tid)), theme_id=tid)
    groups = ui.summary_groups(p.key, int(tid))
    group = b.selectbox(t("Who"), [None, *groups], key="quote_group",
                        format_func=lambda g: t("Everyone") if g is None else f"{ui.seg_label(g[0])}: {g[1]}")
    st.caption(t("The statements most typical of the theme and different from each other, one per person "
                 "(redacted); only for themes and groups of at least {n} people.", n=p.cthr))
    sums, quoted = ui.theme_summaries(p.key, actor=ui.current_user())
    if group is None:
        ui.theme_summary(sums.get(tid), quoted.get(tid, []))
    else:
        ui.theme_summary(*ui.group_summary(p.key, int(tid), group[0], group[1], actor=ui.current_user()))


def _search_tab(p: _Page) -> None:
    query = st.text_input(t("Search all text (words or a sentence)"))
    mode = st.radio(t("Search by"), [t("Words"), t("Meaning")], horizontal=True)
    if not (query.strip() and ui.allowed("view_quotes")):
        return
    try:
        hits = search_units(p.engine, query.strip(), embedder=ui.embedder() if mode == t("Meaning") else None,
                            limit=20, actor=ui.current_user())
    except EevpError as exc:
        st.error(t(str(exc)))
        hits = pd.DataFrame(columns=["unit_id", "score"])
    found = search_quotes(p.engine, hits["unit_id"].tolist() if len(hits) else [], p.settings,
                          actor=ui.current_user())
    if not found:
        st.info(t("Nothing to show: no statement matches, or fewer than {n} people wrote the ones that do.",
                  n=p.cthr))
    for q in found:
        ui.quote(q["text"], q.get("comment"))


def _compare_tab(p: _Page) -> None:
    st.caption(t("Which themes one group raises more often than another (share of the people in each group)."))
    a, b = st.columns(2)
    choices = {"leavers": t("Leavers (exit interviews)"), "stayers": t("Staff (survey comments)")}
    opts = theme_views.compare_options(p.units)
    first, second = theme_views.compare_defaults(p.units, opts, p.cthr)
    fmt = lambda o: choices.get(o, o.replace("role:", t("Role") + ": "))  # noqa: E731
    ga = a.selectbox(t("Group A"), opts, index=first, format_func=fmt)
    gb = b.selectbox(t("Group B"), opts, index=second, format_func=fmt)
    cmp = theme_views.compare_groups(p.units, theme_views.unit_group(p.units, ga),
                                     theme_views.unit_group(p.units, gb), p.cthr, p.labels)
    if cmp.empty:
        st.info(t("Each group needs at least {n} people who wrote something.", n=p.cthr))
        return
    cmp = theme_views.by_gap(cmp)  # the largest differences first, page by page
    drawn = theme_views.compared_in_both(cmp, top=len(cmp))  # a theme hidden on either side has no bars
    if len(drawn):
        ui.chart(charts.compare_bars(ui.page_of(drawn, "compare_page"), a_label=fmt(ga), b_label=fmt(gb),
                                     title=t("Themes: group A against B")),
                 "Bars show the share of each group's people who raised the theme.")
    else:
        st.info(t("No theme has enough people in both groups to be drawn; the table lists what can be shown."))
    ui.table(cmp, key="compare", filename="eevp-theme-comparison.csv")


def main() -> None:
    ui.page("Themes in what people write", "💬", "view_themes")
    p = _load()
    _counts(p)
    tab_list, tab_who, tab_trend, tab_quotes, tab_search, tab_compare = st.tabs(
        [t("Themes"), t("Who raises them"), t("Trend"), t("Quotes"), t("Search"), t("Compare groups")])
    with tab_list:
        _list_tab(p)
    with tab_who:
        _who_tab(p)
    with tab_trend:
        _trend_tab(p)
    with tab_quotes:
        _quotes_tab(p)
    with tab_search:
        _search_tab(p)
    with tab_compare:
        _compare_tab(p)


main()
