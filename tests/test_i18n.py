"""The interface in Russian and Ukrainian: every string the code shows has a real translation.

The strings come from ``scripts/i18n_extract.py`` (an ``ast`` pass over app.py, webui/, the pages and
the eevp modules whose texts are shown); the catalogues are ``eevp/resources/i18n/{ru,uk}.json``.
When a test here fails after you added or changed an interface string, run
``.venv/bin/python scripts/i18n_extract.py --write`` and translate the new entries (``--check`` lists
what is left).
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from tests.conftest import give_account
from eevp import i18n
from eevp.store.auth import CLI_USER

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("ru", "uk")


def _load_extractor():
    spec = importlib.util.spec_from_file_location("i18n_extract", ROOT / "scripts" / "i18n_extract.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["i18n_extract"] = module
    spec.loader.exec_module(module)
    return module


ex = _load_extractor()
FOUND = ex.collect(ROOT)
STRINGS = sorted(FOUND.strings)
CATALOGS = {lang: ex.load_catalog(lang) for lang in LANGS}

RUSSIAN_ONLY = set("ыэъёЫЭЪЁ")
UKRAINIAN_ONLY = set("іїєґІЇЄҐ")


def _fail(problems: list[str], what: str) -> None:
    if problems:
        shown = "\n".join(problems[:40]) + (f"\n… and {len(problems) - 40} more" if len(problems) > 40 else "")
        pytest.fail(f"{len(problems)} {what}. Run `.venv/bin/python scripts/i18n_extract.py --check`.\n{shown}")


# --------------------------------------------------------------------------- the extractor

def test_extractor_finds_the_interface():
    assert len(STRINGS) > 400
    expected = [
        "Upload data",                                   # t("...") on a page
        "Download CSV",                                  # webui/widgets.py
        "Upload", "Customer insights",                   # ui.PAGES titles
        "Survey batch (eNPS, ratings, comments)",        # KIND_LABELS
        "Identifiers (names, e-mails, phones: never stored in clear)",  # LIST_KEYS
        "Department, division or team.",                # mapping FIELDS descriptions
        "Respondent id",                                 # mapping field labels
        "Department", "department", "Role", "tenure",    # segments
        "Each point is one survey wave; hover for the exact value.",  # ui.chart how-to-read
        "No survey data yet. Upload a survey batch on the Upload page.",  # ui.stop_if_empty
        "marketing", "retention",                        # journey stages
        "Systemic", "Spread",                            # BADGE words
        "Customer knowledge and journey maps",           # maturity dimensions
        "Share of survey comments about customers",      # f-string over a literal tuple
        "Partly", "Leading",                             # ANSWERS, LEVEL_NAMES
        "Wrong username or password.",                   # eevp.errors messages
        "There is no batch {batch_id}. Run 'python -m eevp batches' to see the list.",
        "tagging statements",                            # analysis progress steps
    ]
    missing = [s for s in expected if s not in FOUND.strings]
    assert not missing, missing


def test_every_translated_expression_is_followed():
    """A ``t(variable)`` whose texts the extractor cannot find would stay English unnoticed: teach
    scripts/i18n_extract.py where its texts come from (CONTAINERS, CALL_ARGS, KNOWN_DYNAMIC)."""
    _fail(FOUND.unresolved, "translated expressions whose texts the extractor cannot follow")


def test_extractor_on_a_small_tree(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "eevp").mkdir()
    (tmp_path / "app.py").write_text(
        'import ui\n'
        't = ui.t\n'
        'LABELS = {"a": "Label one", "b": "Label two"}\n'
        'PAIRS = [("k", "Pair title", 1)]\n'
        't("Plain")\n'
        'ui.t("Implicit " "concatenation")\n'
        't("Yes branch" if x else "No branch")\n'
        't("Hello {name}", name=n)\n'
        't(LABELS[k])\n'
        'for key, title, _ in PAIRS:\n'
        '    t(title)\n'
        'ui.chart(c, "How to read it")\n'
        'ui.table(df, "key", caption="A caption")\n'
        'ui.stop_if_empty(df, "Nothing yet")\n'
        'st.selectbox(t("Pick"), ["first option", "second option"], format_func=t)\n'
        't(mystery)\n'
        't(f"not a key {x}")\n'
        'st.write("not translated")\n', encoding="utf-8")
    (tmp_path / "eevp" / "things.py").write_text(
        'from .errors import InputError\n'
        'HINT = "Try again."\n'
        'def f(n, kind):\n'
        '    raise InputError(f"There are {n} rows of {kind}. {HINT}")\n'
        'def g():\n'
        '    raise ValueError("internal, not shown")\n', encoding="utf-8")
    found = ex.collect(tmp_path)
    assert set(found.strings) == {
        "Label one", "Label two", "Pair title", "Plain", "Implicit concatenation", "Yes branch", "No branch",
        "Hello {name}", "How to read it", "A caption", "Nothing yet", "Pick", "first option", "second option",
        "There are {n} rows of {kind}. Try again."}
    assert [u.split(": ", 1)[1] for u in found.unresolved] == ["t: mystery", "t: f'not a key {x}'"]


def test_check_and_write(tmp_path, capsys):
    (tmp_path / "app.py").write_text('import ui\nui.t("Hello")\nui.t("eNPS")\n', encoding="utf-8")
    cat_dir = tmp_path / ex.CATALOG_DIR
    cat_dir.mkdir(parents=True)
    for lang in LANGS:
        (cat_dir / f"{lang}.json").write_text("{}", encoding="utf-8")
    assert ex.main(["--check", "--root", str(tmp_path)]) == 1
    assert "missing: 'Hello'" in capsys.readouterr().out
    assert ex.main(["--write", "--root", str(tmp_path)]) == 0
    assert json.loads((cat_dir / "ru.json").read_text(encoding="utf-8")) == {"eNPS": "eNPS", "Hello": "Hello"}
    capsys.readouterr()
    assert ex.main(["--check", "--root", str(tmp_path)]) == 1  # "Hello" is still English
    out = capsys.readouterr().out
    assert "not translated (still English): 'Hello'" in out and "'eNPS'" not in out
    for lang, word in (("ru", "Привет"), ("uk", "Привіт")):
        (cat_dir / f"{lang}.json").write_text(json.dumps({"eNPS": "eNPS", "Hello": word}), encoding="utf-8")
    assert ex.main(["--check", "--root", str(tmp_path)]) == 0


# --------------------------------------------------------------------------- the catalogues

@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_is_a_flat_json_object_of_strings(lang):
    raw = json.loads((ROOT / ex.CATALOG_DIR / f"{lang}.json").read_text(encoding="utf-8"))
    assert isinstance(raw, dict)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items())


@pytest.mark.parametrize("lang", LANGS)
def test_every_string_has_a_translation(lang):
    catalog = CATALOGS[lang]
    _fail([repr(s) for s in STRINGS if not catalog.get(s, "").strip()], f"strings without a {lang} translation")


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_are_kept(lang):
    catalog = CATALOGS[lang]
    bad = [f"{s!r}: {sorted(i18n.placeholders(catalog[s]))} != {sorted(i18n.placeholders(s))}"
           for s in STRINGS if s in catalog and i18n.placeholders(catalog[s]) != i18n.placeholders(s)]
    _fail(bad, f"{lang} translations whose {{placeholders}} differ from the English")


@pytest.mark.parametrize("lang", LANGS)
def test_markdown_markers_are_kept(lang):
    catalog = CATALOGS[lang]
    bad = []
    for s in STRINGS:
        value = catalog.get(s)
        if value is None:
            continue
        if value.count("**") % 2 or value.count("**") != s.count("**"):
            bad.append(f"bold: {s!r}")
        elif value.count("*") != s.count("*"):
            bad.append(f"italic: {s!r}")
        elif s.endswith(("\n", " ")) != value.endswith(("\n", " ")):  # e.g. a prefix joined to a value
            bad.append(f"trailing space: {s!r}")
    _fail(bad, f"{lang} translations with Markdown markers unlike the English")


@pytest.mark.parametrize("lang", LANGS)
def test_translations_are_not_left_in_english(lang):
    catalog = CATALOGS[lang]
    bad = [repr(s) for s in STRINGS if catalog.get(s) == s and not ex.may_stay_english(s)]
    _fail(bad, f"{lang} entries still in English")
    assert ex.may_stay_english("eNPS") and ex.may_stay_english("EVP") and not ex.may_stay_english("eNPS by group")


def _letters(text: str) -> str:
    """The text without placeholders and quoted examples from the other language."""
    text = re.sub(r"\{[^{}]*\}", "", text)
    return re.sub(r"\([^()]*(да/нет|так/ні)[^()]*\)", "", text)


def test_ukrainian_has_no_russian_only_letters():
    bad = [f"{s!r}: {v!r}" for s, v in CATALOGS["uk"].items() if RUSSIAN_ONLY & set(_letters(v))]
    _fail(bad, "Ukrainian translations with Russian-only letters (ы, э, ъ, ё)")


def test_russian_has_no_ukrainian_only_letters():
    bad = [f"{s!r}: {v!r}" for s, v in CATALOGS["ru"].items() if UKRAINIAN_ONLY & set(_letters(v))]
    _fail(bad, "Russian translations with Ukrainian-only letters (і, ї, є, ґ)")


def test_russian_and_ukrainian_differ():
    """Ukrainian is not Russian with a few letters swapped: most longer strings read differently."""
    long = [s for s in STRINGS if len(s) > 30 and s in CATALOGS["ru"] and s in CATALOGS["uk"]]
    same = [s for s in long if CATALOGS["ru"][s] == CATALOGS["uk"][s]]
    assert len(same) <= len(long) // 50, same


# --------------------------------------------------------------------------- eevp.i18n

def test_translate_fills_placeholders():
    assert i18n.translate("Batch {id} deleted.", "en", id=7) == "Batch 7 deleted."
    assert i18n.translate("Batch {id} deleted.", "ru", id=7) == "Пакет 7 удалён."
    assert i18n.translate("Batch {id} deleted.", "uk", id=7) == "Пакет 7 видалено."
    assert i18n.translate("Logged in as {name} ({role})", "uk", name="olena", role="hr") == \
        "Ви увійшли як olena (hr)"


def test_translate_plain_and_unknown():
    assert i18n.translate("Home", "ru") == "Главная"
    assert i18n.translate("Home", "uk") == "Головна"
    assert i18n.translate("Home", "en") == "Home"
    assert i18n.translate("A string nobody translated", "uk") == "A string nobody translated"
    assert i18n.translate("Sales", "ru") == "Sales"  # a name from the data stays as it is


def test_translate_finished_messages_through_their_template():
    """Error messages are built with f-strings; the app shows ``t(str(exc))``."""
    from eevp.analytics.customers import SystemicRule

    msg = "There is no batch 12. Run 'python -m eevp batches' to see the list."
    assert i18n.translate(msg, "ru") == "Пакета 12 нет. Запустите 'python -m eevp batches', чтобы увидеть список."
    assert i18n.translate(msg, "uk") == "Пакета 12 немає. Запустіть 'python -m eevp batches', щоб побачити список."
    assert i18n.translate(msg, "en") == msg
    explained = i18n.translate(SystemicRule(0.25, 0.1, 0.8).explain(), "uk")
    assert explained.startswith("Системна: тему порушують щонайменше в 25% підрозділів (у кожному кількість людей, "
                                "які її порушили, — не менше ніж 3)")
    assert "80%" in explained and "{" not in explained
    # A value that itself looks like a placeholder is kept as it is.
    assert i18n.translate("Unknown role '{x}'. Use one of: admin, hr.", "ru") == \
        "Неизвестная роль '{x}'. Используйте одну из: admin, hr."


def test_error_messages_reach_the_user_translated():
    from eevp.errors import InputError
    from eevp.intake.readers import read_table

    with pytest.raises(InputError) as info:
        read_table(b"", "empty.csv")
    assert i18n.translate(str(info.value), "uk") in {"Файл порожній.", "У файлі немає даних: усі рядки порожні."}


def test_each_problem_of_a_column_mapping_is_translated():
    # A Russian user uploading a file with no wave column read the heading in Russian and the problem in English.
    from eevp.errors import InputError
    from eevp.intake.mapping import check_mapping

    with pytest.raises(InputError) as info:
        check_mapping({"role": "q1", "department": "q1"}, ["q1", "q2"], "survey")
    ru = i18n.translate(str(info.value), "ru")
    assert ru.startswith("В сопоставлении столбцов есть проблемы (2):\n- Не хватает столбца для поля «Волна опроса»")
    assert "задайте одно значение для всех строк" in ru and "use each column once" not in ru
    assert "Стовпець «q1» використано для" in i18n.translate(str(info.value), "uk")
    assert i18n.translate("Column for 'wave' is missing.\n- two", "ru") == "Column for 'wave' is missing.\n- two"


def test_a_column_mapping_with_one_problem_is_translated_too():
    # Rozetka's reviews (no date column) uploaded as customer feedback in the Ukrainian interface: the heading
    # was Ukrainian, its one problem English, and the names to map read "Date, Date, Created, Created at".
    from eevp.errors import InputError
    from eevp.intake.mapping import check_mapping

    with pytest.raises(InputError) as info:
        check_mapping({"comment": "Відгук"}, ["Категорія", "Відгук"], "customer_feedback")
    uk = i18n.translate(str(info.value), "uk")
    assert uk.startswith("У зіставленні стовпців є проблеми (1):\n- Бракує стовпця для поля «Дата» — зіставте один із: ")
    assert "Date, Created, Дата, Дата отзыва або задайте одне значення для всіх рядків" in uk


def test_a_missing_field_is_named_as_the_upload_page_names_it():
    # The Russian exit answers (no date column) as exit interviews in the Russian interface: the problem named the
    # field «exit_date», a name the page shows nowhere; a {field} placeholder is an interface word, translated.
    from eevp.errors import InputError
    from eevp.intake.mapping import check_mapping

    with pytest.raises(InputError) as info:
        check_mapping({"text": ["q1"]}, ["q1"], "exit")
    assert "«Дата увольнения»" in i18n.translate(str(info.value), "ru")
    assert "«Дата звільнення»" in i18n.translate(str(info.value), "uk")
    with pytest.raises(InputError) as info:
        check_mapping({"session_date": "d"}, ["d", "n"], "focus")  # not a date: no value for every row
    assert "«Заметки»" in i18n.translate(str(info.value), "ru") and "для всех строк" not in str(info.value)


def test_format_number():
    assert i18n.format_number(1234.5, "en", 1) == "1,234.5"
    assert i18n.format_number(1234.5, "ru", 1) == "1\u00a0234,5"
    assert i18n.format_number(1234567, "uk") == "1\u00a0234\u00a0567"
    assert i18n.format_number(None, "ru") == "—"
    assert i18n.format_number(float("nan"), "en") == "—"  # a wave without the eNPS question


def test_format_date():
    assert i18n.format_date(date(2026, 3, 1), "en") == "2026-03-01"
    assert i18n.format_date(date(2026, 3, 1), "ru") == "01.03.2026"
    assert i18n.format_date(datetime(2026, 11, 25, 14, 0), "uk") == "25.11.2026"
    assert i18n.format_date(None, "uk") == "—"


def test_pick_language():
    assert i18n.pick_language("uk-UA,uk;q=0.9,en;q=0.8") == "uk"
    assert i18n.pick_language("ru-RU,ru;q=0.9") == "ru"
    assert i18n.pick_language("de-DE,de;q=0.9") == "en"
    assert i18n.pick_language("ru-RU", saved="uk") == "uk"
    assert i18n.pick_language(None) == "en"


# --------------------------------------------------------------------------- the pages, as a user sees them

PAGE_SCRIPTS = ["app.py"] + sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))
#: Interface parts whose whole text is the interface's own (no data in them).
LABEL_KINDS = ("title", "header", "subheader", "tabs", "button", "selectbox", "multiselect", "radio", "checkbox",
               "text_input", "number_input", "slider", "select_slider", "text_area", "toggle", "expander",
               "metric")
#: Parts that may also hold data (names of items, groups, quotes).
TEXT_KINDS = ("caption", "info", "warning", "success", "error", "markdown")
_ENGLISH_RUN = re.compile(r"\b[A-Za-z]{3,}\b[ ,;:]+\b[A-Za-z]{3,}\b")


@pytest.fixture(scope="module")
def demo_only(tmp_path_factory):
    """The demo organisation, stored but not analysed (themes and customer pages show their empty states)."""
    from eevp.bootstrap import load_demo
    from eevp.store.db import connect
    from eevp.settings import Settings

    folder = tmp_path_factory.mktemp("i18n-pages")
    settings = Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'eevp.db'}")
    engine = connect(settings.database_url)
    load_demo(engine, settings, actor=CLI_USER)
    engine.dispose()
    return folder


def _shown(at) -> list[tuple[str, str]]:
    out = []
    for kind in LABEL_KINDS + TEXT_KINDS:
        try:
            elements = list(getattr(at, kind))
        except (AttributeError, KeyError):
            continue
        for el in elements:
            text = getattr(el, "label", None) if kind in LABEL_KINDS else getattr(el, "value", None)
            if isinstance(text, str) and text:
                out.append((kind, text))
    return out


@pytest.mark.skipif(bool(__import__("os").environ.get("EEVP_TEST_DATABASE_URL")),
                    reason="builds its own SQLite demo database")
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("script", PAGE_SCRIPTS)
def test_pages_show_no_english_interface_text(demo_only, monkeypatch, script, lang):
    """Each page, run for an admin in Russian and Ukrainian: it runs, no shown text is an English
    interface string, and no label (title, tab, button, field, metric) has English words in it."""
    from streamlit.testing.v1 import AppTest

    from eevp.store.auth import User

    monkeypatch.setenv("EEVP_DATA_DIR", str(demo_only))
    monkeypatch.setenv("EEVP_DATABASE_URL", f"sqlite:///{demo_only / 'eevp.db'}")
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / script), default_timeout=180)
    at.session_state["user"] = User("i18n-admin", "admin")
    give_account(demo_only, at.session_state["user"])
    at.session_state["lang"] = lang
    at.session_state["tour_done"] = False
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    english = {s for s in STRINGS if not ex.may_stay_english(s)}
    bad = []
    for kind, text in _shown(at):
        plain = text.removeprefix("ℹ️ ").strip()
        if plain in english:
            bad.append(f"{kind}: {plain!r} (an English interface string)")
        elif kind in LABEL_KINDS:
            rest = plain
            for token in ex.SAME_IN_ALL:
                rest = re.sub(rf"(?<![A-Za-z]){re.escape(token)}(?![A-Za-z])", " ", rest)
            if _ENGLISH_RUN.search(rest):
                bad.append(f"{kind}: {plain!r} (English words in a label)")
    _fail(bad, f"English texts on {script} in {lang}")
