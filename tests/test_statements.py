import pytest

from eevp.intake.statements import split_statements


def test_bullets_lines_and_sentences():
    text = (
        "- Customers wait too long on the hotline.\n"
        "• Managers never listen to what we say\n"
        "* Pay is low. Bonuses are unpredictable.\n"
        "1. The warehouse is a mess, e.g. parcels get lost. Mr. Smith knew about it.\n"
        "2) Our rating went from 3.5 to 2.1 in a year."
    )
    assert split_statements(text) == [
        "Customers wait too long on the hotline.",
        "Managers never listen to what we say",
        "Pay is low.",
        "Bonuses are unpredictable.",
        "The warehouse is a mess, e.g. parcels get lost.",
        "Mr. Smith knew about it.",
        "Our rating went from 3.5 to 2.1 in a year.",
    ]


def test_russian_abbreviations_and_ellipsis():
    text = (
        "Клиенты ждут долго, т.е. по часу и больше. Доставка, склад, курьеры и т. д. "
        "Всё это плохо работает! Не знаю... может, из-за денег. Напр. вчера клиент ушёл к конкурентам."
    )
    assert split_statements(text) == [
        "Клиенты ждут долго, т.е. по часу и больше.",
        "Доставка, склад, курьеры и т. д.",
        "Всё это плохо работает!",
        "Не знаю... может, из-за денег.",
        "Напр. вчера клиент ушёл к конкурентам.",
    ]


def test_ukrainian_and_short_fragments_merge_into_previous():
    text = "Клієнти чекають на гарячій лінії годинами. Я пішов. Зарплата низька, а навантаження велике… Керівник нас не слухає."
    assert split_statements(text) == [
        "Клієнти чекають на гарячій лінії годинами. Я пішов.",
        "Зарплата низька, а навантаження велике…",
        "Керівник нас не слухає.",
    ]


def test_short_first_fragment_joins_the_next():
    assert split_statements("Yes. The customers are always angry about late parcels.") == [
        "Yes. The customers are always angry about late parcels."
    ]


def test_wrapped_lines_are_joined():
    text = "We had many problems with the delivery team\nand the couriers were always late.\nPay was fine though."
    assert split_statements(text) == [
        "We had many problems with the delivery team and the couriers were always late.",
        "Pay was fine though.",
    ]


def test_question_and_exclamation_marks_and_initials():
    assert split_statements(
        "Why do clients wait so long? Nobody knows the answer! J. Smith left the team last year."
    ) == ["Why do clients wait so long?", "Nobody knows the answer!", "J. Smith left the team last year."]


def test_lower_case_after_period_is_not_a_boundary():
    assert split_statements("The score was approx. three out of five for the whole team.") == [
        "The score was approx. three out of five for the whole team."
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n\n", None, "- \n•  \n"])
def test_empty_input_gives_no_statements(text):
    assert split_statements(text) == []


def test_statements_are_trimmed_and_keep_the_text():
    text = "   Клиенты уходят к конкурентам из-за цен.   \n\n   Поддержка не перезванивает клиентам.  "
    out = split_statements(text)
    assert out == ["Клиенты уходят к конкурентам из-за цен.", "Поддержка не перезванивает клиентам."]
    assert all(s == s.strip() for s in out)


@pytest.mark.parametrize("text,expected", [
    # SentiRuEval's restaurant reviews: 64 statements over 400 characters, whole reviews typed without a space
    # after the full stop; quotes on Customer insights were whole reviews.
    ("Была вчера в этом ресторане!Поехала туда наобум, без брони. Официант подошел быстро.Принял заказ сразу и вежливо.",
     ["Была вчера в этом ресторане!", "Поехала туда наобум, без брони.", "Официант подошел быстро.",
      "Принял заказ сразу и вежливо."]),
    ("Great pay and benefits.You do not take work home with you", ["Great pay and benefits.",
                                                                   "You do not take work home with you"]),
    # A name or an abbreviation without a space is no sentence end.
    ("Є канали для MEGOGO, SWEET.TV та Київстар у пакеті", ["Є канали для MEGOGO, SWEET.TV та Київстар у пакеті"]),
    ("Офис на ул.Ленина в центре города удобный", ["Офис на ул.Ленина в центре города удобный"]),
    ("Спасибо J.Smith за помощь во всём", ["Спасибо J.Smith за помощь во всём"]),
])
def test_a_sentence_end_without_a_space(text, expected):
    assert split_statements(text) == expected


def test_the_labelling_time_splitter_keeps_glued_sentences_whole():
    # The labelled real statements (training/) name a statement by its index in the splitting of their time.
    text = "Была вчера в этом ресторане!Поехала туда наобум, без брони. Официант подошел быстро."
    assert split_statements(text, glued=False) == ["Была вчера в этом ресторане!Поехала туда наобум, без брони.",
                                                   "Официант подошел быстро."]
    assert len(split_statements(text)) == 3
