"""What validation finds that is not an error, to show before storing: blank cells and placeholders
("Anonymous Employee", "N/A", "-") in the group columns (stored as no value: a placeholder is no group),
and dates that give only a year.

A year alone in a wave column is the wave itself (see :func:`eevp.intake.validate.prepare`); in a
date column (the exit date, the session date) a day is needed, so the date is stored as 1 January of
that year, and this is a warning the user must acknowledge before storing.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pandas as pd

__all__ = ["FINDINGS", "GROUP_FIELDS", "findings", "is_placeholder"]

_DATA = json.loads((Path(__file__).resolve().parents[1] / "resources" / "mapping" / "rows.json")
                   .read_text(encoding="utf-8"))
_PLACEHOLDERS = frozenset(_DATA["placeholders"])
_YEAR = re.compile(r"(?:19|20)\d\d")
#: The columns whose values are the groups of every report.
GROUP_FIELDS = ("role", "department", "location")
_DATE_FIELDS = ("exit_date", "session_date")
#: What a finding says (the interface translates them through their templates).
FINDINGS = {
    "blank": "{count} of {rows} rows have no value in '{column}' (a group column): they are in no group there.",
    "placeholder": ("{count} of {rows} rows hold a placeholder in '{column}' instead of a group ({words}): they are "
                    "stored with no value there, like a blank, and are in no group."),
    "year_only": ("{count} dates in '{column}' give only the year ({example}): they will be stored as 1 January of "
                  "that year, so months and quarters will be wrong for them. Write the full dates in the file, or "
                  "confirm that the year is enough."),
}


def _key(value) -> str:
    return " ".join(str(value).casefold().split())


def is_placeholder(value) -> bool:
    """Whether a group value is a placeholder some exports write instead of a group ("Anonymous Employee",
    "N/A", "-"; ``resources/mapping/rows.json``): it names no role, department or location."""
    return value is not None and not (isinstance(value, float) and value != value) and _key(value) in _PLACEHOLDERS


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or not str(value).strip()


def _groups(df: pd.DataFrame, field: str, column: str) -> list[dict]:
    values = df[column].tolist()
    counts = Counter(values)  # a group column holds a handful of values: each is looked at once
    blank = sum(n for v, n in counts.items() if _missing(v))
    held: Counter = Counter()
    for v, n in counts.items():
        if not _missing(v) and is_placeholder(v):
            held[str(v).strip()] += n
    out = []
    if blank:
        out.append(_finding("blank", field, column, blank, rows=len(values)))
    if held:
        words = ", ".join(f"'{w}' {n}" for w, n in held.most_common(5))
        out.append(_finding("placeholder", field, column, sum(held.values()), rows=len(values), words=words))
    return out


def _years(df: pd.DataFrame, field: str, column: str) -> list[dict]:
    years = [str(v).strip() for v in df[column].tolist() if not _missing(v) and _YEAR.fullmatch(str(v).strip())]
    if not years:
        return []
    return [_finding("year_only", field, column, len(years), example=years[0], warning=True)]


def _finding(code: str, field: str, column: str, count: int, warning: bool = False, **values) -> dict:
    return {"column": column, "field": field, "code": code, "count": count, "warning": warning,
            "message": FINDINGS[code].format(count=count, column=column, **values)}


def findings(df: pd.DataFrame, mapping: dict) -> list[dict]:
    """What the mapped group and date columns hold that the user should know before storing.

    Returns:
        ``[{"column", "field", "code", "count", "warning", "message"}]``; ``warning`` marks what must be
        acknowledged (dates that give only a year).
    """
    out = []
    for field in GROUP_FIELDS:
        if isinstance(col := mapping.get(field), str) and col in df.columns:
            out += _groups(df, field, col)
    for field in _DATE_FIELDS:
        if isinstance(col := mapping.get(field), str) and col in df.columns:
            out += _years(df, field, col)
    return out
