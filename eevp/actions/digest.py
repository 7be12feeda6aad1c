"""The digest's section of open and overdue actions, and the digest with it.

:mod:`eevp.analytics.digest` sits below the actions (analytics may not import them), so the section
is built here and the digest that holds it is :func:`build` (the CLI and Home call this one):
:data:`BUILDERS` is :data:`eevp.analytics.digest.SECTION_BUILDERS` with :func:`actions_section` last.

Only the actions the reader may see are listed (:func:`eevp.actions.register.list_actions`: the
pages of the role, a viewer's departments); "since the action" comes from
:func:`eevp.actions.register.since_action`, whose figures pass through the anonymity layer (a group
under the threshold is "suppressed", never a number).
"""

from __future__ import annotations

from datetime import date
from typing import Callable

import pandas as pd
from sqlalchemy.engine import Engine

from eevp.actions import register
from eevp.actions.targets import THEME_SCOPE, parse_target
from eevp.analytics import digest
from eevp.analytics.digest import Context, Section, esc
from eevp.i18n import format_date
from eevp.store.auth import User
from eevp.store.queries import SEGMENTS
from eevp.themes.read import theme_table

__all__ = ["BUILDERS", "actions_section", "build"]

#: Actions listed at most (overdue first, then by due date).
MAX_ROWS = 25


def _theme_labels(ctx: Context, kinds) -> dict[tuple[str, int], str]:
    """The current labels of the themes that actions point at, in the digest's language."""
    out = {}
    for kind in sorted(set(kinds) & set(THEME_SCOPE)):
        table = theme_table(ctx.engine, THEME_SCOPE[kind], language=ctx.lang)
        out.update({(kind, int(t)): str(label) for t, label in zip(table["theme_id"], table["label"])})
    return out


def target_text(ctx: Context, kind: str, target: str, labels: dict) -> str:
    """What an action points at, for the page: the kind in the reader's language and the theme's label
    (or the item, group, benefit and role, or reason), escaped."""
    key = target.split(":", 1)[1]
    parts = parse_target(target).parts
    if kind in THEME_SCOPE:
        name = esc(labels.get((kind, int(key)), f"#{key}"))
    elif kind == "item" and parts["dimension"]:
        dim = parts["dimension"]  # a segment's name in the reader's language; an upload's own column as it is
        shown = ctx.t(dim.capitalize()) if dim in SEGMENTS else esc(dim)
        name = f"{esc(parts['item'])} · {shown}: {esc(parts['value'])}"
    else:
        name = esc(key.replace("|", " · "))
    return f"{ctx.t(register.KIND_LABELS[kind])}: {name}"


def since_text(ctx: Context, action_id: int) -> str:
    """"Since the action" in a few sentences (then, now, the change), translated and escaped."""
    since = register.since_or_none(ctx.engine, ctx.settings, action_id, actor=ctx.actor)
    if since is None:  # its item, group, benefit or reason is no longer in the data (a batch deleted)
        return ctx.t("The target of this action is no longer in the data.")
    if since["target_gone"]:
        return ctx.t("The theme of this action is gone after a refit: no new theme holds enough of its statements.")
    return " ".join(ctx.t(register.SINCE_TEXTS[line], **values) for line, values in register.since_lines(since))


def _open_actions(ctx: Context, today: date) -> pd.DataFrame:
    shown = register.list_actions(ctx.engine, actor=ctx.actor, status=list(register.OPEN), today=today)
    due = pd.to_datetime(shown["due"], errors="coerce")
    return shown.assign(_due=due).sort_values(["overdue", "_due", "id"], ascending=[False, True, True],
                                              na_position="last")


def _row(ctx: Context, action: dict, labels: dict) -> list[str]:
    due = pd.to_datetime(action["due"], errors="coerce")
    flag = f' <span class="badge overdue">{ctx.t("Overdue")}</span>' if action["overdue"] else ""
    return [esc(action["title"]) + flag, esc(action["owner"]),
            "—" if pd.isna(due) else esc(format_date(due.date(), ctx.lang)), ctx.t(action["status"]),
            target_text(ctx, action["kind"], action["target"], labels), since_text(ctx, int(action["id"]))]


def actions_section(ctx: Context, today: date | None = None) -> Section | None:
    """Open and overdue actions: title (overdue flagged), owner, due date, status, target, since the action.

    Left out for a role that may not read actions; says so when there is no open action.
    """
    if ctx.actor is None or not ctx.actor.can("view_actions"):
        return None
    title = ctx.t("Open and overdue actions")
    shown = _open_actions(ctx, today or date.today())
    if shown.empty:
        return Section("actions", title, "<p>" + ctx.t("No open action.") + "</p>")
    labels = _theme_labels(ctx, shown["kind"])
    head = [ctx.t("Action"), ctx.t("Owner"), ctx.t("Due"), ctx.t("Status"), ctx.t("Target"),
            ctx.t("Since the action")]
    rows = [_row(ctx, a, labels) for a in shown.head(MAX_ROWS).to_dict("records")]
    overdue = int(shown["overdue"].sum())
    note = f"<p class='note'>{ctx.t('Open: {open}; overdue: {overdue}.', open=len(shown), overdue=overdue)}</p>"
    return Section("actions", title, note + digest.html_table(head, rows))


#: The digest's sections: those of :mod:`eevp.analytics.digest`, then the open and overdue actions.
BUILDERS: list[Callable[[Context], Section | None]] = [*digest.SECTION_BUILDERS, actions_section]


def build(engine: Engine, settings, since: str | None = None, lang: str = "en", *,
          actor: User) -> tuple[str, list[str]]:
    """The digest (:func:`eevp.analytics.digest.build`) with its section of actions."""
    return digest.build(engine, settings, since, lang, builders=BUILDERS, actor=actor)
