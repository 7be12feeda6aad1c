"""Actions (#17): the register's permissions and audit, "since the action" computed by hand on a small
survey, theme actions following a refit, and the CLI commands."""

import json
import math
import uuid
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import insert, select
from test_analysis import add_units, steps
from test_themes import FakeEmbedder, make_corpus

from eevp.actions import register
from eevp.actions.targets import make_target, parse_target
from eevp.cli import main
from eevp.errors import AccessDenied, InputError, NotFoundError
from eevp.store import db
from eevp.store.auth import CLI_USER, User, add_user
from eevp.themes.read import theme_table
from eevp.themes.run import analyze
from eevp.themes.succession import move_theme_actions

ITEM = "Workload"


def add_wave(engine, wave: str, groups: dict[str, tuple[int, int]]) -> None:
    """One survey batch of one wave: per department (people, of them favourable: 5 of 5, the rest 2)."""
    with engine.begin() as conn:
        batch = conn.execute(insert(db.batches).values(
            kind="survey", name=wave, content_hash=uuid.uuid4().hex, created_at=db.now(),
            items_json=json.dumps([{"item": ITEM, "min": 1, "max": 5}]))).inserted_primary_key[0]
        n = 0
        for dept, (people, favourable) in groups.items():
            for i in range(people):
                n += 1
                rid = conn.execute(insert(db.survey_responses).values(
                    batch_id=batch, record_no=n, wave=wave, role="Agent", department=dept,
                    enps=9 if i < favourable else 3)).inserted_primary_key[0]
                conn.execute(insert(db.survey_scores).values(response_id=rid, item=ITEM, batch_id=batch,
                                                             score=5.0 if i < favourable else 2.0))


@pytest.fixture
def people(settings):
    """Accounts an action may be owned by."""
    add_user(settings, CLI_USER, "hanna", "a-test-password", "hr")
    add_user(settings, CLI_USER, "carl", "a-test-password", "cx")
    return settings


@pytest.fixture
def survey(engine):
    add_wave(engine, "2026-Q1", {"Sales": (20, 6), "Ops": (20, 10)})
    return engine


def audit(engine) -> list[tuple]:
    a = db.audit_log
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(a.c.username, a.c.action, a.c.detail).order_by(a.c.id))]


# --------------------------------------------------------------------------- targets

def test_targets_parse_as_the_cli_writes_them():
    assert parse_target("item:Workload|department=Sales").parts == {"item": "Workload", "dimension": "department",
                                                                     "value": "Sales"}
    assert parse_target("evp_gap:Gym|Engineer").parts == {"benefit": "Gym", "role": "Engineer"}
    assert parse_target("theme:12").parts == {"theme_id": 12}
    assert make_target("item", item="enps", dimension="role", value="Agent").spec == "item:enps|role=Agent"
    assert make_target("item", item="enps", dimension="role", value=None).spec == "item:enps"
    for bad in ("theme:x", "nothing:1", "item", "evp_gap:Gym", "item:W|department"):
        with pytest.raises(InputError):
            parse_target(bad)


# --------------------------------------------------------------------------- since the action, by hand

def test_since_the_action_is_the_favourable_share_then_and_now_with_its_test(survey, people):
    engine, settings = survey, people
    new_id = register.create_action(engine, settings, "item:Workload|department=Sales", "Fewer tickets",
                                    "hanna", "2026-06-30", actor=CLI_USER)
    assert register.get_action(engine, new_id, actor=CLI_USER)["baseline"] == {
        "period": "2026-Q1", "value": 0.3, "n": 20, "suppressed": False}
    add_wave(engine, "2026-Q2", {"Sales": (20, 14), "Ops": (20, 10)})
    since = register.since_action(engine, settings, new_id, actor=CLI_USER)
    assert since["then"] == {"period": "2026-Q1", "value": 0.3, "n": 20, "suppressed": False}
    assert since["now"] == {"period": "2026-Q2", "value": 0.7, "n": 20, "suppressed": False}
    # pooled share 0.5: z = 0.4 / sqrt(0.5 * 0.5 * (1/20 + 1/20)), two-sided p
    z = 0.4 / math.sqrt(0.25 * 0.1)
    assert since["delta"] == pytest.approx(0.4)
    assert since["p_value"] == pytest.approx(math.erfc(z / math.sqrt(2)))
    assert since["significant"] is True
    assert list(since["series"]["period"]) == ["2026-Q1", "2026-Q2"]


def test_an_action_recorded_later_starts_from_the_wave_it_answers(survey, people):
    engine, settings = survey, people
    add_wave(engine, "2026-Q2", {"Sales": (20, 14), "Ops": (20, 10)})
    new_id = register.create_action(engine, settings, "item:Workload|department=Sales", "Fewer tickets", "hanna",
                                    actor=CLI_USER, baseline_period="2026-Q1")
    since = register.since_action(engine, settings, new_id, actor=CLI_USER)
    assert (since["then"]["period"], since["then"]["value"], since["now"]["value"]) == ("2026-Q1", 0.3, 0.7)
    assert since["delta"] == pytest.approx(0.4)
    with pytest.raises(InputError, match="2026-Q1, 2026-Q2"):
        register.create_action(engine, settings, "item:Workload", "T", "hanna", actor=CLI_USER,
                               baseline_period="1999-Q1")


def test_enps_since_the_action_uses_the_enps_test(survey, people):
    engine, settings = survey, people
    new_id = register.create_action(engine, settings, "item:enps|department=Ops", "Listen", "hanna", actor=CLI_USER)
    add_wave(engine, "2026-Q2", {"Sales": (20, 6), "Ops": (20, 4)})
    since = register.since_action(engine, settings, new_id, actor=CLI_USER)
    # Ops: 10 of 20 promoters (9), the rest detractors (3): eNPS 0; then 4 of 20: 20 - 80 = -60
    assert (since["then"]["value"], since["now"]["value"]) == (0.0, -60.0)
    se = math.hypot(math.sqrt(1.0 / 20) * 100, math.sqrt((0.2 + 0.8 - 0.36) / 20) * 100)
    assert since["p_value"] == pytest.approx(math.erfc(60 / se / math.sqrt(2)))


def test_a_small_group_is_shown_as_suppressed(engine, people):
    add_wave(engine, "2026-Q1", {"Sales": (20, 6), "Ops": (20, 10), "Tiny": (3, 3)})
    new_id = register.create_action(engine, people, "item:Workload|department=Tiny", "Ask", "hanna", actor=CLI_USER)
    action = register.get_action(engine, new_id, actor=CLI_USER)
    assert action["baseline"]["suppressed"] and action["baseline"]["value"] is None
    since = register.since_action(engine, people, new_id, actor=CLI_USER)
    assert since["now"]["value"] is None and since["delta"] is None
    assert register.since_lines(since)[0] == ("then_hidden", {})
    assert register.SINCE_TEXTS["then_hidden"] == "When created: suppressed (too few people to show)."


def test_unknown_targets_owners_and_dates_are_refused(survey, people):
    cases = [("item:Nothing", "hanna", None, NotFoundError), ("item:Workload|department=Moon", "hanna", None,
             NotFoundError), ("exit_reason:Pay", "hanna", None, NotFoundError),
             ("theme:3", "hanna", None, NotFoundError), ("item:Workload", "nobody", None, InputError),
             ("item:Workload", "hanna", "30/06/2026", InputError)]
    for target, owner, due, error in cases:
        with pytest.raises(error):
            register.create_action(survey, people, target, "T", owner, due, actor=CLI_USER)
    assert register.list_actions(survey, actor=CLI_USER).empty


# --------------------------------------------------------------------------- permissions and audit

@pytest.mark.parametrize("role,may", [("admin", True), ("hr", True), ("cx", False), ("viewer", False)])
def test_who_may_create_an_action_on_a_survey_item(survey, people, role, may):
    actor = User(f"u-{role}", role)
    if may:
        assert register.create_action(survey, people, "item:Workload", "T", "hanna", actor=actor) > 0
    else:
        with pytest.raises(AccessDenied):
            register.create_action(survey, people, "item:Workload", "T", "hanna", actor=actor)


def test_viewers_read_within_their_scope_and_change_nothing(survey, people):
    ids = [register.create_action(survey, people, f"item:Workload{g}", "T", "hanna", actor=CLI_USER)
           for g in ("|department=Sales", "|department=Ops", "")]
    sales_viewer, viewer = User("v1", "viewer", ("Sales",)), User("v2", "viewer")
    assert register.list_actions(survey, actor=sales_viewer)["id"].tolist() == [ids[0]]
    assert sorted(register.list_actions(survey, actor=viewer)["id"]) == ids
    assert register.list_actions(survey, actor=User("c", "cx")).empty  # cx does not see the survey pages
    with pytest.raises(NotFoundError):
        register.get_action(survey, ids[1], actor=sales_viewer)
    with pytest.raises(AccessDenied):
        register.update_action(survey, ids[0], actor=viewer, status="done")
    with pytest.raises(AccessDenied):
        register.list_actions(survey, actor=User("x", "none"))


def test_every_change_is_audited_and_noted(survey, people):
    hr = User("hanna", "hr")
    new_id = register.create_action(survey, people, "item:Workload", "Fix rota", "hanna", "2020-01-31", actor=hr)
    assert register.get_action(survey, new_id, actor=hr)["overdue"] is True
    register.update_action(survey, new_id, actor=hr, status="in progress", note="Started")
    register.add_note(survey, new_id, "Half done", actor=hr)
    done = register.update_action(survey, new_id, actor=hr, status="done")
    assert done["status"] == "done" and done["overdue"] is False
    assert [a[:2] for a in audit(survey)] == [("hanna", "action_add")] + [("hanna", "action_update")] * 3
    assert "Fix rota" in audit(survey)[0][2] and "open -> in progress" in audit(survey)[1][2]
    notes = register.notes(survey, new_id, actor=hr)
    assert notes["note"].tolist() == ["Started", "Half done", ""]
    assert notes["status"].fillna("").tolist() == ["in progress", "", "done"]
    with pytest.raises(InputError):
        register.update_action(survey, new_id, actor=hr, status="finished")
    assert register.list_actions(survey, actor=hr, status="done")["id"].tolist() == [new_id]
    assert register.list_actions(survey, actor=hr, status="open").empty


# --------------------------------------------------------------------------- a refit

def _model(conn, scope: str = "all") -> int:
    return conn.execute(insert(db.theme_models).values(scope=scope, model_id="m", created_at=db.now(), n_units=0,
                                                       is_current=False)).inserted_primary_key[0]


def _assign(conn, model_row: int, units: list[int], themes: list[int]) -> None:
    conn.execute(insert(db.theme_assignments), [{"model_row": model_row, "unit_id": u, "theme_id": t, "batch_id": 1}
                                                for u, t in zip(units, themes)])


def _action_on(conn, model_row: int, theme_id: int) -> int:
    return conn.execute(insert(db.actions).values(
        kind="theme", target_key=str(theme_id), target_json=json.dumps({"theme_id": theme_id}), model_row=model_row,
        title="T", owner="hanna", status="open", created_at=db.now(), updated_at=db.now())).inserted_primary_key[0]


def test_a_theme_action_moves_to_the_theme_holding_most_of_its_statements_or_is_flagged(engine):
    units = add_units(engine, [f"text {i}" for i in range(20)])
    with engine.begin() as conn:
        old, new = _model(conn), _model(conn)
        _assign(conn, old, units, [0] * 10 + [1] * 10)
        # theme 0: 4 of its 10 statements in new theme 5, 3 in 6, 3 in none -> 5 (40%)
        # theme 1: 2 in each of five new themes -> at most 20%: gone
        _assign(conn, new, units, [5] * 4 + [6] * 3 + [-1] * 3 + [7, 7, 8, 8, 9, 9, 10, 10, 11, 11])
        kept, gone = _action_on(conn, old, 0), _action_on(conn, old, 1)
    assert move_theme_actions(engine, old, new, "all", actor=CLI_USER) == {"moved": 1, "gone": 1}
    a = db.actions
    with engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(select(a))}
    assert (rows[kept].target_key, rows[kept].model_row, rows[kept].target_gone) == ("5", new, False)
    assert json.loads(rows[kept].target_json) == {"theme_id": 5}
    assert (rows[gone].target_key, rows[gone].model_row, rows[gone].target_gone) == ("1", new, True)
    assert [x[1] for x in audit(engine)] == ["action_moved", "action_target_gone"]


def test_theme_actions_survive_a_refit(engine, settings):
    add_user(settings, CLI_USER, "hanna", "a-test-password", "hr")
    texts, _, _ = make_corpus(per_topic=30)
    add_units(engine, texts)
    emb = FakeEmbedder()
    first = analyze(engine, settings, embedder=emb, steps=steps(4), actor=CLI_USER)
    table = theme_table(engine)
    target = int(table["theme_id"].iloc[0])
    new_id = register.create_action(engine, settings, f"theme:{target}", "Act", "hanna", actor=CLI_USER)
    a = db.theme_assignments
    with engine.connect() as conn:
        before = {u for u, in conn.execute(select(a.c.unit_id).where(a.c.model_row == first["model_row"],
                                                                       a.c.theme_id == target))}
    refit = analyze(engine, settings, refit=True, embedder=emb, steps=steps(3), actor=CLI_USER)
    assert refit["actions"] == {"moved": 1, "gone": 0}
    action = register.get_action(engine, new_id, actor=CLI_USER)
    assert action["model_row"] == refit["model_row"] and not action["target_gone"]
    heir = int(action["target"].split(":")[1])
    with engine.connect() as conn:
        after = {u for u, in conn.execute(select(a.c.unit_id).where(a.c.model_row == refit["model_row"],
                                                                      a.c.theme_id == heir))}
        counts = {}
        for u, t in conn.execute(select(a.c.unit_id, a.c.theme_id).where(a.c.model_row == refit["model_row"])):
            if u in before and t >= 0:
                counts[t] = counts.get(t, 0) + 1
    assert heir == max(counts, key=counts.get) and len(before & after) / len(before) >= 0.3
    assert register.since_action(engine, settings, new_id, actor=CLI_USER)["now"]["value"] is not None


# --------------------------------------------------------------------------- the CLI

def test_cli_adds_lists_and_updates_actions(survey, people, monkeypatch, capsys):
    monkeypatch.setenv("EEVP_DATA_DIR", str(people.data_dir))

    def run(*args):
        capsys.readouterr()
        rc = main([*args, "--db", people.database_url, "--json"])
        out, err = capsys.readouterr()
        return rc, (json.loads(out) if out.strip() else None), err

    rc, added, _ = run("action", "add", "--target", "item:Workload|department=Sales", "--title", "Rota",
                       "--owner", "hanna", "--due", "2020-01-31")
    assert rc == 0 and added["target"] == "item:Workload|department=Sales" and added["baseline"]["value"] == 0.3
    rc, listed, _ = run("action", "list")
    assert rc == 0 and [(a["id"], a["overdue"], a["status"]) for a in listed["actions"]] == [(added["id"], True, "open")]
    rc, updated, _ = run("action", "update", str(added["id"]), "--status", "done", "--note", "Rota changed")
    assert rc == 0 and (updated["status"], updated["overdue"]) == ("done", False)
    rc, _, err = run("action", "add", "--target", "item:Workload", "--title", "X", "--owner", "nobody")
    assert rc == 1 and "has no account" in err
    assert run("action", "list", "--status", "open")[1] == {"actions": []}
    assert date.fromisoformat(run("action", "list")[1]["actions"][0]["due"]) == date(2020, 1, 31)


def test_count_open_and_action_row_read_a_list_of_actions():
    frame = pd.DataFrame({"id": [4, 7, 9], "status": ["open", "done", "in progress"]})
    assert register.count_open(frame) == 2
    assert register.action_row(frame, 7)["status"] == "done"
