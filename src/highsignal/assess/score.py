"""Turn one item's signals into a score, a grade and the output flags."""

from __future__ import annotations

from ..records import Assessment, Signal
from .rubric import Rubric

FLAGS = (
    "open_weights",
    "demo_or_api",
    "code_released",
    "usage_examples",
    "library_support",
    "compute_stated",
    "leaderboard_only",
    "small_beats_big_claim",
    "near_chance_score",
    "closed_model_only",
    "license_stated",
    "data_released",
    "paper_or_report",
)


def combine(signals: list[Signal], rubric: Rubric, *, item_kind: str, content_hash: str = "") -> Assessment:
    """``base + sum(weights)``, clamped to 0..100: every point traceable to one signal.

    The base depends on what the item claims to be (``[bases]`` in the rubric).
    """
    base = rubric.base_for(item_kind)
    total = base + sum(s.weight for s in signals)
    score = round(min(100.0, max(0.0, total)))
    flags = dict.fromkeys(FLAGS, False)
    for s in signals:
        if s.flag:
            flags[s.flag] = True
    return Assessment(
        score=score,
        grade=rubric.grade(score),
        flags=flags,
        signals=signals,
        rubric_version=rubric.version,
        item_kind=item_kind,
        content_hash=content_hash,
        base=base,
    )


def rescore(assessment: Assessment, rubric: Rubric) -> Assessment:
    """The same signals under other weights (a user's overrides), without re-reading the item."""
    signals = []
    for s in assessment.signals:
        w = rubric.weight(s.id)
        signals.append(type(s)(s.id, "-" if w < 0 else "+", w, s.message, s.evidence, s.flag, s.start, s.end, s.url))
    out = combine(signals, rubric, item_kind=assessment.item_kind, content_hash=assessment.content_hash)
    out.notes = list(assessment.notes)
    return out
