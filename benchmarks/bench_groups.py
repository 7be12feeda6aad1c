"""Many groups in one dimension: the Survey and Themes pages' computations with 1,000 job titles.

A real upload (9,999 Glassdoor reviews) brought 272 job titles in one wave, and the Survey page took over
30 s: its per-group figures were computed group by group. Here 20,000 survey responses over two waves
and 10 rating items, and 20,000 text units in 40 themes, are spread over 1,000 roles (skewed sizes, as
job titles are), in memory (the loaders are the dashboards benchmark's business). Per page, the calls
the page makes on a first load (every tab) and the median of five reruns after a filter change (the
same calls on another selection). Streamlit and drawing are not included.

Run: ``python benchmarks/bench_groups.py`` (``--quick``: 200 roles).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

THRESHOLD, COMMENT_THRESHOLD = 5, 10


def frames(groups: int, n: int = 20_000, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(survey responses, items, text units with themes) with ``groups`` roles of Zipf-like sizes."""
    rng = np.random.default_rng(seed)
    weights = 1 / np.arange(1, groups + 1) ** 0.8
    roles = np.array([f"Role {i}" for i in range(groups)])[rng.choice(groups, n, p=weights / weights.sum())]
    items = pd.DataFrame({"item": [f"Item {i}" for i in range(10)], "min": 1.0, "max": 5.0})
    wide = pd.DataFrame({"id": range(n), "wave": rng.choice(["2026-Q1", "2026-Q2"], n), "role": roles,
                         "department": [f"Dept {i}" for i in rng.integers(0, 20, n)], "location": "HQ",
                         "tenure": rng.choice(["<1 year", "1-3 years", "3-5 years"], n),
                         "enps": rng.integers(0, 11, n).astype(float)})
    for item in items["item"]:
        wide[item] = rng.integers(1, 6, n).astype(float)
    units = pd.DataFrame({"unit_id": range(n), "theme_id": rng.integers(-1, 40, n), "role": roles,
                          "department": wide["department"], "kind": rng.choice(["survey", "exit"], n),
                          "language": "en", "tenure": wide["tenure"], "wave": wide["wave"],
                          "person": [f"p{i}" for i in rng.integers(0, n // 2, n)]})
    return wide, items, units


def survey_page(wide, items, selection: dict) -> None:
    from eevp.analytics import reports

    view = wide[wide["wave"] == selection["wave"]]
    chosen = reports.filter_selections(selection["filters"])
    heat = reports.heatmap_table(view, items, "role", THRESHOLD, population=wide, selections=chosen)
    reports.groups_that_matter(heat, "role")
    reports.enps_by(view, "role", THRESHOLD, population=wide, selections=chosen)
    reports.distribution(view, "Item 0", THRESHOLD)
    reports.drivers(view, items, THRESHOLD)
    waves = ["2026-Q1", "2026-Q2"]
    reports.segment_item_trend(wide, items, "role", "Item 0", THRESHOLD, waves)
    reports.item_wave_deltas(wide, items, waves, THRESHOLD)


def themes_page(units, _items, selection: dict) -> None:
    from eevp.analytics import theme_views

    labels = pd.Series({i: f"Theme {i}" for i in range(40)})
    theme_views.trim(theme_views.theme_cross(units, "role", COMMENT_THRESHOLD, labels), "role", top=25)
    theme_views.theme_trend(units, "wave", COMMENT_THRESHOLD, labels)
    role = selection["role"]
    theme_views.compare_groups(units, units["kind"] == "exit", units["role"] == role, COMMENT_THRESHOLD, labels)


def _row(metric, value, unit, target="", ok=None):
    return {"benchmark": "groups", "metric": metric, "value": value, "unit": unit, "target": target, "ok": ok}


def run(quick: bool = False) -> list[dict]:
    # A running server has imported these with its first page: a first load here is the data's cost.
    import eevp.analytics.reports, eevp.analytics.theme_views  # noqa: E401, F401
    from eevp.store.queries import Filters

    groups = 200 if quick else 1000
    wide, items, units = frames(groups)
    selections = [{"wave": w, "filters": Filters(waves=(w,)), "role": f"Role {k}"}
                  for k, w in enumerate(["2026-Q2", "2026-Q1"] * 3)]
    rows = [_row(f"data: {len(wide):,} responses and {len(units):,} text units over {groups:,} roles", 1, "built")]
    for name, fn, data in [("Survey", survey_page, wide), ("Themes", themes_page, units)]:
        start = time.perf_counter()
        fn(data, items, selections[0])
        first = time.perf_counter() - start
        reruns = []
        for sel in selections[1:]:
            start = time.perf_counter()
            fn(data, items, sel)
            reruns.append(time.perf_counter() - start)
        rerun = statistics.median(reruns)
        rows.append(_row(f"{name}, {groups:,} roles: first load (every tab)", round(first, 2), "s", "< 2", first < 2))
        rows.append(_row(f"{name}, {groups:,} roles: filter change (median of 5)", round(rerun * 1000), "ms", "< 300",
                         rerun < 0.3))
    return rows


if __name__ == "__main__":
    for r in run(quick="--quick" in sys.argv):
        print(f"{r['metric']:<70} {r['value']!s:>8} {r['unit']:<4} {r['target']:<6} {r['ok']}")
