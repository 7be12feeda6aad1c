import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from eevp.errors import InputError
from eevp.hashing import text_hash
from eevp.insights import (
    COLUMNS,
    STAGES,
    TAGGER_VERSION,
    apply_corrections,
    evaluate,
    lexicon_sentiment,
    review_precision,
    review_sample,
    rule_tags,
    tag_statements,
)
from eevp.text.language import detect_languages

DATA = Path(__file__).resolve().parent / "data"
EVAL = DATA / "customer_statements.csv"
DEV = DATA / "customer_statements_dev.csv"


def tag(texts):
    """The lexicon rules: the fallback when no head ships, and cues the learned lens reads."""
    return rule_tags(texts, detect_languages(texts), sentiment=lexicon_sentiment)


EXAMPLES = [pytest.param(*c) for c in [
        # English
        ("Customers wait 40 minutes on the hotline before anyone picks up.", True, "support"),
        ("Our sales reps over-promise delivery dates to close deals with clients.", True, "sales"),
        ("A customer was charged twice in March and is still waiting for a refund.", True, "billing"),
        ("Long-term clients are leaving for a competitor.", True, "retention"),
        ("The couriers leave parcels at the wrong address.", True, "delivery"),
        ("Activation takes two weeks for new subscribers.", True, "onboarding"),
        ("The new ad campaign confuses buyers about prices.", True, "marketing"),
        ("The e-mail client crashes every morning.", False, None),
        ("I reinstalled the VPN client twice this week.", False, None),
        ("Finance calls us internal customers and ignores us.", False, None),
        ("Users of our HR system cannot find the leave form.", False, None),
        ("The client-server design of the app is outdated.", False, None),
        ("My manager never listens and the pay is low.", False, None),
        ("You have to be patient with the slow laptops.", False, None),
        # Russian
        ("Покупатели жалуются, что доставка опаздывает на неделю.", True, "delivery"),
        ("Абонентам дважды списали деньги за связь.", True, "billing"),
        ("Клиенты уходят к конкурентам из-за цен.", True, "retention"),
        ("Менеджеры по продажам обещают заказчикам невозможное.", True, "sales"),
        ("Почтовый клиент опять не открывает вложения.", False, None),
        ("Бухгалтерия считает нас внутренними клиентами.", False, None),
        ("Пользователи корпоративного портала не могут войти.", False, None),
        ("Зарплату опять задержали на две недели.", False, None),
        # Ukrainian
        ("Клієнти годинами висять на гарячій лінії.", True, "support"),
        ("Пацієнтам не повертають кошти за скасований прийом.", True, "billing"),
        ("Замовники розривають договори після кожного збою.", True, "retention"),
        ("Нових абонентів підключають місяць.", True, "onboarding"),
        ("Поштовий клієнт постійно зависає.", False, None),
        ("VPN-клієнт не підключається з дому.", False, None),
        ("Користувачі нашої HR-системи скаржаться на форму відпустки.", False, None),
        ("Керівник кричить на працівників.", False, None),
]]


@pytest.mark.parametrize("text, about, stage", EXAMPLES)
def test_examples_per_language(text, about, stage):
    row = tag([text]).iloc[0]
    assert (bool(row["about_customers"]), row["stage"]) == (about, stage)


def test_the_learned_lens_gets_most_plain_examples_right():
    """The same plain examples through the learned head (trained on real statements, not on these):
    at training 77% got both about_customers and the stage right (87% about_customers alone)."""
    cases = [p.values for p in EXAMPLES]
    out = tag_statements([c[0] for c in cases], sentiment=lexicon_sentiment)
    right = [(bool(a), s) == (about, stage) for (text, about, stage), a, s in
             zip(cases, out["about_customers"], out["stage"])]
    assert np.mean(right) >= 0.75, [c[0] for c, r in zip(cases, right) if not r]


def test_customer_words_in_any_inflection():
    texts = [
        "Мы теряем покупателей.",
        "Покупательнице нагрубили на кассе.",
        "Пассажиров не предупредили о задержке рейса.",
        "Ми втрачаємо покупців.",
        "Відвідувачам ніде сісти.",
        "Пасажирів не попередили про затримку рейсу.",
    ]
    assert tag(texts)["about_customers"].tolist() == [True] * 6


def test_customer_process_without_a_customer_word():
    out = tag(
        [
            "The hotline queue was over an hour long.",
            "Горячая линия не отвечает.",
            "Gaps in the training plan.",
            "Сотрудникам задерживают возврат денег за командировки.",
        ]
    )
    assert out["about_customers"].tolist() == [True, True, False, False]


def test_incident_versus_opinion():
    out = tag(
        [
            "Last week a customer waited 40 minutes on the hotline and it was terrible.",
            "Our service is slow and the hotline is bad.",
            "Вчера клиенту дважды списали деньги, это ужасно.",
            "У нас плохой сервис для клиентов.",
        ]
    )
    assert out["incident"].tolist() == [True, False, True, False]


def test_shape_order_and_dtypes():
    texts = [
        "Customers wait on the hotline.",
        "Pay is low.",
        "Клиенты недовольны доставкой.",
        "Клієнти задоволені.",
        "",
    ]
    out = tag_statements(texts)
    assert list(out.columns) == list(COLUMNS)
    assert len(out) == len(texts)
    assert out["language"].tolist() == ["en", "en", "ru", "uk", "other"]
    assert out["about_customers"].dtype == bool and out["incident"].dtype == bool
    assert out["about_customers"].tolist() == [True, False, True, True, False]
    assert set(out["sentiment"]) <= {"positive", "neutral", "negative"}
    assert all(s is None or s in STAGES for s in out["stage"])
    assert out.loc[~out["about_customers"], "stage"].isna().all()


def test_empty_list_gives_empty_frame_with_columns():
    out = tag_statements([])
    assert list(out.columns) == list(COLUMNS) and len(out) == 0


def test_given_languages_are_used_and_checked():
    out = tag_statements(["Клиенты ждут"], languages=["ru"], sentiment=lambda t, l: ["negative"] * len(t))
    assert out.iloc[0][["language", "sentiment"]].tolist() == ["ru", "negative"]
    with pytest.raises(InputError):
        tag_statements(["a", "b"], languages=["en"])


def test_default_sentiment_step_returns_known_labels():
    out = tag_statements(
        ["Customers love the new delivery option.", "Clients are angry and the courier was late."]
    )
    assert set(out["sentiment"]) <= {"positive", "neutral", "negative"}
    assert TAGGER_VERSION


def test_lexicon_sentiment_values():
    assert lexicon_sentiment(
        [
            "Customers love our friendly staff.",
            "Клиенты злые, доставка опаздывает.",
            "Дані клієнтів переносять на сервер.",
        ],
        ["en", "ru", "uk"],
    ) == ["positive", "negative", "neutral"]


@pytest.mark.parametrize("path", [EVAL, DEV], ids=["eval", "dev"])
def test_evaluation_targets_of_the_rules(path):
    scores = evaluate(path, tagger=rule_tags)
    for lang in ("en", "ru", "uk"):
        assert scores[lang]["f1"] >= 0.9, (lang, scores[lang])
        assert scores[lang]["stage_accuracy"] >= 0.75, (lang, scores[lang])
        assert scores[lang]["language_accuracy"] == 1.0


def test_evaluation_of_the_learned_lens_on_the_held_out_project_set():
    """The project's evaluation set was not trained on (its development set was): at the head's
    training, F1 0.84 / 0.87 / 0.89 and stage accuracy 0.78 / 0.65 / 0.72 (en / ru / uk)."""
    scores = evaluate(EVAL)
    for lang in ("en", "ru", "uk"):
        assert scores[lang]["f1"] >= 0.78, (lang, scores[lang])
        assert scores[lang]["stage_accuracy"] >= 0.6, (lang, scores[lang])


def test_evaluation_set_is_as_described():
    df = pd.read_csv(EVAL, keep_default_na=False)
    assert len(df) >= 180
    assert df["language"].value_counts().min() >= 60
    assert 0.4 <= df["about_customers"].mean() <= 0.6
    assert set(df.loc[df["about_customers"] == 1, "stage"]) - {""} == set(STAGES)
    assert not set(df["text"]) & set(pd.read_csv(DEV)["text"])


def test_corrections_override_identical_texts():
    texts = ["Customers wait on the hotline.", "Pay is low.", "The e-mail client crashes."]
    df = tag(texts)
    df["text_hash"] = [text_hash(t) for t in texts]
    corr = pd.DataFrame(
        {
            "text_hash": [text_hash(texts[0]), text_hash(texts[1])],
            "about_customers": [False, True],
            "stage": ["support", "billing"],
        }
    )
    out = apply_corrections(df, corr)
    assert out["about_customers"].tolist() == [False, True, False]
    assert out["stage"].tolist() == [None, "billing", None]
    assert out["corrected"].tolist() == [True, True, False]
    assert df["about_customers"].tolist() == [True, False, False]  # the input is not changed


def test_corrections_reach_near_duplicates_by_embedding():
    texts = ["Clients wait on the hotline for ages.", "Pay is low.", "Shifts are long."]
    df = tag(texts)
    corr = pd.DataFrame({"text_hash": ["x"], "about_customers": [True], "stage": ["retention"]})
    emb = np.array([[1, 0, 0], [0.95, 0.05, 0], [0, 1, 0]], dtype=np.float32)
    out = apply_corrections(
        df,
        corr,
        texts=texts,
        embeddings=emb,
        correction_embeddings=np.array([[1, 0.02, 0]], dtype=np.float32),
    )
    assert out["stage"].tolist() == ["retention", "retention", None]
    assert out["about_customers"].tolist() == [True, True, False]
    with pytest.raises(InputError):
        apply_corrections(df, corr)


def test_review_sample_is_reproducible():
    df = pd.DataFrame({"x": range(95)})
    a, b = review_sample(df), review_sample(df)
    assert a.index.tolist() == b.index.tolist()
    assert len(a) == 10
    assert review_sample(df, seed=1).index.tolist() != a.index.tolist()
    assert len(review_sample(df.head(3))) == 1
    assert review_sample(df.head(0)).empty
    with pytest.raises(InputError):
        review_sample(df, share=0)


def test_review_precision():
    reviews = pd.DataFrame(
        {
            "tagged_about_customers": [True, True, True, False, False],
            "tagged_stage": ["support", "billing", None, None, None],
            "about_customers": [True, True, False, True, False],
            "stage": ["support", "delivery", None, "sales", None],
        }
    )
    assert review_precision(reviews) == {
        "reviewed": 5,
        "precision": 2 / 3,
        "recall": 2 / 3,
        "stage_accuracy": 0.5,
    }
    assert review_precision(reviews.head(0))["precision"] is None
