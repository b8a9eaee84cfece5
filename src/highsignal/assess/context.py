"""What every rule gets: the item, its extraction, and facts about its source.

Rules stay small because the shared work (grouping mentions by kind, finding
the sentence around a hit, turning a hit into a signal) happens here once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..extract.artefacts import classify
from ..extract.claims import sentence_bounds
from ..records import Artefact, Extraction, Item, Mention, Signal
from .rubric import Rubric

_MAX_EVIDENCE = 220
_URLISH = re.compile(r"\S*(?:://|www\.|\.co/|\.com/|\.org/)\S*|<[^>]*>")


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
    owner: str | None = None

    def __post_init__(self) -> None:
        groups: dict[str, list[Mention]] = {}
        for m in self.ext.mentions:
            groups.setdefault(m.kind, []).append(m)
        self.by_kind = groups
        # Whose work this is, when the item's own URL says: the Hub org or the repository owner.
        own = classify(self.item.url) if self.item.url else None
        if own is not None and own.ident and "/" in own.ident:
            self.owner = own.ident.split("/", 1)[0].lower()

    def owned(self, a: Artefact) -> bool | None:
        """Whether an artefact belongs to the item's own publisher (``None`` when that is unknown)."""
        if self.owner is None or not a.ident or "/" not in a.ident:
            return None
        return a.ident.split("/", 1)[0].lower() == self.owner

    def link_sentence(self, a: Artefact) -> str:
        """The sentence a link was written in, when the text spells the URL out (Markdown, plain text)."""
        at = self.ext.text.find(a.url.split("://", 1)[-1])
        if at < 0:
            return ""
        left, right = sentence_bounds(self.ext.text, at, at + 1)
        return self.ext.text[max(left, at - 200) : min(right, at + 200)].lower()

    def mentions(self, kind: str) -> list[Mention]:
        return self.by_kind.get(kind, [])

    def artefacts(self, *kinds: str) -> list[Artefact]:
        return [a for a in self.ext.artefacts if a.kind in kinds]

    def sentence(self, m: Mention) -> str:
        left, right = sentence_bounds(self.ext.text, m.start, m.end)
        return self.ext.text[left:right]

    def prose(self, m: Mention) -> str:
        """The lower-cased sentence around a mention with URLs and markup removed.

        "datasets" inside ``huggingface.co/datasets/...`` says nothing about a release.
        """
        return _URLISH.sub(" ", self.sentence(m)).lower()

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
            raw = self.ext.text[start:end]
            evidence = raw.strip()
            # Keep the offsets on the quoted text exactly: text[start:end] == evidence.
            start += len(raw) - len(raw.lstrip())
            end = start + len(evidence)
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
