"""Getting a database ready: connect, migrate, and load the demo into an empty one."""

from __future__ import annotations

from typing import Callable

from sqlalchemy.engine import Engine

from eevp.actions.demo import seed_demo_actions
from eevp.demo.generator import generate
from eevp.intake.ingest import ingest_frame
from eevp.settings import Settings
from eevp.store.auth import DEMO_USER, User
from eevp.store.batches import is_empty_of_data
from eevp.store.db import connect

DEMO_ORDER = ("evp_catalog", "evp_ratings", "survey", "exit", "focus", "customer_feedback")
DEMO_NAMES = {
    "survey": "Demo: engagement survey, 4 waves",
    "exit": "Demo: exit interviews",
    "focus": "Demo: focus-group notes",
    "evp_catalog": "Demo: EVP benefit catalogue",
    "evp_ratings": "Demo: EVP benefit ratings",
    "customer_feedback": "Demo: customer feedback",
}


def load_demo(engine: Engine, settings: Settings, seed: int = 42,
              progress: Callable[[str, int, int], None] | None = None, *, actor: User,
              n_employees: int = 2000) -> dict[str, int]:
    """Generate the demo organisation and store it, marked as demo, as ``actor`` (whose role must
    allow uploads), with actions on its planted problems where accounts exist to own them (those on
    customer themes come after the analysis: :func:`eevp.actions.demo.seed_demo_actions`). Returns
    batch ids by kind."""

    data = generate(seed=seed, n_employees=n_employees)
    ids = {}
    for i, kind in enumerate(DEMO_ORDER):
        if progress:
            progress(f"storing {kind}", i, len(DEMO_ORDER))
        frame = getattr(data, kind)
        result = ingest_frame(engine, settings, kind, frame, data.mappings[kind], name=DEMO_NAMES[kind],
                              filename=f"demo-{kind}-seed{seed}.csv", is_demo=True, actor=actor)
        ids[kind] = result.batch_id
    seed_demo_actions(engine, settings, actor=DEMO_USER)
    if progress:
        progress("done", len(DEMO_ORDER), len(DEMO_ORDER))
    return ids


def open_database(settings: Settings, demo_if_empty: bool = False) -> Engine:
    """Connect (creating and migrating the schema); optionally fill an empty database with the demo
    (the app does this on its own at first start: :data:`eevp.store.auth.DEMO_USER` stores it)."""
    engine = connect(settings.database_url)
    if demo_if_empty and is_empty_of_data(engine):
        load_demo(engine, settings, seed=settings.seed, actor=DEMO_USER)
    return engine
