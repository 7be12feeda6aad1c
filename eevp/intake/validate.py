"""Normalise and validate a frame of one source kind: every problem collected, nothing stored.

:func:`prepare` turns the mapped columns into the canonical frame (numbers, dates, waves, flags,
segments, free text) and lists each failure as ``{row, column, value, message}``;
:mod:`eevp.intake.ingest` stores what passes.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

from eevp.errors import InputError
from eevp.intake.checks import findings as group_and_date_findings, is_placeholder
from eevp.intake.dates import parse_date_column
from eevp.intake.mapping import NPS_SCALE, check_mapping, find_template, suggest_mapping, tenure_in_months
from eevp.intake.readers import file_rows
from eevp.intake.scales import item_labels, to_points
from eevp.intake.schemas import collect_failures, evp_ratings_schema, survey_schema

__all__ = ["FALSE_WORDS", "ROW_OFFSET", "STATUS_SEGMENT", "TEXT_KINDS", "TRUE_WORDS", "Prepared", "prepare",
           "resolve_mapping", "source_column", "split_role"]

TEXT_KINDS = {"survey": "text", "exit": "text", "focus": "notes", "customer_feedback": "comment"}
TRUE_WORDS = {"yes", "y", "true", "1", "x", "да", "так", "regretted", "regrettable", "сожалеем", "+"}
FALSE_WORDS = {"no", "n", "false", "0", "нет", "ні", "-", "non-regretted", "not regretted"}
ROW_OFFSET = 2  # while validating, a row is its position + 2; prepare() turns it into the file's row number
#: The segment that keeps a status taken off a job title ("Labourer (Former Employee)").
STATUS_SEGMENT = "status"
_STATUSES = {spelling.casefold(): status for status, spellings in json.loads(
    (Path(__file__).resolve().parents[1] / "resources" / "mapping" / "role_suffixes.json").read_text(encoding="utf-8")
)["statuses"].items() for spelling in spellings}
_ROLE_SUFFIX = re.compile(r"^(?P<role>.*?)\s*[(\[]\s*(?P<status>[^()\[\]]+?)\s*[)\]]\s*$", re.DOTALL)


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
    rows: list[int] | None = None  # each position's row in the file (as errors name it); None: position + 2
    findings: list[dict] = field(default_factory=list)  # not errors: see eevp.intake.checks.findings

    def row_of(self, position: int) -> int:
        """The row of the file that the frame's row at ``position`` came from."""
        return self.rows[position] if self.rows is not None else position + ROW_OFFSET
    source: str = ""  # fingerprint of the frame validated (:func:`frame_fingerprint`)

    @property
    def bad_rows(self) -> set[int]:
        """Positions (0-based) of the rows with an error."""
        named = [e["row"] for e in self.errors if e.get("row") is not None]
        rows = np.asarray(self.rows) if self.rows is not None else np.arange(len(self.frame)) + ROW_OFFSET
        return set(np.flatnonzero(np.isin(rows, named)).tolist())

    def fits(self, kind: str, df: pd.DataFrame, mapping: dict) -> bool:
        """Whether this is the validation of ``df`` as ``kind`` with ``mapping``, so that it need not
        run again (the Upload page validates for its preview and hands the result to ingest)."""
        return (self.kind == kind and self.mapping == mapping and bool(self.source)
                and self.source == frame_fingerprint(df))


def frame_fingerprint(df: pd.DataFrame) -> str:
    """A digest of a frame's column names and values (the row order counts; the index does not).

    Returns "" when the values cannot be hashed, which matches nothing.
    """
    try:
        values = pd.util.hash_pandas_object(df.reset_index(drop=True), index=False).to_numpy()
    except TypeError:
        return ""
    head = json.dumps([str(c) for c in df.columns]).encode()
    return hashlib.sha256(head + values.tobytes()).hexdigest()


# --------------------------------------------------------------------------- helpers

def _clean(value):
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    s = str(value).strip()
    return s or None


def source_column(df: pd.DataFrame, name: str | None) -> pd.Series:
    if not name:
        return pd.Series([None] * len(df), index=df.index, dtype=object)
    # A list, not Series.map: pandas 3 turns the None that map() returns into NaN.
    return pd.Series([_clean(v) for v in df[name]], index=df.index, dtype=object)


def _each_distinct(fn, values) -> list:
    """``[fn(v) for v in values]``, ``fn`` called once per distinct value: group columns, ratings and tenure
    hold a handful of values in a million rows."""
    done = {v: fn(v) for v in dict.fromkeys(values)}
    return [done[v] for v in values]


def _number_text(value):
    return None if value is None else str(value).replace(",", ".").replace("\u00a0", "").strip()


def _cut(series: pd.Series, length: int) -> pd.Series:
    """Texts cut to a column's length; None stays None (object dtype, never NaN)."""
    return pd.Series([None if v is None else v[:length] for v in series], index=series.index, dtype=object)


def _numeric(series: pd.Series, column: str, errors: list[dict], message: str) -> pd.Series:
    """Convert text to numbers (decimal comma accepted); report what is not a number."""
    text = pd.Series(_each_distinct(_number_text, series), index=series.index, dtype=object)
    nums = pd.to_numeric(text, errors="coerce")
    bad = text.notna() & nums.isna()
    for idx in series.index[bad]:
        errors.append({"row": int(idx) + ROW_OFFSET, "column": column, "value": str(series[idx]), "message": message})
    return nums.astype(float)


def _dates(series: pd.Series, column: str, errors: list[dict], required: bool) -> pd.Series:
    values = series.reset_index(drop=True)
    parsed, bad = parse_date_column(values)
    parsed = pd.Series(list(parsed), index=series.index, dtype=object)
    for pos in bad:
        idx = series.index[pos]
        errors.append({"row": int(idx) + ROW_OFFSET, "column": column, "value": str(series[idx]),
                       "message": "Not a date I can read. Use 2024-03-15 or 15.03.2024."})
    if required:
        for idx in series.index[series.isna()]:
            errors.append({"row": int(idx) + ROW_OFFSET, "column": column, "value": None,
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
        errors.append({"row": int(idx) + ROW_OFFSET, "column": column, "value": str(series[idx]),
                       "message": "Use yes or no (да/нет, так/ні)."})
    return out.where(out != "bad", None).astype(object)


def _wave_from(series: pd.Series, column: str) -> tuple[pd.Series, pd.Series]:
    """A wave column may hold labels ("2026-Q1", "Spring pulse") or dates.

    When every non-empty value reads as a date, the wave label becomes the quarter
    ("2026-Q1") and the date is kept; otherwise labels are kept as written (years and quarters
    among them: a wave "2012" is the year 2012, without a date).
    """

    values = series.reset_index(drop=True)
    # A year alone ("2012") is the period itself: the wave is the year, never a made-up 1 January.
    labels_only = r"\d{4}-?Q[1-4]|(?:19|20)\d\d"
    if values.notna().sum() and not values.dropna().map(lambda s: bool(re.fullmatch(labels_only, str(s)))).all():
        parsed, bad = parse_date_column(values)
        if not bad:
            years = [v is not None and bool(re.fullmatch(r"(?:19|20)\d\d", str(v))) for v in values]
            dates = pd.Series([None if y else d for d, y in zip(parsed, years)], index=series.index, dtype=object)
            labels = [str(v) if y else (None if d is None else f"{d.year}-Q{(d.month - 1) // 3 + 1}")
                      for v, d, y in zip(values, parsed, years)]
            return pd.Series(labels, index=series.index, dtype=object), dates
    return series.astype(object), pd.Series([None] * len(series), index=series.index, dtype=object)


def _too_long(series: pd.Series, column: str | None, limit: int, errors: list[dict], message: str) -> None:
    """Report values longer than the database keeps (cutting them could merge two different ones)."""
    for idx in series.index[series.map(lambda v: v is not None and len(str(v)) > limit)]:
        errors.append({"row": int(idx) + ROW_OFFSET, "column": column, "value": str(series[idx])[:60] + "…",
                       "message": message})


_TENURE_BANDS = [(1, "<1 year"), (3, "1-3 years"), (5, "3-5 years"), (10, "5-10 years")]


def _tenure(series: pd.Series, months: bool = False) -> pd.Series:
    """Numbers of years (or of months, when the header says so) become bands, so that tenure stays
    a small set of groups."""
    def band(v):
        if v is None:
            return None
        try:
            years = float(str(v).replace(",", ".")) / (12 if months else 1)
        except ValueError:
            return str(v)[:64]
        for upper, label in _TENURE_BANDS:
            if years < upper:
                return label
        return "10+ years"

    return pd.Series(_each_distinct(band, series), index=series.index, dtype=object)


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
    """The mapping to use: the given one, else a saved template for these headers, else a suggestion;
    items answered in the words of a known scale get their labels (``mapping["labels"]``)."""

    if mapping is None and engine is not None:
        mapping = find_template(engine, kind, list(df.columns))
    if mapping is None:
        mapping = suggest_mapping(df, kind)
    elif "items" in mapping:  # items answered in the words of a known scale are converted without asking
        mapping = item_labels(df, mapping)
    check_mapping(mapping, list(df.columns), kind)
    return mapping


@dataclass
class _Work:
    """What the steps of :func:`prepare` read and fill: the source frame, the mapping, the
    normalised frame, the problems found, each output column's source column, the rating items."""

    df: pd.DataFrame
    m: dict
    out: pd.DataFrame
    errors: list[dict]
    sources: dict
    items: list[dict]
    lo: float
    hi: float


def _items(w: _Work) -> None:
    """Ratings and eNPS (survey and exit)."""
    df, m, out, errors, lo, hi = w.df, w.m, w.out, w.errors, w.lo, w.hi
    if m.get("enps"):
        out["enps"] = _numeric(source_column(df, m["enps"]), m["enps"], errors, "eNPS must be a whole number from 0 to 10.")
    labels = m.get("labels") or {}
    for item in m.get("items", []):
        values, top = source_column(df, item), w.hi
        if item in labels:  # answers in words: their points on the item's own scale (1..points)
            values, top = _points(values, item, labels[item], errors), labels[item].get("points") or w.hi
        out[f"item::{item}"] = _numeric(values, item, errors, _rating_message(lo, top))
        w.sources[f"item::{item}"] = item
        w.items.append({"item": item, "min": lo if item not in labels else 1, "max": top})


def _rating_message(lo: float, hi: float) -> str:
    return f"Rating must be a number between {lo:g} and {hi:g}."


def _points(values: pd.Series, item: str, scale: dict, errors: list[dict]) -> pd.Series:
    """Labels of a scale → their points; a word the scale does not know is an error naming the fix
    (and left out of the numbers, so that it is reported once)."""
    points, unknown = to_points(values, scale)
    for pos in unknown:
        idx = values.index[pos]
        errors.append({"row": int(idx) + ROW_OFFSET, "column": item, "value": str(values[idx]),
                       "message": "This answer is not a label of the item's scale. Give it a number on the Upload "
                                  "page (or in the mapping's 'labels'), or write the number in the file."})
        points[idx] = None
    return points


def _wave(w: _Work) -> pd.Series:
    """The wave and its date from the wave column (a label or a date); returns the source column."""
    wave_src = source_column(w.df, w.m.get("wave"))
    w.out["wave"], w.out["wave_date"] = _wave_from(wave_src, w.m.get("wave", "wave"))
    _too_long(w.out["wave"], w.m.get("wave"), 64, w.errors,
              "The wave label is longer than 64 characters; shorten it in the file.")
    return wave_src


def _survey(w: _Work) -> None:
    """Survey: wave, schema, duplicates, rows without answers."""
    df, m, out, errors = w.df, w.m, w.out, w.errors
    wave_src = _wave(w)
    for idx in wave_src.index[wave_src.isna()]:
        errors.append({"row": int(idx) + ROW_OFFSET, "column": m.get("wave"), "value": None,
                       "message": "The wave (survey date or label) is required but the cell is empty."})
    schema = survey_schema([i["item"] for i in w.items], w.lo, w.hi, [], _ranges(w))
    w.errors += collect_failures(schema, out, w.sources, (w.lo, w.hi))
    if "respondent_id" in out:
        dup = out["respondent_id"].notna() & out.duplicated(["respondent_id", "wave"], keep="first")
        for idx in out.index[dup]:
            errors.append({"row": int(idx) + ROW_OFFSET, "column": m["respondent_id"],
                           "value": str(out.at[idx, "respondent_id"]),
                           "message": "This respondent already answered in this wave (duplicate row)."})
    has_answer = pd.Series(False, index=out.index)
    for c in ["enps"] + [f"item::{i['item']}" for i in w.items]:
        if c in out:
            has_answer |= out[c].notna()
    for c in m.get("text", []):
        has_answer |= source_column(df, c).notna()
    rows_with_errors = {e["row"] for e in errors}
    for idx in out.index[~has_answer]:
        if int(idx) + ROW_OFFSET in rows_with_errors:
            continue  # the row's own error already says what is wrong with it
        errors.append({"row": int(idx) + ROW_OFFSET, "column": None, "value": None,
                       "message": "The row has no answers (no eNPS, ratings or comments)."})


def _ranges(w: _Work) -> dict:
    """Items on a scale of their own (answered in words): their range."""
    return {i["item"]: (i["min"], i["max"]) for i in w.items if (i["min"], i["max"]) != (w.lo, w.hi)}


def _exit(w: _Work) -> None:
    """Exit: date, reasons, regretted, schema."""
    df, m, out, errors = w.df, w.m, w.out, w.errors
    out["exit_date"] = _dates(source_column(df, m.get("exit_date")), m.get("exit_date", "exit_date"), errors, True)
    out["reason"] = _cut(source_column(df, m.get("reason")), 300)
    other = m.get("other_reasons") or []
    other = [other] if isinstance(other, str) else list(other)
    if len(other) == 1:
        out["other_reasons"] = source_column(df, other[0]).map(_split_reasons)
    elif other:
        out["other_reasons"] = _flag_reasons(df, other)
    else:
        out["other_reasons"] = [[] for _ in range(len(df))]
    out["regretted"] = _bool(source_column(df, m.get("regretted")), m.get("regretted", "regretted"), errors)
    schema = survey_schema([i["item"] for i in w.items], w.lo, w.hi, [], _ranges(w))
    w.errors += collect_failures(schema, out, w.sources, (w.lo, w.hi))


def _focus(w: _Work) -> None:
    """Focus group: date, facilitator, participants, notes."""
    df, m, out, errors = w.df, w.m, w.out, w.errors
    out["session_date"] = _dates(source_column(df, m.get("session_date")), m.get("session_date", "session_date"),
                                 errors, True)
    out["facilitator"] = source_column(df, m.get("facilitator"))
    out["participants"] = _numeric(source_column(df, m.get("participants")), m.get("participants", "participants"),
                                   errors, "Participants must be a whole number from 1 to 10,000.")
    given = out["participants"].notna()
    bad = given & ((out["participants"] % 1 != 0) | (out["participants"] < 1) | (out["participants"] > 10_000))
    src = source_column(df, m.get("participants"))
    for idx in out.index[bad]:
        errors.append({"row": int(idx) + ROW_OFFSET, "column": m.get("participants"), "value": str(src[idx])[:40],
                       "message": "Participants must be a whole number from 1 to 10,000 (people in the session)."})
    notes = source_column(df, m.get("notes"))
    for idx in notes.index[notes.isna()]:
        errors.append({"row": int(idx) + ROW_OFFSET, "column": m.get("notes"), "value": None,
                       "message": "The notes are empty: nothing to store for this session."})


def _evp_catalog(w: _Work) -> None:
    """EVP catalogue: names, pillars, who it is offered to, duplicates."""
    df, m, out, errors = w.df, w.m, w.out, w.errors
    out["benefit"] = source_column(df, m.get("benefit"))
    out["pillar"] = source_column(df, m.get("pillar"))
    out["description"] = source_column(df, m.get("description"))
    out["roles_offered"] = source_column(df, m.get("roles_offered"))
    _too_long(out["benefit"], m.get("benefit"), 200, errors,
              "The benefit name is longer than 200 characters; shorten it in the file.")
    _too_long(out["pillar"], m.get("pillar"), 100, errors,
              "The pillar name is longer than 100 characters; shorten it in the file.")
    for name in ("benefit", "roles_offered"):
        for idx in out.index[out[name].isna()]:
            errors.append({"row": int(idx) + ROW_OFFSET, "column": m.get(name), "value": None,
                           "message": f"'{name}' is required but the cell is empty"
                                      + (" (write 'all' or a list of roles)." if name == "roles_offered" else ".")})
    dup = out["benefit"].notna() & out["benefit"].str.lower().duplicated(keep="first")
    for idx in out.index[dup]:
        errors.append({"row": int(idx) + ROW_OFFSET, "column": m.get("benefit"), "value": out.at[idx, "benefit"],
                       "message": "This benefit is listed twice in the catalogue."})


def _evp_ratings(w: _Work) -> None:
    """EVP ratings: wave, benefit, importance, satisfaction, schema."""
    df, m, out, errors = w.df, w.m, w.out, w.errors
    _wave(w)
    out["benefit"] = source_column(df, m.get("benefit"))
    _too_long(out["benefit"], m.get("benefit"), 200, errors,
              "The benefit name is longer than 200 characters; shorten it in the file.")
    out["importance"] = _numeric(source_column(df, m.get("importance")), m.get("importance"), errors,
                                 "Importance must be a number from 1 to 5.")
    out["satisfaction"] = _numeric(source_column(df, m.get("satisfaction")), m.get("satisfaction"), errors,
                                   "Satisfaction must be a number from 1 to 5.")
    w.errors += collect_failures(evp_ratings_schema(), out, w.sources, (1, 5))


def _customer_feedback(w: _Work) -> None:
    """Customer feedback: date (and its quarter), comment, channel, product, score on the declared scale."""
    df, m, out, errors = w.df, w.m, w.out, w.errors
    out["date"] = _dates(source_column(df, m.get("date")), m.get("date", "date"), errors, True)
    out["period"] = out["date"].map(lambda d: None if d is None else f"{d.year}-Q{(d.month - 1) // 3 + 1}")
    out["channel"] = _cut(source_column(df, m.get("channel")), 100)
    out["product"] = _cut(source_column(df, m.get("product")), 200)
    lo, hi = _scale({"scale": m.get("scale") or NPS_SCALE})
    out["score"] = _numeric(source_column(df, m.get("score")), m.get("score"), errors,
                            f"The score must be a number from {lo:g} to {hi:g} (the declared scale).")
    src = source_column(df, m.get("score"))
    for idx in out.index[out["score"].notna() & ((out["score"] < lo) | (out["score"] > hi))]:
        errors.append({"row": int(idx) + ROW_OFFSET, "column": m.get("score"), "value": str(src[idx]),
                       "message": f"The score must be from {lo:g} to {hi:g} (the declared scale); declare "
                                  "another scale in the mapping if this file uses one."})
    comment = source_column(df, m.get("comment"))
    for idx in comment.index[comment.isna()]:
        errors.append({"row": int(idx) + ROW_OFFSET, "column": m.get("comment"), "value": None,
                       "message": "The comment is empty: nothing to store for this row."})


_KIND_STEPS = {"survey": _survey, "exit": _exit, "focus": _focus, "evp_catalog": _evp_catalog,
               "evp_ratings": _evp_ratings, "customer_feedback": _customer_feedback}


def split_role(value: str | None) -> tuple[str | None, str | None]:
    """A job title and the status some exports append to it: ``"Labourer (Former Employee)"`` →
    ``("Labourer", "Former Employee")``. Titles without a known suffix are kept as they are."""
    found = _ROLE_SUFFIX.match(value) if value else None
    status = _STATUSES.get(found["status"].casefold()) if found else None
    if status is None or not found["role"]:
        return value, None
    return found["role"], status


def _common(df: pd.DataFrame, m: dict, out: pd.DataFrame) -> None:
    """The columns every kind may have: role, department, location, tenure, respondent, segments."""
    for name in ("role", "department", "location"):
        # a placeholder ("Anonymous Employee") names no group: stored as no value, and said so before storing
        values = source_column(df, m.get(name))
        out[name] = _cut(pd.Series(_each_distinct(lambda v: None if is_placeholder(v) else v, values),
                                   index=values.index, dtype=object), 200)
    roles = _each_distinct(split_role, out["role"])
    out["role"] = pd.Series([r for r, _ in roles], index=out.index, dtype=object)
    statuses = [s for _, s in roles]
    out["tenure"] = _tenure(source_column(df, m.get("tenure")), tenure_in_months(m.get("tenure")))
    if m.get("respondent_id"):
        out["respondent_id"] = source_column(df, m["respondent_id"])
    seg_cols = [c for c in m.get("segments", []) if c in df.columns]
    segments = [
        {c: v for c in seg_cols if (v := _clean(df[c].iloc[i])) is not None} for i in range(len(df))
    ] if seg_cols else [{} for _ in range(len(df))]
    for seg, status in zip(segments, statuses):
        if status is not None:
            seg.setdefault(STATUS_SEGMENT, status)  # a segment column of that name in the file comes first
    out["segments"] = segments


def _texts_and_identifiers(kind: str, df: pd.DataFrame, m: dict, out: pd.DataFrame) -> tuple[list, list]:
    """Free text (kept raw here; redacted just before storing) and the values to redact as identifiers."""
    texts_cols = m.get(TEXT_KINDS.get(kind, ""), [])
    texts_cols = [texts_cols] if isinstance(texts_cols, str) else list(texts_cols or [])
    text_values = []
    for c in texts_cols:
        out[f"text::{c}"] = source_column(df, c)
        text_values += [v for v in out[f"text::{c}"] if v]
    id_values = []
    # Respondent ids are identifiers too: one typed into a comment ("I am EMP-7000") is redacted.
    for c in [m["respondent_id"]] if isinstance(m.get("respondent_id"), str) else []:
        if c in df.columns:
            id_values += [v for v in source_column(df, c) if v]
    for c in m.get("identifiers", []):
        if c in df.columns:
            id_values += [v for v in source_column(df, c) if v]
    if kind == "focus" and m.get("facilitator"):
        id_values += [v for v in out["facilitator"] if v]
    return text_values, id_values


def prepare(kind: str, df: pd.DataFrame, mapping: dict, *, fingerprint: bool = True) -> Prepared:
    """Normalise and validate a frame; nothing is stored. Every problem is collected.

    ``fingerprint``: also fingerprint the frame (``Prepared.source``, what :meth:`Prepared.fits`
    compares: for a preview handed on to the ingest); an ingest that validates for itself skips it
    (seconds and hundreds of megabytes on a million rows)."""
    if kind not in _KIND_STEPS:
        kinds = ", ".join(_KIND_STEPS)
        raise InputError(f"Unknown kind '{kind}'. Use one of: {kinds}.")
    df = df.reset_index(drop=True)
    lo, hi = _scale(mapping)
    w = _Work(df, mapping, pd.DataFrame(index=df.index), [], {k: v for k, v in mapping.items() if isinstance(v, str)},
              [], lo, hi)
    _common(df, mapping, w.out)
    if kind in ("survey", "exit"):
        _items(w)
    _KIND_STEPS[kind](w)
    text_values, id_values = _texts_and_identifiers(kind, df, mapping, w.out)
    rows = file_rows(df).tolist()
    for e in w.errors:  # positions → the rows of the file (skipped rows leave gaps in the numbers)
        if e.get("row") is not None:
            e["row"] = rows[e["row"] - ROW_OFFSET]
    w.errors.sort(key=lambda e: (e["row"] if e["row"] is not None else -1, str(e["column"])))
    return Prepared(kind, w.out, mapping, w.errors, w.items, text_values, id_values, rows,
                    group_and_date_findings(df, mapping), source=frame_fingerprint(df) if fingerprint else "")
