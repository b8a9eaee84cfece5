"""The assess stage: how much does an item let its reader verify?

``assess(item)`` extracts what the item links and says, runs every rule of the
rubric (R1 and R3 to R10; R2, focus, belongs to ranking) and combines their
signals into a 0-100 score and a grade. Every point of the score comes from a
signal that carries its evidence.
"""

from __future__ import annotations

from ..extract import extract
from ..records import Assessment, Extraction, Item, Signal
from . import (
    r1_access,
    r3_usable,
    r4_leaderboard,
    r5_sanity,
    r6_reproducible,
    r7_incentives,
    r8_care,
    r9_disclosure,
    r10_sources,
)
from .context import Context, SourceFacts
from .kinds import item_kind
from .rubric import Rubric, configured_rubric, default_rubric, with_overrides
from .score import FLAGS, combine, rescore

#: The rubric's rules by id, as a reader sees them named.
RULE_NAMES = {
    "R1": "Access",
    "R3": "Usable",
    "R4": "Leaderboard claims",
    "R5": "Sanity checks",
    "R6": "Reproducible",
    "R7": "Incentives",
    "R8": "Care",
    "R9": "Disclosure",
    "R10": "Sources",
}

RULES = (
    r1_access.check,
    r3_usable.check,
    r4_leaderboard.check,
    r5_sanity.check,
    r6_reproducible.check,
    r7_incentives.check,
    r8_care.check,
    r9_disclosure.check,
    r10_sources.check,
)

__all__ = [
    "FLAGS",
    "RULES",
    "RULE_NAMES",
    "Rubric",
    "SourceFacts",
    "assess",
    "configured_rubric",
    "default_rubric",
    "rescore",
    "with_overrides",
]


def assess(
    item: Item,
    extraction: Extraction | None = None,
    *,
    source: SourceFacts | None = None,
    rubric: Rubric | None = None,
) -> Assessment:
    """Score ``item`` against the rubric, with the evidence for every signal."""
    rubric = rubric or default_rubric()
    ext = extraction if extraction is not None else extract(item)
    ctx = Context(item, ext, rubric, source or SourceFacts())
    ctx.kind = item_kind(ctx)
    signals: list[Signal] = []
    for rule in RULES:
        signals.extend(rule(ctx))
    result = combine(signals, rubric, item_kind=ctx.kind, content_hash=item.content_hash)
    if ext.truncated_from is not None:
        result.notes.append(f"only the first {len(ext.text):,} of {ext.truncated_from:,} characters were scanned")
    if not (item.text or "").strip():
        result.notes.append("the item has no text beyond its title: little to assess")
    return result
