"""HR survey metrics as plain numbers and DataFrames: eNPS, favourability, drivers, wave changes.

Conventions:

* eNPS answers are 0–10: promoters 9–10, passives 7–8, detractors 0–6.
* An answer on a ``min..max`` scale is *favourable* when ``(x - min) / (max - min) >= 0.75``:
  1–5 → 4 and 5; 1–7 → 6 and 7; 0–10 → 8, 9, 10; 1–10 → 8, 9, 10. A four-point scale has no middle
  answer: its upper half is favourable, 1–4 → 3 and 4 ("agree" and "strongly agree"; the top answer alone
  read IBM's engagement as 21% where 71% agree). :func:`favourable_cut` holds the rule, and
  :func:`eevp.analytics.reports.fav_frame` uses it too, so every favourable share in eevp agrees.
* Shares are 0–1; eNPS and its percentages are on the −100..100 / 0..100 scale.
* Any function that aggregates by group takes ``threshold`` and sends its table through
  :func:`eevp.analytics.anonymity.suppress`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import stats

from eevp.analytics import anonymity
from eevp.errors import InputError
from eevp.settings import MIN_ALLOWED_THRESHOLD

__all__ = [
    "DEFAULT_SCALE",
    "FAVOURABLE_CUT",
    "FOUR_POINT_CUT",
    "QUADRANTS",
    "engagement_index",
    "enps",
    "enps_delta",
    "favourability",
    "favourable_answers",
    "favourable_cut",
    "favourable_mask",
    "item_summary",
    "key_drivers",
    "participation",
    "relative_weights",
    "wave_delta",
]

#: The rating scale assumed when none is given.
DEFAULT_SCALE = (1.0, 5.0)
#: Position on the scale (0 = bottom, 1 = top) from which an answer counts as favourable.
FAVOURABLE_CUT = 0.75
#: The same on a four-point scale (no middle answer): its upper half.
FOUR_POINT_CUT = 2 / 3


def favourable_cut(scale_min: float, scale_max: float) -> float:
    """The position on ``scale_min..scale_max`` from which an answer is favourable (see the module docstring),
    less a tiny tolerance (1–5 → 4 sits exactly on 0.75, and must stay favourable despite float rounding)."""
    cut = FOUR_POINT_CUT if scale_max - scale_min == 3 else FAVOURABLE_CUT
    return cut - 1e-9
#: Driver quadrants: (score is high, impact is high) -> name.
QUADRANTS = {
    (False, True): "Fix first",
    (True, True): "Strengths to keep",
    (False, False): "Monitor",
    (True, False): "Maintain",
}
Z95 = _Z95 = 1.959963984540054  # the normal quantile of a two-sided 95% interval


def _numbers(values) -> pd.Series:
    """Values as a float Series with missing answers dropped."""
    s = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values
    return pd.to_numeric(s, errors="raise").astype(float).dropna()


# --------------------------------------------------------------------------- eNPS


def enps(scores) -> dict:
    """Employee Net Promoter Score with a 95% confidence interval.

    Args:
        scores: answers 0–10 (missing values are ignored).

    Returns:
        ``enps`` (−100..100), ``n``, ``promoters``, ``passives``, ``detractors`` (counts),
        ``pct_promoters``, ``pct_detractors`` (0..100), ``ci_low``, ``ci_high``. The interval
        uses the trinomial variance ``(pP + pD - (pP - pD)**2) / n`` (×100), clamped to
        −100..100. With no answers, ``n`` is 0 and every other value is None.

    Raises:
        ValueError: an answer lies outside 0–10.
    """
    s = _numbers(scores)
    if ((s < 0) | (s > 10)).any():
        bad = s[(s < 0) | (s > 10)].iloc[0]
        raise ValueError(f"eNPS answers must be 0–10, got {bad:g}.")
    n = len(s)
    if n == 0:
        return {
            k: (0 if k == "n" else None)
            for k in (
                "enps",
                "n",
                "promoters",
                "passives",
                "detractors",
                "pct_promoters",
                "pct_detractors",
                "ci_low",
                "ci_high",
            )
        }
    promoters, detractors = int((s >= 9).sum()), int((s <= 6).sum())
    p_p, p_d = promoters / n, detractors / n
    score = (p_p - p_d) * 100
    half = _Z95 * _enps_se(p_p, p_d, n)
    return {
        "enps": score,
        "n": n,
        "promoters": promoters,
        "passives": n - promoters - detractors,
        "detractors": detractors,
        "pct_promoters": p_p * 100,
        "pct_detractors": p_d * 100,
        "ci_low": max(-100.0, score - half),
        "ci_high": min(100.0, score + half),
    }


def _enps_se(p_p: float, p_d: float, n: int) -> float:
    """Standard error of eNPS (on the −100..100 scale) from the trinomial variance."""
    var = (p_p + p_d - (p_p - p_d) ** 2) / n
    return math.sqrt(max(var, 0.0)) * 100


def enps_delta(previous, current, alpha: float = 0.05) -> dict:
    """Change in eNPS between two waves, with a z test from the trinomial variance.

    Args:
        previous: answers 0–10 of the earlier wave, or a result of :func:`enps`.
        current: answers 0–10 of the later wave, or a result of :func:`enps`.
        alpha: significance level (two-sided).

    Returns:
        ``delta`` (points), ``z``, ``p_value``, ``significant``; all None (and ``significant``
        False) when either wave has no answers. ``z = delta / sqrt(se_prev² + se_cur²)``.
    """
    a = previous if isinstance(previous, Mapping) else enps(previous)
    b = current if isinstance(current, Mapping) else enps(current)
    if not a["n"] or not b["n"]:
        return {"delta": None, "z": None, "p_value": None, "significant": False}
    delta = b["enps"] - a["enps"]
    se = math.hypot(
        _enps_se(a["pct_promoters"] / 100, a["pct_detractors"] / 100, a["n"]),
        _enps_se(b["pct_promoters"] / 100, b["pct_detractors"] / 100, b["n"]),
    )
    return _z_result(delta, se, alpha)


def _z_result(delta: float, se: float, alpha: float) -> dict:
    """delta, z, two-sided p and the verdict; a zero standard error gives z = 0 unless delta differs."""
    if se > 0:
        z = delta / se
    else:
        z = 0.0 if delta == 0 else math.copysign(math.inf, delta)
    p = float(2 * stats.norm.sf(abs(z)))
    return {"delta": delta, "z": z, "p_value": p, "significant": bool(p < alpha)}


# --------------------------------------------------------------------------- favourability


def favourable_mask(scores, scale_min: float = 1, scale_max: float = 5) -> pd.Series:
    """True where an answer is favourable: ``(x - min) / (max - min) >= 0.75`` (missing dropped).

    Raises:
        ValueError: the scale is empty or an answer lies outside it.
    """
    if scale_max <= scale_min:
        raise ValueError(f"Scale maximum must exceed the minimum, got {scale_min}..{scale_max}.")
    s = _numbers(scores)
    outside = (s < scale_min) | (s > scale_max)
    if outside.any():
        raise ValueError(f"Answer {s[outside].iloc[0]:g} is outside the scale {scale_min:g}–{scale_max:g}.")
    return (s - scale_min) / (scale_max - scale_min) >= favourable_cut(scale_min, scale_max)


def favourable_answers(scales) -> tuple[int, int] | None:
    """(first favourable answer, top answer) when every (min, max) in ``scales`` is one scale of whole numbers:
    (4, 5) for 1–5, (3, 4) for 1–4, (8, 10) for 0–10; None for none or several scales."""
    found = {(float(lo), float(hi)) for lo, hi in scales}
    if len(found) != 1:
        return None
    lo, hi = found.pop()
    return math.ceil(lo + favourable_cut(lo, hi) * (hi - lo)), int(hi)


def favourability(scores, scale_min: float = 1, scale_max: float = 5) -> float | None:
    """Share (0–1) of favourable answers — the top two boxes on a 1–5 scale.

    See the module docstring for other scales. Missing answers are ignored; no answers → None.
    """
    fav = favourable_mask(scores, scale_min, scale_max)
    return float(fav.mean()) if len(fav) else None


def _scale_for(scale, item) -> tuple[float, float]:
    """The (min, max) of ``item``: from a dict of scales, a single (min, max), or the default."""
    if scale is None:
        return DEFAULT_SCALE
    if isinstance(scale, Mapping):
        return tuple(scale.get(item, DEFAULT_SCALE))
    return tuple(scale)


def item_summary(
    long: pd.DataFrame,
    by: list[str],
    scale=None,
    *,
    threshold: int,
    item_col: str = "item",
    score_col: str = "score",
) -> pd.DataFrame:
    """n, mean and favourable share per group × item, with small groups suppressed.

    Args:
        long: one row per answer with the ``by`` columns, ``item_col`` and ``score_col``.
        by: group columns (may be empty for the whole population per item).
        scale: ``{item: (min, max)}``, one ``(min, max)`` for all items, or None for 1–5.
        threshold: anonymity threshold. Within each item, the groups of the last ``by`` column
            are siblings for complementary suppression.
        item_col: the item column.
        score_col: the answer column.

    Returns:
        Columns ``*by, item, n, mean, favourable, suppressed``.
    """
    by = list(by)
    cols = [*by, item_col, "n", "mean", "favourable", "suppressed"]
    data = long.dropna(subset=[score_col])
    if data.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for key, sub in data.groupby([*by, item_col], sort=True, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        lo, hi = _scale_for(scale, key[-1])
        rows.append(
            {
                **dict(zip([*by, item_col], key)),
                "n": len(sub),
                "mean": float(sub[score_col].mean()),
                "favourable": favourability(sub[score_col], lo, hi),
            }
        )
    table = pd.DataFrame(rows)
    return anonymity.suppress(
        table,
        n_col="n",
        threshold=threshold,
        group_cols=[item_col, *by],
        value_cols=["mean", "favourable"],
        complementary=bool(by),
    )[cols]


def engagement_index(
    data: pd.DataFrame, items: list[str], scale=None, *, item_col: str = "item", score_col: str = "score"
) -> float | None:
    """Mean of the favourable shares of the configured engagement items.

    Args:
        data: wide (one column per item) or long (``item_col`` and ``score_col`` columns).
        items: the engagement items; items without answers are left out of the mean.
        scale: as in :func:`item_summary`.
        item_col: item column of a long frame.
        score_col: answer column of a long frame.

    Returns:
        The index (0–1), or None when no configured item has an answer.
    """
    long_form = item_col in data.columns and score_col in data.columns and not set(items) & set(data.columns)
    shares = []
    for item in items:
        if long_form:
            answers = data.loc[data[item_col] == item, score_col]
        else:
            answers = data[item] if item in data.columns else pd.Series(dtype=float)
        share = favourability(answers, *_scale_for(scale, item))
        if share is not None:
            shares.append(share)
    return float(np.mean(shares)) if shares else None


# --------------------------------------------------------------------------- changes between waves


def wave_delta(prev_fav: float, prev_n: int, cur_fav: float, cur_n: int, alpha: float = 0.05) -> dict:
    """Change in a favourable share between two waves, with a pooled two-proportion z test.

    ``z = (p2 - p1) / sqrt(p (1 - p) (1/n1 + 1/n2))`` with ``p`` the pooled share.

    Args:
        prev_fav: favourable share (0–1) in the earlier wave.
        prev_n: answers in the earlier wave.
        cur_fav: favourable share (0–1) in the later wave.
        cur_n: answers in the later wave.
        alpha: significance level (two-sided).

    Returns:
        ``delta`` (share points, −1..1), ``z``, ``p_value``, ``significant``.

    Raises:
        ValueError: a count is not positive or a share is outside 0–1.
    """
    if prev_n <= 0 or cur_n <= 0:
        raise ValueError(f"Both waves need answers, got n={prev_n} and n={cur_n}.")
    if not (0 <= prev_fav <= 1 and 0 <= cur_fav <= 1):
        raise ValueError(f"Shares must be 0–1, got {prev_fav} and {cur_fav}.")
    pooled = (prev_fav * prev_n + cur_fav * cur_n) / (prev_n + cur_n)
    se = math.sqrt(pooled * (1 - pooled) * (1 / prev_n + 1 / cur_n))
    return _z_result(cur_fav - prev_fav, se, alpha)


def participation(responses, headcount):
    """Response rate: responses / headcount.

    Args:
        responses: a count, or a Series of counts per group (or any sized collection of responses).
        headcount: a count, or a Series of headcounts per group (aligned on the index).

    Returns:
        A share (0–1) or a Series of shares; None (NaN in a Series) where headcount is 0 or missing.

    Raises:
        InputError: more responses than people (the headcount is out of date).
    """
    if isinstance(responses, pd.Series) or isinstance(headcount, pd.Series):
        r, h = pd.Series(responses, dtype=float), pd.Series(headcount, dtype=float)
        over = (r > h) & (h > 0)
        if over.any():
            raise InputError(
                f"More responses than headcount in {list(r.index[over.to_numpy()])}. "
                "Update the headcount for this wave."
            )
        return (r / h.where(h > 0)).rename("participation")
    count = len(responses) if isinstance(responses, (pd.DataFrame, list, tuple)) else responses
    if headcount is None or headcount <= 0:
        return None
    if count > headcount:
        raise InputError(
            f"{count} responses but a headcount of {headcount}. Update the headcount for this wave."
        )
    return count / headcount


# --------------------------------------------------------------------------- key drivers


def relative_weights(predictors: pd.DataFrame, outcome: pd.Series) -> pd.Series:
    """Johnson's (2000) relative weights: each predictor's share of R², robust to correlation.

    With ``R = P Λ P'`` the predictors' correlation matrix and ``Λ½ = P Λ^½ P'`` its symmetric
    square root, ``β = Λ½⁻¹ r_xy`` and ``weight_j = Σ_k (Λ½_jk)² β_k²``. The weights sum to
    R²; for uncorrelated predictors each weight is that predictor's ``r²``.

    Args:
        predictors: one column per predictor (no missing values, no constant columns).
        outcome: the outcome, aligned with ``predictors``.

    Returns:
        Raw relative weights indexed by predictor name.
    """
    x = predictors.to_numpy(dtype=float)
    y = outcome.to_numpy(dtype=float)
    corr = np.corrcoef(np.column_stack([x, y]), rowvar=False)
    r_xx, r_xy = corr[:-1, :-1], corr[:-1, -1]
    eigval, eigvec = np.linalg.eigh(r_xx)
    root = eigvec @ np.diag(np.sqrt(np.clip(eigval, 0, None))) @ eigvec.T
    beta = np.linalg.pinv(root) @ r_xy
    return pd.Series((root**2) @ (beta**2), index=predictors.columns, name="impact")


def key_drivers(
    wide: pd.DataFrame,
    items: list[str],
    outcome: str = "enps",
    *,
    threshold: int = MIN_ALLOWED_THRESHOLD,
    scale=None,
) -> pd.DataFrame:
    """Which items move the outcome: score, impact (relative weight), correlation and quadrant.

    Rows with a missing item or outcome are dropped; items that do not vary are left out.
    ``score`` is the favourable share when ``scale`` is given, else the mean answer.
    Quadrants split at the medians of score and impact across the items; a value at or above
    the median counts as high: "Fix first" (low score, high impact), "Strengths to keep"
    (high, high), "Monitor" (low, low), "Maintain" (high score, low impact). An item is high impact only
    where it also goes with the outcome beyond chance (a positive correlation, 95%).

    Args:
        wide: one row per respondent with the item columns and ``outcome``.
        items: the candidate driver items.
        outcome: the outcome column (eNPS by default).
        threshold: fewest respondents needed (anonymity threshold).
        scale: as in :func:`item_summary`; None reports mean answers as ``score``.

    Returns:
        Columns ``item, score, mean, impact, impact_share, r, quadrant`` sorted by impact
        (``impact_share`` = impact / R²); empty when fewer than 2 usable items or fewer than
        ``max(threshold, items + 2)`` complete rows.
    """
    cols = ["item", "score", "mean", "impact", "impact_share", "r", "quadrant"]
    present = [i for i in items if i in wide.columns]
    if outcome not in wide.columns or len(present) < 2:
        return pd.DataFrame(columns=cols)
    data = wide[[*present, outcome]].apply(pd.to_numeric, errors="coerce").dropna()
    varying = [i for i in present if data[i].nunique() > 1]
    if (
        len(varying) < 2
        or data[outcome].nunique() < 2
        or len(data) < max(anonymity.check_threshold(threshold), len(varying) + 2)
    ):
        return pd.DataFrame(columns=cols)
    weights = relative_weights(data[varying], data[outcome])
    # every item's correlation with the outcome at once (pandas' per-pair corr took 8 ms each)
    r = np.corrcoef(data[[*varying, outcome]].to_numpy(dtype=float), rowvar=False)[-1, :-1]
    out = pd.DataFrame(
        {
            "item": varying,
            "mean": data[varying].mean().to_numpy(dtype=float),
            "impact": weights.to_numpy(),
            "r": r,
        }
    )
    out["score"] = (
        out["mean"] if scale is None else [favourability(data[i], *_scale_for(scale, i)) for i in varying]
    )
    total = out["impact"].sum()
    out["impact_share"] = out["impact"] / total if total > 0 else np.nan
    out["quadrant"] = _quadrants(out["score"], out["impact"], _moves(out["r"], len(data)))
    return out.sort_values("impact", ascending=False, kind="stable")[cols].reset_index(drop=True)


def _moves(r: pd.Series, n: int) -> pd.Series:
    """Whether each item goes with the outcome beyond chance: a positive correlation whose 95% interval
    (Fisher's z) excludes 0. IBM's items barely relate to its outcome (impacts about 0.00), and the median
    split alone still called half of them "Fix first"."""
    z = np.arctanh(np.clip(r.to_numpy(dtype=float), -0.999999, 0.999999)) * math.sqrt(max(n - 3, 0))
    return pd.Series(z >= Z95, index=r.index)


def _quadrants(score: pd.Series, impact: pd.Series, moves: pd.Series | None = None) -> list[str]:
    """Quadrant names from a median split (at or above the median = high); an item whose impact is at or
    above the median but that does not go with the outcome beyond chance (``moves``) counts as low impact."""
    hi_score, hi_impact = score >= score.median(), impact >= impact.median()
    if moves is not None:
        hi_impact = hi_impact & moves
    return [QUADRANTS[(bool(s), bool(i))] for s, i in zip(hi_score, hi_impact)]
