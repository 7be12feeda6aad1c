"""Aggregates of themes by segment, period and group, all through the anonymity rule.

Inputs are unit-level frames with at least ``theme_id`` and a ``person`` column (who said it:
a pseudonymous respondent key or the source record), plus the segment columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sqlalchemy.engine import Engine

from eevp.analytics import anonymity
from eevp.store.queries import NOT_GIVEN, person_ids, wave_period
from eevp.themes.read import theme_table, unit_themes


def with_person(units: pd.DataFrame) -> pd.DataFrame:
    """Add ``person``: the respondent key when known, else the source record (kind:record_id: one
    survey row, one leaver, one focus-group session). The one definition of who counts as a person."""
    if "person" in units:
        return units
    keys = units["respondent_key"].to_numpy() if "respondent_key" in units else None
    return units.assign(person=person_ids(units["kind"].to_numpy(), units["record_id"].to_numpy(), keys).to_numpy())


#: The columns theme tables are cut by (the Themes, Exits and Customer insights pages).
THEME_DIMS = ("role", "department", "location", "tenure")


def theme_cross(units: pd.DataFrame, segment: str, threshold: int, labels: pd.Series | None = None, *,
                population: pd.DataFrame | None = None, selections: dict | None = None) -> pd.DataFrame:
    """Theme × segment: distinct people per cell; cells under the threshold suppressed (with complements).

    For a filtered view (a viewer's scope) pass every unit as ``population`` and the filter as
    ``selections``: a cell whose figure would differ from the unfiltered one by a small group is
    hidden too (:func:`eevp.analytics.anonymity.hidden_by_filter`), so the viewer's table and the
    company's never subtract to a few people.
    """
    u = _audited(units, segment)
    u = u[u["theme_id"] >= 0]
    if u.empty:
        return pd.DataFrame(columns=["theme_id", "label", segment, "people", "suppressed"])
    counts = u.groupby(["theme_id", segment])["person"].nunique().unstack(fill_value=0)
    # theme × role and theme × department describe the same authors: audited together (a role nested
    # in a department would otherwise be the department's cell minus its other roles)
    crossed = anonymity.suppress_crossed(u, [*[d for d in THEME_DIMS if d in u], segment], "theme_id", threshold)
    cells = crossed.get(segment, set())
    hide = np.array([[(v, t) in cells for v in counts.columns] for t in counts.index],
                    dtype=bool).reshape(counts.shape)
    if population is not None and selections:
        pop = population[population["theme_id"] >= 0]
        company = theme_cross(pop, segment, threshold)  # a cell the company's heatmap hides stays hidden here
        shown_hidden = set(zip(company.loc[company["suppressed"], "theme_id"],
                               company.loc[company["suppressed"], segment].astype(object).where(
                                   company.loc[company["suppressed"], segment].notna(), None)))
        hidden = anonymity.hidden_in_view(pop, selections, ["theme_id", segment], threshold, shown_hidden)
        hide |= np.array([[(t, v) in hidden for v in counts.columns] for t in counts.index],
                         dtype=bool).reshape(counts.shape)
    mask = anonymity.suppress_matrix(counts, threshold, hide=hide)
    full = counts.stack().rename("people").reset_index()
    full["suppressed"] = anonymity.hidden_cells(mask, full["theme_id"], full[segment])
    full["people"] = full["people"].where(~full["suppressed"])
    full = full[(full["people"] > 0) | full["suppressed"]]
    full["label"] = full["theme_id"].map(labels) if labels is not None else full["theme_id"].astype(str)
    return full.reset_index(drop=True)


def _audited(units: pd.DataFrame, segment: str) -> pd.DataFrame:
    """The columns a theme table and its audit read (the theme, ``segment``, the person, :data:`THEME_DIMS`):
    taking rows of these alone, not of every column, saves a second per table at a million statements."""
    return units[[c for c in dict.fromkeys(["theme_id", segment, "person", *THEME_DIMS]) if c in units]]


def theme_totals(units: pd.DataFrame, threshold: int, labels: pd.Series | None = None, *,
                 population: pd.DataFrame | None = None, selections: dict | None = None) -> pd.DataFrame:
    """Distinct people per theme over all of ``units`` (``theme_id``, ``label``, ``people``, ``suppressed``), the
    most raised first: what a file without the column to group by can show (its heatmap has no column).

    A theme of fewer than ``threshold`` people is hidden, as the Themes page leaves it out; nothing else need be:
    one person raises several themes, so no total of the themes is published to subtract from. A filtered view
    (a viewer's scope, ``selections``, with every unit as ``population``) also hides a theme whose figure differs
    from everyone's by a small group (:func:`eevp.analytics.anonymity.hidden_in_view`).
    """
    def people(frame: pd.DataFrame) -> pd.Series:
        return frame[frame["theme_id"] >= 0].groupby("theme_id")["person"].nunique()

    counts = people(units)
    hidden = {t for t, n in counts.items() if n < threshold}
    if population is not None and selections:
        everyone = people(population)
        pop = population[population["theme_id"] >= 0]
        hidden |= {c[0] for c in anonymity.hidden_in_view(pop, selections, ["theme_id"], threshold,
                                                           {(t,) for t, n in everyone.items() if n < threshold})}
    out = pd.DataFrame({"theme_id": counts.index.astype(int), "people": counts.to_numpy(dtype=float)})
    out["suppressed"] = out["theme_id"].isin(hidden)
    out["people"] = out["people"].where(~out["suppressed"])
    out["label"] = out["theme_id"].map(labels) if labels is not None else out["theme_id"].astype(str)
    return out.sort_values("people", ascending=False, na_position="last").reset_index(drop=True)


def theme_trend(units: pd.DataFrame, period_col: str, threshold: int, labels: pd.Series | None = None,
                order: list[str] | None = None) -> pd.DataFrame:
    """People raising each theme per period (wave or quarter); small cells suppressed."""
    u = _audited(units, period_col)
    out = theme_cross(u[u[period_col].notna()], period_col, threshold, labels)
    if order:
        out["order"] = out[period_col].map({p: i for i, p in enumerate(order)})
        out = out.sort_values("order").drop(columns="order")
    return out


def trend_view(units: pd.DataFrame, threshold: int,
               labels: pd.Series | None = None) -> tuple[str, pd.DataFrame, list, list]:
    """The theme trend as the Themes page draws it.

    Returns:
        The period column (``wave`` when most units have one, else ``quarter`` of their date); the
        cells shown (:func:`theme_trend` without the suppressed ones) with ``share``: the theme's people
        over everyone who wrote in that period (a period with many more answers lifts every count, not
        every share); the theme labels ranked by people, most raised first; the periods in time order.
    """
    per = "wave" if units["wave"].notna().mean() > 0.5 else "quarter"
    dates = pd.to_datetime(units["date"], errors="coerce")
    u = units.assign(quarter=dates.dt.to_period("Q").astype(str).where(dates.notna()))
    order = period_order(u, per)
    shown = theme_trend(u, per, threshold, labels, order=order)
    shown = shown[~shown["suppressed"]]
    writers = u.dropna(subset=[per]).groupby(per)["person"].nunique()
    shown = shown.assign(share=shown["people"] / shown[per].map(writers))
    ranked = shown.groupby("label")["people"].sum().sort_values(ascending=False).index.tolist()
    return per, shown, ranked, [p for p in order if p in set(shown[per])]


def period_order(units: pd.DataFrame, column: str) -> list:
    """The values of ``column`` (waves or quarters) from the earliest to the latest: by their units'
    first date, else by the period a label names ("2026-Q1", "2025-H2"), else by name."""
    u = units.dropna(subset=[column])
    if u.empty:
        return []
    dates = u["date"] if "date" in u else pd.Series(pd.NaT, index=u.index)
    first = pd.to_datetime(dates, errors="coerce").groupby(u[column]).min()
    named = pd.to_datetime(pd.Series([wave_period(p) for p in first.index], index=first.index), errors="coerce")
    when = first.fillna(named)
    return sorted(first.index, key=lambda p: (pd.isna(when[p]), when[p] if pd.notna(when[p]) else pd.Timestamp(0), str(p)))


def with_labels(table: pd.DataFrame, labels: list) -> pd.DataFrame:
    """The rows of ``table`` whose ``label`` is one of ``labels`` (the themes a user picked)."""
    return table[table["label"].isin(labels)]


def by_gap(compared: pd.DataFrame) -> pd.DataFrame:
    """:func:`compare_groups` rows, the largest difference between the groups' shares first."""
    gap = (compared["share_a"].fillna(0) - compared["share_b"].fillna(0)).abs()
    return compared.assign(_gap=gap).sort_values("_gap", ascending=False).drop(columns="_gap")


def ranked_trend(ranked: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """People per theme label and period from ranked customer themes' ``trend`` (period → people),
    periods with fewer than ``threshold`` people left out."""
    rows = [{"label": r.label, "period": p, "people": v} for r in ranked.itertuples() for p, v in r.trend.items()]
    trend = pd.DataFrame(rows, columns=["label", "period", "people"])
    return trend[trend["people"] >= threshold]


def of_themes(table: pd.DataFrame, themes: pd.DataFrame) -> pd.DataFrame:
    """The rows of a theme × something table (it has ``theme_id``) for the themes of ``themes`` (a page of a
    ranking): a heatmap drawn a page at a time. Its cells were hidden on the whole table, so a page of it
    tells nothing the whole does not."""
    return table[table["theme_id"].isin(themes["theme_id"])].reset_index(drop=True)


def ranked_csv_table(ranked: pd.DataFrame) -> pd.DataFrame:
    """Ranked customer themes as a flat table for a CSV download (lists written out as text)."""
    return ranked.drop(columns=["keywords", "stages", "sources", "sentiment", "trend"]).assign(
        stages=ranked["stages"].map(str), sources=ranked["sources"].map(str))


def compare_groups(units: pd.DataFrame, in_a: pd.Series, in_b: pd.Series, threshold: int,
                   labels: pd.Series | None = None) -> pd.DataFrame:
    """Which themes are over-represented in group A against group B.

    Share = people in the group who raised the theme / people in the group who wrote anything.
    Both groups must have at least ``threshold`` people; each theme row needs ``threshold`` people
    in A or B to be shown. ``lift`` = share A / share B; ``z`` is a two-proportion z statistic.
    """
    a, b = units[in_a], units[in_b]
    na, nb = a["person"].nunique(), b["person"].nunique()
    cols = ["theme_id", "label", "people_a", "people_b", "share_a", "share_b", "lift", "z"]
    if na < threshold or nb < threshold:
        return pd.DataFrame(columns=cols)
    pa_ = a[a["theme_id"] >= 0].groupby("theme_id")["person"].nunique()
    pb_ = b[b["theme_id"] >= 0].groupby("theme_id")["person"].nunique()
    df = pd.concat([pa_.rename("people_a"), pb_.rename("people_b")], axis=1).fillna(0).astype(int).reset_index()
    df = df.rename(columns={"index": "theme_id"})
    df = df[(df["people_a"] >= threshold) | (df["people_b"] >= threshold)].copy()
    df["share_a"] = df["people_a"] / na
    df["share_b"] = df["people_b"] / nb
    # share A over share B; none when B has nobody (a ratio to zero is not a number anyone can read)
    df["lift"] = (df["share_a"] / df["share_b"]).where(df["share_b"] > 0)
    p = (df["people_a"] + df["people_b"]) / (na + nb)
    se = np.sqrt(p * (1 - p) * (1 / na + 1 / nb))
    df["z"] = np.where(se > 0, (df["share_a"] - df["share_b"]) / se, 0.0)
    # A side under the threshold shows nothing: its share (with the group size known elsewhere) would give
    # the count back, and so would the lift or the z statistic. The other side is hidden with it: the two
    # groups are the two values of one cut (regretted or not) and the theme's total is published
    # elsewhere, so "total minus the shown side" would be the small one. An empty side describes nobody.
    small = ((df["people_a"] > 0) & (df["people_a"] < threshold)) | ((df["people_b"] > 0) & (df["people_b"] < threshold))
    df.loc[small, ["people_a", "share_a", "people_b", "share_b", "lift", "z"]] = np.nan
    df["label"] = df["theme_id"].map(labels) if labels is not None else df["theme_id"].astype(str)
    return df.sort_values("z", ascending=False, na_position="last")[cols].reset_index(drop=True)


def theme_overview(themes: pd.DataFrame, top_keywords: int = 8) -> pd.DataFrame:
    """The theme table as people read it: label, size, share, source mix (%), sentiment mix (%), keywords."""
    rows = []
    for r in themes.itertuples():
        sent = r.sentiment or {}
        total = sum(sent.values()) or 1
        rows.append({"label": r.label, "size": int(r.size), "share": float(r.share),
                     "survey": r.by_source.get("survey", 0.0), "exit": r.by_source.get("exit", 0.0),
                     "focus": r.by_source.get("focus", 0.0),
                     "negative": sent.get("negative", 0) / total, "positive": sent.get("positive", 0) / total,
                     "keywords": ", ".join(list(r.keywords)[:top_keywords])})
    return pd.DataFrame(rows, columns=["label", "size", "share", "survey", "exit", "focus", "negative", "positive",
                                       "keywords"])


def theme_groups(themes: pd.DataFrame) -> pd.DataFrame:
    """One row per theme group of a theme table (see :mod:`eevp.themes.groups`), largest first:
    group, label, themes (count), size, people (when the table has it), sentiment ({label: units}).
    Themes outside any group (candidate themes) are left out; empty when the fit was not grouped."""
    cols = ["group", "label", "themes", "size", "people", "sentiment"]
    grouped = themes[themes["group"].notna()] if "group" in themes else themes.iloc[:0]
    rows = []
    for g, part in grouped.groupby("group"):
        mix: dict[str, int] = {}
        for sent in part["sentiment"]:
            for k, n in (sent or {}).items():
                mix[k] = mix.get(k, 0) + int(n)
        rows.append({"group": int(g), "label": part["group_label"].iloc[0], "themes": len(part),
                     "size": int(part["size"].sum()),
                     "people": int(part["people"].sum()) if "people" in part else None, "sentiment": mix})
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["size", "group"], ascending=[False, True]).reset_index(drop=True)


def exit_units(units: pd.DataFrame, exits: pd.DataFrame) -> pd.DataFrame:
    """Units from the exit interviews of the leavers in ``exits`` (the rows the user may see: a viewer
    limited to HR gets HR's leavers' words only), with the leaver's ``regretted`` flag."""
    ex = units[units["kind"] == "exit"]
    if ex.empty or exits.empty:
        return ex.iloc[0:0].assign(regretted=pd.Series(dtype=object))
    flags = exits.set_index("id")["regretted"]
    ex = ex[ex["record_id"].isin(flags.index)]
    return ex.assign(regretted=ex["record_id"].map(flags))


def reportable(themes: pd.DataFrame, units: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """The themes raised by at least ``threshold`` distinct people (not statements: ten statements can
    come from two people), with a ``people`` column."""
    people = units[units["theme_id"] >= 0].groupby("theme_id")["person"].nunique()
    out = themes.assign(people=themes["theme_id"].map(people).fillna(0).astype(int))
    return out[out["people"] >= threshold].reset_index(drop=True)


def labels_of(themes: pd.DataFrame) -> pd.Series:
    """Each theme's label, indexed by ``theme_id``."""
    return themes.set_index("theme_id")["label"]


def model_row(themes: pd.DataFrame, theme_id: int) -> int:
    """The row of the stored model a theme belongs to (what a rename needs beside the theme)."""
    return int(themes.loc[themes["theme_id"] == theme_id, "model_row"].iloc[0])


def in_themes(units: pd.DataFrame, themes: pd.DataFrame) -> pd.DataFrame:
    """The units of ``themes`` and the units in no theme (``theme_id`` below 0)."""
    return units[units["theme_id"].isin(themes["theme_id"]) | (units["theme_id"] < 0)]


def unit_counts(units: pd.DataFrame) -> tuple[int, int]:
    """How many units are in a theme and how many in none."""
    return int((units["theme_id"] >= 0).sum()), int((units["theme_id"] < 0).sum())


def group_names(groups: pd.DataFrame) -> dict[int, tuple[str, int]]:
    """Each :func:`theme_groups` group's label and number of themes, by group."""
    return {g: (label, int(n)) for g, label, n in zip(groups["group"], groups["label"], groups["themes"])}


#: What :func:`unit_group` understands besides "role:<role>".
UNIT_GROUPS = {"leavers": "exit", "stayers": "survey"}


def unit_group(units: pd.DataFrame, group: str) -> pd.Series:
    """Which units belong to ``group``: "leavers" (exit interviews), "stayers" (survey comments) or
    "role:<role>"; a mask for :func:`compare_groups`."""
    if group in UNIT_GROUPS:
        return units["kind"] == UNIT_GROUPS[group]
    return units["role"] == group.removeprefix("role:")


def compare_options(units: pd.DataFrame) -> list[str]:
    """The groups a user may compare on Themes: leavers, staff, then each role (as text, sorted)."""
    return list(UNIT_GROUPS) + [f"role:{r}" for r in sorted(units["role"].dropna().unique(), key=str)]


def compare_defaults(units: pd.DataFrame, options: list[str], threshold: int) -> tuple[int, int]:
    """Positions in ``options`` of the two groups to compare first, each with at least ``threshold``
    writers, so that the tab opens on a comparison rather than on "too few" (e.g. leavers
    against staff when no exit interview is stored): leavers against staff, else the two largest roles (never
    a group against a part of it). (0, 1) when there are not two such groups."""
    by_kind = units.groupby("kind")["person"].nunique()
    by_role = units.groupby("role")["person"].nunique()
    people = [by_kind.get(UNIT_GROUPS[o], 0) if o in UNIT_GROUPS else by_role.get(o.removeprefix("role:"), 0)
              for o in options]
    big = [i for i, n in enumerate(people) if n >= threshold]
    kinds = [i for i in big if options[i] in UNIT_GROUPS]
    if len(kinds) == 2:
        return kinds[0], kinds[1]
    roles = sorted((i for i in big if options[i] not in UNIT_GROUPS), key=lambda i: -people[i])
    # two roles, the largest: staff against one of its own roles would compare a group with a part of it
    return (roles[0], roles[1]) if len(roles) >= 2 else (0, min(1, len(options) - 1))


def compare_regretted(leavers: pd.DataFrame, threshold: int, labels: pd.Series | None = None) -> pd.DataFrame:
    """:func:`compare_groups` of regretted leavers (A) against the others (B), from :func:`exit_units`."""
    return compare_groups(leavers, leavers["regretted"] == True, leavers["regretted"] == False,  # noqa: E712
                          threshold, labels)


def compared_in_both(compared: pd.DataFrame, top: int = 12) -> pd.DataFrame:
    """The first ``top`` :func:`compare_groups` rows with a share shown for both groups."""
    return compared.dropna(subset=["share_a", "share_b"]).head(top)


def names_any(table: pd.DataFrame, column: str) -> bool:
    """Whether ``column`` of ``table`` names any group (a file with no department column gives every row
    :data:`~eevp.store.queries.NOT_GIVEN`: a chart of that one column says nothing)."""
    if column not in table:
        return False
    values = table[column]
    return bool((values.notna() & (values != NOT_GIVEN)).any())


def trim(cross: pd.DataFrame, x: str, y: str = "label", top: int | None = 15) -> pd.DataFrame:
    """A theme × segment table without the rows and columns whose every cell is hidden (they only say
    "too few", which the hidden cells already say), and at most ``top`` rows, the most-raised first."""
    if cross.empty:
        return cross
    shown = cross[~cross["suppressed"].astype(bool) & (cross["people"].fillna(0) > 0)]
    rows = shown.groupby(y)["people"].sum().sort_values(ascending=False)
    if top:
        rows = rows.head(top)
    cols = set(shown.loc[shown[y].isin(rows.index), x])
    return cross[cross[y].isin(rows.index) & cross[x].isin(cols)].reset_index(drop=True)


def columns_that_matter(cross: pd.DataFrame, x: str, y: str = "label", largest: int = 12, different: int = 8) -> list:
    """The columns (groups of ``x``) of a theme × segment table worth a first look when there are too many
    to draw: the ``largest`` by people, then the ``different`` whose theme mix differs most from the whole
    table's (mean absolute difference of shares). Only shown cells count. Largest first."""
    shown = cross[~cross["suppressed"].astype(bool) & (cross["people"].fillna(0) > 0)]
    if shown.empty:
        return []
    grid = shown.pivot_table(index=x, columns=y, values="people", aggfunc="sum", fill_value=0)
    size = grid.sum(axis=1)
    gap = (grid.div(size, axis=0) - grid.sum() / grid.to_numpy().sum()).abs().mean(axis=1)
    per = pd.DataFrame({"n": size, "gap": gap})
    big = per.sort_values(["n", "gap"], ascending=False).index[:largest].tolist()
    odd = per.drop(index=big).sort_values("gap", ascending=False).index[:different].tolist()
    return big + odd


def themes_payload(table: pd.DataFrame, units: pd.DataFrame, threshold: int, source: str | None = None) -> dict:
    """The CLI's ``report themes`` JSON from the theme table and its units: only themes raised by at least
    ``threshold`` distinct people (the comment threshold), never by text units (:func:`reportable`)."""
    units = with_person(units)
    if source:
        units = units[units["kind"] == source]
    table = reportable(table, units, threshold) if len(table) else table
    themes = []
    for r in table.to_dict("records"):
        themes.append({"id": int(r["theme_id"]), "label": r["label"], "keywords": list(r["keywords"]),
                       "size": int(r["size"]), "people": int(r["people"]), "by_source": r.get("by_source", {}),
                       "sentiment": r.get("sentiment", {})})
    return {"source": source, "themes": themes}


def themes_report(engine: Engine, settings, source: str | None = None) -> dict:
    """``report themes``: :func:`themes_payload` of the current themes at ``settings.min_comment_group``."""
    table = theme_table(engine, scope="all", kinds=(source,) if source else None)
    return themes_payload(table, unit_themes(engine, scope="all"), settings.min_comment_group, source)
