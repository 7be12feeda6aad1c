"""Answer scales written as words ("Strongly agree", "Скорее согласен", "SA"): recognised, and turned
into their points (1 = lowest), so that such a column is a rating item and not a segment.

The scales are data (``eevp/resources/mapping/scales.json``). In a mapping, ``labels`` holds one entry
per item column answered in words: ``{"points": 5, "words": {"strongly agree": 5, ...}}`` (words as
:func:`normalise_label` writes them); the user may add a number for a word no scale knows.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pandas as pd

__all__ = ["NO_ANSWER", "conversions", "item_labels", "label_scale", "normalise_label", "numbers_scale", "to_points",
           "with_labels"]

_DATA = json.loads((Path(__file__).resolve().parents[1] / "resources" / "mapping" / "scales.json")
                   .read_text(encoding="utf-8"))
_SCALES = {name: (s["points"], {normal: int(point) for point, words in s["labels"].items() for normal in
                                (" ".join(w.casefold().replace("ё", "е").split()) for w in words)})
           for name, s in _DATA["scales"].items()}
_MIN_FOR_FEWER = _DATA["min_answers_for_fewer"]
_NO_ANSWER = frozenset(" ".join(w.casefold().split()) for w in _DATA["no_answer"])
_COVERAGE = 0.8  # share of the answers that must be labels of the scale
_HEAD = 1000  # answers looked at first
_TRAILING = re.compile(r"[\s.!,;:]+$")


#: The rating scales :func:`numbers_scale` may find, as (lowest, highest) answers.
_NUMBER_SCALES = frozenset({(1, 4), (1, 5), (1, 6), (1, 7), (1, 10), (0, 10)})

#: What a user gives for a word that means no answer (a missing-value code such as "M"): it is stored empty.
#: In a mapping file, such words are the scale's ``"no_answer"`` list.
NO_ANSWER = "no answer"


def _skipped(scale: dict) -> frozenset:
    """The answers of ``scale``'s column that mean no answer: the known ones and those the user named."""
    return _NO_ANSWER | {normalise_label(w) for w in scale.get("no_answer", ())}


def normalise_label(value: str) -> str:
    """A label as compared: case-folded, spaces collapsed, ё as е, trailing punctuation dropped."""
    return _TRAILING.sub("", " ".join(str(value).casefold().replace("ё", "е").split()))


def _answers(values) -> Counter:
    """Each normalised answer and how often it is given (counted over the distinct values: fast)."""
    counts: Counter = Counter()
    for value, n in pd.Series(values, dtype=object).value_counts(dropna=True).items():
        if not _missing(value):
            counts[normalise_label(value)] += int(n)
    return counts


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or not str(value).strip()


def label_scale(values) -> dict | None:
    """The scale of a column answered in words, or None.

    Returns:
        ``{"points": k, "words": {label: point}}`` for the labels found in the column, when at least
        two different labels and 80% of the answers belong to one scale (see the resource file for the
        choice between scales that all fit).
    """
    head = _answers(pd.Series(values, dtype=object).dropna().iloc[:_HEAD])
    if not any(w in words for w in head for _, words in _SCALES.values()):
        return None  # no label among the first answers: numbers, names or text (a quick no on big files)
    answers = {w: n for w, n in _answers(values).items() if w not in _NO_ANSWER}
    total = sum(answers.values())
    fits = []
    for points, words in _SCALES.values():
        known = {w: words[w] for w in answers if w in words}
        share = sum(answers[w] for w in known) / total if total else 0.0
        if len(known) >= 2 and share >= _COVERAGE and not all(w.isdigit() for w in known):
            fits.append((share, points, known))
    if not fits:
        return None
    best = max(share for share, _, _ in fits)
    fits = [f for f in fits if f[0] == best]
    fewer = total >= _MIN_FOR_FEWER
    share, points, known = min(fits, key=lambda f: (f[1] if fewer else (f[1] != 5, f[1])))
    return {"points": points, "words": known}


def to_points(values: pd.Series, scale: dict) -> tuple[pd.Series, list]:
    """Labels → points (numbers kept as they are); returns the converted values and the positions of
    words the scale does not know."""
    words, skip = scale.get("words", {}), _skipped(scale)
    out, unknown = [], []
    for pos, v in enumerate(values):
        if _missing(v):
            out.append(None)
            continue
        key = normalise_label(v)
        if key in skip:
            out.append(None)
        elif key in words:
            out.append(str(words[key]))
        else:
            out.append(str(v))
            if not re.fullmatch(r"-?\d+(?:[.,]\d+)?", str(v).strip()):
                unknown.append(pos)
    return pd.Series(out, index=values.index, dtype=object), unknown


def conversions(df: pd.DataFrame, mapping: dict) -> list[dict]:
    """For each item answered in words: ``{"column", "points", "converted": {label: point}, "no_answer":
    [labels that mean no answer, left empty], "unknown": [labels no scale knows]}`` (for the report of
    an upload)."""
    out = []
    for column, scale in (mapping.get("labels") or {}).items():
        if column not in df.columns:
            continue
        answers = _answers(df[column])
        words, skip = scale.get("words", {}), _skipped(scale)
        unknown = sorted(w for w in answers if w not in words and w not in skip
                         and not re.fullmatch(r"-?\d+(?:[.,]\d+)?", w))
        out.append({"column": column, "points": scale.get("points"),
                    "converted": {w: words[w] for w in sorted(answers) if w in words},
                    "no_answer": sorted(w for w in answers if w in skip), "unknown": unknown})
    return out


def item_labels(df: pd.DataFrame, mapping: dict, suggested: dict | None = None) -> dict:
    """A copy of ``mapping`` whose ``labels`` cover the item columns answered in words: the suggested
    labels for the items kept, the scale found for items the user added."""
    labels = {}
    for col in mapping.get("items") or []:
        if col in (suggested or {}):
            labels[col] = suggested[col]
        elif col in (mapping.get("labels") or {}):
            labels[col] = mapping["labels"][col]
        elif col in df.columns and (found := label_scale(df[col])) is not None:
            labels[col] = found
    out = {k: v for k, v in mapping.items() if k != "labels"}
    return {**out, "labels": labels} if labels else out


def with_labels(mapping: dict, numbers: dict) -> dict:
    """A copy of ``mapping`` with the user's numbers for words no scale knows added to its labels.

    Args:
        mapping: a mapping (its ``labels`` as :func:`label_scale` gives them).
        numbers: ``{column: {label: point, NO_ANSWER or None}}``; a None (not answered yet) is left out, and
            a label given :data:`NO_ANSWER` is stored empty.
    """
    labels = {c: {"points": s.get("points"), "words": dict(s.get("words", {})),
                  **({"no_answer": list(s["no_answer"])} if s.get("no_answer") else {})}
              for c, s in (mapping.get("labels") or {}).items()}
    for column, given in numbers.items():
        scale = labels.setdefault(column, {"points": None, "words": {}})
        scale["words"].update({normalise_label(w): int(n) for w, n in given.items() if n not in (None, NO_ANSWER)})
        none = {normalise_label(w) for w, n in given.items() if n == NO_ANSWER}
        if none:
            scale["no_answer"] = sorted(none | set(scale.get("no_answer", ())))
        scale["points"] = max([scale["points"] or 0, *scale["words"].values()]) or None
    return {**mapping, "labels": labels} if labels else dict(mapping)


def numbers_scale(columns: list, default: dict) -> dict:
    """The rating scale of a file that declares none: the range most of its columns of whole numbers span,
    when at least two do and it is where a scale ends (1–4, 1–6, 1–7, 1–10, 0–10); else ``default``.

    IBM's attrition file answers on 1–4: read on 1–5, two codes of 1–5 (Education, JobLevel) became rating
    items beside them. SentiRuEval's restaurant scores are 0–10: read on 1–5, all three were offered as eNPS.
    One column alone (an eNPS question whose header is not known) says nothing about the scale; in a tie
    ``default`` stays.

    Args:
        columns: the numbers of each candidate column (arrays of floats, without missing values).
        default: the scale when the columns do not tell, ``{"min": 1, "max": 5}``.
    """
    ranges = Counter((int(c.min()), int(c.max())) for c in columns
                     if len(set(c.tolist())) >= 3 and (c % 1 == 0).all() and (c.min(), c.max()) in _NUMBER_SCALES)
    best = ranges.most_common(2)
    if not best or best[0][1] < 2 or len(best) > 1 and best[1][1] == best[0][1]:
        return dict(default)
    return {"min": best[0][0][0], "max": best[0][0][1]}
