"""Attacks on the anonymity rule: try to recover a suppressed small group and find nothing.

Each test plays an analyst with the public outputs (the CLI's JSON reports, the report functions
the pages call, their CSV exports) and a spreadsheet: totals minus visible siblings, two filters
that differ by a few people, single waves against all waves, two exports of the same table,
theme × segment cells and quotes. The attacker's tool is :func:`peel`: solve every equation that
has one unknown left, again and again. Known limit (see ``eevp.analytics.anonymity.suppress_matrix`` and
``suppress_dimensions``): a linear-programming attack on sparse tables can narrow a value to an
interval; these tests ask that no small group's value is *determined*.
"""

from __future__ import annotations

import itertools
import json
import random

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from eevp.analytics import anonymity, reports
from eevp.store import queries
from eevp.cli import main
from eevp.analytics.customers import quotes, rank_themes, theme_by, theme_stage_matrix
from eevp.intake.ingest import ingest_file
from eevp.store.queries import Filters
from eevp.store.auth import CLI_USER

THRESHOLD = 5


# --------------------------------------------------------------------------- the attacker

def peel(rows: dict, cols: dict, cells: dict, total=None) -> tuple[dict, dict, dict]:
    """Solve ``rows[r] = Σ_c cells[r, c]``, ``cols[c] = Σ_r cells[r, c]`` and the grand total.

    Unknown values are None; cells absent from ``cells`` are known to be 0 (nobody there).
    Returns the three dicts with everything single-unknown equations give filled in.
    """
    rows, cols, cells = dict(rows), dict(cols), dict(cells)
    changed = True
    while changed:
        changed = False
        for margin, key in ((rows, 0), (cols, 1)):
            for m in margin:
                terms = [k for k in cells if k[key] == m]
                unknown = [k for k in terms if cells[k] is None]
                if margin[m] is not None and len(unknown) == 1:
                    cells[unknown[0]] = margin[m] - sum(cells[k] for k in terms if cells[k] is not None)
                    changed = True
                elif margin[m] is None and not unknown:
                    margin[m] = sum(cells[k] for k in terms)
                    changed = True
            if total is not None and sum(v is None for v in margin.values()) == 1:
                m = next(k for k, v in margin.items() if v is None)
                margin[m] = total - sum(v for v in margin.values() if v is not None)
                changed = True
    return rows, cols, cells


def test_the_attacker_works():
    # Driver (2) hidden with Analyst; Field (Sales Rep + Driver) visible: Field - Sales Rep = Driver.
    rows = {"Engineer": 8, "Sales Rep": 7, "Analyst": None, "Driver": None}
    cols = {"IT": 14, "Field": 9}
    cells = {("Engineer", "IT"): None, ("Analyst", "IT"): None, ("Sales Rep", "Field"): None,
             ("Driver", "Field"): None}
    solved_rows, _, _ = peel(rows, cols, cells, total=23)
    assert solved_rows["Driver"] == 2 and solved_rows["Analyst"] == 6


# --------------------------------------------------------------------------- data

SURVEY_HEADER = ["respondent_id", "wave", "role", "department", "enps", "Career growth", "Comment"]
SURVEY_MAPPING = {"respondent_id": "respondent_id", "wave": "wave", "role": "role", "department": "department",
                  "enps": "enps", "items": ["Career growth"], "text": ["Comment"]}


def survey_rows(spec: list[tuple[str, str, str, int]], seed: int = 7) -> pd.DataFrame:
    """spec: (wave, role, department, people) → one row per person with varied answers."""
    rng = random.Random(seed)
    rows = []
    for wave, role, dept, n in spec:
        for _ in range(n):
            i = len(rows)
            rows.append([f"r{i}", wave, role, dept, rng.randint(0, 10), rng.randint(1, 5),
                         f"Comment {i} about the customers of {role}."])
    return pd.DataFrame(rows, columns=SURVEY_HEADER)


def to_csv(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False).encode()


@pytest.fixture
def cli(engine, settings, tmp_path, monkeypatch, capsys):
    """``python -m eevp ARGS --db URL --json`` in-process → parsed JSON."""
    monkeypatch.setenv("EEVP_DATA_DIR", str(tmp_path))
    for name in ("EEVP_DATABASE_URL", "EEVP_MIN_GROUP", "EEVP_MIN_COMMENT_GROUP"):
        monkeypatch.delenv(name, raising=False)

    def run(*args: str):
        capsys.readouterr()
        rc = main([*args, "--db", settings.database_url, "--json"])
        out, err = capsys.readouterr()
        assert rc == 0, err
        return json.loads(out)

    return run


def ingest(engine, settings, kind, df, mapping, name):
    return ingest_file(engine, settings, kind, to_csv(df), name, mapping, actor=CLI_USER)


def groups(report: dict) -> dict:
    return {g["group"]: g for g in report["groups"]}


def value(group: dict | None, what: str):
    """n, or the sum of an item over the group (n × mean): what the attacker adds and subtracts."""
    if group is None or group["suppressed"]:
        return None
    return group["n"] if what == "n" else group["n"] * group["items"]["Career growth"]


# 8 engineers and 6 analysts in IT; 7 sales reps and 2 drivers in Field.
NESTED = [("2026-Q1", "Engineer", "IT", 8), ("2026-Q1", "Sales Rep", "Field", 7),
          ("2026-Q1", "Analyst", "IT", 6), ("2026-Q1", "Driver", "Field", 2)]


# --------------------------------------------------------------------------- total minus visible siblings

def test_total_minus_the_visible_roles_gives_only_a_pooled_group(cli, engine, settings):
    raw = survey_rows(NESTED)
    ingest(engine, settings, "survey", raw, SURVEY_MAPPING, "s.csv")
    by_role = groups(cli("report", "survey", "--by", "role"))
    total = groups(cli("report", "survey", "--by", "wave"))["2026-Q1"]
    assert by_role["Driver"]["suppressed"] and by_role["Driver"]["n"] is None
    hidden = [g for g, r in by_role.items() if r["suppressed"]]
    left_n = total["n"] - sum(r["n"] for r in by_role.values() if not r["suppressed"])
    left_sum = value(total, "sum") - sum(value(r, "sum") for r in by_role.values() if not r["suppressed"])
    # What is left is several groups together, at least the threshold of people...
    assert len(hidden) >= 2 and left_n >= THRESHOLD
    assert left_n == int(raw["role"].isin(hidden).sum())
    pooled = raw.loc[raw["role"].isin(hidden), "Career growth"]
    assert left_sum == pytest.approx(pooled.sum(), abs=0.05)
    # ...and not the drivers' own answers.
    assert left_sum / left_n != pytest.approx(raw.loc[raw["role"] == "Driver", "Career growth"].mean())


@pytest.mark.parametrize("what", ["n", "sum"])
def test_roles_nested_in_departments_cannot_be_subtracted(cli, engine, settings, what):
    """Department Field minus its visible role would be the drivers: the role table must hide more."""
    raw = survey_rows(NESTED)
    ingest(engine, settings, "survey", raw, SURVEY_MAPPING, "s.csv")
    by_role = groups(cli("report", "survey", "--by", "role"))
    by_dept = groups(cli("report", "survey", "--by", "department"))
    total = value(groups(cli("report", "survey", "--by", "wave"))["2026-Q1"], what)
    pairs = raw.groupby(["role", "department"]).size()
    cells = {k: None for k in pairs.index}
    rows = {r: value(by_role.get(r), what) for r in raw["role"].unique()}
    cols = {d: value(by_dept.get(d), what) for d in raw["department"].unique()}
    solved, _, _ = peel(rows, cols, cells, total)
    assert solved["Driver"] is None
    assert by_role["Engineer"]["suppressed"] is False  # not everything is hidden: the report still says something


# --------------------------------------------------------------------------- waves

WAVES = ["2026-Q1", "2026-Q2", "2026-Q3"]
WAVE_SPEC = [(w, role, "IT" if role != "Driver" else "Field", n)
             for role, sizes in {"Driver": [3, 5, 6], "Engineer": [9, 9, 9], "Ops": [7, 8, 6]}.items()
             for w, n in zip(WAVES, sizes)]


@pytest.mark.parametrize("what", ["n", "sum"])
def test_single_waves_against_all_waves_do_not_give_a_small_wave(cli, engine, settings, what):
    raw = survey_rows(WAVE_SPEC)
    ingest(engine, settings, "survey", raw, SURVEY_MAPPING, "w.csv")
    all_waves = groups(cli("report", "survey", "--by", "role"))
    per_wave = {w: groups(cli("report", "survey", "--by", "role", "--wave", w)) for w in WAVES}
    wave_totals = groups(cli("report", "survey", "--by", "wave"))
    rows = {r: value(all_waves.get(r), what) for r in raw["role"].unique()}
    cols = {w: value(wave_totals.get(w), what) for w in WAVES}
    cells = {(r, w): value(per_wave[w].get(r), what) for r, w in raw.groupby(["role", "wave"]).size().index}
    total = sum(v for v in cols.values())
    _, _, solved = peel(rows, cols, cells, total)
    assert all_waves["Driver"]["suppressed"] is False  # 14 drivers over three waves: shown
    assert solved[("Driver", "2026-Q1")] is None  # the 3 drivers of the first wave stay hidden
    # Every small (role, wave) cell is unknown, and so is at least one partner in its row.
    for (r, w), n in raw.groupby(["role", "wave"]).size().items():
        if n < THRESHOLD:
            assert solved[(r, w)] is None
            assert sum(solved[(r, x)] is None for x in WAVES) >= 2


def test_where_to_look_next_does_not_show_a_group_with_a_small_middle_wave():
    # Drivers: 6, 3, 6 over three waves, favourability falling. "From 1st to 3rd wave" with the
    # all-waves heatmap would give the 3 drivers of the middle wave.
    spec = [("2026-Q1", "Driver", "Field", 6), ("2026-Q2", "Driver", "Field", 3), ("2026-Q3", "Driver", "Field", 6)]
    spec += [(w, "Engineer", "IT", 9) for w in WAVES] + [(w, "Ops", "IT", 8) for w in WAVES]
    wide = wide_frame(spec).rename(columns={"Career growth": "Growth"})
    wide.loc[(wide["role"] == "Driver") & (wide["wave"] == "2026-Q1"), "Growth"] = 5
    wide.loc[(wide["role"] == "Driver") & (wide["wave"] == "2026-Q3"), "Growth"] = 1
    items = pd.DataFrame({"item": ["Growth"], "min": [1.0], "max": [5.0]})
    hints = reports.look_next(wide, items, WAVES, THRESHOLD)
    assert not [h for h in hints if h["group"] in ("Driver", "Field")]
    # A group without small waves (and not needed to cover the drivers) still gets its hint.
    wide.loc[(wide["role"] == "Engineer") & (wide["wave"] == "2026-Q1"), "Growth"] = 5
    wide.loc[(wide["role"] == "Engineer") & (wide["wave"] == "2026-Q3"), "Growth"] = 1
    hints = reports.look_next(wide, items, WAVES, THRESHOLD)
    assert [(h["group"], h["from"], h["to"]) for h in hints if h["segment"] == "role"] == [("Engineer", 1.0, 0.0)]


# --------------------------------------------------------------------------- two filters

def wide_frame(spec) -> pd.DataFrame:
    """The shape of ``queries.survey_wide``: no respondent ids and no text, one column per item."""
    wide = survey_rows(spec).drop(columns=["respondent_id", "Comment"])
    wide.insert(0, "id", range(1, len(wide) + 1))
    wide["location"] = wide["tenure"] = "(not given)"
    return wide


def test_two_filters_that_differ_by_a_few_people_are_not_both_shown():
    wide = wide_frame(NESTED)
    field = Filters(department=("Field",))
    field_without_drivers = Filters(department=("Field",), role=("Sales Rep",))
    engineers = Filters(role=("Engineer",))
    engineers_and_drivers = Filters(role=("Engineer", "Driver"))
    sales_too = Filters(role=("Engineer", "Sales Rep"))  # Field − Sales Rep would be the drivers
    # The old check compares each view with the whole company only, and lets all four through:
    for f in (field, field_without_drivers, engineers, engineers_and_drivers, sales_too):
        assert reports.population_ok(len(wide), len(f.apply(wide)), THRESHOLD)
    assert reports.filters_allowed(wide, field, THRESHOLD)
    assert not reports.filters_allowed(wide, field_without_drivers, THRESHOLD)
    assert reports.filters_allowed(wide, engineers, THRESHOLD)
    assert not reports.filters_allowed(wide, engineers_and_drivers, THRESHOLD)
    assert not reports.filters_allowed(wide, sales_too, THRESHOLD)
    # Selecting every role the role table hides is safe: it is the total minus the visible roles.
    assert reports.filters_allowed(wide, Filters(role=("Sales Rep", "Analyst", "Driver")), THRESHOLD)


def test_no_combination_of_allowed_department_views_gives_a_small_department():
    spec = [("2026-Q1", "Engineer", "A", 20), ("2026-Q1", "Engineer", "B", 15), ("2026-Q1", "Engineer", "C", 3),
            ("2026-Q1", "Engineer", "D", 9)]
    wide = wide_frame(spec)
    depts = ["A", "B", "C", "D"]
    views = [np.ones(len(depts))]  # the whole company
    for k in range(1, len(depts) + 1):
        for chosen in itertools.combinations(depts, k):
            if reports.filters_allowed(wide, Filters(department=chosen), THRESHOLD):
                views.append(np.array([d in chosen for d in depts], dtype=float))
    assert len(views) > 2  # some department views are allowed
    # A department's size is determined iff its unit vector lies in the span of the allowed views.
    a = np.array(views)
    for j, d in enumerate(depts):
        determined = np.linalg.matrix_rank(np.vstack([a, np.eye(len(depts))[j]])) == np.linalg.matrix_rank(a)
        if d == "C":
            assert not determined


def test_filtered_heatmap_agrees_with_the_unfiltered_one():
    wide = wide_frame(WAVE_SPEC)
    items = pd.DataFrame({"item": ["Career growth"], "min": [1.0], "max": [5.0]})
    full = reports.heatmap_table(wide, items, "role", THRESHOLD).set_index("role")
    assert not full.loc["Driver", "suppressed"]
    shown = {}
    for w in WAVES:
        view = wide[wide["wave"] == w]
        heat = reports.heatmap_table(view, items, "role", THRESHOLD, population=wide,
                                     selections={"wave": (w,)}).set_index("role")
        shown[w] = None if heat.loc["Driver", "suppressed"] else heat.loc["Driver", "n"]
    # All waves minus the waves shown must still be at least two waves (and the threshold of people).
    hidden = [w for w in WAVES if shown[w] is None]
    assert len(hidden) >= 2 and full.loc["Driver", "n"] - sum(v for v in shown.values() if v) >= THRESHOLD


# --------------------------------------------------------------------------- exits: two exports of one table

EXIT_CELLS = {("Engineer", "Pay"): 6, ("Engineer", "Manager"): 2, ("Engineer", "Growth"): 5,
              ("Sales", "Pay"): 5, ("Sales", "Manager"): 5, ("Sales", "Growth"): 6,
              ("Support", "Pay"): 7, ("Support", "Manager"): 6, ("Support", "Growth"): 5}


def exit_rows(cells: dict, quarter_of=lambda i: f"2026-0{1 + i % 3}-15") -> pd.DataFrame:
    rows = []
    for (role, reason), n in cells.items():
        for _ in range(n):
            i = len(rows)
            rows.append([quarter_of(i), role, "IT", reason, "yes" if i % 3 else "no", i % 11])
    return pd.DataFrame(rows, columns=["exit_date", "role", "department", "reason", "regretted", "enps"])


EXIT_MAPPING = {"exit_date": "exit_date", "role": "role", "department": "department", "reason": "reason",
                "regretted": "regretted", "enps": "enps"}


def test_cli_reasons_and_the_reason_heatmap_together_give_no_small_cell(cli, engine, settings):
    ingest(engine, settings, "exit", exit_rows(EXIT_CELLS), EXIT_MAPPING, "x.csv")
    by_role = groups(cli("report", "exits", "--by", "role"))
    reason_totals = groups(cli("report", "exits", "--by", "department"))["IT"]["reasons"]
    matrix = reports.reason_role_matrix(queries.exits_frame(engine), THRESHOLD)  # the Exits page's CSV
    cells = {k: None for k in EXIT_CELLS}
    for r in matrix.itertuples():
        if not r.suppressed and (r.role, r.reason) in cells:
            cells[(r.role, r.reason)] = r.n
    for role, g in by_role.items():
        for reason, n in g["reasons"].items():
            if n is not None:
                assert cells[(role, reason)] in (None, n)
                cells[(role, reason)] = n
    rows = {role: g["n"] for role, g in by_role.items()}
    _, _, solved = peel(rows, dict(reason_totals), cells, total=sum(EXIT_CELLS.values()))
    assert solved[("Engineer", "Manager")] is None
    # The two exports hide the same cells.
    hidden_matrix = {(r.role, r.reason) for r in matrix.itertuples() if r.suppressed}
    hidden_cli = {(role, reason) for role, g in by_role.items() for reason, n in g["reasons"].items() if n is None}
    assert hidden_cli == {c for c in hidden_matrix if not by_role[c[0]]["suppressed"]}


def test_leavers_per_quarter_and_the_total_give_no_small_quarter(engine, settings):
    # 2 leavers in Q1, 10 in Q2, 12 in Q3; the roles' table adds up to the total of 24.
    quarters = ["2026-02-10"] * 2 + ["2026-05-10"] * 10 + ["2026-08-10"] * 12
    cells = {("Engineer", "Pay"): 12, ("Sales", "Pay"): 12}
    ingest(engine, settings, "exit", exit_rows(cells, quarter_of=lambda i: quarters[i]), EXIT_MAPPING, "q.csv")
    exits = queries.exits_frame(engine)
    by_role = reports.exits_by(exits, "role", THRESHOLD)
    assert not by_role["suppressed"].any()
    total = int(by_role["n"].sum())
    over_time = reports.exits_over_time(exits, THRESHOLD)
    visible = over_time[~over_time["suppressed"]]
    left = total - int(visible["n"].sum())
    assert len(over_time) - len(visible) >= 2 and left >= THRESHOLD
    cards = reports.exit_cards(exits, THRESHOLD)
    assert cards["exits_quarter"] in set(visible["quarter"]) and cards["exits"] in set(visible["n"])


# --------------------------------------------------------------------------- every role nested in a department

@hsettings(max_examples=25, deadline=None)
@given(sizes=st.lists(st.lists(st.integers(1, 12), min_size=1, max_size=4), min_size=2, max_size=4))
def test_no_small_role_can_be_peeled_from_role_and_department_tables(sizes):
    spec = [("2026-Q1", f"R{d}.{r}", f"D{d}", n) for d, roles in enumerate(sizes) for r, n in enumerate(roles)]
    wide = wide_frame(spec)
    items = pd.DataFrame({"item": ["Career growth"], "min": [1.0], "max": [5.0]})
    by_role = reports.segment_summary(wide, items, "role", THRESHOLD).set_index("group")
    by_dept = reports.segment_summary(wide, items, "department", THRESHOLD).set_index("group")
    rows = {g: (None if r.suppressed else r.n) for g, r in by_role.iterrows()}
    cols = {g: (None if r.suppressed else r.n) for g, r in by_dept.iterrows()}
    cells = {k: None for k in wide.groupby(["role", "department"]).size().index}
    solved, _, _ = peel(rows, cols, cells, total=len(wide))
    true = wide["role"].value_counts()
    for role, n in true.items():
        if n < THRESHOLD:
            assert solved[role] is None, (role, n, rows, cols)


# --------------------------------------------------------------------------- themes × segments, quotes

def customer_units(spec: list[tuple[int, str, str, int, str, str]]) -> pd.DataFrame:
    """spec: (theme, department, role, people, stage, period)."""
    rows = []
    for theme, dept, role, n, stage, period in spec:
        for _ in range(n):
            pid = len(rows)
            rows.append({"unit_id": pid, "batch_id": 1, "kind": "survey", "record_id": pid, "respondent_key": f"p{pid}",
                         "person": f"p{pid}", "role": role, "department": dept, "wave": period, "period": period,
                         "date": None, "language": "en", "stage": stage, "sentiment": "negative", "incident": False,
                         "theme_id": theme})
    return pd.DataFrame(rows)


def test_theme_cells_hidden_in_the_heatmap_are_not_given_away_by_the_ranked_table():
    cthr = 10
    units = customer_units([(0, "Support", "Agent", 8, "support", "2026-Q1"),
                            (0, "Sales", "Rep", 4, "sales", "2026-Q2"),
                            (0, "Logistics", "Driver", 9, "delivery", "2026-Q1"),
                            (0, "Billing", "Clerk", 11, "billing", "2026-Q2")])
    labels = pd.DataFrame({"theme_id": [0], "label": ["Late answers"], "keywords": [["late"]]})
    ranked = rank_themes(units, labels, cthr)
    cross = theme_by(units, ranked, "department", cthr).set_index("department")
    assert cross.loc["Sales", "suppressed"] and cross.loc["Support", "suppressed"]
    r = ranked.iloc[0]
    # Billing holds 11 of 32: its share may be shown; no hidden cell's count may be derived.
    assert r.top_department == "Billing" and r.top_department_share == pytest.approx(11 / 32)
    derived = {round(v * r.reach) for v in (r.top_department_share, r.top_role_share) if v is not None}
    assert not derived & {int(units[units["department"] == d]["person"].nunique())
                          for d in cross.index[cross["suppressed"]]}
    # Counts per stage behind fewer than 10 people are hidden, each with a partner.
    assert r.stages["sales"] is None and r.stages["support"] is None
    assert r.stages["billing"] == 11 and sum(v is None for v in r.stages.values()) >= 2


def test_top_share_of_a_theme_is_withheld_when_the_top_group_is_small():
    units = customer_units([(0, "Support", "Agent", 8, "support", "2026-Q1"),
                            (0, "Sales", "Rep", 4, "sales", "2026-Q1")])
    labels = pd.DataFrame({"theme_id": [0], "label": ["Late answers"], "keywords": [["late"]]})
    r = rank_themes(units, labels, 10).iloc[0]
    assert r.reach == 12
    assert r.top_department_share is None and r.top_role_share is None  # 8 of 12 would be the 8 in Support


def test_trend_of_a_theme_hides_periods_with_few_people():
    units = customer_units([(0, "Support", "Agent", 12, "support", "2026-Q1"),
                            (0, "Support", "Agent", 2, "support", "2026-Q2"),
                            (0, "Support", "Agent", 11, "support", "2026-Q3")])
    labels = pd.DataFrame({"theme_id": [0], "label": ["Late answers"], "keywords": [["late"]]})
    r = rank_themes(units, labels, 10).iloc[0]
    assert r.trend["2026-Q2"] is None  # 2 people
    assert sum(v is None for v in r.trend.values()) >= 2  # and a partner, so reach − shown ≠ those 2
    assert r.reach - sum(v for v in r.trend.values() if v is not None) >= 10


def test_theme_by_stage_matrix_hides_small_cells():
    units = customer_units([(0, "Support", "Agent", 12, "support", "2026-Q1"),
                            (0, "Sales", "Rep", 2, "sales", "2026-Q1"),
                            (1, "Sales", "Rep", 12, "sales", "2026-Q1"),
                            (1, "Support", "Agent", 6, "support", "2026-Q1")])
    labels = pd.DataFrame({"theme_id": [0, 1], "label": ["A", "B"], "keywords": [[], []]})
    ranked = rank_themes(units, labels, 10)
    m = theme_stage_matrix(units, ranked, THRESHOLD).set_index(["theme_id", "stage"])
    assert m.loc[(0, "sales"), "suppressed"] and np.isnan(m.loc[(0, "sales"), "people"])
    rows = {t: int(units[units["theme_id"] == t]["person"].nunique()) for t in (0, 1)}  # reach is public
    cols = {s: None for s in ("sales", "support")}
    cells = {k: (None if r.suppressed else r.people) for k, r in m.iterrows()}
    _, _, solved = peel(rows, cols, cells)
    assert solved[(0, "sales")] is None


def test_quotes_of_a_small_group_are_withheld(engine, settings):
    spec = [("2026-Q1", "Engineer", "IT", 12), ("2026-Q1", "Driver", "Field", 3)]
    ingest(engine, settings, "survey", survey_rows(spec), SURVEY_MAPPING, "c.csv")
    units = queries.text_units_frame(engine, actor=CLI_USER)
    drivers = units.loc[units["role"] == "Driver", "id"].tolist()
    everyone = units["id"].tolist()
    assert len(drivers) == 3
    assert quotes(engine, drivers, n=3, min_people=settings.min_comment_group, actor=CLI_USER) == []
    got = quotes(engine, everyone, n=3, min_people=settings.min_comment_group, actor=CLI_USER)
    assert len(got) == 3 and all(q["text"].startswith("Comment ") for q in got)
    # Nine people are fewer than the comment threshold of ten.
    eng = units.loc[units["role"] == "Engineer", "id"].tolist()
    assert quotes(engine, eng[:9], n=3, min_people=10, actor=CLI_USER) == []
    assert len(quotes(engine, eng[:10], n=3, min_people=10, actor=CLI_USER)) == 3


def test_cli_customer_report_has_no_small_counts(cli, engine, settings, monkeypatch):
    import eevp.analytics.customers as cust

    units = customer_units([(0, "Support", "Agent", 12, "support", "2026-Q1"),
                            (0, "Sales", "Rep", 3, "sales", "2026-Q2")])
    units["kind"] = ["survey"] * 12 + ["exit"] * 3
    monkeypatch.setattr(cust, "customer_units", lambda engine: units)
    monkeypatch.setattr(cust, "theme_labels", lambda engine: pd.DataFrame(
        {"theme_id": [0], "label": ["Late answers"], "keywords": [["late"]]}))
    out = cli("report", "customers")
    theme = out["themes"][0]
    assert theme["reach"] == 15
    for key in ("stages", "sources", "trend", "sentiment"):
        shown = [v for v in theme[key].values() if v is not None]
        assert all(v >= 10 for v in shown), (key, theme[key])
    assert theme["sources"]["exit"] is None and theme["trend"]["2026-Q2"] is None


# --------------------------------------------------------------------------- the rule itself

def test_suppress_dimensions_hides_the_sibling_that_gives_a_nested_group_away():
    wide = wide_frame(NESTED)
    hidden = anonymity.suppress_dimensions(wide, ["role", "department", "wave"], THRESHOLD)
    assert {"Driver", "Analyst", "Sales Rep"} <= hidden["role"] and "Engineer" not in hidden["role"]
    assert hidden["wave"] == set()


def test_hidden_by_filter_keeps_single_waves_consistent_with_all_waves():
    wide = wide_frame(WAVE_SPEC)
    per_wave = {w: anonymity.hidden_by_filter(wide, {"wave": [w]}, "role", THRESHOLD) for w in WAVES}
    driver_hidden = [w for w in WAVES if "Driver" in per_wave[w]]
    assert "2026-Q1" in driver_hidden and len(driver_hidden) >= 2
    # Selecting every hidden wave of the drivers at once is safe (it is all minus the shown ones).
    assert "Driver" not in anonymity.hidden_by_filter(wide, {"wave": driver_hidden}, "role", THRESHOLD)
