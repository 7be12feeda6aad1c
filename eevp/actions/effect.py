"""Since the action: a target's figure per period, then and now, always through the anonymity layer.

- a survey item: its favourable share (or eNPS) per wave, for everyone or one group, with the
  significance test of :mod:`eevp.analytics.metrics` between the wave the action was created in
  and the latest;
- a theme or a customer theme: the people raising it per wave (or quarter);
- an EVP gap (benefit × role): the gap per wave;
- an exit reason: the leavers giving it per quarter.

Each series comes from the same report functions the pages draw (:mod:`eevp.analytics.reports`,
:mod:`eevp.analytics.theme_views`), so a value hidden there is hidden here (``suppressed``).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.engine import Engine

from eevp.actions.targets import ENPS, THEME_SCOPE, Target
from eevp.analytics import metrics, reports, theme_views
from eevp.errors import NotFoundError
from eevp.settings import Settings
from eevp.store import queries
from eevp.themes.read import unit_themes

SERIES_COLUMNS = ["period", "value", "n", "suppressed"]


def _frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=SERIES_COLUMNS)


def _item_view(wide: pd.DataFrame, parts: dict, threshold: int):
    """The rows of the item's group and their selection (None: the group may not be shown)."""
    dim, value = parts.get("dimension"), parts.get("value")
    if not dim:
        return wide, None
    if dim not in wide:
        raise NotFoundError(f"The survey has no segment '{dim}'. Use role, department, location, tenure "
                            "or a segment column of the upload.")
    if value not in set(wide[dim].dropna().astype(str)):
        raise NotFoundError(f"No survey response has {dim} = '{value}'. Use a group of 'report survey --by {dim}'.")
    filters = (queries.Filters(**{dim: (value,)}) if dim in queries.SEGMENTS
               else queries.Filters(segments=((dim, (value,)),)))
    view = reports.wave_view(wide, filters, threshold)
    return (None, None) if view is None else view


def item_series(engine: Engine, parts: dict, threshold: int) -> pd.DataFrame:
    """Favourable share (eNPS for ``enps``) per wave of one item for everyone or one group; the
    columns ``n`` and, for eNPS, ``promoters`` / ``detractors`` feed the significance test."""
    wide, items, waves = queries.survey_wide(engine), queries.survey_items(engine), queries.wave_order(engine)
    item = parts["item"]
    if item != ENPS and item not in set(items["item"]):
        raise NotFoundError(f"The survey has no item '{item}'. Use an item of 'report survey' or enps.")
    rows, selections = _item_view(wide, parts, threshold)
    if rows is None:  # the group itself may not be shown: every wave suppressed
        return _frame([{"period": w, "value": None, "n": None, "suppressed": True} for w in waves])
    trend = reports.wave_trend(rows, items, threshold, waves, population=wide if selections else None,
                               selections=selections)
    column = "enps" if item == ENPS else f"fav::{item}"
    out = pd.DataFrame({"period": trend.get("wave", pd.Series(dtype=object)),
                        "value": trend.get(column), "n": trend.get("enps_n" if item == ENPS else "n"),
                        "suppressed": trend.get("suppressed", pd.Series(dtype=bool)).astype(bool)})
    if item == ENPS and "promoters" in trend:
        out["promoters"], out["detractors"] = trend["promoters"], trend["detractors"]
    return out.reset_index(drop=True)


def theme_series(engine: Engine, kind: str, parts: dict, model_row: int | None, threshold: int) -> pd.DataFrame:
    """People raising the theme per wave (per quarter when most text has no wave), as the theme's row of
    the Themes page's trend: cells under the threshold hidden with their complements, the theme's
    authors audited by period together with every segment (only the theme's units are read: the
    crossed audit of every theme took minutes, and a row's audit needs only its own units)."""
    units = theme_views.with_person(unit_themes(engine, THEME_SCOPE[kind]))
    if units.empty:
        return _frame([])
    per = "wave" if units["wave"].notna().mean() > 0.5 else "quarter"
    units = units[units["theme_id"] == parts["theme_id"]]
    units = units.assign(quarter=pd.to_datetime(units["date"], errors="coerce").dt.to_period("Q").astype(str))
    units = units[units[per].notna() & (units[per] != "NaT")]
    trend = theme_views.theme_trend(units, per, threshold, order=_periods(engine, units[per]))
    mine = trend[trend["theme_id"] == parts["theme_id"]]
    return _frame([{"period": r[per], "value": r["people"], "n": r["people"], "suppressed": bool(r["suppressed"])}
                   for r in mine.to_dict("records")])


def _periods(engine: Engine, values: pd.Series) -> list[str]:
    """The survey's waves in time order, then any other period sorted (quarters sort as text)."""
    waves = queries.wave_order(engine)
    return waves + sorted(set(values.dropna().astype(str)) - set(waves))


def evp_series(engine: Engine, parts: dict, threshold: int) -> pd.DataFrame:
    """The gap (importance − satisfaction) of one benefit for one role, per wave (as the EVP page
    shows one wave: each wave's table by role)."""
    ratings, catalog = queries.evp_ratings(engine), queries.evp_catalog(engine)
    known = ratings[(ratings.get("benefit") == parts["benefit"]) & (ratings.get("role") == parts["role"])] \
        if len(ratings) else ratings
    if known.empty:
        benefit, role = parts["benefit"], parts["role"]
        raise NotFoundError(f"No EVP ratings of '{benefit}' by the role '{role}'. "
                            "Use a benefit and a role of 'report evp'.")
    rows = []
    for wave in _periods(engine, ratings["wave"]):
        if wave not in set(ratings["wave"]):
            continue
        gaps = reports.evp_gaps(ratings[ratings["wave"] == wave], catalog, threshold, by="role")
        cell = gaps[(gaps["benefit"] == parts["benefit"]) & (gaps["role"] == parts["role"])]
        for r in cell.to_dict("records"):
            rows.append({"period": wave, "value": r["gap"], "n": r["n"], "suppressed": bool(r["suppressed"])})
    return _frame(rows)


def exit_series(engine: Engine, parts: dict, threshold: int) -> pd.DataFrame:
    """Leavers giving the reason per quarter (the reason × quarter table of the Exits page)."""
    exits = queries.exits_frame(engine)
    reason = parts["reason"]
    if exits.empty or reason not in set(exits["reason"]):
        raise NotFoundError(f"No leaver gave the reason '{reason}'. Use a reason of 'report exits'.")
    table = reports.exits_over_time(exits, threshold, by="reason")
    mine = table[table["reason"] == parts["reason"]].sort_values("quarter")
    return _frame([{"period": r["quarter"], "value": r["n"], "n": r["n"], "suppressed": bool(r["suppressed"])}
                   for r in mine.to_dict("records")])


def series(engine: Engine, settings: Settings, target: Target, model_row: int | None = None) -> pd.DataFrame:
    """The target's figure per period: ``period``, ``value``, ``n``, ``suppressed`` (value and n empty).

    Raises:
        NotFoundError: the target names an item, group, benefit, role or reason the data does not hold.
    """
    if target.kind in THEME_SCOPE:
        return theme_series(engine, target.kind, target.parts, model_row, settings.min_comment_group)
    if target.kind == "item":
        return item_series(engine, target.parts, settings.min_group_size)
    if target.kind == "evp_gap":
        return evp_series(engine, target.parts, settings.min_group_size)
    return exit_series(engine, target.parts, settings.min_group_size)


def figure(row) -> dict:
    """One period's figure as stored with an action (JSON-ready; nothing of a suppressed one)."""
    if row is None:
        return {"period": None, "value": None, "n": None, "suppressed": True}
    hidden = bool(row["suppressed"]) or pd.isna(row["value"])
    return {"period": str(row["period"]), "value": None if hidden else round(float(row["value"]), 4),
            "n": None if hidden or pd.isna(row["n"]) else int(row["n"]), "suppressed": hidden}


def latest(table: pd.DataFrame) -> dict:
    """The figure of the last period (the value when an action is created)."""
    return figure(table.iloc[-1] if len(table) else None)


def _test(kind: str, item: str | None, then_row, now_row) -> dict:
    """The significance test between two waves of an item (favourable share or eNPS)."""
    if kind != "item":
        return {"p_value": None, "significant": None}
    if item == ENPS:
        side = [{"n": int(r["n"]), "enps": float(r["value"]), "pct_promoters": float(r["promoters"]) * 100,
                 "pct_detractors": float(r["detractors"]) * 100} for r in (then_row, now_row)]
        test = metrics.enps_delta(side[0], side[1])
    else:
        test = metrics.wave_delta(float(then_row["value"]), int(then_row["n"]), float(now_row["value"]),
                                  int(now_row["n"]))
    return {"p_value": test["p_value"], "significant": test["significant"]}


def since(table: pd.DataFrame, baseline: dict, kind: str, item: str | None = None) -> dict:
    """The figure then (the period the action was created in, as the data reads now) and now (the last
    period), their difference and, for an item, whether it is significant; None where either is
    suppressed or both are the same period."""
    by_period = {str(r["period"]): r for r in table.to_dict("records")}
    then_row = by_period.get(str(baseline.get("period")))
    now_row = table.iloc[-1].to_dict() if len(table) else None
    then = figure(then_row) if then_row is not None else dict(baseline)
    now = figure(now_row)
    out = {"then": then, "now": now, "delta": None, "p_value": None, "significant": None}
    if then["suppressed"] or now["suppressed"] or then["period"] == now["period"] or then_row is None:
        return out
    out["delta"] = now["value"] - then["value"]
    out.update(_test(kind, item, then_row, now_row))
    return out
