"""Data lifecycle: a killed ingest leaves no trace, erasure, backup/restore, export of texts."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import delete, func, insert, select

from eevp.store import db, queries
from eevp.store.auth import CLI_USER, User
from eevp.store.batches import delete_batch
from eevp.errors import AccessDenied, NotFoundError
from eevp.hashing import keyed_hash, text_hash
from eevp.intake.ingest import ingest_file
from eevp.store.lifecycle import backup, erase_respondent, export_texts, restore

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]

MAPPING = {"respondent_id": "respondent_id", "wave": "wave", "role": "role", "department": "department",
           "enps": "enps", "items": ["Career growth", "Manager support"], "text": ["Comment"],
           "identifiers": ["name"]}
HEADER = "respondent_id,name,wave,role,department,enps,Career growth,Manager support,Comment\n"
SURVEY = HEADER + (
    "r1,Olena Petrenko,2026-Q1,Engineer,IT,9,4,5,Olena Petrenko fixed the billing bug for the customer.\n"
    "r2,Ivan Sydorenko,2026-Q1,Engineer,IT,6,2,3,Shared words about slow deliveries.\n"
    "r3,Maria Koval,2026-Q1,Sales Rep,Sales,10,5,5,Shared words about slow deliveries.\n"
    "r4,Petro Bondar,2026-Q1,Sales Rep,Sales,7,3,4,\n"
    "r1,Olena Petrenko,2026-Q2,Engineer,IT,8,4,4,Customers still wait for refunds.\n"
)


def count(engine, table, where=None) -> int:
    stmt = select(func.count()).select_from(table)
    if where is not None:
        stmt = stmt.where(where)
    with engine.connect() as conn:
        return conn.execute(stmt).scalar_one()


def dump(engine) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order: two equal dumps mean equal databases."""
    out = {}
    with engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(r) for r in rows]
    return out


@pytest.fixture
def stored(engine, settings):
    """The survey above, stored; r1's units are tagged and embedded, and so is a text r2 and r3 share."""
    res = ingest_file(engine, settings, "survey", SURVEY.encode(), "survey.csv", MAPPING, actor=CLI_USER)
    with engine.begin() as conn:
        units = conn.execute(select(db.text_units.c.id, db.text_units.c.text_hash)).all()
        conn.execute(insert(db.statement_tags), [
            {"unit_id": u.id, "batch_id": res.batch_id, "about_customers": True, "incident": False} for u in units])
        conn.execute(insert(db.embeddings), [
            {"model_id": "m", "text_hash": h, "dim": 2, "vector": np.array([1, 2], "<f4").tobytes()}
            for h in sorted({u.text_hash for u in units})])
    return res


# --------------------------------------------------------------------------- (a) the kill test

KILL_ROWS = 25_000  # ~8 s of ingest here; big enough that the batch spills into the WAL long before commit


def _big_survey(path: Path, n: int) -> None:
    rng = np.random.default_rng(7)
    roles = np.array(["Engineer", "Sales Rep", "Support Agent", "Analyst"])
    words = np.array(["slow", "refund", "customer", "manager", "deliveries", "training", "pay", "shift"])
    role = roles[rng.integers(0, len(roles), n)]
    enps = rng.integers(0, 11, n)
    a, b = rng.integers(1, 6, n), rng.integers(1, 6, n)
    w1, w2 = words[rng.integers(0, len(words), n)], words[rng.integers(0, len(words), n)]
    lines = [f"e{i},2026-Q1,{role[i]},Dept {i % 9},{enps[i]},{a[i]},{b[i]},Comment {i}: the {w1[i]} and {w2[i]} issue."
             for i in range(n)]
    path.write_text("respondent_id,wave,role,department,enps,Career growth,Manager support,Comment\n"
                    + "\n".join(lines) + "\n", encoding="utf-8")


def _sqlite_counts(path: Path) -> dict:
    con = sqlite3.connect(path)
    try:
        q = lambda sql: con.execute(sql).fetchone()[0]
        return {
            "integrity": q("PRAGMA integrity_check"),
            "batches": q("SELECT COUNT(*) FROM batches"),
            "survey_responses": q("SELECT COUNT(*) FROM survey_responses"),
            "packed_scores": q("SELECT COUNT(*) FROM survey_responses WHERE item_scores IS NOT NULL"),
            "text_units": q("SELECT COUNT(*) FROM text_units"),
            "orphans": q("SELECT (SELECT COUNT(*) FROM survey_responses WHERE batch_id NOT IN (SELECT id FROM batches))"
                         " + (SELECT COUNT(*) FROM survey_scores WHERE batch_id NOT IN (SELECT id FROM batches))"
                         " + (SELECT COUNT(*) FROM text_units WHERE batch_id NOT IN (SELECT id FROM batches))"),
        }
    finally:
        con.close()


def test_killed_ingest_leaves_no_trace_and_rerun_succeeds(tmp_path):
    db_path = tmp_path / "kill.db"
    wal = Path(f"{db_path}-wal")
    url = f"sqlite:///{db_path}"
    csv, mapping = tmp_path / "BIG.csv", tmp_path / "mapping.json"
    _big_survey(csv, KILL_ROWS)
    mapping.write_text(json.dumps({k: v for k, v in MAPPING.items() if k != "identifiers"}))
    db.connect(url).dispose()  # schema first, so the WAL of the ingest is the batch's own writes
    env = {**os.environ, "EEVP_DATA_DIR": str(tmp_path), "HF_HUB_OFFLINE": "1"}
    cmd = [sys.executable, "-m", "eevp", "ingest", "survey", str(csv), "--db", url, "--mapping", str(mapping),
           "--json"]

    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    # Uncommitted pages spill into the WAL once the page cache (2 MB) is full: the insert is under way.
    while proc.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > 1024 * 1024:
            break
        time.sleep(0.02)
    if proc.poll() is not None:
        out, err = proc.communicate()
        pytest.fail(f"ingest ended (rc {proc.returncode}) before it could be killed: {err.decode()[-500:]}")
    assert time.monotonic() < deadline, "the ingest never started writing"
    wal_at_kill = wal.stat().st_size
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert wal_at_kill > 1024 * 1024

    assert _sqlite_counts(db_path) == {"integrity": "ok", "batches": 0, "survey_responses": 0, "packed_scores": 0,
                                       "text_units": 0, "orphans": 0}

    rerun = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, timeout=120, check=False)
    assert rerun.returncode == 0, rerun.stderr.decode()[-1000:]
    out = json.loads(rerun.stdout)
    assert (out["rows_read"], out["rows_stored"], out["rows_rejected"]) == (KILL_ROWS, KILL_ROWS, 0)
    after = _sqlite_counts(db_path)
    assert after == {"integrity": "ok", "batches": 1, "survey_responses": KILL_ROWS,
                     "packed_scores": KILL_ROWS, "text_units": KILL_ROWS, "orphans": 0}


# --------------------------------------------------------------------------- (b) erasure

def test_erase_respondent_removes_rows_units_tags_and_unused_embeddings(engine, settings, stored):
    key = keyed_hash("r1", settings.hash_key())
    shared = text_hash("Shared words about slow deliveries.")
    with engine.connect() as conn:
        r1_units = conn.execute(select(db.text_units.c.id, db.text_units.c.text_hash)
                                .where(db.text_units.c.respondent_key == key)).all()
        r1_responses = set(conn.execute(select(db.survey_responses.c.id)
                                        .where(db.survey_responses.c.respondent_key == key)).scalars())
    before, scores_before = dump(engine), queries.score_rows(engine)
    unit_ids = {u.id for u in r1_units}
    assert len(unit_ids) == 2 and len(r1_responses) == 2

    counts = erase_respondent(engine, settings, User("boss", "admin"), "r1")

    assert {k: counts[k] for k in ("survey_responses", "survey_scores", "text_units", "statement_tags",
                                   "embeddings")} == {"survey_responses": 2, "survey_scores": 0, "text_units": 2,
                                                      "statement_tags": 2, "embeddings": 2}
    after = dump(engine)
    # Everyone else is untouched: what is left is exactly the rows from before without r1's.
    assert after["survey_responses"] == [r for r in before["survey_responses"] if r[0] not in r1_responses]
    # r1's scores went with its responses (packed in them: ingest writes no long form)
    kept = scores_before[~scores_before["response_id"].isin(r1_responses)].reset_index(drop=True)
    assert len(kept) == len(scores_before) - 4
    pd.testing.assert_frame_equal(queries.score_rows(engine), kept)
    assert after["text_units"] == [r for r in before["text_units"] if r[0] not in unit_ids]
    assert after["statement_tags"] == [r for r in before["statement_tags"] if r[0] not in unit_ids]
    assert [r[1] for r in after["embeddings"]] == [shared]  # still used by r2 and r3; r1's two are gone
    assert len(after["survey_responses"]) == 3 and len(after["text_units"]) == 2
    assert after["batches"] == before["batches"]
    with engine.connect() as conn:
        audit = conn.execute(select(db.audit_log.c.username, db.audit_log.c.action)
                             .where(db.audit_log.c.action == "erase")).all()
    assert audit == [("boss", "erase")]
    with pytest.raises(NotFoundError):  # erased means gone: a second erasure finds nothing
        erase_respondent(engine, settings, User("boss", "admin"), "r1")


@pytest.mark.parametrize("role", ["viewer", "hr", "cx"])
def test_erase_refused_for_non_admins_and_nothing_changes(engine, settings, stored, role):
    before = dump(engine)
    with pytest.raises(AccessDenied):
        erase_respondent(engine, settings, User("someone", role), "r1")
    assert dump(engine) == before


def test_erase_unknown_respondent_is_not_found(engine, settings, stored):
    with pytest.raises(NotFoundError):
        erase_respondent(engine, settings, CLI_USER, "nobody")


# --------------------------------------------------------------------------- (c) backup and restore

def test_backup_then_changes_then_restore_gives_back_the_same_rows(engine, settings, stored, tmp_path):
    before = dump(engine)
    path = tmp_path / "eevp-backup.zip"
    counts = backup(engine, path, CLI_USER)
    assert counts["survey_responses"] == 5 and counts["text_units"] == 4 and counts["embeddings"] == 3

    delete_batch(engine, stored.batch_id, actor=CLI_USER)
    other = SURVEY.replace("r1,", "x1,").replace("r2,", "x2,")
    ingest_file(engine, settings, "survey", other.encode(), "other.csv", MAPPING, actor=CLI_USER)
    with engine.begin() as conn:
        conn.execute(delete(db.audit_log))
    assert dump(engine) != before

    restore(engine, path, CLI_USER)
    after = dump(engine)
    audit = after.pop("audit_log")
    assert [r[2:4] for r in audit[len(before["audit_log"]):]] == [(CLI_USER.username, "restore")]
    assert audit[:len(before["audit_log"])] == before.pop("audit_log") and after == before

    # Ids keep counting after the restored rows (sequences are reset on PostgreSQL).
    again = ingest_file(engine, settings, "survey", other.encode(), "other.csv", MAPPING, actor=CLI_USER)
    assert again.batch_id > stored.batch_id
    assert count(engine, db.survey_responses) == 10


def _with_long_form(engine) -> None:
    """The scores also as rows of survey_scores, as an eevp before schema version 2 wrote them (today's ingest
    writes only the packed form)."""
    r = db.survey_responses
    with engine.begin() as conn:
        batch_of = dict(conn.execute(select(r.c.id, r.c.batch_id)).all())
    rows = queries.score_rows(engine)
    assert len(rows)
    with engine.begin() as conn:
        conn.execute(insert(db.survey_scores), [{"response_id": int(i), "item": item, "score": score,
                                                 "batch_id": batch_of[i]} for i, item, score in rows.itertuples(index=False)])


def _without_packed_scores(engine) -> None:
    """The database as eevp before schema version 2 left it: no survey_responses.item_scores."""
    with engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE survey_responses DROP COLUMN item_scores")
        conn.execute(delete(db.schema_version).where(db.schema_version.c.version >= 2))


def test_migration_packs_the_scores_of_existing_responses(engine, stored):
    wide = queries.survey_wide(engine)
    _with_long_form(engine)
    before = dump(engine)
    _without_packed_scores(engine)
    try:
        assert db.current_version(engine) == 1
    finally:
        assert db.migrate(engine) == db.SCHEMA_VERSION
    after = dump(engine)
    assert [v for v, _at in after.pop("schema_version")] == list(range(1, db.SCHEMA_VERSION + 1))
    before.pop("schema_version")
    assert after == before  # every response packed again, byte for byte
    assert count(engine, db.survey_responses, db.survey_responses.c.item_scores.is_(None)) == 0
    pd.testing.assert_frame_equal(queries.survey_wide(engine), wide)


def test_restoring_a_backup_without_packed_scores_packs_them(engine, stored, tmp_path):
    import zipfile

    _with_long_form(engine)
    before = dump(engine)
    path, old = tmp_path / "new.zip", tmp_path / "old.zip"
    backup(engine, path, CLI_USER)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(old, "w") as dst:  # as a backup of an older eevp
        for name in src.namelist():
            data = src.read(name).decode("utf-8")
            if name == "survey_responses.jsonl":
                rows = [json.loads(line) for line in data.splitlines()]
                assert all(r.pop("item_scores") for r in rows)
                data = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
            dst.writestr(name, data)
    delete_batch(engine, stored.batch_id, actor=CLI_USER)
    restore(engine, old, CLI_USER)
    assert dump(engine)["survey_responses"] == before["survey_responses"]


def test_erasure_and_restore_change_the_data_version(engine, settings, stored, tmp_path):
    """The app's caches are keyed by data_version: an erasure from the command line reaches them."""
    from eevp.store.queries import data_version

    backup(engine, tmp_path / "b.zip", CLI_USER)
    first = data_version(engine)
    assert data_version(engine) == first
    erase_respondent(engine, settings, CLI_USER, "r2")
    erased = data_version(engine)
    assert erased != first
    restore(engine, tmp_path / "b.zip", CLI_USER)
    assert data_version(engine) not in (first, erased)


@pytest.mark.parametrize("role", ["viewer", "hr", "cx"])
def test_backup_and_restore_refused_for_non_admins(engine, stored, tmp_path, role):
    with pytest.raises(AccessDenied):
        backup(engine, tmp_path / "b.zip", User("x", role))
    assert not (tmp_path / "b.zip").exists()


# --------------------------------------------------------------------------- (d) export of texts

def test_export_texts_for_admin_is_redacted(engine, stored):
    rows = export_texts(engine, User("boss", "admin"))
    texts = [r["text"] for r in rows]
    assert len(rows) == 4
    assert "[NAME] fixed the billing bug for the customer." in texts
    assert not any(word in t for t in texts for word in ("Olena", "Petrenko", "Sydorenko", "Koval"))
    assert set(rows[0]) >= {"id", "batch_id", "kind", "question", "text", "wave"}
    assert "respondent_key" not in rows[0]


@pytest.mark.parametrize("role", ["viewer", "cx", "hr"])
def test_export_texts_refused_for_other_roles(engine, stored, role):
    with pytest.raises(AccessDenied):
        export_texts(engine, User("someone", role))
    assert count(engine, db.audit_log, db.audit_log.c.action == "export") == 0


# --------------------------------------------------------------------------- the demo beside real data

def _demo_batch(engine, settings):
    """A small batch marked as demo (the survey above under another name, so it is not a duplicate)."""
    from eevp.intake.ingest import ingest_frame
    from eevp.intake.readers import read_table

    frame = read_table(SURVEY.replace("r1", "d1").encode(), "demo.csv")
    return ingest_frame(engine, settings, "survey", frame, MAPPING, name="demo", filename="demo.csv", is_demo=True,
                        actor=CLI_USER).batch_id


def test_the_demo_beside_real_data_is_noticed_and_hr_may_remove_it(engine, settings):
    from eevp.store.audit import read_log
    from eevp.store.batches import clear_demo, demo_beside_real_data, has_demo, list_batches

    demo = _demo_batch(engine, settings)
    assert not demo_beside_real_data(engine)  # the demo alone: nothing to offer
    real = ingest_file(engine, settings, "survey", SURVEY.encode(), "survey.csv", MAPPING, actor=CLI_USER).batch_id
    assert demo_beside_real_data(engine)
    assert clear_demo(engine, actor=User("hanna", "hr")) == 1
    assert list_batches(engine)["id"].tolist() == [real] and not has_demo(engine)
    assert not demo_beside_real_data(engine)
    assert count(engine, db.text_units, db.text_units.c.batch_id == demo) == 0
    assert count(engine, db.text_units, db.text_units.c.batch_id == real) > 0
    log = read_log(engine, CLI_USER)
    assert ((log["username"] == "hanna") & (log["detail"] == f"batch {demo}")).any()


@pytest.mark.parametrize("role", ["viewer", "cx"])
def test_other_roles_may_not_remove_the_demo(engine, settings, role):
    from eevp.store.batches import clear_demo, has_demo

    _demo_batch(engine, settings)
    with pytest.raises(AccessDenied):
        clear_demo(engine, actor=User("someone", role))
    assert has_demo(engine)
    with pytest.raises(AccessDenied):  # deleting one batch stays an admin's
        delete_batch(engine, 1, actor=User("hanna", "hr"))
