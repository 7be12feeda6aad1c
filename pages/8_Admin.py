"""Admin: accounts, the audit log, erasure of one respondent, a full refit, backup and settings."""

import streamlit as st

import webui as ui
from eevp.errors import EevpError
from webui import actions

t = ui.t


def _accounts_tab(me) -> None:
    users = actions.list_accounts()
    ui.plain_table([{**u, "role": ui.role_name(u["role"])} for u in users],
                   {"username": "Username", "role": "Role", "departments": "Departments"})
    st.caption(t("Administrator: everything · HR analyst: dashboards and upload · CX lead: themes and customer "
                 "insights, no single records · viewer: dashboards only, optionally limited to departments."))
    _account_form()
    others = [u["username"] for u in users if u["username"] != me.username]
    if others:
        c1, c2 = st.columns([2, 1])
        gone = c1.selectbox(t("Remove an account"), others)
        if c2.button(t("Remove"), key="remove_user"):
            actions.remove_account(gone)
            st.rerun()


def _account_form() -> None:
    """Add an account, or update one (a new password, role or departments)."""
    with st.form("add_user", clear_on_submit=True):
        st.markdown("**" + t("Add or update an account") + "**")
        c1, c2, c3 = st.columns(3)
        name = c1.text_input(t("Username"))
        role = c2.selectbox(t("Role"), list(actions.ROLES), format_func=ui.role_name)
        password = c3.text_input(t("Password (at least 10 characters)"), type="password")
        departments = st.text_input(t("Viewer: limit to departments (comma-separated, optional)"))
        if st.form_submit_button(t("Save account"), type="primary"):
            try:
                deps = tuple(d.strip() for d in departments.split(",") if d.strip())
                actions.save_account(name, password, role, deps)
                st.success(t("Account {name} saved.", name=name.strip()))
            except EevpError as exc:
                st.error(t(str(exc)))


def _audit_tab() -> None:
    log = actions.audit_log()
    if log.empty:
        st.info(t("Nothing recorded yet."))
    else:
        st.caption(t("Who did what and when (latest first)."))
        ui.plain_table(log, {"at": "When", "username": "Username", "action": "Action", "detail": "Detail"})


def _erase_tab() -> None:
    st.caption(t("Right to erasure: removes every answer, comment, embedding and theme assignment of one "
                 "respondent (by the respondent id of the uploaded file) and marks the themes for a refit."))
    rid = st.text_input(t("Respondent id"))
    confirm = st.checkbox(t("I understand that this cannot be undone"))
    if st.button(t("Erase"), disabled=not (rid.strip() and confirm), type="primary"):
        try:
            counts = actions.erase_respondent(rid.strip())
            st.success(t("Erased {n} rows.", n=sum(counts.values())))
            st.cache_data.clear()
        except EevpError as exc:
            st.error(t(str(exc)))


def _models_tab() -> None:
    st.markdown("**" + t("Rebuild all themes") + "**")
    st.caption(t("New text joins the existing themes automatically after each upload. A full refit rebuilds the "
                 "themes from all text (labels you edited are kept where the theme survives)."))
    if st.button(t("Refit themes now")):
        ui.run_analysis(refit=True)
    st.divider()
    st.markdown("**" + t("Backup") + "**")
    st.caption(t("A complete copy of the database as one ZIP file (`JSON Lines` per table); restore it with "
                 "`python -m eevp restore FILE`."))
    if st.button(t("Prepare a backup")):
        st.session_state["backup_bytes"] = actions.backup_bytes()
    if st.session_state.get("backup_bytes"):
        st.download_button(t("Download the backup"), st.session_state["backup_bytes"], file_name="eevp-backup.zip",
                           mime="application/zip")


def _settings_tab(settings) -> None:
    st.caption(t("Settings come from environment variables (`EEVP_*`) and are read at start."))
    ui.plain_table([
        {"setting": t("Database"), "value": settings.database_url.split("@")[-1]},
        {"setting": t("Smallest group shown (scores)"), "value": ui.num(settings.min_group_size)},
        {"setting": t("Smallest group for quotes and themes"), "value": ui.num(settings.min_comment_group)},
        {"setting": t("Embedding model"), "value": settings.embedder},
        {"setting": t("Upload limit, MB"), "value": ui.num(settings.upload_limit_mb)},
    ], {"setting": "Setting", "value": "Value"})


def main() -> None:
    ui.page("Administration", "🛠️", "users")
    settings = ui.get_settings()
    me = ui.current_user()
    tab_users, tab_audit, tab_erase, tab_models, tab_settings = st.tabs(
        [t("Accounts"), t("Audit log"), t("Erase a respondent"), t("Themes and backup"), t("Settings")])
    with tab_users:
        _accounts_tab(me)
    with tab_audit:
        _audit_tab()
    with tab_erase:
        _erase_tab()
    with tab_models:
        _models_tab()
    with tab_settings:
        _settings_tab(settings)


main()
