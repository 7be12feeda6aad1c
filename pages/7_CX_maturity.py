"""CX maturity check: score the checklist and the maturity model, beside what the data says."""

from datetime import date

import streamlit as st

import webui as ui
from eevp.analytics import maturity
from eevp.errors import EevpError

t = ui.t


@st.cache_data(show_spinner=False, max_entries=4)
def load_evidence(key, as_of: date):
    return maturity.evidence(ui.get_engine(), ui.get_settings(), as_of=as_of)


def show_facts(facts, hidden: str) -> None:
    for f in facts:
        value = maturity.format_value(f, ui.lang(), hidden)
        st.caption(f"{ui.escape(t(f.label, **f.params))}: **{ui.escape(value)}**")


def _checklist(checklist: dict) -> dict:
    """The six questions, preset from the latest assessment; the answers."""
    st.subheader(t("Six-question checklist"))
    answers = {}
    for q in maturity.CHECKLIST:
        answers[q.key] = st.radio(t(q.text), list(maturity.ANSWERS), index=checklist[q.key],
                                  format_func=lambda v: t(maturity.ANSWERS[v]), horizontal=True,
                                  key=f"q_{q.key}", help=t(q.yes_means))
    return answers


def _dimension(d, level: int, facts, hidden: str) -> int:
    """One dimension of the model: its levels, the level chosen, and beside it what the data says."""
    with st.container(border=True):
        left, right = st.columns([3, 2])
        left.markdown(f"**{t(d.name)}**")
        left.caption(t(d.description))
        chosen = left.select_slider(
            t("Level"), options=list(maturity.LEVEL_NAMES), value=level, key=f"d_{d.key}",
            format_func=lambda v: f"{v} · {t(maturity.LEVEL_NAMES[v])}")
        for i, text in enumerate(d.levels, 1):
            left.caption(f"{i} · {t(maturity.LEVEL_NAMES[i])}: {t(text)}")
        with right:
            st.markdown(t("What the data says"))
            show_facts(facts, hidden)
    return chosen


def _assess_tab(engine, evidence: dict, hidden: str) -> None:
    if not ui.allowed("cx_assess"):
        st.info(t("CX leads and admins record assessments. You can see the results and the evidence."))
        for d in maturity.DIMENSIONS:
            st.markdown(f"**{t(d.name)}**")
            show_facts(evidence[d.key], hidden)
        return
    checklist, levels = maturity.latest_scores(maturity.list_assessments(engine))
    with st.form("cx_assessment"):
        answers = _checklist(checklist)
        st.subheader(t("Maturity model"))
        chosen = {d.key: _dimension(d, levels[d.key], evidence[d.key], hidden) for d in maturity.DIMENSIONS}
        notes = st.text_area(t("Notes"), max_chars=maturity.MAX_NOTES, key="cx_notes")
        submitted = st.form_submit_button(t("Save the assessment"), type="primary", key="cx_save")
    if submitted:
        try:
            maturity.save_assessment(engine, ui.current_user(), answers, chosen, notes)
            st.success(t("Assessment saved."))
        except EevpError as exc:
            ui.show_error(exc)


def _results_tab(engine, names: dict) -> None:
    assessments = maturity.list_assessments(engine)
    if assessments.empty:
        st.info(t("No assessment yet. Score the checklist and the model in the first tab."))
        st.stop()
    change = maturity.latest_change(assessments)
    c1, c2, c3 = st.columns(3)
    c1.metric(t("Assessments"), ui.num(len(assessments)), border=True)
    c2.metric(t("Checklist score"), f"{change['checklist_score']:.0%}", border=True,
              delta=None if change["checklist_change"] is None else f"{change['checklist_change']:+.0%}")
    c3.metric(t("Mean maturity level"), ui.num(change["mean_level"], 1), border=True,
              delta=None if change["level_change"] is None else f"{change['level_change']:+.1f}")
    frame = maturity.chart_frame(assessments, names, latest=t("Latest"), previous=t("Previous"))
    ui.chart(maturity.maturity_chart(frame, title=t("CX maturity: latest assessment against the previous one"),
                                     level_title=t("level (1–5)"), dimension_title=t("dimension")),
             "Each bar is a level from 1 (initial) to 5 (leading); pairs compare the last two assessments.")
    latest_notes = maturity.latest_notes(assessments)
    if latest_notes:
        st.caption(t("Notes of the latest assessment"))
        st.text(latest_notes)
    headers = {k: t(v) for k, v in maturity.HISTORY_COLUMNS.items()}
    ui.table(maturity.history_table(assessments, names, headers), "cx_assessments",
             caption="Every assessment, newest first.", filename="eevp-cx-assessments.csv")


def main() -> None:
    ui.page("CX maturity check", "🧩", "view_customers")
    settings = ui.get_settings()
    engine = ui.get_engine()
    st.caption(t("Score the six-question checklist and the maturity model. Beside each dimension: what the data "
                 "in eevp says. Each assessment is kept with its date, so progress shows over time."))
    evidence = load_evidence(ui.data_key(), date.today())
    hidden = t("fewer than {n} responses", n=settings.min_comment_group)
    names = {d.key: t(d.name) for d in maturity.DIMENSIONS}
    tab_assess, tab_results = st.tabs([t("New assessment"), t("Results over time")])
    with tab_assess:
        _assess_tab(engine, evidence, hidden)
    with tab_results:
        _results_tab(engine, names)


main()
