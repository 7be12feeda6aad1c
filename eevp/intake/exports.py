"""The extra header rows of survey tools' exports, read into one header the way the tool meant.

SurveyMonkey writes a second header row: under each question "Response" or "Open-Ended Response"
(one answer column), or the answer options and matrix rows (one column each, the question written
only above the first). Qualtrics writes its question codes (``Q1``, ``Q2_1``) as the header, then
a row of question texts and a row of ``{"ImportId": ...}``. The words and patterns are data, in
``eevp/resources/mapping/rows.json``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

__all__ = ["SURVEYMONKEY", "QUALTRICS", "tool_header"]

SURVEYMONKEY = "surveymonkey"
QUALTRICS = "qualtrics"

_DATA = json.loads((Path(__file__).resolve().parents[1] / "resources" / "mapping" / "rows.json")
                   .read_text(encoding="utf-8"))
_MARKERS = frozenset(_DATA["surveymonkey_markers"])
_QCODE = re.compile(_DATA["qualtrics_code"], re.IGNORECASE)
_IMPORT_ID = _DATA["qualtrics_import_id"]


def _is_marker(value: str | None) -> bool:
    return value is not None and value.casefold() in _MARKERS


def _is_surveymonkey(first: list, second: list) -> bool:
    """A marker in the second row, and every other word there under a question's own columns (a blank
    first-row cell, or the first column of a question whose next first-row cell is blank)."""
    if not any(_is_marker(v) for v in second):
        return False
    for j, value in enumerate(second):
        if value is None or _is_marker(value) or first[j] is None:
            continue
        if j + 1 >= len(first) or first[j + 1] is not None:
            return False  # a one-column question with an answer under it: that row is data
    return True


def _surveymonkey(first: list, second: list) -> list[str | None]:
    """Question, or "question - option" for the columns of a question with several."""
    names, question = [], None
    for top, sub in zip(first, second):
        question = top if top is not None else question
        if sub is None or _is_marker(sub):
            names.append(top if top is not None else (question if sub is not None else None))
        else:
            names.append(f"{question} - {sub}" if question else sub)
    return names


def _is_qualtrics(third: list) -> bool:
    filled = [v for v in third if v is not None]
    return bool(filled) and sum(v.casefold().replace(" ", "").startswith(_IMPORT_ID) for v in filled) >= len(filled) / 2


def _qualtrics(first: list, second: list) -> list[str | None]:
    """The question text for a question code (Q1, Q2_1); other headers (StartDate, embedded data) kept."""
    return [text if code is None or (text is not None and _QCODE.match(code)) else code
            for code, text in zip(first, second)]


def tool_header(cells: pd.DataFrame) -> tuple[str | None, pd.Series, int]:
    """The header of a frame of raw cells whose first row is the header.

    Args:
        cells: stripped cells (``str`` or None), the header in the first row.

    Returns:
        The survey tool recognised (:data:`SURVEYMONKEY`, :data:`QUALTRICS`) or None, the header (one
        name or None per column, indexed like the columns) and how many rows it takes (1 to 3).
    """
    rows = [cells.iloc[i].tolist() for i in range(min(3, len(cells)))]
    first = rows[0]
    if len(rows) == 3 and _is_qualtrics(rows[2]):
        return QUALTRICS, pd.Series(_qualtrics(first, rows[1]), index=cells.columns, dtype=object), 3
    if len(rows) >= 2 and _is_surveymonkey(first, rows[1]):
        return SURVEYMONKEY, pd.Series(_surveymonkey(first, rows[1]), index=cells.columns, dtype=object), 2
    return None, cells.iloc[0], 1
