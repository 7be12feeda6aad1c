"""Data lifecycle: erase a respondent, back up and restore, export stored texts."""

from __future__ import annotations

import base64
import json
import zipfile
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.engine import Engine

from eevp.errors import InputError, NotFoundError
from eevp.hashing import keyed_hash
from eevp.settings import Settings
from eevp.store import db
from eevp.store.audit import record
from eevp.store.auth import User, require
from eevp.store.batches import drop_orphan_embeddings

FORMAT = "eevp-backup-1"


def erase_respondent(engine: Engine, settings: Settings, actor: User, respondent_id: str) -> dict:
    """Right to erasure: remove every row of one respondent (by the id in the source files).

    Cascades through text units, their tags, theme assignments and embeddings no one else uses;
    theme models that contained the person's text are marked stale.
    """
    require(actor, "erase")
    key = keyed_hash(respondent_id, settings.hash_key())
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        t = db.text_units
        unit_ids = [r[0] for r in conn.execute(select(t.c.id).where(t.c.respondent_key == key))]
        resp_ids = [r[0] for r in conn.execute(select(db.survey_responses.c.id)
                                               .where(db.survey_responses.c.respondent_key == key))]
        exit_ids = [r[0] for r in conn.execute(select(db.exits.c.id).where(db.exits.c.respondent_key == key))]
        if not (unit_ids or resp_ids or exit_ids):
            found = conn.execute(select(db.evp_ratings.c.id).where(db.evp_ratings.c.respondent_key == key)).first()
            if not found:
                raise NotFoundError("No stored data for this respondent id. Check the id as it appears in the "
                                    "uploaded files.")
        models = [r[0] for r in conn.execute(select(db.theme_assignments.c.model_row)
                                             .where(db.theme_assignments.c.unit_id.in_(unit_ids)).distinct())]
        for table, col, ids in [(db.theme_assignments, "unit_id", unit_ids), (db.statement_tags, "unit_id", unit_ids),
                                (db.tag_reviews, "unit_id", unit_ids), (db.text_units, "id", unit_ids),
                                (db.survey_scores, "response_id", resp_ids), (db.survey_responses, "id", resp_ids),
                                (db.exit_scores, "exit_id", exit_ids), (db.exits, "id", exit_ids)]:
            n = 0
            for start in range(0, len(ids), 500):
                n += conn.execute(delete(table).where(table.c[col].in_(ids[start:start + 500]))).rowcount
            counts[table.name] = counts.get(table.name, 0) + n
        counts["evp_ratings"] = conn.execute(delete(db.evp_ratings).where(db.evp_ratings.c.respondent_key == key)).rowcount
        counts["embeddings"] = drop_orphan_embeddings(conn)
        if models:
            conn.execute(update(db.theme_models).where(db.theme_models.c.id.in_(models)).values(stale=True))
        record(conn, actor.username, "erase", f"respondent (hash {key[:8]}…), {sum(counts.values())} rows")
    return counts


def _jsonable(value):
    if isinstance(value, (datetime, date)):
        return {"$date": value.isoformat()}
    if isinstance(value, bytes):
        return {"$b64": base64.b64encode(value).decode()}
    return value


def _restore_value(value, column):
    if isinstance(value, dict) and "$date" in value:
        text = value["$date"]
        return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)
    if isinstance(value, dict) and "$b64" in value:
        return base64.b64decode(value["$b64"])
    return value


def backup(engine: Engine, path: str | Path, actor: User) -> dict:
    """Write every table to a zip (JSON lines per table): portable between SQLite and PostgreSQL."""
    require(actor, "settings")
    counts = {}
    path = Path(path)
    tmp = path.with_suffix(path.suffix + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z, engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            lines = []
            for row in conn.execute(select(table)).mappings():
                lines.append(json.dumps({k: _jsonable(v) for k, v in row.items()}, ensure_ascii=False))
            z.writestr(f"{table.name}.jsonl", "\n".join(lines))
            counts[table.name] = len(lines)
        z.writestr("manifest.json", json.dumps({"format": FORMAT, "schema_version": db.SCHEMA_VERSION,
                                                "created_at": db.now().isoformat(), "counts": counts}))
    tmp.replace(path)

    record(engine, actor.username, "backup", str(path))
    return counts


def restore(engine: Engine, path: str | Path, actor: User) -> dict:
    """Replace the database's content with a backup, in one transaction."""
    require(actor, "settings")
    try:
        z = zipfile.ZipFile(path)
        manifest = json.loads(z.read("manifest.json"))
    except (OSError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        raise InputError(f"{path} is not an eevp backup ({exc}). Make one with 'python -m eevp backup FILE'.") \
            from exc
    if manifest.get("format") != FORMAT or manifest.get("schema_version", 0) > db.SCHEMA_VERSION:
        raise InputError("This backup was made by a newer or different eevp; upgrade eevp first.")
    counts = {}
    with engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(delete(table))
        for table in db.metadata.sorted_tables:
            text = z.read(f"{table.name}.jsonl").decode("utf-8")
            rows = [{k: _restore_value(v, k) for k, v in json.loads(line).items()} for line in text.splitlines()
                    if line]
            for start in range(0, len(rows), 5000):
                conn.execute(insert(table), rows[start:start + 5000])
            counts[table.name] = len(rows)
        db.fill_packed_scores(conn)  # a backup made before scores were packed has none
        if engine.dialect.name == "postgresql":
            _reset_sequences(conn)
        record(conn, actor.username, "restore", f"{Path(path).name} ({sum(counts.values())} rows)")
    return counts


def _reset_sequences(conn) -> None:
    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.c.id.autoincrement is True:
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                              f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))


def export_texts(engine: Engine, actor: User) -> list[dict]:
    """The stored text units as stored (after redaction), for admins."""
    require(actor, "export_texts")
    t = db.text_units
    with engine.connect() as conn:
        rows = conn.execute(select(t.c.id, t.c.batch_id, t.c.kind, t.c.question, t.c.seq, t.c.role, t.c.department,
                                   t.c.wave, t.c.date, t.c.language, t.c.text).order_by(t.c.id)).mappings().all()

    record(engine, actor.username, "export", f"texts ({len(rows)} units)")
    return [{k: (v.isoformat() if isinstance(v, date) else v) for k, v in r.items()} for r in rows]
