"""Survey: heatmap by segment, eNPS by segment, distributions, key drivers, wave comparison."""

from typing import NamedTuple

import pandas as pd
import streamlit as st

import webui as ui
from eevp import charts
from eevp.analytics import report_views, reports

t = ui.t


class _Page(NamedTuple):
    """What the tabs share: the responses (all, and those the filters select), the items, the waves and
    the population of the anonymity checks."""

    threshold: int
    wide_all: pd.DataFrame
    items: pd.DataFrame
    waves: list
    population: pd.DataFrame  # every row and the viewer's scope: for the anonymity checks
    scope: dict
    wide: pd.DataFrame
    segments: list
    selections: dict


def _load() -> _Page:
    """The responses the filters select (the page stops when there are none, or too few to show)."""
    settings = ui.get_settings()
    threshold = settings.min_group_size
    key = ui.data_key()
    wide_all, population, scope = ui.survey_frames(key)
    ui.stop_if_empty(wide_all, "No survey data yet. Upload a survey batch on the Upload page.")
    items = ui.survey_items(key)
    waves = ui.wave_order(key)
    wide, segments = ui.survey_filters(wide_all, items, waves)
    selections = reports.filter_selections(ui.current_filters(), scope)
    if not reports.population_ok(len(population), len(wide), threshold) or \
            not reports.filters_allowed(population, ui.current_filters(), threshold, scope):
        st.warning(t("This selection has fewer than {n} responses, leaves fewer than {n} outside it, or differs "
                     "from another selection by fewer than {n} people. Widen the filters: small groups are never "
                     "shown, to protect anonymity.", n=threshold))
        st.stop()
    st.caption(t("{n} responses in the current selection. Groups with fewer than {k} responses are hidden.",
                 n=ui.num(len(wide)), k=threshold))
    segments = report_views.named_first(wide_all, segments)  # the first drawn is one the file has
    return _Page(threshold, wide_all, items, waves, population, scope, wide, segments, selections)


def _heat_tab(p: _Page) -> None:
    seg = st.selectbox(t("Compare by"), p.segments, format_func=ui.seg_label, key="heat_seg")
    heat = reports.heatmap_table(p.wide, p.items, seg, p.threshold, population=p.population,
                                 selections=p.selections)
    if not heat.empty and report_views.unsuppressed(heat).empty:
        # a chart of grey cells (or, past 30 groups, of none) says nothing: say why and what to change
        st.info(t("Every {seg} has fewer than {n} responses in this selection, so none is shown. Pick more waves "
                  "in the sidebar, or compare by another column.", seg=ui.seg_label(seg).lower(), n=p.threshold))
    else:
        # hundreds of columns are unreadable: the ones that matter, the rest on demand
        drawn = ui.groups_in_chart(heat, seg, lambda h: reports.groups_that_matter(h, seg), key=f"heat_groups_{seg}")
        ui.chart(charts.heatmap(drawn, x=seg, y="item", value="favourable", diff_col="diff",
                                x_title=ui.seg_label(seg),
                                title=t("Favourable answers by {seg}", seg=ui.seg_label(seg).lower()),
                                suppressed_label=t("fewer than {n} responses", n=p.threshold)),
                 "Each cell is the share of favourable answers ({answers}). Colour shows the difference from the "
                 "whole selection: orange below, blue above. Grey cells have too few responses to show.",
                 answers=ui.favourable_note(p.items))
    ui.table(heat, key="heatmap", filename="eevp-heatmap.csv", segments=(seg,))


def _enps_tab(p: _Page) -> None:
    if not report_views.has_enps(p.wide):
        st.info(t("No response in this selection answers the eNPS question (how likely, 0–10, to recommend the "
                  "company as a place to work)."))
        return
    seg = st.selectbox(t("Group by"), p.segments, format_func=ui.seg_label, key="enps_seg")
    table = reports.enps_by(p.wide, seg, p.threshold, population=p.population, selections=p.selections)
    visible = report_views.unsuppressed(table)
    if len(visible):
        ui.chart(charts.bar_enps(visible, seg, title=t("eNPS by {seg}", seg=ui.seg_label(seg).lower()),
                                 group_title=ui.seg_label(seg)),
                 "Bars show eNPS (−100 to 100); the whiskers are the 95% confidence interval.")
    ui.table(table, key="enps_by", filename="eevp-enps.csv", segments=(seg,))


def _distribution_tab(p: _Page) -> None:
    item = st.selectbox(t("Item"), p.items["item"].tolist(), key="dist_item")
    dist = reports.distribution(p.wide, item, p.threshold)
    if len(dist):
        scale = reports.item_scales(p.items)[item]
        ui.chart(charts.distribution(dist, item, title=t("How people answered: {item}", item=item), scale=scale),
                 "Share of each answer, from {low} (the lowest) to {high} (the highest).",
                 low=ui.num(scale[0], 0), high=ui.num(scale[1], 0))
    else:
        st.info(t("Too few answers to show."))


def _drivers_tab(p: _Page) -> None:
    outcomes = report_views.driver_outcomes(p.wide, p.items)
    outcome = st.selectbox(t("Outcome to explain"), outcomes, key="drv_outcome",
                           format_func=lambda o: t("eNPS") if o == "enps" else o,
                           help=t("eNPS when the survey asks it; any item can be the outcome instead."))
    drv = reports.drivers(p.wide, p.items, p.threshold, outcome=outcome or "enps")
    name = t("eNPS") if outcome in (None, "enps") else outcome
    if len(drv):
        ui.chart(charts.driver_scatter(drv, title=t("What moves {outcome}: score against impact", outcome=name)),
                 "Right = more favourable; up = stronger link with {outcome}. 'Fix first' items are weak and "
                 "matter most.", outcome=name)
        fix = report_views.fix_first(drv)
        if fix:
            st.markdown("**" + t("Fix first") + ":** " + ", ".join(fix))
        ui.table(drv, key="drivers", filename="eevp-drivers.csv")
    else:
        st.info(t("Key drivers need at least 30 responses that answer the outcome and every other item, and two "
                  "items besides the outcome, in the selection."))


def _waves_tab(p: _Page) -> None:
    st.caption(t("This tab compares waves, so it uses every wave with the other filters."))
    seg = st.selectbox(t("Segment"), p.segments, format_func=ui.seg_label, key="wave_seg")
    item = st.selectbox(t("Item"), p.items["item"].tolist(), key="wave_item")
    group = st.selectbox(t("Group"), [None, *report_views.distinct_values(p.wide_all, seg)], key="act_group",
                         format_func=lambda g: t("Everyone") if g is None else str(g))
    ui.action_button("item", item if group is None else f"{item} · {group}", item=item, dimension=seg, value=group)
    view = reports.wave_view(p.population, ui.current_filters(), p.threshold, p.scope)
    if view is None:
        st.warning(t("Widen the filters: the selection across waves is too small to show."))
        st.stop()
    across, across_sel = view
    tr = reports.segment_item_trend(across, p.items, seg, item, p.threshold, p.waves, population=p.population,
                                    selections=across_sel)
    if len(tr):
        ui.chart(charts.trend(report_views.unsuppressed(tr), x="wave", y="favourable", color=seg, sort=p.waves,
                              color_title=ui.seg_label(seg),
                              title=t("{item}: favourable by wave and {seg}", item=item,
                                      seg=ui.seg_label(seg).lower()), percent=True),
                 "Each line is one group; a falling line is a group losing confidence.")
    deltas = reports.item_wave_deltas(across, p.items, p.waves, p.threshold, population=p.population,
                                      selections=across_sel)
    if len(deltas):
        st.caption(t("Change in favourable share between the last two waves; 'significant' uses a "
                     "two-proportion test at 5%."))
        ui.table(deltas, key="wave_deltas", filename="eevp-wave-deltas.csv")


def main() -> None:
    ui.page("Survey results", "📋", "view_dashboards")
    p = _load()
    tab_heat, tab_enps, tab_dist, tab_drivers, tab_waves = st.tabs(
        [t("Heatmap"), t("eNPS by group"), t("Distributions"), t("Key drivers"), t("Wave comparison")])
    with tab_heat:
        _heat_tab(p)
    with tab_enps:
        _enps_tab(p)
    with tab_dist:
        _distribution_tab(p)
    with tab_drivers:
        _drivers_tab(p)
    with tab_waves:
        _waves_tab(p)


main()
