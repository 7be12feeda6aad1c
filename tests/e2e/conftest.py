"""Browser tests: one app server and one headless Chromium for all of tests/e2e/.

The server is ``python scripts/serve.py`` (``streamlit run app.py`` as ``scripts/run.sh`` starts it) on 127.0.0.1
(a free port) over a database built once here (:mod:`e2e_data`). The tests skip, not fail, when Debian's
Chromium (``/usr/bin/chromium``, installed by ``scripts/e2e_setup.sh``) or Playwright is missing, or when
``EEVP_SKIP_E2E=1``. With ``EEVP_TEST_DATABASE_URL`` set (the PostgreSQL run in CI) the app runs on that database.

Screenshots of every step go to ``$EEVP_E2E_ARTIFACTS`` (default ``/tmp/eevp-e2e-artifacts``; its .png and
.log files from an earlier run are removed first), with the server's log; a failing test adds the log's
tail to its report and a screenshot named ``…-FAILED``. The folder is printed at the end of the run.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from unittest import mock

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(os.environ.get("EEVP_E2E_ARTIFACTS") or "/tmp/eevp-e2e-artifacts")
#: Generous: the machines that run CI are small and busy.
TIMEOUT_MS = 90_000
STARTUP_S = 120
VIEWPORT = {"width": 1400, "height": 900}
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
FINISHED_EARLY_FOR_RERUN = 2  # streamlit.proto ForwardMsg.ScriptFinishedStatus


def _why_skip() -> str | None:
    if os.environ.get("EEVP_SKIP_E2E") == "1":
        return "EEVP_SKIP_E2E=1"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found: run 'bash scripts/e2e_setup.sh' (as root) to install Chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install playwright)"
    return None


# --------------------------------------------------------------------------- the server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with {proc.returncode}:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"streamlit did not answer within {STARTUP_S}s:\n{_tail(log)}")


def _tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class Server:
    """What the tests need to know about the running app."""

    def __init__(self, url: str, log: Path, accounts: dict[str, str], settings, build: dict, first_visit: list):
        self.url, self.log, self.accounts, self.settings, self.build = url, log, accounts, settings, build
        #: The kinds of message the server sent to the first visit after it started (to ``/survey``).
        self.first_visit = first_visit

    def query(self, sql: str, **params) -> list[tuple]:
        """Rows from the app's database (to check what the pages show against what is stored)."""
        from sqlalchemy import text

        from eevp.store.db import connect

        engine = connect(self.settings.database_url)
        try:
            with engine.connect() as conn:
                return [tuple(r) for r in conn.execute(text(sql), params).all()]
        finally:
            engine.dispose()

    def wait_for_analysis(self, timeout: float = 300) -> dict:
        """Wait until the background analysis an upload started has ended; its last status."""
        import time

        from eevp.pipeline import read_status

        deadline = time.monotonic() + timeout
        while True:
            status = read_status(self.settings) or {}
            if status.get("state") not in ("running", None) or time.monotonic() > deadline:
                return status
            time.sleep(0.5)


_server_log: Path | None = None
_build_seconds: dict = {}


@pytest.fixture(scope="package")
def server(browser, tmp_path_factory):
    """Start the app, build its database, create the accounts; stop the app after the last e2e test.

    The app starts first, and a browser tab opens it while the database is built: the app's first run
    (imports) overlaps the build. Before anyone logs in the app does not touch the database. That first
    visit is to a page's address (``/survey``), as a bookmark would open it; what the server sent it is kept.
    """
    global _server_log
    from e2e_data import build_database

    from eevp.store import auth
    from eevp.settings import Settings

    data_dir = tmp_path_factory.mktemp("e2e-data")
    db_url = os.environ.get("EEVP_TEST_DATABASE_URL") or ""
    settings = Settings(data_dir=data_dir, database_url=db_url)
    accounts = {"admin": secrets.token_urlsafe(12), "hr-anna": secrets.token_urlsafe(12)}
    # The first admin comes from EEVP_ADMIN_PASSWORD, as on a real first start.
    with mock.patch.dict(os.environ, {"EEVP_ADMIN_PASSWORD": accounts["admin"]}):
        auth.ensure_admin(settings)
    auth.add_user(settings, auth.CLI_USER, "hr-anna", accounts["hr-anna"], "hr")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in [*ARTIFACTS.glob("*.png"), *ARTIFACTS.glob("*.log")]:
        old.unlink()
    log = _server_log = ARTIFACTS / "streamlit-server.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("EEVP_")}
    env.update(
        EEVP_DATA_DIR=str(data_dir),
        EEVP_ADMIN_PASSWORD=accounts["admin"],
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        PYTHONUNBUFFERED="1",
    )
    if db_url:
        env["EEVP_DATABASE_URL"] = db_url
    if os.environ.get("EEVP_HASH_KEY"):  # else both sides use data_dir/secret.key
        env["EEVP_HASH_KEY"] = os.environ["EEVP_HASH_KEY"]
    port = _free_port()
    cmd = [
        sys.executable,
        "scripts/serve.py",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log)
        warm = browser.new_context(locale="en-US")
        first, first_visit = warm.new_page(), []
        first.on("websocket", lambda ws: ws.on("framereceived", lambda m: first_visit.append(_message_kind(m))))
        first.goto(url + "/survey", wait_until="commit")
        build = build_database(settings)
        _build_seconds.update(build["seconds"])
        first.wait_for_selector("[data-testid='stForm']", timeout=TIMEOUT_MS)  # the login form: the run ended
        warm.close()
        yield Server(url, log, accounts, settings, build, first_visit)
    finally:
        _stop(proc)


def _message(payload):
    """A message the server sent the browser (a ``ForwardMsg``), or None for any other frame."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    if not isinstance(payload, bytes):
        return None
    try:
        return ForwardMsg.FromString(payload)
    except Exception:  # noqa: BLE001 - not a ForwardMsg: not ours to read
        return None


def _message_kind(payload) -> str | None:
    """The kind of a message the server sent the browser ("script_finished", "page_not_found", …)."""
    msg = _message(payload)
    return msg.WhichOneof("type") if msg is not None else None


def _stop(proc: subprocess.Popen) -> None:
    """Stop the server we started (its own process group, by id)."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="package")
def browser():
    reason = _why_skip()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


class App:
    """One browser tab on the app: open pages, log in, wait for Streamlit, take screenshots.

    Waiting: the app's websocket is watched, and every script run that ends (the server's
    ``script_finished`` message; not the runs cut short by ``st.rerun()``) is counted. An action waits
    for the count to go up, then for the page to show the end of the run.
    """

    def __init__(self, page, server: Server, name: str):
        self.page, self.server, self.name, self.step, self.finished = page, server, name, 0, 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        msg = _message(payload)
        if msg is None:
            return
        if msg.WhichOneof("type") == "script_finished" and msg.script_finished != FINISHED_EARLY_FOR_RERUN:
            self.finished += 1

    # ---- navigation and waiting

    def open(self, path: str = "") -> App:
        """Open ``/path`` (a new Streamlit session) and wait for its first run to end."""
        self.act(lambda: self.page.goto(f"{self.server.url}/{path.lstrip('/')}"))
        return self

    def act(self, action) -> None:
        """Do something that runs the script (a click, a choice, a file) and wait for the run to end."""
        before = self.finished
        action()
        self.settle(before)

    def settle(self, before: int) -> None:
        """Wait for a run to end after ``before`` runs had, then for the page to stop changing."""
        page = self.page
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while self.finished <= before:
            if time.monotonic() > deadline:
                self.shot("NO-RUN")
                pytest.fail(f"no script run ended within {TIMEOUT_MS // 1000}s on {page.url}")
            page.wait_for_timeout(50)
        for _ in range(5):  # a run may start another (a widget's callback, a cache being filled)
            seen = self.finished
            page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
            page.wait_for_function(
                "() => !document.querySelector(\"[data-testid='stSkeleton'], [data-testid='stSpinner']\")",
                timeout=TIMEOUT_MS,
            )
            page.wait_for_timeout(300)
            if self.finished == seen and page.locator(IDLE).count():
                break
        self.assert_no_traceback()

    def login(self, username: str, password: str | None = None) -> None:
        """Fill the login form of the page that is open (any language) and wait for the page behind it."""
        password = self.server.accounts[username] if password is None else password
        form = self.page.locator("[data-testid='stForm']")
        form.locator("input[type='text']").fill(username)
        form.locator("input[type='password']").fill(password)
        self.act(lambda: form.locator("button[kind='primaryFormSubmit']").click())

    # ---- reading the page

    def assert_no_traceback(self) -> None:
        errors = self.page.locator("[data-testid='stException']")
        if errors.count():
            self.shot("TRACEBACK")
            pytest.fail(f"a Python traceback is shown on {self.page.url}:\n{errors.first.inner_text()}")

    def heading(self) -> str:
        titles = self.page.locator("[data-testid='stMain'] h1").all_inner_texts()
        return titles[0].strip() if titles else ""

    def nav_titles(self) -> list[str]:
        """The titles of the pages in the sidebar navigation."""
        links = self.page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()
        return [re.sub(r"\s+", " ", x).strip().split(" ", 1)[-1] for x in links]

    def go(self, title: str) -> None:
        """Open a page from the sidebar, as a user does (keeps the session)."""
        link = self.page.locator("[data-testid='stSidebarNav'] a").filter(has_text=title).first
        self.act(link.click)

    def choose(self, label: str, option: str) -> None:
        """Pick ``option`` in the select box or multiselect labelled ``label``."""
        box = self.page.get_by_role("combobox", name=label, exact=True)
        box.click()
        box.fill(option)
        self.act(self.page.get_by_role("option", name=option, exact=True).click)

    def select_value(self, label: str) -> str:
        """The value a select box shows."""
        return self.page.get_by_role("combobox", name=label, exact=True).input_value()

    def multiselect_values(self, label: str) -> list[str]:
        box = self.page.locator("[data-testid='stMultiSelect']").filter(
            has=self.page.get_by_role("combobox", name=label, exact=True)
        )
        return [x.strip() for x in box.locator("[data-tag]").all_inner_texts()]

    def metric(self, label: str) -> str:
        """The value of the metric card whose label starts with ``label``."""
        card = (
            self.page.locator("[data-testid='stMetric']")
            .filter(has=self.page.locator("[data-testid='stMetricLabel']", has_text=label))
            .first
        )
        return card.locator("[data-testid='stMetricValue']").inner_text().strip()

    def tab(self, title: str) -> None:
        """Show a tab (tabs switch in the browser; no rerun)."""
        self.page.get_by_role("tab", name=title, exact=True).click()
        self.page.wait_for_timeout(300)

    def quotes(self) -> list[str]:
        """Visible quotes (``ui.quote`` draws a Markdown block quote)."""
        return [
            x.strip()
            for x in self.page.locator("[data-testid='stMain'] blockquote").all_inner_texts()
            if x.strip()
        ]

    def alerts(self, kind: str = "") -> list[str]:
        """Texts of the alerts on the page; ``kind`` = "Error", "Warning", "Info" or "Success" for one kind."""
        return [
            x.strip() for x in self.page.locator(f"[data-testid^='stAlertContent{kind}']").all_inner_texts()
        ]

    def main_text(self) -> str:
        return self.page.locator("[data-testid='stMain']").inner_text()

    def main_text_with(self, text: str, timeout_ms: int = TIMEOUT_MS) -> str:
        """The page's text once it holds ``text``, or as it is after ``timeout_ms``: a page opened from the
        sidebar while another run ends (the analysis status of the page before) may still be drawing when
        :meth:`settle` returns (seen under load: Home's heading and onboarding drawn, its cards not yet)."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        with contextlib.suppress(PlaywrightTimeout):  # the caller's assertion says what is missing
            self.page.wait_for_function("t => document.querySelector(\"[data-testid='stMain']\")"
                                        "?.innerText.includes(t)", arg=text, timeout=timeout_ms)
        return self.main_text()

    # ---- screenshots

    def shot(self, step: str) -> Path:
        """A screenshot of the whole page (Streamlit scrolls inside stMain, so grow the window to fit)."""
        self.step += 1
        path = ARTIFACTS / f"{self.name}-{self.step:02d}-{re.sub(r'[^A-Za-z0-9_-]+', '-', step)}.png"
        page = self.page
        height = page.evaluate(
            "() => { const m = document.querySelector(\"[data-testid='stMain']\");"
            " return m ? m.scrollHeight : 0; }"
        )
        tall = max(VIEWPORT["height"], min(int(height) + 40, 7000))
        if tall > VIEWPORT["height"]:
            page.set_viewport_size({"width": VIEWPORT["width"], "height": tall})
            page.wait_for_timeout(300)  # charts re-measure their container
        page.screenshot(path=str(path), full_page=True)
        if tall > VIEWPORT["height"]:
            page.set_viewport_size(VIEWPORT)
        return path


@pytest.fixture
def new_app(browser, server, request):
    """Open browser tabs on the app: ``new_app(locale="ru-RU")``; each is its own Streamlit session."""
    contexts, apps = [], []

    def make(locale: str = "en-US") -> App:
        context = browser.new_context(locale=locale, viewport=VIEWPORT)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        suffix = "" if not apps else f"-{len(apps) + 1}"
        app = App(context.new_page(), server, re.sub(r"[^A-Za-z0-9_-]+", "-", request.node.name) + suffix)
        apps.append(app)
        return app

    yield make
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        for app in apps:
            with contextlib.suppress(Exception):  # the browser may be the thing that failed
                app.shot("FAILED")
    for context in contexts:
        context.close()


@pytest.fixture
def app(new_app):
    """One English browser tab."""
    return new_app()


# --------------------------------------------------------------------------- reporting


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
    if report.failed and report.when == "call" and _server_log is not None:
        report.sections.append(("streamlit server log (last lines)", _tail(_server_log)))


def pytest_terminal_summary(terminalreporter):
    if _server_log is not None:
        terminalreporter.write_line(
            f"e2e: database built in {_build_seconds}; screenshots and server log in {ARTIFACTS}"
        )
