"""Storage: SQLAlchemy Core tables, engine creation and versioned migrations.

Any SQLAlchemy URL works; SQLite (the default, with WAL) and PostgreSQL are tested.
Only portable SQL is used here: no SQLite-only statements outside ``_sqlite_pragmas``.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    create_engine,
    event,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine

metadata = MetaData()

schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)

batches = Table(
    "batches", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # survey | exit | focus | evp_catalog | evp_ratings | customer_feedback
    Column("kind", String(32), nullable=False),
    Column("name", String(200), nullable=False),
    Column("filename", String(300)),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(100)),
    Column("rows_read", Integer, nullable=False, default=0),
    Column("rows_stored", Integer, nullable=False, default=0),
    Column("rows_rejected", Integer, nullable=False, default=0),
    Column("is_demo", Boolean, nullable=False, default=False),
    Column("mapping_json", Text),
    Column("items_json", Text),  # declared rating items: [{"item", "min", "max"}]
)

# One row per respondent per wave, its scores packed in item_scores (see pack_scores).
survey_responses = Table(
    "survey_responses", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, ForeignKey("batches.id", ondelete="CASCADE"), nullable=False),
    Column("record_no", Integer, nullable=False),  # 1-based data row in the source file
    Column("respondent_key", String(64)),  # keyed hash of respondent_id; never the id itself
    Column("wave", String(64), nullable=False),
    Column("wave_date", Date),
    Column("role", String(200)),
    Column("department", String(200)),
    Column("location", String(200)),
    Column("tenure", String(64)),
    Column("segments_json", Text),  # extra segment columns {name: value}
    Column("enps", Integer),
    # The response's scores, packed (see pack_scores): what ingest writes, gone with the row;
    # NULL = read them from survey_scores (rows stored by an older eevp, or by hand).
    Column("item_scores", LargeBinary),
    Index("ix_survey_responses_batch", "batch_id"),
    Index("ix_survey_responses_wave", "wave"),
)

survey_scores = Table(
    "survey_scores", metadata,
    Column("response_id", Integer, ForeignKey("survey_responses.id", ondelete="CASCADE"), primary_key=True),
    Column("item", String(200), primary_key=True),
    Column("score", Float, nullable=False),
    Column("batch_id", Integer, ForeignKey("batches.id", ondelete="CASCADE"), nullable=False),
    Index("ix_survey_scores_batch", "batch_id"),
)

exits = Table(
    "exits", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, ForeignKey("batches.id", ondelete="CASCADE"), nullable=False),
    Column("record_no", Integer, nullable=False),
    Column("respondent_key", String(64)),
    Column("exit_date", Date),
    Column("role", String(200)),
    Column("department", String(200)),
    Column("location", String(200)),
    Column("tenure", String(64)),
    Column("reason", String(300)),
    Column("other_reasons_json", Text),  # JSON list of strings
    Column("regretted", Boolean),
    Column("enps", Integer),
    Column("segments_json", Text),
    Index("ix_exits_batch", "batch_id"),
)

exit_scores = Table(
    "exit_scores", metadata,
    Column("exit_id", Integer, ForeignKey("exits.id", ondelete="CASCADE"), primary_key=True),
    Column("item", String(200), primary_key=True),
    Column("score", Float, nullable=False),
    Column("batch_id", Integer, ForeignKey("batches.id", ondelete="CASCADE"), nullable=False),
)

focus_sessions = Table(
    "focus_sessions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, ForeignKey("batches.id", ondelete="CASCADE"), nullable=False),
    Column("record_no", Integer, nullable=False),
    Column("session_date", Date),
    Column("role", String(200)),  # the group
    Column("department", String(200)),
    Column("location", String(200)),
    Column("facilitator_key", String(64)),  # keyed hash; facilitator names are identifiers
    Column("participants", Integer),
    Index("ix_focus_batch", "batch_id"),
)

evp_benefits = Table(
    "evp_benefits", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, ForeignKey("batches.id", ondelete="CASCADE"), nullable=False),
    Column("benefit", String(200), nullable=False),
    Column("pillar", String(100)),
    Column("description", Text),
    Column("roles_offered_json", Text, nullable=False),  # "all" or JSON list of roles
)

evp_ratings = Table(
    "evp_ratings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, ForeignKey("batches.id", ondelete="CASCADE"), nullable=False),
    Column("record_no", Integer, nullable=False),
    Column("respondent_key", String(64)),
    Column("wave", String(64), nullable=False),
    Column("wave_date", Date),
    Column("role", String(200)),
    Column("department", String(200)),
    Column("benefit", String(200), nullable=False),
    Column("importance", Float),
    Column("satisfaction", Float),
    Index("ix_evp_ratings_batch", "batch_id"),
)

# Every free-text value of every source, after redaction: the one table of text.
text_units = Table(
    "text_units", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, ForeignKey("batches.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),  # survey | exit | focus
    Column("record_id", Integer),  # id in survey_responses / exits / focus_sessions
    Column("record_no", Integer, nullable=False),
    Column("respondent_key", String(64)),
    Column("question", String(300), nullable=False),
    Column("seq", Integer, nullable=False, default=0),  # statement number within a split note
    Column("role", String(200)),
    Column("department", String(200)),
    Column("location", String(200)),
    Column("tenure", String(64)),
    Column("wave", String(64)),
    Column("date", Date),
    Column("text", Text, nullable=False),
    Column("text_hash", String(64), nullable=False),
    Column("language", String(8)),
    Column("sentiment", String(10)),
    Column("is_boilerplate", Boolean),
    Index("ix_text_units_batch", "batch_id"),
    Index("ix_text_units_hash", "text_hash"),
)

# Embedding cache: never embed the same text twice with the same model.
embeddings = Table(
    "embeddings", metadata,
    Column("model_id", String(200), primary_key=True),
    Column("text_hash", String(64), primary_key=True),
    Column("dim", Integer, nullable=False),
    Column("vector", LargeBinary, nullable=False),  # float32 little-endian
)

#: Texts one ``embed`` worker is embedding now: several workers against one database split the work
#: without overlap (a worker claims a chunk before embedding it; a claim older than its timeout is
#: taken over, as its worker has died).
embed_claims = Table(
    "embed_claims", metadata,
    Column("model_id", String(200), primary_key=True),
    Column("text_hash", String(64), primary_key=True),
    Column("worker", String(100), nullable=False),
    Column("claimed_at", DateTime(timezone=True), nullable=False),
)

theme_models = Table(
    "theme_models", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scope", String(32), nullable=False),  # "all" | "customers"
    Column("model_id", String(200), nullable=False),
    Column("path", String(500)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("n_units", Integer, nullable=False),
    Column("outlier_share", Float),
    Column("params_json", Text),
    Column("is_current", Boolean, nullable=False, default=True),
    Column("stale", Boolean, nullable=False, default=False),
)

themes = Table(
    "themes", metadata,
    Column("model_row", Integer, ForeignKey("theme_models.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", Integer, primary_key=True),  # BERTopic topic number; -1 = unassigned
    Column("label", String(300)),
    Column("label_edited", Boolean, nullable=False, default=False),
    Column("keywords_json", Text),
    Column("size", Integer),
    Column("is_candidate", Boolean, nullable=False, default=False),
    Column("labels_json", Text),  # {language: label}: a label in each language the theme's statements use
)

# User-edited labels survive refits: keyed by scope and a keyword signature.
theme_labels = Table(
    "theme_labels", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scope", String(32), nullable=False),
    Column("keywords_json", Text, nullable=False),
    Column("label", String(300), nullable=False),
    Column("edited_at", DateTime(timezone=True), nullable=False),
)

theme_assignments = Table(
    "theme_assignments", metadata,
    Column("model_row", Integer, ForeignKey("theme_models.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", Integer, ForeignKey("text_units.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", Integer, nullable=False),
    Column("batch_id", Integer, ForeignKey("batches.id", ondelete="CASCADE"), nullable=False),
    Index("ix_theme_assign_theme", "model_row", "theme_id"),
)

# Customer-insight tags per text unit (statements are text units; notes are split at ingest).
statement_tags = Table(
    "statement_tags", metadata,
    Column("unit_id", Integer, ForeignKey("text_units.id", ondelete="CASCADE"), primary_key=True),
    Column("batch_id", Integer, ForeignKey("batches.id", ondelete="CASCADE"), nullable=False),
    Column("about_customers", Boolean, nullable=False),
    Column("stage", String(16)),
    Column("sentiment", String(10)),
    Column("incident", Boolean, nullable=False, default=False),
    Column("tagger_version", String(32)),
    Column("cls", String(24)),
    Column("severity", Float),
)

tag_reviews = Table(
    "tag_reviews", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("unit_id", Integer, ForeignKey("text_units.id", ondelete="CASCADE"), nullable=False),
    Column("text_hash", String(64), nullable=False),
    Column("reviewer", String(100)),
    Column("reviewed_at", DateTime(timezone=True), nullable=False),
    Column("tagged_about_customers", Boolean),
    Column("tagged_stage", String(16)),
    Column("about_customers", Boolean, nullable=False),
    Column("stage", String(16)),
    UniqueConstraint("unit_id", name="uq_tag_reviews_unit"),
)

mapping_templates = Table(
    "mapping_templates", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("headers_key", String(64), nullable=False),  # hash of the sorted source headers
    Column("mapping_json", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("kind", "headers_key", name="uq_mapping_templates_headers"),
)

# Customer feedback (complaints, reviews, NPS comments, social posts): kept apart from staff text,
# never a person of the staff anonymity rule. One row per comment, redacted before storage.
customer_comments = Table(
    "customer_comments", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, ForeignKey("batches.id", ondelete="CASCADE"), nullable=False),
    Column("record_no", Integer, nullable=False),
    Column("date", Date),
    Column("period", String(16)),  # quarter of the date, "2026-Q1"
    Column("channel", String(100)),
    Column("score", Float),
    Column("scale_min", Float),  # the declared scale: 0–10 (NPS) or 1–5 (stars)
    Column("scale_max", Float),
    Column("product", String(200)),
    Column("location", String(200)),
    Column("segments_json", Text),
    Column("text", Text, nullable=False),
    Index("ix_customer_comments_batch", "batch_id"),
)

# The statements of customer comments, tagged by the lens and matched to the customer themes of staff
# (``staff_theme`` of theme model ``matched_model``; -1 none) or to a theme of their own (``own_theme``).
customer_statements = Table(
    "customer_statements", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, ForeignKey("batches.id", ondelete="CASCADE"), nullable=False),
    Column("comment_id", Integer, ForeignKey("customer_comments.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False, default=0),
    Column("text", Text, nullable=False),
    Column("text_hash", String(64), nullable=False),
    Column("language", String(8)),
    Column("stage", String(16)),
    Column("sentiment", String(10)),
    Column("cls", String(24)),
    Column("tagger_version", String(32)),
    Column("matched_model", Integer),
    Column("staff_theme", Integer),
    Column("similarity", Float),
    Column("own_theme", Integer),
    Index("ix_customer_statements_batch", "batch_id"),
    Index("ix_customer_statements_comment", "comment_id"),
)

# Themes of the customer statements that match no staff theme (refitted when those change).
customer_own_themes = Table(
    "customer_own_themes", metadata,
    Column("theme_id", Integer, primary_key=True),
    Column("label", String(300)),
    Column("keywords_json", Text),
    Column("size", Integer),
)

cx_assessments = Table(
    "cx_assessments", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("assessed_at", DateTime(timezone=True), nullable=False),
    Column("assessed_by", String(100)),
    Column("scores_json", Text, nullable=False),
    Column("notes", Text),
)

# What version of a derived mark the text units carry ("boilerplate": a fingerprint of the word lists):
# when the lists change, the next analysis marks every unit again.
annotation_versions = Table(
    "annotation_versions", metadata,
    Column("name", String(32), primary_key=True),
    Column("version", String(64), nullable=False),
)

# Actions taken on what eevp shows (a theme, a customer theme, a survey item for a group, an EVP gap,
# an exit reason): who owns them, by when, and the target's figure when the action was created.
actions = Table(
    "actions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),  # theme | customer_theme | item | evp_gap | exit_reason
    Column("target_key", String(700), nullable=False),  # as the CLI writes it after "KIND:"
    Column("target_json", Text, nullable=False),  # the parsed target ({"theme_id"}, {"item", "dimension", ...})
    Column("model_row", Integer),  # themes: the model the theme id belongs to (moved on a refit)
    Column("target_gone", Boolean, nullable=False, default=False),  # a refit left no theme holding it
    Column("title", String(300), nullable=False),
    Column("owner", String(100), nullable=False),
    Column("due", Date),
    Column("status", String(16), nullable=False),  # open | in progress | done | dropped
    Column("created_by", String(100)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("baseline_json", Text),  # the target's figure when created: {"period", "value", "n", "suppressed"}
    Index("ix_actions_kind_model", "kind", "model_row"),
)

action_notes = Table(
    "action_notes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("action_id", Integer, ForeignKey("actions.id", ondelete="CASCADE"), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("author", String(100)),
    Column("status", String(16)),  # the status set with this note (None: a note only)
    Column("note", Text, nullable=False),
    Index("ix_action_notes_action", "action_id"),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("username", String(100)),
    Column("action", String(50), nullable=False),
    Column("detail", Text),
)

#: Failed password logins (the login limit of :mod:`eevp.store.auth`): kept here so that a restart does not
#: reset it. ``at_s`` is seconds since the epoch; rows older than the window are deleted as new ones come.
login_failures = Table(
    "login_failures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(100), nullable=False, index=True),
    Column("at_s", Float, nullable=False),
)


# What changed at each analysis run (new and rising themes, customer themes turning systemic): Home lists
# the latest ("since the last upload"); see eevp.analytics.alerts.
alert_snapshots = Table(
    "alert_snapshots", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("payload_json", Text, nullable=False),
)


def _create_v1(conn) -> None:
    metadata.create_all(conn)


def _packed_scores_v2(conn) -> None:
    """survey_responses.item_scores, filled for the responses stored before it existed."""

    if "item_scores" not in {c["name"] for c in inspect(conn).get_columns("survey_responses")}:
        kind = LargeBinary().compile(dialect=conn.dialect)
        conn.execute(text(f"ALTER TABLE survey_responses ADD COLUMN item_scores {kind}"))
    fill_packed_scores(conn)


def _lens_classes_v3(conn) -> None:
    """statement_tags.cls and .severity (the learned customer lens). Tags of the older rules tagger
    are dropped, and the customer themes built on them marked stale: the next analysis re-tags."""
    have = {c["name"] for c in inspect(conn).get_columns("statement_tags")}
    for name, kind in (("cls", String(24)), ("severity", Float())):
        if name not in have:
            conn.execute(text(f"ALTER TABLE statement_tags ADD COLUMN {name} {kind.compile(dialect=conn.dialect)}"))
    conn.execute(statement_tags.delete().where(statement_tags.c.tagger_version.like("rules-%")))
    conn.execute(theme_models.update().where(theme_models.c.scope == "customers").values(stale=True))


def _embed_claims_v4(conn) -> None:
    """embed_claims: several embedding workers on one database."""
    embed_claims.create(conn, checkfirst=True)


def _theme_languages_v5(conn) -> None:
    """themes.labels_json (a label per language) and the annotation_versions table. Themes fitted before
    have no per-language labels (their one label is shown until the next refit); units marked with older
    boilerplate lists are marked again by the next analysis (it finds no version stored)."""
    if "labels_json" not in {c["name"] for c in inspect(conn).get_columns("themes")}:
        conn.execute(text(f"ALTER TABLE themes ADD COLUMN labels_json {Text().compile(dialect=conn.dialect)}"))
    annotation_versions.create(conn, checkfirst=True)


def _actions_v6(conn) -> None:
    """The ``actions`` and ``action_notes`` tables (create_all skips tables that exist)."""
    metadata.create_all(conn, tables=[actions, action_notes])


def _alert_snapshots_v7(conn) -> None:
    """alert_snapshots (the alerts of each analysis run); a database created at v1 since has it already."""
    alert_snapshots.create(conn, checkfirst=True)


def _customer_feedback_v8(conn) -> None:
    """Customer feedback as a source: its own tables, and batch kinds of up to 32 characters
    ("customer_feedback" has 17; SQLite does not enforce lengths)."""
    for table in (customer_comments, customer_statements, customer_own_themes):
        table.create(conn, checkfirst=True)
    if conn.dialect.name == "postgresql":
        for name in ("batches", "mapping_templates"):
            conn.execute(text(f"ALTER TABLE {name} ALTER COLUMN kind TYPE VARCHAR(32)"))


def _login_failures_v9(conn) -> None:
    """login_failures: the login limit outlives a restart (it was counted in memory)."""
    login_failures.create(conn, checkfirst=True)


#: Ordered migrations: (version, function(connection)). Append; never edit an applied one.
MIGRATIONS = [(1, _create_v1), (2, _packed_scores_v2), (3, _lens_classes_v3), (4, _embed_claims_v4),
              (5, _theme_languages_v5), (6, _actions_v6), (7, _alert_snapshots_v7), (8, _customer_feedback_v8),
              (9, _login_failures_v9)]
SCHEMA_VERSION = MIGRATIONS[-1][0]


# --------------------------------------------------------------------------- packed scores
#
# A survey's scores are packed per response in ``survey_responses.item_scores``: little-endian
# float64, one per rating item of the response's batch in the order of ``batches.items_json``,
# NaN where no score was given. Reading 100,000 responses then moves 100,000 values instead of
# pivoting a million rows, and ingest writes one value per response instead of one row per score
# (the million long-form rows of 100,000 responses took 4.2 s of a 27 s ingest). Ingest writes only
# the packed form; ``survey_scores`` (one row per score) is read for the responses whose
# ``item_scores`` is NULL (stored by an eevp from before the packed form, or by hand); the migration
# that added the packed form and a restore pack them (:func:`fill_packed_scores`).

PACKED = np.dtype("<f8")


def item_name(item: dict) -> str:
    """The stored name of a declared rating item (``survey_scores.item`` holds 200 characters)."""
    return item["item"][:200]


def batch_items(items_json: str | None) -> list[str]:
    """Stored item names of one batch, in the order of its ``items_json``."""
    return [item_name(it) for it in json.loads(items_json or "[]")]


def pack_scores(scores: np.ndarray) -> list[bytes]:
    """One packed value per row of an (n responses × k items) matrix of scores (NaN = none)."""
    matrix = np.ascontiguousarray(scores, dtype=PACKED)
    return [row.tobytes() for row in matrix]


def unpack_scores(packed, n_items: int) -> np.ndarray:
    """The (n × k) matrix back from packed values of one batch (bytes or memoryviews)."""
    if not len(packed):
        return np.zeros((0, n_items), dtype=PACKED)
    buf = b"".join(packed)
    if len(buf) != len(packed) * n_items * PACKED.itemsize:
        raise ValueError(f"packed scores do not match the batch's {n_items} items")
    return np.frombuffer(buf, dtype=PACKED).reshape(len(packed), n_items)


def fill_packed_scores(conn) -> int:
    """Pack the scores of responses whose ``item_scores`` is NULL (data stored before it
    existed, restored from an older backup). Returns how many responses were filled."""

    r, s, b = survey_responses, survey_scores, batches
    todo = select(r.c.batch_id).where(r.c.item_scores.is_(None)).distinct()
    filled = 0
    for batch_id, items_json in conn.execute(select(b.c.id, b.c.items_json).where(b.c.id.in_(todo))).all():
        names = batch_items(items_json)
        if not names:
            continue
        ids = conn.execute(select(r.c.id).where(r.c.batch_id == batch_id, r.c.item_scores.is_(None))
                           .order_by(r.c.id)).scalars().all()
        row_of = {rid: i for i, rid in enumerate(ids)}
        col_of = {name: j for j, name in enumerate(names)}
        matrix = np.full((len(ids), len(names)), np.nan)
        for rid, item, score in conn.execute(select(s.c.response_id, s.c.item, s.c.score).where(
                s.c.batch_id == batch_id)):
            if rid in row_of and item in col_of:
                matrix[row_of[rid], col_of[item]] = score
        stmt = update(r).where(r.c.id == bindparam("rid")).values(item_scores=bindparam("packed"))
        rows = [{"rid": rid, "packed": p} for rid, p in zip(ids, pack_scores(matrix))]
        for start in range(0, len(rows), 5000):
            conn.execute(stmt, rows[start:start + 5000])
        filled += len(rows)
    return filled


def now() -> datetime:
    return datetime.now(timezone.utc)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def make_engine(url: str) -> Engine:
    """Create an engine for ``url``; for SQLite, create the folder and switch on WAL and foreign keys."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    return engine


def current_version(engine: Engine) -> int:
    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, "schema_version"):
            return 0
        return conn.execute(select(schema_version.c.version).order_by(schema_version.c.version.desc())).scalar() or 0


def migrate(engine: Engine) -> int:
    """Apply pending migrations, each in its own transaction. Returns the schema version."""
    have = current_version(engine)
    for version, apply in MIGRATIONS:
        if version <= have:
            continue
        with engine.begin() as conn:
            apply(conn)
            conn.execute(insert(schema_version).values(version=version, applied_at=now()))
    return current_version(engine)


def connect(url: str) -> Engine:
    """An engine with the schema up to date: what pages, the CLI and tests use."""
    engine = make_engine(url)
    migrate(engine)
    return engine


def is_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(text("SELECT COUNT(*) FROM batches")).scalar() == 0


def reset_for_tests(engine: Engine) -> None:
    """Empty every table and restart ids at 1 (tests that share one PostgreSQL database)."""
    if engine.dialect.name == "sqlite":
        return
    names = ", ".join(t.name for t in metadata.sorted_tables if t.name != "schema_version")
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE TABLE {names} RESTART IDENTITY CASCADE"))
