"""Dates as HR exports write them: ISO, 15.03.2024, 3/15/2024, Excel serials, month names (en/ru/uk).

A column is read as a whole so that ambiguous slash dates are resolved once: ``03/04/2024`` is
day-first unless some value in the same column proves the column month-first (``3/15/2024``).
Dotted dates (``15.03.2024``) are always day-first; ISO (``2024-03-15``) is always year-first.

Partial dates become the first day of what they name: ``03/2024`` → 2024-03-01, ``2024`` →
2024-01-01, ``март 2024`` → 2024-03-01. Two-digit years 00–69 are 2000–2069, 70–99 are 1970–1999.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["month_from_name", "parse_date", "parse_date_column"]

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_RANGE = (20000, 80000)  # 1954-10-03 … 2119-01-10: wide, and no clash with 4-digit years
_YEAR_RANGE = (1900, 2100)

# Month stems: a word (lower case, dot removed) names the month when it starts with a stem.
# Russian and Ukrainian words are declined (марта, березня, листопада), so stems, not full words.
_CYRILLIC_STEMS = [
    ("янв", 1), ("фев", 2), ("мар", 3), ("апр", 4), ("июн", 6), ("июл", 7), ("авг", 8), ("сен", 9),
    ("окт", 10), ("ноя", 11), ("дек", 12),
    ("січ", 1), ("лют", 2), ("бер", 3), ("кві", 4), ("тра", 5), ("чер", 6), ("лип", 7), ("сер", 8),
    ("вер", 9), ("жов", 10), ("лис", 11), ("гру", 12),
]
_RU_MAY = {"май", "мая", "мае", "маю", "маем"}
_EN_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december"]

_TIME = r"(?:[T\s,]+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[AaPp]\.?[Mm]\.?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?"
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME + r"$")
_DMY = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})" + _TIME + r"$")
_MY = re.compile(r"(\d{1,2})[./-](\d{4})$")
_YM = re.compile(r"(\d{4})[-/.](\d{1,2})$")
_YEAR = re.compile(r"(\d{4})$")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?$")
_WORD_DATE_TAIL = re.compile(r"\s*(?:г|гг|года|год|р|року|рік|year)\.?\s*$")
_ORDINAL = re.compile(r"(\d{1,2})(?:st|nd|rd|th|-?го|-?е|-?го)\b")
_TOKENS = re.compile(r"\d+|[^\W\d_]+")


@dataclass(frozen=True)
class _Numeric:
    """A d/m/y-like value whose order is decided by the column."""

    first: int
    second: int
    year: int
    sep: str


def month_from_name(word: str) -> int | None:
    """The month number a (possibly abbreviated or declined) month name stands for.

    Args:
        word: an English, Russian or Ukrainian month name, e.g. ``"Mar"``, ``"марта"``, ``"лист."``.

    Returns:
        1–12, or None when the word is not a month name.
    """
    w = word.strip().strip(".").lower().replace("ё", "е")
    if len(w) < 3:
        return None
    if w.isascii():
        for number, name in enumerate(_EN_MONTHS, start=1):
            if name.startswith(w) or (w == "sept" and number == 9):
                return number
        return None
    if w in _RU_MAY:
        return 5
    for stem, number in _CYRILLIC_STEMS:
        if w.startswith(stem) and len(w) <= 10:
            return number
    return None


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        return 2000 + y if y < 70 else 1900 + y
    return y


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    if not _YEAR_RANGE[0] <= year <= _YEAR_RANGE[1]:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _from_number(x: float) -> dt.date | None:
    """A number from a spreadsheet: a 4-digit year or an Excel serial day count."""
    if math.isnan(x):
        return None
    if float(x).is_integer() and _YEAR_RANGE[0] <= x <= _YEAR_RANGE[1]:
        return dt.date(int(x), 1, 1)
    if _SERIAL_RANGE[0] <= x <= _SERIAL_RANGE[1]:
        return _EXCEL_EPOCH + dt.timedelta(days=int(x))
    return None


def _from_words(text: str) -> dt.date | None:
    """Dates with a month name: ``15 March 2024``, ``March 15, 2024``, ``15 марта 2024 г.``, ``лист. 2024``."""
    text = _WORD_DATE_TAIL.sub("", _ORDINAL.sub(r"\1", text))
    tokens = _TOKENS.findall(text)
    months = [(i, m) for i, t in enumerate(tokens) if not t.isdigit() and (m := month_from_name(t))]
    words = [t for t in tokens if not t.isdigit()]
    if len(months) != 1 or len(words) > 2:  # one month name; a weekday or similar at most
        return None
    pos, month = months[0]
    numbers = [t for t in tokens if t.isdigit()]
    if len(numbers) == 1 and len(numbers[0]) == 4:
        return _safe_date(int(numbers[0]), month, 1)
    if len(numbers) != 2:
        return None
    before = [t for t in tokens[:pos] if t.isdigit()]
    # "15 March 2024" / "2024 March 15" / "March 15, 2024": the year is the 4-digit number, else the last.
    if len(numbers[0]) == 4:
        year, day = numbers
    elif len(numbers[1]) in (2, 4) and (before or len(numbers[0]) <= 2):
        day, year = numbers
    else:
        return None
    return _safe_date(_year(year), month, int(day))


def _classify(text: str):
    """A date, a column-ordered :class:`_Numeric`, or None."""
    if m := _ISO.match(text):
        return _safe_date(int(m[1]), int(m[2]), int(m[3]))
    if m := _DMY.match(text):
        return _Numeric(int(m[1]), int(m[3]), _year(m[4]), m[2])
    if m := _MY.match(text):
        return _safe_date(int(m[2]), int(m[1]), 1)
    if m := _YM.match(text):
        return _safe_date(int(m[1]), int(m[2]), 1)
    if _YEAR.match(text):
        return _safe_date(int(text), 1, 1)
    if _NUMBER.match(text):
        return _from_number(float(text.replace(",", ".")))
    return _from_words(text)


def _is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _direct(value):
    """Values that are already dates or numbers; ``...`` when the value is text."""
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).date()
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, int | float | np.integer | np.floating):
        return _from_number(float(value))
    return ...


def _month_first(numerics: list[_Numeric]) -> bool:
    """Whether a column of d/m-or-m/d values is month-first: only when a value proves it.

    Dotted values are always day-first and are not evidence either way.
    """
    ambiguous = [n for n in numerics if n.sep != "."]
    if any(n.first > 12 for n in ambiguous):
        return False
    return any(n.second > 12 for n in ambiguous)


def _resolve(n: _Numeric, month_first: bool) -> dt.date | None:
    if month_first and n.sep != ".":
        return _safe_date(n.year, n.first, n.second)
    return _safe_date(n.year, n.second, n.first)


def parse_date_column(values: pd.Series) -> tuple[pd.Series, list[int]]:
    """Parse a column of dates, deciding day-first or month-first once for the whole column.

    Args:
        values: text, numbers (Excel serials, years) or date/datetime cells.

    Returns:
        ``(dates, bad)``: a Series (same index, object dtype) of ``datetime.date`` or None, and the
        0-based positions of non-empty values that could not be read (``"Not Stated"``, ``"NaN"``,
        ``31.02.2024``). Empty cells are None and not reported.
    """
    raw = list(values)
    classified: dict = {}
    for v in raw:
        if _is_missing(v):
            continue
        key = v if isinstance(v, str) else (type(v), repr(v))
        if key not in classified:
            direct = _direct(v)
            classified[key] = _classify(str(v).strip()) if direct is ... else direct
    month_first = _month_first([c for c in classified.values() if isinstance(c, _Numeric)])
    out: list[dt.date | None] = []
    bad: list[int] = []
    for pos, v in enumerate(raw):
        if _is_missing(v):
            out.append(None)
            continue
        c = classified[v if isinstance(v, str) else (type(v), repr(v))]
        d = _resolve(c, month_first) if isinstance(c, _Numeric) else c
        out.append(d)
        if d is None:
            bad.append(pos)
    return pd.Series(out, index=values.index, dtype=object), bad


def parse_date(value) -> dt.date | None:
    """Parse one value; ``3/4/2024`` is day-first (4 March) unless the value itself proves otherwise.

    Args:
        value: text, a number (Excel serial or year) or a date/datetime.

    Returns:
        The date, or None when the value is empty or cannot be read.
    """
    dates, _ = parse_date_column(pd.Series([value], dtype=object))
    return dates.iloc[0]
