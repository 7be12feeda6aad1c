"""Learned heads over sentence embeddings: the customer lens (class, stage) and sentiment.

A head is a multinomial logistic regression stored as numbers only (``safetensors`` weights and a
JSON card beside them in ``eevp/resources/``): standardise the features, one matrix product, a
softmax. Training lives in ``training/train_models.py`` (it reads real text from ``../shared``;
nothing of that text ships). Heads are loaded once per process and never refit at run time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

__all__ = ["HEADS_DIR", "LinearHead", "decide", "decide_stage", "load_head", "save_head"]

HEADS_DIR = Path(__file__).resolve().parent.parent / "resources"


@dataclass(frozen=True)
class LinearHead:
    """A fitted softmax head: ``softmax(((x - mean) / scale) @ weight + bias)``.

    Attributes:
        classes: the class names, in column order.
        weight: ``(features, classes)``.
        bias: ``(classes,)``.
        mean, scale: feature standardisation learnt at training time.
        card: what the head was trained on (embedder id, feature names, data, metrics).
    """

    classes: tuple[str, ...]
    weight: np.ndarray
    bias: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    card: dict

    @property
    def embedder_id(self) -> str:
        return self.card["embedder"]

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        """Class probabilities, ``(n, classes)``."""
        x = (np.asarray(features, dtype=np.float64) - self.mean) / self.scale
        z = x @ self.weight + self.bias
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, features: np.ndarray) -> list[str]:
        """The likeliest class per row."""
        if len(features) == 0:
            return []
        return [self.classes[i] for i in self.predict_proba(features).argmax(axis=1)]


def decide(proba: np.ndarray, classes: tuple[str, ...], group: tuple[str, ...], threshold: float | None,
           allowed: np.ndarray | None = None) -> list[str]:
    """The class of each row: a class of ``group`` only when the row is ``allowed`` and the group's
    probabilities add up to at least ``threshold`` (then the likeliest of the group), else the
    likeliest of the others. The lens's group is the two about-customers classes; the threshold
    trades recall for precision where customer statements are rare, and ``allowed`` (the lexicon
    names the people served or a customer-facing process) keeps the head from reading a customer
    problem into a staff complaint that mentions no one served."""
    if len(proba) == 0:
        return []
    inside = np.array([c in group for c in classes])
    best = proba.argmax(axis=1)
    best_in = np.where(inside, proba, -1).argmax(axis=1)
    best_out = np.where(~inside, proba, -1).argmax(axis=1)
    grouped = inside[best] if threshold is None else proba[:, inside].sum(axis=1) >= threshold
    if allowed is not None:
        grouped = grouped & np.asarray(allowed, dtype=bool)
    return [classes[i] for i in np.where(grouped, best_in, best_out)]


def decide_stage(proba: np.ndarray, classes: tuple[str, ...], stage_cues: np.ndarray, stages: tuple[str, ...],
                 fallback: str) -> list[str]:
    """The journey stage of each row: the head's likeliest stage where the lexicon finds a cue of that
    same stage (``stage_cues[:, stages.index(stage)] > 0``), else ``fallback``.

    Most customer statements in staff reviews are about delivery; left alone, the head spreads them over
    the rarer stages and scores below always answering delivery on every source left out. It keeps a
    rarer stage only where the words agree."""
    if len(proba) == 0:
        return []
    cues = np.asarray(stage_cues)
    out = []
    for i, k in enumerate(np.asarray(proba).argmax(axis=1)):
        stage = classes[k]
        agreed = stage in stages and cues[i, stages.index(stage)] > 0
        out.append(stage if stage == fallback or agreed else fallback)
    return out


def save_head(head: LinearHead, name: str, folder: Path = HEADS_DIR) -> Path:
    """Write ``<name>.safetensors`` and ``<name>.json`` (the card) under ``folder``."""
    from safetensors.numpy import save_file

    folder.mkdir(parents=True, exist_ok=True)
    # C order: safetensors writes the buffer as it lies in memory (a transposed view would scramble).
    arrays = {k: np.ascontiguousarray(getattr(head, k), dtype=np.float32) for k in ("weight", "bias", "mean", "scale")}
    save_file(arrays, str(folder / f"{name}.safetensors"))
    card = dict(head.card, classes=list(head.classes))
    (folder / f"{name}.json").write_text(json.dumps(card, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder / f"{name}.safetensors"


def load_head(name: str, folder: Path = HEADS_DIR) -> LinearHead:
    """Read a head written by :func:`save_head`."""
    from safetensors.numpy import load_file

    arrays = load_file(str(folder / f"{name}.safetensors"))
    card = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    return LinearHead(tuple(card["classes"]), arrays["weight"].astype(np.float64), arrays["bias"].astype(np.float64),
                      arrays["mean"].astype(np.float64), arrays["scale"].astype(np.float64), card)


@cache
def shipped_head(name: str) -> LinearHead | None:
    """A head shipped with eevp (``lens/class``, ``lens/stage``, ``sentiment_model/sentiment``), or None."""
    folder, _, stem = name.rpartition("/")
    path = HEADS_DIR / folder
    if not (path / f"{stem}.safetensors").is_file():
        return None
    return load_head(stem, path)
