"""Customer insights on the demo organisation: every computation of a first load, nothing cached.

The demo (``python -m eevp demo`` then ``python -m eevp analyze``: 2,000 employees, about 8,000 text
units, 30-odd customer themes, customer feedback) is built into a temporary folder, or read from
``EEVP_BENCH_DEMO_DIR`` when that folder already holds one (building it takes minutes). Then the calls
``pages/6_Customer_insights.py`` makes on a first load (every tab; Streamlit and drawing left out) run
three times, each with the anonymity layer's remembered audits forgotten (a first load after a new
upload finds none); the median is reported, with the slowest steps. Target: under 2 s.

Run: ``python -m benchmarks --only customers`` (or ``python benchmarks/bench_customers.py``).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET = 2.0
RUNS = 3


def build_demo(data: Path) -> None:
    """The demo organisation, analysed, in ``data``."""
    env = dict(os.environ, HF_HUB_OFFLINE="1", EEVP_DATA_DIR=str(data), EEVP_DATABASE_URL="")
    for cmd in ("demo", "analyze"):
        subprocess.run([sys.executable, "-m", "eevp", cmd, "--json"], cwd=ROOT, env=env, check=True,
                       capture_output=True)


def first_load(engine, settings, lang: str = "en") -> dict[str, float]:
    """Seconds per step of what the Customer insights page computes on a first load (every tab)."""
    from eevp.analytics import customers, summaries, theme_views, voice
    from eevp.store.auth import CLI_USER

    times: dict[str, float] = {}

    def step(name, compute):
        start = time.perf_counter()
        out = compute()
        times[name] = times.get(name, 0.0) + time.perf_counter() - start
        return out

    threshold, rule = settings.min_comment_group, customers.SystemicRule()
    units = step("read the statements", lambda: customers.customer_units(engine))
    labels = step("read the statements", lambda: customers.theme_labels(engine, language=lang))
    stats = step("theme figures", lambda: customers.theme_stats(units, labels, threshold))
    sums = step("summaries and quotes", lambda: summaries.theme_summaries(engine, units, threshold, scope="customers"))
    quotes = step("summaries and quotes", lambda: {t: summaries.quotes_of(engine, s, actor=CLI_USER)
                                                   for t, s in sums.items()})
    ranked = step("ranking", lambda: customers.rank_themes(units, labels, threshold, rule, stats=stats))
    step("ranking", lambda: customers.treat_staff(engine, threshold))
    step("journey map", lambda: customers.theme_stage_matrix(units, stats, threshold))
    by_dept = step("theme x department", lambda: customers.theme_by(units, stats, "department", threshold))
    step("theme x department", lambda: theme_views.columns_that_matter(theme_views.trim(by_dept, "department", top=25),
                                                                       "department"))
    step("theme x source", lambda: customers.theme_by(units, stats, "source", threshold))
    step("trend", lambda: theme_views.ranked_trend(ranked, threshold))
    table = step("staff and customers", lambda: voice.subjects(engine, settings, units=units, stats=stats))
    said = step("staff and customers", lambda: {k: voice.customer_quotes(engine, s, n=2, actor=CLI_USER)
                                                for k, s in zip(table["key"], table["statement_ids"])})
    step("staff and customers", lambda: voice.journey(table))
    step("review", lambda: (customers.review_stats(engine),
                            customers.review_queue(engine, share=0.10, limit=5, actor=CLI_USER)))
    step("brief", lambda: customers.brief_markdown(ranked, quotes, rule, lang=lang)
         + voice.brief_markdown(table, settings, quotes, said, lang=lang))
    times["total"] = sum(times.values())
    return times


def measure(data: Path) -> list[dict]:
    from eevp import hashing
    from eevp.settings import Settings
    from eevp.store import db

    settings = Settings.from_env({"EEVP_DATA_DIR": str(data)})
    engine = db.connect(settings.database_url)
    runs = []
    for _ in range(RUNS):
        hashing._AUDITS.clear()  # noqa: SLF001 - a first load finds no remembered audit
        runs.append(first_load(engine, settings))
    engine.dispose()
    median = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    total = median.pop("total")
    slowest = ", ".join(f"{k} {v:.2f} s" for k, v in sorted(median.items(), key=lambda kv: -kv[1])[:4])
    return [_row(f"Customer insights, demo organisation: first load, every tab, nothing cached (median of {RUNS})",
                 round(total, 2), "s", f"< {TARGET:g}", total < TARGET,
                 "> 15 min before (theme x department 706 s)"),
            _row("its slowest steps", slowest, "")]


def _row(metric, value, unit, target="", ok=None, baseline=""):
    return {"benchmark": "customers", "metric": metric, "value": value, "unit": unit, "target": target, "ok": ok,
            "baseline": baseline}


def run(quick: bool = False) -> list[dict]:
    given = os.environ.get("EEVP_BENCH_DEMO_DIR")
    if given and (Path(given) / "eevp.db").exists():
        return measure(Path(given))
    with tempfile.TemporaryDirectory(prefix="eevp-bench-customers-") as tmp:
        build_demo(Path(tmp))
        return measure(Path(tmp))


if __name__ == "__main__":
    for r in run(quick="--quick" in sys.argv):
        print(f"{r['metric']:<100} {r['value']!s:>8} {r['unit']:<4} {r['target']:<6} {r['ok']}")
