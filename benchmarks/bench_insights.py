"""Language detection and customer-insight tagging: quality on the labelled sets, and speed.

Run: ``python benchmarks/bench_insights.py`` (``--quick`` for a short run).
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eevp.text.lens import _lemma, evaluate, lexicon_sentiment, tag_statements
from eevp.text.language import detect_languages

DATA = ROOT / "tests" / "data"
PARALLEL = ROOT.parent / "shared" / "data" / "multilingual" / "parallel_en_ru_uk.csv"


def _row(benchmark, metric, value, unit, target="", ok=None):
    return {
        "benchmark": benchmark,
        "metric": metric,
        "value": round(float(value), 4),
        "unit": unit,
        "target": target,
        "ok": ok,
    }


def _statements() -> list[str]:
    with (DATA / "customer_statements.csv").open(encoding="utf-8") as f:
        eval_texts = [r["text"] for r in csv.DictReader(f)]
    with (DATA / "customer_statements_dev.csv").open(encoding="utf-8") as f:
        return eval_texts + [r["text"] for r in csv.DictReader(f)]


def _language_rows(quick: bool) -> list[dict]:
    rows = []
    if PARALLEL.exists():
        with PARALLEL.open(encoding="utf-8") as f:
            par = list(csv.DictReader(f))
        for lang in ("en", "ru", "uk"):
            got = detect_languages([r[lang] for r in par])
            acc = sum(g == lang for g in got) / len(par)
            rows.append(_row("language", f"accuracy_{lang}_parallel", acc, "share", ">= 0.98", acc >= 0.98))
    texts = _statements() * (20 if quick else 200)
    start = time.perf_counter()
    detect_languages(texts)
    rate = len(texts) / (time.perf_counter() - start)
    rows.append(_row("language", "throughput", rate, "texts/s", ">= 20000", rate >= 20000))
    return rows


def _quality_rows() -> list[dict]:
    rows = []
    for name, path in (
        ("eval", DATA / "customer_statements.csv"),
        ("dev", DATA / "customer_statements_dev.csv"),
    ):
        for lang, r in evaluate(path).items():
            rows.append(
                _row(
                    f"insights_{name}", f"about_customers_f1_{lang}", r["f1"], "F1", ">= 0.9", r["f1"] >= 0.9
                )
            )
            rows.append(
                _row(f"insights_{name}", f"about_customers_precision_{lang}", r["precision"], "share")
            )
            rows.append(_row(f"insights_{name}", f"about_customers_recall_{lang}", r["recall"], "share"))
            rows.append(
                _row(
                    f"insights_{name}",
                    f"stage_accuracy_{lang}",
                    r["stage_accuracy"],
                    "share",
                    ">= 0.75",
                    r["stage_accuracy"] >= 0.75,
                )
            )
            rows.append(
                _row(f"insights_{name}", f"sentiment_accuracy_{lang}", r["sentiment_accuracy"], "share")
            )
            rows.append(
                _row(f"insights_{name}", f"incident_accuracy_{lang}", r["incident_accuracy"], "share")
            )
    return rows


def _speed_rows(quick: bool) -> list[dict]:
    texts = _statements()
    _lemma.cache_clear()
    start = time.perf_counter()
    tag_statements(texts, sentiment=lexicon_sentiment)
    cold = len(texts) / (time.perf_counter() - start)
    batch = texts * (3 if quick else 20)
    start = time.perf_counter()
    tag_statements(batch, sentiment=lexicon_sentiment)
    warm = len(batch) / (time.perf_counter() - start)
    return [
        _row("insights", "throughput_cold_lemma_cache", cold, "statements/s", "", None),
        _row("insights", "throughput", warm, "statements/s", ">= 1000", warm >= 1000),
    ]


def run(quick: bool = False) -> list[dict]:
    """All figures as rows: benchmark, metric, value, unit, target, ok."""
    return _language_rows(quick) + _quality_rows() + _speed_rows(quick)


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv):
        flag = "" if row["ok"] is None else ("ok" if row["ok"] else "FAIL")
        print(
            f"{row['benchmark']:16} {row['metric']:36} {row['value']:>12} {row['unit']:13} {row['target']:9} {flag}"
        )
