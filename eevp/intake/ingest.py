"""Ingest: a file (or a frame) of one source kind → validated, redacted rows in one transaction.

The flow is the same for the Upload page, the CLI and the demo loader:

    read_table → mapping (given, saved template, or suggested) → normalise → validate
    → redact free text → store everything in ONE transaction.

A batch with errors is not stored at all unless the caller asks for the valid rows only
(``skip_invalid=True``). The same file content is recognised and never stored twice.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from typing import BinaryIO

import numpy as np
import pandas as pd
from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from eevp.errors import DuplicateBatchError, InputError, ValidationFailed
from eevp.hashing import content_hash, keyed_hash, text_hash
from eevp.intake.feedback import store_feedback
from eevp.intake.mapping import EVERY_ROW, NPS_SCALE, check_mapping, fill_every_row
from eevp.intake.readers import file_rows, read_table, reading_notes
from eevp.intake.redact import Redactor
from eevp.intake.workers import redact_chunk, redacted, start_worker
from eevp.intake.scales import conversions
from eevp.intake.unmapped import unmapped_columns, warnings_of
from eevp.intake.validate import Prepared, prepare, resolve_mapping
from eevp.settings import Settings
from eevp.store import db
from eevp.store.audit import record
from eevp.store.auth import User, require
from eevp.store.queries import gc_paused
from eevp.store.bulk import insert_rows


@dataclass
class IngestResult:
    """What happened to one batch (also the CLI's ``--json`` output)."""

    kind: str
    rows_read: int
    rows_stored: int = 0
    rows_rejected: int = 0
    batch_id: int | None = None
    errors: list[dict] = field(default_factory=list)
    mapping: dict = field(default_factory=dict)
    text_units: int = 0
    rejected_rows: list[int] = field(default_factory=list)
    unmapped: list[dict] = field(default_factory=list)  # see eevp.intake.unmapped.unmapped_columns
    reading_notes: list[dict] = field(default_factory=list)  # see eevp.intake.readers.reading_notes
    labels: list[dict] = field(default_factory=list)  # items answered in words: see eevp.intake.scales.conversions
    findings: list[dict] = field(default_factory=list)  # blanks, placeholders, years alone: eevp.intake.checks

    @property
    def analysis_needed(self) -> bool:
        """Whether the batch brought text to analyse: staff text units, or customer comments (kept apart
        from staff text, so their batch has no text units, but they are tagged and matched in the analysis)."""
        return self.text_units > 0 or (self.kind == "customer_feedback" and self.rows_stored > 0)

    def to_json(self) -> dict:
        return {
            "batch_id": self.batch_id,
            "rows_read": self.rows_read,
            "rows_stored": self.rows_stored,
            "rows_rejected": self.rows_rejected,
            "errors": self.errors,
            "mapping": self.mapping,
            "unmapped": [{k: u[k] for k in ("column", "reason", "suggestion", "warning")} for u in self.unmapped],
            "reading_notes": self.reading_notes,
            "labels": self.labels,
            "findings": self.findings,
        }



# --------------------------------------------------------------------------- store

def _records(prep: Prepared, key: bytes) -> pd.DataFrame:
    f = prep.frame
    keep = f.drop(index=list(prep.bad_rows & set(f.index)))
    if "respondent_id" in keep:
        keep = keep.assign(respondent_key=keep["respondent_id"].map(lambda v: None if v is None else keyed_hash(v, key)))
    else:
        keep = keep.assign(respondent_key=None)
    return keep


def _none(v):
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and np.isnan(v):
        return None
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    return v


#: Distinct texts from which redaction is spread over worker processes (below: one is quicker).
PARALLEL_REDACT_MIN = 20_000
#: Text units built and written at a time: a million rows' units held at once took gigabytes.
UNIT_CHUNK = 50_000
#: Most distinct texts sent to a redaction worker at a time: a worker holds a chunk and its result (an
#: eighth of a million rows' texts made a worker 640 MB), and the first units wait for the first chunk.
REDACT_CHUNK = 10_000
#: Chunks given to the workers at a time, per worker: more are given as the results are taken, so that the
#: results done ahead of the writer stay few (workers ahead of it held half a batch's results).
REDACT_AHEAD = 4


class _Redaction:
    """The redacted form of each distinct comment of a batch (comments repeat: each is done once),
    with ``split`` as its statements and their languages (see :func:`eevp.intake.workers.redacted`).

    Redaction and language detection are pure Python (the GIL rules out threads), so for large
    batches they run in worker processes, started here and collected by :meth:`result` (or
    :meth:`parts`, a chunk at a time): meanwhile the caller writes the batch's other rows. The
    workers are spawned, not forked: a forked worker starts with a copy of the ingest's whole batch
    (its memory counted again per worker), a spawned one with the redactor only (a script that
    ingests must guard its top level with ``if __name__ == "__main__":``, as spawned processes
    import it; where a worker fails to start, this process does the work). They are only started
    from a single-threaded process (the CLI); inside a threaded server (Streamlit) the work runs in
    :meth:`result`, in this process.
    """

    def __init__(self, redactor, texts, split: bool = False):
        self.redactor, self.split = redactor, split
        self.unique = list(dict.fromkeys(t for t in texts if t))
        self._pool = None
        self._futures: dict = {}  # chunk number → its future, while given to the workers and not yet taken
        workers = min(os.cpu_count() or 1, 8)
        if len(self.unique) < PARALLEL_REDACT_MIN or workers < 2 or threading.active_count() > 1:
            return
        self._size = min(-(-len(self.unique) // (4 * workers)), REDACT_CHUNK)
        self._starts = range(0, len(self.unique), self._size)
        self._ahead, self._given = REDACT_AHEAD * workers, 0
        self._pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=start_worker, initargs=(os.getpid(), redactor))
        self._give(self._ahead)

    def _give(self, upto: int) -> None:
        """Give the workers the chunks before number ``upto`` that they do not have yet."""
        while self._given < min(upto, len(self._starts)):
            start = self._starts[self._given]
            try:
                self._futures[self._given] = self._pool.submit(redact_chunk, self.unique[start:start + self._size],
                                                               self.split)
            except BrokenProcessPool:  # the rest is done here (see parts)
                self._given = len(self._starts)
                return
            self._given += 1

    def result(self) -> dict:
        """Each distinct text → its redacted form (or, with ``split``, its statements and languages)."""
        done: dict = {}
        for part in self.parts():
            done.update(part)
        return done

    def parts(self) -> Iterator[dict]:
        """:meth:`result` a chunk of texts at a time, in the order of the texts: the caller uses the first
        chunks' results (writes their rows) while the workers do the rest."""
        try:
            if self._pool is None:
                yield self._as_dict(self.unique, redacted(self.redactor, self.unique, self.split))
                return
            for k, start in enumerate(self._starts):
                chunk = self.unique[start:start + self._size]
                self._give(k + self._ahead)
                # the future let go as its result is taken: kept, it holds the result to the end
                future = self._futures.pop(k, None)
                try:
                    if future is None:
                        raise BrokenProcessPool
                    done = future.result()
                except BrokenProcessPool:  # a worker could not start (the script lacks `if __name__ ==`)
                    done = redacted(self.redactor, chunk, self.split)
                del future
                yield self._as_dict(chunk, done)
        finally:
            self.close()

    def _as_dict(self, texts: list[str], done: list) -> dict:
        if self.split:
            return dict(zip(texts, done))
        return {t: t if c is None else c for t, c in zip(texts, done)}

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def _text_values(keep: pd.DataFrame) -> list:
    """The free-text values record by record (the order their units are written in)."""
    return [v for row in zip(*(keep[c] for c in keep.columns if c.startswith("text::"))) for v in row]


_UNIT_KEYS = ("batch_id", "kind", "record_id", "record_no", "respondent_key", "question", "seq", "role",
              "department", "location", "tenure", "wave", "date", "text", "text_hash", "language")


def _text_rows(prep: Prepared, keep: pd.DataFrame, record_ids: list[int], batch_id: int,
               redaction: _Redaction) -> Iterator[dict[str, list]]:
    """The batch's text units as columns (:data:`_UNIT_KEYS`), :data:`UNIT_CHUNK` units at a time:
    each answer's statements, redacted, with their languages (from ``redaction``, made with ``split``)."""
    text_cols = [c for c in keep.columns if c.startswith("text::")]
    if not text_cols or not len(keep):
        return
    n = len(keep)

    def column(name: str | None) -> list:
        return keep[name].tolist() if name and name in keep.columns else [None] * n

    values = [column(c) for c in text_cols]
    # filled a chunk at a time (the first records' units are written meanwhile), and each answer's
    # statements let go after its last use: all of a million rows' answers held at once took a gigabyte
    statements: dict = {}
    last = _last_uses(values)
    parts = redaction.parts()
    date_col = {"survey": "wave_date", "exit": "exit_date", "focus": "session_date"}.get(prep.kind)
    meta = zip(record_ids, [prep.row_of(p) for p in keep.index], column("respondent_key"),
               column("role"), column("department"), column("location"), column("tenure"), column("wave"),
               [_none(v) for v in column(date_col)])
    questions = [c.removeprefix("text::")[:300] for c in text_cols]
    units: list[tuple] = []
    cell = -1
    for i, row in enumerate(meta):
        for question, texts in zip(questions, values):
            cell += 1
            if text := texts[i]:
                while text not in statements:
                    statements.update(next(parts))
                _add_units(units, batch_id, prep.kind, row, question, statements[text])
                if last[text] == cell:
                    del statements[text]
        if len(units) >= UNIT_CHUNK:
            yield _unit_columns(units)
            units = []
    if units:
        yield _unit_columns(units)


def _last_uses(values: list[list]) -> dict:
    """Each answer → the last cell it is in (cells counted record by record, column by column)."""
    return {text: cell for cell, text in enumerate(v for row in zip(*values) for v in row) if text}


def _unit_columns(units: list[tuple]) -> dict[str, list]:
    """Rows of :data:`_UNIT_KEYS` values → one list per key (what ``insert_rows`` takes)."""
    return dict(zip(_UNIT_KEYS, map(list, zip(*units))))


def _add_units(units: list[tuple], batch_id: int, kind: str, row: tuple, question: str,
               statements: tuple) -> None:
    """Append one answer's statements (``(text, language)`` pairs) as rows of :data:`_UNIT_KEYS` values
    (``row``: the record's id, row of the file, respondent key, role, department, location, tenure, wave
    and date). A tuple per unit: a list append per value of each unit cost more than the rest of the loop."""
    rec_id, record_no, key, role, dept, loc, tenure, wave, date = row
    units.extend((batch_id, kind, rec_id, record_no, key, question, seq, role, dept, loc, tenure, wave, date,
                  part, text_hash(part), language) for seq, (part, language) in enumerate(statements))


def _redactor(prep: Prepared, keep: pd.DataFrame):
    """A Redactor for the batch's identifier values.

    Values with digits (employee numbers) are matched verbatim in text; one that does not occur in
    any comment of the batch can never match, so only those that do are compiled into the pattern
    (100,000 employee numbers would otherwise cost seconds of regex compilation). A value is kept
    when each of its word-character runs is a whole word somewhere in the batch's text, which
    every verbatim, word-bounded occurrence satisfies. Names (no digits) are all kept.
    """

    values = prep.identifier_values
    digits = [v for v in values if isinstance(v, str) and _DIGIT.search(v)]
    if len(digits) < 100:
        return Redactor(values)
    words: set[str] = set()
    for c in keep.columns:
        if c.startswith("text::"):
            for v in keep[c]:
                if v and _DIGIT.search(v):
                    words.update(_WORD_RUN.findall(v.casefold()))
    kept = [v for v in digits if not v.isascii() or all(w in words for w in _WORD_RUN.findall(v.casefold()))]
    return Redactor([v for v in values if not (isinstance(v, str) and _DIGIT.search(v))] + kept)


_WORD_RUN = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")


def _store(engine: Engine, settings: Settings, prep: Prepared, *, name: str, filename: str | None,
           digest: str, is_demo: bool = False, user: str | None = None) -> IngestResult:
    """Store the valid rows of a prepared batch in ONE transaction."""
    key = settings.hash_key()
    keep = _records(prep, key)
    redactor = _redactor(prep, keep)
    result = IngestResult(kind=prep.kind, rows_read=len(prep.frame), mapping=prep.mapping, errors=prep.errors)
    result.rejected_rows = sorted(prep.row_of(p) for p in prep.bad_rows)
    # runs while the other rows are written; customer feedback keeps its comments whole
    redaction = _Redaction(redactor, _text_values(keep), split=prep.kind != "customer_feedback")
    try:
        batch_id, units = _store_all(engine, prep, keep, name, filename, digest, is_demo, user, redaction, key)
    except IntegrityError as exc:  # the same file stored at the same time by someone else: one wins
        if _stored_as(engine, digest) is None:
            raise
        raise DuplicateBatchError("This file is already being stored or stored (an upload of the same file "
                                  "at the same time won). Nothing was stored again.",
                                  batch_id=_stored_as(engine, digest)) from None
    finally:
        redaction.close()
    result.batch_id = batch_id
    result.rows_stored = len(keep)
    result.rows_rejected = len(prep.frame) - len(keep)
    result.text_units = units
    return result


def _store_all(engine, prep, keep, name, filename, digest, is_demo, user, redaction, key) -> tuple[int, int]:
    """The batch row, its records, scores and text units, and the audit entry: one transaction."""
    with engine.begin() as conn:
        batch_id = conn.execute(insert(db.batches).values(
            kind=prep.kind, name=name[:200], filename=(filename or "")[:300], content_hash=digest,
            created_at=db.now(), created_by=user, rows_read=len(prep.frame), rows_stored=len(keep),
            rows_rejected=len(prep.frame) - len(keep), is_demo=is_demo,
            mapping_json=json.dumps(prep.mapping, ensure_ascii=False),
            items_json=json.dumps(prep.items, ensure_ascii=False),
        ).returning(db.batches.c.id)).scalar_one()
        units = 0
        for chunk in _store_kind(conn, prep, keep, batch_id, redaction, key):  # written as they are built
            insert_rows(conn, db.text_units, chunk)
            units += len(chunk["text"])
        record(conn, user, "upload", f"batch {batch_id} ({prep.kind}, {len(keep)} rows)")
    return batch_id, units


def _store_kind(conn, prep: Prepared, keep: pd.DataFrame, batch_id: int, redaction: _Redaction,
                key: bytes) -> Iterator[dict[str, list]]:
    """Store the kind's own rows; return its text units, in chunks of columns (none for most kinds)."""
    kind = prep.kind
    record_no = [prep.row_of(p) for p in keep.index]
    if kind == "survey":  # the big one: built column by column, a block of records at a time
        ids = []
        for start in range(0, len(keep), UNIT_CHUNK):
            block = keep.iloc[start:start + UNIT_CHUNK]
            ids += insert_rows(conn, db.survey_responses, _response_rows(block, record_no[start:start + UNIT_CHUNK],
                                                                         batch_id, prep.items), with_ids=True)
        return _text_rows(prep, keep, ids, batch_id, redaction)
    if kind == "customer_feedback":  # kept apart from staff text: no text units
        store_feedback(conn, keep, batch_id, redaction.result(), prep.mapping.get("scale") or NPS_SCALE, record_no)
        return []
    records = list(zip(record_no, keep.to_dict("records")))
    if kind == "exit":
        rows = _exit_rows(batch_id, records, _clean_reasons(redaction.redactor, keep))
        ids = insert_rows(conn, db.exits, rows, with_ids=True)
        _store_scores(conn, db.exit_scores, "exit_id", keep, ids, prep.items, batch_id)
        return _text_rows(prep, keep, ids, batch_id, redaction)
    if kind == "focus":
        rows = [{
            "batch_id": batch_id, "record_no": no, "session_date": _none(r["session_date"]),
            "role": r["role"], "department": r["department"], "location": r["location"],
            "facilitator_key": None if r["facilitator"] is None else keyed_hash(r["facilitator"], key),
            "participants": None if _none(r["participants"]) is None else int(r["participants"]),
        } for no, r in records]
        ids = insert_rows(conn, db.focus_sessions, rows, with_ids=True)
        return _text_rows(prep, keep, ids, batch_id, redaction)
    if kind == "evp_catalog":
        rows = [{
            "batch_id": batch_id, "benefit": r["benefit"][:200], "pillar": r["pillar"],
            "description": r["description"], "roles_offered_json": _roles_json(r["roles_offered"]),
        } for _, r in records]
        insert_rows(conn, db.evp_benefits, rows)
        return []
    if kind == "evp_ratings":
        rows = [{
            "batch_id": batch_id, "record_no": no, "respondent_key": r["respondent_key"],
            "wave": str(r["wave"])[:64], "wave_date": _none(r["wave_date"]), "role": r["role"],
            "department": r["department"], "benefit": r["benefit"][:200],
            "importance": _none(r["importance"]), "satisfaction": _none(r["satisfaction"]),
        } for no, r in records]
        insert_rows(conn, db.evp_ratings, rows)
        return []
    return []


def _response_rows(keep: pd.DataFrame, record_no: list[int], batch_id: int, items: list[dict]) -> dict[str, list]:
    """Survey responses as columns (what ``insert_rows`` takes), their scores packed (db.pack_scores: no long
    form is written, see :mod:`eevp.store.db`)."""
    n = len(keep)
    col = {c: keep[c].tolist() for c in keep.columns if not c.startswith(("item::", "text::"))}
    rows = {
        "batch_id": [batch_id] * n, "record_no": record_no, "respondent_key": col["respondent_key"],
        "wave": [str(w)[:64] for w in col["wave"]], "wave_date": [_none(v) for v in col["wave_date"]],
        "role": col["role"], "department": col["department"], "location": col["location"],
        "tenure": col["tenure"],
        "segments_json": [json.dumps(v, ensure_ascii=False) if v else None for v in col["segments"]],
        "enps": [None if _none(v) is None else int(v) for v in col.get("enps", [None] * n)],
    }
    if items:
        rows["item_scores"] = db.pack_scores(_score_matrix(keep, items))
    return rows


def _exit_rows(batch_id: int, records: list, clean) -> list[dict]:
    return [{
        "batch_id": batch_id, "record_no": no, "respondent_key": r["respondent_key"],
        "exit_date": _none(r["exit_date"]), "role": r["role"], "department": r["department"],
        "location": r["location"], "tenure": r["tenure"], "reason": clean(r["reason"]),
        "other_reasons_json": json.dumps([clean(v) for v in r["other_reasons"] or []], ensure_ascii=False),
        "regretted": _none(r["regretted"]),
        "enps": None if _none(r.get("enps")) is None else int(r["enps"]),
        "segments_json": json.dumps(r["segments"], ensure_ascii=False) if r["segments"] else None,
    } for no, r in records]


def _clean_reasons(redactor, keep: pd.DataFrame):
    """Exit reasons are free text too (e-mails, phones and names were stored, and printed as keys):
    a function that redacts one value, each distinct value once (reasons repeat)."""
    distinct = {v for v in keep["reason"] if isinstance(v, str)}
    distinct |= {v for vs in keep["other_reasons"] if isinstance(vs, list) for v in vs if isinstance(v, str)}
    done = dict(zip(distinct, redactor.redact_many(list(distinct))))
    return lambda v: done.get(v, v) if isinstance(v, str) else v


def _roles_json(value: str) -> str:
    if value.strip().lower() in ("all", "все", "всі", "всем", "усі", "*"):
        return json.dumps("all")
    return json.dumps([p.strip() for p in re.split(r"[;,|\n]", value) if p.strip()], ensure_ascii=False)


def _score_matrix(keep: pd.DataFrame, items: list[dict]) -> np.ndarray:
    """(records × items) scores in the order of ``items``; NaN where none was given."""
    return keep[[f"item::{it['item']}" for it in items]].to_numpy(dtype=float)


def _store_scores(conn, table, fk: str, keep: pd.DataFrame, ids: list[int], items: list[dict], batch_id: int):
    if not items or not ids:
        return
    names = np.array([db.item_name(it) for it in items], dtype=object)
    scores, ids = _score_matrix(keep, items), np.asarray(ids)
    # Record by record (the order of the table's key), so that its index grows at the end; a block of
    # records at a time (ten items of a million records are ten million values).
    step = max(1, UNIT_CHUNK // len(items))
    for start in range(0, len(ids), step):
        block = scores[start:start + step]
        given = ~np.isnan(block)
        rows, cols = np.nonzero(given)
        insert_rows(conn, table, {fk: ids[start:start + step][rows].tolist(), "item": names[cols].tolist(),
                                   "score": block[given].tolist(), "batch_id": [batch_id] * len(rows)})


# --------------------------------------------------------------------------- entry points

def _stored_as(engine: Engine, digest: str) -> int | None:
    """The id of the batch holding this content, if one is stored."""
    with engine.connect() as conn:
        return conn.execute(select(db.batches.c.id).where(db.batches.c.content_hash == digest)).scalar()


def _check_duplicate(engine: Engine, digest: str) -> None:
    with engine.connect() as conn:
        row = conn.execute(select(db.batches.c.id, db.batches.c.name)
                           .where(db.batches.c.content_hash == digest)).first()
    if row:
        raise DuplicateBatchError(
            f"This file was already stored as batch {row.id} ('{row.name}'). Nothing was stored again. "
            f"Delete batch {row.id} first if you want to replace it.", batch_id=row.id)


def _strict_failure(kind: str, rows: int, mapping: dict, unmapped: list[dict]) -> ValidationFailed:
    """The unmapped columns that look like eNPS or ratings, as the errors of a refused batch."""
    errors = [{"row": None, "column": u["column"], "value": None,
               "message": f"{u['reason']} Map it (as '{u['suggestion']}'?) or remove it from the file."}
              for u in warnings_of(unmapped)]
    result = IngestResult(kind=kind, rows_read=rows, errors=errors, mapping=mapping, unmapped=unmapped)
    return ValidationFailed(f"{len(errors)} column(s) look like eNPS or a rating item but are not mapped; nothing "
                            "was stored (strict mode).", errors, result)


def ingest_frame(engine: Engine, settings: Settings, kind: str, df: pd.DataFrame, mapping: dict | None = None, *,
                 actor: User, name: str | None = None, filename: str | None = None, digest: str | None = None,
                 skip_invalid: bool = False, is_demo: bool = False, strict: bool = False,
                 prepared: Prepared | None = None) -> IngestResult:
    """Validate and store a frame of one source kind, as ``actor`` (whose role must allow uploads).

    Every column is accounted for: the result lists the mapping used and the columns it leaves out
    (``unmapped``, with reasons). With ``strict``, an unmapped column that looks like eNPS or a rating
    item refuses the batch. ``prepared``: the result of :func:`prepare` on this very frame, kind and
    mapping (the Upload page's preview), used instead of validating again; one made from anything
    else (another frame, kind or mapping) is ignored and the frame is validated here.

    Raises:
        AccessDenied: ``actor``'s role may not upload.
        ValidationFailed: the batch has errors and ``skip_invalid`` is False, or ``strict`` and an
            unmapped column looks like eNPS or a rating (nothing stored; ``exc.errors`` lists every
            problem, ``exc.result`` has the counts, the mapping and the unmapped columns).
        DuplicateBatchError: the same content was stored before.
    """
    require(actor, "upload")
    with gc_paused():  # see ingest_file
        checked = _check(engine, kind, df, mapping, digest=digest, skip_invalid=skip_invalid, strict=strict,
                         prepared=prepared)
        del df
        return _finish(engine, settings, checked, name=name or filename or f"{kind} batch", filename=filename,
                       is_demo=is_demo, user=actor.username)


@dataclass
class _Checked:
    """A batch validated and accepted for storing, with what its result reports about the file."""

    prep: Prepared
    digest: str
    unmapped: list[dict]
    notes: list[dict]
    labels: list[dict]


def _check(engine: Engine, kind: str, df: pd.DataFrame, mapping: dict | None, *, digest: str | None,
           skip_invalid: bool, strict: bool, prepared: Prepared | None) -> _Checked:
    """Everything :func:`ingest_frame` does before storing (the mapping, the columns left out, the
    duplicate check, the validation); raises where the batch is refused. Nothing returned refers to
    ``df``: the frame as read can go before the batch is stored (a million rows' frame is gigabytes)."""
    if df.empty:
        raise InputError("The file has no data rows. Check that the first row holds the column names.")
    if isinstance(mapping, dict) and mapping.get(EVERY_ROW):  # values for every row become columns, once checked
        check_mapping(mapping, list(df.columns), kind)
        df, mapping = fill_every_row(df, mapping)
    mapping = resolve_mapping(engine, kind, df, mapping)
    unmapped = unmapped_columns(df, mapping, kind)
    notes = reading_notes(df)
    if strict and warnings_of(unmapped):
        raise _strict_failure(kind, len(df), mapping, unmapped)
    if digest is None:
        digest = content_hash((kind + "\n" + df.to_csv(index=False)).encode())
    _check_duplicate(engine, digest)
    fits = prepared is not None and prepared.fits(kind, df, mapping)
    prep = prepared if fits else prepare(kind, df, mapping, fingerprint=False)
    if prep.errors and not skip_invalid:
        result = IngestResult(kind=kind, rows_read=len(prep.frame), rows_rejected=len(prep.bad_rows & set(
            prep.frame.index)), errors=prep.errors, mapping=mapping, unmapped=unmapped, reading_notes=notes,
            labels=conversions(df, mapping), findings=prep.findings)
        result.rejected_rows = sorted(prep.row_of(p) for p in prep.bad_rows)
        raise ValidationFailed(
            f"{len(prep.errors)} problem(s) in {result.rows_rejected} of {result.rows_read} rows; nothing was "
            "stored. Fix the file, or store the valid rows only.", prep.errors, result)
    return _Checked(prep, digest, unmapped, notes, conversions(df, mapping))


def _finish(engine: Engine, settings: Settings, checked: _Checked, *, name: str, filename: str | None,
            is_demo: bool, user: str) -> IngestResult:
    """Store a checked batch (:func:`_store`) and report it."""
    result = _store(engine, settings, checked.prep, name=name, filename=filename, digest=checked.digest,
                    is_demo=is_demo, user=user)
    result.unmapped, result.reading_notes, result.labels = checked.unmapped, checked.notes, checked.labels
    result.findings = checked.prep.findings
    return result


def ingest_file(engine: Engine, settings: Settings, kind: str, data: bytes | BinaryIO, filename: str,
                mapping: dict | None = None, *, actor: User, name: str | None = None, sheet=None,
                skip_invalid: bool = False, strict: bool = False, prepared: Prepared | None = None) -> IngestResult:
    """Read a CSV/XLSX file and ingest it as ``actor`` (see :func:`ingest_frame`, also for ``prepared``)."""
    require(actor, "upload")

    # The file's bytes in a box, let go once read: passed inline (the CLI's path.read_bytes()), nothing else
    # holds them, and a million rows' file is 390 MB.
    box = [data if isinstance(data, bytes) else data.read()]
    del data
    size = len(box[0])
    limit = settings.upload_limit_mb * 1024 * 1024
    if size > limit:
        raise InputError(f"The file is {size / 1024 / 1024:.0f} MB; the limit is {settings.upload_limit_mb} MB. "
                         "Split it into smaller files, or ask an admin to raise EEVP_UPLOAD_LIMIT_MB.")
    digest = content_hash(box[0])
    _check_duplicate(engine, digest)
    # Python's collector paused while a million rows become columns, units and inserts: each collection
    # walked every live row (a sixth of this process's CPU at 300,000 rows); they form no cycles.
    with gc_paused():
        # The frame as read is handed on, not kept here: only what validation made of it is held while storing.
        checked = _check(engine, kind, read_table(box.pop(), filename, sheet=sheet), mapping, digest=digest,
                         skip_invalid=skip_invalid, strict=strict, prepared=prepared)
        return _finish(engine, settings, checked, name=name or filename, filename=filename, is_demo=False,
                       user=actor.username)


def errors_frame(errors: list[dict], translate: Callable[[str], str] = str) -> pd.DataFrame:
    """The validation problems as a table (row, column, value, message), each message through ``translate``."""
    table = pd.DataFrame(errors, columns=["row", "column", "value", "message"])
    return table.assign(message=table["message"].map(translate))


def rejected_frame(df: pd.DataFrame, errors: list[dict]) -> pd.DataFrame:
    """The rejected source rows with their problems, for download."""
    by_row: dict[int, list[str]] = {}
    for e in errors:
        if e.get("row") is not None:
            col = f"{e['column']}: " if e.get("column") else ""
            by_row.setdefault(e["row"], []).append(col + e["message"])
    position = {int(r): p for p, r in enumerate(file_rows(df))}
    rows = sorted(r for r in by_row if r in position)
    out = df.reset_index(drop=True).iloc[[position[r] for r in rows]].copy()
    out.insert(0, "problems", ["; ".join(by_row[r]) for r in rows])
    out.insert(0, "row", rows)
    return out


def count_rows(engine: Engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


__all__ = ["IngestResult", "Prepared", "errors_frame", "ingest_file", "ingest_frame", "prepare", "rejected_frame", "asdict",
           "keyed_hash", "content_hash", "text_hash"]
