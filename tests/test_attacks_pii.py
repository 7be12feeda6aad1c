"""Attacks 12–17, 19 and 20 of issue 14: personal data that was stored, roles the library did not
check, sessions that outlived their account, and exports a spreadsheet could run.

Each test plays the attacker with what they can reach (a file to upload, the library functions the
pages call, the CLI, the login form, a downloaded CSV) and asserts the attack now fails.
"""

from __future__ import annotations

import ast
import csv
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, select

from tests.conftest import give_account
from eevp.bootstrap import load_demo
from eevp.cli import main
from eevp.errors import AccessDenied, DuplicateBatchError, ValidationFailed
from eevp.intake import ingest as ingest_module
from eevp.intake.ingest import ingest_file, rejected_frame
from eevp.intake.mapping import save_template
from eevp.intake.redact import Redactor
from eevp.pipeline import run_all
from eevp.safe import to_csv_bytes
from eevp.settings import Settings
from eevp.store import auth, db, queries
from eevp.store.auth import CLI_USER, User
from eevp.store.batches import clear_demo, delete_batch
from eevp.analytics import customers
from eevp.analytics.customers import tag_units
from eevp.themes.model import _themes_frame
from eevp.themes.read import search_units
from eevp.themes.run import analyze, annotate, embed_all, rename_theme

ROOT = Path(__file__).resolve().parents[1]
VIEWER = User("mallory", "viewer")
FORMULA = ("=", "+", "-", "@")


def csv_bytes(rows: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def stored_texts(engine) -> list[str]:
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(select(db.text_units.c.text).order_by(db.text_units.c.id))]


SURVEY_MAPPING = {"respondent_id": "Id", "wave": "wave", "role": "role", "text": ["Comment"],
                  "identifiers": ["Name", "Employee number"]}


def survey(engine, settings, people: list[tuple[str, str, str, str]]) -> list[str]:
    """people: (id, name, employee number, comment) → the stored, redacted text units."""
    rows = [["Id", "Name", "Employee number", "wave", "role", "Comment"]]
    rows += [[pid, name, number, "2026-Q1", "Agent", comment] for pid, name, number, comment in people]
    ingest_file(engine, settings, "survey", csv_bytes(rows), "s.csv", SURVEY_MAPPING, actor=CLI_USER)
    return stored_texts(engine)


# --------------------------------------------------------------------------- 12. titles before names

def test_attack12_names_after_titles_are_redacted(engine, settings):
    texts = survey(engine, settings, [("r1", "John Brown", "", "Ask Dr. Brown, Mrs. White and Ms. Smith."),
                                      ("r2", "Mary White", "", "ok"), ("r3", "Anna Smith", "", "fine"),
                                      ("r4", "Ivan Petrov", "", "Спасибо г-ну Петрову. Дякую пані Олені!")])
    joined = " ".join(texts)
    for name in ("Brown", "White", "Smith", "Петрову", "Олені"):
        assert name not in joined
    assert "Dr. [NAME], Mrs. [NAME] and Ms. [NAME]." in joined


def test_a_title_ends_no_sentence_but_a_full_stop_still_does():
    red = Redactor(["Grace Baker"])
    assert red.redact("Thanks to Mrs. Baker.") == "Thanks to Mrs. [NAME]."
    assert red.redact("It went well. Grace under pressure matters.") == "It went well. Grace under pressure matters."


# --------------------------------------------------------------------------- 13. identifiers typed into text

def test_attack13_identifier_values_typed_into_comments_are_redacted(engine, settings):
    texts = survey(engine, settings, [("EMP-7000", "", "104523", "I am EMP-7000, employee 104523."),
                                      ("EMP-7001", "", "104524", "Мой табельный номер 104524"),
                                      ("EMP-7002", "", "", "Табельный номер 731 не указан в файле, а таб. номер 55821 тоже")])
    joined = " ".join(texts)
    for value in ("EMP-7000", "104523", "104524", "55821"):
        assert value not in joined
    assert "I am [ID], employee [ID]." in joined


def test_numbers_that_are_no_identifiers_stay():
    red = Redactor(["104523"])
    text = "In 2024 we were 3000 people; the bonus was 104523.5 roubles."
    assert red.redact(text) == text


# --------------------------------------------------------------------------- 14. exit reasons

EXIT_MAPPING = {"exit_date": "exit_date", "role": "role", "department": "department", "reason": "reason",
                "other_reasons": ["Other reasons"], "identifiers": ["Name"]}
LEAKY_REASON = "Manager Olena Kovalenko, write olena.k@example.com or +44 7700 900123"


def test_attack14_exit_reasons_are_redacted_before_storing_and_reporting(engine, settings, capsys):
    rows = [["exit_date", "role", "department", "reason", "Other reasons", "Name"]]
    rows += [[f"2026-0{1 + i % 3}-15", "Agent", "IT", LEAKY_REASON, "Pay; ask Andy Bell at andy@example.com",
              "Olena Kovalenko" if i == 0 else f"Person {i}"] for i in range(12)]
    ingest_file(engine, settings, "exit", csv_bytes(rows), "x.csv", EXIT_MAPPING, actor=CLI_USER)
    with engine.connect() as conn:
        stored = conn.execute(select(db.exits.c.reason, db.exits.c.other_reasons_json)).all()
    capsys.readouterr()
    assert main(["report", "exits", "--by", "department", "--db", settings.database_url, "--json"]) == 0
    printed = capsys.readouterr().out
    for leak in ("Kovalenko", "olena.k@", "7700", "andy@", "Andy Bell"):
        assert all(leak not in r.reason and leak not in r.other_reasons_json for r in stored), leak
        assert leak not in printed, leak
    assert stored[0].reason == "Manager [NAME], write [EMAIL] or [PHONE]"
    assert json.loads(stored[0].other_reasons_json) == ["Pay", "ask [NAME] at [EMAIL]"]


# --------------------------------------------------------------------------- 15. names in no column, other alphabets

@pytest.mark.parametrize(("text", "expected"), [
    ("Thankyou Gillian for all the help", "Thankyou [NAME] for all the help"),
    ("Andy Bell was the best manager.", "[NAME] was the best manager."),
    ("Отдельное спасибо, Людмила, за поддержку.", "Отдельное спасибо, [NAME], за поддержку."),
    ("Людмила помогла мне с переводом.", "[NAME] помогла мне с переводом."),
    ("Dmitry Sokolov never answered.", "[NAME] never answered."),
    ("Руководитель Сергей Петров не слушает.", "Руководитель [NAME] не слушает."),
    ("Дякую Олені Коваленко за підтримку.", "Дякую [NAME] за підтримку."),
])
def test_attack15_names_that_are_in_no_column_are_redacted(text, expected):
    assert Redactor().redact(text) == expected


@pytest.mark.parametrize("text", [
    "Great place to work, good pay and benefits.", "I worked at Tesco and Asda in London for years.",
    "Вера в людей помогает.", "Надежда умирает последней.", "Зарплата в Москве выше, чем в Твери.",
    "Will recommend to friends. Mark my words.",
])
def test_ordinary_capitalised_words_are_no_names(text):
    assert Redactor().redact(text) == text


def test_attack15_a_latin_name_in_the_column_is_found_in_cyrillic_and_back(engine, settings):
    texts = survey(engine, settings, [("r1", "Olena Kovalenko", "", "Дякую Коваленкові та Олені за все"),
                                      ("r2", "Дмитрий Соколов", "", "Thanks to Dmitriy Sokolov's team"),
                                      ("r3", "Taras Shevchenko", "", "Шевченка не було на зустрічі")])
    joined = " ".join(texts)
    for name in ("Коваленк", "Олені", "Dmitriy", "Sokolov", "Шевченк"):
        assert name not in joined


class _Topics:
    """A fitted model as far as the keywords go: c-TF-IDF words per theme."""

    def __init__(self, words: dict[int, list[str]]):
        self.words = words

    def get_topic(self, t):
        return [(w, 1.0 / (i + 1)) for i, w in enumerate(self.words[t])]


def test_attack15_a_persons_name_never_becomes_a_theme_keyword():
    model = _Topics({0: ["gillian", "salary", "andy", "pay"], 1: ["людмила", "зарплата", "коваленко", "график"]})
    topics = np.array([0, 0, 0, 1, 1, 1])
    texts = ["Gillian salary pay"] * 3 + ["Людмила зарплата график"] * 3
    frame = _themes_frame(model, topics, texts, ["en"] * 3 + ["ru"] * 3, top_n=10)
    keywords = {w for ws in frame["keywords"] for w in ws}
    assert keywords == {"salary", "pay", "зарплата", "график"}
    assert not any(name in " ".join(frame["label"]).lower() for name in ("gillian", "andy", "людмила"))


# --------------------------------------------------------------------------- 16. roles in the library

@pytest.fixture
def one_batch(engine, settings):
    rows = [["Id", "Name", "Employee number", "wave", "role", "Comment"],
            ["r1", "", "", "2026-Q1", "Agent", "Customers wait on the phone."]]
    return ingest_file(engine, settings, "survey", csv_bytes(rows), "one.csv", SURVEY_MAPPING, actor=CLI_USER)


def batch_count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(db.batches)).scalar_one()


def test_attack16_a_viewer_cannot_change_anything_through_the_library(engine, settings, one_batch):
    calls = {
        "delete_batch": lambda a: delete_batch(engine, one_batch.batch_id, actor=a),
        "clear_demo": lambda a: clear_demo(engine, actor=a),
        "ingest_file": lambda a: ingest_file(engine, settings, "survey", b"wave,role\n2026-Q1,Agent\n", "v.csv",
                                             {"wave": "wave", "role": "role"}, actor=a),
        "run_all": lambda a: run_all(engine, settings, actor=a),
        "analyze": lambda a: analyze(engine, settings, actor=a),
        "annotate": lambda a: annotate(engine, actor=a),
        "embed_all": lambda a: embed_all(engine, settings, actor=a),
        "tag_units": lambda a: tag_units(engine, actor=a),
        "rename_theme": lambda a: rename_theme(engine, 1, 0, "Renamed", actor=a),
        "save_template": lambda a: save_template(engine, "t", "survey", ["wave"], {"wave": "wave"}, actor=a),
        "load_demo": lambda a: load_demo(engine, settings, actor=a),
        "search_units": lambda a: search_units(engine, "customers", actor=a),
    }
    for name, call in calls.items():
        for actor in (VIEWER, None, User("oidc@example.com", auth.NO_ROLE, source="oidc")):
            with pytest.raises(AccessDenied):
                call(actor)
            assert batch_count(engine) == 1, name
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(db.mapping_templates)).scalar_one() == 0
        assert conn.execute(select(db.text_units.c.sentiment)).scalar() is None  # annotate wrote nothing
    assert delete_batch(engine, one_batch.batch_id, actor=CLI_USER)["survey_responses"] == 1


def test_search_is_a_view_of_text_and_needs_the_quotes_permission(engine, settings, one_batch):
    with pytest.raises(AccessDenied):
        search_units(engine, "customers", actor=User("v", "viewer"))
    assert len(search_units(engine, "customers", actor=User("h", "hr"))) == 1


# What changes data, found in the source: a transaction, an insert/update/delete statement, a bulk
# insert, a write of the accounts file or a model file. A public function doing that (itself or through
# a private helper of its module) must take ``actor`` and check it with ``require(actor, ...)``, or hand
# ``actor`` to a function that does.
_WRITE_FUNCTIONS = {"insert_rows", "insert", "update", "delete", "_save", "save_model", "save_head"}
_WRITE_METHODS = {"begin", "write_text", "write_bytes", "unlink", "insert_rows"}
#: Public functions that write without an actor, each with the reason.
NO_ACTOR_NEEDED = {
    "eevp/store/db.py:connect": "creates and migrates the schema: no data of anyone",
    "eevp/store/db.py:migrate": "the schema",
    "eevp/store/db.py:reset_for_tests": "tests only",
    "eevp/store/db.py:fill_packed_scores": "a migration step (derived column)",
    "eevp/store/audit.py:record": "the audit log itself, written by checked functions",
    "eevp/store/auth.py:ensure_admin": "first start: creates the admin, whose password goes to the terminal",
    "eevp/store/auth.py:save_language": "a user's own interface language",
    "eevp/store/auth.py:authenticate": "stores a failed login (the login limit): no one is logged in yet",
    "eevp/store/bulk.py:insert_rows": "a step inside a checked transaction (takes an open connection)",
    "eevp/store/batches.py:drop_orphan_embeddings": "a step inside a checked transaction (takes a connection)",
    "eevp/themes/embeddings.py:embed_cached": "the vector cache, filled by checked analysis functions",
    "eevp/themes/model.py:save_model": "writes a fitted model file for a checked analysis",
    "eevp/text/lens_model.py:save_head": "training scripts, offline",
    "eevp/bootstrap.py:open_database": "first start: the app fills an empty database with the demo (DEMO_USER)",
    "eevp/themes/embeddings.py:embed_claimed": "the vector cache, filled by the checked embed_all",
    "eevp/store/claims.py:claim": "work claims of the checked embed_all (no data of anyone)",
    "eevp/store/claims.py:release": "work claims of the checked embed_all (no data of anyone)",
    "eevp/intake/feedback.py:store_feedback": "a step inside the checked ingest transaction (takes a connection)",
}


def _called(node: ast.AST) -> set[str]:
    """Names of the functions called (``f(...)``) and, prefixed with a dot, of the methods (``x.f(...)``)."""
    names = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            f = call.func
            names.add(f.id if isinstance(f, ast.Name) else "." + f.attr if isinstance(f, ast.Attribute) else "")
    return names


_WRITES = _WRITE_FUNCTIONS | {"." + m for m in _WRITE_METHODS}


def _writers(root: Path) -> dict[str, ast.FunctionDef]:
    """``file:function`` → definition, for every module-level function of ``eevp`` that writes: itself,
    through a private helper of its own module, or through a public writer of any module (by name)."""
    return _functions_that(root, lambda node, called: bool(called & _WRITES))


def _reads_text(node: ast.AST, called: set) -> bool:
    """Selects the ``text`` column of a table (``t.c.text``): statements as people wrote them."""
    return any(isinstance(a, ast.Attribute) and a.attr == "text" and isinstance(a.value, ast.Attribute)
               and a.value.attr == "c" for a in ast.walk(node))


def _functions_that(root: Path, does) -> dict[str, ast.FunctionDef]:
    """``file:function`` → definition of every module-level function of ``eevp`` for which ``does(node,
    called names)`` holds, or that calls one (a private one of its own module, a public one by name)."""
    funcs = {}
    for path in sorted((root / "eevp").rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef):
                funcs[f"{path.relative_to(root).as_posix()}:{node.name}"] = node
    calls = {key: _called(node) for key, node in funcs.items()}
    writes = {key for key in funcs if does(funcs[key], calls[key])}
    while True:
        public = {k.split(":")[1] for k in writes if not k.split(":")[1].startswith("_")}
        private = {k for k in writes if k.split(":")[1].startswith("_")}
        more = {k for k in funcs if k not in writes and (
            calls[k] & public or any(p.split(":")[0] == k.split(":")[0] and p.split(":")[1] in calls[k]
                                     for p in private))}
        if not more:
            return {k: funcs[k] for k in writes}
        writes |= more


def _checks_actor(node: ast.FunctionDef) -> bool:
    """Takes ``actor`` and calls ``require(actor, ...)`` or hands ``actor=`` on to another function."""
    params = {a.arg for a in node.args.args + node.args.kwonlyargs}
    calls = [c for c in ast.walk(node) if isinstance(c, ast.Call)]
    checks = any(isinstance(c.func, ast.Name) and c.func.id == "require" and c.args
                 and isinstance(c.args[0], ast.Name) and c.args[0].id == "actor" for c in calls)
    hands_on = any(k.arg == "actor" for c in calls for k in c.keywords)
    return "actor" in params and (checks or hands_on)


def unchecked_writers(root: Path) -> list[str]:
    """``file:function`` of each public function of ``eevp`` that writes but does not check an actor."""
    return [key for key, node in sorted(_writers(root).items())
            if not node.name.startswith("_") and key not in NO_ACTOR_NEEDED
            and Path(key.split(":")[0]).name not in ("cli.py", "commands.py", "__main__.py") and not _checks_actor(node)]


def test_attack16_every_public_function_that_writes_checks_the_actor():
    assert unchecked_writers(ROOT) == []


def unchecked_text_readers(root: Path) -> list[str]:
    """``file:function`` of each public function of ``eevp`` that reveals text (reads the statements' text
    itself or through another function) but does not check an actor (issue 14 item 4)."""
    return [key for key, node in sorted(_functions_that(root, _reads_text).items())
            if not node.name.startswith("_") and Path(key.split(":")[0]).name not in ("cli.py", "commands.py", "__main__.py")
            and not _checks_actor(node)]


def test_every_public_function_that_reveals_text_checks_the_actor():
    readers = _functions_that(ROOT, _reads_text)
    # the scan finds what a user reads: quotes, whole comments, search, the export, the review sample
    assert {"eevp/analytics/customers.py:quotes", "eevp/analytics/customers.py:search_quotes",
            "eevp/analytics/customers.py:whole_comments", "eevp/analytics/customers.py:review_queue",
            "eevp/themes/read.py:search_units", "eevp/store/lifecycle.py:export_texts",
            "eevp/store/queries.py:text_units_frame"} <= set(readers)
    assert unchecked_text_readers(ROOT) == []


def test_a_text_reader_without_the_check_is_found(tmp_path):
    pkg = tmp_path / "eevp"
    pkg.mkdir()
    (pkg / "mod.py").write_text(
        "def peek(engine):\n    return _rows(engine)\n\n"
        "def _rows(engine):\n    return engine.execute(select(t.c.text))\n\n"
        "def show(engine, *, actor):\n    require(actor, 'view_quotes')\n    return _rows(engine)\n\n"
        "def brief(engine, actor):\n    return peek(engine)\n\n"
        "def counts(engine):\n    return engine.execute(select(t.c.id))\n", encoding="utf-8")
    assert unchecked_text_readers(tmp_path) == ["eevp/mod.py:brief", "eevp/mod.py:peek"]


@pytest.mark.parametrize("call", [
    lambda e, u: customers.quotes(e, [1], actor=u), lambda e, u: customers.whole_comments(e, [], actor=u),
    lambda e, u: customers.review_queue(e, actor=u), lambda e, u: queries.text_units_frame(e, actor=u),
    lambda e, u: customers.search_quotes(e, [1], Settings(), actor=u),
], ids=["quotes", "whole_comments", "review_queue", "text_units_frame", "search_quotes"])
def test_a_viewer_reads_no_text_through_the_library(engine, call):
    with pytest.raises(AccessDenied):
        call(engine, User("v", "viewer"))
    with pytest.raises(AccessDenied):
        call(engine, None)


def test_the_writer_check_can_fail(tmp_path):
    pkg = tmp_path / "eevp"
    pkg.mkdir()
    (pkg / "mod.py").write_text(
        "def wipe(engine):\n    _go(engine)\n\n"
        "def _go(engine):\n    with engine.begin() as conn:\n        conn.execute(delete(t))\n\n"
        "def checked(engine, *, actor):\n    require(actor, 'delete')\n    _go(engine)\n\n"
        "def reader(engine):\n    return engine.connect()\n", encoding="utf-8")
    assert unchecked_writers(tmp_path) == ["eevp/mod.py:wipe"]


# --------------------------------------------------------------------------- 17. sessions and login

def _gate_script():
    import streamlit as st

    from webui.login import require_login

    require_login()
    st.write(f"inside as {st.session_state['user'].role}")


@pytest.fixture
def gate(settings, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("EEVP_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("EEVP_DATABASE_URL", settings.database_url)
    monkeypatch.delenv("EEVP_USERS_FILE", raising=False)
    monkeypatch.delenv("EEVP_ADMIN_PASSWORD", raising=False)
    monkeypatch.chdir(ROOT)
    st.cache_resource.clear()

    def run(at=None):
        at = AppTest.from_function(_gate_script, default_timeout=60) if at is None else at
        at.session_state["lang"] = "en"
        return at.run()

    yield run
    st.cache_resource.clear()


def _shown(at) -> str:
    return " ".join(str(e.value) for kind in ("markdown", "info", "warning", "error", "title", "caption")
                    for e in getattr(at, kind))


def test_attack17_a_removed_account_loses_its_open_session_at_once(gate, settings):
    auth.ensure_admin(settings)
    user = User("olena", "hr")
    give_account(settings.data_dir, user)
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_gate_script, default_timeout=60)
    at.session_state["user"] = user
    at = gate(at)
    assert "inside as hr" in _shown(at)
    auth.remove_user(settings, CLI_USER, "olena")
    at = gate(at)
    assert "inside" not in _shown(at)
    assert "Your account was removed" in _shown(at)


def test_attack17_a_downgraded_role_takes_effect_on_the_next_run(gate, settings):
    auth.ensure_admin(settings)
    give_account(settings.data_dir, User("olena", "admin"))
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_gate_script, default_timeout=60)
    at.session_state["user"] = User("olena", "admin")
    assert "inside as admin" in _shown(gate(at))
    give_account(settings.data_dir, User("olena", "viewer", ("Sales",)))
    at = gate(at)
    assert "inside as viewer" in _shown(at)
    assert at.session_state["user"] == User("olena", "viewer", ("Sales",))


def test_attack17_login_attempts_are_limited(settings, monkeypatch):
    monkeypatch.setenv("EEVP_ADMIN_PASSWORD", "the-right-password")
    auth.ensure_admin(settings)
    for _ in range(auth.MAX_FAILED_LOGINS):
        with pytest.raises(AccessDenied, match="Wrong username or password"):
            auth.authenticate(settings, "admin", "a-guess")
    with pytest.raises(AccessDenied, match="Too many failed logins"):
        auth.authenticate(settings, "admin", "the-right-password")
    with pytest.raises(AccessDenied, match="Wrong username or password"):
        auth.authenticate(settings, "someone-else", "a-guess")


def test_attack17_the_first_admin_password_is_shown_in_the_terminal_only(gate, settings, monkeypatch, capfd):
    monkeypatch.setattr(auth.secrets, "token_urlsafe", lambda n: "Generated-Secret-4711")
    at = gate()
    assert "Generated-Secret-4711" not in _shown(at)
    assert "printed in the terminal" in _shown(at)
    assert "Generated-Secret-4711" in capfd.readouterr().err
    assert auth.authenticate(settings, "admin", "Generated-Secret-4711").role == "admin"


def test_attack17_oidc_users_without_a_local_role_see_nothing(settings):
    user = auth.user_for_oidc(settings, "stranger@example.com")
    assert user.role == auth.NO_ROLE
    assert not any(user.can(p) for perms in auth.PERMISSIONS.values() for p in perms)
    frame = pd.DataFrame({"department": ["Sales", "IT"], "enps": [9, 3]})
    assert auth.restrict(user, frame).empty
    auth.add_user(settings, CLI_USER, "stranger@example.com", "long-enough-pw", "cx")
    assert auth.refresh(settings, user).role == "cx"  # an admin gives a role: it applies on the next run


# --------------------------------------------------------------------------- 19. formulas whatever the separator

def test_attack19_rejected_rows_csv_has_no_live_formula_for_any_list_separator(engine, settings):
    rows = [["wave", "role", "Comment"], ["", "Agent", "Thanks;=cmd|' /C calc'!A0"], ["2026-Q1", "Agent", "ok"]]
    raw = csv_bytes(rows)
    with pytest.raises(ValidationFailed) as info:
        ingest_file(engine, settings, "survey", raw, "r.csv", {"wave": "wave", "role": "role", "text": ["Comment"]},
                    actor=CLI_USER)
    frame = rejected_frame(pd.read_csv(io.BytesIO(raw), dtype=str), info.value.errors)
    out = to_csv_bytes(frame).decode("utf-8-sig")
    assert "cmd|" in out
    for delimiter in (",", ";", "\t", "|"):
        for row in csv.reader(io.StringIO(out, newline=""), delimiter=delimiter):
            assert not any(cell.lstrip(' "').startswith(FORMULA) for cell in row), (delimiter, row)


def test_attack19_export_texts_prints_no_formula(engine, settings, capsys):
    rows = [["wave", "role", "Comment"], ["2026-Q1", "Agent", '=HYPERLINK("http://evil.example","click")'],
            ["2026-Q1", "Agent", "fine\t+cmd|' /C calc'!A0"]]
    ingest_file(engine, settings, "survey", csv_bytes(rows), "h.csv", {"wave": "wave", "role": "role",
                                                                         "text": ["Comment"]}, actor=CLI_USER)
    capsys.readouterr()
    assert main(["export", "texts", "--db", settings.database_url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(len(line.split("\t")) == 3 for line in lines)
    for line in lines:
        assert not any(cell.lstrip(' "').startswith(FORMULA) for cell in line.split("\t")), line
    assert "HYPERLINK" in lines[0]


# --------------------------------------------------------------------------- 20. concurrent duplicate upload

def test_attack20_a_duplicate_that_passes_the_early_check_gives_exit_code_2(engine, settings, tmp_path,
                                                                           monkeypatch, capsys):
    path = tmp_path / "same.csv"
    path.write_bytes(csv_bytes([["wave", "role", "Comment"], ["2026-Q1", "Agent", "Fine."]]))
    mapping = {"wave": "wave", "role": "role", "text": ["Comment"]}
    (tmp_path / "m.json").write_text(json.dumps(mapping), encoding="utf-8")
    ingest_file(engine, settings, "survey", path.read_bytes(), "same.csv", mapping, actor=CLI_USER)
    # The other upload of the same file commits between this one's check and its insert.
    monkeypatch.setattr(ingest_module, "_check_duplicate", lambda engine, digest: None)
    with pytest.raises(DuplicateBatchError, match="already being stored or stored"):
        ingest_file(engine, settings, "survey", path.read_bytes(), "same.csv", mapping, actor=CLI_USER)
    capsys.readouterr()
    rc = main(["ingest", "survey", str(path), "--mapping", str(tmp_path / "m.json"), "--db", settings.database_url])
    assert rc == 2
    assert "already being stored or stored" in capsys.readouterr().err
    assert batch_count(engine) == 1


def _failing_step_script():
    import webui as ui

    def step():
        raise RuntimeError("IntegrityError: UNIQUE constraint failed: batches.content_hash")

    ui.guarded(step)


def test_attack20_the_upload_page_shows_a_message_never_a_traceback(settings, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.chdir(ROOT)
    at = AppTest.from_function(_failing_step_script, default_timeout=60)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert "Something went wrong (RuntimeError)" in at.error[0].value
    assert "UNIQUE constraint" not in at.error[0].value
    # every tab of the Upload page runs inside ui.guarded (the page's main() draws the tabs)
    tree = ast.parse((ROOT / "pages" / "1_Upload.py").read_text(encoding="utf-8"))
    main = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "main")
    tab_calls = [n.value.func for n in ast.walk(main) if isinstance(n, ast.With)
                 for n in n.body if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)]
    assert [ast.unparse(f) for f in tab_calls] == ["ui.guarded", "ui.guarded"]
