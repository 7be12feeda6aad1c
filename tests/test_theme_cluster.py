"""The hierarchy split: a theme that swallows the corpus is split along HDBSCAN's own tree."""

from __future__ import annotations

import numpy as np
import pytest

from eevp.themes.cluster import HierarchySplit, split_by_tree
from training import real_text

# A condensed tree over 10 points (0..9); the root is 10. Cluster 11 holds points 0..5 and splits
# into 13 (0, 1, 2) and 14 (3, 4); point 5 leaves 11 before the split. Cluster 12 holds 6..9.
PARENT = [10, 10, 11, 11, 11, 13, 13, 13, 14, 14, 12, 12, 12, 12]
CHILD = [11, 12, 13, 14, 5, 0, 1, 2, 3, 4, 6, 7, 8, 9]
EOM = np.array([0, 0, 0, 0, 0, 0, 1, 1, 1, 1])  # HDBSCAN's choice: 11 and 12


def test_a_cluster_over_the_share_is_replaced_by_its_children():
    labels, splits = split_by_tree(EOM, PARENT, CHILD, max_share=0.5)
    assert splits == 1
    assert labels.tolist() == [1, 1, 1, 2, 2, -1, 0, 0, 0, 0]  # numbered by size; point 5 left before the split


def test_a_fine_shape_is_left_as_hdbscan_chose_it():
    labels, splits = split_by_tree(EOM, PARENT, CHILD, max_share=0.6)
    assert splits == 0
    assert labels.tolist() == [0, 0, 0, 0, 0, 0, 1, 1, 1, 1]


def test_a_cluster_without_children_is_kept_whatever_its_share():
    labels, splits = split_by_tree(EOM, PARENT, CHILD, max_share=0.1)
    assert splits == 1  # 12, 13 and 14 have no children in the tree: three clusters is all it holds
    assert sorted(set(labels.tolist())) == [-1, 0, 1, 2]


def test_noise_only_stays_noise():
    labels, splits = split_by_tree(np.full(10, -1), PARENT, CHILD)
    assert splits == 0 and (labels == -1).all()


def test_on_blobs_inside_a_blob_the_largest_theme_keeps_under_the_share():
    rng = np.random.default_rng(0)
    # One dense region made of three close sub-blobs (what "eom" keeps whole), and two small islands.
    inner = [rng.normal(c, 0.3, size=(120, 2)) for c in ((0, 0), (1.3, 0), (0.65, 1.13))]
    islands = [rng.normal(c, 0.15, size=(40, 2)) for c in ((8, 8), (-8, 8))]
    x = np.vstack(inner + islands)
    plain = HierarchySplit(min_cluster_size=15, min_samples=5, max_share=1.0).fit(x)
    split = HierarchySplit(min_cluster_size=15, min_samples=5, max_share=0.4).fit(x)
    inside = split.labels_[split.labels_ >= 0]
    assert np.bincount(plain.labels_[plain.labels_ >= 0]).max() / (plain.labels_ >= 0).sum() > 0.4
    assert split.splits_ >= 1
    assert np.bincount(inside).max() / len(inside) <= 0.4
    truth = np.repeat(np.arange(5), [120, 120, 120, 40, 40])
    for k in range(3):  # the split found the three sub-blobs, each theme mostly one of them
        members = truth[split.labels_ == k]
        assert np.bincount(members).max() / len(members) >= 0.8


@pytest.mark.slow
@pytest.mark.skipif(not real_text.available(), reason="../shared/data/external is absent")
def test_real_glassdoor_cons_give_many_themes_none_swallowing_the_rest():
    from eevp.text.textprep import prepare
    from eevp.themes.model import fit_themes

    st = real_text.all_statements("gd_uk")
    texts = st.loc[st["field"] == "cons", "text"].tolist()
    prep = prepare(texts, min_words=1)
    texts = prep.loc[prep["keep"], "text"].tolist()
    idx = np.random.default_rng(0).permutation(len(texts))[:2000]  # 2,000: where one theme held 98%
    sample = [texts[i] for i in idx]
    topics = fit_themes(sample, real_text.embed(sample)).topics
    inside = topics[topics >= 0]
    assert len(set(inside.tolist())) >= 5
    assert np.bincount(inside).max() / len(inside) <= 0.25
    assert (topics < 0).mean() <= 0.15
