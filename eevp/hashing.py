"""Hashes used across eevp: content of files, exact texts, and keyed identifiers."""

from __future__ import annotations

import hashlib
import hmac


def content_hash(data: bytes) -> str:
    """sha256 of a file's bytes: the same upload is recognised and not stored twice."""
    return hashlib.sha256(data).hexdigest()


def text_hash(text: str) -> str:
    """sha256 of the exact text: the key of the embedding cache."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def keyed_hash(value: str, key: bytes) -> str:
    """Pseudonymise an identifier: HMAC-SHA256 with a key kept outside the database."""
    return hmac.new(key, str(value).strip().lower().encode("utf-8"), hashlib.sha256).hexdigest()[:32]
