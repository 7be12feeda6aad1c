"""EVP: what each role is offered, what it values, and the gap between expectation and reality."""

import streamlit as st

import webui as ui
from eevp import charts
from eevp.analytics import report_views, reports

t = ui.t
ui.page("Employer value proposition", "🎁", "view_dashboards")
settings = ui.get_settings()
threshold = settings.min_group_size
key = ui.data_key()
catalog, ratings = ui.evp_frames(key)
everyone, scope = ui.evp_population(key)  # for the anonymity checks only: never drawn
ui.stop_if_empty(catalog, "No EVP catalogue yet. Upload the benefit catalogue on the Upload page.")
waves = ui.wave_order(key)
roles = report_views.evp_roles(catalog, ratings)

tab_gap, tab_matrix, tab_missing, tab_pillars = st.tabs(
    [t("Expectation minus reality"), t("Offered by role"), t("Valued but not offered"), t("Pillars and exits")])

gaps = reports.evp_gaps(ratings, catalog, threshold, by="role", population=everyone, selections=scope)
with tab_gap:
    st.caption(t("Gap = importance − satisfaction (both 1–5). A large gap is a promise staff value but do not "
                 "feel kept."))
    role = st.selectbox(t("Role"), [t("All roles")] + roles, key="evp_role")
    if role == t("All roles"):
        view = report_views.evp_company_gaps(ratings, catalog, threshold, population=everyone, selections=scope)
    else:
        view = report_views.rows_with(gaps, "role", role)
        benefit = st.selectbox(t("Benefit"), view["benefit"].tolist(), key="evp_act_benefit")
        ui.action_button("evp_gap", f"{benefit} · {role}", benefit=benefit, role=role)
    visible = report_views.unsuppressed(view)
    if len(visible):
        ui.chart(charts.gap_bars(visible, title=t("Importance vs satisfaction, ranked by gap")),
                 "Each bar runs from satisfaction to importance; the longer it is, the larger the gap.")
    ui.table(view, key="evp_gaps", filename="eevp-evp-gaps.csv")

with tab_matrix:
    matrix = reports.evp_matrix(catalog, roles)
    ui.chart(charts.offer_matrix(matrix, title=t("Which benefits each role is offered")),
             "Filled = offered to the role; empty = not offered.")
    ui.table(matrix, key="evp_matrix", filename="eevp-evp-matrix.csv")

with tab_missing:
    missing = reports.valued_not_offered(gaps)
    if len(missing):
        for r in missing.itertuples():
            st.warning(t("**{role}** rates **{benefit}** at {imp} of 5 in importance, but it is not offered to "
                         "this role.", role=ui.escape(r.role), benefit=ui.escape(r.benefit), imp=ui.num(r.importance, 1)))
        ui.table(missing, key="evp_missing", filename="eevp-valued-not-offered.csv")
    else:
        st.success(t("No role rates an unoffered benefit as highly important (4 of 5 or more)."))

with tab_pillars:
    pt = reports.pillar_trend(ratings, catalog, threshold, waves, population=everyone, selections=scope)
    visible = report_views.unsuppressed(pt)
    if len(visible):
        ui.chart(charts.trend(visible, x="wave", y="satisfaction", color="pillar", sort=waves,
                              title=t("Satisfaction by EVP pillar and wave")),
                 "Mean satisfaction (1–5) with the benefits of each pillar.")
    exits = ui.exits_frame(key)
    leavers, leaver_scope = ui.exits_population(key)
    ep = reports.exit_pillars(exits, threshold, population=leavers, selections=leaver_scope)
    if len(ep):
        st.subheader(t("Leavers' reasons mapped to pillars"))
        ui.chart(charts.share_bars(report_views.unsuppressed(ep), category="pillar", value="share",
                                   title=t("Share of leavers naming a reason in each pillar")),
                 "A leaver may name several reasons; shares do not add up to 100%.")
