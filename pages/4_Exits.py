"""Exits: why people leave, who, when, and (with the text engine) what they say."""

from typing import NamedTuple

import pandas as pd
import streamlit as st

import webui as ui
from eevp import charts
from eevp.analytics import report_views, reports, theme_views

t = ui.t


class _Page(NamedTuple):
    """What the tabs share: the leavers, the population of the anonymity checks, the grouping chosen."""

    key: tuple
    threshold: int
    cthr: int  # the smallest group for text
    exits: pd.DataFrame
    everyone: pd.DataFrame  # for the anonymity checks only: never drawn
    scope: dict
    by: str


def _reasons_tab(p: _Page) -> None:
    if not theme_views.names_any(p.exits, "reason"):
        st.info(t("These exit interviews have no main reason column: the reasons leavers give in their own words "
                  "are on the tab \"What leavers say\"."))
        return
    m = reports.reason_role_matrix(p.exits, p.threshold, by=p.by, population=p.everyone, selections=p.scope)
    ui.chart(charts.heatmap(report_views.leavers_matrix(m), x=p.by, y="reason", value="leavers",
                            title=t("Leavers by reason and {by}", by=ui.seg_label(p.by).lower()),
                            suppressed_label=t("fewer than {n} responses", n=p.threshold), scheme="blues"),
             "Each cell counts leavers who gave this main reason; grey cells are too small to show.")
    ui.table(m, key="exit_reasons", filename="eevp-exit-reasons.csv")
    reason = st.selectbox(t("Reason"), report_views.distinct_values(p.exits, "reason"), key="exit_act_reason",
                          format_func=ui.value_label)  # "(not given)" in the user's language
    ui.action_button("exit_reason", reason, reason=reason)


def _time_tab(p: _Page) -> None:
    ot = reports.exits_over_time(p.exits, p.threshold, population=p.everyone, selections=p.scope)
    ui.chart(charts.trend(report_views.unsuppressed(ot), x="quarter", y="n", title=t("Leavers per quarter")),
             "Number of exit interviews per quarter.")
    if not theme_views.names_any(p.exits, "tenure"):
        return  # a chart of one bar, "(not given)", says nothing
    tn = reports.tenure_at_exit(p.exits, p.threshold, population=p.everyone, selections=p.scope)
    ui.chart(charts.share_bars(report_views.unsuppressed(tn), category="tenure", value="n",
                               title=t("Tenure at exit")), "How long leavers had been with the company.")


def _no_groups(p: _Page) -> bool:
    """Whether no leaver has a value of the column grouped by (then say so: a chart of "(not given)" says nothing)."""
    if theme_views.names_any(p.exits, p.by):
        return False
    st.info(t("These exit interviews have no {by} column. Map one on the Upload page to compare groups.",
              by=ui.seg_label(p.by).lower()))
    return True


def _groups_tab(p: _Page) -> None:
    if _no_groups(p):
        return
    g = reports.exits_by(p.exits, p.by, p.threshold, population=p.everyone, selections=p.scope)
    show = report_views.exit_groups_table(g)
    if theme_views.names_any(p.exits, "regretted"):  # else an empty chart at 0% (IBM's and TAFE's leavers)
        ui.chart(charts.share_bars(report_views.unsuppressed(show), category=p.by, value="regretted_share",
                                   title=t("Regretted share by {by}", by=ui.seg_label(p.by).lower()), percent=True),
                 "Share of leavers the company wanted to keep.")
    else:
        st.info(t("No leaver is marked as regretted or not: map a \"Regretted\" column on upload to compare them."))
    ui.table(show, key="exit_groups", filename="eevp-exits-by-group.csv")


def _text_tab(p: _Page) -> None:
    themes, units = ui.themes_and_units(p.key, "all")
    ex = theme_views.exit_units(units, p.exits)  # the leavers this user may see
    ex_all = theme_views.exit_units(units, p.everyone)
    if themes.empty or ex.empty:
        st.info(t("Exit text themes appear here once exit interviews with comments are analysed."))
        st.stop()
    labels = theme_views.labels_of(themes)
    st.caption(t("Themes of what leavers wrote. Cells with fewer than {n} people are hidden.", n=p.cthr))
    cross = theme_views.trim(theme_views.theme_cross(ex, p.by, p.cthr, labels, population=ex_all,
                                                     selections=p.scope), p.by)
    totals = report_views.unsuppressed(theme_views.theme_totals(ex, p.cthr, labels, population=ex_all,
                                                                 selections=p.scope))
    if not theme_views.names_any(ex, p.by) and len(totals):  # nothing to group by: every leaver's themes
        ui.chart(charts.share_bars(totals.head(15), category="label", value="people",
                                   title=t("What leavers write about")),
                 "Leavers who raised each theme (a leaver may raise several).")
    elif not theme_views.names_any(ex, p.by):
        st.info(t("No exit theme is raised by {n} leavers or more yet.", n=p.cthr))
    elif len(cross) and cross["people"].notna().any():
        ui.chart(charts.heatmap(cross, x=p.by, y="label", value="people",
                                title=t("What leavers write about, by {by}", by=ui.seg_label(p.by).lower()),
                                suppressed_label=t("fewer than {n} responses", n=p.cthr), scheme="blues"),
                 "Leavers who raised each theme; a dark row across many groups is a company-wide reason.")
    else:
        st.info(t("Too few leavers per group to show themes by {by}.", by=ui.seg_label(p.by).lower()))
    if ui.allowed("view_quotes"):
        _summaries(p, labels)
    _regretted(ex, p.cthr, labels)
    _customer_part(p)


def _summaries(p: _Page, labels: pd.Series) -> None:
    """What leavers say about one theme: its summary and quotes."""
    st.subheader(t("What leavers say, theme by theme"))
    sums, quoted = ui.theme_summaries(p.key, "all", "exit", actor=ui.current_user())
    shown = [tid for tid in labels.index if tid in sums]
    if shown:
        tid = st.selectbox(t("Theme"), shown, format_func=lambda i: labels.get(i, str(i)), key="exit_summary")
        ui.theme_summary(sums[tid], quoted.get(tid, []))
    else:
        st.info(t("No exit theme is raised by {n} leavers or more yet.", n=p.cthr))


def _regretted(ex: pd.DataFrame, cthr: int, labels: pd.Series) -> None:
    """The themes regretted leavers raise more often than the others."""
    st.subheader(t("Regretted leavers against the others"))
    if not theme_views.names_any(ex, "regretted"):
        st.info(t("No leaver is marked as regretted or not: map a \"Regretted\" column on upload to compare them."))
        return
    cmp = theme_views.compare_regretted(ex, cthr, labels)
    if cmp["share_a"].notna().any() and cmp["share_b"].notna().any():
        ui.chart(charts.compare_bars(theme_views.compared_in_both(cmp, top=12),
                                     a_label=t("Regretted"), b_label=t("Not regretted"),
                                     title=t("Themes regretted leavers raise more often")),
                 "Share of each group's leavers who raised the theme; top rows are over-represented among the "
                 "people the company wanted to keep.")
    else:
        st.info(t("Each group needs at least {n} leavers who wrote something.", n=cthr))


def _customer_part(p: _Page) -> None:
    """The customer problems leavers describe, by group."""
    st.subheader(t("What leavers tell us about customers"))
    cthemes, cunits = ui.themes_and_units(p.key, "customers")
    cex = theme_views.exit_units(cunits, p.exits) if len(cunits) else cunits
    if cthemes.empty or cex.empty:
        st.info(t("No customer statements from leavers yet."))
        return
    clabels = theme_views.labels_of(cthemes)
    everyone = theme_views.exit_units(cunits, p.everyone)
    ccross = theme_views.trim(theme_views.theme_cross(cex, p.by, p.cthr, clabels, population=everyone,
                                                      selections=p.scope), p.by)
    totals = report_views.unsuppressed(theme_views.theme_totals(cex, p.cthr, clabels, population=everyone,
                                                                 selections=p.scope))
    if not theme_views.names_any(cex, p.by) and len(totals):  # nothing to group by: every leaver's problems
        ui.chart(charts.share_bars(totals.head(15), category="label", value="people",
                                   title=t("Customer problems leavers describe")),
                 "Leavers who described each customer problem. Open Customer insights for quotes and stages.")
    elif not theme_views.names_any(cex, p.by):
        st.info(t("No customer problem is described by {n} leavers or more yet.", n=p.cthr))
    elif len(ccross) and ccross["people"].notna().any():
        ui.chart(charts.heatmap(ccross, x=p.by, y="label", value="people",
                                title=t("Customer problems leavers describe, by {by}",
                                        by=ui.seg_label(p.by).lower()),
                                suppressed_label=t("fewer than {n} responses", n=p.cthr), scheme="oranges"),
                 "Leavers who described each customer problem. Open Customer insights for quotes and stages.")
    else:
        st.info(t("Too few leavers per group to show customer themes by {by}.", by=ui.seg_label(p.by).lower()))


def main() -> None:
    ui.page("Exit interviews", "🚪", "view_dashboards")
    settings = ui.get_settings()
    key = ui.data_key()
    exits, everyone, scope = ui.exits_frames(key)
    ui.stop_if_empty(exits, "No exit interviews yet. Upload them on the Upload page.")
    dims = ["role", "department", "location", "tenure"]
    # The first grouping leavers have values of: TAFE's exits have no role, and "by role" was one "(not given)".
    first = next((d for d in dims if theme_views.names_any(exits, d)), "role")
    by = st.segmented_control(t("Group by"), dims, default=first, format_func=ui.seg_label, key="exit_by") or first
    p = _Page(key, settings.min_group_size, settings.min_comment_group, exits, everyone, scope, by)
    tab_reasons, tab_time, tab_groups, tab_text = st.tabs(
        [t("Reasons"), t("Over time"), t("By group"), t("What leavers say")])
    with tab_reasons:
        _reasons_tab(p)
    with tab_time:
        _time_tab(p)
    with tab_groups:
        _groups_tab(p)
    with tab_text:
        _text_tab(p)


main()
