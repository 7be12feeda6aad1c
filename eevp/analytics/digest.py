"""The leadership digest: one printable, self-contained HTML page (``python -m eevp digest``, Home).

The page is built from sections; :data:`SECTION_BUILDERS` is the list the digest goes through, in order.
Each builder takes the :class:`Context` and returns a :class:`Section` (or None to leave it out). Every
number comes from the functions the dashboards use, through the anonymity rule; every text that people
or files brought (labels, group names, quotes, wave names) is HTML-escaped here. Charts are inline SVG:
nothing is fetched from anywhere when the page is opened or printed.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cached_property
from typing import Callable

import pandas as pd
from sqlalchemy.engine import Engine

from eevp.analytics import alerts, customers, reports, summaries
from eevp.analytics.theme_views import with_person
from eevp.errors import InputError
from eevp.i18n import format_number, translate
from eevp.store import queries
from eevp.themes.read import theme_table, unit_themes
from eevp.store.auth import User

__all__ = ["SECTION_BUILDERS", "Context", "Section", "build", "html_table", "render"]

#: Themes, customer themes and EVP gaps listed at most in their sections.
TOP = 6


@dataclass(frozen=True)
class Section:
    """One part of the digest: a key (the HTML id), a title, and its body as HTML (already escaped)."""

    key: str
    title: str
    body: str


class Context:
    """What the section builders read: the stored data, loaded once, and the options of the digest."""

    def __init__(self, engine: Engine, settings, since: str | None = None, lang: str = "en", *, actor: User):
        self.engine, self.settings, self.since, self.lang, self.actor = engine, settings, since, lang, actor

    def t(self, text: str, **values) -> str:
        """``text`` translated, escaped for HTML (values too)."""
        out = esc(translate(text, self.lang))
        return out.format(**{k: esc(v) for k, v in values.items()}) if values else out

    def n(self, value, decimals: int = 0) -> str:
        return format_number(value, self.lang, decimals)

    def pct(self, share) -> str:
        return "—" if share is None or pd.isna(share) else format_number(share * 100, self.lang) + "%"

    @cached_property
    def survey(self) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
        return queries.survey_wide(self.engine), queries.survey_items(self.engine), queries.wave_order(self.engine)

    @cached_property
    def home(self) -> dict:
        wide, items, waves = self.survey
        return reports.home_summary(wide, items, queries.exits_frame(self.engine), waves, self.settings.min_group_size)

    @cached_property
    def theme_units(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        return theme_table(self.engine, "all"), with_person(unit_themes(self.engine, "all"))

    @cached_property
    def theme_changes(self) -> dict:
        table, units = self.theme_units
        labels = table.set_index("theme_id")["label"] if len(table) else pd.Series(dtype=object)
        return alerts.theme_changes(units, labels, self.settings.min_comment_group, self.since)

    @cached_property
    def customer(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        units = customers.customer_units(self.engine)
        labels = customers.theme_labels(self.engine)
        return units, customers.rank_themes(units, labels, self.settings.min_comment_group) if len(units) else units


def esc(value) -> str:
    """Any value as HTML text."""
    return html.escape("" if value is None else str(value), quote=True)


# --------------------------------------------------------------------------- charts (inline SVG)

def svg_bars(rows: list[tuple[str, float]], unit: str = "", width: int = 640, bar: int = 18) -> str:
    """Horizontal bars, one per (label, value), values ≥ 0; labels escaped. A self-contained ``<svg>``."""
    if not rows:
        return ""
    top = max(v for _, v in rows) or 1.0
    label_w, height = 260, (bar + 6) * len(rows) + 4
    parts = [f'<svg width="{width}" height="{height}" role="img" '
             f'class="chart">']
    for i, (label, value) in enumerate(rows):
        y = 2 + i * (bar + 6)
        w = max(1.0, (width - label_w - 70) * value / top)
        parts.append(f'<text x="{label_w - 6}" y="{y + bar - 5}" text-anchor="end">{esc(label[:42])}</text>'
                     f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar}" fill="#3b6ea8"/>'
                     f'<text x="{label_w + w + 4:.1f}" y="{y + bar - 5}">{esc(value_text(value, unit))}</text>')
    return "".join(parts) + "</svg>"


def value_text(value: float, unit: str) -> str:
    return f"{value * 100:.0f}%" if unit == "%" else (f"{value:.2f}" if unit == "gap" else f"{value:.0f}")


def svg_line(points: list[tuple[str, float]], width: int = 640, height: int = 160) -> str:
    """One line through (label, value) points, labels under the x axis. A self-contained ``<svg>``."""
    if len(points) < 2:
        return ""
    values = [v for _, v in points]
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    step = (width - 80) / (len(points) - 1)
    xy = [(40 + i * step, 20 + (height - 60) * (1 - (v - lo) / span)) for i, v in enumerate(values)]
    parts = [f'<svg width="{width}" height="{height}" role="img" class="chart">',
             '<polyline fill="none" stroke="#3b6ea8" stroke-width="2" points="'
             + " ".join(f"{x:.1f},{y:.1f}" for x, y in xy) + '"/>']
    for (label, v), (x, y) in zip(points, xy):
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#3b6ea8"/>'
                     f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle">{v:.0f}</text>'
                     f'<text x="{x:.1f}" y="{height - 12}" text-anchor="middle">{esc(label)}</text>')
    return "".join(parts) + "</svg>"


# --------------------------------------------------------------------------- sections

def _change(ctx: Context, value, pct: bool = False, worse_up: bool = False) -> str:
    """A change as "+3" / "+1.5 pp", green when it is good news and red when bad (more exits is bad)."""
    if value is None or pd.isna(value):
        return ""
    text = f"{value * 100:+.1f} pp" if pct else f"{value:+.0f}"
    cls = "" if value == 0 else ("up" if (value > 0) != worse_up else "down")
    return f' <span class="change {cls}">{esc(text)}</span>'


def _since_cards(ctx: Context, cards: dict) -> dict:
    """The cards' changes against the wave ``since`` (when shown in the table by wave) instead of the last."""
    trend = ctx.home["trend"]
    if ctx.since is None or not len(trend):
        return cards
    shown = trend[~trend["suppressed"]].set_index("wave")
    if ctx.since not in shown.index or cards["wave"] == ctx.since:
        return {**cards, "responses_delta": None, "enps_delta": None, "engagement_delta": None}
    base = shown.loc[ctx.since]
    return {**cards, "responses_delta": cards["responses"] - base["n"], "enps_delta": cards["enps"] - base["enps"],
            "engagement_delta": cards["engagement"] - base["engagement"]}


def headline(ctx: Context) -> Section | None:
    """The headline numbers of the latest wave and their change, and the trend of eNPS."""
    cards = _since_cards(ctx, ctx.home["cards"])
    if cards["wave"] is None and cards.get("exits") is None:
        return None
    tiles = [(ctx.t("Responses"), ctx.n(cards["responses"]), _change(ctx, cards["responses_delta"])),
             (ctx.t("eNPS"), ctx.n(cards["enps"]), _change(ctx, cards["enps_delta"])),
             (ctx.t("Engagement"), ctx.pct(cards["engagement"]), _change(ctx, cards["engagement_delta"], pct=True)),
             (ctx.t("Exits"), ctx.n(cards.get("exits")), _change(ctx, cards.get("exits_delta"), worse_up=True)),
             (ctx.t("Regretted"), ctx.pct(cards.get("regretted_share")), "")]
    body = '<div class="cards">' + "".join(
        f'<div class="card"><div class="label">{a}</div><div class="value">{b}{c}</div></div>' for a, b, c in tiles)
    body += "</div>"
    note = (ctx.t("Latest survey wave: {wave}; changes against the wave before.", wave=cards["wave"] or "—")
            if ctx.since is None else
            ctx.t("Latest survey wave: {wave}; changes against {base}.", wave=cards["wave"] or "—", base=ctx.since))
    body += f"<p class='note'>{note}</p>"
    trend = ctx.home["trend"]
    if len(trend):
        vis = trend[~trend["suppressed"]].dropna(subset=["enps"])
        if len(vis) > 1:
            body += f"<h3>{ctx.t('eNPS by wave')}</h3>" + svg_line([(str(w), float(v)) for w, v in zip(vis["wave"],
                                                                                                      vis["enps"])])
    return Section("headline", ctx.t("Headline numbers"), body)


def since_last_upload(ctx: Context) -> Section:
    """The alerts: new and rising themes, customer themes turning systemic, items dropping significantly."""
    units, ranked = ctx.customer
    wide, items, waves = ctx.survey
    systemic = alerts.systemic_turns(units, customers.theme_labels(ctx.engine), ctx.settings.min_comment_group,
                                     ctx.since, now=ranked)
    drops = alerts.item_drops(wide, items, waves, ctx.settings.min_group_size, ctx.since) if len(wide) else None
    lines = alerts.alert_lines(ctx.theme_changes, systemic, [] if drops is None else drops.to_dict("records"),
                               ctx.lang)
    body = "".join(f"<li>{esc(x)}</li>" for x in lines) or f"<li>{ctx.t('Nothing changed significantly.')}</li>"
    return Section("alerts", ctx.t("Since the last upload"), f"<ul>{body}</ul>")


def group_drops(ctx: Context) -> Section | None:
    """Significant drops of an item within a role or a department."""
    wide, items, waves = ctx.survey
    drops = alerts.group_drops(wide, items, waves, ctx.settings.min_group_size, ctx.since) if len(wide) else []
    if not len(drops):
        return None
    head = [ctx.t("Group"), ctx.t("Item"), ctx.t("Before"), ctx.t("Now"), ctx.t("Change")]
    segments = {"role": ctx.t("Role"), "department": ctx.t("Department")}
    rows = [[f"{segments.get(r.segment, esc(r.segment))}: {esc(r.group)}", esc(r.item), ctx.pct(r.previous), ctx.pct(r.current),
             esc(f"{r.delta * 100:+.0f} pp")] for r in drops.itertuples()]
    return Section("drops", ctx.t("Significant drops by group"), html_table(head, rows))


def html_table(head: list[str], rows: list[list[str]]) -> str:
    """An HTML table of cells already escaped."""
    return ("<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody>"
            + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows) + "</tbody></table>")


def _summary_html(ctx: Context, summary, quotes: list[dict]) -> str:
    if summary is None:
        return ""
    out = f'<p class="lead">{esc(summary.lead(ctx.lang))}</p>'
    return out + "".join(f"<blockquote>{esc(q['text'])}</blockquote>" for q in quotes)


def themes(ctx: Context) -> Section | None:
    """New and rising themes with their summaries (the largest themes when none is new or rising)."""
    table, units = ctx.theme_units
    if table.empty:
        return None
    ch = ctx.theme_changes
    picked = [(r["theme_id"], ctx.t("new")) for r in ch["new"]] + [(r["theme_id"], ctx.t("rising")) for r in ch["rising"]]
    title = ctx.t("New and rising themes")
    if not picked:
        sizes = units[units["theme_id"] >= 0].groupby("theme_id")["person"].nunique().sort_values(ascending=False)
        picked, title = [(tid, "") for tid in sizes.index[:TOP]], ctx.t("The largest themes")
    picked = picked[:TOP]
    sums = summaries.theme_summaries(ctx.engine, units, ctx.settings.min_comment_group)  # trends need every theme
    labels = table.set_index("theme_id")["label"]
    body = ""
    for tid, tag in picked:
        if tid not in sums:
            continue
        badge = f' <span class="badge">{tag}</span>' if tag else ""
        body += (f'<div class="theme"><h3>{esc(labels.get(tid, tid))}{badge}</h3>'
                 + _summary_html(ctx, sums[tid], summaries.quotes_of(ctx.engine, sums[tid], actor=ctx.actor)) + "</div>")
    return Section("themes", title, body) if body else None


def customer_themes(ctx: Context) -> Section | None:
    """Systemic customer themes, the most raised first, with their summaries."""
    units, ranked = ctx.customer
    if not len(ranked):
        return None
    systemic = ranked[ranked["systemic"] == "systemic"].head(TOP)
    if systemic.empty:
        return Section("customers", ctx.t("Systemic customer themes"),
                       "<p>" + ctx.t("No customer theme is systemic at present.") + "</p>")
    sums = summaries.theme_summaries(ctx.engine, units, ctx.settings.min_comment_group, scope="customers")
    body = svg_bars([(r.label, float(r.reach)) for r in systemic.itertuples()])
    for r in systemic.itertuples():
        s = sums.get(r.theme_id)
        body += (f'<div class="theme"><h3>{esc(r.label)}</h3>'
                 + _summary_html(ctx, s, summaries.quotes_of(ctx.engine, s, actor=ctx.actor)[:3]) + "</div>")
    return Section("customers", ctx.t("Systemic customer themes"), body)


def evp_gaps(ctx: Context) -> Section | None:
    """The largest gaps between importance and satisfaction, by role (hidden groups left out)."""
    ratings, catalog = queries.evp_ratings(ctx.engine), queries.evp_catalog(ctx.engine)
    if ratings.empty:
        return None
    gaps = reports.evp_gaps(ratings, catalog, ctx.settings.min_group_size, by="role")
    gaps = gaps[~gaps["suppressed"].astype(bool)].dropna(subset=["gap"]).head(TOP)
    if gaps.empty:
        return None
    head = [ctx.t("Role"), ctx.t("Benefit"), ctx.t("Importance"), ctx.t("Satisfaction"), ctx.t("Gap")]
    rows = [[esc(r.role), esc(r.benefit), ctx.n(r.importance, 1), ctx.n(r.satisfaction, 1), ctx.n(r.gap, 2)]
            for r in gaps.itertuples()]
    return Section("evp", ctx.t("Largest EVP gaps by role"), html_table(head, rows))


#: The sections of the digest, in order. Open and overdue actions are one more builder, in the layer of
#: the actions above this one: :data:`eevp.actions.digest.BUILDERS` is this list with it at the end.
SECTION_BUILDERS: list[Callable[[Context], Section | None]] = [
    headline, since_last_upload, group_drops, themes, customer_themes, evp_gaps,
]


# --------------------------------------------------------------------------- the page

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1d2330;max-width:900px;
margin:24px auto;padding:0 16px;line-height:1.4}
h1{font-size:1.6em;margin-bottom:0}h2{border-bottom:2px solid #3b6ea8;padding-bottom:4px;margin-top:28px}
h3{margin:14px 0 4px}.meta,.note{color:#5a6272;font-size:.9em}
.cards{display:flex;gap:10px;flex-wrap:wrap}.card{border:1px solid #d5dae3;border-radius:8px;padding:8px 12px;
min-width:120px}.card .label{font-size:.85em;color:#5a6272}.card .value{font-size:1.5em;font-weight:600}
.change{font-size:.6em;font-weight:400}.change.up{color:#1d7a3a}.change.down{color:#b3261e}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #e2e6ee;padding:4px 6px;text-align:left}
blockquote{margin:4px 0 4px 12px;padding-left:10px;border-left:3px solid #c9d3e3;color:#333}
.lead{font-weight:600}.badge{font-size:.7em;background:#eef3fb;border-radius:4px;padding:1px 6px}
.badge.overdue{background:#fbe9e7;color:#b3261e;font-weight:600}
svg.chart{font-size:11px;display:block;margin:8px 0}svg text{fill:#1d2330}
@media print{body{margin:0;max-width:none}section,.theme,table,svg{page-break-inside:avoid;break-inside:avoid}
h2{page-break-after:avoid;break-after:avoid}a{color:inherit;text-decoration:none}}
@page{margin:14mm}
"""


def render(sections: list[Section], lang: str = "en", title: str = "Leadership digest", generated: str = "",
           note: str = "") -> str:
    """The HTML page of these sections: one file, styles inline, no script, nothing fetched."""
    body = "".join(f'<section id="{esc(s.key)}"><h2>{s.title}</h2>{s.body}</section>' for s in sections)
    return (f'<!DOCTYPE html><html lang="{esc(lang)}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>"
            f'<h1>{esc(title)}</h1><p class="meta">{esc(generated)}</p><p class="note">{esc(note)}</p>'
            f"{body}</body></html>")


def build(engine: Engine, settings, since: str | None = None, lang: str = "en",
          builders: list[Callable[[Context], Section | None]] | None = None, *, actor: User) -> tuple[str, list[str]]:
    """The digest's HTML and the keys of the sections it holds.

    Args:
        since: a survey wave to compare against (default: the wave before the latest, and the period before).
        lang: the language of the page (en, ru, uk).
        builders: the sections (default :data:`SECTION_BUILDERS`).
    """
    if since is not None and since not in (waves := queries.wave_order(engine)):
        raise InputError(f"There is no survey wave {since!r}; pass one of: {', '.join(waves) or '(none stored)'}.")
    ctx = Context(engine, settings, since, lang, actor=actor)
    sections = [s for s in (b(ctx) for b in (builders or SECTION_BUILDERS)) if s is not None]
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    note = translate("Groups of fewer than {n} people are never shown, and text only from {m} people or more.",
                     lang, n=settings.min_group_size, m=settings.min_comment_group)
    page = render(sections, lang, translate("Leadership digest", lang),
                  translate("Generated {when}", lang, when=stamp), note)
    return page, [s.key for s in sections]
