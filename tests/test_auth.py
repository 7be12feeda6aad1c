import json

import pytest

from eevp.store import auth
from eevp.errors import AccessDenied, InputError


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
