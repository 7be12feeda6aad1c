"""Person names in free text, with or without a list: English, Russian and Ukrainian, offline.

Used by the redactor (:mod:`eevp.intake.redact`) for names that are in no column of the file, and
by the theme labels, so that a person's name never becomes a theme keyword.

A word is a name candidate only when it is written with a capital (``Olena``, not ``olena``). Its
kind comes from a list of English given names (``resources/redact/names.json``), from pymorphy3's
``Name``, ``Surn`` and ``Patr`` tags for Cyrillic words, and from a list of Russian and Ukrainian given
names as they are spelt in Latin letters (``Dmitry``, ``Olena``): the tags of a word's Cyrillic spellings
found a "name" in every other English word (``time``, ``well``), so they are used only for the names of
a list (``Kovalenko`` in the name column → ``Коваленкові`` in a comment). A word that is also an
everyday word (``Will``, ``Вера``) counts only next to another name word or after a title (``Dr.``,
``пані``). A title ends no sentence.

Names are spelt many ways across alphabets (``Юлія`` = Yulia, Yuliia, Julia), so the
transliteration tables give several spellings per letter and every combination is tried (capped).
"""

from __future__ import annotations

import itertools
import json
import re
from functools import lru_cache
from pathlib import Path

from eevp.text.language import detect_language, letters_language
from eevp.text.morph import analyzer

__all__ = ["TITLES", "cyrillic_spellings", "find_names", "is_common_word", "is_name_keyword", "latin_spellings",
           "name_kind", "text_lang"]

_RESOURCES = Path(__file__).resolve().parents[1] / "resources" / "redact"
_DATA = json.loads((_RESOURCES / "names.json").read_text(encoding="utf-8"))
_COMMON = json.loads((_RESOURCES / "common_words.json").read_text(encoding="utf-8"))
#: Given names in Latin letters: English ones, and Russian and Ukrainian ones as they are usually spelt.
EN_GIVEN = frozenset(_DATA["en_given_names"]) | frozenset(_DATA["slavic_given_latin"])
EN_COMMON = frozenset(_COMMON["en_common_names"])
UK_COMMON_LEMMAS = frozenset(_COMMON["uk_common_lemmas"])
#: Words written before a name (lower case, no dot): ``Dr``, ``Mrs``, ``г-н``, ``пані``.
TITLES = frozenset(_DATA["titles"])
#: Words before or after a given name that make it part of a place, brand or event (``Saint John``,
#: ``City of Victoria``, ``Victoria Day``, ``George clothing``).
_PLACE_BEFORE = re.compile(r"(?:^|\W)(?:" + "|".join(map(re.escape, sorted(_DATA["place_before"], key=len, reverse=True)))
                           + r")\.?\s+$", re.IGNORECASE)
_PLACE_AFTER = re.compile(r"^\s+(?:" + "|".join(map(re.escape, sorted(_DATA["place_after"], key=len, reverse=True)))
                          + r")(?!\w)", re.IGNORECASE)
_PLACE_WORDS = frozenset(_DATA["place_after"])
_SURNAME_ENDINGS = tuple(_DATA["surname_endings"])
_UP = "A-ZА-ЯЁІЇЄҐ"
_INITIALS_AFTER = re.compile(rf"[ \t]?[{_UP}]\.(?:[ \t]?[{_UP}]\.)?")
_INITIALS_BEFORE = re.compile(rf"(?:[{_UP}]\.[ \t]?){{1,2}}$")
_TWO_INITIALS_AFTER = re.compile(rf"[ \t][{_UP}]\.[ \t]?[{_UP}]\.")
_TWO_INITIALS_BEFORE = re.compile(rf"[{_UP}]\.[ \t]?[{_UP}]\.[ \t]$")
ID_CUES = tuple(_DATA["id_cues"])
_LAT2CYR = _DATA["latin_to_cyrillic"]
_CYR2LAT = _DATA["cyrillic_to_latin"]
NAME_TAGS = frozenset({"Name", "Surn", "Patr"})
_MAX_SPELLINGS = 24

_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ-][^\W\d_]+)*")
#: A word that starts with a capital (Latin, Latin-1 or Cyrillic), as a whole word.
_CAPITALISED = re.compile(r"(?<![^\W\d_])[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ][^\W\d_]*(?:['’ʼ-][^\W\d_]+)*")
_SENTENCE_END = set(".!?…\n")
_OPENERS = set("\"'«„“‘([—–-•*")


def norm(word: str) -> str:
    """Lower-case, ``ё`` → ``е``, every apostrophe → ``'``."""
    return word.lower().replace("ё", "е").replace("’", "'").replace("ʼ", "'")


def is_cyrillic(word: str) -> bool:
    return any("а" <= ch <= "я" or ch in "ёіїєґ" for ch in word.lower())


def _spellings(word: str, table: dict[str, list[str]]) -> set[str]:
    """Every spelling of ``word`` by ``table`` (longest key first at each position), at most a few dozen."""
    longest = max(map(len, table))
    pieces: list[list[str]] = []
    i = 0
    while i < len(word):
        for size in range(min(longest, len(word) - i), 0, -1):
            if word[i:i + size] in table:
                pieces.append(table[word[i:i + size]])
                i += size
                break
        else:
            pieces.append([word[i]])
            i += 1
    return {"".join(p) for p in itertools.islice(itertools.product(*pieces), _MAX_SPELLINGS)}


@lru_cache(maxsize=20_000)
def latin_spellings(word: str) -> frozenset[str]:
    """Latin spellings of a Cyrillic word, lower case: ``Дмитрий`` → dmitriy, dmitry, dmytryi…"""
    return frozenset(_spellings(norm(word), _CYR2LAT)) if is_cyrillic(word) else frozenset()


@lru_cache(maxsize=20_000)
def cyrillic_spellings(word: str) -> frozenset[str]:
    """Cyrillic spellings of a Latin word, lower case: ``Kovalenko`` → коваленко; ``Dmitry`` → дмитрий…"""
    low = norm(word)
    if is_cyrillic(low) or not low.isascii():
        return frozenset()
    return frozenset(_spellings(low, _LAT2CYR))


def _tags(form: str, langs: tuple[str, ...]) -> set[str]:
    """The name tags pymorphy3 gives ``form``: of its most likely Russian reading (Russian readings
    have frequencies), of any known Ukrainian one (the Ukrainian dictionary lists most names also as
    common nouns of the same lemma, so the first reading says little)."""
    found: set[str] = set()
    for lang in langs:
        parses = [p for p in analyzer(lang).parse(form) if p.is_known]
        for p in parses[:1] if lang == "ru" else parses:
            found |= NAME_TAGS & set(p.tag.grammemes)
    return found


def _ru_common(form: str):
    """The Russian common-word lemma of ``form`` when that reading is the most likely one, else None."""
    first = analyzer("ru").parse(form)[0]
    if first.is_known and first.score >= 0.5 and not (NAME_TAGS & set(first.tag.grammemes)):
        return first.normal_form
    return None


def _uk_readings(form: str) -> tuple[set[str], set[str]]:
    """Lemmas of the Ukrainian name readings and of the other (common-word) readings of ``form``."""
    names, others = set(), set()
    for parse in analyzer("uk").parse(form):
        if parse.is_known:
            (names if NAME_TAGS & set(parse.tag.grammemes) else others).add(parse.normal_form)
    return names, others


def _uk_common(form: str) -> bool:
    names, others = _uk_readings(form)
    return bool(others - names) or bool(others & UK_COMMON_LEMMAS)


@lru_cache(maxsize=50_000)
def is_common_word(form: str, lang: str = "any") -> bool:
    """True when a capitalised ``form`` could just be an ordinary word at a sentence start.

    Russian readings come with frequencies, so a Russian common-word reading counts when it is the
    most likely one (``Коваль``, ``Вера``, ``Мельник``). The Ukrainian dictionary lists most names
    also as common nouns of the same lemma (``олена``, ``шевченко``), so there only a reading with a
    *different* lemma counts (``Олені`` = deer, not Olena), or one whose lemma is in a short list
    of everyday words (``надія``, ``гончар``). In a Ukrainian text a Russian reading
    with a different lemma is ignored (``Олени`` is Olena's genitive, not Russian "deer").

    Args:
        form: a normalised word form.
        lang: ``"ru"``, ``"uk"`` or ``"any"`` — the language the text looks like.
    """
    if not is_cyrillic(form):
        return form in EN_COMMON
    ru_lemma = _ru_common(form)
    uk_names, _ = _uk_readings(form)
    uk_common = _uk_common(form)
    if lang == "ru":
        return ru_lemma is not None
    if lang == "uk":
        return uk_common or (ru_lemma is not None and (ru_lemma in uk_names or not uk_names))
    return uk_common or ru_lemma is not None


def text_lang(text: str) -> str:
    """``"uk"`` / ``"ru"`` where the language is sure, else ``"any"`` (a name check then accepts
    either language's reading).

    Sure means decided by letters only one of the two alphabets has, or found by
    :func:`eevp.text.language.detect_language` in a text of 30 Cyrillic letters or more: in a
    shorter one without those letters a wrong guess would hide a name.
    """
    found = letters_language(text)
    if found is None and len(re.findall("[а-я]", text.lower())) >= 30:
        found = detect_language(text)
    return found if found in ("ru", "uk") else "any"


@lru_cache(maxsize=100_000)
def name_kind(word: str, lang: str = "any") -> str | None:
    """``"given"``, ``"surname"`` or None for one word as written; ``"common"`` appended when it is
    also an everyday word (``"given common"`` for ``Will``).

    Args:
        word: one word, e.g. ``"Людмила"``, ``"Gillian"``, ``"Sokolov"``.
        lang: the language the text looks like (``text_lang``).
    """
    if len(word) < 2 or not word[0].isupper() or (len(word) > 2 and word[1:].isupper()):
        return None
    form = norm(word)
    langs = ("uk",) if lang == "uk" else ("ru",) if lang == "ru" else ("ru", "uk")
    if is_cyrillic(form):
        if sum(ch.isupper() for ch in word) > 1:  # ИС, ИРМе: abbreviations, not names
            return None
        tags = _tags(form, langs) or _unknown_surname(form, langs)
        common = is_common_word(form, lang)
    else:  # Latin: the lists only (pymorphy on a transliteration finds a "name" in every other word)
        tags, common = ({"Name"} if form in EN_GIVEN else set()), form in EN_COMMON
    if not tags:
        return None
    kind = "given" if tags & {"Name", "Patr"} else "surname"
    return f"{kind} common" if common else kind


def _unknown_surname(form: str, langs: tuple[str, ...]) -> set[str]:
    """``{"Surn"}`` for a word no dictionary knows that ends like a surname (Зварковский, Кудашев)."""
    if len(form) < 5 or not form.endswith(_SURNAME_ENDINGS):
        return set()
    known = any(p.is_known for lang in langs for p in analyzer(lang).parse(form))
    return set() if known else {"Surn"}


def sentence_initial(text: str, start: int) -> bool:
    """True at the start of the text, a line or a sentence; an initial (``J.``) or a title (``Dr.``) ends none."""
    i = start - 1
    while i >= 0 and (text[i].isspace() or text[i] in _OPENERS):
        if text[i] == "\n":
            return True
        i -= 1
    if i < 0:
        return True
    if text[i] == ".":
        word = re.search(r"[^\W\d_][\w-]*$", text[max(0, i - 12):i])
        if word and (is_title(word.group(0)) or (len(word.group(0)) == 1 and word.group(0).isupper())):
            return False
    return text[i] in _SENTENCE_END


def after_title(text: str, start: int) -> bool:
    """True when the word at ``start`` follows a title (``Dr. Brown``, ``пані Олена``)."""
    word = re.search(r"([^\W\d_][\w-]*)\.?\s+$", text[max(0, start - 16):start])
    return bool(word) and is_title(word.group(1))


def is_title(word: str) -> bool:
    """``Dr``, ``Mrs``, ``Ms``, ``пані``, ``г-н``: English titles only with a capital (``hit and miss. You``)."""
    return norm(word) in TITLES and (word[0].isupper() or is_cyrillic(word))


def _in_a_place(text: str, start: int, end: int) -> bool:
    """True when the name at ``start:end`` is part of a place, brand or event name."""
    inside = [norm(w) for w in _WORD.findall(text[start:end])[1:]]
    return bool(_PLACE_BEFORE.search(text[max(0, start - 20):start]) or _PLACE_AFTER.match(text[end:end + 16])
                or _PLACE_WORDS & set(inside))


def find_names(text: str, lang: str | None = None) -> list[tuple[int, int]]:
    """Spans of person names in ``text`` found without a list of names.

    A run of capitalised words (joined by spaces or hyphens) is a name when it follows a title, when
    it has two name words, or when one of its words is a given name or a Cyrillic surname that is no
    everyday word. A capitalised word right after a given name joins it as the surname (``Andy
    Bell``), and one with a surname's ending right before it too (``Трусов Сергей``); initials join
    the name (``Ковалева С.В.``), and a Cyrillic word with two initials is a name by itself. A name
    inside a place, brand or event (``Saint John``, ``Victoria Day``) is none.

    Args:
        text: any text.
        lang: ``"en"``, ``"ru"``, ``"uk"`` or None (guessed from the letters).

    Returns:
        ``(start, end)`` spans, sorted.
    """
    # The text's language is found only when a word's reading depends on it (a capitalised Cyrillic word
    # read differently as Russian, Ukrainian or either): most texts have none, and text_lang may run lingua.
    lang = lang if lang in ("ru", "uk") else None
    spans = []
    for run in _capital_runs(text):
        words = [text[s:e] for s, e in run]
        if lang is None and any(_reading_depends_on_language(w) for w in words):
            lang = text_lang(text)
        kinds = [name_kind(w, lang or "any") for w in words]
        keep = _name_run(text, run, kinds)
        if keep and not _in_a_place(text, run[keep[0]][0], run[keep[1]][1]):
            spans.append(_with_initials(text, run[keep[0]][0], run[keep[1]][1]))
        elif _initials_next_to(text, run):  # Сенченков В.В., А.Е. Лихачев: a surname with initials
            spans.append(_with_initials(text, run[-1][0] if len(run) > 1 else run[0][0], run[-1][1]))
    return spans


@lru_cache(maxsize=100_000)
def _reading_depends_on_language(word: str) -> bool:
    """Whether :func:`name_kind` reads ``word`` differently as Russian, Ukrainian or either."""
    return is_cyrillic(word) and len({name_kind(word, lang) for lang in ("ru", "uk", "any")}) > 1


def _with_initials(text: str, start: int, end: int) -> tuple[int, int]:
    after = _INITIALS_AFTER.match(text, end)
    before = _INITIALS_BEFORE.search(text, max(0, start - 8), start)
    return (before.start() if before else start), (after.end() if after else end)


def _initials_next_to(text: str, run: list[tuple[int, int]]) -> bool:
    """One capitalised Cyrillic word (3 letters or more, no everyday word) right before two initials,
    or right after them (``Сенченков В.В.``; ``6 A.M. Learned`` and ``H.R. Was`` are no names)."""
    start, end = run[-1]
    word = text[start:end]
    if not (_TWO_INITIALS_AFTER.match(text, end) or _TWO_INITIALS_BEFORE.search(text[max(0, start - 8):start])):
        return False
    return len(word) >= 3 and sum(ch.isupper() for ch in word) == 1 and is_cyrillic(word) and not _ru_common(norm(word))


def _capital_runs(text: str) -> list[list[tuple[int, int]]]:
    """Runs of capitalised words joined by one or two spaces or hyphens (only those words are read:
    most words of a comment start lower-case)."""
    runs: list[list[tuple[int, int]]] = []
    last_end = -10
    for m in _CAPITALISED.finditer(text):
        gap = text[last_end:m.start()]
        if runs and 0 < len(gap) <= 2 and all(ch in " \t-" for ch in gap):
            runs[-1].append(m.span())
        else:
            runs.append([m.span()])
        last_end = m.end()
    return runs


def _looks_like_surname(word: str) -> bool:
    return is_cyrillic(word) and sum(ch.isupper() for ch in word) == 1 and norm(word).endswith(_SURNAME_ENDINGS)


def _name_run(text: str, run: list[tuple[int, int]], kinds: list[str | None]) -> tuple[int, int] | None:
    """The first and last index of the name words in one run of capitalised words, or None."""
    if after_title(text, run[0][0]):
        return 0, len(run) - 1
    idx = [i for i, k in enumerate(kinds) if k]
    if not idx:
        return None
    first, last = idx[0], idx[-1]
    kind = kinds[first]
    start = first
    if first > 0 and kind.startswith("given") and _looks_like_surname(text[slice(*run[first - 1])]):
        start = first - 1  # Трусов Сергей Борисович: the surname first, as Russian and Ukrainian write it
    if len(idx) >= 2:
        return start, last
    if kind == "given":  # a given name that is no everyday word, with the surname after it if any
        return start, min(first + 1, len(run) - 1)
    if kind == "surname" and is_cyrillic(text[slice(*run[first])]):
        return start, last  # a Russian or Ukrainian surname that is no everyday word, even at the start
    return None


@lru_cache(maxsize=50_000)
def is_name_keyword(keyword: str) -> bool:
    """True when a theme keyword (a lemma, lower case; a bigram counts word by word) is a person's name.

    Names that are also everyday words (``hope``, ``вера``) are kept as keywords.
    """
    for word in keyword.split():
        kind = name_kind(word[:1].upper() + word[1:])
        if kind and " " not in kind and (kind == "given" or is_cyrillic(word)):
            return True
    return False
