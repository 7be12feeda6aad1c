"""Theme labels people can read: a short phrase the theme's own comments use, else its keywords.

c-TF-IDF keywords are lemmas, so a label made of them reads like a list of dictionary forms ("Wait,
minute, phone"). :func:`phrase_label` looks in the theme's comments for the short phrase (two to
four words, as written) that holds most of the top keywords and that many of the comments share
("Wait on the phone"); :func:`make_label` (keywords) stays the fallback.

A phrase must occur in at least ``min_docs`` different comments and ``min_share`` of the theme's
comments in its language, so a label does not repeat what one person wrote (a comment stored
several times counts once). Two comments and 2.5%: with three and 4%, on 2,000 real Glassdoor cons
(11 themes, 8 candidates), 14 of 19 labels were keyword lists (every candidate theme; "Progression,
promotion, project" where 12 of 400 comments say "career progression"), with these 7 (the rest
have no phrase two comments share). Redaction placeholders ("[NAME]"), numbers, courtesy formulas
("будь ласка") and words like "and" break phrases.

A label must read as a title (issue 13: "Regularly", "Week to arrange", "Place to work" three times, "Pay,
salary, low" over praise and complaint alike): it names a subject (not generic words only), does not start
or stop mid-clause, may open on a word of praise or complaint ("Good pay", "Not enough staff"), which the
theme's tone (its statements' sentiment) chooses between; a Russian or Ukrainian label is put in the
nominative ("Заработная плата", not "Заработной платы"). The word lists are in
``eevp/resources/labels/words.json``.

Where the best phrase is used by few of a theme's comments and names another subject than most of them
mention, or narrows it ("Upper management" over comments on managers of every rank), the label is that
subject, or two ("Pay · Hours"), from ``eevp/resources/labels/subjects.json`` (:func:`theme_label`): a
keyword list says less. Judged on real text by reading (``benchmarks/bench_theme_labels.py``, the README's
table): on 2,000 Glassdoor UK cons 10 of 14 labels good (9 before), held out and blind on Glassdoor Bright
Data cons 5 of 11 (4) and on Russian restaurant reviews 6 of 15 (5).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from functools import cache
from itertools import islice
from pathlib import Path

from eevp.text.language import name_language, written_in
from eevp.text.morph import analyzer
from eevp.text.sentiment import NEUTRAL_BAND, sentiment_scores, without_courtesy
from eevp.text.textprep import lemma, stop_words, without_markup

__all__ = ["distinct_by_language", "distinct_labels", "is_mixed", "label_languages", "labels_by_language",
           "make_label", "phrase_label", "subject_label", "theme_label", "theme_tone"]

WORDS_FILE = Path(__file__).resolve().parents[1] / "resources" / "labels" / "words.json"
SUBJECTS_FILE = WORDS_FILE.with_name("subjects.json")

#: The languages a theme is labelled in.
LABEL_LANGUAGES = ("en", "ru", "uk")
#: A theme gets a label in a language other than its main one when at least this many of its statements
#: are in it, and they are at least :data:`LANGUAGE_MIN_SHARE` of the theme or at least
#: :data:`LANGUAGE_ENOUGH` statements (10 Russian statements in a theme of 1,000 English ones are enough
#: for a Russian reader's label; 3 of 100 are not).
LANGUAGE_MIN_UNITS = 3
LANGUAGE_MIN_SHARE = 0.1
LANGUAGE_ENOUGH = 10

#: Clause breaks: punctuation, brackets, redaction placeholders ("[NAME]", "[EMAIL]").
_CLAUSE = re.compile(r"\[[A-Z_]+\]|[.!?;:()\[\]\"«»“”\n\r\t]+|,\s*|\s[-–—]\s")
#: Words and numbers (a number breaks a phrase: "wait 40 minutes" must not read "wait minutes").
_TOKEN = re.compile(r"[^\W_]+(?:['’ʼ-][^\W_]+)*")
#: Words that join two thoughts: a phrase across one ("online and end calling") says neither.
_CYRILLIC = re.compile(r"[а-яёіїєґ]", re.IGNORECASE)
_JOINERS = frozenset("and or but nor и или но а та і й або але чи".split())
#: Parts of speech (pymorphy3) a Russian or Ukrainian title never ends on: "Решения приходят" is a fragment
#: ("Готов вернуться", on an infinitive, is not).
_NOT_LAST = frozenset("VERB GRND PRTS ADVB PRCL CONJ PREP INTJ PRED COMP NPRO".split())
#: ... nor opens on ("Внутри отрасли", "Со стороны руководства" say where, not what).
_NOT_FIRST = frozenset({"PREP"})
#: A theme has a tone when this share of its statements that have one agree (and at least half have one).
TONE_SHARE = 0.65
#: A phrase of the theme's tone scores this much more, one of the opposite tone this much less (not never:
#: the sentiment lexicon reads subjects such as "career progression" as praise).
TONE_BONUS = 1.5
#: A theme is labelled by the subject most of its comments mention (:func:`subject_label`, "Pay", "Career
#: growth") instead of its best phrase when at least this share of the comments read mention the subject...
SUBJECT_SHARE = 0.2
#: ... at least this many times as many comments as use the phrase, and the phrase does not name it: the
#: phrase then says what a few comments say ("Long hours" in 3 of 120 comments about temporary jobs and hours).
SUBJECT_OVER = 5
#: A second subject joins the label ("Pay · Hours") when it is mentioned at least this many times as often
#: as the first: the theme mixes two subjects, and one alone would hide the other.
SECOND_SUBJECT = 0.5
#: A phrase that names the subject gives way to it only when this share of the comments mention the subject.
SUBJECT_MOST = 0.5


@cache
def _words(kind: str) -> dict[str, frozenset]:
    """A list of :data:`WORDS_FILE` by language ("openers", "generic", "never_first", "never_last")."""
    data = json.loads(WORDS_FILE.read_text(encoding="utf-8"))[kind]
    return {lang: frozenset(w.casefold() for w in words) for lang, words in data.items()}


@cache
def _subjects(language: str) -> dict[str, frozenset]:
    """Subject name → the lemmas that mention it (:data:`SUBJECTS_FILE`), for one language."""
    data = json.loads(SUBJECTS_FILE.read_text(encoding="utf-8"))["subjects"].get(language, {})
    return {name: frozenset(w.casefold() for w in words) for name, words in data.items()}


@cache
def _subject_tone(language: str) -> dict[str, str]:
    """How a single subject is written over complaints or praise ("Problems {with_subject}", "Good {subject}"), by
    tone: ``{subject}`` is the subject in lower case (Russian and Ukrainian: in the instrumental case,
    :func:`_instrumental`), ``{with_subject}`` the same after "with" (:func:`_with`)."""
    return json.loads(SUBJECTS_FILE.read_text(encoding="utf-8"))["tone"].get(language, {})


def is_mixed(polarity) -> bool:
    """Whether a theme's statements are split between praise and complaint: at least half have a tone, and
    neither tone is :data:`TONE_SHARE` of them (a label opening on "Great" or "Poor" would be half wrong)."""
    counts = Counter(str(p) for p in polarity)
    toned = counts["positive"] + counts["negative"]
    return bool(toned) and toned >= 0.5 * sum(counts.values()) and theme_tone(polarity) is None


def theme_tone(polarity) -> str | None:
    """"negative" or "positive" when a theme's statements mostly say one (:data:`TONE_SHARE` of those with a
    tone, and at least half have one), else None. ``polarity``: "positive"/"negative"/other per statement."""
    counts = Counter(str(p) for p in polarity)
    toned = counts["positive"] + counts["negative"]
    if not toned or toned < 0.5 * sum(counts.values()):
        return None
    best = max(("negative", "positive"), key=lambda p: counts[p])
    return best if counts[best] >= TONE_SHARE * toned else None


def _title_weight(words: list[str], lemmas: list[str], language: str) -> float:
    """How well a phrase reads as a title: 0 when it cannot be one (it names nothing: "Place to work", all
    generic words; or it starts or stops mid-clause: on a verb, an infinitive after "to", an adverb, a
    preposition, also after a word of complaint, an adjective in an oblique case, the noun of a prepositional
    phrase cut from it: "Takes a week", "Week to arrange", "Работать в данном", "Не з телефоном", "Стороны
    руководства"); 1/2 for a Russian or Ukrainian
    phrase without a noun ("Хочу работать": a noun phrase says the subject), else 1."""
    stops, generic = stop_words(), _words("generic").get(language, frozenset())
    openers = _words("openers").get(language, frozenset())
    # a Russian or Ukrainian numeral names nothing either ("Пять лет"), nor a word of praise or complaint
    # ("Низкий уровень": low what?)
    tags = [analyzer(language).parse(w)[0].tag for w in words] if language in ("ru", "uk") else [None] * len(words)
    if all(w in stops or w in generic or lem in generic or w in openers or (t is not None and t.POS == "NUMR")
           for w, lem, t in zip(words, lemmas, tags)):
        return 0.0
    if language == "en":  # a negated verb needs its complement: "Don't care" is half a clause
        return float(words[-2] != "to" and words[-1] not in _words("never_last")["en"]
                     and words[0] not in _words("never_first")["en"]
                     and (len(words) > 2 or words[0] not in _words("negations")["en"]))
    if language not in ("ru", "uk"):
        return 1.0
    if lemmas[0] in _words("never_first")[language] or _idiom_tail(words, language) or tags[-1].POS in _NOT_LAST \
            or _after_lead(tags, words, openers).POS in _NOT_FIRST or (
            tags[-1].POS in ("ADJF", "PRTF") and tags[-1].case != "nomn"):
        return 0.0
    return 1.0 if any(t.POS == "NOUN" for t in tags) else 0.5


def _after_lead(tags: list, words: list[str], openers: frozenset):
    """The tag of a phrase's first word after its words of praise or complaint: "Не з телефоном" opens, past
    "не", on a preposition as "З телефоном" does (the first word's when they are all such words)."""
    return next((t for t, w in zip(tags, words) if w not in openers), tags[0])


def _idiom_tail(words: list[str], language: str) -> bool:
    """Whether a phrase opens on what follows the preposition of an idiom (:data:`WORDS_FILE` "idioms"):
    "связи с выходом на пенсию" is cut from "в связи с выходом на пенсию"; "давление со стороны
    руководства", with the whole idiom inside it, is not."""
    for idiom in _words("idioms").get(language, ()):
        tail = idiom.split()[1:]
        if tail and words[:len(tail)] == tail:
            return True
    return False


def _clauses(text: str) -> list[list[str]]:
    out = []
    for clause in _CLAUSE.split(without_courtesy(without_markup(text), ". ")):  # "Будь ласка" is no subject
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
                 min_docs: int = 2, min_share: float = 0.025, sample: int = 400, languages=None,
                 tone: str | None = None) -> str | None:
    """The short phrase of a theme's comments that carries its keywords, or None.

    Args:
        texts: the theme's comments (up to ``sample`` of them in ``language`` are read, spread over the list).
        keywords: its keywords (lemmas, best first), as BERTopic's c-TF-IDF gives them.
        language: the theme's main language; only comments in it are read.
        skip: lemmas a label should not start or end on (e.g. "customer" in customer themes).
        max_words: the most content words of a phrase (stop words inside it do not count: "Lack of
            support from management" holds three).
        min_docs, min_share: the fewest different comments (and share of those read) a phrase must
            occur in.
        sample: comments read at most.
        languages: the stored language of each text (as analyze stores them); None detects them.
        tone: the theme's tone (:func:`theme_tone`): a phrase opening on a word of it is preferred
            ("Low pay" over "Good pay" in complaints), one opening on the opposite is passed over.

    Returns:
        E.g. "Wait on the phone" (first letter upper-case); when no phrase holds two keywords in
        enough comments, the phrase around the first keyword that most comments use ("Poor
        management"); None when there is neither. A phrase that names nothing ("Place to work") or
        stops mid-clause ("Week to arrange") is never a label; a polarity word may open one ("Good
        pay", "No room for growth", "Not enough staff").
    """
    return _best_phrase(texts, keywords, language, skip=skip, max_words=max_words, min_docs=min_docs,
                        min_share=min_share, sample=sample, languages=languages, tone=tone)[0]


def _best_phrase(texts: list[str], keywords: list[str], language: str, *, skip=(), max_words: int = 4,
                 min_docs: int = 2, min_share: float = 0.025, sample: int = 400, languages=None,
                 tone: str | None = None) -> tuple[str | None, int, list[str]]:
    """:func:`phrase_label`'s phrase, how many of the comments read use it, and those comments."""
    weights = _keyword_weights(keywords, language)
    docs = _sample_in(texts, languages, language, sample)
    if len(weights) < 2:
        return None, 0, docs
    counts, covers = _phrase_counts(docs, weights, language, {w.lower() for w in skip}, max_words)
    ranked = _ranked_phrases(counts, covers, weights, max(min_docs, math.ceil(min_share * len(docs))),
                             max(min_docs, math.ceil(min_share / 2 * len(docs))))
    best = _first_title(ranked, language, tone, counts)
    used = counts[best] if best else 0
    best = best and _as_written(_nominative(best, language), docs)
    return (best[0].upper() + best[1:] if best else None), used, docs


def _phrase_counts(docs: list[str], weights: dict, language: str, skip: set, max_words: int) -> tuple:
    """Every phrase of the comments that carries a keyword: in how many comments (``Counter``), and the
    keywords it carries (phrase → frozenset of lemmas)."""
    stops, openers = stop_words(), _words("openers").get(language, frozenset())
    negating = _words("negating").get(language, frozenset())
    counts: Counter = Counter()
    negated: Counter = Counter()  # comments that negate the phrase ("they don't care about their employees")
    covers: dict[str, frozenset] = {}
    for text in docs:
        found: dict[str, frozenset] = {}
        denied: set[str] = set()
        for words in _clauses(text):
            lemmas = [lemma(w, language) for w in words]
            for i in range(len(words)):
                if (words[i] in stops and words[i] not in openers) or lemmas[i] in skip:
                    continue
                content = 0
                for j in range(i + 1, len(words) + 1):
                    content += words[j - 1] not in stops
                    if content > max_words:
                        break
                    if j - i < 2 or words[j - 1] in stops or lemmas[j - 1] in skip:
                        continue
                    covered = frozenset(lem for lem in lemmas[i:j] if lem in weights)
                    if len(covered) >= 2 or (covered and max(weights[lem] for lem in covered) >= 1 / 3):
                        found[" ".join(words[i:j])] = covered
                        if words[i] not in negating and negating & set(words[max(0, i - 2):i]):
                            denied.add(" ".join(words[i:j]))
        for phrase, covered in found.items():  # once per comment: how many comments use it
            counts[phrase] += 1
            negated[phrase] += phrase in denied
            covers[phrase] = covered
    for phrase in [p for p, n in negated.items() if 2 * n >= counts[p]]:
        del counts[phrase], covers[phrase]  # the label would say the opposite of what its comments say
    return counts, covers


def theme_label(texts: list[str], keywords: list[str], language: str = "en", *, skip=(), languages=None,
                tone: str | None = None) -> str | None:
    """A theme's label: its phrase (:func:`phrase_label`), or the subject most of its comments mention
    (:func:`subject_label`) where the phrase says what only a few say (:data:`SUBJECT_OVER`) and either
    names neither that subject nor the theme's first keyword ("Отношение к сотрудникам" stays over
    "Коллектив") or narrows a subject most comments mention without saying praise or complaint ("Upper
    management" in 5 of 250 comments on managers of every rank, "Рік повної гарантії" over the warranty;
    "Low pay" stays); or where there is no phrase. None when there is neither (the caller falls back to
    keywords).

    ``tone``: as in :func:`phrase_label`, or "mixed" (:func:`is_mixed`): then no label opens on a word of
    praise or complaint ("Great opportunity" over as many complaints about the lack of one)."""
    phrase, used, docs = _best_phrase(texts, keywords, language, skip=skip, languages=languages, tone=tone)
    subject, mentions, words = subject_label(docs, language, tone, skip=skip)
    # in a scope whose themes share a subject (customer themes: their customers), another subject (the managers of
    # a theme on unresolved customer issues) labels a theme only when most of its comments mention it
    least = SUBJECT_MOST if skip else SUBJECT_SHARE
    if not subject or mentions < max(2, least * len(docs)) or mentions < SUBJECT_OVER * used:
        return phrase
    said = [lemma(w, language) for w in _TOKEN.findall((phrase or "").casefold())]
    first = set(keywords[0].split()) if keywords else set()  # the theme's most telling word
    if not set(said) & (words | first):
        return subject  # another subject than most comments mention
    narrows = set(said) & words and mentions >= SUBJECT_MOST * len(docs) \
        and not _lead(said, _words("openers").get(language, frozenset()))
    return subject if narrows else phrase


def subject_label(docs: list[str], language: str, tone: str | None = None,
                  skip=()) -> tuple[str | None, int, frozenset]:
    """The subject most of ``docs`` mention (:data:`SUBJECTS_FILE`), with a second one mentioned at least
    :data:`SECOND_SUBJECT` times as often ("Pay · Hours"); a single subject says the theme's ``tone`` where
    the language has a way to ("Problems with pay", "Проблемы с зарплатой"). ``skip``: the lemmas every theme of
    the scope shares (a customer theme's customers): a subject they mention is none. Also returns how many
    comments mention the first subject and the lemmas that mention it; (None, 0, empty) when none is mentioned."""
    skip = {w.casefold() for w in skip}  # a subject every theme of the scope shares names none ("Customers")
    subjects = {name: words for name, words in _subjects(language).items() if not words & skip}
    counts: Counter = Counter()
    for text in docs:
        lemmas = {lemma(w, language) for w in _TOKEN.findall(text.casefold())}
        counts.update(name for name, words in subjects.items() if lemmas & words)
    ranked = counts.most_common(2)
    if not ranked:
        return None, 0, frozenset()
    first, n = ranked[0]
    if len(ranked) > 1 and ranked[1][1] >= SECOND_SUBJECT * n:
        return f"{first} · {ranked[1][0]}", n, subjects[first]
    template = _subject_tone(language).get(tone or "")
    said = _instrumental(first, language) if template and language in ("ru", "uk") else first.lower()
    if not template or not said:
        return first, n, subjects[first]
    return template.format(subject=said, with_subject=_with(said, language)), n, subjects[first]


def _instrumental(name: str, language: str) -> str | None:
    """A Russian or Ukrainian subject in the instrumental case ("карьерным ростом"): the words up to its head noun
    agree, the rest stay ("графіком роботи"). None when a word will not inflect (the label is then the plain
    subject)."""
    words, head = [], False
    for word in name.lower().split():
        parses = analyzer(language).parse(word)
        parse = next((q for q in parses if q.tag.case == "nomn"), parses[0])
        if head or parse.tag.POS not in ("NOUN", "ADJF", "PRTF"):
            words.append(word)
            continue
        form = parse.inflect({"ablt", parse.tag.number} if parse.tag.number else {"ablt"})
        if form is None:
            return None
        words.append(form.word)
        head = parse.tag.POS == "NOUN"
    return " ".join(words)


def _with(said: str, language: str) -> str:
    """``said`` after "with" in the form the next sound asks for ("со стабильностью", "із зарплатою", "з
    керівництвом"); English "with"."""
    first, second = said[:1], said[1:2]
    if language == "ru":
        return ("со " if first in "сзшжщ" and second and second not in "аеёиоуыэюя" else "с ") + said
    if language == "uk":
        vowel = "аеєиіїоуюяь'’"
        return ("зі " if first in "зсшщ" and second and second not in vowel
                else "із " if first in "зсшщцчж" else "з ") + said
    return f"with {said}"


def _as_written(phrase: str, docs: list[str]) -> str:
    """``phrase`` (read in lower case) with each word as the comments mostly write it inside a sentence: an
    acronym or a name keeps its capitals ("ГК Росатом", "HR department", not "Гк росатом", "Hr department"); a
    word that opens sentences only is not taken for a name."""
    words = phrase.split()
    wanted = set(words)
    forms: dict[str, Counter] = {}
    for text in docs:
        for clause in _CLAUSE.split(text):
            for tok in _TOKEN.findall(clause)[1:]:  # not a clause's first word: "Management is" says nothing
                if tok.lower() in wanted:
                    forms.setdefault(tok.lower(), Counter())[tok] += 1
    out = []
    for w in words:
        form, n = forms[w].most_common(1)[0] if w in forms else (w, 0)
        out.append(form if n > sum(forms.get(w, Counter()).values()) / 2 and form != w else w)
    return " ".join(out)


def _nominative(phrase: str, language: str) -> str:
    """A Russian or Ukrainian phrase with its head (the first noun) and the words before it that agree
    with it in the nominative, as a title is written: comments say "уровень заработной платы" and
    "по семейным обстоятельствам", a title "Заработная плата", "Семейные обстоятельства", "Уход на
    пенсию" (not "Уходом на пенсию"). What follows the head stays as written, and so does a phrase that
    opens on another word (a verb: "Сменить сферу деятельности"); other languages too."""
    if language not in ("ru", "uk"):
        return phrase
    morph, words = analyzer(language), phrase.split()
    parses = [morph.parse(w) for w in words]
    # A word that can be an adjective before one that can be a noun is read as one ("довгого очікування":
    # not the surname Довгий), and a person's name is the least likely reading of a word in a label.
    for i, ps in enumerate(parses):
        adjective = i + 1 < len(parses) and any(p.tag.POS == "NOUN" for p in parses[i + 1])
        parses[i] = sorted(ps, key=lambda p: (not (adjective and p.tag.POS == "ADJF"),
                                              bool({"Surn", "Name", "Patr"} & p.tag.grammemes)))
    head = next((i for i, ps in enumerate(parses) if ps[0].tag.POS == "NOUN"), None)
    # Only a phrase that opens on its head (or on adjectives before it): the object of a verb stays as it is
    # ("Сменить сферу деятельности", "Нашел другую работу").
    if head is None or any(ps[0].tag.POS not in ("ADJF", "PRTF") for ps in parses[:head]):
        return phrase
    # The noun's reading in a case every adjective before it can have ("заработной платы": genitive singular).
    cases = [{p.tag.case for p in ps if p.tag.POS in ("ADJF", "PRTF")} for ps in parses[:head]]
    nouns = [p for p in parses[head] if p.tag.POS == "NOUN" and all(p.tag.case in c for c in cases)]
    if not nouns or any(p.tag.case == "nomn" for p in nouns):  # no agreement ("задоволені покупкою") or no need
        return phrase
    noun = nouns[0]
    number = {noun.tag.number} if noun.tag.number else set()  # the Ukrainian dictionary marks plural only
    new = noun.inflect({"nomn", *number})
    if new is None:
        return phrase
    words[head] = new.word
    agree = {"nomn", *number} | ({new.tag.gender} if "plur" not in number and new.tag.gender else set())
    for i in range(head):
        if adj := next((p for p in parses[i] if p.tag.case == noun.tag.case), parses[i][0]).inflect(agree):
            words[i] = adj.word
    return " ".join(words)


def _sample_in(texts: list[str], languages, language: str, sample: int) -> list[str]:
    """Up to ``sample`` distinct comments in ``language`` (their stored ``languages`` when given, else
    detected), spread over the theme (every k-th comment), not its oldest ones."""
    stride = max(1, len(texts) // (2 * sample))
    langs = languages[::stride] if languages is not None else [None] * len(texts[::stride])
    # Distinct comments only: one person's comment repeated (several waves, several questions) counts once.
    distinct: dict[str, str | None] = {}
    for text, lang in zip(texts[::stride], langs):
        if isinstance(text, str) and text.strip():
            distinct.setdefault(text.strip(), lang)
    return list(islice((t for t, lang in distinct.items() if (lang or name_language(t)) == language), sample))


def _ranked_phrases(counts: Counter, covers: dict, weights: dict, need: int, need_one: int) -> list:
    """Candidate labels as (score, phrase), best first: the weights of the keywords carried times how many
    comments use it (a log: 40 against 20 is no reason to drop a keyword), shorter when it says the same.
    A phrase carrying two keywords needs ``need`` comments; one carrying one of the first three keywords
    ``need_one`` ("Senior management" in 3% of a large theme of management complaints says more than
    "Management, manager, staff"). Both compete on the same score: "Not enough staff" (the first keyword,
    in 12 comments) beats "Poor communication" (the fourth and sixth, in 5)."""
    scored = ((sum(weights[lem] for lem in covers[p]) * math.log1p(c) / (1 + 0.05 * (len(p.split()) - 2)), p)
              for p, c in counts.items() if c >= (need if len(covers[p]) >= 2 else need_one))
    return sorted(scored, reverse=True)


def _first_title(ranked: list, language: str, tone: str | None, counts: Counter, look: int = 40) -> str | None:
    """The best of the first ``look`` candidates that can be a title (:func:`_title_weight`) and are not
    part of a longer phrase most of their comments use (:func:`_part_of_longer`), after the tone: a phrase
    whose own words of praise or complaint say the theme's tone scores :data:`TONE_BONUS` times more, the
    opposite that much less. Only the words before the subject say the tone (:func:`_lead`)."""
    weighted = ((c * _title_weight(p.split(), [lemma(w, language) for w in p.split()], language), p)
                for c, p in ranked[:look] if not _part_of_longer(p, counts))
    titles = [(c, p) for c, p in weighted if c > 0]
    if tone and titles:
        openers, sign = _words("openers").get(language, frozenset()), 1 if tone == "positive" else -1
        said = sentiment_scores([_lead(p.split(), openers) for _, p in titles],
                                [language] * len(titles))
        factor = [TONE_BONUS if sign * s >= NEUTRAL_BAND else 1 / TONE_BONUS if sign * s <= -NEUTRAL_BAND else 1
                  for s in said] if tone != "mixed" else [float(abs(s) < NEUTRAL_BAND) for s in said]
        titles = [(c * f, p) for (c, p), f in zip(titles, factor)]
    titles = [(c, p) for c, p in titles if c > 0]
    return max(titles)[1] if titles else None


def _lead(words: list[str], openers: frozenset) -> str:
    """The words of praise or complaint that open a phrase (:data:`WORDS_FILE` "openers"): "low" of "Low
    pay", "not enough" of "Not enough staff", nothing of "Career progression" (the lexicon reads the
    subject as praise) or of "Management process" (and "management" as complaint)."""
    lead = []
    for w in words:
        if w not in openers:
            break
        lead.append(w)
    return " ".join(lead)


def _part_of_longer(phrase: str, counts: Counter, most: float = 0.75) -> bool:
    """Whether a phrase one word longer holds ``phrase`` in ``most`` of the comments that use it ("life
    balance" in "work life balance", "people" in "the right people"): the longer one is what they say."""
    need = most * counts[phrase]
    return any(counts[f"{w} {phrase}"] >= need or counts[f"{phrase} {w}"] >= need
               for w in _neighbours(phrase, counts))


def _neighbours(phrase: str, counts: Counter) -> set[str]:
    """The words next to ``phrase`` in the phrases counted."""
    n = phrase.count(" ") + 1
    out = set()
    for other in counts:
        words = other.split()
        if len(words) == n + 1 and phrase in other:
            out.update((words[0], words[-1]))
    return out


def distinct_labels(labels: list[str], keywords: list[list[str]]) -> list[str]:
    """Labels made unique within one model: a label shared by several themes gets, for each, its
    first keyword not already in the label in any form ("Place to work · management", "Place to work ·
    hours"); where keywords cannot tell them apart, a number (the first keeps the plain label). Labels
    alike count as shared whatever their word order and word forms ("Staff members", "Members of staff")."""
    senses = [_sense(str(label)) for label in labels]
    seen = Counter(senses)
    out = []
    for label, words, sense in zip(labels, keywords, senses):
        label = str(label)
        if seen[sense] > 1:
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


def _sense(label: str) -> frozenset | str:
    """What a label says: the lemmas of its words that are not stop words (the label itself when none)."""
    stops = stop_words()
    words = [w.casefold() for w in _TOKEN.findall(label)]
    lemmas = frozenset(lemma(w, "ru" if _CYRILLIC.search(w) else "en") for w in words if w not in stops)
    return lemmas - stops or label.casefold()


def _said(word: str, label_words: list[str]) -> bool:
    """Whether a keyword (a lemma) is already in the label, in any form ("hour" in "Long hours")."""
    return any(w.startswith(word[:max(4, len(word) - 1)]) or word.startswith(w[:max(4, len(w) - 1)])
               for w in label_words if min(len(w), len(word)) >= 3) or word in label_words


def make_label(keywords: list[str], language: str = "en", n: int = 3, skip=()) -> str:
    """A readable label from the top keywords, preferring words in the theme's main language.

    Args:
        keywords: keywords, best first.
        language: the language of most of the theme's units.
        n: keywords in the label.
        skip: words that say nothing in this label (a keyword containing one is passed over,
            unless nothing else is left). Keywords of generic words only ("work", "place work", "job")
            are passed over the same way.

    Returns:
        E.g. "Customer, complaint, response time"; "Theme" when there are no keywords.
    """
    skip = {w.lower() for w in skip}
    generic = frozenset().union(*_words("generic").values())
    allowed = [k for k in keywords if k and not skip & set(k.lower().split())]
    telling = ([k for k in allowed if not set(k.lower().split()) <= generic] or allowed
               or [k for k in keywords if k])
    pool = [k for k in telling if written_in(k, language)] or telling
    chosen: list[str] = []
    seen: set[str] = set()
    for word in pool:
        words = list(dict.fromkeys(word.split()))
        new = [w for w in words if w not in seen and (w.lower() not in generic or set(map(str.lower, words)) <= generic)]
        if not new:
            continue  # a bigram of words already in the label adds nothing
        # only what it adds: "Колектив, дружний", not "Ласка, колектив ласка, ласка дружний"; a word once
        # ("дратувати дратувати")
        chosen.append(word if len(new) == len(word.split()) else " ".join(new))
        seen |= set(word.split())
        if len(chosen) == n:
            break
    if not chosen:
        return "Theme"
    label = ", ".join(chosen)
    return label[0].upper() + label[1:]


def label_languages(languages: list[str]) -> list[str]:
    """The languages a theme is labelled in, its main language (that of most statements) first."""
    counts = Counter(languages)
    if not counts:
        return []
    main = counts.most_common(1)[0][0]
    others = [lang for lang in LABEL_LANGUAGES if lang != main and counts[lang] >= LANGUAGE_MIN_UNITS
              and (counts[lang] >= LANGUAGE_ENOUGH or counts[lang] / len(languages) >= LANGUAGE_MIN_SHARE)]
    return [main, *others]


def labels_by_language(texts: list[str], languages: list[str], keywords: list[str], keywords_of,
                       skip=(), polarity=None) -> dict[str, tuple[str, list[str]]]:
    """A theme's label in each language its statements use (:func:`label_languages`).

    Args:
        texts: the theme's statements.
        languages: the language of each.
        keywords: the theme's keywords: the main language's label is made from them.
        keywords_of: ``keywords_of(texts)``, the keywords of some of the theme's statements (c-TF-IDF
            against the whole fit), for the other languages: the theme's own keywords are mostly in
            its main language.
        skip: as in :func:`phrase_label`.
        polarity: the sentiment of each statement ("positive"/"negative"/other): each language's label
            says the tone of the statements in it (:func:`theme_tone`).

    Returns:
        ``{language: (label, keywords)}``, main language first. Another language gets a label only
        when a phrase or a keyword in it is found: a Russian reader is better served by the main
        label than by English keywords.
    """
    out = {}
    for i, lang in enumerate(label_languages(languages)):
        part = texts if i == 0 else [t for t, x in zip(texts, languages) if x == lang]
        words = keywords if i == 0 else keywords_of(part)
        said = [p for p, x in zip(polarity or (), languages) if i == 0 or x == lang]
        tone = theme_tone(said) or ("mixed" if is_mixed(said) else None)
        label = theme_label(part, words, lang, skip=skip, tone=tone,
                            languages=languages if i == 0 else [lang] * len(part))
        if label is None and (i == 0 or any(written_in(w, lang) for w in words)):
            label = make_label(words, lang, skip=skip)
        if label:
            out[lang] = (label, words)
    return out


def distinct_by_language(labels: list[dict], keywords: list[dict], skip=()) -> list[dict]:
    """Per-language labels (``{language: label}`` per theme) made distinct within each language, as
    :func:`distinct_labels` does (``keywords``: ``{language: keywords}`` per theme, for the suffixes)."""
    skip = {w.casefold() for w in skip}
    out = [dict(d) for d in labels]
    for lang in LABEL_LANGUAGES:
        rows = [i for i, d in enumerate(labels) if lang in d]
        words = [[w for w in keywords[i].get(lang, []) if not skip & set(w.casefold().split())] for i in rows]
        for i, label in zip(rows, distinct_labels([labels[i][lang] for i in rows], words)):
            out[i][lang] = label
    return out
