"""Widgets shared by the pages: tables with a CSV download, charts with translated titles, quotes,
the survey filters in the sidebar, and the analysis notice and status line.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace

import pandas as pd
import streamlit as st

from eevp.actions.register import create_action
from eevp.actions.targets import make_target
from eevp.intake import scales
from eevp.pipeline import read_status
from eevp.safe import escape_markdown, to_csv_bytes
from eevp.store.auth import account_names
from eevp.store.queries import SEGMENTS, Filters, extra_segments
from webui.core import allowed, current_user, get_engine, get_settings, guarded, lang, t
from webui.data import data_key, shown_theme_counts
from webui.localise import chart_spec, col_label, seg_label, table_view, value_label


def stop_if_empty(df, message: str) -> None:
    if df is None or len(df) == 0:
        st.info(t(message))
        st.stop()


def quote(text: str, comment: str | None = None) -> None:
    """Show a person's words as text, never as Markdown or HTML; the whole comment the statement
    was split from, when given, behind "Whole comment"."""
    st.markdown("> " + escape_markdown(text).replace("\n", " "))
    if comment:
        with st.expander(t("Whole comment")):
            st.markdown(escape_markdown(comment).replace("\n", " "))


def theme_summary(summary, quotes: list[dict]) -> None:
    """A theme's summary (:class:`eevp.analytics.summaries.Summary`): its lead line in the user's language
    and its quotes, as text; a note instead when too few people raised it to quote them."""
    if summary is None:
        st.caption(t("No summary: fewer than {n} people raised this.", n=get_settings().min_comment_group))
        return
    st.markdown("**" + escape_markdown(summary.lead(lang())) + "**")
    for q in quotes:
        quote(q["text"], q.get("comment"))


PERCENT_COLUMNS = {"favourable", "share", "regretted_share", "engagement", "diff", "delta", "previous", "current",
                   "promoters", "detractors", "participation", "share_a", "share_b"}
#: Percent columns that are differences of two shares: shown in percentage points ("−23.4 pp").
POINTS_COLUMNS = ("diff", "delta")


def table(df, key: str, caption: str | None = None, filename: str | None = None, height: int | None = None,
          percent: list[str] | None = None, segments: tuple[str, ...] = ()) -> None:
    """A table with a CSV download (formula cells neutralised): headers, category words and numbers in the
    user's language, shares as percentages, suppressed rows marked in words (no note column when none is).

    Args:
        segments: columns that are segments (named by the upload, so "current" stays "Current").
    """

    if caption:
        st.caption(t(caption))
    pct = [c for c in (percent if percent is not None else PERCENT_COLUMNS) if c in df.columns and c not in segments]
    hidden = df["suppressed"].fillna(False).astype(bool).to_numpy() if "suppressed" in df.columns else None
    shown = table_view(df, pct, POINTS_COLUMNS, hidden=hidden)
    config = {}
    for col in shown.columns:
        label = seg_label(col) if col in segments else col_label(col)
        config[col] = st.column_config.Column(label)
    if hidden is not None:
        if hidden.any():
            threshold = get_settings().min_group_size
            # a row is hidden for its own size or with a small sibling (so that no subtraction reveals it):
            # "fewer than 5 responses" beside IBM's 33 sales representatives who left read as wrong
            why = t("fewer than {n} responses, or hidden with such a group", n=threshold)
            shown["suppressed"] = [why if h else "" for h in hidden]
            config["suppressed"] = st.column_config.TextColumn(t("Why hidden"))
        else:
            shown = shown.drop(columns="suppressed")
            config.pop("suppressed")
    st.dataframe(shown, hide_index=True, width="stretch", height=height or "auto", column_config=config)
    st.download_button(t("Download CSV"), to_csv_bytes(df), file_name=filename or f"{key}.csv",
                       mime="text/csv", key=f"dl_{key}")


def preview_table(df: pd.DataFrame, rows: int = 20) -> None:
    """The first ``rows`` rows of an uploaded file as they are, an empty text cell blank (Streamlit writes
    "None" in each, and a real export has many)."""
    head = df.head(rows).copy()
    for col in head.columns:
        if head[col].dtype == object or pd.api.types.is_string_dtype(head[col]):
            head[col] = head[col].astype(object).where(head[col].notna(), "")
    st.dataframe(head, hide_index=True, width="stretch")


#: Dates and times in a table as each language writes them (moment.js patterns, as ``format_date`` does).
DATE_TIME = {"en": "YYYY-MM-DD HH:mm", "ru": "DD.MM.YYYY HH:mm", "uk": "DD.MM.YYYY HH:mm"}


def plain_table(df, labels: dict[str, str]) -> None:
    """A table to read, without a download (accounts, stored batches, the audit log, settings): headers from
    ``labels`` (interface strings), numbers and dates as the user's language writes them (as the cards do:
    "1 555" in ru/uk), text as it is."""
    shown = table_view(pd.DataFrame(df), [], categories=False)
    config = {}
    for col in shown.columns:
        label = t(labels[col]) if col in labels else col_label(col)
        if pd.api.types.is_datetime64_any_dtype(shown[col]):
            config[col] = st.column_config.DatetimeColumn(label, format=DATE_TIME.get(lang(), DATE_TIME["en"]))
        else:
            config[col] = st.column_config.Column(label)
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config)


def chart(ch, how_to_read: str | None = None, **values) -> None:
    """An Altair chart as the user reads it (:func:`webui.localise.chart_spec`) with its one-line "how to
    read this" (an interface string; ``values`` fill its {placeholders})."""
    st.vega_lite_chart(spec=chart_spec(ch.to_dict()), width="stretch")
    if how_to_read:
        st.caption("ℹ️ " + t(how_to_read, **values))


def page_of(rows, key: str, size: int = 15):
    """The part of ``rows`` (a frame or a list, in the order to show) on the page the user picked: long
    charts and lists stay readable; a picker appears only when there is more than one page."""
    pages = max(1, math.ceil(len(rows) / size))
    if pages == 1:
        return rows
    n = st.selectbox(t("Shown"), range(1, pages + 1), key=key,
                     format_func=lambda i: t("{a}–{b} of {n}", a=(i - 1) * size + 1, b=min(i * size, len(rows)),
                                             n=len(rows)))
    return rows[(n - 1) * size:n * size]


#: Themes per page of a theme heatmap or trend (the most raised first; the picker of :func:`page_of` shows the
#: others): a chart of every customer theme grew taller than a screen.
THEMES_PER_PAGE = 15


def file_uploader(label: str, types: list[str], key: str):
    """``st.file_uploader`` with its own texts ("Upload", "50MB per file • CSV…") in the user's language:
    Streamlit writes them in English only, so in ru/uk they are hidden and drawn from the catalogue."""
    if lang() != "en":
        button = t("Upload a file").replace('"', "'")
        limit = t("{mb} MB per file • {types}", mb=st.get_option("server.maxUploadSize"),
                  types=", ".join(x.upper() for x in types)).replace('"', "'")
        button_text = "[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p"
        limit_text = "[data-testid='stFileUploaderDropzoneInstructions'] span"
        st.html(f"""<style>
{button_text}, {limit_text} {{visibility: hidden; font-size: 0}}
{button_text}::after {{content: "{button}"; visibility: visible; font-size: 0.875rem}}
{limit_text}::after {{content: "{limit}"; visibility: visible; font-size: 0.875rem}}
</style>""")
    return st.file_uploader(label, type=types, key=key)


#: More columns than this make a heatmap unreadable: the ones that matter first, the rest on demand.
MANY_GROUPS = 30


def groups_in_chart(table: pd.DataFrame, column: str, first, key: str) -> pd.DataFrame:
    """The rows of ``table`` to draw: all of them, or with more than :data:`MANY_GROUPS` groups in ``column``,
    the groups ``first`` (a list, or a function of the table giving one: the groups that matter) and any
    other the user picks. The table under the chart keeps them all."""
    groups = table[column].dropna().unique().tolist()
    if len(groups) <= MANY_GROUPS:
        return table
    first = first(table) if callable(first) else first
    chosen = st.multiselect(t("Groups in the chart"), sorted(groups, key=str), default=first, key=key,
                            placeholder=t("Choose options"),
                            help=t("At first the largest groups and those most different from the whole; type "
                                   "to find any other."))
    st.caption(t("{k} of {n} groups in the chart; the table below has them all.", k=len(chosen), n=len(groups)))
    return table[table[column].isin(chosen)]


def survey_filters(wide, items, waves):
    """Sidebar filters shared across pages (kept in the session). Returns (filtered frame, segment names)."""

    extra = extra_segments(wide, items["item"].tolist())
    segments = list(SEGMENTS) + [c for c in extra if wide[c].nunique() <= 50]
    with st.sidebar:
        st.subheader(t("Filters"))
        chosen_waves = _kept_multiselect(seg_label("wave"), waves, "f_waves", default=waves[-1:],
                                         help=t("The latest wave is chosen at first; clear it to see all waves."))
        chosen = {}
        for name in segments:
            options = sorted(wide[name].dropna().astype(str).unique())
            chosen[name] = tuple(_kept_multiselect(seg_label(name), options, f"f_{name}"))
    f = Filters(waves=tuple(chosen_waves), **{k: v for k, v in chosen.items() if k in SEGMENTS},
                segments=tuple((k, v) for k, v in chosen.items() if k not in SEGMENTS))
    st.session_state["_filters"] = f
    return f.apply(wide), segments


def _kept_multiselect(label: str, options: list, key: str, default=None, help: str | None = None) -> list:
    """A multiselect whose choice survives visits to pages without it (Streamlit forgets widget state there)."""
    keep = "_keep_" + key
    if keep in st.session_state:
        st.session_state[key] = [v for v in st.session_state[keep] if v in options]
    elif default is not None and key not in st.session_state:
        st.session_state[key] = [v for v in default if v in options]
    value = st.multiselect(label, options, key=key, help=help, placeholder=t("Choose options"),
                           format_func=value_label)
    st.session_state[keep] = value
    return value


def current_filters():
    """The Filters chosen in the sidebar on this run (see survey_filters)."""

    return st.session_state.get("_filters") or Filters()


def analysis_notice() -> bool:
    """Say so when an analysis is running (e.g. the first one after start); True when one is."""

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


def no_themes_message() -> str:
    """Why there are no themes: no analysis yet, or one that found no staff text (customer feedback alone:
    404 restaurant reviews were told to "run 'python -m eevp analyze'" after it had run)."""
    status = read_status(get_settings()) or {}
    if status.get("state") == "done" and not status.get("units"):
        return t("The analysis found no survey comments, exit interviews or focus-group notes to build themes from. "
                 "Customer feedback is on the Customer insights page.")
    return t("No themes yet. They are built by the analysis: run 'python -m eevp analyze' (or ask an admin).")


#: How long the sidebar says how the last analysis ended (seconds).
ENDED_SHOWN_FOR = 3600


def analysis_running() -> bool:
    """Whether the text analysis is running now (in any session, or started from the command line)."""
    status = read_status(get_settings())
    return bool(status) and status.get("state") == "running"


def analysis_status() -> None:
    """The background analysis in the sidebar of every page: its step and progress while it runs
    (read again every 2 s), then how it ended; when it ends the whole page runs again with the new themes."""

    with st.sidebar:
        st.fragment(_analysis_line, run_every=2 if analysis_running() else None)()


def _analysis_line() -> None:
    status = read_status(get_settings()) or {}
    state, before = status.get("state"), st.session_state.get("_analysis_state")
    st.session_state["_analysis_state"] = state
    if before == "running" and state != "running":
        if state == "done":
            st.session_state["_analysis_counts"] = shown_theme_counts(data_key())
        st.rerun()  # the whole page, with the new themes (and no more reading every 2 s)
    if state == "running":
        total = max(int(status.get("total") or 1), 1)
        st.caption("⏳ " + t("Text analysis running: {step} ({done} of {total})", step=t(str(status.get("step"))),
                     done=status.get("done"), total=total))
        st.progress(min(int(status.get("done") or 0) / total, 1.0))
    elif state and time.time() - float(status.get("at") or 0) < ENDED_SHOWN_FOR:
        _analysis_ended(state, status)


def _analysis_ended(state: str, status: dict) -> None:
    if state == "done":
        counts = st.session_state.get("_analysis_counts")
        st.caption("✅ " + (t("Done: {n} themes ({k} of them candidates), {c} customer themes", **counts) if counts
                           else t("The text analysis has finished.")))
    else:  # failed, interrupted (its process is gone), cancelled
        st.error(t("The text analysis stopped: {why}", why=t(str(status.get("step")))), icon="⚠️")


#: How the Upload page names the lists a column may go to (the same labels as its mapping widgets).
SUGGESTIONS = {"enps": "eNPS", "items": "Rating items", "text": "Free-text questions",
               "segments": "Extra segment columns",
               "identifiers": "Identifiers (names, e-mails, phones: never stored in clear)"}


def _suggestion(name: str | None) -> str:
    if not name:
        return ""
    return t(SUGGESTIONS[name]) if name in SUGGESTIONS else t(name.replace("_", " ").capitalize())


def _some(columns: list[str], shown: int = 3) -> str:
    """A few column names, quoted, and how many more ("'Pay', 'Morale', 'Skills' and 18 more")."""
    names = ", ".join(f"'{c}'" for c in columns[:shown])
    return names if len(columns) <= shown else t("{names} and {n} more", names=names, n=len(columns) - shown)


def answer_labels(report: list[dict], key: str) -> dict:
    """The items answered in words: the words read as points (one line per scale, not per item), and for each
    word no scale knows one choice for every item that uses it: a number, or no answer (a missing-value
    code such as "M" in 21 items of a real exit survey: one question, not 21).

    Returns:
        ``{column: {word: number, NO_ANSWER or None}}`` for the unknown words (None: not chosen yet).
    """
    read: dict[str, list[str]] = {}
    unknown: dict[str, list[str]] = {}
    for entry in report:
        read.setdefault(", ".join(f"{w} = {n}" for w, n in entry["converted"].items()), []).append(entry["column"])
        for word in entry["unknown"]:
            unknown.setdefault(word, []).append(entry["column"])
    for points, columns in read.items():
        st.caption(t("{columns}: answered in words, read as points: {points}.", columns=_some(columns),
                     points=points))
    if unknown:
        st.warning(t("Some answers are not labels of a known scale: give each a number, or store it as no answer."))
    given: dict = {}
    choices = [None, scales.NO_ANSWER, *range(1, 11)]
    names = {None: t("Choose…"), scales.NO_ANSWER: t("No answer (stored empty)")}
    for word, columns in unknown.items():
        choice = st.selectbox(t("'{word}' in {columns}", word=word, columns=_some(columns)), choices,
                              format_func=lambda c: names.get(c, str(c)), key=f"{key}_{word}")
        for column in columns:
            given.setdefault(column, {})[word] = choice
    return given


#: What the user ticks to store despite a warning finding, and the checkbox's key suffix, by the finding's code.
_CONFIRM = {"year_only": ("The year is enough for these dates: store them as 1 January of that year", "years"),
            "scale_unreached": ("The declared scale is right: store the answers on it", "scale")}


def validation_findings(found: list[dict], errors: bool, key: str) -> bool:
    """What validation found that is not an error: blanks and placeholders in the group columns,
    dates that give only a year, a declared scale no answer reaches (see ``eevp.intake.checks.findings``);
    "No problems found." when there is nothing, and no ``errors`` either.

    Returns:
        Whether storing may go on: True unless a warning (a date that gives only a year, a scale no answer
        reaches) is there and the user has not ticked that it is right.
    """
    if not found and not errors:
        st.success(t("No problems found."))
    for f in found:
        (st.warning if f["warning"] else st.info)(t(f["message"]))
    codes = dict.fromkeys(f["code"] for f in found if f["warning"] and f["code"] in _CONFIRM)
    ticked = [st.checkbox(t(_CONFIRM[c][0]), key=f"{key}_{_CONFIRM[c][1]}") for c in codes]
    return all(ticked)


def columns_left_out(unmapped: list[dict], notes: list[dict], key: str) -> bool:
    """The columns the mapping leaves out (with the reason and a suggestion) and what reading the file
    skipped or found odd, before anything is stored.

    Returns:
        Whether storing may go on: True unless a left-out column looks like eNPS or a rating item and
        the user has not ticked that they leave it out on purpose.
    """
    if notes:
        st.warning(t("Reading the file: {n} row(s) skipped or to check.", n=len(notes)))
        table(pd.DataFrame([{"row": n["row"], "message": t(n["message"])} for n in notes]), key=f"{key}_notes")
    if not unmapped:
        st.success(t("Every column of the file is mapped."))
        return True
    rows = [{"column": u["column"], "reason": t(u["reason"]), "suggestion": _suggestion(u["suggestion"])}
            for u in unmapped]
    st.info(t("{n} column(s) are not mapped and will not be stored:", n=len(unmapped)))
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                 column_config={"column": t("Column"), "reason": t("Why"), "suggestion": t("Suggestion")})
    warn = [u["column"] for u in unmapped if u["warning"]]
    if not warn:
        return True
    st.warning(t("These columns look like eNPS or a rating item: {columns}. Map them above, or confirm that "
                 "they are left out on purpose.", columns=", ".join(warn)))
    return st.checkbox(t("Leave these columns out: they are not eNPS or ratings"), key=f"{key}_ack")


def action_button(kind: str, subject: str, **parts) -> None:
    """A small "Create action" control beside what a page shows (a theme, a customer theme, a survey item
    for a group, an EVP gap, an exit reason): title, owner and due date; for roles that manage actions.

    Args:
        kind: the target kind (``eevp.actions.targets.KINDS``).
        subject: what the user sees the action is about (a theme's label, an item and group...).
        parts: the target's parts, as :func:`eevp.actions.targets.make_target` takes them.
    """
    if not allowed("manage_actions") or any(v is None for k, v in parts.items() if k not in ("dimension", "value")):
        return
    target = make_target(kind, **parts)
    with st.popover(t("Create action"), icon="✅"):
        with st.form(f"create_action_{target.spec}", clear_on_submit=True):
            st.caption(t("Action on: {subject}", subject=escape_markdown(subject)))
            title = st.text_input(t("What will be done"), max_chars=300)
            owner = st.selectbox(t("Owner"), account_names(get_settings()))
            due = st.date_input(t("Due date"), value=None)
            if st.form_submit_button(t("Create action")):
                guarded(lambda: _create_action(target, title, owner, due))


def _create_action(target, title: str, owner: str, due) -> None:
    new_id = create_action(get_engine(), get_settings(), target, title, owner, due, actor=current_user())
    st.success(t("Action {id} created. Follow it on the Actions page.", id=new_id))
