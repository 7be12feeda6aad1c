"""Customer feedback against staff voice: intake, the customers' own suppression, matching by meaning
(a fake multilingual embedder), the three planted statuses of the demo and the CLI JSON."""

import hashlib
import json
import os
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest
from sklearn.preprocessing import FunctionTransformer
from sqlalchemy import func, select

from eevp.analytics import customers, voice, voice_match
from eevp.analytics.voice import VoiceRule, detractor_cut
from eevp.bootstrap import load_demo
from eevp.cli import main
from eevp.errors import DuplicateBatchError, ValidationFailed
from eevp.intake.ingest import ingest_file
from eevp.settings import Settings
from eevp.store import db
from eevp.store.auth import CLI_USER
from eevp.store.batches import delete_batch
from eevp.store.db import connect
from eevp.text import lens
from eevp.themes.run import analyze

FEEDBACK = """Date,Review,Channel,NPS,Product,City,Customer name,Email
2026-03-02,"I waited 40 minutes on the hotline. Nobody called me back, write to me at jane.doe@mail.example",Review site,3,Delivery,London,Jane Doe,jane.doe@mail.example
05.03.2026,"Курьер опоздал на два дня. Звоните мне: +7 701 123 45 67, Иван Петров",Жалоба,6,Доставка,Алматы,Иван Петров,ivan@mail.example
2026-03-09,"Зручний застосунок, доставка вчасно.",NPS,9,Застосунок,Київ,Олена Шевченко,olena@mail.example
"""


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


# --------------------------------------------------------------------------- intake

def test_customer_feedback_is_stored_apart_redacted_and_audited(engine, settings):
    res = ingest_file(engine, settings, "customer_feedback", FEEDBACK.encode(), "reviews.csv", actor=CLI_USER)
    assert res.mapping["comment"] == "Review" and res.mapping["date"] == "Date" and res.mapping["score"] == "NPS"
    assert set(res.mapping["identifiers"]) == {"Customer name", "Email"}
    assert res.rows_stored == 3 and count(engine, db.text_units) == 0  # never staff text
    # ... but text to analyse: an upload of real airline tweets stored 3,660 comments and started no analysis
    assert res.text_units == 0 and res.analysis_needed
    with engine.connect() as conn:
        stored = conn.execute(select(db.customer_comments.c.text, db.customer_comments.c.period,
                                     db.customer_comments.c.score).order_by(db.customer_comments.c.id)).all()
        statements = conn.execute(select(db.customer_statements.c.text, db.customer_statements.c.language)).all()
        audit = conn.execute(select(db.audit_log.c.action, db.audit_log.c.detail)).all()
    joined = " ".join(r.text for r in stored)
    for secret in ("jane.doe", "+7 701", "Иван", "Петров"):
        assert secret not in joined
    assert "[EMAIL]" in joined and "[PHONE]" in joined
    assert [r.period for r in stored] == ["2026-Q1"] * 3 and [r.score for r in stored] == [3, 6, 9]
    assert len(statements) == 5 and {s.language for s in statements} == {"en", "ru", "uk"}
    assert ("upload", f"batch {res.batch_id} (customer_feedback, 3 rows)") in audit
    with pytest.raises(DuplicateBatchError):
        ingest_file(engine, settings, "customer_feedback", FEEDBACK.encode(), "again.csv", actor=CLI_USER)


def test_bad_customer_rows_are_all_reported_and_nothing_is_stored(engine, settings):
    bad = "Date,Review,NPS\n2026-03-02,Fine,11\nnot a date,Slow courier,5\n2026-03-04,,4\n"
    with pytest.raises(ValidationFailed) as exc:
        ingest_file(engine, settings, "customer_feedback", bad.encode(), "bad.csv",
                    {"date": "Date", "comment": "Review", "score": "NPS"}, actor=CLI_USER)
    got = {(e["row"], e["column"]) for e in exc.value.errors}
    assert got == {(2, "NPS"), (3, "Date"), (4, "Review")}
    assert count(engine, db.customer_comments) == 0


def test_star_scale_is_declared_and_checked(engine, settings):
    mapping = {"date": "Date", "comment": "Review", "score": "Stars", "scale": {"min": 1, "max": 5}}
    data = "Date,Review,Stars\n2026-03-02,The parcel was late again,2\n2026-03-03,Lovely service,6\n"
    with pytest.raises(ValidationFailed) as exc:
        ingest_file(engine, settings, "customer_feedback", data.encode(), "s.csv", mapping, actor=CLI_USER)
    assert [e["row"] for e in exc.value.errors] == [3]


def test_deleting_a_customer_batch_removes_its_comments_and_statements(engine, settings):
    res = ingest_file(engine, settings, "customer_feedback", FEEDBACK.encode(), "reviews.csv", actor=CLI_USER)
    counts = delete_batch(engine, res.batch_id, actor=CLI_USER)
    assert counts["customer_comments"] == 3 and counts["customer_statements"] == 5
    assert count(engine, db.customer_comments) == count(engine, db.customer_statements) == 0


def test_customers_never_count_as_staff_people(engine, settings):
    ingest_file(engine, settings, "customer_feedback", FEEDBACK.encode(), "reviews.csv", actor=CLI_USER)
    assert customers.customer_units(engine).empty


# --------------------------------------------------------------------------- rules and suppression

@pytest.mark.parametrize("lo,hi,cut", [(0, 10, 6), (1, 5, 2), (1, 7, 3.4)])
def test_detractor_cut_per_declared_scale(lo, hi, cut):
    assert detractor_cut(lo, hi) == pytest.approx(cut)


@pytest.mark.parametrize("staff,comments,negative,status", [
    (40, 30, 1.0, "confirmed"),  # 40/100 staff, 30/100 comments
    (40, 5, 1.0, "early_warning"),  # customers far less (5% < 25% of 40%)
    (40, 4, 1.0, "early_warning"),  # customers below their threshold
    (0, 30, 0.9, "blind_spot"),
    (0, 30, 0.2, None),  # praise staff never mention is no blind spot
    (0, 4, 1.0, None),
])
def test_statuses_follow_the_written_rule(staff, comments, negative, status):
    assert VoiceRule().status(staff, 100, comments, 100, negative) == status


@pytest.mark.parametrize("staff,comments,negative,status", [
    (40, 60, 0.1, "confirmed"),  # staff and customers both say customers are pleased
    (40, 6, 0.1, None),  # customers far less: praise is no early warning
    (19, 0, 0.0, None),  # a real upload: "the most enjoyable part was seeing my customers happy"
    (14, 203, 0.8, "blind_spot"),  # staff see pleased customers, customers complain about it
    (14, 4, 0.8, None),  # too few customer comments to say so
])
def test_staff_praise_is_never_an_early_warning(staff, comments, negative, status):
    assert VoiceRule().status(staff, 100, comments, 300, negative, staff_praise=True) == status


def _statements(periods: list[str], scores: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"id": range(len(periods)), "comment_id": range(len(periods)), "period": periods,
                         "score": scores, "detractor": [float(s <= 6) for s in scores], "stage": "support",
                         "sentiment": "negative"})


def _side(statements: pd.DataFrame, periods: list[str], rule: VoiceRule) -> dict:
    """The customer side of one subject holding every statement."""
    return voice._customer_sides(statements, pd.Series("s", index=statements.index), ["s"], periods, rule)["s"]


def test_customer_counts_below_their_threshold_are_hidden():
    few = _side(_statements(["2026-Q1"] * 3 + ["2026-Q2"] * 1, [1, 2, 9, 3]), ["2026-Q1", "2026-Q2"], VoiceRule())
    assert few["shown"] is None and few["detractor_share"] is None and few["stage"] is None
    assert few["trend"] == {"2026-Q1": None, "2026-Q2": None}
    many = _side(_statements(["2026-Q1"] * 6 + ["2026-Q2"] * 2, [1, 2, 9, 3, 4, 10, 0, 8]),
                 ["2026-Q1", "2026-Q2"], VoiceRule())
    assert many["shown"] == 8 and many["detractor_share"] == pytest.approx(5 / 8, abs=1e-3)
    # Q2 (2 comments) is hidden, and so is Q1: the total minus Q1 would give Q2.
    assert many["trend"] == {"2026-Q1": None, "2026-Q2": None}
    assert many["stage"] == "support"


# --------------------------------------------------------------------------- matching (fake embedder)

class Marker:
    """One direction per subject, found by marker words in English, Russian and Ukrainian (a stand-in
    for a multilingual embedder), plus small deterministic noise; other texts get a direction of their own."""

    model_id = "voice-marker-test"
    MARKERS: ClassVar[dict] = {
        "hotline": ("hotline", "callback", "call back", "called me", "горяч", "гаряч", "перезвон", "передзвон",
                    "дозвон", "додзвон", "оператор", "agent", "support line", "поддержк", "підтримк"),
        "billing": ("charg", "invoice", "billing", "bill", "счет", "счёт", "рахун", "списыва", "списуют",
                    "списують", "двічі", "дважды"),
        "loyalty": ("loyal", "points", "бонус", "лояльн"),
        "delivery": ("deliver", "courier", "late", "достав", "кур'єр", "курьер", "опозд", "привез"),
        "app": ("app", "приложен", "застосун", "сайт", "website", "tracking", "отслежив", "відстеж"),
    }

    def vector(self, text: str) -> np.ndarray:
        seed = int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)
        v = np.random.default_rng(seed).normal(0, 0.1, 16)
        low = text.lower()
        for k, marks in enumerate(self.MARKERS.values()):
            if any(m in low for m in marks):
                v[k] += 1.0
                break
        else:
            v[6 + seed % 10] += 1.0
        return v / np.linalg.norm(v)

    def encode(self, texts):
        return np.stack([self.vector(t) for t in texts]) if len(texts) else np.zeros((0, 16))


class ByMarker:
    """A clusterer for :class:`Marker` vectors: the marker direction, or -1."""

    def fit(self, x, y=None):
        x = np.asarray(x)
        self.labels_ = np.where(x[:, :5].max(axis=1) > 0.5, x[:, :5].argmax(axis=1), -1)
        return self


def steps():
    return {"reducer": FunctionTransformer(), "clusterer": ByMarker()}


def fake_lens(texts, languages=None, sentiment=None, embeddings=None, embed=None, customer_voice=False):
    """The rules tagger of the lens (no embeddings): fast and deterministic."""
    return lens.rule_tags(texts, list(languages or ["en"] * len(texts)), lens.lexicon_sentiment)


@pytest.fixture
def quick_lens(monkeypatch):
    monkeypatch.setattr(customers, "tag_statements", fake_lens)
    monkeypatch.setattr(voice_match, "tag_statements", fake_lens)


STAFF = ([f"Customers wait {m} minutes on the hotline and nobody calls them back" for m in range(20, 50)]
         + [f"Клиентам выставляют счет дважды, заказ номер {i}" for i in range(30)])
CUSTOMER = ([f"Ждал {m} минут на горячей линии, никто не перезвонил." for m in range(10, 20)]
            + [f"My loyalty points vanished after order {i}, terrible." for i in range(25)])


def _staff_and_customers(engine, settings):
    rows = "\n".join(f"R{i},2026-Q1,Agent,Support,\"{t}\"" for i, t in enumerate(STAFF))
    ingest_file(engine, settings, "survey", ("respondent_id,wave,role,department,Comment\n" + rows).encode(),
                "staff.csv", {"respondent_id": "respondent_id", "wave": "wave", "role": "role",
                              "department": "department", "text": ["Comment"]}, actor=CLI_USER)
    customers.tag_units(engine, actor=CLI_USER)
    analyze(engine, settings, embedder=Marker(), scope="customers", steps=steps(), actor=CLI_USER)
    data = "date,comment,nps\n" + "\n".join(f"2026-02-{1 + i % 27:02d},\"{t}\",{i % 7}"
                                             for i, t in enumerate(CUSTOMER))
    ingest_file(engine, settings, "customer_feedback", data.encode(), "cust.csv", actor=CLI_USER)


def _with_text(engine, frame: pd.DataFrame) -> pd.DataFrame:
    """The customer statements' frame with their text (read here: the library hands text only to readers
    allowed to see quotes)."""
    cs = db.customer_statements
    with engine.connect() as conn:
        texts = dict(conn.execute(select(cs.c.id, cs.c.text)).all())
    return frame.assign(text=frame["id"].map(texts))


def test_customer_statements_match_staff_themes_by_meaning_and_the_rest_get_their_own(engine, settings,
                                                                                       quick_lens):
    _staff_and_customers(engine, settings)
    out = voice_match.analyze_voice(engine, settings, actor=CLI_USER, embedder=Marker(), steps=steps(),
                                    rule=voice_match.MatchRule(min_own=10))
    assert out["tagged"] == out["matched"] == len(CUSTOMER) and out["own_themes"] == 1
    frame = _with_text(engine, voice.customer_frame(engine)).sort_values("id")
    hotline, loyalty = frame[frame["text"].str.contains("линии")], frame[frame["text"].str.contains("loyalty")]
    staff_theme = customers.customer_units(engine).query("theme_id >= 0")["theme_id"]
    assert hotline["staff_theme"].nunique() == 1 and hotline["staff_theme"].iloc[0] in set(staff_theme)
    assert (loyalty["staff_theme"] == -1).all() and (loyalty["own_theme"] == 0).all()
    # Nothing new: nothing is tagged, matched or refitted again.
    again = voice_match.analyze_voice(engine, settings, actor=CLI_USER, embedder=Marker(), steps=steps(),
                                      rule=voice_match.MatchRule(min_own=10))
    assert again == {"tagged": 0, "matched": 0, "threshold": None, "own_themes": None}


def test_a_new_lens_or_voice_setting_tags_stored_customer_statements_again(engine, settings, quick_lens,
                                                                           monkeypatch):
    _staff_and_customers(engine, settings)
    rule = voice_match.MatchRule(min_own=10)
    voice_match.analyze_voice(engine, settings, actor=CLI_USER, embedder=Marker(), steps=steps(), rule=rule)
    cs = db.customer_statements
    with engine.begin() as conn:  # what the previous release stored: its own version, other sentiments
        conn.execute(cs.update().values(tagger_version=lens.TAGGER_VERSION, sentiment="positive"))
    seen = []
    monkeypatch.setattr(voice_match, "tag_statements", lambda texts, *a, **k: seen.extend(texts) or fake_lens(texts))
    out = voice_match.analyze_voice(engine, settings, actor=CLI_USER, embedder=Marker(), steps=steps(), rule=rule)
    assert out["tagged"] == len(seen) == len(CUSTOMER) and out["own_themes"] == 1
    with engine.connect() as conn:
        stored = conn.execute(select(cs.c.tagger_version, cs.c.sentiment, cs.c.text)).all()
    assert {r.tagger_version for r in stored} == {voice_match.tagger_version()}
    assert len(voice_match.tagger_version()) <= db.customer_statements.c.tagger_version.type.length
    assert {r.sentiment for r in stored if "terrible" in r.text} == {"negative"}
    # The version names the customer-voice setting: another setting is another version.
    before = voice_match.tagger_version()
    monkeypatch.setattr(voice_match, "voice_setting_id", lambda: "other")
    assert voice_match.tagger_version() != before


@pytest.mark.parametrize("said,shown", [
    # Rozetka's reviews hold the brands' replies: their greetings, thanks and sign-offs were 22% of the statements
    # and made customer themes ("Добрий день · день бажати", 979 statements; "Команда beko"); an "app" marker:
    # themed by the old code.
    ("Kind regards, the app team {i}", "Kind regards"),
    # A reply's later sentences ("Холодильники X добре зарекомендували себе", "Рекомендуємо звернутися до технічної
    # підтримки") are no greeting, and made customer themes of the company's own words ("Продукція виправдала ваш
    # сподівання", "Приносимо вибачення").
    ("Thank you for your feedback! The app {i} gets an update every week.", "The app"),
], ids=["greetings and sign-offs", "a company's whole reply"])
def test_what_a_company_writes_is_never_matched_or_themed(engine, settings, quick_lens, said, shown):
    _staff_and_customers(engine, settings)
    replies = [said.format(i=i) for i in range(12)]
    data = "date,comment\n" + "\n".join(f"2026-03-{1 + i:02d},\"{t}\"" for i, t in enumerate(replies))
    ingest_file(engine, settings, "customer_feedback", data.encode(), "replies.csv", actor=CLI_USER)
    out = voice_match.analyze_voice(engine, settings, actor=CLI_USER, embedder=Marker(), steps=steps(),
                                    rule=voice_match.MatchRule(min_own=10))
    frame = _with_text(engine, voice.customer_frame(engine))
    written = frame[frame["text"].str.startswith(shown)]
    assert len(written) == len(replies)
    assert (written["staff_theme"] == -1).all() and (written["own_theme"] == -1).all()
    assert out["own_themes"] == 1  # the loyalty points only
    assert (frame[frame["text"].str.contains("loyalty")]["own_theme"] == 0).all()


def test_without_staff_themes_every_statement_is_unmatched(engine, settings, quick_lens):
    data = "date,comment\n" + "\n".join(f"2026-02-0{1 + i % 9},\"{t}\"" for i, t in enumerate(CUSTOMER))
    ingest_file(engine, settings, "customer_feedback", data.encode(), "cust.csv", actor=CLI_USER)
    out = voice_match.analyze_voice(engine, settings, actor=CLI_USER, embedder=Marker(), steps=steps())
    assert out["matched"] == len(CUSTOMER) and out["threshold"] is None
    assert (voice.customer_frame(engine)["staff_theme"] == -1).all()


# --------------------------------------------------------------------------- the demo

@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    if os.environ.get("EEVP_TEST_DATABASE_URL"):
        pytest.skip("builds its own SQLite demo database")
    folder = tmp_path_factory.mktemp("voice-demo")
    settings = Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'eevp.db'}")
    engine = connect(settings.database_url)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(customers, "tag_statements", fake_lens)
        mp.setattr(voice_match, "tag_statements", fake_lens)
        load_demo(engine, settings, actor=CLI_USER)
        customers.tag_units(engine, actor=CLI_USER)
        analyze(engine, settings, embedder=Marker(), scope="customers", steps=steps(), actor=CLI_USER)
        voice_match.analyze_voice(engine, settings, actor=CLI_USER, embedder=Marker(), steps=steps())
    yield settings, engine
    engine.dispose()


def _subject_of(table: pd.DataFrame, frame: pd.DataFrame, mask: pd.Series) -> pd.Series:
    """The subject most of the masked customer statements belong to."""
    sub = frame[mask]
    key = np.where(sub["staff_theme"] >= 0, "staff:" + sub["staff_theme"].astype(str),
                   "own:" + sub["own_theme"].fillna(-1).astype(int).astype(str))
    return table.set_index("key").loc[pd.Series(key).mode()[0]]


def test_the_three_planted_statuses_of_the_demo(demo):
    settings, engine = demo
    table = voice.subjects(engine, settings)
    frame = _with_text(engine, voice.customer_frame(engine))
    for lang in ("en", "ru", "uk"):
        in_lang = frame["language"] == lang
        hotline = _subject_of(table, frame, in_lang & frame["text"].str.contains("hotline|горяч|гаряч|перезвон|передзвон",
                                                                                 case=False))
        assert hotline["status"] == "confirmed" and hotline["staff_people"] >= settings.min_comment_group
        loyalty = _subject_of(table, frame, in_lang & frame["text"].str.contains("points|баллы|бали", case=False))
        assert loyalty["status"] == "blind_spot" and loyalty["staff_people"] == 0
        assert loyalty["customer_comments"] >= 20 and loyalty["detractor_share"] == 1.0
    units = customers.customer_units(engine)
    t = db.text_units
    with engine.connect() as conn:
        billing_ids = {r.id for r in conn.execute(select(t.c.id).where(t.c.text.contains("invoice")))}
    billing_theme = units[units["unit_id"].isin(billing_ids)]["theme_id"].mode()[0]
    billing = table.set_index("key").loc[f"staff:{billing_theme}"]
    assert billing["status"] == "early_warning" and billing["customer_comments"] in (0, None)


def test_without_customer_feedback_nothing_is_compared(demo, monkeypatch):
    """A real upload with no customer feedback listed every staff theme as an early warning with 0 comments."""
    settings, engine = demo
    assert len(voice.subjects(engine, settings))  # the demo's customers: subjects to compare
    stored = voice.customer_frame
    monkeypatch.setattr(voice, "customer_frame", lambda e: stored(e).iloc[:0])  # no customer comment stored
    table = voice.subjects(engine, settings)
    assert table.empty and list(table.columns) == voice.SUBJECT_COLUMNS


def test_report_voice_json_from_the_cli(demo, capsys):
    settings, _ = demo
    assert main(["report", "voice", "--db", settings.database_url, "--json"]) == 0
    raw = capsys.readouterr().out
    assert "NaN" not in raw  # plain JSON: a hidden or missing figure is null
    out = json.loads(raw)
    assert {s["status"] for s in out["subjects"]} == {"confirmed", "early_warning", "blind_spot"}
    first = out["subjects"][0]
    assert set(first) == {"label", "stage", "status", "staff_people", "customer_comments", "detractor_share", "trend"}
    assert set(first["trend"]) == {"periods", "staff", "customers"}
    assert all(isinstance(s["customer_comments"], int | None) for s in out["subjects"])
    assert first["trend"]["periods"] == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]


def test_the_brief_names_each_subject_with_its_status_in_the_reader_language(demo):
    settings, engine = demo
    table = voice.subjects(engine, settings)
    said = {k: voice.customer_quotes(engine, s, n=1, actor=CLI_USER) for k, s in zip(table["key"], table["statement_ids"])}
    md = voice.brief_markdown(table, settings, {}, said, lang="ru")
    assert md.startswith("## Сотрудники и клиенты")
    assert md.count("\n### ") == len(table)
    assert "СЛЕПАЯ ЗОНА" in md and "ПОДТВЕРЖДЕНО" in md and "РАННЕЕ ПРЕДУПРЕЖДЕНИЕ" in md
    assert md.count("\n> ") == sum(1 for q in said.values() if q)


def test_each_subject_is_hidden_on_its_own_counts():
    """All subjects at once give what each subject alone gives: one subject's small period hides its
    own trend only."""
    a = _statements(["2026-Q1"] * 6 + ["2026-Q2"] * 6, [1] * 12)
    b = _statements(["2026-Q1"] * 6 + ["2026-Q2"] * 2, [9] * 8).assign(comment_id=lambda d: d["comment_id"] + 100)
    both = pd.concat([a, b], ignore_index=True)
    subject = pd.Series(["a"] * len(a) + ["b"] * len(b))
    sides = voice._customer_sides(both, subject, ["a", "b", "c"], ["2026-Q1", "2026-Q2"], VoiceRule())
    assert sides["a"]["trend"] == {"2026-Q1": 6, "2026-Q2": 6}
    assert sides["b"]["trend"] == {"2026-Q1": None, "2026-Q2": None}
    assert (sides["a"]["detractor_share"], sides["b"]["detractor_share"]) == (1.0, 0.0)
    assert sides["c"] == {"n": 0, "shown": 0, "negative": 0.0, "detractor_share": None,
                          "trend": {"2026-Q1": 0, "2026-Q2": 0}, "stage": None}


def test_customer_quotes_show_each_text_once(engine, settings, quick_lens):
    texts = ["The courier never came."] * 6 + [f"Order {i} arrived broken." for i in range(6)]
    data = "date,comment\n" + "\n".join(f"2026-02-{1 + i:02d},\"{t}\"" for i, t in enumerate(texts))
    ingest_file(engine, settings, "customer_feedback", data.encode(), "cust.csv", actor=CLI_USER)
    with engine.connect() as conn:
        ids = conn.execute(select(db.customer_statements.c.id)).scalars().all()
    quotes = [q["text"] for q in voice.customer_quotes(engine, ids, n=12, actor=CLI_USER)]
    assert len(quotes) == 7 and len(set(quotes)) == 7  # the six copies give one quote


def test_a_subject_is_quoted_with_what_customers_say_of_it(engine, settings, quick_lens):
    # Rozetka's "Кнопки на пульті" was quoted with "Не перекручуйте!" and a statement about screws: any two
    # statements of its theme, at random.
    texts = [f"Order {i} arrived late again." for i in range(8)] + ["Stop it!"] * 2 + [
        "The buttons on the remote stick after a week.", "Remote buttons are hard to press in the dark."]
    data = "date,comment\n" + "\n".join(f"2026-02-{1 + i:02d},\"{t}\"" for i, t in enumerate(texts))
    ingest_file(engine, settings, "customer_feedback", data.encode(), "cust.csv", actor=CLI_USER)
    with engine.connect() as conn:
        ids = conn.execute(select(db.customer_statements.c.id)).scalars().all()
    for seed in range(5):
        quotes = voice.customer_quotes(engine, ids, n=2, seed=seed, actor=CLI_USER, about="Remote buttons")
        assert all("emote" in q["text"] for q in quotes) and len(quotes) == 2
    assert len(voice.customer_quotes(engine, ids, n=12, actor=CLI_USER, about="Remote buttons")) == 11


def test_the_customer_insights_heading_fits_what_is_stored(engine, settings):
    # Customer feedback uploaded alone was headed "What staff tell us about customers".
    assert voice.heading(engine)[0] == "Customer insights"
    ingest_file(engine, settings, "customer_feedback", FEEDBACK.encode(), "reviews.csv", actor=CLI_USER)
    title, intro = voice.heading(engine)
    assert title == "What customers tell us" and intro.startswith("What customers wrote, by subject")
    ratings = "wave,role,Pay\n" + "".join(f"2026-Q1,Analyst,{1 + i % 5}\n" for i in range(12))  # IBM's: no text
    ingest_file(engine, settings, "survey", ratings.encode(), "ratings.csv", actor=CLI_USER)
    assert voice.heading(engine)[0] == "What customers tell us"
    comments = "wave,role,Comment\n" + "".join(f"2026-Q1,Analyst,Customers wait {i} days for a refund\n" for i in range(12))
    ingest_file(engine, settings, "survey", comments.encode(), "comments.csv", actor=CLI_USER)
    title, intro = voice.heading(engine)  # analysed or not yet: staff wrote
    assert title == "What staff and customers tell us" and "set against what customers wrote" in intro
