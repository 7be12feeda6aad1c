"""Accounts, roles and permissions.

Local accounts live in a config file (``data/users.json``) with argon2 hashes; the database never
holds passwords. The first run creates an ``admin`` account with a generated password shown once
(or the one in ``EEVP_ADMIN_PASSWORD``); there is no built-in default password.

Permissions are checked here, in ``eevp``, by :func:`require` — pages only hide what a role
cannot use; the service layer refuses it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine

from eevp.errors import AccessDenied, InputError
from eevp.settings import Settings
from eevp.store.db import connect, login_failures

ROLES = ("admin", "hr", "cx", "viewer")
#: The role of someone who logged in through OIDC and has no local account yet: no permission at all.
NO_ROLE = "none"
#: Failed logins allowed per username within :data:`LOGIN_WINDOW_S` seconds; then every attempt is refused
#: (the password is not even checked) until the oldest failure is that old.
MAX_FAILED_LOGINS = 5
LOGIN_WINDOW_S = 15 * 60

#: What each role may do. ``view_records`` = any per-respondent view (never for cx or viewer).
PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({"view_dashboards", "view_themes", "view_customers", "view_quotes", "upload", "delete",
                        "erase", "analyze", "refit", "settings", "users", "audit", "export", "review_tags",
                        "cx_assess", "view_records", "rename_themes", "export_texts", "manage_actions",
                        "view_actions", "clear_demo"}),
    # "analyze": bring new text into the existing themes (what an upload does); "refit": rebuild them all.
    # "clear_demo": remove the demo organisation that a first real upload is mixed into.
    "hr": frozenset({"view_dashboards", "view_themes", "view_customers", "view_quotes", "upload", "analyze", "export",
                     "rename_themes", "view_records", "manage_actions", "view_actions", "clear_demo"}),
    "cx": frozenset({"view_themes", "view_customers", "view_quotes", "review_tags", "cx_assess", "export",
                     "rename_themes", "manage_actions", "view_actions"}),
    # "manage_actions": create actions and change them; "view_actions": read those on what the role sees.
    "viewer": frozenset({"view_dashboards", "view_actions"}),
}

_hasher = PasswordHasher()


@dataclass(frozen=True)
class User:
    username: str
    role: str
    departments: tuple[str, ...] = field(default_factory=tuple)  # viewer limited to these ("" = all)
    source: str = "local"  # "local" (users.json) or "oidc" (mapped by e-mail on every run)

    def can(self, action: str) -> bool:
        return action in PERMISSIONS.get(self.role, frozenset())


#: The local command line is the machine's owner: it acts as an admin.
CLI_USER = User("cli", "admin")
#: Who stores the demo when the app finds an empty database at first start (it may upload, nothing else).
DEMO_USER = User("demo", "hr")


def require(user: User | None, action: str) -> None:
    """Raise AccessDenied unless ``user`` may do ``action``."""
    if user is None:
        raise AccessDenied("Please log in first.")
    if not user.can(action):
        raise AccessDenied(f"Your role '{user.role}' may not {action.replace('_', ' ')}. Ask an admin.")


def restrict(user: User | None, df, column: str = "department"):
    """The rows of ``df`` this user may see: a viewer limited to departments sees only theirs.

    Everyone else (and a viewer without a list) sees every row. No user sees nothing.
    """
    if user is None or not PERMISSIONS.get(user.role):
        return df.iloc[0:0]
    if user.role != "viewer" or not user.departments or column not in getattr(df, "columns", ()):
        return df
    return df[df[column].isin(list(user.departments))]


def users_path(settings: Settings) -> Path:
    return Path(os.environ.get("EEVP_USERS_FILE") or Path(settings.data_dir) / "users.json")


def _load(settings: Settings) -> dict:
    path = users_path(settings)
    if not path.exists():
        return {"users": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def _save(settings: Settings, data: dict) -> None:
    path = users_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    try:
        tmp.chmod(0o600)
    except OSError:
        pass
    tmp.replace(path)


def ensure_admin(settings: Settings) -> str | None:
    """Create the first admin if there are no accounts. Returns a generated password to show once."""
    data = _load(settings)
    if data["users"]:
        return None
    password = os.environ.get("EEVP_ADMIN_PASSWORD")
    generated = None
    if not password:
        password = generated = secrets.token_urlsafe(12)
    data["users"]["admin"] = {"role": "admin", "hash": _hasher.hash(password), "departments": []}
    _save(settings, data)
    return generated


def add_user(settings: Settings, actor: User, username: str, password: str, role: str,
             departments: tuple[str, ...] = ()) -> User:
    require(actor, "users")
    if role not in ROLES:
        raise InputError(f"Unknown role '{role}'. Use one of: {', '.join(ROLES)}.")
    if len(password) < 10:
        raise InputError("Passwords must have at least 10 characters.")
    username = username.strip()
    if not username:
        raise InputError("A username is required.")
    data = _load(settings)
    kept = {k: v for k, v in data["users"].get(username, {}).items() if k == "language"}
    data["users"][username] = {"role": role, "hash": _hasher.hash(password), "departments": list(departments),
                               **kept}
    _save(settings, data)
    return User(username, role, tuple(departments))


def remove_user(settings: Settings, actor: User, username: str) -> None:
    require(actor, "users")
    data = _load(settings)
    if username == actor.username:
        raise InputError("You cannot remove your own account.")
    data["users"].pop(username, None)
    _save(settings, data)


def list_users(settings: Settings, actor: User) -> list[dict]:
    require(actor, "users")
    return [{"username": u, "role": v["role"], "departments": ", ".join(v.get("departments") or [])}
            for u, v in sorted(_load(settings)["users"].items())]


def account_names(settings: Settings) -> list[str]:
    """The usernames of the local accounts, sorted (an action's owner is one of them)."""
    return sorted(_load(settings)["users"])


def saved_language(settings: Settings, username: str) -> str | None:
    """The interface language this user chose last time (None when never chosen)."""
    record = _load(settings)["users"].get(username)
    return (record or {}).get("language")


def save_language(settings: Settings, username: str, language: str) -> None:
    """Remember a user's interface language (only for local accounts)."""
    data = _load(settings)
    if username in data["users"]:
        data["users"][username]["language"] = language
        _save(settings, data)


def _name_key(username: str) -> str:
    return username.strip().casefold()[:100]


def _refuse_if_locked(conn, username: str, now: float) -> None:
    """AccessDenied while ``username`` has :data:`MAX_FAILED_LOGINS` failures in the window."""
    recent = select(login_failures.c.at_s).where(login_failures.c.username == _name_key(username),
                                                 login_failures.c.at_s > now - LOGIN_WINDOW_S)
    times = sorted(conn.execute(recent).scalars())
    if len(times) >= MAX_FAILED_LOGINS:
        oldest = times[-MAX_FAILED_LOGINS]
        wait = int(LOGIN_WINDOW_S - (now - oldest)) // 60 + 1
        raise AccessDenied(f"Too many failed logins for this account. Try again in {wait} minutes.")


def _count_failure(conn, username: str, now: float) -> None:
    """Store one failed login (and forget this account's failures older than the window)."""
    key = _name_key(username)
    conn.execute(delete(login_failures).where(login_failures.c.username == key,
                                              login_failures.c.at_s <= now - LOGIN_WINDOW_S))
    conn.execute(insert(login_failures).values(username=key, at_s=now))


def authenticate(settings: Settings, username: str, password: str, engine: Engine | None = None,
                 now: float | None = None) -> User:
    """The user for these credentials; AccessDenied (same message either way) otherwise.

    After :data:`MAX_FAILED_LOGINS` failures for one username in :data:`LOGIN_WINDOW_S` seconds,
    every attempt is refused without checking the password (guessing stops there). The failures
    are stored in the database (``login_failures``): a restart does not reset the limit.

    Args:
        engine: the database (default: the one ``settings`` names, opened for this call).
        now: seconds since the epoch (default: the clock); for tests of the window.
    """
    if engine is None:
        engine = connect(settings.database_url)
        try:
            return authenticate(settings, username, password, engine, now)
        finally:
            engine.dispose()
    username, now = username.strip(), time.time() if now is None else now
    with engine.begin() as conn:
        _refuse_if_locked(conn, username, now)
    record = _load(settings)["users"].get(username)
    try:
        if record is None:
            _hasher.hash(password)  # same work for unknown users: no timing hint
            raise VerifyMismatchError
        _hasher.verify(record["hash"], password)
    except (VerifyMismatchError, InvalidHashError):
        with engine.begin() as conn:
            _count_failure(conn, username, now)
        raise AccessDenied("Wrong username or password.") from None
    return User(username, record["role"], tuple(record.get("departments") or ()))


def user_for_oidc(settings: Settings, email: str | None) -> User:
    """Map a user who logged in through OIDC (``st.login``) to a local role by e-mail.

    Without a local account the user has no role (:data:`NO_ROLE`): they see nothing until an admin
    adds their e-mail with a role.
    """
    record = _load(settings)["users"].get(email or "")
    if record:
        return User(email, record["role"], tuple(record.get("departments") or ()), source="oidc")
    return User(email or "unknown", NO_ROLE, source="oidc")


def refresh(settings: Settings, user: User | None) -> User | None:
    """The account as it is now, read again: the app calls this on every run of a page.

    Returns:
        The user with the current role and departments; None when the local account was removed
        (the session ends at once). An OIDC user is mapped again (a removed mapping: no role).
    """
    if user is None:
        return None
    if user.source == "oidc":
        return user_for_oidc(settings, user.username)
    record = _load(settings)["users"].get(user.username)
    if record is None:
        return None
    return User(user.username, record["role"], tuple(record.get("departments") or ()))


#: How long a browser stays logged in without logging in again (a reload keeps the session).
SESSION_HOURS = 12


def _session_signature(settings: Settings, username: str, expires: int, record: dict) -> str:
    # The stored hash is signed too: a new password (or a removed account) ends every session at once.
    key = hmac.new(settings.hash_key(), b"eevp-session", hashlib.sha256).digest()
    message = f"{username}|{expires}|{record.get('hash', '')}|{record.get('role', '')}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def session_token(settings: Settings, user: User, hours: float = SESSION_HOURS, now: float | None = None) -> str:
    """A signed token that logs ``user`` in again until it expires (kept by the browser as a cookie)."""
    record = _load(settings)["users"].get(user.username)
    if record is None:
        raise AccessDenied("Please log in first.")
    expires = int((time.time() if now is None else now) + hours * 3600)
    name = base64.urlsafe_b64encode(user.username.encode()).decode().rstrip("=")
    return f"{name}.{expires}.{_session_signature(settings, user.username, expires, record)}"


def user_from_token(settings: Settings, token: str | None, now: float | None = None) -> User | None:
    """The user a :func:`session_token` names, or None when it is malformed, forged or expired."""
    try:
        name, expires_text, signature = str(token or "").split(".")
        username = base64.urlsafe_b64decode(name + "=" * (-len(name) % 4)).decode()
        expires = int(expires_text)
    except ValueError:
        return None
    record = _load(settings)["users"].get(username)
    if record is None or expires < (time.time() if now is None else now):
        return None
    if not hmac.compare_digest(signature, _session_signature(settings, username, expires, record)):
        return None
    return User(username, record["role"], tuple(record.get("departments") or ()))
