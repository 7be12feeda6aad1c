"""Exits: why people leave, who, when, and (with the text engine) what they say."""

import streamlit as st

import ui

ui.page_setup("Exits", "🚪")
t = ui.t

from eevp import charts, reports  # noqa: E402

st.title(t("Exit interviews"))
ui.require_permission("view_dashboards")
settings = ui.get_settings()
threshold = settings.min_group_size
key = ui.data_key()
exits = ui.exits_frame(key)
ui.stop_if_empty(exits, "No exit interviews yet. Upload them on the Upload page.")

by = st.segmented_control(t("Group by"), ["role", "department", "location", "tenure"], default="role",
                          format_func=t, key="exit_by") or "role"
tab_reasons, tab_time, tab_groups, tab_text = st.tabs(
    [t("Reasons"), t("Over time"), t("By group"), t("What leavers say")])

with tab_reasons:
    m = reports.reason_role_matrix(exits, threshold, by=by)
    ui.chart(charts.heatmap(m.rename(columns={"n": "leavers"}), x=by, y="reason", value="leavers",
                            title=t("Leavers by reason and {by}", by=t(by)),
                            suppressed_label=t("fewer than {n} responses", n=threshold), scheme="blues"),
             "Each cell counts leavers who gave this main reason; grey cells are too small to show.")
    ui.table(m, key="exit_reasons", filename="eevp-exit-reasons.csv")

with tab_time:
    ot = reports.exits_over_time(exits, threshold)
    ui.chart(charts.trend(ot[~ot["suppressed"]], x="quarter", y="n", title=t("Leavers per quarter")),
             "Number of exit interviews per quarter.")
    tn = reports.tenure_at_exit(exits, threshold)
    ui.chart(charts.share_bars(tn[~tn["suppressed"]], category="tenure", value="n",
                               title=t("Tenure at exit")), "How long leavers had been with the company.")

with tab_groups:
    g = reports.exits_by(exits, by, threshold)
    show = g.drop(columns=["reasons"])
    ui.chart(charts.share_bars(show[~show["suppressed"]], category=by, value="regretted_share",
                               title=t("Regretted share by {by}", by=t(by)), percent=True),
             "Share of leavers the company wanted to keep.")
    ui.table(show, key="exit_groups", filename="eevp-exits-by-group.csv")

with tab_text:
    try:
        import exit_text
    except ImportError:
        st.info(t("Exit text themes appear here after the analysis has run."))
    else:
        exit_text.render(by)
