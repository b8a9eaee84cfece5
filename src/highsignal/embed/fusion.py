"""Reciprocal rank fusion: one ranking from several, by position alone.

Scores from BM25 and from cosine similarity live on different scales; their
positions do not. Each list gives an item ``1 / (K + rank)``, summed over the
lists that hold it (Cormack, Clarke and Büttcher, SIGIR 2009, with their
K = 60): an item near the top of both beats one that tops only one.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

K = 60

T = TypeVar("T", bound=Hashable)


def fuse(*rankings: Sequence[T], k: int = K) -> list[tuple[T, float]]:
    """The union of the rankings, best fused score first (ties keep first-seen order)."""
    scores: dict[T, float] = {}
    for ranking in rankings:
        for rank, key in enumerate(ranking, start=1):
            scores[key] = scores.get(key, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda kv: -kv[1])
