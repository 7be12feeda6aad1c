"""Split long answers (exit interviews, focus-group notes) into statements.

Order of cuts: bullets and lines first, then sentences. Abbreviations ("e.g.", "т.е.", "т. д.",
"Mr.", "напр."), decimals ("3.5") and initials do not end a sentence; fragments of fewer than
three words are merged into the statement before them.
"""

from __future__ import annotations

import re


def _words(text: str) -> list[str]:
    return text.split()


__all__ = ["MIN_WORDS", "split_statements"]

MIN_WORDS = 3

# A bullet sign is followed by a space or a letter, a run of them by a space ("-2+3" is a value and
# "**bold**" markup, not bullets).
_BULLET = re.compile(r"^\s*(?:[-–—•*·▪●◦‣>](?=\s|[^\W\d_]|$)|[-–—•*·▪●◦‣>]{2,}(?=\s|$)|\(?\d{1,3}[.)](?!\d)|\(?[a-zа-яі]\))\s*")
_INLINE_BULLET = re.compile(r"\s+[•▪●◦‣]\s+")
# A candidate sentence end: terminal punctuation (with closing quotes/brackets) then whitespace, or a capital
# letter at once: reviews typed fast leave out the space ("...ресторане!Поехала туда", "...заказ.Официант").
_END = re.compile(r"([.!?…]+)([\"'»”)\]]*)(\s+|(?=[A-ZА-ЯЁІЇЄҐ]))")
_TOKEN_BEFORE = re.compile(r"([^\W\d_]+(?:\.[^\W\d_]+)*)\.?$")

# Never a sentence end when followed by more text.
_ABBREV = frozenset(
    _words("""
e.g i.e cf vs approx mr mrs ms dr prof st nr dept fig jan feb mar apr jun jul aug sep sept oct
nov dec inc ltd co jr sr
т.е т.к т.н напр см ср др пр г гг им ім проф вул ул ст стр рис тыс тис млн млрд руб грн коп
п пп ч мин хв сек р обл див
""")
)
# Abbreviations that often close a sentence: a cut is made when a capital letter follows.
_ABBREV_END = frozenset(["etc", "т.д", "т.п", "т.ін", "і.т.д", "и.т.д", "и.др", "та.ін"])
_DOTTED_TAIL = re.compile(r"((?:[^\W\d_]{1,6}\.\s?){1,3})$")
_OPENERS = re.compile(r"[\"'«“(\[]*[^\W_]")


def split_statements(text: str | None, *, glued: bool = True) -> list[str]:
    """Split a text into trimmed statements.

    Args:
        text: A free-text answer or note; may hold bullets, line breaks and several sentences.
        glued: also cut a sentence typed without a space after its end ("ресторане!Поехала"); False splits
            as eevp did before (the labelled real statements of ``training/`` are kept by their index in it).

    Returns:
        Statements in their original order; empty parts dropped, fragments shorter than
        :data:`MIN_WORDS` words merged into the previous statement (or the next one at the start).
    """
    if not text or not text.strip():
        return []
    parts: list[str] = []
    for line in _lines(text):
        parts.extend(_sentences(line, glued))
    return _merge_short(parts)


def _lines(text: str) -> list[str]:
    """Bullet items and lines; a line starting in lower case continues an unfinished one."""
    out: list[str] = []
    for raw in _INLINE_BULLET.sub("\n• ", text.replace("\r\n", "\n").replace("\r", "\n")).split("\n"):
        bulleted = bool(_BULLET.match(raw)) and bool(raw.strip())
        line = _BULLET.sub("", raw, count=1).strip() if bulleted else raw.strip()
        if not line:
            continue
        continues = (
            out
            and not bulleted
            and line[0].islower()
            and not out[-1].rstrip().endswith((".", "!", "?", "…", ":", ";"))
        )
        if continues:
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _sentences(line: str, glued: bool = True) -> list[str]:
    out, start = [], 0
    for m in _END.finditer(line):
        if (glued or m.group(3)) and _is_boundary(line, m):
            out.append(line[start : m.end(2)].strip())
            start = m.end()
    out.append(line[start:].strip())
    return [s for s in out if s]


#: How far back from a full stop an abbreviation or an initial is looked for (bounded, so that a
#: megabyte-long comment splits in linear time).
_LOOKBACK = 64


def _is_boundary(line: str, m: re.Match) -> bool:
    opener = _OPENERS.match(line, m.end())
    if not opener:
        return False
    if not m.group(3) and not line[max(0, m.start(1) - 1)].islower():
        return False  # no space: "заказ.Официант" is two sentences, "SWEET.TV" and "ОКР.ПИР" are names
    nxt = opener.group(0)[-1]
    punct = m.group(1)
    if punct != "." and not punct.startswith(".."):
        return not nxt.islower()  # ! ? … : a lower-case continuation is rare; keep it
    if punct.startswith("..") and nxt.islower():
        return False  # "and then... nothing happened"
    if nxt.islower():
        return False
    head = line[max(0, m.start(1) - _LOOKBACK) : m.start(1)]
    suffixes = _abbrev_suffixes(head + ".")
    if suffixes & _ABBREV:
        return False
    if suffixes & _ABBREV_END:
        return True
    prev = _TOKEN_BEFORE.search(head)
    # Initials ("J. Smith") are a single capital letter.
    return not (prev and len(prev.group(1)) == 1 and prev.group(1).isupper())


def _abbrev_suffixes(head: str) -> set[str]:
    """Dotted tails ending at ``head``: "... и т. д." -> {"д", "т.д"} (spaces removed, lower case)."""
    m = _DOTTED_TAIL.search(head)
    if not m:
        return set()
    parts = re.sub(r"\s+", "", m.group(1)).rstrip(".").lower().split(".")
    return {".".join(parts[i:]) for i in range(len(parts))}


def _merge_short(parts: list[str]) -> list[str]:
    out: list[str] = []
    for p in parts:
        if out and len(p.split()) < MIN_WORDS:
            out[-1] = f"{out[-1]} {p}"
        else:
            out.append(p)
    if len(out) > 1 and len(out[0].split()) < MIN_WORDS:
        out[1] = f"{out[0]} {out[1]}"
        out.pop(0)
    return out
