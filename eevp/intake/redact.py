"""Personal-data redaction for free text (English, Russian, Ukrainian).

Every free-text value is passed through a :class:`Redactor` before it is stored or embedded.
Spans are replaced by placeholders: ``[EMAIL]``, ``[PHONE]``, ``[URL]``, ``[CARD]``, ``[ID]``,
``[HANDLE]`` and ``[NAME]``.

Design:

* Pattern kinds (e-mail, phone, ...) are independent regexes, each anchored by a look-behind so
  that a match can only *start* at the edge of a run of characters; no regex nests unbounded
  quantifiers, so the time is linear in the text (a 1 MB text takes well under a second per kind).
  Candidates that need a checksum (cards: Luhn, IBAN: mod 97) are checked in code.
* Overlapping candidates are resolved by priority (e-mail > URL > IBAN/structured IDs > card >
  phone > plain digit IDs > handle > name), then by length.
* Names come from the batch's own identifier columns. Every token of a name is expanded to its
  inflected forms once (pymorphy3 lexemes for Russian and Ukrainian, plus stem + ending rules for
  surnames and first names the dictionaries do not know, e.g. ``-енко -> -енка/-енку/-енком/-енкові``).
  Text words are then looked up in a dict of forms — one pass over the words, no giant alternation.
  A name in one alphabet is also looked for in the other (``Kovalenko`` → ``Коваленкові``,
  ``Дмитрий`` → ``Dmitry``), and a title ends no sentence (``Dr. Brown``).
* Names in no column are found by :func:`eevp.text.names.find_names` (name lists, pymorphy3's name
  tags, capitals and context); ``unlisted=False`` turns that off.
* Identifier values (respondent ids, employee numbers) are matched verbatim, digits-only ones from
  5 digits; any number after a cue such as "табельный номер" or "employee no." is an ``[ID]``.

Case policy for names (the trade-off): a word is redacted only when it is capitalised (``Olena``,
``ОЛЕНА``); lower-case ``коваль`` (blacksmith) is left alone. Some names are also ordinary words
(``Коваль``, ``Вера``, ``Надежда``, ``Will``, ``Grace``). Such *ambiguous* forms are redacted when
capitalised in the middle of a sentence, or when next to another name of the list (``Коваль Вера``),
but NOT when they stand alone at the start of a sentence or line, where capitals carry no
information. So ``Вера в людей помогает`` keeps its first word, and a lone ``Вера помогла`` at the
start of a sentence is missed: we accept that small recall loss to keep common words intact.
"""

from __future__ import annotations

import bisect
import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from eevp.errors import InputError
from eevp.text.morph import analyzer
from eevp.text.names import (ID_CUES, NAME_TAGS, cyrillic_spellings, find_names, is_common_word, is_cyrillic,
                             latin_spellings, norm, sentence_initial, text_lang)

__all__ = [
    "KINDS",
    "PLACEHOLDERS",
    "Redactor",
    "evaluate",
    "gold_spans",
    "name_forms",
]

#: Entity kinds, in the order they are reported.
KINDS = ("EMAIL", "PHONE", "URL", "CARD", "ID", "HANDLE", "NAME")
#: The text that replaces a span of each kind.
PLACEHOLDERS = {k: f"[{k}]" for k in KINDS}

# ---------------------------------------------------------------------------------------------
# Pattern detectors
# ---------------------------------------------------------------------------------------------

_UP = "A-ZА-ЯЁІЇЄҐ"  # upper-case letters (Latin + Cyrillic) for passports, initials
_TLDS = (
    "com|org|net|edu|gov|info|biz|io|ai|app|dev|me|co|uk|ua|ru|by|kz|pl|de|eu|us|ca|fr|it|es|nl"
    "|online|site|tech|store|shop|pro|top|xyz|cloud|jobs"
)


@dataclass(frozen=True)
class _Detector:
    kind: str
    priority: int  # lower wins an overlap
    regex: re.Pattern
    check: object = None  # callable(match) -> (start, end) | None


def _digits(s: str) -> str:
    return "".join(ch for ch in s if ch.isdigit())


def _luhn_ok(digits: str) -> bool:
    """Luhn checksum; numbers starting with 0 or 1 (not payment-card ranges) are refused."""
    if len(set(digits)) == 1 or digits[:1] in ("0", "1"):
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _check_card(m: re.Match) -> tuple[int, int] | None:
    """Luhn-check a card candidate; if a trailing short group spoils it, try without it."""
    s, e = m.span()
    text = m.group(0)
    if _luhn_ok(_digits(text)) and 13 <= len(_digits(text)) <= 19:
        return s, e
    cut = max(text.rfind(" "), text.rfind("-"))
    if cut > 0 and 13 <= len(_digits(text[:cut])) and _luhn_ok(_digits(text[:cut])):
        return s, s + cut
    return None


def _iban_ok(compact: str) -> bool:
    if not 15 <= len(compact) <= 34:
        return False
    moved = compact[4:] + compact[:4]
    try:
        number = int("".join(str(int(ch, 36)) for ch in moved))
    except ValueError:
        return False
    return number % 97 == 1


def _check_iban(m: re.Match) -> tuple[int, int] | None:
    """Mod-97 check; trims trailing characters that the greedy match took from the next word."""
    s = m.start()
    text = m.group(0)
    for end in range(len(text), 14, -1):
        if text[end - 1] == " ":
            continue
        if _iban_ok(text[:end].replace(" ", "")):
            return s, s + end
    return None


def _check_phone_digits(lo: int, hi: int):
    def check(m: re.Match) -> tuple[int, int] | None:
        return m.span() if lo <= len(_digits(m.group(0))) <= hi else None

    return check


def _check_plain_id(m: re.Match) -> tuple[int, int] | None:
    """9–12 digit runs are IDs (ID card, INN, SNILS) unless they look like a round amount."""
    digits = m.group(0)
    if digits.endswith("00000"):
        return None
    return m.span()


def _check_url(m: re.Match) -> tuple[int, int] | None:
    """Drop trailing punctuation, but keep a closing bracket that the URL opened (wiki style)."""
    s = m.start()
    text = m.group(0)
    while text and text[-1] in ".,;:!?)»”\"'":
        if text[-1] == ")" and text.count("(") >= text.count(")"):
            break
        text = text[:-1]
    return (s, s + len(text)) if len(text) > 4 else None


_DETECTORS: tuple[_Detector, ...] = (
    _Detector("EMAIL", 0, re.compile(r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")),
    _Detector(
        "URL",
        1,
        re.compile(r"(?<![\w/])(?:https?://|www\.)[^\s<>\"'«»\[\]{}|\\^`]+", re.IGNORECASE),
        _check_url,
    ),
    _Detector(
        "URL",
        2,
        re.compile(
            r"(?<![\w.@/\-])(?:[A-Za-z0-9\-]+\.)+(?:" + _TLDS + r")(?![\w\-])(?:/[^\s<>\"'«»\[\]{}]*)?"
        ),
        _check_url,
    ),
    # IBAN: country, check digits, then groups of up to 4 (spaces optional).
    _Detector("ID", 3, re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){3,8}"), _check_iban),
    # UK National Insurance number: QQ 12 34 56 C
    _Detector("ID", 4, re.compile(r"(?<![\w])[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![\w])")),
    # SNILS 123-456-789 01
    _Detector("ID", 4, re.compile(r"(?<![\d\-])\d{3}-\d{3}-\d{3}[ \-]\d{2}(?![\d\-])")),
    # US SSN 123-45-6789
    _Detector("ID", 4, re.compile(r"(?<![\d\-])\d{3}-\d{2}-\d{4}(?![\d\-])")),
    # Cards: 4-4-4-4(-1..3), Amex 4-6-5, or 13–19 digits in a row; Luhn-checked.
    _Detector(
        "CARD", 5, re.compile(r"(?<![\d\-])\d{4}([ \-])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?(?!\d)"), _check_card
    ),
    _Detector("CARD", 5, re.compile(r"(?<![\d\-])\d{4}([ \-])\d{6}\1\d{5}(?!\d)"), _check_card),
    _Detector("CARD", 5, re.compile(r"(?<![\d\-])\d{13,19}(?!\d)"), _check_card),
    # Phones. International: +CC or (+CC), optional (area), 2–5 groups; 9–15 digits in all.
    _Detector(
        "PHONE",
        6,
        re.compile(r"(?<![\w+(])\(?\+\d{1,3}\)?(?:[ .\-]?\(\d{1,4}\))?(?:[ .\-]?\d{1,4}){2,5}(?!\d)"),
        _check_phone_digits(9, 15),
    ),
    # (067) 123 4567, (555) 123-4567, (044) 123-45-67
    _Detector(
        "PHONE",
        6,
        re.compile(r"(?<![\w(+])\(\d{3,5}\)[ \-]?\d{2,4}(?:[ \-]?\d{2,4}){1,2}(?!\d)"),
        _check_phone_digits(10, 11),
    ),
    # Ukrainian national: 067-123-45-67, 067 123 45 67, 0671234567
    _Detector(
        "PHONE", 6, re.compile(r"(?<![\w+\-.,])0\d{2}[ \-]?\d{3}[ \-]?\d{2}[ \-]?\d{2}(?![\w\-]|[.,]\d)")
    ),
    # UK national 07700 900123 / 020 7946 0958; Ukrainian toll-free 0 800 123 456
    _Detector(
        "PHONE",
        6,
        re.compile(
            r"(?<![\w+\-.,])0(?:\d{4} ?\d{6}|\d{2} \d{4} \d{4}|[ \-]?800[ \-]?\d{3}[ \-]?\d{3})(?![\w\-]|[.,]\d)"
        ),
    ),
    # Russian national: 8 912 345 67 89, 8 (912) 345-67-89, 89123456789
    _Detector(
        "PHONE",
        6,
        re.compile(
            r"(?<![\w+\-.,])8[ \-]?(?:\([3-9]\d{2}\)|[3-9]\d{2})[ \-]?\d{3}[ \-]?\d{2}[ \-]?\d{2}(?![\w\-]|[.,]\d)"
        ),
    ),
    # US / generic 3-3-4 with separators: 555-123-4567, 555.123.4567
    _Detector("PHONE", 6, re.compile(r"(?<![\w+\-.])\d{3}([\-. ])\d{3}\1\d{4}(?![\w\-]|[.,]\d)")),
    # Ukrainian passport АА123456 / КВ №123456; Russian passport 45 06 123456 / 4506 123456
    _Detector("ID", 7, re.compile(rf"(?<![\w])[{_UP}]{{2}} ?(?:№ ?)?\d{{6}}(?![\w])")),
    _Detector("ID", 7, re.compile(r"(?<![\d\-.,])\d{2} ?\d{2} \d{6}(?![\d\-]|[.,]\d)")),
    # Plain 9–12 digit runs: UA ID card (9), INN / RNOKPP (10, 12), SNILS without dashes (11).
    _Detector("ID", 8, re.compile(r"(?<![\d\-.,/])\d{9,12}(?![\d\-/]|[.,]\d)"), _check_plain_id),
    _Detector("HANDLE", 9, re.compile(r"(?<![\w.+\-@])@[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*")),
)

# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’ʼ]s$", re.IGNORECASE)
_INITIALS_AFTER = re.compile(rf"[ \t]?[{_UP}]\.(?:[ \t]?[{_UP}]\.)?")
_INITIALS_BEFORE = re.compile(rf"(?:[{_UP}]\.[ \t]?){{1,2}}$")

# Stem + ending rules for forms the dictionaries miss (longest suffix first).
# Each rule: (suffix, replace-with, endings added to the stem).
_A_ENDINGS = ("а", "ы", "и", "і", "е", "у", "ой", "ою", "ей", "ею", "о", "ї", "ій")
_CONS_ENDINGS = ("", "а", "у", "ом", "ем", "е", "ові", "еві", "і", "ым", "им", "ы", "и", "ой", "ою")
_RULES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("енко", "енк", ("о", "а", "у", "ом", "ові", "ове", "і", "е")),
    ("ько", "ьк", ("о", "а", "у", "ом", "ові", "і")),
    ("ко", "к", ("о", "а", "у", "ом", "ові", "і")),
    ("ський", "ськ", ("ий", "ого", "ому", "им", "ім")),
    ("цький", "цьк", ("ий", "ого", "ому", "им", "ім")),
    ("ська", "ськ", ("а", "ої", "ій", "у", "ою")),
    ("цька", "цьк", ("а", "ої", "ій", "у", "ою")),
    ("ский", "ск", ("ий", "ого", "ому", "им", "ом")),
    ("цкий", "цк", ("ий", "ого", "ому", "им", "ом")),
    ("ская", "ск", ("ая", "ой", "ую", "ою")),
    ("цкая", "цк", ("ая", "ой", "ую", "ою")),
    ("івна", "івн", ("а", "и", "і", "у", "ою", "о")),
    ("овна", "овн", ("а", "ы", "е", "у", "ой", "ою")),
    ("евна", "евн", ("а", "ы", "е", "у", "ой", "ою")),
    ("ович", "ович", ("", "а", "у", "ем", "е", "і", "еві")),
    ("евич", "евич", ("", "а", "у", "ем", "е", "і", "еві")),
    ("йович", "йович", ("", "а", "у", "ем", "і", "еві")),
    ("ова", "ов", ("а", "ой", "у", "ою", "ої", "ій", "ы")),
    ("ева", "ев", ("а", "ой", "у", "ою", "ої", "ій", "ы")),
    ("ина", "ин", ("а", "ой", "у", "ою", "ої", "ій", "ы", "і")),
    ("іна", "ін", ("а", "ої", "ій", "у", "ою", "і")),
    ("ына", "ын", ("а", "ой", "у", "ою")),
    ("ов", "ов", ("", "а", "у", "ым", "им", "ом", "е", "ові", "і", "ы")),
    ("ев", "ев", ("", "а", "у", "ым", "им", "ом", "е", "ові", "і", "ы")),
    ("ин", "ин", ("", "а", "у", "ым", "им", "ом", "е", "ові", "і", "ы")),
    ("ін", "ін", ("", "а", "у", "им", "ом", "ові", "і", "е")),
    ("ия", "и", ("я", "и", "ю", "ей", "ею", "е")),
    ("ія", "і", ("я", "ї", "ю", "єю", "є")),
    ("ій", "і", ("й", "я", "ю", "єм", "ї", "єві", "є")),
    ("ей", "е", ("й", "я", "ю", "ем", "е", "єм", "єві")),
    ("ай", "а", ("й", "я", "ю", "ем", "ї", "єві")),
    ("я", "", ("я", "и", "і", "е", "ю", "ей", "ею", "єю", "ї")),
    ("а", "", _A_ENDINGS),
    ("ь", "", ("ь", "я", "ю", "ем", "ём", "е", "і", "еві", "ею")),
    ("о", "", ("о", "а", "у", "ом", "ові", "е", "і")),
)


def _rule_forms(token: str) -> set[str]:
    for suffix, repl, endings in _RULES:
        if token.endswith(suffix) and len(token) > len(suffix) + 1:
            stem = token[: len(token) - len(suffix)] + repl
            return {stem + e for e in endings}
    return {token + e for e in _CONS_ENDINGS}


def _dictionary_forms(token: str) -> set[str]:
    forms: set[str] = set()
    for lang in ("ru", "uk"):
        for parse in analyzer(lang).parse(token):
            if NAME_TAGS & set(parse.tag.grammemes):
                forms.update(norm(f.word) for f in parse.lexeme)
    return forms


@lru_cache(maxsize=50_000)
def name_forms(token: str) -> frozenset[str]:
    """All forms of one name token, normalised (lower case, ``ё``→``е``).

    Args:
        token: one word of a name, e.g. ``"Петренко"`` or ``"John"``.

    Returns:
        The token itself plus, for Cyrillic tokens, the pymorphy3 lexemes of its name readings in
        Russian and Ukrainian, the forms given by the stem + ending rules and its Latin spellings;
        for Latin tokens, the same forms of each Cyrillic spelling that the dictionaries know as a name.
    """
    word = norm(token)
    forms = {word}
    if is_cyrillic(word):
        forms |= _dictionary_forms(word)
        forms |= _rule_forms(word)
        forms |= latin_spellings(word)  # Дмитрий → dmitriy, dmitry, dmytryi…
    else:  # Kovalenko → коваленко → Коваленкові: the Cyrillic spellings the dictionaries know as names
        for spelling in cyrillic_spellings(word):
            found = _dictionary_forms(spelling)
            if found:
                forms |= found | _rule_forms(spelling)
    return frozenset(f for f in forms if len(f) >= 2)


def _name_tokens(value: str) -> list[str]:
    if not isinstance(value, str) or "@" in value or any(ch.isdigit() for ch in value):
        return []
    return [w for w in _WORD.findall(value.replace("-", " ")) if len(w) >= 2]


def _literal_ids(values: Iterable[str]) -> re.Pattern | None:
    """Identifier values matched verbatim as IDs: letters and digits (``E-10234``, 4 characters or
    more), or digits only (``104523``, 5 digits or more: shorter ones are found after a cue only)."""
    ids = sorted(
        {
            v.strip()
            for v in values
            if isinstance(v, str)
            and "@" not in v
            and any(c.isdigit() for c in v)
            and (len(v.strip()) >= 4 if any(c.isalpha() for c in v) else sum(c.isdigit() for c in v) >= 5)
        },
        key=len,
        reverse=True,
    )
    if not ids:
        return None
    return re.compile(r"(?<![\w\-])(?:" + "|".join(map(re.escape, ids)) + r")(?![\w\-]|[.,]\d)", re.IGNORECASE)


# An identifier announced by a cue ("табельный номер 104523", "employee no. EMP-7000"): the value after it.
_ID_CUE = re.compile(
    r"(?<!\w)(?:" + "|".join(sorted((re.escape(c).replace(r"\ ", r"\.?\s*") for c in ID_CUES), key=len, reverse=True))
    + r")\.?\s*(?:№|#|no\.?|nr\.?|:|-|is|—)?\s*((?:[A-Za-zА-Яа-яІіЇїЄєҐґ]{1,5}[-/]?)?\d[\d\-/]{2,15}\d)(?![\w\-]|[.,]\d)",
    re.IGNORECASE,
)


# ---------------------------------------------------------------------------------------------
# Redactor
# ---------------------------------------------------------------------------------------------


class Redactor:
    """Find and replace personal data in free text.

    Args:
        names: values of the batch's identifier columns (full names, e.g. ``"Олена Петренко"``).
            Every word of a name is matched alone and in any inflected form. Values with digits
            (``"E-10234"``) are matched verbatim as ``[ID]``; e-mail values are ignored here (all
            e-mails are redacted anyway).
        kinds: the entity kinds to redact; default all of :data:`KINDS`.
        unlisted: also redact person names that are in no list (:func:`eevp.text.names.find_names`).

    Example:
        >>> Redactor(["Олена Петренко"]).redact("Дякую Олені Петренко: +380 67 123 45 67")
        'Дякую [NAME]: [PHONE]'
    """

    def __init__(self, names: Iterable[str] = (), *, kinds: Iterable[str] | None = None, unlisted: bool = True):
        names = [n for n in names if isinstance(n, str)]
        self.unlisted = unlisted
        self.kinds = frozenset(kinds) if kinds is not None else frozenset(KINDS)
        unknown = self.kinds - set(KINDS)
        if unknown:
            raise InputError(f"Unknown redaction kind(s) {sorted(unknown)} — use some of {list(KINDS)}.")
        self._literal = _literal_ids(names) if "ID" in self.kinds else None
        self._forms: dict[str, bool] = {}  # form -> True (the value is filled lazily: ambiguity)
        if "NAME" in self.kinds:
            for value in names:
                for token in _name_tokens(value):
                    self._forms.update(dict.fromkeys(name_forms(token), True))

    @property
    def name_form_count(self) -> int:
        """How many distinct name forms are looked up."""
        return len(self._forms)

    def found(self, text: str) -> list[tuple[str, int, int]]:
        """Spans of personal data in ``text``.

        Args:
            text: any string (HTML and scripts are treated as plain text).

        Returns:
            ``(kind, start, end)`` tuples, sorted by start, not overlapping.
        """
        if not isinstance(text, str):
            raise InputError(f"Only text can be redacted, got {type(text).__name__}.")
        candidates = self._pattern_candidates(text) + self._name_candidates(text)
        return _resolve(candidates)

    def redact(self, text: str) -> str:
        """Return ``text`` with every span from :meth:`found` replaced by its placeholder."""
        spans = self.found(text)
        if not spans:
            return text
        out, pos = [], 0
        for kind, start, end in spans:
            out.append(text[pos:start])
            out.append(PLACEHOLDERS[kind])
            pos = end
        out.append(text[pos:])
        return "".join(out)

    def redact_many(self, texts: Iterable[str | None]) -> list[str | None]:
        """Redact each text; values that are not strings (None, NaN) are passed through unchanged."""
        return [self.redact(t) if isinstance(t, str) else t for t in texts]

    # -- internals ------------------------------------------------------------------------

    def _pattern_candidates(self, text: str) -> list[tuple[int, int, int, str]]:
        out = []
        has_digit = _ANY_DIGIT.search(text) is not None
        has_link = "://" in text or "www." in text.lower()
        has_domain = _DOMAIN_END.search(text) is not None
        for det in _detectors_for(self.kinds, has_digit, "@" in text, has_link, has_domain):
            for m in det.regex.finditer(text):
                span = det.check(m) if det.check else m.span()
                if span:
                    out.append((det.priority, span[0], span[1], det.kind))
        if self._literal is not None and has_digit:  # every literal identifier has a digit
            out.extend((3, m.start(), m.end(), "ID") for m in self._literal.finditer(text))
        if "ID" in self.kinds and has_digit:
            out.extend((7, m.start(1), m.end(1), "ID") for m in _ID_CUE.finditer(text))  # a phone wins
        return out

    def _name_candidates(self, text: str) -> list[tuple[int, int, int, str]]:
        unlisted = [(11, s, e, "NAME") for s, e in find_names(text)] if self.unlisted and "NAME" in self.kinds else []
        if not self._forms:
            return unlisted
        hits = []  # (start, end, ambiguous_at_start)
        lang = None
        for m in _WORD.finditer(text):
            word = m.group(0)
            if not word[0].isupper():
                continue
            key = norm(word)
            end = m.end()
            if key not in self._forms:
                base = _POSSESSIVE.sub("", key)
                if base == key or base not in self._forms:
                    continue
                key, end = base, m.start() + len(base)
            risky = False
            if sentence_initial(text, m.start()):
                lang = lang or text_lang(text)
                risky = is_common_word(key, lang)
            hits.append((m.start(), end, risky))
        return _merge_names(text, hits) + unlisted


#: What a text must hold for a detector of a kind to match at all: each regex of the kind requires it
#: (a digit, or the ``@`` of an e-mail or handle). Most comments have neither, and skipping the
#: regexes that cannot match makes the redaction of a large batch several times quicker.
_NEEDS = {"PHONE": "digit", "CARD": "digit", "ID": "digit", "EMAIL": "@", "HANDLE": "@"}


#: What every match of the bare-domain URL detector (priority 2) ends with: a dot, a known top-level domain
#: and no word character after it. Searching for it is quick; the detector's own pattern, tried at every
#: letter of every comment, was the slowest step of redaction.
_DOMAIN_END = re.compile(r"\.(?:" + _TLDS + r")(?![\w\-])")


@lru_cache(maxsize=64)
def _detectors_for(kinds: frozenset, has_digit: bool, has_at: bool, has_link: bool,
                   has_domain: bool) -> tuple[_Detector, ...]:
    """The detectors of ``kinds`` that can match a text with or without a digit, an ``@``, a scheme or
    ``www.`` and a domain ending (chosen once per combination: most comments have none of them)."""
    return tuple(d for d in _DETECTORS
                 if d.kind in kinds and _may_match(d, has_digit, has_at, has_link, has_domain))


def _may_match(det: _Detector, has_digit: bool, has_at: bool, has_link: bool, has_domain: bool) -> bool:
    need = _NEEDS.get(det.kind)
    if need == "digit":
        return has_digit
    if need == "@":
        return has_at
    if det.priority == 1:  # a URL with a scheme or www. (the regex ignores case)
        return has_link
    if det.priority == 2:  # a bare domain (example.com/path)
        return has_domain
    return True


def _merge_names(text: str, hits: list[tuple[int, int, bool]]) -> list[tuple[int, int, int, str]]:
    """Join adjacent name words into one span, drop lone risky words, absorb initials."""
    groups: list[list[tuple[int, int, bool]]] = []
    for hit in hits:
        if groups and _only_gap(text[groups[-1][-1][1] : hit[0]]):
            groups[-1].append(hit)
        else:
            groups.append([hit])
    out = []
    for group in groups:
        if len(group) == 1 and group[0][2]:
            continue
        start, end = group[0][0], group[-1][1]
        after = _INITIALS_AFTER.match(text, end)
        if after:
            end = after.end()
        before = _INITIALS_BEFORE.search(text, max(0, start - 8), start)
        if before:
            start = before.start()
        out.append((10, start, end, "NAME"))
    return out


def _only_gap(between: str) -> bool:
    return 0 < len(between) <= 3 and all(ch in " \t-" for ch in between)


def _resolve(candidates: list[tuple[int, int, int, str]]) -> list[tuple[str, int, int]]:
    """Keep the best non-overlapping candidates (priority, then the longer span).

    Accepted spans are kept sorted by start, so each overlap test looks at two neighbours only
    (linear-logarithmic, which matters for megabyte-long texts with many hits).
    """
    starts: list[int] = []
    taken: list[tuple[int, int, str]] = []
    for _prio, start, end, kind in sorted(candidates, key=lambda c: (c[0], c[1] - c[2], c[1])):
        i = bisect.bisect_left(starts, start)
        if i < len(taken) and taken[i][0] < end:
            continue
        if i > 0 and taken[i - 1][1] > start:
            continue
        starts.insert(i, start)
        taken.insert(i, (start, end, kind))
    return [(kind, s, e) for s, e, kind in taken]


# ---------------------------------------------------------------------------------------------
# Evaluation on a labelled set
# ---------------------------------------------------------------------------------------------

_ANY_DIGIT = re.compile(r"\d")
_PLACEHOLDER_RE = re.compile(r"\[(" + "|".join(KINDS) + r")\]")


def gold_spans(text: str, expected: str) -> list[tuple[str, int, int]]:
    """Spans of ``text`` that ``expected`` replaced with placeholders.

    Args:
        text: the original text.
        expected: the same text with personal data replaced by ``[KIND]`` placeholders.

    Returns:
        ``(kind, start, end)`` tuples in ``text`` coordinates.

    Raises:
        InputError: ``expected`` does not fit ``text``.
    """
    parts = _PLACEHOLDER_RE.split(expected)
    literals, kinds = parts[0::2], parts[1::2]
    pattern = re.escape(literals[0]) + "".join("(.+?)" + re.escape(lit) for lit in literals[1:])
    m = re.fullmatch(pattern, text, re.DOTALL)
    if m is None:
        raise InputError(f"Expected text does not fit the original: {expected!r} vs {text!r}")
    return [(kind, m.start(i + 1), m.end(i + 1)) for i, kind in enumerate(kinds)]


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn}


def evaluate(path: str | Path) -> dict:
    """Span-level precision and recall of :class:`Redactor` on a labelled CSV.

    The CSV has columns ``text``, ``name_list`` (``|``-separated names for that row) and
    ``expected`` (the text with placeholders); other columns (``lang``) are reported per value.
    A predicted span is correct when its kind, start and end all match a gold span.

    Args:
        path: the CSV file.

    Returns:
        ``{"rows", "exact_match", "overall": {...}, "per_kind": {kind: {...}},
        "per_lang": {lang: {...}}, "errors": [ {row, text, expected, got} ]}`` where each
        ``{...}`` holds precision, recall, f1, tp, fp, fn.
    """
    counts = {k: [0, 0, 0] for k in KINDS}
    per_lang: dict[str, list[int]] = {}
    errors, exact, rows = [], 0, 0
    cache: dict[str, Redactor] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for rowno, row in enumerate(csv.DictReader(fh), start=2):
            rows += 1
            names = row.get("name_list") or ""
            red = cache.setdefault(names, Redactor([n for n in names.split("|") if n.strip()]))
            gold = set(gold_spans(row["text"], row["expected"]))
            pred = set(red.found(row["text"]))
            lang = per_lang.setdefault(row.get("lang") or "", [0, 0, 0])
            for kind in KINDS:
                g = {s for s in gold if s[0] == kind}
                p = {s for s in pred if s[0] == kind}
                c = counts[kind]
                c[0] += len(g & p)
                c[1] += len(p - g)
                c[2] += len(g - p)
                lang[0] += len(g & p)
                lang[1] += len(p - g)
                lang[2] += len(g - p)
            got = red.redact(row["text"])
            if got == row["expected"]:
                exact += 1
            else:
                errors.append({"row": rowno, "text": row["text"], "expected": row["expected"], "got": got})
    totals = [sum(c[i] for c in counts.values()) for i in range(3)]
    return {
        "rows": rows,
        "exact_match": exact / rows if rows else 0.0,
        "overall": _prf(*totals),
        "per_kind": {k: _prf(*c) for k, c in counts.items()},
        "per_lang": {k: _prf(*c) for k, c in per_lang.items()},
        "errors": errors,
    }
