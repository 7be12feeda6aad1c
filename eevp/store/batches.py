"""Batches: list, delete (with everything derived from them), clear the demo."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import delete, exists, select, update
from sqlalchemy.engine import Engine

from eevp.errors import NotFoundError
from eevp.store import db
from eevp.store.audit import record
from eevp.store.auth import DEMO_USER, User, require

#: Tables that hang off a batch, children first (explicit, so no database relies on cascades).
_DERIVED = [db.theme_assignments, db.statement_tags, db.text_units, db.survey_scores, db.survey_responses,
            db.exit_scores, db.exits, db.focus_sessions, db.evp_benefits, db.evp_ratings,
            db.customer_statements, db.customer_comments]


def list_batches(engine: Engine) -> pd.DataFrame:
    """All stored batches, newest first."""
    b = db.batches
    cols = [b.c.id, b.c.kind, b.c.name, b.c.filename, b.c.created_at, b.c.created_by, b.c.rows_read,
            b.c.rows_stored, b.c.rows_rejected, b.c.is_demo]
    with engine.connect() as conn:
        rows = conn.execute(select(*cols).order_by(b.c.id.desc())).mappings().all()
    return pd.DataFrame(rows, columns=[c.name for c in cols])


def delete_batch(engine: Engine, batch_id: int, *, actor: User) -> dict:
    """Delete a batch and everything derived from it, in one transaction.

    Text units, their theme assignments and tags go; embeddings no other unit uses go;
    theme models that had units of the batch are marked stale (refit to forget them fully).

    Raises:
        AccessDenied: ``actor``'s role may not delete.
        NotFoundError: no such batch.
    """
    require(actor, "delete")
    return _delete(engine, batch_id, actor)


def _delete(engine: Engine, batch_id: int, actor: User) -> dict:
    with engine.begin() as conn:
        found = conn.execute(select(db.batches.c.id).where(db.batches.c.id == batch_id)).first()
        if not found:
            raise NotFoundError(f"There is no batch {batch_id}. Run 'python -m eevp batches' to see the list.")
        touched = [r[0] for r in conn.execute(
            select(db.theme_assignments.c.model_row).where(db.theme_assignments.c.batch_id == batch_id).distinct())]
        counts = {}
        for table in _DERIVED:
            counts[table.name] = conn.execute(delete(table).where(table.c.batch_id == batch_id)).rowcount
        conn.execute(delete(db.batches).where(db.batches.c.id == batch_id))
        drop_orphan_embeddings(conn)
        if counts[db.customer_statements.name]:  # the customers' own themes are fitted again without them
            cs = db.customer_statements
            conn.execute(update(cs).where(cs.c.staff_theme == -1).values(own_theme=None))
        if touched:
            conn.execute(update(db.theme_models).where(db.theme_models.c.id.in_(touched)).values(stale=True))
        record(conn, actor.username, "delete", f"batch {batch_id}")
    return counts


def drop_orphan_embeddings(conn) -> int:
    """Remove cached vectors whose text no longer exists in any unit or customer statement (portable NOT EXISTS)."""
    tu, cs = db.text_units, db.customer_statements
    cond = (~exists(select(tu.c.id).where(tu.c.text_hash == db.embeddings.c.text_hash))
            & ~exists(select(cs.c.id).where(cs.c.text_hash == db.embeddings.c.text_hash)))
    return conn.execute(delete(db.embeddings).where(cond)).rowcount


def clear_demo(engine: Engine, *, actor: User) -> int:
    """Delete every batch marked as demo data (roles with ``clear_demo``: admin and hr, who upload the
    real data the demo is mixed into). Returns how many were deleted; each deletion is audited."""
    require(actor, "clear_demo")
    with engine.connect() as conn:
        ids = [r[0] for r in conn.execute(select(db.batches.c.id).where(db.batches.c.is_demo.is_(True)))]
    for batch_id in ids:
        _delete(engine, batch_id, actor)
    _delete_demo_actions(engine, actor)
    return len(ids)


def _delete_demo_actions(engine: Engine, actor: User) -> None:
    """The actions the demo seeded on its own problems (created by :data:`DEMO_USER`) go with it: their
    targets (the demo's roles, benefits, themes) are gone. Actions people created stay."""
    a, notes = db.actions, db.action_notes
    with engine.begin() as conn:
        ids = conn.execute(select(a.c.id).where(a.c.created_by == DEMO_USER.username)).scalars().all()
        if ids:
            conn.execute(delete(notes).where(notes.c.action_id.in_(ids)))
            conn.execute(delete(a).where(a.c.id.in_(ids)))
            record(conn, actor.username, "action_delete", f"the demo's actions {', '.join(map(str, ids))}")


def demo_beside_real_data(engine: Engine) -> bool:
    """True when the demo organisation is stored beside real data: every chart mixes the two."""
    with engine.connect() as conn:
        kinds = {r[0] for r in conn.execute(select(db.batches.c.is_demo).distinct())}
    return {True, False} <= {bool(k) for k in kinds}


def has_demo(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(db.batches.c.id).where(db.batches.c.is_demo.is_(True)).limit(1)).first() is not None


def batch_ids(engine: Engine) -> set[int]:
    """The ids of the batches stored now."""
    with engine.connect() as conn:
        return set(conn.execute(select(db.batches.c.id)).scalars())


def is_empty_of_data(engine: Engine) -> bool:
    """True when no batch at all is stored (a fresh database)."""
    with engine.connect() as conn:
        return conn.execute(select(db.batches.c.id).limit(1)).first() is None
