"""Customer feedback in the analysis: its statements tagged by the lens, matched to the customer
themes of staff by meaning, and those that match none themed on their own.

Each step only does what is new (incremental-safe): statements without tags are tagged; statements
matched against an older staff model (or none) are matched again; the own themes are refitted
only when the unmatched statements changed. The comparison itself is :mod:`eevp.analytics.voice`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.engine import Engine

from eevp.errors import TooFewUnitsError
from eevp.hashing import text_hash
from eevp.settings import Settings
from eevp.store import db
from eevp.store.auth import User, require
from eevp.store.queries import current_model, fetch_frame
from eevp.text.lens import TAGGER_VERSION, customer_words, tag_statements, tagger_version as lens_version
from eevp.text.sentiment_model import voice_setting_id
from eevp.text.textprep import BOILERPLATE_VERSION, is_boilerplate, is_company_reply
from eevp.themes.embeddings import embed_cached, get_embedder, heads_embedder
from eevp.themes.model import ThemeConfig, centroids_for, fit_themes, nearest

Progress = Callable[[str, int, int], None]

#: ``matched_model`` of statements matched while no staff customer model existed.
NO_MODEL = -1


@dataclass(frozen=True)
class MatchRule:
    """How a customer statement joins a staff theme.

    The similarity cut-off is chosen on the data. Customers write in other words than staff ("I waited
    40 minutes" against "customers wait 40 minutes"), so a staff statement's closeness to its own theme is
    too strict a bar. The customer statements' closeness to their nearest staff theme falls in two groups
    (those on a staff subject and the rest); the cut-off splits them where they separate best (Otsu's
    method over ``bins``), kept between how close staff statements come to the themes they are not in
    (the median) and to their own (the ``own_quantile``). ``min_own`` is the fewest unmatched statements
    the own themes are fitted on (fewer: no own themes, the statements stay -1).
    """

    own_quantile: float = 0.05
    bins: int = 50
    min_own: int = 20

    def threshold(self, best: np.ndarray, own: np.ndarray, other: np.ndarray) -> float:
        """The cut-off from the customer statements' best similarities and the staff statements' to their
        own and to the other centroids."""
        high = float(np.quantile(own, self.own_quantile))
        low = float(np.median(other)) if len(other) else 0.0
        return float(np.clip(otsu(best, self.bins), min(low, high), high))


def otsu(values: np.ndarray, bins: int = 50) -> float:
    """The value that splits ``values`` into two groups of the largest between-group variance."""
    counts, edges = np.histogram(values, bins=bins)
    mids = (edges[:-1] + edges[1:]) / 2
    w0, w1 = np.cumsum(counts)[:-1], np.cumsum(counts[::-1])[::-1][1:]
    s0, s1 = np.cumsum(counts * mids)[:-1], np.cumsum((counts * mids)[::-1])[::-1][1:]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = w0 * w1 * (s0 / w0 - s1 / w1) ** 2
    return float(edges[1:-1][int(np.nanargmax(between))]) if np.isfinite(between).any() else float(np.median(values))


def _noop(step: str, done: int, total: int) -> None:
    return None


def analyze_voice(engine: Engine, settings: Settings, *, actor: User, embedder=None, steps: dict | None = None,
                  progress: Progress | None = None, rule: MatchRule = MatchRule()) -> dict:
    """Tag, match and theme the customer statements, as ``actor`` (whose role must allow the analysis).

    Args:
        embedder: the embedder of the staff customer themes; None = ``get_embedder(settings.embedder)``.
        steps: the injected ``reducer`` / ``clusterer`` / ``vectorizer`` for the own themes.

    Returns:
        ``{"tagged", "matched", "threshold", "own_themes"}`` (own_themes None when not refitted).
    """
    require(actor, "analyze")
    progress = progress or _noop
    if embedder is None:
        embedder = get_embedder(settings.embedder, models_dir=settings.models_dir)
    tagged = _tag_customer_statements(engine, progress)
    matched, threshold = _match_statements(engine, embedder, rule)
    own = _fit_own_themes(engine, settings, embedder, steps or {}, rule) if matched or _pending_own(engine) else None
    return {"tagged": tagged, "matched": matched, "threshold": threshold, "own_themes": own}


# --------------------------------------------------------------------------- tagging

def tagger_version() -> str:
    """What customer statements' tags are stored with: the lens's version (its lexicon and heads), the
    customer-voice sentiment setting (:func:`eevp.text.sentiment_model.voice_setting_id`) and the boilerplate
    lists (what is never matched or themed); any new one re-tags them and matches them again."""
    settings = text_hash(f"{lens_version()}+voice-{voice_setting_id()}+bp-{BOILERPLATE_VERSION}")[:12]
    return f"{TAGGER_VERSION}+{settings}"  # the column holds 32 characters


def _tag_customer_statements(engine: Engine, progress: Progress = _noop, chunk: int = 2000) -> int:
    """Stage, sentiment and class of every customer statement not tagged yet, or tagged by another version
    (the same lens as staff). A re-tagged statement is matched (and, matching no staff theme, themed) again."""
    cs, version = db.customer_statements, tagger_version()
    with engine.connect() as conn:
        todo = conn.execute(select(cs.c.id, cs.c.text, cs.c.language)
                            .where(cs.c.tagger_version.is_(None) | (cs.c.tagger_version != version))
                            .order_by(cs.c.id)).all()
    for start in range(0, len(todo), chunk):
        part = todo[start:start + chunk]
        texts = [r.text for r in part]
        tags = tag_statements(texts, [r.language or "en" for r in part],
                              embed=lambda t: embed_cached(engine, heads_embedder(), t)[0], customer_voice=True)
        rows = [{"sid": r.id, "b_stage": g.stage if isinstance(g.stage, str) else None, "b_sent": g.sentiment,
                 "b_cls": g.cls} for r, g in zip(part, tags.itertuples())]
        stmt = update(cs).where(cs.c.id == bindparam("sid")).values(
            stage=bindparam("b_stage"), sentiment=bindparam("b_sent"), cls=bindparam("b_cls"),
            tagger_version=version, matched_model=None, own_theme=None)
        with engine.begin() as conn:
            conn.execute(stmt, rows)
        progress("tagging customer feedback", start + len(part), len(todo))
    return len(todo)


# --------------------------------------------------------------------------- matching

def _staff_centroids(engine: Engine, embedder):
    """The current staff customer themes as ``(model_row, theme_ids, centroids, own, other)``, or None.

    Centroids are the mean (unit) embedding of each theme's statements with ``embedder`` (the cache holds
    them after the analysis); ``own`` and ``other`` are the staff statements' similarities to their own
    theme's centroid and to the others', for the cut-off (see :class:`MatchRule`).
    """
    t, a = db.text_units, db.theme_assignments
    with engine.connect() as conn:
        model = current_model(conn, "customers")
        if model is None:
            return None
        staff = fetch_frame(conn, select(a.c.theme_id, t.c.text).join(t, t.c.id == a.c.unit_id)
                            .where(a.c.model_row == model.id, a.c.theme_id >= 0))
    if staff.empty:
        return None
    emb, _ = embed_cached(engine, embedder, staff["text"].tolist())
    topics = staff["theme_id"].to_numpy(dtype=np.int64)
    ids, cents = centroids_for(emb, topics)
    sims = (emb / np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)) @ cents.T
    mine = np.zeros(sims.shape, dtype=bool)
    mine[np.arange(len(sims)), np.searchsorted(ids, topics)] = True
    return int(model.id), ids, cents, sims[mine], sims[~mine]


def _match_statements(engine: Engine, embedder, rule: MatchRule = MatchRule()) -> tuple[int, float | None]:
    """Match the customer statements to the current staff themes when any is new or was matched against
    another model: all of them, since the cut-off is chosen on all (their vectors are cached), but those
    that say nothing ("Добрий день, [NAME]!", "Thank you for your feedback": boilerplate) or are a company's reply
    to a customer, which match no theme. Returns (how many were new, the cut-off or None)."""
    cs = db.customer_statements
    with engine.connect() as conn:
        model = current_model(conn, "customers")
        model_row = NO_MODEL if model is None else int(model.id)
        new = conn.execute(select(cs.c.id).where((cs.c.matched_model.is_(None)) | (cs.c.matched_model != model_row))
                           .limit(1)).first()
        todo = conn.execute(_with_comment(select(cs.c.id, cs.c.text))).all() if new else []
    if not todo:
        return 0, None
    pending = _count_pending(engine, model_row)
    staff = _staff_centroids(engine, embedder)
    cut = None
    if staff is None:
        themes, sims, model_row = np.full(len(todo), -1), np.zeros(len(todo)), NO_MODEL
    else:
        emb, _ = embed_cached(engine, embedder, [r.text for r in todo])
        best, sims = nearest(emb, staff[2])
        said = _says_something(todo)
        cut = rule.threshold(sims[said], staff[3], staff[4]) if said.any() else None
        themes = np.where(said & (sims >= (np.inf if cut is None else cut)), staff[1][best], -1)
    rows = [{"sid": r.id, "theme": int(th), "sim": float(s)} for r, th, s in zip(todo, themes, sims)]
    stmt = update(cs).where(cs.c.id == bindparam("sid")).values(
        matched_model=model_row, staff_theme=bindparam("theme"), similarity=bindparam("sim"), own_theme=None)
    with engine.begin() as conn:
        conn.execute(stmt, rows)
    return pending, cut


def _with_comment(query):
    """``query`` of customer statements with each one's whole comment (``comment``)."""
    cs, cc = db.customer_statements, db.customer_comments
    return query.add_columns(cc.c.text.label("comment")).join_from(cs, cc, cs.c.comment_id == cc.c.id)


def _says_something(rows) -> np.ndarray:
    """For each statement (rows with ``text`` and its ``comment``): whether it is the customer's voice and says
    something: not boilerplate ("Добрий день, [NAME]!") and not in a company's reply to a customer (a review
    export with the brand's answers: "Дякуємо за відгук! Холодильники X добре зарекомендували себе")."""
    replies: dict[str, bool] = {}
    return np.array([not is_boilerplate(r.text)
                     and not replies.setdefault(r.comment, is_company_reply(r.comment)) for r in rows], dtype=bool)


def _count_pending(engine: Engine, model_row: int) -> int:
    cs = db.customer_statements
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(cs).where(
            (cs.c.matched_model.is_(None)) | (cs.c.matched_model != model_row))).scalar_one())


# --------------------------------------------------------------------------- own themes

def _pending_own(engine: Engine) -> bool:
    cs = db.customer_statements
    with engine.connect() as conn:
        return conn.execute(select(cs.c.id).where(cs.c.staff_theme == -1, cs.c.own_theme.is_(None))
                            .limit(1)).first() is not None


def _fit_own_themes(engine: Engine, settings: Settings, embedder, steps: dict, rule: MatchRule = MatchRule()) -> int:
    """Theme the customer statements that match no staff theme and say something (the same fitting, the
    same injected steps as the staff themes; boilerplate stays out of every theme). Returns the number of
    own themes (0 when too few statements)."""
    cs = db.customer_statements
    with engine.connect() as conn:
        found = fetch_frame(conn, _with_comment(select(cs.c.id, cs.c.text, cs.c.language, cs.c.sentiment))
                            .where(cs.c.staff_theme == -1).order_by(cs.c.id))
    said = _says_something(found.itertuples())
    todo = found[said]
    config = ThemeConfig(seed=settings.seed, min_units=rule.min_own, label_skip=customer_words())
    topics, themes = np.full(len(found), -1), pd.DataFrame(columns=["theme_id", "label", "keywords", "size"])
    if len(todo) >= rule.min_own:
        emb, _ = embed_cached(engine, embedder, todo["text"].tolist())
        try:
            result = fit_themes(todo["text"].tolist(), emb, todo["language"].tolist(), config,
                                polarity=todo["sentiment"].fillna("neutral").tolist(), **steps)
            topics[said], themes = result.topics, result.themes
        except TooFewUnitsError:
            pass
    _store_own(engine, found["id"].tolist(), topics, themes)
    return int(len(themes))


def _store_own(engine: Engine, ids: list[int], topics, themes: pd.DataFrame) -> None:
    cs, own = db.customer_statements, db.customer_own_themes
    rows = [{"sid": int(i), "own": int(t)} for i, t in zip(ids, topics)]
    with engine.begin() as conn:
        conn.execute(own.delete())
        if len(themes):
            conn.execute(insert(own), [{"theme_id": int(r.theme_id), "label": str(r.label)[:300],
                                        "keywords_json": json.dumps(list(r.keywords), ensure_ascii=False),
                                        "size": int(r.size)} for r in themes.itertuples()])
        if rows:
            conn.execute(update(cs).where(cs.c.id == bindparam("sid")).values(own_theme=bindparam("own")), rows)
