"""The whole analysis run: text themes, customer tags, customer themes (CLI ``analyze`` and the app)."""

from __future__ import annotations

from typing import Callable

from sqlalchemy.engine import Engine

from .errors import TooFewUnitsError
from .settings import Settings

Progress = Callable[[str, int, int], None]


def run_all(engine: Engine, settings: Settings, *, refit: bool = False, embedder=None,
            progress: Progress | None = None) -> dict:
    """Analyse all text, then tag statements and build the customer themes.

    Returns the CLI's JSON: units, embedded_new, themes, outlier_share, customer_themes, notes.
    """
    from .analysis import analyze
    from .customers import tag_units

    notes = []
    try:
        out = analyze(engine, settings, refit=refit, embedder=embedder, progress=progress, scope="all")
    except TooFewUnitsError as exc:
        out = {"units": 0, "embedded_new": 0, "themes": 0, "outlier_share": 0.0}
        notes.append(str(exc))
    tag_units(engine, progress=progress)
    try:
        cust = analyze(engine, settings, refit=refit, embedder=embedder, progress=progress, scope="customers")
        out["customer_themes"] = cust["themes"]
    except TooFewUnitsError as exc:
        out["customer_themes"] = 0
        notes.append(str(exc))
    out["notes"] = notes
    return out
