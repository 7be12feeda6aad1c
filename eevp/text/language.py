"""Language of a text — the one detector of the package (offline: lingua's models ship in its wheel).

Fast paths decide most texts without a model: Cyrillic text with letters only Ukrainian writes
(і ї є ґ) and none only Russian writes (ы э ъ ё), or the reverse; Cyrillic text with words only one of
the two writes (short lists of frequent words); Latin text without a non-ASCII letter (its Cyrillic words,
quotes, dashes and currency signs aside) with English function words and none of other languages.
Everything else goes to `lingua <https://github.com/pemistahl/lingua-py>`_, built once,
restricted to the languages employee comments here come in (:data:`CANDIDATES`). Latin-script text is
English unless lingua is clearly sure of another language: a short or ambiguous comment in this product
is far more often English than Polish or Dutch. Cyrillic text lingua gives to Ukrainian with little
confidence stays Russian, unless a word of it is one only the Ukrainian dictionary knows (pymorphy3's
Ukrainian and Russian dictionaries, through :mod:`eevp.text.morph`). Links, e-mail addresses, @handles and a leading "RT"
are left out before deciding ("RT @user: <Russian text>" is Russian).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from eevp.text.morph import analyzer

__all__ = ["CANDIDATES", "LANGUAGES", "detect_language", "detect_languages", "letters_language", "name_language",
           "written_in"]

#: What :func:`detect_language` returns: the three languages with their own lemmas and lexicons, or other.
LANGUAGES = ("en", "ru", "uk", "other")
#: The languages :func:`name_language` can name (ISO 639-1), by script.
CYRILLIC_CANDIDATES = ("ru", "uk", "be", "kk")
LATIN_CANDIDATES = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "tr")
CANDIDATES = CYRILLIC_CANDIDATES + LATIN_CANDIDATES

#: Another Latin-script language is named only when lingua gives it at least this confidence and
#: English at most ``_EN_CEILING`` (on 29,839 Glassdoor texts, laxer settings call "Poor" Dutch).
_OTHER_FLOOR = 0.5
_EN_CEILING = 0.25
#: ASCII texts of this many distinct words or fewer are English: too short for any model to tell.
_SHORT_WORDS = 3

_NOISE = re.compile(r"^\s*RT\b:?|https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+|@\w+|#(?=\w)", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
_CYR = re.compile(r"[а-яёіїєґўәғқңөұүһ]")
_LAT = re.compile(r"[a-zà-öø-ÿāăąćčďđēėęěğīįıłńňōőœřśşšţťūůűųźżž]")
_CYR_WORD = re.compile(r"\S*[а-яёіїєґўәғқңөұүһ]\S*")
_NON_ASCII_LETTER = re.compile(r"(?![a-z])[^\W\d_]")
_UK_ONLY = re.compile(r"[іїєґ]")
_RU_ONLY = re.compile(r"[ыэъё]")
_BE_LETTERS = re.compile(r"ў")
_KK_LETTERS = re.compile(r"[әғқңөұүһ]")
#: Letter groups frequent in one of Russian and Ukrainian (the word lists are in resources/language/words.json).
_UK_GROUPS = re.compile(r"[зцс]ьк|ння\b|\bзі\b")
_RU_GROUPS = re.compile(r"\bчт|ие\b|ия\b|ого\b|ться\b")
#: Words shorter than this say nothing in :func:`_dictionary_evidence` ("ок", "аа": typing, not words).
_DICT_MIN_LETTERS = 3
_APOSTROPHES = re.compile("[’ʼ]")
#: Lingua's Ukrainian must reach this confidence over Russian: short texts both languages could
#: have written ("не знаю") stay Russian, the more frequent of the two online. Where lingua only
#: leans Ukrainian, a word only the Ukrainian dictionary knows decides ("Мало платять": lingua 0.63,
#: and "платять" is no Russian word): two signals that agree.
_UK_FLOOR = 0.65
_WORDS_FILE = Path(__file__).resolve().parents[1] / "resources" / "language" / "words.json"


@lru_cache(maxsize=1)
def _words() -> dict[str, frozenset]:
    """The word lists, loaded once: ``ru`` and ``uk`` (words one of the two writes and the other does
    not: a word both write, such as "нас", "так" or "до", is in neither), ``en`` and ``not_en``."""
    raw = json.loads(_WORDS_FILE.read_text(encoding="utf-8"))
    ru, uk = frozenset(raw["ru"]), frozenset(raw["uk"])
    return {"ru": ru - uk, "uk": uk - ru, "en": frozenset(raw["en"]), "not_en": frozenset(raw["not_en"])}


def detect_language(text: str | None) -> str:
    """The language of one text among "en", "ru" and "uk".

    Args:
        text: Any string; ``None`` is treated as empty.

    Returns:
        ``"en"``, ``"ru"``, ``"uk"``, or ``"other"`` (empty, no letters, another script or another
        language, e.g. French: :func:`name_language` names it).
    """
    found = name_language(text)
    return found if found in LANGUAGES else "other"


def detect_languages(texts: Iterable[str | None]) -> list[str]:
    """:func:`detect_language` for many texts, in order."""
    return [detect_language(t) for t in texts]


def name_language(text: str | None) -> str:
    """The language of one text as an ISO 639-1 code from :data:`CANDIDATES`, or "other".

    "other" is a text without letters, in another script (Chinese, Arabic…) or one the model cannot
    place among the candidates.
    """
    return _name(text) if isinstance(text, str) else "other"


@lru_cache(maxsize=65_536)
def _name(text: str) -> str:
    low = _NOISE.sub(" ", text).lower()
    n_cyr = len(_CYR.findall(low))
    n_lat = len(_LAT.findall(low))
    if n_cyr == 0 and n_lat == 0:
        return "other"
    return _cyrillic(low) if n_cyr >= n_lat else _latin(low)


def letters_language(text: str) -> str | None:
    """"uk" or "ru" when the text writes letters only one of the two alphabets has (і ї є ґ vs
    ы э ъ ё) and none of the other's, else None: the surest evidence there is, without a model."""
    low = text.lower()
    uk, ru = bool(_UK_ONLY.search(low)), bool(_RU_ONLY.search(low))
    return None if uk == ru else "uk" if uk else "ru"


def _cyrillic(low: str) -> str:
    by_letters = letters_language(low)
    # Belarusian writes і beside ы and э, and ў; Kazakh has letters of its own.
    be = bool(_BE_LETTERS.search(low)) or (by_letters is None and bool(_UK_ONLY.search(low)))
    codes = ("ru", "uk") + ("be",) * be + ("kk",) * bool(_KK_LETTERS.search(low))
    if len(codes) == 2:
        if by_letters:
            return by_letters
        evidence = _ru_uk_evidence(low)
        if abs(evidence) >= 1:
            return "uk" if evidence > 0 else "ru"
    values = _detector(codes).compute_language_confidence_values(low)
    conf = {v.language.iso_code_639_1.name.lower(): v.value for v in values}
    best = max(conf, key=conf.get)
    if best != "uk" or conf["uk"] >= _UK_FLOOR:
        return best
    # Lingua leans Ukrainian without reaching the bar: a word only Ukrainian writes settles it.
    return "uk" if len(codes) == 2 and _dictionary_evidence(low) >= 1 else "ru"


def _ru_uk_evidence(low: str) -> float:
    """Words and letter groups only one of the two writes: above 0 for Ukrainian, below for Russian."""
    words, lists = _WORD.findall(low), _words()
    score = sum(w in lists["uk"] for w in words) - sum(w in lists["ru"] for w in words)
    return score + len(_UK_GROUPS.findall(low)) - 0.5 * len(_RU_GROUPS.findall(low))


def _dictionary_evidence(low: str) -> int:
    """Words only one of the two dictionaries (pymorphy3's Ukrainian and Russian) knows: Ukrainian ones
    count +1, Russian ones -1. Asked only when lingua leans Ukrainian without reaching :data:`_UK_FLOOR`."""
    score = 0
    for word in _WORD.findall(_APOSTROPHES.sub("'", low)):
        if len(word) >= _DICT_MIN_LETTERS:
            score += _dictionary_side(word)
    return score


@lru_cache(maxsize=65_536)
def _dictionary_side(word: str) -> int:
    """+1 for a word only the Ukrainian dictionary knows, -1 for one only the Russian knows, else 0.
    Abbreviations ("ЗСУ") are left out: they say nothing of the language around them."""
    uk, ru = analyzer("uk").word_is_known(word), analyzer("ru").word_is_known(word)
    if uk == ru or (uk and "Abbr" in analyzer("uk").parse(word)[0].tag):
        return 0
    return 1 if uk else -1


def _latin(low: str) -> str:
    # The fast paths read the Latin words only: a Cyrillic word says nothing of which Latin language the
    # rest is in (lingua's Latin candidates cannot read it either), nor do typographic quotes, dashes or
    # currency signs ("it’s", "£200"). Any non-ASCII Latin letter (é, ß, ł) leaves the text to lingua.
    plain = _CYR_WORD.sub(" ", low)
    words = _WORD.findall(plain)
    if not _NON_ASCII_LETTER.search(plain):
        if len(set(words)) <= _SHORT_WORDS:
            return "en"
        lists = _words()
        if not any(w in lists["not_en"] for w in words) and any(w in lists["en"] for w in words):
            return "en"
    values = _detector(LATIN_CANDIDATES).compute_language_confidence_values(low)
    conf = {v.language.iso_code_639_1.name.lower(): v.value for v in values}
    best = max(conf, key=conf.get)
    if best != "en" and conf[best] >= _OTHER_FLOOR and conf.get("en", 0.0) <= _EN_CEILING:
        return best
    return "en"


@lru_cache(maxsize=None)
def _detector(codes: tuple[str, ...]) -> LanguageDetector:
    """A lingua detector for ``codes``, built once (its models load on first use, then stay)."""
    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in codes]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def written_in(word: str, language: str) -> bool:
    """Whether ``word`` is in the script of ``language`` (Cyrillic for "ru"/"uk", Latin otherwise)."""
    cyr = any("а" <= c.lower() <= "я" or c.lower() in "ёіїєґ" for c in word)
    return cyr if language in ("ru", "uk") else not cyr
