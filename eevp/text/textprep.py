"""Text preparation: boilerplate filtering, lemmas and the c-TF-IDF vectorizer for themes.

Comments like "n/a", "нет комментариев" or "-" carry no theme and are excluded (and counted).
For theme keywords, words are lemmatised so that "клиенты / клиентов / клиентам" count as one
word "клиент": Russian and Ukrainian through pymorphy3, English by lower-casing and stripping
plurals. Stop-word lists live in ``eevp/resources/stopwords/{en,ru,uk}.txt``.

Nothing is loaded at import time: the morphological analysers are created on first use.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

from eevp.hashing import text_hash
from eevp.text.language import detect_language
from eevp.text.morph import analyzer
from eevp.text.sentiment import sentiment_scores

__all__ = [
    "BOILERPLATE",
    "BOILERPLATE_VERSION",
    "LemmaTokenizer",
    "is_boilerplate",
    "is_company_reply",
    "is_too_short",
    "lemma",
    "lemmatize_tokens",
    "make_vectorizer",
    "prepare",
    "stop_words",
    "tokenize",
]

STOPWORDS_DIR = Path(__file__).resolve().parents[1] / "resources" / "stopwords"
LANGUAGES = ("en", "ru", "uk")

BOILERPLATE_DIR = Path(__file__).resolve().parents[1] / "resources" / "boilerplate"


def _lines(name: str) -> list[str]:
    """The lines of a resource file under ``resources/boilerplate``, without comments ("# ...") and blanks."""
    text = (BOILERPLATE_DIR / name).read_text(encoding="utf-8")
    return [line.rstrip("\n") for line in text.splitlines() if line.strip() and not line.startswith("# ")]


#: Whole answers (after normalising case, spaces and trailing punctuation) that say nothing.
BOILERPLATE = frozenset(_lines("answers.txt"))
#: Answers that say nothing as patterns: "no cons so far", "#NAME?", "минусов нет".
BOILERPLATE_PATTERN = re.compile("(?:" + "|".join(_lines("patterns.txt")) + r")\Z")
#: Words after a "no cons" opening that keep the answer (a contrast, a negation, a wish: "none, but ...").
KEEP_WORDS = frozenset(_lines("keeps.txt"))


def _reply_pattern(kind: str, closed: bool) -> re.Pattern:
    """The ``kind`` ("strong" or "weak") formulas of a company's reply (``replies.txt``) as one pattern."""
    found = [line.split(": ", 1)[1] for line in _lines("replies.txt") if line.startswith(f"{kind}: ")]
    return re.compile(r"\b(?:" + "|".join(found) + (r")\b" if closed else ")"), re.IGNORECASE)


#: What only a company writes to a customer ("Дякуємо за відгук", "our support team"), and what a customer's
#: letter may also hold ("з повагою", "бажаємо"): :func:`is_company_reply`.
REPLY_STRONG, REPLY_WEAK = _reply_pattern("strong", False), _reply_pattern("weak", True)
#: A greeting in the plural that opens a comment, after a name at most ("Мирославо, вітаємо!"): a brand's reply.
REPLY_OPENING = re.compile(r"^\W*(?:[^\W\d_]+,\s*)?(?:" + "|".join(
    line.split(": ", 1)[1] for line in _lines("replies.txt") if line.startswith("opening: ")) + r")\b", re.IGNORECASE)
#: A fingerprint of the lists: text units marked under other lists are marked again by the next analysis.
BOILERPLATE_VERSION = text_hash("\n".join([*sorted(BOILERPLATE), "", BOILERPLATE_PATTERN.pattern, "",
                                           *sorted(KEEP_WORDS), "", "opening-1", "placeholders-1", "",
                                           REPLY_STRONG.pattern, REPLY_WEAK.pattern, REPLY_OPENING.pattern]))[:16]

_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ-][^\W\d_]+)*")
_FIRST_CLAUSE = re.compile(r"\s*[,.;:!?–—]+\s*|\s+-+\s+")
_KEEP_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
_NO_CONS_OPENING = re.compile(r"(?:there (?:is|are) |i have |i ve |honestly |truly |really )?"
                              r"(?:none|nothing|no (?:real )?(?:cons?|negatives?|complaints?|issues?|downsides?)|"
                              r"(?:i )?(?:can ?t|cannot|can not) (?:really )?think of any|"
                              r"(?:нет|не вижу|немає|нема|не бачу) (?:никаких |жодних )?(?:минусов|недостатков|мінусів|недоліків)|"
                              r"(?:минусов|недостатков|мінусів|недоліків) (?:нет|не вижу|немає|нема|не бачу))\b")
_NORMALISE = re.compile(r"[\s\"'«»“”.,!?;:()\[\]*/~_–—-]+")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[а-яёіїєґ]", re.IGNORECASE)
_UK_ONLY = re.compile(r"[іїєґ]", re.IGNORECASE)
_RU_ONLY = re.compile(r"[ыэъё]", re.IGNORECASE)


# --------------------------------------------------------------------------- boilerplate


def _normalise(text: str) -> str:
    return _NORMALISE.sub(" ", str(text).lower()).strip()


def is_boilerplate(text: str | None) -> bool:
    """Whether a comment says nothing: empty, "n/a", "нет комментариев", "no cons so far", a spreadsheet
    error ("#NAME?"), digits, punctuation or redaction's placeholders only ("[URL]"), a greeting or thanks
    alone (the answers and patterns in ``resources/boilerplate``).

    Args:
        text: one comment.

    Returns:
        True when the text carries no content for themes.
    """
    if text is None:
        return True
    raw = without_markup(text).strip().lower()  # "[URL]": a web address was all there was
    if not raw or not _HAS_LETTER.search(raw):
        return True
    norm = _normalise(raw)
    return (raw in BOILERPLATE or norm in BOILERPLATE or bool(BOILERPLATE_PATTERN.match(norm))
            or _no_cons_then_praise(raw))


def is_company_reply(text: str | None) -> bool:
    """Whether a customer comment is the company's own reply to a customer: customer feedback exported with the
    brand's or the shop's answers ("Дякуємо за відгук! Бажаємо приємного користування. З повагою, команда X").
    One of the strong formulas of ``resources/boilerplate/replies.txt``, or two different weak ones, make it one;
    nothing in it is the customer's voice.

    Args:
        text: one whole customer comment (a reply's later sentences, "Холодильники X добре зарекомендували
            себе", say nothing of it alone).
    """
    if not text:
        return False
    text = str(text)
    return (bool(REPLY_STRONG.search(text) or REPLY_OPENING.match(text))
            or len({m.group(0).lower() for m in REPLY_WEAK.finditer(text)}) >= 2)


def _no_cons_then_praise(raw: str) -> bool:
    """A "no cons" opening clause followed only by praise ("none, a friendly place to work", "nothing really.
    I am glad I moved here"): no word of ``keeps.txt`` after it and a positive lexicon score."""
    parts = _FIRST_CLAUSE.split(raw, maxsplit=1)
    if len(parts) < 2 or not parts[1].strip():
        return False
    head, rest = _normalise(parts[0]), parts[1]
    if not (_NO_CONS_OPENING.match(head) and BOILERPLATE_PATTERN.match(head)):
        return False
    words = _KEEP_WORD.findall(rest)
    if len(words) > 20 or any(w in KEEP_WORDS for w in words):
        return False
    return bool(sentiment_scores([rest], [detect_language(raw)])[0] > 0)


def word_count(text: str | None) -> int:
    """Number of words (letters only; numbers and punctuation are not words)."""
    return len(_WORD.findall(str(text or "")))


def is_too_short(text: str | None, min_words: int = 3) -> bool:
    """Whether a text has fewer than ``min_words`` words."""
    return word_count(text) < min_words


def prepare(texts, min_words: int = 3) -> pd.DataFrame:
    """Mark which texts go into themes and why the others do not.

    Args:
        texts: comments (any iterable of strings; None counts as empty).
        min_words: texts with fewer words are excluded as ``"too_short"`` (0 or 1 keeps one-word answers).

    Returns:
        DataFrame with ``text``, ``keep`` (bool) and ``reason`` (``""``, ``"boilerplate"`` or
        ``"too_short"``); ``df.attrs["excluded"]`` counts the reasons.
    """
    texts = ["" if t is None else str(t) for t in texts]
    reasons = ["boilerplate" if is_boilerplate(t) else "too_short" if is_too_short(t, min_words) else ""
               for t in texts]
    df = pd.DataFrame({"text": texts, "keep": [r == "" for r in reasons], "reason": reasons})
    df.attrs["excluded"] = {r: reasons.count(r) for r in ("boilerplate", "too_short")}
    return df


# --------------------------------------------------------------------------- language and lemmas


#: A long text's language is read from this many characters spread over it. BERTopic's c-TF-IDF joins
#: each theme's comments into one document (65,000 characters on average at 10,000 comments) whose
#: language is only a hint (see :func:`_lemma`): reading all of it took 3 s of a 10,000-unit refit.
HINT_CHARS = 4000
_HINT_PIECES = 16


def _lemma_language(text: str, language: str | None) -> str:
    """"en", "ru" or "uk" for the analyser, or "" for a text in another language (kept as written)."""
    lang = language or detect_language(_spread_sample(text, HINT_CHARS))
    return lang if lang in LANGUAGES else ""


def _spread_sample(text: str, size: int) -> str:
    """``text`` when it is at most ``size`` characters, else ``_HINT_PIECES`` pieces of it taken at even
    steps from start to end, cut at spaces (about ``size`` characters)."""
    if not isinstance(text, str) or len(text) <= size:
        return text
    piece, step = size // _HINT_PIECES, (len(text) - size // _HINT_PIECES) / (_HINT_PIECES - 1)
    cuts = (text[round(i * step):round(i * step) + piece] for i in range(_HINT_PIECES))
    return " ".join(c.split(" ", 1)[-1].rsplit(" ", 1)[0] for c in cuts)


#: Redaction's placeholders ([NAME], [EMAIL], [HANDLE]...): what was removed, never a word of the text.
_REDACTED = re.compile(r"\[[A-Z]{2,}\]")


def without_markup(text) -> str:
    """``text`` without redaction's placeholders and with HTML entities decoded: neither is a word anyone
    wrote ("handle" and "amp" were keywords of 3,660 real airline tweets: "[HANDLE] ... &amp; ...")."""
    text = str(text or "")
    if "[" in text:
        text = _REDACTED.sub(" ", text)
    return html.unescape(text) if "&" in text else text


def tokenize(text: str) -> list[str]:
    """Lower-cased words (letters, inner apostrophes and hyphens)."""
    return [_lower(w) for w in _WORD.findall(without_markup(text))]


def _lower(word: str) -> str:
    return word.lower().replace("’", "'").replace("ʼ", "'")


def _words(text: str) -> tuple[list[str], bool]:
    """The words of ``text`` as written, and whether most are in capitals (shouting)."""
    words = _WORD.findall(without_markup(text))
    return words, 2 * sum(w.isupper() for w in words) > len(words)


def _lemma_as_written(word: str, lang: str, shouting: bool) -> str:
    """A word's lemma, lower-case; a word written in capitals (ASOS, NHS, ДТЭК) is a name or an acronym and
    stays as written ("asos", not "aso"), unless the text is shouting."""
    low = _lower(word)
    return low if len(word) > 1 and word.isupper() and not shouting else _lemma(low, lang)


@lru_cache(maxsize=300_000)
def _lemma(word: str, lang: str) -> str:
    if lang not in LANGUAGES:  # another language: no lemmatiser of ours fits it
        return word
    if not _CYRILLIC.search(word):
        return _english_lemma(word)
    if lang == "en":
        # A Cyrillic word in a document read as English (a theme joining statements in three languages):
        # read it by its own letters and the dictionaries below, not by English rules ("клиенты", "клиентов"
        # and "клиент" are one keyword in every document).
        lang = "ru"
    # A word's own letters override the document's language (a Russian word in a Ukrainian note).
    if _UK_ONLY.search(word):
        lang = "uk"
    elif _RU_ONLY.search(word):
        lang = "ru"
    else:
        # BERTopic joins all texts of a theme into one document, so the document's language is only
        # a hint: a word the other dictionary knows and this one does not is read in the other.
        other = "uk" if lang == "ru" else "ru"
        if not analyzer(lang).word_is_known(word) and analyzer(other).word_is_known(word):
            lang = other
    return analyzer(lang).parse(word)[0].normal_form.replace("ё", "е")


def lemma(word: str, language: str) -> str:
    """The lemma of one lower-case word ("ru"/"uk" via pymorphy3, "en" by light rules), cached."""
    return _lemma(word, language)


def _english_lemma(word: str) -> str:
    if len(word) <= 3 or not word.isascii():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")):
        return word[:-1]
    if word.endswith("'s"):
        return word[:-2]
    return word


def lemmatize_tokens(text: str, language: str | None = None) -> list[str]:
    """Lemmas of the words in ``text`` (stop words kept; see :class:`LemmaTokenizer` to drop them).

    Args:
        text: one text.
        language: "en", "ru" or "uk"; None detects it; another code ("fr", "other") keeps the words
            as written (no lemmatiser of ours fits them).

    Returns:
        Lemmas in order, lower-case; Russian "ё" is written "е".
    """
    lang, (words, shouting) = _lemma_language(text, language), _words(text)
    return [_lemma_as_written(w, lang, shouting) for w in words]


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Stop words of all three languages, as written and as lemmas, and the function words of another
    language staff write in beside them (``fr.txt``: French in a bilingual workforce), as written."""
    words: set[str] = set(ENGLISH_STOP_WORDS)
    for path in sorted(STOPWORDS_DIR.glob("*.txt")):
        lang = path.stem
        for line in path.read_text(encoding="utf-8").splitlines():
            word = _lower(line.strip()).replace("ё", "е")
            if word and not word.startswith("#"):
                words.add(word)
                if lang in LANGUAGES:
                    words.add(_lemma(word, lang))
    return frozenset(words)


class LemmaTokenizer:
    """Picklable tokenizer for ``CountVectorizer``: lemmas without stop words or 1-letter words.

    Args:
        min_length: shortest token kept (in characters).
    """

    def __init__(self, min_length: int = 2):
        self.min_length = min_length

    def __call__(self, text: str) -> list[str]:
        stops = stop_words()
        lang = _lemma_language(text, None)
        words, shouting = _words(text)
        out = []
        for word in words:
            if _lower(word) in stops or len(word) < self.min_length:
                continue
            lemma = _lemma_as_written(word, lang, shouting)
            if lemma not in stops and len(lemma) >= self.min_length:
                out.append(lemma)
        return out

    def __eq__(self, other) -> bool:
        return isinstance(other, LemmaTokenizer) and other.min_length == self.min_length

    def __hash__(self) -> int:
        return hash(("LemmaTokenizer", self.min_length))

    def __repr__(self) -> str:
        return f"LemmaTokenizer(min_length={self.min_length})"


def min_df_for(n_docs: int) -> int:
    """``min_df`` for c-TF-IDF. BERTopic fits the vectorizer on one joined document *per theme*,
    so ``min_df`` counts themes, not comments: 1 keeps words distinctive of a single theme; only
    very large corpora use 2 to keep the vocabulary (and memory) in check."""
    return 1 if n_docs < 50_000 else 2


def make_vectorizer(n_docs: int = 0, ngram_range: tuple[int, int] = (1, 2), min_df: int | None = None,
                    max_features: int | None = None) -> CountVectorizer:
    """The vectorizer for theme keywords: lemmas of en/ru/uk without stop words, uni- and bigrams.

    Args:
        n_docs: corpus size (sets ``min_df`` when not given).
        ngram_range: word n-grams over the lemmas.
        min_df: override of :func:`min_df_for`.
        max_features: cap on the vocabulary; default 100,000 above 50,000 texts.

    Returns:
        An unfitted ``CountVectorizer`` (picklable).
    """
    if max_features is None and n_docs >= 50_000:
        max_features = 100_000
    return CountVectorizer(tokenizer=LemmaTokenizer(), token_pattern=None, lowercase=False,
                           ngram_range=tuple(ngram_range), min_df=min_df or min_df_for(n_docs),
                           max_features=max_features)
