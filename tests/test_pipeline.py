"""The analysis status file that lets the app show a run started elsewhere."""

import json
import os
import subprocess
import sys

from eevp.pipeline import _reporting, _write_status, read_status, run_all, status_path
from eevp.store.auth import CLI_USER


def test_no_status_before_any_run(settings):
    assert read_status(settings) is None


def test_progress_is_passed_on_and_written_for_the_app(settings):
    seen = []
    report = _reporting(settings, lambda s, d, n: seen.append((s, d, n)))
    report("embedding", 3, 10)
    assert seen == [("embedding", 3, 10)]
    status = read_status(settings)
    assert (status["state"], status["step"], status["done"], status["total"]) == ("running", "embedding", 3, 10)
    assert status["pid"] == os.getpid()


def test_a_run_whose_process_died_reads_as_interrupted(settings):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    _write_status(settings, state="running", step="fitting themes", done=1, total=3)
    data = json.loads(status_path(settings).read_text())
    data["pid"] = int(dead.stdout)
    status_path(settings).write_text(json.dumps(data))
    assert read_status(settings)["state"] == "interrupted"


def test_a_broken_status_file_is_ignored(settings):
    status_path(settings).write_text("{not json")
    assert read_status(settings) is None


def test_a_cancelled_run_is_recorded_as_cancelled(settings, engine, monkeypatch):
    import pytest

    import eevp.pipeline as pipeline

    def stop(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "_run_all", stop)
    with pytest.raises(KeyboardInterrupt):
        pipeline.run_all(engine, settings, actor=CLI_USER)
    assert read_status(settings)["state"] == "cancelled"


# --------------------------------------------------------------------------- the background worker

#: A stand-in worker: the real run_all (lock, status file) around a fake analysis that reports one
#: step, waits for the test to let it go on, reports the last step and returns counts.
FAKE_WORKER = """
import sys, time
from pathlib import Path
import eevp.pipeline as p
from eevp.settings import Settings
from eevp.store.auth import User
from eevp.store.db import connect

go = Path(sys.argv[1])
def fake(engine, settings, actor, *, refit, embedder, progress, steps=None):
    progress("embedding", 1, 2)
    while not go.exists():
        time.sleep(0.05)
    if go.read_text() == "crash":
        import os; os._exit(9)
    progress("fitting themes", 2, 2)
    return {"units": 7, "themes": 2, "customer_themes": 1, "notes": []}
p._run_all = fake
settings = Settings.from_env()
p.run_all(connect(settings.database_url), settings, actor=User("ann", "hr"))
"""


def _wait_for(settings, check, seconds=60):
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        status = read_status(settings)
        if status and check(status):
            return status
        time.sleep(0.05)
    raise AssertionError(f"status never reached the expected state: {read_status(settings)}")


def _fake(tmp_path):
    go = tmp_path / "go"
    return go, [sys.executable, "-c", FAKE_WORKER, str(go)]


def test_a_background_run_reports_its_steps_and_ends_done(settings):
    from eevp.pipeline import lock_path, start_analysis
    from eevp.store.auth import User

    go, command = _fake(settings.data_dir)
    pid = start_analysis(settings, actor=User("ann", "hr"), command=command)
    assert pid != os.getpid()
    status = _wait_for(settings, lambda s: s["step"] == "embedding")
    assert (status["state"], status["done"], status["total"], status["pid"]) == ("running", 1, 2, pid)
    assert json.loads(lock_path(settings).read_text())["pid"] == pid  # the worker holds the lock
    go.write_text("go")
    status = _wait_for(settings, lambda s: s["state"] != "running")
    assert (status["state"], status["themes"], status["customer_themes"]) == ("done", 2, 1)
    assert not lock_path(settings).exists()


def test_a_second_start_is_refused_while_one_runs(settings):
    import pytest

    from eevp.errors import AnalysisRunning
    from eevp.pipeline import start_analysis
    from eevp.store.auth import User

    go, command = _fake(settings.data_dir)
    start_analysis(settings, actor=User("ann", "hr"), command=command)
    _wait_for(settings, lambda s: s["step"] == "embedding")
    with pytest.raises(AnalysisRunning, match="running already"):
        start_analysis(settings, actor=CLI_USER, command=command)
    with pytest.raises(AnalysisRunning):  # the command line is refused too
        run_all(None, settings, actor=CLI_USER)
    go.write_text("go")
    _wait_for(settings, lambda s: s["state"] == "done")
    go.unlink()
    start_analysis(settings, actor=User("ann", "hr"), command=command)  # free again once it has ended
    go.write_text("go")
    _wait_for(settings, lambda s: s["state"] == "done" and s["themes"] == 2)


def test_a_crashed_worker_is_reported_and_frees_the_lock(settings):
    from eevp.pipeline import lock_path, start_analysis
    from eevp.store.auth import User

    go, command = _fake(settings.data_dir)
    pid = start_analysis(settings, actor=User("ann", "hr"), command=command)
    _wait_for(settings, lambda s: s["step"] == "embedding")
    go.write_text("crash")
    # read at once it is "interrupted" (the pid is gone); the starter then records how it ended
    status = _wait_for(settings, lambda s: s["state"] == "failed")
    assert status["state"] == "failed" and status["code"] == 9 and status["pid"] == pid
    assert "stopped unexpectedly" in status["step"]
    _wait_for(settings, lambda s: not lock_path(settings).exists())


def test_a_lock_left_by_a_dead_process_is_taken_over(settings):
    from eevp.pipeline import lock_path, start_analysis
    from eevp.store.auth import User

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    lock_path(settings).write_text(json.dumps({"pid": int(dead.stdout), "token": "old"}))
    go, command = _fake(settings.data_dir)
    go.write_text("go")
    start_analysis(settings, actor=User("ann", "hr"), command=command)
    assert _wait_for(settings, lambda s: s["state"] != "running")["state"] == "done"


def test_a_role_without_analyze_may_not_start_one(settings):
    import pytest

    from eevp.errors import AccessDenied
    from eevp.pipeline import lock_path, start_analysis
    from eevp.store.auth import User

    with pytest.raises(AccessDenied):
        start_analysis(settings, actor=User("vic", "viewer"), command=[sys.executable, "-c", "pass"])
    with pytest.raises(AccessDenied):
        start_analysis(settings, actor=User("ann", "hr"), refit=True, command=[sys.executable, "-c", "pass"])
    assert not lock_path(settings).exists() and read_status(settings) is None


def test_the_real_worker_runs_the_cli_as_the_account(settings, engine):
    from eevp.pipeline import start_analysis
    from eevp.store.auth import User
    from tests.conftest import give_account

    ann = User("ann", "hr")
    give_account(settings.data_dir, ann)
    start_analysis(settings, actor=ann)  # an empty database: the run ends with "too few units" notes
    status = _wait_for(settings, lambda s: s["state"] not in ("running",), seconds=120)
    assert status["state"] == "done", (settings.data_dir / "analyze.log").read_text()
    assert status["actor"] == "ann"


def test_the_apps_cache_key_changes_when_a_run_ends_not_while_it_runs(settings, engine, monkeypatch):
    """A run updates theme sizes and assignments in place: a page drawn half-way must not keep them."""
    import webui.data
    from eevp.pipeline import _write_status

    monkeypatch.setattr(webui.data, "get_settings", lambda: settings)
    monkeypatch.setattr(webui.data, "get_engine", lambda: engine)
    before = webui.data.data_key()
    _write_status(settings, state="running", step="embedding", done=1, total=3)
    running = webui.data.data_key()
    assert running == before  # progress alone does not empty the caches
    _write_status(settings, state="running", step="themes", done=2, total=3)
    assert webui.data.data_key() == running
    _write_status(settings, state="done", step="done", done=3, total=3)
    ended = webui.data.data_key()
    assert ended != running
    assert webui.data.data_key() == ended  # stable until the next run ends


def test_a_batch_deleted_while_the_analysis_runs_starts_it_again_without_the_batch(settings, engine):
    """Clearing the demo while the analysis of an upload ran failed the analysis with the database's
    "FOREIGN KEY constraint failed" on the themes of text that was gone; it now starts again."""
    from sqlalchemy import func, select
    from test_analysis import steps
    from test_themes import FakeEmbedder

    from eevp.bootstrap import load_demo
    from eevp.pipeline import RESTARTED
    from eevp.store import db
    from eevp.store.batches import delete_batch, list_batches

    load_demo(engine, settings, actor=CLI_USER, n_employees=150)
    exits = int(list_batches(engine).query("kind == 'exit'")["id"].iloc[0])
    seen = []

    def progress(step, done, total):
        seen.append(step)
        if step == "saving themes" and done == 0 and exits not in deleted:
            deleted.add(delete_batch(engine, exits, actor=CLI_USER) and exits)

    deleted: set = set()
    out = run_all(engine, settings, actor=CLI_USER, embedder=FakeEmbedder(), steps=steps(4), progress=progress)
    assert deleted == {exits} and RESTARTED in seen
    assert seen.index(RESTARTED) > seen.index("saving themes")
    assert read_status(settings)["state"] == "done" and out["themes"] > 0
    a, tu = db.theme_assignments, db.text_units
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(a).where(a.c.batch_id == exits)).scalar() == 0
        assigned = set(conn.execute(select(a.c.unit_id).distinct()).scalars())
        units = set(conn.execute(select(tu.c.id)).scalars())
    assert assigned and assigned <= units
