"""Tests for the demo organisation generator (eevp.demo.generator)."""

from __future__ import annotations

import itertools
import json
import os
import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from eevp.demo import generator as demo
from eevp.demo.generator import (
    BENEFITS,
    EXIT_REASONS,
    ITEMS,
    PLANTED,
    PLANTED_ROLE,
    Q_CUSTOMERS,
    Q_EXIT_CUSTOMERS,
    Q_IMPROVE,
    Q_KEEP,
    Q_WHY,
    TENURE_BANDS,
    WAVES,
    generate,
)
from eevp.errors import InputError

KINDS = ("survey", "exit", "focus", "evp_catalog", "evp_ratings")
UK_LETTERS = re.compile(r"[іїєґ]", re.IGNORECASE)
CYRILLIC = re.compile(r"[а-яёіїєґ]", re.IGNORECASE)
BILLING = re.compile(r"invoice|double-charged|charged twice|billing|\bbills\b|сч[её]т|списыва|рахун|списують", re.IGNORECASE)
SYSTEMIC = {
    "delivery": re.compile(r"deliver|доставк", re.IGNORECASE),
    "oversell": re.compile(r"promise|обеща|обіця", re.IGNORECASE),
    "hotline": re.compile(r"hotline|call ?back|phone queue|горяч\w* лини|перезвон|обратн\w* звон|гаряч\w* лін|"
                          r"передзвон|зворотн\w* дзвін", re.IGNORECASE),
}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.\w+")
PHONE = re.compile(r"\+\d{1,3}(?:[ -]?\d{2,4}){2,4}")


def lang_of(text: str) -> str:
    if UK_LETTERS.search(text):
        return "uk"
    if CYRILLIC.search(text):
        return "ru"
    return "en"


def fav(series: pd.Series) -> float:
    s = series.dropna()
    return float((s >= 4).mean())


def enps_score(series: pd.Series) -> float:
    s = series.dropna()
    return 100.0 * float((s >= 9).mean() - (s <= 6).mean())


@pytest.fixture(scope="module")
def data():
    return generate()


@pytest.fixture(scope="module")
def texts(data) -> list[str]:
    """Every free-text answer (survey comments, exit answers, focus-group statements)."""
    out = []
    for col in (Q_IMPROVE, Q_CUSTOMERS):
        out += data.survey[col].dropna().tolist()
    for col in (Q_WHY, Q_EXIT_CUSTOMERS, Q_KEEP):
        out += data.exit[col].dropna().tolist()
    for notes in data.focus["notes"]:
        out += [line.removeprefix("- ") for line in notes.split("\n")]
    return out


def focus_statements(notes: str) -> list[str]:
    if "\n" in notes or notes.startswith("- "):
        return [line.removeprefix("- ").strip() for line in notes.split("\n") if line.strip()]
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZА-ЯЁІЇЄҐ«])", notes) if s]


# --------------------------------------------------------------------------- determinism

def test_same_seed_gives_equal_frames():
    a, b = generate(seed=5, n_employees=300), generate(seed=5, n_employees=300)
    for kind in KINDS:
        pd.testing.assert_frame_equal(getattr(a, kind), getattr(b, kind))
    assert a.mappings == b.mappings
    assert a.headcount == b.headcount


def test_different_seed_gives_different_frames():
    a, b = generate(seed=5, n_employees=300), generate(seed=6, n_employees=300)
    assert not a.survey.equals(b.survey)
    assert not a.exit.equals(b.exit)
    assert a.focus["notes"].tolist() != b.focus["notes"].tolist()
    assert not a.evp_ratings.equals(b.evp_ratings)


def test_too_few_employees_is_refused():
    with pytest.raises(InputError, match="at least 50"):
        generate(n_employees=10)


# --------------------------------------------------------------------------- sizes and shapes

def test_organisation_size(data):
    s = data.survey
    assert s["role"].nunique() >= 6
    assert s["department"].nunique() >= 5
    assert s["location"].nunique() >= 4
    assert sorted(s["wave"].unique()) == list(WAVES) and len(WAVES) == 4
    assert set(s["tenure"]) == set(TENURE_BANDS)
    assert all(1800 <= n <= 2100 for n in data.headcount.values())
    assert len(ITEMS) >= 10 and set(ITEMS) <= set(s.columns)
    assert len(data.exit) >= 300
    assert len(data.focus) >= 20
    assert len(data.evp_catalog) >= 12
    assert data.evp_catalog["pillar"].nunique() >= 5


@pytest.mark.parametrize("wave", WAVES)
def test_response_rate_per_wave(data, wave):
    answered = (data.survey["wave"] == wave).sum()
    assert 0.70 <= answered / data.headcount[wave] <= 0.85


def test_respondents_answer_once_per_wave_and_have_identifiers(data):
    s = data.survey
    assert not s.duplicated(["respondent_id", "wave"]).any()
    assert s["employee_name"].notna().all() and s["email"].str.fullmatch(EMAIL.pattern).all()
    people = s.drop_duplicates("respondent_id")
    assert people["email"].is_unique


@pytest.mark.parametrize("kind", KINDS)
def test_every_mapped_column_exists(data, kind):
    frame, mapping = getattr(data, kind), data.mappings[kind]
    json.dumps(mapping)  # the mapping is plain JSON
    named = []
    for key, value in mapping.items():
        if key == "scale":
            assert value == {"min": 1, "max": 5}
        elif isinstance(value, str):
            named.append(value)
        else:
            named += list(value)
    assert named and set(named) <= set(frame.columns), set(named) - set(frame.columns)


def test_mapping_lists(data):
    m = data.mappings
    assert m["survey"]["items"] == list(ITEMS)
    assert m["survey"]["text"] == [Q_IMPROVE, Q_CUSTOMERS]
    assert m["exit"]["text"] == [Q_WHY, Q_EXIT_CUSTOMERS, Q_KEEP]
    assert m["survey"]["identifiers"] == m["exit"]["identifiers"] == ["employee_name", "email"]
    assert "gender" in m["survey"]["segments"]


# --------------------------------------------------------------------------- value ranges

def test_survey_value_ranges(data):
    s = data.survey
    enps = s["enps"].dropna()
    assert enps.between(0, 10).all() and (enps % 1 == 0).all()
    assert enps.min() == 0 and enps.max() == 10
    for item in ITEMS:
        values = s[item].dropna()
        assert values.between(1, 5).all() and set(values.unique()) == {1, 2, 3, 4, 5}, item
    skipped = s[list(ITEMS)].isna().mean().mean()
    assert 0.005 < skipped < 0.03


def test_exit_values(data):
    e = data.exit
    dates = pd.to_datetime(e["exit_date"], format="%Y-%m-%d")
    assert dates.min() >= pd.Timestamp("2025-10-01") and dates.max() <= pd.Timestamp("2026-09-30")
    assert set(e["regretted"]) == {"yes", "no"}
    assert set(e["reason"]) == set(EXIT_REASONS)
    assert e["enps"].between(0, 10).all()
    for item in demo.EXIT_ITEMS:
        assert e[item].between(1, 5).all()
    others = e["other_reasons"].dropna()
    assert len(others) > 100
    for reason, other in zip(e.loc[others.index, "reason"], others):
        parts = other.split("; ")
        assert set(parts) <= set(EXIT_REASONS) and reason not in parts
    assert others.str.contains("; ").any()


def test_exit_answers(data):
    e = data.exit
    assert e[Q_WHY].notna().all()
    assert 0.5 < e[Q_EXIT_CUSTOMERS].notna().mean() < 0.95
    assert 0.6 < e[Q_KEEP].notna().mean() < 0.95


def test_focus_sessions(data):
    f = data.focus
    pd.to_datetime(f["session_date"], format="%Y-%m-%d")
    assert f["participants"].between(5, 10).all()
    counts = [len(focus_statements(n)) for n in f["notes"]]
    assert min(counts) >= 5 and max(counts) <= 12
    assert f["notes"].str.startswith("- ").sum() >= 5
    assert {lang_of(n) for n in f["notes"]} == {"en", "ru", "uk"}
    assert f["role"].nunique() >= 6


def test_evp_ratings_ranges_and_volume(data):
    r = data.evp_ratings
    assert r["importance"].between(1, 5).all() and r["satisfaction"].between(1, 5).all()
    assert set(r["benefit"]) == set(data.evp_catalog["benefit"])
    per_cell = r.groupby(["wave", "role", "benefit"]).size()
    assert len(per_cell) == len(WAVES) * data.survey["role"].nunique() * len(BENEFITS)
    assert per_cell.min() >= 10


def test_roles_offered_name_real_roles(data):
    roles = set(data.survey["role"])
    for value in data.evp_catalog["roles_offered"]:
        assert value == "all" or set(value.split("; ")) <= roles, value


# --------------------------------------------------------------------------- comments

def test_comment_rates_and_boilerplate(data):
    s = data.survey
    assert 0.35 <= s[Q_IMPROVE].notna().mean() <= 0.45
    assert 0.25 <= s[Q_CUSTOMERS].notna().mean() <= 0.36
    answers = set(s[Q_IMPROVE].dropna()) | set(s[Q_CUSTOMERS].dropna())
    assert {"n/a", "нет", "немає"} <= answers


def test_language_mix(texts):
    shares = Counter(lang_of(t) for t in texts)
    total = sum(shares.values())
    assert abs(shares["en"] / total - 0.45) < 0.06
    assert abs(shares["ru"] / total - 0.30) < 0.06
    assert abs(shares["uk"] / total - 0.25) < 0.06


def test_language_follows_location(data):
    langs = data.survey.dropna(subset=[Q_IMPROVE]).assign(lang=lambda d: d[Q_IMPROVE].map(lang_of))
    share = langs.groupby("location")["lang"].agg(lambda s: s.value_counts(normalize=True).to_dict())
    assert share["London"].get("en", 0) > 0.9
    assert share["Lviv"].get("uk", 0) > 0.6
    assert share["Almaty"].get("uk", 0) < 0.05 and share["Almaty"].get("ru", 0) > 0.5


def test_texts_vary(texts):
    counts = Counter(t for t in texts if len(t) > 20)
    top_text, top = counts.most_common(1)[0]
    assert top / sum(counts.values()) < 0.01, top_text
    assert len(counts) / sum(counts.values()) > 0.6


@pytest.mark.parametrize("lang", ["en", "ru", "uk"])
def test_customer_synonyms_in_each_language(data, lang):
    words = {"en": ("customer", "client", "buyer"), "ru": ("клиент", "покупател", "заказчик"),
             "uk": ("клієнт", "покуп", "замовник")}[lang]
    answers = [t.lower() for t in data.survey[Q_CUSTOMERS].dropna() if lang_of(t) == lang]
    for word in words:
        assert sum(word in t for t in answers) >= 10, word


def test_phrases_are_well_formed_in_their_language():
    """Every template, expanded many times: right script, no leftover markup, a capital first letter."""
    rng = np.random.default_rng(0)
    for theme, by_lang in demo.PHRASES.items():
        assert set(by_lang) == {"en", "ru", "uk"}, theme
        for lang, templates in by_lang.items():
            for template in templates:
                for _ in range(40):
                    text = demo._expand(rng, template, lang)
                    assert not re.search(r"[{}<>^|$]", text), text
                    assert text[0].isupper() or not text[0].isalpha(), text
                    assert "  " not in text and " ," not in text and " ." not in text, text
                    if lang == "en":
                        assert not CYRILLIC.search(text), text
                    elif lang == "ru":
                        assert CYRILLIC.search(text) and not UK_LETTERS.search(text), text
                    else:
                        assert UK_LETTERS.search(text) and not re.search(r"[ыэъё]", text, re.IGNORECASE), text


# --------------------------------------------------------------------------- planted patterns

def test_planted_patterns_are_documented():
    assert len(PLANTED) >= 7
    for key in PLANTED:
        assert key in demo.__doc__, key


@pytest.mark.parametrize("seed", [42, 7])
def test_planted_career_growth_falls_for_one_role(data, seed):
    d = data if seed == 42 else generate(seed=seed)
    se = d.survey[d.survey["role"] == PLANTED_ROLE]
    by_wave = [fav(se.loc[se["wave"] == w, "Career growth"]) for w in WAVES]
    assert all(a > b for a, b in itertools.pairwise(by_wave)), by_wave
    assert by_wave[0] > 0.62 and by_wave[-1] < 0.36
    enps = [enps_score(se.loc[se["wave"] == w, "enps"]) for w in WAVES]
    assert all(a > b for a, b in itertools.pairwise(enps)), enps
    others = d.survey[d.survey["role"] != PLANTED_ROLE]
    rest = [fav(others.loc[others["wave"] == w, "Career growth"]) for w in WAVES]
    assert max(rest) - min(rest) < 0.06, rest  # the fall is the planted role's, not everyone's


def test_planted_billing_is_local_to_finance(data):
    rows = []
    for frame, cols in ((data.survey, (Q_IMPROVE, Q_CUSTOMERS)), (data.exit, (Q_WHY, Q_EXIT_CUSTOMERS, Q_KEEP))):
        for col in cols:
            hit = frame[col].fillna("").str.contains(BILLING)
            rows.append(frame.loc[hit, ["respondent_id", "department"]])
    hits = pd.concat(rows)
    assert set(hits["department"]) == {"Finance"}
    assert len(hits) >= 15 and hits["respondent_id"].nunique() >= 10
    focus_hits = data.focus[data.focus["notes"].str.contains(BILLING)]
    assert set(focus_hits["department"]) <= {"Finance"}


def test_planted_customer_issues_are_systemic(data):
    s = data.survey
    answers = s.dropna(subset=[Q_CUSTOMERS])
    for name, pattern in SYSTEMIC.items():
        departments = answers.loc[answers[Q_CUSTOMERS].str.contains(pattern), "department"].nunique()
        assert departments >= 5, (name, departments)
    e = data.exit
    facing = e[e["role"].isin(demo.CUSTOMER_FACING)]
    said = facing[Q_EXIT_CUSTOMERS].fillna("")
    mentions = said.apply(lambda t: any(p.search(t) for p in SYSTEMIC.values()))
    assert mentions.mean() > 0.5


def test_planted_benefit_not_offered_but_valued(data):
    cat = data.evp_catalog.set_index("benefit")
    offered = cat.loc["Remote work", "roles_offered"]
    assert offered != "all" and "Customer Support Agent" not in offered.split("; ")
    r = data.evp_ratings
    csa = r[(r["benefit"] == "Remote work") & (r["role"] == "Customer Support Agent")]
    assert len(csa) >= 40 and csa["importance"].mean() > 4.2
    others = r[(r["benefit"] == "Remote work") & r["role"].isin(offered.split("; "))]
    assert others["importance"].mean() < csa["importance"].mean() - 0.3


def test_planted_learning_budget_gap_is_the_largest(data):
    means = data.evp_ratings.groupby("benefit")[["importance", "satisfaction"]].mean()
    gap = means["importance"] - means["satisfaction"]
    assert gap.idxmax() == "Learning budget" and gap.max() > 1.5
    assert means.loc["Learning budget", "importance"] > 4.0


def test_planted_regretted_leavers_and_rising_career_reason(data):
    e = data.exit
    regretted = e[e["regretted"] == "yes"]
    by_role = regretted["role"].value_counts()
    assert by_role.idxmax() == PLANTED_ROLE and by_role.iloc[0] > 2 * by_role.iloc[1]
    share = e.groupby("role")["regretted"].agg(lambda s: (s == "yes").mean())
    assert share.idxmax() == PLANTED_ROLE and share.max() > 0.6
    quarter = pd.to_datetime(e["exit_date"]).dt.to_period("Q-SEP")  # fiscal year ending 30 September
    career = (e["reason"] == "Career growth").groupby(quarter).mean().sort_index().tolist()
    assert len(career) == 4 and career[-1] > career[0] + 0.15
    assert career[2] + career[3] > career[0] + career[1]


def test_planted_department_heatmap(data):
    f = data.survey.groupby("department")[list(ITEMS)].agg(fav)
    assert f["Workload is manageable"].idxmin() == "Logistics"
    assert f["Flexibility"].idxmin() == "Customer Service"
    assert f["Tools and resources"].idxmax() == "IT"
    assert f["Workload is manageable"].max() - f["Workload is manageable"].min() > 0.25


def test_planted_personal_data_in_about_one_percent(data):
    comments = pd.concat([data.survey[Q_IMPROVE], data.survey[Q_CUSTOMERS], data.exit[Q_WHY]]).dropna()
    names = set(data.survey["employee_name"]) | set(data.exit["employee_name"])
    name_re = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    email = comments.str.contains(EMAIL)
    phone = comments.str.contains(PHONE)
    named = comments.str.contains(name_re)
    assert email.sum() >= 3 and phone.sum() >= 3 and named.sum() >= 3
    share = (email | phone | named).mean()
    assert 0.004 < share < 0.025, share


def test_customer_traps_present(texts):
    mail = [t for t in texts if re.search(r"e-?mail client|mail client|почтовый клиент|поштовий клієнт", t, re.IGNORECASE)]
    internal = [t for t in texts if re.search(r"internal (clients|customers)|внутренние|внутрішні", t, re.IGNORECASE)]
    assert len(mail) >= 10 and {lang_of(t) for t in mail} == {"en", "ru", "uk"}
    assert len(internal) >= 10
