"""Command line: ``python -m eevp COMMAND``. Parses, calls the library, prints.

Domain errors (:class:`eevp.errors.EevpError`) are turned into messages here, once.
Exit codes: 0 done; 2 input rejected (nothing stored); 1 any other failure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from .errors import EevpError, ValidationFailed
from .settings import Settings


def _progress_line(step: str, done: int, total: int) -> None:
    """A one-line progress indicator on stderr (the CLI's progress bar)."""
    width = 24
    filled = int(width * done / total) if total else width
    sys.stderr.write(f"\r{step[:40]:<40} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if total and done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _emit(args, payload, text: str | None = None) -> None:
    if args.json:
        print(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    else:
        print(text if text is not None else json.dumps(payload, ensure_ascii=False, indent=2, default=str))


def _engine(args):
    from .bootstrap import open_database

    settings = Settings.from_env(database_url=args.db)
    return settings, open_database(settings)


# --------------------------------------------------------------------------- commands

def cmd_init(args) -> int:
    from .auth import ensure_admin, users_path
    from .db import current_version

    settings, engine = _engine(args)
    password = ensure_admin(settings)
    if password:
        print(f"First run: created the account 'admin' with the password  {password}  (shown once; "
              f"accounts are in {users_path(settings)}).", file=sys.stderr)
    _emit(args, {"database": engine.url.render_as_string(hide_password=True), "schema_version": current_version(engine)},
          f"Database ready: {engine.url.render_as_string(hide_password=True)} (schema v{current_version(engine)})")
    return 0


def cmd_demo(args) -> int:
    from .batches import clear_demo, has_demo
    from .bootstrap import load_demo

    settings, engine = _engine(args)
    if args.clear:
        n = clear_demo(engine)
        _emit(args, {"deleted_batches": n}, f"Demo data cleared ({n} batches deleted).")
        return 0
    if args.if_empty:
        from .batches import is_empty_of_data

        if not is_empty_of_data(engine):
            _emit(args, {"batches": {}}, "The database already holds data; demo not loaded.")
            return 0
    elif has_demo(engine):
        clear_demo(engine)
    ids = load_demo(engine, settings, seed=args.seed, progress=None if args.json else _progress_line)
    _emit(args, {"batches": ids}, "Demo loaded: " + ", ".join(f"{k} → batch {v}" for k, v in ids.items()))
    return 0


def cmd_batches(args) -> int:
    from .batches import list_batches

    _, engine = _engine(args)
    df = list_batches(engine)
    _emit(args, {"batches": df.to_dict("records")}, df.to_string(index=False) if len(df) else "No batches stored.")
    return 0


def cmd_delete(args) -> int:
    from .batches import delete_batch

    _, engine = _engine(args)
    counts = delete_batch(engine, args.batch_id, user="cli")
    _emit(args, {"deleted": args.batch_id, "rows": counts}, f"Batch {args.batch_id} deleted.")
    return 0


def cmd_ingest(args) -> int:
    from .ingest import IngestResult, ingest_file

    settings, engine = _engine(args)
    mapping = None
    if args.mapping:
        try:
            mapping = json.loads(Path(args.mapping).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise EevpError(f"Could not read the mapping file {args.mapping}: {exc}. It must be JSON like "
                            '{"role": "job_title", "items": ["..."], "text": ["..."]}.') from exc
    path = Path(args.file)
    if not path.exists():
        raise EevpError(f"No such file: {path}")
    try:
        result = ingest_file(engine, settings, args.kind, path.read_bytes(), path.name, mapping,
                             name=args.name, sheet=args.sheet, skip_invalid=args.skip_invalid, user="cli")
    except ValidationFailed as exc:
        res: IngestResult = exc.result
        _emit(args, res.to_json(), _errors_text(res, str(exc)))
        return 2
    _emit(args, result.to_json(),
          f"Stored batch {result.batch_id}: {result.rows_stored} of {result.rows_read} rows "
          f"({result.rows_rejected} rejected), {result.text_units} text units.")
    return 0


def _errors_text(res, headline: str) -> str:
    lines = [headline]
    for e in res.errors[:50]:
        lines.append(f"  row {e['row']}, column {e['column']!r}, value {e['value']!r}: {e['message']}")
    if len(res.errors) > 50:
        lines.append(f"  … and {len(res.errors) - 50} more (use --json for all).")
    return "\n".join(lines)


# --------------------------------------------------------------------------- parser

def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="SQLAlchemy URL (default: EEVP_DATABASE_URL or data/eevp.db)")
    common.add_argument("--json", action="store_true", help="print JSON")

    p = argparse.ArgumentParser(prog="python -m eevp", description="eevp: employee-experience insight.",
                                parents=[common])
    sub = p.add_subparsers(dest="command", required=True)

    sub.add_parser("init", parents=[common], help="create or upgrade the database").set_defaults(fn=cmd_init)
    d = sub.add_parser("demo", parents=[common], help="load the demo organisation (replaces earlier demo data)")
    d.add_argument("--seed", type=int, default=42)
    d.add_argument("--clear", action="store_true", help="delete the demo data instead")
    d.add_argument("--if-empty", action="store_true", help="load only into an empty database")
    d.set_defaults(fn=cmd_demo)
    sub.add_parser("batches", parents=[common], help="list stored batches").set_defaults(fn=cmd_batches)
    dl = sub.add_parser("delete", parents=[common], help="delete a batch and everything derived from it")
    dl.add_argument("batch_id", type=int)
    dl.set_defaults(fn=cmd_delete)
    ig = sub.add_parser("ingest", parents=[common], help="store a file of one source kind")
    ig.add_argument("kind", choices=["survey", "exit", "focus", "evp_catalog", "evp_ratings"])
    ig.add_argument("file")
    ig.add_argument("--mapping", help="JSON file: canonical field → source column")
    ig.add_argument("--name")
    ig.add_argument("--sheet", help="XLSX sheet name (default: the first)")
    ig.add_argument("--skip-invalid", action="store_true", help="store the valid rows and reject the rest")
    ig.set_defaults(fn=cmd_ingest)
    _add_more_commands(sub, common)
    return p


def _add_more_commands(sub, common) -> None:
    """Commands whose modules live elsewhere (analysis, reports, lifecycle)."""
    try:
        from . import cli_more
    except ImportError:  # pragma: no cover - during development only
        return
    cli_more.register(sub, common)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        return args.fn(args)
    except EevpError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2 if args.command == "ingest" else 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the CLI's last line of defence
        if os.environ.get("EEVP_DEBUG"):
            raise
        print(f"error: unexpected failure ({type(exc).__name__}: {exc}). Set EEVP_DEBUG=1 for details.",
              file=sys.stderr)
        return 1
    finally:
        if getattr(args, "verbose", False):
            print(f"({time.perf_counter() - start:.1f}s)", file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
