"""Sentiment of customers' own words: the customer-voice decision, its choice and the card it writes."""

from __future__ import annotations

import json

import numpy as np
import pytest

from eevp.text import sentiment_model
from eevp.text.lens_model import LinearHead, load_head, save_head
from eevp.text.sentiment_model import predict_sentiment, voice_labels, voice_setting_id
from training import voice_check
from training import voice_sentiment as vs

CLASSES = ("negative", "neutral", "positive")


def test_the_lexicon_weight_can_turn_a_weak_head_decision():
    # The head leans positive (0.30 against 0.25); the lexicon reads the text as clearly negative.
    proba = np.array([[0.25, 0.45, 0.30]])
    assert voice_labels(proba, CLASSES, np.array([-0.5]), 0.0, None) == ["neutral"]
    assert voice_labels(proba, CLASSES, np.array([-0.5]), 0.0, 0.9) == ["positive"]
    assert voice_labels(proba, CLASSES, np.array([-0.5]), 4.0, 0.9) == ["negative"]


def test_neutral_only_where_the_head_is_as_sure_as_the_threshold():
    proba = np.array([[0.02, 0.95, 0.03], [0.10, 0.80, 0.10], [0.70, 0.20, 0.10]])
    labels = voice_labels(proba, ("positive", "neutral", "negative"), np.zeros(3), 1.0, 0.9)
    assert labels == ["neutral", "negative", "positive"]  # columns in the head's own order


def test_a_question_with_no_complaint_cue_is_neutral():
    # Issue #16: the head is 0.95 sure of neutral (below the 0.99 threshold) and leans negative over
    # positive, so the decision called a customer's question negative.
    proba = np.array([[0.04, 0.95, 0.01]] * 4 + [[0.60, 0.35, 0.05]])
    lexicon = np.array([0.0, 0.5, -0.4, 0.0, 0.0])
    asks = np.array([True, True, True, False, True])
    before = voice_labels(proba, CLASSES, lexicon, 4.0, 0.99)
    assert before == ["negative", "positive", "negative", "negative", "negative"]
    labels = voice_labels(proba, CLASSES, lexicon, 4.0, 0.99, asks, 0.3)
    # neutral: a question, one with a kind word;
    # kept: one with a negative word, a statement, a question the head leans negative on (0.60)
    assert labels == ["neutral", "neutral", "negative", "negative", "negative"]
    assert voice_labels(proba, CLASSES, lexicon, 4.0, 0.99, asks, 0.0) == before  # 0: no rule


def _head(card: dict) -> LinearHead:
    # Features: 2 embedding numbers and the lexicon score; the head leans on the first number only.
    weight = np.array([[-1.0, 0.0, 1.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    return LinearHead(CLASSES, weight, np.array([0.0, 0.5, 0.0]), np.zeros(3), np.ones(3), card)


def test_customer_voice_uses_the_card_setting_and_staff_text_does_not(monkeypatch):
    monkeypatch.setattr(sentiment_model, "shipped_head", lambda name: _head(
        {"customer_voice": {"lexicon_weight": 50.0, "neutral_min": 0.99}}))
    texts = ["late again, the worst airline ever", "thanks for the quick help"]
    emb = np.array([[0.8, 0.0], [-0.8, 0.0]])  # the head alone reads them the wrong way round
    lexicon = np.array([-0.6, 0.5])
    staff = predict_sentiment(texts, ["en", "en"], emb, lexicon_scores=lexicon)
    voice = predict_sentiment(texts, ["en", "en"], emb, lexicon_scores=lexicon, customer_voice=True)
    assert staff == ["positive", "negative"]
    assert voice == ["negative", "positive"]


def test_customer_voice_reads_a_request_as_neutral_when_the_card_says_so(monkeypatch):
    texts = ["Підключіть колонки, і все буде ОК.", "Колонки не підключаються, все погано."]
    emb = np.array([[-0.1, 0.0], [-0.1, 0.0]])  # the head: neutral 0.45, negative 0.30, positive 0.25
    lexicon = np.array([0.0, -0.5])
    setting = {"lexicon_weight": 4.0, "neutral_min": 0.99}
    monkeypatch.setattr(sentiment_model, "shipped_head", lambda name: _head({"customer_voice": setting}))
    before = predict_sentiment(texts, ["uk", "uk"], emb, lexicon_scores=lexicon, customer_voice=True)
    old_id = voice_setting_id()
    monkeypatch.setattr(sentiment_model, "shipped_head", lambda name: _head(
        {"customer_voice": dict(setting, asking_negative_max=0.5)}))
    after = predict_sentiment(texts, ["uk", "uk"], emb, lexicon_scores=lexicon, customer_voice=True)
    assert before == ["negative", "negative"]
    assert after == ["neutral", "negative"]
    assert voice_setting_id() != old_id  # stored customer tags are read again


def test_without_a_setting_customer_voice_is_the_head_alone(monkeypatch):
    monkeypatch.setattr(sentiment_model, "shipped_head", lambda name: _head({}))
    emb = np.array([[0.8, 0.0], [0.0, 0.0]])
    out = predict_sentiment(["a", "b"], ["en", "en"], emb, lexicon_scores=np.array([-0.9, 0.0]), customer_voice=True)
    assert out == ["positive", "neutral"]


def _fold(gold: list[str], proba: list[list[float]], lexicon: list[float]) -> dict:
    return {"gold": np.array(gold), "proba": np.array(proba), "classes": CLASSES, "lexicon": np.array(lexicon)}


def test_the_setting_is_chosen_on_the_folds():
    # The head is unsure between negative and positive; the lexicon is right: a weight above zero wins.
    # Neutral texts get P(neutral) 0.6, polar ones 0.5: only a threshold in (0.5, 0.6] keeps both right.
    fold = _fold(["negative", "positive", "neutral", "negative"],
                 [[0.26, 0.5, 0.24], [0.26, 0.5, 0.24], [0.2, 0.6, 0.2], [0.24, 0.5, 0.26]],
                 [-0.5, 0.5, 0.0, -0.5])
    setting = vs.choose_setting([fold])
    assert setting["lexicon_weight"] > 0
    assert setting["neutral_min"] == 0.6
    assert setting["mean polar accuracy per weight"]["0.0"] < setting["mean polar accuracy per weight"]["1.0"]


def test_the_questions_guard_is_the_best_that_keeps_the_airline_figure():
    # Two neutral questions the head leans negative on (P(negative) 0.25 and 0.65): on the choice fold a
    # guard of 0.7 reads both right. On the guard fold, 0.7 also turns a negative question (0.55) neutral,
    # and the figure falls from 1.0 to 0.5: the best guard left is 0.3.
    q = [[0.25, 0.7, 0.05], [0.65, 0.3, 0.05]]
    fold = dict(_fold(["neutral", "neutral", "negative", "positive"],
                      q + [[0.6, 0.35, 0.05], [0.1, 0.2, 0.7]], [0, 0, 0, 0.5]),
                asking=np.array([True, True, False, False]))
    guard = dict(_fold(["negative", "positive"], [[0.55, 0.4, 0.05], [0.1, 0.2, 0.7]], [0.0, 0.5]),
                 asking=np.array([True, False]))
    assert vs.choose_asking([fold], 4.0, 0.99, None)["asking_negative_max"] == 0.7
    chosen = vs.choose_asking([fold], 4.0, 0.99, guard)
    assert chosen["asking_negative_max"] == 0.3
    assert chosen["airline held-out figure per questions' guard"]["0.7"] == pytest.approx(0.5)
    assert chosen["airline held-out figure per questions' guard"]["0.5"] == pytest.approx(1.0)


def test_airline_figures_compare_the_head_and_the_setting():
    fold = _fold(["negative", "positive", "neutral"], [[0.3, 0.35, 0.35], [0.4, 0.35, 0.25], [0.1, 0.8, 0.1]],
                 [-0.5, 0.5, 0.0])
    f = vs.airline_figures(fold, {"lexicon_weight": 4.0, "neutral_min": 0.7})
    assert f["n"] == 3 and f["n_polar"] == 2
    assert f["head_labels"] == pytest.approx(0.0)  # the head calls the negative neutral, the positive negative
    assert f["head_decision"] == pytest.approx(0.0)
    assert f["voice_labels"] == pytest.approx(1.0)
    assert f["voice_three_class"] == pytest.approx(1.0)


def test_the_setting_goes_in_the_card_and_the_weights_stay(tmp_path):
    head = _head({"embedder": "fake"})
    save_head(head, "sentiment", tmp_path)
    vs.store_setting({"lexicon_weight": 4.0, "neutral_min": 0.99, "chosen_on": ["x"]}, tmp_path)
    again = load_head("sentiment", tmp_path)
    assert again.card["customer_voice"] == {"lexicon_weight": 4.0, "neutral_min": 0.99}
    assert again.card["embedder"] == "fake"
    np.testing.assert_allclose(again.weight, head.weight)
    assert json.loads((tmp_path / "sentiment.json").read_text())["classes"] == list(CLASSES)


def test_the_card_paragraph_is_replaced_not_repeated(tmp_path):
    card = tmp_path / "MODEL_CARD.md"
    card.write_text("# Card\n\nIntro.\n\n**Limits.** Few.\n", encoding="utf-8")
    setting = {"lexicon_weight": 4.0, "neutral_min": 0.99, "chosen_on": ["ru_restaurant_reviews"]}
    figures = dict.fromkeys(("head_decision", "voice_decision", "head_labels", "voice_labels",
                             "head_three_class", "voice_three_class"), 0.5) | {"n": 10, "n_polar": 8}
    vs.write_card_section(setting, figures, card)
    vs.write_card_section(setting, dict(figures, voice_decision=0.9), card)
    text = card.read_text(encoding="utf-8")
    assert text.count("**Customers' own words.**") == 1
    assert "| customer voice | 0.900 |" in text
    assert text.index("**Customers' own words.**") < text.index("**Limits.**")



@pytest.mark.skipif(not voice_check.rt.available(), reason="shared external data not present")
def test_the_voice_check_set_is_found_by_reference():
    check = voice_check.load_check()
    assert check.attrs["missing"] == 0
    assert len(check) == 294
    assert set(check["sentiment"]) == {"negative", "neutral", "positive"}
    assert (check.loc[check["source"] == "airline_tweets", "corpus_label"] != "").all()
