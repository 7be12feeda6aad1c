"""The analysis run over the database: annotate text, embed it, fit or extend themes.

:func:`analyze` is what ``python -m eevp analyze`` and the app's "Update themes" button run:

1. fill ``language``, ``is_boilerplate`` and ``sentiment`` of text units that lack them;
2. embed the units with content (cached in ``embeddings``: no text is embedded twice);
3. with no current model (or ``refit=True``, or a different embedder): fit themes, save the model
   under ``settings.models_dir``, write themes and assignments, retire the older model;
   otherwise assign only the units the current model has not seen (existing units keep their
   themes) and gather units that fit no theme into *candidate* themes (clustered anew once their
   pool has doubled; in between, new units join the nearest candidate or form new ones);
4. re-apply labels people edited (``theme_labels``) to the themes whose keywords overlap most.

Read helpers (:func:`theme_table`, :func:`unit_themes`, :func:`search_units`) return unit ids and
aggregates, never text; segment-level anonymity is the caller's job (``eevp.analytics.anonymity``).
Only portable SQLAlchemy Core is used.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import and_, bindparam, delete, func, insert, select, update
from sqlalchemy.engine import Engine

from eevp.errors import InputError, NotFoundError, TooFewUnitsError
from eevp.hashing import text_hash
from eevp.settings import Settings
from eevp.store import db
from eevp.store.auth import User, require
from eevp.store.queries import current_model, fetch_frame
from eevp.text.language import detect_languages, name_language
from eevp.text.lens import customer_words
from eevp.text.sentiment_model import predict_sentiment
from eevp.text.textprep import BOILERPLATE_VERSION, is_boilerplate, word_count
from eevp.themes.embeddings import embed_cached, embed_claimed, get_embedder, heads_embedder
from eevp.themes.groups import group_themes
from eevp.themes.layout import LayoutCache
from eevp.themes.model import (
    ThemeConfig,
    assign_new,
    candidate_themes,
    centroids_for,
    fit_themes,
    load_model,
    nearest,
    params_for_size,
    save_model,
)
from eevp.themes.read import CHUNK, check_scope, scoped
from eevp.themes.succession import move_theme_actions

__all__ = ["analyze", "annotate", "embed_all", "jaccard", "remark_boilerplate", "rename_theme"]

Progress = Callable[[str, int, int], None]

#: Keyword overlap from which an edited label is carried over to a refitted theme.
LABEL_JACCARD = 0.5


def _noop(step: str, done: int, total: int) -> None:
    pass


def jaccard(a, b) -> float:
    """Overlap of two keyword lists: |A ∩ B| / |A ∪ B| (0 when both are empty)."""
    a, b = set(a), set(b)
    return len(a & b) / len(a | b) if a | b else 0.0


# --------------------------------------------------------------------------- annotations


def _fill_column(engine: Engine, column: str, compute, progress: Progress, step: str) -> int:
    """Set ``column`` for every text unit where it is NULL; ``compute(texts) -> values``."""
    t = db.text_units
    with engine.connect() as conn:
        todo = conn.execute(select(t.c.id, t.c.text).where(t.c[column].is_(None)).order_by(t.c.id)).all()
    stmt = update(t).where(t.c.id == bindparam("uid")).values({column: bindparam("value")})
    for start in range(0, len(todo), CHUNK):
        part = todo[start:start + CHUNK]
        values = compute([r.text for r in part])
        with engine.begin() as conn:
            conn.execute(stmt, [{"uid": r.id, "value": v} for r, v in zip(part, values)])
        progress(step, start + len(part), len(todo))
    return len(todo)


def _detect(texts: list[str]) -> list[str]:
    """Each text's language as ingest stores it: "en", "ru", "uk", another code ("fr") or "other"."""
    return [name_language(t) for t in texts]


def _sentiment(engine: Engine, texts: list[str]) -> list[str]:
    """The learned sentiment head on the texts' cached vectors of the heads' embedder (embedded here
    when missing; the theme fit finds them in the cache when it uses the same embedder)."""
    out = ["neutral"] * len(texts)  # "n/a", "-": boilerplate is neither, and is not embedded
    rows = [i for i, t in enumerate(texts) if not is_boilerplate(t)]
    if rows:
        part = [texts[i] for i in rows]
        vectors, _ = embed_cached(engine, heads_embedder(), part)
        for i, label in zip(rows, predict_sentiment(part, detect_languages(part), embeddings=vectors)):
            out[i] = label
    return out


def annotate(engine: Engine, *, actor: User, progress: Progress | None = None) -> dict:
    """Fill ``language``, ``is_boilerplate`` and ``sentiment`` where missing (and ``is_boilerplate``
    anew everywhere when the boilerplate lists changed: :func:`remark_boilerplate`). Returns counts
    filled.

    ``actor``'s role must allow the analysis (AccessDenied otherwise)."""
    require(actor, "analyze")
    progress = progress or _noop
    remark_boilerplate(engine, actor=actor)
    return {
        "language": _fill_column(engine, "language", _detect, progress, "detecting languages"),
        "is_boilerplate": _fill_column(engine, "is_boilerplate", lambda ts: [is_boilerplate(x) for x in ts],
                                       progress, "marking empty comments"),
        "sentiment": _fill_column(engine, "sentiment", lambda ts: _sentiment(engine, ts), progress, "sentiment"),
    }


def remark_boilerplate(engine: Engine, *, actor: User) -> int:
    """Mark boilerplate again when the lists in ``resources/boilerplate`` changed since the units were
    marked (``annotation_versions``; a database from before it has no version stored): "no cons"
    answers and spreadsheet errors were themes until the lists knew them. A unit that becomes
    boilerplate leaves its themes (sizes are recounted by the analysis); one that stops being
    boilerplate is analysed as new. Returns the number of units whose mark changed."""
    require(actor, "analyze")
    t, v = db.text_units, db.annotation_versions
    with engine.connect() as conn:
        if conn.execute(select(v.c.version).where(v.c.name == "boilerplate")).scalar() == BOILERPLATE_VERSION:
            return 0
        rows = conn.execute(select(t.c.id, t.c.text, t.c.is_boilerplate)
                            .where(t.c.is_boilerplate.is_not(None))).all()
    changed = [{"uid": r.id, "value": now} for r in rows
               if (now := is_boilerplate(r.text)) != bool(r.is_boilerplate)]
    gone = [c["uid"] for c in changed if c["value"]]
    a = db.theme_assignments
    with engine.begin() as conn:
        for start in range(0, len(changed), CHUNK):
            conn.execute(update(t).where(t.c.id == bindparam("uid")).values(is_boilerplate=bindparam("value")),
                         changed[start:start + CHUNK])
        for start in range(0, len(gone), CHUNK):
            conn.execute(delete(a).where(a.c.unit_id.in_(gone[start:start + CHUNK])))
        conn.execute(delete(v).where(v.c.name == "boilerplate"))
        conn.execute(insert(v).values(name="boilerplate", version=BOILERPLATE_VERSION))
    return len(changed)


# --------------------------------------------------------------------------- units and models


def _scope_units(engine: Engine, scope: str) -> pd.DataFrame:
    t = db.text_units
    q = scoped(select(t.c.id, t.c.batch_id, t.c.text, t.c.language, t.c.is_boilerplate, t.c.sentiment),
               scope).order_by(t.c.id)
    with engine.connect() as conn:
        df = fetch_frame(conn, q)
    df.columns = ["unit_id", "batch_id", "text", "language", "is_boilerplate", "sentiment"]
    return df


def _usable(model_row, embedder) -> bool:
    return (model_row is not None and not model_row.stale and model_row.model_id == embedder.model_id
            and model_row.path is not None and Path(model_row.path).is_dir())


def _embed(engine: Engine, embedder, texts: list[str], progress: Progress) -> tuple[np.ndarray, int]:
    if not texts:
        return np.zeros((0, 0), dtype=np.float32), 0
    return embed_cached(engine, embedder, texts, progress=lambda d, n: progress("embedding", d, n))


def _kept_units(units: pd.DataFrame, config) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """The units themes are built from (not boilerplate, at least ``config.min_words`` words), and
    the masks of those left out: ``(kept, boilerplate, too_short)``."""
    boiler = units["is_boilerplate"].fillna(False).astype(bool)
    if config.min_words <= 1 and units["is_boilerplate"].notna().all():
        # Every text with a letter has a word, and one without is boilerplate: nothing to count.
        short = pd.Series(False, index=units.index)
    else:
        short = ~boiler & (units["text"].map(word_count) < config.min_words)
    return units[~boiler & ~short].reset_index(drop=True), boiler, short


def embed_all(engine: Engine, settings: Settings, *, actor: User, embedder=None,
              progress: Progress | None = None, worker: str | None = None) -> dict:
    """Fill the embedding cache for every text unit with content; nothing else.

    What ``analyze`` would embed, done on its own: on a machine with a GPU (a sentence-transformers
    model with ``device="cuda"``) for a very large corpus, against the same database; ``analyze``
    then finds every vector in the cache. Several workers (processes or machines) against one
    database split the texts without overlap (:func:`eevp.themes.embeddings.embed_claimed`).

    Args:
        worker: this worker's name in the claims (default: host name and process id).

    Returns:
        ``{"units", "embedded_new", "embedded_here", "worker", "model_id", "seconds"}``:
        ``embedded_new`` counts the vectors new in the cache (every worker's), ``embedded_here``
        the texts this worker embedded.
    """

    require(actor, "refit")
    start = time.perf_counter()
    progress = progress or _noop
    worker = worker or f"{socket.gethostname()}:{os.getpid()}"
    if embedder is None:
        embedder = get_embedder(settings.embedder, models_dir=settings.models_dir)
    before = _cached_count(engine, embedder.model_id)
    # boilerplate flags (and languages, sentiment) first, as analyze does; the sentiment head's
    # vectors count as new here when they are this embedder's
    annotate(engine, actor=actor, progress=progress)
    kept, _, _ = _kept_units(_scope_units(engine, "all"), ThemeConfig())
    here = embed_claimed(engine, embedder, kept["text"].tolist(), worker=worker,
                         progress=lambda d, n: progress("embedding", d, n))
    n_new = _cached_count(engine, embedder.model_id) - before
    return {"units": int(len(kept)), "embedded_new": int(n_new), "embedded_here": int(here), "worker": worker,
            "model_id": embedder.model_id, "seconds": round(time.perf_counter() - start, 3)}


def _cached_count(engine: Engine, model_id: str) -> int:
    e = db.embeddings
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(e).where(e.c.model_id == model_id)).scalar())


# --------------------------------------------------------------------------- analyze


def analyze(engine: Engine, settings: Settings, *, actor: User, refit: bool = False, embedder=None,
            progress: Progress | None = None, scope: str = "all", config=None, steps: dict | None = None,
            candidate_steps: dict | None = None) -> dict:
    """Annotate, embed and build or extend the themes of one scope.

    Args:
        engine: the database.
        settings: where models are saved (``settings.models_dir``), which embedder, the seed.
        refit: fit the themes anew even when a current model exists.
        embedder: any ``eevp.themes.embeddings.Embedder``; None = ``get_embedder(settings.embedder)``.
        progress: ``progress(step, done, total)`` for the CLI progress line and the app.
        scope: "all" (every text unit) or "customers" (statements tagged about customers).
        config: ``eevp.themes.model.ThemeConfig`` (default: seed from settings).
        steps: injected ``reducer`` / ``clusterer`` / ``vectorizer`` for the fit.
        candidate_steps: the same for clustering candidate themes.

    Returns:
        ``{"units", "embedded_new", "themes", "outlier_share", "seconds"}`` plus ``candidates``,
        ``assigned_new``, ``refitted``, ``excluded`` ({"boilerplate", "too_short"}) and ``model_row``.

    Raises:
        TooFewUnitsError: a fit is needed and there are too few units with content.
        AccessDenied: ``actor``'s role may not run the analysis (or, with ``refit``, refit).
    """

    require(actor, "refit" if refit else "analyze")
    check_scope(scope)
    start = time.perf_counter()
    progress = progress or _noop
    if config is None:
        config = ThemeConfig(seed=settings.seed)
        if scope == "customers":  # every customer theme is about customers: the word says nothing there
            config = replace(config, label_skip=customer_words())
    if embedder is None:
        embedder = get_embedder(settings.embedder, models_dir=settings.models_dir)
    annotate(engine, actor=actor, progress=progress)
    units = _scope_units(engine, scope)
    kept, boiler, short = _kept_units(units, config)
    with engine.connect() as conn:
        current = current_model(conn, scope)
    if refit or not _usable(current, embedder):
        out = _fit(engine, settings, kept, embedder, config, scope, steps or {}, progress,
                   candidate_steps=candidate_steps or {})
        if current is not None:  # actions on the replaced themes move to their successors
            out["actions"] = move_theme_actions(engine, int(current.id), out["model_row"], scope, actor=actor)
    else:
        out = _extend(engine, current, kept, embedder, config, steps=candidate_steps or {}, progress=progress)
    _apply_labels(engine, out["model_row"], scope)
    out.update(units=len(units), excluded={"boilerplate": int(boiler.sum()), "too_short": int(short.sum())},
               seconds=round(time.perf_counter() - start, 3))
    return out


def _fit(engine, settings, kept: pd.DataFrame, embedder, config, scope, steps, progress, *,
         candidate_steps: dict | None = None) -> dict:
    """Fit, save and store a new model; its outliers are clustered into candidate themes at once
    (what the next incremental run would do first; here the models and the JIT are already warm)."""

    if scope == "customers" and len(kept) < config.min_units:  # say which themes: the others may exist
        raise TooFewUnitsError(
            f"Customer themes need at least {config.min_units} statements about customers; there are {len(kept)}. "
            f"They appear once more of what staff write is about customers.")
    params_for_size(len(kept), config)  # fail early, before embedding, when there is too little text
    texts = kept["text"].tolist()
    emb, n_new = _embed(engine, embedder, texts, progress)
    result = fit_themes(texts, emb, kept["language"].tolist(), config, progress=progress,
                        polarity=kept["sentiment"].tolist(), layouts=LayoutCache(settings.models_dir / "layouts"),
                        **steps)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = save_model(result, Path(settings.models_dir) / f"{scope}-{stamp}")
    progress("saving themes", 0, 1)
    m = db.theme_models
    sizes = result.themes.set_index("theme_id")["size"].reindex(result.theme_ids).fillna(0).tolist()
    meta = {"params": result.params, "config": asdict(result.config), "threshold": result.threshold,
            "groups": group_themes(result.theme_ids, result.centroids, sizes)}
    with engine.begin() as conn:
        conn.execute(update(m).where(m.c.scope == scope).values(is_current=False))
        row = conn.execute(insert(m).values(
            scope=scope, model_id=embedder.model_id, path=str(path), created_at=db.now(), n_units=len(kept),
            outlier_share=result.outlier_share, params_json=json.dumps(meta), is_current=True, stale=False)
        ).inserted_primary_key[0]
        _insert_themes(conn, row, result.themes, candidate=False)
        _insert_assignments(conn, row, kept["unit_id"].tolist(), kept["batch_id"].tolist(), result.topics)
    progress("saving themes", 1, 1)
    with engine.connect() as conn:
        current = current_model(conn, scope)
    seen = dict(zip(kept["unit_id"].tolist(), result.topics.tolist()))
    n_candidates = _rebuild_candidates(engine, current, kept, seen, set(), result, embedder, config,
                                       candidate_steps or {}, progress)
    share = _refresh_sizes(engine, int(row)) if n_candidates else result.outlier_share
    return {"embedded_new": n_new, "themes": len(result.themes), "outlier_share": share,
            "candidates": n_candidates, "assigned_new": len(kept), "refitted": True, "model_row": int(row)}


def _insert_assignments(conn, model_row: int, unit_ids, batch_ids, topics) -> None:
    rows = [{"model_row": model_row, "unit_id": int(u), "batch_id": int(b), "theme_id": int(t)}
            for u, b, t in zip(unit_ids, batch_ids, topics)]
    for start in range(0, len(rows), CHUNK):
        conn.execute(insert(db.theme_assignments), rows[start:start + CHUNK])


def _extend(engine, current, kept: pd.DataFrame, embedder, config, *, steps, progress) -> dict:
    """Assign units the current model has not seen; rebuild candidate themes from the outliers."""

    a, th = db.theme_assignments, db.themes
    model_row = int(current.id)
    with engine.connect() as conn:
        seen = dict(conn.execute(select(a.c.unit_id, a.c.theme_id).where(a.c.model_row == model_row)).all())
        candidate_ids = {r[0] for r in conn.execute(select(th.c.theme_id).where(
            and_(th.c.model_row == model_row, th.c.is_candidate.is_(True)))).all()}
    new = kept[~kept["unit_id"].isin(seen)].reset_index(drop=True)
    loaded = load_model(current.path, with_model=False)
    emb_new, n_new = _embed(engine, embedder, new["text"].tolist(), progress)
    if len(new):
        progress("assigning themes", 0, len(new))
        topics, _ = assign_new(loaded, emb_new)
        with engine.begin() as conn:
            _insert_assignments(conn, model_row, new["unit_id"], new["batch_id"], topics)
            seen.update(zip(new["unit_id"].tolist(), topics.tolist()))
        progress("assigning themes", len(new), len(new))
    n_candidates = _rebuild_candidates(engine, current, kept, seen, candidate_ids, loaded, embedder, config,
                                       steps, progress)
    share = _refresh_sizes(engine, model_row)
    with engine.connect() as conn:
        n_themes = conn.execute(select(func.count()).select_from(th).where(
            and_(th.c.model_row == model_row, th.c.is_candidate.is_(False)))).scalar()
    return {"embedded_new": n_new, "themes": int(n_themes), "outlier_share": share, "candidates": n_candidates,
            "assigned_new": len(new), "refitted": False, "model_row": model_row}


def _pool_key(unit_ids, embedder, config) -> str:
    """What candidate themes are a function of: the pool's units, the embedder and the settings."""

    ids = ",".join(str(int(u)) for u in sorted(unit_ids))
    return text_hash(f"{embedder.model_id}|{json.dumps(asdict(config), sort_keys=True, default=str)}|{ids}")


#: Candidate themes are re-clustered from their whole pool (the units at −1 or in a candidate
#: theme) once the pool has grown by this share since they were last clustered (1.0: doubled).
#: In between, new units that fit no established theme join the nearest candidate, and those left
#: over are clustered on their own when enough have gathered: a batch costs a fraction of the pool.
CANDIDATE_REBUILD_GROWTH = 1.0


def _rebuild_candidates(engine, current, kept, seen, candidate_ids, loaded, embedder, config, steps,
                        progress) -> int:
    """Keep candidate themes up to date with the units outside established themes.

    Candidates are provisional: units in established themes never move, candidate members may.
    When the pool is the one the candidates were last updated for (a re-run with no new text),
    nothing is done. When it has grown by ``CANDIDATE_REBUILD_GROWTH`` or more since the
    candidates were clustered (or was never clustered), the whole pool is re-clustered. Otherwise
    the candidates are grown (:func:`_grow_candidates`). Returns the number of candidate themes.
    """

    th, m = db.themes, db.theme_models
    model_row = int(current.id)
    pool = kept[kept["unit_id"].map(lambda u: seen.get(u, -1) < 0 or seen.get(u) in candidate_ids)]
    minimum = max(config.min_units, 2 * int(loaded.params.get("min_cluster_size", 5)))
    if len(pool) < minimum and not candidate_ids:
        return 0
    meta = json.loads(current.params_json or "{}")
    key = None if steps else _pool_key(pool["unit_id"], embedder, config)
    if key is not None and meta.get("candidate_pool") == key:
        return len(candidate_ids)
    last = meta.get("candidate_pool_size")
    if candidate_ids and last and len(pool) < last * (1 + CANDIDATE_REBUILD_GROWTH):
        return _grow_candidates(engine, current, pool, seen, candidate_ids, loaded, embedder, config, steps,
                                minimum, meta, key, progress)
    progress("candidate themes", 0, 1)
    cand = None
    if len(pool) >= minimum:
        emb, _ = _embed(engine, embedder, pool["text"].tolist(), _noop)
        first = int(max(loaded.theme_ids.max(initial=-1), max(candidate_ids, default=-1))) + 1
        cand = candidate_themes(pool["text"].tolist(), emb, pool["language"].tolist(), config, existing=loaded,
                                first_id=first, min_units=minimum, **steps)
    topics = cand.topics if cand is not None else np.full(len(pool), -1)
    with engine.begin() as conn:
        conn.execute(delete(th).where(and_(th.c.model_row == model_row, th.c.is_candidate.is_(True))))
        _move_units(conn, model_row, pool["unit_id"], topics)
        if cand is not None:
            _insert_themes(conn, model_row, cand.themes, candidate=True)
        meta.update(candidate_pool=key, candidate_pool_size=len(pool), candidate_left=int((topics < 0).sum()))
        conn.execute(update(m).where(m.c.id == model_row).values(params_json=json.dumps(meta)))
    progress("candidate themes", 1, 1)
    return 0 if cand is None else len(cand.themes)


def _grow_candidates(engine, current, pool, seen, candidate_ids, loaded, embedder, config, steps, minimum,
                     meta, key, progress) -> int:
    """Between re-clusterings: existing candidates keep their members and ids.

    Units of the pool at −1 join the nearest candidate when as close as the model's own
    assignment threshold; when at least ``minimum`` more are left over than after the last
    clustering, the left-over units are clustered on their own into further candidates (one close
    to an existing theme or candidate joins it).
    """

    model_row = int(current.id)
    progress("candidate themes", 0, 1)
    before = np.array([seen.get(u, -1) for u in pool["unit_id"].tolist()], dtype=np.int64)
    topics = before.copy()
    emb, _ = _embed(engine, embedder, pool["text"].tolist(), _noop)
    cand_ids, cents = centroids_for(emb[topics >= 0], topics[topics >= 0])
    loose = np.flatnonzero(topics < 0)
    if len(loose) and len(cand_ids):
        best, sims = nearest(emb[loose], cents)
        topics[loose] = np.where(sims >= loaded.threshold, cand_ids[best], -1)
    left = np.flatnonzero(topics < 0)
    new = None
    if len(left) >= minimum and len(left) - int(meta.get("candidate_left", 0)) >= minimum:
        known = replace(loaded, centroids=np.vstack([loaded.centroids, cents]),
                        theme_ids=np.concatenate([loaded.theme_ids, cand_ids]))
        first = int(max(loaded.theme_ids.max(initial=-1), max(candidate_ids, default=-1))) + 1
        rest = pool.iloc[left]
        new = candidate_themes(rest["text"].tolist(), emb[left], rest["language"].tolist(), config, existing=known,
                               first_id=first, min_units=minimum, **steps)
        topics[left] = new.topics
    moved = topics != before
    with engine.begin() as conn:
        _move_units(conn, model_row, pool["unit_id"].to_numpy()[moved], topics[moved])
        if new is not None:
            _insert_themes(conn, model_row, new.themes, candidate=True)
        meta.update(candidate_pool=key, candidate_left=int((topics < 0).sum()))
        conn.execute(update(db.theme_models).where(db.theme_models.c.id == model_row)
                     .values(params_json=json.dumps(meta)))
    progress("candidate themes", 1, 1)
    return len(candidate_ids) + (0 if new is None else len(new.themes))


def _move_units(conn, model_row: int, unit_ids, topics) -> None:
    """Set the theme of these units in one model (candidate membership changes)."""
    a = db.theme_assignments
    stmt = update(a).where(and_(a.c.model_row == model_row, a.c.unit_id == bindparam("uid"))).values(
        theme_id=bindparam("tid"))
    rows = [{"uid": int(u), "tid": int(t)} for u, t in zip(unit_ids, topics)]
    for start in range(0, len(rows), CHUNK):
        conn.execute(stmt, rows[start:start + CHUNK])


def _insert_themes(conn, model_row: int, themes: pd.DataFrame, *, candidate: bool) -> None:
    """Store the rows of a themes frame (theme_id, label, keywords, size, labels) for one model."""
    if len(themes):
        conn.execute(insert(db.themes), [
            {"model_row": model_row, "theme_id": int(r.theme_id), "label": r.label, "label_edited": False,
             "keywords_json": json.dumps(list(r.keywords), ensure_ascii=False), "size": int(r.size),
             "is_candidate": candidate, "labels_json": _labels_json(getattr(r, "labels", None))}
            for r in themes.itertuples()])


def _labels_json(labels) -> str | None:
    return json.dumps(labels, ensure_ascii=False) if isinstance(labels, dict) and labels else None


def _refresh_sizes(engine, model_row: int) -> float:
    """Recount theme sizes and the model's unit count and outlier share from the assignments."""
    a, th, m = db.theme_assignments, db.themes, db.theme_models
    with engine.begin() as conn:
        counts = dict(conn.execute(select(a.c.theme_id, func.count()).where(a.c.model_row == model_row)
                                   .group_by(a.c.theme_id)).all())
        sizes = [{"tid": t, "n": n} for t, n in counts.items() if t >= 0]
        if sizes:
            conn.execute(update(th).where(and_(th.c.model_row == model_row, th.c.theme_id == bindparam("tid")))
                         .values(size=bindparam("n")), sizes)
        total = sum(counts.values())
        share = counts.get(-1, 0) / total if total else 0.0
        conn.execute(update(m).where(m.c.id == model_row).values(n_units=total, outlier_share=share))
    return float(share)


# --------------------------------------------------------------------------- labels


def _apply_labels(engine: Engine, model_row: int, scope: str) -> int:
    """Give each theme the edited label whose keywords overlap its own most (Jaccard ≥ 0.5)."""
    th, tl = db.themes, db.theme_labels
    with engine.connect() as conn:
        labels = conn.execute(select(tl.c.keywords_json, tl.c.label).where(tl.c.scope == scope)
                              .order_by(tl.c.edited_at, tl.c.id)).all()
        rows = conn.execute(select(th.c.theme_id, th.c.keywords_json, th.c.label)
                            .where(th.c.model_row == model_row)).all()
    changes = []
    for r in rows:
        words = json.loads(r.keywords_json or "[]")
        best, score = None, LABEL_JACCARD
        for lab in labels:  # later edits win ties
            j = jaccard(words, json.loads(lab.keywords_json))
            if j >= score:
                best, score = lab.label, j
        if best is not None and best != r.label:
            changes.append({"tid": r.theme_id, "label": best})
    if changes:
        with engine.begin() as conn:
            conn.execute(update(th).where(and_(th.c.model_row == model_row, th.c.theme_id == bindparam("tid")))
                         .values(label=bindparam("label"), label_edited=True), changes)
    return len(changes)


def rename_theme(engine: Engine, model_row: int, theme_id: int, label: str, *, actor: User) -> None:
    """Rename a theme; the label is remembered and re-applied to matching themes after refits.

    Raises:
        AccessDenied: ``actor``'s role may not rename themes.
        InputError: the label is empty.
        NotFoundError: no such theme.
    """
    require(actor, "rename_themes")
    label = (label or "").strip()
    if not label:
        raise InputError("A theme label cannot be empty.")
    th, tl, m = db.themes, db.theme_labels, db.theme_models
    with engine.begin() as conn:
        row = conn.execute(select(th.c.keywords_json, m.c.scope).join(m, m.c.id == th.c.model_row).where(
            and_(th.c.model_row == model_row, th.c.theme_id == theme_id))).first()
        if row is None:
            raise NotFoundError(f"Theme {theme_id} of model {model_row} does not exist (refresh the page).")
        conn.execute(update(th).where(and_(th.c.model_row == model_row, th.c.theme_id == theme_id))
                     .values(label=label[:300], label_edited=True))
        same = and_(tl.c.scope == row.scope, tl.c.keywords_json == row.keywords_json)
        if conn.execute(select(tl.c.id).where(same)).first():
            conn.execute(update(tl).where(same).values(label=label[:300], edited_at=db.now()))
        else:
            conn.execute(insert(tl).values(scope=row.scope, keywords_json=row.keywords_json or "[]",
                                           label=label[:300], edited_at=db.now()))


# --------------------------------------------------------------------------- read helpers


