"""Canonical fields per source kind, suggested column mappings, checks and saved templates.

A mapping is a plain dict (also the CLI's ``--mapping`` JSON file)::

    {"role": "job_title", "wave": "date_review",
     "items": ["work_life_balance", "culture_values"], "text": ["pros", "cons"],
     "segments": [], "identifiers": [], "scale": {"min": 1, "max": 5}}

Single fields (see :data:`FIELDS`) map to one source column; list keys (see :data:`LIST_KEYS`)
map to lists of source columns; ``scale`` is optional (default 1–5). Focus-group notes are the
single field ``notes`` (one column); put several note columns together before upload.
"""

from __future__ import annotations

import hashlib
import json
import re
import statistics
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from eevp.errors import InputError
from eevp.intake.dates import parse_date_column
from eevp.intake.scales import label_scale, numbers_scale
from eevp.store import db
from eevp.store.auth import User, require
from eevp.text.names import is_cyrillic

__all__ = [
    "FIELDS",
    "KINDS",
    "LIST_KEYS",
    "FieldSpec",
    "EVERY_ROW",
    "check_mapping",
    "every_row_fields",
    "field_label",
    "fill_every_row",
    "find_template",
    "headers_key",
    "list_templates",
    "normalise_header",
    "save_template",
    "suggest_mapping",
    "template_frame",
    "tenure_in_months",
]

KINDS = ("survey", "exit", "focus", "evp_catalog", "evp_ratings", "customer_feedback")
DEFAULT_SCALE = {"min": 1, "max": 5}
#: Customer scores are NPS answers unless the mapping declares stars (``{"min": 1, "max": 5}``).
NPS_SCALE = {"min": 0, "max": 10}
_SAMPLE_ROWS = 2000
#: Most rating items one batch may declare: storing and validating is per item, and a file with
#: thousands of numeric columns is a data dump rather than a survey.
MAX_ITEMS = 500
#: Longest column name usable as a rating item (the stored item name's length).
MAX_ITEM_NAME = 200
#: Text fields whose values may well be small numbers ("Стаж, років": 3; a respondent code).
_NUMBER_FIELDS = frozenset({"tenure", "respondent_id"})
#: Single fields of free text: a column of numbers is never one of them.
_FREE_TEXT_FIELDS = frozenset({"comment", "notes", "description"})
#: Fewest answers in a column for its highest answer to tell where the scale ends.
_SCALE_GUESS_ROWS = 20

#: The mapping's key for values of fields a file has no column for, one value for every row
#: (``{"every_row": {"exit_date": "2026-03-31"}}``): :func:`fill_every_row`.
EVERY_ROW = "every_row"


@dataclass(frozen=True)
class FieldSpec:
    """One single-column canonical field.

    Attributes:
        name: canonical name (the mapping's key).
        type: "text", "date", "wave", "int", "score", "bool" or "list".
        required: whether a batch of this kind can be stored without it.
        description: one line for the Upload page and the templates.
        synonyms: header names (English, Russian, Ukrainian) that suggest this field.
    """

    name: str
    type: str
    required: bool
    description: str
    synonyms: tuple[str, ...] = ()


#: Header names (English, Russian, Ukrainian) that suggest each field ("kind.field" where a kind's
#: field has its own list) and each list key, in resources/mapping/synonyms.json.
_RESOURCES = Path(__file__).resolve().parents[1] / "resources" / "mapping"
_SYNONYMS = json.loads((_RESOURCES / "synonyms.json").read_text(encoding="utf-8"))


def _f(name, type_, required, description, key: str | None = None) -> FieldSpec:
    """A field whose synonyms are its name and the header names listed under ``key`` (default: its name)."""
    return FieldSpec(name, type_, required, description, (name, *_SYNONYMS["fields"][key or name]))


_RESPONDENT = _f("respondent_id", "text", False,
                 "An anonymous respondent code (hashed before storing); lets repeated answers be found.")
_ROLE = _f("role", "text", False, "Job role or position; the main group for reports.")
_DEPARTMENT = _f("department", "text", False, "Department, division or team.")
_LOCATION = _f("location", "text", False, "Office, city, region or site.")
_TENURE = _f("tenure", "text", False, "Time with the company: years (a number) or a band like '1-3 years'.")
_ENPS = _f("enps", "score", False, "eNPS answer, a whole number 0–10 ('How likely are you to recommend…').")
_WAVE = _f("wave", "wave", True, "Survey wave: a label ('2026-Q1') or the survey date (dates become quarters).")

FIELDS: dict[str, dict[str, FieldSpec]] = {
    "survey": {f.name: f for f in (_RESPONDENT, _WAVE, _ROLE, _DEPARTMENT, _LOCATION, _TENURE, _ENPS)},
    "exit": {f.name: f for f in (
        _RESPONDENT,
        _f("exit_date", "date", True, "Last working day (any common date format)."),
        _ROLE, _DEPARTMENT, _LOCATION, _TENURE,
        _f("reason", "text", False, "Main reason for leaving."),
        _f("regretted", "bool", False, "Was it a regretted loss? yes/no (да/нет, так/ні)."),
        _ENPS)},
    "focus": {f.name: f for f in (
        _f("session_date", "date", True, "Date of the session."),
        _f("role", "text", False, "The group's role (who took part).", "focus.role"),
        _DEPARTMENT, _LOCATION,
        _f("facilitator", "text", False, "Who ran the session (hashed before storing)."),
        _f("participants", "int", False, "Number of participants."),
        _f("notes", "text", True, "The notes or transcript of the session (one column)."))},
    "evp_catalog": {f.name: f for f in (
        _f("benefit", "text", True, "Benefit name."),
        _f("pillar", "text", False, "EVP pillar or category."),
        _f("description", "text", False, "What the benefit is."),
        _f("roles_offered", "list", True, "'all', or the roles it is offered to, separated by ; or ,"))},
    "evp_ratings": {f.name: f for f in (
        _RESPONDENT, _WAVE,
        FieldSpec("role", "text", True, _ROLE.description, _ROLE.synonyms),
        _DEPARTMENT,
        _f("benefit", "text", True, "Benefit name (as in the catalogue).", "evp_ratings.benefit"),
        _f("importance", "score", True, "How important the benefit is, 1–5."),
        _f("satisfaction", "score", True, "How satisfied with the benefit, 1–5."))},
    "customer_feedback": {f.name: f for f in (
        _f("date", "date", True, "When the customer wrote it (any common date format).", "customer_feedback.date"),
        _f("comment", "text", True, "What the customer wrote: a review, complaint, NPS comment or post."),
        _f("channel", "text", False, "Where it came from: review site, complaint, NPS survey, social, call note."),
        _f("score", "score", False, "The customer's score on the declared scale: NPS 0–10 or stars 1–5."),
        _f("product", "text", False, "Product or category."),
        _LOCATION)},
}

LIST_KEYS: dict[str, tuple[str, ...]] = {
    "survey": ("items", "text", "segments", "identifiers"),
    "exit": ("items", "text", "segments", "identifiers", "other_reasons"),
    "focus": ("segments", "identifiers"),
    "evp_catalog": ("identifiers",),
    "evp_ratings": ("segments", "identifiers"),
    "customer_feedback": ("segments", "identifiers"),
}
#: Every list key any kind knows; an empty list under one of them is accepted for any kind.
_ALL_LIST_KEYS = ("items", "text", "segments", "identifiers", "other_reasons")

_LIST_SYNONYMS = {key: tuple(words) for key, words in _SYNONYMS["lists"].items()}
_CONTAINS_MIN = 6  # a synonym this long (normalised) may also match inside a longer header

_BOOL_WORDS = {"true", "false", "yes", "no", "y", "n", "да", "нет", "так", "ні", "x", "+", "-", "0", "1"}
_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")
_PHONE = re.compile(r"^\+?[\d\s().-]{7,20}$")
_DIGIT = re.compile(r"\d")
_LINK = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)\S+$", re.IGNORECASE)
_UP, _LOW = "A-ZА-ЯЁІЇЄҐ", "a-zа-яёіїєґ'’-"
_PERSON = re.compile(rf"^[{_UP}][{_LOW}]+(?:\s+[{_UP}](?:[{_LOW}]+|\.))(?:\s+[{_UP}](?:[{_LOW}]+|\.))?$")


# --------------------------------------------------------------------------- header matching

def normalise_header(name: str) -> str:
    """Lower case, ``ё``→``е``, letters and digits only: ``"Job title"`` == ``"job_title"``."""
    return re.sub(r"[\W_]+", "", str(name).casefold().replace("ё", "е"))


def _synonym_table(kind: str) -> list[tuple[str, str]]:
    """(normalised synonym, target) pairs: targets are field names or list keys."""
    table = [(normalise_header(s), name) for name, spec in FIELDS[kind].items() for s in spec.synonyms]
    for key in LIST_KEYS[kind]:
        table += [(normalise_header(s), key) for s in _LIST_SYNONYMS.get(key, ())]
    return table


#: Short synonyms that count as one word of a longer header ("Индекс NPS", "Стаж, років").
_WHOLE_WORDS = frozenset(normalise_header(w) for words in _SYNONYMS["header_words"].values() for w in words)
#: Words of a tenure header that say its numbers are months ("Стаж (мес.)", "Months in company").
_MONTH_WORDS = frozenset(_SYNONYMS["tenure_months"])
#: Words of a short header that say its numbers are counts, amounts, years or codes ("count_unhelpful").
_NOT_RATING_WORDS = frozenset(_SYNONYMS["not_rating_words"])
#: Answers that judge something ("positive", "both"): SentiRuEval's "sentiment_service" names no product.
_SENTIMENT_LABELS = frozenset(_SYNONYMS["sentiment_labels"])
#: Share of a header-claimed eNPS column that must be whole numbers 0–10: the rest are typing errors
#: that validation reports ("11", "abc"), not a sign that the column is something else.
_ENPS_SHARE = 0.8


def tenure_in_months(header: str | None) -> bool:
    """Whether a tenure column's header says its numbers are months rather than years."""
    return bool(header) and bool(set(re.findall(r"[^\W\d_]+", str(header).casefold())) & _MONTH_WORDS)


def counts_header(header: str | None) -> bool:
    """Whether a short header (at most 3 words) says its numbers are counts, amounts, years or codes, never
    answers on a rating scale: Glassdoor's "count_unhelpful" (votes, 1–5 in the rows that have any)."""
    words = re.findall(r"[^\W\d_]+", str(header or "").casefold())
    return len(words) <= 3 and bool(set(words) & _NOT_RATING_WORDS)


def _header_match(header: str, table: list[tuple[str, str]], contains: bool) -> str | None:
    h = normalise_header(header)
    if not h:
        return None
    words = set(re.findall(r"[^\W_]+", str(header).casefold())) & _WHOLE_WORDS if contains else set()
    best, best_len = None, 0
    for syn, target in table:
        if syn == h:
            return target
        # "nps" as one word of the header ("Индекс NPS") is the eNPS question, "стаж" one of tenure;
        # other short synonyms ("team", "job") are too common inside item names to count. The longest
        # synonym found wins: "…порекомендуете компанию как место работы?" is the eNPS question, not a place.
        if contains and (syn in words or len(syn) >= _CONTAINS_MIN and syn in h) and len(syn) > best_len:
            best, best_len = target, len(syn)
    return best


# --------------------------------------------------------------------------- value profiles

@dataclass
class _Profile:
    n: int
    numbers: np.ndarray | None  # when (nearly) every value is a number
    unique_share: float
    n_unique: int
    median_len: float
    median_words: float
    boolean: bool
    emails: float
    phones: float
    persons: float
    loose_numbers: np.ndarray = None  # the values that are numbers, even when most are not
    links: float = 0.0  # share of web addresses ("https://…", "www.…"): never comments
    judgements: float = 0.0  # share of sentiment labels ("positive", "both"): never a product, role or place


def _profile(values: pd.Series) -> _Profile:
    # Plain Python over the (at most 2,000) sampled values: pandas' string methods cost ~20 ms a
    # column whatever its length, which made a 10,000-column file take minutes to map.
    s = [t for t in (str(v).strip() for v in values.dropna().tolist()) if t]
    n = len(s)
    if not n:
        return _Profile(0, None, 0.0, 0, 0.0, 0.0, False, 0.0, 0.0, 0.0, np.array([]))
    nums = pd.to_numeric(np.array([t.replace(",", ".") for t in s], dtype=object), errors="coerce")
    nums = np.asarray(nums, dtype=float)
    numeric = np.count_nonzero(~np.isnan(nums)) / n >= 0.98
    uniq = len(set(s))
    emails = phones = persons = links = 0.0
    # a handful of labels at most: a column of many values is no column of judgements
    judgements = sum(t.casefold() in _SENTIMENT_LABELS for t in s) / n if not numeric and uniq <= 20 else 0.0
    if not numeric and uniq / n >= 0.5:  # identifiers are mostly unique: skip the regexes otherwise
        emails = sum(1 for t in s if _EMAIL.match(t)) / n
        phones = sum(1 for t in s if _PHONE.match(t) and len(_DIGIT.findall(t)) >= 7) / n
        persons = sum(1 for t in s if _PERSON.match(t)) / n
        links = sum(1 for t in s if _LINK.match(t)) / n
    return _Profile(
        n=n, numbers=nums[~np.isnan(nums)] if numeric else None, unique_share=uniq / n,
        n_unique=uniq, median_len=float(statistics.median(len(t) for t in s)),
        median_words=float(statistics.median(len(t.split()) for t in s)),
        boolean=all(t.lower() in _BOOL_WORDS for t in s) and not numeric,
        emails=emails, phones=phones, persons=persons, loose_numbers=nums[~np.isnan(nums)], links=links,
        judgements=judgements)


def _looks_identifier(p: _Profile) -> bool:
    if p.emails >= 0.5:
        return True
    if p.numbers is None and p.phones >= 0.5 and p.unique_share >= 0.8:
        return True
    return p.persons >= 0.8 and p.unique_share >= 0.9 and p.n_unique >= 3


def _within(p: _Profile, lo: float, hi: float, integers: bool = True) -> bool:
    if p.numbers is None or not p.n:
        return False
    nums = p.numbers
    if p.n >= 10 and p.n_unique < 2:
        return False  # a constant column is not a rating
    return bool(((nums >= lo) & (nums <= hi)).all() and (not integers or (nums % 1 == 0).all()))


def _mostly_enps(p: _Profile) -> bool:
    """Most values are whole numbers 0–10 (the others are mistakes for validation to name)."""
    if not p.n or p.n_unique < 2:
        return False
    nums = p.numbers if p.numbers is not None else p.loose_numbers
    ok = np.count_nonzero((nums >= 0) & (nums <= 10) & (nums % 1 == 0))
    return ok / p.n >= _ENPS_SHARE


def _is_text(p: _Profile) -> bool:
    """Free text: long answers in words (not URLs or codes), mostly different from each other."""
    long_enough = p.median_len > 25 or p.median_words >= 5
    return (p.numbers is None and long_enough and p.median_words >= 3 and (p.unique_share >= 0.3 or p.n < 10)
            and p.links < 0.5)


def _is_segment(p: _Profile) -> bool:
    return p.numbers is None and p.n_unique <= 50 and p.unique_share <= 0.5


def _dates_share(values: pd.Series) -> float:
    s = values.dropna().head(300)
    s = s[s.astype(str).str.strip() != ""]
    if s.empty or s.astype(str).str.fullmatch(r"\d+([.,]\d+)?").all():
        return 0.0  # plain numbers are not taken for dates without a telling header
    _, bad = parse_date_column(s)
    return 1 - len(bad) / len(s)


# --------------------------------------------------------------------------- suggestion

def _sample(df: pd.DataFrame) -> pd.DataFrame:
    if len(df) <= _SAMPLE_ROWS:
        return df
    return df.sample(n=_SAMPLE_ROWS, random_state=0).sort_index()


def _empty_mapping(kind: str) -> dict:
    mapping: dict = {key: [] for key in LIST_KEYS[kind]}
    if "items" in LIST_KEYS[kind]:
        mapping["scale"] = dict(DEFAULT_SCALE)
    if kind == "customer_feedback":
        mapping["scale"] = dict(NPS_SCALE)
    return mapping


def _assign(mapping: dict, target: str, column: str, kind: str) -> bool:
    """Put ``column`` under ``target``; False when a single field is already taken."""
    if target in LIST_KEYS[kind]:
        mapping[target].append(column)
        return True
    if target in mapping:
        return False
    mapping[target] = column
    return True


def _header_fits(target: str, kind: str, p: _Profile, inside: bool = False) -> bool:
    """Value checks for header matches: eNPS must be 0–10, text fields must not be yes/no flags, nor (for a
    synonym found ``inside`` a longer header) scores 0–10: "score_service" scores the service, it names no
    product ("service" is a product synonym), "Оценка руководителя" is no role; nor sentiment labels."""
    if target == "enps":
        return _within(p, 0, 10) or _mostly_enps(p)
    if target == "text":  # answers in words; one-word ones too under a telling header, when there are many
        return p.n == 0 or (p.numbers is None and not p.boolean and (p.median_words >= 2 or p.n_unique > 50)
                            and (p.unique_share >= 0.3 or p.n < 10) and p.links < 0.5)
    if target == "score":
        return _within(p, 0, 10, integers=False) or p.n == 0
    if target in ("importance", "satisfaction"):
        return _within(p, 1, 10, integers=False) or p.n == 0
    spec = FIELDS[kind].get(target)
    if spec is None or spec.type != "text":
        return True
    if target in _FREE_TEXT_FIELDS and p.numbers is not None:
        return False  # "review_id" is no review
    if p.judgements >= 0.8:  # (nearly) every value a sentiment label
        return False  # "sentiment_service" (positive, negative, both) judges the service: it names no product
    return not (p.boolean or inside and target not in _NUMBER_FIELDS and _within(p, 0, 10))


def _by_headers(df: pd.DataFrame, kind: str, profiles: dict, mapping: dict, used: set) -> None:
    table = _synonym_table(kind)
    for contains in (False, True):
        for col in df.columns:
            if col in used:
                continue
            target = _header_match(col, table, contains)
            if target is None or not _header_fits(target, kind, profiles[col], inside=contains):
                continue
            if _assign(mapping, target, col, kind):
                used.add(col)


def _date_fallback(sample: pd.DataFrame, kind: str, profiles: dict, mapping: dict, used: set) -> None:
    """A required date field without a telling header takes the first column of dates."""
    for name, spec in FIELDS[kind].items():
        if spec.type not in ("date", "wave") or not spec.required or name in mapping:
            continue
        for col in sample.columns:
            if col in used or profiles[col].median_words > 4:
                continue
            if _dates_share(sample[col]) >= 0.8:
                mapping[name] = col
                used.add(col)
                break


def _by_values(sample: pd.DataFrame, kind: str, profiles: dict, mapping: dict, used: set,
               scale: dict) -> None:
    keys = LIST_KEYS[kind]
    fields = FIELDS[kind]
    # Several yes/no columns in an exit file are one reason each; a lone flag is just a segment. A constant
    # flag (IBM's leavers all have Attrition = Yes) is left out, so it makes no pair: OverTime was a reason.
    flags = [c for c in sample.columns if c not in used and profiles[c].boolean and profiles[c].n_unique > 1]
    flag_target = "other_reasons" if "other_reasons" in keys and len(flags) >= 2 else "segments"
    for col in sample.columns:
        if col in used:
            continue
        p = profiles[col]
        if not p.n or (p.n >= 10 and p.n_unique < 2):
            continue  # an empty or constant column says nothing: it is listed as unmapped
        target = None
        if _looks_identifier(p):
            target = "identifiers"
        elif "items" in keys and _within(p, scale["min"], scale["max"]) and not counts_header(col):
            target = "items"
        elif p.boolean:
            target = flag_target if flag_target in keys else None
        elif _is_text(p):
            if "text" in keys:
                target = "text"
            elif "notes" in fields and "notes" not in mapping:
                target = "notes"
            elif "comment" in fields and "comment" not in mapping:
                target = "comment"
            elif "description" in fields and "description" not in mapping:
                target = "description"
        elif _is_segment(p) and "segments" in keys:
            target = "segments"
        if target and _assign(mapping, target, col, kind):
            used.add(col)


def _by_scales(df: pd.DataFrame, kind: str, profiles: dict, mapping: dict, used: set) -> None:
    """Columns answered in the words of a scale ("Strongly agree", "Скорее согласен") are rating items,
    not segments; their labels and points go in ``mapping["labels"]`` (looked up in the whole column)."""
    if "items" not in LIST_KEYS[kind]:
        return
    for col in df.columns:
        if profiles[col].numbers is not None or (col in used and col not in mapping["items"]):
            continue
        if (found := label_scale(df[col])) is not None:
            if col not in used:
                mapping["items"].append(col)
                used.add(col)
            mapping.setdefault("labels", {})[col] = found


def suggest_mapping(df: pd.DataFrame, kind: str, scale: dict | None = None) -> dict:
    """Suggest a mapping from the headers (en/ru/uk synonyms) and the values.

    Headers first (exact matches, then a long synonym inside a header); then, for the columns left:
    e-mails, phones and person names → ``identifiers``; whole numbers within the scale → ``items``;
    yes/no flags → ``other_reasons`` (exit) or ``segments``; long free text → ``text`` (or ``notes``
    / ``description``); low-cardinality text → ``segments``. A required date field without a telling
    header takes the first column of dates. A column is used at most once. Value checks look at a
    sample of 2,000 rows.

    Args:
        df: the file as read by :func:`eevp.intake.readers.read_table`.
        kind: one of :data:`KINDS`.
        scale: the rating scale, e.g. ``{"min": 1, "max": 7}``; default: guessed from the columns of small
            whole numbers (:func:`eevp.intake.scales.numbers_scale`; 1–5 when they do not tell), customer
            feedback NPS 0–10.

    Returns:
        A mapping dict: mapped single fields, every list key of the kind, and ``scale`` for survey/exit.
    """
    _check_kind(kind)
    sample = _sample(df)
    profiles = {col: _profile(sample[col]) for col in sample.columns}
    mapping = _empty_mapping(kind)
    used: set = set()
    _by_headers(sample, kind, profiles, mapping, used)
    _by_scales(df, kind, profiles, mapping, used)
    _date_fallback(sample, kind, profiles, mapping, used)
    if scale is None and "items" in LIST_KEYS[kind]:  # the columns of numbers left, of enough answers each
        scale = numbers_scale([p.numbers for c, p in profiles.items() if c not in used and p.numbers is not None
                               and p.n >= _SCALE_GUESS_ROWS and not counts_header(c)], DEFAULT_SCALE)
    elif scale is None:
        scale = NPS_SCALE if kind == "customer_feedback" else DEFAULT_SCALE
    scale = dict(scale)
    if "scale" in mapping:
        mapping["scale"] = scale
    _by_values(sample, kind, profiles, mapping, used, scale)
    return mapping


# --------------------------------------------------------------------------- checks

def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise InputError(f"Unknown kind '{kind}'. Use one of: {', '.join(KINDS)}.")


#: Header names suggested for a missing field, where two of its synonyms of each script would not do.
_EXAMPLES = json.loads((_RESOURCES / "examples.json").read_text(encoding="utf-8"))


def _examples(spec: FieldSpec) -> str:
    """Header names to suggest for a field: English, Russian and Ukrainian ones (two of each script, each
    once: a field's own name is also its first synonym)."""
    if spec.name in _EXAMPLES:
        return _EXAMPLES[spec.name]
    names = list(dict.fromkeys(s.lower() for s in spec.synonyms))
    latin = [s for s in names if not is_cyrillic(s)][:2]
    return ", ".join(s.capitalize() for s in latin + [s for s in names if is_cyrillic(s)][:2])


def _as_list(value) -> list:
    if value is None or value == "":
        return []
    return [value] if isinstance(value, str) else list(value)


def _is_columns(value) -> bool:
    return value is None or isinstance(value, str) or (
        isinstance(value, list | tuple) and all(isinstance(v, str) for v in value))


def _scale_problems(scale) -> list[str]:
    if scale is None:
        return []
    try:
        lo, hi = float(scale["min"]), float(scale["max"])
    except (TypeError, KeyError, ValueError):
        return ["'scale' must look like {\"min\": 1, \"max\": 5}."]
    return [] if lo < hi else [f"The rating scale runs from {lo:g} to {hi:g}; 'min' must be below 'max'."]


def _label_problems(labels, items: list) -> list[str]:
    """``labels``: {item column: {"points": k, "words": {label: point}}} (see eevp.intake.scales)."""
    if not isinstance(labels, dict):
        return ["'labels' must look like {\"Q1\": {\"points\": 5, \"words\": {\"agree\": 4}}}."]
    problems = []
    for col, scale in labels.items():
        words = scale.get("words") if isinstance(scale, dict) else None
        if col not in items:
            problems.append(f"'labels' names the column '{col}', which is not a rating item; map it in 'items' "
                            "or leave it out of 'labels'.")
        elif not isinstance(words, dict) or not all(isinstance(n, int) and n >= 1 for n in words.values()):
            problems.append(f"The labels of '{col}' must give each word a whole number from 1, like "
                            "{\"words\": {\"agree\": 4}}.")
    return problems


def _item_problems(items, keys) -> list[str]:
    if "items" not in keys or not _is_columns(items):
        return []
    items = _as_list(items)
    problems = []
    if len(items) > MAX_ITEMS:
        problems.append(f"{len(items)} columns are mapped as rating items; eevp takes at most {MAX_ITEMS} per "
                        "file. Keep the rating questions in 'items' and leave the other columns unmapped, or split "
                        "the file.")
    for col in items:
        if len(col) > MAX_ITEM_NAME:
            problems.append(f"The rating item column '{col[:40]}…' has a name of {len(col)} characters; rename it "
                            f"to at most {MAX_ITEM_NAME} characters.")
    return problems


def check_mapping(mapping: dict, columns: list[str], kind: str) -> None:
    """Check a mapping against a file's columns; report every problem at once.

    Raises:
        InputError: unknown kind or field, a required field unmapped, a column that is not in
            the file, a column used twice, more than :data:`MAX_ITEMS` rating items, or an item
            name longer than :data:`MAX_ITEM_NAME` characters. The message lists each problem on
            its own line.
    """
    _check_kind(kind)
    if not isinstance(mapping, dict):
        raise InputError("The mapping must be a JSON object like {\"role\": \"Position\", \"items\": [...]}.")
    fields, keys, present = FIELDS[kind], LIST_KEYS[kind], set(columns)
    problems: list[str] = []
    uses: dict[str, list[str]] = {}
    for key, value in mapping.items():
        if key == "scale":
            problems += _scale_problems(value)
        elif key == EVERY_ROW:
            problems += _every_row_problems(value, kind, mapping)
        elif key == "labels" and "items" in keys:
            problems += _label_problems(value, _as_list(mapping.get("items")))
        elif key in fields:
            if value in (None, ""):
                continue
            if not isinstance(value, str):
                problems.append(f"'{key}' takes one column name, not {type(value).__name__} {value!r}.")
                continue
            uses.setdefault(value, []).append(key)
        elif key in _ALL_LIST_KEYS and not _is_columns(value):
            problems.append(f"'{key}' takes a list of column names, not {value!r}.")
        elif key in _ALL_LIST_KEYS and (key in keys or not _as_list(value)):
            for col in _as_list(value):
                uses.setdefault(col, []).append(key)
        else:
            known = ", ".join([*fields, *keys, "scale", EVERY_ROW])
            problems.append(f"'{key}' is not a field of {kind} data. Known fields: {known}.")
    problems += _item_problems(mapping.get("items"), keys)
    given = mapping.get(EVERY_ROW) if isinstance(mapping.get(EVERY_ROW), dict) else {}
    for name, spec in fields.items():
        if spec.required and not mapping.get(name) and spec.type in ("date", "wave") and not given.get(name):
            problems.append(f"Column for '{field_label(name)}' is missing — map one of: {_examples(spec)}, or set "
                            "one value for every row (a file without dates: the day or the wave it was collected).")
        elif spec.required and not mapping.get(name) and not given.get(name):
            problems.append(f"Column for '{field_label(name)}' is missing — map one of: {_examples(spec)}. If the "
                            "file has none, add that column to the file (the same value in every row will do).")
    shown = ", ".join(list(columns)[:15]) + (", …" if len(columns) > 15 else "")
    for col, targets in uses.items():
        if col not in present:
            problems.append(f"Column '{col}' (for {', '.join(repr(t) for t in targets)}) is not in the file. "
                            f"The file has: {shown}.")
        if len(targets) > 1:
            problems.append(f"Column '{col}' is used for {' and '.join(repr(t) for t in targets)}; use each column "
                            "once.")
    if problems:
        raise InputError(f"The column mapping has {len(problems)} problem(s):\n- " + "\n- ".join(problems))


def field_label(name: str) -> str:
    """A field as the Upload page names it ("exit_date" → "Exit date"), an interface word."""
    return "eNPS" if name == "enps" else name.replace("_", " ").capitalize()


def every_row_fields(kind: str) -> list[str]:
    """The required date and wave fields of ``kind``: those a file may lack and get one value for every row."""
    return [n for n, spec in FIELDS[kind].items() if spec.required and spec.type in ("date", "wave")]


def _every_row_problems(value, kind: str, mapping: dict) -> list[str]:
    """What is wrong with ``mapping["every_row"]`` (``{field: value}``, for fields a file has no column for)."""
    if not isinstance(value, dict):
        return [f"'{EVERY_ROW}' takes an object like {{\"exit_date\": \"2026-03-31\"}}, not {value!r}."]
    problems = []
    for name, given in value.items():
        if name not in every_row_fields(kind):
            problems.append(f"'{EVERY_ROW}' sets only {', '.join(every_row_fields(kind))} for {kind} data, not "
                            f"{name!r}.")
        elif not isinstance(given, str) or not given.strip():
            problems.append(f"'{EVERY_ROW}' needs a date or a wave label for '{name}', not {given!r}.")
        elif mapping.get(name):
            problems.append(f"'{name}' is taken from column '{mapping[name]}' and set for every row; choose one.")
    return problems


def fill_every_row(df: pd.DataFrame, mapping: dict) -> tuple[pd.DataFrame, dict]:
    """The frame with a column for each value ``mapping["every_row"]`` sets, and the mapping that maps the field
    to it instead (the same frame and mapping when it sets nothing). The column is named after the field
    ("exit_date (every row)"), so the stored mapping says where the value came from; validation then reads it as
    any other column."""
    given = mapping.get(EVERY_ROW) if isinstance(mapping, dict) else None
    if not given or not isinstance(given, dict):
        return df, mapping
    out, filled = df.copy(), {k: v for k, v in mapping.items() if k != EVERY_ROW}
    for name, value in given.items():
        column = f"{name} (every row)"
        while column in out.columns:
            column += " "
        out[column] = str(value).strip()
        filled[name] = column
    return out, filled


# --------------------------------------------------------------------------- templates

def _template_header(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def headers_key(columns) -> str:
    """sha256 (hex) of the sorted, normalised headers (stripped, case-folded, spaces collapsed)."""
    joined = "\n".join(sorted(_template_header(c) for c in columns))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def save_template(engine: Engine, name: str, kind: str, columns, mapping: dict, *, actor: User) -> int:
    """Save (or replace) the mapping for files of ``kind`` with these headers, as ``actor`` (whose
    role must allow uploads: AccessDenied otherwise).

    Returns:
        The template's id.
    """
    require(actor, "upload")
    _check_kind(kind)
    key = headers_key(columns)
    mapping = {k: v for k, v in mapping.items() if k != EVERY_ROW}  # a template is about columns, not this file
    values = {"name": name, "mapping_json": json.dumps(mapping, ensure_ascii=False), "created_at": db.now()}
    t = db.mapping_templates
    where = (t.c.kind == kind) & (t.c.headers_key == key)
    for _ in range(2):  # a concurrent insert of the same key: retry as an update
        try:
            with engine.begin() as conn:
                found = conn.execute(select(t.c.id).where(where)).scalar_one_or_none()
                if found is not None:
                    conn.execute(update(t).where(t.c.id == found).values(**values))
                    return int(found)
                return int(conn.execute(insert(t).values(kind=kind, headers_key=key, **values)
                                        .returning(t.c.id)).scalar_one())
        except IntegrityError:
            continue
    raise InputError("Could not save the mapping template; please try again.")


def _rename_to(mapping: dict, columns) -> dict:
    """Point a saved mapping at this file's spelling of the same headers."""
    actual = {_template_header(c): c for c in columns}

    def fix(value):
        if isinstance(value, str):
            return actual.get(_template_header(value), value)
        if isinstance(value, list):
            return [fix(v) for v in value]
        if isinstance(value, dict):  # labels: keyed by the item column
            return {fix(c): scale for c, scale in value.items()}
        return value

    return {k: (v if k == "scale" else fix(v)) for k, v in mapping.items()}


def find_template(engine: Engine, kind: str, columns) -> dict | None:
    """The saved mapping for files of ``kind`` with the same headers, or None."""
    t = db.mapping_templates
    with engine.connect() as conn:
        found = conn.execute(select(t.c.mapping_json).where(
            (t.c.kind == kind) & (t.c.headers_key == headers_key(columns)))).scalar_one_or_none()
    return None if found is None else _rename_to(json.loads(found), columns)


def list_templates(engine: Engine) -> list[dict]:
    """All saved templates (id, name, kind, headers_key, mapping, created_at), by kind then name."""
    t = db.mapping_templates
    with engine.connect() as conn:
        rows = conn.execute(select(t).order_by(t.c.kind, t.c.name, t.c.id)).mappings().all()
    return [{"id": r["id"], "name": r["name"], "kind": r["kind"], "headers_key": r["headers_key"],
             "mapping": json.loads(r["mapping_json"]), "created_at": r["created_at"]} for r in rows]


# --------------------------------------------------------------------------- example templates

#: The example file of each kind (canonical column names, three rows in English, Russian and Ukrainian).
_TEMPLATES: dict[str, dict[str, list]] = json.loads((_RESOURCES / "templates.json").read_text(encoding="utf-8"))


def template_frame(kind: str) -> pd.DataFrame:
    """An example file for ``kind``: canonical column names and three example rows (en, ru, uk).

    The survey example has three rating items (Career growth, Manager support, Workload) and one
    comment column; ``suggest_mapping`` maps every column of it back.
    """
    _check_kind(kind)
    return pd.DataFrame(_TEMPLATES[kind])
