import datetime as dt
import gc

from sqlalchemy import select

from eevp.intake import ingest
from eevp.intake.ingest import ingest_file
from eevp.store import bulk, db
from eevp.store.auth import CLI_USER


def test_a_repeated_value_is_processed_once_and_every_value_comes_back_in_order():
    calls = []

    def process(v):
        calls.append(v)
        return f"<{v}>"

    values = ["2026-03-31", None, "2026-06-30", "2026-03-31", "2026-03-31", None, "2026-06-30"] * 3
    out = bulk._processed(process, values)
    assert out == [None if v is None else f"<{v}>" for v in values]
    assert sorted(calls) == ["2026-03-31", "2026-06-30"]  # once per distinct value, never for None


def test_mostly_distinct_or_unhashable_values_are_processed_one_by_one():
    calls = []
    unique = [f"t{i}" for i in range(10)]
    assert bulk._processed(lambda v: calls.append(v) or v.upper(), unique) == [v.upper() for v in unique]
    assert calls == unique
    dicts = [{"a": 1}, None, {"a": 1}]
    assert bulk._processed(lambda v: sorted(v), dicts) == [["a"], None, ["a"]]


def test_dates_written_in_bulk_read_back_as_written(engine):
    days = [dt.date(2026, 3, 31), dt.date(2026, 6, 30), None] * 400
    with engine.begin() as conn:
        batch = conn.execute(db.batches.insert().values(kind="survey", name="b", content_hash="h", created_at=db.now(),
                                                        rows_read=0, rows_stored=0)).inserted_primary_key[0]
        bulk.insert_rows(conn, db.survey_responses, {
            "batch_id": [batch] * len(days), "record_no": list(range(len(days))), "wave": ["W"] * len(days),
            "wave_date": days})
    with engine.connect() as conn:
        stored = conn.execute(select(db.survey_responses.c.wave_date).order_by(db.survey_responses.c.id)).scalars().all()
    assert stored == days


def test_the_collector_is_paused_during_an_ingest_and_running_again_after(engine, settings, monkeypatch):
    seen = []
    real = ingest.insert_rows

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(ingest, "insert_rows", spy)
    assert gc.isenabled()
    ingest_file(engine, settings, "survey", b"wave,role,enps,Comment\n2026-Q1,Agent,8,Slow tills\n", "s.csv",
                {"wave": "wave", "role": "role", "enps": "enps", "text": ["Comment"]}, actor=CLI_USER)
    assert seen and not any(seen)
    assert gc.isenabled()
