"""One pymorphy3 analyser per language, loaded on first use and shared by every module that lemmatises."""

from __future__ import annotations

from functools import cache


@cache
def analyzer(lang: str):
    """The pymorphy3 ``MorphAnalyzer`` of ``lang`` ("ru" or "uk"): its dictionaries load once per process.

    pymorphy3 is imported here, on first use, so that importing eevp stays fast.
    """
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)
