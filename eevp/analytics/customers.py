"""Customer insights from staff: tag statements, rank customer themes, systemic or local, the brief.

Every text unit (a survey comment, or one statement of an exit answer or focus-group note) is
tagged by :func:`eevp.text.lens.tag_statements`; the customer statements get their own themes
(scope ``"customers"`` in :mod:`eevp.themes.run`), ranked here by reach.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.engine import Engine

from eevp.analytics import anonymity
from eevp.analytics.customer_stats import NOT_GIVEN, PRIVATE_STATS, RANKED_COLUMNS, theme_stats
from eevp.analytics.theme_views import theme_cross, with_person
from eevp.errors import InputError, NotFoundError
from eevp.i18n import format_number, translate
from eevp.safe import escape_markdown
from eevp.store import db
from eevp.store.audit import record
from eevp.store.auth import User, require
from eevp.store.queries import current_model, fetch_frame, rows_frame
from eevp.text.lens import STAGES, apply_corrections, customer_words, tag_statements, tagger_version
from eevp.themes.embeddings import embed_cached, heads_embedder, stored_vectors
from eevp.themes.model import ThemeConfig
from eevp.themes.read import distinct_labels, label_in

SOURCES = ("survey", "exit", "focus")
#: The fewest statements about customers that customer themes are built from.
MIN_STATEMENTS = ThemeConfig.min_units


@dataclass(frozen=True)
class SystemicRule:
    """A customer *problem* theme is *systemic* when it is raised in at least ``dept_share`` of the
    departments that produced customer statements (a department counts when at least
    ``dept_min_people`` of its people raise it, so that one stray mention does not make a problem
    company-wide), or by at least ``respondent_share`` of the people who did in at least two such
    departments: size alone never makes a theme systemic. It is *local* when ``concentration`` or
    more of its reach sits in one department or one role; *unknown* when the data cannot tell (fewer
    than two departments named, or most of the theme's people without a department); *praise* when
    most of its statements say what customers experience well (no problem to place)."""

    dept_share: float = 0.30
    respondent_share: float = 0.10
    concentration: float = 0.80
    dept_min_people: int = 3

    def explain_parts(self) -> tuple[str, dict]:
        """The explanation as an interface string and its values (for translation)."""
        return ("Systemic: raised by at least {k} people in each of at least {d} of departments, or by at least "
                "{r} of the people who talk about customers in two or more departments. Local: {c} or more of "
                "the people who raise it are in one department or one role. Unknown: the data names no "
                "departments to tell. Otherwise: spread.",
                {"k": self.dept_min_people, "d": f"{self.dept_share:.0%}", "r": f"{self.respondent_share:.0%}",
                 "c": f"{self.concentration:.0%}"})

    def explain(self) -> str:
        text, values = self.explain_parts()
        return text.format(**values)


# --------------------------------------------------------------------------- tagging

def tag_units(engine: Engine, *, actor: User, progress: Callable[[str, int, int], None] | None = None,
              chunk: int = 2000, model_id: str | None = None) -> int:
    """Tag every text unit that has no tags yet, or tags of another tagger (:func:`tagger_version`: an eevp
    with another lexicon or lens head), as ``actor`` (whose role must allow the analysis). Returns how many.
    Where a statement's class changes, the customer themes are marked stale (the next analysis fits them
    again: they were built from the statements about customers).

    CX-lead corrections override the tagger for the same text and for near-identical statements
    (cosine ≥ :data:`CORRECTION_SIMILARITY` in the embedding cache of ``model_id``, by default the
    embedder of the current theme model; texts not in the cache are matched exactly only).
    """
    require(actor, "analyze")

    t, s, version = db.text_units, db.statement_tags, tagger_version()
    with engine.connect() as conn:
        todo = conn.execute(
            select(t.c.id, t.c.batch_id, t.c.text, t.c.text_hash, t.c.language, t.c.sentiment,
                   s.c.unit_id.label("tagged"), s.c.cls.label("was"))
            .outerjoin(s, s.c.unit_id == t.c.id)
            .where(s.c.unit_id.is_(None) | s.c.tagger_version.is_(None) | (s.c.tagger_version != version))
            .order_by(t.c.id)).all()
    corrections = load_corrections(engine)
    done = 0
    if any(r.tagged is not None for r in todo):  # tags changed in place: the app's caches must see it
        record(engine, actor.username, "retag", f"{sum(r.tagged is not None for r in todo)} statements ({version})")
    for start in range(0, len(todo), chunk):
        part = todo[start:start + chunk]
        texts = [r.text for r in part]
        vectors, _ = embed_cached(engine, heads_embedder(), texts)
        # the language and sentiment the analysis stored for each unit are not worked out again
        languages = [r.language for r in part] if all(r.language for r in part) else None
        stored = [r.sentiment for r in part]
        sentiment = (lambda _texts, _langs: stored) if all(stored) else None
        tags = tag_statements(texts, languages, sentiment, embeddings=vectors)
        tags["text_hash"] = [r.text_hash for r in part]
        if len(corrections):
            tags = _corrected(engine, tags, corrections, apply_corrections, model_id)
        rows = [{"unit_id": r.id, "batch_id": r.batch_id, "about_customers": bool(g.about_customers),
                 "stage": g.stage if isinstance(g.stage, str) else None, "sentiment": g.sentiment,
                 "incident": bool(g.incident), "tagger_version": version, "cls": g.cls,
                 "severity": None if pd.isna(g.severity) else float(g.severity)}
                for r, g in zip(part, tags.itertuples())]
        with engine.begin() as conn:
            again = [r.id for r in part if r.tagged is not None]
            if again:  # tagged by another tagger: its tags replaced
                conn.execute(delete(s).where(s.c.unit_id.in_(again)))
            conn.execute(insert(s), rows)
            if any(r.tagged is not None and r.was != row["cls"] for r, row in zip(part, rows)):
                conn.execute(update(db.theme_models).where(db.theme_models.c.scope == "customers").values(stale=True))
        done += len(part)
        if progress:
            progress("tagging statements", done, len(todo))
    return done


#: Cosine similarity from which a statement inherits the correction of a reviewed one.
CORRECTION_SIMILARITY = 0.9


def _cached_vectors(engine: Engine, hashes: list[str], model_id: str | None = None) -> dict[str, np.ndarray]:
    """Vectors of these texts from the embedding cache (no embedding here): of ``model_id``, or of
    the embedder of the current theme model."""
    if model_id is None:
        with engine.connect() as conn:
            current = current_model(conn, "all")
        model_id = None if current is None else current.model_id
    return {} if model_id is None else stored_vectors(engine, model_id, list(dict.fromkeys(hashes)))


def _current_id(conn, scope: str) -> int | None:
    current = current_model(conn, scope)
    return None if current is None else current.id


def _corrected(engine: Engine, tags: pd.DataFrame, corrections: pd.DataFrame, apply_corrections,
               model_id: str | None) -> pd.DataFrame:
    """CX-lead corrections applied to new tags: to the same text, and to near-identical statements
    (cosine ≥ :data:`CORRECTION_SIMILARITY` in the cached embeddings) — the same point made again
    in other words or with a typo is tagged as the reviewer said."""
    tags = apply_corrections(tags, corrections)
    vectors = _cached_vectors(engine, tags["text_hash"].tolist() + corrections["text_hash"].tolist(), model_id)
    rows = [i for i, (h, done) in enumerate(zip(tags["text_hash"], tags["corrected"])) if not done and h in vectors]
    known = corrections[corrections["text_hash"].isin(vectors.keys())].reset_index(drop=True)
    if not rows or known.empty:
        return tags
    sub = tags.iloc[rows].drop(columns="corrected")
    near = apply_corrections(sub, known, embeddings=np.stack([vectors[h] for h in sub["text_hash"]]),
                             correction_embeddings=np.stack([vectors[h] for h in known["text_hash"]]),
                             min_similarity=CORRECTION_SIMILARITY)
    for col in ("about_customers", "stage", "incident", "cls", "corrected"):
        values = np.array(tags[col].tolist(), dtype=object)
        values[rows] = near[col].tolist()
        tags[col] = values
    return tags


def load_corrections(engine: Engine) -> pd.DataFrame:
    r = db.tag_reviews
    with engine.connect() as conn:
        rows = conn.execute(select(r.c.text_hash, r.c.about_customers, r.c.stage)).all()
    return rows_frame(rows, ["text_hash", "about_customers", "stage"])


def customer_units(engine: Engine) -> pd.DataFrame:
    """Tagged customer statements with their metadata and current customer theme (-1 = none)."""
    t, s = db.text_units, db.statement_tags
    with engine.connect() as conn:
        df = fetch_frame(conn,
            select(t.c.id.label("unit_id"), t.c.batch_id, t.c.kind, t.c.record_id, t.c.respondent_key, t.c.role,
                   t.c.department, t.c.wave, t.c.date, t.c.language, s.c.stage, s.c.sentiment, s.c.incident,
                   s.c.cls, s.c.severity)
            .join(s, s.c.unit_id == t.c.id).where(s.c.about_customers.is_(True)))
        model = _current_id(conn, "customers")
        assign = pd.Series(dtype="int64")
        if model is not None:
            a = db.theme_assignments
            got = fetch_frame(conn, select(a.c.unit_id, a.c.theme_id).where(a.c.model_row == model))
            assign = pd.Series(got["theme_id"].to_numpy(), index=got["unit_id"].to_numpy())
    df["theme_id"] = df["unit_id"].map(assign).fillna(-1).astype(int)
    df = with_person(df)
    df["period"] = df["wave"].fillna(pd.to_datetime(df["date"], errors="coerce").dt.to_period("Q").astype(str)
                                     .str.replace("Q", "-Q", regex=False))
    for c in ("role", "department"):
        df[c] = df[c].fillna(NOT_GIVEN)
    return df


def treat_staff(engine: Engine, min_people: int) -> dict | None:
    """How customers treat staff, kept apart from customer problems (it matters for staff safety):
    ``{"people", "statements", "negative_share"}``, or None when fewer than ``min_people`` people say it."""
    t, s = db.text_units, db.statement_tags
    with engine.connect() as conn:
        df = fetch_frame(conn, select(t.c.kind, t.c.record_id, t.c.respondent_key, s.c.sentiment)
                         .join(s, s.c.unit_id == t.c.id).where(s.c.cls == "customers_treat_staff"))
    if df.empty:
        return None
    df = with_person(df)
    people = int(df["person"].nunique())
    if people < min_people:
        return None
    return {"people": people, "statements": int(len(df)),
            "negative_share": float((df["sentiment"] == "negative").mean())}


def theme_labels(engine: Engine, scope: str = "customers", language: str | None = None) -> pd.DataFrame:
    """``theme_id, label, keywords, is_candidate`` of the current model's themes; labels in the reader's
    ``language`` where a theme has one (:func:`eevp.themes.read.label_in`)."""
    th = db.themes
    with engine.connect() as conn:
        model = _current_id(conn, scope)
        if model is None:
            return pd.DataFrame(columns=["theme_id", "label", "keywords"])
        rows = conn.execute(select(th.c.theme_id, th.c.label, th.c.label_edited, th.c.labels_json,
                                   th.c.keywords_json, th.c.is_candidate)
                            .where(th.c.model_row == model).order_by(th.c.theme_id)).all()
    out = pd.DataFrame([(r.theme_id, label_in(r, language), json.loads(r.keywords_json or "[]"),
                         bool(r.is_candidate)) for r in rows], columns=["theme_id", "label", "keywords", "is_candidate"])
    return out.assign(label=distinct_labels(out["label"], out["keywords"], out["is_candidate"], skip=customer_words()))


# --------------------------------------------------------------------------- ranking

def rank_themes(units: pd.DataFrame, labels: pd.DataFrame, min_reach: int,
                rule: SystemicRule = SystemicRule(), stats: pd.DataFrame | None = None) -> pd.DataFrame:
    """Customer themes ranked by reach × (0.5 + severity), with systemic/local, stages, sources, sentiment,
    trend and severity.

    Themes raised by fewer than ``min_reach`` people (the comment threshold) are left out entirely.
    Within a theme, the counts per stage, source, sentiment and period are hidden (None) when
    fewer than ``min_reach`` people stand behind them (with complements, as in
    :func:`eevp.analytics.anonymity.suppress`), and the top department's and role's shares are given only
    when that department or role holds ``min_reach`` people: ``share × reach`` is a count.

    ``stats``: :func:`theme_stats` of the same units and ``min_reach``, when the caller keeps it
    (it does not depend on the rule, so a rule change only classifies again).
    """
    stats = theme_stats(units, labels, min_reach) if stats is None else stats
    if stats.empty:
        return pd.DataFrame(columns=RANKED_COLUMNS)
    known = units.loc[units["department"] != NOT_GIVEN, "department"]
    all_depts = max(known.nunique(), 1)
    all_people = max(units["person"].nunique(), 1)
    systemic = []
    for reach, per_dept, dept_share, role_share, praise, known_share in zip(
            stats["reach"], stats["_per_dept"], stats["_dept_share"], stats["_role_share"], stats["_praise"],
            stats["_known_share"]):
        named = {d: v for d, v in per_dept.items() if d != NOT_GIVEN}
        depts_raising = sum(1 for v in named.values() if v >= rule.dept_min_people)
        if praise:
            systemic.append("praise")
        elif known.nunique() < 2 or known_share < 0.5:
            systemic.append("unknown")
        elif dept_share < rule.concentration and (depts_raising / all_depts >= rule.dept_share
                                                  or (reach / all_people >= rule.respondent_share
                                                      and depts_raising >= 2)):
            systemic.append("systemic")
        elif dept_share >= rule.concentration or role_share >= rule.concentration:
            systemic.append("local")
        else:
            systemic.append("spread")
    out = stats.drop(columns=PRIVATE_STATS)
    out.insert(out.columns.get_loc("departments") + 1, "systemic", systemic)
    return out


def theme_stage_matrix(units: pd.DataFrame, ranked: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Theme × journey stage: people who raised it at each stage.

    A cell is hidden when fewer than ``threshold`` people (pass the comment threshold) stand behind it,
    and so is every stage the theme's card hides (``ranked["stages"]``, at the ranking's threshold):
    the map and the cards agree. Within a theme, the fewest cells are hidden that stop a subtraction
    from the theme's reach: the small stages and, when only one is small, the next smallest one
    (``pooled=False``: never a whole row of a large theme because its two small stages add up to few).
    """
    u = units[units["theme_id"].isin(ranked["theme_id"]) & units["stage"].notna()]
    if u.empty:
        return pd.DataFrame(columns=["theme_id", "stage", "people", "suppressed", "label"])
    cells = anonymity.people(u, ["theme_id", "stage"]).rename("people").reset_index()
    card = {(t, stage) for t, stages in zip(ranked["theme_id"], ranked["stages"])
            for stage, v in (stages or {}).items() if v is None}
    hide = [(t, stage) in card for t, stage in zip(cells["theme_id"], cells["stage"])]
    full = anonymity.suppress(cells, n_col="people", threshold=threshold, group_cols=["theme_id", "stage"],
                              value_cols=[], hide=hide, pooled=False)
    full["label"] = full["theme_id"].map(ranked.set_index("theme_id")["label"])
    return full.reset_index(drop=True)


def theme_by(units: pd.DataFrame, ranked: pd.DataFrame, segment: str, threshold: int) -> pd.DataFrame:
    """Theme × segment (role, department, or ``source``: the kind of source): people per cell, with
    matrix suppression."""
    if segment == "source" and "source" not in units:
        units = units.assign(source=units["kind"])
    u = units[units["theme_id"].isin(ranked["theme_id"])]
    return theme_cross(u, segment, threshold, ranked.set_index("theme_id")["label"])


def quotes(engine: Engine, unit_ids: list[int], n: int = 5, seed: int = 0, min_people: int = 10, *,
           actor: User) -> list[dict]:
    """Up to ``n`` redacted statements (text only, with source kind and language; no names, no role),
    each with ``comment``, the whole comment it was split from, when that comment holds more than it.

    Nothing is returned when the statements come from fewer than ``min_people`` people (the
    comment threshold; pass ``settings.min_comment_group``): a quote from a small group is
    that group's own words. ``actor``'s role must allow quotes (AccessDenied otherwise).
    """
    require(actor, "view_quotes")
    if not unit_ids:
        return []
    t = db.text_units
    if not _enough_people(engine, unit_ids, anonymity.check_threshold(min_people)):
        return []
    rng = np.random.default_rng(seed)
    pick = sorted(rng.choice(unit_ids, size=min(n * 3, len(unit_ids)), replace=False).tolist())
    with engine.connect() as conn:
        rows = conn.execute(select(t.c.id, t.c.text, t.c.kind, t.c.language, t.c.batch_id, t.c.record_no,
                                   t.c.question).where(t.c.id.in_(pick))).all()
    rows = sorted(rows, key=lambda r: (-min(len(r.text), 220), r.id))  # prefer fuller statements
    seen, out = set(), []
    for r in rows:
        key = " ".join(r.text.casefold().split())
        if key not in seen:  # the same words from two people are shown once
            seen.add(key)
            out.append({"text": r.text, "kind": r.kind, "language": r.language,
                        "_answer": (r.id, r.batch_id, r.record_no, r.question)})
    out = out[:n]
    comments = whole_comments(engine, [q["_answer"] for q in out], actor=actor)
    for q in out:
        whole = comments.get(q.pop("_answer")[1:])
        if whole and whole != q["text"]:
            q["comment"] = whole
    return out


#: Statements whose people :func:`_enough_people` reads at a time.
PEOPLE_CHUNK = 2_000


def _enough_people(engine: Engine, unit_ids: list[int], needed: int) -> bool:
    """Whether the statements ``unit_ids`` come from at least ``needed`` people.

    Read a chunk of statements at a time, stopping as soon as they do: a theme of 200,000 statements
    is decided by its first rows, where reading every row cost seconds (and one bound parameter each).
    """
    t = db.text_units
    people: set = set()
    with engine.connect() as conn:
        for start in range(0, len(unit_ids), PEOPLE_CHUNK):
            chunk = [int(i) for i in unit_ids[start:start + PEOPLE_CHUNK]]
            who = fetch_frame(conn, select(t.c.id, t.c.respondent_key, t.c.kind, t.c.record_id)
                              .where(t.c.id.in_(chunk)))
            people.update(with_person(who)["person"])
            if len(people) >= needed:
                return True
    return False


#: Statements of one answer are stored one after another: its siblings lie within this many unit ids.
ANSWER_SPAN = 500


def whole_comments(engine: Engine, answers: list[tuple], *, actor: User) -> dict[tuple, str]:
    """The whole (redacted) comment each statement was split from: its answer's statements in order.

    Args:
        answers: ``(unit_id, batch_id, record_no, question)`` of each statement.
        actor: who reads; the role must allow quotes (AccessDenied otherwise).

    Returns:
        ``(batch_id, record_no, question)`` → the comment, for answers of more than one statement. The
        search is bounded by unit id (the primary key) around the statement, never a scan of its batch.
    """
    require(actor, "view_quotes")
    t = db.text_units
    out: dict[tuple, list[str]] = {}
    with engine.connect() as conn:
        for unit_id, batch_id, record_no, question in answers:
            rows = conn.execute(select(t.c.text).where(and_(
                t.c.id.between(unit_id - ANSWER_SPAN, unit_id + ANSWER_SPAN), t.c.batch_id == batch_id,
                t.c.record_no == record_no, t.c.question == question)).order_by(t.c.seq)).all()
            out[(batch_id, record_no, question)] = [r.text for r in rows]
    return {k: " ".join(v) for k, v in out.items() if len(v) > 1}


def search_quotes(engine: Engine, unit_ids: list[int], settings, n: int = 20, *, actor: User) -> list[dict]:
    """Quotes for a search's hits: :func:`quotes` at the comment threshold (``settings.min_comment_group``),
    never the score threshold. When it returns nothing, a page says the same words whether nothing
    matched or too few people wrote what did (telling them apart would confirm that 1–9 people did)."""
    return quotes(engine, unit_ids, n=n, min_people=settings.min_comment_group, actor=actor)


def report(engine: Engine, settings, rule: SystemicRule = SystemicRule()) -> dict:
    """The CLI's ``report customers --json``."""
    units = customer_units(engine)
    ranked = rank_themes(units, theme_labels(engine), settings.min_comment_group, rule)
    themes = []
    for r in ranked.to_dict("records"):
        themes.append({"id": r["theme_id"], "label": r["label"], "keywords": r["keywords"], "reach": r["reach"],
                       "roles": r["roles"], "departments": r["departments"], "systemic": r["systemic"] == "systemic",
                       "scope": r["systemic"], "stages": r["stages"], "sources": r["sources"],
                       "sentiment": r["sentiment"], "trend": r["trend"], "new": r["new"]})
    return {"customer_statements": int(len(units)), "rule": rule.explain(), "themes": themes}


def brief_markdown(ranked: pd.DataFrame, quotes_by_theme: dict[int, list[dict]], rule: SystemicRule,
                   title: str = "What our staff tell us about customers", lang: str = "en",
                   leads: dict[int, str] | None = None) -> str:
    """An insight brief a CX lead can send on as it is, written in ``lang`` (labels and quotes as stored);
    ``leads``: each theme's summary line (:mod:`eevp.analytics.summaries`), put under its heading.

    Markdown: what people wrote is escaped (it reads as text when rendered), counts are bold.
    """

    def t(text: str, **values) -> str:
        return translate(text, lang, **values)

    def n(value) -> str:
        return format_number(value, lang)

    sources = {"survey": t("survey comments"), "exit": t("exit interviews"), "focus": t("focus groups")}
    rule_text, rule_values = rule.explain_parts()
    lines = [f"# {title}", "", f"*{t(rule_text, **rule_values)}*", ""]
    for i, r in enumerate(ranked.itertuples(), 1):
        # "unknown" is a sentence, not a badge: under the heading, not in capitals after it (the restaurant
        # reviews' brief had "— SYSTEMIC OR LOCAL: UNKNOWN (NO DEPARTMENTS IN THE DATA)" in every heading)
        unknown = r.systemic == "unknown"
        lines.append(f"## {i}. {_md_plain(r.label)}" + ("" if unknown else f" — {t(_BADGES[r.systemic]).upper()}"))
        if (leads or {}).get(r.theme_id):
            lines.append(f"*{_md_plain(leads[r.theme_id])}*")
        if unknown:
            lines.append(f"- {t(_BADGES['unknown'])}.")
        lines.append("- " + t("Raised by **{reach}** people in {d} departments and {ro} roles ({s} statements, "
                              "{i} concrete incidents).", reach=n(r.reach), d=n(r.departments), ro=n(r.roles),
                              s=n(r.statements), i=n(r.incidents)))
        named = [f"{sources.get(k, _md_plain(str(k)))} {n(v)}"
                 for k, v in (r.sources or {}).items() if v is not None]
        if isinstance(r.main_stage, str) and r.main_stage:  # NaN when no stage is known
            stage = t("Journey stage: **{stage}**", stage=_md_plain(t(r.main_stage)))
            named_text = "; " + t("sources: {list}", list=", ".join(named)) if named else ""
            lines.append("- " + stage + named_text + ".")
        if r.keywords:
            lines.append("- " + t("Keywords") + ": " + _md_plain(", ".join(r.keywords[:8])))
        lines.append("")
        for q in quotes_by_theme.get(r.theme_id, []):  # one block quote each (adjacent ones would merge)
            lines += [f"> {_md_plain(q['text'])}", ""]
    return "\n".join(lines)


#: The badge of each kind of theme (the words the Customer insights page shows).
_BADGES = {"systemic": "Systemic", "local": "Local", "spread": "Spread", "praise": "Praise",
           "unknown": "Systemic or local: unknown (no departments in the data)"}


def _md_plain(text: str) -> str:
    return escape_markdown(text.replace("\n", " "))


# --------------------------------------------------------------------------- review by a CX lead

def review_sample(engine: Engine, share: float = 0.10, seed: int = 42) -> np.ndarray:
    """The unit ids of the review sample (``share`` of all tagged statements, drawn reproducibly over their
    ids in id order), the statements tagged about customers first, each part in id order.

    Ids only, no text: it reads every tagged statement (seconds at a million), so a page keeps it per data
    version and passes it to :func:`review_queue` on each rerun.
    """
    t, s = db.text_units, db.statement_tags
    with engine.connect() as conn:
        tagged = fetch_frame(conn, select(s.c.unit_id, s.c.about_customers).join(t, s.c.unit_id == t.c.id)
                             .order_by(s.c.unit_id))
    ids = tagged["unit_id"].to_numpy(dtype=np.int64)
    if not len(ids):
        return ids
    rng = np.random.default_rng(seed)
    pick = np.sort(rng.choice(len(ids), size=max(1, int(round(len(ids) * share))), replace=False))
    about = tagged["about_customers"].fillna(False).astype(bool).to_numpy()[pick]
    return ids[pick][np.argsort(~about, kind="stable")]  # about customers first, each in id order


def review_queue(engine: Engine, share: float = 0.10, seed: int = 42, limit: int = 20, *,
                 actor: User, sample: np.ndarray | None = None) -> pd.DataFrame:
    """A reproducible random sample (``share`` of all tagged statements) not yet reviewed, the statements
    tagged about customers first: they are the few the CX lead can correct (on a real upload 26 of 3,714),
    and a queue in id order showed only statements about other things.

    The sample is :func:`review_sample` (``sample``: the one a page kept for this data version, else drawn
    now); only the ``limit`` statements shown are read with their text. ``actor``'s role must allow
    reviewing tags.
    """
    require(actor, "review_tags")
    t, s, r = db.text_units, db.statement_tags, db.tag_reviews
    columns = ["unit_id", "text", "text_hash", "about_customers", "stage"]
    sample = review_sample(engine, share, seed) if sample is None else sample
    if not len(sample):
        return pd.DataFrame(columns=columns)
    with engine.connect() as conn:
        done = {x[0] for x in conn.execute(select(r.c.unit_id))}
        chosen = [int(u) for u in sample if int(u) not in done][:limit]
        rows = conn.execute(select(t.c.id, t.c.text, t.c.text_hash, s.c.about_customers, s.c.stage)
                            .join(s, s.c.unit_id == t.c.id).where(t.c.id.in_(chosen))).all()
    order = {u: k for k, u in enumerate(chosen)}
    return rows_frame(sorted(rows, key=lambda row: order[row[0]]), columns)


def save_review(engine: Engine, actor, unit_id: int, about_customers: bool, stage: str | None) -> None:
    """Store a CX lead's confirmation or correction.

    The reviewed statement and every other statement with the same text take the reviewer's tags
    now; statements tagged later take them too, and so do near-identical ones (see :func:`tag_units`).
    """

    require(actor, "review_tags")
    if stage is not None and stage not in STAGES:
        raise InputError(f"Unknown stage '{stage}'. Use one of: {', '.join(STAGES)}.")
    t, s, r = db.text_units, db.statement_tags, db.tag_reviews
    with engine.begin() as conn:
        row = conn.execute(select(t.c.text_hash, s.c.about_customers, s.c.stage).join(s, s.c.unit_id == t.c.id)
                           .where(t.c.id == unit_id)).first()
        if row is None:
            raise NotFoundError(f"Statement {unit_id} is not tagged.")
        conn.execute(_delete_review(unit_id))
        conn.execute(insert(r).values(unit_id=unit_id, text_hash=row.text_hash, reviewer=actor.username,
                                      reviewed_at=db.now(), tagged_about_customers=row.about_customers,
                                      tagged_stage=row.stage, about_customers=about_customers, stage=stage))
        conn.execute(s.update().where(s.c.unit_id == unit_id).values(about_customers=about_customers, stage=stage))
        # The same statement elsewhere (repeated across batches or people), not reviewed itself, follows.
        same = select(t.c.id).where(t.c.text_hash == row.text_hash, t.c.id != unit_id,
                                    t.c.id.not_in(select(r.c.unit_id)))
        conn.execute(s.update().where(s.c.unit_id.in_(same)).values(
            about_customers=about_customers, stage=stage if about_customers else None))


def _delete_review(unit_id: int):
    return db.tag_reviews.delete().where(db.tag_reviews.c.unit_id == unit_id)


def review_stats(engine: Engine) -> dict:
    """Precision and recall of the tagger on this organisation's reviewed statements."""
    r = db.tag_reviews
    with engine.connect() as conn:
        rows = conn.execute(select(r.c.tagged_about_customers, r.c.tagged_stage, r.c.about_customers,
                                   r.c.stage)).all()
    df = rows_frame(rows, ["pred", "pred_stage", "true", "stage"])
    if df.empty:
        return {"reviewed": 0, "precision": None, "recall": None, "stage_accuracy": None}
    tp = int((df["pred"] & df["true"]).sum())
    fp = int((df["pred"] & ~df["true"]).sum())
    fn = int((~df["pred"] & df["true"]).sum())
    both = df[df["pred"] & df["true"]]
    return {"reviewed": len(df), "precision": tp / (tp + fp) if tp + fp else None,
            "recall": tp / (tp + fn) if tp + fn else None,
            "stage_accuracy": float((both["pred_stage"].fillna("") == both["stage"].fillna("")).mean())
            if len(both) else None}
