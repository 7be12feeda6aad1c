import pytest

from eevp.text import names
from eevp.text.names import find_names


def _no_language(text):
    raise AssertionError(f"the language of {text!r} was looked for")


@pytest.mark.parametrize("text, expected", [
    ("Ask Olena Petrenko, she knows. Customers wait too long.", [(4, 18)]),
    ("Честно говоря, клиенты ждут. Спасибо.", []),
    ("В нашем отделе pay is below the market.", []),
])
def test_the_language_is_not_looked_for_where_no_word_reads_differently(monkeypatch, text, expected):
    monkeypatch.setattr(names, "text_lang", _no_language)
    assert find_names(text) == expected


def test_the_language_is_looked_for_where_a_word_reads_differently(monkeypatch):
    text = "Олені сказали, що графік зміниться."
    word = "Олені"
    assert len({names.name_kind(word, lang) for lang in ("ru", "uk", "any")}) > 1
    asked = []
    real = names.text_lang
    monkeypatch.setattr(names, "text_lang", lambda t: asked.append(t) or real(t))
    assert find_names(text) == find_names(text, lang=real(text))
    assert asked == [text]
