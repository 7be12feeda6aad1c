"""Theme labels people can read: a short phrase the theme's own comments use, else its keywords.

c-TF-IDF keywords are lemmas, so a label made of them reads like a list of dictionary forms ("Wait,
minute, phone"). :func:`phrase_label` looks in the theme's comments for the short phrase (two to
four words, as written) that holds most of the top keywords and that many of the comments share
("Wait on the phone"); :func:`eevp.themes.model.make_label` (keywords) stays the fallback.

A phrase must occur in at least ``min_docs`` different comments and ``min_share`` of the theme's
comments in its language, so a label does not repeat what one person wrote (a comment stored
several times counts once). Redaction placeholders
("[NAME]"), numbers and words like "and" break phrases.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from itertools import islice

from eevp.text.language import name_language, written_in
from eevp.text.textprep import lemma, stop_words

__all__ = ["distinct_labels", "phrase_label"]

#: Clause breaks: punctuation, brackets, redaction placeholders ("[NAME]", "[EMAIL]").
_CLAUSE = re.compile(r"\[[A-Z_]+\]|[.!?;:()\[\]\"«»“”\n\r\t]+|,\s*|\s[-–—]\s")
#: Words and numbers (a number breaks a phrase: "wait 40 minutes" must not read "wait minutes").
_TOKEN = re.compile(r"[^\W_]+(?:['’ʼ-][^\W_]+)*")
#: Words that join two thoughts: a phrase across one ("online and end calling") says neither.
_JOINERS = frozenset("and or but nor и или но а та і й або але чи".split())


def _clauses(text: str) -> list[list[str]]:
    out = []
    for clause in _CLAUSE.split(text):
        run: list[str] = []
        for tok in _TOKEN.findall(clause):
            if any(c.isdigit() for c in tok) or tok.lower() in _JOINERS:
                if len(run) > 1:
                    out.append(run)
                run = []
            else:
                run.append(tok.lower().replace("’", "'").replace("ʼ", "'"))
        if len(run) > 1:
            out.append(run)
    return out


def _keyword_weights(keywords: list[str], language: str) -> dict[str, float]:
    """Lemma → weight (1 for the first keyword, 1/2 for the second...); words of bigrams count too."""

    weights: dict[str, float] = {}
    for rank, keyword in enumerate(k for k in keywords if k and written_in(k, language)):
        for part in keyword.split():
            weights.setdefault(part, 1.0 / (rank + 1))
    return weights


def phrase_label(texts: list[str], keywords: list[str], language: str = "en", *, skip=(), max_words: int = 4,
                 min_docs: int = 3, min_share: float = 0.04, sample: int = 400) -> str | None:
    """The short phrase of a theme's comments that carries its keywords, or None.

    Args:
        texts: the theme's comments (up to ``sample`` of them in ``language`` are read, spread over the list).
        keywords: its keywords (lemmas, best first), as BERTopic's c-TF-IDF gives them.
        language: the theme's main language; only comments in it are read.
        skip: lemmas a label should not start or end on (e.g. "customer" in customer themes).
        max_words: the longest phrase.
        min_docs, min_share: the fewest different comments (and share of those read) a phrase must
            occur in.
        sample: comments read at most.

    Returns:
        E.g. "Wait on the phone" (first letter upper-case); when no phrase holds two keywords in
        enough comments, the phrase around the first keyword that most comments use ("Poor
        management"); None when there is neither.
    """
    weights = _keyword_weights(keywords, language)
    if len(weights) < 2:
        return None
    stops, skip = stop_words(), {w.lower() for w in skip}
    # Spread over the theme (every k-th comment), not its oldest ones; stop once enough are read.
    stride = max(1, len(texts) // (2 * sample))
    # Distinct comments only: one person's comment repeated (several waves, several questions) counts once.
    distinct = dict.fromkeys(t.strip() for t in texts[::stride] if isinstance(t, str) and t.strip())
    docs = list(islice((t for t in distinct if name_language(t) == language), sample))
    counts: Counter = Counter()
    covers: dict[str, frozenset] = {}
    for text in docs:
        found: dict[str, frozenset] = {}
        for words in _clauses(text):
            lemmas = [lemma(w, language) for w in words]
            for i in range(len(words)):
                if words[i] in stops or lemmas[i] in skip:
                    continue
                for n in range(2, max_words + 1):
                    j = i + n
                    if j > len(words):
                        break
                    if words[j - 1] in stops or lemmas[j - 1] in skip:
                        continue
                    covered = frozenset(lem for lem in lemmas[i:j] if lem in weights)
                    if len(covered) >= 2 or (covered and max(weights[lem] for lem in covered) >= 1 / 3):
                        found[" ".join(words[i:j])] = covered
        for phrase, covered in found.items():  # once per comment: how many comments use it
            counts[phrase] += 1
            covers[phrase] = covered
    best = _best_phrase(counts, covers, weights, max(min_docs, math.ceil(min_share * len(docs))),
                        max(min_docs, math.ceil(min_share / 2 * len(docs))))
    return best[0].upper() + best[1:] if best else None


def _best_phrase(counts: Counter, covers: dict, weights: dict, need: int, need_one: int) -> str | None:
    """Keywords carried first, then how many comments use it (a log: 40 against 20 is no reason to drop a
    keyword), shorter when it says the same. Without a phrase carrying two keywords in ``need``
    comments: the phrase around one of the first three keywords that most comments use (weighted by the
    keyword's rank), in at least ``need_one`` comments ("Senior management" in 3% of a large theme of
    management complaints says more than "Management, manager, staff")."""
    scored = [(sum(weights[lem] for lem in covers[p]) * math.log1p(c) / (1 + 0.05 * (len(p.split()) - 2)), p)
              for p, c in counts.items() if c >= need and len(covers[p]) >= 2]
    if not scored:
        scored = [(c * max(weights[lem] for lem in covers[p]), -len(p.split()), p) for p, c in counts.items()
                  if c >= need_one and len(covers[p]) == 1]
        scored = [(c, p) for c, _, p in sorted(scored)[-1:]]
    return max(scored)[1] if scored else None


def distinct_labels(labels: list[str], keywords: list[list[str]]) -> list[str]:
    """Labels made unique within one model: a label shared by several themes gets, for each, its
    first keyword not already in the label in any form ("Place to work · management", "Place to work ·
    hours"); where keywords cannot tell them apart, a number (the first keeps the plain label)."""
    seen = Counter(str(label).casefold() for label in labels)
    out = []
    for label, words in zip(labels, keywords):
        label = str(label)
        if seen[label.casefold()] > 1:
            said = label.casefold().replace(",", " ").split()
            extra = next((w for w in (words or []) if w and not all(_said(part, said)
                                                                   for part in str(w).casefold().split())), None)
            label = f"{label} · {extra}" if extra else label
        out.append(label)
    rank: Counter = Counter()
    for i, label in enumerate(out):
        rank[label.casefold()] += 1
        if rank[label.casefold()] > 1:
            out[i] = f"{label} ({rank[label.casefold()]})"
    return out


def _said(word: str, label_words: list[str]) -> bool:
    """Whether a keyword (a lemma) is already in the label, in any form ("hour" in "Long hours")."""
    return any(w.startswith(word[:max(4, len(word) - 1)]) or word.startswith(w[:max(4, len(w) - 1)])
               for w in label_words if min(len(w), len(word)) >= 3) or word in label_words
