"""The reducer's layouts kept on disk by their inputs: reused for the same units, never for others."""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
import pytest
from test_themes import FakeEmbedder, make_corpus

from eevp.themes.layout import KnnUMAP, LayoutCache
from eevp.themes.model import ThemeConfig, fit_themes

SETTINGS = {"n_neighbors": 10, "n_components": 5, "random_state": 42}


@pytest.fixture
def rows():
    return np.random.default_rng(0).normal(size=(50, 8)).astype(np.float32)


def test_the_key_changes_with_the_unit_set_their_order_and_the_settings(rows, tmp_path):
    cache = LayoutCache(tmp_path)
    key = cache.key(rows, SETTINGS)
    assert cache.key(rows.copy(), dict(reversed(SETTINGS.items()))) == key  # the same inputs, however given
    assert cache.key(rows[1:], SETTINGS) != key  # one unit fewer
    swapped = rows[[1, 0, *range(2, len(rows))]]
    assert cache.key(swapped, SETTINGS) != key  # the same units in another order
    changed = rows.copy()
    changed[7, 3] += 1e-3
    assert cache.key(changed, SETTINGS) != key  # one unit's text (so its embedding) changed
    assert cache.key(rows, {**SETTINGS, "random_state": 1}) != key


def test_a_stored_layout_reads_back_only_with_its_shape_and_old_ones_are_pruned(rows, tmp_path):
    cache = LayoutCache(tmp_path / "layouts", kept=2)
    assert cache.get("absent", (50, 5)) is None and cache.misses == 1
    layouts = {}
    for seed in range(3):
        key = cache.key(rows, {**SETTINGS, "random_state": seed})
        layouts[key] = np.random.default_rng(seed).normal(size=(50, 5)).astype(np.float32)
        cache.put(key, layouts[key])
        os.utime(tmp_path / "layouts" / f"{key}.npy", (seed + 1, seed + 1))  # oldest first, whatever the clock
    cache._prune()
    first, *last_two = layouts
    assert cache.get(first, (50, 5)) is None  # the least recently used went
    assert np.array_equal(cache.get(last_two[1], (50, 5)), layouts[last_two[1]])
    assert cache.get(last_two[1], (49, 5)) is None  # a layout for another number of units is never used
    assert sorted(p.name for p in (tmp_path / "layouts").iterdir()) == sorted(f"{k}.npy" for k in last_two)


def test_a_layout_in_a_folder_that_cannot_be_written_is_still_read(rows, tmp_path, monkeypatch):
    cache = LayoutCache(tmp_path)
    key = cache.key(rows, SETTINGS)
    cache.put(key, np.ones((50, 5), np.float32))

    def read_only(*args, **kwargs):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(os, "utime", read_only)
    assert np.array_equal(cache.get(key, (50, 5)), np.ones((50, 5), np.float32)) and cache.hits == 1


def test_a_file_cut_short_is_a_miss_not_an_error(rows, tmp_path):
    cache = LayoutCache(tmp_path)
    key = cache.key(rows, SETTINGS)
    cache.put(key, np.zeros((50, 5), np.float32))
    path = tmp_path / f"{key}.npy"
    path.write_bytes(path.read_bytes()[:40])
    assert cache.get(key, (50, 5)) is None


@pytest.fixture(scope="module")
def corpus():
    texts, _, langs = make_corpus(per_topic=75)
    return texts, langs, FakeEmbedder(dim=32, noise=0.2).encode(texts)


def _counting(monkeypatch) -> list[int]:
    """Count the layouts computed (UMAP runs) by the default reducer."""
    computed, compute = [], KnnUMAP._layout

    def layout(self, x):
        computed.append(len(x))
        return compute(self, x)

    monkeypatch.setattr(KnnUMAP, "_layout", layout)
    return computed


@pytest.mark.slow
def test_a_refit_of_the_same_units_reuses_the_layout_and_gives_the_same_themes(corpus, tmp_path, monkeypatch):
    texts, langs, emb = corpus
    computed = _counting(monkeypatch)
    cache = LayoutCache(tmp_path)
    first = fit_themes(texts, emb, langs, layouts=cache)
    again = fit_themes(texts, emb, langs, layouts=cache)
    assert computed == [len(texts)] and (cache.hits, cache.misses) == (1, 1)
    assert np.array_equal(again.topics, first.topics)
    assert again.themes[["theme_id", "label", "size"]].equals(first.themes[["theme_id", "label", "size"]])
    plain = fit_themes(texts, emb, langs)  # no cache: the layout computed anew is the one kept
    assert np.array_equal(plain.topics, first.topics)
    # Another theme setting on the same units (what an admin changes before a refit): the layout is reused.
    bigger = fit_themes(texts, emb, langs, ThemeConfig(min_topic_size=40), layouts=cache)
    assert cache.hits == 2 and len(computed) == 2  # the plain fit above computed its own
    assert bigger.params["min_cluster_size"] == 40


@pytest.mark.slow
def test_a_changed_unit_set_or_order_computes_a_new_layout(corpus, tmp_path, monkeypatch):
    texts, langs, emb = corpus
    computed = _counting(monkeypatch)
    cache = LayoutCache(tmp_path)
    fit_themes(texts, emb, langs, layouts=cache)
    fewer = fit_themes(texts[1:], emb[1:], langs[1:], layouts=cache)
    order = np.r_[1, 0, 2:len(texts)]
    fit_themes([texts[i] for i in order], emb[order], [langs[i] for i in order], layouts=cache)
    assert computed == [len(texts), len(texts) - 1, len(texts)] and cache.hits == 0
    assert len(fewer.topics) == len(texts) - 1

