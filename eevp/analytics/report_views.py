"""The small look-ups the dashboard pages make on report tables: the rows to draw, the choices of a
select box, the whole-company EVP table. Pages call these instead of shaping frames themselves, so
that each is written and tested once, away from Streamlit.
"""

from __future__ import annotations

import pandas as pd

from eevp.analytics import reports
from eevp.analytics.theme_views import names_any


def unsuppressed(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a report table that are not suppressed: the ones a chart draws."""
    return table[~table["suppressed"]]


def rows_with(frame: pd.DataFrame, column: str, value) -> pd.DataFrame:
    """The rows of ``frame`` whose ``column`` equals ``value``."""
    return frame[frame[column] == value]


def distinct_values(frame: pd.DataFrame, column: str) -> list:
    """The distinct non-empty values of ``column``, sorted as text: the choices of a select box."""
    return sorted(frame[column].dropna().unique(), key=str)


def named_first(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    """``columns`` with those that name a group in some row of ``frame`` first (each part in its order): the
    choices of a "compare by" box, whose first is drawn at once. Restaurant reviews have no role: "by role"
    drew one column, "(not given)"."""
    named = [c for c in columns if names_any(frame, c)]
    return named + [c for c in columns if c not in named]


def fix_first(drivers: pd.DataFrame) -> list[str]:
    """The items of a key-driver table in the "Fix first" quadrant (weak and strongly linked)."""
    return drivers[drivers["quadrant"] == "Fix first"]["item"].tolist()


def evp_roles(catalog: pd.DataFrame, ratings: pd.DataFrame) -> list[str]:
    """Every role that rates a benefit or is offered one by name (not through "all"), sorted."""
    offered = {r for ro in catalog["roles_offered"] if ro != "all" for r in ro}
    return sorted(set(ratings["role"].dropna().unique()) | offered)


def evp_company_gaps(ratings: pd.DataFrame, catalog: pd.DataFrame, threshold: int, *,
                     population: pd.DataFrame, selections: dict | None = None) -> pd.DataFrame:
    """:func:`eevp.analytics.reports.evp_gaps` over every role at once (one group, ``scope`` = "all")."""
    return reports.evp_gaps(ratings.assign(scope="all"), catalog, threshold, by="scope",
                            population=population.assign(scope="all"), selections=selections)


def leavers_matrix(matrix: pd.DataFrame) -> pd.DataFrame:
    """:func:`eevp.analytics.reports.reason_role_matrix` with its count named ``leavers`` (for the heatmap)."""
    return matrix.rename(columns={"n": "leavers"})


def exit_groups_table(groups: pd.DataFrame) -> pd.DataFrame:
    """:func:`eevp.analytics.reports.exits_by` without its list of reasons per group (not a table cell)."""
    return groups.drop(columns=["reasons"])


def has_enps(wide: pd.DataFrame) -> bool:
    """Whether any response of the selection answers the eNPS question."""
    return "enps" in wide and bool(wide["enps"].notna().any())


def driver_outcomes(wide: pd.DataFrame, items: pd.DataFrame) -> list[str]:
    """What key drivers can explain: eNPS when the selection has answers to it, then every item (a file
    without an eNPS question still has an overall rating or a satisfaction item to explain)."""
    names = [i for i in items["item"] if i in wide and wide[i].notna().any()]
    return (["enps"] if has_enps(wide) else []) + names


def trend_long(trend: pd.DataFrame, names: dict[str, str] | None = None) -> pd.DataFrame:
    """:func:`wave_trend`'s shown waves as long rows (wave, measure, value) for one line per measure:
    eNPS and engagement in percent, each measure called by ``names`` (``enps``, ``engagement_pct``)."""
    shown = trend[~trend["suppressed"]].assign(engagement_pct=lambda d: d["engagement"] * 100)
    long = shown.melt(id_vars=["wave"], value_vars=["enps", "engagement_pct"], var_name="measure", value_name="value")
    long = long.dropna(subset=["value"])  # a survey without an eNPS question draws no eNPS line, nor its legend
    return long.assign(measure=long["measure"].map(lambda m: (names or {}).get(m, m)))
