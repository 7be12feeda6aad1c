import os
from pathlib import Path

import pandas as pd
import pytest

from eevp.store import db
from eevp.errors import InputError
from eevp.intake.mapping import (
    FIELDS,
    KINDS,
    LIST_KEYS,
    check_mapping,
    find_template,
    headers_key,
    list_templates,
    normalise_header,
    save_template,
    suggest_mapping,
    template_frame,
    tenure_in_months,
)
from eevp.intake.readers import read_table
from eevp.store.auth import CLI_USER

os.environ.setdefault("HF_HUB_OFFLINE", "1")

EXTERNAL = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "external"
GLASSDOOR_RATINGS = ["work_life_balance", "culture_values", "diversity_inclusion", "career_opp", "comp_benefits",
                     "senior_mgmt"]


def frame(columns: dict) -> pd.DataFrame:
    """Columns of text (as read_table gives them) from lists of values of any type."""
    return pd.DataFrame({k: pd.Series([None if v is None else str(v) for v in vals], dtype=object)
                         for k, vals in columns.items()})


def singles(mapping: dict) -> dict:
    return {k: v for k, v in mapping.items() if isinstance(v, str)}


# --------------------------------------------------------------------------- declarations

def test_kinds_and_required_fields():
    assert KINDS == ("survey", "exit", "focus", "evp_catalog", "evp_ratings", "customer_feedback")
    required = {k: sorted(n for n, f in FIELDS[k].items() if f.required) for k in KINDS}
    assert required == {
        "survey": ["wave"],
        "exit": ["exit_date"],
        "focus": ["notes", "session_date"],
        "evp_catalog": ["benefit", "roles_offered"],
        "evp_ratings": ["benefit", "importance", "role", "satisfaction", "wave"],
        "customer_feedback": ["comment", "date"],
    }
    assert list(FIELDS["survey"]) == ["respondent_id", "wave", "role", "department", "location", "tenure", "enps"]
    assert list(FIELDS["exit"]) == ["respondent_id", "exit_date", "role", "department", "location", "tenure",
                                    "reason", "regretted", "enps"]
    assert list(FIELDS["focus"]) == ["session_date", "role", "department", "location", "facilitator",
                                     "participants", "notes"]
    assert "other_reasons" in LIST_KEYS["exit"] and "other_reasons" not in LIST_KEYS["survey"]
    types = {f.type for kind in FIELDS.values() for f in kind.values()}
    assert types <= {"text", "date", "wave", "int", "score", "bool", "list"}
    assert all(f.description for kind in FIELDS.values() for f in kind.values())


@pytest.mark.parametrize("a, b", [("Job title", "job_title"), ("  E-Mail ", "email"), ("Дата увольнения", "дата_увольнения"),
                                  ("Ёлка", "елка")])
def test_normalise_header(a, b):
    assert normalise_header(a) == normalise_header(b)


# --------------------------------------------------------------------------- suggestions by header

N = 12
ROLES = ["Engineer", "Analyst", "Driver"] * 4
DEPTS = ["IT", "Finance", "Logistics"] * 4
LONG = [f"Customers wait too long on the hotline, answer number {i} says." for i in range(N)]
DATES = [f"{i + 1:02d}.03.2024" for i in range(N)]


def _survey(headers):
    role, dept, wave, tenure, enps, comment = headers
    return frame({role: ROLES, dept: DEPTS, wave: ["2026-Q1"] * N, tenure: [1, 2, 5] * 4,
                  enps: [i % 11 for i in range(N)], "Q1": [i % 5 + 1 for i in range(N)], comment: LONG})


@pytest.mark.parametrize("headers", [
    ("Job title", "Department", "Wave", "Tenure", "eNPS", "Comment"),
    ("Должность", "Подразделение", "Волна", "Стаж", "Порекомендовали бы вы компанию друзьям?", "Комментарий"),
    ("Посада", "Відділ", "Хвиля", "Стаж роботи", "Чи рекомендували б ви нас?", "Коментар"),
])
def test_survey_headers_in_three_languages(headers):
    m = suggest_mapping(_survey(headers), "survey")
    role, dept, wave, tenure, enps, comment = headers
    assert singles(m) == {"role": role, "department": dept, "wave": wave, "tenure": tenure, "enps": enps}
    assert (m["items"], m["text"], m["identifiers"]) == (["Q1"], [comment], [])
    assert m["scale"] == {"min": 1, "max": 5}
    check_mapping(m, list(_survey(headers).columns), "survey")


@pytest.mark.parametrize("headers", [
    ("Job title", "Department", "Survey date", "Tenure (years)",
     "How likely are you to recommend this company as a place to work? (0-10)", "Comment"),
    ("Job title", "Team", "Wave", "Months in company", "Employee Net Promoter Score", "Feedback"),
    ("Должность", "Отдел", "Дата опроса", "Стаж (мес.)", "Вероятность рекомендации (0-10)", "Комментарий"),
    ("Должность", "Отдел", "Волна", "Стаж, лет",
     "Насколько вероятно, что вы порекомендуете компанию как место работы?", "Комментарий"),
    ("Должность", "Отдел", "Волна", "Стаж в компании", "Готовы ли вы рекомендовать компанию как работодателя?",
     "Комментарий"),
    ("Посада", "Відділ", "Хвиля", "Стаж, років",
     "Наскільки ймовірно, що ви порекомендуєте компанію як місце роботи?", "Коментар"),
])
def test_the_questions_hr_asks(headers):
    m = suggest_mapping(_survey(headers), "survey")
    role, dept, wave, tenure, enps, comment = headers
    assert singles(m) == {"role": role, "department": dept, "wave": wave, "tenure": tenure, "enps": enps}


@pytest.mark.parametrize("header,months", [
    ("Стаж (мес.)", True), ("Months in company", True), ("Стаж, міс.", True), ("Tenure in months", True),
    ("Стаж, років", False), ("Tenure (years)", False), ("Стаж", False), (None, False),
])
def test_tenure_in_months(header, months):
    assert tenure_in_months(header) is months


@pytest.mark.parametrize("header,target", [
    ("Primary reason for leaving", "reason"), ("Основная причина увольнения", "reason"),
    ("Regrettable loss", "regretted"), ("Нежелательный уход", "regretted"), ("Небажане звільнення", "regretted"),
])
def test_exit_reason_and_regretted_wordings(header, target):
    values = ["Pay", "Manager", "Workload"] * 4 if target == "reason" else ["yes", "no", "no"] * 4
    df = frame({"Exit date": ["2026-03-15"] * N, header: values})
    assert suggest_mapping(df, "exit").get(target) == header


def test_enps_header_with_a_few_mistakes_is_still_enps():
    values = [i % 11 for i in range(N - 2)] + [11, "abc"]
    df = frame({"wave": ["2026-Q1"] * N, "Вероятность рекомендации (0-10)": values})
    assert suggest_mapping(df, "survey")["enps"] == "Вероятность рекомендации (0-10)"


@pytest.mark.parametrize("headers", [
    ("Position", "Cease Date", "Business Unit", "Reason for leaving", "Regretted", "Full name"),
    ("Должность", "Дата увольнения", "Отдел", "Причина увольнения", "Сожалеем", "ФИО"),
    ("Посада", "Дата звільнення", "Підрозділ", "Причина звільнення", "Шкодуємо", "ПІБ"),
])
def test_exit_headers_in_three_languages(headers):
    role, date, dept, reason, regretted, name = headers
    df = frame({role: ROLES, date: DATES, dept: DEPTS, reason: ["Pay", "Workload", "Manager"] * 4,
                regretted: ["yes", "no"] * 6, name: [f"Person {i}" for i in range(N)], "Why?": LONG})
    m = suggest_mapping(df, "exit")
    assert singles(m) == {"role": role, "exit_date": date, "department": dept, "reason": reason,
                          "regretted": regretted}
    assert m["identifiers"] == [name] and m["text"] == ["Why?"]


@pytest.mark.parametrize("headers", [
    ("Date", "Group", "Moderator", "Number of participants", "Summary", "City"),
    ("Дата", "Группа", "Модератор", "Количество участников", "Заметки", "Город"),
    ("Дата", "Група", "Ведучий", "Кількість учасників", "Нотатки", "Місто"),
])
def test_focus_headers_in_three_languages(headers):
    date, group, facilitator, participants, notes, city = headers
    df = frame({date: DATES[:3], group: ROLES[:3], facilitator: ["A", "B", "C"], participants: [6, 7, 8],
                notes: LONG[:3], city: ["Kyiv", "Lviv", "Odesa"]})
    m = suggest_mapping(df, "focus")
    assert singles(m) == {"session_date": date, "role": group, "facilitator": facilitator,
                          "participants": participants, "notes": notes, "location": city}


@pytest.mark.parametrize("headers", [
    ("Benefit", "Category", "Description", "Available to"),
    ("Льгота", "Категория", "Описание", "Для кого"),
    ("Пільга", "Категорія", "Опис", "Кому доступно"),
])
def test_evp_catalog_headers_in_three_languages(headers):
    benefit, pillar, desc, roles = headers
    df = frame({benefit: ["Insurance", "Remote"], pillar: ["Rewards", "Balance"], desc: ["a", "b"],
                roles: ["all", "Engineer; Analyst"]})
    assert singles(suggest_mapping(df, "evp_catalog")) == {"benefit": benefit, "pillar": pillar,
                                                           "description": desc, "roles_offered": roles}


@pytest.mark.parametrize("headers", [
    ("Survey wave", "Role", "Perk", "Importance", "Satisfaction"),
    ("Волна", "Должность", "Льгота", "Важность", "Удовлетворенность"),
    ("Хвиля", "Посада", "Пільга", "Важливість", "Задоволеність"),
])
def test_evp_ratings_headers_in_three_languages(headers):
    wave, role, benefit, imp, sat = headers
    df = frame({wave: ["2026-Q1"] * 4, role: ROLES[:4], benefit: ["A", "B"] * 2, imp: [1, 5, 3, 4],
                sat: [2, 2, 4, 5]})
    m = suggest_mapping(df, "evp_ratings")
    assert singles(m) == {"wave": wave, "role": role, "benefit": benefit, "importance": imp, "satisfaction": sat}
    check_mapping(m, list(df.columns), "evp_ratings")


def test_headers_are_matched_whatever_their_case_and_punctuation():
    df = frame({"JOB_TITLE": ROLES, "date-review": DATES, "Длительность": [1] * N})
    m = suggest_mapping(df, "survey")
    assert (m["role"], m["wave"]) == ("JOB_TITLE", "date-review")


def test_a_long_synonym_inside_a_longer_header():
    df = frame({"Ваша должность в компании": ROLES, "Дата увольнения (последний день)": DATES})
    m = suggest_mapping(df, "exit")
    assert singles(m) == {"role": "Ваша должность в компании", "exit_date": "Дата увольнения (последний день)"}


def test_exact_header_wins_over_one_that_merely_contains_a_synonym():
    df = frame({"Dissatisfaction with the department": ["TRUE", "FALSE"] * 6, "Department": DEPTS,
                "Work location": ["FALSE", "TRUE"] * 6, "Region": ["North", "South"] * 6, "Cease Date": DATES})
    m = suggest_mapping(df, "exit")
    assert (m["department"], m["location"]) == ("Department", "Region")
    assert m["other_reasons"] == ["Dissatisfaction with the department", "Work location"]


def test_recommend_header_with_non_numeric_values_is_not_enps():
    df = frame({"wave": ["w"] * N, "recommend": ["v", "o", "x"] * 4})
    m = suggest_mapping(df, "survey")
    assert "enps" not in m and m["segments"] == ["recommend"]


def test_enps_out_of_range_is_not_enps():
    df = frame({"wave": ["w"] * N, "eNPS": [i * 3 for i in range(N)]})
    assert "enps" not in suggest_mapping(df, "survey")


# --------------------------------------------------------------------------- suggestions by values

def test_values_decide_items_text_segments_and_identifiers():
    df = frame({
        "wave": ["2026-Q1"] * N,
        "Помогает ли руководитель?": [i % 5 + 1 for i in range(N)],
        "Workload ok": [(i + 2) % 5 + 1 for i in range(N)],
        "Age": [30 + i for i in range(N)],  # numbers outside the scale: left alone
        "What would you change": LONG,
        "Shift": ["day", "night"] * 6,
        "Contact": [f"user{i}@example.com" for i in range(N)],
        "Reach at": [f"+380 44 123 45 {i:02d}" for i in range(N)],
        "Who": [f"Olena Petrenko{'k' * i}" for i in range(N)],
        "Кто": [f"Иванов{'а' * i} Иван Иванович" for i in range(N)],
        "blank": [None] * N,
    })
    m = suggest_mapping(df, "survey")
    assert m["items"] == ["Помогает ли руководитель?", "Workload ok"]
    assert m["text"] == ["What would you change"]
    assert m["segments"] == ["Shift"]
    assert m["identifiers"] == ["Contact", "Reach at", "Who", "Кто"]
    assert singles(m) == {"wave": "wave"}


def test_declared_scale_widens_items():
    df = frame({"wave": ["w"] * N, "Q": [i % 7 + 1 for i in range(N)]})
    assert suggest_mapping(df, "survey")["items"] == []
    m = suggest_mapping(df, "survey", scale={"min": 1, "max": 7})
    assert m["items"] == ["Q"] and m["scale"] == {"min": 1, "max": 7}


# The scale of a file that declares none, from its columns of small whole numbers (at least 20 answers each).
M = 40


def test_scale_guessed_from_items_on_one_to_four():
    # IBM's attrition file: satisfaction items on 1-4 beside codes of 1-5 (Education, JobLevel). Read on 1-5,
    # the codes were rating items ("Education: 36% favourable"); on 1-4 they are left out.
    df = frame({"wave": ["w"] * M, **{f"Q{k}": [(i + k) % 4 + 1 for i in range(M)] for k in range(3)},
                "Education": [i % 5 + 1 for i in range(M)], "JobLevel": [(i + 2) % 5 + 1 for i in range(M)]})
    m = suggest_mapping(df, "survey")
    assert m["scale"] == {"min": 1, "max": 4}
    assert m["items"] == ["Q0", "Q1", "Q2"]
    assert suggest_mapping(df, "exit")["scale"] == {"min": 1, "max": 4}


def test_scale_guessed_from_scores_on_zero_to_ten():
    # SentiRuEval's restaurant reviews: food, interior and service scored 0-10, each offered as eNPS on 1-5.
    df = frame({"wave": ["w"] * M, **{f"score_{k}": [(i * 3 + j) % 11 for i in range(M)]
                                      for j, k in enumerate(("food", "interior", "service"))}})
    m = suggest_mapping(df, "survey")
    assert m["scale"] == {"min": 0, "max": 10}
    assert m["items"] == ["score_food", "score_interior", "score_service"]


@pytest.mark.parametrize("columns", [
    {"How likely?": [i % 11 for i in range(M)], "Q": [i % 5 + 1 for i in range(M)]},  # one 0-10 column: eNPS
    {"A": [i % 4 + 1 for i in range(M)], "B": [i % 7 + 1 for i in range(M)]},  # a tie: no scale wins
    {"A": [i % 4 + 1 for i in range(12)], "B": [i % 4 + 1 for i in range(12)]},  # too few answers to tell
    {"A": [i % 8 + 1 for i in range(M)], "B": [i % 8 + 1 for i in range(M)]},  # 1-8 is no scale
])
def test_scale_stays_one_to_five_when_the_columns_do_not_tell(columns):
    n = len(next(iter(columns.values())))
    assert suggest_mapping(frame({"wave": ["w"] * n, **columns}), "survey")["scale"] == {"min": 1, "max": 5}


def test_declared_scale_is_not_guessed():
    df = frame({"wave": ["w"] * M, **{f"Q{k}": [(i + k) % 4 + 1 for i in range(M)] for k in range(3)}})
    assert suggest_mapping(df, "survey", scale={"min": 1, "max": 5})["scale"] == {"min": 1, "max": 5}


def test_cessation_year_is_the_exit_date():
    # The Queensland TAFE exit survey: "CESSATION YEAR" (2010-2013) was left out, and the user was asked for
    # one exit date for all 702 leavers.
    df = frame({"CESSATION YEAR": [2010 + i % 4 for i in range(N)], "Reason for ceasing employment": ["Resignation"] * N})
    assert suggest_mapping(df, "exit")["exit_date"] == "CESSATION YEAR"


def test_a_score_named_after_what_it_scores_is_no_product():
    # SentiRuEval's restaurant reviews as customer feedback: "score_service" (0-10) became the product.
    df = frame({"date": DATES, "text": LONG, "score_service": [i % 11 for i in range(N)]})
    assert "product" not in suggest_mapping(df, "customer_feedback")
    df = frame({"date": DATES, "text": LONG, "Service": ["Delivery", "Repair", "Hotline"] * 4})
    assert suggest_mapping(df, "customer_feedback")["product"] == "Service"  # a name, not a score: kept


@pytest.mark.parametrize("labels", [["positive", "negative", "positive", "both"], ["Позитивный", "негативный", "нейтральный"]])
def test_a_column_of_sentiment_labels_is_no_product(labels):
    # SentiRuEval's restaurant reviews as customer feedback: "sentiment_service" (positive, negative, both)
    # became the product ("service" is a product synonym); it judges the service, it names none.
    values = [labels[i % len(labels)] for i in range(N)]
    m = suggest_mapping(frame({"date": DATES, "text": LONG, "sentiment_service": values}), "customer_feedback")
    assert "product" not in m and m["segments"] == ["sentiment_service"]


@pytest.mark.parametrize("header", ["user", "Username", "nickname", "Ник"])
def test_a_reviewer_nickname_is_an_identifier(header):
    # The restaurant reviews' "user" (nicknames and names) was offered as a free-text question.
    df = frame({"date": DATES, "text": LONG, header: [f"reviewer{i}" for i in range(N)]})
    assert suggest_mapping(df, "survey")["identifiers"] == [header]


def test_constant_and_fractional_columns_are_not_items():
    df = frame({"wave": ["w"] * N, "count": [1] * N, "avg": [2.5, 3.5] * 6})
    assert suggest_mapping(df, "survey")["items"] == []


def test_counts_and_links_are_neither_items_nor_comments():
    # Glassdoor's reviews (Bright Data): "count_unhelpful" (votes, 1-5 where there are any) was a rating item
    # and "review_url" a comment question ("review" in its header).
    votes = [None] * 9 + [1, 2, 5]
    df = frame({"wave": ["w"] * N, "count_unhelpful": votes, "review_url": [f"https://x.org/r/{i}" for i in range(N)],
                "Q": [i % 5 + 1 for i in range(N)], "The number of hours I work is fair": [i % 5 + 1 for i in range(N)]})
    m = suggest_mapping(df, "survey")
    assert m["items"] == ["Q", "The number of hours I work is fair"]  # a question, not a count's header
    assert m["text"] == []


def test_yes_no_flags_become_other_reasons_for_exits():
    df = frame({"exit_date": DATES, "Pay": ["TRUE", "FALSE"] * 6, "Workload": ["yes", "no", "no"] * 4})
    m = suggest_mapping(df, "exit")
    assert m["other_reasons"] == ["Pay", "Workload"] and m["segments"] == []


def test_a_lone_yes_no_column_in_an_exit_file_is_a_segment():
    df = frame({"exit_date": DATES, "Remote": ["yes", "no", "no"] * 4})
    m = suggest_mapping(df, "exit")
    assert m["other_reasons"] == [] and m["segments"] == ["Remote"]


def test_date_column_without_a_telling_header_becomes_the_required_date():
    df = frame({"id": list(range(N)), "created": [f"March {i + 1}, 2024" for i in range(N)], "role": ROLES})
    assert suggest_mapping(df, "exit")["exit_date"] == "created"
    assert suggest_mapping(df, "survey")["wave"] == "created"


def test_plain_numbers_are_not_taken_for_dates():
    df = frame({"score": [45366 + i for i in range(N)]})
    assert "exit_date" not in suggest_mapping(df, "exit")


def test_each_column_is_used_once():
    df = frame({"Role": ROLES, "Position": ROLES, "Должность": ROLES, "wave": ["w"] * N})
    m = suggest_mapping(df, "survey")
    used = [v for v in m.values() if isinstance(v, str)] + [c for k in LIST_KEYS["survey"] for c in m[k]]
    assert m["role"] == "Role" and len(used) == len(set(used))


def test_unknown_kind():
    with pytest.raises(InputError, match="Unknown kind 'pulse'"):
        suggest_mapping(frame({"a": [1]}), "pulse")


# --------------------------------------------------------------------------- templates and the demo

@pytest.mark.parametrize("kind", KINDS)
def test_template_frame_maps_back_to_itself(kind):
    df = template_frame(kind)
    assert len(df) == 3
    m = suggest_mapping(read_table(df.to_csv(index=False).encode("utf-8"), "t.csv"), kind)
    expected = {name: name for name in FIELDS[kind]}
    assert singles(m) == expected
    check_mapping(m, list(df.columns), kind)


def test_survey_template_has_three_items_and_a_comment():
    m = suggest_mapping(template_frame("survey"), "survey")
    assert m["items"] == ["Career growth", "Manager support", "Workload"]
    assert m["text"] == ["Comment"]


def test_demo_frames_get_the_demo_mappings():
    from eevp.demo import generator as demo

    data = demo.generate(seed=3, n_employees=200)
    for kind in KINDS:
        df = getattr(data, kind)
        m = suggest_mapping(df.astype(str).where(df.notna(), None), kind)
        expected = {k: ([v] if k == "other_reasons" and isinstance(v, str) else v)
                    for k, v in data.mappings[kind].items()}
        got = {k: v for k, v in m.items() if v != [] or k in expected}
        assert got == expected, kind


# --------------------------------------------------------------------------- check_mapping

def test_check_mapping_lists_every_problem_at_once():
    mapping = {"role": "Position", "department": "Position", "items": ["Q1", "Nope"], "colour": "red",
               "text": ["Comment"], "scale": {"min": 5, "max": 1}}
    with pytest.raises(InputError) as exc:
        check_mapping(mapping, ["Position", "Q1", "Comment"], "survey")
    msg = str(exc.value)
    assert msg.startswith("The column mapping has 5 problem(s):")
    assert "Column for 'Wave' is missing — map one of: Wave, Survey date, Волна, Хвиля, or set one value for every row" in msg
    assert "Column 'Nope' (for 'items') is not in the file. The file has: Position, Q1, Comment." in msg
    assert "Column 'Position' is used for 'role' and 'department'; use each column once." in msg
    assert "'colour' is not a field of survey data." in msg
    assert "'min' must be below 'max'" in msg


def test_check_mapping_required_field_message_names_header_examples():
    with pytest.raises(InputError) as exc:
        check_mapping({"wave": "w"}, ["w"], "evp_ratings")
    msg = str(exc.value)
    assert "Column for 'Role' is missing — map one of: Position, Job title, Должность, Посада. If the file" in msg
    for name in ("Benefit", "Importance", "Satisfaction"):
        assert f"Column for '{name}' is missing" in msg


@pytest.mark.parametrize("kind, mapping, columns", [
    ("survey", {"wave": "w", "items": [], "text": [], "segments": [], "identifiers": [], "scale": {"min": 1, "max": 5}},
     ["w"]),
    ("survey", {"wave": "w", "role": None, "department": ""}, ["w"]),  # unmapped single fields
    ("exit", {"exit_date": "d", "other_reasons": "r"}, ["d", "r"]),  # one column of listed reasons
    ("focus", {"session_date": "d", "notes": "n", "identifiers": [], "other_reasons": []}, ["d", "n"]),
    ("evp_catalog", {"benefit": "b", "roles_offered": "r", "identifiers": []}, ["b", "r"]),
])
def test_check_mapping_accepts(kind, mapping, columns):
    check_mapping(mapping, columns, kind)


@pytest.mark.parametrize("kind, mapping, needle", [
    ("survey", {"wave": "w", "other_reasons": ["x"]}, "'other_reasons' is not a field of survey data"),
    ("focus", {"session_date": "d", "notes": ["n", "m"]}, "'notes' takes one column name"),
    ("survey", {"wave": "w", "items": 3}, "'items' takes a list of column names"),
    ("survey", {"wave": "w", "scale": {"low": 1}}, "'scale' must look like"),
    ("pulse", {}, "Unknown kind 'pulse'"),
])
def test_check_mapping_rejects(kind, mapping, needle):
    with pytest.raises(InputError, match=needle.replace("(", r"\(")):
        check_mapping(mapping, ["w", "d", "n", "m", "x"], kind)


# --------------------------------------------------------------------------- saved templates

@pytest.fixture
def engine(tmp_path):
    eng = db.connect(f"sqlite:///{tmp_path / 'eevp.db'}")
    yield eng
    eng.dispose()


def test_headers_key_ignores_order_case_and_spacing():
    assert headers_key(["Role", "Exit  date"]) == headers_key([" exit date", "ROLE"])
    assert headers_key(["Role", "Exit date"]) != headers_key(["Role", "Exit date", "Reason"])
    assert len(headers_key(["a"])) == 64


def test_template_round_trip(engine, tmp_path):
    cols = ["Position", "Cease Date", "Comment"]
    mapping = {"role": "Position", "exit_date": "Cease Date", "text": ["Comment"], "scale": {"min": 1, "max": 5}}
    assert find_template(engine, "exit", cols) is None
    first = save_template(engine, "DETE export", "exit", cols, mapping, actor=CLI_USER)
    assert find_template(engine, "exit", list(reversed(cols))) == mapping
    assert find_template(engine, "survey", cols) is None  # same headers, other kind
    assert find_template(engine, "exit", cols + ["Extra"]) is None

    # Same headers spelled differently: the saved mapping points at this file's spelling.
    assert find_template(engine, "exit", ["position", "CEASE  DATE", "comment"]) == {
        "role": "position", "exit_date": "CEASE  DATE", "text": ["comment"], "scale": {"min": 1, "max": 5}}

    # Saving again for the same headers replaces (upsert), it does not add a row.
    changed = {**mapping, "text": []}
    assert save_template(engine, "DETE v2", "exit", cols, changed, actor=CLI_USER) == first
    save_template(engine, "Pulse", "survey", ["wave"], {"wave": "wave"}, actor=CLI_USER)
    listed = list_templates(engine)
    assert [(t["name"], t["kind"], t["mapping"]) for t in listed] == [
        ("DETE v2", "exit", changed), ("Pulse", "survey", {"wave": "wave"})]
    assert listed[0]["headers_key"] == headers_key(cols) and listed[0]["created_at"] is not None

    # A fresh engine on the same file sees the same templates (it is really stored).
    other = db.connect(f"sqlite:///{tmp_path / 'eevp.db'}")
    assert find_template(other, "exit", cols) == changed
    other.dispose()


def test_template_keeps_cyrillic_names(engine):
    cols = ["Должность", "Дата увольнения"]
    mapping = {"role": "Должность", "exit_date": "Дата увольнения"}
    save_template(engine, "Выгрузка 1С", "exit", cols, mapping, actor=CLI_USER)
    assert find_template(engine, "exit", cols) == mapping
    assert list_templates(engine)[0]["name"] == "Выгрузка 1С"


# --------------------------------------------------------------------------- real files

def _real(*parts) -> pd.DataFrame:
    path = EXTERNAL.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"external data not present: {path}")
    return read_table(path.read_bytes(), path.name), path


def test_glassdoor_reviews_as_survey():
    df, path = _real("glassdoor-job-reviews-uk-sample", "glassdoor_reviews.csv")
    assert len(df) == len(pd.read_csv(path))
    m = suggest_mapping(df, "survey")
    assert (m["role"], m["wave"], m["location"]) == ("job_title", "date_review", "location")
    # overall_rating is a 1-5 rating too, and is kept as an item (the overall score next to the six).
    assert m["items"] == ["overall_rating"] + GLASSDOOR_RATINGS
    assert m["text"] == ["headline", "pros", "cons"]
    assert "enps" not in m  # 'recommend' holds v/o/x, not 0-10
    check_mapping(m, list(df.columns), "survey")


def test_dete_as_exit():
    df, _ = _real("qld-dete-tafe-exit-surveys", "dete_survey.csv")
    m = suggest_mapping(df, "exit")
    assert (m["role"], m["exit_date"], m["reason"]) == ("Position", "Cease Date", "SeparationType")
    assert (m["department"], m["location"]) == ("Business Unit", "Region")
    assert {"Job dissatisfaction", "Workload", "Work life balance", "Lack of recognition"} <= set(m["other_reasons"])
    check_mapping(m, list(df.columns), "exit")


def test_indeed_as_exit():
    df, _ = _real("indeed-canadian-city-employer-reviews", "indeed_city_employer_reviews.csv")
    m = suggest_mapping(df, "exit")
    assert (m["role"], m["exit_date"]) == ("position", "date_created")
    assert m["text"] == ["text", "pros", "cons"]
    check_mapping(m, list(df.columns), "exit")


@pytest.mark.parametrize("header", ["Индекс NPS", "Оценка NPS", "eNPS score", "Індекс NPS"])
def test_nps_as_a_word_of_the_header_is_the_enps_question(header):
    df = pd.DataFrame({"wave": ["2026-Q1"] * 12, header: [i % 11 for i in range(12)],
                       "Team collaboration": [i % 5 + 1 for i in range(12)]})
    m = suggest_mapping(df, "survey")
    assert m.get("enps") == header
    assert m.get("department") is None and "Team collaboration" in m["items"]


def test_every_row_sets_a_required_date_a_file_lacks_and_nothing_else():
    from eevp.intake.mapping import every_row_fields, fill_every_row

    assert every_row_fields("exit") == ["exit_date"] and every_row_fields("survey") == ["wave"]
    assert every_row_fields("evp_catalog") == []
    mapping = {"text": ["q1"], "every_row": {"exit_date": "2025-06-30"}}
    check_mapping(mapping, ["q1"], "exit")  # no problem: the date is given
    df, filled = fill_every_row(pd.DataFrame({"q1": ["a", "b"]}), mapping)
    assert filled == {"text": ["q1"], "exit_date": "exit_date (every row)"}
    assert df["exit_date (every row)"].tolist() == ["2025-06-30", "2025-06-30"] and list(df)[0] == "q1"
    with pytest.raises(InputError) as exc:
        check_mapping({"exit_date": "d", "text": ["q1"], "every_row": {"exit_date": "2025-06-30", "role": "x"}},
                      ["d", "q1"], "exit")
    msg = str(exc.value)
    assert "'every_row' sets only exit_date for exit data, not 'role'." in msg
    assert "'exit_date' is taken from column 'd' and set for every row; choose one." in msg
    with pytest.raises(InputError, match="'every_row' takes an object"):
        check_mapping({"text": ["q1"], "every_row": "2025-06-30"}, ["q1"], "exit")


def test_a_lone_flag_beside_a_constant_one_is_no_exit_reason():
    # IBM's leavers (Attrition = Yes in every row) with OverTime yes/no: OverTime became an "other reason".
    df = frame({"Exit date": DATES, "Attrition": ["Yes"] * N, "OverTime": ["Yes", "No", "No"] * 4})
    m = suggest_mapping(df, "exit")
    assert m["other_reasons"] == [] and m["segments"] == ["OverTime"]
    df["Remote"] = ["No", "Yes"] * 6  # two flags that vary: one reason each
    assert suggest_mapping(df, "exit")["other_reasons"] == ["OverTime", "Remote"]
