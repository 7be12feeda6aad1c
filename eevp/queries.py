"""Read stored data into tidy frames for reports and pages.

These return respondent-level rows for computation only; nothing here is shown as is:
every aggregate drawn from them passes through :mod:`eevp.anonymity`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine

from . import db

SEGMENTS = ("role", "department", "location", "tenure")


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


def _read(engine: Engine, stmt) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def wave_order(engine: Engine) -> list[str]:
    """Waves in time order (by date when known, else by first appearance)."""
    r = db.survey_responses
    df = _read(engine, select(r.c.wave, r.c.wave_date, r.c.id))
    if df.empty:
        return []
    g = df.groupby("wave").agg(first_date=("wave_date", "min"), first_id=("id", "min")).reset_index()
    g["key"] = g["first_date"].astype(str).where(g["first_date"].notna(), "")
    g = g.sort_values(["key", "wave", "first_id"])
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


def survey_wide(engine: Engine) -> pd.DataFrame:
    """One row per response: segments, wave, enps, and one column per item."""
    r, s = db.survey_responses, db.survey_scores
    resp = _read(engine, select(r.c.id, r.c.batch_id, r.c.wave, r.c.wave_date, r.c.role, r.c.department,
                                r.c.location, r.c.tenure, r.c.enps, r.c.segments_json))
    if resp.empty:
        return resp
    scores = _read(engine, select(s.c.response_id, s.c.item, s.c.score))
    if not scores.empty:
        wide = scores.pivot(index="response_id", columns="item", values="score")
        wide.columns.name = None
        resp = resp.merge(wide, left_on="id", right_index=True, how="left")
    extra = resp["segments_json"].dropna()
    if len(extra):
        seg = pd.DataFrame([json.loads(t) for t in extra], index=extra.index)
        for c in seg.columns:
            if c not in resp.columns:
                resp[c] = seg[c]
    resp = resp.drop(columns=["segments_json"])
    order = {w: i for i, w in enumerate(wave_order(engine))}
    resp["wave_no"] = resp["wave"].map(order)
    for c in SEGMENTS:
        resp[c] = resp[c].fillna("(not given)")
    return resp


def extra_segments(df: pd.DataFrame, items: list[str]) -> list[str]:
    """Segment columns beyond the standard four (from the survey's extra columns)."""
    known = set(SEGMENTS) | set(items) | {"id", "batch_id", "wave", "wave_date", "enps", "wave_no"}
    return [c for c in df.columns if c not in known]


def exits_frame(engine: Engine) -> pd.DataFrame:
    e = db.exits
    df = _read(engine, select(e.c.id, e.c.batch_id, e.c.exit_date, e.c.role, e.c.department, e.c.location,
                              e.c.tenure, e.c.reason, e.c.other_reasons_json, e.c.regretted, e.c.enps))
    if df.empty:
        return df
    df["other_reasons"] = df.pop("other_reasons_json").map(lambda t: json.loads(t) if t else [])
    df["exit_date"] = pd.to_datetime(df["exit_date"], errors="coerce")
    df["quarter"] = df["exit_date"].dt.to_period("Q").astype(str).str.replace("Q", "-Q", regex=False)
    for c in SEGMENTS + ("reason",):
        df[c] = df[c].fillna("(not given)")
    return df


def evp_catalog(engine: Engine) -> pd.DataFrame:
    b = db.evp_benefits
    df = _read(engine, select(b.c.benefit, b.c.pillar, b.c.description, b.c.roles_offered_json))
    if df.empty:
        return pd.DataFrame(columns=["benefit", "pillar", "description", "roles_offered"])
    df["roles_offered"] = df.pop("roles_offered_json").map(json.loads)
    return df.drop_duplicates("benefit", keep="last")


def evp_ratings(engine: Engine) -> pd.DataFrame:
    r = db.evp_ratings
    df = _read(engine, select(r.c.wave, r.c.wave_date, r.c.role, r.c.department, r.c.benefit, r.c.importance,
                              r.c.satisfaction))
    for c in ("role", "department"):
        if c in df:
            df[c] = df[c].fillna("(not given)")
    return df


def text_units_frame(engine: Engine, kinds: tuple[str, ...] = ()) -> pd.DataFrame:
    """Text units with their metadata (text included: callers must apply the comment threshold)."""
    t = db.text_units
    stmt = select(t.c.id, t.c.batch_id, t.c.kind, t.c.record_id, t.c.respondent_key, t.c.question, t.c.seq,
                  t.c.role, t.c.department, t.c.location, t.c.tenure, t.c.wave, t.c.date, t.c.text,
                  t.c.language, t.c.sentiment, t.c.is_boilerplate)
    if kinds:
        stmt = stmt.where(t.c.kind.in_(kinds))
    df = _read(engine, stmt)
    for c in SEGMENTS:
        if c in df:
            df[c] = df[c].fillna("(not given)")
    return df


def data_version(engine: Engine) -> tuple:
    """A cheap key that changes whenever data changes (for the app's caches)."""
    from sqlalchemy import func

    with engine.connect() as conn:
        b = conn.execute(select(func.count(db.batches.c.id), func.max(db.batches.c.id))).first()
        m = conn.execute(select(func.count(db.theme_models.c.id), func.max(db.theme_models.c.id))).first()
        t = conn.execute(select(func.count()).select_from(db.statement_tags)).scalar()
        lab = conn.execute(select(func.count(db.theme_labels.c.id))).scalar()
        rv = conn.execute(select(func.count(db.tag_reviews.c.id))).scalar()
    return tuple(b) + tuple(m) + (t, lab, rv)
