"""Every column of a file accounted for: the ones a mapping leaves out, each with the reason and a suggestion.

:func:`unmapped_columns` looks at each column the mapping does not use and says, in one sentence, what
its header and values look like ("looks like eNPS 0–10 but the header was not recognised", "one-word
answers: map as text?") and which field or list it would fit (``suggestion``). A column that looks like
eNPS or a rating item is a ``warning``: the Upload page asks the user to acknowledge it before storing,
and ``python -m eevp ingest --strict`` refuses the file.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from eevp.intake.mapping import (
    DEFAULT_SCALE,
    FIELDS,
    LIST_KEYS,
    counts_header,
    field_label,
    _dates_share,
    _header_fits,
    _header_match,
    _is_text,
    _looks_identifier,
    _profile,
    _Profile,
    _sample,
    _synonym_table,
    _within,
)
from eevp.intake.scales import label_scale

__all__ = ["REASONS", "mapped_columns", "unmapped_columns", "warnings_of"]

#: The reasons, in English (the interface translates them through their templates).
REASONS = {
    "empty": "The column is empty.",
    "taken": "The header reads like '{field}', which is already mapped to the column '{other}'.",
    "enps_values": ("The header reads like the eNPS question, but {bad} of {n} values are not whole numbers "
                    "from 0 to 10."),
    "enps": "Looks like eNPS (whole numbers 0–10) but the header was not recognised.",
    "rating": "Looks like a rating item (whole numbers {lo}–{hi}) outside the rating scale {smin}–{smax}.",
    "rating_unused": "Looks like a rating item (whole numbers {lo}–{hi}) that is not mapped.",
    "rating_words": "Answers in the words of a {points}-point rating scale ('{example}'…) that are not mapped.",
    "score": "Looks like a customer score (whole numbers {lo}–{hi}) that is not mapped: map as Score?",
    "constant": "The same value in every row: nothing to compare.",
    "dates": "Dates, but the date field is already mapped to another column.",
    "numbers": "Numbers outside any rating scale (amounts, counts or codes): not a rating or eNPS.",
    "codes": "A different value in almost every row: an ID or code, not a group.",
    "names": "Short names, many of them repeated (places, products or people?): names to group by, not comments.",
    "one_word": "One-word answers: map as text?",
    "short": "Short answers of a few words: map as text?",
    "text_unused": "Free text that is not mapped: map as text?",
    "text": "Free text, but files of this kind keep one text column.",
    "groups": "A small set of groups, but files of this kind keep no extra segment columns.",
    "other": "Not recognised from the header or the values.",
}
_WARNINGS = {"enps", "enps_values", "rating", "rating_unused", "rating_words"}
#: A column of names: at least this share of its values starts with a capital letter or a digit...
_CAPITALISED = 0.9
#: ...at most this share ends a sentence ("Salary!")...
_SENTENCE_ENDS = 0.1
#: ...and at least this share of its rows repeats a value of another row (a restaurant reviewed again).
_REPEATED = 0.2
#: Where rating scales end (1–4, 1–5, 1–7, 0–10...); counts such as 0–9 or 0–6 are not taken for ratings.
_SCALE_TOPS = (4, 5, 7, 10)


def mapped_columns(mapping: dict) -> set[str]:
    """The source columns a mapping uses (single fields and list keys)."""
    used: set[str] = set()
    for key, value in mapping.items():
        if key in ("scale", "every_row") or value in (None, ""):  # every_row: values, not columns
            continue
        used.update([value] if isinstance(value, str) else [v for v in value if isinstance(v, str)])
    return used


def _entry(column: str, code: str, suggestion: str | None, **values) -> dict:
    return {"column": column, "reason": REASONS[code].format(**values), "suggestion": suggestion,
            "warning": code in _WARNINGS}


def _by_header(col: str, kind: str, p: _Profile, mapping: dict) -> dict | None:
    """A header that names a field the mapping gives to another column or leaves out."""
    target = _header_match(col, _synonym_table(kind), contains=True)
    if target is None or target in LIST_KEYS[kind]:
        return None
    if target != "enps" and not _header_fits(target, kind, p, inside=True):
        return None  # "review_id" holds numbers: no comment, whatever its header says
    if mapping.get(target):
        return _entry(col, "taken", target, field=field_label(target), other=mapping[target])
    if target == "enps" and p.n:
        nums = p.numbers if p.numbers is not None else p.loose_numbers
        good = int(np.count_nonzero((nums >= 0) & (nums <= 10) & (nums % 1 == 0)))
        return _entry(col, "enps_values", "enps", bad=p.n - good, n=p.n)
    return None


def _rating_range(p: _Profile) -> tuple[int, int] | None:
    """(lowest, highest) of a column of small whole numbers that could be answers on a scale."""
    if p.numbers is None or not len(p.numbers) or p.n_unique < 3 or (p.numbers % 1 != 0).any():
        return None
    lo, hi = int(p.numbers.min()), int(p.numbers.max())
    return (lo, hi) if lo in (0, 1) and hi in _SCALE_TOPS else None


def _links(values: pd.Series) -> bool:
    """Most values are web addresses or paths."""
    s = values.dropna().astype(str)
    return len(s) > 0 and s.str.contains("://|^/|^www\\.", regex=True).mean() >= 0.8


def _capitalised(text: str) -> bool:
    """Whether the first letter or digit of ``text`` is a capital letter or a digit ("13 маршрут", "DachA")."""
    first = next((ch for ch in text if ch.isalnum()), "")
    return first.isdigit() or first.isupper()


def _names(values: pd.Series) -> bool:
    """Short values that read as names rather than answers: capitalised, no sentence ends, and many rows
    naming the same thing (SentiRuEval's restaurants: "DachA" 6 times; one-word comments vary more)."""
    s = values.dropna().astype(str).str.strip()
    s = s[s != ""]
    if s.empty:
        return False
    capital = s.map(_capitalised).mean()
    ends = s.str.contains(r"[.!?…]$").mean()
    repeated = s.duplicated(keep=False).mean()
    return capital >= _CAPITALISED and ends <= _SENTENCE_ENDS and repeated >= _REPEATED


def _by_values(col: str, kind: str, p: _Profile, values: pd.Series, mapping: dict) -> dict:
    fields, keys = FIELDS[kind], LIST_KEYS[kind]
    scale = mapping.get("scale") or DEFAULT_SCALE
    if p.n >= 2 and p.n_unique == 1:
        return _entry(col, "constant", None)
    rating = _rating_range(p)
    if rating and "enps" in fields and not mapping.get("enps") and rating[1] == 10:
        return _entry(col, "enps", "enps")
    if rating and "score" in fields and not mapping.get("score"):
        return _entry(col, "score", "score", lo=rating[0], hi=rating[1])
    if rating and "items" in keys and not counts_header(col):
        inside = float(scale["min"]) <= rating[0] and rating[1] <= float(scale["max"])
        return _entry(col, "rating_unused" if inside else "rating", "items", lo=rating[0], hi=rating[1],
                      smin=scale["min"], smax=scale["max"])
    if p.numbers is not None:
        return _entry(col, "numbers", None)
    if "items" in keys and (words := label_scale(values)) is not None:
        return _entry(col, "rating_words", "items", points=words["points"], example=next(iter(words["words"])))
    if p.median_words <= 4 and _dates_share(values) >= 0.8:
        return _entry(col, "dates", None)
    if _is_text(p):
        return _entry(col, "text_unused", "text") if "text" in keys else _entry(col, "text", None)
    if _looks_identifier(p) or p.median_words <= 1 and (p.unique_share >= 0.95 and p.n >= 10 or _links(values)):
        return _entry(col, "codes", "identifiers" if "identifiers" in keys else None)
    if p.median_words <= 2 and (p.n_unique > 50 or p.unique_share > 0.5) and _names(values):
        return _entry(col, "names", "segments" if "segments" in keys else None)
    if p.median_words <= 4 and (p.n_unique > 50 or p.unique_share > 0.5):
        return _entry(col, "one_word" if p.median_words <= 1 else "short", "text" if "text" in keys else None)
    if "segments" not in keys:
        return _entry(col, "groups", None)
    return _entry(col, "other", "segments")


def unmapped_columns(df: pd.DataFrame, mapping: dict, kind: str) -> list[dict]:
    """The columns of ``df`` that ``mapping`` leaves out, in file order.

    Args:
        df: the file as read by :func:`eevp.intake.readers.read_table`.
        mapping: the mapping that will be used (a suggestion, a saved template or the user's).
        kind: one of :data:`eevp.intake.mapping.KINDS`.

    Returns:
        ``[{"column", "reason", "suggestion", "warning"}]``: the reason in one English sentence, the
        field or list key the column would fit (or None), and whether it looks like eNPS or a rating
        item (to be acknowledged before storing).
    """
    used = mapped_columns(mapping)
    sample = _sample(df)
    out = []
    for col in df.columns:
        if col in used:
            continue
        p = _profile(sample[col])
        if not p.n:
            out.append(_entry(col, "empty", None))
            continue
        out.append(_by_header(col, kind, p, mapping) or _by_values(col, kind, p, sample[col], mapping))
    return out


def warnings_of(unmapped: list[dict]) -> list[dict]:
    """The unmapped columns that look like eNPS or a rating item."""
    return [u for u in unmapped if u["warning"]]
