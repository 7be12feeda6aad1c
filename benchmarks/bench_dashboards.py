"""Dashboards at scale: the eevp calls behind each page, at ~100,000 survey responses and text units.

The database is the demo organisation scaled up (:func:`eevp.demo.generator.generate` with ~33,000 employees:
~100,000 survey responses over four waves, ~6,000 exit interviews, EVP ratings) stored through the
ordinary ingest, statements tagged by :func:`eevp.analytics.customers.tag_units`, and themes for both scopes
written as if an analysis had run (each unit gets a theme drawn at random, 40 themes for all text,
12 for customer statements): the pages only read these tables, so how the themes were found does
not change what the pages cost. The database is built once and kept in ``$TMPDIR/eevp-bench-dash``
(``--rebuild`` builds it again).

Per page, mirroring ``app.py`` and ``pages/*.py`` (Streamlit itself is not run):

* **first load** (eevp's modules already imported, as in a running server): the loaders the page
  caches with ``st.cache_data`` (``eevp.store.queries``,
  ``eevp.themes.run``, ``eevp.analytics.customers``; on Customer insights also the per-theme figures and quotes,
  which do not depend on the systemic/local rule) plus everything the page computes on a run;
* **filter change**: a rerun after a widget change, when the loaders are served from the cache:
  the copy ``st.cache_data`` hands the rerun (unpickled), ``data_version`` (run on every rerun) and the page's
  ``reports`` / ``theme_views`` / ``customers`` calls. Median of several runs, with a different filter each time.

Page-level pandas (a few lines in the pages) and drawing the charts are not included.

Run: ``python benchmarks/bench_dashboards.py`` (``--url postgresql+psycopg2://...``: on that database instead of
SQLite, built there unless it holds this size's build; ``--quick``: ~10,000 responses; ``--scale 10``: ~1,000,000
responses, 330,000 employees, built once through the same ingest (14 min on 2 cores, 10 GB peak) and kept beside
the smaller one: the cached file is named by its number of employees; the first-load target there is issue #18's 3 s).
"""

from __future__ import annotations

import json
import pickle
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eevp.store.auth import CLI_USER  # noqa: E402 (after the path above: quotes and the review sample need a reader)

CACHE = Path(tempfile.gettempdir()) / "eevp-bench-dash"
BUILD_VERSION = 1
THRESHOLD, COMMENT_THRESHOLD = 5, 10


def _row(metric, value, unit, target="", ok=None):
    return {"benchmark": "dashboards", "metric": metric, "value": value, "unit": unit, "target": target, "ok": ok}


# --------------------------------------------------------------------------- data


def _synthetic_themes(engine, scope: str, n_themes: int, seed: int) -> None:
    """A current theme model for ``scope`` with every unit assigned at random (skewed sizes)."""
    from sqlalchemy import insert, select, update

    from eevp.store import db

    t, s = db.text_units, db.statement_tags
    q = select(t.c.id, t.c.batch_id).where((t.c.is_boilerplate.is_(None)) | (t.c.is_boilerplate.is_(False)))
    if scope == "customers":
        q = q.join(s, s.c.unit_id == t.c.id).where(s.c.about_customers.is_(True))
    with engine.connect() as conn:
        units = conn.execute(q.order_by(t.c.id)).all()
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, n_themes + 1)
    topics = rng.choice(np.arange(-1, n_themes), size=len(units),
                        p=np.r_[0.1, 0.9 * weights / weights.sum()])
    words = ["delivery", "customer", "manager", "pay", "career", "hotline", "workload", "tools", "training",
             "recognition", "shift", "returns", "billing", "app", "sales", "promise", "team", "office"]
    with engine.begin() as conn:
        conn.execute(update(db.theme_models).where(db.theme_models.c.scope == scope).values(is_current=False))
        row = conn.execute(insert(db.theme_models).values(
            scope=scope, model_id="bench-synthetic", path=None, created_at=db.now(), n_units=len(units),
            outlier_share=float((topics < 0).mean()), params_json="{}", is_current=True, stale=False)
        ).inserted_primary_key[0]
        conn.execute(insert(db.themes), [
            {"model_row": row, "theme_id": k, "label": f"{words[k % len(words)].capitalize()}, {words[(k * 7 + 3) % len(words)]}",
             "label_edited": False, "keywords_json": json.dumps([words[(k + j) % len(words)] for j in range(8)]),
             "size": int((topics == k).sum()), "is_candidate": False} for k in range(n_themes)])
        rows = [{"model_row": row, "unit_id": u.id, "theme_id": int(k), "batch_id": u.batch_id}
                for u, k in zip(units, topics)]
        for start in range(0, len(rows), 50_000):
            conn.execute(insert(db.theme_assignments), rows[start:start + 50_000])


def build(url: str, n_employees: int, progress=print) -> dict:
    """Generate, ingest, tag and theme a scaled demo organisation into an empty database (a new SQLite file
    for a ``sqlite:///`` URL; another database is emptied first)."""
    from eevp.themes.run import annotate
    from eevp.bootstrap import DEMO_ORDER
    from eevp.analytics.customers import tag_units
    from eevp.store.db import connect, reset_for_tests
    from eevp.demo.generator import generate
    from eevp.intake.ingest import ingest_frame
    from eevp.settings import Settings

    CACHE.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite:///") and Path(url[len("sqlite:///"):]).exists():
        Path(url[len("sqlite:///"):]).unlink()
    settings = Settings(data_dir=CACHE, database_url=url)
    engine = connect(settings.database_url)
    reset_for_tests(engine)  # another database (PostgreSQL) is emptied; SQLite's new file already is
    start = time.perf_counter()
    data = generate(seed=7, n_employees=n_employees)
    progress(f"  generated in {time.perf_counter() - start:.0f} s")
    for kind in DEMO_ORDER:
        ingest_frame(engine, settings, kind, getattr(data, kind), data.mappings[kind], name=_batch_name(kind, n_employees),
                     filename=f"bench-{kind}.csv", actor=CLI_USER)
    progress(f"  ingested in {time.perf_counter() - start:.0f} s")
    annotate(engine, actor=CLI_USER)  # language, boilerplate and sentiment, as the analysis fills them
    tag_units(engine, actor=CLI_USER)
    progress(f"  annotated and tagged in {time.perf_counter() - start:.0f} s")
    _synthetic_themes(engine, "all", 40, 1)
    _synthetic_themes(engine, "customers", 12, 2)
    engine.dispose()
    return counts(url)


def counts(url: str) -> dict:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar()  # noqa: S608 - fixed names
                    for t in ("survey_responses", "survey_scores", "text_units", "exits", "evp_ratings")}
    finally:
        engine.dispose()


def database(quick: bool, rebuild: bool = False, scale: int = 1, url: str | None = None) -> tuple[str, dict]:
    """The URL of the benchmark's database, built when it is not there: a SQLite file in ``$TMPDIR`` named by its
    size, or ``url`` (a PostgreSQL database: built unless it holds this size's survey batch, kept as it is then)."""
    n_employees = 3_300 if quick else 33_000 * scale
    if url is None:
        path = CACHE / f"dash-v{BUILD_VERSION}-{n_employees}.db"
        url, missing = f"sqlite:///{path}", not path.exists()
    else:
        missing = not _holds(url, n_employees)
    if rebuild or missing:
        print(f"building the dashboard database ({n_employees:,} employees) in {url} ...", file=sys.stderr)
        build(url, n_employees, progress=lambda m: print(m, file=sys.stderr))
    return url, counts(url)


def _batch_name(kind: str, n_employees: int) -> str:
    return f"bench {kind} ({n_employees} employees)"


def _holds(url: str, n_employees: int) -> bool:
    """Whether the database at ``url`` holds the survey batch of a build of ``n_employees``."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        if not inspect(engine).has_table("batches"):
            return False
        with engine.connect() as conn:
            return conn.execute(text("SELECT COUNT(*) FROM batches WHERE name = :n"),
                                {"n": _batch_name("survey", n_employees)}).scalar() > 0
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- pages


class Pages:
    """Each page as (first load, rerun) over one engine; loaders are what the pages cache."""

    def __init__(self, engine):
        self.engine = engine
        self.cache: dict = {}

    # loaders (st.cache_data in webui/data.py / the pages)
    def load_home(self):
        from eevp.store import queries

        return {"wide": queries.survey_wide(self.engine), "items": queries.survey_items(self.engine),
                "waves": queries.wave_order(self.engine), "exits": queries.exits_frame(self.engine)}

    def load_home_summary(self):
        from eevp.analytics import reports

        d = self.load_home()
        # Home has no filters; the app caches its summary per data version and user scope (ui.home_summary).
        d["summary"] = reports.home_summary(d["wide"], d["items"], d["exits"], d["waves"], THRESHOLD)
        return d

    def load_evp(self):
        from eevp.analytics import report_views, reports
        from eevp.store import queries

        d = {"catalog": queries.evp_catalog(self.engine), "ratings": queries.evp_ratings(self.engine),
             "waves": queries.wave_order(self.engine), "exits": queries.exits_frame(self.engine)}
        # No table of the page depends on a widget: the page caches them per data version (ui.evp_tables).
        d["gaps"] = reports.evp_gaps(d["ratings"], d["catalog"], THRESHOLD, by="role")
        d["company"] = report_views.evp_company_gaps(d["ratings"], d["catalog"], THRESHOLD, population=d["ratings"])
        d["pillars"] = reports.pillar_trend(d["ratings"], d["catalog"], THRESHOLD, d["waves"])
        d["exit_pillars"] = reports.exit_pillars(d["exits"], THRESHOLD)
        d["roles"] = report_views.evp_roles(d["catalog"], d["ratings"])
        return d

    def load_exits(self):
        from eevp.store import queries
        from eevp.analytics import theme_views
        from eevp.themes.read import theme_table, unit_themes

        # The Exits page: the exit records, and on its text tab the themes of both scopes.
        return {"exits": queries.exits_frame(self.engine),
                "themes": theme_table(self.engine, scope="all"),
                "units": theme_views.with_person(unit_themes(self.engine, scope="all")),
                "cthemes": theme_table(self.engine, scope="customers"),
                "cunits": theme_views.with_person(unit_themes(self.engine, scope="customers"))}

    def load_themes(self):
        from eevp.analytics import theme_views
        from eevp.themes.read import theme_table, unit_themes

        return {"themes": theme_table(self.engine, scope="all"),
                "units": theme_views.with_person(unit_themes(self.engine, scope="all"))}

    def load_customers(self):
        from eevp.analytics import customers

        units, labels = customers.customer_units(self.engine), customers.theme_labels(self.engine)
        # Cached by the page once per data version: what does not depend on the systemic/local rule.
        stats = customers.theme_stats(units, labels, COMMENT_THRESHOLD)
        quotes = {tid: customers.quotes(self.engine, units.loc[units["theme_id"] == tid, "unit_id"].tolist(), n=3,
                                        actor=CLI_USER)
                  for tid in stats["theme_id"]}
        # The review sample's ids, cached by the page once per data version (webui.data.review_sample).
        return {"units": units, "labels": labels, "stats": stats, "quotes": quotes,
                "sample": customers.review_sample(self.engine, share=0.10)}

    # reruns (everything the page computes, given the cached frames)
    def home(self, d, k):
        from eevp.store.queries import data_version

        data_version(self.engine)  # a rerun of Home (tour, language) serves the cached summary
        assert d["summary"]["cards"]

    def survey(self, d, k):
        from eevp.analytics import reports
        from eevp.store.queries import SEGMENTS, Filters, data_version

        data_version(self.engine)
        wide_all, items, waves = d["wide"], d["items"], d["waves"]
        role = sorted(wide_all["role"].unique())[k % wide_all["role"].nunique()]
        wide = Filters(role=(role,)).apply(wide_all)
        reports.population_ok(len(wide_all), len(wide), THRESHOLD)
        seg = SEGMENTS[(k + 1) % len(SEGMENTS)]
        item = items["item"].iloc[k % len(items)]
        reports.heatmap_table(wide, items, seg, THRESHOLD)
        reports.enps_by(wide, seg, THRESHOLD)
        reports.distribution(wide, item, THRESHOLD)
        reports.drivers(wide, items, THRESHOLD, outcome="enps")
        reports.segment_item_trend(wide, items, seg, item, THRESHOLD, waves)
        reports.item_wave_deltas(wide, items, waves, THRESHOLD)

    def evp(self, d, k):
        from eevp.analytics import report_views, reports
        from eevp.store.queries import data_version

        data_version(self.engine)
        catalog, roles = d["catalog"], d["roles"]
        # The role picked in the gap tab (every other run "All roles": the company's gaps, cached too).
        view = report_views.rows_with(d["gaps"], "role", roles[k % len(roles)]) if k % 2 else d["company"]
        report_views.unsuppressed(view)
        reports.evp_matrix(catalog, roles)
        reports.valued_not_offered(d["gaps"])
        report_views.unsuppressed(d["pillars"])
        report_views.unsuppressed(d["exit_pillars"])

    def exits(self, d, k):
        from eevp.analytics import reports, theme_views
        from eevp.store.queries import data_version

        data_version(self.engine)
        by = ["role", "department", "location", "tenure"][k % 4]
        exits = d["exits"]
        reports.reason_role_matrix(exits, THRESHOLD, by=by)
        reports.exits_over_time(exits, THRESHOLD)
        reports.tenure_at_exit(exits, THRESHOLD)
        reports.exits_by(exits, by, THRESHOLD)
        ex = theme_views.exit_units(d["units"], exits)
        labels = d["themes"].set_index("theme_id")["label"]
        theme_views.trim(theme_views.theme_cross(ex, by, COMMENT_THRESHOLD, labels), by)
        theme_views.compare_groups(ex, ex["regretted"] == True, ex["regretted"] == False,  # noqa: E712
                                   COMMENT_THRESHOLD, labels)
        cex = d["cunits"][d["cunits"]["kind"] == "exit"]
        clabels = d["cthemes"].set_index("theme_id")["label"]
        theme_views.trim(theme_views.theme_cross(cex, by, COMMENT_THRESHOLD, clabels), by)

    def themes(self, d, k):
        from eevp.analytics import theme_views
        from eevp.analytics.customers import quotes
        from eevp.store.queries import data_version

        data_version(self.engine)
        themes, units = d["themes"], d["units"]
        labels = themes.set_index("theme_id")["label"]
        seg = ["role", "department", "kind", "language", "tenure"][k % 5]
        theme_views.theme_cross(units, seg, COMMENT_THRESHOLD, labels)
        theme_views.theme_trend(units, "wave", COMMENT_THRESHOLD, labels)
        tid = themes["theme_id"].iloc[k % len(themes)]
        quotes(self.engine, units.loc[units["theme_id"] == tid, "unit_id"].tolist(), n=6, actor=CLI_USER)
        roles = sorted(units["role"].dropna().unique())
        theme_views.compare_groups(units, units["kind"] == "exit", units["role"] == roles[k % len(roles)],
                                   COMMENT_THRESHOLD, labels)

    def customer_insights(self, d, k):
        from eevp.analytics import customers
        from eevp.store.queries import data_version

        data_version(self.engine)
        units, labels = d["units"], d["labels"]
        rule = customers.SystemicRule(0.3 + 0.05 * (k % 3), 0.10, 0.8)
        ranked = customers.rank_themes(units, labels, COMMENT_THRESHOLD, rule, stats=d["stats"])
        quotes_by = {r.theme_id: d["quotes"].get(r.theme_id, []) for r in ranked.itertuples()}
        customers.theme_stage_matrix(units, ranked, THRESHOLD)
        customers.theme_by(units, ranked, "department", COMMENT_THRESHOLD)
        customers.theme_by(units.assign(source=units["kind"]), ranked, "source", COMMENT_THRESHOLD)
        customers.review_stats(self.engine)
        customers.review_queue(self.engine, share=0.10, limit=5, actor=CLI_USER, sample=d["sample"])
        customers.brief_markdown(ranked, quotes_by, rule, title="brief")

    #: What a rerun of a page reads from st.cache_data, where not all its loader gives: Home's counts of rows and
    #: summary (app.py), EVP's catalogue and tables (pages/3_EVP.py); the frames behind them are read on a first load.
    RERUN_READS = {"home": ("summary", "items", "waves"),
                   "evp": ("catalog", "waves", "gaps", "company", "pillars", "exit_pillars", "roles")}

    PAGES = {"home": ("load_home_summary", "home"), "survey": ("load_home", "survey"), "evp": ("load_evp", "evp"),
             "exits": ("load_exits", "exits"), "themes": ("load_themes", "themes"),
             "customer insights": ("load_customers", "customer_insights")}


def _timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def measure(url: str, repeats: int = 7, first_repeats: int = 3) -> dict[str, dict]:
    """Per page: the median first-load seconds (loaders with nothing cached + one run, ``first_repeats``
    times) and the median rerun seconds."""
    from eevp.store.db import connect

    engine = connect(url)
    # A running server has imported these with its first page; a first load here is the data's cost.
    import eevp.themes.run, eevp.analytics.customers, eevp.store.queries, eevp.analytics.reports, eevp.analytics.theme_views  # noqa: E401, F401

    pages = Pages(engine)
    out = {}
    for name, (loader, run) in Pages.PAGES.items():
        firsts = []
        for _ in range(first_repeats):
            start = time.perf_counter()
            data = getattr(pages, loader)()
            getattr(pages, run)(data, 0)
            firsts.append(time.perf_counter() - start)
        # st.cache_data hands each rerun a copy of what it keeps (unpickled): the copy is part of a rerun's cost,
        # and nothing computed from the objects of an earlier run (eevp.hashing.derived) serves a later one
        kept = pickle.dumps({part: v for part, v in data.items() if part in Pages.RERUN_READS.get(name, data)})
        reruns = [_timed(lambda k=k: getattr(pages, run)(pickle.loads(kept), k)) for k in range(1, repeats + 1)]
        out[name] = {"first": statistics.median(firsts), "first_max": max(firsts),
                     "rerun": statistics.median(reruns), "rerun_max": max(reruns)}
    engine.dispose()
    return out


def run(quick: bool = False, rebuild: bool = False, scale: int = 1, url: str | None = None) -> list[dict]:
    """First-load and filter-change times of every page at ~100,000 responses (10,000 with ``quick``,
    ``scale`` × 100,000 otherwise), on SQLite or on the database at ``url``."""
    url, n = database(quick, rebuild, scale, url)
    res = measure(url)
    first_target = 2 if scale == 1 else 3  # issue #18: under 3 s at a million responses
    size = f"{n['survey_responses']:,} responses, {n['text_units']:,} text units"
    rows = [_row(f"database: {size}, {n['exits']:,} exits, {n['evp_ratings']:,} EVP ratings", 1, "built")]
    for page, r in res.items():
        change = "rerun (Home has no filters; its summary is cached)" if page == "home" else "filter change"
        rows.append(_row(f"{page}: {change} (median of 7)", round(r["rerun"] * 1000), "ms", "< 300",
                         r["rerun"] < 0.3))
        rows.append(_row(f"{page}: first load (median of 3; slowest {r['first_max']:.2f} s)", round(r["first"], 2), "s",
                         f"< {first_target}", r["first"] < first_target))
    return rows


def _option(argv: list[str], name: str, default=None):
    """The value after ``name`` on the command line (``default`` when absent)."""
    return argv[argv.index(name) + 1] if name in argv else default


if __name__ == "__main__":
    for r in run(quick="--quick" in sys.argv, rebuild="--rebuild" in sys.argv, scale=int(_option(sys.argv, "--scale", 1)),
                 url=_option(sys.argv, "--url")):
        print(f"{r['metric']:<80} {r['value']!s:>8} {r['unit']:<6} {r['target']:<6} {r['ok']}")
