"""What validation finds that is not an error, to show before storing: blank cells and placeholders
("Anonymous Employee", "N/A", "-") in the group columns (stored as no value: a placeholder is no group),
dates that give only a year, a declared rating scale that no answer reaches, and a rating column where only
two neighbouring points occur.

A year alone in a wave column is the wave itself (see :func:`eevp.intake.validate.prepare`); in a
date column (the exit date, the session date) a day is needed, so the date is stored as 1 January of
that year, and this is a warning the user must acknowledge before storing. So is a declared scale whose top
no answer reaches (answers 1–4 on a declared 1–10: every average would read low).
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
#: Fewest answers for the answers to tell what the scale is: a few answers may all be low by chance.
_SCALE_ANSWERS = 20
#: What a finding says (the interface translates them through their templates).
FINDINGS = {
    "blank": "{count} of {rows} rows have no value in '{column}' (a group column): they are in no group there.",
    "placeholder": ("{count} of {rows} rows hold a placeholder in '{column}' instead of a group ({words}): they are "
                    "stored with no value there, like a blank, and are in no group."),
    "year_only": ("{count} dates in '{column}' give only the year ({example}): they will be stored as 1 January of "
                  "that year, so months and quarters will be wrong for them. Write the full dates in the file, or "
                  "confirm that the year is enough."),
    "scale_unreached": ("No answer in the rating columns goes above {top} on the declared scale {lo}–{hi} ({count} "
                        "answers): if the questions were asked on {lo}–{top}, declare that scale, or every average "
                        "will read low. Confirm if the scale is right."),
    "two_points": ("Only {a} and {b} occur in '{column}' ({count} answers on the scale {lo}–{hi}): if it rates "
                   "people (a performance rating) rather than being their answer, leave it out of the rating "
                   "items; if it is an answer, its average can barely move."),
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


def _numbers(values: pd.Series) -> pd.Series:
    """The answers of a rating column that are numbers ("4", "3,5"); the others are validation's errors."""
    return pd.to_numeric(values.astype(str).str.strip().str.replace(",", ".", regex=False), errors="coerce").dropna()


def _rated_columns(df: pd.DataFrame, mapping: dict) -> list[str]:
    """The columns answered on the declared scale: rating items in numbers (not in words: those have their own
    points) and a customer score."""
    labels = mapping.get("labels") or {}
    items = mapping.get("items") or []
    columns = [c for c in ([items] if isinstance(items, str) else items) if c not in labels]
    if isinstance(mapping.get("score"), str):
        columns.append(mapping["score"])
    return [c for c in columns if isinstance(c, str) and c in df.columns]


def _scale(df: pd.DataFrame, mapping: dict) -> list[dict]:
    """The declared top no answer reaches, and rating columns of two neighbouring points only (IBM's
    PerformanceRating: 3 and 4 of 1–4, a manager's rating of the employee, not the employee's answer)."""
    scale = mapping.get("scale") if isinstance(mapping.get("scale"), dict) else {}
    try:
        lo, hi = float(scale.get("min", 1)), float(scale.get("max", 5))
    except (TypeError, ValueError):
        return []  # the mapping check names a scale that is no number
    columns = _rated_columns(df, mapping)
    answers = {c: _numbers(df[c]) for c in columns}
    out = []
    for col, nums in answers.items():
        points = sorted(set(nums))
        if len(nums) >= _SCALE_ANSWERS and len(points) == 2 and points[1] - points[0] == 1 and hi - lo >= 3:
            out.append(_finding("two_points", "items", col, len(nums), a=f"{points[0]:g}", b=f"{points[1]:g}",
                                lo=f"{lo:g}", hi=f"{hi:g}"))
    every = pd.concat(list(answers.values())) if answers else pd.Series(dtype=float)
    top = every[every <= hi].max() if len(every) else None
    if len(every) >= _SCALE_ANSWERS and top is not None and top < hi:
        out.insert(0, _finding("scale_unreached", "scale", ", ".join(columns), len(every), warning=True,
                               top=f"{top:g}", lo=f"{lo:g}", hi=f"{hi:g}"))
    return out


def _finding(code: str, field: str, column: str, count: int, warning: bool = False, **values) -> dict:
    return {"column": column, "field": field, "code": code, "count": count, "warning": warning,
            "message": FINDINGS[code].format(count=count, column=column, **values)}


def findings(df: pd.DataFrame, mapping: dict) -> list[dict]:
    """What the mapped group, date and rating columns hold that the user should know before storing.

    Returns:
        ``[{"column", "field", "code", "count", "warning", "message"}]``; ``warning`` marks what must be
        acknowledged (dates that give only a year, a declared scale no answer reaches).
    """
    out = []
    for field in GROUP_FIELDS:
        if isinstance(col := mapping.get(field), str) and col in df.columns:
            out += _groups(df, field, col)
    for field in _DATE_FIELDS:
        if isinstance(col := mapping.get(field), str) and col in df.columns:
            out += _years(df, field, col)
    return out + _scale(df, mapping)
