"""The Streamlit side's basics: settings, the database engine, the user's language and permissions.

Only presentation lives in :mod:`webui`; every computation is in ``eevp``.
"""

from __future__ import annotations

import logging
import os

import streamlit as st

from eevp import i18n
from eevp.bootstrap import open_database
from eevp.errors import EevpError
from eevp.safe import escape_markdown
from eevp.settings import Settings
from eevp.store.auth import save_language, saved_language

_log = logging.getLogger("eevp.webui")


def get_settings() -> Settings:
    """The settings from the environment (read once per distinct environment)."""

    return _settings(tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("EEVP_"))))


@st.cache_resource(show_spinner=False)
def _settings(env: tuple) -> Settings:
    return Settings.from_env()


def get_engine():
    return _engine(get_settings().database_url)


@st.cache_resource(show_spinner=False)
def _engine(database_url: str):
    return open_database(get_settings(), demo_if_empty=True)


def lang() -> str:
    if "lang" not in st.session_state:
        saved = None
        user = current_user()
        if user is not None:
            saved = saved_language(get_settings(), user.username)
        st.session_state["lang"] = i18n.pick_language(st.context.headers.get("Accept-Language"), saved)
    return st.session_state["lang"]


def t(text: str, **kwargs) -> str:
    """Translate an interface string into the user's language."""
    return i18n.translate(text, lang(), **kwargs)


def num(value, decimals: int = 0) -> str:
    return i18n.format_number(value, lang(), decimals)


def current_user():
    return st.session_state.get("user")


def username() -> str | None:
    user = current_user()
    return user.username if user else None


def allowed(action: str) -> bool:
    user = current_user()
    return bool(user and user.can(action))


def require_permission(action: str) -> None:
    """Stop the page with a clear message when the user's role may not do this."""
    if not allowed(action):
        st.warning(t("Your role does not give access to this page. Ask an admin if you need it."))
        st.stop()


def remember_language(code: str) -> None:
    """Keep the user's language choice with their account (a failure to save is not shown)."""
    user = current_user()
    if user is None:
        return
    try:
        save_language(get_settings(), user.username, code)
    except EevpError:
        pass


escape = escape_markdown


def show_error(exc: Exception) -> None:
    st.error(t(str(exc)))


def guarded(step) -> None:
    """Run one part of a page; any error becomes a message, never a traceback.

    A domain error (``EevpError``) shows its own message; anything else a short apology with the
    kind of error, and the details go to the server's log. ``st.stop`` and ``st.rerun`` pass through
    (they are not ``Exception``s).
    """
    try:
        step()
    except EevpError as exc:
        show_error(exc)
    except Exception as exc:  # noqa: BLE001 - the page's last line of defence
        _log.exception("page step failed")
        st.error(t("Something went wrong ({kind}). Nothing was changed by the step that failed; try again, "
                   "or ask an admin to look at the server log.", kind=type(exc).__name__))
