"""Output safety: user text stays text; exported cells cannot run as formulas.

Every CSV, TSV or XLSX a user can download or export passes its cells through
:func:`neutralise_cell`. A spreadsheet may split a cell at any list separator (``;`` in Russian,
Ukrainian and German Excel, ``,`` elsewhere, tab, ``|``) or line break, so a formula is neutralised
at the start of the cell *and* after each of those.
"""

from __future__ import annotations

import csv
import re

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A formula character after a separator a spreadsheet may split at ("Thanks;=cmd|' /C calc'!A0").
_SEPARATED_FORMULA = re.compile(r"([,;\t|\r\n][ \t\"']*)(?=[=+\-@])")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$:])")


def neutralise_cell(value):
    """Prefix with an apostrophe a text cell that a spreadsheet would run as a formula, and every
    formula character that follows a separator inside it (whatever the reader's list separator).

    Numbers are left alone (a negative number is not a formula).
    """
    if not isinstance(value, str):
        return value
    value = _SEPARATED_FORMULA.sub(r"\1'", value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def tsv_line(values) -> str:
    """One line of tab-separated text for a terminal or a file: cells neutralised, and tabs and line
    breaks inside a cell turned into spaces (so that one record stays one line)."""
    return "\t".join(re.sub(r"[\t\r\n]+", " ", str(neutralise_cell(v))) for v in values)


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells (and headers) are safe to open in Excel."""
    out = df.copy()
    for col in range(out.shape[1]):
        series = out.iloc[:, col]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
            continue  # numbers and dates are written as such, never as formulas
        # Any other dtype may hold text: object, string, and categorical (whose dtype is neither).
        out.isetitem(col, series.astype(object).map(neutralise_cell))
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a BOM (so Excel on Windows reads Cyrillic), formulas neutralised.

    Lines end in CRLF, so that a cell holding a bare carriage return is quoted: with ``\n`` line
    ends it was written as it is, and a spreadsheet started a new row there ("ok\r=cmd…" became a
    row starting with a live formula).
    """
    return csv_safe(df).to_csv(index=False, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC).encode("utf-8-sig")


def escape_markdown(text: str) -> str:
    """Escape Markdown so that user text renders literally (no links, images, headings or HTML)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)
