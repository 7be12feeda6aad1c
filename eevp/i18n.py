"""Interface language: English, Russian, Ukrainian.

Strings are written in English in the code and looked up in ``resources/i18n/<lang>.json``;
a missing translation falls back to English (and ``missing()`` lists them, for a test).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

LANGUAGES = {"en": "English", "ru": "Русский", "uk": "Українська"}
_DIR = Path(__file__).resolve().parent / "resources" / "i18n"


@lru_cache(maxsize=None)
def _catalog(lang: str) -> dict[str, str]:
    path = _DIR / f"{lang}.json"
    if lang == "en" or not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def translate(text: str, lang: str = "en", **kwargs) -> str:
    """The interface string ``text`` in ``lang``, with ``{placeholders}`` filled from kwargs."""
    out = _catalog(lang).get(text, text) if lang != "en" else text
    return out.format(**kwargs) if kwargs else out


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
    if value is None:
        return "—"
    s = f"{value:,.{decimals}f}"
    if lang in ("ru", "uk"):
        s = s.replace(",", "\u00a0").replace(".", ",")
    return s


def format_date(value, lang: str = "en") -> str:
    if value is None:
        return "—"
    return value.strftime("%d.%m.%Y") if lang in ("ru", "uk") else value.strftime("%Y-%m-%d")
