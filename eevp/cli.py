"""Command line: ``python -m eevp COMMAND``. Parses, calls the library, prints.

Domain errors (:class:`eevp.errors.EevpError`) are turned into messages here, once.
Exit codes: 0 done; 2 input rejected (nothing stored); 1 any other failure.

The commands live in :mod:`eevp.commands`, imported by name once the command line is parsed: the
parser itself needs nothing heavy, so ``--help`` and a mistyped command answer at once.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time

from eevp.errors import EevpError

#: The module holding ``cmd_NAME`` for each command (imported after parsing).
COMMANDS_MODULE = "eevp.commands"
#: The source kinds and action statuses the parser offers (the library's ``KINDS`` and ``STATUSES``,
#: written out so that parsing imports nothing; a test keeps them equal).
KIND_CHOICES = ("survey", "exit", "focus", "evp_catalog", "evp_ratings", "customer_feedback")
ACTION_STATUSES = ("open", "in progress", "done", "dropped")


# --------------------------------------------------------------------------- parser

def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="SQLAlchemy URL (default: EEVP_DATABASE_URL or data/eevp.db)")
    common.add_argument("--json", action="store_true", help="print JSON")

    p = argparse.ArgumentParser(prog="python -m eevp", description="eevp: employee-experience insight.",
                                parents=[common])
    sub = p.add_subparsers(dest="command", required=True)

    sub.add_parser("init", parents=[common], help="create or upgrade the database").set_defaults(fn="cmd_init")
    d = sub.add_parser("demo", parents=[common], help="load the demo organisation (replaces earlier demo data)")
    d.add_argument("--seed", type=int, default=42)
    d.add_argument("--clear", action="store_true", help="delete the demo data instead")
    d.add_argument("--if-empty", action="store_true", help="load only into an empty database")
    d.set_defaults(fn="cmd_demo")
    sub.add_parser("batches", parents=[common], help="list stored batches").set_defaults(fn="cmd_batches")
    dl = sub.add_parser("delete", parents=[common], help="delete a batch and everything derived from it")
    dl.add_argument("batch_id", type=int)
    dl.set_defaults(fn="cmd_delete")
    ig = sub.add_parser("ingest", parents=[common], help="store a file of one source kind")
    ig.add_argument("kind", choices=list(KIND_CHOICES))
    ig.add_argument("file")
    ig.add_argument("--mapping", help="JSON file: canonical field → source column")
    ig.add_argument("--name")
    ig.add_argument("--sheet", help="XLSX sheet name (default: the first)")
    ig.add_argument("--skip-invalid", action="store_true", help="store the valid rows and reject the rest")
    ig.add_argument("--strict", action="store_true",
                    help="refuse the file when an unmapped column looks like eNPS or a rating item")
    ig.set_defaults(fn="cmd_ingest")
    _add_analysis_commands(sub, common)
    return p


def _add_analysis_commands(sub, common) -> None:
    """Analysis, reports and the data lifecycle."""
    a = sub.add_parser("analyze", parents=[common], help="languages, sentiment, embeddings, themes, customer tags")
    a.add_argument("--refit", action="store_true", help="fit the themes anew instead of adding to them")
    a.add_argument("--as-user", help="act as this account (the app's background worker; default: the CLI's admin)")
    a.set_defaults(fn="cmd_analyze")

    em = sub.add_parser("embed", parents=[common], help="only fill the embedding cache (e.g. on a GPU machine)")
    em.add_argument("--embedder", help="model name or folder (default: the setting EEVP_EMBEDDER)")
    em.add_argument("--device", help="cpu, cuda, cuda:1... (sentence-transformers models; default: GPU if seen)")
    em.add_argument("--batch-size", type=int, help="texts per forward pass")
    em.add_argument("--worker", help="this worker's name when several share the database (default: host:pid)")
    em.set_defaults(fn="cmd_embed")

    r = sub.add_parser("report", parents=[common], help="aggregates with the anonymity rule (JSON with --json)")
    r.add_argument("what", choices=["survey", "evp", "exits", "themes", "customers", "voice"])
    r.add_argument("--by", help="role, department, location, tenure, wave or a segment column")
    r.add_argument("--wave")
    r.add_argument("--source", choices=["survey", "exit", "focus"], help="themes: one source only")
    r.set_defaults(fn="cmd_report")

    dg = sub.add_parser("digest", parents=[common], help="the leadership digest: one printable HTML page")
    dg.add_argument("--html", metavar="FILE", help="write the page to FILE")
    dg.add_argument("--since", metavar="WAVE", help="compare with this survey wave (default: the wave before)")
    dg.add_argument("--lang", choices=["en", "ru", "uk"], default="en")
    dg.add_argument("--send", action="store_true",
                    help="deliver it (EEVP_DIGEST_SMTP and EEVP_DIGEST_TO, or EEVP_DIGEST_WEBHOOK; off by default)")
    dg.set_defaults(fn="cmd_digest")

    e = sub.add_parser("export", parents=[common], help="export stored data (admin)")
    e.add_argument("what", choices=["texts"])
    e.set_defaults(fn="cmd_export")

    b = sub.add_parser("backup", parents=[common], help="write the whole database to a file")
    b.add_argument("file")
    b.set_defaults(fn="cmd_backup")
    rs = sub.add_parser("restore", parents=[common], help="replace the database with a backup")
    rs.add_argument("file")
    rs.set_defaults(fn="cmd_restore")

    er = sub.add_parser("erase", parents=[common], help="erase one respondent everywhere (right to erasure)")
    er.add_argument("respondent_id")
    er.set_defaults(fn="cmd_erase")

    u = sub.add_parser("user", parents=[common], help="add or update a local account")
    u.add_argument("username")
    u.add_argument("--role", required=True, choices=["admin", "hr", "cx", "viewer"])
    u.add_argument("--password", help="(prompted when omitted; visible to other users of the machine)")
    u.add_argument("--password-file",
                   help="read the password from this file's first line ('-': standard input)")
    u.add_argument("--department", action="append", help="viewer: limit to this department (repeatable)")
    u.set_defaults(fn="cmd_user")
    _add_action_commands(sub, common)


def _add_action_commands(sub, common) -> None:
    """``action add|list|update``."""
    act = sub.add_parser("action", parents=[common], help="actions with owners and due dates")
    verbs = act.add_subparsers(dest="action_command", required=True)
    add = verbs.add_parser("add", parents=[common], help="create an action on a theme, item, EVP gap or exit reason")
    add.add_argument("--target", required=True,
                     help="KIND:ID, KIND one of theme, customer_theme, item, evp_gap, exit_reason "
                          "(theme:12, item:Workload|department=Sales, evp_gap:Gym|Engineer, exit_reason:Pay)")
    add.add_argument("--title", required=True)
    add.add_argument("--owner", required=True, help="an account's username")
    add.add_argument("--due", help="YYYY-MM-DD")
    ls = verbs.add_parser("list", parents=[common], help="list actions (overdue ones flagged)")
    ls.add_argument("--status", choices=list(ACTION_STATUSES))
    ls.add_argument("--owner")
    ls.add_argument("--kind")
    up = verbs.add_parser("update", parents=[common], help="set an action's status and/or add a note")
    up.add_argument("id", type=int)
    up.add_argument("--status", choices=list(ACTION_STATUSES))
    up.add_argument("--note")
    act.set_defaults(fn="cmd_action")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        return getattr(importlib.import_module(COMMANDS_MODULE), args.fn)(args)
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
