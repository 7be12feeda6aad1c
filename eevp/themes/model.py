"""Themes: BERTopic over precomputed embeddings, with every step injected.

The pipeline is embeddings → (PCA →) UMAP → HDBSCAN → c-TF-IDF over lemmas (``eevp.text.textprep``).
Pass ``None`` for a step to get the default built from :class:`ThemeConfig` and the corpus size;
tests pass PCA and KMeans. After clustering, outliers are moved to the nearest theme centroid
(cosine) until at most ``config.outlier_target`` stay unassigned, and keywords are recomputed for
the final assignment. Large corpora are clustered on a sample (``config.sample_size``) and the
rest joins the nearest centroid the same way. Each theme is labelled with a short phrase its own
comments share (:mod:`eevp.themes.labels`), or with its keywords when there is none.

Fitted models are saved with safetensors (BERTopic's own files plus ``eevp_meta.json`` and
``eevp_arrays.safetensors`` with the theme centroids), so new text is assigned without refitting
(:func:`assign_new`), and text that fits no theme can be clustered into candidate themes
(:func:`candidate_themes`).
"""

from __future__ import annotations

import functools
import json
import logging
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix

from eevp.errors import InputError, NotFoundError, TooFewUnitsError
from eevp.text.language import detect_language, detect_languages
from eevp.text.names import is_name_keyword
from eevp.text.textprep import LemmaTokenizer, make_vectorizer
from eevp.themes.cluster import HierarchySplit, split_by_polarity
from eevp.themes.labels import distinct_by_language, distinct_labels, labels_by_language, make_label
from eevp.themes.layout import KnnUMAP, LayoutCache
from eevp.themes.libraries import import_bertopic
from eevp.themes.neighbours import unit_rows as _unit_rows

__all__ = [
    "Candidates",
    "ThemeConfig",
    "ThemeResult",
    "assign_new",
    "candidate_themes",
    "centroids_for",
    "fit_themes",
    "load_model",
    "make_label",
    "params_for_size",
    "save_model",
]

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]

META_FILE = "eevp_meta.json"
ARRAYS_FILE = "eevp_arrays.safetensors"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class ThemeConfig:
    """Settings of the theme pipeline; ``None`` means "chosen from the corpus size".

    Attributes:
        seed: random state of UMAP, PCA and sampling (the same data gives the same themes).
        min_topic_size: HDBSCAN ``min_cluster_size``.
        min_samples: HDBSCAN ``min_samples`` (lower = fewer outliers).
        n_neighbors: UMAP neighbours.
        n_components: UMAP output dimensions.
        pca_dims: PCA dimensions before UMAP for corpora above ``pca_above`` units (0 = never).
        pca_above: corpus size from which PCA runs first.
        sample_size: the most units UMAP/HDBSCAN are fitted on; the rest join the nearest theme.
        outlier_target: the largest share of units left unassigned after outlier reduction.
        assign_quantile: similarity cut-off for new units = this quantile of the clustered
            units' similarity to their own theme centroid.
        nr_topics: BERTopic topic reduction ("auto", a number, or None for none).
        top_n_words: keywords kept per theme.
        min_units: the fewest units themes are built from.
        min_words: texts with fewer words are left out of themes (boilerplate always is).
        merge_similarity: a candidate theme this close (cosine of centroids) to an existing one
            joins it instead of becoming a new theme.
        theme_merge_similarity: themes of one fit whose centroids are this close are one theme
            (the same subject clustered apart, e.g. by language); 1.0 = never merge.
        label_skip: words (lemmas) kept as keywords but never put in a label, e.g. "customer" in
            themes that are all about customers.
        max_theme_share: a theme of the main fit holding more of the clustered units than this is
            split along HDBSCAN's tree (:mod:`eevp.themes.cluster`); 1.0 = never.
    """

    seed: int = 42
    min_topic_size: int | None = None
    min_samples: int | None = None
    n_neighbors: int | None = None
    n_components: int = 5
    pca_dims: int = 50
    pca_above: int = 2000
    sample_size: int = 20_000
    outlier_target: float = 0.15
    assign_quantile: float = 0.05
    nr_topics: str | int | None = None
    top_n_words: int = 10
    min_units: int = 30
    min_words: int = 1
    merge_similarity: float = 0.9
    theme_merge_similarity: float = 0.85
    label_skip: tuple[str, ...] = ()
    max_theme_share: float = 0.25


@dataclass
class ThemeResult:
    """A fitted (or loaded) theme model.

    Attributes:
        topics: theme id per training unit (−1 = unassigned).
        themes: DataFrame(theme_id, label, keywords, size, labels ({language: label})), largest first.
        outlier_share: share of training units left unassigned.
        model: the fitted BERTopic model (None when loaded without it).
        centroids: (k, d) unit-length theme centroids in embedding space, rows as ``theme_ids``.
        theme_ids: theme id of each centroid row.
        threshold: cosine cut-off for :func:`assign_new`.
        params: the sizes actually used (see :func:`params_for_size`).
        config: the :class:`ThemeConfig`.
    """

    topics: np.ndarray
    themes: pd.DataFrame
    outlier_share: float
    model: object | None
    centroids: np.ndarray
    theme_ids: np.ndarray
    threshold: float
    params: dict = field(default_factory=dict)
    config: ThemeConfig = field(default_factory=ThemeConfig)


@dataclass
class Candidates:
    """Candidate new themes found among units that fit no existing theme.

    Attributes:
        themes: DataFrame(theme_id, label, keywords, size, labels) of the new candidate themes.
        topics: per input unit: a candidate id, an existing theme id (merged), or −1.
        centroids: (k, d) centroids of the candidate themes, rows as ``themes``.
    """

    themes: pd.DataFrame
    topics: np.ndarray
    centroids: np.ndarray


# --------------------------------------------------------------------------- sizes


#: UMAP epochs of a fit on more than ``FIT_EPOCHS_ABOVE`` units (None below: UMAP's own default, 500
#: up to 10,000 points and 200 above). On 9,808 Glassdoor cons, over seeds 42 and 1-4, 200 epochs
#: instead of 500 gave NPMI 0.100 vs 0.089 (each seed 0.06-0.14 either way), diversity 0.697 vs
#: 0.693, outliers 0.044 vs 0.048, 9-26 themes vs 11-26, and took a third less time: the layout
#: epochs were the largest cost of a refit with every vector cached.
FIT_EPOCHS = 200
FIT_EPOCHS_ABOVE = 5000


def params_for_size(n_units: int, config: ThemeConfig | None = None) -> dict:
    """Pipeline sizes for a corpus of ``n_units`` (explicit config values win).

    Clusters are fitted on at most ``config.sample_size`` units; ``min_cluster_size`` grows with
    the square root of that number (5 at 100 units, 50 at 10,000, capped at 80), ``n_neighbors``
    with its logarithm (8 to 30).

    Raises:
        TooFewUnitsError: fewer than ``config.min_units`` units.
    """
    config = config or ThemeConfig()
    if n_units < config.min_units:
        raise TooFewUnitsError(
            f"Themes need at least {config.min_units} comments with content; there are {n_units}. "
            f"Upload more survey comments, exit interviews or focus-group notes, then run the analysis again.")
    fit_n = min(n_units, config.sample_size)
    mcs = config.min_topic_size or int(np.clip(round(0.5 * np.sqrt(fit_n)), 5, 80))
    nn = config.n_neighbors or int(np.clip(round(2 * np.log2(fit_n)), 8, 30))
    return {
        "n_units": int(n_units),
        "fit_units": int(fit_n),
        "min_cluster_size": int(mcs),
        "min_samples": int(config.min_samples or max(2, mcs // 3)),
        "n_neighbors": int(min(nn, fit_n - 1)),
        "n_components": int(config.n_components),
        "pca_dims": int(config.pca_dims if config.pca_dims and fit_n > config.pca_above else 0),
        "low_memory": bool(fit_n > 10_000),
        "n_epochs": FIT_EPOCHS if fit_n > FIT_EPOCHS_ABOVE else None,
        "max_theme_share": float(config.max_theme_share),
    }


def _default_reducer(params: dict, seed: int, dim: int, layouts: LayoutCache | None = None):
    return KnnUMAP(n_neighbors=params["n_neighbors"], n_components=params["n_components"], min_dist=0.0,
                   n_epochs=params.get("n_epochs"), pca_dims=params["pca_dims"] if dim > params["pca_dims"] else 0,
                   random_state=seed, layouts=layouts)


def _default_clusterer(params: dict, selection: str = "eom"):
    """HDBSCAN. ``selection``: "eom" (the main fit: BERTopic's default, stable broad themes, with a
    theme that swallows the corpus split along HDBSCAN's own tree, see :mod:`eevp.themes.cluster`) or
    "leaf" (candidate themes: the leftovers of a fit are many small subjects, where "eom" tends to
    return one cluster of nearly everything, e.g. 2 candidates for 1,247 units against 17 with "leaf")."""
    from hdbscan import HDBSCAN

    if selection == "eom":
        return HierarchySplit(min_cluster_size=params["min_cluster_size"], min_samples=params["min_samples"],
                              max_share=params.get("max_theme_share", 1.0))
    return HDBSCAN(min_cluster_size=params["min_cluster_size"], min_samples=params["min_samples"],
                   metric="euclidean", cluster_selection_method=selection, prediction_data=False,
                   core_dist_n_jobs=1)


# --------------------------------------------------------------------------- geometry


def centroids_for(embeddings: np.ndarray, topics: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unit-length mean embedding of each theme (−1 left out). Returns (theme_ids, centroids)."""
    emb = _unit_rows(embeddings)
    ids = np.array(sorted(t for t in set(topics.tolist()) if t >= 0), dtype=np.int64)
    if len(ids) == 0:
        return ids, np.zeros((0, emb.shape[1]), dtype=np.float32)
    cents = np.stack([emb[topics == t].mean(axis=0) for t in ids])
    return ids, _unit_rows(cents)


def nearest(embeddings: np.ndarray, centroids: np.ndarray,
            chunk: int = 20_000) -> tuple[np.ndarray, np.ndarray]:
    """Row index of the most similar centroid and that cosine similarity, chunked for memory."""
    emb = _unit_rows(embeddings)
    best = np.empty(len(emb), dtype=np.int64)
    sims = np.empty(len(emb), dtype=np.float32)
    for start in range(0, len(emb), chunk):
        s = emb[start:start + chunk] @ centroids.T
        best[start:start + chunk] = s.argmax(axis=1)
        sims[start:start + chunk] = s.max(axis=1)
    return best, sims


def merge_close_themes(topics: np.ndarray, embeddings: np.ndarray, similarity: float) -> np.ndarray:
    """Join themes whose centroids have a cosine of at least ``similarity`` (transitively).

    Clustering in a reduced space can cut one subject in two, most often by language: the same
    complaint in Russian and in Ukrainian lands in neighbouring clusters. Such pairs have nearly
    the same centroid in the (multilingual) embedding space. Ids are then renumbered 0..k−1 by
    size, largest first (−1 stays −1), as BERTopic numbers them.
    """
    topics = np.asarray(topics, dtype=np.int64).copy()
    ids, cents = centroids_for(embeddings, topics)
    if len(ids) < 2 or similarity >= 1.0:
        return topics
    parent = list(range(len(ids)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    sims = cents @ cents.T
    for i, j in zip(*np.nonzero(np.triu(sims, k=1) >= similarity)):
        a, b = root(int(i)), root(int(j))
        if a != b:
            parent[max(a, b)] = min(a, b)
    group = {int(t): int(ids[root(k)]) for k, t in enumerate(ids)}
    merged = np.array([group.get(int(t), -1) for t in topics], dtype=np.int64)
    sizes = Counter(int(t) for t in merged if t >= 0)
    order = sorted(sizes, key=lambda t: (-sizes[t], t))
    renumber = {t: k for k, t in enumerate(order)}
    return np.array([renumber.get(int(t), -1) for t in merged], dtype=np.int64)


def _reduce_outliers(topics: np.ndarray, embeddings: np.ndarray, theme_ids: np.ndarray,
                     centroids: np.ndarray, threshold: float, target: float) -> np.ndarray:
    """Move outliers to the nearest centroid: all above ``threshold``, then the closest others
    until at most ``target`` of the units are left unassigned."""
    topics = topics.copy()
    out = np.flatnonzero(topics < 0)
    if len(out) == 0 or len(theme_ids) == 0:
        return topics
    best, sims = nearest(embeddings[out], centroids)
    allowed = int(np.floor(target * len(topics)))
    order = np.argsort(-sims, kind="stable")
    n_move = max(int((sims >= threshold).sum()), len(out) - allowed)
    move = order[:n_move]
    topics[out[move]] = theme_ids[best[move]]
    return topics


def _threshold(embeddings: np.ndarray, topics: np.ndarray, theme_ids: np.ndarray, centroids: np.ndarray,
               quantile: float) -> float:
    mask = topics >= 0
    if not mask.any():
        return 0.0
    row = {t: i for i, t in enumerate(theme_ids.tolist())}
    idx = np.array([row[t] for t in topics[mask]])
    sims = np.einsum("ij,ij->i", _unit_rows(embeddings[mask]), centroids[idx])
    return float(np.quantile(sims, quantile))


# --------------------------------------------------------------------------- labels


def _themes_frame(model, topics: np.ndarray, texts: list[str], languages: list[str], top_n: int,
                  skip=(), polarity=None) -> pd.DataFrame:
    """One row per theme: a label (a phrase its comments share, else its keywords) in its main
    language, its labels per language (``labels``: {language: label}, see
    :func:`eevp.themes.labels.labels_by_language`; ``polarity``: each text's sentiment, for the labels'
    tone), keywords, size."""

    rows, words_by_language = [], []
    counts = Counter(topics.tolist())
    keywords_of = _keywords_of(model, top_n)
    for t in sorted(k for k in counts if k >= 0):
        # A person's name never becomes a keyword (nor, through the keywords, a label).
        words = [w for w, _ in (model.get_topic(t) or []) if w and not is_name_keyword(w)][:top_n]
        members = np.flatnonzero(topics == t)
        found = labels_by_language([texts[i] for i in members], [languages[i] for i in members], words,
                                   keywords_of, skip=skip,
                                   polarity=None if polarity is None else [polarity[i] for i in members])
        rows.append({"theme_id": int(t), "label": next(iter(found.values()))[0], "keywords": words,
                     "size": int(counts[t]), "labels": {lang: lab for lang, (lab, _) in found.items()}})
        words_by_language.append({lang: kw for lang, (_, kw) in found.items()})
    df = pd.DataFrame(rows, columns=["theme_id", "label", "keywords", "size", "labels"])
    df["labels"] = distinct_by_language(df["labels"].tolist(), words_by_language, skip)
    df = df.sort_values(["size", "theme_id"], ascending=[False, True]).reset_index(drop=True)
    skip = set(skip)
    df["label"] = distinct_labels(df["label"].tolist(), [[w for w in k if not skip & set(w.split())]
                                                         for k in df["keywords"]])
    df["labels"] = [{**d, next(iter(d)): label} for d, label in zip(df["labels"], df["label"])]
    return df


def _keywords_of(model, top_n: int):
    """``keywords_of(texts)``: the c-TF-IDF keywords of some texts against the fitted model's vocabulary
    and word weights (the keywords of one language's statements in a theme). The vocabulary is read at
    the first call: themes in one language never need it."""
    vocab: list = []

    def keywords_of(texts: list[str]) -> list[str]:
        vectorizer, ctfidf = model.vectorizer_model, model.ctfidf_model
        if not vocab:
            vocab.append(vectorizer.get_feature_names_out())
        weights = ctfidf.transform(csr_matrix(vectorizer.transform(texts).sum(axis=0))).toarray()[0]
        best = np.argsort(-weights, kind="stable")[:2 * top_n]
        return [str(vocab[0][i]) for i in best if weights[i] > 0 and not is_name_keyword(str(vocab[0][i]))][:top_n]

    return keywords_of


# --------------------------------------------------------------------------- fit


def _check_inputs(texts: list[str], embeddings: np.ndarray) -> np.ndarray:
    emb = np.asarray(embeddings, dtype=np.float32)
    if emb.ndim != 2 or len(emb) != len(texts):
        raise InputError(f"Expected one embedding row per text: {len(texts)} texts, embeddings of shape "
                         f"{emb.shape}.")
    return emb


def _languages(texts: list[str], languages) -> list[str]:
    if languages is None:
        return detect_languages(texts)
    langs = [lang or detect_language(t) for t, lang in zip(texts, languages)]
    if len(langs) != len(texts):
        raise InputError("Expected one language per text.")
    return langs


def fit_themes(texts, embeddings, languages=None, config: ThemeConfig | None = None, *, reducer=None,
               clusterer=None, vectorizer=None, progress: Progress | None = None, polarity=None,
               layouts: LayoutCache | None = None) -> ThemeResult:
    """Find themes in ``texts`` from their precomputed ``embeddings``.

    Args:
        texts: the texts (boilerplate already removed, see ``eevp.text.textprep.prepare``).
        embeddings: (n, d) float embeddings, one row per text.
        languages: a language code per text for labels (detected when None or empty).
        config: pipeline settings (defaults when None).
        reducer: dimensionality reduction with ``fit``/``transform``; None = (PCA →) UMAP.
        clusterer: clustering with ``fit`` and ``labels_``; None = HDBSCAN.
        vectorizer: ``CountVectorizer`` for keywords; None = :func:`eevp.text.textprep.make_vectorizer`.
        progress: ``progress(step, done, total)``.
        polarity: sentiment per text; a theme of praise and complaint alike is split in two.
        layouts: where the default reducer keeps its layouts (:class:`eevp.themes.layout.LayoutCache`):
            a refit of the same units in the same order reuses the layout.

    Returns:
        A :class:`ThemeResult`; the same data and config give identical topics.

    Raises:
        TooFewUnitsError: fewer than ``config.min_units`` texts.
        InputError: texts and embeddings do not match.
    """
    config = config or ThemeConfig()
    texts = [str(t) for t in texts]
    emb = _check_inputs(texts, embeddings)
    params = params_for_size(len(texts), config)
    langs = _languages(texts, languages)
    step = progress or (lambda *_: None)
    step("fitting themes", 0, 3)

    sample = np.arange(len(texts))
    if len(texts) > config.sample_size:
        rng = np.random.default_rng(config.seed)
        sample = np.sort(rng.choice(len(texts), size=config.sample_size, replace=False))
    if reducer is None:
        reducer = _default_reducer(params, config.seed, emb.shape[1], layouts)
    model = _bertopic_model(params, config, len(texts), reducer, clusterer, vectorizer)
    fitted, _ = model.fit_transform([texts[i] for i in sample], emb[sample])
    step("fitting themes", 1, 3)

    topics = np.full(len(texts), -1, dtype=np.int64)
    topics[sample] = merge_close_themes(np.asarray(fitted, dtype=np.int64), emb[sample],
                                        config.theme_merge_similarity)
    theme_ids, cents = centroids_for(emb[sample], topics[sample])
    threshold = _threshold(emb[sample], topics[sample], theme_ids, cents, config.assign_quantile)
    topics = _reduce_outliers(topics, emb, theme_ids, cents, threshold, config.outlier_target)
    if polarity is not None:
        topics = split_by_polarity(topics, polarity, params["min_cluster_size"])
    step("fitting themes", 2, 3)

    _update_model(model, texts, topics, emb)
    theme_ids, cents = centroids_for(emb, topics)
    step("fitting themes", 3, 3)
    return ThemeResult(topics=topics, themes=_themes_frame(model, topics, texts, langs, config.top_n_words,
                                                           config.label_skip, polarity),
                       outlier_share=float((topics < 0).mean()), model=model, centroids=cents,
                       theme_ids=theme_ids, threshold=threshold, params=params, config=config)


def _bertopic_model(params: dict, config: ThemeConfig, n_texts: int, reducer, clusterer, vectorizer):
    """A BERTopic model of the given steps; the default clusterer and vectorizer where None."""
    return _bertopic_class()(
        umap_model=reducer, hdbscan_model=clusterer if clusterer is not None else _default_clusterer(params),
        vectorizer_model=vectorizer if vectorizer is not None else make_vectorizer(n_texts),
        top_n_words=config.top_n_words, nr_topics=config.nr_topics, calculate_probabilities=False,
        min_topic_size=params["min_cluster_size"], language="multilingual", verbose=False)


@functools.cache
def _bertopic_class():
    """BERTopic without its "representative documents" (3 comments per topic, held by the model),
    and without keywords for the raw clusters (:func:`_update_model` computes those of the final themes).

    eevp never shows them (quotes are picked by :func:`eevp.analytics.customers.quotes` with the anonymity
    rule) and they would describe the clusters before outlier reduction anyway; computing them
    costs 0.1 s per 1,000 texts on every fit, candidate themes included.
    """
    BERTopic = import_bertopic()

    class TextFreeBERTopic(BERTopic):
        def _save_representative_docs(self, documents) -> None:
            self.representative_docs_ = {}

        def _extract_topics(self, documents, *args, **kwargs) -> None:
            # fit_themes merges, reassigns and splits the clusters, then computes the keywords and
            # topic vectors of the final themes (_update_model): c-TF-IDF of HDBSCAN's raw clusters
            # would be thrown away (it tokenized every text once more: a tenth of a cached refit).
            if self.nr_topics:  # topic reduction works on these keywords
                super()._extract_topics(documents, *args, **kwargs)

    return TextFreeBERTopic


def _update_model(model, texts: list[str], topics: np.ndarray, emb: np.ndarray) -> None:
    """Recompute keywords (c-TF-IDF) and topic embeddings for the final assignment."""
    # Setting topics_ first keeps BERTopic from re-embedding keywords (there is no embedding model).
    model.topics_ = topics.tolist()
    with _quiet_bertopic():  # its warning about custom topic assignments is expected here
        model.update_topics(texts, topics=topics.tolist(), vectorizer_model=model.vectorizer_model,
                            top_n_words=model.top_n_words)
    ids = sorted(set(topics.tolist()))
    unit = _unit_rows(emb)
    model.topic_embeddings_ = np.stack([unit[topics == t].mean(axis=0) for t in ids])


# --------------------------------------------------------------------------- save / load


@contextmanager
def _quiet_bertopic():
    """Silence BERTopic's warnings that do not apply to precomputed embeddings."""
    bertopic_log = logging.getLogger("BERTopic")
    level = bertopic_log.level
    bertopic_log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        bertopic_log.setLevel(level)


def save_model(result: ThemeResult, path) -> Path:
    """Save the BERTopic model (safetensors, with c-TF-IDF) and eevp's metadata and centroids.

    Args:
        result: a fitted :class:`ThemeResult` (with its model).
        path: a folder to create (or overwrite).

    Returns:
        The folder.
    """
    from safetensors.numpy import save_file

    if result.model is None:
        raise InputError("This theme result has no BERTopic model to save (it was loaded without one).")
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    vectorizer = result.model.vectorizer_model
    if getattr(vectorizer, "vocabulary_", None):  # numpy ints after min_df/max_features pruning: not JSON
        vectorizer.vocabulary_ = {word: int(i) for word, i in vectorizer.vocabulary_.items()}
    with _quiet_bertopic():  # "no embedding model": by design, embeddings come from eevp.themes.embeddings
        result.model.save(str(path), serialization="safetensors", save_ctfidf=True, save_embedding_model=False)
    meta = {
        "format": FORMAT_VERSION, "config": asdict(result.config), "params": result.params,
        "threshold": result.threshold, "outlier_share": result.outlier_share,
        "themes": result.themes.to_dict("records"),
    }
    (path / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    save_file({"centroids": np.ascontiguousarray(result.centroids, dtype=np.float32),
               "theme_ids": np.ascontiguousarray(result.theme_ids, dtype=np.int64),
               "topics": np.ascontiguousarray(result.topics, dtype=np.int64)}, str(path / ARRAYS_FILE))
    return path


def load_model(path, *, with_model: bool = True) -> ThemeResult:
    """Load a model saved by :func:`save_model`; nothing is refitted.

    Args:
        path: the model folder.
        with_model: also load the BERTopic model (not needed to assign new units).

    Raises:
        NotFoundError: the folder is not an eevp theme model.
    """
    from safetensors.numpy import load_file

    path = Path(path)
    if not (path / META_FILE).exists() or not (path / ARRAYS_FILE).exists():
        raise NotFoundError(f"No saved theme model in {path}. Run the analysis with a refit to build one.")
    meta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
    arrays = load_file(str(path / ARRAYS_FILE))
    model = None
    if with_model:
        with _quiet_bertopic():
            model = import_bertopic().load(str(path))
        model.vectorizer_model.set_params(tokenizer=LemmaTokenizer(), token_pattern=None)
    config = dict(meta["config"])
    config["nr_topics"] = config.get("nr_topics")
    return ThemeResult(topics=arrays["topics"], themes=pd.DataFrame(meta["themes"],
                       columns=["theme_id", "label", "keywords", "size"]),
                       outlier_share=float(meta["outlier_share"]), model=model, centroids=arrays["centroids"],
                       theme_ids=arrays["theme_ids"], threshold=float(meta["threshold"]),
                       params=meta["params"], config=ThemeConfig(**config))


# --------------------------------------------------------------------------- new units


def assign_new(model, embeddings, threshold: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Assign new units to existing themes by the nearest theme centroid.

    Args:
        model: a :class:`ThemeResult` or a saved model folder.
        embeddings: (n, d) embeddings of the new units (same embedder as the model).
        threshold: cosine cut-off; default the model's own (see ``ThemeConfig.assign_quantile``).

    Returns:
        ``(topics, is_outlier)``: theme id per unit (−1 when it fits none) and the outlier mask.
    """
    result = model if isinstance(model, ThemeResult) else load_model(model, with_model=False)
    emb = np.asarray(embeddings, dtype=np.float32)
    if len(emb) == 0 or len(result.theme_ids) == 0:
        return np.full(len(emb), -1, dtype=np.int64), np.ones(len(emb), dtype=bool)
    if emb.ndim != 2 or emb.shape[1] != result.centroids.shape[1]:
        raise InputError(f"Embeddings of width {emb.shape[-1]} do not match the theme model "
                         f"({result.centroids.shape[1]}); refit the themes after changing the embedder.")
    best, sims = nearest(emb, result.centroids)
    cut = result.threshold if threshold is None else threshold
    outlier = sims < cut
    topics = np.where(outlier, -1, result.theme_ids[best]).astype(np.int64)
    return topics, outlier


#: UMAP epochs for candidate themes (UMAP's own default is 500 below 10,000 points, 200 above).
#: Candidates are provisional and re-clustered as their pool grows; on 1,247 leftover comments
#: 100 epochs found 17 candidates on the same subjects as 200 (parking, discounts, perks...) in
#: 0.7 s instead of 1.2 s.
CANDIDATE_EPOCHS = 100


def candidate_themes(texts, embeddings, languages=None, config: ThemeConfig | None = None, *,
                     existing: ThemeResult | None = None, first_id: int | None = None, min_units: int | None = None,
                     reducer=None, clusterer=None, vectorizer=None) -> Candidates:
    """Cluster units that fit no theme into candidate new themes.

    A candidate whose centroid is within ``config.merge_similarity`` of an existing theme's
    centroid joins that theme instead. Outliers are not forced into candidates.

    Args:
        texts: the unassigned texts.
        embeddings: their embeddings.
        languages: per text, for labels.
        config: pipeline settings.
        existing: the current model (for merging and numbering).
        first_id: the first candidate theme id (default: one above the existing ids).
        min_units: the fewest units worth clustering (default ``config.min_units``).
        reducer, clusterer, vectorizer: injected steps as in :func:`fit_themes`.

    Returns:
        :class:`Candidates`; empty when there are too few units.
    """
    config = config or ThemeConfig()
    texts = [str(t) for t in texts]
    emb = _check_inputs(texts, embeddings)
    empty = Candidates(pd.DataFrame(columns=["theme_id", "label", "keywords", "size", "labels"]),
                       np.full(len(texts), -1, dtype=np.int64), np.zeros((0, emb.shape[1]), dtype=np.float32))
    if len(texts) < max(min_units or config.min_units, 2):
        return empty
    small = replace(config, outlier_target=1.0, min_units=min(config.min_units, len(texts)))
    params = {**params_for_size(len(texts), small), "n_epochs": CANDIDATE_EPOCHS}
    if reducer is None:  # candidates are provisional and rebuilt from time to time: 200 UMAP epochs, not 500
        reducer = _default_reducer(params, config.seed, emb.shape[1])
    if clusterer is None:
        clusterer = _default_clusterer(params, selection="leaf")
    fit = fit_themes(texts, emb, languages, small, reducer=reducer, clusterer=clusterer, vectorizer=vectorizer)
    topics = fit.topics.copy()
    if first_id is None:
        first_id = int(existing.theme_ids.max()) + 1 if existing is not None and len(existing.theme_ids) else 0
    mapping: dict[int, int] = {}
    next_id = first_id
    for t, cent in zip(fit.theme_ids.tolist(), fit.centroids):
        if existing is not None and len(existing.theme_ids):
            sims = existing.centroids @ cent
            if sims.max() >= config.merge_similarity:
                mapping[t] = int(existing.theme_ids[sims.argmax()])
                continue
        mapping[t] = next_id
        next_id += 1
    topics = np.array([mapping.get(t, -1) for t in topics.tolist()], dtype=np.int64)
    new = fit.themes[fit.themes["theme_id"].map(mapping) >= first_id].copy()
    new["theme_id"] = new["theme_id"].map(mapping).astype(int)
    cents = np.stack([fit.centroids[fit.theme_ids.tolist().index(old)] for old, nid in mapping.items()
                      if nid >= first_id]) if len(new) else empty.centroids
    order = [nid for nid in mapping.values() if nid >= first_id]
    new = new.set_index("theme_id").loc[order].reset_index()
    columns = ["theme_id", "label", "keywords", "size", "labels"]
    return Candidates(new[columns].reset_index(drop=True), topics, cents)
