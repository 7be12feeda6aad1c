import math
import os

import numpy as np
import pandas as pd
import pytest

from eevp.analytics import metrics
from eevp.errors import InputError

os.environ.setdefault("HF_HUB_OFFLINE", "1")

# --------------------------------------------------------------------------- eNPS


def test_enps_by_hand():
    r = metrics.enps([10, 10, 9, 8, 7, 0])
    assert r["n"] == 6
    assert (r["promoters"], r["passives"], r["detractors"]) == (3, 2, 1)
    assert r["enps"] == pytest.approx(50 - 100 / 6)  # 33.3
    assert r["pct_promoters"] == pytest.approx(50.0)
    assert r["pct_detractors"] == pytest.approx(100 / 6)
    # var = (0.5 + 1/6 - (1/3)^2) / 6 = (2/3 - 1/9) / 6 = 5/54
    half = 1.959964 * math.sqrt(5 / 54) * 100
    assert r["ci_low"] == pytest.approx(100 / 3 - half, abs=1e-3)
    assert r["ci_high"] == pytest.approx(100 / 3 + half, abs=1e-3)


def test_enps_all_promoters_is_100_with_clamped_interval():
    r = metrics.enps([9, 10, 10, 9])
    assert r["enps"] == 100.0
    assert r["ci_high"] == 100.0 and r["ci_low"] == 100.0


def test_enps_interval_is_clamped_at_minus_100():
    r = metrics.enps([0, 0, 1, 10])
    assert r["enps"] == pytest.approx(-50.0)
    assert r["ci_low"] == -100.0


def test_enps_empty_and_missing():
    r = metrics.enps([])
    assert r["n"] == 0 and r["enps"] is None and r["ci_low"] is None and r["promoters"] is None
    assert metrics.enps([np.nan, None])["n"] == 0
    assert metrics.enps(pd.Series([np.nan, 6, 9]))["enps"] == 0.0


@pytest.mark.parametrize("bad", [[11], [-1], [5, 10.5]])
def test_enps_out_of_range_raises(bad):
    with pytest.raises(ValueError, match="0–10"):
        metrics.enps(bad)


def test_enps_boundaries_six_and_seven_eight_nine():
    r = metrics.enps([6, 7, 8, 9])
    assert (r["detractors"], r["passives"], r["promoters"]) == (1, 2, 1)


# --------------------------------------------------------------------------- favourability


@pytest.mark.parametrize(
    "scores, lo, hi, expected",
    [
        ([1, 2, 3, 4, 5], 1, 5, 0.4),  # 4 and 5
        ([3, 3, 4, 5], 1, 5, 0.5),
        ([5, 6, 7], 1, 7, 2 / 3),  # 6 and 7
        ([7, 8, 9, 10], 0, 10, 0.75),  # 8–10
        ([7, 8], 1, 10, 0.5),  # 1–10: 8 is 7/9 ≥ 0.75, 7 is 6/9
        ([2, 3, 4, 4], 1, 4, 0.75),  # 1–4: 3 and 4 (no middle answer: the upper half)
    ],
)
def test_favourability_rule(scores, lo, hi, expected):
    assert metrics.favourability(scores, lo, hi) == pytest.approx(expected)


def test_favourability_empty_and_invalid():
    assert metrics.favourability([]) is None
    assert metrics.favourability([np.nan]) is None
    with pytest.raises(ValueError):
        metrics.favourability([6], 1, 5)
    with pytest.raises(ValueError):
        metrics.favourability([1], 5, 5)


def test_item_summary_group_at_threshold_shown_small_ones_hidden():
    long = pd.DataFrame(
        {
            "dept": ["a"] * 5 + ["b"] * 2 + ["c"] * 3,
            "item": ["q1"] * 10,
            "score": [5, 4, 4, 2, 1] + [5, 5] + [1, 1, 2],
        }
    )
    out = metrics.item_summary(long, ["dept"], threshold=5).set_index("dept")
    assert out.loc["a", ["n", "mean", "favourable"]].tolist() == [5, 3.2, 0.6]
    # b (2) and c (3) are below 5 and together hold 5: hidden, and a stays visible
    assert out["suppressed"].to_dict() == {"a": False, "b": True, "c": True}
    assert out.loc[["b", "c"], ["n", "mean", "favourable"]].isna().all().all()


def test_item_summary_complement_is_smallest_sibling():
    long = pd.DataFrame(
        {"dept": ["a"] * 6 + ["b"] * 2 + ["c"] * 9, "item": "q1", "score": [4] * 6 + [1, 2] + [5] * 9}
    )
    out = metrics.item_summary(long, ["dept"], threshold=5).set_index("dept")
    assert out["suppressed"].to_dict() == {"a": True, "b": True, "c": False}
    assert out.loc["c", "favourable"] == 1.0 and out.loc["c", "n"] == 9
    assert out.loc[["a", "b"], ["n", "mean", "favourable"]].isna().all().all()


def test_item_summary_scales_per_item():
    long = pd.DataFrame({"item": ["q1"] * 4 + ["q7"] * 4, "score": [4, 4, 1, 1, 6, 6, 6, 5]})
    out = metrics.item_summary(long, [], {"q7": (1, 7)}, threshold=3).set_index("item")
    assert out.loc["q1", "favourable"] == 0.5
    assert out.loc["q7", "favourable"] == 0.75
    assert not out["suppressed"].any()


def test_engagement_index_wide_and_long():
    wide = pd.DataFrame({"q1": [5, 4, 1, 2], "q2": [5, 5, 5, 1], "other": [1, 1, 1, 1]})
    # q1: 0.5, q2: 0.75 → 0.625; "other" is not an engagement item
    assert metrics.engagement_index(wide, ["q1", "q2"]) == pytest.approx(0.625)
    long = wide.melt(var_name="item", value_name="score")
    assert metrics.engagement_index(long, ["q1", "q2"]) == pytest.approx(0.625)
    assert metrics.engagement_index(wide, ["missing"]) is None


# --------------------------------------------------------------------------- changes


def test_wave_delta_against_hand_computed_z():
    # 50/100 → 60/100: pooled p = 0.55, se = sqrt(0.55*0.45*0.02) = 0.070356
    r = metrics.wave_delta(0.5, 100, 0.6, 100)
    se = math.sqrt(0.55 * 0.45 * (1 / 100 + 1 / 100))
    assert r["delta"] == pytest.approx(0.1)
    assert r["z"] == pytest.approx(0.1 / se)
    assert r["z"] == pytest.approx(1.4213, abs=1e-4)
    assert r["p_value"] == pytest.approx(0.1552, abs=1e-4)
    assert r["significant"] is False


def test_wave_delta_significant_drop():
    r = metrics.wave_delta(0.8, 400, 0.7, 400)
    assert r["z"] < -3 and r["significant"] is True and r["delta"] == pytest.approx(-0.1)


def test_wave_delta_edge_cases():
    r = metrics.wave_delta(1.0, 10, 1.0, 10)
    assert r["z"] == 0.0 and r["p_value"] == 1.0 and r["significant"] is False
    with pytest.raises(ValueError):
        metrics.wave_delta(0.5, 0, 0.5, 10)
    with pytest.raises(ValueError):
        metrics.wave_delta(1.5, 10, 0.5, 10)


def test_enps_delta_uses_trinomial_variance():
    prev = [10] * 50 + [0] * 50  # eNPS 0,  var = (0.5 + 0.5 - 0) / 100 = 0.01
    cur = [10] * 70 + [0] * 30  # eNPS 40, var = (1 - 0.16) / 100 = 0.0084
    r = metrics.enps_delta(prev, cur)
    z = 40 / (100 * math.sqrt(0.01 + 0.0084))
    assert r["delta"] == pytest.approx(40.0)
    assert r["z"] == pytest.approx(z)
    assert r["significant"] is True
    # results of enps() are accepted too
    assert metrics.enps_delta(metrics.enps(prev), metrics.enps(cur))["z"] == pytest.approx(z)
    assert metrics.enps_delta([], cur)["delta"] is None


def test_participation():
    assert metrics.participation(45, 60) == 0.75
    assert metrics.participation(pd.DataFrame({"x": range(3)}), 4) == 0.75
    assert metrics.participation(3, 0) is None
    with pytest.raises(InputError):
        metrics.participation(7, 5)
    rates = metrics.participation(pd.Series({"a": 5, "b": 3}), pd.Series({"a": 10, "b": 0}))
    assert rates["a"] == 0.5 and math.isnan(rates["b"])


# --------------------------------------------------------------------------- drivers


def _orthogonal_frame():
    # Three exactly uncorrelated, centred predictors (columns of a Hadamard-like design).
    a = np.array([1, 1, 1, 1, -1, -1, -1, -1], dtype=float)
    b = np.array([1, 1, -1, -1, 1, 1, -1, -1], dtype=float)
    c = np.array([1, -1, 1, -1, 1, -1, 1, -1], dtype=float)
    noise = np.array([1, -1, -1, 1, -1, 1, 1, -1], dtype=float)  # orthogonal to a, b, c
    y = 3 * a + 2 * b + 1 * c + 1.5 * noise
    return pd.DataFrame({"a": a, "b": b, "c": c, "enps": y})


def test_relative_weights_of_orthogonal_predictors_are_r_squared():
    df = _orthogonal_frame()
    w = metrics.relative_weights(df[["a", "b", "c"]], df["enps"])
    r2 = {k: np.corrcoef(df[k], df["enps"])[0, 1] ** 2 for k in "abc"}
    for k in "abc":
        assert w[k] == pytest.approx(r2[k])
    # total var = 9 + 4 + 1 + 2.25 = 16.25 → a explains 9/16.25
    assert w["a"] == pytest.approx(9 / 16.25)


def test_relative_weights_sum_to_r_squared_with_correlated_predictors():
    rng = np.random.default_rng(7)
    x1 = rng.normal(size=300)
    x2 = 0.7 * x1 + rng.normal(size=300) * 0.5
    x3 = rng.normal(size=300)
    y = x1 + 0.5 * x2 + 0.2 * x3 + rng.normal(size=300)
    X = pd.DataFrame({"x1": x1, "x2": x2, "x3": x3})
    w = metrics.relative_weights(X, pd.Series(y))
    design = np.column_stack([X.to_numpy(), np.ones(300)])
    fitted = design @ np.linalg.lstsq(design, y, rcond=None)[0]
    r2 = np.corrcoef(fitted, y)[0, 1] ** 2
    assert w.sum() == pytest.approx(r2)
    assert w.idxmax() == "x1" and (w > 0).all()


def test_key_drivers_quadrants_and_columns():
    df = _orthogonal_frame()
    df["a"] = df["a"] + 3  # means: a 3, b 0, c 0 (score = mean without a scale)
    out = metrics.key_drivers(df, ["a", "b", "c"], threshold=5)
    assert out["item"].tolist() == ["a", "b", "c"]  # by impact
    assert out.columns.tolist() == ["item", "score", "mean", "impact", "impact_share", "r", "quadrant"]
    # medians: score 0, impact = b's weight. a: high/high; b: score 0 ≥ 0 high, impact at the median but its
    # correlation (0.50 on 8 rows) is within chance, so low; c: score 0 high, low impact
    assert out["quadrant"].tolist() == ["Strengths to keep", "Maintain", "Maintain"]
    assert out["impact_share"].sum() == pytest.approx(1.0)
    assert out.loc[0, "r"] == pytest.approx(math.sqrt(9 / 16.25))


def test_key_drivers_fix_first_with_favourability():
    rng = np.random.default_rng(3)
    n = 200
    low_important = rng.integers(1, 4, n)  # mostly unfavourable, drives the outcome
    high_minor = rng.integers(4, 6, n)  # favourable, weak link
    mid = rng.integers(1, 6, n)
    y = 2 * low_important + 0.1 * high_minor + 0.5 * mid + rng.normal(size=n)
    df = pd.DataFrame({"low_important": low_important, "high_minor": high_minor, "mid": mid, "enps": y})
    out = metrics.key_drivers(df, ["low_important", "high_minor", "mid"], scale=(1, 5)).set_index("item")
    assert out.loc["low_important", "quadrant"] == "Fix first"
    assert out.loc["high_minor", "quadrant"] == "Maintain"
    assert out.loc["high_minor", "score"] == 1.0 and out.loc["low_important", "score"] == 0.0


def test_items_that_do_not_go_with_the_outcome_are_never_fix_first():
    # IBM's items barely relate to its outcome: impacts about 0.00, and the median split called half "Fix first".
    rng = np.random.default_rng(7)
    df = pd.DataFrame({k: rng.integers(1, 5, 300) for k in ("a", "b", "c", "d")}).assign(enps=rng.normal(size=300))
    out = metrics.key_drivers(df, ["a", "b", "c", "d"], scale=(1, 4))
    assert set(out["quadrant"]) <= {"Monitor", "Maintain"}
    # ... while a real driver among them still is
    df["enps"] = df["enps"] + 2 * df["a"]
    quadrants = metrics.key_drivers(df, ["a", "b", "c", "d"], scale=(1, 4)).set_index("item")["quadrant"]
    assert quadrants["a"] in ("Fix first", "Strengths to keep")


def test_key_drivers_needs_two_items_and_enough_rows():
    df = _orthogonal_frame()
    assert metrics.key_drivers(df, ["a"]).empty
    assert metrics.key_drivers(df, ["a", "b", "c"], threshold=10).empty  # only 8 rows
    assert metrics.key_drivers(df.assign(b=1.0), ["a", "b"]).empty  # b does not vary
    assert metrics.key_drivers(df, ["a", "b"], outcome="missing").empty


@pytest.mark.parametrize("scales,expected", [
    ([(1, 5)], (4, 5)), ([(1, 4), (1, 4)], (3, 4)), ([(0, 10)], (8, 10)), ([(1, 7)], (6, 7)), ([(1, 10)], (8, 10)),
    ([(1, 5), (1, 4)], None), ([], None),
])
def test_favourable_answers_name_the_answers_favourability_counts(scales, expected):
    assert metrics.favourable_answers(scales) == expected
    if expected:  # the same answers as favourable_mask counts
        lo, hi = scales[0]
        fav = [x for x in range(lo, hi + 1) if metrics.favourable_mask([x], lo, hi).iloc[0]]
        assert (fav[0], fav[-1]) == expected


@pytest.mark.parametrize("lo,hi", [(1, 4), (1, 5), (1, 7), (0, 10), (1, 10)])
def test_the_reports_and_the_metrics_count_the_same_answers_favourable(lo, hi):
    from eevp.analytics.reports import fav_frame

    answers = pd.Series(np.arange(lo, hi + 1, dtype=float))
    by_reports = fav_frame(pd.DataFrame({"q": answers}), {"q": (lo, hi)})["q"].astype(bool).tolist()
    assert by_reports == metrics.favourable_mask(answers, lo, hi).tolist()
    first, top = metrics.favourable_answers([(lo, hi)])
    assert by_reports == [a >= first for a in answers] and top == hi
