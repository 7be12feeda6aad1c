"""CLI commands for analysis, reports and the data lifecycle (registered by :mod:`eevp.cli`)."""

from __future__ import annotations

import json
import sys
import time

from .auth import CLI_USER


def _engine(args):
    from .cli import _engine as engine

    return engine(args)


def _emit(args, payload, text=None):
    from .cli import _emit as emit

    emit(args, payload, text)


def cmd_analyze(args) -> int:
    from .cli import _progress_line
    from .pipeline import run_all

    settings, engine = _engine(args)
    start = time.perf_counter()
    out = run_all(engine, settings, refit=args.refit, progress=None if args.json else _progress_line)
    out["seconds"] = round(time.perf_counter() - start, 2)
    _emit(args, out, (f"{out['units']} text units, {out['embedded_new']} newly embedded, {out['themes']} themes "
                      f"({out['outlier_share']:.0%} unassigned), {out['customer_themes']} customer themes, "
                      f"in {out['seconds']}s."))
    return 0


def cmd_embed(args) -> int:
    from .analysis import embed_all
    from .cli import _progress_line
    from .embeddings import SentenceTransformerEmbedder, get_embedder

    settings, engine = _engine(args)
    embedder = get_embedder(args.embedder or settings.embedder, models_dir=settings.models_dir)
    if args.batch_size:
        embedder.batch_size = args.batch_size
    if args.device and isinstance(embedder, SentenceTransformerEmbedder):
        embedder.device = args.device
        embedder._model = None  # loaded again on that device
    if embedder.fallback_reason:
        print(embedder.fallback_reason, file=sys.stderr)
    out = embed_all(engine, settings, embedder=embedder, progress=None if args.json else _progress_line)
    _emit(args, out, f"{out['units']} text units, {out['embedded_new']} newly embedded with {out['model_id']}, "
                     f"in {out['seconds']}s.")
    return 0


def cmd_report(args) -> int:
    from . import queries, reports

    settings, engine = _engine(args)
    threshold = settings.min_group_size
    if args.what == "survey":
        payload = reports.survey_report(queries.survey_wide(engine), queries.survey_items(engine), args.by or "role",
                                        threshold, wave=args.wave)
    elif args.what == "evp":
        payload = reports.evp_report(queries.evp_ratings(engine), queries.evp_catalog(engine), threshold,
                                     by=args.by or "role")
    elif args.what == "exits":
        payload = reports.exits_report(queries.exits_frame(engine), args.by or "role", threshold)
    elif args.what == "themes":
        from .themes_report import themes_report

        payload = themes_report(engine, settings, source=args.source)
    else:
        from .customers import report

        payload = report(engine, settings)
    _emit(args, payload)
    return 0


def cmd_export(args) -> int:
    from .lifecycle import export_texts

    _, engine = _engine(args)
    rows = export_texts(engine, CLI_USER)
    if args.json:
        print(json.dumps({"texts": rows}, ensure_ascii=False, indent=2, default=str))
    else:
        for r in rows:
            print(f"{r['id']}\t{r['kind']}\t{r['text']}")
    return 0


def cmd_backup(args) -> int:
    from .lifecycle import backup

    _, engine = _engine(args)
    counts = backup(engine, args.file, CLI_USER)
    _emit(args, {"file": args.file, "rows": counts}, f"Backup written to {args.file} ({sum(counts.values())} rows).")
    return 0


def cmd_restore(args) -> int:
    from .lifecycle import restore

    _, engine = _engine(args)
    counts = restore(engine, args.file, CLI_USER)
    _emit(args, {"file": args.file, "rows": counts}, f"Restored {sum(counts.values())} rows from {args.file}.")
    return 0


def cmd_erase(args) -> int:
    from .lifecycle import erase_respondent

    settings, engine = _engine(args)
    counts = erase_respondent(engine, settings, CLI_USER, args.respondent_id)
    _emit(args, {"erased": counts}, f"Erased {sum(counts.values())} rows of this respondent.")
    return 0


def cmd_user(args) -> int:
    import getpass

    from .auth import add_user

    settings, _ = _engine(args)
    password = args.password or getpass.getpass(f"Password for {args.username}: ")
    user = add_user(settings, CLI_USER, args.username, password, args.role, tuple(args.department or ()))
    _emit(args, {"username": user.username, "role": user.role}, f"Account {user.username} ({user.role}) saved.")
    return 0


def register(sub, common) -> None:
    a = sub.add_parser("analyze", parents=[common], help="languages, sentiment, embeddings, themes, customer tags")
    a.add_argument("--refit", action="store_true", help="fit the themes anew instead of adding to them")
    a.set_defaults(fn=cmd_analyze)

    em = sub.add_parser("embed", parents=[common], help="only fill the embedding cache (e.g. on a GPU machine)")
    em.add_argument("--embedder", help="model name or folder (default: the setting EEVP_EMBEDDER)")
    em.add_argument("--device", help="cpu, cuda, cuda:1... (sentence-transformers models; default: GPU if seen)")
    em.add_argument("--batch-size", type=int, help="texts per forward pass")
    em.set_defaults(fn=cmd_embed)

    r = sub.add_parser("report", parents=[common], help="aggregates with the anonymity rule (JSON with --json)")
    r.add_argument("what", choices=["survey", "evp", "exits", "themes", "customers"])
    r.add_argument("--by", help="role, department, location, tenure, wave or a segment column")
    r.add_argument("--wave")
    r.add_argument("--source", choices=["survey", "exit", "focus"], help="themes: one source only")
    r.set_defaults(fn=cmd_report)

    e = sub.add_parser("export", parents=[common], help="export stored data (admin)")
    e.add_argument("what", choices=["texts"])
    e.set_defaults(fn=cmd_export)

    b = sub.add_parser("backup", parents=[common], help="write the whole database to a file")
    b.add_argument("file")
    b.set_defaults(fn=cmd_backup)
    rs = sub.add_parser("restore", parents=[common], help="replace the database with a backup")
    rs.add_argument("file")
    rs.set_defaults(fn=cmd_restore)

    er = sub.add_parser("erase", parents=[common], help="erase one respondent everywhere (right to erasure)")
    er.add_argument("respondent_id")
    er.set_defaults(fn=cmd_erase)

    u = sub.add_parser("user", parents=[common], help="add or update a local account")
    u.add_argument("username")
    u.add_argument("--role", required=True, choices=["admin", "hr", "cx", "viewer"])
    u.add_argument("--password", help="(prompted when omitted)")
    u.add_argument("--department", action="append", help="viewer: limit to this department (repeatable)")
    u.set_defaults(fn=cmd_user)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(1)
