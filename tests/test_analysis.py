"""The analysis run over a throwaway database, with a fake embedder and PCA/KMeans for speed."""

import json
import os
import uuid
from pathlib import Path
from typing import ClassVar

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import pytest
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sqlalchemy import insert, select
from test_themes import FakeEmbedder, make_corpus

from eevp.errors import InputError, NotFoundError, TooFewUnitsError
from eevp.hashing import text_hash
from eevp.store import db
from eevp.themes.layout import KnnUMAP
from eevp.themes.read import search_units, theme_table, unit_themes
from eevp.themes.run import analyze, jaccard, remark_boilerplate, rename_theme
from eevp.store.auth import CLI_USER

BOILERPLATE = ["n/a", "нет комментариев", "-", "немає", "No comment"]
PARKING = [f"Parking near the office is a problem number {i}" for i in range(20)] + \
          [f"Парковка у офиса проблема номер {i}" for i in range(10)] + \
          [f"Паркування біля офісу проблема номер {i}" for i in range(10)]


def add_units(engine, texts, kind="survey", role="Agent"):
    """A batch row and one text unit per text; returns the unit ids."""
    with engine.begin() as conn:
        batch = conn.execute(insert(db.batches).values(
            kind=kind, name="test", content_hash=uuid.uuid4().hex, created_at=db.now())).inserted_primary_key[0]
        conn.execute(insert(db.text_units), [
            {"batch_id": batch, "kind": kind, "record_no": i + 1, "record_id": i + 1, "question": "comment",
             "seq": 0, "role": role, "department": "Ops", "wave": "2024-Q1", "text": t, "text_hash": text_hash(t)}
            for i, t in enumerate(texts)])
        return [r[0] for r in conn.execute(select(db.text_units.c.id).where(db.text_units.c.batch_id == batch)
                                           .order_by(db.text_units.c.id)).all()]


def steps(k=4):
    return {"reducer": PCA(n_components=5, random_state=0), "clusterer": KMeans(n_clusters=k, n_init=3,
                                                                                random_state=0)}


def one_cluster():
    return {"reducer": PCA(n_components=2, random_state=0), "clusterer": KMeans(n_clusters=1, n_init=1,
                                                                                random_state=0)}


def assignments(engine, model_row):
    a = db.theme_assignments
    with engine.connect() as conn:
        return dict(conn.execute(select(a.c.unit_id, a.c.theme_id).where(a.c.model_row == model_row)).all())


@pytest.fixture
def corpus():
    texts, labels, _ = make_corpus(per_topic=30)
    return texts, labels


@pytest.fixture
def fitted_db(engine, settings, corpus):
    texts, _labels = corpus
    ids = add_units(engine, texts + BOILERPLATE)
    emb = FakeEmbedder()
    out = analyze(engine, settings, embedder=emb, steps=steps(), candidate_steps=one_cluster(), actor=CLI_USER)
    return out, ids, emb


def test_first_run_fits_and_counts(fitted_db, engine, settings, corpus):
    out, ids, emb = fitted_db
    assert out["refitted"] is True
    assert (out["units"], out["themes"], out["embedded_new"]) == (125, 4, 120)
    assert out["excluded"] == {"boilerplate": 5, "too_short": 0}
    assert out["outlier_share"] == 0.0
    assert emb.calls == 120  # boilerplate is never embedded
    with engine.connect() as conn:
        m = conn.execute(select(db.theme_models)).one()
        t = db.text_units
        rows = conn.execute(select(t.c.language, t.c.is_boilerplate, t.c.sentiment).order_by(t.c.id)).all()
    assert m.is_current and m.n_units == 120 and m.model_id == emb.model_id
    assert Path(m.path).parent == settings.models_dir and Path(m.path).name.startswith("all-")
    assert (Path(m.path) / "eevp_meta.json").exists()
    assert [r.language for r in rows[:3]] == ["en", "ru", "uk"]
    assert [r.is_boilerplate for r in rows].count(True) == 5
    assert all(r.sentiment in ("positive", "neutral", "negative") for r in rows)
    assign = assignments(engine, m.id)
    assert len(assign) == 120 and set(ids[-5:]).isdisjoint(assign)


def test_second_run_assigns_only_new_units(fitted_db, engine, settings):
    out, ids, emb = fitted_db
    before = assignments(engine, out["model_row"])
    new_texts, new_labels, _ = make_corpus(per_topic=5, offset=100)
    new_ids = add_units(engine, new_texts, kind="exit")
    again = analyze(engine, settings, embedder=emb, steps=steps(), candidate_steps=one_cluster(), actor=CLI_USER)
    assert again["refitted"] is False and again["model_row"] == out["model_row"]
    assert (again["assigned_new"], again["embedded_new"], again["units"]) == (20, 20, 145)
    after = assignments(engine, out["model_row"])
    assert {u: after[u] for u in before} == before
    # Each new unit joins the theme its topic's training units are in.
    by_topic = {}
    for u, lab in zip(ids, make_corpus(per_topic=30)[1]):
        by_topic.setdefault(lab, before[u])
    assert [after[u] for u in new_ids] == [by_topic[lab] for lab in new_labels]
    third = analyze(engine, settings, embedder=emb, steps=steps(), candidate_steps=one_cluster(), actor=CLI_USER)
    assert (third["assigned_new"], third["embedded_new"]) == (0, 0)
    with engine.connect() as conn:
        sizes = dict(conn.execute(select(db.themes.c.theme_id, db.themes.c.size)
                                  .where(db.themes.c.model_row == out["model_row"])).all())
    assert sorted(sizes.values()) == [35, 35, 35, 35]


def test_outliers_gather_into_a_candidate_theme(fitted_db, engine, settings):
    out, _ids, emb = fitted_db
    before = assignments(engine, out["model_row"])
    park_ids = add_units(engine, PARKING)
    res = analyze(engine, settings, embedder=emb, steps=steps(), candidate_steps=one_cluster(), actor=CLI_USER)
    assert res["candidates"] == 1 and res["themes"] == 4
    table = theme_table(engine)
    cand = table[table["is_candidate"]]
    assert len(cand) == 1 and cand["size"].iloc[0] == 40
    # One candidate alone has no other theme to contrast with: its words tie, "parking" among them.
    assert "parking" in cand["keywords"].iloc[0][:5] and "problem" in cand["keywords"].iloc[0]
    after = assignments(engine, out["model_row"])
    assert {after[u] for u in park_ids} == {int(cand["theme_id"].iloc[0])}
    assert {u: after[u] for u in before} == before


MORE_PARKING = [f"Parking spaces are never free, day {i}" for i in range(40)]
CANTEEN = [f"The canteen food is cold and bland, complaint {i}" for i in range(30)]


class WithCanteen(FakeEmbedder):
    """The test embedder with one more subject of its own (the canteen)."""

    MARKERS: ClassVar[dict] = {**FakeEmbedder.MARKERS, "canteen": ("canteen",)}


def candidates(engine, model_row):
    """Candidate theme id -> its label and keywords, as stored."""
    th = db.themes
    with engine.connect() as conn:
        rows = conn.execute(select(th.c.theme_id, th.c.label, th.c.keywords_json).where(
            th.c.model_row == model_row, th.c.is_candidate.is_(True))).all()
    return {r.theme_id: (r.label, r.keywords_json) for r in rows}


def test_a_small_new_batch_joins_candidates_without_reclustering(fitted_db, engine, settings):
    out, _ids, emb = fitted_db
    park_ids = add_units(engine, PARKING)
    analyze(engine, settings, embedder=emb, steps=steps(), candidate_steps=one_cluster(), actor=CLI_USER)
    first = candidates(engine, out["model_row"])
    (cand_id,) = first
    # 10 more parking comments: the pool grows by 25% (< CANDIDATE_REBUILD_GROWTH), so they join the
    # candidate as it is; a re-clustering would have numbered the candidate anew (one above the last id).
    new_ids = add_units(engine, [f"Parking is a problem again, week {i}" for i in range(10)])
    res = analyze(engine, settings, embedder=emb, steps=steps(), candidate_steps=one_cluster(), actor=CLI_USER)
    assert res["candidates"] == 1 and candidates(engine, out["model_row"]) == first
    after = assignments(engine, out["model_row"])
    assert {after[u] for u in park_ids + new_ids} == {cand_id}
    assert theme_table(engine).set_index("theme_id").loc[cand_id, "size"] == 50


def test_left_over_units_form_a_new_candidate_beside_the_old(fitted_db, engine, settings):
    out, _ids, _ = fitted_db
    emb = WithCanteen()
    park_ids = add_units(engine, PARKING + MORE_PARKING)
    analyze(engine, settings, embedder=emb, steps=steps(), candidate_steps=one_cluster(), actor=CLI_USER)
    first = candidates(engine, out["model_row"])
    (park_cand,) = first
    # 30 canteen comments: the pool grows by 37.5% (not re-clustered), they fit neither theme nor candidate, and 30 is
    # enough for a theme: they are clustered on their own into a second candidate.
    canteen_ids = add_units(engine, CANTEEN)
    res = analyze(engine, settings, embedder=emb, steps=steps(), candidate_steps=one_cluster(), actor=CLI_USER)
    now = candidates(engine, out["model_row"])
    assert res["candidates"] == 2 and now[park_cand] == first[park_cand]
    (canteen_cand,) = set(now) - {park_cand}
    assert canteen_cand > park_cand and "canteen" in json.loads(now[canteen_cand][1])
    after = assignments(engine, out["model_row"])
    assert {after[u] for u in park_ids} == {park_cand} and {after[u] for u in canteen_ids} == {canteen_cand}
    # Nothing new: nothing moves, no candidate is added.
    again = analyze(engine, settings, embedder=emb, steps=steps(), candidate_steps=one_cluster(), actor=CLI_USER)
    assert again["candidates"] == 2 and candidates(engine, out["model_row"]) == now
    assert assignments(engine, out["model_row"]) == after


def test_a_pool_grown_past_double_is_reclustered(fitted_db, engine, settings):
    out, _ids, _ = fitted_db
    emb = WithCanteen()
    add_units(engine, PARKING)
    analyze(engine, settings, embedder=emb, steps=steps(), candidate_steps=one_cluster(), actor=CLI_USER)
    (park_cand,) = candidates(engine, out["model_row"])
    # 45 more units on a pool of 40: more than doubled, so the candidates are clustered again from all 85.
    add_units(engine, CANTEEN + MORE_PARKING[:15])
    res = analyze(engine, settings, embedder=emb, steps=steps(), candidate_steps=one_cluster(), actor=CLI_USER)
    (rebuilt,) = candidates(engine, out["model_row"])  # one cluster asked for: parking and canteen together
    assert res["candidates"] == 1 and rebuilt > park_cand
    assert theme_table(engine).set_index("theme_id").loc[rebuilt, "size"] == 85


def test_edited_label_survives_a_refit(fitted_db, engine, settings):
    out, _, emb = fitted_db
    table = theme_table(engine)
    target = table[table["keywords"].map(lambda k: "клиент" in k)].iloc[0]
    rename_theme(engine, out["model_row"], int(target["theme_id"]), "  Customer complaints ", actor=CLI_USER)
    assert theme_table(engine).set_index("theme_id").loc[target["theme_id"], "label"] == "Customer complaints"
    refit = analyze(engine, settings, refit=True, embedder=emb, steps=steps(), candidate_steps=one_cluster(), actor=CLI_USER)
    assert refit["refitted"] and refit["model_row"] != out["model_row"]
    new = theme_table(engine)
    assert (new["model_row"] == refit["model_row"]).all()
    hit = new[new["label"] == "Customer complaints"]
    assert len(hit) == 1 and bool(hit["label_edited"].iloc[0])
    assert jaccard(hit["keywords"].iloc[0], target["keywords"]) >= 0.5
    assert new["label_edited"].sum() == 1
    with engine.connect() as conn:
        current = conn.execute(select(db.theme_models.c.id, db.theme_models.c.is_current)
                               .order_by(db.theme_models.c.id)).all()
    assert [c.is_current for c in current] == [False, True]


def _script(label: str) -> str:
    cyrillic = sum("а" <= c.lower() <= "я" or c.lower() in "ёіїєґ" for c in label)
    return "cyrillic" if cyrillic > len(label) / 3 else "latin"


def test_labels_in_the_readers_language_and_a_rename_in_every_language(fitted_db, engine):
    out, _, _ = fitted_db
    # Every theme of the corpus has a third of its statements in each language.
    by_lang = {lang: theme_table(engine, language=lang).set_index("theme_id")["label"] for lang in ("en", "ru", "uk")}
    assert all(_script(x) == "latin" for x in by_lang["en"])
    assert all(_script(x) == "cyrillic" for x in by_lang["ru"]) and all(_script(x) == "cyrillic" for x in by_lang["uk"])
    for lang, labels in by_lang.items():
        assert labels.is_unique, lang
    assert (by_lang["ru"] != by_lang["uk"]).any()  # Ukrainian statements, not the Russian label again
    pay = next(tid for tid, x in by_lang["en"].items() if "salar" in x.lower() or "pay" in x.lower())
    assert "зарплат" in by_lang["ru"][pay].lower() and "зарплат" in by_lang["uk"][pay].lower()
    rename_theme(engine, out["model_row"], pay, "Pay below the market", actor=CLI_USER)
    for lang in ("en", "ru", "uk", None):
        assert theme_table(engine, language=lang).set_index("theme_id").loc[pay, "label"] == "Pay below the market"


def test_a_theme_without_statements_in_the_readers_language_shows_its_main_label(engine, settings):
    english = [f"The car park is full every morning, ticket {i} again" for i in range(40)]
    add_units(engine, english + PARKING[20:])  # 40 English, 10 Russian, 10 Ukrainian parking complaints
    analyze(engine, settings, embedder=FakeEmbedder(), steps=one_cluster(), candidate_steps=one_cluster(),
            actor=CLI_USER)
    with engine.connect() as conn:
        stored = json.loads(conn.execute(select(db.themes.c.labels_json)).scalar())
    assert sorted(stored) == ["en", "ru", "uk"]  # 10 of 60 statements are enough for a label
    with engine.begin() as conn:  # as a theme without Ukrainian statements (or fitted before labels per language)
        conn.execute(db.themes.update().values(labels_json=json.dumps({k: stored[k] for k in ("en", "ru")})))
    main = theme_table(engine)["label"].iloc[0]
    assert _script(main) == "latin" and theme_table(engine, language="uk")["label"].iloc[0] == main
    assert _script(theme_table(engine, language="ru")["label"].iloc[0]) == "cyrillic"


def test_units_marked_with_older_boilerplate_lists_are_marked_again(fitted_db, engine, settings):
    out, ids, emb = fitted_db
    t, a = db.text_units, db.theme_assignments
    answer, content = ids[-1], ids[0]  # "No comment" (boilerplate) and a themed comment
    assert remark_boilerplate(engine, actor=CLI_USER) == 0  # lists unchanged since the analysis: nothing read again
    with engine.begin() as conn:  # a database marked by older lists: the answer themed, the comment not
        conn.execute(t.update().where(t.c.id == answer).values(is_boilerplate=False))
        conn.execute(insert(a).values(model_row=out["model_row"], unit_id=answer, theme_id=0,
                                      batch_id=conn.execute(select(t.c.batch_id).where(t.c.id == answer)).scalar()))
        conn.execute(t.update().where(t.c.id == content).values(is_boilerplate=True))
        conn.execute(a.delete().where(a.c.unit_id == content))
        conn.execute(db.annotation_versions.delete())
    before = theme_table(engine).set_index("theme_id")["size"]
    res = analyze(engine, settings, embedder=emb, steps=steps(), candidate_steps=one_cluster(), actor=CLI_USER)
    with engine.connect() as conn:
        marks = dict(conn.execute(select(t.c.id, t.c.is_boilerplate).where(t.c.id.in_([answer, content]))).all())
    assert marks == {answer: True, content: False}
    assert answer not in assignments(engine, out["model_row"])
    assert assignments(engine, out["model_row"])[content] >= 0 and res["assigned_new"] == 1
    after = theme_table(engine).set_index("theme_id")["size"]
    assert after.sum() == before.sum()  # one answer out, one comment in
    assert res["excluded"]["boilerplate"] == 5


def test_rename_errors(fitted_db, engine):
    out, _, _ = fitted_db
    with pytest.raises(NotFoundError):
        rename_theme(engine, out["model_row"], 99, "x", actor=CLI_USER)
    with pytest.raises(InputError):
        rename_theme(engine, out["model_row"], 0, "   ", actor=CLI_USER)


def test_changed_embedder_refits(fitted_db, engine, settings):
    out, _, _ = fitted_db
    other = FakeEmbedder()
    other.model_id = "another-model"
    res = analyze(engine, settings, embedder=other, steps=steps(), candidate_steps=one_cluster(), actor=CLI_USER)
    assert res["refitted"] and res["model_row"] != out["model_row"] and res["embedded_new"] == 120


def test_theme_table_mixes_and_kinds(fitted_db, engine):
    # Units added after the run are not counted until the next run assigns them.
    add_units(engine, make_corpus(per_topic=3, topics=("pay",), offset=200)[0], kind="exit")
    table = theme_table(engine)
    assert table["size"].sum() == 120 and set(table.columns) >= {"by_source", "sentiment", "share", "model_row"}
    assert abs(table["share"].sum() - 1.0) < 1e-9
    row = table.iloc[0]
    assert sum(row["sentiment"].values()) == row["size"]
    assert row["by_source"] == {"survey": 1.0}


def test_theme_table_filters_by_kind(engine, settings, corpus):
    texts, _labels = corpus
    add_units(engine, texts[:60])
    add_units(engine, texts[60:], kind="exit")
    analyze(engine, settings, embedder=FakeEmbedder(), steps=steps(), actor=CLI_USER)
    exits = theme_table(engine, kinds=("exit",))
    assert exits["size"].sum() == 60 and len(exits) == 2
    assert all(r == {"exit": 1.0} for r in exits["by_source"])
    mixed = theme_table(engine)
    assert len(mixed) == 4


def test_unit_themes_has_no_text(fitted_db, engine):
    units = unit_themes(engine)
    assert len(units) == 120 and "text" not in units.columns
    assert (units["theme_id"] >= 0).all()
    assert set(units["kind"]) == {"survey"} and set(units["role"]) == {"Agent"}
    assert {"unit_id", "record_id", "respondent_key", "wave", "date", "language", "sentiment"} <= set(units)


def test_read_helpers_on_an_empty_database(engine):
    assert theme_table(engine).empty
    assert unit_themes(engine).empty
    with pytest.raises(InputError):
        theme_table(engine, scope="nope")


def test_keyword_search_ignores_case_in_cyrillic(fitted_db, engine):
    hits = search_units(engine, "КЛИЕНТЫ жалуются", actor=CLI_USER)
    with engine.connect() as conn:
        texts = dict(conn.execute(select(db.text_units.c.id, db.text_units.c.text)).all())
    assert len(hits) > 0 and list(hits.columns) == ["unit_id", "score"]
    assert all("клиенты жалуются" in texts[u].lower() for u in hits["unit_id"])
    assert len(search_units(engine, "salary", limit=3, actor=CLI_USER)) == 3
    assert search_units(engine, "50%_", actor=CLI_USER).empty
    with pytest.raises(InputError):
        search_units(engine, "  ", actor=CLI_USER)


def test_semantic_search_ranks_by_meaning(fitted_db, engine):
    _, _, emb = fitted_db
    hits = search_units(engine, "Обучение сотрудников", embedder=emb, limit=10, actor=CLI_USER)
    with engine.connect() as conn:
        texts = dict(conn.execute(select(db.text_units.c.id, db.text_units.c.text)).all())
    assert len(hits) == 10 and hits["score"].is_monotonic_decreasing
    assert all(any(m in texts[u].lower() for m in ("train", "обучен", "навчан")) for u in hits["unit_id"])


def test_customer_scope_has_its_own_model(fitted_db, engine, settings, corpus):
    out, ids, emb = fitted_db
    _, labels = corpus
    with engine.begin() as conn:
        conn.execute(insert(db.statement_tags), [
            {"unit_id": u, "batch_id": 1, "about_customers": lab in ("customers", "training")}
            for u, lab in zip(ids, labels)])
    res = analyze(engine, settings, scope="customers", embedder=emb, steps=steps(2), actor=CLI_USER)
    assert (res["units"], res["themes"], res["embedded_new"]) == (60, 2, 0)
    assert len(unit_themes(engine, scope="customers")) == 60
    assert theme_table(engine)["model_row"].iloc[0] == out["model_row"]  # "all" still current
    words = set().union(*theme_table(engine, scope="customers")["keywords"])
    assert "клиент" in words and "зарплата" not in words


def test_too_few_units_after_annotating(engine, settings):
    add_units(engine, make_corpus(per_topic=5)[0][:12] + ["n/a"])
    with pytest.raises(TooFewUnitsError, match="at least 30"):
        analyze(engine, settings, embedder=FakeEmbedder(), steps=steps(), actor=CLI_USER)
    with engine.connect() as conn:
        langs = conn.execute(select(db.text_units.c.language)).scalars().all()
    assert None not in langs


def test_progress_reports_steps(engine, settings, corpus):
    add_units(engine, corpus[0])
    seen = []
    analyze(engine, settings, embedder=FakeEmbedder(), steps=steps(), progress=lambda s, d, n: seen.append((s, d, n)), actor=CLI_USER)
    names = [s for s, _, _ in seen]
    for step in ("detecting languages", "sentiment", "embedding", "fitting themes", "saving themes"):
        assert step in names
    assert ("embedding", 120, 120) in seen


def test_meta_keeps_params(fitted_db, engine):
    _out, _, _ = fitted_db
    with engine.connect() as conn:
        params = json.loads(conn.execute(select(db.theme_models.c.params_json)).scalar())
    assert params["config"]["seed"] == 42 and params["params"]["n_units"] == 120


def test_integration_with_real_embedder_module(engine, settings, corpus):
    """eevp.themes.embeddings.embed_cached stores vectors: a second refit embeds nothing new."""
    add_units(engine, corpus[0])
    emb = FakeEmbedder()
    analyze(engine, settings, embedder=emb, steps=steps(), actor=CLI_USER)
    calls = emb.calls
    again = analyze(engine, settings, refit=True, embedder=emb, steps=steps(), actor=CLI_USER)
    assert again["embedded_new"] == 0 and emb.calls == calls
    with engine.connect() as conn:
        stored = set(conn.execute(select(db.embeddings.c.model_id).distinct()).scalars())
    # the theme embedder's vectors, and those of the embedder the sentiment head reads
    from eevp.themes.embeddings import heads_embedder

    assert stored == {emb.model_id, heads_embedder().model_id}


def test_a_fit_of_many_themes_is_grouped_and_the_groups_follow_a_rename(engine, settings, corpus):
    from eevp.themes.model import ThemeConfig

    texts, _ = corpus
    add_units(engine, texts)
    out = analyze(engine, settings, embedder=FakeEmbedder(), steps=steps(k=30), candidate_steps=one_cluster(),
                  config=ThemeConfig(theme_merge_similarity=1.0, outlier_target=0.0), actor=CLI_USER)
    table = theme_table(engine)
    fitted = table[~table["is_candidate"]]
    assert len(fitted) > 25 and fitted["group"].notna().all()
    assert fitted["group"].nunique() == round(len(fitted) ** 0.5)
    largest = fitted.sort_values(["size", "theme_id"], ascending=[False, True]).groupby("group").head(1)
    for r in largest.itertuples():
        assert r.group_label.startswith(r.label)
    rename_theme(engine, out["model_row"], int(largest.iloc[0]["theme_id"]), "Renamed by HR", actor=CLI_USER)
    again = theme_table(engine)
    assert again.loc[again["group"] == largest.iloc[0]["group"], "group_label"].iloc[0].startswith("Renamed by HR")


def test_too_few_customer_statements_says_it_is_about_customer_themes(fitted_db, engine, settings):
    _, ids, emb = fitted_db
    with engine.begin() as conn:
        conn.execute(insert(db.statement_tags), [{"unit_id": u, "batch_id": 1, "about_customers": i < 7}
                                                 for i, u in enumerate(ids)])
    with pytest.raises(TooFewUnitsError, match="Customer themes need at least 30 statements about customers; "
                                               "there are 7"):
        analyze(engine, settings, scope="customers", embedder=emb, steps=steps(2), actor=CLI_USER)


@pytest.mark.slow
def test_a_refit_of_the_same_units_reuses_their_layout_and_a_refit_after_an_upload_does_not(engine, settings, corpus,
                                                                                            monkeypatch):
    texts, _labels = corpus
    add_units(engine, texts)
    emb = FakeEmbedder()
    computed, compute = [], KnnUMAP._layout
    monkeypatch.setattr(KnnUMAP, "_layout", lambda self, x: computed.append(len(x)) or compute(self, x))

    def refit():  # the default reducer (UMAP, with the layouts under the models folder), KMeans for speed
        out = analyze(engine, settings, refit=True, embedder=emb, actor=CLI_USER, candidate_steps=one_cluster(),
                      steps={"clusterer": KMeans(n_clusters=4, n_init=3, random_state=0)})
        return assignments(engine, out["model_row"])

    first, again = refit(), refit()
    assert computed == [len(texts)]
    assert again == first
    assert len(list((settings.models_dir / "layouts").glob("*.npy"))) == 1
    add_units(engine, PARKING)
    after = refit()
    assert computed == [len(texts), len(texts) + len(PARKING)]
    assert len(after) == len(texts) + len(PARKING)
