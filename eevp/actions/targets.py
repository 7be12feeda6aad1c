"""What an action points at, written as the CLI takes it: ``KIND:ID``.

- ``theme:12``, ``customer_theme:3``: a theme of the current model (all text / customer text);
- ``item:NAME`` or ``item:NAME|DIMENSION=VALUE``: a survey item (``enps`` for eNPS), for everyone or
  one group (``item:Workload|department=Sales``);
- ``evp_gap:BENEFIT|ROLE``: a benefit's gap (importance − satisfaction) for one role;
- ``exit_reason:REASON``: leavers giving one main reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from eevp.errors import InputError
from eevp.themes.succession import ACTION_KIND

KINDS = ("theme", "customer_theme", "item", "evp_gap", "exit_reason")
#: The permission a role needs to see an action of each kind (the page its target is on).
VIEW_PERMISSION = {"theme": "view_themes", "customer_theme": "view_customers", "item": "view_dashboards",
                   "evp_gap": "view_dashboards", "exit_reason": "view_dashboards"}
#: The theme scope of each theme kind (``eevp.themes.read.SCOPES``).
THEME_SCOPE = {kind: scope for scope, kind in ACTION_KIND.items()}
ENPS = "enps"


@dataclass(frozen=True)
class Target:
    """A parsed target: its kind, its key (the part after ``KIND:``) and its parts."""

    kind: str
    key: str
    parts: dict

    @property
    def spec(self) -> str:
        return f"{self.kind}:{self.key}"


def parse_target(spec: str) -> Target:
    """The :class:`Target` of ``KIND:ID``; InputError naming the accepted forms otherwise."""
    kind, sep, key = str(spec or "").partition(":")
    kind, key = kind.strip(), key.strip()
    if not sep or kind not in KINDS or not key:
        raise InputError(f"The target '{spec}' is not KIND:ID. Use one of: theme:12, customer_theme:3, "
                         "item:NAME, item:NAME|department=Sales, evp_gap:BENEFIT|ROLE, exit_reason:REASON.")
    return Target(kind, key, _PARSERS[kind](key, spec))


def make_target(kind: str, **parts) -> Target:
    """The target of ``kind`` with these parts (what the pages know), as :func:`parse_target` reads it."""
    if kind in THEME_SCOPE:
        key = str(int(parts["theme_id"]))
    elif kind == "item":
        dim, value = parts.get("dimension"), parts.get("value")
        key = parts["item"] + (f"|{dim}={value}" if dim and value is not None else "")
    elif kind == "evp_gap":
        key = f"{parts['benefit']}|{parts['role']}"
    else:
        key = str(parts["reason"])
    return parse_target(f"{kind}:{key}")


def _theme(key: str, spec: str) -> dict:
    if not key.lstrip("-").isdigit():
        raise InputError(f"The target '{spec}' needs a theme number, e.g. theme:12 (see 'report themes').")
    return {"theme_id": int(key)}


def _item(key: str, spec: str) -> dict:
    item, _, group = key.partition("|")
    if not group:
        return {"item": item.strip(), "dimension": None, "value": None}
    dim, eq, value = group.partition("=")
    if not eq or not dim.strip():
        raise InputError(f"The target '{spec}' names a group as DIMENSION=VALUE, e.g. item:Workload|department=Sales.")
    return {"item": item.strip(), "dimension": dim.strip(), "value": value.strip()}


def _evp_gap(key: str, spec: str) -> dict:
    benefit, sep, role = key.partition("|")
    if not sep or not benefit.strip() or not role.strip():
        raise InputError(f"The target '{spec}' is a benefit and a role: evp_gap:BENEFIT|ROLE.")
    return {"benefit": benefit.strip(), "role": role.strip()}


def _exit_reason(key: str, spec: str) -> dict:
    return {"reason": key}


_PARSERS = {"theme": _theme, "customer_theme": _theme, "item": _item, "evp_gap": _evp_gap,
            "exit_reason": _exit_reason}
