"""Interface language: English, Russian, Ukrainian.

Strings are written in English in the code and looked up in ``resources/i18n/<lang>.json``;
a missing translation falls back to English. ``scripts/i18n_extract.py`` lists every interface
string and checks the catalogues (``--check``); ``tests/test_i18n.py`` runs the same check.

A finished message that is not a key itself (an error message built with an f-string, such as
"There is no batch 7. ...") is matched against the keys that hold ``{placeholders}``
("There is no batch {batch_id}. ..."): the translation is returned with the same values filled in.
A ``{field}`` placeholder holds an interface word (a field's label, "Exit date") and is translated too.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

LANGUAGES = {"en": "English", "ru": "Русский", "uk": "Українська"}
_DIR = Path(__file__).resolve().parent / "resources" / "i18n"


@cache
def _catalog(lang: str) -> dict[str, str]:
    path = _DIR / f"{lang}.json"
    if lang == "en" or not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def translate(text: str, lang: str = "en", **kwargs) -> str:
    """The interface string ``text`` in ``lang``, with ``{placeholders}`` filled from kwargs.

    Without kwargs, a text that is not a key may be a finished message of a templated key (see the
    module docstring); it is then translated with its values kept. Anything else stays as it is.
    """
    if lang == "en":
        out = text
    else:
        catalog = _catalog(lang)
        if text in catalog:
            out = catalog[text]
        elif not kwargs:
            return _from_template(text, lang)
        else:
            out = text
    return out.format(**kwargs) if kwargs else out


_PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)(?:![rsa])?(?::[^{}]*)?\}")
_MIN_LITERAL = 8  # a template must have this much fixed text to be matched against a message
_MAX_MESSAGE = 4000  # longer texts are not matched against templates


@cache
def _templates(lang: str) -> tuple[tuple[re.Pattern, str], ...]:
    """(pattern of a key with placeholders, its translation), most fixed text first."""
    found = []
    for key, value in _catalog(lang).items():
        parts, seen, pos = [], set(), 0
        for m in _PLACEHOLDER.finditer(key):
            parts.append(re.escape(_unescape(key[pos:m.start()])))
            name = m.group(1)
            parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.*?)")
            seen.add(name)
            pos = m.end()
        literal = len(_PLACEHOLDER.sub("", key))
        if not seen or literal < _MIN_LITERAL:
            continue
        parts.append(re.escape(_unescape(key[pos:])))
        found.append((literal, re.compile("".join(parts), re.DOTALL), value))
    found.sort(key=lambda f: -f[0])
    return tuple((pattern, value) for _, pattern, value in found)


def _from_template(text: str, lang: str) -> str:
    """``text`` translated through the first templated key it matches, or ``text`` unchanged."""
    if not isinstance(text, str) or not text or len(text) > _MAX_MESSAGE:
        return text
    for pattern, value in _templates(lang):
        m = pattern.fullmatch(text)
        if m:
            values, out, pos = m.groupdict(), [], 0
            for p in _PLACEHOLDER.finditer(value):
                listed = value[:p.start()].endswith("\n- ")
                filled = values.get(p.group(1))  # a {field} is an interface word (a field's label): translated too
                filled = translate(filled, lang) if p.group(1) == "field" and filled else _items(filled, lang, listed)
                out += [_unescape(value[pos:p.start()]), filled or p.group(0)]
                pos = p.end()
            return "".join(out) + _unescape(value[pos:])
    return text


def _items(value: str | None, lang: str, listed: bool = False) -> str | None:
    """A placeholder's value as filled in: a list of messages ("a\n- b", the problems of a column
    mapping; ``listed``: the placeholder is an item of a list, so one message alone is one too) has each
    message translated too; any other value (a name, a number) stays as it is."""
    if value is None or ("\n- " not in value and not listed):
        return value
    return "\n- ".join(translate(item, lang) for item in value.split("\n- "))


def _unescape(text: str) -> str:
    return text.replace("{{", "{").replace("}}", "}")


def placeholders(text: str) -> set[str]:
    """The names of the ``{placeholders}`` in an interface string (braces around anything else are text)."""
    return set(_PLACEHOLDER.findall(text.replace("{{", "").replace("}}", "")))


def pick_language(accept_language: str | None, saved: str | None = None) -> str:
    """The user's saved choice, else the browser's first supported language, else English."""
    if saved in LANGUAGES:
        return saved
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "en"


def format_number(value, lang: str = "en", decimals: int = 0) -> str:
    """Numbers as each language writes them: 1,234.5 (en) or 1 234,5 (ru, uk)."""
    if value is None or value != value:  # None or NaN (no eNPS question in a wave): no number to show
        return "—"
    s = f"{value:,.{decimals}f}"
    if lang in ("ru", "uk"):
        s = s.replace(",", "\u00a0").replace(".", ",")
    return s


def format_date(value, lang: str = "en") -> str:
    if value is None:
        return "—"
    return value.strftime("%d.%m.%Y") if lang in ("ru", "uk") else value.strftime("%Y-%m-%d")
