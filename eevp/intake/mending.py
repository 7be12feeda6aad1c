"""Damage that exports and spreadsheet round trips leave in a CSV, mended as it is read.

Seen in the Queensland TAFE exit survey: a quoted column name whose quotes were doubled
(``""... sufficient space, good lighting, suitable seating""``) is split at its commas, so the header
has two names more than any row has cells and every column after it is read under the name two to its
left; every row ends in ``;;;;;`` (a second delimiter the export appended), stuck to the last answer;
names carry U+FFFD where a character could not be decoded. Each mend is said in a reading note.
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["clean_name", "mend_header", "trailing_junk"]

#: The most names a split header may have too many (a longer run is no split name).
MAX_SPLIT = 5
#: Share of the last column's answers that must end in the same run of delimiters for it to be junk.
JUNK_SHARE = 0.9
_JUNK = re.compile(r"[;,|\t]{2,}$")


def clean_name(name: str) -> str:
    """A column name without the replacement characters of bytes that could not be decoded."""
    return " ".join(name.replace("\ufffd", " ").split()) if "\ufffd" in name else name


def mend_header(header: pd.Series, body: pd.DataFrame) -> tuple[pd.Series, str | None]:
    """The header with a name split at its commas joined again, and that name (None when nothing was mended).

    A split shows as ``k`` names more than any row of ``body`` has cells (1 to :data:`MAX_SPLIT`), and ``k``
    names in a row that go on in lower case from the one before them (" good lighting"): those are one name,
    and the names after it move back by ``k`` onto the columns their answers are in.
    """
    named = [j for j, v in enumerate(header.tolist()) if v is not None]
    last = _last_filled(body)
    if not named or last is None:
        return header, None
    extra = named[-1] - last
    if not 0 < extra <= MAX_SPLIT:
        return header, None
    names = header.tolist()
    for pos in range(len(names) - extra):
        run = names[pos + 1:pos + 1 + extra]
        if names[pos] and all(isinstance(v, str) and v[:1].islower() for v in run):
            joined = ", ".join([names[pos], *run]).strip('"').strip()
            mended = names[:pos] + [joined] + names[pos + 1 + extra:] + [None] * extra
            return pd.Series(mended, index=header.index, dtype=object), joined
    return header, None


def trailing_junk(body: pd.DataFrame) -> tuple[pd.DataFrame, str | None]:
    """``body`` with the run of delimiters that ends (nearly) every row's last cell taken off, and that run
    (None when there is none): at least :data:`JUNK_SHARE` of the last column's cells end in it."""
    position = _last_filled(body)
    if position is None:
        return body, None
    last = body.columns[position]
    values = [v for v in body[last] if isinstance(v, str)]
    ends = [m.group(0) for v in values if (m := _JUNK.search(v))]
    if not values or len(ends) < JUNK_SHARE * len(body) or len(set(ends)) != 1:
        return body, None
    junk = ends[0]
    cut = [(v[:-len(junk)].strip() or None) if isinstance(v, str) and v.endswith(junk) else v for v in body[last]]
    body = body.copy()
    body[last] = pd.Series(cut, index=body.index, dtype=object)
    return body, junk


def _last_filled(body: pd.DataFrame) -> int | None:
    """The position of the last column with a value (None for none), read from the right: a million rows'
    cells are not all looked at when the last column is filled, as it is in nearly every file."""
    for position in range(body.shape[1] - 1, -1, -1):
        if body.iloc[:, position].notna().any():
            return position
    return None
