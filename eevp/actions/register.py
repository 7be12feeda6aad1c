"""The register of actions: create, change status, add notes, list (with filters and overdue flags).

Every change takes ``actor=``, is checked here (``manage_actions`` and the permission to see the
target's page) and audited with :func:`eevp.store.audit.record` in the same transaction.
"""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from eevp.actions import effect
from eevp.actions.targets import THEME_SCOPE, VIEW_PERMISSION, Target, parse_target
from eevp.errors import InputError, NotFoundError
from eevp.settings import Settings
from eevp.store import db
from eevp.store.audit import record
from eevp.store.auth import User, account_names, require, restrict
from eevp.store.queries import current_model

STATUSES = ("open", "in progress", "done", "dropped")
#: How the interface names each target kind.
KIND_LABELS = {"theme": "Theme", "customer_theme": "Customer theme", "item": "Survey item", "evp_gap": "EVP gap",
               "exit_reason": "Exit reason"}
OPEN = ("open", "in progress")
LIST_COLUMNS = ["id", "kind", "target", "title", "owner", "due", "status", "overdue", "target_gone", "created_by",
                "created_at", "baseline", "model_row"]


def _due(value) -> date | None:
    if value is None or value == "" or isinstance(value, date):
        return value or None
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(f"The due date '{value}' is not a date. Write it as YYYY-MM-DD, e.g. 2026-06-30.") from None


def _owner(settings: Settings, owner: str) -> str:
    owner = str(owner or "").strip()
    names = account_names(settings)
    if owner not in names:
        accounts = ", ".join(names) or "-"
        raise InputError(f"The owner '{owner}' has no account. Use one of: {accounts}.")
    return owner


def _title(title: str) -> str:
    title = str(title or "").strip()
    if not title or len(title) > 300:
        raise InputError("An action needs a title of 1 to 300 characters.")
    return title


def _model_row(engine: Engine, target: Target) -> int | None:
    """The current model of a theme target (NotFoundError when the theme is not in it)."""
    if target.kind not in THEME_SCOPE:
        return None
    th = db.themes
    with engine.connect() as conn:
        model = current_model(conn, THEME_SCOPE[target.kind])
        found = model is not None and conn.execute(select(th.c.theme_id).where(
            th.c.model_row == model.id, th.c.theme_id == target.parts["theme_id"])).first()
    if not found:
        theme_id = target.parts["theme_id"]
        raise NotFoundError(f"There is no theme {theme_id} in the current themes of this kind. Use a theme number "
                            "of 'report themes' (customer themes: 'report customers').")
    return int(model.id)


def _require_kind(actor: User | None, kind: str) -> None:
    require(actor, VIEW_PERMISSION[kind])


def _baseline(table: pd.DataFrame, period: str | None) -> dict:
    """The figure an action starts from: the latest period's, or ``period``'s."""
    if period is None:
        return effect.latest(table)
    rows = table[table["period"].astype(str) == str(period)]
    if rows.empty:
        known = ", ".join(map(str, table["period"])) or "-"
        raise InputError(f"The target has no figure for the period '{period}'. Use one of: {known}.")
    return effect.figure(rows.iloc[0])


def create_action(engine: Engine, settings: Settings, target, title: str, owner: str, due=None, *,
                  actor: User, baseline_period: str | None = None) -> int:
    """Store a new action on ``target`` (a :class:`Target` or ``KIND:ID``) with the target's figure now.

    Args:
        baseline_period: the period whose figure the action starts from (default: the latest), for an
            action decided after an earlier wave and recorded later.

    Returns:
        The new action's id.

    Raises:
        AccessDenied: the role may not manage actions or see the target's page.
        InputError: a bad target, title, owner (not an account), due date or baseline period.
        NotFoundError: the target is not in the data.
    """
    require(actor, "manage_actions")
    target = target if isinstance(target, Target) else parse_target(target)
    _require_kind(actor, target.kind)
    values = {"title": _title(title), "owner": _owner(settings, owner), "due": _due(due)}
    model_row = _model_row(engine, target)
    baseline = _baseline(effect.series(engine, settings, target, model_row), baseline_period)
    now = db.now()
    with engine.begin() as conn:
        new_id = conn.execute(insert(db.actions).values(
            kind=target.kind, target_key=target.key, target_json=json.dumps(target.parts, ensure_ascii=False),
            model_row=model_row, target_gone=False, status="open", created_by=actor.username, created_at=now,
            updated_at=now, baseline_json=json.dumps(baseline), **values)).inserted_primary_key[0]
        record(conn, actor.username, "action_add", f"action {new_id} on {target.spec}: {values['title']}")
    return int(new_id)


def _rows(engine: Engine, action_id: int | None = None) -> pd.DataFrame:
    a = db.actions
    q = select(a).order_by(a.c.id) if action_id is None else select(a).where(a.c.id == int(action_id))
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(q).mappings()]
    return pd.DataFrame(rows, columns=[c.name for c in a.columns])


def _shaped(raw: pd.DataFrame, today: date) -> pd.DataFrame:
    """The stored rows as the register shows them: target spec, overdue flag, baseline as a dict, and the
    department a viewer's scope is matched on (an item's group when it is a department)."""
    parts = raw["target_json"].map(json.loads)
    out = raw.assign(target=raw["kind"] + ":" + raw["target_key"], baseline=raw["baseline_json"].map(
        lambda s: json.loads(s) if s else {}), department=[
        p.get("value") if p.get("dimension") == "department" else None for p in parts])
    due = pd.to_datetime(out["due"], errors="coerce").dt.date
    out["overdue"] = [bool(d is not None and not pd.isna(d) and d < today and s in OPEN)
                      for d, s in zip(due, out["status"])]
    out["target_gone"] = out["target_gone"].fillna(False).astype(bool)
    return out


def _visible(actor: User | None, frame: pd.DataFrame) -> pd.DataFrame:
    """The actions ``actor`` may read: on pages the role sees; a viewer limited to departments sees
    only actions on their departments (:func:`eevp.store.auth.restrict`)."""
    require(actor, "view_actions")
    frame = frame[[actor.can(VIEW_PERMISSION[k]) for k in frame["kind"]]]
    if actor.role == "viewer" and actor.departments:
        return restrict(actor, frame)
    return frame


def list_actions(engine: Engine, *, actor: User, status=None, owner=None, kind=None,
                 today: date | None = None) -> pd.DataFrame:
    """The actions ``actor`` may read, newest first, filtered by status, owner and kind (each a value, a
    list, or None for all); ``overdue`` is True for open actions past their due date."""
    raw = _rows(engine)
    if raw.empty:
        require(actor, "view_actions")
        return pd.DataFrame(columns=LIST_COLUMNS)
    out = _visible(actor, _shaped(raw, today or date.today()))
    for column, wanted in (("status", status), ("owner", owner), ("kind", kind)):
        if wanted:
            out = out[out[column].isin([wanted] if isinstance(wanted, str) else list(wanted))]
    return out.sort_values("id", ascending=False)[LIST_COLUMNS].reset_index(drop=True)


def _plain(value):
    """A cell as plain Python (JSON-ready): numpy scalars unwrapped, times as ISO text, NaN/NaT as None."""
    if isinstance(value, (dict, list, str)) or value is None:
        return value
    if isinstance(value, (pd.Timestamp, date)):
        return None if pd.isna(value) else value.isoformat()
    if pd.isna(value):
        return None
    return value.item() if isinstance(value, np.generic) else value


def records(frame: pd.DataFrame) -> list[dict]:
    """The rows of a :func:`list_actions` frame as plain dicts (what the CLI prints as JSON)."""
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def get_action(engine: Engine, action_id: int, *, actor: User, today: date | None = None) -> dict:
    """One action as :func:`list_actions` shows it (NotFoundError when absent or not for this role)."""
    raw = _rows(engine, action_id)
    shown = _visible(actor, _shaped(raw, today or date.today())) if len(raw) else raw
    if shown.empty:
        raise NotFoundError(f"There is no action {action_id} you may see. Use an id of 'action list'.")
    return records(shown[LIST_COLUMNS].iloc[:1])[0]


def update_action(engine: Engine, action_id: int, *, actor: User, status: str | None = None,
                  note: str | None = None) -> dict:
    """Set an action's status and/or add a dated note; returns the action as it is now.

    Raises:
        AccessDenied: the role may not manage actions (or see this action's page).
        InputError: an unknown status, or neither a status nor a note given.
        NotFoundError: no such action.
    """
    require(actor, "manage_actions")
    current = get_action(engine, action_id, actor=actor)
    if status is not None and status not in STATUSES:
        known = ", ".join(STATUSES)
        raise InputError(f"Unknown status '{status}'. Use one of: {known}.")
    note = (note or "").strip()
    if status is None and not note:
        raise InputError("Give a new status, a note, or both.")
    now = db.now()
    with engine.begin() as conn:
        if status is not None:
            conn.execute(update(db.actions).where(db.actions.c.id == int(action_id)).values(
                status=status, updated_at=now))
        conn.execute(insert(db.action_notes).values(action_id=int(action_id), at=now, author=actor.username,
                                                    status=status, note=note))
        record(conn, actor.username, "action_update",
               f"action {action_id}: status {current['status']} -> {status or current['status']}"
               + (f"; note: {note}" if note else ""))
    return get_action(engine, action_id, actor=actor)


def add_note(engine: Engine, action_id: int, note: str, *, actor: User) -> dict:
    """A dated note on an action, its status unchanged."""
    return update_action(engine, action_id, actor=actor, note=note)


def notes(engine: Engine, action_id: int, *, actor: User) -> pd.DataFrame:
    """The notes of an action, oldest first: at, author, status (set with the note), note."""
    get_action(engine, action_id, actor=actor)
    n = db.action_notes
    with engine.connect() as conn:
        rows = conn.execute(select(n.c.at, n.c.author, n.c.status, n.c.note).where(n.c.action_id == int(action_id))
                            .order_by(n.c.id)).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=["at", "author", "status", "note"])


def since_action(engine: Engine, settings: Settings, action_id: int, *, actor: User) -> dict:
    """The action's target then and now (:func:`eevp.actions.effect.since`) and its ``series`` per period;
    an action whose theme is gone after a refit has no figures (``target_gone``)."""
    action = get_action(engine, action_id, actor=actor)
    target = parse_target(action["target"])
    if action["target_gone"]:
        return {"then": action["baseline"], "now": effect.figure(None), "delta": None, "p_value": None,
                "significant": None, "series": pd.DataFrame(columns=effect.SERIES_COLUMNS), "target_gone": True}
    table = effect.series(engine, settings, target, action["model_row"])
    out = effect.since(table, action["baseline"], target.kind, target.parts.get("item"))
    return {**out, "series": table[effect.SERIES_COLUMNS], "target_gone": False}


def since_or_none(engine: Engine, settings: Settings, action_id: int, *, actor: User) -> dict | None:
    """:func:`since_action`, or None when the target is no longer in the data (its batch deleted)."""
    get_action(engine, action_id, actor=actor)  # an unknown action or a reader out of scope still fails
    try:
        return since_action(engine, settings, action_id, actor=actor)
    except NotFoundError:
        return None


def overview(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns the Actions page's table shows (no stored internals)."""
    return frame[["id", "title", "target", "owner", "due", "status", "overdue", "target_gone"]]


def count_open(frame: pd.DataFrame) -> int:
    """How many actions of a list are still open (:data:`OPEN`)."""
    return int(frame["status"].isin(OPEN).sum())


def action_row(frame: pd.DataFrame, action_id: int) -> pd.Series:
    """One action of a list (:func:`list_actions`) by its id."""
    return frame[frame["id"] == action_id].iloc[0]


def headline(action) -> str:
    """One line naming an action: id, title, status and flags (a list's row or :func:`get_action`)."""
    flags = (" ⚠" if action["overdue"] else "") + (" ✖" if action["target_gone"] else "")
    return f"#{action['id']} {action['title']} ({action['status']}){flags}"


#: The sentences of "since the action" (English keys of the interface catalogue).
SINCE_TEXTS = {
    "then": "When created ({period}): {value}, {n} people.",
    "now": "Now ({period}): {value}, {n} people.",
    "then_hidden": "When created: suppressed (too few people to show).",
    "now_hidden": "Now: suppressed (too few people to show).",
    True: "Change: {delta} (significant at 5%).",
    False: "Change: {delta} (not significant).",
    None: "Change: {delta}.",
}


def since_lines(since: dict) -> list[tuple]:
    """The sentences of "since the action" as (key of :data:`SINCE_TEXTS`, values): then, now, the change."""
    lines = []
    for name in ("then", "now"):
        fig = since[name]
        if fig.get("suppressed"):
            lines.append((f"{name}_hidden", {}))
        else:
            lines.append((name, {"period": fig["period"], "value": f"{fig['value']:.3g}", "n": fig["n"]}))
    if since["delta"] is not None:
        lines.append((since["significant"], {"delta": f"{since['delta']:+.3g}"}))
    return lines


__all__ = ["KIND_LABELS", "STATUSES", "action_row", "count_open", "headline", "overview", "since_lines", "add_note", "create_action", "get_action", "list_actions", "notes",
           "since_action", "update_action"]
