"""Aggregates for the dashboards and the CLI reports.

Every table leaving this module has passed through :func:`eevp.analytics.anonymity.suppress` (or
``suppress_matrix``): groups under the threshold carry no values, and complementary suppression
stops recovery by subtraction. Inputs are the respondent-level frames of :mod:`eevp.store.queries`.
"""

from __future__ import annotations

import functools
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from eevp.analytics import anonymity, metrics
from eevp.analytics.codes import fav_long, person_codes
from eevp.errors import InputError
from eevp.store.queries import SEGMENTS

FAV_SUFFIX = "favourable"


# --------------------------------------------------------------------------- helpers

def item_scales(items: pd.DataFrame) -> dict[str, tuple[float, float]]:
    return {r.item: (float(r.min), float(r.max)) for r in items.itertuples()}


def fav_frame(wide: pd.DataFrame, scales: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """1.0 / 0.0 / NaN per response and item: is the answer favourable (top boxes)?"""
    out = pd.DataFrame(index=wide.index)
    for item, (lo, hi) in scales.items():
        if item in wide:
            col = wide[item]
            out[item] = np.where(col.isna(), np.nan, ((col - lo) / (hi - lo) >= metrics.favourable_cut(lo, hi)).astype(float))
    return out


def population_ok(n_total: int, n_filtered: int, threshold: int) -> bool:
    """A filtered view is shown only if it and its complement are both 0 or at least the threshold."""
    return anonymity.safe_total(n_total, n_filtered, threshold)


# --------------------------------------------------------------------------- which groups to hide

#: Columns a survey or exit table may be grouped by (besides a survey's extra segment columns).
SURVEY_DIMS = ("role", "department", "location", "tenure", "wave")
EXIT_DIMS = ("role", "department", "location", "tenure", "quarter", "reason")
EVP_DIMS = ("role", "department")
_NOT_SEGMENTS = {"id", "batch_id", "wave_date", "enps", "wave_no", "respondent_key", anonymity.PERSON}


def survey_dims(wide: pd.DataFrame, items: pd.DataFrame) -> list[str]:
    """Every column a survey table may be grouped by: standard segments, the wave, extra segments."""
    names = set(items["item"]) if "item" in items else set()
    extra = [c for c in wide.columns if c not in (*SURVEY_DIMS, *_NOT_SEGMENTS) and c not in names
             and not pd.api.types.is_numeric_dtype(wide[c])]
    return [c for c in SURVEY_DIMS if c in wide] + extra


def filter_selections(filters, scope: dict | None = None) -> dict:
    """A :class:`eevp.store.queries.Filters` as ``{column: values}`` (what the anonymity checks take),
    within the viewer's ``scope`` (see :func:`scope_of`): a filter on a scoped column narrows it further."""

    out = {"wave": tuple(filters.waves)} | {name: tuple(getattr(filters, name)) for name in SEGMENTS}
    out |= {name: tuple(values) for name, values in filters.segments}
    return {k: tuple(v) for k, v in (scope or {}).items() if v} | {k: v for k, v in out.items() if v}


def scope_of(visible: pd.DataFrame, population: pd.DataFrame, column: str = "department") -> dict:
    """A viewer's scope as a selection: ``{column: values}`` of the rows they may see, ``{}`` when
    they see every row. Tables for a scoped viewer are filtered views of the company's rows (pass the
    company's rows as ``population`` and this in the selections), so that they agree with the
    tables other users see: the company's figure minus the viewer's never isolates a small group."""
    if len(visible) >= len(population) or column not in visible:
        return {}
    return {column: tuple(sorted(visible[column].dropna().unique()))}


def filters_allowed(wide_all: pd.DataFrame, filters, threshold: int, scope: dict | None = None) -> bool:
    """Whether the pages may show the view of ``wide_all`` (every row) that ``filters`` select.

    Stricter than :func:`population_ok`: two views that differ by a small group (``department = A``
    and ``department = A, role ≠ X``) are not both allowed (see :func:`eevp.analytics.anonymity.filter_allowed`).
    A viewer's ``scope`` (:func:`scope_of`) is a selection like any other.
    """
    dims = survey_dims(wide_all, pd.DataFrame(columns=["item"]))
    return anonymity.filter_allowed(wide_all, filter_selections(filters, scope), threshold, dims=dims)


def _in_scope(frame: pd.DataFrame, scope: dict | None) -> pd.DataFrame:
    for col, values in (scope or {}).items():
        if values and col in frame:
            frame = frame[frame[col].isin(list(values))]
    return frame


def wave_view(wide_all: pd.DataFrame, filters, threshold: int,
              scope: dict | None = None) -> tuple[pd.DataFrame, dict] | None:
    """The rows the wave comparison shows (the current selection over every wave) and their selection,
    or None when that view may not be shown: too few people in it or outside it, or it differs from
    another view by a small group (the same checks as the selection itself, :func:`filters_allowed`).

    ``wide_all`` is every row (the company's); ``scope`` the viewer's (:func:`scope_of`).
    """
    across_filters = replace(filters, waves=())
    across = across_filters.apply(_in_scope(wide_all, scope))
    if not population_ok(_people(wide_all), _people(across), threshold):
        return None
    if not filters_allowed(wide_all, across_filters, threshold, scope):
        return None
    return across, filter_selections(across_filters, scope)


def _hidden(frame: pd.DataFrame, by: str, threshold: int, dims, population=None, selections=None, inner="wave") -> set:
    """Groups of ``by`` to hide: the tables by every dim audited together, plus filter consistency."""
    # inner: the column whose crossed audit holds every table with it (eevp.analytics.anonymity.crossed_cells)
    hide = anonymity.suppress_dimensions(frame, [*dims, by], threshold).get(by, set())
    if population is not None and selections and by in population:
        hide |= anonymity.hidden_by_filter(population, selections, by, threshold, dims, inner, PUBLISHED)
        # a filtered view never shows a group that the unfiltered table hides (department = D1, by department)
        hide |= anonymity.suppress_dimensions(population, [*dims, by], threshold).get(by, set())
    return hide


def _view_cells(table: pd.DataFrame, keys: list[str], population, selections, threshold: int, company) -> set:
    """Cells a scoped view of ``table`` hides to agree with ``company()``, the table of ``population``."""
    if population is None or not selections:
        return set()
    shown = company()
    hidden = {tuple(_key(v) for v in cell) for cell in shown.loc[shown["suppressed"], keys].itertuples(index=False)}
    return anonymity.hidden_in_view(population, selections, keys, threshold, hidden)


def _cell_mask(table: pd.DataFrame, keys: list[str], cells: set) -> list[bool]:
    return [tuple(_key(v) for v in cell) in cells for cell in table[keys].itertuples(index=False)]


def _people(frame: pd.DataFrame) -> int:
    """Distinct people in ``frame`` (rows, without a person column): the ``n`` of every table."""
    return int(frame[anonymity.PERSON].nunique()) if anonymity.PERSON in frame else len(frame)


def _with_people(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with a person column (each row its own person when it has none)."""
    return frame if anonymity.PERSON in frame else frame.assign(**{anonymity.PERSON: np.arange(len(frame))})


def _key(value):
    """A group value as the anonymity layer names it (a missing value is None)."""
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else value


def _in(group, hide: set) -> bool:
    if group is None or (isinstance(group, float) and np.isnan(group)):
        return None in hide
    return group in hide


# --------------------------------------------------------------------------- survey

def _enps_by_group(scores: pd.Series, keys: pd.Series) -> pd.DataFrame:
    """eNPS per group, as :func:`eevp.analytics.metrics.enps` computes it for one group, for every group at
    once (a loop over a thousand groups took seconds); promoters and detractors as shares."""
    s = pd.to_numeric(scores, errors="raise").astype(float)
    bad = s[(s < 0) | (s > 10)]
    if len(bad):
        raise ValueError(f"eNPS answers must be 0–10, got {bad.iloc[0]:g}.")
    parts = pd.DataFrame({"n": s.notna(), "p": s >= 9, "d": s <= 6}).astype(float)
    g = parts.groupby(keys.values, dropna=False, sort=True).sum()
    n = g["n"].where(g["n"] > 0)
    p_p, p_d = g["p"] / n, g["d"] / n
    score = (p_p - p_d) * 100
    half = metrics.Z95 * np.sqrt(((p_p + p_d - (p_p - p_d) ** 2) / n).clip(lower=0)) * 100
    return pd.DataFrame({"enps": score, "enps_n": g["n"].astype(int),
                         "ci_low": (score - half).clip(lower=-100), "ci_high": (score + half).clip(upper=100),
                         "promoters": p_p, "detractors": p_d})


def _group_figures(wide: pd.DataFrame, scales: dict, by: str) -> pd.DataFrame:
    """One row per group of ``by`` (sorted): n, eNPS columns, engagement, per-item mean and favourability."""
    if wide.empty:
        return pd.DataFrame()
    keys = wide[by]
    people = pd.Series(person_codes(wide), index=wide.index)  # n counts people, not responses
    out = pd.DataFrame({"n": people.groupby(keys.values, dropna=False, sort=True).nunique()})
    if "enps" in wide:
        out = out.join(_enps_by_group(wide["enps"], keys))
    names = [i for i in scales if i in wide]
    fav = fav_frame(wide, scales)[names].groupby(keys.values, dropna=False, sort=True).mean()
    means = wide[names].astype(float).groupby(keys.values, dropna=False, sort=True).mean()
    out["engagement"] = fav.mean(axis=1) if names else np.nan
    for item in names:
        out[f"mean::{item}"] = means[item]
        out[f"fav::{item}"] = fav[item]
    return out.rename_axis("group").reset_index()


def segment_summary(wide: pd.DataFrame, items: pd.DataFrame, by: str, threshold: int, *,
                    population: pd.DataFrame | None = None, selections: dict | None = None) -> pd.DataFrame:
    """One row per group of ``by``: n, eNPS with CI, engagement, per-item mean and favourability.

    Groups are hidden by :func:`eevp.analytics.anonymity.suppress` together with the groups that the tables
    by every other segment would let someone work out (:func:`eevp.analytics.anonymity.suppress_dimensions`).
    For a filtered view pass the unfiltered frame as ``population`` and the filter as
    ``selections``: groups whose filtered figure would differ from the unfiltered one by a small
    group are hidden too (:func:`eevp.analytics.anonymity.hidden_by_filter`).
    """
    table = _group_figures(wide, item_scales(items), by)
    if table.empty:  # an empty selection: no groups, with the columns every caller reads
        return pd.DataFrame({"group": pd.Series(dtype=object), "n": pd.Series(dtype=int),
                             "suppressed": pd.Series(dtype=bool)})
    value_cols = [c for c in table.columns if c not in ("group", "n")]
    hide = _hidden(wide, by, threshold, survey_dims(wide, items), population, selections)
    return anonymity.suppress(table, n_col="n", threshold=threshold, group_cols=["group"], value_cols=value_cols,
                              hide=[_in(g, hide) for g in table["group"]])


def survey_report(wide: pd.DataFrame, items: pd.DataFrame, by: str, threshold: int,
                  wave: str | None = None) -> dict:
    """The CLI's ``report survey`` JSON: groups with n, eNPS, item means and favourable shares."""
    population = wide
    if wave:
        wide = wide[wide["wave"] == wave]
    if by not in wide.columns:
        raise InputError(f"Cannot group by '{by}'. Use one of: role, department, location, tenure, wave"
                         + "".join(f", {c}" for c in wide.columns if c not in ("id", "batch_id")
                                   and wide[c].dtype == object and c not in ("role", "department", "location",
                                                                              "tenure", "wave"))[:200] + ".")
    # One wave is a filtered view of all waves: it must agree with the report over all waves.
    table = segment_summary(wide, items, by, threshold, population=population if wave else None,
                            selections={"wave": [wave]} if wave else None)
    groups = []
    for r in table.to_dict("records"):
        sup = bool(r["suppressed"])
        groups.append({
            "group": r["group"],
            "n": None if sup else int(r["n"]),
            "suppressed": sup,
            "enps": None if sup or pd.isna(r.get("enps")) else round(float(r["enps"]), 1),
            "items": {} if sup else {k[6:]: round(float(v), 3) for k, v in r.items()
                                     if k.startswith("mean::") and pd.notna(v)},
            "favourable": {} if sup else {k[5:]: round(float(v), 3) for k, v in r.items()
                                          if k.startswith("fav::") and pd.notna(v)},
        })
    return {"by": by, "wave": wave, "threshold": threshold, "groups": groups}


def heatmap_table(wide: pd.DataFrame, items: pd.DataFrame, segment: str, threshold: int, *,
                  population: pd.DataFrame | None = None, selections: dict | None = None) -> pd.DataFrame:
    """Tidy (segment value, item): favourable share, n, difference from the whole, suppressed.

    Cells are suppressed with primary and complementary suppression along rows and columns.
    """
    long, segments, names = fav_long(fav_frame(wide, item_scales(items)), wide[segment], person_codes(wide))
    if long.empty:
        return pd.DataFrame(columns=[segment, "item", "favourable", "n", "diff", "suppressed"])
    grouped = long[long["group"] >= 0] if (long["group"] < 0).any() else long  # no group: in the overall only
    g = grouped.groupby(["group", "item"]).agg(mean=("fav", "mean"), size=(anonymity.PERSON, "nunique")).reset_index()
    overall = long.groupby("item")["fav"].mean()
    g["diff"] = g["mean"] - g["item"].map(overall)
    g = g.assign(**{segment: segments.take(g["group"].to_numpy()), "item": names.take(g["item"].to_numpy())})
    counts = g.pivot(index=segment, columns="item", values="size").fillna(0)
    hide = _hidden(wide, segment, threshold, survey_dims(wide, items), population, selections)
    rows = np.array([_in(s, hide) for s in counts.index], dtype=bool)
    mask = anonymity.suppress_matrix(counts, threshold, hide=np.repeat(rows[:, None], counts.shape[1], axis=1))
    g["favourable"] = g["mean"]
    g["n"] = g["size"]
    g["suppressed"] = anonymity.hidden_cells(mask, g[segment], g["item"])
    g.loc[g["suppressed"], ["favourable", "n", "diff"]] = np.nan
    return g[[segment, "item", "favourable", "n", "diff", "suppressed"]]


def groups_that_matter(heat: pd.DataFrame, segment: str, largest: int = 12, different: int = 8) -> list:
    """The groups of a heatmap table worth a first look when there are too many to draw: the ``largest`` by
    responses, then the ``different`` whose favourable shares differ most from the whole selection (mean
    absolute difference); hidden groups are never among them. Largest first."""
    shown = heat[~heat["suppressed"].astype(bool)]
    if shown.empty:
        return []
    per = shown.groupby(segment).agg(n=("n", "max"), gap=("diff", lambda d: d.abs().mean()))
    big = per.sort_values(["n", "gap"], ascending=False).index[:largest].tolist()
    odd = per.drop(index=big).sort_values("gap", ascending=False).index[:different].tolist()
    return big + odd


def enps_by(wide: pd.DataFrame, segment: str, threshold: int, *, population: pd.DataFrame | None = None,
            selections: dict | None = None) -> pd.DataFrame:
    table = segment_summary(wide, pd.DataFrame(columns=["item", "min", "max"]), segment, threshold,
                            population=population, selections=selections)
    if table.empty:
        return table
    return table[["group", "n", "enps", "ci_low", "ci_high", "promoters", "detractors", "suppressed"]].rename(
        columns={"group": segment})


def distribution(wide: pd.DataFrame, item: str, threshold: int) -> pd.DataFrame:
    """Share of each answer value of one item (only when enough people answered)."""
    col = wide[item].dropna() if item in wide else pd.Series(dtype=float)
    if len(col) < threshold:
        return pd.DataFrame(columns=["score", "count", "share"])
    counts = col.round().astype(int).value_counts().sort_index()
    return pd.DataFrame({"score": counts.index, "count": counts.values, "share": counts.values / counts.sum()})


def drivers(wide: pd.DataFrame, items: pd.DataFrame, threshold: int, outcome: str = "enps") -> pd.DataFrame:
    """Key drivers of ``outcome`` (eNPS or an item) among the other items; empty when fewer than
    ``max(threshold, 30)`` responses answer them all or fewer than two items are left."""
    names = [i for i in items["item"] if i in wide and i != outcome]
    data = wide[names + [outcome]].dropna() if outcome in wide else wide.iloc[:0]
    if len(data) < max(threshold, 30) or len(names) < 2:
        return pd.DataFrame()
    return metrics.key_drivers(data, names, outcome=outcome, threshold=threshold, scale=item_scales(items))


def wave_trend(wide: pd.DataFrame, items: pd.DataFrame, threshold: int, waves: list[str], *,
               population: pd.DataFrame | None = None, selections: dict | None = None) -> pd.DataFrame:
    """Per wave: n, eNPS, engagement (suppressed waves carry no values); ``population`` and
    ``selections`` as for :func:`segment_summary`."""
    t = segment_summary(wide, items, "wave", threshold, population=population, selections=selections)
    if t.empty:
        return t
    t = t.rename(columns={"group": "wave"})
    order = {w: i for i, w in enumerate(waves)}
    t["order"] = t["wave"].map(order)
    return t.sort_values("order").drop(columns="order").reset_index(drop=True)


def item_wave_deltas(wide: pd.DataFrame, items: pd.DataFrame, waves: list[str], threshold: int, *,
                     population: pd.DataFrame | None = None, selections: dict | None = None) -> pd.DataFrame:
    """Per item: favourability in the last two waves the wave table shows, the change, and whether it is
    significant.

    A wave hidden in the table by wave (small, or hidden as the complement of a small one, see
    :func:`segment_summary`) is never one of the two: its figures with the total over all waves would
    give the small wave back. For a filtered view pass ``population`` and ``selections`` as for
    :func:`segment_summary` (the waves the filtered table hides are then left out too).
    """
    empty = pd.DataFrame(columns=["item", "previous", "current", "delta", "p_value", "significant"])
    if wide.empty:
        return empty
    hide = _hidden(wide, "wave", threshold, survey_dims(wide, items), population, selections)
    per_wave = anonymity.people(wide, "wave")
    shown = {w for w, n in per_wave.items() if n >= threshold and not _in(w, hide)}
    present = [w for w in waves if w in shown]
    if len(present) < 2:
        return empty
    prev_w, cur_w = present[-2], present[-1]
    fav = fav_frame(wide, item_scales(items))
    persons = pd.Series(person_codes(wide), index=wide.index)
    rows = []
    for item in fav.columns:
        p = fav.loc[wide["wave"] == prev_w, item].dropna()
        c = fav.loc[wide["wave"] == cur_w, item].dropna()
        n_p, n_c = persons[p.index].nunique(), persons[c.index].nunique()
        if n_p < threshold or n_c < threshold:
            continue
        d = metrics.wave_delta(float(p.mean()), n_p, float(c.mean()), n_c)
        rows.append({"item": item, "previous": float(p.mean()), "current": float(c.mean()), "delta": d["delta"],
                     "p_value": d["p_value"], "significant": d["significant"], "n_previous": n_p,
                     "n_current": n_c})
    return pd.DataFrame(rows) if rows else empty


def segment_item_trend(wide: pd.DataFrame, items: pd.DataFrame, segment: str, item: str, threshold: int,
                       waves: list[str], *, population: pd.DataFrame | None = None,
                       selections: dict | None = None) -> pd.DataFrame:
    """Favourability of one item per segment value per wave (suppressed cells empty).

    The groups the table by ``segment`` of the same rows hides (:func:`segment_summary`, with the same
    ``population`` and ``selections``) are hidden in every wave (their waves add up to them), and so
    are the waves the table by wave hides."""
    fav = fav_frame(wide, item_scales(items))
    if item not in fav:
        return pd.DataFrame()
    df = pd.DataFrame({"wave": wide["wave"], segment: wide[segment], "fav": fav[item],
                       anonymity.PERSON: person_codes(wide)}).dropna(subset=["fav"])
    g = df.groupby(["wave", segment]).agg(mean=("fav", "mean"), size=(anonymity.PERSON, "nunique")).reset_index()
    counts = g.pivot(index=segment, columns="wave", values="size").fillna(0)
    dims = survey_dims(wide, items)
    groups = _hidden(wide, segment, threshold, dims, population, selections)
    hidden_waves = _hidden(wide, "wave", threshold, dims, population, selections)
    # the cells of wave × segment audited with those of wave × every other dimension (the views filtered
    # to a department show its waves: a role nested in it would be the difference)
    cells = anonymity.crossed_cells(wide, segment, "wave", dims, threshold, inner="wave")
    hide = np.array([[_in(s, groups) or _in(w, hidden_waves) or (_key(s), _key(w)) in cells for w in counts.columns]
                     for s in counts.index], dtype=bool).reshape(counts.shape)
    mask = anonymity.suppress_matrix(counts, threshold, hide=hide)
    g["suppressed"] = anonymity.hidden_cells(mask, g[segment], g["wave"])
    g["favourable"] = g["mean"].where(~g["suppressed"])
    g["n"] = g["size"].where(~g["suppressed"])
    g["order"] = g["wave"].map({w: i for i, w in enumerate(waves)})
    return g.sort_values(["order", segment])[["wave", segment, "favourable", "n", "suppressed"]]


def home_summary(wide: pd.DataFrame, items: pd.DataFrame, exits: pd.DataFrame, waves: list[str],
                 threshold: int, *, population: pd.DataFrame | None = None, selections: dict | None = None,
                 exit_population: pd.DataFrame | None = None) -> dict:
    """Headline cards, the trend, weakest items, largest drops, and where to look next.

    For a viewer's scope pass the company's rows as ``population`` and the scope as ``selections``
    (:func:`scope_of`): the waves are then hidden as in the company's view filtered to the scope; and
    every leaver as ``exit_population``, for the quarters of the exit cards.
    """
    selections = selections or None
    trend = (wave_trend(wide, items, threshold, waves, population=population if selections else None,
                        selections=selections) if len(wide) else pd.DataFrame())
    visible = trend[~trend["suppressed"]] if len(trend) else trend
    cur = visible.iloc[-1] if len(visible) else None
    prev = visible.iloc[-2] if len(visible) > 1 else None

    def delta(col):
        if cur is None or prev is None or pd.isna(cur.get(col)) or pd.isna(prev.get(col)):
            return None
        return float(cur[col] - prev[col])

    cards = {
        "wave": None if cur is None else cur["wave"],
        "responses": None if cur is None else int(cur["n"]),
        "responses_delta": delta("n"),
        "enps": None if cur is None else cur.get("enps"),
        "enps_delta": delta("enps"),
        "engagement": None if cur is None else cur.get("engagement"),
        "engagement_delta": delta("engagement"),
    }
    exit_scope = scope_of(exits, exit_population) if exit_population is not None else None
    cards.update(exit_cards(exits, threshold, population=exit_population, selections=exit_scope))
    cur_wide = wide[wide["wave"] == cards["wave"]] if cards["wave"] is not None else wide.iloc[0:0]
    fav = fav_frame(cur_wide, item_scales(items))
    counts = fav.notna().sum()
    weakest = (fav.mean()[counts >= threshold].sort_values().head(3).rename("favourable")
               .reset_index().rename(columns={"index": "item"}))
    deltas = item_wave_deltas(wide, items, waves, threshold, population=population if selections else None,
                              selections=selections)
    drops = deltas.sort_values("delta").head(3) if len(deltas) else deltas
    drops = drops[drops["delta"] < 0] if len(drops) else drops
    return {"cards": cards, "trend": trend, "weakest": weakest, "drops": drops,
            "hints": look_next(wide, items, waves, threshold)}


def exit_cards(exits: pd.DataFrame, threshold: int, *, population: pd.DataFrame | None = None,
               selections: dict | None = None) -> dict:
    """The latest visible quarter's leavers, its change and regretted share; quarters hidden as on the
    Exits page (:func:`exits_over_time`, with the same ``population`` and ``selections``)."""
    if exits is None or exits.empty:
        return {"exits": None, "exits_delta": None, "regretted_share": None, "exits_quarter": None}
    exits = _with_people(exits)
    q = exits.dropna(subset=["exit_date"]).groupby("quarter").agg(
        n=(anonymity.PERSON, "nunique"), regretted=("regretted", lambda s: s.dropna().astype(float).mean())).reset_index()
    # The same quarters as the Exits page hides (the total of leavers is known, so complements too).
    over_time = exits_over_time(exits, threshold, population=population, selections=selections)
    hide = {_key(x) for x in over_time.loc[over_time["suppressed"], "quarter"]}
    q = anonymity.suppress(q, n_col="n", threshold=threshold, group_cols=["quarter"], value_cols=["regretted"],
                           hide=[_in(x, hide) for x in q["quarter"]])
    q = q[~q["suppressed"]].sort_values("quarter")
    if q.empty:
        return {"exits": None, "exits_delta": None, "regretted_share": None, "exits_quarter": None}
    cur = q.iloc[-1]
    prev = q.iloc[-2] if len(q) > 1 else None
    return {"exits": int(cur["n"]), "exits_quarter": cur["quarter"],
            "exits_delta": None if prev is None else float(cur["n"] - prev["n"]),
            "regretted_share": None if pd.isna(cur["regretted"]) else float(cur["regretted"])}


def look_next(wide: pd.DataFrame, items: pd.DataFrame, waves: list[str], threshold: int) -> list[dict]:
    """Plain-language pointers: the biggest falls of an item within a role or department."""
    hints = []
    have = set(wide["wave"].unique())
    present = [w for w in waves if w in have]
    if len(present) < 2:
        return hints
    first, last = present[0], present[-1]
    fav, dims = fav_frame(wide, item_scales(items)), survey_dims(wide, items)
    for segment in ("role", "department"):
        # (group, first wave) and (group, last wave) are filtered views of the group over all waves.
        hide = _hidden(wide, segment, threshold, dims, wide, {"wave": [first]})
        hide |= _hidden(wide, segment, threshold, dims, wide, {"wave": [last]})
        df = fav.assign(_seg=wide[segment].values, _wave=wide["wave"].values)
        df = df[df["_wave"].isin([first, last])]
        g = df.groupby(["_seg", "_wave"])
        means, sizes = g.mean(numeric_only=True), g.size()
        for seg in df["_seg"].unique():
            if (seg, first) not in sizes or (seg, last) not in sizes:
                continue
            if sizes[(seg, first)] < threshold or sizes[(seg, last)] < threshold or _in(seg, hide):
                continue
            change = means.loc[(seg, last)] - means.loc[(seg, first)]
            for item, d in change.items():
                if pd.notna(d) and d <= -0.15:
                    hints.append({"segment": segment, "group": seg, "item": item, "from": float(
                        means.loc[(seg, first), item]), "to": float(means.loc[(seg, last), item]),
                        "first_wave": first, "last_wave": last, "change": float(d)})
    hints.sort(key=lambda h: h["change"])
    return hints[:5]


# --------------------------------------------------------------------------- EVP

def offered(roles_offered, role: str) -> bool:
    return roles_offered == "all" or role in (roles_offered or [])


def evp_matrix(catalog: pd.DataFrame, roles: list[str]) -> pd.DataFrame:
    """benefit × role: offered or not (the catalogue is policy, not people: no threshold needed)."""
    rows = [{"benefit": b.benefit, "pillar": b.pillar, "role": r, "offered": offered(b.roles_offered, r)}
            for b in catalog.itertuples() for r in roles]
    return pd.DataFrame(rows, columns=["benefit", "pillar", "role", "offered"])


def evp_gaps(ratings: pd.DataFrame, catalog: pd.DataFrame, threshold: int, by: str = "role", *,
             population: pd.DataFrame | None = None, selections: dict | None = None) -> pd.DataFrame:
    """Per group × benefit: importance, satisfaction, gap (importance − satisfaction), offered, n.

    For a viewer's scope pass every rating as ``population`` and the scope as ``selections``
    (:func:`scope_of`): the viewer's table then agrees with the company's (no cell of it differs
    from the company's by a small group, none shows what the company's hides).
    """
    if ratings.empty:
        return pd.DataFrame(columns=[by, "benefit", "pillar", "importance", "satisfaction", "gap", "n", "offered",
                                     "suppressed"])
    ratings = _with_people(ratings)
    g = ratings.groupby([by, "benefit"]).agg(importance=("importance", "mean"),
                                             satisfaction=("satisfaction", "mean"),
                                             n=(anonymity.PERSON, "nunique")).reset_index()
    counts = g.pivot(index=by, columns="benefit", values="n").fillna(0)
    # The tables by role and by department describe the same people: a group either hides is hidden
    # in every row of its benefits (a department minus its other role is the hidden role).
    hide = _hidden(ratings, by, threshold, [d for d in EVP_DIMS if d in ratings], population, selections)
    rows = np.array([_in(x, hide) for x in counts.index], dtype=bool)
    cells = _view_cells(g, [by, "benefit"], population, selections, threshold,
                        lambda: evp_gaps(population, catalog, threshold, by))
    extra = pd.Series(_cell_mask(g, [by, "benefit"], cells), index=pd.MultiIndex.from_frame(g[[by, "benefit"]]))
    extra = extra.unstack(fill_value=False).reindex(index=counts.index, columns=counts.columns, fill_value=False)
    hide_cells = np.repeat(rows[:, None], counts.shape[1], axis=1) | extra.to_numpy(dtype=bool)
    mask = anonymity.suppress_matrix(counts, threshold, hide=hide_cells)
    g["suppressed"] = anonymity.hidden_cells(mask, g[by], g["benefit"])
    g.loc[g["suppressed"], ["importance", "satisfaction", "n"]] = np.nan
    g["gap"] = g["importance"] - g["satisfaction"]
    cat = catalog.set_index("benefit") if len(catalog) else pd.DataFrame(columns=["pillar", "roles_offered"])
    g["pillar"] = g["benefit"].map(cat["pillar"]) if len(cat) else None
    if by == "role" and len(cat):
        g["offered"] = [offered(cat["roles_offered"].get(b, []), r) for r, b in zip(g["role"], g["benefit"])]
    # Grouped by anything but the role, "offered" has no one answer per row: no column (not None in each).
    return g.sort_values("gap", ascending=False, na_position="last").reset_index(drop=True)


def valued_not_offered(gaps: pd.DataFrame, min_importance: float = 4.0) -> pd.DataFrame:
    """Benefits a role rates as important (≥ 4 of 5) but is not offered."""
    if gaps.empty or "offered" not in gaps:
        return gaps.iloc[0:0]
    out = gaps[(gaps["offered"] == False) & (gaps["importance"] >= min_importance)]  # noqa: E712
    return out.sort_values("importance", ascending=False)


def pillar_trend(ratings: pd.DataFrame, catalog: pd.DataFrame, threshold: int, waves: list[str], *,
                 population: pd.DataFrame | None = None, selections: dict | None = None) -> pd.DataFrame:
    """Mean satisfaction per pillar per wave; ``population`` and ``selections`` as for :func:`evp_gaps`."""
    if ratings.empty or catalog.empty:
        return pd.DataFrame(columns=["wave", "pillar", "satisfaction", "importance", "n", "suppressed"])
    df = ratings.merge(catalog[["benefit", "pillar"]], on="benefit", how="left")
    df = _with_people(df)
    g = df.groupby(["wave", "pillar"]).agg(satisfaction=("satisfaction", "mean"), importance=("importance", "mean"),
                                           n=(anonymity.PERSON, "nunique")).reset_index()
    pop = None if population is None else population.merge(catalog[["benefit", "pillar"]], on="benefit", how="left")
    cells = _view_cells(g, ["wave", "pillar"], None if pop is None else _with_people(pop), selections, threshold,
                        lambda: pillar_trend(population, catalog, threshold, waves))
    g = anonymity.suppress(g, n_col="n", threshold=threshold, group_cols=["wave", "pillar"],
                           value_cols=["satisfaction", "importance"], hide=_cell_mask(g, ["wave", "pillar"], cells))
    order = {w: i for i, w in enumerate(waves)}
    g["order"] = g["wave"].map(order).fillna(len(order))
    return g.sort_values(["order", "pillar"]).drop(columns="order")


@functools.cache
def pillar_words() -> dict[str, list[str]]:
    """Words in exit reasons that point to an EVP pillar (English, Russian, Ukrainian; word beginnings)."""
    return json.loads((Path(__file__).parents[1] / "resources/evp/pillar_words.json").read_text(encoding="utf-8"))


def reason_pillar(reason: str) -> str | None:
    s = (reason or "").lower()
    for pillar, words in pillar_words().items():
        if any(w in s for w in words):
            return pillar
    return None


def _leaver_pillars(exits: pd.DataFrame) -> pd.DataFrame:
    """One row per leaver and pillar their reasons (primary or other) point to, with the person."""
    pillar_of = functools.lru_cache(maxsize=None)(reason_pillar)  # few distinct reasons, many leavers
    pillars = []
    for reason, other in zip(exits["reason"].tolist(), exits["other_reasons"].tolist()):
        names = {pillar_of(reason)} | {pillar_of(x) for x in (other if isinstance(other, list) else [])}
        pillars.append(sorted(p for p in names if p))
    return _with_people(exits).assign(pillar=pillars).explode("pillar").dropna(subset=["pillar"])


def exit_pillars(exits: pd.DataFrame, threshold: int, *, population: pd.DataFrame | None = None,
                 selections: dict | None = None) -> pd.DataFrame:
    """How many leavers name a reason that maps to each pillar (primary or other reasons);
    ``population`` and ``selections`` as for :func:`evp_gaps` (every leaver and the viewer's scope)."""
    if exits is None or exits.empty:
        return pd.DataFrame(columns=["pillar", "n", "share", "suppressed"])
    counts = anonymity.people(_leaver_pillars(exits), "pillar").rename_axis("pillar").reset_index(name="n")
    counts = counts.sort_values(["n", "pillar"], ascending=[False, True]).reset_index(drop=True)
    counts["share"] = counts["n"] / _people(exits)
    cells = _view_cells(counts, ["pillar"], None if population is None else _leaver_pillars(population), selections,
                        threshold, lambda: exit_pillars(population, threshold))
    return anonymity.suppress(counts, n_col="n", threshold=threshold, group_cols=["pillar"], value_cols=["share"],
                              complementary=False, hide=_cell_mask(counts, ["pillar"], cells))


def evp_report(ratings: pd.DataFrame, catalog: pd.DataFrame, threshold: int, by: str = "role", *,
               population: pd.DataFrame | None = None, selections: dict | None = None) -> dict:
    gaps = evp_gaps(ratings, catalog, threshold, by=by, population=population, selections=selections)
    rows = []
    for r in gaps.to_dict("records"):
        sup = bool(r["suppressed"])
        rows.append({by: r[by], "benefit": r["benefit"], "offered": r.get("offered"),
                     "importance": None if sup else round(float(r["importance"]), 3),
                     "satisfaction": None if sup else round(float(r["satisfaction"]), 3),
                     "gap": None if sup else round(float(r["gap"]), 3),
                     "n": None if sup else int(r["n"]), "suppressed": sup})
    return {"by": by, "threshold": threshold, "rows": rows}


# --------------------------------------------------------------------------- exits

#: The exit column whose crossed audit holds the tables of every filtered view with it (as the wave's on surveys):
#: a viewer's leavers per quarter and the reason × quarter table are cells of one audit.
EXIT_INNER = "quarter"
#: The tables with an audit's column that views publish, where not every table with it
#: (:func:`eevp.analytics.anonymity.crossed_cells`): with the quarter, a viewer's (a department's) leavers per
#: quarter and reason × quarter (an action on an exit reason); none by role, location or tenure, whose cells the
#: quarter's audit takes as unknown, never as shown.
PUBLISHED = {EXIT_INNER: ("department", "reason")}


def _exit_hidden(exits: pd.DataFrame, by: str, threshold: int, population=None, selections=None) -> set:
    return _hidden(exits, by, threshold, [d for d in EXIT_DIMS if d in exits], population, selections, EXIT_INNER)


def exits_by(exits: pd.DataFrame, by: str, threshold: int, *, population: pd.DataFrame | None = None,
             selections: dict | None = None) -> pd.DataFrame:
    """Per group: n, regretted share, exit eNPS, reasons (suppressed groups carry nothing).

    ``reasons`` holds the group's row of :func:`reason_role_matrix` (hidden cells as None), so the CLI, this
    table and the heatmap hide the same cells. A viewer's scope: ``population`` and ``selections`` as for
    :func:`evp_gaps`."""
    if exits.empty:
        return pd.DataFrame(columns=[by, "n", "regretted_share", "enps", "suppressed"])
    matrix = reason_role_matrix(exits, threshold, by=by, population=population, selections=selections)
    matrix = matrix[(matrix["n"] > 0) | matrix["suppressed"]]
    rows = []
    for group, sub in exits.groupby(by):
        cells = matrix[matrix[by] == group]
        reasons = {r: (None if s else int(n)) for r, n, s in zip(cells["reason"], cells["n"], cells["suppressed"])}
        e = metrics.enps(sub["enps"].dropna()) if "enps" in sub else {"enps": None}
        reg = sub["regretted"].dropna()
        rows.append({by: group, "n": _people(sub), "regretted_share": float(reg.astype(float).mean()) if len(reg) else None,
                     "enps": e["enps"], "reasons": reasons})
    t = pd.DataFrame(rows)
    hide = _exit_hidden(exits, by, threshold, population, selections)
    return anonymity.suppress(t, n_col="n", threshold=threshold, group_cols=[by],
                              value_cols=["regretted_share", "enps", "reasons"], hide=[_in(g, hide) for g in t[by]])


def exits_report(exits: pd.DataFrame, by: str, threshold: int, *, population: pd.DataFrame | None = None,
                 selections: dict | None = None) -> dict:
    t = exits_by(exits, by, threshold, population=population, selections=selections)
    groups = []
    for r in t.to_dict("records"):
        sup = bool(r["suppressed"])
        reasons = {} if sup else dict(r["reasons"] or {})
        groups.append({"group": r[by], "n": None if sup else int(r["n"]), "suppressed": sup,
                       "reasons": reasons,
                       "regretted_share": None if sup or r["regretted_share"] is None or pd.isna(
                           r["regretted_share"]) else round(float(r["regretted_share"]), 3),
                       "enps": None if sup or r["enps"] is None or pd.isna(r["enps"]) else round(float(r["enps"]), 1)})
    return {"by": by, "threshold": threshold, "groups": groups}


def reason_role_matrix(exits: pd.DataFrame, threshold: int, by: str = "role", *,
                       population: pd.DataFrame | None = None, selections: dict | None = None) -> pd.DataFrame:
    """Leavers (people) by ``by`` × main reason; ``population`` and ``selections`` as for :func:`exits_by`."""
    if exits.empty:
        return pd.DataFrame(columns=[by, "reason", "n", "suppressed"])
    g = anonymity.people(exits, [by, "reason"]).rename("n").reset_index()
    counts = g.pivot(index=by, columns="reason", values="n").fillna(0)
    # The tables by every dimension and reason are audited together (a role nested in a department,
    # reason by reason), and the groups' totals that the group tables hide are hidden whole.
    crossed = anonymity.crossed_cells(exits, by, "reason", [d for d in EXIT_DIMS if d in exits], threshold)
    groups = _exit_hidden(exits, by, threshold, population, selections)
    cells = crossed | _view_cells(g, [by, "reason"], population, selections, threshold,
                                                 lambda: reason_role_matrix(population, threshold, by))
    hide = np.array([[_in(a, groups) or (_key(a), _key(r)) in cells for r in counts.columns] for a in counts.index],
                    dtype=bool).reshape(counts.shape)
    mask = anonymity.suppress_matrix(counts, threshold, hide=hide)
    full = counts.stack().rename("n").reset_index()
    full["suppressed"] = anonymity.hidden_cells(mask, full[by], full["reason"])
    full["n"] = full["n"].where(~full["suppressed"])
    return full


def exits_over_time(exits: pd.DataFrame, threshold: int, by: str | None = None, *,
                    population: pd.DataFrame | None = None, selections: dict | None = None) -> pd.DataFrame:
    """Leavers per quarter (per ``by`` and quarter); ``population`` and ``selections`` as for :func:`exits_by`."""
    df = _with_people(exits).dropna(subset=["exit_date"])
    keys = ["quarter"] + ([by] if by else [])
    g = df.groupby(keys).agg(n=(anonymity.PERSON, "nunique"), regretted=("regretted", lambda s: s.dropna().astype(float).sum())
                             ).reset_index()
    quarters = _exit_hidden(exits, "quarter", threshold, population, selections)
    cells = _view_cells(g, keys, population, selections, threshold,
                        lambda: exits_over_time(population, threshold, by))
    if by:
        counts = g.pivot(index=by, columns="quarter", values="n").fillna(0)
        groups = _exit_hidden(exits, by, threshold, population, selections)
        # reason × quarter is in two audits: the quarter's (with a viewer's leavers per quarter) and the
        # reason's (with the reason tables by role, department …); it hides what either hides
        dims = [d for d in EXIT_DIMS if d in exits]
        cells |= {(q, a) for i in (EXIT_INNER, None)
                  for a, q in anonymity.crossed_cells(exits, by, "quarter", dims, threshold, i, PUBLISHED)}
        hide = np.array([[_in(a, groups) or _in(q, quarters) or (_key(q), _key(a)) in cells for q in counts.columns]
                         for a in counts.index], dtype=bool).reshape(counts.shape)
        mask = anonymity.suppress_matrix(counts, threshold, hide=hide)
        g["suppressed"] = anonymity.hidden_cells(mask, g[by], g["quarter"])
        g.loc[g["suppressed"], ["n", "regretted"]] = np.nan
        return g
    # The total of leavers is shown elsewhere (sum of the groups), so complements are needed here too.
    return anonymity.suppress(g, n_col="n", threshold=threshold, group_cols=["quarter"], value_cols=["regretted"],
                              hide=[_in(q, quarters) or (_key(q),) in cells for q in g["quarter"]])


def tenure_at_exit(exits: pd.DataFrame, threshold: int, *, population: pd.DataFrame | None = None,
                   selections: dict | None = None) -> pd.DataFrame:
    """Leavers by tenure; ``population`` and ``selections`` as for :func:`exits_by`."""
    g = _with_people(exits).groupby("tenure").agg(n=(anonymity.PERSON, "nunique"),
                                    regretted=("regretted", lambda s: s.dropna().astype(float).mean())).reset_index()
    hide = _exit_hidden(exits, "tenure", threshold, population, selections)
    return anonymity.suppress(g, n_col="n", threshold=threshold, group_cols=["tenure"], value_cols=["regretted"],
                              hide=[_in(x, hide) for x in g["tenure"]])
