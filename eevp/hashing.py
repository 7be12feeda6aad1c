"""Hashes used across eevp: content of files, exact texts, and keyed identifiers."""

from __future__ import annotations

import hashlib
import hmac
import threading
import weakref
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
        if isinstance(part, np.ndarray):  # a large array that cannot change (a person column): hashed once
            part = (derived((part,), "digest", lambda: _array_digest(part))
                    if not part.flags.writeable and part.nbytes >= DERIVED_MIN_BYTES else _array_digest(part))
        digest.update(part if isinstance(part, bytes) else repr(part).encode())
        digest.update(b"\x1e")
    return digest.digest()


def _array_digest(array: np.ndarray) -> bytes:
    digest = hashlib.blake2b(repr((array.shape, array.dtype.str)).encode(), digest_size=16)
    digest.update(np.ascontiguousarray(array).tobytes())
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


#: Values derived from objects that do not change (see :func:`derived`), by those objects' identities.
_DERIVED: OrderedDict = OrderedDict()
_DERIVED_LOCK = threading.Lock()
#: What :func:`derived` keeps at most (the oldest values go first), and the least an array must hold for
#: :func:`parts_digest` to keep its digest.
DERIVED_BYTES = 512 * 2**20
DERIVED_MIN_BYTES = 2**20


def derived(sources: tuple, name: str, compute):
    """``compute()``, a value derived from ``sources`` alone, made once while those same objects live.

    At a million responses a page's anonymity audits coded the same columns of the same rows again and again
    (a dozen times per column on Home: 20 of its 26 s). Keyed by the sources' identities and ``name``, and
    checked by weak reference, so an identity reused by a new object after the first is gone never matches.
    Only for sources that cannot change: Arrow arrays, and numpy arrays made read-only (arrays in the value are
    made read-only, so a value may be the source of another). Callers must not change what they get back.
    """
    key = (name, tuple(map(id, sources)))
    with _DERIVED_LOCK:
        hit = _DERIVED.get(key)
        if hit is not None and all(ref() is source for ref, source in zip(hit[0], sources)):
            _DERIVED.move_to_end(key)
            return hit[1]
    value = compute()
    for array in value if isinstance(value, tuple) else (value,):
        if isinstance(array, np.ndarray):
            array.flags.writeable = False
    size = sum(a.nbytes for a in (value if isinstance(value, tuple) else (value,)) if isinstance(a, np.ndarray))
    with _DERIVED_LOCK:
        for gone in [k for k, entry in _DERIVED.items() if any(ref() is None for ref in entry[0])]:
            del _DERIVED[gone]  # its sources are gone: no one can ask for it again
        _DERIVED[key] = ([weakref.ref(source) for source in sources], value, size)
        total = sum(entry[2] for entry in _DERIVED.values())
        while total > DERIVED_BYTES and len(_DERIVED) > 1:
            total -= _DERIVED.popitem(last=False)[1][2]
    return value
