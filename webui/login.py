"""Login for the Streamlit app (presentation only; checks are in eevp.store.auth)."""

from __future__ import annotations

import sys

import streamlit as st

from eevp.errors import AccessDenied
from eevp.store import audit, auth
from webui.core import get_engine, get_settings, t


def require_login() -> None:
    """Stop the page with a login form until someone is logged in.

    The account is read again on every run: a removed account is logged out at once, a changed role
    or department list takes effect on the next click.
    """
    settings = get_settings()
    if st.session_state.get("user") is not None:
        fresh = auth.refresh(settings, st.session_state["user"])
        if fresh is not None:
            st.session_state["user"] = fresh
            _sidebar_user()
            return
        st.session_state.pop("user", None)
        st.warning(t("Your account was removed. Log in again, or ask an admin."))
    if _oidc_configured():
        if getattr(st.user, "is_logged_in", False):
            st.session_state["user"] = auth.user_for_oidc(settings, st.user.get("email"))
            audit.record(get_engine(), st.session_state["user"].username, "login", "oidc")
            return
        st.button(t("Log in with your company account"), on_click=st.login)
        st.stop()
    if _first_run_password(settings):
        st.info(t("First run: an admin account was created. Its password is printed in the terminal where "
                  "the app was started (shown there once)."))
    st.title(t("Log in to eevp"))
    with st.form("login"):
        username = st.text_input(t("Username"))
        password = st.text_input(t("Password"), type="password")
        submitted = st.form_submit_button(t("Log in"), type="primary")
    if submitted:
        try:
            user = auth.authenticate(settings, username, password)
        except AccessDenied as exc:
            audit.record(get_engine(), username[:100], "login_failed", "")
            st.error(t(str(exc)))
            st.stop()
        st.session_state["user"] = user
        audit.record(get_engine(), user.username, "login", "password")
        st.rerun()
    st.stop()


@st.cache_resource
def _first_run_box(users_file: str) -> dict:
    return {"password": auth.ensure_admin(get_settings())}


def _first_run_password(settings) -> bool:
    """True once after the first admin was created here; the generated password goes to the terminal
    only (whoever opens the page first is not necessarily its owner)."""
    password = _first_run_box(str(auth.users_path(settings))).pop("password", None)
    if password:
        print(f"eevp: first run: created the account 'admin' with the password  {password}  (shown once; "
              f"accounts are in {auth.users_path(settings)}).", file=sys.stderr, flush=True)
    return bool(password)


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _sidebar_user() -> None:
    user = st.session_state["user"]
    with st.sidebar:
        st.caption(t("Logged in as {name} ({role})", name=user.username, role=user.role))
        if st.button(t("Log out"), key="logout"):
            st.session_state.pop("user", None)
            if _oidc_configured():
                st.logout()
            st.rerun()
