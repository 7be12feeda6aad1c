"""Customer insights: what staff and leavers say about customers, on the journey, systemic or local."""

from typing import NamedTuple

import pandas as pd
import streamlit as st

import webui as ui
from eevp import charts
from eevp.analytics import customers, summaries, theme_views, voice
from webui import review

t = ui.t
BADGE = {"systemic": ("🔴", "Systemic"), "local": ("🟡", "Local"), "spread": ("🔵", "Spread"),
         "unknown": ("⚪", "Systemic or local: unknown (no departments in the data)"), "praise": ("🟢", "Praise")}
STATUS = {"confirmed": "🔴", "early_warning": "🟠", "blind_spot": "🟣"}


@st.cache_data(show_spinner=False, max_entries=4)
def load(key, language: str):
    units = customers.customer_units(ui.get_engine())
    labels = customers.theme_labels(ui.get_engine(), language=language)
    return units, labels


@st.cache_data(show_spinner=False, max_entries=4)
def stats_and_quotes(key, min_reach: int, language: str, actor):
    """What does not depend on the systemic/local rule: per-theme figures and summaries (once per data version)."""
    engine = ui.get_engine()
    units, labels = load(key, language)
    stats = customers.theme_stats(units, labels, min_reach)
    sums = summaries.theme_summaries(engine, units, min_reach, scope="customers")
    return stats, sums, {tid: summaries.quotes_of(engine, s, actor=actor) for tid, s in sums.items()}


@st.cache_data(show_spinner=False, max_entries=4)
def voices(key, min_people: int, language: str, actor):
    """Staff and customers: the subjects, the customers' quotes, the journey with both (once per data
    version; the staff's quotes are the ranked themes' own)."""
    engine = ui.get_engine()
    units, _ = load(key, language)
    table = voice.subjects(engine, ui.get_settings(), units=units,
                           stats=stats_and_quotes(key, min_people, language, actor)[0])
    said = {k: voice.customer_quotes(engine, s, n=2, actor=actor, about=label)
            for k, s, label in zip(table["key"], table["statement_ids"], table["label"])}
    return table, said, voice.journey(table)


@st.cache_data(show_spinner=False, max_entries=4)
def heat_tables(key, min_people: int, language: str, actor):
    """Theme × stage, × department and × source (the systemic/local rule changes none of them: they are
    the ranked themes' tables, built from their figures), once per data version."""
    units, _ = load(key, language)
    stats = stats_and_quotes(key, min_people, language, actor)[0]
    return (customers.theme_stage_matrix(units, stats, min_people),
            customers.theme_by(units, stats, "department", min_people),
            customers.theme_by(units, stats, "source", min_people))


class _Page(NamedTuple):
    """What the tabs share: the ranked themes with their summaries and quotes."""

    key: tuple
    settings: object
    ranked: pd.DataFrame
    theme_sums: dict
    theme_quotes: dict
    hidden_text: str  # the label of a cell too small to show


def _units(key: tuple) -> tuple:
    """The customer statements and the theme labels (the page stops when there are none)."""
    units, labels = load(key, ui.lang())
    if units.empty and ui.analysis_notice():
        st.stop()
    if units.empty:
        _customers_alone(key)
    return units, labels


def _customers_alone(key: tuple) -> None:
    """No staff statement about customers: what customers say by subject, when feedback is stored (404
    restaurant reviews uploaded alone showed "No customer statements yet"), else how to get some; then stop."""
    settings = ui.get_settings()
    subjects, said, journey = voices(key, settings.min_comment_group, ui.lang(), ui.current_user())
    if subjects.empty:
        st.info(t("No customer statements yet. They appear after an upload with comments and the analysis "
                  "('python -m eevp analyze')."))
        st.stop()
    st.info(t("No member of staff writes about customers yet. Below: what customers say, by subject; staff themes "
              "join them once survey comments or exit interviews are uploaded."))
    _voice_tab(_Page(key, settings, pd.DataFrame(), {}, {}, ""), subjects, said, journey)
    st.stop()


def _rule() -> customers.SystemicRule:
    """The systemic/local rule, from the sliders of the expander, and its explanation."""
    with st.expander(t("How themes are labelled systemic or local"), expanded=False):
        c1, c2, c3, c4 = st.columns(4)
        dept_share = c1.slider(t("Systemic: share of departments"), 0.1, 1.0, 0.3, 0.05)
        dept_min = c2.slider(t("…each with at least this many people"), 1, 10, 3, 1)
        resp_share = c3.slider(t("…or share of people"), 0.02, 0.5, 0.10, 0.01)
        conc = c4.slider(t("Local: share in one department or role"), 0.5, 1.0, 0.8, 0.05)
    rule = customers.SystemicRule(dept_share, resp_share, conc, dept_min)
    _text, _values = rule.explain_parts()
    st.caption(t(_text, **_values))
    return rule


def _counts(units: pd.DataFrame, ranked: pd.DataFrame) -> None:
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("Customer statements"), ui.num(len(units)), border=True)
    c2.metric(t("People"), ui.num(units["person"].nunique()), border=True,
              help=t("People who talk about customers"))
    c3.metric(t("Customer themes"), ui.num(len(ranked)), border=True)
    c4.metric(t("Concrete incidents"), ui.num(int(units["incident"].sum())), border=True)


def _staff_treatment(engine, settings) -> None:
    """How customers treat staff: counted apart from the customer problems."""
    staff = customers.treat_staff(engine, settings.min_comment_group)
    if staff:
        st.caption("🛡️ " + t("{people} people describe how customers treat staff ({neg} of it negative). Kept apart "
                             "from the customer problems below: it is about staff safety, not the customer "
                             "experience.", people=ui.num(staff["people"]), neg=f"{staff['negative_share']:.0%}"))


def _no_theme_yet(engine, settings, statements: int) -> None:
    """No theme is large enough: the tags can still be reviewed (then the page stops)."""
    if statements < customers.MIN_STATEMENTS:
        st.info(t("Customer themes are built once at least {need} statements are about customers; there are "
                  "{n} so far.", need=customers.MIN_STATEMENTS, n=ui.num(statements)))
    else:
        st.info(t("No customer theme is raised by {n} or more people yet.", n=settings.min_comment_group))
    # the statements tagged so far can still be read and corrected: the tags are what the themes grow from
    st.subheader(t("Review tags"))
    review.render(engine, settings)
    st.stop()


def _rank_tab(p: _Page) -> None:
    for r in ui.page_of(p.ranked, "rank_page", size=10).itertuples():
        icon, word = BADGE[r.systemic]
        with st.container(border=True):
            a, b = st.columns([3, 2])
            a.markdown(f"#### {icon} {ui.escape(r.label)}")
            reach = ("{reach} people · {ro} roles · stage: {stage}" if r.systemic == "unknown"  # no departments
                     else "{reach} people · {d} departments · {ro} roles · stage: {stage}")
            a.caption(f"{t(word)} · " + t(reach, reach=r.reach, d=r.departments, ro=r.roles,
                                          stage=t(r.main_stage) if isinstance(r.main_stage, str) else "—")
                      + " · " + t("severity {s}", s=f"{r.severity:.0%}"))
            if r.new:
                a.markdown("🆕 " + t("new since the last batch"))
            b.caption(t("Keywords") + ": " + ", ".join(r.keywords[:8]))
            with b:
                ui.action_button("customer_theme", r.label, theme_id=r.theme_id)
            ui.theme_summary(p.theme_sums.get(r.theme_id), p.theme_quotes.get(r.theme_id, []))


def _map_tab(p: _Page, sm: pd.DataFrame, by_dept: pd.DataFrame) -> None:
    shown = ui.page_of(p.ranked, "map_page", size=ui.THEMES_PER_PAGE)
    ui.chart(charts.heatmap(theme_views.of_themes(sm, shown), x="stage", y="label", value="people",
                            title=t("Customer themes on the journey"), suppressed_label=p.hidden_text,
                            scheme="blues", x_sort=list(customers.STAGES), y_sort=shown["label"].tolist()),
             "Each cell counts people who raised the theme at this stage of the customer journey.")
    if not theme_views.names_any(by_dept, "department"):
        st.info(t("Your data names no departments, so where each theme is raised cannot be shown. Map a "
                  "department column when you upload to see it."))
        return
    trimmed = theme_views.trim(theme_views.of_themes(by_dept, shown), "department", top=None)
    drawn = ui.groups_in_chart(trimmed, "department", lambda c: theme_views.columns_that_matter(c, "department"),
                               key="dept_groups")
    ui.chart(charts.heatmap(drawn, x="department", y="label", value="people",
                            title=t("Who raises each theme: departments"), suppressed_label=p.hidden_text,
                            scheme="blues", y_sort=shown["label"].tolist()),
             "A theme spread across many departments is systemic; one concentrated in one column is local.")
    if drawn is not trimmed:  # some departments are left out of the chart: all of them in a table
        ui.table(by_dept, key="themes_by_department", filename="eevp-customer-themes-by-department.csv",
                 segments=("department",))


def _sources_tab(p: _Page, src: pd.DataFrame) -> None:
    shown = ui.page_of(p.ranked, "source_page", size=ui.THEMES_PER_PAGE)
    ui.chart(charts.heatmap(theme_views.of_themes(src, shown), x="source", y="label", value="people",
                            title=t("Where it comes from"), suppressed_label=p.hidden_text, scheme="blues",
                            y_sort=shown["label"].tolist()),
             "Survey comments, exit interviews and focus groups.")
    trend = theme_views.ranked_trend(shown, p.settings.min_comment_group)
    if len(trend):
        ui.chart(charts.trend(trend, x="period", y="people", color="label", title=t("People raising each theme"),
                              sort=theme_views.period_order(trend, "period")),
                 "Periods with fewer than the comment threshold are left out.")


def _voice_tab(p: _Page, subjects: pd.DataFrame, said: dict, journey: pd.DataFrame) -> None:
    _text, _values = voice.VoiceRule().explain_parts(p.settings.min_comment_group)
    st.caption(t(_text, **_values))
    if subjects.empty:
        st.info(t("No customer feedback compared yet. Upload customer feedback and run the analysis."))
    for r in ui.page_of(subjects, "voice_page", size=10).itertuples():
        with st.container(border=True):
            st.markdown(f"#### {STATUS[r.status]} {ui.escape(r.label)}")
            st.caption(f"{t(voice.STATUS_NAMES[r.status])} · " + t(
                "staff: {p} people · customers: {c} comments · detractors: {d} · stage: {stage}",
                p=ui.num(r.staff_people), c="—" if r.customer_comments is None else ui.num(r.customer_comments),
                d="—" if r.detractor_share is None else f"{r.detractor_share:.0%}",
                stage=t(r.stage) if isinstance(r.stage, str) else "—"))
            if p.ranked.empty:  # customers alone: no column of "No member of staff raises this." on every card
                for q in said.get(r.key, []):
                    ui.quote(q["text"])
                continue
            a, b = st.columns(2)
            a.markdown("**" + t("Staff say") + "**")
            b.markdown("**" + t("Customers say") + "**")
            with a:
                for q in p.theme_quotes.get(r.staff_theme, [])[:2]:
                    ui.quote(q["text"], q.get("comment"))
                if r.staff_theme < 0:  # the customers' own subject: say so rather than leave the column blank
                    st.caption(t("No member of staff raises this."))
            with b:
                for q in said.get(r.key, []):
                    ui.quote(q["text"])
    if len(journey):
        ui.chart(charts.compare_bars(journey, t("Staff"), t("Customers"), t("The journey, by both voices"),
                                     label_col="stage", label_title="stage"),
                 "Each stage's share of the staff people and of the customer comments of the subjects above.")


def _brief_tab(p: _Page, rule: customers.SystemicRule, subjects: pd.DataFrame, said: dict) -> None:
    quotes_by = {r.theme_id: p.theme_quotes.get(r.theme_id, []) for r in p.ranked.itertuples()}
    md = customers.brief_markdown(p.ranked, quotes_by, rule, title=t("What our staff tell us about customers"),
                                  lang=ui.lang(), leads={k: v.lead(ui.lang()) for k, v in p.theme_sums.items()})
    if len(subjects):
        md += "\n" + voice.brief_markdown(subjects, p.settings, p.theme_quotes, said, lang=ui.lang())
    st.download_button(t("Download the brief (Markdown)"), md.encode("utf-8"), "eevp-customer-brief.md",
                       "text/markdown")
    table = theme_views.ranked_csv_table(p.ranked)
    st.download_button(t("Download the themes (CSV)"), ui.to_csv_bytes(table), "eevp-customer-themes.csv", "text/csv")
    with st.container(border=True):
        st.markdown(md)


def main() -> None:
    title, intro = voice.heading(ui.get_engine())
    ui.page(title, "🧭", "view_customers")
    st.caption(t(intro))
    settings = ui.get_settings()
    engine = ui.get_engine()
    key = ui.data_key()
    units, labels = _units(key)
    rule = _rule()
    stats, theme_sums, theme_quotes = stats_and_quotes(key, settings.min_comment_group, ui.lang(), ui.current_user())
    ranked = customers.rank_themes(units, labels, settings.min_comment_group, rule, stats=stats)
    _counts(units, ranked)
    _staff_treatment(engine, settings)
    if ranked.empty:
        _no_theme_yet(engine, settings, len(units))
    p = _Page(key, settings, ranked, theme_sums, theme_quotes,
              t("fewer than {n} responses", n=settings.min_comment_group))
    tab_rank, tab_map, tab_trend, tab_voice, tab_review, tab_brief = st.tabs(
        [t("Ranked themes"), t("Journey map"), t("Sources and trend"), t("Staff and customers"), t("Review tags"),
         t("Insight brief")])
    with tab_rank:
        _rank_tab(p)
    with tab_map:
        sm, by_dept, src = heat_tables(key, settings.min_comment_group, ui.lang(), ui.current_user())
        _map_tab(p, sm, by_dept)
    with tab_trend:
        _sources_tab(p, src)
    subjects, said, journey = voices(key, settings.min_comment_group, ui.lang(), ui.current_user())
    with tab_voice:
        _voice_tab(p, subjects, said, journey)
    with tab_review:
        review.render(engine, settings)
    with tab_brief:
        _brief_tab(p, rule, subjects, said)


main()
