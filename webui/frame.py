"""The frame around every page: page config, language picker, login gate, navigation, and
:func:`page`, the preamble of each page.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from eevp import i18n
from eevp.errors import EevpError
from eevp.store.batches import has_demo
from webui.core import allowed, current_user, get_engine, lang, remember_language, require_permission, t
from webui.login import require_login, restore_session
from webui.widgets import analysis_status

#: The pages in the sidebar: (script, title, icon, permission needed to see it, url path).
PAGES = [
    ("pages/1_Upload.py", "Upload", "⬆️", "upload", "upload"),
    ("pages/2_Survey.py", "Survey", "📋", "view_dashboards", "survey"),
    ("pages/3_EVP.py", "EVP", "🎁", "view_dashboards", "evp"),
    ("pages/4_Exits.py", "Exits", "🚪", "view_dashboards", "exits"),
    ("pages/5_Themes.py", "Themes", "💬", "view_themes", "themes"),
    ("pages/6_Customer_insights.py", "Customer insights", "🧭", "view_customers", "customer-insights"),
    ("pages/7_CX_maturity.py", "CX maturity", "🧩", "view_customers", "cx-maturity"),
    ("pages/8_Admin.py", "Admin", "🛠️", "users", "admin"),
    ("pages/9_Actions.py", "Actions", "✅", "view_actions", "actions"),
]


def frame(icon: str = "📊") -> None:
    """The frame around every page (run once per script run by app.py): config and language picker."""
    st.set_page_config(page_title="eevp", page_icon=icon, layout="wide")
    with st.sidebar:
        codes = list(i18n.LANGUAGES)
        current = lang()
        choice = st.selectbox("🌐", codes, index=codes.index(current), format_func=i18n.LANGUAGES.get,
                              key="lang_picker", label_visibility="collapsed")
        if choice != current:
            st.session_state["lang"] = choice
            remember_language(choice)
            st.rerun()


def gate() -> None:
    """Login (stops the page with the form until someone is logged in), the database, the demo banner."""
    require_login()
    try:
        with st.spinner(t("Preparing the database…")):
            engine = get_engine()
    except EevpError as exc:
        st.error(t(str(exc)))
        st.stop()
    if has_demo(engine):
        st.sidebar.info(t("You are looking at demo data. An admin can clear it on the Upload page."), icon="🧪")
    analysis_status()


def navigation(home) -> "st.navigation":
    """The sidebar navigation: Home plus the pages the user's role may open, titles in the user's language.

    A page the role may not open is not in the navigation, so its address opens Home: with a message that
    says so (the address asked for is remembered across the login form).
    """
    restore_session()
    root = Path(__file__).resolve().parents[1]
    logged_in = current_user() is not None
    pages = [st.Page(home, title=t("Home"), icon="🏠", default=True)]
    for script, title, icon, permission, url in PAGES:
        # Before login every page is known (so that a bookmarked address opens after the login form).
        if (allowed(permission) or not logged_in) and (root / script).exists():
            pages.append(st.Page(str(root / script), title=t(title), icon=icon, url_path=url))
    asked = _asked_for()
    nav = st.navigation(pages, position="sidebar" if logged_in else "hidden")
    if not logged_in:
        st.session_state["_asked_for"] = nav.url_path
    else:
        asked = st.session_state.pop("_asked_for", None) or asked
        denied = [title for _, title, _, permission, url in PAGES if url == asked and not allowed(permission)]
        if denied:
            st.warning(t("You do not have access to the page {page}. Ask an admin if you need it.",
                         page=t(denied[0])), icon="🔒")
    return nav


def _asked_for() -> str | None:
    """The page address this run was asked for (Streamlit opens the default page when it is not one of
    the navigation's)."""
    ctx = get_script_run_ctx()
    return getattr(getattr(ctx, "pages_manager", None), "intended_page_name", None) or None


def page(title: str, icon: str, permission: str) -> None:
    """The preamble of every page: the frame and login when the page runs on its own (inside the app,
    app.py has drawn them), the page's title, and the stop for roles without ``permission``.

    Args:
        title: the heading, in English (translated here).
        icon: the page's icon, as in :data:`PAGES` (the browser tab's when the page runs on its own).
        permission: the action the user's role must allow (``eevp.store.auth``).
    """
    if not st.session_state.get("_framed"):  # a page run on its own (AppTest) draws the frame itself
        frame(icon)
        gate()
    st.title(t(title))
    require_permission(permission)
    if st.session_state.get("_note"):  # left by the run before this one (ui.run_analysis)
        st.success(st.session_state.pop("_note"))
