"""The audit log: who uploaded, deleted, exported, logged in, and when."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import insert, select
from sqlalchemy.engine import Connection, Engine

from eevp.store import db
from eevp.store.auth import User, require


def record(target: Engine | Connection, username: str | None, action: str, detail: str = "") -> None:
    """Add one entry to the audit log: inside the caller's transaction when ``target`` is a connection
    (so the entry is kept exactly when the change it records is), else in a transaction of its own."""
    entry = insert(db.audit_log).values(at=db.now(), username=username, action=action, detail=detail[:2000])
    if isinstance(target, Connection):
        target.execute(entry)
        return
    with target.begin() as conn:
        conn.execute(entry)


def read_log(engine: Engine, actor: User, limit: int = 500) -> pd.DataFrame:
    """The newest entries first (admins only)."""
    require(actor, "audit")
    a = db.audit_log
    with engine.connect() as conn:
        rows = conn.execute(select(a.c.at, a.c.username, a.c.action, a.c.detail).order_by(a.c.id.desc())
                            .limit(limit)).mappings().all()
    return pd.DataFrame(rows, columns=["at", "username", "action", "detail"])
