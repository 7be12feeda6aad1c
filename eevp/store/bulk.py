"""Bulk writes: many rows in the caller's transaction, fast on SQLite (the ingest of 100,000s of rows)."""

from __future__ import annotations

from sqlalchemy import func, insert, select

__all__ = ["INSERT_CHUNK", "insert_rows"]

#: Rows per INSERT round trip (per executemany on SQLite).
INSERT_CHUNK = 20_000


def insert_rows(conn, table, rows: list[dict] | dict[str, list], *, with_ids: bool = False) -> list[int]:
    """Insert many rows in the current transaction; return their new ids if asked.

    ``rows`` is a list of dicts with the same keys, or a dict of equally long columns. On SQLite
    the rows go straight to the driver's ``executemany`` (SQLAlchemy's per-row parameter handling
    costs more than SQLite's insert itself at 100,000s of rows); each column's own bind processor
    is still applied, so values are stored exactly as SQLAlchemy stores them. New ids are handed
    out explicitly: the transaction holds SQLite's write lock (the batch row is already written),
    so nobody else can take them. Other backends use portable SQLAlchemy executemany.
    """
    if isinstance(rows, dict):
        columns = rows
        n = len(next(iter(columns.values()), []))
    else:
        n = len(rows)
        columns = {k: [r[k] for r in rows] for k in rows[0]} if rows else {}
    if not n:
        return []
    if conn.dialect.name != "sqlite":
        return _portable_executemany(conn, table, rows, columns, n, with_ids)
    keys = list(columns)
    ids: list[int] = []
    if with_ids:
        first = (conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1
        ids = list(range(first, first + n))
        keys.insert(0, "id")
        columns = {"id": ids, **columns}
    for start in range(0, n, INSERT_CHUNK):  # a chunk's parameters at a time: a million rows' at once took GBs
        _sqlite_executemany(conn, table, keys, {k: columns[k][start:start + INSERT_CHUNK] for k in keys})
    return ids


def _portable_executemany(conn, table, rows, columns: dict[str, list], n: int, with_ids: bool) -> list[int]:
    """SQLAlchemy's executemany (PostgreSQL and the rest), :data:`INSERT_CHUNK` rows at a time."""
    ids: list[int] = []
    for start in range(0, n, INSERT_CHUNK):
        dicts = (rows[start:start + INSERT_CHUNK] if isinstance(rows, list)
                 else [dict(zip(columns, vals)) for vals in zip(*(c[start:start + INSERT_CHUNK]
                                                                  for c in columns.values()))])
        if with_ids:
            res = conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), dicts)
            ids += [r[0] for r in res]
        else:
            conn.execute(insert(table), dicts)
    return ids


def _sqlite_executemany(conn, table, keys: list[str], columns: dict[str, list]) -> None:
    dialect = conn.dialect
    for k in keys:
        process = table.c[k].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            columns[k] = _processed(process, columns[k])
    quote = dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({', '.join(quote(k) for k in keys)}) "
           f"VALUES ({', '.join('?' for _ in keys)})")
    conn.exec_driver_sql(sql, list(zip(*(columns[k] for k in keys))))


def _processed(process, values: list) -> list:
    """``process`` applied to each value but None, once per distinct value where the values repeat
    (dates and flags: a million text units hold a handful of dates, and each call costs microseconds)."""
    try:
        distinct = set(values)
    except TypeError:  # unhashable values: each one processed
        distinct = None
    if distinct is None or len(distinct) > len(values) // 2:
        return [None if v is None else process(v) for v in values]
    done = {v: None if v is None else process(v) for v in distinct}
    return [done[v] for v in values]
