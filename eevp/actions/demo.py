"""Actions on the demo's planted problems, so that a first look at the demo shows the loop closed.

The plan is data (``eevp/resources/demo/actions.json``): a title, a target, a due date counted from
the day it is seeded, a status, a note, and the wave the action answers (``since``: its figure then is
the action's starting point, so that "since the action" shows a change on the demo). Survey items, EVP gaps and exit reasons exist once the demo
is stored; customer themes only after the analysis, so :func:`seed_demo_actions` is called after both
(:func:`eevp.bootstrap.load_demo` and :func:`eevp.pipeline.run_all`) and creates only what is missing:
an action whose title is in the register already is left as it is. A customer theme is found by the
planted phrase: the largest current customer theme whose label or keywords match the plan's pattern.

Everything goes through :mod:`eevp.actions.register` (permissions, audit); the owners are the local
accounts in turn. With no account yet there is no owner, and nothing is seeded.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import pandas as pd
from sqlalchemy.engine import Engine

from eevp.actions import register
from eevp.actions.targets import THEME_SCOPE, Target, make_target, parse_target
from eevp.errors import InputError, NotFoundError
from eevp.settings import Settings
from eevp.store.auth import User, account_names, require
from eevp.themes.read import theme_table

_PLAN_FILE = Path(__file__).resolve().parents[1] / "resources" / "demo" / "actions.json"

__all__ = ["demo_plan", "seed_demo_actions"]


@lru_cache(maxsize=1)
def demo_plan() -> tuple[dict, ...]:
    """The planned demo actions, as the resource file lists them."""
    return tuple(json.loads(_PLAN_FILE.read_text(encoding="utf-8"))["actions"])


def theme_by_phrase(themes: pd.DataFrame, pattern: str) -> int | None:
    """The largest theme (``theme_table`` order) whose label or keywords match ``pattern``; None if none."""
    found = re.compile(pattern, re.IGNORECASE)
    for row in themes.to_dict("records"):
        if row["theme_id"] < 0 or row.get("is_candidate"):
            continue
        if found.search(" ".join([str(row["label"]), *map(str, row["keywords"] or [])])):
            return int(row["theme_id"])
    return None


def _target(engine: Engine, planned: dict, taken: set) -> Target | None:
    """The planned action's target; a theme not matched (or already given an action) is None."""
    if "target" in planned:
        return parse_target(planned["target"])
    themes = theme_table(engine, THEME_SCOPE[planned["kind"]])
    themes = themes[~themes["theme_id"].isin([t for k, t in taken if k == planned["kind"]])]
    theme_id = theme_by_phrase(themes, planned["match"])
    return None if theme_id is None else make_target(planned["kind"], theme_id=theme_id)


def _create(engine: Engine, settings: Settings, target: Target, planned: dict, owner: str, today: date,
            actor: User) -> int:
    """Create one planned action, from the planned period's figure when the target has one (else the latest)."""
    due = today + timedelta(days=planned["due_in_days"])
    try:
        return register.create_action(engine, settings, target, planned["title"], owner, due, actor=actor,
                                      baseline_period=planned.get("since"))
    except InputError:  # no figure for that period (hidden, or a demo of another shape)
        return register.create_action(engine, settings, target, planned["title"], owner, due, actor=actor)


def seed_demo_actions(engine: Engine, settings: Settings, *, actor: User, today: date | None = None) -> list[int]:
    """Create the planned demo actions that are not in the register yet and whose target the data holds.

    Args:
        actor: who creates them (audited; needs ``manage_actions`` and the targets' pages).
        today: the day due dates count from (default: today).

    Returns:
        The ids of the actions created (empty when there is no account to own them).
    """
    require(actor, "manage_actions")
    owners = account_names(settings)
    if not owners:
        return []
    present = register.list_actions(engine, actor=actor)
    titles = set(present["title"])
    taken = {(k, int(t.split(":", 1)[1])) for k, t in zip(present["kind"], present["target"]) if k in THEME_SCOPE}
    today, created = today or date.today(), []
    for i, planned in enumerate(demo_plan()):
        if planned["title"] in titles:
            continue
        target = _target(engine, planned, taken)
        if target is None:
            continue
        try:
            new = _create(engine, settings, target, planned, owners[i % len(owners)], today, actor)
        except NotFoundError:  # a target the data does not hold (a demo of another shape): leave it out
            continue
        status = None if planned["status"] == "open" else planned["status"]
        register.update_action(engine, new, actor=actor, status=status, note=planned["note"])
        created.append(new)
        if target.kind in THEME_SCOPE:
            taken.add((target.kind, target.parts["theme_id"]))
    return created
