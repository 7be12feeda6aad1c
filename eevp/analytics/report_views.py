"""The small look-ups the dashboard pages make on report tables: the rows to draw, the choices of a
select box, the whole-company EVP table. Pages call these instead of shaping frames themselves, so
that each is written and tested once, away from Streamlit.
"""

from __future__ import annotations

import pandas as pd

from eevp.analytics import reports


def unsuppressed(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a report table that are not suppressed: the ones a chart draws."""
    return table[~table["suppressed"]]


def rows_with(frame: pd.DataFrame, column: str, value) -> pd.DataFrame:
    """The rows of ``frame`` whose ``column`` equals ``value``."""
    return frame[frame[column] == value]


def distinct_values(frame: pd.DataFrame, column: str) -> list:
    """The distinct non-empty values of ``column``, sorted as text: the choices of a select box."""
    return sorted(frame[column].dropna().unique(), key=str)


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
