"""Items cut into passages: the pieces an answer quotes and cites.

A whole item is too coarse to cite (a 3,000-word post, an hour of transcript)
and a single sentence often lacks its context, so a passage is a few
consecutive sentences of one paragraph, or one transcript turn. A passage's
text is always an exact slice of what is stored, so a reader (or a test) can
find the quote in the item; transcript passages keep their start second so a
citation can link into the audio.
"""

from __future__ import annotations

from dataclasses import dataclass

from highsignal.ask.text import Span, sentence_spans
from highsignal.records import StoredItem

#: Sentences are grouped into a passage up to about this many characters.
WINDOW_CHARS = 320
#: A sentence longer than this (a list run together, text with no full stops) is cut at word boundaries.
MAX_SENTENCE_CHARS = 600
#: How much of an item's text and transcript is read: enough for any post, a long episode's first hours.
MAX_TEXT_CHARS = 100_000
MAX_TRANSCRIPT_CHARS = 200_000


@dataclass(slots=True)
class Passage:
    """A few sentences of one item (``kind`` text or summary), or one transcript turn (``kind`` transcript)."""

    item_id: int
    rank: int  # the item's place in the search results, 0 first
    text: str
    kind: str
    start: float | None = None
    speaker: str | None = None


def split_item(stored: StoredItem, rank: int) -> list[Passage]:
    """Every passage of an item: its text, a summary the text does not already hold, its transcript."""
    item = stored.item
    out: list[Passage] = []
    text = item.text or ""
    for span in windows(text, MAX_TEXT_CHARS):
        out.append(Passage(stored.id, rank, text[span.start : span.end], "text"))
    summary = item.summary or ""
    if summary.strip() and summary.strip() not in text:
        for span in windows(summary, MAX_TEXT_CHARS):
            out.append(Passage(stored.id, rank, summary[span.start : span.end], "summary"))
    budget = MAX_TRANSCRIPT_CHARS
    for seg in item.transcript:
        if budget <= 0:
            break
        budget -= len(seg.text)
        for span in windows(seg.text, MAX_TEXT_CHARS):
            out.append(Passage(stored.id, rank, seg.text[span.start : span.end], "transcript", seg.start, seg.speaker))
    return out


def windows(text: str, limit: int) -> list[Span]:
    """Runs of whole sentences within one paragraph, each up to ``WINDOW_CHARS`` (a longer sentence alone)."""
    out: list[Span] = []
    current: Span | None = None
    end = min(len(text), limit)
    for sent in _short(text, sentence_spans(text, 0, end)):
        same_paragraph = current is not None and "\n" not in text[current.end : sent.start]
        if current is not None and same_paragraph and sent.end - current.start <= WINDOW_CHARS:
            current = Span(current.start, sent.end)
            continue
        if current is not None:
            out.append(current)
        current = sent
    if current is not None:
        out.append(current)
    return out


def _short(text: str, spans: list[Span]) -> list[Span]:
    """Sentences longer than ``MAX_SENTENCE_CHARS`` cut at the last space before the limit."""
    out: list[Span] = []
    for s in spans:
        start = s.start
        while s.end - start > MAX_SENTENCE_CHARS:
            cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
            if cut <= start:
                cut = start + MAX_SENTENCE_CHARS
            out.append(Span(start, cut))
            start = cut
            while start < s.end and text[start].isspace():
                start += 1
        if s.end > start:
            out.append(Span(start, s.end))
    return out
