"""Summaries of themes, offline: a lead line and a few quoted statements, typical and different.

For a theme (or a theme within one group: a department, a role…) raised by at least the comment
threshold of people, the summary is

- a **lead line** in the interface language: "42 people in 6 departments, mostly leavers, 80% negative,
  rising since 2026-Q1" (:func:`lead_parts` computes the figures, :func:`lead_line` writes them);
- **3–5 statements quoted** as stored (redacted at ingest), chosen on the stored embeddings by maximal
  marginal relevance around the theme's centroid (:func:`pick_quotes`): each close to the centre of the
  theme and far from the ones already chosen, at most one per person, never from fewer than the comment
  threshold of people.

Everything is deterministic: ties go to the lower unit id, nothing is drawn at random.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import and_, select
from sqlalchemy.engine import Engine

from eevp.analytics import anonymity
from eevp.analytics.theme_views import period_order as theme_period_order, theme_cross, themes_payload, with_person
from eevp.i18n import format_number, translate
from eevp.store import db
from eevp.store.queries import NOT_GIVEN, current_model
from eevp.themes.read import theme_table, unit_themes
from eevp.store.auth import User, require

__all__ = ["Summary", "lead_line", "lead_parts", "pick_quotes", "summarise", "summarise_themes",
           "summary_groups", "themes_report", "unit_vectors", "with_period"]

#: Statements quoted per summary (at most; fewer only when fewer people are left to quote).
QUOTES = 5
#: Weight of typicality against difference in the maximal marginal relevance (1 = typical only).
MMR_LAMBDA = 0.6
#: The most typical statements MMR chooses from: enough for variety, few enough to be fast on big themes.
POOL = 150
#: Two statements this similar say the same thing: the second is never quoted.
DUPLICATE = 0.95
#: A share of people that "rising since" / "falling since" needs, against the start of the run.
TREND_CHANGE = 1.25


@dataclass(frozen=True)
class Summary:
    """A theme's (or a theme × group's) summary: ``parts`` (:func:`lead_parts`), the quoted unit ids."""

    theme_id: int
    parts: dict
    quote_ids: tuple[int, ...]

    def lead(self, lang: str = "en") -> str:
        return lead_line(self.parts, lang)


# --------------------------------------------------------------------------- the quotes

def _normalised(vectors: np.ndarray) -> np.ndarray:
    v = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    return v / np.where(norms > 0, norms, 1.0)


def _one_per_person(order: np.ndarray, persons: np.ndarray) -> np.ndarray:
    """``order`` (positions, most typical first) keeping each person's first (most typical) statement."""
    _, first = np.unique(persons[order], return_index=True)
    return order[np.sort(first)]


def pick_quotes(vectors: np.ndarray, persons, k: int = QUOTES, lam: float = MMR_LAMBDA, pool: int = POOL) -> list[int]:
    """Positions of up to ``k`` statements: typical of the whole and different from each other.

    Maximal marginal relevance around the centroid: each next statement maximises
    ``lam × similarity to the centroid − (1 − lam) × the highest similarity to one already chosen``,
    among the ``pool`` most typical statements, one per person; a near copy (cosine ≥ 0.95) of a chosen
    statement is never chosen. Deterministic: equal scores go to the earlier position.

    Args:
        vectors: one embedding per statement (rows in a fixed order, e.g. by unit id).
        persons: who wrote each statement (same length).
    """
    if len(vectors) == 0:
        return []
    v = np.asarray(vectors, dtype=np.float32)
    norms = np.sqrt(np.einsum("ij,ij->i", v, v))
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    centre = (inverse @ v) / len(v)  # the mean of the unit vectors, without normalising every row
    centre /= np.linalg.norm(centre) or 1.0
    typical = (v @ centre) * inverse
    order = np.argsort(-typical, kind="stable")
    cand = _one_per_person(order, _codes(persons))[:pool]
    unit = v[cand] * inverse[cand, None]
    return [int(cand[i]) for i in _mmr(typical[cand], unit @ unit.T, k, lam)]


def _codes(persons) -> np.ndarray:
    """Persons as integer codes (sorting strings for every theme is the slow part otherwise)."""
    persons = np.asarray(persons)
    return persons if persons.dtype.kind in "iu" else pd.factorize(persons)[0]


def _mmr(typical: np.ndarray, sims: np.ndarray, k: int, lam: float) -> list[int]:
    closest = np.zeros(len(typical))
    alive = np.ones(len(typical), dtype=bool)
    chosen: list[int] = []
    while len(chosen) < k and alive.any():
        score = lam * typical - (1 - lam) * closest
        best = int(np.argmax(np.where(alive, score, -np.inf)))
        chosen.append(best)
        closest = np.maximum(closest, sims[best]) if len(chosen) > 1 else sims[best].copy()
        alive &= closest < DUPLICATE
        alive[best] = False
    return chosen


# --------------------------------------------------------------------------- the lead line

def with_period(units: pd.DataFrame) -> pd.DataFrame:
    """Add ``period`` (the wave, else the quarter of the date, "2026-Q1") when the frame has none."""
    if "period" in units:
        return units
    dates = units["date"] if "date" in units else pd.Series(pd.NaT, index=units.index)
    quarter = pd.to_datetime(dates, errors="coerce").dt.to_period("Q").astype(str)
    quarter = quarter.str.replace("Q", "-Q", regex=False).where(quarter != "NaT")
    wave = units["wave"] if "wave" in units else pd.Series(None, index=units.index, dtype=object)
    return units.assign(period=wave.where(wave.notna(), quarter))


def period_order(units: pd.DataFrame) -> list:
    """Periods from the earliest to the latest (:func:`eevp.analytics.theme_views.period_order` of the
    ``period`` column)."""
    return theme_period_order(with_period(units), "period")


def _trend(raised: pd.Series, writers: pd.Series, order: list) -> tuple[str, str] | None:
    """("rising" | "falling", the period it started) from the share of writers raising the theme per
    period (``raised``: its people per period): the last run of rises (or falls) up to the latest period,
    when it changed the share by :data:`TREND_CHANGE` or more. Periods with fewer writers than the
    threshold (left out of ``writers``) are not compared."""
    share = [(p, raised.get(p, 0) / writers[p]) for p in order if p in writers.index]
    if len(share) < 2:
        return None
    for word, up in (("rising", True), ("falling", False)):
        i = len(share) - 1
        while i > 0 and (share[i][1] > share[i - 1][1] if up else share[i][1] < share[i - 1][1]):
            i -= 1
        lo, hi = sorted((share[i][1], share[-1][1]))
        if i < len(share) - 1 and hi >= lo * TREND_CHANGE and hi > 0:
            return word, str(share[i][0])
    return None


def _parts(people: int, depts: int, by_kind: pd.Series, sent: pd.Series, trend) -> dict:
    """The lead line's figures from one theme's counts (see :func:`lead_parts`)."""
    by_kind = by_kind[by_kind > 0]
    mostly = by_kind.idxmax() if len(by_kind) and (len(by_kind) == 1 or by_kind.max() > people / 2) else None
    tone = max(("negative", "positive"), key=lambda x: sent.get(x, 0.0))
    share = float(sent.get(tone, 0.0))
    return {"people": int(people), "departments": int(depts) or None, "mostly": mostly,
            "tone": tone if share >= 0.5 else None, "tone_share": share, "trend": trend}


def lead_parts(theme: pd.DataFrame, writers: pd.Series | None = None, order: list | None = None,
               count_departments: bool = True) -> dict:
    """The figures of a lead line for the statements of one theme (or theme × group).

    Args:
        theme: its units, with ``person``, ``kind``, ``sentiment``, ``department`` and ``period``.
        writers: people who wrote anything, per period (for the trend), or None for no trend.
        order: the periods in time order.
        count_departments: False when the summary is of one department.

    Returns:
        ``{"people", "departments" (None when not counted or unknown), "mostly" (the source kind of over
        half the people, or None), "tone" ("negative"/"positive"/None: the sentiment of at least half the
        statements), "tone_share", "trend" (None or (word, period))}``.
    """
    people = theme[anonymity.PERSON].nunique()
    depts = _named(theme["department"]).nunique() if count_departments and "department" in theme else 0
    by_kind = theme.groupby("kind")[anonymity.PERSON].nunique()
    sent = theme["sentiment"].value_counts(normalize=True) if "sentiment" in theme else pd.Series(dtype=float)
    raised = theme.groupby("period")[anonymity.PERSON].nunique()
    trend = _trend(raised, writers, order or []) if writers is not None else None
    return _parts(people, depts, by_kind, sent, trend)


def _named(col: pd.Series) -> pd.Series:
    """The values of a segment column that name a group: no value and :data:`NOT_GIVEN` name none (data with
    no department column must not read "10 people in 1 department")."""
    return col[col.notna() & (col != NOT_GIVEN)]


def _lead_table(u: pd.DataFrame, writers: pd.Series, order: list) -> dict[int, dict]:
    """:func:`lead_parts` of every theme at once (grouped, not theme by theme: 100,000 statements)."""
    t = u[u["theme_id"] >= 0]
    people = t.groupby("theme_id")[anonymity.PERSON].nunique()
    depts = _named(t["department"]).groupby(t["theme_id"]).nunique()
    kinds = t.groupby(["theme_id", "kind"])[anonymity.PERSON].nunique().unstack(fill_value=0)
    sent = t.groupby("theme_id")["sentiment"].value_counts(normalize=True).unstack(fill_value=0.0)
    raised = t.groupby(["theme_id", "period"])[anonymity.PERSON].nunique().unstack(fill_value=0)
    empty = pd.Series(dtype=float)
    return {int(tid): _parts(n, depts.get(tid, 0), kinds.loc[tid], sent.loc[tid] if tid in sent.index else empty,
                             _trend(raised.loc[tid] if tid in raised.index else empty, writers, order))
            for tid, n in people.items()}


def lead_line(parts: dict, lang: str = "en") -> str:
    """The lead line of :func:`lead_parts` in ``lang`` ("42 people in 6 departments, mostly leavers, …")."""
    n = format_number(parts["people"], lang)
    if parts.get("departments"):
        out = [translate("{n} people in {d} departments", lang, n=n, d=format_number(parts["departments"], lang))]
    else:
        out = [translate("{n} people", lang, n=n)]
    mostly = {"exit": translate("mostly leavers", lang), "survey": translate("mostly survey comments", lang),
              "focus": translate("mostly focus groups", lang)}
    if parts.get("mostly") in mostly:
        out.append(mostly[parts["mostly"]])
    pct = format_number(round(parts.get("tone_share", 0) * 100), lang)
    if parts.get("tone") == "negative":
        out.append(translate("{p}% negative", lang, p=pct))
    elif parts.get("tone") == "positive":
        out.append(translate("{p}% positive", lang, p=pct))
    if parts.get("trend"):
        word, period = parts["trend"]
        key = "rising since {period}" if word == "rising" else "falling since {period}"
        out.append(translate(key, lang, period=period))
    return ", ".join(out)


# --------------------------------------------------------------------------- putting it together

def _positions(units: pd.DataFrame, vectors: np.ndarray | None) -> np.ndarray:
    """Rows of ``units`` (in unit-id order) that have a vector."""
    ok = np.ones(len(units), dtype=bool) if vectors is None else ~np.isnan(vectors[:, 0])
    return np.flatnonzero(ok)


def summarise(units: pd.DataFrame, vectors: np.ndarray, threshold: int, *, theme_id: int = -1,
              writers: pd.Series | None = None, order: list | None = None, count_departments: bool = True,
              k: int = QUOTES) -> Summary | None:
    """The summary of one set of statements (a theme, or a theme within a group), or None when they come
    from fewer than ``threshold`` people (the comment threshold): no figure and no quote of a small group.

    Args:
        units: the statements, sorted by ``unit_id``, with ``person`` and the columns of :func:`lead_parts`.
        vectors: their embeddings, row for row (NaN rows: no vector; those are not quoted).
    """
    if len(units) == 0 or units[anonymity.PERSON].nunique() < anonymity.check_threshold(threshold):
        return None
    ok = _positions(units, vectors)
    picked = pick_quotes(vectors[ok], units[anonymity.PERSON].to_numpy()[ok], k=k) if len(ok) else []
    ids = units["unit_id"].to_numpy()[ok][picked] if picked else []
    parts = lead_parts(units, writers, order, count_departments)
    return Summary(int(theme_id), parts, tuple(int(i) for i in ids))


def _prepared(units: pd.DataFrame, vectors: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    u = with_period(with_person(units)).reset_index(drop=True)
    order = np.argsort(u["unit_id"].to_numpy(), kind="stable")
    return u.iloc[order].reset_index(drop=True), np.asarray(vectors)[order]


def summarise_themes(units: pd.DataFrame, vectors: np.ndarray, threshold: int, k: int = QUOTES) -> dict[int, Summary]:
    """A :class:`Summary` of every theme raised by at least ``threshold`` people (theme −1 is none).

    Args:
        units: one row per statement with ``unit_id``, ``theme_id`` and the columns of :func:`lead_parts`.
        vectors: one embedding per row of ``units`` (NaN rows where none is stored).
    """
    u, v = _prepared(units, vectors)
    threshold = anonymity.check_threshold(threshold)
    writers = u.dropna(subset=["period"]).groupby("period")[anonymity.PERSON].nunique()
    parts = _lead_table(u, writers[writers >= threshold], period_order(u))
    keep = {tid for tid, p in parts.items() if p["people"] >= threshold}
    return {tid: Summary(tid, parts[tid], ids) for tid, ids in _quotes_by_theme(u, v, keep, k).items()}


def _quotes_by_theme(u: pd.DataFrame, v: np.ndarray, themes: set, k: int) -> dict[int, tuple[int, ...]]:
    """The quoted unit ids of each theme in ``themes`` (:func:`pick_quotes` on its rows with a vector)."""
    from threadpoolctl import threadpool_limits

    persons, ids, has = pd.factorize(u[anonymity.PERSON])[0], u["unit_id"].to_numpy(), ~np.isnan(v[:, 0])
    tids = u["theme_id"].to_numpy()
    sort = np.argsort(tids, kind="stable")
    out = {}
    # one theme's products are small: BLAS threads only wait for each other (seconds on a busy machine)
    with threadpool_limits(limits=1, user_api="blas"):
        for rows in np.split(sort, np.flatnonzero(np.diff(tids[sort])) + 1):
            tid = int(tids[rows[0]]) if len(rows) else -1
            if tid in themes:
                rows = rows[has[rows]]
                picked = pick_quotes(v[rows], persons[rows], k=k) if len(rows) else []
                out[tid] = tuple(int(i) for i in ids[rows][picked])
    return out


def summary_groups(units: pd.DataFrame, theme_id: int, dims, threshold: int) -> list[tuple[str, object]]:
    """The groups (dimension, value) of one theme that may have a summary: at least ``threshold`` people,
    and shown in the theme × dimension table (:func:`eevp.analytics.theme_views.theme_cross`, small cells
    hidden with their complements)."""
    u = with_person(units)
    out = []
    for dim in dims:
        if dim not in u or u[dim].isna().all():
            continue
        cross = theme_cross(u.dropna(subset=[dim]), dim, threshold)
        shown = cross[(cross["theme_id"] == theme_id) & ~cross["suppressed"].astype(bool)
                      & (cross["people"].fillna(0) >= threshold)]
        out += [(dim, v) for v in sorted(shown[dim].tolist(), key=str)]
    return out


def summarise_group(units: pd.DataFrame, vectors: np.ndarray, theme_id: int, dim: str, value, threshold: int,
                    k: int = QUOTES) -> Summary | None:
    """The summary of one theme within one group, only for a group :func:`summary_groups` allows."""
    if (dim, value) not in summary_groups(units, theme_id, [dim], threshold):
        return None
    u, v = _prepared(units, vectors)
    rows = np.flatnonzero((u["theme_id"] == theme_id).to_numpy() & (u[dim] == value).to_numpy())
    return summarise(u.iloc[rows], v[rows], threshold, theme_id=theme_id, count_departments=dim != "department", k=k)


# --------------------------------------------------------------------------- reading what is stored

def unit_vectors(engine: Engine, unit_ids, scope: str = "all", model_id: str | None = None) -> np.ndarray:
    """The stored embeddings of these units (of the current ``scope`` model's embedder, or ``model_id``),
    row for row; rows of NaN where no vector is stored. Nothing is embedded here."""
    ids = np.asarray(unit_ids, dtype=np.int64)
    t, e = db.text_units, db.embeddings
    with engine.connect() as conn:
        if model_id is None:
            current = current_model(conn, scope)
            model_id = None if current is None else current.model_id
        rows = [] if model_id is None else conn.execute(
            select(t.c.id, e.c.vector).join(e, and_(e.c.text_hash == t.c.text_hash, e.c.model_id == model_id))
            .where(t.c.id.in_(ids.tolist()) if len(ids) < 500 else t.c.id >= int(ids.min()))).all()
    return _aligned(ids, rows)


def _aligned(ids: np.ndarray, rows) -> np.ndarray:
    found = {int(i): b for i, b in rows}
    dims = {len(b) // 4 for b in found.values()}
    if not found or len(dims) != 1:
        return np.full((len(ids), 1), np.nan, dtype=np.float32)
    dim = dims.pop()
    out = np.full((len(ids), dim), np.nan, dtype=np.float32)
    have = np.array([int(i) in found for i in ids], dtype=bool)
    if have.any():
        blob = b"".join(found[int(i)] for i in ids[have])
        out[have] = np.frombuffer(blob, dtype="<f4").reshape(-1, dim)
    return out


def quote_texts(engine: Engine, unit_ids, *, actor: User) -> dict[int, dict]:
    """The stored (redacted) text, source kind and language of these units (``actor`` may read quotes)."""
    require(actor, "view_quotes")
    t = db.text_units
    ids = [int(i) for i in unit_ids]
    if not ids:
        return {}
    with engine.connect() as conn:
        rows = conn.execute(select(t.c.id, t.c.text, t.c.kind, t.c.language).where(t.c.id.in_(ids))).all()
    return {int(r.id): {"text": r.text, "kind": r.kind, "language": r.language} for r in rows}


def quotes_of(engine: Engine, summary: Summary | None, *, actor: User) -> list[dict]:
    """The quotes of a summary as ``{"text", "kind", "language"}``, in the order chosen."""
    if summary is None:
        return []
    texts = quote_texts(engine, summary.quote_ids, actor=actor)
    return [texts[i] for i in summary.quote_ids if i in texts]


def theme_summaries(engine: Engine, units: pd.DataFrame, threshold: int, scope: str = "all") -> dict[int, Summary]:
    """:func:`summarise_themes` of ``units`` with the vectors stored for them."""
    if len(units) == 0:
        return {}
    return summarise_themes(units, unit_vectors(engine, units["unit_id"], scope), threshold)


def payload(engine: Engine, summaries: dict[int, Summary], lang: str = "en", *, actor: User) -> dict[int, dict]:
    """``{theme_id: {"lead", "quotes": [text, …]}}``: the JSON of ``report themes`` and the brief."""
    texts = quote_texts(engine, [i for s in summaries.values() for i in s.quote_ids], actor=actor)
    return {tid: {"lead": s.lead(lang), "quotes": [texts[i]["text"] for i in s.quote_ids if i in texts]}
            for tid, s in summaries.items()}


def themes_report(engine: Engine, settings, source: str | None = None, lang: str = "en", *, actor: User) -> dict:
    """``report themes``: :func:`eevp.analytics.theme_views.themes_payload` with a ``summary`` per theme
    (``{"lead", "quotes"}``; ``{"lead": None, "quotes": []}`` where no summary may be shown)."""
    table = theme_table(engine, scope="all", kinds=(source,) if source else None)
    units = with_person(unit_themes(engine, scope="all"))
    out = themes_payload(table, units, settings.min_comment_group, source)
    if source:
        units = units[units["kind"] == source]
    sums = payload(engine, theme_summaries(engine, units, settings.min_comment_group), lang, actor=actor)
    for theme in out["themes"]:
        theme["summary"] = sums.get(theme["id"], {"lead": None, "quotes": []})
    return out
