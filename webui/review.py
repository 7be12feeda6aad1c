"""The CX lead's review of a sample of tagged statements (presentation only)."""

import streamlit as st

from eevp.analytics import customers
from eevp.errors import EevpError
from eevp.text import lens
from webui import data
from webui.core import allowed, current_user, num, t
from webui.widgets import quote


def render(engine, settings) -> None:
    stats = customers.review_stats(engine)
    c1, c2, c3 = st.columns(3)
    c1.metric(t("Reviewed"), num(stats["reviewed"]))
    c2.metric(t("Precision on your data"), "—" if stats["precision"] is None else f"{stats['precision']:.0%}")
    c3.metric(t("Stage accuracy"), "—" if stats["stage_accuracy"] is None else f"{stats['stage_accuracy']:.0%}")
    if not allowed("review_tags"):
        st.caption(t("CX leads and admins review the tags here."))
        return
    st.caption(t("A random 10% sample of tagged statements. Confirm or correct the tag: the same statement elsewhere "
                 "takes your tag at once, and new statements that say nearly the same take it when they are tagged."))
    queue = customers.review_queue(engine, share=0.10, limit=5, actor=current_user(),
                                   sample=data.review_sample(data.data_key()))
    if queue.empty:
        st.success(t("Nothing left to review in the sample."))
        return
    stages = ["—"] + list(lens.STAGES)
    for r in queue.itertuples():
        with st.form(f"review_{r.unit_id}", border=True):
            quote(r.text)
            a, b = st.columns(2)
            about = a.radio(t("About customers?"), [t("Yes"), t("No")], index=0 if r.about_customers else 1,
                            horizontal=True)
            stage = b.selectbox(t("Journey stage"), stages, index=stages.index(r.stage) if r.stage in stages else 0,
                                format_func=t)
            if st.form_submit_button(t("Save")):
                try:
                    customers.save_review(engine, current_user(), int(r.unit_id), about == t("Yes"),
                                          None if stage == "—" else stage)
                    st.rerun()
                except EevpError as exc:
                    st.error(t(str(exc)))
