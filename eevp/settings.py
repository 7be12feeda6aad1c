"""One frozen Settings object, built from the environment in one place.

Nothing here touches the disk or the network at import time.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"

#: The smallest anonymity threshold anyone may configure.
MIN_ALLOWED_THRESHOLD = 3


@dataclass(frozen=True)
class Settings:
    """Runtime configuration.

    Attributes:
        database_url: SQLAlchemy URL; default an embedded SQLite file ``data/eevp.db``.
        data_dir: where the database, the keyed-hash secret and fitted models live.
        min_group_size: anonymity threshold for scores (never below 3).
        min_comment_group: anonymity threshold for text and quotes (never below ``min_group_size``).
        embedder: name of the embedding backend (see ``eevp.themes.embeddings``).
        upload_limit_mb: the largest file accepted for ingest.
        digest_smtp, digest_to, digest_from, digest_webhook: where ``digest --send`` delivers the
            leadership digest (:mod:`eevp.delivery`; nothing is sent when neither relay nor webhook is set).
    """

    database_url: str = ""
    data_dir: Path = DEFAULT_DATA_DIR
    min_group_size: int = 5
    min_comment_group: int = 10
    embedder: str = "use-multilingual"
    upload_limit_mb: int = 50
    seed: int = 42
    digest_smtp: str = ""
    digest_to: tuple[str, ...] = ()
    digest_from: str = "eevp@localhost"
    digest_webhook: str = ""
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        if not self.database_url:
            object.__setattr__(self, "database_url", f"sqlite:///{Path(self.data_dir) / 'eevp.db'}")
        if self.min_group_size < MIN_ALLOWED_THRESHOLD:
            object.__setattr__(self, "min_group_size", MIN_ALLOWED_THRESHOLD)
        if self.min_comment_group < self.min_group_size:
            object.__setattr__(self, "min_comment_group", self.min_group_size)

    @classmethod
    def from_env(cls, env: dict | None = None, **overrides) -> "Settings":
        """Build settings from ``EEVP_*`` environment variables, then apply overrides."""
        env = os.environ if env is None else env
        kwargs: dict = {}
        if env.get("EEVP_DATA_DIR"):
            kwargs["data_dir"] = Path(env["EEVP_DATA_DIR"])
        if env.get("EEVP_DATABASE_URL"):
            kwargs["database_url"] = env["EEVP_DATABASE_URL"]
        for key, name in [("EEVP_MIN_GROUP", "min_group_size"), ("EEVP_MIN_COMMENT_GROUP", "min_comment_group"),
                          ("EEVP_UPLOAD_LIMIT_MB", "upload_limit_mb")]:
            if env.get(key):
                kwargs[name] = int(env[key])
        if env.get("EEVP_EMBEDDER"):
            kwargs["embedder"] = env["EEVP_EMBEDDER"]
        for key, name in [("EEVP_DIGEST_SMTP", "digest_smtp"), ("EEVP_DIGEST_FROM", "digest_from"),
                          ("EEVP_DIGEST_WEBHOOK", "digest_webhook")]:
            if env.get(key):
                kwargs[name] = env[key].strip()
        if env.get("EEVP_DIGEST_TO"):
            kwargs["digest_to"] = tuple(a.strip() for a in env["EEVP_DIGEST_TO"].split(",") if a.strip())
        kwargs.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**kwargs)

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)

    @property
    def models_dir(self) -> Path:
        return Path(self.data_dir) / "models"

    def hash_key(self) -> bytes:
        """The secret for keyed hashes of identifiers; kept in local settings, never in the database.

        Created on first use (``data/secret.key``) unless ``EEVP_HASH_KEY`` is set.
        """
        if os.environ.get("EEVP_HASH_KEY"):
            return os.environ["EEVP_HASH_KEY"].encode()
        path = Path(self.data_dir) / "secret.key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_hex(32))
            try:
                path.chmod(0o600)
            except OSError:
                pass
        return path.read_text().strip().encode()
