"""Read CSV/TSV/TXT and XLSX files as HR analysts export them: any encoding, any delimiter.

Everything comes back as text (object columns holding ``str`` or None), stripped, with fully
empty rows and columns dropped; the meaning of the columns is the mapping step's business.
Every failure is an :class:`~eevp.errors.InputError` whose message names the fix.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import math
import re
import unicodedata
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from eevp.errors import InputError
from eevp.intake.exports import QUALTRICS, SURVEYMONKEY, tool_header
from eevp.intake.mending import clean_name, mend_header, trailing_junk

__all__ = ["DELIMITERS", "MAX_CELL_CHARS", "MAX_COLUMNS", "MAX_ROWS", "NOTES", "detect_encoding", "file_rows",
           "list_sheets", "read_table", "reading_notes", "sniff_delimiter"]

DELIMITERS = (",", ";", "\t", "|")
_SAVE_HINT = "Save it from Excel as 'CSV UTF-8' or .xlsx and try again."
_SNIFF_CHARS = 64_000
_COMMON_SYMBOLS = set("+<=>|~^`$%№€£₴₽©®°±§¤")
_DETECT_BYTES = 200_000
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls / .doc

# Letter frequencies (per cent) of Russian and Ukrainian text, used to tell cp1251 from KOI8-U:
# decoding with the wrong one of the two turns common lower-case letters into rare or upper-case ones.
_FREQ = {
    "о": 10.0, "е": 8.0, "а": 8.0, "и": 6.5, "н": 6.6, "т": 6.0, "с": 5.0, "р": 4.7, "в": 4.5, "л": 4.2,
    "к": 3.5, "м": 3.1, "д": 3.0, "п": 2.8, "у": 2.8, "я": 2.1, "і": 2.5, "ы": 1.2, "ь": 1.7, "г": 1.6,
    "з": 1.8, "б": 1.6, "ч": 1.4, "й": 1.2, "х": 0.9, "ж": 0.9, "ш": 0.7, "ю": 0.6, "ц": 0.5, "щ": 0.4,
    "э": 0.2, "ф": 0.2, "ї": 0.6, "є": 0.4, "ъ": 0.04, "ё": 0.04, "ґ": 0.02,
}
_MIN_CYRILLIC_SCORE = -1.0  # real text scores about +1.5; random bytes or a wrong code page below -2
_LATIN_CODEPAGES = {"cp1250", "cp1252", "latin_1", "iso8859_2", "iso8859_15", "iso8859_9", "cp1254", "cp1257",
                    "mac_roman", "mac_latin2", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_16"}
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_WORD = re.compile(r"[^\W\d_]+")

#: Caps on what one XLSX sheet may hold: a few kilobytes of zipped XML can declare a million rows
#: of sixteen thousand columns, and reading that would exhaust the memory.
MAX_ROWS = 1_000_000
MAX_COLUMNS = 12_000
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell: a longer one is a damaged or crafted file
_MAX_CELLS = 20_000_000
_ROW_OFFSET = 2  # a frame not read here: the header is row 1, the first data row row 2 (as in eevp.intake.validate)
_CR_MARK = "\ue000"  # stands for a bare carriage return inside a cell while the rows are split
_BARE_CR = re.compile(r"\r(?!\n)")
_ROWS_DATA = json.loads((Path(__file__).resolve().parents[1] / "resources" / "mapping" / "rows.json")
                        .read_text(encoding="utf-8"))
_TOTALS = frozenset(_ROWS_DATA["totals"])
#: What :func:`reading_notes` says of a row (the interface translates them through their templates).
NOTES = {
    "header": "The row repeats the header row (files joined together?); it was skipped.",
    "totals": "The row holds totals or averages, not an answer; it was skipped.",
    SURVEYMONKEY: ("A SurveyMonkey export: its second header row (answer options, 'Response') was read into "
                   "the column names."),
    QUALTRICS: ("A Qualtrics export: the question texts were taken as the column names, and the question text "
                "and ImportId rows under the header were skipped."),
    "wide": ("The row has {cells} cells where the header has {width}: a delimiter or line break inside an unquoted "
             "cell may have split or shifted it. Check this row; its extra cells are in columns without a header."),
    "split": ("The column name '{name}' had been split at its commas (its quotes were doubled); it was read as one "
              "name, and the columns after it under their own names."),
    "junk": "Every row ended in '{junk}', stuck to the last answer; it was taken off.",
}


# --------------------------------------------------------------------------- encoding

def _plausible_share(text: str) -> float:
    """Share of characters from the scripts a CSV here holds: ASCII, Latin-1, Cyrillic, punctuation."""
    if not text:
        return 0.0
    ok = sum(1 for ch in text if ch in "\t\r\n" or 32 <= ord(ch) < 0x250 or 0x400 <= ord(ch) < 0x530
             or 0x2000 <= ord(ch) < 0x2200)
    return ok / len(text)


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 saved without a BOM: NUL bytes, and one byte order decodes to plausible text."""
    sample = raw[:4000]
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(enc)
        except UnicodeDecodeError:
            continue
        if _plausible_share(text) >= 0.95:
            return enc
    return None


def _cyrillic_score(text: str) -> float:
    """How much ``text`` looks like real Russian/Ukrainian: mean log letter frequency, with penalties
    for words of mixed case (``дНКФМНЯРЭ``) or mixed script (``Cafй``) that a wrong code page gives."""
    words = _WORD.findall(text)
    letters, total, bad_words, cyr_words = 0, 0.0, 0, 0
    for word in words:
        cyr = len(_CYRILLIC.findall(word))
        if not cyr:
            continue
        cyr_words += 1
        if cyr != len(word) or not (word.islower() or word.isupper() or word[1:].islower()):
            bad_words += 1
        for ch in word.lower():
            if _CYRILLIC.match(ch):
                letters += 1
                total += math.log(_FREQ.get(ch, 0.01))
    if not letters:
        return float("-inf")
    return total / letters - 4.0 * bad_words / cyr_words


def _looks_cyrillic(text: str) -> bool:
    """Most words with non-ASCII letters are whole Cyrillic words (not Latin words with odd letters)."""
    non_ascii = [w for w in _WORD.findall(text) if not w.isascii()]
    if not non_ascii:
        return False
    pure = sum(1 for w in non_ascii if len(_CYRILLIC.findall(w)) == len(w))
    return pure >= 0.6 * len(non_ascii)


def _best_cyrillic(sample: bytes) -> str | None:
    """cp1251 or koi8-u, whichever decoding reads as Russian/Ukrainian; None if neither does."""
    scored = []
    for enc in ("cp1251", "koi8_u"):
        text = sample.decode(enc, errors="replace")
        if _looks_cyrillic(text):
            scored.append((_cyrillic_score(text), enc))
    if not scored or max(scored)[0] < _MIN_CYRILLIC_SCORE:
        return None
    return max(scored)[1]


def detect_encoding(raw: bytes) -> str:
    """Name the text encoding of ``raw``: a Python codec name usable with ``bytes.decode``.

    BOMs decide first (``utf-8-sig``, ``utf-16``); then UTF-16 without BOM; then strict UTF-8.
    Otherwise charset-normalizer is asked, but for Cyrillic text the choice between cp1251 and
    KOI8-U is made here by which decoding gives common Cyrillic letters in normally cased words,
    because charset-normalizer confuses the two on short texts.

    Args:
        raw: the file's bytes.

    Returns:
        A codec name, e.g. ``"utf-8"``, ``"utf-8-sig"``, ``"utf-16"``, ``"cp1251"``, ``"koi8_u"``.

    Raises:
        InputError: the bytes are not text in any encoding we know (a binary file).
    """
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if enc := _utf16_without_bom(raw):
        return enc
    if b"\x00" in raw[:_DETECT_BYTES]:
        raise InputError("The file contains NUL bytes, so it is not a text (CSV) file; it may be a binary or "
                         f"damaged file. {_SAVE_HINT}")
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    sample = raw[:_DETECT_BYTES]
    if enc := _best_cyrillic(sample):
        return enc
    return _charset_normalizer_guess(sample)


def _charset_normalizer_guess(sample: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        raise InputError(f"Could not read this file as text: it looks like a binary file. {_SAVE_HINT}")
    if best.encoding in _LATIN_CODEPAGES:
        # On short texts charset-normalizer picks among Latin code pages almost at random
        # (cp1250 turns "Très" into "Trčs"); Western Windows-1252 is by far the likeliest here.
        return "cp1252"
    return best.encoding


def _decode(raw: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was read in."""
    enc = detect_encoding(raw)
    text = raw.decode(enc, errors="replace")
    if "\x00" in text:  # past the part detect_encoding looks at: no database column may hold one
        raise InputError("The file contains NUL bytes, so it is not a text (CSV) file; it may be a binary or "
                         f"damaged file. {_SAVE_HINT}")
    if _garbage_share(text[:_SNIFF_CHARS]) > 0.1:
        raise InputError(f"Could not read this file as CSV or Excel: it looks like a binary file, not text. "
                         f"{_SAVE_HINT}")
    # A BOM inside the text comes from files joined together (each export starts with one).
    return text.replace("\ufeff", ""), enc


def _garbage_share(text: str) -> float:
    """Share of characters that are not letters, digits, marks, punctuation or white space."""
    if not text:
        return 0.0
    bad = sum(1 for ch in text if ch not in "\t\r\n" and unicodedata.category(ch)[0] not in "LNMPZ"
              and ch not in _COMMON_SYMBOLS)
    return bad / len(text)


# --------------------------------------------------------------------------- delimiter

def _rows(sample: str, delimiter: str, truncated: bool) -> list[list[str]]:
    try:
        rows = list(csv.reader(io.StringIO(sample), delimiter=delimiter))
    except csv.Error:
        return []
    if truncated and rows:
        rows = rows[:-1]  # the cut may fall inside the last row
    return [r for r in rows if r][:50]


def sniff_delimiter(text: str) -> str:
    """Pick the delimiter among ``,`` ``;`` tab ``|`` that splits the rows most consistently.

    Rows are parsed with quotes respected, over the first ~64 kB (50 rows). Candidates where at
    least 90% of rows have the same field count (the mode, at least 2) win over the others; among
    those the one giving more fields wins (a ``;`` file with decimal commas still splits on ``;``,
    and a ``,`` file with a few ``;`` inside cells still splits on ``,``).

    Args:
        text: the decoded file (or its beginning).

    Returns:
        The delimiter; ``","`` when none splits the rows (a one-column file).
    """
    sample = text[:_SNIFF_CHARS]
    truncated = len(text) > _SNIFF_CHARS
    best, best_key = ",", None
    for rank, delim in enumerate(reversed(DELIMITERS)):
        rows = _rows(sample, delim, truncated)
        widths = [len(r) for r in rows]
        if not widths:
            continue
        mode = max(set(widths), key=lambda w: (widths.count(w), w))
        if mode < 2:
            continue
        share = widths.count(mode) / len(widths)
        key = (share >= 0.9, mode, share, rank)
        if best_key is None or key > best_key:
            best, best_key = delim, key
    return best


# --------------------------------------------------------------------------- tidy frame

def _dedupe(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in headers:
        name = h
        if name in seen:
            seen[name] += 1
            name = f"{h} ({seen[h]})"
            while name in seen:
                seen[h] += 1
                name = f"{h} ({seen[h]})"
        seen.setdefault(name, 1)
        out.append(name)
    return out


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    s = str(value).strip()
    return s or None


def _clean_value(value) -> str | None:
    """Stripped text; empty or missing → None."""
    return (value.strip() or None) if isinstance(value, str) else None


_clean_cells = np.frompyfunc(_clean_value, 1, 1)


def _key(value) -> str:
    return " ".join(str(value).split()).casefold() if value is not None else ""


def _is_header_again(row: pd.Series, header: pd.Series) -> bool:
    """A data row that repeats the header (files joined together, or a report exported by pages)."""
    named = [j for j in header.index if header[j] is not None]
    return len(named) >= 2 and all(_key(row[j]) == _key(header[j]) for j in named)


def _is_totals(row: pd.Series) -> bool:
    first = next((v for v in row if v is not None), None)
    return first is not None and _key(first).rstrip(":").strip() in _TOTALS


def _repeated_headers(header: pd.Series, body: pd.DataFrame) -> list[int]:
    """Positions of the rows that repeat the header (files joined together, a report printed by pages)."""
    named = [j for j in header.index if header[j] is not None]
    if len(named) < 2 or body.empty:
        return []
    first = body[named[0]].to_numpy(dtype=object)
    key = _key(header[named[0]])
    # Only rows whose first named cell reads like the header's are compared in full (fast on big files).
    candidates = [i for i, v in enumerate(first) if v is not None and v.casefold() == key]
    return [i for i in candidates if _is_header_again(body.iloc[i], header)]


def _odd_rows(header: pd.Series, body: pd.DataFrame) -> tuple[list[int], list[dict]]:
    """Rows to skip (repeated headers, totals at the end) by position, and a note for each odd row
    (its number in the file: ``body``'s index is the 0-based row of the file)."""
    row = (body.index.to_numpy() + 1).tolist()
    skip = _repeated_headers(header, body)
    notes = [{"row": row[pos], "message": NOTES["header"]} for pos in skip]
    width = max((j + 1 for j in header.index if header[j] is not None), default=0)
    filled = body.notna().to_numpy()
    for pos in np.flatnonzero(filled[:, width:].any(axis=1)) if len(body) else []:
        if pos not in skip:
            last = int(filled[pos].nonzero()[0].max()) + 1
            notes.append({"row": row[pos], "message": NOTES["wide"].format(cells=last, width=width)})
    tail = len(body) - 1
    while tail >= 0 and tail not in skip and _is_totals(body.iloc[tail]) and len(body) - tail <= 3:
        skip.append(tail)
        notes.append({"row": row[tail], "message": NOTES["totals"]})
        tail -= 1
    return skip, sorted(notes, key=lambda n: n["row"])


def _title_rows(cells: pd.DataFrame) -> int:
    """Lines above the header that hold one cell only (a report's title, its date), as exports from
    accounting and HR systems start: the header is the first row of several cells after them."""
    filled = cells.notna().sum(axis=1).to_numpy()
    n = 0
    while n < min(len(filled) - 1, 5) and filled[n] == 1:
        n += 1
    wide = 0 < n < len(filled) and filled[n] >= 2 and (n + 1 == len(filled) or filled[n + 1] >= 2)
    return n if wide else 0


def _tidy(raw: pd.DataFrame) -> pd.DataFrame:
    """Raw cells (first non-empty row = header, columns by position) → tidy text frame.

    Rows that repeat the header and totals rows at the end are skipped; each is named, with the
    other odd rows (more cells than the header), in :func:`reading_notes`.
    """
    # One vectorised pass over all cells: a per-column loop made a 10,000-column file take seconds.
    values = raw.to_numpy(dtype=object)
    cells = pd.DataFrame(_clean_cells(values) if values.size else values, index=raw.index, dtype=object)
    cells = cells[cells.notna().any(axis=1)]
    if cells.empty:
        raise InputError("The file has no data: every row is empty.")
    cells = cells.iloc[_title_rows(cells):]
    tool, header, height = tool_header(cells)
    body = cells.iloc[height:]
    header, joined = mend_header(header, body)
    body, junk = trailing_junk(body)
    header = pd.Series([clean_name(v) if isinstance(v, str) else v for v in header], index=header.index, dtype=object)
    skip, notes = _odd_rows(header, body)
    if tool:
        notes.insert(0, {"row": int(cells.index[1]) + 1, "message": NOTES[tool]})
    first = int(cells.index[0]) + 1  # the header's row in the file
    if junk:
        notes.insert(0, {"row": first + height, "message": NOTES["junk"].format(junk=junk)})
    if joined:
        notes.insert(0, {"row": first, "message": NOTES["split"].format(
            name=joined if len(joined) <= 120 else joined[:119] + "…")})
    if skip:
        body = body.drop(index=body.index[skip])
    has_body = body.notna().any(axis=0)
    keep = [j for j in cells.columns if header[j] is not None or has_body[j]]
    names = _dedupe([(header[j] or f"Column {j + 1}").strip() for j in keep])
    out = body[keep].reset_index(drop=True)
    out.columns = names
    out = out.astype(object)
    out.attrs["reading_notes"] = notes
    out.attrs["file_rows"] = _runs(body.index.to_numpy() + 1)
    return out


def reading_notes(df: pd.DataFrame) -> list[dict]:
    """What :func:`read_table` skipped or found odd: ``[{"row", "message"}]`` (rows numbered as in
    the file, as a spreadsheet shows it); empty for a clean file."""
    return list(df.attrs.get("reading_notes", []))


def _runs(rows: np.ndarray) -> list[list[int]]:
    """Row numbers as runs ``[[first, count], ...]``: small in frame attrs (pandas copies them often)."""
    if not len(rows):
        return []
    starts = np.flatnonzero(np.diff(rows) != 1) + 1
    bounds = np.concatenate([[0], starts, [len(rows)]])
    return [[int(rows[a]), int(b - a)] for a, b in zip(bounds[:-1], bounds[1:])]


def file_rows(df: pd.DataFrame) -> np.ndarray:
    """The row of the file (as a spreadsheet numbers it, the header on row 1 when it is the first)
    that each row of a frame from :func:`read_table` came from: skipped rows (blank lines, title
    lines, repeated headers, extra header rows of survey tools) leave gaps. A frame made otherwise,
    or with rows added or removed since, is numbered 2, 3, ... (header on row 1)."""
    runs = df.attrs.get("file_rows")
    rows = np.concatenate([np.arange(a, a + n) for a, n in runs]) if runs else np.zeros(0, dtype=int)
    if len(rows) != len(df):
        return np.arange(len(df)) + _ROW_OFFSET
    return rows


def _padded(rows: list[list]) -> pd.DataFrame:
    """Rows of cells of any length → one frame of raw cells."""
    width = max((len(r) for r in rows), default=0)
    if not width:
        raise InputError("The file has no data: every row is empty.")
    return pd.DataFrame([list(r) + [None] * (width - len(r)) for r in rows], dtype=object)


# --------------------------------------------------------------------------- CSV and XLSX

def _csv_fast(text: str, delim: str, utf8: bytes | None = None) -> pd.DataFrame | None:
    """pandas' C parser (quotes and multi-line cells handled); None when rows are ragged. ``utf8``:
    the text's own UTF-8 bytes where the caller has them (the file itself, read as it is)."""
    try:  # bytes, not io.StringIO: that copies the text at 4 bytes a character (1.4 GB for a 380 MB file)
        return pd.read_csv(io.BytesIO(text.encode("utf-8") if utf8 is None else utf8), encoding="utf-8", sep=delim, header=None, dtype=object,
                           keep_default_na=False, na_filter=False, skip_blank_lines=False, engine="c")
    except (pd.errors.ParserError, ValueError):
        return None


def _csv_rows(text: str, delim: str, blank: bool = False) -> list[list[str]]:
    """The rows of cells; blank rows kept (``blank``: the rows keep their numbers) or left out."""
    csv.field_size_limit(max(csv.field_size_limit(), 50 * 1024 * 1024))  # long comments are fine
    try:
        return [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delim)
                if blank or any(c.strip() for c in r)]
    except csv.Error as exc:
        raise InputError(f"Could not read this file as CSV or Excel: {exc}. {_SAVE_HINT}") from None


def _parse(text: str, delim: str) -> pd.DataFrame:
    """Raw cells, one row per row of the file: pandas' C parser, or Python's csv (rows padded) when
    the rows are ragged."""
    fast = _csv_fast(text, delim)
    return fast if fast is not None else _padded(_csv_rows(text, delim, blank=True))


def _fit(text: str, delim: str) -> float:
    """Share of the rows with as many cells as the first (the header)."""
    rows = _csv_rows(text, delim)
    return sum(len(r) == len(rows[0]) for r in rows) / len(rows) if rows else 1.0


_unmark = np.frompyfunc(lambda v: v.replace(_CR_MARK, "\n") if isinstance(v, str) else v, 1, 1)


def _read_csv(raw: bytes) -> pd.DataFrame:
    text, enc = _decode(raw)
    if not text or text.isspace():  # strip() would copy the whole text
        raise InputError("The file is empty.")
    delim = sniff_delimiter(text)
    if "\n" in text and _BARE_CR.search(text):
        # Some exports (the Indeed reviews among them) end rows with LF and put a bare CR for a line
        # break inside an unquoted cell: when read that way more rows line up with the header, it is.
        marked = _BARE_CR.sub(_CR_MARK, text)
        if _fit(marked, delim) > _fit(text, delim):
            return _tidy(pd.DataFrame(_unmark(_parse(marked, delim).to_numpy(dtype=object)), dtype=object))
    if enc == "utf-8" and codecs.BOM_UTF8 not in raw:
        # The file is the text's own UTF-8 bytes: parsed as it is, with the text (twice the size in
        # memory) let go first; decoded again only when its rows are ragged.
        del text
        fast = _csv_fast("", delim, raw)
        return _tidy(fast if fast is not None else _padded(_csv_rows(raw.decode("utf-8"), delim, blank=True)))
    return _tidy(_parse(text, delim))


def _workbook(raw: bytes):
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds (zip, KeyError, XML)
        raise InputError(f"Could not read this file as Excel (.xlsx): {type(exc).__name__}: {exc}. "
                         f"{_SAVE_HINT}") from None


def _check_caps(title: str, n: int, width: int, cells: int) -> None:
    """Stop at the caps on one sheet (rows, columns, cells): each message says which was passed."""
    if n > MAX_ROWS:
        raise InputError(f"The sheet '{title}' has more than {MAX_ROWS:,} rows, the most eevp reads from one "
                         "sheet (the cap on rows). Keep the rows you need, or split the file.")
    if width > MAX_COLUMNS:
        raise InputError(f"The sheet '{title}' has more than {MAX_COLUMNS:,} columns, the most eevp reads from "
                         "one sheet (the cap on columns). Keep the columns you need, or split the file.")
    if cells > _MAX_CELLS:
        raise InputError(f"The sheet '{title}' has more than {_MAX_CELLS:,} cells, the most eevp reads from one "
                         "sheet (the cap on cells). Keep the columns and rows you need, or split the file.")


def _sheet_rows(ws) -> tuple[list[list], list[int]]:
    """The sheet's non-empty rows as text and their row numbers (0-based), streamed: the declared
    size is ignored (it may be huge)."""
    ws.reset_dimensions()  # otherwise every row is padded to the declared width, and empty rows added
    rows, numbers, cells = [], [], 0
    for n, r in enumerate(ws.iter_rows(values_only=True), start=1):
        _check_caps(ws.title, n, len(r or ()), cells)
        if not r or all(v is None for v in r):
            continue
        cells += len(r)
        _check_caps(ws.title, n, len(r), cells)
        row = [_cell_text(v) for v in r]
        if any(v is not None and len(v) > MAX_CELL_CHARS for v in row):
            raise InputError(f"A cell in row {n} of the sheet '{ws.title}' holds more than {MAX_CELL_CHARS:,} "
                             f"characters, the cap on cell size (Excel's own limit); the file may be damaged.")
        rows.append(row)
        numbers.append(n - 1)
    return rows, numbers


def _read_xlsx(raw: bytes, sheet: str | int | None) -> pd.DataFrame:
    wb = _workbook(raw)
    try:
        names = wb.sheetnames
        if sheet is None:
            ws = wb[names[0]]
        elif isinstance(sheet, int) and not isinstance(sheet, bool):
            if not 0 <= sheet < len(names):
                raise InputError(f"The workbook has no sheet number {sheet}. Its sheets are: {', '.join(names)}.")
            ws = wb[names[sheet]]
        elif sheet in names:
            ws = wb[sheet]
        else:
            raise InputError(f"The workbook has no sheet '{sheet}'. Choose one of: {', '.join(names)}.")
        try:
            rows, numbers = _sheet_rows(ws)
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged sheet; the person gets the fix, not a traceback
            raise InputError(f"Could not read the sheet '{ws.title}': {type(exc).__name__}: {exc}. "
                             f"{_SAVE_HINT}") from None
    finally:
        wb.close()
    if not rows:
        raise InputError(f"The sheet '{ws.title}' is empty. Choose another sheet or check the file.")
    return _tidy(_padded(rows).set_axis(numbers))


def _bytes(data: bytes | BinaryIO) -> bytes:
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    try:
        return data.read()
    except Exception as exc:  # noqa: BLE001 - any file-like object
        raise InputError(f"Could not read the uploaded file: {exc}.") from None


def _is_xlsx(raw: bytes, filename: str) -> bool:
    name = filename.lower()
    if raw.startswith(_OLE_MAGIC):
        raise InputError("This is an old Excel 97–2003 (.xls) file, which is not supported. Open it in Excel and "
                         "save it as .xlsx or 'CSV UTF-8', then try again.")
    if raw.startswith(b"PK"):
        return True
    if name.endswith((".xlsx", ".xlsm")):
        raise InputError("The file is named .xlsx but is not an Excel workbook (it may be damaged, or a CSV "
                         f"renamed to .xlsx). {_SAVE_HINT}")
    return False


def list_sheets(data: bytes | BinaryIO, filename: str) -> list[str]:
    """Sheet names of an XLSX workbook, in order (``[]`` for CSV files).

    Raises:
        InputError: the file is not a readable workbook.
    """
    raw = _bytes(data)
    if not raw or not _is_xlsx(raw, filename):
        return []
    wb = _workbook(raw)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def read_table(data: bytes | BinaryIO, filename: str, sheet: str | int | None = None) -> pd.DataFrame:
    """Read a CSV/TSV/TXT or XLSX file into a frame of text.

    The format is chosen by content (XLSX files start with ``PK``) and by extension. Cells are
    stripped; empty cells are None; fully empty rows and columns are dropped; headers are stripped
    and de-duplicated (a repeated header gets `` (2)``); row order is kept.

    Args:
        data: the file's bytes or a binary file object.
        filename: the original name (its extension is a hint, not a promise).
        sheet: XLSX only: a sheet name or 0-based position; default the first sheet.

    Returns:
        A DataFrame with object columns of ``str`` or None and a 0..n-1 index.

    Raises:
        InputError: empty, binary or damaged file, or a sheet that does not exist.
    """
    raw = _bytes(data)
    if not raw or raw.isspace():  # strip() would copy the whole file
        raise InputError("The file is empty.")
    try:
        if _is_xlsx(raw, filename):
            return _read_xlsx(raw, sheet)
        return _read_csv(raw)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - never let a parser's traceback reach a person
        raise InputError(f"Could not read this file as CSV or Excel: {type(exc).__name__}: {exc}. "
                         f"{_SAVE_HINT}") from None
