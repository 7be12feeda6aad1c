"""Small Streamlit helpers shared by app.py and pages/: caching, filters, safe output, language.

Only presentation lives here; every computation is in ``eevp``.
"""

from __future__ import annotations

import streamlit as st

from eevp import i18n
from eevp.errors import EevpError
from eevp.safe import escape_markdown, to_csv_bytes
from eevp.settings import Settings


# --------------------------------------------------------------------------- resources

@st.cache_resource
def get_settings() -> Settings:
    return Settings.from_env()


@st.cache_resource(show_spinner="Preparing the database…")
def get_engine():
    from eevp.bootstrap import open_database

    return open_database(get_settings(), demo_if_empty=True)


def data_key() -> tuple:
    """Changes whenever stored data changes: pass it to cached loaders."""
    from eevp.queries import data_version

    return data_version(get_engine())


@st.cache_data(show_spinner=False, max_entries=4)
def survey_wide(_key: tuple):
    from eevp.queries import survey_wide as load

    return load(get_engine())


@st.cache_data(show_spinner=False, max_entries=4)
def survey_items(_key: tuple):
    from eevp.queries import survey_items as load

    return load(get_engine())


@st.cache_data(show_spinner=False, max_entries=4)
def wave_order(_key: tuple):
    from eevp.queries import wave_order as load

    return load(get_engine())


@st.cache_data(show_spinner=False, max_entries=4)
def exits_frame(_key: tuple):
    from eevp.queries import exits_frame as load

    return load(get_engine())


@st.cache_data(show_spinner=False, max_entries=4)
def evp_frames(_key: tuple):
    from eevp.queries import evp_catalog, evp_ratings

    return evp_catalog(get_engine()), evp_ratings(get_engine())


# --------------------------------------------------------------------------- language

def lang() -> str:
    if "lang" not in st.session_state:
        st.session_state["lang"] = i18n.pick_language(st.context.headers.get("Accept-Language"))
    return st.session_state["lang"]


def t(text: str, **kwargs) -> str:
    """Translate an interface string into the user's language."""
    return i18n.translate(text, lang(), **kwargs)


def num(value, decimals: int = 0) -> str:
    return i18n.format_number(value, lang(), decimals)


# --------------------------------------------------------------------------- page frame

def page_setup(title: str, icon: str = "📊") -> None:
    """Every page starts here: config, language picker, login, demo banner."""
    st.set_page_config(page_title=f"{title} · eevp", page_icon=icon, layout="wide")
    with st.sidebar:
        codes = list(i18n.LANGUAGES)
        current = lang()
        choice = st.selectbox("🌐", codes, index=codes.index(current), format_func=i18n.LANGUAGES.get,
                              key="lang_picker", label_visibility="collapsed")
        if choice != current:
            st.session_state["lang"] = choice
            st.rerun()
    _login_gate()
    try:
        engine = get_engine()
    except EevpError as exc:
        st.error(str(exc))
        st.stop()
    from eevp.batches import has_demo

    if has_demo(engine):
        st.sidebar.info(t("You are looking at demo data. An admin can clear it on the Upload page."), icon="🧪")


def _login_gate() -> None:
    try:
        import auth_ui
    except ImportError:
        return
    auth_ui.require_login()


def current_user():
    return st.session_state.get("user")


def stop_if_empty(df, message: str) -> None:
    if df is None or len(df) == 0:
        st.info(t(message))
        st.stop()


def show_error(exc: Exception) -> None:
    st.error(str(exc))


# --------------------------------------------------------------------------- safe output

def quote(text: str) -> None:
    """Show a person's words as text, never as Markdown or HTML."""
    st.markdown("> " + escape_markdown(text).replace("\n", " "))


def table(df, key: str, caption: str | None = None, filename: str | None = None, height: int | None = None) -> None:
    """A table with a CSV download (formula cells neutralised)."""
    if caption:
        st.caption(t(caption))
    st.dataframe(df, hide_index=True, width="stretch", height=height or "auto")
    st.download_button(t("Download CSV"), to_csv_bytes(df), file_name=filename or f"{key}.csv",
                       mime="text/csv", key=f"dl_{key}")


def chart(ch, how_to_read: str | None = None) -> None:
    st.altair_chart(ch, width="stretch")
    if how_to_read:
        st.caption("ℹ️ " + t(how_to_read))


# --------------------------------------------------------------------------- roles

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


# --------------------------------------------------------------------------- filters

def survey_filters(wide, items, waves):
    """Sidebar filters shared across pages (kept in the session). Returns (filtered frame, segment names)."""
    from eevp.queries import SEGMENTS, Filters, extra_segments

    extra = extra_segments(wide, items["item"].tolist())
    segments = list(SEGMENTS) + [c for c in extra if wide[c].nunique() <= 50]
    with st.sidebar:
        st.subheader(t("Filters"))
        chosen_waves = st.multiselect(t("Wave"), waves, key="f_waves")
        chosen = {}
        for name in segments:
            options = sorted(wide[name].dropna().astype(str).unique())
            chosen[name] = tuple(st.multiselect(t(name.capitalize()), options, key=f"f_{name}"))
    f = Filters(waves=tuple(chosen_waves), **{k: v for k, v in chosen.items() if k in SEGMENTS},
                segments=tuple((k, v) for k, v in chosen.items() if k not in SEGMENTS))
    st.session_state["_filters_active"] = f.active
    return f.apply(wide), segments


def filters_active() -> bool:
    return bool(st.session_state.get("_filters_active"))


escape = escape_markdown


@st.cache_resource(show_spinner="Loading the language model…")
def embedder():
    """The configured embedding model, loaded once per server."""
    from eevp.embeddings import get_embedder

    return get_embedder(get_settings().embedder)
