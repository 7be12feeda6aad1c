"""Work claims: several processes (on one machine or many) sharing a database split a list of keys
without doing any key twice.

A claim is a row keyed by (model id, text hash). Claiming inserts the rows and skips the keys
another worker holds (``INSERT … ON CONFLICT DO NOTHING RETURNING``, on PostgreSQL and SQLite
alike: on PostgreSQL a second worker's insert of a key waits for the first worker's transaction and
then skips it). A claim older than ``stale_after`` belongs to a worker that died and is taken over.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, delete
from sqlalchemy.dialects import postgresql, sqlite

from eevp.errors import InputError
from eevp.store import db

__all__ = ["STALE_AFTER", "claim", "release"]

#: A claim this old is taken over by another worker (its worker is presumed dead).
STALE_AFTER = timedelta(minutes=15)

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def claim(engine: Engine, model_id: str, hashes: list[str], worker: str, *,
          stale_after: timedelta = STALE_AFTER) -> list[str]:
    """Claim ``hashes`` for ``worker``; return the ones it now holds (none another live worker holds)."""
    if not hashes:
        return []
    make_insert = _INSERT.get(engine.dialect.name)
    if make_insert is None:
        raise InputError(f"Embedding workers need PostgreSQL or SQLite, not {engine.dialect.name}.")
    t, at = db.embed_claims, db.now()
    rows = [{"model_id": model_id, "text_hash": h, "worker": worker, "claimed_at": at} for h in hashes]
    with engine.begin() as conn:
        conn.execute(delete(t).where(t.c.model_id == model_id, t.c.text_hash.in_(hashes),
                                     t.c.claimed_at < at - stale_after))
        stmt = make_insert(t).values(rows).on_conflict_do_nothing().returning(t.c.text_hash)
        return [r[0] for r in conn.execute(stmt)]


def release(engine: Engine, model_id: str, hashes: list[str], worker: str) -> None:
    """Drop ``worker``'s claims on ``hashes`` (their vectors are stored)."""
    t = db.embed_claims
    with engine.begin() as conn:
        conn.execute(delete(t).where(t.c.model_id == model_id, t.c.text_hash.in_(hashes), t.c.worker == worker))
