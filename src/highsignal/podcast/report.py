"""One show's report: history, cadence, durations, people, shared links and feed quality.

The same record feeds ``highsignal podcast`` (terminal charts drawn with
plotext), ``--format json`` and the web UI's source page.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

from highsignal.podcast.analytics import Cadence, Durations, SharedLink


@dataclass(slots=True)
class PersonCount:
    name: str
    episodes: int
    roles: list[str]
    other_shows: int = 0


@dataclass(slots=True)
class PodcastReport:
    source_id: int
    title: str | None
    url: str
    episodes: int
    newest: datetime | None
    oldest: datetime | None
    history: list[tuple[str, int]]
    cadence: Cadence
    durations: Durations
    hosts: list[PersonCount]
    guests: list[PersonCount]
    shared_links: list[SharedLink]
    boilerplate: list[str]
    with_chapters: int
    with_transcript: int
    sponsor_reads: int
    quality: object | None = None  # podcast.quality.Quality, when the checklist could run
    notes: list[str] = field(default_factory=list)


def report_json(r: PodcastReport, source_titles: dict[int, str] | None = None) -> dict:
    from highsignal.podcast.quality import quality_json

    titles = source_titles or {}
    return {
        "source_id": r.source_id,
        "title": r.title,
        "url": r.url,
        "episodes": r.episodes,
        "newest": r.newest.isoformat() if r.newest else None,
        "oldest": r.oldest.isoformat() if r.oldest else None,
        "history": [{"month": m, "episodes": n} for m, n in r.history],
        "cadence": asdict(r.cadence),
        "durations": {**asdict(r.durations), "buckets": [{"range": b, "episodes": n} for b, n in r.durations.buckets]},
        "hosts": [asdict(p) for p in r.hosts],
        "guests": [asdict(p) for p in r.guests],
        "shared_links": [
            {
                "url": s.url,
                "episodes": s.episodes,
                "other_sources": [{"id": i, "title": titles.get(i)} for i in s.other_sources],
            }
            for s in r.shared_links
        ],
        "boilerplate_links": r.boilerplate,
        "with_chapters": r.with_chapters,
        "with_transcript": r.with_transcript,
        "sponsor_reads": r.sponsor_reads,
        "quality": quality_json(r.quality) if r.quality is not None else None,
        "notes": r.notes,
    }


def history_chart(history: list[tuple[str, int]], width: int = 72, height: int = 12) -> str:
    """Episodes per month as a terminal bar chart (plain text when colour is off)."""
    import plotext as plt

    if not history:
        return "(no dated episodes)"
    shown = history[-36:]  # three years fit a terminal; the JSON has all of it
    plt.clear_figure()
    plt.bar([m for m, _ in shown], [n for _, n in shown])
    plt.plotsize(width, height)
    plt.theme("clear")
    plt.title("Episodes per month" + (" (last 36 months)" if len(history) > len(shown) else ""))
    chart = plt.build()
    plt.clear_figure()
    return chart


def duration_chart(durations: Durations, width: int = 60) -> str:
    import plotext as plt

    if not durations.count:
        return "(no durations)"
    plt.clear_figure()
    plt.simple_bar([b for b, _ in durations.buckets], [n for _, n in durations.buckets], width=width)
    plt.theme("clear")
    chart = plt.build()
    plt.clear_figure()
    return chart
