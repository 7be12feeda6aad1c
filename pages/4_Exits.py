"""Exits: why people leave, who, when, and (with the text engine) what they say."""

import streamlit as st

import webui as ui
from eevp import charts
from eevp.analytics import report_views, reports, theme_views

t = ui.t
ui.page("Exit interviews", "🚪", "view_dashboards")
settings = ui.get_settings()
threshold = settings.min_group_size
key = ui.data_key()
exits = ui.exits_frame(key)
ui.stop_if_empty(exits, "No exit interviews yet. Upload them on the Upload page.")
everyone, scope = ui.exits_population(key)  # for the anonymity checks only: never drawn

by = st.segmented_control(t("Group by"), ["role", "department", "location", "tenure"], default="role",
                          format_func=ui.seg_label, key="exit_by") or "role"
tab_reasons, tab_time, tab_groups, tab_text = st.tabs(
    [t("Reasons"), t("Over time"), t("By group"), t("What leavers say")])

with tab_reasons:
    m = reports.reason_role_matrix(exits, threshold, by=by, population=everyone, selections=scope)
    ui.chart(charts.heatmap(report_views.leavers_matrix(m), x=by, y="reason", value="leavers",
                            title=t("Leavers by reason and {by}", by=ui.seg_label(by).lower()),
                            suppressed_label=t("fewer than {n} responses", n=threshold), scheme="blues"),
             "Each cell counts leavers who gave this main reason; grey cells are too small to show.")
    ui.table(m, key="exit_reasons", filename="eevp-exit-reasons.csv")
    reason = st.selectbox(t("Reason"), report_views.distinct_values(exits, "reason"), key="exit_act_reason")
    ui.action_button("exit_reason", reason, reason=reason)

with tab_time:
    ot = reports.exits_over_time(exits, threshold, population=everyone, selections=scope)
    ui.chart(charts.trend(report_views.unsuppressed(ot), x="quarter", y="n", title=t("Leavers per quarter")),
             "Number of exit interviews per quarter.")
    tn = reports.tenure_at_exit(exits, threshold, population=everyone, selections=scope)
    ui.chart(charts.share_bars(report_views.unsuppressed(tn), category="tenure", value="n",
                               title=t("Tenure at exit")), "How long leavers had been with the company.")

with tab_groups:
    g = reports.exits_by(exits, by, threshold, population=everyone, selections=scope)
    show = report_views.exit_groups_table(g)
    ui.chart(charts.share_bars(report_views.unsuppressed(show), category=by, value="regretted_share",
                               title=t("Regretted share by {by}", by=ui.seg_label(by).lower()), percent=True),
             "Share of leavers the company wanted to keep.")
    ui.table(show, key="exit_groups", filename="eevp-exits-by-group.csv")

with tab_text:
    cthr = settings.min_comment_group
    themes, units = ui.themes_and_units(key, "all")
    ex = theme_views.exit_units(units, exits)  # the leavers this user may see
    ex_all = theme_views.exit_units(units, everyone)
    if themes.empty or ex.empty:
        st.info(t("Exit text themes appear here once exit interviews with comments are analysed."))
        st.stop()
    labels = theme_views.labels_of(themes)
    st.caption(t("Themes of what leavers wrote. Cells with fewer than {n} people are hidden.", n=cthr))
    cross = theme_views.trim(theme_views.theme_cross(ex, by, cthr, labels, population=ex_all, selections=scope), by)
    if len(cross) and cross["people"].notna().any():
        ui.chart(charts.heatmap(cross, x=by, y="label", value="people",
                                title=t("What leavers write about, by {by}", by=ui.seg_label(by).lower()),
                                suppressed_label=t("fewer than {n} responses", n=cthr), scheme="blues"),
                 "Leavers who raised each theme; a dark row across many groups is a company-wide reason.")
    else:
        st.info(t("Too few leavers per group to show themes by {by}.", by=ui.seg_label(by).lower()))
    if ui.allowed("view_quotes"):
        st.subheader(t("What leavers say, theme by theme"))
        sums, quoted = ui.theme_summaries(key, "all", "exit", actor=ui.current_user())
        shown = [tid for tid in labels.index if tid in sums]
        if shown:
            tid = st.selectbox(t("Theme"), shown, format_func=lambda i: labels.get(i, str(i)), key="exit_summary")
            ui.theme_summary(sums[tid], quoted.get(tid, []))
        else:
            st.info(t("No exit theme is raised by {n} leavers or more yet.", n=cthr))
    st.subheader(t("Regretted leavers against the others"))
    cmp = theme_views.compare_regretted(ex, cthr, labels)
    if cmp["share_a"].notna().any() and cmp["share_b"].notna().any():
        ui.chart(charts.compare_bars(theme_views.compared_in_both(cmp, top=12),
                                     a_label=t("Regretted"), b_label=t("Not regretted"),
                                     title=t("Themes regretted leavers raise more often")),
                 "Share of each group's leavers who raised the theme; top rows are over-represented among the "
                 "people the company wanted to keep.")
    else:
        st.info(t("Each group needs at least {n} leavers who wrote something.", n=cthr))
    st.subheader(t("What leavers tell us about customers"))
    cthemes, cunits = ui.themes_and_units(key, "customers")
    cex = theme_views.exit_units(cunits, exits) if len(cunits) else cunits
    if cthemes.empty or cex.empty:
        st.info(t("No customer statements from leavers yet."))
    else:
        clabels = theme_views.labels_of(cthemes)
        ccross = theme_views.trim(theme_views.theme_cross(cex, by, cthr, clabels, population=theme_views.exit_units(
            cunits, everyone), selections=scope), by)
        if len(ccross) and ccross["people"].notna().any():
            ui.chart(charts.heatmap(ccross, x=by, y="label", value="people",
                                    title=t("Customer problems leavers describe, by {by}",
                                            by=ui.seg_label(by).lower()),
                                    suppressed_label=t("fewer than {n} responses", n=cthr), scheme="oranges"),
                     "Leavers who described each customer problem. Open Customer insights for quotes and stages.")
        else:
            st.info(t("Too few leavers per group to show customer themes by {by}.", by=ui.seg_label(by).lower()))
