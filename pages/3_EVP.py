"""EVP: what each role is offered, what it values, and the gap between expectation and reality."""

from typing import NamedTuple

import pandas as pd
import streamlit as st

import webui as ui
from eevp import charts
from eevp.analytics import report_views, reports

t = ui.t


class _Page(NamedTuple):
    """What the tabs share: the catalogue, the roles, and the page's tables (cached per data version)."""

    key: tuple
    threshold: int
    catalog: pd.DataFrame
    roles: list
    waves: list
    tables: dict


def _load() -> _Page:
    """The page's data (the page stops when there is no catalogue)."""
    settings = ui.get_settings()
    key = ui.data_key()
    catalog = ui.evp_catalog(key)
    ui.stop_if_empty(catalog, "No EVP catalogue yet. Upload the benefit catalogue on the Upload page.")
    tables = ui.evp_tables(key, settings.min_group_size)
    return _Page(key, settings.min_group_size, catalog, tables["roles"], ui.wave_order(key), tables)


def _gap_tab(p: _Page) -> None:
    st.caption(t("Gap = importance − satisfaction (both 1–5). A large gap is a promise staff value but do not "
                 "feel kept."))
    role = st.selectbox(t("Role"), [t("All roles")] + p.roles, key="evp_role")
    if role == t("All roles"):
        view = p.tables["company"]
    else:
        view = report_views.rows_with(p.tables["gaps"], "role", role)
        benefit = st.selectbox(t("Benefit"), view["benefit"].tolist(), key="evp_act_benefit")
        ui.action_button("evp_gap", f"{benefit} · {role}", benefit=benefit, role=role)
    visible = report_views.unsuppressed(view)
    if len(visible):
        ui.chart(charts.gap_bars(visible, title=t("Importance vs satisfaction, ranked by gap")),
                 "Each bar runs from satisfaction to importance; the longer it is, the larger the gap.")
    ui.table(view, key="evp_gaps", filename="eevp-evp-gaps.csv")


def _matrix_tab(p: _Page) -> None:
    matrix = reports.evp_matrix(p.catalog, p.roles)
    ui.chart(charts.offer_matrix(matrix, title=t("Which benefits each role is offered")),
             "Filled = offered to the role; empty = not offered.")
    ui.table(matrix, key="evp_matrix", filename="eevp-evp-matrix.csv")


def _missing_tab(gaps: pd.DataFrame) -> None:
    missing = reports.valued_not_offered(gaps)
    if len(missing):
        for r in missing.itertuples():
            st.warning(t("**{role}** rates **{benefit}** at {imp} of 5 in importance, but it is not offered to "
                         "this role.", role=ui.escape(r.role), benefit=ui.escape(r.benefit),
                         imp=ui.num(r.importance, 1)))
        ui.table(missing, key="evp_missing", filename="eevp-valued-not-offered.csv")
    else:
        st.success(t("No role rates an unoffered benefit as highly important (4 of 5 or more)."))


def _pillars_tab(p: _Page) -> None:
    pt = p.tables["pillars"]
    visible = report_views.unsuppressed(pt)
    if len(visible):
        ui.chart(charts.trend(visible, x="wave", y="satisfaction", color="pillar", sort=p.waves,
                              title=t("Satisfaction by EVP pillar and wave")),
                 "Mean satisfaction (1–5) with the benefits of each pillar.")
    ep = p.tables["exit_pillars"]
    if len(ep):
        st.subheader(t("Leavers' reasons mapped to pillars"))
        ui.chart(charts.share_bars(report_views.unsuppressed(ep), category="pillar", value="share",
                                   title=t("Share of leavers naming a reason in each pillar")),
                 "A leaver may name several reasons; shares do not add up to 100%.")


def main() -> None:
    ui.page("Employer value proposition", "🎁", "view_dashboards")
    p = _load()
    tab_gap, tab_matrix, tab_missing, tab_pillars = st.tabs(
        [t("Expectation minus reality"), t("Offered by role"), t("Valued but not offered"), t("Pillars and exits")])
    with tab_gap:
        _gap_tab(p)
    with tab_matrix:
        _matrix_tab(p)
    with tab_missing:
        _missing_tab(p.tables["gaps"])
    with tab_pillars:
        _pillars_tab(p)


main()
