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
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import BinaryIO

import numpy as np
import pandas as pd
from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine

from eevp.errors import DuplicateBatchError, InputError, ValidationFailed
from eevp.hashing import content_hash, keyed_hash, text_hash
from eevp.intake.dates import parse_date_column
from eevp.intake.mapping import check_mapping, find_template, suggest_mapping
from eevp.intake.readers import read_table
from eevp.intake.redact import Redactor
from eevp.intake.schemas import collect_failures, evp_ratings_schema, survey_schema
from eevp.intake.statements import split_statements
from eevp.settings import Settings
from eevp.store import db
from eevp.store.audit import record
from eevp.store.bulk import insert_rows

TEXT_KINDS = {"survey": "text", "exit": "text", "focus": "notes"}
TRUE_WORDS = {"yes", "y", "true", "1", "x", "да", "так", "regretted", "regrettable", "сожалеем", "+"}
FALSE_WORDS = {"no", "n", "false", "0", "нет", "ні", "-", "non-regretted", "not regretted"}
_ROW_OFFSET = 2  # header is row 1 in a spreadsheet; first data row is row 2


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

    def to_json(self) -> dict:
        return {
            "batch_id": self.batch_id,
            "rows_read": self.rows_read,
            "rows_stored": self.rows_stored,
            "rows_rejected": self.rows_rejected,
            "errors": self.errors,
        }


@dataclass
class Prepared:
    """A validated batch, ready to store: canonical frame plus what failed."""

    kind: str
    frame: pd.DataFrame  # canonical columns; index = 0-based source row
    mapping: dict
    errors: list[dict]
    items: list[dict]
    texts: list[str]
    identifier_values: list[str]

    @property
    def bad_rows(self) -> set[int]:
        return {e["row"] - _ROW_OFFSET for e in self.errors if e.get("row") is not None}


# --------------------------------------------------------------------------- helpers

def _clean(value):
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    s = str(value).strip()
    return s or None


def _col(df: pd.DataFrame, name: str | None) -> pd.Series:
    if not name:
        return pd.Series([None] * len(df), index=df.index, dtype=object)
    # A list, not Series.map: pandas 3 turns the None that map() returns into NaN.
    return pd.Series([_clean(v) for v in df[name]], index=df.index, dtype=object)


def _cut(series: pd.Series, length: int) -> pd.Series:
    """Texts cut to a column's length; None stays None (object dtype, never NaN)."""
    return pd.Series([None if v is None else v[:length] for v in series], index=series.index, dtype=object)


def _numeric(series: pd.Series, column: str, errors: list[dict], message: str) -> pd.Series:
    """Convert text to numbers (decimal comma accepted); report what is not a number."""
    text = series.map(lambda v: None if v is None else str(v).replace(",", ".").replace("\u00a0", "").strip())
    nums = pd.to_numeric(text, errors="coerce")
    bad = text.notna() & nums.isna()
    for idx in series.index[bad]:
        errors.append({"row": int(idx) + _ROW_OFFSET, "column": column, "value": str(series[idx]), "message": message})
    return nums.astype(float)


def _dates(series: pd.Series, column: str, errors: list[dict], required: bool) -> pd.Series:
    values = series.reset_index(drop=True)
    parsed, bad = parse_date_column(values)
    parsed = pd.Series(list(parsed), index=series.index, dtype=object)
    for pos in bad:
        idx = series.index[pos]
        errors.append({"row": int(idx) + _ROW_OFFSET, "column": column, "value": str(series[idx]),
                       "message": "Not a date I can read. Use 2024-03-15 or 15.03.2024."})
    if required:
        for idx in series.index[series.isna()]:
            errors.append({"row": int(idx) + _ROW_OFFSET, "column": column, "value": None,
                           "message": "A date is required here but the cell is empty."})
    return parsed


def _bool(series: pd.Series, column: str, errors: list[dict]) -> pd.Series:
    def conv(v):
        if v is None:
            return None
        s = str(v).strip().lower()
        if s in TRUE_WORDS:
            return True
        if s in FALSE_WORDS:
            return False
        return "bad"

    out = series.map(conv)
    for idx in series.index[out == "bad"]:
        errors.append({"row": int(idx) + _ROW_OFFSET, "column": column, "value": str(series[idx]),
                       "message": "Use yes or no (да/нет, так/ні)."})
    return out.where(out != "bad", None).astype(object)


def _wave_from(series: pd.Series, column: str) -> tuple[pd.Series, pd.Series]:
    """A wave column may hold labels ("2026-Q1", "Spring pulse") or dates.

    When every non-empty value reads as a date, the wave label becomes the quarter
    ("2026-Q1") and the date is kept; otherwise labels are kept as written.
    """

    values = series.reset_index(drop=True)
    if values.notna().sum() and not values.dropna().map(lambda s: bool(re.fullmatch(r"\d{4}-?Q[1-4]", str(s)))).all():
        parsed, bad = parse_date_column(values)
        if not bad:
            dates = pd.Series(list(parsed), index=series.index, dtype=object)
            labels = dates.map(lambda d: None if d is None else f"{d.year}-Q{(d.month - 1) // 3 + 1}")
            return labels.astype(object), dates
    return series.astype(object), pd.Series([None] * len(series), index=series.index, dtype=object)


def _too_long(series: pd.Series, column: str | None, limit: int, errors: list[dict], message: str) -> None:
    """Report values longer than the database keeps (cutting them could merge two different ones)."""
    for idx in series.index[series.map(lambda v: v is not None and len(str(v)) > limit)]:
        errors.append({"row": int(idx) + _ROW_OFFSET, "column": column, "value": str(series[idx])[:60] + "…",
                       "message": message})


_TENURE_BANDS = [(1, "<1 year"), (3, "1-3 years"), (5, "3-5 years"), (10, "5-10 years")]


def _tenure(series: pd.Series) -> pd.Series:
    """Numbers of years become bands, so that tenure stays a small set of groups."""
    def band(v):
        if v is None:
            return None
        try:
            years = float(str(v).replace(",", "."))
        except ValueError:
            return str(v)[:64]
        for upper, label in _TENURE_BANDS:
            if years < upper:
                return label
        return "10+ years"

    return pd.Series([band(v) for v in series], index=series.index, dtype=object)


def _split_reasons(value) -> list[str]:
    if value is None:
        return []
    return [p.strip() for p in re.split(r"[;|\n]|,(?=\s*[A-ZА-ЯІЇЄҐ])", str(value)) if p.strip()]


def _flag_reasons(df: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Several yes/no columns (one per reason) → list of the headers that are set."""
    flags = {c: df[c].map(lambda v: str(v).strip().lower() in TRUE_WORDS) for c in columns}
    return pd.Series([[c for c in columns if flags[c].iloc[i]] for i in range(len(df))], index=df.index, dtype=object)


def _scale(mapping: dict) -> tuple[float, float]:
    sc = mapping.get("scale") or {}
    return float(sc.get("min", 1)), float(sc.get("max", 5))


# --------------------------------------------------------------------------- prepare

def resolve_mapping(engine: Engine | None, kind: str, df: pd.DataFrame, mapping: dict | None) -> dict:
    """The mapping to use: the given one, else a saved template for these headers, else a suggestion."""

    if mapping is None and engine is not None:
        mapping = find_template(engine, kind, list(df.columns))
    if mapping is None:
        mapping = suggest_mapping(df, kind)
    check_mapping(mapping, list(df.columns), kind)
    return mapping


def prepare(kind: str, df: pd.DataFrame, mapping: dict) -> Prepared:
    """Normalise and validate a frame; nothing is stored. Every problem is collected."""

    if kind not in ("survey", "exit", "focus", "evp_catalog", "evp_ratings"):
        raise InputError(f"Unknown kind '{kind}'. Use one of: survey, exit, focus, evp_catalog, evp_ratings.")
    df = df.reset_index(drop=True)
    errors: list[dict] = []
    out = pd.DataFrame(index=df.index)
    m = mapping
    lo, hi = _scale(m)
    sources = {k: v for k, v in m.items() if isinstance(v, str)}
    items_decl: list[dict] = []

    for name in ("role", "department", "location"):
        if name in ("role", "department", "location"):
            out[name] = _cut(_col(df, m.get(name)), 200)
    out["tenure"] = _tenure(_col(df, m.get("tenure")))
    if m.get("respondent_id"):
        out["respondent_id"] = _col(df, m["respondent_id"])
    seg_cols = [c for c in m.get("segments", []) if c in df.columns]
    out["segments"] = [
        {c: v for c in seg_cols if (v := _clean(df[c].iloc[i])) is not None} for i in range(len(df))
    ] if seg_cols else [{} for _ in range(len(df))]

    if kind in ("survey", "exit"):
        if m.get("enps"):
            out["enps"] = _numeric(_col(df, m["enps"]), m["enps"], errors, "eNPS must be a whole number from 0 to 10.")
        for item in m.get("items", []):
            out[f"item::{item}"] = _numeric(_col(df, item), item, errors,
                                            f"Rating must be a number between {lo:g} and {hi:g}.")
            sources[f"item::{item}"] = item
            items_decl.append({"item": item, "min": lo, "max": hi})

    if kind == "survey":
        wave_src = _col(df, m.get("wave"))
        out["wave"], out["wave_date"] = _wave_from(wave_src, m.get("wave", "wave"))
        _too_long(out["wave"], m.get("wave"), 64, errors,
                  "The wave label is longer than 64 characters; shorten it in the file.")
        for idx in wave_src.index[wave_src.isna()]:
            errors.append({"row": int(idx) + _ROW_OFFSET, "column": m.get("wave"), "value": None,
                           "message": "The wave (survey date or label) is required but the cell is empty."})
        schema = survey_schema([i["item"] for i in items_decl], lo, hi, [])
        errors += collect_failures(schema, out, sources, (lo, hi))
        if "respondent_id" in out:
            dup = out["respondent_id"].notna() & out.duplicated(["respondent_id", "wave"], keep="first")
            for idx in out.index[dup]:
                errors.append({"row": int(idx) + _ROW_OFFSET, "column": m["respondent_id"],
                               "value": str(out.at[idx, "respondent_id"]),
                               "message": "This respondent already answered in this wave (duplicate row)."})
        has_answer = pd.Series(False, index=out.index)
        for c in ["enps"] + [f"item::{i['item']}" for i in items_decl]:
            if c in out:
                has_answer |= out[c].notna()
        for c in m.get("text", []):
            has_answer |= _col(df, c).notna()
        rows_with_errors = {e["row"] for e in errors}
        for idx in out.index[~has_answer]:
            if int(idx) + _ROW_OFFSET in rows_with_errors:
                continue  # the row's own error already says what is wrong with it
            errors.append({"row": int(idx) + _ROW_OFFSET, "column": None, "value": None,
                           "message": "The row has no answers (no eNPS, ratings or comments)."})

    elif kind == "exit":
        out["exit_date"] = _dates(_col(df, m.get("exit_date")), m.get("exit_date", "exit_date"), errors, True)
        out["reason"] = _cut(_col(df, m.get("reason")), 300)
        other = m.get("other_reasons") or []
        other = [other] if isinstance(other, str) else list(other)
        if len(other) == 1:
            out["other_reasons"] = _col(df, other[0]).map(_split_reasons)
        elif other:
            out["other_reasons"] = _flag_reasons(df, other)
        else:
            out["other_reasons"] = [[] for _ in range(len(df))]
        out["regretted"] = _bool(_col(df, m.get("regretted")), m.get("regretted", "regretted"), errors)
        schema = survey_schema([i["item"] for i in items_decl], lo, hi, [])
        errors += collect_failures(schema, out, sources, (lo, hi))

    elif kind == "focus":
        out["session_date"] = _dates(_col(df, m.get("session_date")), m.get("session_date", "session_date"),
                                     errors, True)
        out["facilitator"] = _col(df, m.get("facilitator"))
        out["participants"] = _numeric(_col(df, m.get("participants")), m.get("participants", "participants"),
                                       errors, "Participants must be a whole number from 1 to 10,000.")
        given = out["participants"].notna()
        bad = given & ((out["participants"] % 1 != 0) | (out["participants"] < 1) | (out["participants"] > 10_000))
        src = _col(df, m.get("participants"))
        for idx in out.index[bad]:
            errors.append({"row": int(idx) + _ROW_OFFSET, "column": m.get("participants"), "value": str(src[idx])[:40],
                           "message": "Participants must be a whole number from 1 to 10,000 (people in the session)."})
        notes = _col(df, m.get("notes"))
        for idx in notes.index[notes.isna()]:
            errors.append({"row": int(idx) + _ROW_OFFSET, "column": m.get("notes"), "value": None,
                           "message": "The notes are empty: nothing to store for this session."})

    elif kind == "evp_catalog":
        out["benefit"] = _col(df, m.get("benefit"))
        out["pillar"] = _col(df, m.get("pillar"))
        out["description"] = _col(df, m.get("description"))
        out["roles_offered"] = _col(df, m.get("roles_offered"))
        _too_long(out["benefit"], m.get("benefit"), 200, errors,
                  "The benefit name is longer than 200 characters; shorten it in the file.")
        _too_long(out["pillar"], m.get("pillar"), 100, errors,
                  "The pillar name is longer than 100 characters; shorten it in the file.")
        for name in ("benefit", "roles_offered"):
            for idx in out.index[out[name].isna()]:
                errors.append({"row": int(idx) + _ROW_OFFSET, "column": m.get(name), "value": None,
                               "message": f"'{name}' is required but the cell is empty"
                                          + (" (write 'all' or a list of roles)." if name == "roles_offered" else ".")})
        dup = out["benefit"].notna() & out["benefit"].str.lower().duplicated(keep="first")
        for idx in out.index[dup]:
            errors.append({"row": int(idx) + _ROW_OFFSET, "column": m.get("benefit"), "value": out.at[idx, "benefit"],
                           "message": "This benefit is listed twice in the catalogue."})

    elif kind == "evp_ratings":
        wave_src = _col(df, m.get("wave"))
        out["wave"], out["wave_date"] = _wave_from(wave_src, m.get("wave", "wave"))
        _too_long(out["wave"], m.get("wave"), 64, errors,
                  "The wave label is longer than 64 characters; shorten it in the file.")
        out["benefit"] = _col(df, m.get("benefit"))
        _too_long(out["benefit"], m.get("benefit"), 200, errors,
                  "The benefit name is longer than 200 characters; shorten it in the file.")
        out["importance"] = _numeric(_col(df, m.get("importance")), m.get("importance"), errors,
                                     "Importance must be a number from 1 to 5.")
        out["satisfaction"] = _numeric(_col(df, m.get("satisfaction")), m.get("satisfaction"), errors,
                                       "Satisfaction must be a number from 1 to 5.")
        errors += collect_failures(evp_ratings_schema(), out, sources, (1, 5))

    # Free text (kept raw here; redacted just before storing).
    texts_cols = m.get(TEXT_KINDS.get(kind, ""), [])
    texts_cols = [texts_cols] if isinstance(texts_cols, str) else list(texts_cols or [])
    text_values = []
    for c in texts_cols:
        out[f"text::{c}"] = _col(df, c)
        text_values += [v for v in out[f"text::{c}"] if v]

    id_values = []
    for c in m.get("identifiers", []):
        if c in df.columns:
            id_values += [v for v in _col(df, c) if v]
    if kind == "focus" and m.get("facilitator"):
        id_values += [v for v in out["facilitator"] if v]

    errors.sort(key=lambda e: (e["row"] if e["row"] is not None else -1, str(e["column"])))
    return Prepared(kind, out, m, errors, items_decl, text_values, id_values)


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


#: Distinct texts from which redaction is spread over forked processes (below: one is quicker).
PARALLEL_REDACT_MIN = 20_000
_FORKED_REDACTOR = None  # the Redactor the forked workers inherit


class _Redaction:
    """The redacted form of each distinct comment of a batch (comments repeat: each is done once).

    Redaction is pure Python (the GIL rules out threads), so for large batches it runs in forked
    worker processes that inherit the redactor, started here and collected by :meth:`result`:
    meanwhile the caller writes the batch's other rows. Forking is only done from a
    single-threaded process (the CLI); inside a threaded server (Streamlit) redaction runs in
    :meth:`result`, in this process.
    """

    def __init__(self, redactor, texts):
        self.redactor = redactor
        self.unique = list(dict.fromkeys(t for t in texts if t))
        self._pool = self._futures = None
        workers = min(os.cpu_count() or 1, 8)
        if (len(self.unique) < PARALLEL_REDACT_MIN or workers < 2 or threading.active_count() > 1
                or "fork" not in multiprocessing.get_all_start_methods()):
            return

        global _FORKED_REDACTOR
        size = -(-len(self.unique) // (4 * workers))
        _FORKED_REDACTOR = redactor
        try:
            self._pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                             initializer=_exit_with_parent, initargs=(os.getpid(),))
            self._futures = [self._pool.submit(_redact_chunk, self.unique[i:i + size])
                             for i in range(0, len(self.unique), size)]
        finally:  # the workers are forked at the first submit and keep their own copy
            _FORKED_REDACTOR = None

    def result(self) -> dict[str, str]:
        if self._pool is None:
            return dict(zip(self.unique, self.redactor.redact_many(self.unique)))
        try:
            return dict(zip(self.unique, (t for f in self._futures for t in f.result())))
        finally:
            self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def _redact_chunk(texts: list[str]) -> list[str]:
    return _FORKED_REDACTOR.redact_many(texts)


def _exit_with_parent(parent: int) -> None:
    """In a redaction worker: exit as soon as the ingest process is gone (killed mid-batch, say)."""

    def watch():
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _text_values(keep: pd.DataFrame) -> list:
    return [v for c in keep.columns if c.startswith("text::") for v in keep[c]]


def _text_rows(prep: Prepared, keep: pd.DataFrame, record_ids: list[int], batch_id: int,
               redaction: _Redaction, split: bool, date_col: str | None) -> list[dict]:
    text_cols = [c for c in keep.columns if c.startswith("text::")]
    if not text_cols or not len(keep):
        return []
    n = len(keep)

    def column(name: str | None) -> list:
        return keep[name].tolist() if name and name in keep.columns else [None] * n

    values = {c: column(c) for c in text_cols}
    clean = redaction.result()
    meta = zip(record_ids, (keep.index.to_numpy() + _ROW_OFFSET).tolist(), column("respondent_key"),
               column("role"), column("department"), column("location"), column("tenure"), column("wave"),
               [_none(v) for v in column(date_col)])
    questions = {c: c.removeprefix("text::")[:300] for c in text_cols}
    rows = []
    for i, (rec_id, record_no, key, role, dept, loc, tenure, wave, date) in enumerate(meta):
        for c in text_cols:
            raw = values[c][i]
            if not raw:
                continue
            text = clean[raw]
            parts = (split_statements(text) or [text]) if split else [text]
            for seq, part in enumerate(parts):
                rows.append({
                    "batch_id": batch_id, "kind": prep.kind, "record_id": rec_id, "record_no": record_no,
                    "respondent_key": key, "question": questions[c], "seq": seq, "role": role,
                    "department": dept, "location": loc, "tenure": tenure, "wave": wave, "date": date,
                    "text": part, "text_hash": text_hash(part),
                })
    return rows


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


def store(engine: Engine, settings: Settings, prep: Prepared, *, name: str, filename: str | None,
          digest: str, is_demo: bool = False, user: str | None = None) -> IngestResult:
    """Store the valid rows of a prepared batch in ONE transaction."""
    key = settings.hash_key()
    keep = _records(prep, key)
    redactor = _redactor(prep, keep)
    result = IngestResult(kind=prep.kind, rows_read=len(prep.frame), mapping=prep.mapping, errors=prep.errors)
    result.rejected_rows = sorted(r + _ROW_OFFSET for r in prep.bad_rows)
    redaction = _Redaction(redactor, _text_values(keep))  # runs while the other rows are written
    try:
        batch_id, units = _store_all(engine, prep, keep, name, filename, digest, is_demo, user, redaction, key)
    finally:
        redaction.close()
    result.batch_id = batch_id
    result.rows_stored = len(keep)
    result.rows_rejected = len(prep.frame) - len(keep)
    result.text_units = len(units)
    return result


def _store_all(engine, prep, keep, name, filename, digest, is_demo, user, redaction, key) -> tuple[int, list]:
    """The batch row, its records, scores and text units, and the audit entry: one transaction."""
    with engine.begin() as conn:
        batch_id = conn.execute(insert(db.batches).values(
            kind=prep.kind, name=name[:200], filename=(filename or "")[:300], content_hash=digest,
            created_at=db.now(), created_by=user, rows_read=len(prep.frame), rows_stored=len(keep),
            rows_rejected=len(prep.frame) - len(keep), is_demo=is_demo,
            mapping_json=json.dumps(prep.mapping, ensure_ascii=False),
            items_json=json.dumps(prep.items, ensure_ascii=False),
        ).returning(db.batches.c.id)).scalar_one()
        units = _store_kind(conn, prep, keep, batch_id, redaction, key)
        insert_rows(conn, db.text_units, units)
        record(conn, user, "upload", f"batch {batch_id} ({prep.kind}, {len(keep)} rows)")
    return batch_id, units


def _store_kind(conn, prep: Prepared, keep: pd.DataFrame, batch_id: int, redaction: _Redaction,
                key: bytes) -> list[dict]:
    kind = prep.kind
    record_no = (keep.index.to_numpy() + _ROW_OFFSET).tolist()
    if kind == "survey":  # the big one: built column by column
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
        if prep.items:  # the same scores packed per response, for fast reads (db.pack_scores)
            rows["item_scores"] = db.pack_scores(_score_matrix(keep, prep.items))
        ids = insert_rows(conn, db.survey_responses, rows, with_ids=True)
        _store_scores(conn, db.survey_scores, "response_id", keep, ids, prep.items, batch_id)
        return _text_rows(prep, keep, ids, batch_id, redaction, split=False, date_col="wave_date")
    records = list(zip(record_no, keep.to_dict("records")))
    if kind == "exit":
        rows = [{
            "batch_id": batch_id, "record_no": no, "respondent_key": r["respondent_key"],
            "exit_date": _none(r["exit_date"]), "role": r["role"], "department": r["department"],
            "location": r["location"], "tenure": r["tenure"], "reason": r["reason"],
            "other_reasons_json": json.dumps(r["other_reasons"], ensure_ascii=False),
            "regretted": _none(r["regretted"]),
            "enps": None if _none(r.get("enps")) is None else int(r["enps"]),
            "segments_json": json.dumps(r["segments"], ensure_ascii=False) if r["segments"] else None,
        } for no, r in records]
        ids = insert_rows(conn, db.exits, rows, with_ids=True)
        _store_scores(conn, db.exit_scores, "exit_id", keep, ids, prep.items, batch_id)
        return _text_rows(prep, keep, ids, batch_id, redaction, split=True, date_col="exit_date")
    if kind == "focus":
        rows = [{
            "batch_id": batch_id, "record_no": no, "session_date": _none(r["session_date"]),
            "role": r["role"], "department": r["department"], "location": r["location"],
            "facilitator_key": None if r["facilitator"] is None else keyed_hash(r["facilitator"], key),
            "participants": None if _none(r["participants"]) is None else int(r["participants"]),
        } for no, r in records]
        ids = insert_rows(conn, db.focus_sessions, rows, with_ids=True)
        return _text_rows(prep, keep, ids, batch_id, redaction, split=True, date_col="session_date")
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
    scores = _score_matrix(keep, items)
    # Record by record (the order of the table's key), so that its index grows at the end.
    given = ~np.isnan(scores)
    rows, cols = np.nonzero(given)
    insert_rows(conn, table, {fk: np.asarray(ids)[rows].tolist(), "item": names[cols].tolist(),
                               "score": scores[given].tolist(), "batch_id": [batch_id] * len(rows)})


# --------------------------------------------------------------------------- entry points

def _check_duplicate(engine: Engine, digest: str) -> None:
    with engine.connect() as conn:
        row = conn.execute(select(db.batches.c.id, db.batches.c.name)
                           .where(db.batches.c.content_hash == digest)).first()
    if row:
        raise DuplicateBatchError(
            f"This file was already stored as batch {row.id} ('{row.name}'). Nothing was stored again. "
            f"Delete batch {row.id} first if you want to replace it.", batch_id=row.id)


def ingest_frame(engine: Engine, settings: Settings, kind: str, df: pd.DataFrame, mapping: dict | None = None, *,
                 name: str | None = None, filename: str | None = None, digest: str | None = None,
                 skip_invalid: bool = False, is_demo: bool = False, user: str | None = None) -> IngestResult:
    """Validate and store a frame of one source kind.

    Raises:
        ValidationFailed: the batch has errors and ``skip_invalid`` is False (nothing stored;
            ``exc.errors`` lists every problem, ``exc.result`` has the counts).
        DuplicateBatchError: the same content was stored before.
    """
    if df.empty:
        raise InputError("The file has no data rows. Check that the first row holds the column names.")
    mapping = resolve_mapping(engine, kind, df, mapping)
    if digest is None:
        digest = content_hash((kind + "\n" + df.to_csv(index=False)).encode())
    _check_duplicate(engine, digest)
    prep = prepare(kind, df, mapping)
    if prep.errors and not skip_invalid:
        result = IngestResult(kind=kind, rows_read=len(prep.frame), rows_rejected=len(prep.bad_rows & set(
            prep.frame.index)), errors=prep.errors, mapping=mapping)
        result.rejected_rows = sorted(r + _ROW_OFFSET for r in prep.bad_rows)
        raise ValidationFailed(
            f"{len(prep.errors)} problem(s) in {result.rows_rejected} of {result.rows_read} rows; nothing was "
            "stored. Fix the file, or store the valid rows only.", prep.errors, result)
    return store(engine, settings, prep, name=name or filename or f"{kind} batch", filename=filename,
                 digest=digest, is_demo=is_demo, user=user)


def ingest_file(engine: Engine, settings: Settings, kind: str, data: bytes | BinaryIO, filename: str,
                mapping: dict | None = None, *, name: str | None = None, sheet=None, skip_invalid: bool = False,
                user: str | None = None) -> IngestResult:
    """Read a CSV/XLSX file and ingest it (see :func:`ingest_frame`)."""

    raw = data if isinstance(data, bytes) else data.read()
    limit = settings.upload_limit_mb * 1024 * 1024
    if len(raw) > limit:
        raise InputError(f"The file is {len(raw) / 1024 / 1024:.0f} MB; the limit is {settings.upload_limit_mb} MB. "
                         "Split it into smaller files, or ask an admin to raise EEVP_UPLOAD_LIMIT_MB.")
    digest = content_hash(raw)
    _check_duplicate(engine, digest)
    df = read_table(raw, filename, sheet=sheet)
    return ingest_frame(engine, settings, kind, df, mapping, name=name or filename, filename=filename,
                        digest=digest, skip_invalid=skip_invalid, user=user)


def rejected_frame(df: pd.DataFrame, errors: list[dict]) -> pd.DataFrame:
    """The rejected source rows with their problems, for download."""
    by_row: dict[int, list[str]] = {}
    for e in errors:
        if e.get("row") is not None:
            col = f"{e['column']}: " if e.get("column") else ""
            by_row.setdefault(e["row"], []).append(col + e["message"])
    rows = sorted(by_row)
    out = df.reset_index(drop=True).iloc[[r - _ROW_OFFSET for r in rows]].copy()
    out.insert(0, "problems", ["; ".join(by_row[r]) for r in rows])
    out.insert(0, "row", rows)
    return out


def count_rows(engine: Engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


__all__ = ["IngestResult", "Prepared", "ingest_file", "ingest_frame", "prepare", "rejected_frame", "asdict",
           "keyed_hash", "content_hash", "text_hash"]
