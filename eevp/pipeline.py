"""The whole analysis run: text themes, customer tags, customer themes (CLI ``analyze`` and the app)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Callable

from sqlalchemy.engine import Engine

from eevp.analytics.alerts import save_snapshot
from eevp.analytics.customers import tag_units
from eevp.analytics.voice_match import analyze_voice
from eevp.errors import TooFewUnitsError
from eevp.settings import Settings
from eevp.store.auth import User, require
from eevp.themes.run import analyze

Progress = Callable[[str, int, int], None]


def status_path(settings: Settings) -> Path:
    return Path(settings.data_dir) / "analysis-status.json"


def read_status(settings: Settings) -> dict | None:
    """The last analysis run's status (state running/done/failed, step, done, total), or None.

    A run whose process is gone without finishing is reported as ``interrupted``.
    """
    try:
        status = json.loads(status_path(settings).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if status.get("state") == "running" and not _alive(status.get("pid")):
        status["state"] = "interrupted"
    return status


def _alive(pid) -> bool:
    try:
        os.kill(int(pid), 0)
    except (TypeError, ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def _write_status(settings: Settings, **status) -> None:
    path = status_path(settings)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"pid": os.getpid(), "at": time.time(), **status}), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # the status file is a courtesy for the app; never fail an analysis over it


def _reporting(settings: Settings, progress: Progress | None) -> Progress:
    """Wrap ``progress`` so that the app can show a run started elsewhere (the CLI, a first start)."""
    last = [0.0]

    def report(step: str, done: int, total: int) -> None:
        if progress:
            progress(step, done, total)
        now = time.monotonic()
        if now - last[0] > 0.5 or done >= total:
            last[0] = now
            _write_status(settings, state="running", step=step, done=done, total=total)

    return report


def run_all(engine: Engine, settings: Settings, *, actor: User, refit: bool = False, embedder=None,
            progress: Progress | None = None, steps: dict | None = None) -> dict:
    """Analyse all text, then tag statements and build the customer themes, as ``actor`` (whose
    role must allow the analysis, or a refit when ``refit``: AccessDenied otherwise, before anything
    is written).

    ``steps``: the injected reducer / clusterer / vectorizer of every fit (see :func:`eevp.themes.run.analyze`).

    Returns the CLI's JSON: units, embedded_new, themes, outlier_share, customer_themes, customer_feedback
    (see :func:`eevp.analytics.voice_match.analyze_voice`), notes.
    """
    require(actor, "refit" if refit else "analyze")
    _write_status(settings, state="running", step="starting", done=0, total=1)
    try:
        out = _run_all(engine, settings, actor, refit=refit, embedder=embedder, progress=_reporting(settings, progress),
                       steps=steps)
    except BaseException as exc:  # also a cancel (the app stops its script) or Ctrl+C
        state = "failed" if isinstance(exc, Exception) else "cancelled"
        _write_status(settings, state=state, step=str(exc)[:300], done=0, total=1)
        raise
    _write_status(settings, state="done", step="done", done=1, total=1)
    return out


def _run_all(engine: Engine, settings: Settings, actor: User, *, refit: bool, embedder, progress: Progress,
             steps: dict | None = None) -> dict:
    notes = []
    try:
        out = analyze(engine, settings, actor=actor, refit=refit, embedder=embedder, progress=progress, scope="all",
                      steps=steps)
    except TooFewUnitsError as exc:
        out = {"units": 0, "embedded_new": 0, "themes": 0, "outlier_share": 0.0}
        notes.append(str(exc))
    tag_units(engine, actor=actor, progress=progress)
    try:
        cust = analyze(engine, settings, actor=actor, refit=refit, embedder=embedder, progress=progress,
                       scope="customers", steps=steps)
        out["customer_themes"] = cust["themes"]
    except TooFewUnitsError as exc:
        out["customer_themes"] = 0
        notes.append(str(exc))
    out["customer_feedback"] = analyze_voice(engine, settings, actor=actor, embedder=embedder, steps=steps,
                                             progress=progress)
    out["notes"] = notes
    progress("alerts", 0, 1)
    save_snapshot(engine, settings, actor=actor)  # Home's "since the last upload"
    progress("alerts", 1, 1)
    return out
