"""Actions: who does what about an insight, by when, and what changed since the action."""

import streamlit as st

import webui as ui
from eevp.actions import register
from eevp.actions.targets import KINDS
from eevp.analytics import report_views

t = ui.t


def _filters(everything) -> tuple[list, list, list]:
    """The three filters above the list: (statuses, owners, target kinds) chosen."""
    c1, c2, c3 = st.columns(3)
    status = c1.multiselect(t("Status"), list(register.STATUSES), format_func=t, placeholder=t("Choose options"),
                            key="act_status")
    owner = c2.multiselect(t("Owner"), report_views.distinct_values(everything, "owner"),
                           placeholder=t("Choose options"), key="act_owner")
    kind = c3.multiselect(t("Target"), list(KINDS), format_func=lambda k: t(register.KIND_LABELS[k]),
                          placeholder=t("Choose options"), key="act_kind")
    return status, owner, kind


def _overview(shown) -> None:
    """The counts and the table of the actions shown."""
    m1, m2, m3 = st.columns(3)
    m1.metric(t("Actions"), ui.num(len(shown)), border=True)
    m2.metric(t("Open"), ui.num(register.count_open(shown)), border=True)
    m3.metric(t("Overdue"), ui.num(int(shown["overdue"].sum())), border=True)
    ui.table(register.overview(shown), key="actions", filename="eevp-actions.csv")


def _since(engine, settings, user, pick: int) -> None:
    """What changed in the action's target since it was created."""
    since = register.since_or_none(engine, settings, pick, actor=user)
    st.subheader(t("Since the action"))
    if since is None:
        st.warning(t("The target of this action is no longer in the data."))
    elif since["target_gone"]:
        st.warning(t("The theme of this action is gone after a refit: no new theme holds enough of its statements."))
    if since is not None:
        for line, values in register.since_lines(since):
            st.markdown(ui.escape(t(register.SINCE_TEXTS[line], **values)))
        ui.table(since["series"], key="act_series", filename="eevp-action-series.csv", percent=[])


def _update_form(engine, user, shown, pick) -> None:
    """A new status and a note, for the roles that manage actions."""
    if not ui.allowed("manage_actions"):
        return
    with st.form("act_update", clear_on_submit=True):
        current = register.action_row(shown, pick)["status"]
        new_status = st.selectbox(t("Status"), list(register.STATUSES), format_func=t,
                                  index=list(register.STATUSES).index(current))
        note = st.text_area(t("Note"))
        if st.form_submit_button(t("Save")):
            ui.guarded(lambda: register.update_action(engine, int(pick), actor=user, note=note,
                                                      status=None if new_status == current else new_status))
            st.rerun()


def main() -> None:
    ui.page("Actions", "✅", "view_actions")
    engine, settings, user = ui.get_engine(), ui.get_settings(), ui.current_user()
    everything = register.list_actions(engine, actor=user)
    ui.stop_if_empty(everything, "No actions yet. Create one beside a theme, a survey item, an EVP gap or an exit "
                                 "reason (the Create action button).")
    status, owner, kind = _filters(everything)
    shown = register.list_actions(engine, actor=user, status=status, owner=owner, kind=kind)
    _overview(shown)
    ui.stop_if_empty(shown, "No action matches these filters.")
    pick = st.selectbox(t("Action"), shown["id"].tolist(), key="act_pick",
                        format_func=lambda i: register.headline(register.action_row(shown, i)))
    _since(engine, settings, user, int(pick))
    st.subheader(t("Notes"))
    ui.table(register.notes(engine, int(pick), actor=user), key="act_notes", filename="eevp-action-notes.csv")
    _update_form(engine, user, shown, pick)


main()
