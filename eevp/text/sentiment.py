"""Offline sentiment for English, Russian and Ukrainian text units.

A lexicon method in the spirit of VADER, with hand-written lexicons for workplace and customer
feedback (``eevp/resources/sentiment/{en,ru,uk}.txt``):

* words and short phrases carry a weight in -3..3; Russian and Ukrainian words are looked up by
  their pymorphy3 lemma (cached), English words by form with a light suffix fallback;
* a negator up to three words before a word flips and damps it ("not good", "не нравится",
  "не подобається"); "no"/"нет"/"немає" before an unknown noun counts as a small complaint
  ("no parking");
* intensifiers and diminishers scale the next words ("very", "очень", "дуже");
* after a contrast word ("but", "но", "але") the sentence counts more, before it less;
* emoticons and emoji count in every language.

The summed weight ``s`` becomes a score in -1..1 as ``s / sqrt(s*s + 8)``.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

from eevp.hashing import content_hash
from eevp.text.language import detect_language
from eevp.text.morph import analyzer

__all__ = [
    "LANGUAGES",
    "NEUTRAL_BAND",
    "asking",
    "asking_version",
    "classify_sentiment",
    "label_for",
    "sentiment_scores",
    "without_courtesy",
]

RESOURCES = Path(__file__).resolve().parents[1] / "resources" / "sentiment"
LANGUAGES = ("en", "ru", "uk")
#: Scores with an absolute value below this are "neutral".
NEUTRAL_BAND = 0.05

_NEGATION_WINDOW = 3
_NEGATION_FACTOR = -0.75
_LACK_WEIGHT = -0.8
_BEFORE_CONTRAST = 0.5
_AFTER_CONTRAST = 1.5
_ALPHA = 8.0

_LACK_WORDS = {
    "en": {"no", "lack", "lacks", "lacking", "without", "zero"},
    "ru": {"нет", "без", "отсутствие", "нехватка"},
    "uk": {"немає", "нема", "без", "відсутність", "брак", "нестача"},
}

_EMOTICONS = {
    ":)": 1.5, ":-)": 1.5, ":D": 2.0, ":-D": 2.0, ";)": 1.0, "=)": 1.5, ":(": -1.5, ":-(": -1.5,
    ":'(": -2.0, "=(": -1.5, ":/": -0.8, "👍": 1.5, "👌": 1.5, "😊": 1.5, "🙂": 1.0, "😀": 1.5,
    "😃": 1.5, "😍": 2.0, "❤": 2.0, "❤️": 2.0, "🔥": 1.0, "🙏": 1.0, "👎": -1.5, "😡": -2.0,
    "😠": -2.0, "🤬": -2.5, "😞": -1.5, "😢": -1.5, "😭": -1.5, "🙁": -1.0, "😒": -1.0,
}
_EMOTICON_RE = "|".join(re.escape(e) for e in sorted(_EMOTICONS, key=len, reverse=True))
_TOKEN = re.compile(
    rf"(?P<emo>(?<![^\s(\[])(?:{_EMOTICON_RE}))|(?P<smile>\){{2,}})|(?P<frown>\({{2,}})"
    r"|(?P<word>[^\W\d_]+(?:['’ʼ-][^\W\d_]+)*)|(?P<stop>[.!?;…]+)|(?P<comma>[,:])"
)


@dataclass
class _Lexicon:
    words: dict[str, float] = field(default_factory=dict)
    phrases: dict[tuple[str, ...], float] = field(default_factory=dict)
    negators: set[str] = field(default_factory=set)
    intensifiers: dict[str, float] = field(default_factory=dict)
    contrast: set[str] = field(default_factory=set)
    max_phrase: int = 1
    phrase_starts: set[str] = field(default_factory=set)  # first words of phrases (surface or lemma)


def _parse_lexicon(text: str) -> _Lexicon:
    lex, section = _Lexicon(), ""
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip() if raw.lstrip().startswith("#") else raw.strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif section in ("negators", "contrast"):
            target = lex.negators if section == "negators" else lex.contrast
            target.update(w.replace("_", " ") for w in line.lower().split())
        elif section in ("intensifiers", "diminishers"):
            word, factor = line.rsplit(maxsplit=1)
            lex.intensifiers[word.lower()] = float(factor)
        elif section == "lexicon":
            _add_entry(lex, *line.rsplit(maxsplit=1))
    return lex


def _add_entry(lex: _Lexicon, term: str, weight: str) -> None:
    parts = tuple(term.lower().split("_"))
    if len(parts) == 1:
        lex.words[parts[0]] = float(weight)
    else:
        lex.phrases[parts] = float(weight)
        lex.max_phrase = max(lex.max_phrase, len(parts))
        lex.phrase_starts.add(parts[0])


@cache
def _lexicon(lang: str) -> _Lexicon:
    return _parse_lexicon((RESOURCES / f"{lang}.txt").read_text(encoding="utf-8"))


@cache
def _morph(lang: str):
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


@lru_cache(maxsize=300_000)
def _lemma(word: str, lang: str) -> str:
    if lang == "en":
        return _english_base(word)
    return _morph(lang).parse(word)[0].normal_form


def _english_base(word: str) -> str:
    """A light English normaliser: enough to map "colleagues"/"managers" to their lexicon forms."""
    lex = _lexicon("en").words
    if word in lex:
        return word
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ly", ""), ("ed", ""), ("ing", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2 and word[: -len(suffix)] + repl in lex:
            return word[: -len(suffix)] + repl
    return word


# --------------------------------------------------------------------------- scoring


@dataclass
class _Token:
    kind: str  # word | emo | stop | comma
    surface: str
    lemma: str = ""
    weight: float = 0.0


#: Links, e-mail addresses and @handles: never read for words or emoticons (":/" in "http://").
_LINK = re.compile(r"(?:https?|ftp)://\S+|www\.\S+|\S+@\S+|@\w+", re.IGNORECASE)


@cache
def _courtesy() -> re.Pattern:
    lines = (RESOURCES / "courtesy.txt").read_text(encoding="utf-8").splitlines()
    phrases = sorted((ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(p) for p in phrases) + r")(?![\w-])", re.IGNORECASE)


def without_courtesy(text: str, by: str = " ") -> str:
    """``text`` with its courtesy formulas ("please", "будь ласка", "спасибо за внимание") replaced by ``by``."""
    return _courtesy().sub(by, text)


def _tokenise(text: str, lang: str) -> list[_Token]:
    out = []
    text = _courtesy().sub(" ", _LINK.sub(" ", text))
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "word":
            surface = m.group().lower().replace("’", "'").replace("ʼ", "'")
            out.append(_Token("word", surface, _lemma(surface, lang)))
        elif kind in ("emo", "smile", "frown"):
            weight = {"smile": 1.5, "frown": -1.5}.get(kind) or _EMOTICONS[m.group()]
            out.append(_Token("emo", m.group(), weight=weight))
        else:
            out.append(_Token(kind, m.group()))
    return out


def _match_phrase(tokens: list[_Token], i: int, lex: _Lexicon) -> tuple[float, int] | None:
    first = tokens[i]
    if first.surface not in lex.phrase_starts and first.lemma not in lex.phrase_starts:
        return None  # most words start no phrase: skip building their windows
    for n in range(min(lex.max_phrase, len(tokens) - i), 1, -1):
        window = tokens[i:i + n]
        if any(t.kind != "word" for t in window):
            continue
        for key in (tuple(t.surface for t in window), tuple(t.lemma for t in window)):
            if key in lex.phrases:
                return lex.phrases[key], n
    return None


def _word_weight(tok: _Token, lex: _Lexicon) -> float | None:
    if tok.surface in lex.words:
        return lex.words[tok.surface]
    return lex.words.get(tok.lemma)


def _is_in(tok: _Token, words) -> bool:
    return tok.kind == "word" and (tok.surface in words or tok.lemma in words)


def _modifiers(tokens: list[_Token], i: int, lex: _Lexicon) -> tuple[bool, float]:
    """Negated?, and the intensity factor, from the words just before position ``i``."""
    negated, factor = False, 1.0
    for back in range(1, _NEGATION_WINDOW + 1):
        j = i - back
        if j < 0 or tokens[j].kind != "word":
            break
        tok = tokens[j]
        if _is_in(tok, lex.negators):
            negated = not negated
        elif back <= 2:
            factor *= lex.intensifiers.get(tok.surface, lex.intensifiers.get(tok.lemma, 1.0))
    return negated, factor


def _sentence_sum(tokens: list[_Token], lex: _Lexicon, lang: str) -> float:
    weights: list[float] = []
    contrast_at = -1
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.kind == "emo":
            weights.append(tok.weight)
            i += 1
            continue
        if tok.kind != "word":
            i += 1
            continue
        if _is_in(tok, lex.contrast) and i > 0:
            contrast_at = len(weights)
        phrase = _match_phrase(tokens, i, lex)
        weight, width = phrase if phrase else (_word_weight(tok, lex), 1)
        if weight is None:
            weight = _lack_weight(tokens, i, lex, lang)
        elif not _is_in(tok, lex.negators):
            negated, factor = _modifiers(tokens, i, lex)
            weight *= factor * (_NEGATION_FACTOR if negated else 1.0)
        weights.append(weight)
        i += width
    if contrast_at > 0:
        weights = ([w * _BEFORE_CONTRAST for w in weights[:contrast_at]]
                   + [w * _AFTER_CONTRAST for w in weights[contrast_at:]])
    return sum(weights)


def _lack_weight(tokens: list[_Token], i: int, lex: _Lexicon, lang: str) -> float:
    """An unknown word right after "no"/"нет"/"немає" reads as a complaint ("no parking")."""
    if i == 0 or not _is_in(tokens[i - 1], _LACK_WORDS[lang]):
        return 0.0
    tok = tokens[i]
    if _is_in(tok, lex.negators) or tok.surface in lex.intensifiers or len(tok.surface) < 3:
        return 0.0
    return _LACK_WEIGHT


def _raw_score(text: str, lang: str) -> float:
    lex = _lexicon(lang)
    tokens = _tokenise(text, lang)
    total, start = 0.0, 0
    for k, tok in enumerate(tokens + [_Token("stop", ".")]):
        if tok.kind == "stop":
            part = _sentence_sum(tokens[start:k], lex, lang)
            if "!" in tok.surface:
                part *= 1.2
            total += part
            start = k + 1
    return total


def _clean_language(lang: str | None, text: str) -> str:
    """"en", "ru" or "uk", or "" for a text in another language (no lexicon of ours fits it)."""
    lang = (lang or "").lower()[:2] or detect_language(text)
    return lang if lang in LANGUAGES else ""


def sentiment_scores(texts: list[str], languages: list[str] | None = None) -> np.ndarray:
    """Score each text from -1 (negative) to 1 (positive); 0 means no sentiment found.

    Args:
        texts: text units.
        languages: a language per text ("en", "ru", "uk", or another code such as "fr"); ``None`` (or an
            empty entry) detects it (:mod:`eevp.text.language`). A text in another language scores 0:
            the lexicons are English, Russian and Ukrainian.

    Returns:
        float32 array of ``len(texts)`` scores.
    """
    if languages is not None and len(languages) != len(texts):
        raise ValueError("languages must have one entry per text")
    langs = languages or [None] * len(texts)
    out = np.zeros(len(texts), dtype=np.float32)
    for k, (text, lang) in enumerate(zip(texts, langs)):
        if not isinstance(text, str) or not text.strip():
            continue
        lang = _clean_language(lang, text)
        if not lang:
            continue
        s = _raw_score(text, lang)
        out[k] = s / math.sqrt(s * s + _ALPHA)
    return out


def label_for(score: float, band: float = NEUTRAL_BAND) -> str:
    """"positive", "neutral" or "negative" for one score."""
    if score >= band:
        return "positive"
    if score <= -band:
        return "negative"
    return "neutral"


def classify_sentiment(texts: list[str], languages: list[str] | None = None) -> list[str]:
    """Label each text "positive", "neutral" or "negative" (see :func:`sentiment_scores`).

    Args:
        texts: text units.
        languages: a language per text, or ``None`` to detect them (see :func:`sentiment_scores`).

    Returns:
        One label per text.
    """
    return [label_for(float(s)) for s in sentiment_scores(texts, languages)]


# --------------------------------------------------------------------------- questions and requests


@cache
def _asking_words(lang: str) -> dict[str, frozenset]:
    rules = json.loads((RESOURCES / "asking.json").read_text(encoding="utf-8"))[lang]
    return {"starts": frozenset(tuple(p.split()) for p in rules["starts"]),
            "advice": frozenset(rules["advice"]), "not_imperative": frozenset(rules["not_imperative"]),
            "formulas": frozenset(tuple(p.split()) for p in rules["formulas"])}


@lru_cache(maxsize=100_000)
def _imperative(word: str, lang: str) -> bool:
    """Every pymorphy3 reading of ``word`` is an imperative ("зверніться", "подскажите"): not "стався"
    (also a past tense), "купите" (also a future) or "см" (also centimetres)."""
    return all("impr" in p.tag and "Abbr" not in p.tag for p in analyzer(lang).parse(word))


def _sentences(text: str) -> list[tuple[list[str], bool]]:
    """The words of each sentence of ``text`` (links and handles left out), and whether it ends in "?"."""
    out, words = [], []
    for m in _TOKEN.finditer(_LINK.sub(" ", text)):
        if m.lastgroup == "word":
            words.append(m.group().lower().replace("’", "'").replace("ʼ", "'"))
        elif m.lastgroup == "stop":
            out.append((words, "?" in m.group()))
            words = []
    return [s for s in out + [(words, False)] if s[0]]


def _sentence_asks(words: list[str], question: bool, lang: str) -> bool:
    rules, negators = _asking_words(lang), _lexicon(lang).negators
    if question or any(tuple(words[:len(start)]) == start for start in rules["starts"]):
        return True
    for k, word in enumerate(words):
        if k and words[k - 1] in negators:
            continue  # "не рекомендую", "не купуйте": a warning, not a request
        if word in rules["advice"] or (lang != "en" and word not in rules["not_imperative"]
                                       and _imperative(word, lang)):
            return True
    return False


def _formula(words: list[str], lang: str) -> bool:
    """A greeting or a thanks, with at most two more words (a name): "Добрий день, Юрій!", "Thanks!"."""
    return len(words) <= 4 and any(tuple(words[:len(f)]) == f for f in _asking_words(lang)["formulas"])


def _asks(text: str, lang: str) -> bool:
    """A sentence asks, and every other one is a greeting or a thanks: "Do we know why it is delayed?
    This is getting crazy." states a complaint besides its question."""
    sentences = [(w, _sentence_asks(w, q, lang)) for w, q in _sentences(text)]
    return any(a for _, a in sentences) and all(a or _formula(w, lang) for w, a in sentences)


def asking(texts: list[str], languages: list[str] | None = None) -> np.ndarray:
    """Whether each text asks something of its reader: a question, a request, or advice.

    A customer who asks ("Підкажіть, чи є гарантія?", "Can I change it online?") or advises another
    ("Скиньте до заводських налаштувань") reports no experience by that alone; the customer-voice
    sentiment (:func:`eevp.text.sentiment_model.voice_labels`) reads such a statement as neutral unless
    it carries a complaint cue. A text asks when it has a question mark (links aside), opens with a
    question or request word of its language, has an advice word ("рекомендуємо", "recommend"), or, in
    Russian and Ukrainian, a verb in the imperative (pymorphy3); a word right after a negator does not
    count ("не рекомендую", "не купуйте" warn). The words are in ``resources/sentiment/asking.json``.

    Args:
        texts: statements.
        languages: a language per text, or ``None`` to detect them; a text in another language than
            English, Russian or Ukrainian asks only with a question mark.

    Returns:
        A boolean array, one entry per text.
    """
    langs = languages or [None] * len(texts)
    out = np.zeros(len(texts), dtype=bool)
    for k, (text, lang) in enumerate(zip(texts, langs)):
        if isinstance(text, str) and text.strip():
            lang = _clean_language(lang, text)
            out[k] = _asks(text, lang) if lang else _LINK.sub(" ", text).rstrip().endswith("?")
    return out


def asking_version() -> str:
    """A digest of the question and request words: customers' stored tags are re-read when they change."""
    return content_hash((RESOURCES / "asking.json").read_bytes())[:8]
