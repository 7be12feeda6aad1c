"""The CLI's ``report themes`` JSON."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from eevp.themes.read import theme_table


def themes_report(engine: Engine, settings, source: str | None = None) -> dict:
    table = theme_table(engine, scope="all", kinds=(source,) if source else None)
    table = table[table["size"] >= settings.min_comment_group] if len(table) else table
    themes = []
    for r in table.to_dict("records"):
        themes.append({"id": int(r["theme_id"]), "label": r["label"], "keywords": list(r["keywords"]),
                       "size": int(r["size"]), "by_source": r.get("by_source", {}), "sentiment": r.get("sentiment", {})})
    return {"source": source, "themes": themes}
