import os
from pathlib import Path

import pytest

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
