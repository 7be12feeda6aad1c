"""Every page, run headless with Streamlit's AppTest on the demo organisation (analysed with a fake
embedder and PCA/KMeans so that it takes seconds): no exception, the expected content, and each role
sees only what it may."""

import json
import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from streamlit.testing.v1 import AppTest
from tests.conftest import give_account
from test_themes import FakeEmbedder

from eevp.store.auth import CLI_USER, User

ROOT = Path(__file__).resolve().parents[1]
PAGES = {
    "upload": "pages/1_Upload.py", "survey": "pages/2_Survey.py", "evp": "pages/3_EVP.py",
    "exits": "pages/4_Exits.py", "themes": "pages/5_Themes.py", "customers": "pages/6_Customer_insights.py",
    "admin": "pages/8_Admin.py", "actions": "pages/9_Actions.py",
}

pytestmark = pytest.mark.skipif(bool(os.environ.get("EEVP_TEST_DATABASE_URL")),
                                reason="the page tests build their own SQLite demo database")


def _steps(k):
    return {"reducer": PCA(n_components=5, random_state=0),
            "clusterer": KMeans(n_clusters=k, n_init=2, random_state=0)}


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    """A data folder with the demo organisation, analysed (themes, customer tags, customer themes)."""
    from eevp.analytics import customers
    from eevp.analytics.voice_match import analyze_voice
    from eevp.themes.run import analyze
    from eevp.bootstrap import load_demo
    from eevp.store.db import connect
    from eevp.settings import Settings

    folder = tmp_path_factory.mktemp("pages")
    settings = Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'eevp.db'}")
    engine = connect(settings.database_url)
    load_demo(engine, settings, actor=CLI_USER)
    emb = FakeEmbedder()
    analyze(engine, settings, embedder=emb, steps=_steps(8), scope="all", actor=CLI_USER)
    customers.tag_units(engine, actor=CLI_USER)
    analyze(engine, settings, embedder=emb, steps=_steps(6), scope="customers", actor=CLI_USER)
    analyze_voice(engine, settings, embedder=emb, steps=_steps(3), actor=CLI_USER)
    engine.dispose()
    return folder


@pytest.fixture
def run_page(demo_dir, monkeypatch):
    monkeypatch.setenv("EEVP_DATA_DIR", str(demo_dir))
    monkeypatch.setenv("EEVP_DATABASE_URL", f"sqlite:///{demo_dir / 'eevp.db'}")
    monkeypatch.chdir(ROOT)

    def run(path: str, role: str = "admin", lang: str = "en") -> AppTest:
        at = AppTest.from_file(str(ROOT / path), default_timeout=120)
        at.session_state["user"] = User(f"test-{role}", role)
        give_account(demo_dir, at.session_state["user"])
        at.session_state["lang"] = lang
        return at.run()

    return run


def _text(at: AppTest) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption] + [e.value for e in at.info]
    parts += [e.value for e in at.warning] + [e.value for e in at.title] + [e.value for e in at.subheader]
    parts += [m.label for m in at.metric]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_runs_for_an_admin(run_page, name):
    at = run_page(PAGES[name])
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.title) == 1


def test_survey_defaults_to_the_latest_wave_and_counts_it(run_page):
    at = run_page(PAGES["survey"])
    waves = at.multiselect(key="f_waves")
    assert waves.value == ["2026-Q3"]
    caption = next(c.value for c in at.caption if "responses in the current selection" in c.value)
    # The demo's latest wave has 1,555 responses (eevp.demo.generator plants a growing workforce).
    assert caption.startswith("1,555 responses")


def test_exits_text_tab_shows_themes_and_customer_part(run_page):
    at = run_page(PAGES["exits"])
    text = _text(at)
    assert "Regretted leavers against the others" in text
    assert "What leavers tell us about customers" in text, text
    assert "No customer statements from leavers yet." not in text


def test_customer_page_compares_staff_and_customers(run_page):
    at = run_page(PAGES["customers"])
    assert not at.exception
    text = _text(at)
    assert "Staff say" in text and "Customers say" in text
    assert "staff: " in text and " comments · detractors: " in text
    assert any(word in text for word in ("Confirmed", "Early warning", "Blind spot"))
    # a subject only customers raise (the demo's loyalty points) says so in the staff column
    assert "Blind spot · staff: 0 people" in text and "No member of staff raises this." in text


def test_customer_page_shows_ranked_themes_with_badges(run_page):
    at = run_page(PAGES["customers"])
    text = _text(at)
    assert "Systemic" in text or "Local" in text


def _chart_rows(at: AppTest, title: str) -> list[dict]:
    """The data rows of the chart titled ``title`` (its spec as the page sent it)."""
    for element in at.main:
        if getattr(element, "type", None) == "vega_lite_chart":
            spec = json.loads(element.proto.spec)
            if title in json.dumps(spec.get("title", ""), ensure_ascii=False):
                tables = [pa.ipc.open_stream(d.data.data).read_all() for d in element.proto.datasets]
                return [row for table in tables for row in table.to_pylist()]
    raise AssertionError(f"no chart titled {title!r}")


def _chart_titles(at: AppTest) -> str:
    """The titles of every chart on the page, as one text."""
    specs = [json.loads(e.proto.spec) for e in at.main if getattr(e, "type", None) == "vega_lite_chart"]
    return "\n".join(json.dumps(s.get("title", ""), ensure_ascii=False) for s in specs)


def test_customer_heatmaps_show_a_page_of_themes_at_a_time(run_page, monkeypatch):
    import webui

    monkeypatch.setattr(webui, "THEMES_PER_PAGE", 2)
    at = run_page(PAGES["customers"])
    assert not at.exception
    first = {r["label"] for r in _chart_rows(at, "Customer themes on the journey")}
    sources = {r["label"] for r in _chart_rows(at, "Where it comes from")}
    assert 0 < len(first) <= 2 and 0 < len(sources) <= 2
    at.selectbox(key="map_page").set_value(2).run()
    second = {r["label"] for r in _chart_rows(at, "Customer themes on the journey")}
    assert second and not second & first


def test_upload_and_admin_tables_write_numbers_and_dates_as_the_language_does(run_page):
    """The cards write 1 555 in Russian: so do the stored batches' counts, and dates read 03.12.2026."""
    at = run_page(PAGES["upload"], lang="ru")
    assert not at.exception
    listing = next(d.value for d in at.dataframe if "rows_read" in d.value.columns)
    big = [v for v in listing["rows_read"] if len(v) > 3]
    assert big and all(v.replace("\u00a0", "").isdigit() and "\u00a0" in v for v in big), big
    at = run_page(PAGES["admin"], lang="ru")
    assert not at.exception
    log = next(d for d in at.dataframe if "detail" in d.value.columns)
    assert json.loads(log.proto.columns)["at"]["type_config"]["format"] == "DD.MM.YYYY HH:mm"


def test_theme_labels_follow_the_interface_language(run_page):
    """The demo's customer themes hold English, Russian and Ukrainian statements: each reader sees them
    named in their own language (a theme without statements in it keeps its main label)."""

    def cyrillic_headings(lang: str) -> int:
        at = run_page(PAGES["customers"], lang=lang)
        assert not at.exception
        heads = [m.value for m in at.markdown if str(m.value).startswith("#### ")]
        assert heads
        return sum(any("а" <= c.lower() <= "я" or c.lower() in "ёіїєґ" for c in h) for h in heads)

    assert cyrillic_headings("en") < cyrillic_headings("ru")


@pytest.mark.parametrize("role,name", [("viewer", "upload"), ("viewer", "themes"), ("viewer", "customers"),
                                       ("cx", "survey"), ("cx", "exits"), ("cx", "upload"), ("hr", "evp"),
                                       ("hr", "admin"), ("cx", "admin"), ("viewer", "actions")])
def test_roles_see_only_their_pages(run_page, role, name):
    at = run_page(PAGES[name], role=role)
    assert not at.exception
    refused = any("does not give access" in w.value for w in at.warning)
    from eevp.store.auth import PERMISSIONS
    from webui.frame import PAGES as NAV

    needed = next(p for script, _, _, p, _ in NAV if script == PAGES[name])
    assert refused == (needed not in PERMISSIONS[role])


def test_hr_sees_no_delete_controls(run_page):
    at = run_page(PAGES["upload"], role="hr")
    assert not at.exception
    assert not [b for b in at.button if b.label == "Delete batch"]
    admin = run_page(PAGES["upload"], role="admin")
    assert [b for b in admin.button if b.label == "Delete batch"]


def test_admin_page_lists_accounts_and_the_audit_log(run_page, demo_dir):
    from eevp.store import auth
    from eevp.settings import Settings

    settings = Settings(data_dir=demo_dir, database_url=f"sqlite:///{demo_dir / 'eevp.db'}")
    auth.add_user(settings, auth.CLI_USER, "olena", "a-long-password-1", "hr")
    at = run_page(PAGES["admin"])
    assert not at.exception
    accounts = at.dataframe[0].value
    assert "olena" in list(accounts["username"])
    assert at.tabs[1].label == "Audit log"


def test_a_viewer_limited_to_one_department_sees_only_its_numbers(run_page):
    at = AppTest.from_file(str(ROOT / PAGES["survey"]), default_timeout=120)
    at.session_state["user"] = User("v", "viewer", ("Sales",))
    give_account(os.environ["EEVP_DATA_DIR"], at.session_state["user"])
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    departments = at.multiselect(key="f_department").options
    assert departments == ["Sales"]
    full = run_page(PAGES["survey"])
    assert len(full.multiselect(key="f_department").options) > 1


def test_each_page_declares_the_icon_and_permission_of_its_navigation_entry():
    """ui.page(title, icon, permission) at the top of a page agrees with webui.frame.PAGES."""
    import ast
    from pathlib import Path

    from webui.frame import PAGES as NAV

    root = Path(__file__).resolve().parents[1]
    for script, _, icon, permission, _ in NAV:
        calls = [n for n in ast.walk(ast.parse((root / script).read_text(encoding="utf-8")))
                 if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "page"]
        assert [[a.value for a in c.args[1:]] for c in calls] == [[icon, permission]], script


def test_actions_page_lists_an_action_with_its_figure_and_takes_a_note(run_page, demo_dir):
    from eevp.actions import register
    from eevp.settings import Settings
    from eevp.store import auth
    from eevp.store.db import connect

    settings = Settings(data_dir=demo_dir, database_url=f"sqlite:///{demo_dir / 'eevp.db'}")
    auth.add_user(settings, auth.CLI_USER, "olena", "a-long-password-1", "hr")
    engine = connect(settings.database_url)
    new_id = register.create_action(engine, settings, "exit_reason:Pay", "Pay review", "olena", "2020-01-01",
                                    actor=CLI_USER)
    at = run_page(PAGES["actions"], role="hr")
    assert not at.exception, [e.value for e in at.exception]
    text = _text(at)
    leavers = register.since_action(engine, settings, new_id, actor=CLI_USER)["now"]["n"]
    assert "Since the action" in text and "When created" in text and f"{leavers} people" in text
    assert at.metric[2].value == "1"  # overdue: due in 2020, still open
    at.text_area[0].input("Budget approved")
    at.selectbox(key="act_pick").set_value(new_id)
    at.button[0].click().run()
    assert not at.exception
    assert register.notes(engine, new_id, actor=CLI_USER)["note"].tolist() == ["Budget approved"]
    cx = run_page(PAGES["actions"], role="cx")  # exit reasons are not on cx's pages
    assert not cx.exception and "No actions yet" in _text(cx)
    engine.dispose()


def test_the_survey_page_offers_create_action_to_hr_not_to_viewers(run_page):
    hr = run_page(PAGES["survey"], role="hr")
    viewer = run_page(PAGES["survey"], role="viewer")
    assert [b for b in hr.button if b.label == "Create action"]
    assert not [b for b in viewer.button if b.label == "Create action"]


def test_home_lists_what_changed_and_prepares_the_digest(run_page):
    at = run_page("app.py")
    assert not at.exception, [e.value for e in at.exception]
    text = _text(at)
    assert "Since the last upload" in text and "Leadership digest" in text
    at.button(key="digest_prepare").click().run()
    assert not at.exception, [e.value for e in at.exception]
    page = at.session_state["digest_html"]
    assert "<h2>Headline numbers</h2>" in page and "<script" not in page
    assert "<h2>Open and overdue actions</h2>" in page  # the digest with its actions (eevp.actions.digest)


def test_a_viewer_gets_neither_alerts_nor_the_digest(run_page):
    at = run_page("app.py", role="viewer")
    text = _text(at)
    assert "Since the last upload" not in text and "Leadership digest" not in text


def test_themes_quotes_tab_shows_the_summary_of_the_theme(run_page):
    at = run_page(PAGES["themes"])
    assert not at.exception, [e.value for e in at.exception]
    leads = [m.value for m in at.markdown if m.value.startswith("**") and " people" in m.value]
    assert leads, _text(at)


@pytest.fixture
def demo_and_real(tmp_path):
    """A data folder with a (tiny) demo batch and a real upload beside it."""
    from eevp.intake.ingest import ingest_frame
    from eevp.settings import Settings
    from eevp.store.db import connect

    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'eevp.db'}")
    engine = connect(settings.database_url)
    rows = [{"wave": "2026-Q1", "role": "Agent", "enps": str(i % 11), "comment": f"Answer {i} from {who}"}
            for i in range(6) for who in ("demo", "us")]
    mapping = {"wave": "wave", "role": "role", "enps": "enps", "text": ["comment"]}
    for is_demo in (True, False):
        frame = pd.DataFrame([r for r in rows if (r["comment"].endswith("demo")) == is_demo])
        ingest_frame(engine, settings, "survey", frame, mapping, name="b", filename="b.csv", is_demo=is_demo,
                     actor=CLI_USER)
    engine.dispose()
    return tmp_path


@pytest.mark.parametrize("role", ["hr", "admin"])
def test_after_a_real_upload_the_demo_can_be_removed(demo_and_real, monkeypatch, role):
    import webui.data
    from eevp.store.batches import has_demo
    from eevp.store.db import connect

    started = []
    monkeypatch.setattr(webui.data, "start_analysis", lambda settings, **kw: started.append(kw) or 1)
    monkeypatch.setenv("EEVP_DATA_DIR", str(demo_and_real))
    monkeypatch.setenv("EEVP_DATABASE_URL", f"sqlite:///{demo_and_real / 'eevp.db'}")
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / PAGES["upload"]), default_timeout=120)
    at.session_state["user"] = User(f"test-{role}", role)
    give_account(demo_and_real, at.session_state["user"])
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert any("together with the demo" in w.value for w in at.warning)
    at.button(key="remove_demo").click().run()
    assert not at.exception
    engine = connect(f"sqlite:///{demo_and_real / 'eevp.db'}")
    assert not has_demo(engine)
    engine.dispose()
    assert [kw["actor"].role for kw in started] == [role]  # the themes are built again without the demo
    assert "Demo data cleared (1 batches)." in [s.value for s in at.success]
    assert not any("together with the demo" in w.value for w in at.warning)  # offered no more


def test_the_demo_alone_is_not_offered_for_removal(run_page):
    at = run_page(PAGES["upload"], role="hr")
    assert not at.exception
    assert not any("together with the demo" in w.value for w in at.warning)
    assert not [b for b in at.button if b.key == "remove_demo"]


def _run_on(folder, monkeypatch, page: str, role: str) -> AppTest:
    """``page`` run in English by a ``role`` user on the data folder ``folder`` (a database of its own)."""
    monkeypatch.setenv("EEVP_DATA_DIR", str(folder))
    monkeypatch.setenv("EEVP_DATABASE_URL", f"sqlite:///{folder / 'eevp.db'}")
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / PAGES[page]), default_timeout=120)
    at.session_state["user"] = User(f"test-{role}", role)
    give_account(folder, at.session_state["user"])
    at.session_state["lang"] = "en"
    return at.run()


def test_customer_insights_says_how_many_statements_themes_need(tmp_path, monkeypatch):
    """26 statements about customers in 3,714 (a real upload): no customer theme can be built, and the page
    says why rather than "no theme is raised by 10 people"."""
    from sqlalchemy import insert, select

    from eevp.intake.ingest import ingest_frame
    from eevp.settings import Settings
    from eevp.store import db
    from eevp.store.db import connect

    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'eevp.db'}")
    engine = connect(settings.database_url)
    frame = pd.DataFrame({"wave": "2026-Q1", "role": "Agent", "comment": [f"Comment {i} on the car park and the canteen"
                                                                             for i in range(12)]})
    ingest_frame(engine, settings, "survey", frame, {"wave": "wave", "role": "role", "text": ["comment"]},
                 name="b", filename="b.csv", actor=CLI_USER)
    with engine.begin() as conn:
        ids = conn.execute(select(db.text_units.c.id)).scalars().all()
        conn.execute(insert(db.statement_tags), [{"unit_id": u, "batch_id": 1, "about_customers": k < 7,
                                                  "stage": "delivery" if k < 7 else None}
                                                 for k, u in enumerate(ids)])
    engine.dispose()
    at = _run_on(tmp_path, monkeypatch, "customers", "cx")
    assert not at.exception
    assert ["Customer themes are built once at least 30 statements are about customers; there are 7 so far."] == \
        [i.value for i in at.info]


def test_a_heatmap_with_every_group_hidden_says_so_instead_of_an_empty_chart(tmp_path, monkeypatch):
    """A real upload of 51 responses in 48 job titles: every role was hidden, and the heatmap drew an empty
    frame with "0 of 48 groups in the chart"."""
    from eevp.intake.ingest import ingest_frame
    from eevp.settings import Settings
    from eevp.store.db import connect

    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'eevp.db'}")
    engine = connect(settings.database_url)
    frame = pd.DataFrame({"wave": "2026-Q1", "role": [f"Role {i // 2}" for i in range(40)],
                          "department": ["Sales", "Care"] * 20, "I like my job": [str(1 + i % 5) for i in range(40)]})
    ingest_frame(engine, settings, "survey", frame, {"wave": "wave", "role": "role", "department": "department",
                                                     "items": ["I like my job"]},
                 name="b", filename="b.csv", actor=CLI_USER)
    engine.dispose()
    at = _run_on(tmp_path, monkeypatch, "survey", "hr")
    assert not at.exception
    assert at.selectbox(key="heat_seg").value == "role"
    said = [i.value for i in at.info if i.value.startswith("Every role has fewer than 5 responses")]
    assert said and "compare by another column" in said[0]
    assert "Favourable answers by role" not in _chart_titles(at)
    at.selectbox(key="heat_seg").set_value("department").run()  # 20 people in each: drawn, nothing said
    assert not [i for i in at.info if i.value.startswith("Every ")]
    assert "Favourable answers by department" in _chart_titles(at)


def test_exits_without_reasons_or_groups_say_so_instead_of_a_chart_of_not_given(tmp_path, monkeypatch):
    # The Russian exit answers (free text only: no reason, role or regretted column) drew a reason heatmap of one
    # cell "(not given) x (not given)", a regretted-share chart of one empty bar and "too few leavers per group".
    from eevp.intake.ingest import ingest_frame
    from eevp.settings import Settings
    from eevp.store.db import connect

    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'eevp.db'}")
    engine = connect(settings.database_url)
    frame = pd.DataFrame({"answer": [f"Ухожу из-за переезда, ответ {i}" for i in range(12)]})
    ingest_frame(engine, settings, "exit", frame, {"text": ["answer"], "every_row": {"exit_date": "2025-06-30"}},
                 name="answers", filename="answers.csv", actor=CLI_USER)
    engine.dispose()
    monkeypatch.setenv("EEVP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("EEVP_DATABASE_URL", settings.database_url)
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / PAGES["exits"]), default_timeout=120)
    at.session_state["user"] = User("test-admin", "admin")
    give_account(tmp_path, at.session_state["user"])
    at.session_state["lang"] = "ru"
    at.run()
    assert not at.exception
    infos = [i.value for i in at.info]
    assert any("нет столбца с основной причиной" in i for i in infos)
    assert any("нет столбца «роль»" in i for i in infos)
    assert "exit_act_reason" not in [s.key for s in at.selectbox]  # no action on the reason "(not given)"


class _Upload:
    """What ``st.file_uploader`` returns: a name and the bytes (AppTest cannot drop a file)."""

    def __init__(self, name: str, data: bytes):
        self.name, self._data = name, data

    def getvalue(self) -> bytes:
        return self._data


def test_customer_feedback_offers_the_segment_columns_it_suggests(run_page, monkeypatch):
    # SentiRuEval's restaurant reviews as customer feedback: sentiment_food... were suggested as segments, but
    # the page had no segment box for this kind, so they were dropped and listed as "Extra segment columns?".
    import webui

    rows = "\n".join(f"2024-03-{i % 28 + 1:02d},The soup was cold and the waiter slow visit {i},"
                     f"{('positive', 'negative', 'both')[i % 3]}" for i in range(30))
    upload = _Upload("reviews.csv", f"date,text,sentiment_food\n{rows}\n".encode())
    monkeypatch.setattr(webui, "file_uploader", lambda *a, **k: upload)
    at = run_page(PAGES["upload"])
    at.selectbox[0].set_value("customer_feedback").run()
    assert not at.exception
    boxes = {m.label: m.value for m in at.multiselect}
    assert boxes["Extra segment columns"] == ["sentiment_food"]
    assert "sentiment_food" not in [r for t in at.dataframe for r in t.value.get("column", [])]


def _stored(folder, kind: str, frame: pd.DataFrame, mapping: dict):
    """``frame`` stored as one batch of ``kind`` in the database of the data folder ``folder``; its settings."""
    from eevp.intake.ingest import ingest_frame
    from eevp.settings import Settings
    from eevp.store.db import connect

    settings = Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'eevp.db'}")
    engine = connect(settings.database_url)
    ingest_frame(engine, settings, kind, frame, mapping, name="b", filename="b.csv", actor=CLI_USER)
    engine.dispose()
    return settings


def _home(folder, monkeypatch, lang: str = "en") -> AppTest:
    """Home (``app.py``) run by an hr user in ``lang`` on the data folder ``folder``."""
    monkeypatch.setenv("EEVP_DATA_DIR", str(folder))
    monkeypatch.setenv("EEVP_DATABASE_URL", f"sqlite:///{folder / 'eevp.db'}")
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["user"] = User("test-hr", "hr")
    give_account(folder, at.session_state["user"])
    at.session_state["lang"] = lang
    return at.run()


#: Restaurant reviews on four subjects, as short English comments.
TOPICS = ["The waiter took our order quickly and smiled", "The soup was cold when it came to the table",
          "We booked a table for a birthday party", "The bill had a dish we never ordered on it"]


@pytest.fixture
def exits_only(tmp_path):
    """A data folder with leavers alone, as the Queensland TAFE exit survey gives them: a work area and a
    reason, no role, no "regretted", no survey."""
    frame = pd.DataFrame({"exit_date": [f"{2011 + i % 2}-06-30" for i in range(40)],
                          "department": ["Delivery (teaching)", "Non-Delivery (corporate)"] * 20,
                          "reason": ["Resignation", "Contract Expired", "Retirement", None] * 10})
    _stored(tmp_path, "exit", frame, {"exit_date": "exit_date", "department": "department", "reason": "reason"})
    return tmp_path


def test_exits_without_roles_or_regretted_group_by_what_they_have(exits_only, monkeypatch):
    # TAFE's leavers: "by role" drew one column "(not given)", and "Regretted share by role" an empty chart at 0%.
    at = _run_on(exits_only, monkeypatch, "exits", "hr")
    assert not at.exception
    assert "Leavers by reason and department" in _chart_titles(at)
    assert "Regretted share" not in _chart_titles(at)
    assert any(i.value.startswith("No leaver is marked as regretted or not") for i in at.info)
    at.selectbox(key="lang_picker").set_value("ru").run()
    assert "(не указано)" in at.selectbox(key="exit_act_reason").options  # was "(not given)" in Russian


def test_home_with_exits_alone_has_no_empty_item_headings(exits_only, monkeypatch):
    at = _home(exits_only, monkeypatch)
    assert not at.exception
    assert "Exits" in [m.label for m in at.metric]
    heads = [h.value for h in at.subheader]
    assert "Weakest items now" not in heads and "Largest drops since the last wave" not in heads


def test_customer_feedback_alone_shows_what_customers_say(tmp_path, monkeypatch):
    """404 restaurant reviews uploaded as customer feedback, and no staff text: the analysis built the
    customers' own subjects, and the page said only "No customer statements yet"."""
    from eevp.analytics.voice_match import analyze_voice
    from eevp.store.db import connect

    frame = pd.DataFrame({"date": "2024-03-15", "comment": [f"{TOPICS[i % 4]}, visit number {i}." for i in range(80)]})
    settings = _stored(tmp_path, "customer_feedback", frame, {"date": "date", "comment": "comment"})
    engine = connect(settings.database_url)
    analyze_voice(engine, settings, embedder=FakeEmbedder(), steps=_steps(3), actor=CLI_USER)
    engine.dispose()
    at = _run_on(tmp_path, monkeypatch, "customers", "cx")
    assert not at.exception
    assert at.title[0].value == "What customers tell us"  # was "What staff tell us about customers"
    assert at.caption[0].value.startswith("What customers wrote, by subject:")
    assert [i.value for i in at.info][0].startswith("No member of staff writes about customers yet")
    said = "\n".join(m.value for m in at.markdown)
    assert "####" in said and "visit number" in said  # the customers' subjects, each with its quotes
    assert "Staff say" not in said and not [c for c in at.caption if c.value == "No member of staff raises this."]


def test_home_with_customer_feedback_alone_says_where_it_is(tmp_path, monkeypatch):
    # 404 restaurant reviews as customer feedback: Home said "No data yet. An HR analyst can upload ...".
    frame = pd.DataFrame({"date": "2024-03-15", "comment": [f"The soup was cold on visit {i}." for i in range(12)]})
    _stored(tmp_path, "customer_feedback", frame, {"date": "date", "comment": "comment"})
    at = _home(tmp_path, monkeypatch)
    assert not at.exception
    said = [i.value for i in at.info]
    assert any("customer feedback on Customer insights" in s for s in said)
    assert not any(s.startswith("No data yet") for s in said)


def test_favourable_answers_are_named_on_the_survey_s_own_scale(tmp_path, monkeypatch):
    # IBM's attrition file on 1-4: the heatmap and the Engagement card said favourable meant "4–5 of 5".
    frame = pd.DataFrame({"wave": "2026-Q1", "role": ["Sales", "Research"] * 20,
                          "JobSatisfaction": [str(1 + i % 4) for i in range(40)]})
    _stored(tmp_path, "survey", frame, {"wave": "wave", "role": "role", "items": ["JobSatisfaction"],
                                        "scale": {"min": 1, "max": 4}})
    at = _run_on(tmp_path, monkeypatch, "survey", "hr")
    assert not at.exception
    said = "\n".join(c.value for c in at.caption)
    assert "favourable answers (3–4 of 4)" in said and "4–5 of 5" not in said
    home = _home(tmp_path, monkeypatch, lang="ru")
    assert not home.exception
    card = next(m for m in home.metric if m.label == "Вовлечённость")
    assert "(3–4 из 4)" in card.help


def test_a_group_hidden_with_a_small_one_is_not_called_small(tmp_path, monkeypatch):
    # IBM's leavers by role: 33 sales representatives, hidden so that 2 research directors cannot be worked
    # out, read "fewer than 5 responses".
    roles = ["Research Director"] * 2 + ["Manager"] * 6 + ["Sales Executive"] * 30 + ["Laboratory Technician"] * 40
    _stored(tmp_path, "exit", pd.DataFrame({"exit_date": "2026-03-31", "role": roles}),
            {"exit_date": "exit_date", "role": "role"})
    at = _run_on(tmp_path, monkeypatch, "exits", "hr")
    assert not at.exception
    table = next(d.value for d in at.dataframe if "suppressed" in d.value.columns and "role" in d.value.columns)
    why = dict(zip(table["role"], table["suppressed"]))
    assert why["Manager"] == why["Research Director"] == "fewer than 5 responses, or hidden with such a group"
    assert why["Sales Executive"] == ""


def test_survey_compares_first_by_a_column_the_file_has(tmp_path, monkeypatch):
    # The restaurant reviews as a survey (no role): the heatmap opened on "role", one column "(not given)".
    frame = pd.DataFrame({"wave": "2026-Q1", "department": ["Hall", "Kitchen"] * 20,
                          "score_food": [str(i % 11) for i in range(40)]})
    _stored(tmp_path, "survey", frame, {"wave": "wave", "department": "department", "items": ["score_food"],
                                        "scale": {"min": 0, "max": 10}})
    at = _run_on(tmp_path, monkeypatch, "survey", "hr")
    assert not at.exception
    assert at.selectbox(key="heat_seg").value == "department"
    assert "Favourable answers by department" in _chart_titles(at)


def test_themes_by_group_start_with_a_column_the_text_has(tmp_path, monkeypatch):
    # Restaurant reviews as a survey: "Theme by role" opened as an empty chart (no review has a role).
    from eevp.store.db import connect
    from eevp.themes.run import analyze

    frame = pd.DataFrame({"wave": "2026-Q1", "department": ["Hall", "Kitchen"] * 60,
                          "text": [f"{TOPICS[i % 4]}, visit number {i}." for i in range(120)]})
    settings = _stored(tmp_path, "survey", frame, {"wave": "wave", "department": "department", "text": ["text"]})
    engine = connect(settings.database_url)
    analyze(engine, settings, embedder=FakeEmbedder(), steps=_steps(4), scope="all", actor=CLI_USER)
    engine.dispose()
    at = _run_on(tmp_path, monkeypatch, "themes", "hr")
    assert not at.exception
    assert at.selectbox(key="who_seg").value == "department"
    assert "Theme by department" in _chart_titles(at)


def test_themes_after_an_analysis_of_customer_feedback_alone_say_why_there_are_none(tmp_path, monkeypatch):
    # 404 restaurant reviews as customer feedback: the analysis ran (0 staff units), and Themes said "No themes
    # yet ... run 'python -m eevp analyze'".
    from eevp.pipeline import status_path
    from eevp.settings import Settings
    from eevp.store.db import connect

    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'eevp.db'}")
    connect(settings.database_url).dispose()
    status_path(settings).write_text(json.dumps({"pid": 1, "at": 0, "state": "done", "step": "done", "done": 1,
                                                 "total": 1, "units": 0, "themes": 0}), encoding="utf-8")
    at = _run_on(tmp_path, monkeypatch, "themes", "hr")
    assert not at.exception
    said = [i.value for i in at.info]
    assert said and said[0].startswith("The analysis found no survey comments")
    status_path(settings).unlink()  # no analysis yet: how to start one
    at = _run_on(tmp_path, monkeypatch, "themes", "hr")
    assert [i.value for i in at.info][0].startswith("No themes yet")


@pytest.mark.parametrize("name", ["home", "survey", "evp", "exits", "themes"])
def test_a_page_says_it_is_reading_while_its_data_is_read_anew(run_page, monkeypatch, name):
    # At a million responses a first view after new data took 5-35 s on a blank page. st.spinner shows its
    # note only past half a second, so a view served from the cache shows nothing.
    import contextlib

    import streamlit

    said = []

    @contextlib.contextmanager
    def spinner(text, **kwargs):
        said.append(text)
        yield

    monkeypatch.setattr(streamlit, "spinner", spinner)
    at = run_page(PAGES.get(name, "app.py"), lang="ru")
    assert not at.exception, [e.value for e in at.exception]
    assert "Читаем свежие данные: первый просмотр после новой загрузки занимает больше времени." in said
