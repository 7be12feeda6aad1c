"""Text preparation: boilerplate, lemmas, stop words and the keyword vectorizer."""

import pickle

import pytest

from eevp.text import textprep
from eevp.text.language import detect_language
from eevp.text.textprep import (
    LemmaTokenizer,
    is_boilerplate,
    is_too_short,
    lemmatize_tokens,
    make_vectorizer,
    prepare,
    stop_words,
)


@pytest.mark.parametrize("text", [
    "n/a", "N/A", "NA", "none", "None.", "No comment", "nothing", "-", "...", "  ", "", None, "123", "5/10", "?!",
    "нет", "Ничего", "Нет комментариев.", "немає", "нічого", "Без коментарів", "—", "N.A.", "Нечего добавить.",
    "нема чого додати", "Nothing else to add",
    # "no cons" with the hedges people add, repeated non-answers, and "no cons" followed only by praise
    "No cons right now, honestly", "None that I can think of at the moment", "Nothing I have seen so far",
    "No downsides from what I've seen", "none none none", "Nothing, nothing, nothing", "None. Lovely team to work with",
    "Can't think of any, I enjoy it a lot", "No cons for this employer", "None in my opinion",
    # not yet: "I am new"; nothing bad at length; a hedge after dashes
    "None so far as new to role", "None yet, as I have only just started", "none that I could see",
    "Can't say anything bad about this company as there isn't anything bad to say!", "None really - - -",
    # a "no cons" opening, then only praise after the comma, full stop or dash (any wording)
    "Nothing really. I am glad I moved here", "There are no cons, a friendly company", "No issues - the team is lovely",
    "Нет минусов, отличный коллектив", "Мінусів немає, чудова команда",
    # French answers of a bilingual workforce (Indeed reviews of Canadian cities)
    "Aucun", "aucune.", "Rien à signaler",
    # greetings, thanks, wishes and sign-offs alone (the statements of a reply to a customer's review)
    "🔁 Доброго дня!", "Добрий день, [NAME].", "Вітаємо вас, [NAME]!", "Дякуємо за Ваш відгук.", "Hi there",
    "Щиро дякуємо за ваш вибір!", "З повагою - компанія KIVI.", "Бажаємо приємного користування",
    "Thank you for your feedback!", "Спасибо за внимание.", "Have a nice day!", "Kind regards, the support team",
    "Добрый день всем!", "Thanks for the reply",
    # redaction's placeholders only (a column of review links: 1,000 "[URL]" made a theme)
    "[URL]", "[EMAIL] [PHONE]", "[NAME].",
    # "not at the moment", "hard to say" (a theme of them was labelled "Данный момент")
    "На данный момент нет.", "В данный момент - нет.", "В настоящий момент затрудняюсь ответить.", "пока нет",
    "В данный момент, сложно сказать.", "На даний момент ні", "Важко сказати",
])
def test_boilerplate(text):
    assert is_boilerplate(text)


@pytest.mark.parametrize("text", [
    "Pay", "No training at all", "Нет обучения", "Немає навчання", "Nothing works here", "None of the managers listen",
    "ok pay", "Нечего добавить к зарплате", "Нічого додати до зарплати не можуть",
    # a complaint after the "no cons" head, or praise that is not praise, is kept
    "None of the shifts are good", "Nothing good to say about the rota", "No cons but the pay is low",
    "None really, apart from the great distance to travel", "No cons at the moment, though parking is not good",
    "No breaks on a long shift", "Not enough staff at the weekend",
    "Cant say anything bad about the pay but the hours are long", "None as I am new but the training was poor",
    "Way too many to list", "Work-life balance is poor",
    # the opening rule keeps what follows a "no cons" opening unless it is praise with no contrast or wish
    "None, but the pay is low", "Nothing, apart from the long shifts", "No. The tills are broken",
    "Nothing. Everything is broken here", "No cons. Management could listen more", "None. Parking is a nightmare",
    "Yes, the tills are slow", "None really, nice people though the pay is low", "Минусов нет, но зарплата низкая",
    "Недоліків немає. Але графік важкий",
    # a greeting or thanks with something said after it
    "Hi, the app crashes at checkout", "Thank you for nothing, the refund never came",
    "Добрий день, телевізор не вмикається", "Дякуємо, але доставка запізнилась", "Good day at work, busy tills",
    "Hello from the night shift: the tills are broken", "Спасибо за быструю доставку",
    "[NAME] never answers the phone",
    "На данный момент нет возможности вернуться", "Пока нет роста зарплаты", "Сложно сказать руководству о проблемах",
])
def test_not_boilerplate(text):
    assert not is_boilerplate(text)


@pytest.mark.parametrize("text,n,short", [
    ("good pay", 3, True), ("good pay here", 3, False), ("Зарплата", 1, False), ("123 45", 1, True),
    ("Клієнти скаржаться", 2, False),
])
def test_too_short(text, n, short):
    assert is_too_short(text, n) is short


def test_prepare_counts_exclusions():
    df = prepare(["n/a", "good pay", "Managers ignore our ideas", None, "нет комментариев", "Нет обучения по продукту"])
    assert df["keep"].tolist() == [False, False, True, False, False, True]
    assert df["reason"].tolist() == ["boilerplate", "too_short", "", "boilerplate", "boilerplate", ""]
    assert df.attrs["excluded"] == {"boilerplate": 3, "too_short": 1}
    assert prepare(["good pay"], min_words=1)["keep"].tolist() == [True]


@pytest.mark.parametrize("text,lang", [
    ("Customers complain", "en"), ("Клиенты жалуются", "ru"), ("Клієнти скаржаться", "uk"),
    ("Мы не знаем", "ru"), ("що робити далі", "uk"), ("Менеджер не слухає", "uk"), ("Руководитель не слушает", "ru"),
])
def test_lemmas_use_the_one_language_detector(text, lang):
    assert detect_language(text) == lang


@pytest.mark.parametrize("text,lang,lemma", [
    ("клиенты клиентов клиентам клиентами", "ru", "клиент"),
    ("клієнти клієнтів клієнтам клієнтами", "uk", "клієнт"),
    ("customers customer", "en", "customer"),
    ("зарплаты зарплате зарплатой", "ru", "зарплата"),
    ("зарплати зарплатою", "uk", "зарплата"),
    ("policies policy", "en", "policy"),
])
def test_lemmas_collapse_word_forms(text, lang, lemma):
    assert set(lemmatize_tokens(text, lang)) == {lemma}


def test_language_is_guessed_when_not_given():
    assert lemmatize_tokens("Клієнтам погано") == ["клієнт", "погано"]


def test_russian_words_in_a_ukrainian_looking_document_are_read_as_russian():
    # BERTopic joins all texts of a theme, so one document mixes both languages.
    assert lemmatize_tokens("Клієнти скаржаться. Мы теряем клиентов", "uk")[-1] == "клиент"


def test_stop_word_lists_are_large_enough():
    for lang, minimum in [("ru", 150), ("uk", 150), ("en", 50)]:
        lines = [w for w in (textprep.STOPWORDS_DIR / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
                 if w.strip() and not w.startswith("#")]
        assert len(set(lines)) >= minimum, lang
    stops = stop_words()
    assert {"the", "and", "что", "это", "що", "це", "компания", "компанія", "company"} <= stops
    assert not {"клиент", "клієнт", "customer", "зарплата", "salary", "работа", "робота", "work"} & stops


def test_french_function_words_are_no_keywords_and_english_homographs_stay():
    # A real upload (Indeed reviews of Canadian cities, 765 of 11,236 statements in French) labelled English
    # themes "People, help, ne", "Aucun, shift, slow" and "Year, worked, time" (keywords je, j'ai).
    tok = LemmaTokenizer()
    assert tok("Je ne recommande pas, aucune reconnaissance et j’ai trop de stress") == [
        "recommande", "reconnaissance", "trop", "stress"]
    assert tok("My son drives the delivery car to pour concrete") == [
        "son", "drive", "delivery", "car", "pour", "concrete"]


def test_tokenizer_drops_stop_words_and_keeps_lemmas():
    tok = LemmaTokenizer()
    assert tok("Нам не хватает общения с клиентами и руководством") == ["хватать", "общение", "клиент",
                                                                         "руководство"]
    assert tok("Нам бракує спілкування з клієнтами та керівництвом") == ["бракувати", "спілкування", "клієнт",
                                                                         "керівництво"]
    assert tok("The company ignores our customers' complaints") == ["ignore", "customer", "complaint"]


def test_greetings_are_no_keywords():
    # Rozetka's reviews: a customer theme named "Подарунок, реклама убрати, привіт".
    tok = LemmaTokenizer()
    assert tok("Привіт, навушники в подарунок") == ["навушник", "подарунок"]
    assert tok("Здравствуйте, реклама на экране") == ["реклама", "экран"]
    assert tok("Hi, the headphones are a gift") == ["headphone", "gift"]


def test_vectorizer_counts_word_forms_as_one_and_makes_bigrams():
    vec = make_vectorizer(10)
    x = vec.fit_transform(["клиенты жалуются", "клиентов много", "клиентам плохо обслуживание"])
    vocab = vec.vocabulary_
    assert "клиент" in vocab and "клиенты" not in vocab and "клиентов" not in vocab
    assert x[:, vocab["клиент"]].sum() == 3
    assert "клиент жаловаться" in vocab


def test_vectorizer_is_picklable_and_min_df_adapts():
    vec = pickle.loads(pickle.dumps(make_vectorizer(100)))
    assert vec.tokenizer == LemmaTokenizer()
    assert vec.ngram_range == (1, 2)
    assert make_vectorizer(100).min_df == 1
    assert make_vectorizer(200_000).min_df == 2
    assert make_vectorizer(200_000).max_features == 100_000


def test_a_text_in_another_language_keeps_its_words_as_written():
    # English rules would cut the plural "s" off French words; no lemmatiser of ours reads French.
    assert lemmatize_tokens("Les clients attendent des heures", "fr") == ["les", "clients", "attendent", "des", "heures"]
    assert lemmatize_tokens("Les clients attendent des heures au téléphone") == [
        "les", "clients", "attendent", "des", "heures", "au", "téléphone"]
    assert lemmatize_tokens("The clients wait for hours", "en")[1] == "client"


def test_a_name_written_in_capitals_is_not_cut_as_a_plural():
    tok = LemmaTokenizer()
    assert tok("ASOS pays late and the NHS shifts are long") == ["asos", "pay", "late", "nhs", "shift", "long"]
    assert "aso" not in tok("Working at ASOS means long hours")
    # a text in capitals is shouting, not names: its words are read as words
    assert lemmatize_tokens("LONG HOURS AND LOW PAYS", "en") == ["long", "hour", "and", "low", "pay"]


def test_a_long_text_s_language_is_read_from_pieces_spread_over_it():
    """BERTopic joins a theme's comments into one document: its language hint is read from about
    HINT_CHARS characters taken from start to end, in whole words, not from all of it (3 s of a refit)."""
    from eevp.text.textprep import HINT_CHARS, _spread_sample

    assert _spread_sample("Poor pay, long hours.", HINT_CHARS) == "Poor pay, long hours."
    words = [f"w{i}" for i in range(20_000)]
    sample = _spread_sample(" ".join(words), HINT_CHARS)
    taken = sample.split()
    assert HINT_CHARS * 0.8 < len(sample) <= HINT_CHARS
    assert set(taken) <= set(words)  # whole words only
    positions = sorted(int(w[1:]) for w in taken)
    assert positions[0] < 100 and positions[-1] > 19_900  # the start and the end
    assert any(9_000 < p < 11_000 for p in positions)  # and the middle


def test_redaction_placeholders_and_html_entities_are_no_words():
    # 3,660 real airline tweets (customer feedback) gave the themes "Handle, email, tweet" and
    # "Handle handle, handle help, oh god": each @mention is stored as [HANDLE].
    tok = LemmaTokenizer()
    assert tok("[HANDLE] lost my bag &amp; [NAME] [EMAIL]") == ["lost", "bag"]
    assert textprep.tokenize("Ask [NAME] about AT&amp;T [sic]") == ["ask", "about", "at", "t", "sic"]
    # ... and "does" was lemmatised to "doe" ("Help, change, doe"), "did" and "pls" were keywords
    assert tok("Oh pls, does anyone help? I did call and they changed it") == ["help", "changed"]


def test_cyrillic_words_of_a_document_read_as_english_are_lemmatised_by_their_own_letters():
    # A theme joins statements in three languages; when its document reads as English, "клиенты" and
    # "клиентов" were two keywords (English rules), not "клиент".
    from eevp.text.textprep import lemma

    assert [lemma(w, "en") for w in ("клиенты", "клиентов", "клієнтів", "чекають", "customers")] == [
        "клиент", "клиент", "клієнт", "чекати", "customer"]


@pytest.mark.parametrize("text, reply", [
    ("Дякуємо за відгук! Бажаємо приємного користування.", True),
    ("Вітаємо, Олено! Рекомендуємо звернутися до технічної підтримки.", True),  # two weak formulas
    ("Thank you for your feedback, our team will call you back.", True),
    ("Благодарим за обращение, специалист свяжется с вами.", True),
    ("З повагою, команда сервісу", True),
    ("Дякую, все працює.", False),  # a customer thanks in the singular
    ("Спасибо за быструю доставку!", False),
    ("Refund took six weeks. Thanks for nothing.", False),
    ("Бажаємо, щоб доставка була швидшою.", False),  # one weak formula alone is a customer's too
    ("Вітаємо. Щоб закрити ці вікна, натисніть клавішу на пульті.", True),  # a brand's greeting opens it
    ("🔁 Марино, вітаємо! Комфортного користування", True),
    ("Телевізор чудовий, вітаємо виробника з гарною моделлю.", False),  # "вітаємо" inside a customer's words
    ("Вітаю! Пульт не працює з першого дня.", False),  # a customer greets in the singular
    ("Добрий день! Вдячні за позитивний відгук!", True),
    ("Доброго дня, Алло. Дякуємо за добрі слова.", True),
    ("Дякуємо за швидку доставку, все прийшло цілим.", False),  # a family's thanks for the delivery
])
def test_a_company_s_reply_to_a_customer_is_told_from_a_customer_s_words(text, reply):
    assert textprep.is_company_reply(text) is reply


@pytest.mark.parametrize("text, said_nothing", [
    ("Бажаємо легкої експлуатації на довгий час!", True),  # Rozetka's customer subject of 48 statements
    ("Бажаємо приємного та довготривалого користування.", True),
    ("Желаем приятного и долгого использования!", True),
    ("Бажаємо приємного користування, але пульт не працює.", False),  # a wish and a complaint: kept
])
def test_good_wishes_with_a_complement_say_nothing(text, said_nothing):
    assert textprep.is_boilerplate(text) is said_nothing
