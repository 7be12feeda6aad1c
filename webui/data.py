"""Everything the pages read, cached (``st.cache_data`` keyed on the data version, ``st.cache_resource``
for the engine and the embedder), with the current user's row restrictions; and the start of the analysis.
"""

from __future__ import annotations

from contextlib import contextmanager

import streamlit as st

from eevp.actions import digest as action_digest
from eevp.analytics import alerts, customers, report_views, reports, summaries
from eevp.analytics.theme_views import THEME_DIMS, reportable, with_person
from eevp.errors import EevpError
from eevp.pipeline import read_status, start_analysis
from eevp.store import queries
from eevp.store.auth import User, restrict
from eevp.themes.embeddings import get_embedder
from eevp.themes.read import theme_table, unit_themes
from webui.core import current_user, get_engine, get_settings, lang, t


def data_key() -> tuple:
    """Changes whenever stored data changes (or the database is another one): pass it to cached loaders.

    The end of an analysis run is part of it: a run updates theme sizes and assignments in place, and a
    page drawn while it ran must not keep what it read half-way."""
    status = read_status(get_settings()) or {}
    ended = None if status.get("state") == "running" else status.get("at")
    return (get_settings().database_url, *queries.data_version(get_engine()), ended)


@contextmanager
def _reading():
    """A note while what a page shows is read and computed anew: after an upload the first view of a large
    organisation takes seconds (a million responses: 5-35 s) and the page would stay blank. ``st.spinner`` shows
    it only past half a second, so a view served from the cache shows nothing."""
    with st.spinner(t("Reading the latest data: the first view after new data takes longer.")):
        yield


@st.cache_data(show_spinner=False, max_entries=4)
def _survey_wide(key: tuple):
    return queries.survey_wide(get_engine())


@st.cache_data(show_spinner=False, max_entries=4)
def survey_items(key: tuple):
    return queries.survey_items(get_engine())


@st.cache_data(show_spinner=False, max_entries=4)
def wave_order(key: tuple):
    return queries.wave_order(get_engine())


@st.cache_data(show_spinner=False, max_entries=4)
def _exits_frame(key: tuple):
    return queries.exits_frame(get_engine())


@st.cache_data(show_spinner=False, max_entries=4)
def _evp_frames(key: tuple):
    return queries.evp_catalog(get_engine()), queries.evp_ratings(get_engine())


def survey_frames(key: tuple) -> tuple:
    """The survey responses the current user may see, every response, and the user's scope in them (``{}``
    when they see every row). Every response is for the anonymity checks only, so that a scoped viewer's
    tables agree with the company's; never drawn. One copy of the cached responses serves all three (a
    million responses take 0.3-0.6 s to copy; the page made two a run)."""

    with _reading():
        full = _survey_wide(key)
    mine = restrict(current_user(), full)
    return mine, full, reports.scope_of(mine, full)


def exits_frames(key: tuple) -> tuple:
    """The leavers the current user may see, every leaver and the user's scope in them (see
    :func:`survey_frames`)."""

    with _reading():
        full = _exits_frame(key)
    mine = restrict(current_user(), full)
    return mine, full, reports.scope_of(mine, full)


@st.cache_data(show_spinner=False, max_entries=4)
def evp_catalog(key: tuple):
    """The benefit catalogue (policy, not people): the EVP page reads it on every run, so apart from the
    ratings, which only its cached tables read (a copy of millions of ratings took 0.8 s a run)."""
    return queries.evp_catalog(get_engine())


@st.cache_data(show_spinner=False, max_entries=8)
def _stored_rows(key: tuple, user) -> tuple[int, int]:
    return len(restrict(user, _survey_wide(key))), len(restrict(user, _exits_frame(key)))


def stored_rows(key: tuple) -> tuple[int, int]:
    """How many survey responses and leavers the current user may see: Home asks on every run whether there is
    anything to show, and a copy of every response for that took 0.3 s a run at a million."""
    user = current_user()
    return _stored_rows(key, User("", user.role, tuple(user.departments)) if user is not None else None)


@st.cache_data(show_spinner=False, max_entries=8)
def _evp_tables(key: tuple, user, threshold: int) -> dict:
    catalog, everyone = _evp_frames(key)
    ratings = restrict(user, everyone)
    scope = reports.scope_of(ratings, everyone)
    leavers = _exits_frame(key)
    exits = restrict(user, leavers)
    return {"roles": report_views.evp_roles(catalog, ratings),
            "gaps": reports.evp_gaps(ratings, catalog, threshold, by="role", population=everyone, selections=scope),
            "company": report_views.evp_company_gaps(ratings, catalog, threshold, population=everyone,
                                                     selections=scope),
            "pillars": reports.pillar_trend(ratings, catalog, threshold, wave_order(key), population=everyone,
                                            selections=scope),
            "exit_pillars": reports.exit_pillars(exits, threshold, population=leavers,
                                                 selections=reports.scope_of(exits, leavers))}


def evp_tables(key: tuple, threshold: int) -> dict:
    """The EVP page's tables for what the current user may see (the roles, gaps by role, the company's gaps, the
    pillar trend, leavers' pillars): none depends on a widget, and each reads every rating (seconds at millions of
    ratings), so they are computed once per data version, user scope and threshold, as Home's summary."""

    user = current_user()
    scope = User("", user.role, tuple(user.departments)) if user is not None else None
    with _reading():
        return _evp_tables(key, scope, threshold)


@st.cache_data(show_spinner=False, max_entries=8)
def _home_summary(key: tuple, user, threshold: int) -> dict:
    full = _survey_wide(key)
    all_exits = _exits_frame(key)
    wide, exits = restrict(user, full), restrict(user, all_exits)
    return reports.home_summary(wide, survey_items(key), exits, wave_order(key), threshold, population=full,
                                selections=reports.scope_of(wide, full), exit_population=all_exits)


def home_summary(key: tuple, threshold: int) -> dict:
    """Home's cards, trend and pointers for what the current user may see: computed once per data
    version, user scope and threshold (a rerun of Home — the tour, the language — costs nothing)."""

    user = current_user()
    scope = User("", user.role, tuple(user.departments)) if user is not None else None
    with _reading():
        return _home_summary(key, scope, threshold)


def themes_and_units(key: tuple, scope: str = "all"):
    """The current themes of a scope ("all" or "customers"), labelled in the user's language where a
    theme has a label in it, and its units with a ``person`` column."""

    with _reading():
        return _themes_and_units(key, scope, lang())


@st.cache_data(show_spinner=False, max_entries=8)
def _themes_and_units(key: tuple, scope: str, language: str):
    return (theme_table(get_engine(), scope=scope, language=language),
            with_person(unit_themes(get_engine(), scope=scope)))


@st.cache_data(show_spinner=False, max_entries=8)
def theme_summaries(key: tuple, scope: str = "all", kind: str | None = None, *, actor) -> tuple[dict, dict]:
    """The summary of every theme of a scope (of one source kind's statements when ``kind``) and its
    quotes: ``({theme_id: Summary}, {theme_id: [{"text", "kind", "language"}]})``."""

    _, units = themes_and_units(key, scope)
    if kind:
        units = units[units["kind"] == kind]
    sums = summaries.theme_summaries(get_engine(), units, get_settings().min_comment_group, scope)
    return sums, {tid: summaries.quotes_of(get_engine(), s, actor=actor) for tid, s in sums.items()}


@st.cache_resource(show_spinner=False, max_entries=2)
def _unit_vectors(key: tuple, scope: str):
    _, units = themes_and_units(key, scope)
    return summaries.unit_vectors(get_engine(), units["unit_id"], scope)


@st.cache_data(show_spinner=False, max_entries=32)
def summary_groups(key: tuple, theme_id: int, scope: str = "all") -> list:
    """The groups of one theme that may have a summary (:func:`eevp.analytics.summaries.summary_groups`)."""

    _, units = themes_and_units(key, scope)
    return summaries.summary_groups(units, theme_id, THEME_DIMS, get_settings().min_comment_group)


@st.cache_data(show_spinner=False, max_entries=32)
def group_summary(key: tuple, theme_id: int, dim: str, value, scope: str = "all", *, actor) -> tuple:
    """The summary of one theme within one group (None when the group may not have one) and its quotes."""

    _, units = themes_and_units(key, scope)
    s = summaries.summarise_group(units, _unit_vectors(key, scope), theme_id, dim, value,
                                  get_settings().min_comment_group)
    return s, summaries.quotes_of(get_engine(), s, actor=actor)


@st.cache_data(show_spinner=False, max_entries=4)
def home_alerts(key: tuple) -> dict:
    """What changed since the last upload, for Home (every row: never for a viewer limited to departments):
    the text alerts kept after the latest analysis, and the survey items dropping significantly now."""

    wide, items, waves = _survey_wide(key), survey_items(key), wave_order(key)
    drops = alerts.item_drops(wide, items, waves, get_settings().min_group_size) if len(wide) else None
    return {"snapshot": alerts.latest_snapshot(get_engine()),
            "items": [] if drops is None else drops.to_dict("records")}


@st.cache_data(show_spinner=False, max_entries=4)
def digest_page(key: tuple, lang: str, actor) -> str:
    """The leadership digest's HTML with its actions (:mod:`eevp.actions.digest`), once per data version,
    language and reader."""
    return action_digest.build(get_engine(), get_settings(), lang=lang, actor=actor)[0]


@st.cache_data(show_spinner=False, max_entries=4)
def review_sample(key: tuple):
    """The ids of the CX lead's review sample (:func:`eevp.analytics.customers.review_sample`), once per data
    version: drawing it reads every tagged statement."""
    return customers.review_sample(get_engine(), share=0.10)


@st.cache_resource(show_spinner=False)
def embedder():
    """The configured embedding model, loaded once per server."""

    return get_embedder(get_settings().embedder)


def shown_theme_counts(key: tuple) -> dict:
    """The themes as the Themes and Customer insights pages count them (``n`` themes, ``k`` of them
    candidates, ``c`` customer themes): the analysis' own counts leave out candidates and small themes."""
    threshold = get_settings().min_comment_group
    themes, units = themes_and_units(key, "all")
    shown = reportable(themes, units, threshold) if len(themes) else themes
    customer_units = customers.customer_units(get_engine())
    ranked = (customers.rank_themes(customer_units, customers.theme_labels(get_engine(), language=lang()),
                                     threshold)
              if len(customer_units) else customer_units)
    return {"n": len(shown), "k": int(shown["is_candidate"].sum()) if len(shown) else 0, "c": len(ranked)}


def run_analysis(refit: bool = False, note: str | None = None) -> None:
    """Start the text analysis in a worker process (new units into existing themes; everything when
    ``refit``): it goes on when the user opens another page, and every page shows its progress in the
    sidebar. A second start while one runs is refused with a message.

    Args:
        refit: rebuild every theme.
        note: a message (already translated) shown above the page after the start, which runs the page again.
    """

    try:
        start_analysis(get_settings(), actor=current_user(), refit=refit)
    except EevpError as exc:
        if note:
            st.success(note)
        st.warning(t(str(exc)))
        return
    st.session_state["_analysis_state"] = "running"
    st.session_state["_note"] = note
    st.rerun()  # the sidebar line shows the run from now on
