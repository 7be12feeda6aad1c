"""Alerts since the last upload: new themes, themes rising significantly, customer themes turning
systemic, survey items dropping significantly, and significant drops within a group.

Computed from the stored history whenever the data change (an upload or an analysis changes the data
version, which the app's cache is keyed on): the latest period (survey wave, or quarter of the date for
exit and focus-group text) against the one before it, or against ``since``. Significance is the pooled
two-proportion z test of :func:`eevp.analytics.metrics.wave_delta`; every figure passes the anonymity
rule (theme counts need the comment threshold of people in both periods, group figures the tables'
suppression).
"""

from __future__ import annotations

import json

import pandas as pd
from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from eevp.analytics import anonymity, customers, metrics, reports
from eevp.analytics.summaries import period_order, with_period
from eevp.analytics.theme_views import with_person
from eevp.i18n import format_number, translate
from eevp.store import db, queries
from eevp.store.audit import record
from eevp.store.auth import User, require
from eevp.themes.read import theme_table, unit_themes

__all__ = ["alert_lines", "compute", "group_drops", "item_drops", "latest_snapshot", "periods", "save_snapshot", "systemic_turns",
           "theme_changes"]

#: The item × group drops listed at most (the largest first).
TOP_DROPS = 8


def periods(units: pd.DataFrame, threshold: int, since=None) -> tuple[object, object]:
    """(earlier, latest) periods with at least ``threshold`` writers: the last two, or ``since`` and the
    latest; (None, None) when there are not two."""
    u = with_period(with_person(units)).dropna(subset=["period"])
    writers = u.groupby("period")[anonymity.PERSON].nunique()
    shown = [p for p in period_order(u) if writers.get(p, 0) >= threshold]
    if len(shown) < 2 or (since is not None and since not in shown[:-1]):
        return None, None
    return (since if since is not None else shown[-2]), shown[-1]


def theme_changes(units: pd.DataFrame, labels: pd.Series, threshold: int, since=None) -> dict:
    """New themes and themes rising significantly between two periods (:func:`periods`).

    A theme is **new** when at least ``threshold`` people raise it in the latest period and fewer did in
    all earlier periods together; it is **rising** when at least ``threshold`` people raise it in both
    periods and the share of writers raising it grew significantly (no share of a smaller cell is given).

    Returns:
        ``{"previous", "latest", "new": [{"theme_id", "label", "people"}], "rising": [{"theme_id", "label",
        "people", "previous_share", "share", "p_value"}]}``.
    """
    u = with_period(with_person(units))
    prev, last = periods(u, threshold, since)
    out = {"previous": prev, "latest": last, "new": [], "rising": []}
    if last is None:
        return out
    order = period_order(u)
    writers = u.groupby("period")[anonymity.PERSON].nunique()
    t = u[u["theme_id"] >= 0]
    per = t.groupby(["theme_id", "period"])[anonymity.PERSON].nunique().unstack(fill_value=0)
    earlier = t[t["period"].isin(order[:order.index(last)])].groupby("theme_id")[anonymity.PERSON].nunique()
    for tid, row in per.iterrows():
        now, before = int(row.get(last, 0)), int(row.get(prev, 0))
        item = {"theme_id": int(tid), "label": labels.get(tid, str(tid)), "people": now}
        if now >= threshold and earlier.get(tid, 0) < threshold:
            out["new"].append(item)
        elif now >= threshold and before >= threshold:
            d = metrics.wave_delta(before / writers[prev], int(writers[prev]), now / writers[last], int(writers[last]))
            if d["significant"] and d["delta"] > 0:
                out["rising"].append({**item, "previous_share": before / writers[prev], "share": now / writers[last],
                                      "p_value": d["p_value"]})
    out["new"].sort(key=lambda r: -r["people"])
    out["rising"].sort(key=lambda r: r["p_value"])
    return out


def systemic_turns(units: pd.DataFrame, labels: pd.DataFrame, threshold: int, since=None,
                   rule: customers.SystemicRule = customers.SystemicRule(), now: pd.DataFrame | None = None) -> list[dict]:
    """Customer themes systemic now that were not (or not shown) with the latest period left out:
    ``[{"theme_id", "label", "reach"}]`` (:func:`eevp.analytics.customers.rank_themes` both times;
    ``now``: the ranking of ``units`` when the caller has it)."""
    if units.empty:
        return []
    u = with_period(units)
    prev, last = periods(u, threshold, since)
    if last is None:
        return []
    now = customers.rank_themes(u, labels, threshold, rule) if now is None else now
    before = customers.rank_themes(u[u["period"] != last], labels, threshold, rule)
    was = set(before.loc[before["systemic"] == "systemic", "theme_id"]) if len(before) else set()
    turned = now[(now["systemic"] == "systemic") & ~now["theme_id"].isin(was)] if len(now) else now
    return [{"theme_id": int(r.theme_id), "label": r.label, "reach": int(r.reach)} for r in turned.itertuples()]


def item_drops(wide: pd.DataFrame, items: pd.DataFrame, waves: list[str], threshold: int, since=None) -> pd.DataFrame:
    """Survey items whose favourable share fell significantly between the last two waves shown (or
    ``since`` and the last): :func:`eevp.analytics.reports.item_wave_deltas` on every response."""
    if since is not None and waves:
        waves = [since, waves[-1]] if since in waves[:-1] else []
    deltas = reports.item_wave_deltas(wide, items, waves, threshold)
    if deltas.empty:
        return deltas
    return deltas[deltas["significant"] & (deltas["delta"] < 0)].sort_values("delta").reset_index(drop=True)


def group_drops(wide: pd.DataFrame, items: pd.DataFrame, waves: list[str], threshold: int, since=None,
                segments=("role", "department")) -> pd.DataFrame:
    """Significant drops of an item within a group between two waves: segment, group, item, previous,
    current, delta, p_value; from :func:`eevp.analytics.reports.segment_item_trend` (a group hidden in
    either wave, or by complement, never appears), the largest :data:`TOP_DROPS` first."""
    cols = ["segment", "group", "item", "previous", "current", "delta", "p_value"]
    present = [w for w in waves if w in set(wide["wave"])] if len(wide) else []
    if len(present) < 2 or (since is not None and since not in present[:-1]):
        return pd.DataFrame(columns=cols)
    prev, last = (since if since is not None else present[-2]), present[-1]
    rows = []
    for seg in [s for s in segments if s in wide]:
        for item in items["item"]:
            rows += _drops_in(reports.segment_item_trend(wide, items, seg, item, threshold, waves), seg, item,
                              prev, last)
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values("delta").head(TOP_DROPS).reset_index(drop=True)


def _drops_in(trend: pd.DataFrame, seg: str, item: str, prev, last) -> list[dict]:
    if trend.empty:
        return []
    shown = trend[~trend["suppressed"].astype(bool)].set_index(["wave", seg])
    out = []
    for group in {g for w, g in shown.index if w == last}:
        if (prev, group) not in shown.index:
            continue
        a, b = shown.loc[(prev, group)], shown.loc[(last, group)]
        d = metrics.wave_delta(float(a["favourable"]), int(a["n"]), float(b["favourable"]), int(b["n"]))
        if d["significant"] and d["delta"] < 0:
            out.append({"segment": seg, "group": group, "item": item, "previous": float(a["favourable"]),
                        "current": float(b["favourable"]), "delta": d["delta"], "p_value": d["p_value"]})
    return out


def compute(engine: Engine, settings, since=None) -> dict:
    """Every alert from what is stored: ``{"themes": theme_changes(...), "systemic": [...],
    "items": [records of item_drops], "groups": [records of group_drops]}``."""
    cthr, thr = settings.min_comment_group, settings.min_group_size
    table, units = theme_table(engine, "all"), unit_themes(engine, "all")
    labels = table.set_index("theme_id")["label"] if len(table) else pd.Series(dtype=object)
    wide, items, waves = queries.survey_wide(engine), queries.survey_items(engine), queries.wave_order(engine)
    cunits = customers.customer_units(engine)
    return {"themes": theme_changes(units, labels, cthr, since),
            "systemic": systemic_turns(cunits, customers.theme_labels(engine), cthr, since),
            "items": item_drops(wide, items, waves, thr, since).to_dict("records") if len(wide) else [],
            "groups": group_drops(wide, items, waves, thr, since).to_dict("records") if len(wide) else []}


def _plain(value):
    """JSON-ready (numpy numbers to Python ones)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.item() if hasattr(value, "item") else value


def save_snapshot(engine: Engine, settings, *, actor: User) -> dict:
    """Compute the text alerts after an analysis run (new and rising themes, customer themes turning
    systemic) and keep them for Home, as ``actor`` (whose role must allow the analysis); audited.

    Returns:
        the snapshot: ``{"themes": theme_changes(...), "systemic": [...]}``.
    """
    require(actor, "analyze")
    cthr = settings.min_comment_group
    table, units = theme_table(engine, "all"), unit_themes(engine, "all")
    labels = table.set_index("theme_id")["label"] if len(table) else pd.Series(dtype=object)
    snap = _plain({"themes": theme_changes(units, labels, cthr),
                   "systemic": systemic_turns(customers.customer_units(engine), customers.theme_labels(engine), cthr)})
    n = len(snap["themes"]["new"]) + len(snap["themes"]["rising"]) + len(snap["systemic"])
    with engine.begin() as conn:
        conn.execute(insert(db.alert_snapshots).values(created_at=db.now(), payload_json=json.dumps(snap)))
        record(conn, actor.username, "alerts", f"{n} text alerts after the analysis")
    return snap


def latest_snapshot(engine: Engine) -> dict | None:
    """The alerts kept after the latest analysis run, with ``created_at``; None before the first."""
    a = db.alert_snapshots
    with engine.connect() as conn:
        row = conn.execute(select(a.c.created_at, a.c.payload_json).order_by(a.c.id.desc()).limit(1)).first()
    return None if row is None else {**json.loads(row.payload_json), "created_at": row.created_at}


def _pct(share, lang: str) -> str:
    return format_number(share * 100, lang) + "%"


def alert_lines(themes: dict, systemic: list[dict], items: list[dict], lang: str = "en") -> list[str]:
    """The alerts as sentences in ``lang`` (plain text: labels as stored; escape them where they are shown).

    Args:
        themes: :func:`theme_changes`; systemic: :func:`systemic_turns`; items: records of :func:`item_drops`.
    """
    n = lambda v: format_number(v, lang)  # noqa: E731
    lines = [translate("New theme: {label} ({n} people)", lang, label=r["label"], n=n(r["people"]))
             for r in themes.get("new", [])]
    lines += [translate("Rising theme: {label} ({a} → {b} of the people who wrote)", lang, label=r["label"],
                        a=_pct(r["previous_share"], lang), b=_pct(r["share"], lang)) for r in themes.get("rising", [])]
    lines += [translate("Customer theme now systemic: {label} ({n} people)", lang, label=r["label"], n=n(r["reach"]))
              for r in systemic]
    lines += [translate("Item dropping: {item} ({a} → {b} favourable)", lang, item=r["item"],
                        a=_pct(r["previous"], lang), b=_pct(r["current"], lang)) for r in items]
    return lines
