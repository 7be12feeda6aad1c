import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# The property tests draw the same organisations on every run, so that a run of the suite (CI's among them)
# says the same thing twice; EEVP_HYPOTHESIS_PROFILE=random draws new ones each run (with EEVP_PROPERTY_CASES
# for more of them) to look for leaks, and what it finds becomes an @example or a known-limit test.
hypothesis_settings.register_profile("fixed", derandomize=True)
hypothesis_settings.register_profile("random", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("EEVP_HYPOTHESIS_PROFILE", "fixed"))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("EEVP_HASH_KEY", "test-key-not-secret")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
EXTERNAL = SHARED / "data" / "external"


@pytest.fixture
def settings(tmp_path):
    from eevp.settings import Settings

    return Settings(data_dir=tmp_path, database_url=os.environ.get("EEVP_TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'eevp.db'}")


@pytest.fixture
def engine(settings):
    from eevp.store.db import connect, reset_for_tests

    eng = connect(settings.database_url)
    reset_for_tests(eng)
    yield eng
    eng.dispose()


def external(*parts) -> Path:
    """Path to a real public data file; skips the test when it is absent."""
    path = EXTERNAL.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"external data not present: {path}")
    return path


def give_account(data_dir, user) -> None:
    """A local account for ``user``: AppTest puts a user into the session, and the login gate reads
    the account again on every run (a session without an account is logged out)."""
    from eevp.settings import Settings
    from eevp.store.auth import CLI_USER, add_user

    add_user(Settings(data_dir=Path(data_dir)), CLI_USER, user.username, "a-test-password", user.role,
             tuple(user.departments))


@pytest.fixture(autouse=True)
def _fresh_login_limits():
    """Failed logins are stored in the database: on a shared PostgreSQL test database each test starts
    with none (a SQLite database is new in every test's folder)."""
    url = os.environ.get("EEVP_TEST_DATABASE_URL")
    if url:
        from eevp.store.db import connect, login_failures

        eng = connect(url)
        with eng.begin() as conn:
            conn.execute(login_failures.delete())
        eng.dispose()
    yield
