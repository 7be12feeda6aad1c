"""Readers (threads and processes) while one writer ingests: no errors, no lost rows, no half batches.

Runs on whatever database the ``engine`` fixture gives: SQLite in WAL mode by default,
PostgreSQL when ``EEVP_TEST_DATABASE_URL`` is set.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import text

from eevp.store import queries
from eevp.store.batches import list_batches
from eevp.intake.ingest import ingest_file
from eevp.store.auth import CLI_USER

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]

MAPPING = {"respondent_id": "respondent_id", "wave": "wave", "role": "role", "department": "department",
           "enps": "enps", "items": ["Career growth", "Manager support"], "text": ["Comment"]}
ROLES = ["Engineer", "Sales Rep", "Analyst", "Support Agent"]

# One statement, so one snapshot on both databases (PostgreSQL's READ COMMITTED gives each
# statement its own): rows seen must always equal what the visible batches say they hold.
SNAPSHOT = text("SELECT (SELECT COUNT(*) FROM batches), (SELECT COALESCE(SUM(rows_stored), 0) FROM batches), "
                "(SELECT COUNT(*) FROM survey_responses), (SELECT COUNT(*) FROM text_units)")


def survey_csv(batch: int, rows: int) -> bytes:
    lines = ["respondent_id,wave,role,department,enps,Career growth,Manager support,Comment"]
    for i in range(rows):
        comment = f"Batch {batch} person {i} says customers wait." if i % 2 == 0 else ""
        lines.append(f"b{batch}-{i},2026-Q{1 + batch % 4},{ROLES[i % 4]},D{i % 3},{(i + batch) % 11},"
                     f"{i % 5 + 1},{(i + batch) % 5 + 1},{comment}")
    return ("\n".join(lines) + "\n").encode()


def write_batches(engine, settings, batch_nos: range, rows: int, errors: list, pause: float = 0.0,
                  wait_for: threading.Event | None = None) -> None:
    """Ingest one file per batch number (after ``wait_for`` is set, if given: at most 60 s)."""
    try:
        if wait_for is not None:
            wait_for.wait(timeout=60)
        for b in batch_nos:
            ingest_file(engine, settings, "survey", survey_csv(b, rows), f"wave{b}.csv", MAPPING, actor=CLI_USER)
            time.sleep(pause)
    except Exception as exc:  # noqa: BLE001 - reported by the test
        errors.append(("writer", repr(exc)))


def read_until(engine, stop: threading.Event, seen: list, errors: list) -> None:
    """Read in a loop (snapshot counts, the batch list, the survey frame) until told to stop."""
    try:
        while True:
            done = stop.is_set()
            with engine.connect() as conn:
                seen.append(tuple(conn.execute(SNAPSHOT).one()))
            list_batches(engine)
            queries.survey_wide(engine)
            if done:
                return
            time.sleep(0.01)  # leave the writer some of the GIL
    except Exception as exc:  # noqa: BLE001 - reported by the test
        errors.append(("reader", repr(exc)))


def final_counts(engine) -> tuple:
    with engine.connect() as conn:
        return tuple(conn.execute(SNAPSHOT).one())


def test_thread_readers_during_writes_see_whole_batches_only(engine, settings):
    n_batches, rows = 6, 200
    stop, errors = threading.Event(), []
    seen: list[list] = [[] for _ in range(3)]
    readers = [threading.Thread(target=read_until, args=(engine, stop, s, errors)) for s in seen]
    for t in readers:
        t.start()
    write_batches(engine, settings, range(n_batches), rows, errors)
    stop.set()
    for t in readers:
        t.join(timeout=60)

    assert errors == []
    assert final_counts(engine) == (n_batches, n_batches * rows, n_batches * rows, n_batches * rows // 2)
    for obs in seen:
        assert obs, "a reader never read"
        # A reader sees whole batches only, and never goes back in time.
        assert all(batches_rows == responses and units == batches * rows // 2
                   for batches, batches_rows, responses, units in obs)
        assert [o[0] for o in obs] == sorted(o[0] for o in obs)
    # The readers did overlap the writes (otherwise this test proves nothing).
    assert any(0 < o[0] < n_batches for obs in seen for o in obs)


def test_process_readers_during_writes(engine, settings, tmp_path):
    n_batches, rows = 6, 200
    env = {**os.environ, "EEVP_DATA_DIR": str(tmp_path), "HF_HUB_OFFLINE": "1"}
    env.pop("EEVP_MIN_GROUP", None)
    commands = [["batches", "--json"], ["report", "survey", "--by", "role", "--json"]]
    results: list[tuple] = []
    errors: list = []
    # Half the batches first; the writer thread adds the rest once the first round of reader
    # processes (which take a second or two to start) is done, while later rounds read.
    write_batches(engine, settings, range(n_batches // 2), rows, errors)
    first_round = threading.Event()
    writer = threading.Thread(target=write_batches, args=(engine, settings, range(n_batches // 2, n_batches), rows,
                                                          errors, 0.3, first_round))

    def run_readers():
        # Two processes at a time, again and again, until the writer is done (and at least once after).
        while True:
            done = not writer.is_alive()
            procs = [subprocess.Popen([sys.executable, "-m", "eevp", *cmd, "--db", settings.database_url],
                                      cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                     for cmd in commands]
            for cmd, p in zip(commands, procs):
                out, err = p.communicate(timeout=120)
                results.append((cmd[0], p.returncode, out, err))
            first_round.set()
            if done:
                return

    writer.start()
    run_readers()
    writer.join(timeout=120)

    assert errors == []
    assert all(rc == 0 for _, rc, _, _ in results), [(c, rc, err[-300:]) for c, rc, _, err in results if rc]
    batch_lists = [json.loads(out)["batches"] for cmd, _, out, _ in results if cmd == "batches"]
    reports = [json.loads(out) for cmd, _, out, _ in results if cmd == "report"]
    for listed in batch_lists:
        assert all(b["rows_stored"] == rows for b in listed)
        assert len(listed) <= n_batches
    assert len(batch_lists[-1]) == n_batches  # the last reader ran after the writer finished
    assert len(batch_lists[0]) == n_batches // 2
    last = {g["group"]: g["n"] for g in reports[-1]["groups"]}
    assert last == {role: n_batches * rows // 4 for role in ROLES}
    for report in reports:  # whole batches only: every role has rows/4 answers in each batch
        ns = {g["group"]: g["n"] for g in report["groups"]}
        assert not ns or (set(ns) == set(ROLES) and len(set(ns.values())) == 1
                          and ns["Engineer"] % (rows // 4) == 0), ns
    assert final_counts(engine) == (n_batches, n_batches * rows, n_batches * rows, n_batches * rows // 2)
    assert len(queries.score_rows(engine)) == 2 * n_batches * rows
