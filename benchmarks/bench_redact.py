"""Redaction quality on the labelled set, and speed with a 2,000-name list.

Run: ``python benchmarks/bench_redact.py`` (``--quick`` for a short run).
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eevp.intake.redact import KINDS, Redactor, evaluate

CASES = ROOT / "tests" / "data" / "redaction_cases.csv"
EXTERNAL = ROOT.parent / "shared" / "data" / "external"

_FIRST = {
    "ru": "Александр Алексей Андрей Анна Анастасия Артём Виктория Владимир Дарья Денис Дмитрий Екатерина "
    "Елена Иван Игорь Ирина Кирилл Ксения Максим Марина Мария Михаил Наталья Никита Николай Ольга Павел "
    "Полина Роман Светлана Сергей Татьяна Юлия Юрий Вадим Галина Григорий Евгений Людмила Олег",
    "uk": "Олександр Олексій Андрій Ганна Анастасія Богдан Вікторія Володимир Дарина Дмитро Євген Катерина "
    "Олена Іван Ігор Ірина Кирило Ксенія Максим Мар'яна Марія Михайло Наталія Назар Микола Оксана Павло "
    "Поліна Роман Світлана Сергій Тетяна Юлія Юрій Тарас Галина Григорій Остап Людмила Олег",
    "en": "James John Robert Michael William David Richard Joseph Thomas Charles Mary Patricia Jennifer Linda "
    "Elizabeth Barbara Susan Jessica Sarah Karen Emily Daniel Matthew Anthony Mark Paul Steven Andrew "
    "Joshua Kevin Laura Emma Olivia Sophie Chloe Hannah Priya Aisha Omar Wei",
}
_LAST = {
    "ru": "Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов Волков "
    "Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров Никитин Захаров "
    "Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин Фролов Александров "
    "Дмитриев Королёв Гусев Киселёв",
    "uk": "Мельник Шевченко Бойко Коваленко Бондаренко Ткаченко Кравченко Ковальчук Олійник Шевчук Поліщук "
    "Лисенко Бондар Марченко Руденко Савченко Петренко Клименко Павленко Кравчук Кузьменко Пономаренко "
    "Савчук Василенко Левченко Харченко Карпенко Гончаренко Мороз Іваненко Тимошенко Яковенко Гаврилюк "
    "Литвиненко Мартинюк Костенко Приходько Остапенко Зінченко Коваль",
    "en": "Smith Johnson Williams Brown Jones Garcia Miller Davis Wilson Anderson Taylor Thomas Moore Jackson "
    "Martin Lee Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green "
    "Adams Baker Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker",
}


def make_names(n: int = 2000) -> list[str]:
    """``n`` distinct full names, a third each Russian, Ukrainian and English."""
    pools = []
    for lang in ("ru", "uk", "en"):
        firsts, lasts = _FIRST[lang].split(), _LAST[lang].split()
        pool = [f"{f} {s}" if lang == "en" else f"{s} {f}" for s, f in itertools.product(lasts, firsts)]
        random.Random(0).shuffle(pool)  # every first name and surname appears in the first 667
        pools.append(pool)
    names = [name for trio in zip(*pools) for name in trio]
    return names[:n]


def _read_column(path: Path, column: str, limit: int) -> list[str]:
    if not path.exists():
        return []
    out = []
    with open(path, newline="", encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            text = (row.get(column) or "").strip()
            if len(text) >= 40:
                out.append(text[:120])
            if len(out) >= limit:
                break
    return out


def typical_comments(limit: int = 20_000) -> list[str]:
    """Real ~100-character comments (Glassdoor UK reviews, Rozetka uk/ru) or, without them, the labelled set."""
    third = limit // 3
    texts = (
        _read_column(EXTERNAL / "glassdoor-job-reviews-uk-sample" / "glassdoor_reviews.csv", "cons", third)
        + _read_column(EXTERNAL / "glassdoor-job-reviews-uk-sample" / "glassdoor_reviews.csv", "pros", third)
        + _read_column(EXTERNAL / "rozetka-product-comments-uk-ru" / "rozetka_reviews.csv", "Відгук", third)
    )
    if not texts:
        with open(CASES, newline="", encoding="utf-8") as fh:
            texts = [row["text"] for row in csv.DictReader(fh)]
    return list(itertools.islice(itertools.cycle(texts), limit))


REAL_LABELS = ROOT / "tests" / "data" / "redaction_real_labels.csv"
_TOKEN = re.compile(r"[^\W\d_]+")


def _real_text(file: str, row: int, field: str, cache: dict) -> str:
    """One comment of the external data, by reference: file (under ``EXTERNAL``), row number, field
    (a column name, or ``cN`` for the N-th column after the row id)."""
    if file not in cache:
        with open(EXTERNAL / file, newline="", encoding="utf-8-sig") as fh:
            cache[file] = list(csv.reader(fh))
    header, body = cache[file][0], cache[file][1:]
    column = int(field[1:]) if re.fullmatch(r"c\d+", field) else header.index(field)
    return body[row][column]


def real_name_scores(labels: Path = REAL_LABELS) -> dict | None:
    """Token-level precision and recall of names found without a list, on real comments labelled by reading.

    The labels hold references only (file, row, field, the text's sha256 prefix, the stratum) and the
    offsets of the person-name words. Stratum ``flagged``: every comment of the four sources in which
    the redactor found a name when the labels were made (all of them: precision is that of the whole
    corpus); ``other``: a random sample of the comments with a capitalised word inside a sentence and
    no name found (where names would be missed). None when the external data are absent.
    """
    if not (EXTERNAL / "ru-exit-survey-comments").exists():
        return None
    red, cache = Redactor(), {}
    counts: dict[str, list[int]] = {}
    with open(labels, newline="", encoding="utf-8") as fh:
        for lab in csv.DictReader(fh):
            text = _real_text(lab["file"], int(lab["row"]), lab["field"], cache)
            if hashlib.sha256(text.encode()).hexdigest()[:16] != lab["sha256"]:
                raise ValueError(f"The text of {lab['file']} row {lab['row']} changed; relabel it.")
            gold = {tuple(map(int, s.split("-"))) for s in lab["names"].split(";") if s}
            spans = [(s, e) for k, s, e in red.found(text) if k == "NAME"]
            pred = {m.span() for m in _TOKEN.finditer(text) if any(s <= m.start() < e for s, e in spans)}
            for key in ("all", lab["file"].split("/")[0], lab["stratum"]):
                c = counts.setdefault(key, [0, 0, 0, 0])
                c[0] += len(gold & pred)
                c[1] += len(pred - gold)
                c[2] += len(gold - pred)
                c[3] += 1
    return {k: {"precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
                "tp": tp, "fp": fp, "fn": fn, "comments": n} for k, (tp, fp, fn, n) in counts.items()}


def _row(metric: str, value, unit: str, target: str = "", ok=None) -> dict:
    return {"benchmark": "redact", "metric": metric, "value": value, "unit": unit, "target": target, "ok": ok}


def run(quick: bool = False) -> list[dict]:
    """Quality on the labelled set, build time, throughput and a 1 MB text.

    Args:
        quick: fewer texts and a smaller long text (a few seconds in all).

    Returns:
        One dict per measurement (benchmark, metric, value, unit, target, ok).
    """
    rows = []
    result = evaluate(CASES)
    overall = result["overall"]
    rows.append(_row("labelled_rows", result["rows"], "rows"))
    rows.append(
        _row(
            "precision_overall",
            round(overall["precision"], 4),
            "ratio",
            ">= 0.95",
            overall["precision"] >= 0.95,
        )
    )
    rows.append(
        _row("recall_overall", round(overall["recall"], 4), "ratio", ">= 0.95", overall["recall"] >= 0.95)
    )
    rows.append(_row("exact_text_match", round(result["exact_match"], 4), "ratio"))
    for kind in KINDS:
        k = result["per_kind"][kind]
        rows.append(_row(f"precision_{kind}", round(k["precision"], 4), f"ratio (n={k['tp'] + k['fp']})"))
        rows.append(_row(f"recall_{kind}", round(k["recall"], 4), f"ratio (n={k['tp'] + k['fn']})"))
    for lang, k in sorted(result["per_lang"].items()):
        rows.append(_row(f"f1_{lang or 'unknown'}", round(k["f1"], 4), "ratio"))

    real = real_name_scores()
    for key, k in (real or {}).items():
        rows.append(_row(f"real_names_{key}", f"P {k['precision']:.2f} R {k['recall']:.2f}",
                         f"tp {k['tp']} fp {k['fp']} fn {k['fn']}, {k['comments']} comments"))

    names = make_names(2000)
    start = time.perf_counter()
    redactor = Redactor(names)
    build = time.perf_counter() - start
    rows.append(_row("build_2000_names", round(build, 3), "s", "", None))
    rows.append(_row("name_forms", redactor.name_form_count, "forms"))

    texts = typical_comments(3_000 if quick else 30_000)
    redactor.redact_many(texts[:200])  # warm the lazy caches
    start = time.perf_counter()
    out = redactor.redact_many(texts)
    elapsed = time.perf_counter() - start
    rate = len(texts) / elapsed
    mean_len = sum(map(len, texts)) / len(texts)
    rows.append(
        _row(
            "throughput_2000_names",
            round(rate),
            f"texts/s (mean {mean_len:.0f} chars)",
            ">= 5000",
            rate >= 5000,
        )
    )
    changed = sum(a != b for a, b in zip(texts, out))
    rows.append(_row("real_texts_changed", round(changed / len(texts), 4), "share of real comments redacted"))

    unit = "Связаться: +7 (912) 345-67-89, ivan@example.com, www.site.ru — Иванов Андрей. 3 года, 30%, 1 500 грн. "
    long_text = unit * ((100_000 if quick else 1_000_000) // len(unit))
    start = time.perf_counter()
    redactor.redact(long_text)
    rows.append(
        _row(
            "long_text",
            round(time.perf_counter() - start, 3),
            f"s for {len(long_text) / 1e6:.1f} MB",
            "< 10",
            None,
        )
    )
    rows[-1]["ok"] = rows[-1]["value"] < 10
    return rows


if __name__ == "__main__":
    for r in run(quick="--quick" in sys.argv):
        print(f"{r['metric']:<28} {r['value']!s:>10} {r['unit']:<38} {r['target']:<8} {r['ok']}")
