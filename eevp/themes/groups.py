"""Theme groups: many themes shown as a handful of groups that open into their themes.

Above :data:`GROUP_ABOVE` themes a list stops being read. The themes of one fit are grouped by
meaning: Ward clustering of their centroids (the unit-length mean embedding of each theme, which the
model already keeps) into about the square root of their number of groups (4 to 12). This is
BERTopic's hierarchical-topics idea on the stored centroids instead of on c-TF-IDF, so the groups
work across languages as the themes do. Groups are computed once per fit and kept with the model
(``theme_models.params_json``); a group is named at reading time by its two largest themes, so a
renamed theme renames its group.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.cluster import AgglomerativeClustering

__all__ = ["GROUP_ABOVE", "group_label", "group_themes"]

#: Themes are grouped when a fit has more than this many.
GROUP_ABOVE = 25


def group_themes(theme_ids, centroids, sizes, *, above: int = GROUP_ABOVE) -> dict[int, int]:
    """Theme id → group number (0 = the largest group); empty when there are ``above`` themes or fewer.

    Args:
        theme_ids: the themes' ids, one per row of ``centroids``.
        centroids: (k, d) unit-length theme centroids.
        sizes: units per theme, in the same order (groups are numbered by their total size).
        above: group only when there are more themes than this.
    """
    ids = [int(t) for t in theme_ids]
    if len(ids) <= above:
        return {}
    k = int(np.clip(round(np.sqrt(len(ids))), 4, 12))
    cents = np.asarray(centroids, dtype=np.float64)
    cents = cents / np.maximum(np.linalg.norm(cents, axis=1, keepdims=True), 1e-12)
    found = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(cents)
    total = pd.Series(np.asarray(sizes, dtype=float)).groupby(found).sum()
    order = {int(g): n for n, g in enumerate(sorted(total.index, key=lambda g: (-total[g], g)))}
    return {t: order[int(g)] for t, g in zip(ids, found)}


def group_label(labels: list[str], sizes: list[int], n: int = 2) -> str:
    """A group's name: the labels of its ``n`` largest themes, e.g. "Low pay · Long hours"."""
    order = sorted(range(len(labels)), key=lambda i: (-sizes[i], i))
    return " · ".join(dict.fromkeys(str(labels[i]) for i in order[:n]))
