"""What a user sees (issue 19): charts drawn, no label twice, the brief in Russian, a refusal in words,
a reload that keeps the session, and no English left in the Russian interface."""

import json
import os
import re
from pathlib import Path

import pytest
from conftest import ARTIFACTS
from eevp.charts import HIDDEN_MARK

pytestmark = pytest.mark.e2e

RU = json.loads((Path(__file__).resolve().parents[2] / "eevp/resources/i18n/ru.json").read_text(encoding="utf-8"))

#: Every chart in the visible part of the page: height, marks drawn, axis labels per axis.
CHARTS_JS = """() => Array.from(document.querySelectorAll("[data-testid='stVegaLiteChart']"))
  .filter(e => e.offsetParent !== null)
  .map(e => ({height: e.getBoundingClientRect().height,
              marks: e.querySelectorAll("g.mark-rect path, g.mark-symbol path, g.mark-line path, g.mark-rule line")
                       .length,
              axes: Array.from(e.querySelectorAll("g.role-axis")).map(a =>
                       Array.from(a.querySelectorAll("g.role-axis-label text")).map(t => t.textContent))}))"""


def visible_charts(app) -> list[dict]:
    app.page.wait_for_timeout(1500)  # Vega draws after the run ends
    return app.page.evaluate(CHARTS_JS)


def table_columns(app) -> dict[str, list[str]]:
    """The columns of the visible table, by header (the data grid keeps an accessible copy of its cells,
    holding the values, not the formatted text)."""
    return app.page.evaluate("""() => {
      const grid = Array.from(document.querySelectorAll("[data-testid='stDataFrame']"))
        .find(e => e.getClientRects().length);
      if (!grid) return {};
      const heads = Array.from(grid.querySelectorAll("thead th")).map(h => h.textContent.trim());
      const out = Object.fromEntries(heads.map(h => [h, []]));
      for (const row of grid.querySelectorAll("tbody tr")) {
        Array.from(row.querySelectorAll("td")).forEach((c, i) => out[heads[i]]?.push(c.textContent.trim()));
      }
      return out;
    }""")


def test_enps_by_group_is_drawn_and_its_percentages_are_shares(app):
    app.open("/survey")
    app.login("admin")
    app.tab("eNPS by group")
    app.shot("enps-by-group")
    charts = visible_charts(app)
    assert charts and charts[0]["height"] > 50 and charts[0]["marks"] > 0, charts
    columns = table_columns(app)
    # a hidden group shows the charts' hidden mark, not a number
    shown = [v for name in ("Promoters", "Detractors") for v in columns.get(name, []) if v and v != HIDDEN_MARK]
    # Written as percentages ("37.6%"): a share of 0..1 is 0..100%; a percentage formatted twice was "3,760.68%".
    assert shown and all(v.endswith("%") for v in shown), columns
    shares = [float(v.removesuffix("%").replace(",", "")) for v in shown]
    assert all(0 <= v <= 100 for v in shares), columns


def test_no_chart_shows_a_label_twice(app, server):
    from eevp.store.auth import CLI_USER
    from eevp.store.db import connect
    from eevp.themes.run import rename_theme

    rows = server.query("SELECT t.model_row, t.theme_id, t.label FROM themes t JOIN theme_models m "
                        "ON m.id = t.model_row WHERE m.scope = 'all' AND m.is_current ORDER BY t.theme_id")
    engine = connect(server.settings.database_url)
    try:  # two themes with one label, as after a real upload
        rename_theme(engine, rows[1][0], rows[1][1], rows[0][2], actor=CLI_USER)
    finally:
        engine.dispose()
    app.open("/themes")
    app.login("admin")
    seen = 0
    for tab in ["Themes", "Who raises them", "Compare groups"]:
        app.tab(tab)
        app.shot(f"labels-{tab}")
        for chart in visible_charts(app):
            for labels in chart["axes"]:
                seen += len(labels)
                assert len(labels) == len(set(labels)), (tab, labels)
    assert seen > 10


def test_the_brief_is_rendered_in_russian(new_app):
    app = new_app(locale="ru-RU")
    app.open("/customer-insights")
    app.login("admin")
    app.tab(RU["Insight brief"])
    app.shot("brief-ru")
    panel = app.page.locator("[role='tabpanel']:visible").inner_text()
    assert "Упомянули" in panel and "Этап пути клиента" in panel, panel[:500]
    for english in ["Raised by", "Journey stage", "sources:", "Keywords", "**", "\\."]:
        assert english not in panel, english
    assert app.page.locator("[role='tabpanel']:visible h2").count() >= 1  # Markdown headings, not raw text


def test_a_page_the_role_may_not_open_says_so_and_a_reload_keeps_the_session(app):
    app.open("/admin")
    app.login("hr-anna")
    app.shot("no-access")
    assert any("You do not have access to the page Admin" in w for w in app.alerts("Warning")), app.alerts()
    app.go("Survey")
    assert app.heading() == "Survey results"
    app.act(app.page.reload)  # F5: a new Streamlit session
    app.shot("after-reload")
    assert app.heading() == "Survey results"
    assert not app.page.get_by_role("textbox", name="Password").count()
    assert "Logged in as hr-anna (HR analyst)" in app.page.locator("[data-testid='stSidebar']").inner_text()
    app.act(app.page.get_by_role("button", name="Log out").click)
    app.act(app.page.reload)  # logged out stays logged out
    assert app.page.get_by_role("textbox", name="Password").is_visible()


# --------------------------------------------------------------------------- no English in Russian or Ukrainian

#: Words that stay as they are in Russian: names, abbreviations, formats (a data file beside this test).
ALLOWED = {w.strip() for w in (Path(__file__).with_name("english_allowed.txt")).read_text("utf-8").splitlines()
           if w.strip() and not w.startswith("#")}
#: Tables of what people uploaded (their words are shown as written).
DATA_TABLES = ["survey_responses", "exits", "focus_sessions", "evp_benefits", "evp_ratings", "text_units", "themes"]
#: The text a person sees: visible text of the main area and the sidebar (not icon names, which Streamlit
#: writes as words of an icon font, nor text hidden by CSS, nor commands written as code), the headers and
#: cells of the tables and the text of the charts.
TEXT_JS = """() => {
  const out = [];
  for (const root of document.querySelectorAll("[data-testid='stMain'], [data-testid='stSidebar']")) {
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const p = n.parentElement;
      if (!p || p.closest("[data-testid='stIconMaterial'], svg, code, pre") || !p.getClientRects().length) continue;
      if (getComputedStyle(p).visibility !== "visible") continue;
      out.push(n.textContent);
    }
  }
  for (const e of document.querySelectorAll("[data-testid='stDataFrame']")) {  // drawn on a canvas: its copy
    if (!e.getClientRects().length) continue;  // ticks are drawn as boxes; their copy says true / false
    out.push(...Array.from(e.querySelectorAll("th, td")).map(c => c.textContent).filter(x => !/^(true|false)$/.test(x)));
  }
  for (const e of document.querySelectorAll("[data-testid='stVegaLiteChart']")) {
    if (e.getClientRects().length) out.push(...Array.from(e.querySelectorAll("svg text")).map(t => t.textContent));
  }
  return out.join("\\n");
}"""


def data_words(server) -> set[str]:
    """Words of the stored data (group names, items, comments, theme labels): shown as people wrote them."""
    words = set()
    for table in DATA_TABLES:
        for row in server.query(f"SELECT * FROM {table}"):  # noqa: S608 - our own table names
            for value in row:
                if isinstance(value, str):
                    words.update(w.lower() for w in re.findall(r"[A-Za-z]+", value))
    for row in server.query("SELECT name, filename, items_json FROM batches"):
        words.update(w.lower() for value in row if value for w in re.findall(r"[A-Za-z]+", value))
    # The audit log shows its records as stored (action codes such as "login", details): a record, like
    # the data. Settings show configured values (the database's path, the embedding model's name).
    for row in server.query("SELECT username, action, detail FROM audit_log"):
        words.update(w.lower() for value in row if value for w in re.findall(r"[A-Za-z]+", value))
    config = f"{server.settings.database_url} {server.settings.embedder} {' '.join(server.accounts)}"
    words.update(w.lower() for w in re.findall(r"[A-Za-z]+", config))
    return words - {"item", "min", "max"}


def english_in(text: str, allowed_data: set[str]) -> set[str]:
    """English words in ``text`` that are neither names nor data (a data word cut short with "…" counts
    as data)."""
    found = set()
    for m in re.finditer(r"[A-Za-z][A-Za-z'’]+(…)?", text):
        word = m.group(0).rstrip("…")
        if word in ALLOWED or word.lower() in allowed_data or re.fullmatch(r"Q[1-4]", word):
            continue
        if m.group(1) and any(w.startswith(word.lower()) for w in allowed_data):
            continue
        found.add(word)
    return found


@pytest.mark.skipif(bool(os.environ.get("EEVP_TEST_DATABASE_URL")), reason="reads SQLite tables")
@pytest.mark.parametrize("locale", ["ru-RU", "uk-UA"])
def test_the_russian_and_ukrainian_interface_has_no_english_on_any_page_or_tab(new_app, server, locale):
    app = new_app(locale=locale)
    app.open("/")
    shown = {"login": app.page.evaluate(TEXT_JS)}
    app.login("admin")
    for title in app.nav_titles():
        app.go(title)
        tabs = app.page.get_by_role("tab").all_inner_texts() or [None]
        for tab in tabs:
            if tab:
                app.tab(tab.strip())
                app.page.wait_for_timeout(1000)
            app.shot(f"{locale}-page")
            shown[f"{title} › {tab}"] = app.page.evaluate(TEXT_JS)
    allowed = data_words(server)  # read last: the audit log has this visit's entries by now
    found = {k: english_in(text, allowed) for k, text in shown.items()}
    found = {k: sorted(v) for k, v in found.items() if v}
    (ARTIFACTS / f"english-in-{locale}.json").write_text(json.dumps(found, ensure_ascii=False, indent=1), "utf-8")
    assert found == {}, found


def test_home_after_an_upload_of_older_waves_shows_the_newest_wave(app, server):
    from e2e_data import survey_csv
    from test_e2e_upload import upload

    app.open("/upload")
    app.login("hr-anna")
    # Dated answers (as a real export has): stored as the wave 2021-Q2 with its date, while the demo's
    # newer waves have labels only. Ordered by batch or by "dated first", 2021-Q2 came out as the latest.
    upload(app, "old-survey.csv", survey_csv(30, wave="2021-05-14"))
    app.act(app.page.get_by_role("button", name="Store", exact=True).click)
    assert app.alerts("Error") == []
    newest = max(w for (w,) in server.query("SELECT DISTINCT wave FROM survey_responses"))
    assert newest > "2021-Q2"
    app.go("Home")
    app.shot("home-after-older-upload")
    assert f"Latest survey wave: {newest}" in app.main_text()
    assert app.metric("eNPS") not in ("nan", "")
    # The upload started the analysis in the background; the tests after this one read the themes it writes.
    assert server.wait_for_analysis()["state"] == "done"
