"""The demo seeded with actions on its planted problems (eevp.actions.demo): a small demo stored, then
analysed with a fake embedder; the actions are created through the register, audited, once."""

import os
import re
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import select
from test_analysis import steps
from test_themes import FakeEmbedder

from eevp.actions import register
from eevp.actions.demo import demo_plan, seed_demo_actions, theme_by_phrase
from eevp.bootstrap import load_demo
from eevp.pipeline import run_all
from eevp.settings import Settings
from eevp.store import db
from eevp.store.auth import CLI_USER, DEMO_USER, User, add_user
from eevp.store.db import connect
from eevp.themes.read import theme_table

pytestmark = pytest.mark.skipif(bool(os.environ.get("EEVP_TEST_DATABASE_URL")),
                                reason="builds its own SQLite demo database")
TODAY = date.today()
ADMIN = User("cli", "admin")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A small demo with two accounts; (settings, engine, ids created when stored, ids after the analysis)."""
    folder = tmp_path_factory.mktemp("demo-actions")
    settings = Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'eevp.db'}")
    add_user(settings, CLI_USER, "hanna", "a-test-password", "hr")
    add_user(settings, CLI_USER, "carl", "a-test-password", "cx")
    engine = connect(settings.database_url)
    load_demo(engine, settings, actor=CLI_USER, n_employees=400)
    stored = register.list_actions(engine, actor=ADMIN)
    run_all(engine, settings, actor=CLI_USER, embedder=FakeEmbedder(), steps=steps(8))
    yield settings, engine, stored
    engine.dispose()


def test_storing_the_demo_creates_the_actions_that_need_no_themes(demo):
    _, _, stored = demo
    assert sorted(stored["kind"]) == ["evp_gap", "exit_reason", "item"]
    assert set(stored["target"]) == {"item:Career growth|role=Software Engineer",
                                     "evp_gap:Learning budget|Software Engineer", "exit_reason:Career growth"}


def test_the_analysis_adds_actions_on_the_planted_customer_themes(demo):
    settings, engine, _ = demo
    actions = register.list_actions(engine, actor=ADMIN, kind="customer_theme")
    themes = theme_table(engine, "customers").set_index("theme_id")
    plan = {p["title"]: p for p in demo_plan() if p.get("kind") == "customer_theme"}
    assert len(actions) == 2 and set(actions["title"]) == set(plan)
    for row in actions.to_dict("records"):
        theme = themes.loc[int(row["target"].split(":")[1])]
        words = " ".join([theme["label"], *theme["keywords"]])
        assert re.search(plan[row["title"]]["match"], words, re.IGNORECASE), (row["title"], words)
    assert actions["target"].nunique() == 2  # two planted problems, two themes


def test_owners_due_dates_statuses_and_notes(demo):
    settings, engine, _ = demo
    actions = register.list_actions(engine, actor=ADMIN, today=TODAY)
    assert len(actions) == len(demo_plan()) == 5
    assert set(actions["owner"]) == {"carl", "hanna"}
    assert set(actions["created_by"]) == {DEMO_USER.username}
    overdue = actions[actions["overdue"]]
    assert list(overdue["title"]) == ["Agree delivery dates with Logistics before promising them to customers"]
    done = actions[actions["status"] == "done"]
    assert list(done["target"]) == ["evp_gap:Learning budget|Software Engineer"]
    assert pd.to_datetime(done["due"]).dt.date.iloc[0] < TODAY and not done["overdue"].iloc[0]
    for action_id in actions["id"]:
        assert len(register.notes(engine, int(action_id), actor=ADMIN)) == 1


def test_each_action_starts_from_the_wave_it_answers_and_shows_a_change(demo):
    settings, engine, _ = demo
    planned = {p["title"]: p["since"] for p in demo_plan()}
    for row in register.list_actions(engine, actor=ADMIN).to_dict("records"):
        since = register.since_action(engine, settings, row["id"], actor=ADMIN)
        assert not since["target_gone"]
        if not since["then"]["suppressed"]:  # a small demo may hide a wave of a small group
            assert since["then"]["period"] == planned[row["title"]], row["target"]
            assert since["now"]["period"] == "2026-Q3" and since["delta"] is not None
    career = register.list_actions(engine, actor=ADMIN, kind="item").iloc[0]
    since = register.since_action(engine, settings, int(career["id"]), actor=ADMIN)
    assert since["delta"] < 0 and since["p_value"] is not None  # the planted decline goes on


def test_every_change_is_audited_as_the_demo(demo):
    _, engine, _ = demo
    a = db.audit_log
    with engine.connect() as conn:
        rows = conn.execute(select(a.c.action).where(a.c.username == DEMO_USER.username,
                                                     a.c.action.like("action_%"))).scalars().all()
    assert sorted(rows) == ["action_add"] * 5 + ["action_update"] * 5


def test_seeding_again_creates_nothing(demo):
    settings, engine, _ = demo
    assert seed_demo_actions(engine, settings, actor=DEMO_USER) == []
    assert len(register.list_actions(engine, actor=ADMIN)) == 5


def test_no_account_no_owner_no_action(settings, engine):
    assert seed_demo_actions(engine, settings, actor=DEMO_USER) == []


def test_a_role_that_may_not_manage_actions_is_refused(settings, engine):
    from eevp.errors import AccessDenied

    with pytest.raises(AccessDenied):
        seed_demo_actions(engine, settings, actor=User("v", "viewer"))


def test_theme_by_phrase_takes_the_largest_match_and_skips_outliers():
    themes = pd.DataFrame({"theme_id": [-1, 4, 2, 7], "label": ["hotline", "Pay", "Hotline callbacks", "hotline"],
                           "keywords": [["hotline"], ["salary"], ["callback"], ["queue"]],
                           "is_candidate": [False, False, False, False]})
    assert theme_by_phrase(themes, "hotline|callback") == 2
    assert theme_by_phrase(themes, "delivery") is None


def test_clearing_the_demo_takes_its_actions_and_keeps_those_of_people(demo):
    """Last in this file: it clears the module's demo."""
    from eevp.store.batches import clear_demo

    settings, engine, _ = demo
    mine = register.create_action(engine, settings, "exit_reason:Career growth", "Mine", "hanna", actor=ADMIN)
    clear_demo(engine, actor=User("hanna", "hr"))
    assert register.list_actions(engine, actor=ADMIN)["id"].tolist() == [mine]
    with engine.connect() as conn:
        details = conn.execute(select(db.audit_log.c.detail).where(db.audit_log.c.action == "action_delete")).scalars()
        assert list(details) == ["the demo's actions 1, 2, 3, 4, 5"]
