"""Reading the themes: the current theme table of a scope, units with their themes, and search.

The write side (fitting, assigning, labelling) is :mod:`eevp.themes.run`.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Engine

from eevp.errors import InputError
from eevp.store import db
from eevp.store.auth import User, require
from eevp.store.queries import current_model, fetch_frame, rows_frame
from eevp.text.lens import customer_words
from eevp.themes.groups import group_label
from eevp.themes.labels import distinct_labels as unique_labels

__all__ = ["CANDIDATE_MARK", "SCOPES", "distinct_labels", "label_in", "search_units", "theme_table", "unit_themes"]

SCOPES = ("all", "customers")
CHUNK = 2000
THEME_COLUMNS = ["model_row", "theme_id", "label", "label_edited", "keywords", "size", "share", "by_source",
                 "sentiment", "is_candidate", "group", "group_label"]
UNIT_COLUMNS = ["unit_id", "theme_id", "kind", "record_id", "respondent_key", "question", "role", "department",
                "location", "tenure", "wave", "date", "language", "sentiment", "batch_id"]


#: Put before a candidate theme's label: a theme still forming from text that fits no established theme.
CANDIDATE_MARK = "◇ "


def distinct_labels(labels, keywords=None, candidate=None, skip=()) -> list[str]:
    """Theme labels as charts and tables show them: one label per theme, never two alike.

    Charts key their bars and cells on the label, so two themes labelled alike ("Days late" twice) would
    draw as one. A label that more than one theme has gets the theme's first keyword that is not in it
    ("Days late · refund"), then a number where that is not enough; candidate themes get
    :data:`CANDIDATE_MARK`.

    Args:
        labels: the stored labels, one per theme, largest theme first (the first keeps the plain label
            when keywords cannot tell two apart).
        keywords: each theme's keywords (lists), or None.
        candidate: each theme's ``is_candidate`` flag, or None.
        skip: words a suffix must not hold (the customer words, in customer themes).
    """
    labels = [str(x) for x in labels]
    skip = {w.casefold() for w in skip}
    keywords = [[w for w in (ws or []) if not skip & set(str(w).casefold().split())]
                for ws in (list(keywords) if keywords is not None else [[] for _ in labels])]
    marks = [CANDIDATE_MARK if c else "" for c in (candidate if candidate is not None else [False] * len(labels))]
    out = unique_labels(labels, keywords)
    return [m + x for m, x in zip(marks, out)]


def check_scope(scope: str) -> None:
    if scope not in SCOPES:
        raise InputError(f"Unknown theme scope {scope!r}; use one of: {', '.join(SCOPES)}.")


def scoped(query, scope: str):
    """Restrict a query over ``text_units`` to the scope (customer statements for "customers")."""
    if scope == "customers":
        s = db.statement_tags
        return query.join(s, s.c.unit_id == db.text_units.c.id).where(s.c.about_customers.is_(True))
    return query


def label_in(row, language: str | None) -> str:
    """A theme's label for a reader of ``language``: the label a user gave it (in every language), else
    its label in that language when its statements use it, else its main language's label."""
    if language and not row.label_edited:
        return json.loads(row.labels_json or "{}").get(language) or row.label
    return row.label


def theme_table(engine: Engine, scope: str = "all", kinds=None, language: str | None = None) -> pd.DataFrame:
    """Themes of the current model with sizes, share, source mix and sentiment mix.

    Args:
        engine: the database.
        scope: "all" or "customers".
        kinds: only count units of these source kinds ("survey", "exit", "focus").
        language: the reader's interface language ("en", "ru", "uk"): labels in it where the theme has
            one (:func:`label_in`); None = each theme's main language.

    Returns:
        DataFrame(model_row, theme_id, label, label_edited, keywords (list), size, share (of the
        scope's analysed units), by_source ({kind: share of the theme}), sentiment ({label: units}),
        is_candidate, group (a number, NA when the fit was not grouped or for candidate themes),
        group_label), largest first; empty when there are no themes.
    """
    check_scope(scope)
    th, a, t = db.themes, db.theme_assignments, db.text_units
    with engine.connect() as conn:
        current = current_model(conn, scope)
        if current is None:
            return pd.DataFrame(columns=THEME_COLUMNS)
        themes = conn.execute(select(th).where(th.c.model_row == current.id)).all()
        q = (select(a.c.theme_id, t.c.kind, t.c.sentiment, func.count().label("n"))
             .join(t, t.c.id == a.c.unit_id).where(a.c.model_row == current.id))
        if kinds:
            q = q.where(t.c.kind.in_(list(kinds)))
        counts = rows_frame(conn.execute(q.group_by(a.c.theme_id, t.c.kind, t.c.sentiment)).all(),
                            ["theme_id", "kind", "sentiment", "n"])
    total = int(counts["n"].sum())
    groups = {int(k): v for k, v in json.loads(current.params_json or "{}").get("groups", {}).items()}
    rows = []
    for r in themes:
        c = counts[counts["theme_id"] == r.theme_id]
        size = int(c["n"].sum())
        if size == 0:
            continue
        rows.append({"model_row": int(current.id), "theme_id": int(r.theme_id), "label": label_in(r, language),
                     "label_edited": bool(r.label_edited), "keywords": json.loads(r.keywords_json or "[]"),
                     "size": size, "share": size / total if total else 0.0,
                     "by_source": {k: n / size for k, n in c.groupby("kind")["n"].sum().items()},
                     "sentiment": {str(k): int(n) for k, n in c.fillna({"sentiment": "unknown"})
                                   .groupby("sentiment")["n"].sum().items()},
                     "is_candidate": bool(r.is_candidate), "group": groups.get(int(r.theme_id))})
    df = pd.DataFrame(rows, columns=THEME_COLUMNS)
    df["group"] = df["group"].astype("Int64")
    df = df.sort_values(["size", "theme_id"], ascending=[False, True]).reset_index(drop=True)
    df = df.assign(label=distinct_labels(df["label"], df["keywords"], df["is_candidate"],
                                         skip=customer_words() if scope == "customers" else ()))
    names = {g: group_label(part["label"].tolist(), part["size"].tolist()) for g, part in df.groupby("group")}
    return df.assign(group_label=df["group"].map(names))


def unit_themes(engine: Engine, scope: str = "all") -> pd.DataFrame:
    """One row per text unit with content: its theme in the current model (−1 = none) and metadata.

    No text is returned. Units not analysed yet have theme −1.
    """
    check_scope(scope)
    t, a = db.text_units, db.theme_assignments
    with engine.connect() as conn:
        current = current_model(conn, scope)
        model_row = current.id if current is not None else -1
        q = (select(t.c.id, a.c.theme_id, t.c.kind, t.c.record_id, t.c.respondent_key, t.c.question, t.c.role,
                    t.c.department, t.c.location, t.c.tenure, t.c.wave, t.c.date, t.c.language, t.c.sentiment,
                    t.c.batch_id)
             .outerjoin(a, and_(a.c.unit_id == t.c.id, a.c.model_row == model_row))
             .where(or_(t.c.is_boilerplate.is_(None), t.c.is_boilerplate.is_(False))))
        df = fetch_frame(conn, scoped(q, scope).order_by(t.c.id))
    df.columns = UNIT_COLUMNS
    df["theme_id"] = df["theme_id"].fillna(-1).astype(int)
    return df


def _like_words(query: str) -> list[str]:
    return [w for w in query.split() if w]


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_units(engine: Engine, query: str, embedder=None, limit: int = 50, scope: str = "all", *,
                 actor: User) -> pd.DataFrame:
    """Find text units by words (every word must occur, any case) or by meaning.

    Args:
        engine: the database.
        actor: who searches; the role must allow quotes (AccessDenied otherwise): hits are text.
        query: words, or a sentence for semantic search.
        embedder: None = keyword search (SQL LIKE); an embedder = cosine similarity against the
            cached embeddings of that embedder (units are embedded by :func:`analyze`).
        limit: the most hits returned.
        scope: "all" or "customers".

    Returns:
        DataFrame(unit_id, score), best first. Scores: occurrences of the words (keyword search) or
        cosine similarity (semantic search).

    Raises:
        InputError: an empty query.
    """
    require(actor, "view_quotes")
    check_scope(scope)
    query = (query or "").strip()
    if not query:
        raise InputError("Type a word or a sentence to search for.")
    if embedder is None:
        return _keyword_search(engine, query, limit, scope)
    return _semantic_search(engine, query, embedder, limit, scope)


def _keyword_search(engine: Engine, query: str, limit: int, scope: str) -> pd.DataFrame:
    t = db.text_units
    words = [w.casefold() for w in _like_words(query)]
    q = select(t.c.id, t.c.text).where(or_(t.c.is_boilerplate.is_(None), t.c.is_boilerplate.is_(False)))
    for w in words:
        # LIKE ignores case only for ASCII letters in SQLite: match the usual spellings, then check exactly.
        forms = {w, w.capitalize(), w.upper()}
        q = q.where(or_(*[t.c.text.like(f"%{_escape(f)}%", escape="\\") for f in forms]))
    with engine.connect() as conn:
        rows = conn.execute(scoped(q, scope).order_by(t.c.id)).all()
    hits = []
    for unit_id, text in rows:
        low = text.casefold()
        if all(w in low for w in words):
            hits.append((int(unit_id), float(sum(low.count(w) for w in words))))
    df = pd.DataFrame(hits, columns=["unit_id", "score"])
    return df.sort_values(["score", "unit_id"], ascending=[False, True]).head(limit).reset_index(drop=True)


def _semantic_search(engine: Engine, query: str, embedder, limit: int, scope: str) -> pd.DataFrame:
    t, e = db.text_units, db.embeddings
    qv = np.asarray(embedder.encode([query]), dtype=np.float32)[0]
    qv = qv / (np.linalg.norm(qv) or 1.0)
    q = (select(t.c.id, e.c.vector).join(e, and_(e.c.text_hash == t.c.text_hash, e.c.model_id == embedder.model_id))
         .where(or_(t.c.is_boilerplate.is_(None), t.c.is_boilerplate.is_(False))))
    ids, scores = [], []
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True).execute(scoped(q, scope).order_by(t.c.id))
        while part := result.fetchmany(CHUNK):
            mat = np.stack([np.frombuffer(v, dtype="<f4") for _, v in part])
            if mat.shape[1] != qv.shape[0]:
                continue
            ids.extend(int(u) for u, _ in part)
            scores.append(mat @ qv)
    if not ids:
        return pd.DataFrame(columns=["unit_id", "score"])
    df = pd.DataFrame({"unit_id": ids, "score": np.concatenate(scores).astype(float)})
    return df.sort_values(["score", "unit_id"], ascending=[False, True]).head(limit).reset_index(drop=True)
