"""Language detection on real text of known language, and its speed (``python -m benchmarks --only language``).

Data (read-only, never copied): ``../shared/data/external/`` and ``../shared/data/multilingual/``.

* en: Glassdoor UK pros, cons and headlines (all English by the README; ``#NAME?`` cells left out),
  a fixed sample of 10,000 (seed 0); the English side of the parallel corpus.
* ru: SentiRuEval-2015 restaurant reviews, SentiRuEval-2016 tweets (many start "RT @user:"), the
  Russian exit-survey answers and HR notes, every non-empty cell; the Russian side of the parallel corpus.
* uk: the Ukrainian side of the parallel corpus (40 sentences).
* The hard cases: Rozetka comments have no language per text, but one that writes letters only
  Ukrainian has (і ї є ґ, at least 3) and none only Russian has (ы э ъ ё) is Ukrainian, and the
  reverse is Russian. Their sentences of two words or more without any of those letters are the
  texts the letters cannot decide: ``rozetka-fragments-uk`` / ``-ru``, labelled by their comment.
  The shares over all Rozetka comments are shown too.
* Indeed (Canadian cities, "about 5-7% French"): the share named French, without labels.

Speed: milliseconds per 10,000 texts, the detector's cache emptied first.
"""

from __future__ import annotations

import csv
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eevp.text import language

SHARED = ROOT.parent / "shared" / "data"
EXTERNAL = SHARED / "external"
TARGET = 0.97


def _csv(folder: str, name: str, **kw) -> pd.DataFrame | None:
    path = EXTERNAL / folder / name
    return pd.read_csv(path, **kw) if path.exists() else None


def _cells(df: pd.DataFrame | None, columns: list[str]) -> list[str]:
    if df is None:
        return []
    return [str(v) for c in columns for v in df[c].dropna() if str(v).strip()]


def datasets(quick: bool = False) -> dict[str, tuple[str, list[str]]]:
    """name → (gold language or "" when unlabelled, texts); sets whose files are absent are left out."""
    out: dict[str, tuple[str, list[str]]] = {}
    gd = _csv("glassdoor-job-reviews-uk-sample", "glassdoor_reviews.csv", usecols=["headline", "pros", "cons"])
    if gd is not None:
        texts = pd.Series([t for t in _cells(gd, ["pros", "cons", "headline"]) if t != "#NAME?"])
        out["glassdoor-en"] = ("en", texts.sample(2000 if quick else 10_000, random_state=0).tolist())
    out["restaurants-ru"] = ("ru", _cells(_csv("sentirueval2015-restaurant-reviews-ru",
                                                "restaurant_reviews_ru.csv"), ["text"]))
    out["tweets-ru"] = ("ru", _cells(_csv("sentirueval2016-bank-telecom-tweets-ru", "tweets_ru.csv"), ["text"]))
    answers = _csv("ru-exit-survey-comments", "employee_answers.csv")
    notes = _csv("ru-exit-survey-comments", "hr_comments.csv")
    out["exit-answers-ru"] = ("ru", _cells(answers, [c for c in answers.columns if c != "row_id"])
                              if answers is not None else [])
    out["exit-hr-notes-ru"] = ("ru", _cells(notes, [c for c in notes.columns if c != "row_id"])
                               if notes is not None else [])
    parallel = SHARED / "multilingual" / "parallel_en_ru_uk.csv"
    if parallel.exists():
        with parallel.open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        for lang in ("en", "ru", "uk"):
            out[f"parallel-{lang}"] = (lang, [r[lang] for r in rows])
    rozetka = _csv("rozetka-product-comments-uk-ru", "rozetka_reviews.csv")
    out["rozetka-uk-ru"] = ("", [t.replace("🔁 ", "") for t in _cells(rozetka, ["Відгук"])])
    for lang, frags in _fragments([t.replace("🔁 ", "") for t in _cells(rozetka, ["Відгук"])]).items():
        out[f"rozetka-fragments-{lang}"] = (lang, frags)
    indeed = _csv("indeed-canadian-city-employer-reviews", "indeed_city_employer_reviews.csv")
    out["indeed-en-fr"] = ("", _cells(indeed, ["text"]))
    return {k: v for k, v in out.items() if v[1]}


def _fragments(comments: list[str]) -> dict[str, list[str]]:
    """Sentences without the letters that tell Russian from Ukrainian, by the language of their comment."""
    out: dict[str, list[str]] = {"uk": [], "ru": []}
    for text in comments:
        low = text.lower()
        n_uk, n_ru = len(re.findall("[іїєґ]", low)), len(re.findall("[ыэъё]", low))
        lang = "uk" if n_uk >= 3 and not n_ru else "ru" if n_ru >= 3 and not n_uk else ""
        if lang:
            out[lang] += [s.strip() for s in re.split(r"[.!?\n]+", text)
                          if len(s.split()) >= 2 and not re.search("[іїєґыэъё]", s.lower())]
    return out


def measure(detect: Callable[[str], str], texts: list[str]) -> tuple[list[str], float]:
    """Predictions and milliseconds per 10,000 texts."""
    start = time.perf_counter()
    got = [detect(t) for t in texts]
    return got, (time.perf_counter() - start) * 1000 * 10_000 / len(texts)


def _row(name: str, metric: str, value, unit: str, target: str = "", ok: bool | None = None) -> dict:
    return {"benchmark": f"language/{name}", "metric": metric, "value": value, "unit": unit,
            "target": target, "ok": ok}


def _rows(name: str, gold: str, got: list[str], ms: float) -> list[dict]:
    rows = [_row(name, "ms_per_10k_texts", round(ms), "ms"), _row(name, "n_texts", len(got), "texts")]
    if gold:
        accuracy = sum(g == gold for g in got) / len(got)
        return [_row(name, "accuracy", round(accuracy, 4), "fraction", f">= {TARGET}", accuracy >= TARGET), *rows]
    shares = Counter(got)
    return rows + [_row(name, f"share_{code} (no labels)", round(n / len(got), 4), "fraction")
                   for code, n in shares.most_common(4)]


def run(quick: bool = False, detect: Callable[[str], str] | None = None) -> list[dict]:
    """Accuracy per labelled set and speed; ``detect`` defaults to ``eevp.text.language.name_language``."""
    detect = detect or language.name_language
    for text in ("не знаю", "bonjour tout le monde", "дзякуй", "сәлем"):  # load the models first
        detect(text)
    rows: list[dict] = []
    for name, (gold, texts) in datasets(quick).items():
        language._name.cache_clear()
        got, ms = measure(detect, texts)
        rows += _rows(name, gold, got, ms)
    return rows


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv):
        print(f"{row['benchmark']:<28} {row['metric']:<26} {row['value']!s:>10} {row['unit']:<9} "
              f"{row['target']:<8} {'' if row['ok'] is None else ('OK' if row['ok'] else 'MISS')}")
