"""Summaries' quotes against random quotes, on the cons of 9,999 real Glassdoor reviews (issue 17).

The cons (``../shared/data/external/glassdoor-job-reviews-uk-sample``; skipped when absent) are split
into statements as eevp splits comments, boilerplate removed, one person per review; embedded with
eevp's own embedder (cached by ``training.real_text.embed``) and fitted with the default theme
pipeline (:func:`eevp.themes.model.fit_themes`). Ten themes raised by at least 10 people are taken
evenly along the size ranking (the largest, the smallest and eight between).

For each, the summary's quotes (:func:`eevp.analytics.summaries.summarise_themes`: maximal marginal
relevance around the centroid, one per person) are set against the same number of random quotes of
the same theme, drawn as the Themes page drew them before summaries (:func:`random_quotes`, the rule
of :func:`eevp.analytics.customers.quotes`). Measured on the unit-length embeddings:

- typicality: mean cosine of the quotes to the theme's centroid (higher: closer to what the theme says);
- redundancy: mean cosine between two quotes (lower: less repetition);
- people: distinct writers among the quotes;
- length: mean characters per quote.

The review text may not be copied into the repository, so the table names a theme by its number and
first keywords only. ``--show`` prints both sets of quotes to the terminal for reading (never stored).

Run: ``python -m benchmarks --only summary_quotes`` (the mean rows) or
``python -m benchmarks.bench_summary_quotes [--show]`` (the table of ten themes, as Markdown).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

THEMES, THRESHOLD, SEED = 10, 10, 0
METRICS = ("typicality", "redundancy", "people", "length")


def corpus() -> tuple[pd.DataFrame, np.ndarray] | None:
    """(statements: text, person; vectors) of the Glassdoor cons, or None when the data is absent."""
    from eevp.text.textprep import prepare
    from training import real_text

    if not real_text.available():
        return None
    st = real_text.all_statements("gd_uk")
    st = st[st["field"] == "cons"].reset_index(drop=True)
    prep = prepare(st["text"].tolist(), min_words=1)
    keep = prep["keep"].to_numpy()
    st = pd.DataFrame({"text": prep.loc[keep, "text"].to_numpy(), "person": st.loc[keep, "row"].to_numpy()})
    return st, real_text.embed(st["text"].tolist())


def fit(texts: list[str], vectors: np.ndarray):
    from eevp.themes.model import fit_themes

    return fit_themes(texts, vectors, languages=["en"] * len(texts))


def random_quotes(unit_ids: np.ndarray, texts: pd.Series, n: int, seed: int = SEED) -> list[int]:
    """What the Themes page showed before summaries: ``3n`` statements drawn at random, the fuller
    first (up to 220 characters), the same words once, ``n`` kept (as :func:`eevp.analytics.customers.quotes`)."""
    rng = np.random.default_rng(seed)
    pick = sorted(rng.choice(unit_ids, size=min(n * 3, len(unit_ids)), replace=False).tolist())
    pick.sort(key=lambda i: (-min(len(texts[i]), 220), i))
    seen, out = set(), []
    for i in pick:
        key = " ".join(texts[i].casefold().split())
        if key not in seen:
            seen.add(key)
            out.append(i)
    return out[:n]


def measure(ids: list[int], unit: np.ndarray, centre: np.ndarray, units: pd.DataFrame) -> dict:
    """Typicality, redundancy, distinct people and mean length of the quotes ``ids`` (positions)."""
    v = unit[ids]
    sims = v @ v.T
    pairs = sims[np.triu_indices(len(ids), 1)]
    return {"typicality": float((v @ centre).mean()), "redundancy": float(pairs.mean()) if len(pairs) else 0.0,
            "people": int(units["person"].iloc[ids].nunique()),
            "length": float(units["text"].iloc[ids].str.len().mean())}


def pick_themes(units: pd.DataFrame) -> list[int]:
    """Ten themes of at least :data:`THRESHOLD` people, evenly along the ranking by people."""
    people = units[units["theme_id"] >= 0].groupby("theme_id")["person"].nunique()
    ranked = people[people >= THRESHOLD].sort_values(ascending=False, kind="stable").index.to_numpy()
    at = np.unique(np.linspace(0, len(ranked) - 1, min(THEMES, len(ranked))).round().astype(int))
    return [int(ranked[i]) for i in at]


def compare(units: pd.DataFrame, vectors: np.ndarray, keywords: dict) -> tuple[pd.DataFrame, dict]:
    """The table (one row per theme) and the quotes of both kinds (positions) by theme."""
    from eevp.analytics.summaries import summarise_themes

    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    sums = summarise_themes(units, vectors, THRESHOLD)
    rows, quotes = [], {}
    for tid in pick_themes(units):
        members = np.flatnonzero(units["theme_id"].to_numpy() == tid)
        centre = unit[members].mean(axis=0)
        centre /= np.linalg.norm(centre)
        ours = [int(i) - 1 for i in sums[tid].quote_ids]  # unit ids are positions + 1
        theirs = random_quotes(members, units["text"], len(ours))
        quotes[tid] = (ours, theirs)
        a, b = measure(ours, unit, centre, units), measure(theirs, unit, centre, units)
        rows.append({"theme": tid, "keywords": ", ".join(keywords[tid][:3]),
                     "people": int(units["person"].iloc[members].nunique()), "quotes": len(ours),
                     **{f"{m} summary": a[m] for m in METRICS}, **{f"{m} random": b[m] for m in METRICS}})
    return pd.DataFrame(rows), quotes


def markdown(table: pd.DataFrame) -> str:
    """The table as Markdown, with a row of means."""
    cols = ["theme", "keywords", "people", "quotes"] + [f"{m} {w}" for m in METRICS for w in ("summary", "random")]
    mean = {c: table[c].mean() for c in cols[4:]}
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    for r in [*table.to_dict("records"), {"theme": "mean", "keywords": "", "people": "", "quotes": "", **mean}]:
        cells = [str(r[c]) if c in cols[:4] else (f"{r[c]:.0f}" if c.startswith("length") else
                                                 f"{r[c]:.2f}" if not c.startswith("people") else f"{r[c]:.1f}")
                 for c in cols]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def prepared() -> tuple[pd.DataFrame, np.ndarray, dict, float] | None:
    """The statements with their theme, the vectors, keywords by theme and the fit's seconds."""
    data = corpus()
    if data is None:
        return None
    st, vectors = data
    start = time.perf_counter()
    result = fit(st["text"].tolist(), vectors)
    seconds = time.perf_counter() - start
    units = st.assign(unit_id=np.arange(1, len(st) + 1), theme_id=np.asarray(result.topics), kind="survey",
                      department="all", sentiment="negative", wave="2026-Q1", date=None)
    keywords = {int(t): list(k) for t, k in zip(result.themes["theme_id"], result.themes["keywords"])}
    return units, vectors, keywords, seconds


def run(quick: bool = False) -> list[dict]:
    """The means over the ten themes: the summary against random quotes (``quick`` changes nothing)."""
    ready = prepared()
    if ready is None:
        return [{"benchmark": "summary quotes", "metric": "skipped: ../shared/data/external absent", "value": "",
                 "unit": "", "ok": None}]
    units, vectors, keywords, seconds = ready
    table, _ = compare(units, vectors, keywords)
    area = f"summary quotes: Glassdoor cons ({len(units):,} statements, {units['person'].nunique():,} people)"
    better = {"typicality": "higher", "redundancy": "lower", "people": "higher", "length": ""}
    rows = [{"benchmark": area, "metric": "theme fit (default pipeline)", "value": round(seconds, 1), "unit": "s"}]
    for m in METRICS:
        ours, theirs = table[f"{m} summary"].mean(), table[f"{m} random"].mean()
        ok = None if not better[m] else (ours > theirs if better[m] == "higher" else ours < theirs)
        rows.append({"benchmark": area, "metric": f"{m}, mean of {len(table)} themes", "value": round(ours, 3),
                     "baseline": f"random {theirs:.3f}", "ratio": round(ours / theirs, 3) if theirs else "",
                     "target": f"{better[m]} than random" if better[m] else "", "ok": ok})
    return rows


def main(argv: list[str]) -> int:
    ready = prepared()
    if ready is None:
        print("Skipped: ../shared/data/external is absent.")
        return 0
    units, vectors, keywords, seconds = ready
    table, quotes = compare(units, vectors, keywords)
    print(f"{len(units):,} statements of {units['person'].nunique():,} people; themes fitted in {seconds:.0f} s.\n")
    print(markdown(table))
    if "--show" in argv:  # for reading in the terminal only: the review text is not to be copied anywhere
        for tid, (ours, theirs) in quotes.items():
            print(f"\n## theme {tid}: {', '.join(keywords[tid][:6])}")
            for name, ids in (("summary", ours), ("random", theirs)):
                print(f"  [{name}]")
                for i in ids:
                    print(f"    - {units['text'].iloc[i]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
