"""Actions on themes survive a refit: each moves to the new theme holding most of its old theme's
statements, or is flagged "target gone" when no new theme holds at least :data:`MIN_SHARE` of them.

This is the themes' side of :mod:`eevp.actions` (which sits above this layer): it only rewrites the
``actions`` rows that point at a replaced model, in one transaction, with a note and an audit entry.
"""

from __future__ import annotations

import json

import pandas as pd
from sqlalchemy import and_, insert, select, update
from sqlalchemy.engine import Engine

from eevp.store import db
from eevp.store.audit import record
from eevp.store.auth import User, require

#: The action kind of the themes of each scope (``eevp.themes.read.SCOPES``).
ACTION_KIND = {"all": "theme", "customers": "customer_theme"}
#: The least share of an old theme's statements that a new theme must hold to take its actions.
MIN_SHARE = 0.3


def successors(conn, old_row: int, new_row: int, theme_ids) -> dict[int, tuple[int | None, float]]:
    """For each old theme: the new theme holding most of its statements (units in both models) and
    that share; (None, 0.0) when none of them is in a theme of the new model."""
    a = db.theme_assignments
    old, new = a.alias("old"), a.alias("new")
    rows = conn.execute(select(old.c.theme_id, new.c.theme_id).join(new, and_(
        new.c.unit_id == old.c.unit_id, new.c.model_row == new_row)).where(
        old.c.model_row == old_row, old.c.theme_id.in_([int(t) for t in theme_ids]))).all()
    pairs = pd.DataFrame([tuple(r) for r in rows], columns=["old", "new"])
    out = {}
    for tid in theme_ids:
        mine = pairs[pairs["old"] == tid]
        held = mine[mine["new"] >= 0]["new"].value_counts()
        out[int(tid)] = ((int(held.index[0]), float(held.iloc[0] / len(mine))) if len(held)
                         else (None, 0.0))
    return out


def _note(conn, action_id: int, author: str, text: str, now) -> None:
    conn.execute(insert(db.action_notes).values(action_id=action_id, at=now, author=author, status=None, note=text))


def move_theme_actions(engine: Engine, old_row: int, new_row: int, scope: str, *, actor: User,
                       min_share: float = MIN_SHARE) -> dict:
    """Point the actions on themes of model ``old_row`` at the themes of ``new_row`` that succeed them.

    Returns:
        ``{"moved": n, "gone": n}``.
    """
    require(actor, "analyze")  # a refit, or an analysis that replaces a stale model
    act = db.actions
    counts = {"moved": 0, "gone": 0}
    now = db.now()
    with engine.begin() as conn:
        rows = conn.execute(select(act.c.id, act.c.target_json).where(
            act.c.kind == ACTION_KIND[scope], act.c.model_row == old_row)).all()
        if not rows:
            return counts
        parts = {r.id: json.loads(r.target_json) for r in rows}
        heirs = successors(conn, old_row, new_row, sorted({p["theme_id"] for p in parts.values()}))
        for action_id, p in parts.items():
            heir, share = heirs[p["theme_id"]]
            if heir is not None and share >= min_share:
                values = {"target_key": str(heir), "target_json": json.dumps({**p, "theme_id": heir}),
                          "target_gone": False}
                text = f"Theme {p['theme_id']} -> {heir} after a refit ({share:.0%} of its statements)."
            else:
                values = {"target_gone": True}
                text = f"Theme {p['theme_id']} is gone after a refit (at most {share:.0%} of its statements in one theme)."
            conn.execute(update(act).where(act.c.id == action_id).values(model_row=new_row, updated_at=now, **values))
            _note(conn, action_id, actor.username, text, now)
            record(conn, actor.username, "action_moved" if "target_key" in values else "action_target_gone",
                   f"action {action_id}: {text}")
            counts["moved" if "target_key" in values else "gone"] += 1
    return counts
