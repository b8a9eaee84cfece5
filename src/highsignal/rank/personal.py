"""A personal term learned from the reader's up and down ratings.

Like arxiv-sanity-lite, a linear model over bag-of-words features; unlike it,
nothing is recomputed per request. Each item's features are hashed once, when
it is assessed, and stored beside it. A new rating warm-starts the stored
weights and takes a few full-batch gradient steps over the rated items only
(a few hundred sparse vectors, in numpy), so an update costs milliseconds
whatever the size of the store; scoring a window is one sparse dot product.

Features: lower-cased words and adjacent-word pairs from the title (counted
twice) and the first part of the text, hashed into 2**18 buckets (CRC-32),
log term frequency, L2-normalised. The model is logistic regression with L2
regularisation. Because the terms are hashed, an explanation re-tokenises the
item being explained to name the words behind its score.
"""

from __future__ import annotations

import math
import re
import zlib
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

DIM = 1 << 18
FEATURES_VERSION = "1"
TEXT_CHARS = 1_500
MIN_RATINGS = 4  # and at least one up and one down
STEPS = 40
LEARNING_RATE = 2.0
L2 = 1e-3

_WORD = re.compile(r"[a-z][a-z0-9+#.-]*[a-z0-9+#]|[a-z]")
_STOP = frozenset(
    (
        "the a an and or of to in on for with from by at is are was were be been being as it its this that these "
        "those we our you your i my he she they them their his her not no but if then than so such can could will "
        "would should may might must do does did done has have had having about into over under more most less "
        "just also very new how why what when where which who whom there here all any some each other out up "
        "one two via vs get got use used using make made like"
    ).split()
)


def terms(title: str | None, text: str) -> list[str]:
    """The words and word pairs the model reads, title first (twice)."""
    out: list[str] = []
    for part, times in ((title or "", 2), (text[:TEXT_CHARS], 1)):
        words = [w for w in _WORD.findall(part.lower()) if len(w) > 2 and w not in _STOP]
        grams = words + [f"{a} {b}" for a, b in pairwise(words)]
        out += grams * times
    return out


def bucket(term: str) -> int:
    return zlib.crc32(term.encode()) & (DIM - 1)


def vectorise(title: str | None, text: str) -> bytes | None:
    """The stored feature vector: sorted uint32 buckets then float32 weights; ``None`` for an empty item."""
    counts: dict[int, int] = {}
    for t in terms(title, text):
        b = bucket(t)
        counts[b] = counts.get(b, 0) + 1
    if not counts:
        return None
    idx = np.fromiter(sorted(counts), dtype=np.uint32, count=len(counts))
    val = np.array([1.0 + math.log(counts[int(i)]) for i in idx], dtype=np.float32)
    val /= np.linalg.norm(val)
    return idx.tobytes() + val.tobytes()


def _unpack(blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    n = len(blob) // 8
    return np.frombuffer(blob, dtype=np.uint32, count=n), np.frombuffer(blob, dtype=np.float32, offset=4 * n)


def _stack(blobs: list[bytes]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Concatenated buckets and weights, and where each vector starts."""
    parts = [_unpack(b) for b in blobs]
    lengths = np.array([len(i) for i, _ in parts], dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    idx = np.concatenate([i for i, _ in parts]) if parts else np.zeros(0, np.uint32)
    val = np.concatenate([v for _, v in parts]) if parts else np.zeros(0, np.float32)
    return idx, val, starts


def _margins(weights: np.ndarray, bias: float, idx: np.ndarray, val: np.ndarray, starts: np.ndarray) -> np.ndarray:
    if len(idx) == 0:
        return np.full(len(starts), bias)
    products = weights[idx] * val
    # reduceat misreads empty vectors; none are stored (vectorise returns None instead).
    return np.add.reduceat(products, starts) + bias


@dataclass(slots=True)
class Model:
    """Logistic-regression weights over hashed terms, plus how many ratings trained them."""

    weights: np.ndarray
    bias: float = 0.0
    ratings: int = 0
    ups: int = 0
    downs: int = 0

    @classmethod
    def empty(cls) -> Model:
        return cls(np.zeros(DIM, dtype=np.float32))

    @property
    def ready(self) -> bool:
        return self.ratings >= MIN_RATINGS and self.ups > 0 and self.downs > 0

    def update(self, rated: list[tuple[bytes, int]], steps: int = STEPS) -> None:
        """Warm-start from the current weights and fit the rated items (``+1`` up, ``-1`` down)."""
        rated = [(blob, value) for blob, value in rated if blob]
        self.ratings = len(rated)
        self.ups = sum(1 for _, v in rated if v > 0)
        self.downs = self.ratings - self.ups
        if not rated:
            return
        idx, val, starts = _stack([b for b, _ in rated])
        y = np.array([1.0 if v > 0 else 0.0 for _, v in rated])
        rows = np.repeat(np.arange(len(rated)), np.diff(np.append(starts, len(idx))))
        # Work in the few thousand buckets the rated items use, not all 2**18:
        # the steps then cost microseconds. Buckets no rated item uses any more
        # (their items were deleted) carry no evidence and are dropped.
        active, local = np.unique(idx, return_inverse=True)
        w = self.weights[active].astype(np.float64)
        b = self.bias
        n = len(rated)
        for _ in range(steps):
            margins = np.add.reduceat(w[local] * val, starts) + b
            err = 1.0 / (1.0 + np.exp(-margins)) - y
            grad = np.bincount(local, weights=val * err[rows], minlength=len(active))
            w -= LEARNING_RATE * (grad / n + L2 * w)
            b -= LEARNING_RATE * float(err.mean())
        self.weights = np.zeros(DIM, dtype=np.float32)
        self.weights[active] = w
        self.bias = b

    def score(self, blobs: list[bytes | None]) -> list[float | None]:
        """Probability the reader rates each item up (``None`` for items without features)."""
        present = [i for i, blob in enumerate(blobs) if blob]
        out: list[float | None] = [None] * len(blobs)
        if not present:
            return out
        idx, val, starts = _stack([blobs[i] for i in present])
        probs = 1.0 / (1.0 + np.exp(-_margins(self.weights, self.bias, idx, val, starts)))
        for i, p in zip(present, probs, strict=True):
            out[i] = float(p)
        return out

    def explain(self, title: str | None, text: str, top: int = 5) -> list[tuple[str, float]]:
        """The item's terms that moved its personal score most, with their pull (+ towards up)."""
        weights: dict[str, float] = {}
        for t in set(terms(title, text)):
            w = float(self.weights[bucket(t)])
            if abs(w) > 1e-4:
                weights[t] = w
        ranked = sorted(weights.items(), key=lambda tw: -abs(tw[1]))
        return [(t, round(w, 3)) for t, w in ranked[:top]]

    def to_bytes(self) -> bytes:
        nz = np.flatnonzero(self.weights).astype(np.uint32)
        header = (
            np.array([self.bias], dtype=np.float64).tobytes()
            + np.array([self.ratings, self.ups, self.downs, len(nz)], dtype=np.uint32).tobytes()
        )
        return header + nz.tobytes() + self.weights[nz].astype(np.float32).tobytes()

    @classmethod
    def from_bytes(cls, blob: bytes) -> Model:
        bias = float(np.frombuffer(blob, dtype=np.float64, count=1)[0])
        ratings, ups, downs, n = (int(x) for x in np.frombuffer(blob, dtype=np.uint32, count=4, offset=8))
        nz = np.frombuffer(blob, dtype=np.uint32, count=n, offset=24)
        vals = np.frombuffer(blob, dtype=np.float32, count=n, offset=24 + 4 * n)
        weights = np.zeros(DIM, dtype=np.float32)
        weights[nz] = vals
        return cls(weights, bias, ratings, ups, downs)
