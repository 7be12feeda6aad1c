"""Language of a short text: English, Russian, Ukrainian or other — offline, no model.

Russian and Ukrainian share most of the Cyrillic alphabet, so the decision weighs letters only one
of them uses (і ї є ґ vs ы э ъ ё), frequent function words of each, and a few word endings. Latin
script is English unless common words of another Latin-script language clearly dominate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def _words(text: str) -> list[str]:
    return text.split()


__all__ = ["LANGUAGES", "detect_language", "detect_languages", "name_language"]

LANGUAGES = ("en", "ru", "uk", "other")

_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
_CYR = re.compile(r"[а-яёіїєґ]")
_LAT = re.compile(r"[a-z]")

# Letters only one of the two languages writes; each occurrence is strong evidence.
_UK_LETTERS = re.compile(r"[іїєґ]|(?<=[бпвмфрк])['’ʼ](?=[яюєї])")
_RU_LETTERS = re.compile(r"[ыэъё]")
# Letter groups frequent in Ukrainian and rare in Russian (низька, українська, мацьки).
_UK_GROUPS = re.compile(r"[зцс]ьк|ння\b|\bзі\b")
_RU_GROUPS = re.compile(r"\bчт|ие\b|ия\b|ого\b")

_RU_WORDS = frozenset(
    _words("""
и что как это он она они был была были было из мне меня его её ее но да нет есть очень уже ещё еще
только когда где если чтобы или мы вы от о об при сейчас здесь почему потому который которые
которая этот эта эти этого этом том тот тоже можно надо нужно хорошо плохо работа работать
всё же бы ли к с со нас нам вас им их ни со всегда никогда просто много ничего
""")
)
_UK_WORDS = frozenset(
    _words("""
і й що як це він вона вони був була були було з із зі від але та ні немає є дуже вже ще лише
тільки коли де якщо щоб або ми ви мені мене його її про бо чому який яка які яке цей ця ці цього
також теж можна треба добре погано робота працювати зараз тут й нам вам їм їх завжди ніколи
просто багато нічого чи ж би до через дякую будь ласка нема тому зовсім гарно звісно
""")
) - {"до", "через"}

# Word endings typical of one language (weak evidence, used when letters and words are silent).
_RU_END = ("ться", "ие", "ия", "ые", "ый", "ой", "ого", "ть")
_UK_END = ("ти", "ння", "ють", "ає", "ують", "ний", "ною", "ої")

_EN_WORDS = frozenset(
    _words("""
the and of to a in is it that was for on are with as i be at by this have from or not but they we
you he she our my their has had were will would there can all an been no so what when who which
do does did very too also than then just never always about because out up more
""")
)
#: Frequent words of the other Latin-script languages seen in employee comments (Montreal reviews are
#: partly French), by ISO 639-1 code: they tell "other" from English, and :func:`name_language` names it.
_OTHER_WORDS = {
    code: frozenset(_words(words)) - _EN_WORDS for code, words in {
        "de": "der die das und ist nicht mit ein eine ich sie wir auch für auf den dem zu von sehr aber",
        "fr": "le la les et est pas une des du dans que pour avec sur ce je nous vous très mais",
        "es": "el los las y es una por con para del muy pero lo se al como más",
        "it": "il di che non sono della gli per una molto anche",
        "pt": "não uma com os mais muito é em",
        "nl": "een het van niet zijn wij ook maar",
        "pl": "jest nie się na że jak ale bardzo był była przez",
    }.items()
}
_OTHER_LATIN = frozenset().union(*_OTHER_WORDS.values())
_NON_EN_LATIN = re.compile(r"[äöüßàâçèéêëîïôûùœñãõåæøłśżźćńęąčřšžěů]")


def detect_language(text: str | None) -> str:
    """Guess the language of one text.

    Args:
        text: Any string; ``None`` is treated as empty.

    Returns:
        ``"en"``, ``"ru"``, ``"uk"``, or ``"other"`` (empty, digits only, another script or another
        Latin-script language).
    """
    if not text:
        return "other"
    low = text.lower()
    n_cyr = len(_CYR.findall(low))
    n_lat = len(_LAT.findall(low))
    if n_cyr == 0 and n_lat == 0:
        return "other"
    if n_cyr >= n_lat:
        return _cyrillic(low)
    return _latin(low)


def name_language(text: str | None) -> str:
    """:func:`detect_language`, with "other" Latin-script text named by its ISO 639-1 code where its
    frequent words tell ("fr", "de", "es", "it", "pt", "nl", "pl"); other texts stay "other"."""
    found = detect_language(text)
    if found != "other":
        return found
    words = _WORD.findall(str(text).lower())
    counts = {code: sum(w in vocab for w in words) for code, vocab in _OTHER_WORDS.items()}
    best = max(counts, key=counts.get)
    return best if counts[best] >= 2 and list(counts.values()).count(counts[best]) == 1 else "other"


def detect_languages(texts: Iterable[str | None]) -> list[str]:
    """:func:`detect_language` for many texts, in order."""
    return [detect_language(t) for t in texts]


def _cyrillic(low: str) -> str:
    uk = 3.0 * len(_UK_LETTERS.findall(low))
    ru = 3.0 * len(_RU_LETTERS.findall(low))
    uk += len(_UK_GROUPS.findall(low))
    ru += 0.5 * len(_RU_GROUPS.findall(low))
    for w in _WORD.findall(low):
        if w in _RU_WORDS:
            ru += 1.0
        elif w in _UK_WORDS:
            uk += 1.0
        elif len(w) > 3:
            if w.endswith(_RU_END):
                ru += 0.3
            if w.endswith(_UK_END):
                uk += 0.3
    # A tie (very short, ambiguous text) goes to Russian, the more frequent of the two online.
    return "uk" if uk > ru else "ru"


def _latin(low: str) -> str:
    words = _WORD.findall(low)
    en = sum(w in _EN_WORDS for w in words)
    other = sum(w in _OTHER_LATIN for w in words)
    if _NON_EN_LATIN.search(low):
        other += 1
    if other >= 2 and other > en:
        return "other"
    return "en"


def written_in(word: str, language: str) -> bool:
    """Whether ``word`` is in the script of ``language`` (Cyrillic for "ru"/"uk", Latin otherwise)."""
    cyr = any("а" <= c.lower() <= "я" or c.lower() in "ёіїєґ" for c in word)
    return cyr if language in ("ru", "uk") else not cyr
