"""Declared schemas of the canonical (normalised) frames, one per source kind.

Readers give text; :mod:`eevp.intake.ingest` converts mapped columns into a canonical frame
(dates parsed, scores numeric) and validates it here with pandera, ``lazy=True``, so that
every failure is collected into one table of (row, column, value, message).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

#: Check name → sentence shown to a person (with ``{lo}``/``{hi}`` filled from the scale).
_MESSAGES = {
    "enps": "eNPS must be a whole number from 0 to 10.",
    "score": "Rating must be between {lo} and {hi} (the declared scale).",
    "required": "This field is required but the cell is empty.",
    "rating_1_5": "Must be a number from 1 to 5.",
}


def _in_range(lo: float, hi: float) -> pa.Check:
    return pa.Check(lambda s: s.isna() | ((s >= lo) & (s <= hi)), element_wise=False, name=f"range_{lo}_{hi}")


def survey_schema(items: list[str], lo: float, hi: float, required: list[str],
                  ranges: dict | None = None) -> pa.DataFrameSchema:
    """The survey/exit frame; ``ranges`` gives the items on a scale of their own ``{item: (lo, hi)}``."""
    cols = {
        "enps": pa.Column(float, [_in_range(0, 10), pa.Check(lambda s: s.isna() | (s % 1 == 0), name="whole")],
                          nullable=True, required=False),
    }
    for item in items:
        cols[f"item::{item}"] = pa.Column(float, _in_range(*(ranges or {}).get(item, (lo, hi))), nullable=True,
                                          required=False)
    for name in required:
        cols[name] = pa.Column(object, nullable=False, required=False)
    return pa.DataFrameSchema(cols, strict=False, coerce=False)


def evp_ratings_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "importance": pa.Column(float, _in_range(1, 5), nullable=False),
            "satisfaction": pa.Column(float, _in_range(1, 5), nullable=False),
            "wave": pa.Column(object, nullable=False),
            "role": pa.Column(object, nullable=False),
            "benefit": pa.Column(object, nullable=False),
        },
        strict=False,
    )


def collect_failures(schema: pa.DataFrameSchema, frame: pd.DataFrame, sources: dict[str, str],
                     scale: tuple[float, float], row_offset: int = 2) -> list[dict]:
    """Validate ``frame`` and return every failure as a dict a person can read.

    Args:
        schema: the declared schema.
        frame: canonical frame (index = 0-based data row in the source file).
        sources: canonical column → the source column the user mapped, for messages.
        scale: declared rating scale, for messages.
        row_offset: added to the index to give the row number as a spreadsheet shows it
            (header on row 1, first data row on row 2).
    """
    try:
        schema.validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    errors = []
    for case in cases.itertuples(index=False):
        column = str(case.column)
        check = str(case.check)
        if case.index is None or pd.isna(case.index):
            continue  # schema-level problems are caught before validation
        if column == "enps":
            message = _MESSAGES["enps"]
        elif column.startswith("item::") or column in ("importance", "satisfaction"):
            lo, hi = (1, 5) if column in ("importance", "satisfaction") else scale
            message = _MESSAGES["score"].format(lo=_fmt(lo), hi=_fmt(hi))
        elif "not_nullable" in check or check == "not_nullable":
            message = _MESSAGES["required"]
        else:
            message = f"Failed check {check}."
        canon = column.removeprefix("item::")
        errors.append({
            "row": int(case.index) + row_offset,
            "column": sources.get(column, canon),
            "value": None if pd.isna(case.failure_case) else _fmt(case.failure_case),
            "message": message,
        })
    return errors


def _fmt(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
