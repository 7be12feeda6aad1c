"""The audit log: who uploaded, deleted, exported, logged in, and when."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from eevp.store import db
from eevp.store.auth import User, require


def record(engine: Engine, username: str | None, action: str, detail: str = "") -> None:
    with engine.begin() as conn:
        conn.execute(insert(db.audit_log).values(at=db.now(), username=username, action=action, detail=detail[:2000]))


def read_log(engine: Engine, actor: User, limit: int = 500) -> pd.DataFrame:
    """The newest entries first (admins only)."""
    require(actor, "audit")
    a = db.audit_log
    with engine.connect() as conn:
        rows = conn.execute(select(a.c.at, a.c.username, a.c.action, a.c.detail).order_by(a.c.id.desc())
                            .limit(limit)).mappings().all()
    return pd.DataFrame(rows, columns=["at", "username", "action", "detail"])
