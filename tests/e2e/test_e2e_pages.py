"""Themes and customer insights, as a CX lead and an HR analyst see them."""

import pytest

from eevp.themes.read import CANDIDATE_MARK

pytestmark = pytest.mark.e2e


def stored_texts(server) -> list[str]:
    """What a quote may be taken from: staff text units, and customers' own comments (the Staff and
    customers tab quotes them beside the staff)."""
    return [r[0] for sql in ("SELECT text FROM text_units", "SELECT text FROM customer_comments")
            for r in server.query(sql)]


def labels(server, scope: str) -> set[str]:
    """Every name a current theme of ``scope`` may be shown by: its label, its label in each language, and
    its first keywords (the name of a theme without a phrase, eevp.themes.read.distinct_labels), lower-case."""
    import json

    rows = server.query(
        "SELECT t.label, t.labels_json, t.keywords_json FROM themes t JOIN theme_models m ON m.id = t.model_row "
        "WHERE m.scope = :s AND m.is_current",
        s=scope,
    )
    names = {r[0] for r in rows} | {label for r in rows for label in json.loads(r[1] or "{}").values()}
    names |= {", ".join(json.loads(r[2] or "[]")[:3]) for r in rows}
    return {n.lower() for n in names if n}


def voice_labels(server) -> set[str]:
    """The names the Staff and customers tab may show beside the customer themes: the themes of what
    customers themselves write (a blind spot has no staff theme), by label or first keywords, lower-case."""
    import json

    rows = server.query("SELECT label, keywords_json FROM customer_own_themes")
    names = {r[0] for r in rows} | {", ".join(json.loads(r[1] or "[]")[:3]) for r in rows}
    return {n.lower() for n in names if n}


def in_stored(quote: str, texts: list[str]) -> bool:
    return any(quote in t for t in texts)


def test_themes_and_customer_insights_show_themes_and_quotes(app, server):
    texts = stored_texts(server)
    app.open("/themes")  # a bookmarked page opens after the login
    app.login("admin")
    app.shot("themes")
    assert app.page.url.endswith("/themes")
    assert app.heading() == "Themes in what people write"
    assert int(app.metric("Themes")) >= 3
    app.tab("Quotes")
    app.shot("themes-quotes")
    # A label two themes share is shown with a keyword or a number after it (eevp.themes.read.distinct_labels).
    shown = app.select_value("Theme").removeprefix(CANDIDATE_MARK)
    assert any(shown.lower() == label or shown.lower().startswith(label + " ") for label in labels(server, "all")), shown
    quotes = app.quotes()
    assert quotes and [q for q in quotes if not in_stored(q, texts)] == []

    app.go("Customer insights")
    app.shot("customer-insights")
    assert app.heading() == "What staff and customers tell us"  # the demo has customer feedback too
    assert int(app.metric("Customer themes")) >= 1
    shown = app.page.locator("[data-testid='stMain'] h4").all_inner_texts()
    known = labels(server, "customers") | voice_labels(server)
    assert shown and all(any(label in h.lower() for label in known) for h in shown), (shown, known)
    quotes = app.quotes()
    assert quotes and [q for q in quotes if not in_stored(q, texts)] == []
