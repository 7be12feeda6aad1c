import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from eevp.store import auth
from eevp.errors import AccessDenied, InputError
from eevp.store.db import connect, login_failures

ROOT = Path(__file__).resolve().parents[1]


def test_first_run_creates_admin_with_generated_password(settings, monkeypatch):
    monkeypatch.delenv("EEVP_ADMIN_PASSWORD", raising=False)
    password = auth.ensure_admin(settings)
    assert password and len(password) >= 12
    stored = json.loads(auth.users_path(settings).read_text())
    assert stored["users"]["admin"]["role"] == "admin"
    assert password not in auth.users_path(settings).read_text()  # only the hash is stored
    assert stored["users"]["admin"]["hash"].startswith("$argon2")
    assert auth.authenticate(settings, "admin", password).role == "admin"
    assert auth.ensure_admin(settings) is None  # never again


def test_admin_password_from_environment(settings, monkeypatch):
    monkeypatch.setenv("EEVP_ADMIN_PASSWORD", "from-the-env-123")
    assert auth.ensure_admin(settings) is None
    assert auth.authenticate(settings, "admin", "from-the-env-123").username == "admin"


def test_wrong_password_and_unknown_user_get_the_same_answer(settings, monkeypatch):
    monkeypatch.setenv("EEVP_ADMIN_PASSWORD", "correct-horse-battery")
    auth.ensure_admin(settings)
    with pytest.raises(AccessDenied) as a:
        auth.authenticate(settings, "admin", "wrong")
    with pytest.raises(AccessDenied) as b:
        auth.authenticate(settings, "nobody", "wrong")
    assert str(a.value) == str(b.value)


@pytest.mark.parametrize("role,action,allowed", [
    ("admin", "delete", True), ("admin", "users", True), ("hr", "upload", True), ("hr", "delete", False),
    ("hr", "refit", False), ("hr", "analyze", True), ("cx", "analyze", False), ("viewer", "analyze", False),
    ("hr", "users", False), ("cx", "view_customers", True), ("cx", "view_records", False),
    ("cx", "upload", False), ("cx", "view_dashboards", False), ("viewer", "view_dashboards", True),
    ("viewer", "upload", False), ("viewer", "view_quotes", False), ("viewer", "export", False),
])
def test_role_permissions(role, action, allowed):
    user = auth.User("u", role)
    assert user.can(action) is allowed
    if allowed:
        auth.require(user, action)
    else:
        with pytest.raises(AccessDenied):
            auth.require(user, action)


def test_only_admins_manage_users(settings, monkeypatch):
    monkeypatch.setenv("EEVP_ADMIN_PASSWORD", "correct-horse-battery")
    auth.ensure_admin(settings)
    admin = auth.authenticate(settings, "admin", "correct-horse-battery")
    auth.add_user(settings, admin, "olena", "a-long-password", "hr")
    hr = auth.authenticate(settings, "olena", "a-long-password")
    with pytest.raises(AccessDenied):
        auth.add_user(settings, hr, "mallory", "a-long-password", "admin")
    with pytest.raises(InputError):
        auth.add_user(settings, admin, "x", "short", "hr")
    with pytest.raises(InputError):
        auth.add_user(settings, admin, "x", "a-long-password", "superuser")
    assert [u["username"] for u in auth.list_users(settings, admin)] == ["admin", "olena"]
    with pytest.raises(AccessDenied):
        auth.require(None, "view_dashboards")


def test_a_viewer_limited_to_departments_sees_only_their_rows():
    import pandas as pd

    from eevp.store.auth import User, restrict

    df = pd.DataFrame({"department": ["Sales", "IT", "Ops", "Sales"], "x": [1, 2, 3, 4]})
    assert restrict(User("v", "viewer", ("Sales",)), df)["x"].tolist() == [1, 4]
    assert restrict(User("v", "viewer", ("Sales", "Ops")), df)["x"].tolist() == [1, 3, 4]
    assert restrict(User("v", "viewer"), df)["x"].tolist() == [1, 2, 3, 4]
    assert restrict(User("h", "hr", ("Sales",)), df)["x"].tolist() == [1, 2, 3, 4]
    assert restrict(None, df).empty


def test_a_session_token_logs_the_user_in_again_until_it_expires_or_the_password_changes(settings, monkeypatch):
    monkeypatch.delenv("EEVP_USERS_FILE", raising=False)
    monkeypatch.setenv("EEVP_ADMIN_PASSWORD", "first-admin-Passw0rd")
    auth.ensure_admin(settings)
    anna = auth.add_user(settings, auth.CLI_USER, "анна", "Passw0rd-anna-1", "hr")
    token = auth.session_token(settings, anna, hours=1, now=1000.0)
    assert auth.user_from_token(settings, token, now=1000.0 + 3599) == anna
    assert auth.user_from_token(settings, token, now=1000.0 + 3601) is None  # expired
    name, expires, signature = token.split(".")
    assert auth.user_from_token(settings, f"{name}.{int(expires) + 10**6}.{signature}", now=1000.0) is None
    admin_name = auth.session_token(settings, auth.User("admin", "admin"), now=1000.0).split(".")[0]
    assert auth.user_from_token(settings, f"{admin_name}.{expires}.{signature}", now=1000.0) is None  # forged
    assert auth.user_from_token(settings, "garbage", now=1000.0) is None
    assert auth.user_from_token(settings, None) is None
    auth.add_user(settings, auth.CLI_USER, "анна", "Passw0rd-anna-2", "hr")  # a new password
    assert auth.user_from_token(settings, token, now=1000.0) is None


def test_the_login_limit_outlives_a_restart_and_ends_with_its_window(settings, engine, monkeypatch):
    # Issue 14 item 4: the failures were counted in memory, so restarting the app reset the limit.
    monkeypatch.setenv("EEVP_ADMIN_PASSWORD", "the-right-password")
    auth.ensure_admin(settings)
    start = 1_000_000.0
    for i in range(auth.MAX_FAILED_LOGINS):
        with pytest.raises(AccessDenied, match="Wrong username or password"):
            auth.authenticate(settings, "admin", "a-guess", engine, now=start + i)
    engine.dispose()  # a restart: nothing kept in the process counts; the database does
    again = connect(settings.database_url)
    with pytest.raises(AccessDenied, match="Too many failed logins.*15 minutes"):
        auth.authenticate(settings, " Admin ", "the-right-password", again, now=start + 10)
    # the first failure leaves the window: one more guess is allowed, and the right password works
    after = start + auth.LOGIN_WINDOW_S + 0.5
    assert auth.authenticate(settings, "admin", "the-right-password", again, now=after).role == "admin"
    with again.connect() as conn:
        assert conn.execute(select(func.count()).select_from(login_failures)).scalar() == auth.MAX_FAILED_LOGINS
    again.dispose()


#: A second app process: tries the right password on the same database and prints what it is told.
_OTHER_PROCESS = """import sys
from pathlib import Path
from eevp.errors import AccessDenied
from eevp.settings import Settings
from eevp.store import auth
try:
    print(auth.authenticate(Settings(data_dir=Path(sys.argv[1]), database_url=sys.argv[2]), "admin", sys.argv[3]).role)
except AccessDenied as exc:
    print(exc)
"""


def test_the_login_limit_is_shared_by_every_process_on_the_database(settings, engine, monkeypatch):
    # Issue 14 item 3: two app processes (or two server replicas) on one database count the same failures,
    # so guessing cannot be spread over them: half the failures in each engine, then a separate process.
    monkeypatch.setenv("EEVP_ADMIN_PASSWORD", "the-right-password")
    auth.ensure_admin(settings)
    other = connect(settings.database_url)
    for i in range(auth.MAX_FAILED_LOGINS):
        with pytest.raises(AccessDenied, match="Wrong username or password"):
            auth.authenticate(settings, "admin", "a-guess", (engine, other)[i % 2])
    other.dispose()
    with pytest.raises(AccessDenied, match="Too many failed logins"):
        auth.authenticate(settings, "admin", "the-right-password", engine)
    run = subprocess.run([sys.executable, "-c", _OTHER_PROCESS, str(settings.data_dir), settings.database_url,
                          "the-right-password"], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Too many failed logins for this account"), run.stdout


def test_failed_logins_are_counted_per_account(settings, engine, monkeypatch):
    monkeypatch.setenv("EEVP_ADMIN_PASSWORD", "the-right-password")
    auth.ensure_admin(settings)
    for _ in range(auth.MAX_FAILED_LOGINS - 1):
        with pytest.raises(AccessDenied, match="Wrong"):
            auth.authenticate(settings, "someone", "a-guess", engine)
    assert auth.authenticate(settings, "admin", "the-right-password", engine).role == "admin"
    with pytest.raises(AccessDenied, match="Wrong"):
        auth.authenticate(settings, "someone", "a-guess", engine)  # the fifth failure
    with pytest.raises(AccessDenied, match="Too many"):
        auth.authenticate(settings, "someone", "a-guess", engine)


def test_an_oidc_user_sees_nothing_until_an_admin_gives_a_role(settings):
    # Issue 14 item 4: "OIDC users without a local role see nothing until an admin gives them one".
    import pandas as pd

    frame = pd.DataFrame({"department": ["Sales", "IT"], "enps": [9, 3]})
    stranger = auth.user_for_oidc(settings, "ann@example.com")
    assert stranger.role == auth.NO_ROLE and auth.restrict(stranger, frame).empty
    with pytest.raises(AccessDenied):
        auth.require(stranger, "view_dashboards")
    auth.add_user(settings, auth.CLI_USER, "ann@example.com", "a-long-password", "viewer", ("Sales",))
    ann = auth.refresh(settings, stranger)  # the next run of a page maps her again
    assert ann.role == "viewer" and ann.source == "oidc"
    assert auth.restrict(ann, frame)["department"].tolist() == ["Sales"]
