"""Staff voice against customer voice: per customer subject, who raises it and what it means.

A *subject* is a customer theme of staff (scope ``"customers"``) or a theme of the customer
statements that match none (:mod:`eevp.analytics.voice_match`). Staff are counted as people (the
staff rule: the comment threshold); customers as comments, under their own rule: a count of fewer
than :attr:`VoiceRule.min_comments` comments is hidden. Customers are never people of the staff rule.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine

from eevp.analytics import anonymity
from eevp.analytics.customers import customer_units, theme_labels, theme_stats
from eevp.i18n import format_number, translate
from eevp.safe import escape_markdown
from eevp.store import db
from eevp.store.queries import fetch_frame
from eevp.store.auth import User, require
from eevp.text.textprep import stop_words

STATUSES = ("confirmed", "early_warning", "blind_spot")
#: The Customer insights page's title and intro by what is stored: (staff text, customer feedback). Customer
#: feedback uploaded alone was headed "What staff tell us about customers" above 404 restaurant reviews; a
#: survey of ratings alone (IBM's attrition file) holds no staff text, so it makes no staff voice.
HEADINGS = {
    (True, False): ("What staff tell us about customers",
                    "What staff and leavers say about customers: the problems they see on the customer journey, "
                    "systemic or local."),
    (False, True): ("What customers tell us",  # the note below says that staff themes join later
                    "What customers wrote, by subject: how many comments raise each, and at which step of their "
                    "journey."),
    (True, True): ("What staff and customers tell us",
                   "What staff and leavers say about customers, set against what customers wrote: confirmed, early "
                   "warnings and blind spots."),
    (False, False): ("Customer insights",
                     "What staff and customers say about customers appears here after the analysis of survey "
                     "comments, exit interviews or customer feedback."),
}
_WORDS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class VoiceRule:
    """The status of a subject.

    Staff *raise* a subject when at least the comment threshold of people do (the staff rule);
    customers do when at least ``min_comments`` comments do. *Confirmed*: both raise it, and the
    customers' share of all customer comments is at least ``far_less`` times the staff's share of
    the people who talk about customers. *Early warning*: staff raise a problem (not praise) and
    customers do not yet, or far less. *Blind spot*: customers raise it as a problem (at least ``problem_share`` of its
    statements negative) and staff do not (a theme of customer statements that match no staff theme);
    praise staff never mention is no blind spot. ``min_comments`` is also the customers' suppression
    threshold.
    """

    min_comments: int = 5
    far_less: float = 0.25
    problem_share: float = 0.5

    def explain_parts(self, min_people: int) -> tuple[str, dict]:
        return ("Confirmed: at least {p} staff and at least {c} customer comments raise it, and the customers' "
                "share is at least {f} of the staff's. Early warning: staff raise a problem, customers not "
                "yet or far less. Blind spot: customers complain about it, staff do not.",
                {"p": min_people, "c": self.min_comments, "f": f"{self.far_less:.0%}"})

    def status(self, staff_people: int, staff_total: int, comments: int, comments_total: int,
               negative_share: float = 1.0, staff_praise: bool = False) -> str | None:
        """The status of one subject from its true counts, or None when neither side raises it.

        ``staff_praise``: the staff theme is praise (customers pleased). Praise customers do not repeat is
        no warning of anything, so it is a subject only where customers raise it too; where customers
        complain about it (real airline tweets matched "Meet the customers' expectations"), staff see no
        problem that customers do: a blind spot."""
        staff = staff_people > 0
        customers = comments >= self.min_comments and (staff or negative_share >= self.problem_share)
        if staff and customers and staff_praise and negative_share >= self.problem_share:
            return "blind_spot"
        if staff and customers:
            far_less = comments / max(comments_total, 1) < self.far_less * staff_people / max(staff_total, 1)
            if far_less:
                return None if staff_praise else "early_warning"
            return "confirmed"
        if staff:
            return None if staff_praise else "early_warning"
        return "blind_spot" if customers else None


def heading(engine: Engine) -> tuple[str, str]:
    """The Customer insights page's title and intro (English) for what is stored: the staff's voice where staff
    text is (survey comments, exit interviews, focus notes: analysed or not yet), the customers' where customer
    feedback is, or both."""
    with engine.connect() as conn:
        staff = conn.execute(select(db.text_units.c.id).limit(1)).first() is not None
        customers = conn.execute(select(db.customer_comments.c.id).limit(1)).first() is not None
    return HEADINGS[staff, customers]


def detractor_cut(lo: float, hi: float) -> float:
    """The highest detractor score of a declared scale: NPS 0–10 → 6, stars 1–5 → 2, else the lowest 40%."""
    if (lo, hi) == (0, 10):
        return 6.0
    if (lo, hi) == (1, 5):
        return 2.0
    return lo + 0.4 * (hi - lo)


def customer_frame(engine: Engine) -> pd.DataFrame:
    """Customer statements (not their text) with their comment's period, score and scale, matched and own
    theme."""
    cs, cc = db.customer_statements, db.customer_comments
    with engine.connect() as conn:
        df = fetch_frame(conn, select(cs.c.id, cs.c.comment_id, cs.c.language, cs.c.stage,
                                      cs.c.sentiment, cs.c.staff_theme, cs.c.own_theme, cc.c.period, cc.c.score,
                                      cc.c.scale_min, cc.c.scale_max).join(cc, cc.c.id == cs.c.comment_id))
    cut = [detractor_cut(lo, hi) for lo, hi in zip(df["scale_min"], df["scale_max"])]
    df["detractor"] = np.where(df["score"].isna(), np.nan, (df["score"] <= np.array(cut, dtype=float)).astype(float))
    return df


def own_labels(engine: Engine) -> dict[int, str]:
    own = db.customer_own_themes
    with engine.connect() as conn:
        rows = conn.execute(select(own.c.theme_id, own.c.label, own.c.keywords_json)).all()
    return {r.theme_id: r.label or ", ".join(json.loads(r.keywords_json or "[]")[:3]) for r in rows}


# --------------------------------------------------------------------------- the comparison

def _customer_sides(cust: pd.DataFrame, subject: pd.Series, keys: list[str], periods: list[str],
                    rule: VoiceRule) -> dict[str, dict]:
    """Per subject key (``subject``: each customer statement's subject, None for none): its comments, detractor
    share, trend and main stage, each hidden below ``rule.min_comments`` comments; all subjects at once (each
    subject's trend is its own set of siblings)."""
    c = cust.assign(_subject=subject.to_numpy())
    c = c[c["_subject"].notna()]
    comments = c.drop_duplicates(["_subject", "comment_id"])
    by = comments.groupby("_subject")
    n = by.size()
    scored = comments.dropna(subset=["score"]).groupby("_subject")["detractor"]
    per = comments.groupby(["_subject", "period"])["comment_id"].nunique().reindex(
        pd.MultiIndex.from_product([keys, periods]), fill_value=0)
    t = anonymity.suppress(pd.DataFrame({"key": per.index.get_level_values(0), "period": per.index.get_level_values(1),
                                         "n": per.to_numpy()}), n_col="n", threshold=rule.min_comments,
                           group_cols=["key", "period"], value_cols=[])
    trend: dict = {k: {} for k in keys}
    for k, p, v, hidden in zip(t["key"], t["period"], t["n"], t["suppressed"]):
        trend[k][p] = None if hidden else int(v)
    negative = (c["sentiment"] == "negative").groupby(c["_subject"]).mean()
    stages = c.dropna(subset=["stage"]).groupby(["_subject", "stage"])["comment_id"].nunique()
    top, first = stages.groupby(level=0).max(), stages.groupby(level=0).idxmax()
    out = {}
    for k in keys:
        count, scores = int(n.get(k, 0)), scored.get_group(k) if k in scored.groups else None
        out[k] = {"n": count, "shown": count if count >= rule.min_comments or count == 0 else None,
                  "negative": float(negative.get(k, 0.0)),
                  "detractor_share": round(float(scores.mean()), 3) if scores is not None
                  and len(scores) >= rule.min_comments else None,
                  "trend": trend[k],
                  "stage": str(first[k][1]) if k in top.index and top[k] >= rule.min_comments else None}
    return out


def subjects(engine: Engine, settings, rule: VoiceRule = VoiceRule(), *, units: pd.DataFrame | None = None,
             stats: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per subject raised by staff or customers, ranked by their combined share.

    ``units`` and ``stats``: :func:`~eevp.analytics.customers.customer_units` and its
    :func:`~eevp.analytics.customers.theme_stats` at the comment threshold, when the caller has them.

    Columns: ``key`` ("staff:<theme>" or "own:<theme>"), ``label``, ``stage``, ``status``, ``staff_people``
    (a staff theme is a subject only when at least the comment threshold of people raise it, as on the
    Customer insights page; 0 for the customers' own themes), ``customer_comments`` (None when 1 to
    ``min_comments`` - 1),
    ``detractor_share``, ``trend`` ({"periods", "staff", "customers"}), ``unit_ids`` and ``statement_ids``
    (for quotes), ``staff_theme`` (the customer theme of staff, -1 for an own theme).
    """
    units = customer_units(engine) if units is None else units
    cust, min_people = customer_frame(engine), settings.min_comment_group
    if cust.empty:  # no customer feedback stored: nothing to compare, and no theme is a warning of anything
        return pd.DataFrame(columns=SUBJECT_COLUMNS)
    if stats is None:
        stats = theme_stats(units, theme_labels(engine), min_people) if len(units) else pd.DataFrame()
    staff_periods = set(units["period"].dropna()) if len(units) else set()
    periods = sorted(staff_periods | set(cust["period"].dropna()))
    staff_total = int(units["person"].nunique()) if len(units) else 0
    comments_total = int(cust["comment_id"].nunique())
    own = sorted(own_labels(engine).items())
    staff_keys = {int(t): f"staff:{t}" for t in stats["theme_id"]} if len(stats) else {}
    subject = cust["staff_theme"].map(staff_keys).where(
        cust["staff_theme"] != -1, cust["own_theme"].map({t: f"own:{t}" for t, _ in own}))
    sides = _customer_sides(cust, subject, [*staff_keys.values(), *(f"own:{t}" for t, _ in own)], periods, rule)
    statements = cust.groupby(subject)["id"].agg(list) if len(cust) else pd.Series(dtype=object)
    units_of = units.groupby("theme_id")["unit_id"].agg(list) if len(units) else pd.Series(dtype=object)
    rows = []
    for r in stats.to_dict("records"):
        key = f"staff:{r['theme_id']}"
        rows.append(_row(key, r["label"], r["main_stage"], r["reach"], r["trend"], sides[key], periods,
                         statements.get(key, []), units_of.get(r["theme_id"], []), praise=bool(r.get("_praise"))))
    for theme, label in own:
        rows.append(_row(f"own:{theme}", label, None, 0, {}, sides[f"own:{theme}"], periods,
                         statements.get(f"own:{theme}", []), []))
    out = pd.DataFrame(rows, columns=SUBJECT_COLUMNS + ["_n", "_people", "_negative", "_praise"])
    out["status"] = [rule.status(p, staff_total, n, comments_total, neg, praise)
                     for p, n, neg, praise in zip(out["_people"], out["_n"], out["_negative"], out["_praise"])]
    out = out[out["status"].notna()].copy()
    out["stage"] = pd.Series([v if isinstance(v, str) else None for v in out["stage"]], index=out.index, dtype=object)
    out["customer_comments"] = pd.Series([None if pd.isna(v) else int(v) for v in out["customer_comments"]],
                                         index=out.index, dtype=object)
    out["detractor_share"] = pd.Series([None if pd.isna(v) else float(v) for v in out["detractor_share"]],
                                       index=out.index, dtype=object)
    out["_rank"] = out["_people"] / max(staff_total, 1) + out["_n"] / max(comments_total, 1)
    return out.sort_values("_rank", ascending=False, kind="stable").drop(
        columns=["_n", "_people", "_negative", "_praise", "_rank"]).reset_index(drop=True)


SUBJECT_COLUMNS = ["key", "label", "stage", "status", "staff_people", "customer_comments", "detractor_share", "trend",
                   "unit_ids", "statement_ids", "staff_theme"]


def _row(key, label, stage, staff_people, staff_trend, side, periods, statement_ids, unit_ids,
         praise: bool = False) -> dict:
    return {"key": key, "label": label, "stage": stage if isinstance(stage, str) else side["stage"],
            "status": None, "staff_people": int(staff_people) if staff_people else 0,
            "customer_comments": side["shown"], "detractor_share": side["detractor_share"],
            "trend": {"periods": periods, "staff": {p: (staff_trend or {}).get(p) for p in periods},
                      "customers": side["trend"]},
            "unit_ids": list(unit_ids), "statement_ids": list(statement_ids),
            "staff_theme": int(key.split(":")[1]) if key.startswith("staff:") else -1,
            "_n": side["n"], "_people": int(staff_people),
            "_negative": side["negative"], "_praise": praise}


def journey(subject_table: pd.DataFrame) -> pd.DataFrame:
    """The journey map with both voices: per stage, its share of the staff people and of the customer
    comments of the subjects shown (``share_a`` staff, ``share_b`` customers; sums of shown, already safe
    counts: a hidden count adds nothing)."""
    t = subject_table.dropna(subset=["stage"])
    staff = pd.to_numeric(t["staff_people"], errors="coerce").fillna(0).groupby(t["stage"]).sum()
    cust = pd.to_numeric(t["customer_comments"], errors="coerce").fillna(0).groupby(t["stage"]).sum()
    out = pd.DataFrame({"stage": staff.index, "share_a": (staff / max(staff.sum(), 1)).to_numpy(),
                        "share_b": (cust.reindex(staff.index) / max(cust.sum(), 1)).to_numpy()})
    return out.reset_index(drop=True)


def customer_quotes(engine: Engine, statement_ids: list[int], n: int = 3, min_comments: int = 5,
                    seed: int = 0, *, actor: User, about: str | None = None) -> list[dict]:
    """Up to ``n`` redacted customer statements (text and language), none when they come from fewer
    than ``min_comments`` comments. With ``about`` (the subject's label), statements that name its words come
    first (a subject "Кнопки на пульті" is quoted with what customers say of remote-control buttons, not with any
    statement that fell in its theme)."""
    require(actor, "view_quotes")
    cs = db.customer_statements
    if not statement_ids:
        return []
    with engine.connect() as conn:
        rows = conn.execute(select(cs.c.id, cs.c.comment_id, cs.c.text, cs.c.language)
                            .where(cs.c.id.in_([int(i) for i in statement_ids]))).all()
    if len({r.comment_id for r in rows}) < anonymity.check_threshold(min_comments):
        return []
    seen: set[str] = set()
    rows = [r for r in sorted(rows, key=lambda r: r.id) if not (r.text in seen or seen.add(r.text))]  # each text once
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(rows))
    if about:
        score = _naming(about, [r.text for r in rows])
        order = order[np.argsort(-score[order], kind="stable")]  # the most of its words first, at random among ties
    return [{"text": rows[i].text, "language": rows[i].language} for i in order[:n]]


def _naming(label: str, texts: list[str]) -> np.ndarray:
    """For each text, how many of ``label``'s words it names (a word of four letters or more, by its first five
    letters: "пульті" names "пульт", "buttons" names "button"), and a little less for a text of under four words
    ("Не перекручуйте!" says little of the subject)."""
    stops = stop_words()
    stems = {w.casefold()[:5] for w in _WORDS.findall(label) if len(w) >= 4 and w.casefold() not in stops}
    out = np.zeros(len(texts))
    for i, text in enumerate(texts):
        words = _WORDS.findall(str(text))
        found = {w.casefold()[:5] for w in words} & stems
        out[i] = len(found) - (0.5 if len(words) < 4 else 0.0)
    return out


def report(engine: Engine, settings, rule: VoiceRule = VoiceRule()) -> dict:
    """The CLI's ``report voice --json``."""
    table = subjects(engine, settings, rule)
    text, values = rule.explain_parts(settings.min_comment_group)
    keep = ["label", "stage", "status", "staff_people", "customer_comments", "detractor_share", "trend"]
    return {"rule": text.format(**values), "subjects": [{k: r[k] for k in keep} for r in table.to_dict("records")]}


# --------------------------------------------------------------------------- the brief

def brief_markdown(table: pd.DataFrame, settings, staff_quotes: dict[int, list[dict]],
                   customer_said: dict[str, list[dict]], rule: VoiceRule = VoiceRule(), lang: str = "en") -> str:
    """The "Staff and customers" section of the insight brief, in ``lang``: each subject with its status,
    counts and a quote of each voice (``staff_quotes`` by staff theme, ``customer_said`` by subject key, both
    already through their thresholds; escaped: what people wrote reads as text)."""

    def t(text: str, **values) -> str:
        return translate(text, lang, **values)

    rule_text, rule_values = rule.explain_parts(settings.min_comment_group)
    lines = [f"## {t('Staff and customers')}", "", f"*{t(rule_text, **rule_values)}*", ""]
    for r in table.to_dict("records"):
        lines.append(f"### {_plain(r['label'])} — {t(STATUS_NAMES[r['status']]).upper()}")
        shown = "—" if r["customer_comments"] is None else format_number(r["customer_comments"], lang)
        lines.append("- " + t("Staff: **{p}** people; customers: **{c}** comments.",
                              p=format_number(r["staff_people"], lang), c=shown))
        for q in staff_quotes.get(r["staff_theme"], [])[:1] + customer_said.get(r["key"], [])[:1]:
            lines += ["", f"> {_plain(q['text'])}"]
        lines.append("")
    return "\n".join(lines)


#: The words for each status (what the page and the brief show).
STATUS_NAMES = {"confirmed": "Confirmed", "early_warning": "Early warning", "blind_spot": "Blind spot"}


def _plain(text: str) -> str:
    return escape_markdown(str(text).replace("\n", " "))
