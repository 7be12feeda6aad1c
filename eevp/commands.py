"""The CLI's commands: each ``cmd_NAME(args)`` runs one command of ``python -m eevp`` and returns its
exit code. :mod:`eevp.cli` parses the command line and imports this module only then, so that
``python -m eevp --help`` does not load pandas, SQLAlchemy or the models.
"""

from __future__ import annotations

import getpass
import json
import sys
import time
from pathlib import Path

from eevp.actions import digest as action_digest
from eevp.actions import register as actions
from eevp.analytics import customers, reports, summaries, voice
from eevp.bootstrap import load_demo, open_database
from eevp.delivery import send_digest
from eevp.errors import EevpError, InputError, ValidationFailed
from eevp.intake.ingest import IngestResult, ingest_file
from eevp.pipeline import run_all
from eevp.safe import tsv_line
from eevp.settings import Settings
from eevp.store import queries
from eevp.store.auth import CLI_USER, User, add_user, ensure_admin, refresh, require, user_for_oidc, users_path
from eevp.store.batches import clear_demo, delete_batch, has_demo, is_empty_of_data, list_batches
from eevp.store.db import current_version
from eevp.store.lifecycle import backup, erase_respondent, export_texts, restore
from eevp.themes.embeddings import SentenceTransformerEmbedder, get_embedder
from eevp.themes.run import embed_all


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
    settings = Settings.from_env(database_url=args.db)
    return settings, open_database(settings)


# --------------------------------------------------------------------------- commands

def cmd_init(args) -> int:
    settings, engine = _engine(args)
    password = ensure_admin(settings)
    if password:
        print(f"First run: created the account 'admin' with the password  {password}  (shown once; "
              f"accounts are in {users_path(settings)}).", file=sys.stderr)
    _emit(args, {"database": engine.url.render_as_string(hide_password=True), "schema_version": current_version(engine)},
          f"Database ready: {engine.url.render_as_string(hide_password=True)} (schema v{current_version(engine)})")
    return 0


def cmd_demo(args) -> int:
    settings, engine = _engine(args)
    if args.clear:
        n = clear_demo(engine, actor=CLI_USER)
        _emit(args, {"deleted_batches": n}, f"Demo data cleared ({n} batches deleted).")
        return 0
    if args.if_empty:
        if not is_empty_of_data(engine):
            _emit(args, {"batches": {}}, "The database already holds data; demo not loaded.")
            return 0
    elif has_demo(engine):
        clear_demo(engine, actor=CLI_USER)
    ids = load_demo(engine, settings, seed=args.seed, progress=None if args.json else _progress_line,
                    actor=CLI_USER)
    _emit(args, {"batches": ids}, "Demo loaded: " + ", ".join(f"{k} → batch {v}" for k, v in ids.items()))
    return 0


def cmd_batches(args) -> int:
    _, engine = _engine(args)
    df = list_batches(engine)
    _emit(args, {"batches": df.to_dict("records")}, df.to_string(index=False) if len(df) else "No batches stored.")
    return 0


def cmd_delete(args) -> int:
    _, engine = _engine(args)
    counts = delete_batch(engine, args.batch_id, actor=CLI_USER)
    _emit(args, {"deleted": args.batch_id, "rows": counts}, f"Batch {args.batch_id} deleted.")
    return 0


def cmd_ingest(args) -> int:
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
                             name=args.name, sheet=args.sheet, skip_invalid=args.skip_invalid, actor=CLI_USER,
                             strict=args.strict)
    except ValidationFailed as exc:
        res: IngestResult = exc.result
        _emit(args, res.to_json(), _errors_text(res, str(exc)))
        return 2
    _emit(args, result.to_json(),
          f"Stored batch {result.batch_id}: {result.rows_stored} of {result.rows_read} rows "
          f"({result.rows_rejected} rejected), {result.text_units} text units." + _unmapped_text(result))
    return 0


def _unmapped_text(res) -> str:
    """The columns left out and the reading notes, one line each (empty when there are none)."""
    lines = [f"\n  column {u['column']!r} not mapped: {u['reason']}"
             + (f" (suggestion: {u['suggestion']})" if u["suggestion"] else "") for u in res.unmapped]
    lines += [f"\n  row {n['row']}: {n['message']}" for n in res.reading_notes]
    lines += [f"\n  {f['message']}" for f in res.findings]
    lines += [f"\n  column {c['column']!r}: answers in words read as points {c['converted']}"
              + (f"; not known: {c['unknown']}" if c["unknown"] else "") for c in res.labels]
    return "".join(lines)


def _errors_text(res, headline: str) -> str:
    lines = [headline + _unmapped_text(res)]
    for e in res.errors[:50]:
        lines.append(f"  row {e['row']}, column {e['column']!r}, value {e['value']!r}: {e['message']}")
    if len(res.errors) > 50:
        lines.append(f"  … and {len(res.errors) - 50} more (use --json for all).")
    return "\n".join(lines)


def cmd_analyze(args) -> int:
    settings, engine = _engine(args)
    start = time.perf_counter()
    actor = _account(settings, args.as_user) if args.as_user else CLI_USER
    out = run_all(engine, settings, actor=actor, refit=args.refit, progress=None if args.json else _progress_line)
    out["seconds"] = round(time.perf_counter() - start, 2)
    _emit(args, out, (f"{out['units']} text units, {out['embedded_new']} newly embedded, {out['themes']} themes "
                      f"({out['outlier_share']:.0%} unassigned), {out['customer_themes']} customer themes, "
                      f"in {out['seconds']}s."))
    return 0


def _account(settings, name: str) -> User:
    """The account ``name`` as it is now (local, else mapped by e-mail); AccessDenied for none."""
    user = refresh(settings, User(name, "")) or user_for_oidc(settings, name)
    require(user, "analyze")
    return user


def cmd_embed(args) -> int:
    settings, engine = _engine(args)
    embedder = get_embedder(args.embedder or settings.embedder, models_dir=settings.models_dir)
    if args.batch_size:
        embedder.batch_size = args.batch_size
    if args.device and isinstance(embedder, SentenceTransformerEmbedder):
        embedder.device = args.device
        embedder._model = None  # loaded again on that device
    if embedder.fallback_reason:
        print(embedder.fallback_reason, file=sys.stderr)
    out = embed_all(engine, settings, actor=CLI_USER, embedder=embedder, worker=args.worker,
                    progress=None if args.json else _progress_line)
    _emit(args, out, f"{out['units']} text units, {out['embedded_new']} newly embedded with {out['model_id']} "
                     f"({out['embedded_here']} by this worker, {out['worker']}), in {out['seconds']}s.")
    return 0


def cmd_report(args) -> int:
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
        payload = summaries.themes_report(engine, settings, source=args.source, actor=CLI_USER)
    elif args.what == "voice":
        payload = voice.report(engine, settings)
    else:
        payload = customers.report(engine, settings)
    _emit(args, payload)
    return 0


def cmd_digest(args) -> int:
    settings, engine = _engine(args)
    if not args.html and not args.send:
        raise InputError("Say what to do with the digest: --html FILE to write it, --send to deliver it, or both.")
    page, sections = action_digest.build(engine, settings, since=args.since, lang=args.lang, actor=CLI_USER)
    if args.html:
        Path(args.html).write_text(page, encoding="utf-8")
    sent = send_digest(page, settings) if args.send else []
    _emit(args, {"file": args.html, "sections": sections, "sent": sent},
          f"Digest: {len(sections)} sections" + (f", written to {args.html}" if args.html else "")
          + (f", sent ({', '.join(sent)})" if sent else "") + ".")
    return 0


def cmd_export(args) -> int:
    _, engine = _engine(args)
    rows = export_texts(engine, CLI_USER)
    if args.json:
        print(json.dumps({"texts": rows}, ensure_ascii=False, indent=2, default=str))
    else:
        for r in rows:
            print(tsv_line((r["id"], r["kind"], r["text"])))
    return 0


def cmd_backup(args) -> int:
    _, engine = _engine(args)
    counts = backup(engine, args.file, CLI_USER)
    _emit(args, {"file": args.file, "rows": counts}, f"Backup written to {args.file} ({sum(counts.values())} rows).")
    return 0


def cmd_restore(args) -> int:
    _, engine = _engine(args)
    counts = restore(engine, args.file, CLI_USER)
    _emit(args, {"file": args.file, "rows": counts}, f"Restored {sum(counts.values())} rows from {args.file}.")
    return 0


def cmd_erase(args) -> int:
    settings, engine = _engine(args)
    counts = erase_respondent(engine, settings, CLI_USER, args.respondent_id)
    _emit(args, {"erased": counts}, f"Erased {sum(counts.values())} rows of this respondent.")
    return 0


def _password(args) -> str:
    """The new account's password: --password, --password-file ("-" for standard input), else a prompt on
    the terminal; without a terminal, the first line of standard input."""
    if args.password:
        return args.password
    if args.password_file:
        try:
            path = args.password_file
            text = sys.stdin.read() if path == "-" else Path(path).read_text("utf-8")
        except OSError as exc:
            raise InputError(f"Cannot read the password file {args.password_file}: {exc.strerror}.") from exc
        return text.splitlines()[0] if text.strip() else ""
    if sys.stdin.isatty():
        return getpass.getpass(f"Password for {args.username}: ")
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise InputError("No password given and no terminal to ask for one. Pass --password-file FILE, "
                         "or the password on standard input "
                         "(echo ... | python -m eevp user NAME --role ROLE).")
    return line


def cmd_user(args) -> int:
    settings, _ = _engine(args)
    password = _password(args)
    user = add_user(settings, CLI_USER, args.username, password, args.role, tuple(args.department or ()))
    _emit(args, {"username": user.username, "role": user.role}, f"Account {user.username} ({user.role}) saved.")
    return 0


def cmd_action(args) -> int:
    """``action add`` / ``action list`` / ``action update``: the register of actions (as the CLI user)."""
    settings, engine = _engine(args)
    if args.action_command == "add":
        new_id = actions.create_action(engine, settings, args.target, args.title, args.owner, args.due, actor=CLI_USER)
        shown = actions.get_action(engine, new_id, actor=CLI_USER)
        _emit(args, shown, f"Action {new_id} created on {shown['target']} (owner {shown['owner']}).")
    elif args.action_command == "list":
        table = actions.list_actions(engine, actor=CLI_USER, status=args.status, owner=args.owner, kind=args.kind)
        rows = actions.records(table.drop(columns=["model_row"]))
        _emit(args, {"actions": rows}, "\n".join(_action_line(r) for r in rows) or "No actions.")
    else:
        shown = actions.update_action(engine, args.id, actor=CLI_USER, status=args.status, note=args.note)
        _emit(args, shown, f"Action {args.id}: {shown['status']}.")
    return 0


def _action_line(r: dict) -> str:
    flags = "".join([" OVERDUE" if r["overdue"] else "", " TARGET GONE" if r["target_gone"] else ""])
    return tsv_line((r["id"], r["status"] + flags, r["due"] or "", r["owner"], r["target"], r["title"]))
