"""What staff say about customers: tag statements, place them on the customer journey, review the tags.

A statement is *about customers* when it names the company's customers (clients, buyers, patients,
passengers, subscribers, users of the product...; any inflection, through pymorphy3 lemmas for
Russian and Ukrainian) and is not one of the known traps: a software client ("e-mail client",
"почтовый клиент"), colleagues as "internal clients", "client-server", or "users" of an internal
tool ("users of our HR system"). A statement with no such word is still about customers when it
names a customer-facing process on its own ("the hotline queue", "parcels arrive damaged") and no
employee matter (pay, training, colleagues). Rules and words live in
``resources/insights/lexicon.json``; nothing is downloaded and no model is needed.

Since December 2026 the class of a statement comes from a learned head (``eevp/text/lens_model.py``,
trained on real labelled statements by ``training/train_models.py``): ``customer_problem``,
``customer_positive``, ``customers_treat_staff``, ``job_context`` or ``not_about_customers``; the
lexicon's cues are some of its inputs and never decide a class alone. ``about_customers`` is true for
the first two classes only. The rules below remain the fallback when no head ships.

Decision on the evaluation set: "our clients' data is migrated to a new server" counts as about
customers (their data, their experience), with no journey stage.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from eevp.errors import InputError
from eevp.hashing import content_hash, text_hash
from eevp.text.language import detect_language, detect_languages
from eevp.text.lens_model import HEADS_DIR, decide, decide_stage, shipped_head
from eevp.text.sentiment import sentiment_scores
from eevp.text.sentiment_model import predict_sentiment

__all__ = [
    "ABOUT_CLASSES",
    "CLASSES",
    "COLUMNS",
    "SENTIMENTS",
    "STAGES",
    "TAGGER_VERSION",
    "apply_corrections",
    "tagger_version",
    "evaluate",
    "lexicon_sentiment",
    "review_precision",
    "customer_cue",
    "rule_features",
    "rule_tags",
    "review_sample",
    "tag_statements",
]

TAGGER_VERSION = "lens-2026.12"
STAGES = ("marketing", "sales", "onboarding", "delivery", "support", "billing", "retention")
SENTIMENTS = ("positive", "neutral", "negative")
COLUMNS = ("language", "about_customers", "stage", "sentiment", "incident", "cls", "severity")
CLASSES = ("customer_problem", "customer_positive", "customers_treat_staff", "job_context", "not_about_customers")
#: The classes that make a statement *about customers* (what customers experience).
ABOUT_CLASSES = CLASSES[:2]

_LEXICON_PATH = Path(__file__).resolve().parents[1] / "resources" / "insights" / "lexicon.json"


@lru_cache(maxsize=1)
def tagger_version() -> str:
    """What stored tags are stamped with: :data:`TAGGER_VERSION` and a digest of the lexicon and the
    shipped lens heads, so that an eevp with another lexicon or head tags stored statements again
    (the analysis re-tags every statement whose stamp differs; 25 characters)."""
    files = [_LEXICON_PATH, *sorted((HEADS_DIR / "lens").glob("*.safetensors"))]
    return f"{TAGGER_VERSION}+{content_hash(b''.join(f.read_bytes() for f in files))[:12]}"
_WORD = re.compile(r"[^\W_]+(?:[-'’ʼ][^\W_]+)*")
_MIN_STAGE_SCORE = 2  # one strong cue, or two weak ones

SentimentFn = Callable[[list[str], list[str]], Sequence[str]]


# --------------------------------------------------------------------------- lexicon


def _pattern(entries: list[str]) -> re.Pattern | None:
    """One regex for a list of lexicon entries ("word", "prefix*", "two words")."""
    alts = []
    for e in sorted({_norm(e) for e in entries}, key=len, reverse=True):
        prefix = e.endswith("*")
        body = r"\s+".join(re.escape(w) for w in e.rstrip("*").split())
        alts.append(body + (r"[\w'-]*" if prefix else ""))
    if not alts:
        return None
    return re.compile(r"(?<![\w'-])(?:" + "|".join(alts) + r")(?![\w'-])")


@dataclass(frozen=True)
class _Lang:
    customer: frozenset
    user_words: frozenset
    software_before: frozenset
    software_after: frozenset
    internal_before: frozenset
    not_noun_before: frozenset
    adjective_too: frozenset
    not_mention_after: frozenset
    standalone: re.Pattern | None
    internal_tool: re.Pattern | None
    employee_cue: re.Pattern | None
    strong: dict
    weak: dict
    positive: re.Pattern | None
    negative: re.Pattern | None
    time_marker: re.Pattern | None
    past_verbs: frozenset
    ignore: re.Pattern | None


@lru_cache(maxsize=1)
def _lexicon() -> tuple[dict[str, _Lang], tuple[str, ...]]:
    raw = json.loads(_LEXICON_PATH.read_text(encoding="utf-8"))
    langs = {}
    for code in ("en", "ru", "uk"):
        d = raw[code]
        sets = {
            k: frozenset(_norm(w) for w in d[k])
            for k in (
                "customer",
                "user_words",
                "software_before",
                "software_after",
                "internal_before",
                "not_noun_before",
                "not_mention_after",
                "past_verbs",
                "adjective_too",
            )
        }
        langs[code] = _Lang(
            **sets,
            internal_tool=_pattern(d["internal_tool"]),
            employee_cue=_pattern(d["employee_cue"]),
            strong={s: _pattern(d["stages"][s]["strong"]) for s in STAGES},
            weak={s: _pattern(d["stages"][s]["weak"]) for s in STAGES},
            positive=_pattern(d["positive"]),
            negative=_pattern(d["negative"]),
            time_marker=_pattern(d["time_marker"]),
            ignore=_pattern(d.get("ignore", [])),
            standalone=_pattern(d["standalone"]),
        )
    return langs, tuple(raw["stage_priority"])


def customer_words() -> tuple[str, ...]:
    """The words for a customer in English, Russian and Ukrainian (lemmas, lower case), sorted."""
    langs, _ = _lexicon()
    return tuple(sorted(w for lang in langs.values() for w in lang.customer))


def _norm(s: str) -> str:
    return s.lower().replace("ё", "е").replace("’", "'").replace("ʼ", "'")


# --------------------------------------------------------------------------- lemmas


@lru_cache(maxsize=2)
def _morph(lang: str):
    import pymorphy3  # imported on first use: nothing heavy runs at import

    return pymorphy3.MorphAnalyzer(lang=lang)


@lru_cache(maxsize=300_000)
def _lemma(word: str, lang: str) -> tuple[str, frozenset, bool, bool]:
    """(likeliest lemma, all possible lemmas, is a singular noun, is a past-tense verb) of a word."""
    if lang == "en":
        lemma = _en_lemma(word)
        return lemma, frozenset([lemma]), False, False
    if not re.search(r"[а-яіїєґ]", word):
        return word, frozenset([word]), False, False
    parses = _morph(lang).parse(word)
    tag = parses[0].tag
    return (
        _norm(parses[0].normal_form),
        frozenset(_norm(p.normal_form) for p in parses),
        "NOUN" in tag and "sing" in tag,
        "past" in tag,
    )


def _en_lemma(w: str) -> str:
    if w.endswith("'s"):
        w = w[:-2]
    elif w.endswith("s'"):
        w = w[:-1]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "ous")):
        return w[:-1]
    return w


@dataclass
class _Doc:
    raw: str
    tokens: list[str]
    lemmas: list[str]
    options: list[frozenset]
    sing: list[bool]
    past: bool

    @property
    def hay(self) -> str:
        return self.raw + " | " + " ".join(self.lemmas)


def _analyse(text: str, lang: str) -> _Doc:
    raw = _norm(text or "")
    tokens = _WORD.findall(raw)
    info = [_lemma(t, lang) for t in tokens]
    return _Doc(
        raw, tokens, [i[0] for i in info], [i[1] for i in info], [i[2] for i in info], any(i[3] for i in info)
    )


# --------------------------------------------------------------------------- rules


def _mentions(doc: _Doc, lex: _Lang, lang: str) -> tuple[int, int, bool]:
    """(customer mentions, trapped mentions, a single customer was named) in a statement."""
    valid = trapped = 0
    single = False
    lem = doc.lemmas
    for i, options in enumerate(doc.options):
        hit = options & lex.customer
        if not hit:
            continue
        w = min(hit)
        before, after = lem[max(0, i - 2) : i], lem[i + 1 : i + 2]
        if w in lex.adjective_too and before and before[-1] in lex.not_noun_before:
            continue  # "be patient"
        if after and after[0] in lex.not_mention_after:
            continue  # "customer service": a department or a job
        trap = (
            bool(before)
            and before[-1] in lex.software_before
            or bool(after)
            and after[0] in lex.software_after
            or any(b in lex.internal_before for b in before)
        )
        if not trap and w in lex.user_words and lex.internal_tool is not None:
            window = " ".join(lem[max(0, i - 3) : i] + lem[i + 1 : i + 7])
            trap = bool(lex.internal_tool.search(window))
        if trap:
            trapped += 1
            continue
        valid += 1
        if lang == "en":
            det = doc.tokens[i - 1] if i else ""
            single = single or (det in ("a", "an", "one", "another") and not doc.tokens[i].endswith("s"))
        else:
            single = single or doc.sing[i]
    return valid, trapped, single


def _hits(pattern: re.Pattern | None, hay: str) -> set[str]:
    return set() if pattern is None else {re.sub(r"\s+", " ", m) for m in pattern.findall(hay)}


def _stage(hay: str, lex: _Lang, priority: tuple[str, ...]) -> str | None:
    """The journey stage with the most cues (strong count 2, weak 1); ties go by ``priority``."""
    best, best_score = None, 0
    for s in priority:
        score = 2 * len(_hits(lex.strong[s], hay)) + len(_hits(lex.weak[s], hay))
        if score > best_score:
            best, best_score = s, score
    return best if best_score >= _MIN_STAGE_SCORE else None


def _polarity(doc: _Doc, lex: _Lang) -> int:
    hay = " ".join(doc.lemmas) if doc.lemmas else doc.raw
    pos = len(lex.positive.findall(hay)) if lex.positive else 0
    neg = len(lex.negative.findall(hay)) if lex.negative else 0
    return pos - neg


def lexicon_sentiment(texts: list[str], languages: list[str]) -> list[str]:
    """Small built-in sentiment: positive minus negative lexicon words (the fallback).

    Args:
        texts: Statements.
        languages: Their languages (``en``, ``ru``, ``uk``; a text in another language is neutral).

    Returns:
        ``"positive"``, ``"neutral"`` or ``"negative"`` per text.
    """
    langs, _ = _lexicon()
    out = []
    for t, key in zip(texts, languages):
        score = _polarity(_analyse(t, key), langs[key]) if key in langs else 0
        out.append("positive" if score > 0 else "negative" if score < 0 else "neutral")
    return out


def _default_sentiment() -> SentimentFn:
    try:
        from eevp.text.sentiment import classify_sentiment  # written by another module; optional
    except ImportError:
        return lexicon_sentiment
    return classify_sentiment


# --------------------------------------------------------------------------- tagging


def tag_statements(
    texts: Sequence[str], languages: Sequence[str] | None = None, sentiment: SentimentFn | None = None,
    embeddings: np.ndarray | None = None, embed: Callable[[list[str]], np.ndarray] | None = None,
    customer_voice: bool = False,
) -> pd.DataFrame:
    """Tag statements: language, class, about customers, journey stage, sentiment, incident, severity.

    Args:
        texts: Statements (one sentence or line of a comment, answer or note).
        languages: Their languages if already known; detected when ``None``.
        sentiment: ``f(texts, languages) -> labels``; ``None`` uses
            ``eevp.text.sentiment.classify_sentiment`` when that module exists, else
            :func:`lexicon_sentiment`.
        customer_voice: the statements are customers' own words (customer feedback): each is about
            the customer experience, so its stage is read whatever its class, and its sentiment with
            the sentiment head's customer-voice setting (:func:`eevp.text.sentiment_model.voice_labels`).

    Returns:
        One row per text, in order, with columns ``language`` (str), ``cls`` (one of
        :data:`CLASSES`), ``about_customers`` (bool: ``cls`` in :data:`ABOUT_CLASSES`), ``stage`` (one
        of :data:`STAGES` or None; None unless about customers), ``sentiment`` (one of
        :data:`SENTIMENTS`), ``incident`` (bool: a concrete negative event, not an opinion) and
        ``severity`` (0..1 for ``customer_problem`` statements: how sure and how bad; NaN otherwise).
    """
    texts = ["" if t is None or (isinstance(t, float) and math.isnan(t)) else str(t) for t in texts]
    langs = list(languages) if languages is not None else detect_languages(texts)
    if len(langs) != len(texts):
        raise InputError(f"{len(texts)} texts but {len(langs)} languages were given; pass one per text.")
    langs = [lang or detect_language(t) for t, lang in zip(texts, langs)]
    if not texts:
        return _frame([], [], [], [], [], [], [])
    head, stage_head = shipped_head("lens/class"), shipped_head("lens/stage")
    if head is None or stage_head is None:
        return rule_tags(texts, langs, sentiment)
    if embeddings is None and embed is None:
        raise InputError("The customer lens reads sentence embeddings: pass the texts' vectors or an embed "
                         "function (eevp.insights.tag_statements does this for you).")
    emb = np.asarray(embed(texts) if embeddings is None else embeddings, dtype=np.float32)
    if emb.shape != (len(texts), head.weight.shape[0] - len(RULE_FEATURES) - 1):
        raise InputError(f"Embeddings of shape {emb.shape} do not fit the customer lens, which reads "
                         f"{head.embedder_id} vectors; pass those, or none to compute them.")
    cues = rule_features(texts, langs)
    lexicon = sentiment_scores(texts, langs)
    x = np.hstack([emb, cues, lexicon[:, None]])
    proba = head.predict_proba(x)
    cls = decide(proba, head.classes, ABOUT_CLASSES, head.card.get("about_threshold"), customer_cue(cues))
    empty = [not t.strip() for t in texts]
    cls = ["not_about_customers" if e else c for c, e in zip(cls, empty)]
    about = [c in ABOUT_CLASSES for c in cls]
    stage_all = _stages(x, cues, customer_voice)
    stage = [st if (a or customer_voice) and st in STAGES else None for a, st in zip(about, stage_all)]
    sent = (predict_sentiment(texts, langs, emb, lexicon_scores=lexicon, customer_voice=customer_voice)
            if sentiment is None else _sentiment_labels(texts, langs, sentiment))
    col = {name: k for k, name in enumerate(RULE_FEATURES)}
    incident = [s == "negative" and bool(f[col["time_marker"]] or (a and f[col["one_customer"]] and f[col["past_tense"]]))
                for s, a, f in zip(sent, about, cues)]
    p_problem = proba[:, head.classes.index("customer_problem")]
    severity = [_severity(p, s, i) if c == "customer_problem" else math.nan
                for c, p, s, i in zip(cls, p_problem, sent, incident)]
    return _frame(langs, about, stage, sent, incident, cls, severity)


def _severity(p_problem: float, sentiment: str, incident: bool) -> float:
    """How sure and how bad one customer problem is, 0..1: the head's probability, less for a
    statement that is not negative, more for a concrete incident."""
    value = float(p_problem) * (1.0 if sentiment == "negative" else 0.6) * (1.25 if incident else 1.0)
    return round(min(1.0, value), 3)


def _stages(x: np.ndarray, cues: np.ndarray, customer_voice: bool) -> list[str]:
    """The stage head's answer per row. Staff statements: the head's stage where the lexicon agrees, else
    the card's fallback (``lens/stage``); customers' own words: the head trained with the airline tweets
    (``lens/stage_voice``), as it is."""
    head = (shipped_head("lens/stage_voice") if customer_voice else None) or shipped_head("lens/stage")
    fallback = head.card.get("stage_fallback")
    if fallback is None:
        return head.predict(x)
    first = RULE_FEATURES.index(f"cue_{STAGES[0]}")
    return decide_stage(head.predict_proba(x), head.classes, cues[:, first:first + len(STAGES)], STAGES, fallback)


def rule_tags(texts: Sequence[str], languages: Sequence[str], sentiment: SentimentFn | None = None) -> pd.DataFrame:
    """The lexicon rules alone (the fallback when no head ships, and the baseline the head is measured
    against): a statement that names customers is a ``customer_problem`` unless it is positive."""
    texts, langs = list(texts), list(languages)
    sent = _sentiment_labels(texts, langs, sentiment)
    lexicons, priority = _lexicon()
    about, stage, incident = [], [], []
    for text, lang, s in zip(texts, langs, sent):
        # Another language than ours: no lexicon reads it, so no rule finds customers in it.
        a, st, inc = (_tag_one(_analyse(text, lang), lexicons[lang], lang, priority, s) if lang in lexicons
                      else (False, None, False))
        about.append(a)
        stage.append(st)
        incident.append(inc)
    cls = [("customer_positive" if s == "positive" else "customer_problem") if a else "not_about_customers"
           for a, s in zip(about, sent)]
    severity = [math.nan] * len(texts)
    return _frame(langs, about, stage, sent, incident, cls, severity)


def _tag_one(doc: _Doc, lex: _Lang, lang: str, priority, sentiment: str) -> tuple[bool, str | None, bool]:
    valid, trapped, single = _mentions(doc, lex, lang)
    hay = doc.hay if lex.ignore is None else lex.ignore.sub(" ", doc.hay)
    stage = _stage(hay, lex, priority)
    standalone = lex.standalone is not None and bool(lex.standalone.search(hay))
    employee = lex.employee_cue is not None and bool(lex.employee_cue.search(hay))
    about = valid > 0 or (trapped == 0 and standalone and not employee)
    past = doc.past if lang != "en" else any(t in lex.past_verbs or t.endswith("ed") for t in doc.tokens)
    timed = lex.time_marker is not None and bool(lex.time_marker.search(doc.raw))
    # An incident is dated, or happened to one named customer; an opinion is neither.
    incident = sentiment == "negative" and (timed or (about and single and past))
    return about, (stage if about else None), incident


RULE_FEATURES = ("mentions_customer", "trapped_mention", "one_customer", "process_cue", "employee_cue", "rule_about",
                 "past_tense", "time_marker") + tuple(f"cue_{s}" for s in STAGES)


def customer_cue(features: np.ndarray) -> np.ndarray:
    """Rows of :func:`rule_features` where the lexicon names the people served (not a trap) or a
    customer-facing process: only these may be customer statements; the head decides which are."""
    col = {name: k for k, name in enumerate(RULE_FEATURES)}
    f = np.asarray(features)
    return (f[:, col["mentions_customer"]] > 0) | (f[:, col["rule_about"]] > 0) | (f[:, col["process_cue"]] > 0)


def rule_features(texts: Sequence[str], languages: Sequence[str]) -> np.ndarray:
    """The lexicon's cues per statement, as numbers for the learned lens (columns :data:`RULE_FEATURES`).

    Cue counts are capped at 3; the rules only feed the model, they never decide a class alone. A text
    in another language than English, Russian or Ukrainian has no cues (a row of zeros).
    """
    lexicons, _ = _lexicon()
    out = np.zeros((len(texts), len(RULE_FEATURES)), dtype=np.float32)
    for k, (text, key) in enumerate(zip(texts, languages)):
        if key not in lexicons:
            continue  # another language than ours: no cues (a row of zeros), not English rules
        lex, doc = lexicons[key], _analyse(text, key)
        valid, trapped, single = _mentions(doc, lex, key)
        hay = doc.hay if lex.ignore is None else lex.ignore.sub(" ", doc.hay)
        standalone = lex.standalone is not None and bool(lex.standalone.search(hay))
        employee = lex.employee_cue is not None and bool(lex.employee_cue.search(hay))
        past = doc.past if key != "en" else any(t in lex.past_verbs or t.endswith("ed") for t in doc.tokens)
        timed = lex.time_marker is not None and bool(lex.time_marker.search(doc.raw))
        cues = [2 * len(_hits(lex.strong[s], hay)) + len(_hits(lex.weak[s], hay)) for s in STAGES]
        about = valid > 0 or (trapped == 0 and standalone and not employee)
        out[k] = [min(valid, 3), min(trapped, 3), single, standalone, employee, about, past, timed,
                  *[min(c, 3) for c in cues]]
    return out


def _sentiment_labels(texts: list[str], langs: list[str], sentiment: SentimentFn | None) -> list[str]:
    fn = sentiment or _default_sentiment()
    labels = [str(x) for x in fn(texts, langs)]
    if len(labels) != len(texts):
        raise InputError(f"The sentiment step returned {len(labels)} labels for {len(texts)} texts.")
    return labels


def _frame(langs, about, stage, sent, incident, cls, severity) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "language": pd.Series(langs, dtype=object),
            "about_customers": pd.Series(about, dtype=bool),
            "stage": pd.Series(stage, dtype=object),
            "sentiment": pd.Series(sent, dtype=object),
            "incident": pd.Series(incident, dtype=bool),
            "cls": pd.Series(cls, dtype=object),
            "severity": pd.Series(severity, dtype=float),
        }
    )


# --------------------------------------------------------------------------- corrections and review


def apply_corrections(
    df: pd.DataFrame,
    corrections: pd.DataFrame,
    *,
    texts: Sequence[str] | None = None,
    embeddings: np.ndarray | None = None,
    correction_embeddings: np.ndarray | None = None,
    min_similarity: float = 0.9,
) -> pd.DataFrame:
    """Let the CX lead's corrections override the tagger.

    A correction applies to the identical text (same ``text_hash``); when embeddings are given for
    both the tagged rows and the corrections, it also applies to the nearest tagged statement whose
    cosine similarity to a corrected one is at least ``min_similarity``.

    Args:
        df: Output of :func:`tag_statements`, with a ``text_hash`` column (or pass ``texts``).
        corrections: Columns ``text_hash``, ``about_customers`` (bool) and ``stage`` (str or None).
        texts: The tagged texts, used to compute ``text_hash`` when ``df`` has none.
        embeddings: ``(len(df), d)`` vectors of the tagged texts.
        correction_embeddings: ``(len(corrections), d)`` vectors of the corrected texts.
        min_similarity: Cosine similarity needed for a near-duplicate to inherit a correction.

    Returns:
        A copy of ``df`` with corrected ``about_customers`` and ``stage`` and a bool column
        ``corrected``.
    """
    out = df.copy()
    if "text_hash" not in out.columns:
        if texts is None:
            raise InputError("apply_corrections needs a 'text_hash' column or the texts themselves.")
        out["text_hash"] = [text_hash(t) for t in texts]
    out["corrected"] = False
    if corrections is None or len(corrections) == 0:
        return out
    corr = corrections.reset_index(drop=True)
    source = out["text_hash"].map(dict(zip(corr["text_hash"], corr.index)))
    if embeddings is not None and correction_embeddings is not None:
        near = _nearest(
            np.asarray(embeddings, dtype=np.float32),
            np.asarray(correction_embeddings, dtype=np.float32),
            min_similarity,
        )
        source = source.fillna(pd.Series(near, index=out.index))
    hit = source.notna()
    idx = source[hit].astype(int).to_numpy()
    about = corr["about_customers"].astype(bool).to_numpy()[idx]
    stage = [
        s if isinstance(s, str) and s and a else None for s, a in zip(corr["stage"].to_numpy()[idx], about)
    ]
    out["about_customers"] = out["about_customers"].astype(bool)
    out.loc[hit, "about_customers"] = about
    out["stage"] = out["stage"].astype(object)
    out.loc[hit, "stage"] = pd.Series(stage, index=out.index[hit], dtype=object)
    out.loc[hit & ~out["about_customers"], "incident"] = False
    if "cls" in out.columns:
        out["cls"] = _class_after_review(out, hit)
    out.loc[hit, "corrected"] = True
    return out


def _class_after_review(out: pd.DataFrame, hit: pd.Series) -> pd.Series:
    """The class follows the reviewer's about_customers: not about customers, or a problem (praise
    when the statement is positive)."""
    cls = out["cls"].astype(object).copy()
    was_about = cls.isin(ABOUT_CLASSES)
    cls[hit & ~out["about_customers"] & was_about] = "not_about_customers"
    now_about = hit & out["about_customers"] & ~was_about
    positive = out["sentiment"].eq("positive") if "sentiment" in out.columns else pd.Series(False, index=out.index)
    cls[now_about] = np.where(positive[now_about], "customer_positive", "customer_problem")
    return cls


def _nearest(a: np.ndarray, b: np.ndarray, min_similarity: float) -> list[float]:
    """Index of the most similar row of ``b`` for each row of ``a`` (NaN below the threshold)."""
    a = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)
    b = b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-12)
    sims = a @ b.T
    best = sims.argmax(axis=1)
    ok = sims[np.arange(len(a)), best] >= min_similarity
    return [float(j) if k else math.nan for j, k in zip(best, ok)]


def review_sample(df: pd.DataFrame, share: float = 0.1, seed: int = 42) -> pd.DataFrame:
    """A reproducible random sample of tagged statements for the CX lead to review.

    Args:
        df: Tagged statements (any columns).
        share: Fraction to draw, in (0, 1]; at least one row is drawn from a non-empty frame.
        seed: Random seed: the same frame, share and seed give the same sample.

    Returns:
        The sampled rows, in their original order, with their original index.
    """
    if not 0 < share <= 1:
        raise InputError(f"The review share must be between 0 and 1, not {share}.")
    if df.empty:
        return df.copy()
    n = max(1, math.ceil(share * len(df)))
    rng = np.random.default_rng(seed)
    pick = np.sort(rng.choice(len(df), size=n, replace=False))
    return df.iloc[pick]


def review_precision(reviews: pd.DataFrame) -> dict:
    """How good the tags were on reviewed statements.

    Args:
        reviews: One row per review with ``tagged_about_customers``, ``tagged_stage`` (the tagger's
            answer) and ``about_customers``, ``stage`` (the reviewer's).

    Returns:
        ``reviewed``, ``precision`` and ``recall`` of about_customers, and ``stage_accuracy`` on
        statements both call about customers; ``None`` where there is nothing to divide by.
    """
    if reviews.empty:
        return {"reviewed": 0, "precision": None, "recall": None, "stage_accuracy": None}
    pred = reviews["tagged_about_customers"].astype(bool).to_numpy()
    gold = reviews["about_customers"].astype(bool).to_numpy()
    tp = int((pred & gold).sum())
    both = pred & gold
    same = [
        _stage_key(a) == _stage_key(b)
        for a, b in zip(reviews["tagged_stage"].to_numpy()[both], reviews["stage"].to_numpy()[both])
    ]
    return {
        "reviewed": len(reviews),
        "precision": tp / pred.sum() if pred.sum() else None,
        "recall": tp / gold.sum() if gold.sum() else None,
        "stage_accuracy": sum(same) / len(same) if same else None,
    }


def _stage_key(s) -> str | None:
    return s if isinstance(s, str) and s else None


# --------------------------------------------------------------------------- evaluation


def evaluate(path: str | Path, sentiment: SentimentFn | None = lexicon_sentiment, tagger=None,
             embed: Callable[[list[str]], np.ndarray] | None = None) -> dict:
    """Score the tagger on a labelled CSV (``text, language, about_customers, stage, ...``).

    Args:
        path: The labelled set, e.g. ``tests/data/customer_statements.csv``.
        sentiment: Sentiment step (default: the built-in lexicon, fast and deterministic).
        tagger: ``f(texts, languages, sentiment) -> frame``; default :func:`tag_statements` (the
            learned lens, with ``embed``); :func:`rule_tags` scores the lexicon rules.
        embed: the heads' embedder (see :func:`tag_statements`).

    Returns:
        ``{language: {n, precision, recall, f1, stage_accuracy, sentiment_accuracy, language_accuracy}}``
        for each language and ``"all"``; precision/recall/F1 are for about_customers, stage accuracy
        is measured on the statements labelled as about customers (no stage must be predicted as none).
    """
    gold = pd.read_csv(path, dtype={"stage": str}, keep_default_na=False)
    texts = gold["text"].tolist()
    if tagger is None:
        tags = tag_statements(texts, detect_languages(texts), sentiment=sentiment, embed=embed)
    else:
        tags = tagger(texts, detect_languages(texts), sentiment=sentiment)
    out = {}
    for lang in [*sorted(gold["language"].unique()), "all"]:
        m = (gold["language"] == lang).to_numpy() if lang != "all" else np.ones(len(gold), dtype=bool)
        out[lang] = _scores(gold[m], tags[m])
    return out


def _scores(gold: pd.DataFrame, tags: pd.DataFrame) -> dict:
    y = gold["about_customers"].astype(int).astype(bool).to_numpy()
    p = tags["about_customers"].to_numpy()
    tp, fp, fn = int((y & p).sum()), int((~y & p).sum()), int((y & ~p).sum())
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    stage_ok = [_stage_key(g) == _stage_key(t) for g, t in zip(gold["stage"][y], tags["stage"][y])]
    res = {
        "n": len(gold),
        "precision": prec,
        "recall": rec,
        "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
        "stage_accuracy": sum(stage_ok) / len(stage_ok) if stage_ok else None,
        "language_accuracy": float((gold["language"].to_numpy() == tags["language"].to_numpy()).mean()),
    }
    if "sentiment" in gold:
        res["sentiment_accuracy"] = float(
            (gold["sentiment"].to_numpy() == tags["sentiment"].to_numpy()).mean()
        )
    if "incident" in gold:
        res["incident_accuracy"] = float(
            (gold["incident"].astype(int).astype(bool).to_numpy() == tags["incident"].to_numpy()).mean()
        )
    return res


def _main() -> None:  # pragma: no cover - a thin printout over evaluate()
    root = Path(__file__).resolve().parents[2] / "tests" / "data"
    for name in ("customer_statements_dev.csv", "customer_statements.csv"):
        if not (root / name).exists():
            continue
        print(name)
        for lang, r in evaluate(root / name).items():
            print(
                f"  {lang:4} n={r['n']:3}  P={r['precision']:.2f} R={r['recall']:.2f} F1={r['f1']:.2f}  "
                f"stage={r['stage_accuracy'] or 0:.2f}  sentiment={r['sentiment_accuracy']:.2f}  "
                f"incident={r['incident_accuracy']:.2f}"
            )


if __name__ == "__main__":  # pragma: no cover
    _main()
