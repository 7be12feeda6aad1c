import pytest
import numpy as np
import pandas as pd

from eevp.analytics.customers import SystemicRule, brief_markdown, rank_themes
from eevp.store.auth import CLI_USER


def _units(spec):
    """spec: list of (theme_id, department, role, n_people, stage, batch_id)."""
    rows, pid = [], 0
    for theme, dept, role, n, stage, batch in spec:
        for _ in range(n):
            pid += 1
            rows.append({"unit_id": pid, "batch_id": batch, "kind": "exit", "record_id": pid,
                         "respondent_key": f"p{pid}", "person": f"p{pid}", "role": role, "department": dept,
                         "wave": None, "period": "2026-Q1", "date": None, "language": "en", "stage": stage,
                         "sentiment": "negative", "incident": False, "theme_id": theme})
    return pd.DataFrame(rows)


LABELS = pd.DataFrame({"theme_id": [0, 1, 2], "label": ["Late deliveries", "Billing errors", "Tiny"],
                       "keywords": [["late", "delivery"], ["invoice", "charged"], ["x"]]})


def test_systemic_local_and_ranking():
    # each department's cell holds 10 people: the rule sees only cells the tables would show
    spec = [(0, d, "Agent", 10, "delivery", 1) for d in ["Sales", "Support", "Logistics", "Ops"]]
    spec += [(1, "Finance", "Analyst", 14, "billing", 1)]
    spec += [(2, "IT", "Engineer", 4, None, 1)]
    spec += [(-1, d, "Agent", 3, None, 1) for d in ["HR", "IT", "Legal"]]
    ranked = rank_themes(_units(spec), LABELS, min_reach=10)
    assert ranked["label"].tolist() == ["Late deliveries", "Billing errors"]  # "Tiny" (4 people) left out
    late, billing = ranked.iloc[0], ranked.iloc[1]
    assert (late.reach, late.departments, late.systemic, late.main_stage) == (40, 4, "systemic", "delivery")
    assert (billing.reach, billing.departments, billing.systemic, billing.main_stage) == (14, 1, "local", "billing")
    assert billing.top_department == "Finance" and billing.top_department_share == 1.0


def test_a_theme_is_shown_at_the_stage_most_of_its_people_raise_when_no_stage_holds_the_threshold():
    # 14 people: 6 at delivery, 3 at billing, 5 whose statements name no stage (the stage head said "none").
    spec = [(0, "Sales", "Agent", 6, "delivery", 1), (0, "Sales", "Agent", 3, "billing", 1),
            (0, "Sales", "Agent", 5, None, 1)]
    # 12 people, 2 at sales (under a third), 10 without a stage; 10 people, none with a stage.
    spec += [(1, "Ops", "Agent", 2, "sales", 1), (1, "Ops", "Agent", 10, None, 1), (2, "IT", "Agent", 10, None, 1)]
    ranked = rank_themes(_units(spec), LABELS, min_reach=10).set_index("theme_id")
    assert ranked.loc[0, "main_stage"] == "delivery"
    assert ranked.loc[0, "stages"] == {"billing": None, "delivery": None}  # still no count under 10 people
    assert ranked.loc[[1, 2], "main_stage"].isna().all()


def test_rule_thresholds_are_configurable():
    spec = [(0, d, d + " agent", 10, "delivery", 1) for d in ["Sales", "Support"]]
    spec += [(-1, d, "Agent", 10, None, 1) for d in ["A", "B", "C", "D", "E", "F", "G", "H"]]
    units = _units(spec)
    strict = rank_themes(units, LABELS, 10, SystemicRule(dept_share=0.5, respondent_share=0.5))
    loose = rank_themes(units, LABELS, 10, SystemicRule(dept_share=0.2, respondent_share=0.5))
    assert strict.iloc[0].systemic == "spread" and loose.iloc[0].systemic == "systemic"


def test_new_since_last_batch():
    spec = [(0, "Sales", "Agent", 10, "sales", 1), (1, "Support", "Agent", 10, "support", 2)]
    ranked = rank_themes(_units(spec), LABELS, 10).set_index("label")
    assert not ranked.loc["Late deliveries", "new"] and ranked.loc["Billing errors", "new"]


def test_brief_is_text_not_markup():
    spec = [(0, "Sales", "Agent", 10, "sales", 1), (-1, "IT", "Engineer", 3, None, 1)]
    ranked = rank_themes(_units(spec), LABELS, 10)
    md = brief_markdown(ranked, {0: [{"text": "<b>Clients</b> [wait](http://x)", "kind": "exit", "language": "en"}]},
                        SystemicRule())
    assert "## 1. Late deliveries — LOCAL" in md
    assert "<b>" not in md and "\\[wait\\]" in md


def test_brief_puts_each_theme_summary_under_its_heading():
    ranked = rank_themes(_units([(0, "Sales", "Agent", 10, "sales", 1)]), LABELS, 10)
    md = brief_markdown(ranked, {}, SystemicRule(), leads={0: "10 people, mostly leavers, *90%* negative"})
    lines = md.splitlines()
    heading = next(i for i, line in enumerate(lines) if line.startswith("## 1."))
    assert lines[heading + 1] == "*10 people, mostly leavers, \\*90%\\* negative*"


def test_a_stray_mention_does_not_count_a_department():
    # 12 people in Support raise it, and one person in each of four other departments: one department in
    # earnest, so not systemic, although five of the ten departments "mention" it.
    spec = [(0, "Support", "Agent", 6, "support", 1), (0, "Support", "Courier", 6, "support", 1)]
    spec += [(0, d, d + " lead", 1, "support", 1) for d in ["Sales", "IT", "HR", "Ops"]]
    spec += [(-1, d, "Agent", 30, None, 1) for d in ["A", "B", "C", "D", "E"]]
    units = _units(spec)
    default = rank_themes(units, LABELS, 10).iloc[0]
    assert default.departments == 5 and default.systemic == "spread"  # 12 of 16 in Support: below 80%
    # The four one-person cells are hidden (and Support with them): however low the slider goes, a hidden
    # cell counts as nobody, so the slider cannot tell how many people it holds.
    one_is_enough = rank_themes(units, LABELS, 10, SystemicRule(dept_min_people=1)).iloc[0]
    assert one_is_enough.systemic == "spread"


def test_the_rule_explains_itself_with_its_numbers():
    text, values = SystemicRule(dept_share=0.4, dept_min_people=2).explain_parts()
    assert "{d}" in text and values["d"] == "40%" and values["k"] == 2
    assert "40%" in SystemicRule(dept_share=0.4).explain()


def test_corrections_reach_the_same_and_near_identical_statements(engine, settings):
    """A CX lead's correction is applied to the reviewed statement, to the same text elsewhere at once,
    and to a near-identical statement that arrives later (cached embeddings, cosine >= 0.9), not to others."""
    from sqlalchemy import select

    from eevp.store import db
    from eevp.store.auth import User
    from eevp.analytics.customers import save_review, tag_units
    from eevp.themes.embeddings import default_embedder, embed_cached
    from eevp.intake.ingest import ingest_file

    trap = "The weekly report goes to the regional office every Friday."
    first = ("wave,role,Comment\n" + f"2026-Q1,Agent,{trap}\n" + f"2026-Q1,Clerk,{trap}\n"
             + "2026-Q1,Agent,The canteen food is cold.\n")
    ingest_file(engine, settings, "survey", first.encode(), "a.csv", {"wave": "wave", "role": "role",
                                                                      "text": ["Comment"]}, actor=CLI_USER)
    tag_units(engine, actor=CLI_USER)
    t, s = db.text_units, db.statement_tags

    def tags():
        with engine.connect() as conn:
            return conn.execute(select(t.c.text, s.c.about_customers, s.c.stage).join(s, s.c.unit_id == t.c.id)
                                .order_by(t.c.id)).all()

    assert [r.about_customers for r in tags()] == [False, False, False]
    with engine.connect() as conn:
        unit = conn.execute(select(t.c.id).order_by(t.c.id)).scalars().first()
    # Say it is about customers (the report is the customers' weekly order summary, in this company).
    save_review(engine, User("cx", "cx"), unit, True, "delivery")
    assert [(r.about_customers, r.stage) for r in tags()] == [(True, "delivery"), (True, "delivery"), (False, None)]

    near = "The weekly reports go to the regional office every Friday."  # cosine 0.99 with USE
    other = "The monthly report goes to the head office every Monday."  # 0.75: another statement
    later = ("wave,role,Comment\n" + f"2026-Q2,Agent,{near}\n" + f"2026-Q2,Agent,{other}\n"
             + "2026-Q2,Agent,My manager never replies to e-mails.\n")
    ingest_file(engine, settings, "survey", later.encode(), "b.csv", {"wave": "wave", "role": "role",
                                                                      "text": ["Comment"]}, actor=CLI_USER)
    embedder = default_embedder()
    with engine.connect() as conn:
        texts = conn.execute(select(t.c.text)).scalars().all()
    embed_cached(engine, embedder, texts)
    assert tag_units(engine, model_id=embedder.model_id, actor=CLI_USER) == 3
    got = {r.text: (r.about_customers, r.stage) for r in tags()}
    assert got[near] == (True, "delivery")
    assert got[other] == (False, None)
    assert got["My manager never replies to e-mails."] == (False, None)


def test_a_rule_change_reuses_the_theme_stats_and_classifies_as_a_fresh_ranking():
    from eevp.analytics.customers import theme_stats

    spec = [(0, d, "Agent", 10, "delivery", 1) for d in ["Sales", "Support"]]
    spec += [(1, "Finance", "Analyst", 14, "billing", 1)]
    spec += [(-1, d, "Agent", 10, None, 1) for d in ["A", "B", "C", "D", "E", "F", "G", "H"]]
    units = _units(spec)
    stats = theme_stats(units, LABELS, 10)
    for rule in (SystemicRule(dept_share=0.5, respondent_share=0.5), SystemicRule(dept_share=0.2, respondent_share=0.5),
                 SystemicRule(concentration=0.95)):
        fresh = rank_themes(units, LABELS, 10, rule)
        kept = rank_themes(units, LABELS, 10, rule, stats=stats)
        pd.testing.assert_frame_equal(fresh, kept)
    assert rank_themes(units, LABELS, 10, SystemicRule(dept_share=0.2)).set_index("label")["systemic"].to_dict() == \
        {"Late deliveries": "systemic", "Billing errors": "local"}
    empty = rank_themes(units.assign(theme_id=-1), LABELS, 10)
    assert empty.empty and "systemic" in empty.columns


def test_without_departments_systemic_or_local_is_unknown():
    spec = [(0, None, "Agent", 12, "delivery", 1), (1, None, "Analyst", 11, "billing", 1)]
    units = _units(spec)
    units["department"] = "(not given)"
    ranked = rank_themes(units, LABELS, 10)
    assert ranked["systemic"].tolist() == ["unknown", "unknown"]


def test_size_alone_does_not_make_a_theme_systemic():
    # 15 of the 25 people who talk about customers raise it (60% > respondent_share), all in Support.
    spec = [(0, "Support", "Agent", 11, "support", 1), (0, "Support", "Courier", 4, "support", 1)]
    spec += [(-1, d, "Agent", 2, None, 1) for d in ["Sales", "IT", "HR", "Ops", "Legal"]]
    late = rank_themes(_units(spec), LABELS, 10).iloc[0]
    assert late.reach == 15 and late.systemic == "local"
    spread = _units([(0, "Support", "Agent", 10, "support", 1), (0, "Sales", "Courier", 10, "support", 1)]
                    + [(-1, d, "Agent", 2, None, 1) for d in ["IT", "HR", "Ops", "Legal", "A", "B", "C", "D"]])
    assert rank_themes(spread, LABELS, 10).iloc[0].systemic == "systemic"  # 20 of 36 people, in two departments


def test_praise_is_told_apart_and_severity_ranks_problems():
    spec = [(0, d, "Agent", 6, "delivery", 1) for d in ["Sales", "Support"]]
    spec += [(1, d, "Analyst", 7, "billing", 1) for d in ["Sales", "Support"]]
    units = _units(spec)
    units["cls"] = np.where(units["theme_id"] == 0, "customer_positive", "customer_problem")
    units["severity"] = np.where(units["theme_id"] == 0, np.nan, 0.8)
    ranked = rank_themes(units, LABELS, 10).set_index("label")
    assert ranked.loc["Late deliveries", "systemic"] == "praise"
    assert ranked.loc["Late deliveries", "severity"] == 0.0 and ranked.loc["Billing errors", "severity"] == 0.8
    assert ranked.index[0] == "Billing errors"


@pytest.mark.parametrize("people, shown", [(12, True), (9, False)])
def test_how_customers_treat_staff_is_counted_apart_in_people(engine, settings, monkeypatch, people, shown):
    from eevp.analytics import customers
    from eevp.intake.ingest import ingest_file
    from eevp.text import lens

    rows = "".join(f"r{i},2026-Q1,Cashier,Customers shout at us every day. Some are lovely.\n" for i in range(people))
    ingest_file(engine, settings, "survey", ("id,wave,role,Comment\n" + rows).encode(), "t.csv",
                {"respondent_id": "id", "wave": "wave", "role": "role", "text": ["Comment"]}, actor=CLI_USER)

    def fake(texts, languages=None, sentiment=None, embeddings=None, embed=None):
        out = lens.rule_tags(texts, ["en"] * len(texts), sentiment=lambda t, l: ["negative"] * len(t))
        out["about_customers"], out["stage"], out["cls"] = False, None, "customers_treat_staff"
        return out

    monkeypatch.setattr(customers, "tag_statements", fake)
    customers.tag_units(engine, actor=CLI_USER)
    got = customers.treat_staff(engine, 10)
    if shown:  # two statements per person, counted as one person each
        assert got == {"people": people, "statements": 2 * people, "negative_share": 1.0}
    else:
        assert got is None


def test_a_quote_is_the_statement_with_its_whole_comment_on_demand(engine, settings):
    from eevp.analytics.customers import quotes
    from eevp.intake.ingest import ingest_frame
    from eevp.store import queries

    rows = [{"respondent_id": f"r{i}", "wave": "2026-Q1", "role": "Agent", "department": "Ops",
             "Comment": f"Checkout queues are long on day {i}. The manager number {i} never listens to us."}
            for i in range(12)]
    ingest_frame(engine, settings, "survey", pd.DataFrame(rows), {
        "respondent_id": "respondent_id", "wave": "wave", "role": "role", "department": "department",
        "text": ["Comment"]}, name="q.csv", actor=CLI_USER)
    units = queries.text_units_frame(engine, actor=CLI_USER)
    queues = units.loc[units["text"].str.startswith("Checkout"), "id"].tolist()
    assert len(queues) == 12  # each comment was split into its two statements
    got = quotes(engine, queues, n=3, min_people=10, actor=CLI_USER)
    assert len(got) == 3
    for q in got:
        i = q["text"].split("day ")[1].rstrip(".")
        assert q["text"] == f"Checkout queues are long on day {i}."
        assert q["comment"] == f"Checkout queues are long on day {i}. The manager number {i} never listens to us."


def test_brief_in_russian_has_no_english_and_no_empty_sources():
    spec = [(0, "Sales", "Agent", 10, "delivery", 1), (-1, "IT", "Engineer", 3, None, 1)]
    ranked = rank_themes(_units(spec), LABELS, 10)
    ranked.at[0, "sources"] = {"exit": None}  # every source hidden (too few people in each)
    md = brief_markdown(ranked, {}, SystemicRule(), title="Что сотрудники говорят о клиентах", lang="ru")
    assert "Упомянули **10** чел." in md and "ЛОКАЛЬНАЯ" in md
    assert "Raised by" not in md and "Journey stage" not in md and "Keywords" not in md and "Systemic:" not in md
    assert "источники" not in md and "sources" not in md  # no empty "sources: ."
    english = brief_markdown(ranked.assign(sources=[{"exit": 10}]), {}, SystemicRule())
    assert "; sources: exit interviews 10." in english


def test_brief_quotes_are_block_quotes_of_their_own():
    spec = [(0, "Sales", "Agent", 10, "sales", 1), (-1, "IT", "Engineer", 3, None, 1)]
    ranked = rank_themes(_units(spec), LABELS, 10)
    quotes = {0: [{"text": "First quote."}, {"text": "Second quote."}]}
    md = brief_markdown(ranked, quotes, SystemicRule())
    assert "\n> First quote\\.\n\n> Second quote\\.\n" in md


def test_the_brief_of_a_theme_without_a_known_stage_has_no_stage_line():
    spec = [(0, "Sales", "Agent", 10, None, 1), (-1, "IT", "Engineer", 3, None, 1)]
    ranked = rank_themes(_units(spec), LABELS, 10)
    ranked["main_stage"] = float("nan")  # as a frame gives it when no statement names a stage
    md = brief_markdown(ranked, {}, SystemicRule())
    assert "Journey stage" not in md and "nan" not in md


def test_a_missing_department_or_role_is_not_counted_as_one_more():
    spec = [(0, "Sales", "Agent", 6, "delivery", 1), (0, "(not given)", "(not given)", 6, "delivery", 1)]
    ranked = rank_themes(_units(spec), LABELS, 10).set_index("label")
    assert ranked.loc["Late deliveries", ["departments", "roles"]].tolist() == [1, 1]


def test_the_review_queue_shows_the_statements_tagged_about_customers_first(engine, settings):
    from sqlalchemy import insert, select

    from eevp.analytics.customers import review_queue, review_sample, save_review
    from eevp.intake.ingest import ingest_file
    from eevp.store import db
    from eevp.store.auth import User

    rows = "".join(f"2026-Q1,Agent,Comment number {k} about the canteen and the car park.\n" for k in range(40))
    ingest_file(engine, settings, "survey", ("wave,role,Comment\n" + rows).encode(), "a.csv",
                {"wave": "wave", "role": "role", "text": ["Comment"]}, actor=CLI_USER)
    with engine.begin() as conn:
        ids = conn.execute(select(db.text_units.c.id).order_by(db.text_units.c.id)).scalars().all()
        conn.execute(insert(db.statement_tags), [{"unit_id": u, "batch_id": 1, "about_customers": k % 2 == 1}
                                                 for k, u in enumerate(ids)])
    queue = review_queue(engine, share=0.5, limit=20, actor=User("cx", "cx"))
    about = queue["about_customers"].tolist()
    assert len(queue) == 20 and True in about and False in about
    assert about == sorted(about, reverse=True)  # every statement about customers before the others
    firsts = queue[queue["about_customers"]]["unit_id"].tolist()
    assert firsts == sorted(firsts)  # each part in id order
    # The sample a page keeps per data version gives the same queue; a given sample is shown in its order,
    # without the statements already reviewed.
    sample = review_sample(engine, share=0.5)
    assert review_queue(engine, share=0.5, limit=20, actor=User("cx", "cx"), sample=sample).equals(queue)
    save_review(engine, User("cx", "cx"), ids[1], True, None)
    given = review_queue(engine, limit=20, actor=User("cx", "cx"), sample=np.array([ids[5], ids[1], ids[2]]))
    assert given["unit_id"].tolist() == [ids[5], ids[2]]


@pytest.mark.parametrize("people, calls, shown", [(12, 5, True), (9, 5, False)])
def test_quotes_count_people_a_chunk_at_a_time_and_stop_at_the_threshold(engine, settings, monkeypatch, people,
                                                                         calls, shown):
    from eevp.analytics import customers
    from eevp.intake.ingest import ingest_frame
    from eevp.store import queries

    rows = [{"respondent_id": f"r{i}", "wave": "2026-Q1", "role": "Agent", "department": "Ops",
             "Comment": f"Checkout queues are long on day {i}. The manager number {i} never listens to us."}
            for i in range(people)]
    ingest_frame(engine, settings, "survey", pd.DataFrame(rows), {
        "respondent_id": "respondent_id", "wave": "wave", "role": "role", "department": "department",
        "text": ["Comment"]}, name="q.csv", actor=CLI_USER)
    ids = sorted(queries.text_units_frame(engine, actor=CLI_USER)["id"].tolist())
    assert len(ids) == 2 * people
    reads = []
    real = customers.fetch_frame
    monkeypatch.setattr(customers, "PEOPLE_CHUNK", 4)  # two people a chunk
    monkeypatch.setattr(customers, "fetch_frame", lambda conn, stmt: reads.append(1) or real(conn, stmt))
    got = customers.quotes(engine, ids, n=3, min_people=10, actor=CLI_USER)
    assert len(reads) == calls  # 12 people: the 10th is in the 5th chunk, the 6th is not read; 9: all 5 read
    assert len(got) == (3 if shown else 0)


def test_brief_says_systemic_or_local_is_unknown_under_the_heading():
    # Restaurant reviews (no departments): every heading ended "— SYSTEMIC OR LOCAL: UNKNOWN (NO DEPARTMENTS ...)".
    ranked = rank_themes(_units([(0, None, None, 12, "delivery", 1)]), LABELS, 10)
    assert ranked["systemic"].tolist() == ["unknown"]
    lines = brief_markdown(ranked, {}, SystemicRule(), leads={0: "12 people"}).splitlines()
    heading = next(i for i, line in enumerate(lines) if line.startswith("## 1."))
    assert lines[heading:heading + 3] == ["## 1. Late deliveries", "*12 people*",
                                          "- Systemic or local: unknown (no departments in the data)."]


def test_statements_tagged_by_another_lens_are_tagged_again_and_the_customer_themes_refit(engine, settings,
                                                                                        monkeypatch):
    # An eevp with another lexicon or lens head kept the old tags: "Потребительское отношение к персоналу" stayed
    # a customer problem on an upload analysed before the lexicon changed.
    from sqlalchemy import insert, select, update

    from eevp.analytics import customers
    from eevp.intake.ingest import ingest_file
    from eevp.store import db, queries
    from eevp.text import lens

    csv = ("wave,role,Comment\n2026-Q1,Agent,Customers wait an hour on the hotline.\n"
           "2026-Q1,Clerk,The canteen food is cold.\n")
    ingest_file(engine, settings, "survey", csv.encode(), "a.csv", {"wave": "wave", "role": "role", "text": ["Comment"]},
                actor=CLI_USER)
    assert customers.tag_units(engine, actor=CLI_USER) == 2
    assert customers.tag_units(engine, actor=CLI_USER) == 0  # the same tagger: nothing to do
    s = db.statement_tags
    with engine.begin() as conn:
        right = dict(conn.execute(select(s.c.unit_id, s.c.cls)).all())
        # what an older eevp stored: its own stamp, and the canteen read as a customer problem
        conn.execute(update(s).values(tagger_version="lens-2026.11", cls="customer_problem", about_customers=True))
        conn.execute(insert(db.theme_models).values(scope="customers", model_id="m", created_at=db.now(), n_units=1))
        conn.execute(insert(db.theme_models).values(scope="all", model_id="m", created_at=db.now(), n_units=2))
    before = queries.data_version(engine)
    assert customers.tag_units(engine, actor=CLI_USER) == 2
    assert queries.data_version(engine) != before  # the pages' caches see tags changed in place
    with engine.connect() as conn:
        tags = conn.execute(select(s.c.unit_id, s.c.cls, s.c.about_customers, s.c.tagger_version)).all()
        stale = dict(conn.execute(select(db.theme_models.c.scope, db.theme_models.c.stale)).all())
    assert {t.unit_id: t.cls for t in tags} == right and sum(t.about_customers for t in tags) == 1
    assert {t.tagger_version for t in tags} == {lens.tagger_version()}
    assert stale == {"customers": True, "all": False}
