"""The analysis status file that lets the app show a run started elsewhere."""

import json
import os
import subprocess
import sys

from eevp.pipeline import _reporting, _write_status, read_status, status_path
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


def test_a_cancelled_run_is_recorded_as_cancelled(settings, monkeypatch):
    import pytest

    import eevp.pipeline as pipeline

    def stop(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "_run_all", stop)
    with pytest.raises(KeyboardInterrupt):
        pipeline.run_all(None, settings, actor=CLI_USER)
    assert read_status(settings)["state"] == "cancelled"
