"""Every benchmark in one table: ``python -m benchmarks [--quick] [--full] [--only NAME[,NAME]] [--markdown]``.

Columns: area | measure | eevp | baseline | ratio | target | met?. A row without a target is
information; ``met?`` says ``no`` wherever a target is missed. ``--quick`` runs small sizes (a few
minutes); ``--full`` adds the 100,000-unit analysis and a 1,000,000-row ingest; ``--only`` picks
benchmarks by name (see ``NAMES``); ``--markdown`` prints the table as Markdown (for the README) and
``--json FILE`` keeps the rows.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: name → module; run in this order (the slow ones last).
NAMES = {
    "ingest": "benchmarks.bench_ingest",
    "readers": "benchmarks.bench_readers",
    "redact": "benchmarks.bench_redact",
    "language": "benchmarks.bench_language",
    "sentiment": "benchmarks.bench_sentiment",
    "insights": "benchmarks.bench_insights",
    "lens": "benchmarks.bench_lens",
    "voice": "benchmarks.bench_voice",
    "embeddings": "benchmarks.bench_embeddings",
    "throughput": "benchmarks.bench_throughput",
    "dashboards": "benchmarks.bench_dashboards",
    "customers": "benchmarks.bench_customers",
    "groups": "benchmarks.bench_groups",
    "themes": "benchmarks.bench_themes",
    "summaries": "benchmarks.bench_summaries",
    "summary_quotes": "benchmarks.bench_summary_quotes",
    "theme_sizes": "benchmarks.bench_theme_sizes",
    "theme_labels": "benchmarks.bench_theme_labels",
    "analysis": "benchmarks.bench_analysis",
}
COLUMNS = ["area", "measure", "eevp", "baseline", "ratio", "target", "met?"]


def machine() -> str:
    """CPU model and cores (from ``lscpu`` where present)."""
    model = platform.processor() or platform.machine()
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        fields = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
        model = fields.get("Model name", model).strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def _cell(row: dict) -> list[str]:
    value = row.get("value", "")
    unit = row.get("unit", "")
    eevp = f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)
    eevp = f"{eevp} {unit}".strip() if eevp != "" else ""
    ok = row.get("ok")
    met = "" if ok is None else ("yes" if ok else "no")
    return [str(row.get("benchmark", "")), str(row.get("metric", "")), eevp, str(row.get("baseline", "")),
            str(row.get("ratio", "")), str(row.get("target", "")), met]


def table(rows: list[dict], markdown: bool = False) -> str:
    cells = [_cell(r) for r in rows]
    if markdown:
        lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "|".join("---" for _ in COLUMNS) + "|"]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in cells]
        return "\n".join(lines)
    widths = [min(max(len(c[i]) for c in cells + [COLUMNS]), 90) for i in range(len(COLUMNS))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [fmt.format(*COLUMNS), fmt.format(*("-" * w for w in widths))]
    lines += [fmt.format(*(c[:w] for c, w in zip(row, widths))) for row in cells]
    return "\n".join(lines)


def run_one(name: str, quick: bool, full: bool) -> list[dict]:
    module = importlib.import_module(NAMES[name])
    kwargs = {"quick": quick}
    if name in ("analysis", "ingest"):
        kwargs["full"] = full
    start = time.perf_counter()
    try:
        rows = module.run(**kwargs)
    except Exception as exc:  # noqa: BLE001 - one failing benchmark must not hide the others
        traceback.print_exc()
        return [{"benchmark": name, "metric": f"benchmark failed: {type(exc).__name__}: {str(exc)[:120]}",
                 "value": "", "unit": "", "target": "runs", "ok": False}]
    print(f"[{name}: {time.perf_counter() - start:.0f} s]", file=sys.stderr)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a few minutes)")
    parser.add_argument("--full", action="store_true", help="also 100,000 units through the whole analysis and "
                        "1,000,000 rows through the ingest")
    parser.add_argument("--only", help="comma-separated names: " + ", ".join(NAMES))
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--json", help="also write the rows to this file")
    args = parser.parse_args(argv)
    names = list(NAMES)
    if args.only:
        names = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in names if n not in NAMES]
        if unknown:
            parser.error(f"unknown benchmark(s) {unknown}; choose from {', '.join(NAMES)}")
    started, load_before = time.time(), load()
    rows: list[dict] = []
    for name in names:
        print(f"[{name} ...]", file=sys.stderr)
        rows += run_one(name, args.quick, args.full)
    mode = "--quick" if args.quick else ("--full" if args.full else "default")
    header = (f"Machine: {machine()}. Load average (1, 5, 15 min) before: {load_before}; after: {load()}. "
              f"Mode: {mode}. Took {(time.time() - started) / 60:.0f} min.")
    print(header)
    print()
    print(table(rows, markdown=args.markdown))
    if args.json:
        Path(args.json).write_text(json.dumps({"header": header, "rows": rows}, ensure_ascii=False, indent=1,
                                              default=str), encoding="utf-8")
    missed = sum(1 for r in rows if r.get("ok") is False)
    print(f"\n{missed} target(s) missed." if missed else "\nAll targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
