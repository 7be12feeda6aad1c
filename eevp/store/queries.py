"""Read stored data into tidy frames for reports and pages.

These return respondent-level rows for computation only; nothing here is shown as is:
every aggregate drawn from them passes through :mod:`eevp.analytics.anonymity`.
"""

from __future__ import annotations

import gc
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import and_, case, func, select
from sqlalchemy.engine import Engine

from eevp.store import db
from eevp.store.auth import User, require

SEGMENTS = ("role", "department", "location", "tenure")
#: What a segment column holds where the file gave no value (one group in tables; no department when counting).
NOT_GIVEN = "(not given)"


@dataclass(frozen=True)
class Filters:
    """Filters shared across pages. Empty tuple = no filter on that field."""

    waves: tuple[str, ...] = ()
    role: tuple[str, ...] = ()
    department: tuple[str, ...] = ()
    location: tuple[str, ...] = ()
    tenure: tuple[str, ...] = ()
    segments: tuple[tuple[str, tuple[str, ...]], ...] = field(default_factory=tuple)

    def apply(self, df: pd.DataFrame, wave_col: str = "wave") -> pd.DataFrame:
        mask = pd.Series(True, index=df.index)
        if self.waves and wave_col in df:
            mask &= df[wave_col].isin(self.waves)
        for name in SEGMENTS:
            values = getattr(self, name)
            if values and name in df:
                mask &= df[name].isin(values)
        for name, values in self.segments:
            if values and name in df:
                mask &= df[name].isin(values)
        return df[mask]

    @property
    def active(self) -> bool:
        return any([self.waves, self.role, self.department, self.location, self.tenure,
                    any(v for _, v in self.segments)])


def rows_frame(rows, columns: list[str]) -> pd.DataFrame:
    """A DataFrame from result rows, column by column.

    ``pd.DataFrame(rows)`` probes every SQLAlchemy ``Row`` for namedtuple fields (an exception
    per row inside SQLAlchemy): seconds at 100,000s of rows. Transposing first costs milliseconds.
    """
    if not rows:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame(dict(zip(columns, (list(c) for c in zip(*rows)))), columns=columns)


def _fetch(conn, stmt) -> dict[str, list]:
    """All rows of a SELECT as columns of plain values, read through the driver's cursor.

    SQLAlchemy builds a ``Row`` per result row, which costs more than SQLite's own work when a
    page loads 100,000s of rows (on SQLite only; other backends go through ``conn.execute``). The statement is still compiled by SQLAlchemy for the engine's
    dialect, parameters are bound by the driver with their bind processors applied, and each
    column's result processor (dates on SQLite, for instance) is applied, so the values are the
    ones ``conn.execute`` returns.
    """
    columns = list(stmt.selected_columns.keys())
    dialect = conn.dialect
    if dialect.name != "sqlite":  # the driver shortcut is for SQLite's row cost; elsewhere the portable path
        rows = conn.execute(stmt).all()
        return {name: list(col) for name, col in zip(columns, zip(*rows) if rows else ([] for _ in columns))}
    compiled = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    for name, bind in compiled.binds.items():
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None and name in params:
            params[name] = process(params[name])
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup)
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(str(compiled), params)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    processors = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in stmt.selected_columns]
    values = zip(*rows) if rows else ([] for _ in columns)
    return {name: list(col) if fn is None else [fn(v) for v in col]
            for name, col, fn in zip(columns, values, processors)}


@contextmanager
def gc_paused():
    """Python's cyclic garbage collector paused while 100,000s of rows become columns.

    Every few hundred new tuples or lists trigger a collection that walks every live object, so
    transposing 500,000 rows costs 4-8 times what the work itself does. Rows of plain values form
    no cycles; the collector runs again afterwards (process-wide, for a fraction of a second).
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def fetch_frame(conn, stmt) -> pd.DataFrame:
    """A SELECT's rows as a DataFrame (one column per selected column), read the fast way (``_fetch``)."""
    with gc_paused():
        columns = _fetch(conn, stmt)
        if not next(iter(columns.values()), []):
            return pd.DataFrame(columns=list(columns))
        return pd.DataFrame(columns, columns=list(columns))


def _read(engine: Engine, stmt) -> pd.DataFrame:
    with engine.connect() as conn:
        return fetch_frame(conn, stmt)


def wave_order(engine: Engine) -> list[str]:
    """Waves in time order (by date when known, else by first appearance)."""
    r = db.survey_responses
    firsts = _read(engine, select(r.c.wave, func.min(r.c.wave_date).label("first_date"),
                                  func.min(r.c.id).label("first_id")).group_by(r.c.wave))
    return _wave_order(firsts)


#: Wave labels that name a period: "2026-Q1", "Q1 2026", "2026Q1", "2026-03", "2026-H2", "2026".
_PERIOD_LABELS = [
    (re.compile(r"(\d{4})\s*[-_/ ]?\s*[QqКк]([1-4])"), lambda m: (m[1], (int(m[2]) - 1) * 3 + 1)),
    (re.compile(r"[QqКк]([1-4])\s*[-_/ ]?\s*(\d{4})"), lambda m: (m[2], (int(m[1]) - 1) * 3 + 1)),
    (re.compile(r"(\d{4})[-./](\d{1,2})"), lambda m: (m[1], int(m[2]))),
    (re.compile(r"(\d{4})\s*[-_/ ]?\s*[Hh]([12])"), lambda m: (m[1], 1 if m[2] == "1" else 7)),
    (re.compile(r"(\d{4})"), lambda m: (m[1], 1)),
]


def wave_period(label) -> str | None:
    """When a wave's label names a period, its first month as "YYYY-MM" (sortable with dates), else None."""
    text = str(label).strip()
    for pattern, start in _PERIOD_LABELS:
        m = pattern.fullmatch(text)
        if m:
            year, month = start(m)
            return f"{int(year):04d}-{min(max(month, 1), 12):02d}"
    return None


def _wave_order(firsts: pd.DataFrame) -> list[str]:
    """Order waves from (wave, first_date, first_id) by time: the wave's date where one is stored, else the
    period its label names ("2021-Q2"), whichever batch it came in; labels that name no time last, in the
    order they first appeared."""
    if firsts.empty:
        return []
    g = firsts.copy()
    dated = g["first_date"].map(lambda d: None if d is None or pd.isna(d) else str(d)[:10])
    g["key"] = dated.where(dated.notna(), g["wave"].map(wave_period))
    g["undated"] = g["key"].isna()
    g["key"] = g["key"].fillna("")
    g = g.sort_values(["undated", "key", "first_id", "wave"])
    return g["wave"].tolist()


def survey_items(engine: Engine) -> pd.DataFrame:
    """Declared rating items with their scales (item, min, max)."""
    rows = _read(engine, select(db.batches.c.items_json).where(db.batches.c.kind == "survey"))
    items: dict[str, tuple[float, float]] = {}
    for text in rows.get("items_json", []):
        for it in json.loads(text or "[]"):
            items.setdefault(it["item"], (float(it["min"]), float(it["max"])))
    return pd.DataFrame([{"item": k, "min": v[0], "max": v[1]} for k, v in items.items()],
                        columns=["item", "min", "max"])


def person_ids(kind, record_ids, respondent_keys=None) -> pd.Series:
    """Who each row is about, the one definition of a person: the pseudonymous respondent key when
    the file gave one, else the source record (``kind:record_id``: one survey row, one leaver, one
    focus-group session). Every count of people in :mod:`eevp.analytics` counts these values.
    ``kind`` is one name or one per row."""
    records = pd.Series(record_ids).astype(str)
    kinds = kind if isinstance(kind, str) else pd.Series(kind, index=records.index).astype(str)
    rec = kinds + ":" + records
    if respondent_keys is None:
        return rec
    keys = pd.Series(respondent_keys, index=rec.index)
    return keys.astype(object).where(keys.notna(), rec)


def survey_wide(engine: Engine) -> pd.DataFrame:
    """One row per response: segments, wave, enps, ``person`` (:func:`person_ids`), one column per item."""
    r = db.survey_responses
    resp = _read(engine, select(r.c.id, r.c.batch_id, r.c.wave, r.c.wave_date, r.c.role, r.c.department,
                                r.c.location, r.c.tenure, r.c.enps, r.c.segments_json, r.c.item_scores,
                                r.c.respondent_key)
                 .order_by(r.c.id))
    if resp.empty:
        return resp.drop(columns=["item_scores", "respondent_key"]).assign(person=pd.Series(dtype=object))
    resp["person"] = person_ids("survey", resp["id"].to_numpy(), resp.pop("respondent_key").to_numpy()).to_numpy()
    wide = _scores_wide(engine, resp)
    resp = resp.drop(columns=["item_scores"])
    if len(wide.columns):
        resp = pd.concat([resp, wide], axis=1)
    extra = resp["segments_json"].dropna()
    if len(extra):
        # Few distinct segment combinations: parse each once, then map every column.
        parsed = {text: json.loads(text) for text in extra.unique()}
        names = list(dict.fromkeys(k for d in parsed.values() for k in d))
        for c in names:
            if c not in resp.columns:
                resp[c] = extra.map({text: d.get(c) for text, d in parsed.items()})
    resp = resp.drop(columns=["segments_json"])
    firsts = resp.groupby("wave").agg(first_date=("wave_date", "min"), first_id=("id", "min")).reset_index()
    order = {w: i for i, w in enumerate(_wave_order(firsts))}
    resp["wave_no"] = resp["wave"].map(order)
    for c in SEGMENTS:
        resp[c] = resp[c].fillna(NOT_GIVEN)
    return resp


def _scores_wide(engine: Engine, resp: pd.DataFrame) -> pd.DataFrame:
    """The scores of the responses in ``resp`` (its rows, in order), one column per item sorted by name.

    Unpacked per batch from ``item_scores`` (:func:`eevp.store.db.pack_scores`); responses without packed
    scores (stored directly, not through ingest) are pivoted from ``survey_scores`` in SQL. The items
    are the declared ones (``batches.items_json``); an item with no score at all gets no column.
    """
    b = db.batches
    declared = _read(engine, select(b.c.id, b.c.items_json).where(b.c.kind == "survey"))
    names_of = {int(i): db.batch_items(js) for i, js in zip(declared["id"], declared["items_json"])}
    items = sorted({name for names in names_of.values() for name in names})
    if not items:
        return pd.DataFrame(index=resp.index)
    col = {name: j for j, name in enumerate(items)}
    out = np.full((len(resp), len(items)), np.nan)
    packed = resp["item_scores"].to_numpy(dtype=object)
    has = pd.notna(resp["item_scores"]).to_numpy()
    batch = resp["batch_id"].to_numpy()
    for batch_id, names in names_of.items():
        rows = np.flatnonzero((batch == batch_id) & has)
        if names and len(rows):
            out[np.ix_(rows, [col[n] for n in names])] = db.unpack_scores(packed[rows], len(names))
    if not has.all():
        s, r = db.survey_scores, db.survey_responses
        cells = [func.max(case((s.c.item == name, s.c.score))).label(f"i{k}") for k, name in enumerate(items)]
        unpacked = select(r.c.id).where(r.c.item_scores.is_(None))
        piv = _read(engine, select(s.c.response_id, *cells).where(s.c.response_id.in_(unpacked))
                    .group_by(s.c.response_id))
        position = pd.Series(np.arange(len(resp)), index=resp["id"].to_numpy())
        at = position.reindex(piv["response_id"].to_numpy())
        found = at.notna().to_numpy()
        cells_of = piv.loc[found, [f"i{k}" for k in range(len(items))]]
        out[at[found].to_numpy(dtype=int)] = cells_of.to_numpy(dtype=float)
    wide = pd.DataFrame(out, columns=items, index=resp.index)
    return wide.dropna(axis=1, how="all")


def score_rows(engine: Engine) -> pd.DataFrame:
    """Every stored survey score as a row ``(response_id, item, score)``, by response and item: the long
    form, unpacked from ``item_scores`` (what ingest writes) or read from ``survey_scores`` (older rows)."""
    r = db.survey_responses
    resp = _read(engine, select(r.c.id, r.c.batch_id, r.c.item_scores).order_by(r.c.id))
    wide = _scores_wide(engine, resp).set_axis(resp["id"].to_numpy()).rename_axis("response_id")
    rows = wide.reset_index().melt("response_id", var_name="item", value_name="score").dropna(subset=["score"])
    return rows.sort_values(["response_id", "item"]).reset_index(drop=True)


def extra_segments(df: pd.DataFrame, items: list[str]) -> list[str]:
    """Segment columns beyond the standard four (from the survey's extra columns)."""
    known = set(SEGMENTS) | set(items) | {"id", "batch_id", "wave", "wave_date", "enps", "wave_no", "person"}
    return [c for c in df.columns if c not in known]


def exits_frame(engine: Engine) -> pd.DataFrame:
    e = db.exits
    df = _read(engine, select(e.c.id, e.c.batch_id, e.c.exit_date, e.c.role, e.c.department, e.c.location,
                              e.c.tenure, e.c.reason, e.c.other_reasons_json, e.c.regretted, e.c.enps,
                              e.c.respondent_key))
    if df.empty:
        return df.drop(columns=["respondent_key"])
    df["person"] = person_ids("exit", df["id"].to_numpy(), df.pop("respondent_key").to_numpy()).to_numpy()
    df["other_reasons"] = df.pop("other_reasons_json").map(lambda t: json.loads(t) if t else [])
    df["exit_date"] = pd.to_datetime(df["exit_date"], errors="coerce")
    df["quarter"] = df["exit_date"].dt.to_period("Q").astype(str).str.replace("Q", "-Q", regex=False)
    for c in SEGMENTS + ("reason",):
        df[c] = df[c].fillna(NOT_GIVEN)
    return df


def evp_catalog(engine: Engine) -> pd.DataFrame:
    b = db.evp_benefits
    df = _read(engine, select(b.c.benefit, b.c.pillar, b.c.description, b.c.roles_offered_json))
    if df.empty:
        return pd.DataFrame(columns=["benefit", "pillar", "description", "roles_offered"])
    df["roles_offered"] = df.pop("roles_offered_json").map(json.loads)
    return df.drop_duplicates("benefit", keep="last")


def evp_ratings(engine: Engine) -> pd.DataFrame:
    """One row per benefit rating: wave, role, department, benefit, importance, satisfaction.

    Waves are put in order by :func:`wave_order` (from the survey); the rating's own wave date is
    not read (half a million dates to parse for nothing at scale)."""
    r = db.evp_ratings
    df = _read(engine, select(r.c.batch_id, r.c.wave, r.c.role, r.c.department, r.c.benefit, r.c.importance,
                              r.c.satisfaction, r.c.respondent_key).order_by(r.c.id))
    for c in ("role", "department"):
        if c in df:
            df[c] = df[c].fillna(NOT_GIVEN)
    if df.empty:
        return df.drop(columns=["batch_id", "respondent_key"]).assign(person=pd.Series(dtype=object))
    # Without a respondent id, the k-th rating of a benefit in one batch, wave, role and department is
    # taken as the k-th person there: the fewest people the ratings can come from (one rating each).
    rank = df.groupby(["batch_id", "wave", "role", "department", "benefit"], dropna=False).cumcount()
    rec = (df["batch_id"].astype(str) + ":" + df["wave"].astype(str) + ":" + df["role"].astype(str) + ":"
           + df["department"].astype(str) + ":" + rank.astype(str))
    df["person"] = person_ids("evp", rec.to_numpy(), df.pop("respondent_key").to_numpy()).to_numpy()
    return df.drop(columns=["batch_id"])


def text_units_frame(engine: Engine, kinds: tuple[str, ...] = (), *, actor: User) -> pd.DataFrame:
    """Text units with their metadata (text included: callers must apply the comment threshold).

    Each row is one person's statement with their role and department: ``actor``'s role must allow
    per-respondent records (``view_records``; AccessDenied otherwise).
    """
    require(actor, "view_records")
    t = db.text_units
    stmt = select(t.c.id, t.c.batch_id, t.c.kind, t.c.record_id, t.c.respondent_key, t.c.question, t.c.seq,
                  t.c.role, t.c.department, t.c.location, t.c.tenure, t.c.wave, t.c.date, t.c.text,
                  t.c.language, t.c.sentiment, t.c.is_boilerplate)
    if kinds:
        stmt = stmt.where(t.c.kind.in_(kinds))
    df = _read(engine, stmt)
    for c in SEGMENTS:
        if c in df:
            df[c] = df[c].fillna(NOT_GIVEN)
    return df


#: Audited actions that change stored rows without adding or deleting a batch.
_ROW_CHANGES = ("erase", "restore", "retag")  # rows changed in place: counts stay


def data_version(engine: Engine) -> tuple:
    """A cheap key that changes whenever data changes (for the app's caches).

    Batches, theme models, tags, edited labels (count and last edit) and reviews, actions (count and
    last change: the digest lists them), plus the last erasure or restore: an erasure run from the
    command line while the app is up must not leave the erased person's answers in the app's cached frames.
    """
    al = db.audit_log
    with engine.connect() as conn:
        b = conn.execute(select(func.count(db.batches.c.id), func.max(db.batches.c.id))).first()
        m = conn.execute(select(func.count(db.theme_models.c.id), func.max(db.theme_models.c.id))).first()
        t = conn.execute(select(func.count()).select_from(db.statement_tags)).scalar()
        tl = db.theme_labels
        lab = conn.execute(select(func.count(tl.c.id), func.max(tl.c.edited_at))).first()
        rv = conn.execute(select(func.count(db.tag_reviews.c.id))).scalar()
        act = conn.execute(select(func.count(db.actions.c.id), func.max(db.actions.c.updated_at))).first()
        changed = conn.execute(select(func.count(al.c.id), func.max(al.c.id))
                               .where(al.c.action.in_(_ROW_CHANGES))).first()
    return tuple(b) + tuple(m) + (t,) + tuple(lab) + (rv,) + tuple(act) + tuple(changed)


def current_model(conn, scope: str):
    """The current theme model of ``scope`` ("all" or "customers") as a ``theme_models`` row, or None."""
    m = db.theme_models
    return conn.execute(select(m).where(and_(m.c.scope == scope, m.c.is_current.is_(True)))
                        .order_by(m.c.id.desc()).limit(1)).first()
