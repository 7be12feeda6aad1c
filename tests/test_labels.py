"""Theme labels from a phrase the theme's comments share (eevp.themes.labels)."""

from eevp.themes.labels import phrase_label
from eevp.text.textprep import lemmatize_tokens


def test_the_shared_phrase_with_most_keywords_wins():
    texts = ([f"Honestly, long waiting times for {x} every week." for x in ("parts", "tools", "approvals", "leave")]
             + ["Waiting times are long here.", "The time we lose waiting is huge.", "Nobody fixes this."])
    assert phrase_label(texts, ["waiting", "time", "long", "week"], "en") == "Long waiting times"


def test_a_phrase_needs_enough_comments():
    texts = ["Long waiting times at the depot.", "Long waiting times at the gate."] + \
        [f"Other remark {i}" for i in range(8)]
    assert phrase_label(texts, ["waiting", "time", "long"], "en") is None
    # ... and enough of the theme: 3 of 100 comments is under 4%.
    many = [f"Long waiting times at the {p}." for p in ("depot", "gate", "desk")] + \
        [f"Other remark number {i}" for i in range(97)]
    assert phrase_label(many, ["waiting", "time", "long"], "en") is None
    assert phrase_label(many, ["waiting", "time", "long"], "en", min_share=0.03) == "Long waiting times"
    # One comment stored five times (five waves, or pasted into five answers) is one comment.
    repeated = ["Long waiting times at the depot."] * 5 + ["Long waiting times, again."]
    assert phrase_label(repeated, ["waiting", "time", "long"], "en") is None


def test_numbers_placeholders_and_joiners_break_phrases():
    waits = [f"Customers wait {n} minutes on hold" for n in (20, 30, 40, 50)]
    assert phrase_label(waits, ["wait", "minute"], "en") == "Customers wait"  # never "wait minutes"
    named = [f"[NAME] praised the night shift rota {w}" for w in ("today", "again", "twice", "openly")]
    assert phrase_label(named, ["name", "praised", "shift"], "en") == "Praised the night shift"
    joined = [f"Online and phone orders both fail {w}" for w in ("today", "again", "twice", "often")]
    assert phrase_label(joined, ["online", "phone"], "en") == "Phone orders"  # never across "and"


def test_skip_words_do_not_open_or_close_a_label():
    texts = ["Customers complain about late refunds", "customers complain about late refunds again",
             "Customers complain about late refunds, as always"]
    label = phrase_label(texts, ["customer", "complain", "refund", "late"], "en", skip=("customer",))
    assert label == "Complain about late refunds"


def test_russian_and_ukrainian_phrases_read_as_written():
    ru = ["Ноутбуки слишком медленные для работы", "ноутбуки слишком медленные, всё виснет",
          "Ноутбуки слишком медленные и старые"]
    assert phrase_label(ru, ["ноутбук", "медленный", "старый"], "ru") == "Ноутбуки слишком медленные"
    uk = ["Клієнти чекають повернення коштів тижнями", "Чекають повернення коштів місяць",
          "Люди чекають повернення коштів"]
    keywords = lemmatize_tokens("чекають повернення коштів", "uk")  # as c-TF-IDF gives them: lemmas
    assert phrase_label(uk, keywords, "uk") == "Чекають повернення коштів"


def test_comments_in_other_languages_are_not_read():
    texts = [f"Ноутбуки слишком медленные {w}" for w in ("сегодня", "опять", "везде", "всегда", "тут")]
    assert phrase_label(texts, ["ноутбук", "медленный"], "en") is None


def test_without_a_two_keyword_phrase_the_common_phrase_around_the_first_keyword_names_the_theme():
    texts = ([f"Senior management {x}." for x in ("ignore us", "never listen", "changes every year", "is remote")]
             + [f"Management style {x}" for x in ("is old", "varies")] + ["Too much work.", "Long shifts."])
    assert phrase_label(texts, ["management", "shift", "work"], "en") == "Senior management"
    assert phrase_label(texts[4:], ["management", "shift", "work"], "en") is None  # 2 comments: too few
