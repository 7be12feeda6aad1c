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

def get_settings() -> Settings:
    """The settings from the environment (read once per distinct environment)."""
    import os

    return _settings(tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("EEVP_"))))


@st.cache_resource(show_spinner=False)
def _settings(env: tuple) -> Settings:
    return Settings.from_env()


def get_engine():
    return _engine(get_settings().database_url)


@st.cache_resource(show_spinner=False)
def _engine(database_url: str):
    from eevp.bootstrap import open_database

    return open_database(get_settings(), demo_if_empty=True)


def data_key() -> tuple:
    """Changes whenever stored data changes (or the database is another one): pass it to cached loaders."""
    from eevp.store.queries import data_version

    return (get_settings().database_url, *data_version(get_engine()))


@st.cache_data(show_spinner=False, max_entries=4)
def _survey_wide(key: tuple):
    from eevp.store.queries import survey_wide as load

    return load(get_engine())


@st.cache_data(show_spinner=False, max_entries=4)
def survey_items(key: tuple):
    from eevp.store.queries import survey_items as load

    return load(get_engine())


@st.cache_data(show_spinner=False, max_entries=4)
def wave_order(key: tuple):
    from eevp.store.queries import wave_order as load

    return load(get_engine())


@st.cache_data(show_spinner=False, max_entries=4)
def _exits_frame(key: tuple):
    from eevp.store.queries import exits_frame as load

    return load(get_engine())


@st.cache_data(show_spinner=False, max_entries=4)
def _evp_frames(key: tuple):
    from eevp.store.queries import evp_catalog, evp_ratings

    return evp_catalog(get_engine()), evp_ratings(get_engine())


def survey_wide(key: tuple):
    """Survey responses (one row per response) that the current user may see."""
    from eevp.store.auth import restrict

    return restrict(current_user(), _survey_wide(key))


def exits_frame(key: tuple):
    from eevp.store.auth import restrict

    return restrict(current_user(), _exits_frame(key))


def evp_frames(key: tuple):
    from eevp.store.auth import restrict

    catalog, ratings = _evp_frames(key)
    return catalog, restrict(current_user(), ratings)


@st.cache_data(show_spinner=False, max_entries=8)
def _home_summary(key: tuple, user, threshold: int) -> dict:
    from eevp.store.auth import restrict
    from eevp.analytics.reports import home_summary

    wide, exits = restrict(user, _survey_wide(key)), restrict(user, _exits_frame(key))
    return home_summary(wide, survey_items(key), exits, wave_order(key), threshold)


def home_summary(key: tuple, threshold: int) -> dict:
    """Home's cards, trend and pointers for what the current user may see: computed once per data
    version, user scope and threshold (a rerun of Home — the tour, the language — costs nothing)."""
    from eevp.store.auth import User

    user = current_user()
    scope = User("", user.role, tuple(user.departments)) if user is not None else None
    return _home_summary(key, scope, threshold)


@st.cache_data(show_spinner=False, max_entries=4)
def themes_and_units(key: tuple, scope: str = "all"):
    """The current themes of a scope ("all" or "customers") and its units with a ``person`` column."""
    from eevp.themes.run import theme_table, unit_themes
    from eevp.analytics.theme_views import with_person

    return theme_table(get_engine(), scope=scope), with_person(unit_themes(get_engine(), scope=scope))


# --------------------------------------------------------------------------- language

def lang() -> str:
    if "lang" not in st.session_state:
        saved = None
        user = current_user()
        if user is not None:
            from eevp.store.auth import saved_language

            saved = saved_language(get_settings(), user.username)
        st.session_state["lang"] = i18n.pick_language(st.context.headers.get("Accept-Language"), saved)
    return st.session_state["lang"]


def t(text: str, **kwargs) -> str:
    """Translate an interface string into the user's language."""
    return i18n.translate(text, lang(), **kwargs)


def num(value, decimals: int = 0) -> str:
    return i18n.format_number(value, lang(), decimals)


# --------------------------------------------------------------------------- page frame

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
]


def frame() -> None:
    """The frame around every page (run once per script run by app.py): config and language picker."""
    st.set_page_config(page_title="eevp", page_icon="📊", layout="wide")
    with st.sidebar:
        codes = list(i18n.LANGUAGES)
        current = lang()
        choice = st.selectbox("🌐", codes, index=codes.index(current), format_func=i18n.LANGUAGES.get,
                              key="lang_picker", label_visibility="collapsed")
        if choice != current:
            st.session_state["lang"] = choice
            _remember_language(choice)
            st.rerun()


def gate() -> None:
    """Login (stops the page with the form until someone is logged in), the database, the demo banner."""
    _login_gate()
    try:
        with st.spinner(t("Preparing the database…")):
            engine = get_engine()
    except EevpError as exc:
        st.error(t(str(exc)))
        st.stop()
    from eevp.store.batches import has_demo

    if has_demo(engine):
        st.sidebar.info(t("You are looking at demo data. An admin can clear it on the Upload page."), icon="🧪")


def navigation(home) -> "st.navigation":
    """The sidebar navigation: Home plus the pages the user's role may open, titles in the user's language."""
    from pathlib import Path

    root = Path(__file__).resolve().parent
    logged_in = current_user() is not None
    pages = [st.Page(home, title=t("Home"), icon="🏠", default=True)]
    for script, title, icon, permission, url in PAGES:
        # Before login every page is known (so that a bookmarked address opens after the login form).
        if (allowed(permission) or not logged_in) and (root / script).exists():
            pages.append(st.Page(str(root / script), title=t(title), icon=icon, url_path=url))
    return st.navigation(pages, position="sidebar" if logged_in else "hidden")


def page_setup(title: str, icon: str = "📊") -> None:
    """Called at the top of every page. Inside the app the frame is already drawn by app.py; a page run
    on its own (AppTest) draws it here."""
    if st.session_state.get("_framed"):
        return
    frame()
    gate()


def _remember_language(code: str) -> None:
    user = current_user()
    if user is None:
        return
    from eevp.store.auth import save_language

    try:
        save_language(get_settings(), user.username, code)
    except EevpError:
        pass


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
    st.error(t(str(exc)))


# --------------------------------------------------------------------------- safe output

def quote(text: str) -> None:
    """Show a person's words as text, never as Markdown or HTML."""
    st.markdown("> " + escape_markdown(text).replace("\n", " "))


PERCENT_COLUMNS = {"favourable", "share", "regretted_share", "engagement", "diff", "delta", "previous", "current",
                   "promoters", "detractors", "participation"}


#: Headers of the tables the pages show (data columns keep their names in CSV downloads).
COLUMN_LABELS = {
    "favourable": "Favourable", "n": "Responses", "diff": "Difference from all", "item": "Item", "role": "Role",
    "department": "Department", "location": "Location", "tenure": "Tenure", "wave": "Wave", "enps": "eNPS",
    "ci_low": "95% CI from", "ci_high": "95% CI to", "promoters": "Promoters", "detractors": "Detractors",
    "importance": "Importance", "satisfaction": "Satisfaction", "gap": "Gap", "benefit": "Benefit",
    "pillar": "Pillar", "offered": "Offered", "scope": "Scope", "reason": "Reason", "label": "Theme",
    "size": "Text units", "share": "Share", "survey": "Survey", "exit": "Exit", "focus": "Focus group",
    "negative": "Negative", "positive": "Positive", "keywords": "Keywords", "delta": "Change",
    "previous": "Before", "current": "Now", "significant": "Significant", "impact": "Impact", "score": "Score",
    "quadrant": "Quadrant", "people": "People", "row": "Row", "column": "Column", "value": "Value",
    "message": "Problem", "regretted_share": "Regretted", "leavers": "Leavers", "engagement": "Engagement",
    "kind": "Source", "language": "Language", "gender": "Gender", "age_band": "Age band",
}


def seg_label(name: str) -> str:
    """A segment or column name as people read it, in their language."""
    if name in COLUMN_LABELS:
        return t(COLUMN_LABELS[name])
    text = str(name).replace("_", " ")
    return text[:1].upper() + text[1:]


def table(df, key: str, caption: str | None = None, filename: str | None = None, height: int | None = None,
          percent: list[str] | None = None) -> None:
    """A table with a CSV download (formula cells neutralised); shares shown as percentages, suppressed
    rows marked in words."""
    import pandas as pd

    if caption:
        st.caption(t(caption))
    shown = df.copy()
    pct = [c for c in (percent if percent is not None else PERCENT_COLUMNS) if c in shown.columns]
    config = {}
    for col in shown.columns:
        if col in pct:
            config[col] = st.column_config.NumberColumn(seg_label(col), format="percent")
        elif pd.api.types.is_float_dtype(shown[col]):
            whole = bool((shown[col].dropna() % 1 == 0).all())
            config[col] = st.column_config.NumberColumn(seg_label(col), format="%d" if whole else "%.2f")
        else:
            config[col] = st.column_config.Column(seg_label(col))
    if "suppressed" in shown.columns:
        hidden = shown["suppressed"].fillna(False).astype(bool)
        threshold = get_settings().min_group_size
        shown["suppressed"] = [t("fewer than {n} responses", n=threshold) if h else "" for h in hidden]
        config["suppressed"] = st.column_config.TextColumn(t("note"))
    st.dataframe(shown, hide_index=True, width="stretch", height=height or "auto", column_config=config)
    st.download_button(t("Download CSV"), to_csv_bytes(df), file_name=filename or f"{key}.csv",
                       mime="text/csv", key=f"dl_{key}")


#: Axis and legend titles the chart builders in eevp.charts write in English.
CHART_WORDS = {
    "theme": "Theme", "n": "Responses", "eNPS": "eNPS", "text units": "Text units", "share": "Share",
    "benefit": "Benefit", "answer": "Answer", "share of the group's people": "Share of the group's people",
    "share of answers": "Share of answers", "sentiment": "Sentiment", "score": "Score",
    "score (higher = better)": "Score (higher = better)", "satisfaction": "Satisfaction",
    "rating (1–5)": "Rating (1–5)", "quadrant": "Quadrant", "pillar": "Pillar", "people": "People",
    "offered": "Offered", "item": "Item", "importance": "Importance", "impact on the outcome": "Impact on the outcome",
    "impact (relative weight)": "Impact (relative weight)", "group": "Group", "gap": "Gap",
    "correlation": "Correlation", "95% CI to": "95% CI to", "95% CI from": "95% CI from", "measure": "Measure",
    "value": "Value", "stage": "Journey stage", "source": "Source", "period": "Period", "quarter": "Quarter",
    "leavers": "Leavers", "label": "Theme", "reason": "Reason", "favourable": "Favourable", "diff": "Difference",
}


def _translated_titles(node):
    """The chart spec with every axis, legend and tooltip title in the user's language."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "title" and isinstance(v, str) and v:
                out[k] = t(CHART_WORDS[v]) if v in CHART_WORDS else seg_label(v) if v in COLUMN_LABELS else t(v)
            else:
                out[k] = _translated_titles(v)
        return out
    if isinstance(node, list):
        return [_translated_titles(v) for v in node]
    return node


def chart(ch, how_to_read: str | None = None) -> None:
    """An Altair chart (titles in the user's language) with its one-line "how to read this"."""
    if lang() == "en":
        st.altair_chart(ch, width="stretch")
    else:
        st.vega_lite_chart(spec=_translated_titles(ch.to_dict()), width="stretch")
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
    from dataclasses import replace

    from eevp.store.queries import SEGMENTS, Filters, extra_segments

    extra = extra_segments(wide, items["item"].tolist())
    segments = list(SEGMENTS) + [c for c in extra if wide[c].nunique() <= 50]
    with st.sidebar:
        st.subheader(t("Filters"))
        chosen_waves = _kept_multiselect(t("Wave"), waves, "f_waves", default=waves[-1:],
                                         help=t("The latest wave is chosen at first; clear it to see all waves."))
        chosen = {}
        for name in segments:
            options = sorted(wide[name].dropna().astype(str).unique())
            chosen[name] = tuple(_kept_multiselect(seg_label(name), options, f"f_{name}"))
    f = Filters(waves=tuple(chosen_waves), **{k: v for k, v in chosen.items() if k in SEGMENTS},
                segments=tuple((k, v) for k, v in chosen.items() if k not in SEGMENTS))
    st.session_state["_filters_all_waves"] = replace(f, waves=())
    st.session_state["_filters"] = f
    return f.apply(wide), segments


def _kept_multiselect(label: str, options: list, key: str, default=None, help: str | None = None) -> list:
    """A multiselect whose choice survives visits to pages without it (Streamlit forgets widget state there)."""
    keep = "_keep_" + key
    if keep in st.session_state:
        st.session_state[key] = [v for v in st.session_state[keep] if v in options]
    elif default is not None and key not in st.session_state:
        st.session_state[key] = [v for v in default if v in options]
    value = st.multiselect(label, options, key=key, help=help)
    st.session_state[keep] = value
    return value


def current_filters():
    """The Filters chosen in the sidebar on this run (see survey_filters)."""
    from eevp.store.queries import Filters

    return st.session_state.get("_filters") or Filters()


def all_waves(wide):
    """``wide`` with the current segment filters but every wave (for comparisons across waves)."""
    f = st.session_state.get("_filters_all_waves")
    return f.apply(wide) if f is not None else wide


escape = escape_markdown


@st.cache_resource(show_spinner=False)
def embedder():
    """The configured embedding model, loaded once per server."""
    from eevp.themes.embeddings import get_embedder

    return get_embedder(get_settings().embedder)


def run_analysis(refit: bool = False) -> dict | None:
    """Run the text analysis (new units into existing themes; everything when ``refit``) with a progress bar."""
    from eevp.pipeline import run_all

    with st.status(t("Analysing text…"), expanded=True) as status:
        # Any click stops a running script in Streamlit: this button is the way to cancel. Work already
        # stored (embeddings) is kept; the themes stay as they were.
        st.button(t("Cancel"), key="cancel_analysis", help=t("Stops the analysis; the themes stay as they were."))
        bar = st.progress(0.0)

        def progress(step: str, done: int, total: int) -> None:
            bar.progress(min(done / total, 1.0) if total else 1.0, text=f"{t(step)}: {done}/{total}")

        try:
            out = run_all(get_engine(), get_settings(), refit=refit, embedder=embedder(), progress=progress)
        except EevpError as exc:
            status.update(label=t(str(exc)), state="error")
            return None
        status.update(label=t("Done: {n} themes, {c} customer themes", n=out["themes"], c=out["customer_themes"]),
                      state="complete", expanded=False)
        for note in out.get("notes", []):
            st.info(t(note))  # TooFewUnitsError messages, in the catalogue
    st.cache_data.clear()
    return out


def analysis_notice() -> bool:
    """Say so when an analysis is running (e.g. the first one after start); True when one is."""
    from eevp.pipeline import read_status

    status = read_status(get_settings())
    if not status or status.get("state") != "running":
        return False
    total = max(int(status.get("total") or 1), 1)
    st.info(t("The text analysis is running ({step}: {done} of {total}). Themes appear here when it ends; "
              "the survey, EVP and exit numbers are ready now.", step=t(str(status.get("step"))),
              done=status.get("done"), total=total), icon="⏳")
    st.progress(min(int(status.get("done") or 0) / total, 1.0))
    if st.button(t("Check again")):
        st.cache_data.clear()
        st.rerun()
    return True
