"""CX maturity check: the six-question checklist, the maturity model, assessments over time, evidence.

A CX lead scores the checklist (no / partly / yes) and each dimension of the maturity model (levels
1–5); each assessment is kept with its date. Beside each dimension, :func:`evidence` says what the
data in eevp shows: how many customer statements staff and leavers made, how they are reviewed,
how regularly surveys, exits and focus groups come in. Counts of people go through the anonymity
rule; counts of statements do not describe people and are shown as they are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import altair as alt
import pandas as pd
from sqlalchemy import case, func, insert, select
from sqlalchemy.engine import Engine

from eevp import i18n
from eevp.analytics import anonymity, customers
from eevp.charts import OKABE_ITO
from eevp.errors import InputError
from eevp.settings import Settings
from eevp.store import audit, db
from eevp.store.auth import User, require
from eevp.store.queries import wave_order

__all__ = [
    "ANSWERS",
    "CHECKLIST",
    "DIMENSIONS",
    "HISTORY_COLUMNS",
    "LEVEL_NAMES",
    "Dimension",
    "Fact",
    "Question",
    "chart_frame",
    "evidence",
    "format_value",
    "history_table",
    "last_quarter",
    "latest_change",
    "latest_notes",
    "latest_scores",
    "list_assessments",
    "maturity_chart",
    "save_assessment",
]


@dataclass(frozen=True)
class Question:
    """One question of the six-question checklist, answered no (0), partly (1) or yes (2)."""

    key: str
    text: str
    yes_means: str
    dimension: str  # the maturity dimension whose evidence speaks to it


@dataclass(frozen=True)
class Dimension:
    """One dimension of the maturity model, scored 1–5; ``levels[i]`` describes level ``i + 1``."""

    key: str
    name: str
    description: str
    levels: tuple[str, str, str, str, str]


@dataclass(frozen=True)
class Fact:
    """What the data says, one figure: ``label`` is an English template filled from ``params``.

    ``kind`` is ``count``, ``share`` (0–1), ``date`` or ``text`` (a name from the data, e.g. a
    wave: show it as text); ``value`` is None when there is nothing
    to measure. ``suppressed`` facts describe a group of people below the anonymity threshold
    and carry no value.
    """

    key: str
    label: str
    value: object
    kind: str = "count"
    suppressed: bool = False
    params: dict = field(default_factory=dict)


#: The checklist and the maturity model, as data (English; Russian and Ukrainian in the i18n files).
CHECKLIST_PATH = Path(__file__).resolve().parents[1] / "resources" / "maturity" / "checklist.json"


@lru_cache(maxsize=1)
def _checklist_data() -> dict:
    """The checklist file, read once."""
    return json.loads(CHECKLIST_PATH.read_text(encoding="utf-8"))


ANSWERS: dict[int, str] = {int(k): v for k, v in _checklist_data()["answers"].items()}
LEVEL_NAMES: dict[int, str] = {int(k): v for k, v in _checklist_data()["level_names"].items()}
CHECKLIST: tuple[Question, ...] = tuple(Question(**q) for q in _checklist_data()["checklist"])
DIMENSIONS: tuple[Dimension, ...] = tuple(Dimension(d["key"], d["name"], d["description"], tuple(d["levels"]))
                                          for d in _checklist_data()["dimensions"])

_QUESTION_KEYS = tuple(q.key for q in CHECKLIST)
_DIMENSION_KEYS = tuple(d.key for d in DIMENSIONS)
MAX_NOTES = 5000


# --------------------------------------------------------------------------- assessments

def _problems(given: dict, keys: tuple[str, ...], allowed: range, what: str) -> list[str]:
    """Every problem with one part of an assessment (missing, unknown, out-of-range answers)."""
    problems = [f"{what} '{k}' has no answer." for k in keys if k not in given]
    problems += [f"Unknown {what} '{k}'; use one of: {', '.join(keys)}." for k in given if k not in keys]
    for k, v in given.items():
        if k in keys and (isinstance(v, bool) or not isinstance(v, int) or v not in allowed):
            problems.append(f"{what} '{k}' must be a whole number from {allowed[0]} to {allowed[-1]}, got {v!r}.")
    return problems


def save_assessment(engine: Engine, actor: User | None, checklist: dict[str, int], levels: dict[str, int],
                    notes: str = "", assessed_at: datetime | None = None) -> int:
    """Store one assessment and record it in the audit log.

    Args:
        engine: the database.
        actor: who assesses; needs the ``cx_assess`` permission (CX leads and admins).
        checklist: an answer for each question of :data:`CHECKLIST`: 0 no, 1 partly, 2 yes.
        levels: a level 1–5 for each dimension of :data:`DIMENSIONS`.
        notes: free text kept with the assessment.
        assessed_at: when; default now (a naive datetime is taken as UTC).

    Returns:
        The new assessment's id.

    Raises:
        AccessDenied: the actor may not assess.
        InputError: answers are missing, unknown or out of range (all problems in one message).
    """
    require(actor, "cx_assess")
    notes = (notes or "").strip()
    problems = _problems(checklist, _QUESTION_KEYS, range(3), "Question")
    problems += _problems(levels, _DIMENSION_KEYS, range(1, 6), "Dimension")
    if len(notes) > MAX_NOTES:
        problems.append(f"Notes are {len(notes)} characters long; keep them under {MAX_NOTES}.")
    if problems:
        raise InputError("The assessment was not saved: " + " ".join(problems))
    when = assessed_at or db.now()
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    scores = {"checklist": {k: checklist[k] for k in _QUESTION_KEYS},
              "levels": {k: levels[k] for k in _DIMENSION_KEYS}}
    with engine.begin() as conn:
        new_id = conn.execute(insert(db.cx_assessments).values(
            assessed_at=when, assessed_by=actor.username, scores_json=json.dumps(scores),
            notes=notes or None)).inserted_primary_key[0]
    mean = sum(levels.values()) / len(levels)
    audit.record(engine, actor.username, "cx_assessment",
                 f"assessment {new_id}: checklist {sum(checklist.values())}/{2 * len(CHECKLIST)}, "
                 f"mean level {mean:.1f}")
    return int(new_id)


def list_assessments(engine: Engine) -> pd.DataFrame:
    """Every assessment, oldest first.

    Returns:
        Columns ``id``, ``assessed_at`` (UTC), ``assessed_by``, ``notes``, ``checklist_score``
        (share of the best possible checklist answers), ``mean_level``, then ``checklist.<key>``
        for each question and ``level.<key>`` for each dimension.
    """
    a = db.cx_assessments
    with engine.connect() as conn:
        rows = conn.execute(select(a.c.id, a.c.assessed_at, a.c.assessed_by, a.c.notes, a.c.scores_json)
                            .order_by(a.c.assessed_at, a.c.id)).all()
    score_cols = [f"checklist.{k}" for k in _QUESTION_KEYS] + [f"level.{k}" for k in _DIMENSION_KEYS]
    records = []
    for r in rows:
        scores = json.loads(r.scores_json)
        rec = {"id": r.id, "assessed_at": r.assessed_at, "assessed_by": r.assessed_by, "notes": r.notes}
        rec.update({f"checklist.{k}": v for k, v in scores.get("checklist", {}).items()})
        rec.update({f"level.{k}": v for k, v in scores.get("levels", {}).items()})
        records.append(rec)
    df = pd.DataFrame(records, columns=["id", "assessed_at", "assessed_by", "notes", *score_cols])
    df["assessed_at"] = pd.to_datetime(df["assessed_at"], utc=True)
    answers = df[[f"checklist.{k}" for k in _QUESTION_KEYS]].astype(float)
    df["checklist_score"] = answers.sum(axis=1, min_count=1) / (2 * len(CHECKLIST))
    df["mean_level"] = df[[f"level.{k}" for k in _DIMENSION_KEYS]].astype(float).mean(axis=1)
    return df[["id", "assessed_at", "assessed_by", "notes", "checklist_score", "mean_level", *score_cols]]


def latest_scores(assessments: pd.DataFrame) -> tuple[dict[str, int], dict[str, int]]:
    """The newest assessment's (checklist, levels), to start the next one from; defaults when none."""
    if assessments.empty:
        return {k: 0 for k in _QUESTION_KEYS}, {k: 1 for k in _DIMENSION_KEYS}
    last = assessments.iloc[-1]
    checklist = {k: int(last[f"checklist.{k}"]) if pd.notna(last[f"checklist.{k}"]) else 0 for k in _QUESTION_KEYS}
    levels = {k: int(last[f"level.{k}"]) if pd.notna(last[f"level.{k}"]) else 1 for k in _DIMENSION_KEYS}
    return checklist, levels


#: Column titles of :func:`history_table` (besides one column per dimension).
HISTORY_COLUMNS = {"date": "Date", "by": "Assessed by", "checklist": "Checklist score (%)",
                   "mean_level": "Mean level", "notes": "Notes"}


def latest_change(assessments: pd.DataFrame) -> dict:
    """The newest checklist score and mean level, with the change since the assessment before.

    Returns:
        ``checklist_score``, ``checklist_change``, ``mean_level``, ``level_change``; changes are
        None when there is only one assessment. Empty dict when there is none.
    """
    if assessments.empty:
        return {}
    last = assessments.iloc[-1]
    prev = assessments.iloc[-2] if len(assessments) > 1 else None
    return {
        "checklist_score": float(last["checklist_score"]),
        "checklist_change": None if prev is None else float(last["checklist_score"] - prev["checklist_score"]),
        "mean_level": float(last["mean_level"]),
        "level_change": None if prev is None else float(last["mean_level"] - prev["mean_level"]),
    }


def latest_notes(assessments: pd.DataFrame) -> str | None:
    """The notes of the newest assessment (as stored: empty or missing when it has none)."""
    return assessments["notes"].iloc[-1]


def history_table(assessments: pd.DataFrame, names: dict[str, str] | None = None,
                  headers: dict[str, str] | None = None) -> pd.DataFrame:
    """Newest first, for display: date, who, checklist score, mean level, one column per dimension, notes.

    Args:
        assessments: from :func:`list_assessments`.
        names: dimension key → column title; default the English names.
        headers: :data:`HISTORY_COLUMNS` key → column title (e.g. translated); default English.
    """
    names = names or {d.key: d.name for d in DIMENSIONS}
    headers = {**HISTORY_COLUMNS, **(headers or {})}
    out = pd.DataFrame({
        headers["date"]: assessments["assessed_at"].dt.date,
        headers["by"]: assessments["assessed_by"],
        headers["checklist"]: (100 * assessments["checklist_score"]).round().astype("Int64"),
        headers["mean_level"]: assessments["mean_level"].round(1),
    })
    for k in _DIMENSION_KEYS:
        out[names[k]] = assessments[f"level.{k}"].astype("Int64")
    out[headers["notes"]] = assessments["notes"].fillna("")
    return out.iloc[::-1].reset_index(drop=True)


def chart_frame(assessments: pd.DataFrame, names: dict[str, str] | None = None,
                latest: str = "Latest", previous: str = "Previous") -> pd.DataFrame:
    """Tidy levels of the latest assessment and the one before: ``dimension``, ``level``, ``assessment``.

    ``assessment`` reads e.g. "Latest · 2026-11-25"; with one assessment only "Latest" rows.
    """
    names = names or {d.key: d.name for d in DIMENSIONS}
    rows = []
    for tag, (_, r) in zip([latest, previous], assessments.iloc[::-1].head(2).iterrows()):
        for k in _DIMENSION_KEYS:
            if pd.notna(r[f"level.{k}"]):
                rows.append({"dimension": names[k], "level": int(r[f"level.{k}"]),
                             "assessment": f"{tag} · {r['assessed_at'].date().isoformat()}"})
    return pd.DataFrame(rows, columns=["dimension", "level", "assessment"])


def maturity_chart(df: pd.DataFrame, title: str = "CX maturity: latest assessment against the previous one",
                   level_title: str = "level (1–5)", dimension_title: str = "dimension") -> alt.Chart:
    """Paired horizontal bars, one pair per dimension: level 1–5 of the latest and previous assessment.

    Args:
        df: from :func:`chart_frame` (``dimension``, ``level``, ``assessment``; latest rows first).
        title, level_title, dimension_title: chart texts (pass translated ones).
    """

    order = list(dict.fromkeys(df["assessment"]))
    data = df.assign(level=df["level"].astype(int)).reset_index(drop=True)
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("level:Q", title=level_title, scale=alt.Scale(domain=[0, 5]), axis=alt.Axis(values=[1, 2, 3, 4, 5])),
            y=alt.Y("dimension:N", title=dimension_title, sort=list(dict.fromkeys(df["dimension"])),
                    axis=alt.Axis(labelLimit=260)),
            yOffset=alt.YOffset("assessment:N", sort=order),
            color=alt.Color("assessment:N", title=None, sort=order,
                            scale=alt.Scale(domain=order, range=OKABE_ITO[:len(order)] or OKABE_ITO[:1])),
            tooltip=[alt.Tooltip("dimension:N", title=dimension_title), alt.Tooltip("assessment:N", title=None),
                     alt.Tooltip("level:Q", title=level_title)],
        )
        .properties(title=alt.TitleParams(text=title, anchor="start"))
    )


# --------------------------------------------------------------------------- evidence from the data

def last_quarter(as_of: date) -> tuple[date, date, str]:
    """The last complete calendar quarter before ``as_of``: (first day, last day, "2026-Q3")."""
    current_start = date(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1)
    end = current_start - timedelta(days=1)
    start = date(end.year, 3 * ((end.month - 1) // 3) + 1, 1)
    return start, end, f"{end.year}-Q{(end.month - 1) // 3 + 1}"


def _people(key: str, label: str, n: int, threshold: int, within: int | None = None, **params) -> Fact:
    """A count of people: hidden when it is a small group, or when it is part of a shown total
    (``within``) and the rest of that total would be a small group."""
    hidden = 0 < n < threshold or (within is not None and not anonymity.safe_total(within, n, threshold))
    return Fact(key, label, None if hidden else int(n), "count", hidden, params)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _share_of(sources: pd.DataFrame, kind: str) -> float | None:
    """Share of the tagged text units of one source that are about customers."""
    return _share(int(sources.loc[kind, "customer"]), int(sources.loc[kind, "tagged"]))


def _as_date(value) -> date | None:
    return None if value is None else pd.Timestamp(value).date()


def _source_counts(engine: Engine) -> pd.DataFrame:
    """Text units per source: all, tagged, about customers."""
    t, s = db.text_units, db.statement_tags
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.c.kind, func.count(t.c.id), func.count(s.c.unit_id),
                   func.count(case((s.c.about_customers.is_(True), 1))))
            .outerjoin(s, s.c.unit_id == t.c.id).group_by(t.c.kind)).all()
    df = pd.DataFrame(rows, columns=["kind", "units", "tagged", "customer"]).set_index("kind")
    return df.reindex(customers.SOURCES, fill_value=0)


def _store_facts(engine: Engine) -> dict:
    """Dates and sizes of what is stored: waves, focus sessions, exits, uploads, reviews, models."""
    sr, fs, ex, b, r = db.survey_responses, db.focus_sessions, db.exits, db.batches, db.tag_reviews
    m, lab = db.theme_models, db.theme_labels
    with engine.connect() as conn:
        return {
            "waves": conn.execute(select(func.count(sr.c.wave.distinct()))).scalar() or 0,
            "latest_wave": conn.execute(select(func.max(sr.c.wave_date))).scalar(),
            "focus_sessions": conn.execute(select(func.count(fs.c.id))).scalar() or 0,
            "latest_focus": conn.execute(select(func.max(fs.c.session_date))).scalar(),
            "leavers": conn.execute(select(func.count(ex.c.id))).scalar() or 0,
            "latest_exit": conn.execute(select(func.max(ex.c.exit_date))).scalar(),
            "latest_upload": conn.execute(select(func.max(b.c.created_at))
                                          .where(b.c.kind.in_(customers.SOURCES))).scalar(),
            "reviewers": conn.execute(select(func.count(r.c.reviewer.distinct()))).scalar() or 0,
            "latest_review": conn.execute(select(func.max(r.c.reviewed_at))).scalar(),
            "edited_labels": conn.execute(select(func.count(lab.c.id)).where(lab.c.scope == "customers")).scalar(),
            "model_built": conn.execute(select(func.max(m.c.created_at))
                                        .where(m.c.scope == "customers", m.c.is_current.is_(True))).scalar(),
        }


def evidence(engine: Engine, settings: Settings, as_of: date | None = None, review_share: float = 0.10,
             rule: customers.SystemicRule | None = None) -> dict[str, list[Fact]]:
    """What the data in eevp says about each maturity dimension.

    Counts of statements are shown as they are; counts of people (leavers) are hidden below
    ``settings.min_comment_group`` and where a part would let a reader work out a small rest.

    Args:
        engine: the database.
        settings: for the anonymity threshold (``min_comment_group``).
        as_of: the day "last quarter" is counted back from; default today.
        review_share: the share of tagged statements in the CX lead's review sample.
        rule: the systemic/local rule for customer themes; default :class:`~eevp.analytics.customers.SystemicRule`.

    Returns:
        Dimension key → list of :class:`Fact`, in the order of :data:`DIMENSIONS`.
    """
    threshold = settings.min_comment_group
    units = customers.customer_units(engine)
    ranked = customers.rank_themes(units, customers.theme_labels(engine), threshold,
                                   rule or customers.SystemicRule())
    d = _EvidenceData(units, ranked, _source_counts(engine), _store_facts(engine), customers.review_stats(engine),
                      wave_order(engine), threshold, last_quarter(as_of or date.today()), review_share)
    return {"ownership": _ownership(d), "customer_knowledge": _customer_knowledge(d), "people": _people_facts(d),
            "voice": _voice(d), "technology": _technology(d), "management": _management(d)}


@dataclass(frozen=True)
class _EvidenceData:
    """What :func:`evidence` reads once and each dimension's facts are made from."""

    units: pd.DataFrame  # customer statements
    ranked: pd.DataFrame  # customer themes
    sources: pd.DataFrame
    store: dict
    review: dict
    waves: list
    threshold: int
    quarter: tuple  # (start, end, label)
    review_share: float

    @property
    def tagged(self) -> int:
        return int(self.sources["tagged"].sum())

    def themes_fact(self) -> Fact:
        return Fact("customer_themes", "Customer themes (raised by {n} or more people)", len(self.ranked),
                    params={"n": self.threshold})


def _ownership(d: _EvidenceData) -> list[Fact]:
    return [
        Fact("reviewed", "Tagged statements reviewed by a CX lead", int(d.review["reviewed"])),
        Fact("reviewers", "People who have reviewed tags", int(d.store["reviewers"])),
        Fact("latest_review", "Latest review", _as_date(d.store["latest_review"]), "date"),
        Fact("edited_labels", "Customer theme labels edited by a person", int(d.store["edited_labels"] or 0)),
    ]


def _customer_knowledge(d: _EvidenceData) -> list[Fact]:
    units = d.units
    return [
        Fact("customer_statements", "Statements about customers", len(units)),
        Fact("staged_share", "Share of customer statements placed on a journey stage",
             _share(int(units["stage"].notna().sum()), len(units)), "share"),
        Fact("stages_covered", "Journey stages with customer statements (of {n})",
             int(units["stage"].nunique()), params={"n": len(customers.STAGES)}),
        d.themes_fact(),
    ]


def _people_facts(d: _EvidenceData) -> list[Fact]:
    q_start, q_end, q_label = d.quarter
    exits = d.units[d.units["kind"] == "exit"]
    exit_dates = pd.to_datetime(exits["date"], errors="coerce").dt.date
    in_quarter = exits[(exit_dates >= q_start) & (exit_dates <= q_end)]
    leavers_total = int(d.store["leavers"])
    leavers_customers = int(exits["person"].nunique())
    leavers_shown = not (0 < leavers_total < d.threshold)
    return [
        Fact("exit_statements_quarter", "Customer statements from exit interviews in {quarter}",
             len(in_quarter), params={"quarter": q_label}),
        Fact("exit_statements_total", "Customer statements from exit interviews, all time", len(exits)),
        _people("leavers", "Leavers with an exit interview stored", leavers_total, d.threshold),
        _people("leavers_customers", "Leavers who spoke about customers", leavers_customers, d.threshold,
                within=leavers_total if leavers_shown else None),
        _people("leavers_customers_quarter", "Leavers who spoke about customers in {quarter}",
                int(in_quarter["person"].nunique()), d.threshold, within=leavers_customers, quarter=q_label),
        Fact("customer_share_survey", "Share of survey comments about customers",
             _share_of(d.sources, "survey"), "share"),
        Fact("customer_share_exit", "Share of exit-interview statements about customers",
             _share_of(d.sources, "exit"), "share"),
        Fact("customer_share_focus", "Share of focus-group statements about customers",
             _share_of(d.sources, "focus"), "share"),
    ]


def _voice(d: _EvidenceData) -> list[Fact]:
    ranked, units = d.ranked, d.units
    return [
        d.themes_fact(),
        Fact("systemic_themes", "Of these, systemic (across the company)",
             int((ranked["systemic"] == "systemic").sum()) if len(ranked) else 0),
        Fact("new_themes", "Of these, new since the last batch", int(ranked["new"].sum()) if len(ranked) else 0),
        Fact("incidents", "Concrete incidents customers met (statements)", int(units["incident"].sum())),
        Fact("negative_share", "Share of customer statements that are negative",
             _share(int((units["sentiment"] == "negative").sum()), len(units)), "share"),
    ]


def _technology(d: _EvidenceData) -> list[Fact]:
    tagged = d.tagged
    return [
        Fact("tagged_share", "Share of staff statements tagged automatically",
             _share(tagged, int(d.sources["units"].sum())), "share"),
        Fact("review_sample", "Review sample ({share} of tagged statements)",
             max(1, round(tagged * d.review_share)) if tagged else 0, params={"share": f"{d.review_share:.0%}"}),
        Fact("reviewed", "Statements reviewed", int(d.review["reviewed"])),
        Fact("precision", "Measured precision of the customer tag on your data", d.review["precision"], "share"),
        Fact("model_built", "Customer themes last built", _as_date(d.store["model_built"]), "date"),
    ]


def _management(d: _EvidenceData) -> list[Fact]:
    store = d.store
    return [
        Fact("survey_waves", "Survey waves", int(store["waves"])),
        Fact("latest_wave", "Latest survey wave", d.waves[-1] if d.waves else None, "text"),
        Fact("latest_wave_date", "Date of the latest dated wave", _as_date(store["latest_wave"]), "date"),
        Fact("focus_sessions", "Focus-group sessions", int(store["focus_sessions"])),
        Fact("latest_focus", "Latest focus group", _as_date(store["latest_focus"]), "date"),
        Fact("latest_exit", "Latest exit interview", _as_date(store["latest_exit"]), "date"),
        Fact("latest_upload", "Latest upload of survey, exit or focus data",
             _as_date(store["latest_upload"]), "date"),
    ]


def format_value(fact: Fact, lang: str = "en", suppressed: str = "hidden") -> str:
    """A fact's value as text in ``lang``: "1,234", "42%", a date, a name, "—" when there is none.

    Args:
        fact: the fact.
        lang: interface language code.
        suppressed: the text for a hidden value (e.g. "fewer than 10 responses", translated).
    """
    if fact.suppressed:
        return suppressed
    if fact.value is None:
        return "—"
    if fact.kind == "share":
        return i18n.format_number(100 * fact.value, lang) + "%"
    if fact.kind == "date":
        return i18n.format_date(fact.value, lang)
    if fact.kind == "text":
        return str(fact.value)
    return i18n.format_number(fact.value, lang)
