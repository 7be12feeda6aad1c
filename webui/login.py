"""Login for the Streamlit app (presentation only; checks are in eevp.store.auth)."""

from __future__ import annotations

import sys

import streamlit as st

from eevp.errors import AccessDenied
from eevp.store import audit, auth
from webui.core import get_engine, get_settings, t

#: The roles as the sidebar names them.
ROLE_NAMES = {"admin": "administrator", "hr": "HR analyst", "cx": "CX lead", "viewer": "viewer"}


def role_name(role: str) -> str:
    """A role as people read it, in their language."""
    return t(ROLE_NAMES[role]) if role in ROLE_NAMES else role


#: The cookie that keeps a browser logged in across reloads (a signed, expiring token: eevp.store.auth).
SESSION_COOKIE = "eevp_session"


def restore_session() -> None:
    """A reload (F5) or a new tab opens a new Streamlit session: log its user in again from the signed,
    expiring cookie set at login (never after the user logged out in this session)."""
    if st.session_state.get("user") is not None or st.session_state.get("_logged_out"):
        return
    user = auth.user_from_token(get_settings(), st.context.cookies.get(SESSION_COOKIE))
    if user is not None:
        st.session_state["user"] = user
        audit.record(get_engine(), user.username, "login", "session")


def _set_cookie(value: str, max_age: int) -> None:
    """Set or clear the session cookie in the browser (Streamlit has no server-side way to)."""
    secure = "; Secure" if str(st.context.url or "").startswith("https:") else ""
    st.html(f"<script>document.cookie = '{SESSION_COOKIE}={value}; path=/; max-age={max_age}; "
            f"SameSite=Strict{secure}';</script>", unsafe_allow_javascript=True)


def require_login() -> None:
    """Stop the page with a login form until someone is logged in.

    The account is read again on every run: a removed account is logged out at once, a changed role
    or department list takes effect on the next click. A reload finds the session in a signed cookie.
    """
    settings = get_settings()
    if st.session_state.get("user") is not None:
        token = st.session_state.pop("_new_session_token", None)
        if token:
            _set_cookie(token, int(auth.SESSION_HOURS * 3600))
        fresh = auth.refresh(settings, st.session_state["user"])
        if fresh is not None:
            st.session_state["user"] = fresh
            _sidebar_user()
            return
        st.session_state.pop("user", None)
        _set_cookie("", 0)
        st.warning(t("Your account was removed. Log in again, or ask an admin."))
    if st.session_state.pop("_clear_cookie", False):
        _set_cookie("", 0)
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
            user = auth.authenticate(settings, username, password, get_engine())
        except AccessDenied as exc:
            audit.record(get_engine(), username[:100], "login_failed", "")
            st.error(t(str(exc)))
            st.stop()
        st.session_state["user"] = user
        st.session_state["_new_session_token"] = auth.session_token(settings, user)
        st.session_state.pop("_logged_out", None)
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
        st.caption(t("Logged in as {name} ({role})", name=user.username, role=role_name(user.role)))
        if st.button(t("Log out"), key="logout"):
            st.session_state.pop("user", None)
            st.session_state["_logged_out"] = st.session_state["_clear_cookie"] = True
            if _oidc_configured():
                st.logout()
            st.rerun()
