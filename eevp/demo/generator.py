"""Demo organisation: a realistic, multilingual (English, Russian, Ukrainian) company for first runs.

:func:`generate` builds about 2,000 employees of a fictional distribution company over one year
(1 October 2025 – 30 September 2026): four quarterly survey waves, exit interviews, focus-group
notes and the EVP (benefit catalogue and ratings), as frames shaped like CSV exports, together with
the column mapping of each kind. Everything comes from ``numpy.random.default_rng(seed)`` and a
fixed reference date, so the same seed gives the same data.

Free text is written from templates with inline alternatives (``{a|b|c}``) and slot fillers, in
the employee's language (chosen by location: Ukrainian offices mostly Ukrainian, Almaty mostly
Russian, London and Warsaw mostly English; about 45% / 30% / 25% English / Russian / Ukrainian).

Planted patterns that the dashboards should reveal (also in :data:`PLANTED`):

1. ``career_growth_decline`` — Software Engineers' "Career growth" favourability falls every wave
   (about 70% → 55% → 40% → 28%) and their eNPS falls with it.
2. ``systemic_customer_issues`` — customer-facing staff (Sales, Customer Support, Delivery) describe
   late deliveries, sales over-promising, and customers waiting on the hotline with no callback, in
   survey comments, exit interviews and focus groups, from nearly every department.
3. ``local_billing_issue`` — billing errors / double-charged invoices are mentioned only by the
   Finance department (dozens of statements from dozens of people): a *local* customer problem.
4. ``benefit_not_offered`` — "Remote work" is not offered to Customer Support Agents, yet they rate
   its importance about 4.6; ``learning_budget_gap`` — "Learning budget" is important to everyone
   (about 4.3) but satisfaction is low (about 2.3).
5. ``regretted_leavers`` — regretted leavers are concentrated among Software Engineers, and the
   exit reason "Career growth" rises quarter after quarter.
6. ``department_heatmap`` — Logistics is low on "Workload is manageable", Customer Service on
   "Flexibility", IT high on "Tools and resources".
7. ``personal_data`` — about 1% of comments name a colleague (from ``employee_name``), give an
   e-mail address or a phone number, for the redaction demo.
8. ``customer_traps`` — comments that say "client" without meaning customers ("the e-mail client
   crashes", IT's "internal clients").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd

from eevp.demo.customer_voice import MAPPING as CUSTOMER_MAPPING
from eevp.demo.customer_voice import customer_feedback
from eevp.errors import InputError

__all__ = ["EXIT_ITEMS", "ITEMS", "PLANTED", "WAVES", "DemoData", "generate"]

PLANTED: dict[str, str] = {
    "career_growth_decline": "Software Engineer: 'Career growth' favourability falls each wave "
                             "(~70% → 55% → 40% → 28%) and their eNPS falls too.",
    "systemic_customer_issues": "Late deliveries (delivery), sales over-promising (sales) and customers "
                                "waiting on the hotline with no callback (support) are raised by customer-facing "
                                "staff and by nearly every department: systemic.",
    "local_billing_issue": "Billing errors / double-charged invoices are raised only by the Finance department "
                           "(well over 15 statements from over 10 people): local.",
    "benefit_not_offered": "'Remote work' is offered to every office role but not to Customer Support Agent, "
                           "whose mean importance for it is ~4.6.",
    "learning_budget_gap": "'Learning budget': importance ~4.3 for everyone, satisfaction ~2.3 (largest gap).",
    "regretted_leavers": "Regretted leavers are concentrated among Software Engineers; the share of exits "
                         "with reason 'Career growth' rises every quarter.",
    "department_heatmap": "Logistics is low on 'Workload is manageable', Customer Service low on 'Flexibility', "
                          "IT high on 'Tools and resources'.",
    "personal_data": "About 1% of comments contain a colleague's name (from employee_name), an e-mail "
                     "address or a phone number, to show redaction.",
    "customer_traps": "Some comments use 'client' without meaning customers: the e-mail client, IT's internal "
                      "clients.",
}

WAVES = ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")
_WAVE_DATES = (date(2025, 11, 15), date(2026, 2, 15), date(2026, 5, 15), date(2026, 8, 15))
_YEAR_START = date(2025, 10, 1)
_YEAR_END = date(2026, 9, 30)
_RESPONSE_RATE = (0.82, 0.77, 0.74, 0.79)

ITEMS = ("Career growth", "Manager support", "Workload is manageable", "Tools and resources", "Recognition",
         "Pay is fair", "Team collaboration", "Flexibility", "Customer focus", "Proud to work here",
         "Wellbeing support", "Clear goals")
EXIT_ITEMS = ("Career growth", "Manager support", "Pay is fair", "Workload is manageable", "Recognition",
              "Team collaboration")
Q_IMPROVE = "What should we improve?"
Q_CUSTOMERS = "What do our customers struggle with?"
Q_WHY = "Why are you leaving?"
Q_EXIT_CUSTOMERS = "What would you tell us about our customers?"
Q_KEEP = "What could we have done to keep you?"

LANGS = ("en", "ru", "uk")
LOCATIONS = ("Kyiv", "Lviv", "Kharkiv", "Warsaw", "London", "Almaty")
#: language shares (en, ru, uk) per location
_LANG_BY_LOCATION = {
    "Kyiv": (0.25, 0.38, 0.37), "Lviv": (0.15, 0.10, 0.75), "Kharkiv": (0.10, 0.60, 0.30),
    "Warsaw": (0.85, 0.10, 0.05), "London": (0.97, 0.02, 0.01), "Almaty": (0.35, 0.65, 0.00),
}
_LOC_OFFICE = (0.30, 0.12, 0.06, 0.15, 0.22, 0.15)
_LOC_FIELD = (0.30, 0.14, 0.12, 0.16, 0.08, 0.20)

# role: (headcount share, {department: share}, field role?)
ROLES = {
    "Customer Support Agent": (0.18, {"Customer Service": 1.0}, True),
    "Sales Representative": (0.15, {"Sales": 1.0}, False),
    "Account Manager": (0.08, {"Sales": 0.75, "Customer Service": 0.25}, False),
    "Delivery Driver": (0.15, {"Logistics": 1.0}, True),
    "Warehouse Operative": (0.16, {"Operations": 0.65, "Logistics": 0.35}, True),
    "Software Engineer": (0.12, {"IT": 1.0}, False),
    "Finance Analyst": (0.06, {"Finance": 1.0}, False),
    "HR Specialist": (0.04, {"HR": 1.0}, False),
    "Marketing Specialist": (0.06, {"Marketing": 1.0}, False),
}
ROLE_NAMES = tuple(ROLES)
DEPARTMENTS = ("Sales", "Customer Service", "Logistics", "Operations", "IT", "Finance", "HR", "Marketing")
CUSTOMER_FACING = ("Customer Support Agent", "Sales Representative", "Account Manager", "Delivery Driver")
PLANTED_ROLE = "Software Engineer"
_CAREER_FAV = (0.70, 0.55, 0.40, 0.28)
TENURE_BANDS = ("<1 year", "1-3 years", "3-5 years", "5+ years")
EXIT_REASONS = ("Pay", "Career growth", "Management", "Workload", "Relocation", "Personal", "Better offer")
DOMAIN = "northwind-demo.example"

# --------------------------------------------------------------------------- phrases
# The templates live in eevp/resources/demo/phrases.json. Inline alternatives {a|b|c} are expanded at
# random (innermost first); an empty alternative drops the part. <Cn>/<Cg>/<Cd> are the customer word
# in the nominative / genitive / dative plural.

_PHRASES_FILE = Path(__file__).resolve().parents[1] / "resources" / "demo" / "phrases.json"


def _load_phrases(path: Path = _PHRASES_FILE) -> tuple[dict, dict[str, dict[str, tuple[str, ...]]]]:
    """The customer words and the statement templates (theme → language → templates), read once."""
    data = json.loads(path.read_text(encoding="utf-8"))
    phrases = {theme: {lang: tuple(templates) for lang, templates in by_lang.items()}
               for theme, by_lang in data["phrases"].items()}
    return data["customer_words"], phrases


_CUSTOMER_WORDS, PHRASES = _load_phrases()

GENERAL_THEMES = ("career", "manager", "workload", "tools", "recognition", "pay", "collaboration",
                  "flexibility", "wellbeing", "goals")
CUSTOMER_THEMES = ("delivery", "oversell", "hotline", "billing", "app", "damaged", "returns")
#: survey item behind each general theme (low ratings make the theme likelier in comments)
_THEME_ITEM = {"career": "Career growth", "manager": "Manager support", "workload": "Workload is manageable",
               "tools": "Tools and resources", "recognition": "Recognition", "pay": "Pay is fair",
               "collaboration": "Team collaboration", "flexibility": "Flexibility", "wellbeing": "Wellbeing support",
               "goals": "Clear goals"}
#: what each role says about customers (theme → weight); billing only in Finance
_CUSTOMER_MIX = {
    "Customer Support Agent": {"hotline": .40, "delivery": .20, "oversell": .15, "returns": .10, "app": .15},
    "Sales Representative": {"oversell": .35, "delivery": .25, "hotline": .15, "app": .10, "returns": .15},
    "Account Manager": {"oversell": .25, "delivery": .25, "hotline": .25, "returns": .10, "app": .15},
    "Delivery Driver": {"delivery": .45, "damaged": .20, "app": .10, "hotline": .15, "returns": .10},
    "Warehouse Operative": {"damaged": .30, "delivery": .35, "returns": .20, "oversell": .05, "hotline": .10},
    "Software Engineer": {"app": .40, "hotline": .15, "delivery": .15, "internal_client": .30},
    "Finance Analyst": {"billing": .55, "delivery": .15, "hotline": .15, "returns": .15},
    "HR Specialist": {"hotline": .30, "delivery": .30, "app": .20, "no_contact": .20},
    "Marketing Specialist": {"app": .30, "oversell": .20, "hotline": .20, "delivery": .20, "returns": .10},
}
_EXIT_THEMES = {"Pay": ("pay", "keep_pay"), "Career growth": ("career", "keep_career"),
                "Management": ("manager", "keep_manager"), "Workload": ("workload", "keep_workload"),
                "Relocation": ("relocation", "keep_flex"), "Personal": ("personal", "keep_nothing"),
                "Better offer": ("better_offer", "keep_pay")}

_BOILERPLATE = {
    "en": ("n/a", "N/A", "-", "no comment", "Nothing to add.", "nothing"),
    "ru": ("нет", "Нет", "нечего добавить", "без комментариев"),
    "uk": ("немає", "Нічого", "без коментарів", "нічого додати"),
}
_TAILS = {
    "en": (" This has been going on for months.", " It is really frustrating.", " Please do something about it.",
           " Everyone in the team says the same."),
    "ru": (" Это продолжается уже несколько месяцев.", " Это очень раздражает.", " Пожалуйста, сделайте что-нибудь.",
           " Вся команда говорит то же самое."),
    "uk": (" Це триває вже кілька місяців.", " Це дуже дратує.", " Будь ласка, зробіть щось із цим.",
           " Уся команда каже те саме."),
}
_PII = {
    "en": ("$NAME in our team can confirm this.", "You can reach me at $EMAIL.",
           "Call me on $PHONE if you need details.", "Ask $NAME, they know the details."),
    "ru": ("Это может подтвердить $NAME из нашей команды.", "Пишите мне на $EMAIL.",
           "Мой телефон $PHONE, звоните.", "Подробности знает $NAME."),
    "uk": ("Це може підтвердити $NAME з нашої команди.", "Пишіть мені на $EMAIL.",
           "Мій телефон $PHONE, телефонуйте.", "Подробиці знає $NAME."),
}
_PHONE_FORMATS = {"Kyiv": "+380 67 ### ## ##", "Lviv": "+380 50 ### ## ##", "Kharkiv": "+380 93 ### ## ##",
                  "Warsaw": "+48 6## ### ###", "London": "+44 7700 9#####", "Almaty": "+7 701 ### ## ##"}

# --------------------------------------------------------------------------- names
# (native spelling, Latin spelling for e-mail); Russian surnames as (masculine, feminine, latin)
_UK_FIRST = {"M": [("Олександр", "oleksandr"), ("Андрій", "andrii"), ("Дмитро", "dmytro"), ("Сергій", "serhii"),
                   ("Іван", "ivan"), ("Тарас", "taras"), ("Максим", "maksym"), ("Богдан", "bohdan")],
             "F": [("Олена", "olena"), ("Ірина", "iryna"), ("Наталія", "nataliia"), ("Оксана", "oksana"),
                   ("Юлія", "yuliia"), ("Катерина", "kateryna"), ("Марія", "mariia"), ("Софія", "sofiia")]}
_UK_LAST = [("Петренко", "petrenko"), ("Шевченко", "shevchenko"), ("Коваленко", "kovalenko"),
            ("Бондаренко", "bondarenko"), ("Ткаченко", "tkachenko"), ("Мельник", "melnyk"), ("Кравчук", "kravchuk"),
            ("Бойко", "boiko"), ("Лисенко", "lysenko"), ("Гнатюк", "hnatiuk"), ("Савчук", "savchuk"),
            ("Поліщук", "polishchuk")]
_RU_FIRST = {"M": [("Иван", "ivan"), ("Алексей", "aleksei"), ("Дмитрий", "dmitrii"), ("Сергей", "sergei"),
                   ("Артём", "artem"), ("Никита", "nikita"), ("Михаил", "mikhail"), ("Ерлан", "erlan")],
             "F": [("Анна", "anna"), ("Мария", "maria"), ("Екатерина", "ekaterina"), ("Ольга", "olga"),
                   ("Татьяна", "tatiana"), ("Светлана", "svetlana"), ("Айгерим", "aigerim"), ("Дарья", "daria")]}
_RU_LAST = [("Иванов", "Иванова", "ivanov"), ("Смирнов", "Смирнова", "smirnov"), ("Кузнецов", "Кузнецова", "kuznetsov"),
            ("Попов", "Попова", "popov"), ("Соколов", "Соколова", "sokolov"), ("Лебедев", "Лебедева", "lebedev"),
            ("Морозов", "Морозова", "morozov"), ("Волков", "Волкова", "volkov"), ("Ахметов", "Ахметова", "akhmetov"),
            ("Касымов", "Касымова", "kasymov"), ("Новиков", "Новикова", "novikov")]
_EN_FIRST = {"M": ["John", "James", "Oliver", "Harry", "Daniel", "Thomas", "George", "Jack"],
             "F": ["Emma", "Sophie", "Olivia", "Emily", "Charlotte", "Grace", "Amelia", "Lucy"]}
_EN_LAST = ["Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Clarke", "Walker", "Wright", "Hughes"]
_PL_FIRST = {"M": [("Piotr", "piotr"), ("Tomasz", "tomasz"), ("Paweł", "pawel"), ("Michał", "michal"),
                   ("Jakub", "jakub")],
             "F": [("Anna", "anna"), ("Katarzyna", "katarzyna"), ("Magdalena", "magdalena"),
                   ("Agnieszka", "agnieszka"), ("Zofia", "zofia")]}
_PL_LAST = [("Nowak", "Nowak", "nowak"), ("Kowalski", "Kowalska", "kowalski"), ("Wiśniewski", "Wiśniewska", "wisniewski"),
            ("Wójcik", "Wójcik", "wojcik"), ("Kamiński", "Kamińska", "kaminski"), ("Lewandowski", "Lewandowska", "lewandowski")]
_FACILITATORS = {"en": ("Emma Clarke", "Anna Nowak"), "ru": ("Дмитрий Соколов", "Айгерим Касымова"),
                 "uk": ("Оксана Мельник", "Тарас Гнатюк")}

# --------------------------------------------------------------------------- EVP
_ALL_OFFICE = "Sales Representative; Account Manager; Software Engineer; Finance Analyst; HR Specialist; Marketing Specialist"
# benefit: (pillar, description, roles_offered, importance mean, satisfaction mean)
BENEFITS = {
    "Competitive base pay": ("Pay & reward", "Salaries reviewed every year against the market.", "all", 4.6, 2.9),
    "Annual bonus": ("Pay & reward", "Bonus of up to 15% of salary tied to company and team results.",
                     _ALL_OFFICE, 4.0, 2.8),
    "Transport allowance": ("Pay & reward", "Monthly allowance for fuel or public transport.",
                            "Delivery Driver; Sales Representative; Account Manager; Warehouse Operative", 3.6, 3.3),
    "Learning budget": ("Growth", "Up to 1,000 EUR a year for courses, books and conferences.", "all", 4.3, 2.3),
    "Mentoring programme": ("Growth", "A mentor from another team for six months.", "all", 3.4, 3.3),
    "Internal mobility": ("Growth", "Open internal vacancies first to current staff.", "all", 3.7, 2.9),
    "Remote work": ("Flexibility", "Up to three days a week from home.", _ALL_OFFICE, 3.9, 3.9),
    "Flexible hours": ("Flexibility", "Start between 8 and 10 am; core hours 10–4.", "all", 3.8, 3.2),
    "Private health insurance": ("Wellbeing", "Medical insurance including family members.", "all", 4.4, 3.8),
    "Mental health support": ("Wellbeing", "Free, confidential sessions with a psychologist.", "all", 3.5, 3.1),
    "Gym membership": ("Wellbeing", "Discounted membership at partner gyms.", "all", 2.9, 3.4),
    "Meal allowance": ("Wellbeing", "Daily meal vouchers for shift workers.",
                       "Warehouse Operative; Delivery Driver; Customer Support Agent", 3.8, 3.5),
    "Team events": ("Culture", "Quarterly team events and a yearly company party.", "all", 2.8, 3.7),
    "Recognition awards": ("Culture", "Peer-nominated awards every quarter.", "all", 3.2, 2.9),
    "Volunteering days": ("Purpose", "Two paid days a year for volunteering.", "all", 2.7, 3.6),
}
_FIELD_ROLES = ("Delivery Driver", "Warehouse Operative")
_RATED_PER_PERSON = 5


@dataclass
class DemoData:
    """The demo organisation, one frame per source kind, shaped like CSV exports.

    Attributes:
        survey, exit, focus, evp_catalog, evp_ratings: the frames.
        mappings: per kind, the column mapping (the JSON shape the ingest step takes).
        headcount: employees on the books at each survey wave (for response rates).
        customer_feedback: what customers write (:mod:`eevp.demo.customer_voice`, its own random stream).
    """

    survey: pd.DataFrame
    exit: pd.DataFrame
    focus: pd.DataFrame
    evp_catalog: pd.DataFrame
    evp_ratings: pd.DataFrame
    mappings: dict[str, dict]
    headcount: dict[str, int] = field(default_factory=dict)
    customer_feedback: pd.DataFrame = field(default_factory=pd.DataFrame)


# --------------------------------------------------------------------------- text helpers

_ALT = re.compile(r"\{([^{}]*)\}")


def _expand(rng: np.random.Generator, template: str, lang: str) -> str:
    """Fill customer words and pick one option of every ``{a|b|c}`` (innermost first)."""
    for token, words in _CUSTOMER_WORDS[lang].items():
        template = template.replace(token[:-1] + ":cap>", "^" + words).replace(token, words)
    while "{" in template:
        template = _ALT.sub(lambda m: (opts := m.group(1).split("|"))[int(rng.integers(len(opts)))], template)
    # "^word" marks a word that starts the sentence
    return re.sub(r"\^(\w)", lambda m: m.group(1).upper(), template)


def say(rng: np.random.Generator, theme: str, lang: str, tail: float = 0.0) -> str:
    """One statement on ``theme`` in ``lang``, with a generic tail sentence with probability ``tail``."""
    templates = PHRASES[theme][lang]
    text = _expand(rng, templates[int(rng.integers(len(templates)))], lang)
    if tail and rng.random() < tail:
        text += _TAILS[lang][int(rng.integers(len(_TAILS[lang])))]
    return text


def _pick(rng: np.random.Generator, weights: dict[str, float]) -> str:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def _phone(rng: np.random.Generator, location: str) -> str:
    return re.sub("#", lambda _: str(int(rng.integers(10))), _PHONE_FORMATS[location])


def _pii_sentence(rng: np.random.Generator, lang: str, colleague: str, email: str, location: str) -> str:
    template = _PII[lang][int(rng.integers(len(_PII[lang])))]
    return (template.replace("$NAME", colleague).replace("$EMAIL", email)
            .replace("$PHONE", _phone(rng, location)))


# --------------------------------------------------------------------------- people

def _name(rng: np.random.Generator, lang: str, location: str, gender: str) -> tuple[str, str, str]:
    """(display name, latin first, latin last) — native script for ru/uk speakers."""
    g = gender if gender in ("M", "F") else ("M", "F")[int(rng.integers(2))]
    fem = g == "F"
    if lang == "uk" or (lang == "en" and location in ("Kyiv", "Lviv", "Kharkiv")):
        first, f_lat = _UK_FIRST[g][int(rng.integers(len(_UK_FIRST[g])))]
        last, l_lat = _UK_LAST[int(rng.integers(len(_UK_LAST)))]
    elif lang == "ru" or location == "Almaty":
        first, f_lat = _RU_FIRST[g][int(rng.integers(len(_RU_FIRST[g])))]
        m, f, l_lat = _RU_LAST[int(rng.integers(len(_RU_LAST)))]
        last, l_lat = (f, l_lat + "a") if fem else (m, l_lat)
    elif location == "Warsaw":
        first, f_lat = _PL_FIRST[g][int(rng.integers(len(_PL_FIRST[g])))]
        m, f, l_lat = _PL_LAST[int(rng.integers(len(_PL_LAST)))]
        last = f if fem else m
        l_lat = l_lat[:-1] + "a" if fem and l_lat.endswith("i") else l_lat
    else:
        first = _EN_FIRST[g][int(rng.integers(len(_EN_FIRST[g])))]
        last = _EN_LAST[int(rng.integers(len(_EN_LAST)))]
        f_lat, l_lat = first.lower(), last.lower()
    if lang == "en" and location in ("Kyiv", "Lviv", "Kharkiv", "Almaty"):
        return f"{f_lat.title()} {l_lat.title()}", f_lat, l_lat  # English speakers write their name in Latin
    return f"{first} {last}", f_lat, l_lat


def _staff(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """Everyone on the books on the first day of the year (before leavers and hires)."""
    shares = np.array([ROLES[r][0] for r in ROLE_NAMES])
    role = rng.choice(len(ROLE_NAMES), size=n, p=shares / shares.sum())
    rows = []
    for i in range(n):
        r = ROLE_NAMES[role[i]]
        _, depts, field_role = ROLES[r]
        dept = list(depts)[int(rng.choice(len(depts), p=np.array(list(depts.values()))))]
        rows.append(_person(rng, f"E{i + 1:05d}", r, dept, None, field_role,
                            hired=_YEAR_START - timedelta(days=int(rng.gamma(1.6, 2.2) * 365.25) + 7)))
    return pd.DataFrame(rows)


def _person(rng, pid: str, role: str, dept: str, location: str | None, field_role: bool, hired: date) -> dict:
    if location is None:
        p = np.array(_LOC_FIELD if field_role else _LOC_OFFICE)
        location = LOCATIONS[int(rng.choice(len(LOCATIONS), p=p / p.sum()))]
    lang = LANGS[int(rng.choice(3, p=np.array(_LANG_BY_LOCATION[location])))]
    gender = ("F", "M", "X")[int(rng.choice(3, p=[0.48, 0.49, 0.03]))]
    name, f_lat, l_lat = _name(rng, lang, location, gender)
    age = ("18-24", "25-34", "35-44", "45-54", "55+")[int(rng.choice(5, p=[0.14, 0.36, 0.27, 0.15, 0.08]))]
    return {"respondent_id": pid, "role": role, "department": dept, "location": location, "lang": lang,
            "gender": {"F": "Female", "M": "Male", "X": "Prefer not to say"}[gender], "age_band": age,
            "employee_name": name, "latin": f"{f_lat}.{l_lat}", "hired": hired, "left": None, "z": rng.normal()}


def _emails(people: pd.DataFrame) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for base in people["latin"]:
        k = seen.get(base, 0)
        seen[base] = k + 1
        out.append(f"{base}{k + 1 if k else ''}@{DOMAIN}")
    return out


def _tenure_band(hired: date, on: date) -> str:
    years = (on - hired).days / 365.25
    return TENURE_BANDS[0] if years < 1 else TENURE_BANDS[1] if years < 3 else TENURE_BANDS[2] if years < 5 \
        else TENURE_BANDS[3]


# attrition over the year by role, and how leaving is spread over the four quarters
_ATTRITION = {"Delivery Driver": .28, "Warehouse Operative": .25, "Customer Support Agent": .24,
              "Sales Representative": .20, "Software Engineer": .22, "Account Manager": .12,
              "Finance Analyst": .10, "HR Specialist": .10, "Marketing Specialist": .10}
_REGRET = {"Software Engineer": .80, "Account Manager": .30, "Sales Representative": .20}


def _leavers_and_hires(rng: np.random.Generator, staff: pd.DataFrame) -> pd.DataFrame:
    """Mark leavers (with a leaving date) and add the people hired to replace them."""
    staff = staff.copy()
    hires = []
    next_id = len(staff) + 1
    for i, row in staff.iterrows():
        if rng.random() >= _ATTRITION[row.role]:
            continue
        q_weights = np.array([1, 2, 3, 4.0]) if row.role == PLANTED_ROLE else np.ones(4)
        q = int(rng.choice(4, p=q_weights / q_weights.sum()))
        left = _YEAR_START + timedelta(days=int(q * 91 + rng.integers(91)))
        staff.at[i, "left"] = min(left, _YEAR_END)
        hired = left + timedelta(days=int(rng.integers(14, 75)))
        if hired <= _YEAR_END:
            hires.append(_person(rng, f"E{next_id:05d}", row.role, row.department, row.location,
                                 ROLES[row.role][2], hired))
            next_id += 1
    people = pd.concat([staff, pd.DataFrame(hires)], ignore_index=True)
    people["email"] = _emails(people)
    return people


# --------------------------------------------------------------------------- scores

_BASE = {"Career growth": 3.3, "Manager support": 3.7, "Workload is manageable": 3.3, "Tools and resources": 3.4,
         "Recognition": 3.2, "Pay is fair": 3.0, "Team collaboration": 3.8, "Flexibility": 3.5,
         "Customer focus": 3.7, "Proud to work here": 3.8, "Wellbeing support": 3.4, "Clear goals": 3.5}
_DEPT_EFFECT = {
    "Logistics": {"Workload is manageable": -1.2, "Flexibility": -0.4, "Wellbeing support": -0.3},
    "Customer Service": {"Flexibility": -0.9, "Workload is manageable": -0.4, "Recognition": -0.3},
    "IT": {"Tools and resources": 0.6, "Flexibility": 0.6, "Pay is fair": 0.3},
    "Operations": {"Workload is manageable": -0.5, "Tools and resources": -0.5},
    "Sales": {"Pay is fair": -0.3, "Customer focus": 0.3, "Clear goals": -0.3},
    "Finance": {"Clear goals": 0.3, "Team collaboration": -0.2},
    "HR": {"Wellbeing support": 0.4, "Recognition": 0.2},
    "Marketing": {"Team collaboration": 0.3, "Proud to work here": 0.2},
}
_ROLE_EFFECT = {"Delivery Driver": {"Pay is fair": -0.3}, "Warehouse Operative": {"Pay is fair": -0.4},
                "Customer Support Agent": {"Customer focus": -0.3}}
_ENPS_ROLE = {"Software Engineer": 0.4, "Delivery Driver": -0.6, "Warehouse Operative": -0.5,
              "Customer Support Agent": -0.4}
_NOISE = 0.8
_ENG = 0.45


def _scores(rng: np.random.Generator, resp: pd.DataFrame) -> pd.DataFrame:
    """Rating items (1–5) and eNPS (0–10) for every response, with the planted effects."""
    n = len(resp)
    eng = 0.7 * resp["z"].to_numpy() + 0.5 * rng.normal(size=n)
    wave = resp["wave_idx"].to_numpy()
    planted = (resp["role"] == PLANTED_ROLE).to_numpy()
    total_sd = float(np.sqrt(_NOISE ** 2 + _ENG ** 2 * (0.49 + 0.25)))
    out = {}
    for item in ITEMS:
        mu = np.full(n, _BASE[item])
        mu += resp["department"].map({d: e.get(item, 0.0) for d, e in _DEPT_EFFECT.items()}).fillna(0.0).to_numpy()
        mu += resp["role"].map({r: e.get(item, 0.0) for r, e in _ROLE_EFFECT.items()}).fillna(0.0).to_numpy()
        if item == "Career growth":  # favourable (≥ 4) iff latent ≥ 3.5: set the planted role's share exactly
            target = np.array([3.5 + total_sd * NormalDist().inv_cdf(p) for p in _CAREER_FAV])
            mu = np.where(planted, target[wave], mu)
        latent = mu + _ENG * eng + rng.normal(0, _NOISE, size=n)
        out[item] = np.clip(np.rint(latent), 1, 5).astype(int)
    enps_mu = 7.9 + resp["role"].map(lambda r: _ENPS_ROLE.get(r, 0.0)).to_numpy() - np.where(planted, 0.75 * wave, 0)
    enps = np.clip(np.rint(enps_mu + 1.5 * eng + rng.normal(0, 1.2, size=n)), 0, 10).astype(int)
    frame = pd.DataFrame(out, index=resp.index)
    frame.insert(0, "enps", enps)
    return frame


# --------------------------------------------------------------------------- survey

def _comment_improve(rng, lang: str, role: str, scores: dict[str, int]) -> str:
    weights = {t: (5.5 - scores[_THEME_ITEM[t]]) ** 3 for t in GENERAL_THEMES}
    weights["training"] = 0.5 * weights["career"]
    mean = float(np.mean(list(scores.values())))
    weights["positive"] = max(mean - 3.3, 0) ** 2 * 60
    cx = (5.5 - scores["Customer focus"]) ** 3 * (1.0 if role in CUSTOMER_FACING else 0.3)
    for theme, w in _CUSTOMER_MIX[role].items():
        if theme not in ("no_contact",):
            weights[theme] = weights.get(theme, 0) + cx * w
    weights["email_client"] = 1.2
    k = 1 if rng.random() < 0.72 else 2 if rng.random() < 0.85 else 3
    themes: list[str] = []
    while len(themes) < k:
        t = _pick(rng, weights)
        if t not in themes:
            themes.append(t)
    return " ".join(say(rng, t, lang, tail=0.15) for t in themes)


def _comment_customers(rng, lang: str, role: str) -> str:
    k = 1 if rng.random() < 0.75 else 2
    themes: list[str] = []
    while len(themes) < k:
        t = _pick(rng, _CUSTOMER_MIX[role])
        if t not in themes:
            themes.append(t)
    return " ".join(say(rng, t, lang, tail=0.12) for t in themes)


def _maybe_boilerplate(rng, lang: str, rate: float) -> str | None:
    return _BOILERPLATE[lang][int(rng.integers(len(_BOILERPLATE[lang])))] if rng.random() < rate else None


def _colleagues(people: pd.DataFrame) -> dict[tuple[str, str], list[str]]:
    """Names by (department, language), so that a comment names a colleague written in its own script."""
    return people.groupby(["department", "lang"])["employee_name"].apply(list).to_dict()


def _with_pii(rng, text: str, row, colleagues: dict[tuple[str, str], list[str]]) -> str:
    names = [n for n in colleagues.get((row.department, row.lang), []) if n != row.employee_name] or ["Anna Nowak"]
    colleague = names[int(rng.integers(len(names)))]
    return f"{text} {_pii_sentence(rng, row.lang, colleague, row.email, row.location)}"


def _survey(rng: np.random.Generator, people: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    rows, headcount = [], {}
    for w, (label, on) in enumerate(zip(WAVES, _WAVE_DATES)):
        still_there = people["left"].map(lambda d, on=on: not isinstance(d, date) or d > on)
        active = people[(people["hired"] <= on) & still_there]
        headcount[label] = len(active)
        took = active[rng.random(len(active)) < _RESPONSE_RATE[w]].copy()
        took["wave"], took["wave_idx"] = label, w
        took["tenure"] = [_tenure_band(h, on) for h in took["hired"]]
        rows.append(took)
    resp = pd.concat(rows, ignore_index=True)
    scores = _scores(rng, resp)
    colleagues = _colleagues(people)
    improve, customers = [], []
    matrix = scores[list(ITEMS)].to_numpy()
    for i, row in enumerate(resp.itertuples(index=False)):
        cf = row.role in CUSTOMER_FACING
        a = b = None
        if rng.random() < 0.40:
            scores_i = dict(zip(ITEMS, matrix[i].tolist()))
            a = _maybe_boilerplate(rng, row.lang, 0.06) or _comment_improve(rng, row.lang, row.role, scores_i)
        if rng.random() < (0.38 if cf or row.role == "Finance Analyst" else 0.22):
            b = _maybe_boilerplate(rng, row.lang, 0.08) or _comment_customers(rng, row.lang, row.role)
        if a and len(a) > 12 and rng.random() < 0.012:
            a = _with_pii(rng, a, row, colleagues)
        if b and len(b) > 12 and rng.random() < 0.008:
            b = _with_pii(rng, b, row, colleagues)
        improve.append(a)
        customers.append(b)
    frame = resp[["respondent_id", "employee_name", "email", "wave", "role", "department", "location", "tenure",
                  "gender", "age_band"]].copy()
    frame["enps"] = scores["enps"].astype("Int64")
    for item in ITEMS:  # about 1.5% of ratings skipped
        frame[item] = scores[item].astype("Int64").mask(rng.random(len(frame)) < 0.015)
    frame[Q_IMPROVE] = pd.Series(improve, dtype=object)
    frame[Q_CUSTOMERS] = pd.Series(customers, dtype=object)
    return frame, headcount


# --------------------------------------------------------------------------- exits

def _exit_reason(rng, role: str, quarter: int) -> str:
    w = {"Pay": .22, "Career growth": (.06, .15, .27, .42)[quarter], "Management": .14, "Workload": .14,
         "Relocation": .08, "Personal": .08, "Better offer": .14}
    if role == PLANTED_ROLE:
        w["Career growth"] *= 3
    if role in _FIELD_ROLES:
        w["Workload"] *= 2
        w["Pay"] *= 1.5
    if role == "Customer Support Agent":
        w["Workload"] *= 1.5
        w["Management"] *= 1.3
    return _pick(rng, w)


def _exits(rng: np.random.Generator, people: pd.DataFrame) -> pd.DataFrame:
    leavers = people[people["left"].notna()].copy()
    leavers = leavers[rng.random(len(leavers)) < 0.92].sort_values("left", kind="stable")
    colleagues = _colleagues(people)
    rows = []
    for row in leavers.itertuples(index=False):
        q = min((row.left - _YEAR_START).days // 91, 3)
        reason = _exit_reason(rng, row.role, q)
        others = [r for r in EXIT_REASONS if r != reason]
        extra = [str(x) for x in rng.choice(others, size=int(rng.choice(3, p=[.35, .45, .20])), replace=False)]
        regretted = rng.random() < _REGRET.get(row.role, 0.12)
        why_theme, keep_theme = _EXIT_THEMES[reason]
        why = say(rng, why_theme, row.lang, tail=0.1)
        if extra and _EXIT_THEMES[extra[0]][0] != why_theme and rng.random() < 0.5:
            why += " " + say(rng, _EXIT_THEMES[extra[0]][0], row.lang)
        cf = row.role in CUSTOMER_FACING or row.role == "Finance Analyst"
        cust = None
        if rng.random() < (0.88 if cf else 0.45):
            cust = " ".join(say(rng, _pick(rng, _CUSTOMER_MIX[row.role]), row.lang)
                            for _ in range(1 if rng.random() < 0.5 else 2))
        keep = say(rng, keep_theme, row.lang) if rng.random() < 0.8 else None
        if rng.random() < 0.015:
            why = _with_pii(rng, why, row, colleagues)
        ratings = {}
        for item in EXIT_ITEMS:
            mu = 2.9 + (0.4 if regretted else 0) - (0.9 if _EXIT_THEMES[reason][0] == _ITEM_THEME.get(item) else 0)
            ratings[item] = int(np.clip(np.rint(rng.normal(mu, 0.9)), 1, 5))
        enps = int(np.clip(np.rint(rng.normal(4.6 + (1.2 if regretted else 0), 2.2)), 0, 10))
        rows.append({"respondent_id": row.respondent_id, "employee_name": row.employee_name, "email": row.email,
                     "exit_date": row.left.isoformat(), "role": row.role, "department": row.department,
                     "location": row.location, "tenure": _tenure_band(row.hired, row.left), "gender": row.gender,
                     "reason": reason, "other_reasons": "; ".join(extra), "regretted": "yes" if regretted else "no",
                     "enps": enps, **ratings, Q_WHY: why, Q_EXIT_CUSTOMERS: cust, Q_KEEP: keep})
    frame = pd.DataFrame(rows)
    frame["other_reasons"] = frame["other_reasons"].replace("", None)
    return frame


_ITEM_THEME = {v: k for k, v in _THEME_ITEM.items()}

# --------------------------------------------------------------------------- focus groups

_FOCUS_ROLES = ("Customer Support Agent", "Delivery Driver", "Software Engineer", "Sales Representative",
                "Warehouse Operative", "Finance Analyst", "Account Manager", "Marketing Specialist",
                "HR Specialist", "Customer Support Agent", "Delivery Driver", "Software Engineer",
                "Finance Analyst", "Sales Representative", "Warehouse Operative", "Customer Support Agent",
                "Software Engineer", "Delivery Driver", "Account Manager", "Finance Analyst",
                "Marketing Specialist", "Customer Support Agent", "Warehouse Operative", "Software Engineer")


def _focus(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for k, role in enumerate(_FOCUS_ROLES):
        month = (_YEAR_START.month - 1 + k // 2) % 12 + 1
        year = _YEAR_START.year + (_YEAR_START.month - 1 + k // 2) // 12
        when = date(year, month, 9 if k % 2 == 0 else 23)
        _, depts, field_role = ROLES[role]
        dept = max(depts, key=depts.get)
        p = np.array(_LOC_FIELD if field_role else _LOC_OFFICE)
        location = LOCATIONS[int(rng.choice(len(LOCATIONS), p=p / p.sum()))]
        lang = LANGS[int(rng.choice(3, p=np.array(_LANG_BY_LOCATION[location])))]
        quarter = min((when - _YEAR_START).days // 91, 3)
        general = {t: 1.0 for t in GENERAL_THEMES}
        for item, eff in _DEPT_EFFECT.get(dept, {}).items():
            if item in _ITEM_THEME:
                general[_ITEM_THEME[item]] = max(0.2, 1.0 - 2.5 * eff)
        if role == PLANTED_ROLE:
            general["career"] = 2.0 + 2.0 * quarter
        statements: list[str] = []
        for _ in range(int(rng.integers(5, 13))):
            theme = _pick(rng, _CUSTOMER_MIX[role]) if rng.random() < 0.45 else _pick(rng, general)
            statements.append(say(rng, theme, lang))
        if rng.random() < 0.65:
            notes = "\n".join(f"- {s}" for s in statements)
        else:
            notes = " ".join(statements)
        rows.append({"session_date": when.isoformat(), "role": role, "department": dept, "location": location,
                     "facilitator": _FACILITATORS[lang][int(rng.integers(2))],
                     "participants": int(rng.integers(5, 11)), "notes": notes})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- EVP

def _offered(benefit: str, role: str) -> bool:
    roles = BENEFITS[benefit][2]
    return roles == "all" or role in [r.strip() for r in roles.split(";")]


def _evp_catalog() -> pd.DataFrame:
    return pd.DataFrame([{"benefit": b, "pillar": v[0], "description": v[1], "roles_offered": v[2]}
                         for b, v in BENEFITS.items()])


def _importance_mean(benefit: str, role: str) -> float:
    if benefit == "Remote work":
        return 4.6 if role == "Customer Support Agent" else 1.8 if role in _FIELD_ROLES else 3.9
    if benefit in ("Transport allowance", "Meal allowance") and not _offered(benefit, role):
        return 2.4
    return BENEFITS[benefit][3]


def _evp_ratings(rng: np.random.Generator, survey: pd.DataFrame) -> pd.DataFrame:
    names = list(BENEFITS)
    order = rng.random((len(survey), len(names))).argsort(axis=1)[:, :_RATED_PER_PERSON]
    base = survey[["respondent_id", "wave", "role", "department"]].reset_index(drop=True)
    frame = base.loc[base.index.repeat(_RATED_PER_PERSON)].reset_index(drop=True)
    frame["benefit"] = [names[j] for j in order.ravel()]
    imp_mu = np.array([_importance_mean(b, r) for b, r in zip(frame["benefit"], frame["role"])])
    sat_mu = np.array([BENEFITS[b][4] if _offered(b, r) else 1.5 for b, r in zip(frame["benefit"], frame["role"])])
    frame["importance"] = np.clip(np.rint(rng.normal(imp_mu, 0.65)), 1, 5).astype(int)
    frame["satisfaction"] = np.clip(np.rint(rng.normal(sat_mu, 0.8)), 1, 5).astype(int)
    return frame


# --------------------------------------------------------------------------- mappings

def _mappings() -> dict[str, dict]:
    ids = ["employee_name", "email"]
    common = {"respondent_id": "respondent_id", "role": "role", "department": "department",
              "location": "location", "tenure": "tenure", "enps": "enps"}
    return {
        "survey": {**common, "wave": "wave", "items": list(ITEMS), "text": [Q_IMPROVE, Q_CUSTOMERS],
                   "segments": ["gender", "age_band"], "identifiers": ids, "scale": {"min": 1, "max": 5}},
        "exit": {**common, "exit_date": "exit_date", "reason": "reason", "other_reasons": "other_reasons",
                 "regretted": "regretted", "items": list(EXIT_ITEMS), "text": [Q_WHY, Q_EXIT_CUSTOMERS, Q_KEEP],
                 "segments": ["gender"], "identifiers": ids, "scale": {"min": 1, "max": 5}},
        "focus": {"session_date": "session_date", "role": "role", "department": "department",
                  "location": "location", "facilitator": "facilitator", "participants": "participants",
                  "notes": "notes"},
        "evp_catalog": {"benefit": "benefit", "pillar": "pillar", "description": "description",
                        "roles_offered": "roles_offered"},
        "evp_ratings": {"respondent_id": "respondent_id", "wave": "wave", "role": "role",
                        "department": "department", "benefit": "benefit", "importance": "importance",
                        "satisfaction": "satisfaction"},
        "customer_feedback": dict(CUSTOMER_MAPPING),
    }


# --------------------------------------------------------------------------- entry point

def generate(seed: int = 42, n_employees: int = 2000) -> DemoData:
    """Generate the demo organisation.

    Args:
        seed: seed for ``numpy.random.default_rng``; the same seed gives equal frames.
        n_employees: staff on the books at the start of the year (leavers are replaced by hires).

    Returns:
        DemoData with the frames of every kind, their column mappings and the headcount per wave.
    """
    if n_employees < 50:
        raise InputError("The demo needs at least 50 employees (try the default, 2000).")
    rng = np.random.default_rng(seed)
    people = _leavers_and_hires(rng, _staff(rng, n_employees))
    survey, headcount = _survey(rng, people)
    exits = _exits(rng, people)
    focus = _focus(rng)
    return DemoData(survey=survey, exit=exits, focus=focus, evp_catalog=_evp_catalog(),
                    evp_ratings=_evp_ratings(rng, survey), mappings=_mappings(), headcount=headcount,
                    customer_feedback=customer_feedback(seed))
