"""What an item is about, from a taxonomy of AI topics (``topics.toml``).

Each topic lists *strong* phrases (on their own they say what the item is
about: "speculative decoding", "DPO") and weaker supporting ones. All phrases
of all topics are found in one Aho-Corasick pass, the same machinery the
extractor uses, so detecting topics adds little to assessing an item.

A topic's points: 3 per distinct strong phrase, 1 per distinct supporting
phrase, doubled when the phrase is in the title, plus a little for repeats. An
item is about a topic at 4 points and at least a quarter of its main topic's
points (at most three topics); its strength (0-1) saturates at 12. Measured
on eval/topics (270 labelled real items): see eval/topics/evaluate.py.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..extract.scan import PhraseIndex, lower_same_length

THRESHOLD = 4.0
SATURATION = 12.0
MAX_TOPICS = 3
RELATIVE = 0.25


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    label: str
    description: str


@dataclass(frozen=True, slots=True)
class Taxonomy:
    version: str
    topics: dict[str, Topic]
    index: PhraseIndex

    def label(self, topic_id: str) -> str:
        topic = self.topics.get(topic_id)
        return topic.label if topic else topic_id


@cache
def taxonomy() -> Taxonomy:
    """The bundled taxonomy (read once)."""
    raw = tomllib.loads(resources.files("highsignal.rank").joinpath("topics.toml").read_text("utf-8"))
    return build(raw)


def build(raw: dict) -> Taxonomy:
    topics: dict[str, Topic] = {}
    groups: dict[str, dict[str, str]] = {}
    cased: dict[str, tuple[str, str]] = {}
    for topic_id, spec in raw["topics"].items():
        topics[topic_id] = Topic(topic_id, spec.get("label", topic_id), spec.get("description", ""))
        entries = {p: "strong" for p in spec.get("strong", [])}
        for p in spec.get("phrases", []):
            entries.setdefault(p, "weak")
        groups[topic_id] = entries
        for exact in spec.get("cased", []):
            cased[exact] = (topic_id, "strong")
    return Taxonomy(str(raw.get("version", "0")), topics, PhraseIndex(groups, cased))


def detect(title: str | None, text: str, tax: Taxonomy | None = None) -> list[tuple[str, float]]:
    """``(topic id, strength)`` for every topic the item is about, strongest first.

    ``text`` may begin with the title (the extractor's scan text does); title
    hits are counted once, with the title bonus.
    """
    tax = tax or taxonomy()
    title = title or ""
    if title and not text.startswith(title):
        text = title + "\n\n" + text
    title_end = len(title)
    seen: dict[tuple[str, str], int] = {}
    points: dict[str, float] = {}
    for m in tax.index.find(text, lower_same_length(text)):
        phrase = m.text.lower()
        mark = (m.kind, phrase)
        count = seen.get(mark, 0)
        seen[mark] = count + 1
        base = 3.0 if m.key == "strong" else 1.0
        if count == 0:
            gain = base * (2.0 if m.start < title_end else 1.0)
        elif count < 5:
            gain = base * 0.25
        else:
            continue
        points[m.kind] = points.get(m.kind, 0.0) + gain
    best = max(points.values(), default=0.0)
    # A topic far behind the main one is a passing mention, however many points it has.
    found = [(t, min(1.0, p / SATURATION)) for t, p in points.items() if p >= max(THRESHOLD, RELATIVE * best)]
    found.sort(key=lambda tp: (-tp[1], tp[0]))
    return [(t, round(s, 3)) for t, s in found[:MAX_TOPICS]]
