"""Several embedding workers on one database split the texts without overlap (issue #18, item 3).

The two-process test runs against whatever database the suite runs on: SQLite here, the real
PostgreSQL server in CI (``EEVP_TEST_DATABASE_URL``)."""

import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import func, select

from eevp.hashing import text_hash
from eevp.store import claims, db
from eevp.themes.embeddings import embed_claimed, stored_hashes

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [f"comment number {i} about the checkout queue" for i in range(600)]


class LoggingEmbedder:
    """Deterministic vectors; logs every text it embeds to ``log`` (one line each). With ``wait_for``,
    its first call waits until every named worker has made its first call, so both workers are
    embedding before either can finish the list alone."""

    model_id = "fake-workers"

    def __init__(self, log: Path, name: str = "", wait_for: tuple[str, ...] = ()):
        self.log, self.name, self.wait_for, self.started = log, name, wait_for, False

    def encode(self, texts):
        if self.wait_for and not self.started:
            self.started = True
            (self.log.parent / f"ready-{self.name}").touch()
            deadline = time.time() + 60
            while not all((self.log.parent / f"ready-{w}").exists() for w in self.wait_for):
                if time.time() > deadline:
                    raise TimeoutError("the other worker never started")
                time.sleep(0.05)
        with self.log.open("a") as f:
            f.writelines(t + "\n" for t in texts)
        time.sleep(0.02)  # a model takes time: lets the workers interleave
        rows = [np.random.default_rng(int(text_hash(t)[:8], 16)).normal(size=4) for t in texts]
        out = np.array(rows, dtype=np.float32).reshape(len(texts), 4)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def worker_main(url: str, name: str, folder: str) -> None:
    """Entry point of one worker process (run by the test below)."""
    from eevp.store.db import connect

    engine = connect(url)
    embedder = LoggingEmbedder(Path(folder) / f"log-{name}", name, wait_for=("a", "b"))
    n = embed_claimed(engine, embedder, TEXTS, worker=name, chunk_size=25)
    (Path(folder) / f"done-{name}.json").write_text(json.dumps({"embedded": n}))


def test_a_claimed_text_is_not_claimed_again_until_released_or_stale(engine):
    hashes = [text_hash(t) for t in TEXTS[:10]]
    assert set(claims.claim(engine, "m", hashes[:6], "a")) == set(hashes[:6])
    assert claims.claim(engine, "m", [], "a") == []
    got_b = claims.claim(engine, "m", hashes, "b")
    assert set(got_b) == set(hashes[6:])  # the six held by a are skipped
    claims.release(engine, "m", hashes[:3], "a")
    assert set(claims.claim(engine, "m", hashes, "b")) == set(hashes[:3])
    # a's remaining claims are stale for a worker that says claims go stale at once: taken over
    assert set(claims.claim(engine, "m", hashes[3:6], "c", stale_after=timedelta(0))) == set(hashes[3:6])
    # another model's claims are separate
    assert set(claims.claim(engine, "other", hashes, "a")) == set(hashes)


def test_embed_claimed_stores_every_text_once_and_skips_stored_ones(engine, tmp_path):
    log = tmp_path / "log"
    first = embed_claimed(engine, LoggingEmbedder(log), TEXTS[:100] + TEXTS[:10], worker="solo", chunk_size=30)
    assert first == 100
    assert stored_hashes(engine, "fake-workers", [text_hash(t) for t in TEXTS[:100]]) == {
        text_hash(t) for t in TEXTS[:100]}
    assert embed_claimed(engine, LoggingEmbedder(log), TEXTS[:120], worker="solo", chunk_size=30) == 20
    assert len(log.read_text().splitlines()) == 120
    with engine.connect() as conn:  # nothing left claimed
        assert conn.execute(select(func.count()).select_from(db.embed_claims)).scalar() == 0


def test_two_worker_processes_split_the_texts_without_overlap(engine, settings, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = "import sys; from tests.test_embed_workers import worker_main; worker_main(*sys.argv[1:])"
    procs = [subprocess.Popen([sys.executable, "-c", code, settings.database_url, name, str(tmp_path)],
                              cwd=ROOT, env=env) for name in ("a", "b")]
    for p in procs:
        assert p.wait(timeout=300) == 0
    logs = {name: (tmp_path / f"log-{name}").read_text().splitlines() for name in ("a", "b")}
    done = {name: json.loads((tmp_path / f"done-{name}.json").read_text())["embedded"] for name in ("a", "b")}
    assert done["a"] > 0 and done["b"] > 0  # both worked
    assert not set(logs["a"]) & set(logs["b"])  # no text embedded by both
    assert sorted(logs["a"] + logs["b"]) == sorted(TEXTS)  # every text, each once
    assert done["a"] + done["b"] == len(TEXTS)
    assert stored_hashes(engine, "fake-workers", [text_hash(t) for t in TEXTS]) == {text_hash(t) for t in TEXTS}
