"""Theme labels on real text, judged by reading: do they name the subject?

``python -m benchmarks --only theme_labels`` (about a minute per corpus on 2 cores) fits themes with
eevp's default pipeline, as the analysis runs it (statements without boilerplate, their languages and
sentiment, :func:`eevp.themes.model.fit_themes`), on 2,000 statements (a random sample, seed 0) of each
corpus below, and counts the verdicts kept in ``theme_label_judgements.csv``. A label no one has judged
yet is counted as ``unjudged``: ``python -m benchmarks.bench_theme_labels --dump DIR`` writes, outside
the repository, each theme's labels, keywords and 8 of its statements to read and judge.

Corpora: **development** (read while the labeller was changed): Glassdoor UK *cons*, Indeed city-employer
reviews (text and cons), and, for the second change (Russian and Ukrainian labels in the nominative), the HR
comments of the Russian exit survey. **Held out** (measured once before and once after the change, old and new labels
shuffled together before reading): Glassdoor Bright Data *cons*, the Russian exit-survey answers, Rozetka
product reviews (Ukrainian and Russian). For the subjects change (version ``new``) Rozetka was development too, and
the Russian restaurant reviews (SentiRuEval-2015, split into statements as intake splits them) were added, held out.

Judging rules (written before the first judgement). Read the label, the keywords and about 8 of the
theme's statements, then give the label one verdict:

- ``good``: a phrase a person would write as a title that says what the statements are about, with their
  polarity where they have one ("Low pay", "Not enough staff", "Long hours"; "Pay" alone is good only when
  the theme is neither praise nor complaint). A label in the theme's language.
- ``fragment``: not a phrase a person would write as a title: it ends on a function word, starts or ends
  mid-clause, is a verb form or an adverb alone ("Regularly", "Week to arrange", "Decisions come").
- ``keywords``: a list of words ("Time, bit, day") where the statements share a phrase that says it.
  A keyword list where no phrase exists is judged as the others (``vague`` or ``good``) by what it says.
- ``vague``: true of the statements but it says nothing a reader could act on ("Place to work",
  "Company", "Work"), or covers only a small part of the theme's subject.
- ``wrong``: about another subject than most statements, or the opposite polarity ("Good pay" over
  complaints about pay), or a spreadsheet error / a "no cons" answer ("#NAME?", "Nothing").
- ``repeat``: says the same as another theme's label of the same model (a suffix "· hours" that tells
  them apart is not a repeat).

Judgements are kept by reference, never with the text (the data may not be redistributed): corpus,
size, seed, the language of the label, a hash of the theme's keywords and a hash of the label.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
from collections import Counter
from pathlib import Path

import numpy as np

from benchmarks.bench_theme_sizes import prepared, staff_texts
from eevp.intake.statements import split_statements
from eevp.text.textprep import is_company_reply
from training import real_text

SIZE, SEED = 2000, 0
JUDGEMENTS = Path(__file__).with_name("theme_label_judgements.csv")
VERDICTS = ("good", "fragment", "keywords", "vague", "wrong", "repeat")
#: corpus → (source, fields, held out)
CORPORA = {
    "Glassdoor UK cons": ("gd_uk", ["cons"], False),
    "Indeed reviews": ("indeed", ["text", "cons"], False),
    "Russian HR exit comments": ("ru_exit_hr", None, False),
    "Glassdoor Bright Data cons": ("gd_bd", ["review_cons"], True),
    "Russian exit answers": ("ru_exit", None, True),
    "Rozetka reviews": ("rozetka", None, False),  # held out until the subjects change, development for it
    "Russian restaurant reviews": ("ru_restaurant_reviews", None, True),
}


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


#: Customer feedback holding the company's replies: a whole reply (:func:`eevp.text.textprep.is_company_reply`)
#: is dropped, as the customer-voice analysis drops it (the restaurant reviews hold none: the one review it
#: marks is a customer's, so they are left whole).
REPLIES_DROPPED = {"rozetka"}


def corpus_texts(source: str, fields=None) -> list[str]:
    """A staff source's statements, or a sentiment corpus' texts split into statements as intake splits them."""
    if source in REPLIES_DROPPED:
        st = real_text.all_statements(source)
        comments = st.groupby(["row", "field"])["text"].transform(" ".join)  # the comment, from its statements
        return st["text"][~comments.map(is_company_reply)].tolist()
    if source in real_text.SOURCES:
        return staff_texts(source, fields)
    return [s for text in real_text.sentiment_corpus(source)["text"] for s in split_statements(text)]


def sample(name: str, size: int = SIZE, seed: int = SEED) -> list[str]:
    """``size`` statements of a corpus, drawn at random, boilerplate removed first."""
    source, fields, _ = CORPORA[name]
    texts, _ = prepared(corpus_texts(source, fields))
    idx = np.random.default_rng(seed).permutation(len(texts))[:size]
    return [texts[i] for i in idx]


def fit(texts: list[str]):
    """Themes as the analysis fits them: with each statement's language and sentiment."""
    from eevp.text.language import detect_languages
    from eevp.text.sentiment_model import predict_sentiment
    from eevp.themes.model import fit_themes

    emb = real_text.embed(texts)
    languages = detect_languages(texts)
    polarity = predict_sentiment(texts, languages, embeddings=emb)
    return fit_themes(texts, emb, languages, polarity=polarity), languages, polarity


def themes_of(name: str, size: int = SIZE, seed: int = SEED) -> list[dict]:
    """One row per (theme, label language): its reference, label, keywords and members."""
    texts = sample(name, size, seed)
    return theme_rows(name, texts, *fit(texts), size=size, seed=seed)


def theme_rows(name: str, texts: list[str], result, languages, polarity, size: int = SIZE,
               seed: int = SEED) -> list[dict]:
    """The rows of :func:`themes_of` from a fitted result."""
    topics = result.topics
    rows = []
    for theme in result.themes.itertuples():
        members = np.flatnonzero(topics == theme.theme_id)
        pol = Counter(polarity[i] for i in members)
        for lang, label in theme.labels.items():
            rows.append({"corpus": name, "size": size, "seed": seed, "language": lang,
                         "keywords_hash": digest("|".join(theme.keywords)), "label_hash": digest(label),
                         "label": label, "keywords": theme.keywords, "theme_size": int(theme.size),
                         "polarity": pol, "texts": [texts[i] for i in members],
                         "languages": [languages[i] for i in members]})
    return rows


def judgements(path: Path = JUDGEMENTS) -> dict[tuple, str]:
    """(corpus, size, seed, language, keywords hash, label hash) → verdict."""
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as f:
        return {(r["corpus"], int(r["size"]), int(r["seed"]), r["language"], r["keywords_hash"], r["label_hash"]):
                r["verdict"] for r in csv.DictReader(f)}


def by_version(path: Path = JUDGEMENTS) -> list[dict]:
    """Verdict counts per corpus and version of the labeller, from the judgements alone (no fitting):
    ``before`` (the labeller before issue 13's label work), ``first`` (its first change, read blind on the
    held-out corpora), ``after`` (its nominative change), ``main`` (main on 4 Dec, e45b04e: themes fitted
    since then, company replies filtered), ``new`` (subjects over phrases few comments use, see
    :func:`eevp.themes.labels.theme_label`), ``lead`` (a keyword label says each word once; an English label keeps
    its negated verb). ``draft`` marks labels of a version never merged (not counted)."""
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out = []
    for corpus in dict.fromkeys(r["corpus"] for r in rows):
        for version in ("before", "first", "after", "main", "new", "lead"):
            mine = [r for r in rows if r["corpus"] == corpus and version in r["code"].split()]
            if mine:
                counts = Counter(r["verdict"] for r in mine)
                out.append({"corpus": corpus, "set": mine[0]["set"], "version": version, "labels": len(mine),
                            **{v: counts[v] for v in VERDICTS}})
    return out


def key(row: dict) -> tuple:
    return (row["corpus"], row["size"], row["seed"], row["language"], row["keywords_hash"], row["label_hash"])


def score(rows: list[dict], judged: dict) -> dict:
    """Verdict counts of one corpus' labels (``unjudged`` where no one has read them)."""
    counts = Counter(judged.get(key(r), "unjudged") for r in rows)
    return {"labels": len(rows), **{v: counts[v] for v in (*VERDICTS, "unjudged")}}


def run(quick: bool = False) -> list[dict]:
    """Per corpus: labels, the share judged good, and the count of each other verdict."""
    if not real_text.available():
        return [{"benchmark": "theme labels", "metric": "external data present", "value": 0, "target": "1",
                 "ok": False}]
    judged, out = judgements(), []
    for name, (_, _, held_out) in CORPORA.items():
        s = score(themes_of(name), judged)
        area = f"theme labels: {name}{' (held out)' if held_out else ''}, n={SIZE:,}"
        known = s["labels"] - s["unjudged"]
        out.append({"benchmark": area, "metric": "labels judged good", "value": round(s["good"] / known, 2)
                    if known else "", "baseline": f"{s['good']} of {known} judged ({s['labels']} labels)"})
        out.append({"benchmark": area, "metric": "fragment / keywords / vague / wrong / repeat / unjudged",
                    "value": " / ".join(str(s[v]) for v in (*VERDICTS[1:], "unjudged"))})
    return out


def dump(folder: Path, names: list[str]) -> None:
    """Write each theme's labels, keywords and 8 statements to ``folder`` (outside the repository) for reading."""
    folder.mkdir(parents=True, exist_ok=True)
    judged = judgements()
    for name in names:
        write_dump(folder / f"{name}.txt", themes_of(name), judged)


def write_dump(path: Path, rows: list[dict], judged: dict) -> None:
    """The text :func:`dump` writes for one corpus."""
    lines = []
    for r in rows:
        own = [t for t, lang in zip(r["texts"], r["languages"]) if lang == r["language"]] or r["texts"]
        spread = own[:: max(1, len(own) // 8)][:8]
        lines += [f"== [{judged.get(key(r), '?')}] {r['label']!r} ({r['language']}) size {r['theme_size']} "
                  f"{dict(r['polarity'])} key {r['keywords_hash']} {r['label_hash']}",
                  "   keywords: " + ", ".join(r["keywords"]),
                  *(f"   - {t[:220]}" for t in spread), ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    print(path)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", type=Path, help="write labels to read to this folder (outside the repository)")
    parser.add_argument("--corpus", action="append", help="corpus name (default: every corpus)")
    args = parser.parse_args()
    if args.dump:
        dump(args.dump, args.corpus or list(CORPORA))
    else:  # the judgements by version, as the README's table shows them
        for r in by_version():
            print(" | ".join(str(r[k]) for k in ("corpus", "set", "version", "labels", *VERDICTS)))
