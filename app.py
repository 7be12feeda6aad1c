"""eevp — the Streamlit entry: frame (language, login), navigation, and Home.

Run with ``python scripts/serve.py`` (``streamlit run app.py`` with its options, without Streamlit's "Page not
found" on a first visit to a page's address; ``scripts/run.sh`` runs it). Home shows the headline numbers, the
trend, and where to look next.
"""

import pandas as pd
import streamlit as st

import webui as ui
from webui import actions
from eevp import charts
from eevp.analytics import report_views
from eevp.analytics.alerts import alert_lines

t = ui.t
esc = ui.escape


def _delta(value, decimals: int = 0, pct: bool = False) -> str | None:
    if value is None or pd.isna(value):
        return None
    return t("{v} pp", v=f"{value * 100:+.{decimals}f}") if pct else f"{value:+.{decimals}f}"


def _pct(share) -> str:
    """A share as a whole percentage in the user's language ("—" when there is none)."""
    return "—" if share is None or pd.isna(share) else ui.num(share * 100) + "%"


def _tour() -> None:
    """A short guided tour, open until the user closes it (remembered for the session)."""
    if st.session_state.get("tour_done"):
        return
    with st.container(border=True):
        st.markdown("#### " + t("New here? Where to look first"))
        steps = []
        if ui.allowed("view_dashboards"):
            steps.append(t("**HR leaders**: the cards below are the latest wave; the arrows are the change since the "
                           "wave before. *Where to look next* names the groups that fell most."))
        if ui.allowed("upload"):
            steps.append(t("**HR analysts**: add the next survey wave, exit interviews, focus-group notes or the EVP "
                           "on **Upload** (templates there); columns are matched automatically, also in Russian and "
                           "Ukrainian."))
        if ui.allowed("view_customers"):
            steps.append(t("**CX leads**: open **Customer insights** first: the customer problems staff and leavers "
                           "report, where on the journey, and whether they are systemic or local."))
        if ui.allowed("view_themes"):
            steps.append(t("**Themes** reads all comments together, in every language: what people talk about, "
                           "who raises it, and search."))
        for i, step in enumerate(steps, 1):
            st.markdown(f"{i}. {step}")
        st.caption(t("Groups smaller than {n} people are never shown, and quotes only come from groups of at "
                     "least {m}.", n=ui.get_settings().min_group_size, m=ui.get_settings().min_comment_group))
        if st.button(t("Got it"), key="tour_close"):
            st.session_state["tour_done"] = True
            st.rerun()


def home() -> None:
    st.title(t("Employee experience at a glance"))
    _tour()
    if not ui.allowed("view_dashboards"):
        st.info(t("Your role opens the Themes and Customer insights pages (see the sidebar).")
                if ui.allowed("view_themes") else t("Your account has no role yet. Ask an admin to give you one."))
        return
    settings = ui.get_settings()
    key = ui.data_key()
    responses, leavers = ui.stored_rows(key)
    if responses == 0 and leavers == 0:
        if actions.stored_kinds():  # customer feedback alone (404 restaurant reviews) read "No data yet"
            st.info(t("No survey or exit interviews yet: the figures here come from them. What is stored has its own "
                      "page: customer feedback on Customer insights, focus-group notes on Themes, the EVP on EVP."))
            return
        st.info(t("No data yet. An HR analyst can upload a survey, exit interviews, focus-group notes or the EVP on "
                  "the Upload page; 'python -m eevp demo' loads a demo organisation."))
        return
    summary = ui.home_summary(key, settings.min_group_size)
    _cards(summary["cards"], ui.favourable_note(ui.survey_items(key)))
    if responses:  # exits alone (TAFE's leavers) have no items: no trend, no empty "Weakest items" heading
        left, right = st.columns([3, 2])
        with left:
            _trend(summary["trend"], ui.wave_order(key))
        with right:
            _weakest_and_drops(summary)
    _look_next(summary["hints"])
    if _sees_everything():
        _since_last_upload(key)
        _digest(key)


def _sees_everything() -> bool:
    """Alerts and the digest quote text and count every row: for roles with themes, not limited to departments."""
    user = ui.current_user()
    return ui.allowed("view_themes") and ui.allowed("view_dashboards") and not (user and user.departments)


def _since_last_upload(key: tuple) -> None:
    st.subheader(t("Since the last upload"))
    found = ui.home_alerts(key)
    snap = found["snapshot"] or {}
    lines = alert_lines(snap.get("themes", {}), snap.get("systemic", []), found["items"], ui.lang())
    if not lines:
        st.caption(t("Nothing changed significantly."))
    for line in lines:
        st.markdown("- " + esc(line))
    if snap.get("created_at"):
        st.caption(t("Text alerts as of the analysis of {when}.", when=str(snap["created_at"])[:16]))


def _digest(key: tuple) -> None:
    st.subheader(t("Leadership digest"))
    st.caption(t("One printable page with the headline numbers, what changed, themes and customer problems "
                 "(open it in a browser and print to PDF)."))
    if st.button(t("Prepare the digest"), key="digest_prepare"):
        st.session_state["digest_html"] = ui.digest_page(key, ui.lang(), ui.current_user())
    if st.session_state.get("digest_html"):
        st.download_button(t("Download the digest (HTML)"), st.session_state["digest_html"].encode("utf-8"),
                           "eevp-digest.html", "text/html")


def _cards(c: dict, answers: str) -> None:
    st.caption(t("Latest survey wave: {wave} · exits: {q}", wave=c["wave"] or "—", q=c.get("exits_quarter") or "—"))
    cols = st.columns(5)
    cols[0].metric(t("Responses"), ui.num(c["responses"]),
                   _delta(c["responses_delta"]), border=True,
                   help=t("Survey responses in the latest wave; the arrow is the change since the wave before."))
    cols[1].metric(t("eNPS"), ui.num(c["enps"], 0), _delta(c["enps_delta"]), border=True,
                   help=t("% promoters (9–10) minus % detractors (0–6); −100 to 100."))
    cols[2].metric(t("Engagement"), _pct(c["engagement"]),
                   _delta(c["engagement_delta"], decimals=1, pct=True), border=True,
                   help=t("Mean share of favourable answers ({answers}) across the rating items.", answers=answers))
    cols[3].metric(t("Exits"), ui.num(c.get("exits")),
                   _delta(c.get("exits_delta")), delta_color="inverse", border=True,
                   help=t("Leavers in the last quarter with data; the arrow is the change since the quarter before."))
    cols[4].metric(t("Regretted"), _pct(c.get("regretted_share")), border=True,
                   help=t("Share of leavers in the last quarter whom the company wanted to keep."))


def _trend(trend: pd.DataFrame, waves: list[str]) -> None:
    if len(trend) == 0:
        st.caption(t("The trend appears once there are two survey waves."))
        return
    long = report_views.trend_long(trend, {"enps": t("eNPS"), "engagement_pct": t("Engagement, %")})
    title = t("eNPS and engagement by wave") if report_views.has_enps(trend) else t("Engagement by wave")
    ui.chart(charts.trend(long, x="wave", y="value", color="measure", title=title, sort=waves),
             "Each point is one survey wave; hover for the exact value.")


def _weakest_and_drops(summary: dict) -> None:
    st.subheader(t("Weakest items now"))
    for r in summary["weakest"].itertuples():
        st.progress(float(r.favourable), text=f"{esc(r.item)}: {r.favourable * 100:.0f}% " + t("favourable"))
    st.subheader(t("Largest drops since the last wave"))
    drops = summary["drops"]
    if len(drops) == 0:
        st.caption(t("No item fell since the previous wave."))
    for r in drops.itertuples():
        flag = " ⚠️ " + t("significant") if r.significant else " · " + t("within chance (not significant)")
        change = t("{v} pp", v=f"{r.delta * 100:+.0f}")
        st.markdown(f"**{esc(r.item)}**: {r.previous * 100:.0f}% → {r.current * 100:.0f}% ({change}){flag}")


def _look_next(hints: list[dict]) -> None:
    st.subheader(t("Where to look next"))
    if not hints:
        st.caption(t("Nothing stands out between the first and the last wave."))
    for h in hints:
        st.markdown("- " + t("**{group}** ({segment}): *{item}* fell from {a}% to {b}% between {w1} and {w2} — "
                             "open **Survey** and pick this {segment}.", group=esc(h["group"]),
                             segment=t(h["segment"]), item=esc(h["item"]), a=f"{h['from'] * 100:.0f}",
                             b=f"{h['to'] * 100:.0f}", w1=esc(h["first_wave"]), w2=esc(h["last_wave"])))
    if ui.allowed("view_customers"):
        st.markdown("- " + t("**CX leads**: open **Customer insights** for what staff and leavers say about "
                             "customers."))
    if ui.allowed("upload"):
        st.markdown("- " + t("**HR analysts**: upload the next survey wave or exit interviews on **Upload**."))


def main() -> None:
    """The frame, the navigation and the login; then the page chosen (Home or one of ``pages/``)."""
    ui.frame()
    nav = ui.navigation(home)
    ui.gate()
    st.session_state["_framed"] = True
    try:
        nav.run()
    finally:
        st.session_state.pop("_framed", None)


main()
