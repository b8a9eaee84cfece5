"""What every rule gets: the item, its extraction, and facts about its source.

Rules stay small because the shared work (grouping mentions by kind, finding
the sentence around a hit, turning a hit into a signal) happens here once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..extract.claims import sentence_bounds
from ..records import Artefact, Extraction, Item, Mention, Signal
from .rubric import Rubric

_MAX_EVIDENCE = 220


@dataclass(slots=True)
class SourceFacts:
    """What the assess stage may know about where an item came from.

    ``content_kind`` is what the source holds (feed, podcast, page, document);
    ``declared_kind`` is what the reader says the publisher is (researcher,
    lab, vendor, aggregator, media, podcast, social). ``mean_score`` is the
    source's track record, when the store has one.
    """

    content_kind: str | None = None
    declared_kind: str | None = None
    mean_score: float | None = None
    scored_items: int = 0


@dataclass(slots=True)
class Context:
    item: Item
    ext: Extraction
    rubric: Rubric
    source: SourceFacts
    kind: str = "commentary"
    by_kind: dict[str, list[Mention]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        groups: dict[str, list[Mention]] = {}
        for m in self.ext.mentions:
            groups.setdefault(m.kind, []).append(m)
        self.by_kind = groups

    def mentions(self, kind: str) -> list[Mention]:
        return self.by_kind.get(kind, [])

    def artefacts(self, *kinds: str) -> list[Artefact]:
        return [a for a in self.ext.artefacts if a.kind in kinds]

    def sentence(self, m: Mention) -> str:
        left, right = sentence_bounds(self.ext.text, m.start, m.end)
        return self.ext.text[left:right]

    def signal(
        self,
        signal_id: str,
        message: str,
        *,
        mention: Mention | None = None,
        span: tuple[int, int] | None = None,
        url: str | None = None,
        flag: str | None = None,
        evidence: str | None = None,
    ) -> Signal:
        """A signal with its weight from the rubric and its evidence quoted."""
        weight = self.rubric.weight(signal_id)
        polarity = "-" if weight < 0 else "+"
        start = end = None
        if mention is not None:
            span = (mention.start, mention.end)
        if span is not None and span[0] is not None:
            start, end = self._evidence_span(*span)
            evidence = self.ext.text[start:end].strip()
        if evidence is None:
            evidence = url or ""
        return Signal(signal_id, polarity, weight, message, evidence, flag, start, end, url)

    def _evidence_span(self, start: int, end: int) -> tuple[int, int]:
        if end - start >= 40:  # already a sentence or a clause: quote it as found
            return start, min(end, start + _MAX_EVIDENCE)
        left, right = sentence_bounds(self.ext.text, start, end)
        if right - left > _MAX_EVIDENCE:
            left = max(left, start - 80)
            right = min(right, max(end, left) + 140)
        return left, right
