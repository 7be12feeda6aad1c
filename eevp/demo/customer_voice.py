"""Demo customer feedback: what the demo organisation's customers write (English, Russian, Ukrainian).

Drawn from its own random stream (``default_rng([seed, 16])``), so the staff frames of the demo stay
exactly as they were for the same seed. Planted against the staff's customer themes:

- ``voice_confirmed`` — customers complain about the hotline (long waits, no callback), as staff do;
- ``voice_early_warning`` — no customer writes about billing: the double charges Finance staff
  describe have not reached customers' words yet;
- ``voice_blind_spot`` — loyalty points disappearing, which no member of staff ever mentions.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

_FILE = Path(__file__).resolve().parents[1] / "resources" / "demo" / "customer_feedback.json"
_ALT = re.compile(r"\{([^{}]*)\}")
#: subject → share of comments (no billing: the planted early warning)
MIX = {"hotline": 0.35, "delivery": 0.15, "loyalty": 0.30, "praise": 0.20}
_LOCATIONS = {"London": "en", "Warsaw": "en", "Almaty": "ru", "Kharkiv": "ru", "Kyiv": "uk", "Lviv": "uk"}
_START = date(2025, 10, 1)
_DAYS = 365
#: NPS answers (0–10) by subject: detractors for problems, promoters for praise.
_SCORES = {"praise": (9, 11)}
_PROBLEM_SCORES = (0, 7)
PLANTED = {
    "voice_confirmed": "Customers complain about the hotline (waits, no callback), as staff do: confirmed.",
    "voice_early_warning": "No customer writes about billing; Finance staff do: an early warning.",
    "voice_blind_spot": "Customers' loyalty points disappear; no member of staff mentions it: a blind spot.",
}


def _load() -> dict:
    return json.loads(_FILE.read_text(encoding="utf-8"))


def _expand(rng: np.random.Generator, template: str) -> str:
    while _ALT.search(template):
        template = _ALT.sub(lambda m: (opts := m.group(1).split("|"))[int(rng.integers(len(opts)))], template)
    return template


def _comment(rng: np.random.Generator, data: dict, subject: str, lang: str) -> str:
    options = data["phrases"][subject][lang]
    picked = rng.choice(len(options), size=min(len(options), 1 + int(rng.random() < 0.4)), replace=False)
    return " ".join(_expand(rng, options[int(i)]) for i in picked)


def _contact(rng: np.random.Generator, data: dict, lang: str) -> tuple[str, str]:
    name = data["names"][lang][int(rng.integers(len(data["names"][lang])))]
    email = f"customer{int(rng.integers(1000, 9999))}@mail.example"
    return name, email


def customer_feedback(seed: int = 42, n: int = 400) -> pd.DataFrame:
    """The demo customer feedback: one row per comment (date, channel, NPS 0–10, product, location,
    comment, and the customer's name and e-mail, which the mapping declares as identifiers)."""
    rng = np.random.default_rng([seed, 16])
    data = _load()
    subjects, shares = list(MIX), np.array(list(MIX.values()))
    locations = list(_LOCATIONS)
    rows = []
    for i in range(n):
        subject = subjects[int(rng.choice(len(subjects), p=shares / shares.sum()))]
        location = locations[int(rng.integers(len(locations)))]
        lang = _LOCATIONS[location]
        name, email = _contact(rng, data, lang)
        text = _comment(rng, data, subject, lang)
        if rng.random() < 0.05:  # some customers sign with their name and e-mail: redacted at ingest
            text += " " + data["contact"][lang].replace("$NAME", name).replace("$EMAIL", email)
        lo, hi = _SCORES.get(subject, _PROBLEM_SCORES)
        rows.append({"date": (_START + timedelta(days=int(rng.integers(_DAYS)))).isoformat(),
                     "channel": data["channels"][int(rng.integers(len(data["channels"])))],
                     "nps": int(rng.integers(lo, hi)), "product": data["products"][int(rng.integers(4))],
                     "location": location, "comment": text, "customer_name": name, "email": email})
    return pd.DataFrame(rows)


MAPPING = {"date": "date", "comment": "comment", "channel": "channel", "score": "nps", "product": "product",
           "location": "location", "segments": [], "identifiers": ["customer_name", "email"],
           "scale": {"min": 0, "max": 10}}
