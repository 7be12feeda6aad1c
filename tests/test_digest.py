"""The leadership digest and its alerts: no value of a small group, user text escaped, nothing fetched,
delivery off by default; alerts on a planted rise."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from eevp.store.auth import CLI_USER
from eevp.analytics import alerts, digest
from eevp.cli import main
from eevp.delivery import send_digest
from eevp.errors import InputError
from eevp.settings import Settings

# Two waves. Engineers (15 a wave, in the department "R&D <IT>") lose career growth: all favourable in the
# first wave, 3 of 15 in the second. Agents (15, Support), sales reps (8, Sales) and accountants (7, Finance) stay as they were.
# Three drivers (Logistics) lose manager support from 5 to 1: a drop of 100 points that must never show
# (a group under the threshold of 5; the accountants are hidden with them, as its complement).
RND = "R&D <IT>"
STEADY = [("Agent", "Support", 15), ("Sales rep", "Sales", 8), ("Accountant", "Finance", 7)]


def _survey_csv() -> str:
    rows = ["respondent_id,wave,role,department,enps,Career growth,Manager support"]
    for w, wave in enumerate(["2026-Q1", "2026-Q2"]):
        for i in range(15):
            career = 5 if w == 0 or i < 3 else 1
            rows.append(f"e{w}-{i},{wave},Engineer,\"{RND}\",{8 + i % 3},{career},{3 + i % 3}")
        for role, dept, n in STEADY:
            rows += [f"{role}{w}-{i},{wave},{role},{dept},{6 + i % 5},{2 + i % 4},{3 + i % 3}" for i in range(n)]
        for i in range(3):
            rows.append(f"d{w}-{i},{wave},Driver,Logistics,{10 if w == 0 else 0},3,{5 if w == 0 else 1}")
    return "\n".join(rows) + "\n"


SURVEY_MAPPING = {"respondent_id": "respondent_id", "wave": "wave", "role": "role", "department": "department",
                  "enps": "enps", "items": ["Career growth", "Manager support"]}
CATALOG_CSV = "benefit,pillar,roles_offered\nHealth insurance,Rewards,all\nRemote work,Work-life,all\n"
# EVP: 8 agents and 7 engineers are shown; 2 drivers are hidden, and the 6 reps with them.
RATINGS_CSV = "respondent_id,wave,role,benefit,importance,satisfaction\n" + "".join(
    f"{role}{i},2026-Q2,{role},{b},5,{sat + i % 2}\n"
    for role, n, sat in (("Agent", 8, 1), ("Engineer", 7, 3), ("Driver", 2, 4), ("Rep", 6, 2)) for i in range(n)
    for b in ("Health insurance", "Remote work"))


@pytest.fixture
def cli(settings, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EEVP_DATA_DIR", str(tmp_path))
    for name in ("EEVP_DATABASE_URL", "EEVP_MIN_GROUP", "EEVP_MIN_COMMENT_GROUP", "EEVP_DIGEST_SMTP",
                 "EEVP_DIGEST_TO", "EEVP_DIGEST_WEBHOOK"):
        monkeypatch.delenv(name, raising=False)

    def run(*args: str):
        capsys.readouterr()
        rc = main([*args, "--db", settings.database_url, "--json"])
        out, err = capsys.readouterr()
        return rc, (json.loads(out) if out.strip() else None), err

    return run


@pytest.fixture
def stored(cli, tmp_path, engine):
    def put(kind, name, csv, mapping):
        (tmp_path / name).write_text(csv, encoding="utf-8")
        (tmp_path / f"{name}.json").write_text(json.dumps(mapping), encoding="utf-8")
        rc, out, err = cli("ingest", kind, str(tmp_path / name), "--mapping", str(tmp_path / f"{name}.json"))
        assert rc == 0, (out, err)

    put("survey", "s.csv", _survey_csv(), SURVEY_MAPPING)
    put("evp_catalog", "c.csv", CATALOG_CSV, {"benefit": "benefit", "pillar": "pillar", "roles_offered": "roles_offered"})
    put("evp_ratings", "r.csv", RATINGS_CSV, {"respondent_id": "respondent_id", "wave": "wave", "role": "role",
                                              "benefit": "benefit", "importance": "importance",
                                              "satisfaction": "satisfaction"})
    return engine


def test_the_digest_shows_the_drop_of_a_large_group_and_nothing_of_a_small_one(stored, settings):
    page, sections = digest.build(stored, settings, actor=CLI_USER)
    assert {"headline", "alerts", "drops", "evp"} <= set(sections)
    drops = page[page.index('id="drops"'):page.index("</section>", page.index('id="drops"'))]
    assert "R&amp;D &lt;IT&gt;" in drops and "Career growth" in drops
    assert "100%" in drops and "20%" in drops and "-80 pp" in drops
    # the drivers (3 people) and their department: neither their name nor their 100-point drop
    assert "Driver" not in page and "Logistics" not in page
    assert "−100" not in page and "-100 pp" not in page
    evp = page[page.index('id="evp"'):]
    assert "Agent" in evp and "Engineer" in evp and "Rep" not in evp
    assert evp.count("<tr>") == 5  # the header, and two benefits each of the agents and the engineers


def test_the_digest_escapes_what_files_bring_and_fetches_nothing(stored, settings):
    page, _ = digest.build(stored, settings, actor=CLI_USER)
    assert RND not in page and "R&amp;D &lt;IT&gt;" in page
    assert "<script" not in page.lower() and "<link" not in page.lower()
    assert not re.search(r"(src|href)\s*=", page, re.I) and "http://" not in page and "https://" not in page
    assert "@media print" in page and "<svg" in page  # printable, the chart inline


def test_a_section_builder_added_to_the_list_appears_in_the_digest(stored, settings):
    def actions(ctx):
        return digest.Section("actions", ctx.t("Open and overdue actions"), "<p>none</p>")

    _, sections = digest.build(stored, settings, builders=[*digest.SECTION_BUILDERS[:1], actions], actor=CLI_USER)
    assert sections == ["headline", "actions"]


def test_user_text_in_summaries_and_charts_is_escaped():
    svg = digest.svg_bars([("<script>alert(1)</script>", 3.0), ("A & B", 1.0)])
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "A &amp; B" in svg
    page = digest.render([digest.Section("x", "T", digest.esc('<img src="http://x">'))], title="<b>")
    assert "<img" not in page and "<b>" not in page


def test_since_compares_with_the_wave_asked_for(stored, settings, cli, tmp_path):
    rc, out, _ = cli("digest", "--html", str(tmp_path / "d.html"), "--since", "2026-Q1")
    assert rc == 0 and "drops" in out["sections"] and out["sent"] == []
    assert "2026-Q1" in (tmp_path / "d.html").read_text(encoding="utf-8")
    rc, _, err = cli("digest", "--html", str(tmp_path / "d.html"), "--since", "1999-Q1")
    assert rc == 1 and "1999-Q1" in err


def test_sending_is_off_unless_configured(stored, cli, tmp_path):
    rc, _, err = cli("digest", "--send")
    assert rc == 1 and "EEVP_DIGEST_SMTP" in err


def test_the_digest_goes_to_the_smtp_relay_and_the_webhook():
    got = {}

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            got["relay"] = (host, port)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, msg):
            got["to"], got["html"] = msg["To"], msg.get_body(("html",)).get_content()

    class FakeResponse:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def fake_post(request, timeout):
        got["url"], got["body"] = request.full_url, request.data
        return FakeResponse()

    settings = Settings.from_env({"EEVP_DIGEST_SMTP": "relay.local:2525", "EEVP_DIGEST_TO": "a@x.org, b@x.org",
                                  "EEVP_DIGEST_WEBHOOK": "http://hooks.local/digest"})
    sent = send_digest("<p>digest</p>", settings, smtp=FakeSMTP, post=fake_post)
    assert sent == ["smtp:relay.local:2525", "webhook"]
    assert got["relay"] == ("relay.local", 2525) and got["to"] == "a@x.org, b@x.org"
    assert "<p>digest</p>" in got["html"] and got["body"] == b"<p>digest</p>"
    with pytest.raises(InputError, match="EEVP_DIGEST_TO"):
        send_digest("x", Settings.from_env({"EEVP_DIGEST_SMTP": "localhost:25"}), smtp=FakeSMTP)


# --------------------------------------------------------------------------- alerts

def _writers(wave: str, n: int, themes: dict[int, int], start: int) -> list[dict]:
    """``n`` people writing in ``wave``; the first ``themes[t]`` of them (after the earlier themes) raise t."""
    rows, p = [], 0
    for tid, k in themes.items():
        rows += [{"unit_id": start + p + i, "theme_id": tid, "person": f"{wave}-{p + i}", "kind": "survey",
                  "department": "Ops", "wave": wave, "date": None} for i in range(k)]
        p += k
    rows += [{"unit_id": start + i, "theme_id": -1, "person": f"{wave}-{i}", "kind": "survey", "department": "Ops",
              "wave": wave, "date": None} for i in range(p, n)]
    return rows


def test_alerts_find_the_planted_rise_and_the_new_theme():
    units = pd.DataFrame(_writers("W1", 100, {0: 10, 2: 20, 3: 3}, 0) + _writers("W2", 200, {0: 40, 1: 15, 2: 40, 3: 30},
                                                                               1000))
    labels = pd.Series({0: "Rising", 1: "New", 2: "Steady", 3: "From a few"})
    out = alerts.theme_changes(units, labels, 10)
    assert (out["previous"], out["latest"]) == ("W1", "W2")
    assert [r["label"] for r in out["rising"]] == ["Rising"]
    assert out["rising"][0]["previous_share"] == pytest.approx(0.10) and out["rising"][0]["share"] == pytest.approx(0.20)
    assert sorted(r["label"] for r in out["new"]) == ["From a few", "New"]
    # the theme raised by 3 people in W1 is new in W2: its W1 share (a small cell) is given nowhere
    assert all("previous_share" not in r for r in out["new"])


def test_no_alert_without_a_significant_change():
    units = pd.DataFrame(_writers("W1", 100, {0: 20}, 0) + _writers("W2", 100, {0: 24}, 1000))
    out = alerts.theme_changes(units, pd.Series({0: "Steady"}), 10)
    assert out["rising"] == [] and out["new"] == []


def test_group_drops_are_significant_and_never_of_a_hidden_group(stored):
    from eevp.store import queries

    wide, items, waves = queries.survey_wide(stored), queries.survey_items(stored), queries.wave_order(stored)
    drops = alerts.group_drops(wide, items, waves, 5)
    assert ("department", RND, "Career growth") in set(zip(drops["segment"], drops["group"], drops["item"]))
    assert np.allclose(drops["delta"], -0.8)
    assert "Driver" not in set(drops["group"]) and "Logistics" not in set(drops["group"])
    assert alerts.item_drops(wide, items, waves, 5)["item"].tolist() == ["Career growth"]


def test_alerts_are_kept_after_an_analysis_for_home_and_audited(stored, settings):
    from sqlalchemy import select

    from eevp.errors import AccessDenied
    from eevp.store import db
    from eevp.store.auth import CLI_USER, User

    assert alerts.latest_snapshot(stored) is None
    with pytest.raises(AccessDenied):
        alerts.save_snapshot(stored, settings, actor=User("v", "viewer"))
    snap = alerts.save_snapshot(stored, settings, actor=CLI_USER)
    kept = alerts.latest_snapshot(stored)
    assert kept["themes"] == snap["themes"] and kept["systemic"] == [] and kept["created_at"] is not None
    with stored.connect() as conn:
        actions = conn.execute(select(db.audit_log.c.action)).scalars().all()
        db._alert_snapshots_v7(conn)  # the migration again: nothing to do, no error
    assert actions.count("alerts") == 1


def test_alert_lines_in_the_interface_language():
    themes = {"new": [{"label": "Parking", "people": 12}],
              "rising": [{"label": "Pay", "previous_share": 0.1, "share": 0.25}]}
    lines = alerts.alert_lines(themes, [{"label": "Hotline", "reach": 40}],
                               [{"item": "Career growth", "previous": 0.44, "current": 0.31}])
    assert lines == ["New theme: Parking (12 people)", "Rising theme: Pay (10% → 25% of the people who wrote)",
                     "Customer theme now systemic: Hotline (40 people)", "Item dropping: Career growth (44% → 31% favourable)"]
    assert alerts.alert_lines(themes, [], [], "uk")[0] == "Нова тема: Parking (людей: 12)"


# --------------------------------------------------------------------------- the actions section (eevp.actions.digest)

@pytest.fixture
def with_actions(stored, settings):
    """Open actions on the engineers' department (overdue), the Support department and the 3 drivers of
    Logistics (a hidden group), and a done one on the agents' EVP gap."""
    from eevp.actions import register
    from eevp.store.auth import add_user

    add_user(settings, CLI_USER, "hanna", "a-test-password", "hr")
    ids = {}
    for name, target, due in (("Career talks", f"item:Career growth|department={RND}", "2020-01-31"),
                              ("Coach the support leads", "item:Manager support|department=Support", "2999-01-01"),
                              ("Drivers' manager", "item:Manager support|department=Logistics", "2999-01-01"),
                              ("Remote days <agents>", "evp_gap:Remote work|Agent", "2999-01-01")):
        ids[name] = register.create_action(stored, settings, target, name, "hanna", due, actor=CLI_USER)
    register.update_action(stored, ids["Remote days <agents>"], actor=CLI_USER, status="done", note="Done.")
    register.update_action(stored, ids["Coach the support leads"], actor=CLI_USER, status="in progress")
    return stored


def _actions_part(page: str) -> str:
    start = page.index('id="actions"')
    return page[start:page.index("</section>", start)]


def _row_of(part: str, title: str) -> str:
    start = part.index(title)
    return part[start:part.index("</tr>", start)]


def test_open_actions_are_listed_with_the_overdue_one_flagged_first(with_actions, settings):
    from eevp.actions import digest as action_digest

    page, sections = action_digest.build(with_actions, settings, actor=CLI_USER)
    assert sections[-1] == "actions"
    part = _actions_part(page)
    assert "Remote days" not in part  # done: not open
    titles = [x.strip() for x in re.findall(r"<tr><td>([^<]+)", part)]
    assert titles == ["Career talks", "Coach the support leads", "Drivers&#x27; manager"]
    assert _row_of(part, "Career talks").count('class="badge overdue">Overdue') == 1
    assert "Overdue" not in _row_of(part, "Coach the support leads")
    assert "Open: 3; overdue: 1." in part
    career = _row_of(part, "Career talks")
    assert "hanna" in career and "2020-01-31" in career and "open" in career
    assert "Survey item: Career growth · Department: R&amp;D &lt;IT&gt;" in career
    assert "When created (2026-Q2): 0.2, 15 people." in career  # 3 of 15 favourable
    assert "in progress" in _row_of(part, "Coach the support leads")


def test_no_value_of_a_group_under_the_threshold(with_actions, settings):
    from eevp.actions import digest as action_digest

    part = _actions_part(action_digest.build(with_actions, settings, actor=CLI_USER)[0])
    drivers = _row_of(part, "Drivers&#x27; manager")
    since = drivers.split("<td>")[-1]
    assert "suppressed (too few people to show)" in since
    assert not re.search(r"\d", since)  # neither a share nor a count of the 3 drivers


def test_a_viewer_sees_only_the_actions_of_their_departments(with_actions, settings):
    from eevp.actions import digest as action_digest
    from eevp.analytics.digest import Context
    from eevp.store.auth import User

    viewer = User("v", "viewer", ("Support",))
    section = action_digest.actions_section(Context(with_actions, settings, actor=viewer))
    assert [x.strip() for x in re.findall(r"<tr><td>([^<]+)", section.body)] == ["Coach the support leads"]
    assert "Career" not in section.body and "Drivers" not in section.body
    assert action_digest.actions_section(Context(with_actions, settings, actor=User("n", "none"))) is None


def test_the_actions_section_in_russian_and_ukrainian(with_actions, settings):
    from eevp.actions import digest as action_digest
    from eevp.analytics.digest import Context

    ru = action_digest.actions_section(Context(with_actions, settings, lang="ru", actor=CLI_USER))
    uk = action_digest.actions_section(Context(with_actions, settings, lang="uk", actor=CLI_USER))
    assert ru.title == "Открытые и просроченные действия" and uk.title == "Відкриті та прострочені дії"
    assert "Просрочено" in ru.body and "Срок" in ru.body and "31.01.2020" in ru.body
    assert "Прострочено" in uk.body and "Термін" in uk.body and "у роботі" in uk.body
    assert "Вопрос опроса: Manager support · Подразделение: Support" in ru.body
    assert "Overdue" not in ru.body + uk.body and "When created" not in ru.body + uk.body


def test_no_open_action_says_so(stored, settings):
    from eevp.actions import digest as action_digest
    from eevp.analytics.digest import Context

    section = action_digest.actions_section(Context(stored, settings, actor=CLI_USER))
    assert section.body == "<p>No open action.</p>"


def test_an_action_whose_target_left_the_data_does_not_break_the_digest(with_actions, settings):
    from eevp.actions import digest as action_digest
    from eevp.analytics.digest import Context
    from eevp.store.batches import delete_batch, list_batches

    for batch_id in list_batches(with_actions).query("kind == 'survey'")["id"]:
        delete_batch(with_actions, int(batch_id), actor=CLI_USER)
    section = action_digest.actions_section(Context(with_actions, settings, actor=CLI_USER))
    assert section.body.count("The target of this action is no longer in the data.") == 3
