"""The customer lens and sentiment on real text, each source left out of training in turn.

``python -m benchmarks --only lens`` (about 10 minutes: nested selection refits the heads ~100 times).
It runs ``training.train_models`` without saving: for every labelled real source the heads are
trained on the others and scored on it. Baselines: the lexicon rules (lens) and the lexicon method
(sentiment). Skipped when ``../shared/data/external`` is absent.
"""

from __future__ import annotations

import math

from training import real_text

#: Targets of issue 13, by language of the held-out statements.
ABOUT_F1 = {"en": 0.80, "ru": 0.75, "uk": 0.75}
STAGE_ACC, MACRO_F1 = 0.70, 0.60
SENTIMENT_TARGET = {"English staff": 0.85, "Ukrainian/Russian reviews": 0.80, "Russian restaurant": 0.80,
                    "Russian tweets": 0.80}


def _num(v) -> str:
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.2f}"


def lens_rows(lens: list[dict]) -> list[dict]:
    rows = []
    for r in lens:
        if r["subset"] != "all" or r["language"] == "other":
            continue
        area = f"lens, held out: {r['held_out']} ({r['language']}, n={r['n']}, customer={r['about_gold']})"
        target = ABOUT_F1.get(r["language"])
        rows.append({"benchmark": area, "metric": "about_customers F1 (P / R)",
                     "value": f"{r['f1']:.2f} ({r['precision']:.2f} / {r['recall']:.2f})",
                     "baseline": f"rules {r['rules_f1']:.2f}", "target": f">= {target}" if target else "",
                     "ok": (r["f1"] >= target) if target and r["about_gold"] >= 10 else None})
        rows.append({"benchmark": area, "metric": "about_customers on the whole source: F1 (P / R)",
                     "value": f"{r['source_f1']:.2f} ({r['source_precision']:.2f} / {r['source_recall']:.2f})",
                     "baseline": f"rules {r['rules_source_f1']:.2f}"})
        rows.append({"benchmark": area, "metric": "macro-F1, five classes", "value": _num(r["macro_f1_5"]),
                     "target": f">= {MACRO_F1}", "ok": r["macro_f1_5"] >= MACRO_F1})
        if r["stage_n"] >= 10:
            rows.append({"benchmark": area, "metric": f"stage accuracy ({r['stage_n']} customer statements)",
                         "value": _num(r["stage_acc"]), "target": f">= {STAGE_ACC}", "ok": r["stage_acc"] >= STAGE_ACC})
    return rows


def sentiment_rows(sent: list[dict]) -> list[dict]:
    rows = []
    for r in sent:
        if r["language"] != "all":
            continue
        target = next((v for k, v in SENTIMENT_TARGET.items() if r["test"].startswith(k)), None)
        rows.append({"benchmark": f"sentiment, held out: {r['test']} (n={r['n_polar']})",
                     "metric": "balanced accuracy, negative vs positive", "value": _num(r["balanced_acc"]),
                     "baseline": f"lexicon {r['lexicon_balanced_acc']:.2f}",
                     "target": f">= {target}" if target else "", "ok": (r["balanced_acc"] >= target) if target else None})
    return rows


def run(quick: bool = False) -> list[dict]:
    if not real_text.available():
        return [{"benchmark": "lens", "metric": "skipped: ../shared/data/external is absent", "value": ""}]
    from training.train_models import train_all

    summary = train_all(save=False)
    return lens_rows(summary["lens"]) + sentiment_rows(summary["sentiment"])
