"""What the redaction of a batch runs, in this process or in a worker process.

Kept apart from :mod:`eevp.intake.ingest` so that a worker imports the redactor, the statement
splitter and the language detector only, not pandas or SQLAlchemy (a worker's memory counts too).
"""

from __future__ import annotations

import functools
import os
import threading
import time

from eevp.intake.redact import Redactor
from eevp.intake.statements import split_statements
from eevp.text.language import name_language

__all__ = ["redact_chunk", "redacted", "start_worker"]

_REDACTOR: Redactor | None = None  # in a worker: the batch's Redactor, received once at its start
#: Statements repeat (answers do, and sentences of different answers): each one's language is found once.
_language = functools.lru_cache(maxsize=262_144)(name_language)


def redacted(redactor: Redactor, texts: list[str], split: bool) -> list:
    """Each text redacted: with ``split``, its statements as ``((text, language), ...)``; without,
    the redacted text, or None where nothing was redacted (most are: not sent back from a worker).

    Each statement is marked with its language on the way in: one in another language than English,
    Russian or Ukrainian carries its own code ("fr"), so that it can be told apart from theirs.
    """
    clean = redactor.redact_many(texts)
    if not split:
        return [None if c is t else c for t, c in zip(texts, clean)]
    return [tuple((part, _language(part)) for part in (split_statements(c) or [c])) for c in clean]


def redact_chunk(texts: list[str], split: bool) -> list:
    """In a worker: :func:`redacted` with the redactor received at the start."""
    return redacted(_REDACTOR, texts, split)


def start_worker(parent: int, redactor: Redactor) -> None:
    """In a worker: keep the batch's redactor; exit as soon as the ingest process is gone (killed
    mid-batch, say)."""
    global _REDACTOR
    _REDACTOR = redactor

    def watch():
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
