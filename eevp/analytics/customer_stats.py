"""The figures of each customer theme (what its card on Customer insights shows), every theme at once.

Each figure is one grouped count over all the themes' statements (theme × stage, theme × department …)
and each table of a theme's counts goes through the anonymity layer once for all themes (a theme is its
own set of siblings): working theme by theme cost a dozen pandas calls per theme. The classification as
systemic or local (:func:`eevp.analytics.customers.rank_themes`) reads :data:`PRIVATE_STATS`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from eevp.analytics import anonymity
from eevp.analytics.theme_views import theme_cross
from eevp.store.queries import NOT_GIVEN

__all__ = ["NAMED_STAGE_SHARE", "NOT_GIVEN", "PRIVATE_STATS", "RANKED_COLUMNS", "theme_stats"]

#: The columns of an empty ranking (a ranking also has ``top_department``).
RANKED_COLUMNS = ["theme_id", "label", "keywords", "reach", "severity", "statements", "roles", "departments", "systemic",
                  "top_department_share", "top_role_share", "stages", "main_stage", "sources", "sentiment",
                  "incidents", "trend", "new"]

#: Columns of :func:`theme_stats` that the ranking uses and does not show.
PRIVATE_STATS = ["_per_dept", "_dept_share", "_role_share", "_praise", "_known_share"]

#: The share of a theme's people a stage must hold to be named as its stage when fewer than the comment
#: threshold raise it (see :func:`_named_stages`).
NAMED_STAGE_SHARE = 1 / 3


def theme_stats(units: pd.DataFrame, labels: pd.DataFrame, min_reach: int) -> pd.DataFrame:
    """Everything :func:`~eevp.analytics.customers.rank_themes` shows about each theme except the
    systemic/local label.

    One row per theme raised by at least ``min_reach`` people, ranked by reach × (0.5 + severity), then
    reach and departments; plus :data:`PRIVATE_STATS` for the classification.
    """
    empty = pd.DataFrame(columns=[c for c in RANKED_COLUMNS if c != "systemic"] + PRIVATE_STATS)
    u = units[units["theme_id"] >= 0]
    if u.empty:
        return empty
    periods = sorted(units["period"].dropna().unique())
    reach_of = u.groupby("theme_id")["person"].nunique()
    u = u[u["theme_id"].isin(reach_of.index[reach_of >= min_reach])]
    if u.empty:
        return empty
    mains, core_dept_of, core_role_of = _cores(u, min_reach)
    fig = _figures(u, units, min_reach, mains)
    shown = {"stages": _safe_counts(u, "stage", min_reach, pooled=False), "sources": _safe_counts(u, "kind", min_reach),
             "sentiment": _safe_counts(u, "sentiment", min_reach),
             "trend": _safe_counts(u, "period", min_reach, people=True, index=periods)}
    lab = labels.set_index("theme_id") if len(labels) else None
    rows = []
    for theme in fig.index:
        f, reach = fig.loc[theme], int(reach_of[theme])
        core_dept, core_role = core_dept_of.get(theme, {}), core_role_of.get(theme, {})
        rows.append({
            "theme_id": int(theme),
            "label": lab["label"].get(theme, f"Theme {theme}") if lab is not None else f"Theme {theme}",
            "keywords": lab["keywords"].get(theme, []) if lab is not None else [],
            "reach": reach, "statements": int(f["statements"]), "roles": int(f["roles"]),
            "departments": int(f["departments"]),
            "top_department": f["top_department"] if f["dept_max"] >= min_reach else None,
            "top_department_share": float(f["dept_max"] / reach) if f["dept_max"] >= min_reach else None,
            "top_role_share": float(f["role_max"] / reach) if f["role_max"] >= min_reach else None,
            "stages": shown["stages"].get(theme, {}), "main_stage": mains[theme] or f["named_stage"],
            "sources": shown["sources"].get(theme, {}), "sentiment": shown["sentiment"].get(theme, {}),
            "incidents": int(f["incidents"]),
            "trend": shown["trend"].get(theme, {}), "new": bool(f["new"]),
            "_per_dept": core_dept,
            "_dept_share": _top_share(core_dept, f["core_reach"]),
            "_role_share": _top_share(core_role, f["core_reach"]),
            "_known_share": float(f["core_known"] / f["core_reach"]), "_praise": bool(f["praise"]),
            "severity": f["severity"],
        })
    out = pd.DataFrame(rows)
    out["_priority"] = out["reach"] * (0.5 + out["severity"])
    out = out.sort_values(["_priority", "reach", "departments"], ascending=False).drop(columns="_priority")
    return out.reset_index(drop=True)


def _figures(u: pd.DataFrame, units: pd.DataFrame, min_reach: int, mains: dict) -> pd.DataFrame:
    """Per theme (sorted): statements, roles, departments, the largest department (``dept_max`` people,
    ``top_department``) and role (``role_max``), incidents, whether all of it is new in the latest of several
    batches, praise, severity, the stage named when none holds ``min_reach`` people, and its core's people
    (``core_reach``, at least 1; ``core_known``: those with a department)."""
    by = u.groupby("theme_id")
    dept_max, top_dept = _largest(u, "department")
    fig = pd.DataFrame({"statements": by.size(), "roles": _named_count(u, "role"),
                        "departments": _named_count(u, "department"), "dept_max": dept_max, "top_department": top_dept,
                        "role_max": _largest(u, "role")[0], "incidents": by["incident"].sum()})
    several = units["batch_id"].nunique() > 1
    fig["new"] = (u["batch_id"] == units["batch_id"].max()).groupby(u["theme_id"]).all() & several
    if "cls" in u:
        fig["praise"] = 2 * (u["cls"] == "customer_positive").groupby(u["theme_id"]).sum() > fig["statements"]
    else:
        fig["praise"] = False
    fig["severity"] = _severities(u, fig.index)
    fig["named_stage"] = _named_stages(u, fig.index)
    main_of = u["theme_id"].map(mains)
    core = u[main_of.isna() | (u["stage"] == main_of)]
    fig["core_reach"] = core.groupby("theme_id")["person"].nunique().reindex(fig.index, fill_value=0).clip(lower=1)
    known = core[core["department"] != NOT_GIVEN].groupby("theme_id")["person"].nunique()
    fig["core_known"] = known.reindex(fig.index, fill_value=0)
    return fig


def _named_count(u: pd.DataFrame, col: str) -> pd.Series:
    """Per theme, how many distinct values of ``col`` its units name: "(not given)" is no department."""
    named = u[u[col] != NOT_GIVEN].groupby("theme_id")[col].nunique()
    return named.reindex(u["theme_id"].unique(), fill_value=0)


def _largest(u: pd.DataFrame, col: str) -> tuple[pd.Series, pd.Series]:
    """Per theme: the most people in one value of ``col``, and that value (the first in sorted order on a tie)."""
    per = u.groupby(["theme_id", col])["person"].nunique()
    first = per.groupby(level=0).idxmax()
    return per.groupby(level=0).max(), pd.Series([k[1] for k in first], index=first.index, dtype=object)


def _severities(u: pd.DataFrame, themes: pd.Index) -> pd.Series:
    """How bad each theme is for customers, 0..1: the mean severity of its customer-problem statements
    times their share of the theme (a theme of praise scores 0)."""
    if "severity" not in u or "cls" not in u:
        return pd.Series(0.0, index=themes)
    order = np.argsort(u["theme_id"].to_numpy(), kind="stable")
    ids = u["theme_id"].to_numpy()[order]
    problems = (u["cls"] == "customer_problem").to_numpy()[order]
    severity = u["severity"].to_numpy(dtype=float)[order]
    cuts = np.flatnonzero(np.diff(ids)) + 1
    out = []
    for p, s in zip(np.split(problems, cuts), np.split(severity, cuts)):
        # as pandas computes Series.mean: one sum, then a division (the same rounding as before)
        out.append(round(float(np.nan_to_num(s[p], nan=0.0).mean() * p.mean()), 3) if p.any() else 0.0)
    return pd.Series(out, index=pd.Index(ids[np.r_[0, cuts]]), dtype=float).reindex(themes)


def _stage_people(u: pd.DataFrame) -> pd.Series:
    return u.dropna(subset=["stage"]).groupby(["theme_id", "stage"])["person"].nunique()


def _first_stage(per: pd.Series, enough: pd.Series) -> dict:
    """Per theme: the stage most of its people raise (the first in sorted order on a tie), when at least
    ``enough[theme]`` people do; None otherwise."""
    if per.empty:
        return {}
    top, first = per.groupby(level=0).max(), per.groupby(level=0).idxmax()
    return {t: (str(first[t][1]) if top[t] >= enough[t] else None) for t in top.index}


def _main_stages(u: pd.DataFrame, threshold: int) -> dict:
    """Per theme: the journey stage most of its people talk about, when at least ``threshold`` people do.

    Only the name is given, never a count, so naming it tells nothing about the smaller stages."""
    themes = u["theme_id"].unique()
    found = _first_stage(_stage_people(u), pd.Series(threshold, index=themes))
    return {t: found.get(t) for t in sorted(themes)}


def _named_stages(u: pd.DataFrame, themes: pd.Index) -> pd.Series:
    """The stage each theme is shown at when no stage holds the comment threshold of people on its own.

    A theme of 14 people, 6 of them at delivery and 8 whose statements name no stage (the stage head
    answers "none" more often than a reader would), showed stage "—". The theme holds the threshold of
    people (:func:`theme_stats` keeps no other), and the name of the stage most of them raise is no
    count; it is named when it holds at least :data:`NAMED_STAGE_SHARE` of the theme's people (one
    person's stage never names a theme of ten). The theme's core for systemic/local stays the whole
    theme (:func:`_cores`)."""
    enough = NAMED_STAGE_SHARE * u.groupby("theme_id")["person"].nunique()
    found = _first_stage(_stage_people(u), enough)
    return pd.Series([found.get(t) for t in themes], index=themes, dtype=object)


def _cores(u: pd.DataFrame, min_reach: int) -> tuple[dict, dict, dict]:
    """Per theme: its main stage, and the people of its core per department and per role, visible cells only.

    Where a theme is raised is judged on its core: the statements at its main stage (a billing theme's
    stray delivery statements, clustered in by similar wording, do not spread it). The systemic/local
    rule and its sliders see only the cells a theme × department (or role) table of the core would
    show (:func:`eevp.analytics.anonymity.suppress_matrix` at ``min_reach``): a hidden cell counts as
    nobody, so sweeping a slider never tells how many people a hidden cell holds.
    """
    mains = _main_stages(u, min_reach)
    main_of = u["theme_id"].map(mains)
    core = u[main_of.isna() | (u["stage"] == main_of)]
    visible = []
    for segment in ("department", "role"):
        cross = theme_cross(core, segment, min_reach)
        cross = cross[~cross["suppressed"].astype(bool) & (cross["people"].fillna(0) > 0)]
        per: dict = {}
        for theme, value, people in zip(cross["theme_id"], cross[segment], cross["people"]):
            per.setdefault(theme, {})[value] = int(people)
        visible.append(per)
    return mains, visible[0], visible[1]


def _top_share(per: dict, reach: int) -> float:
    """The largest named group's share of the people (0 when no group is named)."""
    named = [v for k, v in per.items() if k != NOT_GIVEN]
    return float(max(named) / reach) if named else 0.0  # no named group visible: nothing concentrated


def _safe_counts(u: pd.DataFrame, col: str, threshold: int, people: bool = False, index=None,
                 pooled: bool = True) -> dict:
    """Per theme: statements (or people) per value of ``col``, None where fewer than ``threshold`` people
    stand behind it (with complements within the theme; ``pooled`` as in
    :func:`eevp.analytics.anonymity.suppress`); every value of ``index`` when given, else those raised."""
    sub = u[u[col].notna()]
    per = sub.groupby(["theme_id", col])["person"].nunique()
    if index is not None:
        per = per.reindex(pd.MultiIndex.from_product([sorted(u["theme_id"].unique()), list(index)]), fill_value=0)
    value = per if people else sub.groupby(["theme_id", col]).size().reindex(per.index, fill_value=0)
    if per.empty:
        return {}
    t = pd.DataFrame({"theme_id": per.index.get_level_values(0), "key": per.index.get_level_values(1),
                      "n": per.to_numpy(), "value": value.to_numpy()})
    t = anonymity.suppress(t, n_col="n", threshold=threshold, group_cols=["theme_id", "key"], value_cols=["value"],
                           pooled=pooled)
    out: dict = {}
    for theme, k, v, s in zip(t["theme_id"], t["key"], t["value"], t["suppressed"]):
        out.setdefault(theme, {})[k] = None if s else int(v)
    return out
