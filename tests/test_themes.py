"""Themes: BERTopic over precomputed embeddings, with PCA/KMeans injected for speed."""

import hashlib
import os
from typing import ClassVar

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA

from eevp.errors import InputError, NotFoundError, TooFewUnitsError
from eevp.themes.read import CANDIDATE_MARK, distinct_labels
from eevp.themes.model import (
    ThemeConfig,
    assign_new,
    candidate_themes,
    fit_themes,
    load_model,
    make_label,
    params_for_size,
    save_model,
)

# Four topics, each in English, Russian and Ukrainian; {x} is filled from the topic's slot words.
TOPICS = {
    "customers": {
        "en": (["Customers complain about {x}", "We lose customers because of {x}",
                "Customers wait too long for {x}", "Our customers are unhappy with {x}"],
               ["slow delivery", "late refunds", "rude support", "billing errors", "missed calls"]),
        "ru": (["Клиенты жалуются на {x}", "Мы теряем клиентов из-за {x}",
                "Клиентам приходится долго ждать {x}", "Клиентов раздражает {x}"],
               ["доставку", "возврат денег", "ответ поддержки", "счета", "звонки"]),
        "uk": (["Клієнти скаржаться на {x}", "Ми втрачаємо клієнтів через {x}",
                "Клієнтам доводиться довго чекати {x}", "Клієнтів дратує {x}"],
               ["доставку", "повернення грошей", "відповідь підтримки", "рахунки", "дзвінки"]),
    },
    "pay": {
        "en": (["The salary is too low for {x}", "Salaries have not grown despite {x}",
                "My salary does not cover {x}", "Pay and salary reviews ignore {x}"],
               ["inflation", "rent", "overtime", "experience", "extra duties"]),
        "ru": (["Зарплата слишком низкая для {x}", "Зарплаты не растут несмотря на {x}",
                "Моей зарплаты не хватает на {x}", "Пересмотр зарплаты не учитывает {x}"],
               ["инфляцию", "аренду", "переработки", "опыт", "обязанности"]),
        "uk": (["Зарплата занадто низька для {x}", "Зарплати не ростуть попри {x}",
                "Моєї зарплати не вистачає на {x}", "Перегляд зарплати не враховує {x}"],
               ["інфляцію", "оренду", "переробки", "досвід", "обов'язки"]),
    },
    "managers": {
        "en": (["My manager never gives {x}", "Managers ignore {x}",
                "The manager does not listen to {x}", "Managers should improve {x}"],
               ["feedback", "our ideas", "team concerns", "recognition", "clear goals"]),
        "ru": (["Руководитель никогда не дает {x}", "Руководители игнорируют {x}",
                "Руководитель не слушает {x}", "Руководителям стоит улучшить {x}"],
               ["обратную связь", "наши идеи", "команду", "признание", "цели"]),
        "uk": (["Керівник ніколи не дає {x}", "Керівники ігнорують {x}",
                "Керівник не слухає {x}", "Керівникам варто покращити {x}"],
               ["зворотний зв'язок", "наші ідеї", "команду", "визнання", "цілі"]),
    },
    "training": {
        "en": (["I would like more training on {x}", "Training courses about {x} are missing",
                "New staff need training in {x}", "Please organise training for {x}"],
               ["new software", "sales skills", "product knowledge", "safety", "leadership"]),
        "ru": (["Хочется больше обучения по {x}", "Не хватает обучения по {x}",
                "Новичкам нужно обучение по {x}", "Организуйте обучение по {x}"],
               ["новым программам", "продажам", "продукту", "безопасности", "лидерству"]),
        "uk": (["Хочеться більше навчання з {x}", "Бракує навчання з {x}",
                "Новачкам потрібне навчання з {x}", "Організуйте навчання з {x}"],
               ["нових програм", "продажів", "продукту", "безпеки", "лідерства"]),
    },
}


def make_corpus(per_topic: int = 40, topics=tuple(TOPICS), offset: int = 0):
    """Texts, topic labels and languages: ``per_topic`` sentences per topic, languages rotating."""
    texts, labels, langs = [], [], []
    for name in topics:
        for i in range(offset, offset + per_topic):
            lang = ("en", "ru", "uk")[i % 3]
            templates, slots = TOPICS[name][lang]
            j = i // 3
            text = templates[j % len(templates)].format(x=slots[(j // len(templates)) % len(slots)])
            texts.append(f"{text} ({i})" if j >= len(templates) * len(slots) else text)
            labels.append(name)
            langs.append(lang)
    return texts, labels, langs


class FakeEmbedder:
    """One direction per topic (found by marker words) plus small deterministic noise per text."""

    model_id = "fake-test-embedder"
    MARKERS: ClassVar[dict] = {"customers": ("custom", "клиент", "клієнт"), "pay": ("salar", "pay", "зарплат"),
               "managers": ("manag", "руковод", "керівн"), "training": ("train", "обучен", "навчан"),
               "parking": ("parking", "парков", "паркув")}

    def __init__(self, dim: int = 16, noise: float = 0.15):
        self.dim, self.noise, self.calls = dim, noise, 0

    def vector(self, text: str) -> np.ndarray:
        seed = int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)
        rng = np.random.default_rng(seed)
        v = rng.normal(0, self.noise, self.dim)
        low = text.lower()
        for k, (name, marks) in enumerate(self.MARKERS.items()):
            if any(m in low for m in marks):
                v[k] += 1.0
                break
        else:
            v[5 + seed % (self.dim - 5)] += 1.0  # unrelated text: a direction of its own
        return v / np.linalg.norm(v)

    def encode(self, texts):
        self.calls += len(texts)
        return np.stack([self.vector(t) for t in texts]).astype(np.float32) if texts else np.zeros((0, self.dim),
                                                                                                    np.float32)


def fast_steps(k: int = 4):
    return {"reducer": PCA(n_components=5, random_state=0), "clusterer": KMeans(n_clusters=k, n_init=3,
                                                                                random_state=0)}


@pytest.fixture(scope="module")
def corpus():
    texts, labels, langs = make_corpus()
    return texts, labels, langs, FakeEmbedder().encode(texts)


@pytest.fixture(scope="module")
def fitted(corpus):
    texts, _, langs, emb = corpus
    return fit_themes(texts, emb, langs, **fast_steps())


def _by_label(result, labels):
    """The theme each true topic mostly went to."""
    out = {}
    for name in set(labels):
        ids = result.topics[np.array(labels) == name]
        out[name] = int(np.bincount(ids[ids >= 0]).argmax())
    return out


def test_finds_the_four_topics(fitted, corpus):
    _, labels, _, _ = corpus
    mapping = _by_label(fitted, labels)
    assert sorted(mapping.values()) == [0, 1, 2, 3]
    agree = np.mean([fitted.topics[i] == mapping[lab] for i, lab in enumerate(labels)])
    assert agree >= 0.95
    assert sorted(fitted.themes["size"].tolist()) == [40, 40, 40, 40]


def test_keywords_are_lemmas_in_three_languages(fitted, corpus):
    _, labels, _, _ = corpus
    cust = _by_label(fitted, labels)["customers"]
    words = fitted.themes.set_index("theme_id").loc[cust, "keywords"]
    assert {"клиент", "клієнт", "customer"} <= set(words)
    assert "клиентов" not in words and "клиентам" not in words and "customers" not in words
    pay = fitted.themes.set_index("theme_id").loc[_by_label(fitted, labels)["pay"], "keywords"]
    assert {"зарплата", "salary"} <= set(pay)


def test_labels_are_shared_phrases_or_keywords(fitted, corpus):
    texts = corpus[0]
    phrases = 0
    for row in fitted.themes.itertuples():
        members = [t.lower() for t, k in zip(texts, fitted.topics) if k == row.theme_id]
        used_by = sum(row.label.lower() in t for t in members)
        if used_by:  # a phrase: written the same way in several of the theme's own comments
            assert used_by >= 3
            phrases += 1
        else:
            assert row.label.split(",")[0].strip().lower() in [k.lower() for k in row.keywords]
        assert row.label[0].isupper()
    assert phrases >= 1


def test_same_data_same_topics(corpus):
    texts, _, langs, emb = corpus
    a = fit_themes(texts, emb, langs, **fast_steps())
    b = fit_themes(texts, emb, langs, **fast_steps())
    assert np.array_equal(a.topics, b.topics)
    assert a.themes["keywords"].tolist() == b.themes["keywords"].tolist()


def test_outliers_reduced_to_target(corpus):
    texts, _, langs, emb = corpus

    class HalfOutliers(KMeans):
        """KMeans that leaves every other unit unassigned (-1), like an over-strict HDBSCAN."""

        def fit(self, X, y=None):
            super().fit(X)
            self.labels_ = np.where(np.arange(len(X)) % 2 == 0, self.labels_, -1)
            return self

    res = fit_themes(texts, emb, langs, ThemeConfig(outlier_target=0.15),
                     reducer=PCA(n_components=5), clusterer=HalfOutliers(n_clusters=4, n_init=3, random_state=0))
    assert 0.0 <= res.outlier_share <= 0.15
    # Reassigned units went to their own topic's theme: the topic structure is clear.
    assert res.themes["size"].min() >= 30
    assert res.model.get_topic_info()["Count"].sum() == len(texts)


def test_too_few_units_names_the_minimum():
    with pytest.raises(TooFewUnitsError, match="at least 30 .* there are 12"):
        params_for_size(12)
    texts, _, _ = make_corpus(per_topic=5)
    with pytest.raises(TooFewUnitsError):
        fit_themes(texts, FakeEmbedder().encode(texts), **fast_steps())


def test_mismatched_embeddings_are_an_input_error(corpus):
    texts, _, _, emb = corpus
    with pytest.raises(InputError, match="one embedding row per text"):
        fit_themes(texts, emb[:-1], **fast_steps())


@pytest.mark.parametrize("n,mcs,nn", [(50, 5, 11), (300, 9, 16), (10_000, 50, 27), (100_000, 71, 29)])
def test_params_grow_with_corpus(n, mcs, nn):
    p = params_for_size(n)
    assert (p["min_cluster_size"], p["n_neighbors"]) == (mcs, nn)
    assert p["fit_units"] == min(n, 20_000)
    assert p["pca_dims"] == (50 if n > 2000 else 0)
    assert (p["n_epochs"] is None) == (n <= 5000)  # UMAP's default (500) on small corpora, 200 on large


def test_save_load_assign_gives_training_themes(fitted, corpus, tmp_path):
    _, _, _, emb = corpus
    save_model(fitted, tmp_path / "m")
    assert (tmp_path / "m" / "topic_embeddings.safetensors").exists()
    loaded = load_model(tmp_path / "m")
    assert np.array_equal(loaded.topics, fitted.topics)
    assert loaded.themes["label"].tolist() == fitted.themes["label"].tolist()
    topics, outlier = assign_new(tmp_path / "m", emb)
    assert np.array_equal(topics[~outlier], fitted.topics[~outlier])
    assert outlier.mean() <= 0.1
    # The reloaded BERTopic model keeps the keywords; no comment is held as a "representative document".
    assert [w for w, _ in loaded.model.get_topic(0)] == [w for w, _ in fitted.model.get_topic(0)]
    assert fitted.model.representative_docs_ == {} and loaded.model.representative_docs_ == {}


def test_saved_ctfidf_reloads_the_same_matrix_and_vocabulary(fitted, tmp_path):
    save_model(fitted, tmp_path / "m")
    loaded = load_model(tmp_path / "m")
    assert (loaded.model.c_tf_idf_ != fitted.model.c_tf_idf_).nnz == 0
    assert loaded.model.vectorizer_model.vocabulary_ == fitted.model.vectorizer_model.vocabulary_
    assert loaded.model.vectorizer_model.ngram_range == fitted.model.vectorizer_model.ngram_range


def test_loaded_vectorizer_lemmatises(fitted, tmp_path):
    save_model(fitted, tmp_path / "m")
    loaded = load_model(tmp_path / "m")
    assert loaded.model.vectorizer_model.build_analyzer()("Клиентам звонки") == ["клиент", "звонок",
                                                                                    "клиент звонок"]


def test_load_missing_model_is_not_found(tmp_path):
    with pytest.raises(NotFoundError):
        load_model(tmp_path / "nothing")


def test_assign_new_rejects_far_units(fitted):
    far = np.zeros((3, fitted.centroids.shape[1]), dtype=np.float32)
    far[:, 10] = 1.0
    topics, outlier = assign_new(fitted, far)
    assert outlier.tolist() == [True, True, True]
    assert topics.tolist() == [-1, -1, -1]


def test_assign_new_rejects_other_embedder(fitted):
    with pytest.raises(InputError, match="refit"):
        assign_new(fitted, np.ones((2, 7), dtype=np.float32))


def test_candidate_themes_from_a_new_topic(fitted):
    # A fifth topic nobody wrote about before: 40 texts about parking, in its own direction.
    texts = [f"Parking near the office is a problem number {i}" for i in range(40)]
    rng = np.random.default_rng(1)
    emb = np.zeros((40, 16), dtype=np.float32)
    emb[:, 12] = 1.0
    emb += rng.normal(0, 0.1, emb.shape).astype(np.float32)
    cand = candidate_themes(texts, emb, existing=fitted, min_units=30, reducer=PCA(n_components=5),
                            clusterer=KMeans(n_clusters=1, n_init=1, random_state=0))
    assert cand.themes["theme_id"].tolist() == [4]
    assert "parking" in cand.themes["keywords"].iloc[0]
    assert (cand.topics == 4).all()
    assert cand.centroids.shape == (1, 16)


def test_candidate_near_existing_theme_merges(fitted, corpus):
    texts, labels, _, emb = corpus
    idx = [i for i, lab in enumerate(labels) if lab == "pay"]
    cand = candidate_themes([texts[i] for i in idx], emb[idx], existing=fitted, min_units=30,
                            reducer=PCA(n_components=5), clusterer=KMeans(n_clusters=1, n_init=1, random_state=0))
    assert cand.themes.empty
    assert set(cand.topics.tolist()) == {_by_label(fitted, labels)["pay"]}


def test_candidates_keep_small_subjects_apart_inside_a_broad_family():
    # Leftovers of a fit are many small subjects. Six here, in two families (three each), with remarks
    # scattered across each family: HDBSCAN's "eom" selection returns the two families (2 candidates),
    # which tells a reader nothing; candidates use "leaf" and keep the six subjects.
    subjects = [("parking", "car"), ("canteen", "lunch"), ("coffee", "machine"), ("laptop", "screen"),
                ("shift", "rota"), ("uniform", "shoes")]
    rng = np.random.default_rng(3)
    texts, rows, truth = [], [], []
    for k, (a, b) in enumerate(subjects):
        for i in range(40):
            v = np.zeros(16)
            v[0 if k < 3 else 1], v[2 + k] = 1.0, 0.7
            texts.append(f"The {a} and the {b} are a problem, note {i}")
            rows.append(v + rng.normal(0, 0.06, 16))
            truth.append(k)
    for family in range(2):
        for i in range(60):
            v = np.zeros(16)
            v[family], v[2 + 3 * family:5 + 3 * family] = 1.0, 0.7 * rng.dirichlet(np.ones(3))
            texts.append(f"Things in general are a problem, remark {family} {i}")
            rows.append(v + rng.normal(0, 0.06, 16))
            truth.append(-1)
    cand = candidate_themes(texts, np.array(rows, dtype=np.float32), min_units=30,
                            reducer=PCA(n_components=5, random_state=0))
    assert len(cand.themes) == 6
    truth = np.array(truth)
    for k, (a, _b) in enumerate(subjects):  # each subject is (mostly) one candidate, named by its word
        ids, n = np.unique(cand.topics[truth == k], return_counts=True)
        main = ids[n.argmax()]
        assert main >= 0 and n.max() >= 30
        assert a in cand.themes.set_index("theme_id").loc[main, "keywords"]


def test_too_few_outliers_give_no_candidates(fitted):
    cand = candidate_themes(["a b c"] * 5, np.ones((5, 16), np.float32), existing=fitted, min_units=30)
    assert cand.themes.empty and (cand.topics == -1).all()


@pytest.mark.parametrize("words,lang,label", [
    (["customer", "клиент", "клієнт", "delivery"], "ru", "Клиент, клієнт"),
    (["customer", "клиент", "delivery", "customer delivery"], "en", "Customer, delivery"),
    (["клиент", "жалоба"], "en", "Клиент, жалоба"),
    ([], "en", "Theme"),
])
def test_make_label(words, lang, label):
    assert make_label(words, lang) == label


@pytest.mark.slow
def test_real_umap_hdbscan_on_300_units():
    texts, labels, langs = make_corpus(per_topic=75)
    emb = FakeEmbedder(dim=32, noise=0.2).encode(texts)
    a = fit_themes(texts, emb, langs)
    b = fit_themes(texts, emb, langs)
    assert np.array_equal(a.topics, b.topics)
    assert a.outlier_share <= 0.15
    assert a.params["min_cluster_size"] == 9
    mapping = _by_label(a, labels)
    assert len(set(mapping.values())) == 4
    agree = np.mean([a.topics[i] == mapping[lab] for i, lab in enumerate(labels)])
    assert agree >= 0.9


def test_merge_close_themes_joins_near_identical_centroids_and_renumbers_by_size():
    from eevp.themes.model import merge_close_themes

    rng = np.random.default_rng(3)
    a, b, c = np.eye(8, dtype=np.float32)[:3]
    twin = a * 0.95 + b * 0.05  # nearly a: the same subject clustered apart
    groups = [(a, 5), (c, 12), (twin, 6), (b, 9)]
    emb = np.concatenate([np.tile(v, (n, 1)) + rng.normal(0, 0.01, (n, 8)) for v, n in groups]).astype(np.float32)
    topics = np.concatenate([np.full(n, t) for t, (_, n) in enumerate(groups)] + [np.full(2, -1)])
    emb = np.concatenate([emb, rng.normal(size=(2, 8)).astype(np.float32)])

    merged = merge_close_themes(topics, emb, 0.9)
    # a (5) and its twin (6) are one theme of 11; c (12) stays largest = 0; b (9) third; outliers stay −1
    assert sorted(np.bincount(merged[merged >= 0]).tolist(), reverse=True) == [12, 11, 9]
    assert merged[0] == merged[5 + 12] and merged[0] == 1
    assert merged[5] == 0 and merged[-1] == -1 and merged[-2] == -1
    assert (merge_close_themes(topics, emb, 1.0) == topics).all()  # 1.0 = never merge


def test_a_pruned_vocabulary_saves_and_loads(corpus, tmp_path):
    """From 50,000 units the keyword vectorizer prunes (min_df=2, max_features): sklearn then keeps numpy
    ints in its vocabulary, which BERTopic's JSON config cannot hold. The model must still save."""
    from eevp.text.textprep import make_vectorizer

    texts, _, langs, emb = corpus
    res = fit_themes(texts, emb, langs, vectorizer=make_vectorizer(60_000), **fast_steps())
    assert res.model.vectorizer_model.min_df == 2
    save_model(res, tmp_path / "m")
    loaded = load_model(tmp_path / "m")
    assert [w for w, _ in loaded.model.get_topic(0)] == [w for w, _ in res.model.get_topic(0)]


def test_make_label_passes_over_words_that_say_nothing_here():
    words = ["customer", "delivery late", "клиент", "late", "buyer", "warn"]
    assert make_label(words, "en", skip=("customer", "buyer", "клиент")) == "Delivery late, warn"
    assert make_label(["customer wait", "hotline", "wait"], "en", skip=("customer",)) == "Hotline, wait"
    assert make_label(["customer", "client"], "en", skip=("customer", "client")) == "Customer, client"  # nothing else


def test_praise_and_complaint_about_one_subject_become_two_themes():
    from eevp.themes.cluster import split_by_polarity

    topics = np.array([0] * 10 + [1] * 10 + [-1])
    pol = ["positive"] * 4 + ["negative"] * 5 + ["neutral"] + ["negative"] * 9 + ["positive"] + ["positive"]
    out = split_by_polarity(topics, pol, min_size=3)  # theme 0: 4 positive (40%), 5 negative
    assert out[:4].tolist() == [2] * 4  # the praise of theme 0 is a theme of its own
    assert out[4:10].tolist() == [0] * 6  # the complaint keeps the id, with the neutral unit (larger side)
    assert out[10:20].tolist() == [1] * 10  # 1 positive in 10: under the share, not split
    assert out[20] == -1
    assert split_by_polarity(topics, pol, min_size=5)[:4].tolist() == [0] * 4  # 4 positives < 5 units


def test_labels_of_one_model_are_made_distinct_by_a_keyword():
    from eevp.themes.labels import distinct_labels as unique

    out = unique(["Place to work", "Place to work", "Low pay", "place to work"],
                          [["place", "work", "management"], ["work", "place", "hours"], ["pay"], ["place", "work"]])
    assert out[:3] == ["Place to work · management", "Place to work · hours", "Low pay"]
    assert out[3] == "place to work"  # nothing left to add, and no longer a repeat of the others
    assert unique(["A", "A"], [["a"], ["a"]]) == ["A", "A (2)"]


def test_no_cons_answers_and_spreadsheet_errors_are_boilerplate():
    from eevp.text.textprep import is_boilerplate

    for text in ["No cons", "None that I can think of", "Can't think of any", "#NAME?", "#DIV/0!", "Минусов нет",
                 "Немає мінусів", "no real downsides so far"]:
        assert is_boilerplate(text), text
    for text in ["No pay rise in three years", "No career progression", "Нет премий", "Poor management"]:
        assert not is_boilerplate(text), text


def test_a_keyword_already_in_the_label_in_another_form_does_not_tell_labels_apart():
    from eevp.themes.labels import distinct_labels as unique

    out = unique(["Long hours", "Long hours"], [["hour", "long", "shift"], ["hour", "week", "weekend"]])
    assert out == ["Long hours · shift", "Long hours · week"]


def test_distinct_labels_never_show_two_themes_alike():
    shown = distinct_labels(
        ["Days late", "Place to work", "days late", "Place to work", "Nice people", "Nice people"],
        [["days", "late", "refund"], ["place"], ["late", "courier"], ["place"], [], []],
        [False, False, False, False, True, False],
    )
    assert shown == ["Days late · refund", "Place to work", "days late · courier", "Place to work (2)",
                     CANDIDATE_MARK + "Nice people", "Nice people (2)"]
    assert len({s.removeprefix(CANDIDATE_MARK).casefold() for s in shown}) == len(shown)
    assert distinct_labels(["Pay", "Hours"]) == ["Pay", "Hours"]


def test_umap_kernels_compile_into_a_disk_cache_and_compute_what_umap_does():
    from numba.core.caching import FunctionCache
    from umap import umap_

    from eevp.themes.libraries import cache_umap_kernels
    from eevp.themes.neighbours import exact_knn

    cache_umap_kernels()
    assert isinstance(umap_.smooth_knn_dist._cache, FunctionCache)
    assert isinstance(umap_.compute_membership_strengths._cache, FunctionCache)
    x = np.random.default_rng(3).normal(size=(120, 8)).astype(np.float32)
    idx, dist = exact_knn(x, 10)
    sigmas, rhos = umap_.smooth_knn_dist(dist, 10.0)
    plain_sigmas, plain_rhos = umap_.smooth_knn_dist.py_func(dist, 10.0)  # the same code, not compiled
    assert np.allclose(sigmas, plain_sigmas, rtol=1e-3) and np.allclose(rhos, plain_rhos)
    rows, cols, vals, _ = umap_.compute_membership_strengths(idx, dist, sigmas, rhos)
    plain = umap_.compute_membership_strengths.py_func(idx, dist, sigmas, rhos)
    assert np.array_equal(rows, plain[0]) and np.allclose(vals, plain[2], rtol=1e-3)


def test_exact_knn_gives_each_row_its_nearest_rows_in_order():
    from eevp.themes.neighbours import exact_knn

    x = np.random.default_rng(5).normal(size=(300, 12)).astype(np.float32)
    unit = x / np.linalg.norm(x, axis=1, keepdims=True)
    sim = unit @ unit.T
    np.fill_diagonal(sim, 2.0)
    idx, dist = exact_knn(x, 7, block=64)  # several blocks
    assert np.array_equal(idx, np.argsort(-sim, axis=1, kind="stable")[:, :7])
    assert np.array_equal(idx[:, 0], np.arange(300)) and np.allclose(dist[:, 0], 0.0)
    assert np.allclose(dist[:, 1:], 1.0 - np.take_along_axis(sim, idx[:, 1:], axis=1), atol=1e-6)


@pytest.mark.parametrize("compiled", [True, False])
def test_exact_knn_takes_copies_of_one_comment_by_their_index(compiled, monkeypatch):
    """A comment written several times gives rows at the same distance: the neighbours are the copies of
    lowest index, nearest first, whatever numpy's partition order (the demo's themes hung on it); the
    compiled kernel and numpy (where no kernel cache can be written) agree."""
    from eevp.themes import neighbours
    from eevp.themes.neighbours import exact_knn

    if not compiled:
        monkeypatch.setattr(neighbours, "top_k_kernel", lambda: None)
    assert (neighbours.top_k_kernel() is not None) == compiled

    rng = np.random.default_rng(11)
    base = rng.normal(size=(6, 12)).astype(np.float32)
    group = rng.permutation(np.repeat(np.arange(6), 7))  # 6 comments, 7 copies each, shuffled
    unit = base / np.linalg.norm(base, axis=1, keepdims=True)
    sim = (unit @ unit.T)[group][:, group]  # equal for every copy by construction
    np.fill_diagonal(sim, 2.0)
    idx, dist = exact_knn(base[group], 10, block=16)
    expected = np.argsort(-sim, axis=1, kind="stable")[:, :10]  # ties by index
    assert np.array_equal(idx, expected)
    assert (group[idx[:, 7:]] != group[:, None]).all()  # the three last: copies of the nearest other comment


def test_bertopic_is_imported_without_torch_and_torch_still_imports_after():
    """A refit loads no embedding model: BERTopic comes without torch (seconds of a fresh process) nor plotly
    until its plotting functions are used, in a
    fresh process where scipy is imported inside BERTopic's import (it looks torch up in sys.modules);
    the block lasts only for the import."""
    import importlib.util
    import subprocess
    import sys

    if importlib.util.find_spec("torch") is None:
        pytest.skip("torch is not installed")
    code = """
import sys
from eevp.themes.libraries import import_bertopic
BERTopic = import_bertopic()
print("torch" in sys.modules, [m for m, v in sys.modules.items() if v is None], "plotly" in sys.modules)
import torch
print(torch.zeros(2).shape[0])
import bertopic._bertopic
print(bertopic._bertopic.plotting.visualize_topics.__name__, "plotly" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert out.returncode == 0, out.stderr[-2000:]
    # plotly (BERTopic's charts) is loaded on the first use of BERTopic's plotting module, not before
    assert out.stdout.split("\n")[:3] == ["False [] False", "2", "visualize_topics True"]


def test_praise_and_complaint_about_one_subject_are_labelled_by_their_tone():
    places = ("in the stores", "for the area", "for this job", "at the depot", "compared to others")
    good = [f"Good pay {p} {i}" for i in range(4) for p in places]
    low = [f"Low pay {p} {i}" for i in range(4) for p in places]
    training = [f"I would like more training on {x} {i}" for i in range(8)
                for x in ("tills", "safety", "software", "sales", "stock")]
    texts = good + low + training
    polarity = ["positive"] * len(good) + ["negative"] * len(low) + ["neutral"] * len(training)
    result = fit_themes(texts, FakeEmbedder().encode(texts), ["en"] * len(texts), polarity=polarity,
                        **fast_steps(2))
    labels = dict(zip(result.themes["theme_id"], result.themes["label"]))
    tops = {text.split()[0]: labels[t] for text, t in zip(texts, result.topics) if t >= 0}
    assert (tops["Good"], tops["Low"]) == ("Good pay", "Low pay")
