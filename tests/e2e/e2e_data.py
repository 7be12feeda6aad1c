"""Data for the browser tests: a small demo organisation, analysed, and the files a user uploads.

``python -m eevp demo && python -m eevp analyze`` takes minutes on a small machine. Here the demo has
200 employees instead of 2,000, and the themes are fitted with PCA/KMeans in place of UMAP/HDBSCAN, but
with the app's own embedder: an upload in the browser then adds its comments to these themes (as in
production) instead of refitting everything. :class:`HashEmbedder` (hashed character n-grams) builds a
database in seconds for a look by hand; the app would refit it on the first upload.

Run on its own: ``PYTHONPATH=. python tests/e2e/e2e_data.py DATA_DIR [EMPLOYEES] [hash]``.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import numpy as np

#: The headers of the uploaded survey: Russian, as an HR system exports them.
SURVEY_HEADERS = [
    "Волна",
    "Должность",
    "Отдел",
    "Стаж",
    "Индекс NPS",
    "Мне нравится моя работа",
    "Комментарий",
]
#: The wave the upload adds; it sorts after the demo's waves (2025-Q4 … 2026-Q3), so it is the latest.
NEW_WAVE = "2026-Q4"


class HashEmbedder:
    """Stateless embedder: hashed character 3–4-grams times a fixed random projection, unit length."""

    model_id = "e2e-hash-embedder"

    def __init__(self, dim: int = 96, features: int = 2**14, seed: int = 0):
        from sklearn.feature_extraction.text import HashingVectorizer

        self.vectorizer = HashingVectorizer(
            analyzer="char_wb", ngram_range=(3, 4), n_features=features, alternate_sign=False, norm="l2"
        )
        self.projection = np.random.default_rng(seed).normal(size=(features, dim)).astype(np.float32)

    def encode(self, texts: list[str]) -> np.ndarray:
        x = np.asarray(
            self.vectorizer.transform([t.lower() for t in texts]) @ self.projection, dtype=np.float32
        )
        norms = np.linalg.norm(x, axis=1, keepdims=True)
        return x / np.where(norms == 0, 1.0, norms)


def _steps(k: int) -> dict:
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA

    return {
        "reducer": PCA(n_components=10, random_state=0),
        "clusterer": KMeans(n_clusters=k, n_init=2, random_state=0),
    }


def build_database(settings, employees: int = 200, embedder=None) -> dict:
    """Empty ``settings``' database, load a demo organisation and build themes and customer themes.

    Args:
        settings: an ``eevp.settings.Settings`` (SQLite file or PostgreSQL URL).
        employees: the demo's head count; smaller than ``python -m eevp demo`` (2,000) to keep the
            tests fast, large enough for every group and theme to pass the anonymity thresholds.
        embedder: None = the one the app uses (``settings.embedder``), so that an upload in the app
            extends these themes instead of refitting them; :class:`HashEmbedder` for speed.

    Returns:
        Seconds per step, and how many units, themes and customer themes were built.
    """
    from eevp.store.auth import CLI_USER
    from eevp.themes.run import analyze
    from eevp.bootstrap import DEMO_NAMES, DEMO_ORDER
    from eevp.analytics.customers import tag_units
    from eevp.store.db import connect, reset_for_tests
    from eevp.demo.generator import generate
    from eevp.intake.ingest import ingest_frame

    seconds = {}
    start = time.perf_counter()
    engine = connect(settings.database_url)
    try:
        reset_for_tests(engine)
        demo = generate(seed=settings.seed, n_employees=employees)
        for kind in DEMO_ORDER:  # as eevp.bootstrap.load_demo, with the smaller organisation
            ingest_frame(
                engine,
                settings,
                kind,
                getattr(demo, kind),
                demo.mappings[kind],
                name=DEMO_NAMES[kind],
                filename=f"demo-{kind}.csv",
                is_demo=True,
                actor=CLI_USER,
            )
        seconds["demo"] = time.perf_counter() - start
        if embedder is None:
            from eevp.themes.embeddings import get_embedder

            embedder = get_embedder(settings.embedder, models_dir=settings.models_dir)
        start = time.perf_counter()
        themes = analyze(engine, settings, embedder=embedder, steps=_steps(12), scope="all", actor=CLI_USER)
        seconds["themes"] = time.perf_counter() - start
        start = time.perf_counter()
        tag_units(engine, actor=CLI_USER)
        customer = analyze(engine, settings, embedder=embedder, steps=_steps(6), scope="customers", actor=CLI_USER)
        seconds["customer_themes"] = time.perf_counter() - start
    finally:
        engine.dispose()
    return {
        "seconds": {k: round(v, 1) for k, v in seconds.items()},
        "units": themes["units"],
        "themes": themes["themes"],
        "customer_themes": customer["themes"],
    }


def survey_csv(rows: int = 60, wave: str = NEW_WAVE) -> bytes:
    """A survey export as a Russian Excel user saves it: Windows-1251, semicolons, CRLF, Russian headers."""
    rng = random.Random(8)
    jobs = [("Курьер", "Логистика"), ("Оператор колл-центра", "Поддержка"), ("Кладовщик", "Склад")]
    starts = ["Клиенты жалуются", "Покупатели часто пишут", "Мне кажется", "Коллеги говорят", "Честно говоря"]
    ends = [
        "на задержки доставки заказов.",
        "что график смен неудобный.",
        "что обучения новичков мало.",
        "что руководитель всегда помогает.",
        "что зарплата ниже рынка.",
        "на долгое ожидание на линии.",
    ]
    lines = [";".join(SURVEY_HEADERS)]
    for i in range(rows):
        job, department = jobs[i % len(jobs)]
        comment = f"{rng.choice(starts)}, {rng.choice(ends)} Случай {i + 1}."
        lines.append(
            ";".join(
                [
                    wave,
                    job,
                    department,
                    str(rng.randint(1, 10)),
                    str(rng.randint(0, 10)),
                    str(rng.randint(1, 5)),
                    comment,
                ]
            )
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp1251")


def random_bytes(size: int = 4096, seed: int = 3) -> bytes:
    """Binary noise, as when someone uploads a ZIP or an image renamed to .csv."""
    return random.Random(seed).randbytes(size)


if __name__ == "__main__":
    from eevp.settings import Settings

    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/eevp-e2e-data")
    folder.mkdir(parents=True, exist_ok=True)
    employees = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    embedder = HashEmbedder() if len(sys.argv) > 3 and sys.argv[3] == "hash" else None
    print(build_database(Settings(data_dir=folder), employees, embedder))
