"""The whole analysis run: text themes, customer tags, customer themes (CLI ``analyze`` and the app)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Callable

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from eevp.actions.demo import seed_demo_actions
from eevp.analytics.alerts import save_snapshot
from eevp.analytics.customers import tag_units
from eevp.analytics.voice_match import analyze_voice
from eevp.errors import AnalysisRunning, TooFewUnitsError
from eevp.settings import Settings
from eevp.store.auth import DEMO_USER, User, require
from eevp.store.batches import batch_ids, has_demo
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
    return not _zombie(int(pid))


def _zombie(pid: int) -> bool:
    """A process that has ended but was not yet waited for (Linux; elsewhere: assumed not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


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
    token = _claim_lock(settings, actor, os.environ.get(TOKEN_ENV))
    _write_status(settings, state="running", step="starting", done=0, total=1, actor=actor.username)
    try:
        out = _run_while_data_stays(engine, settings, actor, refit=refit, embedder=embedder,
                                    progress=_reporting(settings, progress), steps=steps)
    except BaseException as exc:  # also a cancel (the app stops its script) or Ctrl+C
        state = "failed" if isinstance(exc, Exception) else "cancelled"
        _write_status(settings, state=state, step=str(exc)[:300], done=0, total=1)
        raise
    finally:
        _release_lock(settings, token)
    _write_status(settings, state="done", step="done", done=1, total=1, actor=actor.username, **_counts(out))
    return out


#: How often a run starts again when batches were deleted while it ran.
RESTARTS = 2
RESTARTED = "starting again: data was deleted during the analysis"


def _run_while_data_stays(engine: Engine, settings: Settings, actor: User, *, progress: Progress, **options) -> dict:
    """:func:`_run_all`, started again (up to :data:`RESTARTS` times) when a batch that was there when it
    started was deleted while it ran: the step that stores results for the deleted text fails (the database
    refuses rows of text that is gone) and stores nothing (one transaction), and themes fitted on deleted
    text must not be kept; steps before it stored results the deletion has dealt with (it marks the theme
    models it touched stale). Demo data cleared while the first analysis of an upload runs is the common
    case."""
    attempt = 0
    while True:
        before = batch_ids(engine)
        try:
            return _run_all(engine, settings, actor, progress=progress, **options)
        except IntegrityError:
            attempt += 1
            if attempt > RESTARTS or before <= batch_ids(engine):
                raise
        progress(RESTARTED, 0, 1)


def _counts(out: dict) -> dict:
    return {k: out.get(k) for k in ("units", "themes", "customer_themes")}


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
    if has_demo(engine):  # the demo's actions on its planted customer themes, which exist only now
        seed_demo_actions(engine, settings, actor=DEMO_USER)
    return out


# --------------------------------------------------------------------------- the background worker

#: The worker started by :func:`start_analysis` finds its claim on the lock under this variable.
TOKEN_ENV = "EEVP_ANALYSIS_TOKEN"
WORKER_DIED = "The analysis worker stopped unexpectedly; see analyze.log in the data folder, then start it again."


def lock_path(settings: Settings) -> Path:
    return Path(settings.data_dir) / "analysis.lock"


def start_analysis(settings: Settings, *, actor: User, refit: bool = False, command: list[str] | None = None) -> int:
    """Start the analysis in a worker process (``python -m eevp analyze``) and return at once.

    The run survives page changes and closed browsers; its progress is in the status file
    (:func:`read_status`) for every page to show. Only one runs at a time: the lock file in the data
    folder holds the worker's pid, and a lock whose process is gone is taken over.

    Args:
        settings: the settings the worker runs with (data folder, database, embedder, thresholds).
        actor: who starts it (the worker acts as this account; it needs ``analyze``, or ``refit``).
        refit: rebuild every theme instead of adding new text to them.
        command: the worker's command line (tests); default ``python -m eevp analyze``.

    Returns:
        The worker's process id.

    Raises:
        AccessDenied: the role may not analyse (or refit).
        AnalysisRunning: an analysis is running already.
    """
    require(actor, "refit" if refit else "analyze")
    token = _claim_lock(settings, actor, None)
    try:
        proc = _spawn(settings, actor, refit, command, token)
    except OSError:
        _release_lock(settings, token)
        raise
    _write_lock(settings, proc.pid, token, actor)
    _write_status(settings, state="running", step="starting", done=0, total=1, pid=proc.pid, actor=actor.username)
    threading.Thread(target=_reap, args=(settings, proc, token), daemon=True).start()
    return proc.pid


def _spawn(settings: Settings, actor: User, refit: bool, command, token: str) -> subprocess.Popen:
    root = str(Path(__file__).resolve().parents[1])
    cmd = command or [sys.executable, "-m", "eevp", "analyze", "--json", "--as-user", actor.username]
    cmd = cmd + (["--refit"] if refit and command is None else [])
    env = {**os.environ, TOKEN_ENV: token, "EEVP_DATA_DIR": str(settings.data_dir),
           "EEVP_DATABASE_URL": settings.database_url, "EEVP_EMBEDDER": settings.embedder,
           "EEVP_MIN_GROUP": str(settings.min_group_size), "EEVP_MIN_COMMENT_GROUP": str(settings.min_comment_group),
           "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    with open(Path(settings.data_dir) / "analyze.log", "ab") as log:
        return subprocess.Popen(cmd, env=env, cwd=root, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)


def _reap(settings: Settings, proc: subprocess.Popen, token: str) -> None:
    """Wait for the worker (no zombie is left) and report one that died without saying so."""
    code = proc.wait()
    status = read_status(settings) or {}
    if status.get("state") in ("running", "interrupted") and status.get("pid") == proc.pid:
        _write_status(settings, state="failed", step=WORKER_DIED, done=0, total=1, pid=proc.pid, code=code)
    _release_lock(settings, token)


def _read_lock(settings: Settings) -> dict | None:
    try:
        return json.loads(lock_path(settings).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _claim_lock(settings: Settings, actor: User, token: str | None) -> str:
    """Take the analysis lock (or the one the starter took for this worker: ``token``); its token."""
    held = _read_lock(settings)
    if token and held and held.get("token") == token:
        _write_lock(settings, os.getpid(), token, actor)
        return token
    if held and _alive(held.get("pid")):
        _refuse()
    if held is None and _fresh(lock_path(settings)):  # being written by a start this very moment
        _refuse()
    lock_path(settings).unlink(missing_ok=True)  # none, or left by a process that is gone
    token = uuid.uuid4().hex
    lock_path(settings).parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(lock_path(settings), os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:  # another start won the race between the check and the create
        _refuse()
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({"pid": os.getpid(), "token": token, "actor": actor.username, "at": time.time()}, f)
    return token


def _refuse() -> None:
    raise AnalysisRunning("An analysis is running already. Wait until it ends: its progress is shown in the sidebar "
                          "of every page.")


def _fresh(path: Path, seconds: float = 5.0) -> bool:
    try:
        return time.time() - path.stat().st_mtime < seconds
    except OSError:
        return False


def _write_lock(settings: Settings, pid: int, token: str, actor: User) -> None:
    tmp = lock_path(settings).with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"pid": pid, "token": token, "actor": actor.username, "at": time.time()}),
                   encoding="utf-8")
    tmp.replace(lock_path(settings))


def _release_lock(settings: Settings, token: str) -> None:
    held = _read_lock(settings)
    if held is not None and held.get("token") == token:
        lock_path(settings).unlink(missing_ok=True)
