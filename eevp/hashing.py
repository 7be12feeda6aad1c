"""Hashes used across eevp: content of files, exact texts, and keyed identifiers."""

from __future__ import annotations

import hashlib
import hmac
from collections import OrderedDict

import numpy as np


def content_hash(data: bytes) -> str:
    """sha256 of a file's bytes: the same upload is recognised and not stored twice."""
    return hashlib.sha256(data).hexdigest()


def text_hash(text: str) -> str:
    """sha256 of the exact text: the key of the embedding cache."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def keyed_hash(value: str, key: bytes) -> str:
    """Pseudonymise an identifier: HMAC-SHA256 with a key kept outside the database."""
    return hmac.new(key, str(value).strip().lower().encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def parts_digest(parts) -> bytes:
    """A 16-byte digest of ``parts`` (arrays by their shape, dtype and bytes; anything else by its
    ``repr``): the key of what is computed once from exactly these values."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        if isinstance(part, np.ndarray):
            digest.update(repr((part.shape, part.dtype.str)).encode())
            part = np.ascontiguousarray(part).tobytes()
        digest.update(part if isinstance(part, bytes) else repr(part).encode())
        digest.update(b"\x1e")
    return digest.digest()


#: Anonymity audits already made, by the numbers they were made on (see :func:`remembered`).
_AUDITS: OrderedDict = OrderedDict()
AUDITS_KEPT = 256


def remembered(parts: tuple, compute):
    """The audit ``compute()`` of ``parts`` (numbers and arrays only), made once.

    (The anonymity layer's audits, eevp.analytics.anonymity.) A page asks for the same audit several times (the heatmap and the eNPS table share their groups;
    the trend and the theme tables do not change with a filter), and each costs up to a second with a
    thousand groups. The audits are pure functions of these counts, so they are kept by a digest of
    the counts themselves: any change of the data gives another key. Callers must not change what
    they get back (copy it).
    """
    key = parts_digest(parts)
    if key in _AUDITS:
        _AUDITS.move_to_end(key)
        return _AUDITS[key]
    value = compute()
    _AUDITS[key] = value
    while len(_AUDITS) > AUDITS_KEPT:
        _AUDITS.popitem(last=False)
    return value
