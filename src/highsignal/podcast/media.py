"""What an episode carries beyond its notes: chapters and transcripts, from the notes or from files.

Feeds point at chapter and transcript files that must be fetched; many shows
instead write both straight into their show notes. Either way the result is
the same two lists on the ``Item``, and the transcript also becomes searchable
passages in the store.
"""

from __future__ import annotations

from dataclasses import dataclass

from highsignal.podcast.chapters import chapters_from_notes
from highsignal.podcast.transcripts import transcript_from_notes, turns
from highsignal.records import Item, ParsedFeed, TranscriptRef

#: Preferred transcript formats, best first: timed and with speakers beats plain text.
_FORMAT_ORDER = ("application/json", "text/vtt", "application/x-subrip", "application/srt", "text/html")
#: A failed chapter or transcript file is tried again on later refreshes at most this often.
MAX_ATTEMPTS = 3
#: Files fetched per source per refresh (newest episodes first) and per refresh overall.
PER_SOURCE = 25
PER_REFRESH = 200


@dataclass(slots=True, frozen=True)
class MediaRequest:
    """One chapter or transcript file to fetch for a stored episode."""

    item_id: int
    kind: str  # chapters | transcript
    url: str
    content_type: str | None
    duration: float | None


def is_episode(item: Item, feed: ParsedFeed) -> bool:
    """Audio or video with it, or a page of episodes: the only items that have chapters and speakers."""
    media = item.enclosure is not None and (item.enclosure.type or "").startswith(("audio", "video"))
    return media or item.duration is not None or feed.format == "episodes" or bool(item.transcripts)


def enrich(feed: ParsedFeed) -> None:
    """Fill in chapters and transcripts an episode's show notes spell out, where the feed gave none."""
    show_people = {p.name for p in feed.meta.persons}
    for item in feed.items:
        if not is_episode(item, feed) or not item.text:
            continue
        speakers = show_people | {p.name for p in item.persons}
        if not item.transcript:
            item.transcript = turns(transcript_from_notes(item.text, speakers or None))
        speakers |= {s.speaker for s in item.transcript if s.speaker}
        if not item.chapters:
            item.chapters = chapters_from_notes(item.text, item.duration, speakers=speakers or None).chapters


def best_transcript(refs: list[TranscriptRef]) -> TranscriptRef | None:
    """The transcript file worth fetching: timed formats before HTML, HTML before plain text."""
    if not refs:
        return None

    def rank(ref: TranscriptRef) -> int:
        kind = (ref.type or "").split(";")[0].strip().lower()
        return _FORMAT_ORDER.index(kind) if kind in _FORMAT_ORDER else len(_FORMAT_ORDER)

    return min(refs, key=rank)


def requests_for(
    items: list[Item], ids: dict[str, int], attempts: dict[tuple[int, str], tuple[str, int, bool]]
) -> list[MediaRequest]:
    """Files still to fetch for these episodes, newest first, capped per source.

    ``attempts`` is what the store knows: (item id, kind) → (url, attempts, succeeded).
    A file fetched before is fetched again only when the feed names a new URL.
    """
    wanted: list[MediaRequest] = []
    ordered = sorted(items, key=lambda i: i.published.timestamp() if i.published else 0.0, reverse=True)
    for item in ordered:
        item_id = ids.get(item.key)
        if item_id is None:
            continue
        candidates: list[tuple[str, str, str | None]] = []
        if item.chapters_url:
            candidates.append(("chapters", item.chapters_url, "application/json+chapters"))
        ref = best_transcript(item.transcripts)
        if ref is not None:
            candidates.append(("transcript", ref.url, ref.type))
        for kind, url, ctype in candidates:
            seen = attempts.get((item_id, kind))
            if seen is not None and seen[0] == url and (seen[2] or seen[1] >= MAX_ATTEMPTS):
                continue
            wanted.append(MediaRequest(item_id, kind, url, ctype, item.duration))
        if len(wanted) >= PER_SOURCE:
            break
    return wanted[:PER_SOURCE]
