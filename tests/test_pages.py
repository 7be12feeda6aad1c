"""Every page, run headless with Streamlit's AppTest on the demo organisation (analysed with a fake
embedder and PCA/KMeans so that it takes seconds): no exception, the expected content, and each role
sees only what it may."""

import os
from pathlib import Path

import pandas as pd
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
    "admin": "pages/8_Admin.py",
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
    engine.dispose()
    return folder


@pytest.fixture
def run_page(demo_dir, monkeypatch):
    monkeypatch.setenv("EEVP_DATA_DIR", str(demo_dir))
    monkeypatch.setenv("EEVP_DATABASE_URL", f"sqlite:///{demo_dir / 'eevp.db'}")
    monkeypatch.chdir(ROOT)

    def run(path: str, role: str = "admin") -> AppTest:
        at = AppTest.from_file(str(ROOT / path), default_timeout=120)
        at.session_state["user"] = User(f"test-{role}", role)
        give_account(demo_dir, at.session_state["user"])
        at.session_state["lang"] = "en"
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


def test_customer_page_shows_ranked_themes_with_badges(run_page):
    at = run_page(PAGES["customers"])
    text = _text(at)
    assert "Systemic" in text or "Local" in text


@pytest.mark.parametrize("role,name", [("viewer", "upload"), ("viewer", "themes"), ("viewer", "customers"),
                                       ("cx", "survey"), ("cx", "exits"), ("cx", "upload"), ("hr", "evp"),
                                       ("hr", "admin"), ("cx", "admin")])
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
