"""One show's report: history, cadence, durations, people, shared links and feed quality.

The same record feeds ``highsignal podcast`` (terminal charts drawn with
plotext), ``--format json`` and the web UI (inline SVG, so a page makes no
external requests and needs no script to draw a chart).
"""

from __future__ import annotations

import html
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


def history_svg(history: list[tuple[str, int]], width: int = 640, height: int = 160) -> str:
    """Episodes per month as a self-contained inline SVG: bars, a baseline, first and last month labelled."""
    if not history:
        return ""
    peak = max(n for _, n in history) or 1
    pad, label_h = 4, 16
    plot_h = height - label_h - pad
    step = (width - 2 * pad) / len(history)
    bar_w = max(1.0, step * 0.8)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="Episodes per month, {html.escape(history[0][0])} to {html.escape(history[-1][0])}">'
    ]
    for i, (month, n) in enumerate(history):
        h = plot_h * n / peak
        x = pad + i * step
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{pad + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}">'
            f"<title>{html.escape(month)}: {n} episode{'s' if n != 1 else ''}</title></rect>"
        )
    base = pad + plot_h
    parts.append(f'<line class="axis" x1="{pad}" y1="{base}" x2="{width - pad}" y2="{base}"/>')
    parts.append(f'<text x="{pad}" y="{height - 3}">{html.escape(history[0][0])}</text>')
    parts.append(f'<text x="{width - pad}" y="{height - 3}" text-anchor="end">{html.escape(history[-1][0])}</text>')
    parts.append(f'<text x="{width - pad}" y="{pad + 10}" text-anchor="end">max {peak}/month</text>')
    parts.append("</svg>")
    return "".join(parts)
