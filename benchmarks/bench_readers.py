"""Reading files, parsing dates and suggesting mappings: speed on 100,000 rows, encoding accuracy.

Run: ``python benchmarks/bench_readers.py`` (``--quick`` for a short run).
Everything is generated in memory; nothing is written to disk.
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eevp.intake.dates import parse_date_column
from eevp.intake.mapping import suggest_mapping
from eevp.intake.readers import detect_encoding, read_table

PARALLEL = ROOT.parent / "shared" / "data" / "multilingual" / "parallel_en_ru_uk.csv"
ROLES = ["Инженер", "Курьер", "Оператор кол-центра", "Аналитик", "Кладовщик"]
DEPTS = ["ИТ", "Логистика", "Поддержка", "Финансы"]
COMMENTS = ["Клиенты долго ждут ответа на линии, нужно больше операторов.",
            "Зарплата ниже рынка, а нагрузка растёт каждый квартал.",
            "Руководитель помогает, но графики меняются без предупреждения.",
            "Покупатели жалуются на задержки доставки в выходные."]


def _row(metric: str, value, unit: str, target: str = "", ok=None) -> dict:
    return {"benchmark": "readers", "metric": metric, "value": value, "unit": unit, "target": target, "ok": ok}


def _survey_frame(n: int) -> pd.DataFrame:
    i = pd.RangeIndex(n)
    return pd.DataFrame({
        "Табельный номер": [f"{100000 + k}" for k in i],
        "Дата опроса": [f"{k % 28 + 1:02d}.{k % 12 + 1:02d}.2025" for k in i],
        "Должность": [ROLES[k % len(ROLES)] for k in i],
        "Подразделение": [DEPTS[k % len(DEPTS)] for k in i],
        "Рекомендовали бы вы компанию?": [str(k % 11) for k in i],
        **{f"Вопрос {q}": [str((k + q) % 5 + 1) for k in i] for q in range(1, 9)},
        "Комментарий": [f"{COMMENTS[k % len(COMMENTS)]} Ответ {k}." for k in i],
    })


def _timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, round(time.perf_counter() - start, 3)


def _encoding_accuracy() -> tuple[float, int]:
    """Share of 5-statement files (ru and uk, cp1251 and KOI8-U) whose encoding is named right."""
    if not PARALLEL.exists():
        return float("nan"), 0
    par = pd.read_csv(PARALLEL)
    right = total = 0
    for lang in ("ru", "uk"):
        for enc in ("cp1251", "koi8_u"):
            for start in range(0, len(par), 5):
                raw = par.iloc[start:start + 5][[lang]].to_csv(index=False).encode(enc)
                right += detect_encoding(raw) == enc
                total += 1
    return right / total, total


def run(quick: bool = False) -> list[dict]:
    """Speed of read_table / parse_date_column / suggest_mapping, and encoding accuracy.

    Args:
        quick: 20,000 rows instead of 100,000.

    Returns:
        One dict per measurement (benchmark, metric, value, unit, target, ok).
    """
    n = 20_000 if quick else 100_000
    df = _survey_frame(n)
    raw = df.to_csv(index=False, sep=";").encode("cp1251")
    rows = []

    read, secs = _timed(lambda: read_table(raw, "export.csv"))
    assert read.shape == df.shape
    rows.append(_row("read_csv_cp1251", secs, f"s for {n:,} rows ({len(raw) / 1e6:.1f} MB)", "< 5", secs < 5))

    _, secs = _timed(lambda: parse_date_column(read["Дата опроса"]))
    rows.append(_row("parse_date_column", secs, f"s for {n:,} values", "< 2", secs < 2))

    mapping, secs = _timed(lambda: suggest_mapping(read, "survey"))
    right = (mapping.get("wave") == "Дата опроса" and mapping.get("role") == "Должность"
             and len(mapping["items"]) == 8 and mapping["text"] == ["Комментарий"]
             and mapping["identifiers"] == ["Табельный номер"])
    rows.append(_row("suggest_mapping", secs, f"s for {n:,} rows", "< 2", secs < 2))
    rows.append(_row("suggest_mapping_correct", right, "bool", "True", right))

    xn = n // 5
    buf = io.BytesIO()
    df.head(xn).to_excel(buf, index=False)
    xl, secs = _timed(lambda: read_table(buf.getvalue(), "export.xlsx"))
    assert len(xl) == xn
    rows.append(_row("read_xlsx", secs, f"s for {xn:,} rows", "< 10", secs < 10))

    acc, files = _encoding_accuracy()
    rows.append(_row("cp1251_vs_koi8u_accuracy", round(acc, 4), f"ratio ({files} short files)", ">= 0.95",
                     None if files == 0 else acc >= 0.95))
    return rows


if __name__ == "__main__":
    for r in run(quick="--quick" in sys.argv):
        print(f"{r['metric']:<28} {r['value']!s:>10} {r['unit']:<36} {r['target']:<8} {r['ok']}")
