"""eevp — Home: the headline numbers, the trend, and where to look next."""

import pandas as pd
import streamlit as st

import ui

ui.page_setup("Home", "🏠")
t = ui.t

from eevp import charts, reports  # noqa: E402

st.title(t("Employee experience at a glance"))

if not ui.allowed("view_dashboards"):
    st.info(t("Your role opens the Themes and Customer insights pages (see the sidebar)."))
    st.stop()

settings = ui.get_settings()
key = ui.data_key()
wide = ui.survey_wide(key)
items = ui.survey_items(key)
waves = ui.wave_order(key)
exits = ui.exits_frame(key)
threshold = settings.min_group_size

if len(wide) == 0 and len(exits) == 0:
    st.info(t("No data yet. An HR analyst can upload a survey, exit interviews, focus-group notes or the EVP on "
              "the Upload page; 'python -m eevp demo' loads a demo organisation."))
    st.stop()

summary = reports.home_summary(wide, items, exits, waves, threshold)
c = summary["cards"]


def _delta(value, decimals=0, pct=False):
    if value is None or pd.isna(value):
        return None
    return f"{value * 100:+.{decimals}f} pp" if pct else f"{value:+.{decimals}f}"


cols = st.columns(5)
cols[0].metric(t("Responses ({wave})", wave=c["wave"] or "—"), ui.num(c["responses"]),
               _delta(c["responses_delta"]), border=True)
cols[1].metric(t("eNPS"), ui.num(c["enps"], 0), _delta(c["enps_delta"]), border=True,
               help=t("% promoters (9–10) minus % detractors (0–6); −100 to 100."))
cols[2].metric(t("Engagement"), "—" if c["engagement"] is None else f"{c['engagement'] * 100:.0f}%",
               _delta(c["engagement_delta"], pct=True), border=True,
               help=t("Mean share of favourable answers (4–5 of 5) across the rating items."))
cols[3].metric(t("Exits ({q})", q=c.get("exits_quarter") or "—"), ui.num(c.get("exits")),
               _delta(c.get("exits_delta")), delta_color="inverse", border=True)
cols[4].metric(t("Regretted leavers"), "—" if c.get("regretted_share") is None
               else f"{c['regretted_share'] * 100:.0f}%", border=True,
               help=t("Share of leavers in the last quarter whom the company wanted to keep."))

left, right = st.columns([3, 2])
with left:
    trend = summary["trend"]
    if len(trend):
        tr = trend[~trend["suppressed"]].copy()
        tr["engagement_pct"] = tr["engagement"] * 100
        long = tr.melt(id_vars=["wave"], value_vars=["enps", "engagement_pct"], var_name="measure",
                       value_name="value")
        long["measure"] = long["measure"].map({"enps": t("eNPS"), "engagement_pct": t("Engagement, %")})
        ui.chart(charts.trend(long, x="wave", y="value", color="measure", title=t("eNPS and engagement by wave"),
                              sort=waves),
                 "Each point is one survey wave; hover for the exact value.")
with right:
    st.subheader(t("Weakest items now"))
    for r in summary["weakest"].itertuples():
        st.progress(float(r.favourable), text=f"{r.item}: {r.favourable * 100:.0f}% " + t("favourable"))
    st.subheader(t("Largest drops since the last wave"))
    drops = summary["drops"]
    if len(drops) == 0:
        st.caption(t("No item fell since the previous wave."))
    for r in drops.itertuples():
        flag = " ⚠️ " + t("significant") if r.significant else ""
        st.markdown(f"**{r.item}**: {r.previous * 100:.0f}% → {r.current * 100:.0f}% "
                    f"({r.delta * 100:+.0f} pp){flag}")

st.subheader(t("Where to look next"))
hints = summary["hints"]
if not hints:
    st.caption(t("Nothing stands out between the first and the last wave."))
for h in hints:
    st.markdown("- " + t("**{group}** ({segment}): *{item}* fell from {a}% to {b}% between {w1} and {w2} — "
                         "open **Survey** and pick this {segment}.", group=h["group"], segment=t(h["segment"]),
                         item=h["item"], a=f"{h['from'] * 100:.0f}", b=f"{h['to'] * 100:.0f}",
                         w1=h["first_wave"], w2=h["last_wave"]))
st.markdown("- " + t("**CX leads**: open **Customer insights** for what staff and leavers say about customers."))
st.markdown("- " + t("**HR analysts**: upload the next survey wave or exit interviews on **Upload**."))
