"""Storing customer feedback: the comments apart from staff text, each split into statements.

A customer comment is never a staff text unit: it goes to ``customer_comments`` (redacted: names,
e-mails, phones and the mapped identifier columns removed, as for staff text) and its statements
to ``customer_statements``, which the analysis tags and matches (:mod:`eevp.analytics.voice_match`).
"""

from __future__ import annotations

import json

import pandas as pd

from eevp.hashing import text_hash
from eevp.intake.statements import split_statements
from eevp.store import db
from eevp.store.bulk import insert_rows
from eevp.text.language import name_language


def _value(v):
    """A stored value: None for NaN/NaT, plain Python numbers."""
    if v is None or (isinstance(v, float) and v != v) or v is pd.NaT:
        return None
    return v.item() if hasattr(v, "item") else v


def store_feedback(conn, keep: pd.DataFrame, batch_id: int, clean: dict[str, str], scale: dict,
                   record_no: list[int]) -> int:
    """Store the valid rows of a customer-feedback batch: comments, then their statements.

    Args:
        conn: an open transaction.
        keep: the canonical frame of the valid rows (``text::<column>`` holds the raw comment).
        batch_id: the batch the rows belong to.
        clean: raw comment → redacted comment (redaction ran before this).
        scale: the declared scale of the scores, ``{"min", "max"}``.
        record_no: the spreadsheet row of each kept row.

    Returns:
        How many statements were stored.
    """
    text_col = next(c for c in keep.columns if c.startswith("text::"))
    rows = [{
        "batch_id": batch_id, "record_no": no, "date": _value(r["date"]), "period": r["period"],
        "channel": r["channel"], "score": _value(r["score"]), "scale_min": float(scale["min"]),
        "scale_max": float(scale["max"]), "product": r["product"], "location": r["location"],
        "segments_json": json.dumps(r["segments"], ensure_ascii=False) if r["segments"] else None,
        "text": clean.get(r[text_col], r[text_col]),
    } for no, r in zip(record_no, keep.to_dict("records"))]
    ids = insert_rows(conn, db.customer_comments, rows, with_ids=True)
    statements = [{"batch_id": batch_id, "comment_id": cid, "seq": seq, "text": part,
                   "text_hash": text_hash(part), "language": name_language(part)}
                  for cid, row in zip(ids, rows)
                  for seq, part in enumerate(split_statements(row["text"]) or [row["text"]])]
    insert_rows(conn, db.customer_statements, statements)
    return len(statements)
