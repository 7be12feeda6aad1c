import os
import sys
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from eevp.text.sentiment import asking, classify_sentiment, label_for, sentiment_scores

EXTERNAL = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "external"


@pytest.mark.parametrize("text, expected", [
    ("The team is great and my manager is really supportive.", "positive"),
    ("I love working here, the benefits are generous.", "positive"),
    ("The pay is terrible and the hours are long.", "negative"),
    ("The training was not good.", "negative"),
    ("My manager is not bad at all.", "positive"),
    ("No career progression and constant pressure.", "negative"),
    ("Мне очень нравится мой коллектив.", "positive"),
    ("Мне не нравится мой начальник.", "negative"),
    ("Ужасное отношение к клиентам, постоянные задержки.", "negative"),
    ("Зарплата неплохая, коллеги отзывчивые.", "positive"),
    ("Мені дуже подобається ця робота.", "positive"),
    ("Мені не подобається графік змін.", "negative"),
    ("Керівник жахливий, зарплата низька.", "negative"),
    ("Чудова команда, дякую за підтримку!", "positive"),
    ("The office is on the third floor.", "neutral"),
    ("Офис находится на третьем этаже.", "neutral"),
])
def test_hand_written_polarity(text, expected):
    assert classify_sentiment([text]) == [expected]


def test_negation_flips_the_sign():
    good, not_good = sentiment_scores(["The support is good.", "The support is not good."], ["en", "en"])
    assert good > 0.3 and not_good < -0.1


def test_intensifier_strengthens():
    plain, strong = sentiment_scores(["Це добре.", "Це дуже добре."], ["uk", "uk"])
    assert strong > plain > 0


def test_contrast_weighs_the_second_clause_more():
    assert classify_sentiment(["Good pay but terrible management"]) == ["negative"]
    assert classify_sentiment(["Long hours but great colleagues"]) == ["positive"]


def test_emoticons_count_in_any_language():
    scores = sentiment_scores(["Доставка сегодня :)", "Доставка сегодня :(", "Доставка сьогодні 👍"])
    assert scores[0] > 0 and scores[1] < 0 and scores[2] > 0


def test_scores_are_bounded_float32_and_empty_is_zero():
    scores = sentiment_scores(["excellent " * 50, "terrible " * 50, "", "   "])
    assert scores.dtype == np.float32
    assert 0.9 < scores[0] <= 1.0 and -1.0 <= scores[1] < -0.9
    assert scores[2] == 0 and scores[3] == 0


def test_languages_detected_where_not_given_and_other_languages_left_neutral():
    # No language (or an empty one): detected by eevp.text.language.
    assert classify_sentiment(["Это отлично", "Це чудово"], [None, ""]) == ["positive", "positive"]
    # Another language, given or detected, has no lexicon here: no score rather than English rules.
    assert classify_sentiment(["Это отлично"], ["fr"]) == ["neutral"]
    french = "Le salaire est excellent et l'équipe est super, j'adore travailler ici"
    assert classify_sentiment([french]) == ["neutral"]
    assert classify_sentiment([french], ["en"]) == ["positive"]  # the English lexicon would read "excellent"
    with pytest.raises(ValueError):
        sentiment_scores(["a", "b"], ["en"])


def test_label_for_uses_the_neutral_band():
    assert [label_for(x) for x in (0.5, 0.01, -0.01, -0.5)] == ["positive", "neutral", "neutral", "negative"]


def _bench():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import bench_sentiment

    return bench_sentiment


@pytest.mark.skipif(not EXTERNAL.exists(), reason="shared external data not present")
def test_accuracy_on_real_data():
    """Positive vs negative; a neutral prediction counts as wrong. Figures at writing:
    Glassdoor 0.79 (target 0.85 not reached), SentiRuEval-2015 restaurants 0.91,
    SentiRuEval-2016 tweets 0.53, which fell to 0.44 when ":/" stopped matching inside every link
    ("http://"): 78% of the tweets are negative, so the bug had flattered the lexicon. The learned
    head that eevp uses is measured in tests/test_lens.py. Asserted floors guard against regressions."""
    bench = _bench()
    data = bench.glassdoor(500, seed=0)
    if data is None:
        pytest.skip("Glassdoor sample absent")
    assert bench.evaluate(*data)["accuracy"] >= 0.75
    rest = bench.restaurants()
    if rest is not None:
        assert bench.evaluate(*rest)["accuracy"] >= 0.85
    tw = bench.tweets()
    if tw is not None:
        assert bench.evaluate(*tw)["accuracy"] >= 0.42


@pytest.mark.parametrize("text, lang, expected", [
    # Customers' questions and requests (issue #16: read as complaints before).
    ("Підключіть колонки, і все буде ОК.", "uk", True),  # an imperative: advice to another customer
    ("А його можна на кутову стіну вмонтувати на коліно?", "uk", True),
    ("Доброго дня! Підкажіть чи задоволені в користуванні?", "uk", True),  # a greeting, then a question
    ("Чи скористались Ви цим законом", "uk", True),  # "чи" opens a question without a mark
    ("Попробуйте перезапустить, или же сбросить до заводских настроек", "ru", True),
    ("Рекомендуємо звернутися в службу технічної підтримки.", "uk", True),
    ("@united is it on a flight now? Thanks for reply.", "en", True),  # a thanks after the question
    ("Can you help me find which airport my plane headed to next", "en", True),
    # Not asking: statements, warnings, and complaints that also ask.
    ("Ймовірно, стався збіг із іншим пристроєм або моделлю.", "uk", False),  # "стався" is also a past tense
    ("Не купуйте цей телевізор, екран у плямах.", "uk", False),  # a negated imperative warns
    ("Не рекомендую цей телефон.", "uk", False),
    ("Доброго дня! 27см х48,5см.", "ru", False),  # "см" is centimetres, not "смотри"
    ("@united Do we know why UA5282 is delayed x2)? This is getting crazy.", "en", False),
    ("The screen is bright and the sound is fine.", "en", False),
    ("Visit http://example.com/page?id=3 for the manual", "en", False),  # a "?" inside a link
])
def test_asking_finds_questions_and_requests(text, lang, expected):
    assert asking([text], [lang]).tolist() == [expected]


def test_asking_in_another_language_needs_a_question_mark():
    texts = ["Est-ce que la télé se fixe au mur ?", "Fixez la télé au mur."]
    assert asking(texts, ["fr", "fr"]).tolist() == [True, False]
    assert asking(["", None], None).tolist() == [False, False]
